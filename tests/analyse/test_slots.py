"""Slots: placeholders left to fill, figures with normalised values, consistency checks, offsets.

Examples are sentences of the clean corpus (`corpus/clean/`) where it has them; the conventions
are those of `corpus/gold/SLOTS.md`.
"""

from __future__ import annotations

import json
import string
import subprocess
import sys
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.analyse.slots import Slot, extract_slots, find_figures, find_placeholders
from summarizer.document import Article
from summarizer.text.numerals import parse_arabic, parse_chinese, parse_digit_string, parse_number
from tests.conftest import ROOT, seed_path

CLEAN = ROOT / "corpus" / "clean"


@lru_cache(maxsize=1)
def corpus() -> dict[str, str]:
    """The 27 clean articles by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))}


def article(prefix: str) -> str:
    return next(text for stem, text in corpus().items() if stem.startswith(prefix))


def placeholders(text: str) -> list[tuple]:
    """(text, kind) of each placeholder, plus the unit of a count."""
    return [(p.text, p.kind, p.unit) if p.unit else (p.text, p.kind) for p in find_placeholders(text)]


def figures(text: str) -> list[tuple]:
    return [(f.text, f.kind, f.value, f.unit) for f in find_figures(text)]


# ---------------------------------------------------------------- numerals


@pytest.mark.parametrize("text,value", [
    ("十", 10), ("十二", 12), ("二十三", 23), ("一百二十", 120), ("两千", 2000), ("一百零五", 105),
    ("一千零二十", 1020), ("三万五千", 35000), ("三万零五百", 30500), ("一亿两千万", 120_000_000),
    ("三百二", 320), ("零", 0),
    ("十二十", None), ("一百零", None), ("二〇〇九", None), ("三五", None), ("百", None), ("一两", None),
])
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


def test_year_digit_strings_are_read_digit_by_digit():
    assert parse_digit_string("二〇〇九") == "2009"
    assert parse_digit_string("二零一六") == "2016"
    assert parse_digit_string("二十") is None  # positional, not a digit string
    assert parse_digit_string("两千") is None


@pytest.mark.parametrize("text,value", [
    ("1247", 1247), ("1,200", 1200), ("11.36", 11.36), ("０.５", 0.5), ("1.2万", 12000), ("5亿", 500_000_000),
    ("二十三", 23), ("1，200", None), ("12,34", None), ("", None),
])
def test_numbers_arabic_and_mixed(text, value):
    assert parse_number(text) == value


def to_chinese(n: int) -> str:
    """How a writer spells 0 < n < 100000 in Chinese numerals (`十二`, `一百零五`, `三万零五百`)."""
    digits = "零一二三四五六七八九"
    units = ["", "十", "百", "千", "万"]
    out, zero = "", False
    for power in range(4, -1, -1):
        d = n // 10 ** power % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if d == 1 and power == 1 and not out else digits[d]) + units[power]
            zero = False
        else:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=99_999))
def test_every_chinese_numeral_reads_back(n):
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_every_arabic_number_reads_back_with_or_without_separators(n):
    assert parse_arabic(str(n)) == n
    assert parse_arabic(f"{n:,}") == n


# ---------------------------------------------------------------- placeholders


@pytest.mark.parametrize("text,expected", [
    # corpus 002_01: a whole paragraph of blanks
    ("3、教学展示，提高能力。____年____月，建设街小学教导主任带领____位语文、数学骨干教师为我校师生上了____节示范课。",
     [("____年", "year"), ("____月", "month"), ("____位", "count", "位"), ("____节", "count", "节")]),
    ("党的__年工作", [("__年", "year")]),
    ("20__年完成柳塘小学教学楼及附属设施建设", [("20__年", "year")]),  # 004_05
    ("实施好民生工程，201x年完成新建1所公办幼儿园目标任务", [("201x年", "year")]),  # 004_01
    ("20xx年工作总结；20XX年计划", [("20xx年", "year"), ("20XX年", "year")]),
    ("早在____年____月____日上午，镇区办事处教辅组门前彩旗飘扬", [("____年", "year"), ("____月", "month"), ("____日", "day")]),
    ("共安排____名教师到比较偏远、条件较差的农村薄弱学校从事支教工作", [("____名", "count", "名")]),  # 002_05
    ("参加培训的教师共____人。", [("____人", "count", "人")]),
    ("现已进行了四年三批轮岗支教达____人次。", [("____人次", "count", "人次")]),  # longest unit wins
    ("送来了一台电脑和____多册图书", [("____多册", "count", "册")]),  # 002_01
    ("关于印发《xx县教育局推进精准扶贫精准脱贫教育支持计划工作实施方案》通知", [("xx县", "name")]),  # 004_03
    ("XX乡XXX小学", [("XX乡", "name"), ("XXX小学", "name")]),
    ("××同志，学生××", [("××同志", "name"), ("××", "name")]),
    ("确立了***为我学科学习上的学困生", [("***", "name")]),  # 000_02
    ("**老师", [("**老师", "name")]),
    ("认真贯彻党的__大和__届三中、四中、五中全会精神", [("__大", "ordinal"), ("__届", "ordinal")]),  # 004_05
    ("第____届运动会", [("第____届", "ordinal")]),
    ("建立作战专班（名单附后）。", [("（名单附后）", "list")]),  # 004_05
    ("建立作战专班(名单附后)。", [("(名单附后)", "list")]),
])
def test_placeholder_kinds(text, expected):
    assert placeholders(text) == expected


def test_names_with_and_without_a_suffix():
    # 002_02: the issuer before and at the head of a title; a place with its suffix
    text = "近几年，根据____《____基础教育改革与发展的决定》等文件精神。结对帮扶学校为____中心学校和____乡____小学。"
    assert placeholders(text) == [("____", "name"), ("____", "name"), ("____", "name"),
                                  ("____乡", "name"), ("____小学", "name")]
    # 002_05: a person going somewhere; `省` is the longest suffix right after the run
    assert placeholders("选派省级“教坛新星”____到____乡____小学为师生上示范课") == [
        ("____", "name"), ("____乡", "name"), ("____小学", "name")]
    assert placeholders("特别是《____省人民政府关于进一步加强农村教育工作的决定》") == [("____省", "name")]
    assert placeholders("组长：____") == [("____", "name")]


def test_document_numbers_money_and_cut_out_words():
    # 002_05: every run of a document number is a number; the title's last run is a cut-out word
    assert placeholders("早在____年秋学期就下发了____教[____]____号《____开展中小学对口支援工作____》") == [
        ("____年", "year"), ("____", "number"), ("____", "number"), ("____", "number"),
        ("____", "name"), ("____", "blank")]
    assert placeholders("支教学校向受援学校捐助帮扶资金达____万余元") == [("____", "number")]  # 002_02
    assert placeholders("国家助学金资助标准为每生每期1000元（每学年20xx元）。") == [("20xx", "number")]  # 004_01
    assert placeholders("根据《福泉市精准扶贫结队帮扶方案》（福委办字〔20__〕138号）要求") == [("20__", "number")]
    assert placeholders("诚恳学习，精心____，周密实施结对帮扶工作。") == [("____", "blank")]  # 002_03


def test_a_year_range_gives_two_year_items():
    assert placeholders("按照“____-____年结对帮扶计划”的规定") == [("____", "year"), ("____年", "year")]  # 002_05
    assert placeholders("大力推进学前教育二年行动计划，20__—20__年完成中心幼儿园建设") == [  # 004_05
        ("20__", "year"), ("20__年", "year")]
    assert placeholders("《xx县全面改善义务教育薄弱基本办学条件项目规划（201x-201x年）》") == [  # 004_03
        ("xx县", "name"), ("201x", "year"), ("201x年", "year")]


def test_empty_fields_of_a_name_list():
    text = article("004_3e8b8ef1052bef1e_ed7069e0_03")
    fields = [p for p in find_placeholders(text) if p.kind == "field"]
    assert [f.text for f in fields] == ["组长：", "副组长：", "成员："]
    assert placeholders("组长:\n成员： \n联系人：张老师\n时间：2024年3月") == [("组长:", "field"), ("成员：", "field")]


@pytest.mark.parametrize("text,gap", [
    ("对全乡建档立卡接受学前教育的名贫困家庭幼儿进行资助", "名"),  # 004_05
    ("全县共有所学校", "所"),
    ("2、组织沙河二小个集体备课组长到石桥二小参加集体备课。", "个"),  # 003_12
    ("本学期共选派名骨干教师到农村学校支教", "名"),
    ("上了节示范课", "节"),
])
def test_a_unit_whose_number_was_cut_out_is_a_gap(text, gap):
    assert placeholders(text) == [(gap, "gap")]
    (slot,) = find_placeholders(text)
    assert text[slot.start - 1] not in "0123456789一二三四五六七八九十两"


@pytest.mark.parametrize("text", [
    "确定学困生名单，研究分析每一个学困生形成的原因",  # 003_11
    "多关注这名学生，做到勤观察、勤发现",  # 000_02
    "把所有与课堂内容无关的事情都抛在一边",
    "的个人能力，有关人员，利用节日，活动场所，帮扶期间，长期项目，的班级，的校长，学校名称，的次数",
    "教学水平有所提高，使每个学生学有所长",
    "石桥二小共有20个教学班，979名学生",  # the numbers are there
    "来了位老师，有个学生请假，开了个会",  # speech drops 一 before 个 and 位
])
def test_common_words_and_counted_units_are_not_gaps(text):
    assert [p for p in find_placeholders(text) if p.kind == "gap"] == []


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize("text,expected", [
    ("2009年12月6日至9日，我校彭涛校长一行赴沙溪小学参观学习",  # 000_01
     ("2009年12月6日至9日", "date_range", "2009-12-06/2009-12-09", "")),
    ("3月15日—17日", ("3月15日—17日", "date_range", "--03-15/--03-17", "")),
    ("2009年9月至2010年1月", ("2009年9月至2010年1月", "date_range", "2009-09/2010-01", "")),
    ("三、帮扶期限2006年9月——2007年8月", ("2006年9月——2007年8月", "date_range", "2006-09/2007-08", "")),  # 003_12
    ("2009年12月6日", ("2009年12月6日", "date", "2009-12-06", "")),
    ("二〇〇九年十二月六日", ("二〇〇九年十二月六日", "date", "2009-12-06", "")),
    ("12月6日", ("12月6日", "date", "--12-06", "")),
    ("2009年12月", ("2009年12月", "date", "2009-12", "")),
    ("2024-03-15", ("2024-03-15", "date", "2024-03-15", "")),
    ("绿园区民丰小学2011.3", ("2011.3", "date", "2011-03", "")),  # 003_11, a sign-off date
    ("2024年学校贫困生帮扶活动方案", ("2024年", "year", 2024, "年")),  # 003_02
    ("二〇〇九年", ("二〇〇九年", "year", 2009, "年")),
    ("2009—2010学年", ("2009—2010学年", "school_year", "2009-2010", "学年")),
    ("2009-2010学年度", ("2009-2010学年度", "school_year", "2009-2010", "学年度")),
    ("全年完成投资5万元", ("5万元", "money", 50000, "万元")),
    ("全年完成投资5亿元", ("5亿元", "money", 500_000_000, "亿元")),  # 004_07
    ("12000元", ("12000元", "money", 12000, "元")),
    ("1.2亿元", ("1.2亿元", "money", 120_000_000, "亿元")),
    ("3000余元", ("3000余元", "money", 3000, "元")),
    ("95%", ("95%", "percent", 95, "%")),
    ("95％", ("95％", "percent", 95, "%")),
    ("百分之九十五", ("百分之九十五", "percent", 95, "%")),
    ("辍学率控制在0.5%以内", ("0.5%", "percent", 0.5, "%")),  # 004_07
    ("300平方米", ("300平方米", "area", 300, "平方米")),
    ("1200㎡", ("1200㎡", "area", 1200, "㎡")),
    ("20亩", ("20亩", "area", 20, "亩")),
    ("校舍11.36万平方米", ("11.36万平方米", "area", 113600, "万平方米")),  # 004_07
    ("66名", ("66名", "count", 66, "名")),
    ("我校曾先后三次派教师到对方参观学习", ("三次", "count", 3, "次")),  # 002_01
    ("近二十个专用室", ("二十个", "count", 20, "个")),  # 003_12
    ("十二个", ("十二个", "count", 12, "个")),
    ("两校行政领导召开了“结对帮扶工作会议”", ("两校", "count", 2, "校")),  # 000_01
    ("20余人", ("20余人", "count", 20, "余人")),
    ("课桌100多套", ("100多套", "count", 100, "套")),  # 000_01
    ("1000多册", ("1000多册", "count", 1000, "册")),
    ("培训乡村教师5000人次", ("5000人次", "count", 5000, "人次")),  # 004_07
    ("不定期送教到帮扶单位，每学期送教不低于10课时", ("10课时", "count", 10, "课时")),  # 004_05
    ("3年", ("3年", "duration", 3, "年")),
    ("两年", ("两年", "duration", 2, "年")),
    ("10天", ("10天", "duration", 10, "天")),
    ("2个月", ("2个月", "duration", 2, "个月")),
    ("对连续任教满25年的乡村教师", ("25年", "duration", 25, "年")),  # 004_05
])
def test_figure_kinds_and_normalised_values(text, expected):
    assert figures(text) == [expected]


def test_a_paragraph_of_counts():
    # 000_01
    text = "沙溪小学向我校捐助电教平台2台，电脑7台，打印机2台，课桌100多套，黑板10块。"
    assert [(f.text, f.value) for f in find_figures(text)] == [
        ("2台", 2), ("7台", 7), ("2台", 2), ("100多套", 100), ("10块", 10)]


@pytest.mark.parametrize("text", [
    "一、高度重视，制定工作计划和实施方案",  # a heading marker
    "（三）健全扶贫济弱资助体系。",
    "1.加强思想教育", "（1）课前准备", "2、教师互访，取长补短。",
    "第三，沙溪小学给予我校以硬件援助。",  # an ordinal opener
    "第3名，第二届，第十二届运动会",  # ordinals
    "不让一个贫困家庭学生因贫失学，每月一次谈心",  # 一个, 一次: "a", "once"
    "本学期我担任初二（6）、（8）班的物理教学工作",  # 000_02: class names
    "三年级，五（2）班，四年级（1）班，二年级三班",
    "一是领导互访，二是教师互访",
    "三心二意，四个意识，两学一做，三会一课",  # set phrases
    "以邓小平同志“三个面向”和江泽民同志“三个代表”的重要思想为指导",  # 003_12: slogans
    "根据广东省教育厅《关于实施广东省“千校扶千校”行动计划的通知》",  # 000_01
    "受援学校三元中学",  # 002_02: a name, not 3 yuan
    "党的十九届四中全会",
    "黄教〔2009〕12号，联系电话：0551-12345678，手机13812345678",  # document and phone numbers
    "A4纸，3G网络",  # digits inside Latin words
    "深入实施“9+3”免费教育计划，“4·20”职业教育灾后恢复重建项目",  # 004_01
])
def test_what_is_not_a_figure(text):
    assert figures(text) == []


def test_placeholder_digits_never_become_figures():
    # 004_05: `20__年` is a placeholder, `10名` a figure
    text = "其中20__年10名：油铺小学4名，柳塘小学4名，郑友、七里教学点各1名。"
    assert placeholders(text) == [("20__年", "year")]
    assert [f.text for f in find_figures(text)] == ["10名", "4名", "4名", "1名"]
    assert figures("（学费资助20xx元、生活费补助20xx元）") == []  # 004_01


# ---------------------------------------------------------------- checks


def checks(text: str) -> list[tuple]:
    return [(c.kind, c.ok, c.expected, c.found) for c in extract_slots(text).checks]


def test_parts_in_brackets_add_up_to_their_whole():
    # 004_05
    text = "对义务教育阶段建档立卡的家庭经济困难寄宿生312名（初中生301名，小学生11名）给予生活补助"
    assert checks(text) == [("sum", True, 312, 312)]
    (check,) = extract_slots(text).checks
    assert check.text == "312名（初中生301名，小学生11名）"
    assert checks("312名(初中生301名,小学生11名)") == [("sum", True, 312, 312)]


def test_a_wrong_sum_is_reported():
    assert checks("寄宿生312名（初中生300名，小学生11名）") == [("sum", False, 312, 311)]
    assert checks("全校共有学生1200人，其中男生620人，女生570人。") == [("sum", False, 1200, 1190)]
    assert checks("全校共有学生1200人，其中男生620人，女生580人。") == [("sum", True, 1200, 1200)]


def test_parts_after_a_colon_count_each_item_of_a_shared_number():
    # 004_05: `郑友、七里教学点各1名` is one teacher at each of two places
    assert checks("其中20__年10名：油铺小学4名，柳塘小学4名，郑友、七里教学点各1名。") == [("sum", True, 10, 10)]
    assert checks("20__年6名：柳塘小学、油铺小学、徐碾小学各2名。") == [("sum", True, 6, 6)]
    assert checks("20__年6名：柳塘小学、油铺小学各2名。") == [("sum", False, 6, 4)]


def test_a_partial_list_without_a_total_is_not_checked():
    # 003_12: `其中专职英语6人…` lists some of the 50 teachers, not all
    assert checks("沙河镇第二中心小学现有班级24个，专任教师50人，学生1247名。其中专职英语6人，专职体育1人。") == []


def test_percentages_against_their_counts():
    assert checks("共200名学生，其中优秀率达95%即190名") == [("percent", True, 190, 190)]
    assert checks("共200名学生，其中优秀率达95%即180名") == [("percent", False, 190, 180)]
    # 003_12: the whole is the count the text gave to 专任教师 three sentences earlier
    assert ("percent", True, 35, 35) in checks(article("003_aa8f4e545c546013_1d2e341b_12"))
    assert checks("专任教师50人。\n大专及以上学历30人，占专任教师总数的70%。") == [("percent", False, 35, 30)]


def test_dates_out_of_order():
    assert checks("2009年12月6日至9日") == [("date_order", True, ["2009-12-06", "2009-12-09"],
                                             ["2009-12-06", "2009-12-09"])]
    assert checks("2009年12月9日至6日") == [("date_order", False, ["2009-12-06", "2009-12-09"],
                                             ["2009-12-09", "2009-12-06"])]
    assert [c[:2] for c in checks("2010年1月至2009年12月")] == [("date_order", False)]
    assert [c[:2] for c in checks("2009年12月6日、2009年3月5日分别召开会议。")] == [("date_order", False)]
    # without a year, a smaller month may be next year's: the winter holiday is in order
    assert [c[:2] for c in checks("12月20日至1月5日放寒假")] == [("date_order", True)]


# ---------------------------------------------------------------- the corpus and offsets


def assert_well_formed(text: str, report) -> None:
    """Every item's text is the slice its offsets give; lists in text order, never overlapping."""
    for items in (report.placeholders, report.figures):
        for item in items:
            assert text[item.start:item.end] == item.text, item
            assert item.start < item.end
        for a, b in zip(items, items[1:]):
            assert a.end <= b.start, (a, b)
    taken = {i for p in report.placeholders for i in range(p.start, p.end)}
    assert not any(i in taken for f in report.figures for i in range(f.start, f.end))
    for c in report.checks:
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("stem", sorted(corpus()))
def test_offsets_over_the_corpus(stem):
    text = corpus()[stem]
    report = extract_slots(text)
    assert_well_formed(text, report)
    lines = text.rstrip("\n").split("\n")
    art = Article.from_lines(lines[0], lines[1:])
    assert art.text == text and extract_slots(art).to_dict() == report.to_dict()


