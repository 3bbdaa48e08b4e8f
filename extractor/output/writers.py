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
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

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


def parquet_bytes(table: pa.Table, metadata: dict[bytes, bytes] | None = None, **options: object) -> pa.Buffer:
    """``table`` encoded as a Parquet file in memory (``options`` go to ``pyarrow.parquet.ParquetWriter``;
    ``metadata`` is added to the footer's key-value metadata).

    Written to a file by one ``write`` (:func:`write_buffer`): a ``ParquetWriter`` given a path
    writes each page to the file by itself, which cost a third more CPU for the small part
    files a merge writes (about 1.6 against 1.0 ms a file), for the same bytes."""
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, table.schema, **options) as writer:
        writer.write_table(table)
        if metadata:
            writer.add_key_value_metadata(metadata)
    return sink.getvalue()


def write_buffer(path: Path, data: pa.Buffer | bytes) -> None:
    """Write ``data`` to a new file ``path`` (a temp path of :func:`atomic_write_bytes`) at once."""
    view = memoryview(data)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@lru_cache(maxsize=1 << 16)  # a run hashes the names of the sources part files it reads several times
def source_key(source_file: str) -> str:
    """The key of one source's ``sources`` row: a hash of its name (one row per name).

    Content keys (:func:`file_key`) never start with ``src-``, so the two never collide.
    """
    return "src-" + hashlib.sha256(source_file.encode()).hexdigest()[:16]


def stage_documents(out: Path, key: str, rows: dict[str, list[dict]]) -> None:
    """Stage the document rows of one content (they replace the key's earlier rows when merged)."""
    from plansheet.output import staging

    tables = {name: pa.Table.from_pylist(rows.get(name, []), schema=read_schema(name)) for name in DOCUMENT_TABLES}
    staging.stage(out, key, staging.REPLACE, tables)


def stage_removal(out: Path, key: str) -> None:
    """Stage the removal of every row of content ``key``."""
    from plansheet.output import staging

    staging.stage(out, key, staging.REMOVE)


def stage_source_row(out: Path, row: dict) -> None:
    """Stage one source's ``sources`` row (it replaces the row of the same name when merged)."""
    from plansheet.output import staging

    table = pa.Table.from_pylist([row], schema=SCHEMAS["sources"])
    staging.stage(out, source_key(row["source_file"]), staging.SOURCES, {"sources": table})


def stored_documents(out: Path, key: str) -> dict[str, pa.Table]:
    """The merged rows of content ``key`` in every document table (as :func:`read_table` lays them out)."""
    from plansheet.output.dataset import part_files, read_parts

    return {name: read_parts(out, name, part_files(out, name), {key}) for name in DOCUMENT_TABLES}


def write_outcome(out: Path, outcome: FileOutcome, documents_name: str | None = None,
                  withdrawn: str | None = None) -> None:
    """Stage one file's rows (once per content) and its own ``sources`` row.

    ``documents_name`` is the ``source_file`` the document rows carry when several names hold
    the same bytes (default: this file's name). ``withdrawn`` is the content key of the bytes
    this name held before, which no other name holds (:mod:`plansheet.batch.withdraw`): its
    removal is staged first, so that the merge that takes the new rows takes it too.
    """
    if withdrawn is not None:
        stage_removal(out, withdrawn)
    key = file_key(outcome.result.sha256, outcome.result.source_file)
    facts = outcome.facts
    if facts is not None and documents_name is not None:
        facts = replace(facts, source_file=documents_name)
    stage_documents(out, key, document_rows(outcome.documents, facts) if facts else {})
    stage_source_row(out, outcome.result.to_row())


def table_columns(name: str) -> list[str]:
    """A table's columns as readers see them (``fiscal_year`` from the partition, last if not in the schema)."""
    names = list(SCHEMAS[name].names)
    return names if name == "sources" or PARTITION in names else names + [PARTITION]


def read_schema(name: str) -> pa.Schema:
    """The schema of a table as readers see it (:func:`table_columns`)."""
    schema = SCHEMAS[name]
    return pa.schema([schema.field(c) if c in schema.names else pa.field(PARTITION, pa.int32())
                      for c in table_columns(name)])


def large_strings(schema: pa.Schema) -> pa.Schema:
    """``schema`` with every ``string`` field as ``large_string`` (what pandas' Arrow strings hold)."""
    return pa.schema([f.with_type(pa.large_string()) if f.type == pa.string() else f for f in schema],
                     metadata=schema.metadata)


def read_file(path: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file laid out as ``schema`` (only ``columns``, in that order): a column the file
    lacks (written before it was added) reads as null. A ``large_string`` field of ``schema`` is
    read as such from the file (not cast afterwards).

    Reads with ``pyarrow.parquet.ParquetFile``, which (unlike ``pyarrow.dataset`` and
    ``pq.read_table``) does not import pandas: the ingest path never needs it.
    """
    from plansheet.output import written

    names = columns if columns is not None else schema.names
    kept = written.recall(path)  # a part file this process has just written
    if kept is not None:
        return laid_out(kept, schema, names)
    large = any(f.type == pa.large_string() for f in schema)
    file = pq.ParquetFile(path, binary_type=pa.large_binary() if large else None)
    have = set(file.schema_arrow.names)
    return laid_out(file.read(columns=[c for c in names if c in have]), schema, names)


def laid_out(table: pa.Table, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """``table`` as ``schema`` (only ``columns``, in that order): a column it lacks is null."""
    names = columns if columns is not None else schema.names
    have = set(table.column_names)
    fields = [schema.field(c) for c in names]
    arrays = [pa.nulls(table.num_rows, f.type) if f.name not in have
              else column if (column := table.column(f.name)).type == f.type else column.cast(f.type) for f in fields]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=schema.metadata))


def read_table(out: Path, name: str) -> pa.Table:
    """One table of the dataset, with ``fiscal_year`` from the partition; empty if none yet."""
    return read_folder(out / "parquet" / name, name)


def read_folder(folder: Path, name: str) -> pa.Table:
    """The table ``name`` stored in ``folder`` (laid out as ``OUT/parquet/<name>``); empty if none."""
    schema = read_schema(name)
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return schema.empty_table()
    import pyarrow.dataset as ds  # imports pandas: only for whole-table reads (rebuild, load)

    partitioning = None if name == "sources" else ds.partitioning(
        pa.schema([(PARTITION, pa.int32())]), flavor="hive")
    # the schema is given, so a file written before a column was added reads it as null
    return ds.dataset(folder, schema=schema, format="parquet", partitioning=partitioning).to_table()


def ensure_layout(out: Path) -> None:
    """Create the dataset folders so readers find every table even before any row exists."""
    for name in TABLES:
        (out / "parquet" / name).mkdir(parents=True, exist_ok=True)
