"""Fluency of candidate sentences, by a character language model of official report prose.

Among equivalent wordings the composer keeps the ones the model finds most like report prose
(mean log-probability per character), then lets the seed choose among those: the model weeds out
combinations that read oddly once filled with the data; the seed keeps drafts varied. The model is
the cleanup's smoothed character bigram model (`text/charlm.py`: jieba's dictionary for in-word
statistics) with its corpus part counted from `../shared/corpus` and the seed articles
(`corpus/build_draft_lm.py` → `data/draft_lm.json`), built once and kept in the per-user cache.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

_DATA = ("data", "draft_lm.json")


def _build():
    from summarizer.text.charlm import CharLM, _dict_arrays, jieba_dict_path, read_dict

    data = json.loads(resources.files("summarizer").joinpath(*_DATA).read_text(encoding="utf-8"))
    path = jieba_dict_path()
    arrays = _dict_arrays(path)
    return CharLM(Counter(data["unigrams"]), Counter(data["bigrams"]), read_dict(path) if arrays is None else arrays)


@lru_cache(maxsize=1)
def _model():
    from summarizer.io.cache import cached
    from summarizer.text.charlm import jieba_dict_path, symbol_parts

    source = Path(str(resources.files("summarizer").joinpath(*_DATA)))
    return cached("draft_lm", [*symbol_parts(), source, jieba_dict_path(), Path(__file__)], _build)


def score(sentence: str) -> float:
    """Mean log-probability per character (higher reads more like the corpus)."""
    return _model().logprob(sentence) / max(1, len(sentence))


def rank(sentences: list[str]) -> list[str]:
    """The sentences, most fluent first (ties keep their order)."""
    return sorted(sentences, key=lambda s: -score(s))
