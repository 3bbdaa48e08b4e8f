"""The compacted Parquet dataset: one file per partition, rewritten one rename at a time.

Layout (SCHEMA.md leaves the file names to the writer)::

    OUT/parquet/<table>/fiscal_year=<yyyy>/part-0.parquet       one file per partition (BUCKETS is 1)
    OUT/parquet/<table>/fiscal_year=<yyyy>/delta-0.parquet      (in a large partition) the sources added since
    OUT/parquet/sources/part-<b>.parquet                         b = bucket_of(key) in 0 … SOURCE_BUCKETS-1

A partition's *slot* is named by ``<partition>/part-0.parquet`` whatever files it holds: its
base file and, in a partition of :data:`DELTA_FROM_ROWS` rows or more, a small *delta* file that
takes the run's new sources (so that a run of a few new files does not rewrite the partition),
both of one *generation* (``part-0-<g>.parquet`` and ``delta-0-<g>.parquet``; generation 0
unnumbered). A delta file only ever gains new keys or replaces its own keys' rows in one
rename; a key whose old rows sit in the base is replaced in the base. Once the delta holds more
than 1/:data:`DELTA_SHARE` of the base's rows (or a run removes rows from the base while a delta
exists) the partition is *folded* (:func:`_fold`): a new base of the next generation is written
into a fresh folder under ``OUT/state/fold/`` and the two folders are swapped in one
``renameat2(RENAME_EXCHANGE)``. A reader listing the partition sees the old files or the new
one; a reader that listed the old files and opens one after the swap gets "file not found",
never a row twice (no name is used by two generations).

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
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from plansheet.output import staging, written
from plansheet.output.steps import side_by_side
from plansheet.output.rows import KEYS, PARTITION, TABLES, stored_schema
from plansheet.output.writers import atomic_write_bytes, parquet_bytes, source_key, write_buffer

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
# the data files of a partition of a partitioned table: a base file and maybe a delta file, of one generation
SLOT_FILE = re.compile(r"(part|delta)-0(?:-([1-9]\d*))?\.parquet")
DELTA_FROM_ROWS = 1000  # a partition whose base holds fewer rows is rewritten whole (no delta: today's layout)
DELTA_SHARE = 8  # a delta holding more than 1/DELTA_SHARE of its base's rows is folded into it
# partitions of a table holding a delta at once (a reader pays about a millisecond a file): a merge
# folds the deltas of the partitions it did not add to (a nightly run adds to the same year)
MAX_DELTAS = 1
KEYS_SEARCHED = 64  # read_parts looks a file's key list up for fewer keys than this (else reads the file)
FOLD = "fold"  # OUT/state/fold/<table>.<partition>/: a fold's new folder, swapped with the partition's
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


def _generation_name(kind: str, generation: int) -> str:
    return f"{kind}-0.parquet" if generation == 0 else f"{kind}-0-{generation}.parquet"


class Slot:
    """The data files of one partition of a partitioned table: its base, its delta (if any), their
    generation. (A plain class: a dataclass or named tuple is compiled at import, ~1 M instructions.)"""

    __slots__ = ("base", "delta", "generation")

    def __init__(self, base: Path | None, delta: Path | None, generation: int) -> None:
        self.base, self.delta, self.generation = base, delta, generation


def slot_of(slot: Path) -> Slot:
    """What the partition of the slot ``slot`` (``<partition>/part-0.parquet``) holds on disk."""
    found: dict[str, tuple[int, Path]] = {}
    try:
        names = os.listdir(slot.parent)
    except FileNotFoundError:
        names = []
    for file in names:
        match = SLOT_FILE.fullmatch(file)
        if match:
            generation = int(match.group(2) or 0)
            if match.group(1) not in found or generation > found[match.group(1)][0]:
                found[match.group(1)] = (generation, slot.parent / file)
    base, delta = found.get("part"), found.get("delta")
    generation = base[0] if base else delta[0] if delta else 0
    return Slot(base[1] if base else None, delta[1] if delta else None, generation)


def slot_files(slot: Path) -> list[Path]:
    """The data files of a slot that exist: a ``sources`` file itself; a partition's base and delta."""
    if not slot.parent.name.startswith(f"{PARTITION}="):
        return [slot] if slot.exists() else []
    held = slot_of(slot)
    return [p for p in (held.base, held.delta) if p is not None]


