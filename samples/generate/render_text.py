"""Write layout pages as a tab-separated text export, the way office exporters write a sheet.

A line is a row and a tab separates cells. Each sheet starts with its header table
(``部<TAB>dept`` underlined by a row of dashes), as in the real export
(``samples/000_b2610523df0a2988.txt``). The front sheet is written as a grid (every cell in
its grid column, spans padded with empty fields). Goal sheets are written one of three ways
(``mode``):

- ``grid``: the same, so side-by-side targets keep their tab columns;
- ``stacked``: each target column's cells of a row on a line of their own, from the first
  field, one column after the other; the labels of one row then stand stacked above their
  values (``達成状況<TAB>達成度`` once per target, then the values lines in the same order);
- ``blocks``: within each band of side-by-side blocks, all lines of the left block, then all
  of the next one (a block is the targets band or one row of initiatives).
"""
from __future__ import annotations

import csv
import io

from pathlib import Path
from typing import Callable

from samples.generate.layout import Cell, Page, Row, Style
from samples.generate.writing import space_lines, unmarked

MODES = ("grid", "stacked", "blocks")
_TARGET_BAND = (3, 7)  # rows of a goal page: 今年度の達成目標 … the status/grade values


def _grid_line(cells: list[Cell]) -> str:
    fields: list[str] = []
    for cell in sorted(cells, key=lambda c: c.col):
        fields += [""] * (cell.col - len(fields))
        fields.append(cell.text or "")
        fields += [""] * (cell.span - 1)
    return "\t".join(fields).rstrip("\t")


def _compact_line(cells: list[Cell]) -> str:
    return "\t".join(c.text or "" for c in sorted(cells, key=lambda c: c.col)).rstrip("\t")


def _groups(row: Row, n_targets: int) -> list[list[Cell]]:
    """The row's cells split by the target column they stand in (3 grid columns per target)."""
    groups: list[list[Cell]] = [[] for _ in range(max(n_targets, 1))]
    for cell in row.cells:
        groups[min(cell.col // 3, len(groups) - 1)].append(cell)
    return [g for g in groups if g]


def _paragraph_lines(cell: Cell) -> list[str]:
    return [p for p in (cell.text or "").split("\n")]


def _quoted(text: str) -> str:
    """A field as a spreadsheet's tab-separated save writes a cell with line breaks: in quotes, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def front_lines(page: Page, quoted: bool = False, quote: Callable[[str], str] = _quoted) -> list[str]:
    """The front sheet: title, header grid, policy paragraphs (with ``quoted``, the policy cell as one
    field holding its line breaks, as ``quote`` writes it), overview grid, legend lines."""
    lines: list[str] = ["", ""]
    for row in page.rows:
        if not row.cells:
            lines.append("")
            continue
        first = row.cells[0]
        if first.role == "basic_policy" and quoted:
            lines += [quote(first.text or ""), ""]
        elif first.role == "basic_policy":
            for para in _paragraph_lines(first):
                lines += [para, ""]
        elif first.kind == "plain":
            lines.append(f"- {first.text}")
        elif first.kind in ("title", "heading"):
            lines += [first.text or "", ""]
        else:
            lines.append(_grid_line(row.cells))
    return lines


def goal_lines(pages: list[Page], mode: str) -> list[str]:
    """One goal's sheet (its pages joined: an export has no page breaks) in ``mode``."""
    rows = [r for p in pages for r in p.rows]
    n_targets = len(pages[0].widths) // 3
    lines: list[str] = []
    for i, row in enumerate(rows[:2]):
        line = _compact_line(row.cells)
        lines += [line, "\t".join("-" * max(3, len(f)) for f in line.split("\t")), ""]
    body = rows[2:]
    i = 0
    while i < len(body):
        row = body[i]
        absolute = i + 2
        if not row.cells:
            lines.append("")
            i += 1
            continue
        if mode == "grid" or n_targets == 1 and mode != "stacked":
            lines.append(_grid_line(row.cells) if mode == "grid" else _compact_line(row.cells))
            i += 1
        elif mode == "stacked":
            lines += [_compact_line(g) for g in _groups(row, n_targets)]
            i += 1
        else:  # blocks: a band of rows, column group after column group
            size = _TARGET_BAND[1] - _TARGET_BAND[0] if absolute == _TARGET_BAND[0] else pages[0].style.block_rows
            band = body[i:i + size] if _is_band_start(row, pages[0].style) else [row]
            for k in range(n_targets):
                for r in band:
                    lines += [_compact_line(g) for g in _groups(r, n_targets) if g[0].col // 3 == k]
            i += len(band)
    return [line for line in lines]


def _is_band_start(row: Row, style: Style) -> bool:
    """Whether ``row`` starts a band of side-by-side blocks: the targets' or an initiative's first row, in
    the labels' spellings ``style`` prints."""
    labels = {unmarked(c.text) for c in row.cells if c.kind == "label"}  # typed with marks or not (writing.py)
    return bool(labels & {unmarked(style.label("今年度の達成目標")), unmarked(style.label("具体的取組"))}) \
        or any(c.rowspan > 1 for c in row.cells)


def write_text_export(pages: list[Page], out: Path, mode: str, encoding: str = "utf-8", newline: str = "\n",
                      quoted: bool = False, comma: bool = False, spacing: str = "", blanks: str = "",
                      seed: str = "") -> None:
    """Write a department's layout pages as a text export in ``mode`` (see the module docstring),
    in ``encoding`` (as Windows tools save: ``cp932``, ``utf-16`` with its BOM, ``utf-8-sig``) with
    ``newline`` ending each line; text ``encoding`` cannot hold is written in UTF-8. With ``comma``
    the same rows are a CSV (``csv.writer``: fields with commas, quotes or line breaks quoted). With
    ``spacing`` and ``blanks`` its trailing blanks and blank lines as another exporter writes them
    (``writing.space_lines``, drawn from ``seed``)."""
    if mode not in MODES:
        raise ValueError(mode)
    lines = front_lines(pages[0], quoted, (lambda text: text) if comma else _quoted)
    by_goal: dict[str, list[Page]] = {}
    for page in pages[1:]:
        by_goal.setdefault(page.name.split("(続き")[0], []).append(page)
    for goal_pages in by_goal.values():
        lines += goal_lines(goal_pages, mode)
    if spacing or blanks:
        lines = space_lines(lines, spacing, blanks, seed)
    if comma:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=newline).writerows(line.split("\t") if line.strip() else [] for line in lines)
        text = buffer.getvalue()
    else:
        text = newline.join(lines) + newline
    try:
        out.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        out.write_bytes(text.encode("utf-8"))
