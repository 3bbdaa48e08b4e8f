"""Reader for .xlsx workbooks: worksheet cells onto the page/cell model, read directly.

Each worksheet is one page, or several where the sheet has manual page breaks; every page
keeps the worksheet's name (``Page.sheet``) so the pipeline can tell the sheets apart.
Merged ranges become row/column spans. Boxes are synthesised from column widths and row
heights (in points), so the grammar's column rules work exactly as on a printed PDF.

Only the cells the file stores are visited: a sheet whose one stray cell stands at
``XFD1048576`` costs one cell, not the 17 billion of its rectangle.

What the sheet hides is not on it: the cells of hidden rows and columns (a working note, last
year's wording kept out of the printout) are left out, and those rows and columns take no room; so is
text in white font on no fill (unless a conditional format may colour the cell), text struck through, and
comments (never read).

A formula cell is read from the value the file stores beside it (what Excel last computed). A
program that writes formulas without computing them (openpyxl, many exporters) stores none:
such a cell is not taken as empty in silence; each visible one is named (sheet, page, cell) in a
warning, and the file is ``partial``.
"""
from __future__ import annotations

import bisect
import io
import zipfile
from pathlib import Path
from typing import Any

import regex

from plansheet.errors import PlansheetError
from plansheet.core.model import BBox, Cell, ExtractionMethod, Page, SourceFormat, SourcePages
from plansheet.core.text import join_lines, several_lines, superscript
from plansheet.readers.excel_format import displayed

_CELL = regex.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", regex.DOTALL)
_REF = regex.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_STORED_VALUE = regex.compile(rb"<v>[^<]|<is>")

_DEFAULT_COL_WIDTH = 13.0  # openpyxl's width of a column the file does not size, in characters
_POINTS_PER_CHAR = 5.25  # a character of the default font is about 7 px = 5.25 pt
_DEFAULT_ROW_HEIGHT = 15.0  # points


def _cell_lines(value: object, number_format: str | None = None) -> list[str] | None:
    """The cell's lines as Excel shows them (a number or date through its format, a run in a superscript
    font as superscript: ``85%¹``; a run struck through, an old wording deleted, left out), to be joined.

    A workbook stores only the breaks someone typed (Alt+Enter), never where Excel wraps:
    two figures on two lines are two figures (``join_lines(typed=True)``)."""
    if value is None:
        return None
    if isinstance(value, list):  # openpyxl's CellRichText (a list of runs): the one cell value that is a list
        value = "".join(b if isinstance(b, str) else "" if b.font.strike else superscript(b.text)
                        if b.font.vertAlign == "superscript" else b.text for b in value) or None
        if value is None:
            return None
    text = value if isinstance(value, str) else displayed(value, number_format)
    return text.splitlines() if join_lines(text.splitlines(), typed=True) is not None else None


class _Axis:
    """Offsets along rows or columns where most sizes are the default and a few are set."""

    def __init__(self, default: float, sizes: dict[int, float]) -> None:
        self.default = default
        self.keys = sorted(sizes)
        self.prefix = [0.0]  # prefix[i]: the extra size of keys[:i] over the default
        for key in self.keys:
            self.prefix.append(self.prefix[-1] + sizes[key] - default)

    def edge(self, index: int) -> float:
        """The offset of the start of 1-based ``index`` (the end of ``index - 1``)."""
        return (index - 1) * self.default + self.prefix[bisect.bisect_left(self.keys, index)]


def _column_widths(sheet: Any, last: int) -> dict[int, float]:
    """Point widths of the columns the file sizes or hides (a hidden column is 0 wide)."""
    from openpyxl.utils import column_index_from_string

    widths: dict[int, float] = {}
    for key, dim in sheet.column_dimensions.items():
        if not dim.width and not dim.hidden:
            continue
        lo = dim.min or column_index_from_string(key)
        for col in range(lo, min(dim.max or lo, last) + 1):
            widths[col] = 0.0 if dim.hidden else dim.width * _POINTS_PER_CHAR
    return widths