def test_corpus_articles_read_right():
    report = extract_slots(article("002_904077619204e1e7_d112c9a3_05"))
    kinds = [p.kind for p in report.placeholders]
    assert kinds.count("number") == 9  # three document numbers of three runs each
    assert {"year", "month", "day", "count", "name", "number", "blank"} <= set(kinds)
    report = extract_slots(article("004_3e8b8ef1052bef1e_ed7069e0_05"))
    assert [(p.text, p.kind) for p in report.placeholders if p.kind in ("gap", "list")] == [
        ("名", "gap"), ("（名单附后）", "list")]
    assert [c.kind for c in report.checks] == ["sum"] * 4 and all(c.ok for c in report.checks)
    assert extract_slots(article("003_aa8f4e545c546013_1d2e341b_06")).to_dict() == {
        "placeholders": [], "figures": [], "checks": []}


def test_to_dict_is_the_json_of_the_spec():
    report = extract_slots("派____名教师，共66名。")
    assert report.to_dict() == {
        "placeholders": [{"text": "____名", "start": 1, "end": 6, "kind": "count", "unit": "名"}],
        "figures": [{"text": "66名", "start": 10, "end": 13, "value": 66, "unit": "名", "kind": "count"}],
        "checks": [],
    }
    assert Slot("____年", 0, 5, "year").to_dict() == {"text": "____年", "start": 0, "end": 5, "kind": "year"}


