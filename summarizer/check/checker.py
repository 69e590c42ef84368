"""The duplication check: every submitted report against the reference index and each other.

For each report: its winnowed fingerprints are looked up in the index and among the other
submissions; the documents to align with are a greedy cover of those fingerprints
(`candidates.py`), so every shared passage of ≥ 13 characters has a candidate; passages come
from alignment on the normalised texts. Passages that stand in many indexed documents (常用语:
a policy title, a standard slogan; a quoted 《title》 always) are listed apart and not counted.
The rest are chosen greedily per kind (longest first, each must add at least `min_match` newly
covered characters), so every copied stretch is reported once per kind with its best source:
`index_ratio` is the share of the report's non-blank characters inside reference matches,
`batch_ratio` inside matches with other reports, `duplicate_ratio` inside either. Reports that
share passages form clusters (connected components), each link with its passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from summarizer.check.align import MIN_LEN, Passage, align
from summarizer.check.candidates import cover
from summarizer.check.fingerprint import Fingerprint, K, Postings, fingerprint, winnow
from summarizer.check.index import ReferenceIndex
from summarizer.check.normalize import Normalized, normalize
from summarizer.check.result import DEFAULT_BANDS, CheckRun, CommonPassage, Link, Match, ReportResult, band_of

MAX_CANDIDATES = 60  # documents aligned per report and kind, beyond common phrases
COMMON_CANDIDATES = 8  # documents aligned only to show common phrases
NEAR_DUPLICATES = 3  # documents sharing most MinHash bands, aligned first
COMMON_DF = 10  # a passage held by at least this many indexed documents is 常用语
COMMON_MAX_LEN = 30  # normalised characters: slogans are 13–25; a longer passage is copying, however common
POSTING_CAP = 64  # documents read per fingerprint key (≥ common_df is read in any case)
_QUOTED = re.compile(r"《[^《》\n]{1,80}》")


@dataclass
class Submission:
    """A report to check: its file, title and clean text; or the error reading it."""

    file: str
    title: str = ""
    text: str = ""
    error: str | None = None


@dataclass
class _Source:
    name: str
    title: str
    text: str
    norm: Normalized
    kind: str


@dataclass
class _Found:
    """The passages of one report, by kind, and its common phrases (normalised offsets)."""

    passages: dict[str, list[tuple[Passage, _Source]]] = field(
        default_factory=lambda: {"reference": [], "submission": []})
    common: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, documents)


def _choose(report: Normalized, found: list[tuple[Passage, _Source]], min_match: int
            ) -> list[tuple[Passage, _Source]]:
    """Longest passages first; keep one if it covers ≥ `min_match` characters not yet covered."""
    covered = np.zeros(len(report.text), dtype=bool)
    chosen = []
    for p, src in sorted(found, key=lambda ps: (-ps[0].agree, ps[0].a_start, ps[1].name)):
        fresh = int((~covered[p.a_start:p.a_end]).sum())
        if fresh >= min_match:
            covered[p.a_start:p.a_end] = True
            chosen.append((p, src))
    return sorted(chosen, key=lambda ps: ps[0].a_start)


def duplicate_ratio(text: str, spans: list[tuple[int, int]]) -> float:
    """Share of the non-blank characters of `text` inside any of `spans`."""
    if not text:
        return 0.0
    inside = np.zeros(len(text), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    blank = np.array([c.isspace() for c in text], dtype=bool)
    total = int((~blank).sum())
    return float((inside & ~blank).sum() / total) if total else 0.0


class _Library:
    """The fingerprint lookups of one check: the index (if any) and the batch's own postings."""

    def __init__(self, index: ReferenceIndex | None, peers: Postings, common_df: int, max_candidates: int
                 ) -> None:
        self.index, self.peers = index, peers
        self.common_df = common_df
        self.cap = max(POSTING_CAP, common_df)
        self.max_candidates = max_candidates

    def references(self, fp: Fingerprint) -> tuple[list[_Source], dict[int, int], Callable[[int], int]]:
        """The reference documents to align with, every report key's document count (capped at
        `cap`), and an exact count for one key (for the common phrases shown)."""
        if self.index is None:
            return [], {}, lambda key: 0
        with self.index.snapshot() as snap:
            postings = snap.lookup(fp.keys, self.cap)
            df = {k: len(v) for k, v in postings.items()}
            common = {k for k, n in df.items() if self.common_df and n >= self.common_df}
            near = snap.near_duplicates_of(fp, NEAR_DUPLICATES)
            ids = cover(fp.keys, postings, common, near, self.max_candidates, COMMON_CANDIDATES)
            refs = snap.documents(ids)
        counts: dict[int, int] = {}

        def exact(key: int) -> int:
            if key not in counts:
                with self.index.snapshot() as s:  # type: ignore[union-attr]
                    counts[key] = s.frequency([key])[key]
            return counts[key]

        sources = [_Source(refs[i].name, refs[i].title, refs[i].text, refs[i].normalized(), "reference")
                   for i in ids if i in refs]
        return sources, df, exact

    def submissions(self, fp: Fingerprint, me: int, subs: list[Submission], norms: list[Normalized],
                    common: set[int]) -> list[_Source]:
        """The other reports of the check to align with."""
        postings = self.peers.lookup(fp.keys, self.cap)
        near = [i for i in self.peers.near_duplicates_of(fp) if i != me][:NEAR_DUPLICATES]
        ids = cover(fp.keys, postings, common, near, self.max_candidates, COMMON_CANDIDATES, exclude=me)
        return [_Source(subs[i].file, subs[i].title, subs[i].text, norms[i], "submission") for i in ids]


