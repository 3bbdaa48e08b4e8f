"""Hostile inputs (issue 17): each is a small file generated here, and each ends in a clear row.

Never a traceback, never a hang, never a wrong ``ok``: every case below failed before its fix.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.batch.executors import run_sequential

from conftest import SAMPLES

WORKBOOK = SAMPLES / "workbooks" / "seed.xlsx"


def _convert(paths: list[Path], out: Path) -> tuple[list, dict]:
    results = plansheet.extract(paths, out, runner=run_sequential)
    return results, plansheet.load(out)


def _many_sheets(target: Path, extra: int = 200) -> Path:
    """The seed workbook followed by ``extra`` unrelated worksheets (minutes and a budget)."""
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK)
    for n in range(1, extra + 1):
        sheet = book.create_sheet(f"議事録{n}")
        sheet["A1"] = f"第{n}回 庁内連絡会議 議事録"
        sheet["A2"], sheet["B2"] = "議題", f"予算の執行状況について（その{n}）"
        sheet["A3"], sheet["B3"] = "結果", "次回までに各課で検討すること。"
    book.save(target)
    return target


def test_unrelated_worksheets_are_skipped_and_named(tmp_path: Path) -> None:
    plain_results, plain = _convert([WORKBOOK], tmp_path / "plain")
    results, tables = _convert([_many_sheets(tmp_path / "many.xlsx")], tmp_path / "many")
    assert [r.status.value for r in results] == ["partial"]
    warning = results[0].warnings[0]
    assert warning.startswith("200 worksheet(s) hold no part of the plan") and "'議事録1'" in warning
    assert plain_results[0].status.value == "ok"
    for table in ("documents", "goals", "targets", "initiatives", "officers"):
        drop = ["doc_id", "source_file", "source_sha256"]
        got = tables[table].drop(columns=[c for c in drop if c in tables[table]])
        want = plain[table].drop(columns=[c for c in drop if c in plain[table]])
        pd.testing.assert_frame_equal(got, want, obj=table)


def test_a_stray_cell_at_the_last_address_costs_one_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK)
    book.worksheets[-1]["XFD1048576"] = "x"
    book.save(tmp_path / "stray.xlsx")
    from plansheet.readers.workbook import read_workbook

    pages = read_workbook(tmp_path / "stray.xlsx").pages
    last = [c for c in pages[-1].cells if c.text == "x"]
    assert [(c.row, c.col) for c in last] == [(1048575, 16383)]
    results, tables = _convert([tmp_path / "stray.xlsx"], tmp_path / "out")
    assert results[0].documents == 1 and len(tables["goals"]) == 6
