"""Records written as the rows of one table (REVIEW5 X1, X6, X2).

``tests/fixtures/table_form/`` holds a made-up year-end sheet whose targets and initiatives stand as rows under
a header row of labels (``具体的取組 | 所管室・課 | 具体的な取組実績``), as an HTML page, a text export and a
workbook, each beside its truth; ``python -m samples.generate.table_form tests/fixtures/table_form`` writes them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.core.model import BBox, Cell
from plansheet.parsers.goal_sheet import parse_goal_sheet

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "table_form"
_TARGET_COLUMNS = ["goal_no", "target_no", "text", "status", "grade"]
_INITIATIVE_COLUMNS = ["goal_no", "initiative_no", "target_no", "text", "section", "results"]


def _read(path: Path, out: Path) -> tuple[str, list[str], dict[str, list[dict]]]:
    [result] = plansheet.extract([path], out, output_format="parquet")
    tables = plansheet.load(out)
    rows = {}
    for name, columns in (("targets", _TARGET_COLUMNS), ("initiatives", _INITIATIVE_COLUMNS)):
        frame = tables[name][columns].astype(object)
        rows[name] = frame.where(pd.notna(frame), None).sort_values(columns[:2]).to_dict("records")
        for row in rows[name]:
            for k in ("goal_no", "target_no", "initiative_no"):
                if row.get(k) is not None:
                    row[k] = int(row[k])
    return result.status.value, list(result.warnings), rows


def _truth(path: Path) -> dict[str, list[dict]]:
    return json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("suffix", ["html", "txt", "xlsx"])
def test_initiatives_written_as_rows_of_one_table_are_one_a_row(suffix: str, tmp_path: Path) -> None:
    """X1: under ``具体的取組 | 所管室・課 | 具体的な取組実績`` each row is an initiative of its own. A text export and an
    HTML page (no boxes) had every row under the header read as wrapped lines of one cell: one initiative with the
    texts joined and section 市民課、市民協働課, under ok."""
    path = FIXTURES / f"tableform.{suffix}"
    status, warnings, rows = _read(path, tmp_path)
    assert rows == _truth(path)
    assert status == "ok", warnings


@pytest.mark.parametrize("suffix", ["html", "xlsx"])
def test_a_section_cell_merged_down_over_initiatives_is_each_ones(suffix: str, tmp_path: Path) -> None:
    """X6: a 所管室・課 cell merged down over two initiatives' rows (rowspan, merged cells) is the section of both.
    It had been dropped as standing "before any record" (workbook), or merged the two initiatives (HTML)."""
    path = FIXTURES / f"tableform-merged.{suffix}"
    status, warnings, rows = _read(path, tmp_path)
    assert rows == _truth(path)
    assert status == "ok", warnings


def test_a_text_export_row_leaving_the_section_empty_is_a_record_named(tmp_path: Path) -> None:
    """The same sheet as a text export: the merged cell's lower row is an empty field, which an export cannot tell
    from a cell left empty, nor (a line filling the text and results columns again) the line from the lines of the
    initiative above wrapped: read as an initiative of its own, its section empty, both initiatives named."""
    path = FIXTURES / "tableform-merged.txt"
    status, warnings, rows = _read(path, tmp_path)
    want = _truth(path)
    want["initiatives"][3]["section"] = None  # goal 2 initiative 2: the merged cell's lower slot
    assert rows == want
    assert status == "partial"
    assert [w.split(":")[0] for w in warnings] == [f"goal 2 initiative {n} (page 3) text, section, results"
                                                   for n in (1, 2)]


@pytest.mark.parametrize("suffix", ["html", "txt", "xlsx"])
def test_targets_written_as_rows_of_one_table_serve_no_initiative_told(suffix: str, tmp_path: Path) -> None:
    """X1/X2: two targets as rows under ``今年度の達成目標 | 達成状況 | 達成度`` are two targets (text and status had been
    joined, grade 'AA'); the initiatives' table below says nothing of which target each serves: target_no empty,
    each named (the workbook had given both to target 2). One 達成状況 | 達成度 header serves both rows: no count
    warning."""
    path = FIXTURES / f"tableform-two-targets.{suffix}"
    status, warnings, rows = _read(path, tmp_path)
    assert rows == _truth(path)
    assert status == "partial"
    assert [w.split(":")[0] for w in warnings] == [
        f"goal 1 initiative {n} (page 2) text, section, results, target_no, page" for n in (1, 2)]


def test_the_real_export_pasted_into_a_workbook_pairs_stacked_targets_in_order(tmp_path: Path) -> None:
    """X2: the real export pasted into a workbook (a line a row, a tab a cell) writes goal 1's and goal 5's two targets
    one under another, then their two initiatives. Targets standing together with no 具体的取組 between them do not
    each serve what is under them (both initiatives had gone to target 2, under ok): as many initiatives as targets
    pair in order, as the text export is read, and are named (a stacked sheet leaving the upper target's
    initiatives out would give both to the last)."""
    from openpyxl import Workbook

    sample = ROOT / "samples" / "000_b2610523df0a2988.txt"
    wb = Workbook()
    ws = wb.active
    for r, line in enumerate(sample.read_text(encoding="utf-8").split("\n"), start=1):
        for c, text in enumerate(line.split("\t"), start=1):
            if text.strip():
                ws.cell(r, c, text)
    path = tmp_path / "pasted.xlsx"
    wb.save(path)
    status, warnings, rows = _read(path, tmp_path / "out")
    truth = json.loads((ROOT / "samples" / "truth" / f"{sample.name}.json").read_text(encoding="utf-8"))
    assert [(i["goal_no"], i["initiative_no"], i["target_no"]) for i in rows["initiatives"]] == \
        [(i["goal_no"], i["initiative_no"], i["target_no"]) for i in truth["initiatives"]]
    paired = [w.split(" (page")[0] for w in warnings if "by order alone" in w]  # one worksheet, no page breaks
    assert paired == [f"goal {g} initiative {n}" for g in (1, 5) for n in (1, 2)]
    assert status == "partial"


def _box(text: str, row: int, col: int = 0, span: int = 4) -> Cell:
    return Cell(text, row, col, 2, col_span=span, bbox=BBox(100.0 * col, 20.0 * row, 100.0 * (col + span),
                                                          20.0 * row + 18))


def _stacked_first_empty() -> list[Cell]:
    """A sheet stacking two targets, the first with no initiative block, the second with one."""
    return [_box("重点目標 1", 0, 0, 1), _box("窓口サービスの向上", 0, 1, 3),
            _box("今年度の達成目標", 1), _box("待ち時間を短縮します。", 2),
            _box("達成状況", 3, 0, 3), _box("達成度", 3, 3, 1), _box("今年度の達成目標", 4), _box("手続をオンライン化します。", 5),
            _box("達成状況", 6, 0, 3), _box("達成度", 6, 3, 1),
            _box("具体的取組", 7), _box("申請を電子化します。", 8), _box("所管室・課", 9, 0, 1), _box("市民課", 9, 1, 3)]


def test_targets_together_in_boxes_leave_an_unpaired_initiative_unknown() -> None:
    """X2: two targets one under another with no 具体的取組 between them, then one initiative: side-by-side blocks
    written one under another (either target's) or a stacked sheet leaving the first target's initiatives out
    (the second's): left empty and named. Where another goal sheet of the document stacks its targets in turn
    (``template_stacks``), the sheet's template stacks them: the second's."""
    sheet = parse_goal_sheet(_stacked_first_empty())
    assert [i.target_no for i in sheet.goal.initiatives] == [None]
    assert [w.split(":")[0] for w in sheet.warnings] == ["goal 1 initiative 1 (page 2) target_no"]
    assert sheet.together and not sheet.stacks
    stacked = parse_goal_sheet(_stacked_first_empty(), template_stacks=True)
    assert [i.target_no for i in stacked.goal.initiatives] == [2] and stacked.warnings == []


def test_the_generator_writes_the_committed_fixtures(tmp_path: Path) -> None:
    """The fixtures are what ``samples.generate.table_form`` writes (the workbooks' bytes hold a timestamp)."""
    from samples.generate.table_form import write_all

    for path in write_all(tmp_path):
        assert path.with_name(path.name + ".json").read_text(encoding="utf-8") == \
            (FIXTURES / (path.name + ".json")).read_text(encoding="utf-8")
        if path.suffix != ".xlsx":
            assert path.read_bytes() == (FIXTURES / path.name).read_bytes()
