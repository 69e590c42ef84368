"""Batch cleanup: every input in; clean article files, `manifest.jsonl` and `removed.jsonl` out.

The unit of work is one input (`process_one`): decode, clean, write its articles atomically,
return its records: one manifest record per article (or one error record), then one line per
piece of text the cleanup dropped. The same function runs in this process, in a process pool or
on a Dask cluster (`summarizer.clean.executors`), so the outputs are byte-identical whichever runs
it. This module keeps the books of a run:

- finished inputs go to a journal as they complete, so that an interrupted run can be completed;
- `manifest.jsonl` and `removed.jsonl` are written in input order as the run goes (duplicates
  flagged on the way, `summarizer.clean.duplicates`) and appear, atomically, when it ends;
- an OUTDIR cleaned into before is merged into, not replaced: the inputs of earlier runs that
  this run does not name are kept (first, in their order), an input done before with the same
  bytes and its outputs present is not cleaned again, and an input cleaned again replaces its
  earlier records, its earlier article files removed.

Memory stays flat however large the archive: records wait in memory for the inputs before them
only up to `HOLD_MAX`, then are read back from the journal; earlier runs' records are found by
their place in their files (file, offset, length), not loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, NamedTuple

import orjson

from summarizer.clean.duplicates import DuplicateFlagger, fingerprint, fingerprints
from summarizer.clean.executors import executor
from summarizer.clean.pipeline import FIX_KEYS, clean_input
from summarizer.document import Removal
from summarizer.io import FileRef, InputError, RawInput, iter_inputs
from summarizer.io.writers import (
    JOURNAL,
    MANIFEST,
    AtomicFile,
    Journal,
    article_filename,
    atomic_write,
    read_at,
    read_records,
    record_blocks,
)

REMOVED = "removed.jsonl"
HOLD_MAX = 20_000  # records held in memory until the inputs before them are done
SCORE_DIGITS = 4  # a removal's score as written to removed.jsonl

Where = tuple[str, int, int]  # a block of records in OUTDIR: file name, offset, length


# ----------------------------------------------------------------------------- one input


class Result(NamedTuple):
    """What cleaning one input gives the run: its manifest records (one per article, or one
    error record), and its lines of removed.jsonl, encoded where the input was cleaned (a page
    of glosses drops a thousand pieces: as one block of bytes they cost the dispatching process
    a write, not a thousand objects to unpickle, hold and encode)."""

    records: list[dict]
    removed: bytes = b""


def process_one(raw: RawInput | InputError | FileRef, outdir: str) -> Result:
    """Clean one input and write its articles; return its `Result`. Never raises for bad input:
    the batch goes on."""
    if isinstance(raw, FileRef):
        raw = raw.read()
    sha = raw.sha256
    try:
        cleaned = clean_input(raw)
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop an archive run
        return Result([_error_record(raw.source, sha, f"{raw.source}: 内部错误 / internal error: {type(exc).__name__}: {exc}")])
    if isinstance(cleaned, str):
        return Result([_error_record(raw.source, sha, cleaned)])
    text_input, doc = cleaned
    fixes = {k: int(doc.fixes.get(k, 0)) for k in FIX_KEYS}
    fixes.update({k: int(v) for k, v in doc.fixes.items() if k not in fixes})
    records = []
    texts = [art.text for art in doc.articles]
    for art, text, (sig, size, digest) in zip(doc.articles, texts, fingerprints(texts)):
        name = article_filename(raw.source, sha, art.index)
        atomic_write(os.path.join(outdir, name), text, durable=False)
        records.append({
            "source": raw.source, "article": art.index, "output": name, "title": art.title,
            "encoding": text_input.encoding, "script": doc.script, "fixes": fixes,
            "sha256": sha, "status": "ok", "chars": len(text), "text_sha256": digest,
            "_minhash": sig, "_shingles": size,
        })
    return Result(records, removal_lines(raw.source, doc.removed))


# Characters JSON escapes (orjson escapes nothing else: non-ASCII is written as UTF-8).
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def removal_lines(source: str, removed: list[Removal]) -> bytes:
    """The lines of removed.jsonl for `removed`: source, article, text, reason, score, and for a
    rewritten piece its replacement, byte for byte what `orjson.dumps` makes of the dict
    (`_result` re-encodes lines read back that way). Formatted a run of pieces at a time rather
    than a dict per piece: a page of pinyin glosses drops a thousand, with one reason, no article,
    no score and text that needs no escape, so that their lines are one `join` around the texts
    (a tenth of the cost of encoding each)."""
    head = '{"source":' + orjson.dumps(source).decode() + ',"article":'
    parts = []
    for (reason, article, score), run in groupby(removed, itemgetter(0, 2, 3)):
        run = list(run)
        start = f'{head}{"null" if article is None else article},"text":'
        end = f',"reason":{orjson.dumps(reason).decode()},"score":{_score(score)}'
        texts = [r[1] for r in run]
        if any(r[4] is not None for r in run) or _JSON_ESCAPED.search("".join(texts)):
            parts.extend(f"{start}{orjson.dumps(r[1]).decode()}{end}{_replacement(r[4])}}}\n" for r in run)
        else:
            parts.append(f'{start}"' + f'"{end}}}\n{start}"'.join(texts) + f'"{end}}}\n')
    return "".join(parts).encode()


def _replacement(text: str | None) -> str:
    return "" if text is None else ',"replacement":' + orjson.dumps(text).decode()


def _score(score: float | None) -> str:
    return "null" if score is None else orjson.dumps(round(score, SCORE_DIGITS)).decode()


def is_removal(rec: dict) -> bool:
    """A line of removed.jsonl read back with the manifest records of the journal (where the
    input's block is keyed by the records' sha256: a removal line has none)."""
    return "reason" in rec and "status" not in rec


def _result(records: list[dict]) -> Result:
    """A `Result` from the records of a journal or manifest block (removal lines re-encoded as
    the worker encoded them: orjson keeps the order of the keys)."""
    return Result([r for r in records if not is_removal(r)],
                  b"".join(orjson.dumps(r) + b"\n" for r in records if is_removal(r)))


_PRIVATE = frozenset({"_minhash", "_shingles"})  # record fields for the run, not the manifest


def _error_record(source: str, sha: str, error: str) -> dict:
    return {"source": source, "sha256": sha, "status": "error", "error": error}


class _Task:
    """A picklable `process_one` bound to an output directory."""

    def __init__(self, outdir: str) -> None:
        self.outdir = outdir

    def __call__(self, raw: RawInput | InputError | FileRef) -> Result:
        return process_one(raw, self.outdir)


# ----------------------------------------------------------------------------- the run


@dataclass
class CleanSummary:
    """What a run did, for the CLI to print."""

    inputs: int = 0  # of this run
    skipped: int = 0  # done before, not cleaned again
    kept: int = 0  # inputs of earlier runs that this run did not name, kept in the manifest
    articles: int = 0  # in the manifest
    errors: int = 0
    duplicates: int = 0
    removed: int = 0  # lines of removed.jsonl
    manifest: str = ""
    removed_file: str = ""
    records: list[dict] = field(default_factory=list)  # the manifest's, unless not kept
    failed: list[dict] = field(default_factory=list)  # the error records


def run_clean(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    keep_records: bool = True,
) -> CleanSummary:
    """Clean every input under `inputs` into `outdir`; see the module docstring.

    `keep_records=False` leaves the manifest's records out of the summary (the errors stay in
    `CleanSummary.failed`): memory does not grow with the archive's articles.
    """
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)  # walked twice to merge
    out = _prepare(Path(outdir))
    earlier = EarlierRuns(out)
    with Ledger(out, earlier, keep_records) as ledger:
        if earlier.sources:  # merge: the earlier inputs this run does not name come first
            named = {item.source for item in iter_inputs(inputs, lazy=True)}
            ledger.keep(source for source in earlier.sources if source not in named)
        work = ledger.todo(inputs, on_progress)  # what is done and present is not cleaned again
        clean_all = executor(engine, jobs, scheduler)
        # Absolute, like `FileRef.path`: a worker's directory may differ.
        for result in clean_all(_Task(os.path.abspath(out)), work):
            ledger.finished(result)
            if on_progress:
                on_progress(1)
        ledger.commit()
    return ledger.summary


def _prepare(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # temporaries of a killed run (ours: see `atomic_write`)
        stale.unlink(missing_ok=True)
    return out


class EarlierRuns:
    """What earlier runs left in OUTDIR, by place: each input's block of records in the manifest
    or in the journal of an interrupted run (which supersedes it, as a later block supersedes an
    earlier one of the same input), and its block of lines in removed.jsonl."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.blocks: dict[tuple[str, str], Where] = {}  # (source, sha256) -> its records
        self.by_source: dict[str, list[Where]] = {}  # every block of a source, any sha256
        self.removed: dict[str, Where] = {}  # source -> its lines of removed.jsonl
        for name in (MANIFEST, JOURNAL):
            for k, offset, length in record_blocks(out / name, _block_key()):
                self.blocks[k] = (name, offset, length)
                self.by_source.setdefault(k[0], []).append((name, offset, length))
        # The inputs of earlier runs: those of the manifest in its order, then those only an
        # interrupted run's journal holds.
        self.sources = list(self.by_source)
        for source, offset, length in record_blocks(out / REMOVED, lambda r: r.get("source", "")):
            self.removed[source] = (REMOVED, offset, length)
        # A manifest without removed.jsonl beside it was written before removed text was kept:
        # its inputs are cleaned again rather than taken as done, so that nothing goes unlisted.
        self.removals_kept = (out / REMOVED).exists() or not (out / MANIFEST).exists()
        self._files: dict[str, BinaryIO] = {}

    def records(self, where: Where) -> list[dict]:
        return read_at(self._file(where[0]), where[1:])

    def raw(self, where: Where) -> bytes:
        f = self._file(where[0])
        f.seek(where[1])
        return f.read(where[2])

    def _file(self, name: str) -> BinaryIO:
        f = self._files.get(name)
        if f is None:
            f = self._files[name] = (self.out / name).open("rb")
        return f

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()


