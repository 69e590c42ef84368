"""The 参考库 page: what the reference library holds, and adding documents to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from summarizer.web.common import CHECK_TYPES, Form, Web, WebState, page, take_uploads, unprivate
from summarizer.web.jobs import Job, shown_name

__all__ = ["router"]

router = APIRouter()


def corpus_view(web: WebState) -> dict[str, Any]:
    """What the library holds; looking never creates it (adding does)."""
    from summarizer.check.index import IndexFileError

    try:
        with web.open_index(create=False) as index:
            rows = index.db.execute("SELECT name, title, added FROM documents ORDER BY id").fetchall()
    except IndexFileError:
        rows = []
    return {"count": len(rows), "docs": [{"name": n, "title": t, "added": a} for n, t, a in rows]}


def _add(web: WebState, job: Job, paths: list[Path]) -> dict[str, Any]:
    """Add the uploads to the library (cleaned first; duplicates by content skipped)."""
    from summarizer.check.inputs import reference_documents

    try:
        docs, errors = reference_documents(paths)
        docs = [(shown_name(n, job), shown_name(s, job), t, x) for n, s, t, x in docs]
        with web.open_index() as index:
            added, skipped = index.add_many(docs)
        return {"added": added, "skipped": skipped, "errors": [unprivate(e, job) for _s, e in errors]}
    finally:
        job.remove_uploads()
        job.state = "done"


@router.get("/corpus", response_class=HTMLResponse)
def corpus_page(web: Web) -> HTMLResponse:
    return page("corpus.html", page="corpus", corpus=corpus_view(web), added=None, max_mb=web.max_upload_mb)


@router.post("/corpus", response_class=HTMLResponse)
async def corpus_add(web: Web, form: Form) -> HTMLResponse:
    got = take_uploads(web, form, "files", CHECK_TYPES, "corpus", "请至少选择一份参考文档")
    if isinstance(got, HTMLResponse):
        return got
    job, paths = got
    added = await run_in_threadpool(_add, web, job, paths)
    return page("corpus.html", page="corpus", corpus=corpus_view(web), added=added, max_mb=web.max_upload_mb)
