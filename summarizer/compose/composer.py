"""The composer: a school's facts in, a `Draft` out, in the structure and phrasing of reports.

Each document kind has its own skeleton and tense: a 工作总结 looks back (what was done, what it
achieved, what fell short, what comes next) in the section order the corpus shows
(`corpus_outline.CorpusOutline.order`); a 工作计划 and a 实施方案 look ahead (指导思想, 工作目标, 措施,
安排 or 实施步骤, 组织领导 and 要求 or 保障). The Jinja2 templates (`summarizer/templates/draft/<kind>.j2`)
lay the sections out; this module writes their sentences: every name, number and date from the
data (`wording.py` formats them as reports do, `narrate.py` makes an activity a paragraph), the
framing sentences from the team's written set (`written.py`), the corpus's short formulas
(`现将…总结如下：`, `phrases.py`), headings from the corpus where it has a fitting one. Whole corpus
sentences are not used: they carry other schools' facts and commitments. Where the structure needs something the data
lacks, a visible `【待补充：…】` says what to add. Choices between equivalent wordings go through
the seeded `Context`, so that two schools with similar data do not get the same text and
`--seed` reproduces a draft.
"""

from __future__ import annotations

import random
import re
from collections import OrderedDict
from pathlib import Path

from summarizer.compose import wording as w
from summarizer.compose.context import Context, data_text
from summarizer.compose.corpus_outline import SECTION_WORDS, CorpusOutline, default_outline
from summarizer.compose.draft import Block, Draft
from summarizer.compose.model import ActivityData, Result
from summarizer.compose.narrate import activity_paragraph
from summarizer.compose.phrases import default_phrases
from summarizer.compose.written import default_written

TODO = "【待补充：{}】"

# Headings of a summary's sections where the corpus has none fitting (it is small); drawn from
# with the learned ones.
_SUMMARY_HEADINGS = {
    "guiding": ["提高认识，明确目标", "统一思想，提高认识", "加强学习，提高认识"],
    "organization": ["加强组织领导，健全工作机制", "领导重视，组织有力", "高度重视，严密部署"],
    "measures": ["主要做法", "突出工作重点，扎实开展活动", "主要工作及做法"],
    "results": ["取得的成效", "工作成效", "主要成绩"],
    "experience": ["几点体会", "经验与体会"],
    "problems": ["存在的问题", "工作中的不足", "存在的困难和不足"],
    "plans": ["今后的打算", "下一步工作设想", "今后工作的设想"],
}
# The sections of a plan and of a scheme, in order: (part, SPEC label, heading variants).
_PLAN_SKELETONS = {
    "工作计划": (
        ("guiding", "guiding", ["指导思想"]),
        ("situation", "problems", ["基本情况", "面临的形势和困难"]),
        ("targets", "guiding", ["工作目标", "目标任务"]),
        ("measures", "measures", ["主要工作及措施", "工作措施", "重点工作"]),
        ("schedule", "measures", ["工作安排", "时间安排"]),
        ("organization", "organization", ["组织领导", "加强组织领导"]),
        ("requirements", "organization", ["工作要求", "保障措施"]),
    ),
    "实施方案": (
        ("guiding", "guiding", ["指导思想"]),
        ("situation", "problems", ["基本情况", "现状分析"]),
        ("targets", "guiding", ["工作目标", "目标任务"]),
        ("measures", "measures", ["主要措施", "工作措施", "主要任务"]),
        ("steps", "measures", ["实施步骤", "工作步骤"]),
        ("organization", "organization", ["组织机构", "组织领导"]),
        ("safeguards", "organization", ["保障措施"]),
    ),
}


# Words of a corpus heading that name a topic (`具体帮扶措施`): such a heading fits only that topic.
_TOPICAL = ("帮扶", "扶贫", "结对", "支教", "资助", "学困", "控辍", "送教", "留守")


