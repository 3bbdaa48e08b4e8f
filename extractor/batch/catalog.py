"""The ingest catalog (``OUT/catalog.sqlite``) and the lock that keeps one ingest per output.

The catalog remembers every file an ingest has seen: its source (URL or absolute path),
the SHA-256 of the bytes last processed, what became of them (status, documents, rows),
the file stem its rows are stored under (``key``), and for URLs the ``ETag`` /
``Last-Modified`` validators of the copy in ``OUT/downloads``.

Crash safety rests on a write-ahead note: before a source's rows are written, the key
about to be written is added to ``pending_keys`` and committed; only after the rows are
on disk is ``key`` set and the note cleared. A crash in between leaves the note, and the
next run removes every noted key that is not the one it writes, so no row is left behind
twice. SQLite runs in WAL mode with ``synchronous=FULL``.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from plansheet.errors import CatalogDamagedError, OutputLockedError  # noqa: F401  (raised here; importable from here as before)

CATALOG_NAME = "catalog.sqlite"
LOCK_NAME = ".plansheet.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source        TEXT PRIMARY KEY,  -- the URL, or the file's absolute path
    kind          TEXT NOT NULL,     -- 'url' or 'path'
    source_file   TEXT NOT NULL,     -- sources.source_file of its rows
    local_path    TEXT,              -- where its bytes are (downloads/… for URLs)
    sha256        TEXT,              -- of the bytes last processed
    status        TEXT,              -- ok / partial / failed / skipped: the last processing
    documents     INTEGER,
    rows          TEXT,              -- JSON {table: row count} it produced
    error         TEXT,
    key           TEXT,              -- the file stem its rows are stored under
    pending_keys  TEXT NOT NULL DEFAULT '[]',  -- write-ahead: keys being written (JSON list)
    etag          TEXT,
    last_modified TEXT,
    first_seen    TEXT NOT NULL,
    processed_at  TEXT,              -- when its rows were last written
    checked_at    TEXT,              -- when an ingest last looked at it
    last_outcome  TEXT               -- what the last ingest did: processed / unchanged / fetch failed: …
);
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    finished  TEXT,
    summary   TEXT
);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One catalog row."""

    source: str
    kind: str
    source_file: str
    local_path: str | None
    sha256: str | None
    status: str | None
    documents: int | None
    rows: dict[str, int]
    error: str | None
    key: str | None
    pending_keys: tuple[str, ...]
    etag: str | None
    last_modified: str | None


def damaged(path: Path, exc: Exception) -> CatalogDamagedError:
    """The one message for a catalog SQLite cannot read: what it is, and how to go on."""
    return CatalogDamagedError(
        f"{path} is damaged ({exc}). The catalog only remembers what was ingested: run "
        f"`plansheet rebuild {path.parent}` to set it aside, and the next ingest starts a new one "
        "(converting every source once more; the dataset's rows are kept)")


def set_aside_if_damaged(path: Path) -> Path | None:
    """Rename a catalog SQLite cannot read to ``<name>.damaged-<UTC time>``; return its new path."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
        return None
    except sqlite3.DatabaseError:
        target = path.with_name(f"{path.name}.damaged-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}")
        os.replace(path, target)
        for extra in ("-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
        return target


class Catalog:
    """The SQLite catalog of one output folder."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            return
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise damaged(path, exc) from exc

    def close(self) -> None:
        self.db.close()

    def get(self, source: str) -> Entry | None:
        row = self.db.execute(
            "SELECT source, kind, source_file, local_path, sha256, status, documents, rows, error, key,"
            " pending_keys, etag, last_modified FROM files WHERE source = ?", (source,)).fetchone()
        if row is None:
            return None
        return Entry(*row[:7], json.loads(row[7] or "{}"), row[8], row[9], tuple(json.loads(row[10] or "[]")),
                     row[11], row[12])

    def all(self) -> list[Entry]:
        return [e for (s,) in self.db.execute("SELECT source FROM files ORDER BY source")
                if (e := self.get(s)) is not None]

    def ensure(self, source: str, kind: str, source_file: str) -> None:
        """Add a row for a source first seen now (no-op if known)."""
        self.db.execute("INSERT OR IGNORE INTO files (source, kind, source_file, first_seen) VALUES (?, ?, ?, ?)",
                        (source, kind, source_file, now()))

    def keys_in_use(self, other_than: str) -> set[str]:
        """Every key (written or pending) of every source but ``other_than``."""
        keys: set[str] = set()
        for key, pending in self.db.execute("SELECT key, pending_keys FROM files WHERE source != ?", (other_than,)):
            if key:
                keys.add(key)
            keys.update(json.loads(pending or "[]"))
        return keys

    def begin_write(self, source: str, key: str) -> set[str]:
        """Note that ``key`` is about to be written; return the source's other keys (now stale)."""
        entry = self.get(source)
        assert entry is not None, source
        stale = ({entry.key} if entry.key else set()) | set(entry.pending_keys)
        pending = sorted(stale | {key})
        self.db.execute("UPDATE files SET pending_keys = ? WHERE source = ?", (json.dumps(pending), source))
        return stale - {key} - self.keys_in_use(source)

    def finish_write(self, source: str, *, key: str, sha256: str | None, status: str, documents: int,
                     rows: dict[str, int], error: str | None, local_path: str | None,
                     etag: str | None = None, last_modified: str | None = None) -> None:
        """The source's rows are on disk under ``key``: record what they are, clear the note."""
        stamp = now()
        self.db.execute(
            "UPDATE files SET key = ?, pending_keys = '[]', sha256 = ?, status = ?, documents = ?, rows = ?,"
            " error = ?, local_path = ?, etag = ?, last_modified = ?, processed_at = ?, checked_at = ?,"
            " last_outcome = 'processed' WHERE source = ?",
            (key, sha256, status, documents, json.dumps(rows, sort_keys=True), error, local_path, etag,
             last_modified, stamp, stamp, source))

    def mark(self, source: str, outcome: str, *, etag: str | None = None, last_modified: str | None = None) -> None:
        """Record what this ingest did with a source it did not (re)process."""
        if etag is not None or last_modified is not None:
            self.db.execute("UPDATE files SET etag = ?, last_modified = ? WHERE source = ?",
                            (etag, last_modified, source))
        self.db.execute("UPDATE files SET checked_at = ?, last_outcome = ? WHERE source = ?",
                        (now(), outcome, source))

    def start_run(self) -> int:
        cursor = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now(),))
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, int]) -> None:
        self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                        (now(), json.dumps(summary, sort_keys=True), run_id))


class OutputLock:
    """An exclusive ``flock`` on ``OUT/.plansheet.lock``, held while an ingest writes ``OUT``."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise OutputLockedError(f"{self.path.parent}: another ingest (pid {holder}) is writing this output; "
                                    "wait for it to finish, or use another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
