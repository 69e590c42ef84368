"""What a duplication check finds: matched passages, per-report ratios and bands, clusters.

These plain records are all the writers (`report.py`: JSON, HTML, XLSX) and the web app see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Bands of the duplicate ratio (upper bounds, exclusive), as education bureaus grade submissions.
DEFAULT_BANDS: tuple[tuple[float, str], ...] = ((0.15, "原创为主"), (0.40, "部分套用"), (1.01, "大量套用"))


def band_of(ratio: float, bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS) -> str:
    """The band name of a duplicate ratio: below 15% 原创为主, 15–40% 部分套用, above 40% 大量套用."""
    for upper, name in bands:
        if ratio < upper:
            return name
    return bands[-1][1]


@dataclass
class Match:
    """One passage of a report that also stands in a source (a reference or another report).

    Offsets are character offsets: `start`/`end` into the report's clean text,
    `source_start`/`source_end` into the source's clean text.
    """

    start: int
    end: int
    source: str  # reference document id/name, or the path of another submitted report
    source_start: int
    source_end: int
    similarity: float  # share of agreeing characters over the aligned passage (1.0 = verbatim)
    text: str = ""  # the report's passage
    source_text: str = ""  # the source's passage
    source_title: str = ""
    source_kind: str = "reference"  # "reference" (the index) or "submission" (another report)

    def to_dict(self) -> dict:
        """The SPEC `check --format json` match object."""
        return {"start": self.start, "end": self.end, "source": self.source,
                "source_start": self.source_start, "source_end": self.source_end,
                "similarity": round(self.similarity, 3)}


@dataclass
class CommonPassage:
    """A stretch of a report that stands in many indexed documents (常用语: a policy title, a
    standard slogan): shown, but not counted as copying."""

    start: int
    end: int
    text: str
    documents: int  # how many indexed documents hold it (at least)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "documents": self.documents}


@dataclass
class ReportResult:
    """The check of one submitted report (or its error: unreadable input).

    `index_ratio` counts the matches with the reference index, `batch_ratio` those with the other
    reports of the same check, `duplicate_ratio` their union (a passage both copied from a
    template and shared with another report counts once)."""

    file: str
    title: str = ""
    text: str = ""  # the report's clean text; match offsets point into it
    matches: list[Match] = field(default_factory=list)
    duplicate_ratio: float = 0.0  # share of `text`'s characters covered by matches
    band: str = ""
    error: str | None = None
    index_ratio: float = 0.0
    batch_ratio: float = 0.0
    common: list[CommonPassage] = field(default_factory=list)

    def sources(self, kind: str) -> list[dict]:
        """The sources of one kind ("reference" or "submission"), most covered characters first:
        `[{"source", "title", "chars"}]`, characters counted once per source."""
        spans: dict[str, list[tuple[int, int]]] = {}
        titles: dict[str, str] = {}
        for m in self.matches:
            if m.source_kind == kind:
                spans.setdefault(m.source, []).append((m.start, m.end))
                titles[m.source] = m.source_title
        out = []
        for source, ss in spans.items():
            covered, reach = 0, 0
            for s, e in sorted(ss):
                s = max(s, reach)
                if e > s:
                    covered, reach = covered + e - s, e
            out.append({"source": source, "title": titles[source], "chars": covered})
        return sorted(out, key=lambda d: (-d["chars"], d["source"]))

    def to_dict(self) -> dict:
        """The SPEC `check --format json` object (an error row has `error` and no matches)."""
        if self.error:
            return {"file": self.file, "error": self.error, "duplicate_ratio": None, "index_ratio": None,
                    "batch_ratio": None, "matches": [], "common": []}
        return {"file": self.file, "duplicate_ratio": round(self.duplicate_ratio, 4),
                "index_ratio": round(self.index_ratio, 4), "batch_ratio": round(self.batch_ratio, 4),
                "band": self.band, "matches": [m.to_dict() for m in self.matches],
                "index_sources": self.sources("reference"), "batch_sources": self.sources("submission"),
                "common": [c.to_dict() for c in self.common]}


@dataclass
class Link:
    """Two reports of one check that share passages, and the passages (the first report's text)."""

    a: str
    b: str
    passages: list[str]


@dataclass
class CheckRun:
    """A whole check: every report's result and the clusters of reports that copy each other."""

    reports: list[ReportResult]
    clusters: list[list[str]] = field(default_factory=list)  # groups of report files sharing passages
    links: list[Link] = field(default_factory=list)  # the shared passages behind the clusters
    min_match: int = 13
    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS
    index_documents: int = 0  # how many reference documents were searched
    common_df: int = 0  # a passage held by at least this many indexed documents is 常用语 (0: off)

    def cluster_links(self, cluster: list[str]) -> list[Link]:
        """The links inside one cluster, each pair once."""
        members, seen, out = set(cluster), set(), []
        for link in self.links:
            pair = tuple(sorted((link.a, link.b)))
            if link.a in members and pair not in seen:
                seen.add(pair)
                out.append(link)
        return out