def _summary_heading(ctx: Context, label: str) -> str:
    """A heading for a summary's section: the defaults and the corpus's own headings for that
    label, except those that also name another section (`工作中的不足和今后的设想` would repeat
    今后的打算)."""
    others = [word for lab, words in SECTION_WORDS.items() if lab != label for word in words]
    learned = [h for h in ctx.outline.heading_choices(label, 1)
               if len(h) <= 12 and not any(o in h for o in others) and label != "guiding"
               and all(word in ctx.topic for word in _TOPICAL if word in h)]  # no 帮扶 heading for 控辍保学
    return ctx.pick(_SUMMARY_HEADINGS.get(label, []) + learned[:2]) or label


def _leaders_sentence(ctx: Context) -> str:
    by_role: dict[str, list[str]] = {}
    for leader in ctx.data.leaders:
        by_role.setdefault(leader.role or "成员", []).append(f"{leader.title or ''}{leader.name}")
    parts = []
    if "组长" in by_role:
        parts.append(f"以{w.join(by_role['组长'])}为组长")
    if "副组长" in by_role:
        parts.append(f"{w.join(by_role['副组长'])}为副组长")
    if "成员" in by_role:
        parts.append(f"{w.join(by_role['成员'])}为成员")
    return f"{ctx.we}成立了{'，'.join(parts)}的{ctx.topic}工作领导小组，明确分工，责任到人。"


def _series(items: list[str]) -> str:
    """`一是……；二是……。` for two or more items, the item itself for one."""
    items = [t.rstrip("。；;") for t in items]
    if len(items) == 1:
        return items[0] + "。"
    return "；".join(f"{w.ordinal(i)}是{t}" for i, t in enumerate(items, start=1)) + "。"


def _sentence(*parts: str) -> str:
    """Parts joined into running text: a part that ends open (`，` `：`) runs into the next."""
    out = ""
    for part in (p.strip() for p in parts if p and p.strip()):
        if out and out[-1] not in "。：，；！？":
            out += "。"
        out += part
    return out if not out or out[-1] in "。：！？" else out.rstrip("，；") + "。"


def _framed(ctx: Context, label: str, items: list[str]) -> str:
    """Problems or plan items as full sentences, each in a written frame that adds a general
    consequence or direction (`{item}，这方面还需要下功夫加以改进`), in a series."""
    frames = ctx.written.options("工作总结", label, "frames")
    framed = []
    for item in items:
        item = item.rstrip("。；;")
        framed.append(ctx.fresh(frames, item=item) or item)
    return _series(framed)


def _basis(policies: list[str]) -> str:
    """`根据《…通知》精神` for documents from above; `按照《…方案》的要求` for a school's own."""
    if not policies:
        return ""
    if all(re.search(r"(通知|意见|要点|决定|纲要|精神)》$", p) for p in policies):
        return f"根据{w.join(policies)}精神，"
    return f"按照{w.join(policies)}的要求，"


def _partner(ctx: Context) -> str:
    d = ctx.data
    if not d.partners:
        return ""
    rel = {"受援": "作为受援学校，与{}结成帮扶对子", "支援": "作为支援学校，与{}结成帮扶对子"}.get(
        d.role or "", "与{}结成对子")
    return rel.format(w.join(d.partners)) + "，"


def _preamble(ctx: Context) -> str:
    d = ctx.data
    basis, partner = _basis(d.policies), _partner(ctx)
    purpose = ctx.written_part("preamble_purpose")
    if ctx.plan:
        return _sentence(f"{purpose}，{basis}{partner}结合{ctx.we}实际，特制定本{d.kind[-2:]}。")
    where = f"在{ctx.unit}" if ctx.author and ctx.unit else ""
    middle = ctx.pick([f"认真开展{ctx.work}", f"扎实开展{ctx.work}"])
    since = ctx.pick(["现将有关情况总结如下：", "现将一年来的工作总结如下："]) if d.period.endswith("年") else \
        "现将有关情况总结如下："
    if d.period.endswith("年") and ctx.rng.random() < 0.5:
        since = ctx.phrase("preamble", "lead") or since
    support = ctx.pick(["在学校领导的关心和支持下，", "在学校的统一部署下，"] if ctx.author else
                       ["在上级教育主管部门的正确领导下，", "在上级教育主管部门的指导下，"])
    head = f"{purpose}，{d.period}，{support}" if purpose else f"{d.period}，{support}"
    return _sentence(f"{head}{ctx.we}{basis}{partner}{where}{middle}。", since)


