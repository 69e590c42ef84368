"""The check writers (JSON, HTML, XLSX) on hand-built check results made of real corpus text.

The reports are cleaned corpus articles with sentences of other corpus articles pasted in, so the
match offsets are real: `report.text[m.start:m.end] == source_text[m.source_start:m.source_end]`.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import openpyxl
import pytest

from summarizer.check import report
from summarizer.check.report import (
    highlight_segments,
    paragraphs_of,
    render_html,
    to_json,
    write_html,
    write_xlsx,
)
from summarizer.check.result import CheckRun, Match, ReportResult, band_of

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "corpus" / "clean"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --------------------------------------------------------------------------- corpus text


def _doc(stem: str) -> str:
    return (CLEAN / f"{stem}.txt").read_text(encoding="utf-8").strip("\n")


def _lines(stem: str) -> list[str]:
    return [line for line in _doc(stem).split("\n") if line.strip()]


def _sentences(stem: str, count: int, min_len: int = 20) -> list[str]:
    """The first `count` whole sentences of an article of at least `min_len` characters."""
    found = [s for s in re.findall(r"[^。\n]+。", _doc(stem)) if len(s) >= min_len]
    assert len(found) >= count, stem
    return found[:count]


REF1, REF2, REF3, REF4 = ("004_3e8b8ef1052bef1e_ed7069e0_03", "003_aa8f4e545c546013_1d2e341b_02",
                          "002_904077619204e1e7_d112c9a3_01", "003_aa8f4e545c546013_1d2e341b_06")
FILE_A, FILE_B, FILE_BAD, FILE_D = "提交/第一小学.txt", "提交/第二中学.txt", "提交/损坏.docx", "提交/第三小学.txt"
BAD_ERROR = "无法读取：不是有效的 docx 文件（zip 结构损坏）"


def _match(report_text: str, passage: str, source: str, source_text: str, kind: str = "reference",
           similarity: float = 1.0, title: str = "") -> Match:
    """A match of `passage`, found once in the report and once in the source, with true offsets."""
    assert report_text.count(passage) == 1 and source_text.count(passage) >= 1, passage
    start, src = report_text.index(passage), source_text.index(passage)
    return Match(start, start + len(passage), source, src, src + len(passage), similarity, passage, passage,
                 title or source_text.split("\n", 1)[0], kind)


def _result(file: str, text: str, matches: list[Match]) -> ReportResult:
    """A result whose ratio and band follow from its matches, as the checker computes them."""
    def share(kinds: tuple[str, ...]) -> float:
        covered = set()
        for m in matches:
            if m.source_kind in kinds:
                covered.update(range(m.start, m.end))
        return len(covered) / len(text)

    ratio = share(("reference", "submission"))
    return ReportResult(file, text.split("\n", 1)[0], text, matches, ratio, band_of(ratio),
                        index_ratio=share(("reference",)), batch_ratio=share(("submission",)))


def _report_a() -> ReportResult:
    """A school's summary with four pasted template sentences (from four references), two of them
    touching, and a line of markup that must come out as text."""
    own = _lines("000_f06ec88fb457c14a_d0d93e8b_01")
    (s1,) = _sentences(REF1, 1)
    s2, s3 = _sentences(REF2, 2)
    (s4,) = _sentences(REF3, 1)
    (s5,) = _sentences(REF4, 1)
    text = "\n".join([own[0], own[1], own[2] + s1, SCRIPT, own[3], s2 + s4, own[4] + s5])
    refs = {REF1: _doc(REF1), REF2: _doc(REF2), REF3: _doc(REF3), REF4: _doc(REF4)}
    matches = [
        _match(text, s1, "ref:" + REF1, refs[REF1], similarity=0.97),
        _match(text, s2, "ref:" + REF2, refs[REF2]),
        _match(text, s4, "ref:" + REF3, refs[REF3], similarity=0.92),  # touches s2
        _match(text, s5[:14], "ref:" + REF4, refs[REF4]),  # the shortest: not among the top 3
    ]
    del s3
    return _result(FILE_A, text, matches)


def _report_b(report_a: ReportResult) -> ReportResult:
    """A short report made mostly of a passage of report A, a two-line template passage (crossing
    a line break), and a sentence found in two places at once (overlapping matches)."""
    own = _lines("003_aa8f4e545c546013_1d2e341b_09")
    ref_lines = _doc(REF1).split("\n")
    two_lines = ref_lines[1] + "\n" + ref_lines[2]
    s6 = next(x for x in _sentences(REF2, 6) if len(x) >= 50 and x not in report_a.text)
    s7 = s6[10:40]
    copied = report_a.text.split("\n")[1][:60]
    text = "\n".join([own[0], copied + "。", two_lines, s6, own[1][:30]])
    mirror = "范文网镜像\n" + s7
    matches = [
        _match(text, copied, FILE_A, report_a.text, kind="submission", title=report_a.title),
        _match(text, two_lines, "ref:" + REF1, _doc(REF1)),
        _match(text, s6, "ref:" + REF2, _doc(REF2), similarity=0.95),
        _match(text, s7, "mirror:fanwen", mirror, similarity=0.9, title="范文网镜像"),  # inside the one above
    ]
    return _result(FILE_B, text, matches)


@pytest.fixture(scope="module")
def run() -> CheckRun:
    a = _report_a()
    b = _report_b(a)
    d_text = "\n".join(_lines("004_3e8b8ef1052bef1e_ed7069e0_07")[:3])
    d = ReportResult(FILE_D, d_text.split("\n", 1)[0], d_text, [], 0.0, band_of(0.0))
    bad = ReportResult(FILE_BAD, error=BAD_ERROR)
    return CheckRun([a, b, bad, d], clusters=[[FILE_A, FILE_B]], min_match=13, index_documents=4)


def test_fixture_covers_every_band(run):
    """The data exercises all three bands, so colour and band tests mean something."""
    assert {r.band for r in run.reports if not r.error} == {"原创为主", "部分套用", "大量套用"}


# --------------------------------------------------------------------------- JSON


def test_json_is_spec_shape(run):
    out = to_json(run)
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    assert [o["file"] for o in out] == [FILE_A, FILE_B, FILE_BAD, FILE_D]
    a = out[0]
    assert a["duplicate_ratio"] == round(run.reports[0].duplicate_ratio, 4)
    assert 0 < a["duplicate_ratio"] < 1
    assert set(a["matches"][0]) == {"start", "end", "source", "source_start", "source_end", "similarity"}
    assert a["index_ratio"] == round(run.reports[0].index_ratio, 4) and a["batch_ratio"] == 0
    assert a["index_ratio"] == a["duplicate_ratio"]  # report A copies only from the index
    assert a["common"] == [] and a["index_sources"] == run.reports[0].sources("reference") and not a["batch_sources"]
    b = out[1]
    assert 0 < b["batch_ratio"] < b["duplicate_ratio"] and [s["source"] for s in b["batch_sources"]] == [FILE_A]
    first = run.reports[0].matches[0]
    assert a["matches"][0] == {"start": first.start, "end": first.end, "source": "ref:" + REF1,
                               "source_start": first.source_start, "source_end": first.source_end,
                               "similarity": 0.97}
    assert out[2] == {"file": FILE_BAD, "error": BAD_ERROR, "duplicate_ratio": None, "index_ratio": None,
                      "batch_ratio": None, "matches": [], "common": []}
    assert out[3]["duplicate_ratio"] == 0 and out[3]["matches"] == []


# --------------------------------------------------------------------------- highlighting


def _m(start: int, end: int, source: str = "s") -> Match:
    return Match(start, end, source, 0, end - start, 1.0)


@pytest.mark.parametrize("spans", [
    [(0, 10), (5, 15)],  # overlap
    [(0, 10), (10, 20)],  # touching
    [(3, 8), (3, 8)],  # the same passage from two sources
    [(2, 30), (5, 9)],  # nested
    [(-5, 4), (25, 99)],  # out of range: clipped
    [(7, 7), (9, 3)],  # empty and reversed: ignored
])
def test_segments_keep_every_character_once(spans):
    text = _doc(REF1)[:26]
    segments = highlight_segments(text, [_m(s, e) for s, e in spans])
    assert "".join(s.text for s in segments) == text
    covered = {i for s, e in spans for i in range(max(s, 0), min(e, len(text)))}
    marked, pos = set(), 0
    for seg in segments:
        if seg.numbers:
            marked.update(range(pos, pos + len(seg.text)))
        pos += len(seg.text)
    assert marked == covered


def test_segments_number_and_cover():
    text = _doc(REF1)[:20]
    segments = highlight_segments(text, [_m(0, 10), _m(5, 15)])
    assert [(s.text, s.numbers, s.opens) for s in segments] == [
        (text[0:5], (1,), (1,)), (text[5:10], (1, 2), (2,)), (text[10:15], (2,), ()), (text[15:], (), ())]


def test_paragraphs_split_marks_at_newlines_and_keep_the_label():
    text = "甲乙\n丙丁"
    paragraphs = paragraphs_of(highlight_segments(text, [_m(2, 4)]))  # starts on the newline
    assert [[(s.text, s.numbers, s.opens) for s in p] for p in paragraphs] == [
        [("甲乙", (), ())], [("丙", (1,), (1,)), ("丁", (), ())]]


# --------------------------------------------------------------------------- HTML


class Page(HTMLParser):
    """Collects what the tests look at: report texts, marks, summary rows, SVG shapes, links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.divs: list[str] = []
        self.tables: list[str] = []
        self.section: str | None = None
        self.report_text: dict[str, str] = {}
        self.marks: dict[str, list[dict[str, str]]] = {}
        self.mark: dict[str, str] | None = None
        self.rows: list[tuple[str, str | None, list[str]]] = []
        self.cell: list[str] | None = None
        self.rects: list[dict[str, str]] = []
        self.lines: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.in_clusters = False
        self.clusters_text = ""
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "section":
            self.section = a.get("id")
            self.report_text.setdefault(self.section, "")
            self.marks.setdefault(self.section, [])
        elif tag == "div":
            self.divs.append(a.get("class", ""))
        elif tag == "table":
            self.tables.append(a.get("class", ""))
        elif tag == "tr" and self.tables:
            self.rows.append((self.tables[-1], self.section, []))
        elif tag == "td" and self.tables:
            self.cell = []
        elif tag == "mark":
            self.mark = {"text": "", "title": a.get("title", ""), "n": a.get("data-n", "")}
            self.marks[self.section].append(self.mark)
        elif tag == "rect":
            self.rects.append(a)
        elif tag == "line":
            self.lines.append(a)
        elif tag == "ol" and a.get("class") == "clusters":
            self.in_clusters = True

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        elif tag == "div":
            self.divs.pop()
        elif tag == "table":
            self.tables.pop()
        elif tag == "td" and self.cell is not None:
            self.rows[-1][2].append("".join(self.cell))
            self.cell = None
        elif tag == "mark":
            self.mark = None
        elif tag == "ol":
            self.in_clusters = False

    def handle_data(self, data):
        self.text += data
        if "report-text" in self.divs:
            self.report_text[self.section] += data
        if self.mark is not None:
            self.mark["text"] += data
        if self.cell is not None:
            self.cell.append(data)
        if self.in_clusters:
            self.clusters_text += data


