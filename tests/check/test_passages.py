"""Passage recall, common phrases, the refusal of a missing or empty index, and exit codes.

Real SQLite files and the real command line (a subprocess); the reports are built from the
seed articles of `corpus/clean`.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.check.checker import Submission, check
from summarizer.check.fingerprint import GUARANTEE, winnow
from summarizer.check.index import IndexMissing, ReferenceIndex
from tests.conftest import ROOT

CLEAN = ROOT / "corpus" / "clean"
SEED_003_12 = CLEAN / "003_aa8f4e545c546013_1d2e341b_12.txt"
# The 70-character paragraph of seed 003's 12th article that the old check never found.
PARAGRAPH = next(line for line in SEED_003_12.read_text(encoding="utf-8").split("\n")
                 if line.startswith("首先我校将在新课程改革"))
OWN = ("今年春天，我们学校的老师带着孩子们去河边种下了一排柳树，每个班认领一棵，写上名字。"
       "孩子们每周轮流去浇水，记录树的高度，画成图表贴在教室后面。到了秋天，柳树长高了半米。")
OWN2 = "家长会上，家长们看了孩子们的观察日记都很感动，有的家长还主动报名参加了下学期的护绿小队。"
SLOGAN = "以习近平新时代中国特色社会主义思想为指导"


def docs_of(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    return [(p.stem, str(p), p.read_text(encoding="utf-8").split("\n", 1)[0], p.read_text(encoding="utf-8"))
            for p in paths]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("passages") / "seeds.db"
    with ReferenceIndex(db) as idx:
        idx.add_many(docs_of(sorted(CLEAN.glob("*.txt"))))
    return db


def cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SUMMARIZER_DB", "SUMMARIZER_DATA")}
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env={**base, "PYTHONPATH": str(ROOT), **(env or {})})


def covered(report: str, matches, part: str) -> float:
    """Share of `part`'s non-punctuation characters inside the matches."""
    start = report.index(part)
    inside = [False] * len(report)
    for m in matches:
        for i in range(m.start, m.end):
            inside[i] = True
    chars = [i for i in range(start, start + len(part)) if report[i].isalnum()]
    return sum(inside[i] for i in chars) / len(chars)


# --- the winnowing guarantee ----------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("学校教师帮扶工作计划开展活动提高质量我们的一二三")), min_size=0, max_size=60),
       st.text(alphabet=st.sampled_from(list("学校教师帮扶工作计划开展活动提高质量我们的一二三")), min_size=0, max_size=60),
       st.text(alphabet=st.sampled_from(list("学校教师帮扶工作计划开展活动提高质量我们的一二三四五")),
               min_size=GUARANTEE, max_size=40),
       st.text(alphabet=st.sampled_from(list("东南西北上下左右前后")), min_size=0, max_size=60))
def test_any_shared_run_of_13_characters_shares_a_fingerprint(left, right, shared, other):
    a = left + shared + right
    b = other + shared + left[::-1]
    keys_a, _ = winnow(a)
    keys_b, _ = winnow(b)
    assert set(keys_a.tolist()) & set(keys_b.tolist())


# --- passage recall -------------------------------------------------------------------------------

def test_a_single_copied_paragraph_is_found_alone_and_inside_a_report(seed_db):
    assert len(PARAGRAPH) >= 30
    inside = OWN + "\n" + PARAGRAPH + "\n" + OWN2 + "\n"
    with ReferenceIndex(seed_db, create=False) as idx:
        run = check([Submission("alone.txt", "", PARAGRAPH), Submission("inside.txt", "", inside)], idx,
                    between=False)
    alone, within = run.reports
    for r, text in ((alone, PARAGRAPH), (within, inside)):
        refs = [m for m in r.matches if m.source_kind == "reference"]
        assert {m.source for m in refs} == {SEED_003_12.stem}
        assert covered(text, refs, PARAGRAPH) == 1.0
        assert covered(text, refs, OWN) == 0.0 if text is inside else True
    assert alone.index_ratio > 0.97 and alone.duplicate_ratio == alone.index_ratio
    expected = len(PARAGRAPH) / len(inside.replace("\n", ""))
    assert within.index_ratio == pytest.approx(expected, abs=0.02)


def test_web_punctuation_and_changed_characters_do_not_hide_a_copy(seed_db):
    web = PARAGRAPH.replace("，", ",").replace("。", ".").replace("、", ",")
    # Changed characters, the first three characters from the start: extension wins the three back.
    changed = PARAGRAPH.replace("我校", "我院", 1).replace("经验", "经历", 1)
    report = OWN + "\n" + web + "\n" + OWN2 + "\n" + changed + "\n"
    with ReferenceIndex(seed_db, create=False) as idx:
        r = check([Submission("web.txt", "", report)], idx).reports[0]
    assert covered(report, r.matches, web) == 1.0
    assert covered(report, r.matches, changed) >= 0.97
    assert covered(report, r.matches, OWN2) == 0.0


def test_paragraphs_of_three_seed_articles_are_each_found(seed_db):
    rng = random.Random(3)
    picks = []
    for path in rng.sample(sorted(CLEAN.glob("*.txt")), 3):
        lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if 40 <= len(ln) <= 200]
        picks.append(rng.choice(lines))
    report = "\n".join([OWN, picks[0], OWN2, picks[1], picks[2]]) + "\n"
    with ReferenceIndex(seed_db, create=False) as idx:
        r = check([Submission("mosaic.txt", "", report)], idx).reports[0]
    for para in picks:
        assert covered(report, r.matches, para) >= 0.97, para
    assert covered(report, r.matches, OWN) == 0.0


