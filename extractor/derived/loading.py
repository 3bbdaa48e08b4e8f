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

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from plansheet.derived.current import choose_current, current_only
from plansheet.derived.lineage import TABLE as LINEAGE, Relation, read_lineage
from plansheet.errors import PlansheetError
from plansheet.results import Status
from plansheet.output.rows import DOCUMENT_TABLES, TABLES
from plansheet.output.writers import read_table

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.output.dataset import Touched

GRADES = pd.CategoricalDtype(["A", "B", "C", "D", "E"], ordered=True)
STAGES = pd.CategoricalDtype(["plan", "result"])
STATUSES = pd.CategoricalDtype([s.value for s in Status])
RELATIONS = pd.CategoricalDtype([r.value for r in Relation])
GRADE_COLUMNS = {("goals", "overall_grade"), ("targets", "grade"), ("grade_scale", "grade")}
CATEGORIES: dict[tuple[str, str], pd.CategoricalDtype] = {
    **{key: GRADES for key in GRADE_COLUMNS},
    ("documents", "stage"): STAGES, ("sources", "status"): STATUSES, (LINEAGE, "relation"): RELATIONS,
}
FLAT = "initiatives_flat"
FLAT_COLUMNS = [
    "fiscal_year", "municipality", "department", "doc_id", "stage", "goal_no", "plan_goal_no", "plan_goal",
    "field", "goal_title", "overall_grade", "target_no", "target_text", "target_status", "target_grade",
    "initiative_no", "initiative_text", "section", "results", "source_file", "page",
]
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
    warnings.warn(message, GradeWarning, stacklevel=4)


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
             for name, columns in _FLAT_SOURCES.items()}
    return flat_from_arrow(arrow)


# the columns of each table the flat view takes, and their names there
_FLAT_SOURCES = {
    "initiatives": {"doc_id": "doc_id", "goal_no": "goal_no", "initiative_no": "initiative_no",
                    "target_no": "target_no", "text": "initiative_text", "section": "section", "results": "results",
                    "page": "page"},
    "targets": {"doc_id": "doc_id", "goal_no": "goal_no", "target_no": "target_no", "text": "target_text",
                "status": "target_status", "grade": "target_grade"},
    "goals": {"doc_id": "doc_id", "goal_no": "goal_no", "plan_goal_no": "plan_goal_no", "plan_goal": "plan_goal",
              "field": "field", "title": "goal_title", "overall_grade": "overall_grade"},
    "documents": {"doc_id": "doc_id", "fiscal_year": "fiscal_year", "municipality": "municipality",
                  "department": "department", "stage": "stage", "source_file": "source_file"},
}
_FLAT_KEYS = {"targets": ["doc_id", "goal_no", "target_no"], "goals": ["doc_id", "goal_no"], "documents": ["doc_id"]}
_FLAT_ORDER = ["department", "fiscal_year", "doc_id", "goal_no", "initiative_no"]


def _flat_part(name: str, table: pa.Table) -> pa.Table:
    """``table``'s columns for the flat view, renamed, as plain Arrow types."""
    columns = _FLAT_SOURCES[name]
    part = table.select(list(columns)).rename_columns(list(columns.values()))
    return part.cast(pa.schema([pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type)
                                         or pa.types.is_large_string(f.type) else f.type) for f in part.schema]))


def _key(table: pa.Table, keys: list[str]) -> pa.ChunkedArray:
    """One string per row joining ``keys``' values; a null value is a value of its own, so a null
    key matches a null one (as in pandas' ``merge``)."""
    parts = [pc.cast(table.column(k), pa.string()) for k in keys]
    return pc.binary_join_element_wise(*parts, "\x1f", null_handling="replace", null_replacement="\0")


def _left_join(left: pa.Table, right: pa.Table, keys: list[str]) -> pa.Table:
    """pandas' ``merge(left, right, on=keys, how="left")`` in Arrow, rows in the same order."""
    numbered = left.append_column("_key", _key(left, keys)).append_column(
        "_left", pa.array(range(left.num_rows), pa.int64()))
    others = right.drop_columns(keys).append_column("_key", _key(right, keys)).append_column(
        "_right", pa.array(range(right.num_rows), pa.int64()))
    joined = numbered.join(others, "_key", join_type="left outer")
    joined = joined.take(pc.sort_indices(joined, [("_left", "ascending"), ("_right", "ascending")]))
    return joined.drop_columns(["_key", "_left", "_right"])


