"""A goal sheet's heading whose title is typed on two rows (REVIEW6 Y9): ``重点目標 1 | 特定健康診査…向上による`` then
``(empty) | 市民の健康寿命の延伸``, the label cell empty on the second row or merged down over both. The second row
continues the title; in a text export the rule under the heading underlines both rows."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT

from samples.generate import layout

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def _cut(text: str) -> int:
    """Where a person typing ``text`` on two rows breaks it: after its first による or の past a third, else halfway."""
    return next((j + len(w) for w in ("による", "の") if (j := text.find(w, len(text) // 3)) > 0), len(text) // 2)


def _text_export(d: object, out: Path) -> Path:
    """``d``'s text export with each goal heading's title cell on two lines, as an export writes a cell's second
    line (``<TAB>市民の健康寿命の延伸``), the rule under the heading after both."""
    from samples.generate.render_text import write_text_export
    path = out / "sheet.txt"
    write_text_export(layout.department_pages(d), path, "grid")
    text = path.read_text(encoding="utf-8")
    for g in d.goals:
        heading = f"{d.goal_word} {g.no}\t{g.title}\n"
        assert text.count(heading) == 1
        at = _cut(g.title)
        text = text.replace(heading, f"{d.goal_word} {g.no}\t{g.title[:at]}\n\t{g.title[at:]}\n")
    path.write_text(text, encoding="utf-8")
    return path


def test_the_rule_under_a_heading_underlines_its_wrapped_title(tmp_path: Path) -> None:
    """Y9, the text export's pages: the row of dashes under ``重点目標 1<TAB>…向上による`` / ``<TAB>市民の健康寿命の延伸``
    underlines both lines (the second holds text only in the columns the first fills: the same cells' second
    lines), so the goal sheet's page starts at its heading. It had started at the title's second line, the heading
    left on the page before."""
    from plansheet.readers.text_export import read_text_export
    d = copy.deepcopy(RESULT)
    pages = read_text_export(_text_export(d, tmp_path)).pages
    for g in d.goals:
        at = _cut(g.title)
        (page,) = [p for p in pages if any(c.text == f"{d.goal_word} {g.no}" for c in p.cells)]
        first = sorted((c.row, c.col, c.text) for c in page.cells)[:4]
        assert first == [(0, 0, "部"), (0, 1, d.department), (3, 0, f"{d.goal_word} {g.no}"),
                         (3, 1, g.title[:at])], first
        assert (4, 1, g.title[at:]) in {(c.row, c.col, c.text) for c in page.cells}
