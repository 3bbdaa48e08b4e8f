"""Goal sheets belong to the front sheet of the department they name, whatever the order.

A workbook whose front sheet is its last tab, or a text export whose front block comes after
the goal blocks, holds the same sheet as the original: the same rows come out of it. Goal
sheets naming another department than the front sheet stay apart, and the warnings name each
part by what a reader can find: a written document by its number in ``doc_id``, a part that was
not written by its pages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet

from conftest import SAMPLES, SEED

TABLES = ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")
PLACE = ("doc_id", "source_file", "source_sha256", "source_format", "page", "pages", "page_count", "first_page",
         "last_page")


def _rows(out: Path) -> dict[str, list[dict]]:
    """Every table's rows, without the columns that say where in which file they stand."""
    tables = plansheet.load(out, copies="all")
    frames = {name: tables[name].drop(columns=[c for c in PLACE if c in tables[name].columns]) for name in TABLES}
    return {name: frame.astype(object).where(frame.notna(), None).to_dict("records") for name, frame in frames.items()}


def _front_block_last(text: str) -> str:
    """The seed export with its front block (title, officers, 【基本方針】, 【重点目標】, legend) moved after the goal blocks."""
    cut = text.index("\n部\t政策推進部\n---") + 1  # the first goal block starts with its 部 row
    return text[cut:] + "\n" + text[:cut]


def test_a_text_export_with_the_front_block_last_reads_as_the_original(tmp_path: Path) -> None:
    path = tmp_path / "front_last.txt"
    path.write_text(_front_block_last(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    (result,) = plansheet.extract([path], tmp_path / "out")
    plansheet.extract([SEED], tmp_path / "original")
    assert (result.status.value, result.warnings) == ("ok", [])
    assert _rows(tmp_path / "out") == _rows(tmp_path / "original")


def test_a_workbook_with_the_front_sheet_as_its_last_tab_reads_as_the_original(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(SAMPLES / "workbooks" / "result.xlsx")
    front = workbook.sheetnames[0]
    workbook.move_sheet(front, offset=len(workbook.sheetnames) - 1)
    assert workbook.sheetnames[-1] == front
    workbook.save(tmp_path / "front_last.xlsx")
    (result,) = plansheet.extract([tmp_path / "front_last.xlsx"], tmp_path / "out")
    (original,) = plansheet.extract([SAMPLES / "workbooks" / "result.xlsx"], tmp_path / "original")
    assert (result.status.value, result.rows) == ("ok", original.rows)
    assert result.rows["initiatives"] > 0
    assert _rows(tmp_path / "out") == _rows(tmp_path / "original")


def test_goal_sheets_of_another_department_stay_apart_and_are_named_by_their_pages(tmp_path: Path) -> None:
    text = _front_block_last(SEED.read_text(encoding="utf-8"))
    front_at = text.index("令和5年度 政策推進部の運営方針")  # where the front block starts (after the goal blocks)
    path = tmp_path / "other.txt"
    path.write_text(text[:front_at].replace("部\t政策推進部", "部\t総務部") + text[front_at:], encoding="utf-8")
    (result,) = plansheet.extract([path], tmp_path / "out")
    assert result.documents == 1
    assert result.warnings[0] == "pages 1–6 were not written as a document: no fiscal year (令和/平成 N年度) was read"
    assert "pages 1–6 (not written): no front sheet found: officers, basic policy and legend are missing" in result.warnings
    assert any(w.startswith("document 1: goal_no (page") and "goal numbers in 【重点目標】" in w for w in result.warnings), \
        result.warnings
    assert not any(w.startswith("document 2") for w in result.warnings)
