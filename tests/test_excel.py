"""The CSVs open right in Excel: no page range turned into a date, rows by department and year, a flat CSV."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import plansheet
from conftest import ROOT
from plansheet.cli.main import main

EXCEL_DATE = re.compile(r"^\d{1,4}[-/]\d{1,2}([-/]\d{1,4})?$")  # what Excel turns into a date on opening


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "csv" / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_no_cell_of_documents_csv_opens_as_a_date(copies_output: Path) -> None:
    documents = _csv(copies_output, "documents")
    dates = [v for column in documents for v in documents[column] if EXCEL_DATE.match(v)]
    assert dates == []
    assert documents["pages"].str.contains("–").any()  # ranges written with an en dash
    first, last = documents["first_page"].astype(int), documents["last_page"].astype(int)
    assert (first >= 1).all() and (last >= first).all()
    stored = plansheet.load(copies_output, copies="all")["documents"]
    assert (stored["last_page"] - stored["first_page"] + 1).ge(stored["page_count"].where(
        stored["pages"].str.contains(","), 0)).all()


def test_goal_target_and_initiative_csvs_run_by_department_year_and_number(copies_output: Path) -> None:
    keys = {"goals": ["goal_no"], "targets": ["goal_no", "target_no"], "initiatives": ["goal_no", "initiative_no"]}
    for name, numbers in keys.items():
        frame = _csv(copies_output, name)
        assert {"department", "fiscal_year"} <= set(frame.columns), name
        order = frame[["department", "fiscal_year", "doc_id"]].assign(
            **{n: frame[n].astype(int) for n in numbers})
        assert order.equals(order.sort_values(["department", "fiscal_year", "doc_id", *numbers])), name


def test_a_flat_csv_has_one_row_per_initiative_of_each_sheet(copies_output: Path) -> None:
    flat = _csv(copies_output, "initiatives_flat")
    tables = plansheet.load(copies_output)
    assert len(flat) == len(tables["initiatives"])  # the current copy of each sheet, once
    assert {"department", "fiscal_year", "goal_title", "target_text", "initiative_text"} <= set(flat.columns)
    seed = flat[(flat["department"] == "政策推進部") & (flat["fiscal_year"] == "2023")]
    assert seed["doc_id"].nunique() == 1 and len(seed) == len(
        tables["initiatives"].query("department == '政策推進部'"))


def test_source_file_is_named_below_the_input_given_not_by_the_machines_path(
        copies_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _csv(copies_output, "documents")
    assert not documents["source_file"].str.startswith("/").any()
    # folders given as absolute paths: the path starts at the folder's name; files: their name
    assert {"lineage/lineage2021.cid.pdf", "seed.xlsx", "000_b2610523df0a2988.txt"} <= set(documents["source_file"])
    assert documents["source_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()  # the identity
    monkeypatch.chdir(ROOT)  # a relative input is kept as given
    result = CliRunner().invoke(main, ["extract", "samples/lineage", "--out", str(tmp_path / "out"),
                                       "--executor", "sequential"])
    assert result.exit_code == 0, result.output
    names = _csv(tmp_path / "out", "sources")["source_file"]
    assert sorted(names) == [f"samples/lineage/lineage{y}.cid.pdf" for y in (2021, 2022, 2023)]