def _closing(ctx: Context) -> str:
    d = ctx.data
    if ctx.plan:
        return _sentence(ctx.written_part("closing"))
    helped = f"在{w.join(d.partners)}的帮助下，" if d.role == "受援" and d.partners else ""
    kinds = list(ctx.groups)[:4]
    around = f"围绕{ctx.topic}，" if ctx.topic else ""
    recap = (f"回顾{d.period}的工作，{helped}{ctx.we}{around}先后开展了{w.join(kinds)}等工作。"
             if len(kinds) >= 2 else "")
    return _sentence(recap, ctx.written_part("closing"), ctx.written_part("closing_future"))


def _activity_blocks(ctx: Context, label: str) -> list[Block]:
    """The activities, grouped by kind under `（一）…` sub-headings, a paragraph each."""
    blocks: list[Block] = []
    for k, (kind, acts) in enumerate(ctx.groups.items(), start=1):
        verb = "" if ctx.plan or kind.startswith(_HEADING_VERBS) else ctx.pick(["扎实开展", "认真做好", "坚持开展", "用心做好"])
        blocks.append(Block("heading2", f"（{w.ordinal(k)}）{verb}{kind}", label))
        blocks.extend(Block("body", activity_paragraph(ctx, a, i == 0), label) for i, a in enumerate(acts))
    return blocks


# Kinds of activity that already open with what is done (`开展…`, `加强…`): their heading is the kind.
_HEADING_VERBS = ("开展", "加强", "做好", "落实", "组织", "建立", "完善", "坚持", "推进", "实施", "召开", "举办")


def _result_text(r: Result) -> str:
    """`学困生转化成效明显，8名学困生中，转化6名` — a count whose name ends with another's reads
    as a part of that group."""
    text = (r.text or "").rstrip("。")
    counts = dict(r.counts)
    clauses = []
    for name in list(counts):
        whole = next((o for o in counts if o != name and name.endswith(o) and len(name) > len(o)), None)
        if whole is not None and name in counts:
            noun, unit = w.noun_and_unit(whole)
            part = name[: -len(whole)]
            clauses.append(f"{w.with_unit(counts[whole], unit)}{noun}中，{part}{w.with_unit(counts.pop(name), unit)}")
            counts.pop(whole)
    clauses += [w.count_clause(name, n) for name, n in counts.items()]
    return "，".join(x for x in (text, *clauses) if x) + "。"


def _opened(ctx: Context, label: str, body: list[Block], closer: bool = True, **slots: str) -> list[Block]:
    """A section's body between the written opener (its slots filled from `slots`) and closer of
    its label."""
    opener = ctx.written_part(label, "opener", **slots)
    end = ctx.written_part(label, "closer") if closer else ""
    if opener.endswith("，") and body and body[0].kind == "body":  # `为明确工作职责，` runs into the body
        body = [Block("body", opener + body[0].text, body[0].section), *body[1:]]
        opener = ""
    return ([Block("body", opener, label)] if opener else []) + body + ([Block("body", end, label)] if end else [])


