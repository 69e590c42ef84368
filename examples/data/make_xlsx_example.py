"""How `jiaoyu_fupin_2025_plan.xlsx` was made: the empty template, filled as a school would fill it.

Run from the checkout: `.venv/bin/python examples/data/make_xlsx_example.py`. It starts from
`write_template` (so the example has the template's notes and drop-down lists) and types the
cells in the forms people use in Excel: real date cells for single days, text ranges with `至`,
`名称=数字；…` counts, names separated by `、`. School and people are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from summarizer.io.data_readers import load_data  # noqa: E402
from summarizer.io.data_template import write_template  # noqa: E402
from summarizer.io.writers import atomic_write  # noqa: E402

OUT = HERE / "jiaoyu_fupin_2025_plan.xlsx"

INFO = {
    "文种": "工作计划",
    "主题": "教育扶贫",
    "学校": "青山县石门乡中心学校",
    "时段": "2025年",
    "依据文件": "《青山县2025年教育扶贫工作要点》\n《关于做好家庭经济困难学生认定工作的通知》",
    "落款单位": "青山县石门乡中心学校",
    "落款日期": dt.datetime(2025, 1, 10),
}

LEADERS = [
    ("方志远", "校长", "组长"),
    ("韩春梅", "副校长", "副组长"),
    ("曹立新", "教导主任", "成员"),
    ("杨帆", "政教主任", "成员"),
    ("宋玉兰", "学生资助专干", "成员"),
]

# 日期, 类别, 标题, 人员, 地点, 数量, 金额（元）, 备注
ACTIVITIES = [
    ("2025-02-17至2025-02-28", "控辍保学", "春季开学逐班排查学生到校情况，未到校学生当天电话联系、三日内上门劝返",
     "曹立新、各班班主任", "全乡各校", "排查学生=1260", None, None),
    ("2025年3月10日至31日", "学生资助", "落实义务教育家庭经济困难学生生活补助春季学期发放",
     "宋玉兰", "中心学校", "受助学生=186", 93000, "每生每学期500元，按月公示"),
    (dt.datetime(2025, 4, 15), "送教上门", "为4名重度残疾适龄儿童送教上门",
     "韩春梅、杨帆", "学生家中", "送教上门学生=4；送教教师=8", None, "每生每月送教不少于2次"),
    (dt.datetime(2025, 5, 20), "营养改善", "检查农村义务教育学生营养改善计划落实情况",
     "方志远、宋玉兰", "各校食堂", "受益学生=1260", None, None),
    (dt.datetime(2025, 6, 10), "专题培训", "全体教师学生资助政策与控辍保学专题培训",
     "宋玉兰", "中心学校会议室", "参训教师=85", None, None),
    ("2025/7/7~2025/8/22", "家访", "暑期“大家访”，重点走访脱贫户和监测户家庭学生",
     "全体教师", "全乡各村", "走访家庭=320", None, "家访记录纳入学生资助档案"),
    ("2025-09-01/2025-09-12", "学生资助", "秋季学期家庭经济困难学生申请与认定",
     "宋玉兰、各班班主任", "中心学校", "认定学生=190", None, "认定结果公示5个工作日"),
    (dt.datetime(2025, 10, 15), "结对帮扶", "教师与家庭经济困难学生“一对一”结对帮扶",
     "全体教师", "中心学校", "结对教师=85；帮扶学生=186", None, "每月至少谈心一次"),
    (dt.datetime(2025, 11, 20), "心理辅导", "困难学生心理健康专题讲座",
     "杨帆", "中心学校报告厅", "讲座=2；听讲学生=210", 2000, "邀请县心理健康教育中心教师主讲"),
    (dt.datetime(2025, 12, 15), "座谈交流", "召开年度教育扶贫工作总结会",
     "方志远、韩春梅", "中心学校会议室", "参会人员=30", None, None),
]

RESULTS = [
    ("义务教育阶段适龄儿童少年无因贫失学辍学", "因贫辍学学生=0"),
    ("家庭经济困难学生资助应助尽助", "资助覆盖率（%）=100"),
]

PROBLEMS = [
    "全乡留守儿童比例高，家庭教育缺位，控辍保学压力较大",
    "资助专干一人兼多职，资助档案信息化管理滞后",
]


def main() -> None:
    """Write the template into memory, fill it, save it atomically, and check that it loads."""
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.xlsx"
        write_template(template)
        wb = load_workbook(template)

    ws = wb["基本信息"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in INFO:
            row[1].value = INFO[row[0].value]
            if isinstance(row[1].value, dt.datetime):
                row[1].number_format = "yyyy-mm-dd"
    for i, leader in enumerate(LEADERS, 2):
        for j, value in enumerate(leader, 1):
            wb["领导小组"].cell(row=i, column=j, value=value)
    for i, activity in enumerate(ACTIVITIES, 2):
        for j, value in enumerate(activity, 1):
            cell = wb["活动"].cell(row=i, column=j, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    for i, result in enumerate(RESULTS, 2):
        for j, value in enumerate(result, 1):
            wb["成效"].cell(row=i, column=j, value=value)
    for i, problem in enumerate(PROBLEMS, 2):
        wb["问题"].cell(row=i, column=1, value=problem)

    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(OUT, buffer.getvalue())
    data = load_data(OUT)
    print(f"{OUT.name}: {len(data.leaders)} leaders, {len(data.activities)} activities")


if __name__ == "__main__":
    main()
