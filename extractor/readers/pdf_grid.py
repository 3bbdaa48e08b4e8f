"""Pure geometry of the PDF reader: ruling lines to cells, glyphs to text lines, rows.

Every function takes and returns small typed values (:class:`Glyph`, :class:`Rule`,
:class:`BBox`) and can be tested on a few hand-made boxes. Coordinates are PDF points with
the origin at the top-left corner of the media box, as pdfplumber reports them; both
backends (``pdf_pdfium``, ``pdf_pdfplumber``) deliver a page as a :class:`PageContent` in
those coordinates. Ruling lines are snapped, joined and intersected with pdfplumber's own
table-finder helpers.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

import regex
from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from plansheet.model import BBox, Rule

_LATIN = regex.compile(r"[\p{Latin}\p{N}\p{Pd}.,;:!?%&'\"()\[\]/+*=@#$<>]")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character of the text layer with its box and font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y_center(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a PDF backend reads from one page: all the geometry the cell builder needs.

    ``glyphs`` carry the text layer's characters as the library gives them, a glyph without
    a Unicode mapping as ``(cid:NNN)``; ``rules`` are straight axis-parallel strokes (not
    yet snapped or joined); ``has_images`` tells a scan from a blank page and is only
    looked at when the page has no glyphs.
    """

    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    has_images: bool


@dataclass(frozen=True, slots=True)
class GridBox:
    """A ruled cell placed on the grid: ``row``/``col`` index into the grid coordinates."""

    bbox: BBox
    row: int
    col: int
    row_span: int
    col_span: int


# --- ruling lines -----------------------------------------------------------------------


def _rule_to_edge(rule: Rule) -> dict[str, object]:
    orientation = "h" if rule.is_horizontal else "v"
    if orientation == "h":
        top = bottom = (rule.top + rule.bottom) / 2
        x0, x1 = rule.x0, rule.x1
    else:
        x0 = x1 = (rule.x0 + rule.x1) / 2
        top, bottom = rule.top, rule.bottom
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top, "orientation": orientation,
    }


def _edge_to_rule(edge: dict[str, object]) -> Rule:
    return Rule(float(edge["x0"]), float(edge["top"]), float(edge["x1"]), float(edge["bottom"]))  # type: ignore[arg-type]


def merge_rules(rules: Iterable[Rule], snap_tolerance: float, min_length: float) -> list[Rule]:
    """Snap nearly collinear rules together and join touching pieces into long rules.

    Strokes shorter than ``min_length`` after joining are dropped (underlines of single
    characters, tick marks). Uses pdfplumber's ``merge_edges``.
    """
    edges = [_rule_to_edge(r) for r in rules]
    if not edges:
        return []
    merged = merge_edges(edges, snap_tolerance, snap_tolerance, snap_tolerance, snap_tolerance)
    # Snapping moves each edge by its own float delta, so one snapped line can come out as
    # 0.15 and 0.15000000000000002 and is then not joined (the sides of a filled-rectangle
    # border): round, and join once more.
    merged = merge_edges([_rounded(e) for e in merged], 0.0, 0.0, 0.0, 0.0)
    out = [_edge_to_rule(e) for e in merged]
    return [r for r in out if max(r.x1 - r.x0, r.bottom - r.top) >= min_length]


def _rounded(edge: dict[str, object]) -> dict[str, object]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in edge.items()}


def rules_to_boxes(rules: Sequence[Rule], tolerance: float) -> list[BBox]:
    """The smallest closed rectangles the rules draw (merged cells come out whole).

    A box that encloses another box (a page frame around a table) is dropped, and so is a
    sliver no wider or higher than ``tolerance``.
    """
    edges = [_rule_to_edge(r) for r in rules]
    intersections = edges_to_intersections(edges, tolerance, tolerance)
    boxes = [BBox(*map(float, b)) for b in intersections_to_cells(intersections)]
    # a sliver between two strokes of one border (double lines, a filled rectangle's sides)
    boxes = [b for b in boxes if b.width > tolerance and b.height > tolerance]
    return _drop_enclosing(boxes, tolerance)


