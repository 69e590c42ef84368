"""Duplicate articles of a cleanup run: fingerprints (MinHash of 5-character shingles and the
text's sha256) and the flagger that marks exact and near-exact copies in manifest order."""

from __future__ import annotations

import hashlib

import numpy as np

from summarizer.text.minhash import MINHASH, signature, signatures

NUM_PERM = MINHASH.bins
SHINGLE = MINHASH.shingle
DUPLICATE_JACCARD = 0.8
DUPLICATE_CONTAINMENT = 0.9


def fingerprint(text: str) -> tuple[bytes, int, str]:
    """One-permutation MinHash of character 5-shingles (64 values, as their 512 bytes), the
    shingle count, and the sha256 of the text without white space (see
    `summarizer.text.minhash`). Bytes rather than hex: a worker's records for a chunk of 8
    standard benchmark pages pickled to 67 KB with hex, to 27 KB with bytes (an article seen
    before shares its signature object); the journal writes them as hex."""
    body = "".join(text.split())
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    sig, size = signature(body, SHINGLE, NUM_PERM)
    return sig.tobytes(), size, digest


# MinHash by text digest, per process: an archive holds the same article many times over (the
# copies a bureau looks for), and an article seen before needs no new MinHash: it is a pure
# function of the text. Bounded, and cleared when full, so that memory stays flat.
_SIGNATURES: dict[str, tuple[bytes, int]] = {}
_SIGNATURES_MAX = 10_000  # ~6 MB


def fingerprints(texts: list[str]) -> list[tuple[bytes, int, str]]:
    """`fingerprint` of each of `texts` (the articles of one input), hashed in one batch."""
    bodies = ["".join(text.split()) for text in texts]
    digests = [hashlib.sha256(body.encode("utf-8")).hexdigest() for body in bodies]
    new = {d: b for d, b in zip(digests, bodies) if d not in _SIGNATURES}
    if new:
        if len(_SIGNATURES) + len(new) > _SIGNATURES_MAX:
            _SIGNATURES.clear()
            new = dict(zip(digests, bodies))
        for digest, (sig, size) in zip(new, signatures(list(new.values()), SHINGLE, NUM_PERM)):
            _SIGNATURES[digest] = (sig.tobytes(), size)
    return [(*_SIGNATURES[d], d) for d in digests]


class DuplicateFlagger:
    """Marks exact and near-exact duplicate articles (`duplicate_of`, `similarity`), one article
    at a time in input order; keeps them all.

    Candidates come from banded MinHash (LSH, 16 bands of 4 rows); a pair is a duplicate when the
    estimated Jaccard similarity of 5-shingles is ≥ 0.8, or when one article is ≥ 90% contained
    in an earlier, longer one (a truncated copy). The earlier article in input order is the
    original; only originals are candidates, so a copy is flagged against the original, not
    another copy, and only the originals' fingerprints are held: an archive of copies stays
    small and its cost linear in the number of articles, however many copies an archive holds.
    """

    _BAND_BYTES = MINHASH.cleanup_rows * 8  # a band: 4 rows of the signature, 8 bytes each
    def __init__(self, few: int = 8) -> None:
        """`few`: up to this many candidates are compared row by row, more in one numpy call (the
        same answer either way; one call costs more than a few rows)."""
        self._few = few
        self._first_exact: dict[str, str] = {}
        # One table per band, keyed by the band's 32 bytes (a signature is bytes already: no
        # tuples of four large integers to build and hash for each band).
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(NUM_PERM // MINHASH.cleanup_rows)]
        self._outputs: list[str] = []
        self._sigs = np.empty((64, NUM_PERM), dtype=np.uint64)
        self._sizes = np.empty(64, dtype=float)

    def flag(self, rec: dict) -> bool:
        """Mark `rec` if it duplicates an earlier article; True when it does."""
        rec.pop("duplicate_of", None)
        rec.pop("similarity", None)
        exact = self._first_exact.setdefault(rec.get("text_sha256", ""), rec["output"])
        if exact != rec["output"]:
            rec["duplicate_of"], rec["similarity"] = exact, 1.0
            return True
        raw = rec["_minhash"]
        if isinstance(raw, str):  # read back from a journal or manifest, as hex
            raw = bytes.fromhex(raw)
        keys = [raw[k : k + self._BAND_BYTES] for k in range(0, len(raw), self._BAND_BYTES)]
        candidates: set[int] = set()
        for band, key in zip(self._buckets, keys):
            hit = band.get(key)
            if hit:
                candidates.update(hit)
        sig = np.frombuffer(raw, dtype=np.uint64)
        if candidates and self._flag_against(rec, sig, candidates):
            return True
        i = len(self._outputs)
        if i == len(self._sigs):  # grown by doubling
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
            self._sizes = np.concatenate([self._sizes, np.empty_like(self._sizes)])
        self._sigs[i] = sig
        self._sizes[i] = rec["_shingles"]
        self._outputs.append(rec["output"])
        for band, key in zip(self._buckets, keys):
            band.setdefault(key, []).append(i)
        return False

    def _flag_against(self, rec: dict, sig: np.ndarray, candidates: set[int]) -> bool:
        """Mark `rec` a duplicate of its most similar earlier candidate, if any is one.

        The agreeing bins are counted row by row for a few candidates (an article of an archive
        of copies has one: 3 µs where the one call for all rows, `count_nonzero` along an axis,
        costs 20 µs however few they are), for many in that one call; the candidates are then
        judged in Python (the same float operations numpy did elementwise, a tenth of the cost
        for the handful of candidates an article has)."""
        cand = sorted(candidates)
        if len(cand) <= self._few:
            agree = [int(np.count_nonzero(self._sigs[i] == sig)) for i in cand]
        else:
            agree = np.count_nonzero(self._sigs[cand] == sig, axis=1).tolist()
        size = float(rec["_shingles"])
        best, best_jac = -1, -1.0
        for i, n in zip(cand, agree):
            jac = n / NUM_PERM
            other = float(self._sizes[i])
            inter = jac * (other + size) / (1 + jac)
            containment = inter / max(1.0, min(other, size))
            if (jac >= DUPLICATE_JACCARD or (containment >= DUPLICATE_CONTAINMENT and jac >= 0.3)) and jac > best_jac:
                best, best_jac = i, jac  # the earliest of the most similar
        if best < 0:
            return False
        rec["duplicate_of"] = self._outputs[best]
        rec["similarity"] = round(best_jac, 3)
        return True
