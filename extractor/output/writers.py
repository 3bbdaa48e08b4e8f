"""Write one source's rows, atomically: the building blocks of the dataset on disk.

A converted file is *staged* at once (:mod:`plansheet.output.staging`), and merged into the
compacted dataset (:mod:`plansheet.output.dataset`) when the run finishes; the CSVs follow
(:mod:`plansheet.output.csvs`). Every file is written under a temporary dot-name in its final
folder and renamed with ``os.replace``, so a reader (or a crash) never sees half a file;
dot-names are ignored by pyarrow datasets.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.dataset as ds

from plansheet.output.rows import DOCUMENT_TABLES, PARTITION, SCHEMAS, TABLES, document_rows

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome



def file_key(sha256: str | None, source_file: str) -> str:
    """The file stem a source's rows are stored under: its sha16, or a hash of its path."""
    if sha256:
        return sha256[:16]
    return "path-" + hashlib.sha256(source_file.encode()).hexdigest()[:16]


def atomic_write_bytes(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temp path beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_outcome(out: Path, outcome: FileOutcome) -> None:
    """Stage one file's rows and sources row (they replace the key's earlier rows when merged)."""
    from plansheet.output import staging

    key = file_key(outcome.result.sha256, outcome.result.source_file)
    rows = document_rows(outcome.documents, outcome.facts) if outcome.facts else {}
    tables = {name: pa.Table.from_pylist(rows.get(name, []), schema=read_schema(name)) for name in DOCUMENT_TABLES}
    tables["sources"] = pa.Table.from_pylist([outcome.result.to_row()], schema=SCHEMAS["sources"])
    staging.stage(out, key, staging.REPLACE, tables)


def table_columns(name: str) -> list[str]:
    """A table's columns as readers see them (``fiscal_year`` from the partition, last if not in the schema)."""
    names = list(SCHEMAS[name].names)
    return names if name == "sources" or PARTITION in names else names + [PARTITION]


def read_schema(name: str) -> pa.Schema:
    """The schema of a table as readers see it (:func:`table_columns`)."""
    schema = SCHEMAS[name]
    return pa.schema([schema.field(c) if c in schema.names else pa.field(PARTITION, pa.int32())
                      for c in table_columns(name)])


def read_table(out: Path, name: str) -> pa.Table:
    """One table of the dataset, with ``fiscal_year`` from the partition; empty if none yet."""
    folder = out / "parquet" / name
    schema = read_schema(name)
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return schema.empty_table()
    partitioning = None if name == "sources" else ds.partitioning(
        pa.schema([(PARTITION, pa.int32())]), flavor="hive")
    # the schema is given, so a file written before a column was added reads it as null
    return ds.dataset(folder, schema=schema, format="parquet", partitioning=partitioning).to_table()


def ensure_layout(out: Path) -> None:
    """Create the dataset folders so readers find every table even before any row exists."""
    for name in TABLES:
        (out / "parquet" / name).mkdir(parents=True, exist_ok=True)
