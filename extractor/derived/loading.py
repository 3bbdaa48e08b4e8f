"""Read an output folder back as typed pandas DataFrames, for notebooks and the report.

``load(DIR)`` returns one DataFrame per table (the SCHEMA tables and ``goal_lineage``)
plus ``initiatives_flat``: one row per initiative with its target, goal, department,
year and grades, the table a researcher filters first (built on first access: the dict
:class:`LoadedTables` holds it until then).

**One copy per sheet.** By default every table holds only the *current* copy of each
sheet (``documents.is_current``, chosen by :func:`plansheet.derived.current.choose_current`):
a sheet that arrived as a PDF, a scan and a workbook counts once. ``load(DIR, copies="all")``
returns every copy, with ``is_current`` / ``copy_of`` / ``copy_reason`` saying which one counts.
``sources`` always lists every input file.

Types:

- int32 columns (and ``fiscal_year``, which comes from the Hive partition) → ``Int32``
  (nullable), strings → ``string``, float64 stays float64, timestamps stay UTC,
  ``documents.is_current`` → nullable ``boolean``;
- every grade column (``goals.overall_grade``, ``targets.grade``, ``grade_scale.grade``
  and the flat view's ``overall_grade`` / ``target_grade``) → ordered categorical
  ``A < B < C < D < E`` (A, the best grade, sorts first). A stored grade outside A–E is
  never dropped silently: :func:`load` warns (:class:`GradeWarning`, naming table, column,
  values and rows) and keeps the text in ``<column>_text``, or raises with ``strict=True``;
- ``documents.stage`` → categorical ``plan`` / ``result``; ``sources.status`` →
  categorical ``ok`` / ``partial`` / ``failed`` / ``skipped``; ``goal_lineage.relation``
  → categorical of the relations in :class:`plansheet.derived.lineage.Relation`.

A path that is not an output folder raises :class:`NotAnOutputError` naming what was expected.
"""
from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from plansheet.derived.current import choose_current, current_only
from plansheet.derived.flat import FLAT, FLAT_COLUMNS, FLAT_SOURCES, flat_table
from plansheet.derived.lineage import TABLE as LINEAGE, Relation, read_lineage
from plansheet.errors import PlansheetError
from plansheet.results import Status
from plansheet.output.rows import DOCUMENT_TABLES, PARTITION, TABLES, stored_schema
from plansheet.output.writers import large_strings, laid_out, read_schema


GRADES = pd.CategoricalDtype(["A", "B", "C", "D", "E"], ordered=True)
STAGES = pd.CategoricalDtype(["plan", "result"])
STATUSES = pd.CategoricalDtype([s.value for s in Status])
RELATIONS = pd.CategoricalDtype([r.value for r in Relation])
GRADE_COLUMNS = {("goals", "overall_grade"), ("targets", "grade"), ("grade_scale", "grade")}
CATEGORIES: dict[tuple[str, str], pd.CategoricalDtype] = {
    **{key: GRADES for key in GRADE_COLUMNS},
    ("documents", "stage"): STAGES, ("sources", "status"): STATUSES, (LINEAGE, "relation"): RELATIONS,
}
COPIES = ("current", "all")
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # a Hive folder name for a null partition value
_TYPES = {pa.int32(): pd.Int32Dtype(), pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(),
          pa.bool_(): pd.BooleanDtype()}


class NotAnOutputError(PlansheetError, FileNotFoundError):
    """The path given to :func:`load` or the report is not an output folder of ``plansheet extract``."""


class GradeWarning(UserWarning):
    """A stored grade is not one of A–E (kept as text in ``<column>_text``)."""


class GradeError(PlansheetError, ValueError):
    """A stored grade is not one of A–E and ``load(strict=True)`` was asked."""


def check_output_folder(out: str | Path) -> Path:
    """``out`` as a Path if it is an output folder (it holds ``parquet/documents``), else a clear error."""
    out = Path(out)
    expected = "an output folder of `plansheet extract` (the folder given to --out, holding parquet/documents/)"
    if not out.exists():
        raise NotAnOutputError(f"{out}: no such folder; expected {expected}")
    if not out.is_dir():
        raise NotAnOutputError(f"{out}: is a file; expected {expected}")
    if (out / "parquet" / "documents").is_dir():
        return out
    if (out / "documents").is_dir() and out.name == "parquet":
        raise NotAnOutputError(f"{out}: this is the parquet/ folder inside an output folder; "
                               f"give its parent, {out.parent}")
    if out.parent.name == "parquet" and (out.parent / "documents").is_dir():
        raise NotAnOutputError(f"{out}: this is one table of an output folder; give {out.parent.parent}")
    raise NotAnOutputError(f"{out}: no parquet/documents/ inside; expected {expected}")


