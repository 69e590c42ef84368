"""The Word renderer of a `Draft`, in the GB/T 9704-2012 layout.

School staff hand the draft on in Word, and reviewers expect the look of an official document
(党政机关公文格式, GB/T 9704-2012), so the `.docx` follows the standard's numbers:

- A4 paper (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which leave
  a 156 × 225 mm text area (版心);
- 22 lines of 28 characters in 3号 (16 pt) 仿宋_GB2312 fill that text area. Word and LibreOffice
  lay CJK text on the section's document grid (`w:docGrid type="linesAndChars"`), computed in
  `layout_grid()` from the text area: `linePitch` is the text height over 22 lines, rounded down
  to a twip, and `charSpace` the amount (in 1/4096 pt) by which a grid cell is narrower than the
  16 pt font so that 28 cells fit the text width. Every paragraph also gets that line pitch as an
  exact line spacing, so a renderer that ignores the grid still sets 22 lines a page. Two details
  make LibreOffice agree with Word (checked by converting to PDF in the tests): glyphs on the grid
  are scaled to 98 % (`w:w`), as LibreOffice gives a glyph wider than a cell two cells, and
  indents are given in characters (`w:firstLineChars`, read by Word and WPS) and in twips a hair
  under whole cells (read by LibreOffice, which rounds them up to cells);
- title in 2号 (22 pt) 方正小标宋简体, centred, off the grid (a 22 pt glyph would take two cells),
  a title longer than a line broken into balanced lines between words (`title_lines`), one blank
  line below it; level-1 headings in 黑体, level-2 in 楷体_GB2312, level-3 in 仿宋_GB2312 bold,
  all 3号 and, like body paragraphs, indented two characters (the standard's examples indent the
  层次序数 like the text);
- page numbers `— 1 —` in 4号 (14 pt) 宋体 in the footer, the em-dash line 7 mm below the text
  area, placed *outside* as the standard says (单页码居右空一字，双页码居左空一字): odd pages
  right-aligned one character in from the right, even pages left-aligned one character in;
- signoff (落款) and date right-aligned with a right indent of four characters, one blank line
  below the text;
- `todo` blocks red on yellow, so the user sees at once what is still to be filled in.

Fonts are named in every run's `w:rFonts` for East Asian text (`w:eastAsia`) as well as Latin
(`w:ascii`/`w:hAnsi`): Word picks the font of a CJK character from `w:eastAsia` alone, which
python-docx's `run.font.name` does not set. The font table carries, for each of these Chinese
fonts that a machine may lack, the GB2312 charset, the font family and an `altName` of a font
that every Chinese Windows has (宋体, 黑体, 楷体, 仿宋), so that Word substitutes a face of the same
kind (serif for the title, 宋体-like) rather than a Latin default.

The standard's numbers and the grid are in `gbt9704.py`; Markdown and plain text in
`text_render.py`.
"""

from __future__ import annotations

import io
import itertools
import math
import os
from dataclasses import dataclass
from datetime import datetime, timezone

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from summarizer.compose.draft import Block, Draft
from summarizer.compose.gbt9704 import (
    BODY_FONT,
    BODY_PT,
    FONT_TABLE,
    GRID,
    GRID_CHAR_SCALE,
    HEADING1_FONT,
    HEADING2_FONT,
    HEADING3_FONT,
    LANGUAGE,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_PT,
    TITLE_FONT,
    TITLE_PT,
)
from summarizer.compose.text_render import block_text, draft_blocks, one_line
from summarizer.io.writers import atomic_write

_INDENT_CELL_TWIPS = 314  # 15.7 pt: see `_add_block`


@dataclass(frozen=True)
class _Look:
    """How one block kind is set."""

    font: str
    size_pt: float
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line_chars: int = 2  # first-line indent, in characters
    right_chars: int = 0  # right indent, in characters
    outline_level: int | None = None  # 0 = level 1 in Word's navigation pane
    keep_with_next: bool = False
    todo: bool = False


