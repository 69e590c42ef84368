"""Helpers shared by the web app's tests (imported by conftest and the test modules)."""

from __future__ import annotations

import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "corpus" / "clean"
RAW = ROOT / "corpus" / "raw"


def seed_index(db: Path, count: int = 12) -> None:
    """A reference index of the first `count` clean corpus articles (the checker then finds the
    raw pages' boilerplate in it)."""
    from summarizer.check.index import ReferenceIndex

    docs = []
    for f in sorted(CLEAN.glob("*.txt"))[:count]:
        text = f.read_text(encoding="utf-8")
        docs.append((f.stem, str(f), text.split("\n", 1)[0], text))
    with ReferenceIndex(db) as index:
        index.add_many(docs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, headless and quiet: no sandbox (containers, root), no GPU, and none of the
# background network traffic the tests must not depend on.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
