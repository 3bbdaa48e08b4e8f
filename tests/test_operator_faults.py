"""Broken machines and tired operators (issue 17): one line that says what to do, and an exit code of its own.

Each fault is made for real where the machine allows it (a file where OUT's folder should be,
garbage in catalog.sqlite, a port nobody listens on, a Dask worker that exits while starting);
a full disk is injected at the writer, the one place that meets it.
"""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from plansheet.cli.main import EXIT_CODES, main
from plansheet.errors import ClusterUnavailableError, ExitCode


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--executor", "sequential"])


def test_out_that_cannot_be_a_folder_is_exit_5_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = _run("extract", str(SEED), "--out", str(tmp_path / "afile" / "out"))
    assert result.exit_code == ExitCode.OUTPUT_NOT_WRITABLE == 5
    assert result.output.count("\n") == 1 and "cannot write the output folder" in result.output
    assert "Traceback" not in result.output


def test_a_full_disk_is_exit_4_and_keeps_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plansheet.output.writers as writers

    def full(out: Path, outcome: object, *documents_name: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "parquet" / "x.tmp"))

    monkeypatch.setattr(writers, "write_outcome", full)
    result = _run("extract", str(SEED), "--out", str(tmp_path / "o"))
    assert result.exit_code == ExitCode.DISK_FULL == 4
    assert "disk full while writing" in result.output and "free space" in result.output


def test_a_damaged_catalog_is_exit_6_and_rebuild_sets_it_aside(tmp_path: Path) -> None:
    out, inbox = tmp_path / "o", tmp_path / "in"
    out.mkdir()
    inbox.mkdir()
    (inbox / SEED.name).write_bytes(SEED.read_bytes())
    (out / "catalog.sqlite").write_bytes(b"this is not a database" * 100)
    result = _run("ingest", str(inbox), "--out", str(out))
    assert result.exit_code == ExitCode.CATALOG_DAMAGED == 6
    assert f"plansheet rebuild {out}" in result.output and "Traceback" not in result.output
    rebuilt = CliRunner().invoke(main, ["rebuild", str(out)])
    assert rebuilt.exit_code == 0 and "moved to catalog.sqlite.damaged-" in rebuilt.output
    again = _run("ingest", str(inbox), "--out", str(out))
    assert again.exit_code == 0 and "1 ok" in again.output


def test_an_unreachable_scheduler_is_told_quickly() -> None:
    pytest.importorskip("distributed")
    from plansheet.batch.executors import DaskExecutor
    from plansheet.settings import Settings

    run = DaskExecutor(scheduler="tcp://127.0.0.1:1", connect_timeout_s=1)
    with pytest.raises(ClusterUnavailableError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        list(run([SEED], Settings()))
    assert EXIT_CODES[ClusterUnavailableError] == ExitCode.CLUSTER_UNAVAILABLE == 7


@pytest.mark.slow
def test_a_dask_worker_dying_at_start_is_exit_7(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    die = tmp_path / "die.py"
    die.write_text("import os\nos._exit(3)\n")
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__PRELOAD=f'["{die}"]')
    plansheet = Path(sys.executable).with_name("plansheet")
    done = subprocess.run([str(plansheet), "extract", str(SEED), "--out", str(tmp_path / "o"),
                           "--executor", "dask", "--workers", "1"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == ExitCode.CLUSTER_UNAVAILABLE
    assert "the local Dask cluster did not start" in done.stderr and "Traceback" not in done.stderr


def test_a_bug_is_one_line_and_exit_70(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plansheet.batch.finish as finish

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(finish, "finish_output", broken)
    result = _run("extract", str(SEED), "--out", str(tmp_path / "o"))
    assert result.exit_code == ExitCode.INTERNAL == 70
    assert "internal error (ZeroDivisionError: division by zero); please report it" in result.output


def test_an_unexpected_error_names_the_stage_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser bug is reported ``while parsing`` (it said ``while parseing``), with the file and a request to report it."""
    import plansheet
    from plansheet.pipeline import stages

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("goal")

    monkeypatch.setattr(stages, "parse_pages", broken)
    (result,) = plansheet.extract([SEED], tmp_path / "out")
    assert result.error is not None and "unexpected KeyError while parsing: 'goal' (please report this file)" in result.error