@pytest.fixture(scope="module")
def html(run) -> str:
    return render_html(run)


@pytest.fixture(scope="module")
def page(html) -> Page:
    parser = Page()
    parser.feed(html)
    parser.close()
    return parser


def _anchor(run: CheckRun, file: str) -> str:
    return f"r{[r.file for r in run.reports].index(file) + 1}"


def test_page_is_chinese_and_self_contained(html):
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert "<title>查重报告</title>" in html
    lowered = html.lower()
    for external in ('src="http', "src='http", 'href="http', "<link", "@import", "url(", "<script", "<img"):
        assert external not in lowered, external


def _rows(page: Page, table: str, section: str | None = None, raw: bool = False) -> list[list[str]]:
    """Rows of the page's tables of class `table`; cells' whitespace collapsed unless `raw`."""
    return [cells if raw else [" ".join(c.split()) for c in cells] for kind, sec, cells in page.rows
            if cells and kind == table and (section is None or sec == section)]


def test_summary_rows_show_ratio_band_and_sources(run, page):
    rows = {row[1]: row for row in _rows(page, "summary")}
    assert list(rows) == [FILE_A, FILE_B, FILE_BAD, FILE_D]
    for r in run.reports:
        if r.error:
            continue
        row = rows[r.file]
        assert row[3] == f"{r.duplicate_ratio * 100:.1f}%"
        assert row[4] == r.band
        assert row[5] == str(len(r.matches))
    assert rows[FILE_D][6] == "无"


