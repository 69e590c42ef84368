"""The draft renderers: the GB/T 9704 Word layout, Markdown, plain text, and a real PDF.

The draft is a hand-built 结对帮扶 工作总结 of the kind the composer writes (title, preamble,
`一、`/`（一）`/`1.` headings, body paragraphs with figures, a todo note, signoff and date), long
enough for two pages. The Word file is read back with python-docx and its XML; then LibreOffice
converts it to PDF and poppler reads the PDF back: page size, page count, fonts, text, and a
picture of page 1 (saved to /tmp/draft_page1.png for a person to look at).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from summarizer.compose.docx_render import FONTS, render_docx, title_lines, write_docx
from summarizer.compose.draft import Block, Draft
from summarizer.compose.gbt9704 import GRID, layout_grid
from summarizer.compose.text_render import block_text, render_markdown, render_text
from summarizer.compose.write import write_draft

TITLE = "望江县第二中心小学2024年城乡学校结对帮扶工作总结"
SCHOOL = "望江县第二中心小学"
DATE = "2024年12月20日"


def _draft() -> Draft:
    b = Block
    blocks = [
        b("title", TITLE, "title"),
        b(
            "body",
            "2024年，我校根据《关于开展城乡学校结对帮扶工作的通知》要求，与建设街小学结成帮扶对子，"
            "坚持“资源共享、优势互补、共同发展”的原则，在教育教学管理、教师专业成长、学困生转化等方面"
            "开展了扎实有效的帮扶活动，取得了较好的成效。现将一年来的工作总结如下。",
            "preamble",
        ),
        b("heading1", "一、加强组织领导，健全帮扶机制", "organization"),
        b(
            "body",
            "学校成立了以校长李明为组长、教导主任王芳为副组长、各教研组长为成员的结对帮扶工作领导小组，"
            "明确分工，责任到人。领导小组每学期召开专题会议2次，研究制定帮扶计划，检查帮扶进度，"
            "及时解决帮扶工作中遇到的困难和问题。",
            "organization",
        ),
        b("heading2", "（一）制定帮扶计划", "organization"),
        b(
            "body",
            "年初，两校领导共同商议，结合我校师资力量薄弱、学困生比例较高的实际，制定了《2024年结对帮扶"
            "工作计划》，确定了送教下乡、跟岗学习、联合教研、资源共享四项重点任务，并将任务分解到月、"
            "落实到人。",
            "organization",
        ),
        b("heading2", "（二）完善考核制度", "organization"),
        b(
            "body",
            "学校把结对帮扶工作纳入教师年度考核，对参与帮扶的教师在评优评先、职称评聘中予以倾斜，"
            "调动了广大教师参与帮扶工作的积极性。",
            "organization",
        ),
        b("heading1", "二、突出工作重点，扎实开展帮扶活动", "measures"),
        b("heading2", "（一）送教下乡，示范引领", "measures"),
        b("heading3", "1.骨干教师示范课", "measures"),
        b(
            "body",
            "3月15日，建设街小学骨干教师张伟、刘洋来我校上示范课3节，全校25名教师参加听课。课后，"
            "两校教师开展评课研讨，围绕课堂教学目标的落实、学生学习习惯的培养等问题进行了深入交流，"
            "我校青年教师普遍反映收获很大。",
            "measures",
        ),
        b("heading3", "2.专题讲座", "measures"),
        b(
            "body",
            "全年共邀请帮扶学校的专家和骨干教师来校开展专题讲座6场，内容涵盖新课标解读、作业设计、"
            "班级管理和心理健康教育，受训教师累计达180人次。",
            "measures",
        ),
        b("heading2", "（二）跟岗学习，提升能力", "measures"),
        b(
            "body",
            "我校先后选派12名青年教师到建设街小学跟岗学习，每期两周。跟岗教师深入课堂听课、参与集体备课"
            "和教研活动，回校后上汇报课12节，把学到的先进经验运用到自己的教学实践中。",
            "measures",
        ),
        b("todo", "跟岗学习的具体时间和经费支出金额", "measures"),
        b("heading1", "三、帮扶工作取得的成效", "results"),
        b(
            "body",
            "通过一年的结对帮扶，我校教师的教育教学水平明显提高，有8名教师在县级优质课评比中获奖，"
            "3篇论文在市级刊物上发表。学困生转化工作成效显著，全年转化学困生18名，"
            "学生学业合格率由去年的86%提高到94%。",
            "results",
        ),
        b("heading1", "四、存在的问题和今后的打算", "problems"),
        b(
            "body",
            "一年来，帮扶工作虽然取得了一定成绩，但也存在一些不足：教师外出学习与课务冲突，"
            "部分帮扶活动的针对性还不够强。今后，我们将每学期互派教师跟岗学习，进一步完善帮扶机制，"
            "把结对帮扶工作推向深入，努力办好人民满意的教育。",
            "plans",
        ),
        b("signoff", SCHOOL, "signoff"),
        b("date", DATE, "signoff"),
    ]
    return Draft(kind="工作总结", title=TITLE, blocks=blocks)


DRAFT = _draft()


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(DRAFT)


@pytest.fixture(scope="module")
def document(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def _paragraph_runs_fonts(paragraph) -> set[str]:
    return {rf.get(qn("w:eastAsia")) for rf in paragraph._p.iter(qn("w:rFonts"))}


# --------------------------------------------------------------------------- geometry


def test_grid_is_computed_from_the_text_area():
    grid = layout_grid()
    assert (grid.page_width, grid.page_height) == (11906, 16838)
    assert (grid.top, grid.bottom, grid.left, grid.right) == (2098, 1984, 1587, 1474)
    assert (grid.text_width, grid.text_height) == (8845, 12756)
    assert grid.line_pitch == 579
    assert grid.char_space == -842
    # 22 lines and 28 characters fit the text area, and a 23rd line or 29th character would not
    assert 22 * grid.line_pitch <= grid.text_height < 23 * grid.line_pitch
    assert 28 * grid.char_pitch_pt * 20 <= grid.text_width < 29 * grid.char_pitch_pt * 20


def test_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    mm = Mm(1)

    def close(length: Emu | None, millimetres: float) -> bool:
        return length is not None and abs(length / mm - millimetres) <= 0.5

    assert close(section.page_width, 210) and close(section.page_height, 297)
    assert close(section.top_margin, 37) and close(section.bottom_margin, 35)
    assert close(section.left_margin, 28) and close(section.right_margin, 26)


def test_doc_grid(document):
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == str(GRID.line_pitch) == "579"
    assert grid.get(qn("w:charSpace")) == str(GRID.char_space) == "-842"


# --------------------------------------------------------------------------- blocks


def test_paragraphs_are_the_draft_blocks_in_order(document):
    texts = [p.text.replace("\n", "") for p in document.paragraphs]  # the title's line break
    assert texts == [block_text(b) for b in DRAFT.blocks]
    assert "【待补充：跟岗学习的具体时间和经费支出金额】" in texts


def test_long_title_breaks_between_words_into_balanced_lines(document):
    assert document.paragraphs[0].text == "望江县第二中心小学2024年\n城乡学校结对帮扶工作总结"
    assert title_lines("某校帮扶工作总结") == ["某校帮扶工作总结"]
    lines = title_lines("关于开展2023—2024学年度城乡学校结对帮扶活动的实施方案")
    assert "".join(lines) == "关于开展2023—2024学年度城乡学校结对帮扶活动的实施方案"
    assert len(lines) == 2 and "2023—2024学年度" in lines[0]
    long = "望江县第二中心小学2024年城乡学校结对帮扶暨学困生转化与教育扶贫专项工作的实施方案（修订稿）"
    lines = title_lines(long)
    assert "".join(lines) == long and len(lines) == 3
    assert all(len(line) <= 20 for line in lines) and not lines[-1].startswith("）")


def test_east_asian_fonts_and_sizes_per_block_kind(document):
    expected_font = {
        "title": "方正小标宋简体",
        "heading1": "黑体",
        "heading2": "楷体_GB2312",
        "heading3": "仿宋_GB2312",
        "body": "仿宋_GB2312",
        "signoff": "仿宋_GB2312",
        "date": "仿宋_GB2312",
        "todo": "仿宋_GB2312",
    }
    assert FONTS == expected_font
    for block, paragraph in zip(DRAFT.blocks, document.paragraphs, strict=True):
        assert _paragraph_runs_fonts(paragraph) == {expected_font[block.kind]}, block
        for rfonts in paragraph._p.iter(qn("w:rFonts")):
            assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == expected_font[block.kind]
        size = 22 if block.kind == "title" else 16
        assert {r.font.size.pt for r in paragraph.runs} == {size}, block
        bold = block.kind == "heading3"
        assert {bool(r.font.bold) for r in paragraph.runs} == {bold}, block


def test_grid_fit_details(document):
    """The title is off the grid (a 22 pt glyph would take two cells); grid text is scaled to 98 %
    so that a 16 pt glyph fits one 15.79 pt cell in LibreOffice too."""
    for block, paragraph in zip(DRAFT.blocks, document.paragraphs, strict=True):
        snap = paragraph._p.pPr.find(qn("w:snapToGrid"))
        scales = {r._element.rPr.find(qn("w:w")) is not None for r in paragraph.runs}
        if block.kind == "title":
            assert snap is not None and snap.get(qn("w:val")) == "0"
            assert scales == {False}
        else:
            assert snap is None
            assert {r._element.rPr.find(qn("w:w")).get(qn("w:val")) for r in paragraph.runs} == {"98"}


def test_font_table_describes_the_chinese_fonts(docx_bytes):
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        xml = z.read("word/fontTable.xml").decode("utf-8")
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"):
        entry = re.search(rf'<w:font w:name="{name}">(.*?)</w:font>', xml, re.S)
        assert entry, name
        assert '<w:charset w:val="86"/>' in entry.group(1) and "<w:altName" in entry.group(1)
    title_entry = re.search(r'<w:font w:name="方正小标宋简体">(.*?)</w:font>', xml, re.S).group(1)
    assert '<w:family w:val="roman"/>' in title_entry  # a serif face when substituted


def test_normal_style_and_defaults_name_the_east_asian_font(document):
    normal = document.styles["Normal"].element
    rfonts = normal.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rfonts.get(qn("w:ascii")) == "仿宋_GB2312"
    assert document.styles["Normal"].font.size.pt == 16
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts")).get(
        qn("w:eastAsia")
    ) == "仿宋_GB2312"


def test_alignment_and_indents(document):
    for block, paragraph in zip(DRAFT.blocks, document.paragraphs, strict=True):
        ind = paragraph._p.pPr.find(qn("w:ind"))
        if block.kind == "title":
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
            assert ind is None or ind.get(qn("w:firstLineChars")) is None
        elif block.kind in ("body", "todo", "heading1", "heading2", "heading3"):
            assert ind.get(qn("w:firstLineChars")) == "200", block
            assert paragraph.alignment in (WD_ALIGN_PARAGRAPH.JUSTIFY, None)
        else:  # signoff, date
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
            assert ind.get(qn("w:rightChars")) == "400"
            assert ind.get(qn("w:firstLineChars")) is None


def test_line_spacing_is_the_grid_pitch(document):
    for block, paragraph in zip(DRAFT.blocks, document.paragraphs, strict=True):
        if block.kind != "title":
            # exact 28.95 pt, inherited from Normal
            assert document.styles["Normal"].paragraph_format.line_spacing.twips == 579
            assert paragraph.paragraph_format.line_spacing is None


def test_todo_is_visible(document):
    paragraph = next(p for p in document.paragraphs if p.text.startswith("【待补充"))
    run = paragraph.runs[0]
    assert str(run.font.color.rgb) == "FF0000"
    assert run.font.highlight_color is not None


def test_headings_carry_outline_levels(document):
    levels = {"heading1": "0", "heading2": "1", "heading3": "2"}
    for block, paragraph in zip(DRAFT.blocks, document.paragraphs, strict=True):
        outline = paragraph._p.pPr.find(qn("w:outlineLvl"))
        if block.kind in levels:
            assert outline.get(qn("w:val")) == levels[block.kind]
        else:
            assert outline is None


def test_footer_page_numbers(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        kinds = [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert re.fullmatch(r"— \d+ —", p.text), p.text
        assert p.alignment == align
        assert {r.font.size.pt for r in p.runs} == {14}
        assert _paragraph_runs_fonts(p) == {"宋体"}


def test_core_properties(document):
    props = document.core_properties
    assert props.title == TITLE
    assert props.language == "zh-CN"
    assert props.author == SCHOOL


def test_write_docx_is_atomic_and_readable(tmp_path):
    out = tmp_path / "sub" / "draft.docx"
    write_docx(DRAFT, out)
    assert docx.Document(str(out)).paragraphs[-1].text == DATE
    assert [p.name for p in out.parent.iterdir()] == ["draft.docx"]  # no temporary file left


def test_title_is_added_when_no_block_holds_it():
    draft = Draft(kind="工作总结", title="某校帮扶工作总结", blocks=[Block("body", "正文。")])
    document = docx.Document(io.BytesIO(render_docx(draft)))
    assert [p.text for p in document.paragraphs] == ["某校帮扶工作总结", "正文。"]
    assert render_text(draft) == "某校帮扶工作总结\n正文。\n"


# --------------------------------------------------------------------------- Markdown and text


def test_markdown():
    md = render_markdown(DRAFT)
    lines = [line for line in md.split("\n") if line]
    assert lines[0] == f"# {TITLE}"
    assert "## 一、加强组织领导，健全帮扶机制" in lines
    assert "### （一）制定帮扶计划" in lines
    assert "#### 1.骨干教师示范课" in lines
    assert "**【待补充：跟岗学习的具体时间和经费支出金额】**" in lines
    assert lines[-2:] == [SCHOOL, DATE]
    assert len(lines) == len(DRAFT.blocks)
    assert "\n\n\n" not in md and md.endswith("\n")


def test_markdown_escapes_what_would_become_markup():
    blocks = [Block("title", "T"), Block("body", "1.第一点*重要*"), Block("body", "# 不是标题"), Block("body", "__年__月")]
    lines = [line for line in render_markdown(Draft("工作总结", "T", blocks)).split("\n") if line]
    assert lines[1:] == ["1\\.第一点\\*重要\\*", "\\# 不是标题", "\\_\\_年\\_\\_月"]


def test_text_is_one_paragraph_per_line():
    text = render_text(DRAFT)
    assert text.endswith("\n") and "\n\n" not in text
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == TITLE
    assert lines == [block_text(b) for b in DRAFT.blocks]
    assert lines[-2:] == [SCHOOL, DATE]


def test_write_draft_by_suffix(tmp_path):
    write_draft(DRAFT, tmp_path / "a.md")
    write_draft(DRAFT, tmp_path / "a.txt")
    write_draft(DRAFT, tmp_path / "a.docx")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == render_markdown(DRAFT)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == render_text(DRAFT)
    assert docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text.replace("\n", "") == TITLE


def test_write_draft_refuses_pdf(tmp_path):
    target = tmp_path / "a.pdf"
    with pytest.raises(ValueError, match="a.pdf") as info:
        write_draft(DRAFT, target)
    assert "不支持" in str(info.value) and "unsupported" in str(info.value)
    assert not target.exists()


# --------------------------------------------------------------------------- LibreOffice → PDF

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(t) for t in ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm"))
needs_office = pytest.mark.skipif(
    not (SOFFICE and POPPLER), reason="LibreOffice or poppler-utils not installed (scripts/test.sh installs them)"
)


# The Chinese fonts the draft names are Windows fonts; on Linux, fontconfig (which LibreOffice asks
# for a missing font) maps them to free faces of the same kind, so that the PDF shows each block
# kind in its own face: serif title, 仿宋-like body (a Ming face), 黑体 sans, 楷体 Kai.
FONT_ALIASES = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "AR PL UMing CN",
    "黑体": "Noto Sans CJK SC",
    "楷体_GB2312": "AR PL UKai CN",
    "宋体": "Noto Serif CJK SC",
}


def _fontconfig(directory: Path) -> Path:
    """A fontconfig file: the aliases above, then the system's configuration."""
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{face}</family></prefer></alias>"
        for name, face in FONT_ALIASES.items()
    )
    conf = directory / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        f"{aliases}<include ignore_missing='yes'>/etc/fonts/fonts.conf</include></fontconfig>",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, docx_bytes) -> Path:
    work = tmp_path_factory.mktemp("pdf")
    src = work / "draft.docx"
    src.write_bytes(docx_bytes)
    profile = work / "lo-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(work))}
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(src),
        ],
        timeout=120,
        capture_output=True,
        text=True,
        env=env,
    )
    out = work / "draft.pdf"
    assert done.returncode == 0 and out.exists(), f"LibreOffice wrote no PDF: {done.stdout}{done.stderr}"
    return out


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@needs_office
def test_pdf_pages(pdf):
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert abs(width - 595.28) <= 1 and abs(height - 841.89) <= 1
    assert pages >= 2


