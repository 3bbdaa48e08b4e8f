"""``plansheet rebuild`` drops the old reading an older plansheet kept beside a changed file's new one.

Before extract withdrew a name's old reading (review 1, D6), converting an edited file again under the same name left
both readings in every table. Such an output is made here as that version made it: the seed export converted, edited
(goal 1's title) and converted again with the withdrawal switched off. The sources table says which bytes the name
holds now; rebuild keeps that reading only and says how many rows it dropped. Where the records cannot tell (the old
reading's name has no sources row), rebuild keeps the rows and says so.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import plansheet
from plansheet.batch.withdraw import Holdings
from plansheet.cli.main import main

from conftest import SEED
from test_changed_bytes import NEW_TITLE, OLD_TITLE, _goal_1_titles  # the same sheet, changed the same way

ROWS = 32  # the seed export's document, 3 officers, 6 goals, 8 targets, 9 initiatives and 5 grades


def _older_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An output holding two readings of ``sheet.txt`` (before and after its edit), as extract wrote it before D6."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    sheet = inbox / "sheet.txt"
    shutil.copy(SEED, sheet)
    plansheet.extract([sheet], out)
    sheet.write_text(SEED.read_text(encoding="utf-8").replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(Holdings, "gives_up", lambda self, name, sha: (None, []))  # the older extract withdrew nothing
        plansheet.extract([sheet], out)
    assert len(plansheet.load(out, copies="all")["documents"]) == 2
    return sheet, out


def test_rebuild_keeps_only_the_reading_the_sources_table_says_is_current(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet, out = _older_output(tmp_path, monkeypatch)
    new = plansheet.load(out)["sources"]["source_sha256"].tolist()
    result = CliRunner().invoke(main, ["rebuild", str(out)])
    assert result.exit_code == 0, result.output
    assert f"dropped {ROWS} row(s) of 1 old reading(s)" in result.output
    assert "warning" not in result.output
    tables = plansheet.load(out, copies="all")
    assert [d[:16] for d in tables["documents"]["doc_id"]] == [new[0][:16]]
    assert _goal_1_titles(out) == {name: [NEW_TITLE] for name in ("load", "parquet", "csv")}
    assert len(tables["goals"]) == 6 and len(tables["initiatives"]) == 9


def test_rebuild_keeps_and_names_a_reading_whose_name_the_sources_table_does_not_know(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old reading's rows credited to a name without a sources row: whether it is an old reading of a changed
    file cannot be told, so nothing is dropped and the warning says so."""
    _, out = _older_output(tmp_path, monkeypatch)
    documents = next((out / "parquet" / "documents").rglob("*.parquet"))
    frame = pd.read_parquet(documents)
    frame.loc[frame["source_sha256"] != plansheet.load(out)["sources"]["source_sha256"][0], "source_file"] = "lost.txt"
    frame.drop(columns=[c for c in ("fiscal_year",) if c in frame]).to_parquet(documents, index=False)
    result = CliRunner().invoke(main, ["rebuild", str(out)])
    assert result.exit_code == 0, result.output
    assert "lost.txt: reading" in result.output and "cannot be told; kept" in result.output
    assert "dropped" not in result.output
    assert len(plansheet.load(out, copies="all")["documents"]) == 2


@pytest.mark.parametrize("catalog_holds", ["new", "old"])
def test_rebuild_asks_the_catalog_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_holds: str) -> None:
    """Where an ingest kept a catalog, its current files must agree with the sources table: agreeing, the old reading
    is dropped; the catalog saying the name holds the old bytes, which is current cannot be told: both kept, named."""
    from plansheet.batch.catalog import CATALOG_NAME, Catalog

    sheet, out = _older_output(tmp_path, monkeypatch)
    new = plansheet.load(out)["sources"]["source_sha256"][0]
    old = next(d for d in plansheet.load(out, copies="all")["documents"]["source_sha256"] if d != new)
    catalog = Catalog(out / CATALOG_NAME)
    catalog.db.execute("INSERT INTO files (source, kind, source_file, sha256, first_seen, state) "
                       "VALUES (?, 'path', 'sheet.txt', ?, '2026-01-01', 'current')",
                       (str(sheet), new if catalog_holds == "new" else old))
    catalog.db.close()
    result = CliRunner().invoke(main, ["rebuild", str(out)])
    assert result.exit_code == 0, result.output
    documents = plansheet.load(out, copies="all")["documents"]
    if catalog_holds == "new":
        assert f"dropped {ROWS} row(s)" in result.output and "warning" not in result.output
        assert documents["source_sha256"].tolist() == [new]
    else:
        assert "dropped" not in result.output
        assert f"warning: sheet.txt: reading {old[:16]} is held by sheet.txt by the catalog, by no name by the " \
               "sources table; kept" in result.output
        assert len(documents) == 2
