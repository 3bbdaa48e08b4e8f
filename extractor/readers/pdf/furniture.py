"""Drop page furniture: running headers, footers and page numbers.

A cell is furniture when it sits in the top or bottom margin band of its page, outside the
ruled tables, and either reads as a page number (``- 3 -``, ``3 / 12``, ``3``, ``P.3``) or
repeats, digits ignored, on most pages of the document or on at least three of them. Titles printed inside the
sheet's print area lie below the margin band and are kept even when they repeat.
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
_DIGITS = regex.compile(r"\d+")


def drop_page_furniture(pages: list[Page], settings: PdfSettings | None = None) -> list[Page]:
    """The pages without their running headers, footers and page numbers; rows renumbered."""
    margin = (settings or PdfSettings()).furniture_margin
    candidates = [[c for c in page.cells if _in_margin(c, page, margin)] for page in pages]
    repeats = Counter(key for cells in candidates for key in {_key(c.text) for c in cells})
    out = []
    for page, cells in zip(pages, candidates, strict=True):
        drop = {id(c) for c in cells if _is_page_number(c.text) or _is_running(repeats[_key(c.text)], len(pages))}
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


def _is_running(count: int, total: int) -> bool:
    """Repeated on most pages, or on three or more (a compiled volume changes header per part)."""
    return count >= 2 and (2 * count > total or count >= 3)


def _key(text: str) -> str:
    return _DIGITS.sub("#", unicodedata.normalize("NFKC", text).replace(" ", ""))


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


def _renumber_rows(cells: list[Cell]) -> list[Cell]:
    """Close the gaps dropped rows leave, so rows stay numbered 0, 1, 2 … in order."""
    used = sorted({r for c in cells for r in range(c.row, c.row_end)})
    new = {r: i for i, r in enumerate(used)}
    return [replace(c, row=new[c.row], row_span=new[c.row_end - 1] - new[c.row] + 1) for c in cells]
