"""Slots of a report: placeholders left for the reader to fill, and the figures it states.

Reports copied from the web keep the blanks of their template (`____年____月`, `20__年`, `201x年`,
`xx县`, `XXX小学`, `***`, an empty `组长：`, or a number simply cut out: `接受学前教育的名贫困家庭
幼儿`), and the figures they do state (`312名`, `5万元`, `2009年12月6日至9日`) are what a
reviewer checks first. This module finds both, with their kind and a normalised value, following
`corpus/gold/SLOTS.md` (kinds, spans, values, exclusions) — the same rules the gold files follow.

Everything works on the full article text (`Article.text`: the title line, one paragraph per
line), so offsets are the ones `summarizer segment` shows; `text[start:end]` is always the item's
text, and items of one list never overlap. Placeholders are found first and masked, so that the
digits of `20__年` or `20xx元` never turn into figures; dates are read before single numbers, so that
`2009年12月6日` is one figure, not three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from summarizer.analyse.consistency import Check, check_figures, format_iso
from summarizer.analyse.segment import words
from summarizer.document import Article
from summarizer.text.numerals import (
    ARABIC_DIGIT,
    CN_NUMERAL_CHARS,
    DIGITS,
    LARGE_UNITS,
    parse_arabic,
    parse_chinese,
    parse_digit_string,
    parse_number,
    scale,
)

COUNT_UNITS = ("名 人 人次 位 所 个 台 套 块 册 本 次 节 篇 场 期 项 户 班 校 间 件 张 份 支 辆 批 组 门 届 "
               "课时 学时 余人 多人 家 座 处 条 种 幅 首 部 盆 箱 包 只").split()
NAME_SUFFIXES = ("省 市 县 区 乡 镇 村 街道 办事处 试验区 中学 小学 中心小学 中心校 学校 实验学校 幼儿园 "
                 "教育局 文教局 教体局 人民政府 党委 政府 委员会 同志 老师 校长").split()
DURATION_UNITS = "年 周年 周 天 个月 个星期 星期 个学期 学期 小时 分钟 周岁 岁".split()
MONEY_UNITS = ("元",)
AREA_UNITS = "平方米 平方公里 平方千米 平米 ㎡ 亩 公顷".split()
PERCENT_SIGNS = ("%", "％")
FIELD_LABELS = "副组长 组长 成员 组员 负责人 联系人 联系电话 时间 地点".split()

# Chinese names of the kinds, for the table `summarizer slots` prints.
KIND_ZH = {
    "year": "年份", "month": "月份", "day": "日期", "count": "数量", "name": "名称", "ordinal": "序数",
    "number": "数字", "field": "空栏", "list": "名单", "gap": "缺数", "blank": "空白", "money": "金额",
    "percent": "百分比", "area": "面积", "date": "日期", "date_range": "日期范围", "school_year": "学年",
    "duration": "时长", "sum": "合计", "date_order": "日期顺序",
}

_UNIT_KIND = {**{u: "count" for u in COUNT_UNITS}, **{u: "duration" for u in DURATION_UNITS},
              **{u: "money" for u in MONEY_UNITS}, **{u: "area" for u in AREA_UNITS},
              **{u: "percent" for u in PERCENT_SIGNS}}
# Words that begin with a count unit: `____人员` or `的个人` is not a number left out.
_UNIT_WORDS = tuple(
    "名单 名称 名额 名次 名义 名字 名校 名师 名人 名誉 名牌 名著 名副 人员 人才 人民 人口 人数 人们 人家 人生 人格 "
    "人文 人事 人身 人心 人物 人性 个人 个别 个性 个体 个案 所以 所有 所在 所属 所谓 所得 所需 所长 次数 次要 节日 "
    "节目 节约 节奏 节点 场所 场地 场合 场面 期间 期末 期中 期望 期待 期限 项目 班级 班子 班会 班主任 班长 校长 校园 "
    "校区 校舍 校风 位置 位于 户口 户籍 批评 批准 组长 组织 组成 组建 门口 届时 家长 家庭 家访 处理 条件 种类 部门 "
    "部分".split())
# Set phrases whose numerals count nothing (`四个意识`): masked before figures are read.
_SET_PHRASES = ("四个意识 四个自信 两个维护 四个全面 两个确立 三个代表 三个面向 三个有利于 两学一做 三会一课 "
                "三严三实 三心二意 三个一").split()
_MASK = "\x00"  # stands in for text already read, keeping every offset in place


def _longest_first(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first, so that `人次` wins over `人`."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ANY_UNIT = re.compile(_longest_first(_UNIT_KIND))
_COUNT_UNIT = re.compile(_longest_first(COUNT_UNITS))
_NAME_SUFFIX = re.compile(_longest_first(NAME_SUFFIXES))
_SET_PHRASE = re.compile(_longest_first(_SET_PHRASES))

# A mark run: `20__` `201x` `20xx` (a year with digits cut out), `____`, `xx`, `××`, `***`, `〇〇`.
_RUN = re.compile(r"(?<![0-9０-９A-Za-z])(?:19|20)(?:[0-9][xXｘＸ]|[xXｘＸ]{2})(?![0-9A-Za-z])"
                  r"|(?<![0-9０-９A-Za-z])(?:19|20)[0-9]?[_＿]+|[_＿]{2,}|(?<![A-Za-z])[xXｘＸ]{2,}(?![A-Za-z])"
                  r"|[×*＊]{2,}|(?<![零〇一二两三四五六七八九十])[〇○]{2,}(?![零〇一二两三四五六七八九十])")
_RUN_IN = r"(?:(?:19|20)[0-9]?[_＿xXｘＸ]+|[_＿]{2,}|[xXｘＸ]{2,}|[×*＊]{2,})"
_DASH = r"(?:—{1,2}|[-–－~～至到])"
_RANGE_TO_YEAR = re.compile(rf"\s*{_DASH}\s*{_RUN_IN}\s*年")
# A document number `____教[____]____号`, `福委办字〔20__〕138号`: every run in it is a `number`.
_DOC_NUMBER = re.compile(
    rf"(?:{_RUN_IN}[\u4e00-\u9fff]{{1,4}}|[\u4e00-\u9fff]{{1,6}})\s*[〔\[［【]\s*(?:{_RUN_IN}|[12][0-9]{{3}})\s*"
    rf"[〕\]］】]\s*(?:第\s*)?(?:{_RUN_IN}|[0-9]{{1,4}})\s*[号件]")
_PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
_FIELD = re.compile(rf"(?:{'|'.join(FIELD_LABELS)})[:：](?=[ \t\u3000]*$)", re.M)
_LIST = re.compile(r"[（(][\u4e00-\u9fff]{0,6}?(?:附后|后附|另附|见附件)[）)]")
_ORDINAL_AFTER = re.compile(r"大(?![学队街道厦桥楼])|届")
_NUMBER_AFTER = re.compile(r"[余多]?[万千百亿元%％.．倍]")
_PERSON_BEFORE = re.compile(r"(?:副组长|组长|成员|组员|负责人|联系人)[:：]\s*$")
# A body whose name ends a word or two after the run: `____中心学校`, `____验区`, `____大学`.
_ORG_ENDINGS = (*NAME_SUFFIXES, "大学", "学院", "医院", "公司", "集团", "中心", "协会", "局", "厅", "办")
_NAME_SOON = re.compile(rf"[\u4e00-\u9fff]{{0,2}}(?:{_longest_first(_ORG_ENDINGS)})")

_ARABIC = f"[{ARABIC_DIGIT}]"
_NUMBER = re.compile(rf"(?<![0-9０-９A-Za-z.．,])(?:{_ARABIC}{{1,3}}(?:,[0-9]{{3}})+|{_ARABIC}+)(?:[.．]{_ARABIC}+)?"
                     rf"(?![0-9０-９A-Za-z])|[{CN_NUMERAL_CHARS}]+")
_PERCENT_CN = re.compile(rf"百分之([{CN_NUMERAL_CHARS}]+|{_ARABIC}+(?:[.．]{_ARABIC}+)?)")

_YEAR = rf"(?<![0-9０-９.．])(?P<y>[12][0-9]{{3}})(?![0-9])年|(?<![{CN_NUMERAL_CHARS}])(?P<yc>[〇零一二三四五六七八九]{{4}})年"
_MONTH = rf"(?<![0-9０-９.．])(?P<m>1[0-2]|0?[1-9])月|(?<![{CN_NUMERAL_CHARS}])(?P<mc>十[一二]?|[一二三四五六七八九])月"
_DAY = (rf"(?<![0-9０-９.．])(?P<d>3[01]|[12][0-9]|0?[1-9])[日号]"
        rf"|(?<![{CN_NUMERAL_CHARS}])(?P<dc>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号]")
_YEAR_AT, _MONTH_AT, _DAY_AT = re.compile(_YEAR), re.compile(_MONTH), re.compile(_DAY)
_DATE_START = re.compile(f"{_YEAR}|{_MONTH}|{_DAY}")
_CONNECT = re.compile(rf"\s*{_DASH}\s*")
_YEAR_PAIR = re.compile(rf"(?<![0-9])(?P<a>[12][0-9]{{3}})\s*{_DASH}\s*(?P<b>[12][0-9]{{3}})\s*"
                        r"(?P<u>学年度|学年|年)")
_ISO_DATE = re.compile(r"(?<![0-9.])(?P<y>[12][0-9]{3})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
                       r"(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9])")
_DOTTED_MONTH = re.compile(r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})\.(?P<m>1[0-2]|[1-9])(?![0-9.．%％万亿元])")

# The gap: a count unit right after a word that introduces a number, right before what is counted.
_GAP_UNITS = "名位所个户次节场项人批"
_GAP_BEFORE = re.compile(r"(?:的|共|有|达|计|了|派|选派|派出|安排|培训|资助|组织|招聘|招收|录取|接收|表彰|慰问|走访|"
                         r"帮扶|救助|覆盖|惠及|涉及|新增|其中|为|对|小学|中学|学校|中心校|幼儿园|"
                         r"[一二三四五六七八九十]小|[一二三四五六七八九十]中)$")
_GAP_NOUNS = ("教师 老师 骨干 学生 幼儿 儿童 贫困 困难 特困 留守 残疾 孤儿 家庭 学校 中学 小学 幼儿园 教学点 班主任 "
              "校长 家长 志愿者 党员 干部 农户 贫困户 寄宿生 初中生 小学生 高中生 大学生 毕业生 学困生 同学 专家 "
              "青年 中青年 新教师 特岗 优秀 支教 集体 示范课 公开课 讲座 活动 培训 建档立卡 村 乡村 农村 "
              "城区 教学班 班级").split()
_GAP_AFTER = re.compile(_longest_first(_GAP_NOUNS))
# `来了位老师`, `有个学生`: speech drops 一 before 个 and 位, so after these words they are no gap.
_ONE_DROPPED = re.compile(r"(?:(?<![共现另拥计])有|了|为|对|的)$")
_SESSION_OF = re.compile(r"[一二三四五六七八九十]中全会|全会|全国|人大|代表大会|运动会|委员会|政协|党代会")
_QUOTE_OPEN = "“\"「『"
_QUOTE_CLOSE = "”\"」』"


@dataclass(frozen=True)
class Slot:
    """A placeholder (`value` is None) or a figure (`value` is its normalised value).

    `unit` is the count unit of a count placeholder, and the unit as written of a figure (`""`
    where there is none, as for dates).
    """

    text: str
    start: int
    end: int
    kind: str
    value: Any = None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `summarizer slots`: placeholders and figures differ in their keys."""
        if self.value is None:
            out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end, "kind": self.kind}
            if self.unit:
                out["unit"] = self.unit
            return out
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value,
                "unit": self.unit or "", "kind": self.kind}


