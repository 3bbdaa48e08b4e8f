"""A text beside its label typed on two rows (REVIEW6 Y6): the second row's label cell empty, or the label cell merged
down over both rows (the usual Excel form). Read from the ``result`` department drawn with its labels beside their
texts (samples/generate, ``side_labels``), each prose value beside a label split over two rows."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read, render_pages

from samples.generate import layout

KINDS = ("txt", "xlsx", "html", "pdf")
_PROSE = ("initiative", "results", "summary", "next_steps")


def _cut(text: str | None) -> int | None:
    """Where a person typing ``text`` on two rows breaks it: after the first 、 or 。 past its first third."""
    if not text:
        return None
    at = next((k + 1 for k in range(len(text) // 3, len(text) - 1) if text[k] in "、。"), None)
    return at


def _two_rows(pages: list[layout.Page], merged: bool) -> int:
    """Each prose text beside its label on the goal sheets of ``pages`` typed on two rows: the label cell merged down
    over both (``merged``) or the second one empty; every other cell of the row spans both. Mutates the pages;
    returns how many texts were split."""
    split = 0
    for page in pages[1:]:
        k = 0
        while k < len(page.rows):
            row = page.rows[k]
            pairs = [(a, b) for a, b in zip(row.cells, row.cells[1:]) if a.kind == "label" and b.role in _PROSE
                     and b.col == a.col + a.span and _cut(b.text) is not None]
            if not pairs:
                k += 1
                continue
            cut = {id(b) for _, b in pairs} | ({id(a) for a, _ in pairs} if not merged else set())
            for above in page.rows[:k + 1]:  # every cell over this row spans the new one too
                for j, cell in enumerate(above.cells):
                    covers = page.rows.index(above) + cell.rowspan > k
                    if covers and id(cell) not in cut:
                        above.cells[j] = dataclasses.replace(cell, rowspan=cell.rowspan + 1)
            second = layout.Row()
            for label, value in pairs:
                at = _cut(value.text)
                assert at is not None
                first = dataclasses.replace(value, text=value.text[:at], min_lines=1)
                row.cells[[id(c) for c in row.cells].index(id(value))] = first
                if not merged:
                    second.cells.append(layout.Cell(label.col, label.span, None))
                second.cells.append(dataclasses.replace(value, text=value.text[at:], min_lines=1))
                split += 1
            second.cells.sort(key=lambda c: c.col)
            page.rows.insert(k + 1, second)
            k += 2
    return split


@pytest.mark.parametrize("merged", [False, True], ids=["empty", "merged"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_text_beside_its_label_on_two_rows_is_read_whole(tmp_path: Path, kind: str, merged: bool) -> None:
    """Y6: where a sheet writes its labels left of their texts, a row whose label cell is empty, or is the lower part
    of the label's cell merged down, and whose text begins where the text above begins, carries that text on. The
    second row had been dropped under ok (initiative text, results, overall_summary, next_steps cut after their first
    row), or (a PDF's empty label cell) read as a label no one knows, its text left out."""
    d = copy.deepcopy(RESULT)
    style = dataclasses.replace(layout.DEFAULT_STYLE, side_labels=True)
    pages = layout.department_pages(d, style)
    assert _two_rows(pages, merged) >= 8
    status, doc = read(render_pages(pages, kind, tmp_path, d.title))
    assert [(g.overall_summary, g.next_steps) for g in doc.goals] == [(g.summary, g.next_steps) for g in d.goals]
    read_initiatives = [(i.text, i.results) for g in doc.goals for i in g.initiatives]
    assert read_initiatives == [(i.text, i.results) for g in d.goals for t in g.targets for i in t.initiatives]
    assert (status, doc.warnings) == ("ok", [])
