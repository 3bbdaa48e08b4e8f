"""Which copy of a sheet counts: one *current* document per sheet, chosen by one function.

The same sheet often arrives several times: as a PDF, a scan, an ``.xlsx``, a text
export, and inside a compiled volume. Each copy is a ``documents`` row of its own. Two
documents are copies of one sheet when they share municipality, department, fiscal year
and stage (``plan`` and ``result`` are different sheets). Among the copies of a sheet,
:func:`choose_current` keeps exactly one as current, by these rules in order:

1. a copy whose source is active before one whose source is ``gone``, ``retired`` or
   ``superseded`` (``sources.state`` of ``plansheet ingest``: a copy whose bytes no current
   source holds is never current);
2. a copy read ``ok`` before one read ``partial``;
3. the best extraction method: text layer, workbook, text export, mixed, then OCR;
4. the newest source (``sources.source_modified``: the file's modification time, for a URL
   when its current bytes were downloaded); not ``extracted_at``, which a re-run restamps;
5. the smallest ``doc_id`` (a stable tie-break).

Every other copy gets ``is_current = False``, ``copy_of`` = the current copy's doc_id and
``copy_reason`` = the first rule that decided (:class:`CopyReason`), or ``differs`` when the copy
gives a grade otherwise than the current copy (:mod:`plansheet.derived.differs`: the run warns,
naming the field and both values). A document without a
department or fiscal year cannot be matched and is always current.

A department's municipality is often missing (the sheets rarely print it):
:func:`resolved_municipality` lets a null municipality join the department's one named
municipality, so a run with ``--municipality`` and one without never split a sheet or a
lineage chain; a department with several named municipalities and nulls is warned about.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from plansheet.output.dataset import Touched

log = logging.getLogger(__name__)

METHOD_RANK = {"text_layer": 0, "workbook": 1, "text_export": 2, "mixed": 3, "ocr": 4}
INACTIVE_STATES = frozenset({"retired", "superseded", "gone"})
COLUMNS = ["is_current", "copy_of", "copy_reason"]


class CopyReason(str, Enum):
    """Why a document is not the current copy of its sheet (the first rule that decided)."""

    SOURCE_INACTIVE = "source_inactive"  # its source was retired or superseded
    PARTIAL = "partial"                  # its source was read only partly; another copy was read ok
    METHOD = "method"                    # another copy was read by a better extraction method
    OLDER = "older"                      # another copy, read as well, comes from a newer source
    DUPLICATE = "duplicate"              # an equal copy with a smaller doc_id was kept
    DIFFERS = "differs"                  # chosen by the rules above, but it gives a value otherwise (a grade)


Rows = Mapping[str, Sequence[object]]  # column name → values (None for a null)


def source_keys(rows: Rows) -> list[str]:
    """Each row's source: its SHA-256, else (no hash column or value) its source_file."""
    files = rows["source_file"]
    shas = rows["source_sha256"] if "source_sha256" in rows else [None] * len(files)
    return [str(f) if s is None else str(s) for s, f in zip(shas, files)]


def states_of(sources: Rows | None) -> dict[str, str]:
    """Each content's state from ``sources.state``: ``current`` when any source holding those bytes is."""
    states: dict[str, str] = {}
    if sources is None or "state" not in sources or not len(sources["state"]):
        return states
    for key, state in zip(source_keys(sources), sources["state"]):
        if state is None:
            continue
        if states.get(key) != "current":
            states[key] = str(state)
    return states


def _timestamp(value: object) -> float:
    return value.timestamp() if isinstance(value, datetime) else 0.0


def source_facts(documents: Rows, sources: Rows | None) -> tuple[list[int], list[float]]:
    """Per document: 1 if its source was read only partly (else 0), and minus its source's modification time."""
    status: dict[str, str] = {}
    stamp: dict[str, float] = {}
    if sources is not None and len(sources["status"]):
        times = sources["source_modified"] if "source_modified" in sources else [None] * len(sources["status"])
        for key, st, at in zip(source_keys(sources), sources["status"], times):  # several names, one content:
            status[key] = "ok" if status.get(key) == "ok" else str(st)  # read ok by any, and its newest
            stamp[key] = min(stamp.get(key, 0.0), -_timestamp(at) if at is not None else 0.0)
    keys = source_keys(documents)
    return ([1 if status.get(k) == "partial" else 0 for k in keys], [stamp.get(k, 0.0) for k in keys])


