"""The compiled linear model predicts what the fitted scikit-learn pipeline predicts."""

from __future__ import annotations

import pickle

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from summarizer.clean.chrome import shape_features
from summarizer.text.linear import CompiledLinear, Picker, gram_key, gram_keys, identity

TEXTS = ["一、存在的问题", "二、下一步打算", "我校成立了领导小组，校长任组长。", "下载本文档 ID:3",
         "共走访家庭86户，发放助学金3.2万元。", "总之，我们将继续努力。", "上一篇  下一篇", "Ａｂｃ  ABC abc"]
LABELS = ["problems", "plans", "organization", "noise", "results", "closing", "noise", "noise"]
UNSEEN = ["", "𠀀𠀁 表情", "全新的一行，没有见过的字：龘", "二、存在问题与改进措施", "  空格   很多  "]


def _branch(key, vec):
    return Pipeline([("pick", FunctionTransformer(Picker(key))), ("vec", vec)])


def _rows(texts):
    return [{"text": t, "words": list(t[:4]), "flags": {"short": float(len(t) < 8), f"first={t[:1]}": 1.0}}
            for t in texts]


def test_a_multiclass_pipeline_of_dict_rows_compiles_to_the_same_probabilities():
    union = FeatureUnion([
        ("chars", _branch("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True))),
        ("words", _branch("words", TfidfVectorizer(analyzer=identity, sublinear_tf=True))),
        ("flags", _branch("flags", DictVectorizer())),
    ])
    pipeline = Pipeline([("features", union), ("model", LogisticRegression(C=4.0, max_iter=2000))])
    pipeline.fit(_rows(TEXTS), LABELS)
    compiled = pickle.loads(pickle.dumps(CompiledLinear.from_pipeline(pipeline)))
    rows = _rows(TEXTS + UNSEEN)
    assert compiled.classes == list(pipeline.classes_)
    assert np.allclose(compiled.predict_proba(rows), pipeline.predict_proba(rows), atol=1e-9)


def test_a_binary_pipeline_with_dense_features_compiles_and_round_trips_through_json():
    union = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)),
        ("shape", FunctionTransformer(shape_features)),
    ])
    y = [int(label == "noise") for label in LABELS]
    pipeline = Pipeline([("features", union), ("model", LogisticRegression(C=4.0, max_iter=2000))]).fit(TEXTS, y)
    compiled = CompiledLinear.from_dict(CompiledLinear.from_pipeline(pipeline).to_dict())
    lines = TEXTS + UNSEEN
    assert np.allclose(compiled.predict_proba(lines), pipeline.predict_proba(lines), atol=1e-9)


def test_gram_keys_are_one_per_gram_and_tell_lengths_apart():
    keys, owners = gram_keys(["ab", "a", ""], 3)
    assert sorted(keys.tolist()) == sorted([gram_key("a"), gram_key("b"), gram_key("ab"), gram_key("a")])
    assert owners.tolist().count(0) == 3 and owners.tolist().count(1) == 1
    assert len({gram_key(g) for g in ["a", "aa", "aaa", "\x00", "\x00\x00", "𠀀𠀀𠀀"]}) == 6
