"""The weakest-glyph rule on the front sheet: every OCR'd field, whatever table it lands in
(the basic policy, an officer, a legend entry, an overview value), is named in its page's
warning when one of its glyphs is below GLYPH_DOUBT (parsers/ocr_repair.py, ``weak_glyph``).

The front page of samples/scanned/result.scan.pdf, Tesseract's answers replayed from
tests/fixtures/ocr/cache_samples; the cells' own glyph scores say which fields must be named.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("cv2")

from plansheet.parsers.document import parse_pages  # noqa: E402
from plansheet.parsers.ocr_repair import (  # noqa: E402
    GLYPH_DOUBT, dictionary_word, doubt_below, is_weak_glyph_note, legend_confirmed, number_sign)
from plansheet.readers.ocr.reader import ocr_pdf_page  # noqa: E402
from plansheet.settings import OcrSettings, Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).parent / "fixtures" / "ocr" / "cache_samples"
SCAN = ROOT / "samples" / "scanned" / "result.scan.pdf"


@pytest.fixture(scope="module")
def front():
    settings = Settings(ocr=OcrSettings(cache_dir=str(CACHE), cache_replay_only=True))
    page = ocr_pdf_page(SCAN, 1, settings)
    (doc,) = parse_pages([page])
    named = [item for w in doc.warnings if is_weak_glyph_note(w)
             for item in w.split(") in ", 1)[1].removesuffix("; check these fields").split(", ")]
    return page, doc, named


def _weak(cell, text: str = "") -> bool:
    """A glyph below GLYPH_DOUBT that is not a sign the grammar writes in its number (a % after a digit),
    nor a kanji inside a dictionary word of the field's ``text`` (``dictionary_word``)."""
    weak = [d for d in cell.doubted_glyphs if d.confidence < doubt_below(d.text)]
    if weak:
        return not all(number_sign(d) or dictionary_word(d, text) for d in weak)
    return cell.weakest_glyph is not None and cell.weakest_glyph < GLYPH_DOUBT


def test_legend_entries_are_named_by_their_own_cells(front) -> None:
    page, doc, named = front
    legend = [c for c in page.cells if c.text[:1] in "ABCDE" and "%" in c.text]
    assert len(legend) == len(doc.grade_scale) == 5
    weak = {c.text[0] for c in legend if _weak(c)}
    assert weak and weak != {"A", "B", "C", "D", "E"}  # the scan has both: the test can fail either way
    items = [item.removeprefix("legend ") for item in named if item.startswith("legend ")]
    assert {item.split()[0] for item in items} == weak
    # an entry whose letter and bounds the legend's chain confirms is named by its words only
    confirmed = {b.grade for b in doc.grade_scale if id(b) in legend_confirmed(doc.grade_scale)}
    assert confirmed and confirmed != {b.grade for b in doc.grade_scale}  # this scan's legend has both kinds
    for item in items:
        assert item.split()[1:] in (["label"], ["description"]) if item[0] in confirmed else item in weak, item


def test_basic_policy_officers_and_overview_are_named_when_a_glyph_is_weak(front) -> None:
    page, doc, named = front
    policy = [c for c in page.cells if doc.basic_policy and c.text and c.text[:10] in doc.basic_policy]
    assert policy and ("basic policy" in named) == any(_weak(c, doc.basic_policy) for c in policy)
    for officer in doc.officers:
        cells = [c for c in page.cells if officer.name.replace(" ", "") in c.text.replace(" ", "")]
        assert (f"officer {officer.position}" in named) == any(_weak(c) for c in cells), officer
    assert not any(item.startswith("goal ") for item in named)  # no overview cell of this scan is weak


def test_an_overview_value_with_a_weak_glyph_names_the_goal_field_it_gave(front) -> None:
    """The same page with one overview cell's weakest glyph lowered below GLYPH_DOUBT (a made-up
    score on a real cell): the goal field the overview gave it to is named, and nothing else new."""
    page, doc, named = front
    goal = doc.goals[1]
    cells = [replace(c, weakest_glyph=GLYPH_DOUBT - 0.05) if c.text in (goal.field, goal.title) else c
             for c in page.cells]
    (again,) = parse_pages([replace(page, cells=tuple(cells))])
    now = [item for w in again.warnings if is_weak_glyph_note(w)
           for item in w.split(") in ", 1)[1].removesuffix("; check these fields").split(", ")]
    assert sorted(set(now) - set(named)) == [f"goal {goal.goal_no} field", f"goal {goal.goal_no} title"]