def _flat_by_joins(parts: dict[str, pa.Table]) -> pa.Table:
    """The flat view's rows when a key occurs twice (an initiative then has several matches)."""
    flat = parts["initiatives"]
    for name, keys in _FLAT_KEYS.items():
        flat = _left_join(flat, parts[name], keys)
    return flat.take(pc.sort_indices(flat, [(c, "ascending") for c in _FLAT_ORDER]))


def _flat_by_lookup(parts: dict[str, pa.Table]) -> pa.Table | None:
    """The flat view's rows when every target, goal and document key is unique (the normal case):
    each initiative looks up its one match, and every column is taken once, in the final order."""
    inits = parts["initiatives"]
    rows: dict[str, pa.ChunkedArray | pa.Array] = {}
    for name, keys in _FLAT_KEYS.items():
        rkey = _key(parts[name], keys)
        if pc.count_distinct(rkey, mode="all").as_py() != len(rkey):
            return None
        rows[name] = pc.index_in(_key(inits, keys), value_set=rkey.combine_chunks())
    source = {c: name for name, part in parts.items() for c in part.column_names}  # initiatives last: its keys win
    def column(c: str) -> pa.ChunkedArray | pa.Array:
        part = parts[source[c]]
        return part.column(c) if source[c] == "initiatives" else part.column(c).take(rows[source[c]])
    keys = pa.table({c: column(c) for c in _FLAT_ORDER})
    order = pc.sort_indices(keys, [(c, "ascending") for c in _FLAT_ORDER])  # stable, nulls last: pandas' order
    return pa.table({c: column(c).take(order) for c in FLAT_COLUMNS})


def flat_from_arrow(tables: dict[str, pa.Table]) -> pd.DataFrame:
    """The flat view (see :func:`flat_initiatives`) built in Arrow from the stored tables."""
    parts = {name: _flat_part(name, tables[name]) for name in ("targets", "goals", "documents", "initiatives")}
    flat = _flat_by_lookup(parts)
    if flat is None:
        flat = _flat_by_joins(parts)
    frame = flat.select(FLAT_COLUMNS).to_pandas(types_mapper=_TYPES.get)
    for column, dtype in (("overall_grade", GRADES), ("target_grade", GRADES), ("stage", STAGES)):
        frame[column] = _categorical(flat.column(column), dtype)
    return frame


