"""Section classifier: outline context, the baseline, grouped cross-validation, the shipped model,
and the `classify` / `train` commands."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest

from summarizer.analyse import classify as cls
from summarizer.analyse.classify import (
    LABELS,
    SectionClassifier,
    article_views,
    load_corpus,
    load_model,
    rule_predict,
    smooth_along_outline,
)
from summarizer.analyse.train import cross_validate, fit_final
from summarizer.document import Article
from tests.conftest import ROOT, seed_path

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def cv(corpus):
    return cross_validate(corpus)


def test_views_carry_the_headings_above_each_paragraph():
    art = Article.from_lines("学校帮扶工作计划", [
        "为了促进教育均衡发展，特制定本计划。",
        "一、组织领导",
        "（一）成立领导小组",
        "组长：李明",
        "二、主要措施",
        "1、送教下乡。",
    ])
    views = article_views(art)
    assert [v.level for v in views] == [0, 0, 1, 2, 0, 1, 3]
    assert views[3].parents == ("一、组织领导",)
    assert views[4].parents == ("一、组织领导", "（一）成立领导小组")
    assert views[6].parents == ("二、主要措施",)
    assert [v.section for v in views] == [-1, -1, 2, 2, 2, 5, 5]


def test_baseline_reads_keywords_in_the_paragraph_or_its_headings():
    art = Article.from_lines("工作总结", ["根据上级文件精神，现将工作总结如下：", "一、存在的问题", "个别教师积极性不高。",
                                      "二、今后打算", "继续开展活动。", "总之，我们将继续努力。"])
    assert rule_predict(article_views(art)) == ["title", "preamble", "problems", "problems", "plans", "plans",
                                                "closing"]


def test_smoothing_pulls_a_paragraph_towards_its_section():
    art = Article.from_lines("计划", ["一、组织领导", "甲", "乙"])
    views = article_views(art)
    proba = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    out = smooth_along_outline(views, proba, 0.5)
    assert out[0].tolist() == [1.0, 0.0]  # the title stands in no section
    assert out[3].tolist() == pytest.approx([0.5 + 0.5 / 3, 0.5 * 2 / 3])
    assert out.sum(axis=1) == pytest.approx(np.ones(4))


def test_cross_validation_holds_out_whole_source_pages(corpus, cv):
    assert cv.groups == sorted({a.group for a in corpus}) and len(cv.groups) == 4
    assert len(cv.y_true) == sum(len(a.labels) for a in corpus) == 614
    for name, pred in cv.predictions.items():
        assert len(pred) == len(cv.y_true), name
        assert set(pred) <= set(LABELS)
    # Scores are those of the out-of-fold predictions, not of a fit on everything.
    from sklearn.metrics import f1_score

    s = cv.scores["outline"]
    assert s.macro_f1 == pytest.approx(f1_score(cv.y_true, cv.predictions["outline"], labels=s.labels,
                                                average="macro", zero_division=0))
    assert np.array(s.confusion).sum() == 614


def test_learned_models_beat_the_baseline_on_accuracy_of_unseen_pages(cv):
    # Measured: outline 0.674, linear 0.648, rule 0.645 (macro-F1 is another story: see README).
    assert cv.scores["outline"].accuracy > cv.scores["rule"].accuracy
    assert cv.scores["outline"].accuracy >= 0.65
    assert cv.scores["outline"].f1[cv.scores["outline"].labels.index("title")] == 1.0


def test_the_shipped_model_is_the_one_train_makes_from_the_corpus(corpus):
    shipped = cls.default_classifier()
    fresh = fit_final(corpus, cls.SMOOTHING)
    arts = [a.article for a in corpus]
    ours, theirs = shipped.predict_many(arts), fresh.predict_many(arts)
    assert [[lab for lab, _ in r] for r in ours] == [[lab for lab, _ in r] for r in theirs]
    assert [s for r in ours for _, s in r] == pytest.approx([s for r in theirs for _, s in r], abs=1e-6)


def test_the_shipped_corpus_copy_matches_corpus_labels(corpus):
    articles, labels = cls.packaged_corpus()
    assert labels == [a.labels for a in corpus]
    assert [a.text for a in articles] == [a.article.text for a in corpus]


def test_the_compiled_scorer_gives_scikit_learns_probabilities(corpus):
    model = SectionClassifier().fit([a.article for a in corpus[:20]], [a.labels for a in corpus[:20]])
    rows = [cls.features(v) for a in corpus[20:] for v in article_views(a.article)]
    assert model.scorer_.predict_proba(rows) == pytest.approx(model.pipeline_.predict_proba(rows), abs=1e-9)


def test_loading_the_shipped_model_does_not_import_scikit_learn():
    code = ("import sys; from summarizer.analyse.classify import default_classifier; "
            "default_classifier(); print(any(m.split('.')[0] == 'sklearn' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", code], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_model_of_another_format_is_refused(tmp_path, corpus):
    model = SectionClassifier().fit([corpus[0].article, corpus[1].article], [corpus[0].labels, corpus[1].labels])
    path = tmp_path / "old.pkl"
    path.write_bytes(pickle.dumps({"format": 0, "model": model}))
    with pytest.raises(cls.ModelLoadError, match="format 0"):
        load_model(path)
    path.write_bytes(b"not a pickle")
    with pytest.raises(cls.ModelLoadError, match="old.pkl"):
        load_model(path)


def test_an_unloadable_shipped_model_is_retrained_with_a_warning(monkeypatch):
    monkeypatch.setattr(cls, "MODEL_FILE", "no_such_model.pkl")
    monkeypatch.setattr(cls, "_DEFAULT", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = cls.default_classifier()
    assert any("retraining" in str(w.message) for w in caught)
    labels = [lab for lab, _ in model.predict(Article.from_lines("工作总结", ["总之，我们将继续努力。"]))]
    assert labels[0] == "title"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_classify_command_labels_every_paragraph_of_a_clean_article():
    path = CORPUS / "clean" / "000_f06ec88fb457c14a_d0d93e8b_01.txt"
    out = run("classify", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    assert [i["text"] for i in items] == lines
    assert [i["index"] for i in items] == list(range(len(lines)))
    assert items[0]["label"] == "title" and items[-1]["label"] == "closing"  # `总之，…`
    assert all(i["label"] in LABELS and 0 < i["score"] <= 1 for i in items)
    assert {i["heading_level"] for i in items} >= {0, 3}


def test_classify_command_cleans_a_raw_page_first():
    out = run("classify", str(seed_path("002")), "--format", "json")
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert sorted({i["article"] for i in items}) == [1, 2, 3, 4, 5]
    assert sum(i["label"] == "title" for i in items) >= 5
    text = run("classify", str(seed_path("002")))
    assert "主要做法" in text.stdout and "第5篇" in text.stdout


def test_classify_command_names_a_bad_file(tmp_path):
    bad = tmp_path / "空.txt"
    bad.write_bytes(b"")
    out = run("classify", str(bad))
    assert out.returncode == 1 and "空.txt" in out.stderr


def test_train_command_prints_grouped_cv_and_saves_model_and_png(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "clean", corpus / "clean")
    shutil.copytree(CORPUS / "labels", corpus / "labels")
    model, png = tmp_path / "m.pkl", tmp_path / "cm.png"
    out = run("train", "--corpus", str(corpus), "-o", str(model), "--png", str(png))
    assert out.returncode == 0, out.stderr
    assert "4 个来源网页" in out.stdout and "macro-F1" in out.stdout and "baseline" in out.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    loaded = load_model(model)
    assert loaded.predict(Article.from_lines("计划", ["一、指导思想"]))[0][0] == "title"
    # A corpus whose labels no longer match its articles is refused with the file named.
    first = sorted((corpus / "labels").glob("*.jsonl"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace('"index": 1', '"index": 1, "x": 0', 1)
                     .replace("学校", "学堂", 1), encoding="utf-8")
    bad = run("train", "--corpus", str(corpus), "-o", str(model))
    assert bad.returncode == 1 and first.name in bad.stderr
