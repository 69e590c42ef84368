"""Traditional → simplified conversion with OpenCC, and telling which script a text is in."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
import opencc

from summarizer.text.spans import splice

_HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))  # CJK ideographs, extension A, compatibility
_HAN = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _HAN_RANGES) + "]")


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
    (a0, b0), (a1, b1) = _HAN_RANGES
    return cp[((cp >= a0) & (cp <= b0)) | ((cp >= a1) & (cp <= b1))]


def to_simplified(text: str) -> tuple[str, dict[str, int]]:
    """Convert traditional characters (mainland, Taiwan, Hong Kong forms) to simplified.

    The general table (`t2s`) runs first; the Hong Kong and Taiwan variant tables (衞, 綫, 裏 …,
    `hk2s` then `tw2s`) run only where they can matter: after a change, or on text with Han
    characters outside GB2312 (a simplified text inside GB2312 holds no variant form). Each runs
    only on the clauses that one of its entries can change (`_convert`).
    Counts the characters that changed (`t2s`).
    """
    general, variants = _converters()
    table = _tables()
    flags = _flags(text, table)
    out = _convert(text, (general,), _GENERAL, flags)
    if out != text:
        out = _convert(out, variants, _VARIANT, _flags(out, table))
    elif _has_rare_han(text, flags):
        out = _convert(out, variants, _VARIANT, flags)
    return out, {"t2s": _changed_chars(text, out)}


# The conversions: `t2s` reads the general dictionaries, `hk2s` and `tw2s` their variant tables
# (a variant form to the standard one) and then the general ones.
_GENERAL_CONFIGS = ("t2s",)
_VARIANT_CONFIGS = ("hk2s", "tw2s")
_SEPARATOR_CANDIDATES = "\n。，！？；：,;!?"
_WHOLE_TEXT_SHARE = 0.5  # converting clauses that cover more of the text than this costs more
_DENSE = 20  # one witness in this many characters or more: the clauses would cover most of it


# Flags of a character in the lookup table `_tables` returns.
_GENERAL = 1  # a witness character of a dictionary `t2s` reads
_VARIANT = 2  # a witness character of a dictionary `hk2s` or `tw2s` reads (general ones included)
_SEPARATOR = 4  # in no key of any of the dictionaries
_RARE_HAN = 8  # a Han character outside GB2312 (`_may_hold_variants`)
# `bytes.translate` tables: a byte of flags to 1 when it has the flag, else to 0.
_HAS_FLAG = {flag: bytes(1 if b & flag else 0 for b in range(256))
             for flag in (_GENERAL, _VARIANT, _SEPARATOR, _RARE_HAN)}


def _flags(text: str, table: np.ndarray | None) -> bytes | None:
    """The flags of each character of `text`, one byte each; None without the table."""
    if table is None:
        return None
    return np.take(table, np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)).tobytes()


def _has_rare_han(text: str, flags: bytes | None) -> bool:
    """`_may_hold_variants(text)`, from the flags when there are some."""
    if flags is None:
        return _may_hold_variants(text)
    return flags.translate(_HAS_FLAG[_RARE_HAN]).find(1) >= 0


def _convert(text: str, converters: tuple[opencc.OpenCC, ...], witness: int, flags: bytes | None) -> str:
    """`text` through `converters` in turn, run only on the clauses (between separators) that
    hold a witness character of the dictionaries they read: every entry that changes text has
    one, so in a clause without any no entry can match, and the clause stays as it is (OpenCC
    converts a clause on its own: no key holds a separator). A simplified page
    then costs one table lookup per character instead of an OpenCC pass (about a third of the
    time), and the variant tables touch a small part of a traditional page. Where the clauses cover most of the text, or
    without OpenCC's dictionary tool, the whole text is converted: the same result."""
    spans = _clauses_with(flags, witness) if flags is not None else None
    if spans == []:
        return text
    if spans is not None and sum(b - a for a, b in spans) <= _WHOLE_TEXT_SHARE * len(text):
        parts = _through("\n".join(text[a:b] for a, b in spans), converters).split("\n")
        if len(parts) == len(spans):  # always (no entry holds a separator); be exact anyway
            return splice(text, spans, parts)
    return _through(text, converters)


