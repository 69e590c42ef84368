"""The phrase bank: corpus sentences of each section label, turned into templates with typed slots.

Every sentence of the labelled corpus is a candidate. The slot extractor (`analyse/slots.py`)
finds its placeholders and figures: a year (`____年`, `201x年`, `2024年`) becomes the slot
`{year}`, a school placeholder (`____中学`, `XXX小学`) the slot `{partner}`; any other figure or
placeholder is some other school's fact, and the sentence is left out, as is a sentence that names
a person, a place or a particular school (jieba's part-of-speech tags and the school-name rule
below), cites a document (`《…》`), or opens a numbered list item. What remains says how reports
of that kind word a section, not what happened at one school.

Each phrase also records what it presupposes, read from its words: a partner school (`两校`,
`对方`, `结对`), the receiving or the supporting side (`受援`, `支教`), a topic (`学困生`,
`贫困生`, `城乡`), the school's voice (`我校`, `我们`) or a teacher's (`我`), and the kind of
document it came from (a summary's past tense does not fit a plan). The composer takes a phrase
only where the data makes every one of these true and fills every slot from the data, so a phrase
never states anything the user did not give.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from summarizer.analyse.segment import heading_marker, split_sentences
from summarizer.analyse.slots import extract_slots

# The topics a phrase can presuppose, by the words that name them in a text.
TOPIC_WORDS = {"城乡": ("城乡", "城区", "农村", "结对帮扶"), "学困生": ("学困生", "后进生", "差生"),
               "贫困": ("扶贫", "贫困", "资助", "助学", "家庭经济困难", "困难学生", "特困生")}

# Part-of-speech tags of names (person, place, organisation) in jieba's tagger.
_NAME_TAGS = {"nr", "ns", "nt", "nrt", "nrfg", "nz"}
# Words jieba tags as names that are common report vocabulary.
_NOT_NAMES = {"周密", "城镇", "师生", "友谊", "美丽", "齐全", "农耕", "顾全大局", "隆重举行", "普及", "新建",
              "小学生", "初中生", "普通高中", "党委政府", "人民政府", "联谊会", "中小学", "城乡", "教体局",
              "教育局", "幼儿园", "全县", "全镇", "本校", "学困生", "贫困生", "帮扶", "结对", "专题讲座",
              "均衡发展", "义务教育"}
# A school named by what it is, not by which one it is.
_SCHOOL = re.compile(r"([\u4e00-\u9fff]{1,6}?)(?:中心小学|中心学校|小学|中学|学校|幼儿园)")
_GENERIC_SCHOOL = ("城区", "农村", "薄弱", "受援", "受助", "支援", "帮扶", "结对", "兄弟", "先进", "乡村", "城镇",
                   "两", "各", "本", "我", "对方", "优质", "高质量", "公办", "城乡", "其他", "示范", "重点",
                   "中", "小", "的", "所", "互助", "被帮扶", "农村薄弱", "中小", "义务教育", "向")
_SCHOOL_SUFFIX = re.compile(r"中心学校|中心小学|学校|小学|中学")
_ENDS_WITH_SCHOOL = re.compile(f"(?:{_SCHOOL_SUFFIX.pattern})$")
_LIST_OPENER = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[)）、.．，,]|"
                          r"第[一二三四五六七八九十]+[，,、]|首先|其次|再次|最后|另外|例如|如)")
# Openers that lean on the sentence before, and words that point back to someone named before.
_DEPENDENT = re.compile(r"^(?:从而|并|因此|同时|而|这|那|由此|一旦|所以|但|也|以此|结果|此外|比如|虽然|其|对于|"
                        r"据|在此|针对这|为此|接着|然后|还|再|又|即|使|以|有效地|进一步)")
_ANAPHORA = ("该生", "这名", "这几个", "这部分", "这些", "这个", "这种", "这样", "上述", "他", "她", "它", "此项",
             "本制度", "本方案", "结论", "背景")
# What a report does, by the words it is done with: a phrase naming one of these says the school
# did it, so it is used only where the data has such an activity.
ACTIVITY_WORDS = ("公开课", "示范课", "讲座", "互访", "听课", "评课", "教研", "捐", "家访", "送教", "支教", "跟岗",
                  "座谈", "家长会", "班会", "心理", "补习", "辅导", "网站", "平台", "档案", "信息库", "数据库",
                  "培训", "交流轮岗", "欢送", "资助", "补助", "营养", "学籍", "宿舍", "周转房", "职称", "图书",
                  "微信", "书信", "网络", "表彰", "手拉手", "结对子", "走访", "资金", "免除", "减免")
# A county's or bureau's voice (`各校要…`, `加大县级财政投入`), or a body the data never names
# (`学习辅导中心将…`): not what a school writes of itself.
_BUREAU = re.compile(r"各校|各学校|全局|全县|全乡|全镇|全区|各乡镇|县级|县域|市教育局|县教育局|党员干部|困难群众|"
                     r"村集体|贫困户|两级|政府|我镇|我县|我市|我区|我乡|职业教育|学前教育|中心(?!学校|小学|校)")
# Spans of time the data does not state (`几年来` in a one-year summary).
_SPAN = re.compile(r"几年来|近几年|多年来|近年来|[二三四五六七八九十两]年来")
# Sentences a reader of the bank took out, with the reason: the corpus's own slips.
READ_AND_REJECTED = {
    "基础打得不够扎实，记忆力差，家长不够重视其学习等等综合素。": "cut off in the source (综合素质)",
    "本学期利用假期走访，我不但了解了每个学困生的特点，而且认真的分析了学困生形成的原因.并且制定了“学困生工作计划”。":
        "two sentences run together by an ASCII full stop",
    "作为老师，应尊重他们，进可能地去发现他们的闪光点，爱他们，爱是具体的，渗透在对学生的一言一行中，慢慢地去感动、感化学生。":
        "typo in the source (进可能 for 尽可能)",
}
_TEACHER_I = re.compile(r"我(?![校们镇县区乡市国省])")
# Words that presuppose facts; (need, words).
_NEEDS = (
    ("one_partner", ("两校", "双方", "两所学校")),
    ("partner", ("对方", "结对", "互访", "帮扶学校", "支援学校", "受援学校", "城区学校", "城镇学校", "兄弟学校",
                 "先进学校", "两校", "双方")),
    ("receiving", ("受援", "受助", "受帮扶", "缩小我校", "向先进学校学习", "薄弱学校", "虚心")),
    ("supporting", ("支教", "送教")),
    ("topic:城乡", ("城乡", "城区", "农村")),
    ("topic:学困生", ("学困生", "后进生", "帮教")),
    ("topic:贫困", ("贫困", "家庭经济困难", "扶贫", "资助", "爱心助学", "助学金", "困难学生", "困难生")),
    ("past", ("总结如下", "一年来", "以来", "取得了", "收效", "有了")),
)


@dataclass(frozen=True)
class Phrase:
    """One corpus sentence as a template.

    `template` holds `{year}` and `{partner}` where the sentence had a year or a school
    placeholder; `needs` the facts it presupposes; `role` where it stands: `lead` ends a preamble
    (`现将…总结如下：`, `特制定本方案。`), `opener` opens a section of its label, `closing` ends the
    document; `source` is `<article stem>#<line>` in the corpus.
    """

    label: str
    template: str
    needs: frozenset[str]
    role: str
    kind: str  # "summary" or "plan": the kind of the article it came from
    source: str
    mentions: frozenset[str] = frozenset()  # ACTIVITY_WORDS it names

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(re.findall(r"\{(\w+)\}", self.template))

    def fill(self, values: dict[str, str]) -> str:
        return self.template.format(**{s: values[s] for s in self.slots})


def _names(sentence: str) -> list[str]:
    """Names of people, places and particular schools in a sentence."""
    from summarizer.analyse.segment import tokenizer

    tagger = _tagger(tokenizer())
    found = [w for w, flag in tagger.cut(sentence) if flag in _NAME_TAGS and len(w) > 1 and w not in _NOT_NAMES]
    for m in _SCHOOL.finditer(sentence):
        prefix = m.group(1)
        if not prefix.endswith(_GENERIC_SCHOOL) and "{partner}" not in sentence[max(0, m.start() - 9):m.end()]:
            found.append(m.group())
    return found


@lru_cache(maxsize=1)
def _tagger(tok):
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tok)


def template_of(sentence: str) -> str | None:
    """The sentence with its years and school placeholders as slots, or None when it carries any
    other figure or placeholder (another school's facts)."""
    report = extract_slots(sentence)
    spans: list[tuple[int, int, str]] = []
    for slot in report.placeholders:
        if slot.kind == "year":
            spans.append((slot.start, slot.end, "{year}年" if sentence[slot.end - 1:slot.end] == "年" else "{year}"))
        elif slot.kind == "name" and _ENDS_WITH_SCHOOL.search(slot.text):
            spans.append((slot.start, slot.end, "{partner}"))  # `XXX小学`, `____中学`
        elif slot.kind == "name" and (school := _SCHOOL_SUFFIX.match(sentence, slot.end)):
            spans.append((slot.start, school.end(), "{partner}"))
        else:
            return None
    for fig in report.figures:
        if fig.kind == "year":
            spans.append((fig.start, fig.end, "{year}年" if fig.text.endswith("年") else "{year}"))
        else:
            return None
    out = sentence
    for start, end, slot in sorted(spans, reverse=True):
        out = out[:start] + slot + out[end:]
    if re.search(r"[_＿xX×*＊]{2,}|\d", out.replace("{year}", "").replace("{partner}", "")):
        return None
    return out


def _needs(text: str, kind: str) -> frozenset[str]:
    needs = {need for need, words in _NEEDS if any(w in text for w in words)}
    if "{partner}" in text:
        needs.add("partner")
    if _TEACHER_I.search(text):
        needs.add("teacher_voice")
    elif re.search(r"我校|我们|学校|本校", text):
        needs.add("school_voice")
    if kind == "plan":
        needs.discard("past")
    return frozenset(needs)


def _kind_of(title: str) -> str:
    return "plan" if re.search(r"计划|方案|安排|要点", title) else "summary"


def phrases_from(articles: list[tuple[str, list[str], list[str]]]) -> list[Phrase]:
    """The phrase bank of (stem, lines, labels) articles, line 0 being the title; each distinct
    template once, at its first place in the corpus."""
    bank: dict[tuple[str, str], Phrase] = {}
    for stem, lines, labels in articles:
        kind = _kind_of(lines[0])
        topic = article_topic("\n".join(lines))
        for i, (line, label) in enumerate(zip(lines, labels)):
            if i == 0 or label in ("title", "signoff"):
                continue
            level, marker = heading_marker(line)
            for k, (s, e) in enumerate(split_sentences(line)):
                sentence = line[s:e].strip()
                if k == 0 and level:
                    continue  # a heading, or a heading glued to its first sentence
                phrase = _phrase(sentence, label, kind, f"{stem}#{i}", topic)
                if phrase and (label, phrase.template) not in bank:
                    bank[(label, phrase.template)] = phrase
    return list(bank.values())


def article_topic(text: str) -> str | None:
    """The topic an article is about (a key of TOPIC_WORDS), if its words name one at least three
    times and more often than any other: `学校帮扶工作总结` may be a teacher's 学困生 summary, and
    its sentences about `学生` mean 学困生 there."""
    counts = {topic: sum(text.count(w) for w in words) for topic, words in TOPIC_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 3 else None


def _phrase(sentence: str, label: str, kind: str, source: str, topic: str | None = None) -> Phrase | None:
    if sentence.endswith("：。"):  # a stray full stop after the colon in the corpus
        sentence = sentence[:-1]
    if not 10 <= len(sentence) <= 70 or not sentence.endswith(("。", "：")):
        return None
    if "《" in sentence or "“" in sentence and "”" not in sentence or _LIST_OPENER.match(sentence):
        return None
    lead = "如下" in sentence or re.search(r"制定本.{0,4}(方案|计划)", sentence)
    if _DEPENDENT.match(sentence) or not lead and any(a in sentence for a in _ANAPHORA):
        return None
    if _BUREAU.search(sentence) or _SPAN.search(sentence) or sentence in READ_AND_REJECTED:
        return None
    # `为了…，…的教育。` with no clause of its own after the purpose is a purpose clause: it leads
    # into the next sentence (`…的教育，我校成立了…`).
    purpose = sentence.startswith("为") and sentence.endswith("。") and \
        not re.search(r"，(我校|我们|学校|特|现|本)|，.*[要应将了已]", sentence)
    if sentence.endswith("：") and "如下" not in sentence:
        return None  # a lead-in to a list that the draft does not have
    template = template_of(sentence)
    if template is None or _names(template):
        return None
    if purpose:
        role, template = "purpose", template[:-1] + "，"
    elif lead:
        role = "lead"
    elif label == "closing":
        role = "closing"
    else:
        role = "opener"
    if role == "lead" and label != "preamble":
        return None
    mentions = frozenset(w for w in ACTIVITY_WORDS if w in template)
    # Formulaic leads (`现将…总结如下：`) say nothing of the topic; anything else may mean it.
    needs = _needs(template, kind) | ({f"topic:{topic}"} if topic and role != "lead" else set())
    return Phrase(label, template, needs, role, kind, source, mentions)


BANK_FILE = "phrases.jsonl"


def corpus_phrases() -> list[Phrase]:
    """The bank learned afresh from the labelled corpus shipped with the package (seconds: the
    part-of-speech tagger reads every sentence); `default_phrases` reads it precomputed."""
    from summarizer.compose.corpus_outline import real_pages

    return phrases_from([(r["stem"], r["lines"], r["labels"]) for r in real_pages()])


def to_jsonl(phrases: list[Phrase]) -> str:
    return "".join(json.dumps({"label": p.label, "template": p.template, "needs": sorted(p.needs), "role": p.role,
                               "kind": p.kind, "source": p.source, "mentions": sorted(p.mentions)},
                              ensure_ascii=False) + "\n" for p in phrases)


def from_jsonl(text: str) -> list[Phrase]:
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [Phrase(r["label"], r["template"], frozenset(r["needs"]), r["role"], r["kind"], r["source"],
                   frozenset(r["mentions"])) for r in rows]


@lru_cache(maxsize=1)
def default_phrases() -> tuple[Phrase, ...]:
    """The bank of the shipped corpus, as `python -m summarizer.compose.phrases` wrote it to
    `summarizer/data/phrases.jsonl` (a test checks that it equals `corpus_phrases()`)."""
    ref = resources.files("summarizer") / "data" / BANK_FILE
    if ref.is_file():
        return tuple(from_jsonl(ref.read_text(encoding="utf-8")))
    return tuple(corpus_phrases())


if __name__ == "__main__":
    from pathlib import Path

    from summarizer.io.writers import atomic_write

    target = Path(__file__).resolve().parents[1] / "data" / BANK_FILE
    bank = corpus_phrases()
    atomic_write(target, to_jsonl(bank))
    print(f"{target}: {len(bank)} phrases")
