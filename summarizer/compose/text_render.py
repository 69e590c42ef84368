"""Markdown and plain text of a `Draft`.

Markdown and plain text carry the same blocks as the Word file for users who paste them
elsewhere; the text form is the cleaned-article format (title first, one paragraph per line)
that the checker reads.
"""

from __future__ import annotations

import re

from summarizer.compose.draft import Block, Draft

TODO_PREFIX = "【待补充："



def one_line(text: str) -> str:
    """A block's text on one line: a line break inside a paragraph would split it in the text form.

    Breaks between CJK characters vanish (Chinese has no spaces between words); others become one
    space.
    """
    parts = [p.strip() for p in re.split(r"[\r\n\u2028\u2029]+", text)]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and re.match(r"[\x21-\x7e]", out[-1]) and re.match(r"[\x21-\x7e]", part[0]):
            out += " "
        out += part
    return out


def block_text(block: Block) -> str:
    """The text a block shows: a `todo` always reads `【待补充：…】`, however the composer wrote it."""
    text = one_line(block.text)
    if block.kind == "todo" and text and not (text.startswith("【") and text.endswith("】")):
        text = f"{TODO_PREFIX}{text}】"
    return text


def draft_blocks(draft: Draft) -> list[Block]:
    """The blocks to render: the non-empty ones, with the draft's title first if no block holds it."""
    blocks = [b for b in draft.blocks if block_text(b)]
    title = one_line(draft.title)
    if title and not any(b.kind == "title" for b in blocks):
        blocks.insert(0, Block("title", title, "title"))
    return blocks


_MD_BLOCK_START = re.compile(r"^(\s*)([#>+\-=|]|\d+[.)])")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")


def _md_escape(text: str, line_start: bool = True) -> str:
    """Escape what Markdown would read as markup: emphasis (`____年……：____` is one), code, links,
    HTML, and, where the text starts a line, a block marker (`1.` would be a list, `#` a heading)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    m = _MD_BLOCK_START.match(text) if line_start else None
    if m:
        marker = m.group(2)
        if marker[0].isdigit():
            text = text[: m.start(2)] + marker[:-1] + "\\" + marker[-1] + text[m.end(2) :]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


_MD_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### ", "heading3": "#### "}


def render_markdown(draft: Draft) -> str:
    """The draft as Markdown: `#` title, `##`–`####` headings, paragraphs, the todo notes in bold.

    Markdown cannot right-align, so the signoff and date stay plain paragraphs at the end.
    """
    parts: list[str] = []
    for block in draft_blocks(draft):
        text = _md_escape(block_text(block), line_start=block.kind not in _MD_PREFIX)
        if block.kind in _MD_PREFIX:
            parts.append(_MD_PREFIX[block.kind] + text)
        elif block.kind == "todo":
            parts.append(f"**{text}**")
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n" if parts else ""


def render_text(draft: Draft) -> str:
    """The draft as plain text in the cleaned-article format: title first, one paragraph a line."""
    lines = [block_text(b) for b in draft_blocks(draft)]
    return "\n".join(lines) + "\n" if lines else ""
