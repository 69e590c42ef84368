"""Build the jieba user dictionary `summarizer/data/lexicon.txt` from the cleaned corpus.

Why: jieba's general dictionary cuts the vocabulary of school work reports apart (结对帮扶 comes out
as 结对/帮扶, 控辍保学 as 控辍/保学, 两免一补 as 两免/一补, 送教下乡 as 送教/下乡), and words are what
`summarizer segment` shows and what the section classifier reads. The segmenter
(`summarizer/analyse/segment.py`) loads this dictionary once per process.

How: the terms are the reviewed lists below, grouped by theme; they are the source of truth:
`THEMES`, the school vocabulary found in `corpus/clean`, and `OFFICIAL`, the official register
that school reports borrow (巩固拓展, 有效衔接 …), found in `../shared/corpus` and counted there.
Statistics only *propose* terms for a person to review: n-grams of 2–6 Han characters that recur
in `corpus/clean/*.txt`, hang together (pointwise mutual information of their weakest split), stand
free of their neighbours (entropy of the characters on either side) and that jieba cuts apart.
`--candidates N` prints the strongest ones nobody has reviewed yet; `REJECTED` records the ones
turned down, and why. The build fails, listing them all, on any reviewed term that does not occur
verbatim in the corpus, is listed twice, is rejected too, or is not 2–8 Han characters.

Each line is `term freq tag`, sorted by term. freq = round(1000 × (1 + log2 n)), n the term's
occurrences in the corpus, and never below jieba's own frequency for the word, so loading the file
only ever strengthens a word. That keeps nearly every term whole in the sentences it comes from
(tests/test_lexicon.py checks the share). The output depends only on the corpus, this file and
jieba's dictionary, so a rebuild is byte-identical. From the repository root:

    python corpus/build_lexicon.py                  # write summarizer/data/lexicon.txt
    python corpus/build_lexicon.py --check          # exit 1 if the shipped file is stale
    python corpus/build_lexicon.py --candidates 40  # strongest unreviewed candidates
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
CLEAN = HERE / "clean"
SHARED = HERE.parent.parent / "shared" / "corpus"
OUT = HERE.parent / "summarizer" / "data" / "lexicon.txt"
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere: the package is next door

from summarizer.io.writers import write_generated  # noqa: E402

BASE_FREQ = 1000
TAGS = {
    "n": "noun",
    "nt": "office or body",
    "nz": "named policy, programme or project",
    "v": "verb, action",
    "l": "set phrase, idiom",
}
TERM = re.compile(r"[\u4e00-\u9fff]{2,8}")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

# The reviewed terms: theme -> rows of (tag, terms separated by spaces). Every term occurs in
# corpus/clean/*.txt. Compounds of two listed terms are left out (the parts cover them), and so are
# words jieba's own dictionary already keeps whole unless they are the field's own vocabulary.
THEMES: dict[str, list[tuple[str, str]]] = {
    # Schools, teachers and pupils paired up to help one another (城乡结对帮扶, 对口支援).
    "结对帮扶 pairing and assistance": [
        ("n", "结对帮扶 结队帮扶 对口帮扶 对口支援 对口联系 城乡帮扶 师徒结对 结对共建 帮扶对象 帮扶措施"),
        ("n", "帮扶计划 帮扶教师 帮扶单位 帮扶效果 帮扶档案 帮扶工作 帮扶活动 帮扶制度 帮扶资金 帮扶户"),
        ("n", "帮扶内容 帮扶方案 帮扶规划 帮扶期限 帮扶基金 帮扶学校 帮助对象 扶助对象"),
        ("n", "支援学校 受援学校 受助学校 支教学校 互助学校 联系点 联系村 联席会议 联席会议制度"),
        ("n", "互访机制 教师互访 领导互访 学生互访 校际关系"),
        ("nz", "千校扶千校 四百工程"),
        ("l", "结对子 手拉手 一帮一 一对一 一对多 互助互学 互帮互助"),
        ("v", "帮教 结对帮教 扶危济困 扶困助学 扶贫助学 捐资助学 爱心助学 帮扶解困 扶贫帮困 送温暖"),
        ("v", "访贫问苦 联镇包村帮户 包保 定点挂帮 包抓 爱心捐助 捐款捐物 捐资"),
    ],
    # Targeted poverty relief through education (教育精准扶贫) and whom it reaches.
    "扶贫脱贫 poverty relief": [
        ("n", "精准扶贫 精准脱贫 教育扶贫 教育精准扶贫 扶贫攻坚 扶贫开发 扶贫工作 扶贫项目 扶贫资金"),
        ("n", "扶持资金 惠农资金 扶贫产业 扶贫政策 扶贫责任制 造血功能 实用技术 村集体"),
        ("n", "贫困户 贫困村 贫困家庭 贫困学生 贫困生 特困生 特困学生 特困家庭 特困教师 贫困地区"),
        ("n", "贫困山区 贫困乡 贫困代际传递 贫困村所在地 家庭困难 困难群众 困难党员 困难学生"),
        ("n", "困难家庭 困难生 三困生 低收入农户 劳动力转移 农民工 新型职业农民 弱势群体 特殊群体"),
        ("n", "特殊学生 单亲家庭 救助对象 受助对象 资助对象 救助基金 救助政策 贫困救助 信息台账"),
        ("n", "档案台账 台账 台帐 责任状 灾后重建 基层党组织"),
        ("l", "扶贫先扶智 扶贫先扶志 治穷先治愚 扶贫济弱 因贫失学 因学返贫 脱贫致富 应免尽免 应补尽补"),
        ("l", "应助尽助 应贷尽贷 专款专用 多措并举 进村入户 提档升级"),
        ("v", "建档立卡 返贫 脱贫 扶志 精准识别 精准排查 精准界定 动态销号 摸清底数 登记造册"),
        ("v", "建档立卷 存档备查 遍访 摸排 摆脱贫困 消除贫困 动态管理"),
    ],
    # Fee waivers, grants, meals and loans for pupils (学生资助).
    "学生资助 student aid": [
        ("nz", "两免一补 三免一补 三免两补 一免一补 雨露计划 营养改善计划 一科一辅"),
        ("n", "学生资助 资助政策 资助标准 资助体系 资助制度 资助资金 资助金 助学金 奖学金 国家助学金"),
        ("n", "助学贷款 生源地 营养餐 膳食补助 生活补助 生活费补助 寄宿生 贫困寄宿生 寄宿学生"),
        ("n", "家庭经济困难 学杂费 保教费 作业本费 教科书 教辅资料 乱收费 奖补政策 等额补助 收费标准"),
        ("n", "补助标准 经济资助 品学兼优"),
    ],
    # Children whose parents work away from home (留守儿童) and their care.
    "留守儿童 left-behind children": [
        ("n", "留守儿童 留守学生 留守孩子 留守儿童之家 代理家长 监护人 第一监护人 亲情电话 心理辅导室"),
        ("n", "少年宫 学前儿童 适龄儿童 适龄学生 学龄人口 联系卡 问题孩子 主阵地"),
        ("v", "关心关爱"),
    ],
    # Compulsory education: enrolment, balance between town and country, the school network.
    "义务教育 compulsory education and school provision": [
        ("n", "义务教育 义务教育阶段 九年义务教育 基础教育 均衡发展 基本均衡 教育公平 控辍保学 辍学率"),
        ("n", "入学率 毛入学率 毛入园率 在校学生 在园幼儿 学籍管理 大班额 薄弱学校 薄弱环节"),
        ("n", "基本办学条件 办学条件 寄宿制学校 教学点 中心校 中心学校 完小 初小 乡村学校 农村学校"),
        ("n", "城区学校 城镇学校 标准化建设 布局调整 改扩建 校舍 民生工程 教育强县 城乡教育"),
        ("nz", "全面改薄"),
        ("l", "重教兴学 开齐开足"),
    ],
    # Pre-school, senior high, vocational and higher education.
    "学段 pre-school, high school, vocational": [
        ("n", "学前教育 学前三年 行动计划 公办幼儿园 民办幼儿园 中心幼儿园 乡镇幼儿园 农村幼儿园"),
        ("n", "城区幼儿园 优质幼儿园 幼儿教育 幼儿教师 办园水平 办园条件 办园标准 保教质量 示范园"),
        ("n", "优质园 小学化倾向 高中阶段 普通高中 示范高中 中职学校 中等职业学校 中职教育 职业教育"),
        ("n", "职教中心 职教园区 职业院校 实训基地 培训基地 高等教育 全日制 本专科 学历教育 继续教育"),
        ("n", "初中毕业生 涉农专业 专业设置 就业创业 技能人才 职业技能培训 技能培训 职业能力"),
    ],
    # Classroom technology, shared resources and equipment.
    "信息化与装备 ICT, resources and equipment": [
        ("n", "教育信息化 校校通 班班通 宽带网络 多媒体教室 电子白板 网络学习空间 优质资源 优质教育资源"),
        ("n", "数字教育资源 城域网 校讯通 教育资源 资源共享 共建共享 资源整合 资源配置 信息共享"),
        ("n", "教学仪器 仪器设备 教育装备 电教设备 文体器材 图书资料 课桌凳 教学设施 教学设备 硬件设施"),
        ("n", "生活设施 微机室 专用室 教学班 板报"),
    ],
    # Teachers: posts, titles, training, exchange and rural support.
    "教师队伍 teachers": [
        ("n", "骨干教师 中青年教师 青年教师 支教教师 支教人员 乡村教师 特岗教师 专任教师 公办教师"),
        ("n", "在编教师 班主任 任课教师 科任教师 教职工 教职工编制 教师队伍 师资力量 师资队伍 队伍建设"),
        ("n", "干部队伍 管理干部 中层干部 领导干部 领导班子 教师周转宿舍 教师周转房 中级职称 高级职称"),
        ("n", "初级职称 小学高级教师 绩效工资 教师待遇 教龄 教坛新星 大队辅导员 教导主任 年级主任"),
        ("n", "心理辅导员 备课组长 免费师范生 教师节 音体美"),
        ("nz", "乡村教师支持计划 特岗计划 国培计划 国培"),
        ("v", "支教 支教工作 轮岗支教 交流轮岗 走教 送教下乡 送教 挂职锻炼 跟班学习 参观学习 集中培训"),
        ("v", "远程培训 业务培训 教师培训 教育培训 轮训 评聘 即评即聘 职评 评优 评先评优 评优晋级"),
        ("v", "教书育人 教师交流 自我鉴定 专业引领"),
    ],
    # Lessons, lesson study and school-based research (教研).
    "教学教研 teaching and research": [
        ("n", "示范课 公开课 观摩课 讲座课 集体备课 电子备课 教研活动 教学研究 教育科研 教科研 课题研究"),
        ("n", "科研能力 专题讲座 教学观摩 教学展示 教学理念 教育理念 教学方法 教学质量 教育质量 教学效果"),
        ("n", "课堂教学 教学艺术 教学技艺 业务素质 业务能力 专业发展 新课程改革 课改 校本课程 教学管理"),
        ("n", "教育教学 教育管理 素质教育 成功教育 家庭教育 学校教育 课时"),
        ("v", "听课 说课 评课 备课 面批 分层推进 师生互动 解疑释难"),
    ],
    # Pupils who fall behind (学困生, 后进生), guidance, and school and home working together.
    "学困生与学生工作 struggling pupils and guidance": [
        ("n", "学困生 后进生 差生 优等生 优秀生 学习困难生 学习困难 转化工作 群体辅导 个别辅导 专项辅导"),
        ("n", "心理辅导 心理咨询 心理疏导 心理健康 心理支持 心理调适 社会支持 自卑心理 课前准备 课前预习"),
        ("n", "课后复习 学习习惯 行为习惯 行为规范 学习兴趣 学习方法 学习态度 学习积极性 学业成绩"),
        ("n", "学习成绩 学习氛围 学习目的 学习用品 学习资料 学习辅导 学业辅导 期末考试 期中考试 月考"),
        ("n", "补习课程 特长班 社团活动 课外活动 学科竞赛 家访 家长会 班会 主题班会 班队会 班队活动"),
        ("n", "主题活动 家校联谊会 学情 师生关系 综合素质 德智体 理想信念 社会责任感 春季学期 秋季学期"),
    ],
    # Running a school: ethos, goals, planning and experience.
    "学校管理 school administration": [
        ("n", "校园文化 校园文化建设 校风 教风 学风 校容校貌 育人环境 办学理念 办学水平 办学效益 办学品位"),
        ("n", "办学思想 办学方向 办学目标 示范学校 示范辐射 示范带动 先进学校 优质学校 学段 学年度"),
        ("n", "发展规划 发展大计 人事制度改革 教育事业 教育观念 基本情况 存在问题 工作经验 管理经验"),
        ("n", "先进典型 典型经验 典型事迹"),
        ("l", "文化立校"),
    ],
    # Offices, bodies and the people in charge.
    "机构部门 offices and bodies": [
        ("nt", "领导小组 领导组 宣传小组 督导小组 分管领导 主要领导 主管部门 教育主管部门 教育局 教体局"),
        ("nt", "文教局 政教处 教导处 总务处 大队部 年级组 教辅组 财务室 股室 职能部门 党委政府"),
    ],
    # The headings, machinery and set phrases of plans, reports and implementation schemes.
    "公文 official-document vocabulary": [
        ("n", "指导思想 工作目标 总体目标 主要任务 工作原则 工作措施 保障措施 工作要求 组织保障 组织领导"),
        ("n", "实施方案 工作计划 工作总结 工作方案 活动方案 工作重点 工作要点 具体措施 工作职责 工作责任"),
        ("n", "工作机制 工作会议 工作作风 教职工会议 责任书 责任制 五长责任制 督导检查 检查督导 督导考核"),
        ("n", "目标考核 年度考核 年终考核 一票否决 文件精神 会议精神 试点工作 重大决策 协调机制 议事机制"),
        ("n", "跟踪机制 考核评价机制 宣传力度 宣传载体 舆论宣传 社会各界 社会力量 社会组织 社会参与"),
        ("n", "政府主导 经费投入 经费保障 资金保障 资金管理 县级财政 财政预算 配套政策 倾斜政策 时间节点"),
        ("n", "第一手资料 三个面向 科学发展观 教育方针 民主评议"),
        ("nz", "六化四园"),
        ("v", "贯彻落实 落到实处 落实到位 责任到位 责任到人 责任落实 组织实施 沟通协调 稳步推进 高度重视"),
        ("v", "全覆盖"),
        ("l", "创先争优 开拓创新 优势互补 收效颇丰 以心换心 以情促行 以情动人 层层负责 学有所长 学有所用"),
        ("l", "注重实效"),
    ],
}

# Terms of the official register (government work reports, 实施方案, 行动计划 in
# ../shared/corpus), which school reports borrow: each occurs in that corpus, read from there at
# build time (its texts never enter this repository). Counted in that corpus.
OFFICIAL: dict[str, list[tuple[str, str]]] = {
    "政策表述 official register": [
        ("l", "巩固拓展 有效衔接 脱贫攻坚 乡村振兴 防止返贫 兜底保障 优质均衡 提质增效 落地见效"),
        ("l", "走深走实 守正创新 久久为功 稳中求进 就业优先 先行先试 统筹推进 压实责任 形成合力"),
        ("n", "高质量发展 新质生产力 营商环境 民生实事 惠民实事 数字化转型 体制机制 专项行动 责任单位 牵头单位"),
        ("n", "城镇新增就业 新发展理念 新发展格局 立德树人 课后服务 产教融合 职普融通 教育强国 人才强国"),
        ("n", "集团化办学 县域高中 终身学习 思政课 劳动教育 托育服务 一老一小 考核评价 重点任务"),
        ("v", "常态化"),
    ],
}

# Candidates looked at and turned down, with the reason. `--candidates` does not offer them again,
# and a term may not be both reviewed and rejected.
REJECTED: dict[str, str] = {
    **dict.fromkeys(
        "结对帮扶工作 教育扶贫工作 精准扶贫工作 教育均衡发展 城乡结对帮扶 结对帮扶学校 工作领导小组 "
        "帮扶工作领导小组 被帮扶单位 教育扶贫攻坚 贫困家庭学生 贫困家庭子女 家庭经济困难学生 "
        "中青年骨干教师 优质资源共享 交互式电子白板 教育资源平台 贫困生数据库 劳动力数据库 "
        "学困生工作计划 学困生帮扶 关爱留守孩子 爱心助学活动 留守儿童关爱 包保制度 包保责任制 "
        "临时监护人 委托监护人 信用助学贷款 乡村学校少年宫 目标责任书 校本课程开发 课堂教学设计 "
        "职能股室 农村薄弱学校 贫困村学校 县教育局 市教育局".split(),
        "compound of listed terms: the parts already segment it",
    ),
    **dict.fromkeys(
        "学籍信息管理系统 学前教育三年行动计划 免费师范生培养计划 三年行动计划".split(),
        "long compound of listed terms",
    ),
    "建档立卡贫困户": "would swallow 建档立卡 in 建档立卡贫困户子女; 建档立卡 + 贫困户 cover it",
    "建档立卡贫困家庭": "compound of 建档立卡 + 贫困家庭",
    "教学设计": "occurs only inside 课堂教学设计, where 课堂教学 wins",
    "职称评聘": "occurs only as 中级职称评聘, where 中级职称 + 评聘 win",
    "本级财政": "occurs only in 本级财政预算, where 财政预算 is the term",
    "教育厅": "occurs only in 广东省教育厅, which jieba already keeps whole",
    "家庭贫困": "cuts 家庭贫困生平时 into 家庭贫困/生平/时",
    "教育系统": "cuts 教育系统工程 into 教育系统/工程",
    "教育均衡": "cuts 义务教育均衡 into 义务/教育均衡",
    "教学业务": "cuts 教学业务素质 into 教学业务/素质, breaking 业务素质",
    "村小": "cuts 村小学 into 村小/学",
    "完中": "would cut 读完中学 into 读/完中/学",
    **dict.fromkeys("省培 市培 县培".split(), "two characters that begin ordinary words (市培训, 县培训)"),
    **dict.fromkeys(
        "人民政府 县委 区委 区政府 县政府 村委会 办事处 组长 副组长 食堂 座谈会 志愿者 交流会 动员会 "
        "规章制度 立项 负责制 督办 督查 花名册 民族乡 城镇化 高等院校 处室 实效性 闪光点 网络平台 "
        "基础设施 多媒体 数据库 运动场 教学楼 合格率 三个代表 以人为本 实事求是 事半功倍 有的放矢 "
        "循序渐进 持之以恒 不折不扣 取长补短 扬长避短 互通有无 受益匪浅 求真务实 真抓实干 微信".split(),
        "general vocabulary that jieba already keeps whole, not the field's own",
    ),
    **dict.fromkeys(
        "沙溪小学 建设街小学 石桥二小 民丰小学 皇甫学校 柳塘小学 油铺小学 徐碾小学 三元中学 "
        "凤山小学 道坪小学 上良中学".split(),
        "name of one school, not vocabulary",
    ),
    **dict.fromkeys(
        "帮扶工作的 学困生的 不漏一户 困生 的学习 县域内 贫困学生提 生资助".split(),
        "fragment across a word boundary",
    ),
}


class Term(NamedTuple):
    term: str
    tag: str
    theme: str


class LexiconError(Exception):
    """The reviewed list is not fit to ship; the message lists every problem."""


def reviewed(themes: dict[str, list[tuple[str, str]]] | None = None) -> list[Term]:
    """The reviewed terms in list order, theme by theme (the school themes by default)."""
    return [Term(term, tag, theme)
            for theme, rows in (THEMES if themes is None else themes).items()
            for tag, terms in rows
            for term in terms.split()]


def read_shared(shared_dir: Path = SHARED) -> list[str]:
    """The official documents' texts, for the official-register terms."""
    paths = sorted(shared_dir.rglob("*.txt"))
    if not paths:
        raise LexiconError(f"no documents in {shared_dir} (the official-register terms are counted there)")
    return [p.read_text(encoding="utf-8") for p in paths]


