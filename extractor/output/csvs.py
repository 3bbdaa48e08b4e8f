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


@dataclass(frozen=True)
class _Piece:
    order: str
    chunk: str
    offset: int = -1  # in the old file (-1: new bytes)
    length: int = 0
    data: bytes = b""


def _index_path(out: Path, name: str) -> Path:
    return out / STATE / INDEX / f"{name}.parquet"


def _stamp(path: Path) -> dict[bytes, bytes]:
    st = path.stat()
    return {b"size": str(st.st_size).encode(), b"mtime_ns": str(st.st_mtime_ns).encode()}


def read_index(out: Path, name: str) -> tuple[bytes, list[_Piece]] | None:
    """(header, chunks) of ``OUT/csv/<name>.csv`` as its index says, or None if the index does not fit the file."""
    target, index = out / "csv" / f"{name}.csv", _index_path(out, name)
    if not target.exists() or not index.exists():
        return None
    table = pq.read_table(index)
    meta = table.schema.metadata or {}
    stamp = _stamp(target)
    if any(meta.get(k) != v for k, v in stamp.items()):
        return None
    return meta.get(b"header", b""), [_Piece(o, c, off, n) for c, o, off, n in zip(
        *(table.column(x).to_pylist() for x in ("chunk", "order", "offset", "length")))]


def write_csv(out: Path, name: str, header: list[str], changed: dict[str, tuple[str, bytes]],
              removed: set[str] = frozenset(), full: bool = False) -> bool:  # type: ignore[assignment]
    """Write ``OUT/csv/<name>.csv`` with ``changed`` chunks put in and ``removed`` ones left out.

    With ``full`` the CSV is exactly the ``changed`` chunks. Returns False (and writes
    nothing) when the CSV cannot be updated in place: the caller then writes it full.
    """
    target = out / "csv" / f"{name}.csv"
    head = BOM + format_rows([header])
    indexed = None if full else read_index(out, name)
    old = indexed[1] if indexed is not None and indexed[0] == head else None
    if old is None and not full:
        return False
    gone = set(changed) | set(removed)
    pieces = [p for p in (old or []) if p.chunk not in gone]
    pieces += [_Piece(order, chunk, data=data) for chunk, (order, data) in changed.items()]
    pieces.sort(key=lambda p: (p.order, p.chunk))
    index_rows: list[tuple[str, str, int, int]] = []

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as dst, open(target, "rb") if old is not None else io.BytesIO() as src:
            dst.write(head)
            position, run_start, run_end = len(head), -1, -1

            def flush() -> None:
                if run_start >= 0:
                    _copy_range(src, dst, run_start, run_end - run_start)

            for piece in pieces:
                length = piece.length if piece.offset >= 0 else len(piece.data)
                index_rows.append((piece.chunk, piece.order, position, length))
                position += length
                if piece.offset >= 0 and piece.offset == run_end:
                    run_end += piece.length
                    continue
                flush()
                run_start, run_end = (piece.offset, piece.offset + piece.length) if piece.offset >= 0 else (-1, -1)
                if piece.offset < 0:
                    dst.write(piece.data)
            flush()

    atomic_write_bytes(target, write)
    index = pa.Table.from_pylist([dict(zip(_INDEX_SCHEMA.names, r)) for r in index_rows], schema=_INDEX_SCHEMA)
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
    from plansheet.output.writers import file_key

    if name == "sources":
        def of_source(row: dict) -> tuple[str, str]:
            key = file_key(row["source_sha256"], row["source_file"])
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
        if not full and read_index(out, name) is not None:
            if not keys:
                continue
            files = sorted({f for k in keys for f in touched.files[name][k]})
            table = read_parts(out, name, files, keys)
            changed = chunks_of(_sorted(name, table), _chunk_of(name))
            if write_csv(out, name, header, changed, removed=keys - set(changed)):
                continue
        table = _sorted(name, read_table(out, name))
        write_csv(out, name, header, chunks_of(table, _chunk_of(name)), full=True)
