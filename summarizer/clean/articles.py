"""Split compilation pages into articles, each with its title.

Document sites glue several reports into one page: `篇一 … 篇八`, `【篇二：…】`, `[篇2]`,
`…总结（二）`, or simply the next report's title repeated on two or three lines. The title is
often glued to the first sentence (`小学爱心助学活动实施方案实施方案：一、…`). This step finds
those boundaries, gives every article its title, and returns what stood before the first
article (page title, compilation header) as removed text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from summarizer.clean.chrome import EDGE_THRESHOLD, INNER_MAX, default_model
from summarizer.clean.furniture import SENTENCE_END
from summarizer.clean.paragraphs import marker_at
from summarizer.text.spans import matches_by_first

_NUM = "一二三四五六七八九十百零两〇"
_TERMINAL = "。！？；!?;…"
# A compilation header: `城乡学校结对帮扶工作总结（5篇）_第1页`, `…工作计划（实用8篇）`.
_COMPILATION = re.compile(
    r"^(?P<title>.{2,60}?)\s*[（(](?:[^（()）]{0,6}?)\d+篇[)）](?:_第\d+页)?$"
)
_PAGE_SUFFIX = re.compile(r"_第\d+页$")
# `老师教育扶贫工作计划篇一`, `…篇2`, a line that is only `篇一`.
_PIAN_LINE = re.compile(rf"^(?P<title>.{{0,60}}?)篇(?:[{_NUM}]+|\d+)$")
# `【篇二：民丰小学学困生帮扶工作实施方案】`, `[篇2]`, `【篇一】`.
_PIAN_BRACKET = re.compile(rf"【篇(?:[{_NUM}]+|\d+)(?:[：:](?P<title>[^】\n]{{1,60}}))?】")
_PIAN_SQUARE = re.compile(rf"[\[［]篇(?:[{_NUM}]+|\d+)[\]］]")
# A title-like phrase followed by an ordinal in parentheses, after a sentence end:
# `…做出努力。城乡学校结对帮扶工作总结（二）近几年…`.
_DOC_WORDS = "总结|计划|方案|制度|措施|规划|汇报|报告|意见|办法"
_ORDINAL_TAIL = r"(?:[二三四五六七八九十]+|[2-9]|1\d)[)）]"
_ORDINAL = re.compile(r"[（(]" + _ORDINAL_TAIL)
# `_ORDINAL` by its opening parenthesis: a pattern that begins with a plain character is scanned
# for ten times faster than one that begins with a class, and these lines are long paragraphs.
_ORDINALS = tuple((o, re.compile(re.escape(o) + _ORDINAL_TAIL)) for o in "(（")
_TITLE_BEFORE = re.compile(rf"[{_TERMINAL}：:]([^{_TERMINAL}\n，,：:]{{4,40}}(?:{_DOC_WORDS}))$")
_TITLE_MAX = 40
TITLE_CHROME_MAX = 0.5  # a line the chrome model scores at or above this is not a title or prose
_ART = "\x00ART\x00"  # an article start found inside a line, followed by its title


@dataclass
class ArticleDraft:
    """An article found in a page: its title and its body lines, not yet segmented."""

    title: str
    lines: list[str] = field(default_factory=list)


_NOT_IN_TITLE = re.compile("[。！？；!?;，,]")
# What is never a title: a breadcrumb (`当前位置：首页 > 范文大全 > 工作总结`, `首页`, `>` chains), a
# metadata line (`发布时间：…`, `浏览：1253次`, `来源：…`, `作者：…`, a bare date), a table row.
_BREADCRUMB = re.compile(r"当前位置|您的位置|现在的位置|所在位置|首页|[>»›]")
_METADATA = re.compile(
    r"^(?:发布|发表|更新|上传)?(?:时间|日期)[：:]|^(?:浏览|阅读|点击|来源|作者|编辑|责任编辑|上传者|上一篇|下一篇|"
    r"字号|字体|分享)(?:量|次数)?\s*[：:]|浏览\s*[：:]?\s*\d+\s*次|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
# A document title names a kind of document (文种), near the top, at a title's length.
_DOC_KINDS = re.compile(
    "总结|计划|方案|报告|意见|通知|通报|决定|制度|措施|规划|汇报|办法|要点|讲话|发言|心得|体会|述职|请示|"
    "纪要|细则|安排|规定|公告|倡议|简报|自查|申请|总结|规则|守则|职责|预案|章程|须知")
TITLE_WINDOW = 15  # lines at the top of a page where its title is looked for


def _is_title_like(line: str) -> bool:
    return (2 <= len(line) <= _TITLE_MAX and _NOT_IN_TITLE.search(line) is None
            and not line.startswith(("|", "｜")) and _BREADCRUMB.search(line) is None
            and _METADATA.search(line) is None)


def _find_title(lines: list[str], chrome) -> int | None:
    """The index of the line that reads as the page's document title: among the first
    `TITLE_WINDOW` lines and before the first paragraph of prose, the first that is title-like
    (`_is_title_like`: no breadcrumb, no metadata), names a kind of document (`_DOC_KINDS`) and
    is not a site word (`下载`, `打印`: the chrome model scores it below `TITLE_CHROME_MAX`); else
    the first title-like line that is not a site word; else None."""
    top: list[int] = []
    for i, line in enumerate(lines[:TITLE_WINDOW]):
        if len(line) >= 30 and any(c in line for c in "。！？；"):
            break  # prose: the title stands above it
        if _is_title_like(line):
            top.append(i)
    if not top:
        return None
    proba = chrome.predict_proba([lines[i] for i in top])
    fit = [i for i, p in zip(top, proba) if p < TITLE_CHROME_MAX]
    return next((i for i in fit if _DOC_KINDS.search(lines[i])), fit[0] if fit else None)


def _strip_title(line: str, title: str) -> tuple[str, str]:
    """Remove a title glued to the start of a line; return (rest, removed)."""
    if not title or not line.startswith(title):
        return line, ""
    rest = line[len(title):]
    removed = title
    # A doubled document-type suffix: `…实施方案实施方案：一、` → drop `实施方案：`.
    m = re.match(rf"^(?:{_DOC_WORDS}|实施方案|工作方案|活动方案)[：:]", rest)
    if m and title.endswith(m.group()[:-1]):
        removed += m.group()
        rest = rest[m.end():]
    # The same title as a template with blanks: `2024年…方案____年…方案一、…`.
    pattern = re.escape(title)
    pattern = re.sub(r"\d+", r"(?:\\d+|_+|[xX×]+)", pattern)
    m = re.match(pattern, rest)
    if m and m.end() > 0:
        removed += m.group()
        rest = rest[m.end():]
    return rest, removed


def split_articles(text: str) -> tuple[list[ArticleDraft], list[str], dict[str, int]]:
    """Split a cleaned page into articles.

    Returns the articles, the removed lines (page title and compilation header before the first
    article, glued duplicate titles), and counts (`articles`, `titles_separated`).
    """
    lines = [ln for ln in map(str.strip, text.split("\n")) if ln]
    lines = _split_inline_markers(lines)
    counts: Counter[str] = Counter()
    removed: list[str] = []

    compilation_titles = set()
    for ln in lines:
        m = _COMPILATION.match(ln) if "篇" in ln else None
        if m:
            compilation_titles.add(m.group("title").strip())
    # A title-like line that occurs twice or more. A repeated heading (`（1）课前准备` in two
    # copies of one plan) is not a title. (Counting all lines and testing only the repeated ones
    # gives the same lines, in the same order, as testing every line before counting.)
    repeated = [
        ln for ln, n in Counter(lines).items()
        if n >= 2 and _is_title_like(ln) and not ("篇" in ln and _COMPILATION.match(ln)) and not marker_at(ln)
    ]
    # A widget repeated on the page (`下载本文档` twice) is not a title either.
    chrome = default_model()
    repeated = {ln for ln, p in zip(repeated, chrome.predict_proba(repeated)) if p < TITLE_CHROME_MAX}

    articles: list[ArticleDraft] = []
    preamble: list[str] = []
    current: ArticleDraft | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        title = None
        pian = "篇" in ln
        if ln.startswith(_ART):
            title = ln[len(_ART):]
            if not title and i + 1 < len(lines) and _is_title_like(lines[i + 1]):
                i += 1
                title = lines[i]
        elif pian and (m := _PIAN_LINE.match(ln)) and (not m.group("title") or _is_title_like(m.group("title"))):
            title = m.group("title").strip()
            if not title and i + 1 < len(lines) and _is_title_like(lines[i + 1]):
                i += 1
                title = lines[i]
        elif ln in repeated:
            if current is not None and not current.lines and ln != current.title and lines[i - 1] == current.title:
                # A second repeated line right under a title is its subtitle (`——…在省人民代表
                # 大会…上 省长 某某`, printed twice with the title), not another article.
                current.lines.append(ln)
                i += 1
                continue
            title = ln
        elif pian and _COMPILATION.match(ln):
            (preamble if current is None else current.lines).append(ln)
            if current is not None:
                # A compilation header inside the page is chrome; keep it out of the body.
                current.lines.pop()
                removed.append(ln)
            i += 1
            continue
        else:
            # Only before the first article: the header's title opens a page's first report.
            for ct in compilation_titles if current is None else ():
                if ln.startswith(ct):
                    title = ct
                    break
            if title is not None:
                current = ArticleDraft(title=title)
                articles.append(current)
                rest, cut = _strip_title(ln, title)
                counts["titles_separated"] += 1
                if rest:
                    current.lines.append(rest)
                if len(cut) > len(title):
                    removed.append(cut[len(title):])
                i += 1
                continue
        if title is not None:
            if current is not None and current.title == title and not current.lines:
                removed.append(ln)  # the same title on one more line
            else:
                current = ArticleDraft(title=title)
                articles.append(current)
            i += 1
            # Further repeats of the title, and the title glued to the first body line.
            while i < len(lines) and lines[i] == title:
                removed.append(lines[i])
                i += 1
            if i < len(lines) and lines[i] != title and lines[i].startswith(title):
                rest, cut = _strip_title(lines[i], title)
                counts["titles_separated"] += 1
                if len(cut) > len(title):
                    removed.append(cut[len(title):])
                # The glued title itself is a copy of the article's title: it is not lost.
                lines[i] = rest
                if not rest:
                    i += 1
            continue
        if current is None:
            preamble.append(ln)
        else:
            current.lines.append(ln)
        i += 1

    # The page title repeated before an inline `【篇…】` marker ends up as the last line of the
    # previous article: it is page furniture, not that article's text.
    page_titles = set(preamble[:1])
    for art in articles:
        while art.lines and art.lines[-1] in page_titles:
            removed.append(art.lines.pop())
    # Prose before the first marked article that is not chrome is an article of its own (a page
    # whose first report has no repeated title): nothing of the body goes to `removed`.
    if preamble and (not articles or _has_prose(preamble, chrome)):
        first, preamble = _first_article(preamble, chrome)
        articles.insert(0, first)
    articles, echoes = _without_echoes(articles)
    removed = preamble + removed + echoes
    counts["articles"] = len(articles)
    return articles, removed, dict(counts)


_NON_HAN = re.compile(r"[^\u4e00-\u9fff]+")
ECHO_MAX = 200  # Han characters of an excerpt a page repeats under its title at its foot


def _without_echoes(articles: list[ArticleDraft]) -> tuple[list[ArticleDraft], list[str]]:
    """The articles less those that are the page repeating itself, and the lines of those: a
    page header printed with the title over the real one (the first article, with another after
    it and not one sentence end: `首页 > 政府信息公开 > …` under the title), and a title repeated
    at the page's foot with an excerpt of the article it titles (a line or two, at most
    `ECHO_MAX` characters, within that article's text). A longer copy is an article: the run flags it as a duplicate."""
    kept: list[ArticleDraft] = []
    echoes: list[str] = []
    by_title: dict[str, list[ArticleDraft]] = {}
    for k, art in enumerate(articles):
        header = k == 0 and len(articles) > 1 and art.lines and not any(SENTENCE_END.search(ln) for ln in art.lines)
        if header or (art.title in by_title and _is_excerpt(art, by_title[art.title])):
            echoes.extend([art.title, *art.lines])
        else:
            kept.append(art)
            by_title.setdefault(art.title, []).append(art)
    return kept, echoes


