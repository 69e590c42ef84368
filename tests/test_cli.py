"""The command line as a user runs it, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import RAW


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, cwd=cwd)


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


def test_a_missing_input_is_a_one_line_error_naming_it(tmp_path):
    res = run("clean", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert res.returncode == 1
    assert "nope.txt" in res.stderr
    rec = json.loads((tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8"))
    assert rec["status"] == "error" and "nope.txt" in rec["error"]
