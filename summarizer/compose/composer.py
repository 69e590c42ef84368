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
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.compose import wording as w
from summarizer.compose.draft import Block, Draft
from summarizer.compose.model import Activity, ActivityData
from summarizer.compose.phrasebank import SECTION_WORDS, PhraseBank, default_bank
from summarizer.compose.phrases import TOPIC_WORDS, Phrase, default_phrases

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
        "targets": ["工作目标"],
        "organization": ["组织领导", "成立工作领导小组"],
        "measures": ["工作措施及时间安排", "主要措施"],
        "problems": ["基本情况", "面临的困难"],
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
    unit: str = ""  # the teacher's class (`四年级（2）班`), from where most activities took place
    phrases: tuple[Phrase, ...] = ()
    used: list[tuple[str, str]] = field(default_factory=list)  # (sentence, source) taken from the bank
    taken: set[str] = field(default_factory=set)  # templates used, so that none is said twice
    done: str = ""  # `_data_text` of the data, read once: every phrase's activity words are looked up in it

    def pick(self, options: list[str]) -> str:
        return options[self.rng.randrange(len(options))] if options else ""

    def phrase(self, label: str, role: str = "opener", about: str | None = None, avoid: str | None = None) -> str:
        """A corpus sentence of `label` in `role` whose presuppositions the data makes true and whose
        slots it fills, chosen at random among those not used yet; '' if there is none. With
        `about` (the text of some activities), only a phrase naming one of them; none starting
        with `avoid`."""
        options = [p for p in self.phrases if p.label == label and p.role == role and _fits(self, p)
                   and (about is None or any(word in about for word in p.mentions))
                   and p.template not in self.taken and not (avoid and p.template.startswith(avoid))]
        if about is None:
            options = [p for p in options if not p.mentions or label != "measures"]
        if not options:
            return ""
        chosen = options[self.rng.randrange(len(options))]
        text = chosen.fill({"year": str(self.year), "partner": w.join(self.data.partners)})
        self.taken.add(chosen.template)
        self.used.append((text, chosen.source))
        return text


def _fits(ctx: _Ctx, phrase: Phrase) -> bool:
    """Whether the data makes true what the phrase presupposes (see `phrases.py`)."""
    d = ctx.data
    plan = d.kind != "工作总结"
    if phrase.kind != ("plan" if plan else "summary"):
        return False
    if "{year}" in phrase.template and ctx.year is None:
        return False
    topic = f"{d.topic or ''}{d.kind}"
    if any(word not in ctx.done for word in phrase.mentions):
        return False
    for need in phrase.needs:
        ok = {"partner": bool(d.partners), "one_partner": len(d.partners) == 1,
              "receiving": d.role == "受援", "supporting": d.role == "支援",
              "teacher_voice": bool(ctx.author), "school_voice": not ctx.author,
              "past": not plan}.get(need)
        if need.startswith("topic:"):
            ok = any(word in topic for word in TOPIC_WORDS[need[6:]])
        if not ok:
            return False
    return True


def _data_text(d: ActivityData) -> str:
    """Everything the data says about what was done, to match the activities a phrase names."""
    parts = [d.topic or ""]
    for act in d.activities:
        parts += [act.kind or "", act.title or "", act.notes or "", *act.counts]
    parts += [r.text or "" for r in d.results]
    return "\n".join(parts)


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


_STARTS_WITH_VERB = ("组建", "走访", "召开", "开展", "组织", "举行", "举办", "进行", "参加", "指导", "对", "为",
                     "与", "利用", "深入", "邀请", "检查", "落实", "做好")


def _person(ctx: _Ctx, name: str) -> str:
    """A leader with the title the data gives (`校长陈建国`); anyone else by name."""
    for leader in ctx.data.leaders:
        if leader.name == name and leader.title:
            return f"{leader.title}{name}"
    return name


