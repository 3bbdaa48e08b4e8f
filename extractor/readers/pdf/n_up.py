"""Pages printed two to a sheet (a printer's 2-up): each printed page read as a page of its own.

A printer's 2-up puts two pages side by side on one sheet, each smaller. A reader of the paper reads the
left page, then the right one. So a page whose text and ruling lines fall into a left and a right part
with a band down the page that neither crosses, ruling lines on either side, is two pages in that order
(three, where two such bands run down it). A sheet's own tables span its width, and its
title and headings stand over them: no such band runs down one printed sheet. Four to a sheet puts two rows of
two: a sheet so cut down is cut across at its middle height too where nothing crosses it there and pages stand
above and below it, and read row by row (each column read top down would put the third page before the second).
Each page's header and footer, in the sheet's middle where four are printed to a sheet, are taken off once the
sheet is cut into its pages (``pipeline.stages.read_source``).

Both parts keep the sheet's page number (the page a record cites is the sheet it is printed on); the right
part's rows are numbered after the left part's, each part's columns from 0, and its boxes from the sheet's
left edge (a goal's columns stand alike on its every page) and a lower row's from its top. The reader builds each part's cells from its
own glyphs and lines (:func:`regions`), its strokes judged at half size, so one part's rows never split the
other's cells.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from plansheet.core.model import BBox, Cell, Page, Rule

_GAP = 0.03  # the narrowest band between two printed pages, as a share of the sheet's width


Region = tuple[float, float, float, float]  # x0, top, x1, bottom of one printed page on the sheet


def split_n_up(pages: list[Page]) -> list[Page]:
    """``pages`` with every sheet of pages printed side by side cut into its pages, left to right."""
    out: list[Page] = []
    for page in pages:
        boxes = [(c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom) for c in page.cells if c.bbox is not None and c.text]
        parts = regions(page.rules, boxes, page.width or 0.0, page.height or 0.0)
        below = 0
        for region in parts:
            part = _part(page, region, below)
            below = max((c.row_end for c in part.cells), default=below)
            out.append(part)
        if not parts:
            out.append(page)
    return out


def rows_in_turn(pages: list[Page]) -> list[Page]:
    """``pages`` whose parts of one sheet (pages cut apart by :func:`split_n_up`, sharing its page number, one after
    another) have their rows numbered one part after another again, as the cut numbered them: a pass that numbered
    each part's rows from 0 (taking off its header and footer) would interleave the parts' rows."""
    out: list[Page] = []
    for page in pages:
        previous = out[-1] if out else None
        if previous is None or previous.number != page.number or not page.cells:
            out.append(page)
            continue
        below = max((c.row_end for c in previous.cells), default=0)
        first = min(c.row for c in page.cells)
        out.append(page if first >= below else
                   replace(page, cells=tuple(replace(c, row=c.row - first + below) for c in page.cells)))
    return out


def regions(rules: Sequence[Rule], texts: Sequence[Region], width: float, height: float = 0.0) -> list[Region]:
    """The printed pages of a sheet ``width`` wide (and ``height`` high) whose ruling lines are ``rules`` and whose
    texts stand in ``texts`` (x0, top, x1, bottom), in reading order, or none when it is one page: cut down each
    band down the sheet, as wide as ``_GAP`` of it at least, that no ruling line crosses and text leaves clear,
    with ruling lines on either side (:func:`_cuts`); a sheet so cut is cut across too where such a band runs
    across it through its middle height (four to a sheet: two rows of pages, read row by row, left to right)."""
    if not rules or not width:
        return []
    xs = _cuts([(r.x0, r.x1) for r in rules], [(t[0], t[2]) for t in texts], width)
    if not xs:
        return []
    ys = [height / 2] if height and _clear_across(rules, texts, height / 2, _GAP * height, xs) else []
    inf = float("inf")
    return [(lo, top, hi, bottom) for top, bottom in zip([-inf] + ys, ys + [inf])
            for lo, hi in zip([-inf] + xs, xs + [inf])]


def _clear_across(rules: Sequence[Rule], texts: Sequence[Region], y: float, band: float, xs: Sequence[float]) -> bool:
    """Whether the sheet is cut across at height ``y`` into two rows of pages: no text crosses it, no ruling line
    stands within ``band`` / 2 of it, and the pages left of the first cut down (``xs``) have ruling lines above it
    and below it (a printer's four to a sheet puts its pages in two equal rows whose margins meet there; two to a
    sheet of short pages leaves the sheet's middle clear, with no page under it). A page with no table (a cover) may
    stand in a quarter, the left one above: then another column's pages have ruling lines above and below it, and
    the two rows start alike, each row's first line of text or ruling as far below the row's top (a printer prints
    every page of a sheet at one scale and margin; a page's own blank stretch has no such second row)."""
    if any(t[1] < y < t[3] for t in texts) or any(r.top - band / 2 < y < r.bottom + band / 2 for r in rules):
        return False
    edges = [float("-inf"), *xs, float("inf")]
    columns = [[r for r in rules if lo < r.x0 and r.x1 < hi] for lo, hi in zip(edges, edges[1:])]
    if any(r.bottom < y for r in columns[0]) and any(r.top > y for r in columns[0]):
        return True
    if not any(any(r.bottom < y for r in c) and any(r.top > y for r in c) for c in columns[1:]):
        return False
    tops = [min([r.top for r in rules if (r.top > y) == lower] + [t[1] for t in texts if (t[1] > y) == lower],
                default=None) for lower in (False, True)]
    return None not in tops and abs(tops[0] - (tops[1] - y)) <= band  # type: ignore[operator]


def _cuts(spans: Sequence[tuple[float, float]], texts: Sequence[tuple[float, float]], size: float) -> list[float]:
    """The middles of the bands across one axis, ``_GAP`` of ``size`` wide at least, that no span of ``spans`` (the
    ruling lines) crosses and text leaves clear (:func:`_clear_middle`): ruling lines stand on either side of each."""
    if not spans:
        return []
    ordered = sorted(spans)
    bands = []
    reach = ordered[0][1]
    for a, b in ordered[1:]:
        if a - reach >= _GAP * size:
            bands.append((reach, a))
        reach = max(reach, b)
    return [at for band in bands if (at := _clear_middle(band, texts, size)) is not None]


def _clear_middle(band: tuple[float, float], texts: Sequence[tuple[float, float]], size: float) -> float | None:
    """The middle of the widest stretch of ``band`` no text covers, when it is ``_GAP`` / 2 of ``size`` wide at least
    (a line that runs a little past its table's edge leaves the band between two pages)."""
    lo, hi = band
    covered = sorted((max(a, lo), min(b, hi)) for a, b in texts if a < hi and b > lo)
    best, at = 0.0, None
    reach = lo
    for a, b in covered:  # the stretches between the covered ones (which may overlap)
        if a - reach > best:
            best, at = a - reach, (reach + a) / 2
        reach = max(reach, b)
    if hi - reach > best:
        best, at = hi - reach, (reach + hi) / 2
    return at if best >= _GAP * size / 2 else None


def _part(page: Page, region: Region, below: int) -> Page:
    """The part of ``page`` in ``region`` (its cells, words, rules and furniture by their middles), its columns
    numbered from 0 and its rows from ``below`` (after the parts before it: records of one sheet are read in the
    order of their page and row), moved to the sheet's left edge (a goal's columns stand alike on every page) and,
    in a lower row of pages, to its top (a page's header and footer stand alike on every page), as wide and high
    as its region."""
    lo, top, hi, bottom = region

    def inside(x0: float, y0: float, x1: float, y1: float) -> bool:
        return lo <= (x0 + x1) / 2 < hi and top <= (y0 + y1) / 2 < bottom

    dx = 0.0 if lo == float("-inf") else lo
    dy = 0.0 if top == float("-inf") else top
    cells = [c for c in page.cells if c.bbox is not None and inside(c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom)]
    return replace(page, cells=tuple(_moved(c, dx, dy) for c in _renumbered(cells, below)),
                   words=tuple(replace(w, bbox=_shifted(w.bbox, dx, dy)) for w in page.words
                               if inside(w.bbox.x0, w.bbox.top, w.bbox.x1, w.bbox.bottom)),
                   rules=tuple(r._replace(x0=r.x0 - dx, x1=r.x1 - dx, top=r.top - dy, bottom=r.bottom - dy)
                               for r in page.rules if inside(r.x0, r.top, r.x1, r.bottom)),
                   furniture=tuple(_moved(c, dx, dy) for c in page.furniture
                                   if c.bbox is not None and inside(c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom)),
                   width=(hi if hi != float("inf") else page.width or 0.0) - dx,
                   height=(bottom if bottom != float("inf") else page.height or 0.0) - dy)


def _shifted(box: BBox, dx: float, dy: float) -> BBox:
    return BBox(box.x0 - dx, box.top - dy, box.x1 - dx, box.bottom - dy)


def _moved(cell: Cell, dx: float, dy: float = 0.0) -> Cell:
    return replace(cell, bbox=_shifted(cell.bbox, dx, dy)) if cell.bbox is not None and (dx or dy) else cell


def _renumbered(cells: list[Cell], below: int) -> list[Cell]:
    """``cells`` with their rows numbered from ``below`` and their columns from 0 again, in order, keeping spans."""
    rows = {r: below + i for i, r in enumerate(sorted({r for c in cells for r in range(c.row, c.row_end)}))}
    cols = {k: i for i, k in enumerate(sorted({k for c in cells for k in range(c.col, c.col_end)}))}
    return [replace(c, row=rows[c.row], row_span=rows[c.row_end - 1] - rows[c.row] + 1,
                    col=cols[c.col], col_span=cols[c.col_end - 1] - cols[c.col] + 1) for c in cells]
