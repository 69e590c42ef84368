"""Writers of a duplication check: SPEC JSON, one self-contained HTML page, an XLSX workbook.

They read only the plain records of `result.py`, so the checker and the web app can share them.
The HTML page is what a bureau officer opens and prints: it must work offline (no external CSS,
JS, fonts or images), show every report's text whole with the copied passages marked, and never
let a submitted report's text act as markup (Jinja2 autoescaping on every template variable).
Every file is written atomically, so an interrupted run never leaves half a report behind.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from summarizer.check.result import CheckRun, Match, ReportResult, band_of
from summarizer.io import templates
from summarizer.io.writers import atomic_write

TEMPLATE_NAME = "check_report.html.j2"
KIND_LABELS = {"reference": "参考文档", "submission": "其他报告"}
# Colours of the bands in the order of `CheckRun.bands` (low → high): green, amber, red.
BAND_COLOURS = ("#2e7d32", "#e08a00", "#c62828")
ERROR_LABEL = "错误"
ERROR_COLOUR = "#757575"
TOP_SOURCES = 3
EXCEL_CELL_MAX = 32767  # Excel refuses longer cell texts

SUMMARY_HEADERS = ("文件", "标题", "重复率", "等级", "匹配数", "主要来源", "错误", "参考库重复率", "参考库来源",
                   "报告间重复率", "报告间来源", "常用语")
COMMON_HEADERS = ("文件", "起", "止", "常用语", "参考文档篇数")
MATCH_HEADERS = ("文件", "起", "止", "来源", "来源类型", "来源起", "来源止", "相似度", "报告片段", "来源片段")


# --------------------------------------------------------------------------- JSON


def to_json(run: CheckRun) -> list[dict]:
    """SPEC `check --format json`: one object per report, in the order the reports were given."""
    return [r.to_dict() for r in run.reports]


# --------------------------------------------------------------------------- text geometry


@dataclass(frozen=True)
class Segment:
    """A stretch of report text with the numbers of the matches covering it.

    `opens` are the matches that begin here: the page labels and anchors them at this spot.
    """

    text: str
    numbers: tuple[int, ...] = ()
    opens: tuple[int, ...] = ()


def ordered_matches(result: ReportResult) -> list[Match]:
    """Matches in reading order; a match's number on the page is its 1-based place in this list."""
    return sorted(result.matches, key=lambda m: (m.start, m.end, m.source, m.source_start))


def clipped_spans(matches: Sequence[Match], length: int) -> list[tuple[int, int, int]]:
    """`(start, end, number)` of each match, clipped to the text; empty spans dropped.

    Offsets come from another module; clipping keeps a bad offset from cutting or repeating text.
    """
    spans = []
    for number, m in enumerate(matches, 1):
        start, end = (max(0, min(x, length)) for x in (m.start, m.end))
        if start < end:
            spans.append((start, end, number))
    return spans


def highlight_segments(text: str, matches: Sequence[Match]) -> list[Segment]:
    """Cut `text` at every match boundary so that overlapping or touching matches never duplicate
    or drop a character: the segments' texts concatenate to `text`, and each stretch carries the
    set of matches covering it (adjacent stretches with the same set are merged)."""
    spans = clipped_spans(matches, len(text))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = tuple(n for s, e, n in spans if s <= a and b <= e)
        opens = tuple(n for s, _, n in spans if s == a)
        if segments and segments[-1].numbers == cover and not opens:
            last = segments[-1]
            segments[-1] = Segment(last.text + text[a:b], last.numbers, last.opens)
        else:
            segments.append(Segment(text[a:b], cover, opens))
    return segments


def paragraphs_of(segments: Iterable[Segment]) -> list[list[Segment]]:
    """Split segments at newlines into paragraphs (a mark crossing a line break becomes one mark
    per paragraph); a match's label moves to its first non-empty piece so it is never lost."""
    paragraphs: list[list[Segment]] = [[]]
    for seg in segments:
        pending = seg.opens
        for i, piece in enumerate(seg.text.split("\n")):
            if i:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(Segment(piece, seg.numbers, pending))
                pending = ()
    return paragraphs


def covered_length(spans: Iterable[tuple[int, int, Any]]) -> int:
    """Characters covered by the union of `spans` (overlaps counted once)."""
    total, reach = 0, 0
    for start, end, _ in sorted(spans):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def source_label(m: Match) -> str:
    """How a source is named to a reader: its title if the index knows one, else its id or path."""
    return m.source_title or m.source


