"""An encrypted scan is OCRed with the run's --password (the OCR reader and the debug drawing
open the PDF themselves, so each must be given the password too).

The encrypted file is made here from the small scanned fixture with pikepdf; the image bytes
are unchanged by the encryption, so the recorded Tesseract answers replay.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("cv2")
pikepdf = pytest.importorskip("pikepdf")

from plansheet.core.model import ExtractionMethod, Page, SourceFormat, SourcePages  # noqa: E402
from plansheet.errors import PlansheetError  # noqa: E402
from plansheet.pipeline.ocr_routing import apply_ocr  # noqa: E402
from plansheet.readers.ocr.reader import ocr_pdf_page  # noqa: E402
from plansheet.readers.pdf.draw import draw_page  # noqa: E402
from plansheet.settings import OcrSettings, Settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"
SCAN = FIXTURES / "scan_small.scan.pdf"


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locked") / "locked.scan.pdf"
    with pikepdf.open(SCAN) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="owner", user="secret", R=6))
    return target


def _settings(password: str | None) -> Settings:
    return Settings(password=password, ocr=OcrSettings(cache_dir=str(FIXTURES / "cache"), cache_replay_only=True))


def test_ocr_of_an_encrypted_scan_uses_the_password(locked: Path) -> None:
    plain = ocr_pdf_page(SCAN, 1, _settings(None))
    page = ocr_pdf_page(locked, 1, _settings("secret"))
    assert page.method is ExtractionMethod.OCR
    assert [c.text for c in page.cells] == [c.text for c in plain.cells]
    assert "【基本方針】" in [c.text for c in page.cells]


def test_ocr_of_an_encrypted_scan_without_the_password_fails_clearly(locked: Path) -> None:
    with pytest.raises(PlansheetError, match="cannot open for OCR"):
        ocr_pdf_page(locked, 1, _settings(None))


def test_ocr_routing_passes_the_password(locked: Path) -> None:
    flagged = SourcePages(SourceFormat.PDF, [Page(1, (), ExtractionMethod.TEXT_LAYER, problem="no text layer")])
    pages, done, warnings = apply_ocr(locked, flagged, _settings("secret"))
    assert done == 1 and warnings == []
    assert pages.pages[0].method is ExtractionMethod.OCR and pages.pages[0].cells


def test_debug_drawing_of_an_encrypted_scan(locked: Path, tmp_path: Path) -> None:
    page = ocr_pdf_page(locked, 1, _settings("secret"))
    out = draw_page(locked, 1, page, tmp_path / "p1.png", scale=0.5, password="secret")
    assert out.stat().st_size > 1000
