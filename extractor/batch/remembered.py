"""Settings an output folder remembers, so that every run into it agrees: the municipality.

Most sheets never print their city. When one run gets ``--municipality 柏原市`` and the
next does not, the next one's documents would have none, and a department would look like
two. :func:`remembered_municipality` stores a given ``--municipality`` in the output's
catalog (``OUT/catalog.sqlite``, table ``remembered``) and hands it to later runs that give
none. A run that gives another name replaces it, with a warning. An output that never got
``--municipality`` gets no catalog from this.

Every ``extract`` asks this before its first file (a pool's workers get the answer), so it
imports neither the catalog's module nor ``sqlite3`` unless the catalog exists or a name is to
be stored: for an output without one that was 6–7 ms of CPU in the serial start of every run.
"""
from __future__ import annotations

import logging
from pathlib import Path

from plansheet.settings import Settings

log = logging.getLogger(__name__)
_TABLE = "CREATE TABLE IF NOT EXISTS remembered (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
CATALOG_NAME = "catalog.sqlite"  # plansheet.batch.catalog.CATALOG_NAME (tested equal), without importing that module


def _read(path: Path, name: str) -> str | None:
    if not path.is_file():
        return None
    import sqlite3

    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM remembered WHERE name = ?", (name,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:  # no such table yet, or a damaged catalog (`plansheet rebuild` deals with it)
        return None
    return row[0] if row else None


def _write(path: Path, name: str, value: str) -> None:
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30)
    try:
        with db:
            db.execute(_TABLE)
            db.execute("INSERT INTO remembered (name, value) VALUES (?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))
    finally:
        db.close()


def remembered_municipality(out: Path, settings: Settings) -> Settings:
    """``settings`` with the output's municipality: the given one (then remembered), else the remembered one."""
    path = out / CATALOG_NAME
    stored = _read(path, "municipality")
    given = settings.municipality
    if given is None:
        if stored is not None:
            log.info("%s: municipality %s, as remembered from an earlier run", out, stored)
            return settings.with_overrides(municipality=stored)
        return settings
    if stored != given:
        if stored is not None:
            log.warning("%s: --municipality %s replaces %s, which earlier runs used; documents already "
                        "written keep theirs", out, given, stored)
        import sqlite3

        try:
            _write(path, "municipality", given)
        except sqlite3.Error as exc:
            log.warning("%s: cannot remember --municipality (%s)", out, exc)
    return settings
