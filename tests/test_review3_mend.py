"""Sheet-grammar rules a third reviewer's probes found wanting (REVIEW3: V1–V4), each read from the ``result``
department the project's own generators render (samples/generate), with one label or cell written as other
years and fonts write it, on every reader."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from test_review1_mend import RESULT, read, render  # noqa: I001 (puts samples/ on the path)

from samples.generate import layout  # noqa: E402

KINDS = ("txt", "xlsx", "html", "pdf")


def _rewrite(monkeypatch: pytest.MonkeyPatch, change) -> None:  # type: ignore[no-untyped-def]
    """Every page the layout draws passes through ``change(cell)`` (a cell of a row), which may rewrite its text."""
    pages_of = layout.department_pages

    def changed(d, *args, **kwargs):  # type: ignore[no-untyped-def]
        pages = pages_of(d, *args, **kwargs)
        for page in pages:
            for row in getattr(page, "rows", []):
                for cell in row.cells:
                    change(cell)
        return pages

    monkeypatch.setattr(layout, "department_pages", changed)


# V4: (cid:NN), a glyph of a font with no Unicode map as pdfminer writes it

@pytest.mark.parametrize("kind", KINDS)
def test_an_unmapped_glyph_in_a_field_is_kept_where_it_stands_and_named(tmp_path: Path, kind: str) -> None:
    """V4: goal 2's title printed with one glyph the font maps to no character (``(cid:1234)``): the title keeps a
    U+FFFD where the glyph stands, and the document is partial, naming the field and its page (it was ok, the
    placeholder kept as the sheet's text)."""
    department = copy.deepcopy(RESULT)
    title = department.goals[1].title
    department.goals[1].title = title[:3] + "(cid:1234)" + title[4:]
    status, doc = read(render(department, kind, tmp_path))
    assert doc.goals[1].title == title[:3] + "\ufffd" + title[4:]
    assert status == "partial"
    assert any(w.startswith("goal 2 (page 3) title: holds 1 glyph") for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_is_never_cut_at_an_unmapped_glyph(tmp_path: Path, kind: str) -> None:
    """V4: the 部長's name printed with an unmapped glyph (``森本 (cid:3456)子``) is one officer, one name with a
    U+FFFD where the glyph stands, named (the brackets had been read as a post: two 部長 rows, 森本 and 子)."""
    department = copy.deepcopy(RESULT)
    director = department.officers[0]
    assert director.position == "部長" and director.cell == "森本 恵子"
    director.cell = "森本 (cid:3456)子"
    status, doc = read(render(department, kind, tmp_path))
    assert [(o.position, o.name) for o in doc.officers] == [("部長", "森本 \ufffd子"), ("理事", "田村 和彦")]
    assert doc.director == "森本 \ufffd子"
    assert status == "partial"
    assert any(w.startswith("officer 部長 (page 1) name: holds 1 glyph") for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("kind", KINDS)
def test_a_label_with_an_unmapped_glyph_still_ends_the_text_before_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """V4: every 所管室・課 label printed ``所管室(cid:12)課`` is still that label: the initiative's text ends before
    it and the section is read, and the label is named (the label had been glued to the initiative's text and
    the section's name taken for a grade)."""
    def change(cell) -> None:  # type: ignore[no-untyped-def]
        if cell.text == "所管室・課":
            cell.text = "所管室(cid:12)課"

    _rewrite(monkeypatch, change)
    department = copy.deepcopy(RESULT)
    status, doc = read(render(department, kind, tmp_path))
    wanted = [(i.text, i.section) for t in department.goals[1].targets for i in t.initiatives]
    assert [(i.text, i.section) for i in doc.goals[1].initiatives] == wanted
    assert all(t.grade is not None for g in doc.goals for t in g.targets)
    assert status == "partial"
    assert any("'所管室\ufffd課'" in w and "read as the section label" in w for w in doc.warnings), doc.warnings