def _grades(name: str, column: str, frame: pd.DataFrame, strict: bool) -> None:
    """Turn a grade column categorical; a value outside A–E warns (or raises) and stays in ``<column>_text``."""
    raw = frame[column].astype("string")
    bad = raw.notna() & ~raw.isin(list(GRADES.categories))
    frame[column] = raw.where(~bad).astype(GRADES)
    if not bad.any():
        return
    values = raw[bad].value_counts()
    listing = ", ".join(f"{v!r} ×{n}" for v, n in values.items())
    docs = ", ".join(sorted(set(frame.loc[bad, "doc_id"].astype(str)))[:5]) if "doc_id" in frame else ""
    message = (f"{name}.{column}: {int(bad.sum())} grade(s) outside A–E ({listing}; doc_id {docs}); "
               f"they are missing in {column} and kept as text in {column}_text")
    if strict:
        raise GradeError(message)
    frame[f"{column}_text"] = raw.where(bad)
    warnings.warn(message, GradeWarning, stacklevel=5)


def typed(name: str, table: pa.Table, strict: bool = False) -> pd.DataFrame:
    """One table as a DataFrame with nullable integers, strings and the categoricals above."""
    frame = table.to_pandas(types_mapper=_TYPES.get)
    for (tname, column), dtype in CATEGORIES.items():
        if tname != name or column not in frame.columns:
            continue
        if (tname, column) in GRADE_COLUMNS:
            _grades(name, column, frame, strict)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def flat_initiatives(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per initiative with its target, goal and document (columns ``FLAT_COLUMNS``).

    An initiative without a target (``target_no`` null) keeps null target columns.
    ``page`` is the initiative's page in ``source_file``.
    """
    arrow = {name: pa.Table.from_pandas(tables[name][list(columns)], preserve_index=False)
             for name, columns in FLAT_SOURCES.items()}
    return flat_from_arrow(arrow)


def flat_from_arrow(tables: dict[str, pa.Table]) -> pd.DataFrame:
    """The flat view (see :func:`flat_initiatives`) built in Arrow from the stored tables."""
    flat = flat_table(tables)
    frame = flat.to_pandas(types_mapper=_TYPES.get)
    for column, dtype in (("overall_grade", GRADES), ("target_grade", GRADES), ("stage", STAGES)):
        frame[column] = _categorical(flat.column(column), dtype)
    return frame


def keep_documents(tables: dict[str, pd.DataFrame], doc_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The document tables reduced to the rows of ``doc_ids`` (other tables unchanged)."""
    return {name: frame[frame["doc_id"].isin(doc_ids)].reset_index(drop=True) if name in DOCUMENT_TABLES else frame
            for name, frame in tables.items()}


def read_tables(out: Path, names: tuple[str, ...], large_strings: bool = False) -> dict[str, pa.Table]:
    """The stored tables ``names`` (``goal_lineage`` among them if asked) as Arrow tables.

    Each table as :func:`plansheet.output.writers.read_table` gives it (``pyarrow.dataset`` with
    Hive partitions: every data file of every partition, ``fiscal_year`` from the folder, a column
    a file lacks as null), read file by file with ``pyarrow.parquet`` (at 10,000 documents
    ``pyarrow.dataset`` cost about 5 ms a table more, bench/README.md), on as many threads as Arrow
    has cores (:func:`pyarrow.cpu_count`), a table a thread at a time (a partition's file is small:
    much of its cost is per file, so each is read in one go). With ``large_strings`` every string
    column is read as ``large_string``, the type pandas' Arrow-backed strings hold (so
    :func:`load` converts none).
    """
    def table(name: str) -> pa.Table:  # one table: its files listed and read in turn, then joined
        if name == LINEAGE:
            return read_lineage(out, large_strings)
        files = data_files(out / "parquet" / name)
        stored = _strings(stored_schema(name), large_strings)
        return _assembled(out, name, files, [_read_file(path, stored, large_strings) for path in files], large_strings)

    # a table a job (eight jobs, not a job per file: fewer hand-offs between threads), the largest first
    order = sorted(names, key=lambda name: -_WEIGHT.get(name, 1))
    with ThreadPoolExecutor(max(1, pa.cpu_count())) as pool:
        tables = dict(zip(order, pool.map(table, order)))
    return {name: tables[name] for name in names}


# how long a table takes to read, roughly (its columns times its rows a document): the jobs' order
_WEIGHT = {"initiatives": 6, "goals": 5, "targets": 5, LINEAGE: 5, "grade_scale": 3, "documents": 3,
           "officers": 2, "sources": 1}


def _strings(schema: pa.Schema, large: bool) -> pa.Schema:
    """``schema``, its string fields ``large_string`` when ``large``."""
    return large_strings(schema) if large else schema


def data_files(folder: Path) -> list[Path]:
    """The Parquet files under a table's folder that a Hive-partitioned reader sees (a file or
    folder whose name starts with ``.`` or ``_``, such as a temporary name, left out), in
    path order as ``pyarrow.dataset`` lists them."""
    found: list[tuple[str, Path]] = []

    def walk(directory: Path, relative: str) -> None:
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError, PermissionError):  # (as Path.rglob)
            return
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(directory / entry.name, f"{relative}{entry.name}/")
            elif entry.name.endswith(".parquet") and entry.is_file():
                found.append((relative + entry.name, directory / entry.name))

    walk(folder, "")
    return [path for _, path in sorted(found)]


