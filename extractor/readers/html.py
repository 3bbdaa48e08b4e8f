"""Reader for a sheet saved as an HTML page (often named ``.xls`` by older council sites).

An HTML table is cells like any other reader's: each ``<td>``/``<th>`` becomes a cell at its
grid place (``rowspan``/``colspan`` become spans, taken as the HTML table model places
them), each paragraph or heading outside a table a one-cell row. Rows run on down the page
from block to block; a ``page-break-before/after`` (or ``break-before/after: page``) style
starts a new page, which is how Excel and hand-written sheets mark printed pages. The page
has no geometry, like a text export. The text is decoded from the page's declared charset,
else as UTF-8 or Shift_JIS.

What the page does not show is not read, as the workbook reader leaves out what the sheet
hides: rows, cells, columns and spans styled ``display:none`` or ``visibility:hidden`` (or ``collapse``,
or the ``hidden`` attribute; inline, or by any selector of the page's ``<style>`` a screen applies:
:mod:`plansheet.readers.html_style`), as Excel's "save as web page" writes a
hidden row: ``<tr height=0 style='display:none'>``, a hidden column: ``<col … style='display:none'>``),
struck text (``<s>``, ``<strike>``, ``<del>``, ``text-decoration: line-through``, Excel's
``.font5``/``.xl65`` classes for a struck run or cell), a ruby's reading (``<rt>``, ``<rp>``:
the base text stays), scripts, styles and comments. A hidden cell keeps its place in the grid,
empty.

A workbook LibreOffice saves as HTML writes each worksheet's table after a heading naming the
worksheet, ``<a name="table1"><h1>Sheet 2: <em>重点目標1</em></h1></a>`` (the word ``Sheet`` in the
user's language), and a list of links to those headings first (``<h1>Overview</h1>``). Such a
heading is the worksheet's name, page furniture between two sheets: it starts a new page, as a page
break does, and is no value; the list of links is the workbook's contents, read as nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from plansheet.errors import PlansheetError
from plansheet.core.model import Cell, ExtractionMethod, Page, SourceFormat, SourcePages
from plansheet.core.text import join_lines, several_lines
from plansheet.readers.html_style import declared_styles, not_shown, page_breaks, visibility
from plansheet.readers.text_export import decode_text

_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-]+)""", regex.IGNORECASE)
_UNSEEN_TAGS = {"script", "style", "template", "noscript", "rt", "rp", "s", "strike", "del"}
_HIDDEN_COL = "data-plansheet-hidden"  # set on a <col> the page hides
_GRID = {"tr", "td", "th"}  # emptied, not removed: the cells after them keep their places
_SPACE = regex.compile(r"[ \t\r\n\f]+")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "pre"}
_STRUCTURE = _BLOCKS | {"table", "div", "section", "article", "header", "footer", "ul", "ol", "dl", "br", "hr"}
_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_BR = "\u2028"  # stands for <br> while HTML white space is collapsed
_SHEET_ANCHOR = regex.compile(r"table\d+")  # LibreOffice's anchor before a worksheet's table
_SHEET_HEADING = regex.compile(r"\S+ ?\d+ ?[:：]")  # "Sheet 2: 重点目標1", "シート 2: …"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _decode(data: bytes, name: str) -> str:
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name)


def _lines(element: Any) -> list[str]:
    """An element's lines as a cell holds them: HTML white space collapsed, parted where a ``<br>`` breaks."""
    for br in element.iter("br"):
        br.tail = _BR + (br.tail or "")
    return [_SPACE.sub(" ", line) for line in element.text_content().split(_BR)]


def _text(element: Any) -> str | None:
    """An element's text as a cell holds it: the lines ``<br>`` breaks (:func:`_lines`) joined as the workbook
    reader joins a cell's lines: a ``<br>`` is typed, so two figures on two lines stay two figures."""
    return join_lines(_lines(element), typed=True)


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

    def add(self, text: str | None, row: int, col: int, row_span: int = 1, col_span: int = 1,
            lines: tuple[str, ...] = ()) -> None:
        if text is not None:
            self.cells.append(Cell(text=text, row=row, col=col, page=len(self.pages) + 1,
                                   row_span=row_span, col_span=col_span, lines=lines))

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
        """Place a table's cells as the HTML table model does (a spanned slot is taken); a hidden
        column's cells are left out."""
        taken: set[tuple[int, int]] = set()
        hidden_cols = _hidden_columns(table)
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
                lines = [] if col in hidden_cols else _lines(cell)
                self.add(join_lines(lines, typed=True), self.row + r, col, row_span, col_span, several_lines(lines))
                col += col_span
        self.row += len(rows)