def _is_excerpt(art: ArticleDraft, others: list[ArticleDraft]) -> bool:
    """Whether `art`'s text is a line or two, at most `ECHO_MAX` Han characters, all within one
    of `others`."""
    if len(art.lines) > 2:
        return False
    body = _NON_HAN.sub("", "".join(art.lines))
    return 0 < len(body) <= ECHO_MAX and any(body in _NON_HAN.sub("", "".join(o.lines)) for o in others)


def _first_article(lines: list[str], chrome) -> tuple[ArticleDraft, list[str]]:  # noqa: ANN001
    """The article made of prose before the first marked one (a page whose first report has no
    repeated title), and the site furniture above its title: what the chrome model finds at an
    edge, short lines that are breadcrumbs or metadata (`当前位置：首页 > …`, `发布时间：…`), and
    the items of a breadcrumb laid out a line each (`_breadcrumb_items`); anything else above the
    title opens the body, so nothing of it goes to `removed`."""
    at = _find_title(lines, chrome)
    title = lines[at] if at is not None else ""
    above = lines[:at] if at else []
    body = lines[at + 1:] if at is not None else lines
    crumbs = _breadcrumb_items(above)
    furniture = [p >= EDGE_THRESHOLD or (len(ln) < 30 and not _is_title_like(ln)) or i in crumbs
                 for i, (ln, p) in enumerate(zip(above, chrome.predict_proba(above)))] if above else []
    kept = [ln for ln, f in zip(above, furniture) if not f]
    return ArticleDraft(title=title, lines=kept + body), [ln for ln, f in zip(above, furniture) if f]


