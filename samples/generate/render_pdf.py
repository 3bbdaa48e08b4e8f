"""Draw layout pages with reportlab (embedded IPAexGothic, or the non-embedded CID font HeiseiMin-W3)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1  # reproducible bytes (fixed dates and ids)

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from samples.generate.layout import (  # noqa: E402
    BODY_H, MARGIN_TOP, PAGE_H, PAGE_W, Page, measure_rows,
)

IPAEX_PATHS = [
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
]


def register(font: str) -> str:
    """Register ``ipaex`` (embedded TrueType) or ``cid`` (HeiseiMin-W3, not embedded); return its name."""
    if font == "ipaex":
        name = "IPAexGothic"
        if name not in pdfmetrics.getRegisteredFontNames():
            path = next(p for p in IPAEX_PATHS if Path(p).exists())
            pdfmetrics.registerFont(TTFont(name, path))
        return name
    if font == "cid":
        name = "HeiseiMin-W3"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        return name
    raise ValueError(font)


@dataclass
class Placed:
    """Where a text cell was drawn: page index (0-based) and bbox in pdfplumber coordinates."""
    page: int
    bbox: tuple[float, float, float, float]
    text: str
    role: str | None


def draw_pages(pages: list[Page], out: Path, font: str, title: str) -> list[Placed]:
    fname = register(font)
    measure = lambda s, size: pdfmetrics.stringWidth(s, fname, size)  # noqa: E731
    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("plansheet sample generator")
    c.setCreator("plansheet samples.generate (reportlab)")
    placed: list[Placed] = []
    for pi, page in enumerate(pages):
        total = measure_rows(page, measure)
        if total > BODY_H + 0.01:
            raise RuntimeError(f"{out.name}: page {pi + 1} ({page.name}) is {total:.0f}pt high, body is {BODY_H:.0f}pt")
        if page.header:
            c.setFont(fname, 8)
            c.drawRightString(PAGE_W - 36, PAGE_H - 24, page.header)
        if page.footer:
            c.setFont(fname, 9)
            c.drawCentredString(PAGE_W / 2, 20, page.footer)
        c.setLineWidth(0.6)
        tops = []
        y = PAGE_H - MARGIN_TOP
        for row in page.rows:
            tops.append(y)
            y -= row.height
        for ri, row in enumerate(page.rows):
            for cell in row.cells:
                x = page.col_x(cell.col)
                w = page.span_w(cell.col, cell.span)
                top = tops[ri]
                h = sum(r.height for r in page.rows[ri:ri + cell.rowspan])
                if cell.border:
                    c.rect(x, top - h, w, h, stroke=1, fill=0)
                if not cell.text:
                    continue
                lines = page.lines_of(cell, measure)
                lead, size, pad = page.lead_of(cell), page.size_of(cell), page.style.pad
                c.setFont(fname, size)
                ty = top - pad - size * 0.95
                for line in lines:
                    if cell.align == "center":
                        c.drawCentredString(x + w / 2, ty, line)
                    else:
                        c.drawString(x + pad, ty, line)
                    ty -= lead
                placed.append(Placed(pi, (x + 0.5, PAGE_H - top + 0.5, x + w - 0.5, PAGE_H - (top - h) - 0.5),
                                     cell.text, cell.role))
        c.showPage()
    c.save()
    return placed
