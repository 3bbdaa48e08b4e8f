"""Drop page furniture: running headers, footers and page numbers.

A cell is furniture when it sits in the top or bottom margin band of its page, outside the
ruled tables, and either reads as a page number (``- 3 -``, ``3 / 12``, ``3``, ``P.3``) or
repeats, digits ignored, on most pages of the document or on at least three of them. Titles printed inside the
sheet's print area lie below the margin band and are kept even when they repeat.

A page printed smaller than its paper (shrunk to fit, placed on A3, imposed in a volume) carries its
header and footer inward with it, out of the paper's band. So the last (or first) text of a page,
outside the ruled tables, is furniture too when it is a page number written as one (``- 3 -``,
``3 / 12``, ``P.3``, ``3頁``: a bare ``3`` or ``(3)`` is not, there), and, where no page of the document
has text within twice the band of the paper's top or bottom, when it repeats as a running header or
footer does.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace

import regex

from plansheet.core.model import Cell, Page
from plansheet.readers.pdf.grid import is_enclosed
from plansheet.settings import PdfSettings

_PAGE_NUMBER = regex.compile(
    r"^(?:[-‐–—―ー−~〜]\s*\d+\s*[-‐–—―ー−~〜]|\d+\s*/\s*\d+|[Pp]\.?\s*\d+|\d+|第?\d+\s*(?:頁|ページ)|\(\d+\))$"
)
_WRITTEN_PAGE_NUMBER = regex.compile(
    r"^(?:[-‐–—―ー−~〜]\s*\d+\s*[-‐–—―ー−~〜]|\d+\s*/\s*\d+|[Pp]\.?\s*\d+|第?\d+\s*(?:頁|ページ))$"
)
_DIGITS = regex.compile(r"\d+")


def drop_page_furniture(pages: list[Page], settings: PdfSettings | None = None) -> list[Page]:
    """The pages without their running headers, footers and page numbers; rows renumbered."""
    margin = (settings or PdfSettings()).furniture_margin
    banded = [[c for c in page.cells if _in_margin(c, page, margin)] for page in pages]
    edges = [_edge_cells(page, {id(c) for c in cells}) for page, cells in zip(pages, banded, strict=True)]
    placed_inward = _printed_smaller(pages, 2 * margin)
    running = [cells + (edge if placed_inward else []) for cells, edge in zip(banded, edges, strict=True)]
    repeats = Counter(key for cells in running for key in {_key(c.text) for c in cells})
    out = []
    for page, cells, band, edge in zip(pages, running, banded, edges, strict=True):
        drop = {id(c) for c in cells if _is_running(repeats[_key(c.text)], len(pages))}
        drop |= {id(c) for c in band if _is_page_number(c.text, _PAGE_NUMBER)}
        drop |= {id(c) for c in edge if _is_page_number(c.text, _WRITTEN_PAGE_NUMBER)}
        if not drop:
            out.append(page)
            continue
        kept = [c for c in page.cells if id(c) not in drop]
        dropped = tuple(c for c in page.cells if id(c) in drop)
        out.append(replace(page, cells=tuple(_renumber_rows(kept)), furniture=dropped))
    return out


def _in_margin(cell: Cell, page: Page, margin: float) -> bool:
    if cell.bbox is None or not page.height or not cell.text:
        return False
    band = margin * page.height
    in_band = cell.bbox.bottom <= band or cell.bbox.top >= page.height - band
    return in_band and not is_enclosed(cell.bbox, page.rules)


def _printed_smaller(pages: list[Page], band: float) -> bool:
    """No page has text within ``band`` (a share of its height) of the paper's top or bottom: the sheet was
    printed smaller than its paper."""
    for page in pages:
        if not page.height:
            return False
        edge = band * page.height
        if any(c.bbox is not None and c.text and (c.bbox.top < edge or c.bbox.bottom > page.height - edge)
               for c in page.cells):
            return False
    return bool(pages)


def _edge_cells(page: Page, banded: set[int]) -> list[Cell]:
    """The cells outside the ruled tables and the margin band (``banded``) with no text or rule wholly above
    them, or none wholly below."""
    placed = [c for c in page.cells if c.bbox is not None and c.text and id(c) not in banded]
    if not placed:
        return []
    highest_bottom = min([c.bbox.bottom for c in placed] + [r.bottom for r in page.rules])  # type: ignore[union-attr]
    lowest_top = max([c.bbox.top for c in placed] + [r.top for r in page.rules])  # type: ignore[union-attr]
    return [c for c in placed if (c.bbox.top < highest_bottom or c.bbox.bottom > lowest_top)  # type: ignore[union-attr]
            and not is_enclosed(c.bbox, page.rules)]  # type: ignore[arg-type]


def _is_running(count: int, total: int) -> bool:
    """Repeated on most pages, or on three or more (a compiled volume changes header per part)."""
    return count >= 2 and (2 * count > total or count >= 3)


def _key(text: str) -> str:
    return _DIGITS.sub("#", unicodedata.normalize("NFKC", text).replace(" ", ""))


def _is_page_number(text: str, form: regex.Pattern[str]) -> bool:
    return bool(form.match(unicodedata.normalize("NFKC", text).strip()))


def _renumber_rows(cells: list[Cell]) -> list[Cell]:
    """Close the gaps dropped rows leave, so rows stay numbered 0, 1, 2 … in order."""
    used = sorted({r for c in cells for r in range(c.row, c.row_end)})
    new = {r: i for i, r in enumerate(used)}
    return [replace(c, row=new[c.row], row_span=new[c.row_end - 1] - new[c.row] + 1) for c in cells]
