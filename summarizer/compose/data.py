"""Activity data: the facts a school gives `summarizer draft` (SPEC.md, "Activity data").

The people who fill these files are school staff, not programmers. So this module is strict about
*what* is said (an unknown key, a date that does not exist or a negative count is an error; nothing
is silently dropped, because a dropped fact would quietly vanish from the draft) and forgiving
about *how* it is written (`2024/3/15`, `2024年3月15日`, `1.2万元`, `示范课=3；听课教师=25`, names
separated by `、`). Every rule lives in the pydantic models, so YAML, JSON and Excel input are
checked by the same code and get the same messages.

Errors are collected, not raised one at a time: a school fixing its spreadsheet wants the whole
list at once. `DataError.messages` holds one Chinese message per problem, each saying where it is
(sheet, row and column header for `.xlsx`; the key path such as `activities[2].date` for YAML and
JSON, list indexes counted from 0 with the 1-based ordinal in the Chinese label) and what is wrong.

The `.xlsx` form (what `write_template` produces):

- 基本信息: two columns 项目 / 内容, one row per item: 文种, 主题, 学校, 时段, 角色, 结对学校 (names
  separated by `、` or `，`), 依据文件 (one per line, or separated by `；`), 落款单位, 落款日期.
- 领导小组: 姓名, 职务, 分工 (组长 / 副组长 / 成员).
- 活动: 日期, 类别, 标题, 人员 (`、`-separated), 地点, 数量, 金额（元）, 备注.
- 成效: 内容, 数量.  问题 and 打算: one column 内容, one item per row.

`数量` is written as `名称=数字` pairs separated by `；`, `;`, `，`, `、` or a line break, e.g.
`示范课=3；听课教师=25`; `＝`, `:` and `：` also work in place of `=`. The number is a plain number
(`25`, `2.5`, `1,200`, `1.2万`); a measure word after it (`3节`) is refused rather than guessed, put
it in the name instead (`示范课（节）=3`). Dates may be Excel dates or text `2024-03-15`, `2024/3/15`,
`2024年3月15日`, `20240315`; a range joins two dates with `/`, `至`, `到`, `—`, `-` or `~`, and its
end may leave out the year and month it shares with the start (`2024年3月15日至17日`). Blank rows
are skipped. The same string forms are accepted in YAML and JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "KINDS",
    "LEADER_ROLES",
    "ROLES",
    "SHEETS",
    "Activity",
    "ActivityData",
    "DataError",
    "Leader",
    "Result",
    "Signoff",
    "format_date",
    "load_data",
    "parse_counts",
    "parse_date",
    "parse_date_range",
    "to_dict",
    "write_template",
]

KINDS = ("工作总结", "工作计划", "实施方案")
ROLES = ("支援", "受援")
LEADER_ROLES = ("组长", "副组长", "成员")

# Short forms people write for the same thing; mapped rather than refused because they are
# unambiguous. Anything else outside the lists above is an error.
_KIND_ALIASES = {"总结": "工作总结", "计划": "工作计划", "方案": "实施方案"}
_ROLE_ALIASES = {"支援方": "支援", "受援方": "受援", "帮扶方": "支援", "被帮扶": "受援"}
_LEADER_ROLE_ALIASES = {"组员": "成员", "副组": "副组长"}

DATE_HINT = "应写成 2024-03-15 或 2024-03-15/2024-03-17"
COUNTS_HINT = "应写成 名称=数字，多项用“；”分隔，如 示范课=3；听课教师=25"

Number = int | float


class DataError(ValueError):
    """Activity data that cannot be used, with every problem found in the file.

    `str(e)` is one line naming the file (what a command-line error shows); `messages` lists the
    problems one by one and `details()` puts them on separate lines for people to read.
    """

    def __init__(self, path: str | os.PathLike[str], messages: list[str]) -> None:
        self.path = str(path)
        self.messages = list(messages)
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.messages) == 1:
            return f"{self.path}：{self.messages[0]}"
        listed = " ".join(f"({i}) {m}" for i, m in enumerate(self.messages, 1))
        return f"{self.path}：共 {len(self.messages)} 处错误：{listed}"

    def details(self) -> str:
        """The file on the first line, then one problem per line."""
        lines = [f"{self.path}：共 {len(self.messages)} 处错误" if len(self.messages) > 1 else self.path]
        return "\n".join([*lines, *(f"  - {m}" for m in self.messages)])


# ---------------------------------------------------------------------------------------------
# Parsing the forgiving string forms. They raise `_Invalid` with a Chinese reason; the model
# validators turn it into a pydantic error so that it is collected with all the others.


class _Invalid(ValueError):
    """A value that cannot be read; `args[0]` is the Chinese reason."""


def _quote(value: Any) -> str:
    """A value as the user wrote it, in Chinese quotes (dates in ISO form, as Excel shows them)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.isoformat()
    return f"“{value}”"


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
        raise _Invalid(f"{_quote(raw)} 不是有效日期，{DATE_HINT}") from None


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
    the module docstring. A range whose end equals its start is a single day. Raises `ValueError`
    with a Chinese reason, e.g. for `2024-13-01` or an end before the start.
    """
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Invalid(f"{_quote(value)} 不是日期，{DATE_HINT}")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        raise _Invalid(f"日期未填写，{DATE_HINT}")
    first = _date_prefix(text, value)
    if first is None:
        raise _Invalid(f"{_quote(value)} 不是有效日期，{DATE_HINT}")
    start, pos = first
    rest = text[pos:]
    if not rest:
        return start, None
    sep = _RANGE_SEP_RE.match(rest)
    if not sep or sep.end() == len(rest):
        raise _Invalid(f"{_quote(value)} 不是有效日期，{DATE_HINT}")
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
        raise _Invalid(f"{_quote(value)} 不是有效日期，{DATE_HINT}")
    if end < start:
        raise _Invalid(
            f"{_quote(value)}：结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}"
        )
    return start, (end if end != start else None)


def parse_date(value: Any) -> dt.date:
    """One day (a range is refused: a sign-off or a deadline is a single date)."""
    start, end = parse_date_range(value)
    if end is not None:
        raise _Invalid(f"{_quote(value)} 是一个时间段，这里只能写一个日期，如 2024-12-20")
    return start


def format_date(start: dt.date, end: dt.date | None = None) -> str:
    """The file form of a date or range: `2024-03-15` or `2024-03-15/2024-03-17`."""
    return start.isoformat() if end is None else f"{start.isoformat()}/{end.isoformat()}"


_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _parse_number(value: Any) -> Number:
    """A number from a cell or a string: `25`, `2.5`, `1,200`, `1.2万`, `12000元`, full-width digits.

    Integral values come back as `int` so that `3` from Excel and `3` from YAML compare and print
    the same. `bool` is refused: YAML reads `yes` as True, which is never a count.
    """
    if isinstance(value, bool):
        raise _Invalid(f"{_quote(value)} 不是数字")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid(f"{_quote(value)} 不是有限的数字")
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        return _parse_number(float(value))
    if not isinstance(value, str):
        raise _Invalid(f"{_quote(value)} 不是数字")
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
    text = text.removesuffix("元")
    scale = Decimal(1)
    if text.endswith("万"):
        scale, text = Decimal(10000), text[:-1]
    if not _NUMBER_RE.fullmatch(text):
        raise _Invalid(f"{_quote(value)} 不是数字")
    try:
        number = Decimal(text) * scale
    except InvalidOperation:
        raise _Invalid(f"{_quote(value)} 不是数字") from None
    return int(number) if number == number.to_integral_value() else float(number)


_PAIR_SEP_RE = re.compile(r"[；;，、\n\r]+")
_PAIR_EQ_RE = re.compile(r"[=＝:：]")
_TRAILING_UNIT_RE = re.compile(r"\s*([+-]?[\d.,]+)\s*(\D{1,4})\s*")


def parse_counts(value: Any) -> dict[str, Number]:
    """Counts from a mapping or from the `名称=数字；名称=数字` text; all problems in one reason."""
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
                problems.append(f"{_quote(part)} 缺少“=”，{COUNTS_HINT}")
                continue
            pairs.append((pieces[0], pieces[1].strip()))
    else:
        raise _Invalid(f"{_quote(value)} 不是数量，{COUNTS_HINT}")
    counts: dict[str, Number] = {}
    for raw_name, raw_number in pairs:
        name = "" if raw_name is None else str(raw_name).strip()
        if not name:
            problems.append(f"数量 {_quote(raw_number)} 缺少名称，{COUNTS_HINT}")
            continue
        if name in counts:
            problems.append(f"{_quote(name)} 重复出现")
            continue
        try:
            number = _parse_number(raw_number)
        except _Invalid:
            unit = _TRAILING_UNIT_RE.fullmatch(raw_number) if isinstance(raw_number, str) else None
            if unit:
                problems.append(
                    f"{_quote(name)} 的数量 {_quote(raw_number)} 只能写数字，量词请写进名称，"
                    f"如 {name}（{unit.group(2)}）={unit.group(1)}"
                )
            else:
                problems.append(f"{_quote(name)} 的数量 {_quote(raw_number)} 不是数字")
            continue
        if number < 0:
            problems.append(f"{_quote(name)} 的数量不能是负数（{number}）")
            continue
        counts[name] = number
    if problems:
        raise _Invalid("；".join(problems))
    return counts


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def _one_line(value: str) -> str:
    """A text typed over several lines (a YAML block, Alt+Enter in an Excel cell, a text box)
    as one line: the lines joined by `，` where the line before does not end with a mark."""
    lines = [line for line in _LINE_BREAK.split(value.strip()) if line]
    return "".join(line if i == len(lines) - 1 or line[-1] in "，。；：！？、,.;:!?" else line + "，"
                   for i, line in enumerate(lines))


def _split(value: str, pattern: str) -> list[str]:
    return [p.strip() for p in re.split(pattern, value) if p.strip()]


# Separators of the list fields written as one string (an Excel cell, or a YAML string).
_NAME_SEP = r"[、，,;；\n\r]+"
_PEOPLE_SEP = r"[、，,;；\s]+"
# Policy titles contain `、` and `，`, so only `；` and line breaks separate them, plus the
# boundary between two book-title marks: `《甲》《乙》` or `《甲》、《乙》`.
_POLICY_SEP = r"[;；\n\r]+|(?<=》)\s*[、，,]?\s*(?=《)"


# ---------------------------------------------------------------------------------------------
# Validators shared by the models. They raise `PydanticCustomError("invalid", ...)` so that the
# Chinese reason reaches `DataError` unchanged and pydantic still collects every error.


def _error(reason: str) -> PydanticCustomError:
    return PydanticCustomError("invalid", "{reason}", {"reason": reason})


def _text(value: Any) -> Any:
    """Blank means absent; a number typed into a text cell (a room `301`) is that text.

    An `_Invalid` is a problem a model validator found before the fields were validated; it is
    raised here so that it is reported at this field, together with the other fields' errors.
    """
    if isinstance(value, _Invalid):
        raise _error(str(value))
    if value is None:
        return None
    if isinstance(value, str):
        return _one_line(value) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return str(_parse_number(value))
    return value


def _is_blank(value: Any) -> bool:
    return value is None or value == {} or (isinstance(value, str) and not value.strip())


def _name(value: Any) -> Any:
    """A name broken over lines (`望江县` / `第二中心小学`) is one name: its lines joined as they are."""
    return _text(_LINE_BREAK.sub("", value.strip()) if isinstance(value, str) else value)


def _required_name(value: Any) -> Any:
    value = _name(value)
    if value is None:
        raise _error("未填写（必填）")
    return value


def _required_text(value: Any) -> Any:
    value = _text(value)
    if value is None:
        raise _error("未填写（必填）")
    return value


def _list_of(pattern: str | None) -> Any:
    """A validator for a list of texts that also takes one string (split on `pattern`, or at line
    breaks without one: `problems` and `plans` take one item a line)."""

    def split(value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return _split(value, pattern or _LINE_BREAK.pattern)
        if isinstance(value, list):
            # Without a separator of its own (problems, plans) each line of an item is an item.
            lines = [part for v in value for part in (_LINE_BREAK.split(v) if pattern is None and isinstance(v, str)
                                                       else [v])]
            items = [_text(v) for v in lines]
            return [v for v in items if v is not None]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [_text(value)]
        return value

    return BeforeValidator(split)


def _counts(value: Any) -> dict[str, Number]:
    try:
        return parse_counts(value)
    except _Invalid as e:
        raise _error(str(e)) from None


def _money(value: Any) -> Number | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = _parse_number(value)
    except _Invalid:
        raise _error(f"{_quote(value)} 不是金额，应写数字（单位：元），如 12000 或 1.2万") from None
    if number < 0:
        raise _error(f"金额不能是负数（{number}）")
    return number


def _choice(allowed: tuple[str, ...], aliases: dict[str, str], what: str) -> Any:
    """A validator for a closed list of Chinese words, with unambiguous short forms accepted."""

    def check(value: Any) -> Any:
        value = _text(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _error(f"{_quote(value)} 不是文字，{what}应为 {'、'.join(allowed)} 之一")
        value = aliases.get(value, value)
        if value not in allowed:
            raise _error(f"{_quote(value)} 不是可选的{what}，应为 {'、'.join(allowed)} 之一")
        return value

    return BeforeValidator(check)


OptText = Annotated[str | None, BeforeValidator(_text)]
ReqText = Annotated[str, BeforeValidator(_required_text)]
OptName = Annotated[str | None, BeforeValidator(_name)]
ReqName = Annotated[str, BeforeValidator(_required_name)]
Counts = Annotated[dict[str, Number], BeforeValidator(_counts)]
Money = Annotated[Number | None, BeforeValidator(_money)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Leader(_Model):
    """领导小组成员：草稿“组织领导”一节按组长、副组长、成员的顺序写出。"""

    name: ReqName = Field(description="姓名（必填）。", examples=["李明"])
    title: OptText = Field(None, description="本职职务。", examples=["校长"])
    role: Annotated[
        Literal["组长", "副组长", "成员"] | None, _choice(LEADER_ROLES, _LEADER_ROLE_ALIASES, "分工")
    ] = Field(None, description="在领导小组中的分工：组长、副组长或成员。", examples=["组长"])


class Activity(_Model):
    """一项活动：草稿“主要做法”一节的素材，按日期排列。

    文件里写 `date`（一天或一个时间段）；模型保存为 `date_start` / `date_end`，以便排序和计算。
    """

    date_start: dt.date = Field(
        description=(
            "日期（必填）。一天写 2024-03-15；持续多天写成时间段 2024-03-15/2024-03-17，"
            "也可写 2024/3/15、2024年3月15日至17日；Excel 日期格式也可以。"
        ),
        examples=["2024-03-15/2024-03-17"],
    )
    date_end: dt.date | None = Field(None, description="结束日期（由“日期”中的时间段得出；单日活动为空）。")
    kind: OptText = Field(None, description="活动类别，如送教下乡、跟岗学习、教研活动、专题培训、家访。", examples=["送教下乡"])
    title: OptText = Field(None, description="活动标题，一句话说清做了什么（标题和类别至少填一项）。",
                           examples=["建设街小学骨干教师来校上示范课"])
    people: Annotated[list[str], _list_of(_PEOPLE_SEP)] = Field(
        default_factory=list, description="参加人员姓名，用“、”分隔。", examples=["张伟、刘洋"]
    )
    place: OptName = Field(None, description="活动地点，如我校、城关第一小学。", examples=["我校多功能教室"])
    counts: Counts = Field(
        default_factory=dict,
        description=(
            "数量：写成 名称=数字，多项用“；”或换行分隔；数字后不写量词，需要时把量词写进名称。"
            "YAML/JSON 中也可写成映射 {示范课: 3, 听课教师: 25}。"
        ),
        examples=["示范课=3；听课教师=25"],
    )
    money: Money = Field(None, description="涉及金额，单位：元，只写数字（可写 1.2万）。", examples=["12000"])
    notes: OptText = Field(None, description="备注：补充说明，会写进草稿。", examples=["课后开展评课研讨"])

    @model_validator(mode="before")
    @classmethod
    def _split_date(cls, data: Any, info: ValidationInfo) -> Any:
        """Read the file key `date` into `date_start` / `date_end`.

        A bad date is passed on as a marker instead of being raised here, so that the rest of the
        activity is still validated and its errors reported together with this one.
        """
        if not isinstance(data, dict):
            return data
        data = dict(data)
        from_file = bool(info.context and info.context.get("file"))
        if from_file and ("date_start" in data or "date_end" in data):
            data.pop("date_end", None)
            data["date_start"] = _Invalid("文件里的日期只能写在“date”中（如 2024-03-15/2024-03-17），"
                                          "不能用 date_start / date_end")
            data.pop("date", None)
            return data
        if "date" in data:
            raw = data.pop("date")
            try:
                data["date_start"], data["date_end"] = parse_date_range(raw)
            except _Invalid as e:
                data["date_start"] = e
        if _is_blank(data.get("title")) and _is_blank(data.get("kind")):
            data["title"] = _Invalid("标题和类别至少填一项，否则草稿无从写起")
        return data

    @field_validator("date_start", "date_end", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, _Invalid):
            raise _error(str(value))
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except _Invalid as e:
            raise _error(str(e)) from None

    @model_validator(mode="after")
    def _consistent(self) -> Activity:
        if self.date_end is not None and self.date_end < self.date_start:
            raise _error(f"结束日期 {self.date_end} 早于开始日期 {self.date_start}")
        if self.date_end == self.date_start:
            self.date_end = None
        return self

    @property
    def date(self) -> str:
        """The file form of the date: `2024-03-15` or `2024-03-15/2024-03-17`."""
        return format_date(self.date_start, self.date_end)


class Result(_Model):
    """一项成效：草稿“成效”一节的素材，最好带数字。"""

    text: OptText = Field(None, description="成效内容，一句话。", examples=["学困生转化成效明显"])
    counts: Counts = Field(
        default_factory=dict,
        description="相关数字：写成 名称=数字，多项用“；”分隔（内容和数量至少填一项）。",
        examples=["转化学困生=18；及格率提高（个百分点）=12"],
    )

    @model_validator(mode="before")
    @classmethod
    def _not_empty(cls, data: Any) -> Any:
        """An empty result is refused at its 内容, so that the message points at a cell."""
        if isinstance(data, dict) and _is_blank(data.get("text")) and _is_blank(data.get("counts")):
            data = {**data, "text": _Invalid("内容和数量至少填一项")}
        return data


class Signoff(_Model):
    """落款：文末署名的单位和成文日期。"""

    body: OptName = Field(None, description="落款单位，一般是学校全称。", examples=["望江县第二中心小学"])
    date: dt.date | None = Field(None, description="成文日期，一个日期。", examples=["2024-12-20"])

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        value = _text(value) if isinstance(value, str) else value
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        try:
            return parse_date(value)
        except _Invalid as e:
            raise _error(str(e)) from None


class ActivityData(_Model):
    """一份草稿所需的全部事实（`summarizer draft` 的输入）。除学校和时段外都可不填。"""

    kind: Annotated[Literal["工作总结", "工作计划", "实施方案"], _choice(KINDS, _KIND_ALIASES, "文种")] = Field(
        "工作总结", description="文种：工作总结、工作计划或实施方案，不填为工作总结。", examples=["工作总结"]
    )
    topic: OptText = Field(None, description="主题，如学校结对帮扶、学困生帮扶、教育扶贫。", examples=["学校结对帮扶"])
    school: ReqName = Field(description="学校全称（必填）。", examples=["望江县第二中心小学"])
    period: ReqText = Field(
        description="时段（必填），须含年份，如 2024年、2023—2024学年、2024年上半年、2024年秋季学期。",
        examples=["2024年"],
    )
    role: Annotated[Literal["支援", "受援"] | None, _choice(ROLES, _ROLE_ALIASES, "角色")] = Field(
        None, description="本校在结对帮扶中的角色：支援或受援。", examples=["受援"]
    )
    partners: Annotated[list[str], _list_of(_NAME_SEP)] = Field(
        default_factory=list, description="结对学校，多个用“、”分隔。", examples=["建设街小学、实验小学"]
    )
    policies: Annotated[list[str], _list_of(_POLICY_SEP)] = Field(
        default_factory=list,
        description="依据的文件，带书名号，每行一个（或用“；”分隔）。",
        examples=["《关于开展城乡学校结对帮扶工作的通知》"],
    )
    leaders: list[Leader] = Field(default_factory=list, description="领导小组。")
    activities: list[Activity] = Field(default_factory=list, description="开展的（或计划开展的）活动。")
    results: list[Result] = Field(default_factory=list, description="成效。")
    problems: Annotated[list[str], _list_of(None)] = Field(
        default_factory=list, description="存在的问题与不足，每行一条。", examples=["教师外出学习与课务冲突"]
    )
    plans: Annotated[list[str], _list_of(None)] = Field(
        default_factory=list, description="今后打算，每行一条。", examples=["每学期互派教师跟岗学习"]
    )
    signoff: Signoff | None = Field(None, description="落款。")

    @field_validator("kind", mode="before")
    @classmethod
    def _default_kind(cls, value: Any) -> Any:
        return "工作总结" if _text(value) is None else value

    @field_validator("period")
    @classmethod
    def _period_has_year(cls, value: str) -> str:
        """A period without a year (`本学年`, `20__年`) cannot be dated in the draft."""
        if re.fullmatch(r"\d{4}", value):
            return value + "年"
        if not re.search(r"(?<!\d)\d{4}(?!\d)", unicodedata.normalize("NFKC", value)):
            raise _error(f"{_quote(value)} 没有写明年份，应写成 2024年、2023—2024学年 或 2024年秋季学期")
        return value


# ---------------------------------------------------------------------------------------------
# Serialising back to the file form.


def to_dict(data: ActivityData) -> dict[str, Any]:
    """The data as the YAML/JSON file form: `date` strings, ISO dates, empty fields left out.

    `load_data` of this, dumped as YAML or JSON, gives back an equal `ActivityData`.
    """

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, [], {})}

    out: dict[str, Any] = clean(
        {
            "kind": data.kind,
            "topic": data.topic,
            "school": data.school,
            "period": data.period,
            "role": data.role,
            "partners": list(data.partners),
            "policies": list(data.policies),
            "leaders": [clean(leader.model_dump()) for leader in data.leaders],
            "activities": [
                clean(
                    {
                        "date": a.date,
                        "kind": a.kind,
                        "title": a.title,
                        "people": list(a.people),
                        "place": a.place,
                        "counts": dict(a.counts),
                        "money": a.money,
                        "notes": a.notes,
                    }
                )
                for a in data.activities
            ],
            "results": [clean({"text": r.text, "counts": dict(r.counts)}) for r in data.results],
            "problems": list(data.problems),
            "plans": list(data.plans),
        }
    )
    if data.signoff is not None:
        signoff = clean(
            {"body": data.signoff.body, "date": data.signoff.date.isoformat() if data.signoff.date else None}
        )
        if signoff:
            out["signoff"] = signoff
    return out


# ---------------------------------------------------------------------------------------------
# The Excel layout. One table drives the reader, the template and the error locations, so the
# three cannot disagree.

# 基本信息: 项目 → key path in the data, and other names accepted for the 项目.
INFO_ITEMS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("文种", ("kind",), ()),
    ("主题", ("topic",), ()),
    ("学校", ("school",), ("学校名称",)),
    ("时段", ("period",), ("时间段",)),
    ("角色", ("role",), ()),
    ("结对学校", ("partners",), ("结对单位",)),
    ("依据文件", ("policies",), ("政策依据", "文件依据")),
    ("落款单位", ("signoff", "body"), ("落款",)),
    ("落款日期", ("signoff", "date"), ("成文日期",)),
]
INFO_HEADERS = ("项目", "内容")

# Table sheets: sheet → (data key, model, [(header, field, aliases)]). A field of None means the
# sheet is a plain list of texts.
SHEETS: dict[str, tuple[str, type[_Model] | None, list[tuple[str, str | None, tuple[str, ...]]]]] = {
    "领导小组": ("leaders", Leader, [("姓名", "name", ()), ("职务", "title", ()), ("分工", "role", ())]),
    "活动": (
        "activities",
        Activity,
        [
            ("日期", "date", ("时间",)),
            ("类别", "kind", ("类型", "活动类别")),
            ("标题", "title", ("活动名称",)),
            ("人员", "people", ("参加人员",)),
            ("地点", "place", ()),
            ("数量", "counts", ()),
            ("金额（元）", "money", ("金额", "经费（元）", "经费")),
            ("备注", "notes", ()),
        ],
    ),
    "成效": ("results", Result, [("内容", "text", ()), ("数量", "counts", ())]),
    "问题": ("problems", None, [("内容", None, ())]),
    "打算": ("plans", None, [("内容", None, ())]),
}
SHEET_ORDER = ("基本信息", *SHEETS)

_WIDTHS = {
    "基本信息": [14, 70],
    "领导小组": [12, 18, 10],
    "活动": [24, 12, 40, 22, 18, 30, 12, 36],
    "成效": [50, 40],
    "问题": [80],
    "打算": [80],
}

_ACTIVITY_KINDS = ("送教下乡", "跟岗学习", "教研活动", "专题培训", "示范课", "结对学习", "个别辅导",
                   "家访", "捐赠", "座谈交流")


def _norm(text: Any) -> str:
    """A header or sheet name compared loosely: full-width forms, spaces and `*` don't matter."""
    return re.sub(r"[\s*]+", "", unicodedata.normalize("NFKC", str(text)))


