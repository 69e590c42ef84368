"""Benchmarks of the duplication check, each beside datasketch and a plain baseline, in one run.

Default: **mosaic reports** (passage recall). An index is built from the 27 seed articles of
`corpus/clean` and the 221 policy documents of `../shared/corpus/xvshiting__*` (read from there
at run time, never copied into the repository). ≥ 200 reports are stitched together from 2–4
paragraphs of indexed documents — verbatim, re-punctuated with ASCII `,` `.` `;` `:` as web
pages give them, or with a few characters changed — between paragraphs of documents that are
NOT in the index (the government work reports, congress reports and provincial reports of the
other folders of `../shared/corpus`). Each character is known to be copied or not; counted are
the characters the comparison sees (Han characters, letters, digits). Printed:

- copied characters found: inside a match with an indexed document (floor ≥ 0.97);
- unindexed characters flagged: inside such a match (floor ≤ 0.02). Unindexed documents do
  share some text with the indexed ones (a report quoting a policy): the exact 13-gram column
  shows how much, as every exact shared run of 13 normalised characters is that baseline's hit;
- for this project (`check`), an exact 13-gram baseline (a character is copied when it stands in
  a normalised 13-gram that also stands in an indexed document) and datasketch (`MinHashLSH` over
  the indexed paragraphs, 5-shingles, threshold 0.5; a report paragraph is copied when it has a
  candidate), on the same normalised texts.

`--near-duplicates`: the earlier benchmark of whole-document near-duplicates — 10,000 variants of
the seed articles, MinHash fingerprinting and LSH recall at Jaccard ≥ 0.5 beside datasketch.
The index of 100,000 documents is `benchmarks/dedup_scale.py`.

    python benchmarks/dedup.py [--reports 240] [--seed 18]
    python benchmarks/dedup.py --near-duplicates [--docs 10000] [--sample 2000]
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
SHARED = HERE.parent.parent / "shared" / "corpus"
INDEXED_FOLDERS = ("xvshiting__politic_analysis_paper_2025",)
PUNCT_ASCII = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "、": ",", "！": "!", "？": "?"})
HAN = re.compile(r"[\u4e00-\u9fff]")


def shared_documents(indexed: bool) -> list[tuple[str, str]]:
    """(name, text) of the documents of `../shared/corpus`: the indexed folders, or the others."""
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED}: 找不到共享语料 / the shared corpus is missing")
    out = []
    for path in sorted(SHARED.rglob("*.txt")):
        folder = path.relative_to(SHARED).parts[0]
        if (folder in INDEXED_FOLDERS) == indexed:
            out.append((str(path.relative_to(SHARED)), path.read_text(encoding="utf-8", errors="replace")))
    return out


def paragraphs(text: str, low: int = 30, high: int = 300) -> list[str]:
    """The paragraphs of `text` of `low`–`high` characters; a run-on line (some reports are one
    line) is cut into pieces of whole sentences first."""
    out = []
    for line in text.split("\n"):
        line = line.strip(" \u3000\t")
        if len(line) > high:
            piece = ""
            for sentence in re.split(r"(?<=[。！？；])", line):
                if piece and len(piece) + len(sentence) > high:
                    out.append(piece)
                    piece = ""
                piece += sentence
            line = piece
        if low <= len(line) <= high and len(HAN.findall(line)) >= 0.6 * len(line):
            out.append(line)
    return out


def compared(text: str) -> np.ndarray:
    """Per character of `text`: does the comparison see it (Han, letter, digit)?"""
    return np.array([c.isalnum() for c in text], dtype=bool)


def mosaic(rng: random.Random, indexed: list[list[str]], unindexed: list[list[str]], pool: str
           ) -> tuple[str, np.ndarray, list[str]]:
    """One report: 2–4 copied paragraphs (verbatim, re-punctuated, or a few characters changed)
    among 3–8 paragraphs of one or two unindexed documents. Returns the text, per character
    whether it is copied, and the kinds of copies."""
    copied = []
    kinds = []
    for _ in range(rng.randint(2, 4)):
        doc = indexed[rng.randrange(len(indexed))]
        para = doc[rng.randrange(len(doc))]
        kind = rng.choice(("verbatim", "punctuation", "changed"))
        if kind == "punctuation":
            para = para.translate(PUNCT_ASCII)
        elif kind == "changed":
            chars = list(para)
            han = [i for i, c in enumerate(chars) if HAN.match(c)]
            for i in rng.sample(han, min(len(han), rng.randint(2, 4))):
                chars[i] = rng.choice([c for c in rng.sample(pool, 8) if c != chars[i]] or ["之"])
            para = "".join(chars)
        copied.append(para)
        kinds.append(kind)
    own = [p for doc in rng.sample(unindexed, 2) for p in doc]
    start = rng.randrange(max(1, len(own) - 8))
    own = own[start:start + rng.randint(3, 8)]
    pieces = [(p, False) for p in own]
    for para in copied:
        pieces.insert(rng.randint(0, len(pieces)), (para, True))
    text = "\n".join(p for p, _ in pieces) + "\n"
    truth = np.concatenate([np.full(len(p) + 1, c, dtype=bool) for p, c in pieces])
    return text, truth, kinds


def _marks(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    out = np.zeros(length, dtype=bool)
    for s, e in spans:
        out[s:e] = True
    return out


class ExactBaseline:
    """Copied = inside a normalised 13-gram that also stands in an indexed document."""

    def __init__(self, texts: list[str], k: int = 13) -> None:
        from summarizer.check.normalize import normalize
        from summarizer.text.minhash import codepoints, shingle_hashes

        self.k = k
        grams = [shingle_hashes(codepoints(normalize(t).text), k) for t in texts if len(t) >= k]
        self.grams = np.unique(np.concatenate(grams))

    def spans(self, text: str) -> list[tuple[int, int]]:
        from summarizer.check.normalize import normalize
        from summarizer.text.minhash import codepoints, shingle_hashes

        norm = normalize(text)
        if len(norm.text) < self.k:
            return []
        h = shingle_hashes(codepoints(norm.text), self.k)
        at = np.minimum(np.searchsorted(self.grams, h), len(self.grams) - 1)
        hit = np.flatnonzero(self.grams[at] == h)
        return [norm.span(int(i), int(i) + self.k) for i in hit]


class DatasketchBaseline:
    """datasketch `MinHashLSH` over the indexed paragraphs; a report paragraph with a candidate is
    copied whole (how a MinHash library is used for passages)."""

    def __init__(self, texts: list[str], perms: int = 128) -> None:
        from datasketch import MinHashLSH

        self.perms = perms
        self.lsh = MinHashLSH(threshold=0.5, num_perm=perms)
        n = 0
        for t in texts:
            for line in t.split("\n"):
                mh = self._minhash(line)
                if mh is not None:
                    self.lsh.insert(f"p{n}", mh)
                    n += 1
        self.paragraphs = n

    def _minhash(self, text: str):
        from datasketch import MinHash

        from summarizer.check.normalize import normalize
        from summarizer.text.minhash import MINHASH

        norm = normalize(text).text
        k = MINHASH.shingle
        if len(norm) < 13:
            return None
        mh = MinHash(num_perm=self.perms)
        mh.update_batch([norm[i:i + k].encode("utf-8") for i in range(len(norm) - k + 1)])
        return mh

    def spans(self, text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for line in text.split("\n"):
            mh = self._minhash(line)
            if mh is not None and self.lsh.query(mh):
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out


def mosaic_benchmark(reports: int, seed: int) -> None:
    from summarizer.check.checker import Submission, check
    from summarizer.check.index import ReferenceIndex

    t0 = time.perf_counter()
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CLEAN.glob("*.txt"))]
    indexed_docs = seeds + shared_documents(indexed=True)
    unindexed_docs = shared_documents(indexed=False)
    indexed = [ps for _, t in indexed_docs if (ps := paragraphs(t))]
    unindexed = [ps for _, t in unindexed_docs if (ps := paragraphs(t))]
    pool = "".join(HAN.findall("".join(p for doc in unindexed[:20] for p in doc)))
    rng = random.Random(seed)
    made = [mosaic(rng, indexed, unindexed, pool) for _ in range(reports)]
    print(f"index: {len(seeds)} seed articles + {len(indexed_docs) - len(seeds)} documents of "
          f"{', '.join(INDEXED_FOLDERS)}; reports: {len(made)}, stitched from paragraphs of those and of "
          f"{len(unindexed_docs)} unindexed documents ({sum(len(t) for t, _, _ in made) / 1e3:.0f} k characters)")
    kinds = [k for _, _, ks in made for k in ks]
    print("copied paragraphs: " + ", ".join(f"{k} {kinds.count(k)}" for k in ("verbatim", "punctuation", "changed")))

    systems: dict[str, list[list[tuple[int, int]]]] = {}
    timing: dict[str, float] = {}
    common_spans: list[list[tuple[int, int]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "mosaic.db"
        with ReferenceIndex(db) as idx:
            idx.add_many((name, name, t.split("\n", 1)[0], t) for name, t in indexed_docs)
        with ReferenceIndex(db, create=False) as idx:
            t1 = time.perf_counter()
            run = check([Submission(f"r{i}.txt", "", t) for i, (t, _, _) in enumerate(made)], idx, between=False)
            timing["this project (check)"] = (time.perf_counter() - t1) / len(made)
        systems["this project (check)"] = [[(m.start, m.end) for m in r.matches if m.source_kind == "reference"]
                                           for r in run.reports]
        common_spans = [[(c.start, c.end) for c in r.common] for r in run.reports]
    texts = [t for _, t in indexed_docs]
    for name, make in (("exact 13-gram", ExactBaseline), ("datasketch MinHashLSH", DatasketchBaseline)):
        t1 = time.perf_counter()
        system = make(texts)
        t2 = time.perf_counter()
        systems[name] = [system.spans(t) for t, _, _ in made]
        timing[name] = (time.perf_counter() - t2) / len(made)
        print(f"{name}: built in {t2 - t1:.1f} s")

    print(f"\n{'':<26}{'copied found':>14}{'worst report':>14}{'unindexed flagged':>19}{'s / report':>12}")
    figures = {}
    for name, spans in systems.items():
        found = copied = flagged = own = 0
        worst = 1.0
        for (text, truth, _), ss in zip(made, spans):
            cmp = compared(text)
            marked = _marks(len(text), ss)
            f, c = int((marked & truth & cmp).sum()), int((truth & cmp).sum())
            found, copied = found + f, copied + c
            flagged, own = flagged + int((marked & ~truth & cmp).sum()), own + int((~truth & cmp).sum())
            worst = min(worst, f / max(1, c))
        figures[name] = (found / copied, flagged / own)
        print(f"{name:<26}{found / copied:>14.3f}{worst:>14.3f}{flagged / own:>19.4f}{timing[name]:>12.4f}")
    common_copied = common_own = 0
    for (text, truth, _), ss in zip(made, common_spans):
        cmp, marked = compared(text), _marks(len(text), ss)
        common_copied += int((marked & truth & cmp).sum())
        common_own += int((marked & ~truth & cmp).sum())
    total_copied = sum(int((truth & compared(t)).sum()) for t, truth, _ in made)
    total_own = sum(int((~truth & compared(t)).sum()) for t, truth, _ in made)
    print(f"常用语 (common phrases, not counted): {common_copied / total_copied:.4f} of the copied characters, "
          f"{common_own / total_own:.4f} of the unindexed ones")
    found, flagged = figures["this project (check)"]
    print(f"\ncopied characters found {found:.3f}  floor ≥ 0.97  {'ok' if found >= 0.97 else 'BELOW'}")
    print(f"unindexed characters flagged {flagged:.4f}  floor ≤ 0.02  {'ok' if flagged <= 0.02 else 'ABOVE'}")
    print(f"whole run {time.perf_counter() - t0:.0f} s")


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
    from summarizer.check.normalize import normalize
    from summarizer.text.minhash import MINHASH, codepoints, shingle_hashes

    return [np.unique(shingle_hashes(codepoints(normalize(t).text), MINHASH.shingle)) for t in texts]


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




def near_duplicates(docs: int, sample: int) -> None:
    """The whole-document benchmark (`--near-duplicates`, see the module doc)."""
    from datasketch import MinHash, MinHashLSH

    from summarizer.check.checker import Submission, check
    from summarizer.check.fingerprint import Postings, fingerprint
    from summarizer.check.index import ReferenceIndex
    from summarizer.check.normalize import normalize
    from summarizer.text.minhash import MINHASH, one_permutation

    proc = psutil.Process()
    texts = variants(docs)
    chars = sum(map(len, texts))
    print(f"documents: {len(texts)} variants of {len(list(CLEAN.glob('*.txt')))} seed articles, "
          f"{chars / 1e6:.1f} M characters")
    norms = [normalize(t) for t in texts]
    sets = shingle_sets(texts)

    # Fingerprinting the same shingles: ours (hash + one permutation) vs datasketch.
    from summarizer.text.minhash import codepoints, shingle_hashes

    t0 = time.perf_counter()
    ours = [one_permutation(shingle_hashes(codepoints(n.text), MINHASH.shingle), MINHASH.bins) for n in norms]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = []
    for n in norms:
        mh = MinHash(num_perm=MINHASH.bins)
        mh.update_batch([n.text[i:i + MINHASH.shingle].encode("utf-8") for i in range(max(1, len(n.text) - 4))])
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
        lsh = MinHashLSH(threshold=0.5, num_perm=MINHASH.bins)
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
        q = MinHash(num_perm=MINHASH.bins)
        nq = normalize(report).text
        q.update_batch([nq[i:i + MINHASH.shingle].encode("utf-8") for i in range(len(nq) - 4)])
        t0 = time.perf_counter()
        for _ in range(reps):
            lsh.query(q)
        t_ds_query = (time.perf_counter() - t0) / reps

    # Recall against brute force on a random sample.
    rng = random.Random(1)
    sample = sorted(rng.sample(range(len(texts)), min(sample, len(texts))))
    truth = brute_force_pairs([sets[i] for i in sample], 0.5)
    ours_lsh = Postings()
    for i in sample:
        ours_lsh.add(fingerprint(norms[i]))
    found = {(a, b) for a, b, _ in ours_lsh.near_duplicates(0.0)}  # every LSH candidate pair
    ds = MinHashLSH(threshold=0.5, num_perm=MINHASH.bins)
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
    print(f"{f'fingerprints/s ({MINHASH.bins} values, same shingles)':<44}{len(texts) / t_ours:>14.0f}{len(texts) / t_theirs:>12.0f}")
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



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=240, help="mosaic reports (≥ 200)")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--near-duplicates", action="store_true", help="the whole-document benchmark instead")
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--sample", type=int, default=2000)
    args = ap.parse_args()
    if args.near_duplicates:
        near_duplicates(args.docs, args.sample)
    else:
        mosaic_benchmark(args.reports, args.seed)


if __name__ == "__main__":
    main()
