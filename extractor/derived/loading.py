"""Read an output folder back as typed pandas DataFrames, for notebooks and the report.

``load(DIR)`` returns one DataFrame per table (the SCHEMA tables and ``goal_lineage``)
plus ``initiatives_flat``: one row per initiative with its target, goal, department,
year and grades, the table a researcher filters first.

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
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from plansheet.derived.current import choose_current, current_only
from plansheet.derived.flat import FLAT, FLAT_COLUMNS, FLAT_SOURCES, flat_table
from plansheet.derived.lineage import TABLE as LINEAGE, Relation, read_lineage
from plansheet.errors import PlansheetError
from plansheet.results import Status
from plansheet.output.rows import DOCUMENT_TABLES, TABLES
from plansheet.output.writers import read_table


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
_TYPES = {pa.int32(): pd.Int32Dtype(), pa.string(): pd.StringDtype(), pa.bool_(): pd.BooleanDtype()}


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


def read_tables(out: Path, names: tuple[str, ...]) -> dict[str, pa.Table]:
    """The stored tables ``names`` (``goal_lineage`` among them if asked) as Arrow tables.

    One after another: pyarrow already reads a table's files on every core, and a table
    read at a time keeps the peak memory low.
    """
    return {name: read_lineage(out) if name == LINEAGE else read_table(out, name) for name in names}


def _categorical(column: pa.ChunkedArray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """An Arrow string column as a pandas categorical of ``dtype`` (a value outside it becomes missing)."""
    codes = pc.fill_null(pc.index_in(column, value_set=pa.array(list(dtype.categories), pa.string())), -1)
    return pd.Categorical.from_codes(codes.to_numpy(), dtype=dtype)


def _has_bad_grades(name: str, table: pa.Table) -> bool:
    """Whether a grade column of ``table`` holds a value outside A–E."""
    allowed = pa.array(list(GRADES.categories), pa.string())
    return any(column in table.column_names
               and pc.any(pc.and_(pc.is_valid(table.column(column)),
                                  pc.invert(pc.is_in(table.column(column), value_set=allowed)))).as_py()
               for tname, column in GRADE_COLUMNS if tname == name)


def _frame(name: str, table: pa.Table) -> pd.DataFrame:
    """One table whose grades are all A–E (or null) as :func:`typed` makes it, the categoricals built in Arrow."""
    frame = table.to_pandas(types_mapper=_TYPES.get)
    for (tname, column), dtype in CATEGORIES.items():
        if tname == name and column in frame.columns:
            frame[column] = _categorical(table.column(column), dtype)
    return frame


NAMES = (*TABLES, LINEAGE, FLAT)  # what load() can return, in the order it returns them


@contextmanager
def _allocating_with_malloc() -> Iterator[None]:
    """Arrow allocates with the C library's ``malloc`` for the duration of a :func:`load`.

    pyarrow's default allocator, mimalloc, hands freed pages back to the kernel and faults new
    ones in: :func:`load` builds a few hundred MB of tables at 10,000 documents, and spent
    0.1–0.5 s of system time on it (median 0.41 s against 0.13 s with ``malloc``, measured in
    fresh processes; bench/README.md). A pool the user chose (``ARROW_DEFAULT_MEMORY_POOL``, or
    one set with ``pyarrow.set_memory_pool``) is kept; the buffers made meanwhile are freed by
    the pool that made them, so switching back is safe.
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

    The tables are read with pyarrow, reduced to the current copies and joined into the flat
    view in Arrow, and turned into pandas once at the end.
    """
    if copies not in COPIES:
        raise ValueError(f"copies must be one of {COPIES}, not {copies!r}")
    wanted = set(NAMES if tables is None else [tables] if isinstance(tables, str) else tables)
    if wanted - set(NAMES):
        raise ValueError(f"no table {', '.join(sorted(wanted - set(NAMES)))}; the tables are {', '.join(NAMES)}")
    out = check_output_folder(out)
    with _allocating_with_malloc():
        return _load(out, wanted, copies, strict)


def _load(out: Path, wanted: set[str], copies: str, strict: bool) -> dict[str, pd.DataFrame]:
    """:func:`load` once its arguments are checked."""
    stored = read_tables(out, _to_read(wanted, copies))
    unchosen = "documents" in stored and bool(stored["documents"].column("is_current").null_count)
    if unchosen and "sources" not in stored:
        stored["sources"] = read_table(out, "sources")  # the copies are chosen here: by their sources too
    lineage = stored.pop(LINEAGE, None)
    if unchosen or any(_has_bad_grades(n, t) for n, t in stored.items()):
        frames = _load_slowly(stored, copies, strict, FLAT in wanted)  # is_current not stored yet, or odd grades
    else:
        if copies == "current" and "documents" in stored:
            stored = _current_copies(stored)
        frames = {FLAT: flat_from_arrow(stored)} if FLAT in wanted else {}
        for name in list(stored):  # each Arrow table let go once converted: a lower peak of memory
            frames[name] = _frame(name, stored.pop(name))
    if lineage is not None:
        frames[LINEAGE] = _frame(LINEAGE, lineage)
    return {name: frames[name] for name in NAMES if name in wanted}


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
        tables[FLAT] = flat_initiatives(tables)
    return tables