def _key_label(model: type[_Model] | None, key: Any) -> str | None:
    """The Chinese header of a model field (`date_start` and `date_end` are the 日期 column)."""
    if key in ("date_start", "date_end"):
        key = "date"
    for _sheet, (_k, m, cols) in SHEETS.items():
        if m is model and model is not None:
            for header, field, _aliases in cols:
                if field == key:
                    return header
    return None


def _info_item(path: tuple[Any, ...]) -> str | None:
    for item, key_path, _aliases in INFO_ITEMS:
        if tuple(path[: len(key_path)]) == key_path:
            return item
    if path and path[0] == "signoff":
        return "落款"
    return None


_LIST_SHEETS = {key: (sheet, model) for sheet, (key, model, _cols) in SHEETS.items()}


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pydantic's error location without its internal steps (`function-after[...]`)."""
    return tuple("date" if k in ("date_start", "date_end") else k for k in loc
                 if not (isinstance(k, str) and "[" in k))


def _reason(err: dict[str, Any]) -> str:
    """A pydantic error in plain Chinese."""
    kind = err["type"]
    value = err.get("input")
    if kind == "invalid":
        return str(err["ctx"]["reason"])
    if kind == "missing":
        return "未填写（必填）"
    if kind == "extra_forbidden":
        return "未知的键"
    if kind in ("string_type", "str_type"):
        return f"{_quote(value)} 应为文字"
    if kind == "list_type":
        return f"{_quote(value)} 应为列表"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{_quote(value)} 应为键值对（如 name: 李明）"
    if kind == "string_too_short":
        return "不能为空"
    return f"{err['msg']}（{kind}）"


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the file may use at the place of an unknown key (for the error message)."""
    parent = loc[:-1]
    if not parent:
        model: type[BaseModel] = ActivityData
    elif parent[0] == "signoff":
        model = Signoff
    elif parent[0] in _LIST_SHEETS and _LIST_SHEETS[parent[0]][1] is not None:
        model = _LIST_SHEETS[parent[0]][1]  # type: ignore[assignment]
    else:
        return []
    keys = [k for k in model.model_fields if k != "date_end"]
    return ["date" if k == "date_start" else k for k in keys]


def _yaml_message(err: dict[str, Any]) -> str:
    """`activities[2].date（活动第3项“日期”）：…` for an error in a YAML or JSON file."""
    loc = _clean_loc(err["loc"])
    path = ""
    for k in loc:
        path += f"[{k}]" if isinstance(k, int) else (("." if path else "") + str(k))
    label = ""
    if loc and loc[0] in _LIST_SHEETS:
        sheet, model = _LIST_SHEETS[loc[0]]
        label = sheet
        if len(loc) > 1 and isinstance(loc[1], int):
            label += f"第{loc[1] + 1}项"
            if len(loc) > 2 and (header := _key_label(model, loc[2])):
                label += f"“{header}”"
    elif loc:
        item = _info_item(loc)
        if item:
            label = f"“{item}”"
            if len(loc) > 1 and isinstance(loc[-1], int):
                label += f"第{loc[-1] + 1}项"
    reason = _reason(err)
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc)
        reason = f"未知的键“{loc[-1]}”" + (f"，可用的键：{'、'.join(allowed)}" if allowed else "")
        label = ""
    where = (path or "（整个文件）") + (f"（{label}）" if label else "")
    return f"{where}：{reason}"


class _XlsxPlaces:
    """Where each piece of data came from in the workbook, to name it in error messages."""

    def __init__(self) -> None:
        self.info_rows: dict[str, int] = {}
        self.list_rows: dict[str, list[int]] = {}

    def message(self, err: dict[str, Any]) -> str:
        """`活动 第3行 “日期”：…` for an error in an `.xlsx` file."""
        loc = _clean_loc(err["loc"])
        reason = _reason(err)
        if loc and loc[0] in _LIST_SHEETS:
            sheet, model = _LIST_SHEETS[loc[0]]
            where = sheet
            if len(loc) > 1 and isinstance(loc[1], int):
                rows = self.list_rows.get(loc[0], [])
                if loc[1] < len(rows):
                    where += f" 第{rows[loc[1]]}行"
                header = "内容" if model is None else (_key_label(model, loc[2]) if len(loc) > 2 else None)
                if header:
                    where += f" “{header}”"
            return f"{where}：{reason}"
        item = _info_item(loc) if loc else None
        if item is None:
            return f"{reason}"
        row = self.info_rows.get(item)
        return f"基本信息{f' 第{row}行' if row else ''} “{item}”：{reason}"


def _validate(obj: Any, describe: Any) -> tuple[ActivityData | None, list[str]]:
    try:
        return ActivityData.model_validate(obj, context={"file": True}), []
    except ValidationError as e:
        return None, [describe(err) for err in e.errors(include_url=False)]


# ---------------------------------------------------------------------------------------------
# Reading files.


def _read_text(path: Path) -> str:
    """The text of a YAML/JSON file: UTF-8 (BOM or not), or GB18030 as Windows Notepad saves it."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError(path, ["无法识别文件编码，请另存为 UTF-8 / cannot decode (not UTF-8)"]) from None


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that notes duplicate keys (YAML keeps the last one silently) and reads an
    impossible date such as `2024-13-01` as text, so that it is reported like any bad date
    instead of failing the whole file."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue
            if duplicate:
                self.duplicates.append(
                    f"第{key_node.start_mark.line + 1}行：键“{key}”重复出现（同一层只能写一次）"
                )
        return super().construct_mapping(node, deep=deep)


