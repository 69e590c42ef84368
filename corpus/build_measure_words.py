"""Build `summarizer/data/measure_words.json`: which measure word (量词) each counted noun takes.

Why: drafts wrote `平均分提高9个`, `排查适龄儿童1136个`, `结对留守儿童326个`: a hand table of
suffixes fell back to `个` for every noun it did not list. Reports themselves say which measure
word goes with which noun (`326名留守儿童`, `29户家庭`, `12所学校`, `教师23名`), so the table is
learned from them; `summarizer/compose/measures.py` looks nouns up in it.

How: every text of `../shared/corpus` (372 official documents) and the cleaned seed articles
(`corpus/clean`) is split into clauses at punctuation. A quantity is a number (Arabic `326`,
`3.5`, `1,200`; Chinese `一百二十`, `两`; `余`/`多` may follow; a magnitude `万`/`亿` belongs to the
number) right before a measure word of the closed list `CLASSIFIERS`, which jieba (with the
project's domain dictionary) must not cut apart from its neighbours (`十分重视` is no quantity;
`第三次` is an ordinal). The counted noun is

* the noun words right after it (`326名|留守儿童`, `29户|贫困家庭`, `200名|建档立卡|贫困学生`): at
  most one verb or modifier word in front of the nouns, and not when that verb opens a
  relative clause (`326名|参加|活动|的学生`); else
* the noun words right before it when nothing noun-like follows (`留守儿童|326名，`, `教师|23名参加`),
  stopping at verbs and at determiners such as `全县`, `各地`.

Each (noun, measure word) pair is counted, and so is each head of the noun: its last word and,
of a last word of three characters or more, its last two characters (`学生` of `贫困学生`), so
that a noun never seen falls back to a known ending. No head is a single character (those were
tried and left out: learned from official documents, 园 took 个, 门 元 and 奖 元, wrong for 幼儿园,
送教上门 and 论文获奖); the noun classes of `summarizer/compose/measures.py` cover such endings. Each distinct clause counts
once (copied documents and set formulas repeat). A noun or head is kept when it was seen at least
`MIN_SEEN` times with one measure word and that word has at least `MIN_SHARE` of them, so `个` does not win merely
by being common. `人` is folded into `名` (the same people; a report's count of people reads
`教师23名`), and people counted in ten thousands (`1200万人`, `5.2亿人次`) are left out: aggregates
that a school draft never writes. A quantity of one (`一个学生`, `是一件…工作`) is left out too:
one is said of any single thing, generically. Only statistics are written (noun, measure word,
counts), never a sentence. The output depends only on the corpus, this file, jieba and the
lexicon, so a rebuild is byte-identical. From the repository root:

    python corpus/build_measure_words.py           # write summarizer/data/measure_words.json
    python corpus/build_measure_words.py --check   # exit 1 if the shipped file is stale
    python corpus/build_measure_words.py --show 40 # print the 40 most frequent nouns too
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the package is next door

from summarizer.compose.measures import CLASSIFIERS  # noqa: E402
from summarizer.io.writers import write_generated  # noqa: E402
from summarizer.text.numerals import ARABIC_DIGIT, CN_NUMERAL_CHARS, parse_number  # noqa: E402

CLEAN = HERE / "clean"
SHARED = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "summarizer" / "data" / "measure_words.json"

# The closed list of measure words is `summarizer.compose.measures.CLASSIFIERS`, searched longest
# first so that 人次 wins over 人 and 个百分点 over 个. Durations (个月, 个工作日) are matched only to
# be thrown away.
_DURATIONS = ("个月", "个工作日", "个小时", "个星期", "个学期", "个年度", "分钟", "分之")
MIN_SEEN = 2
MIN_SHARE = 0.5
MAX_NOUNS = 3000
MAX_NOUN_CHARS = 8
# Words made of a numeral and a measure word that count nothing.
_LEXICALISED = frozenset("十分 万分 百分 一分 一一 一天天 一支笔 一把手 一条龙 一揽子 一部分 两部分 一批批".split())
_NUMBER = (rf"(?:[{ARABIC_DIGIT}]{{1,3}}(?:,[{ARABIC_DIGIT}]{{3}})+|[{ARABIC_DIGIT}]+)(?:[.．][{ARABIC_DIGIT}]+)?"
           rf"[万亿]?|[{CN_NUMERAL_CHARS}]+")
_UNIT_ALT = "|".join(re.escape(u) for u in sorted((*CLASSIFIERS, *_DURATIONS), key=len, reverse=True))
_QUANTITY = re.compile(rf"(?<![第0-9０-９A-Za-z.．,{CN_NUMERAL_CHARS}])(?P<num>{_NUMBER})(?P<approx>[余多]?)"
                       rf"(?P<unit>{_UNIT_ALT})")
# Set phrases whose numeral counts nothing (四个意识, 四个现代化): cut out like punctuation.
_SET_PHRASES = ("四个意识 三个意识 四个自信 两个维护 四个全面 两个确立 三个代表 三个面向 三个有利于 三个区分开来 "
                "四个现代化 两个大局 两个毫不动摇 两个务必 三个务必 四个服务 四个坚持 两个一百年 五个一").split()
_CLAUSE_BREAK = re.compile(r"[\s，,。．；;！!？?：:、（）()《》“”\"‘’'【】\[\]「」『』—…/|·]+|"
                           + "|".join(_SET_PHRASES))
_NOUNISH = frozenset(("n", "nz", "nt", "ng", "nl", "j", "vn", "an"))  # not names of people or places
# Words that may follow a counted noun (a verb, particle, conjunction, preposition, adverb,
# number, locative, pronoun, time): anything else may be part of a longer noun.
_AFTER_NOUN = ("v", "u", "c", "p", "d", "m", "f", "r", "t", "q", "y", "x")
_MODIFIER = frozenset(("a", "b", "l", "i"))  # and verbs of four characters or more (建档立卡)
# Verbs between a noun and its number (`平均分提高9分`, `学校共12所`), skipped on the way back.
_LINKING = frozenset("提高 提升 增加 增长 增至 减少 下降 降低 降至 达到 达 为 是 共 计 共计 有 共有 约 近 超过 逾 "
                     "新增 累计 合计 总计".split())
# Measure words of people; `人` counts the same people as `名`, which is how a report writes a
# count of people (教师23名), so it is folded into `名`.
_PEOPLE = frozenset("名 人 人次 位".split())
_FOLD = {"人": "名"}
# Words in front of a noun that pick out where or which (`全县`, `各地`, `本校`), not what is counted.
_DETERMINER = re.compile(r"^(?:全|各|每|本|我|该|其|此|这|那|共|另|现|其中|合计|总计|累计)")


class Quantity(NamedTuple):
    noun: str
    head: str  # the noun's last word
    unit: str


def read_texts(shared_dir: Path = SHARED, clean_dir: Path = CLEAN) -> list[str]:
    """The official documents and the cleaned seed articles, in path order."""
    paths = sorted(shared_dir.rglob("*.txt")) + sorted(clean_dir.glob("*.txt"))
    if not paths:
        raise SystemExit(f"build_measure_words: no texts in {shared_dir} or {clean_dir}")
    return [p.read_text(encoding="utf-8") for p in paths]


@lru_cache(maxsize=1)
def pos_tokenizer():
    """jieba's part-of-speech cut with the domain dictionary and its tags, on a tokenizer of its own.

    jieba hands a tokenizer's user-dictionary tags to the first POSTokenizer made on it and then
    forgets them, so sharing the project's tokenizer (`summarizer.analyse.segment.tokenizer`) would
    leave the phrase bank's tagger (`summarizer/compose/phrases.py`) without them."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    with resources.as_file(resources.files("summarizer") / "data" / "lexicon.txt") as path:
        tok.load_userdict(str(path))
    return jieba.posseg.POSTokenizer(tok)


