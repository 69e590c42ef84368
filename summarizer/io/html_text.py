"""The text of a web page: page furniture dropped (navigation, footers, scripts, blocks whose
class names say so), the densest block of prose kept, block elements one line each, breaks
between CJK characters inside a block joined, a data table one pipe row a row
(`| 工作项目 | 具体内容 | 成果 |`, as `io/docx_text.py` reads a Word table).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Never content: code, styling, navigation and page furniture; of these, the ones a reader sees.
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg",
              "canvas", "object", "embed", "button", "select", "textarea", "input", "head", "dialog"]
_SEEN_DROP_TAGS = ("nav", "footer", "aside", "form", "button", "select", "textarea", "dialog")
_BLOCK = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "title", "tr", "ul",
})
# class/id words of page furniture (readability's "unlikely candidates", adapted to Chinese sites).
_CHROME_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|side|footer|foot|header|top-?bar|copyright|"
    r"share|comments?|advert|ads?|banner|related|recommend|hot|toolbar|pager|pagination|login|links|tags)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CONTENT_HINT = re.compile(r"article|content|main|body|text|post|entry|detail|正文", re.IGNORECASE)
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_PROSE_PUNCT = re.compile(r"[,。;:!?、,.;!?]")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|]|\s[-–—]\s)\s*")
# Longest cell of a data table: a longer one is a table laying out the page (an article in a cell).
DATA_CELL_MAX = 200


class HtmlText(NamedTuple):
    """A page's main text, and the lines of text a reader saw on the page that it leaves out
    (navigation, footers, sidebars, blocks outside the main content), for `removed.jsonl`."""

    text: str
    dropped: list[str]


def html_text(markup: str) -> HtmlText:
    """The main text of a page, one block per line: furniture dropped, the main content chosen
    (`<article>`, `<main>`, or the block with the densest prose), block elements as line breaks.
    When the chosen content has no heading of its own, the page's `<h1>` (else the first part of
    `<title>`, without the site name) heads the text. What was seen and left out comes with it,
    line by line (code and styling are not text, and are not listed)."""
    tree = LexborHTMLParser(markup)
    title = ""
    title_node = tree.css_first("title")
    if title_node is not None:
        title = _TITLE_SPLIT.split(_SPACES.sub(" ", title_node.text()).strip())[0].strip()
    root = tree.body
    if root is None:
        return HtmlText("", [])
    dropped: list[str] = []
    for node in root.css(", ".join(_SEEN_DROP_TAGS)):
        if not _has_ancestor(node, _SEEN_DROP_TAGS):
            dropped.extend(_node_lines(node))
    root.strip_tags(_DROP_TAGS)
    page_size = len(root.text(strip=True))

    def is_chrome(node: LexborNode) -> bool:
        if node.tag == "header":  # a page header, but an article's header holds its title
            return not _has_ancestor(node, ("article", "main"))
        if node.tag in ("body", "article", "main"):
            return False
        hints = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _CHROME_HINT.search(hints) or _CONTENT_HINT.search(hints):
            return False
        # A misleading class on the wrapper of most of the page is not furniture.
        return len(node.text(strip=True)) <= 0.5 * page_size

    def drop_if_chrome(node: LexborNode) -> bool:
        if is_chrome(node):
            dropped.extend(_node_lines(node))
            return True
        return False

    _remove_all(root.css("header, [class], [id]"), drop_if_chrome)

    main = _main_nodes(root)
    lines: list[str] = []
    for node in main:
        lines.extend(_node_lines(node))
    if not any(node.css_first("h1, h2, h3") for node in main):
        h1 = root.css_first("h1")
        heading = (_SPACES.sub(" ", h1.text()).strip() if h1 is not None else "") or title
        if heading and heading not in "".join(lines[:3]):
            lines.insert(0, heading)
    # What stood outside the main content: the page's lines less those kept, in page order.
    kept = Counter(lines)
    for line in _node_lines(root) if [n.mem_id for n in main] != [root.mem_id] else ():
        if kept[line]:
            kept[line] -= 1
        else:
            dropped.append(line)
    return HtmlText("\n".join(lines), dropped)


def _remove_all(nodes: list[LexborNode], condition) -> None:  # noqa: ANN001 - a predicate
    """Decompose the `nodes` (in document order) that meet `condition`, never touching a node
    inside one already removed (its memory is gone with its ancestor)."""
    removed: set[int] = set()
    for node in nodes:
        parent, inside = node.parent, False
        while parent is not None:
            if parent.mem_id in removed:
                inside = True
                break
            parent = parent.parent
        if not inside and condition(node):
            removed.add(node.mem_id)
            node.decompose()


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _main_nodes(root: LexborNode) -> list[LexborNode]:
    """The nodes holding the page's content, in document order."""
    articles = [n for n in root.css("article") if not _has_ancestor(n, ("article",))]
    sizes = [len(n.text(strip=True)) for n in articles]
    if articles and max(sizes) >= 50:
        # Several <article>s on one page are several articles (the cleanup splits them); small
        # teaser cards next to a real article are not.
        return [n for n, size in zip(articles, sizes) if size >= max(50, 0.2 * max(sizes))]
    main = root.css_first("main, [role=main]")
    if main is not None and len(main.text(strip=True)) >= 50:
        return [main]
    return [_densest(root)]