def read_corpus(corpus_dir: Path = CLEAN) -> list[str]:
    """The text of every cleaned article, in file-name order."""
    paths = sorted(corpus_dir.glob("*.txt"))
    if not paths:
        raise LexiconError(f"no articles in {corpus_dir}")
    return [p.read_text(encoding="utf-8") for p in paths]


def problems(terms: Sequence[Term], texts: Sequence[str]) -> list[str]:
    """Everything wrong with the reviewed list, one line each; empty when it can ship."""
    out: list[str] = []
    seen: dict[str, str] = {}
    for t in terms:
        if t.term in seen:
            out.append(f"listed twice: {t.term} ({seen[t.term]}; {t.theme})")
        seen.setdefault(t.term, t.theme)
        if not TERM.fullmatch(t.term):
            out.append(f"not 2–8 Han characters: {t.term!r} ({t.theme})")
        if t.tag not in TAGS:
            out.append(f"unknown tag {t.tag!r} for {t.term} ({t.theme})")
        if t.term in REJECTED:
            out.append(f"both reviewed and rejected: {t.term} ({REJECTED[t.term]})")
    missing = [term for term in seen if not any(term in text for text in texts)]
    out += [f"not in the corpus: {term} ({seen[term]})" for term in missing]
    return out


def jieba_frequencies(words: Iterable[str]) -> dict[str, int]:
    """jieba's own dictionary frequency of each of `words` it knows."""
    import jieba

    wanted = set(words)
    found: dict[str, int] = {}
    with jieba.get_dict_file() as f:
        for raw in f:
            word, freq = raw.decode("utf-8").split(" ")[:2]
            if word in wanted:
                found[word] = int(freq)
    return found


