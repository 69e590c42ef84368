"""Where a paragraph stands in its report's outline, and what its headings say about it.

Everything the section labeller knows without learning lives here: each paragraph's outline
context (`article_views`), the section a heading names (`heading_section`: `三、存在问题与改进措施`
names `problems`), the keyword-and-heading baseline every model must beat (`rule_predict`), and
the weak labels read off a report's outline (`weak_labels`), which let any folder of reports
serve as training material. Pure functions of strings and articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizer.analyse.segment import heading_marker
from summarizer.document import Article

LABELS = ("title", "preamble", "guiding", "organization", "measures", "results", "experience",
          "problems", "plans", "closing", "signoff", "noise")
LABELS_ZH = {"title": "标题", "preamble": "开头", "guiding": "指导思想与目标",
             "organization": "组织领导与保障", "measures": "主要做法", "results": "成效",
             "experience": "体会与经验", "problems": "问题与不足", "plans": "今后打算",
             "closing": "结尾", "signoff": "落款", "noise": "网页杂质"}


_SUMMARY_KIND = re.compile(r"总结|述职|工作报告|自查|汇报|心得|体会|回顾")
_FUTURE = re.compile(r"今年|明年|来年|下一步|下步|今后|新的一年|\d{4}年(?!.*回顾)")


_PLAN_KIND = re.compile(r"计划|方案|意见|规划|安排|要点|通知|措施|办法|指南|纲要|行动|制度|细则|标准")


def doc_kind(title: str, opening: tuple[str, ...] = ()) -> str:
    """`summary` for a report on work done (总结, 述职, 工作报告, 自查 …), else `plan`. A title
    that names neither (a scraped page's `下载` taken for its title) leaves it to the opening
    lines."""
    for text in (title, *opening):
        if _SUMMARY_KIND.search(text[:40]):
            return "summary"
        if _PLAN_KIND.search(text[:40]):
            return "plan"
    return "plan"



@dataclass
class ParagraphView:
    """What the classifier sees of one paragraph: its text and where it stands.

    Index 0 of an article is its title line; `level` is the heading level (0 for body text);
    `parents` are the texts of the headings above it, outermost first.
    """

    text: str
    index: int
    count: int
    level: int
    marker: str
    parents: tuple[str, ...]
    section: int  # index of the top-level heading this paragraph stands under (-1: none)
    kind: str = "plan"  # the document's: `summary` (work done) or `plan` (`doc_kind`)
    # The innermost heading at or above it that names a section (`（二）今后工作的设想` inside
    # `五、工作中的不足和今后的设想`), else `section`: the part of the outline it belongs with.
    part: int = -1


def article_views(article: Article) -> list[ParagraphView]:
    """The title line and every paragraph of `article`, with their outline context."""
    texts = [article.title] + [p.text for p in article.paragraphs]
    n = len(texts)
    kind = doc_kind(article.title, tuple(texts[1:9]))
    views = [ParagraphView(article.title, 0, n, 0, "", (), -1, kind)]
    stack: list[tuple[int, int, str]] = []  # (level, index, text) of the open headings
    series_level: dict[str, int] = {}
    for i in range(1, n):
        level, marker = heading_marker(texts[i])
        if level == 0 and is_bare_heading(texts[i]):
            level = 1  # `存在的问题` on a line of its own opens a section like `三、存在的问题`
        if level == -1:
            series = "shi" if marker.endswith("是") else "order"
            series_level.setdefault(series, (stack[-1][0] + 1) if stack else 1)
            level = series_level[series]
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
        parents = tuple(t for _, _, t in stack)
        section = stack[0][1] if stack else (i if level else -1)
        own = [(i, texts[i])] if level else []
        part = next((j for j, t in reversed([*((j, t) for _, j, t in stack), *own])
                     if heading_section(t, kind)), section)
        views.append(ParagraphView(texts[i], i, n, level, marker, parents, section, kind, part))
        if level:
            stack.append((level, i, texts[i]))
    return views


_SENTENCE_MARK = re.compile(r"[。：:；;！？!?]")


def head_of(text: str, size: int = 16) -> str:
    """The heading part of a paragraph: up to the first sentence mark, at most `size` chars
    (a heading is often glued to its first sentence: `二、强化措施，狠抓落实。我校……`)."""
    m = _SENTENCE_MARK.search(text)
    return text[: min(m.start() if m else len(text), size)]


def heading_title(text: str) -> str:
    """A heading's words without its number (`（二）今后工作的设想：` → `今后工作的设想`)."""
    return head_of(text[len(heading_marker(text)[1]):].lstrip("、．. "), 24)


# --- the section a heading names ------------------------------------------------------------

# Words that name a section in a heading. Where a heading names two (`存在问题与改进措施`,
# `成绩与不足`), the first one named is the section the heading opens (LABELS.md: a combined
# `工作中的不足和今后的设想` opens with the shortcomings). Longer words are tried first at a place.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "problems": ("存在的问题", "存在问题", "存在不足", "问题", "不足", "困难", "困惑", "差距", "短板",
                 "薄弱环节", "挑战", "隐患", "缺点", "欠缺"),
    "plans": ("下一步", "下步", "今后", "打算", "设想", "努力方向", "展望", "明年", "来年", "新学年",
              "新的一年", "未来规划", "长远规划", "整改措施", "改进措施", "改进方向", "努力的方向"),
    "results": ("成效", "成绩", "成果", "效果", "收获", "取得", "亮点", "成就", "硕果", "实效",
                "工作回顾"),
    "experience": ("体会", "经验", "启示", "启发", "感受", "反思", "心得", "感悟"),
    "guiding": ("指导思想", "总体要求", "总体思路", "目标", "原则", "宗旨", "目的", "意义",
                "工作思路", "总体目标", "任务目标"),
    "organization": ("效果检测", "效果评估", "组织领导", "领导小组", "组织机构", "组织保障", "保障措施", "保障", "职责",
                     "分工", "工作要求", "要求", "考核", "督导", "督查", "评估", "监督", "组织实施",
                     "工作机制", "机制", "领导机构", "工作机构"),
    "measures": ("主要工作", "主要做法", "工作措施", "具体措施", "主要措施", "措施", "主要任务",
                 "重点任务", "工作任务", "重点工作", "工作内容", "活动内容", "实施步骤", "步骤",
                 "活动安排", "工作安排", "具体安排", "做法", "举措", "活动形式", "实施内容",
                 "帮扶对象", "活动对象", "工作重点", "实施办法", "方法"),
    "preamble": ("基本情况", "背景", "现状", "引言", "概况", "前言", "情况分析", "学情分析", "重要意义"),
    "closing": ("结语", "结束语", "结论"),
}
# Words that look like a section word but name something else: `困难学生` are the pupils helped,
# `问题导向` a working principle, `效果检测` an assessment.
_NOT_SECTION = {"困难": "学生|家庭|群众|儿童|幼儿|户|职工|群体|党员|老人|残疾", "问题": "导向|孩子|学生|儿童|的决定",
                "不足": "[0-9０-９一二三四五六七八九十百千万]", "效果": "检测|评估|评价", "目标": "管理|考核|责任",
                "要求": "[，。]", "成绩": "单|册|录入|分析|评定", "经验": "交流|分享|推广"}
