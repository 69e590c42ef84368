"""The notebooks run top to bottom on a fresh kernel, and show what they claim to."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from tests.conftest import ROOT


def test_corpus_notebook_executes_and_shows_the_grouped_cv():
    nb = nbformat.read(ROOT / "notebooks" / "corpus.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    text = "\n".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.get("outputs", []))
    assert "27 articles from 4 source pages, 614 labelled lines" in text
    assert "macro-F1" in text and "wrong" in text
    images = sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.get("outputs", []))
    assert images >= 2  # paragraph lengths and the confusion matrix
