"""The batch cleanup as a user runs it: real files in, article files and a manifest out."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from summarizer.clean.batch import run_clean
from tests.conftest import RAW


def manifest(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def outputs(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outdir.glob("*.txt"))}


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """The seeds plus bad inputs: empty, random bytes, truncated docx, a zip with a ../ member."""
    src = tmp_path / "in"
    shutil.copytree(RAW, src / "seeds")
    (src / "bad").mkdir()
    (src / "bad" / "empty.txt").write_bytes(b"")
    import random

    (src / "bad" / "noise.txt").write_bytes(random.Random(0).randbytes(4096))
    (src / "bad" / "cut.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with zipfile.ZipFile(src / "bad" / "evil.zip", "w") as zf:
        zf.writestr("../evil.txt", "学校帮扶工作总结\n根据文件要求开展工作。")
        zf.writestr("ok.txt", "学校帮扶工作总结\n根据文件要求，我校积极开展结对帮扶工作。\n总之，成效明显。")
    # A zip bomb: 32 MB of zeros that deflate to ~32 KB.
    with zipfile.ZipFile(src / "bad" / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.txt", b"\x00" * (32 * 1024 * 1024))
    return src


def test_every_input_is_accounted_for_and_the_batch_finishes(archive, tmp_path):
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    summary = run_clean([archive], out)
    records = manifest(out)
    errors = {Path(r["source"].split("!")[0]).name + ("!" + r["source"].split("!")[1] if "!" in r["source"] else ""): r
              for r in records if r["status"] == "error"}
    assert set(errors) == {"empty.txt", "noise.txt", "cut.docx", "evil.zip!../evil.txt", "bomb.zip!report.txt"}
    for name, rec in errors.items():
        assert name.split("!")[0] in rec["error"] and "output" not in rec
    ok = [r for r in records if r["status"] == "ok"]
    assert {r["source"].split("!")[-1] for r in ok} >= {"ok.txt"}
    assert len({r["source"] for r in ok}) == 5  # four seeds and the good zip member
    for rec in ok:
        text = (out / rec["output"]).read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == rec["title"]
        assert set(rec) >= {"source", "article", "output", "title", "encoding", "script", "fixes", "sha256", "status"}
    assert summary.errors == 5 and summary.articles == len(ok)
    # Inputs are never modified.
    assert before == {p: p.read_bytes() for p in archive.rglob("*") if p.is_file()}


def test_a_run_that_keeps_no_records_still_writes_every_one_and_lists_the_failures(archive, tmp_path):
    kept = run_clean([archive], tmp_path / "kept")
    lean = run_clean([archive], tmp_path / "lean", keep_records=False)
    assert lean.records == [] and manifest(tmp_path / "lean") == manifest(tmp_path / "kept") == kept.records
    assert lean.failed == [r for r in kept.records if r["status"] == "error"] and len(lean.failed) == 5
    assert (lean.articles, lean.duplicates, lean.errors) == (kept.articles, kept.duplicates, kept.errors)
    assert not (tmp_path / "lean" / ".manifest.journal.jsonl").exists()


def test_records_past_the_memory_limit_are_read_back_from_the_journal(archive, tmp_path, monkeypatch):
    from summarizer.clean import batch

    kept = run_clean([archive], tmp_path / "kept", jobs=2)
    monkeypatch.setattr(batch, "HOLD_MAX", 3)  # a seed page alone has more articles
    lean = run_clean([archive], tmp_path / "lean", jobs=2)
    assert manifest(tmp_path / "lean") == manifest(tmp_path / "kept") == kept.records == lean.records
    assert outputs(tmp_path / "lean") == outputs(tmp_path / "kept")
    assert (tmp_path / "lean" / "removed.jsonl").read_bytes() == (tmp_path / "kept" / "removed.jsonl").read_bytes()
    assert sorted(p.name for p in (tmp_path / "lean").iterdir() if not p.name.endswith(".txt")) == ["manifest.jsonl", "removed.jsonl"]


def test_duplicates_within_a_run_are_flagged_and_kept(tmp_path):
    out = tmp_path / "out"
    run_clean([RAW / "004_3e8b8ef1052bef1e.txt"], out)
    dup = [r for r in manifest(out) if r.get("duplicate_of")]
    # 篇六 repeats 篇二 almost word for word.
    assert [(r["article"], r["duplicate_of"].endswith("_02.txt")) for r in dup] == [(6, True)]
    assert dup[0]["similarity"] >= 0.8
    assert len(list(out.glob("*.txt"))) == 8


def test_rerun_skips_what_is_done_and_completes_an_interrupted_run(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(RAW, src)
    out = tmp_path / "out"
    first = run_clean([src], out)
    files = outputs(out)
    removed = (out / "removed.jsonl").read_bytes()
    again = run_clean([src], out)
    assert again.skipped == 4 and outputs(out) == files
    assert manifest(out) == first.records and (out / "removed.jsonl").read_bytes() == removed

    # An interrupted run: the manifest is gone, one output is missing, the journal holds two inputs.
    records = manifest(out)
    (out / "manifest.jsonl").unlink()
    journal = [r for r in records if r["source"].endswith(("000_f06ec88fb457c14a.txt", "003_aa8f4e545c546013.txt"))]
    (out / ".manifest.journal.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in journal) + '{"source": "cut sho', encoding="utf-8")
    (out / journal[0]["output"]).unlink()
    resumed = run_clean([src], out)
    assert resumed.skipped == 1  # 003 was done; 000 lost an output and is redone
    assert outputs(out) == files and manifest(out) == records
    assert (out / "removed.jsonl").read_bytes() == removed  # 003's lines from the earlier run's file
    assert not (out / ".manifest.journal.jsonl").exists()


def test_a_changed_input_is_cleaned_again_and_a_journal_cut_inside_a_character_is_skipped(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(RAW, src)
    out = tmp_path / "out"
    run_clean([src], out)
    changed = src / "003_aa8f4e545c546013.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n总之，今后继续努力。\n", encoding="utf-8")
    # An interrupted run whose last journal line stops inside a three-byte character.
    records = manifest(out)
    (out / "manifest.jsonl").unlink()
    done = [r for r in records if r["source"].endswith("000_f06ec88fb457c14a.txt")]
    (out / ".manifest.journal.jsonl").write_bytes(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in done).encode("utf-8")
        + '{"source": "学'.encode()[:-1])
    again = run_clean([src], out)
    assert again.skipped == 1  # 000 from the journal; 003 changed, 002 and 004 were not journaled
    redone = [r for r in manifest(out) if r["source"] == str(changed)]
    assert redone and all(r["sha256"] != done[0]["sha256"] for r in redone)
    assert "总之，今后继续努力。" in (out / redone[-1]["output"]).read_text(encoding="utf-8")


def test_a_file_that_vanishes_before_its_worker_reads_it_gets_an_error_line(tmp_path):
    from summarizer.clean.batch import process_one
    from summarizer.io import FileRef, iter_inputs

    page = tmp_path / "page.txt"
    page.write_text("学校工作总结\n今年我校开展了帮扶工作。", encoding="utf-8")
    [ref] = iter_inputs(tmp_path, lazy=True)
    assert isinstance(ref, FileRef)
    page.unlink()
    [record] = process_one(ref, str(tmp_path / "out")).records
    assert record["status"] == "error" and str(page) in record["error"] and "无法访问" in record["error"]


def test_a_worker_in_another_directory_reads_relative_inputs_and_writes_to_the_outdir(tmp_path, monkeypatch):
    from summarizer.clean.batch import _Task
    from summarizer.io import iter_inputs

    (tmp_path / "in").mkdir()
    shutil.copy(RAW / "000_f06ec88fb457c14a.txt", tmp_path / "in" / "page.txt")
    monkeypatch.chdir(tmp_path)
    [ref] = iter_inputs("in", lazy=True)
    task = _Task(str(tmp_path / "out"))
    monkeypatch.chdir(tmp_path.parent)  # where a Dask worker might run
    records = task(ref).records
    assert records[0]["status"] == "ok" and records[0]["source"] == str(Path("in") / "page.txt")
    assert all((tmp_path / "out" / r["output"]).exists() for r in records)


def test_two_jobs_give_the_same_outputs_as_one(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    run_clean([RAW], one, jobs=1)
    run_clean([RAW], two, jobs=2)
    assert outputs(one) == outputs(two)
    assert manifest(one) == manifest(two)
    assert (one / "removed.jsonl").read_bytes() == (two / "removed.jsonl").read_bytes()


def test_dask_cluster_gives_byte_identical_outputs(tmp_path):
    from dask.distributed import LocalCluster

    local, dask_out = tmp_path / "local", tmp_path / "dask"
    run_clean([RAW], local)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_clean([RAW], dask_out, engine="dask", scheduler=cluster.scheduler_address)
    assert summary.articles > 20
    assert outputs(local) == outputs(dask_out)
    assert manifest(local) == manifest(dask_out)
    assert (local / "removed.jsonl").read_bytes() == (dask_out / "removed.jsonl").read_bytes()


def test_bundled_clean_corpus_is_current(tmp_path, monkeypatch):
    root = RAW.parent.parent
    monkeypatch.chdir(root)
    out = tmp_path / "clean"
    run_clean([Path("corpus/raw")], out)
    committed = root / "corpus" / "clean"
    assert outputs(out) == outputs(committed), "regenerate: summarizer clean corpus/raw -o corpus/clean"
    assert manifest(out) == manifest(committed)
    assert (out / "removed.jsonl").read_bytes() == (committed / "removed.jsonl").read_bytes()


def test_fingerprints_of_articles_seen_before_match_a_fresh_computation():
    from summarizer.clean import duplicates as engines

    texts = [p.read_text(encoding="utf-8")[i * 300:(i + 1) * 300] for p in sorted(RAW.glob("*.txt")) for i in range(3)]
    engines._SIGNATURES.clear()
    first = engines.fingerprints(texts)
    again = engines.fingerprints(texts[::-1] + ["学校帮扶工作总结"])  # cached, plus one new
    assert first == [engines.fingerprint(t) for t in texts]
    assert again == [engines.fingerprint(t) for t in texts[::-1] + ["学校帮扶工作总结"]]
    assert len(engines._SIGNATURES) == len(set(texts)) + 1


def test_temporaries_left_by_a_killed_run_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".manifest.jsonl.4242.0.tmp", out / ".page_1a2b3c4d_01.txt.4242.7.tmp"]
    for path in stale:
        path.write_text("half", encoding="utf-8")
    (out / "notes.tmp").write_text("the user's", encoding="utf-8")  # not hidden: not ours
    run_clean([RAW / "000_f06ec88fb457c14a.txt"], out)
    assert not any(p.exists() for p in stale) and (out / "notes.tmp").exists()


def test_an_input_journaled_twice_by_interrupted_runs_comes_once(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(RAW, src)
    out = tmp_path / "out"
    first = run_clean([src], out)
    page = [r for r in first.records if r["source"].endswith("004_3e8b8ef1052bef1e.txt")]
    # Two interrupted runs each finished the same input: its block is in the journal twice.
    (out / "manifest.jsonl").unlink()
    block = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in page)
    (out / ".manifest.journal.jsonl").write_text(block + '{"source": "cu\n' + block, encoding="utf-8")
    again = run_clean([src], out)
    assert again.skipped == 1 and manifest(out) == first.records


def test_duplicate_flagging_is_the_same_whether_candidates_are_compared_one_by_one_or_together():
    import random

    from summarizer.clean.duplicates import DuplicateFlagger, fingerprint

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    common = "".join(rng.choices(alphabet, k=600))
    # Forty articles sharing 60 % of their text: none a duplicate of another (Jaccard ~0.4), but
    # most share a band with many of the others, so that an article has many candidates.
    texts = [common + "".join(rng.choices(alphabet, k=400)) for _ in range(40)]
    texts.append(texts[17][:-8] + "新增一句话结尾")  # a near copy of the 18th
    records = []
    for i, text in enumerate(texts):
        sig, size, digest = fingerprint(text)
        records.append({"output": f"a{i:02d}.txt", "text_sha256": digest, "_minhash": sig, "_shingles": size})

    def flagged(few: int) -> list[tuple]:
        flagger = DuplicateFlagger(few=few)
        out = [dict(r) for r in records]
        return [(flagger.flag(r), r.get("duplicate_of"), r.get("similarity")) for r in out]

    one_by_one, together = flagged(10_000), flagged(0)  # every comparison row by row; all in numpy
    assert one_by_one == together
    assert [f for f, _, _ in one_by_one[:40]] == [False] * 40
    assert one_by_one[40][:2] == (True, "a17.txt") and one_by_one[40][2] >= 0.8


def test_the_dask_engine_without_dask_installed_says_which_extra_to_install(monkeypatch):
    import pytest

    from summarizer.clean.executors import EngineUnavailable, dask_map

    monkeypatch.setitem(sys.modules, "dask", None)  # as on a machine without the [dask] extra
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(EngineUnavailable, match=r"summarizer\[dask\]"):
        next(dask_map(len, ["a"], None, 1))
