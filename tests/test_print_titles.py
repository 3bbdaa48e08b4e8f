"""Print titles (Excel's rows to repeat at top): the front sheet's top rows printed again atop every later
page are no part of that page's sheet (parsers/print_titles.py); whole printed variants are in
tests/fixtures/fuzz/print-titles-*.pdf (tests/test_fuzz_fixtures.py)."""
from __future__ import annotations

from plansheet.core.model import Cell, ExtractionMethod, Page
from plansheet.parsers.document import PageKind, classify_page, parse_pages
from plansheet.parsers.print_titles import drop_print_titles

TITLE = "令和5年度 市民生活部の運営方針"


def _page(number: int, rows: list[list[str]]) -> Page:
    cells = tuple(Cell(text, r, c, number) for r, texts in enumerate(rows) for c, text in enumerate(texts))
    return Page(number, cells, ExtractionMethod.TEXT_EXPORT)


FRONT = [[TITLE], ["部", "市民生活部", "部長", "森本 恵子"], ["【基本方針】"], ["市民の暮らしを支えます。"],
         ["【重点目標】"], ["No.", "重点目標", "分野", "令和5年度 達成状況"], ["1", "窓口の改善", "市民サービス", ""],
         ["【達成度について】"], ["A：達成（目標を達成することができた。100%）"]]
GOAL = [["部", "市民生活部"], ["重点目標 1", "窓口の改善"], ["今年度の達成目標"], ["待ち時間を短縮します。"],
        ["達成状況", "達成度"], ["", ""], ["具体的取組"], ["発券機を更新します。"], ["所管室・課", "市民課"],
        ["今後検討すべきこと"], ["案内を増やします。"]]


def _is_front(page: Page) -> bool:
    return classify_page(page) is PageKind.FRONT


def test_the_title_and_the_director_row_repeated_atop_a_goal_page_are_taken_off() -> None:
    # the director's row printed on two rows of a narrower page is the front sheet's one row
    repeated = [[TITLE], ["部", "市民生活部"], ["部長", "森本 恵子"]]
    pages = drop_print_titles([_page(1, FRONT), _page(2, repeated + GOAL)], _is_front)
    assert [c.text for c in pages[1].furniture] == [TITLE, "部", "市民生活部", "部長", "森本 恵子"]
    assert classify_page(pages[1]) is PageKind.GOAL
    (doc,) = parse_pages([_page(1, FRONT), _page(2, repeated + GOAL)])
    assert (doc.department, doc.fiscal_year, doc.pages) == ("市民生活部", 2023, [1, 2])
    assert [(g.goal_no, g.next_steps) for g in doc.goals] == [(1, "案内を増やします。")]
    assert [o.name for o in doc.officers] == ["森本 恵子"]


def test_a_title_repeated_alone_is_not_read_into_the_last_goal() -> None:
    pages = [_page(1, FRONT), _page(2, [[TITLE]] + GOAL), _page(3, [[TITLE]] + GOAL[:1] + [["重点目標 2", "相談の充実"]]
                                                                    + GOAL[2:])]
    front = [r[:] for r in FRONT]
    front.insert(7, ["2", "相談の充実", "消費生活", ""])
    (doc,) = parse_pages([_page(1, front)] + pages[1:])
    assert [(g.goal_no, g.next_steps) for g in doc.goals] == [(1, "案内を増やします。"), (2, "案内を増やします。")]


def test_a_next_department_printing_the_same_title_line_keeps_its_front_sheet() -> None:
    same_title = "令和5年度 部の運営方針"
    first = [[same_title]] + FRONT[1:]
    second = [[same_title], ["部", "総務部", "部長", "山田 太郎"]] + FRONT[2:]
    pages = drop_print_titles([_page(1, first), _page(2, GOAL), _page(3, second)], _is_front)
    assert pages[2].furniture == () and classify_page(pages[2]) is PageKind.FRONT
    docs = parse_pages([_page(1, first), _page(2, GOAL), _page(3, second), _page(4, [["部", "総務部"]] + GOAL[1:])])
    assert [(d.department, d.fiscal_year, d.director) for d in docs] == [
        ("市民生活部", 2023, "森本 恵子"), ("総務部", 2023, "山田 太郎")]


def test_a_goal_sheets_own_department_row_is_no_print_title() -> None:
    # a front sheet whose 部 row stands alone: a goal sheet opening with the same row repeats nothing only a
    # front sheet has, and keeps it
    front = [[TITLE], ["部", "市民生活部"], ["部長", "森本 恵子"]] + FRONT[2:]
    pages = drop_print_titles([_page(1, front), _page(2, GOAL)], _is_front)
    assert pages[1].furniture == () and pages[1].cells == _page(2, GOAL).cells


def test_a_label_printed_with_its_letters_spread_repeats_the_same_row() -> None:
    # Chromium printed the front sheet's 部局 label as 部局 and its repetition as 部 局
    front = [[TITLE], ["部局", "市民生活部", "部長", "森本 恵子"]] + FRONT[2:]
    pages = drop_print_titles([_page(1, front), _page(2, [["部 局", "市民生活部", "部長", "森本恵子"]] + GOAL)], _is_front)
    assert [c.text for c in pages[1].furniture] == ["部 局", "市民生活部", "部長", "森本恵子"]


