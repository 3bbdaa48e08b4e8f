"""The OCR reader's fourth look (a line read again where a kanji word is one no dictionary knows) and the
dictionary it asks: a reading the dictionary chose keeps the first reading's doubt; the dictionary is one a
thread; without it, OCR goes on."""
from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

from plansheet.core import lexicon
from plansheet.readers.ocr import reader
from plansheet.readers.ocr.engine import OcrResult, OcrWord
from plansheet.readers.ocr.reader import ocr_image
from plansheet.settings import OcrSettings, Settings


def one_line_cell(right: int, glyphs: int) -> np.ndarray:
    """A grey page with one ruled cell (x 50 to ``right``, y 100 to 150) holding a line of ``glyphs`` dark
    glyph-sized blocks, 30 px apart from x 100."""
    import cv2

    page = np.full((400, right + 100), 245, np.uint8)
    for y in (100, 150):
        cv2.line(page, (50, y), (right, y), 0, 3)
    for x in (50, right):
        cv2.line(page, (x, 100), (x, 150), 0, 3)
    for x in range(100, 100 + 30 * glyphs, 30):
        page[112:138, x:x + 24] = 0
    return page


class NameEngine:
    """Reads a name with its own variant kanji (髙橋一郎, 髙 doubted at 0.95) at the first look, and as the common
    form (高橋一郎, sure) at any smaller scale."""

    language = "jpn"

    def __init__(self) -> None:
        self.heights: list[int] = []

    def version(self) -> str:
        return "stub"

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        self.heights.append(image.shape[0])
        first = image.shape[0] >= self.heights[0]
        text, confidences = ("髙橋一郎", [0.95, 0.999, 0.999, 0.999]) if first else ("高橋一郎", [0.999] * 4)
        return OcrResult(tuple(OcrWord(ch, c, 0, 0, 1, 1, 0, 0) for ch, c in zip(text, confidences)))


def test_a_reading_the_dictionary_chose_keeps_the_first_readings_doubt(monkeypatch: pytest.MonkeyPatch) -> None:
    page = one_line_cell(900, 4)  # a name of four glyphs
    engine = NameEngine()
    monkeypatch.setattr(reader, "open_engine", lambda settings: engine)
    (cell,) = [c for c in ocr_image(page, 1, Settings(ocr=OcrSettings(dpi=200, sharpen_amount=0.0))).cells if c.text]
    assert len(set(engine.heights)) == 2  # read again, smaller
    assert cell.weakest_glyph is not None and cell.weakest_glyph <= 0.95  # still doubted: the field is named


def test_each_thread_has_its_own_tagger() -> None:
    taggers = [lexicon._tagger()]
    thread = threading.Thread(target=lambda: taggers.append(lexicon._tagger()))
    thread.start()
    thread.join()
    assert taggers[0] is not None and taggers[1] is not None and taggers[0] is not taggers[1]


