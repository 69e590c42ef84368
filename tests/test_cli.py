"""The command line as a user runs it, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import RAW


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, cwd=cwd)


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    res = run("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"summarizer {version('summarizer')}"


def test_help_lists_the_clean_command():
    res = run("--help")
    assert res.returncode == 0 and "clean" in res.stdout
    res = run("clean", "--help")
    assert res.returncode == 0 and "--jobs" in res.stdout and "--engine" in res.stdout


def test_clean_prints_a_json_summary_and_writes_the_manifest(tmp_path):
    res = run("clean", str(RAW), "-o", str(tmp_path / "out"), "--format", "json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["inputs"] == 4 and summary["errors"] == 0 and summary["articles"] == 27
    lines = (tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 27


def test_a_folder_with_no_documents_is_refused_naming_it(tmp_path):
    empty = tmp_path / "空文件夹"
    (empty / "sub").mkdir(parents=True)
    (empty / "说明.pdf").write_bytes(b"%PDF-1.4")
    res = run("clean", str(empty), "-o", str(tmp_path / "out"))
    assert res.returncode == 2 and str(empty) in res.stderr and "no documents" in res.stderr
    assert not (tmp_path / "out").exists()


def test_an_unreachable_dask_scheduler_is_a_clear_error_within_ten_seconds(tmp_path):
    import socket
    import time

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    res = run("clean", str(RAW), "-o", str(tmp_path / "out"), "--engine", "dask",
              "--scheduler", f"tcp://127.0.0.1:{port}")
    assert res.returncode == 2 and f"127.0.0.1:{port}" in res.stderr and "Traceback" not in res.stderr
    assert time.monotonic() - started < 10 + 5  # the scheduler's 8 s, and the interpreter's start


def test_a_missing_input_is_a_one_line_error_naming_it(tmp_path):
    res = run("clean", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert res.returncode == 1
    assert "nope.txt" in res.stderr
    rec = json.loads((tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8"))
    assert rec["status"] == "error" and "nope.txt" in rec["error"]


def test_a_clean_run_stopped_with_ctrl_c_is_completed_by_the_next_run(tmp_path):
    import signal
    import time

    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for i in range(2000):  # distinct pages, so that the run lasts a few seconds even on 2 fast cores
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (src / f"page_{i:04d}.txt").write_text(text.replace("。", f"。（第{i}份）", 1), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "clean", str(src), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = out / ".manifest.journal.jsonl"
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the journal is written as soon as the first input is done
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode != 0, "the run ended before it could be interrupted"
    assert not (out / "manifest.jsonl").exists() and journal.exists()
    done = {json.loads(line)["source"] for line in journal.read_text(encoding="utf-8").splitlines() if line}
    assert 0 < len(done) < 2000

    res = run("clean", str(src), "-o", str(out), "--jobs", "2", "--format", "json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["inputs"] == 2000 and summary["skipped"] >= len(done) and summary["errors"] == 0
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["source"] for r in records} == {str(p) for p in src.glob("*.txt")}
    assert all((out / r["output"]).exists() for r in records)
    assert not journal.exists()


def test_clean_shows_what_it_removed_after_a_run_and_for_an_existing_outdir(tmp_path):
    out = tmp_path / "out"
    res = run("clean", str(RAW), "-o", str(out), "--show-removed")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    removed = (out / "removed.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(removed) + 1 and "删除文字" in lines[-1]  # then the summary
    [tag] = [ln for ln in lines if ln.endswith("[2016学校帮扶工作总结]")]
    assert tag.split("\t")[:2] == [str(RAW / "000_f06ec88fb457c14a.txt"), "#2"] and "网页杂项" in tag
    # A repaired mojibake stretch: as it stood, then what it became.
    assert any(ln.endswith("乱码修复 mojibake repaired\t?,F → 。現") for ln in lines)
    # Without inputs: only the listing of OUTDIR's removed.jsonl; as JSON lines with --format json.
    res = run("clean", "-o", str(out), "--show-removed", "--format", "json")
    assert res.returncode == 0 and [json.loads(ln) for ln in res.stdout.splitlines()] == [json.loads(ln) for ln in removed]
    res = run("clean", "-o", str(tmp_path / "nothing"), "--show-removed")
    assert res.returncode == 2 and "manifest.jsonl" in res.stderr
    res = run("clean", "-o", str(out))
    assert res.returncode == 2 and "INPUTS" in res.stderr
