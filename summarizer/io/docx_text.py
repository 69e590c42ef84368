"""The text of a Word file (`.docx`, `.docm`): paragraphs in reading order, text boxes and content
controls read through, tracked deletions left out, a table of two or more columns one pipe row a
row (`| 工作项目 | 具体内容 | 成果 |`, so that short cells such as `18` are kept), a one-column table
(a frame around the text) its paragraphs. Read with lxml from the zip, not python-docx: it is
faster and sees content python-docx skips (text boxes, fallbacks).
"""

from __future__ import annotations

import io
import zipfile

from summarizer.io.encoding import ReadError

# The unpacked document.xml of a Word file may be this large at most (a zip bomb guard).
MAX_DOCX_XML_BYTES = 256 * 1024 * 1024


def _err(source: str, problem: str) -> str:
    return f"{source}: {problem}"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _TXBX = (f"{_W}{t}" for t in ("t", "tab", "br", "cr", "txbxContent"))
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_FALLBACK = f"{_MC}Fallback"
# Tracked deletions are not text; every other run container (insertions, hyperlinks, smart tags,
# simple fields, content controls) is read through.
_DEL = f"{_W}del"


def docx_text(data: bytes, source: str, suffix: str) -> str:
    """Text of a docx, one paragraph per line, tables cell by cell where they stand."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                kind = "Word 文档" if suffix == ".docx" else "文档"
                raise ReadError(_err(source, f"压缩文件不是{kind}(缺少 word/document.xml) / "
                                             "a zip file but not a docx (no word/document.xml)"))
            xml_size = sum(i.file_size for i in zf.infolist() if i.filename.endswith(".xml"))
            if xml_size > MAX_DOCX_XML_BYTES:
                raise ReadError(_err(source, f"Word 文档解压后过大 / docx too large when unpacked ({xml_size} bytes)"))
    except zipfile.BadZipFile as exc:
        raise ReadError(_err(source, f"Word 文档损坏或不完整 / corrupt or truncated docx ({exc})")) from None

    import docx  # imported here: python-docx is heavy and only docx inputs need it

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception:  # noqa: BLE001 - python-docx raises many types on damaged packages
        # .docm/.dotx, or packages with damaged relationships/content types that python-docx
        # refuses: the main part may still be readable XML.
        body = _raw_document_body(data, source)
    lines: list[str] = []
    _docx_blocks(body, lines)
    return "\n".join(line for line in lines if line.strip())


def _raw_document_body(data: bytes, source: str):  # noqa: ANN202 - an lxml element
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(_err(source, f"Word 文档损坏 / corrupt docx ({type(exc).__name__}: {exc})")) from None
    body = root.find(f"{_W}body")
    if body is None:
        raise ReadError(_err(source, "Word 文档没有正文 / docx has no body"))
    return body


def _docx_blocks(container, lines: list[str]) -> None:  # noqa: ANN001 - lxml element
    """Append the lines of the block content of `container` (body, cell, text box, content
    control) in reading order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            extra: list[str] = []
            lines.append(_paragraph_text(child, extra))
            lines.extend(extra)
        elif tag == _TBL:
            _docx_table(child, lines)
        elif tag in (_SDT, _SDT_CONTENT) or tag.endswith("}customXml"):
            _docx_blocks(child, lines)


def _docx_table(table, lines: list[str]) -> None:  # noqa: ANN001 - lxml element
    """Append a table's rows. A table of two columns or more is content as it stands: each row
    becomes one line with its cells in order between pipes (`| 内容 | 18 |`), the form the
    cleanup keeps whole (`summarizer.clean.paragraphs.table_rows`), so that short cells are
    never judged as chrome; the paragraphs of a cell are joined by a space. A one-column table
    (a frame around the text, common in Chinese documents) is read as the paragraphs it holds."""
    rows: list[list[str]] = []
    for row in table.iter(_TR):
        if _nearest(row, _TBL) is not table:
            continue  # a row of a nested table: read inside its cell
        cells: list[list[str]] = []
        for cell in row:
            if cell.tag == _TC and not _is_vmerge_continuation(cell):
                cells.append([])
                _docx_blocks(cell, cells[-1])
            elif cell.tag == _SDT:  # a content control wrapping cells
                for inner in cell.iter(_TC):
                    cells.append([])
                    _docx_blocks(inner, cells[-1])
        rows.append([" ".join(t.strip() for t in c if t.strip()) for c in cells])
    if all(len(r) <= 1 for r in rows):
        for row in table.iter(_TR):
            if _nearest(row, _TBL) is table:
                for cell in row:
                    if cell.tag in (_TC, _SDT):
                        _docx_blocks(cell, lines)
        return
    lines.extend("| " + " | ".join(c.replace("|", "｜") for c in r) + " |" for r in rows if any(r))


def _nearest(element, tag: str):  # noqa: ANN001, ANN202
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _is_vmerge_continuation(cell) -> bool:  # noqa: ANN001
    """A vertically merged cell below the first one repeats nothing: its text is in the top cell."""
    tc_pr = cell.find(f"{_W}tcPr")
    vmerge = tc_pr.find(f"{_W}vMerge") if tc_pr is not None else None
    return vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"


def _paragraph_text(p, extra: list[str]) -> str:  # noqa: ANN001
    """The text of one paragraph. Text boxes anchored in it are read as separate lines into
    `extra` (once: the VML fallback copy of a text box is skipped); deleted text is not text."""
    parts: list[str] = []

    def visit(el) -> None:  # noqa: ANN001
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in (_DEL, _FALLBACK):
                continue
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _TXBX:
                _docx_blocks(child, extra)
            else:
                visit(child)

    visit(p)
    return "".join(parts)