def _partition_value(folder: Path, path: Path) -> int | None:
    """``fiscal_year`` of a file from its ``fiscal_year=<yyyy>`` folder (None outside one)."""
    value = None
    for part in path.relative_to(folder).parent.parts:
        key, equals, text = part.partition("=")
        if key == PARTITION and equals:
            value = None if text == _HIVE_NULL else int(text)
    return value


def _read_file(path: Path, stored: pa.Schema, large: bool = False) -> pa.Table:
    """One data file laid out as ``stored`` (the table's columns on disk; strings ``large_string``
    when ``large``)."""
    # in the calling thread, in one go: a partition's file is small, and Arrow's own threads (a column
    # each) and pre-buffering (its reads handed to the I/O threads) cost more than they gain there
    file = pq.ParquetFile(path, binary_type=pa.large_binary() if large else None, pre_buffer=False)
    table = file.read(use_threads=False)
    return table if table.schema.equals(stored) else laid_out(table, stored)


def _assembled(out: Path, name: str, files: list[Path], parts: list[pa.Table], large: bool = False) -> pa.Table:
    """The table ``name`` from its data files ``files`` (read as ``parts``), laid out as
    :func:`read_tables` gives it."""
    schema, stored = _strings(read_schema(name), large), stored_schema(name)
    if not parts:
        return schema.empty_table()
    folder = out / "parquet" / name
    whole = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    columns = [whole.column(c) if c in stored.names else
               _repeated([_partition_value(folder, path) for path in files], [t.num_rows for t in parts])
               for c in schema.names]
    return pa.Table.from_arrays(columns, schema=schema)


def _repeated(years: list[int | None], counts: list[int]) -> pa.ChunkedArray:
    """``fiscal_year`` of every row: each file's value repeated over its rows, a chunk a file (as the
    other columns, and in Arrow's memory: a NumPy array here was as many new pages again)."""
    return pa.chunked_array([pa.nulls(count, pa.int32()) if year is None
                             else pa.repeat(pa.scalar(year, pa.int32()), count)
                             for year, count in zip(years, counts)], pa.int32())


def _codes(column: pa.ChunkedArray, dtype: pd.CategoricalDtype) -> pa.ChunkedArray:
    """Each value's index in ``dtype``'s categories (null: missing, or a value outside them)."""
    return pc.index_in(column, value_set=pa.array(list(dtype.categories), pa.string()))


def _categorical(column: pa.ChunkedArray, dtype: pd.CategoricalDtype, codes: pa.ChunkedArray | None = None
                 ) -> pd.Categorical:
    """An Arrow string column as a pandas categorical of ``dtype`` (a value outside it becomes missing);
    ``codes``, when given, are the column's :func:`_codes`."""
    codes = pc.fill_null(_codes(column, dtype) if codes is None else codes, -1)
    return pd.Categorical.from_codes(codes.to_numpy(), dtype=dtype)