def test_a_repeated_paragraph_printed_on_two_rows_is_still_the_print_title() -> None:
    """An underline (or a narrower page) splits the repeated 【基本方針】 paragraph into two rows: the run of
    text is the front sheet's all the same. Before, the match stopped at 【基本方針】 and the paragraph was read
    as the rest of the previous page's last field, under ``ok``."""
    repeated = [[TITLE], ["部", "市民生活部", "部長", "森本 恵子"], ["【基本方針】"], ["市民の暮らしを"], ["支えます。"]]
    goal_two = [["部", "市民生活部"], ["重点目標 2", "防災の強化"], ["今年度の達成目標"], ["訓練を増やします。"],
                ["具体的取組"], ["訓練を行います。"], ["所管室・課", "危機管理課"], ["今後検討すべきこと"]]
    pages = [_page(1, FRONT), _page(2, GOAL), _page(3, repeated + goal_two)]
    assert [c.text for c in drop_print_titles(pages, _is_front)[2].furniture][-2:] == ["市民の暮らしを", "支えます。"]
    (doc,) = parse_pages(pages)
    assert [(g.goal_no, g.next_steps) for g in doc.goals] == [(1, "案内を増やします。"), (2, None)]


def test_print_titles_read_from_a_scan_repeat_as_read_not_glyph_for_glyph() -> None:
    """Scan fuzz seed 50005, variant 38 (title, 部 row and basic policy repeated): OCR read the repeated basic
    policy with other misreads on each page (障害者禰祉, 障害者福祉) and lost a 部長 label on one: matched text for
    text, only the title and 部 rows were taken off, the page kept 【基本方針】 and read as a front sheet, and the
    document came out as six (26 wrong fields unnamed). Row for row, as read alike, the whole repeat goes."""
    policy = "高齢者福祉、障害者福祉、生活困窮者への支援に加えて、市民の健康づくりを進めます。"
    front = [[TITLE], ["部", "市民生活部", "部長", "森本 恵子"], ["【基本方針】"], [policy]] + FRONT[4:]

    def scanned(number: int, rows: list[list[str]]) -> Page:
        page = _page(number, rows)
        return Page(number, tuple(Cell(c.text, c.row, c.col, number, confidence=0.97) for c in page.cells),
                    ExtractionMethod.OCR)

    again = [[TITLE], ["部", "市民生活部", "森本 恵子"], ["【基本方針】"], [policy.replace("福祉、生", "禰祉、生")]]
    pages = drop_print_titles([scanned(1, front), scanned(2, again + GOAL)], _is_front)
    assert [c.text for c in pages[1].furniture] == [t for row in again for t in row]
    assert classify_page(pages[1]) is PageKind.GOAL
    (doc,) = parse_pages([scanned(1, front), scanned(2, again + GOAL), scanned(3, again + GOAL[:1] + [
        ["重点目標 2", "相談の充実"]] + GOAL[2:])])
    assert [g.goal_no for g in doc.goals] == [1, 2]
    # printed text (no OCR) repeats glyph for glyph: rows that differ are the page's own (here a front sheet's)
    pages = drop_print_titles([_page(1, front), _page(2, again + GOAL)], _is_front)
    assert pages[1].furniture == ()


def test_a_scans_print_title_whose_label_ocr_lost_everywhere_is_known_by_its_recurrence() -> None:
    """Scan fuzz seed 52004, variant 4 (print titles: the 部 | 部長 row): OCR lost the 部長 label on the front sheet
    and on every page, and read 部 as 都 on the front, so no reading of the row held a front sheet's label; the row
    left atop a goal sheet's later page was read as an initiative's results (市川信行), making a plan a result.
    The row that tops the later pages alike, like the front's 部 row with the director's name, is the print title."""
    def scanned(number: int, rows: list[list[str]]) -> Page:
        page = _page(number, rows)
        return Page(number, tuple(Cell(c.text, c.row, c.col, number, confidence=0.97) for c in page.cells),
                    ExtractionMethod.OCR)

    front = [[TITLE], ["都", "市民生活部", "市Il 信行"], ["【基本方針】"], ["市民の暮らしを支えます。"]] + FRONT[4:]
    goal = [row[:] for row in GOAL[:9]]
    later = [["具体的取組"], ["相談窓口を増やします。"], ["所管室・課", "市民課"], ["具体的な取組実績"], [""],
             ["今後検討すべきこと"], ["案内を増やします。"]]
    pages = [scanned(1, front), scanned(2, [["部", "市民生活部", "市川 信行"]] + goal),
             scanned(3, [["らり", "市民生活部", "市川 信行"]] + later),
             scanned(4, [["部", "市民生活部", "市川 信行"]] + [GOAL[0], ["重点目標 2", "相談の充実"]] + GOAL[2:])]
    dropped = drop_print_titles(pages, _is_front)
    assert [[c.text for c in p.furniture] for p in dropped[1:]] == [["部", "市民生活部", "市川 信行"],
                                                                    ["らり", "市民生活部", "市川 信行"],
                                                                    ["部", "市民生活部", "市川 信行"]]
    (doc,) = parse_pages(pages)
    assert [(i.text, i.results) for g in doc.goals for i in g.initiatives] == [
        ("発券機を更新します。", None), ("相談窓口を増やします。", None), ("発券機を更新します。", None)]
    # a goal sheet's own 部 row atop every page, with no name, stays
    plain = [scanned(1, front)] + [scanned(n, GOAL) for n in (2, 3, 4)]
    assert all(p.furniture == () for p in drop_print_titles(plain, _is_front))
