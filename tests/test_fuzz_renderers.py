"""The fuzzer's renderers that need outside tools (LibreOffice Calc and Writer, Chromium, OCR).

None of these tests runs LibreOffice: a missing tool must only leave its renderer out, with
one line saying so, and the Word document handed to Writer must carry the drawn layout.
"""
from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("docx")

from samples.generate import fuzz, layout
from samples.generate.fuzz_run import available


def test_a_renderer_whose_tool_is_missing_is_skipped_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", "")
    assert available(("text", "libreoffice", "writer", "xlsx")) == ("text", "xlsx")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("renderer libreoffice skipped: soffice not found")
    assert "libreoffice-writer-nogui" in lines[1]


def test_every_renderer_is_drawn_from_all() -> None:
    drawn = {fuzz.draw(5, i, fuzz.ALL_RENDERERS).renderer for i in range(80)}
    assert drawn == set(fuzz.ALL_RENDERERS)


def test_a_scan_variant_records_its_scanner() -> None:
    variant = next(v for v in (fuzz.draw(5, i, fuzz.ALL_RENDERERS) for i in range(80)) if v.renderer == "scan")
    assert variant.params["scan_dpi"] in (150, 200, 300)
    assert -2.0 <= float(variant.params["scan_skew_deg"]) <= 2.0  # type: ignore[arg-type]
    assert 50 <= int(variant.params["scan_jpeg_quality"]) <= 75  # type: ignore[call-overload]


def test_the_word_document_carries_the_drawn_layout(tmp_path: Path) -> None:
    from samples.generate import content
    from samples.generate.render_docx import write_docx

    style = layout.Style(font_size=8.0, leading=10.4, pad=1.5, kinsoku=False, hanging=True)
    d = content.DEPARTMENTS["seed"]
    out = tmp_path / "seed.docx"
    write_docx(layout.department_pages(d, style), out, d.title)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert '<w:kinsoku w:val="0"/>' in xml and '<w:kinsoku w:val="1"/>' not in xml
    assert '<w:overflowPunct w:val="1"/>' in xml
    assert '<w:left w:w="30" w:type="dxa"/>' in xml  # 1.5 pt of cell padding, in twentieths
    assert '<w:sz w:val="16"/>' in xml  # the 9 pt cells at 8 pt, in half-points
    assert 'w:lineRule="exact" w:line="208"' in xml  # 10.4 pt leading, in twentieths


def test_a_wrong_scan_field_is_marked_low_but_still_silent_in_a_file_marked_ok() -> None:
    import pandas as pd

    from samples.generate.fuzz_run import Outcome, compare

    truth = {t: [] for t in ("documents", "officers", "goals", "grade_scale", "initiatives")}
    truth["targets"] = [{"doc": 1, "goal_no": 1, "target_no": 1, "text": "計画を策定します。"},
                        {"doc": 1, "goal_no": 1, "target_no": 2, "text": "施設を公表します。"}]
    frames = {t: pd.DataFrame({"doc_id": pd.Series([], dtype=str)}) for t in truth}
    frames["targets"] = pd.DataFrame({"doc_id": ["d-1", "d-1"], "goal_no": [1, 1], "target_no": [1, 2],
                                      "text": ["計画を策定しまk在", "施設を公表します曹"], "confidence": [0.55, 0.9]})
    _, differences = compare(frames, {"d-1": 1}, truth, doubt=0.6)
    assert [d.endswith("(low confidence)") for d in differences] == [True, False]
    assert Outcome("x", {}, "ok", 2, 1, differences[:1]).silent is True  # ok promises every field
    assert Outcome("x", {}, "partial", 2, 2, differences).silent is False
    assert Outcome("x", {}, "ok", 2, 0, []).silent is False


