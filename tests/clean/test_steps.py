"""Each cleanup step on its own, as a pure function on strings that counts what it changed."""

import opencc
import pytest

from summarizer.clean.articles import split_articles
from summarizer.clean.chrome import remove_chrome, remove_page_counters
from summarizer.clean.gloss import remove_glosses
from summarizer.clean.paragraphs import restore_paragraphs_all, split_run_on
from summarizer.clean.pipeline import clean_text
from summarizer.text import script
from summarizer.text.punctuation import normalize_punctuation
from summarizer.text.script import to_simplified


def test_opencc_converts_mainland_taiwan_and_hong_kong_forms():
    assert to_simplified("城鄉學校結對幫扶工作總結") == ("城乡学校结对帮扶工作总结", {"t2s": 7})
    assert to_simplified("衞生 綫 裏面")[0] == "卫生 线 里面"


HK_TW = ("衞生綫路裏面，着落麪包；峯會羣眾爲了啓動。溼度牀上眾人衆人說説爲僞偽裡裏纔鉤鈎著臺灣！"
         "怎麼說呢？顯著，昭著\n麵條與麪條、臺灣與台灣。成效显著，乾隆年間，于是\n我们的工作很好，兹将")


def _whole_passes(text: str) -> str:
    """The reference: OpenCC itself, the general table over all of the text, then the Hong Kong
    and Taiwan tables over all of it."""
    out = opencc.OpenCC("t2s").convert(text)
    for config in ("hk2s", "tw2s"):
        out = opencc.OpenCC(config).convert(out)
    return out


def test_opencc_runs_on_the_clauses_it_can_change_and_gives_what_whole_passes_give(seeds):
    pages = [remove_glosses(t)[0] for t in seeds.values()]
    rare = "王堃负责此项工作，成效显著。"  # simplified, with a Han character outside GB2312
    for text in [HK_TW, rare, *pages, *(p[i:i + 300] for p in pages for i in range(0, len(p), 997))]:
        assert to_simplified(text)[0] == _whole_passes(text)


def test_without_opencc_dictionary_tool_the_tables_run_over_the_whole_text(monkeypatch, seeds):
    # As where OpenCC ships without its `opencc_dict` tool: no clause tables.
    monkeypatch.setattr(script, "_tables", lambda: None)
    for text in (HK_TW, remove_glosses(seeds["002"])[0], seeds["004"]):
        assert to_simplified(text)[0] == _whole_passes(text)


def test_simplified_text_passes_unchanged():
    text = "我校积极落实开展中小学“结对帮扶”的文件精神，现将一年来有关工作开展情况总结如下："
    assert to_simplified(text) == (text, {"t2s": 0})


def test_the_cleanup_names_the_script_a_page_was_in():
    assert clean_text("城鄉學校結對幫扶工作總結\n現將此項工作情況總結如下").script == "traditional"
    assert clean_text("城乡学校结对帮扶工作总结\n现将此项工作情况总结如下").script == "simplified"


def test_pinyin_glosses_are_removed_and_real_parentheses_stay():
    text = "城鄉(xiāng)學(xué)校(一)高度重視(2)(初中生301名,小学生11名)(试行)(名单附后)"
    out, counts = remove_glosses(text)
    assert out == "城鄉學校(一)高度重視(2)(初中生301名,小学生11名)(试行)(名单附后)"
    assert counts == {"pinyin_removed": 2}


def test_tone_digit_glosses_and_latin_words():
    assert remove_glosses("帮扶(bang1)工作(PDF)")[0] == "帮扶工作(PDF)"


def test_ascii_punctuation_in_chinese_becomes_full_width():
    out, counts = normalize_punctuation('我校积极落实,本着实事求是的原则:一是(一)领导重视;好吗?')
    assert out == "我校积极落实，本着实事求是的原则：一是（一）领导重视；好吗？"
    assert counts["punctuation"] == 6