def _is_common(p: Passage, text: str, df: dict[int, int], common_df: int, quoted: np.ndarray) -> int:
    """The passage's document count if it is a common phrase, else 0: a quoted 《title》 always
    (≥ 90% of it inside the brackets: extension may add a character that happens to agree);
    else a passage of ≤ COMMON_MAX_LEN characters whose inner fingerprints all stand in ≥
    `common_df` documents."""
    if quoted[p.a_start:p.a_end].mean() >= 0.9:
        return max(1, _passage_df(text, p.a_start, p.a_end, df))
    if not common_df or p.a_end - p.a_start > COMMON_MAX_LEN:
        return 0
    n = _passage_df(text, p.a_start, p.a_end, df)
    return n if n >= common_df else 0


def _inner_keys(text: str, s: int, e: int) -> list[int]:
    """The fingerprints of `text[s:e]` that every document holding that passage also keeps: the
    minima of the winnowing windows lying wholly inside it (the report keeps them too)."""
    return winnow(text[s:e])[0].tolist()


def _passage_df(text: str, s: int, e: int, df: dict[int, int]) -> int:
    """An upper bound of how many indexed documents hold `text[s:e]` (its rarest inner key's count)."""
    return min((df.get(k, 0) for k in _inner_keys(text, s, e)), default=0)


def _quoted_mask(norm: Normalized, text: str) -> np.ndarray:
    """Per normalised character: does it stand inside a 《…》 title of the report?"""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for m in _QUOTED.finditer(text):
        inside[m.start():m.end()] = True
    return inside[norm.starts] if len(norm.starts) else np.zeros(0, dtype=bool)


def _common_spans(common: list[tuple[int, int, int]], taken: np.ndarray) -> list[tuple[int, int, int]]:
    """Common passages merged where they overlap, minus what matches already cover."""
    out: list[list[int]] = []
    for s, e, n in sorted(common):
        if out and s <= out[-1][1]:
            out[-1][1], out[-1][2] = max(out[-1][1], e), max(out[-1][2], n)
        else:
            out.append([s, e, n])
    spans = []
    for s, e, n in out:
        free = np.flatnonzero(~taken[s:e])
        if len(free) >= K:
            spans.append((s + int(free[0]), s + int(free[-1]) + 1, n))
    return spans