def _is_nounish(flag: str) -> bool:
    return flag in _NOUNISH


def _after(tokens: list[tuple[str, str, int]], i: int) -> tuple[list[str], bool]:
    """Noun words from token i on, and whether anything noun-like or numeric follows at all."""
    if i >= len(tokens):
        return [], False
    words: list[str] = []
    j = i
    word, flag, _ = tokens[j]
    if flag in _MODIFIER or flag == "v" and len(word) >= 4:
        j += 1  # one modifier may stand before the nouns: 200名|建档立卡|贫困学生, not 三次|派|教师
    while j < len(tokens) and len(words) < 6 and (
            _is_nounish(tokens[j][1]) or words and tokens[j][1] == "ns"):  # 儿童|福利(ns)|机构
        words.append(tokens[j][0])
        j += 1
    if not words:
        first = tokens[i][1]
        return [], _is_nounish(first) or first.startswith("m")
    if j < len(tokens) and (tokens[j][0] == "之" or j > i + len(words) and tokens[j][0] == "的"):
        return [], True  # 250个|儿童|之家, 326名|参加|活动|的学生: the nouns modify what is counted
    if j < len(tokens) and not tokens[j][1].startswith(_AFTER_NOUN):
        return [], True  # 100个|社区|儿童|友好|空间: the noun goes on past a word of another kind
    return words, True


def _before(tokens: list[tuple[str, str, int]], i: int) -> list[str]:
    """Noun words right before token i; a verbal noun stops them (排查|适龄儿童 gives 适龄儿童, and
    突破|1000亿元 nothing)."""
    words: list[str] = []
    j = i - 1
    if j > 0 and tokens[j][0] in _LINKING:
        j -= 1  # 平均分|提高|9分, 学校|共|12所
    while j >= 0 and len(words) < 6:
        word, flag, _ = tokens[j]
        if not _is_nounish(flag) or flag == "vn" or _DETERMINER.match(word):
            break
        words.insert(0, word)
        j -= 1
    return words


def _noun(words: list[str]) -> str | None:
    """The noun of a run of noun words: its last three words at most, and at most MAX_NOUN_CHARS
    characters (the last word alone when even that is longer)."""
    words = words[-3:]
    while len(words) > 1 and len("".join(words)) > MAX_NOUN_CHARS:
        words = words[1:]
    noun = "".join(words)
    if not words or not re.fullmatch(r"[\u4e00-\u9fff]+", noun):
        return None
    return noun


