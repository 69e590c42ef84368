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
from summarizer.clean.furniture import SENTENCE_ENDS, edges
from summarizer.clean.paragraphs import table_rows
from summarizer.text.linear import CompiledLinear
from summarizer.text.spans import cut_spans, matches_by_first

_PAGE_COUNTERS = (  # `第5页共5页`, `已阅读5页，还剩…页未读，继续阅读`, by first character
    ("第", re.compile(r"第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页[。.]?")),
    ("已", re.compile(r"已阅读\s*\d+\s*页[，,]\s*还剩\s*\d+\s*页未读[，,]?\s*继续(?:免费)?阅读")),
)
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]?|[^。！？!?]+$")

EDGE_THRESHOLD = 0.7
INNER_THRESHOLD = 0.9
SENTENCE_THRESHOLD = 0.8  # a sentence at either end of a paragraph
SUSPECT_THRESHOLD = 0.2  # a sentence of a line judged chrome: kept only when it reads clearly as text
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


# The characters the shape features look at.
_LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_COLONS = "：:"
_BULLETS = "•·●▪►>|"
_OPEN_BRACKETS, _CLOSE_BRACKETS = "[【", "]】"

_LOG1P_BY_LENGTH = np.zeros(0)  # math.log1p(n) / 6 by n, grown as needed


_TERMINAL_CHARS = char_table(SENTENCE_ENDS)
_LATIN_CHARS = char_table(_LATIN_LETTERS)
_COLON_CHARS = char_table(_COLONS)
_FIRST_CHARS = char_table(_BULLETS)
_OPEN_CHARS, _CLOSE_CHARS = char_table(_OPEN_BRACKETS), char_table(_CLOSE_BRACKETS)
_BEYOND = 0xFFFF  # code points beyond the BMP are looked up here: in no table but the digits


def line_shapes(lines: list[str]) -> np.ndarray:
    """The shape features of every line, one row each, computed over the code points of all
    lines at once: log length, short (≤ 6), holds a sentence end, share of digits (what `\\d`
    matches), share of Latin letters, starts with a bullet (or is empty), a `键：值` colon within
    the first seven characters, bracketed (`【…】`, or empty)."""
    global _LOG1P_BY_LENGTH
    cps = np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = np.array([len(ln) for ln in lines], dtype=np.int64)
    line_of = np.repeat(np.arange(len(lines)), n)
    starts = np.cumsum(n) - n
    if len(lines) and int(n.max()) >= len(_LOG1P_BY_LENGTH):
        _LOG1P_BY_LENGTH = np.array([math.log1p(k) / 6 for k in range(max(2 * int(n.max()), 512))])
    beyond = cps > _BEYOND
    digits = DECIMAL[np.minimum(cps, _BEYOND)]
    if beyond.any():  # rare: the digits beyond the BMP (`𝟎`) are asked of Python
        digits[beyond] = [chr(c).isdecimal() for c in cps[beyond].tolist()]
        cps = np.minimum(cps, _BEYOND)

    def count(flags: np.ndarray) -> np.ndarray:
        return np.bincount(line_of[flags], minlength=len(lines))

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
        _LOG1P_BY_LENGTH[n] if len(lines) else np.zeros(0),
        (n <= 6).astype(float),
        (count(_TERMINAL_CHARS[cps]) > 0).astype(float),
        count(digits) / width,
        count(_LATIN_CHARS[cps]) / width,
        (empty | (~empty & _FIRST_CHARS[first])).astype(float),
        ((first_colon >= 1) & (first_colon <= 6)).astype(float),
        (empty | (~empty & _OPEN_CHARS[first] & _CLOSE_CHARS[last])).astype(float),
    ]).reshape(len(lines), 8)


_SHAPE_SCALE = 2.0