def _activity_sentence(ctx: _Ctx, act: Activity, plan: bool) -> str:
    """One activity as report prose: when, what (the title, then the notes as its continuation),
    the counts as clauses (`23名教师听课`), the money, and who; every fact from the data."""
    when = w.date_range(act.date_start, act.date_end, ctx.year)
    others = [_person(ctx, p) for p in act.people if p != ctx.author]
    counts = dict(act.counts)
    if act.title:
        what = act.title.rstrip("。")
        if ctx.author and what.startswith(_STARTS_WITH_VERB):
            subject = "我" + (f"和{w.join(others)}老师" if others else "")
            what, others = subject + what, []
        # A count of what the title ends with reads as its figure: `来校上示范课2节` (not when the
        # title names other counted things too: `捐赠图书和体育器材` keeps both figures apart).
        nouns = {name: w.noun_and_unit(name) for name in counts}
        for name, (noun, unit) in nouns.items():
            named_too = any(other in what for o, (other, _) in nouns.items() if o != name)
            if what.endswith(noun) and not named_too:
                what += w.with_unit(counts.pop(name), unit)
                break
    else:
        what = (f"在{act.place}" if act.place else "") + f"开展{act.kind}活动"
    clauses = [f"{when}，{what}"]
    if act.notes:
        clauses.append(act.notes.rstrip("。"))
    clauses.extend(w.count_clause(name, n) for name, n in counts.items())
    if act.money:
        donated = "捐" in (act.title or "") + (act.kind or "")
        clauses.append(("价值" if donated else "经费" if plan else "支出经费") + w.money(act.money))
    if others:
        if plan:
            clauses.append(f"由{w.join(others)}负责")
        elif ctx.author:
            clauses.append(f"{w.join(others)}老师共同参与")
        elif all(any(x.name == p for x in ctx.data.leaders) for p in act.people):
            clauses.append(f"{w.join(others)}参加")
        else:
            clauses[-1] += f"（参与人员：{'、'.join(others)}）"
    return "，".join(clauses) + "。"


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


def _basis(policies: list[str]) -> str:
    """`根据《…通知》精神` for documents from above; `按照《…方案》的要求` for a school's own."""
    if not policies:
        return ""
    if all(re.search(r"(通知|意见|要点|决定|纲要|精神)》$", p) for p in policies):
        return f"根据{w.join(policies)}精神，"
    return f"按照{w.join(policies)}的要求，"


def _preamble(ctx: _Ctx, plan: bool) -> str:
    d = ctx.data
    basis = _basis(d.policies)
    partner = ""
    if d.partners:
        rel = {"受援": "作为受援学校，与{}结成帮扶对子", "支援": "作为支援学校，与{}结成帮扶对子"}.get(
            d.role or "", "与{}结成对子")
        partner = rel.format(w.join(d.partners)) + "，"
    topic = d.topic or "帮扶"
    if plan:
        purpose = ctx.pick([f"为扎实推进{topic}工作", f"为进一步做好{topic}工作"])
        return ctx.phrase("preamble") + f"{purpose}，{basis}{partner}结合{ctx.we}实际，特制定本{d.kind[-2:]}。"
    where = f"在{ctx.unit}" if ctx.author and ctx.unit else ""
    middle = ctx.pick([f"认真开展{topic}工作", f"扎实开展{topic}工作"])
    since = ctx.pick(["现将有关情况总结如下：", "现将一年来的工作总结如下："]) if d.period.endswith("年") else \
        "现将有关情况总结如下："
    if d.period.endswith("年") and ctx.rng.random() < 0.5:
        since = ctx.phrase("preamble", "lead") or since
    return f"{d.period}，{ctx.we}{basis}{partner}{where}{middle}。{ctx.phrase('preamble', avoid='{year}')}{since}"


def _closing(ctx: _Ctx, plan: bool) -> str:
    d = ctx.data
    topic = d.topic or "帮扶"
    if plan:
        return ctx.pick([f"{ctx.we}将按照本{d.kind[-2:]}逐项抓好落实，确保全年目标如期完成。",
                         f"{ctx.we}将认真落实本{d.kind[-2:]}的各项安排，确保{topic}工作取得实效。"])
    helped = f"在{w.join(d.partners)}的帮助下，" if d.role == "受援" and d.partners else ""
    learned = ctx.phrase("closing", "closing")
    if learned:
        return learned + f"今后，{ctx.we}将" + ctx.pick(["认真总结经验，发扬成绩、改进不足，把这项工作做实做细。",
                                                      f"发扬成绩、改进不足，推动{topic}工作再上新台阶。"])
    return (f"总之，{helped}{ctx.we}的{topic}工作取得了一定成效，也还存在不足。今后，{ctx.we}将"
            + ctx.pick(["认真总结经验，发扬成绩、改进不足，把这项工作做实做细。",
                        f"发扬成绩、改进不足，推动{topic}工作再上新台阶。"]))


