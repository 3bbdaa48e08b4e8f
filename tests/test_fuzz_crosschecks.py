"""Cross-checks from the sheet's redundancy (parsers/crosscheck.py): a disagreement is repaired
from the better reading or emptied, always with a warning naming the field and the page."""
from __future__ import annotations

from plansheet.parsers.document import parse_pages
from plansheet.parsers.records import ParsedDocument
from plansheet.readers.text_export import lines_to_pages

FRONT = """令和4年度 市民部の運営方針

部\t市民部\t部長\t山田 太郎

【基本方針】
市民の暮らしを支えます。

【重点目標】
1\t目標\t(1) 安全なまち\t分野\t防災\t令和4年度 達成状況
\t防災力の強化\t\t\t\tB

【達成度について】
- A：達成（目標を達成することができた。100%）
- B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満）
- C：一部達成（目標の一部を達成できた。50%以上70%未満）
"""
SHEET = """部\t市民部
---\t---

重点目標 1\t防災力の強化
---\t---

今年度の達成目標
訓練を行います。
達成状況\t達成度
訓練を3回行った。\tB

具体的取組
防災訓練を行います。
所管室・課\t危機管理課
具体的な取組実績
3回実施した。

総合評価・総括
概ね達成した。
全体の達成度
B
"""


def _parse(front: str = FRONT, sheet: str = SHEET) -> ParsedDocument:
    documents = parse_pages(lines_to_pages((front + "\n" + sheet).split("\n")))
    assert len(documents) == 1
    return documents[0]


def test_the_untouched_sheet_has_no_warning() -> None:
    doc = _parse()
    assert doc.warnings == []
    assert (doc.goals[0].title, doc.goals[0].overall_grade) == ("防災力の強化", "B")


def test_overview_title_that_differs_from_the_sheet_gives_way_to_the_sheet() -> None:
    doc = _parse(front=FRONT.replace("\t防災力の強化\t", "\t防災力の強化重点課題\t"))
    assert doc.goals[0].title == "防災力の強化"
    assert any("goal 1 (page 2) title: differs" in w and "kept the goal sheet's" in w for w in doc.warnings)


def test_overview_grade_and_overall_grade_that_disagree_are_emptied() -> None:
    doc = _parse(sheet=SHEET.replace("全体の達成度\nB", "全体の達成度\nA"))
    assert doc.goals[0].overall_grade is None
    assert any("goal 1 (page 2) overall_grade: 全体の達成度 'A'" in w and "left empty" in w for w in doc.warnings)


def test_the_grade_that_is_in_the_legend_wins() -> None:
    doc = _parse(sheet=SHEET.replace("全体の達成度\nB", "全体の達成度\nP"))
    assert doc.goals[0].overall_grade == "B"
    assert any("kept 'B', the one in the legend" in w for w in doc.warnings)


def test_legend_bounds_against_their_own_grammar() -> None:
    doc = _parse(front=FRONT.replace("70%以上100%未満", "80%以上70%未満").replace("50%以上70%未満", "50%以上90%未満"))
    bounds = {band.grade: (band.min_pct, band.max_pct) for band in doc.grade_scale}
    assert bounds == {"A": (100, 100), "B": (None, None), "C": (50, 90)}
    assert any("【達成度について】 (page 1): grade B bounds 80–70" in w for w in doc.warnings)
    doc = _parse(front=FRONT.replace("50%以上70%未満", "50%以上90%未満"))
    assert {band.grade: (band.min_pct, band.max_pct) for band in doc.grade_scale}["C"] == (None, None)
    assert any("grade C reaches 90%, above grade B's 70%" in w for w in doc.warnings)


def test_a_band_that_starts_where_the_band_above_starts_is_emptied() -> None:
    """OCR read D's 「50%未満」 as 50%未溝 (scan fuzz variant 302-0006): no bound's word follows the 50%, so D holds
    no bounds, named (read as a bare 50%, D would hold 50%, which C holds: named as well)."""
    legend = FRONT.replace("- C：一部達成（目標の一部を達成できた。50%以上70%未満）",
                           "- C：一部達成（目標の一部を達成できた。50%以上70%未満）\n- D：未達成（至らなかった。50%未溝）")
    doc = _parse(front=legend)
    bounds = {band.grade: (band.min_pct, band.max_pct) for band in doc.grade_scale}
    assert bounds == {"A": (100, 100), "B": (70, 100), "C": (50, 70), "D": (None, None)}
    assert "grade_scale D min_pct, max_pct (page 1): '50%未溝' is no bound beside the description (N%以上, N%未満, " \
        "N%); left empty" in doc.warnings
    doc = _parse(front=legend.replace("50%未溝", "50%未満"))
    assert {band.grade: (band.min_pct, band.max_pct) for band in doc.grade_scale}["D"] == (None, 50)
    assert doc.warnings == []


def test_department_cell_and_title_that_disagree() -> None:
    doc = _parse(front=FRONT.replace("部\t市民部\t部長", "部\t市民\t部長"))
    assert doc.department == "市民部"
    assert any("department (page 1): the 部 cell says '市民', the title '市民部'" in w for w in doc.warnings)


