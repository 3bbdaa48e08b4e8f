"""Copies of one sheet that say different things: named, never chosen between in silence.

The current copy of a sheet is chosen by rules about the copies (:mod:`plansheet.derived.current`),
not about what they say. When a copy that does not count gives a value the current copy gives
otherwise (a corrected text export against an older workbook), a reader picking the current copy
must know: the copy's ``copy_reason`` is ``differs`` and the run warns, naming the sheet, the
field and both values. Compared are the values a reader counts on and every reader gives alike:
each goal's ``overall_grade`` and each target's ``grade``; a value one copy could not read (null)
differs from nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

log = logging.getLogger(__name__)

COMPARED = {"goals": (["goal_no"], "overall_grade"), "targets": (["goal_no", "target_no"], "grade")}


def _label(table: str, key: tuple) -> str:
    return f"goal {key[0]}" if table == "goals" else f"goal {key[0]} target {key[1]}"


def values_of(out: Path, documents: pa.Table, ids: set[str]) -> dict[str, dict[str, object]]:
    """doc_id → {field label → value} of the compared fields of the documents ``ids``."""
    from plansheet.output.dataset import read_parts

    years = {d: y for d, y in zip(documents.column("doc_id").to_pylist(), documents.column("fiscal_year").to_pylist())
             if d in ids and y is not None}
    found: dict[str, dict[str, object]] = {d: {} for d in years}
    keys = {d[:16] for d in years}
    for table, (key_columns, column) in COMPARED.items():
        files = sorted({f"parquet/{table}/fiscal_year={y}/part-0.parquet" for y in years.values()})
        files = [f for f in files if (out / f).parent.is_dir()]
        rows = read_parts(out, table, files, keys, ["doc_id", *key_columns, column]).to_pydict()
        for i, doc_id in enumerate(rows["doc_id"]):
            value = rows[column][i]
            if doc_id in found and value is not None:
                key = tuple(rows[c][i] for c in key_columns)
                found[doc_id][f"{_label(table, key)} {column}"] = value
    return found


def differing(out: Path, documents: pa.Table, copy_of: Sequence[str | None]) -> dict[str, list[tuple[str, object, object]]]:
    """For each copy (``copy_of`` its current copy) that gives a compared value otherwise than its
    current copy: each such field, with the copy's value and the current copy's."""
    ids = documents.column("doc_id").to_pylist()
    pairs = [(d, c) for d, c in zip(ids, copy_of) if c is not None]
    if not pairs:
        return {}
    values = values_of(out, documents, {d for pair in pairs for d in pair})
    found: dict[str, list[tuple[str, object, object]]] = {}
    for copy, current in pairs:
        mine, theirs = values.get(copy, {}), values.get(current, {})
        fields = [(f, mine[f], theirs[f]) for f in sorted(set(mine) & set(theirs)) if mine[f] != theirs[f]]
        if fields:
            found[copy] = fields
    return found


def warn(documents: pa.Table, copy_of: Sequence[str | None], found: dict[str, list[tuple[str, object, object]]]) -> None:
    """Say, for each copy and field, what the copy gives and what the current copy of its sheet gives."""
    rows = documents.select(["doc_id", "source_file", "department", "fiscal_year", "stage"]).to_pylist()
    files = {row["doc_id"]: row["source_file"] for row in rows}
    for row, current in zip(rows, copy_of):
        for field, mine, theirs in found.get(row["doc_id"], []):
            log.warning("%s %s (%s) %s: the copy %s (%s) gives %s, the current copy %s (%s) gives %s; "
                        "copy_reason differs", row["department"], row["fiscal_year"], row["stage"], field,
                        row["doc_id"], row["source_file"], mine, current, files.get(current), theirs)
