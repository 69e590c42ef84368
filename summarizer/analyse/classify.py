"""Section classifier: a SPEC section label for every paragraph of a report.

A paragraph's label is mostly decided by the section it stands in ("a heading paragraph takes
the label of the section it opens"), so besides the paragraph's own words and characters the
model sees where it stands: its position, its heading level and marker, the section its own
heading and the headings above it name (`outline.heading_section`), the words of those headings,
and whether the document is a summary or a plan. Then two outline steps:

- smoothing: each paragraph's probabilities are mixed with those of the section it belongs to
  (its top-level heading and that heading's members), so that one odd paragraph inside a clear
  section follows the section;
- a heading that stands on its own line and names its section (`三、存在问题与改进措施`) gets
  that section's label, as the label guide says.

`summarizer train` compares it with the keyword-and-heading baseline (`outline.rule_predict`).
Everything here is pure: articles in, labels out; loading and saving a model are the only I/O.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizer.analyse.outline import (
    LABELS,
    LABELS_ZH,
    ParagraphView,
    article_views,
    head_of,
    heading_section,
    is_closing,
    is_heading,
    is_results_section,
    is_signoff,
)
from summarizer.analyse.segment import heading_marker, words
from summarizer.document import Article
from summarizer.text.linear import CompiledLinear, Picker, identity

__all__ = ["LABELS", "LABELS_ZH", "SectionClassifier", "article_views", "default_classifier", "features",
           "load_model", "save_model", "user_model_path"]

_FIGURE = re.compile(r"\d|[一二三四五六七八九十两百千万]+[名人所个次节项场期户班位]")
_ORDINAL_WORDS = ("首先", "其次", "再次", "最后")


def _marker_kind(marker: str) -> str:
    if not marker:
        return "none"
    if marker[0] in "(（":
        return "paren_cn" if not marker[1].isdigit() else "paren_num"
    if marker[0].isdigit():
        return "num"
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "circled"
    if marker.startswith(_ORDINAL_WORDS) or marker.startswith("第"):
        return "ordinal"
    if marker.endswith("是"):
        return "shi"
    return "cn"


def features(view: ParagraphView) -> dict:
    """Tokens and flags of one paragraph, for the vectorisers (all strings or numbers)."""
    text = view.text
    rel = view.index / max(1, view.count - 1)
    parent = view.parents[-1] if view.parents else ""
    top = view.parents[0] if view.parents else ""
    flags = {
        f"pos={min(9, int(rel * 10))}": 1.0,
        "first_body": float(view.index == 1),
        "last": float(view.index == view.count - 1),
        "near_end": float(view.count - 1 - view.index < 3),
        "is_title": float(view.index == 0),
        f"level={view.level}": 1.0,
        f"marker={_marker_kind(view.marker)}": 1.0,
        f"depth={min(3, len(view.parents))}": 1.0,
        f"len={min(6, int(math.log2(len(text) + 1)))}": 1.0,
        "figures": float(bool(_FIGURE.search(text))),
        "colon_end": float(text.rstrip().endswith(("：", ":"))),
        f"kind={view.kind}": 1.0,
        "heading_alone": float(is_heading(view)),
        "signoff_shape": float(is_signoff(view)),
    }
    body = text[len(view.marker):] if view.marker else text
    head = head_of(body) if view.level else ""
    context = [f"H:{w}" for w in _heading_words(parent)] if parent else []
    context += [f"T:{w}" for w in _heading_words(top)] if top and top != parent else []
    context += [f"B:{body[:2]}", f"B:{body[:3]}"]
    for where, t in (("head", head), ("parent", parent), ("top", top)):
        section = heading_section(t, view.kind) if t else None
        if section:
            flags[f"sec_{where}={section}"] = 1.0
            flags[f"sec_{where}={section}|{view.kind}"] = 1.0
    part = view.text if view.part == view.index else _part_heading(view)
    section = heading_section(part, view.kind) if part else None
    if section:
        flags[f"sec_part={section}"] = 1.0
    # Words of the opening only: it carries the paragraph's cue words, and jieba over whole
    # paragraphs would cost three times as much for no measured gain (see the README).
    opening = words(body[:OPENING_CHARS], hmm=False)
    return {"text": text, "words": opening, "context": context, "flags": flags}


OPENING_CHARS = 32


def _part_heading(view: ParagraphView) -> str:
    """The text of the heading that names the part of the outline `view` belongs with."""
    for heading in reversed(view.parents):
        if heading_section(heading, view.kind):
            return heading
    return ""


@lru_cache(maxsize=4096)
def _heading_words(heading: str) -> tuple[str, ...]:
    """Words of a heading's title part (without its marker); headings repeat down a section."""
    return tuple(words(head_of(heading[len(heading_marker(heading)[1]):]), hmm=False))


