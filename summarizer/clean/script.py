"""Traditional → simplified conversion with OpenCC, and telling which script a text is in."""

from __future__ import annotations

import re
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

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
    text inside GB2312 holds no variant form), and there only on the clauses that hold a variant
    form (`_variant_clauses`). That keeps simplified input at one OpenCC pass.
    Counts the characters that changed (`t2s`).
    """
    general, variants = _converters()
    out = general.convert(text)
    if out != text or _may_hold_variants(out):
        out = _convert_variants(out, variants)
    return out, {"t2s": _changed_chars(text, out)}


# OpenCC's Hong Kong and Taiwan tables that map a variant form to the standard one; `hk2s` and
# `tw2s` apply them, then the general table.
_VARIANT_DICTS = ("HKVariantsRevPhrases", "HKVariantsRev", "TWVariantsRevPhrases", "TWVariantsRev")
# Every dictionary `hk2s` and `tw2s` read: a clause separator must stand in none of their keys.
_ALL_DICTS = (*_VARIANT_DICTS, "TSPhrases", "TSCharacters", "TSCharactersExt", "CJK_Compatibility_Ideographs")
_SEPARATOR_CANDIDATES = "\n。，！？；：,;!?"


def _convert_variants(text: str, variants: tuple[opencc.OpenCC, ...]) -> str:
    """`text` through the variant conversions (`hk2s`, then `tw2s`), run on its clauses that
    hold a variant form only. A clause without one is left as it is: no entry of the variant
    tables can match in it, and the general table has already run over it. On a traditional
    page that is a fifth of the text instead of all of it, twice (the two conversions cost
    twice the general one). Without OpenCC's dictionary tool, the whole text is converted."""
    tables = _variant_tables()
    spans = _variant_clauses(text, *tables) if tables is not None else None
    if spans is None:  # no tables, or characters outside the Basic Multilingual Plane
        for conv in variants:
            text = conv.convert(text)
        return text
    if not spans:
        return text
    clauses = [text[a:b] for a, b in spans]
    converted = "\n".join(clauses)
    for conv in variants:
        converted = conv.convert(converted)
    parts = converted.split("\n")
    if len(parts) != len(clauses):  # not expected (no entry holds a separator); be exact anyway
        for conv in variants:
            text = conv.convert(text)
        return text
    pieces, pos = [], 0
    for (a, b), part in zip(spans, parts):
        pieces.append(text[pos:a])
        pieces.append(part)
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _variant_clauses(text: str, witness: np.ndarray, separator: np.ndarray) -> list[tuple[int, int]] | None:
    """(start, end) of each clause of `text` (between separators) that holds a witness
    character, in order; None when `text` has characters beyond the BMP (the tables' range)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(cps) and int(cps.max()) > 0xFFFF:
        return None
    hits = np.flatnonzero(witness[cps])
    if not len(hits):
        return []
    cuts = np.flatnonzero(separator[cps])
    bounds = np.concatenate(([-1], cuts, [len(cps)]))  # the separators, and both ends
    after = np.searchsorted(cuts, hits)  # a hit's clause ends at bounds[after + 1]
    starts, first = np.unique(bounds[after] + 1, return_index=True)
    return list(zip(starts.tolist(), bounds[after + 1][first].tolist()))


@lru_cache(maxsize=1)
def _variant_tables() -> tuple[np.ndarray, np.ndarray] | None:
    """Two lookup tables over the BMP: the witness characters of the variant tables (one
    character of every entry that changes its text, the one that changes, so that an entry can
    only match where its witness stands), and the clause separators (characters in no key of any
    dictionary the variant conversions read). Read from OpenCC's own dictionaries with its
    `opencc_dict` tool, once per user (`summarizer.io.cache`); None when the tool is missing."""
    from summarizer.io.cache import cached

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    files = [share / f"{name}.ocd2" for name in _ALL_DICTS]
    if not tool.is_file() or not all(f.is_file() for f in files):
        return None
    try:
        return cached("opencc-variants", [tool, *files, Path(__file__), np.__version__],
                      lambda: _build_variant_tables(tool, share))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _build_variant_tables(tool: Path, share: Path) -> tuple[np.ndarray, np.ndarray]:
    witness = np.zeros(0x10000, dtype=bool)
    in_keys: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for name in _ALL_DICTS:
            dump = Path(tmp) / f"{name}.txt"
            subprocess.run([str(tool), "-i", str(share / f"{name}.ocd2"), "-o", str(dump), "-f", "ocd2",
                            "-t", "text"], check=True, capture_output=True, timeout=60)
            for line in dump.read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                in_keys.update(key)
                value = values.split(" ")[0]
                if name in _VARIANT_DICTS and key != value:
                    changed = [a for a, b in zip(key, value) if a != b] if len(key) == len(value) else list(key)
                    for ch in changed[:1] or key:
                        if ord(ch) > 0xFFFF:
                            raise ValueError(f"{name}: witness {ch!r} beyond the BMP")
                        witness[ord(ch)] = True
    separator = np.zeros(0x10000, dtype=bool)
    separator[[ord(c) for c in _SEPARATOR_CANDIDATES if c not in in_keys]] = True
    if not separator[ord("\n")]:
        raise ValueError("a dictionary key holds a line break")
    return witness, separator


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
