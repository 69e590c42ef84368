"""Normalisation for comparison: what differs between a template and its copies is dropped.

Copies of web templates differ from them in ways that must not hide the copying:
- script: traditional vs simplified: OpenCC t2s (files are cleaned first, which does it too);
- punctuation and white space: dropped, only Han characters, letters and numbers are compared;
- placeholders filled in: `____年` in the template, `2023年` in the report: every run of digits,
  underscores, `×`/`*` and `xx`-style marks becomes one `#`;
- synonym spinning (伪原创): `教化` for `教育`, `援助` for `帮扶`, `安排` for `计划`: both sides map
  each word of a synonym group to the group's first word (all of equal length, so offsets hold).

Each normalised character keeps the offsets of the original characters it stands for, so that
matches found on the normalised text are reported on the clean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from summarizer.text.script import to_simplified

# Groups of interchangeable words in spun copies; the first word is the canonical one. Every
# word in a group has the same length as the canonical word.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("教育", "教化", "教导"),
    ("帮扶", "援助", "帮助", "扶持", "支援", "援手"),
    ("计划", "安排", "规划", "策划"),
    ("确定", "决定", "确立", "肯定"),
    ("提高", "提升", "增强", "增进"),
    ("加强", "强化", "加大"),
    ("开展", "展开", "进行", "举行", "举办"),
    ("促进", "推动", "推进", "促使"),
    ("积极", "主动", "踊跃"),
    ("认真", "仔细", "用心", "细心"),
    ("教师", "老师", "教员"),
    ("活动", "运动"),
    ("措施", "办法", "方法", "举措", "手段"),
    ("实施", "施行", "实行", "执行"),
    ("问题", "难题", "疑问"),
    ("目标", "目的", "方针"),
    ("质量", "品质", "质素"),
    ("水平", "程度", "水准"),
    ("情况", "状况", "情形"),
    ("方面", "层面", "领域"),
    ("重视", "注重", "看重", "器重"),
    ("能力", "才能", "本领"),
    ("改善", "改进", "改良", "改变"),
    ("完善", "健全"),
    ("成绩", "成果", "成就"),
    ("经验", "阅历", "体验"),
    ("保障", "保证", "确保", "包管"),
    ("参加", "参与", "加入", "插手"),
    ("支持", "支撑", "撑持"),
    ("交流", "沟通", "交换"),
    ("学生", "学员", "弟子"),
    ("学校", "黉舍", "校园"),
    ("工作", "事情", "任务"),
    ("发展", "成长", "生长"),
    ("组织", "构造"),
    ("通过", "经由", "经过"),
    ("充分", "充足", "充沛"),
    ("提供", "供给", "供应"),
    ("要求", "请求", "需求"),
    ("努力", "尽力", "极力"),
    ("全面", "周全", "全部"),
    ("开始", "起头", "着手"),
    ("良好", "优良", "精良"),
    ("特别", "尤其", "格外"),
)

_CANONICAL = {w: group[0] for group in SYNONYMS for w in group[1:] if len(w) == len(group[0]) and w != group[0]}
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, _CANONICAL), key=len, reverse=True)))

_MARK = "#"
_TOKEN = re.compile(
    r"(?P<ph>#|[0-9０-９_＿×＊*〇○]+(?:[xX][0-9０-９_＿xX]*)?|(?<![A-Za-z])[xX]{2,}(?![A-Za-z]))"
    r"|(?P<w>[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z]+)"
)


def _simplified(run: str) -> str:
    """OpenCC t2s of a run of Han characters (or letters), kept to its length so offsets hold:
    where a phrase conversion changes the length, the run is converted character by character."""
    if run.isascii():
        return run
    out = to_simplified(run)[0]
    if len(out) != len(run):
        out = "".join(c if len(t := to_simplified(c)[0]) != 1 else t for c in run)
    return out


def _canonical_words(text: str) -> str:
    """Map synonyms to their group's first word until nothing changes: one replacement can make
    another (`展展开` → `展开展`, whose `展开` is a synonym again), and comparison needs a fixed
    point. No canonical word is anyone's synonym, so each pass only turns variants into
    canonical words and the loop ends."""
    while True:
        out = _SYNONYM_RE.sub(lambda m: _CANONICAL[m.group()], text)
        if out == text:
            return out
        text = out


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, per character, the span `[starts[i], ends[i])` it stands for."""

    text: str
    starts: np.ndarray
    ends: np.ndarray

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The original span of normalised characters `[i, j)`."""
        return int(self.starts[i]), int(self.ends[j - 1])


def normalize(text: str) -> Normalized:
    """Normalise a clean text for comparison (see the module doc); pure."""
    simple = to_simplified(text)[0]
    if len(simple) != len(text):  # a phrase conversion changed the length: convert run by run
        simple = None
    pieces: list[str] = []
    run_starts: list[int] = []
    run_lens: list[int] = []
    marks: list[tuple[int, int]] = []  # (index in runs, original end) of placeholder runs
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "ph":
            pieces.append(_MARK)
            marks.append((len(run_starts), m.end()))
            run_starts.append(m.start())
            run_lens.append(1)
        else:
            run = simple[m.start():m.end()] if simple is not None else _simplified(m.group())
            pieces.append(run.lower())
            run_starts.append(m.start())
            run_lens.append(m.end() - m.start())
    lens = np.array(run_lens, dtype=np.int64)
    total = int(lens.sum())
    firsts = np.repeat(np.array(run_starts, dtype=np.int64), lens)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    starts = firsts + within
    ends = starts + 1
    if marks:
        unit_of_run = np.cumsum(lens) - lens
        for run, end in marks:
            ends[unit_of_run[run]] = end
    norm = _canonical_words("".join(pieces))
    return Normalized(norm, starts, ends)


__all__ = ["Normalized", "SYNONYMS", "normalize"]