# ---------------------------------------------------------------- properties

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKS = "_xX×*〇年月日号名人个所次节元万%％（）()：:，。、至—-第共有的《》\n"
NOISY = st.text(alphabet=st.sampled_from(MARKS + string.digits + "一二两三十百千学校教师贫困生中小乡县ab"),
                max_size=60)


@lru_cache(maxsize=1)
def corpus_lines() -> list[str]:
    return sorted({line for text in corpus().values() for line in text.splitlines() if line})


@SETTINGS
@given(st.one_of(st.text(max_size=80), NOISY))
def test_extraction_never_raises_and_spans_are_slices(text):
    assert_well_formed(text, extract_slots(text))


@SETTINGS
@given(st.lists(st.sampled_from(corpus_lines()), min_size=1, max_size=6),
       st.text(alphabet="abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ ", min_size=1, max_size=20))
def test_unrelated_latin_text_before_shifts_every_offset(lines, latin):
    text = "\n".join(lines) + "\n"
    before, after = extract_slots(text).to_dict(), extract_slots(latin + "\n" + text).to_dict()
    shift = len(latin) + 1
    for key in ("placeholders", "figures", "checks"):
        assert [{**item, "start": item["start"] + shift, "end": item["end"] + shift} for item in before[key]] == after[key]


