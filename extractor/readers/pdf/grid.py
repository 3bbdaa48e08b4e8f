"""Pure geometry of the PDF reader: ruling lines to cells, glyphs to text lines, rows.

Every function takes and returns small typed values (:class:`Glyph`, :class:`Rule`,
:class:`BBox`) and can be tested on a few hand-made boxes. Coordinates are PDF points with
the origin at the top-left corner of the media box, as pdfplumber reports them; both
backends (``pdf_pdfium``, ``pdf_pdfplumber``) deliver a page as a :class:`PageContent` in
those coordinates. Ruling lines are snapped, joined and intersected as pdfplumber's
table finder does (``merge_edges``, ``edges_to_intersections``, ``intersections_to_cells``),
on tuples and with a grid lookup instead of its pairwise edge-set comparisons.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from typing import Callable, Iterable, NamedTuple, Sequence

import regex

from plansheet.core.geometry import Line, crossings_to_cells, rule_lines, snap_index
from plansheet.core.model import BBox, Rule
from plansheet.core.text import superscript

_HANGING = frozenset("、。，．」』）】〕")  # closing punctuation a renderer may hang past a line's end
_STOPS = frozenset("。．")  # a sentence's stop
_LATIN = regex.compile(r"[\p{Latin}\p{N}\p{Pd}.,;:!?%&'\"()\[\]/+*=@#$<>]")


class Glyph(NamedTuple):
    """One character of the text layer with its box and font size.

    A named tuple rather than a frozen dataclass: a page makes hundreds of them, and a frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` a field) cost 2.5× as much to build.
    Equality and hash are those of the field values either way."""

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


# points: a line across the page that ends this far past the page's right edge runs on past the paper (a sheet too
# wide for it); a sheet that fits its paper ends its lines inside the page (every committed PDF: 1 pt or more inside)
PAST_PAPER = 1.0


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a PDF backend reads from one page: all the geometry the cell builder needs.

    ``glyphs`` carry the text layer's characters as the library gives them, a glyph without
    a Unicode mapping as ``(cid:NNN)``; ``rules`` are straight axis-parallel strokes (not
    yet snapped or joined); ``has_images`` tells a scan from a blank page and is only
    looked at when the page has no glyphs. ``turn`` is how far (degrees clockwise) the page
    as shown must turn for most of its text to read upright: 0, or 90/180/270 for a sheet
    drawn sideways or upside down. ``hidden_layer``: the page's text was drawn invisible (another program's
    OCR layer over a scanned picture) and is left out of ``glyphs``. ``shown_right``: where a page whose lines
    run past its right edge clips what it draws, left of that edge (Chromium clips to the margins of a page too
    narrow for its table: the glyphs past the clip are not in the file, its lines are), None where not known.
    """

    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    has_images: bool
    turn: int = 0
    hidden_layer: bool = False
    shown_right: float | None = None


@dataclass(frozen=True, slots=True)
class GridBox:
    """A ruled cell placed on the grid: ``row``/``col`` index into the grid coordinates."""

    bbox: BBox
    row: int
    col: int
    row_span: int
    col_span: int


# --- ruling lines -----------------------------------------------------------------------
#
# Rules travel as plain tuples (:data:`plansheet.core.geometry.Line`): horizontal ones as
# (y, x0, x1), vertical ones as (x, top, bottom). The snapping and joining here and the
# intersecting in :mod:`plansheet.core.geometry` reproduce pdfplumber's ``merge_edges``,
# ``edges_to_intersections`` and ``intersections_to_cells`` exactly (the same float
# operations in the same order, so the same coordinates to the last bit;
# tests/test_pdf_grid.py compares them on random rules), without a dict per edge and
# without the pairwise set intersections that made ``intersections_to_cells`` slow.


def _snap(lines: list[Line], tolerance: float) -> list[Line]:
    """Move lines whose positions chain within ``tolerance`` onto their mean (pdfplumber's ``snap_objects``)."""
    cluster: dict[float, int] = {}
    last: float | None = None
    for value in sorted({p for p, _, _ in lines}):
        cluster[value] = len(cluster) if last is None else cluster[last] + (value > last + tolerance)
        last = value
    groups: dict[int, list[Line]] = {}
    for line in lines:
        groups.setdefault(cluster[line[0]], []).append(line)
    out: list[Line] = []
    for key in sorted(groups):
        group = groups[key]
        mean = sum(p for p, _, _ in group) / len(group)
        out.extend((p + (mean - p), a, b) for p, a, b in group)
    return out


def _join(lines: list[Line], tolerance: float) -> list[Line]:
    """Join pieces on one line that touch or overlap within ``tolerance`` (``join_edge_group``)."""
    out: list[Line] = []
    for p, a, b in sorted(lines):  # by position, then start (the end's order among equal starts joins alike)
        if out and out[-1][0] == p and a <= out[-1][2] + tolerance:
            if b > out[-1][2]:
                out[-1] = (p, out[-1][1], b)
        else:
            out.append((p, a, b))
    return out


def _round(lines: list[Line]) -> list[Line]:
    return [(round(p, 4), round(a, 4), round(b, 4)) for p, a, b in lines]


def merge_rules(rules: Iterable[Rule], snap_tolerance: float, min_length: float) -> list[Rule]:
    """Snap nearly collinear rules together and join touching pieces into long rules.

    Strokes shorter than ``min_length`` after joining are dropped (underlines of single
    characters, tick marks). Horizontal rules come first, by y then x; vertical ones after,
    by x then y (pdfplumber's ``merge_edges`` order).
    """
    hs, vs = rule_lines(rules)
    if snap_tolerance > 0:
        vs, hs = _snap(vs, snap_tolerance), _snap(hs, snap_tolerance)
    # Snapping moves each line by its own float delta, so one snapped line can come out as
    # 0.15 and 0.15000000000000002 and is then not joined (the sides of a filled-rectangle
    # border): round, and join once more.
    hs = _join(_round(_join(hs, snap_tolerance)), 0.0)
    vs = _join(_round(_join(vs, snap_tolerance)), 0.0)
    out = [Rule(x0, y, x1, y) for y, x0, x1 in hs] + [Rule(x, top, x, bottom) for x, top, bottom in vs]
    return [r for r in out if max(r.x1 - r.x0, r.bottom - r.top) >= min_length]


UNDERLINE_GAP = 0.5  # points: a stroke's end this close to a vertical stroke meets it


def drop_underlines(rules: list[Rule], glyphs: Sequence[Glyph], tolerance: float = UNDERLINE_GAP) -> list[Rule]:
    """The page's strokes (before merging) less the underlines drawn inside a ruled table.

    An underline is a horizontal stroke along the bottom of one line of text, exactly as long as
    that text (a rule runs on past the text by the cell's padding at least), inside a cell (a
    vertical stroke on either side spans its height) and meeting no vertical stroke (a cell's
    border meets the cell's sides; a grid line crosses the columns). Merged with the borders near
    it, such a stroke would cut its cell in two.
    """
    inked = [g for g in glyphs if g.text.strip()]
    if not inked:
        return rules
    reach = 0.25 * max(map(_SIZE, inked))
    bottoms = sorted(map(_BY_BOTTOM, inked))
    horizontal = [abs(bottom - top) <= abs(x1 - x0) for x0, top, x1, bottom in rules]  # Rule.is_horizontal
    along = [r for r, h in zip(rules, horizontal)  # strokes near a text bottom: an underline lies along one
             if h and bisect_left(bottoms, r.top - reach) < bisect_right(bottoms, r.top + reach)]
    verticals = sorted((r.x0, r.top, r.bottom) for r, h in zip(rules, horizontal) if not h)
    if not along or not verticals:  # nothing along a line of text; or an open table, whose rules are all it has
        return rules
    at_x: dict[int, list[tuple[float, float, float]]] = {}  # the verticals by whole point, by top: a look at an end
    for x, top, bottom in verticals:
        at_x.setdefault(round(x), []).append((top, bottom, x))
    spans_at = {k: sorted(spans) for k, spans in at_x.items()}
    tops = {k: [span[0] for span in spans] for k, spans in spans_at.items()}

    def end_met(x: float, y: float) -> bool:
        """A vertical within ``tolerance`` of the end (x, y) (only the last spans starting above y are
        looked at: a miss only sends the stroke on to the full check, never past it)."""
        for k in (round(x) - 1, round(x), round(x) + 1):
            spans = spans_at.get(k)
            if spans:
                i = bisect_right(tops[k], y + tolerance)
                if any(bottom + tolerance >= y and abs(vx - x) <= tolerance for _, bottom, vx in spans[max(0, i - 3):i]):
                    return True
        return False

    free = [r for r in along if not end_met(r.x0, r.top) and not end_met(r.x1, r.top)]
    if not free:  # every stroke along a line of text meets a vertical at an end (the usual ruled table)
        return rules
    inked.sort(key=_BY_BOTTOM)
    xs = [v[0] for v in verticals]
    underlines = set()
    for r in free:
        near = inked[bisect_left(bottoms, r.top - reach):bisect_right(bottoms, r.top + reach)]
        if near and not _met(r, verticals, xs, tolerance) and _inside(r, verticals, xs) and _under_text(r, near):
            underlines.add(id(r))
    return [r for r in rules if id(r) not in underlines] if underlines else rules


# a strike-through (取消線) runs through the middle of its glyphs: within their height less a quarter at
# either edge, and as long as the struck text (its ends within half a font size of the text's)
_STRIKE_BAND = 0.25
_STRIKE_END = 0.5


def inner_strokes(rules: Sequence[Rule], boxes: Sequence[BBox], tolerance: float) -> list[Rule]:
    """The horizontal rules that are no box's top or bottom: strokes inside a cell (a strike through a
    wording, an underline), which draw no box."""
    edges = {round(y) for b in boxes for y in (b.top, b.bottom)}
    inner = []
    for r in rules:
        x0, top, x1, bottom = r
        if bottom - top <= 1.5 and bottom - top <= x1 - x0:
            y = round(top)
            if y not in edges and y - 1 not in edges and y + 1 not in edges:
                inner.append(r)
    return inner


def struck_through(rules: list[Rule], glyphs: list[Glyph]) -> tuple[list[Rule], list[Glyph]]:
    """``rules`` and ``glyphs`` less the strike-throughs and the text they strike (取消線: an old wording a
    revised sheet keeps, deleted: a reader of the sheet reads the text after it). A strike is a thin
    horizontal stroke through the middle of a run of glyphs of one line, exactly as long as that run
    (``rules``: strokes inside cells, :func:`inner_strokes`)."""
    inked = sorted((g for g in glyphs if g.text.strip()), key=lambda g: (g.top + g.bottom) / 2)
    if not inked:
        return rules, glyphs
    centres = [(g.top + g.bottom) / 2 for g in inked]
    reach = 0.5 * max(map(_SIZE, inked))
    struck: set[Glyph] = set()
    strikes: set[int] = set()
    for r in rules:
        if r.bottom - r.top > 1.5 or r.x1 <= r.x0:
            continue
        y = (r.top + r.bottom) / 2
        near = inked[bisect_left(centres, y - reach):bisect_right(centres, y + reach)]
        run = [g for g in near if r.x0 <= (g.x0 + g.x1) / 2 <= r.x1
               and g.top + _STRIKE_BAND * (g.bottom - g.top) <= y <= g.bottom - _STRIKE_BAND * (g.bottom - g.top)]
        if not run:
            continue
        em = max(g.size for g in run)
        first, last = min(g.x0 for g in run), max(g.x1 for g in run)
        if abs(r.x0 - first) <= _STRIKE_END * em and abs(r.x1 - last) <= _STRIKE_END * em:
            struck.update(run)
            strikes.add(id(r))
    if not strikes:
        return rules, glyphs
    return [r for r in rules if id(r) not in strikes], [g for g in glyphs if g not in struck]


_BY_BOTTOM = attrgetter("bottom")
_BY_X1 = attrgetter("x1")
_TOP = attrgetter("top")
_SIZE = attrgetter("size")


def _met(rule: Rule, verticals: list[tuple[float, float, float]], xs: list[float], tolerance: float) -> bool:
    """Whether a vertical stroke meets the horizontal ``rule`` (at an end or across it)."""
    y = rule.top
    lo, hi = bisect_left(xs, rule.x0 - tolerance), bisect_right(xs, rule.x1 + tolerance)
    return any(top - tolerance <= y <= bottom + tolerance for _, top, bottom in verticals[lo:hi])


def _inside(rule: Rule, verticals: list[tuple[float, float, float]], xs: list[float]) -> bool:
    """Whether vertical strokes on both sides of the horizontal ``rule`` span its height (a cell's sides)."""
    y = rule.top
    lo, hi = bisect_left(xs, rule.x0), bisect_right(xs, rule.x1)
    return (any(top <= y <= bottom for _, top, bottom in verticals[:lo])
            and any(top <= y <= bottom for _, top, bottom in verticals[hi:]))


def _under_text(rule: Rule, glyphs: Sequence[Glyph]) -> bool:
    """Whether ``rule`` runs along the bottom of a line of text, under most of it and no further than it."""
    y = rule.top
    over = [g for g in glyphs if rule.x0 <= (g.x0 + g.x1) / 2 <= rule.x1
            and g.bottom - 0.25 * g.size <= y <= g.bottom + 0.25 * g.size]
    if not over:
        return False
    size = max(g.size for g in over)
    left, right = min(g.x0 for g in over), max(g.x1 for g in over)
    slack = max(0.5, 0.05 * size)  # the box PDFium or pdfminer gives a glyph, give or take
    covered = sum(g.x1 - g.x0 for g in over)
    return rule.x0 >= left - slack and rule.x1 <= right + slack and covered >= 0.6 * (rule.x1 - rule.x0)


def rules_to_cells(rules: Iterable[Rule], tolerance: float) -> list[tuple[float, float, float, float]]:
    """Every cell the (merged) rules close, as pdfplumber finds them (see :func:`crossings_to_cells`)."""
    hs, vs = rule_lines(rules)
    return crossings_to_cells(hs, vs, tolerance)


def rules_to_boxes(rules: Sequence[Rule], tolerance: float) -> list[BBox]:
    """The smallest closed rectangles the rules draw (merged cells come out whole).

    A box that encloses another box (a page frame around a table) is dropped, and so is a
    sliver no wider or higher than ``tolerance``.
    """
    # a sliver between two strokes of one border (double lines, a filled rectangle's sides)
    boxes = [b for b in rules_to_cells(rules, tolerance) if b[2] - b[0] > tolerance and b[3] - b[1] > tolerance]
    return [BBox(*b) for b in _drop_enclosing(boxes, tolerance)]


def _drop_enclosing(boxes: list[tuple[float, float, float, float]],
                    tolerance: float) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) that enclose no other box. Works on grid bands, so it stays
    linear on big grids."""
    xs = distinct_coordinates([v for b in boxes for v in (b[0], b[2])], tolerance)
    ys = distinct_coordinates([v for b in boxes for v in (b[1], b[3])], tolerance)
    spans = [
        (snap_index(ys, top, tolerance), snap_index(xs, x0, tolerance),
         snap_index(ys, bottom, tolerance), snap_index(xs, x1, tolerance))
        for x0, top, x1, bottom in boxes
    ]
    areas = [(x1 - x0) * (bottom - top) for x0, top, x1, bottom in boxes]
    smallest: dict[tuple[int, int], float] = {}  # area of the smallest box starting at each band
    for area, (r0, c0, _, _) in zip(areas, spans, strict=True):
        smallest[(r0, c0)] = min(smallest.get((r0, c0), float("inf")), area)
    keep = []
    for b, area, (r0, c0, r1, c1) in zip(boxes, areas, spans, strict=True):
        if area > smallest[(r0, c0)]:
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


def place_boxes(boxes: Sequence[BBox], tolerance: float) -> tuple[list[GridBox], list[float], list[float]]:
    """Put boxes on the grid of their distinct x and y coordinates.

    Returns the placed boxes, the grid's x coordinates and its y coordinates; a box that
    covers two grid columns has ``col_span == 2``.
    """
    xs = distinct_coordinates([v for b in boxes for v in (b.x0, b.x1)], tolerance)
    ys = distinct_coordinates([v for b in boxes for v in (b.top, b.bottom)], tolerance)
    placed = []
    for b in boxes:
        c0, c1 = snap_index(xs, b.x0, tolerance), snap_index(xs, b.x1, tolerance)
        r0, r1 = snap_index(ys, b.top, tolerance), snap_index(ys, b.bottom, tolerance)
        placed.append(GridBox(b, r0, c0, max(1, r1 - r0), max(1, c1 - c0)))
    return placed, xs, ys


# Excel's overflow: a text line printed on across a column line runs on with the font's own spacing
# (between -0.05 and 0.1 font sizes between glyphs); text that stays in its cells leaves both cells'
# padding between its last glyph and the next cell's first
_RUN_GAP = (-0.05, 0.1)
_NO_PADDING = 0.5  # points: a line that starts this close to its box's left line (or left of it) has no padding
# closing punctuation at a column line runs on only at the font's own advance to the last hundredths
# (hung punctuation ends where it ends, and the next cell's text starts after its padding)
_HUNG_GAP = 0.02
# points: a run on's glyphs follow each other at the advance, to the hundredths a PDF prints: the run's start, the
# punctuation's start and its advance each rounded so, up to a hundredth and a half apart either way (0.0203 pt,
# fuzz 57003-0105: a run left in the box beside at 0.02 was read before its line, ok)
_EXACT_GAP = 0.03
_EXACT_PAD = 0.015  # points: a box's own text starts at a padding of the sheet to its hundredths


def carry_overflow(placed: Sequence[GridBox], inside: list[list[Glyph]], tolerance: float = 1.0) -> None:
    """Excel's overflow: a cell's one-line text whose right neighbours are empty is printed on across
    them, over their column lines. A reader reads it as the text of the cell it starts in: a line of a
    box that begins at (or over) the box's left line, right where a line of the box to its left ends (the
    font's own spacing between the two glyphs; after closing punctuation only its very advance, as a
    renderer hangs that past a full line's end, burasage, and the next cell starts after its padding),
    is moved into that box (``inside``: each box's glyphs, as :func:`assign_glyphs` sorted them). Excel runs
    on only a text that is not wrapped, into cells that are empty: the box on the left holds that one line,
    and every line of the box it ran into is such a run (two wrapped texts side by side with no padding meet
    the same way, line after line, and stay apart). Boxes are looked at right to left, so a line run on
    across two empty boxes comes home whole."""
    # a box whose text starts at its left line, or right of a box whose text runs up to its right line (a
    # glyph over the line is placed by its centre, on either side): the common case, text inside its
    # padding in every box, has none
    filled, late, full, over = [], set(), [], []
    for i, glyphs in enumerate(inside):
        if glyphs:
            filled.append(i)
            bbox = placed[i].bbox
            if min(glyphs, key=_BY_X0).x0 < bbox.x0 + _NO_PADDING:
                late.add(i)
            if _reach(glyphs) > bbox.x1 - _NO_PADDING:
                full.append(i)
            elif max(g.x1 for g in glyphs) > bbox.x1 + _NO_PADDING:
                over.append(i)  # closing punctuation printed over its right line: a run's 、 at the line
    if not late and not full and not over:
        return

    def beside(i: int, j: int) -> bool:  # box i stands right of box j, in its rows
        return abs(placed[i].bbox.x0 - placed[j].bbox.x1) <= tolerance and \
            placed[i].bbox.top < placed[j].bbox.bottom and placed[j].bbox.top < placed[i].bbox.bottom

    late.update(i for j in full for i in filled if beside(i, j))
    if over:  # a box's own text starts after the padding the sheet's boxes use; a run on starts short of it
        pad = _padding(placed, inside, filled)
        late.update(i for j in over for i in filled if beside(i, j)
                    and min(g.x0 for g in inside[i]) - placed[i].bbox.x0 < pad - _NO_PADDING)
        late.update(_exact_runs(placed, inside, filled, over, beside))
    for edge, i in sorted(((placed[i].bbox.x0, i) for i in late), reverse=True):
        # a box an overflow ran into was empty: each of its lines runs on from a one-line box on its left
        # (a tall empty box beside two such boxes takes both runs); else nothing of it moves
        moves = []
        for line in cluster_lines(inside[i], tolerance):
            cy = (line[0].top + line[0].bottom) / 2
            left = next((j for j, box in enumerate(placed) if abs(box.bbox.x1 - edge) <= tolerance
                         and box.bbox.top <= cy <= box.bbox.bottom and inside[j]), None)
            if left is None or len(cluster_lines(inside[left], tolerance)) != 1:
                break  # Excel runs on only a text that is not wrapped: one line
            reach = 0.5 * max(line[0].size, 1.0)  # the line's glyphs: a kana's box sits lower than a kanji's
            level = [g for g in inside[left] if abs((g.top + g.bottom) / 2 - cy) <= reach]
            if not level or not _runs_on(max(level, key=_BY_X1), line[0]):
                break
            moves.append((left, line))
        else:
            for left, line in moves:
                inside[left].extend(line)
            if moves:
                inside[i] = []


def carry_clipped(placed: Sequence[GridBox], inside: list[list[Glyph]], outside: list[Glyph],
                  tolerance: float = 1.0) -> set[int]:
    """Excel's clipping: a cell's one-line text wider than its cell, beside a cell that holds text, is printed cut at
    its right line (Excel runs a text on only over empty cells). Printed to PDF, the text layer may hold it whole,
    its glyphs past the line standing in the box beside, on the line's baseline, among that box's own text: each
    glyph that follows the line's last one at the font's own spacing (:func:`_runs_on`, the nearest first) is the
    cell's, taken back from the boxes beside (and from past the table's right edge, ``outside`` its boxes, where the
    last box beside stands at its edge). Only where the box beside keeps a text of its own that starts after a
    padding (two texts side by side with no padding meet the same way, and an empty box is an overflow's:
    :func:`carry_overflow`). Returns the boxes whose one line ends with a glyph that starts inside the box and
    runs to (or over) its right line, beside a box with text of its own: a text printed cut there, whose rest the
    text layer does not hold (the page shows it short), but a line that ends with a sentence's stop (。) hung right
    where the line's room ends (its padding as wide as on its left): that line ends its sentence there."""
    cut: set[int] = set()
    for j in sorted((i for i, glyphs in enumerate(inside) if glyphs), key=lambda i: placed[i].bbox.x0):
        box, glyphs = placed[j].bbox, inside[j]
        size = max(g.size for g in glyphs)
        if max(g.x1 for g in glyphs) < box.x1 - 2 * size:
            continue  # the common case: a text that stops well short of its right line
        lines = cluster_lines(glyphs, tolerance)
        if len(lines) != 1:
            continue  # Excel clips only a text that is not wrapped: one line
        spacing = _spacing(lines[0])
        if spacing is None:
            continue
        last = max(lines[0], key=_BY_X1)
        cy, reach = (last.top + last.bottom) / 2, 0.5 * max(last.size, 1.0)
        taken: list[tuple[int, list[Glyph]]] = []
        occupied, edge = False, box.x1
        while True:
            beside = next((i for i, b in enumerate(placed) if inside[i] and abs(b.bbox.x0 - edge) <= tolerance
                           and b.bbox.top <= cy <= b.bbox.bottom), None)
            if beside is None:
                if taken and last.x1 > edge - 2 * size and not any(abs(b.bbox.x0 - edge) <= tolerance and b.bbox.top <= cy <= b.bbox.bottom
                                     for b in placed):  # the table's right edge: the rest stands outside its boxes
                    run = _run_from(last, spacing, [g for g in outside if abs((g.top + g.bottom) / 2 - cy) <= reach])
                    ran = set(map(id, run))
                    outside[:] = [g for g in outside if id(g) not in ran]
                    glyphs.extend(run)
                    last = run[-1] if run else last
                break
            run = _run_from(last, spacing, [g for g in inside[beside] if abs((g.top + g.bottom) / 2 - cy) <= reach])
            ran = set(map(id, run))
            own = [g for g in inside[beside] if id(g) not in ran]
            if not own or run and min(g.x0 for g in own) < placed[beside].bbox.x0 + _NO_PADDING:
                break  # an overflow over an empty box, or two texts side by side with no padding
            occupied = True
            if not run or not _runs_over(run, own, placed[beside].bbox.x0, cy, reach):
                break
            taken.append((beside, run))
            last, edge = run[-1], placed[beside].bbox.x1
        for i, run in taken:
            ran = set(map(id, run))
            inside[i] = [g for g in inside[i] if id(g) not in ran]
            glyphs.extend(run)
        end = last if taken else max(glyphs, key=_BY_X1)
        room = box.x1 - (min(g.x0 for g in glyphs) - box.x0)  # where the line's room ends: its padding either side
        hung = end.text in _STOPS and end.x0 <= room + _SAME_SPACING  # a sentence's stop hung past its line's room
        if occupied and end.x0 < box.x1 and end.x1 > box.x1 - _NO_PADDING and not hung:
            cut.add(j)
    return cut


_SAME_SPACING = 0.03  # points: the glyphs of one line follow each other at its spacing to the hundredths a PDF prints
# a digit or a Latin letter's box may run into the next glyph's (a substitute font's advance): by up to a tenth of
# the size
_OVERLAP = 0.1


def _spacing(line: list[Glyph]) -> tuple[float, ...] | None:
    """The spaces the glyphs of ``line`` leave between them (to a hundredth), a space between words left aside (None
    for a line of fewer than four glyphs: too short to tell, nor ever cut)."""
    gaps = sorted({round(b.x0 - a.x1, 2) for a, b in zip(line, line[1:]) if b.x0 - a.x1 <= 0.2 * max(a.size, b.size, 1.0)})
    if len(line) < 4 or not gaps:
        return None
    return tuple(gaps)


def _follows(last: Glyph, g: Glyph, spacing: tuple[float, ...]) -> bool:
    """Whether ``g`` follows ``last`` at one of the spacings of the line (``spacing``), or, after a digit or a Latin letter
    (whose box may run into the next glyph's: a substitute font's advance), overlapping it by up to a tenth of the
    size."""
    gap = g.x0 - last.x1
    if any(abs(gap - s) <= _SAME_SPACING for s in spacing):
        return True
    return bool(_LATIN.match(last.text)) and -_OVERLAP * max(last.size, 1.0) - _SAME_SPACING <= gap <= _SAME_SPACING


def _runs_over(run: list[Glyph], own: list[Glyph], left: float, cy: float, reach: float) -> bool:
    """Whether ``run`` is a line run on into a box from the one on its left (whose line is at ``cy``), not the box's
    own text that starts where that line ends by chance: it starts at the box's left line (``left``; its own text
    starts after a padding), or it runs over the box's own glyphs on its baseline (a text drawn over another)."""
    if run[0].x0 < left + _NO_PADDING:
        return True
    return any(run[0].x0 < g.x0 < run[-1].x1 for g in own if abs((g.top + g.bottom) / 2 - cy) <= reach)


def _run_from(last: Glyph, spacing: tuple[float, ...], level: list[Glyph]) -> list[Glyph]:
    """The glyphs of ``level`` that follow ``last`` one after another at the line's own ``spacing``, each the nearest,
    and none that another glyph of ``level`` ends nearer to (a glyph of the text the box holds itself, set at its own
    place, follows its own glyph: only the first of that text may meet the run's end by chance)."""
    run: list[Glyph] = []
    left = sorted(level, key=_BY_X0)
    while True:
        follows = [g for g in left if _follows(last, g, spacing)
                   and not any(h is not last and h is not g and abs(g.x0 - h.x1) < abs(g.x0 - last.x1) for h in level)]
        if not follows:
            return run
        last = min(follows, key=lambda g: abs(g.x0 - last.x1))
        run.append(last)
        left = [g for g in left if g is not last]


def _exact_runs(placed: Sequence[GridBox], inside: list[list[Glyph]], filled: list[int], over: list[int],
                beside: Callable[[int, int], bool]) -> set[int]:
    """Boxes whose text goes on where closing punctuation printed over their left line ends, at its exact advance
    (to the hundredths a PDF prints positions at), and not at a padding the sheet's other boxes leave: the run on of
    a one-line text, where the sheet's padding is as narrow as the punctuation's overhang (LibreOffice, 0.7 to
    0.8 pt), so that the run starts no shorter of the line than a box's own text would. A box's own text that meets
    the punctuation by chance starts at a padding the sheet uses (to a hundredth of a point), as its other boxes'
    texts do."""
    runs = set()
    for j in over:
        last = max(inside[j], key=_BY_X1)
        for i in filled:
            if beside(i, j) and abs(min(g.x0 for g in inside[i]) - last.x1) <= _EXACT_GAP:
                runs.add(i)
    if not runs:
        return runs
    own = Counter(round(min(g.x0 for g in inside[i]) - placed[i].bbox.x0, 2) for i in filled if i not in runs)
    paddings = [offset for offset, count in own.items() if count > 1]
    return {i for i in runs if all(abs(min(g.x0 for g in inside[i]) - placed[i].bbox.x0 - p) > _EXACT_PAD
                                   for p in paddings)}


def _padding(placed: Sequence[GridBox], inside: list[list[Glyph]], filled: list[int]) -> float:
    """The padding the sheet's boxes leave before their text: the most common distance (to a tenth of a point)
    from a box's left line to its first glyph (a centred label stands further in, each at its own)."""
    offsets = Counter(round(min(g.x0 for g in inside[i]) - placed[i].bbox.x0, 1) for i in filled)
    return offsets.most_common(1)[0][0]


def _reach(glyphs: list[Glyph]) -> float:
    """How far right a box's text reaches, closing punctuation hung past a line's end left aside."""
    last = max(glyphs, key=_BY_X1)
    if last.text not in _HANGING:
        return last.x1
    return max((g.x1 for g in glyphs if g.text not in _HANGING), default=0.0)


def _runs_on(a: Glyph, b: Glyph) -> bool:
    """Whether ``b`` follows ``a`` on one line with the font's own spacing (a run printed on)."""
    em = max(a.size, b.size, 1.0)
    gap = b.x0 - a.x1
    if a.text in _HANGING:
        return abs(gap) <= _HUNG_GAP * em
    return _RUN_GAP[0] * em <= gap <= _RUN_GAP[1] * em


def assign_glyphs(
    glyphs: Iterable[Glyph], placed: Sequence[GridBox], xs: Sequence[float], ys: Sequence[float]
) -> tuple[list[list[Glyph]], list[Glyph]]:
    """Sort glyphs into the box their centre falls in; the rest are returned apart.

    Closing punctuation (``、`` ``。`` ``」`` ``）``) counts from the first tenth of its box, where
    it starts: a renderer that hangs it past the end of a full line (burasage) draws it over
    the cell's right border, up to nearly all of its width, and it belongs to the text it
    closes, not to the cell on the right.
    """
    slot: dict[tuple[int, int], int] = {}
    for i, box in enumerate(placed):
        for r in range(box.row, box.row + box.row_span):
            for c in range(box.col, box.col + box.col_span):
                slot[(r, c)] = i
    inside: list[list[Glyph]] = [[] for _ in placed]
    outside: list[Glyph] = []
    if not xs:
        outside.extend(glyphs)
        return inside, outside
    bounds = [b.bbox for b in placed]
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    for g in glyphs:
        text, x0, y0, x1, y1, _ = g  # unpacked once: a named tuple's fields are slower to read one by one
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2  # Glyph.x_center, y_center
        if text in _HANGING:
            cx = x0 + (x1 - x0) / 10
        if left <= cx <= right and top <= cy <= bottom:
            hit = slot.get((bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1))
            if hit is not None:
                b = bounds[hit]
                if b.x0 <= cx <= b.x1 and b.top <= cy <= b.bottom:
                    inside[hit].append(g)
                    continue
        outside.append(g)
    return inside, outside


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


_BY_TOP_X0 = attrgetter("top", "x0")
_BY_X0 = attrgetter("x0")


def cluster_lines(glyphs: Iterable[Glyph], tolerance: float) -> list[list[Glyph]]:
    """Group glyphs into text lines in visual order: top to bottom, each line left to right.

    A glyph joins the current line when its top is within ``tolerance`` of the line's top,
    or when it overlaps the line vertically by more than half its height (mixed font sizes
    on one baseline). Content-stream order is never used.
    """
    lines: list[list[Glyph]] = []
    line_top = line_bottom = 0.0
    for g in sorted(glyphs, key=_BY_TOP_X0):
        top, bottom = g.top, g.bottom
        if lines:
            overlap = (line_bottom if line_bottom < bottom else bottom) - top  # min(bottom, line_bottom)
            if top - line_top <= tolerance or overlap > 0.5 * (bottom - top):
                lines[-1].append(g)
                if bottom > line_bottom:
                    line_bottom = bottom
                continue
        lines.append([g])
        line_top, line_bottom = top, bottom
    return [sorted(line, key=_BY_X0) if len(line) > 1 else line for line in lines]


# a superscript (Word's and Excel's: 58 % of the size, a third of it up) is at most 0.8 of the line's size and
# stands a sixth of the size or more above its baseline
_RAISED_SIZE = 0.8
_RAISED_BY = 0.15


def line_text(line: Sequence[Glyph], space_gap_em: float = 0.5, marks: bool = True) -> str:
    """The text of one line of glyphs sorted by x.

    A glyph after the line's text that is much smaller and raised above its baseline is a superscript
    (a footnote's number after a figure) and is written so (``85%¹``: :func:`~plansheet.core.text.superscript`);
    ``marks=False`` says the line has no glyph small enough (:func:`cell_text` looks once a cell).

    A space is inserted only between two Latin characters (letters, digits, ASCII
    punctuation) further apart than ``space_gap_em`` of the font size; Japanese characters
    never get one. Space characters of the text layer are kept.
    """
    if len(line) == 1:
        return line[0].text
    # a gap wider than space_gap_em × max(sizes, 1) is wider than space_gap_em: a cheap test first
    floor = space_gap_em if space_gap_em >= 0 else float("-inf")
    out: list[str] = []
    prev: Glyph | None = None
    base: Glyph | None = None  # the last glyph of the line's own size and baseline
    for g in line:
        if marks and base is not None and 0 < g.size <= _RAISED_SIZE * base.size and g.bottom < base.bottom - _RAISED_BY * base.size:
            out.append(superscript(g.text))  # a superscript: 85%¹, not 85%1
            prev = g
            continue
        base = g
        if prev is not None:
            if (  # the same character drawn twice on the spot (fake bold)
                prev.text == g.text and abs(prev.x0 - g.x0) < 0.2 * max(prev.size, 1.0) and abs(prev.top - g.top) < 1.0
            ):
                continue
            gap = g.x0 - prev.x1
            if (
                gap > floor
                and gap > space_gap_em * max(prev.size, g.size, 1.0)
                and _LATIN.fullmatch(prev.text[-1:] or " ")
                and _LATIN.fullmatch(g.text[:1] or " ")
            ):
                out.append(" ")
        out.append(g.text)
        prev = g
    return "".join(out)


# furigana (ルビ): kana at most 0.7 of the size of the line right under them, standing over its words
_RUBY_SIZE = 0.7
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]+")


def without_ruby(lines: list[list[Glyph]]) -> list[list[Glyph]]:
    """``lines`` (of one cell, top to bottom) without their furigana: a line of small kana set right above
    a line of text and over its extent is a phonetic guide to its words (山田 read やまだ), no part of the
    cell's text, and so are such kana set so close that they joined the line of their words. A reader of
    the page reads the words, not the guide."""
    sizes = [(min(map(_SIZE, line)), max(map(_SIZE, line))) for line in lines]
    kept = []
    for k, line in enumerate(lines):
        if k + 1 < len(lines) and sizes[k][1] <= _RUBY_SIZE * sizes[k + 1][1] and _is_ruby(line, lines[k + 1]):
            continue
        if sizes[k][0] <= _RUBY_SIZE * sizes[k][1]:
            line = _ruby_taken_off(line)  # set so close above its words that it joined their line
        kept.append(line)
    return kept


def _ruby_taken_off(line: list[Glyph]) -> list[Glyph]:
    """A line of mixed sizes less its furigana: kana at most 0.7 of the line's size standing above the
    line's full-size glyphs (their bottom no lower than a quarter of the size under those glyphs' top)."""
    size = max(line, key=_SIZE).size
    big = [g for g in line if g.size > _RUBY_SIZE * size]
    if not big:  # sizes the text layer does not give (0): nothing to tell apart
        return line
    top = min(g.top for g in big)
    return [g for g in line if g.size > _RUBY_SIZE * size or g.bottom > top + 0.25 * size
            or not _KANA.fullmatch(g.text)]


def _is_ruby(line: list[Glyph], under: list[Glyph]) -> bool:
    """``line`` (its glyphs at most 0.7 of the size of ``under``'s) is furigana over ``under``: kana, right
    above it, within its extent."""
    size = max(map(_SIZE, under))
    top = min(map(_TOP, under))
    if not 0 <= top - max(map(_BY_BOTTOM, line)) + 0.3 * size <= 0.9 * size:  # touching or just above
        return False
    if line[0].x0 < under[0].x0 - size or line[-1].x1 > under[-1].x1 + size:
        return False
    return bool(_KANA.fullmatch("".join(g.text for g in line)))


def cell_text(glyphs: list[Glyph], tolerance: float, space_gap_em: float = 0.5) -> tuple[list[list[Glyph]], list[str]]:
    """A cell's glyphs as its lines and their texts: furigana taken off (:func:`without_ruby`), superscripts
    written so (:func:`lines_text`). A cell of one font size, nearly all of them, has neither: its lines are
    read as they stand."""
    lines = cluster_lines(glyphs, tolerance)
    if min(map(_SIZE, glyphs)) > _RAISED_SIZE * max(map(_SIZE, glyphs)):
        return lines, [line_text(line, space_gap_em, marks=False) for line in lines]
    lines = without_ruby(lines)
    return lines, lines_text(lines, space_gap_em)


def lines_text(lines: Sequence[Sequence[Glyph]], space_gap_em: float = 0.5) -> list[str]:
    """The text of each of a cell's lines (:func:`line_text`); a line of small digits alone under a line of
    text (at most 0.8 of its size) is that line's superscript wrapped onto a line of its own (``¹``)."""
    if len(lines) == 1:  # most cells
        return [line_text(lines[0], space_gap_em)]
    out: list[str] = []
    above = 0.0
    for line in lines:
        size = max(map(_SIZE, line))
        if 0 < size <= _RAISED_SIZE * above and all(g.text.isdigit() for g in line):
            out.append(superscript("".join(g.text for g in line)))
            continue
        out.append(line_text(line, space_gap_em))
        above = size
    return out


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
    return min(len(xs) - 1, snap_index(xs, x, tolerance))


OFF_AXIS_DEGREES = 5.0  # a baseline this far from every quarter turn is drawn aslant


def off_axis(angle: float) -> bool:
    """Whether a baseline at ``angle`` degrees runs aslant, neither along nor across the page.

    A sheet's text runs along the page or a quarter turn from it (a sideways column heading);
    text at 30° or 45° is a stamp or watermark drawn over the sheet (a draft's 案, a copy's 写),
    not a word of any cell, and is left out.
    """
    off = angle % 90.0
    return OFF_AXIS_DEGREES < off < 90.0 - OFF_AXIS_DEGREES


def upright_turn(angles: Iterable[float], rotation: int, share: float = 0.6) -> int:
    """The clockwise turn that makes a page's text upright, from its characters' angles.

    ``angles`` are the characters' baseline directions in PDF user space (degrees,
    counter-clockwise); ``rotation`` is the page's /Rotate. When ``share`` of them agree on
    one quarter turn θ, the page must be shown turned θ clockwise: the answer is the turn
    still needed after /Rotate. Upright text (θ = 0) on a page without /Rotate gives 0;
    Japanese vertical writing has upright characters, so it is never turned.
    """
    counts = [0, 0, 0, 0]
    for angle in angles:
        counts[round((angle % 360) / 90) % 4] += 1
    total = sum(counts)
    if not total:
        return 0
    best = max(range(4), key=counts.__getitem__)
    if counts[best] < share * total:
        return 0
    return (best * 90 - rotation) % 360
