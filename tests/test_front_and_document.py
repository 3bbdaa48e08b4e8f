"""Front sheets written several ways, and pages split into department documents."""
from __future__ import annotations

from plansheet.core.model import Cell, ExtractionMethod, Page
from plansheet.parsers.document import PageKind, classify_page, parse_pages
from plansheet.parsers.front_sheet import parse_front_sheet


def row(page: int, r: int, *texts: str) -> list[Cell]:
    return [Cell(text=t, row=r, col=c, page=page) for c, t in enumerate(texts) if t]


OLD_FRONT = (row(1, 0, "柏原市 令和元年度 経営企画部の運営方針")
             + row(1, 1, "部", "経営企画部", "部長", "中西 正樹")
             + row(1, 2, "監", "総合政策監 山口 智弘(行財政健全化担当)", "理事", "田村 和彦（公民連携担当）")
             + row(1, 3, "【基本姿勢】") + row(1, 4, "経営企画部は、市の総合計画の進行管理を")
             + row(1, 5, "所管しています。")
             + row(1, 6, "【重点課題】")
             + row(1, 7, "1", "目標", "（３）　すこやかに暮らせるまち", "分野", "行財政運営", "令和元年度 達成状況")
             + row(1, 8, "", "行財政改革の推進", "", "", "", "Ｂ")
             + row(1, 9, "【達成度について】")
             + row(1, 10, "A：達成（目標を達成することができた。100%）")
             + row(1, 11, "B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満）"))


def test_older_front_sheet() -> None:
    front = parse_front_sheet(OLD_FRONT)
    assert (front.fiscal_year, front.fiscal_year_label, front.department) == (2019, "令和元年度", "経営企画部")
    assert front.title_municipality == "柏原市"
    assert [(o.position, o.title, o.name, o.charge) for o in front.officers] == [
        ("部長", None, "中西 正樹", None),
        ("監", "総合政策監", "山口 智弘", "行財政健全化担当"),
        ("理事", None, "田村 和彦", "公民連携担当"),
    ]
    assert front.basic_policy == "経営企画部は、市の総合計画の進行管理を所管しています。"
    [goal] = front.overview
    assert (goal.goal_no, goal.plan_goal_no, goal.plan_goal, goal.field, goal.title, goal.grade) == (
        1, 3, "すこやかに暮らせるまち", "行財政運営", "行財政改革の推進", "B")
    assert [b.grade for b in front.grade_scale] == ["A", "B"]


def goal_page(page: int, number: int, dept: str = "経営企画部") -> Page:
    cells = (row(page, 0, "部", dept) + row(page, 1, f"重点課題 {number}", "行財政改革の推進")
             + row(page, 2, "今年度の達成目標") + row(page, 3, "経常収支比率を改善します。")
             + row(page, 4, "具体的取組") + row(page, 5, "事務事業を見直します。") + row(page, 6, "所管室・課", "行政改革課"))
    return Page(page, tuple(cells), ExtractionMethod.TEXT_EXPORT)


def test_pages_are_classified() -> None:
    assert classify_page(Page(1, tuple(OLD_FRONT), ExtractionMethod.TEXT_EXPORT)) is PageKind.FRONT
    assert classify_page(goal_page(2, 1)) is PageKind.GOAL
    assert classify_page(Page(3, tuple(row(3, 0, "- 3 -")), ExtractionMethod.TEXT_EXPORT)) is PageKind.OTHER


def test_a_volume_splits_into_departments_and_skips_its_cover() -> None:
    cover = Page(1, tuple(row(1, 0, "令和元年度 部の運営方針 (全部局)")), ExtractionMethod.TEXT_EXPORT)
    second_front = [Cell(c.text.replace("経営企画部", "総務部"), c.row, c.col, 4) for c in OLD_FRONT]
    pages = [cover, Page(2, tuple(Cell(c.text, c.row, c.col, 2) for c in OLD_FRONT), ExtractionMethod.TEXT_EXPORT),
             goal_page(3, 1), Page(4, tuple(second_front), ExtractionMethod.TEXT_EXPORT), goal_page(5, 1, "総務部")]
    docs = parse_pages(pages)
    assert [(d.department, d.pages, d.fiscal_year) for d in docs] == [("経営企画部", [2, 3], 2019), ("総務部", [4, 5], 2019)]
    assert [g.page for d in docs for g in d.goals] == [3, 5]
    assert all(not d.warnings for d in docs), [d.warnings for d in docs]


