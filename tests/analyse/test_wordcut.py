"""The one-pass dictionary cut gives jieba's words exactly (HMM off), so the section model's
features do not change with it."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.analyse.segment import tokenizer, words
from summarizer.analyse.wordcut import DictCut

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _corpus_lines() -> list[str]:
    lines = [json.loads(row)["text"] for f in sorted((CORPUS / "labels").glob("*.jsonl"))
             for row in f.read_text(encoding="utf-8").splitlines() if row.strip()]
    lines += [line for f in sorted((CORPUS / "raw").glob("*.txt"))
              for line in f.read_text(encoding="utf-8").splitlines()]
    return lines


def test_every_corpus_line_is_cut_as_jieba_cuts_it():
    tok = tokenizer()
    cut = DictCut(tok)
    lines = _corpus_lines()
    assert len(lines) > 1000
    differing = [line for line in lines if cut.cut(line) != tok.lcut(line, HMM=False)]
    assert differing == []


def test_domain_terms_stay_whole_and_digits_group():
    assert words("开展结对帮扶和送教下乡活动", hmm=False)[:2] == ["开展", "结对帮扶"]
    assert "送教下乡" in words("开展结对帮扶和送教下乡活动", hmm=False)
    # jieba groups single Latin letters and digits its route leaves alone into one token
    assert words("共计2019人", hmm=False) == tokenizer().lcut("共计2019人", HMM=False)


_TEXT = st.text(alphabet=st.sampled_from(list("结对帮扶学困生教师学校开展活动工作总结的了和与是一二三年月日 \n\r\t，。、：“”（）()0123456789abcXYZ.-_%#&+送教下乡控辍保学")),
                max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_generated_text_is_cut_as_jieba_cuts_it(text):
    assert words(text, hmm=False) == tokenizer().lcut(text, HMM=False)
