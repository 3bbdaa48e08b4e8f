"""REVIEW3 V20, V23, V12: what a run says and keeps when names and documents part ways (docs/batch.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from conftest import SAMPLES, SEED
from plansheet.cli.main import main

RESULT = SAMPLES / "workbooks" / "result.xlsx"


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _stored(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / "documents")


def test_the_tally_counts_the_documents_the_tables_hold(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "seisaku.txt")
    shutil.copy(SEED, inbox / "seisaku_copy.txt")  # the same bytes under a second name: stored once
    shutil.copy(RESULT, inbox / "kenko.xlsx")
    for command in ("ingest", "extract"):
        out = tmp_path / command
        output = _cli(command, str(inbox), "--out", str(out), "--executor", "sequential")
        assert len(_stored(out)) == 2
        assert "3 file(s): 3 ok; 2 document(s) (1 file(s) hold the same bytes as another, stored once)" in output
    again = _cli("ingest", str(inbox), "--out", str(tmp_path / "ingest"), "--executor", "sequential")
    assert "3 file(s): 3 skipped; 2 document(s) (1 file(s)" in again
