"""Excel's clipping (fuzz axis ``clipped``, drawn only when forced): a one-line text wider than its cell, beside a
cell that holds text, is printed cut at its cell's right line. Where the PDF's text layer holds the whole text, its
glyphs past the line standing among the next cell's own, the text is read whole and the next cell keeps its own
(readers/pdf/grid.carry_clipped); where it holds only what shows, the field is named, with its page
(parsers/clipped.py). Each sheet is a generated variant read back against its truth."""
from __future__ import annotations

from pathlib import Path

import pytest

from samples.generate import fuzz
from samples.generate.render_pdf import IPAEX_PATHS

from rendered import read_variant

pytestmark = pytest.mark.skipif(not any(Path(p).exists() for p in IPAEX_PATHS),
                                reason="the IPAex font (fonts-ipaexfont-gothic) measures every rendering")


def _forced(monkeypatch: pytest.MonkeyPatch, seed: int, index: int, renderer: str) -> fuzz.Variant:
    monkeypatch.setitem(fuzz.CELL_QUIRKS, "clipped", 1.0)
    return fuzz.draw(seed, index, (renderer,))


def test_clipping_is_drawn_only_when_forced() -> None:
    """Its own stream, at rate 0: the variants of old seeds draw what they drew (no ``clipped`` parameter)."""
    assert fuzz.CELL_QUIRKS["clipped"] == 0.0
    assert not any("clipped" in fuzz.draw(58950, i, ("reportlab", "cid", "xlsx")).params for i in range(20))


@pytest.mark.parametrize("seed,index,renderer", [(61510, 2, "cid"), (61510, 3, "cid")])
def test_a_clipped_text_the_text_layer_holds_whole_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  seed: int, index: int, renderer: str) -> None:
    """The clipped line's glyphs past its cell's right line stand among the next cell's text (an initiative beside
    another, a status over its grade) or past the table's edge: each is the cell's; the next cell keeps its own."""
    variant = _forced(monkeypatch, seed, index, renderer)
    assert variant.params["clipped"] == "layer"
    status, differences, warnings = read_variant(tmp_path, variant)
    assert differences == [] and "right edge" not in warnings, warnings
    assert status == "ok"


@pytest.mark.parametrize("seed,index,renderer", [(61510, 0, "cid"), (61510, 1, "reportlab")])
def test_a_clipped_text_the_page_shows_short_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int,
                                                      index: int, renderer: str) -> None:
    """The text layer holds only what shows: the field is kept as printed, the document partial, and a warning names
    each such field with its page."""
    import plansheet
    from plansheet.settings import Settings
    from samples.generate.fuzz_run import score

    variant = _forced(monkeypatch, seed, index, renderer)
    assert variant.params["clipped"] == "cut"
    (tmp_path / "inputs").mkdir()
    path, truth = fuzz.render(variant, tmp_path / "inputs")
    plansheet.extract([path], tmp_path / "out", Settings(workers=1))
    [outcome] = score(tmp_path, [(path, truth)])
    assert outcome.status == "partial" and outcome.differences
    assert outcome.unnamed == 0, outcome.differences