def slot_name(path: Path) -> Path:
    """The slot a data file belongs to (``<partition>/part-0.parquet``; a ``sources`` file is its own)."""
    return path.with_name(part_name(0)) if SLOT_FILE.fullmatch(path.name) and path.parent.name.startswith(
        f"{PARTITION}=") else path


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
    kept = written.recall_keys(path)  # a file this process has just written
    if kept is not None:
        return set(kept)
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


def _lists_none(path: Path, keys: set[str]) -> bool:
    """Whether a file's footer lists its keys and none of ``keys`` (searched, not parsed)."""
    try:
        raw = _raw_footer(path)
    except FileNotFoundError:
        return True
    return KEYS_META in raw and not any(b'"' + k.encode() + b'"' in raw for k in keys)


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


def write_empty(path: Path, name: str) -> None:
    """A part file of table ``name`` with its columns and no rows (:mod:`plansheet.batch.empty_tables`)."""
    write_part(path, name, stored_schema(name).empty_table(), empty=True)


def write_part(path: Path, name: str, table: pa.Table, keys: set[str] | None = None, *,
               empty: bool = False) -> pa.Table | None:
    """Write a part file sorted, with its keys in the metadata (``keys`` when the caller knows
    them: the keys of ``sources`` rows are hashes of their names, worked out row by row), and in
    a ``sources`` file the contents its rows hold; remove it when no row is left (unless ``empty``:
    a table's schema-only file). Returns the rows as written (None when none)."""
    if table.num_rows == 0 and not empty:
        path.unlink(missing_ok=True)
        return None
    table = table.sort_by([(c, "ascending") for c in sort_order(name)])
    keys = sorted(keys) if keys is not None else _keys_of(name, table)
    schema = stored_schema(name)
    metadata = {**(schema.metadata or {}), KEYS_META: json.dumps(keys).encode()}
    if name == "sources":
        contents = pc.unique(key_prefix(table.column("source_sha256").drop_null())).to_pylist()
        metadata[CONTENTS_META] = json.dumps(sorted(contents)).encode()
    plain = schema.remove_metadata()
    bare = table.replace_schema_metadata()
    table = bare if bare.schema.equals(plain, check_metadata=True) else table.cast(plain)  # (a cast per column)

    # no ARROW:schema copy of the schema (it repeated the key list, base64'd: half of every
    # footer, parsed by every reader); the Parquet types read back as the same Arrow types.
    # No dictionary pages: a reader pays for a column's dictionary page in every file (a
    # 10,000-document load() read 30 % fewer instructions without them; the same size)
    data = parquet_bytes(table, metadata, compression="zstd", store_schema=False, use_dictionary=False)
    atomic_write_bytes(path, lambda tmp: write_buffer(tmp, data))
    written.remember(path, table, keys)  # the follow step reads it back
    return table


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
    kept, dropped, keys = _kept_rows(name, [path], remove, add)
    write_part(path, name, _with_added(kept, add), keys)
    return dropped


def _with_added(kept: pa.Table, add: dict[str, pa.Table]) -> pa.Table:
    """The rows ``kept`` and then ``add``'s, laid out as ``kept``."""
    return pa.concat_tables([kept, *(t.select(kept.schema.names).cast(kept.schema) for t in add.values())])


