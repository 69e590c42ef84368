"""Writers: atomic files, cleaned articles, the manifest journal and `manifest.jsonl`.

Every output appears whole or not at all: it is written to a temporary file beside its target,
flushed to disk, then renamed over the target (rename is atomic on POSIX and Windows).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MANIFEST = "manifest.jsonl"
JOURNAL = ".manifest.journal.jsonl"


def _file_mode() -> int:
    """The mode `open()` would give a new file (0o666 less the umask); `mkstemp` makes 0o600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


def atomic_write(path: str | os.PathLike[str], data: bytes | str, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    `durable` also flushes the file to disk before the rename, so that it survives a power cut;
    article files skip it (a lost one is redone on the next run: the journal and the manifest,
    written durably, only list inputs whose outputs exist), which saves one disk flush per article.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX
            os.fchmod(fd, _MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def article_filename(source: str, sha256: str, number: int) -> str:
    """A stable, unique, readable name: `<source stem>_<sha8>_<NN>.txt`."""
    name = source.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    stem = re.sub(r"[^\w\-\u3400-\u9fff]+", "_", stem).strip("_")[:60] or "doc"
    return f"{stem}_{sha256[:8]}_{number:02d}.txt"


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
    """Append-only record of finished inputs, so that an interrupted run can resume."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / JOURNAL
        self._f = None

    def append(self, records: Iterable[dict]) -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.path.open("a", encoding="utf-8")
        for rec in records:
            self._f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        if self._f is not None:
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
