"""Consistency checks over the figures of a report: do the numbers it states agree?

Drafts are assembled from templates and earlier reports, and the figures are the part edited by
hand, so they are where a report contradicts itself: parts that no longer add up to their whole
(`312名（初中生301名，小学生11名）`), a percentage that does not match the counts it summarises,
a date range that ends before it starts. Each check reports the stretch of text it read, what the
figures imply (`expected`) and what the text says (`found`), and whether they agree.

The checks only fire on patterns whose meaning is unambiguous (a bracket or a colon listing the
parts, `共…其中…`, `占…总数的P%`, a percentage next to its count); a sentence that merely
mentions several numbers is left alone, since a false alarm costs a reviewer more than a miss.
Pure functions over the text and the figures `summarizer.analyse.slots` found in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from summarizer.analyse.segment import split_sentences
from summarizer.text.numerals import scale


class Slot(Protocol):
    """What the checks read of a figure (`slots.Slot` is one): checks sit below the figure
    finder, which runs them, so they name the fields they need instead of importing it."""

    text: str
    start: int
    end: int
    kind: str
    value: Any
    unit: str | None

# `共有教师50名`: a whole is marked by 共 (not 共同, 公共 …) or 合计/总计 earlier in its clause.
_WHOLE_MARK = re.compile(r"共有|共计|总共|一共|合计|总计|总数|(?<!公)共(?![同享建青产识性赢担商育])")
_AT_LEAST = re.compile(r"(?:不低于|不少于|至少|超过)$")
_AT_MOST_AFTER = re.compile(r"^(?:以内|以下)")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不高于|控制在)$")
_SHARE_OF = re.compile(r"^[，,]?占(?:全[校县乡镇区市])?(?P<noun>[\u4e00-\u9fff]{2,8}?)(?:总人数|总数|人数|总量)的?$")
_OPEN, _CLOSE = "（(", "）)"
_CLAUSE_BREAK = re.compile(r"[，,；;：:（(]")


@dataclass(frozen=True)
class Check:
    """One consistency check: `kind` is `sum`, `percent` or `date_order`."""

    kind: str
    ok: bool
    text: str
    start: int
    end: int
    expected: Any
    found: Any

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ok": self.ok, "text": self.text, "start": self.start, "end": self.end,
                "expected": self.expected, "found": self.found}


def check_figures(text: str, figures: Sequence[Slot]) -> list[Check]:
    """All checks over the figures of `text`, in text order."""
    sentences = sentence_spans(text)
    checks = sum_checks(text, figures, sentences) + percent_checks(text, figures, sentences)
    checks += date_order_checks(text, figures, sentences)
    return sorted(checks, key=lambda c: (c.start, c.end, c.kind))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of a multi-line text, as `segment` splits them."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + s, offset + e) for s, e in split_sentences(line)]
        offset += len(line) + 1
    return spans


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= pos < e), (pos, pos))


def _base_unit(unit: str) -> str:
    """`余人` and `人` count the same thing."""
    return unit.lstrip("余多")


def _approximate(figure: Slot) -> bool:
    """`20余人`, `100多套`: a lower bound, which no sum can confirm."""
    return any(ch in figure.text for ch in "余多")


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` starts: after the last `，；：（` before it (or the line start)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return max((m.end() for m in _CLAUSE_BREAK.finditer(text, line_start, pos)), default=line_start)


def _marked_whole(text: str, figure: Slot) -> bool:
    """Whether the clause presents `figure` as a total (`共有教师50名`, `合计312名`)."""
    return bool(_WHOLE_MARK.search(text, _clause_start(text, figure.start), figure.start))


def _multiplicity(text: str, part: Slot) -> int:
    """How many items a part counts for: `郑友、七里教学点各1名` is 1 for each of two → 2."""
    if text[part.start - 1:part.start] != "各":
        return 1
    return text[_clause_start(text, part.start):part.start - 1].count("、") + 1


# ---------------------------------------------------------------- sums


def sum_checks(text: str, figures: Sequence[Slot], sentences: list[tuple[int, int]]) -> list[Check]:
    """Parts against their whole: `312名（初中生301名，小学生11名）`, `10名：油铺小学4名，…各1名`, and
    `共36名…，其中A名…B名`. Only counts of one unit are added, approximate ones never."""
    counts = [f for f in figures if f.kind == "count"]
    checks: list[Check] = []
    part_ranges: list[tuple[int, int]] = []
    for whole in counts:
        stretch = _listed_parts(text, whole, sentences)
        if stretch is None:
            continue
        start, end = stretch
        parts = [c for c in counts if start <= c.start and c.end <= end and _base_unit(c.unit) == _base_unit(whole.unit)]
        check = _sum_check(text, whole, parts, whole.start, end)
        if check:
            checks.append(check)
            part_ranges.append((start, end))
    for whole in counts:
        check = _qizhong_check(text, whole, counts, sentences, part_ranges)
        if check:
            checks.append(check)
    return checks


def _listed_parts(text: str, whole: Slot, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The stretch listing the parts of `whole`: its bracket, or what follows its colon up to `；`
    or the end of the sentence."""
    nxt = text[whole.end:whole.end + 1]
    if nxt and nxt in _OPEN:
        depth = 0
        for i in range(whole.end, len(text)):
            if text[i] in _OPEN:
                depth += 1
            elif text[i] in _CLOSE:
                depth -= 1
                if depth == 0:
                    return whole.end + 1, i + 1
            elif text[i] == "\n":
                return None
        return None
    if nxt in ("：", ":"):
        _, sentence_end = _sentence_of(sentences, whole.start)
        semicolon = text.find("；", whole.end, sentence_end)
        return whole.end + 1, semicolon + 1 if semicolon >= 0 else sentence_end
    return None


