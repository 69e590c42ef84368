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
What is possible but probably a slip (an activity dated outside the period, a summary signed before
its last activity ends, `转化学困生` larger than `学困生`) is a warning, not an error: the draft is
still written (`compose/data_checks.py`). Files are read by `summarizer/io/data_readers.py`
(`load_data`); the empty workbook is written by `summarizer/io/data_template.py`.

The `.xlsx` form (what `write_template` produces):

- 基本信息: two columns 项目 / 内容, one row per item: 文种, 主题, 学校, 时段, 角色, 结对学校 (names
  separated by `、` or `，`), 依据文件 (one per line, or separated by `；`), 落款单位, 落款日期.
- 领导小组: 姓名, 职务, 分工 (组长 / 副组长 / 成员).
- 活动: 日期, 类别, 标题, 人员 (`、`-separated), 地点, 数量, 金额（元）, 备注.
- 成效: 内容, 数量.  问题 and 打算: one column 内容, one item per row.

`数量` is written as `名称=数字` pairs separated by `；`, `;`, `，`, `、` or a line break, e.g.
`示范课=3；听课教师=25`; `＝`, `:` and `：` also work in place of `=`. The number is a plain number
(`25`, `2.5`, `1,200`, `1.2万`) or a number with a short unit after it: one to three Chinese
characters (`走访家庭=29户`, `平均分提高=9分`), the same after `万` (`经费=3.5万元`, `图书=1.2万册`),
or a percent sign (`建档率=100%`). The unit is kept as written and the draft writes it (`走访家庭29户`)
instead of the measure word it would guess; a longer unit goes in the name (`及格率提高（个百分点）=12`).
Dates may be Excel dates or text `2024-03-15`, `2024/3/15`, `2024年3月15日`, `20240315`; a range
joins two dates with `/`, `至`, `到`, `—`, `-` or `~`, and its end may leave out the year and month it
shares with the start (`2024年3月15日至17日`). Blank rows are skipped. The same string forms are
accepted in YAML and JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from summarizer.compose.values import (
    Invalid,
    Quantity,
    format_date,
    parse_counts,
    parse_date,
    parse_date_range,
    parse_number,
    quote,
)

__all__ = [
    "KINDS",
    "LEADER_ROLES",
    "ROLES",
    "Activity",
    "ActivityData",
    "DataError",
    "Leader",
    "Quantity",
    "Result",
    "Signoff",
    "format_date",
    "parse_counts",
    "parse_date",
    "parse_date_range",
    "to_dict",
]

KINDS = ("工作总结", "工作计划", "实施方案")
ROLES = ("支援", "受援")
LEADER_ROLES = ("组长", "副组长", "成员")

# Short forms people write for the same thing; mapped rather than refused because they are
# unambiguous. Anything else outside the lists above is an error.
_KIND_ALIASES = {"总结": "工作总结", "计划": "工作计划", "方案": "实施方案"}
_ROLE_ALIASES = {"支援方": "支援", "受援方": "受援", "帮扶方": "支援", "被帮扶": "受援"}
_LEADER_ROLE_ALIASES = {"组员": "成员", "副组": "副组长"}


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

    An `Invalid` is a problem a model validator found before the fields were validated; it is
    raised here so that it is reported at this field, together with the other fields' errors.
    """
    if isinstance(value, Invalid):
        raise _error(str(value))
    if value is None:
        return None
    if isinstance(value, str):
        return _one_line(value) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return str(parse_number(value))
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


def _counts(value: Any) -> dict[str, Quantity]:
    try:
        return parse_counts(value)
    except Invalid as e:
        raise _error(str(e)) from None


def _money(value: Any) -> Number | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_number(value)
    except Invalid:
        raise _error(f"{quote(value)} 不是金额，应写数字（单位：元），如 12000 或 1.2万") from None
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
            raise _error(f"{quote(value)} 不是文字，{what}应为 {'、'.join(allowed)} 之一")
        value = aliases.get(value, value)
        if value not in allowed:
            raise _error(f"{quote(value)} 不是可选的{what}，应为 {'、'.join(allowed)} 之一")
        return value

    return BeforeValidator(check)


OptText = Annotated[str | None, BeforeValidator(_text)]
ReqText = Annotated[str, BeforeValidator(_required_text)]
OptName = Annotated[str | None, BeforeValidator(_name)]
ReqName = Annotated[str, BeforeValidator(_required_name)]
Counts = Annotated[dict[str, Quantity], BeforeValidator(_counts)]
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
            "数量：写成 名称=数字，多项用“；”或换行分隔；数字后可带单位（一至三个汉字或 %），如 走访家庭=29户、"
            "建档率=100%、经费=3.5万元，草稿照写。YAML/JSON 中也可写成映射 {示范课: 3, 走访家庭: 29户}。"
        ),
        examples=["示范课=3；听课教师=25；走访家庭=29户"],
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
            data["date_start"] = Invalid("文件里的日期只能写在“date”中（如 2024-03-15/2024-03-17），"
                                          "不能用 date_start / date_end")
            data.pop("date", None)
            return data
        if "date" in data:
            raw = data.pop("date")
            try:
                data["date_start"], data["date_end"] = parse_date_range(raw)
            except Invalid as e:
                data["date_start"] = e
        if _is_blank(data.get("title")) and _is_blank(data.get("kind")):
            data["title"] = Invalid("标题和类别至少填一项，否则草稿无从写起")
        return data

    @field_validator("date_start", "date_end", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, Invalid):
            raise _error(str(value))
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except Invalid as e:
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
        description="相关数字：写成 名称=数字（可带单位，如 9分、100%），多项用“；”分隔（内容和数量至少填一项）。",
        examples=["转化学困生=18；及格率提高（个百分点）=12"],
    )

    @model_validator(mode="before")
    @classmethod
    def _not_empty(cls, data: Any) -> Any:
        """An empty result is refused at its 内容, so that the message points at a cell."""
        if isinstance(data, dict) and _is_blank(data.get("text")) and _is_blank(data.get("counts")):
            data = {**data, "text": Invalid("内容和数量至少填一项")}
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
        except Invalid as e:
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
            raise _error(f"{quote(value)} 没有写明年份，应写成 2024年、2023—2024学年 或 2024年秋季学期")
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
                        "counts": {k: q.file_form() for k, q in a.counts.items()},
                        "money": a.money,
                        "notes": a.notes,
                    }
                )
                for a in data.activities
            ],
            "results": [clean({"text": r.text, "counts": {k: q.file_form() for k, q in r.counts.items()}})
                        for r in data.results],
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


