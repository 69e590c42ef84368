"""The 起草 page: the draft form (or an uploaded .xlsx data file) composed into a draft.

The form's fields mirror the data file's (`compose.model.ActivityData`): validation is the data
file's own, and each error is shown beside the form field or table row it came from.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from summarizer.web.common import Form, Web, page, take_uploads
from summarizer.web.jobs import Job, data_template

__all__ = ["form_values", "router", "validate_form"]

ACTIVITY_FIELDS = ("date", "kind", "title", "people", "place", "counts", "money", "notes")
LEADER_FIELDS = ("name", "title", "role")
RESULT_FIELDS = ("text", "counts")
_SINGLE = ("kind", "topic", "school", "period", "role", "partners", "policies", "problems", "plans",
           "signoff_body", "signoff_date")
_TABLES = (("activities", "act", ACTIVITY_FIELDS), ("leaders", "lead", LEADER_FIELDS),
           ("results", "res", RESULT_FIELDS))

router = APIRouter()
router.add_api_route("/draft/template.xlsx", data_template, methods=["GET"])  # 数据模板.xlsx


def _blank_row(fields: tuple[str, ...]) -> dict[str, str]:
    return dict.fromkeys(fields, "")


def _rows(form: FormData, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The table rows of the form (`act_date`, `act_kind`, … repeated once per row)."""
    columns = {f: [str(v) for v in form.getlist(f"{prefix}_{f}")] for f in fields}
    count = max((len(v) for v in columns.values()), default=0)
    return [{f: (columns[f][i].strip() if i < len(columns[f]) else "") for f in fields} for i in range(count)]


def form_values(form: FormData) -> dict[str, Any]:
    """Everything the draft form sent, as strings, to fill the form in again."""
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in _SINGLE}
    for key, prefix, fields in _TABLES:
        values[key] = _rows(form, prefix, fields)
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
    values: dict[str, Any] = dict.fromkeys(_SINGLE, "")
    values["kind"] = "工作总结"
    for key, _prefix, fields in _TABLES:
        values[key] = [_blank_row(fields)]
    return values


def _draft_page(web: Web, status: int = 200, values: dict[str, Any] | None = None,
                errors: dict[str, list[str]] | None = None, result: dict[str, Any] | None = None,
                file_errors: list[str] | None = None) -> HTMLResponse:
    return page("draft.html", status, page="draft", values=values or _empty_form(), errors=errors or {},
                result=result, max_mb=web.max_upload_mb, file_errors=file_errors or [])


@router.get("/draft", response_class=HTMLResponse)
def draft_page(web: Web) -> HTMLResponse:
    return _draft_page(web)


@router.post("/draft", response_class=HTMLResponse)
async def draft_post(web: Web, form: Form) -> HTMLResponse:
    values = form_values(form)
    data, errors = validate_form(values)
    for key, _prefix, fields in _TABLES:
        values[key] = values[key] or [_blank_row(fields)]
    if data is None:
        return _draft_page(web, 422, values=values, errors=errors)
    job = web.store.create()
    result = await run_in_threadpool(_draft_view, job, data)
    job.state = "done"
    return _draft_page(web, values=values, result=result)


@router.post("/draft/upload", response_class=HTMLResponse)
async def draft_upload(web: Web, form: Form) -> HTMLResponse:
    from summarizer.io.data_readers import DataError, load_data_with_warnings

    got = take_uploads(web, form, "file", ("xlsx",), "draft", "请选择要上传的 .xlsx 数据文件", one=True)
    if isinstance(got, HTMLResponse):
        return got
    job, (path,) = got
    try:
        data, warnings = await run_in_threadpool(load_data_with_warnings, path)
    except DataError as exc:
        job.remove_uploads()
        return _draft_page(web, 422, file_errors=exc.messages)
    try:
        result = await run_in_threadpool(_draft_view, job, data, warnings)
    finally:
        job.remove_uploads()
    job.state = "done"
    return _draft_page(web, result=result)
