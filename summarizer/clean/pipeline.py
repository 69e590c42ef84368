"""The cleanup pipeline: one page of text in, articles out, every change counted.

Order matters: glosses go before mojibake repair (a gloss sits inside a mojibake span), the
repair goes before OpenCC (it re-encodes to GBK what the misaligned decode produced), and
articles are split before paragraphs are restored (a title glued into a run-on line is an
article boundary, not a heading).
"""

from __future__ import annotations

import re

from summarizer.clean.articles import split_articles
from summarizer.clean.chrome import remove_chrome, remove_page_counters
from summarizer.clean.gloss import remove_glosses
from summarizer.clean.mojibake import repair_mojibake
from summarizer.clean.paragraphs import restore_paragraphs_all
from summarizer.clean.punctuation import normalize_punctuation
from summarizer.clean.script import count_han, script_from_counts, to_simplified
from summarizer.document import Article, Document
from summarizer.io import InputError, RawInput, ReadError, TextInput, decode_input

# Lines of nothing but invisible or layout characters carry no text. (`[…][…]*` rather than
# `[…]+`: a pattern that starts with a plain character class lets the regex engine skip to the
# next candidate character, twice as fast on long pages.)
_BLANKS = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00a0\u3000\t ][\u200b-\u200f\u2060\ufeff\u00a0\u3000\t ]*")
_BLANKS_BUT_SPACE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00a0\u3000\t"
_SPACE_RUNS = re.compile("  +")

STEPS = ("pinyin_removed", "mojibake_repaired", "t2s", "punctuation", "chrome_removed",
         "paragraphs_restored")


def clean_text(text: str, source: str = "") -> Document:
    """Clean one page of decoded text into a `Document` with its articles.

    Pure: no file is touched. `source` only names the document in the result.
    """
    doc = Document(source=source, text=text)
    text = _fold_blanks(text)

    for step in (remove_glosses, repair_mojibake, to_simplified, normalize_punctuation):
        before = text
        text, counts = step(text)
        doc.record(counts)
        if step is to_simplified:
            # Nothing changed: simplified whatever the count of Han characters (not counted).
            doc.script = script_from_counts(counts["t2s"], count_han(before)) if counts["t2s"] else "simplified"

    text, counts, cut = remove_page_counters(text)
    doc.record(counts)
    doc.removed.extend(("chrome", c) for c in cut)

    drafts, removed, counts = split_articles(text)
    doc.record({"chrome_removed": len(removed)})
    doc.removed.extend(("chrome", r) for r in removed)

    bodies, counts, cut = remove_chrome([d.lines for d in drafts])
    doc.record(counts)
    doc.removed.extend(("chrome", c) for c in cut)
    bodies, counts = restore_paragraphs_all(bodies)
    doc.record(counts)
    for number, (draft, lines) in enumerate(zip(drafts, bodies), start=1):
        title = draft.title or _fallback_title(source, number)
        doc.articles.append(Article.from_lines(title, lines, index=number))
    for art in doc.articles:
        if not art.paragraphs:  # a title with nothing under it once chrome is gone
            doc.removed.append(("empty", art.title))
    doc.articles = [a for a in doc.articles if a.paragraphs]
    for number, art in enumerate(doc.articles, start=1):
        art.index = number
    return doc


def _fold_blanks(text: str) -> str:
    """A run of blank characters becomes one space if it holds a space or a no-break space,
    else nothing. Most pages hold no blank but the space: for them that is runs of spaces
    folded to one, found by a pattern that begins with a plain character (a tenth of the cost
    of `_BLANKS`, which begins with a class and calls back for every space)."""
    if not any(c in text for c in _BLANKS_BUT_SPACE):
        return _SPACE_RUNS.sub(" ", text) if "  " in text else text
    return _BLANKS.sub(lambda m: " " if " " in m.group() or "\u00a0" in m.group() else "", text)


def clean_input(raw: RawInput | InputError) -> tuple[TextInput, Document] | str:
    """Decode and clean one input read by `iter_inputs`: its text and cleaned `Document`, or the
    one-line error, naming the input, that stands for it in a manifest or report (unreadable,
    undecodable, or no article text). The one loop body of the batch cleanup and the check."""
    if isinstance(raw, InputError):
        return raw.error
    try:
        text_input = decode_input(raw)
        doc = clean_text(text_input.text, raw.source)
    except ReadError as exc:
        return str(exc)
    if not doc.articles:
        return f"{raw.source}: 没有可提取的正文 / no article text found"
    return text_input, doc


def _fallback_title(source: str, number: int) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", source.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1])
    return stem or f"第{number}篇"
