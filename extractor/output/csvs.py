"""The CSVs (``OUT/csv/<table>.csv``), updated in place of the sources a run touched.

A CSV is a header and then one *chunk* per source key (per (municipality, department) for
``goal_lineage``): the key's rows, sorted. Chunks follow each other in a fixed order (the
key; ``documents`` and ``sources`` by file name first). An index beside the dataset
(``OUT/state/csv-index/<table>.parquet``: chunk, order, byte offset, length, and the CSV's
size and mtime it describes) lets a run rewrite only its own chunks: the new file is the
old file's bytes copied range by range with the changed chunks put in. When the index does
not match the CSV (a run killed between the two, or a CSV from an older version), the CSV
is written whole. Either way the bytes are the same: chunks are formatted one way only.

Format: UTF-8 with a BOM, ``\\n`` line ends, fields quoted only when needed, null as empty,
floats in Python's shortest repr, timestamps as ``2024-05-01 02:15:00+00:00``, text that
starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) behind a ``'`` (see :func:`cell`).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from plansheet.output.staging import STATE

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.output.dataset import Touched
from plansheet.output.writers import atomic_write_bytes

BOM = "\ufeff".encode()
INDEX = "csv-index"
_INDEX_SCHEMA = pa.schema([("chunk", pa.string()), ("order", pa.string()), ("offset", pa.int64()),
                           ("length", pa.int64())])


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)


def cell(value: object) -> str:
    """One value as CSV text (before quoting).

    Text that a spreadsheet would take for a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM``,
    a leading tab or CR) gets a leading ``'``, as OWASP recommends against CSV injection: the
    sheet shows it as text. Only the CSVs are escaped; the Parquet dataset keeps the text.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else repr(value)
    if isinstance(value, datetime):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def format_rows(rows: Iterable[list[object]]) -> bytes:
    """CSV bytes of rows (quoted only when needed, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def chunks_of(table: pa.Table, chunk_of: Callable[[dict], tuple[str, str]]) -> dict[str, tuple[str, bytes]]:
    """chunk id → (order, CSV bytes) of a table already sorted in row order.

    ``chunk_of(row)`` gives a row's (chunk id, order string); rows keep their order inside a chunk.
    """
    grouped: dict[str, tuple[str, list[list[object]]]] = {}
    names = table.column_names
    columns = [table.column(n).to_pylist() for n in names]
    for values in zip(*columns):
        chunk, order = chunk_of(dict(zip(names, values)))
        grouped.setdefault(chunk, (order, []))[1].append(list(values))
    return {chunk: (order, format_rows(rows)) for chunk, (order, rows) in grouped.items()}


@dataclass
class Index:
    """The chunks of a CSV in file order (parallel lists) and the header they follow."""

    header: bytes
    chunks: list[str]
    orders: list[str]
    offsets: list[int]
    lengths: list[int]


def _index_path(out: Path, name: str) -> Path:
    return out / STATE / INDEX / f"{name}.parquet"


def _stamp(path: Path) -> dict[bytes, bytes]:
    st = path.stat()
    return {b"size": str(st.st_size).encode(), b"mtime_ns": str(st.st_mtime_ns).encode()}


def index_fits(out: Path, name: str) -> bool:
    """Whether ``OUT/csv/<name>.csv`` has an index that describes it (reads the index's footer only)."""
    target, index = out / "csv" / f"{name}.csv", _index_path(out, name)
    if not target.exists() or not index.exists():
        return False
    meta = pq.read_schema(index).metadata or {}
    return all(meta.get(k) == v for k, v in _stamp(target).items())


def read_index(out: Path, name: str) -> Index | None:
    """The chunks of ``OUT/csv/<name>.csv`` as its index says, or None if the index does not fit the file."""
    if not index_fits(out, name):
        return None
    table = pq.read_table(_index_path(out, name))
    return Index((table.schema.metadata or {}).get(b"header", b""),
                 *(table.column(x).to_pylist() for x in ("chunk", "order", "offset", "length")))


def write_csv(out: Path, name: str, header: list[str], changed: dict[str, tuple[str, bytes]],
              removed: set[str] = frozenset(), full: bool = False) -> bool:  # type: ignore[assignment]
    """Write ``OUT/csv/<name>.csv`` with ``changed`` chunks put in and ``removed`` ones left out.

    With ``full`` the CSV is exactly the ``changed`` chunks. Returns False (and writes
    nothing) when the CSV cannot be updated in place: the caller then writes it full.
    """
    target = out / "csv" / f"{name}.csv"
    head = BOM + format_rows([header])
    old = None if full else read_index(out, name)
    if old is not None and old.header != head:
        old = None
    if old is None and not full:
        return False
    gone = set(changed) | set(removed)
    kept = [i for i, c in enumerate(old.chunks) if c not in gone] if old is not None else []
    new = sorted((order, chunk, data) for chunk, (order, data) in changed.items())
    chunks: list[str] = []
    orders: list[str] = []
    offsets: list[int] = []
    lengths: list[int] = []

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as dst, open(target, "rb") if old is not None else io.BytesIO() as src:
            dst.write(head)
            position, run_start, run_end, j = len(head), -1, -1, 0

            def flush() -> None:
                if run_start >= 0:
                    _copy_range(src, dst, run_start, run_end - run_start)

            def put(chunk: str, order: str, length: int) -> None:
                nonlocal position
                chunks.append(chunk)
                orders.append(order)
                offsets.append(position)
                lengths.append(length)
                position += length

            for i in kept:  # old chunks in file order, the new ones merged in by (order, chunk)
                assert old is not None
                while j < len(new) and new[j][:2] < (old.orders[i], old.chunks[i]):
                    flush()
                    run_start = run_end = -1
                    put(new[j][1], new[j][0], len(new[j][2]))
                    dst.write(new[j][2])
                    j += 1
                put(old.chunks[i], old.orders[i], old.lengths[i])
                if old.offsets[i] != run_end:
                    flush()
                    run_start, run_end = old.offsets[i], old.offsets[i]
                run_end += old.lengths[i]
            flush()
            for order, chunk, data in new[j:]:
                put(chunk, order, len(data))
                dst.write(data)

    atomic_write_bytes(target, write)
    index = pa.table({"chunk": chunks, "order": orders, "offset": offsets, "length": lengths}, schema=_INDEX_SCHEMA)
    index = index.replace_schema_metadata({**_stamp(target), b"header": head})
    atomic_write_bytes(_index_path(out, name), lambda tmp: pq.write_table(index, tmp))
    return True


def _copy_range(src: object, dst: object, offset: int, length: int) -> None:
    src.seek(offset)  # type: ignore[attr-defined]
    while length > 0:
        block = src.read(min(length, 1 << 20))  # type: ignore[attr-defined]
        if not block:
            raise OSError("the CSV is shorter than its index says")
        dst.write(block)  # type: ignore[attr-defined]
        length -= len(block)


def drop_index(out: Path, name: str) -> None:
    """Forget a CSV's index (its next update writes it whole)."""
    _index_path(out, name).unlink(missing_ok=True)


def _chunk_of(name: str) -> Callable[[dict], tuple[str, str]]:
    """A table's chunk id (the source key) and chunk order of a row."""
    from plansheet.output.writers import source_key

    if name == "sources":
        def of_source(row: dict) -> tuple[str, str]:
            key = source_key(row["source_file"])
            return key, f"{row['source_file']}\0{key}"
        return of_source
    if name == "documents":
        return lambda row: (row["doc_id"][:16], f"{row['source_file']}\0{row['doc_id'][:16]}")
    if name in ("goals", "targets", "initiatives"):  # for Excel: by department and year, then numbers
        return lambda row: (row["doc_id"][:16],
                            f"{row['department'] or ''}\0{row['fiscal_year'] or 0:04d}\0{row['doc_id'][:16]}")
    return lambda row: (row["doc_id"][:16], row["doc_id"][:16])


def _sorted(name: str, table: pa.Table) -> pa.Table:
    from plansheet.output.dataset import sort_order

    return table.sort_by([(c, "ascending") for c in sort_order(name)]) if table.num_rows else table


def update_table_csvs(out: Path, touched: "Touched", full: bool = False) -> None:
    """Bring every table's CSV up to date with the dataset: the touched keys' chunks, or whole."""
    from plansheet.output.dataset import read_parts
    from plansheet.output.rows import TABLES
    from plansheet.output.writers import read_table, table_columns

    for name in TABLES:
        keys = touched.keys(name)
        header = table_columns(name)
        if not full and index_fits(out, name):
            if not keys:
                continue
            files = sorted({f for k in keys for f in touched.files[name][k]})
            table = read_parts(out, name, files, keys)
            changed = chunks_of(_sorted(name, table), _chunk_of(name))
            if write_csv(out, name, header, changed, removed=keys - set(changed)):
                continue
        table = _sorted(name, read_table(out, name))
        write_csv(out, name, header, chunks_of(table, _chunk_of(name)), full=True)
