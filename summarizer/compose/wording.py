"""How a report writes figures, dates, lists and counts: `2024年3月15日`, `3月15日至17日`,
`共3次`, `两所学校`, `1.2万元`, `张伟、刘洋和李明`. Pure functions on values."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from summarizer.compose.measures import measure_word

if TYPE_CHECKING:
    from summarizer.compose.values import Quantity

_CN_DIGITS = "零一二三四五六七八九"

_BRACKET_UNIT = re.compile(r"^(?P<noun>.+?)[（(](?P<unit>[^（()）]{1,4})[)）]$")


def cn_number(n: int) -> str:
    """A small whole number in Chinese numerals (一 … 九十九), `两` for 2 before a measure word."""
    if n == 2:
        return "两"
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def ordinal(n: int) -> str:
    """一 二 三 … for section numbers (一、 （一）)."""
    return cn_number(n) if n != 2 else "二"


def number(n: float) -> str:
    """An Arabic figure as reports write it: whole numbers without `.0`, thousands unseparated."""
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def money(yuan: float) -> str:
    """`3600元`, `1.85万元` (from ten thousand up), `1.2亿元`."""
    if yuan >= 1e8:
        return f"{number(round(yuan / 1e8, 4))}亿元"
    if yuan >= 1e4:
        return f"{number(round(yuan / 1e4, 4))}万元"
    return f"{number(yuan)}元"


def date(d: dt.date, year: int | None = None) -> str:
    """`3月15日` within `year` (the report's year), else `2024年3月15日`."""
    return f"{d.month}月{d.day}日" if d.year == year else f"{d.year}年{d.month}月{d.day}日"


def date_range(start: dt.date, end: dt.date | None, year: int | None = None) -> str:
    """`3月15日`, `3月15日至17日`, `11月28日至12月2日`, `2023年12月28日至2024年1月3日`."""
    if end is None or end == start:
        return date(start, year)
    if end.year != start.year:
        return f"{date(start, None)}至{date(end, None)}"
    first = date(start, year)
    if end.month == start.month:
        return f"{first}至{end.day}日"
    return f"{first}至{end.month}月{end.day}日"


def join(items: list[str]) -> str:
    """`A`, `A和B`, `A、B和C`."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def noun_and_unit(name: str) -> tuple[str, str]:
    """What is counted and its measure word: `图书（册）` → (图书, 册) as written, else the one the
    corpus counts it with (`measures.py`): `听课教师` → (听课教师, 名), `走访家庭` → (走访家庭, 户)."""
    m = _BRACKET_UNIT.match(name)
    if m:
        return m.group("noun"), m.group("unit")
    return name, measure_word(name)


def figure_and_unit(n: float | Quantity) -> tuple[float, str]:
    """The number of a count and the unit the data wrote with it (a `compose.values.Quantity`:
    `29户`, `3.5万元`), or a plain number and no unit."""
    return (n.value, n.unit) if hasattr(n, "unit") else (n, "")  # type: ignore[union-attr]


def with_unit(n: float | Quantity, unit: str) -> str:
    """`29户`: a count's figure and the unit the data gives, else `unit`."""
    value, given = figure_and_unit(n)
    return f"{number(value)}{given or unit}"


def count(name: str, n: float | Quantity) -> str:
    """`听课教师23名`, `示范课2节`, `图书1200册`; `两所学校`-style for few schools; a counted
    `…节数`/`…次数` reads `听课36节`. A unit the data gives wins over the guessed measure word:
    `走访家庭29户`, `建档率100%`, `经费3.5万元`."""
    noun, unit = noun_and_unit(name)
    value, given = figure_and_unit(n)
    unit = given or unit
    if noun.endswith(("节数", "次数")):
        return f"{noun[:-2]}{number(value)}{unit}"
    if unit == "所" and float(value).is_integer() and 1 < value <= 10:
        return f"{cn_number(int(value))}所{noun if noun.endswith('学校') else noun + '学校'}".replace("校学校", "校")
    return f"{noun}{number(value)}{unit}"


# Who is counted, when a count's name is "what they did + who" (`听课教师`, `参会人员`): reports put
# the number first and the doing after (`23名教师听课`, `16人参会`), not the field name first.
_PEOPLE = ("教师", "老师", "学生", "家长", "幼儿", "学困生", "贫困生", "人员", "干部", "党员")
_DOING = {"参训": "参加培训", "参会": "参会", "到会": "到会", "与会": "与会", "听课": "听课", "听讲": "听讲",
          "参与": "参与", "参加": "参加", "受助": "受助", "受益": "受益", "结对": "结对", "送教": "送教",
          "跟岗": "跟岗学习", "获奖": "获奖", "参赛": "参赛"}
# What is made or given, when a count's name is such a thing: `上示范课2节`, `作专题讲座1场`.
_MADE = (("示范课", "上"), ("公开课", "上"), ("汇报课", "上"), ("观摩课", "上"), ("讲座", "作"),
         ("对子", "结成"), ("课例", "展示"))


def count_clause(name: str, n: float | Quantity) -> str:
    """A count as a clause of a sentence: `23名教师听课`, `16人参会`, `上示范课2节`,
    `结成师徒6对`, `参加测试学生46名` (where no reading fits, the noun and its figure: so too
    for a unit the data gives other than the measure word these readings take, `听课教师23人`)."""
    noun, unit = noun_and_unit(name)
    value, given = figure_and_unit(n)
    if given and given != unit:
        return count(name, n)
    figure = number(value)
    for who in _PEOPLE:
        if noun.endswith(who) and len(noun) > len(who):
            doing = noun[: -len(who)]
            if doing.startswith("参加") and doing not in _DOING:
                return f"{figure}{unit}{who}{doing}"
            if doing in _DOING:
                if who == "人员":
                    return f"{figure}人{_DOING[doing]}"
                return f"{figure}{unit}{who}{_DOING[doing]}"
    for thing, verb in _MADE:
        if noun.endswith(thing):
            head = noun[: -len(thing)]
            if thing == "对子":
                return f"{verb}{head}{figure}{unit}"
            return f"{verb}{noun}{figure}{unit}"
    return count(name, n)
