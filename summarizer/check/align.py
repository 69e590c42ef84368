"""Passage alignment: the stretches two normalised texts share, character by character.

A match is at least `min_len` consecutive agreeing characters (13 by default, the rule Chinese
plagiarism checkers use). Exact runs are found from shared `min_len`-grams (every run of that
length contains one) grouped by diagonal, all in numpy; runs then merge across small gaps
(`max_gap` characters on either side, the two gaps differing by at most `max_skew`), so that one
copied paragraph with a word changed or a clause inserted is one passage, not three.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarizer.clean.minhash import codepoints, shingle_hashes

MIN_LEN = 13
MAX_GAP = 10
MAX_SKEW = 4
MAX_REPEATS = 40  # a gram found more often than this in the source is formulaic: no seed


@dataclass(frozen=True)
class Passage:
    """Normalised `a[a_start:a_end]` aligned with `b[b_start:b_end]`; `agree` characters equal."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    agree: int

    @property
    def similarity(self) -> float:
        return self.agree / max(self.a_end - self.a_start, self.b_end - self.b_start)


def exact_runs(a: str, b: str, min_len: int = MIN_LEN) -> list[tuple[int, int, int]]:
    """Maximal exact common runs of length ≥ `min_len`: (a_start, b_start, length), by a_start."""
    if len(a) < min_len or len(b) < min_len:
        return []
    ha = shingle_hashes(codepoints(a), min_len)
    hb = shingle_hashes(codepoints(b), min_len)
    order = np.argsort(hb, kind="stable")
    sorted_b = hb[order]
    lo = np.searchsorted(sorted_b, ha, side="left")
    hi = np.searchsorted(sorted_b, ha, side="right")
    count = hi - lo
    count[count > MAX_REPEATS] = 0
    if not count.any():
        return []
    ai = np.repeat(np.arange(len(ha)), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    bj = order[np.repeat(lo, count) + offsets]
    diag = bj - ai
    sort = np.lexsort((ai, diag))
    ai, diag = ai[sort], diag[sort]
    new_run = np.ones(len(ai), dtype=bool)
    new_run[1:] = (diag[1:] != diag[:-1]) | (ai[1:] != ai[:-1] + 1)
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], len(ai)) - 1
    runs = []
    for s, e in zip(starts.tolist(), ends.tolist()):
        a0, length = int(ai[s]), int(ai[e] - ai[s]) + min_len
        b0 = a0 + int(diag[s])
        if a[a0:a0 + length] == b[b0:b0 + length]:  # hash collisions are astronomically rare; be sure
            runs.append((a0, b0, length))
    runs.sort()
    return runs


def align(a: str, b: str, min_len: int = MIN_LEN, max_gap: int = MAX_GAP, max_skew: int = MAX_SKEW
          ) -> list[Passage]:
    """Passages of `a` that stand in `b`, merged across small gaps; non-overlapping in `a`,
    longest first kept where two overlap."""
    open_: list[list[int]] = []  # [a_start, a_end, b_start, b_end, agree]
    for a0, b0, length in exact_runs(a, b, min_len):
        a1, b1 = a0 + length, b0 + length
        for p in reversed(open_):
            gap_a, gap_b = a0 - p[1], b0 - p[3]
            if -min_len < gap_a <= max_gap and -min_len < gap_b <= max_gap and abs(gap_a - gap_b) <= max_skew:
                p[4] += length - max(0, -gap_a)
                p[1], p[3] = max(p[1], a1), max(p[3], b1)
                break
        else:
            open_.append([a0, a1, b0, b1, length])
    passages = sorted((Passage(*p) for p in open_), key=lambda p: (-(p.a_end - p.a_start), p.a_start))
    taken: list[Passage] = []
    for p in passages:
        if all(p.a_end <= q.a_start or p.a_start >= q.a_end for q in taken):
            taken.append(p)
    return sorted(taken, key=lambda p: p.a_start)