def test_a_wrong_field_no_warning_names_is_counted_unnamed() -> None:
    """A partial file's wrong target text counts as unnamed unless a warning names that target's text."""
    import pandas as pd

    from samples.generate.fuzz_run import compare_fields, unnamed

    truth = {t: [] for t in ("documents", "officers", "goals", "grade_scale", "initiatives")}
    truth["targets"] = [{"doc": 1, "goal_no": 2, "target_no": 1, "text": "計画を策定します。"},
                        {"doc": 1, "goal_no": 2, "target_no": 2, "text": "施設を公表します。"}]
    frames = {t: pd.DataFrame({"doc_id": pd.Series([], dtype=str)}) for t in truth}
    frames["targets"] = pd.DataFrame({"doc_id": ["d-1"], "goal_no": [2], "target_no": [1],
                                      "text": ["計画を策定しまk在"], "confidence": [0.55]})
    found = compare_fields(frames, {"d-1": 1}, truth)
    assert [(t, r["target_no"], c, lost) for t, r, c, lost in found.wrong] == [
        ("targets", 1, "text", False), ("targets", 2, "", True)]
    assert unnamed(found.wrong, []) == 2
    assert unnamed(found.wrong, ["goal 2 target 1 (page 3) text: OCR text doubtful (unbalanced brackets)"]) == 1
    assert unnamed(found.wrong, ["page 3: OCR unsure of a glyph (confidence below 0.978) in goal 2 target 1 text, "
                                 "goal 2 target 2 text; check these fields"]) == 0


def test_a_goal_too_tall_for_the_room_a_browser_needs_is_left_out() -> None:
    """Chromium variant 401-0002 (9.5 pt, 4 pt padding, two targets): its goal sheet is taller than
    the 80 % of a page left to Chromium even with one initiative and every text cut short."""
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    def labels_above(variant: fuzz.Variant) -> fuzz.Variant:  # the variant draws labels beside their texts,
        variant.style = replace(variant.style, side_labels=False,  # which saves the rows that made it too tall;
                                print_titles="")  # its reportlab draw repeats the title rows, which take room
        return variant

    with pytest.raises(fuzz.UnfitVariant, match="goal ① does not fit a page"):  # the variant numbers its goals ①…
        fuzz.fit(labels_above(fuzz.draw(401, 2, ("chromium",))))
    variant = labels_above(fuzz.draw(401, 2, ("reportlab",)))  # the same sheet, when the whole page is there
    fuzz.fit(variant)
    assert variant.department.goals


def test_a_hostile_producer_writes_radicals_out_of_order_and_spread_and_the_sheet_reads_back(tmp_path: Path) -> None:
    """The producer hazards change the text layer (radical code points and CJK compatibility
    ideographs, voiced kana written with a combining mark, a content-stream order that is not
    reading order, labels spread across their cells, labels and titles drawn twice for a bold the
    font lacks, a draft's stamp drawn aslant over the cells, a portrait page turned by /Rotate),
    never what the page says."""
    import pypdfium2 as pdfium

    from samples.generate import content
    from samples.generate.render_pdf import IPAEX_PATHS, Hazards, draw_pages
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) draws the radicals")

    d = content.DEPARTMENTS["seed"]
    plain, hostile = tmp_path / "plain.pdf", tmp_path / "hostile.pdf"
    draw_pages(layout.department_pages(d), plain, "ipaex", d.title)
    draw_pages(layout.department_pages(d), hostile, "ipaex", d.title,
               Hazards(radicals=True, order="shuffled", distributed_labels=True, rotate=90, decomposed=True,
                       bold_labels=True, watermark="（案）", seed="t"))

    def first_page_text(path: Path) -> str:
        doc = pdfium.PdfDocument(path)
        try:
            return doc[0].get_textpage().get_text_range()
        finally:
            doc.close()

    plain_text, hostile_text = first_page_text(plain), first_page_text(hostile)
    assert "⻑" in hostile_text or "⾧" in hostile_text  # 部長 written with a radical for 長
    assert "部長" in plain_text and "部長" not in hostile_text
    assert any(0xF900 <= ord(c) < 0xFB00 for c in hostile_text)  # e.g. 者 U+FA5B for 者
    assert "\u3099" in hostile_text and "\u3099" not in plain_text  # が written か + combining mark
    assert plain_text.splitlines()[0] != hostile_text.splitlines()[0]  # another stream order
    hostile_page = pdfium.PdfDocument(hostile)[0]
    assert hostile_page.get_rotation() == 90 and hostile_page.get_size()[0] > hostile_page.get_size()[1]
    assert _reads_as(plain, hostile, tmp_path) == {"ok"}


def test_a_title_drawn_twice_for_bold_reads_once_without_spaces(tmp_path: Path) -> None:
    """Fuzz 41785-0030: the title drawn twice a quarter point apart, in several font runs (an
    embedded subset switches fonts); PDFium keeps the first drawing, and each run of the second
    held no text on the text page, so it was taken for a lone space: 令 和4 年度 … 運 営方針, and the
    document had no fiscal year."""
    from samples.generate import content
    from samples.generate.render_pdf import IPAEX_PATHS, Hazards, draw_pages
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) draws the sheet")
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import Settings

    d = content.DEPARTMENTS["seed"]
    path = tmp_path / "bold.pdf"
    draw_pages(layout.department_pages(d)[:1], path, "ipaex", d.title, Hazards(bold_labels=True, seed="b"))
    texts = [c.text for c in read_pdf(path, Settings()).pages[0].cells]
    assert d.title in texts
    assert "部長" in texts and "【基本方針】" in texts