def test_mismatched_overview_and_sheets_become_warnings() -> None:
    docs = parse_pages([Page(1, tuple(OLD_FRONT), ExtractionMethod.TEXT_EXPORT), goal_page(2, 2)])
    assert any("do not match the goal sheets" in w for w in docs[0].warnings)
    assert any(w.startswith("goal 1 (page ") and "targets: no 今年度の達成目標" in w for w in docs[0].warnings)
    # what only a sheet holds is named field by field (fuzz seed 42005: headings no rule read lost them unnamed)
    from bench.ocr_hard import named_by

    missing = [w for w in docs[0].warnings if w.startswith("goal 1 page, overall_summary")]
    assert len(missing) == 1 and "重点目標 1" in missing[0]
    row = {"goal_no": 1}
    assert all(named_by(missing, "goals", row, column) for column in ("page", "overall_summary", "next_steps"))
    assert not named_by(missing, "goals", row, "title") and not named_by(missing, "goals", {"goal_no": 2}, "page")


def test_municipality_is_the_city_the_title_names() -> None:
    # a year's 年度 before a department that begins 市 (市民生活部) is no city 年度市 (scan fuzz 50005-0015: its title
    # 平成30年度市民生活部の運営方針 gave municipality 年度市, unnamed)
    from plansheet.parsers.front_sheet import title_municipality

    assert title_municipality(["平成30年度市民生活部の運営方針"]) is None
    # a bracketed year before 年度 (scan fuzz seed 19002 variant 97 gave municipality 度市, named by nothing)
    assert title_municipality(["令和4（2022）年度市民生活部 運営方針"]) is None
    assert title_municipality(["四日市市 令和5年度 運営方針"]) == "四日市市"  # a 市 may stand in a city's name
    assert title_municipality(["令和５年度市民生活部の運営方針"]) is None
    assert title_municipality(["柏原市 令和5年度 市民生活部の運営方針"]) == "柏原市"
    assert title_municipality(["太子町 令和5年度 政策推進部の運営方針"]) == "太子町"  # a town's title
    assert title_municipality(["田村 和彦 政策推進部の運営方針"]) is None  # a surname, not a village


def test_overview_with_a_header_row() -> None:
    cells = (row(1, 0, "【重点目標】") + row(1, 1, "No.", "目標", "分野", "重点目標", "達成状況")
             + row(1, 2, "1", "(2) 誰もが住み慣れた地域で支え合うまち", "高齢者福祉", "介護予防の推進", "Ｃ")
             + row(1, 3, "2", "（３）　すこやかに暮らせるまち", "健康・医療", "健康寿命の延伸", ""))
    overview = parse_front_sheet(cells).overview
    assert [(g.goal_no, g.plan_goal_no, g.plan_goal, g.field, g.title, g.grade) for g in overview] == [
        (1, 2, "誰もが住み慣れた地域で支え合うまち", "高齢者福祉", "介護予防の推進", "C"),
        (2, 3, "すこやかに暮らせるまち", "健康・医療", "健康寿命の延伸", None)]


def test_the_department_cell_wins_over_the_title() -> None:
    cells = row(1, 0, "令和6年度 こども未来部運営方針") + row(1, 1, "部", "こども未来部・教育部", "部長", "森 一")
    front = parse_front_sheet(cells)
    assert (front.department, front.title_department, front.fiscal_year) == ("こども未来部・教育部", "こども未来部", 2024)


def test_a_title_written_as_the_position_label() -> None:
    cells = (row(1, 0, "令和3年度 総務部の運営方針") + row(1, 1, "部", "総務部", "部長", "中村 次郎")
             + row(1, 2, "総合政策監", "山口 智弘", "危 機 管 理 監", "小林 聡"))
    officers = parse_front_sheet(cells).officers
    assert [(o.position, o.title, o.name) for o in officers] == [
        ("部長", None, "中村 次郎"), ("監", "総合政策監", "山口 智弘"), ("監", "危機管理監", "小林 聡")]