def _yaml_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _yaml_timestamp)


def _load_yaml(path: Path) -> tuple[Any, list[str]]:
    text = _read_text(path)
    loader = _YamlLoader(text)
    try:
        obj = loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise DataError(path, [f"YAML 格式错误{where}：{problem}（请检查缩进、冒号后的空格和引号）"]) from None
    finally:
        loader.dispose()
    return obj, loader.duplicates


def _load_json(path: Path) -> tuple[Any, list[str]]:
    text = _read_text(path)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(f"键“{k}”重复出现（同一层只能写一次）")
            out[k] = v
        return out

    try:
        obj = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise DataError(path, [f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}"]) from None
    return obj, duplicates


def _cell(value: Any) -> Any:
    """A cell value as the models take it: Excel dates become dates, blanks become None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _read_xlsx(path: Path) -> tuple[dict[str, Any], _XlsxPlaces, list[str]]:
    """The workbook as the YAML-shaped dict, where each value came from, and layout errors."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # damage inside the zip surfaces as many different exception types
        raise DataError(
            path,
            [f"无法读取 Excel 文件：不是有效的 .xlsx 文件（旧的 .xls 请另存为 .xlsx）/ not a readable .xlsx "
             f"({type(e).__name__})"],
        ) from None
    obj: dict[str, Any] = {}
    places = _XlsxPlaces()
    errors: list[str] = []
    try:
        known = {_norm(s): s for s in SHEET_ORDER}
        for name in wb.sheetnames:
            sheet = known.get(_norm(name))
            ws = wb[name]
            if sheet is None:
                errors.append(f"未知的工作表“{name}”，可用的工作表：{'、'.join(SHEET_ORDER)}")
                continue
            if not hasattr(ws, "iter_rows"):
                errors.append(f"工作表“{name}”不是数据表")
                continue
            if hasattr(ws, "reset_dimensions"):  # read-only mode trusts the file's stated size,
                ws.reset_dimensions()  # which some programs write wrong: read what is there
            rows = [tuple(_cell(v) for v in row) for row in ws.iter_rows(values_only=True)]
            # The header is the first non-empty row (blank rows above it are harmless); rows
            # keep their Excel numbers in messages either way.
            header_row = next((i for i, r in enumerate(rows) if any(v is not None for v in r)), None)
            if header_row is None:
                continue
            width = max(len(r) for r in rows)
            header = rows[header_row] + (None,) * (width - len(rows[header_row]))
            body = [(i + 1, r) for i, r in enumerate(rows) if i > header_row]
            if sheet == "基本信息":
                cols: list[tuple[str, str | None, tuple[str, ...]]] = [
                    (h, h, ()) for h in INFO_HEADERS
                ]
            else:
                cols = SHEETS[sheet][2]
            by_name = {_norm(a): (h, f) for h, f, aliases in cols for a in (h, *aliases)}
            columns: dict[int, tuple[str, str | None]] = {}
            for j, h in enumerate(header):
                letter = get_column_letter(j + 1)
                if h is None:
                    if any(j < len(r) and r[j] is not None for _, r in body):
                        errors.append(f"{sheet} {letter}列：有内容但没有表头，请删除或补上表头")
                    continue
                match = by_name.get(_norm(h))
                if match is None:
                    errors.append(
                        f"{sheet} 第{header_row + 1}行 {letter}列：未知的列“{h}”，"
                        f"可用的列：{'、'.join(c[0] for c in cols)}"
                    )
                    continue
                if match in columns.values():
                    errors.append(f"{sheet} 第{header_row + 1}行 {letter}列：列“{h}”重复出现")
                    continue
                columns[j] = match
            for r, row in body:
                values = {columns[j]: v for j, v in enumerate(row) if j in columns and v is not None}
                if not values:
                    continue
                if sheet == "基本信息":
                    _read_info_row(r, values, obj, places, errors)
                    continue
                key, model, _ = SHEETS[sheet]
                if model is None:
                    obj.setdefault(key, []).append(next(iter(values.values())))
                else:
                    obj.setdefault(key, []).append({f: v for (_h, f), v in values.items()})
                places.list_rows.setdefault(key, []).append(r)
    finally:
        wb.close()
    return obj, places, errors


def _read_info_row(
    row: int, values: dict[tuple[str, str | None], Any], obj: dict[str, Any], places: _XlsxPlaces,
    errors: list[str],
) -> None:
    """One 项目/内容 row of 基本信息 into `obj`; a 项目 without 内容 is an unfilled item."""
    item = values.get(("项目", "项目"))
    content = values.get(("内容", "内容"))
    if item is None:
        errors.append(f"基本信息 第{row}行：有内容 {_quote(content)} 但没有写“项目”")
        return
    items = {_norm(a): (name, path) for name, path, aliases in INFO_ITEMS for a in (name, *aliases)}
    match = items.get(_norm(item))
    if match is None:
        errors.append(
            f"基本信息 第{row}行 “项目”：未知的项目“{item}”，可用的项目：{'、'.join(i[0] for i in INFO_ITEMS)}"
        )
        return
    name, path = match
    if name in places.info_rows:
        errors.append(f"基本信息 第{row}行：项目“{name}”重复出现（第{places.info_rows[name]}行已写过）")
        return
    places.info_rows[name] = row
    if content is None:
        return
    target = obj
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = content


def load_data(path: str | os.PathLike[str]) -> ActivityData:
    """Read activity data from `.yaml`/`.yml`, `.json` or `.xlsx`.

    Raises `DataError` listing every problem of the file (layout and values together), each
    with its place in the file, so that one round of corrections is enough.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        hint = "，请在 Excel 中另存为 .xlsx" if suffix == ".xls" else ""
        raise DataError(path, [f"不支持的文件类型“{suffix or '无扩展名'}”{hint}，应为 .yaml、.json 或 .xlsx"])
    if not path.is_file():
        raise DataError(path, ["文件不存在 / file not found"])
    if suffix == ".xlsx":
        obj, places, errors = _read_xlsx(path)
        data, problems = _validate(obj, places.message)
    else:
        obj, errors = _load_yaml(path) if suffix in (".yaml", ".yml") else _load_json(path)
        if obj is None:
            raise DataError(path, ["文件是空的，至少要写 school 和 period"])
        if not isinstance(obj, dict):
            raise DataError(path, ["文件最外层应是键值对（school: …、period: … 等），而不是列表或单个值"])
        data, problems = _validate(obj, _yaml_message)
    errors = errors + problems
    if errors or data is None:
        raise DataError(path, errors)
    return data


# ---------------------------------------------------------------------------------------------
# The empty workbook for people who prefer Excel.


def _note(model: type[BaseModel], field: str, header: str) -> str:
    """The comment of a header cell: what to write (the field's description) and an example."""
    info = model.model_fields[field]
    description = info.description or ""
    # Most descriptions already open with the name ("数量：…", "主题，如…"); don't say it twice.
    text = description if description.startswith(header) else f"{header}：{description}"
    if info.examples:
        text += f"\n例：{info.examples[0]}"
    return text


def _comment(text: str) -> Any:
    from openpyxl.comments import Comment

    lines = sum(1 + len(line) // 16 for line in text.splitlines())
    return Comment(text, "summarizer", height=max(80, 20 * lines + 20), width=300)


def write_template(path: str | os.PathLike[str]) -> None:
    """Write the empty `.xlsx` form: the six sheets, headers with notes, drop-down lists.

    There are no example rows, since anything in a row is read as data: each header's comment
    says what to write and gives an example instead. 基本信息 lists its 项目 with 内容 left blank,
    so the empty template loads as "学校 and 时段 missing" rather than as an unknown layout.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]

    def header_row(ws: Any, headers: list[str], notes: list[str]) -> None:
        for j, (h, note) in enumerate(zip(headers, notes), 1):
            cell = ws.cell(row=1, column=j, value=h)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.comment = _comment(note)
        ws.freeze_panes = "A2"
        for j, width in enumerate(_WIDTHS[ws.title], 1):
            ws.column_dimensions[get_column_letter(j)].width = width

    def choices(ws: Any, ref: str, values: tuple[str, ...], strict: bool = True) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.showErrorMessage = strict
        dv.errorTitle = "请从列表中选择"
        dv.error = "只能填写：" + "、".join(values)
        dv.showInputMessage = True
        dv.promptTitle = "可选"
        dv.prompt = "、".join(values) + ("" if strict else "（也可自行填写）")
        ws.add_data_validation(dv)
        dv.add(ref)

    ws = wb.create_sheet("基本信息")
    header_row(
        ws,
        list(INFO_HEADERS),
        ["项目：下面各行的名称，请勿改动。", "内容：按左边项目填写；学校和时段必填，其余可空。"],
    )
    for i, (item, key_path, _aliases) in enumerate(INFO_ITEMS, 2):
        model: type[BaseModel] = Signoff if key_path[0] == "signoff" else ActivityData
        cell = ws.cell(row=i, column=1, value=item)
        cell.font = bold
        cell.comment = _comment(_note(model, key_path[-1], item))
        ws.cell(row=i, column=2).alignment = wrap
        if key_path == ("kind",):
            choices(ws, f"B{i}", KINDS)
        elif key_path == ("role",):
            choices(ws, f"B{i}", ROLES)
    for sheet, (_key, model_or_none, cols) in SHEETS.items():
        ws = wb.create_sheet(sheet)
        headers = [h for h, _f, _a in cols]
        if model_or_none is None:
            what = {"问题": "存在的问题与不足", "打算": "今后打算"}[sheet]
            example = ActivityData.model_fields[SHEETS[sheet][0]].examples or [""]
            notes = [f"内容：{what}，每行写一条。\n例：{example[0]}"]
        else:
            notes = [_note(model_or_none, "date_start" if f == "date" else str(f), h) for h, f, _a in cols]
        header_row(ws, headers, notes)
        for j, (_h, f, _a) in enumerate(cols, 1):
            letter = get_column_letter(j)
            ref = f"{letter}2:{letter}1000"
            if sheet == "领导小组" and f == "role":
                choices(ws, ref, LEADER_ROLES)
            elif sheet == "活动" and f == "kind":
                choices(ws, ref, _ACTIVITY_KINDS, strict=False)
    buffer = io.BytesIO()
    wb.save(buffer)
    from summarizer.io.writers import atomic_write

    atomic_write(path, buffer.getvalue())
