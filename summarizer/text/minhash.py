"""Shingle hashing and one-permutation MinHash, vectorised with numpy.

Used twice, with one configuration (`MINHASH`): the cleanup flags near-duplicate articles of one run, and the duplication checker
finds candidate sources. A text's character k-shingles are hashed by a polynomial over their
code points for all positions at once; the signature keeps, in each of `bins` bins (the top bits
of the mixed hash), the smallest hash: one sort and one `searchsorted`, where classic MinHash
(datasketch) hashes every shingle once per permutation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MinHashConfig:
    """The one MinHash setting of the project, shared by the cleanup's duplicate flagging and the
    checker's near-duplicate candidates, so that a signature means the same thing in both.

    64 bins: the cleanup has always used them (its manifests stay as they were), and for the
    checker, whose alignment decides what is copied, 32 bands of 2 rows still make a pair at
    Jaccard 0.5 a candidate with probability 1 - 0.75^32 > 0.9999. Each use bands the same
    signature its own way: the cleanup wants pairs at ≥ 0.8 (4 rows), the checker at ≥ 0.5 (2).
    """

    shingle: int = 5  # characters per shingle
    bins: int = 64  # values per signature
    cleanup_rows: int = 4  # rows per band in the cleanup's duplicate flagging
    check_rows: int = 2  # rows per band in the checker's near-duplicate candidates


MINHASH = MinHashConfig()

_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it permutes the 64-bit hashes
_SPREAD = 0x5851F42D4C957F2D
_MASK64 = 2**64 - 1


def codepoints(text: str) -> np.ndarray:
    """The code points of `text` as uint64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def shingle_hashes(cps: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every k-shingle (a text shorter than k is padded with zeros), mixed so that
    the top bits are uniform: `h[i] = mix(Σ cps[i+j]·B^(k-1-j))`, wrapping at 2^64."""
    if len(cps) < k:
        cps = np.concatenate([cps, np.zeros(k - len(cps), dtype=np.uint64)])
    n = len(cps) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * np.uint64(1_000_003) + cps[j : j + n]
    return h * _MIX


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` for a 1-d array, by one sort and a neighbour comparison.

    numpy 2's `np.unique` goes through a hash table and then sorts anyway; on the few thousand
    shingle hashes of an article that is ~9× slower than sorting alone, and fingerprinting
    was a fifth of the cleanup's run time.
    """
    s = np.sort(values)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def one_permutation(hashes: np.ndarray, bins: int = 64, *, distinct: bool = False) -> np.ndarray:
    """One-permutation MinHash of a set of shingle hashes: `bins` values (uint64).

    Each bin (the top log2(bins) bits) keeps its smallest hash, without the bin bits. An empty
    bin (short texts) borrows the next non-empty bin's value, offset by the distance ("rotation"
    densification), so that equal sets agree bin by bin and the share of agreeing bins estimates
    the Jaccard similarity. `distinct` says `hashes` is already sorted and free of repeats.
    """
    shift = np.uint64(64 - int(bins).bit_length() + 1)
    h = hashes if distinct else sorted_unique(hashes)
    bounds = np.arange(bins, dtype=np.uint64) << shift
    idx = np.searchsorted(h, bounds)
    found = idx < len(h)
    found[found] = (h[idx[found]] >> shift) == np.arange(bins, dtype=np.uint64)[found]
    low = ~(np.uint64(bins - 1) << shift)
    sig = np.where(found, h[np.minimum(idx, max(len(h) - 1, 0))] & low, np.uint64(0)) if len(h) else \
        np.zeros(bins, dtype=np.uint64)
    if len(h) and not found.all():
        _densify(sig, found, bins)
    return sig.astype(np.uint64)


def _densify(sig: np.ndarray, found: np.ndarray, bins: int) -> None:
    """Fill the empty bins of one signature in place: each borrows the next non-empty bin
    (cyclically) plus its distance times `_SPREAD`, wrapping at 2^64 (uint64 arithmetic)."""
    filled = np.flatnonzero(found)
    empty = np.flatnonzero(~found)
    nxt = filled[np.searchsorted(filled, empty) % len(filled)]
    sig[empty] = sig[nxt] + ((nxt - empty) % bins).astype(np.uint64) * np.uint64(_SPREAD)


def signature(text: str, k: int = 5, bins: int = 64) -> tuple[np.ndarray, int]:
    """(one-permutation MinHash, number of distinct shingles) of `text` as it is."""
    h = sorted_unique(shingle_hashes(codepoints(text), k))
    return one_permutation(h, bins, distinct=True), len(h)


def signatures(texts: list[str], k: int = 5, bins: int = 64) -> list[tuple[np.ndarray, int]]:
    """`signature` of many texts at once, with the same results.

    A page yields a dozen articles of a few thousand characters each; per text, `signature`
    spends most of its time in the fixed cost of two dozen small numpy calls. Here the shingles
    of all texts are hashed, sorted and binned together (sorted by text, then by hash), and
    only the densification of texts with empty bins is done text by text.
    """
    if not texts:
        return []
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    if lengths.min() < k:  # padded texts: rare, and `signature` knows how
        return [signature(t, k, bins) for t in texts]
    cps = codepoints("".join(texts))
    n_all = len(cps) - k + 1
    # The polynomial hash of every position of the joined texts, computed in place.
    h = cps[:n_all].copy()
    for j in range(1, k):
        h *= np.uint64(1_000_003)
        h += cps[j : j + n_all]
    h *= _MIX
    # A text's shingles are the first len - k + 1 positions of its stretch: sorted stretch by
    # stretch (one sort of the whole, in effect; a lexsort by text and hash is ~9× slower).
    counts = lengths - k + 1
    starts = (np.cumsum(lengths) - lengths).tolist()
    h = np.concatenate([np.sort(h[a : a + c]) for a, c in zip(starts, counts.tolist())])
    seg = np.cumsum(counts) - counts  # where each text's sorted shingles begin
    new = np.empty(len(h), dtype=bool)
    new[0] = True
    np.not_equal(h[1:], h[:-1], out=new[1:])
    new[seg] = True
    sizes = np.add.reduceat(new, seg, dtype=np.int64)
    # The smallest hash of each (text, bin) is the first of its run, the runs being in order.
    shift = np.uint64(64 - int(bins).bit_length() + 1)
    low = ~(np.uint64(bins - 1) << shift)
    b = (h >> shift).astype(np.int64)
    first = np.empty(len(h), dtype=bool)
    first[0] = True
    np.not_equal(b[1:], b[:-1], out=first[1:])
    first[seg] = True
    owner = np.repeat(np.arange(len(texts)), counts)[first]
    b = b[first]
    sig = np.zeros((len(texts), bins), dtype=np.uint64)
    found = np.zeros((len(texts), bins), dtype=bool)
    sig[owner, b] = h[first] & low
    found[owner, b] = True
    out = []
    for i in range(len(texts)):
        row = sig[i]
        if not found[i].all():
            _densify(row, found[i], bins)
        out.append((row, int(sizes[i])))
    return out


def band_keys(sig: np.ndarray, rows: int, salt: int = 0) -> list[int]:
    """One signed 64-bit key per band of `rows` values (for hash tables and SQLite integers)."""
    bands = len(sig) // rows
    v = np.full(bands, (salt * _SPREAD + 1) & _MASK64, dtype=np.uint64) + np.arange(bands, dtype=np.uint64)
    for r in range(rows):
        v = (v ^ sig[r : bands * rows : rows]) * np.uint64(0x100000001B3)
    return v.view(np.int64).tolist()
