"""ASCII punctuation inside Chinese text becomes full-width; ASCII stays in numbers, URLs, Latin.

Scraped and hand-typed reports mix `,` and `，` freely. The cleaned format uses full-width
punctuation wherever the mark sits in Chinese text, and leaves it alone in `1,000`, `9:00`,
`http://…`, `(PDF)`.
"""

from __future__ import annotations

import re

# Han characters, CJK punctuation and full-width forms count as "Chinese" context.
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019"
_CJK_RE = re.compile(f"[{_CJK}]")
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

# A mark with Chinese on at least one side. `:` and `,` between digits (9:00, 1,000) and
# `://` are excluded by the callback.
_MARK = re.compile(rf"(?<=[{_CJK}])[,:;?!]|[,:;?!](?=[{_CJK}])")
# A parenthesised group without nesting, at most 40 characters.
_PAREN = re.compile(r"\(([^()\n]{0,40})\)")
_QUOTE = re.compile(r'"([^"\n]{1,200})"')
# Begins with the backtick itself (the Chinese character before it checked by a lookbehind):
# a pattern that begins with a lookbehind is tried at every character of the page.
_BACKTICK = re.compile(rf"`(?<=[{_CJK}]`)`*(?=[{_CJK}])")
# `_MARK` and its exceptions in one pattern, for text without full-width digits: a mark between
# two digits needs a digit on its Chinese side, and the only digits in `_CJK` are ０-９, so
# without them only the `://` exception is left (`(?!(?<=:)/)`: not a colon before a slash).
# The pattern starts with the character class of the marks, so that the regex engine jumps
# from mark to mark instead of trying the lookbehind at every character (~4× faster, and no
# Python callback deciding each match).
_MARK_PLAIN = re.compile(rf"[,:;?!](?!(?<=:)/)(?:(?<=[{_CJK}].)|(?=[{_CJK}]))")
# Without two marks side by side, no replacement changes the neighbour of another mark, so one
# pass per mark with a plain replacement string gives the same text with no Python call per
# match (a page holds thousands of marks).
_MARK_EACH = tuple(
    (ch, re.compile(rf"{re.escape(ch)}(?!(?<=:)/)(?:(?<=[{_CJK}]{re.escape(ch)})|(?=[{_CJK}]))"), _FULL[ch])
    for ch in ",:;?!"
)
# Two marks side by side, one pattern per first mark: a pattern that begins with a plain
# character is scanned for ten times faster than one that begins with a class.
_MARK_PAIRS = {ch: re.compile(f"{re.escape(ch)}[,:;?!]") for ch in ",:;?!"}
_FULL_WIDTH_DIGITS = "０１２３４５６７８９"


def _special(text: str) -> bool:
    """True when `text` holds a full-width digit or two ASCII marks side by side, the cases
    that the one-pass-per-mark replacement cannot handle; each test looks for a plain character
    (a substring test is ~50× cheaper than a regex scan with a character class)."""
    return _has_full_width_digit(text) or any(ch in text and pair.search(text) for ch, pair in _MARK_PAIRS.items())


def _has_full_width_digit(text: str) -> bool:
    return any(d in text for d in _FULL_WIDTH_DIGITS)


def _full_width(m: re.Match[str]) -> str:
    return _FULL[m.group()]


def _is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_RE.match(ch) is not None


def normalize_punctuation(text: str) -> tuple[str, dict[str, int]]:
    """Make punctuation in Chinese text full-width; counts every changed mark (`punctuation`)."""
    changed = 0

    def mark(m: re.Match[str]) -> str:
        nonlocal changed
        ch = m.group()
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",:" and before.isdigit() and after.isdigit():
            return ch
        if ch == ":" and after == "/":
            return ch
        changed += 1
        return _FULL[ch]

    if not _special(text):
        out = text
        for ch, pattern, full in _MARK_EACH:
            if ch in out:  # a substring test is ~10× cheaper than a pass that finds nothing
                out, n = pattern.subn(full, out)
                changed += n
    elif not _has_full_width_digit(text):
        out, changed = _MARK_PLAIN.subn(_full_width, text)
    else:
        out = _MARK.sub(mark, text)

    def paren(m: re.Match[str]) -> str:
        nonlocal changed
        inner = m.group(1)
        s, e = m.start(), m.end()
        before = out[s - 1] if s else ""
        after = out[e] if e < len(out) else ""
        if _CJK_RE.search(inner) or _is_cjk(before) or _is_cjk(after) or (not before and inner.isdigit()):
            changed += 2
            return f"（{inner}）"
        return m.group()

    # Each remaining pass needs its trigger character: skipped cheaply when it is absent.
    if "(" in out:
        out = _PAREN.sub(paren, out)

    def quote(m: re.Match[str]) -> str:
        nonlocal changed
        if _CJK_RE.search(m.group(1)):
            changed += 2
            return f"“{m.group(1)}”"
        return m.group()

    if '"' in out:
        out = _QUOTE.sub(quote, out)
    if "`" in out:
        out, n = _BACKTICK.subn("", out)
        changed += n
    return out, {"punctuation": changed}
