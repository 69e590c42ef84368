"""Paragraph breaks: restored in run-on text, mended where a line was broken mid-sentence.

Some pages lost every line break (seed 002 holds five reports on one line); others broke a
sentence across two lines (`…手机短` / `信、校讯通…`). A break is put back before a heading marker
that opens a new point (`一、` `（一）` `1、` `1.` `（1）` `第一，` `首先，` `其次，`): after the end of
a sentence or a colon, or as the next number of a sequence already running, or as the first
sub-point right after a heading. `1.5`, `第一次`, `一、二年级`, `2011.3` are not markers.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from summarizer.clean.charsets import BMP, DECIMAL

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# A heading marker at the start of a point: `一、` (l1), `（一）` (l2), `1、`/`1.` (l3), `（1）`/`①`
# (l4), `第一，`/`首先，`… (ord). The pattern begins with the class of every marker's first
# character, so that the regex engine skips to candidate positions (a leading lookahead made it
# 3.5× faster than the bare alternation; a leading class is another ~25%); each branch then
# checks that first character with a lookbehind, and an empty named group tells which branch
# matched (`_kind`), since a group cannot begin before the consumed character. The branches
# exclude each other by their first two characters, so their order does not matter.
MARKER = re.compile(
    rf"[{_CN}（(\d{_CIRCLED}第首其再最总]"
    rf"(?:(?<=[{_CN}])(?P<l1>)[{_CN}]{{0,2}}、"
    rf"|(?<=[（(])(?P<l2>)[{_CN}]{{1,3}}[）)]、?"
    r"|(?<=\d)(?<![\d.．]\d)(?P<l3>)\d?[、.．](?![\d.．%])"
    rf"|(?<=[（(])(?P<l4>)\d{{1,2}}[）)]|(?<=[{_CIRCLED}])(?P<l4_circled>)"
    rf"|(?<=第)(?P<ord>)[{_CN}]{{1,3}}[，,、]|(?<=首)(?P<ord_first>)先[，,]|(?<=其)(?P<ord_next>)次[，,]"
    r"|(?<=再)(?P<ord_again>)次[，,]|(?<=最)(?P<ord_last>)后[，,]|(?<=总)(?P<ord_sum>)之[，,])"
)
# Where a `MARKER` match can start, found on the page spelled in classes of characters, one byte
# each: `n` a numeral (一…十 or a digit), `c` a closing (、 . ． ） )), `o` an opening parenthesis,
# `s` a marker of its own (① … ⑩, 第), `f`/`g` the first/second character of 首先 其次 再次 最后
# 总之, `!` beyond the BMP, `.` anything else. A match either ends in a closing right after a run
# of numerals (`一、`, `12、`, `1.`, `（一）`, `（1）`: the run, or the parenthesis before it,
# starts it) or starts with `s` or `fg`. Searching those bytes with patterns that begin with a
# plain character is ~4× cheaper than scanning the page with `MARKER`, which begins with a class
# of common characters (一 二 十 第 digits …) and is tried at each of them.
_CLASS_OF = np.full(BMP + 1, ord("."), dtype=np.uint8)  # + 1: every code point beyond the BMP
_CLASS_OF[BMP] = ord("!")
for _chars, _letter in ((_CN, "n"), ("、.．）)", "c"), ("（(", "o"), (_CIRCLED + "第", "s"),
                        ("首其再最总", "f"), ("先次后之", "g")):
    _CLASS_OF[[ord(c) for c in _chars]] = ord(_letter)
_CLASS_OF[np.flatnonzero(DECIMAL)] = ord("n")
_CLOSING_AFTER_NUMERAL = re.compile(rb"c(?<=nc)")
_N, _O = ord("n"), ord("o")
_KINDS = {"l4_circled": "l4", "ord_first": "ord", "ord_next": "ord", "ord_again": "ord", "ord_last": "ord",
          "ord_sum": "ord"}
_BOUNDARY = "。！？；：!?;:"
_CLOSERS = "”’」』）)"
# What a marker cannot be followed by: another numeral of an enumeration or a grade (`一、二年级`,
# `一、二、三`), `次`, `年`, and after an Arabic number a digit (`1、2号楼`). A year or a word that
# begins with a numeral may follow a Chinese numeral: `一、2025年工作回顾`, `（三）一体推进…`,
# `一、一年接着一年干` are headings of the provincial reports.
_NOT_AFTER_CN_MARKER = re.compile(rf"[{_CN}]{{1,3}}(?:、|年级)|年级|次|年")
_NOT_AFTER_ARABIC_MARKER = re.compile(rf"[{_CN}\d]|年级|次|年")
_CN_KINDS = frozenset({"l1", "l2", "ord"})
_OPEN_ENDS = frozenset(f"{_BOUNDARY}{_CLOSERS}…—")


# A table row in the text: cells between pipes (`| 工作项目 | 具体内容 | 成果 |`), the form the
# docx and text-table readers give a row (`summarizer.io.readers`) and the form pages carry.
# A row is content whatever it holds (`| 18 |`), so no step judges it as chrome, joins it or
# splits it; it stays one paragraph with its cells in order.
_PIPES = "|｜"
TABLE_SEP = " | "


def table_row_cells(line: str) -> list[str] | None:
    """The cells of a table row written between pipes, or None when the line is not one: it
    starts and ends with a pipe and holds two cells or more (`| 内容 | 18 |`)."""
    if len(line) < 3 or line[0] not in _PIPES or line[-1] not in _PIPES:
        return None
    cells = [c.strip() for c in re.split("[|｜]", line[1:-1])]
    return cells if len(cells) >= 2 else None


def table_rows(lines: list[str]) -> set[int]:
    """Indexes of the lines that are table rows: rows between pipes, and runs of three lines or
    more with the same number (two or more) of pipe-separated cells (`工作项目 | 具体内容`).
    A single `登录 | 注册` line is a navigation bar, not a table."""
    rows: set[int] = set()
    run: list[int] = []
    run_cells = 0
    for i, line in enumerate([*lines, ""]):
        has_pipe = "|" in line or "｜" in line
        if has_pipe and table_row_cells(line) is not None:
            rows.add(i)
        cells = len(re.split("[|｜]", line)) if has_pipe else 0
        if cells >= 2 and (not run or cells == run_cells):
            run.append(i)
            run_cells = cells
            continue
        if len(run) >= 3:
            rows.update(run)
        run, run_cells = ([i], cells) if cells >= 2 else ([], 0)
    return rows


_NON_DIGITS = re.compile(r"\D")
_NON_CN = re.compile(rf"[^{_CN}]")


@lru_cache(maxsize=1024)
def cn_value(s: str) -> int:
    """Value of a small Chinese numeral (一 … 九十九) or of digits. Cached: it is asked for the
    same few dozen markers tens of thousands of times per archive."""
    digits = _NON_DIGITS.sub("", s)
    if digits:
        return int(digits)
    s = _NON_CN.sub("", s)
    if not s:
        return 0
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_VALUE.get(tens, 1) if tens else 1) * 10 + (_CN_VALUE.get(ones, 0) if ones else 0)
    return _CN_VALUE.get(s[0], 0)


def _kind(m: re.Match[str]) -> str:
    """The marker's level: `l1` … `l4` or `ord`."""
    kind = m.lastgroup or ""
    return _KINDS.get(kind, kind)


