"""Fingerprints for finding candidate sources: a whole-document MinHash and passage chunk keys.

Two kinds of candidates matter. Near-duplicate documents (a template submitted with the school
name changed) share most shingles: a 128-bin one-permutation MinHash of the normalised text and
LSH over 64 bands of 2 rows find every pair at Jaccard ≥ 0.5 with probability > 0.9999.
A report that copies a few paragraphs of a template shares too few shingles for that, so every
document is also cut into passages at content-defined boundaries (where a 5-gram's hash hits a
fixed residue, like rsync): a copied passage is cut at the same places in both texts whatever
stands around it, and gives the same passage keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarizer.check.normalize import Normalized
from summarizer.clean.minhash import band_keys, codepoints, one_permutation, shingle_hashes

DOC_BINS = 128
DOC_ROWS = 2  # 64 bands of 2 rows: P(candidate | Jaccard 0.5) = 1 - 0.75^64
SHINGLE = 5
CHUNK_AVG = 40  # expected passage length in normalised characters
CHUNK_MIN = 16
CHUNK_MAX = 120


@dataclass
class Fingerprint:
    """What the index stores of a document: its MinHash and its LSH keys."""

    signature: np.ndarray  # DOC_BINS uint64
    shingles: int
    doc_keys: list[int]
    chunk_keys: list[int]


def chunk_starts(hashes: np.ndarray) -> np.ndarray:
    """Start positions (in shingle space) of content-defined passages: after every shingle whose
    hash hits the residue, merged so that no passage is shorter than CHUNK_MIN and cut so that
    none is longer than CHUNK_MAX."""
    n = len(hashes)
    cuts = (np.flatnonzero((hashes >> np.uint64(40)) % np.uint64(CHUNK_AVG) == 0) + 1).tolist()
    starts = [0]
    for c in [*cuts, n]:
        while c - starts[-1] > CHUNK_MAX:
            starts.append(starts[-1] + CHUNK_MAX)
        if c - starts[-1] >= CHUNK_MIN and c < n:
            starts.append(c)
    return np.array(starts, dtype=np.int64)


def fingerprint(norm: Normalized) -> Fingerprint:
    """The MinHash and the document and passage LSH keys of a normalised text.

    A passage gives two keys: a hash of its whole content (copied passages are cut at the same
    places, so they agree exactly) and its smallest shingle hash (agrees with probability equal
    to the passages' Jaccard similarity when an edit falls inside it)."""
    h = shingle_hashes(codepoints(norm.text), SHINGLE)
    sig = one_permutation(h, DOC_BINS)
    doc_keys = band_keys(sig, DOC_ROWS)
    chunk_keys: list[int] = []
    if len(norm.text) >= CHUNK_MIN:
        starts = chunk_starts(h)
        weights = (np.arange(len(h), dtype=np.uint64) - np.repeat(starts, np.diff([*starts, len(h)])).astype(np.uint64)
                   + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        whole = np.add.reduceat(h * weights, starts) ^ np.uint64(_WHOLE_SALT)
        least = np.minimum.reduceat(h, starts) ^ np.uint64(_LEAST_SALT)
        chunk_keys = np.unique(np.concatenate([whole, least])).view(np.int64).tolist()
    return Fingerprint(sig, len(np.unique(h)), doc_keys, chunk_keys)


_WHOLE_SALT = 0x2545F4914F6CDD1D
_LEAST_SALT = 0x6A09E667F3BCC909


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of agreeing bins)."""
    return float(np.mean(a == b))


class LSHIndex:
    """An in-memory LSH table over fingerprints (the submissions of one check; benchmarks)."""

    def __init__(self) -> None:
        self.table: dict[int, list[int]] = {}
        self.signatures: list[np.ndarray] = []

    def add(self, fp: Fingerprint) -> int:
        ident = len(self.signatures)
        self.signatures.append(fp.signature)
        for key in (*fp.doc_keys, *fp.chunk_keys):
            self.table.setdefault(key, []).append(ident)
        return ident

    def candidates(self, fp: Fingerprint, passages: bool = True) -> dict[int, int]:
        """Documents sharing a key with `fp`: {id: number of shared keys}."""
        hits: dict[int, int] = {}
        for key in (*fp.doc_keys, *(fp.chunk_keys if passages else ())):
            for ident in self.table.get(key, ()):
                hits[ident] = hits.get(ident, 0) + 1
        return hits

    def near_duplicates(self, threshold: float) -> list[tuple[int, int, float]]:
        """Pairs (i < j) whose estimated Jaccard is ≥ `threshold`, from document keys only."""
        sigs = np.array(self.signatures)
        doc_table: dict[int, list[int]] = {}
        for i, sig in enumerate(sigs):
            for key in band_keys(sig, DOC_ROWS):
                doc_table.setdefault(key, []).append(i)
        pairs: set[tuple[int, int]] = set()
        for members in doc_table.values():
            if len(members) > 1:
                pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
        if not pairs:
            return []
        arr = np.array(sorted(pairs))
        sim = (sigs[arr[:, 0]] == sigs[arr[:, 1]]).mean(axis=1)
        keep = sim >= threshold
        return [(int(a), int(b), float(s)) for (a, b), s in zip(arr[keep], sim[keep])]
