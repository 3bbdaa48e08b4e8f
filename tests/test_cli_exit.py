"""The CLI's own process leaves without tearing the interpreter down, once its run is over."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from plansheet.cli.main import main

# The interpreter's teardown raises the audit event cpython.PyInterpreterState_Clear (after the exit
# handlers); an exit handler runs either way. Both say so on stderr (through os.write, which teardown spares).
CLI = """
import atexit, os, sys

def audit(event, args, write=os.write):
    if event == "cpython.PyInterpreterState_Clear":
        write(2, b"interpreter torn down\\n")

sys.addaudithook(audit)
atexit.register(os.write, 2, b"exit handlers ran\\n")
from plansheet.cli.main import console
console()
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, timeout=300)


def test_a_finished_run_leaves_at_once_with_its_exit_code_and_every_line(tmp_path: Path) -> None:
    done = run_cli("extract", str(SEED), "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    assert "ok       " in done.stdout and "1 document(s), 31 rows" in done.stdout
    assert "1 file(s): 1 ok; 1 document(s)" in done.stderr
    assert "exit handlers ran" in done.stderr  # multiprocessing reaps its workers, logging flushes
    assert "interpreter torn down" not in done.stderr
    assert (tmp_path / "o" / "csv" / "goals.csv").read_text(encoding="utf-8-sig").count("\n") == 7

    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    failed = run_cli("extract", str(empty), str(SEED), "--out", str(tmp_path / "o2"), "--executor", "processes",
                     "--workers", "2")  # read by two workers, which the exit handlers reap
    assert failed.returncode == 1  # the run's own exit code
    assert "failed   " in failed.stdout and "ok       " in failed.stdout
    assert "2 file(s): 1 ok, 1 failed; 1 document(s)" in failed.stderr
    assert "interpreter torn down" not in failed.stderr


def test_a_run_in_a_program_returns(tmp_path: Path) -> None:
    # CliRunner gives the command other streams: the process is a program's, and goes on
    result = CliRunner().invoke(main, ["extract", str(SEED), "--out", str(tmp_path / "o")], standalone_mode=False)
    assert result.exception is None and int(result.return_value) == 0


def test_a_run_whose_reader_has_gone_still_writes_its_output(tmp_path: Path) -> None:
    """``plansheet extract … | head -0``: the pipe's reader leaves before the first line; the run still converts
    every file and writes every table (what it reports is lost, not what it writes)."""
    from conftest import SAMPLES

    command = [sys.executable, "-c", "from plansheet.cli.main import main; main()", "extract", str(SEED),
               str(SAMPLES / "workbooks" / "seed.xlsx"), "--out", str(tmp_path / "o")]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.close()  # type: ignore[union-attr]
        _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    assert b"2 file(s): 2 ok; 2 document(s)" in err
    assert (tmp_path / "o" / "csv" / "goals.csv").read_text(encoding="utf-8-sig").count("\n") == 13


def test_a_program_calling_the_command_in_its_own_process_gets_the_return(tmp_path: Path) -> None:
    """A program (a nightly wrapper, ``pytest -s``) calling ``main`` with its real streams: the run returns to
    it, on its main thread and on another, and the program goes on to its own end."""
    program = f"""
import threading
from plansheet.cli.main import main
args = ["extract", {str(SEED)!r}, "--out", {str(tmp_path / "o")!r}]
print("returned", main(args, standalone_mode=False), flush=True)
box = []
thread = threading.Thread(target=lambda: box.append(main(args, standalone_mode=False)))
thread.start(); thread.join(120)
print("from a thread", box, flush=True)
raise SystemExit(3)
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    assert "returned 0" in done.stdout and "from a thread [0]" in done.stdout


@pytest.mark.parametrize("closed", [1, 2], ids=["stdout", "stderr"])
def test_a_run_started_without_stdout_or_stderr_writes_its_output(closed: int, tmp_path: Path) -> None:
    """``plansheet extract … >&-`` (or ``2>&-``): Python has no such stream at all; the run still converts and
    writes everything, and exits 0."""
    import os

    done = subprocess.run([sys.executable, "-c", CLI, "extract", str(SEED), "--out", str(tmp_path / "o")],
                          preexec_fn=lambda: os.close(closed), capture_output=False, timeout=300)
    assert done.returncode == 0
    assert (tmp_path / "o" / "csv" / "goals.csv").read_text(encoding="utf-8-sig").count("\n") == 7
