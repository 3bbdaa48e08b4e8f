"""A sheet too wide for its paper, printed across pages: each page put back to the right of the page it continues.

Excel prints a sheet wider than its paper (at 100 %) on further pages: the columns that do not fit go onto a page
across, in its page order, down then over (its default: every page of the first columns, then those of the next)
or over then down. A box that runs over the break (a merged cell, a text across the sheet) is cut at the paper's
edge: it stands open there, and its lines go on on the page across, at the same heights.

A reader of the paper lays the pages side by side again. A page whose table stands open at its right edge (a ruled
row, closed by a line further left, with no line closing it at the table's right) and a later page whose table
stands open at its left edge, its row lines at the heights of the first page's (the rows of one sheet), are one
sheet: the later page's table goes on at the right of the first's, and a line cut at the break is one line again.
The sheet is read as one page, the number of the page its rows begin on (a record cites the page its row begins
on: records are read in the order of their page and row, and a page across holds the same rows); the later page
keeps what it prints outside its table (its header and footer) as a page of its own, so the pages are counted.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import regex

from plansheet.core.model import Rule
from plansheet.readers.pdf.grid import Glyph, PageContent

# points: a row's line ends on its column line (snapped rules meet exactly); an underline begins a cell's padding
# (0.8 pt at least) inside it
_ON_LINE = 0.75


@dataclass(frozen=True)
class CutTable:
    """A page's table seen from its edges: its left and right edges, the heights of the row lines that reach each,
    the stretches (top, bottom) the lines down its left edge close, and the ruled rows open at its right edge."""

    left: float
    right: float
    left_heights: tuple[float, ...]
    right_heights: tuple[float, ...]
    left_closed: tuple[tuple[float, float], ...]
    open_right: tuple[tuple[float, float], ...]

    @property
    def cut_right(self) -> bool:
        """Whether the table's first or last row stands open at its right edge: a goal sheet's first row (部) and its
        last (今後検討すべきこと) run the sheet's whole width, so a page that leaves either open is cut at the break."""
        h = self.right_heights
        return len(h) > 1 and any(row in self.open_right for row in ((h[0], h[1]), (h[-2], h[-1])))


def cut_table(rules: Sequence[Rule], tolerance: float) -> CutTable | None:
    """The edges of the table of a page with the (merged) ``rules``, None where it has no row line."""
    across = [r for r in rules if r.is_horizontal]
    if not across:
        return None
    left, right = min(r.x0 for r in across), max(r.x1 for r in across)
    down = [r for r in rules if not r.is_horizontal]
    at: dict[int, list[Rule]] = {}  # the lines down the page by where they stand (to the point)
    for r in down:
        at.setdefault(round(r.x0), []).append(r)

    def meets(x: float, y: float) -> bool:  # a line down the page at x passes y (a row line ends on a column line)
        return any(abs(v.x0 - x) <= _ON_LINE and v.top - tolerance <= y <= v.bottom + tolerance
                   for k in (round(x) - 1, round(x), round(x) + 1) for v in at.get(k, ()))

    # a row's line runs from column line to column line (or the table's other edge): a stroke through a struck
    # text, or under an underlined one, ends inside its box
    right_heights = _heights(r.top for r in across if r.x1 >= right - tolerance
                             and (r.x0 <= left + _ON_LINE or meets(r.x0, r.top)))
    left_heights = _heights(r.top for r in across if r.x0 <= left + tolerance
                            and (r.x1 >= right - _ON_LINE or meets(r.x1, r.top)))
    return CutTable(left, right, left_heights, right_heights,
                    tuple((r.top, r.bottom) for r in down if abs(r.x0 - left) <= tolerance),
                    _open_rows(right_heights, down, right, tolerance))


def _heights(tops: Iterable[float]) -> tuple[float, ...]:
    return tuple(sorted(set(round(t, 1) for t in tops)))


def _open_rows(heights: tuple[float, ...], down: list[Rule], edge: float,
               tolerance: float) -> tuple[tuple[float, float], ...]:
    """The rows between two of ``heights`` that are ruled (a line down the page crosses the row's middle left of
    ``edge``) yet have no line closing them at ``edge``: a box cut at the paper's edge, or a row with no box
    right of its last (全体の達成度's, in a sheet that fits its paper)."""
    rows = []
    for top, bottom in zip(heights, heights[1:]):
        middle = (top + bottom) / 2
        crossing = [r.x0 for r in down if r.top <= middle <= r.bottom]
        if crossing and max(crossing) < edge - tolerance:
            rows.append((top, bottom))
    return tuple(rows)


def continues(first: CutTable, later: CutTable, tolerance: float) -> bool:
    """Whether ``later``'s table is the part right of ``first``'s: the same top and bottom row lines, the row lines at
    one edge all at heights of the other's (a box that stands whole on one page, such as an empty initiative block,
    has fewer lines than the rows beside it), and every row open at ``first``'s right edge open at ``later``'s left
    edge too, its lines reaching it (a box cut at the break). A sheet that fits its paper closes every row at its
    left edge, where its labels stand."""
    if not first.cut_right:
        return False
    a, b = first.right_heights, later.left_heights
    if not a or not b or abs(a[0] - b[0]) > tolerance or abs(a[-1] - b[-1]) > tolerance:
        return False
    fewer, more = (a, b) if len(a) <= len(b) else (b, a)
    if not all(any(abs(y - z) <= tolerance for z in more) for y in fewer):
        return False

    def at_left(y: float) -> bool:
        return any(abs(y - z) <= tolerance for z in b)

    return all(at_left(top) and at_left(bottom)
               and not any(lo <= (top + bottom) / 2 <= hi for lo, hi in later.left_closed)
               for top, bottom in first.open_right)


