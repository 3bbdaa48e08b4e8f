"""Shared fixtures: extractions done once per session and reused by many tests."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import plansheet

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "000_b2610523df0a2988.txt"


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed export converted once into a fresh output folder."""
    out = tmp_path_factory.mktemp("seed_out")
    results = plansheet.extract([SEED], out)
    assert [r.status.value for r in results] == ["ok"], results
    return out


@pytest.fixture(scope="session")
def seed_tables(seed_output: Path) -> dict[str, pd.DataFrame]:
    """The seed's tables as loaded by the public API."""
    return plansheet.load(seed_output)


# One archive holding several copies of one sheet: the seed (政策推進部 2023, plan) as a text
# export, a workbook and two printed PDFs; 健康福祉部's 2022 result as a workbook and a PDF;
# and 環境部 over three years.
COPIES_INPUTS = ["000_b2610523df0a2988.txt", "workbooks/seed.xlsx", "printed/seed.reportlab.pdf",
                 "printed/seed.chromium.pdf", "workbooks/result.xlsx", "printed/result.reportlab.pdf", "lineage"]


@pytest.fixture(scope="session")
def copies_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with four copies of the seed sheet and the lineage samples, converted once."""
    out = tmp_path_factory.mktemp("copies_out")
    results = plansheet.extract([SAMPLES / name for name in COPIES_INPUTS], out)
    assert {r.status.value for r in results} == {"ok"}, results
    return out


def kill_at(cmd: list[str], delay: float) -> bool:
    """Start ``cmd``, SIGKILL its process group after ``delay`` s; True if it was still running."""
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        process.wait(delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True
