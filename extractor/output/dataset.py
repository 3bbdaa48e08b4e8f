"""The compacted Parquet dataset: one file per partition, rewritten one rename at a time.

Layout (SCHEMA.md leaves the file names to the writer)::

    OUT/parquet/<table>/fiscal_year=<yyyy>/part-0.parquet       one file per partition (BUCKETS is 1)
    OUT/parquet/sources/part-<b>.parquet                         b = bucket_of(key) in 0 … SOURCE_BUCKETS-1

Every row belongs to one *key* (:func:`plansheet.output.writers.file_key`: the sha16
of the file's bytes, the prefix of its ``doc_id``; a ``sources`` row's key is
:func:`~plansheet.output.writers.source_key` of its name), and all rows of a key in a partition sit
in the one file ``part-<bucket_of(key)>``. Each file's Parquet metadata lists its keys.
So replacing a source's rows in a partition is one file rewritten under a temp name and
renamed over the old one: a reader sees the old rows or the new ones, never both, never
twice. A source whose rows span several partitions, or whose old and new rows sit in
different files, is first removed everywhere and then added (never old and new together).

:func:`apply_staged` merges the staged entries (:mod:`plansheet.output.staging`) under the
output's lock and returns what it touched, so that the CSVs and the lineage are updated for
those sources only; :func:`compact_all` rewrites every table from scratch (``plansheet
rebuild``, and once to convert an output of an older layout: one file per source, or eight
bucket files per partition).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from plansheet.output import staging, written
from plansheet.output.steps import side_by_side
from plansheet.output.rows import KEYS, PARTITION, TABLES, stored_schema
from plansheet.output.writers import atomic_write_bytes, source_key

# One file per table and partition: a reader pays per file and per column chunk (tens of µs a
# chunk in pyarrow 26), which at eight bucket files a partition made most of a 10,000-document
# load(); a merge rewrites the partitions it touches whole (docs/batch.md, bench/README.md).
BUCKETS = 1
# ``sources`` has no partition and a row for every source that ever was: eight files, so that a
# merge rewrites an eighth of it (its keys, src-…, are hashes of the names, computed row by row)
SOURCE_BUCKETS = 8
COMPACTING = "compacting"  # OUT/state/compacting/<table>/: the files a full rewrite reads (see compact_all)
KEYS_META = b"plansheet.keys"
# a ``sources`` file also lists the contents its rows hold (the sha16 of each ``source_sha256``):
# the follow step finds the rows of a content's names without reading every file (:func:`holding`)
CONTENTS_META = b"plansheet.contents"
PART = re.compile(r"part-(\d+)\.parquet")
PENDING = "finish.json"  # OUT/state/finish.json: what the last merge touched, until the CSVs and lineage follow


def bucket_count(name: str) -> int:
    """How many bucket files a partition of table ``name`` has."""
    return SOURCE_BUCKETS if name == "sources" else BUCKETS


def bucket_of(key: str) -> int:
    """The bucket file a key's rows live in, in every partition: a ``sources`` row's key
    (:func:`~plansheet.output.writers.source_key`, ``src-…``) in one of :data:`SOURCE_BUCKETS`,
    a content key in one of :data:`BUCKETS`."""
    count = SOURCE_BUCKETS if key.startswith("src-") else BUCKETS
    if count == 1:
        return 0
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % count


def part_name(bucket: int) -> str:
    return f"part-{bucket}.parquet"


def key_prefix(column: pa.ChunkedArray | pa.Array, width: int = 16) -> pa.ChunkedArray | pa.Array:
    """The first ``width`` characters of each string of an ASCII column (a ``doc_id``'s sha16):
    its bytes sliced, which skips the UTF-8 decoding ``utf8_slice_codeunits`` does (a third of the cost)."""
    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([key_prefix(chunk, width) for chunk in column.chunks], pa.string())
    return pc.binary_slice(column.view(pa.binary()), 0, width).view(pa.string())


def key_column(name: str, table: pa.Table) -> pa.ChunkedArray | pa.Array:
    """The key of every row, in Arrow: ``doc_id``'s sha16 (the content), or the ``sources`` row's
    :func:`source_key` (one row per name)."""
    if name == "sources":
        return pa.array([source_key(f) for f in table.column("source_file").to_pylist()], pa.string())
    return key_prefix(table.column("doc_id"))


def row_keys(name: str, table: pa.Table) -> list[str]:
    """The key of every row (:func:`key_column`), as Python strings."""
    return key_column(name, table).to_pylist()


def has_key(name: str, table: pa.Table, keys: set[str]) -> pa.ChunkedArray | pa.Array:
    """For each row of ``table``, whether its key is one of ``keys``."""
    return pc.is_in(key_column(name, table), value_set=pa.array(sorted(keys), pa.string()))


def _keys_of(name: str, table: pa.Table) -> list[str]:
    """The distinct keys of ``table``'s rows, sorted."""
    return sorted(pc.unique(key_column(name, table)).to_pylist())


def sort_order(name: str) -> list[str]:
    """The columns rows are sorted by inside a file (and inside a CSV chunk)."""
    return KEYS[name] + (["source_sha256"] if name == "sources" else [])


def file_keys(path: Path) -> set[str]:
    """The keys whose rows a part file holds (from its metadata); empty if it does not exist."""
    try:
        meta = pq.read_metadata(path).metadata or {}
    except FileNotFoundError:
        return set()
    return set(json.loads(meta.get(KEYS_META, b"[]")))


def _raw_footer(path: Path) -> bytes:
    """A Parquet file's footer as stored (Thrift, uncompressed), not parsed; b"" if it is not one."""
    with open(path, "rb", buffering=0) as file:
        size = file.seek(0, os.SEEK_END)
        tail = os.pread(file.fileno(), 8, max(size - 8, 0))
        length = int.from_bytes(tail[:4], "little")
        if len(tail) < 8 or tail[4:] != b"PAR1" or length > size - 12:
            return b""
        return os.pread(file.fileno(), length, size - 8 - length)


def keys_in(path: Path, keys: set[str]) -> set[str]:
    """Which of ``keys`` a part file holds: its key list searched, not parsed (a partition's file
    lists a key per source; parsing it cost more than reading the footer).

    The footer's raw bytes hold the key list as written, so a key not found in them is not in the
    file; only a file where some key is found (or that does not look like Parquet) has its footer
    parsed, to search the key list alone. Most files a merge looks at hold none of its keys."""
    if not keys:
        return set()
    try:
        raw = _raw_footer(path)
    except FileNotFoundError:
        return set()
    quoted = {k: b'"' + k.encode() + b'"' for k in keys}
    if raw and not any(q in raw for q in quoted.values()):
        return set()
    try:
        listed = (pq.read_metadata(path).metadata or {}).get(KEYS_META, b"")
    except FileNotFoundError:
        return set()
    return {k for k, q in quoted.items() if q in listed}


def holding(path: Path, contents: set[str]) -> bool:
    """Whether a ``sources`` file may hold a row of one of ``contents`` (sha16s): its footer's list
    of contents searched, not parsed. A file whose footer lists none (written before the list
    was) may hold any."""
    try:
        raw = _raw_footer(path)
    except FileNotFoundError:
        return False
    if not raw or CONTENTS_META not in raw:
        return True
    return any(b'"' + c.encode() + b'"' in raw for c in contents)


def _lists_contents(path: Path) -> bool:
    """Whether a ``sources`` file's footer lists its contents (:func:`holding`); True if it is gone."""
    try:
        raw = _raw_footer(path)
    except FileNotFoundError:
        return True
    return bool(raw) and CONTENTS_META in raw


def write_part(path: Path, name: str, table: pa.Table, keys: set[str] | None = None) -> None:
    """Write a part file sorted, with its keys in the metadata (``keys`` when the caller knows
    them: the keys of ``sources`` rows are hashes of their names, worked out row by row), and in
    a ``sources`` file the contents its rows hold; remove it when no row is left."""
    if table.num_rows == 0:
        path.unlink(missing_ok=True)
        return
    table = table.sort_by([(c, "ascending") for c in sort_order(name)])
    keys = sorted(keys) if keys is not None else _keys_of(name, table)
    schema = stored_schema(name)
    metadata = {**(schema.metadata or {}), KEYS_META: json.dumps(keys).encode()}
    if name == "sources":
        contents = pc.unique(key_prefix(table.column("source_sha256").drop_null())).to_pylist()
        metadata[CONTENTS_META] = json.dumps(sorted(contents)).encode()
    table = table.cast(schema.remove_metadata())

    def write(tmp: Path) -> None:
        # no ARROW:schema copy of the schema (it repeated the key list, base64'd: half of every
        # footer, parsed by every reader); the Parquet types read back as the same Arrow types.
        # No dictionary pages: a reader pays for a column's dictionary page in every file (a
        # 10,000-document load() read 30 % fewer instructions without them; the same size)
        with pq.ParquetWriter(tmp, table.schema, compression="zstd", store_schema=False,
                              use_dictionary=False) as writer:
            writer.write_table(table)
            writer.add_key_value_metadata(metadata)

    atomic_write_bytes(path, write)
    written.remember(path, table)  # the follow step reads it back


def _partition_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"{PARTITION}=*") if p.is_dir())