def _hidden_rows(sheet: Any) -> set[int]:
    """The rows the sheet hides (or sets to no height): nobody sees their cells."""
    return {r for r, dim in sheet.row_dimensions.items() if dim.hidden or dim.height == 0}


_WHITE = frozenset({"FFFFFFFF", "00FFFFFF", "FFFFFF"})


def _unseen(cell: Any, formatted: Any) -> bool:
    """Text the printed sheet does not show: struck through as a whole (取消線 with the cell's own font, an
    old wording deleted, as a struck run of rich text is), or in white font on white: no fill of its own, or
    a solid white one (a working note kept in the workbook). A white font on a fill that is no plain colour
    (a gradient), or in a range a conditional format may colour (``formatted``: its ranges, or None when
    the sheet has none), is shown: white on the colour Excel paints."""
    if not cell.has_style:
        return False
    font = cell.font
    if font.strike:
        return True
    color = font.color
    if color is None or color.type != "rgb" or color.rgb not in _WHITE:
        return False
    fill = cell.fill
    if fill.fill_type is not None and not (getattr(fill, "fgColor", None) is not None
                                           and fill.fgColor.type == "rgb" and fill.fgColor.rgb in _WHITE):
        return False  # a coloured, patterned or gradient fill: the white text stands on it
    return not (formatted and any(cell.coordinate in ranges for ranges in formatted))


def _conditional_ranges(sheet: Any) -> list[Any]:
    """The cell ranges a conditional format of ``sheet`` covers (each a ``MultiCellRange``)."""
    return [formatting.sqref for formatting in sheet.conditional_formatting]