def _sections(ctx: _Ctx) -> list[tuple[str, str, list[Block]]]:
    """(label, heading, blocks under it) of the numbered sections, in the corpus order."""
    d = ctx.data
    plan = d.kind != "工作总结"
    group = "plan" if plan else "工作总结"
    made: dict[str, tuple[str, list[Block]]] = {}
    if plan and d.policies:
        made["guiding"] = (_heading(ctx, "guiding", group), [Block(
            "body", f"以上级{d.topic or '帮扶'}工作部署为指导，坚持问题导向、精准施策，"
                    f"扎实推进{d.topic or '帮扶'}各项工作。{ctx.phrase('guiding')}", "guiding")])
    if d.leaders:
        # A purpose clause of the corpus leads into the leading group, else an opening sentence.
        opener = ctx.phrase("organization", "purpose") or ctx.phrase("preamble", "purpose") or \
            ctx.phrase("organization")
        body = [Block("body", opener + _leaders_sentence(ctx), "organization")]
        if plan:
            body = [Block("body", opener + f"{ctx.we}成立{d.topic or '帮扶'}工作领导小组：", "organization")]
            for role in ("组长", "副组长", "成员"):
                names = [f"{x.name}（{x.title}）" if x.title else x.name for x in d.leaders if (x.role or "成员") == role]
                if names:
                    body.append(Block("body", f"{role}：{'、'.join(names)}", "organization"))
        made["organization"] = (_heading(ctx, "organization", group), body)
    if d.activities:
        lead = ctx.pick(["主要做了以下几方面工作：", "重点抓了以下几项工作："])
        blocks: list[Block] = [] if plan else [Block("body", f"{ctx.we}{lead}", "measures")]
        for k, (kind, acts) in enumerate(_group(d.activities).items(), start=1):
            blocks.append(Block("heading2", f"（{w.ordinal(k)}）{kind}", "measures"))
            blocks.extend(Block("body", _activity_sentence(ctx, a, plan), "measures") for a in acts)
            # What such activities are for, in the corpus's words, where it names one of them.
            about = "\n".join(f"{a.kind or ''}{a.title or ''}{a.notes or ''}" for a in acts)
            learned = ctx.phrase("measures", about=about)
            if learned:
                blocks[-1] = Block("body", blocks[-1].text + learned, "measures")
        made["measures"] = (_heading(ctx, "measures", group), blocks)
    if d.results:
        lines = []
        for r in d.results:
            text = (r.text or "").rstrip("。")
            figures = _counts(r.counts) if r.counts else ""
            lines.append("。".join(x for x in (text, figures) if x) + "。")
        if not plan and (opener := ctx.phrase("results")):
            lines.append(opener)
        label = "guiding" if plan else "results"
        heading = _DEFAULT_HEADINGS["plan"]["targets"][0] if plan else _heading(ctx, "results", group)
        made[label if not plan or "guiding" not in made else "targets"] = (
            heading, [Block("body", line, label) for line in lines])
    if d.problems:
        made["problems"] = (_heading(ctx, "problems", group),
                            [Block("body", _numbered(d.problems), "problems")])
    if d.plans:
        made["plans"] = (_heading(ctx, "plans", group), [Block("body", _numbered(d.plans), "plans")])
    order = list(ctx.bank.order.get(d.kind, []))
    placed = (["targets"] if "targets" in made else []) + (["problems"] if plan and "problems" in made else [])
    for label in placed:
        # Targets follow the guiding ideas; in a plan the difficulties are the situation the
        # measures answer (the corpus labels such analyses `preamble`, LABELS.md), so they stand
        # right after the guiding ideas too, wherever the learned order puts a problems section.
        if label in order:
            order.remove(label)
        order.insert(order.index("guiding") + 1 if "guiding" in order else 0, label)
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
    unit = _class_of(data) if author else ""
    ctx = _Ctx(data, random.Random(seed), _year(data.period), "我" if author else "我校", bank or default_bank(),
               author, unit, default_phrases(), done=_data_text(data))
    plan = data.kind != "工作总结"
    # A teacher's own summary is titled by the class, the school standing in the signoff.
    title = f"{data.period}{unit}{data.topic or ''}{data.kind}" if unit else \
        f"{data.school}{data.period}{data.topic or ''}{data.kind}"
    signoff = data.signoff
    context = {
        "title": title,
        "preamble": _preamble(ctx, plan),
        "sections": _sections(ctx),
        "closing": _closing(ctx, plan),
        "signoff_body": (signoff.body if signoff and signoff.body else
                         f"{data.school} {author}" if author else data.school),
        "signoff_date": (f"{signoff.date.year}年{signoff.date.month}月{signoff.date.day}日"
                         if signoff and signoff.date else TODO.format("成文日期")),
        "ordinal": w.ordinal,
    }
    text = _render_skeleton(data.kind, context, templates)
    return Draft(data.kind, title, _parse(text), _title_breaks(data, title), list(ctx.used))


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
