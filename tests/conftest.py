"""Fixtures built from the seed pages in corpus/raw."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "corpus" / "raw"


def seed_path(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The seed pages' text by their number: {'000': '…', '002': '…', …}."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))}


@pytest.fixture(scope="session")
def cleaned(seeds):
    """Each seed page cleaned: {'000': Document, …}."""
    from summarizer.clean.pipeline import clean_text

    return {k: clean_text(v, f"{k}.txt") for k, v in seeds.items()}
