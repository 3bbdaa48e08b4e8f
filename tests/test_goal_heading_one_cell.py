"""A goal sheet's heading typed in one cell with its title (REVIEW4 W4): ``重点目標 2 title`` heads goal 2's sheet as
``重点目標 2 | title`` does. A text export cut into sheets only at cells that are a heading alone read goal 2's sheet
into goal 1's (goal 1 got goal 2's targets and initiatives, goal 2 none; partial)."""
from __future__ import annotations

from pathlib import Path

import regex


from truth import read_back

FIXTURE = Path(__file__).parent / "fixtures" / "fuzz" / "stacked-empty-results-1212-0405.txt"
_HEADING_CELL = regex.compile(r"^(重点(?:目標|課題) ?[0-9０-９]+)\t(.+)$", regex.M)


def test_a_heading_typed_in_one_cell_with_its_title_heads_its_goals_sheet(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    one_cell, count = _HEADING_CELL.subn(r"\1 \2", text)
    assert count >= 2  # every goal sheet's heading row, goal 2's among them
    variant = tmp_path / "in" / "heading-one-cell.txt"
    variant.parent.mkdir()
    variant.write_text(one_cell, encoding="utf-8")
    read = read_back(variant, tmp_path / "out", truth_of=FIXTURE)
    results, found = read.results, read.found
    assert found.fields > 0 and not found.wrong, found.differences
    assert [r.status.value for r in results] == ["ok"], [w for r in results for w in r.warnings]
