"""Reading activity data files (`.yaml`/`.yml`, `.json`, `.xlsx`) into `compose.model.ActivityData`.

The formats themselves, the rules and the messages' wording are described in
`summarizer/compose/model.py`. This module reads the bytes (UTF-8 or GB18030 text, YAML with
duplicate keys noted, the workbook's sheets and headers matched loosely), hands the result to the
model, and names every problem by its place in the file: sheet, row and column header for `.xlsx`,
the key path (`activities[2].date（活动第3项“日期”）`) for YAML and JSON. The same places name the
warnings of `compose/data_checks.py` (`load_data_with_warnings`).

The Excel layout (`INFO_ITEMS`, `SHEETS`) is one table that drives this reader, the error places and
the empty workbook of `io/data_template.py`, so the three cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from summarizer.compose.data_checks import DataWarning, data_warnings
from summarizer.compose.model import Activity, ActivityData, DataError, Leader, Result, Signoff
from summarizer.compose.values import quote

__all__ = [
    "INFO_HEADERS",
    "INFO_ITEMS",
    "SHEETS",
    "SHEET_ORDER",
    "error_loc",
    "error_reason",
    "DataError",
    "DataWarning",
    "load_data",
    "load_data_with_warnings",
    "place_label",
    "placed_warnings",
]

# ---------------------------------------------------------------------------------------------
# The Excel layout. One table drives the reader, the template and the error locations, so the
# three cannot disagree.

# 基本信息: 项目 → key path in the data, and other names accepted for the 项目.
INFO_ITEMS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("文种", ("kind",), ()),
    ("主题", ("topic",), ()),
    ("学校", ("school",), ("学校名称",)),
    ("时段", ("period",), ("时间段",)),
    ("角色", ("role",), ()),
    ("结对学校", ("partners",), ("结对单位",)),
    ("依据文件", ("policies",), ("政策依据", "文件依据")),
    ("落款单位", ("signoff", "body"), ("落款",)),
    ("落款日期", ("signoff", "date"), ("成文日期",)),
]
INFO_HEADERS = ("项目", "内容")

# Table sheets: sheet → (data key, model, [(header, field, aliases)]). A field of None means the
# sheet is a plain list of texts.
SHEETS: dict[str, tuple[str, type[BaseModel] | None, list[tuple[str, str | None, tuple[str, ...]]]]] = {
    "领导小组": ("leaders", Leader, [("姓名", "name", ()), ("职务", "title", ()), ("分工", "role", ())]),
    "活动": (
        "activities",
        Activity,
        [
            ("日期", "date", ("时间",)),
            ("类别", "kind", ("类型", "活动类别")),
            ("标题", "title", ("活动名称",)),
            ("人员", "people", ("参加人员",)),
            ("地点", "place", ()),
            ("数量", "counts", ()),
            ("金额（元）", "money", ("金额", "经费（元）", "经费")),
            ("备注", "notes", ()),
        ],
    ),
    "成效": ("results", Result, [("内容", "text", ()), ("数量", "counts", ())]),
    "问题": ("problems", None, [("内容", None, ())]),
    "打算": ("plans", None, [("内容", None, ())]),
}
SHEET_ORDER = ("基本信息", *SHEETS)


def _norm(text: Any) -> str:
    """A header or sheet name compared loosely: full-width forms, spaces and `*` don't matter."""
    return re.sub(r"[\s*]+", "", unicodedata.normalize("NFKC", str(text)))


def _key_label(model: type[BaseModel] | None, key: Any) -> str | None:
    """The Chinese header of a model field (`date_start` and `date_end` are the 日期 column)."""
    if key in ("date_start", "date_end"):
        key = "date"
    for _sheet, (_k, m, cols) in SHEETS.items():
        if m is model and model is not None:
            for header, field, _aliases in cols:
                if field == key:
                    return header
    return None


def _info_item(path: tuple[Any, ...]) -> str | None:
    for item, key_path, _aliases in INFO_ITEMS:
        if tuple(path[: len(key_path)]) == key_path:
            return item
    if path and path[0] == "signoff":
        return "落款"
    return None


_LIST_SHEETS = {key: (sheet, model) for sheet, (key, model, _cols) in SHEETS.items()}


