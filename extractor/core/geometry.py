"""Geometry every reader with ruling lines shares: crossings to cells, and snapping to a grid.

The PDF reader (points, :mod:`plansheet.readers.pdf.grid`) and the OCR reader (pixels,
:mod:`plansheet.readers.ocr.image`) both find a sheet's cells the same way: where a
horizontal and a vertical ruling line cross is a corner, and the smallest rectangle whose
four corners are crossings and whose four sides are drawn is a cell (a missing ruling
between two grid points makes a bigger, merged cell). Lines travel as plain tuples
``(position across, start along, end along)``: a horizontal line as (y, x0, x1), a
vertical one as (x, top, bottom). Units do not matter, as long as ``tolerance`` is in the
same unit.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from plansheet.core.model import Rule

Line = tuple[float, float, float]  # (position across, start along, end along)

MAX_RULE_SKEW = 1.0  # a stroke whose ends differ more than this (points) in both x and y is diagonal, not a ruling


def rule_lines(rules: Iterable[Rule]) -> tuple[list[Line], list[Line]]:
    """Horizontal rules as (y, x0, x1) and vertical ones as (x, top, bottom), centred on their stroke."""
    hs: list[Line] = []
    vs: list[Line] = []
    for r in rules:
        if abs(r.bottom - r.top) <= abs(r.x1 - r.x0):  # Rule.is_horizontal
            hs.append(((r.top + r.bottom) / 2, float(r.x0), float(r.x1)))
        else:
            vs.append(((r.x0 + r.x1) / 2, float(r.top), float(r.bottom)))
    return hs, vs


def crossings_to_cells(hs: Iterable[Line], vs: Iterable[Line], tolerance: float) -> list[tuple[float, float, float, float]]:
    """Every cell the lines close: for each crossing, the smallest rectangle with it as top-left corner.

    A crossing is where a vertical line at x and a horizontal one at y meet within
    ``tolerance``. Two crossings on one vertical (horizontal) line are connected when one
    line runs through both; a cell needs its four sides connected. Lines of one ruling
    must stand at one position (snap them first). What pdfplumber's
    ``edges_to_intersections`` + ``intersections_to_cells`` return, in the same order
    (top-left corners sorted by x, then y), as (x0, top, x1, bottom); with a grid lookup
    instead of its pairwise edge-set comparisons.
    """
    vs = sorted(vs)
    v_pos = [x for x, _, _ in vs]
    # each crossing: how far down its vertical lines reach, and how far right its horizontal ones
    down: dict[tuple[float, float], float] = {}
    right: dict[tuple[float, float], float] = {}
    for y, hx0, hx1 in hs:
        for x, top, bottom in vs[bisect_left(v_pos, hx0 - tolerance):bisect_right(v_pos, hx1 + tolerance)]:
            if top <= y + tolerance and bottom >= y - tolerance and hx0 - tolerance <= x <= hx1 + tolerance:
                point = (x, y)
                if down.get(point, bottom) <= bottom:
                    down[point] = bottom
                if right.get(point, hx1) <= hx1:
                    right[point] = hx1
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(down):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells = []
    for x, column in by_x.items():
        for i, y in enumerate(column):
            cell = _smallest_cell(x, y, column[i + 1:], by_y[y], down, right, tolerance)
            if cell is not None:
                cells.append(cell)
    return cells


def _smallest_cell(
    x: float, y: float, below: list[float], row: list[float],
    down: dict[tuple[float, float], float], right: dict[tuple[float, float], float], tolerance: float,
) -> tuple[float, float, float, float] | None:
    """The lowest, then narrowest, cell whose top-left corner is the crossing (x, y)."""
    reach_down, reach_right = down[(x, y)], right[(x, y)]
    rights = row[bisect_right(row, x):]
    for y1 in below:
        if reach_down < y1 - tolerance:
            break  # no line runs down from (x, y) to here, nor further
        for x1 in rights:
            if x1 > reach_right + tolerance:
                break
            corner = (x1, y1)
            if corner in down and down[(x1, y)] >= y1 - tolerance and x1 <= right[(x, y1)] + tolerance:
                return (x, y, x1, y1)
    return None


def snap_index(coords: Sequence[float], value: float, tolerance: float) -> int:
    """Index of the sorted grid coordinate ``value`` snaps to: the last one at or below ``value + tolerance`` (0 if none)."""
    return max(0, bisect_right(coords, value + tolerance) - 1)