# the labels a goal sheet begins with, on its first row or its goal's heading row (the grammar's DEPARTMENT and
# GOAL_HEADING labels: readers do not import the grammar)
_SHEET_BEGINS = regex.compile(r"(?:部|部名|部局|部局名|所属部|所属部局|【?(?:重点目標|重点課題).*)")


def begins_sheet(later: PageContent, later_table: CutTable, tolerance: float) -> bool:
    """Whether ``later``'s table begins as a goal sheet does: the first line of text in its first column (left of the
    first line down it) is the 部 label, or a goal's heading (重点目標 N where a sheet has no 部 row). Such a page is a
    sheet of its own (the next goal's, ruled alike), never a page across: a sheet's first rows run its whole width, so
    its page across holds their rest (a label column printed again at its left, 列の印刷タイトル, is taken off by
    :func:`without_titles` before the pages are joined)."""
    inside = [r for r in later.rules if later_table.left - tolerance <= min(r.x0, r.x1) <= later_table.right + tolerance]
    if not inside:
        return False
    top = min(r.top for r in inside) - _ON_LINE  # a running header just above the table is none of it
    edge = min((r.x0 for r in inside if not r.is_horizontal and r.x0 > later_table.left + tolerance),
               default=later_table.right)
    glyphs = [g for g in later.glyphs if later_table.left - tolerance <= (g.x0 + g.x1) / 2 < edge
              and g.top >= top and (g.top + g.bottom) / 2 <= later_table.left_heights[-1]]
    if not glyphs:
        return False
    line = min(g.top for g in glyphs)
    text = "".join(g.text for g in sorted(glyphs, key=lambda g: g.x0) if g.top - line <= (g.bottom - g.top) / 2)
    return _SHEET_BEGINS.fullmatch(unicodedata.normalize("NFKC", "".join(text.split()))) is not None


def joined(first: PageContent, later: PageContent, first_table: CutTable, later_table: CutTable,
           margin: float) -> tuple[PageContent, PageContent]:
    """``first`` with ``later``'s table (its glyphs and lines outside the paper's top and bottom ``margin`` bands,
    or among its rows: its first and last row lines with them, at heights rounded to 0.1 pt) moved to the right of
    ``first``'s table; and what ``later`` prints besides (its header and footer), as its own page."""
    shift = first_table.right - later_table.left
    top, bottom = later_table.left_heights[0] - _ON_LINE, later_table.left_heights[-1] + _ON_LINE
    band = margin * later.height

    def moved(y0: float, y1: float) -> bool:
        middle = (y0 + y1) / 2
        return top <= middle <= bottom or band < middle < later.height - band

    glyphs = [Glyph(g.text, g.x0 + shift, g.top, g.x1 + shift, g.bottom, g.size) for g in later.glyphs
              if moved(g.top, g.bottom)]
    rules = [Rule(r.x0 + shift, r.top, r.x1 + shift, r.bottom) for r in later.rules if moved(r.top, r.bottom)]
    sheet = replace(first, glyphs=first.glyphs + glyphs, rules=first.rules + rules)
    rest = replace(later, glyphs=[g for g in later.glyphs if not moved(g.top, g.bottom)],
                   rules=[r for r in later.rules if not moved(r.top, r.bottom)])
    return sheet, rest


def without_titles(first: PageContent, later: PageContent, first_table: CutTable, later_table: CutTable,
                   tolerance: float) -> PageContent | None:
    """``later`` without the column it prints again at its left of ``first``'s (Excel's 列の印刷タイトル: the label
    column repeated at the left of each page across), or None where it repeats none: the first column of both
    tables is as wide, and holds the same glyphs at the same heights. Its glyphs and lines among the table's rows
    go (a row line is cut at the column's right; the lines down that edge were the repeated boxes' sides)."""
    def first_column(content: PageContent, left: float) -> float | None:
        xs = sorted({round(r.x0, 1) for r in content.rules if r.x1 - r.x0 <= tolerance and r.x0 > left + tolerance})
        return xs[0] if xs else None

    a, b = first_column(first, first_table.left), first_column(later, later_table.left)
    if a is None or b is None or abs((a - first_table.left) - (b - later_table.left)) > tolerance:
        return None
    top, bottom = later_table.left_heights[0] - tolerance, later_table.left_heights[-1] + tolerance

    def texts(content: PageContent, left: float, edge: float) -> list[tuple[int, str]]:
        return sorted((round(g.top), g.text) for g in content.glyphs
                      if left <= (g.x0 + g.x1) / 2 < edge and top <= (g.top + g.bottom) / 2 <= bottom)

    repeated = texts(later, later_table.left, b)
    if not repeated or repeated != texts(first, first_table.left, a):
        return None

    def among_rows(y0: float, y1: float) -> bool:
        return top <= (y0 + y1) / 2 <= bottom

    glyphs = [g for g in later.glyphs if not among_rows(g.top, g.bottom) or (g.x0 + g.x1) / 2 >= b]
    rules = []
    for r in later.rules:
        if not among_rows(r.top, r.bottom) or r.x0 >= b + tolerance:
            rules.append(r)
        elif r.x1 - r.x0 > tolerance and r.x1 > b + tolerance:  # a row line: from the column's right on
            rules.append(Rule(b, r.top, r.x1, r.bottom))
    return replace(later, glyphs=glyphs, rules=rules)
