"""Site chrome: navigation, download/copyright/comment widgets, `小编` blurbs, page counters.

Rather than one pattern per site, a line classifier is learned from labelled lines
(`summarizer/data/chrome_lines.tsv`, built by `corpus/build_chrome_lines.py`): character n-grams
carry the chrome vocabulary (下载, 文档, 本站, 评论, 小编 …), and shape features carry what the
vocabulary cannot (short lines without sentence punctuation, counters, bullets, `键：值` lines).
Lines at the top and bottom of an article are judged with a lower threshold, since that is where
chrome sits. Page counters glued into text (`第5页共5页`) are the one inline pattern.
"""

from __future__ import annotations

import csv
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from summarizer.clean.charsets import DECIMAL, char_table
from summarizer.clean.spans import cut_spans, matches_by_first
from summarizer.text.linear import CompiledLinear

_PAGE_COUNTERS = (  # `第5页共5页`, `已阅读5页，还剩…页未读，继续阅读`, by first character
    ("第", re.compile(r"第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页[。.]?")),
    ("已", re.compile(r"已阅读\s*\d+\s*页[，,]\s*还剩\s*\d+\s*页未读[，,]?\s*继续(?:免费)?阅读")),
)
_TERMINALS = "。！？；!?;"
_TERMINAL = re.compile(f"[{_TERMINALS}]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]?|[^。！？!?]+$")

EDGE_THRESHOLD = 0.7
INNER_THRESHOLD = 0.9
EDGE_MAX = 400  # longest line judged at an article's edge
INNER_MAX = 160  # longest line judged inside an article


