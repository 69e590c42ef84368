"""The measure word (量词) a count of a noun takes: `留守儿童326名`, `走访家庭29户`, `示范课12节`.

`measure_word(noun)` looks the noun up, most specific first:

1. the noun itself, learned from the corpus (`summarizer/data/measure_words.json`, built by
   `corpus/build_measure_words.py` from how reports write their counts: `326名留守儿童`);
2. its longest ending that is known, learned (two characters or more) or from the noun classes
   below, the learned one winning a tie: an unseen `结对帮扶学生` ends in `学生`, counted with `名`;
3. a noun class a word inside it names (`平均分提高` is a score, `论文获奖` counts papers);
4. `个`.

The noun classes are the hand-kept part: people `名`, households `户`, schools `所`, lessons `节`,
meetings and activities `次`/`场`, money `元`, scores `分`, documents `项`/`份`, and so on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# The closed list of measure words: what the corpus is searched for, and all `measure_word` returns.
# Collective words (批, 类) are not in it: they group things, they do not count them; nor is 届,
# which numbers sessions (十九届三中全会) rather than counting them.
CLASSIFIERS = tuple(
    "名 人 位 个 户 所 家 节 课时 学时 次 人次 场 期 项 篇 册 本 部 件 台 套 张 份 条 处 座 间 辆 亩 "
    "平方米 公顷 公里 吨 元 分 个百分点 天 支 对 组 门 种 块 棵 首 幅 轮 趟 班 层".split())
DEFAULT = "个"

# Noun classes by ending: ending -> measure word.
_CLASS_ENDINGS: dict[str, str] = {
    # people
    **dict.fromkeys(
        "学生 儿童 孩子 少年 青少年 幼儿 教师 老师 家长 干部 党员 人员 职工 教职工 校长 班主任 骨干 专家 志愿者 "
        "医生 代表 同学 生 师 员 者 童 人 之星 标兵 能手 模范 监护人".split(), "名"),
    # households
    **dict.fromkeys("家庭 户 农户 贫困户 住户".split(), "户"),
    # schools
    **dict.fromkeys("学校 小学 中学 中心校 完小 教学点 幼儿园 园 校 学院".split(), "所"),
    # lessons
    **dict.fromkeys("课 示范课 公开课 观摩课 汇报课 优质课 节数".split(), "节"),
    "课时": "课时", "学时": "学时", "人次": "人次", "课例": "个",
    # meetings and activities
    **dict.fromkeys("会 会议 活动 培训 家访 辅导 教研 检查 督导 交流 次数 研讨".split(), "次"),
    **dict.fromkeys("讲座 报告 比赛 竞赛 演出 展演".split(), "场"),
    # money
    **dict.fromkeys("经费 资金 资助金 助学金 奖学金 补助 补贴 捐款 款 费 金额 金".split(), "元"),
    # scores
    **dict.fromkeys("分 分数 平均分 得分".split(), "分"),
    # documents, measures and tasks
    **dict.fromkeys("制度 措施 任务 工作 举措 课题 项目 奖项 成果 指标".split(), "项"),
    **dict.fromkeys("方案 计划 档案 资料 作业 试卷 材料 问卷 表 报表 教案 总结".split(), "份"),
    **dict.fromkeys("论文 案例 文章 稿件 心得 心得体会 随笔 新闻 简报 报道".split(), "篇"),
    **dict.fromkeys("意见 建议 意见建议 标语 条幅".split(), "条"),
    **dict.fromkeys("图书 书 书籍 教材 读物 课外书 绘本".split(), "册"),
    **dict.fromkeys("器材 物品 教具 学具 用品".split(), "件"),
    **dict.fromkeys("设备 电脑 计算机 仪器 投影仪 一体机 电子白板".split(), "台"),
    **dict.fromkeys("对子 师徒".split(), "对"),
    **dict.fromkeys("小组 班级 班 社团".split(), "个"),
    **dict.fromkeys("证书 奖状 作业本".split(), "本"),
    **dict.fromkeys("天数 日".split(), "天"),
}
# Noun classes by a word inside the noun, for names that end in what was done to it: a score
# that rose (`平均分提高`), a rate that rose (`及格率提高`), papers that won prizes (`论文获奖`),
# lessons that won prizes (`优质课获奖`: the prizes are counted).
_CLASS_INSIDE: tuple[tuple[str, str], ...] = (
    ("平均分", "分"), ("分数", "分"), ("得分", "分"), ("成绩提高", "分"), ("成绩提升", "分"),
    ("率提高", "个百分点"), ("率提升", "个百分点"), ("率下降", "个百分点"), ("率降低", "个百分点"),
    ("人次", "人次"), ("节数", "节"), ("次数", "次"), ("课时", "课时"),
    ("论文", "篇"), ("案例", "篇"), ("获奖", "项"),
)


class Measure(NamedTuple):
    """A measure word and where it came from: `noun` or `head` (learned from the corpus),
    `class` (a noun class), `default`; `key` is the entry that decided."""

    word: str
    source: str
    key: str


@lru_cache(maxsize=1)
def learned_table() -> tuple[dict[str, str], dict[str, str]]:
    """(noun → measure word, head → measure word), read once from the packaged table."""
    raw = (resources.files("summarizer") / "data" / "measure_words.json").read_text(encoding="utf-8")
    table = json.loads(raw)
    return ({k: v[0] for k, v in table["nouns"].items()}, {k: v[0] for k, v in table["heads"].items()})


def lookup(noun: str) -> Measure:
    """The measure word of `noun` with where it came from (see the module's docstring)."""
    noun = noun.strip()
    nouns, heads = learned_table()
    if noun in nouns:
        return Measure(nouns[noun], "noun", noun)
    for size in range(len(noun), 0, -1):
        ending = noun[-size:]
        if ending in heads:
            return Measure(heads[ending], "head", ending)
        if ending in _CLASS_ENDINGS:
            return Measure(_CLASS_ENDINGS[ending], "class", ending)
    for word, unit in _CLASS_INSIDE:
        if word in noun:
            return Measure(unit, "class", word)
    return Measure(DEFAULT, "default", "")


def measure_word(noun: str) -> str:
    """The measure word a count of `noun` takes: `留守儿童` → 名, `走访家庭` → 户, `学校` → 所,
    `示范课` → 节, `平均分提高` → 分, and `个` when nothing is known."""
    return lookup(noun).word