# A bare 问题 names the shortcomings only after one of these (`存在的问题`, `困难和问题`); else it is
# a topic (`轻重工业投资的比重问题`, `关于…的问题`). `技术要求`: 要求 as a specification.
_PROBLEM_LEAD = ("存在", "存在的", "面临的", "突出", "主要", "中的", "困难和", "困难与", "不足和", "不足与", "和", "与", "及")
_NOT_AFTER = {"要求": "(?<!技术|功能|性能|安全|质量|数据|申报|基本)"}
_SECTION_RE = re.compile("|".join(
    _NOT_AFTER.get(w, "") + (f"{w}(?!{_NOT_SECTION[w]})" if w in _NOT_SECTION else w)
    for w in sorted({w for ws in SECTION_WORDS.values() for w in ws}, key=lambda w: -len(w))))
_SECTION_OF = {w: label for label, ws in SECTION_WORDS.items() for w in ws}


@lru_cache(maxsize=8192)
def heading_section(text: str, kind: str = "summary") -> str | None:
    """The section a heading names, or None: the first section word of its title part, where a
    word of the work itself (measures) gives way to any other (`主要工作内容及成果` is the
    results, `存在问题与改进措施` the problems). In a plan (`kind`), expected effects are goals
    (`活动效果` → guiding, as the label guide says)."""
    title = heading_title(text)
    named = [_SECTION_OF[m.group()] for m in _SECTION_RE.finditer(title)
             if m.group() != "问题" or m.start() == 0 or title[:m.start()].endswith(_PROBLEM_LEAD)]
    label = next((x for x in named if x != "measures"), named[0] if named else None)
    return "guiding" if label == "results" and kind == "plan" else label


_TERMINAL = re.compile(r"[。！？!?；;，,]")


def is_bare_heading(text: str) -> bool:
    """A short line with no sentence punctuation that names a section: `存在的问题`, `今后打算：`."""
    return len(text) <= 14 and not _TERMINAL.search(text) and heading_section(text) is not None


def is_heading(view: ParagraphView) -> bool:
    """A heading standing on its own (`三、存在的问题`), not one glued to a body paragraph."""
    return bool(view.level) and len(view.text) <= 30 and not _TERMINAL.search(view.text.rstrip("。：:"))


