"""The team-written activity practice phrases: complete, well-formed, and free of invented facts."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

PATH = ROOT / "summarizer" / "data" / "written" / "activity_practice.yaml"
PHRASES_PATH = ROOT / "summarizer" / "data" / "written" / "draft_phrases.yaml"

KINDS = (
    "送教上门 控辍保学 跟岗学习 教研活动 送教下乡 示范课 座谈交流 结对学习 心理辅导 讲座 专题培训 "
    "个别辅导 家访 捐赠 学生资助 摸底排查 测评分析 评选表彰 宣传动员 检查督导 其他活动"
).split()

# field: (minimum number of variants, minimum length, maximum length)
FIELDS = {"intro": (3, 18, 40), "practice": (4, 25, 60), "plan_practice": (3, 20, 50)}

QUANTITY = re.compile(r"[一二三四五六七八九十两几]+[名个户所节次场项篇册件台元天周年月人]")
SLOT = re.compile(r"\{[^}]*\}")
ALLOWED_SLOTS = {"{we}", "{topic}"}
# bodies a school may not have, and claimed outcomes a draft must not invent
FORBIDDEN = ("村委会", "教育局", "家委会", "心理咨询室", "社区", "医院", "成效显著", "大幅提高", "全部转化")
# These sentences state only a manner, principle or attitude, true whatever the school did in detail:
# no specific act that may not have happened, no object or material, no group the school may not have,
# no claimed outcome. (The kind's own name, e.g. 评选表彰, is struck out before the check.)
INVENTED = re.compile(
    r"撰写|登记|造册|发放|填写|档案|台账|问卷|签订|评选|颁奖|颁发|拍照|照片|通报|召开.{0,10}会|汇总|上报|公示|归档"
    r"|记录|衣物|学习用品|图书|书籍|文具|物资|证书|奖状|登记表|记录表"
    r"|留守儿童|班主任|家委会|困难学生|贫困生|学困生|家长会"
    r"|取得|成效|显著|明显|提高了|提升了|增强了|得到了|收到了")


def _render_for_length(sentence: str) -> str:
    """Stand-in text of typical length for the slots, so lengths are measured as read."""
    return sentence.replace("{we}", "我校").replace("{topic}", "主题")


@pytest.fixture(scope="module")
def practice():
    with PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _sentences(practice):
    for kind, fields in practice.items():
        for field, variants in fields.items():
            for sentence in variants:
                yield kind, field, sentence


def test_first_line_says_written_by_the_team():
    first = PATH.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# 活动做法用语")
    assert "never test data" in first


def test_every_kind_has_every_field(practice):
    assert set(practice) == set(KINDS)
    for kind in KINDS:
        assert set(practice[kind]) == set(FIELDS), kind
        for field, (at_least, _, _) in FIELDS.items():
            variants = practice[kind][field]
            assert isinstance(variants, list), (kind, field)
            assert len(variants) >= at_least, (kind, field, len(variants))
            assert all(isinstance(s, str) for s in variants), (kind, field)


def test_sentences_are_well_formed(practice):
    for kind, field, sentence in _sentences(practice):
        _, low, high = FIELDS[field]
        where = (kind, field, sentence)
        assert sentence.endswith("。"), where
        assert low <= len(_render_for_length(sentence)) <= high, (*where, len(_render_for_length(sentence)))
        assert sentence.count("。") == 1, where


def test_no_invented_facts(practice):
    for kind, field, sentence in _sentences(practice):
        where = (kind, field, sentence)
        assert not re.search(r"[0-9０-９]", sentence), where
        assert not QUANTITY.search(sentence), (*where, QUANTITY.search(sentence))
        assert "《" not in sentence and "》" not in sentence, where
        assert not any(word in sentence for word in FORBIDDEN), where
        assert set(SLOT.findall(sentence)) <= ALLOWED_SLOTS, where


def test_no_sentence_repeats(practice):
    seen: dict[str, tuple[str, str]] = {}
    for kind, field, sentence in _sentences(practice):
        assert sentence not in seen, (sentence, seen.get(sentence), (kind, field))
        seen[sentence] = (kind, field)


def test_no_specific_acts_objects_groups_or_outcomes(practice):
    for kind, field, sentence in _sentences(practice):
        hit = INVENTED.search(sentence.replace(kind, ""))
        assert not hit, (kind, field, sentence, hit.group())


def test_follow_up_phrases_state_only_a_manner():
    """The `follow_up` clauses of draft_phrases.yaml, read after the facts, are held to the same rule."""
    with PHRASES_PATH.open(encoding="utf-8") as f:
        kinds = yaml.safe_load(f)["activity_kinds"]
    for entry in kinds:
        assert len(entry["follow_up"]) >= 3, entry["name"]
        for phrase in entry["follow_up"]:
            where = (entry["name"], phrase)
            hit = INVENTED.search(phrase)
            assert not hit, (*where, hit.group())
            assert not QUANTITY.search(phrase), where
            assert not any(word in phrase for word in FORBIDDEN), where
