"""The CSVs (``OUT/csv/<table>.csv``), updated in place of the sources a run touched.

A CSV is a header and then one *chunk* per source key (per (municipality, department) for
``goal_lineage``): the key's rows, sorted. Chunks follow each other in a fixed order (the
key; ``documents`` and ``sources`` by file name first). An index beside the dataset
(``OUT/state/csv-index/<table>.arrow``, Arrow IPC: chunk, order, byte offset, length, and the CSV's
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
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
import pyarrow as pa
import pyarrow.compute as pc

from plansheet.output.staging import STATE

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
    """The chunks of a CSV in file order (columns chunk, order, offset, length) and the header they follow."""

    header: bytes
    table: pa.Table

    @property
    def chunks(self) -> list[str]:
        return self.table.column("chunk").to_pylist()

    def chunks_starting(self, prefixes: set[str], width: int) -> set[str]:
        """The chunk ids (ASCII) whose first ``width`` characters are one of ``prefixes``."""
        from plansheet.output.dataset import key_prefix

        heads = key_prefix(self.table.column("chunk"), width)
        hit = pc.is_in(heads, value_set=pa.array(sorted(prefixes), pa.string()))
        return set(self.table.column("chunk").filter(hit).to_pylist())


def _index_path(out: Path, name: str) -> Path:
    return out / STATE / INDEX / f"{name}.arrow"  # Arrow IPC: read and written whole, no encoding to pay


def _open_index(path: Path) -> pa.ipc.RecordBatchFileReader:
    return pa.ipc.open_file(pa.memory_map(str(path)))


def _stamp(path: Path) -> dict[bytes, bytes]:
    st = path.stat()
    return {b"size": str(st.st_size).encode(), b"mtime_ns": str(st.st_mtime_ns).encode()}


def _fitting_index(out: Path, name: str) -> pa.ipc.RecordBatchFileReader | None:
    """The index of ``OUT/csv/<name>.csv`` opened, if it describes the CSV as it is (size and mtime)."""
    target, index = out / "csv" / f"{name}.csv", _index_path(out, name)
    if not target.exists() or not index.exists():
        return None
    try:
        reader = _open_index(index)
    except (pa.ArrowInvalid, OSError):  # a damaged index: the CSV is written whole
        return None
    meta = reader.schema.metadata or {}
    return reader if all(meta.get(k) == v for k, v in _stamp(target).items()) else None


def index_fits(out: Path, name: str) -> bool:
    """Whether ``OUT/csv/<name>.csv`` has an index that describes it (reads the index's footer only)."""
    return _fitting_index(out, name) is not None


def read_index(out: Path, name: str) -> Index | None:
    """The chunks of ``OUT/csv/<name>.csv`` as its index says, or None if the index does not fit the file."""
    reader = _fitting_index(out, name)
    if reader is None:
        return None
    table = reader.read_all()
    return Index((table.schema.metadata or {}).get(b"header", b""), table.select(_INDEX_SCHEMA.names))


_INSERTED_AT_MOST = 4  # new chunks put into a kept index by search (each a pass over it); more: sorted again


def _layout(old: Index | None, gone: set[str], new: list[tuple[str, str, bytes]], start: int) -> pa.Table:
    """The new file's chunks in order: the old ones kept (``source``: their old offset) and the
    ``new`` ones (``source`` null, ``new``: their place in ``new``), sorted by (order, chunk),
    each with its ``offset`` in the new file (the header is ``start`` bytes).

    ``new`` is sorted by (order, chunk). A few new chunks are put into the old index (already in
    that order) where a search places them, the old rows kept as slices; more are sorted in."""
    schema = pa.schema([("chunk", pa.string()), ("order", pa.string()), ("source", pa.int64()),
                        ("length", pa.int64()), ("new", pa.int64())])
    fresh = pa.table({"chunk": [c for _, c, _ in new], "order": [o for o, _, _ in new],
                      "source": pa.nulls(len(new), pa.int64()), "length": [len(d) for _, _, d in new],
                      "new": list(range(len(new)))}, schema=schema)
    if old is None or not old.table.num_rows:
        layout = fresh
    else:
        table = old.table
        kept = pa.table({"chunk": table.column("chunk"), "order": table.column("order"),
                         "source": table.column("offset"), "length": table.column("length"),
                         "new": pa.nulls(table.num_rows, pa.int64())}, schema=schema)
        dropped = pc.is_in(table.column("chunk"), value_set=pa.array(sorted(gone), pa.string()))
        removed = pc.indices_nonzero(dropped).to_pylist()
        if len(new) <= _INSERTED_AT_MOST and len(removed) <= _INSERTED_AT_MOST * 16:  # each removed row a slice
            layout = _inserted(kept, removed, fresh)
        else:
            layout = pa.concat_tables([kept.filter(pc.invert(dropped)), fresh]).combine_chunks().sort_by(
                [("order", "ascending"), ("chunk", "ascending")])
    lengths = layout.column("length")
    ends = pc.cumulative_sum(lengths) if layout.num_rows else lengths
    return layout.append_column("offset", pc.add(pc.subtract(ends, lengths), start))


def _inserted(kept: pa.Table, dropped: list[int], fresh: pa.Table) -> pa.Table:
    """``kept`` (sorted by (order, chunk)) without its rows ``dropped`` (sorted indexes) and with
    the rows of ``fresh`` (sorted too) where they belong: slices, no sort and no copy."""
    order, chunk = kept.column("order"), kept.column("chunk")
    places = []  # the number of kept rows before each fresh row: a binary search of the sorted index
    for o, c in zip(fresh.column("order").to_pylist(), fresh.column("chunk").to_pylist()):
        low, high = 0, kept.num_rows  # (Python's str order is UTF-8's byte order, as Arrow's)
        while low < high:
            middle = (low + high) // 2
            if (order[middle].as_py(), chunk[middle].as_py()) < (o, c):
                low = middle + 1
            else:
                high = middle
        places.append(low)
    pieces, at, gaps = [], 0, iter(dropped)
    gap = next(gaps, None)

    def upto(end: int) -> None:  # the kept rows [at, end) but the dropped ones
        nonlocal at, gap
        while gap is not None and gap < end:
            pieces.append(kept.slice(at, gap - at))
            at, gap = gap + 1, next(gaps, None)
        pieces.append(kept.slice(at, end - at))
        at = max(at, end)

    for i, place in enumerate(places):
        upto(place)
        pieces.append(fresh.slice(i, 1))
    upto(kept.num_rows)
    return pa.concat_tables([p for p in pieces if p.num_rows] or [kept.slice(0, 0)])


def _segments(layout: pa.Table) -> list[tuple[int, int]]:
    """[start, end) row ranges of ``layout`` to write at once: one new chunk, or a run of old
    chunks that were contiguous in the old file (copied as one byte range)."""
    n = layout.num_rows
    if n == 0:
        return []
    source, length = layout.column("source"), layout.column("length")
    follows = pc.fill_null(pc.equal(source.slice(1), pc.add(source.slice(0, n - 1), length.slice(0, n - 1))), False)
    starts = [0] + [i + 1 for i in pc.indices_nonzero(pc.invert(follows)).to_pylist()]
    return list(zip(starts, starts[1:] + [n]))


def write_csv(out: Path, name: str, header: list[str], changed: dict[str, tuple[str, bytes]],
              removed: set[str] = frozenset(), full: bool = False) -> bool:  # type: ignore[assignment]
    """Write ``OUT/csv/<name>.csv`` with ``changed`` chunks put in and ``removed`` ones left out.

    With ``full`` the CSV is exactly the ``changed`` chunks. Returns False (and writes
    nothing) when the CSV cannot be updated in place: the caller then writes it full.
    The unchanged stretches of the old file are copied by the kernel (``copy_file_range``),
    so a run that changes a few chunks does not pass the whole CSV through Python.
    """
    target = out / "csv" / f"{name}.csv"
    head = BOM + format_rows([header])
    old = None if full else read_index(out, name)
    if old is not None and old.header != head:
        old = None
    if old is None and not full:
        return False
    new = sorted((order, chunk, data) for chunk, (order, data) in changed.items())
    layout = _layout(old, set(changed) | set(removed), new, len(head))

    def write(tmp: Path) -> None:
        with open(tmp, "wb", buffering=0) as dst, open(target, "rb", buffering=0) if old is not None \
                else io.BytesIO() as src:
            pending = [head]  # new chunks are gathered and written at once before the next copy
            source, length, fresh = (layout.column(c) for c in ("source", "length", "new"))
            for start, end in _segments(layout):
                first = source[start].as_py()
                if first is None:
                    pending.append(new[fresh[start].as_py()][2])
                    continue
                _write_all(dst, b"".join(pending))
                pending = []
                last = end - 1
                _copy_range(src, dst, first, source[last].as_py() + length[last].as_py() - first)
            _write_all(dst, b"".join(pending))

    def write_file_and_index() -> None:
        atomic_write_bytes(target, write)
        index = layout.select(["chunk", "order", "offset", "length"]).cast(_INDEX_SCHEMA).combine_chunks()
        index = index.replace_schema_metadata({**_stamp(target), b"header": head})
        atomic_write_bytes(_index_path(out, name), lambda tmp: _write_index(tmp, index))
        (out / STATE / INDEX / f"{name}.parquet").unlink(missing_ok=True)  # the index of older versions

    beside = _BESIDE.get()
    if beside is None:
        write_file_and_index()
    else:
        beside[1].append(beside[0].submit(write_file_and_index))
    return True


_BESIDE: ContextVar[tuple[ThreadPoolExecutor, list[Future]] | None] = ContextVar("csv_writes_beside", default=None)


@contextmanager
def writes_beside(on: bool = True) -> Iterator[None]:
    """While open, the CSVs this thread writes (:func:`write_csv`) are written by one thread beside
    it, in turn (the old bytes copied in the kernel, the file renamed into place, its index
    written), while this thread goes on with its next step. On closing, every write has ended;
    each failure is logged and the first raised (after this thread's own, if it failed). Ctrl-C
    cancels the writes not begun (``finish.json`` has the next run do them)."""
    from plansheet.output.steps import results

    if not on:
        yield
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="plansheet-csv")
    writes: list[Future] = []
    token = _BESIDE.set((pool, writes))
    log = logging.getLogger(__name__).error
    try:
        yield
    except Exception:  # a step failed: the steps that ran get their CSVs written, as they would in turn
        pool.shutdown(wait=True)
        for write in writes:
            if write.exception() is not None:
                log(f"a CSV write failed as well: {type(write.exception()).__name__}: {write.exception()}")
        raise
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _BESIDE.reset(token)
    pool.shutdown(wait=True)
    results(writes, log)


