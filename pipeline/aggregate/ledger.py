"""The processing ledger of a batch run: one row per input content hash, in SQLite (WAL).

Each record is committed as soon as its file is done, so a run that is killed loses nothing
it had finished, and a re-run skips every file whose content hash is already recorded.
Records are keyed by content, not by path: the same bytes under two names are one document.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    sha256   TEXT PRIMARY KEY,
    path     TEXT NOT NULL,
    status   TEXT NOT NULL,
    error    TEXT,
    record   BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS paths (
    path     TEXT PRIMARY KEY,
    sha256   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_path ON files (path, sha256);
-- this run's new contents: counted first (claimed), then handed out once (taken)
CREATE TEMP TABLE IF NOT EXISTS pending (
    sha256   TEXT PRIMARY KEY,
    taken    INTEGER NOT NULL DEFAULT 0
);
"""


def pack(record: dict[str, Any]) -> dict[str, Any]:
    """The record's summary (``source``, ``status``, ``error``) and its compressed JSON (``_packed``)."""
    return {
        "source": record.get("source") or {},
        "status": record.get("status", "error"),
        "error": record.get("error"),
        "_packed": zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 3),
    }


class Ledger:
    """``OUTDIR/ledger.sqlite``: what a run has done, file by file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def claim(self, sha: str) -> bool:
        """Whether content ``sha`` is new to the ledger and to this run (then it is claimed)."""
        if self._db.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha,)).fetchone():
            return False
        with self._db:
            return self._db.execute("INSERT OR IGNORE INTO pending (sha256) VALUES (?)", (sha,)).rowcount == 1

    def take(self, sha: str) -> bool:
        """Whether to process content ``sha`` now: claimed and not yet taken, or new since.

        The membership questions of a batch go to the database, not to sets in memory.
        """
        with self._db:
            if self._db.execute("UPDATE pending SET taken = 1 WHERE sha256 = ? AND taken = 0", (sha,)).rowcount:
                return True
            if self._db.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha,)).fetchone():
                return False
            return self._db.execute("INSERT OR IGNORE INTO pending (sha256, taken) VALUES (?, 1)", (sha,)).rowcount == 1

    def done(self) -> set[str]:
        """Content hashes already processed (successfully or not)."""
        return {row[0] for row in self._db.execute("SELECT sha256 FROM files")}

    def put(self, record: dict[str, Any]) -> None:
        """Store one file's record and commit at once.

        A record packed by :func:`pack` (in the worker, where the CPU is parallel) is stored as
        it comes; a plain record is packed here.
        """
        src = record.get("source") or {}
        sha = src.get("sha256") or f"path:{src.get('path')}"
        blob = record.get("_packed") or pack(record)["_packed"]
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO files (sha256, path, status, error, record) VALUES (?, ?, ?, ?, ?)",
                (sha, str(src.get("path")), record.get("status", "error"), record.get("error"), blob),
            )
            self._db.execute("INSERT OR REPLACE INTO paths (path, sha256) VALUES (?, ?)", (str(src.get("path")), sha))

    def forget_errors(self) -> int:
        """Drop failed files so that a re-run tries them again (``--retry-errors``)."""
        with self._db:
            return self._db.execute("DELETE FROM files WHERE status != 'ok'").rowcount

    def records(self) -> Iterator[dict[str, Any]]:
        """Every stored record, in a stable order (by path)."""
        for (blob,) in self._db.execute("SELECT record FROM files ORDER BY path, sha256"):
            yield json.loads(zlib.decompress(blob).decode("utf-8"))

    def errors(self) -> list[str]:
        """The one-line error of every failed file."""
        return [e or "" for (e,) in self._db.execute("SELECT error FROM files WHERE status != 'ok' ORDER BY path")]

    def count(self) -> tuple[int, int]:
        ok = self._db.execute("SELECT COUNT(*) FROM files WHERE status = 'ok'").fetchone()[0]
        bad = self._db.execute("SELECT COUNT(*) FROM files WHERE status != 'ok'").fetchone()[0]
        return ok, bad
