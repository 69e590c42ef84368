"""Page furniture told by its layout rather than by its words: where an article's header and
footer are, and the lines there that a site lays out the same way on every page.

The chrome model (`clean/chrome.py`) judges each line by what it says. Some furniture says
nothing a model can learn: the value under a `来源：` line is a newspaper's name (`四川日报`), the
items of a `相关链接>>` list are titles of other reports, a time stamp is a date like any other.
What gives them away is where they stand and what stands above them, so they are cut by layout,
at an article's edges only (`edges`), before the model judges the rest.
"""

from __future__ import annotations

import re
from typing import NamedTuple

HEAD_LINES, TAIL_LINES = 2, 4  # always at an article's edge
EDGE_RUN_MAX = 25  # lines above the first and below the last paragraph of prose at the edge
VALUE_MAX = 20  # longest line taken as the value of a key line above it
LINK_MAX = 40  # longest line taken as a link of a list: a title

SENTENCE_ENDS = "。！？；!?;"
SENTENCE_END = re.compile(f"[{SENTENCE_ENDS}]")
# A site's metadata key with its value on the next line (`来源：` / `四川日报`). Not `时间：` or
# `地点：` alone: a plan or a meeting record lays out its own time and place that way.
_KEY_LINE = re.compile(r"(?:来源|出处|发布时间|发表时间|更新时间|责任编辑|编辑|作者|供稿|通讯员)\s*[：:]")
# The head of a list of links to other pages, alone on its line (`相关链接>>`, `相关文档：`).
_LINKS_HEAD = re.compile(
    r"(?:相关(?:链接|文档|文章|报道|附件|阅读|新闻|资料)|推荐阅读|延伸阅读|热门文章|猜你喜欢|更多阅读)\s*[：:>»]*")
# A line that is only a date and a time of day (`2026-02-09 09:45:30`, `2026年02月10日 07时41分`).
_TIMESTAMP = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+\d{1,2}\s*[:：时]\s*\d{2}"
                        r"(?:\s*[:：分]\s*(?:\d{2}\s*秒?)?)?")


def is_prose(line: str) -> bool:
    """A paragraph of the author's text: 30 characters or more with a sentence end."""
    return len(line) >= 30 and SENTENCE_END.search(line) is not None


class Edges(NamedTuple):
    """Where an article's edges are: its lines before `head` and from `tail` (`edges`); `foot`,
    where the lines below its last paragraph of prose start (the end when none is near it)."""

    head: int
    tail: int
    foot: int


def edges(lines: list[str]) -> Edges:
    """An article's edges: the first `HEAD_LINES` and the last `TAIL_LINES` lines, and, up to
    `EDGE_RUN_MAX` at each end, the lines above its first paragraph of prose and below its last.
    A page's header and footer (a byline, a source, a font-size widget, a QR-code prompt) sit
    there, with the author's prose on neither side. With no prose near an end, that end keeps
    the fixed count."""
    n = len(lines)
    window = min(n, EDGE_RUN_MAX)
    first = next((i for i in range(window) if is_prose(lines[i])), HEAD_LINES)
    last = next((i for i in range(n - 1, n - 1 - window, -1) if is_prose(lines[i])), None)
    foot = n if last is None else last + 1
    head = min(n, max(HEAD_LINES, first))
    return Edges(head, max(head, min(n - TAIL_LINES, foot)), foot)


def furniture_lines(lines: list[str]) -> list[int]:
    """The lines of one article that are furniture by layout, in order, all at its edges (a
    table row, `| … |`, never): a time stamp alone on a line; a metadata key alone on its line
    and the short line under it, its value (`来源：` / `四川日报`, `责任编辑：` / `李某某`); below the
    last paragraph of prose, a list head alone on its line and the lines under it that read as
    the titles of its links (short, no sentence end)."""
    head, tail, foot = edges(lines)
    n = len(lines)
    out: set[int] = set()
    for i in [*range(head), *range(tail, n)]:
        line = lines[i].strip()
        if _TIMESTAMP.fullmatch(line):
            out.add(i)
        elif _KEY_LINE.fullmatch(line):
            out.add(i)
            if (i + 1 < head or tail <= i + 1 < n) and _is_short_text(lines[i + 1], VALUE_MAX):
                out.add(i + 1)
        elif i >= foot and _LINKS_HEAD.fullmatch(line):
            out.add(i)
            out.update(j for j in range(i + 1, n) if _is_short_text(lines[j], LINK_MAX))
    return sorted(out)


def _is_short_text(line: str, longest: int) -> bool:
    """A value or a link title: at most `longest` characters, no sentence end, not a table row."""
    return len(line) <= longest and not SENTENCE_END.search(line) and not line.startswith(("|", "｜"))
