"""The OCR engine cache and the reader's text clean-up, without Tesseract."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from plansheet.ocr_engine import CachedEngine, OcrCacheMissError, OcrResult, OcrWord


class FakeEngine:
    language = "jpn"

    def __init__(self) -> None:
        self.calls = 0

    def version(self) -> str:
        return "fake 1.0"

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        self.calls += 1
        return OcrResult((OcrWord("部", 0.96, 1, 2, 30, 31, 0), OcrWord("長", 0.9, 31, 2, 60, 31, 0)))


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


def test_line_text_drops_spaces_between_japanese_but_keeps_real_ones() -> None:
    from plansheet.readers.ocr import _line_text, fix_digits

    def w(text: str, x0: int) -> OcrWord:
        return OcrWord(text, 0.9, x0, 0, x0 + 40, 40, 0)

    words = [w("市", 0), w("川", 40), w("信", 100), w("行", 140)]
    # a 0.55-height blank run between 川 and 信 is a space; a 0.3 one between 市 and 川 is not
    assert _line_text(words, [(38, 0.3), (95, 0.55)], 40, 0.4) == "市川 信行"
    kana = [w("サ", 0), w("イ", 40), w("ト", 80)]
    assert _line_text(kana, [(78, 0.6)], 40, 0.4) == "サイト"  # kana have wide bearings
    punct = [w("ます。", 0), w("今", 120)]
    assert _line_text(punct, [(115, 0.9)], 40, 0.4) == "ます。今"
    assert fix_digits("年⑫回、⑪⑤.③%") == "年12回、115.3%"
