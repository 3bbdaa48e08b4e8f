"""A goal sheet's heading whose title is typed on two rows (REVIEW6 Y9): ``重点目標 1 | 特定健康診査…向上による`` then
``(empty) | 市民の健康寿命の延伸``, the label cell empty on the second row or merged down over both. The second row
continues the title; in a text export the rule under the heading underlines both rows."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read

from samples.generate import layout

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def _title_on_two_rows(pages: list[layout.Page], merged: bool) -> int:
    """Each goal sheet's title in ``pages`` typed on two rows, cut after its first による / の past a third (else at
    its middle): the label cell merged down over both (``merged``) or empty on the second. Returns how many."""
    split = 0
    for page in pages:
        for k, row in enumerate(page.rows):
            title = next((c for c in row.cells if c.role == "goal_title"), None)
            if title is None or not title.text or row.cells[0].kind != "label":  # (not the overview's list)
                continue
            text = title.text
            at = _cut(text)
            second = layout.Row([dataclasses.replace(title, text=text[at:])])
            row.cells = [dataclasses.replace(title, text=text[:at]) if c is title else
                         (dataclasses.replace(c, rowspan=2) if merged else c) for c in row.cells]
            if not merged:
                second.cells.insert(0, layout.Cell(0, 1, None))
            page.rows.insert(k + 1, second)
            split += 1
            break
    return split


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


def _render(pages: list[layout.Page], kind: str, out: Path, title: str) -> Path:
    path = out / f"sheet.{kind}"
    if kind == "xlsx":
        from samples.generate.render_xlsx import write_workbook
        write_workbook(pages, path, title)
    else:
        from samples.generate.render_html import write_html
        write_html(pages, path, title)
    return path


@pytest.mark.parametrize(("kind", "merged"), [("txt", False), ("xlsx", False), ("xlsx", True), ("html", False),
                                              ("html", True)])
def test_a_goal_title_on_two_rows_is_read_whole(tmp_path: Path, kind: str, merged: bool) -> None:
    """Y9: a row under a goal's heading whose label cell is empty (or merged down from the heading) and whose text
    begins where the title begins continues the title. In the text export the whole goal sheet had been lost (the
    rule under the heading was taken to underline only the title's second line, so the heading fell onto the page
    before, read as trailing text of the legend); in the workbook and HTML page the title kept its first row."""
    d = copy.deepcopy(RESULT)
    if kind == "txt":
        path = _text_export(d, tmp_path)
    else:
        pages = layout.department_pages(d)
        assert _title_on_two_rows(pages, merged) == len(d.goals)
        path = _render(pages, kind, tmp_path, d.title)
    status, doc = read(path)
    assert [g.title for g in doc.goals] == [g.title for g in d.goals]
    assert [(len(g.targets), len(g.initiatives)) for g in doc.goals] == \
        [(len(g.targets), sum(len(t.initiatives) for t in g.targets)) for g in d.goals]
    assert [g.next_steps for g in doc.goals] == [g.next_steps for g in d.goals]
    assert (status, doc.warnings) == ("ok", [])


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
