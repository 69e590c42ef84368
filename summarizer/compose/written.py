"""The phrase set written by the team (`data/written/*.yaml`): the sentences around
the facts — why an activity is done, how a section opens and closes, how a problem or a plan
item becomes a sentence — for each document kind and activity kind.

The corpus shows how reports are worded, but its sentences carry other schools' facts and only
a few fit any one draft; these phrases carry none (the file's test checks: no figures, names,
bodies or titles), so they can frame any school's data. Slots: `{we}` (我校, 我), `{topic}`,
`{doc}` (总结, 计划, 方案), `{item}` (one problem or plan item), `{lead}` (a leader with title).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

# Document kind → the part of the file that holds its phrases.
GROUPS = {"工作总结": "summary", "工作计划": "plan", "实施方案": "scheme"}


@dataclass(frozen=True)
class ActivityPhrases:
    """What the set says about one kind of activity (家访, 专题培训 …)."""

    name: str
    match: tuple[str, ...]
    purpose: tuple[str, ...]
    plan_purpose: tuple[str, ...]
    lead_verb: str
    lead_frames: tuple[str, ...]
    follow_up: tuple[str, ...] = ()
    intro: tuple[str, ...] = ()  # what such work is for (`家访是…最直接的方式。`)
    practice: tuple[str, ...] = ()  # how it is usually done, past tense
    plan_practice: tuple[str, ...] = ()  # the same, for a plan

    def fits(self, text: str) -> bool:
        return any(word in text for word in self.match)


@dataclass(frozen=True)
class WrittenPhrases:
    activities: tuple[ActivityPhrases, ...]
    sections: dict[str, Any]  # group → label → list, or {opener, closer, frames}, or stages

    def activity(self, kind: str, title: str = "") -> ActivityPhrases:
        """The entry of the first kind whose words the activity's kind names, else its title's;
        the last entry matches anything."""
        for text in (kind, title):
            for entry in self.activities:
                if entry.match != ("",) and entry.fits(text):
                    return entry
        return self.activities[-1]

    def options(self, doc_kind: str, label: str, part: str | None = None) -> list[str]:
        """The variants of a section's part (`problems`, `opener`), [] where the set has none."""
        node = self.sections.get(GROUPS.get(doc_kind, "plan"), {}).get(label)
        if part is not None:
            node = node.get(part) if isinstance(node, dict) else None
        return list(node) if isinstance(node, list) else []


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


@lru_cache(maxsize=1)
def default_written() -> WrittenPhrases:
    """The packaged phrase set, read once."""
    folder = resources.files("summarizer").joinpath("data", "written")
    raw = yaml.safe_load(folder.joinpath("draft_phrases.yaml").read_text(encoding="utf-8"))
    practice = yaml.safe_load(folder.joinpath("activity_practice.yaml").read_text(encoding="utf-8"))
    activities = tuple(
        ActivityPhrases(e["name"], _tuple(e.get("match")), _tuple(e.get("purpose")), _tuple(e.get("plan_purpose")),
                        str(e.get("lead_verb") or "组织"), _tuple(e.get("lead_frames")), _tuple(e.get("follow_up")),
                        *(_tuple(practice.get(e["name"], {}).get(k)) for k in ("intro", "practice", "plan_practice")))
        for e in raw["activity_kinds"])
    return WrittenPhrases(activities, raw["sections"])
