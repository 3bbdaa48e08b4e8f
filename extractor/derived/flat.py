"""``OUT/csv/initiatives_flat.csv``: one row per initiative of a current document, with its target,
goal, department and year: the table a researcher filters first, for Excel.

Built in Arrow (no pandas on the ingest path) by the same joins :func:`plansheet.load` uses
for its ``initiatives_flat`` frame (:func:`flat_table`), and written one CSV chunk per
document, so that a run writes again only the documents it touched
(:mod:`plansheet.output.csvs`): the same bytes as a whole write.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.output.dataset import Touched

FLAT = "initiatives_flat"
FLAT_COLUMNS = [
    "fiscal_year", "municipality", "department", "doc_id", "stage", "goal_no", "plan_goal_no", "plan_goal",
    "field", "goal_title", "overall_grade", "target_no", "target_text", "target_status", "target_grade",
    "initiative_no", "initiative_text", "section", "results", "source_file", "page",
]
# the columns of each table the flat view takes, and their names there
FLAT_SOURCES = {
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
    columns = FLAT_SOURCES[name]
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


_NUMBER_BITS = 20  # goal_no and target_no packed into an integer key: 0 … 2**20 - 2 (null as its own value)


def _number_code(column: pa.ChunkedArray | pa.Array) -> pa.Array | None:
    """A goal or target number as 1 + number (0 for null), or None when one does not fit the key."""
    column = pc.cast(column, pa.int64())
    low, high = pc.min_max(column).values()
    if (low.as_py() is not None and low.as_py() < 0) or (high.as_py() is not None and high.as_py() >= 2 ** _NUMBER_BITS - 1):
        return None
    return pc.fill_null(pc.add(column, 1), 0)


def _packed(doc: pa.Array, numbers: list[pa.ChunkedArray]) -> pa.Array | None:
    """One int64 per row packing a document's index and up to two numbers (None: a number does not fit)."""
    key = pc.cast(doc, pa.int64())
    for column in numbers:
        code = _number_code(column)
        if code is None:
            return None
        key = pc.add(pc.shift_left(key, _NUMBER_BITS), code)
    return key


def _flat_by_index(parts: dict[str, pa.Table]) -> pa.Table | None:
    """The flat view as :func:`_flat_by_lookup` builds it, with integer keys: each row's document is
    its index in ``documents`` and the numbers are packed beside it; the order is the documents'
    own order (department, year, doc_id) then goal and initiative number. None (the caller falls
    back) when a doc_id is missing from ``documents`` or twice in it, or a key repeats or overflows."""
    documents = parts["documents"]
    doc_ids = documents.column("doc_id").combine_chunks()
    if documents.num_rows >= 2 ** 22 or doc_ids.null_count or pc.count_distinct(doc_ids).as_py() != len(doc_ids):
        return None
    index = {name: pc.index_in(parts[name].column("doc_id"), value_set=doc_ids).combine_chunks()
             for name in ("targets", "goals", "initiatives")}
    if any(i.null_count for i in index.values()):
        return None
    inits = parts["initiatives"]
    rows: dict[str, pa.Array] = {"documents": index["initiatives"]}
    for name in ("targets", "goals"):
        numbers = [k for k in _FLAT_KEYS[name] if k != "doc_id"]
        right = _packed(index[name], [parts[name].column(k).combine_chunks() for k in numbers])
        left = _packed(index["initiatives"], [inits.column(k).combine_chunks() for k in numbers])
        if right is None or left is None or pc.count_distinct(right).as_py() != len(right):
            return None
        rows[name] = pc.index_in(left, value_set=right)
    rank = pc.sort_indices(documents, [(c, "ascending") for c in _FLAT_ORDER[:3]])  # doc_id unique: a total order
    position = pc.sort_indices(rank)  # the inverse permutation: each document's place in that order
    order = pc.sort_indices(pa.table({"document": position.take(rows["documents"]),
                                      **{c: inits.column(c) for c in _FLAT_ORDER[3:]}}),
                            [(c, "ascending") for c in ("document", *_FLAT_ORDER[3:])])  # stable, nulls last
    source = {c: name for name, part in parts.items() for c in part.column_names}  # initiatives last: its keys win
    return pa.table({c: inits.column(c).take(order) if source[c] == "initiatives"
                     else parts[source[c]].column(c).take(rows[source[c]].take(order)) for c in FLAT_COLUMNS})


def flat_table(tables: dict[str, pa.Table]) -> pa.Table:
    """The flat view's rows (``FLAT_COLUMNS``, sorted by department, year, doc_id and numbers) from
    the stored tables of the documents it shows (``documents``, ``goals``, ``targets``, ``initiatives``).

    An initiative without a target (``target_no`` null) keeps null target columns.
    """
    parts = {name: _flat_part(name, tables[name]) for name in ("targets", "goals", "documents", "initiatives")}
    flat = _flat_by_index(parts)
    if flat is None:
        flat = _flat_by_lookup(parts)
    if flat is None:
        flat = _flat_by_joins(parts)
    return flat.select(FLAT_COLUMNS)


# values a category column may hold; any other shows as empty (load() makes it a missing category)
_CATEGORIES = {"overall_grade": list("ABCDE"), "target_grade": list("ABCDE"), "stage": ["plan", "result"]}


def _flat_chunks(flat: pa.Table) -> dict[str, tuple[str, bytes]]:
    """The flat CSV's chunks: one per document, ordered by department, fiscal year and doc_id."""
    from plansheet.output.csvs import format_rows

    for column, allowed in _CATEGORIES.items():
        values = flat.column(column)
        kept = pc.if_else(pc.is_in(values, value_set=pa.array(allowed, pa.string())), values, None)
        flat = flat.set_column(flat.schema.get_field_index(column), column, kept)
    grouped: dict[str, tuple[str, list[list[object]]]] = {}
    doc, department, year = (FLAT_COLUMNS.index(c) for c in ("doc_id", "department", "fiscal_year"))
    for row in zip(*(flat.column(c).to_pylist() for c in FLAT_COLUMNS)):
        doc_id = str(row[doc])
        order = f"{row[department] or ''}\0{row[year] or 0:06d}\0{doc_id}"
        grouped.setdefault(doc_id, (order, []))[1].append(list(row))
    return {doc_id: (order, format_rows(rows)) for doc_id, (order, rows) in grouped.items()}


def _flat_of(out: Path, documents: pa.Table, whole: bool) -> pa.Table:
    """The flat view of the current ones of ``documents`` (reading every stored row when ``whole``)."""
    from plansheet.derived.lineage import rows_of_documents
    from plansheet.output.dataset import part_files, read_parts

    current = documents.filter(pc.fill_null(documents.column("is_current"), False))
    ids = current.column("doc_id")
    tables = {"documents": current}
    for name, columns in FLAT_SOURCES.items():
        if name == "documents":
            continue
        rows = read_parts(out, name, part_files(out, name), None, list(columns)) if whole else \
            rows_of_documents(out, name, current, list(columns))
        tables[name] = rows.filter(pc.is_in(rows.column("doc_id"), value_set=ids))
    return flat_table(tables)


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