_CRUMB_SEPARATOR = re.compile(r"[>»›/]+")


def _breadcrumb_items(lines: list[str]) -> set[int]:
    """The lines of a breadcrumb laid out one item a line (`首页` / `>` / `政务信息` / `>` /
    `宁夏要闻`): those next to a line of nothing but separators, and the same names again (a
    section name repeated as the heading of its page, `云南要闻` twice)."""
    items = {i for i, ln in enumerate(lines)
             if any(0 <= j < len(lines) and _CRUMB_SEPARATOR.fullmatch(lines[j]) for j in (i - 1, i + 1))}
    names = {lines[i] for i in items}
    return items | {i for i, ln in enumerate(lines) if ln in names}


def _has_prose(lines: list[str], chrome) -> bool:
    """True when a line of 30 characters or more with a sentence end is not chrome. The
    candidates are scored a few at a time, since the first usually settles it: scoring all the
    paragraphs of a page without article markers (all preamble) cost more than the rest of
    the article split."""
    prose = [ln for ln in lines if len(ln) >= 30 and any(c in ln for c in "。！？；")]
    # Lines the chrome step will score anyway first (its scores are kept): the answer is the
    # same in any order, and a long paragraph is scored only when the short ones do not settle it.
    prose.sort(key=lambda ln: len(ln) > INNER_MAX)
    start, batch = 0, 4
    while start < len(prose):
        if (chrome.predict_proba(prose[start:start + batch]) < TITLE_CHROME_MAX).any():
            return True
        start, batch = start + batch, batch * 4
    return False