def test_a_goal_number_in_a_cell_of_its_own() -> None:
    page = Page(2, tuple(row(2, 0, "部", "経営企画部") + row(2, 1, "重点目標", "２", "行財政改革の推進")
                         + row(2, 2, "今年度の達成目標") + row(2, 3, "経常収支比率を改善します。")),
                ExtractionMethod.TEXT_EXPORT)
    docs = parse_pages([Page(1, tuple(OLD_FRONT), ExtractionMethod.TEXT_EXPORT), page])
    goals = {g.goal_no: g for g in docs[0].goals}
    assert goals[2].title == "行財政改革の推進" and goals[2].page == 2
    assert [t.text for t in goals[2].targets] == ["経常収支比率を改善します。"]


def test_overview_rows_written_as_headings_do_not_start_sheets() -> None:
    front = (row(1, 0, "令和元年度 経営企画部の運営方針") + row(1, 1, "部", "経営企画部", "部長", "中西 正樹")
             + row(1, 2, "【基本方針】") + row(1, 3, "経営企画部は…") + row(1, 4, "【重点目標】")
             + row(1, 5, "重点目標1", "目標", "(3) すこやかに暮らせるまち", "分野", "行財政運営")
             + row(1, 6, "", "行財政改革の推進"))
    spill = Page(2, tuple(row(2, 0, "重点目標2", "目標", "(3) すこやかに暮らせるまち", "分野", "行財政運営")
                          + row(2, 1, "", "窓口の改善")), ExtractionMethod.TEXT_EXPORT)
    assert classify_page(spill) is PageKind.OTHER
    docs = parse_pages([Page(1, tuple(front), ExtractionMethod.TEXT_EXPORT), spill, goal_page(3, 1)])
    assert len(docs) == 1 and docs[0].pages == [1, 2, 3]
    assert [(g.goal_no, g.title, g.page) for g in docs[0].goals] == [(1, "行財政改革の推進", 3), (2, "窓口の改善", None)]


def test_an_overview_goal_number_misread_as_a_letter_is_the_next_goal() -> None:
    """``goal_sequence``: OCR read the number cell of goal 2 as ``C``; the row still opens a goal
    the way the others do (a short cell, then the 目標 label), so it is goal 2, not more of goal 1."""
    overview = (row(1, 0, "【重点目標】")
                + row(1, 1, "1", "目標", "(1) 安全で安心して健やかに暮らせるまち", "分野", "健康・医療", "令和6年度 達成状況")
                + row(1, 2, "", "がん検診の受診率向上", "", "", "", "A")
                + row(1, 3, "C", "目標", "(2) 誰もが住み慣れた地域で支え合うまち", "分野", "地域福祉", "令和6年度 達成状況")
                + row(1, 4, "", "重層的支援体制整備事業の準備", "", "", "", "D"))
    front = parse_front_sheet(overview)
    assert [(g.goal_no, g.plan_goal_no, g.field, g.title, g.grade) for g in front.overview] == [
        (1, 1, "健康・医療", "がん検診の受診率向上", "A"), (2, 2, "地域福祉", "重層的支援体制整備事業の準備", "D")]
    assert front.notes == ["overview goal 2 (page 1) number: OCR repair (goal_sequence) 'C' → '2'"]
    # a row that does not open a goal that way (no 目標 label after it) stays part of the goal above
    loose = [c for c in overview if c.row < 3] + row(1, 3, "C", "", "補足")
    assert [g.goal_no for g in parse_front_sheet(loose).overview] == [1]


