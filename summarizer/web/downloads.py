"""Jobs and their files: the progress the pages poll (`/jobs/{id}`) and the downloads.

A URL names only a job id (checked by `JobStore.get`) and one of the fixed output names, so no
client string becomes a path.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

from summarizer.web.common import Web, error

__all__ = ["DOWNLOADS", "router"]

router = APIRouter()

# Each output's media type and the name it is downloaded as.
DOWNLOADS = {
    "draft.docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "初稿.docx"),
    "draft.md": ("text/markdown; charset=utf-8", "初稿.md"),
    "report.html": ("text/html; charset=utf-8", "查重报告.html"),
    "result.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "查重结果.xlsx"),
    "clean.zip": ("application/zip", "清洗结果.zip"),
    "removed.jsonl": ("application/x-ndjson; charset=utf-8", "删除的文字.jsonl"),
}


@router.get("/jobs/{job_id}")
def job_status(job_id: str, web: Web) -> JSONResponse:
    job = web.store.get(job_id)
    if job is None:
        return JSONResponse({"error": "找不到这个任务"}, 404)
    return JSONResponse(job.status())


@router.get("/jobs/{job_id}/files/{name}")
def job_file(job_id: str, name: str, web: Web) -> Response:
    job = web.store.get(job_id)
    if job is None or name not in DOWNLOADS or not job.output(name).is_file():
        return error("找不到这个文件", 404)
    media, download = DOWNLOADS[name]
    headers = {"X-Content-Type-Options": "nosniff"}
    if name == "report.html":  # the checker's page, shown in a frame: no scripts from elsewhere
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return FileResponse(job.output(name), media_type=media, filename=download,
                        content_disposition_type="inline" if name == "report.html" else "attachment",
                        headers=headers)
