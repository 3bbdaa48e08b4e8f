"""A line beginning as a footnote does (※, ＊, （注）) at the foot of a goal sheet: a note under the table, or
the last field's own text."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.parsers.goal_sheet import parse_goal_sheet

from test_goal_sheet_layouts import _sheet_ending_with

SEED = Path(__file__).resolve().parent.parent / "samples" / "000_b2610523df0a2988.txt"
NOTE = "※国の制度改正の動向を踏まえ、次年度に改めて検討します。"


def _last_goal(tmp_path: Path, tail: str) -> tuple[object, str, str]:
    source = tmp_path / "sheet.txt"
    source.write_text(SEED.read_text(encoding="utf-8").rstrip("\n") + "\n" + tail + "\n", encoding="utf-8")
    plansheet.extract([source], tmp_path / "out")
    tables = plansheet.load(tmp_path / "out")
    goals = tables["goals"].sort_values("goal_no")
    sources = tables["sources"].iloc[0]
    warnings = sources["warnings"]
    return goals["next_steps"].iloc[-1], str(sources["status"]), "" if warnings is None or warnings is pd.NA else str(warnings)


def test_a_fields_only_text_that_begins_with_a_note_mark_is_kept_and_named(tmp_path: Path) -> None:
    """Right under 今後検討すべきこと, with no text of the field before it, ``※…`` may be the box's text or a
    note under an empty box: kept as the field's text and named (it was dropped as a note, under ``ok``)."""
    value, status, warnings = _last_goal(tmp_path, NOTE)
    assert value == NOTE
    assert status == "partial"
    assert "goal 6 (page 7) next_steps: its text begins as a note under the table does" in warnings


@pytest.mark.parametrize("note", [NOTE, "（注）数値は3月末時点の見込み。"])
def test_a_note_after_the_fields_own_text_is_the_tables_note(tmp_path: Path, note: str) -> None:
    value, status, warnings = _last_goal(tmp_path, "関係団体と協議を続けます。\n" + note)
    assert value == "関係団体と協議を続けます。"
    # the note is no field's text and named nowhere; the plan's one year-end text with no grade names the stage
    assert status == "partial" and warnings == (
        "document stage (page 7): read as a result sheet from goal 6 next_steps '関係団体と協議を続けます。' alone, with "
        "no grade (達成度) anywhere; if that text is the plan's blank or a note, the sheet is a plan")


def test_a_note_below_an_empty_line_in_a_text_export_is_kept_and_named_with_the_stage(tmp_path: Path) -> None:
    """Fuzz seed 50010-0014 (text), a plan: ``注：…`` stood below 今後検討すべきこと with an empty line between, kept as the
    field's text it made the plan a result, the stage unnamed. In a text export an empty line is no box left empty
    (review 2 D2: under a result's 今後検討すべきこと, ``注：…``, ``＊ …`` and ``（注）…`` below one were dropped
    under ok): the text is kept and the field named, and where it alone makes the sheet a result, the stage too."""
    value, status, warnings = _last_goal(tmp_path, "\n" + NOTE)
    assert value == NOTE
    assert status == "partial"
    assert "goal 6 (page 7) next_steps: its text begins as a note under the table does" in warnings
    assert "document stage: read as a result sheet only from text that begins as a note" in warnings


def test_a_note_below_the_fields_box_left_empty_is_the_tables_note() -> None:
    """Fuzz seed 50007-0014 (xlsx), a plan: ``＊ …`` stood below 今後検討すべきこと with the field's box (the row
    under the label) empty between them; kept as the field's text, it made the plan a result (its stage unnamed).
    Where the boxes are seen, a line below the empty box that begins as a note is the table's note."""
    cells = [c for c in _sheet_ending_with("今後検討すべきこと", NOTE, next_steps=None) if c.row != 7]
    sheet = parse_goal_sheet(cells)
    assert sheet.goal.next_steps is None and sheet.warnings == []
    own_box = parse_goal_sheet([replace(c, row=6) if c.text == NOTE else c for c in cells])  # in its box
    assert own_box.goal.next_steps == NOTE and [w.split(":")[0] for w in own_box.warnings] == [
        "goal 1 (page 2) next_steps"]