def test_ascii_stays_in_numbers_times_urls_and_latin():
    text = "共1,000元，时间9:00-18:30，见http://example.com/a?b=1，文件(PDF)版"
    out, _ = normalize_punctuation(text)
    assert "1,000" in out and "9:00-18:30" in out and "http://example.com/a?b=1" in out
    assert "（PDF）" in out  # a bracket in Chinese text is Chinese punctuation


def test_quotes_and_stray_backticks():
    out, _ = normalize_punctuation('做到"真诚"二字，采取相应的`方法')
    assert out == "做到“真诚”二字，采取相应的方法"


def test_page_counters_are_cut_out_of_glued_text():
    out, counts, cut = remove_page_counters("第5页共5页城乡学校结对帮扶工作总结为了积极响应")
    assert out == "城乡学校结对帮扶工作总结为了积极响应"
    assert cut == ["第5页共5页"] and counts == {"chrome_removed": 1}


def test_chrome_lines_are_learned_not_listed():
    # None of these lines is in the training data; the vocabulary and shape carry them.
    lines = [
        "为了积极响应教体局城镇学校与农村学校结对帮扶的号召，我校成立了领导小组。",
        "组长：",
        "一、高度重视，制定工作计划",
        "本站文档均来自网友上传，下载前请确认文档内容，如有侵权请联系客服删除。",
        "点击这里免费下载本文档",
    ]
    [kept], counts, removed = remove_chrome([lines])
    assert kept == lines[:3]
    assert removed == [(0, line) for line in lines[3:]] and counts == {"chrome_removed": 2}


def test_run_on_text_gets_its_paragraph_breaks_back():
    line = ("现对本活动开展情况总结如下：一、高度重视，制定计划。二、开展活动1、领导互访，更新理念。"
            "2、教师互访，取长补短。五、不足和设想（一）、工作中的不足：1、师资较少。")
    assert split_run_on(line) == [
        "现对本活动开展情况总结如下：",
        "一、高度重视，制定计划。",
        "二、开展活动",
        "1、领导互访，更新理念。",
        "2、教师互访，取长补短。",
        "五、不足和设想",
        "（一）、工作中的不足：",
        "1、师资较少。",
    ]


def test_numbers_that_are_not_markers_do_not_break():
    for line in ("增长了1.5倍。共有一、二年级学生。第一次来校。绿园区民丰小学2011.3民丰小学",):
        assert split_run_on(line) == [line]


def test_a_line_broken_mid_sentence_is_joined():
    lines = ["2.强化宣传，加强引导。学校政教处安排班主任充分利用手机短", "信、校讯通、板报等各种载体。", "3.相互协助"]
    [out], counts = restore_paragraphs_all([lines])
    assert out == ["2.强化宣传，加强引导。学校政教处安排班主任充分利用手机短信、校讯通、板报等各种载体。", "3.相互协助"]
    assert counts == {"paragraphs_restored": 1}


def test_headings_subtitles_bylines_and_salutations_are_not_joined_to_the_next_line():
    # As the provincial report pages give them, one paragraph a line: none of these was broken.
    lines = ["——2026年2月3日在某省第十四届人民代表大会第五次会议上", "某省人民政府省长 王某某", "各位代表：",
             "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。",
             "一、2025年工作回顾和“十四五”发展主要成绩",
             "过去一年，面对复杂严峻形势和多重超预期因素冲击，我们稳住了经济基本盘。",
             "（三）一体推进教育科技人才发展，提升创新体系整体效能",
             "优化教育资源供给。实施新时代立德树人工程。"]
    assert restore_paragraphs_all([lines]) == ([lines], {"paragraphs_restored": 0})


def test_a_chinese_numeral_marker_may_open_a_year_or_a_numeral_word_but_not_an_enumeration():
    assert split_run_on("过去一年成绩显著。一、2025年工作回顾。二、一年接着一年干。") == [
        "过去一年成绩显著。", "一、2025年工作回顾。", "二、一年接着一年干。"]
    # Still numbers in the text: a grade enumeration, a marker inside a quotation.
    for line in ("共有一、二年级学生。", "11.“五统一、一开放”：指统一规划。"):
        assert split_run_on(line) == [line]


