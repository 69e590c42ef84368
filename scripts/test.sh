#!/usr/bin/env bash
# Set up on a fresh machine (Python >= 3.10) and run the whole test suite, lint included.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check summarizer tests benchmarks corpus
.venv/bin/python -m pytest "$@"