def shape_features(lines: list[str]) -> np.ndarray:
    """The shape features of every line, scaled to weigh like the n-grams (the dense branch of
    the chrome pipeline)."""
    return line_shapes(lines) * _SHAPE_SCALE


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
        pipeline = Pipeline([("features", union), ("model", LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=2000))]).fit(lines, labels)
        # Only the compiled weights are kept: one way to score a line, the one every caller uses.
        self.compiled_ = CompiledLinear.from_pipeline(pipeline)
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
    weights spares every process scikit-learn's import and a fit, and the compiled model comes
    from the per-user cache (`summarizer.io.cache`) after the first run."""
    from summarizer.io.cache import cached

    path = Path(str(resources.files("summarizer") / "data" / MODEL_FILE))
    return cached("chrome", [path, Path(__file__), np.__version__],
                  lambda: ChromeModel.from_json(path.read_text(encoding="utf-8")))


def fit_default(extra: list[tuple[str, str]] = ()) -> ChromeModel:
    """Fit the model on the shipped labelled lines and `extra` (label, line) rows: the build
    script adds lines it reads from `../shared/corpus`, which the package does not ship."""
    lines, labels = training_data()
    lines += [line for _, line in extra]
    labels += [1 if label == "chrome" else 0 for label, _ in extra]
    return ChromeModel().fit(lines, labels)


def remove_chrome(
    articles: list[list[str]], model: ChromeModel | None = None
) -> tuple[list[list[str]], dict[str, int], list[tuple[int, str]]]:
    """Drop chrome lines, and chrome sentences at the ends of paragraphs, from each article's
    lines; returns (kept lines, counts, removed lines and sentences with the index of the
    article each stood in).

    In each article, the lines at its edges (`summarizer.clean.furniture.edges`: the first
    two, the last four, and the runs of lines above its first paragraph of prose and below its
    last) are judged at `EDGE_THRESHOLD`, the rest at `INNER_THRESHOLD`; lines longer than
    `EDGE_MAX` / `INNER_MAX` are text (chrome is short or sits at an edge, and skipping long
    paragraphs keeps the step cheap). Table rows (`summarizer.clean.paragraphs.table_rows`) are
    content and never judged. Then in every kept
    paragraph of two sentences or more, a run of chrome sentences at its start or its end
    (`以下是小编收集整理的…，欢迎阅读与收藏。`, `点击查看更多…`) is cut out and the rest kept,
    see `_cut_chrome_sentences`. All the lines of all articles are scored in one vectorised call.
    """
    model = model or default_model()
    # (article, line) of every judged line, its text and its threshold. Edge lines first and
    # inner lines after, article by article: the order of scoring does not change a score.
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    thresholds: list[float] = []
    tables: list[set[int]] = []
    for a, lines in enumerate(articles):
        n = len(lines)
        joined = "".join(lines)  # most articles hold no pipe: no table, decided without a call
        rows = table_rows(lines) if "|" in joined or "｜" in joined else set()
        tables.append(rows)
        head, tail, _ = edges(lines)
        edge_ok = [i for i in (*range(head), *range(tail, n)) if len(lines[i]) <= EDGE_MAX and i not in rows]
        inner_ok = [i for i in range(head, tail) if len(lines[i]) <= INNER_MAX and i not in rows]
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
    removed: list[tuple[int, str]] = []
    kept_all: list[list[str]] = []
    kept_rows: list[set[int]] = []
    suspects: list[set[int]] = []
    for a, lines in enumerate(articles):
        cut = drop.get(a, ())
        kept: list[str] = []
        rows: set[int] = set()
        suspect: set[int] = set()
        for i, line in enumerate(lines):
            if i in cut and _SENTENCE_END.search(line, 0, len(line) - 1) is None:
                removed.append((a, line))
                continue
            if i in cut:  # several sentences: judged one by one, the text among them kept
                suspect.add(len(kept))
            elif i in tables[a]:
                rows.add(len(kept))
            kept.append(line)
        kept_all.append(kept)
        kept_rows.append(rows)
        suspects.append(suspect)
    removed.extend(_cut_chrome_sentences(kept_all, kept_rows, suspects, model))
    kept_all = [[ln for ln in kept if ln] for kept in kept_all]
    return kept_all, {"chrome_removed": len(removed)}, removed


SENTENCES_JUDGED = 2  # sentences judged at each end of a paragraph
EDGE_PARAGRAPHS = 4  # paragraphs judged sentence by sentence at each end of an article
SENTENCE_MAX = 100  # longest sentence judged: site sentences are short, and scoring is by length
_SENTENCE_END = re.compile("[。！？!?]")


def _sentence_ends(line: str) -> list[int]:
    """Where the sentences of a line end (after their closing marks), the last at `len(line)`."""
    return [m.end() for m in _SENTENCE.finditer(line) if m.end() > m.start()]


def _cut_chrome_sentences(kept_all: list[list[str]], rows: list[set[int]], suspects: list[set[int]],
                          model: ChromeModel) -> list[tuple[int, str]]:
    """Cut the chrome sentences at the start and the end of the paragraphs, in place; returns
    them with their article's index. Site lead-ins open or close the first real paragraph (`…工作开展情况。以下是小编收集
    整理的学校帮扶支教工作总结，欢迎阅读与收藏。`), so judging lines alone keeps them. Site
    sentences sit where the site joined its text to the author's: in the first and last
    `EDGE_PARAGRAPHS` paragraphs of an article (page counters glued anywhere are cut by
    `remove_page_counters`). In each of those paragraphs that holds two sentences or more (not
    a table row), the sentences are peeled from each end while they are chrome, up to
    `SENTENCES_JUDGED` from each end: the first and last sentence of every such paragraph are
    scored together, then the next ones in from a chrome end, and so on. A sentence longer than
    `SENTENCE_MAX` is text. The `suspects` (lines of several sentences the line model judged
    chrome) are peeled wherever they stand, every sentence and of any length, at
    `SUSPECT_THRESHOLD`: a line whose chrome vocabulary outweighs a body sentence
    (`资源描述：…。以下是小编…。本学期，我校…`) keeps the body sentence, a site blurb of
    several sentences (`计划的内容远比形式来的重要。…希望大家喜欢！`) goes whole. A paragraph goes whole only when every one of its sentences was
    judged chrome. Only a paragraph with a sentence end before its last character can hold two
    sentences: most headings and short lines are passed over without a call."""
    # article, line, sentence bounds, [head, tail): the sentences not (yet) found to be chrome
    spots: list[list] = []
    for a, kept in enumerate(kept_all):
        n = len(kept)
        edges = {*range(min(EDGE_PARAGRAPHS, n)), *range(max(0, n - EDGE_PARAGRAPHS), n)}
        for i in sorted(edges | suspects[a]):
            line = kept[i]
            if i in rows[a] or _SENTENCE_END.search(line, 0, len(line) - 1) is None:
                continue
            ends = _sentence_ends(line)
            if len(ends) >= 2:
                bounds = list(zip([0, *ends[:-1]], ends))
                # A suspect is peeled to the end, whatever the length of its sentences.
                limit = ((len(bounds), len(line), SUSPECT_THRESHOLD) if i in suspects[a]
                         else (SENTENCES_JUDGED, SENTENCE_MAX, SENTENCE_THRESHOLD))
                spots.append([a, i, bounds, 0, len(bounds), limit])
    # Each round judges, in every paragraph still open, the sentence at each end that has not
    # been judged; an end stays open while its sentences are chrome.
    open_heads, open_tails = list(spots), list(spots)
    for round_ in range(max((s[5][0] for s in spots), default=0)):
        asks: list[tuple[list, bool]] = []
        texts: list[str] = []
        for spot in open_heads:
            a, i, bounds, head, tail, (rounds, longest, _) = spot
            start, end = bounds[head]
            if head < tail and round_ < rounds and end - start <= longest:
                asks.append((spot, True))
                texts.append(kept_all[a][i][start:end].strip())
        for spot in open_tails:
            a, i, bounds, head, tail, (rounds, longest, _) = spot
            start, end = bounds[tail - 1]
            if head < tail and round_ < rounds and end - start <= longest:
                asks.append((spot, False))
                texts.append(kept_all[a][i][start:end].strip())
        if not texts:
            break
        open_heads, open_tails = [], []
        for (spot, at_head), p in zip(asks, model.predict_proba(texts).tolist()):
            if p < spot[5][2] or spot[3] >= spot[4]:
                continue
            if at_head:
                spot[3] += 1
                open_heads.append(spot)
            else:
                spot[4] -= 1
                open_tails.append(spot)
    removed: list[tuple[int, str]] = []
    for a, i, bounds, head, tail, _ in spots:
        if head == 0 and tail == len(bounds):
            continue
        line = kept_all[a][i]
        removed.extend((a, line[start:end].strip()) for start, end in [*bounds[:head], *bounds[max(head, tail):]])
        kept_all[a][i] = line[bounds[head][0]:bounds[tail - 1][1]].strip() if head < tail else ""
    return removed