_LOOKS: dict[str, _Look] = {
    "title": _Look(TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=0, keep_with_next=True),
    "heading1": _Look(HEADING1_FONT, BODY_PT, outline_level=0, keep_with_next=True),
    "heading2": _Look(HEADING2_FONT, BODY_PT, outline_level=1, keep_with_next=True),
    "heading3": _Look(HEADING3_FONT, BODY_PT, bold=True, outline_level=2, keep_with_next=True),
    "body": _Look(BODY_FONT, BODY_PT),
    "signoff": _Look(BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=0, right_chars=4),
    "date": _Look(BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=0, right_chars=4),
    "todo": _Look(BODY_FONT, BODY_PT, todo=True),
}

# The font each block kind is set in (East Asian and Latin alike): what the tests check.
FONTS: dict[str, str] = {kind: look.font for kind, look in _LOOKS.items()}


# --------------------------------------------------------------------------- block text

def _title_of(draft: Draft) -> str:
    if one_line(draft.title):
        return one_line(draft.title)
    return next((block_text(b) for b in draft.blocks if b.kind == "title" and block_text(b)), "")


# --------------------------------------------------------------------------- Word


def _set_fonts(rpr, font: str) -> None:
    """Name `font` for Latin and East Asian text in an `w:rPr` (Word reads `w:eastAsia` for CJK).

    `w:hint="eastAsia"` makes Word draw characters shared by both scripts (quotes, the em dash)
    in the East Asian font, as full-width forms, as Chinese typesetting expects.
    """
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.lower().endswith("theme"):  # a theme font would override the explicit names
            del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