@dataclass
class SlotReport:
    """Everything `summarizer slots` reports for one article."""

    placeholders: list[Slot] = field(default_factory=list)
    figures: list[Slot] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"placeholders": [p.to_dict() for p in self.placeholders],
                "figures": [f.to_dict() for f in self.figures],
                "checks": [c.to_dict() for c in self.checks]}


def extract_slots(article_or_text: Article | str) -> SlotReport:
    """Placeholders, figures and consistency checks of an article (or of its text)."""
    text = article_or_text.text if isinstance(article_or_text, Article) else article_or_text
    placeholders = find_placeholders(text)
    figures = find_figures(text, placeholders)
    return SlotReport(placeholders, figures, check_figures(text, figures))


# ---------------------------------------------------------------- placeholders


def find_placeholders(text: str) -> list[Slot]:
    """Every placeholder of a text, in text order, none overlapping.

    Mark runs are classified by what stands next to them (`年` → year, a count unit → count, a
    name suffix → name, …); empty fields, `（名单附后）` notes and gaps (a unit whose number was cut
    out) are found on their own.
    """
    doc_numbers = [(m.start(), m.end()) for m in _DOC_NUMBER.finditer(text)]
    found = [_classify_run(text, m.start(), m.end(), doc_numbers) for m in _RUN.finditer(text)]
    found += [Slot(m.group(), m.start(), m.end(), "field") for m in _FIELD.finditer(text)]
    found += [Slot(m.group(), m.start(), m.end(), "list") for m in _LIST.finditer(text)]
    found = _without_overlaps(found)
    found += find_gaps(text, found)
    return sorted(found, key=lambda s: s.start)