def test_an_overview_goal_number_misread_under_a_header_repeated_above_every_goal_is_the_next_goal() -> None:
    """Scan fuzz seed 52004, variant 2: the header row stands again above every goal, and OCR read goal 4's number
    as ``C``: its row was read as more of goal 3 (goal 4's field and plan goal over goal 3's, ``C`` its grade, a
    plan read as a result). The row right under a header row repeated above each goal opens the next goal."""
    header = ("No.", "重点目標", "目標", "分野", "令和4年度 達成状況")
    goals = [("1", "民間事業者等との災害応援体制の構築", "(1) 安全で安心して健やかに暮らせるまち", "防災"),
             ("2", "橋りょうの計画的な修繕", "(1) 安全で安心して健やかに暮らせるまち", "道路・橋りょう"),
             ("3", "行政手続のオンライン化の推進", "(1) 安全で安心して暮らせるまち", "情報化"),
             ("C", "空き家への対策の強化", "(2) 住み続けたいまち", "住環境")]
    overview = row(1, 0, "【重点目標】")
    for k, goal in enumerate(goals):
        overview += row(1, 1 + 2 * k, *header) + row(1, 2 + 2 * k, *goal)
    front = parse_front_sheet(overview)
    assert [(g.goal_no, g.plan_goal, g.field, g.title, g.grade) for g in front.overview] == [
        (int(n) if n.isdigit() else 4, plan[4:], field, title, None) for n, title, plan, field in goals]
    assert front.notes == ["overview goal 4 (page 1) number: OCR repair (goal_sequence) 'C' → '4'"]


def test_an_ocr_header_value_under_no_label_and_a_missing_director_are_said() -> None:
    """OCR lost the 部長 label (an empty cell) and read 監 as 益: the names stand under no label;
    nothing may drop them silently (the header always names the director)."""
    def ocr(cells: list[Cell]) -> list[Cell]:
        return [Cell(c.text, c.row, c.col, c.page, confidence=0.99, weakest_glyph=0.99) for c in cells]

    def header(kan: str) -> list[Cell]:
        return ocr(row(1, 0, "令和2年度 経営企画部の運営方針") + row(1, 1, "部", "経営企画部", "", "坂口 弘樹")
                   + row(1, 2, "益", kan) + row(1, 3, "【基本方針】") + row(1, 4, "経営企画部は、所管しています。"))

    # the 監's title says its position (officer_title): taken, and named; the director is still said lost
    (doc,) = parse_pages([Page(1, tuple(header("藤井 誠(都市政策監)")), ExtractionMethod.OCR), goal_page(2, 1)])
    assert [(o.position, o.name) for o in doc.officers] == [("監", "藤井 誠")] and doc.director is None
    assert "officer 監 name (page 1): OCR read '益' where the label of '藤井 誠(都市政策監)' stands; taken as a 監 " \
           "from its title 都市政策監" in doc.warnings
    assert [w for w in doc.warnings if w.startswith("officer ? ")] == [
        "officer ? (page 1): '坂口 弘樹' stands in the header under no label (its label misread?); an officer may be lost"]
    # a value no title places: both names stand under no label, said so, and no director is guessed
    (doc,) = parse_pages([Page(1, tuple(header("藤井 誠(防災担当)")), ExtractionMethod.OCR), goal_page(2, 1)])
    assert doc.officers == [] and doc.director is None
    assert "officer 部長 name (page 1): no director read on the front sheet (its label or name misread?)" in doc.warnings
    assert [w for w in doc.warnings if w.startswith("officer ? ")] == [
        "officer ? (page 1): '坂口 弘樹' stands in the header under no label (its label misread?); an officer may be lost",
        "officer ? (page 1): '藤井 誠(防災担当)' stands in the header under no label (its label misread?); "
        "an officer may be lost"]
    # the same header read from a text layer says nothing of the kind (no OCR, no doubt)
    (plain,) = parse_pages([Page(1, tuple(OLD_FRONT), ExtractionMethod.TEXT_EXPORT), goal_page(2, 1)])
    assert not [w for w in plain.warnings if w.startswith("officer ")]


def test_a_page_holding_two_goal_sheets_counts_once() -> None:
    """Two goal sheets printed on one page: the department occupies pages 1 and 2, not three pages."""
    front = Page(1, tuple(OLD_FRONT), ExtractionMethod.TEXT_EXPORT)
    first, second = goal_page(2, 1), goal_page(2, 2)
    shifted = tuple(Cell(c.text, c.row + 10, c.col, 2) for c in second.cells)
    both = Page(2, first.cells + shifted, ExtractionMethod.TEXT_EXPORT)
    [doc] = parse_pages([front, both])
    assert [g.goal_no for g in doc.goals] == [1, 2]
    assert doc.pages == [1, 2]
