"""The PDFium backend (the default) against pdfplumber (the reference) on every committed sample PDF.

Both backends feed the same cell builder, so they must give the same cells: text, row,
column and spans exactly, boxes within 1 pt. Where they legitimately differ, the
difference is named here:

- **Chromium renderings** (Type 3 fonts with a y-flipped FontMatrix): pdfminer sets the
  glyph box on the baseline, PDFium takes the font's descent (0.12 em) below it, as for
  every other font. Free-text cells (titles, section labels, whose box is the envelope of
  their glyphs) sit up to 0.12 × 14 pt ≈ 1.7 pt lower with PDFium; ruled cells, texts,
  rows, columns and spans are identical.
- **Pages without Unicode maps** (``result.garbled.pdf`` pages 3 and 5): both backends mark
  them for OCR with the same reason, but PDFium still decodes a few glyphs through the
  font's own encoding (digits, the space), so the count of unmapped glyphs in the message
  differs.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import pypdfium2.raw as pdfium_c

from plansheet.core.model import Page
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import PdfBackend, PdfSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SAMPLE_PDFS = sorted([*(ROOT / "samples" / "printed").glob("*.pdf"), *(ROOT / "samples" / "lineage").glob("*.pdf")])

BOX_TOLERANCE = 1.0
FREE_TEXT_BOX_TOLERANCE = {".chromium.pdf": 1.8}  # the Type 3 descent, see the module docstring


def _read(path: Path, backend: PdfBackend) -> list[Page]:
    return read_pdf(path, Settings(pdf=PdfSettings(backend=backend))).pages


def _tolerance(path: Path) -> float:
    return next((t for suffix, t in FREE_TEXT_BOX_TOLERANCE.items() if path.name.endswith(suffix)), BOX_TOLERANCE)


def test_every_sample_folder_has_pdfs() -> None:
    assert len(SAMPLE_PDFS) >= 20
    assert any(p.parent.name == "lineage" for p in SAMPLE_PDFS)


WRITER_SPACES = FIXTURES.parent / "fuzz" / "writer-officer-spaces-100-0000.pdf"


@pytest.mark.parametrize("path", SAMPLE_PDFS + [FIXTURES / "grid_merged.pdf", FIXTURES / "no_rules.pdf"],
                         ids=lambda p: p.name)
def test_pdfium_gives_the_cells_pdfplumber_gives(path: Path) -> None:
    fast, reference = _read(path, PdfBackend.PDFIUM), _read(path, PdfBackend.PDFPLUMBER)
    assert len(fast) == len(reference)
    for a, b in zip(fast, reference, strict=True):
        assert (a.number, round(a.width, 2), round(a.height, 2)) == (b.number, round(b.width, 2), round(b.height, 2))
        assert (a.problem is None) == (b.problem is None), (a.problem, b.problem)
        if a.problem is not None:
            assert a.problem.split(":")[0] == b.problem.split(":")[0] and "(cid:NNN)" in a.problem  # type: ignore[union-attr]
        assert [(c.text, c.row, c.col, c.row_span, c.col_span) for c in a.cells] == \
               [(c.text, c.row, c.col, c.row_span, c.col_span) for c in b.cells], f"page {a.number}"
        for ca, cb in zip(a.cells, b.cells, strict=True):
            assert ca.bbox is not None and cb.bbox is not None
            ruled = any(r.top <= cb.bbox.top + 0.01 and r.bottom >= cb.bbox.top - 0.01 for r in b.rules
                        if r.is_horizontal and r.x0 <= cb.bbox.x0 + 0.01 and r.x1 >= cb.bbox.x1 - 0.01)
            tolerance = BOX_TOLERANCE if ruled else _tolerance(path)
            gaps = [abs(u - v) for u, v in zip((ca.bbox.x0, ca.bbox.top, ca.bbox.x1, ca.bbox.bottom),
                                               (cb.bbox.x0, cb.bbox.top, cb.bbox.x1, cb.bbox.bottom))]
            assert max(gaps) <= tolerance, (a.number, ca.text, ca.bbox, cb.bbox)


def test_unmapped_glyphs_are_flagged_by_both_backends() -> None:
    for backend in PdfBackend:
        (page,) = _read(FIXTURES / "no_tounicode.pdf", backend)
        assert page.cells == () and page.problem is not None
        assert "have no Unicode mapping ((cid:NNN))" in page.problem, backend
    garbled = ROOT / "samples" / "printed" / "result.garbled.pdf"
    problems = [p.number for p in _read(garbled, PdfBackend.PDFIUM) if p.problem]
    assert problems == [3, 5]


def test_pdfium_keeps_a_space_drawn_as_its_own_text_object() -> None:
    """PDFium drops a real space drawn between two font switches and puts a generated one there."""
    pages = _read(ROOT / "samples" / "printed" / "volume.reportlab.pdf", PdfBackend.PDFIUM)
    assert "坂口 弘樹" in [c.text for c in pages[6].cells]


def test_pdfium_keeps_every_space_of_a_text_object_of_spaces() -> None:
    """Writer draws the spaces of ``総合政策監 山口 智弘`` as one text object in another font, placed
    apart; PDFium's text page keeps only its first space (fuzz variant 100-0000, Writer, 8 pt)."""
    cells = [c.text for c in _read(WRITER_SPACES, PdfBackend.PDFIUM)[0].cells]
    assert "総合政策監 山口 智弘(行財政健全化担当)" in cells
    assert "危機管理監 岡田 浩二(防災担当)" in cells
    assert cells == [c.text for c in _read(WRITER_SPACES, PdfBackend.PDFPLUMBER)[0].cells]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_rotated_pages_with_an_offset_media_box_read_alike(rotate: int, tmp_path: Path) -> None:
    """Both backends give coordinates from the top-left corner of the media box as the page is shown."""
    pikepdf = pytest.importorskip("pikepdf")
    target = tmp_path / f"rotated{rotate}.pdf"
    with pikepdf.open(FIXTURES / "grid_merged.pdf") as pdf:
        page = pdf.pages[0]
        page.obj.Rotate = rotate
        x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
        page.obj.MediaBox = [x0 + 20, y0 - 30, x1 + 20, y1 - 30]  # text and rules keep their place
        pdf.save(target)
    (fast,), (reference,) = _read(target, PdfBackend.PDFIUM), _read(target, PdfBackend.PDFPLUMBER)
    assert (round(fast.width, 2), round(fast.height, 2)) == (round(reference.width, 2), round(reference.height, 2))
    assert [(c.text, c.row, c.col) for c in fast.cells] == [(c.text, c.row, c.col) for c in reference.cells]
    assert len(fast.cells) > 5
    for a, b in zip(fast.cells, reference.cells, strict=True):
        assert a.bbox and b.bbox
        assert max(abs(a.bbox.x0 - b.bbox.x0), abs(a.bbox.top - b.bbox.top)) <= BOX_TOLERANCE, (a.text, a.bbox, b.bbox)


