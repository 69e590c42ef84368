"""Fluency of candidate sentences, by a character language model of report prose.

Among equivalent wordings the composer keeps the ones the model finds most like report prose
(mean log-probability per character), then lets the seed choose among those: the model weeds out
combinations that read oddly once filled with the data; the seed keeps drafts varied. The model is
the one the cleanup repairs mojibake with (`text/charlm.py`: jieba's dictionary for in-word
statistics, its corpus part counted from the seed pages, the team's written school documents and
`../shared/corpus` by `corpus/build_charlm.py`).
"""

from __future__ import annotations

from summarizer.text.charlm import CharLM


def score(sentence: str) -> float:
    """Mean log-probability per character (higher reads more like the corpus)."""
    return CharLM.default().logprob(sentence) / max(1, len(sentence))


def rank(sentences: list[str]) -> list[str]:
    """The sentences, most fluent first (ties keep their order)."""
    return sorted(sentences, key=lambda s: -score(s))