_DATE = re.compile(r"[\d〇零一二三四五六七八九十○]{4}\s*(?:年|[.．/-])\s*[\d〇零一二三四五六七八九十○]{1,2}")
_BODY_END = re.compile(r"(?:学校|小学|中学|学区|幼儿园|中心校|教育局|教体局|教育厅|办公室|委员会|政府|年级组|教研组|"
                       r"[\d〇零一二三四五六七八九十○]{1,2}\s*[日月])$")
_SENTENCE_PUNCT = re.compile(r"[。，；！？!?;,]")


_CLOSING_CUE = re.compile(r"^(?:总之|总而言之|综上所述|综上|以上就是|以上是|以上为)")


def is_closing(view: ParagraphView) -> bool:
    """A body paragraph that sums up (`总之，…`, `以上就是…`): the label guide's closing, wherever
    it stands (a page may glue more sections after its real ending)."""
    return view.index > 1 and not view.level and len(view.text) > 12 and bool(_CLOSING_CUE.match(view.text))


# Words of achievement and of intention, for sections whose heading does not say what they are.
_ACHIEVED = re.compile(r"收效|成效|成果|成绩|取得了|提高了|提升了|增强了|改善了|得到了|有了|明显|显著|获得|荣获|受益"
                       r"|达到|赢得|硕果|丰硕|大幅")
_INTENDED = re.compile(r"将|要|计划|拟|力争|争取|打算")


def is_results_section(view: ParagraphView) -> bool:
    """A top-level section of a summary, its heading glued to its text and naming no section
    but the work, that tells what came of the work in three or more words of achievement, more than it says
    what will be done (`三、加强学习，不断进步…收效颇丰，领导有了新的办学理念…提升了…`)."""
    if view.kind != "summary" or view.level != 1 or view.parents or is_heading(view):
        return False
    if heading_section(view.text, view.kind) not in (None, "measures"):  # glued: the words blur
        return False
    achieved = len(set(_ACHIEVED.findall(view.text)))
    return achieved >= 3 and achieved > len(_INTENDED.findall(view.text))


def is_signoff(view: ParagraphView) -> bool:
    """One of the last three lines, short and without sentence punctuation, giving a date or
    ending with an issuing body (`望江县第二中心小学`, `二〇二四年十二月二十日`): the sign-off."""
    text = view.text.strip()
    return (view.index >= view.count - 3 and view.index > 1 and not view.level and len(text) <= 50
            and not _SENTENCE_PUNCT.search(text) and bool(_DATE.search(text) or _BODY_END.search(text)))


# --- the baseline: keywords in the paragraph and its headings -------------------------------

