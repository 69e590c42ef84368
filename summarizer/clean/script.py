"""Traditional → simplified conversion with OpenCC, and telling which script a text is in."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, ...]:
    # Hong Kong and Taiwan variant forms (衞, 綫, 裏 …) first, then the general table; each
    # configuration maps simplified characters to themselves, so the chain is safe on any input.
    return tuple(opencc.OpenCC(cfg) for cfg in ("hk2s", "tw2s", "t2s"))


def to_simplified(text: str) -> tuple[str, dict[str, int]]:
    """Convert traditional characters (mainland, Taiwan, Hong Kong forms) to simplified.

    Counts the characters that changed (`t2s`).
    """
    out = text
    for conv in _converters():
        out = conv.convert(out)
    return out, {"t2s": _changed_chars(text, out)}


def _changed_chars(before: str, after: str) -> int:
    if len(before) == len(after):
        return sum(1 for a, b in zip(before, after) if a != b)
    import difflib

    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def detect_script(text: str) -> str:
    """'traditional', 'simplified' or 'mixed', from the share of Han characters OpenCC would change.

    A simplified text changes in (almost) no character; a traditional one in a large share of
    them, since the most frequent characters (們 個 這 為 學 國 …) differ.
    """
    han = _HAN.findall(text)
    if not han:
        return "simplified"
    sample = "".join(han[:20000])
    changed = to_simplified(sample)[1]["t2s"]
    share = changed / len(sample)
    if share < 0.02:
        return "simplified"
    if share > 0.12:
        return "traditional"
    return "mixed"