def _split_inline_markers(lines: list[str]) -> list[str]:
    """Cut lines at inline article markers; an article start becomes a line `\\x00ART\\x00<title>`."""
    out: list[str] = []
    for ln in lines:
        # Every marker holds 篇, or is an ordinal in parentheses: other lines are kept without a
        # call (a paragraph with parentheses but no ordinal in them is common, and it cost the
        # call to find that out: 5 µs a line).
        if "篇" in ln or any(o in ln and pattern.search(ln) for o, pattern in _ORDINALS):
            out.extend(p for p in _cut_line(ln) if p)
        elif ln:
            out.append(ln)
    return out


def _cut_line(ln: str) -> list[str]:
    marks: list[tuple[int, int, str, int]] = []  # (cut start, body start, title, title start)
    # Every marker holds 篇 or a parenthesis: most lines are passed over without a regex.
    has_pian = "篇" in ln
    if not has_pian and "(" not in ln and "（" not in ln:
        return [ln]
    for m in _PIAN_BRACKET.finditer(ln) if has_pian else ():
        title = (m.group("title") or "").strip()
        marks.append((m.start(), m.end(), title, m.start()))
    for m in _PIAN_SQUARE.finditer(ln) if has_pian else ():
        # The title is the text before the marker back to the last sentence end.
        head = ln[: m.start()]
        k = max(head.rfind(c) for c in _TERMINAL + "】")
        title = head[k + 1 :].strip()
        marks.append((k + 1, m.end(), title, k + 1))
    for m in matches_by_first(ln, _ORDINALS):  # `_ORDINAL.finditer(ln)`
        # Found from the ordinal backwards: scanning for the title first is 10× slower.
        head = _TITLE_BEFORE.search(ln, max(0, m.start() - 42), m.start())
        if head:
            marks.append((head.start(1), m.end(), head.group(1).strip(), head.start(1)))
    if not marks:
        return [ln]
    marks.sort()
    pieces: list[str] = []
    pos = 0
    for cut, body, title, _ in marks:
        if cut < pos:
            continue
        pieces.append(ln[pos:cut].strip())
        pieces.append(_ART + title)
        pos = body
    pieces.append(ln[pos:].strip())
    return pieces
