"""Activity data (`compose/model.py`, read by `io/data_readers.py`): the examples, the three file
forms, the messages.

The error tests check the *place* (sheet/row/column header, or key path) and the *reason* in
Chinese, because a message that says only "invalid" sends a school secretary hunting through a
spreadsheet. The equivalence tests fill the real template, so a change in the layout or the
reader that the template does not follow fails here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from summarizer.compose.model import (
    Activity,
    ActivityData,
    DataError,
    Quantity,
    parse_counts,
    parse_date_range,
    to_dict,
)
from summarizer.io.data_readers import INFO_ITEMS, SHEETS, load_data
from summarizer.io.data_template import write_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"

MINIMAL = {"school": "望江县第二中心小学", "period": "2024年"}


def write_yaml(path: Path, obj: Any) -> Path:
    path.write_text(yaml.safe_dump(obj, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    """The messages of the DataError that loading `path` must raise."""
    with pytest.raises(DataError) as info:
        load_data(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)  # one line for the command line
    return info.value.messages


def fill_template(path: Path, obj: dict[str, Any]) -> Path:
    """Fill the real template with a YAML-shaped dict, the way a person types it into Excel."""
    write_template(path)
    wb = load_workbook(path)
    info = wb["基本信息"]
    rows = {info.cell(row=r, column=1).value: r for r in range(2, info.max_row + 1)}
    for item, key_path, _aliases in INFO_ITEMS:
        value: Any = obj
        for key in key_path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        if item == "结对学校":
            value = "、".join(value)
        elif item == "依据文件":
            value = "\n".join(value)
        info.cell(row=rows[item], column=2, value=value)
    for sheet, (key, model, cols) in SHEETS.items():
        ws = wb[sheet]
        for i, item in enumerate(obj.get(key, []), 2):
            for j, (_header, field, _aliases) in enumerate(cols, 1):
                value = item if model is None else item.get(field)
                if isinstance(value, list):
                    value = "、".join(value)
                elif isinstance(value, dict):
                    value = "；".join(f"{k}={v}" for k, v in value.items())
                elif field == "date" and "/" not in str(value):
                    value = dt.datetime.fromisoformat(str(value))  # a real Excel date cell
                ws.cell(row=i, column=j, value=value)
    wb.save(path)
    return path


# -- the examples ---------------------------------------------------------------------------------


def test_jiedui_example() -> None:
    data = load_data(EXAMPLES / "jiedui_bangfu_2024.yaml")
    assert (data.kind, data.role, data.period) == ("工作总结", "受援", "2024年")
    assert data.partners == ["青山县城关第一小学"]
    assert [leader.role for leader in data.leaders] == ["组长", "副组长", "成员", "成员"]
    assert len(data.activities) == 10
    assert all(a.date_start.year == 2024 for a in data.activities)
    assert [a.date_start for a in data.activities] == sorted(a.date_start for a in data.activities)
    follow = data.activities[2]
    assert (follow.date_start, follow.date_end) == (dt.date(2024, 4, 8), dt.date(2024, 4, 19))
    assert sum(a.money or 0 for a in data.activities) == 22100
    # the results repeat the donation figures of the activities
    assert data.results[2].counts["新增图书（册）"] == data.activities[3].counts["图书（册）"] == 1200
    assert data.results[1].counts["六年级语文平均分提高（分）"] == 6.5
    assert (len(data.results), len(data.problems), len(data.plans)) == (4, 3, 3)
    assert data.signoff is not None and data.signoff.date == dt.date(2024, 12, 20)


def test_xuekunsheng_example() -> None:
    data = load_data(EXAMPLES / "xuekunsheng_2023-2024.json")
    assert (data.topic, data.period, data.role, data.leaders) == ("学困生帮扶", "2023—2024学年", None, [])
    assert len(data.activities) == 9
    assert {a.kind for a in data.activities} >= {"个别辅导", "家访", "结对学习"}
    assert data.activities[0].counts["确定学困生"] == data.results[0].counts["学困生"] == 8
    assert data.results[0].counts["转化学困生"] == 6
    first, last = data.activities[0].date_start, data.activities[-1].date_start
    assert dt.date(2023, 9, 1) <= first < last <= dt.date(2024, 7, 31)


def test_jiaoyu_fupin_plan_example() -> None:
    data = load_data(EXAMPLES / "jiaoyu_fupin_2025_plan.xlsx")
    assert (data.kind, data.topic, data.school) == ("工作计划", "教育扶贫", "青山县石门乡中心学校")
    assert len(data.leaders) == 5 and data.leaders[0].role == "组长"
    assert len(data.activities) == 10
    assert all(a.date_start.year == 2025 for a in data.activities)
    # text ranges typed with 至, a Chinese date with a short end, and a ~ range
    assert data.activities[0].date_end == dt.date(2025, 2, 28)
    assert (data.activities[1].date_start, data.activities[1].date_end) == (dt.date(2025, 3, 10), dt.date(2025, 3, 31))
    assert data.activities[5].date_end == dt.date(2025, 8, 22)
    assert data.activities[1].money == 93000 == 500 * data.activities[1].counts["受助学生"].value
    assert data.activities[7].counts == {"结对教师": 85, "帮扶学生": 186}
    assert len(data.policies) == 2
    assert (len(data.results), len(data.problems), data.plans) == (2, 2, [])
    assert data.signoff is not None and data.signoff.date == dt.date(2025, 1, 10)


@pytest.mark.parametrize("name", ["jiedui_bangfu_2024.yaml", "xuekunsheng_2023-2024.json", "jiaoyu_fupin_2025_plan.xlsx"])
def test_to_dict_round_trips_through_yaml_and_json(tmp_path: Path, name: str) -> None:
    data = load_data(EXAMPLES / name)
    assert load_data(write_yaml(tmp_path / "d.yaml", to_dict(data))) == data
    (tmp_path / "d.json").write_text(json.dumps(to_dict(data), ensure_ascii=False), encoding="utf-8")
    assert load_data(tmp_path / "d.json") == data


# -- the same data in three forms -----------------------------------------------------------------


def test_filled_template_equals_yaml(tmp_path: Path) -> None:
    data = load_data(EXAMPLES / "jiedui_bangfu_2024.yaml")
    xlsx = fill_template(tmp_path / "filled.xlsx", to_dict(data))
    assert load_data(xlsx) == data


def test_forgiving_spellings_equal_the_canonical_yaml(tmp_path: Path) -> None:
    canonical = write_yaml(
        tmp_path / "c.yaml",
        {
            **MINIMAL,
            "kind": "工作计划",
            "partners": ["建设街小学", "实验小学"],
            "policies": ["《关于开展城乡学校结对帮扶工作的通知》", "《帮扶工作方案》"],
            "activities": [
                {"date": "2024-03-15", "title": "示范课", "counts": {"示范课": 3, "听课教师": 25},
                 "money": 12000, "people": ["张伟", "刘洋"]},
                {"date": "2024-03-15/2024-03-17", "title": "跟岗", "money": 1500.5},
                {"date": "2024-03-15/2024-04-02", "title": "培训", "counts": {"培训教师": 1200}},
            ],
            "signoff": {"body": "望江县第二中心小学", "date": "2024-12-20"},
        },
    )
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "基本信息"
    for row in [("项目", "内容"), ("学校", " 望江县第二中心小学 "), ("时段", 2024), ("文种", "计划"),
                ("结对学校", "建设街小学，实验小学"), ("依据文件", "《关于开展城乡学校结对帮扶工作的通知》《帮扶工作方案》"),
                (None, None), ("落款单位", "望江县第二中心小学"), ("落款日期", "2024年12月20日")]:
        info.append(row)
    acts = wb.create_sheet("活动")
    acts.append(["日期", "标题", "数量", "金额(元)", "参加人员"])
    acts.append([dt.datetime(2024, 3, 15), "示范课", "示范课：3\n听课教师＝25", "1.2万元", "张伟 刘洋"])
    acts.append([])
    acts.append(["2024年3月15日至17日", "跟岗", None, "1,500.5"])
    acts.append(["2024/3/15~4/2", "培训", "培训教师=1,200", None])
    wb.save(tmp_path / "f.xlsx")
    assert load_data(tmp_path / "f.xlsx") == load_data(canonical)


# -- errors: YAML / JSON --------------------------------------------------------------------------


def activity(**kw: Any) -> dict[str, Any]:
    return {"date": "2024-03-15", "title": "示范课", **kw}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({**MINIMAL, "activities": [activity(), activity(), activity(date="2024-13-01")]},
         ["activities[2].date", "第3项", "“日期”", "“2024-13-01” 不是有效日期", "2024-03-15/2024-03-17"]),
        ({**MINIMAL, "activities": [activity(date="2024-03-17/2024-03-15")]},
         ["activities[0].date", "结束日期 2024-03-15 早于开始日期 2024-03-17"]),
        ({**MINIMAL, "activities": [activity(counts={"听课教师": -3})]},
         ["activities[0].counts", "“数量”", "“听课教师” 的数量不能是负数"]),
        ({**MINIMAL, "activities": [activity(money=-1)]}, ["activities[0].money", "金额不能是负数"]),
        ({**MINIMAL, "activities": [activity(counts={"走访家庭": "很多"})]},
         ["activities[0].counts", "“走访家庭” 的数量 “很多” 不是数字"]),
        ({**MINIMAL, "activities": [activity(counts={"及格率提高": "12个百分点"})]},
         ["activities[0].counts", "单位“个百分点”无法识别", "及格率提高（个百分点）=12"]),
        ({**MINIMAL, "activites": []}, ["activites", "未知的键", "activities"]),
        ({**MINIMAL, "leaders": [{"name": "李明", "job": "校长"}]}, ["leaders[0].job", "未知的键", "title"]),
        ({**MINIMAL, "activities": [activity(date_start="2024-03-15")]}, ["activities[0].date", "date_start"]),
        ({"period": "2024年"}, ["school", "“学校”", "未填写（必填）"]),
        ({"school": "望江县第二中心小学"}, ["period", "“时段”", "未填写（必填）"]),
        ({**MINIMAL, "period": "20__年"}, ["period", "没有写明年份"]),
        ({**MINIMAL, "kind": "工作报告"}, ["kind", "“文种”", "“工作报告” 不是可选的文种", "工作总结、工作计划、实施方案"]),
        ({**MINIMAL, "role": "帮扶"}, ["role", "不是可选的角色"]),
        ({**MINIMAL, "leaders": [{"name": "李明", "role": "组头"}]}, ["leaders[0].role", "“分工”", "组长、副组长、成员"]),
        ({**MINIMAL, "activities": [{"date": "2024-03-15"}]}, ["activities[0].title", "“标题”", "标题和类别至少填一项"]),
        ({**MINIMAL, "signoff": {"date": "2024-12-01/2024-12-02"}}, ["signoff.date", "只能写一个日期"]),
    ],
)
def test_yaml_errors_name_the_key_path_in_chinese(tmp_path: Path, obj: dict[str, Any], expected: list[str]) -> None:
    found = messages(write_yaml(tmp_path / "bad.yaml", obj))
    assert len(found) == 1, found
    for part in expected:
        assert part in found[0], (part, found[0])


def test_json_errors_use_the_same_key_paths(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**MINIMAL, "activities": [activity(date="2024-02-30")]}), encoding="utf-8")
    assert messages(path) == [
        "activities[0].date（活动第1项“日期”）：“2024-02-30” 不是有效日期，应写成 2024-03-15 或 2024-03-15/2024-03-17"
    ]


def test_all_errors_of_a_yaml_file_are_collected(tmp_path: Path) -> None:
    obj = {
        "period": "2024年",
        "kind": "总结报告",
        "extra": 1,
        "activities": [activity(date="2024-13-01", counts={"a": -1}, money="很多"), activity(), activity(place=[1])],
        "results": [{}],
    }
    found = messages(write_yaml(tmp_path / "bad.yaml", obj))
    assert len(found) == 8, found
    for part in ["kind", "school", "activities[0].date", "activities[0].counts", "activities[0].money",
                 "activities[2].place", "results[0]", "extra"]:
        assert any(m.startswith(part) for m in found), (part, found)


def test_malformed_yaml_and_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("school: 望江县第二中心小学\nperiod: [2024年\n", encoding="utf-8")
    (msg,) = messages(bad)
    assert msg.startswith("YAML 格式错误") and "第3行" in msg
    bad = tmp_path / "bad.json"
    bad.write_text('{"school": "望江县第二中心小学",}', encoding="utf-8")
    (msg,) = messages(bad)
    assert msg.startswith("JSON 格式错误（第1行")
    bad = tmp_path / "list.yaml"
    bad.write_text("- school: x\n", encoding="utf-8")
    assert "最外层应是键值对" in messages(bad)[0]


def test_duplicate_yaml_keys_are_errors_not_last_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("school: 甲小学\nperiod: 2024年\nschool: 乙小学\n", encoding="utf-8")
    (msg,) = messages(path)
    assert "第3行" in msg and "“school”重复" in msg


def test_gbk_yaml_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("school: 望江县第二中心小学\nperiod: 2024年\n".encode("gbk"))
    assert load_data(path).school == "望江县第二中心小学"


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "另存为 .xlsx" in messages(xls)[0]
    assert "文件不存在" in messages(tmp_path / "none.yaml")[0]


# -- errors: xlsx ---------------------------------------------------------------------------------


def xlsx(path: Path, info: dict[str, Any] | None = None, **sheets: list[list[Any]]) -> Path:
    """A workbook with 基本信息 (school and period filled unless overridden) and the given sheets."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "基本信息"
    ws.append(["项目", "内容"])
    for item, value in {"学校": "望江县第二中心小学", "时段": "2024年", **(info or {})}.items():
        ws.append([item, value])
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


