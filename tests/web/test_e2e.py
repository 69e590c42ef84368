"""End to end: the real server (uvicorn subprocess) driven by Debian's headless Chromium through
Playwright. Skipped only when /usr/bin/chromium is absent."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from web_helpers import CHROMIUM, CHROMIUM_ARGS, RAW

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")

WIDTH, HEIGHT = 1280, 900


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, accept_downloads=True,
                                  base_url=server)
    outside: list[str] = []
    # Any request not to our server fails the test: the pages must work offline.
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(server)
                                         else (outside.append(route.request.url), route.abort())))
    p = context.new_page()
    yield p
    context.close()
    assert outside == []


def png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and a sample of distinct pixels of an 8-bit RGB(A) PNG (enough to tell a
    rendered page from a blank one without an imaging library)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    i = 0
    for _row in range(height):
        filt = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if filt == 1:
                line[x] = (line[x] + a) & 255
            elif filt == 2:
                line[x] = (line[x] + b) & 255
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if _row % 16 == 0:
            colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 8))
    return width, height, colours


def test_draft_form_in_the_browser(page, tmp_path: Path) -> None:
    from docx import Document

    page.goto("/draft")
    assert "起草" in page.title()
    page.fill("#f-school", "望江县第二中心小学")
    page.fill("#f-period", "2024年")
    page.fill("#f-topic", "学校结对帮扶")
    rows = page.locator("#activities tbody tr")
    assert rows.count() == 1
    # the columns people write sentences in are wide enough to read what was typed
    for name, least in (("act_title", 240), ("act_notes", 220), ("act_counts", 190), ("act_date", 160)):
        assert rows.nth(0).locator(f"input[name={name}]").bounding_box()["width"] >= least, name
    page.click("button.add-row[data-table=activities]")
    page.click("button.add-row[data-table=activities]")
    assert rows.count() == 3
    for i, (date, kind, title) in enumerate([("2024-03-15", "送教下乡", "骨干教师来校上示范课"),
                                            ("2024-04-02", "家访", "要删除的活动"),
                                            ("2024-05-20/2024-05-22", "跟岗学习", "教师赴建设街小学跟岗")]):
        row = rows.nth(i)
        row.locator("input[name=act_date]").fill(date)
        row.locator("input[name=act_kind]").fill(kind)
        row.locator("input[name=act_title]").fill(title)
    rows.nth(1).locator("button.remove-row").click()
    assert rows.count() == 2
    page.click("#submit-draft")
    page.wait_for_selector("#result")
    text = page.inner_text("#result")
    assert "望江县第二中心小学" in text and "跟岗" in text
    assert "要删除的活动" not in text
    with page.expect_download() as info:
        page.click("#dl-docx")
    target = tmp_path / "draft.docx"
    info.value.save_as(target)
    doc = Document(str(target))
    assert any("望江县第二中心小学" in p.text for p in doc.paragraphs)
    shot = page.screenshot(full_page=False)
    width, height, colours = png_pixels(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(colours) > 20  # text, buttons and header, not a blank page


def test_draft_form_errors_in_the_browser(page) -> None:
    page.goto("/draft")
    page.fill("#f-school", "望江县第二中心小学")
    page.fill("#f-period", "本学年")
    page.click("#submit-draft")
    err = page.locator('.err[data-field="period"]')
    assert "年份" in err.inner_text()


def test_check_upload_in_the_browser(page) -> None:
    page.goto("/check")
    raw = sorted(RAW.glob("*.txt"))[0]
    page.set_input_files("#check-form input[type=file]", str(raw))
    page.click("#submit-check")
    page.wait_for_selector("#ratios")
    ratio = page.locator("#ratios td.ratio").first.inner_text()
    assert ratio.endswith("%") and float(ratio[:-1]) > 0
    assert page.locator("#dl-xlsx").count() == 1


def test_cleanup_zip_in_the_browser(page, tmp_path: Path) -> None:
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(RAW.glob("*.txt")):
            zf.writestr(p.name, p.read_bytes())
    garbage = tmp_path / "乱码.txt"
    garbage.write_bytes(bytes(range(256)) * 40)
    page.goto("/clean")
    page.set_input_files("#clean-form input[type=file]", [str(archive), str(garbage)])
    page.click("#submit-clean")
    page.wait_for_selector("#dl-zip", state="visible", timeout=120_000)
    assert "已完成" in page.inner_text("#status")
    # The bad file is named with its reason; the rest is cleaned, and what it lost is listed.
    assert page.locator("#failed td.file").all_inner_texts() == ["乱码.txt"]
    assert "不是可识别的文件" in page.inner_text("#failed td.error")
    assert page.locator("#removed tbody tr").count() > 100
    with page.expect_download() as info:
        page.click("#dl-zip")
    out = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "manifest.jsonl" in out.namelist()
    assert sum(n.endswith(".txt") for n in out.namelist()) >= 20
