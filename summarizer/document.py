"""The one data model every stage reads and extends.

A `Document` is one input (a file, or a member of a zip archive). Cleaning turns its text into
`Article`s; each article is a title and `Paragraph`s; later stages add sentences, spans, heading
levels and section labels to the paragraphs rather than building parallel structures.

Every step that changes text records what it did in `Document.fixes` (counts that go to the
manifest) and, for anything it drops or rewrites, the text as it stood in `Document.removed`, so
that "nothing is lost" can be checked: the Han characters of the input are those of the articles
plus those removed, less the replacements of rewritten pieces.

This module imports nothing of the project.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple


@dataclass
class Span:
    """A stretch of a paragraph's text: a sentence, a placeholder, a figure, a match."""

    start: int
    end: int
    kind: str
    text: str
    value: Any = None


@dataclass(slots=True)
class Paragraph:
    """One paragraph of an article; `start` is its character offset in `Article.text`.

    A stage that finds sentences or spans assigns the sequence whole (`segment` does): they
    start as empty tuples, not fresh lists, since a cleaned archive makes hundreds of thousands
    of paragraphs and two lists each were a third of their cost (with `slots`, half)."""

    text: str
    start: int = 0
    heading_level: int = 0
    marker: str = ""
    label: str | None = None
    score: float | None = None
    sentences: Sequence[Span] = ()
    spans: Sequence[Span] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Article:
    """One article recovered from a document: a title and its paragraphs."""

    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    index: int = 1
    duplicate_of: str | None = None

    @classmethod
    def from_lines(cls, title: str, lines: list[str], index: int = 1) -> Article:
        """Build an article whose paragraph offsets match `text` (title on line one)."""
        art = cls(title=title, index=index)
        offset = len(title) + 1
        append = art.paragraphs.append
        for line in lines:
            append(Paragraph(line, offset))  # positional: a third faster, ~40k per 10 MB cleaned
            offset += len(line) + 1
        return art

    @property
    def text(self) -> str:
        """The cleaned-article file format: title on the first line, one paragraph per line."""
        return "\n".join([self.title, *(p.text for p in self.paragraphs)]) + "\n"


class Removal(NamedTuple):
    """A piece of text a step dropped or rewrote: why (`reason`: gloss, page_counter,
    page_furniture, chrome, empty_article, mojibake, html_furniture), the text, the number of the article it
    stood in (None for what stood outside every article or in the page before articles were
    found), the step's score for it where the step has one (the chrome model's probability),
    and for a rewritten piece (a mojibake repair) what now stands in its place."""

    reason: str
    text: str
    article: int | None = None
    score: float | None = None
    replacement: str | None = None


# What each reason of a `Removal` is, for people (the CLI's `--show-removed`, the web page).
REMOVAL_LABELS = {"gloss": "注音 pinyin gloss", "page_counter": "页码 page counter",
                  "page_furniture": "页面杂项 page furniture", "chrome": "网页杂项 site chrome",
                  "empty_article": "空文章标题 empty article title",
                  "mojibake": "乱码修复 mojibake repaired",
                  "html_furniture": "网页导航、页脚、侧栏 page navigation, footer, sidebar"}


@dataclass
class Document:
    """One input and everything the pipeline learned and changed about it."""

    source: str
    sha256: str = ""
    encoding: str = ""
    format: str = "txt"
    text: str = ""
    script: str = ""
    articles: list[Article] = field(default_factory=list)
    fixes: Counter = field(default_factory=Counter)
    removed: list[Removal] = field(default_factory=list)
    error: str | None = None
    # Working state of the cleanup steps: the page's text as the steps before left it, until
    # the article split; then the articles being built, `(title, lines)` each, until the last
    # step makes them `articles`.
    work: str = ""
    drafts: list[tuple[str, list[str]]] = field(default_factory=list)

    def record(self, counts: dict[str, int]) -> None:
        """Add a step's change counts to the document's record (zero counts are kept out)."""
        for key, value in counts.items():
            if value:
                self.fixes[key] += value

    def drop(self, reason: str, pieces: list[str], article: int | None = None,
             scores: list[float] | None = None, replacements: list[str] | None = None) -> None:
        """Record `pieces` as removed for `reason`, or as rewritten to `replacements` (see
        `Removal`)."""
        # Built by `tuple.__new__` over `map`: a page of pinyin glosses drops a thousand pieces,
        # and the named tuple's own constructor is a Python function (twice the cost).
        scored = repeat(None) if scores is None else scores
        replaced = repeat(None) if replacements is None else replacements
        self.removed.extend(map(tuple.__new__, repeat(Removal),
                                zip(repeat(reason), pieces, repeat(article), scored, replaced)))
