"""Properties of the cleanup, checked by hypothesis on documents assembled from seed paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.clean.pipeline import clean_text
from tests.conftest import RAW

HAN = re.compile(r"[\u3400-\u9fff]")
GLOSS = {"学": "(xué)", "校": "(xiào)", "帮": "(bāng)", "扶": "(fú)", "乡": "(xiāng)", "发": "(fā)"}
CHROME = ["下载本文档", "相关文档", "版权说明：本文档由用户上传，如有侵权请联系删除", "评论", "0/150", "关闭"]


@lru_cache(maxsize=1)
def body_paragraphs() -> list[str]:
    """Clean, simplified body paragraphs of the seeds (non-heading, with a sentence end)."""
    out = []
    for path in sorted(RAW.glob("*.txt")):
        doc = clean_text(path.read_text(encoding="utf-8"), path.name)
        for art in doc.articles:
            for p in art.paragraphs:
                if 12 <= len(p.text) <= 300 and p.text.endswith("。") and not re.match(r"^\W?[\d一二三四五六七八九十]", p.text):
                    out.append(p.text)
    return sorted(set(out))


def han(text: str) -> Counter:
    return Counter(HAN.findall(text))


paragraph_lists = st.lists(st.sampled_from(body_paragraphs()), min_size=1, max_size=8, unique=True)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(paragraph_lists)
def test_clean_simplified_text_passes_unchanged(paragraphs):
    text = "学校帮扶工作总结\n" + "\n".join(paragraphs) + "\n"
    doc = clean_text(text)
    assert [a.text for a in doc.articles] == [text]
    assert doc.removed == []


@SETTINGS
@given(paragraph_lists, st.data())
def test_cleaning_is_idempotent(paragraphs, data):
    # A messy page: glosses, ASCII punctuation, chrome at the top and the bottom.
    body = [p.replace("，", ",").replace("：", ":") for p in paragraphs]
    top = data.draw(st.lists(st.sampled_from(CHROME), max_size=2))
    bottom = data.draw(st.lists(st.sampled_from(CHROME), max_size=3))
    page = "\n".join([*top, "学校帮扶工作总结", *body, *bottom])
    once = clean_text(page)
    assert len(once.articles) == 1
    twice = clean_text(once.articles[0].text)
    assert [a.text for a in twice.articles] == [once.articles[0].text]


@SETTINGS
@given(paragraph_lists, st.data())
def test_no_han_character_is_lost_except_in_chrome_and_glosses(paragraphs, data):
    glossed = []
    for p in paragraphs:
        glossed.append("".join(ch + GLOSS[ch] if ch in GLOSS and data.draw(st.booleans()) else ch for ch in p))
    bottom = data.draw(st.lists(st.sampled_from(CHROME), max_size=3))
    page = "\n".join(["学校帮扶工作总结", *glossed, *bottom])
    doc = clean_text(page)
    out = sum((han(a.text) for a in doc.articles), Counter())
    removed = sum((han(r.text) for r in doc.removed), Counter())
    assert out + removed == han(page)
    assert doc.fixes["pinyin_removed"] == sum(p.count("(") for p in glossed) - sum(p.count("(") for p in paragraphs)


def test_line_shapes_count_what_each_line_holds():
    """The chrome model's shape features of a batch of lines: log length, short, sentence end,
    share of digits (full-width, Arabic-Indic and beyond the BMP too), share of Latin letters,
    bullet first (or empty), `键：值`, bracketed (or empty)."""
    import math

    import numpy as np

    from summarizer.clean.chrome import line_shapes

    lines = ["学校：a1。", "", "【下载】", "𝟎𠀀：1", "•下载", "３٣页", "本学期共开展活动十二次，效果良好。"]
    expected = [
        [math.log1p(6) / 6, 1, 1, 1 / 6, 1 / 6, 0, 1, 0],
        [0, 1, 0, 0, 0, 1, 0, 1],
        [math.log1p(4) / 6, 1, 0, 0, 0, 0, 0, 1],
        [math.log1p(4) / 6, 1, 0, 2 / 4, 0, 0, 1, 0],
        [math.log1p(3) / 6, 1, 0, 0, 0, 1, 0, 0],
        [math.log1p(3) / 6, 1, 0, 2 / 3, 0, 0, 0, 0],
        [math.log1p(17) / 6, 0, 1, 0, 0, 0, 0, 0],
    ]
    assert np.array_equal(line_shapes(lines), np.array(expected, dtype=float))
    assert line_shapes([]).shape == (0, 8)


# The searches split by first character give what the one pattern gives, on text made of the
# characters those patterns look at.
_MARKER_CHARS = st.sampled_from(list("一二三十第首先其次再最后总之、.．）)（(，,①⑩123０٣%学 \n") + ["𝟏"])


@settings(max_examples=300, deadline=None)
@given(st.text(_MARKER_CHARS, max_size=60))
def test_heading_markers_are_found_where_the_marker_pattern_finds_them(text):
    from summarizer.clean.paragraphs import MARKER, marker_matches

    assert [(m.span(), m.lastgroup) for m in marker_matches(text)] == [
        (m.span(), m.lastgroup) for m in MARKER.finditer(text)]


_GLOSS_CHARS = st.sampled_from(list("鄉学(（)）xiāngué12 ,第已阅读页共还剩未读继续免费，/") + ["xiāng", "(xué)", "第5页共5页", "已阅读"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_GLOSS_CHARS, max_size=30).map("".join))
def test_glosses_and_page_counters_are_cut_where_their_single_patterns_find_them(text):
    from summarizer.clean.chrome import remove_page_counters
    from summarizer.clean.gloss import _GLOSS, cut_glosses, remove_glosses

    out, n = _GLOSS.subn("", text)
    assert remove_glosses(text) == (out, {"pinyin_removed": n})
    assert cut_glosses(text) == (out, {"pinyin_removed": n}, _GLOSS.findall(text))
    counter = re.compile(r"第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页[。.]?"
                         r"|已阅读\s*\d+\s*页[，,]\s*还剩\s*\d+\s*页未读[，,]?\s*继续(?:免费)?阅读")
    found = counter.findall(text)
    assert remove_page_counters(text) == (counter.sub("", text), {"chrome_removed": len(found)}, found)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("（(二十12３)）总结学")), max_size=40))
def test_article_ordinals_are_found_where_the_ordinal_pattern_finds_them(line):
    from summarizer.clean.articles import _ORDINAL, _ORDINALS
    from summarizer.text.spans import matches_by_first

    assert [m.span() for m in matches_by_first(line, _ORDINALS)] == [m.span() for m in _ORDINAL.finditer(line)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["?", "？", "\ufffd", "(", ")", "xiāng", "ni3", "学", "a", "\n"]), max_size=30).map("".join))
def test_lost_bytes_are_found_where_the_lost_byte_pattern_finds_them(text):
    from summarizer.clean.mojibake import _LOST, _LOST_BY_ANCHOR
    from summarizer.text.spans import matches_by_first

    assert [m.span() for m in matches_by_first(text, _LOST_BY_ANCHOR)] == [m.span() for m in _LOST.finditer(text)]


def test_a_line_scores_the_same_to_the_last_bit_whatever_it_is_scored_with():
    """Chrome scores are cached per line, so a line's score must not depend on the batch it was
    first scored in: otherwise outputs could depend on the order pages come in, or on --jobs.
    (A BLAS matrix product in the scoring made 41 of these 2,264 lines differ in the last bit
    between the batch and one by one.)"""
    import numpy as np

    from summarizer.clean.chrome import default_model

    def score(batch: list[str]) -> np.ndarray:  # uncached: every line scored with the batch
        return default_model().compiled_.predict_proba(batch)[:, 1]

    pages = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    lines = [ln[:n] for page in pages for ln in page.split("\n") if ln.strip() for n in (7, 40, 160, 400)]
    lines += CHROME + ["", "𠀀表情 ID:3"]
    together = score(lines)
    assert np.array_equal(together, np.array([score([ln])[0] for ln in lines]))
    assert np.array_equal(together, np.concatenate([score(lines[i:i + 37]) for i in range(0, len(lines), 37)]))
