"""Read a PDF's text layer into pages of cells.

A backend reads each page's glyphs, straight strokes and image flag
(:class:`~plansheet.readers.pdf.grid.PageContent`): PDFium (``pdf_pdfium``, the default)
or pdfplumber (``pdf_pdfplumber``, the reference the tests compare it with), chosen by
``PdfSettings.backend``. Everything after that is one code path:

The ruling lines are snapped and joined into rules; the rules' closed rectangles are the
cells, placed on the grid of their distinct x and y coordinates (a merged cell spans
several). Each character goes to the cell its centre falls in; a cell's characters are
clustered into text lines by position (never content-stream order) and the lines joined
with :func:`~plansheet.core.text.join_lines`. Text outside every ruled cell
(titles, section labels, headers and footers) becomes cells of its own, one per text line
and column, numbered on the same rows as the grid. A page with fewer ruled cells than
``PdfSettings.min_cells_for_grid`` is read from text positions alone.

A page whose text layer is garbage is returned with ``problem`` set and no cells; the
pipeline decides whether to OCR it. The backends turn their library's exceptions into
:class:`PlansheetError`.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from plansheet.core.model import Cell, ExtractionMethod, Page, Rule, SourceFormat, SourcePages, Word
from plansheet.core.text import join_lines, repair_radicals, several_lines
from plansheet.readers.pdf.grid import (
    PAST_PAPER,
    Glyph,
    PageContent,
    assign_glyphs,
    carry_clipped,
    carry_overflow,
    cell_text,
    cluster_lines,
    column_of,
    drop_underlines,
    envelope,
    inner_strokes,
    line_text,
    merge_row_axes,
    merge_rules,
    place_boxes,
    rules_to_boxes,
    split_at_gaps,
    struck_through,
    without_ruby,
)
from plansheet.settings import PdfBackend, PdfSettings, Settings
from plansheet.readers.pdf.across import CutTable, begins_sheet, continues, cut_table, joined, without_titles
from plansheet.readers.pdf.n_up import Region, regions
from plansheet.readers.pdf.quality import assess_page

log = logging.getLogger(__name__)


class PdfDocument(Protocol):
    """An open PDF of one backend: a context manager that reads one page at a time."""

    def __enter__(self) -> "PdfDocument": ...
    def __exit__(self, *exc: object) -> None: ...
    @property
    def page_count(self) -> int: ...
    def read(self, index: int) -> PageContent: ...


def open_pdf(path: Path, settings: Settings) -> PdfDocument:
    """Open ``path`` with the backend ``settings.pdf.backend`` names."""
    if settings.pdf.backend is PdfBackend.PDFPLUMBER:
        from plansheet.readers.pdf.pdfplumber import PdfplumberDocument

        return PdfplumberDocument(path, settings.password)
    from plansheet.readers.pdf.pdfium import PdfiumDocument

    return PdfiumDocument(path, settings.password)


def read_pdf(path: Path, settings: Settings, *, words: bool = False) -> SourcePages:
    """Read every page of the PDF at ``path`` from its text layer.

    ``words=True`` also keeps each page's word boxes (``Page.words``), which only the
    visual debugger draws; the cells are the same either way.
    """
    pages: list[Page] = []
    # pages whose table stands open at the right edge (a sheet too wide for its paper), kept until the page across
    # that continues it: (index in pages, what was read on it, its table's edges)
    waiting: list[tuple[int, PageContent, CutTable]] = []
    with open_pdf(path, settings) as pdf:  # triage has checked the page count against settings.max_pages
        for index in range(pdf.page_count):
            content = pdf.read(index)
            page = read_page(content, settings, words=words)  # nothing of the page is kept but its cells
            table = cut_table(page.rules, settings.pdf.snap_tolerance) if page.rules else None
            if table is not None and (waiting or table.cut_right):
                page = _put_across(pages, waiting, turned(content), table, page, settings, words)
            pages.append(page)
    return SourcePages(format=SourceFormat.PDF, pages=pages)


def read_pdf_pages(path: Path, settings: Settings, only: range) -> list[Page] | None:
    """Pages ``only`` (0-based indexes) of the PDF, read as :func:`read_pdf` reads them when no page of
    the file stands open at its right edge; None when one of these does (a sheet printed across pages:
    :func:`read_pdf` reads it with the page across, so the file must be read whole)."""
    pages: list[Page] = []
    with open_pdf(path, settings) as pdf:
        every = range(pdf.page_count)
        for index in every[only.start:only.stop]:
            page = read_page(pdf.read(index), settings)
            table = cut_table(page.rules, settings.pdf.snap_tolerance) if page.rules else None
            if table is not None and table.cut_right:
                return None
            pages.append(page)
    return pages


_WAITING = 4  # pages open at the right kept for the page across: a sheet's pages down, printed before it


def _put_across(pages: list[Page], waiting: list[tuple[int, PageContent, CutTable]],
                content: PageContent, table: CutTable, page: Page, settings: Settings, words: bool) -> Page:
    """A page whose table stands open at an edge (``across``): one that continues a waiting page's table is read
    into that page (which is read again, the two as one sheet) and what is left of it returned; one open at its
    right waits for the page across."""
    tolerance = settings.pdf.snap_tolerance
    begins = begins_sheet(content, table, tolerance)
    k = next((k for k, (_, _, first) in enumerate(waiting) if not begins and continues(first, table, tolerance)), None)
    if k is None:  # a page across that prints the sheet's label column again at its left (列の印刷タイトル)
        for n, (_, first_content, first) in enumerate(waiting):
            rest = without_titles(first_content, content, first, table, tolerance)
            rules = merge_rules(drop_underlines(rest.rules, rest.glyphs), settings.pdf.snap_tolerance,
                                settings.pdf.min_rule_length) if rest is not None else []
            stripped = cut_table(rules, tolerance) if rules else None
            if rest is not None and stripped is not None and continues(first, stripped, tolerance):
                k, content, table = n, rest, stripped
                break
    if k is None:
        if table.cut_right:  # kept a while: the page across comes after the sheet's pages down (Excel's default)
            waiting.append((len(pages), content, table))
            del waiting[:-_WAITING]
        return page
    at, first_content, first_table = waiting.pop(k)
    sheet, rest = joined(first_content, content, first_table, table, settings.pdf.furniture_margin)
    log.info("page %d: its table goes on from page %d's right edge (a sheet printed across pages): read as one",
             content.number, first_content.number)
    # one sheet, its lines run on past the first page's right edge onto the page across: the paper cuts nothing
    whole = replace(read_page(sheet, settings, words=words), cut_at=None, cut=())
    pages[at] = whole  # one sheet: its rows read across both pages, each on the page it begins on (the left)
    after = cut_table(whole.rules, tolerance)
    if after is not None and after.cut_right:  # three pages across: the next goes on at the right of both
        waiting.insert(k, (at, sheet, after))
    return replace(read_page(rest, settings, words=words), read_with=pages[at].number)


_N_UP_SCALE = 0.5  # the size of a page printed two or four to a sheet, at most, against its own


def _side_by_side(glyphs: list[Glyph], strokes: list[Rule], number: int, opts: PdfSettings, words: bool,
                  at: list[Region]) -> tuple[list[Cell], list[Word]]:
    """The cells of a sheet of pages printed several to a sheet, in the ``at`` regions (reading order): each part's
    built from its own glyphs and lines, the parts' rows numbered one part after another (``n_up.split_n_up``
    cuts them apart again). Each part's strokes (``strokes``: the page's, before merging) are merged among
    themselves: a line of one printed page is never snapped to a line of the page beside it (a strike through a
    wording, moved to the height of the next page's row line, no longer ran through its text: fuzz 59008-0013)."""
    cells: list[Cell] = []
    boxes: list[Word] = []
    for lo, top, hi, bottom in at:
        def inside(x0: float, y0: float, x1: float, y1: float) -> bool:
            return lo <= (x0 + x1) / 2 < hi and top <= (y0 + y1) / 2 < bottom

        rules = merge_rules([r for r in strokes if inside(r.x0, r.top, r.x1, r.bottom)], opts.snap_tolerance,
                            opts.min_rule_length)
        part, part_boxes = build_cells([g for g in glyphs if inside(g.x0, g.top, g.x1, g.bottom)], rules, number,
                                       opts, words=words)
        below = max((c.row_end for c in cells), default=0)
        cells += [replace(c, row=c.row + below) for c in part]
        boxes += part_boxes
    return cells, boxes


def turned(content: PageContent) -> PageContent:
    """The page turned ``content.turn`` degrees clockwise, so its text reads upright (glyphs and rules)."""
    turn, w, h = content.turn % 360, content.width, content.height
    if turn == 0:
        return content

    def point(x: float, y: float) -> tuple[float, float]:
        if turn == 90:
            return h - y, x
        if turn == 180:
            return w - x, h - y
        return y, w - x

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = point(x0, top), point(x1, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    glyphs = [Glyph(g.text, *box(g.x0, g.top, g.x1, g.bottom), g.size) for g in content.glyphs]
    rules = [Rule(*box(r.x0, r.top, r.x1, r.bottom)) for r in content.rules]
    width, height = (h, w) if turn in (90, 270) else (w, h)
    return PageContent(content.number, width, height, glyphs, rules, content.has_images,
                       hidden_layer=content.hidden_layer)


def read_page(content: PageContent, settings: Settings, *, words: bool = False) -> Page:
    """Build one :class:`Page` from what a backend read on it (with its word boxes if ``words``).

    A page whose text runs sideways or upside down (``content.turn``) is turned first.
    """
    if content.turn:
        log.info("page %d: text drawn turned; the page is turned %d° clockwise before reading",
                 content.number, content.turn)
        content = turned(content)
    opts = settings.pdf
    number = content.number
    texts = [g.text for g in content.glyphs]
    verdict = assess_page(texts, has_images=content.has_images, max_bad_share=opts.max_bad_glyph_share,
                          hidden_layer=content.hidden_layer)
    rules = merge_rules(drop_underlines(content.rules, content.glyphs), opts.snap_tolerance, opts.min_rule_length)
    if not verdict.usable:
        log.info("page %d needs OCR: %s", number, verdict.reason)
        return Page(
            number=number, cells=(), method=ExtractionMethod.TEXT_LAYER, width=content.width,
            height=content.height, rules=tuple(rules), problem=f"page {number} needs OCR: {verdict.reason}",
        )
    glyphs = content.glyphs
    joined = "".join(texts)
    if repair_radicals(joined) != joined:  # one regex pass per page; most pages have no radicals
        glyphs = [_repaired(g) for g in _marks_joined(glyphs)]
    at = regions(rules, [(g.x0, g.top, g.x1, g.bottom) for g in glyphs], content.width, content.height)
    if at:  # pages printed side by side on one sheet, each smaller: each part's cells from its own lines, one part
        # under another, its strokes and lines judged at the part's scale (a half-size row's sides are half as long)
        opts = replace(opts, snap_tolerance=opts.snap_tolerance * _N_UP_SCALE, line_tolerance=opts.line_tolerance
                       * _N_UP_SCALE, min_rule_length=opts.min_rule_length * _N_UP_SCALE)
        strokes = drop_underlines(content.rules, content.glyphs)
        rules = merge_rules(strokes, opts.snap_tolerance, opts.min_rule_length)
        cells, word_boxes = _side_by_side(glyphs, strokes, number, opts, words, at)
    else:
        cells, word_boxes = build_cells(glyphs, rules, number, opts, words=words)
    cut_at = _cut_at(content)
    return Page(
        number=number, cells=tuple(cells), method=ExtractionMethod.TEXT_LAYER, width=content.width,
        height=content.height, words=tuple(word_boxes), rules=tuple(rules), cut_at=cut_at,
        cut=_cut_cells(cells, glyphs, rules, cut_at) if cut_at is not None else (),
    )


def _cut_at(content: PageContent) -> float | None:
    """Where the paper cuts the sheet of a page whose lines across run on past its right edge: the page shows
    nothing right of that edge, or of the clip left of it its content is drawn through (``shown_right``); None
    where every line ends on the page. A sheet printed across pages (Excel) ends its lines at the edge, and its
    page across goes on with them; a browser printing a table wider than its paper draws it whole and lets the
    page cut it."""
    edge = content.width + PAST_PAPER
    if not any(r.is_horizontal and r.x1 > edge for r in content.rules):
        return None
    return content.shown_right if content.shown_right is not None else content.width


_TO_THE_CUT = 1.5  # font sizes: a line whose last glyph ends this near the paper's edge runs up to it


def _cut_cells(cells: list[Cell], glyphs: list[Glyph], rules: list[Rule], cut_at: float) -> tuple[Cell, ...]:
    """The cells whose text runs up to the paper's edge at ``cut_at`` with no line down the page closing them left
    of it: a line of theirs goes on off the page (a box whose text ends short of the edge, or whose right side is
    ruled on the page, is whole)."""
    down = [r for r in rules if not r.is_horizontal and r.x0 <= cut_at + PAST_PAPER]
    near = cut_at - _TO_THE_CUT * max((g.size for g in glyphs), default=0.0)  # a box ending left of it is whole
    out = []
    for cell in cells:
        box = cell.bbox
        if box is None or box.x1 < near or not cell.text.strip():
            continue
        inside = [g for g in glyphs if g.text.strip() and box.x0 <= (g.x0 + g.x1) / 2 <= box.x1
                  and box.top <= (g.top + g.bottom) / 2 <= box.bottom]
        last = max(inside, key=lambda g: g.x1, default=None)
        if last is None or last.x1 < cut_at - _TO_THE_CUT * last.size:
            continue
        middle = (box.top + box.bottom) / 2
        if not any(r.x0 >= last.x1 - PAST_PAPER and r.top <= middle <= r.bottom for r in down):
            out.append(cell)
    return tuple(out)


def _marks_joined(glyphs: list[Glyph]) -> list[Glyph]:
    """A combining mark (``゙`` U+3099 over ``か``) is part of the character it is drawn over, not a
    glyph of its own: it joins that glyph's text and the glyph keeps its box (a box of its own would
    stand between lines or columns). The character is the one whose box the mark's overlaps most,
    usually the one drawn just before it; a producer may draw the marks apart, in another order."""
    out: list[Glyph] = []
    marks: list[tuple[int, Glyph]] = []  # (index in out of the glyph drawn before it, the mark)
    for g in glyphs:
        if g.text and unicodedata.combining(g.text[0]):
            marks.append((len(out) - 1, g))
        else:
            out.append(g)
    for before, mark in marks:
        k = before if before >= 0 and _overlap(out[before], mark) > 0 else \
            max(range(len(out)), key=lambda n: _overlap(out[n], mark), default=-1)
        if k < 0:
            continue
        base = out[k]
        out[k] = Glyph(base.text + mark.text, base.x0, base.top, base.x1, base.bottom, base.size)
    return out


def _overlap(a: Glyph, b: Glyph) -> float:
    """The area two glyph boxes share (0 when apart)."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top))


def _repaired(glyph: Glyph) -> Glyph:
    text = repair_radicals(glyph.text)
    if text == glyph.text:
        return glyph
    return Glyph(text, glyph.x0, glyph.top, glyph.x1, glyph.bottom, glyph.size)


def build_cells(
    glyphs: list[Glyph], rules: list[Rule], number: int, opts: PdfSettings, *, words: bool = False
) -> tuple[list[Cell], list[Word]]:
    """Cells of one page from its glyphs and merged rules, in reading order, and its words if ``words``."""
    boxes = rules_to_boxes(rules, opts.snap_tolerance)
    if len(boxes) < opts.min_cells_for_grid:
        boxes = []
    inner = inner_strokes(rules, boxes, opts.snap_tolerance)
    if inner:  # strokes inside cells: an old wording struck through is deleted
        glyphs = struck_through(inner, glyphs)[1]
    placed, xs, ys = place_boxes(boxes, opts.snap_tolerance)
    inside, outside = assign_glyphs(glyphs, placed, xs, ys)
    clipped = carry_clipped(placed, inside, outside)
    carry_overflow(placed, inside)
    word_boxes: list[Word] = []
    segments, free_lines = _free_segments(outside, opts)
    occupied = {r for b in placed for r in range(b.row, b.row + b.row_span)}
    grid_row, free_row = merge_row_axes(ys, occupied, free_lines)

    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for k, (box, box_glyphs) in enumerate(zip(placed, inside, strict=True)):
        text = ""
        cell_lines: tuple[str, ...] = ()
        wrapped: tuple[bool, ...] = ()
        if box_glyphs:
            lines, texts = cell_text(box_glyphs, opts.line_tolerance, opts.space_gap_em)
            text, cell_lines = join_lines(texts) or "", several_lines(texts)
            if cell_lines and len(cell_lines) == len(lines):
                wrapped = tuple(_fills(line, box.bbox.x1) for line in lines[:-1])
            if words:
                word_boxes.extend(_words(lines, opts))
        row = grid_row[box.row]
        row_span = grid_row[box.row + box.row_span - 1] - row + 1
        cells.append(Cell(text, row, box.col, number, row_span, box.col_span, box.bbox, lines=cell_lines,
                          wrapped=wrapped, clipped=k in clipped))
        if row_span == 1 and box.col_span == 1:
            taken.add((row, box.col))
        else:
            taken.update((r, c) for r in range(row, row + row_span) for c in range(box.col, box.col + box.col_span))

    ordinal: dict[int, int] = {}
    for line_idx, part in segments:
        row = free_row[line_idx]
        if xs:
            col = column_of(part[0].x0, xs, opts.snap_tolerance)
        else:
            col = ordinal.get(line_idx, 0)
            ordinal[line_idx] = col + 1
        while (row, col) in taken:
            col += 1
        taken.add((row, col))
        if words:
            word_boxes.extend(_words([part], opts))
        text = join_lines([line_text(part, opts.space_gap_em)]) or ""
        cells.append(Cell(text, row, col, number, bbox=envelope(part)))

    cells.sort(key=lambda c: (c.row, c.col))
    return cells, word_boxes


def _fills(line: list[Glyph], right: float) -> bool:
    """A cell's line of glyphs reaches its box's right edge: another glyph of its size would not have fit (its
    break may be a wrap)."""
    width = max(g.x1 - g.x0 for g in line)
    return max(g.x1 for g in line) >= right - 1.5 * width


def _free_segments(
    glyphs: list[Glyph], opts: PdfSettings
) -> tuple[list[tuple[int, list[Glyph]]], list[tuple[float, float]]]:
    """Text outside the ruled cells: one segment per text line and column gap, furigana taken off as in a cell
    (:func:`without_ruby`: small kana right above a line's words, a title's reading over its department).

    Returns the segments as (index of their text line, glyphs) and each line's (top, bottom).
    """
    segments: list[tuple[int, list[Glyph]]] = []
    free_lines: list[tuple[float, float]] = []
    for line in without_ruby(cluster_lines(glyphs, opts.line_tolerance)):
        parts = split_at_gaps(line, opts.column_gap_em)
        if not parts:
            continue
        box = envelope(g for part in parts for g in part)
        free_lines.append((box.top, box.bottom))
        segments.extend((len(free_lines) - 1, part) for part in parts)
    return segments, free_lines


def _words(lines: list[list[Glyph]], opts: PdfSettings) -> list[Word]:
    """Word boxes for the debugger: runs of glyphs without a space-wide gap."""
    out = []
    for line in lines:
        for run in split_at_gaps(line, opts.space_gap_em):
            text = line_text(run, opts.space_gap_em).strip()
            if text:
                out.append(Word(text, envelope(run)))
    return out