def _classify_run(text: str, start: int, end: int, doc_numbers: list[tuple[int, int]]) -> Slot:
    """Kind and span of the mark run `text[start:end]`, by the rules of SLOTS.md, in their order."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = text[end:line_end if line_end >= 0 else len(text)]
    before = text[line_start:start]
    run = text[start:end]

    def slot(kind: str, s: int = start, e: int = end, unit: str | None = None) -> Slot:
        return Slot(text[s:e], s, e, kind, unit=unit)

    if any(s <= start and end <= e for s, e in doc_numbers):
        return slot("number")
    if after.startswith("年") and not after.startswith("年级"):
        return slot("year", e=end + 1)
    if _RANGE_TO_YEAR.match(after):
        return slot("year")  # `____-____年`: the first run of a year range
    if after.startswith("月"):
        return slot("month", e=end + 1)
    if after[:1] in ("日", "号"):
        return slot("day", e=end + 1)
    if before.endswith("第"):
        tail = _ORDINAL_AFTER.match(after)
        return slot("ordinal", s=start - 1, e=end + (1 if tail else 0))
    if after.startswith("次会议"):
        return slot("ordinal", e=end + 1)
    if _ORDINAL_AFTER.match(after):
        return slot("ordinal", e=end + 1)
    suffix = _NAME_SUFFIX.match(after)
    unit, unit_end = _count_unit_at(after)
    if unit and not (suffix and len(suffix.group()) > unit_end):
        return slot("count", e=end + unit_end, unit=unit)
    if suffix:
        return slot("name", e=end + suffix.end())
    if _NUMBER_AFTER.match(after) or any(ch.isdigit() for ch in run) or "电话" in before[-6:]:
        return slot("number")
    if _is_name_context(before, after) or run[0] not in "_＿":
        return slot("name")
    return slot("blank")


def _count_unit_at(after: str) -> tuple[str | None, int]:
    """(unit, length of the stretch read) for a count unit at the start of `after`; (None, 0) when
    there is none or it starts a common word (`人员`, `名单`)."""
    unit, end = _unit_at(_COUNT_UNIT, after, 0)
    if unit is None or after.startswith(_UNIT_WORDS, end - len(unit)):
        return None, 0
    return unit, end


def _unit_at(pattern: re.Pattern[str], s: str, pos: int) -> tuple[str | None, int]:
    """(unit, end) of the longest reading of a unit at `pos`, `余`/`多` allowed before it: `余人`
    is a unit of its own, but `300余人次` reads as `余` + `人次`; (None, pos) when there is none."""
    direct = pattern.match(s, pos)
    skipped = pattern.match(s, pos + 1) if s[pos:pos + 1] in ("余", "多") else None
    best = max((m for m in (direct, skipped) if m), key=lambda m: m.end(), default=None)
    if best is None:
        return None, pos
    if direct and direct.end() == best.end():
        best = direct
    return best.group(), best.end()


def _is_name_context(before: str, after: str) -> bool:
    """A run with no suffix that still stands for a person, place or body: the issuer at the head
    of a title (`《____开展…》`), a source before one (`根据____《…》`), someone going somewhere
    (`____到____乡`), a filled-in field (`组长：____`), or a name whose suffix comes a word later
    (`____中心学校`, `____验区`)."""
    if before.endswith("《") or after.startswith("《"):
        return True
    if after[:1] in ("到", "赴") or _PERSON_BEFORE.search(before):
        return True
    return bool(_NAME_SOON.match(after))


def find_gaps(text: str, taken: Iterable[Slot] = ()) -> list[Slot]:
    """Count units whose number was cut out: `接受学前教育的名贫困家庭幼儿` → `名`.

    A unit is a gap only when a reader sees the hole: right after a word that introduces a number
    (`的` `共` `有` `达` `了` `选派` `安排` `培训` …, or a school name: `沙河二小个集体备课组长`),
    right before what is counted (`教师` `学生` `幼儿` `贫困家庭` `学校` …), and not the start of a
    common word (`名单` `人员` `个人` `所有` `节日`). `个` and `位` after `有` `了` `的` are left
    alone, since speech drops `一` there (`来了位老师`). jieba then has the last word: if it reads the
    unit into a longer word with what follows (`名师`), or with what precedes unless that is the
    introducing word itself (`这名`, but `有所` in `共有所学校` is fine), it is not a gap.
    """
    covered = _coverage(taken)
    gaps = []
    for m in re.finditer(f"[{_GAP_UNITS}]", text):
        i = m.start()
        if i in covered or not _GAP_BEFORE.search(text, max(0, i - 3), i):
            continue
        if m.group() in "个位" and _ONE_DROPPED.search(text, max(0, i - 2), i):
            continue
        if not _GAP_AFTER.match(text, i + 1) or text.startswith(_UNIT_WORDS, i):
            continue
        if _gap_word_ok(text, i):
            gaps.append(Slot(m.group(), i, i + 1, "gap"))
    return gaps


def _gap_word_ok(text: str, i: int) -> bool:
    """Whether jieba leaves the unit at `i` a word of its own (or glued only to its trigger)."""
    line_start = text.rfind("\n", 0, i) + 1
    line_end = text.find("\n", i)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    pos = 0
    for w in words(line, hmm=False):
        w_start, pos = line_start + pos, pos + len(w)
        w_end = line_start + pos
        if w_start <= i < w_end:
            if w_end > i + 1:
                return False
            return w_start == i or bool(_GAP_BEFORE.search(w[:-1]))
    return False


def _without_overlaps(slots: list[Slot]) -> list[Slot]:
    """Keep the earlier (then the longer) of overlapping items, so that no two items share text."""
    kept: list[Slot] = []
    for s in sorted(slots, key=lambda s: (s.start, -(s.end - s.start))):
        if not kept or s.start >= kept[-1].end:
            kept.append(s)
    return kept


def _coverage(slots: Iterable[Slot]) -> set[int]:
    return {i for s in slots for i in range(s.start, s.end)}


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = _MASK * (e - s)
    return "".join(chars)


# ---------------------------------------------------------------- figures


def find_figures(text: str, placeholders: list[Slot] | None = None) -> list[Slot]:
    """Every figure of a text, in text order, none overlapping (longest reading first).

    `placeholders` (found when not given) are masked first: `20__年` is a placeholder, not the
    number 20, and `20xx元` is not 20 yuan. Document and phone numbers are masked too.
    """
    if placeholders is None:
        placeholders = find_placeholders(text)
    skip = [(p.start, p.end) for p in placeholders]
    skip += [(m.start(), m.end()) for pattern in (_DOC_NUMBER, _PHONE, _SET_PHRASE) for m in pattern.finditer(text)]
    work = _masked(text, skip)
    figures: list[Slot] = []
    for reader in (_year_pairs, _iso_dates, _dates, _percents_cn, _numbers):
        found = reader(work, text)
        figures += found
        work = _masked(work, [(f.start, f.end) for f in found])
    return sorted(figures, key=lambda f: f.start)


def _figure(text: str, start: int, end: int, kind: str, value: Any, unit: str = "") -> Slot:
    return Slot(text[start:end], start, end, kind, value=value, unit=unit)


def _year_pairs(work: str, text: str) -> list[Slot]:
    """`2009—2010学年(度)` (a school year) and `2009-2010年` (a range of years)."""
    out = []
    for m in _YEAR_PAIR.finditer(work):
        a, b, unit = m.group("a"), m.group("b"), m.group("u")
        if not (_is_year(int(a)) and _is_year(int(b))):
            continue
        if unit.startswith("学年"):
            out.append(_figure(text, m.start(), m.end(), "school_year", f"{a}-{b}", unit))
        else:
            out.append(_figure(text, m.start(), m.end(), "date_range", f"{a}/{b}"))
    return out


def _iso_dates(work: str, text: str) -> list[Slot]:
    """`2024-03-15`, `2024/3/15`, and the sign-off form `2011.3` (year and month)."""
    out = []
    for m in _ISO_DATE.finditer(work):
        if _is_year(int(m.group("y"))):
            iso = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
            out.append(_figure(text, m.start(), m.end(), "date", iso))
    taken = _coverage(out)
    for m in _DOTTED_MONTH.finditer(work):
        if m.start() not in taken and not _ANY_UNIT.match(work, m.end()):
            out.append(_figure(text, m.start(), m.end(), "date", f"{m.group('y')}-{int(m.group('m')):02d}"))
    return out


@dataclass(frozen=True)
class _Date:
    """A written date with the parts it states (`None` for a part left out)."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None

    def iso(self) -> str:
        """`2009-12-06`, `2009-12`, `2009`, `--12-06` (month and day, no year)."""
        return format_iso((self.year, self.month, self.day))

    def filled_from(self, first: _Date) -> _Date:
        """The end of a range with what it leaves out taken from its start (`6日至9日`)."""
        if self.year:
            return self
        month = self.month or first.month
        return _Date(self.start, self.end, first.year, month, self.day)


