"""Reading inputs: encodings, docx, html, directories and zip archives, on real files."""

from __future__ import annotations

import io
import random
import re
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.io import (
    InputError,
    RawInput,
    ReadError,
    TextInput,
    count_files,
    decode_input,
    detect_encoding,
    iter_inputs,
    read_text,
)

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def _lines(prefix: str) -> list[str]:
    text = next(RAW.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _paragraph(prefix: str, encoding: str, min_len: int = 80) -> str:
    """A run of whole sentences of a seed page, at least `min_len` characters, mostly Chinese,
    that `encoding` can represent (pinyin glosses removed)."""
    for line in _lines(prefix):
        run = ""
        for sentence in re.findall(r"[^。]+。", GLOSS.sub("", line)):
            try:
                sentence.encode(encoding)
            except UnicodeEncodeError:
                run = ""
                continue
            run += sentence
            if len(run) >= min_len and sum(ch > "\u3400" for ch in run) > len(run) * 0.8:
                return run
    raise AssertionError(f"no {encoding} paragraph in seed {prefix}")


# A simplified paragraph (seed 000) and a traditional one (seed 002, with its pinyin glosses off).
SIMPLIFIED = _paragraph("000", "gb2312")
TRADITIONAL = _paragraph("002", "big5")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- encodings ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "codec", "reported"), [
    (SIMPLIFIED, "utf-8", "utf-8"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (SIMPLIFIED, "utf-16", "utf-16"),       # with BOM (Python writes one)
    (SIMPLIFIED, "utf-16-le", "utf-16"),    # no BOM: told by the NULs of the newline and digits
    (SIMPLIFIED, "utf-16-be", "utf-16"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (TRADITIONAL, "big5", "big5"),
    (TRADITIONAL, "gb18030", "gb18030"),    # traditional characters saved as GBK are GBK
    (TRADITIONAL, "utf-8", "utf-8"),
])
def test_a_paragraph_round_trips_in_each_encoding(tmp_path, text, codec, reported):
    body = f"{text}\n2024年12月"
    path = _write(tmp_path, "report.txt", body.encode(codec))
    result = read_text(path)
    assert (result.text, result.encoding, result.format) == (body, reported, "txt")
    assert result.source == str(path)


@pytest.mark.parametrize("start", [0, 20, 40])
@pytest.mark.parametrize(("source", "codec", "reported"), [
    ("simplified", "gb18030", "gb18030"),
    ("simplified", "utf-8", "utf-8"),
    ("traditional", "big5", "big5"),
    ("traditional", "gb18030", "gb18030"),
])
def test_short_texts_of_twenty_characters_are_detected(source, codec, reported, start):
    text = (SIMPLIFIED if source == "simplified" else TRADITIONAL)[start:start + 20]
    assert detect_encoding(text.encode(codec)) == (text, reported)


def test_newlines_are_normalised_and_the_bom_stripped(tmp_path):
    path = _write(tmp_path, "a.txt", "\ufeff标题\r\n第一段。\r第二段。\n".encode("utf-8"))
    result = read_text(path)
    assert result.text == "标题\n第一段。\n第二段。\n"
    assert result.encoding == "utf-8-sig"


def test_a_gbk_file_with_a_damaged_byte_is_still_gbk():
    data = bytearray(SIMPLIFIED.encode("gb18030"))
    data[31] = 0xFF
    text, encoding = detect_encoding(bytes(data))
    assert encoding == "gb18030"
    assert "\ufffd" in text and text.endswith(SIMPLIFIED[16:])  # only the damaged character is lost


def test_empty_file_is_an_error_naming_it(tmp_path):
    path = _write(tmp_path, "空的.txt", b"")
    with pytest.raises(ReadError, match="空的.txt: .*empty file"):
        read_text(path)


def test_random_bytes_are_not_text(tmp_path):
    path = _write(tmp_path, "noise.txt", random.Random(0).randbytes(4096))
    with pytest.raises(ReadError, match="noise.txt: .*not a text file"):
        read_text(path)


def test_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ReadError, match="nope.txt: "):
        read_text(tmp_path / "nope.txt")


