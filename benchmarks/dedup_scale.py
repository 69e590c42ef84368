"""Scale benchmark of the duplication check: an index of 100,000 documents, then single reports.

The documents are variants of the 27 seed articles and of the documents of `../shared/corpus`
(read from there at run time): a stretch of 6–30 paragraphs of one document, partly shuffled,
with 0–3 paragraphs of another document mixed in and a school name and year filled in — as a
bureau's library of templates and earlier submissions looks. They are generated lazily and
added through `ReferenceIndex.add_many` (batches of 500 per transaction), so what is measured is
the library's own memory: the resident set is printed at a few points while adding, with the
throughput so far; then the file's size on disk. Then reports stitched like `dedup.py`'s mosaic
(copied paragraphs of indexed documents between unindexed text) are checked one at a time
against the full index: time per report (floor < 0.5 s) and the copied characters found.

    python benchmarks/dedup_scale.py [--docs 100000] [--reports 20] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
from dedup import CLEAN, HAN, compared, mosaic, paragraphs, shared_documents

CHECKPOINTS = (0.01, 0.1, 0.25, 0.5, 0.75, 1.0)


def sources() -> list[list[str]]:
    """The paragraphs of every seed article and shared document (indexed folders and the rest)."""
    docs = [p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))]
    docs += [t for _, t in shared_documents(indexed=True) + shared_documents(indexed=False)]
    return [ps for t in docs if len(ps := paragraphs(t, low=13, high=400)) >= 3]


def variants(pool: list[list[str]], n: int, seed: int = 5) -> Iterator[tuple[str, str, str, str]]:
    """`n` documents (name, source, title, text), made lazily (see the module doc)."""
    rng = random.Random(seed)
    schools = [f"{a}{b}{k}小学" for k in range(50) for a in "东南西北中" for b in "山河湖林石"]
    for i in range(n):
        doc = pool[rng.randrange(len(pool))]
        length = rng.randint(6, 30)
        start = rng.randrange(max(1, len(doc) - length))
        body = doc[start:start + length]
        if rng.random() < 0.5:  # partly shuffled
            cut = rng.randrange(len(body))
            tail = body[cut:]
            rng.shuffle(tail)
            body = body[:cut] + tail
        other = pool[rng.randrange(len(pool))]
        for _ in range(rng.randint(0, 3)):
            body.insert(rng.randint(0, len(body)), other[rng.randrange(len(other))])
        school, year = rng.choice(schools), rng.randint(2005, 2025)
        title = f"{school}{year}年工作总结（{i}）"
        text = "\n".join([title, *body]).replace("我校", school, 1) + "\n"
        yield f"v{i}", "scale", title, text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--reports", type=int, default=20)
    ap.add_argument("--db", type=Path, default=None, help="keep the index here (default: a temporary folder)")
    args = ap.parse_args()

    from summarizer.check.checker import Submission, check
    from summarizer.check.index import ReferenceIndex

    proc = psutil.Process()
    pool = sources()
    print(f"material: {len(pool)} documents' paragraphs ({sum(map(len, map(''.join, pool))) / 1e6:.1f} M characters)")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "scale.db"
        marks = sorted({max(1, int(args.docs * f)) for f in CHECKPOINTS})
        done, chars, t0 = 0, 0, time.perf_counter()
        print(f"{'documents':>10}{'docs/s':>9}{'M chars/s':>11}{'RSS MiB':>9}{'peak MiB':>10}")

        def counted() -> Iterator[tuple[str, str, str, str]]:
            nonlocal chars
            for doc in variants(pool, args.docs):
                chars += len(doc[3])
                yield doc

        with ReferenceIndex(db) as idx:
            def progress(n: int) -> None:
                nonlocal done
                before, done = done, done + n
                if any(before < m <= done for m in marks):
                    spent = time.perf_counter() - t0
                    print(f"{done:>10}{done / spent:>9.0f}{chars / spent / 1e6:>11.2f}"
                          f"{proc.memory_info().rss / 2**20:>9.0f}{_peak_mib():>10.0f}", flush=True)

            added, _ = idx.add_many(counted(), on_progress=progress)
        build = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
        print(f"index: {added} documents, {chars / 1e6:.0f} M characters in {build:.0f} s "
              f"({added / build:.0f} documents/s); on disk {size / 2**20:.0f} MiB "
              f"({size / added / 1024:.1f} KiB per document)")

        rng = random.Random(11)
        copied_from = [ps for doc in pool[:27] if (ps := [p for p in doc if len(p) >= 30])]  # seeds, mostly
        filler = pool[27:]  # the shared documents: the rest of the report
        han_pool = "".join(HAN.findall("".join(pool[-1])))
        times, found, common = [], [], []
        with ReferenceIndex(db, create=False) as idx:
            check([Submission("warm.txt", "", "\n".join(pool[0][:5]))], idx)
            for i in range(args.reports):
                text, truth, _ = mosaic(rng, copied_from, filler, han_pool)
                t1 = time.perf_counter()
                run = check([Submission(f"r{i}.txt", "", text)], idx)
                times.append(time.perf_counter() - t1)
                marked = np.zeros(len(text), dtype=bool)
                for m in run.reports[0].matches:
                    marked[m.start:m.end] = True
                cmp = compared(text)
                found.append((marked & truth & cmp).sum() / max(1, (truth & cmp).sum()))
                shown = np.zeros(len(text), dtype=bool)
                for c in run.reports[0].common:
                    shown[c.start:c.end] = True
                common.append((shown & truth & cmp).sum() / max(1, (truth & cmp).sum()))
        print(f"check one report against {added} documents: mean {np.mean(times):.3f} s, median "
              f"{np.median(times):.3f} s, max {max(times):.3f} s ({len(times)} reports; copied characters "
              f"found {np.mean(found):.3f}, shown as 常用语 {np.mean(common):.3f}: at this scale every seed sentence "
              f"stands in hundreds of documents)")
        print(f"peak memory of the whole run: {_peak_mib():.0f} MiB")
        worst = max(times)
        print(f"\ncheck one report {worst:.3f} s (slowest)  floor < 0.5 s  {'ok' if worst < 0.5 else 'ABOVE'}")


def _peak_mib() -> float:
    """Peak resident set of this process so far (Linux ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