def _read_date(work: str, pos: int) -> _Date | None:
    """The date written at `pos`: year, year-month, year-month-day, month-day, month or day."""
    parts: dict[str, int | None] = {"y": None, "m": None, "d": None}
    end = pos
    for key, pattern in (("y", _YEAR_AT), ("m", _MONTH_AT), ("d", _DAY_AT)):
        m = pattern.match(work, end)
        if not m:
            continue
        raw = m.group(key) or m.group(key + "c")
        value = _date_part(raw)
        if value is None or (key == "y" and not _is_year(value)):
            break
        parts[key] = value
        end = m.end()
    if end == pos or (parts["y"] and parts["d"] and not parts["m"]):
        return None
    return _Date(pos, end, parts["y"], parts["m"], parts["d"])


def _date_part(raw: str) -> int | None:
    digits = parse_digit_string(raw) if len(raw) == 4 and raw[0] in DIGITS else None
    if digits:
        return int(digits)
    value = parse_arabic(raw)
    return int(value) if isinstance(value, int) else parse_chinese(raw)


def _dates(work: str, text: str) -> list[Slot]:
    """Dates, date ranges and years written with `年` `月` `日`, Arabic or Chinese."""
    out: list[Slot] = []
    pos = 0
    while m := _DATE_START.search(work, pos):
        first = _read_date(work, m.start())
        if first is None:
            pos = m.end()
            continue
        pos = first.end
        last = None
        c = _CONNECT.match(work, first.end)
        if c and (first.month or first.year):
            second = _read_date(work, c.end())
            if second and _range_fits(first, second):
                last = second.filled_from(first)
        if last:
            out.append(_figure(text, first.start, last.end, "date_range", f"{first.iso()}/{last.iso()}"))
            pos = last.end
        elif first.month and (first.year or first.day):
            out.append(_figure(text, first.start, first.end, "date", first.iso()))
        elif first.year and not first.month:
            out.append(_figure(text, first.start, first.end, "year", first.year, "年"))
    return out


