"""Build the shipped section model `summarizer/data/section_model.pkl` and its training copy.

Why a script and not `summarizer train`: `train` never writes into the installed package; this
is the maintainers' step that refreshes what the package ships. It

1. copies the hand-labelled articles (`corpus/clean` + `corpus/labels`) and the team's written
   documents (`corpus/written/*.tsv`) into `summarizer/data/section_corpus.jsonl`, so that the
   model can be retrained wherever the package is installed;
2. trains on them plus the weakly labelled official documents of `../shared/corpus` (read from
   there, never copied: only the fitted weights ship), prints the evaluation that `summarizer
   train` prints (the README quotes it), and writes the model, recording the digest of the
   training copy it was fitted on (a test checks the two agree).

From the repository root:

    python corpus/build_section_model.py [--shared ../shared/corpus] [--folds 5]
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from summarizer.analyse import train as tr
from summarizer.analyse.classify import CORPUS_FILE, MODEL_FILE
from summarizer.analyse.labelled import load_hand, load_written, packaged_rows, read_corpus
from summarizer.io.writers import atomic_write

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "summarizer" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()

    ours = load_hand(HERE) + load_written(HERE / "written")
    rows = packaged_rows(ours)
    atomic_write(DATA / CORPUS_FILE, rows, durable=True)
    weak = read_corpus(args.shared) if args.shared.is_dir() else []
    print(f"{DATA / CORPUS_FILE}: {len(ours)} articles; weak: {len(weak)} articles from {args.shared}")
    result = tr.run_training(ours + weak, folds=args.folds, progress=print)
    result.model.trained_on_ = {"corpus_sha256": hashlib.sha256(rows.encode("utf-8")).hexdigest(),
                                "weak_articles": len(weak)}
    tr.save_model(result.model, DATA / MODEL_FILE)
    print(tr.describe(result))
    shown = result.holdout
    tr.save_confusion_png(shown.scores[tr.FINAL], shown.title, HERE.parent / "docs" / "section_confusion.png")
    print(f"model → {DATA / MODEL_FILE}")


if __name__ == "__main__":
    main()
