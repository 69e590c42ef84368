"""Benchmark of the duplication check against datasketch, on ≥ 10,000 synthetic report variants.

The documents are variants of the 27 clean seed articles, as schools make them: the school name
and years filled in, sentences dropped, words spun into synonyms, paragraphs borrowed from other
articles, at random strengths, so that pairs span the whole range of similarity. In one run:

- fingerprints/s: this project's one-permutation MinHash (128 bins) and datasketch's `MinHash`
  (128 permutations, `update_batch`), over the same 5-shingles of the same normalised texts;
- index: building the SQLite reference index (`ReferenceIndex.add_many`, normalisation and
  passage keys included) and datasketch's `MinHashLSH` (threshold 0.5, in memory);
- query: checking one report against the full index (`summarizer check`'s code: candidates,
  alignment, passage choice) and a datasketch LSH query;
- recall of near-duplicate pairs (true Jaccard of shingle sets ≥ 0.5) against brute force, on all
  pairs of a random sample of documents (exact Jaccard of every pair by sparse matrix products);
- peak memory (resident set of this process).

    python benchmarks/dedup.py [--docs 10000] [--sample 2000]

Floors of the duplication issue: recall ≥ 0.95 at Jaccard ≥ 0.5; one report against the
10,000-document index < 0.5 s; fingerprinting ≥ 3× datasketch's throughput.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

HERE = Path(__file__).resolve().parent
CLEAN = HERE.parent / "corpus" / "clean"


def variants(n: int, seed: int = 7) -> list[str]:
    """`n` synthetic reports made from the seed articles (see the module doc)."""
    from summarizer.check.normalize import SYNONYMS

    rng = random.Random(seed)
    articles = [p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))]
    paragraphs = [ln for a in articles for ln in a.split("\n")[1:] if len(ln) > 20]
    schools = [f"{rng.choice('东南西北中')}{rng.choice('山河湖林石')}{k}小学" for k in range(200)]
    out = []
    for i in range(n):
        lines = articles[rng.randrange(len(articles))].split("\n")[:-1]
        strength = rng.random()
        body = []
        for ln in lines[1:]:
            if rng.random() < 0.3 * strength:
                continue  # a paragraph dropped
            sentences = re.split(r"(?<=[。！？；])", ln)
            sentences = [s for s in sentences if s and rng.random() > 0.25 * strength]
            ln = "".join(sentences)
            if rng.random() < strength:
                for canonical, *others in rng.sample(SYNONYMS, 6):
                    ln = ln.replace(canonical, rng.choice(others))
            body.append(ln)
            if rng.random() < 0.15 * strength:
                body.append(rng.choice(paragraphs))  # a paragraph borrowed from elsewhere
        text = "\n".join([lines[0], *body]) + "\n"
        text = re.sub(r"\d{4}年", f"{rng.randint(2005, 2025)}年", text)
        text = text.replace("我校", rng.choice(schools), 1)
        out.append(f"{text}（编号{i}）\n")
    return out


def shingle_sets(texts: list[str]) -> list[np.ndarray]:
    from summarizer.check.fingerprint import SHINGLE
    from summarizer.check.normalize import normalize
    from summarizer.clean.minhash import codepoints, shingle_hashes

    return [np.unique(shingle_hashes(codepoints(normalize(t).text), SHINGLE)) for t in texts]


def brute_force_pairs(sets: list[np.ndarray], threshold: float) -> set[tuple[int, int]]:
    """Every pair with exact Jaccard ≥ `threshold`, by sparse products of the incidence matrix."""
    from scipy import sparse

    vocab, inverse = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, inverse)),
                          shape=(len(sets), len(vocab)))
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    pairs = set()
    mt = m.T.tocsc()
    for lo in range(0, len(sets), 250):
        inter = (m[lo:lo + 250] @ mt).toarray()
        union = sizes[lo:lo + 250, None] + sizes[None, :] - inter
        jac = inter / np.maximum(union, 1)
        for a, b in zip(*np.nonzero(jac >= threshold)):
            a += lo
            if a < b:
                pairs.add((int(a), int(b)))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--sample", type=int, default=2000)
    args = ap.parse_args()

    from datasketch import MinHash, MinHashLSH

    from summarizer.check.checker import Submission, check
    from summarizer.check.fingerprint import DOC_BINS, LSHIndex, fingerprint
    from summarizer.check.index import ReferenceIndex
    from summarizer.check.normalize import normalize
    from summarizer.clean.minhash import one_permutation

    proc = psutil.Process()
    texts = variants(args.docs)
    chars = sum(map(len, texts))
    print(f"documents: {len(texts)} variants of {len(list(CLEAN.glob('*.txt')))} seed articles, "
          f"{chars / 1e6:.1f} M characters")
    norms = [normalize(t) for t in texts]
    sets = shingle_sets(texts)

    # Fingerprinting the same shingles: ours (hash + one permutation) vs datasketch.
    from summarizer.clean.minhash import codepoints, shingle_hashes

    t0 = time.perf_counter()
    ours = [one_permutation(shingle_hashes(codepoints(n.text), 5), DOC_BINS) for n in norms]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = []
    for n in norms:
        mh = MinHash(num_perm=128)
        mh.update_batch([n.text[i:i + 5].encode("utf-8") for i in range(max(1, len(n.text) - 4))])
        theirs.append(mh)
    t_theirs = time.perf_counter() - t0

    # Index and query.
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        with ReferenceIndex(db) as idx:
            idx.add_many((f"v{i}", "bench", t.split("\n", 1)[0], t) for i, t in enumerate(texts))
        t_index = time.perf_counter() - t0
        size_mb = db.stat().st_size / 1e6
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        t0 = time.perf_counter()
        for i, mh in enumerate(theirs):
            lsh.insert(i, mh)
        t_ds_index = time.perf_counter() - t0

        report = variants(1, seed=99)[0]
        with ReferenceIndex(db) as idx:
            check([Submission("warm.txt", "", report)], idx)
            t0 = time.perf_counter()
            reps = 5
            for _ in range(reps):
                run = check([Submission("report.txt", "", report)], idx)
            t_query = (time.perf_counter() - t0) / reps
        q = MinHash(num_perm=128)
        nq = normalize(report).text
        q.update_batch([nq[i:i + 5].encode("utf-8") for i in range(len(nq) - 4)])
        t0 = time.perf_counter()
        for _ in range(reps):
            lsh.query(q)
        t_ds_query = (time.perf_counter() - t0) / reps

    # Recall against brute force on a random sample.
    rng = random.Random(1)
    sample = sorted(rng.sample(range(len(texts)), min(args.sample, len(texts))))
    truth = brute_force_pairs([sets[i] for i in sample], 0.5)
    ours_lsh = LSHIndex()
    for i in sample:
        ours_lsh.add(fingerprint(norms[i]))
    found = {(a, b) for a, b, _ in ours_lsh.near_duplicates(0.0)}  # every LSH candidate pair
    ds = MinHashLSH(threshold=0.5, num_perm=128)
    for k, i in enumerate(sample):
        ds.insert(k, theirs[i])
    ds_found = set()
    for k, i in enumerate(sample):
        for other in ds.query(theirs[i]):
            if other != k:
                ds_found.add((min(k, other), max(k, other)))
    recall = len(truth & found) / max(1, len(truth))
    # Estimation error of the Jaccard similarity on (up to) 2,000 of the true pairs.
    checked = sorted(truth)[:2000]
    err_ours, err_ds = [], []
    for a, b in checked:
        i, j = sample[a], sample[b]
        exact = len(np.intersect1d(sets[i], sets[j])) / len(np.union1d(sets[i], sets[j]))
        err_ours.append(abs(float(np.mean(ours[i] == ours[j])) - exact))
        err_ds.append(abs(theirs[i].jaccard(theirs[j]) - exact))
    ds_recall = len(truth & ds_found) / max(1, len(truth))
    peak = proc.memory_info().rss / 2**20

    print(f"{'':<44}{'this project':>14}{'datasketch':>12}")
    print(f"{'fingerprints/s (128 values, same shingles)':<44}{len(texts) / t_ours:>14.0f}{len(texts) / t_theirs:>12.0f}")
    print(f"{f'index {len(texts)} documents, s':<44}{t_index:>14.2f}{t_ds_index:>12.2f}")
    print(f"{'  (ours: SQLite on disk, normalising, passage keys; MB)':<44}{size_mb:>14.1f}")
    print(f"{'check one report / LSH query, s':<44}{t_query:>14.3f}{t_ds_query:>12.4f}")
    print(f"{'  (ours: candidates + alignment; matches, ratio)':<44}"
          f"{len(run.reports[0].matches):>8} {run.reports[0].duplicate_ratio:>5.2f}")
    print(f"{'recall of pairs with Jaccard ≥ 0.5':<44}{recall:>14.3f}{ds_recall:>12.3f}")
    print(f"{'  (true pairs in the sample / candidate pairs)':<44}{len(truth):>8} {len(found):>5}")
    print(f"{'mean |estimated - true Jaccard| (true pairs)':<44}{np.mean(err_ours):>14.3f}{np.mean(err_ds):>12.3f}")
    print(f"peak memory: {peak:.0f} MiB")
    print()
    speed = (len(texts) / t_ours) / (len(texts) / t_theirs)
    print(f"recall {recall:.3f}  floor ≥ 0.95  {'ok' if recall >= 0.95 else 'BELOW'}")
    print(f"check one report {t_query:.3f} s  floor < 0.5 s  {'ok' if t_query < 0.5 else 'ABOVE'}")
    print(f"fingerprinting {speed:.1f}× datasketch  floor ≥ 3×  {'ok' if speed >= 3 else 'BELOW'}")


if __name__ == "__main__":
    main()