def _through(text: str, converters: tuple[opencc.OpenCC, ...]) -> str:
    for conv in converters:
        text = conv.convert(text)
    return text


def _clauses_with(flags: bytes, witness: int) -> list[tuple[int, int]] | None:
    """(start, end) of each clause (between separators) of the text whose `_flags` are given
    that holds a character with the `witness` flag, in order; None when witnesses are so dense
    (a traditional page) that the clauses would cover most of the text anyway.

    The flags are searched as bytes: `bytes.find` runs at memory speed, where numpy's
    `flatnonzero` of the same flags cost five times as much."""
    hits = flags.translate(_HAS_FLAG[witness])
    first = hits.find(1)
    if first < 0:
        return []
    if hits.count(1) * _DENSE > len(hits):
        return None
    cuts = flags.translate(_HAS_FLAG[_SEPARATOR])
    spans = []
    at = first
    while at >= 0:
        end = cuts.find(1, at)
        end = len(cuts) if end < 0 else end
        spans.append((cuts.rfind(1, 0, at) + 1, end))
        at = hits.find(1, end)
    return spans


@lru_cache(maxsize=1)
def _tables() -> np.ndarray | None:
    """A lookup table over all code points of flags: `_GENERAL` and `_VARIANT` for the witness
    characters of the dictionaries of the general and the variant conversions (one character of
    every entry that changes its text, the one that changes where that is one character, so that
    an entry can only match where its witness stands), `_SEPARATOR` for the clause separators
    (characters in no key of any dictionary). Read from OpenCC's own configurations and
    dictionaries with its `opencc_dict` tool, once per user (`summarizer.io.cache`); None when
    the tool is missing or a dictionary is not a file it reads."""
    from summarizer.io.cache import cached

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    try:
        dicts = {name: _config_dicts(share / f"{name}.json") for name in (*_GENERAL_CONFIGS, *_VARIANT_CONFIGS)}
        files = sorted({share / f for names in dicts.values() for f in names})
        if not tool.is_file() or not all(f.suffix == ".ocd2" and f.is_file() for f in files):
            return None
        configs = [share / f"{name}.json" for name in dicts]
        return cached("opencc-tables", [tool, *configs, *files, Path(__file__), np.__version__],
                      lambda: _build_tables(tool, share, dicts))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _config_dicts(config: Path) -> set[str]:
    """The dictionary files an OpenCC configuration reads."""
    def files(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from [value] if key == "file" else files(value)
        elif isinstance(node, list):
            for value in node:
                yield from files(value)

    return set(files(json.loads(config.read_text(encoding="utf-8"))))


def _build_tables(tool: Path, share: Path, dicts: dict[str, set[str]]) -> np.ndarray:
    table = np.zeros(sys.maxunicode + 1, dtype=np.uint8)
    in_keys: set[str] = set()
    flag_of: dict[str, int] = {}
    for name, files in dicts.items():
        for file in files:
            flag_of[file] = flag_of.get(file, 0) | (_GENERAL if name in _GENERAL_CONFIGS else _VARIANT)
    with tempfile.TemporaryDirectory() as tmp:
        for file, flag in sorted(flag_of.items()):
            dump = Path(tmp) / f"{file}.txt"
            subprocess.run([str(tool), "-i", str(share / file), "-o", str(dump), "-f", "ocd2", "-t", "text"],
                           check=True, capture_output=True, timeout=60)
            for line in dump.read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                in_keys.update(key)
                value = values.split(" ")[0]
                if key != value:
                    changed = [a for a, b in zip(key, value) if a != b] if len(key) == len(value) else []
                    table[ord((changed or key)[0])] |= flag
    separators = [ord(c) for c in _SEPARATOR_CANDIDATES if c not in in_keys]
    if ord("\n") not in separators:
        raise ValueError("a dictionary key holds a line break")
    table[separators] |= _SEPARATOR
    han = np.zeros(len(table), dtype=bool)
    for first, last in _HAN_RANGES:
        han[first:last + 1] = True
    han[:0x10000] &= ~_gb2312_han()
    table[han] |= _RARE_HAN
    return table


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
