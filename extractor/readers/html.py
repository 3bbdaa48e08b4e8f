"""Reader for a sheet saved as an HTML page (often named ``.xls`` by older council sites).

An HTML table is cells like any other reader's: each ``<td>``/``<th>`` becomes a cell at its
grid place (``rowspan``/``colspan`` become spans, taken as the HTML table model places
them), each paragraph or heading outside a table a one-cell row. Rows run on down the page
from block to block; a ``page-break-before/after`` (or ``break-before/after: page``) style
starts a new page, which is how Excel and hand-written sheets mark printed pages. The page
has no geometry, like a text export. The text is decoded from the page's declared charset,
else as UTF-8 or Shift_JIS.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from plansheet.errors import PlansheetError
from plansheet.core.model import Cell, ExtractionMethod, Page, SourceFormat, SourcePages
from plansheet.core.text import join_lines
from plansheet.readers.text_export import decode_text

_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-]+)""", regex.IGNORECASE)
_PAGE_BREAK = regex.compile(r"(?:page-)?break-(before|after)\s*:\s*(?:always|page)", regex.IGNORECASE)
_CLASS_RULE = regex.compile(r"(?:^|[\s,}])\w*\.([\w-]+)\s*\{([^}]*)\}")  # .sheet { … } (no pseudo-classes)
_SPACE = regex.compile(r"[ \t\r\n\f]+")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "pre"}
_STRUCTURE = _BLOCKS | {"table", "div", "section", "article", "header", "footer", "ul", "ol", "dl", "br", "hr"}
_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_BR = "\u2028"  # stands for <br> while HTML white space is collapsed


def _decode(data: bytes, name: str) -> str:
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name)


def _text(element: Any) -> str | None:
    """An element's text as a cell holds it: HTML white space collapsed, the lines ``<br>`` breaks
    joined as the workbook reader joins a cell's lines: a ``<br>`` is typed, so two figures on two
    lines stay two figures."""
    for br in element.iter("br"):
        br.tail = _BR + (br.tail or "")
    return join_lines([_SPACE.sub(" ", line) for line in element.text_content().split(_BR)], typed=True)


def _loose(text: str | None) -> str | None:
    """Text standing between a container's elements, white space collapsed; None when blank."""
    return join_lines([_SPACE.sub(" ", text)]) if text and text.strip() else None


def _span(element: Any, name: str) -> int:
    try:
        return max(1, min(int(element.get(name, "1")), 1000))
    except ValueError:
        return 1


@dataclass
class _Pages:
    pages: list[Page] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    row: int = 0

    def add(self, text: str | None, row: int, col: int, row_span: int = 1, col_span: int = 1) -> None:
        if text is not None:
            self.cells.append(Cell(text=text, row=row, col=col, page=len(self.pages) + 1,
                                   row_span=row_span, col_span=col_span))

    def line(self, text: str | None) -> None:
        """A one-cell row of text outside any table (nothing for no text)."""
        if text is not None:
            self.add(text, self.row, 0)
            self.row += 1

    def new_page(self) -> None:
        if self.cells:
            self.pages.append(Page(len(self.pages) + 1, tuple(self.cells), ExtractionMethod.TEXT_EXPORT))
        self.cells, self.row = [], 0

    def table(self, table: Any) -> None:
        """Place a table's cells as the HTML table model does (a spanned slot is taken)."""
        taken: set[tuple[int, int]] = set()
        rows = [tr for tr in table.iter("tr") if tr.getparent() is table or tr.getparent().getparent() is table]
        for r, tr in enumerate(rows):
            col = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, col) in taken:
                    col += 1
                row_span, col_span = _span(cell, "rowspan"), _span(cell, "colspan")
                row_span = min(row_span, len(rows) - r)
                taken.update((r + i, col + j) for i in range(row_span) for j in range(col_span))
                self.add(_text(cell), self.row + r, col, row_span, col_span)
                col += col_span
        self.row += len(rows)


def _class_breaks(root: Any) -> dict[str, set[str]]:
    """Class name → the page breaks (``before``/``after``) the page's ``<style>`` rules give it."""
    breaks: dict[str, set[str]] = {}
    for style in root.iter("style"):
        for rule in _CLASS_RULE.finditer(style.text or ""):
            for m in _PAGE_BREAK.finditer(rule.group(2)):
                breaks.setdefault(rule.group(1), set()).add(m.group(1).lower())
    return breaks


def _walk(element: Any, pages: _Pages, class_breaks: dict[str, set[str]]) -> None:
    if not isinstance(element.tag, str):
        return
    breaks = {m.group(1).lower() for m in _PAGE_BREAK.finditer(element.get("style", ""))}
    for name in element.get("class", "").split():
        breaks |= class_breaks.get(name, set())
    if "before" in breaks:
        pages.new_page()
    if element.tag in _SKIPPED:
        pass
    elif element.tag == "table":
        pages.table(element)
    elif element.tag in _BLOCKS or not any(isinstance(d.tag, str) and d.tag in _STRUCTURE
                                           for d in element.iterdescendants()):
        pages.line(_text(element))  # a paragraph, or a <div>/<span> holding text only
    else:
        pages.line(_loose(element.text))
        for child in element:
            _walk(child, pages, class_breaks)
            pages.line(_loose(child.tail))
    if "after" in breaks:
        pages.new_page()


def read_html(path: Path, data: bytes | None = None) -> SourcePages:
    """Read the tables (and paragraphs) of an HTML page into pages of cells."""
    import lxml.html
    from lxml.etree import ParserError

    raw = path.read_bytes() if data is None else data
    text = _decode(raw, str(path))
    try:
        root = lxml.html.document_fromstring(regex.sub(r"^\s*<\?xml[^>]*>", "", text))
    except (ParserError, ValueError) as exc:
        raise PlansheetError(f"{path}: an HTML page that cannot be parsed ({exc}); "
                             "open it in Excel and save it as .xlsx") from exc
    pages = _Pages()
    body = root.find("body")
    _walk(body if body is not None else root, pages, _class_breaks(root))
    pages.new_page()
    return SourcePages(SourceFormat.TXT, pages.pages)
