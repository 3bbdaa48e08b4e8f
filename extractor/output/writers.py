"""Write one source's rows into the Hive-partitioned Parquet dataset, and rebuild the CSVs.

Layout (SCHEMA.md): ``OUT/parquet/<table>/fiscal_year=<yyyy>/<sha16>.parquet`` and
``OUT/parquet/sources/<sha16>.parquet``; ``OUT/csv/<table>.csv`` (UTF-8 with BOM). Every
file is written under a temporary dot-name in its final folder and renamed with
``os.replace``, so a reader (or a crash) never sees half a file; dot-names are ignored by
pyarrow datasets. Files a source wrote earlier under another partition are removed, so
re-running a source replaces exactly its own rows.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from plansheet.output.rows import DOCUMENT_TABLES, KEYS, PARTITION, SCHEMAS, TABLES, document_rows, stored_schema
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


def _write_parquet(table: pa.Table, target: Path) -> None:
    atomic_write_bytes(target, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_source(out: Path, key: str, rows: dict[str, list[dict]], source: dict) -> dict[str, int]:
    """Write every table's rows of one source (replacing its earlier files); return row counts."""
    counts: dict[str, int] = {}
    for name in DOCUMENT_TABLES:
        table_rows = rows.get(name, [])
        counts[name] = len(table_rows)
        folder = out / "parquet" / name
        by_year: dict[int, list[dict]] = {}
        for row in table_rows:
            by_year.setdefault(row[PARTITION], []).append(row)
        written = set()
        for year, year_rows in by_year.items():
            target = folder / f"{PARTITION}={year}" / f"{key}.parquet"
            schema = stored_schema(name)
            _write_parquet(pa.Table.from_pylist(year_rows, schema=schema), target)
            written.add(target)
        for stale in folder.glob(f"{PARTITION}=*/{key}.parquet"):
            if stale not in written:
                stale.unlink()
    _write_parquet(pa.Table.from_pylist([source], schema=SCHEMAS["sources"]),
                   out / "parquet" / "sources" / f"{key}.parquet")
    return counts


def write_outcome(out: Path, outcome: FileOutcome) -> None:
    """Write one file's rows and sources row into the dataset (replacing earlier ones)."""
    key = file_key(outcome.result.sha256, outcome.result.source_file)
    rows = document_rows(outcome.documents, outcome.facts) if outcome.facts else {}
    write_source(out, key, rows, outcome.result.to_row())


def read_table(out: Path, name: str) -> pa.Table:
    """One table of the dataset, with ``fiscal_year`` from the partition; empty if none yet."""
    folder = out / "parquet" / name
    schema = SCHEMAS[name]
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return schema.empty_table()
    partitioning = None if name == "sources" else ds.partitioning(
        pa.schema([(PARTITION, pa.int32())]), flavor="hive")
    dataset = ds.dataset(folder, format="parquet", partitioning=partitioning)
    table = dataset.to_table()
    fields = [schema.field(c) for c in schema.names if c in table.column_names]
    if PARTITION not in schema.names and PARTITION in table.column_names:
        fields.append(pa.field(PARTITION, pa.int32()))
    return table.select([f.name for f in fields]).cast(pa.schema(fields))


def rebuild_csv(out: Path) -> None:
    """Rewrite ``OUT/csv/<table>.csv`` for every table from the Parquet dataset."""
    for name in TABLES:
        table = read_table(out, name)
        order = (["source_file"] if name == "documents" else []) + KEYS[name]  # documents: file by file
        keys = [(k, "ascending") for k in order if k in table.column_names]
        if table.num_rows and keys:
            table = table.sort_by(keys)
        target = out / "csv" / f"{name}.csv"

        frame = table.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)

        def write(tmp: Path, frame: pd.DataFrame = frame) -> None:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")

        atomic_write_bytes(target, write)


def ensure_layout(out: Path) -> None:
    """Create the dataset folders so readers find every table even before any row exists."""
    for name in TABLES:
        (out / "parquet" / name).mkdir(parents=True, exist_ok=True)