def _read_part(path: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    from plansheet.output.writers import read_file

    schema = stored_schema(name)
    if not path.exists():
        return schema.empty_table() if columns is None else pa.schema([schema.field(c) for c in columns]).empty_table()
    return read_file(path, schema, columns)


def _rewrite(path: Path, name: str, remove: set[str], add: dict[str, pa.Table]) -> pa.Table:
    """Drop ``remove``'s rows from one part file and append ``add``'s (key → rows); return the rows dropped.

    The new file's keys follow from the ones the old file's metadata lists (the rows kept are not
    looked at again: in ``sources`` that would hash every name). In ``sources`` the rows of a key
    are found by name when the key is one of ``add``'s (a source's new row has the name its key hashes)."""
    old = _read_part(path, name)
    if remove and old.num_rows:
        gone = _named(old, remove, add) if name == "sources" else None
        gone = has_key(name, old, remove) if gone is None else gone
        dropped, kept = old.filter(gone), old.filter(pc.invert(gone))
    else:
        dropped, kept = old.schema.empty_table(), old
    keys = None
    listed = file_keys(path) if old.num_rows else set()
    if listed or not old.num_rows:  # (a file without its key list: its rows' keys are worked out)
        keys = (listed - remove) | {k for k, t in add.items() if t.num_rows}
    rows = pa.concat_tables([kept, *(t.select(kept.schema.names).cast(kept.schema) for t in add.values())])
    write_part(path, name, rows, keys)
    return dropped


def _named(table: pa.Table, keys: set[str], rows_of: dict[str, pa.Table]) -> pa.Array | None:
    """Which ``sources`` rows belong to ``keys``, found by the names of their new rows in
    ``rows_of``; None when a key has no new row there (its name is not known)."""
    names: set[str] = set()
    for key in keys:
        rows = rows_of.get(key)
        if rows is None or rows.num_rows == 0:
            return None
        names.update(rows.column("source_file").to_pylist())
    return pc.fill_null(pc.is_in(table.column("source_file"), value_set=pa.array(sorted(names), pa.string())), False)


@dataclass
class Touched:
    """What a merge changed: per table the keys and the files their rows are in now."""

    files: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # table → key → part files (relative)
    removed_pairs: set[tuple[str, str]] = field(default_factory=set)  # (municipality or "", department)

    def keys(self, name: str | None = None) -> set[str]:
        if name is not None:
            return set(self.files.get(name, {}))
        return {k for table in self.files.values() for k in table}

    def merge(self, other: "Touched") -> "Touched":
        for name, keys in other.files.items():
            mine = self.files.setdefault(name, {})
            for key, files in keys.items():
                mine[key] = sorted(set(mine.get(key, [])) | set(files))
        self.removed_pairs |= other.removed_pairs
        return self

    def to_json(self) -> str:
        return json.dumps({"files": self.files, "removed_pairs": sorted(self.removed_pairs)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Touched":
        data = json.loads(text)
        return cls(data["files"], {tuple(p) for p in data["removed_pairs"]})  # type: ignore[misc]


def _pairs(documents: pa.Table) -> set[tuple[str, str]]:
    return {(m or "", d or "") for m, d in zip(documents.column("municipality").to_pylist(),
                                               documents.column("department").to_pylist())}


def _apply_table(out: Path, name: str, ops: dict[str, pa.Table | None], touched: Touched) -> None:
    """Replace the rows of every key in ``ops`` (None: remove them) in one table."""
    folder = out / "parquet" / name
    partitioned = name != "sources"
    buckets = {bucket_of(k) for k in ops}
    adds: dict[Path, dict[str, pa.Table]] = defaultdict(dict)
    for key, rows in ops.items():
        if rows is None or rows.num_rows == 0:
            continue
        part = part_name(bucket_of(key))
        if not partitioned:
            adds[folder / part][key] = rows
            continue
        for year in pc.unique(rows.column(PARTITION)).to_pylist():
            adds[folder / f"{PARTITION}={year}" / part][key] = rows.filter(pc.equal(rows.column(PARTITION), year))
    removes: dict[Path, set[str]] = defaultdict(set)
    for directory in (_partition_dirs(folder) if partitioned else [folder]):
        for b in buckets:
            path = directory / part_name(b)
            for key in keys_in(path, {k for k in ops if bucket_of(k) == b}):
                removes[path].add(key)
    where: dict[str, set[Path]] = defaultdict(set)
    for path, keys in removes.items():
        for key in keys:
            where[key].add(path)
    for path, rows_of in adds.items():
        for key in rows_of:
            where[key].add(path)
    # a key removed for good (the old version of a changed file), or whose rows move between
    # files, is removed everywhere first, before anything is added: the new version of a changed
    # file is another key, and may land in a file the old one is still in
    unsafe = {k for k, paths in where.items() if len(paths) > 1 or ops[k] is None}
    first = sorted(p for p, keys in removes.items() if keys & unsafe)  # removed everywhere before added
    dropped: list[pa.Table] = []
    for path in first:
        dropped.append(_rewrite(path, name, removes[path] & unsafe, {}))
    for path in sorted(set(removes) | set(adds)):
        add = adds.get(path, {})
        remove = removes.get(path, set()) - unsafe
        if add or remove:
            dropped.append(_rewrite(path, name, remove, add))
    files = touched.files.setdefault(name, {})
    for key in ops:
        files[key] = sorted({p.relative_to(out).as_posix() for p in where[key] if p in adds and key in adds[p]})
    if name == "documents":
        for table in dropped:
            touched.removed_pairs |= _pairs(table)


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``OUT/state/lock`` (blocking): one merge or rebuild of a dataset at a time."""
    path = out / staging.STATE / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def is_legacy(out: Path) -> bool:
    """True when the dataset must be rewritten whole: a table still holds files of an older layout
    (one file per source, or more bucket files than :func:`bucket_count`), a ``sources`` file does
    not list its contents (written by an older plansheet), or a rewrite was killed."""
    if any(_compacting(out).glob("*")):
        return True
    for name in TABLES:
        for _, _, files in os.walk(out / "parquet" / name):  # (os.walk: a third of rglob's cost)
            for file in files:
                if not file.endswith(".parquet") or file.startswith((".", "_")):
                    continue
                match = PART.fullmatch(file)
                if not match or int(match.group(1)) >= bucket_count(name):
                    return True
    return not all(_lists_contents(path) for path in (out / "parquet" / "sources").glob("part-*.parquet"))


def pending(out: Path) -> Touched:
    """What an earlier merge touched and its CSVs and lineage have not followed yet."""
    path = out / staging.STATE / PENDING
    return Touched.from_json(path.read_text(encoding="utf-8")) if path.exists() else Touched()


def save_pending(out: Path, touched: Touched) -> None:
    atomic_write_bytes(out / staging.STATE / PENDING, lambda tmp: tmp.write_text(touched.to_json(), encoding="utf-8"))


def clear_pending(out: Path) -> None:
    (out / staging.STATE / PENDING).unlink(missing_ok=True)


def _stored_pairs(out: Path, keys: set[str]) -> set[tuple[str, str]]:
    """The (municipality, department) pairs of the stored documents of ``keys``."""
    folder = out / "parquet" / "documents"
    files = sorted({p.relative_to(out).as_posix() for b in {bucket_of(k) for k in keys}
                    for p in folder.glob(f"{PARTITION}=*/{part_name(b)}") if keys_in(p, keys)})
    return _pairs(read_parts(out, "documents", files, keys, ["doc_id", "municipality", "department"])) if files else set()


def apply_staged(out: Path, threads: int = 1) -> Touched:
    """Merge every staged entry into the dataset; return what was touched (plus any earlier
    merge's pending work). Call while holding :func:`output_lock`. ``threads`` tables are merged
    at once (:mod:`plansheet.output.steps`; the finish decides)."""
    staging.remove_temps(out)
    batch = staging.entries(out)
    touched = pending(out)
    if not batch:
        return touched
    ops: dict[str, dict[str, pa.Table | None]] = {name: {} for name in TABLES}
    for entry in batch:  # oldest first: for each table and key the latest entry wins
        tables = entry.tables() if entry.kind != staging.REMOVE else {}
        names = ("sources",) if entry.kind == staging.SOURCES else TABLES
        for name in names:
            ops[name][entry.key] = tables.get(name)
    if ops["documents"]:  # the departments whose rows may go, noted before any file changes: a merge
        touched.removed_pairs |= _stored_pairs(out, set(ops["documents"]))  # killed midway keeps them
        save_pending(out, touched)

    def merged(name: str) -> Touched:
        mine = Touched()
        _apply_table(out, name, ops[name], mine)
        return mine

    # each table's files are its own: the tables are merged side by side (decoding, sorting and
    # encoding a partition file release the GIL); a reader may see one table merged before another
    with side_by_side(threads, "plansheet-merge") as pool:
        for mine in pool.map(merged, [name for name in TABLES if ops[name]]):
            touched.merge(mine)
    save_pending(out, touched)  # before the entries go: the CSVs and lineage still have to follow
    staging.drop(batch)
    return touched


def _compacting(out: Path) -> Path:
    return out / staging.STATE / COMPACTING


def _data_files(folder: Path) -> list[Path]:
    """The data files of a table's folder (temporary dot- and underscore-names left out)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.parquet")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts))


def _snapshot(out: Path, name: str) -> Path:
    """Hard links to every data file of a table under ``OUT/state/compacting/<name>/``, made before
    :func:`compact_all` changes any file (linked under a dot-name, then renamed: whole or absent).
    A snapshot left by a killed rewrite is the table as it was, and is used again."""
    snapshot = _compacting(out) / name
    if snapshot.is_dir():
        return snapshot
    folder = out / "parquet" / name
    tmp = snapshot.with_name(f".{name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for path in _data_files(folder):
        link = tmp / path.relative_to(folder)
        link.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, link)
    tmp.mkdir(parents=True, exist_ok=True)
    os.rename(tmp, snapshot)
    return snapshot


def compact_all(out: Path) -> None:
    """Rewrite every table as part files (the full rebuild; converts older layouts too).

    Each table is read from a snapshot of hard links taken first (:func:`_snapshot`); files that
    will not be written again (an older layout's) are removed before the new ones are renamed into
    place, so a reader may miss rows for a moment but never sees one twice, and a run killed at any
    point leaves the snapshot, from which the next run (:func:`is_legacy` is true) rewrites again.

    Call while holding :func:`output_lock`, with no staged entries left.
    """
    from plansheet.output.writers import read_folder

    for name in TABLES:
        folder = out / "parquet" / name
        table = read_folder(_snapshot(out, name), name)
        buckets = pa.array([bucket_of(k) for k in row_keys(name, table)], pa.int32()) if table.num_rows else None
        groups: list[tuple[Path, pa.Table]] = []
        if table.num_rows:
            years = pc.unique(table.column(PARTITION)).to_pylist() if name != "sources" else [None]
            for year in sorted(years, key=lambda y: (y is None, y)):
                part = table if year is None else table.filter(pc.equal(table.column(PARTITION), year))
                part_buckets = buckets if year is None else buckets.filter(pc.equal(table.column(PARTITION), year))
                directory = folder if year is None else folder / f"{PARTITION}={year}"
                for b in sorted(set(part_buckets.to_pylist())):
                    groups.append((directory / part_name(b), part.filter(pc.equal(part_buckets, b))))
        rewritten = {path for path, _ in groups}
        for path in _data_files(folder):  # first out: an old file's rows are never beside their new copy
            if path not in rewritten:
                path.unlink()
        for path, rows in groups:
            write_part(path, name, rows.select(stored_schema(name).names))
        for directory in _partition_dirs(folder) if folder.is_dir() else []:
            if not any(directory.iterdir()):
                directory.rmdir()
        shutil.rmtree(_compacting(out) / name)
    shutil.rmtree(_compacting(out), ignore_errors=True)


def read_parts(out: Path, name: str, files: list[str], keys: set[str] | None,
               columns: list[str] | None = None) -> pa.Table:
    """The rows of ``keys`` (None: every row) in the given part files (paths relative to ``out``),
    laid out as :func:`~plansheet.output.writers.read_table` lays out the table (only ``columns``
    when given). File by file, without ``pyarrow.dataset`` (which imports pandas)."""
    from plansheet.output.writers import read_schema

    schema = read_schema(name)
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    read = [c for c in schema.names if c in stored_schema(name).names]
    key_column = "source_file" if name == "sources" else "doc_id"
    if keys is not None and key_column not in read:
        read.append(key_column)
    parts = []
    for relative in files:
        path = out / relative
        if not path.exists():
            continue
        table = _read_part(path, name, read)
        if name != "sources":
            year = int(path.parent.name.partition("=")[2])
            table = table.append_column(PARTITION, pa.array([year] * table.num_rows, pa.int32()))
        if keys is not None:
            table = table.filter(has_key(name, table, keys))
        parts.append(table.select(schema.names).cast(schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def part_files(out: Path, name: str) -> list[str]:
    """Every part file of a table (paths relative to ``out``), in path order."""
    folder = out / "parquet" / name
    pattern = "part-*.parquet" if name == "sources" else f"{PARTITION}=*/part-*.parquet"
    return sorted(p.relative_to(out).as_posix() for p in folder.glob(pattern) if PART.fullmatch(p.name))


def key_is_stored(out: Path, key: str) -> bool:
    """True when the key's ``sources`` row is in the dataset or staged to be merged."""
    if key in staging.staged_keys(out):
        return True
    folder = out / "parquet" / "sources"
    return bool(keys_in(folder / part_name(bucket_of(key)), {key})) or (folder / f"{key}.parquet").exists()
