"""The composer: a school's facts in, a `Draft` out, in the structure and phrasing of the corpus.

The skeleton of each document kind is a Jinja2 template (`templates/draft/<kind>.j2`) that lays
out numbered sections in the order the corpus shows (`phrasebank.PhraseBank.order`); this module
writes the sentences of each section from the data: every name, number and date comes from the
data (`wording.py` formats them as reports do), headings come from the corpus where it has a
fitting one, and where the structure needs something the data lacks a visible `【待补充：…】`
says what to add. Choices between equivalent phrasings are drawn from a seeded random
generator, so that two schools with similar data do not get the same text and `--seed`
reproduces a draft.
"""

from __future__ import annotations

import random
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from summarizer.compose import wording as w
from summarizer.compose.data import Activity, ActivityData
from summarizer.compose.draft import Block, Draft
from summarizer.compose.phrasebank import SECTION_WORDS, PhraseBank, default_bank

TODO = "【待补充：{}】"

# Headings used where the corpus has none for a section (the corpus is small); drawn from with the
# learned ones, learned ones first.
_DEFAULT_HEADINGS = {
    "工作总结": {
        "organization": ["加强组织领导，健全工作机制", "领导重视，组织有力", "高度重视，严密部署"],
        "measures": ["主要做法", "突出工作重点，扎实开展活动", "具体措施"],
        "results": ["取得的成效", "工作成效", "主要成绩"],
        "experience": ["几点体会", "经验与体会"],
        "problems": ["存在的问题", "工作中的不足", "存在的困难和不足"],
        "plans": ["今后的打算", "下一步工作设想", "今后工作的设想"],
    },
    "plan": {
        "guiding": ["指导思想"],
        "targets": ["工作目标", "具体目标"],
        "organization": ["组织领导", "成立工作领导小组"],
        "measures": ["工作措施", "主要措施", "具体安排"],
        "problems": ["当前存在的问题", "面临的困难"],
        "plans": ["工作要求", "保障措施"],
    },
}


@dataclass
class _Ctx:
    data: ActivityData
    rng: random.Random
    year: int | None
    we: str  # 我校 / 我
    bank: PhraseBank
    author: str = ""  # the teacher whose own summary this is (`我`), left out of people lists

    def pick(self, options: list[str]) -> str:
        return options[self.rng.randrange(len(options))] if options else ""


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


def _heading(ctx: _Ctx, label: str, group: str) -> str:
    """A heading for a section: the defaults and the corpus's own headings for that label, except
    those that also name another section (`工作中的不足和今后的设想` would repeat 今后的打算)."""
    others = [word for lab, words in SECTION_WORDS.items() if lab != label for word in words]
    learned = [h for h in ctx.bank.heading_choices(label, 1)
               if len(h) <= 12 and not any(o in h for o in others)]
    if label == "guiding":
        learned = [h for h in learned if "指导思想" in h]
    elif group == "plan":
        learned = []  # the corpus's headings of these sections come from summaries
    defaults = _DEFAULT_HEADINGS[group].get(label, [])
    return ctx.pick(defaults + learned[:2]) or label


def _counts(counts: dict[str, float]) -> str:
    return "，".join(w.count(name, n) for name, n in counts.items())


def _activity_sentence(ctx: _Ctx, act: Activity, plan: bool) -> str:
    when = w.date_range(act.date_start, act.date_end, ctx.year)
    # A title is a clause of its own (`两校召开…`, `城关一小向我校捐赠…`): the place is only
    # written where there is no title to carry it.
    if act.title:
        parts = [f"{when}，{act.title}"]
    else:
        where = f"在{act.place}" if act.place else ""
        parts = [f"{when}，{where}开展{act.kind}活动"]
    if act.counts:
        parts.append(("预计" if plan else "") + _counts(act.counts))
    if act.money:
        parts.append(("预计经费" if plan else ctx.pick(["投入经费", "涉及经费"])) + w.money(act.money))
    people = [p for p in act.people if p != ctx.author]
    if people:
        if plan:
            parts.append(f"由{w.join(people)}负责")
        elif ctx.author:
            parts.append(f"{w.join(people)}{ctx.pick(['一同参与', '共同参与'])}")
        else:
            parts.append(f"{w.join(people)}{ctx.pick(['参加', '参与'])}")
    sentence = "，".join(parts) + "。"
    if act.notes:
        sentence += act.notes.rstrip("。") + "。"
    return sentence


