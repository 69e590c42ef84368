"""Writers: atomic files, cleaned articles, the manifest journal and `manifest.jsonl`.

Every output appears whole or not at all: it is written to a temporary file beside its target,
flushed to disk, then renamed over the target (rename is atomic on POSIX and Windows).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import orjson

MANIFEST = "manifest.jsonl"
JOURNAL = ".manifest.journal.jsonl"


# Temporary names are unique per process (pid) and per call (counter): no `mkstemp`, whose random
# names and retry loop cost more than the write of a small article.
_TMP_COUNTER = itertools.count()
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _open_temp(path: str) -> tuple[int, str]:
    """Create a new temporary file beside `path` (mode 0o666 less the umask, as `open()` would
    give); returns (fd, name). A name left by a crashed process with the same pid is skipped."""
    while True:
        tmp = f"{path}.{os.getpid()}.{next(_TMP_COUNTER)}.tmp"
        head, tail = os.path.split(tmp)
        tmp = os.path.join(head, "." + tail)
        try:
            return os.open(tmp, _OPEN_FLAGS, 0o666), tmp
        except FileExistsError:
            continue


def _create_temp(path: str) -> tuple[int, str]:
    """`_open_temp`, creating the parent directory only when the first attempt finds it missing:
    no `mkdir`/`stat` per file in a batch of thousands."""
    try:
        return _open_temp(path)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return _open_temp(path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write(path: str | os.PathLike[str], data: bytes | str, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    `durable` also flushes the file to disk before the rename, so that it survives a power cut;
    article files skip it (a lost one is redone on the next run: the journal and the manifest
    only list inputs whose outputs exist), which saves one disk flush per article.
    """
    with AtomicFile(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.commit(durable)


def article_filename(source: str, sha256: str, number: int) -> str:
    """A stable, unique, readable name: `<source stem>_<sha8>_<NN>.txt`."""
    return f"{_safe_stem(source)}_{sha256[:8]}_{number:02d}.txt"


@lru_cache(maxsize=64)
def _safe_stem(source: str) -> str:
    """The file-name stem of a source; cached, since an input has a dozen articles."""
    name = source.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    return re.sub(r"[^\w\-\u3400-\u9fff]+", "_", stem).strip("_")[:60] or "doc"


def read_records(path: Path) -> Iterator[dict]:
    """Records of a manifest or journal; a line cut short by an interruption (even inside a
    multi-byte character) is skipped."""
    if not path.exists():
        return
    with path.open("rb") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                yield rec


def jsonl(records: Iterable[dict]) -> bytes:
    """JSON lines in UTF-8 (characters unescaped; bytes as hex). orjson rather than `json`: a
    manifest line is encoded twice per article (journal, manifest) in the dispatching process,
    and `json.dumps` took six times as long there (benchmarks/clean.py)."""
    return b"".join(orjson.dumps(rec, default=_hex) + b"\n" for rec in records)


def _hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class Journal:
    """Append-only record of finished inputs, so that an interrupted run can resume.

    Entries are written out (one write) and forced to disk with the first input finished, then
    at most once per `SYNC_INTERVAL` seconds, and at `close`, which the batch reaches also when
    interrupted: a write and an fsync per input cost more than cleaning a small one. The first
    goes at once, so that the journal's presence tells a watcher that the run has results. A
    killed process or a power cut may lose the last second of entries; those inputs are simply
    cleaned again by the next run.
    """

    SYNC_INTERVAL = 1.0
    PENDING_MAX = 1 << 20  # bytes of entries held between syncs before they are written out

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / JOURNAL
        self._fd: int | None = None
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._synced = -math.inf  # the first entry is written at once
        self._size = 0  # entries of an interrupted run come first
        try:
            with self.path.open("rb") as f:
                self._size = f.seek(0, os.SEEK_END)
                if self._size and (f.seek(-1, os.SEEK_END), f.read(1))[1] != b"\n":
                    self._pending.append(b"\n")  # end a line the interruption cut short
                    self._size += 1
        except FileNotFoundError:
            pass

    @property
    def size(self) -> int:
        """Where the next entry will start (pending entries included)."""
        return self._size

    def append(self, records: Iterable[dict], lines: bytes = b"") -> tuple[int, int]:
        """Add the records of one input, and `lines` of it already encoded as JSON lines;
        returns where they sit in the file (offset, length), for `read_at` once the journal is
        closed."""
        data = jsonl(records) + lines
        self._pending.append(data)
        self._pending_bytes += len(data)
        where = (self._size, len(data))
        self._size += len(data)
        if time.monotonic() - self._synced >= self.SYNC_INTERVAL:
            self.sync()
        elif self._pending_bytes >= self.PENDING_MAX:
            self.flush()
        return where

    def flush(self) -> None:
        """Write the pending entries (so that `read_at` finds them), without forcing them to disk."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o666)
        _write_all(self._fd, b"".join(self._pending))
        self._pending.clear()
        self._pending_bytes = 0

    def sync(self) -> None:
        """Write the pending entries and force them to disk."""
        self.flush()
        os.fsync(self._fd)
        self._synced = time.monotonic()

    def close(self) -> None:
        if self._pending:
            self.sync()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_at(f: BinaryIO, where: tuple[int, int]) -> list[dict]:
    """The records of the JSON lines at `where` (offset, length) of a file opened for reading:
    what `Journal.append` wrote, or a block that `record_blocks` found."""
    f.seek(where[0])
    return [orjson.loads(line) for line in f.read(where[1]).splitlines() if line.strip()]


def record_blocks(path: Path, key: Callable[[dict], object]) -> Iterator[tuple[object, int, int]]:
    """(key, offset, length) of each run of consecutive lines of a manifest or journal whose
    records share `key(record)`. A line cut short by an interruption ends a run and belongs to
    none; blank lines belong to the run they sit in."""
    if not path.exists():
        return
    with path.open("rb") as f:
        offset, current, start = 0, None, 0
        for line in f:
            at, offset = offset, offset + len(line)
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                rec = None
            k = key(rec) if isinstance(rec, dict) else None
            if k != current or k is None:
                if current is not None:
                    yield current, start, at - start
                current, start = k, at
        if current is not None:
            yield current, start, offset - start


class AtomicFile:
    """A file written piece by piece that appears whole at `path` on `commit`, or not at all
    (the temporary file is removed when the writer is closed without committing)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._fd, self._tmp = _create_temp(self.path)
        self._buffer: list[bytes] = []
        self._buffered = 0

    def write(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= 1 << 20:
            self._flush()

    def _flush(self) -> None:
        _write_all(self._fd, b"".join(self._buffer))
        self._buffer.clear()
        self._buffered = 0

    def commit(self, durable: bool = True) -> None:
        """Make the file appear at `path`; `durable` forces it to disk first (see `atomic_write`)."""
        self._flush()
        if durable:
            os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1
        os.replace(self._tmp, self.path)
        self._tmp = ""

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._tmp:  # not committed: the target keeps its old content
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)
            self._tmp = ""

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_generated(path: Path, text: str, summary: str, script: str, check: bool = False) -> int:
    """Write a file a build script generates (`corpus/build_*.py`), or with `check` only say
    whether the one on disk is current; the exit code for the script (1: stale)."""
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale; run python {script}", file=sys.stderr)
            return 1
        print(f"{path}: {summary}, up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    print(f"wrote {summary} to {path}")
    return 0
