"""Benchmark of `summarizer draft`: seconds per document, start-up included, on the examples.

For each example data file, in one run: `summarizer draft DATA -o OUT.docx` in a fresh process
(reading the data, composing, the GB/T 9704 Word file, and the duplicate ratio against the
corpus), beside the reference library alone: a fresh process in which python-docx writes the
same text as plain paragraphs. Each timing is the best of three.

    python benchmarks/draft.py

Floor of the drafting issue: < 2 s per document including start-up.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = sorted(p for p in (HERE.parent / "examples" / "data").iterdir() if p.suffix in (".yaml", ".json", ".xlsx"))

PLAIN = """
import sys
from docx import Document
doc = Document()
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    doc.add_paragraph(line)
doc.save(sys.argv[2])
"""


def best_of(cmd: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    print(f"{'example':<36}{'summarizer draft, s':>20}{'python-docx plain, s':>22}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for data in EXAMPLES:
            out = Path(tmp) / f"{data.stem}.docx"
            ours = best_of([sys.executable, "-m", "summarizer", "draft", str(data), "-o", str(out)])
            text = Path(tmp) / f"{data.stem}.txt"
            subprocess.run([sys.executable, "-m", "summarizer", "draft", str(data), "-o", str(text)], check=True,
                           capture_output=True)
            plain = best_of([sys.executable, "-c", PLAIN, str(text), str(Path(tmp) / "plain.docx")])
            worst = max(worst, ours)
            print(f"{data.name:<36}{ours:>20.2f}{plain:>22.2f}")
    print()
    print(f"slowest document {worst:.2f} s  floor < 2 s  {'ok' if worst < 2 else 'ABOVE'}")


if __name__ == "__main__":
    main()
