"""The hand labels in corpus/labels stay aligned with the clean articles they describe."""

from __future__ import annotations

import json

from tests.conftest import ROOT

LABELS = {"title", "preamble", "guiding", "organization", "measures", "results", "experience",
          "problems", "plans", "closing", "signoff", "noise"}


def test_every_line_of_every_clean_article_has_a_label():
    clean = sorted((ROOT / "corpus" / "clean").glob("*.txt"))
    labels_dir = ROOT / "corpus" / "labels"
    assert sorted(p.stem for p in labels_dir.glob("*.jsonl")) == [p.stem for p in clean]
    for article in clean:
        lines = article.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(r) for r in (labels_dir / f"{article.stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [r["text"] for r in rows] == lines, article.name
        assert [r["index"] for r in rows] == list(range(len(lines)))
        assert {r["label"] for r in rows} <= LABELS
        assert rows[0]["label"] == "title"
