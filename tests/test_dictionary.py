"""The data dictionary ships: docs/schema.md (generated, checked here), OUT/datapackage.json, `plansheet schema`."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from conftest import ROOT
from plansheet.cli.main import main
from plansheet.derived.dictionary import datapackage, markdown, tables
from plansheet.output.columns import COLUMN_DOCS, CONTRACT


def test_docs_schema_md_is_generated_from_the_code() -> None:
    # regenerate with: plansheet schema --format markdown > docs/schema.md
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == markdown()


def test_every_column_has_a_meaning_and_every_meaning_a_column() -> None:
    for table in tables():
        assert [c.name for c in table.columns] == list(COLUMN_DOCS[table.name]) or \
            {c.name for c in table.columns} == set(COLUMN_DOCS[table.name]), table.name
        assert all(c.description.strip() for c in table.columns), table.name
    for name, contract in CONTRACT.items():  # the contract's columns are all there, none marked added
        mine = {c.name: c for t in tables() if t.name == name for c in t.columns}
        assert set(contract) <= set(mine) and not any(mine[c].added for c in contract), name


def test_the_output_carries_a_datapackage_that_matches_its_csvs(copies_output: Path) -> None:
    package = json.loads((copies_output / "datapackage.json").read_text(encoding="utf-8"))
    assert package == datapackage()
    for resource in package["resources"]:
        with open(copies_output / resource["path"], encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["name"]
        assert all(field["description"] for field in resource["schema"]["fields"])


def test_plansheet_schema_prints_the_dictionary() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0 and result.output == markdown()
    result = CliRunner().invoke(main, ["schema", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output) == datapackage()
    result = CliRunner().invoke(main, ["schema", "--table", "goal_lineage"])
    assert result.exit_code == 0 and "| chain_id |" in result.output and "## goals" not in result.output
    result = CliRunner().invoke(main, ["schema", "--table", "nope"])
    assert result.exit_code == 2 and "goal_lineage" in result.output
