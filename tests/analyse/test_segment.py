"""Segmentation: heading levels and markers, the outline, sentences, words, offsets."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from summarizer.analyse.segment import heading_marker, segment_article, split_sentences, words
from summarizer.document import Article
from tests.conftest import ROOT, seed_path


@pytest.mark.parametrize("text,level,marker", [
    ("一、高度重视，制定工作计划", 1, "一、"),
    ("十一、未来规划学校可以将爱心助学活动作为长期项目", 1, "十一、"),
    ("（一）加强组织领导", 2, "（一）"),
    ("（二）、今后工作的设想：", 2, "（二）、"),
    ("1.加强思想教育", 3, "1."),
    ("2、教师互访，取长补短。", 3, "2、"),
    ("（3）练习环节", 4, "（3）"),
    ("①抓好学困生的基础知识。", 5, "①"),
    ("首先，领导重视，规划有序。", -1, "首先，"),
    ("第三，沙溪小学给予我校以硬件援助。", -1, "第三，"),
    ("一是领导互访，了解帮扶工作实施情况。", -1, "一是"),
    ("1.5倍的增长", 0, ""),
    ("一、二年级学生共有120名。", 0, ""),
    ("第一次来校交流。", 0, ""),
    ("为了积极响应教体局的号召。", 0, ""),
])
def test_heading_markers_and_levels(text, level, marker):
    assert heading_marker(text) == (level, marker)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_end_at_end_marks_and_after_closing_quotes():
    assert sentences("领导重视，规划有序。成立了领导小组；明确了职责！效果如何？") == [
        "领导重视，规划有序。", "成立了领导小组；", "明确了职责！", "效果如何？"]
    assert sentences("他说：“我们要努力。”大家都很受鼓舞。") == ["他说：“我们要努力。”", "大家都很受鼓舞。"]


def test_sentences_never_split_inside_book_titles_or_quotes():
    text = "根据《关于进一步加强农村教育工作的决定。试行》精神，实现“应免尽免；应补尽补”，确保到位。"
    assert sentences(text) == [text]


def test_text_without_an_end_mark_is_one_sentence():
    assert sentences("3.培养学习习惯") == ["3.培养学习习惯"]


def test_outline_of_a_run_on_seed_article(cleaned):
    art = cleaned["002"].articles[0]
    outline = segment_article(art, with_words=False)
    assert [n.marker for n in outline] == ["一、", "二、", "三、", "四、", "五、"]
    assert [c.marker for c in outline[1].children] == ["1、", "2、", "3、", "4、"]
    assert [c.marker for c in outline[4].children] == ["（一）、", "（二）、"]
    assert [c.level for c in outline[4].children[0].children] == [3, 3, 3, 3]


def test_ordinal_openers_are_siblings(cleaned):
    art = cleaned["000"].articles[0]
    outline = segment_article(art, with_words=False)
    assert [n.marker for n in outline] == ["首先，", "其次，", "第三，", "第四，", "第五，"]
    assert {n.level for n in outline} == {1}
    assert [c.marker for c in outline[0].children] == ["1、", "2、", "3、", "4、"]


def test_offsets_point_into_the_article_text(cleaned):
    for doc in cleaned.values():
        for art in doc.articles:
            segment_article(art, with_words=False)
            text = art.text
            for p in art.paragraphs:
                assert text[p.start:p.end] == p.text
                assert "".join(s.text for s in p.sentences) == p.text
                for s in p.sentences:
                    assert text[s.start:s.end] == s.text


def test_words_keep_domain_terms_whole():
    text = "我校积极开展结对帮扶工作，建立学困生档案，落实控辍保学和两免一补政策，对建档立卡贫困户子女送教下乡。"
    ws = words(text)
    assert "".join(ws) == text
    for term in ("结对帮扶", "学困生", "控辍保学", "两免一补", "建档立卡", "送教下乡"):
        assert term in ws, (term, ws)


def test_word_spans_follow_the_paragraph():
    art = Article.from_lines("学校帮扶工作总结", ["一、具体帮扶措施", "经常找帮扶对象谈心。"])
    segment_article(art)
    spans = [s for s in art.paragraphs[1].spans if s.kind == "word"]
    assert "".join(s.text for s in spans) == "经常找帮扶对象谈心。"
    assert all(art.text[s.start:s.end] == s.text for s in spans)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True)


def test_segment_command_on_a_raw_page_and_on_a_clean_article():
    raw = run_cli("segment", str(seed_path("002")), "--format", "json")
    assert raw.returncode == 0, raw.stderr
    from_raw = json.loads(raw.stdout)
    assert len(from_raw) == 5
    first = from_raw[0]
    assert first["paragraphs"][1]["heading_level"] == 1 and first["paragraphs"][1]["marker"] == "一、"
    assert "结对帮扶" in first["paragraphs"][0]["words"]
    clean_file = sorted((ROOT / "corpus" / "clean").glob("002_*_01.txt"))[0]
    clean = json.loads(run_cli("segment", str(clean_file), "--format", "json").stdout)
    assert len(clean) == 1 and clean[0]["text"] == first["text"]
    assert clean[0]["paragraphs"] == first["paragraphs"]


def test_segment_command_on_a_bad_file_is_one_error_line(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = run_cli("segment", str(bad))
    assert res.returncode == 1 and "empty.txt" in res.stderr and len(res.stderr.strip().splitlines()) == 1
