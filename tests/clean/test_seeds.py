"""The seed pages come out as their articles: counts, titles and exact paragraphs pinned."""

from __future__ import annotations

import re

import pytest

ARTICLES = {"000": 2, "002": 5, "003": 12, "004": 8}


def paragraphs(doc, article: int) -> list[str]:
    return [p.text for p in doc.articles[article - 1].paragraphs]


@pytest.mark.parametrize("seed,count", sorted(ARTICLES.items()))
def test_every_article_of_every_seed_is_recovered(cleaned, seed, count):
    assert len(cleaned[seed].articles) == count


def test_titles(cleaned):
    assert [a.title for a in cleaned["000"].articles] == ["学校帮扶工作总结"] * 2
    assert [a.title for a in cleaned["002"].articles] == ["城乡学校结对帮扶工作总结"] * 5
    assert [a.title for a in cleaned["003"].articles] == [
        "小学爱心助学活动实施方案", "2024年学校贫困生帮扶活动方案", "学校“教师帮扶三困生”工作方案",
        "中小学特困生帮扶计划贫困生帮扶措施", "西岩坊中学中小学特困生帮扶计划", "小学困难学生帮扶制度",
        "2024小学精准扶贫工作计划", "小学困难学生帮扶制度模版", "小学生学困生帮扶活动方案", "小学扶贫帮困方案",
        "民丰小学学困生帮扶工作实施方案", "沙河镇第二中心小学对口帮扶实施方案",
    ]
    assert [a.title for a in cleaned["004"].articles] == ["老师教育扶贫工作计划"] * 8


def test_the_two_mojibake_spans_of_seed_002_are_repaired(cleaned):
    doc = cleaned["002"]
    assert paragraphs(doc, 3)[0].endswith("使得我校在教学理念、教学方法等方面缩短了城乡差距。现将此项工作情况总结如下：。")
    assert "4、加强学校科研间的交流，以学校科研骨干为核心，进行学习交流，促进学校科研突破，促进教师的科研能力。" in paragraphs(doc, 1)
    text = "\n".join(a.text for a in doc.articles)
    for repaired in ("严谨的教风", "在当地党委", "听取报告。", "皇甫学校简明新奇"):
        assert repaired in text
    assert "?" not in text and "？" not in text
    assert doc.fixes["mojibake_repaired"] >= 2


def test_seed_002_traditional_glossed_run_on_page(cleaned):
    doc = cleaned["002"]
    assert doc.script == "traditional"
    assert doc.fixes["pinyin_removed"] == 1238
    assert paragraphs(doc, 1)[:4] == [
        "为了积极响应教体局城镇学校与农村学校结对帮扶的号召，尽快缩小我校与城区学校办学水平的差距，实现教育均衡发展，"
        "办人民满意的教育。按照教体局工作安排，我们和建设街小学结为城乡帮扶互助学校，我校是受助学校。自建立以来，"
        "我们从学校和教师的需要出发，以改进教师的课堂教学行为，提高学校的教学管理水平为核心内容，促进学校资源共享，"
        "共同发展。在工作中我们坚持求真务实、开拓创新的原则，诚恳学习，精心组织，周密实施结对帮扶工作，使得我校在"
        "教学理念、教学方法等方面有了很大提高，工作取得了一定的效果，现对本活动开展情况总结如下：",
        "一、高度重视，制定工作计划和实施方案结对帮扶薄弱学校工程的实施，有利于发挥支援学校的示范辐射作用，有利于"
        "加深校际关系，实现教育优质资源共享，从而缩小城乡教育的差距。我校根据教体局关于城乡学校结对帮扶工作的文件"
        "精神，学校领导十分重视结对帮扶工作，并把它作为向高质量学校学习的极好机会，在教体局孟勇局长的牵头带领下，"
        "两校领导召开了“结对帮扶工作会议”，成立了领导小组，制定了相关工作计划和实施方案，并具体明确了工作职责，"
        "使得此项活动能够有序有效开展。",
        "二、开展各项活动，给我校教育教学带来了生机在学校工作会议上，学校领导多次向老师们阐述结对帮扶工作的意义。"
        "因此，在受帮扶过程中，老师们虚心学习，真诚面对，以心换心，以情促行。在工作中具体做到，主动加强联系，"
        "建立稳定的互访机制，提高我校办学效益。",
        "1、领导互访，更新办学理念。学期开学初，两校领导共同交流学校的发展规划与新学期的工作计划，就学校教育管理、"
        "教学研究、教育科研等进行深入的探讨。了解帮扶工作实施情况，共商学校发展大计，确定工作重点，相互协调，"
        "制定帮扶实施方案，保证帮扶工作顺利开展。",
    ]
    assert "五、工作中的不足和今后的设想" in paragraphs(doc, 1)
    assert "（一）、工作中的不足：" in paragraphs(doc, 1)
    assert paragraphs(doc, 1)[-1].startswith("总之，开展活动以来")


def test_seed_000_broken_line_joined_and_tag_line_removed(cleaned):
    doc = cleaned["000"]
    assert any("成为学生真正的“朋友”和“知心人”，并进一步认真" in p for p in paragraphs(doc, 2))
    assert "[2016学校帮扶工作总结]" in [r.text for r in doc.removed]
    assert paragraphs(doc, 2)[1:3] == ["一、具体帮扶措施", "1.加强思想教育"]


def test_seed_003_titles_glued_to_bodies_are_separated(cleaned):
    doc = cleaned["003"]
    assert paragraphs(doc, 1)[:4] == [
        "一、活动目的通过爱心助学活动，鼓励学生热爱学习，激励他们努力上进，同时也帮助家庭经济困难学生缓解学习压力，"
        "减少因家庭贫困导致的辍学现象。",
        "二、活动时间将爱心助学活动安排在每个学期的期末考试前一个月进行，为学生提供临时的学习资料和学习环境。",
        "三、活动形式",
        "1. 募捐：学校可以通过向社会发起募捐活动，募集资金或物资来帮助需要的学生。",
    ]
    assert paragraphs(doc, 2)[0] == "一、背景和目标贫困学生是当前教育领域的一个重点关注群体，他们因为社会经济条件的限制，面临着接受教育和发展的困难。"
    assert paragraphs(doc, 5)[0].startswith("一、指导思想学校领导亲自挂帅")
    text = "\n".join(a.text for a in doc.articles)
    for chrome in ("合集下载", "下载文档前请自行甄别", "相关文档", "最新文档", "第 1 页共 1 页"):
        assert chrome not in text


def test_seed_004_metadata_and_blurbs_are_chrome_placeholders_kept(cleaned):
    doc = cleaned["004"]
    text = "\n".join(a.text for a in doc.articles)
    for chrome in ("ID:3107147", "上传者", "小编", "一起来看一看吧", "关闭"):
        assert chrome not in text
    for placeholder in ("201x年", "20__年", "xx县", "接受学前教育的名贫困家庭幼儿"):
        assert placeholder in text
    assert "组长：" in paragraphs(doc, 3) and "成员：" in paragraphs(doc, 3)
    assert paragraphs(doc, 5)[0].startswith("为贯彻落实《中共黄冈市委、黄冈市人民政府关于全力推进精准扶贫精准脱贫的决定》")
    assert "采取相应的方法" in text and "`" not in text


def test_clean_articles_are_simplified_with_full_width_punctuation(cleaned):
    for doc in cleaned.values():
        for art in doc.articles:
            for p in art.paragraphs:
                assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", p.text), p.text
    assert "鄉" not in cleaned["002"].articles[0].text and "學" not in cleaned["002"].articles[0].text
