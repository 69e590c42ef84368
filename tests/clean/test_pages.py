"""Whole pages as document sites serve them, cleaned: site sentences cut out of real paragraphs,
titles that read as document titles, tables kept, mojibake inside body paragraphs repaired, and
nothing of the body lost. The 范文 pages here were written for these tests (none is in the
chrome model's training data); the provincial report pages are real (`../shared/corpus`)."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from selectolax.lexbor import LexborHTMLParser

from summarizer.clean.paragraphs import marker_at
from summarizer.clean.pipeline import clean_input, clean_text
from summarizer.io.readers import RawInput, decode_input
from summarizer.text.script import to_simplified

HAN = re.compile(r"[\u4e00-\u9fff]")

LEAD_IN_PAGE = """当前位置：首页 > 范文大全 > 工作总结 > 学校工作总结
学校帮扶支教工作总结
发布时间：2023-07-12 09:30 浏览：1253次 来源：学习啦
为了促进城乡教育均衡发展，我校按照县教育局的统一部署，选派骨干教师到乡村学校开展帮扶支教工作。以下是小编收集整理的学校帮扶支教工作总结，欢迎阅读与收藏。
一、加强组织领导，明确帮扶任务
学校成立了以校长为组长的帮扶支教工作领导小组，制定了详细的帮扶计划，明确了帮扶的目标、内容和措施。
二、开展送教下乡，提升教学水平
本学年共组织送教下乡活动六次，开展示范课十二节，专题讲座四场，受益教师达一百余人次。
| 工作项目 | 具体内容 | 成果 |
| 送教下乡 | 示范课《秋天》 | 12节 |
| 专题讲座 | 新课标解读 | 4场 |
| 结对帮扶 | 师徒结对 | 18对 |
| 教研活动 | 同课异构 | 6次 |
| 资源共享 | 课件教案 | 300份 |
三、存在的不足和今后的打算
帮扶支教工作虽然取得了一定成效，但也存在一些不足，今后我们将进一步完善帮扶机制，推动帮扶工作走深走实。点击查看更多学校帮扶支教工作总结相关文章。
上一篇：小学教师个人工作总结
下一篇：2023年学校安全工作计划
"""


def han(text: str) -> str:
    return "".join(HAN.findall(text))


def test_a_site_lead_in_is_cut_out_of_the_paragraph_it_opens_or_closes():
    doc = clean_text(LEAD_IN_PAGE, "帮扶.txt")
    [art] = doc.articles
    paragraphs = [p.text for p in art.paragraphs]
    assert paragraphs[0] == "为了促进城乡教育均衡发展，我校按照县教育局的统一部署，选派骨干教师到乡村学校开展帮扶支教工作。"
    assert paragraphs[-1].endswith("推动帮扶工作走深走实。")
    removed = [r.text for r in doc.removed]
    assert "以下是小编收集整理的学校帮扶支教工作总结，欢迎阅读与收藏。" in removed
    assert "点击查看更多学校帮扶支教工作总结相关文章。" in removed
    assert all(r.reason in ("chrome", "page_furniture") for r in doc.removed)
    # Nothing lost: the Han characters of the page are those of the article and the removed text.
    assert sorted(han(LEAD_IN_PAGE)) == sorted(han(art.text) + "".join(han(t) for t in removed))


def test_the_title_is_the_document_title_not_the_breadcrumb_and_metadata_is_gone():
    doc = clean_text(LEAD_IN_PAGE, "帮扶.txt")
    [art] = doc.articles
    assert art.title == "学校帮扶支教工作总结"
    text = art.text
    for chrome in ("当前位置", "发布时间", "浏览：1253次", "上一篇", "下一篇"):
        assert chrome not in text


def test_a_text_table_is_kept_row_by_row_with_every_cell():
    doc = clean_text(LEAD_IN_PAGE, "帮扶.txt")
    rows = [p.text for p in doc.articles[0].paragraphs if p.text.startswith("|")]
    assert rows == [ln for ln in LEAD_IN_PAGE.split("\n") if ln.startswith("|")]


def test_a_learning_site_lead_in_and_a_resource_blurb_go_and_the_report_stays():
    page = "\n".join([
        "资源描述：",
        "2024年班主任工作计划",
        "下面是学习啦小编为大家推荐的2024年班主任工作计划，欢迎浏览。新学期开始了，为了做好班级管理工作，结合本班实际，特制定本计划。",
        "一、班级基本情况",
        "本班共有学生四十二人，其中男生二十人，女生二十二人，大部分学生学习态度端正。",
        "二、工作目标",
        "培养学生良好的行为习惯，营造积极向上的班级氛围。",
        "第2页/共3页",
    ])
    doc = clean_text(page, "计划.txt")
    [art] = doc.articles
    assert art.title == "2024年班主任工作计划"
    assert art.paragraphs[0].text == "新学期开始了，为了做好班级管理工作，结合本班实际，特制定本计划。"
    assert [p.text for p in art.paragraphs[1:]] == [
        "一、班级基本情况", "本班共有学生四十二人，其中男生二十人，女生二十二人，大部分学生学习态度端正。",
        "二、工作目标", "培养学生良好的行为习惯，营造积极向上的班级氛围。"]
    assert "下面是学习啦小编为大家推荐的2024年班主任工作计划，欢迎浏览。" in [r.text for r in doc.removed]


def test_a_body_sentence_with_site_words_is_not_cut():
    page = ("学校读书活动总结\n本学期学校开展了读书活动。学生阅读了大量课外书籍，收藏了许多优秀作品。"
            "欢迎家长来校参观指导。\n图书室全天开放，学生可以自由借阅和浏览各类图书。")
    doc = clean_text(page, "读书.txt")
    assert han(doc.articles[0].text) == han(page)


def _docx_with_table() -> bytes:
    document = docx.Document()
    document.add_paragraph("小学语文教研活动记录")
    document.add_paragraph("本学期语文组围绕新课标开展了系列教研活动，现将活动情况记录如下。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("项目", "内容", "课时"), ("示范课", "示范课《秋天》", "18"), ("评课", "集体评议", "2")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("通过教研活动，教师的课堂教学能力有了明显提高。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_table_cells_are_content_short_ones_included():
    text = decode_input(RawInput("记录.docx", _docx_with_table())).text
    doc = clean_text(text, "记录.docx")
    [art] = doc.articles
    assert art.title == "小学语文教研活动记录"
    assert [p.text for p in art.paragraphs] == [
        "本学期语文组围绕新课标开展了系列教研活动，现将活动情况记录如下。",
        "| 项目 | 内容 | 课时 |",
        "| 示范课 | 示范课《秋天》 | 18 |",
        "| 评课 | 集体评议 | 2 |",
        "通过教研活动，教师的课堂教学能力有了明显提高。",
    ]
    assert doc.removed == []


def test_a_table_laid_out_with_tabs_keeps_its_cells_apart():
    page = "学期工作安排表\n为做好本学期工作，现将安排列表如下。\n月份\t内容\t负责人\n9月\t开学准备\t教导处\n10月\t期中考试\t教研组\n"
    text = decode_input(RawInput("安排.txt", page.encode("utf-8"))).text
    doc = clean_text(text, "安排.txt")
    assert [p.text for p in doc.articles[0].paragraphs][1:] == [
        "| 月份 | 内容 | 负责人 |", "| 9月 | 开学准备 | 教导处 |", "| 10月 | 期中考试 | 教研组 |"]


TABLE_PAGE = """<html><head><meta charset="utf-8"><title>学校帮扶支教工作总结_学习啦</title></head><body>
<div class="nav">当前位置：首页 &gt; 范文大全 &gt; 工作总结</div>
<div class="content"><h1>学校帮扶支教工作总结</h1>
<table><tr><td><a href="/">首页</a></td><td><a href="/zj/">工作总结</a></td><td><a href="/jh/">工作计划</a></td></tr></table>
<p>为了促进城乡教育均衡发展，我校按照县教育局的统一部署，选派骨干教师到乡村学校开展帮扶支教工作。</p>
<table><tr><th>工作项目</th><th>具体内容</th><th>成果</th></tr>
<tr><td>送教下乡</td><td>示范课<br>《秋天》</td><td>12节</td></tr>
<tr><td>结对帮扶</td><td>师徒结对</td><td>18对</td></tr></table>
<p>帮扶支教工作虽然取得了一定成效，但也存在一些不足，今后我们将进一步完善帮扶机制。</p>
<div>上一篇：小学教师个人工作总结</div></div></body></html>"""


def test_an_html_data_table_is_kept_row_by_row_and_a_menu_table_is_not():
    _, doc = clean_input(RawInput("帮扶.html", TABLE_PAGE.encode("utf-8")))
    [art] = doc.articles
    assert art.title == "学校帮扶支教工作总结"
    paragraphs = [p.text for p in art.paragraphs]
    rows = ["| 工作项目 | 具体内容 | 成果 |", "| 送教下乡 | 示范课《秋天》 | 12节 |", "| 结对帮扶 | 师徒结对 | 18对 |"]
    start = paragraphs.index(rows[0])
    assert paragraphs[start - 1:start + 4] == [
        "为了促进城乡教育均衡发展，我校按照县教育局的统一部署，选派骨干教师到乡村学校开展帮扶支教工作。", *rows,
        "帮扶支教工作虽然取得了一定成效，但也存在一些不足，今后我们将进一步完善帮扶机制。"]
    # A table of links is a menu: its cells stay lines of their own, each judged by the chrome
    # model (首页 goes); a data table is never judged, so none of it is removed.
    assert not any(p.startswith("| 首页") for p in paragraphs)
    removed = [r.text for r in doc.removed]
    assert {"首页", "上一篇：小学教师个人工作总结"} <= set(removed)
    assert not any("18对" in t or "秋天" in t or "|" in t for t in removed)
    # What the page's reader left out is listed too (the breadcrumb in its navigation block), so
    # the Han characters a reader sees on the page are those of the article and of the removed.
    assert [r.text for r in doc.removed if r.reason == "html_furniture"] == ["当前位置：首页 > 范文大全 > 工作总结"]
    seen = LexborHTMLParser(TABLE_PAGE).body.text()
    assert sorted(han(seen)) == sorted(han(art.text) + "".join(han(t) for t in removed))


# --- mojibake inside body paragraphs ---------------------------------------------------------

def lose_lead_byte(text: str, at: int) -> str:
    """`text` as a site served it: GBK bytes whose lead byte of character `at` was lost (shown
    as `？`), the rest decoded one byte off until a byte brings the decode back in step."""
    data = text.encode("gbk")
    pos = len(text[:at].encode("gbk"))
    return text[:at] + "？" + data[pos + 1:].decode("gbk", errors="replace").replace("\ufffd", "?")


TRADITIONAL = ("班主任老師經常與家長溝通，對學生的思想動態進行詢問和了解，及時發現問題。"
               "這個學生性格很內向，平時不愛說話，老師主動與他談心，幫助他樹立信心。")


def test_a_lost_lead_byte_before_a_lone_letter_is_repaired_in_a_body_paragraph():
    at = TRADITIONAL.index("進行")
    broken = lose_lead_byte(TRADITIONAL, at)
    assert "？M行詢問" in broken
    page = f"學生思想工作總結\n{broken}\n今後我們將繼續做好學生的思想工作。"
    doc = clean_text(page, "總結.txt")
    assert "进行询问" in doc.articles[0].text
    assert doc.fixes["mojibake_repaired"] == 1
    # The repair is listed with what it became, so that the guessed half of 進 can be checked.
    [repair] = [r for r in doc.removed if r.reason == "mojibake"]
    assert (repair.text, repair.replacement) == ("？M", "進")


@pytest.mark.parametrize(("sentence", "lost"), [
    # The lost byte's trail byte and the next lead byte read as one character, then the next trail
    # byte and the lead byte after it make none, and the decoder wrote `?`: `沙溪` → `？诚?`.
    # Each character has one known byte; the `?` says the unknown trail byte is one a decoder
    # could not pair with the next byte (溪's `aa` before 小's `d0`, not 箱's `e4`).
    ("這個學期我們組織教師到沙溪小學聽課學習，回校後每人上一節匯報課。", "沙溪"),
    ("學校通過家訪瞭解每個孩子的家庭情況，為困難學生建立成長檔案，安排專人結對幫扶。", "每個"),
    ("學校通過家訪瞭解每個孩子的家庭情況，為困難學生建立成長檔案，安排專人結對幫扶。", "案，"),
    ("班主任每週與留守兒童談心一次，及時掌握他們的思想動態和學習情況。", "兒童"),
    ("今年我校共為十二名殘疾兒童送教上門，每次送教不少於兩課時。", "為十"),
])
def test_a_stretch_that_ends_in_a_decoders_question_mark_is_repaired(sentence: str, lost: str):
    broken = lose_lead_byte(sentence, sentence.index(lost))
    assert "？" in broken and "?" in broken and lost not in broken
    doc = clean_text(f"學生工作總結\n{broken}", "總結.txt")
    assert doc.articles[0].text.splitlines()[-1] == to_simplified(sentence)[0]


@pytest.mark.parametrize("lost", ["性", "格", "很", "內"])
def test_the_guessed_character_of_a_span_is_the_right_one(lost: str):
    # 很's trail byte `dc` is also 总's and 能's: only the school register (性格很…, not the
    # official 价格总…) tells them apart, and with 性's or 格's lead byte lost the right reading
    # has to be fluent enough to be taken at all.
    broken = lose_lead_byte(TRADITIONAL, TRADITIONAL.index("性格很內向") + "性格很內".index(lost))
    page = f"學生思想工作總結\n{broken}"
    doc = clean_text(page, "總結.txt")
    assert "这个学生性格很内向，平时不爱说话" in doc.articles[0].text
    # Nothing lost: the page's characters, with each repaired stretch (listed in `removed`) in
    # place of what it was, are the article's (all of them simplified, as the cleanup gives them).
    repairs = [r for r in doc.removed if r.reason == "mojibake"]
    assert len(repairs) == doc.fixes["mojibake_repaired"] == 1

    def simplified(texts: list[str]) -> Counter[str]:
        return Counter(han(to_simplified("".join(texts))[0]))

    assert (simplified([page, *(r.replacement for r in repairs)])
            == Counter(han(doc.articles[0].text)) + simplified([r.text for r in repairs]))


# --- real pages: the 2026 provincial government work reports ---------------------------------

PROVINCIAL = (Path(__file__).resolve().parents[3] / "shared" / "corpus"
              / "johncodes404__china-provincial-gov-reports-2026" / "output_2026_raw_text")
# The furniture of those pages, as read on them (the chrome model learned it from the other
# pages of the folder: `corpus/build_chrome_lines.py`, `PROVINCIAL_HELD_OUT`).
PAGE_CHROME = {"下载", "打印", "全屏", "收藏", "【字号：", "【字体：", "加大", "还原", "减小", "】", "【", "大", "中", "小",
               "首页", ">", "×", "|", "分享：", "分享:", "分享到：", "分享到微信", "打印本页", "关闭窗口", "相关报道：",
               "相关文档：", "相关链接>>", "相关附件>>", "您的位置:", "当前位置：", "扫一扫在手机打开当前页",
               # breadcrumb items, the values under 来源： and 责任编辑： lines, the links of 相关链接>>
               "政务信息", "宁夏要闻", "云南要闻", "四川日报", "宁夏日报客户端", "李莎莎",
               "四川省第十四届人民代表大会第五次会议关于政府工作报告的决议",
               "四川干部群众热议政府工作报告 以奋勇争先之姿，乘势而为",
               "解读省政府工作报告：在服务大局中担难担重前行 在识变应变中向新向优发展",
               "》》点击图片进入专题《《"}
PAGE_CHROME_KEYS = re.compile(r"^(?:来源|时间|发表时间|阅读量|责任编辑|编辑|分享到)[：:]|^\d{4}-\d\d-\d\d[ \d:]*$"
                              r"|^\d{4}年\d\d月\d\d日 \d\d时\d\d分$|^[0-9a-f]{32}:$")
# Furniture still left: a link to a special page that neither the chrome model (0.35) nor the
# layout gives away.
CHROME_LEFT = {"》》点击图片进入专题《《"}


def _body_lines(page: str, title: str) -> list[str]:
    """The page's own paragraphs after its title, minus the furniture."""
    lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
    start = lines.index(title) + 1 if title in lines else 0
    return [ln for ln in lines[start:] if ln not in PAGE_CHROME and not PAGE_CHROME_KEYS.match(ln)]