def _range_fits(first: _Date, second: _Date) -> bool:
    """Whether `second` can end a range that `first` starts: it states no finer part than the
    start has, and leaves out only leading parts (`6日至9日`, `9月至12月`, `2009年至2010年`)."""
    if second.year:
        return bool(second.month) == bool(first.month) or not first.month
    if second.month:
        return bool(first.month) and bool(second.day) == bool(first.day)
    return bool(first.day) and bool(second.day)


def _percents_cn(work: str, text: str) -> list[Slot]:
    """`百分之九十五` → 95."""
    out = []
    for m in _PERCENT_CN.finditer(work):
        value = parse_number(m.group(1))
        if value is not None:
            out.append(_figure(text, m.start(), m.end(), "percent", value, "%"))
    return out


def _numbers(work: str, text: str) -> list[Slot]:
    """Single numbers with a unit: counts, money, percentages, areas, durations."""
    out = []
    for m in _NUMBER.finditer(work):
        figure = _read_number(work, text, m.start(), m.end())
        if figure:
            out.append(figure)
    return out


def _read_number(work: str, text: str, start: int, end: int) -> Slot | None:
    """The figure a number token at `work[start:end]` begins, or None (no unit, or excluded)."""
    token = work[start:end]
    chinese = token[0] in CN_NUMERAL_CHARS
    if chinese and token[0] not in DIGITS and token[0] != "十":
        return None  # `千校`, `万元`: a magnitude with no digit is a word, not a number
    value = parse_number(token)
    if value is None or _excluded_before(work, start, chinese):
        return None
    # `5万元`, `1.2亿元`: the magnitude belongs to the unit as written (`万元`) and to the value.
    magnitude = token[-1] if chinese and token[-1] in LARGE_UNITS else ""
    pos = end
    if not chinese and work[pos:pos + 1] in LARGE_UNITS:
        magnitude, pos = work[pos], pos + 1
    unit, unit_end = _unit_at(_ANY_UNIT, work, pos)
    approximate = unit is not None and unit_end - len(unit) > pos
    if unit is None and not magnitude and not chinese and work[pos:pos + 1] in ("余", "多") \
            and work[pos + 1:pos + 2] in LARGE_UNITS:
        magnitude, approximate = work[pos + 1], True  # `20余万元`
        unit, unit_end = _unit_at(_ANY_UNIT, work, pos + 2)
    if unit is None:
        return None
    kind = _UNIT_KIND[unit]
    if kind == "percent" and (magnitude or approximate):
        return None
    if chinese and (kind not in ("count", "duration") or value < 2 or _in_slogan(work, start)):
        return None
    if not _unit_reads_as_unit(work, start, unit_end, unit):
        return None
    if magnitude and not chinese:
        value = scale(value, LARGE_UNITS[magnitude])
    return _figure(text, start, unit_end, kind, value, "%" if kind == "percent" else magnitude + unit)


