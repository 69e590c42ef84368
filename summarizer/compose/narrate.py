"""One activity as a report paragraph: what such work is for, why it was done, when, who led it
and what happened, its figures with their measure words, the notes the data gives, and how such
work is done.

    为全面了解学困生的家庭学习环境，我和王建军老师于11月18日走访学困生家庭8户。…

Every fact (date, name, figure, place, note) comes from the data; the framing sentences come from
the team's written set for the activity's kind (`written.py`) and state intent and manner, not facts.
"""

from __future__ import annotations

import re

from summarizer.compose import wording as w
from summarizer.compose.context import Context
from summarizer.compose.model import Activity

# Titles that open with what was done; the subject and the date go before them (`我校于3月…组织…`).
STARTS_WITH_VERB = ("组建", "走访", "召开", "开展", "组织", "举行", "举办", "进行", "参加", "指导", "对", "为",
                    "与", "利用", "深入", "邀请", "检查", "落实", "做好", "建立", "完成", "实施", "排查", "评选",
                    "表彰", "慰问", "发放", "捐赠", "送", "赴", "到", "在", "召集", "成立", "制定", "印发",
                    "启动", "推进", "摸底", "测试", "培训", "辅导", "家访", "帮扶", "结对")
# Verbs a title that says what was done contains somewhere in its first clause.
VERBS = STARTS_WITH_VERB + ("来校", "上", "开设", "签订", "签约", "捐", "学习", "交流", "研讨", "听课", "评课",
                            "诊断", "参观", "观摩", "考察", "宣讲")
_MEETING = re.compile(r"会|座谈|交流")


def person(ctx: Context, name: str) -> str:
    """A leader with the title the data gives (`校长陈建国`); anyone else by name."""
    for leader in ctx.data.leaders:
        if leader.name == name and leader.title:
            return f"{leader.title}{name}"
    return name


def _is_leader(ctx: Context, name: str) -> bool:
    return any(x.name == name for x in ctx.data.leaders)


def _what(ctx: Context, act: Activity, counts: dict) -> str:
    """The title as the sentence's predicate, with the count its last noun names folded in
    (`来校上示范课2节`); a count whose figure the title already states is dropped."""
    if not act.title:
        return (f"在{act.place}" if act.place else "") + f"开展{act.kind}活动"
    what = act.title.rstrip("。")
    nouns = {name: w.noun_and_unit(name) for name in counts}
    for name, (_, unit) in list(nouns.items()):
        n, given = w.figure_and_unit(counts[name])
        said = [w.number(n)] + ([w.cn_number(int(n)), w.ordinal(int(n))] if float(n).is_integer() and n < 100 else [])
        if any(re.search(rf"(?<![\d.]){re.escape(x)}{re.escape(given or unit)}", what) for x in said):
            counts.pop(name)  # `为4名重度残疾儿童送教上门` already says 4名
            nouns.pop(name)
    for name, (noun, unit) in nouns.items():
        named_too = any(other in what for o, (other, _) in nouns.items() if o != name)
        if what.endswith(noun) and not named_too:
            what += w.with_unit(counts.pop(name), unit)
            break
    return what


def _who(ctx: Context, act: Activity, verb: str, frames: tuple[str, ...]) -> tuple[str, str]:
    """(subject before the predicate, clause naming the person in charge) for a summary."""
    others = [p for p in act.people if p != ctx.author]
    if ctx.author:
        subject = "我" + (f"和{w.join(others)}老师" if others else "") if ctx.author in act.people else ""
        return subject, ""
    leaders = [person(ctx, p) for p in others if _is_leader(ctx, p)]
    rest = [p for p in others if not _is_leader(ctx, p)]
    if leaders:
        lead = w.join(leaders)
        clause = ctx.fresh(list(frames), lead=lead) or f"由{lead}{verb}"
        if rest:
            clause += f"，{w.join(rest)}等参与"
        return "", clause
    if rest:
        verb = _people_verb(act.title or "") or (verb if verb in ("主讲", "执教") else "")
        return "", f"由{w.join(rest)}{verb}" if verb else f"{w.join(rest)}参与"
    return "", ""


