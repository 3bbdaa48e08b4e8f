"""A page number typed on a line of its own between two sheets (REVIEW6 Y5): a text export copied from a printed
volume, or a workbook or HTML page with its page footers typed in as rows, writes ``- 58 -`` where each printed page
ended. Read from the ``result`` department (samples/generate) with such a row under each of its sheets."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT, read, render_pages

from samples.generate import layout

KINDS = ("txt", "xlsx", "html")
FORMS = ("- {n} -", "{n}", "— {n} —", "{n}/{total}", "P.{n}")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_page_number_between_sheets_is_no_value(tmp_path: Path, kind: str, form: str) -> None:
    """Y5: a row holding only a page number at a sheet's foot, right before the next sheet (or the file's end), is
    page furniture, never a value. It had been glued onto the goal's next_steps (``…強化します。- 58 -``) and the
    legend's last grade, unnamed."""
    d = copy.deepcopy(RESULT)
    pages = layout.department_pages(d)
    for n, page in enumerate(pages, start=34):
        number = form.format(n=n, total=120)
        page.rows += [layout.gap(6), layout.Row([layout.Cell(0, 1, number, border=False)])]
    status, doc = read(render_pages(pages, kind, tmp_path, d.title))
    assert [g.next_steps for g in doc.goals] == [g.next_steps for g in d.goals]
    assert [(b.grade, b.label, b.description) for b in doc.grade_scale] == \
        [(g.grade, g.label, g.description) for g in d.grade_scale]
    assert (status, doc.warnings) == ("ok", [])