ACT_HEAD = ["日期", "类别", "标题", "人员", "地点", "数量", "金额（元）", "备注"]


@pytest.mark.parametrize(
    ("sheets", "info", "expected"),
    [
        ({"活动": [ACT_HEAD, ["2024-03-15", "送教下乡"], ["2024-13-01", "送教下乡"]]}, None,
         "活动 第3行 “日期”：“2024-13-01” 不是有效日期，应写成 2024-03-15 或 2024-03-15/2024-03-17"),
        ({"活动": [ACT_HEAD, ["2024-03-17至2024-03-15", "送教下乡"]]}, None,
         "活动 第2行 “日期”：“2024-03-17至2024-03-15”：结束日期 2024-03-15 早于开始日期 2024-03-17"),
        ({"活动": [ACT_HEAD, ["2024-03-15", "送教下乡", None, None, None, "示范课=3；听课教师=-25"]]}, None,
         "活动 第2行 “数量”：“听课教师” 的数量不能是负数（-25）"),
        ({"活动": [ACT_HEAD, ["2024-03-15", "送教下乡", None, None, None, "示范课3"]]}, None,
         "活动 第2行 “数量”：“示范课3” 缺少“="),
        ({"活动": [ACT_HEAD, ["2024-03-15", "送教下乡", None, None, None, None, -100]]}, None,
         "活动 第2行 “金额（元）”：金额不能是负数（-100）"),
        ({"活动": [[*ACT_HEAD, "负责人"], ["2024-03-15", "送教下乡"]]}, None,
         "活动 第1行 I列：未知的列“负责人”，可用的列：日期、类别、标题、人员、地点、数量、金额（元）、备注"),
        ({"活动": [ACT_HEAD, ["2024-03-15", "送教下乡", None, None, None, None, None, None, "多出来的"]]}, None,
         "活动 I列：有内容但没有表头"),
        ({"说明": [["随便写写"]]}, None, "未知的工作表“说明”"),
        ({}, {"学校": None}, "基本信息 第2行 “学校”：未填写（必填）"),
        ({}, {"时段": " "}, "基本信息 第3行 “时段”：未填写（必填）"),
        ({}, {"文种": "工作报告"}, "基本信息 第4行 “文种”：“工作报告” 不是可选的文种"),
        ({}, {"校长": "李明"}, "基本信息 第4行 “项目”：未知的项目“校长”"),
        ({"领导小组": [["姓名", "职务", "分工"], [None, "校长", "组长"]]}, None, "领导小组 第2行 “姓名”：未填写（必填）"),
        ({"领导小组": [["姓名", "职务", "分工"], ["李明", "校长", "队长"]]}, None, "领导小组 第2行 “分工”：“队长” 不是可选的分工"),
        ({"成效": [["内容", "数量"], ["学困生转化", "转化学困生=abc"]]}, None, "成效 第2行 “数量”：“转化学困生” 的数量 “abc” 不是数字"),
    ],
)
def test_xlsx_errors_name_sheet_row_and_column(
    tmp_path: Path, sheets: dict[str, list[list[Any]]], info: dict[str, Any] | None, expected: str
) -> None:
    found = messages(xlsx(tmp_path / "bad.xlsx", info, **sheets))
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_xlsx_missing_school_and_period_without_the_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "问题"
    ws.append(["内容"])
    ws.append(["教师外出学习与课务冲突"])
    wb.save(tmp_path / "p.xlsx")
    assert messages(tmp_path / "p.xlsx") == ["基本信息 “学校”：未填写（必填）", "基本信息 “时段”：未填写（必填）"]


