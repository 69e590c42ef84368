"""What every page of the web app shares: its settings and job store, page rendering, and
the one way uploads come in.

The settings live on `app.state.web` (set once by `create_app`) and reach a route through the
`Web` dependency; the submitted form reaches it through the `Form` dependency, parsed per
request with uploads kept in memory up to the app's size limit (nothing is spooled to the
system's temporary directory, and no process-wide parser setting is changed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from summarizer.io.templates import environment
from summarizer.web.jobs import Job, JobStore, UploadRejected, UploadTooLarge, save_upload

__all__ = [
    "CHECK_TYPES",
    "NOT_FOUND",
    "Form",
    "Web",
    "WebState",
    "error",
    "page",
    "rejected",
    "render",
    "store_each",
    "take_uploads",
    "unprivate",
    "uploads",
]

CHECK_TYPES = ("docx", "txt", "html", "zip")
_FORM_LIMITS = {"max_files": 500, "max_fields": 2000}
NOT_FOUND = "找不到这个任务（链接有误或已过期）"


@dataclass
class WebState:
    """The app's settings and its jobs: everything the routes share."""

    data_dir: Path
    db_path: Path
    max_upload_mb: int
    wait_for_reports: int
    store: JobStore

    @property
    def max_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def open_index(self, create: bool = True) -> Any:
        """The reference index (raises `IndexFileError` when `create` is off and there is none)."""
        from summarizer.check.index import ReferenceIndex

        return ReferenceIndex(self.db_path, create=create)


def web_state(request: Request) -> WebState:
    return request.app.state.web


Web = Annotated[WebState, Depends(web_state)]


async def form_data(request: Request, web: Web) -> AsyncIterator[FormData]:
    """The submitted form. A multipart body is parsed with this app's spool size (uploads stay
    in memory up to the limit, which `_LimitBody` enforces), and its files are closed after
    the response."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        parser = MultiPartParser(request.headers, request.stream(), **_FORM_LIMITS)
        parser.spool_max_size = web.max_bytes + 1  # this parser only, not the class
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise HTTPException(status_code=400, detail=exc.message) from exc
    else:
        form = await request.form(**_FORM_LIMITS)
    try:
        yield form
    finally:
        await form.close()


Form = Annotated[FormData, Depends(form_data)]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The pages' environment: autoescaping on, since every shown text is user data."""
    return environment(autoescape=True, strict=False)


def render(name: str, **context: Any) -> str:
    """A page of `templates/web/` as text."""
    return _environment().get_template(f"web/{name}").render(**context)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(name, **context), status_code=status)


def error(message: str, status: int = 400, page_name: str = "") -> HTMLResponse:
    return page("error.html", status, title="出错了", message=message, page=page_name)


def rejected(exc: UploadRejected, page_name: str) -> HTMLResponse:
    return error(str(exc), 413 if isinstance(exc, UploadTooLarge) else 400, page_name)


def uploads(form: FormData, key: str) -> list[UploadFile]:
    return [f for f in form.getlist(key) if isinstance(f, UploadFile) and (f.filename or f.size)]


def take_uploads(web: WebState, form: FormData, key: str, allowed: tuple[str, ...], page_name: str,
                 missing: str, one: bool = False) -> tuple[Job, list[Path]] | HTMLResponse:
    """The uploads of a form field stored in a new job (typed by content), or the page that
    says what is wrong: the one way the draft and corpus pages take files in. The first bad
    upload refuses them all (and removes the job)."""
    files = uploads(form, key)
    if not files:
        return error(missing, 400, page_name)
    job = web.store.create()
    try:
        return job, [save_upload(f.file, f.filename, job.uploads, web.max_bytes, allowed)[0]
                     for f in (files[:1] if one else files)]
    except UploadRejected as exc:
        web.store.discard(job)
        return rejected(exc, page_name)


def store_each(web: WebState, job: Job, files: list[UploadFile],
               allowed: tuple[str, ...]) -> list[Path | tuple[str, str]]:
    """Save every upload into the job (a check's or a cleanup's); a refused one (empty,
    garbage, renamed) becomes `(name, why)` in its place so that the batch goes on. Too large
    for the limit still refuses the whole request, as the body limit does."""
    out: list[Path | tuple[str, str]] = []
    for f in files:
        try:
            out.append(save_upload(f.file, f.filename, job.uploads, web.max_bytes, allowed)[0])
        except UploadTooLarge:
            web.store.discard(job)
            raise
        except UploadRejected as exc:
            out.append((f.filename or "upload", str(exc)))
    if not any(isinstance(x, Path) for x in out):  # nothing to check: refuse, as one bad file
        web.store.discard(job)
        raise UploadRejected("；".join(why for _, why in out))  # type: ignore[misc]
    return out


def unprivate(text: str, job: Job) -> str:
    """A message with the job's private upload directory taken out (the upload's name stays)."""
    return text.replace(str(job.uploads) + "/", "")