def test_main_sources_are_the_top_three_by_characters(run, page):
    cell = next(row[6] for row in _rows(page, "summary") if row[1] == FILE_A).replace(" ", "")
    ranked = sorted(run.reports[0].matches, key=lambda m: -(m.end - m.start))
    positions = [cell.find(f"{m.source_title}（{m.end - m.start}字）") for m in ranked[:3]]
    assert -1 not in positions and positions == sorted(positions)
    assert ranked[3].source_title not in cell


def test_band_colours_differ(html, run):
    colours = {r.band: re.search(rf'background: (#[0-9a-f]+)">{r.band}<', html).group(1)
               for r in run.reports if not r.error}
    assert len(set(colours.values())) == 3


def test_error_row_is_shown_without_a_section(run, page):
    row = next(row for row in _rows(page, "summary") if row[1] == FILE_BAD)
    assert row[3] == "—" and row[4] == "错误" and BAD_ERROR in row[6]
    assert _anchor(run, FILE_BAD) not in page.report_text
    assert set(page.report_text) == {_anchor(run, f) for f in (FILE_A, FILE_B, FILE_D)}


def test_script_in_a_report_is_escaped(html, page):
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html
    assert SCRIPT in page.text


def test_report_text_is_whole(run, page):
    for r in run.reports:
        if not r.error:
            assert page.report_text[_anchor(run, r.file)] == r.text


