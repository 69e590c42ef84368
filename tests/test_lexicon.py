"""The domain dictionary jieba loads (`summarizer/data/lexicon.txt`) and the script that builds it
(`corpus/build_lexicon.py`)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.analyse import segment
from summarizer.analyse.segment import split_sentences, words
from tests.conftest import ROOT, corpus_script

LEXICON = ROOT / "summarizer" / "data" / "lexicon.txt"
CLEAN = ROOT / "corpus" / "clean"
SHARED = ROOT.parent / "shared" / "corpus"
LINE = re.compile(r"(?P<term>[\u4e00-\u9fff]{2,8}) (?P<freq>[1-9]\d*) (?P<tag>[a-z]{1,2})")
EXAMPLES = ("结对帮扶", "学困生", "控辍保学", "两免一补", "建档立卡", "送教下乡")


@pytest.fixture(scope="module")
def build_lexicon() -> ModuleType:
    return corpus_script("build_lexicon")


@pytest.fixture(scope="module")
def terms() -> list[str]:
    return [line.split(" ")[0] for line in LEXICON.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt")))


@pytest.fixture(scope="module")
def official(build_lexicon) -> list[str]:
    return [t.term for t in build_lexicon.reviewed(build_lexicon.OFFICIAL)]


@pytest.fixture(scope="module")
def shared_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SHARED.rglob("*.txt")))


@pytest.fixture(scope="module")
def sentences(corpus_text, shared_text, official) -> list[str]:
    """Every distinct sentence of the cleaned corpus, as the segmenter splits paragraphs, and
    the official documents' sentences that hold an official-register term."""
    out = []
    for line in corpus_text.splitlines():
        out += [line[s:e] for s, e in split_sentences(line.strip())]
    for line in shared_text.splitlines():
        if any(term in line for term in official):
            out += [line[s:e] for s, e in split_sentences(line.strip()) if any(t in line[s:e] for t in official)]
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def cut(sentences):
    cache = {s: words(s) for s in sentences}
    return cache.__getitem__


def test_the_lexicon_is_sorted_term_freq_tag_lines_without_duplicates(terms):
    lines = LEXICON.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 300
    assert [line for line in lines if not LINE.fullmatch(line)] == []
    assert terms == sorted(set(terms))
    assert "结对帮扶" in terms and "学困生" in terms


def test_every_term_occurs_verbatim_in_its_corpus(terms, corpus_text, shared_text, official):
    assert [t for t in terms if t not in official and t not in corpus_text] == []
    assert [t for t in official if t not in shared_text] == []
    assert {"巩固拓展", "有效衔接"} <= set(terms) and set(official) <= set(terms)


def test_the_shipped_lexicon_is_what_the_build_script_makes(build_lexicon):
    assert build_lexicon.build() == LEXICON.read_text(encoding="utf-8")


def test_the_script_writes_where_asked_and_check_spots_a_stale_file(build_lexicon, tmp_path, capsys):
    out = tmp_path / "lexicon.txt"
    assert build_lexicon.main(["--out", str(out)]) == 0
    assert out.read_bytes() == LEXICON.read_bytes()
    assert build_lexicon.main(["--out", str(out), "--check"]) == 0
    out.write_text("结对帮扶 1 n\n", encoding="utf-8")
    assert build_lexicon.main(["--out", str(out), "--check"]) == 1
    assert "stale" in capsys.readouterr().err


def test_a_bad_reviewed_list_fails_the_build_listing_every_problem(build_lexicon, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(build_lexicon.THEMES, "test", [("n", "量子纠缠 结对帮扶 村小"), ("x", "学困生")])
    with pytest.raises(build_lexicon.LexiconError) as err:
        build_lexicon.build()
    message = str(err.value)
    assert "not in the corpus: 量子纠缠" in message
    assert "listed twice: 结对帮扶" in message
    assert "both reviewed and rejected: 村小" in message
    assert "unknown tag 'x' for 学困生" in message
    out = tmp_path / "lexicon.txt"
    assert build_lexicon.main(["--out", str(out)]) == 1
    assert "量子纠缠" in capsys.readouterr().err and not out.exists()


def test_frequencies_grow_with_corpus_counts_and_never_weaken_a_jieba_word(build_lexicon):
    assert build_lexicon.frequency(1) == 1000
    assert build_lexicon.frequency(2) == 2000
    assert build_lexicon.frequency(5) < build_lexicon.frequency(40)
    assert build_lexicon.frequency(1, known=1341) == 1341


def test_statistics_propose_terms_jieba_cuts_apart(build_lexicon):
    candidates = {c.term: c for c in build_lexicon.propose(build_lexicon.read_corpus())}
    assert {"结对帮扶", "控辍保学", "留守儿童", "薄弱学校", "班班通"} <= set(candidates)
    assert candidates["结对帮扶"].count == 93
    assert "学困生" not in candidates  # jieba's own dictionary already has it
    for c in build_lexicon.unreviewed(candidates.values()):
        assert c.term not in build_lexicon.REJECTED


def test_jieba_alone_cuts_the_examples_apart():
    import jieba

    plain = jieba.Tokenizer().lcut("落实控辍保学和两免一补政策，对建档立卡贫困户子女送教下乡。")
    assert "控辍保学" not in plain and "两免一补" not in plain and "送教下乡" not in plain


def test_with_the_lexicon_the_examples_stay_whole_in_every_corpus_sentence(sentences, cut):
    for term in EXAMPLES:
        found = [s for s in sentences if term in s]
        assert found, term
        assert [s for s in found if term not in cut(s)] == [], term


def test_nearly_every_term_stays_whole_in_the_sentences_it_comes_from(terms, sentences, cut):
    whole_somewhere = whole_first = 0
    occurrences = whole = 0
    for term in terms:
        kept = [term in cut(s) for s in sentences if term in s]
        whole_somewhere += any(kept)
        whole_first += kept[0]
        occurrences += len(kept)
        whole += sum(kept)
    assert whole_somewhere / len(terms) >= 0.98
    assert whole_first / len(terms) >= 0.9
    assert whole / occurrences >= 0.85  # the rest overlap another term: 结对帮扶|工作 vs 帮扶工作


def test_the_lexicon_is_loaded_once_per_process(monkeypatch):
    import jieba

    loaded: list[str] = []
    load_userdict = jieba.Tokenizer.load_userdict

    def counting(self, f):
        loaded.append(f)
        return load_userdict(self, f)

    monkeypatch.setattr(jieba.Tokenizer, "load_userdict", counting)
    monkeypatch.setattr(segment, "_TOKENIZER", None)
    threads = [threading.Thread(target=segment.tokenizer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tok = segment.tokenizer()
    assert segment.tokenizer() is tok
    assert len(loaded) == 1 and Path(loaded[0]).resolve() == LEXICON.resolve()
    assert "控辍保学" in segment.words("落实义务教育控辍保学责任")
