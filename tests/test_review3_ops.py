"""Review 3's operational defects: what a nightly run leaves for the operator and the researcher.

V6: a worker whose run was killed ends quietly; V8: an archive in an input folder gets a line and a
``sources`` row; V5/V9: a source that cannot be read now keeps its last good reading and says so;
V7: an empty table is a file with the table's columns and no rows.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import zipfile
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.batch.executors import Task, _worker_main, run_sequential
from plansheet.batch.ingest import ingest
from plansheet.settings import Settings

from conftest import SEED

pytestmark = pytest.mark.timeout(120)


def _echo(task: Task, settings: Settings) -> str:
    return task.name


def _worker(mine: Connection, theirs: Connection) -> None:
    theirs.close()  # as a fork server's worker, which holds no copy of the parent's end
    _worker_main(mine, None, _echo)


def test_a_worker_whose_run_was_killed_ends_without_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """V6. The run's process killed (SIGKILL, the OOM killer) with an outcome still unread in its pipe: the
    kernel resets the pipe, and the worker waiting on it ends at once, exit code 0, printing nothing."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    worker = ctx.Process(target=_worker, args=(child, parent), name="plansheet-worker", daemon=True)
    worker.start()
    child.close()
    parent.send((Task(Path("a.txt"), "a.txt"), Settings()))
    assert parent.poll(30)  # its outcome is in the pipe, unread, as when the run is killed
    parent.close()  # with unread data: the worker's next recv() gets ECONNRESET
    worker.join(30)
    assert worker.exitcode == 0
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ConnectionResetError" not in err


def test_an_archive_in_an_input_folder_gets_a_line_and_a_sources_row(tmp_path: Path) -> None:
    """V8. A .zip of sheets in a folder was passed over with no line and no row: every file handed over is
    accounted for, and an archive is ``skipped`` with what to do (its sheets are never read from inside it)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "plan.txt")
    with zipfile.ZipFile(inbox / "bundle.zip", "w") as archive:
        archive.write(SEED, "plan2.txt")
    (inbox / "plans.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(56))
    results = {r.source_file: r for r in plansheet.extract([inbox], tmp_path / "out", runner=run_sequential)}
    assert {n: r.status.value for n, r in results.items()} == {
        "inbox/plan.txt": "ok", "inbox/bundle.zip": "skipped", "inbox/plans.7z": "skipped"}
    assert results["inbox/bundle.zip"].error == (
        "inbox/bundle.zip: a ZIP archive, not a sheet: unpack it and convert the folder")
    assert results["inbox/plans.7z"].error == (
        "inbox/plans.7z: a 7-Zip archive, not a sheet: unpack it and convert the folder")
    sources = pd.read_parquet(tmp_path / "out" / "parquet" / "sources").set_index("source_file")
    assert sources.loc["inbox/bundle.zip", "status"] == "skipped"
    assert sources.loc["inbox/bundle.zip", "source_sha256"] == hashlib.sha256(
        (inbox / "bundle.zip").read_bytes()).hexdigest()
    report = ingest(tmp_path / "ing", [inbox], None, Settings(), runner=run_sequential)
    assert {r.source_file: r.status.value for r in report.results} == {
        "inbox/plan.txt": "ok", "inbox/bundle.zip": "skipped", "inbox/plans.7z": "skipped"}
