"""A Chromium print drawn at another scale through form XObjects (fit to paper, 2-up) reads as the print does.

Chromium writes each glyph whose text its font's ToUnicode map cannot give (a kanji drawn with its Kangxi radical's
glyph: 方 長 目 …) inside an ``/ActualText`` span, and PDFium gives those characters' boxes and origins in the space of
the form that holds them, not the page's. The files are made by ``tests/fixtures/pdf/make_placed.py`` from the
committed Chromium prints (REVIEW6 Y2: the sheet was skipped as no management sheet, or read with the wrong stage,
department and goals).
"""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from plansheet.readers.pdf.pdfium import PdfiumDocument
from plansheet.settings import PdfBackend, PdfSettings, Settings
from truth import SAMPLES, load_truth, table_differences

PLACED = Path(__file__).parent / "fixtures" / "pdf" / "placed"
FITTED = PLACED / "result.chromium.fit-a4p.pdf"
TWO_UP = PLACED / "sidebyside.chromium.2-up.pdf"
TABLES = ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")


def test_every_glyph_of_a_fitted_page_is_where_the_scale_puts_the_page_s_glyph() -> None:
    with PdfiumDocument(SAMPLES / "printed" / "result.chromium.pdf", None) as document:
        page = document.read(0)
    with PdfiumDocument(FITTED, None) as document:
        fitted = document.read(0)
    scale = min(fitted.width / page.width, fitted.height / page.height)
    dx, dy = (fitted.width - page.width * scale) / 2, (fitted.height - page.height * scale) / 2
    want = [(g.text, round(g.x0 * scale + dx, 1), round(g.x1 * scale + dx, 1), round(g.bottom * scale + dy, 1))
            for g in page.glyphs]
    got = [(g.text, round(g.x0, 1), round(g.x1, 1), round(g.bottom, 1)) for g in fitted.glyphs]
    assert "方" in [g[0] for g in want] and "長" in [g[0] for g in want]  # drawn through /ActualText spans
    assert len(got) == len(want)
    off = [(w, g) for w, g in zip(sorted(want), sorted(got)) if w[0] != g[0] or max(
        abs(a - b) for a, b in zip(w[1:], g[1:])) > 0.2]
    assert off == []


def _extracted(path: Path, out: Path, backend: PdfBackend) -> tuple[list, dict]:
    results = plansheet.extract([path], out, output_format="parquet",
                                settings=Settings(pdf=PdfSettings(backend=backend)))
    return results, plansheet.load(out)


def _on_sheets(truth: dict, per_sheet: int) -> dict:
    """The truth of a print placed ``per_sheet`` pages to a sheet: page p is on sheet ⌈p / per_sheet⌉."""
    placed = {}
    for table, rows in truth.items():
        if not isinstance(rows, list):
            continue
        placed[table] = [dict(row) for row in rows]
        for row in placed[table]:
            if row.get("page") is not None:
                row["page"] = (row["page"] + per_sheet - 1) // per_sheet
            if row.get("page_count") is not None:
                row["page_count"] = (row["page_count"] + per_sheet - 1) // per_sheet
    return placed


@pytest.mark.parametrize("backend", [PdfBackend.PDFIUM, PdfBackend.PDFPLUMBER], ids=lambda b: b.value)
@pytest.mark.parametrize(("path", "source", "per_sheet"), [
    (FITTED, "result.chromium.pdf", 1), (TWO_UP, "sidebyside.chromium.pdf", 2)], ids=["fit-a4p", "2-up"])
def test_a_placed_chromium_print_reads_exactly_as_the_print(tmp_path: Path, path: Path, source: str,
                                                            per_sheet: int, backend: PdfBackend) -> None:
    results, tables = _extracted(path, tmp_path / "out", backend)
    assert [r.status.value for r in results] == ["ok"], [w for r in results for w in r.warnings]
    truth = _on_sheets(load_truth(SAMPLES / "printed" / source), per_sheet)
    for table in TABLES:
        assert table_differences(tables, truth, table) == [], table
