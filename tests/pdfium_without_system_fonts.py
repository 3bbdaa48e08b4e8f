"""Read PDFs with the PDFium backend as on a machine without system fonts; print the cells as JSON.

Run as a script (PDFium's font lookup is process-wide, so tests run it in a subprocess):
``python tests/pdfium_without_system_fonts.py A.pdf B.pdf``. PDFium is given a system-font
provider that has no fonts, so every font the PDF does not embed is drawn with PDFium's
built-in Latin fallback, which has no CJK glyphs: what a bare server or container has.
The output maps each file name to its pages' cells ``[text, row, col, row_span, col_span]``,
to its pages' glyphs ``[text, x0, top, x1]`` as the backend read them, and
to ``left_out``: how many text objects PDFium's text page left out, to show the condition
really held.
"""
from __future__ import annotations

import ctypes
import json
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_FIELDS = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
_CALLBACKS = {  # kept referenced for the life of the process
    "Release": _FIELDS["Release"](lambda this: None),
    "EnumFonts": _FIELDS["EnumFonts"](lambda this, mapper: None),
    "MapFont": _FIELDS["MapFont"](lambda this, weight, italic, charset, family, face, exact: None),
    "GetFont": _FIELDS["GetFont"](lambda this, face: None),
    "GetFontData": _FIELDS["GetFontData"](lambda this, font, table, buffer, size: 0),
    "GetFaceName": _FIELDS["GetFaceName"](lambda this, font, buffer, size: 0),
    "GetFontCharset": _FIELDS["GetFontCharset"](lambda this, font: 0),
    "DeleteFont": _FIELDS["DeleteFont"](lambda this, font: None),
}
_NO_FONTS = pdfium_c.FPDF_SYSFONTINFO(version=1, **_CALLBACKS)


def left_out_text_objects(path: Path) -> int:
    """Text objects of the file that PDFium's text pages do not list any character of."""
    count = 0
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            text_page = page.get_textpage()
            listed = {
                ctypes.cast(pdfium_c.FPDFText_GetTextObject(text_page.raw, i), ctypes.c_void_p).value
                for i in range(pdfium_c.FPDFText_CountChars(text_page.raw))
            }
            count += sum(
                1 for obj in page.get_objects(max_depth=8)
                if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and ctypes.cast(obj.raw, ctypes.c_void_p).value not in listed
            )
            text_page.close()
            page.close()
    finally:
        pdf.close()
    return count


def glyph_boxes(glyphs: list) -> list[list]:
    """The printing glyphs as ``[text, x0, top, x1]``."""
    return [[g.text, g.x0, g.top, g.x1] for g in glyphs if g.text.strip()]


def main(paths: list[str]) -> None:
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_NO_FONTS))
    from plansheet.readers.pdf.pdfium import PdfiumDocument
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import PdfBackend, PdfSettings, Settings

    settings = Settings(pdf=PdfSettings(backend=PdfBackend.PDFIUM))
    out = {}
    for name in paths:
        path = Path(name)
        pages = read_pdf(path, settings).pages
        with PdfiumDocument(path, None) as pdf:
            contents = [pdf.read(i) for i in range(pdf.page_count)]
        out[path.name] = {
            "left_out": left_out_text_objects(path),
            "glyphs": [glyph_boxes(content.glyphs) for content in contents],
            "pages": [[[c.text, c.row, c.col, c.row_span, c.col_span] for c in p.cells] for p in pages],
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