def quantities(clause: str, cut) -> Iterator[Quantity]:
    """Every counted noun of one clause (no punctuation inside) with its measure word."""
    matches = [m for m in _QUANTITY.finditer(clause) if m.group("unit") not in _DURATIONS]
    if not matches:
        return
    tokens: list[tuple[str, str, int]] = []
    at = 0
    for pair in cut(clause):
        tokens.append((pair.word, pair.flag, at))
        at += len(pair.word)
    starts = {start: k for k, (_, _, start) in enumerate(tokens)}
    ends = {start + len(word): k for k, (word, _, start) in enumerate(tokens)}
    for m in matches:
        num, unit = m.group("num"), m.group("unit")
        if m.start() not in starts or m.end() not in ends or parse_number(num) is None:
            continue  # glued into a longer word (十分重视, 统一部署) or not a well-formed number
        if clause[m.start():m.end()] in _LEXICALISED:
            continue
        if parse_number(num) == 1:
            continue  # 一个学生, 每一个学生, 是一件…工作: one is said of any single thing, generically
        if unit in _PEOPLE and num[-1] in "万亿":
            continue  # 1200万人, 5.2亿人次: aggregates; a school draft counts people one by one
        words, more = _after(tokens, ends[m.end()] + 1)
        if not words and not more:
            words = _before(tokens, starts[m.start()])
        noun = _noun(words)
        if noun:
            yield Quantity(noun, words[-1], _FOLD.get(unit, unit))


def heads_of(word: str) -> set[str]:
    """The endings a noun is known by: its last word, and of a last word of three characters or
    more its last two (贫困学生 → 学生, 高新技术企业 → 企业). A single character is no witness:
    部分 says nothing about 平均分, and 园 is 产业园 here but 幼儿园 in a school's report."""
    return {word, word[-2:]} if len(word) >= 3 else {word} if len(word) == 2 else set()


def count(texts: Iterable[str]) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """(noun → measure word counts, head → measure word counts) over all texts."""
    cut = pos_tokenizer().cut
    nouns: defaultdict[str, Counter[str]] = defaultdict(Counter)
    heads: defaultdict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for text in texts:
        for clause in _CLAUSE_BREAK.split(text):
            if clause in seen:
                continue  # a clause repeated (a document copied, a set formula) is one witness
            seen.add(clause)
            for q in quantities(clause, cut):
                nouns[q.noun][q.unit] += 1
                for head in heads_of(q.head):
                    heads[head][q.unit] += 1
    return dict(nouns), dict(heads)


def decide(counts: dict[str, Counter[str]], limit: int | None = None) -> dict[str, list]:
    """key → [measure word, times with it, times seen] for keys that take one measure word clearly,
    the most frequent `limit` of them, sorted by key."""
    kept = []
    for key, units in counts.items():
        seen = sum(units.values())
        unit, n = min(units.items(), key=lambda un: (-un[1], un[0]))
        if n >= MIN_SEEN and n / seen >= MIN_SHARE:
            kept.append((key, unit, n, seen))
    kept.sort(key=lambda k: (-k[3], k[0]))
    return {key: [unit, n, seen] for key, unit, n, seen in sorted(kept[:limit])}


def build(shared_dir: Path = SHARED, clean_dir: Path = CLEAN) -> str:
    """The text of measure_words.json."""
    nouns, heads = count(read_texts(shared_dir, clean_dir))
    table = {
        "about": "Measure words learned by corpus/build_measure_words.py: key -> [measure word, "
                 "times with it, times seen]. Statistics only.",
        "classifiers": list(CLASSIFIERS),
        "min_seen": MIN_SEEN,
        "min_share": MIN_SHARE,
        "nouns": decide(nouns, MAX_NOUNS),
        "heads": decide(heads, MAX_NOUNS),
    }
    return _dump(table)


def _dump(table: dict) -> str:
    """JSON with one table entry a line, so that a rebuild's diff reads entry by entry."""
    lines = []
    for key, value in table.items():
        if isinstance(value, dict):
            rows = [f"    {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                    for k, v in value.items()]
            lines.append(f"  {json.dumps(key)}: {{\n" + ",\n".join(rows) + "\n  }")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="folder of official documents")
    parser.add_argument("--clean", type=Path, default=CLEAN, help="folder of cleaned seed articles")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the table")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    parser.add_argument("--show", type=int, metavar="N", help="print the N most frequent learned nouns")
    args = parser.parse_args(argv)

    text = build(args.shared, args.clean)
    table = json.loads(text)
    summary = f"{len(table['nouns'])} nouns, {len(table['heads'])} heads"
    if args.show:
        for noun, (unit, n, seen) in sorted(table["nouns"].items(), key=lambda kv: -kv[1][2])[:args.show]:
            print(f"{noun}\t{unit}\t{n}/{seen}")
    return write_generated(args.out, text, summary, "corpus/build_measure_words.py", check=args.check)


if __name__ == "__main__":
    sys.exit(main())
