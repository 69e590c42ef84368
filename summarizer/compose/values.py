"""The values of activity data as people write them: dates, ranges, numbers, counts with units.

Pure functions on cell and string values. They raise `Invalid` (a `ValueError`) with a Chinese
reason; the model validators (`compose/model.py`) turn it into a pydantic error so that it is
collected with all the others. Numbers are read with the slot extractor's numeral functions
(`text/numerals.py`), after the forgiving spellings of a data file are normalised away
(full-width forms, `1,2,000`, `3.`, `.5`, a sign).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from summarizer.text.numerals import LARGE_UNITS, parse_arabic, scale

__all__ = [
    "COUNTS_HINT",
    "DATE_HINT",
    "Invalid",
    "Quantity",
    "format_date",
    "parse_counts",
    "parse_date",
    "parse_date_range",
    "parse_number",
    "parse_quantity",
]

DATE_HINT = "应写成 2024-03-15 或 2024-03-15/2024-03-17"
COUNTS_HINT = "应写成 名称=数字（数字后可带单位，如 走访家庭=29户），多项用“；”分隔，如 示范课=3；听课教师=25"

Number = int | float


class Invalid(ValueError):
    """A value that cannot be read; `args[0]` is the Chinese reason."""


def quote(value: Any) -> str:
    """A value as the user wrote it, in Chinese quotes (dates in ISO form, as Excel shows them)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.isoformat()
    return f"“{value}”"


# ---------------------------------------------------------------------------------------------
# Dates. The slot extractor's date patterns find dates in running text (no spaces, one separator
# throughout, lookarounds against neighbouring digits); a cell is one whole value written more
# loosely (`2024 / 3 / 15`, `2024-3月15日`, `20240315`), so it has patterns of its own.

_DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2})(?!\d)"
)
_RANGE_SEP_RE = re.compile(r"\s*(?:/|至|到|—+|–|－|-|~|～|〜)\s*")
_END_MD_RE = re.compile(r"(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_END_D_RE = re.compile(r"(?P<d>\d{1,2})\s*日?")


def _make_date(y: int, m: int, d: int, raw: Any) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise Invalid(f"{quote(raw)} 不是有效日期，{DATE_HINT}") from None


def _date_prefix(text: str, raw: Any) -> tuple[dt.date, int] | None:
    """A full date at the start of `text` and where it ends, or None."""
    m = _DATE_RE.match(text)
    if not m:
        return None
    if m.group("y"):
        y, mo, d = m.group("y", "m", "d")
    else:
        y, mo, d = m.group("cy", "cm", "cd")
    return _make_date(int(y), int(mo), int(d), raw), m.end()


def parse_date_range(value: Any) -> tuple[dt.date, dt.date | None]:
    """Start and end (None for a single day) of a date or a date range as people write them.

    Accepts `date`/`datetime` objects (YAML timestamps, Excel date cells) and the text forms in
    the model's docstring. A range whose end equals its start is a single day. Raises
    `ValueError` with a Chinese reason, e.g. for `2024-13-01` or an end before the start.
    """
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(f"{quote(value)} 不是日期，{DATE_HINT}")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        raise Invalid(f"日期未填写，{DATE_HINT}")
    first = _date_prefix(text, value)
    if first is None:
        raise Invalid(f"{quote(value)} 不是有效日期，{DATE_HINT}")
    start, pos = first
    rest = text[pos:]
    if not rest:
        return start, None
    sep = _RANGE_SEP_RE.match(rest)
    if not sep or sep.end() == len(rest):
        raise Invalid(f"{quote(value)} 不是有效日期，{DATE_HINT}")
    tail = rest[sep.end():]
    end: dt.date | None = None
    full = _date_prefix(tail, value)
    if full is not None and full[1] == len(tail):
        end = full[0]
    elif (md := _END_MD_RE.fullmatch(tail)) is not None:
        end = _make_date(start.year, int(md.group("m")), int(md.group("d")), value)
    elif (dd := _END_D_RE.fullmatch(tail)) is not None:
        end = _make_date(start.year, start.month, int(dd.group("d")), value)
    else:
        raise Invalid(f"{quote(value)} 不是有效日期，{DATE_HINT}")
    if end < start:
        raise Invalid(f"{quote(value)}：结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
    return start, (end if end != start else None)


def parse_date(value: Any) -> dt.date:
    """One day (a range is refused: a sign-off or a deadline is a single date)."""
    start, end = parse_date_range(value)
    if end is not None:
        raise Invalid(f"{quote(value)} 是一个时间段，这里只能写一个日期，如 2024-12-20")
    return start


def format_date(start: dt.date, end: dt.date | None = None) -> str:
    """The file form of a date or range: `2024-03-15` or `2024-03-15/2024-03-17`."""
    return start.isoformat() if end is None else f"{start.isoformat()}/{end.isoformat()}"


# ---------------------------------------------------------------------------------------------
# Numbers and quantities.

# A number and what follows it, in a normalised cell (`numerals.parse_arabic` reads the digits).
_NUMBER_AND_REST = re.compile(r"(?P<sign>[+-]?)(?P<digits>\d+(?:\.\d*)?|\.\d+)(?P<rest>.*)", re.S)
# A unit kept as written: one to three Chinese characters (`户`, `人次`, `个课时`), the same after a
# magnitude (`万元`, `万册`, `亿元`), or a percent sign.
_UNIT_RE = re.compile(r"[%％]|[万亿]?[\u3400-\u4dbf\u4e00-\u9fff]{1,3}")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _normal(text: str) -> str:
    """A cell's text with full-width forms, blanks and every comma (`1,200`, `1,2,00`) taken out."""
    return unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")


def _leading_number(text: str) -> tuple[Number, str] | None:
    """The number a normalised text starts with and the rest: `29户` → (29, `户`); None if none."""
    m = _NUMBER_AND_REST.fullmatch(text)
    if not m:
        return None
    digits = m.group("digits")
    digits = ("0" + digits if digits.startswith(".") else digits).removesuffix(".")
    value = parse_arabic(digits)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (-value if m.group("sign") == "-" else value), m.group("rest")


def parse_number(value: Any) -> Number:
    """A number from a cell or a string: `25`, `2.5`, `1,200`, `1.2万`, `12000元`, full-width digits.

    Integral values come back as `int` so that `3` from Excel and `3` from YAML compare and print
    the same. `bool` is refused: YAML reads `yes` as True, which is never a count.
    """
    if isinstance(value, bool):
        raise Invalid(f"{quote(value)} 不是数字")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(f"{quote(value)} 不是有限的数字")
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        return parse_number(float(value))
    if not isinstance(value, str):
        raise Invalid(f"{quote(value)} 不是数字")
    read = _leading_number(_normal(value))
    if read is None or read[1] not in ("", "元", "万", "万元"):
        raise Invalid(f"{quote(value)} 不是数字")
    number, rest = read
    return scale(number, LARGE_UNITS["万"]) if rest.startswith("万") else number


def _figure(value: Number) -> str:
    """A number as the file writes it: `29`, `3.5`, never `3.0` or `1e-05`."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f")


@dataclass(frozen=True, eq=False)
class Quantity:
    """A count as the data gives it: a number and the unit written after it (`""` for none).

    `Quantity(29, "户")` is `29户`, `Quantity(3.5, "万元")` is `3.5万元` (the unit as written,
    magnitude included), `Quantity(12000)` is a plain number (`1.2万` reads as 12000, as a plain
    number always has). A whole number is an `int`. A quantity without a unit equals its number,
    so `counts == {"示范课": 3}` still holds; `float()` and `int()` give the number.
    """

    value: Number
    unit: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise TypeError(f"Quantity value must be a number, not {self.value!r}")
        if isinstance(self.value, float) and self.value.is_integer():
            object.__setattr__(self, "value", int(self.value))

    def __str__(self) -> str:
        return _figure(self.value) + self.unit

    def __repr__(self) -> str:
        return f"Quantity({self.value!r}, {self.unit!r})" if self.unit else f"Quantity({self.value!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return (self.value, self.unit) == (other.value, other.unit)
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return not self.unit and self.value == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.value) if not self.unit else hash((self.value, self.unit))

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    @property
    def amount(self) -> Number:
        """The number with the unit's magnitude multiplied out: `3.5万元` → 35000, `29户` → 29."""
        if len(self.unit) > 1 and self.unit[0] in LARGE_UNITS:
            return scale(self.value, LARGE_UNITS[self.unit[0]])
        return self.value

    @property
    def base_unit(self) -> str:
        """The unit without its magnitude: `万元` → `元`, `户` → `户`."""
        return self.unit[1:] if len(self.unit) > 1 and self.unit[0] in LARGE_UNITS else self.unit

    def file_form(self) -> Number | str:
        """The value as a data file writes it: the number alone, or the text `29户`."""
        return str(self) if self.unit else self.value

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(
            cls, serialization=core_schema.plain_serializer_function_ser_schema(cls.file_form))


def parse_quantity(value: Any) -> Quantity:
    """A count: a number (`25`, `1.2万`, `1,200`) or a number with a short unit (`29户`, `100%`,
    `3.5万元`, `9分`), the unit kept as written. Raises `Invalid` with a Chinese reason."""
    if isinstance(value, Quantity):
        return value
    if not isinstance(value, str):
        return Quantity(parse_number(value))
    read = _leading_number(_normal(value))
    if read is None:
        raise Invalid(f"{quote(value)} 不是数字")
    number, unit = read
    if unit in ("", "万"):
        return Quantity(scale(number, LARGE_UNITS["万"]) if unit else number)
    if not _UNIT_RE.fullmatch(unit):
        raise Invalid(f"{quote(value)} 的单位“{unit}”无法识别，单位应是一至三个汉字或 %，如 29户、100%、3.5万元")
    if unit == "%" and "％" in value:
        unit = "％"  # NFKC made the full-width sign half-width; keep it as written
    return Quantity(number, unit)


_PAIR_SEP_RE = re.compile(r"[；;，、\n\r]+")
_PAIR_EQ_RE = re.compile(r"[=＝:：]")


def parse_counts(value: Any) -> dict[str, Quantity]:
    """Counts from a mapping or from the `名称=数字；名称=29户` text; all problems in one reason."""
    if value is None:
        return {}
    problems: list[str] = []
    pairs: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, str):
        for part in _PAIR_SEP_RE.split(value):
            part = part.strip()
            if not part:
                continue
            pieces = _PAIR_EQ_RE.split(part, maxsplit=1)
            if len(pieces) < 2:
                problems.append(f"{quote(part)} 缺少“=”，{COUNTS_HINT}")
                continue
            pairs.append((pieces[0], pieces[1].strip()))
    else:
        raise Invalid(f"{quote(value)} 不是数量，{COUNTS_HINT}")
    counts: dict[str, Quantity] = {}
    for raw_name, raw_number in pairs:
        name = "" if raw_name is None else str(raw_name).strip()
        if not name:
            problems.append(f"数量 {quote(raw_number)} 缺少名称，{COUNTS_HINT}")
            continue
        if name in counts:
            problems.append(f"{quote(name)} 重复出现")
            continue
        try:
            quantity = parse_quantity(raw_number)
        except Invalid as e:
            problems.append(f"{quote(name)} 的数量{_reason_after_value(str(e), raw_number, name)}")
            continue
        if quantity.value < 0:
            problems.append(f"{quote(name)} 的数量不能是负数（{quantity}）")
            continue
        counts[name] = quantity
    if problems:
        raise Invalid("；".join(problems))
    return counts


def _reason_after_value(reason: str, raw: Any, name: str) -> str:
    """` “很多” 不是数字`, and for a unit too long to keep, how to write it in the name instead."""
    read = _leading_number(_normal(raw)) if isinstance(raw, str) else None
    if read is not None and _CJK_RE.fullmatch(read[1]):
        return f" {reason}；较长的单位可写进名称，如 {name}（{read[1]}）={_figure(read[0])}"
    return f" {reason}"