def top_sources(result: ReportResult, n: int = TOP_SOURCES) -> list[tuple[str, int]]:
    """The `n` sources covering most of the report's characters: `[(label, characters), …]`."""
    matches = ordered_matches(result)
    spans = clipped_spans(matches, len(result.text))
    by_source: dict[str, list[tuple[int, int, int]]] = {}
    for span in spans:
        by_source.setdefault(matches[span[2] - 1].source, []).append(span)
    labels = {m.source: source_label(m) for m in matches}
    ranked = sorted(((labels[s], covered_length(v)) for s, v in by_source.items()),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:n]


# --------------------------------------------------------------------------- presentation helpers


def percent(ratio: float | None) -> str:
    """A ratio as the page shows it: `0.4237` → `42.4%`."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def band_name(result: ReportResult, run: CheckRun) -> str:
    """The result's band, or the one its ratio falls in if the checker left it empty."""
    if result.error:
        return ERROR_LABEL
    return result.band or band_of(result.duplicate_ratio, run.bands)


def band_colour(band: str, run: CheckRun) -> str:
    """The colour of a band by its rank among the run's bands (errors and unknown bands: grey)."""
    names = [name for _, name in run.bands]
    if band not in names:
        return ERROR_COLOUR
    return BAND_COLOURS[min(names.index(band), len(BAND_COLOURS) - 1)]


def band_legend(run: CheckRun) -> list[dict[str, str]]:
    """The bands with their ranges in words: 原创为主 低于 15%, 部分套用 15%–40%, 大量套用 40% 及以上."""
    legend, lower = [], 0.0
    for upper, name in run.bands:
        low, high = f"{lower * 100:g}%", f"{upper * 100:g}%"
        if upper >= 1.0:
            words = f"{low} 及以上"
        elif lower <= 0:
            words = f"低于 {high}"
        else:
            words = f"{low}–{high}"
        legend.append({"name": name, "range": words, "colour": band_colour(name, run)})
        lower = upper
    return legend


def thresholds(run: CheckRun) -> list[float]:
    """Band boundaries inside 0–100% (15% and 40% by default), drawn as lines on the chart."""
    return [upper for upper, _ in run.bands[:-1] if 0 < upper < 1]


def kind_sources_text(result: ReportResult, kind: str, n: int = TOP_SOURCES) -> str:
    """The sources of one kind in one line: `标题（120字）；…` (the reference index, or other reports)."""
    return "；".join(f"{s['title'] or s['source']}（{s['chars']}字）" for s in result.sources(kind)[:n])


def sources_text(result: ReportResult) -> str:
    """The main sources in one line, for the workbook: `标题（120字）；…`."""
    return "；".join(f"{label}（{chars}字）" for label, chars in top_sources(result))


# --------------------------------------------------------------------------- HTML view model


def _match_view(m: Match, number: int, report_text: str, anchor: str) -> dict[str, Any]:
    """One row of a report's match table (report passage beside source passage)."""
    return {
        "number": number,
        "anchor": f"{anchor}-m{number}",
        "start": m.start, "end": m.end,
        "text": m.text or report_text[max(0, m.start):max(0, m.end)],
        "source": m.source,
        "label": source_label(m),
        "kind": KIND_LABELS.get(m.source_kind, m.source_kind),
        "source_start": m.source_start, "source_end": m.source_end,
        "source_text": m.source_text,
        "similarity": percent(m.similarity),
    }


def _mark_title(numbers: Sequence[int], rows: Sequence[dict[str, Any]]) -> str:
    """The tooltip of a highlighted stretch: which match(es) and source(s) it comes from."""
    return "\n".join(f"[{n}] 来源：{rows[n - 1]['label']}（{rows[n - 1]['kind']}，相似度 {rows[n - 1]['similarity']}）"
                     for n in numbers)