_CELLS_OF = """
import json, sys
if sys.argv[1] == "without-cffi":
    sys.modules["_cffi_backend"] = None  # import fails, as where cffi is not installed
from pathlib import Path
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import Settings
pages = [read_pdf(Path(p), Settings()).pages for p in sys.argv[2:]]
print(json.dumps([[(c.text, c.row, c.col, c.row_span, c.col_span, c.bbox and (c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom)) for c in page.cells]
                  for doc in pages for page in doc]))
"""


def test_without_cffi_the_reader_calls_pdfium_through_ctypes_with_the_same_cells() -> None:
    """Review of 27d6fe2: PDFium's per-character calls go through cffi's C backend; where it cannot be
    imported the same functions are called through ctypes, and every cell comes out the same."""
    import subprocess
    import sys

    files = [str(ROOT / "samples" / "printed" / name) for name in ("result.chromium.pdf", "reiwa1.cid.pdf")]
    cells = {mode: subprocess.run([sys.executable, "-c", _CELLS_OF, mode, *files], capture_output=True, text=True,
                                  check=True).stdout for mode in ("with-cffi", "without-cffi")}
    assert cells["with-cffi"] and cells["with-cffi"] == cells["without-cffi"]


def _strokes_pdf(target: Path) -> Path:
    """A page of rectangles, lines and curves (rounded boxes, a circle), as a sheet's drawing may hold."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    page = canvas.Canvas(str(target), pagesize=(400, 300))
    page.rect(20, 20, 160, 100)
    page.rect(200, 20, 150, 60, fill=1)
    page.line(20, 200, 380, 200)
    page.line(100, 150, 100, 280)
    page.roundRect(200, 120, 150, 80, 12)
    page.circle(80, 240, 25)
    path = page.beginPath()
    path.moveTo(30, 140)
    path.lineTo(170, 140)
    path.curveTo(180, 150, 180, 170, 170, 180)
    path.lineTo(30, 180)
    path.close()
    page.drawPath(path)
    page.save()
    return target


def _pdfium_strokes(path: Path) -> list[list[tuple[float, float, float, float]]]:
    from plansheet.readers.pdf.pdfium import PdfiumDocument

    with PdfiumDocument(path, None) as pdf:
        return [list(pdf.read(i).rules) for i in range(pdf.page_count)]


def test_path_points_read_in_one_go_give_the_strokes_of_four_calls_a_segment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium's array of a path's points, read in one go once its layout is checked against the calls,
    gives the strokes one call per value gives: on a drawing with curves and on every sample rendering."""
    from plansheet.readers.pdf import pdfium as backend

    files = [_strokes_pdf(tmp_path / "strokes.pdf"), *(ROOT / "samples" / "printed" / name for name in (
        "result.chromium.pdf", "seed.libreoffice.pdf", "seed.writer.pdf", "reiwa1.cid.pdf", "seed.reportlab.pdf"))]
    monkeypatch.setattr(backend._PointLayout, "kinds", {})  # the layout not trusted: four calls a segment
    called = [_pdfium_strokes(f) for f in files]
    monkeypatch.setattr(backend._PointLayout, "kinds", None)  # checked on the first path, then read in one go
    read = [_pdfium_strokes(f) for f in files]
    assert backend._PointLayout.kinds == {0: pdfium_c.FPDF_SEGMENT_LINETO, 1: pdfium_c.FPDF_SEGMENT_BEZIERTO,
                                          2: pdfium_c.FPDF_SEGMENT_MOVETO}
    assert read == called
    assert len(called[0][0]) >= 12  # the drawing's straight sides are there


