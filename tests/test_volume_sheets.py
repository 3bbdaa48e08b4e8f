"""Review 1 D13: a compiled volume's goal sheet belongs to the department its own 部 cell names, not to the front
sheet it happens to follow (samples/printed/volume.reportlab.pdf with its pages rebound by pikepdf)."""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from plansheet.batch.executors import run_sequential

from conftest import SAMPLES

VOLUME = SAMPLES / "printed" / "volume.reportlab.pdf"  # 健康福祉部 2–6, 都市整備部 7–10, 経営企画部 11–14


def _rebound(target: Path, order: list[int]) -> Path:
    """The volume with its pages (1-based) in ``order`` (a page left out is gone)."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(VOLUME) as source, pikepdf.new() as out:
        for number in order:
            out.pages.append(source.pages[number - 1])
        out.save(target)
    return target


def _documents(path: Path, out: Path) -> dict:
    [result] = plansheet.extract([path], out, runner=run_sequential)
    tables = plansheet.load(out)
    return {"result": result, **tables}


def test_a_misbound_goal_sheet_goes_to_the_department_it_names(tmp_path: Path) -> None:
    """健康福祉部's goal 2 sheet (page 4) bound after 都市整備部's sheets: still 健康福祉部's goal 2, read whole."""
    read = _documents(_rebound(tmp_path / "v.pdf", [1, 2, 3, 5, 6, 7, 8, 9, 10, 4, 11, 12, 13, 14]), tmp_path / "o")
    assert read["result"].status.value == "ok" and read["result"].warnings == []
    goals = read["goals"]
    assert sorted(goals[goals.department == "健康福祉部"].goal_no) == [1, 2, 3, 4]
    assert sorted(goals[goals.department == "都市整備部"].goal_no) == [1, 2, 3]
    targets = read["targets"]
    assert len(targets[(targets.department == "健康福祉部") & (targets.goal_no == 2)]) >= 1


def test_goal_sheets_whose_front_page_is_missing_are_a_document_of_their_own(tmp_path: Path) -> None:
    """都市整備部's front page (7) gone: its three goal sheets are its own document, not 健康福祉部's more sheets."""
    read = _documents(_rebound(tmp_path / "v.pdf", [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]), tmp_path / "o")
    documents = read["documents"]
    assert sorted(documents.department) == ["健康福祉部", "経営企画部", "都市整備部"]
    assert documents.set_index("department").loc["健康福祉部", "page_count"] == 5
    goals = read["goals"]
    assert sorted(goals[goals.department == "都市整備部"].goal_no) == [1, 2, 3]
    assert any("no front sheet found" in w for w in read["result"].warnings)