def _excluded_before(work: str, start: int, chinese: bool) -> bool:
    """Ordinals (`第3名`, `第二届`), approximations (`几十名`), grades (`初二`), Latin (`A4`)."""
    prev = work[start - 1:start]
    if prev == "第" or prev.isascii() and prev.isalpha():
        return True
    return chinese and prev in ("几", "数", "若", "初", "高", "周", "期", "礼")


def _unit_reads_as_unit(work: str, start: int, end: int, unit: str) -> bool:
    """Whether the unit after a number is meant as one: not in a grade (`三年级`), a class name
    (`（2）班`, `二年级三班`) or the session of a body (`十九届四中全会`, an ordinal)."""
    if unit == "年" and work[end:end + 1] == "级":
        return False
    if unit == "届" and _SESSION_OF.match(work, end):
        return False
    return not (unit == "班" and (work[start - 1:start] in ("（", "(") or work[max(0, start - 2):start] == "年级"))


def _in_slogan(work: str, start: int) -> bool:
    """A numeral that opens a short quoted slogan (`“三个面向”`, `“三个一”`) is part of a name."""
    if work[start - 1:start] not in _QUOTE_OPEN:
        return False
    close = min((i for i in (work.find(q, start) for q in _QUOTE_CLOSE) if i >= 0), default=-1)
    return 0 <= close - start <= 6


def _is_year(value: int) -> bool:
    return 1900 <= value <= 2100
