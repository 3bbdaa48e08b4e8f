"""A goal sheet's table row broken across two pages (Writer's default for a table row): the text its boxes carry
on at the top of the next page joins them (parsers/broken_rows.py), and the sheet's heading rows printed again
atop that page are no new sheet (parsers/print_titles.drop_sheet_headings). Whole sheets, drawn by the layout
fuzzer (``row_split``), are read back in tests/test_fuzz_fixtures.py (``row-split-*``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.core.model import BBox, Cell, ExtractionMethod, Page
from plansheet.parsers.broken_rows import join_broken_rows
from plansheet.parsers.document import parse_pages
from plansheet.parsers.print_titles import drop_sheet_headings

from samples.generate import fuzz

from rendered import read_variant


def cell(text: str, row: int, col: int, page: int, x0: float, x1: float, top: float = 0.0) -> Cell:
    return Cell(text, row, col, page, bbox=BBox(x0, top + 20.0 * row, x1, top + 20.0 * row + 18.0))


def page(number: int, *cells: Cell) -> Page:
    return Page(number, tuple(cells), ExtractionMethod.TEXT_LAYER)


# a goal sheet whose labels stand left of their texts, broken inside its initiative's row
FIRST = page(2, cell("部", 0, 0, 2, 36, 100), cell("市民生活部", 0, 1, 2, 100, 800),
             cell("重点目標 1", 1, 0, 2, 36, 100), cell("窓口手続のデジタル化", 1, 1, 2, 100, 800),
             cell("具体的取組", 2, 0, 2, 36, 100), cell("申請書を作成するシステムを", 2, 1, 2, 100, 800))
CARRIED = page(3, cell("", 0, 0, 3, 36, 100), cell("窓口に導入します。", 0, 1, 3, 100, 800),
               cell("所管室・課", 1, 0, 3, 36, 100), cell("市民課", 1, 1, 3, 100, 800))


def test_the_text_a_box_carries_on_at_the_next_pages_top_joins_it() -> None:
    first, second = join_broken_rows([FIRST, CARRIED])
    assert [c.text for c in first.cells][-1] == "申請書を作成するシステムを窓口に導入します。"
    assert [c.text for c in second.cells] == ["所管室・課", "市民課"]


def test_a_page_that_opens_with_a_label_carries_nothing_on() -> None:
    """A page break between two blocks: the next page's first row is the next block's label and text."""
    labelled = page(3, cell("具体的取組", 0, 0, 3, 36, 100), cell("窓口に導入します。", 0, 1, 3, 100, 800))
    assert join_broken_rows([FIRST, labelled]) == [FIRST, labelled]


def test_text_under_no_box_of_the_row_before_carries_nothing_on() -> None:
    """A first row whose boxes stand between other lines than the last row's is no part of it."""
    elsewhere = page(3, cell("", 0, 0, 3, 36, 100), cell("窓口に導入します。", 0, 1, 3, 100, 500))
    assert join_broken_rows([FIRST, elsewhere]) == [FIRST, elsewhere]


def test_the_sheets_heading_rows_printed_again_are_no_new_sheet() -> None:
    heading = (cell("部", 0, 0, 3, 36, 100), cell("市民生活部", 0, 1, 3, 100, 800),
               cell("重点目標 1", 1, 0, 3, 36, 100), cell("窓口手続のデジタル化", 1, 1, 3, 100, 800))
    again = page(3, *heading, cell("窓口に導入します。", 2, 1, 3, 100, 800), cell("所管室・課", 3, 0, 3, 36, 100),
                 cell("市民課", 3, 1, 3, 100, 800))
    kinds = {2: "goal", 3: "goal"}
    first, second = drop_sheet_headings([FIRST, again], lambda p: kinds[p.number])
    assert first == FIRST
    assert [c.text for c in second.cells] == ["窓口に導入します。", "所管室・課", "市民課"]
    assert [c.text for c in second.furniture] == ["部", "市民生活部", "重点目標 1", "窓口手続のデジタル化"]


def test_the_next_goals_sheet_keeps_its_department_row() -> None:
    """The next goal's sheet opens with the same 部 row above a heading of its own: a sheet of its own."""
    following = page(3, cell("部", 0, 0, 3, 36, 100), cell("市民生活部", 0, 1, 3, 100, 800),
                     cell("重点目標 2", 1, 0, 3, 36, 100), cell("地域防災力の充実", 1, 1, 3, 100, 800))
    assert drop_sheet_headings([FIRST, following], lambda p: "goal")[1] == following


