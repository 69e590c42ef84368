"""Batch cleanup: every input in, clean article files and one manifest out, locally or on Dask.

The unit of work is one input (`process_one`): decode, clean, write its articles atomically,
return its manifest records. The same function runs in this process, in a process pool
(`--jobs N`) or on the workers of a Dask distributed cluster (`--engine dask`), so the outputs
are byte-identical whichever runs it. Work is submitted in a bounded window so memory stays flat
however large the archive is. Finished inputs go to a journal as they complete; a re-run with the
same OUTDIR skips inputs already done (same source, same sha256, outputs present); `manifest.jsonl`
is written in input order as the run goes and appears, atomically, when the run ends.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, as_completed, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import numpy as np
import orjson

from summarizer.clean.minhash import MINHASH, signature, signatures
from summarizer.clean.pipeline import STEPS, clean_input
from summarizer.io import FileRef, InputError, RawInput, iter_inputs
from summarizer.io.writers import (
    JOURNAL,
    MANIFEST,
    AtomicFile,
    Journal,
    article_filename,
    atomic_write,
    read_at,
    record_blocks,
)

NUM_PERM = MINHASH.bins
SHINGLE = MINHASH.shingle
DUPLICATE_JACCARD = 0.8
DUPLICATE_CONTAINMENT = 0.9


def fingerprint(text: str) -> tuple[bytes, int, str]:
    """One-permutation MinHash of character 5-shingles (64 values, as their 512 bytes), the
    shingle count, and the sha256 of the text without white space (see
    `summarizer.clean.minhash`). Bytes rather than hex: a worker's records for a chunk of 8
    standard benchmark pages pickled to 67 KB with hex, to 27 KB with bytes (an article seen
    before shares its signature object); the journal writes them as hex."""
    body = "".join(text.split())
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    sig, size = signature(body, SHINGLE, NUM_PERM)
    return sig.tobytes(), size, digest


# MinHash by text digest, per process: an archive holds the same article many times over (the
# copies a bureau looks for), and an article seen before needs no new MinHash: it is a pure
# function of the text. Bounded, and cleared when full, so that memory stays flat.
_SIGNATURES: dict[str, tuple[bytes, int]] = {}
_SIGNATURES_MAX = 10_000  # ~6 MB


def fingerprints(texts: list[str]) -> list[tuple[bytes, int, str]]:
    """`fingerprint` of each of `texts` (the articles of one input), hashed in one batch."""
    bodies = ["".join(text.split()) for text in texts]
    digests = [hashlib.sha256(body.encode("utf-8")).hexdigest() for body in bodies]
    new = {d: b for d, b in zip(digests, bodies) if d not in _SIGNATURES}
    if new:
        if len(_SIGNATURES) + len(new) > _SIGNATURES_MAX:
            _SIGNATURES.clear()
            new = dict(zip(digests, bodies))
        for digest, (sig, size) in zip(new, signatures(list(new.values()), SHINGLE, NUM_PERM)):
            _SIGNATURES[digest] = (sig.tobytes(), size)
    return [(*_SIGNATURES[d], d) for d in digests]


def process_one(raw: RawInput | InputError | FileRef, outdir: str) -> list[dict]:
    """Clean one input and write its articles; return its manifest records (one per article,
    or one error record). Never raises for bad input: the batch goes on."""
    if isinstance(raw, FileRef):
        raw = raw.read()
    sha = raw.sha256
    try:
        cleaned = clean_input(raw)
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop an archive run
        return [_error_record(raw.source, sha, f"{raw.source}: 内部错误 / internal error: {type(exc).__name__}: {exc}")]
    if isinstance(cleaned, str):
        return [_error_record(raw.source, sha, cleaned)]
    text_input, doc = cleaned
    fixes = {k: int(doc.fixes.get(k, 0)) for k in STEPS}
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
    return records


_PRIVATE = frozenset({"_minhash", "_shingles"})  # record fields for the run, not the manifest


def _error_record(source: str, sha: str, error: str) -> dict:
    return {"source": source, "sha256": sha, "status": "error", "error": error}


@dataclass
class CleanSummary:
    """What a run did, for the CLI to print."""

    inputs: int = 0
    skipped: int = 0
    articles: int = 0
    errors: int = 0
    duplicates: int = 0
    manifest: str = ""
    records: list[dict] = field(default_factory=list)  # the manifest's, unless not kept
    failed: list[dict] = field(default_factory=list)  # the error records


CHUNK = 8
HOLD_MAX = 20_000  # manifest records held in memory until the inputs before them are done


def _local_map(fn: Callable, items: Iterable, jobs: int) -> Iterator[list[dict]]:
    """Results in completion order; at most `4 * jobs` chunks of `CHUNK` inputs in flight, so
    memory stays flat. Chunks rather than single inputs: each submission costs the dispatching
    process a future, a wake-up and a pickle round trip, which for small pages added up to a
    fifth of its work."""
    if jobs <= 1:
        for item in items:
            yield fn(item)
        return
    # Imported here: the process pool machinery costs ~20 ms of start-up that one job never uses.
    from concurrent.futures import ProcessPoolExecutor

    it = iter(items)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set = set()
        while chunk := list(islice(it, CHUNK)):
            pending.add(pool.submit(_map_chunk, fn, chunk))
            if len(pending) >= 4 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield from fut.result()
        for fut in as_completed(pending):
            yield from fut.result()


def _map_chunk(fn: Callable, chunk: list) -> list[list[dict]]:
    return [fn(item) for item in chunk]


SCHEDULER_TIMEOUT = 8  # seconds to reach a Dask scheduler before the run is refused


class SchedulerUnreachable(RuntimeError):
    """The Dask scheduler named on the command line does not answer; the message names it."""


def _dask_map(fn: Callable, items: Iterable, scheduler: str | None, jobs: int) -> Iterator[list[dict]]:
    """The same bounded window on a Dask cluster: `scheduler` is its address, or a LocalCluster
    with `jobs` worker processes is started for the run."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(
                f"{scheduler}: 无法连接 Dask 调度器（{SCHEDULER_TIMEOUT} 秒内无应答）/ "
                f"cannot reach the Dask scheduler within {SCHEDULER_TIMEOUT} s: {type(exc).__name__}") from None
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        workers = len(client.scheduler_info().get("workers", {})) or max(1, jobs)
        window = 4 * workers
        it = iter(items)
        first = [client.submit(fn, item, pure=False) for item in islice(it, window)]
        queue = dask_completed(first)
        for fut in queue:
            yield fut.result()
            for item in islice(it, 1):
                queue.add(client.submit(fn, item, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _Task:
    """A picklable `process_one` bound to an output directory."""

    def __init__(self, outdir: str) -> None:
        self.outdir = outdir

    def __call__(self, raw: RawInput | InputError | FileRef) -> list[dict]:
        return process_one(raw, self.outdir)


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

    Memory does not grow with the archive's articles: finished inputs go to the journal on
    disk, and the manifest is written in input order as the run goes, with duplicates flagged
    on the way (only the distinct articles' fingerprints are held for that); an earlier run's
    records are found by their place in its manifest or journal, not loaded.
    `keep_records=False` also leaves the manifest's records out of the summary (the errors
    stay in `CleanSummary.failed`).
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # temporaries of a killed run (ours: see `atomic_write`)
        stale.unlink(missing_ok=True)
    previous = _previous_blocks(out)
    done_sources = {source for source, _ in previous}
    summary = CleanSummary()
    journal = Journal(out)
    this_run = journal.size  # journal entries from this offset on are this run's
    stored = _StoredRecords(out)
    order: list[str] = []
    # Per input: its records, held in memory, or where they are on disk (file, offset, length).
    found: dict[str, list[dict] | tuple[str, int, int]] = {}
    held = 0  # records held in memory until the frontier reaches them
    ran: set[str] = set()  # inputs whose records are held

    def hold(source: str, records: list[dict], where: tuple[str, int, int]) -> None:
        nonlocal held
        if held + len(records) <= HOLD_MAX:
            found[source] = records
            held += len(records)
            ran.add(source)
        else:
            found[source] = where

    def todo() -> Iterator[RawInput | InputError | FileRef]:
        # Plain files go out unread (the worker reads them); only a file that an earlier run
        # may have done is read here, to compare its sha256 with the one on record.
        for item in iter_inputs(inputs, lazy=True):
            order.append(item.source)
            summary.inputs += 1
            if item.source in done_sources:
                if isinstance(item, FileRef):
                    item = item.read()
                where = previous.get((item.source, item.sha256))
                records = stored.read(where) if where else []
                if records and _outputs_present(out, records):
                    hold(item.source, records, where)
                    summary.skipped += 1
                    if on_progress:
                        on_progress(1)
                    continue
            yield item

    flagger = DuplicateFlagger()
    emitted: set[str] = set()
    frontier = 0  # inputs before it in `order` are in the manifest

    def emit(records: list[dict]) -> None:
        for rec in records:
            if rec.get("status") == "ok":
                if "_minhash" not in rec:  # from a manifest: fingerprinted from its output
                    sig, size, _ = fingerprint((out / rec["output"]).read_text(encoding="utf-8"))
                    rec["_minhash"], rec["_shingles"] = sig, size
                summary.duplicates += flagger.flag(rec)
                summary.articles += 1
            rec = {k: v for k, v in rec.items() if k not in _PRIVATE}
            if rec["status"] == "error":
                summary.errors += 1
                summary.failed.append(rec)
            if keep_records:
                summary.records.append(rec)
            manifest.write(orjson.dumps(rec) + b"\n")

    def advance() -> None:
        """Write the manifest up to the first input not finished."""
        nonlocal frontier, held
        while frontier < len(order):
            source = order[frontier]
            if source not in emitted:
                where = found.pop(source, None)
                if where is None:
                    return
                if isinstance(where, list):
                    records = where
                    if source in ran:
                        ran.discard(source)
                        held -= len(records)
                else:
                    if where[0] == JOURNAL and where[1] >= this_run:
                        journal.flush()  # this run's entry may still be pending
                    records = stored.read(where)
                emit(records)
                emitted.add(source)
            frontier += 1

    # Results come back nearly in input order, so the manifest is written as the run goes (the
    # duplicate flagging needs input order) and little is left for the end. Records wait in
    # memory for the frontier only up to HOLD_MAX; beyond that (a slow input holding it back)
    # they are read back from the journal, so that memory stays flat.
    task = _Task(os.path.abspath(out))  # absolute, like `FileRef.path`: a worker's directory may differ
    mapper = (_dask_map(task, todo(), scheduler, jobs) if engine == "dask" else _local_map(task, todo(), jobs))
    try:
        with AtomicFile(out / MANIFEST) as manifest:
            try:
                for records in mapper:
                    offset, length = journal.append(records)
                    hold(records[0]["source"], records, (JOURNAL, offset, length))
                    if on_progress:
                        on_progress(1)
                    advance()
            finally:
                journal.close()
            advance()
            while frontier < len(order):  # an input without a result (none should be): left out
                emitted.add(order[frontier])
                advance()
            stored.close()  # before the manifest it reads from is replaced
            manifest.commit()
    finally:
        stored.close()
    journal.path.unlink(missing_ok=True)
    summary.manifest = str(out / MANIFEST)
    return summary


class _StoredRecords:
    """Reads records back from the manifest and journal of OUTDIR by place (file, offset, length)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._files: dict[str, BinaryIO] = {}

    def read(self, where: tuple[str, int, int]) -> list[dict]:
        f = self._files.get(where[0])
        if f is None:
            f = self._files[where[0]] = (self.out / where[0]).open("rb")
        return read_at(f, where[1:])

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()


def _previous_blocks(out: Path) -> dict[tuple[str, str], tuple[str, int, int]]:
    """Where each input's records of earlier runs are: its block of lines in the manifest, or in
    the journal of an interrupted run, which supersedes it (as a later block supersedes an
    earlier one for the same input)."""
    found: dict[tuple[str, str], tuple[str, int, int]] = {}
    for name in (MANIFEST, JOURNAL):
        for key, offset, length in record_blocks(out / name, lambda r: (r.get("source", ""), r.get("sha256", ""))):
            found[key] = (name, offset, length)
    return found


def _outputs_present(out: Path, records: list[dict]) -> bool:
    return all(r.get("status") != "ok" or (out / r["output"]).exists() for r in records)


class DuplicateFlagger:
    """Marks exact and near-exact duplicate articles (`duplicate_of`, `similarity`), one article
    at a time in input order; keeps them all.

    Candidates come from banded MinHash (LSH, 16 bands of 4 rows); a pair is a duplicate when the
    estimated Jaccard similarity of 5-shingles is ≥ 0.8, or when one article is ≥ 90% contained
    in an earlier, longer one (a truncated copy). The earlier article in input order is the
    original; only originals are candidates, so a copy is flagged against the original, not
    another copy, and only the originals' fingerprints are held: an archive of copies stays
    small and linear (10,719 copies of 27 articles: 1.25 s → 0.11 s).
    """

    _BAND_BYTES = MINHASH.cleanup_rows * 8  # a band: 4 rows of the signature, 8 bytes each
    _FEW = 8  # candidates compared row by row; more, in one numpy call

    def __init__(self) -> None:
        self._first_exact: dict[str, str] = {}
        # One table per band, keyed by the band's 32 bytes (a signature is bytes already: no
        # tuples of four large integers to build and hash for each band).
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(NUM_PERM // MINHASH.cleanup_rows)]
        self._outputs: list[str] = []
        self._sigs = np.empty((64, NUM_PERM), dtype=np.uint64)
        self._sizes = np.empty(64, dtype=float)

    def flag(self, rec: dict) -> bool:
        """Mark `rec` if it duplicates an earlier article; True when it does."""
        rec.pop("duplicate_of", None)
        rec.pop("similarity", None)
        exact = self._first_exact.setdefault(rec.get("text_sha256", ""), rec["output"])
        if exact != rec["output"]:
            rec["duplicate_of"], rec["similarity"] = exact, 1.0
            return True
        raw = rec["_minhash"]
        if isinstance(raw, str):  # read back from a journal or manifest, as hex
            raw = bytes.fromhex(raw)
        keys = [raw[k : k + self._BAND_BYTES] for k in range(0, len(raw), self._BAND_BYTES)]
        candidates: set[int] = set()
        for band, key in zip(self._buckets, keys):
            hit = band.get(key)
            if hit:
                candidates.update(hit)
        sig = np.frombuffer(raw, dtype=np.uint64)
        if candidates and self._flag_against(rec, sig, candidates):
            return True
        i = len(self._outputs)
        if i == len(self._sigs):  # grown by doubling
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
            self._sizes = np.concatenate([self._sizes, np.empty_like(self._sizes)])
        self._sigs[i] = sig
        self._sizes[i] = rec["_shingles"]
        self._outputs.append(rec["output"])
        for band, key in zip(self._buckets, keys):
            band.setdefault(key, []).append(i)
        return False

    def _flag_against(self, rec: dict, sig: np.ndarray, candidates: set[int]) -> bool:
        """Mark `rec` a duplicate of its most similar earlier candidate, if any is one.

        The agreeing bins are counted row by row for a few candidates (an article of an archive
        of copies has one: 3 µs where the one call for all rows, `count_nonzero` along an axis,
        costs 20 µs however few they are), for many in that one call; the candidates are then
        judged in Python (the same float operations numpy did elementwise, a tenth of the cost
        for the handful of candidates an article has)."""
        cand = sorted(candidates)
        if len(cand) <= self._FEW:
            agree = [int(np.count_nonzero(self._sigs[i] == sig)) for i in cand]
        else:
            agree = np.count_nonzero(self._sigs[cand] == sig, axis=1).tolist()
        size = float(rec["_shingles"])
        best, best_jac = -1, -1.0
        for i, n in zip(cand, agree):
            jac = n / NUM_PERM
            other = float(self._sizes[i])
            inter = jac * (other + size) / (1 + jac)
            containment = inter / max(1.0, min(other, size))
            if (jac >= DUPLICATE_JACCARD or (containment >= DUPLICATE_CONTAINMENT and jac >= 0.3)) and jac > best_jac:
                best, best_jac = i, jac  # the earliest of the most similar
        if best < 0:
            return False
        rec["duplicate_of"] = self._outputs[best]
        rec["similarity"] = round(best_jac, 3)
        return True
