"""Reader for tab-separated text exports of a sheet (``samples/000_….txt``), and their CSV form.

A line is a row, a tab-separated field is a column. The exporter writes each table of
the printed sheet as a block whose header row is followed by a separator row of dashes
(``部<TAB>政策推進部`` then ``---<TAB>-------``); such a header starts a new page, which
recovers the sheet's page structure (front sheet, then one sheet per goal). Inline HTML
``<table>`` fragments are unpacked into their ``<td>`` cells. Text exports carry no
geometry, so cells have no bounding boxes. A ``.csv`` export of a sheet (comma-separated,
quoted, a cell may hold line breaks) is read the same way, one record a row.
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import regex

from plansheet.errors import PlansheetError, TriageError
from plansheet.core.model import Cell, ExtractionMethod, Page, SourceFormat, SourcePages
from plansheet.core.text import clean_text, join_lines, several_lines
from plansheet.readers.encodings import decode_japanese

_SEPARATOR_FIELD = regex.compile(r"^\s*[-=:|]{3,}\s*$")
_HTML_TABLE = regex.compile(r"<table\b.*?</table>", regex.IGNORECASE | regex.DOTALL)
_HTML_CELL = regex.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", regex.IGNORECASE | regex.DOTALL)
_HTML_TAG = regex.compile(r"<[^>]+>")
_HTML_BREAK = regex.compile(r"<br\s*/?>|</?p\b[^>]*>", regex.IGNORECASE)
_HTML_ENTITY = regex.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,7}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def decode_text(data: bytes, name: str) -> str:
    """The text of ``data`` in the Japanese encoding it is in (``plansheet.readers.encodings``); raise naming the
    file when it is in none."""
    return decode_japanese(data, name).text


def _html_text(raw: str) -> str:
    """A field of an export that carries HTML (the system that writes them leaks its markup): a line
    break tag (``<br>``, ``<br />``, ``<p>``) is a line break and an entity (``&amp;``, ``&nbsp;``) is
    the character it stands for, as the HTML reader reads them."""
    if "<" in raw:
        raw = _HTML_BREAK.sub("\n", raw)
    if "&" in raw:
        raw = _HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), raw)
    return raw


def _unpack_html(raw: str) -> list[str]:
    """A field (its HTML line breaks and entities read, :func:`_html_text`), or the ``<td>`` cells of the
    inline HTML tables in it, in place."""
    if not _HTML_TABLE.search(raw):
        return [_html_text(raw)]
    fields: list[str] = []
    pos = 0
    for table in _HTML_TABLE.finditer(raw):
        pieces = [_html_text(raw[pos:table.start()])]
        pieces += [html.unescape(_HTML_TAG.sub("", cell.group(1))) for cell in _HTML_CELL.finditer(table.group(0))]
        fields.extend(p for p in pieces if p.strip())
        pos = table.end()
    if raw[pos:].strip():
        fields.append(_html_text(raw[pos:]))
    return fields


def split_fields(line: str) -> list[str]:
    """Split one exported line into its fields, unpacking inline HTML tables in place."""
    return [field for raw in line.split("\t") for field in _unpack_html(raw)]


def _is_separator(fields: list[str]) -> bool:
    filled = [f for f in fields if f.strip()]
    return bool(filled) and all(_SEPARATOR_FIELD.match(f) for f in filled)


def _header_of(rows: list[list[str]], separator: int) -> int:
    """The row a separator row underlines: the nearest non-blank row above it."""
    header = separator - 1
    while header > 0 and not any(f.strip() for f in rows[header]):
        header -= 1
    while header > 0 and _continues(rows[header], rows[header - 1]):
        header -= 1
    return header


def _continues(row: list[str], above: list[str]) -> bool:
    """Whether ``row`` is the second line of the cells of the row right above it (a heading whose title
    wraps: ``重点目標 1<TAB>…向上による`` then ``<TAB>市民の健康寿命の延伸``): its first column empty, text only in
    columns where the row above has text, and the row above's first column filled."""
    filled = [k for k, f in enumerate(row) if f.strip()]
    return (bool(filled) and filled[0] > 0 and bool(above) and bool(above[0].strip())
            and not _is_separator(above)
            and all(k < len(above) and above[k].strip() for k in filled))


