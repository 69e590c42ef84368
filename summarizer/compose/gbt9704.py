"""The numbers of GB/T 9704-2012 (党政机关公文格式) a Word draft is laid out by: paper, margins,
lines and characters a page, sizes and fonts, and the document grid Word and LibreOffice set CJK
text on (derived in `layout_grid`; see `docx_render.py` for how each number is used).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

TITLE_PT = 22.0  # 2号
BODY_PT = 16.0  # 3号
PAGE_NUMBER_PT = 14.0  # 4号
PAGE_NUMBER_BELOW_TEXT_MM = 7.0  # 一字线上距版心下边缘 7 mm
HEADER_DISTANCE_MM = 15.0  # no header is printed; any value inside the top margin does

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
HEADING3_FONT = BODY_FONT
PAGE_NUMBER_FONT = "宋体"

# Glyph width in percent for text on the character grid (see `_set_scale`).
GRID_CHAR_SCALE = 98

LANGUAGE = "zh-CN"

# name -> (altName, w:family, panose1): how Word substitutes a missing Chinese font (see module doc).
FONT_TABLE: dict[str, tuple[str, str, str]] = {
    TITLE_FONT: ("宋体", "roman", "02010600030101010101"),
    BODY_FONT: ("仿宋", "modern", "02010609030101010101"),
    HEADING1_FONT: ("SimHei", "modern", "02010609060101010101"),
    HEADING2_FONT: ("楷体", "modern", "02010609030101010101"),
    PAGE_NUMBER_FONT: ("SimSun", "auto", "02010600030101010101"),
}

_TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    """Millimetres to twips (1/20 pt), the unit of Word's section properties."""
    return round(mm * _TWIPS_PER_MM)


@dataclass(frozen=True)
class LayoutGrid:
    """The page geometry in twips and the document grid derived from it."""

    page_width: int
    page_height: int
    top: int
    bottom: int
    left: int
    right: int
    footer: int
    header: int
    text_width: int
    text_height: int
    line_pitch: int  # twips per line: w:docGrid/@w:linePitch and the exact line spacing
    char_space: int  # 1/4096 pt added to the 16 pt font per grid cell: w:docGrid/@w:charSpace

    @property
    def char_pitch_pt(self) -> float:
        """The width of one grid cell (one character), in points."""
        return BODY_PT + self.char_space / 4096


def layout_grid() -> LayoutGrid:
    """The GB/T 9704 page in twips, and the grid that fits 22 lines × 28 characters in it.

    Text area: 11906 − 1587 − 1474 = 8845 twips (442.25 pt) wide, 16838 − 2098 − 1984 = 12756
    twips (637.8 pt) high. Line pitch: ⌊12756 / 22⌋ = 579 twips (28.95 pt; 22 lines take 12738).
    Character pitch: 442.25 / 28 = 15.7946 pt, i.e. 0.2054 pt narrower than the 16 pt font;
    in 1/4096 pt that is −841.1, rounded down to −842 so that 28 cells (442.244 pt) never
    overflow the line.

    The footer distance (page bottom to the footer paragraph's bottom) puts the middle of the
    14 pt page-number line, drawn single-spaced about 1.3 em high, 7 mm below the text area.
    """
    page_w, page_h = mm_to_twips(PAGE_WIDTH_MM), mm_to_twips(PAGE_HEIGHT_MM)
    top, bottom = mm_to_twips(MARGIN_TOP_MM), mm_to_twips(MARGIN_BOTTOM_MM)
    left, right = mm_to_twips(MARGIN_LEFT_MM), mm_to_twips(MARGIN_RIGHT_MM)
    text_w, text_h = page_w - left - right, page_h - top - bottom
    line_pitch = text_h // LINES_PER_PAGE
    char_space = math.floor((text_w / 20 / CHARS_PER_LINE - BODY_PT) * 4096)
    number_line_mm = PAGE_NUMBER_PT * 1.3 * 25.4 / 72
    footer = mm_to_twips(MARGIN_BOTTOM_MM - PAGE_NUMBER_BELOW_TEXT_MM - number_line_mm / 2)
    return LayoutGrid(
        page_width=page_w,
        page_height=page_h,
        top=top,
        bottom=bottom,
        left=left,
        right=right,
        footer=footer,
        header=mm_to_twips(HEADER_DISTANCE_MM),
        text_width=text_w,
        text_height=text_h,
        line_pitch=line_pitch,
        char_space=char_space,
    )


GRID = layout_grid()
