"""Write layout pages as an openpyxl workbook (one worksheet per printed page) and print it with LibreOffice."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from reportlab.pdfbase import pdfmetrics

from samples.generate.layout import Page, mark_overflow, measure_rows, raised_runs
from samples.generate.render_pdf import register

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
XLSX_FONT = "IPAexGothic"


def pt_to_width(pt: float) -> float:
    """Excel column width (characters of the default font) for ``pt`` points (7 px digits, 96 dpi)."""
    return round(max(1.0, (pt / 0.75 - 5) / 7), 2)


# what a department keeps in a workbook and hides before printing: a working note in a hidden
# column beside the sheet, last year's wording in a hidden row
_HIDDEN_NOTES = ("前年度の記載（非表示）", "確認済", "要修正：数値を再確認")


_PLAIN_NUMBER = re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?")
_PERCENT = re.compile(r"(\d+)(\.\d+)?%")


def typed(text: str) -> tuple[object, str | None]:
    """What a person typing ``text`` into Excel stores: a number and the format that shows it as
    typed (``85.3%`` → 0.853 under ``0.0%``, ``3,210`` → 3210 under ``#,##0``), else the text."""
    m = _PERCENT.fullmatch(text)
    if m:
        decimals = len(m.group(2) or ".") - 1
        return float(text[:-1]) / 100, "0" + ("." + "0" * decimals if decimals else "") + "%"
    if _PLAIN_NUMBER.fullmatch(text):
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        number = float(text.replace(",", ""))
        return (int(number) if not decimals else number), ("#,##0" if "," in text else "0") + \
            ("." + "0" * decimals if decimals else "")
    return text, None


def _rich(text: str, size: float) -> Any:
    """``text`` as Excel stores a cell whose superscript digits (¹) are digits in a superscript font."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    return CellRichText([TextBlock(InlineFont(rFont=XLSX_FONT, sz=size, vertAlign="superscript" if raised else None),
                                   piece) for piece, raised in raised_runs(text)])


def _struck(text: str, struck: int, size: float) -> Any:
    """``text`` as Excel stores a cell whose first ``struck`` characters are in a struck-through font."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    return CellRichText([TextBlock(InlineFont(rFont=XLSX_FONT, sz=size, strike=True), text[:struck]),
                         TextBlock(InlineFont(rFont=XLSX_FONT, sz=size), text[struck:])])


def _outline(r: int, c: int, r1: int, r2: int, c1: int, c2: int) -> Border:
    """The border of sheet cell (r, c) inside an unmerged box r1..r2 × c1..c2: only the box's outline."""
    return Border(left=THIN if c == c1 else None, right=THIN if c == c2 else None,
                  top=THIN if r == r1 else None, bottom=THIN if r == r2 else None)


def write_workbook(pages: list[Page], out: Path, title: str, hidden_notes: bool = False,
                   typed_numbers: bool = False, overflow: bool = False, unseen_notes: bool = False) -> None:
    """Write ``pages`` as one worksheet each. With ``hidden_notes`` every sheet also holds text
    nobody sees: a hidden column after the table and a hidden row inside it, both with notes.
    With ``typed_numbers`` a cell that is only a number or a percentage is stored as a number
    with the format that shows it as written (as typing it into Excel does). With ``overflow``
    empty boxes and some text cells (:func:`~samples.generate.layout.mark_overflow`) are not merged: such a text stands in
    its box's first column, unwrapped, and runs on across the empty cells right of it. With
    ``unseen_notes`` each sheet holds a working note in white font in an empty cell of its table and a
    comment on its first value cell: neither is on the printed sheet."""
    fname = register("ipaex")
    measure = lambda s, size: pdfmetrics.stringWidth(s, fname, size)  # noqa: E731
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = "plansheet sample generator"
    for page in pages:
        ws = wb.create_sheet(page.name)
        # heights from the IPAexGothic metrics with 8 % narrower columns, so LibreOffice never clips
        if overflow:
            mark_overflow(page, measure, f"{out.name}-{page.name}-overflow")
        measure_rows(page, measure, shrink=0.08)
        for ci, w in enumerate(page.widths, 1):
            ws.column_dimensions[get_column_letter(ci)].width = pt_to_width(w)
        hidden_row = len(page.rows) // 2 + 1 if hidden_notes and len(page.rows) > 2 else None

        def sheet_row(ri: int) -> int:  # the sheet's row of page row ``ri`` (1-based), after a hidden row
            return ri + 1 if hidden_row is not None and ri >= hidden_row else ri

        for ri, row in enumerate(page.rows, 1):
            ws.row_dimensions[sheet_row(ri)].height = round(row.height + 1.5, 2)
            for cell in row.cells:
                c1, r1 = cell.col + 1, sheet_row(ri)
                c2, r2 = cell.col + cell.span, sheet_row(ri + cell.rowspan - 1)
                top = ws.cell(row=r1, column=c1)
                if cell.text is not None:
                    top.value, number_format = typed(cell.text) if typed_numbers else (cell.text, None)
                    if number_format:
                        top.number_format = number_format
                    if page.style.raised_marks and len(raised_runs(cell.text)) > 1:
                        top.value = _rich(cell.text, page.size_of(cell))
                    if cell.struck:  # an old wording in a struck-through font, the new one after it
                        top.value = _struck(cell.text, cell.struck, page.size_of(cell))
                size = page.size_of(cell)
                style = dict(
                    font=Font(name=XLSX_FONT, size=size),
                    alignment=Alignment(wrap_text=not (cell.overflow or cell.shrunk_to or cell.clipped), shrink_to_fit=bool(cell.shrunk_to),
                                        vertical="top" if cell.kind != "title" else "center",
                                        horizontal="center" if cell.align == "center" else "left"),
                )
                merged = not (cell.overflow or overflow and cell.text is None)
                for r in range(r1, r2 + 1):
                    for cc in range(c1, c2 + 1):
                        x = ws.cell(row=r, column=cc)
                        if cell.border:
                            x.border = BOX if merged else _outline(r, cc, r1, r2, c1, c2)
                        if r == r1 and cc == c1:
                            x.font = style["font"]
                            x.alignment = style["alignment"]
                if merged and (r1, c1) != (r2, c2):
                    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if hidden_notes:
            _hide_notes(ws, len(page.widths), sheet_row(len(page.rows)), hidden_row)
        if unseen_notes:
            _unseen_notes(ws, page, sheet_row)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.55
        ws.print_area = f"A1:{get_column_letter(len(page.widths))}{sheet_row(len(page.rows))}"
        _header_footer(ws, page)
        ws.sheet_view.showGridLines = False
    wb.save(out)
    normalise_zip(out)


