"""A hard scan end to end: the top of a number-rich goal sheet scanned at 150 dpi, 1.6° skew,
JPEG quality 50 (tests/fixtures/ocr/hard/goal.scan.pdf, made by
samples.generate.hardscan.make_fixture with the truth beside it).

The default test replays Tesseract's answers (tests/fixtures/ocr/cache_hard, recorded by
record_cache.py --only hard). Tesseract reads ``32,942,289円`` as ``32.942,.289円`` and
``34%`` as ``34%%`` here; the post-correction (parsers/ocr_repair.py) puts both right, says so
in the document's notes and lowers that target's confidence. The one look-alike it cannot
decide (``検診`` read as ``横診`` in a word seen once) stays.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("cv2")

from plansheet.parsers.document import parse_pages  # noqa: E402
from plansheet.parsers.ocr_repair import (  # noqa: E402
    GLYPH_DOUBT, REPAIRED_CONFIDENCE, WEAK_GLYPH_CONFIDENCE, is_repair_note,
)
from plansheet.readers.ocr.reader import ocr_pdf_page  # noqa: E402
from plansheet.settings import OcrSettings, Settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"
SCAN = FIXTURES / "hard" / "goal.scan.pdf"
TRUTH = json.loads((FIXTURES / "hard" / "goal.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page():
    settings = Settings(ocr=OcrSettings(cache_dir=str(FIXTURES / "cache_hard"), cache_replay_only=True))
    return ocr_pdf_page(SCAN, 1, settings)


@pytest.fixture(scope="module")
def document(page):
    (doc,) = parse_pages([page])
    return doc


def test_numbers_and_grades_of_a_hard_scan_are_exact(document) -> None:
    assert document.department == TRUTH["department"]
    (goal,) = document.goals
    assert goal.goal_no == TRUTH["goal_no"] and goal.title == TRUTH["title"]
    for target, want in zip(goal.targets, TRUTH["targets"], strict=True):
        assert target.status == want["status"]
        assert target.grade == want["grade"]
    assert goal.targets[0].text == TRUTH["targets"][0]["text"]


def test_repairs_are_audited_and_lower_the_confidence(document) -> None:
    repairs = [w for w in document.warnings if is_repair_note(w)]
    assert "goal 1 target 1 (page 1) status: OCR repair (thousands_comma) '…費は32.942,.289円…' → '…費は32,942,289円…'" in repairs
    assert any(w.startswith("goal 1 target 1 (page 1) status: OCR repair (percent_doubled)") for w in repairs)
    first, second = document.goals[0].targets
    assert first.confidence <= REPAIRED_CONFIDENCE < second.confidence



def test_a_glyph_the_engine_doubted_makes_its_record_unsure(page, document) -> None:
    """Each cell carries its weakest glyph (Tesseract's symbol confidences, replayed); the
    status of target 2 has a glyph at 0.91 in a cell whose mean is 0.99: the target is not sure."""
    read = [c for c in page.cells if c.text]
    assert all(c.weakest_glyph is not None and c.weakest_glyph <= c.confidence for c in read)
    status = next(c for c in read if c.text.startswith("乳がん検診及び子宮頸がん検診"))
    assert status.confidence > 0.99 and status.weakest_glyph < GLYPH_DOUBT
    target = document.goals[0].targets[1]
    assert target.status.startswith("乳がん検診及び子宮頸がん検診")
    assert target.confidence == WEAK_GLYPH_CONFIDENCE
    # an initiative whose every glyph scored at least GLYPH_DOUBT keeps its mean confidence
    sure = [c for c in read if c.text.startswith("特定健康診査とがん検診を同じ日に")]
    assert sure[0].weakest_glyph >= GLYPH_DOUBT
    assert document.goals[0].initiatives[1].confidence == sure[0].confidence