def _hidden_columns(table: Any) -> set[int]:
    """The column indexes a table's ``<col>`` elements hide (``display:none``, as Excel writes a hidden column:
    :func:`_drop_unseen` marks them)."""
    hidden: set[int] = set()
    index = 0
    cols = [c for c in table.iter("col") if c.getparent() is table or c.getparent().getparent() is table]
    for col in cols:
        span = _span(col, "span")
        if col.get(_HIDDEN_COL) is not None:
            hidden.update(range(index, index + span))
        index += span
    return hidden


def _drop_unseen(element: Any, declared: dict[Any, str], invisible: bool = False) -> None:
    """Take out of the tree the text nobody sees (module docstring): what ``display:none`` or a strike hides
    goes with its contents (a hidden row or cell is emptied, keeping its grid place); an invisible element's
    own text goes, but a child may set ``visibility:visible`` again."""
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            child.drop_tree()
            continue
        declarations = declared.get(child, "")
        if child.tag == "col":
            if not_shown(child, declarations):
                child.set(_HIDDEN_COL, "")
        elif child.tag in _UNSEEN_TAGS:
            child.drop_tree()  # its tail (the text after it) stays
        elif not_shown(child, declarations):
            if child.tag in _GRID:
                child.text = None
                for grandchild in list(child):
                    child.remove(grandchild)
            else:
                child.drop_tree()
        else:
            hidden = visibility(declarations, invisible)
            if hidden:
                child.text = None
            _drop_unseen(child, declared, hidden)
    if invisible:
        for child in element:
            child.tail = None


def _sheet_heading(element: Any) -> bool:
    """Whether ``element`` is LibreOffice's heading of a worksheet (module docstring): an anchor named
    ``tableN`` holding only a heading ``<word> N: <name>``."""
    if element.tag != "a" or not _SHEET_ANCHOR.fullmatch(element.get("name") or element.get("id") or ""):
        return False
    children = [c for c in element if isinstance(c.tag, str)]
    return (len(children) == 1 and children[0].tag in _HEADINGS and not (element.text or "").strip()
            and bool(_SHEET_HEADING.match(children[0].text_content().strip())))


def _sheet_list(element: Any) -> bool:
    """Whether ``element`` is LibreOffice's list of a workbook's worksheets: links to ``#tableN`` anchors and
    at most a heading (``Overview``), nothing else."""
    links = [a for a in element.iter("a") if a.get("href")]
    if not links or not all(_SHEET_ANCHOR.fullmatch(a.get("href", "").lstrip("#")) and a.get("href", "").startswith("#")
                            for a in links):
        return False
    headings = [h for h in element.iter(*_HEADINGS)]
    if len(headings) > 1 or any(d.tag == "table" for d in element.iterdescendants() if isinstance(d.tag, str)):
        return False
    rest = element.text_content()
    for part in (*links, *headings):
        rest = rest.replace(part.text_content(), "", 1)
    return not rest.strip()


def _walk(element: Any, pages: _Pages, declared: dict[Any, str]) -> None:
    if not isinstance(element.tag, str):
        return
    breaks = page_breaks(declared.get(element, ""))
    if "before" in breaks:
        pages.new_page()
    if element.tag in _SKIPPED or _sheet_list(element):
        pass
    elif _sheet_heading(element):
        pages.new_page()
    elif element.tag == "table":
        pages.table(element)
    elif element.tag in _BLOCKS or not any(isinstance(d.tag, str) and d.tag in _STRUCTURE
                                           for d in element.iterdescendants()):
        pages.line(_text(element))  # a paragraph, or a <div>/<span> holding text only
    else:
        pages.line(_loose(element.text))
        for child in element:
            _walk(child, pages, declared)
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
    declared = declared_styles(root)
    body = root.find("body")
    _drop_unseen(body if body is not None else root, declared)
    _walk(body if body is not None else root, pages, declared)
    pages.new_page()
    return SourcePages(SourceFormat.TXT, pages.pages)