_RULES = (
    ("closing", re.compile(r"^(总之|总而言之|综上所述|以上就是)")),
    ("problems", re.compile(r"问题|不足|困难|差距|存在的")),
    ("plans", re.compile(r"今后|打算|下一步|设想|努力方向|展望")),
    ("results", re.compile(r"成效|成绩|成果|效果|收获")),
    ("experience", re.compile(r"体会|经验|启示|感受|反思")),
    ("organization", re.compile(r"领导小组|组织|保障|职责|机制|要求|组长|考核|经费")),
    ("guiding", re.compile(r"指导思想|目标|原则|宗旨|思路")),
    ("preamble", re.compile(r"^(根据|为了|为贯彻|为进一步|现将|按照)")),
    ("signoff", re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$|^附件")),
)


@lru_cache(maxsize=8192)
def rule_label(text: str) -> str | None:
    """The first label whose keywords stand in the first 40 characters (the baseline's rule)."""
    for label, pattern in _RULES:
        if pattern.search(text[:40]):
            return label
    return None


def rule_predict(views: list[ParagraphView]) -> list[str]:
    """The baseline: line 0 is the title; a paragraph with a keyword takes its label, else the
    label its nearest heading's keywords give, else the first body paragraph is the preamble,
    else `measures` (the commonest label)."""
    out = []
    for v in views:
        if v.index == 0:
            out.append("title")
            continue
        label = rule_label(v.text)
        for parent in reversed(v.parents):
            if label:
                break
            label = rule_label(parent)
        if not label and v.index == 1:
            label = "preamble"
        out.append(label or "measures")
    return out


# --- weak labels from the outline -------------------------------------------------------------

# A paragraph that turns from the achievements to the shortcomings (`在总结成绩的同时，我们也清醒
# 地看到…`) is the problems part of a section the outline calls otherwise.
PROBLEM_CUES = re.compile(r"^.{0,16}(?:清醒(?:地)?(?:认识|看到)|也要看到|也应看到|存在的问题|存在一些问题|"
                          r"存在着|面临的困难|不足之处|差距和不足|问题和不足|短板弱项)")
_CLOSING = re.compile(r"^(?:总之|总而言之|综上所述|以上就是|各位代表|同志们|让我们)")
_OPENING = re.compile(r"^(?:根据|为了|为贯彻|为进一步|为深入|为全面|为加快|为推动|为切实|现将|按照|近年来|各位代表|现在)")
_DATE_LINE = re.compile(r"^[\d〇零一二三四五六七八九十○]{4}\s*年[\d〇零一二三四五六七八九十○]{1,3}\s*月"
                        r"(?:[\d〇零一二三四五六七八九十○]{1,3}\s*日)?$")
_INNER_OVERRIDES = {"problems", "plans", "results", "experience"}
_TASKS = re.compile(r"任务|安排|部署|重点")  # tasks, not what was done (做法, 措施)
_ATTACHMENT = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[:：]?$")
_CHROME_WORDS = re.compile(r"维基文库|公有领域|Public domain|著作权法|本作品|版权所有|免责声明|责任编辑|^来源[:：]|^下载|^打印")
_FRAGMENT = re.compile(r"^[，、。》；）]|^.{0,6}$")


def _chrome_tail(texts: list[str]) -> int:
    """Where a block of site text at the end of a page begins (len(texts) when there is none):
    the first line that names site matters (`维基文库`, `版权所有` …) among the short lines at
    the end."""
    start = len(texts)
    for i in range(len(texts) - 1, max(0, len(texts) - 16), -1):
        if _CHROME_WORDS.search(texts[i]):
            start = i
        elif len(texts[i]) > 40 and not _FRAGMENT.match(texts[i]):
            break
    while start < len(texts) and start > 1 and _FRAGMENT.match(texts[start - 1]):
        start -= 1  # the broken-up start of the site text (`法律`, `，国家机关的决议…`)
    return start


def weak_labels(article: Article) -> list[str | None]:
    """Labels read off an article's outline, None where the outline says nothing sure.

    A top-level heading that names a section (`二、存在的问题`, `主要任务` → measures, `保障措施`
    → organization) labels itself and every paragraph under it; in a summary, tasks named for
    the coming year or after its review are next year's work (`三、2025年重点任务` → plans). A
    sub-heading relabels its part only where both name one of results/experience/problems/
    plans (the combined `五、工作中的不足和今后的设想` with `（二）今后工作的设想`). Paragraphs
    before the first heading that open with a purpose or basis are the preamble; site text at the top
    (`来源：…`) and the end (`维基文库`, `版权所有` …) is noise; a problem cue sentence
    makes a paragraph `problems`; a last paragraph that sums up is the closing, a bare date line
    at the end and an attachment line (`附件1`) the signoff. The title line is the title.
    """
    views = article_views(article)
    tail = _chrome_tail([v.text for v in views])
    summary = views[0].kind == "summary"
    out: list[str | None] = ["title"]
    top: str | None = None
    inner: dict[int, str | None] = {}
    seen_heading = reviewed = False
    n = len(views)
    first_heading = next((v.index for v in views if v.level), 0)
    for v in views[1:]:
        label: str | None = None
        if v.index >= tail or (not seen_heading and _CHROME_WORDS.search(v.text[:12])):
            out.append("noise")
            continue
        if _ATTACHMENT.match(v.text.strip()):  # `附件1`
            out.append("signoff")
            continue
        if v.level:
            seen_heading = True
            named = heading_section(v.text, v.kind)
            if len(v.parents) == 0:
                title = heading_title(v.text)
                if summary and named == "measures" and (reviewed and _TASKS.search(title) or _FUTURE.search(title)):
                    named = "plans"  # `三、2025年重点任务` of a work report: next year's work
                reviewed = reviewed or named == "results"
                top, inner = named, {}
                label = named
            else:
                for lvl in [k for k in inner if k >= v.level]:
                    del inner[lvl]
                if named in _INNER_OVERRIDES and (top in _INNER_OVERRIDES or top is None):
                    inner[v.level] = named
                label = _current(top, inner)
        elif not seen_heading:  # the opening, where a heading follows it within a few paragraphs
            opening = v.index <= first_heading and first_heading - v.index <= 4
            label = "preamble" if opening and (_OPENING.match(v.text) or len(v.text) > 40) else None
        else:
            label = _current(top, inner)
        if label in ("results", "measures", "plans") and not v.level and PROBLEM_CUES.search(v.text):
            label = "problems"
        if v.index >= n - 2 and not v.level:
            if _CLOSING.match(v.text) and len(v.text) > 20:
                label = "closing"
            elif _DATE_LINE.match(v.text.strip()) or v.text.startswith("附件"):
                label = "signoff"
        out.append(label)
    return out


def _current(top: str | None, inner: dict[int, str | None]) -> str | None:
    for level in sorted(inner, reverse=True):
        if inner[level]:
            return inner[level]
    return top
