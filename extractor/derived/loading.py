"""Read an output folder back as typed pandas DataFrames, for notebooks and the report.

``load(DIR)`` returns one DataFrame per table (the SCHEMA tables and ``goal_lineage``)
plus ``initiatives_flat``: one row per initiative with its target, goal, department,
year and grades, the table a researcher filters first. Types:

- int32 columns (and ``fiscal_year``, which comes from the Hive partition) → ``Int32``
  (nullable), strings → ``string``, float64 stays float64, timestamps stay UTC;
- every grade column (``goals.overall_grade``, ``targets.grade``, ``grade_scale.grade``
  and the flat view's ``overall_grade`` / ``target_grade``) → ordered categorical
  ``A < B < C < D < E`` (A, the best grade, sorts first);
- ``documents.stage`` → categorical ``plan`` / ``result``; ``sources.status`` →
  categorical ``ok`` / ``partial`` / ``failed`` / ``skipped``; ``goal_lineage.relation``
  → categorical of the relations in :class:`plansheet.derived.lineage.Relation`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from plansheet.derived.lineage import TABLE as LINEAGE, Relation, read_lineage
from plansheet.results import Status
from plansheet.output.rows import TABLES
from plansheet.output.writers import read_table

GRADES = pd.CategoricalDtype(["A", "B", "C", "D", "E"], ordered=True)
STAGES = pd.CategoricalDtype(["plan", "result"])
STATUSES = pd.CategoricalDtype([s.value for s in Status])
RELATIONS = pd.CategoricalDtype([r.value for r in Relation])
CATEGORIES: dict[tuple[str, str], pd.CategoricalDtype] = {
    ("goals", "overall_grade"): GRADES, ("targets", "grade"): GRADES, ("grade_scale", "grade"): GRADES,
    ("documents", "stage"): STAGES, ("sources", "status"): STATUSES, (LINEAGE, "relation"): RELATIONS,
}
FLAT = "initiatives_flat"
FLAT_COLUMNS = [
    "fiscal_year", "municipality", "department", "doc_id", "stage", "goal_no", "plan_goal_no", "plan_goal",
    "field", "goal_title", "overall_grade", "target_no", "target_text", "target_status", "target_grade",
    "initiative_no", "initiative_text", "section", "results", "source_file",
]
_TYPES = {pa.int32(): pd.Int32Dtype(), pa.string(): pd.StringDtype()}


def typed(name: str, table: pa.Table) -> pd.DataFrame:
    """One table as a DataFrame with nullable integers, strings and the categoricals above."""
    frame = table.to_pandas(types_mapper=_TYPES.get)
    for (tname, column), dtype in CATEGORIES.items():
        if tname == name and column in frame.columns:
            frame[column] = frame[column].astype(dtype)
    return frame


def flat_initiatives(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per initiative with its target, goal and document (columns ``FLAT_COLUMNS``).

    An initiative without a target (``target_no`` null) keeps null target columns.
    """
    docs = tables["documents"][["doc_id", "fiscal_year", "municipality", "department", "stage", "source_file"]]
    goals = tables["goals"][["doc_id", "goal_no", "plan_goal_no", "plan_goal", "field", "title", "overall_grade"]]
    targets = tables["targets"][["doc_id", "goal_no", "target_no", "text", "status", "grade"]]
    inits = tables["initiatives"][["doc_id", "goal_no", "initiative_no", "target_no", "text", "section", "results"]]
    flat = (inits.rename(columns={"text": "initiative_text"})
            .merge(targets.rename(columns={"text": "target_text", "status": "target_status",
                                           "grade": "target_grade"}),
                   on=["doc_id", "goal_no", "target_no"], how="left")
            .merge(goals.rename(columns={"title": "goal_title"}), on=["doc_id", "goal_no"], how="left")
            .merge(docs, on="doc_id", how="left"))
    flat = flat[FLAT_COLUMNS]
    for column in ("overall_grade", "target_grade"):
        flat[column] = flat[column].astype(GRADES)
    flat["stage"] = flat["stage"].astype(STAGES)
    return flat.sort_values(["fiscal_year", "department", "doc_id", "goal_no", "initiative_no"],
                            ignore_index=True)


def load(out: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed, plus ``goal_lineage`` and ``initiatives_flat``."""
    out = Path(out)
    tables = {name: typed(name, read_table(out, name)) for name in TABLES}
    tables[LINEAGE] = typed(LINEAGE, read_lineage(out))
    tables[FLAT] = flat_initiatives(tables)
    return tables
