"""The needs-OCR verdict on text layers."""
from __future__ import annotations

from pathlib import Path

import pdfplumber

from plansheet.readers.pdf.quality import QualityVerdict, assess_page

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
GOOD = "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整を所管しています。"


def chars_of(name: str) -> list[str]:
    with pdfplumber.open(FIXTURES / name) as pdf:
        return [c["text"] for c in pdf.pages[0].chars]


def test_fires_on_fonts_whose_tounicode_maps_were_stripped() -> None:
    verdict = assess_page(chars_of("no_tounicode.pdf"))
    assert not verdict.usable
    assert verdict.reason is not None and "no Unicode mapping" in verdict.reason


def test_silent_on_good_pdfs() -> None:
    assert assess_page(chars_of("grid_merged.pdf")) == QualityVerdict(True)
    assert assess_page(chars_of("no_rules.pdf")) == QualityVerdict(True)


def test_good_japanese_and_kangxi_radicals_are_usable() -> None:
    assert assess_page(list(GOOD)).usable
    assert assess_page(list("今年度の達成⽬標（⻑期）")).usable  # radicals are repaired, not OCRed


def test_blank_page_is_usable_but_an_image_only_page_is_not() -> None:
    assert assess_page([]).usable
    assert assess_page([" ", "\n"]).usable
    verdict = assess_page([], has_images=True)
    assert not verdict.usable and verdict.reason == "no text layer (the page holds only images)"


def test_private_use_and_replacement_characters() -> None:
    assert "private-use" in (assess_page(list(GOOD[:20] + "\ue000\ue001\ue002")).reason or "")
    assert "U+FFFD" in (assess_page(list(GOOD[:20] + "\ufffd\ufffd")).reason or "")


def test_a_stray_unmapped_glyph_is_tolerated() -> None:
    assert assess_page(list(GOOD * 3) + ["(cid:12)"]).usable


def test_latin1_mojibake_instead_of_japanese() -> None:
    mojibake = "政策推進部".encode("utf-8").decode("latin-1") * 4
    verdict = assess_page(list(mojibake))
    assert not verdict.usable and "mojibake" in (verdict.reason or "")
    assert assess_page(list("3×4 = 12、温度 20°C、" + GOOD)).usable


def test_pdfium_glyphs_without_unicode_maps_are_flagged_like_pdfminers() -> None:
    """PDFium returns the raw character code (U+0001 …) for such glyphs; the backend writes (cid:NNN)."""
    from plansheet.readers.pdf.pdfium import PdfiumDocument

    with PdfiumDocument(FIXTURES / "no_tounicode.pdf", None) as pdf:
        texts = [g.text for g in pdf.read(0).glyphs]
    assert "(cid:1)" in texts and not any(len(t) == 1 and ord(t) < 0x20 for t in texts)
    verdict = assess_page(texts)
    assert not verdict.usable and "no Unicode mapping ((cid:NNN))" in (verdict.reason or "")
    with PdfiumDocument(FIXTURES / "grid_merged.pdf", None) as pdf:
        assert assess_page(g.text for g in pdf.read(0).glyphs) == QualityVerdict(True)
