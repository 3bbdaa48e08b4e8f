"""The same per-file tasks on Dask distributed (an in-process LocalCluster here)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import plansheet
from plansheet.batch.executors import DaskExecutor, run_sequential

from conftest import SAMPLES, SEED

pytest.importorskip("distributed")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # a hang guard, not a budget
FILES = [SEED, SAMPLES / "workbooks" / "reiwa1.xlsx", SAMPLES / "printed" / "result.cid.pdf"]


def test_dask_local_cluster_gives_what_sequential_gives(tmp_path: Path) -> None:
    dask_results = plansheet.extract(FILES, tmp_path / "dask", runner=DaskExecutor(workers=1, processes=False))
    plain_results = plansheet.extract(FILES, tmp_path / "plain", runner=run_sequential)
    assert sorted(r.source_file for r in dask_results) == sorted(r.source_file for r in plain_results)
    assert all(r.status.value == "ok" for r in dask_results)
    dask_tables, plain_tables = plansheet.load(tmp_path / "dask"), plansheet.load(tmp_path / "plain")
    for name in ("documents", "goals", "targets", "initiatives", "officers", "grade_scale"):
        key = list(dask_tables[name].columns[:3])
        left = dask_tables[name].sort_values(key).reset_index(drop=True)
        right = plain_tables[name].sort_values(key).reset_index(drop=True)
        assert left.equals(right), name


def test_a_failing_task_costs_its_file_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    results = plansheet.extract([SEED, empty], tmp_path / "out", runner=DaskExecutor(workers=1, processes=False))
    assert sorted(r.status.value for r in results) == ["failed", "ok"]


def test_dask_is_imported_only_when_asked_for() -> None:
    import subprocess

    code = ("import sys, plansheet.cli.main, plansheet.batch.executors, plansheet.batch.ingest; "
            "print(any(m == 'dask' or m.startswith(('dask.', 'distributed')) for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_existing_scheduler_runs_the_tasks(tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        runner = DaskExecutor(scheduler=cluster.scheduler_address)
        results = plansheet.extract([SEED], tmp_path, runner=runner)
    assert [r.status.value for r in results] == ["ok"]
    assert cluster.scheduler_address.startswith(("tcp://", "inproc://"))