def error_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pydantic's error location without its internal steps (`function-after[...]`)."""
    return tuple("date" if k in ("date_start", "date_end") else k for k in loc
                 if not (isinstance(k, str) and "[" in k))


def error_reason(err: dict[str, Any]) -> str:
    """A pydantic error in plain Chinese."""
    kind = err["type"]
    value = err.get("input")
    if kind == "invalid":
        return str(err["ctx"]["reason"])
    if kind == "missing":
        return "未填写（必填）"
    if kind == "extra_forbidden":
        return "未知的键"
    if kind in ("string_type", "str_type"):
        return f"{quote(value)} 应为文字"
    if kind == "list_type":
        return f"{quote(value)} 应为列表"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{quote(value)} 应为键值对（如 name: 李明）"
    if kind == "string_too_short":
        return "不能为空"
    return f"{err['msg']}（{kind}）"


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the file may use at the place of an unknown key (for the error message)."""
    parent = loc[:-1]
    if not parent:
        model: type[BaseModel] = ActivityData
    elif parent[0] == "signoff":
        model = Signoff
    elif parent[0] in _LIST_SHEETS and _LIST_SHEETS[parent[0]][1] is not None:
        model = _LIST_SHEETS[parent[0]][1]  # type: ignore[assignment]
    else:
        return []
    keys = [k for k in model.model_fields if k != "date_end"]
    return ["date" if k == "date_start" else k for k in keys]


def place_label(loc: tuple[Any, ...]) -> str:
    """The Chinese name of a place in the data: `活动第3项“日期”`, `“落款日期”`, `“结对学校”第2项`."""
    label = ""
    if loc and loc[0] in _LIST_SHEETS:
        sheet, model = _LIST_SHEETS[loc[0]]
        label = sheet
        if len(loc) > 1 and isinstance(loc[1], int):
            label += f"第{loc[1] + 1}项"
            if len(loc) > 2 and (header := _key_label(model, loc[2])):
                label += f"“{header}”"
    elif loc:
        item = _info_item(loc)
        if item:
            label = f"“{item}”"
            if len(loc) > 1 and isinstance(loc[-1], int):
                label += f"第{loc[-1] + 1}项"
    return label


def _yaml_where(loc: tuple[Any, ...], label: bool = True) -> str:
    """`activities[2].date（活动第3项“日期”）`: a place in a YAML or JSON file."""
    path = ""
    for k in loc:
        path += f"[{k}]" if isinstance(k, int) else (("." if path else "") + str(k))
    name = place_label(loc) if label else ""
    return (path or "（整个文件）") + (f"（{name}）" if name else "")


def _yaml_message(err: dict[str, Any]) -> str:
    """`activities[2].date（活动第3项“日期”）：…` for an error in a YAML or JSON file."""
    loc = error_loc(err["loc"])
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc)
        reason = f"未知的键“{loc[-1]}”" + (f"，可用的键：{'、'.join(allowed)}" if allowed else "")
        return f"{_yaml_where(loc, label=False)}：{reason}"
    return f"{_yaml_where(loc)}：{error_reason(err)}"


class _XlsxPlaces:
    """Where each piece of data came from in the workbook, to name it in error messages."""

    def __init__(self) -> None:
        self.info_rows: dict[str, int] = {}
        self.list_rows: dict[str, list[int]] = {}

    def where(self, loc: tuple[Any, ...]) -> str:
        """`活动 第3行 “日期”`, `基本信息 第10行 “落款日期”`: a place in the workbook ('' if none)."""
        if loc and loc[0] in _LIST_SHEETS:
            sheet, model = _LIST_SHEETS[loc[0]]
            where = sheet
            if len(loc) > 1 and isinstance(loc[1], int):
                rows = self.list_rows.get(loc[0], [])
                if loc[1] < len(rows):
                    where += f" 第{rows[loc[1]]}行"
                header = "内容" if model is None else (_key_label(model, loc[2]) if len(loc) > 2 else None)
                if header:
                    where += f" “{header}”"
            return where
        item = _info_item(loc) if loc else None
        if item is None:
            return ""
        row = self.info_rows.get(item)
        return f"基本信息{f' 第{row}行' if row else ''} “{item}”"

    def message(self, err: dict[str, Any]) -> str:
        """`活动 第3行 “日期”：…` for an error in an `.xlsx` file."""
        where = self.where(error_loc(err["loc"]))
        return f"{where}：{error_reason(err)}" if where else error_reason(err)


def _validate(obj: Any, describe: Any) -> tuple[ActivityData | None, list[str]]:
    try:
        return ActivityData.model_validate(obj, context={"file": True}), []
    except ValidationError as e:
        return None, [describe(err) for err in e.errors(include_url=False)]


# ---------------------------------------------------------------------------------------------
# Reading files.


def _read_text(path: Path) -> str:
    """The text of a YAML/JSON file: UTF-8 (BOM or not), or GB18030 as Windows Notepad saves it."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError(path, ["无法识别文件编码，请另存为 UTF-8 / cannot decode (not UTF-8)"]) from None


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that notes duplicate keys (YAML keeps the last one silently) and reads an
    impossible date such as `2024-13-01` as text, so that it is reported like any bad date
    instead of failing the whole file."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue
            if duplicate:
                self.duplicates.append(
                    f"第{key_node.start_mark.line + 1}行：键“{key}”重复出现（同一层只能写一次）"
                )
        return super().construct_mapping(node, deep=deep)


