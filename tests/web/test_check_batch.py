"""The web check with bad files in the batch, and the library size it shows up front: on the real
server (uvicorn in a subprocess, with the seeded index) and in process with an empty library."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import httpx
import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402
from web_helpers import CLEAN  # noqa: E402

from summarizer.web.app import create_app  # noqa: E402

GARBAGE = bytes(range(256)) * 40


def good_reports() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(CLEAN.glob("*.txt"))[:2]]


def test_a_batch_with_an_empty_and_a_garbage_file_checks_the_rest(server: str) -> None:
    files = [good_reports()[0], ("files", ("空的.txt", b"", "text/plain")),
             ("files", ("乱码.txt", GARBAGE, "text/plain")), good_reports()[1]]
    r = httpx.post(server + "/api/check", files=files, timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["library"] == 12
    rows = {x["file"]: x for x in body["reports"]}
    assert list(rows) == [files[0][1][0], "空的.txt", "乱码.txt", files[3][1][0]]  # upload order kept
    assert "空文件" in rows["空的.txt"]["error"] and rows["空的.txt"]["duplicate_ratio"] is None
    assert "不是可识别的文件" in rows["乱码.txt"]["error"]
    for name in (files[0][1][0], files[3][1][0]):
        assert rows[name].get("error") is None and rows[name]["index_ratio"] > 0.5  # indexed articles


def test_the_page_shows_the_error_rows_and_the_ratios(server: str) -> None:
    files = [good_reports()[0], ("files", ("乱码.txt", GARBAGE, "text/plain"))]
    r = httpx.post(server + "/check", files=files, timeout=120, follow_redirects=True)
    assert r.status_code == 200
    assert re.search(r'class="error-row"><td>乱码\.txt</td><td colspan="8" class="err">[^<]*不是可识别的文件', r.text)
    assert len(re.findall(r'class="ratio">([\d.]+)%<', r.text)) == 1
    assert float(re.search(r'class="ratio-index">([\d.]+)%<', r.text).group(1)) > 50
    page = httpx.get(server + "/check", timeout=30).text
    assert re.search(r'id="library-count">12<', page) and 'class="warn-empty"' not in page


def test_an_empty_library_is_shown_in_red_and_never_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = tmp_path / "nowhere" / "index.db"
    client = TestClient(create_app(data, max_upload_mb=1, db=db))
    page = client.get("/check").text
    assert 'class="warn-empty"' in page and 'id="library-count">0<' in page and "参考库是空的" in page
    r = client.post("/check", files=good_reports())
    assert r.status_code == 200
    assert 'id="no-index"' in r.text and len(re.findall(r'class="ratio">', r.text)) == 2
    assert not db.exists() and not db.parent.exists()  # reading the library never creates it


@pytest.mark.parametrize("bad", [b"", GARBAGE])
def test_a_batch_of_only_bad_files_is_refused_with_the_reason(tmp_path: Path, bad: bytes) -> None:
    client = TestClient(create_app(tmp_path / "data", max_upload_mb=1))
    r = client.post("/api/check", files={"files": ("坏.txt", bad)})
    assert r.status_code == 400 and "坏.txt" in r.json()["error"]