def resolve_municipalities(municipalities: Sequence[str | None], departments: Sequence[str | None],
                           quiet: bool = False) -> list[str | None]:
    """:func:`resolved_municipality` over plain columns (``quiet``: the caller's run has said it already)."""
    named: dict[str, list[str]] = {}
    unnamed: dict[str, list[int]] = {}  # the rows of each department that name no municipality
    for i, (m, d) in enumerate(zip(municipalities, departments)):
        if d is None:
            continue
        if m is None:
            unnamed.setdefault(d, []).append(i)
        elif m not in named.setdefault(d, []):
            named[d].append(m)
    filled = list(municipalities)
    for department in sorted(named):
        values, nulls = named[department], unnamed.get(department, [])
        if not nulls:
            continue
        if len(values) == 1:
            for i in nulls:
                filled[i] = values[0]
            if not quiet:
                log.warning("%s: %d document(s) name no municipality; counted as %s (the department's only one); "
                            "give --municipality to record it", department, len(nulls), values[0])
        elif not quiet:
            log.warning("%s: documents name the municipalities %s and %d name none; those stay apart "
                        "(give --municipality)", department, ", ".join(sorted(values)), len(nulls))
    return filled


def choose(documents: Rows, sources: Rows | None = None,
           source_states: Mapping[str, str] | None = None) -> tuple[list[bool], list[str | None], list[str | None]]:
    """``is_current``, ``copy_of`` and ``copy_reason`` of every document (the rules of the module
    docstring), over plain columns: the one implementation :func:`choose_current` (DataFrames)
    and :func:`mark_current` (Arrow) share."""
    ids = [str(d) for d in documents["doc_id"]]
    n = len(ids)
    states = source_states if source_states is not None else states_of(sources)
    partial, newest = source_facts(documents, sources)
    keys = source_keys(documents)
    municipality = [m or "" for m in resolve_municipalities(documents["municipality"], documents["department"])]
    ranks = [(1 if states.get(keys[i]) in INACTIVE_STATES else 0, partial[i],
              METHOD_RANK.get(str(documents["extraction_method"][i]), 9), newest[i], ids[i]) for i in range(n)]
    sheets: dict[tuple, list[int]] = {}
    for i in sorted(range(n), key=lambda i: ranks[i]):
        department, year = documents["department"][i], documents["fiscal_year"][i]
        if department is None or year is None:
            department = "\0" + ids[i]  # a sheet of its own
        sheets.setdefault((municipality[i], department, year, documents["stage"][i]), []).append(i)
    is_current = [False] * n
    copy_of: list[str | None] = [None] * n
    reason: list[str | None] = [None] * n
    reasons = list(CopyReason)
    for members in sheets.values():
        best = members[0]
        if ranks[best][0]:  # every copy's source is retired or superseded: none counts
            for i in members:
                reason[i] = CopyReason.SOURCE_INACTIVE.value
            continue
        is_current[best] = True
        for i in members[1:]:
            copy_of[i] = ids[best]
            reason[i] = next(r for r, a, b in zip(reasons, ranks[i], ranks[best]) if a != b).value
    return is_current, copy_of, reason


def plain_columns(frame: "pd.DataFrame | None") -> Rows | None:
    """A DataFrame as plain columns (a missing value as None)."""
    if frame is None:
        return None
    import pandas as pd

    return {str(c): [None if v is pd.NA or v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v))
                     else v for v in frame[c].astype(object).tolist()] for c in frame.columns}


def resolved_municipality(documents: "pd.DataFrame") -> "pd.Series":
    """Each document's municipality, a null one filled with its department's single named value.

    A department whose documents name two or more municipalities keeps its nulls null
    (which city they belong to cannot be told) and is logged as a warning.
    """
    import pandas as pd

    if documents.empty:
        return pd.Series(dtype="string")
    rows = plain_columns(documents[["municipality", "department"]])
    assert rows is not None
    filled = resolve_municipalities(rows["municipality"], rows["department"])
    return pd.Series(filled, index=documents.index, name="municipality", dtype="string")


