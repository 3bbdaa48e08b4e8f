"""Old readings left in an output: the rows of bytes a name held before, which ``plansheet rebuild`` drops.

Before ``extract`` withdrew a name's old reading (review 1, D6), converting a changed file again kept
both readings in every table, each ``documents`` row naming the same ``source_file``. A reading is
current while some source holds its bytes: the ``sources`` table (one row per name, the bytes it holds)
and, where an ingest kept one, the catalog (``catalog.sqlite``: ``files``) say which. A content that
neither holds, whose ``source_file`` now holds other bytes, is that name's old reading: its rows are
dropped. Where the records cannot tell (no ``sources`` row for its name, one that holds no bytes, or the
catalog and the ``sources`` table disagree), the rows are kept and a warning says why.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from plansheet.batch.catalog import CATALOG_NAME

log = logging.getLogger(__name__)


@dataclass
class OldReadings:
    """What :func:`find_old_readings` found: the contents (sha16) to drop, the rows they hold per table,
    and a warning per content whose status the records cannot tell."""

    dropped: dict[str, str] = field(default_factory=dict)  # content → the name that now holds other bytes
    rows: dict[str, int] = field(default_factory=dict)  # table → rows of the dropped contents
    warnings: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        """Rows dropped over every table."""
        return sum(self.rows.values())


def find_old_readings(out: Path) -> OldReadings:
    """The old readings stored in ``out`` (see the module docstring), with their row counts."""
    from plansheet.output.rows import DOCUMENT_TABLES

    found = OldReadings()
    documents = _columns(out, "documents", ["doc_id", "source_file"])
    held_by = _held(_columns(out, "sources", ["source_file", "source_sha256"]))
    catalog = _catalog_holdings(out / CATALOG_NAME, found.warnings)
    names = {doc[:16]: name for doc, name in zip(documents["doc_id"], documents["source_file"])}
    for content, name in sorted(names.items()):
        holders = sorted(n for n, c in held_by.items() if c == content)
        cataloged = sorted(n for n, c in (catalog or set()) if c == content)
        now = held_by.get(name)
        if holders and (catalog is None or cataloged):
            continue  # a current reading
        if holders or cataloged:
            found.warnings.append(f"{name}: reading {content} is held by "
                                  + (f"{holders[0]} by the sources table, by no file by the catalog" if holders else
                                     f"{cataloged[0]} by the catalog, by no name by the sources table") + "; kept")
        elif now is None:
            why = "has no sources row" if name not in held_by else "holds no bytes by its sources row"
            found.warnings.append(f"{name}: reading {content} is held by no source and the name {why}: whether it "
                                  "is an old reading cannot be told; kept")
        elif catalog is not None and (name, now) not in catalog:
            found.warnings.append(f"{name}: reading {content} is held by no source, but the sources table's {now} for "
                                  "the name is not the catalog's: which is current cannot be told; kept")
        else:
            found.dropped[content] = name  # its name now holds other bytes: the name's old reading
    if found.dropped:
        for table in DOCUMENT_TABLES:
            ids = _columns(out, table, ["doc_id"])["doc_id"]
            found.rows[table] = sum(1 for doc in ids if doc[:16] in found.dropped)
    return found


def _held(sources: dict[str, list]) -> dict[str, str | None]:
    """name → the sha16 its ``sources`` row holds (None: no bytes). A row of any state counts, as keeping
    more is the safe side."""
    return {name: sha[:16] if sha else None for name, sha in zip(sources["source_file"], sources["source_sha256"])}


def _catalog_holdings(path: Path, warnings: list[str]) -> set[tuple[str, str]] | None:
    """(source_file, sha16) of each current file of the catalog (``files``), or None without a catalog (one that
    cannot be read is named: rebuild sets a damaged one aside)."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(files)")}
            current = " WHERE state = 'current'" if "state" in columns else ""  # a first release's catalog: no states
            rows = db.execute("SELECT source_file, sha256 FROM files" + current).fetchall()
    except sqlite3.Error as exc:
        log.debug("catalog unreadable", exc_info=True)
        warnings.append(f"{path.name} could not be read ({exc}); old readings judged by the sources table alone")
        return None
    return {(name, sha[:16]) for name, sha in rows if sha}


def _columns(out: Path, table: str, columns: list[str]) -> dict[str, list]:
    """``columns`` of a whole table as Python lists (empty when the table has no files yet)."""
    from plansheet.output.writers import read_table

    data = read_table(out, table).select(columns)
    return {c: data.column(c).to_pylist() for c in columns}
