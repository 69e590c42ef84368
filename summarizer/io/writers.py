"""Writers: atomic files, cleaned articles, the manifest journal and `manifest.jsonl`.

Every output appears whole or not at all: it is written to a temporary file beside its target,
flushed to disk, then renamed over the target (rename is atomic on POSIX and Windows).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

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


def atomic_write(path: str | os.PathLike[str], data: bytes | str, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    `durable` also flushes the file to disk before the rename, so that it survives a power cut;
    article files skip it (a lost one is redone on the next run: the journal and the manifest
    only list inputs whose outputs exist), which saves one disk flush per article. The parent
    directory is created only when the first attempt finds it missing: no `mkdir`/`stat` per
    file in a batch of thousands.
    """
    path = os.fspath(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _open_temp(path)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        fd, tmp = _open_temp(path)
    try:
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
    """Records of a manifest or journal; a line cut short by an interruption is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


class Journal:
    """Append-only record of finished inputs, so that an interrupted run can resume.

    Every append reaches the operating system at once (an interrupted or killed run loses
    nothing), but is forced to disk at most once per `SYNC_INTERVAL` seconds and at `close`:
    one fsync per input cost more than cleaning a small one. A power cut may lose the last
    second of entries; those inputs are simply cleaned again by the next run.
    """

    SYNC_INTERVAL = 1.0

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / JOURNAL
        self._f = None
        self._synced = 0.0

    def append(self, records: Iterable[dict]) -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.path.open("a", encoding="utf-8")
        for rec in records:
            self._f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self._f.flush()
        now = time.monotonic()
        if now - self._synced >= self.SYNC_INTERVAL:
            os.fsync(self._f.fileno())
            self._synced = now

    def close(self) -> None:
        if self._f is not None:
            self._f.flush()
            os.fsync(self._f.fileno())
            self._f.close()
            self._f = None


def write_manifest(outdir: Path, records: list[dict]) -> Path:
    """Write `manifest.jsonl` atomically and drop the journal it supersedes."""
    path = outdir / MANIFEST
    atomic_write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    journal = outdir / JOURNAL
    if journal.exists():
        journal.unlink()
    return path
