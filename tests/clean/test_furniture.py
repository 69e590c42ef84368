"""Page furniture told by its layout (`clean/furniture.py`): what stands at an article's head
and foot the way a site lays it out, never the author's text. The lines here were written for
these tests in the layout of the provincial report pages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.clean.furniture import edges, furniture_lines, is_prose

BODY = [
    "各位代表：",
    "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。",
    "一、2025年工作回顾",
    "过去一年，面对复杂严峻形势，全省上下攻坚克难，经济社会发展主要目标任务顺利完成。",
    "来源：",  # in the middle of the body: not the page's furniture, whatever it says
    "本报告所用数据来源于省统计局，部分为初步统计数。",
    "二、2026年工作安排",
    "今年是“十五五”开局之年，做好今年工作意义重大，我们将坚持稳中求进工作总基调。",
    "（一）加力扩内需稳增长",
    "深入实施提振消费专项行动，扩大有效投资，推动经济持续回升向好，确保完成全年目标。",
    "各位代表！让我们更加紧密地团结起来，为全面建设社会主义现代化而努力奋斗！",
]


def test_the_source_its_value_and_a_time_stamp_at_the_head_are_furniture():
    lines = ["2026年02月10日 07时41分", "来源:", "四川日报", "2026年2月3日在省第十四届人民代表大会第五次会议上",
             "省人民政府省长 某某某", *BODY]
    assert [lines[i] for i in furniture_lines(lines)] == ["2026年02月10日 07时41分", "来源:", "四川日报"]


def test_a_list_of_related_links_at_the_foot_goes_with_its_head():
    foot = ["责任编辑：", "李某某", "相关链接>>", "省人民代表大会关于政府工作报告的决议",
            "干部群众热议政府工作报告 以奋勇争先之姿，乘势而为", "打印本页"]
    lines = [*BODY, *foot]
    assert [lines[i] for i in furniture_lines(lines)] == foot[:5] + ["打印本页"]


def test_a_plans_own_time_and_a_sentence_under_a_list_head_stay():
    lines = ["时间：", "2024年3月至6月", *BODY, "相关文档", "总之，今后继续努力。"]
    assert [lines[i] for i in furniture_lines(lines)] == ["相关文档"]


def test_table_rows_are_never_furniture():
    lines = ["来源：", "| 项目 | 次数 |", *BODY]
    assert furniture_lines(lines) == [0]


def test_the_edges_run_to_the_first_and_from_the_last_paragraph_of_prose():
    lines = ["【字体：", "大", "中", "小", "】", *BODY, "扫一扫在手机打开当前页", "【", "关闭窗口", "】", "×"]
    head, tail, foot = edges(lines)
    assert head == 6 and is_prose(lines[6])  # the head: down to the first paragraph of prose
    assert tail == foot == len(lines) - 5 and is_prose(lines[tail - 1])  # what follows the last


@given(st.lists(st.sampled_from([*BODY, "来源：", "四川日报", "相关文档：", "2026-02-09 09:45:30", "中", "首页"]),
                max_size=40))
def test_furniture_is_never_prose_and_always_at_an_edge(lines):
    found = furniture_lines(lines)
    assert found == sorted(set(found))
    assert all(not is_prose(lines[i]) for i in found)
    head, tail, _ = edges(lines)
    assert all(i < head or i >= tail for i in found)
