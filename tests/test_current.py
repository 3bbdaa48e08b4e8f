"""Which copy counts: one current document per sheet, chosen by one function and used everywhere."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

import plansheet
from plansheet.derived.current import CopyReason, choose_current, resolved_municipality
from plansheet.settings import Settings

SHEET = ("政策推進部", 2023, "plan")


def _sheet(documents: pd.DataFrame) -> pd.DataFrame:
    d = documents
    return d[(d["department"] == SHEET[0]) & (d["fiscal_year"] == SHEET[1]) & (d["stage"] == SHEET[2])]


def test_each_sheet_has_exactly_one_current_copy_and_the_others_say_which(copies_output: Path) -> None:
    docs = plansheet.load(copies_output, copies="all")["documents"]
    copies = _sheet(docs)
    assert len(copies) == 4 and copies["is_current"].sum() == 1
    current = copies[copies["is_current"]].iloc[0]
    assert current["extraction_method"] == "text_layer"  # the best method before workbook and text export
    others = copies[~copies["is_current"]]
    assert set(others["copy_of"]) == {current["doc_id"]}
    # the workbook and the text export lose on method; the other PDF on age (or a tie)
    reasons = dict(zip(others["extraction_method"], others["copy_reason"]))
    assert reasons["workbook"] == reasons["text_export"] == CopyReason.METHOD.value
    assert reasons["text_layer"] in (CopyReason.OLDER.value, CopyReason.DUPLICATE.value)
    assert docs.groupby(["department", "fiscal_year", "stage"])["is_current"].sum().eq(1).all()


def test_the_newest_of_two_equal_copies_is_current(copies_output: Path) -> None:
    tables = plansheet.load(copies_output, copies="all")
    pdfs = _sheet(tables["documents"]).query("extraction_method == 'text_layer'")
    sources = tables["sources"].copy()
    for newest in pdfs["source_sha256"]:
        sources["source_modified"] = [pd.Timestamp("2030-01-01", tz="UTC") if s == newest
                                   else pd.Timestamp("2020-01-01", tz="UTC") for s in sources["source_sha256"]]
        chosen = _sheet(choose_current(tables["documents"], sources))
        winner = chosen[chosen["is_current"]].iloc[0]
        assert winner["source_sha256"] == newest
        loser = chosen[(chosen["extraction_method"] == "text_layer") & ~chosen["is_current"]].iloc[0]
        assert loser["copy_reason"] == CopyReason.OLDER.value


def test_a_retired_source_is_never_current(copies_output: Path) -> None:
    tables = plansheet.load(copies_output, copies="all")
    docs = tables["documents"]
    pdfs = _sheet(docs).query("extraction_method == 'text_layer'")["source_sha256"]
    states = {sha: "retired" for sha in pdfs}
    chosen = _sheet(choose_current(docs, tables["sources"], states))
    assert chosen.loc[chosen["is_current"], "extraction_method"].tolist() == ["workbook"]
    assert set(chosen.loc[chosen["source_sha256"].isin(states), "copy_reason"]) == {"source_inactive"}


def test_stored_documents_carry_the_choice(copies_output: Path) -> None:
    stored = ds.dataset(copies_output / "parquet" / "documents", format="parquet",
                        partitioning="hive").to_table().to_pandas()
    assert stored["is_current"].notna().all()
    assert int(stored["is_current"].sum()) == 5  # the seed, 健康福祉部's result and 環境部's three years
    csv = pd.read_csv(copies_output / "csv" / "documents.csv", encoding="utf-8-sig")
    assert int(csv["is_current"].sum()) == 5


def test_load_and_every_derived_table_use_the_current_copy(copies_output: Path) -> None:
    tables = plansheet.load(copies_output)
    current = set(tables["documents"]["doc_id"])
    assert len(_sheet(tables["documents"])) == 1
    for name in ("goals", "targets", "initiatives", "officers", "grade_scale", "initiatives_flat", "goal_lineage"):
        assert set(tables[name]["doc_id"].dropna()) <= current, name
    all_copies = plansheet.load(copies_output, copies="all")
    assert len(all_copies["targets"]) > len(tables["targets"])
    one = _sheet(tables["documents"])["doc_id"].iloc[0]
    assert (tables["targets"]["doc_id"] == one).sum() == len(_sheet(tables["targets"].merge(
        tables["documents"][["doc_id", "stage"]], on="doc_id")))


def test_a_null_municipality_joins_the_departments_named_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lineage = Path(__file__).resolve().parent.parent / "samples" / "lineage"
    out = tmp_path / "out"
    plansheet.extract([lineage / "lineage2022.cid.pdf", lineage / "lineage2023.cid.pdf"], out)
    with caplog.at_level(logging.WARNING):
        plansheet.extract([lineage / "lineage2021.cid.pdf"], out, Settings(municipality="柏原市"))
    said = [r.getMessage() for r in caplog.records if "name no municipality" in r.getMessage()]
    assert len(said) == 1, said  # once per run: the lineage resolves the same rows quietly
    tables = plansheet.load(out)
    assert tables["documents"]["municipality"].isna().sum() == 2  # the data stay as read
    chains = tables["goal_lineage"]["chain_id"].dropna()
    assert chains.str.startswith("柏原市/環境部/").all()
    assert set(tables["goal_lineage"]["municipality"]) == {"柏原市"}
    assert resolved_municipality(tables["documents"]).tolist() == ["柏原市"] * 3


def test_the_output_folder_remembers_the_municipality(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lineage = Path(__file__).resolve().parent.parent / "samples" / "lineage"
    out = tmp_path / "out"
    plansheet.extract([lineage / "lineage2021.cid.pdf"], out, Settings(municipality="柏原市"))
    plansheet.extract([lineage / "lineage2022.cid.pdf"], out)  # no --municipality: the remembered one
    tables = plansheet.load(out)
    assert tables["documents"]["municipality"].tolist() == ["柏原市", "柏原市"]
    assert set(tables["goal_lineage"]["chain_id"].str.split("/").str[0]) == {"柏原市"}
    with caplog.at_level(logging.WARNING):
        plansheet.extract([lineage / "lineage2023.cid.pdf"], out, Settings(municipality="柏原"))
    assert any("replaces 柏原市" in r.getMessage() for r in caplog.records)


def test_a_department_named_by_two_cities_and_by_none_is_warned_about(copies_output: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    docs = plansheet.load(copies_output, copies="all")["documents"]
    env = docs["department"] == "環境部"
    docs.loc[env, "municipality"] = ["柏原市", "八尾市", None]
    with caplog.at_level(logging.WARNING):
        resolved = resolved_municipality(docs)
    assert resolved[env].isna().sum() == 1  # which city the third belongs to cannot be told
    assert any("八尾市, 柏原市" in r.getMessage() and "1 name none" in r.getMessage() for r in caplog.records)


def test_asking_a_fresh_output_for_its_municipality_imports_no_catalog(tmp_path: Path) -> None:
    # every extract asks before its first file, in the serial start of a pooled run: an output
    # without a catalog is answered without the catalog's module or sqlite3 (6-7 ms of CPU)
    import subprocess
    import sys

    from plansheet.batch import catalog, remembered

    assert remembered.CATALOG_NAME == catalog.CATALOG_NAME
    code = ("import sys; from pathlib import Path; from plansheet.settings import Settings; "
            "from plansheet.batch.remembered import remembered_municipality as ask; "
            f"print(ask(Path({str(tmp_path)!r}), Settings()).municipality, "
            "'plansheet.batch.catalog' in sys.modules, 'sqlite3' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["None", "False", "False"]
    remembered.remembered_municipality(tmp_path, Settings(municipality="柏原市"))  # stored: the next run asks sqlite
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["柏原市", "False", "True"]
