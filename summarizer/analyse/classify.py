"""Section classifier: a SPEC section label for every paragraph of a report.

A paragraph's label is mostly decided by the section it stands in ("a heading paragraph takes
the label of the section it opens"), so besides the paragraph's own words and characters the
model sees where it stands: its position, its heading level and marker, and the words of the
headings above it. Two models are compared by `summarizer train`:

- `linear`: logistic regression over word and character n-grams and paragraph features;
- `outline`: the same, then smoothed along the outline: each paragraph's probabilities are mixed
  with those of the section it belongs to (its top-level heading and that heading's members),
  so that one odd paragraph inside a clear section follows the section.

A keyword-and-heading rule (`rule_predict`) is the baseline every model must beat.
Everything here is pure: articles in, labels out; reading the corpus is in `corpus.py`-free
helpers at the bottom (`load_corpus`), which only read files.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizer.analyse.segment import heading_marker, words
from summarizer.document import Article

LABELS = ("title", "preamble", "guiding", "organization", "measures", "results", "experience",
          "problems", "plans", "closing", "signoff", "noise")
LABELS_ZH = {"title": "标题", "preamble": "开头", "guiding": "指导思想与目标",
             "organization": "组织领导与保障", "measures": "主要做法", "results": "成效",
             "experience": "体会与经验", "problems": "问题与不足", "plans": "今后打算",
             "closing": "结尾", "signoff": "落款", "noise": "网页杂质"}

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


@dataclass
class ParagraphView:
    """What the classifier sees of one paragraph: its text and where it stands.

    Index 0 of an article is its title line; `level` is the heading level (0 for body text);
    `parents` are the texts of the headings above it, outermost first.
    """

    text: str
    index: int
    count: int
    level: int
    marker: str
    parents: tuple[str, ...]
    section: int  # index of the top-level heading this paragraph stands under (-1: none)


def article_views(article: Article) -> list[ParagraphView]:
    """The title line and every paragraph of `article`, with their outline context."""
    texts = [article.title] + [p.text for p in article.paragraphs]
    n = len(texts)
    views = [ParagraphView(article.title, 0, n, 0, "", (), -1)]
    stack: list[tuple[int, int, str]] = []  # (level, index, text) of the open headings
    series_level: dict[str, int] = {}
    for i in range(1, n):
        level, marker = heading_marker(texts[i])
        if level == -1:
            series = "shi" if marker.endswith("是") else "order"
            series_level.setdefault(series, (stack[-1][0] + 1) if stack else 1)
            level = series_level[series]
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
        parents = tuple(t for _, _, t in stack)
        section = stack[0][1] if stack else (i if level else -1)
        views.append(ParagraphView(texts[i], i, n, level, marker, parents, section))
        if level:
            stack.append((level, i, texts[i]))
    return views


def _head(text: str, size: int = 16) -> str:
    """The heading part of a paragraph: up to the first sentence mark, at most `size` chars."""
    m = re.search(r"[。：:；;！？]", text)
    return text[: min(m.start() if m else len(text), size)]


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
    }
    body = text[len(view.marker):] if view.marker else text
    head = _head(body) if view.level else ""
    context = [f"H:{w}" for w in _heading_words(parent)] if parent else []
    context += [f"T:{w}" for w in _heading_words(top)] if top and top != parent else []
    context += [f"B:{body[:2]}", f"B:{body[:3]}"]
    for where, t in (("self", text), ("head", head), ("parent", parent), ("top", top)):
        label = rule_label(t) if t else None
        if label:
            flags[f"kw_{where}={label}"] = 1.0
    # Words of the opening only: it carries the paragraph's cue words, and jieba over whole
    # paragraphs would cost three times as much for no measured gain (see the README).
    opening = words(body[:OPENING_CHARS], hmm=False)
    return {"text": text, "words": opening, "context": context, "flags": flags}


OPENING_CHARS = 32


@lru_cache(maxsize=4096)
def _heading_words(heading: str) -> tuple[str, ...]:
    """Words of a heading's title part (without its marker); headings repeat down a section."""
    return tuple(words(_head(heading[len(heading_marker(heading)[1]):]), hmm=False))


