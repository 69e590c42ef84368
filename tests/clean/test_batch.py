"""What the batch cleanup keeps of a run and of the runs before it: removed.jsonl, and an OUTDIR
cleaned into twice (real files in, real files out)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.clean.batch import run_clean
from summarizer.clean.chrome import SUSPECT_THRESHOLD
from summarizer.clean.pipeline import REMOVAL_COUNTS
from tests.conftest import RAW


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def articles_on_disk(out: Path) -> set[str]:
    return {p.name for p in out.glob("*.txt")}


def test_every_removed_piece_is_in_removed_jsonl_and_the_manifest_counts_them(tmp_path):
    out = tmp_path / "out"
    summary = run_clean([RAW], out)
    removed = jsonl(out / "removed.jsonl")
    assert summary.removed == len(removed) > 1000  # one seed holds 1,238 pinyin glosses
    # A repaired mojibake stretch is listed as it stood, with what it became; nothing else has a
    # replacement. Seed 002's `差距?,F將` is one of them.
    assert all(list(r) == ["source", "article", "text", "reason", "score"] + ["replacement"] * (r["reason"] == "mojibake")
               for r in removed)
    assert {"text": "?,F", "replacement": "。現"} in [
        {k: r[k] for k in ("text", "replacement")} for r in removed if r["reason"] == "mojibake"]
    # The chrome model's pieces carry its score; the others have none.
    assert all((r["score"] is not None) == (r["reason"] == "chrome") for r in removed)
    # A line is chrome from 0.7; a sentence of a flagged line from 0.2 (chrome.SUSPECT_THRESHOLD).
    assert all(SUSPECT_THRESHOLD <= r["score"] <= 1 for r in removed if r["reason"] == "chrome")
    seed = [r for r in removed if r["text"] == "[2016学校帮扶工作总结]"]
    assert [(Path(r["source"]).name, r["article"], r["reason"]) for r in seed] == [
        ("000_f06ec88fb457c14a.txt", 2, "chrome")]

    # Per input, the manifest's removal counts are the lines of removed.jsonl.
    manifest = jsonl(out / "manifest.jsonl")
    for source in {r["source"] for r in manifest}:
        fixes = next(r["fixes"] for r in manifest if r["source"] == source)
        counted = Counter(REMOVAL_COUNTS[r["reason"]] for r in removed if r["source"] == source)
        counted.pop(None, None)  # an empty article's title: its article is not in the manifest
        keys = ("pinyin_removed", "chrome_removed", "mojibake_repaired")
        assert {k: fixes.get(k, 0) for k in keys} == {k: counted.get(k, 0) for k in keys}, source
    # A piece's article is one of its input's articles (or none: outside every article).
    numbers = {(r["source"], r["article"]) for r in manifest}
    assert all(r["article"] is None or (r["source"], r["article"]) in numbers for r in removed)
    assert {r["reason"] for r in removed} == {"gloss", "page_counter", "page_furniture", "chrome", "empty_article",
                                              "mojibake"}


def test_a_second_run_into_the_same_outdir_merges_its_inputs_into_the_manifest(tmp_path):
    src = tmp_path / "in"
    seeds = sorted(RAW.glob("*.txt"))
    for i, seed in enumerate(seeds):
        (src / ("a" if i < 2 else "b")).mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, src / ("a" if i < 2 else "b") / seed.name)
    out, whole = tmp_path / "out", tmp_path / "whole"
    run_clean([src / "a"], out)
    second = run_clean([src / "b"], out)
    assert (second.inputs, second.kept) == (2, 2)
    # Two runs into one OUTDIR give what one run over both gives, byte for byte.
    run_clean([src / "a", src / "b"], whole)
    for name in ("manifest.jsonl", "removed.jsonl"):
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
    assert articles_on_disk(out) == articles_on_disk(whole)

    # An input cleaned again replaces its records; its earlier article files go.
    changed = src / "a" / seeds[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n总之，今后继续努力。\n", encoding="utf-8")
    before = jsonl(out / "manifest.jsonl")
    third = run_clean([changed], out)
    assert (third.inputs, third.kept, third.skipped) == (1, 3, 0)
    manifest = jsonl(out / "manifest.jsonl")
    assert [r["source"] for r in manifest] == [
        r["source"] for r in before if r["source"] != str(changed)] + [str(changed)] * sum(
        r["source"] == str(changed) for r in manifest)
    assert {r["sha256"] for r in manifest if r["source"] == str(changed)} != {
        r["sha256"] for r in before if r["source"] == str(changed)}
    assert articles_on_disk(out) == {r["output"] for r in manifest if r["status"] == "ok"}  # no orphan
    removed = jsonl(out / "removed.jsonl")
    assert [r["source"] for r in removed] == sorted(
        (r["source"] for r in removed), key=[r["source"] for r in manifest].index)  # the manifest's order
    assert {r["source"] for r in removed} == {r["source"] for r in manifest}
    assert len(removed) == len(jsonl(whole / "removed.jsonl"))  # the change added none

    # Run again with everything: nothing to do, nothing changes.
    again = run_clean([src / "a", src / "b"], out)
    assert (again.skipped, again.kept) == (4, 0)
    order = [str(p) for part in ("a", "b") for p in sorted((src / part).glob("*.txt"))]
    assert list(dict.fromkeys(r["source"] for r in jsonl(out / "manifest.jsonl"))) == order
    assert all(r["duplicate_of"] in articles_on_disk(out) for r in jsonl(out / "manifest.jsonl") if "duplicate_of" in r)


def test_an_interrupted_run_is_completed_with_the_removed_text_of_its_journal(tmp_path):
    out, whole = tmp_path / "out", tmp_path / "whole"
    run_clean([RAW], whole)
    # A run stopped after its first input: the journal holds that input's records and removal
    # lines; no manifest or removed.jsonl yet.
    from summarizer.clean.batch import EarlierRuns, Ledger, process_one
    from summarizer.io import iter_inputs

    out.mkdir()
    first = next(iter_inputs([RAW], lazy=True))
    ledger = Ledger(out, EarlierRuns(out), keep_records=False)
    ledger.finished(process_one(first, str(out)))
    ledger.__exit__(None, None, None)
    assert (out / ".manifest.journal.jsonl").exists() and not (out / "removed.jsonl").exists()
    resumed = run_clean([RAW], out)
    assert resumed.skipped == 1
    for name in ("manifest.jsonl", "removed.jsonl"):
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name


def test_an_outdir_cleaned_before_removed_text_was_kept_is_cleaned_again(tmp_path):
    out = tmp_path / "out"
    run_clean([RAW], out)
    removed = (out / "removed.jsonl").read_bytes()
    manifest = (out / "manifest.jsonl").read_bytes()
    (out / "removed.jsonl").unlink()  # as an earlier version left it
    again = run_clean([RAW], out)
    assert again.skipped == 0 and again.removed > 0
    assert (out / "removed.jsonl").read_bytes() == removed and (out / "manifest.jsonl").read_bytes() == manifest


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["gloss", "chrome", "page_furniture", "mojibake"]), st.text(max_size=8),
                          st.one_of(st.none(), st.integers(1, 30)),
                          st.one_of(st.none(), st.floats(0, 1)),
                          st.one_of(st.none(), st.text(max_size=8))), max_size=12), st.text(max_size=10))
def test_removal_lines_are_what_json_makes_of_each_piece(pieces, source):
    """The lines are formatted a run of pieces at a time; they are the JSON of each piece's dict."""
    import orjson

    from summarizer.clean.batch import removal_lines
    from summarizer.document import Removal

    removed = [Removal(*p) for p in pieces]
    assert removal_lines(source, removed) == b"".join(orjson.dumps({
        "source": source, "article": r.article, "text": r.text, "reason": r.reason,
        "score": None if r.score is None else round(r.score, 4),
        **({} if r.replacement is None else {"replacement": r.replacement})}) + b"\n" for r in removed)