def make_linear(c: float = 4.0):
    """The linear model: tf-idf of characters (1–3), words and outline context, plus flags."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    def branch(key, vec):
        return Pipeline([("pick", FunctionTransformer(Picker(key))), ("vec", vec)])

    union = FeatureUnion([
        ("chars", branch("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                                 min_df=2, max_features=30000))),
        ("words", branch("words", TfidfVectorizer(analyzer=identity, sublinear_tf=True, min_df=1))),
        ("context", branch("context", TfidfVectorizer(analyzer=identity, sublinear_tf=True))),
        ("flags", branch("flags", DictVectorizer())),
    ])
    return Pipeline([("features", union),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=3000))])


def smooth_along_outline(views: list[ParagraphView], proba: np.ndarray, weight: float) -> np.ndarray:
    """Mix each paragraph's probabilities with its part's (mean over the part's members): the
    part of the outline under the innermost heading that names a section, else the top-level
    section (`ParagraphView.part`). The title line and paragraphs outside any keep their own.
    (Smoothing within every innermost heading's block measured worse on the held-out pages.)
    """
    out = proba.copy()
    sections: dict[int, list[int]] = {}
    for i, v in enumerate(views):
        if v.part >= 0:
            sections.setdefault(v.part, []).append(i)
    for members in sections.values():
        mean = proba[members].mean(axis=0)
        for i in members:
            out[i] = (1 - weight) * proba[i] + weight * mean
    return out


# --- the classifier ---------------------------------------------------------------------------

SMOOTHING = 0.5  # weight of the section's mean in `outline` smoothing (chosen by grouped CV)
MODEL_FILE = "section_model.pkl"
CORPUS_FILE = "section_corpus.jsonl"


class SectionClassifier:
    """Labels every paragraph of an article: `fit` on labelled articles, `predict` on articles.

    `smoothing` 0 is the plain linear model; above 0 each paragraph is pulled towards its
    section's mean probabilities (`smooth_along_outline`). `headings` lets a stand-alone heading
    that names its section take that label.
    """

    def __init__(self, smoothing: float = SMOOTHING, c: float = 4.0, headings: bool = True) -> None:
        self.smoothing = smoothing
        self.c = c
        self.headings = headings

    def fit(self, articles: list[Article], labels: list[list[str | None]],
            weights: list[float] | None = None) -> SectionClassifier:
        """Fit on the labelled lines of `articles` (a None label: not trained on); `weights`, one
        per article, weigh its lines (weak labels count less than a person's)."""
        rows, y, w = [], [], []
        for a, (article, labs) in enumerate(zip(articles, labels)):
            for view, label in zip(article_views(article), labs):
                if label is not None:
                    rows.append(features(view))
                    y.append(label)
                    w.append(1.0 if weights is None else weights[a])
        pipeline = make_linear(self.c).fit(rows, y, model__sample_weight=np.array(w))
        self.scorer_ = CompiledLinear.from_pipeline(pipeline)
        self.classes_ = list(self.scorer_.classes)
        return self

    def predict(self, article: Article) -> list[tuple[str, float]]:
        """(label, score) for the title line and then every paragraph, in order."""
        return self.predict_many([article])[0]

    def predict_many(self, articles: list[Article]) -> list[list[tuple[str, float]]]:
        """`predict` for many articles in one vectorised pass (much faster than one by one)."""
        views = [article_views(a) for a in articles]
        rows = [features(v) for vs in views for v in vs]
        proba = self.scorer_.predict_proba(rows) if rows else np.zeros((0, len(self.classes_)))
        out, pos = [], 0
        for vs in views:
            part = proba[pos:pos + len(vs)]
            pos += len(vs)
            if self.smoothing:
                part = smooth_along_outline(vs, part, self.smoothing)
            best = part.argmax(axis=1)
            labelled = [(self.classes_[k], float(part[i, k])) for i, k in enumerate(best)]
            if self.headings:
                labelled = self._named_headings(vs, part, labelled)
            out.append(labelled)
        return out

    def _named_headings(self, views: list[ParagraphView], proba: np.ndarray,
                        labelled: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A stand-alone heading that names its section takes that section's label, a summing-up
        paragraph (`outline.is_closing`) the closing's, a summary's section that tells what came
        of the work (`outline.is_results_section`) the results' and a sign-off line at the end
        (`outline.is_signoff`) the sign-off's (their score is the model's probability of it)."""
        for i, v in enumerate(views):
            named = heading_section(v.text, v.kind) if i and is_heading(v) else None
            if not named and is_closing(v):
                named = "closing"
            if not named and is_results_section(v):
                named = "results"
            if not named and is_signoff(v):
                named = "signoff"
            if named and named in self.classes_:
                labelled[i] = (named, float(proba[i, self.classes_.index(named)]))
        return labelled


MODEL_FORMAT = 4  # bump when `CompiledLinear` or the features change


def save_model(model: SectionClassifier, path: Path) -> None:
    """Pickle the fitted model (its compiled scorer, no scikit-learn objects), atomically."""
    import pickle

    from summarizer.io.writers import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, pickle.dumps({"format": MODEL_FORMAT, "model": model}), durable=True)


def load_model(path: Path) -> SectionClassifier:
    """Unpickle a model; raises `ModelLoadError` when it is unreadable or of another format."""
    import pickle

    try:
        payload = pickle.loads(path.read_bytes())
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means "retrain"
        raise ModelLoadError(f"{path}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else "?"
        raise ModelLoadError(f"{path}: 模型格式 {found}，本版本读取 {MODEL_FORMAT} / model format {found}, "
                             f"this version reads {MODEL_FORMAT}")
    return payload["model"]


class ModelLoadError(RuntimeError):
    """A model file this version of the package cannot use."""


def user_model_path() -> Path:
    """Where `summarizer train` writes its model by default, and `classify` looks for one."""
    from summarizer.io.datadir import user_data_dir

    return user_data_dir() / MODEL_FILE


def packaged_training_set():
    """The hand-labelled and written articles shipped beside the model (`CORPUS_FILE`)."""
    from importlib import resources

    from summarizer.analyse.labelled import read_packaged_rows

    return read_packaged_rows((resources.files("summarizer") / "data" / CORPUS_FILE).read_text(encoding="utf-8"))


_DEFAULT: SectionClassifier | None = None


def default_classifier() -> SectionClassifier:
    """The shipped model, loaded once; retrained from the shipped articles (with a warning) when
    it cannot be loaded (missing, damaged, or written by an incompatible version)."""
    global _DEFAULT
    if _DEFAULT is None:
        import warnings
        from importlib import resources

        ref = resources.files("summarizer") / "data" / MODEL_FILE
        try:
            with resources.as_file(ref) as path:
                _DEFAULT = load_model(path)
        except (ModelLoadError, FileNotFoundError) as exc:
            warnings.warn(f"分类模型无法加载，正在用语料重新训练 / retraining the section model: {exc}",
                          stacklevel=2)
            rows = packaged_training_set()
            _DEFAULT = SectionClassifier().fit([a.article for a in rows], [a.labels for a in rows])
    return _DEFAULT