def _pick(key: str):
    return _Picker(key)


class _Picker:
    """Selects one field of the feature dicts (a class, so that fitted pipelines pickle)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, rows: list[dict]) -> list:
        return [r[self.key] for r in rows]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def make_linear(c: float = 8.0):
    """The linear model: tf-idf of characters (1–3), words and outline context, plus flags."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    def branch(key, vec):
        return Pipeline([("pick", FunctionTransformer(_pick(key))), ("vec", vec)])

    union = FeatureUnion([
        ("chars", branch("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                                 min_df=2, max_features=30000))),
        ("words", branch("words", TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1))),
        ("context", branch("context", TfidfVectorizer(analyzer=_identity, sublinear_tf=True))),
        ("flags", branch("flags", DictVectorizer())),
    ])
    return Pipeline([("features", union),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=3000))])


def smooth_along_outline(views: list[ParagraphView], proba: np.ndarray, weight: float) -> np.ndarray:
    """Mix each paragraph's probabilities with its section's (mean over the section's members).

    The title line and paragraphs outside any section keep their own.
    """
    out = proba.copy()
    sections: dict[int, list[int]] = {}
    for i, v in enumerate(views):
        if v.section >= 0:
            sections.setdefault(v.section, []).append(i)
    for members in sections.values():
        mean = proba[members].mean(axis=0)
        for i in members:
            out[i] = (1 - weight) * proba[i] + weight * mean
    return out


# --- the baseline: keywords in the paragraph and its headings -------------------------------