def test_all_errors_of_a_workbook_are_collected(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "bad.xlsx",
        {"学校": None, "角色": "帮扶方?"},
        活动=[[*ACT_HEAD, "负责人"], ["2024-13-01", "送教下乡", None, None, None, "a=-1"], [],
              ["2024-03-15", None, None, None, None, None, "很多"]],
        领导小组=[["姓名", "职务", "分工"], ["李明", "校长", "队长"]],
        其他=[["x"]],
    )
    found = messages(path)
    expected = ["未知的工作表“其他”", "活动 第1行 I列：未知的列“负责人”", "基本信息 第2行 “学校”", "基本信息 第4行 “角色”",
                "领导小组 第2行 “分工”", "活动 第2行 “日期”", "活动 第2行 “数量”", "活动 第4行 “金额（元）”",
                "活动 第4行 “标题”：标题和类别至少填一项"]
    assert len(found) == len(expected), found
    for part in expected:
        assert any(m.startswith(part) for m in found), (part, found)


def test_not_an_xlsx_file(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("school,period\n望江县第二中心小学,2024年\n", encoding="utf-8")
    (msg,) = messages(fake)
    assert "无法读取 Excel 文件" in msg and "不是有效的 .xlsx" in msg


# -- the template ---------------------------------------------------------------------------------


def test_template_layout(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["基本信息", "领导小组", "活动", "成效", "问题", "打算"]
    expected_headers = {"基本信息": ["项目", "内容"], **{s: [h for h, _f, _a in c[2]] for s, c in SHEETS.items()}}
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        assert headers == expected_headers[ws.title]
        assert ws.freeze_panes == "A2"
        for cell in ws[1]:
            assert cell.font.bold
            assert cell.comment is not None and cell.comment.text.strip()
        if ws.title != "基本信息":
            assert ws.max_row == 1, f"{ws.title} must have no example rows"
    info = wb["基本信息"]
    assert [info.cell(row=r, column=1).value for r in range(2, info.max_row + 1)] == [i[0] for i in INFO_ITEMS]
    assert all(info.cell(row=r, column=2).value is None for r in range(2, info.max_row + 1))
    for r in range(2, info.max_row + 1):
        assert "例：" in info.cell(row=r, column=1).comment.text  # type: ignore[union-attr]
    assert "例：2024-03-15/2024-03-17" in wb["活动"]["A1"].comment.text  # type: ignore[union-attr]
    assert "名称=数字" in wb["活动"]["F1"].comment.text  # type: ignore[union-attr]
    lists = {ws.title: [dv.formula1 for dv in ws.data_validations.dataValidation] for ws in wb.worksheets}
    assert '"工作总结,工作计划,实施方案"' in lists["基本信息"]
    assert '"支援,受援"' in lists["基本信息"]
    assert '"组长,副组长,成员"' in lists["领导小组"]
    assert wb["活动"].column_dimensions["C"].width > 20


def test_empty_template_reports_missing_school_and_period(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    assert messages(path) == ["基本信息 第4行 “学校”：未填写（必填）", "基本信息 第5行 “时段”：未填写（必填）"]


# -- parsing helpers and the model ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-03-15", (2024, 3, 15), None),
        ("2024/3/5", (2024, 3, 5), None),
        ("2024年3月15日", (2024, 3, 15), None),
        ("20240315", (2024, 3, 15), None),
        ("2024-03-15/2024-03-17", (2024, 3, 15), (2024, 3, 17)),
        ("2024/3/15/2024/3/17", (2024, 3, 15), (2024, 3, 17)),
        ("2024年3月15日至17日", (2024, 3, 15), (2024, 3, 17)),
        ("2024年3月15日—4月2日", (2024, 3, 15), (2024, 4, 2)),
        ("2024-12-30 ~ 2025-01-03", (2024, 12, 30), (2025, 1, 3)),
        ("2024-03-15/2024-03-15", (2024, 3, 15), None),
    ],
)
def test_parse_date_range(text: str, start: tuple[int, int, int], end: tuple[int, int, int] | None) -> None:
    assert parse_date_range(text) == (dt.date(*start), dt.date(*end) if end else None)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "3月15日", "2024-03-15至", "2024-03-15/x", "下周一"])