def _kept_rows(name: str, paths: list[Path], remove: set[str], add: dict[str, pa.Table]
               ) -> tuple[pa.Table, pa.Table, set[str] | None]:
    """The rows of ``paths`` without ``remove``'s, the rows dropped, and the keys of the new file
    (from the old files' key lists; None when a file lacks its list)."""
    olds = [_read_part(p, name) for p in paths] or [stored_schema(name).empty_table()]
    old = pa.concat_tables(olds) if len(olds) > 1 else olds[0]
    if remove and old.num_rows:
        gone = _named(old, remove, add) if name == "sources" else None
        gone = has_key(name, old, remove) if gone is None else gone
        dropped, kept = old.filter(gone), old.filter(pc.invert(gone))
    else:
        dropped, kept = old.schema.empty_table(), old
    keys: set[str] | None = set()
    for p, table in zip(paths, olds):
        listed = file_keys(p) if table.num_rows else set()
        if table.num_rows and not listed:  # (a file without its key list: its rows' keys are worked out)
            keys = None
        elif keys is not None:
            keys |= listed
    if keys is not None:
        keys = (keys - remove) | {k for k, t in add.items() if t.num_rows}
    return kept, dropped, keys


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
    removes: dict[Path, set[str]] = defaultdict(set)  # slot → keys whose rows it holds
    in_base: dict[Path, set[str]] = defaultdict(set)  # slot → those of them in its base file
    deltas: set[Path] = set()  # the slots holding a delta file (each may be folded at the end)
    for directory in (_partition_dirs(folder) if partitioned else [folder]):
        for b in buckets:
            slot = directory / part_name(b)
            wanted = {k for k in ops if bucket_of(k) == b}
            held = slot_of(slot) if partitioned else Slot(slot, None, 0)
            if held.delta is not None:
                deltas.add(slot)
            for path in (held.base, held.delta):
                found = keys_in(path, wanted) if path is not None else set()
                removes[slot] |= found
                if path is held.base:
                    in_base[slot] |= found
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
    based: set[Path] = set()  # slots whose base lost rows in this merge: their new rows go there too
    kept = set(sorted(adds, reverse=True)[:MAX_DELTAS])  # the partitions that may keep a delta (the latest years)
    for path in first:
        dropped.append(_update(path, name, removes[path] & unsafe, {}, in_base[path], based, deltas, path in kept))
    for path in sorted(set(removes) | set(adds)):
        add = adds.get(path, {})
        remove = removes.get(path, set()) - unsafe
        if add or remove:
            dropped.append(_update(path, name, remove, add, in_base[path], based, deltas, path in kept))
    if partitioned:
        _fold_other_deltas(name, deltas, kept)
    files = touched.files.setdefault(name, {})
    for key in ops:
        files[key] = sorted({p.relative_to(out).as_posix() for p in where[key] if p in adds and key in adds[p]})
    if name == "documents":
        for table in dropped:
            touched.removed_pairs |= _pairs(table)


def _update(slot: Path, name: str, remove: set[str], add: dict[str, pa.Table], in_base: set[str],
            based: set[Path], deltas: set[Path], keeps: bool) -> pa.Table:
    """Replace ``remove``'s rows by ``add``'s in one slot; return the rows dropped.

    A ``sources`` file, and a partition without a delta whose base is small (under
    :data:`DELTA_FROM_ROWS` rows) or loses rows, is rewritten whole, as one file. Otherwise the
    new rows go to the delta file (which only gains keys, or replaces its own keys' rows), and the
    partition is folded (:func:`_fold`) when a key's old rows sit in its base, or the delta has
    grown past 1/:data:`DELTA_SHARE` of the base. ``based`` notes the slots whose base lost
    rows in this merge (a changed source's new rows then go to the file its old ones left);
    ``deltas`` gets the slot when its delta is written. Only a partition that ``keeps`` its delta
    (:data:`MAX_DELTAS` a table: :func:`_fold_other_deltas`) writes one; another is rewritten
    whole, or folded if it has one."""
    if not slot.parent.name.startswith(f"{PARTITION}="):
        return _rewrite(slot, name, remove, add)
    held = slot_of(slot)
    if remove & in_base:
        based.add(slot)
    if held.delta is None:
        if held.base is None or slot in based or not keeps or _row_count(held.base) < DELTA_FROM_ROWS \
                or not can_exchange(slot):
            return _rewrite(held.base or slot, name, remove, add)
        delta = slot.with_name(_generation_name("delta", held.generation))
    elif slot in based or not keeps:
        return _fold(slot, name, held, remove, add)
    else:
        delta = held.delta
    dropped = _rewrite(delta, name, remove, add)
    deltas.add(slot)
    rows = _row_count(delta)
    if rows and rows * DELTA_SHARE > _row_count(held.base):  # (held.base is there: see above)
        _fold(slot, name, slot_of(slot), set(), {})
    return dropped


def _fold_other_deltas(name: str, slots: set[Path], kept: set[Path]) -> None:
    """Fold the deltas of a table's partitions (``slots``: those that may hold one) but those
    ``kept`` (the :data:`MAX_DELTAS` latest years this merge added to), so that a reader pays for
    few delta files."""
    for slot in sorted(slots - kept):
        held = slot_of(slot)
        if held.delta is not None:
            _fold(slot, name, held, set(), {})


