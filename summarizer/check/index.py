"""The reference index: documents, their clean text and fingerprints, in one SQLite file.

SQLite because it is embedded (nothing to run), survives restarts, and in WAL mode lets a checker
read a consistent state while another process adds documents. The LSH keys of every document
(whole-document bands and passage bands, see `fingerprint.py`) sit in one indexed table, so that
finding the candidates of a report is one query however many documents the index holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from summarizer.check import fingerprint as fpm
from summarizer.check.normalize import SYNONYMS, Normalized, normalize

SCHEMA_VERSION = 2  # 2: synonyms canonicalised to a fixed point
DEFAULT_DB = "summarizer_index.db"


def default_db() -> Path:
    """`$SUMMARIZER_DB`, else `summarizer_index.db` in the working directory."""
    return Path(os.environ.get("SUMMARIZER_DB", DEFAULT_DB))


def _params() -> str:
    """Everything the stored keys depend on; a change means the keys must be recomputed."""
    return json.dumps({"schema": SCHEMA_VERSION, "doc_bins": fpm.DOC_BINS, "doc_rows": fpm.DOC_ROWS,
                       "shingle": fpm.SHINGLE, "chunk": [fpm.CHUNK_AVG, fpm.CHUNK_MIN, fpm.CHUNK_MAX, "whole+least"],
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
    """`add` documents, then `candidates` of a fingerprint and the `documents` themselves."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
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
            CREATE TABLE IF NOT EXISTS keys(key INTEGER NOT NULL, doc INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS keys_by_key ON keys(key);
        """)
        row = self.db.execute("SELECT value FROM meta WHERE key='params'").fetchone()
        if row is None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('params', ?)", (_params(),))
        elif row[0] != _params():
            self._rekey()

    def _rekey(self) -> None:
        """Recompute every document's fingerprint (the parameters changed since it was built)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM keys")
            for ident, text in self.db.execute("SELECT id, text FROM documents").fetchall():
                fp = fpm.fingerprint(normalize(text))
                self.db.execute("UPDATE documents SET signature=?, shingles=? WHERE id=?",
                                (fp.signature.tobytes(), fp.shingles, ident))
                self.db.executemany("INSERT INTO keys VALUES(?, ?)",
                                    [(k, ident) for k in (*fp.doc_keys, *fp.chunk_keys)])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('params', ?)", (_params(),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def add_many(self, docs: Iterable[tuple[str, str, str, str]]) -> tuple[int, int]:
        """Add (name, source, title, text) documents in one transaction; a text already indexed
        (same sha256) is skipped. Returns (added, skipped)."""
        added = skipped = 0
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        prepared = []
        for name, source, title, text in docs:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            prepared.append((name, source, title, text, digest, fpm.fingerprint(normalize(text))))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for name, source, title, text, digest, fp in prepared:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO documents(name, source, title, text, sha256, signature, shingles, added)"
                    " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                    (name, source, title, text, digest, fp.signature.tobytes(), fp.shingles, now))
                if cur.rowcount == 0:
                    skipped += 1
                    continue
                ident = cur.lastrowid
                self.db.executemany("INSERT INTO keys VALUES(?, ?)",
                                    [(k, ident) for k in (*fp.doc_keys, *fp.chunk_keys)])
                added += 1
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return added, skipped

    def candidates(self, fp: fpm.Fingerprint, limit: int = 50) -> list[tuple[Reference, int]]:
        """The `limit` documents sharing most LSH keys with `fp`, with their shared-key counts,
        read in one transaction (a consistent state even while another process adds)."""
        keys = list({*fp.doc_keys, *fp.chunk_keys})
        if not keys:
            return []
        self.db.execute("BEGIN")
        try:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS query(key INTEGER PRIMARY KEY)")
            self.db.execute("DELETE FROM query")
            self.db.executemany("INSERT OR IGNORE INTO query VALUES(?)", [(k,) for k in keys])
            rows = self.db.execute(
                "SELECT keys.doc, COUNT(*) AS hits FROM query JOIN keys ON keys.key = query.key"
                " GROUP BY keys.doc ORDER BY hits DESC, keys.doc LIMIT ?", (limit,)).fetchall()
            refs = {r.id: r for r in self._documents([d for d, _ in rows])}
        finally:
            self.db.execute("COMMIT")
        return [(refs[d], hits) for d, hits in rows if d in refs]

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
            return [], np.zeros((0, fpm.DOC_BINS), dtype=np.uint64)
        return [r[0] for r in rows], np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint64).reshape(
            len(rows), fpm.DOC_BINS)


class IndexFileError(RuntimeError):
    """The index file cannot be used (not SQLite, or damaged)."""
