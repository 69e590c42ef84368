#!/usr/bin/env bash
# Set up on a fresh machine (Python >= 3.10) and run the main job on the bundled corpus:
# the seed pages in corpus/raw become clean articles and a manifest in out/clean.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/summarizer clean corpus/raw -o out/clean
head -c 600 out/clean/manifest.jsonl; echo
