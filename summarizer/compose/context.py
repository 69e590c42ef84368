"""What the composer knows while it writes one draft: the data, the seeded choices, the phrase
material (corpus phrases, the team's written set, headings and order), and what it has used.

Every choice between equivalent wordings goes through `Context` so that the seed decides it
(`--seed` reproduces a draft; two schools get different text) and nothing is said twice.
"""

from __future__ import annotations

import random
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

from summarizer.compose import wording as w
from summarizer.compose.corpus_outline import CorpusOutline
from summarizer.compose.model import Activity, ActivityData
from summarizer.compose.phrases import ACTIVITY_WORDS, TOPIC_WORDS, Phrase
from summarizer.compose.written import WrittenPhrases

# What a phrase may take for granted only where the data says so: kinds of work, and groups and
# channels a school may not have.
PRESUPPOSED = ACTIVITY_WORDS + ("留守", "台账", "班级群", "班主任", "困难学生", "残疾", "心理", "资助", "劝返",
                                "问卷", "奖", "评比", "联系卡", "成长记录")

_LEADERSHIP = re.compile(r"领导|层层|各部门|全体教师|全校")


@dataclass
class Context:
    data: ActivityData
    rng: random.Random
    year: int | None
    we: str  # 我校 / 我
    outline: CorpusOutline
    written: WrittenPhrases
    author: str = ""  # the teacher whose own summary this is (`我`), left out of people lists
    unit: str = ""  # the teacher's class (`四年级（2）班`), from where most activities took place
    phrases: tuple[Phrase, ...] = ()
    used: list[tuple[str, str]] = field(default_factory=list)  # (sentence, source) corpus formulas used
    taken: set[str] = field(default_factory=set)  # templates and variants used, so that none is said twice
    done: str = ""  # `data_text` of the data, read once: every phrase's activity words are looked up in it

    @property
    def plan(self) -> bool:
        return self.data.kind != "工作总结"

    @property
    def topic(self) -> str:
        """The data's topic (`学困生帮扶`); '' where it names none: a draft never frames a school's
        work as a topic it did not give (a 控辍保学 summary is no 帮扶 summary)."""
        return self.data.topic or ""

    @property
    def work(self) -> str:
        """`学困生帮扶工作`, or `各项工作` without a topic."""
        return f"{self.topic}工作" if self.topic else "各项工作"

    @cached_property
    def groups(self) -> OrderedDict[str, list[Activity]]:
        """The activities by kind, in date order; an activity without a kind goes under the kind
        its title names (`为3名学生送教上门` → 送教上门), else 其他活动."""
        groups: OrderedDict[str, list[Activity]] = OrderedDict()
        for act in sorted(self.data.activities, key=lambda a: a.date_start):
            groups.setdefault(act.kind or self.written.activity("", act.title or "").name, []).append(act)
        return groups

    def pick(self, options: list[str]) -> str:
        return options[self.rng.randrange(len(options))] if options else ""

    def fresh(self, options: list[str], avoid: str = "", **slots: str) -> str:
        """One of `options` not used yet in this draft, its slots filled ('' once all are used:
        a draft never says the same framing twice); the least fluent quarter is left out (the
        fluency model), the seed chooses among the rest (two schools rarely get the same one)."""
        from summarizer.compose.fluency import rank

        values = {"we": self.we, "topic": self.topic, "doc": self.data.kind[-2:], **slots}
        unused = [o for o in options if o not in self.taken and self.presupposed(o)
                  and (self.topic or "{topic}" not in o.replace("{topic}工作", ""))]
        if avoid:  # not two sentences in a row that open alike (`注重…。注重…。`)
            unused = [o for o in unused if not o.startswith(avoid)] or unused
        if not unused:
            return ""
        filled = {o: (o if self.topic else o.replace("{topic}工作", "各项工作")).format(**values) for o in unused}
        best = rank(list(filled.values()))
        keep = [o for o in unused if filled[o] in best[: max(1, -(-3 * len(best) // 4))]]
        chosen = keep[self.rng.randrange(len(keep))]
        self.taken.add(chosen)
        return filled[chosen]

    def presupposed(self, phrase: str) -> bool:
        """Whether the data names every kind of work or group the phrase takes for granted
        (a sentence on `留守儿童` or `档案` only where the data has them)."""
        if not self.data.leaders and _LEADERSHIP.search(phrase):
            return False  # a teacher's own summary, or a school that names no leading group
        return all(word in self.done or word in (self.topic or "\0") for word in PRESUPPOSED if word in phrase)

    def written_part(self, label: str, part: str | None = None, **slots: str) -> str:
        """A fresh variant of the team's phrase for this kind of document (`written.py`)."""
        return self.fresh(self.written.options(self.data.kind, label, part), **slots)

    def phrase(self, label: str, role: str = "opener", about: str | None = None, avoid: str | None = None) -> str:
        """A corpus sentence of `label` in `role` whose presuppositions the data makes true and whose
        slots it fills, chosen at random among those not used yet; '' if there is none. With
        `about` (the text of some activities), only a phrase naming one of them; none starting
        with `avoid`."""
        options = [p for p in self.phrases if p.label == label and p.role == role and fits(self, p)
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


def fits(ctx: Context, phrase: Phrase) -> bool:
    """Whether the data makes true what the phrase presupposes (see `phrases.py`)."""
    d = ctx.data
    if phrase.kind != ("plan" if ctx.plan else "summary"):
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
              "past": not ctx.plan}.get(need)
        if need.startswith("topic:"):
            ok = any(word in topic for word in TOPIC_WORDS[need[6:]])
        if not ok:
            return False
    return True


def data_text(d: ActivityData) -> str:
    """Everything the data says about what was done, to match the activities a phrase names."""
    parts = [d.topic or ""]
    for act in d.activities:
        parts += [act.kind or "", act.title or "", act.notes or "", *act.counts]
    parts += [r.text or "" for r in d.results]
    return "\n".join(parts)
