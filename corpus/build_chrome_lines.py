"""Build the chrome line training set `summarizer/data/chrome_lines.tsv` from the seed pages,
and fit the chrome model on it into `summarizer/data/chrome_model.json`.

Each line of every seed page (after gloss removal, t2s and punctuation) is labelled `chrome` if a
person reading the page marked it as site furniture (listed below, read from the pages), and
`text` otherwise; generic examples from other document sites follow, then the examples the team
wrote for sentence-level chrome (`corpus/written_chrome/`). The model is fitted on those and on
the lines of the provincial report pages in the shared corpus (`../shared/corpus/johncodes404__…`;
only the pages after the first `PROVINCIAL_HELD_OUT` in name order: the tests clean those first
pages), read here and not written into the shipped file. Re-run after adding a seed:
    python corpus/build_chrome_lines.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from summarizer.clean.chrome import MODEL_FILE, fit_default
from summarizer.clean.gloss import remove_glosses
from summarizer.text.punctuation import normalize_punctuation
from summarizer.text.script import to_simplified

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "summarizer" / "data" / "chrome_lines.tsv"
WRITTEN = HERE / "written_chrome" / "chrome_examples.tsv"
PROVINCIAL = (HERE.parent.parent / "shared" / "corpus" / "johncodes404__china-provincial-gov-reports-2026"
              / "output_2026_raw_text")
PROVINCIAL_HELD_OUT = 20  # the first pages in name order are test pages (tests/clean/test_pages.py)
# The furniture of the provincial pages, as read on them: whole lines, or prefixes ending in `：`.
PROVINCIAL_CHROME_LINES = {"下载", "打印", "全屏", "收藏", "【字号：", "【字体：", "加大", "还原", "减小", "】", "【",
                           "大", "中", "小", "首页", ">", "×", "|", "分享:", "分享：", "分享到微信", "打印本页",
                           "关闭窗口", "扫一扫在手机打开当前页", "您的位置:", "您的位置：", "当前位置：", "当前位置:",
                           "政府信息公开"}
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?$")  # `2026-02-02 09:20`
PROVINCIAL_CHROME_KEYS = ("来源", "时间", "发表时间", "阅读量", "编辑", "责任编辑", "相关报道", "相关文档", "分享到")

# Lines of the seed pages that are site furniture, as read by a person (prefixes suffice).
SEED_CHROME = [
    "[2016学校帮扶工作总结]",
    "已阅读5页", "下载本文档", "版权说明：本文档由用户提供并上传", "文档简介", "温馨提示",
    "• 1. 本站所有资源", "• 2. 本站的文档不包含", "• 3. 本站RAR压缩包", "• 4. 未经权益所有人同意",
    "• 5. 人人文库网", "• 6. 下载文件中如有侵权", "• 7. 本站不保证", "评论", "0/150", "提交评论",
    "合集下载", "第 1 页共 1 页。", "1. 1、下载文档前请自行甄别", "2. 2、“仅部分预览”的文档",
    "3. 3、如文档侵犯您的权益", "相关文档", "最新文档",
    "ID：3107147", "ID:3107147", "时间：2023-09-20", "时间:2023-09-20", "上传者：GZ才子", "上传者:GZ才子",
    "当我们有一个明确的目标时", "计划的内容远比形式来的重要", "关闭",
]

# Furniture of other document and news sites, written from what such pages show.
GENERIC_CHROME = """上一篇：学校安全工作总结
下一篇：2023年教师个人工作计划
返回顶部
版权所有 © 2023 文库网 保留所有权利
本文由用户上传，仅供学习交流使用
扫一扫，手机阅读更方便
分享到：微信 QQ空间 新浪微博
点击下载完整版文档
阅读全文
展开全文
收藏
举报
免费下载
立即下载
VIP免费下载
付费下载
相关推荐
热门推荐
猜你喜欢
本文标签：工作总结 帮扶 学困生
浏览次数：1024
发布时间：2021-06-01 10:23
来源：互联网
作者：佚名
责任编辑：王小明
声明：本站所有文章资源内容，如无特殊说明或标注，均为采集网络资源。如若本站内容侵犯了原著者的合法权益，可联系本站删除。
以上就是小编为大家整理的学校帮扶工作总结，希望大家喜欢。
更多相关内容请关注本站
登录 | 注册
首页 > 范文大全 > 工作总结
当前位置：首页 > 工作计划 > 教学工作计划
文章来源于网络，如有侵权请联系删除
加载中...
侵权投诉
联系客服
意见反馈
网站地图
京ICP备12345678号-1
第3页/共5页
剩余5页未读，继续阅读
本文档共12页
文档格式：docx
页数：5
字数：3256
上传时间：2020-11-03
下面是小编为大家收集整理的扶贫工作计划，欢迎大家阅读借鉴。
小编推荐
最新范文
范文大全
查看更多
点击查看更多>>
本页是最新发布的《学困生帮扶计划》的详细范文参考文章
你可能感兴趣的文章
下载此文档
在线阅读
全文阅读已结束，如果下载本文需要使用
用户评价
内容简介
文档信息
已有1234人下载
大小：25KB
热门文档
精品推荐
手机扫码阅读
赞
打印本文
关闭窗口
TAG标签：帮扶 总结
本文地址：http://www.example.com/fanwen/1234.html
Copyright © 2008-2024 All Rights Reserved
欢迎访问本站，转载请注明出处
请输入评论内容
发表评论
0条评论
网友评论
我要评论
已赞
目录
本站所有资源均来源于互联网，仅供学习和研究使用，请勿用于商业用途。
本文档为用户上传，版权归原作者所有，若侵犯了您的权益请联系我们删除。
下载后如发现内容与预览不一致，可联系客服处理。
资料仅供参考，下载后可自由编辑修改。
付费文档下载后不支持退款，请确认后再购买。
温馨提示：本文档共5页，可在线预览前3页。
如需完整版请点击下载按钮。
文档下载所得收入归上传者所有，本站仅提供存储空间。
网站声明：本站文章来源于网友投稿，观点仅代表作者本人。
未经许可不得转载，违者必究。
免责声明：以上内容仅供参考，不构成任何建议。
1、本文档由会员免费上传，仅供预览。
2、如文档内容有误，请在评论区留言反馈。
3、客服工作时间：周一至周五 9:00-17:00。
[2019年学校工作总结范文]
【精选】教师工作总结3篇
第2页 共6页
阅读本文需要约5分钟
喜欢本文请点赞收藏
感谢您的阅读，祝您生活愉快！
以上内容就是为大家推荐的工作总结范文，希望对您有所帮助。
工作总结怎么写？下面我们就来看一看吧。
写总结是一件很头疼的事情，为了帮助大家，我们整理了以下范文，一起来看看吧。
"""


# Short lines that belong to reports (field labels, headings, signoffs): without them a model
# would take every short line for chrome.
GENERIC_TEXT = """组长：
副组长：
成员：
组员：
组长：李明（校长）
成员：各班班主任
领导小组名单如下：
附件：
附件1：结对帮扶学生名单
工作重点
工作要求
主要措施
存在问题
今后打算
主要做法
取得的成效
存在的不足
下一步工作打算
总结如下：
具体安排如下：
现将有关事项通知如下：
特制定本方案。
2024年12月20日
二〇二四年十二月二十日
2023年6月
2019年3月15日
2021年1月8日
2022年11月30日
2018年7月
2020.12
二〇二三年六月三十日
望江县第二中心小学
某某县教育局
中心学校教导处
XX镇中心小学
20__年__月__日
一、指导思想
二、工作目标
三、具体措施
（一）加强组织领导
1.成立领导小组
九月份：
十月份：制订帮扶计划
帮扶对象：
帮扶时间：2023年9月至2024年1月
活动地点：学校多功能厅
参加人员：全体教师
"""


def seed_lines() -> list[tuple[str, str]]:
    rows = []
    for path in sorted((HERE / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for step in (remove_glosses, to_simplified, normalize_punctuation):
            text = step(text)[0]
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            label = "chrome" if any(line.startswith(p) for p in SEED_CHROME) else "text"
            rows.append((label, line))
    return rows


def written_lines() -> list[tuple[str, str]]:
    """The chrome and text examples written by the team (`corpus/written_chrome/README.md`)."""
    with WRITTEN.open(encoding="utf-8") as f:
        return [(r["label"], r["line"]) for r in csv.DictReader(f, delimiter="\t")]


def provincial_lines() -> list[tuple[str, str]]:
    """Lines of the provincial report pages not held out for the tests: their furniture as
    chrome, their short lines (headings, signatures, dates of session) as text. Long paragraphs
    are left out: the seeds carry enough of them, and they would only weigh the page's topic."""
    rows: list[tuple[str, str]] = []
    for path in sorted(PROVINCIAL.glob("*.txt"))[PROVINCIAL_HELD_OUT:]:
        for line in path.read_text(encoding="utf-8").split("\n"):
            line = normalize_punctuation(line.strip())[0]
            if not line:
                continue
            key = line.split("：", 1)[0].split(":", 1)[0]
            if (line in PROVINCIAL_CHROME_LINES or _DATE_TIME.match(line) or line.startswith("（来源：")
                    or (key != line and key in PROVINCIAL_CHROME_KEYS and len(line) <= 40)):
                rows.append(("chrome", line))
            elif len(line) <= 60:
                rows.append(("text", line))
    return rows


def main() -> None:
    rows = seed_lines()
    rows += [("chrome", ln.strip()) for ln in GENERIC_CHROME.splitlines() if ln.strip()]
    rows += [("text", ln.strip()) for ln in GENERIC_TEXT.splitlines() if ln.strip()]
    rows += written_lines()
    # The provincial pages' lines are fitted on but not written out: the repository ships what
    # is learned from ../shared/corpus, never its text.
    extra = provincial_lines() if PROVINCIAL.is_dir() else []
    if not extra:
        print(f"{PROVINCIAL}: not found, its lines are left out")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["label", "line"])
        w.writerows(rows)
    n = sum(1 for r in rows if r[0] == "chrome")
    print(f"{OUT}: {len(rows)} lines, {n} chrome; {len(extra)} lines of the provincial pages fitted on")
    model_path = OUT.parent / MODEL_FILE
    model_path.write_text(fit_default(extra).to_json() + "\n", encoding="utf-8")
    print(f"{model_path}: fitted weights")


if __name__ == "__main__":
    main()