def test_without_the_dictionary_ocr_words_are_neither_named_nor_forgiven(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fugashi", None)  # the import fails, as where the wheel is missing
    monkeypatch.setattr(lexicon, "_LOCAL", threading.local())
    monkeypatch.setattr(lexicon, "_UNAVAILABLE", [])
    lexicon.tokens.cache_clear()
    try:
        assert lexicon.unknown_words("人権優害の防止") == []
        assert not lexicon.in_known_word("施設の維持管理", 4)
        assert lexicon._UNAVAILABLE and "fugashi" in lexicon._UNAVAILABLE[0]
    finally:
        lexicon.tokens.cache_clear()


class LookAlikeEngine:
    """Hard scan 17010's readings of ``…事業費の一部を補助する…``: 祷助 at the first look (sure of it), then the
    ``readings`` given, one a look."""

    language = "jpn"

    def __init__(self, *readings: str) -> None:
        self.readings = ("事業費の一部を祷助する", *readings)
        self.calls = 0

    def version(self) -> str:
        return "stub"

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        text = self.readings[min(self.calls, len(self.readings) - 1)]
        self.calls += 1
        return laid_out(text, image, {"祷": 0.97})


def laid_out(text: str, image: np.ndarray, doubted: dict[str, float]) -> OcrResult:
    """``text`` read from ``image`` as the engine gives it: one glyph an em, side by side across the image's
    ink (a 10-px white border either side), each sure of itself but those ``doubted``."""
    step = (image.shape[1] - 20) / max(len(text), 1)
    return OcrResult(tuple(OcrWord(ch, doubted.get(ch, 0.999), round(10 + k * step), 10, round(10 + (k + 1) * step) - 2,
                                   image.shape[0] - 10, 0, 0) for k, ch in enumerate(text)))


@pytest.mark.parametrize(("readings", "calls"), [
    # 17010 at 0.8: 補助, and 一 read as ー there (a mark the grammar puts back): the kanji alone is taken
    (("事業費のー部を補助する",), 2),
    # a smaller look that changes another glyph is not taken; the larger one is tried, then black and white
    (("事業費の一部を補助すろ", "事業費の一部を補助する"), 3),
    (("事業費の一部を補助すろ", "事業費の一部を祷助する", "事業費の一部を補助する"), 4),
])
def test_only_the_kanji_of_another_look_are_taken(monkeypatch: pytest.MonkeyPatch, readings: tuple[str, ...],
                                                  calls: int) -> None:
    page = one_line_cell(900, 11)
    engine = LookAlikeEngine(*readings)
    monkeypatch.setattr(reader, "open_engine", lambda settings: engine)
    (cell,) = [c for c in ocr_image(page, 1, Settings(ocr=OcrSettings(dpi=200, sharpen_amount=0.0))).cells if c.text]
    assert cell.text == "事業費の一部を補助する" and engine.calls == calls
    assert cell.weakest_glyph is not None and cell.weakest_glyph <= 0.97  # still doubted: the field is named


class LongLineEngine:
    """Hard scan 18011's long line ``…個性と能力を発揮できる…`` read 発換 at the first look (sure of it), and its stretch
    around 発換 at the later looks as ``stretch`` (its first glyph cut at the crop's edge: ``3力を`` for ``能力を``)."""

    language = "jpn"
    first = "誰もが互いの人権を尊重し、個性と能力を発換できるまちづくりを進めます。"

    def __init__(self, stretch: str) -> None:
        self.stretch = stretch
        self.widths: list[int] = []

    def version(self) -> str:
        return "stub"

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        self.widths.append(image.shape[1])
        return laid_out(self.first if len(self.widths) == 1 else self.stretch, image, {"換": 0.97})


@pytest.mark.parametrize(("stretch", "text"), [
    ("3力を発揮でき", "誰もが互いの人権を尊重し、個性と能力を発揮できるまちづくりを進めます。"),  # 18011 at 0.8
    ("能力を発揮でき.", "誰もが互いの人権を尊重し、個性と能力を発揮できるまちづくりを進めます。"),  # a mark past its end
    ("3力を発揮てき", "誰もが互いの人権を尊重し、個性と能力を発換できるまちづくりを進めます。"),  # で read て: not taken
])
def test_a_long_line_is_read_again_around_its_unknown_word_only(monkeypatch: pytest.MonkeyPatch, stretch: str,
                                                                 text: str) -> None:
    page = one_line_cell(1980, 36)
    engine = LongLineEngine(stretch)
    monkeypatch.setattr(reader, "open_engine", lambda settings: engine)
    (cell,) = [c for c in ocr_image(page, 1, Settings(ocr=OcrSettings(dpi=200, sharpen_amount=0.0))).cells if c.text]
    assert cell.text == text
    assert len(engine.widths) == (2 if text != LongLineEngine.first else 4)  # the first scale's reading is taken
    assert all(w < engine.widths[0] / 2 for w in engine.widths[1:])  # only the stretch, not the whole line
    assert cell.weakest_glyph is not None and cell.weakest_glyph <= 0.97
