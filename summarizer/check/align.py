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

from summarizer.text.minhash import codepoints, shingle_hashes

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
        return min(1.0, self.agree / max(self.a_end - self.a_start, self.b_end - self.b_start))


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


MATCH, MISMATCH, X_DROP = 1, -2, 4  # ungapped extension: a mismatch costs two agreeing characters


def _extend(a: str, b: str, i: int, j: int, step: int) -> tuple[int, int]:
    """How far a passage ending (step 1) or starting (step -1) at a[i], b[j] extends, and the
    agreeing characters gained: X-drop extension (stop once the score falls `X_DROP` below its
    best), so that a changed character near a copied paragraph's edge does not cut off the rest
    of it, while chance agreement of a character or two beyond the copy adds nothing."""
    score = best = best_len = agree = best_agree = 0
    n = 0
    if step > 0:
        limit = min(len(a) - i, len(b) - j)
    else:
        limit = min(i, j)
        i, j = i - 1, j - 1
    while n < limit:
        same = a[i + step * n] == b[j + step * n]
        n += 1
        score += MATCH if same else MISMATCH
        agree += same
        if score > best:
            best, best_len, best_agree = score, n, agree
        elif score < best - X_DROP:
            break
    return best_len, best_agree


def align(a: str, b: str, min_len: int = MIN_LEN, max_gap: int = MAX_GAP, max_skew: int = MAX_SKEW
          ) -> list[Passage]:
    """Passages of `a` that stand in `b`: exact runs of ≥ `min_len` merged across small gaps, then
    extended across changed characters at their edges; non-overlapping in `a`, longest first
    kept where two overlap."""
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
    for p in open_:
        n, agree = _extend(a, b, p[0], p[2], -1)
        p[0], p[2], p[4] = p[0] - n, p[2] - n, p[4] + agree
        n, agree = _extend(a, b, p[1], p[3], 1)
        p[1], p[3], p[4] = p[1] + n, p[3] + n, p[4] + agree
    passages = sorted((Passage(*p) for p in _merge_overlaps(open_, max_skew)),
                      key=lambda p: (-(p.a_end - p.a_start), p.a_start))
    taken: list[Passage] = []
    for p in passages:
        if all(p.a_end <= q.a_start or p.a_start >= q.a_end for q in taken):
            taken.append(p)
    return sorted(taken, key=lambda p: p.a_start)


def _merge_overlaps(passages: list[list[int]], max_skew: int) -> list[list[int]]:
    """Passages that extension made overlap or touch, on nearly the same diagonal, as one."""
    merged: list[list[int]] = []
    for p in sorted(passages):
        q = merged[-1] if merged else None
        if q is not None and p[0] <= q[1] and abs((p[2] - p[0]) - (q[2] - q[0])) <= max_skew:
            overlap = max(0, min(q[1], p[1]) - p[0])
            q[4] += max(0, p[4] - overlap)
            q[1], q[3] = max(q[1], p[1]), max(q[3], p[3])
        else:
            merged.append(list(p))
    return merged
