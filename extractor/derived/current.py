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
``copy_reason`` = the first rule that decided (:class:`CopyReason`). A document without a
department or fiscal year cannot be matched and is always current.

A department's municipality is often missing (the sheets rarely print it):
:func:`resolved_municipality` lets a null municipality join the department's one named
municipality, so a run with ``--municipality`` and one without never split a sheet or a
lineage chain; a department with several named municipalities and nulls is warned about.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.output.dataset import Touched

log = logging.getLogger(__name__)

METHOD_RANK = {"text_layer": 0, "workbook": 1, "text_export": 2, "mixed": 3, "ocr": 4}
INACTIVE_STATES = frozenset({"retired", "superseded", "gone"})
SHEET_KEY = ["_municipality", "department", "fiscal_year", "stage"]
COLUMNS = ["is_current", "copy_of", "copy_reason"]


class CopyReason(str, Enum):
    """Why a document is not the current copy of its sheet (the first rule that decided)."""

    SOURCE_INACTIVE = "source_inactive"  # its source was retired or superseded
    PARTIAL = "partial"                  # its source was read only partly; another copy was read ok
    METHOD = "method"                    # another copy was read by a better extraction method
    OLDER = "older"                      # another copy, read as well, comes from a newer source
    DUPLICATE = "duplicate"              # an equal copy with a smaller doc_id was kept


def resolved_municipality(documents: pd.DataFrame) -> pd.Series:
    """Each document's municipality, a null one filled with its department's single named value.

    A department whose documents name two or more municipalities keeps its nulls null
    (which city they belong to cannot be told) and is logged as a warning.
    """
    muni = documents["municipality"].astype("string") if len(documents) else pd.Series(dtype="string")
    if documents.empty:
        return muni
    named = (pd.DataFrame({"department": documents["department"].astype("string"), "m": muni})
             .dropna().drop_duplicates().groupby("department")["m"].agg(list))
    filled = muni.copy()
    for department, values in named.items():
        nulls = muni.isna() & (documents["department"].astype("string") == department)
        if not nulls.any():
            continue
        if len(values) == 1:
            filled[nulls] = values[0]
            log.warning("%s: %d document(s) name no municipality; counted as %s (the department's only one); "
                        "give --municipality to record it", department, int(nulls.sum()), values[0])
        else:
            log.warning("%s: documents name the municipalities %s and %d name none; those stay apart "
                        "(give --municipality)", department, ", ".join(sorted(values)), int(nulls.sum()))
    return filled


def _source_key(frame: pd.DataFrame) -> list[str]:
    """Each row's source: its SHA-256, else (no hash column or value) its source_file."""
    shas = frame["source_sha256"] if "source_sha256" in frame else pd.Series(pd.NA, index=frame.index)
    return [str(f) if pd.isna(s) else str(s) for s, f in zip(shas, frame["source_file"])]


def _source_facts(documents: pd.DataFrame, sources: pd.DataFrame | None) -> tuple[list[int], list[float]]:
    """Per document: 1 if its source was read only partly (else 0), and minus its source's modification time."""
    status: dict[str, str] = {}
    stamp: dict[str, float] = {}
    if sources is not None and not sources.empty:
        times = sources["source_modified"] if "source_modified" in sources else pd.Series(pd.NaT, index=sources.index)
        for key, st, at in zip(_source_key(sources), sources["status"], times):  # several names, one content:
            status[key] = "ok" if status.get(key) == "ok" else str(st)  # read ok by any, and its newest
            stamp[key] = min(stamp.get(key, 0.0), -pd.Timestamp(at).timestamp() if not pd.isna(at) else 0.0)
    keys = _source_key(documents)
    return ([1 if status.get(k) == "partial" else 0 for k in keys], [stamp.get(k, 0.0) for k in keys])


def states_of(sources: pd.DataFrame | None) -> dict[str, str]:
    """Each content's state from ``sources.state``: ``current`` when any source holding those bytes is."""
    states: dict[str, str] = {}
    if sources is None or sources.empty or "state" not in sources:
        return states
    for key, state in zip(_source_key(sources), sources["state"]):
        if pd.isna(state):
            continue
        if states.get(key) != "current":
            states[key] = str(state)
    return states


