"""The written phrase set for drafts (summarizer/data/written/draft_phrases.yaml): the connective
sentences a school report has around its facts, with slots for the user's data and no facts of their own.

How a composer uses it, in short::

    kinds = PHRASES["activity_kinds"]
    kind = kind_of(kinds, "家访", "暑期大家访")                 # the 家访 entry
    opening = kind["purpose"][0]                                 # 为走近学生家庭、倾听家长的想法
    who = kind["lead_frames"][0].format(lead="校长张三")          # 由校长张三带队入户
    frame = PHRASES["sections"]["summary"]["problems"]["frames"][0]
    frame.format(item="课后辅导时间有限")                         # 课后辅导时间有限，需要在今后的工作中加以改进
"""

from __future__ import annotations

import difflib
import itertools
import re
import string
from collections import Counter

import pytest
import yaml

from tests.conftest import ROOT

PATH = ROOT / "summarizer" / "data" / "written" / "draft_phrases.yaml"
PHRASES = yaml.safe_load(PATH.read_text(encoding="utf-8"))

LEAD_VERBS = {"主持", "主讲", "带队", "执教", "组织", "牵头", "指导"}
REQUIRED_KINDS = ["家访", "个别辅导", "结对", "座谈", "培训", "讲座", "示范课", "听课", "跟岗", "捐赠",
                  "送教上门", "摸底", "测评", "评选", "控辍保学", "谈心", "宣传", "检查"]
SLOTS = {"we", "topic", "doc"}
SAMPLE = {"we": "我校", "topic": "城乡学校结对帮扶", "doc": "方案", "item": "跟岗时间难以保证", "lead": "副校长王某",
          "done": "送教下乡和跟岗学习等工作"}
COUNT = re.compile(r"[一二三四五六七八九十两百千万]+[名个户所节次场项篇册件台元]")
END_PUNCT = tuple("。，、；：！？,.;:!?")

# (path of a list, at least how many) for every list the schema asks for.
SECTIONS = {
    "summary": {"preamble_purpose": 4, "organization.opener": 4, "organization.closer": 4,
                "measures.opener": 4, "measures.closer": 4, "results.opener": 4, "results.closer": 4,
                "problems.opener": 4, "problems.closer": 4, "problems.frames": 5,
                "plans.opener": 4, "plans.closer": 4, "plans.frames": 5, "closing": 4, "closing_future": 4},
    "plan": {"preamble_purpose": 4, "guiding": 4, "targets.opener": 4, "targets.closer": 4,
             "measures.opener": 4, "measures.closer": 4, "schedule.opener": 4,
             "organization.opener": 4, "organization.closer": 4, "requirements": 4, "closing": 4},
    "scheme": {"preamble_purpose": 4, "guiding": 4, "targets.opener": 4, "targets.closer": 4,
               "organization.opener": 4, "organization.closer": 4, "steps.prepare": 3,
               "steps.carry_out": 3, "steps.review": 3, "measures.opener": 4, "measures.closer": 4,
               "safeguards": 5, "closing": 4},
}
KIND_LISTS = {"purpose": 4, "plan_purpose": 3, "lead_frames": 3, "follow_up": 3}


def section_list(kind: str, path: str) -> list[str]:
    node = PHRASES["sections"][kind]
    for key in path.split("."):
        node = node[key]
    return node


def kind_of(kinds: list[dict], kind: str, title: str = "") -> dict:
    """The first entry whose match word occurs in the activity's kind or title."""
    return next(k for k in kinds if any(m in kind or m in title for m in k["match"]))


def every_phrase() -> list[tuple[str, str]]:
    """(where, phrase) for every phrase in the file."""
    out = []
    for k in PHRASES["activity_kinds"]:
        for field in KIND_LISTS:
            out += [(f"{k['name']}.{field}", p) for p in k[field]]
    for kind, lists in SECTIONS.items():
        for path in lists:
            out += [(f"{kind}.{path}", p) for p in section_list(kind, path)]
    return out


def slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_activity_kind_has_the_schema_and_enough_variants():
    kinds = PHRASES["activity_kinds"]
    for k in kinds:
        assert set(k) == {"name", "match", "purpose", "plan_purpose", "lead_verb", "lead_frames", "follow_up"}, k["name"]
        assert k["lead_verb"] in LEAD_VERBS, k["name"]
        for field, least in KIND_LISTS.items():
            assert isinstance(k[field], list) and len(k[field]) >= least, (k["name"], field)
        for frame in k["lead_frames"]:
            assert "{lead}" in frame and k["lead_verb"] in frame, (k["name"], frame)
    for k in kinds[:-1]:
        assert 2 <= len(k["match"]) <= 6 and all(k["match"]), k["name"]
    assert kinds[-1]["match"] == [""]  # the catch-all comes last and matches anything