def test_targets_without_their_status_grade_pair_are_reported() -> None:
    sheet = SHEET.replace("\n訓練を行います。\n", "\n訓練を行います。\n今年度の達成目標\n備蓄を増やします。\n")
    doc = _parse(sheet=sheet)
    assert any("goal 1 (page 2): 2 今年度の達成目標 but 1 達成状況 and 1 達成度 labels" in w for w in doc.warnings)


def _ocr(text: str) -> ParsedDocument:
    """``text`` parsed as if OCR had read it (every cell with a confidence)."""
    from dataclasses import replace

    pages = [replace(p, cells=tuple(replace(c, confidence=0.99) for c in p.cells)) for p in lines_to_pages(text.split("\n"))]
    (doc,) = parse_pages(pages)
    return doc


def test_an_overview_title_that_ran_on_into_its_field_gives_the_field() -> None:
    """Scan fuzz seed 52002 (variants 3, 8, 12): OCR lost the rule between the overview row's title and
    its 分野, so the title cell read '…の充実消費生活' and every 分野 came out empty, named by nothing.
    The goal sheet's title ends where the overview's title ends: the rest is the 分野."""
    front = FRONT.replace("\t分野\t防災\t", "\t分野\t\t").replace("\t防災力の強化\t", "\t防災力の強化防災\t")
    doc = _ocr(front + "\n" + SHEET)
    goal = doc.goals[0]
    assert (goal.title, goal.field) == ("防災力の強化", "防災")
    assert "goal 1 field: OCR repair (title_ran_on) the 【重点目標】 row read its title and 分野 as one cell " \
           "('…防災力の強化防災'): 分野 '防災'" in doc.warnings
    assert not any("title: differs" in w for w in doc.warnings)
    assert goal.confidence is not None and goal.confidence <= 0.6
    # a tail that runs on into the next row is no 分野: the lost 分野 is named
    doc = _ocr(front.replace("防災力の強化防災", "防災力の強化防災人権尊重のまちづくり、啓発") + "\n" + SHEET)
    assert doc.goals[0].field is None
    assert any(w.startswith("goal 1 (page 2) field: the 【重点目標】 row's title cell read on past") for w in doc.warnings)
    # one run on past its 分野 into the goal word heading the row below (scan fuzz seed 19002 variant 63,
    # '…の着実な推進行財政改革重点課題' gave 分野 '行財政改革重点課題', named by nothing): the word is no 分野
    doc = _ocr(front.replace("防災力の強化防災", "防災力の強化防災重点課題") + "\n" + SHEET)
    assert doc.goals[0].field == "防災"
    assert ("goal 1 (page 2) field: the 【重点目標】 row read its title, 分野 and the heading '重点課題' as one cell "
            "('…防災力の強化防災重点課題'); 分野 taken as '防災', check it") in doc.warnings
    # a 分野 run on into the title from the left (seen scan fuzz 47-0013, a one-goal sheet, '分節高齢者福祈地域…')
    doc = _ocr(front.replace("防災力の強化防災", "分節防災力の強化") + "\n" + SHEET)
    assert (doc.goals[0].title, doc.goals[0].field) == ("防災力の強化", None)
    assert "goal 1 (page 2) field: the 【重点目標】 row's title cell holds '分節' before the goal sheet's title; its 分野 " \
           "may be in it" in doc.warnings
    assert not any("title: differs" in w for w in doc.warnings)
    # a text layer is taken as written
    doc = _parse(front=front)
    assert doc.goals[0].field is None and any("title: differs" in w for w in doc.warnings)


def test_an_overview_that_gave_no_row_names_the_values_it_should_have_given() -> None:
    """Scan fuzz seed 52002, variant 13: the one row of the overview misread, the goal's plan goal and
    分野 came out empty and nothing named them."""
    front = FRONT.replace("1\t目標\t(1) 安全なまち\t分野\t防災\t令和4年度 達成状況\n\t防災力の強化\t\t\t\tB", "目漂 安全なまち")
    doc = _ocr(front + "\n" + SHEET)
    assert [w for w in doc.warnings if "gave no goal row" in w] == [
        f"goal 1 (page 2) {name}: the 【重点目標】 overview gave no goal row (its rows misread?); this value is not known"
        for name in ("plan_goal_no", "plan_goal", "field")]
    assert not any("gave no goal row" in w for w in _ocr(FRONT + "\n" + SHEET).warnings)


def test_a_sheet_title_cut_short_is_named_not_read_as_a_field() -> None:
    """Review: the sheet's title read 防災力の強 and the overview's 防災力の強化 with its 分野 cell empty:
    the one kanji left over is the title's own end, not a 分野 (a 分野 is a word); the title is named
    and the goal's confidence capped."""
    front = FRONT.replace("\t分野\t防災\t", "\t分野\t\t")
    doc = _ocr(front + "\n" + SHEET.replace("防災力の強化", "防災力の強", 1))
    goal = doc.goals[0]
    assert goal.field is None
    assert any(w.startswith("goal 1 (page 2) title: ") for w in doc.warnings)
    assert goal.confidence is not None and goal.confidence <= 0.6