def _drop_enclosing(boxes: list[BBox], tolerance: float) -> list[BBox]:
    """Boxes that enclose no other box. Works on grid bands, so it stays linear on big grids."""
    xs = distinct_coordinates([v for b in boxes for v in (b.x0, b.x1)], tolerance)
    ys = distinct_coordinates([v for b in boxes for v in (b.top, b.bottom)], tolerance)
    spans = [
        (_index(ys, b.top, tolerance), _index(xs, b.x0, tolerance), _index(ys, b.bottom, tolerance), _index(xs, b.x1, tolerance))
        for b in boxes
    ]
    smallest: dict[tuple[int, int], float] = {}  # area of the smallest box starting at each band
    for b, (r0, c0, _, _) in zip(boxes, spans, strict=True):
        smallest[(r0, c0)] = min(smallest.get((r0, c0), float("inf")), b.width * b.height)
    keep = []
    for b, (r0, c0, r1, c1) in zip(boxes, spans, strict=True):
        if b.width * b.height > smallest[(r0, c0)]:
            continue  # a smaller box starts at the same corner
        inner = ((r, c) for r in range(r0, r1) for c in range(c0, c1) if (r, c) != (r0, c0))
        if not any(key in smallest for key in inner):
            keep.append(b)
    return keep


def distinct_coordinates(values: Iterable[float], tolerance: float) -> list[float]:
    """Sorted coordinates, values closer than ``tolerance`` to the previous one merged."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(coords: Sequence[float], value: float, tolerance: float) -> int:
    """Index of the grid coordinate ``value`` snaps to (the nearest at or below it)."""
    return max(0, bisect_right(coords, value + tolerance) - 1)


def place_boxes(boxes: Sequence[BBox], tolerance: float) -> tuple[list[GridBox], list[float], list[float]]:
    """Put boxes on the grid of their distinct x and y coordinates.

    Returns the placed boxes, the grid's x coordinates and its y coordinates; a box that
    covers two grid columns has ``col_span == 2``.
    """
    xs = distinct_coordinates([v for b in boxes for v in (b.x0, b.x1)], tolerance)
    ys = distinct_coordinates([v for b in boxes for v in (b.top, b.bottom)], tolerance)
    placed = []
    for b in boxes:
        c0, c1 = _index(xs, b.x0, tolerance), _index(xs, b.x1, tolerance)
        r0, r1 = _index(ys, b.top, tolerance), _index(ys, b.bottom, tolerance)
        placed.append(GridBox(b, r0, c0, max(1, r1 - r0), max(1, c1 - c0)))
    return placed, xs, ys


def assign_glyphs(
    glyphs: Iterable[Glyph], placed: Sequence[GridBox], xs: Sequence[float], ys: Sequence[float]
) -> tuple[list[list[Glyph]], list[Glyph]]:
    """Sort glyphs into the box their centre falls in; the rest are returned apart."""
    slot: dict[tuple[int, int], int] = {}
    for i, box in enumerate(placed):
        for r in range(box.row, box.row + box.row_span):
            for c in range(box.col, box.col + box.col_span):
                slot[(r, c)] = i
    inside: list[list[Glyph]] = [[] for _ in placed]
    outside: list[Glyph] = []
    for g in glyphs:
        cx, cy = g.x_center, g.y_center
        if xs and xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]:
            hit = slot.get((bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1))
            if hit is not None and _contains(placed[hit].bbox, cx, cy):
                inside[hit].append(g)
                continue
        outside.append(g)
    return inside, outside


def _contains(b: BBox, x: float, y: float) -> bool:
    return b.x0 <= x <= b.x1 and b.top <= y <= b.bottom


def is_enclosed(bbox: BBox, rules: Sequence[Rule], tolerance: float = 1.0) -> bool:
    """True when rules run above, below, left and right of ``bbox`` (it sits in a table)."""
    cx, cy = bbox.x_center, (bbox.top + bbox.bottom) / 2
    above = below = left = right = False
    for r in rules:
        if r.is_horizontal and r.x0 - tolerance <= cx <= r.x1 + tolerance:
            above |= r.bottom <= bbox.top + tolerance
            below |= r.top >= bbox.bottom - tolerance
        elif not r.is_horizontal and r.top - tolerance <= cy <= r.bottom + tolerance:
            left |= r.x1 <= bbox.x0 + tolerance
            right |= r.x0 >= bbox.x1 - tolerance
    return above and below and left and right


# --- text lines -------------------------------------------------------------------------


def cluster_lines(glyphs: Iterable[Glyph], tolerance: float) -> list[list[Glyph]]:
    """Group glyphs into text lines in visual order: top to bottom, each line left to right.

    A glyph joins the current line when its top is within ``tolerance`` of the line's top,
    or when it overlaps the line vertically by more than half its height (mixed font sizes
    on one baseline). Content-stream order is never used.
    """
    lines: list[list[Glyph]] = []
    line_top = line_bottom = 0.0
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        if lines:
            overlap = min(g.bottom, line_bottom) - g.top
            if g.top - line_top <= tolerance or overlap > 0.5 * (g.bottom - g.top):
                lines[-1].append(g)
                line_bottom = max(line_bottom, g.bottom)
                continue
        lines.append([g])
        line_top, line_bottom = g.top, g.bottom
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def _is_duplicate(a: Glyph, b: Glyph) -> bool:
    """The same character drawn twice on the spot (fake bold)."""
    return a.text == b.text and abs(a.x0 - b.x0) < 0.2 * max(a.size, 1.0) and abs(a.top - b.top) < 1.0


def line_text(line: Sequence[Glyph], space_gap_em: float = 0.5) -> str:
    """The text of one line of glyphs sorted by x.

    A space is inserted only between two Latin characters (letters, digits, ASCII
    punctuation) further apart than ``space_gap_em`` of the font size; Japanese characters
    never get one. Space characters of the text layer are kept.
    """
    out: list[str] = []
    prev: Glyph | None = None
    for g in line:
        if prev is not None:
            if _is_duplicate(prev, g):
                continue
            gap = g.x0 - prev.x1
            if (
                gap > space_gap_em * max(prev.size, g.size, 1.0)
                and _LATIN.fullmatch(prev.text[-1:] or " ")
                and _LATIN.fullmatch(g.text[:1] or " ")
            ):
                out.append(" ")
        out.append(g.text)
        prev = g
    return "".join(out)


def split_at_gaps(line: Sequence[Glyph], gap_em: float) -> list[list[Glyph]]:
    """Cut a line (sorted by x) where the gap between glyphs exceeds ``gap_em`` font sizes."""
    parts: list[list[Glyph]] = []
    for g in line:
        if not g.text.strip() and (not parts or not parts[-1]):
            continue
        if parts and parts[-1] and g.x0 - parts[-1][-1].x1 > gap_em * max(g.size, 1.0):
            parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(g)
    for part in parts:
        while part and not part[-1].text.strip():
            part.pop()
    return [p for p in parts if p]


def envelope(glyphs: Iterable[Glyph]) -> BBox:
    """The smallest box around some glyphs."""
    gs = list(glyphs)
    return BBox(min(g.x0 for g in gs), min(g.top for g in gs), max(g.x1 for g in gs), max(g.bottom for g in gs))


# --- rows -------------------------------------------------------------------------------


def merge_row_axes(
    ys: Sequence[float], occupied: set[int], free_lines: Sequence[tuple[float, float]]
) -> tuple[dict[int, int], list[int]]:
    """Number the rows of a page that has ruled grid rows and free text lines.

    ``ys`` are the grid's y coordinates, ``occupied`` the grid rows (bands between two
    ``ys``) that hold a ruled cell, ``free_lines`` the (top, bottom) of each text line
    outside the cells. A free line whose centre falls in an occupied grid row shares that
    row; any other free line becomes a row of its own. Rows are numbered top to bottom from
    0. Returns the page row of each occupied grid row and of each free line.
    """
    bands: list[tuple[float, str, int]] = [((ys[i] + ys[i + 1]) / 2, "grid", i) for i in sorted(occupied)]
    free_rows: list[int | None] = []
    for top, bottom in free_lines:
        centre = (top + bottom) / 2
        i = bisect_right(ys, centre) - 1 if ys else -1
        free_rows.append(i if 0 <= i < len(ys) - 1 and i in occupied else None)
    for k, (top, bottom) in enumerate(free_lines):
        if free_rows[k] is None:
            bands.append(((top + bottom) / 2, "free", k))
    bands.sort(key=lambda b: (b[0], b[1] == "free"))
    grid_row: dict[int, int] = {}
    free_row: list[int] = [0] * len(free_lines)
    for n, (_, kind, idx) in enumerate(bands):
        if kind == "grid":
            grid_row[idx] = n
        else:
            free_row[idx] = n
    for k, band in enumerate(free_rows):
        if band is not None:
            free_row[k] = grid_row[band]
    return grid_row, free_row


def column_of(x: float, xs: Sequence[float], tolerance: float) -> int:
    """The grid column a free text starting at ``x`` lies in (0 left of the grid, len(xs)-1 right of it)."""
    if not xs:
        return 0
    return min(len(xs) - 1, _index(xs, x, tolerance))