_RULES = (
    ("closing", re.compile(r"^(总之|总而言之|综上所述|以上就是)")),
    ("problems", re.compile(r"问题|不足|困难|差距|存在的")),
    ("plans", re.compile(r"今后|打算|下一步|设想|努力方向|展望")),
    ("results", re.compile(r"成效|成绩|成果|效果|收获")),
    ("experience", re.compile(r"体会|经验|启示|感受|反思")),
    ("organization", re.compile(r"领导小组|组织|保障|职责|机制|要求|组长|考核|经费")),
    ("guiding", re.compile(r"指导思想|目标|原则|宗旨|思路")),
    ("preamble", re.compile(r"^(根据|为了|为贯彻|为进一步|现将|按照)")),
    ("signoff", re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$|^附件")),
)


@lru_cache(maxsize=8192)
def rule_label(text: str) -> str | None:
    for label, pattern in _RULES:
        if pattern.search(text[:40]):
            return label
    return None


def rule_predict(views: list[ParagraphView]) -> list[str]:
    """The baseline: line 0 is the title; a paragraph with a keyword takes its label, else the
    label its nearest heading's keywords give, else the first body paragraph is the preamble,
    else `measures` (the commonest label)."""
    out = []
    for v in views:
        if v.index == 0:
            out.append("title")
            continue
        label = rule_label(v.text)
        for parent in reversed(v.parents):
            if label:
                break
            label = rule_label(parent)
        if not label and v.index == 1:
            label = "preamble"
        out.append(label or "measures")
    return out


# --- the corpus -----------------------------------------------------------------------------

@dataclass
class LabelledArticle:
    """A clean corpus article with a label per line (line 0 the title)."""

    stem: str
    group: str  # the source page: copies of one article never sit on both sides of a split
    article: Article
    labels: list[str]


def load_corpus(corpus: Path) -> list[LabelledArticle]:
    """`corpus/clean/<stem>.txt` with `corpus/labels/<stem>.jsonl`, every labelled article."""
    out = []
    for path in sorted((corpus / "labels").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines = (corpus / "clean" / f"{path.stem}.txt").read_text(encoding="utf-8").split("\n")[:-1]
        if [r["text"] for r in rows] != lines:
            raise ValueError(f"{path}: 标注与 clean/{path.stem}.txt 不一致 / labels do not match the article")
        art = Article.from_lines(lines[0], lines[1:])
        group = "_".join(path.stem.split("_")[:2])
        out.append(LabelledArticle(path.stem, group, art, [r["label"] for r in rows]))
    return out


# --- prediction without scikit-learn -------------------------------------------------------------

_WHITE = re.compile(r"\s\s+")


class CompiledLinear:
    """The fitted tf-idf + logistic-regression pipeline as plain arrays: the same probabilities
    (a test checks them against scikit-learn's) from numpy and scipy alone, so that loading the
    model does not import scikit-learn (0.9–1.6 s on the CI machine) and prediction skips its
    per-call validation."""

    def __init__(self, pipeline) -> None:
        union = pipeline.named_steps["features"]
        lr = pipeline.named_steps["model"]
        coef = lr.coef_
        self.classes = list(lr.classes_)
        self.intercept = lr.intercept_.copy()
        self.branches: list[tuple[str, dict[str, int], np.ndarray, np.ndarray]] = []
        self.flag_index: dict[str, int] = {}
        flag_columns: list[np.ndarray] = []
        offset = 0
        for name, branch in union.transformer_list:
            vec = branch.named_steps["vec"]
            if name == "flags":
                for feat, j in vec.vocabulary_.items():
                    self.flag_index[feat] = len(flag_columns)
                    flag_columns.append(coef[:, offset + j])
                offset += len(vec.vocabulary_)
                continue
            vocab = dict(vec.vocabulary_)
            if name == "chars":
                keys = np.array([_gram_key(g) for g in vocab], dtype=np.int64)
                order = np.argsort(keys)
                self.char_keys = keys[order]
                self.char_cols = np.fromiter(vocab.values(), dtype=np.int64)[order]
            cols = np.fromiter(vocab.values(), dtype=np.int64)
            idf = np.zeros(len(vocab))
            idf[cols] = vec.idf_[cols]
            weights = (coef[:, offset:offset + len(vocab)] * vec.idf_[None, :]).T.copy()  # (V, K)
            self.branches.append((name, vocab, idf, weights))
            offset += len(vocab)
        self.flag_weights = np.array(flag_columns).reshape(len(flag_columns), len(self.classes))  # (F, K)

    def predict_proba(self, rows: list[dict]) -> np.ndarray:
        from scipy import sparse

        n = len(rows)
        z = np.tile(self.intercept, (n, 1))
        for name, vocab, idf, weights in self.branches:
            if name == "chars":
                cols, tf, indptr = self._char_counts([row["text"] for row in rows])
            else:
                cols, tf, indptr = _token_counts([row[name] for row in rows], vocab)
            t = 1.0 + np.log(tf)  # sublinear tf
            x = sparse.csr_matrix((t * idf[cols], cols, np.array(indptr)), shape=(n, len(vocab)))
            norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
            x = sparse.csr_matrix((t, cols, np.array(indptr)), shape=(n, len(vocab)))
            z += np.asarray(x @ weights) / np.where(norms > 0, norms, 1.0)[:, None]
        ids, values, owners = [], [], []
        for i, row in enumerate(rows):
            for feat, value in row["flags"].items():
                j = self.flag_index.get(feat)
                if j is not None:
                    ids.append(j)
                    values.append(value)
                    owners.append(i)
        if ids:
            x = sparse.csr_matrix((values, (owners, ids)), shape=(n, len(self.flag_index)))
            z += np.asarray(x @ self.flag_weights)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _char_counts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known character 1–3-grams of every text, counted, in CSR order (columns, counts,
        row pointers): integer keys of all grams at once and one `searchsorted` into the
        vocabulary, where a dictionary lookup per gram took most of the prediction time."""
        texts = [_WHITE.sub(" ", t.lower()) for t in texts]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        line = np.repeat(np.arange(len(texts)), lengths)
        keys, owners = [cps], [line]
        for k in (2, 3):
            if len(cps) < k:
                break
            same = line[: len(cps) - k + 1] == line[k - 1:]
            key = cps[: len(cps) - k + 1].copy()
            for j in range(1, k):
                key = key << 21 | cps[j: len(cps) - k + 1 + j]
            keys.append(key[same])
            owners.append(line[: len(cps) - k + 1][same])
        key, owner = np.concatenate(keys), np.concatenate(owners)
        pos = np.searchsorted(self.char_keys, key).clip(max=len(self.char_keys) - 1)
        known = self.char_keys[pos] == key
        pair = owner[known] * (1 << 32) + self.char_cols[pos[known]]
        uniq, tf = np.unique(pair, return_counts=True)
        rows, cols = uniq >> 32, uniq & ((1 << 32) - 1)
        indptr = np.searchsorted(rows, np.arange(len(texts) + 1))
        return cols, tf.astype(float), indptr


def _token_counts(docs: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Known tokens of every document, counted, in CSR order (columns, counts, row pointers)."""
    from collections import Counter

    indptr, indices, counted = [0], [], []
    for tokens in docs:
        counts = Counter(j for j in map(vocab.get, tokens) if j is not None)
        indices.extend(counts)
        counted.extend(counts.values())
        indptr.append(len(indices))
    return np.array(indices, dtype=np.int64), np.array(counted, dtype=float), np.array(indptr)


def _gram_key(gram: str) -> int:
    """One integer per character 1-, 2- or 3-gram (21 bits a code point; the ranges of the three
    lengths cannot meet since no code point is 0)."""
    key = 0
    for c in gram:
        key = key << 21 | ord(c)
    return key


# --- the classifier ---------------------------------------------------------------------------

SMOOTHING = 0.5  # weight of the section's mean in `outline` smoothing (chosen by grouped CV)
MODEL_FILE = "section_model.pkl"
CORPUS_FILE = "section_corpus.jsonl"


class SectionClassifier:
    """Labels every paragraph of an article: `fit` on labelled articles, `predict` on articles.

    `smoothing` 0 is the plain linear model; above 0 each paragraph is pulled towards its
    section's mean probabilities (`smooth_along_outline`).
    """

    def __init__(self, smoothing: float = SMOOTHING, c: float = 4.0) -> None:
        self.smoothing = smoothing
        self.c = c

    def fit(self, articles: list[Article], labels: list[list[str]]) -> SectionClassifier:
        rows = [features(v) for a in articles for v in article_views(a)]
        y = [label for labs in labels for label in labs]
        self.pipeline_ = make_linear(self.c).fit(rows, y)
        self.scorer_ = CompiledLinear(self.pipeline_)
        self.classes_ = list(self.scorer_.classes)
        return self

    def __getstate__(self) -> dict:
        # The scikit-learn pipeline stays behind: the compiled scorer is all prediction needs.
        return {k: v for k, v in self.__dict__.items() if k != "pipeline_"}

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
            out.append([(self.classes_[k], float(part[i, k])) for i, k in enumerate(best)])
        return out


def label_article(article: Article, model: SectionClassifier | None = None) -> list[tuple[str, float]]:
    """Label an article in place (`Paragraph.label`, `.score`); return (label, score) of the
    title line and every paragraph."""
    result = (model or default_classifier()).predict(article)
    for para, (label, score) in zip(article.paragraphs, result[1:]):
        para.label, para.score = label, score
    return result


MODEL_FORMAT = 3  # bump when `CompiledLinear` or the features change


def save_model(model: SectionClassifier, path: Path) -> None:
    """Pickle the fitted model (its compiled scorer, no scikit-learn objects), atomically."""
    import pickle

    from summarizer.io.writers import atomic_write

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
        raise ModelLoadError(f"{path}: model format {found}, this version reads {MODEL_FORMAT}")
    return payload["model"]


class ModelLoadError(RuntimeError):
    """The shipped model cannot be used by this version of the package."""


def packaged_corpus() -> tuple[list[Article], list[list[str]]]:
    """The labelled articles shipped beside the model (`CORPUS_FILE`), to retrain from."""
    from importlib import resources

    raw = (resources.files("summarizer") / "data" / CORPUS_FILE).read_text(encoding="utf-8")
    articles, labels = [], []
    for line in raw.splitlines():
        row = json.loads(line)
        articles.append(Article.from_lines(row["lines"][0], row["lines"][1:]))
        labels.append(row["labels"])
    return articles, labels


_DEFAULT: SectionClassifier | None = None


def default_classifier() -> SectionClassifier:
    """The shipped model, loaded once; retrained from the shipped corpus (with a warning) when it
    cannot be loaded (missing, damaged, or written by an incompatible version)."""
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
            _DEFAULT = SectionClassifier().fit(*packaged_corpus())
    return _DEFAULT