def choose_current(documents: "pd.DataFrame", sources: "pd.DataFrame | None" = None,
                   source_states: Mapping[str, str] | None = None) -> "pd.DataFrame":
    """``documents`` with ``is_current``, ``copy_of`` and ``copy_reason`` set (same row order).

    ``sources`` (the ``sources`` table) gives each copy's read status and its source's
    modification time (``source_modified``); ``source_states`` maps a ``source_sha256`` to its
    state (only ``gone``, ``retired`` and ``superseded`` matter: such a source's documents are
    never current); by default it is read from ``sources.state`` (:func:`states_of`).
    """
    import pandas as pd

    docs = documents.drop(columns=[c for c in COLUMNS if c in documents.columns])
    if docs.empty:
        return docs.assign(is_current=pd.Series(dtype="boolean"), copy_of=pd.Series(dtype="string"),
                           copy_reason=pd.Series(dtype="string"))
    rows = plain_columns(docs)
    assert rows is not None
    is_current, copy_of, reason = choose(rows, plain_columns(sources), source_states)
    return docs.assign(is_current=pd.Series(is_current, index=docs.index, dtype="boolean"),
                       copy_of=pd.Series(copy_of, index=docs.index, dtype="string"),
                       copy_reason=pd.Series(reason, index=docs.index, dtype="string"))


def current_only(documents: "pd.DataFrame") -> "pd.DataFrame":
    """The current documents of a frame that has ``is_current`` (see :func:`choose_current`)."""
    return documents[documents["is_current"].fillna(False).astype(bool)]


