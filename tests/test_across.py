"""A sheet too wide for its paper, printed across pages (readers/pdf/across.py): which page goes on at the right of
which, told from the ruling lines alone. The whole sheets, drawn by the layout fuzzer in both of Excel's page orders,
are read back in tests/test_fuzz_fixtures.py (``across-*``)."""
from __future__ import annotations

from pathlib import Path

from plansheet.core.model import Rule
from plansheet.parsers.document import parse_pages
from plansheet.readers.pdf.across import begins_sheet, continues, cut_table
from plansheet.readers.pdf.grid import Glyph, PageContent
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import Settings

TOLERANCE = 3.0


def down(x: float, top: float, bottom: float) -> Rule:
    return Rule(x, top, x, bottom)


def across(y: float, x0: float, x1: float) -> Rule:
    return Rule(x0, y, x1, y)


# a goal sheet's left page: the 部 row (label | department) runs on past the paper's edge at x = 300, the target's
# row below it ends there, closed
LEFT = [down(0, 0, 40), down(100, 0, 20), down(300, 20, 40), across(0, 0, 300), across(20, 0, 300), across(40, 0, 300)]
# the page across: the 部 row's rest, open at its left edge, and the next target's row, closed
RIGHT = [down(200, 0, 40), down(0, 20, 40), across(0, 0, 200), across(20, 0, 200), across(40, 0, 200)]
# a sheet of the same rows that fits its paper: its label column closes every row at its left edge
WHOLE = [down(0, 0, 40), down(100, 0, 20), down(200, 0, 40), across(0, 0, 200), across(20, 0, 200), across(40, 0, 200)]


def test_a_page_whose_first_row_runs_past_its_right_edge_is_cut() -> None:
    left = cut_table(LEFT, TOLERANCE)
    assert left is not None and left.cut_right and left.open_right == ((0.0, 20.0),)


def test_a_row_with_no_box_right_of_its_last_is_no_cut() -> None:
    """全体の達成度's row in a sheet that fits its paper: ruled at its left, nothing at its right, between closed rows."""
    rules = [down(0, 0, 60), down(100, 20, 40), down(300, 0, 20), down(300, 40, 60),
             across(0, 0, 300), across(20, 0, 300), across(40, 0, 300), across(60, 0, 300)]
    table = cut_table(rules, TOLERANCE)
    assert table is not None and table.open_right == ((20.0, 40.0),) and not table.cut_right


def test_the_page_across_continues_the_cut_page() -> None:
    left, right = cut_table(LEFT, TOLERANCE), cut_table(RIGHT, TOLERANCE)
    assert left is not None and right is not None and continues(left, right, TOLERANCE)


def test_a_page_of_the_same_rows_closed_at_its_left_continues_nothing() -> None:
    """The next goal's sheet, of the very same rows, is no page across: its labels close its rows at the left."""
    left, whole = cut_table(LEFT, TOLERANCE), cut_table(WHOLE, TOLERANCE)
    assert left is not None and whole is not None and not continues(left, whole, TOLERANCE)


def test_a_page_across_of_other_rows_continues_nothing() -> None:
    """A page open at its left whose rows stand at other heights is not this sheet's page across."""
    left = cut_table(LEFT, TOLERANCE)
    lower = cut_table([r._replace(top=r.top + 30, bottom=r.bottom + 30) for r in RIGHT], TOLERANCE)
    assert left is not None and lower is not None and not continues(left, lower, TOLERANCE)


def test_an_underline_run_on_to_the_cut_is_no_row_line() -> None:
    """A text underlined across the break starts a cell's padding in from the label column's line: on the page across
    it ends inside its box, so it must not count as a row line on either (fresh seed 49605-0005: the goal's summary
    and next steps were lost)."""
    underlined = LEFT + [across(30, 0.8, 300)]
    table = cut_table(underlined, TOLERANCE)
    assert table is not None and 30.0 not in table.right_heights
    left, right = table, cut_table(RIGHT + [across(30, 0, 120)], TOLERANCE)
    assert right is not None and continues(left, right, TOLERANCE)