@needs_office
def test_pdf_fonts_are_cjk_one_face_per_kind(pdf):
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    names = [line.split()[0] for line in lines if line.strip()]
    cjk = re.compile(r"CJK|UKai|UMing|WenQuanYi|ZenHei|Song|Hei|Kai|Fang|[\u4e00-\u9fff]", re.I)
    assert names and all(cjk.search(name) for name in names), names
    # each block kind reached the renderer under its own font name (mapped by FONT_ALIASES), where
    # the free face it maps to is installed (scripts/test.sh installs them all)
    faces = {"Noto Serif CJK SC": "NotoSerifCJK", "AR PL UMing CN": "UMing", "Noto Sans CJK SC": "NotoSansCJK", "AR PL UKai CN": "UKai"}
    for family, face in faces.items():
        if shutil.which("fc-list") and _run("fc-list", family, "family").strip():
            assert any(face in name for name in names), (face, names)


def _pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1]


@needs_office
def test_pdf_text_has_every_block_and_page_numbers(pdf):
    pages = _pages_text(pdf)
    body = ""
    for number, page in enumerate(pages, 1):
        squeezed = re.sub(r"\s+", "", page)
        assert squeezed.endswith(f"—{number}—"), squeezed[-20:]  # the footer closes each page
        body += squeezed[: -len(f"—{number}—")]
    for block in DRAFT.blocks:
        assert re.sub(r"\s+", "", block_text(block)) in body, block


