"""Reader for .xlsx workbooks: worksheet cells onto the page/cell model, read directly.

Each worksheet is one page, or several where the sheet has manual page breaks. Merged
ranges become row/column spans. Boxes are synthesised from column widths and row heights
(in points), so the grammar's column rules work exactly as on a printed PDF.
"""
from __future__ import annotations

import io
from pathlib import Path

from plansheet.errors import PlansheetError
from plansheet.core.model import BBox, Cell, ExtractionMethod, Page, SourceFormat, SourcePages
from plansheet.core.text import join_lines

_DEFAULT_COL_WIDTH = 8.43  # Excel's default, in characters
_POINTS_PER_CHAR = 5.25  # a character of the default font is about 7 px = 5.25 pt
_DEFAULT_ROW_HEIGHT = 15.0  # points


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return join_lines(str(value).splitlines())


def _edges(sizes: list[float]) -> list[float]:
    edges = [0.0]
    for size in sizes:
        edges.append(edges[-1] + size)
    return edges


def read_workbook(path: Path, data: bytes | None = None) -> SourcePages:
    """Read every worksheet of an .xlsx file into pages of cells."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data if data is not None else path.read_bytes()),
                                 data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise PlansheetError(f"{path}: cannot open the workbook ({type(exc).__name__}: {exc})") from exc
    pages: list[Page] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible" or sheet.max_row < 1:
            continue
        n_rows, n_cols = sheet.max_row, sheet.max_column
        widths = [(sheet.column_dimensions[get_column_letter(c)].width or _DEFAULT_COL_WIDTH) * _POINTS_PER_CHAR
                  for c in range(1, n_cols + 1)]
        heights = [sheet.row_dimensions[r].height or _DEFAULT_ROW_HEIGHT for r in range(1, n_rows + 1)]
        xs, ys = _edges(widths), _edges(heights)
        spans = {(m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
                 for m in sheet.merged_cells.ranges}
        breaks = sorted({b.id for b in sheet.row_breaks.brk if b.id})
        bounds = [0] + [b for b in breaks if 0 < b < n_rows] + [n_rows]
        for start, stop in zip(bounds, bounds[1:]):
            number = len(pages) + 1
            cells: list[Cell] = []
            for row in sheet.iter_rows(min_row=start + 1, max_row=stop):
                for cell in row:
                    text = _cell_text(cell.value)
                    if text is None:
                        continue
                    r, c = cell.row, cell.column
                    row_span, col_span = spans.get((r, c), (1, 1))
                    bbox = BBox(xs[c - 1], ys[r - 1] - ys[start], xs[min(c - 1 + col_span, n_cols)],
                                ys[min(r - 1 + row_span, n_rows)] - ys[start])
                    cells.append(Cell(text=text, row=r - 1 - start, col=c - 1, page=number,
                                      row_span=row_span, col_span=col_span, bbox=bbox))
            if cells:
                pages.append(Page(number, tuple(cells), ExtractionMethod.WORKBOOK,
                                  width=xs[-1], height=ys[stop] - ys[start]))
    workbook.close()
    return SourcePages(SourceFormat.XLSX, pages)