def test_marks_are_exactly_the_matched_passages(run, page):
    a = run.reports[0]
    marks = page.marks[_anchor(run, FILE_A)]
    assert [m["text"] for m in marks] == [a.text[m.start:m.end] for m in sorted(a.matches, key=lambda m: m.start)]
    assert [m["n"] for m in marks] == ["1", "2", "3", "4"]
    for mark, match in zip(marks, sorted(a.matches, key=lambda m: m.start)):
        assert match.source_title in mark["title"]
    assert not page.marks[_anchor(run, FILE_D)]


def test_overlapping_and_multiline_marks_cover_the_union_once(run, page):
    b = run.reports[1]
    marks = page.marks[_anchor(run, FILE_B)]
    covered = sorted({i for m in b.matches for i in range(m.start, m.end)})
    expected = "".join(b.text[i] for i in covered).replace("\n", "")
    assert "".join(m["text"] for m in marks) == expected
    inner = next(m for m in b.matches if m.source.startswith("mirror:"))
    overlap = [m for m in marks if m["text"] == inner.text]
    assert len(overlap) == 1 and "范文网镜像" in overlap[0]["title"] and "[3]" in overlap[0]["title"]
    assert FILE_A in page.text  # the other report is named as a source


def test_match_tables_put_report_beside_source(run, page):
    b = run.reports[1]
    rows = _rows(page, "matches", _anchor(run, FILE_B), raw=True)
    assert len(rows) == len(b.matches)
    assert any("\n" in m.text for m in b.matches)  # a passage across a line break is shown whole
    for n, (row, m) in enumerate(zip(rows, sorted(b.matches, key=lambda m: (m.start, m.end))), 1):
        kind = "其他报告" if m.source_kind == "submission" else "参考文档"
        assert row[0] == str(n)
        assert row[1] == f"{m.start}–{m.end}" and row[4] == f"{m.source_start}–{m.source_end}"
        assert row[2] == m.text and row[5] == m.source_text
        assert row[3].startswith(m.source_title) and kind in row[3]
        assert row[6] == f"{m.similarity * 100:.1f}%"


def test_chart_bars_and_threshold_lines(run, page):
    axis = [float(line["x1"]) for line in page.lines if line.get("class") == "axis"]
    x0, x1 = min(axis), max(axis)
    ratios = [r.duplicate_ratio for r in run.reports if not r.error]
    widths = [float(rect["width"]) for rect in page.rects]
    assert widths == pytest.approx([r * (x1 - x0) for r in ratios], abs=0.1)
    thresholds = sorted(float(line["x1"]) for line in page.lines if line.get("class") == "threshold")
    assert thresholds == pytest.approx([x0 + 0.15 * (x1 - x0), x0 + 0.40 * (x1 - x0)])


