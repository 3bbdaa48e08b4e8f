"""Draw what the reader saw on a page image, like pdfplumber's ``debug_tablefinder``.

Words are thin blue boxes, ruling lines red, cells green with their ``row,col``, and grammar
labels matched to a cell (keyed by ``(row, col)``) magenta.
"""
from __future__ import annotations

import os
from pathlib import Path

from plansheet.errors import PlansheetError
from plansheet.core.model import Page

BLUE = (40, 90, 255)
RED = (230, 30, 30)
GREEN = (0, 170, 60)
MAGENTA = (220, 0, 200)


def draw_page(
    pdf_path: Path,
    page_number: int,
    page: Page,
    out_png: Path,
    labels: dict[tuple[int, int], str] | None = None,
    scale: float = 2.0,
    password: str | None = None,
) -> Path:
    """Render page ``page_number`` (1-based) of ``pdf_path`` with ``page``'s geometry on top.

    ``password`` opens an encrypted PDF.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    from plansheet.readers.pdf.grid import upright_turn
    from plansheet.readers.pdf.pdfium import char_angles

    try:
        doc = pdfium.PdfDocument(str(pdf_path), password=password)
    except pdfium.PdfiumError as exc:
        raise PlansheetError(f"{pdf_path.name}: cannot render ({exc})") from exc
    try:
        if not 1 <= page_number <= len(doc):
            raise PlansheetError(f"{pdf_path.name}: no page {page_number} (it has {len(doc)})")
        pdf_page = doc[page_number - 1]
        image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        text_page = pdf_page.get_textpage()
        try:  # a page drawn sideways was read turned upright (reader.turned): turn the picture alike
            turn = upright_turn(char_angles(text_page.raw), pdf_page.get_rotation())
        finally:
            text_page.close()
        if turn:
            image = image.rotate(-turn, expand=True)
    finally:
        doc.close()

    draw = ImageDraw.Draw(image, "RGBA")
    font = _font(max(10, int(7 * scale)))

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        return (x0 * scale, top * scale, x1 * scale, bottom * scale)

    for word in page.words:
        draw.rectangle(box(word.bbox.x0, word.bbox.top, word.bbox.x1, word.bbox.bottom), outline=BLUE, width=1)
    for cell in page.cells:
        if cell.bbox is None:
            continue
        b = box(cell.bbox.x0, cell.bbox.top, cell.bbox.x1, cell.bbox.bottom)
        draw.rectangle(b, outline=GREEN, width=max(1, int(scale)))
        draw.text((b[0] + 2, b[1] + 1), f"{cell.row},{cell.col}", fill=GREEN, font=font)
        label = (labels or {}).get((cell.row, cell.col))
        if label:
            draw.rectangle(b, outline=MAGENTA, width=max(2, int(2 * scale)))
            draw.text((b[0] + 2, b[3] - font.size - 2), label, fill=MAGENTA, font=font)

    for rule in page.rules:  # on top of the cell boxes, so both stay visible
        draw.line(box(rule.x0, rule.top, rule.x1, rule.bottom), fill=RED, width=1)

    out_png.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_png.with_name(f".{out_png.name}.tmp")
    image.save(tmp, format="PNG")
    os.replace(tmp, out_png)
    return out_png


def _font(size: int):  # type: ignore[no-untyped-def]
    """A font that can write Japanese label names if one is installed, else Pillow's own."""
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)
