"""docs/example_grades.py runs on the lineage samples' output and draws its figure."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

import plansheet

pytest.importorskip("matplotlib")
ROOT = Path(__file__).resolve().parent.parent


def test_worked_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "lineage"], out)
    monkeypatch.setattr(sys, "argv", ["example_grades.py", str(out), "環境部"])
    namespace = runpy.run_path(str(ROOT / "docs" / "example_grades.py"), run_name="__main__")
    figure = out / "grades_環境部.png"
    assert figure.stat().st_size > 5_000
    assert namespace["mean_by_year"].round(2).to_dict() == {2021: 2.75, 2022: 1.8, 2023: 1.6}
    assert "figure written to" in capsys.readouterr().out
