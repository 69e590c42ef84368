"""Measure words of counted nouns (`summarizer/compose/measures.py`) and the table learned from the
corpus (`summarizer/data/measure_words.json`, built by `corpus/build_measure_words.py`)."""

from __future__ import annotations

import json
import re
from types import ModuleType

import pytest

from summarizer.compose.measures import CLASSIFIERS, lookup, measure_word
from summarizer.io.data_readers import load_data
from tests.conftest import ROOT, corpus_script

TABLE = ROOT / "summarizer" / "data" / "measure_words.json"
EXAMPLES = ROOT / "examples" / "data"
SHARED = ROOT.parent / "shared" / "corpus"
# Count names whose nouns are people, households or schools: never counted with 个.
PEOPLE_HOUSEHOLDS_SCHOOLS = re.compile(r"(?:学生|教师|老师|家长|人员|学困生|儿童|幼儿|干部|党员|家庭|学校|小学|中学|幼儿园)$")


def test_people_take_ming() -> None:
    assert measure_word("留守儿童") == "名"
    assert measure_word("适龄儿童") == "名"


def test_households_take_hu() -> None:
    assert measure_word("走访家庭") == "户"


def test_a_score_takes_fen() -> None:
    assert measure_word("平均分提高") == "分"


def test_lessons_take_jie() -> None:
    assert measure_word("示范课") == "节"


def test_schools_take_suo() -> None:
    assert measure_word("学校") == "所"


def test_books_take_ce() -> None:
    assert measure_word("图书") == "册"


def test_a_noun_the_corpus_never_saw_falls_back_by_its_head() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert "结对帮扶学生" not in table["nouns"]
    assert lookup("结对帮扶学生") == ("名", "head", "学生")


def test_a_noun_nothing_knows_is_counted_with_ge() -> None:
    assert lookup("送教上门") == ("个", "default", "")


def _count_names() -> list[str]:
    names: list[str] = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".yaml", ".json", ".xlsx"):
            data = load_data(path)
            names += [n for a in data.activities for n in a.counts]
            names += [n for r in data.results for n in r.counts]
    return list(dict.fromkeys(names))


def test_every_example_count_gets_a_measure_word_of_the_closed_list() -> None:
    names = _count_names()
    assert len(names) > 30
    for name in names:
        noun = re.sub(r"[（(][^（()）]*[)）]$", "", name)  # `图书（册）`: the writer's unit goes first
        unit = measure_word(noun)
        assert unit in CLASSIFIERS, (name, unit)
        if PEOPLE_HOUSEHOLDS_SCHOOLS.search(noun):
            assert unit != "个", name


def test_the_table_holds_statistics_only() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert table["classifiers"] == list(CLASSIFIERS)
    for part in ("nouns", "heads"):
        entries = table[part]
        assert 100 < len(entries) <= 3000
        for key, (unit, n, seen) in entries.items():
            assert re.fullmatch(r"[\u4e00-\u9fff]{1,8}", key), key
            assert unit in CLASSIFIERS
            assert 2 <= n <= seen and n / seen >= 0.5, key
    assert all(len(head) >= 2 for head in table["heads"])


@pytest.fixture(scope="module")
def build_script() -> ModuleType:
    """corpus/build_measure_words.py as a module."""
    return corpus_script("build_measure_words")


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/corpus")
def test_the_shipped_table_is_current(build_script: ModuleType) -> None:
    assert build_script.build() == TABLE.read_text(encoding="utf-8"), \
        "stale: run python corpus/build_measure_words.py"


def test_the_build_reads_counts_both_ways_round(build_script: ModuleType) -> None:
    cut = build_script.pos_tokenizer().cut

    def found(clause: str) -> list[tuple[str, str]]:
        return [(q.noun, q.unit) for q in build_script.quantities(clause, cut)]

    assert found("结对留守儿童326名") == [("留守儿童", "名")]
    assert found("走访29户贫困家庭") == [("贫困家庭", "户")]
    assert found("共有一百二十名教师参加了两次培训") == [("教师", "名"), ("培训", "次")]
    assert found("投入资金3.5万元") == [("资金", "元")]
    assert found("政府十分重视") == []  # 十分 is no quantity
    assert found("第三次全国代表大会") == []  # an ordinal
    assert found("326名参加活动的学生") == []  # 活动 is not what is counted


def test_the_table_is_read_once() -> None:
    from summarizer.compose import measures

    measures.learned_table.cache_clear()
    measure_word("学生")
    measure_word("教师")
    assert measures.learned_table.cache_info().misses == 1