def test_a_long_heading_stays_on_its_own_line():
    lines = ["2、全覆盖轮训贫困村所在地学校教师和校长骨干", "“国培”项目重点向贫困村所在地学校倾斜。"]
    assert restore_paragraphs_all([lines])[0] == [lines]


def test_titles_repeated_on_lines_and_glued_to_the_body():
    text = "\n".join([
        "小学扶贫帮困实施方案", "合集下载",
        "小学爱心助学活动实施方案", "小学爱心助学活动实施方案",
        "小学爱心助学活动实施方案实施方案：一、活动目的通过爱心助学活动，鼓励学生。",
        "二、活动时间安排在期末。",
        "2024年学校贫困生帮扶活动方案", "2024年学校贫困生帮扶活动方案",
        "2024年学校贫困生帮扶活动方案____年学校贫困生帮扶活动方案一、背景和目标贫困学生是重点。",
    ])
    articles, removed, counts = split_articles(text)
    assert [(a.title, a.lines) for a in articles] == [
        ("小学爱心助学活动实施方案", ["一、活动目的通过爱心助学活动，鼓励学生。", "二、活动时间安排在期末。"]),
        ("2024年学校贫困生帮扶活动方案", ["一、背景和目标贫困学生是重点。"]),
    ]
    assert "合集下载" in removed and "实施方案：" in removed and "____年学校贫困生帮扶活动方案" in removed


def test_article_markers_pian_brackets_and_ordinal_titles():
    text = "\n".join([
        "老师教育扶贫工作计划篇一", "把推进教育扶贫工作作为重要任务。",
        "小学扶贫帮困实施方案【篇二：民丰小学学困生帮扶工作实施方案】民丰小学学困生帮扶工作实施方案一、指导思想。",
        "西岩坊中学特困生帮扶计划[篇3]一、指导思想学校领导亲自挂帅。",
        "为实现均衡发展做出努力。城乡学校结对帮扶工作总结（二）近几年，我们按照规划开展工作。",
    ])
    articles, removed, _ = split_articles(text)
    assert [a.title for a in articles] == [
        "老师教育扶贫工作计划", "民丰小学学困生帮扶工作实施方案", "西岩坊中学特困生帮扶计划", "城乡学校结对帮扶工作总结",
    ]
    assert articles[1].lines == ["一、指导思想。"]
    assert articles[2].lines == ["一、指导思想学校领导亲自挂帅。", "为实现均衡发展做出努力。"]
    assert articles[3].lines == ["近几年，我们按照规划开展工作。"]


def test_a_plain_report_is_one_article_titled_by_its_first_line():
    articles, removed, counts = split_articles("学校帮扶工作总结\n根据文件要求，我校积极开展工作。\n总之，成效明显。")
    assert [(a.title, a.lines) for a in articles] == [
        ("学校帮扶工作总结", ["根据文件要求，我校积极开展工作。", "总之，成效明显。"])
    ]
    assert removed == [] and counts["articles"] == 1


def test_shipped_chrome_weights_are_a_fit_of_the_shipped_lines():
    """The shipped weights are a fit of the shipped lines and of the provincial pages' lines,
    which the build script reads from ../shared/corpus (the repository ships none of its text)."""
    import numpy as np

    from summarizer.clean.chrome import default_model, fit_default, training_data
    from tests.conftest import corpus_script

    build = corpus_script("build_chrome_lines")
    if not build.PROVINCIAL.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    lines, _ = training_data()
    fresh = fit_default(build.provincial_lines())
    shipped = default_model()
    assert np.allclose(shipped.predict_proba(lines), fresh.predict_proba(lines), atol=1e-9), (
        "regenerate: python corpus/build_chrome_lines.py"
    )
