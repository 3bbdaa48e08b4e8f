"""Goal-sheet labels worded as the label table did not know them (fuzz axis label_wording, seeds 58001–58040): a
label's text is never glued into the field above it. A wording of a known section is read by its words (the table:
総合所見, 成果目標, 実施結果 …; a status or grade head made of that column's words, 実施状況 | 達成度評価; 目標 alone on
a goal sheet) or, where no word says, by its place (評価 or 所見 after the last 具体的取組 block: the summary; 改善点
below 全体の達成度: the next steps), then named. A cell holding a label and its value (所管室 課：人権推進課,
所管室 課 人権推進課, 全体の達成度　B) or a goal field's label atop its text (【総合評価・総括】 then the summary; fuzz axis
two_section_cells, seed 58002) is that label and its value. Each sheet is a generated variant read back against its
truth."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from samples.generate import fuzz

from rendered import read_variant


def _read(tmp_path: Path, renderer: str, index: int, labels: tuple[tuple[str, str], ...],
          shared: str = "", headings: tuple[str, str] | None = None) -> tuple[str, list[str], str]:
    """Variant (58950, index) of ``renderer`` with its goal sheets' ``labels`` worded so (and cells holding two parts,
    ``shared``: fuzz axis two_section_cells; the front sheet's ``headings``): (status, differences from its truth,
    warnings)."""
    variant = fuzz.draw(58950, index, (renderer,))
    assert not variant.style.side_labels
    variant.style = replace(variant.style, labels=labels)
    if shared:
        variant.params["two_section_cells"] = shared
    if headings:
        variant.department.policy_heading, variant.department.goals_heading = headings
    return read_variant(tmp_path, variant)


# (renderer, index of a sheet read exact and ok as the samples word it (a result's, but text 2: a plan's), the labels
# worded otherwise)
READ_BY_WORDS = [
    ("text", 5, (("総合評価・総括", "総合所見"),)),
    ("xlsx", 11, (("今年度の達成目標", "目標"), ("具体的な取組実績", "実施結果"))),
    ("html", 5, (("達成状況", "実施状況"), ("達成度", "達成度評価"))),
    ("text", 5, (("達成度", "判定"),)),
    ("reportlab", 11, (("今年度の達成目標", "成果目標"), ("全体の達成度", "総合的な達成度"), ("今後検討すべきこと", "今後の方向性"))),
]


@pytest.mark.parametrize(("renderer", "index", "labels"), READ_BY_WORDS)
def test_a_wording_of_a_known_section_is_read_by_its_words(tmp_path: Path, renderer: str, index: int,
                                                            labels: tuple[tuple[str, str], ...]) -> None:
    status, differences, _ = _read(tmp_path, renderer, index, labels)
    assert (status, differences) == ("ok", [])


@pytest.mark.parametrize(("renderer", "index"), [("cid", 0), ("reportlab", 0)])
def test_a_plan_sheets_overall_grade_head_over_an_empty_box_is_that_head(tmp_path: Path, renderer: str,
                                                                         index: int) -> None:
    """fuzz 61181-0034 (label_wording): a plan sheet's 全体の達成度 worded 自己評価, a grade word told by its place, with
    the grade's box beside it left empty, was taken for the text of the empty 総合評価・総括 box above, and the
    sheet for a result, under ok. Nothing beside the head is what a plan leaves there, as a letter is a result's."""
    status, differences, warnings = _read(tmp_path, renderer, index, (("全体の達成度", "自己評価"),))
    assert (status, differences) == ("ok", []), warnings


def test_a_status_head_over_a_grade_a_formula_leaves_unshown_is_that_head(tmp_path: Path) -> None:
    """fuzz 61181-0035 (label_wording, unshown): 達成状況（実績） | 達成度 over a status and a grade its formula prints as
    #VALUE!: the head, told by its words, was glued into the target's text (the grade's box held no letter), and the
    status beside another such grade left out, unnamed. What a spreadsheet prints in place of a value stands where
    the grade's letter would."""
    variant = fuzz.draw(58950, 11, ("xlsx",))
    variant.style = replace(variant.style, labels=(("達成状況", "達成状況（実績）"),))
    target = next(t for g in variant.department.goals for t in g.targets if t.grade)
    target.grade, target.grade_shown = None, "#VALUE!"
    status, differences, warnings = read_variant(tmp_path, variant)
    assert differences == [] and status == "partial", warnings
    assert "grade: printed as '#VALUE!'" in warnings


READ_BY_PLACE = [
    ("text", 5, (("総合評価・総括", "評価"),), "overall_summary", "評価"),
    ("text", 2, (("総合評価・総括", "評価"),), "overall_summary", "評価"),  # a plan: its boxes empty (fuzz 58003-0014)
    ("reportlab", 11, (("総合評価・総括", "所見"),), "overall_summary", "所見"),
    ("xlsx", 11, (("今後検討すべきこと", "改善点"),), "next_steps", "改善点"),
]