def _group(activities: list[Activity]) -> OrderedDict[str, list[Activity]]:
    groups: OrderedDict[str, list[Activity]] = OrderedDict()
    for act in sorted(activities, key=lambda a: a.date_start):
        groups.setdefault(act.kind or "其他活动", []).append(act)
    return groups


def _leaders_sentence(ctx: _Ctx) -> str:
    by_role: dict[str, list[str]] = {}
    for leader in ctx.data.leaders:
        by_role.setdefault(leader.role or "成员", []).append(f"{leader.title or ''}{leader.name}")
    topic = ctx.data.topic or "帮扶"
    parts = []
    if "组长" in by_role:
        parts.append(f"以{w.join(by_role['组长'])}为组长")
    if "副组长" in by_role:
        parts.append(f"{w.join(by_role['副组长'])}为副组长")
    if "成员" in by_role:
        parts.append(f"{w.join(by_role['成员'])}为成员")
    return f"{ctx.we}成立了{'，'.join(parts)}的{topic}工作领导小组，明确分工，责任到人。"


def _numbered(items: list[str]) -> str:
    """`一是……；二是……。`"""
    clauses = [f"{w.ordinal(i)}是{t.rstrip('。；;')}" for i, t in enumerate(items, start=1)]
    return "；".join(clauses) + "。"


def _preamble(ctx: _Ctx, plan: bool) -> str:
    d = ctx.data
    basis = f"根据{w.join(d.policies)}精神，" if d.policies else ""
    partner = ""
    if d.partners:
        rel = {"受援": "与{}结成帮扶对子", "支援": "与{}结成帮扶对子，对其开展帮扶"}.get(d.role or "", "与{}结成对子")
        partner = rel.format(w.join(d.partners)) + "，"
    topic = d.topic or "帮扶"
    if plan:
        purpose = ctx.pick([f"为扎实推进{topic}工作", f"为进一步做好{topic}工作"])
        return f"{purpose}，{basis}{partner}结合{ctx.we}实际，特制定{d.period}{topic}{d.kind}。"
    since = "以来" if re.fullmatch(r"\d{4}年", d.period) and ctx.rng.random() < 0.5 else ""
    middle = ctx.pick([f"认真开展{topic}工作", f"扎实推进{topic}各项工作"])
    return f"{d.period}{since}，{ctx.we}{basis}{partner}{middle}。现将{d.period}{topic}工作总结如下："


def _closing(ctx: _Ctx, plan: bool) -> str:
    topic = ctx.data.topic or "帮扶"
    if plan:
        return ctx.pick([f"{ctx.we}将以本{ctx.data.kind[-2:]}为抓手，扎实做好{topic}各项工作。",
                         f"{ctx.we}将认真落实本{ctx.data.kind[-2:]}，确保{topic}工作取得实效。"])
    return ctx.pick([f"总之，{topic}工作取得了一定成效，但也存在不足。{ctx.we}将认真总结经验，继续努力，把{topic}工作做实做细。",
                     f"总之，{ctx.we}将在今后的工作中发扬成绩、改进不足，推动{topic}工作再上新台阶。"])