def _summary_sections(ctx: Context) -> list[tuple[str, str, list[Block]]]:
    """(label, heading, blocks) of a summary's numbered sections, in the corpus order."""
    d = ctx.data
    made: dict[str, list[Block]] = {}
    understanding = _sentence(*(ctx.written_part("understanding") for _ in range(2)))
    if understanding:
        made["guiding"] = [Block("body", understanding, "guiding")]
    if d.leaders:
        opener = ctx.written_part("organization", "opener")
        made["organization"] = [Block("body", _sentence(opener, _leaders_sentence(ctx),
                                                        ctx.written_part("organization", "closer")), "organization")]
    if d.activities:
        made["measures"] = _opened(ctx, "measures", _activity_blocks(ctx, "measures"))
        kinds = list(ctx.groups)
        if 2 <= len(kinds) <= 6 and made["measures"][0].kind == "body":
            made["measures"][0] = Block("body", _sentence(
                f"{'围绕' + ctx.topic + '，' if ctx.topic else ''}{ctx.we}重点抓了{w.join(kinds)}等工作，",
                made["measures"][0].text), "measures")
    if d.results:
        lines = []
        for i, r in enumerate(d.results, start=1):
            text = _result_text(r)
            framed = ctx.written_part("results", "frames", item=text.rstrip("。")) or text
            lines.append(Block("body", _sentence((f"{w.ordinal(i)}是" if len(d.results) > 1 else "") + framed),
                               "results"))
        kinds = list(ctx.groups)[:3]  # the results opener names the work they came from
        made["results"] = _opened(ctx, "results", lines, done=f"{w.join(kinds)}等工作" if kinds else "各项工作")
    lessons = [x for x in (ctx.written_part("experience") for _ in range(6)) if x]
    if d.activities and d.results and len(lessons) >= 2:
        made["experience"] = [Block("body", _sentence(ctx.written_part("experience_opener"), _series(lessons),
                                                      ctx.written_part("experience_closer")), "experience")]
    for label, items in (("problems", d.problems), ("plans", d.plans)):
        if items:
            lead = "针对上述问题，" if label == "plans" and d.problems and ctx.rng.random() < 0.5 else ""
            text = _sentence(lead + ctx.written_part(label, "opener"), _framed(ctx, label, items),
                             ctx.written_part(label, "causes"))
            made[label] = [Block("body", text, label)] + [
                Block("body", x, label) for x in [ctx.written_part(label, "closer")] if x]
    order = list(ctx.outline.order.get(d.kind, []))
    order += [label for label in made if label not in order]
    return [(label, _summary_heading(ctx, label), made[label]) for label in order if label in made]


def _stages(ctx: Context) -> list[Block]:
    """实施步骤: preparation before the first activity, carrying out from the first to the last,
    the review after it; each stage's dates from the activities, its work from the written set."""
    acts = sorted(ctx.data.activities, key=lambda a: a.date_start)
    if not acts:
        return [Block("todo", TODO.format("各阶段的时间和任务"), "measures")]
    first, last = acts[0].date_start, max(a.date_end or a.date_start for a in acts)
    stages = (("prepare", "准备阶段", f"{w.date(first, None)}前"),
              ("carry_out", "组织实施阶段", f"{w.date_range(first, last, None)}"),
              ("review", "总结阶段", f"{w.date(last, None)}后"))
    steps = ctx.written.sections.get("scheme", {}).get("steps", {})
    blocks = []
    for i, (key, name, when) in enumerate(stages, start=1):
        blocks.append(Block("heading2", f"（{w.ordinal(i)}）{name}（{when}）", "measures"))
        text = _sentence(ctx.fresh(list(steps.get(key, []))), ctx.fresh(list(steps.get(key, []))))
        blocks.append(Block("body", text, "measures"))
    return blocks


def _schedule(ctx: Context) -> list[Block]:
    """工作安排: the activities month by month (`3月：…；…`; `2026年3月` where a school year runs
    into the next calendar year)."""
    months: OrderedDict[str, list[str]] = OrderedDict()
    acts = sorted(ctx.data.activities, key=lambda a: a.date_start)
    years = len({d.year for a in acts for d in (a.date_start, a.date_end or a.date_start)}) > 1
    for act in acts:
        start, end = act.date_start, act.date_end or act.date_start
        first = f"{start.year}年{start.month}月" if years else f"{start.month}月"
        key = first if (end.year, end.month) == (start.year, start.month) else \
            f"{first}至{end.month}月" if end.year == start.year else f"{first}至{end.year}年{end.month}月"
        months.setdefault(key, []).append((act.title or act.kind or "").split("，")[0].rstrip("。"))
    opener = ctx.written_part("schedule", "opener")
    body = [Block("body", f"{m}：{'；'.join(dict.fromkeys(items))}。", "measures") for m, items in months.items()]
    return ([Block("body", opener, "measures")] if opener else []) + body


