"""The 查重 page and `/api/check`: uploaded reports checked against the reference library and
each other.

A check of up to `wait_for_reports` inputs is answered at once; a larger one runs in a
background thread and its page (`/check/{id}`) shows progress.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from summarizer.web.common import (
    CHECK_TYPES,
    NOT_FOUND,
    Form,
    Web,
    WebState,
    error,
    page,
    rejected,
    store_each,
    unprivate,
    uploads,
)
from summarizer.web.jobs import Job, UploadRejected, UploadTooLarge, count_members, shown_name

__all__ = ["library_size", "router", "run_check_job"]

router = APIRouter()
Items = list[Path | tuple[str, str]]


def library_size(web: WebState) -> int:
    """Documents in the reference index; 0 when there is none (reading never creates it)."""
    from summarizer.check.index import IndexFileError

    try:
        with web.open_index(create=False) as index:
            return len(index)
    except IndexFileError:
        return 0


def _submissions(job: Job, items: Items) -> list[Any]:
    """The uploads as the checker's submissions; a refused upload is an error row."""
    from summarizer.check.checker import Submission
    from summarizer.check.inputs import submissions_of

    submissions: list[Submission] = []
    for item in items:
        if isinstance(item, tuple):
            submissions.append(Submission(item[0], error=item[1]))
            continue
        for s in submissions_of([item]):  # show the upload's name, not the job's private path
            s.file = shown_name(s.file, job)
            if s.error:
                s.error = unprivate(s.error, job)
            submissions.append(s)
    return submissions


def _summary(run: Any) -> dict[str, Any]:
    """The rows, clusters and library size the check page shows."""
    rows = [{"file": r.file, "title": r.title, "ratio": r.duplicate_ratio, "band": r.band,
             "index_ratio": r.index_ratio, "batch_ratio": r.batch_ratio,
             "common": len(r.common), "matches": len(r.matches), "error": r.error}
            for r in run.reports]
    clusters = [{"members": g, "links": [{"a": lk.a, "b": lk.b, "passage": max(lk.passages, key=len)[:60]}
                                         for lk in run.cluster_links(g)]} for g in run.clusters]
    return {"rows": rows, "clusters": clusters, "library": run.index_documents}


def run_check_job(web: WebState, job: Job, items: Items) -> Any:
    """Check the uploads against the index and each other (a refused upload is an error row);
    write the report and workbook, and keep the summary rows on the job for its page."""
    from summarizer.check import report as out
    from summarizer.check.checker import check
    from summarizer.check.index import IndexFileError

    def advance(n: int) -> None:
        job.done += n

    try:
        submissions = _submissions(job, items)
        job.total = len(submissions)
        try:
            index: Any = web.open_index(create=False)
        except IndexFileError:
            index = None
        try:
            run = check(submissions, index if index is not None and len(index) else None, on_progress=advance)
        finally:
            if index is not None:
                index.close()
        job.output("report.html").write_text(out.render_html(run), encoding="utf-8")
        out.write_xlsx(run, job.output("result.xlsx"))
        job.extra = _summary(run)
        job.message = f"共 {len(run.reports)} 份报告"
        job.state = "done"
        return run
    except Exception as exc:  # shown on the page instead of a silent dead job
        job.state = "error"
        job.message = f"查重失败：{exc}"
        raise
    finally:
        job.remove_uploads()


def _run_in_background(web: WebState, job: Job, items: Items) -> None:
    with contextlib.suppress(Exception):  # the error is on the job, for its page
        run_check_job(web, job, items)


def _check_uploads(web: WebState, form: Any) -> tuple[Job, Items]:
    """The uploads of a check stored in a new job, refused ones as error rows."""
    files = uploads(form, "files")
    if not files:
        raise UploadRejected("请至少选择一份报告（.docx、.txt 或 .zip）")
    job = web.store.create()
    return job, store_each(web, job, files, CHECK_TYPES)


@router.get("/check", response_class=HTMLResponse)
def check_page(web: Web) -> HTMLResponse:
    return page("check.html", page="check", result=None, max_mb=web.max_upload_mb, library=library_size(web))


@router.post("/check", response_class=HTMLResponse)
async def check_post(web: Web, form: Form) -> Response:
    try:
        job, items = _check_uploads(web, form)
    except UploadRejected as exc:
        return rejected(exc, "check")
    inputs = count_members([p for p in items if isinstance(p, Path)]) + sum(isinstance(p, tuple) for p in items)
    if inputs > web.wait_for_reports:  # a long job: its page shows progress
        job.total = inputs
        threading.Thread(target=_run_in_background, args=(web, job, items), daemon=True).start()
        return RedirectResponse(f"/check/{job.id}", status_code=303)
    await run_in_threadpool(run_check_job, web, job, items)
    return check_status_page(job.id, web)


@router.get("/check/{job_id}", response_class=HTMLResponse)
def check_status_page(job_id: str, web: Web) -> HTMLResponse:
    job = web.store.get(job_id)
    if job is None:
        return error(NOT_FOUND, 404, "check")
    result = {"job": job.id, **job.extra} if job.state == "done" else None
    return page("check.html", page="check", max_mb=web.max_upload_mb, result=result, job=job,
                library=library_size(web))


@router.post("/api/check")
async def check_api(web: Web, form: Form) -> JSONResponse:
    """The check as JSON (`check --format json`), for scripts and the load test."""
    from summarizer.check.report import to_json

    try:
        job, items = _check_uploads(web, form)
    except UploadRejected as exc:
        return JSONResponse({"error": str(exc)}, 413 if isinstance(exc, UploadTooLarge) else 400)
    run = await run_in_threadpool(run_check_job, web, job, items)
    return JSONResponse({"job": job.id, "library": run.index_documents, "reports": to_json(run)})
