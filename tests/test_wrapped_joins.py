"""Japanese text wrapped onto the next line is joined with no space where the wrap is a layout wrap, not a break
between two items (REVIEW6 Y10): a legend entry typed on two lines, its bracket still open at the first line's end."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read, render_pages

from samples.generate import layout

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def _legend_entry_on_two_lines(pages: list[layout.Page], line: str, at: int) -> None:
    """The legend line ``line`` of the front page typed on two lines, cut at ``at``."""
    rows = pages[0].rows
    (k,) = [k for k, row in enumerate(rows) if [c.text for c in row.cells] == [line]]
    cell = rows[k].cells[0]
    rows[k] = layout.Row([dataclasses.replace(cell, text=line[:at])])
    rows.insert(k + 1, layout.Row([dataclasses.replace(cell, text=line[at:])]))


@pytest.mark.parametrize("kind", ("txt", "xlsx", "html"))
def test_a_legend_entry_wrapped_onto_two_lines_joins_with_no_space(tmp_path: Path, kind: str) -> None:
    """Y10: ``- B：概ね達成（概ね目標どおり達成することが`` / ``できた。70%以上100%未満）``: the second line is inside the
    entry's open bracket, the entry's text wrapped, joined with nothing between two Japanese characters. It had been
    joined with a space (``…することが できた。``) under ok; a line after a closed entry still starts another."""
    d = copy.deepcopy(RESULT)
    pages = layout.department_pages(d)
    cuts = {b.line: b.line.find("できた") if "できた" in b.line else b.line.find("（") + 3 for b in d.grade_scale}
    if kind == "txt":  # the export's legend line (``- B：…``) runs on at the next line's start
        path = render_pages(pages, kind, tmp_path, d.title)
        text = path.read_text(encoding="utf-8")
        for line, at in cuts.items():
            assert text.count(f"- {line}\n") == 1
            text = text.replace(f"- {line}\n", f"- {line[:at]}\n{line[at:]}\n")
        path.write_text(text, encoding="utf-8")
    else:
        for line, at in cuts.items():
            _legend_entry_on_two_lines(pages, line, at)
        path = render_pages(pages, kind, tmp_path, d.title)
    status, doc = read(path)
    assert [(s.grade, s.label, s.description, s.min_pct, s.max_pct) for s in doc.grade_scale] == \
        [(b.grade, b.label, b.description, b.min_pct, b.max_pct) for b in d.grade_scale]
    assert (status, doc.warnings) == ("ok", [])


def test_joined_legend_keeps_a_space_between_entries() -> None:
    """The legend's lines: a space between two entries, none inside one's open bracket."""
    from plansheet.parsers.legend import joined_legend
    assert joined_legend(["A：達成（目標を達成することができた。100%）", "B：概ね達成（概ね目標どおり達成することが",
                          "できた。70%以上100%未満）", "C：一部達成（50%以上70%未満）"]) == \
        "A：達成（目標を達成することができた。100%） B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満） " \
        "C：一部達成（50%以上70%未満）"