def _yaml_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _yaml_timestamp)


def _load_yaml(path: Path) -> tuple[Any, list[str]]:
    text = _read_text(path)
    loader = _YamlLoader(text)
    try:
        obj = loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise DataError(path, [f"YAML 格式错误{where}：{problem}（请检查缩进、冒号后的空格和引号）"]) from None
    finally:
        loader.dispose()
    return obj, loader.duplicates


def _load_json(path: Path) -> tuple[Any, list[str]]:
    text = _read_text(path)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(f"键“{k}”重复出现（同一层只能写一次）")
            out[k] = v
        return out

    try:
        obj = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise DataError(path, [f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}"]) from None
    return obj, duplicates


def _cell(value: Any) -> Any:
    """A cell value as the models take it: Excel dates become dates, blanks become None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _read_xlsx(path: Path) -> tuple[dict[str, Any], _XlsxPlaces, list[str]]:
    """The workbook as the YAML-shaped dict, where each value came from, and layout errors."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # damage inside the zip surfaces as many different exception types
        raise DataError(
            path,
            [f"无法读取 Excel 文件：不是有效的 .xlsx 文件（旧的 .xls 请另存为 .xlsx）/ not a readable .xlsx "
             f"({type(e).__name__})"],
        ) from None
    obj: dict[str, Any] = {}
    places = _XlsxPlaces()
    errors: list[str] = []
    try:
        known = {_norm(s): s for s in SHEET_ORDER}
        for name in wb.sheetnames:
            sheet = known.get(_norm(name))
            ws = wb[name]
            if sheet is None:
                errors.append(f"未知的工作表“{name}”，可用的工作表：{'、'.join(SHEET_ORDER)}")
                continue
            if not hasattr(ws, "iter_rows"):
                errors.append(f"工作表“{name}”不是数据表")
                continue
            if hasattr(ws, "reset_dimensions"):  # read-only mode trusts the file's stated size,
                ws.reset_dimensions()  # which some programs write wrong: read what is there
            rows = [tuple(_cell(v) for v in row) for row in ws.iter_rows(values_only=True)]
            # The header is the first non-empty row (blank rows above it are harmless); rows
            # keep their Excel numbers in messages either way.
            header_row = next((i for i, r in enumerate(rows) if any(v is not None for v in r)), None)
            if header_row is None:
                continue
            width = max(len(r) for r in rows)
            header = rows[header_row] + (None,) * (width - len(rows[header_row]))
            body = [(i + 1, r) for i, r in enumerate(rows) if i > header_row]
            if sheet == "基本信息":
                cols: list[tuple[str, str | None, tuple[str, ...]]] = [
                    (h, h, ()) for h in INFO_HEADERS
                ]
            else:
                cols = SHEETS[sheet][2]
            by_name = {_norm(a): (h, f) for h, f, aliases in cols for a in (h, *aliases)}
            columns: dict[int, tuple[str, str | None]] = {}
            for j, h in enumerate(header):
                letter = get_column_letter(j + 1)
                if h is None:
                    if any(j < len(r) and r[j] is not None for _, r in body):
                        errors.append(f"{sheet} {letter}列：有内容但没有表头，请删除或补上表头")
                    continue
                match = by_name.get(_norm(h))
                if match is None:
                    errors.append(
                        f"{sheet} 第{header_row + 1}行 {letter}列：未知的列“{h}”，"
                        f"可用的列：{'、'.join(c[0] for c in cols)}"
                    )
                    continue
                if match in columns.values():
                    errors.append(f"{sheet} 第{header_row + 1}行 {letter}列：列“{h}”重复出现")
                    continue
                columns[j] = match
            for r, row in body:
                values = {columns[j]: v for j, v in enumerate(row) if j in columns and v is not None}
                if not values:
                    continue
                if sheet == "基本信息":
                    _read_info_row(r, values, obj, places, errors)
                    continue
                key, model, _ = SHEETS[sheet]
                if model is None:
                    obj.setdefault(key, []).append(next(iter(values.values())))
                else:
                    obj.setdefault(key, []).append({f: v for (_h, f), v in values.items()})
                places.list_rows.setdefault(key, []).append(r)
    finally:
        wb.close()
    return obj, places, errors


def _read_info_row(
    row: int, values: dict[tuple[str, str | None], Any], obj: dict[str, Any], places: _XlsxPlaces,
    errors: list[str],
) -> None:
    """One 项目/内容 row of 基本信息 into `obj`; a 项目 without 内容 is an unfilled item."""
    item = values.get(("项目", "项目"))
    content = values.get(("内容", "内容"))
    if item is None:
        errors.append(f"基本信息 第{row}行：有内容 {quote(content)} 但没有写“项目”")
        return
    items = {_norm(a): (name, path) for name, path, aliases in INFO_ITEMS for a in (name, *aliases)}
    match = items.get(_norm(item))
    if match is None:
        errors.append(
            f"基本信息 第{row}行 “项目”：未知的项目“{item}”，可用的项目：{'、'.join(i[0] for i in INFO_ITEMS)}"
        )
        return
    name, path = match
    if name in places.info_rows:
        errors.append(f"基本信息 第{row}行：项目“{name}”重复出现（第{places.info_rows[name]}行已写过）")
        return
    places.info_rows[name] = row
    if content is None:
        return
    target = obj
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = content


def load_data_with_warnings(path: str | os.PathLike[str]) -> tuple[ActivityData, list[DataWarning]]:
    """Read activity data from `.yaml`/`.yml`, `.json` or `.xlsx`, with what to check in it.

    Raises `DataError` listing every problem of the file (layout and values together), each
    with its place in the file, so that one round of corrections is enough. The warnings
    (`compose/data_checks.py`) carry the file and their place in it, named as errors are.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        hint = "，请在 Excel 中另存为 .xlsx" if suffix == ".xls" else ""
        raise DataError(path, [f"不支持的文件类型“{suffix or '无扩展名'}”{hint}，应为 .yaml、.json 或 .xlsx"])
    if not path.is_file():
        raise DataError(path, ["文件不存在 / file not found"])
    if suffix == ".xlsx":
        obj, places, errors = _read_xlsx(path)
        data, problems = _validate(obj, places.message)
        where: Any = places.where
    else:
        obj, errors = _load_yaml(path) if suffix in (".yaml", ".yml") else _load_json(path)
        if obj is None:
            raise DataError(path, ["文件是空的，至少要写 school 和 period"])
        if not isinstance(obj, dict):
            raise DataError(path, ["文件最外层应是键值对（school: …、period: … 等），而不是列表或单个值"])
        data, problems = _validate(obj, _yaml_message)
        where = _yaml_where
    errors = errors + problems
    if errors or data is None:
        raise DataError(path, errors)
    return data, [dataclasses.replace(w, where=where(w.loc), file=str(path)) for w in data_warnings(data)]


def placed_warnings(data: ActivityData) -> list[DataWarning]:
    """The warnings of data that comes from no file (the web form), each named by its place in the
    data: `活动第3项“日期”`."""
    return [dataclasses.replace(w, where=place_label(w.loc)) for w in data_warnings(data)]


def load_data(path: str | os.PathLike[str]) -> ActivityData:
    """Read activity data from `.yaml`/`.yml`, `.json` or `.xlsx` (`load_data_with_warnings`
    without the warnings). Raises `DataError` listing every problem of the file."""
    return load_data_with_warnings(path)[0]