# ---------------------------------------------------------------- command line


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True)


def test_slots_command_on_a_clean_article():
    path = next(CLEAN.glob("004_*_05.txt"))
    res = run_cli("slots", str(path), "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"placeholders", "figures", "checks"}
    text = path.read_text(encoding="utf-8")
    for item in out["placeholders"]:
        assert set(item) - {"unit"} == {"text", "start", "end", "kind"}
        assert text[item["start"]:item["end"]] == item["text"]
    for item in out["figures"]:
        assert set(item) == {"text", "start", "end", "value", "unit", "kind"}
        assert text[item["start"]:item["end"]] == item["text"]
    assert {"text": "312名", "value": 312, "unit": "名", "kind": "count"}.items() <= next(
        f for f in out["figures"] if f["text"] == "312名").items()
    assert {"kind": "sum", "ok": True, "text": "312名（初中生301名，小学生11名）"}.items() <= out["checks"][0].items()


def test_slots_command_on_a_raw_page_gives_one_object_per_article():
    res = run_cli("slots", str(seed_path("004")), "--format", "json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert isinstance(out, list) and [a["article"] for a in out] == list(range(1, 9))
    assert all(set(a) == {"article", "title", "placeholders", "figures", "checks"} for a in out)
    clean = json.loads(run_cli("slots", str(next(CLEAN.glob("004_*_05.txt"))), "--format", "json").stdout)
    assert {k: v for k, v in out[4].items() if k not in ("article", "title")} == clean


def test_slots_command_prints_a_table():
    res = run_cli("slots", str(next(CLEAN.glob("004_*_05.txt"))))
    assert res.returncode == 0, res.stderr
    assert "占位符" in res.stdout and "缺数 gap" in res.stdout and "✓" in res.stdout and "✗" not in res.stdout


def test_slots_command_on_a_bad_file_is_one_error_line(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = run_cli("slots", str(bad))
    assert res.returncode == 1 and "empty.txt" in res.stderr and len(res.stderr.strip().splitlines()) == 1
