"""A formula cell whose value the workbook does not store (openpyxl and other exporters write formulas
without computing them) is named in a warning, never taken as empty in silence."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

import plansheet

from conftest import SAMPLES

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load
RESULT = SAMPLES / "workbooks" / "result.xlsx"


def test_a_formula_without_a_stored_value_is_named_with_its_sheet_page_and_cell(tmp_path: Path) -> None:
    book = load_workbook(RESULT)
    sheet = book["重点目標1"]
    assert sheet["F7"].value == "B"  # target 1.2's grade
    sheet["F7"] = '=IF(1>0,"B","C")'  # saved by openpyxl: no value beside the formula
    sheet["H40"] = "=1+1"  # in a hidden row: nobody sees it, nothing to name
    sheet.row_dimensions[40].hidden = True
    book.save(tmp_path / "formula.xlsx")
    [result] = plansheet.extract([tmp_path / "formula.xlsx"], tmp_path / "out")
    assert result.status.value == "partial"
    named = [w for w in result.warnings if "formula" in w]
    assert len(named) == 1 and named[0].startswith("page 2 (sheet 重点目標1, cell F7): a formula whose value")
    targets = plansheet.load(tmp_path / "out")["targets"]
    grade = targets[(targets.goal_no == 1) & (targets.target_no == 2)]["grade"]
    assert grade.isna().all() and len(grade) == 1


def test_a_workbook_saved_with_its_formulas_computed_reads_them(tmp_path: Path) -> None:
    [result] = plansheet.extract([RESULT], tmp_path / "out")
    assert result.status.value == "ok" and not any("formula" in w for w in result.warnings)
