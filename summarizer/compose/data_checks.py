"""Warnings about activity data: what is allowed but probably a slip, reported without stopping.

A date typed in the wrong year, a summary signed before its last activity ends, `转化学困生=10`
beside `学困生=8`: each may be a typing slip, yet none is certain to be one, so the draft is still
written and the person is told what to check (`summarizer draft` on stderr, the web page above the
draft). Each check speaks only where it can decide: a period it cannot date, or two counts in
units that do not compare, give no warning.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from dataclasses import dataclass

from summarizer.compose.model import ActivityData
from summarizer.compose.values import Quantity
from summarizer.compose.wording import noun_and_unit

__all__ = ["DataWarning", "data_warnings", "period_span"]


@dataclass(frozen=True)
class DataWarning:
    """One thing to check: where it is in the data and why, in Chinese.

    `loc` is the key path (`("activities", 2, "date")`); a reader fills `where` with the place as
    the file shows it (`活动 第4行 “日期”`, `activities[2].date（活动第3项“日期”）`) and `file`.
    `str()` is the line a person reads: `我校数据.xlsx：活动 第4行 “日期”：…`.
    """

    loc: tuple[str | int, ...]
    message: str
    where: str = ""
    file: str = ""

    def __str__(self) -> str:
        return "：".join(part for part in (self.file, self.where, self.message) if part)


# Parts of a year or school year, as (first month, first day, months it lasts, years after the
# named year it starts): a semester runs to the next one's start, so that nothing a school does
# between terms (a summer home visit) falls outside both.
_YEAR_PARTS = {
    "": (1, 1, 12, 0), "度": (1, 1, 12, 0), "全年": (1, 1, 12, 0),
    "上半年": (1, 1, 6, 0), "下半年": (7, 1, 6, 0),
    "春季学期": (2, 1, 7, 0), "春季": (2, 1, 7, 0), "秋季学期": (8, 1, 6, 0), "秋季": (8, 1, 6, 0),
}
_SCHOOL_YEAR_PARTS = {
    "": (9, 1, 12, 0), "度": (9, 1, 12, 0),
    "第一学期": (8, 1, 6, 0), "上学期": (8, 1, 6, 0), "秋季学期": (8, 1, 6, 0),
    "第二学期": (2, 1, 7, 1), "下学期": (2, 1, 7, 1), "春季学期": (2, 1, 7, 1),
}


def _span(year: int, part: tuple[int, int, int, int]) -> tuple[dt.date, dt.date]:
    month, day, months, later = part
    start = dt.date(year + later, month, day)
    last_month = month + months - 1
    end_year, end_month = year + later + (last_month - 1) // 12, (last_month - 1) % 12 + 1
    return start, dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def _day_span(text: str) -> tuple[dt.date, dt.date] | None:
    """The days of `2024-09` (the whole month) or `2024-09-01`."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), dt.date(*parts, calendar.monthrange(*parts)[1])
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    return None


def period_span(period: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period as schools write it, or None where it cannot be dated.

    `2024年` is the calendar year; `2023—2024学年` runs from 1 September 2023 to 31 August 2024,
    its 第一学期 (秋季学期) from August to January and its 第二学期 (春季学期) from February to
    August; `2025年春季学期` is February to August 2025 and `2024年秋季学期` August 2024 to January
    2025; `2024年上半年` and `下半年` are halves of the year; `2024年9月至2025年1月` is those months.
    The year, school year or dates are read by the slot extractor (`analyse/slots.py`), which
    knows every way reports write them (`2023-2024学年度`, `二〇二四年`).
    """
    from summarizer.analyse.slots import extract_slots

    text = unicodedata.normalize("NFKC", period).replace(" ", "")
    figures = extract_slots(text).figures
    if len(figures) != 1:
        return None
    figure = figures[0]
    rest = (text[: figure.start] + text[figure.end:]).strip()
    try:
        if figure.kind == "year" and rest in _YEAR_PARTS:
            return _span(int(figure.value), _YEAR_PARTS[rest])
        if figure.kind == "school_year" and rest in _SCHOOL_YEAR_PARTS:
            first = int(str(figure.value).split("-")[0])
            return _span(first, _SCHOOL_YEAR_PARTS[rest])
        if figure.kind in ("date", "date_range") and not rest:
            days = [_day_span(p) for p in str(figure.value).split("/")]
            if all(days):
                return days[0][0], days[-1][1]  # type: ignore[index]
    except ValueError:
        return None
    return None


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two counts are in one unit: the same (magnitude aside), or one of them bare; never
    a percentage."""
    if "%" in a.unit + b.unit or "％" in a.unit + b.unit:
        return False
    return not a.base_unit or not b.base_unit or a.base_unit == b.base_unit


def _larger_than_group(counts: dict[str, Quantity]) -> list[str]:
    """`“转化学困生”（10）大于“学困生”（8）…` for each count larger than the count whose name its
    own name ends with (the group it counts a part of)."""
    nouns = {name: noun_and_unit(name)[0] for name in counts}  # `转化学困生（名）` counts 转化学困生
    found = []
    for part, q in counts.items():
        for group, g in counts.items():
            if part != group and nouns[group] and nouns[part] != nouns[group] \
                    and nouns[part].endswith(nouns[group]) and _comparable(q, g) and q.amount > g.amount:
                found.append(f"“{part}”（{q}）大于“{group}”（{g}），部分不应多于整体，请核对数字")
    return found


def data_warnings(data: ActivityData) -> list[DataWarning]:
    """What to check in `data`, in the order of the file: activity dates outside the period, a
    summary signed before its last activity ends, a result count larger than its group."""
    found: list[DataWarning] = []
    span = period_span(data.period)
    if span is not None:
        first, last = span
        for i, act in enumerate(data.activities):
            if act.date_start < first or (act.date_end or act.date_start) > last:
                found.append(DataWarning(
                    ("activities", i, "date"),
                    f"日期 {act.date} 不在时段“{data.period}”（{first.isoformat()} 至 {last.isoformat()}）内，"
                    f"请核对日期或时段"))
    for i, result in enumerate(data.results):
        found += [DataWarning(("results", i, "counts"), m) for m in _larger_than_group(result.counts)]
    signed = data.signoff.date if data.signoff else None
    if signed is not None and data.kind == "工作总结" and data.activities:
        # A plan is signed before what it plans; a summary after what it sums up.
        act = max(data.activities, key=lambda a: a.date_end or a.date_start)
        end = act.date_end or act.date_start
        if signed < end:
            found.append(DataWarning(
                ("signoff", "date"),
                f"落款日期 {signed.isoformat()} 早于活动“{act.title or act.kind}”的结束日期 {end.isoformat()}，"
                f"总结应在活动之后成文，请核对"))
    return found
