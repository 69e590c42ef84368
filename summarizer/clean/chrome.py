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
import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

_PAGE_COUNTER = re.compile(
    r"第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页[。.]?"
    r"|已阅读\s*\d+\s*页[，,]\s*还剩\s*\d+\s*页未读[，,]?\s*继续(?:免费)?阅读"
)
_TERMINAL = re.compile(r"[。！？；!?;]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]?|[^。！？!?]+$")

EDGE_THRESHOLD = 0.7
INNER_THRESHOLD = 0.9


def remove_page_counters(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Remove page counters wherever they stand; returns (text, counts, removed pieces)."""
    removed = _PAGE_COUNTER.findall(text)
    if not removed:
        return text, {"chrome_removed": 0}, []
    return _PAGE_COUNTER.sub("", text), {"chrome_removed": len(removed)}, removed


def _shape(line: str) -> list[float]:
    n = len(line)
    return [
        math.log1p(n) / 6,
        1.0 if n <= 6 else 0.0,
        1.0 if _TERMINAL.search(line) else 0.0,
        sum(c.isdigit() for c in line) / max(n, 1),
        sum(c.isascii() and c.isalpha() for c in line) / max(n, 1),
        1.0 if line[:1] in "•·●▪►>|" else 0.0,
        1.0 if re.match(r"^[^：:]{1,6}[：:]", line) else 0.0,
        1.0 if line[:1] in "[【" and line[-1:] in "]】" else 0.0,
    ]


class ChromeModel:
    """Probability that a line is site chrome: `fit(lines, labels)`, `predict_proba(lines)`."""

    def __init__(self, C: float = 4.0) -> None:
        self.C = C

    def _features(self, lines: list[str], fit: bool = False):
        grams = self.vec_.fit_transform(lines) if fit else self.vec_.transform(lines)
        shape = sparse.csr_matrix(np.array([_shape(ln) for ln in lines], dtype=float))
        return sparse.hstack([grams, shape * 2.0]).tocsr()

    def fit(self, lines: list[str], labels: list[int]) -> ChromeModel:
        self.vec_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.clf_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        self.clf_.fit(self._features(lines, fit=True), labels)
        return self

    def predict_proba(self, lines: list[str]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        return self.clf_.predict_proba(self._features(lines))[:, 1]


def training_data() -> tuple[list[str], list[int]]:
    """The labelled lines shipped with the package."""
    ref = resources.files("summarizer") / "data" / "chrome_lines.tsv"
    with ref.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["line"] for r in rows], [1 if r["label"] == "chrome" else 0 for r in rows]


@lru_cache(maxsize=1)
def default_model() -> ChromeModel:
    """The model trained on the shipped lines, once per process (training takes ~0.1 s)."""
    lines, labels = training_data()
    return ChromeModel().fit(lines, labels)


def remove_chrome_lines(
    lines: list[str], model: ChromeModel | None = None
) -> tuple[list[str], dict[str, int], list[str]]:
    """Drop chrome lines of one article; returns (kept lines, counts, removed lines).

    The first two and last four lines are judged at `EDGE_THRESHOLD`, the rest at
    `INNER_THRESHOLD`. In the first and last line, a chrome sentence (`下面是小编…希望大家喜欢`)
    is removed on its own when the rest of the line is text.
    """
    model = model or default_model()
    if not lines:
        return [], {"chrome_removed": 0}, []
    proba = model.predict_proba(lines)
    kept: list[str] = []
    removed: list[str] = []
    n = len(lines)
    for i, (line, p) in enumerate(zip(lines, proba)):
        edge = i < 2 or i >= n - 4
        if p >= (EDGE_THRESHOLD if edge else INNER_THRESHOLD):
            removed.append(line)
        else:
            kept.append(line)
    for pos in {0, len(kept) - 1}:
        if 0 <= pos < len(kept):
            kept[pos], cut = _remove_chrome_sentences(kept[pos], model)
            removed.extend(cut)
    kept = [ln for ln in kept if ln]
    return kept, {"chrome_removed": len(removed)}, removed


def _remove_chrome_sentences(line: str, model: ChromeModel) -> tuple[str, list[str]]:
    sentences = [s for s in _SENTENCE.findall(line) if s]
    if len(sentences) < 2:
        return line, []
    proba = model.predict_proba(sentences)
    cut = [s for s, p in zip(sentences, proba) if p >= INNER_THRESHOLD]
    if not cut:
        return line, []
    return "".join(s for s, p in zip(sentences, proba) if p < INNER_THRESHOLD), cut