def test_the_last_row_line_goes_with_the_page_across_in_the_papers_foot() -> None:
    """The table's last line a hair below its height rounded to 0.1 pt, in the paper's bottom band, goes with the
    rows (fresh seed 49606-0000: left behind, the next steps box lost its bottom)."""
    from plansheet.readers.pdf.across import joined
    from plansheet.readers.pdf.grid import Glyph, PageContent

    foot = 561.54
    first = PageContent(1, 842.0, 595.0, [], [down(36, 500, foot), across(500, 36, 300), across(foot, 36, 300)], False)
    later = PageContent(2, 842.0, 595.0, [Glyph("3", 400, 580, 405, 588, 8.0)],
                        [down(300, 500, foot), across(500, 36, 300), across(foot, 36, 300)], False)
    a = cut_table([r for r in first.rules], TOLERANCE)
    b = cut_table([r for r in later.rules], TOLERANCE)
    assert a is not None and b is not None
    sheet, rest = joined(first, later, a, b, 0.06)
    assert across(foot, 300, 564) in sheet.rules and rest.rules == [] and [g.text for g in rest.glyphs] == ["3"]


def page_of(rules: list[Rule], texts: list[tuple[float, float, str]]) -> PageContent:
    """A page with ``rules`` and one glyph a character of each (x, top, text)."""
    glyphs = [Glyph(ch, x + 10 * i, top, x + 10 * i + 9, top + 9, 9.0) for x, top, text in texts
              for i, ch in enumerate(text)]
    return PageContent(1, 400.0, 400.0, glyphs, rules, False)


# inner lines only: no frame, so the row lines are open at both edges and every row of one sheet is as open as
# those of the next
INNER = [down(100, 0, 60), across(20, 0, 300), across(40, 0, 300)]


def test_a_page_that_begins_its_sheet_again_is_a_sheet_of_its_own() -> None:
    """The next goal's sheet, ruled alike, opens with the 部 row the first page opens with (goal number aside)."""
    later = page_of(INNER, [(2, 2, "部"), (102, 2, "政策推進部"), (2, 22, "重点目標2"), (102, 22, "職員研修")])
    headed = page_of(INNER, [(2, 2, "重点目標２"), (102, 2, "職員研修")])
    a, b = cut_table(INNER, TOLERANCE), cut_table(INNER, TOLERANCE)
    assert a is not None and b is not None and continues(a, b, TOLERANCE)  # the lines alone cannot tell
    assert begins_sheet(later, b, TOLERANCE) and begins_sheet(headed, b, TOLERANCE)


def test_a_page_across_holds_the_rest_of_the_first_rows() -> None:
    """Its first column holds the 部 row's rest (here nothing), then the next target's own label."""
    later = page_of(RIGHT, [(2, 22, "今年度の達成目標")])
    a, b = cut_table(LEFT, TOLERANCE), cut_table(RIGHT, TOLERANCE)
    assert a is not None and b is not None and continues(a, b, TOLERANCE)
    assert not begins_sheet(later, b, TOLERANCE)


def test_two_sheets_ruled_with_inner_lines_only_are_read_each_as_its_own() -> None:
    """tests/fixtures/pdf/make_inner_lines.py: two whole goal sheets, one a page, no frame, the same row heights."""
    pages = read_pdf(Path(__file__).parent / "fixtures" / "pdf" / "inner_lines.pdf", Settings()).pages
    (doc,) = parse_pages(pages)
    assert [(g.goal_no, g.title, g.overall_grade, g.page) for g in doc.goals] == [
        (1, "公民連携の拡充", "B", 2), (2, "職員の能力向上", "C", 3)]
    assert [(t.text, t.status, t.grade) for g in doc.goals for t in g.targets] == [
        ("民間事業者との連携事業を増加させます。", "連携事業を3件実施しました。", "B"),
        ("研修を引き続き実施します。", "研修を2回実施しました。", "C")]
    assert [(i.text, i.section, i.results) for g in doc.goals for i in g.initiatives] == [
        ("民間事業者との話し合いを持ちます。", "企画調整課", "話し合いを4回持ちました。"),
        ("法律研修を実施します。", "人事課", "法律研修を2回実施しました。")]
    assert not doc.warnings
