"""The OCR engine cache and the reader's text clean-up, without Tesseract."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from plansheet.readers.ocr.engine import CachedEngine, OcrCacheMissError, OcrResult, OcrWord


class FakeEngine:
    language = "jpn"

    def __init__(self) -> None:
        self.calls = 0

    def version(self) -> str:
        return "fake 1.0"

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        self.calls += 1
        return OcrResult((OcrWord("部", 0.96, 1, 2, 30, 31, 0, 0), OcrWord("長", 0.9, 31, 2, 60, 31, 0, 0)))


def test_cache_records_then_replays(tmp_path: Path) -> None:
    fake = FakeEngine()
    engine = CachedEngine(tmp_path, "jpn", fake)
    image = np.full((40, 80), 255, np.uint8)
    first = engine.recognize(image, 7, 300)
    second = engine.recognize(image.copy(), 7, 300)
    assert fake.calls == 1 and first == second
    assert first.confidence == pytest.approx(0.93)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["engines"] == ["fake 1.0"] and manifest["language"] == "jpn"
    engine.recognize(image, 6, 300)  # another page-segmentation mode is another key
    assert fake.calls == 2


def test_cache_key_depends_on_pixels_and_version(tmp_path: Path) -> None:
    engine = CachedEngine(tmp_path, "jpn", FakeEngine())
    a = np.zeros((10, 10), np.uint8)
    b = a.copy()
    b[5, 5] = 1
    assert engine.key(a, 7, 300) != engine.key(b, 7, 300)
    assert engine.key(a, 7, 300) != engine.key(a, 7, 200)


def test_replay_only_uses_the_manifest_version_and_never_the_engine(tmp_path: Path) -> None:
    image = np.full((40, 80), 255, np.uint8)
    CachedEngine(tmp_path, "jpn", FakeEngine()).recognize(image, 7, 300)
    replay = CachedEngine(tmp_path, "jpn", None, replay_only=True)
    assert replay.recognize(image, 7, 300).words[0].text == "部"
    with pytest.raises(OcrCacheMissError):
        replay.recognize(np.zeros((40, 80), np.uint8), 7, 300)


def test_line_text_puts_spaces_only_where_the_ink_has_a_real_gap() -> None:
    from plansheet.readers.ocr.reader import _line_text, fix_digits

    # 4 kanji, em 40 px: ink 0..160, a 16 px (0.4 height) blank run after 川 is a space
    assert _line_text(list("市川信行"), [(78, 94)], (0, 176), 40, 0.3) == "市川 信行"
    assert _line_text(list("市川信行"), [(78, 86)], (0, 168), 40, 0.3) == "市川信行"  # 0.2 height: bearings
    # the gap is placed by the printed layout, not by the engine's symbol boxes
    assert _line_text(list("所管室・課"), [(128, 140), (152, 164)], (0, 200), 40, 0.3) == "所管室・課"
    assert _line_text(list("(5)みんな"), [(50, 64)], (0, 184), 40, 0.3) == "(5) みんな"
    assert _line_text(list("サイト"), [(40, 60)], (0, 120), 40, 0.3) == "サイト"  # kana have wide bearings
    assert _line_text(list("ます。今"), [(100, 136)], (0, 160), 40, 0.3) == "ます。今"
    assert fix_digits("年⑫回、⑪⑤.③%") == "年12回、115.3%"


def test_a_gap_goes_to_the_nearest_symbol_boundary_the_lower_on_a_tie() -> None:
    from plansheet.readers.ocr.reader import _nearest_boundary

    prefix = [0.0, 40.0, 62.0, 84.0, 124.0]  # 4 symbols laid out: kanji, digit, digit, kanji
    assert _nearest_boundary(prefix, 4, 60.0, 0.0) == 2
    assert _nearest_boundary(prefix, 4, 51.0, 0.0) == 1  # 40 and 62 are 11 away: the lower
    assert _nearest_boundary(prefix, 4, 79.0, 10.0) == 3  # the gap's extra width moves its centre
    assert _nearest_boundary(prefix, 4, -30.0, 0.0) == 1  # before the first boundary
    assert _nearest_boundary(prefix, 4, 500.0, 0.0) == 3  # after the last one (4 is the line's end)
    assert _nearest_boundary(prefix[:2], 1, 20.0, 0.0) is None  # one symbol: no boundary


def test_fix_brackets_restores_an_opening_bracket_read_as_a_backtick() -> None:
    from plansheet.readers.ocr.reader import fix_brackets

    assert fix_brackets("できるよう `柏原市国民保護計画」の改訂") == "できるよう「柏原市国民保護計画」の改訂"
    assert fix_brackets("it's `code`") == "it's `code`"