def _grade_codes(stored: dict[str, pa.Table]) -> dict[tuple[str, str], pa.ChunkedArray]:
    """The :func:`_codes` of every grade column of the ``stored`` tables."""
    return {(name, column): _codes(stored[name].column(column), GRADES) for name, column in sorted(GRADE_COLUMNS)
            if name in stored and column in stored[name].column_names}


def _has_bad_grades(stored: dict[str, pa.Table], codes: dict[tuple[str, str], pa.ChunkedArray]) -> bool:
    """Whether a grade column holds a value outside A–E (a value whose code is null)."""
    return any(pc.any(pc.and_(pc.is_valid(stored[name].column(column)), pc.is_null(code))).as_py()
               for (name, column), code in codes.items())


def _frame(name: str, table: pa.Table, codes: dict[tuple[str, str], pa.ChunkedArray] | None = None) -> pd.DataFrame:
    """One table whose grades are all A–E (or null) as :func:`typed` makes it, built column by column:
    the categoricals in Arrow (from ``codes``, the :func:`_grade_codes` of ``table``'s rows, where
    given), the nullable integers from one copy of their values (:func:`_integers`), the strings
    wrapped as they are (``large_string``: no copy)."""
    columns: dict[str, object] = {}
    for field, column in zip(table.schema, table.columns):
        category = CATEGORIES.get((name, field.name))
        if category is not None:
            columns[field.name] = _categorical(column, category, (codes or {}).get((name, field.name)))
        elif field.type == pa.int32():
            columns[field.name] = _integers(column)
        elif field.type in _TYPES:
            columns[field.name] = _TYPES[field.type].__from_arrow__(column)
        else:
            columns[field.name] = column.to_pandas()
    return pd.DataFrame(columns, copy=False)


def _integers(column: pa.ChunkedArray) -> pd.arrays.IntegerArray:
    """An Arrow int32 column as pandas' nullable ``Int32`` (what ``Int32Dtype().__from_arrow__`` gives):
    its values copied once into a writable array, its nulls as the mask. (pandas' own conversion
    joins the chunks in Arrow, copies the values, and builds and inverts a mask: three times the
    memory, a third of ``load()``'s conversion to pandas.)"""
    if column.null_count:
        values, mask = pc.fill_null(column, 0).to_numpy(), pc.is_null(column).to_numpy()
    else:
        values, mask = column.to_numpy(), np.zeros(len(column), bool)
    values = values if values.flags.writeable else values.copy()  # (one chunk: a view of Arrow's buffer)
    return pd.arrays.IntegerArray(values.astype(np.int32, copy=False), mask, copy=False)


