"""docs/example_grades.py runs as the README says, writes nothing into the data folder, and fails clearly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from conftest import ROOT

EXAMPLE = ROOT / "docs" / "example_grades.py"


def _files(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _run(*args: str, cwd: Path, block_matplotlib: bool = False) -> subprocess.CompletedProcess:
    code = ("import sys, runpy; sys.modules['matplotlib'] = None; sys.argv = sys.argv[1:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__')") if block_matplotlib else None
    command = [sys.executable, "-c", code, str(EXAMPLE), *args] if code else [sys.executable, str(EXAMPLE), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def _expected_counts() -> dict[int, dict[str, int]]:
    """Grades of 環境部's goals per year, from the truth the lineage samples were generated from."""
    counts: dict[int, dict[str, int]] = {}
    for year in (2021, 2022, 2023):
        truth = json.loads((ROOT / "samples" / "truth" / f"lineage{year}.cid.pdf.json").read_text(encoding="utf-8"))
        for goal in truth["goals"]:
            counts.setdefault(year, {}).setdefault(goal["overall_grade"], 0)
            counts[year][goal["overall_grade"]] += 1
    return counts


def test_the_readme_says_how_to_run_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python docs/example_grades.py output 環境部" in readme and "pip install matplotlib" in readme


def test_the_example_runs_counts_grades_and_writes_nothing_into_the_data(copies_output: Path, tmp_path: Path) -> None:
    before = _files(copies_output)
    done = _run(str(copies_output), "環境部", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _files(copies_output) == before  # the data folder is read, never written
    assert (tmp_path / "grades_環境部.png").stat().st_size > 5_000  # the figure goes to the working folder
    table = done.stdout[done.stdout.index("overall_grade  A"):]
    for year, counts in _expected_counts().items():  # one row per year: the count of each grade
        row = next(line.split() for line in table.splitlines() if line.startswith(str(year)))
        assert dict(zip("ABCDE", map(int, row[1:]))) == {g: counts.get(g, 0) for g in "ABCDE"}, year
    assert "figure written to grades_環境部.png" in done.stdout


def test_without_matplotlib_the_tables_still_print(copies_output: Path, tmp_path: Path) -> None:
    done = _run(str(copies_output), "環境部", cwd=tmp_path, block_matplotlib=True)
    assert done.returncode == 0, done.stderr
    assert "pip install matplotlib" in done.stdout and "overall_grade" in done.stdout
    assert not any(tmp_path.iterdir())


def test_an_absent_department_fails_naming_the_ones_there(copies_output: Path, tmp_path: Path) -> None:
    done = _run(str(copies_output), "存在しない部", cwd=tmp_path)
    assert done.returncode != 0
    assert "no goals of department '存在しない部'" in done.stderr and "環境部" in done.stderr
    assert not any(tmp_path.iterdir())


def test_a_missing_output_folder_is_named(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode != 0 and "no such folder" in done.stderr