def _write_index(path: Path, index: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, index.schema) as writer:
        writer.write_table(index)


def _write_all(dst: object, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[dst.write(view):]  # type: ignore[attr-defined]


def _copy_range(src: object, dst: object, offset: int, length: int) -> None:
    """Copy ``length`` bytes at ``offset`` of ``src`` to the end of ``dst`` (in the kernel when it can)."""
    src_fd, dst_fd = src.fileno(), dst.fileno()  # type: ignore[attr-defined]
    in_kernel = getattr(os, "copy_file_range", None)  # Linux; elsewhere through a buffer
    while length > 0:
        try:
            if in_kernel is None:
                raise OSError("no copy_file_range")
            done = in_kernel(src_fd, dst_fd, length, offset)
        except OSError:  # a file system or kernel without it: through a buffer
            block = os.pread(src_fd, min(length, 1 << 20), offset)
            done = len(block)
            _write_all(dst, block)
        if done == 0:
            raise OSError("the CSV is shorter than its index says")
        offset += done
        length -= done


def drop_index(out: Path, name: str) -> None:
    """Forget a CSV's index (its next update writes it whole)."""
    _index_path(out, name).unlink(missing_ok=True)
    (out / STATE / INDEX / f"{name}.parquet").unlink(missing_ok=True)  # the index of older versions


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


def update_table_csv(out: Path, name: str, touched: dict[str, list[str]], full: bool = False) -> None:
    """Bring table ``name``'s CSV up to date with the dataset: the chunks of the ``touched`` keys
    (key → the part files its rows are in now, :attr:`plansheet.output.dataset.Touched.files` of that table), or whole."""
    from plansheet.output.dataset import part_files, read_parts
    from plansheet.output.writers import table_columns

    keys = set(touched)
    header = table_columns(name)
    if not full and (keys or index_fits(out, name)):
        if not keys:
            return
        files = sorted({f for k in keys for f in touched[k]})
        table = read_parts(out, name, files, keys)
        changed = chunks_of(_sorted(name, table), _chunk_of(name))
        if write_csv(out, name, header, changed, removed=keys - set(changed)):
            return
    table = _sorted(name, read_parts(out, name, part_files(out, name), None))
    write_csv(out, name, header, chunks_of(table, _chunk_of(name)), full=True)

