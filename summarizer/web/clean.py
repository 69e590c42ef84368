"""The 清洗 page: uploaded documents cleaned into articles in a background thread, whose page
polls `/jobs/{id}` for progress and then lists failures and removed text."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from summarizer.document import REMOVAL_LABELS
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
from summarizer.web.jobs import Job, UploadRejected, count_members, shown_name, zip_dir

__all__ = ["REMOVED_SHOWN", "router", "run_clean_job"]

REMOVED_SHOWN = 500  # removed pieces listed on the 清洗 page; all of them are in removed.jsonl

router = APIRouter()


# What the page lists first: what a person should check (a repair's guessed characters, then the
# chrome model's judgements) before what a rule removed (a page of glosses drops a thousand).
_REVIEW_FIRST = ("mojibake", "chrome")


def _write_removed(job: Job, work: Path) -> tuple[list[dict[str, Any]], int]:
    """Copy the batch's removed.jsonl into the job with the uploads' names (line by line: a
    page of glosses has a thousand); returns the pieces the page lists, and the total."""
    from summarizer.clean.batch import REMOVED, read_removed
    from summarizer.io.writers import AtomicFile, jsonl

    review: dict[str, list[dict[str, Any]]] = {reason: [] for reason in _REVIEW_FIRST}
    rest: list[dict[str, Any]] = []
    removed_total = 0
    with AtomicFile(job.output("removed.jsonl")) as f:
        for rec in read_removed(work):
            rec["source"] = shown_name(rec.get("source", ""), job)
            f.write(jsonl([rec]))
            removed_total += 1
            listed = review.get(rec.get("reason", ""), rest)
            if len(listed) < REMOVED_SHOWN:
                listed.append(rec)
        f.commit(durable=False)
    shutil.copyfile(job.output("removed.jsonl"), work / REMOVED)
    return ([rec for reason in _REVIEW_FIRST for rec in review[reason]] + rest)[:REMOVED_SHOWN], removed_total


def run_clean_job(job: Job, items: list[Path | tuple[str, str]]) -> None:
    """Clean the uploads (a refused upload is a failure of its own, named with its reason);
    write the zip of articles, manifest and removed.jsonl, and keep on the job, for its
    page, every failure and the first removed pieces."""
    from summarizer.clean.batch import run_clean
    from summarizer.io.writers import atomic_write, jsonl

    def advance(n: int) -> None:
        job.done += n

    try:
        work = job.dir / "work"
        paths = [p for p in items if isinstance(p, Path)]
        summary = run_clean(paths, work, on_progress=advance)
        refused = [{"source": name, "sha256": "", "status": "error", "error": f"{name}: {why}"}
                   for name, why in (p for p in items if isinstance(p, tuple))]
        for rec in summary.records:  # the manifest names the uploads, not private paths
            rec["source"] = shown_name(rec.get("source", ""), job)
            if rec.get("error"):
                rec["error"] = unprivate(str(rec["error"]), job)
        atomic_write(summary.manifest, jsonl(summary.records + refused))  # the batch's own writer
        shown_removed, removed_total = _write_removed(job, work)
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


def _start(web: WebState, form: Any) -> Job | HTMLResponse:
    """Store the uploads and start cleaning them in the background, or the page of what is wrong."""
    files = uploads(form, "files")
    if not files:
        return error("请选择要清洗的文件或 .zip 压缩包", 400, "clean")
    job = web.store.create()
    try:
        items = store_each(web, job, files, CHECK_TYPES)
    except UploadRejected as exc:
        return rejected(exc, "clean")
    job.total = count_members([p for p in items if isinstance(p, Path)])
    threading.Thread(target=run_clean_job, args=(job, items), daemon=True).start()
    return job


@router.get("/clean", response_class=HTMLResponse)
def clean_page(web: Web) -> HTMLResponse:
    return page("clean.html", page="clean", job=None, max_mb=web.max_upload_mb)


@router.post("/clean")
async def clean_post(web: Web, form: Form) -> Response:
    """Every upload is stored; one refused (empty, not a document, renamed) is listed with its
    reason and the rest are cleaned. Only when none is usable is the upload refused."""
    got = _start(web, form)
    if isinstance(got, HTMLResponse):
        return got
    return RedirectResponse(f"/clean/{got.id}", status_code=303)


@router.get("/clean/{job_id}", response_class=HTMLResponse)
def clean_status_page(job_id: str, web: Web) -> HTMLResponse:
    job = web.store.get(job_id)
    if job is None:
        return error(NOT_FOUND, 404, "clean")
    return page("clean.html", page="clean", job=job, max_mb=web.max_upload_mb, reasons=REMOVAL_LABELS)