def marker_at(line: str) -> re.Match[str] | None:
    """The heading marker a line starts with, if any."""
    m = MARKER.match(line)
    if m and not _not_a_marker(m, line, m.end()):
        return m
    return None


def _not_a_marker(m: re.Match[str], line: str, end: int) -> bool:
    """Whether what follows `m` (at `end` in `line`) says it is a number in the text, not a marker."""
    guard = _NOT_AFTER_CN_MARKER if _kind(m) in _CN_KINDS else _NOT_AFTER_ARABIC_MARKER
    return guard.match(line, end) is not None


def split_run_on(line: str) -> list[str]:
    """Cut one line before the heading markers that open new points."""
    return _split_at(line, [m for m in MARKER.finditer(line) if m.start() > 0], 0)


def _split_at(line: str, inline: list[re.Match[str]], offset: int) -> list[str]:
    """`split_run_on` given the marker matches inside the line (not at its start), found in a
    text where the line starts at `offset`."""
    cuts: list[int] = []
    last_value: dict[str, int] = {}
    seg_start = 0
    head = marker_at(line)
    if head:
        last_value[_kind(head)] = cn_value(head.group())
    for m in inline:
        s = m.start() - offset
        if _not_a_marker(m, line, m.end() - offset):
            continue
        if line.count("“", seg_start, s) > line.count("”", seg_start, s):
            continue  # inside a quotation (`11.“五统一、一开放”`): no point starts there
        kind, value = _kind(m), cn_value(m.group())
        prev = line[s - 1]
        # The three reasons to cut, tested in order of cost (each only when the ones before fail).
        after_boundary = prev in _BOUNDARY or (prev in _CLOSERS and s > 1 and line[s - 2] in _BOUNDARY)
        in_sequence = kind != "ord" and last_value.get(kind) == value - 1 and s - seg_start >= 4
        # `三、活动形式1. 募捐：…`: the first sub-point right after a heading with no sentence end.
        first_under_heading = False
        if not (after_boundary or in_sequence) and value == 1:
            segment = line[seg_start:s]
            seg_marker = marker_at(segment)
            first_under_heading = (
                seg_marker is not None and _kind(seg_marker) != kind
                and not any(c in segment for c in "。！？；")
            )
        if after_boundary or in_sequence or first_under_heading:
            cuts.append(s)
            seg_start = s
            last_value[kind] = value
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:]) if line[a:b].strip()]


