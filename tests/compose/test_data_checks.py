"""Warnings about activity data (`compose/data_checks.py`): what is allowed but probably a slip.

Each test writes a small data file as a school would, loads it with `load_data_with_warnings` and
reads the warning a person would see: the file, the place in it, and what to check.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from summarizer.compose.data_checks import period_span
from summarizer.io.data_readers import load_data_with_warnings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
SCHOOL = {"school": "望江县第二中心小学"}


def yaml_file(path: Path, obj: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(obj, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def warnings_of(path: Path) -> list[str]:
    data, warnings = load_data_with_warnings(path)
    assert data is not None
    return [str(w) for w in warnings]


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2024年", (2024, 1, 1), (2024, 12, 31)),
        ("2024年度", (2024, 1, 1), (2024, 12, 31)),
        ("2023—2024学年", (2023, 9, 1), (2024, 8, 31)),
        ("2023-2024学年度", (2023, 9, 1), (2024, 8, 31)),
        ("2023—2024学年第二学期", (2024, 2, 1), (2024, 8, 31)),
        ("2025年春季学期", (2025, 2, 1), (2025, 8, 31)),
        ("2024年秋季学期", (2024, 8, 1), (2025, 1, 31)),
        ("2024年上半年", (2024, 1, 1), (2024, 6, 30)),
        ("2024年9月至2025年1月", (2024, 9, 1), (2025, 1, 31)),
    ],
)
def test_period_span(period: str, first: tuple[int, int, int], last: tuple[int, int, int]) -> None:
    assert period_span(period) == (dt.date(*first), dt.date(*last))


@pytest.mark.parametrize("period", ["本学年", "2024年寒假", "2023年至2024年"])
def test_a_period_that_cannot_be_dated_gives_no_span(period: str) -> None:
    assert period_span(period) is None


def test_the_examples_give_no_warnings() -> None:
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".yaml", ".json", ".xlsx"):
            assert warnings_of(path) == [], path.name


def test_an_activity_outside_a_calendar_year_is_named_by_its_key_path(tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "我校.yaml", {**SCHOOL, "period": "2024年", "activities": [
        {"date": "2024-03-15", "title": "送教下乡"}, {"date": "2023-12-28/2024-01-03", "title": "寒假家访"}]})
    assert warnings_of(path) == [
        f"{path}：activities[1].date（活动第2项“日期”）：日期 2023-12-28/2024-01-03 不在时段“2024年”"
        "（2024-01-01 至 2024-12-31）内，请核对日期或时段"]


def test_an_activity_outside_a_school_year_in_json(tmp_path: Path) -> None:
    path = tmp_path / "学困生.json"
    path.write_text(json.dumps({**SCHOOL, "period": "2023—2024学年", "activities": [
        {"date": "2023-09-10", "title": "确定帮扶对象"}, {"date": "2024-09-02", "title": "开学摸底"}]},
        ensure_ascii=False), encoding="utf-8")
    (warning,) = warnings_of(path)
    assert "activities[1].date" in warning and "2024-09-02 不在时段“2023—2024学年”（2023-09-01 至 2024-08-31）" in warning


def test_an_activity_outside_a_spring_term_in_xlsx_is_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "基本信息"
    for row in [("项目", "内容"), ("学校", "望江县第二中心小学"), ("时段", "2025年春季学期")]:
        info.append(row)
    acts = wb.create_sheet("活动")
    for row in [["日期", "标题"], [dt.datetime(2025, 3, 5), "开学家访"], [dt.datetime(2025, 10, 8), "秋季运动会"]]:
        acts.append(row)
    wb.save(tmp_path / "春季.xlsx")
    assert warnings_of(tmp_path / "春季.xlsx") == [
        f"{tmp_path / '春季.xlsx'}：活动 第3行 “日期”：日期 2025-10-08 不在时段“2025年春季学期”"
        "（2025-02-01 至 2025-08-31）内，请核对日期或时段"]


def test_a_summary_signed_before_its_last_activity_ends(tmp_path: Path) -> None:
    obj = {**SCHOOL, "period": "2024年", "activities": [{"date": "2024-12-16/2024-12-27", "title": "期末复习辅导"}],
           "signoff": {"body": "望江县第二中心小学", "date": "2024-12-20"}}
    (warning,) = warnings_of(yaml_file(tmp_path / "总结.yaml", obj))
    assert "signoff.date（“落款日期”）" in warning
    assert "落款日期 2024-12-20 早于活动“期末复习辅导”的结束日期 2024-12-27" in warning
    # a plan is signed before what it plans
    assert warnings_of(yaml_file(tmp_path / "计划.yaml", {**obj, "kind": "工作计划"})) == []


def test_a_result_count_larger_than_the_group_it_counts(tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "成效.yaml", {**SCHOOL, "period": "2024年", "results": [
        {"text": "学困生转化", "counts": {"学困生": 8, "转化学困生": 10}},
        {"text": "家访", "counts": {"家庭": "30户", "走访家庭": "29户", "学困生": 8, "转化学困生（名）": 6}}]})
    assert warnings_of(path) == [
        f"{path}：results[0].counts（成效第1项“数量”）：“转化学困生”（10）大于“学困生”（8），部分不应多于整体，请核对数字"]


def test_counts_in_units_that_do_not_compare_give_no_warning(tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "成效.yaml", {**SCHOOL, "period": "2024年", "results": [
        {"text": "控辍保学", "counts": {"学生": 120, "在校学生": "100%", "家庭": "3户", "走访家庭": "29人"}}]})
    assert warnings_of(path) == []


def test_warnings_do_not_change_the_data(tmp_path: Path) -> None:
    path = yaml_file(tmp_path / "d.yaml", {**SCHOOL, "period": "2024年", "activities": [
        {"date": "2025-01-05", "title": "寒假家访"}]})
    data, warnings = load_data_with_warnings(path)
    assert len(warnings) == 1 and data.activities[0].date_start == dt.date(2025, 1, 5)
