"""The fluency model ranks report prose above the same characters out of order."""

from summarizer.compose.fluency import rank, score


def test_report_prose_outranks_its_own_characters_shuffled():
    good = "为全面了解学生的家庭情况，我校组织教师走访学生家庭，与家长交流了配合教育孩子的方法。"
    shuffled = "".join(sorted(good))
    assert score(good) > score(shuffled) + 1.0
    assert rank([shuffled, good]) == [good, shuffled]


def test_an_official_formula_outranks_a_garbled_one():
    assert score("现将一年来的工作总结如下：") > score("如下总结工作的来年一现将：")
