"""The web app through FastAPI's test client: pages, draft, check, corpus, cleanup, and the
safety rules (content sniffing, size limit, private job directories, nothing outside data_dir)."""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from summarizer.compose.model import DataError
from summarizer.io.data_readers import load_data

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402
from web_helpers import CLEAN, RAW, seed_index  # noqa: E402

from summarizer.web.app import create_app  # noqa: E402

PAGES = ["/", "/draft", "/check", "/corpus", "/clean"]
EXAMPLE_XLSX = Path(__file__).resolve().parents[2] / "examples" / "data" / "jiaoyu_fupin_2025_plan.xlsx"


def snapshot(root: Path) -> set[str]:
    """Every path under `root` (to see what a request wrote)."""
    return {str(p) for p in root.rglob("*")}


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    seed_index(d / "index.db")
    return d


@pytest.fixture()
def client(data_dir: Path) -> TestClient:
    return TestClient(create_app(data_dir, max_upload_mb=1))


def errors_of(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in re.findall(r'<div class="err" data-field="([^"]+)">([^<]*)</div>', html):
        found.setdefault(field, []).append(message)
    return found


def draft_form(**extra: object) -> dict[str, object]:
    form: dict[str, object] = {
        "kind": "工作总结", "topic": "学校结对帮扶", "school": "望江县第二中心小学", "period": "2024年",
        "role": "受援", "partners": "建设街小学",
        "act_date": ["2024-03-15", "2024-05-20/2024-05-22"], "act_kind": ["送教下乡", "跟岗学习"],
        "act_title": ["建设街小学骨干教师来校上示范课", ""], "act_people": ["张伟、刘洋", "李明"],
        "act_place": ["我校", "建设街小学"], "act_counts": ["示范课=3；听课教师=25", ""],
        "act_money": ["", "12000"], "act_notes": ["", ""],
        "res_text": ["学困生转化成效明显"], "res_counts": ["转化学困生=18"],
        "signoff_body": "望江县第二中心小学", "signoff_date": "2024-12-20",
    }
    form.update(extra)
    return form


# ------------------------------------------------------------------------------------ pages


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_chinese_without_outside_resources(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert re.search(r"[\u4e00-\u9fff]{4}", r.text)
    assert 'lang="zh-CN"' in r.text
    for attr in re.findall(r'(?:src|href|action)\s*=\s*"([^"]*)"', r.text):
        assert not re.match(r"(?:https?:)?//", attr), attr
    assert "http://" not in r.text and "https://" not in r.text


def test_corpus_page_lists_the_index(client: TestClient) -> None:
    r = client.get("/corpus")
    assert re.search(r'id="doc-count">12<', r.text)
    assert sorted(CLEAN.glob("*.txt"))[0].stem in r.text


# ------------------------------------------------------------------------------------ draft


def test_valid_form_gives_a_draft_and_downloads(client: TestClient) -> None:
    from docx import Document

    r = client.post("/draft", data=draft_form())
    assert r.status_code == 200
    assert 'id="result"' in r.text and "望江县第二中心小学" in r.text
    assert "建设街小学" in r.text
    docx_url = re.search(r'href="(/jobs/[^"]+/files/draft\.docx)"', r.text).group(1)
    md_url = re.search(r'href="(/jobs/[^"]+/files/draft\.md)"', r.text).group(1)
    d = client.get(docx_url)
    assert d.status_code == 200 and d.content[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(d.content)).paragraphs)
    assert "望江县第二中心小学" in text
    m = client.get(md_url)
    assert m.status_code == 200 and "望江县第二中心小学" in m.text


def test_draft_text_is_escaped(client: TestClient) -> None:
    r = client.post("/draft", data=draft_form(school="<script>alert(1)</script>小学"))
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;" in r.text


def test_every_field_with_line_breaks_quotes_and_markup_gives_a_draft_not_a_500(client: TestClient) -> None:
    """A text box with several lines (the 问题 box asks for one a line), an Alt+Enter in an
    activity, quotes and markup anywhere: a draft, or errors beside the fields, never a 500."""
    odd = 'a\r\n"b"\n<script>x</script>'
    form = draft_form(topic=f"学校结对\n帮扶{odd}", school="望江县\r\n第二中心小学", partners="建设街小学\n实验小学",
                      act_title=["骨干教师来校\n上示范课", f"跟岗{odd}"], act_people=["张伟\n刘洋", "李明"],
                      act_place=["我校\n多功能厅", "建设街小学"], act_notes=["课后评课\n研讨", odd],
                      res_text=["学困生转化\n成效明显"], problems="教师外出学习与课务冲突\n辅导时间不足\n\n",
                      plans="每学期互派教师跟岗学习\r\n每月一次线上教研", signoff_body="望江县\n第二中心小学")
    r = client.post("/draft", data=form)
    assert r.status_code in (200, 422), r.text[:300]
    assert "<script>x" not in r.text
    if r.status_code == 200:
        md = client.get(re.search(r'href="(/jobs/[^"]+/files/draft\.md)"', r.text).group(1)).text
        assert "一是教师外出学习与课务冲突" in md and "二是辅导时间不足" in md  # one item a line
        assert "骨干教师来校，上示范课" in md


def test_invalid_form_shows_errors_beside_fields(client: TestClient) -> None:
    form = draft_form(school="", period="本学年", act_date=["2024-03-15", "2024-13-45"],
                      signoff_date="明天")
    r = client.post("/draft", data=form)
    assert r.status_code == 422
    errors = errors_of(r.text)
    assert errors["school"] == ["未填写（必填）"] or "必填" in errors["school"][0] or errors["school"]
    assert "年份" in errors["period"][0]
    assert "activities.1.date" in errors and "activities.0.date" not in errors
    assert "signoff.date" in errors
    # the error stands inside the field's own cell, after its input
    cell = re.search(r'<td class="f-date has-err">\s*<input type="text" name="act_date" value="2024-13-45"[^>]*>\s*'
                     r'<div class="err" data-field="activities.1.date">', r.text)
    assert cell, "the date error is not beside the second row's date"
    assert 'value="本学年"' in r.text  # what was typed is kept


def test_blank_rows_are_skipped_and_error_rows_keep_their_place(client: TestClient) -> None:
    form = draft_form(act_date=["", "2024-03-15", "bad"], act_kind=["", "家访", "家访"],
                      act_title=["", "", ""], act_people=["", "", ""], act_place=["", "", ""],
                      act_counts=["", "", ""], act_money=["", "", ""], act_notes=["", "", ""])
    errors = errors_of(client.post("/draft", data=form).text)
    assert list(k for k in errors if k.startswith("activities")) == ["activities.2.date"]


def test_the_draft_page_offers_the_data_template_and_it_loads(client: TestClient, tmp_path) -> None:
    page = client.get("/draft").text
    assert 'href="/draft/template.xlsx"' in page and "下载数据模板" in page
    r = client.get("/draft/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK" and "attachment" in r.headers["content-disposition"]
    (tmp_path / "模板.xlsx").write_bytes(r.content)
    with pytest.raises(DataError, match="学校"):  # the empty form: only the required facts missing
        load_data(tmp_path / "模板.xlsx")


def test_xlsx_upload_gives_a_draft(client: TestClient) -> None:
    with EXAMPLE_XLSX.open("rb") as f:
        r = client.post("/draft/upload", files={"file": ("数据.xlsx", f, "application/octet-stream")})
    assert r.status_code == 200 and 'id="result"' in r.text
    assert re.search(r"/jobs/[^\"]+/files/draft\.docx", r.text)



def test_the_draft_page_shows_the_data_warnings_above_the_draft(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/draft", data=draft_form(res_counts=["学困生=8；转化学困生=10"]))
    assert r.status_code == 200
    assert r.text.index('id="draft-warnings"') < r.text.index('class="draft"')
    assert "成效第1项“数量”：“转化学困生”（10）大于“学困生”（8）" in r.text
    from openpyxl import load_workbook

    wb = load_workbook(EXAMPLE_XLSX)
    wb["活动"].cell(row=2, column=1, value="2026-03-15")  # the plan's period is 2025年
    path = tmp_path / "warn.xlsx"
    wb.save(path)
    r = client.post("/draft/upload", files={"file": ("warn.xlsx", path.read_bytes())})
    assert r.status_code == 200 and 'id="result"' in r.text
    # named by sheet, row and column, without the server's path of the upload
    assert "<li>活动 第2行 “日期”：日期 2026-03-15" in r.text and "不在时段“2025年”" in r.text
    assert 'id="draft-warnings"' not in client.post("/draft", data=draft_form()).text


def test_bad_xlsx_lists_its_errors(client: TestClient, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(EXAMPLE_XLSX)
    ws = wb["活动"]
    ws.cell(row=2, column=1, value="2024-02-30")
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    r = client.post("/draft/upload", files={"file": ("bad.xlsx", path.read_bytes())})
    assert r.status_code == 422
    assert 'id="file-errors"' in r.text and "活动" in r.text


# ------------------------------------------------------------------------------------ check


def test_check_of_raw_pages_shows_ratios_and_xlsx(client: TestClient) -> None:
    from openpyxl import load_workbook

    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(RAW.glob("*.txt"))]
    r = client.post("/check", files=files)
    assert r.status_code == 200
    ratios = re.findall(r'class="ratio">([\d.]+)%<', r.text)
    assert len(ratios) == len(files)
    assert max(float(x) for x in ratios) > 10  # the pages hold corpus articles
    xlsx = re.search(r'href="(/jobs/[^"]+/files/result\.xlsx)"', r.text).group(1)
    wb = load_workbook(io.BytesIO(client.get(xlsx).content))
    assert wb.worksheets[0].max_row >= len(files) + 1
    report = re.search(r'<iframe src="(/jobs/[^"]+/files/report\.html)"', r.text).group(1)
    page = client.get(report)
    assert page.status_code == 200 and "查重" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for name, _ in files:  # the user sees file names, not the server's paths
        assert name[1] in r.text
    assert "/uploads/" not in r.text


def test_check_of_a_zip_and_docx(client: TestClient) -> None:
    from docx import Document

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(CLEAN.glob("*.txt"))[:3]:
            zf.writestr(p.name, p.read_text(encoding="utf-8"))
    doc = Document()
    for line in sorted(CLEAN.glob("*.txt"))[5].read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    dbuf = io.BytesIO()
    doc.save(dbuf)
    r = client.post("/api/check", files=[("files", ("reports.zip", buf.getvalue())),
                                         ("files", ("报告.docx", dbuf.getvalue()))])
    assert r.status_code == 200
    reports = r.json()["reports"]
    assert len(reports) == 4  # each zip member is a report of its own
    assert all(x["duplicate_ratio"] > 0.5 for x in reports)  # copies of indexed articles


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("report.txt", bytes(range(256)) * 40, "不是可识别的文件"),
    ("report.docx", "这其实是一份文本文件，只是改了扩展名。".encode(), "内容不是 Word 文档"),
    ("report.docx", b"PK\x03\x04 truncated", "损坏"),
    ("reports.zip", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "不是可识别的文件"),
])
def test_renamed_or_broken_files_are_refused(client: TestClient, data_dir: Path, name: str, content: bytes,
                                             expected: str) -> None:
    before = snapshot(data_dir)
    r = client.post("/check", files={"files": (name, content)})
    assert r.status_code == 400
    message = re.search(r'id="message">([^<]*)<', r.text).group(1)
    assert name in message and expected in message
    assert snapshot(data_dir) == before  # the refused job leaves nothing behind


def test_text_named_txt_with_docx_content_is_read_as_docx(client: TestClient) -> None:
    from docx import Document

    doc = Document()
    for line in sorted(CLEAN.glob("*.txt"))[5].read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    r = client.post("/api/check", files={"files": ("报告.txt", buf.getvalue())})
    assert r.status_code == 200
    (report,) = r.json()["reports"]
    assert report.get("error") is None and report["duplicate_ratio"] > 0.5


def test_xlsx_is_not_accepted_as_a_report(client: TestClient) -> None:
    r = client.post("/check", files={"files": ("report.xlsx", EXAMPLE_XLSX.read_bytes())})
    assert r.status_code == 400 and "只接受" in r.text


def test_upload_over_the_limit_is_413_with_a_message(client: TestClient, data_dir: Path) -> None:
    before = snapshot(data_dir)
    r = client.post("/check", files={"files": ("big.txt", "学校" * 400_000)})
    assert r.status_code == 413
    assert "太大" in r.text and "1 MB" in r.text
    assert not any("/uploads/" in p for p in snapshot(data_dir) - before)


# ------------------------------------------------------------------------------------ corpus


def test_adding_to_the_corpus(client: TestClient) -> None:
    page = RAW / next(p.name for p in RAW.glob("003_*.txt"))
    r = client.post("/corpus", files={"files": ("新参考.txt", page.read_bytes())})
    assert r.status_code == 200 and 'id="added"' in r.text
    count = int(re.search(r'id="doc-count">(\d+)<', r.text).group(1))
    assert count > 12
    assert "新参考.txt" in r.text


# ------------------------------------------------------------------------------------ cleanup


def wait_done(client: TestClient, job: str) -> dict:
    import time

    for _ in range(600):
        status = client.get(f"/jobs/{job}").json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the cleanup did not finish")


def test_cleanup_of_a_zip_returns_articles_and_manifest(client: TestClient) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(RAW.glob("*.txt")):
            zf.writestr(p.name, p.read_bytes())
    r = client.post("/clean", files={"files": ("pages.zip", buf.getvalue())}, follow_redirects=False)
    assert r.status_code == 303
    job = r.headers["location"].rsplit("/", 1)[1]
    status = wait_done(client, job)
    assert status["state"] == "done" and status["done"] == status["total"] == 4
    page = client.get(f"/clean/{job}")
    assert "已完成" in page.text and f"/jobs/{job}/files/clean.zip" in page.text
    out = zipfile.ZipFile(io.BytesIO(client.get(f"/jobs/{job}/files/clean.zip").content))
    names = out.namelist()
    assert "manifest.jsonl" in names
    assert sum(n.endswith(".txt") for n in names) >= 20
    manifest = out.read("manifest.jsonl").decode("utf-8")
    assert "/uploads/" not in manifest and "pages.zip" in manifest


# ------------------------------------------------------------------------------------ isolation


def test_jobs_are_private_and_paths_cannot_escape(client: TestClient, data_dir: Path) -> None:
    a = client.post("/draft", data=draft_form()).text
    b = client.post("/draft", data=draft_form(school="城关第一小学")).text
    ja = re.search(r"/jobs/([^/]+)/files/draft\.docx", a).group(1)
    jb = re.search(r"/jobs/([^/]+)/files/draft\.docx", b).group(1)
    assert ja != jb and len(ja) >= 22 and len(jb) >= 22
    assert client.get(f"/jobs/{ja}/files/draft.docx").status_code == 200
    (data_dir / "secret.txt").write_text("机密", encoding="utf-8")
    for url in [f"/jobs/{ja[:-1]}x/files/draft.docx", "/jobs/AAAAAAAAAAAAAAAAAAAAAA/files/draft.docx",
                f"/jobs/{ja}/files/..%2F..%2Fsecret.txt", f"/jobs/{ja}/files/../../secret.txt",
                f"/jobs/..%2F{jb}/files/draft.docx", "/jobs/..%2F..%2Fsecret.txt/files/draft.docx",
                f"/jobs/{ja}/files/uploads", f"/jobs/{ja}/files/%2Fetc%2Fpasswd", "/jobs/../index.db"]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert "机密" not in r.text
    assert client.get("/jobs/nonexistent").status_code == 404


def test_nothing_is_written_outside_data_dir_and_uploads_are_removed(data_dir: Path) -> None:
    client = TestClient(create_app(data_dir, max_upload_mb=5))
    parent = data_dir.parent
    before = {p.name for p in parent.iterdir()}
    cwd_before = set(os.listdir(Path.cwd()))
    client.post("/check", files=[("files", (p.name, p.read_bytes())) for p in sorted(RAW.glob("*.txt"))])
    client.post("/draft", data=draft_form())
    client.post("/corpus", files={"files": ("x.txt", next(CLEAN.glob("*.txt")).read_bytes())})
    r = client.post("/clean", files={"files": ("a.txt", next(RAW.glob("*.txt")).read_bytes())},
                    follow_redirects=False)
    wait_done(client, r.headers["location"].rsplit("/", 1)[1])
    assert {p.name for p in parent.iterdir()} == before
    assert set(os.listdir(Path.cwd())) == cwd_before
    leftovers = [p for p in (data_dir / "jobs").rglob("*")
                 if "uploads" in p.parts or p.name.startswith(".part") or "work" in p.parts]
    assert leftovers == []
    for job in (data_dir / "jobs").iterdir():
        assert {p.name for p in job.iterdir()} <= {"draft.docx", "draft.md", "report.html", "result.xlsx",
                                                   "clean.zip", "removed.jsonl"}


def test_safe_name_keeps_basenames_only() -> None:
    from summarizer.web.jobs import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\x\\..\\报告.docx") == "报告.docx"
    assert safe_name("..") == "upload"
    assert safe_name(".bashrc") == "bashrc"
    assert "/" not in safe_name("a/b\x00c.txt")


def test_old_jobs_are_purged(tmp_path: Path) -> None:
    from summarizer.web.jobs import JobStore

    store = JobStore(tmp_path / "jobs", keep_hours=1)
    old = store.create()
    (old.dir / "draft.md").write_text("旧", encoding="utf-8")
    os.utime(old.dir, (0, 0))
    old.state = "done"
    fresh = store.create()
    assert not old.dir.exists() and fresh.dir.is_dir()
    assert store.get(old.id) is None and store.get(fresh.id) is fresh


def test_a_large_check_runs_in_the_background_with_progress(data_dir: Path) -> None:
    client = TestClient(create_app(data_dir, max_upload_mb=5, wait_for_reports=2))
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(CLEAN.glob("*.txt"))[:6]]
    r = client.post("/check", files=files, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/check/")
    job = r.headers["location"].rsplit("/", 1)[-1]
    page = client.get(f"/check/{job}")
    assert page.status_code == 200
    assert "查重任务" in page.text or 'class="ratio"' in page.text  # progress, or already done
    import time

    deadline = time.monotonic() + 120
    while (status := client.get(f"/jobs/{job}").json())["state"] == "running":
        assert 0 <= status["done"] <= status["total"] == 6
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert status["state"] == "done" and status["done"] == status["total"] == 6
    done = client.get(f"/check/{job}").text
    assert len(re.findall(r'class="ratio">([\d.]+)%<', done)) == 6
    assert f"/jobs/{job}/files/result.xlsx" in done