def check(submissions: list[Submission], index: ReferenceIndex | None = None, min_match: int = MIN_LEN,
          bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS, max_candidates: int = MAX_CANDIDATES,
          between: bool = True, on_progress: Callable[[int], None] | None = None,
          common_df: int = COMMON_DF) -> CheckRun:
    """Check every submission against the index (if any) and, with `between`, each other;
    `on_progress(1)` is called as each report is done (for progress bars)."""
    ok = [s for s in submissions if s.error is None]
    norms = [normalize(s.text) for s in ok]
    fps = [fingerprint(n) for n in norms]
    peers = Postings()
    if between:
        for fp in fps:
            peers.add(fp)
    library = _Library(index, peers, common_df, max_candidates)
    slot = {id(s): i for i, s in enumerate(ok)}
    results: list[ReportResult] = []
    links: list[Link] = []
    for sub in submissions:
        if sub.error is not None:
            results.append(ReportResult(file=sub.file, title=sub.title, error=sub.error))
        else:
            i = slot[id(sub)]
            result, found_links = _check_one(sub, norms[i], fps[i], i, ok, norms, library, min_match, bands, between)
            results.append(result)
            links.extend(found_links)
        if on_progress:
            on_progress(1)
    return CheckRun(results, clusters([(lk.a, lk.b) for lk in links]), links=links, min_match=min_match,
                    bands=bands, index_documents=len(index) if index is not None else 0, common_df=common_df)


def _check_one(sub: Submission, norm: Normalized, fp: Fingerprint, me: int, ok: list[Submission],
               norms: list[Normalized], library: _Library, min_match: int,
               bands: tuple[tuple[float, str], ...], between: bool) -> tuple[ReportResult, list[Link]]:
    """One report's matches, ratios, common phrases and links to other reports."""
    refs, df, exact = library.references(fp)
    common_keys = {k for k, n in df.items() if library.common_df and n >= library.common_df}
    sources = refs + (library.submissions(fp, me, ok, norms, common_keys) if between else [])
    quoted = _quoted_mask(norm, sub.text)
    found = _Found()
    for src in sources:
        for p in align(norm.text, src.norm.text, min_match):
            n = _is_common(p, norm.text, df, library.common_df, quoted)
            if n:
                found.common.append((p.a_start, p.a_end, n))
            else:
                found.passages[src.kind].append((p, src))
    matches: list[Match] = []
    spans: dict[str, list[tuple[int, int]]] = {"reference": [], "submission": []}
    taken = np.zeros(len(norm.text), dtype=bool)
    by_source: dict[str, list[str]] = {}
    for kind, passages in found.passages.items():
        for p, src in _choose(norm, passages, min_match):
            start, end = norm.span(p.a_start, p.a_end)
            s_start, s_end = src.norm.span(p.b_start, p.b_end)
            matches.append(Match(start, end, src.name, s_start, s_end, p.similarity, sub.text[start:end],
                                 src.text[s_start:s_end], src.title, src.kind))
            spans[kind].append((start, end))
            taken[p.a_start:p.a_end] = True
            if kind == "submission":
                by_source.setdefault(src.name, []).append(sub.text[start:end])
    matches.sort(key=lambda m: (m.start, m.end, m.source_kind))
    common = []
    for s, e, n in _common_spans(found.common, taken):
        start, end = norm.span(s, e)
        shown = n if n < library.cap else exact(min(_inner_keys(norm.text, s, e), key=lambda k: df.get(k, 0)))
        common.append(CommonPassage(start, end, sub.text[start:end], shown))
    ratio = duplicate_ratio(sub.text, spans["reference"] + spans["submission"])
    result = ReportResult(sub.file, sub.title, sub.text, matches, ratio, band_of(ratio, bands),
                          index_ratio=duplicate_ratio(sub.text, spans["reference"]),
                          batch_ratio=duplicate_ratio(sub.text, spans["submission"]), common=common)
    return result, [Link(sub.file, other, texts) for other, texts in by_source.items()]


def clusters(links: list[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of reports that share passages, each sorted, largest first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))