def remove_page_counters(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Remove page counters wherever they stand; returns (text, counts, removed pieces).

    One pattern per kind of counter, each beginning with a plain character (the regex engine
    scans for a character ten times faster than for a class or an alternation); neither kind
    holds the other's first character, so their matches in the page never overlap, and all
    are cut at once. Every counter holds 页: a page without it is not scanned."""
    if "页" not in text:
        return text, {"chrome_removed": 0}, []
    text, removed = cut_spans(text, [m.span() for m in matches_by_first(text, _PAGE_COUNTERS)])
    return text, {"chrome_removed": len(removed)}, removed


# The characters the shape features look at; `_shape` (one line) and `_shapes` (a batch) share them.
_LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_COLONS = "：:"
_BULLETS = "•·●▪►>|"
_OPEN_BRACKETS, _CLOSE_BRACKETS = "[【", "]】"
_DIGIT = re.compile(r"\d")
_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_KEY_VALUE = re.compile(f"^[^{_COLONS}]{{1,6}}[{_COLONS}]")


def _shape(line: str) -> list[float]:
    n = len(line)
    return [
        math.log1p(n) / 6,
        1.0 if n <= 6 else 0.0,
        1.0 if _TERMINAL.search(line) else 0.0,
        len(_DIGIT.findall(line)) / max(n, 1),
        len(_LATIN.findall(line)) / max(n, 1),
        1.0 if line[:1] in _BULLETS else 0.0,
        1.0 if _KEY_VALUE.match(line) else 0.0,
        1.0 if line[:1] in _OPEN_BRACKETS and line[-1:] in _CLOSE_BRACKETS else 0.0,
    ]


_LOG1P_BY_LENGTH = np.zeros(0)  # math.log1p(n) / 6 by n, grown as needed


_TERMINAL_CHARS = char_table(_TERMINALS)
_LATIN_CHARS = char_table(_LATIN_LETTERS)
_COLON_CHARS = char_table(_COLONS)
_FIRST_CHARS = char_table(_BULLETS)
_OPEN_CHARS, _CLOSE_CHARS = char_table(_OPEN_BRACKETS), char_table(_CLOSE_BRACKETS)


def _shapes(lines: list[str]) -> np.ndarray:
    """`_shape` of every line, as rows of one array, computed over the code points of all lines
    at once; the same numbers to the last bit (log1p from a table of `math.log1p`, counts and
    comparisons exact). Scoring a page's lines called `_shape` per line: 6 µs a line, a sixth
    of the chrome step on an archive without repeated lines."""
    global _LOG1P_BY_LENGTH
    if len(lines) >= 32:
        cps = np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(lines) < 32 or (cps > 0xFFFF).any():  # the tables cover the BMP only
        return np.array([_shape(ln) for ln in lines], dtype=float).reshape(len(lines), 8)
    n = np.array([len(ln) for ln in lines], dtype=np.int64)
    line_of = np.repeat(np.arange(len(lines)), n)
    starts = np.cumsum(n) - n
    if int(n.max()) >= len(_LOG1P_BY_LENGTH):
        _LOG1P_BY_LENGTH = np.array([math.log1p(k) / 6 for k in range(max(2 * int(n.max()), 512))])

    def count(table: np.ndarray) -> np.ndarray:
        return np.bincount(line_of[table[cps]], minlength=len(lines))

    empty = n == 0
    first = cps[np.minimum(starts, max(len(cps) - 1, 0))] if len(cps) else np.zeros(len(lines), dtype=np.uint32)
    last = cps[np.maximum(starts + n - 1, 0)] if len(cps) else np.zeros(len(lines), dtype=np.uint32)
    colons = np.flatnonzero(_COLON_CHARS[cps])
    first_colon = np.full(len(lines), -1, dtype=np.int64)
    # The first colon of each line: colons come in text order, so a line's first is where the
    # owning line changes (no sort, as `np.unique` would do).
    owner = line_of[colons]
    head = np.ones(len(owner), dtype=bool)
    np.not_equal(owner[1:], owner[:-1], out=head[1:])
    first_colon[owner[head]] = colons[head] - starts[owner[head]]
    width = np.maximum(n, 1)
    return np.column_stack([
        _LOG1P_BY_LENGTH[n],
        (n <= 6).astype(float),
        (count(_TERMINAL_CHARS) > 0).astype(float),
        count(DECIMAL) / width,
        count(_LATIN_CHARS) / width,
        (empty | (~empty & _FIRST_CHARS[first])).astype(float),
        ((first_colon >= 1) & (first_colon <= 6)).astype(float),
        (empty | (~empty & _OPEN_CHARS[first] & _CLOSE_CHARS[last])).astype(float),
    ])


_SHAPE_SCALE = 2.0


def shape_features(lines: list[str]) -> np.ndarray:
    """The shape features of every line, scaled to weigh like the n-grams (the dense branch of
    the chrome pipeline)."""
    return _shapes(lines) * _SHAPE_SCALE


class ChromeModel:
    """Probability that a line is site chrome: `fit(lines, labels)`, `predict_proba(lines)`.

    A scikit-learn pipeline (tf-idf of character 1–2-grams + shape features, logistic
    regression) fitted once and compiled into arrays (`summarizer.text.linear`): the same numbers
    without scikit-learn's import and per-call overhead, which dominated the cleanup's run time.
    """

    def __init__(self, C: float = 4.0) -> None:
        self.C = C

    def fit(self, lines: list[str], labels: list[int]) -> ChromeModel:
        # scikit-learn is needed to fit, not to predict: imported here to keep start-up light.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.preprocessing import FunctionTransformer

        union = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("shape", FunctionTransformer(shape_features)),
        ])
        self.pipeline_ = Pipeline([("features", union), ("model", LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=2000))]).fit(lines, labels)
        self.compiled_ = CompiledLinear.from_pipeline(self.pipeline_)
        return self

    def __getstate__(self) -> dict:
        # What prediction needs: the compiled weights (no scikit-learn objects, no cache).
        return {"C": self.C, "compiled_": self.compiled_}

    def to_json(self) -> str:
        """The fitted weights, everything prediction needs."""
        return json.dumps({"C": self.C, "compiled": self.compiled_.to_dict()}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> ChromeModel:
        data = json.loads(raw)
        model = cls(C=data["C"])
        model.compiled_ = CompiledLinear.from_dict(data["compiled"])
        return model

    # Lines remembered per model: the same navigation, download and copyright lines come back
    # on every page of a site, and titles and headings repeat within a page. Bounded so that
    # memory stays flat on any archive (cleared when full).
    CACHE_MAX = 50_000

    def predict_proba(self, lines: list[str]) -> np.ndarray:
        """Probabilities for many lines at once; lines seen before come from a cache, the others
        are scored together. A line's probability does not depend, to the last bit, on the
        lines scored with it (every step of the compiled model is elementwise or a sum over one
        line's features in a fixed order; a test checks it)."""
        if not lines:
            return np.zeros(0)
        cache = self.__dict__.setdefault("_cache", {})
        new = list(dict.fromkeys(ln for ln in lines if ln not in cache))
        if new:
            if len(cache) + len(new) > self.CACHE_MAX:
                cache.clear()
                new = list(dict.fromkeys(lines))
            cache.update(zip(new, self.compiled_.predict_proba(new)[:, 1].tolist()))
        return np.array([cache[ln] for ln in lines], dtype=float)


def training_data() -> tuple[list[str], list[int]]:
    """The labelled lines shipped with the package."""
    ref = resources.files("summarizer") / "data" / "chrome_lines.tsv"
    with ref.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["line"] for r in rows], [1 if r["label"] == "chrome" else 0 for r in rows]


MODEL_FILE = "chrome_model.json"


@lru_cache(maxsize=1)
def default_model() -> ChromeModel:
    """The model fitted on the shipped lines, loaded from its shipped weights (`MODEL_FILE`,
    written by `corpus/build_chrome_lines.py`; a test checks it matches a fresh fit): loading
    takes 80 ms where importing scikit-learn and fitting took 1.3 s in every process, and the
    compiled model from the per-user cache (`summarizer.io.cache`) ~5 ms."""
    from summarizer.io.cache import cached

    path = Path(str(resources.files("summarizer") / "data" / MODEL_FILE))
    return cached("chrome", [path, Path(__file__), np.__version__],
                  lambda: ChromeModel.from_json(path.read_text(encoding="utf-8")))


def fit_default() -> ChromeModel:
    """Fit the model on the shipped labelled lines."""
    lines, labels = training_data()
    return ChromeModel().fit(lines, labels)


def remove_chrome_lines(
    lines: list[str], model: ChromeModel | None = None
) -> tuple[list[str], dict[str, int], list[str]]:
    """Drop the chrome lines of one article; see `remove_chrome`."""
    kept, counts, removed = remove_chrome([lines], model)
    return kept[0], counts, removed


def remove_chrome(
    articles: list[list[str]], model: ChromeModel | None = None
) -> tuple[list[list[str]], dict[str, int], list[str]]:
    """Drop chrome lines from each article's lines; returns (kept lines, counts, removed lines).

    In each article, the first two and last four lines are judged at `EDGE_THRESHOLD`, the rest
    at `INNER_THRESHOLD`; lines longer than `EDGE_MAX` / `INNER_MAX` are text (chrome is short
    or sits at an edge, and skipping long paragraphs keeps the step cheap). In the first and
    last line, a chrome sentence (`下面是小编…希望大家喜欢`) is removed on its own when the rest
    of the line is text. All the lines of all articles are scored in one vectorised call.
    """
    model = model or default_model()
    # (article, line) of every judged line, its text and its threshold. Edge lines first and
    # inner lines after, article by article: the order of scoring does not change a score.
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    thresholds: list[float] = []
    for a, lines in enumerate(articles):
        n = len(lines)
        edges = sorted({*range(min(2, n)), *range(max(0, n - 4), n)})
        edge_ok = [i for i in edges if len(lines[i]) <= EDGE_MAX]
        inner_ok = [i for i in range(2, n - 4) if len(lines[i]) <= INNER_MAX]
        where.extend((a, i) for i in edge_ok)
        where.extend((a, i) for i in inner_ok)
        texts.extend(lines[i] for i in edge_ok)
        texts.extend(lines[i] for i in inner_ok)
        thresholds.extend([EDGE_THRESHOLD] * len(edge_ok) + [INNER_THRESHOLD] * len(inner_ok))
    proba = model.predict_proba(texts)
    drop: dict[int, set[int]] = {}
    for j in np.flatnonzero(proba >= np.array(thresholds)).tolist():
        a, i = where[j]
        drop.setdefault(a, set()).add(i)
    removed: list[str] = []
    kept_all: list[list[str]] = []
    for a, lines in enumerate(articles):
        cut = drop.get(a)
        if cut is None:  # most articles: nothing to drop
            kept_all.append(list(lines))
            continue
        kept = []
        for i, line in enumerate(lines):
            (removed if i in cut else kept).append(line)
        kept_all.append(kept)
    # Chrome sentences at the edges, scored together too.
    spots = [(a, pos) for a, kept in enumerate(kept_all) for pos in sorted({0, len(kept) - 1})
             if 0 <= pos < len(kept) and len(kept[pos]) <= EDGE_MAX]
    sentences = [[s for s in _SENTENCE.findall(kept_all[a][pos]) if s] for a, pos in spots]
    flat = [s for group in sentences if len(group) >= 2 for s in group]
    flat_p = iter(model.predict_proba(flat))
    for (a, pos), group in zip(spots, sentences):
        if len(group) < 2:
            continue
        probs = [next(flat_p) for _ in group]
        cut = [s for s, p in zip(group, probs) if p >= INNER_THRESHOLD]
        if cut:
            kept_all[a][pos] = "".join(s for s, p in zip(group, probs) if p < INNER_THRESHOLD)
            removed.extend(cut)
    kept_all = [[ln for ln in kept if ln] for kept in kept_all]
    return kept_all, {"chrome_removed": len(removed)}, removed
