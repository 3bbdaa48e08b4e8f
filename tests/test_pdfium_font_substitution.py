"""The PDFium backend reads fonts the PDF does not embed the same whatever fonts the machine has.

PDFium draws such a font with a substitute from the machine's fonts and leaves out of its
text page any text object whose glyphs the substitute lacks (a one-character cell such as
部 or 監 in a CJK font, on a machine without CJK fonts). The backend must still give
pdfplumber's cells. ``pdfium_without_system_fonts.py`` runs the PDFium backend in a
subprocess whose PDFium has no system fonts at all.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plansheet.readers.pdf.pdfplumber import PdfplumberDocument
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import PdfBackend, PdfSettings, Settings

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PRINTED = ROOT / "samples" / "printed"
CID_PDFS = [PRINTED / "seed.cid.pdf", PRINTED / "result.cid.pdf", PRINTED / "sidebyside.cid.pdf"]
POSITION_TOLERANCE = 0.05


@pytest.fixture(scope="module")
def read_without_fonts() -> dict:
    """What the PDFium backend reads from :data:`CID_PDFS` with no system fonts."""
    done = subprocess.run(
        [sys.executable, str(TESTS / "pdfium_without_system_fonts.py"), *map(str, CID_PDFS)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    return json.loads(done.stdout)


def test_pdfium_without_system_fonts_gives_pdfplumbers_cells(read_without_fonts: dict) -> None:
    read = read_without_fonts
    reference_settings = Settings(pdf=PdfSettings(backend=PdfBackend.PDFPLUMBER))
    for path in CID_PDFS:
        found = read[path.name]
        assert found["left_out"] > 0, f"{path.name}: PDFium had a font for every glyph, the test proves nothing"
        reference = [[[c.text, c.row, c.col, c.row_span, c.col_span] for c in p.cells]
                     for p in read_pdf(path, reference_settings).pages]
        assert found["pages"] == reference, path.name
    first_page_texts = [cell[0] for cell in read["seed.cid.pdf"]["pages"][0]]
    assert "部" in first_page_texts and "監" in first_page_texts


def test_glyph_boxes_without_system_fonts_are_the_pdfs_advance_widths(read_without_fonts: dict) -> None:
    """A glyph in a non-embedded font is as wide as the PDF says, not as its substitute's outline.

    ``sidebyside.cid.pdf`` page 4 has no one-character text object, so PDFium reads it
    itself (with its Latin fallback font for the digits and letters) rather than handing it
    to pdfplumber: its boxes must still be pdfminer's.
    """
    path = PRINTED / "sidebyside.cid.pdf"
    with PdfplumberDocument(path, None) as pdf:
        reference = [pdf.read(i).glyphs for i in range(pdf.page_count)]
    checked = 0
    for fast, slow in zip(read_without_fonts[path.name]["glyphs"], reference, strict=True):
        by_text: dict[str, list[list]] = {}
        for text, x0, top, x1 in fast:
            by_text.setdefault(text, []).append([x0, top, x1])
        for glyph in (g for g in slow if g.text.strip()):
            match = [x1 for x0, top, x1 in by_text.get(glyph.text, [])
                     if abs(x0 - glyph.x0) <= POSITION_TOLERANCE and abs(top - glyph.top) <= POSITION_TOLERANCE]
            assert match and abs(match[0] - glyph.x1) <= POSITION_TOLERANCE, (glyph, match)
            checked += glyph.text.isascii()
    assert checked > 30  # digits and Latin letters: what the fallback font does draw