class _Later:
    """What a :class:`LoadedTables` holds in place of a table not built yet (only code that
    reads a dict's slots directly, bypassing its methods, could ever see it)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}: built on first access>"


class LoadedTables(dict):  # type: ignore[type-arg]
    """What :func:`load` returns: a ``dict`` of DataFrames in which a derived table (the flat view)
    is built the first time it is looked at, not before.

    It behaves as the plain dict of every table would, for every use: its keys, ``len`` and
    ``in`` are those of every table asked for; ``[key]``, ``get``, ``values``, ``items``,
    ``pop``, ``copy``, ``repr``, ``==``, ``|``, ``dict(...)`` and ``{**...}`` give the built
    frames; pickling and ``copy`` give a plain dict of them. A table set or deleted before it was
    built is simply replaced or gone.
    """

    __slots__ = ("_builders",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._builders: dict[str, Callable[[], pd.DataFrame]] = {}

    def later(self, key: str, build: Callable[[], pd.DataFrame]) -> None:
        """Add ``key``, whose frame ``build()`` makes on first access."""
        dict.__setitem__(self, key, _Later(key))
        self._builders[key] = build

    def _built(self, key: object) -> None:
        build = self._builders.get(key)  # type: ignore[call-overload]
        if build is not None:
            frame = build()
            if self._builders.pop(key, None) is not None:  # not replaced meanwhile
                dict.__setitem__(self, key, frame)

    def _all_built(self) -> None:
        for key in list(self._builders):
            self._built(key)

    def __getitem__(self, key: str) -> pd.DataFrame:
        self._built(key)
        return dict.__getitem__(self, key)

    def __iter__(self) -> Iterator[str]:  # defined so that dict(self) and {**self} go through __getitem__
        return dict.__iter__(self)

    def get(self, key: str, default: object = None) -> object:
        return self[key] if key in self else default

    def values(self):  # type: ignore[no-untyped-def]
        self._all_built()
        return dict.values(self)

    def items(self):  # type: ignore[no-untyped-def]
        self._all_built()
        return dict.items(self)

    def pop(self, key: str, *default: object) -> object:
        self._built(key)
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, pd.DataFrame]:
        self._all_built()
        return dict.popitem(self)

    def setdefault(self, key: str, default: object = None) -> object:
        self._built(key)
        return dict.setdefault(self, key, default)

    def __setitem__(self, key: str, value: pd.DataFrame) -> None:
        self._builders.pop(key, None)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        self._builders.pop(key, None)
        dict.__delitem__(self, key)

    def update(self, *args: object, **kwargs: object) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: object) -> "LoadedTables":
        self.update(other)
        return self

    def __or__(self, other: object) -> dict[str, pd.DataFrame]:
        if not isinstance(other, dict):
            return NotImplemented
        merged = dict(self)
        merged.update(other)
        return merged

    def clear(self) -> None:
        self._builders.clear()
        dict.clear(self)

    def copy(self) -> dict[str, pd.DataFrame]:
        return dict(self)

    def __repr__(self) -> str:
        self._all_built()
        return dict.__repr__(self)

    def __eq__(self, other: object) -> bool:
        self._all_built()
        if isinstance(other, LoadedTables):
            other._all_built()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[dict[str, pd.DataFrame]]]:
        return dict, (dict(self),)


NAMES = (*TABLES, LINEAGE, FLAT)  # what load() can return, in the order it returns them


@contextmanager
def _allocating_with_malloc() -> Iterator[None]:
    """Arrow allocates with the C library's ``malloc`` while the flat view is built.

    pyarrow's default allocator, mimalloc, hands freed pages back to the kernel and faults new
    ones in: the flat view takes some 46 MB of new strings at 10,000 documents, and with
    mimalloc cost more system time (bench/README.md). Reading and converting the stored tables
    is faster with mimalloc (far fewer page faults), so :func:`load` reads with the pool it
    finds. A pool the user chose (``ARROW_DEFAULT_MEMORY_POOL``, or one set with
    ``pyarrow.set_memory_pool``) is kept; the buffers made meanwhile are freed by the pool that
    made them, so switching back is safe.
    """
    previous = pa.default_memory_pool()
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") or previous.backend_name != "mimalloc":
        yield
        return
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def load(out: str | Path, copies: Literal["current", "all"] = "current", strict: bool = False,
         tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed, plus ``goal_lineage`` and ``initiatives_flat``.

    ``copies="current"`` (the default) keeps one copy of each sheet; ``"all"`` keeps every
    copy. ``strict=True`` raises :class:`GradeError` on a grade outside A–E instead of warning.
    ``tables`` names the tables wanted (default: all of :data:`NAMES`): only those are read, with
    what they need (``documents`` for the current copies, the four tables of the flat view).

    The tables are read with pyarrow, reduced to the current copies in Arrow and turned into
    pandas once at the end. The answer is a :class:`LoadedTables`, a ``dict`` in every use, in
    which ``initiatives_flat`` (joined in Arrow) is built the first time it is looked at.
    """
    if copies not in COPIES:
        raise ValueError(f"copies must be one of {COPIES}, not {copies!r}")
    wanted = set(NAMES if tables is None else [tables] if isinstance(tables, str) else tables)
    if wanted - set(NAMES):
        raise ValueError(f"no table {', '.join(sorted(wanted - set(NAMES)))}; the tables are {', '.join(NAMES)}")
    return _load(check_output_folder(out), wanted, copies, strict)


# a file listed just before a run folded its partition is gone when opened: the listing is taken again
LISTING_ATTEMPTS = 5