# --- common phrases -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slogan_db(tmp_path_factory) -> Path:
    """Twelve seed articles, each with the same slogan added: it stands in 12 documents."""
    db = tmp_path_factory.mktemp("slogan") / "slogan.db"
    docs = [(n, s, t, text.replace("\n", f"\n我们坚持{SLOGAN}，", 1))
            for n, s, t, text in docs_of(sorted(CLEAN.glob("*.txt"))[:12])]
    with ReferenceIndex(db) as idx:
        idx.add_many(docs)
    return db


def test_a_slogan_in_many_documents_is_a_common_phrase_not_copying(slogan_db):
    report = f"本学期我校全体教师{SLOGAN}，扎扎实实地做好了每一项帮扶工作。\n" + OWN + "\n"
    with ReferenceIndex(slogan_db, create=False) as idx:
        counted = check([Submission("r.txt", "", report)], idx, common_df=0).reports[0]
        r = check([Submission("r.txt", "", report)], idx).reports[0]
    assert counted.index_ratio > 0.1  # without the rule the slogan is a match
    assert r.index_ratio == 0 and r.duplicate_ratio == 0 and not r.matches
    (common,) = r.common
    assert SLOGAN in common.text and common.documents == 12


def test_a_quoted_policy_title_is_a_common_phrase(seed_db):
    title = "《关于开展城乡学校结对帮扶工作的实施意见》"
    report = f"根据{title}的要求，我校与城区学校结成对子。\n" + OWN + "\n"
    source = f"（二）工作依据。{title}。\n"
    with ReferenceIndex(seed_db, create=False) as idx:
        run = check([Submission("a.txt", "", report), Submission("b.txt", "", source)], idx)
    a = run.reports[0]
    assert a.duplicate_ratio == 0 and len(a.common) == 1 and title[1:-1] in a.common[0].text
    assert run.clusters == []


def test_clusters_name_the_passages_that_link_them(seed_db, tmp_path):
    a, b = tmp_path / "甲校.txt", tmp_path / "乙校.txt"
    a.write_text("甲校总结\n" + OWN + "\n" + OWN2 + "\n", encoding="utf-8")
    b.write_text("乙校总结\n今年我们开展了读书节活动，师生共读经典。\n" + OWN2 + "\n", encoding="utf-8")
    out = cli("check", str(a), str(b), "--db", str(seed_db))
    assert out.returncode == 0, out.stderr
    assert "互相抄袭" in out.stdout and OWN2[:20] in out.stdout
    rows = {Path(r["file"]).name: r for r in json.loads(cli("check", str(a), str(b), "--db", str(seed_db),
                                                             "--format", "json").stdout)}
    assert rows["甲校.txt"]["batch_ratio"] > 0.3 and rows["甲校.txt"]["index_ratio"] == 0
    assert [Path(s["source"]).name for s in rows["甲校.txt"]["batch_sources"]] == ["乙校.txt"]


# --- no silent zero: refusal and exit codes -------------------------------------------------------

def test_opening_for_a_check_never_creates_the_index(tmp_path):
    missing = tmp_path / "nowhere" / "index.db"
    with pytest.raises(IndexMissing, match="nowhere"):
        ReferenceIndex(missing, create=False)
    assert not missing.parent.exists()


def test_check_refuses_a_missing_index(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(OWN + "\n", encoding="utf-8")
    missing = tmp_path / "none.db"
    out = cli("check", str(report), "--db", str(missing))
    assert out.returncode == 2 and out.stdout == ""
    assert str(missing) in out.stderr and "参考库不存在" in out.stderr and "does not exist" in out.stderr
    assert not missing.exists()
    assert cli("check", str(report), "--db", str(missing), "--no-index").returncode == 0


def test_check_refuses_an_empty_index(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SEED_003_12.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty.db"
    ReferenceIndex(empty).close()
    out = cli("check", str(report), "--db", str(empty), "--format", "json")
    assert out.returncode == 2 and out.stdout == ""
    assert "参考库是空的" in out.stderr and "empty" in out.stderr


def test_exit_codes(seed_db, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(OWN + "\n" + PARAGRAPH + "\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    ok = cli("check", str(good), "--db", str(seed_db), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    failed = cli("check", str(good), str(empty), "--db", str(seed_db), "--format", "json")
    assert failed.returncode == 1
    rows = {Path(r["file"]).name: r for r in json.loads(failed.stdout)}
    assert rows["good.txt"]["index_ratio"] > 0.3 and rows["empty.txt"]["error"]
    assert "empty.txt" in failed.stderr
    assert cli("check", str(good), "--db", str(tmp_path / "missing.db")).returncode == 2


def test_the_default_index_is_in_the_user_data_folder_whatever_the_directory(tmp_path):
    data, elsewhere, other = tmp_path / "data", tmp_path / "elsewhere", tmp_path / "other"
    elsewhere.mkdir()
    other.mkdir()
    env = {"SUMMARIZER_DATA": str(data)}
    built = cli("index", "corpus", cwd=elsewhere, env=env)
    assert built.returncode == 0, built.stderr
    assert (data / "index.db").is_file() and not list(elsewhere.iterdir())
    report = other / "r.txt"
    report.write_text(OWN + "\n" + PARAGRAPH + "\n", encoding="utf-8")
    out = cli("check", str(report), "--format", "json", cwd=other, env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["index_ratio"] > 0.3
    named = tmp_path / "named.db"  # $SUMMARIZER_DB wins over the folder
    refused = cli("check", str(report), cwd=other, env={**env, "SUMMARIZER_DB": str(named)})
    assert refused.returncode == 2 and str(named) in refused.stderr and not named.exists()