def test_path_points_in_another_layout_are_read_by_the_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDFium whose points are not laid out as expected (here: the check told a wrong stride) is never read
    in one go, and the strokes are the same."""
    import struct

    from plansheet.readers.pdf import pdfium as backend

    target = _strokes_pdf(tmp_path / "strokes.pdf")
    monkeypatch.setattr(backend._PointLayout, "kinds", {})
    called = _pdfium_strokes(target)
    monkeypatch.setattr(backend._PointLayout, "kinds", None)
    monkeypatch.setattr(backend, "_POINT", struct.Struct("ffBB6x"))
    assert _pdfium_strokes(target) == called
    assert backend._PointLayout.kinds == {}


def test_path_points_are_trusted_only_once_a_checked_path_closes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review: a path that closes no segment proves nothing of the close flag's place, so the layout stays
    unchecked after it (and the next path is checked); the last segment must stand where the array puts it."""
    from reportlab.pdfgen import canvas

    from plansheet.readers.pdf import pdfium as backend

    open_only = tmp_path / "open.pdf"
    c = canvas.Canvas(str(open_only), pagesize=(200, 200))
    for y in (40, 80, 120):  # open polylines only: nothing closes
        path = c.beginPath()
        path.moveTo(20, y)
        path.lineTo(180, y)
        path.lineTo(180, y + 20)
        c.drawPath(path, stroke=1, fill=0)
    c.save()
    monkeypatch.setattr(backend._PointLayout, "kinds", {})
    called = _pdfium_strokes(open_only)
    monkeypatch.setattr(backend._PointLayout, "kinds", None)
    assert _pdfium_strokes(open_only) == called
    assert backend._PointLayout.kinds is None  # still to be checked on a path that closes


