"""Character classes as lookup tables over the Basic Multilingual Plane, for the steps that
classify every character of a page at once with numpy instead of scanning it with a regex."""

from __future__ import annotations

import re

import numpy as np

BMP = 0x10000


def char_table(chars: str) -> np.ndarray:
    """True for `chars` (all in the BMP)."""
    table = np.zeros(BMP, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


# What the regex `\d` (any Unicode decimal digit) matches in the BMP.
DECIMAL = np.zeros(BMP, dtype=bool)
DECIMAL[[m.start() for m in re.finditer(r"\d", "".join(map(chr, range(BMP))))]] = True
