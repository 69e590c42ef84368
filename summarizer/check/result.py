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
class ReportResult:
    """The check of one submitted report (or its error: unreadable input)."""

    file: str
    title: str = ""
    text: str = ""  # the report's clean text; match offsets point into it
    matches: list[Match] = field(default_factory=list)
    duplicate_ratio: float = 0.0  # share of `text`'s characters covered by matches
    band: str = ""
    error: str | None = None

    def to_dict(self) -> dict:
        """The SPEC `check --format json` object (an error row has `error` and no matches)."""
        if self.error:
            return {"file": self.file, "error": self.error, "duplicate_ratio": None, "matches": []}
        return {"file": self.file, "duplicate_ratio": round(self.duplicate_ratio, 4), "band": self.band,
                "matches": [m.to_dict() for m in self.matches]}


@dataclass
class CheckRun:
    """A whole check: every report's result and the clusters of reports that copy each other."""

    reports: list[ReportResult]
    clusters: list[list[str]] = field(default_factory=list)  # groups of report files sharing passages
    min_match: int = 13
    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS
    index_documents: int = 0  # how many reference documents were searched