def _money(act: Activity, spent: str) -> str:
    """The money of an activity: what a donation was worth (`价值1.85万元`), else what was spent
    or is set aside (`支出经费3600元`, `安排经费…`)."""
    donated = "捐" in (act.title or "") + (act.kind or "")
    return ("价值" if donated else spent) + w.money(act.money)


def _people_verb(title: str) -> str:
    """What the named people (not the school's leaders) did, where the title says: taught the
    lessons (`上示范课` → 执教), gave the talk or training someone came to give (→ 主讲)."""
    if re.search(r"示范课|公开课|观摩课|上课|示范教学", title):
        return "执教"
    if re.search(r"来校.*(培训|讲座|报告)|(讲座|报告会)$", title):
        return "主讲"
    return ""


def activity_paragraph(ctx: Context, act: Activity, first: bool) -> str:
    """The paragraph of one activity; `first` when it opens its group (the purpose is said once
    a group, a later one of the same kind follows on from it)."""
    entry = ctx.written.activity(act.kind or "", act.title or "")
    when = w.date_range(act.date_start, act.date_end, ctx.year)
    counts = dict(act.counts)
    what = _what(ctx, act, counts)
    if ctx.plan:
        return _plan_paragraph(ctx, act, entry, when, what, counts, first)
    subject, lead = _who(ctx, act, entry.lead_verb, entry.lead_frames)
    purpose = ctx.fresh(list(entry.purpose)) if first and entry.purpose else ""
    first_clause = what.split("，")[0]
    if not any(verb in first_clause for verb in VERBS):
        what = ctx.pick(["开展", "组织"]) + what  # a title that names the activity: `期末学业测评`
    if what.startswith(STARTS_WITH_VERB + ("开展", "组织")):
        subject = subject or (ctx.we if not ctx.author else "")
        where = f"在{act.place}" if act.place and act.place not in what and act.place not in (ctx.unit, "我校", "本校") else ""
        head = f"{subject}于{when}{where}{what}" if subject else f"{when}，{where}{what}"
    else:
        head = f"{when}，{what}"  # the title names its own subject: `城关一小教师来校上示范课`
    if not first:
        head = ctx.pick(["此后，", "随后，", "在此基础上，", ""]) + head
    clauses = [f"{purpose}，{head}" if purpose else head]
    clauses += [w.count_clause(name, n) for name, n in counts.items()]
    if act.money:
        clauses.append(_money(act, "支出经费"))
    if lead:
        clauses.append(lead)
    # 2–4 sentences: what such work is for (once a group), the facts, the data's notes, and the
    # manner in which such work is done and carried forward, in the team's general words.
    note = (act.notes or "").rstrip("。")
    if note.startswith(STARTS_WITH_VERB):
        note = ("会上，" if _MEETING.search(f"{act.kind}{act.title}") else "活动中，") + note
    practice = ctx.fresh(list(entry.practice))
    sentences = [ctx.fresh(list(entry.intro)) if first else "", "，".join(clauses) + "。",
                 note + "。" if note else "", practice,
                 "" if note else ctx.fresh(list(entry.follow_up), avoid=practice[:2])]
    return "".join(s if not s or s.endswith("。") else s + "。" for s in sentences)


def _plan_paragraph(ctx: Context, act: Activity, entry, when: str, what: str, counts: dict, first: bool) -> str:
    """A planned activity: purpose, when and what is to be done, figures as targets, who is
    responsible (`由…负责`)."""
    purpose = ctx.fresh(list(entry.plan_purpose)) if first and entry.plan_purpose else ""
    head = f"{when}，{what}"
    clauses = [f"{purpose}，{head}" if purpose else head]
    clauses += [w.count_clause(name, n) for name, n in counts.items()]
    if act.money:
        clauses.append(_money(act, "安排经费"))
    people = [person(ctx, p) for p in act.people]
    if people:
        clauses.append(f"由{w.join(people)}负责")
    text = "，".join(clauses) + "。" + ctx.fresh(list(entry.plan_practice))
    if act.notes:
        text += ctx.pick(["具体要求：", ""]) + act.notes.rstrip("。") + "。"
    return text