def keep_documents(tables: dict[str, pd.DataFrame], doc_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The document tables reduced to the rows of ``doc_ids`` (other tables unchanged)."""
    return {name: frame[frame["doc_id"].isin(doc_ids)].reset_index(drop=True) if name in DOCUMENT_TABLES else frame
            for name, frame in tables.items()}


def _flat_chunks(flat: pd.DataFrame) -> dict[str, tuple[str, bytes]]:
    """The flat CSV's chunks: one per document, ordered by department, fiscal year and doc_id."""
    from plansheet.output.csvs import format_rows

    grouped: dict[str, tuple[str, list[list[object]]]] = {}
    for row in flat.astype(object).itertuples(index=False, name=None):
        values = [None if pd.isna(v) else v for v in row]
        record = dict(zip(FLAT_COLUMNS, values))
        doc_id = str(record["doc_id"])
        order = f"{record['department'] or ''}\0{record['fiscal_year'] or 0:06d}\0{doc_id}"
        grouped.setdefault(doc_id, (order, []))[1].append(values)
    return {doc_id: (order, format_rows(rows)) for doc_id, (order, rows) in grouped.items()}


FLAT_SOURCES = {  # the columns of each table the flat view reads
    "goals": ["doc_id", "goal_no", "plan_goal_no", "plan_goal", "field", "title", "overall_grade"],
    "targets": ["doc_id", "goal_no", "target_no", "text", "status", "grade"],
    "initiatives": ["doc_id", "goal_no", "initiative_no", "target_no", "text", "section", "results", "page"],
}


def _flat_of(out: Path, documents: pa.Table, whole: bool) -> pd.DataFrame:
    """The flat view of the current ones of ``documents`` (every stored row when ``whole``)."""
    from plansheet.derived.lineage import rows_of_documents
    from plansheet.output.dataset import part_files, read_parts

    tables = {"documents": typed("documents", documents)}
    for name, columns in FLAT_SOURCES.items():
        rows = read_parts(out, name, part_files(out, name), None, columns) if whole else \
            rows_of_documents(out, name, documents, columns)
        tables[name] = typed(name, rows)
    return flat_initiatives(keep_documents(tables, set(current_only(tables["documents"])["doc_id"])))


def write_flat_csv(out: Path, touched: "Touched | None" = None, documents: pa.Table | None = None) -> Path:
    """Write ``OUT/csv/initiatives_flat.csv``: the current copies' initiatives, one a row, with
    their goal, target, department and year (by department, year, doc_id and numbers), for Excel.

    With ``touched`` (what a run changed) only the documents of those sources are written
    again (one CSV chunk per document, :mod:`plansheet.output.csvs`); the same bytes as whole.
    ``documents`` is the ``documents`` table as :func:`plansheet.derived.current.mark_current`
    left it (read here when not given).
    """
    from plansheet.derived.current import DOC_COLUMNS
    from plansheet.output.csvs import read_index, write_csv
    from plansheet.output.dataset import part_files, read_parts, row_keys

    target = out / "csv" / f"{FLAT}.csv"
    if documents is None:
        documents = read_parts(out, "documents", part_files(out, "documents"), None, DOC_COLUMNS)
    indexed = read_index(out, FLAT) if touched is not None else None
    if touched is not None and indexed is not None:
        keys = touched.keys()
        if not keys:
            return target
        mine = documents.filter(pa.array([k in keys for k in row_keys("documents", documents)], pa.bool_()))
        changed = _flat_chunks(_flat_of(out, mine, whole=False))
        removed = indexed.chunks_starting(keys, 16) - set(changed)
        if write_csv(out, FLAT, FLAT_COLUMNS, changed, removed):
            return target
    if touched is not None:  # ``documents`` holds only the sheets chosen again
        documents = read_parts(out, "documents", part_files(out, "documents"), None, DOC_COLUMNS)
    write_csv(out, FLAT, FLAT_COLUMNS, _flat_chunks(_flat_of(out, documents, whole=True)), full=True)
    return target


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


def load(out: str | Path, copies: Literal["current", "all"] = "current",
         strict: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed, plus ``goal_lineage`` and ``initiatives_flat``.

    ``copies="current"`` (the default) keeps one copy of each sheet; ``"all"`` keeps every
    copy. ``strict=True`` raises :class:`GradeError` on a grade outside A–E instead of warning.

    The tables are read with pyarrow, reduced to the current copies and joined into the flat
    view in Arrow, and turned into pandas once at the end.
    """
    if copies not in COPIES:
        raise ValueError(f"copies must be one of {COPIES}, not {copies!r}")
    out = check_output_folder(out)
    stored = read_tables(out, (*TABLES, LINEAGE))
    lineage = stored.pop(LINEAGE)
    if stored["documents"].column("is_current").null_count or any(_has_bad_grades(n, t) for n, t in stored.items()):
        tables = _load_slowly(stored, copies, strict)  # written before the choice was stored, or odd grades
    else:
        if copies == "current":
            stored = _current_copies(stored)
        flat = flat_from_arrow(stored)
        tables = {name: _frame(name, table) for name, table in stored.items()}
        tables[FLAT] = flat
    flat = tables.pop(FLAT)
    return {**tables, LINEAGE: _frame(LINEAGE, lineage), FLAT: flat}


def _current_copies(stored: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The document tables reduced to the current copies' rows (``documents.is_current``), in Arrow."""
    documents = stored["documents"]
    current = documents.filter(pc.fill_null(documents.column("is_current"), False))
    ids = current.column("doc_id").combine_chunks()
    return {name: current if name == "documents" else
            table.filter(pc.is_in(table.column("doc_id"), value_set=ids)) if name in DOCUMENT_TABLES else table
            for name, table in stored.items()}


def _load_slowly(stored: dict[str, pa.Table], copies: str, strict: bool) -> dict[str, pd.DataFrame]:
    """:func:`load` in pandas, for the rare outputs that need it: ``is_current`` not yet stored
    (it is chosen here), or a grade outside A–E (which warns, or raises, over every copy)."""
    tables = {name: typed(name, table, strict) for name, table in stored.items()}
    if tables["documents"]["is_current"].isna().any():
        tables["documents"] = choose_current(tables["documents"], tables["sources"])
    if copies == "current":
        tables = keep_documents(tables, set(current_only(tables["documents"])["doc_id"]))
    tables[FLAT] = flat_initiatives(tables)
    return tables