def _plan_sections(ctx: Context) -> list[tuple[str, str, list[Block]]]:
    """(label, heading, blocks) of a plan's or a scheme's numbered sections, in its skeleton."""
    d = ctx.data
    made: dict[str, list[Block]] = {}
    guiding = ctx.written_part("guiding")
    if d.policies:
        guiding = _sentence(f"认真贯彻落实{w.join(d.policies)}精神", guiding)
    made["guiding"] = [Block("body", guiding, "guiding")]
    if d.problems:
        lead = ctx.pick([f"当前，{ctx.we}{ctx.work}还面临一些困难：", f"从{ctx.we}实际看，{ctx.work}还存在以下困难："])
        made["situation"] = [Block("body", _sentence(lead, _series(d.problems)), "problems")]
    if d.results:
        targets = [Block("body", _series([_result_text(r) for r in d.results]), "guiding")]
        made["targets"] = _opened(ctx, "targets", targets)
    if d.activities or d.plans:
        body = _activity_blocks(ctx, "measures")
        if d.plans:
            body.append(Block("body", _sentence(f"此外，{ctx.we}还将：", _series(d.plans)), "measures"))
        made["measures"] = _opened(ctx, "measures", body)
        made["schedule"] = _schedule(ctx)
        made["steps"] = _stages(ctx)
    if d.leaders:
        body = [Block("body", f"{ctx.we}成立{ctx.topic}工作领导小组：", "organization")]
        for role in ("组长", "副组长", "成员"):
            names = [f"{x.name}（{x.title}）" if x.title else x.name for x in d.leaders if (x.role or "成员") == role]
            if names:
                body.append(Block("body", f"{role}：{'、'.join(names)}", "organization"))
        made["organization"] = _opened(ctx, "organization", body)
    for part in ("requirements", "safeguards"):
        options = ctx.written.options(d.kind, part)
        if options:
            chosen = [ctx.fresh(options) for _ in range(min(3, len(options)))]
            made[part] = [Block("body", _series(chosen), "organization")]
    skeleton = _PLAN_SKELETONS.get(d.kind, _PLAN_SKELETONS["工作计划"])
    return [(label, ctx.pick(headings), made[part]) for part, label, headings in skeleton if made.get(part)]


def default_seed(data: ActivityData) -> int:
    """A seed from the school and period: two schools with similar data get different wording,
    and the same school's draft does not change from run to run."""
    import hashlib

    return int(hashlib.sha256(f"{data.school}|{data.period}".encode()).hexdigest()[:8], 16)


def compose(data: ActivityData, seed: int | None = None, outline: CorpusOutline | None = None,
            templates: Path | None = None) -> Draft:
    """The draft of `data` (pure: same data and seed, same draft; no seed: `default_seed`)."""
    seed = default_seed(data) if seed is None else seed
    author = _author(data)
    unit = _class_of(data) if author else ""
    ctx = Context(data, random.Random(seed), _year(data.period), "我" if author else "我校", outline or default_outline(),
                  default_written(), author, unit, default_phrases(), done=data_text(data))
    # A teacher's own summary is titled by the class, the school standing in the signoff.
    title = f"{data.period}{unit}{data.topic or ''}{data.kind}" if unit else \
        f"{data.school}{data.period}{data.topic or ''}{data.kind}"
    signoff = data.signoff
    context = {
        "title": title,
        "preamble": _preamble(ctx),
        "sections": _plan_sections(ctx) if ctx.plan else _summary_sections(ctx),
        "closing": _closing(ctx),
        "signoff_body": (signoff.body if signoff and signoff.body else
                         f"{data.school} {author}" if author else data.school),
        "signoff_date": (f"{signoff.date.year}年{signoff.date.month}月{signoff.date.day}日"
                         if signoff and signoff.date else TODO.format("成文日期")),
        "ordinal": w.ordinal,
    }
    text = _render_skeleton(data.kind, context, templates)
    return Draft(data.kind, title, _parse(text), _title_breaks(data, title), list(ctx.used))


