"""Drop page furniture: running headers, footers and page numbers.

A cell is furniture when it sits in the top or bottom margin band of its page, outside the
ruled tables, and either reads as a page number (``- 3 -``, ``3 / 12``, ``3``, ``P.3``) or
repeats, digits ignored, on most pages of the document or on at least three of them. Titles printed inside the
sheet's print area lie below the margin band and are kept even when they repeat.

A page printed smaller than its paper (shrunk to fit, placed on A3, imposed in a volume) carries its
header and footer inward with it, out of the paper's band. So the first or last text of a page, outside
the ruled tables, is furniture too when it is a page number that counts up with the pages (the page
before or after gives the same number less its page: ``- 3 -`` then ``- 4 -``; a bare ``3`` or ``(3)``
only at the foot), or, on a page with no text near its paper's top or bottom, when it repeats at the
same height on most pages of the document or on three pages in a row (a legend line closing each
department's front page is not).

A header or footer a user writes may say something else on every page (the sheet's name, 重点目標1 then
重点目標2; a date): a line outside the tables in the margin band, or the first line of a page printed smaller,
whose place (height, and left edge, right edge or middle) holds such a line on most pages or three in a row
is furniture whatever it says. A sheet at its own size in the top corner of larger paper keeps its header in
the band but carries its footer far above the paper's foot: the last lines below its ruled tables that repeat
at one height on two pages or more that say different things are its footer (a page printed twice repeats
every line, its last one too: that is no footer).
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
_WRITTEN_PAGE_NUMBER = regex.compile(  # the forms that say "page" whatever their place (not a bare 3 or (3))
    r"^(?:[-‐–—―ー−~〜]\s*\d+\s*[-‐–—―ー−~〜]|\d+\s*/\s*\d+|[Pp]\.?\s*\d+|第?\d+\s*(?:頁|ページ))$"
)
_DIGITS = regex.compile(r"\d+")
_SAME_HEIGHT = 2.0  # points: a running header or footer stands at one height on every page
_LAYERS = 3  # lines of a header or footer, one under another, taken off a page printed smaller


def drop_page_furniture(pages: list[Page], settings: PdfSettings | None = None) -> list[Page]:
    """The pages without their running headers, footers and page numbers; rows renumbered."""
    margin = (settings or PdfSettings()).furniture_margin
    banded = [[c for c in page.cells if _in_margin(c, page, margin)] for page in pages]
    repeats = Counter(key for cells in banded for key in {_key(c.text) for c in cells})
    moved = _header_slots(pages, margin)
    edges = [_edge_cells(page, {id(c) for c in cells} | moved) for page, cells in zip(pages, banded, strict=True)]
    for _ in range(_LAYERS):  # a header of two lines: the second is a page's first once the first is gone
        more = _moved_running(pages, edges, 2 * margin) | _counted_page_numbers(pages, edges)
        if more <= moved:
            break
        moved |= more
        edges = [_next_layer(page, {id(c) for c in cells} | moved) for page, cells in zip(pages, banded, strict=True)]
    drops = [{id(c) for c in band if _is_running(repeats[_key(c.text)], len(pages)) or _is_page_number(c.text)}
             | {id(c) for c in page.cells if id(c) in moved} for page, band in zip(pages, banded, strict=True)]
    _in_furnitures_place(pages, drops)
    out = []
    for page, drop in zip(pages, drops, strict=True):
        if not drop:
            out.append(page)
            continue
        kept = [c for c in page.cells if id(c) not in drop]
        dropped = tuple(c for c in page.cells if id(c) in drop)
        out.append(replace(page, cells=tuple(_renumber_rows(kept)), furniture=dropped))
    return out


def _in_furnitures_place(pages: list[Page], drops: list[set[int]]) -> None:
    """Add to ``drops`` (each page's furniture, ``id``) a first or last line of a page, outside the ruled tables, that
    stands where furniture was taken off two other pages or more (``_same_place``) and says what it said there (the
    same words, digits aside; a page number where theirs stood): the header or footer of a page laid out as theirs, which nothing
    else showed (the last page of a sheet printed four to a sheet, alone on it: its footer stands in the sheet's
    middle, where the other sheets' pages, cut apart, have theirs). Other words in that place stay (目次 where the
    other pages have their file's name)."""
    taken = [(n, c) for n, (page, drop) in enumerate(zip(pages, drops, strict=True))
             for c in page.cells if id(c) in drop and c.bbox is not None]
    if not taken:
        return
    for n, page in enumerate(pages):
        tops, bottoms = _edge_cells(page, drops[n])
        for cell in tops + bottoms:
            number = _is_page_number(cell.text)
            there = {m for m, other in taken if m != n and _same_place(cell, other)
                     and (_is_page_number(other.text) if number else _key(other.text) == _key(cell.text))}
            if len(there) >= 2:
                drops[n].add(id(cell))


def _counted_page_numbers(pages: list[Page], edges: list[tuple[list[Cell], list[Cell]]]) -> set[int]:
    """The edge cells (``id``) that number their pages: a page number form whose number, less its page's, is
    the same on the page before or after (bare ``3`` and ``(3)`` only at the foot: a heading may be a number)."""
    found: dict[int, list[tuple[int, Cell]]] = {}  # page number → (number written less the page's, cell)
    for page, (tops, bottoms) in zip(pages, edges, strict=True):
        at_foot = {id(c) for c in bottoms}
        for cell in tops + bottoms:
            form = _PAGE_NUMBER if id(cell) in at_foot else _WRITTEN_PAGE_NUMBER
            if _is_page_number(cell.text, form):
                written = int(_DIGITS.findall(unicodedata.normalize("NFKC", cell.text))[0])
                found.setdefault(page.number, []).append((written - page.number, cell))
    counted = set()
    for number, cells in found.items():
        beside = {offset for n in (number - 1, number + 1) for offset, _ in found.get(n, [])}
        counted |= {id(cell) for offset, cell in cells if offset in beside}
    return counted


def _moved_running(pages: list[Page], edges: list[tuple[list[Cell], list[Cell]]], band: float) -> set[int]:
    """The edge cells (``id``) of pages printed smaller than their paper that repeat, digits ignored, at one
    height (within ``_SAME_HEIGHT``) on more than half of the document's pages or on three pages in a row (a
    legend line closing each department's front page of a volume does neither). A sheet at its own size in the
    top corner of larger paper keeps its header in the paper's band but carries its footer far above the
    paper's foot: there the last lines below its ruled tables are judged so too, two pages in a row enough (a
    volume's part of two pages has its file's name at the foot of each; a figure alone, which may be the
    sheet's own, counts only as a page number that counts up with the pages)."""
    seen: dict[str, list[tuple[float, int, Cell]]] = {}
    feet: dict[str, list[tuple[float, int, Cell]]] = {}
    for page, (tops, bottoms) in zip(pages, edges, strict=True):
        if _printed_smaller(page, band):
            for cell in tops + bottoms:
                seen.setdefault(_key(cell.text), []).append((cell.bbox.top, page.number, cell))  # type: ignore[union-attr]
        elif page.rules and _foot_moved(page, band):
            lowest = max(r.bottom for r in page.rules)
            for cell in bottoms:
                if cell.bbox.top >= lowest and not _is_page_number(cell.text):  # type: ignore[union-attr]
                    feet.setdefault(_key(cell.text), []).append((cell.bbox.top, page.number, cell))  # type: ignore[union-attr]
    bodies = {page.number: _body(page) for page in pages} if seen or feet else {}  # only where a line may repeat
    return (_repeating(seen, len(pages), 1, 3, bodies) | _repeating(feet, len(pages), 2, 2, bodies)
            | _top_slots(pages, edges, band))


def _body(page: Page) -> tuple[str, ...]:
    """What a page says, line by line: two pages saying the same are one page printed twice."""
    return tuple(c.text for c in page.cells if c.text)


def _top_slots(pages: list[Page], edges: list[tuple[list[Cell], list[Cell]]], band: float) -> set[int]:
    """The first lines (``id``) of pages printed smaller than their paper that stand in one place (``_same_place``)
    on more than half of the pages or on three in a row, on two at least, whatever each says: the header a sheet
    printed smaller carries inward (the sheet's name, different on each page)."""
    placed = [(n, cell) for n, (page, (tops, _)) in enumerate(zip(pages, edges, strict=True))
              if _printed_smaller(page, band) for cell in tops]
    return _in_one_place(placed, len(pages))


def _repeating(seen: dict[str, list[tuple[float, int, Cell]]], total: int, fewest: int, row: int,
               bodies: dict[int, tuple[str, ...]]) -> set[int]:
    """The cells (``id``) of ``seen`` (text key: (height, page number, cell)) that stand at one height on more
    than half of the ``total`` pages or on ``row`` pages in a row, and on ``fewest`` pages at least. By
    ``bodies`` (page number: what it says), lines that repeat only on copies of one page (a page printed
    twice repeats every line) are not moved."""
    moved = set()
    for placed in seen.values():  # every height the text stands at (a file name both atop and at the foot)
        for height, _, _ in placed:
            there = [(number, cell) for top, number, cell in placed if abs(top - height) <= _SAME_HEIGHT]
            numbers = {number for number, _ in there}
            if len(numbers) > 1 and len({bodies[n] for n in numbers}) == 1:
                continue
            if len(there) >= fewest and (2 * len(there) > total or _in_a_row(numbers, row)):
                moved |= {id(cell) for _, cell in there}
    return moved


def _header_slots(pages: list[Page], margin: float) -> set[int]:
    """The lines (``id``) of a page's header or footer, whatever each says (a sheet's name, a date, 取扱注意 the
    page setup writes, at whatever height its margin puts it): lines outside the ruled tables that reach into
    the paper's margin band (``margin``, a share of its height) and stand in one place, at one height (within
    ``_SAME_HEIGHT``) and held to one side or the middle, which holds such a line on more than half of the pages
    or on three in a row. A heading below the band stays, however it repeats."""
    placed = []
    for number, page in enumerate(pages):
        height = page.height or 0.0
        band = margin * height
        placed += [(number, c) for c in page.cells if c.bbox is not None and c.text and height
                   and (c.bbox.top < band or c.bbox.bottom > height - band) and not is_enclosed(c.bbox, page.rules)]
    return _in_one_place(placed, len(pages))


def _in_one_place(placed: list[tuple[int, Cell]], total: int) -> set[int]:
    """The lines (``id``) of ``placed`` (page index, line) whose place (``_same_place``) holds a line on two pages
    or more: more than half of the ``total`` or three in a row."""
    by_height: dict[int, list[tuple[int, Cell]]] = {}  # lines by height, _SAME_HEIGHT a step: a volume's pages
    for n, cell in placed:  # are compared with the lines near their own height only
        by_height.setdefault(int(cell.bbox.top // _SAME_HEIGHT), []).append((n, cell))  # type: ignore[union-attr]
    found = set()
    for n, cell in placed:
        step = int(cell.bbox.top // _SAME_HEIGHT)  # type: ignore[union-attr]
        near = [x for k in (step - 1, step, step + 1) for x in by_height.get(k, ())]
        there = {m for m, other in near if _same_place(cell, other)}
        if len(there) >= 2 and (2 * len(there) > total or _three_in_a_row(there)):
            found.add(id(cell))
    return found


def _same_place(a: Cell, b: Cell) -> bool:
    """Whether two lines stand at one height, their left edges, right edges or middles together."""
    box, other = a.bbox, b.bbox
    if box is None or other is None or abs(box.top - other.top) > _SAME_HEIGHT:
        return False
    return min(abs(box.x0 - other.x0), abs(box.x1 - other.x1), abs(box.x_center - other.x_center)) <= _SAME_HEIGHT


def _in_a_row(numbers: set[int], row: int) -> bool:
    """Whether ``row`` consecutive page numbers are among ``numbers``."""
    return any(all(n + k in numbers for k in range(row)) for n in numbers)


def _three_in_a_row(numbers: set[int]) -> bool:
    """Whether three consecutive page numbers are among ``numbers`` (a part of a volume: its running header)."""
    return any(n + 1 in numbers and n + 2 in numbers for n in numbers)


def _foot_moved(page: Page, band: float) -> bool:
    """No text within ``band`` (a share of the page's height) of the paper's foot: the sheet's foot, its footer
    with it, stands above it (a sheet at its own size in the top corner of larger paper)."""
    return bool(page.height) and not any(c.bbox is not None and c.text and c.bbox.bottom > page.height * (1 - band)
                                         for c in page.cells)


def _printed_smaller(page: Page, band: float) -> bool:
    """No text within ``band`` (a share of the page's height) of the paper's top or bottom: the sheet was
    printed smaller than its paper, or placed inside it."""
    if not page.height:
        return False
    edge = band * page.height
    return not any(c.bbox is not None and c.text and (c.bbox.top < edge or c.bbox.bottom > page.height - edge)
                   for c in page.cells)


def _next_layer(page: Page, gone: set[int]) -> tuple[list[Cell], list[Cell]]:
    """The page's first and last lines once the lines ``gone`` are taken off (:func:`_edge_cells`), each kept only
    where it stands against a line taken off (no more than its own height away): the next line of a header or
    footer, not the sheet's title below it."""
    taken = [c.bbox for c in page.cells if id(c) in gone and c.bbox is not None]
    tops, bottoms = _edge_cells(page, gone)
    return ([c for c in tops if any(0 <= c.bbox.top - b.bottom <= c.bbox.height for b in taken)],  # type: ignore[union-attr]
            [c for c in bottoms if any(0 <= b.top - c.bbox.bottom <= c.bbox.height for b in taken)])  # type: ignore[union-attr]


def _edge_cells(page: Page, banded: set[int]) -> tuple[list[Cell], list[Cell]]:
    """The cells outside the ruled tables and the margin band (``banded``) with no text or rule wholly above
    them, and those with none wholly below."""
    placed = [c for c in page.cells if c.bbox is not None and c.text and id(c) not in banded]
    if not placed:
        return [], []
    highest_bottom = min([c.bbox.bottom for c in placed] + [r.bottom for r in page.rules])  # type: ignore[union-attr]
    lowest_top = max([c.bbox.top for c in placed] + [r.top for r in page.rules])  # type: ignore[union-attr]
    tops = [c for c in placed if c.bbox.top < highest_bottom]  # type: ignore[union-attr]
    bottoms = [c for c in placed if c.bbox.bottom > lowest_top]  # type: ignore[union-attr]
    return ([c for c in tops if not is_enclosed(c.bbox, page.rules)],  # type: ignore[arg-type]
            [c for c in bottoms if not is_enclosed(c.bbox, page.rules)])  # type: ignore[arg-type]


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


def _is_page_number(text: str, form: regex.Pattern[str] = _PAGE_NUMBER) -> bool:
    return bool(form.match(unicodedata.normalize("NFKC", text).strip()))


def _renumber_rows(cells: list[Cell]) -> list[Cell]:
    """Close the gaps dropped rows leave, so rows stay numbered 0, 1, 2 … in order."""
    used = sorted({r for c in cells for r in range(c.row, c.row_end)})
    new = {r: i for i, r in enumerate(used)}
    return [replace(c, row=new[c.row], row_span=new[c.row_end - 1] - new[c.row] + 1) for c in cells]
