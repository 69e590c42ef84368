"""Fingerprints for finding candidate sources: winnowed k-grams for passages, MinHash for documents.

Passages. A bureau's question is passage-level (a report stitched from paragraphs of several
templates), so retrieval must not lose any shared passage of `MIN_LEN` = 13 normalised
characters, however little of the report it is. Winnowing (Schleimer, Wilkerson, Aiken 2003,
the method of MOSS) gives that guarantee: hash every K-gram, and in every window of W consecutive
hashes keep the smallest. Two texts sharing a run of W + K - 1 = 13 characters share a whole
window, hence that window's minimum: at least one kept fingerprint. About 2 / (W + 1) of the
positions are kept, so the index holds a quarter of a text's k-grams rather than all of them.
K = 7 keeps chance agreement between unrelated texts rare (a 7-character run of Chinese is
nearly always a real shared phrase), while W = 7 keeps the density at 0.25.

Documents. A whole-document one-permutation MinHash (the project's `MINHASH` configuration,
shared with the cleanup) and LSH bands over it find near-duplicates (a template submitted with
the school's name changed) in one lookup, and rank such a document first among the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from summarizer.check.normalize import Normalized
from summarizer.text.minhash import (
    MINHASH,
    band_keys,
    codepoints,
    one_permutation,
    shingle_hashes,
    sorted_unique,
)

K = 7  # characters per fingerprinted k-gram
W = 7  # k-grams per winnowing window: any shared run of W + K - 1 = 13 characters is caught
GUARANTEE = W + K - 1
KEY_BITS = 47  # keys kept below 2^47: SQLite stores them in 6 bytes instead of 9
_KEY_SHIFT = np.uint64(64 - KEY_BITS)
_DOC_SALT = 0x2545F4914F6CDD1D  # document band keys live apart from passage keys


@dataclass
class Fingerprint:
    """What the index stores of a document: its MinHash, its LSH band keys, and its winnowed
    passage fingerprints (`keys[i]` is the k-gram starting at normalised position `positions[i]`)."""

    signature: np.ndarray  # MINHASH.bins uint64
    shingles: int
    doc_keys: list[int]
    keys: np.ndarray  # int64, one per kept position (a key may repeat)
    positions: np.ndarray  # int64, increasing

    def distinct_keys(self) -> np.ndarray:
        """The fingerprint keys without repeats, sorted (what the index stores per document)."""
        return sorted_unique(self.keys)


def kgram_keys(text: str, k: int = K) -> np.ndarray:
    """The key of every k-gram of `text` (int64, below 2^KEY_BITS); empty if `text` is shorter."""
    if len(text) < k:
        return np.zeros(0, dtype=np.int64)
    return (shingle_hashes(codepoints(text), k) >> _KEY_SHIFT).astype(np.int64)


def winnow(text: str, k: int = K, w: int = W) -> tuple[np.ndarray, np.ndarray]:
    """(keys, positions) of the k-grams winnowing keeps: in every window of `w` consecutive
    k-grams the smallest key (the rightmost of equal ones, as MOSS does, so that a run of equal
    keys keeps few). A text with fewer than `w` k-grams keeps its smallest one."""
    keys = kgram_keys(text, k)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    if len(keys) <= w:
        pos = np.array([len(keys) - 1 - int(np.argmin(keys[::-1]))], dtype=np.int64)
        return keys[pos], pos
    windows = sliding_window_view(keys, w)
    picked = (w - 1 - np.argmin(windows[:, ::-1], axis=1)) + np.arange(len(windows))
    # The rightmost minimum never moves left as the window slides: `picked` is non-decreasing,
    # and its distinct values are where it changes (no sort needed).
    keep = np.ones(len(picked), dtype=bool)
    np.not_equal(picked[1:], picked[:-1], out=keep[1:])
    pos = picked[keep].astype(np.int64)
    return keys[pos], pos


def fingerprint(norm: Normalized) -> Fingerprint:
    """The MinHash, document band keys and winnowed passage fingerprints of a normalised text."""
    h = shingle_hashes(codepoints(norm.text), MINHASH.shingle)
    sig = one_permutation(h, MINHASH.bins)
    doc_keys = band_keys(sig, MINHASH.check_rows, salt=_DOC_SALT)
    keys, positions = winnow(norm.text)
    return Fingerprint(sig, len(sorted_unique(h)), doc_keys, keys, positions)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of agreeing bins)."""
    return float(np.mean(a == b))


class Postings:
    """An in-memory table of fingerprints (the submissions of one check): key → documents, and
    document band keys → documents, with the same lookups the SQLite index answers."""

    def __init__(self) -> None:
        self.table: dict[int, list[int]] = {}
        self.doc_table: dict[int, list[int]] = {}
        self.signatures: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, fp: Fingerprint) -> int:
        ident = len(self.signatures)
        self.signatures.append(fp.signature)
        for key in fp.distinct_keys().tolist():
            self.table.setdefault(key, []).append(ident)
        for key in fp.doc_keys:
            self.doc_table.setdefault(key, []).append(ident)
        return ident

    def lookup(self, keys: np.ndarray, cap: int) -> dict[int, list[int]]:
        """The documents holding each key, at most `cap` per key (the first added)."""
        return {k: docs[:cap] for k in np.unique(keys).tolist() if (docs := self.table.get(k))}

    def near_duplicates_of(self, fp: Fingerprint) -> list[int]:
        """Documents sharing a band key with `fp`, most shared bands first."""
        hits: dict[int, int] = {}
        for key in fp.doc_keys:
            for ident in self.doc_table.get(key, ()):
                hits[ident] = hits.get(ident, 0) + 1
        return sorted(hits, key=lambda i: (-hits[i], i))

    def near_duplicates(self, threshold: float) -> list[tuple[int, int, float]]:
        """Pairs (i < j) sharing a band whose estimated Jaccard is ≥ `threshold`."""
        pairs: set[tuple[int, int]] = set()
        for members in self.doc_table.values():
            if len(members) > 1:
                pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
        if not pairs:
            return []
        sigs = np.array(self.signatures)
        arr = np.array(sorted(pairs))
        sim = (sigs[arr[:, 0]] == sigs[arr[:, 1]]).mean(axis=1)
        keep = sim >= threshold
        return [(int(a), int(b), float(s)) for (a, b), s in zip(arr[keep], sim[keep])]
