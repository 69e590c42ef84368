"""The slot extractor against the hand-made gold files (corpus/gold/slots, rules in SLOTS.md)."""

from __future__ import annotations

import json

import pytest

from summarizer.analyse.slots import extract_slots
from tests.conftest import ROOT

GOLD = ROOT / "corpus" / "gold" / "slots"
CLEAN = ROOT / "corpus" / "clean"


def items(report: dict, kind: str) -> set[tuple]:
    """What must agree: the span, the kind, and for figures the normalised value and unit."""
    if kind == "placeholders":
        return {(d["start"], d["end"], d["kind"]) for d in report[kind]}
    return {(d["start"], d["end"], d["kind"], json.dumps(d["value"]), d["unit"]) for d in report[kind]}


@pytest.fixture(scope="module")
def scored():
    files = sorted(GOLD.glob("*.json"))
    assert len(files) >= 3
    per_kind = {"placeholders": [0, 0, 0], "figures": [0, 0, 0]}  # true positives, false pos., false neg.
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (CLEAN / f"{path.stem}.txt").read_text(encoding="utf-8")
        for d in gold["placeholders"] + gold["figures"]:  # the gold file itself is consistent
            assert text[d["start"]:d["end"]] == d["text"], (path.name, d)
        pred = extract_slots(text).to_dict()
        for kind in per_kind:
            g, p = items(gold, kind), items(pred, kind)
            per_kind[kind][0] += len(g & p)
            per_kind[kind][1] += len(p - g)
            per_kind[kind][2] += len(g - p)
    return per_kind


@pytest.mark.parametrize("kind", ["placeholders", "figures"])
def test_precision_and_recall_against_the_gold_files(scored, kind):
    tp, fp, fn = scored[kind]
    assert tp >= 50, "the gold files hold enough items to measure"
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.95, (kind, precision, recall, scored[kind])