@pytest.mark.parametrize(("renderer", "index", "labels", "field", "printed"), READ_BY_PLACE)
def test_a_label_no_word_tells_is_read_by_its_place_and_named(tmp_path: Path, renderer: str, index: int,
                                                              labels: tuple[tuple[str, str], ...], field: str,
                                                              printed: str) -> None:
    """Review 4: 評価 alone over the summary had glued it into the last initiative's results, ok."""
    status, differences, warnings = _read(tmp_path, renderer, index, labels)
    assert differences == [] and status == "partial"
    named = [w for w in warnings.splitlines() if f") {field}: its label is printed {printed!r}" in w]
    assert named and all(w.startswith("goal ") and "(page " in w for w in named)


# (renderer, index, the labels as the sheet spells them, how cells hold two parts: wording.share_cells draws the forms)
SHARED = [
    ("text", 5, (("所管室・課", "所管室 課"),), "grade_inline+label_in_text+section_inline"),
    ("xlsx", 11, (), "grade_inline+label_in_text+section_inline"),
    ("html", 5, (("所管室・課", "所管室 課"),), "label_in_text+section_inline"),
    ("reportlab", 11, (("所管室・課", "所管室 課"),), "grade_inline+label_in_text+section_inline"),
]


@pytest.mark.parametrize(("renderer", "index", "labels", "shared"), SHARED)
def test_a_cell_holding_a_label_and_its_value_is_that_label_and_its_value(
        tmp_path: Path, renderer: str, index: int, labels: tuple[tuple[str, str], ...], shared: str) -> None:
    """fuzz 58002 (two_section_cells): 所管室 課 人権推進課 in one cell had been glued into the initiative's text, and
    【総合評価・総括】 atop the summary's text into the last initiative's results, under ok."""
    status, differences, warnings = _read(tmp_path, renderer, index, labels, shared)
    assert (status, differences) == ("ok", []), warnings


@pytest.mark.parametrize(("index", "form"), [(5, "■{label}\n{text}"), (5, "【{label}】\n{text}"), (11, "■{label}\n{text}")])
def test_a_label_after_a_heading_mark_on_a_line_of_its_own_is_that_label(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, form: str) -> None:
    """fuzz 61241-0045 (two_section_cells): a text export writes the 総合評価・総括 box typed ■総合評価・総括 ⏎ its text as
    two lines; ■総合評価・総括 alone was read as no label, the summary and 今後検討すべきこと lost and glued into the
    overall grade, unnamed. A goal sheet's label after a heading's mark is that label, as in brackets."""
    from samples.generate import wording
    monkeypatch.setattr(wording, "_IN_TEXT_FORMS", (form,))
    status, differences, warnings = _read(tmp_path, "text", index, (), "label_in_text")
    assert (status, differences) == ("ok", []), warnings


@pytest.mark.parametrize(("text", "lines", "head", "rest"), [
    ("所管室 課：人権推進課", (), "所管室 課", "人権推進課"),
    ("全体の達成度: B", (), "全体の達成度", "B"),
    ("所管室 課 人権推進課", (), "所管室 課", "人権推進課"),
    ("【総合評価・総括】電子申請の基盤は整いました。", (), "【総合評価・総括】", "電子申請の基盤は整いました。"),
    ("■総合評価・総括電子申請の基盤は整いました。", ("■総合評価・総括", "電子申請の基盤は整いました。"), "総合評価・総括",
     "電子申請の基盤は整いました。"),
])
def test_a_label_typed_with_its_value_parts_from_it(text: str, lines: tuple[str, ...], head: str, rest: str) -> None:
    from plansheet.core.model import Cell
    from plansheet.parsers.layout import split_label_prefix
    parts = split_label_prefix(Cell(page=2, row=3, col=0, text=text, lines=lines))
    assert parts is not None and (parts[0].text, parts[1].text) == (head, rest)


@pytest.mark.parametrize("text", ["所管室・課と連携して実施した。", "実績：参加者3,210人", "監査 委員の意見を踏まえ見直した",
                                  "具体的取組の見直しを進め、所管室・課と連携して実施した。"])
def test_prose_that_begins_with_a_labels_words_is_no_label(text: str) -> None:
    from plansheet.core.model import Cell
    from plansheet.parsers.layout import split_label_prefix
    assert split_label_prefix(Cell(page=2, row=3, col=0, text=text)) is None


@pytest.mark.parametrize(("renderer", "index"), [("text", 5), ("xlsx", 11), ("reportlab", 11)])
def test_a_front_sheet_heading_no_table_knows_is_read_by_its_place_and_named(tmp_path: Path, renderer: str,
                                                                             index: int) -> None:
    """fuzz 58001 (label_wording): 【部の使命】 over the basic policy had left it empty, and 【今年度の柱】 over the goals'
    table every goal's plan goal and field, the fields named in no way the goals' rows are."""
    status, differences, warnings = _read(tmp_path, renderer, index, (), headings=("【部の使命】", "■今年度の柱"))
    assert differences == [] and status == "partial"
    assert "basic_policy (page 1): the heading is printed '【部の使命】'" in warnings
    assert "plan_goal_no, plan_goal, field (page 1): the heading is printed '■今年度の柱'" in warnings


def test_front_sheet_headings_other_cities_write_are_read_by_their_words(tmp_path: Path) -> None:
    status, differences, warnings = _read(tmp_path, "xlsx", 11, (), headings=("【部の方針】", "【主な重点目標】"))
    assert (status, differences) == ("ok", []), warnings