def test_parse_date_range_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_range(text)


def test_parse_counts() -> None:
    assert parse_counts("示范课=3；听课教师=25;讲座：1\n参训率（%）=95.5、捐款=1.2万") == {
        "示范课": 3, "听课教师": 25, "讲座": 1, "参训率（%）": 95.5, "捐款": 12000}
    for bad in ["示范课=3；示范课=4", "=3", "示范课=-1", "示范课=yes"]:
        with pytest.raises(ValueError):
            parse_counts(bad)
    with pytest.raises(ValueError):
        parse_counts({"示范课": True})


def test_python_construction_and_end_before_start() -> None:
    a = Activity(date="2024-03-15/2024-03-17", title="跟岗")  # type: ignore[call-arg]
    assert (a.date_start, a.date_end, a.date) == (dt.date(2024, 3, 15), dt.date(2024, 3, 17), "2024-03-15/2024-03-17")
    with pytest.raises(ValueError, match="早于"):
        Activity(date_start=dt.date(2024, 3, 17), date_end=dt.date(2024, 3, 15), title="跟岗")
    data = ActivityData(**MINIMAL)
    assert data.kind == "工作总结" and data.activities == []


def test_blank_rows_above_the_header_keep_excel_row_numbers(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "b.xlsx", None, 问题=[[], ["内容"], ["教师外出学习与课务冲突"], [], [None]],
                活动=[[], [], ACT_HEAD, ["2024-02-31", "送教下乡"]])
    assert messages(path) == ["活动 第4行 “日期”：“2024-02-31” 不是有效日期，应写成 2024-03-15 或 2024-03-15/2024-03-17"]
    path = xlsx(tmp_path / "ok.xlsx", None, 问题=[[], ["内容"], ["教师外出学习与课务冲突"], [], [None]])
    assert load_data(path).problems == ["教师外出学习与课务冲突"]


