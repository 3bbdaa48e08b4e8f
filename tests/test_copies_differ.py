"""Copies of one sheet that give a grade otherwise are named, not chosen between in silence.

健康福祉部's 2022 result sheet as the sample workbook, and as a text export rendered from the same
content by the project's renderer, once as it is and once corrected (goal 2 graded B, where the
workbook says C). The workbook counts (a workbook before a text export); the corrected export is
its copy with ``copy_reason`` ``differs``, and the run warns, naming the field and both values.
"""
from __future__ import annotations

import copy
import logging
import shutil
from pathlib import Path

import pytest

import plansheet

from conftest import ROOT, SAMPLES

from samples.generate import content, layout
from samples.generate.render_text import write_text_export


def _inbox(tmp_path: Path, goal_2_grade: str | None) -> Path:
    department = copy.deepcopy(content.DEPARTMENTS["result"])
    assert department.goals[1].overall_grade == "C"
    if goal_2_grade is not None:
        department.goals[1].overall_grade = goal_2_grade
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "workbooks" / "result.xlsx", inbox / "result.xlsx")
    write_text_export(layout.department_pages(department), inbox / "result.txt", "grid", quoted=True)
    return inbox


@pytest.mark.parametrize("grade, reason", [(None, "method"), ("B", "differs")])
def test_a_copy_giving_another_grade_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                              grade: str | None, reason: str) -> None:
    inbox, out = _inbox(tmp_path, grade), tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="plansheet.derived.differs"):
        results = plansheet.extract([inbox], out)
    assert [r.status.value for r in results] == ["ok", "ok"]
    documents = plansheet.load(out, copies="all")["documents"].assign(name=lambda f: f["source_file"].map(lambda s: Path(s).name)).set_index("name")
    workbook, export = documents.loc["result.xlsx"], documents.loc["result.txt"]
    assert (bool(workbook["is_current"]), bool(export["is_current"])) == (True, False)
    assert (export["copy_of"], export["copy_reason"]) == (workbook["doc_id"], reason)
    said = [r.getMessage() for r in caplog.records if r.name == "plansheet.derived.differs"]
    if grade is None:
        assert said == []
    else:
        assert said == [f"健康福祉部 2022 (result) goal 2 overall_grade: the copy {export['doc_id']} (inbox/result.txt) gives "
                        f"B, the current copy {workbook['doc_id']} (inbox/result.xlsx) gives C; copy_reason differs"]
    goals = plansheet.load(out)["goals"]
    assert goals.loc[goals["goal_no"] == 2, "overall_grade"].tolist() == ["C"]