def _with_read_status(out: Path, sources: Rows) -> Rows:
    """``sources`` with a ``skipped`` (unchanged) source's status replaced by its last reading's, from the catalog.

    ``plansheet ingest`` rewrites an unchanged source's row as ``skipped``; whether it was
    read ``ok`` or ``partial`` is then only in ``OUT/catalog.sqlite``.
    """
    catalog = out / "catalog.sqlite"  # batch.catalog.CATALOG_NAME (batch sits above derived)
    skipped = sorted({str(sha) for sha, st in zip(sources["source_sha256"], sources["status"]) if str(st) == "skipped"})
    if not skipped or not catalog.is_file():
        return sources
    try:  # only the skipped sources' contents (by the index on sha256): not every source the archive holds
        db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
        try:
            read = {}
            for start in range(0, len(skipped), 500):  # within SQLite's limit of bound values
                part = skipped[start:start + 500]
                read.update(db.execute(f"SELECT sha256, status FROM files WHERE sha256 IN ({', '.join('?' * len(part))})"
                                       " ORDER BY rowid", part).fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return sources
    status = [read.get(str(sha), st) if str(st) == "skipped" else st
              for sha, st in zip(sources["source_sha256"], sources["status"])]
    return {**sources, "status": status}


def sheet_scope(documents: pa.Table, keys: set[str], removed_pairs: set[tuple[str, str]]) -> pa.Array:
    """Which documents share a sheet (or a department's municipality) with the touched sources.

    The documents of ``keys`` and of ``removed_pairs`` ((municipality or "", department) of
    documents removed) name (municipality, department) pairs; every document of those pairs is
    in scope, and of the whole department where one of its documents names no municipality
    (:func:`resolved_municipality` fills it from the department's others).
    """
    from plansheet.output.dataset import has_key

    municipality = pc.fill_null(documents.column("municipality"), "")
    department = pc.fill_null(documents.column("department"), "")
    hit = has_key("documents", documents, keys)
    pairs = set(removed_pairs) | set(zip(municipality.filter(hit).to_pylist(), department.filter(hit).to_pylist()))
    touched = pa.array(sorted({d for _, d in pairs}), pa.string())
    nameless = pc.and_(pc.equal(municipality, ""), pc.is_in(department, value_set=touched))
    wide = {d for m, d in pairs if not m} | set(pc.unique(department.filter(nameless)).to_pylist())
    joined = pc.binary_join_element_wise(municipality, department, "\x1f")
    in_pairs = pc.is_in(joined, value_set=pa.array(sorted(f"{m}\x1f{d}" for m, d in pairs), pa.string()))
    return pc.or_(in_pairs, pc.is_in(department, value_set=pa.array(sorted(wide), pa.string())))


DOC_COLUMNS = ["doc_id", "source_file", "source_sha256", "extraction_method", "municipality", "fiscal_year",
               "stage", "department", "is_current", "copy_of", "copy_reason"]  # what the choice and its followers read
SOURCE_COLUMNS = ["source_sha256", "source_file", "status", "source_modified", "state"]


def mark_current(out: Path, source_states: Mapping[str, str] | None = None,
                 touched: "Touched | None" = None,
                 before_writing: Callable[[dict[str, list[str]]], None] | None = None,
                 ) -> tuple[dict[str, list[str]], pa.Table, pa.Table]:
    """Set ``is_current`` / ``copy_of`` / ``copy_reason`` in the stored ``documents`` files of ``out``.

    Called by :func:`plansheet.batch.finish.finish_output` after the merge (holding the
    output's lock); only the part files whose values change are rewritten (temp name, then
    rename). With ``touched`` (what the merge changed) only the sheets of those sources are
    chosen again (:func:`sheet_scope`); without it, every sheet. Returns the source keys whose
    documents changed, each with its part files (relative to ``out``), so that the CSVs and
    ``goal_lineage`` follow them; and the documents whose sheets were chosen again
    (:data:`DOC_COLUMNS`; every document without ``touched``) as they stand after the choice:
    the documents of every (municipality, department) pair the lineage and the flat CSV
    recompute, so that they need not read the table again; and the ``sources`` rows of those
    documents (:func:`sources_of`). ``before_writing`` is given the changed keys before the first
    part file is rewritten (the finish notes them, so that a run killed among the writes leaves
    the CSVs' work noted for the next run: once written, a value no longer shows as a change).
    """
    from plansheet.output.dataset import (bucket_of, key_prefix, part_files, part_name, read_parts, slot_files,
                                          slot_name, write_part)
    from plansheet.output.rows import stored_schema
    from plansheet.output.writers import read_file

    paths = None
    if touched is None:
        table = read_parts(out, "documents", part_files(out, "documents"), None, DOC_COLUMNS)
    else:
        keys = touched.keys()  # a touched sources row (keyed by its name) touches the content it holds
        named = {k: f for k, f in touched.files.get("sources", {}).items() if f}
        if named:
            rows = read_parts(out, "sources", sorted({f for fs in named.values() for f in fs}), set(named),
                              ["source_sha256"])
            keys |= {s[:16] for s in rows.column("source_sha256").to_pylist() if s}
        every = read_parts(out, "documents", part_files(out, "documents"), None,  # a few columns of every document
                           ["doc_id", "municipality", "department", "fiscal_year"])
        scope = every.filter(sheet_scope(every, keys, touched.removed_pairs))
        if scope.num_rows == 0:
            return {}, read_parts(out, "documents", [], None, DOC_COLUMNS), read_parts(out, "sources", [], None,
                                                                                       SOURCE_COLUMNS)
        paths = sorted({out / "parquet" / "documents" / f"fiscal_year={y}" / part_name(bucket_of(d[:16]))
                        for y, d in zip(scope.column("fiscal_year").to_pylist(), scope.column("doc_id").to_pylist())})
        ids = scope.column("doc_id")
        table = read_parts(out, "documents", [p.relative_to(out).as_posix() for p in paths],
                           set(key_prefix(ids).to_pylist()), DOC_COLUMNS)
        table = table.filter(pc.is_in(table.column("doc_id"), value_set=ids))
    sources_table = sources_of(out, table)
    sources = sources_table.to_pydict()
    chosen = choose(table.to_pydict(), _with_read_status(out, sources), source_states)
    ids = table.column("doc_id").to_pylist()
    chosen = _saying_otherwise(out, table, ids, chosen)
    values = {c: dict(zip(ids, column)) for c, column in zip(COLUMNS, chosen)}
    chosen_ids = table.column("doc_id").combine_chunks()
    chosen_arrays = {c: pa.array(column, pa.bool_() if c == "is_current" else pa.string())
                     for c, column in zip(COLUMNS, chosen)}
    changed: dict[str, list[str]] = {}
    writes: list[tuple[Path, pa.Table]] = []
    folder = out / "parquet" / "documents"
    files = [f for p in paths for f in slot_files(p)] if paths is not None else \
        sorted(folder.rglob("*.parquet")) if folder.is_dir() else []  # a partition's base and delta alike
    for path in files:
        if path.name.startswith((".", "_")) or not path.exists():
            continue
        part = read_file(path, stored_schema("documents"))  # from memory when the merge has just written it
        part, differs = _chosen_in(part, chosen_ids, chosen_arrays)  # out of scope: kept
        if differs is None:
            continue
        writes.append((path, part))
        relative = slot_name(path).relative_to(out).as_posix()
        for key in pc.unique(key_prefix(part.column("doc_id").filter(differs))).to_pylist():
            changed.setdefault(key, [])
            if relative not in changed[key]:
                changed[key].append(relative)
    if changed and before_writing is not None:
        before_writing(changed)
    for path, part in writes:
        write_part(path, "documents", part)
    return changed, _with_values(table, values), sources_table


def _saying_otherwise(out: Path, table: pa.Table, ids: list[str],
                      chosen: tuple[list[bool], list[str | None], list[str | None]]
                      ) -> tuple[list[bool], list[str | None], list[str | None]]:
    """``chosen`` with ``copy_reason`` ``differs`` for each copy that gives a value otherwise than its
    current copy (:mod:`plansheet.derived.differs`), which the run names in a warning."""
    from plansheet.derived.differs import differing, warn

    is_current, copy_of, reason = chosen
    found = differing(out, table, copy_of)
    if not found:
        return chosen
    warn(table, copy_of, found)
    return is_current, copy_of, [CopyReason.DIFFERS.value if d in found else r for d, r in zip(ids, reason)]


def _chosen_in(part: pa.Table, ids: pa.Array, chosen: dict[str, pa.Array]) -> tuple[pa.Table, pa.Array | None]:
    """``part`` (a ``documents`` part file's rows) with the chosen :data:`COLUMNS` values of the
    documents ``ids`` (rows of other documents kept), and which rows changed; None when none did."""
    at = pc.index_in(part.column("doc_id"), value_set=ids)
    chosen_here = pc.is_valid(at)
    if not pc.any(chosen_here).as_py():
        return part, None
    differs = None
    for c in COLUMNS:
        index = part.schema.get_field_index(c)
        old = part.column(index) if index >= 0 else pa.nulls(part.num_rows, chosen[c].type)
        new = pc.if_else(chosen_here, pc.take(chosen[c], at), old)
        both_null = pc.and_(pc.is_null(old), pc.is_null(new))
        moved = pc.if_else(both_null, False, pc.fill_null(pc.not_equal(old, new), True))
        differs = moved if differs is None else pc.or_(differs, moved)
        part = part.set_column(index, c, new) if index >= 0 else part.append_column(c, new)
    assert differs is not None
    return (part, differs) if pc.any(differs).as_py() else (part, None)


def _of_documents(sources: pa.Table, documents: pa.Table) -> pa.Array:
    """Which ``sources`` rows hold the bytes of ``documents`` (by SHA-256, else by name: :func:`source_keys`)."""
    def values(table: pa.Table, column: str) -> pa.Array:
        return pa.array(sorted({v for v in table.column(column).to_pylist() if v}), pa.string())

    by_sha = pc.is_in(sources.column("source_sha256"), value_set=values(documents, "source_sha256"))
    unhashed = documents.filter(pc.is_null(documents.column("source_sha256")))
    by_name = pc.and_(pc.is_null(sources.column("source_sha256")),
                      pc.is_in(sources.column("source_file"), value_set=values(unhashed, "source_file")))
    return pc.fill_null(pc.or_(by_sha, by_name), False)


def sources_of(out: Path, documents: pa.Table) -> pa.Table:
    """The ``sources`` rows (:data:`SOURCE_COLUMNS`) holding the bytes of ``documents``, by name."""
    from plansheet.output.dataset import bucket_of, holding, key_prefix, part_files, part_name, read_parts, sort_order
    from plansheet.output.writers import source_key

    # a document's bytes may sit under any name, so any bucket file may hold its row: the files
    # whose footers list one of the documents' contents, and those of the names of unhashed ones
    contents = set(key_prefix(documents.column("source_sha256").drop_null()).to_pylist())
    unhashed = documents.filter(pc.is_null(documents.column("source_sha256"))).column("source_file").to_pylist()
    named = {f"parquet/sources/{part_name(bucket_of(source_key(f)))}" for f in unhashed if f}
    files = [f for f in part_files(out, "sources") if f in named or (contents and holding(out / f, contents))]
    sources = read_parts(out, "sources", files, None, SOURCE_COLUMNS)
    sources = sources.filter(_of_documents(sources, documents))
    return sources.sort_by([(c, "ascending") for c in sort_order("sources")])


def _with_values(documents: pa.Table, values: dict[str, dict[str, object]]) -> pa.Table:
    """``documents`` with the chosen ``COLUMNS`` values of the documents in ``values``."""
    ids = documents.column("doc_id").to_pylist()
    for c in COLUMNS:
        column = documents.column(c).to_pylist()
        array = pa.array([values[c].get(d, v) for d, v in zip(ids, column)],
                         pa.bool_() if c == "is_current" else pa.string())
        documents = documents.set_column(documents.schema.get_field_index(c), c, array)
    return documents