def _paragraph_views(result: ReportResult, rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The report text as paragraphs of plain and marked pieces, ready for the template."""
    segments = highlight_segments(result.text, ordered_matches(result))
    return [[{"text": s.text, "numbers": s.numbers, "opens": s.opens,
              "label": ",".join(map(str, s.opens)), "title": _mark_title(s.numbers, rows)}
             for s in para] for para in paragraphs_of(segments)]


def _report_view(result: ReportResult, index: int, run: CheckRun) -> dict[str, Any]:
    """Everything the page shows about one report: summary row, and its section unless an error."""
    anchor = f"r{index}"
    band = band_name(result, run)
    matches = ordered_matches(result)
    rows = [] if result.error else [_match_view(m, n, result.text, anchor) for n, m in enumerate(matches, 1)]
    covered = covered_length(clipped_spans(matches, len(result.text)))
    return {
        "number": index, "anchor": anchor, "file": result.file, "title": result.title, "error": result.error,
        "ratio": None if result.error else result.duplicate_ratio,
        "ratio_text": "—" if result.error else percent(result.duplicate_ratio),
        "band": band, "colour": band_colour(band, run),
        "sources": [] if result.error else top_sources(result),
        "index_ratio_text": "—" if result.error else percent(result.index_ratio),
        "batch_ratio_text": "—" if result.error else percent(result.batch_ratio),
        "index_sources": [] if result.error else result.sources("reference")[:TOP_SOURCES],
        "batch_sources": [] if result.error else result.sources("submission")[:TOP_SOURCES],
        "common": [] if result.error else [c.to_dict() for c in result.common],
        "match_count": len(rows), "matches": rows,
        "chars": len(result.text), "covered": covered,
        "paragraphs": [] if result.error else _paragraph_views(result, rows),
    }


CHART_WIDTH, CHART_LABEL, CHART_BAR, CHART_ROW, CHART_TOP = 760, 230, 440, 24, 26


def _short(name: str, limit: int = 18) -> str:
    """A file name short enough for the chart's label column (the full path goes in a tooltip)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if len(base) <= limit else base[: limit - 1] + "…"


def _chart(reports: Sequence[dict[str, Any]], run: CheckRun) -> dict[str, Any]:
    """Geometry of the inline SVG bar chart: one bar per report, band threshold lines on top."""
    bars = []
    for i, r in enumerate(reports):
        ratio = r["ratio"]
        width = 0.0 if ratio is None else max(0.0, min(1.0, ratio)) * CHART_BAR
        y = CHART_TOP + i * CHART_ROW
        bars.append({"y": y, "text_y": y + CHART_ROW * 0.65, "width": round(width, 1),
                     "value_x": round(CHART_LABEL + width + 6, 1), "label": _short(r["file"]),
                     "file": r["file"], "colour": r["colour"], "value": r["ratio_text"] if ratio is not None
                     else ERROR_LABEL, "anchor": r["anchor"], "error": ratio is None})
    height = CHART_TOP + len(reports) * CHART_ROW + 8
    lines = [{"x": round(CHART_LABEL + t * CHART_BAR, 1), "label": f"{t * 100:g}%"} for t in thresholds(run)]
    return {"width": CHART_WIDTH, "height": height, "x0": CHART_LABEL, "bar_width": CHART_BAR,
            "x1": CHART_LABEL + CHART_BAR, "bar_height": CHART_ROW - 8, "bars": bars, "lines": lines,
            "top": CHART_TOP - 6, "bottom": height - 4}


PASSAGE_SHOWN = 60  # characters of a linking passage shown in the cluster list


def _clusters(run: CheckRun, reports: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each cluster's members, linked to their report sections when the file was checked, and the
    passages linking them (each pair once, its longest passage shown)."""
    anchors = {r["file"]: r["anchor"] for r in reports if not r["error"]}
    out = []
    for group in run.clusters:
        links = []
        for link in run.cluster_links(group):
            passage = max(link.passages, key=len)
            shown = passage if len(passage) <= PASSAGE_SHOWN else passage[:PASSAGE_SHOWN] + "…"
            links.append({"a": link.a, "b": link.b, "count": len(link.passages), "passage": shown})
        out.append({"members": [{"file": f, "anchor": anchors.get(f)} for f in group], "links": links})
    return out


def page_context(run: CheckRun) -> dict[str, Any]:
    """The template's variables: plain data only, so every document string is escaped by Jinja."""
    reports = [_report_view(r, i, run) for i, r in enumerate(run.reports, 1)]
    return {
        "reports": reports,
        "report_count": len(reports),
        "error_count": sum(1 for r in reports if r["error"]),
        "index_documents": run.index_documents,
        "common_df": run.common_df,
        "min_match": run.min_match,
        "legend": band_legend(run),
        "chart": _chart(reports, run),
        "clusters": _clusters(run, reports),
    }


# --------------------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment: autoescaping always on (reports are untrusted text), undefined
    variables fail loudly instead of rendering as blanks."""
    return templates.environment(autoescape=True)


def render_html(run: CheckRun) -> str:
    """The whole check as one self-contained Chinese HTML page."""
    return environment().get_template(TEMPLATE_NAME).render(**page_context(run))


def write_html(run: CheckRun, path: str | os.PathLike[str]) -> None:
    """Write the HTML page atomically."""
    atomic_write(path, render_html(run))


# --------------------------------------------------------------------------- XLSX


def cell_text(value: str) -> str:
    """A string Excel accepts: control characters removed, cut to Excel's cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= EXCEL_CELL_MAX else value[: EXCEL_CELL_MAX - 1] + "…"


def append_row(ws: Worksheet, values: Sequence[Any]) -> None:
    """Append a row; strings stay strings (a passage starting with `=` must not become a formula)."""
    ws.append([cell_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def display_width(value: Any) -> int:
    """Columns a value needs: wide (CJK) characters count two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def style_sheet(ws: Worksheet, caps: Sequence[int], wrap: Iterable[int] = ()) -> None:
    """Bold frozen header, filter, and widths fitted to the content up to each column's cap."""
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col, cap in enumerate(caps, 1):
        widest = max((display_width(c.value) for c in next(ws.iter_cols(col, col))), default=4)
        ws.column_dimensions[get_column_letter(col)].width = max(6, min(cap, widest + 2))
    for col in wrap:
        for cell in next(ws.iter_cols(col, col, min_row=2)):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def summary_sheet(ws: Worksheet, run: CheckRun) -> None:
    """Sheet 汇总: one row per report, ratio as a number formatted as a percentage."""
    ws.title = "汇总"
    append_row(ws, SUMMARY_HEADERS)
    for r in run.reports:
        ratio = None if r.error else r.duplicate_ratio
        append_row(ws, [r.file, r.title, ratio, band_name(r, run), 0 if r.error else len(r.matches),
                        "" if r.error else sources_text(r), r.error or "",
                        None if r.error else r.index_ratio, "" if r.error else kind_sources_text(r, "reference"),
                        None if r.error else r.batch_ratio, "" if r.error else kind_sources_text(r, "submission"),
                        0 if r.error else len(r.common)])
        for col in (3, 8, 10):
            ws.cell(ws.max_row, col).number_format = "0.0%"
    style_sheet(ws, caps=(40, 30, 10, 10, 8, 60, 40, 12, 60, 12, 60, 8), wrap=(6, 7, 9, 11))


def matches_sheet(ws: Worksheet, run: CheckRun) -> None:
    """Sheet 匹配: one row per match, the report passage beside the source passage."""
    append_row(ws, MATCH_HEADERS)
    for r in run.reports:
        if r.error:
            continue
        for m in ordered_matches(r):
            passage = m.text or r.text[max(0, m.start):max(0, m.end)]
            append_row(ws, [r.file, m.start, m.end, m.source, KIND_LABELS.get(m.source_kind, m.source_kind),
                            m.source_start, m.source_end, m.similarity, passage, m.source_text])
            ws.cell(ws.max_row, 8).number_format = "0.0%"
    style_sheet(ws, caps=(40, 8, 8, 40, 10, 8, 8, 8, 60, 60), wrap=(9, 10))


def common_sheet(ws: Worksheet, run: CheckRun) -> None:
    """Sheet 常用语: the common phrases of every report, not counted in its ratios."""
    append_row(ws, COMMON_HEADERS)
    for r in run.reports:
        for c in r.common:
            append_row(ws, [r.file, c.start, c.end, c.text, c.documents])
    style_sheet(ws, caps=(40, 8, 8, 60, 12), wrap=(4,))


def build_workbook(run: CheckRun) -> Workbook:
    """The workbook with sheets 汇总, 匹配 and 常用语."""
    wb = Workbook()
    summary_sheet(wb.active, run)
    matches_sheet(wb.create_sheet("匹配"), run)
    common_sheet(wb.create_sheet("常用语"), run)
    return wb


def write_xlsx(run: CheckRun, path: str | os.PathLike[str]) -> None:
    """Write the workbook atomically (saved to memory first, then renamed into place)."""
    buffer = io.BytesIO()
    build_workbook(run).save(buffer)
    atomic_write(path, buffer.getvalue())


__all__ = [
    "Segment", "build_workbook", "highlight_segments", "page_context", "paragraphs_of", "render_html",
    "to_json", "top_sources", "write_html", "write_xlsx",
]
