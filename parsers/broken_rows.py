"""A table row broken across pages: the text a box carries on at the top of the next page joins the box.

Writer breaks a table row at the foot of a page by default (and a tall row runs on likewise): each box of the row
prints the lines that fit at the foot of the page and the rest at the top of the next, under the table's repeated
heading rows if any (:func:`~plansheet.parsers.print_titles.drop_sheet_headings` has taken those off). A reader
of the paper reads on: a goal sheet's later page whose first row holds no label, each of its boxes with text
standing under a box of text of the last row of the page before (the same left and right lines), carries those
boxes' texts on; a box of the label column left empty beside them is the label's box, cut too. Each text joins
its box's (once, in order) and the row is gone.

A label of two lines is cut too (具体的な取組 at the page's foot, 実績 at the next page's top): a label box at the top
that, read after the label box above it, makes the label the sheet writes whole in its other blocks, and is itself
a label the sheet writes nowhere else, carries that label on, as an empty box does (each part alone reads as a label,
具体的な取組 an initiative's, so the cut row would open a new initiative). A box atop the page that reads as no label
(の実績), under a label's box (具体的な取組) with which it reads as one label (具体的な取組の実績), is that label's rest.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from plansheet.core.model import Cell, Page
from plansheet.core.text import join_lines
from plansheet.parsers.labels import label_key, match_label

_SAME_LINE = 2.0  # points: two boxes of one column stand between the same lines


def join_broken_rows(pages: Sequence[Page]) -> list[Page]:
    """One goal sheet's ``pages`` with each row broken across two of them put back together (module docstring)."""
    out = list(pages)
    for k in range(1, len(out)):
        before, page = out[k - 1], out[k]
        last, first = _edge_row(before, last=True), _edge_row(page, last=False)
        elsewhere = _label_counts(pages, skip={id(c) for c in first})
        pairs = _carried_on(last, first, elsewhere)
        if pairs is None:
            continue
        joined = {id(cell): replace(cell, text=join_lines([cell.text, on.text]) or "") for cell, on in pairs}
        out[k - 1] = replace(before, cells=tuple(joined.get(id(c), c) for c in before.cells))
        gone = {id(c) for c in first}
        out[k] = replace(page, cells=tuple(c for c in page.cells if id(c) not in gone))
    return out


def _edge_row(page: Page, last: bool) -> list[Cell]:
    """The cells of the page's last (or first) row, where its cells have boxes (a text export's rows are lines)."""
    if not page.cells or any(c.bbox is None for c in page.cells):
        return []
    row = max(c.row_end - 1 for c in page.cells) if last else min(c.row for c in page.cells)
    return [c for c in page.cells if (c.row_end - 1 if last else c.row) == row]


def _carried_on(last: list[Cell], first: list[Cell], labels: dict[str, int]) -> list[tuple[Cell, Cell]] | None:
    """(box of ``last``, the box of ``first`` that carries its text on) for a ``first`` row that carries ``last`` on,
    else None: ``first`` holds text, each of its boxes with text stands under a box of ``last`` that holds text, and
    neither holds a label, but for a label cut in two (:func:`_cut_label`; ``labels``: the labels of the sheet's
    boxes outside ``first``, :func:`_label_counts`)."""
    if not last or not first or not any(c.text and not _is_label(c) for c in first):
        return None
    pairs = []
    for on in first:
        if not on.text:
            continue
        above = next((c for c in last if _same_column(c, on)), None)
        if above is None or not above.text:
            return None
        if (_is_label(on) or _is_label(above)) and not _cut_label(above, on, labels):
            return None
        pairs.append((above, on))
    return pairs


def _cut_label(above: Cell, on: Cell, labels: dict[str, int]) -> bool:
    """Whether ``on`` (a box atop a page) carries on the label of ``above`` (at the page before's foot): both parts
    read together are a label, and ``on`` alone is none (の実績), or is one the sheet writes nowhere else alone and
    the whole a label it writes elsewhere (``labels``: 実績 under 具体的な取組)."""
    whole = label_key(above.text + on.text)
    if not _is_label(on):  # の実績 under 具体的な取組: no label alone, the rest of the one above
        return _is_label(above) and match_label(whole, fuzzy=on.confidence is not None) is not None
    return (match_label(whole, fuzzy=on.confidence is not None) is not None and labels.get(whole, 0) > 0
            and labels.get(label_key(on.text), 0) == 0)


def _label_counts(pages: Sequence[Page], skip: set[int]) -> dict[str, int]:
    """How many boxes of ``pages`` (but those whose ids are in ``skip``) hold each label, by its key
    (:func:`~plansheet.parsers.labels.label_key`)."""
    counts: dict[str, int] = {}
    for page in pages:
        for c in page.cells:
            if c.text and id(c) not in skip and _is_label(c):
                key = label_key(c.text)
                counts[key] = counts.get(key, 0) + 1
    return counts


def _is_label(cell: Cell) -> bool:
    return match_label(cell.text, fuzzy=cell.confidence is not None) is not None


def _same_column(a: Cell, b: Cell) -> bool:
    assert a.bbox is not None and b.bbox is not None
    return abs(a.bbox.x0 - b.bbox.x0) <= _SAME_LINE and abs(a.bbox.x1 - b.bbox.x1) <= _SAME_LINE
