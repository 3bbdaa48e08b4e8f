"""The text-layer PDF reader on small reportlab fixtures (tests/fixtures/pdf/make_fixtures.py)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from plansheet.errors import EncryptedPdfError, PlansheetError, TriageError
from plansheet.core.model import Cell, ExtractionMethod, SourceFormat
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import PdfBackend, PdfSettings, Settings

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


@pytest.fixture(scope="module")
def grid_page():  # type: ignore[no-untyped-def]
    pages = read_pdf(FIXTURES / "grid_merged.pdf", Settings(), words=True)
    assert pages.format is SourceFormat.PDF and pages.page_count == 1
    return pages.pages[0]


def cell_at(cells: tuple[Cell, ...], row: int, col: int) -> Cell:
    (cell,) = [c for c in cells if (c.row, c.col) == (row, col)]
    return cell


def test_text_above_the_table_is_kept_as_cells_on_the_first_rows(grid_page) -> None:  # type: ignore[no-untyped-def]
    assert grid_page.cells[0].text == "令和5年度 政策推進部の運営方針"
    assert grid_page.cells[0].row == 0
    assert grid_page.cells[1].text == "【基本方針】"
    assert (grid_page.cells[1].row, grid_page.cells[1].col) == (1, 0)
    assert cell_at(grid_page.cells, 2, 0).text == "部"


def test_merged_cell_spans_two_columns(grid_page) -> None:  # type: ignore[no-untyped-def]
    merged = cell_at(grid_page.cells, 4, 1)
    assert merged.text == "公民連携の拡充（2列結合）"
    assert (merged.row_span, merged.col_span) == (1, 2)
    assert merged.bbox is not None and (merged.bbox.x0, merged.bbox.x1) == (150, 520)
    assert cell_at(grid_page.cells, 4, 0).text == "重点目標 1"


def test_wrapped_cell_reads_its_three_lines_in_visual_order(grid_page) -> None:  # type: ignore[no-untyped-def]
    # The fixture writes these lines bottom-up in the content stream.
    assert cell_at(grid_page.cells, 3, 1).text == "市内外に柏原市の取組や魅力発信に向けて、広報かしわらの発信力を強化します。"
    assert cell_at(grid_page.cells, 3, 0).text == "今年度の達成目標"


def test_latin_words_get_spaces_from_their_gaps(grid_page) -> None:  # type: ignore[no-untyped-def]
    assert cell_at(grid_page.cells, 5, 1).text == "SNS Osaka Expo 2025"
    assert cell_at(grid_page.cells, 5, 2).text == "100%"


def test_cells_are_in_reading_order_and_geometry_is_kept(grid_page) -> None:  # type: ignore[no-untyped-def]
    keys = [(c.row, c.col) for c in grid_page.cells]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert grid_page.method is ExtractionMethod.TEXT_LAYER and grid_page.problem is None
    assert grid_page.cells[-1].text == "- 1 -"
    assert len(grid_page.rules) == 10
    assert any(w.text == "Osaka" for w in grid_page.words)


def test_page_without_rulings_reads_from_text_positions() -> None:
    (page,) = read_pdf(FIXTURES / "no_rules.pdf", Settings()).pages
    assert [(c.row, c.col, c.text) for c in page.cells] == [
        (0, 0, "令和5年度 市民部の運営方針"),
        (1, 0, "具体的取組"),
        (1, 1, "手拭いの作成と配布"),
        (2, 0, "所管室・課"),
        (2, 1, "秘書広報課"),
    ]


def test_page_without_unicode_maps_is_marked_for_ocr() -> None:
    (page,) = read_pdf(FIXTURES / "no_tounicode.pdf", Settings()).pages
    assert page.cells == ()
    assert page.problem is not None and page.problem.startswith("page 1 needs OCR: ")
    assert "(cid:NNN)" in page.problem


def test_garbage_file_is_a_triage_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not a pdf at all\n")
    with pytest.raises(TriageError, match="broken.pdf") as info:
        read_pdf(bad, Settings())
    assert info.value.__cause__ is not None


def test_encrypted_pdf_without_password(tmp_path: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(FIXTURES / "no_rules.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    with pytest.raises(EncryptedPdfError, match="locked.pdf"):
        read_pdf(locked, Settings())
    pages = read_pdf(locked, Settings(password="secret"))
    assert pages.pages[0].cells[0].text == "令和5年度 市民部の運営方針"
    assert issubclass(EncryptedPdfError, PlansheetError)


def test_debug_drawing_marks_cells_rules_and_labels(grid_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from plansheet.readers.pdf.draw import MAGENTA, draw_page

    out = draw_page(FIXTURES / "grid_merged.pdf", 1, grid_page, tmp_path / "p1.png", labels={(4, 1): "重点目標"}, scale=1.0)
    from PIL import Image

    with Image.open(out) as image:
        assert image.size[1] == 842 and abs(image.size[0] - 595) <= 1
        merged = grid_page.cells[[(c.row, c.col) for c in grid_page.cells].index((4, 1))]
        assert merged.bbox is not None
        assert image.convert("RGB").getpixel((int(merged.bbox.x0) + 40, int(merged.bbox.top) + 1)) == MAGENTA
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_pdfminer_failure_on_a_page_names_file_and_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from pdfplumber.utils.exceptions import PdfminerException

    import plansheet.readers.pdf.pdfplumber as backend

    def broken(page):  # type: ignore[no-untyped-def]
        raise PdfminerException(ValueError("bad content stream"))

    monkeypatch.setattr(backend, "page_content", broken)
    with pytest.raises(PlansheetError, match=r"no_rules.pdf: page 1 cannot be read \(ValueError: bad content stream\)") as info:
        read_pdf(FIXTURES / "no_rules.pdf", Settings(pdf=PdfSettings(backend=PdfBackend.PDFPLUMBER)))
    assert isinstance(info.value.__cause__, PdfminerException)


def test_a_pdfium_failure_on_a_page_names_file_and_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2 as pdfium

    def broken(self, index):  # type: ignore[no-untyped-def]
        raise pdfium.PdfiumError("Failed to load page.")

    monkeypatch.setattr(pdfium.PdfDocument, "__getitem__", broken)
    with pytest.raises(PlansheetError, match=r"no_rules.pdf: page 1 cannot be read \(Failed to load page.\)") as info:
        read_pdf(FIXTURES / "no_rules.pdf", Settings())
    assert isinstance(info.value.__cause__, pdfium.PdfiumError)


@pytest.mark.parametrize("backend", list(PdfBackend))
def test_both_backends_refuse_garbage_and_locked_files_alike(backend: PdfBackend, tmp_path: Path) -> None:
    settings = Settings(pdf=PdfSettings(backend=backend))
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not a pdf at all\n")
    with pytest.raises(TriageError, match="broken.pdf: corrupt or truncated PDF"):
        read_pdf(bad, settings)
    with pytest.raises(TriageError, match="missing.pdf: cannot open the file"):
        read_pdf(tmp_path / "missing.pdf", settings)
    pikepdf = pytest.importorskip("pikepdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(FIXTURES / "no_rules.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    with pytest.raises(EncryptedPdfError, match="locked.pdf: encrypted PDF: needs a password"):
        read_pdf(locked, settings)
    with pytest.raises(EncryptedPdfError, match="the password given does not open it"):
        read_pdf(locked, replace(settings, password="nope"))


def test_backend_setting_accepts_its_name_and_rejects_a_typo() -> None:
    assert PdfSettings().backend is PdfBackend.PDFIUM
    assert PdfSettings(backend="pdfplumber").backend is PdfBackend.PDFPLUMBER  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pdf.backend must be one of pdfium, pdfplumber"):
        PdfSettings(backend="pdfminer")  # type: ignore[arg-type]


LIBREOFFICE_SAMPLE = Path(__file__).parent.parent / "samples" / "printed" / "seed.libreoffice.pdf"


@pytest.mark.skipif(not LIBREOFFICE_SAMPLE.exists(), reason="samples not generated")
def test_libreoffice_print_gives_each_label_its_own_cell() -> None:
    """LibreOffice writes the labels first and the values after: reading order must come from positions."""
    page = read_pdf(LIBREOFFICE_SAMPLE, Settings()).pages[1]
    texts = [c.text for c in page.cells]
    for label in ("部", "重点目標 1", "今年度の達成目標", "達成状況", "達成度", "具体的取組", "所管室・課",
                  "具体的な取組実績", "総合評価・総括", "全体の達成度", "今後検討すべきこと"):
        assert label in texts, label
    assert texts[:4] == ["部", "政策推進部", "重点目標 1",
                         "シティプロモーションの強化のため広報かしわらや柏原市ウェブサイト、各種SNSなどを活用し、柏原市の魅力を市内外に発信"]


CHROMIUM_SAMPLE = Path(__file__).parent.parent / "samples" / "printed" / "seed.chromium.pdf"


@pytest.mark.skipif(not CHROMIUM_SAMPLE.exists(), reason="samples not generated")
def test_chromium_print_repairs_glyph_names_and_reads_filled_rectangle_borders() -> None:
    """Chromium names shared glyphs by their lowest code point (⽬ for 目, ‧ for ・), draws each border
    as a filled rectangle and uses Type 3 fonts for Noto Sans CJK."""
    page = read_pdf(CHROMIUM_SAMPLE, Settings()).pages[1]
    texts = [c.text for c in page.cells]
    assert texts[:3] == ["部", "政策推進部", "重点目標 1"]
    assert texts.count("今年度の達成目標") == 2
    assert any("2025年大阪・関西万博" in t for t in texts)
    assert not any(ch in t for t in texts for ch in "⽬⻑‧")


def test_word_boxes_only_when_asked_and_the_cells_do_not_change(grid_page) -> None:  # type: ignore[no-untyped-def]
    (plain,) = read_pdf(FIXTURES / "grid_merged.pdf", Settings()).pages
    assert plain.words == () and grid_page.words
    assert plain.cells == grid_page.cells and plain.rules == grid_page.rules
