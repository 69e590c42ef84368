"""Fluency of candidate sentences, by a character language model of report text.

Among equivalent wordings the composer keeps the ones the model finds most like report prose
(mean log-probability per character), then lets the seed choose among those: the model weeds out
combinations that read oddly once filled with the data; the seed keeps drafts varied.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _model():
    from summarizer.clean.charlm import CharLM

    return CharLM.default()


def score(sentence: str) -> float:
    """Mean log-probability per character (higher reads more like the corpus)."""
    return _model().logprob(sentence) / max(1, len(sentence))


def rank(sentences: list[str]) -> list[str]:
    """The sentences, most fluent first (ties keep their order)."""
    return sorted(sentences, key=lambda s: -score(s))
