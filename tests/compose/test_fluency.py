"""The fluency model ranks report prose above the same characters out of order."""

from summarizer.compose.fluency import rank, score


def test_report_prose_outranks_its_own_characters_shuffled():
    good = "为全面了解学生的家庭情况，我校组织教师走访学生家庭，与家长交流了配合教育孩子的方法。"
    shuffled = "".join(sorted(good))
    assert score(good) > score(shuffled) + 1.0
    assert rank([shuffled, good]) == [good, shuffled]


def test_an_official_formula_outranks_a_garbled_one():
    assert score("现将一年来的工作总结如下：") > score("如下总结工作的来年一现将：")


def test_the_shipped_counts_are_the_ones_the_corpus_gives():
    """`python corpus/build_draft_lm.py` regenerates summarizer/data/draft_lm.json."""
    import importlib.util

    import pytest

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("build_draft_lm", ROOT / "corpus" / "build_draft_lm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    assert (ROOT / "summarizer" / "data" / "draft_lm.json").read_text(encoding="utf-8") == module.build()