def _as_cleaned(text: str) -> str:
    """Han characters through OpenCC, as the cleanup gives them (濛 → 蒙); 著 and 着 read as one,
    since OpenCC turns 显著 into 显着 in some clauses and not in others."""
    return han(to_simplified(text)[0]).replace("着", "著")


@pytest.mark.skipif(not PROVINCIAL.is_dir(), reason="the shared provincial report pages are not here")
def test_provincial_report_pages_lose_their_chrome_and_keep_every_paragraph():
    pages = sorted(PROVINCIAL.glob("*.txt"))[:20]
    assert len(pages) == 20
    for path in pages:
        page = path.read_text(encoding="utf-8")
        doc = clean_text(page, path.name)
        [art] = doc.articles  # one report a page: no header or foot of the page as an article
        assert art.title not in ("下载", "打印") and "政府工作报告" in art.title, (path.name, art.title)
        paragraphs = {p.text for p in art.paragraphs}
        assert not paragraphs & (PAGE_CHROME - CHROME_LEFT), (path.name, paragraphs & PAGE_CHROME)
        assert not [p for p in paragraphs if PAGE_CHROME_KEYS.match(p)], path.name
        kept = _as_cleaned("".join(a.text for a in doc.articles))
        own_lines = {_as_cleaned(p.text) for a in doc.articles for p in a.paragraphs}
        for line in _body_lines(page, art.title):
            assert _as_cleaned(line) in kept, (path.name, line)
            # A heading (`一、2025年工作回顾`) or salutation (`各位代表：`) stays a paragraph of its
            # own, not glued to the paragraph after it.
            if (marker_at(line) and not any(c in line for c in "。！？；")) or (len(line) <= 12 and line.endswith("：")):
                assert _as_cleaned(line) in own_lines, (path.name, line)