@needs_office
def test_pdf_lines_hold_28_characters_and_pages_22_lines(pdf):
    pages = _pages_text(pdf)
    lines = [line for page in pages for line in page.split("\n") if line.strip()]
    full = [line for line in lines if line.isascii() is False and not re.search(r"[\x21-\x7e]", line)]
    lengths = [len(line.strip()) for line in full]
    # a full body line is 28 characters (29 when a closing mark hangs past the margin), the first
    # line of a paragraph 26 after its two-character indent; nothing is longer
    assert max(lengths) <= 29
    assert lengths.count(28) >= 5 and lengths.count(26) >= 3
    # page 2 is text from top to bottom: 22 lines and the page number
    assert len([line for line in pages[1].split("\n") if line.strip()]) == 22 + 1


@needs_office
def test_pdf_page1_is_laid_out(pdf, tmp_path):
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    png = prefix.with_suffix(".png")
    shutil.copy(png, "/tmp/draft_page1.png")  # for a person to look at
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    width, height, pixels = _read_pgm(prefix.with_suffix(".pgm"))
    px_per_mm = 60 / 25.4
    assert abs(width - 210 * px_per_mm) <= 2 and abs(height - 297 * px_per_mm) <= 2

    def dark(x0: float, y0: float, x1: float, y1: float) -> int:
        """Dark pixels in the box given in millimetres from the page's top-left corner."""
        xs = range(int(x0 * px_per_mm), int(x1 * px_per_mm))
        count = 0
        for y in range(int(y0 * px_per_mm), int(y1 * px_per_mm)):
            row = pixels[y * width : (y + 1) * width]
            count += sum(1 for x in xs if row[x] < 128)
        return count

    # ink inside the text area; none in the outer band of the margins
    assert dark(28, 37, 184, 262) > 2000
    band = 8  # mm of plain paper along each edge, well inside every margin
    assert dark(0, 0, 210, band) == 0 and dark(0, 297 - band, 210, 297) == 0
    assert dark(0, 0, band, 297) == 0 and dark(210 - band, 0, 210, 297) == 0
    # the title line (first 28.95 pt line of the text area) is centred: ink balanced around 105 mm
    title_ink_left, title_ink_right = dark(28, 37, 105, 48), dark(105, 37, 184, 48)
    assert title_ink_left > 0 and abs(title_ink_left - title_ink_right) / (title_ink_left + title_ink_right) < 0.2
    # the page number sits in the footer below the text area, at the right (page 1 is odd)
    assert dark(28, 264, 105, 280) == 0 and dark(140, 264, 184, 280) > 0


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and 8-bit grey pixels of a binary PGM (P5) file."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P5" and maxval == 255
    pixels = data[pos + 1 : pos + 1 + width * height]
    assert len(pixels) == width * height
    return width, height, pixels