def test_text_over_several_lines_is_one_text_and_problems_and_plans_one_item_a_line(tmp_path: Path) -> None:
    """A YAML block string, Alt+Enter in an Excel cell, a form's text box: a name reads as one
    name, titles and notes as one line, problems and plans as one item a line."""
    path = tmp_path / "多行.yaml"
    path.write_text(
        "school: |\n  望江县\n  第二中心小学\nperiod: 2024年\n"
        "activities:\n  - date: 2024-03-15\n    title: |\n      骨干教师来校\n      上示范课。\n      课后评课\n"
        "problems:\n  - |\n    教师外出学习与课务冲突\n\n    辅导时间不足\n  - 经费紧张\n"
        "plans: \"每学期互派教师跟岗学习\\r\\n每月一次线上教研\"\n", encoding="utf-8")
    data = load_data(path)
    assert data.school == "望江县第二中心小学"
    assert data.activities[0].title == "骨干教师来校，上示范课。课后评课"
    assert data.problems == ["教师外出学习与课务冲突", "辅导时间不足", "经费紧张"]
    assert data.plans == ["每学期互派教师跟岗学习", "每月一次线上教研"]


# -- counts with units ----------------------------------------------------------------------------


def test_counts_keep_the_unit_written_after_the_number(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "units.yaml", {**MINIMAL, "results": [{"text": "控辍保学", "counts": {
        "建档率": "100%", "走访家庭": "29户", "经费": "3.5万元", "平均分提高": "9分", "图书": "1.2万册",
        "捐款": "1.2万", "听课教师": 25}}]})
    counts = load_data(path).results[0].counts
    assert (counts["走访家庭"].value, counts["走访家庭"].unit) == (29, "户")
    assert (counts["建档率"].value, counts["建档率"].unit) == (100, "%")
    assert (counts["经费"].value, counts["经费"].unit, counts["经费"].amount) == (3.5, "万元", 35000)
    assert str(counts["平均分提高"]) == "9分" and str(counts["图书"]) == "1.2万册"
    # without a unit a number means what it always meant: 1.2万 is 12000, and equals its number
    assert counts["捐款"] == Quantity(12000) == 12000 and counts["捐款"].unit == ""
    assert counts["听课教师"] == 25 and isinstance(counts["听课教师"].value, int)


