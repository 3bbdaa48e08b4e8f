"""The CI subset of the layout fuzzer: 30 drawn sheets, pure-Python renderers only.

Each variant is drawn from a fixed seed (samples/generate/fuzz.py), rendered as a text
export, an openpyxl workbook or a reportlab PDF (when the IPAex font is installed), read
back by plansheet and compared field by field with the truth drawn with it. A document
that comes out wrong must never be marked ``ok``, and every drawn sheet, whichever way it
was written, reads back exact.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("openpyxl")

from samples.generate import fuzz
from samples.generate.fuzz_run import run
from samples.generate.render_pdf import IPAEX_PATHS

SEED = 12
N = 30


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list:
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    return run(N, SEED, tmp_path_factory.mktemp("fuzz"), fuzz.RENDERERS)


def test_no_document_is_wrong_and_marked_ok(outcomes: list) -> None:
    assert [(o.name, o.differences[:3]) for o in outcomes if o.silent] == []


def test_every_variant_is_exact(outcomes: list) -> None:
    assert [(o.name, o.differences[:3]) for o in outcomes if not o.exact] == []


def test_the_set_holds_every_export_mode_and_an_empty_target(outcomes: list) -> None:
    assert {o.params["export_mode"] for o in outcomes} >= {"grid", "stacked", "blocks"}
    assert any(o.params["empty_target"] for o in outcomes)


def test_the_set_holds_other_title_years_and_blank_reviews(outcomes: list) -> None:
    assert any(o.params["title_year"] and "（" in str(o.params["title_year"]) for o in outcomes)
    assert any(o.params["blank_review"] for o in outcomes)
    assert any(o.params["department_label"] for o in outcomes) and any(o.params["deputy"] for o in outcomes)
    assert any(not o.params["field_column"] for o in outcomes)
    assert {o.params.get("glyph_order") for o in outcomes} >= {"reversed", "shuffled"}
    assert any(o.params["stacked_targets"] for o in outcomes)
    assert any(o.params["bureau"] for o in outcomes)
    assert any(o.params["overview_grade_head"] != fuzz._OVERVIEW_GRADE_HEADS[0] for o in outcomes)


def test_the_set_holds_sheets_typed_other_ways(outcomes: list) -> None:
    """samples/generate/writing.py: older years, the 部長's second post, labels typed with marks, a text export's
    blank lines and trailing blanks."""
    assert any(str(o.params.get("era_old", "")).startswith("平成") for o in outcomes)
    assert {str(o.params.get("officer_posts", "")).split("|")[0] for o in outcomes} >= {"部長", "理事兼部長"}
    assert any("radicals" in str(o.params.get("label_marks", "")) for o in outcomes)
    assert any("spaced" in str(o.params.get("label_marks", "")) for o in outcomes)
    assert any(str(o.params.get("text_spacing", "|")).split("|")[0] for o in outcomes)
    assert not any(o.params.get("text_blanks") for o in outcomes)  # drawn only when forced


def test_every_renderer_is_drawn(outcomes: list) -> None:
    assert {o.params["renderer"] for o in outcomes} == set(fuzz.RENDERERS)