def test_a_broken_initiative_reads_as_one_text() -> None:
    sheet = page(2, *FIRST.cells[:4], cell("今年度の達成目標", 2, 0, 2, 36, 100), cell("手続の時間を短縮します。", 2, 1, 2, 100, 800),
                 cell("具体的取組", 3, 0, 2, 36, 100), cell("申請書を作成するシステムを", 3, 1, 2, 100, 800))
    doc = parse_pages([sheet, CARRIED])[0]
    (initiative,) = doc.goals[0].initiatives
    assert (initiative.text, initiative.section) == ("申請書を作成するシステムを窓口に導入します。", "市民課")


# the label column of a sheet that writes its results' label over two lines (具体的な取組 / 実績) in every block
def _labelled_sheet(*labels: str) -> list[Cell]:
    rows = [("部", "市民生活部"), ("重点目標 1", "窓口手続のデジタル化"), ("今年度の達成目標", "手続の時間を短縮します。"),
            ("具体的取組", "窓口を案内する職員を配置します。"), ("所管室・課", "市民課"), ("具体的な取組実績", "職員を2人配置しました。")]
    rows += [("具体的取組", "申請書を作成するシステムを導入します。"), ("所管室・課", "市民課")]
    rows += [(label, "システムを導入し、") for label in labels]
    return [c for r, (label, text) in enumerate(rows)
            for c in (cell(label, r, 0, 2, 36, 100), cell(text, r, 1, 2, 100, 800))]


def test_a_label_cut_by_the_page_reads_as_the_label_the_sheet_writes_whole() -> None:
    """具体的な取組 at the page's foot and 実績 atop the next page are the 具体的な取組実績 the sheet's other block writes
    whole: one results row broken across pages, not a new initiative (fuzz 57008-0059)."""
    first = page(2, *_labelled_sheet("具体的な取組"))
    carried = page(3, cell("実績", 0, 0, 3, 36, 100), cell("窓口で使い始めました。", 0, 1, 3, 100, 800))
    doc = parse_pages([first, carried])[0]
    assert [(i.text, i.results) for i in doc.goals[0].initiatives] == [
        ("窓口を案内する職員を配置します。", "職員を2人配置しました。"),
        ("申請書を作成するシステムを導入します。", "システムを導入し、窓口で使い始めました。")]


def test_a_label_the_sheet_writes_alone_elsewhere_is_no_cut_label() -> None:
    """A sheet that writes 実績 alone as a label elsewhere: 実績 atop a page is that label's own row, not the end of
    the label above it."""
    first = page(2, *_labelled_sheet("実績", "具体的な取組"))
    carried = page(3, cell("実績", 0, 0, 3, 36, 100), cell("窓口で使い始めました。", 0, 1, 3, 100, 800))
    assert join_broken_rows([first, carried]) == [first, carried]


def test_a_results_row_broken_with_its_side_label_reads_back_exact(tmp_path: Path) -> None:
    """Fuzz 57008-0059 (ReportLab, labels beside their texts): the page breaks inside goal 3's first results row,
    its label 具体的な取組 / 実績 cut between the lines. Read back exact and ok (7 fields were wrong, unnamed)."""
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    variant = fuzz.draw(57008, 59, fuzz.ALL_RENDERERS)
    assert variant.params["row_split"] == "results|1|1" and variant.style.side_labels
    status, differences, warnings = read_variant(tmp_path, variant)
    assert (status, differences) == ("ok", []), warnings


def test_a_label_cut_at_the_page_foot_carries_on_with_its_text() -> None:
    """A two-line label cut after its first line: 具体的な取組 (a label of its own) at the foot, の実績 (none) atop the
    next page, beside the two parts of the results' text: one 具体的な取組の実績 row (fuzz 61061-0021 read the foot as a
    new initiative)."""
    foot = page(2, *FIRST.cells, cell("具体的な取組", 3, 0, 2, 36, 100), cell("相談会を5回開催し、", 3, 1, 2, 100, 800))
    top = page(3, cell("の実績", 0, 0, 3, 36, 100), cell("延べ120人が参加しました。", 0, 1, 3, 100, 800),
               cell("具体的取組", 1, 0, 3, 36, 100), cell("窓口に案内を置きます。", 1, 1, 3, 100, 800))
    first, second = join_broken_rows([foot, top])
    assert [c.text for c in first.cells][-2:] == ["具体的な取組の実績", "相談会を5回開催し、延べ120人が参加しました。"]
    assert [c.text for c in second.cells] == ["具体的取組", "窓口に案内を置きます。"]

