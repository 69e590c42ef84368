"""Inputs of the duplication check: files cleaned into reference documents or submissions.

One cleaning loop serves `index add` and `check`, on the command line and in the web app, so
that every front end cleans and reports bad inputs alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from summarizer.check.checker import Submission
from summarizer.clean.pipeline import clean_input
from summarizer.document import Document
from summarizer.io import iter_inputs


def cleaned_inputs(paths: list[Path]) -> Iterator[tuple[str, Document | None, str | None]]:
    """(source, cleaned Document or None, error or None) for every input under `paths`."""
    for raw in iter_inputs(paths):
        cleaned = clean_input(raw)
        if isinstance(cleaned, str):
            yield raw.source, None, cleaned
        else:
            yield raw.source, cleaned[1], None


def reference_documents(paths: list[Path]) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str]]]:
    """(name, source, title, text) of every article of every input, and the (source, error) of
    every input that could not be read."""
    docs, errors = [], []
    for source, doc, error in cleaned_inputs(paths):
        if doc is None:
            errors.append((source, error or ""))
            continue
        for art in doc.articles:
            name = source if len(doc.articles) == 1 else f"{source}#{art.index}"
            docs.append((name, source, art.title, art.text))
    return docs, errors


def submissions_of(paths: list[Path]) -> list[Submission]:
    """One submission per input file (all its articles together), or its error."""
    return [Submission(source, error=error) if doc is None else
            Submission(source, doc.articles[0].title, "".join(a.text for a in doc.articles))
            for source, doc, error in cleaned_inputs(paths)]