def _text_drawn_invisible(source: Path, target: Path, *, blocks: slice = slice(None), image: bool = False) -> None:
    """``source`` with the text blocks ``blocks`` drawn in render mode 3 (invisible, as an OCR layer over a
    scan is); with ``image`` a grey picture is drawn under the whole page first."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        ops = list(pikepdf.parse_content_stream(page))
        starts = [i for i, (_, op) in enumerate(ops) if str(op) == "BT"]
        hidden = set(starts[blocks])
        for i in reversed(starts):  # the mode outlives its block: every block sets its own
            ops.insert(i + 1, ([3 if i in hidden else 0], pikepdf.Operator("Tr")))
        if image:
            picture = pikepdf.Stream(pdf, bytes(range(64)), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                     Width=8, Height=8, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
            if "/XObject" not in page.Resources:
                page.Resources.XObject = pikepdf.Dictionary()
            page.Resources.XObject.Scan = picture
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            ops[:0] = [([], pikepdf.Operator("q")), ([x1 - x0, 0, 0, y1 - y0, x0, y0], pikepdf.Operator("cm")),
                       ([pikepdf.Name("/Scan")], pikepdf.Operator("Do")), ([], pikepdf.Operator("Q"))]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(target)


def test_a_few_invisible_lines_beside_the_text_are_read_with_it(tmp_path: Path) -> None:
    """Office draws a line whose font it may not embed as a picture, with the same text invisible over it:
    a few invisible lines among visible text are what the page shows, and are read like the rest."""
    shown = [c.text for c in _read(FIXTURES / "grid_merged.pdf", PdfBackend.PDFIUM)[0].cells]
    _text_drawn_invisible(FIXTURES / "grid_merged.pdf", tmp_path / "bitmap-text.pdf", blocks=slice(2, 5))
    assert [c.text for c in _read(tmp_path / "bitmap-text.pdf", PdfBackend.PDFIUM)[0].cells] == shown


def test_an_invisible_layer_without_a_picture_is_left_out(tmp_path: Path) -> None:
    """Text nobody can see on the printed page (all of it invisible, nothing under it) is not the sheet's."""
    _text_drawn_invisible(FIXTURES / "grid_merged.pdf", tmp_path / "hidden.pdf")
    (page,) = _read(tmp_path / "hidden.pdf", PdfBackend.PDFIUM)
    assert not [c.text for c in page.cells if c.text]


@pytest.mark.parametrize("stamped", [False, True], ids=["plain", "page-number-stamped"])
def test_a_scan_under_an_invisible_ocr_layer_is_read_as_a_scan(stamped: bool, tmp_path: Path) -> None:
    """Another program's OCR text over a scanned image is not taken as the page's text layer, even with a
    visible page number stamped on it afterwards: the page is a scan and needs plansheet's own OCR (here
    switched off, so the page says so). The pdfplumber backend cannot tell invisible text (pdfminer keeps
    no render mode): it reads the layer."""
    from plansheet.settings import OcrMode

    _text_drawn_invisible(FIXTURES / "grid_merged.pdf", tmp_path / "searchable.pdf", image=True,
                          blocks=slice(2, None) if stamped else slice(None))
    (page,) = read_pdf(tmp_path / "searchable.pdf", Settings(ocr_mode=OcrMode.NEVER)).pages
    assert page.cells == () and page.problem is not None and "another program's OCR layer" in page.problem