def _sections(ctx: _Ctx) -> list[tuple[str, str, list[Block]]]:
    """(label, heading, blocks under it) of the numbered sections, in the corpus order."""
    d = ctx.data
    plan = d.kind != "工作总结"
    group = "plan" if plan else "工作总结"
    made: dict[str, tuple[str, list[Block]]] = {}
    if plan and d.policies:
        made["guiding"] = (_heading(ctx, "guiding", group), [Block(
            "body", f"以{w.join(d.policies)}为指导，坚持问题导向、精准施策，"
                    f"扎实推进{d.topic or '帮扶'}工作，促进{ctx.we}教育教学质量稳步提升。", "guiding")])
    if d.leaders:
        body = [Block("body", _leaders_sentence(ctx), "organization")]
        if plan:
            body = [Block("body", f"{ctx.we}成立{d.topic or '帮扶'}工作领导小组：", "organization")]
            for role in ("组长", "副组长", "成员"):
                names = [f"{x.name}（{x.title}）" if x.title else x.name for x in d.leaders if (x.role or "成员") == role]
                if names:
                    body.append(Block("body", f"{role}：{'、'.join(names)}", "organization"))
        made["organization"] = (_heading(ctx, "organization", group), body)
    if d.activities:
        lead = ctx.pick(["主要做了以下几方面工作：", "重点抓了以下几项工作："] if not plan else
                        ["具体安排如下：", "主要措施如下："])
        blocks: list[Block] = [Block("body", f"{ctx.we}{lead}" if not plan else lead, "measures")]
        for k, (kind, acts) in enumerate(_group(d.activities).items(), start=1):
            blocks.append(Block("heading2", f"（{w.ordinal(k)}）{kind}", "measures"))
            blocks.extend(Block("body", _activity_sentence(ctx, a, plan), "measures") for a in acts)
        made["measures"] = (_heading(ctx, "measures", group), blocks)
    if d.results:
        lines = []
        for r in d.results:
            text = (r.text or "").rstrip("。")
            figures = _counts(r.counts) if r.counts else ""
            lines.append("，".join(x for x in (text, figures) if x) + "。")
        label = "guiding" if plan else "results"
        heading = ctx.pick(_DEFAULT_HEADINGS["plan"]["targets"]) if plan else _heading(ctx, "results", group)
        made[label if not plan or "guiding" not in made else "targets"] = (
            heading, [Block("body", line, label) for line in lines])
    if d.problems:
        made["problems"] = (_heading(ctx, "problems", group),
                            [Block("body", _numbered(d.problems), "problems")])
    if d.plans:
        made["plans"] = (_heading(ctx, "plans", group), [Block("body", _numbered(d.plans), "plans")])
    order = list(ctx.bank.order.get(d.kind, []))
    if "targets" in made:
        order.insert(order.index("guiding") + 1 if "guiding" in order else 0, "targets")
    order += [label for label in made if label not in order]
    return [(label, made[label][0], made[label][1]) for label in order if label in made]


def default_seed(data: ActivityData) -> int:
    """A seed from the school and period: two schools with similar data get different wording,
    and the same school's draft does not change from run to run."""
    import hashlib

    return int(hashlib.sha256(f"{data.school}|{data.period}".encode()).hexdigest()[:8], 16)


def compose(data: ActivityData, seed: int | None = None, bank: PhraseBank | None = None,
            templates: Path | None = None) -> Draft:
    """The draft of `data` (pure: same data and seed, same draft; no seed: `default_seed`)."""
    seed = default_seed(data) if seed is None else seed
    author = _author(data)
    ctx = _Ctx(data, random.Random(seed), _year(data.period), "我" if author else "我校", bank or default_bank(),
               author)
    plan = data.kind != "工作总结"
    title = f"{data.school}{data.period}{data.topic or ''}{data.kind}"
    signoff = data.signoff
    context = {
        "title": title,
        "preamble": _preamble(ctx, plan),
        "sections": _sections(ctx),
        "closing": _closing(ctx, plan),
        "signoff_body": (signoff.body if signoff and signoff.body else data.school),
        "signoff_date": (f"{signoff.date.year}年{signoff.date.month}月{signoff.date.day}日"
                         if signoff and signoff.date else TODO.format("成文日期")),
        "ordinal": w.ordinal,
    }
    text = _render_skeleton(data.kind, context, templates)
    return Draft(data.kind, title, _parse(text), _title_breaks(data))


def _title_breaks(data: ActivityData) -> tuple[int, ...]:
    """Word boundaries of the title the composer built: after the county/town part of the school
    name, after the school, the period and the topic, and inside the kind (`工作|总结`)."""
    parts = [data.school, data.period, data.topic or "", data.kind[:2], data.kind[2:]]
    breaks, pos = [], 0
    for m in re.finditer(r"[省市县区镇乡]", data.school):
        breaks.append(m.end())
    for part in parts[:-1]:
        pos += len(part)
        breaks.append(pos)
    return tuple(sorted({b for b in breaks if 0 < b < sum(map(len, parts))}))


def _packaged(name: str) -> str | None:
    """A template shipped in the package (`summarizer/templates` is the repo's `templates/`)."""
    from importlib import resources

    ref = resources.files("summarizer").joinpath("templates", *name.split("/"))
    return ref.read_text(encoding="utf-8") if ref.is_file() else None


def _render_skeleton(kind: str, context: dict, templates: Path | None) -> str:
    import jinja2

    loader = jinja2.FileSystemLoader(str(templates)) if templates else jinja2.FunctionLoader(_packaged)
    # Plain text out (the renderers escape for their formats), so no HTML autoescaping.
    env = jinja2.Environment(loader=loader, autoescape=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    name = {"工作总结": "draft/summary.j2"}.get(kind, "draft/plan.j2")
    return env.get_template(name).render(**context)


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