# Children of w:rPr that come after w:w in the schema's order (Word rejects a misordered rPr).
_AFTER_W = tuple(
    qn(t)
    for t in (
        "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
        "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    )
)
# Children of w:pPr that come after w:snapToGrid.
_AFTER_SNAP = tuple(
    qn(t)
    for t in (
        "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
        "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    )
)


def _insert_before(parent, child, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first of `successors` present in `parent`, else at the end."""
    for el in parent:
        if el.tag in successors:
            el.addprevious(child)
            return
    parent.append(child)


def _set_scale(rpr, percent: int = GRID_CHAR_SCALE) -> None:
    """Scale glyph widths (`w:w`) so that a 3号 character fits one cell of the character grid.

    28 characters a line make a grid cell 15.79 pt wide, narrower than a 16 pt full-width glyph.
    Word keeps such a glyph to one cell, but LibreOffice gives every glyph wider than a cell
    two cells, and would set 14 characters a line. At 98 % (15.68 pt) the glyph fits one cell in
    both (LibreOffice rounds the cell down to 15.73 pt); the difference is not visible.
    """
    el = rpr.find(qn("w:w"))
    if el is None:
        el = OxmlElement("w:w")
        _insert_before(rpr, el, _AFTER_W)
    el.set(qn("w:val"), str(percent))


def _snap_off(ppr) -> None:
    """Take a paragraph off the document grid (`w:snapToGrid w:val="0"`).

    Both Word and LibreOffice give a glyph wider than a grid cell two cells, which spreads a
    22 pt title out over twice its width; 公文 templates take the title off the grid for this.
    """
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    _insert_before(ppr, el, _AFTER_SNAP)


def _set_size(rpr, size_pt: float) -> None:
    half_points = str(round(size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), half_points)


def _exact_spacing(ppr, line: int, rule: str = "exact", before: int = 0, after: int = 0) -> None:
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    spacing.attrib.clear()
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    spacing.set(qn("w:line"), str(line))
    spacing.set(qn("w:lineRule"), rule)


def _setup_defaults(document: DocxDocument) -> None:
    """Document defaults and the Normal style: 仿宋_GB2312 16 pt, zh-CN, exact grid line spacing.

    Text typed later by the user in Word then looks like the body, not like Calibri 11 pt.
    """
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    _set_scale(rpr)
    _set_size(rpr, BODY_PT)
    _set_lang(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _exact_spacing(ppr, GRID.line_pitch)

    normal = document.styles["Normal"]
    n_rpr = normal.element.get_or_add_rPr()
    _set_fonts(n_rpr, BODY_FONT)
    _set_scale(n_rpr)
    _set_size(n_rpr, BODY_PT)
    _set_lang(n_rpr)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Twips(GRID.line_pitch)
    normal.paragraph_format.space_before = Twips(0)
    normal.paragraph_format.space_after = Twips(0)
    normal.paragraph_format.widow_control = False  # 公文 fill every grid line


def _setup_settings(document: DocxDocument) -> None:
    """Odd/even footers (for the outside page numbers) and Chinese theme-font language."""
    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    el = settings.element
    theme_lang = el.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)


def _setup_font_table(document: DocxDocument) -> None:
    """Describe the Chinese fonts in `word/fontTable.xml`, so that a machine lacking one
    substitutes a Chinese face of the same kind (charset GB2312, family, altName)."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, family, panose) in FONT_TABLE.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alt),
            ("w:panose1", panose),
            ("w:charset", "86"),
            ("w:family", family),
            ("w:pitch", "variable"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_section(document: DocxDocument) -> None:
    """A4 portrait, the GB/T 9704 margins and the 22 × 28 document grid."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(GRID.page_width)
    section.page_height = Twips(GRID.page_height)
    section.top_margin = Twips(GRID.top)
    section.bottom_margin = Twips(GRID.bottom)
    section.left_margin = Twips(GRID.left)
    section.right_margin = Twips(GRID.right)
    section.header_distance = Twips(GRID.header)
    section.footer_distance = Twips(GRID.footer)
    section.gutter = Twips(0)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(GRID.line_pitch))
    grid.set(qn("w:charSpace"), str(GRID.char_space))


def _page_number(paragraph: Paragraph, outside: WD_ALIGN_PARAGRAPH) -> None:
    """`— PAGE —` in 4号 宋体, one character in from the outside edge of the text area."""
    paragraph.alignment = outside
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Twips(0)
    one_char = Pt(PAGE_NUMBER_PT)
    if outside == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = one_char
    else:
        fmt.left_indent = one_char

    def run(text: str | None = None):
        r = paragraph.add_run(text)
        rpr = r._element.get_or_add_rPr()
        _set_fonts(rpr, PAGE_NUMBER_FONT)
        _set_size(rpr, PAGE_NUMBER_PT)
        return r

    def field_char(kind: str) -> None:
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        run()._element.append(fc)

    run("— ")
    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._element.append(instr)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")


def _setup_footers(document: DocxDocument) -> None:
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


_NO_BREAK_BEFORE = set("，。、；：？！）》〉」』】”’—…·～-")
_NO_BREAK_AFTER = set("（《〈「『【“‘—·-")


def _char_width(ch: str) -> float:
    """Width in ems: ASCII (digits, Latin) is half-width, everything else full-width."""
    return 0.5 if ord(ch) < 0x2000 else 1.0


def _text_width(text: str) -> float:
    return sum(_char_width(ch) for ch in text)


def _title_breaks(title: str) -> list[int]:
    """Where the title may break: between words, never inside `2024年`, `2023—2024学年` or
    before a closing (after an opening) punctuation mark."""
    try:
        from summarizer.analyse.segment import words

        tokens = words(title)
    except Exception:  # the segmenter is optional here: fall back to character boundaries
        tokens = list(title)
    if "".join(tokens) != title:
        tokens = list(title)
    breaks: list[int] = []
    pos = 0
    for token in tokens[:-1]:
        pos += len(token)
        before, after = title[pos - 1], title[pos]
        if before in _NO_BREAK_AFTER or after in _NO_BREAK_BEFORE:
            continue
        if before.isascii() and before.isalnum() or after.isascii() and after.isalnum():
            continue
        breaks.append(pos)
    return breaks


def title_lines(title: str, capacity: float | None = None, breaks: tuple[int, ...] = ()) -> list[str]:
    """The title cut into balanced lines at word boundaries, when it does not fit one line.

    GB/T 9704 wants a title that runs over a line broken where the words allow, its lines of
    similar length (梯形 or 菱形), not wrapped wherever the line happens to end (`…结对帮` /
    `扶工作总结`). `capacity` is the line width in ems of the 22 pt title font (20). `breaks`
    are word boundaries the caller knows (else jieba finds them, at a second of start-up).
    """
    if capacity is None:
        capacity = math.floor(GRID.text_width / 20 / TITLE_PT)
    if _text_width(title) <= capacity:
        return [title]
    known = [b for b in breaks if 0 < b < len(title)]
    for candidates in (known or _title_breaks(title), list(range(1, len(title)))):
        for count in range(2, len(candidates) + 2):
            best: tuple[tuple[float, float], list[str]] | None = None
            for cuts in itertools.combinations(candidates, count - 1):
                bounds = [0, *cuts, len(title)]
                lines = [title[a:b] for a, b in zip(bounds, bounds[1:])]
                widths = [_text_width(line) for line in lines]
                if max(widths) > capacity:
                    continue
                # balanced lines first; among equals, the shorter line on top (正梯形)
                key = (max(widths) - min(widths), widths[0] - widths[-1])
                if best is None or key < best[0]:
                    best = (key, lines)
            if best is not None:
                return best[1]
    return [title]


def _add_block(document: DocxDocument, block: Block, space_before: int = 0,
               title_breaks: tuple[int, ...] = ()) -> None:
    look = _LOOKS.get(block.kind, _LOOKS["body"])
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment = look.align
    ppr = paragraph._p.get_or_add_pPr()
    if block.kind == "title":
        # "at least" one grid line: a 22 pt face taller than 28.95 pt is not clipped.
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Twips(GRID.line_pitch)
        fmt.space_after = Twips(GRID.line_pitch)  # 标题下空一行
    if space_before:
        fmt.space_before = Twips(space_before)
    if look.keep_with_next:
        fmt.keep_with_next = True
    # Indents in characters (w:*Chars, what Word shows as 字符), plus twips for renderers that
    # read only those: a hair under the 15.79 pt cell, as LibreOffice rounds an indent up to
    # whole cells of its own (15.73 pt), and 2 × 15.79 pt would take three.
    cell = _INDENT_CELL_TWIPS
    if look.first_line_chars:
        fmt.first_line_indent = Twips(look.first_line_chars * cell)
    if look.right_chars:
        fmt.right_indent = Twips(look.right_chars * cell)
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        if look.first_line_chars:
            ind.set(qn("w:firstLineChars"), str(look.first_line_chars * 100))
        if look.right_chars:
            ind.set(qn("w:rightChars"), str(look.right_chars * 100))
    if look.outline_level is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(look.outline_level))
        ppr.append(outline)

    if block.kind == "title":
        _snap_off(ppr)
        lines = title_lines(block_text(block), breaks=title_breaks if block.text == block_text(block) else ())
    else:
        lines = [block_text(block)]
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i + 1 < len(lines):
            run.add_break()  # a line break inside the title paragraph
        rpr = run._element.get_or_add_rPr()
        _set_fonts(rpr, look.font)
        run.font.bold = look.bold
        if block.kind != "title":
            _set_scale(rpr)
        _set_size(rpr, look.size_pt)
        if look.todo:
            run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _core_properties(document: DocxDocument, draft: Draft, blocks: list[Block]) -> None:
    props = document.core_properties
    props.title = _title_of(draft)
    props.subject = draft.kind
    props.language = LANGUAGE
    signoff = next((block_text(b) for b in blocks if b.kind == "signoff"), "")
    props.author = signoff
    props.last_modified_by = signoff
    props.comments = ""
    props.keywords = draft.kind
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1


def render_docx(draft: Draft) -> bytes:
    """The draft as a `.docx` in the GB/T 9704 layout (see the module docstring)."""
    document = docx.Document()
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty paragraph, if any
        body.remove(p)
    _setup_defaults(document)
    _setup_settings(document)
    _setup_font_table(document)
    _setup_section(document)
    _setup_footers(document)
    blocks = draft_blocks(draft)
    previous = ""
    for block in blocks:
        before = 0
        if block.kind in ("signoff", "date") and previous not in ("signoff", "date", ""):
            before = GRID.line_pitch  # 正文下空一行 before the signoff
        _add_block(document, block, before, draft.title_breaks if block.text == draft.title else ())
        previous = block.kind
    _core_properties(document, draft, blocks)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_docx(draft: Draft, path: str | os.PathLike[str]) -> None:
    """Write the Word draft whole or not at all (a half-written `.docx` is an unreadable zip)."""
    atomic_write(path, render_docx(draft))



__all__ = ["FONTS", "render_docx", "title_lines", "write_docx"]