def test_units_are_written_back_as_given_and_round_trip(tmp_path: Path) -> None:
    data = load_data(write_yaml(tmp_path / "units.yaml", {**MINIMAL, "activities": [
        activity(counts={"走访家庭": "29户", "建档率": "100％", "听课教师": 25, "捐款": "1.2万"})]}))
    assert to_dict(data)["activities"][0]["counts"] == {"走访家庭": "29户", "建档率": "100％", "听课教师": 25,
                                                       "捐款": 12000}
    assert load_data(write_yaml(tmp_path / "again.yaml", to_dict(data))) == data
    (tmp_path / "d.json").write_text(json.dumps(to_dict(data), ensure_ascii=False), encoding="utf-8")
    assert load_data(tmp_path / "d.json") == data
    assert load_data(fill_template(tmp_path / "filled.xlsx", to_dict(data))) == data


def test_xlsx_counts_cell_takes_units(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "units.xlsx", None, 活动=[ACT_HEAD, ["2024-03-15", "家访", None, None, None,
                                                         "走访家庭=29户；建档率：100％\n经费=3.5万元"]])
    counts = load_data(path).activities[0].counts
    assert counts == {"走访家庭": Quantity(29, "户"), "建档率": Quantity(100, "％"), "经费": Quantity(3.5, "万元")}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("走访家庭=很多", "活动 第2行 “数量”：“走访家庭” 的数量 “很多” 不是数字"),
        ("走访家庭=29 户 ", None),
        ("走访家庭=29ab", "活动 第2行 “数量”：“走访家庭” 的数量 “29ab” 的单位“ab”无法识别"),
        ("走访家庭=-29户", "活动 第2行 “数量”：“走访家庭” 的数量不能是负数（-29户）"),
    ],
)
def test_xlsx_counts_with_a_bad_unit_name_the_file_the_cell_and_the_field(
    tmp_path: Path, cell: str, expected: str | None
) -> None:
    path = xlsx(tmp_path / "bad.xlsx", None, 活动=[ACT_HEAD, ["2024-03-15", "家访", None, None, None, cell]])
    if expected is None:
        assert load_data(path).activities[0].counts["走访家庭"] == Quantity(29, "户")
        return
    (found,) = messages(path)  # `messages` also checks that the error names the file
    assert found.startswith(expected), found