def _densest(root: LexborNode) -> LexborNode:
    """The block with the most prose, readability-style: every text run scores for its nearest
    block (its length, plus a bonus per punctuation mark, since prose is punctuated and menus are
    not), fully for that block, 3/4 for its parent (so a container of several paragraphs beats
    each of them, but a text block does not lose to a wrapper that adds little) and 2/5 for the
    grandparent; link text scores nothing."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    stack: list[tuple[LexborNode, list[LexborNode], bool]] = [(root, [], False)]
    while stack:
        node, blocks, in_link = stack.pop()
        if node.tag == "-text":
            if in_link or not blocks:
                continue
            text = (node.text_content or "").strip()
            if not text:
                continue
            score = len(text) + 5 * len(_PROSE_PUNCT.findall(text))
            for weight, block in zip((1.0, 0.75, 0.4), reversed(blocks)):
                scores[block.mem_id] = scores.get(block.mem_id, 0.0) + weight * score
                nodes[block.mem_id] = block
            continue
        if not node.is_element_node:
            continue
        chain = [*blocks, node] if node.tag in _BLOCK else blocks
        link = in_link or node.tag == "a"
        children = list(node.iter(include_text=True))
        stack.extend((child, chain, link) for child in reversed(children))
    if not scores:
        return root
    best = max(scores, key=lambda k: scores[k])
    return nodes[best]


def _node_lines(node: LexborNode) -> list[str]:
    """Render a subtree as text lines: blocks and <br> break lines, whitespace collapses (not in
    <pre>), a source line break between two CJK characters is no space at all."""
    out: list[str] = []
    stack: list[tuple[LexborNode | None, bool]] = [(node, False)]
    while stack:
        current, in_pre = stack.pop()
        if current is None:  # end-of-block marker
            out.append("\n")
            continue
        tag = current.tag
        if tag == "-text":
            text = current.text_content or ""
            if not in_pre:
                text = _SPACES.sub(" ", _CJK_BREAK.sub("", text))
            out.append(text)
            continue
        if not current.is_element_node:
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag == "table" and (rows := _data_rows(current)):
            out.append("\n" + "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n")
            continue
        block = tag in _BLOCK
        pre = in_pre or tag == "pre"
        if block:
            out.append("\n")
            stack.append((None, False))
        stack.extend((child, pre) for child in reversed(list(current.iter(include_text=True))))
    lines = (line.strip() for line in "".join(out).split("\n"))
    return [line for line in lines if line]


def _data_rows(table: LexborNode) -> list[list[str]] | None:
    """The rows of a data table, each cell's text in order (a `|` in it made full-width), or None
    for a table that lays out the page or its links: one holding another table, a cell longer
    than `DATA_CELL_MAX`, one column only, or text mostly of links (a menu). As pipe rows the
    cleanup keeps a table whole and never judges its short cells (`18对`) as site chrome
    (`summarizer.clean.paragraphs.table_rows`), so a menu must not become one."""
    if any(inner.mem_id != table.mem_id for inner in table.css("table")):  # css() matches the node too
        return None
    rows = []
    for tr in table.css("tr"):
        cells = [_SPACES.sub(" ", _CJK_BREAK.sub("", cell.text(deep=True))).strip().replace("|", "｜")
                 for cell in tr.iter() if cell.tag in ("td", "th")]
        if any(len(c) > DATA_CELL_MAX for c in cells):
            return None
        if any(cells):
            rows.append(cells)
    if not any(len(r) >= 2 for r in rows):
        return None
    links = sum(len(a.text(strip=True)) for a in table.css("a"))
    return None if 2 * links >= len(table.text(strip=True)) else rows
