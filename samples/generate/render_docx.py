"""Write layout pages as a Word document (python-docx) and print it with headless LibreOffice Writer.

What a person would type in Word (IPAex Mincho): the title and the 【…】 headings are bold
paragraphs, each run of ruled rows is a table ("Table Grid" borders, merged cells, fixed
column widths, shaded label cells),
gaps are empty paragraphs of that height, and every sheet after the first starts with a
paragraph that has "page break before" set, so pagination is fixed by the content.
Writer then lays the text out itself (its own line breaking, cell margins and fonts).
The .docx is an intermediate: only the PDF is kept.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from samples.generate.layout import (
    DEFAULT_STYLE, FONT_SIZE, PAGE_H, PAGE_W, RUBY_SIZE, Page, Style, raised_runs, ruby_runs,
)
from samples.generate.render_html import Gap, Para, Table, blocks
from samples.generate.render_xlsx import normalise_zip, pin_pdf

FONT = "IPAexMincho"
MARGIN_X, MARGIN_Y = 36.0, 30.0


def _font(run_or_style, size: float) -> None:
    run_or_style.font.name = FONT
    run_or_style.font.size = Pt(size)
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _exact(paragraph, height: float) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(height)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _asian_typography(paragraph, style: Style) -> None:
    """Kinsoku (no line starts with 。 or 」) and hanging punctuation as the style says."""
    ppr = paragraph._p.get_or_add_pPr()
    for tag, on in (("w:kinsoku", style.kinsoku), ("w:overflowPunct", style.hanging)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "1" if on else "0")
        ppr.append(el)


def _write(paragraph, text: str | None, size: float, center: bool, bold: bool = False,
           style: Style = DEFAULT_STYLE, struck: int = 0) -> None:
    """``text`` (``\n``: a line break) at base ``size`` scaled to the style, one exact line pitch."""
    _exact(paragraph, style.leading * size / FONT_SIZE)
    _asian_typography(paragraph, style)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not text:
        return
    if struck:  # an old wording struck through (取消線), the new one after it
        run = paragraph.add_run(text[:struck])
        _font(run, size * style.font_size / FONT_SIZE)
        run.font.strike = True
        text = text[struck:]
    parts = text.split("\n")
    if style.ruby and len(parts) == 1 and any(r for _, r in ruby_runs(text, style.ruby)):
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # room for the furigana
        for piece, reading in ruby_runs(text, style.ruby):
            _ruby_run(paragraph, piece, reading, size * style.font_size / FONT_SIZE, bold)
        return
    for i, part in enumerate(parts):
        runs = raised_runs(part) if style.raised_marks else [(part, False)]
        for piece, raised in runs:  # a superscript digit (¹) as Word types it: a digit raised by its font
            run = paragraph.add_run(piece)
            _font(run, size * style.font_size / FONT_SIZE)
            run.bold = bold or None
            run.font.superscript = raised or None
        if i < len(parts) - 1:
            run.add_break()


def _ruby_run(paragraph, text: str, reading: str | None, size: float, bold: bool) -> None:
    """``text`` as a run of ``paragraph``; with a ``reading``, as Word's phonetic guide (w:ruby) sets it."""
    run = paragraph.add_run("" if reading else text)
    _font(run, size)
    run.bold = bold or None
    if not reading:
        return
    half = lambda pt: str(int(round(pt * 2)))  # noqa: E731  (half-points)
    ruby = OxmlElement("w:ruby")
    pr = OxmlElement("w:rubyPr")
    for tag, value in (("w:rubyAlign", "distributeSpace"), ("w:hps", half(size * RUBY_SIZE)),
                       ("w:hpsRaise", half(size * 0.9)), ("w:hpsBaseText", half(size)), ("w:lid", "ja-JP")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        pr.append(el)
    ruby.append(pr)
    for tag, piece, at in (("w:rt", reading, size * RUBY_SIZE), ("w:rubyBase", text, size)):
        holder = OxmlElement(tag)
        inner = paragraph.add_run(piece)
        _font(inner, at)
        holder.append(inner._r)  # moved from the paragraph into the ruby
        ruby.append(holder)
    run._r.append(ruby)


def _cell_margins(table, pad: float) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(pad * 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _table(doc, t: Table, style: Style) -> None:
    nrows, ncols = len(t.rows), len(t.widths)
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _cell_margins(table, style.pad)
    for ci, w in enumerate(t.widths):
        table.columns[ci].width = Pt(w)
        for r in table.rows:
            r.cells[ci].width = Pt(w)
    for ri, row in enumerate(t.rows):
        for c in row.cells:
            cell = table.cell(ri, c.col)
            end = table.cell(ri + c.rowspan - 1, c.col + c.span - 1)
            if end._tc is not cell._tc:
                cell = cell.merge(end)
            _write(cell.paragraphs[0], c.text, c.size, c.align == "center", style=style, struck=c.struck)
            if c.kind == "label" and c.text:
                _shade(cell, "D9D9D9")
        least = max((c.min_lines * style.leading * c.size / FONT_SIZE + 2 * style.pad
                     for c in row.cells if c.rowspan == 1),
                    default=0.0)
        if least:
            table.rows[ri].height = Pt(least)  # "at least": Writer grows the row to its text


def write_docx(pages: list[Page], out: Path, title: str) -> None:
    """``pages`` as a Word document in their layout style (font size, leading, padding, kinsoku)."""
    style = pages[0].style if pages else DEFAULT_STYLE
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = "plansheet sample generator"
    normal = doc.styles["Normal"]
    _font(normal, style.font_size)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(PAGE_W), Pt(PAGE_H)
    section.left_margin = section.right_margin = Pt(MARGIN_X)
    section.top_margin = section.bottom_margin = Pt(MARGIN_Y)
    section.header_distance = section.footer_distance = Pt(12)
    body = doc.element.body
    body.remove(body[0]) if len(body) and body[0].tag == qn("w:p") else None
    for pi, page in enumerate(pages):
        prev: Gap | Para | Table | None = None
        for b in blocks(page):
            first = prev is None
            if isinstance(b, Table) and not isinstance(prev, Gap):
                # a table needs a paragraph before it (page break, or keeping two tables apart)
                p = doc.add_paragraph()
                _exact(p, 1.0)
                if first and pi:
                    p.paragraph_format.page_break_before = True
            if isinstance(b, Gap):
                p = doc.add_paragraph()
                _exact(p, b.height)
                if first and pi:
                    p.paragraph_format.page_break_before = True
            elif isinstance(b, Para):
                p = doc.add_paragraph()
                _write(p, b.cell.text, b.cell.size, b.cell.align == "center", b.cell.kind in ("title", "heading"),
                       style)
                if first and pi:
                    p.paragraph_format.page_break_before = True
            else:
                _table(doc, b, page.style)
            prev = b
    p = doc.add_paragraph()  # a document may not end with a table
    _exact(p, 1.0)
    doc.save(str(out))
    normalise_zip(out)


def writer_pdf(docx: Path, out_pdf: Path) -> None:
    """Convert ``docx`` to PDF with headless LibreOffice Writer (a throw-away profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, str(docx)],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
        data = (Path(tmp) / (docx.stem + ".pdf")).read_bytes()
    out_pdf.write_bytes(pin_pdf(data, docx.read_bytes()))


def make(printed: Path, truth_dir: Path, keys: list[str], rel, log) -> None:  # noqa: ANN001
    """Render ``keys`` to ``printed/<key>.writer.pdf`` (via a throw-away .docx) and write their truth."""
    from samples.generate import check, content, layout, truth
    from samples.generate.render_pdf import draw_pages
    for key in keys:
        d = content.DEPARTMENTS[key]
        out = printed / f"{key}.writer.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            docx = Path(tmp) / f"{key}.docx"
            write_docx(layout.department_pages(d), docx, d.title)
            writer_pdf(docx, out)
            placed = draw_pages(layout.department_pages(d), Path(tmp) / "x.pdf", "ipaex", d.title)
        n = truth.page_count(d)
        t = truth.build(rel(out), "pdf", "text_layer", [(d, 1, d.municipality)], n)
        truth.write(t, truth_dir)
        check.check_loose(out, placed, n)
        log(f"{rel(out)}: {n} pages, {out.stat().st_size // 1024} KiB")
