"""The web cleanup with bad files in the upload, on the real server (uvicorn in a subprocess):
the rest is cleaned, each failed file is named with its reason, and what was removed is listed."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import httpx
from web_helpers import RAW

from summarizer.web.clean import REMOVED_SHOWN

GARBAGE = bytes(range(256)) * 40


def finished(server: str, response: httpx.Response) -> str:
    """The job's page once the job is done (the page the browser reloads to)."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    job = location.rsplit("/", 1)[1]
    for _ in range(1200):
        if httpx.get(f"{server}/jobs/{job}", timeout=30).json()["state"] != "running":
            break
        time.sleep(0.1)
    return job


def test_a_batch_with_bad_files_cleans_the_rest_and_names_each_failure(server: str) -> None:
    pages = io.BytesIO()
    with zipfile.ZipFile(pages, "w") as zf:
        for p in sorted(RAW.glob("*.txt"))[:2]:
            zf.writestr(p.name, p.read_bytes())
        zf.writestr("空白.txt", b"")  # a member the cleanup refuses
    seed = sorted(RAW.glob("*.txt"))[0]
    files = [("files", ("网页.zip", pages.getvalue(), "application/zip")),
             ("files", ("空的.txt", b"", "text/plain")),  # refused at upload
             ("files", ("乱码.txt", GARBAGE, "text/plain")),  # refused at upload
             ("files", ("单篇.txt", seed.read_bytes(), "text/plain"))]
    job = finished(server, httpx.post(server + "/clean", files=files, timeout=120))
    status = httpx.get(f"{server}/jobs/{job}", timeout=30).json()
    assert status["state"] == "done" and "3 个失败" in status["message"], status

    page = httpx.get(f"{server}/clean/{job}", timeout=30).text
    rows = re.findall(r'<tr><td class="file">([^<]*)</td><td class="error">([^<]*)</td></tr>',
                      page.split('id="failed"')[1].split("</table>")[0])
    failed = dict(rows)
    assert set(failed) == {"空的.txt", "乱码.txt", "网页.zip!空白.txt"}
    assert "空文件" in failed["空的.txt"] and "不是可识别的文件" in failed["乱码.txt"]
    assert failed["网页.zip!空白.txt"]  # the reason, whatever the reader says

    # The rest was cleaned: the zip holds their articles and a manifest naming the failures too.
    out = zipfile.ZipFile(io.BytesIO(httpx.get(f"{server}/jobs/{job}/files/clean.zip", timeout=30).content))
    manifest = [json.loads(line) for line in out.read("manifest.jsonl").decode("utf-8").splitlines()]
    ok = {r["source"] for r in manifest if r["status"] == "ok"}
    assert ok == {f"网页.zip!{p.name}" for p in sorted(RAW.glob("*.txt"))[:2]} | {"单篇.txt"}
    assert {r["source"] for r in manifest if r["status"] == "error"} == set(failed)
    assert sum(n.endswith(".txt") for n in out.namelist()) == sum(r["status"] == "ok" for r in manifest)

    # What the cleanup removed: listed on the page, and the whole of it to download.
    removed = [json.loads(line) for line in out.read("removed.jsonl").decode("utf-8").splitlines()]
    download = httpx.get(f"{server}/jobs/{job}/files/removed.jsonl", timeout=30)
    assert download.status_code == 200 and download.content == out.read("removed.jsonl")
    assert removed and all("/uploads/" not in r["source"] for r in removed)
    assert f'删除的文字（{len(removed)} 处）' in page
    assert "[2016学校帮扶工作总结]" in page and 'id="dl-removed"' in page
    # A repaired mojibake stretch is listed with what it became, ahead of the thousand glosses
    # removed before it, since its guesses are what a reviewer has to check.
    assert sum(r["reason"] == "gloss" for r in removed) > REMOVED_SHOWN
    assert '?,F <span class="repl">→ 。現</span>' in page


def test_an_upload_of_nothing_but_bad_files_is_refused_naming_them(server: str) -> None:
    files = [("files", ("空的.txt", b"", "text/plain")), ("files", ("乱码.txt", GARBAGE, "text/plain"))]
    r = httpx.post(server + "/clean", files=files, timeout=60)
    assert r.status_code == 400 and "空文件" in r.text and "不是可识别的文件" in r.text
