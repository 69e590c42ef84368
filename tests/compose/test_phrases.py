"""The phrase bank: corpus sentences as templates with typed slots, used only where the data fits."""

from __future__ import annotations

import json

import pytest

from summarizer.analyse.slots import extract_slots
from summarizer.compose.composer import compose
from summarizer.compose.phrases import Phrase, default_phrases, phrases_from, template_of
from summarizer.io.data_readers import load_data
from tests.conftest import ROOT

CORPUS_ROWS = [json.loads(line) for line in
               (ROOT / "summarizer" / "data" / "section_corpus.jsonl").read_text(encoding="utf-8").splitlines()]
EXAMPLES = sorted(p for p in (ROOT / "examples" / "data").iterdir() if p.suffix in (".yaml", ".json", ".xlsx"))


def phrase_of(sentence: str, label: str, kind: str, topic_text: str = ""):
    """The phrase the bank makes of one sentence of a `kind` article (`summary`: a 工作总结,
    `plan`: a 工作计划) under `label`, or None: the bank's public path on a one-sentence article
    (`topic_text` repeats the topic's words, as an article about it would)."""
    title = "工作总结" if kind == "summary" else "工作计划"
    lines, labels = [title, sentence], ["title", label]
    if topic_text:
        lines.append(topic_text)
        labels.append("signoff")  # the topic's words count, the line itself is no phrase
    found = phrases_from([("x", lines, labels)])
    return found[0] if found else None


def test_years_and_school_placeholders_become_slots():
    assert template_of("____年，我们继续坚持求真务实的原则，精心组织，周密实施。") == \
        "{year}年，我们继续坚持求真务实的原则，精心组织，周密实施。"
    assert template_of("201x年，我校与XXX小学结对帮扶。") == "{year}年，我校与{partner}结对帮扶。"


def test_another_schools_figures_and_dates_keep_a_sentence_out():
    assert template_of("自开展活动以来我校曾先后派____名教师到对方参观学习。") is None
    assert template_of("2009年12月6日至9日，我校一行赴对方学校参观学习。") is None
    assert template_of("沙溪小学向我校捐助电脑7台。") is None


def test_names_documents_list_items_and_back_references_keep_a_sentence_out():
    assert phrase_of("我校彭涛校长、张志浩老师一行赴沙溪小学参观学习，收获很大。", "measures", "summary") is None
    assert phrase_of("按照教体局工作安排，我们和建设街小学结为城乡帮扶互助学校。", "preamble", "summary") is None
    assert phrase_of("我校根据《关于开展结对帮扶工作的通知》精神开展工作。", "preamble", "summary") is None
    assert phrase_of("一是领导互访，了解帮扶工作实施情况，保证帮扶工作顺利开展。", "measures", "summary") is None
    assert phrase_of("对于该生起初会很困难，但要鼓励学生坚持到底。", "measures", "summary") is None


def test_what_a_phrase_presupposes_is_read_from_its_words():
    p = phrase_of("通过结对帮扶，对我们受助学校而言，收效颇丰，领导有了新的办学理念。", "results", "summary", "城乡 城区 农村 结对帮扶")
    assert {"partner", "receiving", "school_voice", "past", "topic:城乡"} <= p.needs
    assert "topic:贫困" not in p.needs  # 受助学校 is not 助学
    teacher = phrase_of("我计划以班级为单位开展主题班会，策划活动方案。", "measures", "plan")
    assert "teacher_voice" in teacher.needs and "past" not in teacher.needs
    assert teacher.mentions == {"班会"}


def test_a_purpose_clause_written_as_a_sentence_leads_into_the_next_one():
    p = phrase_of("为了尽快缩小我校与城区学校办学水平的差距，实现教育均衡发展，办人民满意的教育。", "organization", "summary")
    assert p.role == "purpose" and p.template.endswith("教育，")
    whole = phrase_of("为扎实推进帮扶工作，结合我校实际，特制定本方案。", "preamble", "plan")
    assert whole.role == "lead"


def test_the_bank_holds_corpus_wording_and_nothing_of_another_school():
    bank = default_phrases()
    assert len(bank) >= 80
    assert {p.label for p in bank} >= {"preamble", "organization", "measures", "results", "closing", "guiding"}
    lines = {r["stem"]: r["lines"] for r in CORPUS_ROWS}
    for p in bank:
        stem, line = p.source.split("#")
        source_line = lines[stem][int(line)]
        for part in p.template.replace("{partner}", "{year}").split("{year}"):
            assert part.rstrip("，。：") in source_line, p
        text = p.fill({"year": "2024", "partner": "某校"})
        report = extract_slots(text)
        assert not report.placeholders, p
        assert all(f.kind == "year" for f in report.figures), p
        for name in ("沙溪", "建设街", "皇甫", "孟勇", "民丰", "沙河"):
            assert name not in p.template


def test_the_bank_is_learned_not_listed():
    rows = [("a_01", ["某校城乡学校结对帮扶工作总结",
                      "我校与城区学校结对帮扶，坚持求真务实的原则，精心组织，周密实施。现将一年来的工作总结如下：",
                      "总之，我们以积极主动的工作态度，营造了良好的合作氛围。"],
             ["title", "preamble", "closing"])]
    bank = phrases_from(rows)
    assert [(p.label, p.role) for p in bank] == [("preamble", "opener"), ("preamble", "lead"), ("closing", "closing")]
    assert all(isinstance(p, Phrase) and p.source.startswith("a_01#") for p in bank)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_drafts_take_only_short_corpus_formulas_and_only_where_the_data_fits(path):
    """Whole corpus sentences carry other schools' facts; a draft takes only the formulas that
    lead into the body (`现将…总结如下：`), and only where the data makes them true."""
    data = load_data(path)
    draft = compose(data)
    for sentence, source in draft.phrases:
        assert sentence.rstrip("，") in draft.text
        phrase = next(p for p in default_phrases() if p.source == source and
                      p.fill({"year": "0", "partner": "0"}).split("0")[0] in sentence)
        assert phrase.role == "lead" and len(sentence) <= 30, sentence
        assert phrase.kind == ("summary" if data.kind == "工作总结" else "plan")


def test_other_seeds_choose_other_formulas():
    data = load_data(ROOT / "examples" / "data" / "jiedui_bangfu_2024.yaml")
    choices = {tuple(s for s, _ in compose(data, seed=seed).phrases) for seed in range(8)}
    assert len(choices) >= 2


def test_the_shipped_bank_is_the_one_the_corpus_gives():
    """`python -m summarizer.compose.phrases` regenerates summarizer/data/phrases.jsonl."""
    from summarizer.compose.phrases import corpus_phrases, to_jsonl

    shipped = (ROOT / "summarizer" / "data" / "phrases.jsonl").read_text(encoding="utf-8")
    assert shipped == to_jsonl(corpus_phrases())
    assert list(default_phrases()) == corpus_phrases()
