#!/usr/bin/env bash
# Set up on a fresh machine (Python >= 3.10) and run the whole test suite, lint included.
set -euo pipefail
cd "$(dirname "$0")/.."
# The renderer tests convert a draft to PDF with LibreOffice and read it back with poppler, in
# CJK fonts (Noto CJK, AR PL UKai/UMing): install them from Debian when they are missing and we
# can (root with apt-get). A failed install only warns: the PDF tests then skip or fail loudly.
has_font() { command -v fc-list >/dev/null && fc-list "$1" family | grep -q .; }
if { ! command -v soffice >/dev/null && ! command -v libreoffice >/dev/null; } \
    || ! command -v pdftoppm >/dev/null || ! command -v pdffonts >/dev/null \
    || ! has_font "Noto Serif CJK SC" || ! has_font "AR PL UKai CN" || ! has_font "AR PL UMing CN"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    writer=libreoffice-writer-nogui
    { export DEBIAN_FRONTEND=noninteractive \
      && apt-get update -qq \
      && { apt-cache show "$writer" >/dev/null 2>&1 || writer=libreoffice-writer; } \
      && apt-get install -y -qq --no-install-recommends "$writer" poppler-utils \
        fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei >/dev/null; } \
      || echo "test.sh: could not install LibreOffice, poppler-utils and CJK fonts" >&2
  else
    echo "test.sh: LibreOffice/poppler/CJK fonts missing and cannot install them" \
      "(not root or no apt-get); the PDF tests will be skipped" >&2
  fi
fi
# The web app's end-to-end tests drive Debian's headless Chromium with Playwright (no browser
# download): install it when missing and we can; without it those tests skip.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { export DEBIAN_FRONTEND=noninteractive \
      && apt-get update -qq \
      && apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
      || echo "test.sh: could not install chromium" >&2
  else
    echo "test.sh: /usr/bin/chromium missing and cannot install it" \
      "(not root or no apt-get); the web end-to-end tests will be skipped" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check summarizer tests benchmarks corpus examples
.venv/bin/python -m pytest "$@"
