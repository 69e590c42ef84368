"""The empty `.xlsx` data form for people who prefer Excel (`summarizer draft --template-data`,
the web page's 下载数据模板): the sheets and headers of `io/data_readers.py`'s layout, a note with
an example on every header, drop-down lists where the choices are closed."""

from __future__ import annotations

import io
import os
from typing import Any

from pydantic import BaseModel

from summarizer.compose.model import KINDS, LEADER_ROLES, ROLES, ActivityData, Signoff
from summarizer.io.data_readers import INFO_HEADERS, INFO_ITEMS, SHEETS
from summarizer.io.writers import atomic_write

__all__ = ["write_template"]

_WIDTHS = {
    "基本信息": [14, 70],
    "领导小组": [12, 18, 10],
    "活动": [24, 12, 40, 22, 18, 30, 12, 36],
    "成效": [50, 40],
    "问题": [80],
    "打算": [80],
}

_ACTIVITY_KINDS = ("送教下乡", "跟岗学习", "教研活动", "专题培训", "示范课", "结对学习", "个别辅导",
                   "家访", "捐赠", "座谈交流")




def _note(model: type[BaseModel], field: str, header: str) -> str:
    """The comment of a header cell: what to write (the field's description) and an example."""
    info = model.model_fields[field]
    description = info.description or ""
    # Most descriptions already open with the name ("数量：…", "主题，如…"); don't say it twice.
    text = description if description.startswith(header) else f"{header}：{description}"
    if info.examples:
        text += f"\n例：{info.examples[0]}"
    return text


def _comment(text: str) -> Any:
    from openpyxl.comments import Comment

    lines = sum(1 + len(line) // 16 for line in text.splitlines())
    return Comment(text, "summarizer", height=max(80, 20 * lines + 20), width=300)


def write_template(path: str | os.PathLike[str]) -> None:
    """Write the empty `.xlsx` form: the six sheets, headers with notes, drop-down lists.

    There are no example rows, since anything in a row is read as data: each header's comment
    says what to write and gives an example instead. 基本信息 lists its 项目 with 内容 left blank,
    so the empty template loads as "学校 and 时段 missing" rather than as an unknown layout.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]

    def header_row(ws: Any, headers: list[str], notes: list[str]) -> None:
        for j, (h, note) in enumerate(zip(headers, notes), 1):
            cell = ws.cell(row=1, column=j, value=h)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.comment = _comment(note)
        ws.freeze_panes = "A2"
        for j, width in enumerate(_WIDTHS[ws.title], 1):
            ws.column_dimensions[get_column_letter(j)].width = width

    def choices(ws: Any, ref: str, values: tuple[str, ...], strict: bool = True) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.showErrorMessage = strict
        dv.errorTitle = "请从列表中选择"
        dv.error = "只能填写：" + "、".join(values)
        dv.showInputMessage = True
        dv.promptTitle = "可选"
        dv.prompt = "、".join(values) + ("" if strict else "（也可自行填写）")
        ws.add_data_validation(dv)
        dv.add(ref)

    ws = wb.create_sheet("基本信息")
    header_row(
        ws,
        list(INFO_HEADERS),
        ["项目：下面各行的名称，请勿改动。", "内容：按左边项目填写；学校和时段必填，其余可空。"],
    )
    for i, (item, key_path, _aliases) in enumerate(INFO_ITEMS, 2):
        model: type[BaseModel] = Signoff if key_path[0] == "signoff" else ActivityData
        cell = ws.cell(row=i, column=1, value=item)
        cell.font = bold
        cell.comment = _comment(_note(model, key_path[-1], item))
        ws.cell(row=i, column=2).alignment = wrap
        if key_path == ("kind",):
            choices(ws, f"B{i}", KINDS)
        elif key_path == ("role",):
            choices(ws, f"B{i}", ROLES)
    for sheet, (_key, model_or_none, cols) in SHEETS.items():
        ws = wb.create_sheet(sheet)
        headers = [h for h, _f, _a in cols]
        if model_or_none is None:
            what = {"问题": "存在的问题与不足", "打算": "今后打算"}[sheet]
            example = ActivityData.model_fields[SHEETS[sheet][0]].examples or [""]
            notes = [f"内容：{what}，每行写一条。\n例：{example[0]}"]
        else:
            notes = [_note(model_or_none, "date_start" if f == "date" else str(f), h) for h, f, _a in cols]
        header_row(ws, headers, notes)
        for j, (_h, f, _a) in enumerate(cols, 1):
            letter = get_column_letter(j)
            ref = f"{letter}2:{letter}1000"
            if sheet == "领导小组" and f == "role":
                choices(ws, ref, LEADER_ROLES)
            elif sheet == "活动" and f == "kind":
                choices(ws, ref, _ACTIVITY_KINDS, strict=False)
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(path, buffer.getvalue())
