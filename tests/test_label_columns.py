"""Columns of a goal sheet's label rows that the tables have no field for (REVIEW5 X7, X13): a value column beside a
target's labels (今年度の達成目標 | 目標値 over text | figure; 達成状況 | 実績値 | 達成度) is a column of its own, never
the target's text or status; a 達成度 beside an initiative's labels grades the initiative, never the target. Each
sheet is a generated variant (samples/generate/layout.py EXTRAS) read back against its truth, on every reader."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from samples.generate import fuzz

from rendered import read_variant


def read_with_extras(tmp_path: Path, renderer: str, index: int, extras: tuple[str, ...],
                     seed: int = 58950) -> tuple[str, list[str], str]:
    """Variant (seed, index) of ``renderer`` with ``extras`` added to its sheets: (status, differences from its
    truth, warnings)."""
    variant = fuzz.draw(seed, index, (renderer,))
    assert variant.department.stage == "result" and not variant.style.side_labels
    variant.style = replace(variant.style, extras=extras)
    return read_variant(tmp_path, variant)


# (renderer, index of a result sheet read exact and ok as the samples print it, extras)
CASES = [
    ("text", 5, ("target_value",)),
    ("text", 5, ("status_value",)),
    ("xlsx", 11, ("target_value", "initiative_grade")),
    ("html", 5, ("status_value", "initiative_grade")),
    ("reportlab", 11, ("target_value", "status_value", "initiative_grade")),
]
_NAMES = {"target_value": "'目標値' in a row of labels heads a column the tables have no field for",
          "status_value": "'実績値' in a row of labels heads a column the tables have no field for",
          "initiative_grade": "'達成度' in a row of labels grades each 具体的取組 (no target)"}


@pytest.mark.parametrize(("renderer", "index", "extras"), CASES)
def test_a_column_no_field_holds_is_left_out_and_named(tmp_path: Path, renderer: str, index: int,
                                                       extras: tuple[str, ...]) -> None:
    """Review 5 X7: target 1's text read as 目標値 (its text lost) or its status as 実績値, ok; X13: the initiative's
    grade read as the target's, ok."""
    status, differences, warnings = read_with_extras(tmp_path, renderer, index, extras)
    assert differences == [] and status == "partial"
    for extra in extras:
        named = [w for w in warnings.splitlines() if _NAMES[extra] in w]
        assert named and all(w.startswith("goal ") and "(page " in w and "is left out" in w for w in named)


# (renderer, index, rows and sections the tables have no field for)
ROW_CASES = [
    ("text", 5, ("budget_row", "prev_grade_row", "issues_section")),
    ("text", 5, ("kpi_table",)),
    ("xlsx", 11, ("kpi_table", "issues_section")),
    ("html", 5, ("budget_row", "kpi_table", "prev_grade_row")),
    ("reportlab", 11, ("budget_row", "kpi_table", "prev_grade_row", "issues_section")),
]
_ROW_NAMES = {"budget_row": "'事業費（千円）' and what stands beside it",
              "prev_grade_row": "'前年度の達成度' and what stands beside it",
              "kpi_table": "'指標名' and what stands beside it",
              "issues_section": "basic_policy (page 1): '【現状と課題】' below it heads a section this reader does not know"}


@pytest.mark.parametrize(("renderer", "index", "extras"), ROW_CASES)
def test_a_row_under_a_label_no_field_holds_is_left_out_and_named(tmp_path: Path, renderer: str, index: int,
                                                                  extras: tuple[str, ...]) -> None:
    """Review 5 X8, X14, X16: a 事業費（千円） | 12,400 row glued onto the initiative's text, 前年度の達成度 | B onto the
    summary, a KPI table onto the last initiative's results, a 【現状と課題】 section onto the basic policy, ok."""
    status, differences, warnings = read_with_extras(tmp_path, renderer, index, extras)
    assert differences == [] and status == "partial"
    for extra in extras:
        named = [w for w in warnings.splitlines() if _ROW_NAMES[extra] in w]
        assert named and all("(page " in w and "left out" in w for w in named)


@pytest.mark.parametrize(("renderer", "index"), [("html", 0), ("text", 2)])
def test_a_label_row_under_a_plans_empty_summary_box_is_left_out_and_named(tmp_path: Path, renderer: str,
                                                                        index: int) -> None:
    """fuzz 61301-0000 (unknown_structure): on a plan sheet, whose 総合評価・総括 box is empty, 前年度の達成度 | A was read
    as the summary's text (its first line, where no boxes are seen) and the sheet as a result, ok. Past the empty row
    or line the box left empty, the row is no line of the field's text."""
    variant = fuzz.draw(58950, index, (renderer,))
    assert variant.department.stage == "plan" and not variant.style.side_labels
    variant.style = replace(variant.style, extras=("prev_grade_row",))
    status, differences, warnings = read_variant(tmp_path, variant)
    assert differences == [] and status == "partial", warnings
    named = [w for w in warnings.splitlines() if _ROW_NAMES["prev_grade_row"] in w]
    assert named and all("overall_summary" in w and "(page " in w and "left out" in w for w in named)
