"""Which documents to align a report with: a greedy cover of the report's fingerprints.

Every fingerprint of the report that some document holds marks a place where a shared passage
may stand. Taking the documents that hold the most fingerprints (an older rule, the top 50 by
shared keys) loses a single copied paragraph whenever 50 other documents share more with the
rest of the report. Here documents are taken one at a time, each time the one holding most of
the fingerprints no document taken so far holds, until every held fingerprint is held by a
taken document: no place of the report is left without a candidate, and one document that
covers many places (the template a report copies) is taken once, before the rest. Fingerprints
of common phrases (held by many documents) come last, with a small budget of their own: any one
document shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def cover(keys: np.ndarray, postings: dict[int, list[int]], common: set[int], first: Iterable[int] = (),
          limit: int = 60, common_limit: int = 8, exclude: int | None = None) -> list[int]:
    """Documents to align with, in the order chosen: `first` (near-duplicates found by MinHash),
    then the greedy cover of the fingerprints `keys` (one per report position) by `postings`
    (key → documents holding it), at most `limit` documents for the fingerprints whose key is not
    in `common` and `common_limit` more for those that are. `exclude` is never chosen (the report
    itself, among the reports of one check)."""
    docs_l: list[int] = []
    fps_l: list[int] = []
    for i, key in enumerate(keys.tolist()):
        for d in postings.get(key, ()):
            if d != exclude:
                docs_l.append(d)
                fps_l.append(i)
    if not docs_l:
        return []
    docs = np.array(docs_l, dtype=np.int64)
    fps = np.array(fps_l, dtype=np.int64)
    ids, code = np.unique(docs, return_inverse=True)
    is_common = np.array([k in common for k in keys.tolist()], dtype=bool)
    covered = np.zeros(len(keys), dtype=bool)
    chosen: list[int] = []
    taken = np.zeros(len(ids), dtype=bool)

    def take(c: int) -> None:
        chosen.append(int(ids[c]))
        taken[c] = True
        covered[fps[code == c]] = True

    where = {int(d): c for c, d in enumerate(ids.tolist())}
    for d in first:
        c = where.get(int(d))
        if c is not None and not taken[c] and len(chosen) < limit:
            take(c)
    for want_common, budget in ((False, limit), (True, common_limit)):
        spent = 0
        while spent < budget:
            open_ = ~covered[fps] & (is_common[fps] == want_common) & ~taken[code]
            if not open_.any():
                break
            take(int(np.argmax(np.bincount(code[open_], minlength=len(ids)))))
            spent += 1
    return chosen


__all__ = ["cover"]