def _block_key() -> Callable[[dict], tuple[str, str]]:
    """The key of a block of records: an input's (source, sha256). A removal line in a journal
    carries no sha256: it belongs to the records of its source just before it."""
    last = ("", "")

    def key(rec: dict) -> tuple[str, str]:
        nonlocal last
        source, sha = rec.get("source", ""), rec.get("sha256")
        if sha is None:
            sha = last[1] if source == last[0] else ""
        last = (source, sha)
        return last

    return key


class Ledger:
    """The books of one run: the journal, and `manifest.jsonl` and `removed.jsonl` written in
    order as inputs finish.

    `order` lists the inputs as they will stand in the manifest; `found` holds, per input not
    written yet, its records (in memory) or where they are on disk. The manifest is written up
    to the first input not finished (the frontier) each time one finishes: results come back
    nearly in input order, so little is left for the end, and the duplicate flagging needs
    input order."""

    def __init__(self, out: Path, earlier: EarlierRuns, keep_records: bool) -> None:
        self.out = out
        self.earlier = earlier
        self.keep_records = keep_records
        self.summary = CleanSummary(manifest=str(out / MANIFEST), removed_file=str(out / REMOVED))
        self.journal = Journal(out)
        self.this_run = self.journal.size  # journal entries from this offset on are this run's
        self.order: list[str] = []
        # Per input: (its result in memory, or where it is; whether it is this run's).
        self.found: dict[str, tuple[Result | Where, bool]] = {}
        self.held = 0  # records held in memory until the frontier reaches them
        self.frontier = 0  # inputs before it in `order` are written
        self.written: set[str] = set()
        self.flagger = DuplicateFlagger()
        self.stale: set[str] = set()  # article files of earlier records replaced by this run's
        self.manifest = AtomicFile(out / MANIFEST)
        self.removed = AtomicFile(out / REMOVED)

    # -- what goes in

    def keep(self, sources: Iterable[str]) -> None:
        """Earlier inputs kept as they are, before this run's."""
        for source in sources:
            self.order.append(source)
            self.found[source] = (self.earlier.by_source[source][-1], False)  # the latest
            self.summary.kept += 1

    def todo(self, inputs: Iterable[str | Path], on_progress: Callable[[int], None] | None
             ) -> Iterator[RawInput | InputError | FileRef]:
        """This run's inputs in order, less those done before (same source and sha256, outputs
        present), whose records are taken as they are. Plain files go out unread (the worker
        reads them); only a file that an earlier run may have done is read here, to compare its
        sha256 with the one on record."""
        for item in iter_inputs(inputs, lazy=True):
            self.order.append(item.source)
            self.summary.inputs += 1
            if item.source in self.earlier.by_source:
                if isinstance(item, FileRef):
                    item = item.read()
                where = self.earlier.blocks.get((item.source, item.sha256))
                records = self.earlier.records(where) if where else []
                if records and _outputs_present(self.out, records) and (
                        self.earlier.removals_kept or where[0] == JOURNAL):
                    self._hold(item.source, _result(records), where, fresh=False)
                    self.summary.skipped += 1
                    if on_progress:
                        on_progress(1)
                    continue
            yield item

    def finished(self, result: Result) -> None:
        """The result of an input this run cleaned: journaled, then written when its turn comes."""
        source = result.records[0]["source"]
        offset, length = self.journal.append(result.records, result.removed)
        if source in self.earlier.by_source:
            self._replacing(source, result.records)
        self._hold(source, result, (JOURNAL, offset, length), fresh=True)
        self._advance()

    def _hold(self, source: str, result: Result, where: Where, fresh: bool) -> None:
        if self.held + len(result.records) <= HOLD_MAX:
            self.found[source] = (result, fresh)
            self.held += len(result.records)
        else:
            self.found[source] = (where, fresh)

    def _replacing(self, source: str, records: list[dict]) -> None:
        """An input cleaned again: the article files of its earlier records that its new ones do
        not name are removed once the new manifest is in place."""
        new = {r["output"] for r in records if r.get("status") == "ok"}
        for where in self.earlier.by_source[source]:
            self.stale.update(r["output"] for r in self.earlier.records(where)
                              if r.get("status") == "ok" and r["output"] not in new)

    # -- what comes out

    def _advance(self) -> None:
        """Write the manifest and removed.jsonl up to the first input not finished."""
        while self.frontier < len(self.order):
            source = self.order[self.frontier]
            if source not in self.written:  # an input named twice is written once
                entry = self.found.pop(source, None)
                if entry is None:
                    return
                self._write(*entry)
                self.written.add(source)
            self.frontier += 1

    def _write(self, held: Result | Where, fresh: bool) -> None:
        if isinstance(held, Result):
            result = held
            self.held -= len(result.records)
        else:
            if held[0] == JOURNAL and held[1] >= self.this_run:
                self.journal.flush()  # this run's entry may still be pending
            result = _result(self.earlier.records(held))
        for rec in result.records:
            if rec["status"] == "ok":
                if "_minhash" not in rec:  # from a manifest: fingerprinted from its output
                    sig, size, _ = fingerprint((self.out / rec["output"]).read_text(encoding="utf-8"))
                    rec["_minhash"], rec["_shingles"] = sig, size
                self.summary.duplicates += self.flagger.flag(rec)
                self.summary.articles += 1
            rec = {k: v for k, v in rec.items() if k not in _PRIVATE}
            if rec["status"] == "error":
                self.summary.errors += 1
                self.summary.failed.append(rec)
            if self.keep_records:
                self.summary.records.append(rec)
            self.manifest.write(orjson.dumps(rec) + b"\n")
        removed = result.removed
        if not removed and not fresh:  # taken from the manifest: its lines of removed.jsonl
            where = self.earlier.removed.get(result.records[0]["source"])
            removed = self.earlier.raw(where) if where else b""
        self.removed.write(removed)
        self.summary.removed += removed.count(b"\n")

    def commit(self) -> None:
        """Every input written; the manifest and removed.jsonl put in place; the article files
        of replaced records removed; the journal, no longer needed, deleted."""
        self.journal.close()
        self._advance()
        while self.frontier < len(self.order):  # an input without a result (none should be): left out
            self.written.add(self.order[self.frontier])
            self._advance()
        self.earlier.close()  # before the files it reads from are replaced
        self.removed.commit()
        self.manifest.commit()
        if self.stale:  # unless a record of the new manifest names the same file
            self.stale.difference_update(r.get("output") for r in read_records(self.out / MANIFEST))
            for name in self.stale:
                (self.out / name).unlink(missing_ok=True)
        self.journal.path.unlink(missing_ok=True)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.journal.close()  # also when interrupted: the next run completes this one
        self.earlier.close()
        self.manifest.close()
        self.removed.close()


def _outputs_present(out: Path, records: list[dict]) -> bool:
    return all(r.get("status") != "ok" or (out / r["output"]).exists() for r in records)


def read_removed(outdir: str | Path) -> Iterator[dict]:
    """The lines of OUTDIR's removed.jsonl (none if there is none)."""
    return read_records(Path(outdir) / REMOVED)