def frequency(count: int, known: int = 0) -> int:
    """Dictionary frequency of a term seen `count` times in the corpus (jieba knows it at `known`)."""
    return max(known, round(BASE_FREQ * (1 + math.log2(max(count, 1)))))


def build(corpus_dir: Path = CLEAN, shared_dir: Path = SHARED) -> str:
    """The text of lexicon.txt; raises LexiconError listing every problem of the reviewed lists
    (school terms checked against `corpus_dir`, official ones against `shared_dir`)."""
    texts, shared = read_corpus(corpus_dir), read_shared(shared_dir)
    terms, official = reviewed(), reviewed(OFFICIAL)
    found = problems(terms + official, texts + shared)
    found += [f"official term not in {shared_dir}: {t.term}" for t in official
              if not any(t.term in text for text in shared)]
    if found:
        raise LexiconError(f"{len(found)} problem(s) in the reviewed terms:\n  " + "\n  ".join(found))
    known = jieba_frequencies(t.term for t in terms + official)
    source = {t.term: texts for t in terms} | {t.term: shared for t in official}
    lines = []
    for t in sorted(terms + official, key=lambda t: t.term):
        count = sum(text.count(t.term) for text in source[t.term])
        lines.append(f"{t.term} {frequency(count, known.get(t.term, 0))} {t.tag}\n")
    return "".join(lines)


