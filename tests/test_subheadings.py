"""A heading in brackets on a line of its own inside a goal sheet's text (REVIEW6 Y3): ``【課題】`` parting a target's
text, an initiative's text or results, a summary, next steps. Read from the ``result`` department (samples/generate)
with such a line in each of those fields, the text typed a line a row where the format allows (a text export writes a
cell's lines so; a workbook, an HTML page and a PDF are given one row a line)."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read, render_pages

from samples.generate import layout
from samples.generate.truth import flat

KINDS = ("txt", "xlsx", "html", "pdf")
_PROSE = ("target", "status", "initiative", "results", "summary", "next_steps")


def _lines_as_rows(pages: list[layout.Page]) -> None:
    """Each prose cell of the goal sheets of ``pages`` whose text holds line breaks typed a line a row: one cell a
    line, in the cell's columns; every other cell of its row spans the new rows too. Mutates the pages."""
    for page in pages[1:]:
        k = 0
        while k < len(page.rows):
            row = page.rows[k]
            broken = [c for c in row.cells if c.role in _PROSE and c.text and "\n" in c.text]
            if not broken:
                k += 1
                continue
            extra = max(c.text.count("\n") for c in broken)  # type: ignore[union-attr]
            for j, above in enumerate(page.rows[:k + 1]):  # every cell over this row spans the new ones too
                for n, cell in enumerate(above.cells):
                    if j + cell.rowspan > k and not any(cell is b for b in broken):
                        above.cells[n] = dataclasses.replace(cell, rowspan=cell.rowspan + extra)
            new = [layout.Row() for _ in range(extra)]
            for cell in broken:
                lines = cell.text.split("\n")  # type: ignore[union-attr]
                row.cells[[id(c) for c in row.cells].index(id(cell))] = dataclasses.replace(cell, text=lines[0],
                                                                                              min_lines=1)
                for r, line in zip(new, lines[1:]):
                    r.cells.append(dataclasses.replace(cell, text=line, min_lines=1))
            page.rows[k + 1:k + 1] = new
            k += 1 + extra


def _headed(text: str, heading: str) -> str:
    """``text`` parted after its first 、 or 。 by ``heading`` on a line of its own."""
    at = next(k + 1 for k, ch in enumerate(text) if ch in "、。" and k + 1 < len(text))
    return f"{text[:at]}\n{heading}\n{text[at:]}"


# each field with another bracket: the field, its heading line
CASES = (("target", "【課題】"), ("initiative", "［成果］"), ("results", "《課題》"), ("summary", "【２】"),
         ("next_steps", "〔課題〕"))


@pytest.mark.parametrize(("field", "heading"), CASES, ids=[f for f, _ in CASES])
@pytest.mark.parametrize("kind", KINDS)
def test_a_bracketed_heading_inside_a_text_is_part_of_it(tmp_path: Path, kind: str, field: str, heading: str) -> None:
    """Y3: a goal sheet prints its labels as cells, never as a bracketed line, so a line that is one word in brackets
    (and no label this reader knows) inside a target's text, an initiative's text or results, a summary or next steps
    is a heading of a part of that text, kept in it. The heading and everything after it had been dropped under ok
    (target, initiative, results), or left out as an unknown section's (summary, next steps: partial)."""
    d = copy.deepcopy(RESULT)
    goal = d.goals[1]
    target, initiative = goal.targets[0], goal.targets[0].initiatives[0]
    owner, name = {"target": (target, "text"), "initiative": (initiative, "text"), "results": (initiative, "results"),
                   "summary": (goal, "summary"), "next_steps": (goal, "next_steps")}[field]
    setattr(owner, name, _headed(getattr(owner, name), heading))
    pages = layout.department_pages(d)
    _lines_as_rows(pages)
    status, doc = read(render_pages(pages, kind, tmp_path, d.title))
    got = doc.goals[1]
    assert got.targets[0].text == flat(target.text)
    assert (got.initiatives[0].text, got.initiatives[0].results) == (flat(initiative.text), flat(initiative.results))
    assert (got.overall_summary, got.next_steps) == (flat(goal.summary), flat(goal.next_steps))
    assert heading in flat(getattr(owner, name))  # type: ignore[operator]
    assert (status, doc.warnings) == ("ok", [])


@pytest.mark.parametrize("kind", KINDS)
def test_a_bare_word_inside_a_text_left_out_is_named(tmp_path: Path, kind: str) -> None:
    """Y3: a short line with no sentence mark inside an initiative's results (``課題``) reads like the label of a section
    this reader does not know, and the text from there on is left out as that section's (as a label worded as no year
    before it is, e6730f8); that is named with the field and its page even where every field of the sheet is labelled.
    It had been dropped with no word under ok."""
    d = copy.deepcopy(RESULT)
    initiative = d.goals[1].targets[0].initiatives[0]
    initiative.results = _headed(initiative.results or "", "課題")
    pages = layout.department_pages(d)
    _lines_as_rows(pages)
    status, doc = read(render_pages(pages, kind, tmp_path, d.title))
    got = doc.goals[1].initiatives[0]
    assert flat(initiative.results).startswith(got.results or "")  # type: ignore[union-attr]
    if got.results != flat(initiative.results):
        named = [w for w in doc.warnings if w.startswith(f"goal 2 initiative 1 (page {got.page}) text, section, results:")]
        assert named and "'課題'" in named[0]
        assert status == "partial"


@pytest.mark.parametrize("kind", KINDS)
def test_a_goal_fields_label_inside_another_text_is_named_not_read_for_the_field(tmp_path: Path, kind: str) -> None:
    """Y3: 今後の課題 (a wording of 今後検討すべきこと's label) on a line of its own inside an initiative's results is a
    second label of next steps, which a sheet prints once: the one standing where the sheet prints it (after 全体の達成度)
    is read, and the text under the other is left out and named with the results it stood in. The goal's next_steps
    had become the results' last line, the sheet's own next steps dropped, under ok."""
    d = copy.deepcopy(RESULT)
    goal = d.goals[1]
    initiative = goal.targets[0].initiatives[0]
    initiative.results = _headed(initiative.results or "", "今後の課題")
    pages = layout.department_pages(d)
    _lines_as_rows(pages)
    status, doc = read(render_pages(pages, kind, tmp_path, d.title))
    got = doc.goals[1]
    assert got.next_steps == goal.next_steps
    assert flat(initiative.results).startswith(got.initiatives[0].results or "")  # type: ignore[union-attr]
    named = [w.split(":")[0] for w in doc.warnings]
    assert named == [f"goal 2 (page {got.page}) next_steps", f"goal 2 initiative 1 (page {got.page}) results"]
    assert status == "partial"
