"""The local web app (`summarizer serve`): 起草, 查重, 参考库 and 清洗 in the browser.

Why it is built this way: it is meant for school staff on one machine or a school LAN, often
offline, so pages are rendered on the server from the project's Jinja2 templates
(`templates/web/`) with inline CSS and a few lines of inline script, and nothing is loaded from
outside. The app only wires HTTP to the library functions the commands use (cleanup, checker,
composer); every file goes through `jobs.py` (private job directories, content sniffing, size
limit). Work runs in FastAPI's thread pool; the cleanup of many files runs in a background
thread and its page polls `/jobs/{id}` for progress.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import shutil
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import BaseLoader, Environment, FileSystemLoader, FunctionLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser

from summarizer.document import REMOVAL_LABELS
from summarizer.web.jobs import (
    Job,
    JobStore,
    UploadRejected,
    UploadTooLarge,
    count_members,
    data_template,
    save_upload,
    shown_name,
    too_large_message,
    zip_dir,
)

__all__ = ["create_app"]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
ACTIVITY_FIELDS = ("date", "kind", "title", "people", "place", "counts", "money", "notes")
LEADER_FIELDS = ("name", "title", "role")
RESULT_FIELDS = ("text", "counts")
_CHECK_TYPES = ("docx", "txt", "html", "zip")
_FORM_LIMITS = {"max_files": 500, "max_fields": 2000}


class _BodyTooLarge(Exception):
    """Raised from inside `receive` when a request body passes the limit."""


class _LimitBody:
    """ASGI middleware: refuse a request body past the limit while it streams in (413), before
    the multipart parser has stored it anywhere; a Content-Length past it is refused at once."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
        body = _environment().get_template("error.html").render(
            title="文件太大", message=too_large_message(self.max_bytes), page="").encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


_ENV: Environment | None = None


def _loader() -> BaseLoader:
    """The repo's `templates/web/` in a checkout, else the copy inside the installed package
    (`summarizer/templates` is a link to the repo's `templates/`), as `check/report.py` does."""
    if (TEMPLATES / "base.html").is_file():
        return FileSystemLoader(TEMPLATES)

    def packaged(name: str) -> str | None:
        resource = importlib.resources.files("summarizer").joinpath("templates", "web", name)
        return resource.read_text(encoding="utf-8") if resource.is_file() else None

    return FunctionLoader(packaged)


def _environment() -> Environment:
    """The pages' Jinja2 environment: autoescaping on, since every shown text is user data."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(loader=_loader(), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)
    return _ENV


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_environment().get_template(name).render(**context), status_code=status)


def _error(message: str, status: int = 400, page: str = "") -> HTMLResponse:
    return _page("error.html", status, title="出错了", message=message, page=page)


def _uploads(form: FormData, key: str) -> list[UploadFile]:
    return [f for f in form.getlist(key) if isinstance(f, UploadFile) and (f.filename or f.size)]


def _blank_row(fields: tuple[str, ...]) -> dict[str, str]:
    return dict.fromkeys(fields, "")


# ------------------------------------------------------------------------------- the draft form


def _rows(form: FormData, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The table rows of the form (`act_date`, `act_kind`, … repeated once per row)."""
    columns = {f: [str(v) for v in form.getlist(f"{prefix}_{f}")] for f in fields}
    count = max((len(v) for v in columns.values()), default=0)
    return [{f: (columns[f][i].strip() if i < len(columns[f]) else "") for f in fields} for i in range(count)]


def form_values(form: FormData) -> dict[str, Any]:
    """Everything the draft form sent, as strings, to fill the form in again."""
    single = ("kind", "topic", "school", "period", "role", "partners", "policies", "problems", "plans",
              "signoff_body", "signoff_date")
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in single}
    values["activities"] = _rows(form, "act", ACTIVITY_FIELDS)
    values["leaders"] = _rows(form, "lead", LEADER_FIELDS)
    values["results"] = _rows(form, "res", RESULT_FIELDS)
    return values


