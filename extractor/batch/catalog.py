"""The ingest catalog (``OUT/catalog.sqlite``) and the lock that keeps one ingest per output.

The catalog is the record of what the archive holds; the Parquet dataset is kept equal to it.

- ``files``: one row per source ever seen (a URL, or a file's absolute path): the SHA-256 of
  the bytes it holds, the outcome of converting them (``outcome``: its ``sources`` row as
  JSON, kept until the bytes change), its ``state`` (``current``, ``gone``, ``retired``),
  the content ``key`` its rows are stored under, the last run that saw it, and for URLs the
  ``ETag`` / ``Last-Modified`` of the copy in ``OUT/downloads``. ``row_dirty`` says its
  ``sources`` row on disk may not match yet.
- ``contents``: one row per content key whose files may be on disk, with the
  ``source_file`` its ``documents`` rows carry. ``pending`` is the write-ahead note: it is
  set and committed before any file of the key is written, renamed or removed, and cleared
  (or the row deleted) after; a run that finds a pending key removes its files and converts
  its holders again, so a crash at any point leaves nothing doubled or half-written.
- ``versions``: history, one row per (source, bytes) it has held, from the run it was first
  seen to the run it was superseded, gone or retired.
- ``unsettled``: the content keys whose holders (a source's key, state or status) or credited
  ``source_file`` changed, noted in the same transaction as the change: what reconcile looks at,
  rather than every content (a catalog from before this table has every content noted once).
- ``runs``: one row per ingest with its tally.

SQLite runs in WAL mode with ``synchronous=FULL``.
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
CURRENT, GONE, RETIRED = "current", "gone", "retired"
EARLIER = "earlier"  # the kind of a source holding a name's earlier sheet, kept beside the new one (ingest.py)
STATES = (CURRENT, GONE, RETIRED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source        TEXT PRIMARY KEY,  -- the URL, or the file's absolute path
    kind          TEXT NOT NULL,     -- 'url' or 'path'; 'earlier': a name's earlier sheet, kept
    source_file   TEXT NOT NULL,     -- sources.source_file of its rows
    local_path    TEXT,              -- where its bytes are (downloads/… for URLs)
    sha256        TEXT,              -- of the bytes last processed
    status        TEXT,              -- ok / partial / failed / skipped: the last processing
    documents     INTEGER,
    rows          TEXT,              -- JSON {table: row count} it produced
    error         TEXT,
    key           TEXT,              -- the content key its rows are stored under (null: none)
    pending_keys  TEXT NOT NULL DEFAULT '[]',  -- unused since contents.pending (older catalogs)
    etag          TEXT,
    last_modified TEXT,
    first_seen    TEXT NOT NULL,
    processed_at  TEXT,              -- when its bytes were last converted
    checked_at    TEXT,              -- when an ingest last looked at it
    last_outcome  TEXT               -- what the last ingest did: processed / unchanged / fetch failed: …
);
CREATE TABLE IF NOT EXISTS contents (
    key           TEXT PRIMARY KEY,  -- the file stem of the rows of one content (sha16)
    sha256        TEXT,
    source_file   TEXT,              -- documents.source_file of its rows
    pending       INTEGER NOT NULL   -- 1: its files are being written or removed
);
CREATE TABLE IF NOT EXISTS versions (
    source        TEXT NOT NULL,
    sha256        TEXT,
    status        TEXT,
    documents     INTEGER,
    first_run     INTEGER NOT NULL,
    first_seen    TEXT NOT NULL,
    last_run      INTEGER,           -- the last run it was current in (null: still current)
    ended         TEXT,              -- superseded / gone / retired
    ended_at      TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    finished  TEXT,
    summary   TEXT
);
"""
# columns added to ``files`` after the first release (older catalogs get them on open)
_ADDED = {"state": "TEXT NOT NULL DEFAULT 'current'", "state_since": "TEXT", "state_reason": "TEXT",
          "outcome": "TEXT", "row_dirty": "INTEGER NOT NULL DEFAULT 0", "last_seen_run": "INTEGER",
          "failure": "TEXT"}
