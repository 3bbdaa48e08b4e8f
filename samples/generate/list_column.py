"""A prose cell written as a numbered list whose numbers stand in a cell of their own, left of the text.

A person typing a list into a worksheet often gives its numbers a narrow column of their own:

    今後検討すべきこと
    1 | 胃がん検診について、…検討します。
    2 | 若い世代に向けてSNSを活用した啓発を強化します。

The content writes such a field as its items, one a line, the number and the text parted by a tab
(``"1\\t胃がん…。\\n2\\t若い…。"``). :func:`number_column` draws each item as a row of its own: the number in
the first grid column of the cell, the text across the rest; the other cells of the row span the new rows.
:func:`read_as` is the field as a reader should return it: each item its number and its text (one space
after a number ending in a digit or a period, none after a bracket or a circled number), the items joined as
lines are, with no separator.
"""
from __future__ import annotations

import re
from dataclasses import replace

from samples.generate.layout import Cell, Page, Row

_ITEM = re.compile(r"^([^\t\n]{0,4})\t([^\t\n]+)$")  # (no number: a line whose text starts in the next column)
_SPACED_AFTER = re.compile(r"[0-9０-９.．]$")
MARKS = {"tab": ("1", "2", "3"), "ptab": ("（１）", "（２）", "（３）"), "ctab": ("①", "②", "③"),
         "dtab": ("1.", "2.", "3.")}


def items(text: str | None) -> list[tuple[str, str]] | None:
    """The (number, text) items of a field written as a list with its numbers in a cell of their own, else None."""
    if not text or "\t" not in text:
        return None
    found = [_ITEM.match(line) for line in text.split("\n")]
    return [(m.group(1), m.group(2)) for m in found] if all(found) else None  # type: ignore[union-attr]


def as_list(text: str, marks: tuple[str, ...]) -> str:
    """``text`` cut after each 。 into items (up to as many as ``marks``; one sentence: after its 、 nearest its
    middle), numbered with ``marks``, one a line, each number and its text parted by a tab; ``text`` itself where
    it cannot be cut."""
    sentences = [s + "。" for s in text.split("。") if s] if text.endswith("。") else [text]
    if len(sentences) < 2:
        commas = [k for k, ch in enumerate(text) if ch == "、" and 0 < k < len(text) - 1]
        if not commas:
            return text
        k = min(commas, key=lambda k: abs(k - len(text) / 2))
        sentences = [text[:k + 1], text[k + 1:]]
    n = min(len(marks), len(sentences))
    parts = sentences[:n - 1] + ["".join(sentences[n - 1:])]
    return "\n".join(f"{mark}\t{part}" for mark, part in zip(marks, parts))


def read_as(text: str | None) -> str | None:
    """The field a list written so reads as (module docstring); other text unchanged."""
    found = items(text)
    if found is None:
        return text
    return "".join(f"{mark} {item}" if _SPACED_AFTER.search(mark) else mark + item for mark, item in found)


def in_next_column(text: str) -> str:
    """``text`` cut as :func:`as_list` cuts it, each line's text in the next column, its first cell left empty (a
    cell merged over the columns right of its label's, or typed one cell right)."""
    return "\n".join(line.split("\t", 1)[-1].join(("\t", "")) for line in as_list(text, ("1", "2")).split("\n"))


def number_column(page: Page) -> Page:
    """``page`` with every cell written as such a list drawn as rows of items (module docstring)."""
    if not any(items(c.text) for row in page.rows for c in row.cells):
        return page
    out: list[Row] = []
    for row in page.rows:
        listed = {id(c): found for c in row.cells if c.span > 1 and (found := items(c.text))}
        if not listed:
            out.append(Row(list(row.cells), row.gap, row.height))
            continue
        k = max(len(found) for found in listed.values())
        for q, above in enumerate(out):  # a box reaching down into this row reaches over its new rows too
            above.cells = [replace(c, rowspan=c.rowspan + k - 1) if q + c.rowspan > len(out) else c
                           for c in above.cells]
        new = [Row() for _ in range(k)]
        for cell in row.cells:
            found = listed.get(id(cell))
            if found is None:
                new[0].cells.append(replace(cell, rowspan=cell.rowspan + k - 1))
                continue
            for j, (mark, text) in enumerate(found):
                down = k - j if j == len(found) - 1 else 1
                new[j].cells += [Cell(cell.col, 1, mark or None, align="center", rowspan=down),
                                 replace(cell, col=cell.col + 1, span=cell.span - 1, text=text, rowspan=down,
                                         min_lines=1, role=None)]
        out += new
    return replace(page, rows=out)