def test_clusters_are_listed(page):
    assert FILE_A in page.clusters_text and FILE_B in page.clusters_text
    assert FILE_D not in page.clusters_text


def test_no_clusters_says_so(run):
    html = render_html(CheckRun(run.reports[3:], index_documents=0))
    assert "未发现报告之间互相抄袭" in html


def test_write_html_writes_the_page(run, tmp_path):
    path = tmp_path / "out" / "查重.html"
    write_html(run, path)
    assert path.read_text(encoding="utf-8") == render_html(run)
    assert [p.name for p in path.parent.iterdir()] == ["查重.html"]  # no temporary file left


def test_the_template_is_package_data_and_escapes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # found through the package, not the checkout or the cwd
    report.environment.cache_clear()
    try:
        loader = report.environment().loader
        assert isinstance(loader, jinja2.PackageLoader) and loader.package_name == "summarizer"
        html = render_html(CheckRun([ReportResult("<b>x</b>.txt", text="甲")]))
        assert "&lt;b&gt;x&lt;/b&gt;.txt" in html and "<b>x</b>" not in html
    finally:
        report.environment.cache_clear()


# --------------------------------------------------------------------------- XLSX


@pytest.fixture(scope="module")
def workbook(run, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "查重.xlsx"
    write_xlsx(run, path)
    return openpyxl.load_workbook(path)


def test_xlsx_sheets_and_headers(workbook):
    assert workbook.sheetnames == ["汇总", "匹配", "常用语"]
    summary, matches = workbook["汇总"], workbook["匹配"]
    assert [c.value for c in summary[1]] == ["文件", "标题", "重复率", "等级", "匹配数", "主要来源", "错误",
                                            "参考库重复率", "参考库来源", "报告间重复率", "报告间来源", "常用语"]
    assert [c.value for c in matches[1]] == ["文件", "起", "止", "来源", "来源类型", "来源起", "来源止", "相似度",
                                            "报告片段", "来源片段"]
    for ws in (summary, matches):
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
    # Widths fit the content: file names whole, long passages capped (and wrapped) rather than huge.
    assert summary.column_dimensions["A"].width >= len(FILE_A) + 7  # CJK characters are two columns
    assert 30 <= matches.column_dimensions["I"].width <= 80
    assert matches["I2"].alignment.wrap_text


def test_xlsx_summary_values(run, workbook):
    rows = list(workbook["汇总"].iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [FILE_A, FILE_B, FILE_BAD, FILE_D]
    a = rows[0]
    assert isinstance(a[2].value, float) and a[2].value == pytest.approx(run.reports[0].duplicate_ratio)
    assert "%" in a[2].number_format
    assert a[3].value == run.reports[0].band and a[4].value == 4
    assert run.reports[0].matches[0].source_title in a[5].value
    bad = rows[2]
    assert bad[2].value is None and bad[6].value == BAD_ERROR
    assert rows[3][2].value == 0


def test_xlsx_one_row_per_match(run, workbook):
    rows = [[c.value for c in r] for r in workbook["匹配"].iter_rows(min_row=2)]
    expected = [(r.file, m) for r in run.reports if not r.error
                for m in sorted(r.matches, key=lambda m: (m.start, m.end))]
    assert len(rows) == len(expected) == 8
    for row, (file, m) in zip(rows, expected):
        assert row[:8] == [file, m.start, m.end, m.source, "其他报告" if m.source_kind == "submission" else "参考文档",
                           m.source_start, m.source_end, pytest.approx(m.similarity)]
        assert row[8] == m.text and row[9] == m.source_text


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    text = "=SUM(A1)" + _sentences(REF1, 1)[0]
    run = CheckRun([ReportResult("a.txt", "标题", text, [Match(0, 12, "ref", 0, 12, 1.0, text[:12], text[:12])],
                                 12 / len(text), "原创为主")])
    path = tmp_path / "f.xlsx"
    write_xlsx(run, path)
    cell = openpyxl.load_workbook(path)["匹配"]["I2"]
    assert cell.value == text[:12] and cell.data_type == "s"
