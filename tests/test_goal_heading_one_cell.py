"""A goal sheet's heading typed in one cell with its title (REVIEW4 W4): ``重点目標 2 title`` heads goal 2's sheet as
``重点目標 2 | title`` does. A text export cut into sheets only at cells that are a heading alone read goal 2's sheet
into goal 1's (goal 1 got goal 2's targets and initiatives, goal 2 none; partial)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import regex

import plansheet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # samples/ is not a package of the distribution
    sys.path.insert(0, str(ROOT))

from samples.generate.fuzz_run import compare_fields  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "fuzz" / "stacked-empty-results-1212-0405.txt"
_HEADING_CELL = regex.compile(r"^(重点(?:目標|課題) ?[0-9０-９]+)\t(.+)$", regex.M)


def test_a_heading_typed_in_one_cell_with_its_title_heads_its_goals_sheet(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    one_cell, count = _HEADING_CELL.subn(r"\1 \2", text)
    assert count >= 2  # every goal sheet's heading row, goal 2's among them
    variant = tmp_path / "in" / "heading-one-cell.txt"
    variant.parent.mkdir()
    variant.write_text(one_cell, encoding="utf-8")
    truth = json.loads(FIXTURE.with_name(FIXTURE.name + ".json").read_text(encoding="utf-8"))
    results = plansheet.extract([variant], tmp_path / "out", output_format="parquet")
    tables = plansheet.load(tmp_path / "out")
    doc_ids = {d: int(str(d).rsplit("-", 1)[1]) for d in tables["documents"]["doc_id"]}
    found = compare_fields(tables, doc_ids, truth)
    assert found.fields > 0 and not found.wrong, found.differences
    assert [r.status.value for r in results] == ["ok"], [w for r in results for w in r.warnings]