def test_two_site_sentences_are_peeled_from_the_start_of_a_paragraph():
    first = ("资源描述：本文档为学校安全工作总结，共5页，可编辑。以下是小编为大家整理的学校安全工作总结，希望对大家有所帮助。"
             "本学期，我校始终把安全工作放在首位，层层落实安全责任。")
    page = f"学校安全工作总结\n{first}\n学校每月开展一次安全隐患排查，发现问题及时整改。"
    doc = clean_text(page, "安全.txt")
    assert [p.text for p in doc.articles[0].paragraphs] == [
        "本学期，我校始终把安全工作放在首位，层层落实安全责任。", "学校每月开展一次安全隐患排查，发现问题及时整改。"]
    assert [r.text for r in doc.removed] == [
        "资源描述：本文档为学校安全工作总结，共5页，可编辑。", "以下是小编为大家整理的学校安全工作总结，希望对大家有所帮助。"]


def test_a_tab_table_in_text_given_straight_to_clean_text_keeps_its_cells():
    page = ("学校帮扶工作总结\n本学期，我校认真开展结对帮扶工作，现总结如下。\n"
            "工作项目\t具体内容\t成果\n送教下乡\t示范课《秋天》\t18\n家访\t走访学困生家庭\t29户\n")
    rows = [p.text for p in clean_text(page, "表格.txt").articles[0].paragraphs if p.text.startswith("|")]
    assert rows == ["| 工作项目 | 具体内容 | 成果 |", "| 送教下乡 | 示范课《秋天》 | 18 |", "| 家访 | 走访学困生家庭 | 29户 |"]