def choose_current(documents: pd.DataFrame, sources: pd.DataFrame | None = None,
                   source_states: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``documents`` with ``is_current``, ``copy_of`` and ``copy_reason`` set (same row order).

    ``sources`` (the ``sources`` table) gives each copy's read status and its source's
    modification time (``source_modified``); ``source_states`` maps a ``source_sha256`` to its
    state (only ``gone``, ``retired`` and ``superseded`` matter: such a source's documents are
    never current); by default it is read from ``sources.state`` (:func:`states_of`).
    """
    docs = documents.drop(columns=[c for c in COLUMNS if c in documents.columns])
    if docs.empty:
        return docs.assign(is_current=pd.Series(dtype="boolean"), copy_of=pd.Series(dtype="string"),
                           copy_reason=pd.Series(dtype="string"))
    states = source_states if source_states is not None else states_of(sources)
    partial, newest = _source_facts(docs, sources)
    ranks = pd.DataFrame({
        "_inactive": [1 if states.get(k) in INACTIVE_STATES else 0 for k in _source_key(docs)],
        "_partial": partial,
        "_method": [METHOD_RANK.get(str(m), 9) for m in docs["extraction_method"]],
        "_newest": newest,
        "_doc": docs["doc_id"].astype(str).to_numpy(),
        "_municipality": resolved_municipality(docs).fillna("").to_numpy(),
        "department": docs["department"].astype("string").to_numpy(),
        "fiscal_year": docs["fiscal_year"].to_numpy(),
        "stage": docs["stage"].astype("string").to_numpy(),
    }, index=docs.index)
    unmatched = ranks["department"].isna() | ranks["fiscal_year"].isna()
    ranks.loc[unmatched, "department"] = "\0" + ranks.loc[unmatched, "_doc"]  # a sheet of its own
    rules = ["_inactive", "_partial", "_method", "_newest", "_doc"]
    reasons = [CopyReason.SOURCE_INACTIVE, CopyReason.PARTIAL, CopyReason.METHOD, CopyReason.OLDER,
               CopyReason.DUPLICATE]
    ordered = ranks.sort_values(rules, kind="stable")
    is_current = pd.Series(False, index=docs.index, dtype="boolean")
    copy_of = pd.Series(pd.NA, index=docs.index, dtype="string")
    reason = pd.Series(pd.NA, index=docs.index, dtype="string")
    for _, sheet in ordered.groupby(SHEET_KEY, sort=False, dropna=False):
        best = sheet.iloc[0]
        if best["_inactive"]:  # every copy's source is retired or superseded: none counts
            copy_of[sheet.index] = pd.NA
            reason[sheet.index] = CopyReason.SOURCE_INACTIVE.value
            continue
        is_current[sheet.index[0]] = True
        for idx, row in sheet.iloc[1:].iterrows():
            copy_of[idx] = best["_doc"]
            decided = next(r for rule, r in zip(rules, reasons) if row[rule] != best[rule])
            reason[idx] = decided.value
    return docs.assign(is_current=is_current, copy_of=copy_of, copy_reason=reason)


def current_only(documents: pd.DataFrame) -> pd.DataFrame:
    """The current documents of a frame that has ``is_current`` (see :func:`choose_current`)."""
    return documents[documents["is_current"].fillna(False).astype(bool)]


def _with_read_status(out: Path, sources: pd.DataFrame) -> pd.DataFrame:
    """``sources`` with a ``skipped`` (unchanged) source's status replaced by its last reading's, from the catalog.

    ``plansheet ingest`` rewrites an unchanged source's row as ``skipped``; whether it was
    read ``ok`` or ``partial`` is then only in ``OUT/catalog.sqlite``.
    """
    catalog = out / "catalog.sqlite"  # batch.catalog.CATALOG_NAME (batch sits above derived)
    if sources.empty or not catalog.is_file():
        return sources
    try:
        db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
        try:
            read = dict(db.execute("SELECT sha256, status FROM files WHERE sha256 IS NOT NULL").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return sources
    status = [read.get(str(sha), st) if str(st) == "skipped" else st
              for sha, st in zip(sources["source_sha256"], sources["status"].astype(str))]
    return sources.assign(status=status)


def sheet_scope(documents: pa.Table, keys: set[str], removed_pairs: set[tuple[str, str]]) -> pa.Array:
    """Which documents share a sheet (or a department's municipality) with the touched sources.

    The documents of ``keys`` and of ``removed_pairs`` ((municipality or "", department) of
    documents removed) name (municipality, department) pairs; every document of those pairs is
    in scope, and of the whole department where one of its documents names no municipality
    (:func:`resolved_municipality` fills it from the department's others).
    """
    import pyarrow.compute as pc

    ids = documents.column("doc_id").to_pylist()
    pairs_of = [(m or "", d or "") for m, d in zip(documents.column("municipality").to_pylist(),
                                                   documents.column("department").to_pylist())]
    pairs = set(removed_pairs) | {p for p, d in zip(pairs_of, ids) if d[:16] in keys}
    touched = {d for _, d in pairs}
    wide = {d for m, d in pairs if not m} | {d for m, d in pairs_of if not m and d in touched}
    return pa.array([p in pairs or p[1] in wide for p in pairs_of], pa.bool_()) if ids else pc.equal(
        documents.column("doc_id"), "")


DOC_COLUMNS = ["doc_id", "source_file", "source_sha256", "extraction_method", "municipality", "fiscal_year",
               "stage", "department", "is_current", "copy_of", "copy_reason"]  # what the choice and its followers read
SOURCE_COLUMNS = ["source_sha256", "source_file", "status", "source_modified", "state"]


def mark_current(out: Path, source_states: Mapping[str, str] | None = None,
                 touched: "Touched | None" = None) -> tuple[dict[str, list[str]], pa.Table]:
    """Set ``is_current`` / ``copy_of`` / ``copy_reason`` in the stored ``documents`` files of ``out``.

    Called by :func:`plansheet.batch.finish.finish_output` after the merge (holding the
    output's lock); only the part files whose values change are rewritten (temp name, then
    rename). With ``touched`` (what the merge changed) only the sheets of those sources are
    chosen again (:func:`sheet_scope`); without it, every sheet. Returns the source keys whose
    documents changed, each with its part files (relative to ``out``), so that the CSVs and
    ``goal_lineage`` follow them; and the documents whose sheets were chosen again
    (:data:`DOC_COLUMNS`; every document without ``touched``) as they stand after the choice:
    the documents of every (municipality, department) pair the lineage and the flat CSV
    recompute, so that they need not read the table again.
    """
    from plansheet.output.dataset import bucket_of, part_files, part_name, read_parts, row_keys, write_part
    mapping = {pa.int32(): pd.Int32Dtype(), pa.string(): pd.StringDtype()}.get
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
            return {}, read_parts(out, "documents", [], None, DOC_COLUMNS)
        paths = sorted({out / "parquet" / "documents" / f"fiscal_year={y}" / part_name(bucket_of(d[:16]))
                        for y, d in zip(scope.column("fiscal_year").to_pylist(), scope.column("doc_id").to_pylist())})
        ids = scope.column("doc_id")
        table = read_parts(out, "documents", [p.relative_to(out).as_posix() for p in paths],
                           set(pc.utf8_slice_codeunits(ids, 0, 16).to_pylist()), DOC_COLUMNS)
        table = table.filter(pc.is_in(table.column("doc_id"), value_set=ids))
    sources_table = sources_of(out, table)
    documents = table.to_pandas(types_mapper=mapping)
    sources = sources_table.to_pandas(types_mapper=mapping)
    chosen = choose_current(documents, _with_read_status(out, sources), source_states)
    values = {c: dict(zip(chosen["doc_id"], chosen[c])) for c in COLUMNS}
    values = {c: {d: None if pd.isna(v) else v for d, v in vs.items()} for c, vs in values.items()}
    changed: dict[str, list[str]] = {}
    folder = out / "parquet" / "documents"
    for path in paths if paths is not None else sorted(folder.rglob("*.parquet")) if folder.is_dir() else []:
        if path.name.startswith((".", "_")) or not path.exists():
            continue
        part = pq.ParquetFile(path).read()
        ids = part.column("doc_id").to_pylist()
        old = {c: part.column(c).to_pylist() if c in part.column_names else [None] * len(ids) for c in COLUMNS}
        new = {c: [values[c].get(d, old[c][i]) for i, d in enumerate(ids)] for c in COLUMNS}  # out of scope: kept
        differs = [any(old[c][i] != new[c][i] for c in COLUMNS) for i in range(len(ids))]
        if not any(differs):
            continue
        for c in COLUMNS:
            array = pa.array(new[c], type=pa.bool_() if c == "is_current" else pa.string())
            index = part.schema.get_field_index(c)
            part = part.set_column(index, c, array) if index >= 0 else part.append_column(c, array)
        write_part(path, "documents", part)
        relative = path.relative_to(out).as_posix()
        for key, moved in zip(row_keys("documents", part), differs):
            if moved:
                changed.setdefault(key, [])
                if relative not in changed[key]:
                    changed[key].append(relative)
    return changed, _with_values(table, values)


def _of_documents(sources: pa.Table, documents: pa.Table) -> pa.Array:
    """Which ``sources`` rows hold the bytes of ``documents`` (by SHA-256, else by name: :func:`_source_key`)."""
    def values(table: pa.Table, column: str) -> pa.Array:
        return pa.array(sorted({v for v in table.column(column).to_pylist() if v}), pa.string())

    by_sha = pc.is_in(sources.column("source_sha256"), value_set=values(documents, "source_sha256"))
    unhashed = documents.filter(pc.is_null(documents.column("source_sha256")))
    by_name = pc.and_(pc.is_null(sources.column("source_sha256")),
                      pc.is_in(sources.column("source_file"), value_set=values(unhashed, "source_file")))
    return pc.fill_null(pc.or_(by_sha, by_name), False)


def sources_of(out: Path, documents: pa.Table) -> pa.Table:
    """The ``sources`` rows (:data:`SOURCE_COLUMNS`) holding the bytes of ``documents``, by name."""
    from plansheet.output.dataset import part_files, read_parts, sort_order

    files = part_files(out, "sources")
    holding = [f for f in files  # the names and hashes of every source first, then the files that hold some
               if pc.any(_of_documents(read_parts(out, "sources", [f], None, ["source_sha256", "source_file"]),
                                       documents)).as_py()]
    sources = read_parts(out, "sources", holding, None, SOURCE_COLUMNS)
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
