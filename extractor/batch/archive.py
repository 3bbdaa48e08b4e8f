"""Keep the dataset equal to the catalog, and the operator's view of it: list and retire sources.

The catalog (:mod:`plansheet.batch.catalog`) says which sources are ``current``, ``gone`` or
``retired`` and which content each holds; :func:`reconcile` makes the Parquet dataset say
the same, idempotently, so a crash at any point only repeats it on the next run.
:func:`retire` is ``plansheet retire``; :func:`list_sources` is ``plansheet sources``.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from plansheet.batch.catalog import CATALOG_NAME, GONE, RETIRED, Catalog, Entry, OutputLock
from plansheet.batch.finish import finish_output, merge_staged
from plansheet.batch.withdraw import kept_note
from plansheet.errors import PlansheetError
from plansheet.output.writers import (
    ensure_layout, stage_documents, stage_removal, stage_source_row, stored_documents)
from plansheet.results import Status
from plansheet.settings import OutputFormat, Settings

STORED = {Status.OK.value, Status.PARTIAL.value}  # outcomes with rows in the document tables


def sources_row(entry: Entry) -> dict:
    """The ``sources`` row of a catalog entry: the outcome of its bytes, and its state."""
    assert entry.outcome is not None
    row = {k: v for k, v in entry.outcome.items() if k != "rows"}
    for column in ("extracted_at", "source_modified"):
        row[column] = datetime.fromisoformat(row[column]) if row.get(column) else None
    row["state"] = entry.state
    if entry.failure is not None:  # its rows are those of its last good version: say why, and since when
        row["error"] = kept_note(entry.failure["error"], entry.failure)
        row["error_stage"] = entry.failure["stage"]
    return row


def write_row(out: Path, catalog: Catalog, entry: Entry) -> None:
    """Stage the ``sources`` row of ``entry`` and note it written."""
    stage_source_row(out, sources_row(entry))
    catalog.row_written(entry.source)


def drop_content(out: Path, catalog: Catalog, key: str, sha: str | None) -> None:
    """Remove every row of content ``key`` (write-ahead noted)."""
    catalog.begin_content(key, sha)
    stage_removal(out, key)
    catalog.drop_content(key)


def recover(out: Path, catalog: Catalog) -> int:
    """Remove the files of every pending content key (a crash interrupted them); their sources convert again."""
    pending = catalog.pending_contents()
    for content in pending:
        stage_removal(out, content.key)
        catalog.drop_content(content.key)
    return len(pending)


def rename_documents(out: Path, key: str, source_file: str) -> None:
    """Stage the rows of content ``key`` again with ``documents.source_file`` set to ``source_file``."""
    merge_staged(out)  # the rows as they stand, including what this run staged
    tables = stored_documents(out, key)
    rows = {name: table.to_pylist() for name, table in tables.items()}
    for row in rows["documents"]:
        row["source_file"] = source_file
    stage_documents(out, key, rows)


def reconcile(out: Path, catalog: Catalog) -> None:
    """Make the dataset say what the catalog says (every step is idempotent, so a crash only repeats it).

    Contents no current source holds lose their rows; each content's documents are credited
    to its first current holder in sort order; ``sources`` rows marked dirty are rewritten.
    Only the contents the catalog noted as changed are looked at (``Catalog.unsettled``).
    """
    keys = catalog.unsettled()  # the contents whose holders changed since the last reconcile, not every one
    for content, first in catalog.unreconciled(STORED, keys):
        if first is None:
            drop_content(out, catalog, content.key, content.sha256)
        else:
            catalog.begin_content(content.key, content.sha256)
            rename_documents(out, content.key, first)
            catalog.content_stored(content.key, first)
    catalog.settle(keys)  # after the changes they asked for: a run killed before settles them again
    for entry in catalog.dirty():
        write_row(out, catalog, entry)


def open_catalog(out: Path, readonly: bool = False) -> Catalog:
    """The catalog of an ingest output; a :class:`PlansheetError` naming what was expected if none."""
    path = out / CATALOG_NAME
    if not path.is_file():
        raise PlansheetError(f"{out}: no {CATALOG_NAME} here; give the --out folder of `plansheet ingest`")
    return Catalog(path, readonly=readonly)


def find_source(catalog: Catalog, name: str) -> Entry:
    """The source called ``name``: its URL, its ``source_file``, or a path to the file."""
    entries = catalog.all()
    for match in (lambda e: e.source == name, lambda e: e.source_file == name,
                  lambda e: e.kind == "path" and e.source == str(Path(name).resolve())):
        found = [e for e in entries if match(e)]
        if len(found) == 1:
            return found[0]
    raise PlansheetError(f"{name}: no such source in {catalog.path.parent}; `plansheet sources "
                         f"{catalog.path.parent}` lists them")


def list_sources(out: Path) -> list[Entry]:
    """Every source the catalog of ``out`` knows, in ``source_file`` order."""
    catalog = open_catalog(out, readonly=True)
    try:
        return catalog.all()
    finally:
        catalog.close()


def retire(out: Path, name: str, *, undo: bool = False) -> Entry:
    """Retire a source (its rows leave the tables, its ``sources`` row says ``retired``), or undo that.

    A retired source stays retired when an ingest sees it again; after ``undo`` it is ``gone``
    until an ingest finds it and converts it again. Takes the output's lock.
    """
    out = Path(out)
    catalog = open_catalog(out)
    try:
        with OutputLock(out):
            entry = find_source(catalog, name)
            run = catalog.start_run()
            recover(out, catalog)
            if undo:
                if entry.state != RETIRED:
                    raise PlansheetError(f"{entry.source_file} is {entry.state}, not retired")
                catalog.set_state(entry.source, GONE, f"retirement undone on run {run}; converted when next seen", run)
            elif entry.state != RETIRED:
                catalog.set_state(entry.source, RETIRED, f"retired by the operator on run {run}", run)
            ensure_layout(out)
            reconcile(out, catalog)
            csv = OutputFormat.BOTH if (out / "csv").is_dir() else OutputFormat.PARQUET
            finish_output(out, Settings(output_format=csv))
            catalog.finish_run(run, {"undone" if undo else RETIRED: 1})
            found = catalog.get(entry.source)
            assert found is not None
            return found
    finally:
        catalog.close()
