"""A per-user disk cache for models that are slow to build and quick to load.

The cleanup's character model is built from jieba's dictionary and the packaged corpus counts in
every process that meets a mojibake suspect, twenty times slower than loading the built model,
and each worker of `--jobs N` paid it again. Like jieba, which caches its parsed dictionary, the built object is kept
on disk after the first build.

An entry is named by a hash of everything it was built from: the files (by content, or by size
and modification time for large third-party ones), the library versions, the Python version and
the source of the module that builds it, so that an upgrade or a code change builds afresh
rather than loading a stale model. The cache lives in `$SUMMARIZER_CACHE_DIR`, else
`$XDG_CACHE_HOME/summarizer`, else `~/.cache/summarizer`; `SUMMARIZER_CACHE_DIR=off` turns it off.
A cache that cannot be read or written is passed over: the model is built as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from summarizer.io.writers import atomic_write

T = TypeVar("T")

_OFF = {"off", "0", "no", "none", ""}


def cache_dir() -> Path | None:
    """Where entries go, or None when the cache is turned off."""
    env = os.environ.get("SUMMARIZER_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "summarizer"


def key_of(parts: Iterable[str | bytes | Path]) -> str:
    """A hex digest of `parts`: bytes and strings as they are, a file by its content when it is
    under 1 MiB, else by its path, size and modification time (hashing jieba's 5 MB dictionary
    would cost a tenth of what the cache saves)."""
    digest = hashlib.sha256(sys.version.encode())
    for part in parts:
        if isinstance(part, Path):
            st = part.stat()
            if st.st_size < 1 << 20:
                digest.update(b"file:" + part.read_bytes())
            else:
                digest.update(f"file:{part}:{st.st_size}:{st.st_mtime_ns}".encode())
        elif isinstance(part, str):
            digest.update(b"str:" + part.encode("utf-8"))
        else:
            digest.update(b"bytes:" + part)
        digest.update(b"\x00")
    return digest.hexdigest()


def cached(name: str, parts: Iterable[str | bytes | Path], build: Callable[[], T]) -> T:
    """The object `build()` returns, from the cache when an entry for `parts` exists."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key_of(parts)[:24]}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged entry is rebuilt and replaced
        pass
    obj = build()
    try:
        atomic_write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    except OSError:
        pass  # a read-only home or a full disk: the next process builds again
    return obj
