"""A label printed again in a scanned document is taken from its first reading (readers/ocr/repeats.py).

Replayed on the committed scanned sample (its Tesseract answers in tests/fixtures/ocr/cache_samples):
a document read with one memo for all its pages asks the engine fewer times and gives every cell the
text it gets when each line is read; the label inks the memo keeps lie a scan's noise from themselves
shifted, and far from each other and from a copy with one glyph's ink taken away; a label scanned
sharper (its crop enlarged to 300 dpi) is recalled by its 200-dpi reading, another label is not.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("cv2")

from plansheet.pipeline.ocr_routing import label_memo, repeatable_label  # noqa: E402
from plansheet.readers.ocr import reader as R  # noqa: E402
from plansheet.readers.ocr.image import ink_distance  # noqa: E402
from plansheet.readers.ocr.repeats import SAME_INK, LabelMemo, LineInk  # noqa: E402
from plansheet.settings import OcrSettings, Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "samples" / "scanned" / "result.scan.pdf"
CACHE = Path(__file__).parent / "fixtures" / "ocr" / "cache_samples"


def read(monkeypatch: pytest.MonkeyPatch, memo) -> tuple[list, int]:  # noqa: ANN001 (a LabelMemo or None)
    """Every page's cells, and how many times the engine was asked."""
    settings = Settings(ocr=OcrSettings(cache_dir=str(CACHE), cache_replay_only=True))
    calls = [0]
    opened = R.open_engine

    def counting(ocr: OcrSettings):  # noqa: ANN202
        engine = opened(ocr)

        class Counted:
            language = engine.language
            version = engine.version

            def recognize(self, image, psm, dpi):  # noqa: ANN001, ANN202
                calls[0] += 1
                return engine.recognize(image, psm, dpi)
        return Counted()

    monkeypatch.setattr(R, "open_engine", counting)
    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(str(SCAN)))
    return [R.ocr_pdf_page(SCAN, n, settings, memo) for n in range(1, count + 1)], calls[0]


@pytest.fixture(scope="module")
def both() -> tuple:
    with pytest.MonkeyPatch.context() as mp:
        plain, asked = read(mp, None)
        memo = label_memo()
        remembered, asked_with_memo = read(mp, memo)
    return plain, asked, remembered, asked_with_memo, memo


def test_a_label_printed_again_is_not_read_again(both: tuple) -> None:
    plain, asked, remembered, asked_with_memo, memo = both
    assert memo.recalled > 20  # 具体的取組, 所管室・課, 具体的な取組実績 … on every goal sheet
    assert asked_with_memo == asked - memo.recalled
    for page, again in zip(plain, remembered):
        assert [(c.row, c.col, c.text) for c in page.cells] == [(c.row, c.col, c.text) for c in again.cells]


def test_the_memo_keeps_only_labels_the_grammar_reads_through_a_misread_glyph(both: tuple) -> None:
    memo = both[4]
    kept = {seen.text for seen in memo.seen}
    assert {"具体的取組", "所管室・課", "具体的な取組実績"} <= kept
    assert all(repeatable_label(text) for text in kept)
    assert not any(repeatable_label(t) for t in ("達成度", "重点目標1", "令和5年度達成状況", "市民協働課", "部長"))


def test_ink_distance_tells_a_repeat_from_another_text(both: tuple) -> None:
    memo = both[4]
    first = {}
    for seen in memo.seen:
        first.setdefault(seen.text, seen.line.ink)
    initiative, section = first["具体的取組"], first["所管室・課"]
    shifted = np.zeros_like(initiative)
    shifted[1:, 1:] = initiative[:-1, :-1]
    assert ink_distance(initiative, initiative) == 0.0
    assert ink_distance(initiative, shifted) <= SAME_INK  # a pixel of phase, the last row and column lost
    assert ink_distance(initiative, section) > 3 * SAME_INK  # five characters each, about as wide
    em = initiative.shape[0]
    glyph_lost = initiative.copy()
    glyph_lost[:, 2 * em : 3 * em] = 0  # the third character's ink taken away (的 of 具体的取組)
    assert ink_distance(initiative, glyph_lost) > 10 * SAME_INK


def test_a_label_scanned_at_another_resolution_is_compared_at_the_lower_one(both: tuple) -> None:
    import cv2

    memo = both[4]
    first = {}
    for seen in memo.seen:
        first.setdefault(seen.text, seen)
    assert {seen.line.dpi for seen in memo.seen} == {200}

    def at_300(text: str) -> LineInk:
        line = first[text].line
        gray = cv2.resize(line.gray, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
        ink = (gray <= line.threshold).astype(np.uint8)
        ys, xs = np.nonzero(ink)
        return LineInk(ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], gray, line.threshold, 300)

    kept = LabelMemo(lambda text: True)
    kept.note(first["具体的取組"].line, "具体的取組", first["具体的取組"].words)
    assert kept.recall(at_300("具体的取組")) == ("具体的取組", first["具体的取組"].words)
    assert kept.recall(at_300("所管室・課")) is None  # as wide and as high, another label
    assert kept.recalled == 1


def test_a_reading_that_lost_glyphs_is_not_kept_for_the_repeats() -> None:
    """A line as long as 具体的取組実績 (seven glyphs of its height) read as 具体的取組, itself a label,
    would be handed to every repeat of that line: a reading is kept only when it spans the ink."""
    memo = LabelMemo(reusable=repeatable_label)
    height = 24
    ink = np.zeros((height, 7 * height), dtype=bool)
    ink[:, ::3] = True
    line = LineInk(ink, np.where(ink, 0, 255).astype(np.uint8), 128, 200)
    memo.note(line, "具体的取組", ())
    assert memo.seen == []  # five glyphs for a line seven glyphs long
    memo.note(line, "具体的取組実績", ())
    assert [s.text for s in memo.seen] == ["具体的取組実績"]
    assert memo.recall(line) == ("具体的取組実績", ())


def test_ink_lost_at_a_lines_right_edge_is_seen() -> None:
    """Review: the em-wide windows stepped a quarter em from the left, so at some widths the last
    columns of a line stood in no window, and a line with its last strokes gone lay at distance 0."""
    for width in range(40, 70):
        a = np.zeros((20, width), np.uint8)
        a[:, ::2] = 1
        a[:, -1] = 1
        assert ink_distance(a, a[:, :-4].copy(), shift=0) > SAME_INK, width
