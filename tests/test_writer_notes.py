"""REVIEW6 Y13: a note to the writer in a plan's year-end cells is no value, and a result read from
year-end text with no grade anywhere is named."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import plansheet
from conftest import SEED
from plansheet.parsers.writer_notes import is_writer_note


@pytest.mark.parametrize("text", ["（実績は年度末に記入）", "（年度末に記入）", "【年度末に記載】", "(記入不要)",
                                  "※年度末に記入してください。", "年度末に記入", "（未記入）"])
def test_notes_to_the_writer(text: str) -> None:
    assert is_writer_note(text)


@pytest.mark.parametrize("text", ["申請書の記入支援を行いました。", "（詳細は別紙）", "特になし", "－",
                                  "窓口で記入例を掲示し、（年度末に記入）欄の説明を行いました。"])
def test_values_are_no_notes(text: str) -> None:
    assert not is_writer_note(text)


def _read(tmp_path: Path, text: str) -> tuple[plansheet.SourceResult, pd.DataFrame, pd.DataFrame]:
    sheet = tmp_path / "sheet.txt"
    sheet.write_text(text, encoding="utf-8")
    [result] = plansheet.extract([sheet], tmp_path / "out", output_format="parquet")
    parquet = tmp_path / "out" / "parquet"
    return result, pd.read_parquet(parquet / "documents"), pd.read_parquet(parquet / "goals")


def test_a_plan_whose_year_end_cells_hold_notes_is_a_plan(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert text.count("具体的な取組実績\t\n") == 2 and text.count("総合評価・総括\n") == 6
    text = text.replace("具体的な取組実績\t\n", "具体的な取組実績\t（実績は年度末に記入）\n")
    text = text.replace("総合評価・総括\n", "総合評価・総括\n（年度末に記入）\n")
    result, documents, goals = _read(tmp_path, text)
    assert result.status.value == "ok", result.warnings
    assert list(documents["stage"]) == ["plan"]
    assert goals["overall_summary"].isna().all()
    initiatives = pd.read_parquet(tmp_path / "out" / "parquet" / "initiatives")
    assert initiatives["results"].isna().all()


def test_a_result_read_from_text_alone_with_no_grade_is_named(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("今後検討すべきこと\n", "今後検討すべきこと\n特になし\n", 1)
    result, documents, goals = _read(tmp_path, text)
    assert list(documents["stage"]) == ["result"]
    assert result.status.value == "partial"
    assert [w for w in result.warnings if w.startswith("document stage")] == [
        "document stage (page 2): read as a result sheet from goal 1 next_steps '特になし' alone, with no grade "
        "(達成度) anywhere; if that text is the plan's blank or a note, the sheet is a plan"]
