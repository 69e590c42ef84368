"""A composed draft: the blocks of a report in reading order, before any file format.

The composer produces a `Draft`; the renderers (`docx_render.py`: Word in the GB/T 9704 layout,
Markdown, plain text) only lay it out. Heading text carries its own numbering (`一、`, `（一）`,
`1.`), as Chinese reports write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["title", "heading1", "heading2", "heading3", "body", "signoff", "date", "todo"]


@dataclass
class Block:
    """One paragraph of the draft.

    - `title`: the document title (centred);
    - `heading1` `一、…` (黑体), `heading2` `（一）…` (楷体), `heading3` `1.…` (仿宋 bold);
    - `body`: a body paragraph (two-character first-line indent);
    - `signoff` / `date`: the issuing body and the date, right-aligned at the end;
    - `todo`: a visible `【待补充：…】` note where the data lacks something the structure needs.
    """

    kind: BlockKind
    text: str
    section: str = ""  # the SPEC section label the block belongs to (preamble, measures, …)


@dataclass
class Draft:
    """A whole draft: its kind (工作总结 / 工作计划 / 实施方案), title and blocks."""

    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Where the title may break across lines (offsets between words), when the composer knows
    # its parts (school | period | topic | kind); the renderer otherwise finds words itself.
    title_breaks: tuple[int, ...] = ()
    # The corpus sentences the composer used (`phrases.Phrase`), as (sentence in the draft,
    # `<article stem>#<line>` in the corpus): where the phrasing came from.
    phrases: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The draft as plain text, one block per line (what the checker and the tests read)."""
        return "\n".join(b.text for b in self.blocks) + "\n"
