"""A text a spreadsheet printed cut at its cell's right line: the rest of it is not on the page.

Excel prints a one-line text that is not wrapped on across the cells to its right while they are empty, and cuts it
at its cell's right line where the cell beside holds text. Printed to PDF, the text layer may hold the whole text
(the PDF reader then reads it whole: ``readers/pdf/grid.carry_clipped``) or only what shows. A cell whose one line
still ends at its right line, beside a box with text, is marked ``clipped`` by the reader: the field it gave is
kept as printed and named, since what followed the cut is not on the page.
"""
from __future__ import annotations

from typing import Iterable

from plansheet.core.model import Cell
from plansheet.parsers.records import ParsedDocument, text_fields

_SPACES = str.maketrans("", "", " \u3000\t\n")


def clipped_warnings(doc: ParsedDocument, cells: Iterable[Cell]) -> list[str]:
    """A warning naming each text field of ``doc`` read from a ``clipped`` cell of ``cells`` (its record, page and
    field): the text may run on past what the page prints."""
    cut = [(c.page, c.text.translate(_SPACES)) for c in cells if c.clipped and c.text]
    if not cut:
        return []
    warnings = []
    for f in text_fields(doc):
        value = getattr(f.owner, f.name)
        if not isinstance(value, str):
            continue
        bare = value.translate(_SPACES)
        shown = next((text for page, text in cut if (f.page is None or page == f.page) and text and text in bare), None)
        if shown is not None:
            warnings.append(f"{f.named}: its line runs to its cell's right edge beside a cell with text, as a "
                            f"spreadsheet prints a text it cuts there (…{shown[-8:]!r}); what follows is not on the page")
    return warnings