def _year(period: str) -> int | None:
    digits = "".join(c if c.isdigit() else " " for c in period).split()
    years = [int(d) for d in digits if len(d) == 4]
    return years[-1] if len(years) == 1 else None


def _author(data: ActivityData) -> str:
    """The teacher whose own summary this is: no leading group, and one person takes part in at
    least 80% of the activities; else ''."""
    if data.leaders or not data.activities:
        return ""
    seen: dict[str, int] = {}
    for act in data.activities:
        for person in set(act.people):
            seen[person] = seen.get(person, 0) + 1
    best = max(seen.items(), key=lambda kv: kv[1], default=("", 0))
    return best[0] if best[1] >= 0.8 * len(data.activities) else ""


def _class_of(data: ActivityData) -> str:
    """The class most activities took place in (`四年级（2）班`), or ''."""
    places = [a.place for a in data.activities if a.place and re.search(r"年级.*班$|班$", a.place)]
    return max(set(places), key=places.count) if places else ""


def _title_breaks(data: ActivityData, title: str) -> tuple[int, ...]:
    """Word boundaries of the title the composer built: after the county/town part of the school
    name, after the school (or class), the period and the topic, and inside the kind (`工作|总结`)."""
    head = data.school if title.startswith(data.school) else ""
    parts = [head, data.period, _class_of(data) if not head else "", data.topic or "", data.kind[:2], data.kind[2:]]
    breaks, pos = [], 0
    for m in re.finditer(r"[省市县区镇乡]", head):
        breaks.append(m.end())
    for part in parts[:-1]:
        pos += len(part)
        breaks.append(pos)
    return tuple(sorted({b for b in breaks if 0 < b < sum(map(len, parts))}))


def _render_skeleton(kind: str, context: dict, templates: Path | None) -> str:
    """The kind's skeleton from the packaged templates, or from the user's folder `templates`
    (the same `draft/<kind>.j2` names). Plain text out (the renderers escape for their
    formats), so no HTML autoescaping."""
    from summarizer.io.templates import environment

    name = {"工作总结": "draft/summary.j2"}.get(kind, "draft/plan.j2")
    return environment(autoescape=False, folder=templates).get_template(name).render(**context)


def _parse(text: str) -> list[Block]:
    """Skeleton output: one block a line, `kind|section|text`."""
    blocks = []
    for line in text.splitlines():
        if not line.strip():
            continue
        kind, section, body = line.split("|", 2)
        kind = "todo" if body.startswith("【待补充") and kind == "body" else kind
        blocks.append(Block(kind.strip(), body.strip(), section.strip()))  # type: ignore[arg-type]
    return blocks


def duplicate_ratio(draft: Draft, min_match: int = 13) -> tuple[float, str]:
    """The draft's duplicate ratio against the labelled corpus, by the duplication checker's
    default rule, and the corpus article it shares most with ('' if none)."""
    import json
    import tempfile
    from importlib import resources

    from summarizer.check.checker import Submission, check
    from summarizer.check.index import ReferenceIndex

    raw = (resources.files("summarizer") / "data" / "section_corpus.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp, ReferenceIndex(Path(tmp) / "corpus.db") as index:
        index.add_many((r["stem"], r["stem"], r["lines"][0], "\n".join(r["lines"]) + "\n") for r in rows)
        result = check([Submission("draft", draft.title, draft.text)], index, min_match=min_match).reports[0]
    covered: dict[str, int] = {}
    for m in result.matches:
        covered[m.source] = covered.get(m.source, 0) + m.end - m.start
    return result.duplicate_ratio, max(covered, key=covered.get, default="")
