"""Traditional → simplified conversion with OpenCC, and telling which script a text is in."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import opencc

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, tuple[opencc.OpenCC, ...]]:
    return opencc.OpenCC("t2s"), (opencc.OpenCC("hk2s"), opencc.OpenCC("tw2s"))


@lru_cache(maxsize=1)
def _gb2312_han() -> np.ndarray:
    """True for the Han characters of GB2312 (a lookup table over the BMP)."""
    table = np.zeros(0x10000, dtype=bool)
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                table[ord(bytes((lead, trail)).decode("gb2312"))] = True
            except UnicodeDecodeError:
                pass
    return table


def _may_hold_variants(text: str) -> bool:
    """True when `text` has a Han character outside GB2312: only those can be the Hong Kong or
    Taiwan variant forms (衞 綫 裏 …) the second tables fix. Symbols outside GB2312 (•, ★, emoji)
    do not count, so simplified text with such symbols stays at one OpenCC pass."""
    return not bool(_gb2312_han()[_han(text)].all())


@lru_cache(maxsize=2)
def _han(text: str) -> np.ndarray:
    """The code points of the Han characters of `text`. Cached (two pages): the cleanup asks for
    them twice per simplified page, here and in `count_han`, on equal strings."""
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return cp[((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF))]


def to_simplified(text: str) -> tuple[str, dict[str, int]]:
    """Convert traditional characters (mainland, Taiwan, Hong Kong forms) to simplified.

    The general table runs first; the Hong Kong and Taiwan variant tables (衞, 綫, 裏 …) run only
    where they can matter: after a change, or on text with characters outside GB2312 (a simplified
    text inside GB2312 holds no variant form). That keeps simplified input at one OpenCC pass.
    Counts the characters that changed (`t2s`).
    """
    general, variants = _converters()
    out = general.convert(text)
    if out != text or _may_hold_variants(out):
        for conv in variants:
            out = conv.convert(out)
    return out, {"t2s": _changed_chars(text, out)}


def _changed_chars(before: str, after: str) -> int:
    if before == after:
        return 0
    if len(before) == len(after):
        a = np.frombuffer(before.encode("utf-32-le"), dtype=np.uint32)
        b = np.frombuffer(after.encode("utf-32-le"), dtype=np.uint32)
        return int(np.count_nonzero(a != b))
    import difflib

    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def script_from_counts(changed: int, han: int) -> str:
    """The script label from how many of `han` Han characters t2s changed."""
    if not han:
        return "simplified"
    share = changed / han
    if share < 0.02:
        return "simplified"
    if share > 0.12:
        return "traditional"
    return "mixed"


def count_han(text: str) -> int:
    """Number of Han characters (CJK unified ideographs, extension A, compatibility)."""
    return len(_han(text))


def detect_script(text: str) -> str:
    """'traditional', 'simplified' or 'mixed', from the share of Han characters OpenCC would change.

    A simplified text changes in (almost) no character; a traditional one in a large share of
    them, since the most frequent characters (們 個 這 為 學 國 …) differ.
    """
    sample = "".join(_HAN.findall(text[:40000]))
    return script_from_counts(_changed_chars(sample, _converters()[0].convert(sample)), len(sample))