def _header_footer(ws: Any, page: Page) -> None:
    """The page's ``marks`` as the worksheet's header and footer (their parts left, centre, right, 8 pt), each at
    its mark's distance from the paper's edge."""
    for text, align, at in page.marks:
        part = getattr(ws.oddHeader if at >= 0 else ws.oddFooter, align)
        part.text = text.replace("&", "&&")
        part.size = 8
        part.font = XLSX_FONT
        if at >= 0:
            ws.page_margins.header = round(at / 72, 3)
        else:
            ws.page_margins.footer = round(-at / 72, 3)


def _unseen_notes(ws: Any, page: Page, sheet_row: Any) -> None:
    """A note in white font in the first empty cell right of a row's last cell (white on white: not printed),
    and a comment on the sheet's first value cell (Excel prints no comment unless told to)."""
    from openpyxl.cell import MergedCell
    from openpyxl.comments import Comment

    for ri, row in enumerate(page.rows, 1):
        end = max((c.col + c.span for c in row.cells), default=0)
        if row.cells and 0 < end < len(page.widths) and all(c.rowspan == 1 for c in row.cells):
            note = ws.cell(row=sheet_row(ri), column=end + 1)
            if not isinstance(note, MergedCell) and note.value is None:
                note.value = _HIDDEN_NOTES[ri % len(_HIDDEN_NOTES)]
                note.font = Font(name=XLSX_FONT, size=8, color="FFFFFFFF")
                break
    for ri, row in enumerate(page.rows, 1):
        first = next((c for c in row.cells if c.kind == "value" and c.text), None)
        if first is not None:
            ws.cell(row=sheet_row(ri), column=first.col + 1).comment = Comment("数値は担当課に確認済み", "担当")
            break


def _hide_notes(ws: Any, n_cols: int, n_rows: int, hidden_row: int | None) -> None:
    """Notes in a hidden column after the table and, where ``hidden_row`` is set, in that hidden row
    (in every column no merged cell crosses it)."""
    from openpyxl.cell import MergedCell

    note_col = n_cols + 1
    ws.column_dimensions[get_column_letter(note_col)].hidden = True
    for i, r in enumerate(range(1, n_rows + 1, max(1, n_rows // 3))):
        ws.cell(row=r, column=note_col).value = _HIDDEN_NOTES[i % len(_HIDDEN_NOTES)]
    if hidden_row is None:
        return
    ws.row_dimensions[hidden_row].hidden = True
    for c in range(1, n_cols + 1):
        if not isinstance(ws.cell(row=hidden_row, column=c), MergedCell):
            ws.cell(row=hidden_row, column=c).value = _HIDDEN_NOTES[c % len(_HIDDEN_NOTES)]


def normalise_zip(path: Path) -> None:
    """Rewrite the .xlsx with fixed timestamps and no creation dates, so it is reproducible."""
    import re
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def libreoffice_pdf(xlsx: Path, out_pdf: Path) -> None:
    """Convert ``xlsx`` to PDF with headless LibreOffice (a throw-away profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", tmp, str(xlsx)],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
        produced = Path(tmp) / (xlsx.stem + ".pdf")
        data = produced.read_bytes()
    out_pdf.write_bytes(pin_pdf(data, xlsx.read_bytes()))


def pin_pdf(data: bytes, source: bytes) -> bytes:
    """Make a LibreOffice PDF reproducible: fixed creation date, /ID from the workbook's bytes.

    Replacements keep every byte length, so the cross-reference offsets stay valid.
    """
    import hashlib
    import re

    def date(m: re.Match[bytes]) -> bytes:
        fixed = b"D:20240101000000Z'"
        old = m.group(1)
        return b"/CreationDate(" + (fixed + old[len(fixed):] if len(old) >= len(fixed) else old) + b")"

    data = re.sub(rb"/CreationDate\((D:[^)]*)\)", date, data)
    digest = hashlib.md5(source).hexdigest().upper().encode()

    def ident(m: re.Match[bytes]) -> bytes:
        return b"<" + (digest * 2)[: len(m.group(1))] + b">"

    def ids(m: re.Match[bytes]) -> bytes:
        return re.sub(rb"<([0-9A-Fa-f]+)>", ident, m.group(0))

    data = re.sub(rb"/ID\s*\[[^\]]*\]", ids, data)
    return re.sub(rb"/DocChecksum /([0-9A-Fa-f]+)", lambda m: b"/DocChecksum /" + (digest * 2)[: len(m.group(1))], data)
