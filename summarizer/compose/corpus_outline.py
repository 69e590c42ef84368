"""The outline reports have, learned from the labelled corpus: section order and headings.

The corpus (the labelled clean articles shipped beside the section model) is read once:
- the order of the sections in each document kind: the mean relative position where each label
  first appears in the corpus articles of that kind (总结 for 工作总结, 计划/方案 for the others);
- the headings authors give each section, per label and level, with their numbering removed,
  without any figure or placeholder (the slot extractor finds those) and naming what the section
  is about, so that a heading never carries another school's facts: `高度重视，严密部署`,
  `工作中的不足`, `今后工作的设想`;
Facts themselves never come from the corpus: every name, number and date is the user's.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from summarizer.analyse.segment import heading_marker
from summarizer.analyse.slots import extract_slots

KIND_WORDS = {"工作总结": ("总结",), "工作计划": ("计划",), "实施方案": ("方案", "计划")}
_CUT = re.compile(r"[。：:；;！？]")
# A learned heading is kept for a section only if it names what the section is about: headings
# like `小学困难学生帮扶制度的必要性` belong to one article and would mislead in another.
SECTION_WORDS = {
    "guiding": ("指导思想", "目标", "原则"),
    "organization": ("领导", "组织", "保障", "机制", "部署", "重视", "要求"),
    "measures": ("措施", "做法", "活动", "形式", "方式", "内容"),
    "results": ("成效", "成绩", "效果", "收获"),
    "experience": ("体会", "经验", "启示", "感受"),
    "problems": ("不足", "问题", "困难"),
    "plans": ("打算", "设想", "方向", "今后"),
}


# Where each section usually starts (relative position), the prior of the learned order.
CONVENTIONAL = {"preamble": 0.02, "guiding": 0.1, "organization": 0.2, "measures": 0.35, "results": 0.6,
                "experience": 0.7, "problems": 0.78, "plans": 0.86, "closing": 0.95, "signoff": 1.0}
PRIOR_WEIGHT = 2


@dataclass
class CorpusOutline:
    """Section order per document kind, headings per (label, level)."""

    order: dict[str, list[str]] = field(default_factory=dict)
    headings: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def heading_choices(self, label: str, level: int = 1) -> list[str]:
        return self.headings.get((label, level), [])


def _heading_text(line: str) -> str:
    level, marker = heading_marker(line)
    if not level or level == -1 and not marker:
        return ""
    text = line[len(marker):].lstrip("、，, ")
    m = _CUT.search(text)
    return (text[: m.start()] if m else text).strip("，, ")


def learn(articles: list[tuple[list[str], list[str]]]) -> CorpusOutline:
    """Learn the outline from (lines, labels) pairs; line 0 of each article is its title."""
    starts: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    headings: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for lines, labels in articles:
        title = lines[0]
        kinds = [k for k, words in KIND_WORDS.items() if any(w in title for w in words)] or ["工作总结"]
        n = max(1, len(lines) - 1)
        first: dict[str, float] = {}
        for i, label in enumerate(labels[1:], start=1):
            first.setdefault(label, i / n)
        for kind in kinds:
            for label, pos in first.items():
                starts[kind][label].append(pos)
        for line, label in zip(lines[1:], labels[1:]):
            level, _ = heading_marker(line)
            head = _heading_text(line)
            if level in (1, 2) and 4 <= len(head) <= 12 and any(w in head for w in SECTION_WORDS.get(label, ())):
                slots = extract_slots(head)
                if not slots.placeholders and not slots.figures and not re.search(r"[A-Za-z\d]", head):
                    headings[(label, level)][head] += 1
    # Sections in the order they start, on average, in the articles of each kind; with a handful
    # of articles per label, the mean is shrunk towards the conventional place (PRIOR_WEIGHT
    # pseudo-articles), so that one odd article does not put 成效 after 不足.
    order = {kind: [label for label, _ in sorted(
                ((lab, (sum(v) + PRIOR_WEIGHT * CONVENTIONAL[lab]) / (len(v) + PRIOR_WEIGHT))
                 for lab, v in labs.items() if lab in CONVENTIONAL), key=lambda x: x[1])]
             for kind, labs in starts.items()}
    for kind in KIND_WORDS:
        order.setdefault(kind, order.get("工作总结", []))
    return CorpusOutline(order, {k: [h for h, _ in c.most_common()] for k, c in headings.items()})


@lru_cache(maxsize=1)
def default_outline() -> CorpusOutline:
    """The outline learned from the real pages of the labelled corpus shipped with the package."""
    return learn([(r["lines"], r["labels"]) for r in real_pages()])


def real_pages() -> list[dict]:
    """The hand-labelled real articles of the shipped corpus. The documents the team wrote to
    train the section classifier ship beside them but are no phrase material: their sentences
    carry facts (留守儿童档案, 三优先) that a draft would then state without the user's data."""
    raw = (resources.files("summarizer") / "data" / "section_corpus.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [r for r in rows if r.get("origin", "hand") == "hand"]