# created on every open (cheap once they exist), after ``_ADDED``: what a run looks up by something
# other than ``source``; without them every lookup scanned ``files`` (at 10,000 sources, reconciling
# one run asked 10,000 such questions: two minutes)
_INDEXES = """
CREATE INDEX IF NOT EXISTS files_by_key ON files (key);
CREATE INDEX IF NOT EXISTS files_by_sha256 ON files (sha256);
CREATE INDEX IF NOT EXISTS files_by_kind ON files (kind, state);
CREATE INDEX IF NOT EXISTS files_dirty ON files (source) WHERE row_dirty = 1;
CREATE INDEX IF NOT EXISTS contents_pending ON contents (key) WHERE pending = 1;
"""
_UNSETTLED = """
CREATE TABLE unsettled (
    key           TEXT PRIMARY KEY   -- a content whose holders or credit changed since reconcile last looked
)"""
_COLUMNS = ("source, kind, source_file, local_path, sha256, status, documents, rows, error, key, etag, last_modified,"
            " state, state_since, state_reason, outcome, row_dirty, last_seen_run, first_seen, checked_at,"
            " last_outcome, failure")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One source of the catalog (a ``files`` row)."""

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
    etag: str | None
    last_modified: str | None
    state: str
    state_since: str | None
    state_reason: str | None
    outcome: dict | None  # its sources row (JSON), None until its bytes were converted
    row_dirty: bool
    last_seen_run: int | None
    first_seen: str
    checked_at: str | None
    last_outcome: str | None
    # what kept its last good reading: its current bytes or download could not be read (JSON: error, stage,
    # run, at: the first run of the streak); None once a readable version is seen again
    failure: dict | None = None


@dataclass(frozen=True)
class Content:
    """One stored content (a ``contents`` row)."""

    key: str
    sha256: str | None
    source_file: str | None
    pending: bool


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
            self._columns = {r[1] for r in self.db.execute("PRAGMA table_info(files)")}
            return
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
            self._columns = {r[1] for r in self.db.execute("PRAGMA table_info(files)")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise damaged(path, exc) from exc
        for name, decl in _ADDED.items():
            if name not in self._columns:
                self.db.execute(f"ALTER TABLE files ADD COLUMN {name} {decl}")
                self._columns.add(name)
        self.db.executescript(_INDEXES)
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'unsettled'").fetchone() is None:
            self._upgrade()

    def _upgrade(self) -> None:
        """A new catalog, or one from before ``unsettled``: in one transaction, the rows of a first-release
        catalog (a key, no outcome; record() always sets both) become pending contents, and every
        content is noted unsettled, since nothing says which changed (both scan every source, once)."""
        with self.db:
            self.db.execute("BEGIN")
            legacy = self.db.execute("SELECT key FROM files WHERE key IS NOT NULL AND outcome IS NULL"
                                     " AND key NOT IN (SELECT key FROM contents)").fetchall()
            for (key,) in legacy:  # their sources are converted again
                self.db.execute("INSERT OR IGNORE INTO contents (key, pending) VALUES (?, 1)", (key,))
            self.db.execute(_UNSETTLED)
            self.db.execute("INSERT INTO unsettled (key) SELECT key FROM contents")

    def close(self) -> None:
        self.db.close()

    # -- sources -----------------------------------------------------------------------------
    def _entry(self, row: tuple) -> Entry:
        values = list(row)
        values[7] = json.loads(values[7] or "{}")
        values[15] = json.loads(values[15]) if values[15] else None
        values[16] = bool(values[16])
        values[21] = json.loads(values[21]) if values[21] else None
        return Entry(*values)

    def _select(self, where: str = "", args: tuple = ()) -> list[Entry]:
        if "state" not in self._columns:  # a read-only look at a catalog of the first release
            return []
        columns = _COLUMNS if "failure" in self._columns else _COLUMNS.replace(", failure", ", NULL")  # read-only, older
        rows = self.db.execute(f"SELECT {columns} FROM files {where}", args).fetchall()
        return [self._entry(r) for r in rows]

    def get(self, source: str) -> Entry | None:
        found = self._select("WHERE source = ?", (source,))
        return found[0] if found else None

    def all(self) -> list[Entry]:
        return self._select("ORDER BY source_file, source")

    def holders(self, key: str) -> list[Entry]:
        """The current sources whose rows are stored under content ``key``."""
        return self._select("WHERE key = ? AND state = 'current' ORDER BY source_file", (key,))

    def earlier_sheets(self) -> list[Entry]:
        """Every current ``earlier`` source, whatever name it was kept for (by the index on kind and state)."""
        return self._select("WHERE kind = ? AND state = 'current' ORDER BY source", (EARLIER,))

    def current_sources(self, under: list[str], urls: bool) -> list[tuple[str, str, str]]:
        """(source, kind, source_file) of the current path sources whose name starts with one of the
        folders ``under`` and a ``/`` (by the index on ``source``), and of every current URL if
        ``urls``: what a run compares with what it found, without decoding outcomes."""
        found = []
        for folder in dict.fromkeys(under):
            head = folder if folder.endswith("/") else folder + "/"
            found += self.db.execute("SELECT source, kind, source_file FROM files WHERE source >= ? AND source < ?"
                                     " AND +kind = 'path' AND +state = 'current'",  # (+: by the range of names, not the kind)
                                     (head, head[:-1] + "0")).fetchall()
        if urls:
            found += self.db.execute("SELECT source, kind, source_file FROM files WHERE kind = 'url'"
                                     " AND state = 'current'").fetchall()
        return list(dict.fromkeys(found))

    def with_sha(self, sha256: str) -> list[Entry]:
        """Every source (any state) whose last converted bytes have this SHA-256."""
        return self._select("WHERE sha256 = ? AND outcome IS NOT NULL ORDER BY source_file", (sha256,))

    def ensure(self, source: str, kind: str, source_file: str) -> None:
        """Add a row for a source first seen now (no-op if known)."""
        self.db.execute("INSERT OR IGNORE INTO files (source, kind, source_file, first_seen, state_since)"
                        " VALUES (?, ?, ?, ?, ?)", (source, kind, source_file, now(), now()))

    def record(self, source: str, *, run: int, sha256: str | None, key: str | None, outcome: dict,
               local_path: str | None, etag: str | None = None, last_modified: str | None = None,
               seen: bool = True) -> None:
        """The source now holds ``sha256``, converted to ``outcome`` and stored under ``key``.

        Its ``sources`` row is marked dirty (:meth:`row_written` clears it); the history in
        ``versions`` gets a new version when the bytes differ from the last ones. ``seen``: this run
        got its bytes (False for a URL never fetched: its last seen run stays as it was).
        """
        stamp = now()
        entry = self.get(source)
        assert entry is not None, source
        with self.db:
            self.db.execute("BEGIN")
            if entry.state != CURRENT or entry.sha256 != sha256 or entry.outcome is None:
                self._end_version(source, run, "superseded")
                self.db.execute("INSERT INTO versions (source, sha256, status, documents, first_run, first_seen)"
                                " VALUES (?, ?, ?, ?, ?, ?)", (source, sha256, outcome["status"],
                                                               outcome["documents"], run, stamp))
            else:
                self.db.execute("UPDATE versions SET status = ?, documents = ? WHERE source = ? AND last_run IS NULL",
                                (outcome["status"], outcome["documents"], source))
            since = stamp if entry.state != CURRENT else entry.state_since
            self._unsettle(entry.key, key)
            self.db.execute(
                "UPDATE files SET key = ?, sha256 = ?, status = ?, documents = ?, rows = ?, error = ?,"
                " outcome = ?, row_dirty = 1, state = 'current', state_since = ?, state_reason = NULL,"
                " local_path = ?, etag = ?, last_modified = ?, processed_at = ?, checked_at = ?, last_seen_run = ?,"
                " last_outcome = 'processed', failure = NULL WHERE source = ?",
                (key, sha256, outcome["status"], outcome["documents"], json.dumps(outcome.get("rows") or {}),
                 outcome["error"], json.dumps(outcome, sort_keys=True, ensure_ascii=False), since, local_path, etag,
                 last_modified, stamp, stamp, run if seen else entry.last_seen_run, source))

    def _unsettle(self, *keys: str | None) -> None:
        """Note that the holders or the credit of these contents changed (in the caller's transaction)."""
        for key in {k for k in keys if k is not None}:
            self.db.execute("INSERT OR IGNORE INTO unsettled (key) VALUES (?)", (key,))

    def _end_version(self, source: str, run: int, why: str) -> None:
        self.db.execute("UPDATE versions SET last_run = ?, ended = ?, ended_at = ?"
                        " WHERE source = ? AND last_run IS NULL", (run, why, now(), source))

    def set_state(self, source: str, state: str, reason: str, run: int) -> None:
        """Mark a source ``gone`` or ``retired`` (or back to ``gone`` from ``retired``); its row gets dirty."""
        assert state in STATES, state
        with self.db:
            self.db.execute("BEGIN")
            if state != CURRENT:
                self._end_version(source, run, state)
            self._unsettle(*(r[0] for r in self.db.execute("SELECT key FROM files WHERE source = ?", (source,))))
            self.db.execute("UPDATE files SET state = ?, state_since = ?, state_reason = ?, row_dirty = 1"
                            " WHERE source = ?", (state, now(), reason, source))

    def mark(self, source: str, outcome: str, run: int, *, etag: str | None = None,
             last_modified: str | None = None) -> None:
        """Record that this run saw a source and what it did with it (``unchanged``, ``fetch failed: …``)."""
        if etag is not None or last_modified is not None:
            self.db.execute("UPDATE files SET etag = ?, last_modified = ? WHERE source = ?",
                            (etag, last_modified, source))
        self.db.execute("UPDATE files SET checked_at = ?, last_outcome = ?, last_seen_run = ? WHERE source = ?",
                        (now(), outcome, run, source))

    def keep_failing(self, source: str, error: str, stage: str, run: int, *, seen: bool) -> bool:
        """A source whose current bytes (or download) could not be read keeps its last good reading: note the
        failure (its ``sources`` row says it, :func:`plansheet.batch.archive.sources_row`). The streak's first
        run is kept while the error stays the same, so a night failing as the last one did rewrites nothing;
        True when the note changed (its row is then dirty). ``seen``: this run got bytes (a file, a download),
        as opposed to a download that failed (the last run that saw it stays as it was)."""
        entry = self.get(source)
        assert entry is not None, source
        same = entry.failure is not None and entry.failure.get("error") == error and entry.failure.get("stage") == stage
        failure = entry.failure if same else {"error": error, "stage": stage, "run": run, "at": now()[:10]}
        with self.db:
            self.db.execute("BEGIN")
            # a URL's new bytes replaced its download: ask for the whole file next time, not "if changed"
            forget = seen and entry.kind == "url"
            self.db.execute("UPDATE files SET checked_at = ?, last_outcome = ?, last_seen_run = ?, failure = ?,"
                            " row_dirty = row_dirty OR ?, etag = CASE WHEN ? THEN NULL ELSE etag END,"
                            " last_modified = CASE WHEN ? THEN NULL ELSE last_modified END WHERE source = ?",
                            (now(), f"kept its last good reading: {error}", run if seen else entry.last_seen_run,
                             json.dumps(failure, sort_keys=True, ensure_ascii=False), not same, forget, forget,
                             source))
        return not same

    def failure_over(self, source: str) -> None:
        """A source that was failing is read again (its bytes are those of its last good reading): its
        ``sources`` row loses the failure note."""
        self.db.execute("UPDATE files SET failure = NULL, row_dirty = 1 WHERE source = ? AND failure IS NOT NULL",
                        (source,))

    def mark_many(self, marks: list[tuple[str, str, str | None, str | None]], run: int) -> None:
        """:meth:`mark` for many (source, outcome, etag, last_modified) in one transaction: one commit
        and one sync for a night's unchanged sources, where each was one (at 10,000 sources, 44 s of
        ``synchronous=FULL`` commits). They only say when a source was last seen: a run killed before
        this loses them, and the next run writes its own."""
        if not marks:
            return
        with self.db:
            self.db.execute("BEGIN")
            for source, outcome, etag, last_modified in marks:
                self.mark(source, outcome, run, etag=etag, last_modified=last_modified)

    def dirty(self) -> list[Entry]:
        """Sources whose ``sources`` row on disk may differ from the catalog."""
        return self._select("WHERE row_dirty = 1 AND outcome IS NOT NULL ORDER BY source")

    def row_written(self, source: str) -> None:
        self.db.execute("UPDATE files SET row_dirty = 0 WHERE source = ?", (source,))

    def versions(self, source: str | None = None) -> list[tuple]:
        """History rows (source, sha256, status, documents, first_run, first_seen, last_run, ended, ended_at)."""
        where, args = ("WHERE source = ?", (source,)) if source else ("", ())
        return self.db.execute("SELECT source, sha256, status, documents, first_run, first_seen, last_run, ended,"
                               f" ended_at FROM versions {where} ORDER BY source, first_run", args).fetchall()

    # -- contents ----------------------------------------------------------------------------
    def content(self, key: str) -> Content | None:
        row = self.db.execute("SELECT key, sha256, source_file, pending FROM contents WHERE key = ?", (key,)).fetchone()
        return Content(row[0], row[1], row[2], bool(row[3])) if row else None

    def contents(self) -> list[Content]:
        return [Content(r[0], r[1], r[2], bool(r[3]))
                for r in self.db.execute("SELECT key, sha256, source_file, pending FROM contents ORDER BY key")]

    def pending_contents(self) -> list[Content]:
        """The contents whose files a crash may have left half written or half removed."""
        return [Content(r[0], r[1], r[2], bool(r[3])) for r in self.db.execute(
            "SELECT key, sha256, source_file, pending FROM contents WHERE pending = 1 ORDER BY key")]

    def unsettled(self) -> list[str]:
        """The content keys noted as changed since reconcile last settled them."""
        return [r[0] for r in self.db.execute("SELECT key FROM unsettled ORDER BY key")]

    def unreconciled(self, stored: set[str], keys: list[str]) -> list[tuple[Content, str | None]]:
        """Of the contents ``keys``, those the dataset must change for, each with the ``source_file``
        of its first current holder whose status is in ``stored`` (in ``source_file`` order), or
        None when it has none: a content without such a holder, or whose documents are credited to
        another name. In key order (each content's holders found by the index on ``files.key``)."""
        found = []
        for start in range(0, len(keys), 500):  # within SQLite's limit of bound values
            part = keys[start:start + 500]
            found += self.db.execute(
                "SELECT key, sha256, source_file, pending, first FROM (SELECT c.key, c.sha256, c.source_file,"
                " c.pending, (SELECT f.source_file FROM files f WHERE f.key = c.key AND f.state = 'current'"
                f" AND f.status IN ({', '.join('?' * len(stored))}) ORDER BY f.source_file LIMIT 1) AS first"
                f" FROM contents c WHERE c.key IN ({', '.join('?' * len(part))}))"
                " WHERE first IS NULL OR first IS NOT source_file", (*sorted(stored), *part)).fetchall()
        return [(Content(r[0], r[1], r[2], bool(r[3])), r[4]) for r in sorted(found)]

    def settle(self, keys: list[str]) -> None:
        """Reconcile has made the dataset agree with the catalog for these contents."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM unsettled WHERE key = ?", [(k,) for k in keys])

    def begin_content(self, key: str, sha256: str | None) -> None:
        """Write-ahead: the files of ``key`` are about to be written, renamed or removed."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT INTO contents (key, sha256, pending) VALUES (?, ?, 1)"
                            " ON CONFLICT(key) DO UPDATE SET pending = 1", (key, sha256))
            self._unsettle(key)

    def content_stored(self, key: str, source_file: str) -> None:
        """The files of ``key`` are on disk, their documents credited to ``source_file``."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE contents SET pending = 0, source_file = ? WHERE key = ?", (source_file, key))
            self._unsettle(key)

    def drop_content(self, key: str) -> None:
        """The files of ``key`` are removed."""
        self.db.execute("DELETE FROM contents WHERE key = ?", (key,))

    # -- runs --------------------------------------------------------------------------------
    def start_run(self) -> int:
        cursor = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now(),))
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, int]) -> None:
        self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                        (now(), json.dumps(summary, sort_keys=True), run_id))

    def run_started(self, run_id: int | None) -> str | None:
        row = self.db.execute("SELECT started FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else None
        return row[0] if row else None


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