def _inline_markers(lines: list[str]) -> tuple[dict[int, list[re.Match[str]]], list[int]]:
    """Marker matches inside each line (not at its start), by line number, and the offsets of
    the lines in their `\\n`-joined text. One scan of the joined text finds the same matches
    as one scan per line (no marker spans a line break), at a third less cost."""
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    found: dict[int, list[re.Match[str]]] = {}
    i, last = 0, len(lines) - 1
    for m in marker_matches("\n".join(lines)):
        s = m.start()
        while i < last and s >= starts[i + 1]:
            i += 1
        if s != starts[i]:
            found.setdefault(i, []).append(m)
    return found, starts


def marker_matches(text: str) -> list[re.Match[str]]:
    """`MARKER.finditer(text)`, found by trying `MARKER` only where a match can start (see
    `_CLASS_OF`), in order, skipping places inside the previous match as `finditer` does."""
    classes = np.take(_CLASS_OF, np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), mode="clip").tobytes()
    if b"!" in classes:
        return list(MARKER.finditer(text))
    places: set[int] = set()
    for m in _CLOSING_AFTER_NUMERAL.finditer(classes):
        start = m.start() - 1  # the numeral run, three at most, and a parenthesis before it
        while start >= 0 and m.start() - start <= 3 and classes[start] == _N:
            places.add(start)
            start -= 1
        if start >= 0 and classes[start] == _O:
            places.add(start)
    for own in (b"s", b"fg"):
        at = classes.find(own)
        while at >= 0:
            places.add(at)
            at = classes.find(own, at + 1)
    found: list[re.Match[str]] = []
    end = 0
    for place in sorted(places):
        if place >= end and (m := MARKER.match(text, place)):
            found.append(m)
            end = m.end()
    return found


_CLAUSE_MARK = re.compile("[，。；！？,;!?]")


