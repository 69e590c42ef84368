"""What the outline says without learning: headings' sections, the baseline, weak labels."""

from __future__ import annotations

import pytest

from summarizer.analyse.outline import (
    article_views,
    doc_kind,
    heading_section,
    rule_predict,
    weak_labels,
)
from summarizer.document import Article


def test_views_carry_the_headings_above_each_paragraph():
    art = Article.from_lines("学校帮扶工作计划", [
        "为了促进教育均衡发展，特制定本计划。",
        "一、组织领导",
        "（一）成立领导小组",
        "组长：李明",
        "二、主要措施",
        "1、送教下乡。",
    ])
    views = article_views(art)
    assert [v.level for v in views] == [0, 0, 1, 2, 0, 1, 3]
    assert views[3].parents == ("一、组织领导",)
    assert views[4].parents == ("一、组织领导", "（一）成立领导小组")
    assert views[6].parents == ("二、主要措施",)
    assert [v.section for v in views] == [-1, -1, 2, 2, 2, 5, 5]
    assert {v.kind for v in views} == {"plan"}


def test_a_bare_line_that_names_a_section_opens_one():
    art = Article.from_lines("教研工作总结", ["本学期教研工作总结如下。", "存在的问题", "教研活动形式单一。",
                                        "下一步打算", "开展同课异构。"])
    views = article_views(art)
    assert [v.level for v in views] == [0, 0, 1, 0, 1, 0]
    assert views[3].parents == ("存在的问题",) and views[5].parents == ("下一步打算",)
    assert views[0].kind == "summary"


@pytest.mark.parametrize(("heading", "section"), [
    ("三、存在问题与改进措施", "problems"),
    ("五、工作中的不足和今后的设想", "problems"),
    ("（二）、今后工作的设想：", "plans"),
    ("二、主要工作内容及成果", "results"),
    ("一、2024年工作回顾", "results"),
    ("四、几点体会", "experience"),
    ("二、小学困难学生帮扶制度的必要性", None),  # 困难学生 are the pupils, not a difficulty
    ("五、效果检测", "organization"),
    ("三、坚持问题导向", None),
])
def test_a_heading_names_the_first_section_it_mentions(heading, section):
    assert heading_section(heading) == section


def test_in_a_plan_expected_effects_are_goals():
    assert doc_kind("关爱留守儿童活动方案") == "plan" and doc_kind("2024年控辍保学工作总结") == "summary"
    assert heading_section("六、活动效果", "plan") == "guiding"
    assert heading_section("六、活动效果", "summary") == "results"


def test_baseline_reads_keywords_in_the_paragraph_or_its_headings():
    art = Article.from_lines("工作总结", ["根据上级文件精神，现将工作总结如下：", "一、存在的问题", "个别教师积极性不高。",
                                      "二、今后打算", "继续开展活动。", "总之，我们将继续努力。"])
    assert rule_predict(article_views(art)) == ["title", "preamble", "problems", "problems", "plans", "plans",
                                                "closing"]


def test_weak_labels_follow_the_sections_the_outline_names():
    art = Article.from_lines("2025年某省政府工作报告", [
        "来源：某某日报",
        "各位代表：现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。",
        "一、2024年工作回顾",
        "过去一年，全省地区生产总值增长5.3%，城镇新增就业52万人，各项事业取得新进展。",
        "在肯定成绩的同时，我们也清醒看到，经济回升向好的基础还不稳固，部分企业生产经营困难。",
        "二、2025年重点任务",
        "（一）着力扩大有效需求。实施提振消费专项行动，扩大有效投资。",
        "（二）加快建设现代化产业体系。推动传统产业改造升级。",
        "各位代表！让我们紧密团结在以习近平同志为核心的党中央周围，为谱写新篇章而努力奋斗！",
        "本作品在中国大陆属于公有领域。",
    ])
    assert weak_labels(art) == ["title", "noise", "preamble", "results", "results", "problems", "plans",
                                "plans", "plans", "closing", "noise"]


def test_weak_labels_leave_unnamed_sections_unlabelled_and_read_plans_as_plans():
    art = Article.from_lines("关于加快人工智能赋能教育的实施方案", [
        "为贯彻落实国家有关部署，结合我省实际，制定本方案。",
        "一、总体要求",
        "以立德树人为根本任务，到2027年建成一批示范学校。",
        "二、第一章 总则",
        "本方案适用于全省中小学校。",
        "三、重点任务",
        "（一）建设智能教育平台。",
        "四、保障措施",
        "（一）加强组织领导。建立省级工作专班。",
        "2024年5月14日",
    ])
    assert weak_labels(art) == ["title", "preamble", "guiding", "guiding", None, None, "measures", "measures",
                                "organization", "organization", "signoff"]


def test_weak_labels_are_checked_against_a_hand_sample_by_reference(tmp_path):
    import json

    from summarizer.analyse.labelled import LabelledArticle, check_weak, text_key

    art = Article.from_lines("2025年某省政府工作报告", ["一、2024年工作回顾", "全省地区生产总值增长5.3%。", "附件1"])
    weak = [LabelledArticle("r#1", "r.txt", art, weak_labels(art), "weak")]
    rows = [{"sample": "fresh", "group": "r.txt", "index": 2, "key": text_key("全省地区生产总值增长5.3%。"),
             "gold": "results"},
            {"sample": "fresh", "group": "r.txt", "index": 3, "key": text_key("附件1"), "gold": "measures"},
            {"sample": "tuned", "group": "other.txt", "index": 1, "key": "0" * 12, "gold": "plans"}]
    sample = tmp_path / "check.jsonl"
    sample.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    found = check_weak(weak, sample)
    assert (found.checked, found.agreed, found.missing) == (2, 1, 1)
    assert found.by_sample == {"fresh": (1, 2)} and found.by_label == {"results": (1, 1), "signoff": (0, 1)}