def _sum_check(text: str, whole: Slot, parts: list[Slot], start: int, end: int) -> Check | None:
    """The sum check of `whole` over `text[start:end]`; None unless two or more exact parts."""
    items = sum(_multiplicity(text, p) for p in parts)
    if items < 2 or _approximate(whole) or any(_approximate(p) for p in parts):
        return None
    found = sum(p.value * _multiplicity(text, p) for p in parts)
    return Check("sum", found == whole.value, text[start:end], start, end, whole.value, found)


def _qizhong_check(text: str, whole: Slot, counts: list[Slot], sentences: list[tuple[int, int]],
                   part_ranges: list[tuple[int, int]]) -> Check | None:
    """`共有N名…，其中A名…，B名…`: the parts after `其中` add up to the whole marked by `共`."""
    if not _marked_whole(text, whole):
        return None
    sentence_start, sentence_end = _sentence_of(sentences, whole.start)
    among = text.find("其中", whole.end, sentence_end)
    if among < 0:
        return None
    parts = [c for c in counts if among < c.start and c.end <= sentence_end
             and _base_unit(c.unit) == _base_unit(whole.unit)
             and not any(s <= c.start < e for s, e in part_ranges)]
    return _sum_check(text, whole, parts, sentence_start, sentence_end)


# ---------------------------------------------------------------- percentages


def percent_checks(text: str, figures: Sequence[Slot], sentences: list[tuple[int, int]]) -> list[Check]:
    """A percentage against the part and the whole it relates: `共200名学生，其中优秀率达95%即190名`
    (whole marked by `共`, the part right after the percentage) and `35人，占专任教师总数的70%` (the
    whole named by `占…总数`, found where the text last gave that noun a count of the same unit)."""
    checks = []
    counts = [f for f in figures if f.kind == "count"]
    for pct in (f for f in figures if f.kind == "percent"):
        s_start, s_end = _sentence_of(sentences, pct.start)
        in_sentence = [c for c in counts if s_start <= c.start and c.end <= s_end]
        pair = _part_after(text, pct, in_sentence) or _share_of(text, pct, in_sentence, counts, s_start)
        if pair is None:
            continue
        whole, part = pair
        if not whole.value or _approximate(whole) or _approximate(part):
            continue
        expected = scale(round(whole.value * pct.value / 100, 2), 1)
        checks.append(Check("percent", _percent_agrees(text, pct, part.value / whole.value * 100),
                            text[s_start:s_end], s_start, s_end, expected, part.value))
    return checks


def _part_after(text: str, pct: Slot, in_sentence: list[Slot]) -> tuple[Slot, Slot] | None:
    """(whole, part) for `共W…P%即A`: the whole is marked by `共`, the part follows the percentage."""
    wholes = [c for c in in_sentence if c.end <= pct.start and _marked_whole(text, c)]
    if not wholes:
        return None
    whole = wholes[-1]
    for c in in_sentence:
        if pct.end <= c.start <= pct.end + 6 and _base_unit(c.unit) == _base_unit(whole.unit):
            return whole, c
    return None