@pytest.mark.parametrize("backend", ["pdfium", "pdfplumber"])
def test_a_stamp_drawn_aslant_over_the_sheet_is_no_cell_text(tmp_path: Path, backend: str) -> None:
    """Fuzz 41787: 写 stamped large at 30° across each page fell into the cells under it (写 as a
    goal's 総合評価, 企画調整課写 as a section) on both backends."""
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import PdfBackend, PdfSettings, Settings

    from samples.generate import content
    from samples.generate.render_pdf import Hazards, draw_pages

    d = content.DEPARTMENTS["result"]
    plain, stamped = tmp_path / "plain.pdf", tmp_path / "stamped.pdf"
    draw_pages(layout.department_pages(d), plain, "cid", d.title)
    draw_pages(layout.department_pages(d), stamped, "cid", d.title, Hazards(watermark="写", seed="w"))
    settings = Settings(pdf=PdfSettings(backend=PdfBackend(backend)))
    assert "写" not in "".join(c.text for p in read_pdf(plain, settings).pages for c in p.cells)
    read = [[c.text for c in p.cells] for p in read_pdf(stamped, settings).pages]
    assert read == [[c.text for c in p.cells] for p in read_pdf(plain, settings).pages]


def test_what_a_workbook_hides_is_not_read(tmp_path: Path) -> None:
    """A hidden column of working notes beside each sheet and a hidden row inside it hold text
    nobody sees in Excel or on the printout: the workbook reads as the one without them."""
    from openpyxl import load_workbook

    from samples.generate import content
    from samples.generate.render_pdf import IPAEX_PATHS
    from samples.generate.render_xlsx import write_workbook
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures the rows")

    d = content.DEPARTMENTS["result"]
    plain, noted = tmp_path / "plain.xlsx", tmp_path / "noted.xlsx"
    write_workbook(layout.department_pages(d), plain, d.title)
    write_workbook(layout.department_pages(d), noted, d.title, hidden_notes=True)
    sheet = load_workbook(noted).worksheets[1]
    assert any(dim.hidden for dim in sheet.row_dimensions.values())
    assert any(dim.hidden for dim in sheet.column_dimensions.values())
    assert any(c.value == "確認済" for row in sheet.iter_rows() for c in row)
    assert _reads_as(plain, noted, tmp_path) == {"ok"}


def _reads_as(plain: Path, other: Path, tmp_path: Path) -> set[str]:
    """Convert both files; assert ``other`` gives the rows ``plain`` gives (what the sheet says, not
    which file said it); return the statuses of ``other``'s sources."""
    import re

    import pandas as pd
    import plansheet

    frames = {}
    for path in (plain, other):
        out = tmp_path / f"out-{path.stem}"
        plansheet.extract([path], out, output_format="parquet")
        frames[path] = plansheet.load(out)
    for table in ("documents", "officers", "goals", "targets", "initiatives"):
        keep = [c for c in frames[plain][table].columns if not re.search(r"sha256|_id$|file|path|_at$", c)]
        pd.testing.assert_frame_equal(frames[plain][table][keep].reset_index(drop=True),
                                      frames[other][table][keep].reset_index(drop=True), obj=table)
    return set(frames[other]["sources"]["status"])


def test_a_page_that_runs_over_its_paper_leaves_the_variant_out_and_the_run_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """REVIEW4 W2: fuzz 56003-0027 (reportlab) lays out a front sheet 544 pt high on a 529 pt body; ReportLab's
    RuntimeError aborted the whole seed, where a variant the renderer cannot print as laid out (the cid renderer's,
    LibreOffice's) is left out with one line and the others are scored."""
    from samples.generate.fuzz_run import run

    outcomes = run(30, 56003, tmp_path, ("reportlab", "cid"), indices=[27, 26])
    assert [o.name for o in outcomes] == ["56003-0026-reportlab.pdf"]
    err = capsys.readouterr().err
    assert "56003-0027-reportlab: not rendered as laid out (56003-0027-reportlab.pdf: page 1 (運営方針) is 544pt high" in err