# --- proposing candidates for review ------------------------------------------------------------

_FUNCTION_CHARS = set("的了和是在与对为并等也都将把使让从以及其该各每这那个们着过之而或就要所被给")


class Candidate(NamedTuple):
    term: str
    count: int
    cohesion: float  # smallest pointwise mutual information over the ways to split the term in two
    freedom: float  # smaller of the entropies of the characters before and after it


def _entropy(neighbours: Counter[str]) -> float:
    total = sum(neighbours.values())
    h = 0.0
    for ch, n in neighbours.items():
        # every run boundary ("") counts as a neighbour of its own: an edge is as free as it gets
        h += n / total * math.log(total) if ch == "" else -n / total * math.log(n / total)
    return h


def propose(texts: Sequence[str], min_count: int = 2, max_len: int = 6,
            min_cohesion: float = 2.0, min_freedom: float = 0.7) -> list[Candidate]:
    """Recurring n-grams of Han characters that hang together, stand free and jieba cuts apart,
    strongest first."""
    import jieba

    jieba.setLogLevel(60)
    counts: Counter[str] = Counter()
    left: defaultdict[str, Counter[str]] = defaultdict(Counter)
    right: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for run in HAN_RUN.findall(text):
            for size in range(1, max_len + 1):
                for i in range(len(run) - size + 1):
                    gram = run[i:i + size]
                    counts[gram] += 1
                    if size > 1:
                        left[gram][run[i - 1] if i else ""] += 1
                        right[gram][run[i + size] if i + size < len(run) else ""] += 1
    chars = sum(n for g, n in counts.items() if len(g) == 1)
    tokenizer = jieba.Tokenizer()
    out = []
    for gram, n in counts.items():
        if len(gram) < 2 or n < min_count or gram[0] in _FUNCTION_CHARS or gram[-1] in _FUNCTION_CHARS:
            continue
        freedom = min(_entropy(left[gram]), _entropy(right[gram]))
        if freedom < min_freedom:
            continue
        cohesion = min(math.log(chars * n / (counts[gram[:i]] * counts[gram[i:]])) for i in range(1, len(gram)))
        if cohesion < min_cohesion or len(tokenizer.lcut(gram, HMM=False)) == 1:
            continue
        out.append(Candidate(gram, n, round(cohesion, 2), round(freedom, 2)))
    out.sort(key=lambda c: (-c.count * c.freedom, c.term))
    return out


def unreviewed(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates that are neither reviewed nor rejected, nor part of a reviewed term."""
    listed = {t.term for t in reviewed()}
    return [c for c in candidates
            if c.term not in listed and c.term not in REJECTED
            and not any(c.term in term for term in listed)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CLEAN, help="folder of cleaned articles")
    parser.add_argument("--shared", type=Path, default=SHARED, help="folder of official documents")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the dictionary")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    parser.add_argument("--candidates", type=int, metavar="N",
                        help="print the N strongest unreviewed candidates instead of building")
    args = parser.parse_args(argv)

    if args.candidates is not None:
        for c in unreviewed(propose(read_corpus(args.corpus)))[:args.candidates]:
            print(f"{c.term}\t{c.count}\tcohesion {c.cohesion}\tfreedom {c.freedom}")
        return 0
    try:
        text = build(args.corpus, args.shared)
    except LexiconError as e:
        print(f"build_lexicon: {e}", file=sys.stderr)
        return 1
    n = text.count("\n")
    return write_generated(args.out, text, f"{n} terms", "corpus/build_lexicon.py", check=args.check)


if __name__ == "__main__":
    sys.exit(main())