def read_tables_again_if_folded(out: Path, names: tuple[str, ...], large_strings: bool = False
                                ) -> dict[str, pa.Table]:
    """:func:`read_tables`, listed and read again when a data file it listed is gone when opened: a
    run folded that partition in between (docs/batch.md: no file name serves two generations, so the
    new listing never mixes them). Up to :data:`LISTING_ATTEMPTS` times, a short pause between."""
    for attempt in range(1, LISTING_ATTEMPTS):
        try:
            return read_tables(out, names, large_strings)
        except FileNotFoundError:
            if not (out / "parquet").is_dir():
                raise
            time.sleep(0.02 * attempt)
    return read_tables(out, names, large_strings)  # the last attempt's error is the caller's


def _load(out: Path, wanted: set[str], copies: str, strict: bool) -> "LoadedTables":
    """:func:`load` once its arguments are checked."""
    stored = read_tables_again_if_folded(out, _to_read(wanted, copies), large_strings=True)  # pandas' string type
    unchosen = "documents" in stored and bool(stored["documents"].column("is_current").null_count)
    if unchosen and "sources" not in stored:  # the copies are chosen here: by their sources too
        stored["sources"] = read_tables_again_if_folded(out, ("sources",), True)["sources"]
    lineage = stored.pop(LINEAGE, None)
    codes = {} if unchosen else _grade_codes(stored)
    if unchosen or _has_bad_grades(stored, codes):
        frames = _load_slowly(stored, copies, strict, FLAT in wanted)  # is_current not stored yet, or odd grades
    else:
        if copies == "current" and "documents" in stored:
            current = _current_copies(stored)
            codes = codes if current is stored else {}  # rows dropped: the codes are computed again
            stored = current
        flat_sources = {name: stored[name].select(list(columns)) for name, columns in FLAT_SOURCES.items()} \
            if FLAT in wanted else None
        frames = {}
        for name in list(stored):  # each Arrow table let go once converted: a lower peak of memory
            frames[name] = _frame(name, stored.pop(name), codes)
    if lineage is not None:
        frames[LINEAGE] = _frame(LINEAGE, lineage)
    loaded = LoadedTables()
    for name in NAMES:
        if name == FLAT and name in wanted and name not in frames:
            loaded.later(FLAT, lambda: _flat_frame(flat_sources))  # the sources' columns kept in Arrow till then
        elif name in wanted:
            loaded[name] = frames[name]
    return loaded


def _flat_frame(sources: dict[str, pa.Table]) -> pd.DataFrame:
    """The flat view (:func:`flat_from_arrow`), Arrow allocating with malloc (:func:`_allocating_with_malloc`)."""
    with _allocating_with_malloc():
        return flat_from_arrow(sources)


def _to_read(wanted: set[str], copies: str) -> tuple[str, ...]:
    """The stored tables to read for ``wanted``: those, the flat view's sources, and ``documents``
    to keep the current copies of a document table."""
    need = (wanted - {FLAT}) | (set(FLAT_SOURCES) if FLAT in wanted else set())
    if copies == "current" and need & set(DOCUMENT_TABLES):
        need.add("documents")
    return tuple(name for name in (*TABLES, LINEAGE) if name in need)


def _current_copies(stored: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The document tables reduced to the current copies' rows (``documents.is_current``), in Arrow."""
    documents = stored["documents"]
    is_current = pc.fill_null(documents.column("is_current"), False)
    if pc.all(is_current).as_py() is not False:  # every document counts (or there is none): nothing to drop
        return stored
    current = documents.filter(is_current)
    ids = current.column("doc_id").combine_chunks()
    return {name: current if name == "documents" else
            table.filter(pc.is_in(table.column("doc_id").combine_chunks(), value_set=ids))
            if name in DOCUMENT_TABLES else table
            for name, table in stored.items()}


def _load_slowly(stored: dict[str, pa.Table], copies: str, strict: bool, flat: bool = True
                 ) -> dict[str, pd.DataFrame]:
    """:func:`load` in pandas, for the rare outputs that need it: ``is_current`` not yet stored
    (it is chosen here), or a grade outside A–E (which warns, or raises, over every copy read)."""
    tables = {name: typed(name, table, strict) for name, table in stored.items()}
    if "documents" in tables and tables["documents"]["is_current"].isna().any():
        tables["documents"] = choose_current(tables["documents"], tables["sources"])
    if copies == "current" and "documents" in tables:
        tables = keep_documents(tables, set(current_only(tables["documents"])["doc_id"]))
    if flat:
        with _allocating_with_malloc():
            tables[FLAT] = flat_initiatives(tables)
    return tables