def _data_object(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The form as the data file's object (blank rows left out) and, per list, which form row
    each item came from, so that an error on item 1 is shown beside the right row."""
    obj: dict[str, Any] = {k: values[k] or None for k in ("kind", "topic", "school", "period", "role")}
    for key in ("partners", "policies", "problems", "plans"):
        if values[key]:
            obj[key] = values[key]
    rows_of: dict[str, list[int]] = {}
    for key in ("activities", "leaders", "results"):
        items, rows = [], []
        for i, row in enumerate(values[key]):
            if any(row.values()):
                items.append({k: v or None for k, v in row.items()})
                rows.append(i)
        obj[key] = items
        rows_of[key] = rows
    if values["signoff_body"] or values["signoff_date"]:
        obj["signoff"] = {"body": values["signoff_body"] or None, "date": values["signoff_date"] or None}
    return obj, rows_of


def validate_form(values: dict[str, Any]) -> tuple[Any, dict[str, list[str]]]:
    """(ActivityData or None, errors by form field): pydantic's error locations mapped to the
    form's field keys (`school`, `activities.2.date`, `signoff.date`, `activities.2` for a row)."""
    from pydantic import ValidationError

    from summarizer.compose.model import ActivityData
    from summarizer.io.data_readers import error_loc, error_reason

    obj, rows_of = _data_object(values)
    try:
        return ActivityData.model_validate(obj, context={"file": True}), {}
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors(include_url=False):
            loc = list(error_loc(err["loc"]))
            if len(loc) >= 2 and loc[0] in rows_of and isinstance(loc[1], int):
                loc[1] = rows_of[loc[0]][loc[1]]
            if loc and loc[0] in ("partners", "policies", "problems", "plans"):
                loc = loc[:1]
            key = ".".join(str(k) for k in loc) or "_form"
            errors.setdefault(key, []).append(error_reason(err))
        return None, errors


def _draft_view(job: Job, data: Any, warnings: list[Any] | None = None) -> dict[str, Any]:
    """Compose the draft, write its .docx and .md into the job, and what the page shows (with the
    data's warnings: a file's as its reader placed them, else the form's)."""
    from summarizer.compose.composer import compose, duplicate_ratio
    from summarizer.compose.docx_render import render_docx
    from summarizer.compose.text_render import block_text, draft_blocks, render_markdown
    from summarizer.io.data_readers import placed_warnings

    warnings = placed_warnings(data) if warnings is None else warnings

    draft = compose(data)
    job.output("draft.docx").write_bytes(render_docx(draft))
    job.output("draft.md").write_text(render_markdown(draft), encoding="utf-8")
    ratio, source = duplicate_ratio(draft)
    blocks = [{"kind": b.kind, "text": block_text(b)} for b in draft_blocks(draft)]
    return {"job": job.id, "title": draft.title, "blocks": blocks, "ratio": ratio, "source": source,
            "todos": sum(b["kind"] == "todo" for b in blocks), "warnings": warnings}


def _empty_form() -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(("kind", "topic", "school", "period", "role", "partners", "policies",
                                            "problems", "plans", "signoff_body", "signoff_date"), "")
    values["kind"] = "工作总结"
    values["activities"] = [_blank_row(ACTIVITY_FIELDS)]
    values["leaders"] = [_blank_row(LEADER_FIELDS)]
    values["results"] = [_blank_row(RESULT_FIELDS)]
    return values


# ------------------------------------------------------------------------------------ the app


def create_app(data_dir: Path, max_upload_mb: int = 20, db: Path | None = None,
               wait_for_reports: int = 20) -> Any:
    """The ASGI app. Everything it writes goes under `data_dir` (jobs, and the reference index
    `data_dir/index.db` unless `db` names another); uploads past `max_upload_mb` get a 413.
    A check of up to `wait_for_reports` inputs is answered at once; a larger one runs in the
    background and its page shows progress."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = Path(db) if db is not None else data_dir / "index.db"
    max_bytes = max_upload_mb * 1024 * 1024
    # Keep multipart uploads in memory up to the limit (instead of spilling to the system's
    # temp directory): nothing is written outside data_dir, and the limit bounds the memory.
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, max_bytes + 1)
    store = JobStore(data_dir / "jobs")
    app = FastAPI(title="summarizer", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.db = db_path

    def index_open() -> Any:
        from summarizer.check.index import ReferenceIndex

        return ReferenceIndex(db_path)

    async def read_form(request: Request) -> FormData:
        return await request.form(**_FORM_LIMITS)

    def store_all(job: Job, files: list[UploadFile], allowed: tuple[str, ...]) -> list[Path]:
        """Save every upload into the job (raises on the first bad one; the job is removed)."""
        try:
            return [save_upload(f.file, f.filename, job.uploads, max_bytes, allowed)[0] for f in files]
        except UploadRejected:
            store.discard(job)
            raise

    def rejected(exc: UploadRejected, page: str) -> HTMLResponse:
        return _error(str(exc), 413 if isinstance(exc, UploadTooLarge) else 400, page)

    # --------------------------------------------------------------------------- pages

    async def take_uploads(request: Request, key: str, allowed: tuple[str, ...], page: str, missing: str,
                      one: bool = False) -> tuple[Job, list[Path]] | HTMLResponse:
        """The uploads of a form field stored in a new job (typed by content), or the page that
        says what is wrong: the one way every page takes files in."""
        form = await read_form(request)
        files = _uploads(form, key)
        if not files:
            return _error(missing, 400, page)
        job = store.create()
        try:
            return job, store_all(job, files[:1] if one else files, allowed)
        except UploadRejected as exc:
            return rejected(exc, page)

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return _page("home.html", page="home", max_mb=max_upload_mb)

    @app.get("/draft", response_class=HTMLResponse)
    def draft_page() -> HTMLResponse:
        return _page("draft.html", page="draft", values=_empty_form(), errors={}, result=None,
                     max_mb=max_upload_mb, file_errors=[])

    @app.post("/draft", response_class=HTMLResponse)
    async def draft_post(request: Request) -> HTMLResponse:
        values = form_values(await read_form(request))
        data, errors = validate_form(values)
        for key, fields in (("activities", ACTIVITY_FIELDS), ("leaders", LEADER_FIELDS), ("results", RESULT_FIELDS)):
            values[key] = values[key] or [_blank_row(fields)]
        if data is None:
            return _page("draft.html", 422, page="draft", values=values, errors=errors, result=None,
                         max_mb=max_upload_mb, file_errors=[])
        job = store.create()
        result = await run_in_threadpool(_draft_view, job, data)
        job.state = "done"
        return _page("draft.html", page="draft", values=values, errors={}, result=result,
                     max_mb=max_upload_mb, file_errors=[])

    @app.post("/draft/upload", response_class=HTMLResponse)
    async def draft_upload(request: Request) -> HTMLResponse:
        from summarizer.io.data_readers import DataError, load_data_with_warnings

        got = await take_uploads(request, "file", ("xlsx",), "draft", "请选择要上传的 .xlsx 数据文件", one=True)
        if isinstance(got, HTMLResponse):
            return got
        job, (path,) = got
        try:
            data, warnings = await run_in_threadpool(load_data_with_warnings, path)
        except DataError as exc:
            job.remove_uploads()
            return _page("draft.html", 422, page="draft", values=_empty_form(), errors={}, result=None,
                         max_mb=max_upload_mb, file_errors=exc.messages)
        try:
            result = await run_in_threadpool(_draft_view, job, data, warnings)
        finally:
            job.remove_uploads()
        job.state = "done"
        return _page("draft.html", page="draft", values=_empty_form(), errors={}, result=result,
                     max_mb=max_upload_mb, file_errors=[])

    def library_size() -> int:
        """Documents in the reference index; 0 when there is none (reading never creates it)."""
        from summarizer.check.index import IndexFileError, ReferenceIndex

        try:
            with ReferenceIndex(db_path, create=False) as index:
                return len(index)
        except IndexFileError:
            return 0

    def store_each(job: Job, files: list[UploadFile], allowed: tuple[str, ...]) -> list[Path | tuple[str, str]]:
        """Save every upload into the job (a check's or a cleanup's); a refused one (empty,
        garbage, renamed) becomes `(name, why)` in its place so that the batch goes on. Too large for the limit still
        refuses the whole request, as the body limit does."""
        out: list[Path | tuple[str, str]] = []
        for f in files:
            try:
                out.append(save_upload(f.file, f.filename, job.uploads, max_bytes, allowed)[0])
            except UploadTooLarge:
                store.discard(job)
                raise
            except UploadRejected as exc:
                out.append((f.filename or "upload", str(exc)))
        if not any(isinstance(x, Path) for x in out):  # nothing to check: refuse, as one bad file
            store.discard(job)
            raise UploadRejected("；".join(why for _, why in out))  # type: ignore[misc]
        return out

    def run_check_job(job: Job, items: list[Path | tuple[str, str]]) -> Any:
        """Check the uploads against the index and each other (a refused upload is an error row);
        write the report and workbook, and keep the summary rows on the job for its page."""
        from summarizer.check import report as out
        from summarizer.check.checker import Submission, check
        from summarizer.check.index import IndexFileError, ReferenceIndex
        from summarizer.check.inputs import submissions_of

        def advance(n: int) -> None:
            job.done += n

        try:
            submissions: list[Submission] = []
            for item in items:
                if isinstance(item, tuple):
                    submissions.append(Submission(item[0], error=item[1]))
                    continue
                for s in submissions_of([item]):  # show the upload's name, not the job's private path
                    s.file = shown_name(s.file, job)
                    if s.error:
                        s.error = s.error.replace(str(job.uploads) + "/", "")
                    submissions.append(s)
            job.total = len(submissions)
            try:
                index: Any = ReferenceIndex(db_path, create=False)
            except IndexFileError:
                index = None
            try:
                run = check(submissions, index if index is not None and len(index) else None, on_progress=advance)
            finally:
                if index is not None:
                    index.close()
            job.output("report.html").write_text(out.render_html(run), encoding="utf-8")
            out.write_xlsx(run, job.output("result.xlsx"))
            job.extra = {"rows": [{"file": r.file, "title": r.title, "ratio": r.duplicate_ratio, "band": r.band,
                                   "index_ratio": r.index_ratio, "batch_ratio": r.batch_ratio,
                                   "common": len(r.common), "matches": len(r.matches), "error": r.error}
                                  for r in run.reports],
                         "clusters": [{"members": g, "links": [{"a": lk.a, "b": lk.b, "passage": max(lk.passages, key=len)[:60]}
                                                               for lk in run.cluster_links(g)]} for g in run.clusters],
                         "library": run.index_documents}
            job.message = f"共 {len(run.reports)} 份报告"
            job.state = "done"
            return run
        except Exception as exc:  # shown on the page instead of a silent dead job
            job.state = "error"
            job.message = f"查重失败：{exc}"
            raise
        finally:
            job.remove_uploads()

    def run_check_in_background(job: Job, items: list[Path | tuple[str, str]]) -> None:
        with contextlib.suppress(Exception):  # the error is on the job, for its page
            run_check_job(job, items)

    @app.get("/check", response_class=HTMLResponse)
    def check_page() -> HTMLResponse:
        return _page("check.html", page="check", result=None, max_mb=max_upload_mb, library=library_size())

    async def check_uploads(request: Request) -> tuple[Job, list[Path | tuple[str, str]]]:
        """The uploads of a check stored in a new job, refused ones as error rows."""
        form = await read_form(request)
        files = _uploads(form, "files")
        if not files:
            raise UploadRejected("请至少选择一份报告（.docx、.txt 或 .zip）")
        job = store.create()
        return job, store_each(job, files, _CHECK_TYPES)

    @app.post("/check", response_class=HTMLResponse)
    async def check_post(request: Request) -> Response:
        try:
            job, items = await check_uploads(request)
        except UploadRejected as exc:
            return rejected(exc, "check")
        inputs = count_members([p for p in items if isinstance(p, Path)]) + sum(isinstance(p, tuple) for p in items)
        if inputs > wait_for_reports:  # a long job: its page shows progress
            job.total = inputs
            threading.Thread(target=run_check_in_background, args=(job, items), daemon=True).start()
            return RedirectResponse(f"/check/{job.id}", status_code=303)
        await run_in_threadpool(run_check_job, job, items)
        return check_status_page(job.id)

    @app.get("/check/{job_id}", response_class=HTMLResponse)
    def check_status_page(job_id: str) -> HTMLResponse:
        job = store.get(job_id)
        if job is None:
            return _error("找不到这个任务（链接有误或已过期）", 404, "check")
        result = {"job": job.id, **job.extra} if job.state == "done" else None
        return _page("check.html", page="check", max_mb=max_upload_mb, result=result, job=job,
                     library=library_size())

    @app.post("/api/check")
    async def check_api(request: Request) -> JSONResponse:
        """The check as JSON (`check --format json`), for scripts and the load test."""
        from summarizer.check.report import to_json

        try:
            job, items = await check_uploads(request)
        except UploadRejected as exc:
            return JSONResponse({"error": str(exc)}, 413 if isinstance(exc, UploadTooLarge) else 400)
        run = await run_in_threadpool(run_check_job, job, items)
        return JSONResponse({"job": job.id, "library": run.index_documents, "reports": to_json(run)})

    # --------------------------------------------------------------------------- reference corpus

    def corpus_view() -> dict[str, Any]:
        """What the library holds; looking never creates it (adding does)."""
        from summarizer.check.index import IndexFileError, ReferenceIndex

        try:
            with ReferenceIndex(db_path, create=False) as index:
                rows = index.db.execute("SELECT name, title, added FROM documents ORDER BY id").fetchall()
        except IndexFileError:
            rows = []
        return {"count": len(rows), "docs": [{"name": n, "title": t, "added": a} for n, t, a in rows]}

    @app.get("/corpus", response_class=HTMLResponse)
    def corpus_page() -> HTMLResponse:
        return _page("corpus.html", page="corpus", corpus=corpus_view(), added=None, max_mb=max_upload_mb)

    @app.post("/corpus", response_class=HTMLResponse)
    async def corpus_add(request: Request) -> HTMLResponse:
        got = await take_uploads(request, "files", _CHECK_TYPES, "corpus", "请至少选择一份参考文档")
        if isinstance(got, HTMLResponse):
            return got
        job, paths = got

        def add() -> dict[str, Any]:
            from summarizer.check.inputs import reference_documents

            try:
                docs, errors = reference_documents(paths)
                docs = [(shown_name(n, job), shown_name(s, job), t, x) for n, s, t, x in docs]
                with index_open() as index:
                    added, skipped = index.add_many(docs)
                return {"added": added, "skipped": skipped,
                        "errors": [e.replace(str(job.uploads) + "/", "") for _s, e in errors]}
            finally:
                job.remove_uploads()
                job.state = "done"

        added = await run_in_threadpool(add)
        return _page("corpus.html", page="corpus", corpus=corpus_view(), added=added, max_mb=max_upload_mb)

    # --------------------------------------------------------------------------- cleanup

    def run_clean_job(job: Job, items: list[Path | tuple[str, str]]) -> None:
        """Clean the uploads (a refused upload is a failure of its own, named with its reason);
        write the zip of articles, manifest and removed.jsonl, and keep on the job, for its
        page, every failure and the first removed pieces."""
        from summarizer.clean.batch import REMOVED, read_removed, run_clean
        from summarizer.io.writers import AtomicFile, atomic_write, jsonl

        def advance(n: int) -> None:
            job.done += n

        def shown(text: str) -> str:  # the upload's name, not the job's private path
            return text.replace(str(job.uploads) + "/", "")

        try:
            work = job.dir / "work"
            paths = [p for p in items if isinstance(p, Path)]
            summary = run_clean(paths, work, on_progress=advance)
            refused = [{"source": name, "sha256": "", "status": "error", "error": f"{name}: {why}"}
                       for name, why in (p for p in items if isinstance(p, tuple))]
            for rec in summary.records:  # the manifest names the uploads, not private paths
                rec["source"] = shown_name(rec.get("source", ""), job)
                if rec.get("error"):
                    rec["error"] = shown(str(rec["error"]))
            atomic_write(summary.manifest, jsonl(summary.records + refused))  # the batch's own writer
            shown_removed, removed_total = [], 0
            with AtomicFile(job.output("removed.jsonl")) as f:  # line by line: a page of glosses has a thousand
                for rec in read_removed(work):
                    rec["source"] = shown_name(rec.get("source", ""), job)
                    f.write(jsonl([rec]))
                    removed_total += 1
                    if len(shown_removed) < REMOVED_SHOWN:
                        shown_removed.append(rec)
                f.commit(durable=False)
            shutil.copyfile(job.output("removed.jsonl"), work / REMOVED)
            job.output("clean.zip").write_bytes(zip_dir(work))
            failed = [{"file": r["source"], "error": r["error"].split(": ", 1)[-1]}
                      for r in summary.records + refused if r.get("status") == "error"]
            job.extra = {"articles": summary.articles, "errors": len(failed), "inputs": summary.inputs + len(refused),
                         "failed": failed, "removed": shown_removed, "removed_total": removed_total}
            job.message = (f"共 {summary.inputs + len(refused)} 个输入，得到 {summary.articles} 篇文章，"
                           f"{len(failed)} 个失败，删除文字 {removed_total} 处")
            job.state = "done"
        except Exception as exc:  # shown on the page instead of a silent dead job
            job.state = "error"
            job.message = f"清洗失败：{exc}"
        finally:
            job.remove_uploads()

    @app.get("/clean", response_class=HTMLResponse)
    def clean_page() -> HTMLResponse:
        return _page("clean.html", page="clean", job=None, max_mb=max_upload_mb)

    @app.post("/clean")
    async def clean_post(request: Request) -> Response:
        """Every upload is stored; one refused (empty, not a document, renamed) is listed with its
        reason and the rest are cleaned. Only when none is usable is the upload refused."""
        form = await read_form(request)
        files = _uploads(form, "files")
        if not files:
            return _error("请选择要清洗的文件或 .zip 压缩包", 400, "clean")
        job = store.create()
        try:
            items = store_each(job, files, _CHECK_TYPES)
        except UploadRejected as exc:
            return rejected(exc, "clean")
        job.total = count_members([p for p in items if isinstance(p, Path)])
        threading.Thread(target=run_clean_job, args=(job, items), daemon=True).start()
        return RedirectResponse(f"/clean/{job.id}", status_code=303)

    @app.get("/clean/{job_id}", response_class=HTMLResponse)
    def clean_status_page(job_id: str) -> HTMLResponse:
        job = store.get(job_id)
        if job is None:
            return _error("找不到这个任务（链接有误或已过期）", 404, "clean")
        return _page("clean.html", page="clean", job=job, max_mb=max_upload_mb, reasons=REMOVAL_LABELS)

    # --------------------------------------------------------------------------- jobs

    @app.get("/jobs/{job_id}")
    def job_status(job_id: str) -> JSONResponse:
        job = store.get(job_id)
        if job is None:
            return JSONResponse({"error": "找不到这个任务"}, 404)
        return JSONResponse(job.status())

    app.add_api_route("/draft/template.xlsx", data_template, methods=["GET"])  # 数据模板.xlsx

    @app.get("/jobs/{job_id}/files/{name}")
    def job_file(job_id: str, name: str) -> Response:
        job = store.get(job_id)
        if job is None or name not in _DOWNLOADS or not job.output(name).is_file():
            return _error("找不到这个文件", 404)
        media, download = _DOWNLOADS[name]
        headers = {"X-Content-Type-Options": "nosniff"}
        if name == "report.html":  # the checker's page, shown in a frame: no scripts from elsewhere
            headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        return FileResponse(job.output(name), media_type=media, filename=download,
                            content_disposition_type="inline" if name == "report.html" else "attachment",
                            headers=headers)

    return _LimitBody(app, max_bytes)


_DOWNLOADS = {
    "draft.docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "初稿.docx"),
    "draft.md": ("text/markdown; charset=utf-8", "初稿.md"),
    "report.html": ("text/html; charset=utf-8", "查重报告.html"),
    "result.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "查重结果.xlsx"),
    "clean.zip": ("application/zip", "清洗结果.zip"),
    "removed.jsonl": ("application/x-ndjson; charset=utf-8", "删除的文字.jsonl"),
}
REMOVED_SHOWN = 500  # removed pieces listed on the 清洗 page; all of them are in removed.jsonl
