"""The page/cell model: the one shape every reader produces and the grammar consumes.

Every source kind (a PDF text layer, OCR of a scanned page, a tab-separated text export,
an .xlsx workbook) is read into the same structure:

- a :class:`SourcePages` holds the pages of one input file, in order;
- a :class:`Page` holds the cells of one printed page (or one sheet of a workbook, or one
  table block of a text export), plus optional raw geometry (words and ruling lines) kept
  for the visual debugger;
- a :class:`Cell` is one box of the sheet: its text (already joined as SCHEMA says), its
  grid position (``row``/``col`` with ``row_span``/``col_span`` for merged cells), its
  bounding box when the source has geometry (``None`` for text exports), the 1-based page
  it stands on and, for OCR, the engine's confidence (its mean, and its weakest glyph's).

Grid positions are per page and 0-based. For sources with geometry the grid comes from the
ruling lines (or from word positions where a page has none); for text exports a row is a
line and a column is a tab-separated field. Nothing downstream needs to know which reader
produced a page: the grammar only looks at text, grid position and, where present, boxes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class SourceFormat(str, Enum):
    """The kind of input file, as written to ``documents.source_format``."""

    PDF = "pdf"
    TXT = "txt"
    XLSX = "xlsx"


class ExtractionMethod(str, Enum):
    """How a page's text was obtained (``documents.extraction_method``)."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    MIXED = "mixed"
    TEXT_EXPORT = "text_export"
    WORKBOOK = "workbook"


@dataclass(frozen=True, slots=True)
class BBox:
    """A box in page coordinates: points, origin at the top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters on one line, with its box (for debugging and cell-less pages)."""

    text: str
    bbox: BBox


class Rule(NamedTuple):
    """A ruling line (a drawn line or a thin rectangle edge) on a page.

    A named tuple rather than a frozen dataclass: a page's path objects make hundreds of them,
    and a frozen dataclass's ``__init__`` cost twice as much to build (same equality and hash)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def is_horizontal(self) -> bool:
        return abs(self.bottom - self.top) <= abs(self.x1 - self.x0)


@dataclass(frozen=True, slots=True)
class DoubtedGlyph:
    """One glyph of an OCR'd cell the engine scored below :data:`DOUBT_FLOOR`, with up to
    three glyphs either side as read (so the parser can find it in the cell's text)."""

    text: str
    confidence: float
    before: str = ""
    after: str = ""


DOUBT_FLOOR = 0.99  # glyphs scored below it are kept on their cell (Cell.doubted_glyphs)


@dataclass(frozen=True, slots=True)
class Cell:
    """One box of the sheet and its text.

    ``row``/``col`` are 0-based grid positions on the page; a merged cell covers
    ``row_span`` rows and ``col_span`` columns. ``bbox`` is ``None`` when the source has no
    geometry (text exports). ``confidence`` is the OCR engine's mean confidence in 0..1,
    ``None`` for text that came from a text layer, an export or a workbook.
    ``weakest_glyph`` is the lowest confidence the engine gave any one glyph of the cell
    (``None`` where ``confidence`` is): a mean of 0.99 can hide one misread kanji at 0.85.
    ``doubted_glyphs`` are its glyphs scored below :data:`DOUBT_FLOOR`, in reading order.
    ``lines`` are the cell's lines as the source breaks them (a typed break, or a PDF's wrap), where it
    holds two or more; ``text`` is them joined (:func:`~plansheet.core.text.join_lines`). The grammar
    reads a few cells by line (a 所管室・課 cell lists one section a line). ``wrapped`` says, for each break
    between ``lines``, whether the line before it fills the cell's width (a PDF wraps there; a break a source
    only ever types is never one): ``()`` where no break can be a wrap. ``clipped``: the cell's one line runs to its
    box's right line beside a box with text, as a spreadsheet prints a text cut there (the rest is not on the page).
    """

    text: str
    row: int
    col: int
    page: int
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    confidence: float | None = None
    weakest_glyph: float | None = None
    doubted_glyphs: tuple[DoubtedGlyph, ...] = ()
    lines: tuple[str, ...] = ()
    wrapped: tuple[bool, ...] = ()
    clipped: bool = False

    @property
    def col_end(self) -> int:
        """The first column after this cell."""
        return self.col + self.col_span

    @property
    def row_end(self) -> int:
        """The first row after this cell."""
        return self.row + self.row_span


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a source: its cells in reading order, and the raw geometry behind them.

    ``method`` says how the text was obtained; ``problem`` is set when the page could not
    be read properly (for instance a text layer that is garbage and OCR was not allowed).
    ``furniture`` holds the running headers, footers and page numbers removed from ``cells``.
    ``sheet`` is the worksheet a workbook page comes from (None for other sources). ``read_with``
    is the page this page's part of a sheet was read with (a sheet printed across pages: its rows
    are read on the page they begin on), so that an emptied page still counts as the sheet's.
    ``cut_at`` is the x (points from the page's left) where the paper cuts the sheet: its ruled tables run
    on past the page's right edge; None when nothing runs past the page (every PDF that fits its paper, every
    other source). ``cut`` are the cells whose box runs past ``cut_at`` and whose text runs up to it: read only
    as far as the page shows them.
    """

    number: int
    cells: tuple[Cell, ...]
    method: ExtractionMethod
    width: float | None = None
    height: float | None = None
    words: tuple[Word, ...] = ()
    rules: tuple[Rule, ...] = ()
    problem: str | None = None
    furniture: tuple[Cell, ...] = ()  # running headers/footers taken off the page, kept for reference
    sheet: str | None = None
    read_with: int | None = None
    cut_at: float | None = None
    cut: tuple[Cell, ...] = ()


@dataclass(slots=True)
class SourcePages:
    """All pages read from one input file."""

    format: SourceFormat
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader could not read, named: a warning each

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def method(self) -> ExtractionMethod:
        """The document-level extraction method: ``mixed`` when OCR and text layer meet."""
        methods = {p.method for p in self.pages if p.problem is None} or {p.method for p in self.pages}
        if ExtractionMethod.OCR in methods and len(methods) > 1:
            return ExtractionMethod.MIXED
        if len(methods) == 1:
            return next(iter(methods))
        return ExtractionMethod.TEXT_LAYER if self.format is SourceFormat.PDF else next(iter(methods))