def _share_of(text: str, pct: Slot, in_sentence: list[Slot], counts: list[Slot],
              sentence_start: int) -> tuple[Slot, Slot] | None:
    """(whole, part) for `A，占X总数的P%`: the whole is the last count the text gave to `X`."""
    before = [c for c in in_sentence if c.end <= pct.start]
    if not before:
        return None
    part = before[-1]
    m = _SHARE_OF.match(text[part.end:pct.start])
    if not m:
        return None
    noun = m.group("noun")
    unit = _base_unit(part.unit)
    named = [c for c in counts if c.end <= sentence_start and _base_unit(c.unit) == unit
             and (text[c.start - len(noun):c.start] == noun or text[c.end:c.end + len(noun)] == noun)]
    return (named[-1], part) if named else None


def _percent_agrees(text: str, pct: Slot, ratio: float) -> bool:
    """Whether the counts' ratio matches the percentage as written: to its last written digit
    (`95%` means 94.5–95.5), or on the right side of a bound (`90%以上`, `不低于85%`)."""
    written = pct.text.replace("．", ".")
    decimals = len(written.split(".")[1].rstrip("%％")) if "." in written else 0
    tolerance = 0.5 * 10 ** -decimals
    before = text[max(0, pct.start - 3):pct.start]
    after = text[pct.end:pct.end + 2]
    if _AT_MOST_AFTER.match(after) or _AT_MOST_BEFORE.search(before):
        return ratio <= pct.value + tolerance
    if after.startswith("以上") or _AT_LEAST.search(before):
        return ratio >= pct.value - tolerance
    return abs(ratio - pct.value) <= tolerance


# ---------------------------------------------------------------- dates


DatePoint = tuple[int | None, int | None, int | None]


def parse_iso(value: str) -> DatePoint:
    """(year, month, day) of `2009-12-06`, `2009-12`, `2009`, `--12-06`; None for a part not stated."""
    year, _, rest = value.partition("-") if not value.startswith("--") else ("", "", value[2:])
    parts = [int(p) for p in rest.split("-") if p] if rest else []
    parts += [None] * (2 - len(parts))
    return (int(year) if year else None, parts[0], parts[1])


def _before_or_same(a: DatePoint, b: DatePoint) -> bool:
    """a ≤ b on the parts both state (`2009-12` is not after `2009-12-06`).

    Without both years a smaller month may be the next year's (`12月20日至1月5日`), so only a day
    going back within one month counts as out of order.
    """
    (ya, ma, da), (yb, mb, db) = a, b
    if ya is not None and yb is not None and ya != yb:
        return ya < yb
    if ma is None or mb is None or ma != mb:
        return ya is None or yb is None or ma is None or mb is None or ma < mb
    return da is None or db is None or da <= db


def format_iso(point: DatePoint) -> str:
    """`2009-12-06`, `2009-12`, `2009`, `--12-06` (month and day, no year): the inverse of `parse_iso`."""
    y, m, d = point
    return "-".join([f"{y:04d}" if y else "-"] + [f"{p:02d}" for p in (m, d) if p])


def date_order_checks(text: str, figures: Sequence[Slot], sentences: list[tuple[int, int]]) -> list[Check]:
    """A date range must not end before it starts; dates listed in one sentence must run forward
    (a date missing its year takes the year of the date before it)."""
    checks = []
    dated = [f for f in figures if f.kind in ("date", "date_range")]
    for f in dated:
        if f.kind == "date_range":
            first, last = (parse_iso(v) for v in f.value.split("/"))
            checks.append(_order_check(text, [first, last], f.start, f.end))
    for s_start, s_end in sentences:
        inside = [f for f in dated if s_start <= f.start and f.end <= s_end]
        if len(inside) < 2:
            continue
        points: list[DatePoint] = []
        for f in inside:
            for v in str(f.value).split("/"):
                y, m, d = parse_iso(v)
                if y is None and points:
                    y = points[-1][0]
                points.append((y, m, d))
        checks.append(_order_check(text, points, s_start, s_end))
    return checks


def _order_check(text: str, points: list[DatePoint], start: int, end: int) -> Check:
    ok = all(_before_or_same(a, b) for a, b in zip(points, points[1:]))
    expected = points if ok else sorted(points, key=lambda p: tuple(x or 0 for x in p))
    return Check("date_order", ok, text[start:end], start, end, [format_iso(p) for p in expected],
                 [format_iso(p) for p in points])