def _stored_cells(sheet: Any, hidden_rows: set[int], hidden_cols: set[int]
                  ) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """(row, column, text, lines) of every visible cell with a value, in reading order: only what the file
    stores (lines: its typed lines where it holds two or more)."""
    found = []
    formatted = _conditional_ranges(sheet)
    for (row, col), cell in sheet._cells.items():  # openpyxl's sparse store; iter_rows walks the rectangle
        if row in hidden_rows or col in hidden_cols or _unseen(cell, formatted):
            continue
        value = cell.value
        lines = _cell_lines(value, None if value is None or isinstance(value, (str, list)) else cell.number_format)
        if lines is not None:
            found.append((row, col, join_lines(lines, typed=True) or "", several_lines(lines)))
    return sorted(found)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def formulas_without_value(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Sheet name → (row, column) of each cell holding a formula whose value the file does not store.

    The worksheets are looked through for a formula first (0.3 ms a sample workbook, against about
    100 ms to read one); only a workbook holding one has its sheets' names looked up."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml.functions import fromstring

    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with_formulas = {}  # part name → its XML, for the worksheets holding a formula at all
        for part in archive.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                xml = archive.read(part)
                if b"<f" in xml:
                    with_formulas[part] = xml
        if not with_formulas:
            return found
        manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
        parser = WorkbookParser(archive, _find_workbook_part(manifest).PartName[1:])
        parser.parse()
        for sheet, rel in parser.find_sheets():
            if rel.target in with_formulas:
                xml = with_formulas[rel.target]
            elif not rel.target.startswith("xl/worksheets/"):  # a worksheet stored under another name
                xml = archive.read(rel.target)
            else:
                continue
            for m in _CELL.finditer(xml) if b"<f" in xml else ():
                body = m.group(2) or b""
                ref = _REF.search(m.group(1))
                if ref and b"<f" in body and not _STORED_VALUE.search(body):
                    found.setdefault(sheet.name, set()).add((int(ref.group(2)), _column_index(ref.group(1))))
    return found


def _unvalued_notes(sheet: Any, cells: set[tuple[int, int]], hidden_rows: set[int], hidden_cols: set[int],
                    page_of: Any) -> list[str]:
    """A warning for each visible formula cell of ``sheet`` whose value the file does not store."""
    from openpyxl.utils import get_column_letter

    notes = []
    for row, col in sorted(cells):
        cell = sheet._cells.get((row, col))
        if row in hidden_rows or col in hidden_cols or cell is None or _unseen(cell, None):
            continue
        page = page_of(row)
        where = f"page {page}" if page else "a sheet"
        notes.append(f"{where} (sheet {sheet.title}, cell {get_column_letter(col)}{row}): "
                     "a formula whose value the file does not hold (saved by a program that computes no formulas), "
                     "read as empty; open the workbook in Excel and save it again")
    return notes


def _sheet_pages(sheet: Any, first_number: int, unvalued: set[tuple[int, int]] | None = None,
                 notes: list[str] | None = None) -> list[Page]:
    """The pages of one worksheet; a warning in ``notes`` for each visible cell of ``unvalued``
    (formulas whose value the file does not store)."""
    n_rows, n_cols = sheet.max_row, sheet.max_column  # from the stored cells' keys: cheap
    widths = _column_widths(sheet, n_cols)
    hidden_rows = _hidden_rows(sheet)
    hidden_cols = {c for c, w in widths.items() if w == 0.0}
    stored = _stored_cells(sheet, hidden_rows, hidden_cols)
    if not stored:
        if unvalued and notes is not None:
            notes.extend(_unvalued_notes(sheet, unvalued, hidden_rows, hidden_cols, lambda row: None))
        return []
    spans = {(m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
             for m in sheet.merged_cells.ranges}
    xs = _Axis(_DEFAULT_COL_WIDTH * _POINTS_PER_CHAR, widths)
    ys = _Axis(_DEFAULT_ROW_HEIGHT, {r: 0.0 if r in hidden_rows else d.height
                                     for r, d in sheet.row_dimensions.items() if d.height or r in hidden_rows})
    breaks = sorted({b.id for b in sheet.row_breaks.brk if b.id and 0 < b.id < n_rows})
    bounds = [0] + breaks + [n_rows]
    pages: list[Page] = []
    page_of_part: dict[int, int] = {}
    for part, (start, stop) in enumerate(zip(bounds, bounds[1:])):
        number = first_number + len(pages)
        top = ys.edge(start + 1)
        cells: list[Cell] = []
        lo = bisect.bisect_left(stored, (start + 1,))
        hi = bisect.bisect_left(stored, (stop + 1,))
        for r, c, text, lines in stored[lo:hi]:
            row_span, col_span = spans.get((r, c), (1, 1))
            bbox = BBox(xs.edge(c), ys.edge(r) - top, xs.edge(min(c + col_span, n_cols + 1)),
                        ys.edge(min(r + row_span, n_rows + 1)) - top)
            cells.append(Cell(text=text, row=r - 1 - start, col=c - 1, page=number,
                              row_span=row_span, col_span=col_span, bbox=bbox, lines=lines))
        if cells:
            page_of_part[part] = number
            pages.append(Page(number, tuple(cells), ExtractionMethod.WORKBOOK, width=xs.edge(n_cols + 1),
                              height=ys.edge(stop + 1) - top, sheet=sheet.title))
    if unvalued and notes is not None:
        notes.extend(_unvalued_notes(sheet, unvalued, hidden_rows, hidden_cols,
                                     lambda row: page_of_part.get(bisect.bisect_left(bounds, row) - 1)))
    return pages


def read_workbook(path: Path, data: bytes | None = None) -> SourcePages:
    """Read every visible worksheet of an .xlsx file into pages of cells."""
    from openpyxl import load_workbook

    raw = data if data is not None else path.read_bytes()
    try:
        workbook = load_workbook(io.BytesIO(raw),
                                 data_only=True, read_only=False, rich_text=True)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise PlansheetError(f"{path}: cannot open the workbook ({type(exc).__name__}: {exc})") from exc
    try:
        unvalued = formulas_without_value(raw)
    except Exception as exc:  # the workbook opened: a part openpyxl's reader did not need is damaged
        raise PlansheetError(f"{path}: cannot read the workbook's formulas ({type(exc).__name__}: {exc})") from exc
    pages: list[Page] = []
    notes: list[str] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible":
            pages.extend(_sheet_pages(sheet, len(pages) + 1, unvalued.get(sheet.title), notes))
    workbook.close()
    return SourcePages(SourceFormat.XLSX, pages, notes)
