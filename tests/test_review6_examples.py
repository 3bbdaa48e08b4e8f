"""REVIEW6 Y7: a template's filled-in example left visible in a workbook is not a document.

The workbooks are the project's ``result.xlsx`` (令和4年度 健康福祉部) with its front sheet copied before the
real sheets and filled as templates ship their example: 健康福祉部 → ``〇〇部``, the names → ``〇〇 〇〇`` and
``△△ △△``. Every table must equal ``result.xlsx``'s truth (its pages one on, after the example's): the
example adds no document."""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from plansheet.batch.executors import run_sequential

from conftest import SAMPLES, SEED
from truth import load_truth, table_differences

RESULT = SAMPLES / "workbooks" / "result.xlsx"
pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget
PLACEHOLDERS = {"健康福祉部": "〇〇部", "森本 恵子": "〇〇 〇〇", "田村 和彦": "△△ △△"}


def _with_example(path: Path, title: str) -> Path:
    from openpyxl import load_workbook

    workbook = load_workbook(RESULT)
    example = workbook.copy_worksheet(workbook.worksheets[0])
    example.title = title
    for row in example.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                for real, placeholder in PLACEHOLDERS.items():
                    cell.value = cell.value.replace(real, placeholder)
    workbook.move_sheet(example, offset=-(len(workbook.worksheets) - 1))
    assert workbook.sheetnames[0] == title
    workbook.save(path)
    return path


def _extracted(path: Path, out: Path):  # type: ignore[no-untyped-def]
    (result,) = plansheet.extract([path], out, runner=run_sequential)
    return result, plansheet.load(out)


@pytest.mark.parametrize("title", ["記入例", "Sheet0"])
def test_a_visible_example_sheet_adds_no_document(tmp_path: Path, title: str) -> None:
    """Named 記入例, it is left out before parsing; named otherwise, its placeholder department says it."""
    result, tables = _extracted(_with_example(tmp_path / "kinyurei.xlsx", title), tmp_path / "out")
    truth = load_truth(RESULT)
    for table in ("goals", "targets", "initiatives"):  # the example's worksheet is the workbook's page 1
        for row in truth[table]:
            if row.get("page") is not None:
                row["page"] += 1
    for table in ("documents", "officers", "goals", "targets", "initiatives", "grade_scale"):
        assert table_differences(tables, truth, table) == [], table
    assert result.documents == 1 and list(tables["documents"]["department"]) == ["健康福祉部"]
    assert result.status.value == "partial"  # the file held something that is not written: named
    if title == "記入例":
        assert result.warnings == ["worksheet(s) '記入例': named as the template's filled-in example, not a sheet "
                                   "of the plan; left out"]
    else:
        assert result.warnings[0] == ("page 1 was not written as a document: its department '〇〇部' is a "
                                      "placeholder: the template's filled-in example")


def test_a_placeholder_for_a_name_on_a_real_sheet_is_no_name(tmp_path: Path) -> None:
    """The real export with its director's name left as the template's ``〇〇 〇〇``: the director is null,
    not ``〇〇 〇〇``, and the warning names the field; the other officers stay."""
    sheet = tmp_path / "keikaku.txt"
    sheet.write_text(SEED.read_text(encoding="utf-8").replace("市川 信行", "〇〇 〇〇"), encoding="utf-8")
    result, tables = _extracted(sheet, tmp_path / "out")
    assert result.status.value == "partial"
    assert "director: '〇〇 〇〇' is a placeholder, not a name; left null" in result.warnings
    assert "officers: 部長 '〇〇 〇〇' is a placeholder, not a name; left out" in result.warnings
    assert tables["documents"]["director"].isna().all()
    assert sorted(tables["officers"]["name"]) == ["小林 聡", "山口 伸和"]
