"""Pages printed two (or four) to a sheet (readers/pdf/n_up.py): where a sheet is cut into its pages, and how the
parts are numbered; whole printed variants are in tests/fixtures/fuzz/n-up-*.pdf."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.core.model import BBox, Cell, ExtractionMethod, Page, Rule
from plansheet.readers.pdf.n_up import regions, split_n_up


def _box(x0: float, top: float, x1: float, bottom: float) -> tuple[Rule, ...]:
    return (Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom))


def test_two_ruled_pages_side_by_side_are_cut_between_them() -> None:
    rules = _box(20, 100, 400, 300) + _box(440, 100, 820, 300)
    assert [(lo, hi) for lo, _, hi, _ in regions(rules, [(30, 110, 100, 120), (450, 110, 500, 120)], 842)] == [
        (float("-inf"), 420.0), (420.0, float("inf"))]


def test_one_sheet_is_not_cut() -> None:
    across = _box(20, 100, 820, 300)  # one table across the sheet
    assert regions(across + _box(20, 320, 400, 400), [], 842) == []
    side = _box(20, 100, 400, 300) + _box(440, 100, 820, 300)  # two tables under a title that spans both
    assert regions(side, [(300, 60, 560, 80)], 842) == []
    assert regions(_box(20, 100, 400, 300) + _box(410, 100, 820, 300), [], 842) == []  # 10 pt apart: one sheet


def test_the_parts_keep_the_sheets_number_rows_follow_on_and_boxes_start_at_the_left_edge() -> None:
    def cell(text: str, row: int, col: int, x0: float) -> Cell:
        return Cell(text, row, col, 3, bbox=BBox(x0, 110 + 10 * row, x0 + 50, 118 + 10 * row))

    page = Page(3, (cell("部", 0, 0, 30), cell("総務部", 0, 1, 90), cell("重点目標 1", 0, 2, 450), cell("具体的取組", 1, 2, 450)),
                ExtractionMethod.TEXT_LAYER, width=842, height=595,
                rules=_box(20, 100, 400, 300) + _box(440, 100, 820, 300))
    left, right = split_n_up([page])
    assert [(c.text, c.row, c.col, c.page) for c in left.cells] == [("部", 0, 0, 3), ("総務部", 0, 1, 3)]
    assert [(c.text, c.row, c.col, c.page, c.bbox.x0) for c in right.cells] == [  # type: ignore[union-attr]
        ("重点目標 1", 1, 0, 3, 30.0), ("具体的取組", 2, 0, 3, 30.0)]


def test_four_pages_to_a_sheet_are_read_row_by_row() -> None:
    """Two rows of two pages: cut across at the sheet's middle too, and read left to right, then the lower row
    (reading each column top down would put the third page before the second)."""
    rules = _box(20, 20, 400, 250) + _box(440, 20, 820, 250) + _box(20, 340, 400, 570) + _box(440, 340, 820, 500)
    got = regions(rules, [(30, 30, 100, 40), (30, 350, 100, 360)], 842, 595)
    inf = float("inf")
    assert got == [(-inf, -inf, 420.0, 297.5), (420.0, -inf, inf, 297.5), (-inf, 297.5, 420.0, inf),
                   (420.0, 297.5, inf, inf)]


def test_two_short_pages_to_a_sheet_are_not_cut_across() -> None:
    """Two pages side by side whose tables end above the sheet's middle leave it clear: no row of pages is under
    them (only their footers), so the sheet is cut down its middle alone."""
    rules = _box(20, 160, 400, 260) + _box(440, 160, 820, 260)
    got = regions(rules, [(200, 430, 220, 438), (620, 430, 640, 438)], 842, 595)
    assert [(top, bottom) for _, top, _, bottom in got] == [(-float("inf"), float("inf"))] * 2


def test_four_pages_to_a_sheet_with_a_cover_in_a_quarter_are_cut_across() -> None:
    """A cover (no table, a title in its middle) in the upper left quarter: the right column's pages are ruled above
    and below the middle, and both rows start alike (a header 12 pt below each row's top), so the sheet is cut across
    as well (fuzz 55012-0017: the fourth page was read with the second, its 3 fields lost)."""
    rules = _box(440, 40, 820, 250) + _box(20, 340, 400, 570) + _box(440, 340, 820, 500)
    texts = [(150, 140, 250, 160), (700, 12, 820, 20), (300, 309, 400, 317), (700, 309, 820, 317)]
    got = regions(rules, texts, 842, 595)
    assert [(top, bottom) for _, top, _, bottom in got] == [(-float("inf"), 297.5)] * 2 + [(297.5, float("inf"))] * 2


def test_a_page_beside_another_with_a_gap_at_its_middle_is_not_cut_across() -> None:
    """Two pages side by side, the right one's two tables leaving the sheet's middle clear: its lower table starts
    elsewhere below the middle than the sheet's first line below its top, so no second row of pages stands there."""
    rules = _box(20, 40, 400, 250) + _box(440, 40, 820, 250) + _box(440, 420, 820, 560)
    got = regions(rules, [(30, 50, 100, 60)], 842, 595)
    assert [(top, bottom) for _, top, _, bottom in got] == [(-float("inf"), float("inf"))] * 2


def test_the_cover_quarter_variant_reads_back_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fuzz 55012-0017 (cid, four to a sheet, forced): a volume whose first sheet holds the cover, the front sheet,
    and the first goal sheet's two pages. Read back exact and ok."""
    from samples.generate import fuzz
    from samples.generate.render_pdf import IPAEX_PATHS

    from rendered import read_variant
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    monkeypatch.setitem(fuzz.PRINTED_RATES, "n_up_4", 1.0)
    variant = fuzz.draw(55012, 17, ("reportlab", "cid", "chromium", "libreoffice", "writer"))
    assert variant.renderer == "cid" and variant.params["n_up"] == "4"
    status, differences, warnings = read_variant(tmp_path, variant)
    assert (status, differences) == ("ok", []), warnings


def test_a_strike_on_one_printed_page_is_not_snapped_to_a_line_of_the_page_beside_it() -> None:
    """Fuzz 59008-0013 (reportlab, two to a sheet): a strike through 令和4年度実施予定 (an old wording struck, as a
    revised sheet keeps it) stood 1.2 pt above a row line of the page beside it; the sheet's strokes were snapped
    together before the sheet was cut into its pages, the strike moved onto that line, no longer ran through its
    text, and 令和4年度実施予定 was read into the results under ok. Each printed page's strokes are merged on their
    own."""
    from plansheet.readers.pdf.grid import Glyph, PageContent
    from plansheet.readers.pdf.reader import read_page
    from plansheet.settings import Settings

    size = 4.3

    def line(text: str, x: float, top: float) -> list[Glyph]:
        return [Glyph(ch, x + k * size, top, x + (k + 1) * size, top + size, size) for k, ch in enumerate(text)]

    def grid(x0: float, x1: float, ys: list[float]) -> list[Rule]:
        return [Rule(x0, y, x1, y) for y in ys] + [Rule(x, ys[0], x, ys[-1]) for x in (x0, x1)]

    left = grid(20.0, 400.0, [100.0, 110.0, 130.0, 145.0, 160.0])
    right = grid(440.0, 820.0, [100.0, 110.0, 123.2, 146.0, 160.0])  # a row line at 123.2, 1.3 pt under the strike
    struck = line("旧案", 22.0, 118.9)  # its middle at 121.05
    glyphs = line("健康福祉部", 22.0, 102.0) + line("部", 22.0, 132.0) + struck + line("新案です", 22.0 + 2 * size, 118.9) \
        + line("備考", 442.0, 102.0) + line("右の頁", 442.0, 112.0) + line("右の頁2", 442.0, 130.0)
    strike = Rule(22.0, 121.9, 22.0 + 2 * size, 121.9)
    content = PageContent(1, 842.0, 595.0, glyphs, left + right + [strike], False)
    page = read_page(content, Settings())
    texts = [c.text for c in page.cells]
    assert "新案です" in texts and not any("旧案" in t for t in texts), texts
