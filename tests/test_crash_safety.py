"""SIGKILL an ingest at random moments, re-run it, and get exactly what a clean run gets.

A batch of committed samples (and two URLs of a loopback server, so downloads are killed
too) is ingested once cleanly. Then the same batch is ingested into another folder and
the whole process group (workers included) is killed at a random moment, again and again;
every few kills the ingest is run to completion and the dataset compared with the clean
one: every document table row for row, the CSVs byte for byte, the sources rows, the
catalog (no write-ahead note left) and no temp file anywhere.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from plansheet.batch.catalog import CATALOG_NAME, Catalog
from plansheet.output.dataset import key_is_stored
from plansheet.output.rows import DOCUMENT_TABLES
from plansheet.output.staging import staged_keys
from plansheet.output.writers import read_table, source_key

from conftest import ROOT, SAMPLES, SEED, kill_at
from test_ingest import LoopbackServer

# A guard against a hang only, not a budget: the test's work is counted (KILLS kills, each within one
# run's span; every other run ends within _run's timeout), and its wall time follows the machine's load
# (about 100 s on a quiet 2-core machine, past 400 s at load 14)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
KILLS = int(os.environ.get("PLANSHEET_CRASH_KILLS", "20"))
CHECK_EVERY = 6  # kills per round at most; each round starts from an empty output
SEED_RANDOM = int(os.environ.get("PLANSHEET_CRASH_SEED", "20240601"))


def _inputs(tmp: Path) -> Path:
    inbox = tmp / "inbox"
    inbox.mkdir()
    for path in [*sorted((SAMPLES / "printed").glob("*.cid.pdf")), *sorted((SAMPLES / "workbooks").glob("*.xlsx")),
                 SEED]:
        shutil.copy(path, inbox / path.name)
    (inbox / "empty.pdf").write_bytes(b"")  # fails every run: retried, never doubled
    return inbox


def _command(inbox: Path, urls: Path, out: Path, parallel: bool) -> list[str]:
    executor = ["--executor", "processes", "--workers", "2"] if parallel else ["--executor", "sequential"]
    return [sys.executable, "-c", "from plansheet.cli.main import main; main()", "ingest", str(inbox), "--urls", str(urls), "--out", str(out),
            "--ocr", "never", "--http-timeout", "5", *executor]


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    return done


def _rows(frame: pd.DataFrame) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in frame.to_dict("records"))


def _snapshot(out: Path) -> dict[str, object]:
    """Everything a reader of ``out`` sees, minus wall times."""
    snap: dict[str, object] = {}
    for name in DOCUMENT_TABLES:
        frame = read_table(out, name).to_pandas()
        snap[name] = _rows(frame)
        snap[f"{name}.csv"] = (out / "csv" / f"{name}.csv").read_bytes()
    sources = read_table(out, "sources").to_pandas().drop(columns=["seconds", "extracted_at", "source_modified"])
    snap["sources"] = _rows(sources)
    snap["sources identity"] = _rows(sources[["source_file", "source_sha256", "documents"]])
    snap["files"] = sorted(p.relative_to(out).as_posix() for p in (out / "parquet").rglob("*") if p.is_file())
    return snap


def _assert_clean_state(out: Path) -> None:
    temps = [p for p in out.rglob(".*") if p.name != ".plansheet.lock"]
    assert not temps, f"temp files left: {temps}"
    catalog = Catalog(out / CATALOG_NAME)
    try:
        assert not [c for c in catalog.contents() if c.pending], "a write-ahead note was left"
        for entry in catalog.all():
            assert not entry.row_dirty, entry
            assert key_is_stored(out, source_key(entry.source_file)), entry
    finally:
        catalog.close()
    assert not staged_keys(out), "a staged file was not merged"


def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    inbox = _inputs(tmp_path)
    with LoopbackServer() as server:
        server.content["remote/plan.pdf"] = (SAMPLES / "printed" / "reiwa1.libreoffice.pdf").read_bytes()
        server.content["remote/result.pdf"] = (SAMPLES / "printed" / "result.libreoffice.pdf").read_bytes()
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(server.url(p) + "\n" for p in server.content))
        clean, crashed = tmp_path / "clean", tmp_path / "crashed"

        started = time.monotonic()
        _run(_command(inbox, urls, clean, parallel=False))
        span = time.monotonic() - started
        expected = _snapshot(clean)
        _run(_command(inbox, urls, clean, parallel=False))  # an unchanged night changes nothing
        assert _snapshot(clean) == expected
        assert len(expected["documents"]) == 11  # type: ignore[arg-type]

        rng = random.Random(SEED_RANDOM)
        landed, finished, rounds = 0, 0, 0
        while landed < KILLS:
            rounds += 1
            shutil.rmtree(crashed, ignore_errors=True)
            for attempt in range(CHECK_EVERY):  # kill the run, and the re-runs, until one finishes
                parallel = (landed + attempt) % 2 == 1
                began = time.monotonic()
                if not kill_at(_command(inbox, urls, crashed, parallel), rng.uniform(0.5, span)):
                    finished += 1
                    if attempt == 0:  # a whole run, from an empty output: its time is the span now (load fell)
                        span = time.monotonic() - began
                    break
                landed += 1
            _run(_command(inbox, urls, crashed, parallel=False))  # re-run to the end
            _assert_clean_state(crashed)
            got = _snapshot(crashed)
            for key in expected:
                assert got[key] == expected[key], f"{key} differs after {landed} kills (round {rounds})"
        _run(_command(inbox, urls, crashed, parallel=True))  # once more: every file unchanged now
        assert _snapshot(crashed) == expected
    report = f"crash safety: {landed} kills landed in {rounds} rounds ({finished} runs finished first), span {span:.1f} s"
    print(report)
    (tmp_path / "report.txt").write_text(report)
    assert landed >= min(KILLS, 20)