def _row_count(path: Path | None) -> int:
    """The rows of a data file (0 if there is none): from memory when just written, else its footer."""
    if path is None:
        return 0
    kept = written.recall(path)
    if kept is not None:
        return kept.num_rows
    try:
        return pq.read_metadata(path).num_rows
    except FileNotFoundError:
        return 0


def _fold(slot: Path, name: str, held: Slot, remove: set[str], add: dict[str, pa.Table]) -> pa.Table:
    """Write a partition's base and delta (less ``remove``'s rows, plus ``add``'s) as one base of
    the next generation, and swap it in with the partition's folder at once; return the rows dropped.

    The new folder is made under ``OUT/state/fold/`` (a run killed before the swap leaves it
    there, and the next merge removes it: the partition is as it was, the staged entries too);
    after the swap the old folder is there, and is removed (by the next merge, if killed first)."""
    out = slot.parents[3]
    fresh = out / staging.STATE / FOLD / f"{slot.parent.parent.name}.{slot.parent.name}"  # (tables fold side by side)
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    new = fresh / _generation_name("part", held.generation + 1)
    kept, dropped, keys = _kept_rows(name, [p for p in (held.base, held.delta) if p is not None], remove, add)
    rows = write_part(new, name, _with_added(kept, add), keys)
    try:
        _exchange(fresh, slot.parent)
    except OSError:  # an output moved to a file system that cannot swap folders
        _put_in_place(fresh, slot.parent, [p for p in (held.base, held.delta) if p is not None])
    for path in (held.base, held.delta, new):
        if path is not None:
            written.forget(path)
    if rows is not None:
        written.remember(slot.parent / new.name, rows)
    shutil.rmtree(fresh)
    if rows is None:
        try:
            slot.parent.rmdir()  # the partition has no row left
        except OSError:
            pass
    return dropped


_IN_PLACE = ".fold-"  # a fold's new base beside the files it replaces, hidden until they are gone


def _put_in_place(fresh: Path, partition: Path, old: list[Path]) -> None:
    """A fold's new base put in place without a swap: the new one beside the old files under a hidden
    name first, then the old files out, then the new one renamed in (a reader may miss the
    partition's rows for that moment, never sees one twice, as in :func:`compact_all`). A run killed
    after the new file is whole is finished by the next merge (:func:`_finish_in_place`), so no row
    is lost; no partition on that file system gets a delta again in this process."""
    _exchange_checked[os.stat(partition).st_dev] = False
    moved = []
    for path in fresh.glob("*.parquet"):
        hidden = partition / f"{_IN_PLACE}{path.name}"
        shutil.move(path, f"{hidden}.partial")  # (a copy when OUT/state is on another file system)
        os.replace(f"{hidden}.partial", hidden)  # whole from here: the next merge would finish the fold
        moved.append((hidden, partition / path.name))
    for path in old:
        path.unlink()
    for hidden, path in moved:
        os.replace(hidden, path)


def _finish_in_place(out: Path) -> None:
    """Finish the folds a killed run was putting in place without a swap: a whole new base replaces every
    other file of its partition (the old base and delta it holds the rows of); a partial copy goes."""
    for hidden in sorted((out / "parquet").glob(f"*/*/{_IN_PLACE}*")):
        if hidden.name.endswith(".partial"):
            hidden.unlink()  # the old files were still all there
            continue
        for path in hidden.parent.glob("*.parquet"):
            if not path.name.startswith("."):  # (pathlib's * matches a leading dot)
                path.unlink()
        os.replace(hidden, hidden.parent / hidden.name[len(_IN_PLACE):])


_RENAME_EXCHANGE = 2  # linux/fs.h
_exchange_checked: dict[int, bool] = {}  # st_dev → whether renameat2(RENAME_EXCHANGE) works there
_exchange_lock = threading.Lock()


