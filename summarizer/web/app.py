"""The local web app (`summarizer serve`): 起草, 查重, 参考库 and 清洗 in the browser.

Why it is built this way: it is meant for school staff on one machine or a school LAN, often
offline, so pages are rendered on the server from the package's Jinja2 templates
(`summarizer/templates/web/`) with inline CSS and a few lines of inline script, and nothing is
loaded from outside. The app only wires HTTP to the library functions the commands use
(cleanup, checker, composer); every file goes through `jobs.py` (private job directories,
content sniffing, size limit). Work runs in FastAPI's thread pool; the cleanup of many files
runs in a background thread and its page polls `/jobs/{id}` for progress.

Where things are: one router a page — `draft.py` (起草), `check.py` (查重 and `/api/check`),
`corpus.py` (参考库), `clean.py` (清洗), `downloads.py` (job progress and files); what they share
(settings, job store, page rendering, uploads) is in `common.py` and reaches each route through
FastAPI dependencies. This module only builds the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from summarizer.web import check, clean, corpus, downloads, draft
from summarizer.web.common import Web, WebState, page, render
from summarizer.web.jobs import JobStore, too_large_message

__all__ = ["create_app"]

home = APIRouter()


@home.get("/", response_class=HTMLResponse)
def home_page(web: Web) -> HTMLResponse:
    return page("home.html", page="home", max_mb=web.max_upload_mb)


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
        body = render("error.html", title="文件太大", message=too_large_message(self.max_bytes),
                      page="").encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def create_app(data_dir: Path, max_upload_mb: int = 20, db: Path | None = None,
               wait_for_reports: int = 20) -> Any:
    """The ASGI app. Everything it writes goes under `data_dir` (jobs, and the reference index
    `data_dir/index.db` unless `db` names another); uploads past `max_upload_mb` get a 413.
    A check of up to `wait_for_reports` inputs is answered at once; a larger one runs in the
    background and its page shows progress."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    web = WebState(data_dir=data_dir, db_path=Path(db) if db is not None else data_dir / "index.db",
                   max_upload_mb=max_upload_mb, wait_for_reports=wait_for_reports,
                   store=JobStore(data_dir / "jobs"))
    app = FastAPI(title="summarizer", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = web
    for module_router in (home, draft.router, check.router, corpus.router, clean.router, downloads.router):
        app.include_router(module_router)
    return _LimitBody(app, web.max_bytes)
