"""The duplication check: every submitted report against the reference index and each other.

For each report: candidate sources by LSH (the index's most key-sharing documents, and the other
submissions sharing a key), passages by alignment on the normalised texts, then a greedy choice
of passages (longest first, each must add at least `min_match` newly covered characters) so that
every copied stretch is reported once, with its best source. The duplicate ratio is the share of
the report's non-blank characters inside chosen passages. Reports that share passages form
clusters (connected components).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from summarizer.check.align import MIN_LEN, Passage, align
from summarizer.check.fingerprint import LSHIndex, fingerprint
from summarizer.check.index import ReferenceIndex
from summarizer.check.normalize import Normalized, normalize
from summarizer.check.result import DEFAULT_BANDS, CheckRun, Match, ReportResult, band_of

MAX_CANDIDATES = 50


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


def check(submissions: list[Submission], index: ReferenceIndex | None = None, min_match: int = MIN_LEN,
          bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS, max_candidates: int = MAX_CANDIDATES,
          between: bool = True, on_progress: Callable[[int], None] | None = None) -> CheckRun:
    """Check every submission against the index (if any) and, with `between`, each other;
    `on_progress(1)` is called as each report is done (for progress bars)."""
    ok = [s for s in submissions if s.error is None]
    norms = {id(s): normalize(s.text) for s in ok}
    fps = {id(s): fingerprint(norms[id(s)]) for s in ok}
    peers = LSHIndex()
    peer_of: list[Submission] = []
    for s in ok:
        peers.add(fps[id(s)])
        peer_of.append(s)

    results: list[ReportResult] = []
    links: list[tuple[str, str]] = []
    for sub in submissions:
        if sub.error is not None:
            results.append(ReportResult(file=sub.file, title=sub.title, error=sub.error))
            if on_progress:
                on_progress(1)
            continue
        norm = norms[id(sub)]
        sources: list[_Source] = []
        if index is not None:
            for ref, _hits in index.candidates(fps[id(sub)], max_candidates):
                sources.append(_Source(ref.name, ref.title, ref.text, ref.normalized(), "reference"))
        if between:
            hits = peers.candidates(fps[id(sub)])
            for j in sorted(hits, key=lambda j: -hits[j])[:max_candidates]:
                other = peer_of[j]
                if other is not sub:
                    sources.append(_Source(other.file, other.title, other.text, norms[id(other)], "submission"))
        found = [(p, src) for src in sources for p in align(norm.text, src.norm.text, min_match)]
        matches = []
        for p, src in _choose(norm, found, min_match):
            start, end = norm.span(p.a_start, p.a_end)
            s_start, s_end = src.norm.span(p.b_start, p.b_end)
            matches.append(Match(start, end, src.name, s_start, s_end, p.similarity, sub.text[start:end],
                                 src.text[s_start:s_end], src.title, src.kind))
            if src.kind == "submission":
                links.append((sub.file, src.name))
        ratio = duplicate_ratio(sub.text, [(m.start, m.end) for m in matches])
        results.append(ReportResult(sub.file, sub.title, sub.text, matches, ratio, band_of(ratio, bands)))
        if on_progress:
            on_progress(1)
    return CheckRun(results, clusters(links), min_match, bands, len(index) if index is not None else 0)


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