def _renameat2() -> object | None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (``renameat2`` with ``RENAME_EXCHANGE``)."""
    import ctypes

    call = _renameat2()
    if call is None:
        raise OSError("renameat2 is not available")
    if call(-100, os.fsencode(a), -100, os.fsencode(b), _RENAME_EXCHANGE) != 0:  # -100: AT_FDCWD
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), str(a))


def can_exchange(slot: Path) -> bool:
    """Whether folders can be swapped in one step on the output's file system (tried once per
    process and file system, in ``OUT/state``): without it no partition gets a delta file."""
    import tempfile

    state = slot.parents[3] / staging.STATE
    state.mkdir(parents=True, exist_ok=True)
    device = os.stat(slot.parent).st_dev
    if os.stat(state).st_dev != device:  # a fold's folder is made in OUT/state: it must be on the same file system
        return False
    with _exchange_lock:  # (the tables are merged side by side)
        if device not in _exchange_checked:
            probe = Path(tempfile.mkdtemp(prefix=".fold-probe-", dir=state))
            try:
                (probe / "a").mkdir()
                (probe / "b").mkdir()
                (probe / "a" / "1").touch()
                _exchange(probe / "a", probe / "b")
                _exchange_checked[device] = (probe / "b" / "1").exists()
            except OSError:
                _exchange_checked[device] = False
            finally:
                shutil.rmtree(probe, ignore_errors=True)
        return _exchange_checked[device]


def remove_folds(out: Path) -> None:
    """Remove what a killed fold left in ``OUT/state/fold`` (a new folder never swapped in, or an
    old one swapped out), and finish one it was putting in place without a swap. Call holding
    :func:`output_lock`."""
    shutil.rmtree(out / staging.STATE / FOLD, ignore_errors=True)
    _finish_in_place(out)
    for probe in (out / staging.STATE).glob(".fold-probe-*"):  # (see can_exchange)
        shutil.rmtree(probe, ignore_errors=True)


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
        for folder, _, files in os.walk(out / "parquet" / name):  # (os.walk: a third of rglob's cost)
            data = [f for f in files if f.endswith(".parquet") and not f.startswith((".", "_"))]
            if name != "sources" and os.path.basename(folder).startswith(f"{PARTITION}="):
                if data and data != ["part-0.parquet"] and not _one_generation(data):
                    return True
                continue
            for file in data:
                match = PART.fullmatch(file)
                if not match or int(match.group(1)) >= bucket_count(name):
                    return True
    return not all(_lists_contents(path) for path in (out / "parquet" / "sources").glob("part-*.parquet"))


def _one_generation(files: list[str]) -> bool:
    """Whether a partition's data files are a base and at most a delta, of one generation (see the module)."""
    found = [SLOT_FILE.fullmatch(f) for f in files]
    if not all(found) or len(files) > 2:
        return False
    kinds = sorted((m.group(1), int(m.group(2) or 0)) for m in found if m)
    return kinds[-1][0] == "part" and len({g for _, g in kinds}) == 1 and len({k for k, _ in kinds}) == len(kinds)


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
    files = sorted({slot_name(p).relative_to(out).as_posix() for b in {bucket_of(k) for k in keys}
                    for d in _partition_dirs(folder) for p in slot_files(d / part_name(b)) if keys_in(p, keys)})
    return _pairs(read_parts(out, "documents", files, keys, ["doc_id", "municipality", "department"])) if files else set()


@dataclass
class _Stopped:
    """What a merge that stopped between tables (:func:`apply_staged`'s ``stop``) leaves this process:
    the staged entries merged into each table already, and the entries' rows as read. The merge that
    goes on (in this process) takes only the rest of each table. A run killed meanwhile leaves every
    entry staged, and the next run merges them all again (the same files)."""

    merged_into: dict[str, set[Path]] = field(default_factory=dict)  # table → entries merged into it
    rows: dict[Path, dict[str, pa.Table]] = field(default_factory=dict)  # entry → its rows per table

    def forget(self, batch: list[staging.Entry]) -> None:
        """Drop what is kept of ``batch``'s entries (merged into every table, and gone)."""
        for paths in self.merged_into.values():
            paths.difference_update(entry.path for entry in batch)
        for entry in batch:
            self.rows.pop(entry.path, None)


_stopped: dict[Path, _Stopped] = {}  # per output (its resolved path)


