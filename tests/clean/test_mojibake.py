"""GBK mojibake repair (`repair_mojibake`) and the character model it scores with (`CharLM`).

The inputs are what the repair step receives in the pipeline: pinyin glosses already removed,
still traditional, punctuation not yet normalised.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.clean.mojibake import repair_mojibake
from summarizer.text.charlm import CharLM

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
GLOSS = re.compile(r"\((?:[a-zü]|[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])+\)")
# How the seed mojibake shows: private-use characters from GBK's user-defined area, and a `?`
# right before another mark, a Latin letter or a second `?`. A question mark that ends a
# question (`呢?我们`) is not mojibake.
MOJIBAKE_MARK = re.compile(r"[\ue000-\uf8ff]|[?？](?=[!-~？])")
NONE = {"mojibake_repaired": 0, "mojibake_guessed": 0}


def seed(prefix: str) -> str:
    """A seed page as the repair step gets it: glosses stripped."""
    return GLOSS.sub("", next(RAW.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def clean_lines() -> list[str]:
    """Every seed line without mojibake; the mojibake line of seed 002 split into sentences."""
    out = []
    for path in sorted(RAW.glob("*.txt")):
        for line in GLOSS.sub("", path.read_text(encoding="utf-8")).splitlines():
            parts = [line] if not MOJIBAKE_MARK.search(line) else line.split("。")
            out.extend(p for p in parts if p.strip() and not MOJIBAKE_MARK.search(p))
    return out


# --- the two examples of the issue, whole sentence in, whole sentence out --------------------

def test_lost_lead_byte_of_a_full_stop():
    # 。現將 = a1 a3|ac 46|8c a2: a1 lost (?), a3 ac read as ， (now `,`), 46 as F, then in step.
    assert repair_mojibake("縮短了城鄉差距?,F將此項工作情況總結如下") == (
        "縮短了城鄉差距。現將此項工作情況總結如下", {"mojibake_repaired": 1, "mojibake_guessed": 1})


def test_long_misaligned_run_with_a_lost_byte_at_each_end():
    # The page's own bytes are b9 c7|b8 c9|9e e9 for 骨干為 (the site mixed 干 into traditional
    # text), so the byte-true repair is 骨干為; t2s makes it 骨干为 like 骨幹為 would.
    # d0 lost (?), a3 bf read as ？ (now `?`), …, c4 2c invalid: c4 became `?`, `,` stayed.
    assert repair_mojibake("以學??蒲泄歉蔀楹诵?,進行學習交流") == (
        "以學校科研骨干為核心,進行學習交流", {"mojibake_repaired": 1, "mojibake_guessed": 2})


# --- the other seed-002 spans -----------------------------------------------------------------

@pytest.mark.parametrize(("mojibake", "repaired"), [
    # `?shù)` is a lost byte: the gloss of a phantom 數 (94 b5) whose 94 was 謹's trail byte.
    ("嚴明的校風、嚴謹?shù)慕田L、嚴格的學風", "嚴明的校風、嚴謹的教風、嚴格的學風"),
    ("要在當?shù)攸h委、政府和教育主管部門領導下", "要在當地黨委、政府和教育主管部門領導下"),
    # The private-use characters are GBK user-defined codes (ae a3, ac e9) the misread made:
    # with them no byte is missing and ，開 comes back whole.
    ("促進教師的科研能力??傊\ue17a\ue104_展活動以來,我們", "促進教師的科研能力。總之，開展活動以來,我們"),
    ("合作交流,聽取報告?;矢\ue6f1W校簡明新奇的課堂教學設計", "合作交流,聽取報告。皇甫學校簡明新奇的課堂教學設計"),
])
def test_other_seed_spans(mojibake: str, repaired: str):
    out, counts = repair_mojibake(mojibake)
    assert out == repaired
    assert counts == {"mojibake_repaired": 1, "mojibake_guessed": 1}


def test_seed_002_page_counts_and_leaves_no_mojibake():
    out, counts = repair_mojibake(seed("002"))
    assert counts == {"mojibake_repaired": 6, "mojibake_guessed": 7}
    assert not re.search(r"[?？\ue000-\uf8ff]", out)
    for fixed in ("差距。現將", "以學校科研骨干為核心,", "能力。總之，開展", "報告。皇甫學校", "嚴謹的教風",
                  "當地黨委"):
        assert fixed in out


@pytest.mark.parametrize("lost", ["\ufffd", "？", "?(shù)"])
def test_other_marks_of_a_lost_byte(lost: str):
    assert repair_mojibake(f"縮短了城鄉差距{lost},F將此項工作")[0] == "縮短了城鄉差距。現將此項工作"


def test_unrecoverable_spans_are_left_alone():
    # Without the private-use characters two bytes are missing in the middle, not marked.
    text = "促進教師的科研能力??傊_展活動以來,我們"
    assert repair_mojibake(text) == (text, NONE)


def test_a_model_can_be_passed_in():
    lm = CharLM.default()
    assert repair_mojibake("縮短了城鄉差距?,F將此項工作", lm)[0] == "縮短了城鄉差距。現將此項工作"


# --- clean text passes unchanged -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "计划书写有哪些要求呢?我们怎样才能写好一篇计划呢?",
    "计划书写有哪些要求呢？我们怎样才能写好一篇计划呢？那么下面我就给大家讲一讲",
    "你们准备好了吗??我们出发吧!",
    "真的吗???结对帮扶工作是一项非常好的举措。",
    "详见 http://www.example.com/list.php?id=3&page=2 的通知",
    "打开网址http://example.com/a?b=QQ群下载",
    "用A4纸打印,字号1.5倍行距,用Word排版,加入QQ群,安装led灯。",
    "学生人数增加了1.5倍?是的,从20人增加到50人。",
    "问题1?问题2?都要在Word文档里回答。",
    "____年____月?____日",
    "本站RAR压缩包中若带图纸,网页内容里面会有图纸预览,若没有图纸预览就没有图纸。",
])
def test_legitimate_text_is_unchanged(text: str):
    assert repair_mojibake(text) == (text, NONE)


def test_every_clean_seed_line_is_unchanged():
    lines = clean_lines()
    assert len(lines) > 600
    assert any("?" in line for line in lines)  # seed 004's real questions are among them
    for line in lines:
        assert repair_mojibake(line) == (line, NONE), line


def test_text_without_question_marks_costs_nothing():
    text = seed("003")
    assert repair_mojibake(text)[0] is text


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_slices_of_clean_lines_are_unchanged(data):
    line = data.draw(st.sampled_from(clean_lines()))
    i = data.draw(st.integers(0, len(line)))
    j = data.draw(st.integers(i, len(line)))
    assert repair_mojibake(line[i:j]) == (line[i:j], NONE)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_question_marks_between_clean_sentences_are_kept(data):
    # Harder than the seeds: a real question mark, then within a few characters Latin text, a
    # number or a blank, any of whose bytes could end a misread stretch.
    lines = [ln for ln in clean_lines() if 8 <= len(ln) <= 200]
    first = data.draw(st.sampled_from(lines)).rstrip("。")
    second = data.draw(st.sampled_from(lines))
    mark = data.draw(st.sampled_from(["?", "？", "??", "?!", "？？"]))
    at = data.draw(st.integers(0, min(6, len(second))))
    word = data.draw(st.sampled_from(["", "Word", "QQ群", "led", "A4", "____", "1.5", "WinRAR"]))
    text = first + mark + second[:at] + word + second[at:]
    assert repair_mojibake(text) == (text, NONE)


# --- idempotence ------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_repairing_repaired_text_changes_nothing(prefix: str):
    once, _ = repair_mojibake(seed(prefix))
    assert repair_mojibake(once) == (once, NONE)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_repair_is_idempotent_on_slices_through_mojibake(data):
    page = seed("002")
    spots = [m.start() for m in re.finditer(r"[?？]", page)]
    at = data.draw(st.sampled_from(spots))
    i = data.draw(st.integers(max(0, at - 30), at))
    j = data.draw(st.integers(at, min(len(page), at + 30)))
    once, _ = repair_mojibake(page[i:j])
    assert repair_mojibake(once) == (once, NONE)


# --- the character model ----------------------------------------------------------------------

def test_default_model_is_built_once():
    assert CharLM.default() is CharLM.default()


def test_model_prefers_chinese_to_mojibake_and_reads_traditional_as_simplified():
    lm = CharLM.default()
    assert lm.logprob("以學校科研骨幹為核心") > lm.logprob("以學??蒲泄歉蔀楹诵") + 50
    assert lm.logprob("城鄉學校結對幫扶") == pytest.approx(lm.logprob("城乡学校结对帮扶"))
    scores = lm.scores("差距。現將")
    assert len(scores) == 5 and all(s < 0 for s in scores)


def test_model_trains_on_given_texts(tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("学校 100 n\n帮扶 50 v\n", encoding="utf-8")
    lm = CharLM.from_texts(["学校帮扶工作。"], words)
    assert lm.logprob("学校帮扶") > lm.logprob("校学扶帮")


def test_the_shipped_counts_are_the_ones_the_corpus_gives():
    """`python corpus/build_charlm.py` regenerates summarizer/data/charlm_corpus.json."""
    from tests.conftest import ROOT, corpus_script

    module = corpus_script("build_charlm")
    if not module.official_paths():
        pytest.skip("../shared/corpus is not beside the checkout")
    assert (ROOT / "summarizer" / "data" / "charlm_corpus.json").read_text(encoding="utf-8") == module.build()