def lines_to_pages(lines: list[str]) -> list[Page]:
    """Turn exported lines into pages of cells (see the module docstring)."""
    return rows_to_pages([split_fields(line.rstrip("\r\n")) for line in lines])


def rows_to_pages(rows: list[list[str]]) -> list[Page]:
    """Turn rows of fields into pages of cells: a separator row's header starts a page."""
    headers = {_header_of(rows, i) for i, fields in enumerate(rows) if i > 0 and _is_separator(fields)}
    page_starts = {0}
    content_since_start = False
    for i, fields in enumerate(rows):
        if i in headers:
            if content_since_start:
                page_starts.add(i)
            content_since_start = False
        elif any(f.strip() for f in fields) and not _is_separator(fields):
            content_since_start = True
    pages: list[Page] = []
    cells: list[Cell] = []
    first_row = 0
    for i, fields in enumerate(rows):
        if i in page_starts and cells:
            pages.append(Page(len(pages) + 1, tuple(cells), ExtractionMethod.TEXT_EXPORT))
            cells = []
        if i in page_starts:
            first_row = i
        if _is_separator(fields):
            continue
        for col, raw in enumerate(fields):
            broken = "\n" in raw or "\r" in raw
            text = join_lines(raw.splitlines(), typed=True) if broken else clean_text(raw)
            if text is not None:
                cells.append(Cell(text=text, row=i - first_row, col=col, page=len(pages) + 1,
                                  lines=several_lines(raw.splitlines()) if broken else ()))
    if cells:
        pages.append(Page(len(pages) + 1, tuple(cells), ExtractionMethod.TEXT_EXPORT))
    return pages


# a field that opens with a quote, holds a line break before its quote closes and ends at a tab or
# a line's end: a spreadsheet's tab-separated save quotes a cell with line breaks ("第1段落<LF>第2段落")
# and doubles its quotes. No tab inside, and text right after the opening quote: a lone " (a ditto
# mark) in one row and the next is no quoted field
_QUOTED_LINES = regex.compile(r'(?:^|\t)"[^"\t\r\n](?:[^"\t]|"")*\n(?:[^"\t]|"")*"(?=\t|\r?\n|\Z)', regex.MULTILINE)


def read_text_export(path: Path, data: bytes | None = None) -> SourcePages:
    """Read a tab-separated text export into pages of cells.

    A line is a row, unless the export quotes cells that hold line breaks (as a spreadsheet's
    tab-separated save does): then a record is a row, read as CSV with tabs, and a cell's lines
    are joined as a wrapped cell's are."""
    raw = path.read_bytes() if data is None else data
    decoded = decode_japanese(raw, str(path))
    text = decoded.text
    if '"' in text and _QUOTED_LINES.search(text):
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=True))
        except csv.Error:  # a stray quote elsewhere: the quoted cells still hold their line breaks
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
        pages = rows_to_pages([[f for raw_field in record for f in _unpack_html(raw_field)] for record in records])
        return SourcePages(SourceFormat.TXT, pages, _paged(decoded.note, pages))
    pages = lines_to_pages(text.splitlines())
    return SourcePages(SourceFormat.TXT, pages, _paged(decoded.note, pages))


def _paged(note: str | None, pages: list[Page]) -> list[str]:
    """The decoder's note (bytes read as U+FFFD), naming the page of the first cell holding one."""
    if note is None:
        return []
    page = next((c.page for p in pages for c in p.cells if "\ufffd" in c.text), pages[0].number if pages else 1)
    return [f"page {page}: the text was {note.removeprefix('text: ')}"]


def read_csv_export(path: Path, data: bytes | None = None) -> SourcePages:
    """Read a comma-separated export of a sheet (quoted fields, line breaks inside cells) into pages."""
    raw = path.read_bytes() if data is None else data
    decoded = decode_japanese(raw, str(path))
    text = decoded.text
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise PlansheetError(f"{path}: not a readable CSV export ({exc}); "
                             "export the sheet again as CSV or as tab-separated text") from exc
    pages = rows_to_pages([[f for raw in record for f in _unpack_html(raw)] for record in records])
    return SourcePages(SourceFormat.TXT, pages, _paged(decoded.note, pages))