def apply_staged(out: Path, threads: int = 1, stop: Callable[[], bool] | None = None) -> Touched:
    """Merge every staged entry into the dataset; return what was touched (plus any earlier
    merge's pending work). Call while holding :func:`output_lock`. ``threads`` tables are merged
    at once (:mod:`plansheet.output.steps`; the finish decides).

    ``stop`` (one table at a time only) is asked after each table: when it says so, the merge stops
    there, with the tables merged so far noted in ``finish.json`` and every entry still staged, so
    that a pool's early merge never holds up the finish for more than one table (the caller's next
    merge takes the other tables; a table is never left half merged)."""
    staging.remove_temps(out)
    remove_folds(out)
    batch = staging.entries(out)
    touched = pending(out)
    if not batch:
        return touched
    kept = _stopped.setdefault(out.resolve(), _Stopped())
    done, rows_of = kept.merged_into, kept.rows
    latest: dict[str, dict[str, staging.Entry]] = {name: {} for name in TABLES}
    for entry in batch:  # oldest first: for each table and key the latest entry wins
        for name in ("sources",) if entry.kind == staging.SOURCES else TABLES:
            latest[name][entry.key] = entry

    def rows(entry: staging.Entry, name: str) -> pa.Table | None:
        if entry.path not in rows_of:
            rows_of[entry.path] = entry.tables() if entry.kind != staging.REMOVE else {}
        return rows_of[entry.path].get(name)

    ops: dict[str, dict[str, pa.Table | None]] = {
        name: {key: rows(entry, name) for key, entry in latest[name].items() if entry.path not in done.get(name, ())}
        for name in TABLES}
    if ops["documents"]:  # the departments whose rows may go, noted before any file changes: a merge
        touched.removed_pairs |= _stored_pairs(out, set(ops["documents"]))  # killed midway keeps them
        save_pending(out, touched)

    def merged(name: str) -> Touched:
        mine = Touched()
        _apply_table(out, name, ops[name], mine)
        return mine

    names = [name for name in TABLES if ops[name]]
    if stop is not None and threads <= 1:
        for name in names:
            touched.merge(merged(name))
            done.setdefault(name, set()).update(entry.path for entry in batch)
            if name != names[-1] and stop():
                save_pending(out, touched)  # the tables merged so far; the entries stay for the rest
                return touched
    else:
        # each table's files are its own: the tables are merged side by side (decoding, sorting and
        # encoding a partition file release the GIL); a reader may see one table merged before another
        with side_by_side(threads, "plansheet-merge") as pool:
            for mine in pool.map(merged, names):
                touched.merge(mine)
    save_pending(out, touched)  # before the entries go: the CSVs and lineage still have to follow
    staging.drop(batch)
    kept.forget(batch)
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
    """The rows of ``keys`` (None: every row) in the given slots (paths relative to ``out``: a
    ``sources`` file, or a partition's ``part-0.parquet``, read with its delta), laid out as
    :func:`~plansheet.output.writers.read_table` lays out the table (only ``columns`` when given).
    File by file, without ``pyarrow.dataset`` (which imports pandas)."""
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
        paths = slot_files(out / relative)
        for path in paths:
            if keys is not None and len(paths) > 1 and len(keys) < KEYS_SEARCHED and _lists_none(path, keys):
                continue  # a partition's base or delta holding none of a few keys (a run's new rows: the delta)
            table = _read_part(path, name, read)
            if name != "sources":
                year = int(path.parent.name.partition("=")[2])
                table = table.append_column(PARTITION, pa.array([year] * table.num_rows, pa.int32()))
            if keys is not None:
                table = table.filter(has_key(name, table, keys))
            parts.append(table.select(schema.names).cast(schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def part_files(out: Path, name: str) -> list[str]:
    """Every slot of a table (paths relative to ``out``: each ``sources`` file, each partition's
    ``part-0.parquet`` whatever files it holds), in path order."""
    folder = out / "parquet" / name
    if name == "sources":
        return sorted(p.relative_to(out).as_posix() for p in folder.glob("part-*.parquet") if PART.fullmatch(p.name))
    return sorted({slot_name(p).relative_to(out).as_posix() for p in folder.glob(f"{PARTITION}=*/*.parquet")
                   if SLOT_FILE.fullmatch(p.name)})


def key_is_stored(out: Path, key: str) -> bool:
    """True when the key's ``sources`` row is in the dataset or staged to be merged."""
    if key in staging.staged_keys(out):
        return True
    folder = out / "parquet" / "sources"
    return bool(keys_in(folder / part_name(bucket_of(key)), {key})) or (folder / f"{key}.parquet").exists()