def _needs_join(line: str, nxt: str) -> bool:
    """Whether `nxt` continues `line`, a sentence broken across two lines (`…手机短` / `信、校讯通…`).

    Not when `line` is short or ends a clause, when `nxt` opens a point (`二、…`) or is a
    salutation (`各位代表：`), and not when `line` is a unit of its own: a heading (a marker and no
    sentence end, `2、全覆盖轮训…`), or a line without a clause mark at all, such as a heading
    without a marker, a subtitle or a byline (`——2026年2月3日在…会议上`, `省长 王某`). A line broken
    mid-sentence in running prose has a comma before the break; on the 31 provincial report pages
    the lines without one were headings, subtitles and bylines, glued to the next line 60 times."""
    # The last character decides (`[…]$` without a regex scan of the whole line; `$` also
    # matches before a final line break).
    if len(line) < 20:
        return False
    ends_open = line[-1] in _OPEN_ENDS or (line[-1] == "\n" and line[-2] in _OPEN_ENDS)
    if ends_open or marker_at(nxt) or (len(nxt) <= 12 and nxt.endswith(("：", ":"))):
        return False
    if _CLAUSE_MARK.search(line) is None:
        return False
    m = marker_at(line)
    # A long heading (`2、全覆盖轮训贫困村所在地学校教师（校长）`) is a line of its own.
    return not (m and not any(c in line for c in "。！？；"))


def restore_paragraphs_all(articles: list[list[str]]) -> tuple[list[list[str]], dict[str, int]]:
    """Split run-on lines at heading markers and join lines broken mid-sentence, in each article's
    lines (counted as `paragraphs_restored`), with one marker scan for the lines of all of them (a
    page holds a dozen articles; the counts are summed)."""
    changed = 0
    joined_all: list[list[str]] = []
    tables: set[int] = set()  # table rows, by their number among the lines of all articles
    base = 0
    for lines in articles:
        joined: list[str] = []
        # Most articles hold no pipe: no table, decided without a call.
        text = "".join(lines)
        rows = table_rows(lines) if "|" in text or "｜" in text else ()
        for i, line in enumerate(lines):
            if i in rows:  # a table row: never joined, never split
                tables.add(base + len(joined))
                joined.append(line)
            elif joined and _needs_join(joined[-1], line) and base + len(joined) - 1 not in tables:
                joined[-1] += line
                changed += 1
            else:
                joined.append(line)
        base += len(joined)
        joined_all.append(joined)
    inline, starts = _inline_markers([line for joined in joined_all for line in joined])
    out_all: list[list[str]] = []
    k = 0
    for joined in joined_all:
        out: list[str] = []
        for line in joined:
            # A line without a marker inside it stays whole: most lines, decided without a call.
            parts = _split_at(line, inline[k], starts[k]) if k in inline and k not in tables else [line]
            changed += len(parts) - 1
            out.extend(parts)
            k += 1
        out_all.append(out)
    return out_all, {"paragraphs_restored": changed}


_CELL_GAP = re.compile(r"\t+| {2,}|\u3000{2,}")
# Two lines in a row that both hold a cell gap: where a text table can be.
_TWO_GAPPED_LINES = re.compile(r"(?:\t|  |\u3000\u3000)[^\n]*\n[^\n]*(?:\t|  |\u3000\u3000)")


def _cell_count(line: str) -> int:
    """Cells of a line split at tabs or wide gaps; 0 for a blank line or one with a cell too
    long for a table (a paragraph with a stray double space)."""
    cells = _CELL_GAP.split(line.strip()) if line.strip() else []
    return len(cells) if all(len(c) <= 50 for c in cells) else 0


def text_tables(text: str) -> str:
    """Tables laid out with tabs or aligned spaces, as pipe rows (`| 工作项目 | 具体内容 |`): a
    run of two lines or more that split at tabs or at gaps of two spaces or more into the same
    number (two or more) of cells. The cleanup folds tabs and runs of spaces, and would glue the
    cells together (`工作项目具体内容`); as pipe rows they stay a table, kept whole. Text without a
    tab or a double space is returned as it is."""
    if _TWO_GAPPED_LINES.search(text) is None:  # most pages: no two such lines in a row
        return text
    lines = text.split("\n")
    counts = [_cell_count(ln) if "\t" in ln or "  " in ln or "\u3000\u3000" in ln else 0 for ln in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and counts[j] >= 2 and counts[j] == counts[i]:
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                cells = [c.replace("|", "｜") for c in _CELL_GAP.split(lines[k].strip())]
                out[k] = "| " + " | ".join(cells) + " |"
        i = max(j, i + 1)
    return "\n".join(out)
