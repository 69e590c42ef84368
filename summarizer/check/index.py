"""The reference index: documents, their clean text and fingerprints, in one SQLite file.

SQLite because it is embedded (nothing to run), survives restarts, and in WAL mode lets a checker
read a consistent state while another process adds documents. Each document's winnowed passage
fingerprints (`postings`) and whole-document MinHash bands (`doc_keys`) sit in two clustered
tables (WITHOUT ROWID: the primary key is the table, no second copy in an index), so that a
report's candidates are a few indexed lookups however many documents the index holds. Keys are
below 2^47 (6 bytes each); documents are added lazily and their fingerprints written in key
order, millions per transaction (see `add_many`), so memory stays flat however many are added.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from summarizer.check import fingerprint as fpm
from summarizer.check.normalize import SYNONYMS, Normalized, normalize
from summarizer.io.datadir import user_data_dir
from summarizer.text.minhash import MINHASH

SCHEMA_VERSION = 3  # 3: winnowed passage fingerprints; the shared MinHash configuration
DB_NAME = "index.db"
BATCH = 500  # documents read, fingerprinted and written at a time (a progress step)
POSTINGS_PER_COMMIT = 3_000_000  # fingerprints gathered before they are written in key order (48 MB)
WRITE_CHUNK = 200_000  # rows handed to SQLite at a time (as Python ints they weigh ~15× the arrays)


def default_db() -> Path:
    """`$SUMMARIZER_DB`, else `index.db` in the per-user data folder (never the working directory,
    so that every command finds the same library wherever it is run)."""
    env = os.environ.get("SUMMARIZER_DB")
    return Path(env) if env else user_data_dir() / DB_NAME


def _params() -> str:
    """Everything the stored keys depend on; a change means the keys must be recomputed."""
    return json.dumps({"schema": SCHEMA_VERSION, "minhash": [MINHASH.shingle, MINHASH.bins, MINHASH.check_rows],
                       "winnow": [fpm.K, fpm.W, fpm.KEY_BITS],
                       "synonyms": hashlib.sha256(repr(SYNONYMS).encode()).hexdigest()[:16]},
                      sort_keys=True)


@dataclass
class Reference:
    """One indexed document."""

    id: int
    name: str
    title: str
    text: str

    def normalized(self) -> Normalized:
        return normalize(self.text)


class ReferenceIndex:
    """`add_many` documents, then look up fingerprint keys and read the `documents` themselves.

    `create=False` opens an existing index only (what `check` does): a missing path is an
    `IndexMissing` error, never a new empty file that would make every report look original.
    """

    def __init__(self, path: str | os.PathLike[str], create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise IndexMissing(f"{self.path}: 参考库不存在 / the reference index does not exist")
        if create and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            uri = f"{self.path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
            self.db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: bounded, whatever the size
            self.db.execute("PRAGMA journal_size_limit=67108864")  # the WAL shrinks back after a big commit
            self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            raise IndexFileError(f"{self.path}: 不是有效的索引数据库 / not a valid index database: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReferenceIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents(
                id INTEGER PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
                text TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, signature BLOB NOT NULL,
                shingles INTEGER NOT NULL, added TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS doc_keys(key INTEGER NOT NULL, doc INTEGER NOT NULL,
                PRIMARY KEY(key, doc)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS postings(key INTEGER NOT NULL, doc INTEGER NOT NULL,
                PRIMARY KEY(key, doc)) WITHOUT ROWID;
        """)
        row = self.db.execute("SELECT value FROM meta WHERE key='params'").fetchone()
        if row is None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('params', ?)", (_params(),))
        elif row[0] != _params():
            self._rekey()

    def _write_keys(self, ident: int, fp: fpm.Fingerprint) -> None:
        self.db.executemany("INSERT OR IGNORE INTO doc_keys VALUES(?, ?)", [(k, ident) for k in fp.doc_keys])
        self.db.executemany("INSERT INTO postings VALUES(?, ?)", [(k, ident) for k in fp.distinct_keys().tolist()])

    def _rekey(self) -> None:
        """Recompute every document's fingerprints (the parameters changed since it was built; an
        index of schema 2 also loses its old `keys` table)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DROP TABLE IF EXISTS keys")
            self.db.execute("DELETE FROM doc_keys")
            self.db.execute("DELETE FROM postings")
            for ident, text in self.db.execute("SELECT id, text FROM documents").fetchall():
                fp = fpm.fingerprint(normalize(text))
                self.db.execute("UPDATE documents SET signature=?, shingles=? WHERE id=?",
                                (fp.signature.tobytes(), fp.shingles, ident))
                self._write_keys(ident, fp)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('params', ?)", (_params(),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def add_many(self, docs: Iterable[tuple[str, str, str, str]],
                 on_progress: Callable[[int], None] | None = None) -> tuple[int, int]:
        """Add (name, source, title, text) documents; a text already indexed (same sha256) is
        skipped. Returns (added, skipped); `on_progress(n)` after each batch of `BATCH`.

        Documents are read lazily and written as they come; their fingerprints wait, as two
        arrays, until `POSTINGS_PER_COMMIT` have gathered, then go in in key order and the
        transaction commits. Why: fingerprint keys are hashes, so a batch's postings land all over
        the B-tree, and a small batch rewrites most of its pages for a few rows each (adding
        slowed from 420 to 150 documents/s by 50,000 documents with batches of 500). Gathering
        millions per commit writes each page once for many rows, and memory stays bounded by
        the gathered arrays (16 bytes a posting), not by the number of documents."""
        added = skipped = 0
        it = iter(docs)
        done = False
        while not done:
            gathered: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
            pending = 0
            self.db.execute("BEGIN IMMEDIATE")
            try:
                while pending < POSTINGS_PER_COMMIT:
                    batch = list(itertools.islice(it, BATCH))
                    if not batch:
                        done = True
                        break
                    a, s, arrays = self._add_documents(batch)
                    added, skipped = added + a, skipped + s
                    gathered.append(arrays)
                    pending += len(arrays[0])
                    if on_progress:
                        on_progress(len(batch))
                if gathered:
                    for table, k, d in (("postings", 0, 1), ("doc_keys", 2, 3)):
                        keys = np.concatenate([g[k] for g in gathered])
                        owners = np.concatenate([g[d] for g in gathered])
                        order = np.argsort(keys, kind="stable")
                        keys, owners = keys[order], owners[order]
                        for i in range(0, len(keys), WRITE_CHUNK):  # Python ints for a chunk at a time
                            self.db.executemany(f"INSERT OR IGNORE INTO {table} VALUES(?, ?)",
                                                zip(keys[i:i + WRITE_CHUNK].tolist(), owners[i:i + WRITE_CHUNK].tolist()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return added, skipped

    def _add_documents(self, docs: list[tuple[str, str, str, str]]
                       ) -> tuple[int, int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """Insert the documents (inside the caller's transaction); their postings and band keys
        are returned as (keys, docs, band keys, docs) arrays for the caller to write in order."""
        added = skipped = 0
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        keys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        owners: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        bands: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        band_owners: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        for name, source, title, text in docs:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            fp = fpm.fingerprint(normalize(text))
            cur = self.db.execute(
                "INSERT OR IGNORE INTO documents(name, source, title, text, sha256, signature, shingles, added)"
                " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                (name, source, title, text, digest, fp.signature.tobytes(), fp.shingles, now))
            if cur.rowcount == 0:
                skipped += 1
                continue
            ident = cur.lastrowid
            distinct = fp.distinct_keys()
            keys.append(distinct)
            owners.append(np.full(len(distinct), ident, dtype=np.int64))
            bands.append(np.array(fp.doc_keys, dtype=np.int64))
            band_owners.append(np.full(len(fp.doc_keys), ident, dtype=np.int64))
            added += 1
        return added, skipped, (np.concatenate(keys), np.concatenate(owners), np.concatenate(bands),
                                np.concatenate(band_owners))

    def snapshot(self) -> Snapshot:
        """A read transaction: every lookup inside it sees one state of the index, even while
        another process adds documents."""
        return Snapshot(self)

    def _documents(self, ids: list[int]) -> list[Reference]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [Reference(*row) for row in
                self.db.execute(f"SELECT id, name, title, text FROM documents WHERE id IN ({marks})", ids)]

    def signatures(self) -> tuple[list[int], np.ndarray]:
        """All document ids and their signatures (for near-duplicate search and benchmarks)."""
        rows = self.db.execute("SELECT id, signature FROM documents ORDER BY id").fetchall()
        if not rows:
            return [], np.zeros((0, MINHASH.bins), dtype=np.uint64)
        return [r[0] for r in rows], np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint64).reshape(
            len(rows), MINHASH.bins)


class Snapshot:
    """The lookups of one check of one report, inside one read transaction (`with` block)."""

    def __init__(self, index: ReferenceIndex) -> None:
        self.db = index.db
        self.index = index

    def __enter__(self) -> Snapshot:
        self.db.execute("BEGIN")
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.execute("COMMIT")

    def lookup(self, keys: np.ndarray, cap: int) -> dict[int, list[int]]:
        """The documents holding each fingerprint key, at most `cap` per key (a key held by more is
        a common phrase, and any `cap` of its documents show it as well as all would)."""
        out: dict[int, list[int]] = {}
        query = "SELECT doc FROM postings WHERE key=? LIMIT ?"
        for key in np.unique(keys).tolist():
            docs = [d for (d,) in self.db.execute(query, (key, cap))]
            if docs:
                out[key] = docs
        return out

    def frequency(self, keys: Iterable[int]) -> dict[int, int]:
        """How many documents hold each key (exact; for the few keys of common phrases)."""
        return {k: self.db.execute("SELECT COUNT(*) FROM postings WHERE key=?", (k,)).fetchone()[0]
                for k in set(keys)}

    def near_duplicates_of(self, fp: fpm.Fingerprint, limit: int) -> list[int]:
        """Documents sharing most MinHash bands with `fp` (near-duplicates first)."""
        if not fp.doc_keys:
            return []
        marks = ",".join("?" * len(fp.doc_keys))
        rows = self.db.execute(f"SELECT doc, COUNT(*) AS n FROM doc_keys WHERE key IN ({marks})"
                               " GROUP BY doc ORDER BY n DESC, doc LIMIT ?", (*fp.doc_keys, limit)).fetchall()
        return [d for d, _ in rows]

    def documents(self, ids: list[int]) -> dict[int, Reference]:
        return {r.id: r for r in self.index._documents(ids)}


class IndexFileError(RuntimeError):
    """The index file cannot be used (not SQLite, or damaged)."""


class IndexMissing(IndexFileError):
    """The index file does not exist (and the caller asked not to create it)."""
