"""Fixtures built from the seed pages in corpus/raw."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "corpus" / "raw"


def corpus_script(name: str) -> ModuleType:
    """`corpus/<name>.py`, a build script, as a module (corpus/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "corpus" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
