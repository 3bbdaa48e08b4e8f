"""Whether a name's new bytes are its old sheet with only the document's identity corrected.

A document is its municipality, department, fiscal year and stage (:mod:`plansheet.batch.ingest`). A
sheet posted with a typo in its title's year (令和3年度 for 令和4年度) or in its department's name, and
posted again corrected at the same name, holds none of the documents it held, yet it is not another
sheet: every goal, target and initiative reads as before. Next year's sheet posted over last year's
always differs there (its targets, initiatives, results and grades are the new year's). The bodies are
compared only when a name's new bytes share no document with its old ones (docs/batch.md).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

# what a sheet says, besides which document it is: every field of its goals, targets and initiatives
# but the page it stands on and the key columns (doc_id, department, fiscal_year)
BODY = {
    "goals": ("goal_no", "plan_goal_no", "plan_goal", "field", "title", "overall_summary", "overall_grade",
              "next_steps"),
    "targets": ("goal_no", "target_no", "text", "status", "grade"),
    "initiatives": ("goal_no", "initiative_no", "target_no", "text", "section", "results"),
}
Body = tuple[str | None, tuple[tuple, ...]]  # a document's stage, and the sorted rows of its goals, targets, initiatives


def bodies(tables: dict[str, list[dict]]) -> Counter[Body]:
    """The body of each document of one content's rows (``documents`` and the :data:`BODY` tables), counted.
    A document with no goal has no body to compare and is left out."""
    rows: dict[str, list[tuple]] = {}
    for name, columns in BODY.items():
        for row in tables.get(name, []):
            rows.setdefault(row["doc_id"], []).append((name, *(row.get(c) for c in columns)))
    found: Counter[Body] = Counter()
    for doc in tables.get("documents", []):
        mine = rows.get(doc["doc_id"], [])
        if any(r[0] == "goals" for r in mine):
            found[(doc.get("stage"), tuple(sorted(mine, key=repr)))] += 1
    return found


def stored_bodies(out: Path, key: str) -> Counter[Body]:
    """:func:`bodies` of the content stored under ``key`` (read only when a name's bytes change)."""
    from plansheet.output.dataset import part_files, read_parts

    tables = {"documents": read_parts(out, "documents", part_files(out, "documents"), {key},
                                      ["doc_id", "stage"]).to_pylist()}
    for name, columns in BODY.items():
        tables[name] = read_parts(out, name, part_files(out, name), {key}, ["doc_id", *columns]).to_pylist()
    return bodies(tables)


def same_sheet(before: Counter[Body], now: Counter[Body]) -> bool:
    """True when two contents hold the same documents' bodies, each at the same stage: the same sheet,
    whatever their titles say it is (an empty body proves nothing)."""
    return bool(before) and before == now
