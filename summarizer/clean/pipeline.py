"""The cleanup pipeline: one page of text in, articles out, every change counted and every
dropped piece kept.

`PIPELINE` is a plain list of steps, each a function `Document -> Document` (`Step`). Order
matters: glosses go before mojibake repair (a gloss sits inside a mojibake span), the repair goes
before OpenCC (it re-encodes to GBK what the misaligned decode produced), and articles are split
before paragraphs are restored (a title glued into a run-on line is an article boundary, not a
heading).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.clean.articles import split_articles
from summarizer.clean.chrome import default_model, remove_chrome, remove_page_counters
from summarizer.clean.furniture import furniture_lines
from summarizer.clean.gloss import cut_glosses
from summarizer.clean.mojibake import apply_repairs, find_repairs
from summarizer.clean.paragraphs import restore_paragraphs_all, text_tables
from summarizer.document import Article, Document, Removal
from summarizer.io import InputError, RawInput, ReadError, TextInput, decode_input
from summarizer.text.punctuation import normalize_punctuation
from summarizer.text.script import count_han, script_from_counts, to_simplified

# Lines of nothing but invisible or layout characters carry no text. (`[…][…]*` rather than
# `[…]+`: a pattern that starts with a plain character class lets the regex engine skip to the
# next candidate character, twice as fast on long pages.)
_BLANKS = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00a0\u3000\t ][\u200b-\u200f\u2060\ufeff\u00a0\u3000\t ]*")
_BLANKS_BUT_SPACE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00a0\u3000\t"
_SPACE_RUNS = re.compile("  +")

# The change counts of the manifest's `fixes`, in their order there (others follow when non-zero).
FIX_KEYS = ("pinyin_removed", "mojibake_repaired", "t2s", "punctuation", "chrome_removed",
            "paragraphs_restored")
# Which of them counts each reason of `Document.removed` (an empty article's title has none: its
# article is simply not in the manifest).
REMOVAL_COUNTS = {"gloss": "pinyin_removed", "page_counter": "chrome_removed",
                  "page_furniture": "chrome_removed", "chrome": "chrome_removed", "empty_article": None,
                  "mojibake": "mojibake_repaired", "html_furniture": "chrome_removed"}

Step = Callable[[Document], Document]
"""The one protocol of the cleanup: a `Document` in, the same `Document` out, with its change
counts recorded (`Document.record`) and every piece it dropped (`Document.drop`). A step works on
`Document.work` (the page's text) before the article split, on `Document.drafts` after it."""


# ----------------------------------------------------------------------------- the steps


def fold_blanks(doc: Document) -> Document:
    """Tables laid out with tabs or aligned spaces made pipe rows first (`clean/paragraphs.py`:
    folding would glue their cells), then runs of blank characters folded (see `_fold_blanks`);
    nothing counted, nothing of text lost."""
    doc.work = _fold_blanks(text_tables(doc.work))
    return doc


def strip_glosses(doc: Document) -> Document:
    """Pinyin glosses after Han characters (`clean/gloss.py`)."""
    doc.work, counts, cut = cut_glosses(doc.work)
    doc.record(counts)
    doc.drop("gloss", cut)
    return doc


def repair(doc: Document) -> Document:
    """GBK mojibake decoded one byte off (`clean/mojibake.py`): repaired, and each repaired
    stretch recorded with what it became, so that a guessed character can be reviewed."""
    repairs = find_repairs(doc.work)
    doc.work, counts = apply_repairs(doc.work, repairs)
    doc.record(counts)
    doc.drop("mojibake", [r.old for r in repairs], replacements=[r.new for r in repairs])
    return doc


def simplify(doc: Document) -> Document:
    """Traditional characters to simplified (`text/script.py`); the script is named from how many
    Han characters changed (nothing changed: simplified, the Han characters not counted)."""
    before = doc.work
    doc.work, counts = to_simplified(before)
    doc.record(counts)
    doc.script = script_from_counts(counts["t2s"], count_han(before)) if counts["t2s"] else "simplified"
    return doc


def punctuate(doc: Document) -> Document:
    """ASCII punctuation in Chinese text to full width (`text/punctuation.py`)."""
    doc.work, counts = normalize_punctuation(doc.work)
    doc.record(counts)
    return doc


def cut_page_counters(doc: Document) -> Document:
    """`第5页共5页` and its kind, wherever they stand (`clean/chrome.py`)."""
    doc.work, counts, cut = remove_page_counters(doc.work)
    doc.record(counts)
    doc.drop("page_counter", cut)
    return doc


def split(doc: Document) -> Document:
    """The page split into articles (`clean/articles.py`); what stood before the first article,
    headers of a compilation and repeated titles are page furniture, dropped."""
    drafts, removed, _ = split_articles(doc.work)
    doc.record({"chrome_removed": len(removed)})
    doc.drop("page_furniture", removed)
    doc.drafts = [(d.title, d.lines) for d in drafts]
    doc.work = ""
    return doc


def strip_furniture(doc: Document) -> Document:
    """Page furniture told by its layout at each article's edges (`clean/furniture.py`): a time
    stamp, a `来源：` line and its value, a `相关链接>>` list; each line recorded as dropped."""
    removed = 0
    for a, (title, lines) in enumerate(doc.drafts):
        cut = furniture_lines(lines)
        if cut:
            doc.drop("page_furniture", [lines[i] for i in cut], a + 1)
            gone = set(cut)
            doc.drafts[a] = (title, [ln for i, ln in enumerate(lines) if i not in gone])
            removed += len(cut)
    doc.record({"chrome_removed": removed})
    return doc


def strip_chrome(doc: Document) -> Document:
    """Chrome lines and edge sentences of each article (`clean/chrome.py`); each dropped piece is
    recorded with the article it stood in and the model's score for it (the scores of the lines
    just judged, from the model's cache)."""
    bodies, counts, cut = remove_chrome([lines for _, lines in doc.drafts])
    doc.record(counts)
    if cut:
        scores = default_model().predict_proba([piece for _, piece in cut]).tolist()
        for (a, piece), score in zip(cut, scores):
            doc.removed.append(Removal("chrome", piece, a + 1, score))
    doc.drafts = [(title, body) for (title, _), body in zip(doc.drafts, bodies)]
    return doc


def restore_paragraphs(doc: Document) -> Document:
    """Paragraph breaks restored and broken lines joined (`clean/paragraphs.py`)."""
    bodies, counts = restore_paragraphs_all([lines for _, lines in doc.drafts])
    doc.record(counts)
    doc.drafts = [(title, body) for (title, _), body in zip(doc.drafts, bodies)]
    return doc


def build_articles(doc: Document) -> Document:
    """The drafts become `Article`s, numbered from 1; an article left with no paragraph (a title
    with nothing under it once chrome is gone) is dropped, its title recorded. Pieces recorded
    with a draft's number get their article's number, or None if it was dropped."""
    numbers: dict[int, int | None] = {}
    kept = 0
    for draft, (title, lines) in enumerate(doc.drafts, start=1):
        title = title or _fallback_title(doc.source, draft)
        if lines:
            kept += 1
            numbers[draft] = kept
            doc.articles.append(Article.from_lines(title, lines, index=kept))
        else:
            numbers[draft] = None
            doc.removed.append(Removal("empty_article", title))
    if kept != len(doc.drafts):
        doc.removed = [r._replace(article=numbers[r.article]) if r.article is not None else r for r in doc.removed]
    doc.drafts = []
    return doc


PIPELINE: list[Step] = [
    fold_blanks,
    strip_glosses,  # before mojibake repair: a gloss sits inside a mojibake span
    repair,  # before OpenCC: it re-encodes to GBK what the misaligned decode produced
    simplify,
    punctuate,
    cut_page_counters,
    split,  # before paragraphs: a title glued into a run-on line is an article boundary
    strip_furniture,  # before the chrome model: what it takes away the model need not judge
    strip_chrome,
    restore_paragraphs,
    build_articles,
]


def clean_text(text: str, source: str = "", steps: list[Step] = PIPELINE) -> Document:
    """Clean one page of decoded text into a `Document` with its articles: every step of
    `steps` in turn. Pure: no file is touched. `source` only names the document in the result.
    """
    doc = Document(source=source, text=text, work=text)
    for step in steps:
        doc = step(doc)
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
    if text_input.dropped:  # what the web page's reader left out (navigation, footer, sidebar)
        doc.drop("html_furniture", list(text_input.dropped))
        doc.record({"chrome_removed": len(text_input.dropped)})
    if not doc.articles:
        return f"{raw.source}: 没有可提取的正文 / no article text found"
    return text_input, doc


def _fallback_title(source: str, number: int) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", source.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1])
    return stem or f"第{number}篇"
