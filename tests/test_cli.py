"""The ``plansheet`` command through click's runner and once as a real subprocess."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import SEED
from plansheet import __version__
from plansheet.cli.main import main


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_help_has_examples() -> None:
    result = CliRunner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0
    assert "plansheet extract samples --out output" in result.output
    assert "--format" in result.output and "--ocr" in result.output


def test_extract_prints_one_line_per_file_and_a_tally(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(SEED), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "ok       " in result.output and "1 document(s), 31 rows" in result.output
    assert "1 file(s): 1 ok; 1 document(s)" in result.output


def test_a_failed_file_gives_exit_1_after_converting_the_rest(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(empty), str(SEED), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "failed   " in result.output and "empty file (0 bytes)" in result.output
    assert (tmp_path / "o" / "csv" / "goals.csv").read_text(encoding="utf-8-sig").count("\n") == 7


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(SEED)]).exit_code == 2  # no --out
    assert runner.invoke(main, ["extract", str(tmp_path / "missing.pdf"), "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(main, ["extract", str(SEED), "--out", str(tmp_path), "--format", "xml"]).exit_code == 2


def test_csv_only_and_parquet_only(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(SEED), "--out", str(tmp_path / "p"), "--format", "parquet"]).exit_code == 0
    assert not (tmp_path / "p" / "csv").exists()
    assert runner.invoke(main, ["extract", str(SEED), "--out", str(tmp_path / "c"), "--format", "csv"]).exit_code == 0
    assert (tmp_path / "c" / "csv" / "targets.csv").is_file()


def test_real_subprocess(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("plansheet")
    done = subprocess.run([str(exe), "extract", str(SEED), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "000_b2610523df0a2988.txt" in done.stdout
    assert "1 file(s): 1 ok" in done.stderr
    assert (tmp_path / "o" / "parquet" / "sources").is_dir()


def test_debug_draws_the_page_with_its_labels(tmp_path: Path) -> None:
    from PIL import Image

    from plansheet.cli.debug import page_labels
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import Settings
    from conftest import SAMPLES

    pdf = SAMPLES / "printed" / "seed.reportlab.pdf"
    out = tmp_path / "p2.png"
    result = CliRunner().invoke(main, ["debug", str(pdf), "--page", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size[0] > 1000
    labels = page_labels(read_pdf(pdf, Settings()).pages[1].cells)
    assert {"department", "goal_heading", "target", "initiative", "section", "results"} <= set(labels.values())
    assert CliRunner().invoke(main, ["debug", str(pdf), "--page", "99", "--out", str(out)]).exit_code == 2


def test_every_exit_code_is_in_the_readme_table() -> None:
    from conftest import ROOT
    from plansheet.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [code for code in ExitCode if f"\n| {int(code)} | " not in readme] == []


def test_the_most_specific_error_class_decides_the_exit_code() -> None:
    from plansheet.cli.main import exit_code_of
    from plansheet.errors import EncryptedPdfError, ExitCode, OutputLockedError, PlansheetError

    assert exit_code_of(OutputLockedError("x")) is ExitCode.LOCKED
    assert exit_code_of(EncryptedPdfError("x")) is ExitCode.SOME_FAILED  # a TriageError
    assert exit_code_of(PlansheetError("x")) is ExitCode.USAGE
    assert exit_code_of(ValueError("x")) is None  # not in the table: the boundary calls it an internal error