# --- docx -----------------------------------------------------------------------------------

def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("学校帮扶工作总结")
    document.add_paragraph("一、基本情况")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "姓名", (0, 1): "职务", (1, 0): "李明", (1, 1): "校长"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("二、主要做法")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_rows_come_back_in_reading_order(tmp_path):
    result = read_text(_write(tmp_path, "总结.docx", _docx_bytes()))
    assert result.format == "docx" and result.encoding == "docx"
    assert result.text.split("\n") == [
        "学校帮扶工作总结", "一、基本情况", "| 姓名 | 职务 |", "| 李明 | 校长 |", "二、主要做法",
    ]


def test_a_docx_is_recognised_by_content_whatever_its_name(tmp_path):
    result = read_text(_write(tmp_path, "misnamed.txt", _docx_bytes()))
    assert result.format == "docx"
    assert result.text.startswith("学校帮扶工作总结\n")


def test_a_docx_named_zip_is_one_input_not_an_archive(tmp_path):
    path = _write(tmp_path, "总结.zip", _docx_bytes())
    [raw] = iter_inputs(path)
    assert isinstance(raw, RawInput) and raw.source == str(path) and raw.data == path.read_bytes()
    assert decode_input(raw).text.startswith("学校帮扶工作总结\n")
    [too_big] = iter_inputs(path, max_member_bytes=100)
    assert isinstance(too_big, InputError) and "too large" in too_big.error and "总结.zip" in too_big.error


