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
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from summarizer.clean.charsets import DECIMAL, char_table
from summarizer.clean.spans import cut_spans, matches_by_first

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
_SPACES = re.compile(r"\s\s+")


def _gram_key(gram: str) -> int:
    """An integer per 1- or 2-character gram (code points fit in 21 bits)."""
    if len(gram) == 1:
        return ord(gram)
    return (ord(gram[0]) + 1) << 21 | ord(gram[1])


class ChromeModel:
    """Probability that a line is site chrome: `fit(lines, labels)`, `predict_proba(lines)`.

    Fitting uses scikit-learn (tf-idf of character 1–2-grams + shape features, logistic
    regression). Prediction runs on the fitted weights compiled into one dictionary: the same
    numbers without scikit-learn's per-call overhead, which dominated the cleanup's run time
    (measured: 2.3 s of 3.0 s on the seeds ×10 before, see benchmarks/clean.py).
    """

    def __init__(self, C: float = 4.0) -> None:
        self.C = C

    def _features(self, lines: list[str], fit: bool = False):
        from scipy import sparse

        grams = self.vec_.fit_transform(lines) if fit else self.vec_.transform(lines)
        shape = sparse.csr_matrix(np.array([_shape(ln) for ln in lines], dtype=float))
        return sparse.hstack([grams, shape * _SHAPE_SCALE]).tocsr()

    def fit(self, lines: list[str], labels: list[int]) -> ChromeModel:
        # scikit-learn is needed to fit, not to predict: imported here to keep start-up light.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vec_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.clf_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        self.clf_.fit(self._features(lines, fit=True), labels)
        coef = self.clf_.coef_[0]
        vocab = self.vec_.vocabulary_
        idf = self.vec_.idf_
        # gram -> (idf, idf * coefficient): enough to compute the l2-normalised tf-idf score.
        return self._compile(
            {g: (float(idf[j]), float(idf[j] * coef[j])) for g, j in vocab.items()},
            [float(c) * _SHAPE_SCALE for c in coef[len(vocab):]],
            float(self.clf_.intercept_[0]),
        )

    def _compile(self, grams: dict[str, tuple[float, float]], shape_coef: list[float],
                 intercept: float) -> ChromeModel:
        self.grams_ = grams
        self.shape_coef_ = np.array(shape_coef)
        self.intercept_ = intercept
        vocab = list(grams)
        keys = np.array([_gram_key(g) for g in vocab], dtype=np.int64)
        order = np.argsort(keys)
        self.keys_ = keys[order]
        self.idf_ = np.array([grams[g][0] for g in vocab])[order]
        self.w_ = np.array([grams[g][1] for g in vocab])[order]
        return self

    def to_json(self) -> str:
        """The fitted weights, everything prediction needs."""
        return json.dumps({"C": self.C, "intercept": self.intercept_, "shape": self.shape_coef_.tolist(),
                           "grams": self.grams_}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> ChromeModel:
        data = json.loads(raw)
        grams = {g: (float(v[0]), float(v[1])) for g, v in data["grams"].items()}
        return cls(C=data["C"])._compile(grams, data["shape"], data["intercept"])

    def sklearn_proba(self, lines: list[str]) -> np.ndarray:
        """The fitted scikit-learn pipeline's probabilities (the reference for `predict_proba`)."""
        return self.clf_.predict_proba(self._features(lines))[:, 1]

    def score(self, line: str) -> float:
        """Probability that one line is chrome."""
        # The vectorizer's own preprocessing: lower case, runs of white space folded to one.
        text = _SPACES.sub(" ", line.lower())
        counts: dict[str, int] = {}
        for i in range(len(text)):
            counts[text[i]] = counts.get(text[i], 0) + 1
            if i + 1 < len(text):
                g = text[i : i + 2]
                counts[g] = counts.get(g, 0) + 1
        dot = norm = 0.0
        grams = self.grams_
        for g, tf in counts.items():
            w = grams.get(g)
            if w is not None:
                t = 1.0 + math.log(tf)
                norm += (t * w[0]) ** 2
                dot += t * w[1]
        z = self.intercept_ + (dot / math.sqrt(norm) if norm else 0.0)
        z += float(np.dot(self.shape_coef_, _shape(line)))
        return 1.0 / (1.0 + math.exp(-z))

    # Lines remembered per model: the same navigation, download and copyright lines come back
    # on every page of a site, and titles and headings repeat within a page. Bounded so that
    # memory stays flat on any archive (cleared when full).
    CACHE_MAX = 50_000

    def predict_proba(self, lines: list[str]) -> np.ndarray:
        """Probabilities for many lines at once; lines seen before come from a cache, the others
        are scored together (`_predict`). A line's probability does not depend, to the last
        bit, on the lines scored with it: every step of `_predict` is elementwise or a sum over
        one line's grams in a fixed order (a test checks it)."""
        if not lines:
            return np.zeros(0)
        cache = self.__dict__.setdefault("_cache", {})
        new = list(dict.fromkeys(ln for ln in lines if ln not in cache))
        if new:
            if len(cache) + len(new) > self.CACHE_MAX:
                cache.clear()
                new = list(dict.fromkeys(lines))
            cache.update(zip(new, self._predict(new).tolist()))
        return np.array([cache[ln] for ln in lines], dtype=float)

    def _gram_tables(self) -> tuple[np.ndarray, np.ndarray | None, int]:
        """Where a gram is in `keys_`, by table: for a character, by code point (-1: not in the
        vocabulary; 4 MB); for a pair of characters, by the two characters' places among the
        single characters (a dense square of (1,391 + 1)² entries, 8 MB, -1: not a gram), and
        how many of `keys_` are characters. Every character of a pair gram is a gram itself (the
        vectorizer counted both in the line it took the pair from), else the square is None and
        pairs are found by binary search. Built on first use, not kept in the model cache.
        Looking up the pairs of 400 pages of new lines by binary search took 0.20 s of the
        chrome step's 1.27 s; by the square, ~0.01 s."""
        found = self.__dict__.get("_tables")
        if found is None:
            n_uni = int(np.searchsorted(self.keys_, 1 << 21))
            table = np.full(sys.maxunicode + 1, -1, dtype=np.int32)
            table[self.keys_[:n_uni]] = np.arange(n_uni)
            pairs = self.keys_[n_uni:]
            first, second = table[(pairs >> 21) - 1], table[pairs & ((1 << 21) - 1)]
            square = None
            if (first >= 0).all() and (second >= 0).all():
                square = np.full((n_uni + 1) ** 2, -1, dtype=np.int32)
                square[first.astype(np.int64) * (n_uni + 1) + second] = np.arange(n_uni, len(self.keys_))
            found = self.__dict__["_tables"] = (table, square, n_uni)
        return found

    def _predict(self, lines: list[str]) -> np.ndarray:
        """Probabilities for many lines at once, vectorised over all their n-grams."""
        texts = [_SPACES.sub(" ", ln.lower()) for ln in lines]
        lengths = np.array([len(t) for t in texts])
        cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        line_of = np.repeat(np.arange(len(texts)), lengths)
        same = line_of[:-1] == line_of[1:]
        bi_lines = line_of[:-1][same]
        # A gram's index in `keys_` (`_gram_tables`): the pairs follow the characters there.
        unigrams, square, n_uni = self._gram_tables()
        uni_pos = np.take(unigrams, cps)
        known_uni = uni_pos >= 0
        if square is not None:
            ids = np.where(known_uni, uni_pos, n_uni).astype(np.int64)
            bi_pos = square[(ids[:-1] * (n_uni + 1) + ids[1:])[same]]
            known_bi = bi_pos >= 0
        else:
            bi_keys = ((cps[:-1] + 1) << 21 | cps[1:])[same]
            bigrams = self.keys_[n_uni:]
            bi_pos = np.minimum(np.searchsorted(bigrams, bi_keys), max(len(bigrams) - 1, 0))
            known_bi = bigrams[bi_pos] == bi_keys if len(bigrams) else np.zeros(len(bi_keys), dtype=bool)
            bi_pos = bi_pos + n_uni
        pair = np.sort(np.concatenate([line_of[known_uni] * (1 << 43) + uni_pos[known_uni],
                                       bi_lines[known_bi] * (1 << 43) + bi_pos[known_bi]]))
        # `np.unique(pair, return_counts=True)` without its wrappers, a third of the cost of the
        # one or two new lines a page usually brings.
        bounds = np.empty(len(pair) + 1, dtype=bool)  # where a run of equal keys starts or ends
        bounds[0] = bounds[-1] = True
        np.not_equal(pair[1:], pair[:-1], out=bounds[1:-1])
        edges = np.flatnonzero(bounds)
        uniq, tf = pair[edges[:-1]], edges[1:] - edges[:-1]
        line_idx = uniq >> 43
        gram_idx = uniq & ((1 << 43) - 1)
        t = 1.0 + np.log(tf)
        n = len(texts)
        dot = np.bincount(line_idx, weights=t * self.w_[gram_idx], minlength=n)
        norm = np.sqrt(np.bincount(line_idx, weights=(t * self.idf_[gram_idx]) ** 2, minlength=n))
        z = self.intercept_ + np.divide(dot, norm, out=np.zeros(n), where=norm > 0)
        # The shape term summed feature by feature in a fixed order, not as a matrix product:
        # BLAS sums a row in an order that depends on the number of rows, so a line's score
        # changed in the last bit with the lines scored beside it (and cached scores with the
        # order pages came in). A running sum along each row is that order in one call.
        z += np.cumsum(_shapes(lines) * self.shape_coef_, axis=1)[:, -1]
        return 1.0 / (1.0 + np.exp(-z))


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
