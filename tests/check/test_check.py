"""The duplication check: normalisation, alignment, the SQLite index, and whole checks on seed text."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.check.align import align
from summarizer.check.checker import Submission, check, clusters
from summarizer.check.index import ReferenceIndex
from summarizer.check.normalize import SYNONYMS, normalize
from tests.conftest import ROOT

CLEAN = ROOT / "corpus" / "clean"


def article(stem: str) -> str:
    return (CLEAN / f"{stem}.txt").read_text(encoding="utf-8")


A = article("000_f06ec88fb457c14a_d0d93e8b_01")
B = article("004_3e8b8ef1052bef1e_ed7069e0_02")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    db = tmp_path_factory.mktemp("index") / "ref.db"
    with ReferenceIndex(db) as idx:
        docs = [(p.stem, str(p), p.read_text(encoding="utf-8").split("\n", 1)[0], p.read_text(encoding="utf-8"))
                for p in sorted(CLEAN.glob("*.txt"))]
        assert idx.add_many(docs) == (27, 0)
    idx = ReferenceIndex(db)
    yield idx
    idx.close()


# --- normalisation ----------------------------------------------------------------------------

def test_normalisation_drops_what_copies_change():
    n = normalize("在____年，我校开展“结对帮扶”工作。")
    assert n.text == "在#年我校开展结对帮扶工作"
    assert normalize("在2023年,我校開展結對幫扶工作!").text == n.text  # filled in, traditional, ASCII marks
    assert normalize("我校展开结对援助事情").text == n.text[3:]  # synonym-spun
    assert normalize("xx县XXX小学20xx年").text == "#县#小学#年"


def test_no_canonical_word_is_a_synonym_so_canonicalising_ends():
    from summarizer.check.normalize import _CANONICAL

    assert not set(_CANONICAL) & set(_CANONICAL.values())
    assert normalize("展展開").text == normalize(normalize("展展開").text).text


def test_every_synonym_group_keeps_lengths():
    for group in SYNONYMS:
        assert len({len(w) for w in group}) == 1, group
        assert len(set(normalize("".join(group)).text)) <= len(group[0]) + 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("学校開展工作帮扶援助____2023年xX，。、 \nabc教化")), max_size=80))
def test_normalised_characters_point_back_into_the_text(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(n.starts.tolist(), n.ends.tolist()))
    assert list(n.starts) == sorted(n.starts)  # order kept
    # Nothing of the text is lost but blanks and punctuation: every Han character is represented.
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert sum("\u4e00" <= c <= "\u9fff" for c in n.text) == len(han)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("学校開展工作帮扶援助教化____2023年，。、 \n")), max_size=80))
def test_normalisation_is_idempotent_on_chinese_text(text):
    # (Latin letters are lower-cased, so `X X` becomes `xx`, which reads as a placeholder.)
    once = normalize(text).text
    assert normalize(once).text == once


# --- alignment --------------------------------------------------------------------------------

def test_one_copied_paragraph_with_a_name_changed_is_one_passage():
    para = A.split("\n")[7]
    copy = "今年我们做了很多事情。" + para.replace("彭涛", "李明刚") + "这是新写的一句话。"
    a, b = normalize(copy), normalize(A)
    passages = align(a.text, b.text)
    assert len(passages) == 1
    start, end = a.span(passages[0].a_start, passages[0].a_end)
    assert abs(start - copy.index(para[:5])) <= 2 and abs(end - (copy.index("这是新写")) ) <= 2
    assert passages[0].similarity > 0.97


def test_stretches_shorter_than_the_minimum_are_not_matches():
    a = normalize("我校高度重视这项工作认真落实")  # 13 normalised characters shared at most 12
    b = normalize("领导高度重视这项工作认真落实了")
    assert align(a.text, b.text, min_len=13) == []
    assert len(align(a.text, b.text, min_len=10)) == 1


# --- the index ----------------------------------------------------------------------------------

def test_index_survives_reopening_and_skips_known_texts(index, tmp_path):
    assert len(index) == 27
    with ReferenceIndex(index.path) as again:
        assert len(again) == 27
        assert again.add_many([("dup", "x", "t", A)]) == (0, 1)


def test_a_reader_sees_a_consistent_state_while_another_process_writes(tmp_path):
    db = tmp_path / "live.db"
    with ReferenceIndex(db) as idx:
        idx.add_many([("a", "a", "a", A)])
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from summarizer.check.index import ReferenceIndex
        idx = ReferenceIndex({str(db)!r})
        idx.db.execute("BEGIN IMMEDIATE")
        idx.db.execute("INSERT INTO documents(name, source, title, text, sha256, signature, shingles, added)"
                       " VALUES('half', 'x', 't', 'half-written', 'h', x'00', 0, 'now')")
        print("inside", flush=True)
        sys.stdin.readline()
        idx.db.execute("COMMIT")
        print("done", flush=True)
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "inside"
    with ReferenceIndex(db) as reader:
        assert len(reader) == 1  # the open transaction is invisible, and the reader is not blocked
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "done"
        assert len(reader) == 2
    writer.wait(timeout=30)


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    from summarizer.check.index import IndexFileError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(IndexFileError, match="bad.db"):
        ReferenceIndex(bad)


# --- whole checks -------------------------------------------------------------------------------

def test_a_report_assembled_from_two_seed_articles_is_matched_at_those_places(index):
    pa = A.split("\n")[7]
    pb = B.split("\n")[4]
    new1 = "本学年我校在上级部门的关心下顺利完成了各项任务，师生面貌焕然一新。"
    new2 = "下面结合我校的实际情况谈几点具体的认识和今后的打算，请领导批评指正。"
    new3 = "我们将继续努力把工作做得更好更实更细。"
    report = "\n".join([new1, pa, new2, pb, new3]) + "\n"
    run = check([Submission("r.txt", "r", report)], index)
    r = run.reports[0]
    assert len(r.matches) == 2
    for m, para, stem in zip(r.matches, (pa, pb), ("000_f06", "004_3e8")):
        assert abs(m.start - report.index(para)) <= 2 and abs(m.end - (report.index(para) + len(para))) <= 2
        assert m.source.startswith(stem)
        assert m.similarity > 0.95
        src = article(m.source)
        assert src[m.source_start:m.source_end][:10] == para[:10]
    expected = (len(pa) + len(pb)) / len(report.replace("\n", ""))
    assert r.duplicate_ratio == pytest.approx(expected, abs=0.02)
    assert r.band == "大量套用"


def copied_share(report: str, original_len: int, r) -> float:
    return sum(m.end - m.start for m in r.matches) / original_len


def test_traditional_and_spun_copies_are_found(index):
    body = "\n".join(B.split("\n")[1:]) + "\n"
    traditional = opencc.OpenCC("s2t").convert(body)
    spun = body
    for canonical, *variants in SYNONYMS[:8]:
        spun = spun.replace(canonical, variants[0])
    assert spun != body and traditional != body
    run = check([Submission("trad.txt", "t", traditional), Submission("spun.txt", "s", spun)], index, between=False)
    for r in run.reports:
        assert r.duplicate_ratio >= 0.80, r.file
        assert {m.source for m in r.matches} >= {"004_3e8b8ef1052bef1e_ed7069e0_02"}


def test_an_original_text_scores_below_five_percent(index):
    own = ("今年春天，我们学校的老师带着孩子们去河边种下了一排柳树，每个班认领一棵，写上名字。"
           "孩子们每周轮流去浇水，记录树的高度，画成图表贴在教室后面。到了秋天，柳树长高了半米，"
           "孩子们用这些记录写了小作文，有的还做成了手抄报。家长会上，家长们看了都很感动。\n")
    r = check([Submission("own.txt", "own", own)], index).reports[0]
    assert r.duplicate_ratio < 0.05 and r.band == "原创为主"


def test_reports_copying_each_other_form_a_cluster(index):
    shared = B.split("\n")[8]
    a = "甲校今年开展了读书节活动，全校师生共读经典，效果良好。\n" + shared + "\n"
    b = "乙校组织教师外出学习，回校后上了汇报课，反响热烈。\n" + shared + "\n"
    c = "丙校的食堂改造完成，学生吃上了热乎饭菜，家长非常满意。\n"
    run = check([Submission("a.txt", "a", a), Submission("b.txt", "b", b), Submission("c.txt", "c", c)])
    assert run.clusters == [["a.txt", "b.txt"]]
    assert [m.source for m in run.reports[0].matches] == ["b.txt"]
    assert run.reports[0].matches[0].source_kind == "submission"


def test_clusters_are_connected_components():
    assert clusters([("a", "b"), ("c", "b"), ("d", "e")]) == [["a", "b", "c"], ["d", "e"]]


def test_check_command_reports_an_unreadable_file_and_goes_on(index, tmp_path):
    good = tmp_path / "copy.txt"
    good.write_text(B, encoding="utf-8")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    out = subprocess.run([sys.executable, "-m", "summarizer", "check", str(good), str(bad), "--db", str(index.path),
                          "--format", "json"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert out.returncode == 1, out.stderr  # an input failed; the others were checked
    import json

    rows = {r["file"].rsplit("/", 1)[-1]: r for r in json.loads(out.stdout)}
    assert rows["copy.txt"]["duplicate_ratio"] > 0.9 and rows["copy.txt"]["matches"]
    assert rows["broken.txt"]["error"] and "broken.txt" in rows["broken.txt"]["error"]
    assert "broken.txt" in out.stderr


def test_check_command_end_to_end_with_glossed_traditional_copy(index, tmp_path):
    # A traditional copy with pinyin glosses, as scraped pages carry them, saved in Big5.
    body = "\n".join(A.split("\n")[1:8]) + "\n"
    traditional = opencc.OpenCC("s2t").convert(body)
    glossed = traditional.replace("學校", "學(xué)校", 2).replace("幫扶", "幫(bāng)扶", 2)
    copy = tmp_path / "抄袭.txt"
    copy.write_bytes(glossed.encode("big5", errors="ignore"))
    own = tmp_path / "原创.txt"
    own.write_text("我们班今年种了一排柳树，孩子们每周轮流浇水，记录树的高度，画成图表贴在教室后面。\n",
                   encoding="utf-8")
    html, xlsx = tmp_path / "报告.html", tmp_path / "结果.xlsx"
    out = subprocess.run([sys.executable, "-m", "summarizer", "check", str(copy), str(own), "--db", str(index.path),
                          "--report", str(html), "--xlsx", str(xlsx)], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    copied = next(ln for ln in lines if "抄袭.txt" in ln)
    assert "大量套用" in copied and "000_f06ec88fb457c14a_d0d93e8b_01" in copied
    assert float(copied.split("%")[0]) >= 80
    assert "原创为主" in next(ln for ln in lines if "原创.txt" in ln)
    page = html.read_text(encoding="utf-8")
    assert "<mark" in page and "抄袭.txt" in page
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb["汇总"].max_row == 3 and wb["匹配"].max_row >= 2


def test_check_command_refuses_bands_that_do_not_increase(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(B, encoding="utf-8")
    for bands in ("0.5,0.2", "x", "0.1,1.5"):
        out = subprocess.run([sys.executable, "-m", "summarizer", "check", str(report), "--no-index",
                              "--bands", bands], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
        assert out.returncode == 2 and f"--bands {bands}" in out.stderr