def test_a_truncated_docx_is_an_error_naming_it(tmp_path):
    data = _docx_bytes()
    path = _write(tmp_path, "broken.docx", data[: len(data) // 2])
    with pytest.raises(ReadError, match="broken.docx: .*docx"):
        read_text(path)


# --- html -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>扶贫工作总结_范文网</title>
<style>p {{ color: red }}</style><script>var ad = "广告";</script></head>
<body>
<header><a href="/">范文网首页</a></header>
<nav><ul><li><a href="/a">工作总结</a></li><li><a href="/b">工作计划</a></li></ul></nav>
<div class="sidebar"><h3>热门推荐</h3><a href="/c">下载本文档</a></div>
<article>
  <h1>教育扶贫工作总结</h1>
  <p>{p1}</p>
  <p>二是开展结对帮扶,<br>三是资助贫困学生。</p>
</article>
<footer>版权所有 © 范文网 2024</footer>
<script>track();</script>
</body></html>
"""


def test_an_html_page_gives_only_its_article_text(tmp_path):
    page = PAGE.format(p1=SIMPLIFIED)
    result = read_text(_write(tmp_path, "page.html", page.encode("gb18030")))
    assert (result.format, result.encoding) == ("html", "html:gb18030")
    assert result.text.split("\n") == ["教育扶贫工作总结", SIMPLIFIED, "二是开展结对帮扶,", "三是资助贫困学生。"]
    # What a reader saw and the text leaves out is kept apart, line by line (code is not text).
    assert result.dropped == ("工作总结", "工作计划", "版权所有 © 范文网 2024", "范文网首页", "热门推荐", "下载本文档")


def test_without_article_tags_the_densest_block_is_the_content(tmp_path):
    paragraphs = "".join(f"<p>第{n}项:{SIMPLIFIED[:40]}</p>" for n in range(3))
    page = (f"<html><body><div id='menu'><a>首页</a> | <a>范文</a></div>"
            f"<div class='wrap'><div class='left'><a>工作总结</a><a>工作计划</a></div>"
            f"<div class='text'>{paragraphs}</div></div><div>友情链接:<a>某网</a></div></body></html>")
    result = read_text(_write(tmp_path, "page.htm", page.encode("utf-8")))
    assert result.text.split("\n") == [f"第{n}项:{SIMPLIFIED[:40]}" for n in range(3)]
    assert result.dropped == ("首页 | 范文", "工作总结工作计划", "友情链接:某网")


def test_an_html_file_holding_plain_text_is_text(tmp_path):
    result = read_text(_write(tmp_path, "notes.html", "第一段。\n第二段。".encode("gb18030")))
    assert (result.format, result.encoding, result.text) == ("txt", "gb18030", "第一段。\n第二段。")


def test_a_page_saved_as_txt_is_html(tmp_path):
    page = PAGE.format(p1=SIMPLIFIED)
    result = read_text(_write(tmp_path, "page.txt", page.encode("utf-8")))
    assert result.format == "html" and "范文网首页" not in result.text


# --- directories ----------------------------------------------------------------------------

def test_a_directory_tree_is_expanded_recursively_in_sorted_order(tmp_path):
    for name in ["b.txt", "a/z.html", "a/sub/y.docx", "a/x.txt", "c.pdf", ".hidden/x.txt", "a/~$lock.docx"]:
        _write(tmp_path, name, b"x")
    explicit = _write(tmp_path, "other/readme.md", "说明".encode())
    items = list(iter_inputs([tmp_path / "a", tmp_path / "b.txt", explicit, tmp_path / "missing"]))
    got = [(type(item).__name__, Path(item.source).relative_to(tmp_path).as_posix()) for item in items]
    assert got == [
        ("RawInput", "a/sub/y.docx"), ("RawInput", "a/x.txt"), ("RawInput", "a/z.html"),
        ("RawInput", "b.txt"), ("RawInput", "other/readme.md"), ("InputError", "missing"),
    ]
    assert "missing" in items[-1].error and "no such file" in items[-1].error
    assert items[0].sha256 == RawInput("", b"x").sha256
    assert list(iter_inputs(tmp_path)) == list(iter_inputs(str(tmp_path)))  # deterministic
    # The progress bar's total: the same files, by the same walk (the missing path counts one).
    assert count_files([tmp_path / "a", tmp_path / "b.txt", explicit, tmp_path / "missing"]) == len(items) == 6


def test_inputs_are_yielded_one_at_a_time(tmp_path):
    _write(tmp_path, "1.txt", "一".encode())
    second = _write(tmp_path, "2.txt", "二".encode())
    inputs = iter_inputs(tmp_path)
    assert next(inputs).data == "一".encode()
    second.write_bytes("改".encode())  # not read yet: the generator reads it only now
    assert next(inputs).data == "改".encode()


def test_inputs_are_not_modified(tmp_path):
    path = _write(tmp_path, "a.txt", "内容\r\n".encode("gb18030"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    [raw] = iter_inputs(path)
    decode_input(raw)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# --- zip archives ---------------------------------------------------------------------------

def _patch_name(data: bytes, placeholder: str, real: bytes) -> bytes:
    """Put `real` bytes in place of an ASCII name of the same length, in both zip headers, so a
    legacy (non-UTF-8-flag) GBK name can be written: Python itself writes only UTF-8 names."""
    assert len(placeholder) == len(real)
    return data.replace(placeholder.encode("ascii"), real)


def _understate_size(data: bytes, name: str, size: int) -> bytes:
    """Make the central directory claim `size` bytes for `name` (a lying header)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46: pos + 46 + name_len] == name.encode():
            struct.pack_into("<I", out, pos + 24, size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """A zip with two good members, a legacy GBK-named member, traversal and absolute paths,
    a nested zip, a 200 MB zip bomb and a member whose header understates its size."""
    path = tmp_path_factory.mktemp("zip") / "reports.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docs/a.txt", SIMPLIFIED.encode("gb18030"))
        zf.writestr("docs/b.docx", _docx_bytes())
        zf.writestr("XXXX.txt", TRADITIONAL.encode("big5"))  # renamed to 总结.txt in GBK below
        zf.writestr("../evil.txt", b"escape")
        zf.writestr("/etc/abs.txt", b"absolute")
        zf.writestr("C:\\Windows\\win.txt", b"drive")
        zf.writestr("nested.zip", b"PK\x05\x06" + b"\0" * 18)
        zf.writestr("picture.png", b"\x89PNG")  # not a document: skipped
        with zf.open("bomb.txt", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(200):
                member.write(zeros)
        zf.writestr("liar.txt", bytes(8 << 20))
    data = _patch_name(buffer.getvalue(), "XXXX", "总结".encode("gbk"))
    path.write_bytes(_understate_size(data, "liar.txt", 1000))
    return path


def test_a_zip_yields_good_members_and_refuses_bad_ones_quickly_in_little_memory(archive):
    tracemalloc.start()
    started = time.perf_counter()
    items = list(iter_inputs(archive))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    by_member = {item.source.split("!", 1)[1]: item for item in items}
    assert all(item.source.startswith(f"{archive}!") for item in items)
    assert sorted(name for name, item in by_member.items() if isinstance(item, RawInput)) == [
        "docs/a.txt", "docs/b.docx", "总结.txt"]
    assert sorted(name for name, item in by_member.items() if isinstance(item, InputError)) == sorted([
        "../evil.txt", "/etc/abs.txt", "C:/Windows/win.txt", "nested.zip", "bomb.txt", "liar.txt"])
    assert by_member["../evil.txt"].error == f"{archive}!../evil.txt: 压缩包成员路径越界 / member path escapes the archive"
    assert "absolute" not in by_member["/etc/abs.txt"].error
    assert "nested archive" in by_member["nested.zip"].error
    assert "too large" in by_member["bomb.txt"].error
    assert "corrupt member" in by_member["liar.txt"].error  # stopped at 1000 bytes, CRC fails
    assert elapsed < 2 and peak < 32 * 1024 * 1024
    assert decode_input(by_member["docs/a.txt"]).text == SIMPLIFIED
    assert decode_input(by_member["总结.txt"]) == TextInput(
        f"{archive}!总结.txt", by_member["总结.txt"].sha256, TRADITIONAL, "big5", "txt")
    assert decode_input(by_member["docs/b.docx"]).text.startswith("学校帮扶工作总结\n")


def test_an_absurd_compression_ratio_is_refused_even_under_the_size_limit(archive):
    items = list(iter_inputs(archive, max_member_bytes=1 << 30, max_ratio=100))
    bomb = next(item for item in items if item.source.endswith("!bomb.txt"))
    assert isinstance(bomb, InputError) and "zip bomb" in bomb.error


def test_an_archive_over_the_total_limit_is_one_error(archive):
    items = list(iter_inputs(archive, max_total_bytes=10 << 20))
    assert len(items) == 1 and items[0].source == str(archive)
    assert "archive too large" in items[0].error and items[0].sha256


def test_a_corrupt_zip_is_one_error_naming_it(tmp_path):
    path = _write(tmp_path, "broken.zip", b"PK\x03\x04 this is not really a zip")
    [item] = iter_inputs(tmp_path)
    assert isinstance(item, InputError)
    assert item.error.startswith(f"{path}: ") and "corrupt or not a zip" in item.error


@given(st.text(alphabet=st.sampled_from(list("学校工作。\r\n\x00\x01\x07\x1b\x7f\t\x0b\x0c\x85\u2028\ufeff abc")),
               max_size=400))
@settings(max_examples=300, deadline=None)
def test_control_characters_count_the_same_on_the_utf8_bytes_as_on_the_text(text):
    """A page read as UTF-8 has its control characters counted on its own bytes (no encoding
    again); the answer is the one the normalised text gives."""
    from summarizer.io.encoding import has_controls, normalize_newlines

    norm = normalize_newlines(text)
    assert has_controls(norm, text.encode("utf-8")) == has_controls(norm)


def test_a_one_column_docx_table_is_a_frame_read_as_its_paragraphs(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    cell = table.cell(0, 0)
    cell.text = "学校安全工作计划"
    cell.add_paragraph("一、指导思想")
    cell.add_paragraph("坚持安全第一、预防为主的方针。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_text(_write(tmp_path, "计划.docx", buffer.getvalue()))
    assert result.text.split("\n") == ["学校安全工作计划", "一、指导思想", "坚持安全第一、预防为主的方针。"]
