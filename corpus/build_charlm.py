"""Build `summarizer/data/charlm_corpus.json`: the corpus part of the character model
(`summarizer/text/charlm.py`) that repairs mojibake and ranks a draft's wordings by fluency.

Why one corpus for both: the repair guesses the character a lost GBK byte stood for, and a model
counted from the four seed pages alone guesses school words into official prose (`任务` read as
`课务`, `智慧` as `们慧`): 62 of 400 lost bytes in held-out official text come back as another
character. Counted from the seeds, the team's written school documents and `../shared/corpus`, 17
of 400 do, and school text loses nothing (`benchmarks/mojibake.py` measures both on texts the
model has not counted). The drafts' fluency ranking wanted the same register, so it reads the same
model.

What is counted: the raw seed pages (glosses stripped, mojibake neighbourhoods dropped), the team's
written documents (`corpus/written/*.tsv`, the text column, and the unlabelled `corpus/written/prose/*.txt`:
school register the seeds lack, above all how teachers describe pupils and their own work) and
the official documents of `../shared/corpus`, all through OpenCC t2s. Only statistics ship:
unigram counts and the bigram counts seen at least `MIN_COUNT` times (no sentences); a rarer pair
is left to the dictionary part of the model.

    python corpus/build_charlm.py            # writes summarizer/data/charlm_corpus.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.analyse.labelled import load_written  # noqa: E402
from summarizer.io.writers import atomic_write  # noqa: E402
from summarizer.text.charlm import corpus_counts, training_text  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
RAW = ROOT / "corpus" / "raw"
WRITTEN = ROOT / "corpus" / "written"
OUT = ROOT / "summarizer" / "data" / "charlm_corpus.json"
# The official documents are 40 times the school text; counted at full weight they drown it, and
# the repair of school pages got worse (held out: about 0.71 of lost bytes right against 0.74 at 0.3).
OFFICIAL_WEIGHT = 0.3
MIN_COUNT = 2  # an official pair seen once is left to the dictionary part (no measurable loss)


def seed_texts(pages: list[Path] | None = None) -> list[str]:
    """The seed pages (all of `corpus/raw` by default) as training text."""
    pages = sorted(RAW.glob("*.txt")) if pages is None else pages
    return [training_text(p.read_text(encoding="utf-8")) for p in pages]


def written_texts(folder: Path = WRITTEN) -> list[str]:
    """The team's written documents as training text: the labelled ones (`*.tsv`, title and
    paragraphs one per line) and the unlabelled prose (`prose/*.txt`, the same layout)."""
    labelled = ["\n".join(doc.lines) for doc in load_written(folder)]
    prose = [p.read_text(encoding="utf-8") for p in sorted((folder / "prose").glob("*.txt"))]
    return [training_text(text) for text in labelled + prose]


def school_texts(pages: list[Path] | None = None) -> list[str]:
    """The seed pages (`seed_texts`) and the written documents."""
    return seed_texts(pages) + written_texts()


def official_texts(paths: list[Path]) -> list[str]:
    return [training_text(p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def official_paths(shared: Path = SHARED) -> list[Path]:
    """The official documents of `../shared/corpus`, in path order."""
    return sorted(shared.rglob("*.txt"))


def counts(school: list[str], official: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Unigram and bigram counts: the school texts' as they are, the official texts' times
    `OFFICIAL_WEIGHT` (rounded; an official pair seen fewer than `MIN_COUNT` times left out)."""
    uni, bi = corpus_counts(school)
    o_uni, o_bi = corpus_counts(official)
    for total, extra, least in ((uni, o_uni, 1), (bi, o_bi, MIN_COUNT)):
        for key, n in extra.items():
            if n >= least and round(n * OFFICIAL_WEIGHT):
                total[key] += round(n * OFFICIAL_WEIGHT)
    return uni, bi


def build(shared: Path = SHARED) -> str:
    paths = official_paths(shared)
    if not paths:
        raise SystemExit(f"build_charlm: no texts in {shared}")
    uni, bi = counts(school_texts(), official_texts(paths))
    data = {"source": f"corpus/raw/*.txt, corpus/written/*.tsv, corpus/written/prose/*.txt, and {len(paths)} texts of "
                      f"../shared/corpus/**/*.txt counted x{OFFICIAL_WEIGHT} (pairs seen >= {MIN_COUNT} "
                      f"times); glosses stripped, mojibake neighbourhoods dropped, t2s",
            "unigrams": dict(sorted(uni.items())), "bigrams": dict(sorted(bi.items()))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    text = build()
    atomic_write(OUT, text.encode("utf-8"))
    print(f"{OUT}: {len(text.encode('utf-8')):,} bytes")
