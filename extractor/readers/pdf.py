"""Read a PDF's text layer into pages of cells (pdfplumber).

Per page: the ruling lines (lines, rectangle edges and straight curve segments) are
snapped and joined into rules; the rules' closed rectangles are the cells, placed on the
grid of their distinct x and y coordinates (a merged cell spans several). Each character
goes to the cell its centre falls in; a cell's characters are clustered into text lines by
position (never content-stream order) and the lines joined with
:func:`~plansheet.parsers.normalize.join_lines`. Text outside every ruled cell (titles,
section labels, headers and footers) becomes cells of its own, one per text line and
column, numbered on the same rows as the grid. A page with fewer ruled cells than
``PdfSettings.min_cells_for_grid`` is read from text positions alone.

A page whose text layer is garbage is returned with ``problem`` set and no cells; the
pipeline decides whether to OCR it. pdfminer's exceptions become :class:`PlansheetError`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterable

import pdfplumber
from pdfplumber import utils
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from plansheet.errors import EncryptedPdfError, PlansheetError, TriageError
from plansheet.model import Cell, ExtractionMethod, Page, Rule, SourceFormat, SourcePages, Word
from plansheet.parsers.normalize import join_lines, repair_radicals
from plansheet.readers.pdf_grid import (
    Glyph,
    assign_glyphs,
    cluster_lines,
    column_of,
    envelope,
    line_text,
    merge_row_axes,
    merge_rules,
    place_boxes,
    rules_to_boxes,
    split_at_gaps,
)
from plansheet.settings import PdfSettings, Settings
from plansheet.text_quality import assess_page

log = logging.getLogger(__name__)

_MAX_RULE_SKEW = 1.0  # a line whose ends differ more than this in both x and y is diagonal


def read_pdf(path: Path, settings: Settings) -> SourcePages:
    """Read every page of the PDF at ``path`` from its text layer."""
    pages: list[Page] = []
    with _open(path, settings) as pdf:
        plumber_pages = _pages(pdf, path)
        if len(plumber_pages) > settings.max_pages:
            raise TriageError(
                f"{path.name}: {len(plumber_pages)} pages, more than max_pages={settings.max_pages}; "
                "raise the limit if the file is genuine"
            )
        for plumber_page in plumber_pages:
            try:
                pages.append(read_page(plumber_page, settings))
            except PdfminerException as exc:
                cause = exc.args[0] if exc.args else exc
                log.debug("pdfminer failed on %s page %d", path, plumber_page.page_number, exc_info=True)
                raise PlansheetError(
                    f"{path.name}: page {plumber_page.page_number} cannot be read "
                    f"({type(cause).__name__}: {cause}); the PDF is damaged, re-export or print it again"
                ) from exc
            finally:
                plumber_page.close()  # drop the parsed objects: memory stays flat on long files
    return SourcePages(format=SourceFormat.PDF, pages=pages)


def _open(path: Path, settings: Settings) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path, password=settings.password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            hint = "the password given is wrong" if settings.password else "give its password with --password"
            raise EncryptedPdfError(f"{path.name}: the PDF is encrypted; {hint}") from exc
        raise TriageError(
            f"{path.name}: not a readable PDF ({type(cause).__name__}: {cause}); check the file is complete"
        ) from exc
    except OSError as exc:
        raise TriageError(f"{path.name}: cannot open the file ({exc})") from exc


def _pages(pdf: pdfplumber.PDF, path: Path) -> list[Any]:
    try:
        return pdf.pages
    except PdfminerException as exc:
        raise TriageError(f"{path.name}: the page tree is damaged ({exc.args[0] if exc.args else exc})") from exc


def read_page(page: Any, settings: Settings) -> Page:
    """Read one pdfplumber page into a :class:`Page` (its caller closes the page)."""
    opts = settings.pdf
    number = int(page.page_number)
    width, height = float(page.width), float(page.height)
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    chars = page.chars
    verdict = assess_page(
        (c["text"] for c in chars),
        has_images=bool(page.images) if not chars else False,
        max_bad_share=opts.max_bad_glyph_share,
    )
    rules = merge_rules(_rules(page, x_off, y_off), opts.snap_tolerance, opts.min_rule_length)
    if not verdict.usable:
        log.info("page %d needs OCR: %s", number, verdict.reason)
        return Page(
            number=number, cells=(), method=ExtractionMethod.TEXT_LAYER, width=width, height=height,
            rules=tuple(rules), problem=f"page {number} needs OCR: {verdict.reason}",
        )
    glyphs = [_glyph(c, x_off, y_off) for c in chars]
    cells, words = build_cells(glyphs, rules, number, opts)
    return Page(
        number=number, cells=tuple(cells), method=ExtractionMethod.TEXT_LAYER, width=width,
        height=height, words=tuple(words), rules=tuple(rules),
    )


def _glyph(char: dict[str, Any], x_off: float, y_off: float) -> Glyph:
    return Glyph(
        text=repair_radicals(char["text"]),
        x0=float(char["x0"]) - x_off,
        top=float(char["top"]) - y_off,
        x1=float(char["x1"]) - x_off,
        bottom=float(char["bottom"]) - y_off,
        size=float(char.get("size") or (char["bottom"] - char["top"])),
    )


def _rules(page: Any, x_off: float, y_off: float) -> Iterable[Rule]:
    """Straight strokes of the page: lines, rectangle sides, axis-parallel curve segments."""
    boxes = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines]
    boxes += [(e["x0"], e["top"], e["x1"], e["bottom"]) for r in page.rects for e in utils.rect_to_edges(r)]
    boxes += [
        (e["x0"], e["top"], e["x1"], e["bottom"])
        for c in page.curves for e in utils.curve_to_edges(c) if e["orientation"] in ("h", "v")
    ]
    for x0, top, x1, bottom in boxes:
        if min(x1 - x0, bottom - top) <= _MAX_RULE_SKEW:  # diagonal strokes are not rulings
            yield Rule(float(x0) - x_off, float(top) - y_off, float(x1) - x_off, float(bottom) - y_off)


def build_cells(
    glyphs: list[Glyph], rules: list[Rule], number: int, opts: PdfSettings
) -> tuple[list[Cell], list[Word]]:
    """Cells of one page from its glyphs and merged rules, in reading order, and its words."""
    boxes = rules_to_boxes(rules, opts.snap_tolerance)
    if len(boxes) < opts.min_cells_for_grid:
        boxes = []
    placed, xs, ys = place_boxes(boxes, opts.snap_tolerance)
    inside, outside = assign_glyphs(glyphs, placed, xs, ys)
    words: list[Word] = []
    segments, free_lines = _free_segments(outside, opts)
    occupied = {r for b in placed for r in range(b.row, b.row + b.row_span)}
    grid_row, free_row = merge_row_axes(ys, occupied, free_lines)

    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for box, box_glyphs in zip(placed, inside, strict=True):
        lines = cluster_lines(box_glyphs, opts.line_tolerance)
        texts = [line_text(line, opts.space_gap_em) for line in lines]
        words.extend(_words(lines, opts))
        row = grid_row[box.row]
        row_span = grid_row[box.row + box.row_span - 1] - row + 1
        cells.append(Cell(join_lines(texts) or "", row, box.col, number, row_span, box.col_span, box.bbox))
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
        words.extend(_words([part], opts))
        text = join_lines([line_text(part, opts.space_gap_em)]) or ""
        cells.append(Cell(text, row, col, number, bbox=envelope(part)))

    cells.sort(key=lambda c: (c.row, c.col))
    return cells, words


def _free_segments(
    glyphs: list[Glyph], opts: PdfSettings
) -> tuple[list[tuple[int, list[Glyph]]], list[tuple[float, float]]]:
    """Text outside the ruled cells: one segment per text line and column gap.

    Returns the segments as (index of their text line, glyphs) and each line's (top, bottom).
    """
    segments: list[tuple[int, list[Glyph]]] = []
    free_lines: list[tuple[float, float]] = []
    for line in cluster_lines(glyphs, opts.line_tolerance):
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