def test_the_required_activity_kinds_are_there_and_the_first_match_wins():
    kinds = PHRASES["activity_kinds"]
    for word in REQUIRED_KINDS:
        assert kind_of(kinds, word)["match"] != [""], word
    assert kind_of(kinds, "送教上门")["name"] == "送教上门"          # not the 送教下乡 entry
    assert kind_of(kinds, "控辍保学", "上门劝返")["name"] == "控辍保学"  # not 家访
    assert kind_of(kinds, "心理辅导", "心理健康专题讲座")["name"] == "心理辅导"
    assert kind_of(kinds, "座谈交流", "结对帮扶工作对接会")["name"] == "座谈交流"
    assert kind_of(kinds, "摸底分析", "开学初摸底测试")["name"] == "摸底排查"
    assert kind_of(kinds, "营养改善", "餐费公示")["name"] == "其他活动"


def test_every_section_list_is_there_with_enough_variants():
    assert set(PHRASES["sections"]) == set(SECTIONS)
    for kind, lists in SECTIONS.items():
        for path, least in lists.items():
            items = section_list(kind, path)
            assert isinstance(items, list) and len(items) >= least, (kind, path)
            assert all(isinstance(p, str) and p.strip() == p and p for p in items), (kind, path)


def test_no_phrase_carries_a_fact():
    for where, p in every_phrase():
        assert not re.search(r"[0-9０-９]", p), (where, p)
        assert not COUNT.search(p), (where, p)
        assert "《" not in p and "》" not in p, (where, p)
        for body in ("村委会", "教育局", "教体局", "家委会", "心理咨询室", "投入资金", "建成", "大幅"):
            assert body not in p, (where, p)


def test_slots_are_only_the_allowed_ones_and_only_where_allowed():
    for where, p in every_phrase():
        allowed = set(SLOTS)
        if where.endswith(".frames"):
            allowed.add("item")
            assert "{item}" in p, where
        if where.endswith(".lead_frames"):
            allowed.add("lead")
        if where.startswith("summary.results.opener"):
            allowed.add("done")  # the kinds of work the data names
        assert slots(p) <= allowed, (where, p)
        p.format(**SAMPLE)  # every phrase fills without error


def test_clauses_end_without_punctuation_and_sentences_with_it():
    clause_lists = (".purpose", ".plan_purpose", ".preamble_purpose", ".lead_frames", ".follow_up", ".frames")
    for where, p in every_phrase():
        if where.endswith(clause_lists):
            assert not p.endswith(END_PUNCT), (where, p)
    for k in PHRASES["activity_kinds"]:
        for p in k["purpose"] + k["plan_purpose"]:
            assert 8 <= len(p.format(**SAMPLE)) <= 30, p
    for kind in SECTIONS:
        for part in ("measures", "results", "problems", "plans", "targets", "schedule"):
            for p in PHRASES["sections"][kind].get(part, {}).get("opener", []):
                assert p.endswith("："), (kind, part, p)
        for p in section_list(kind, "organization.opener"):
            assert p.endswith("，"), (kind, p)  # leads into "{we}成立了……领导小组"
        for path in SECTIONS[kind]:
            if path.endswith(("closer", "closing", "closing_future", "requirements", "safeguards")) \
                    or path.startswith("steps."):
                assert all(p.endswith("。") for p in section_list(kind, path)), (kind, path)
    for kind in ("plan", "scheme"):
        for p in section_list(kind, "guiding"):
            assert 40 <= len(p.format(**SAMPLE)) <= 90 and p.endswith("。"), p


def test_the_summary_speaks_of_the_past_and_the_plan_of_the_future():
    assert all("取得了一定成效" not in p for w, p in every_phrase() if not w.startswith("summary.results"))
    for p in section_list("summary", "closing_future") + section_list("summary", "plans.opener"):
        assert "将" in p or "打算" in p, p
    plan = [p for w, p in every_phrase() if w.startswith(("plan.", "scheme."))]
    assert not any(w in p for p in plan for w in ("取得的成效", "存在的问题"))


def test_the_variants_of_a_list_differ_by_more_than_a_word():
    by_list: dict[str, list[str]] = {}
    for where, p in every_phrase():
        by_list.setdefault(where, []).append(p)
    for where, items in by_list.items():
        for a, b in itertools.combinations(items, 2):
            assert difflib.SequenceMatcher(None, a, b).ratio() < 0.85, (where, a, b)


def test_no_two_phrases_are_the_same():
    counts = Counter(p for _, p in every_phrase())
    assert [p for p, n in counts.items() if n > 1] == []


def test_a_filled_phrase_reads_as_a_sentence_of_the_report():
    kind = kind_of(PHRASES["activity_kinds"], "家访", "暑期大家访")
    sentence = f"{kind['purpose'][0]}，7月7日，{SAMPLE['we']}组织教师走访学生家庭，" \
               f"{kind['lead_frames'][0].format(**SAMPLE)}，{kind['follow_up'][0]}。"
    assert sentence == "为走近学生家庭、倾听家长的想法，7月7日，我校组织教师走访学生家庭，由副校长王某带队入户，" \
                       "注重把家访中了解到的情况运用到日常教育之中。"


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_openers_and_closers_use_the_doc_slot_only_in_plans_and_schemes(kind):
    uses_doc = [p for w, p in every_phrase() if w.startswith(f"{kind}.") and "{doc}" in p]
    assert (kind == "summary") == (uses_doc == [])
