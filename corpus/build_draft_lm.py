"""Build `summarizer/data/draft_lm.json`: character statistics of official report prose, for
ranking a draft's candidate sentences by fluency (`summarizer/compose/fluency.py`).

Why: the character model the cleanup ships (`text/charlm.py`) counts the four seed pages; it tells
mojibake from Chinese, but it has seen little of the register a draft is written in. These counts
come from `../shared/corpus` (372 official documents) and the cleaned seed articles, and only the
statistics ship: unigram counts and bigram counts seen at least `MIN_COUNT` times (no sentences).

    python corpus/build_draft_lm.py            # writes summarizer/data/draft_lm.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.io.writers import atomic_write  # noqa: E402
from summarizer.text.charlm import corpus_counts  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
CLEAN = ROOT / "corpus" / "clean"
OUT = ROOT / "summarizer" / "data" / "draft_lm.json"
MIN_COUNT = 3  # a pair seen fewer times is left to the dictionary part of the model (~1 MB file)


def build(shared: Path = SHARED, clean: Path = CLEAN) -> str:
    paths = sorted(shared.rglob("*.txt")) + sorted(clean.glob("*.txt"))
    if not paths:
        raise SystemExit(f"build_draft_lm: no texts in {shared} or {clean}")
    uni, bi = corpus_counts(p.read_text(encoding="utf-8", errors="replace") for p in paths)
    data = {"source": f"{len(paths)} texts: ../shared/corpus/**/*.txt and corpus/clean/*.txt; "
                      f"bigrams seen >= {MIN_COUNT} times",
            "unigrams": dict(sorted(uni.items())),
            "bigrams": {k: n for k, n in sorted(bi.items()) if n >= MIN_COUNT}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    text = build()
    atomic_write(OUT, text.encode("utf-8"))
    print(f"{OUT}: {len(text.encode('utf-8')):,} bytes")
