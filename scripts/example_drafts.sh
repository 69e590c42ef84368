#!/usr/bin/env bash
# Regenerate examples/drafts/ (Word and Markdown) from examples/data/ after the composer or its
# phrase material changes; tests/compose/test_composer.py checks that they are current.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f examples/drafts/*.docx examples/drafts/*.md
for data in examples/data/*.yaml examples/data/*.json examples/data/*.xlsx; do
  stem=$(basename "${data%.*}")
  .venv/bin/summarizer draft "$data" -o "examples/drafts/$stem.docx"
  .venv/bin/summarizer draft "$data" -o "examples/drafts/$stem.md" > /dev/null
done
