"""The label table: every variant of every label, and values that must not match."""
from __future__ import annotations

import pytest

from plansheet.parsers.labels import Label, match_label


@pytest.mark.parametrize("text, label", [
    ("【基本方針】", Label.BASIC_POLICY), ("【基本姿勢】", Label.BASIC_POLICY), ("［基本方針］", Label.BASIC_POLICY),
    ("【重点目標】", Label.GOAL_OVERVIEW), ("【重点課題】", Label.GOAL_OVERVIEW),
    ("【達成度について】", Label.GRADE_LEGEND),
    ("今年度の達成目標", Label.TARGET), ("今 年 度 の 達 成 目 標", Label.TARGET),
    ("達成状況", Label.STATUS), ("令和5年度 達成状況", Label.STATUS), ("達成度", Label.GRADE),
    ("具体的取組", Label.INITIATIVE), ("具体的な取組", Label.INITIATIVE),
    ("所管室・課", Label.SECTION), ("所管室、課", Label.SECTION), ("所管室 課", Label.SECTION),
    ("具体的な取組実績", Label.RESULTS), ("総合評価・総括", Label.SUMMARY), ("総合評価、総括", Label.SUMMARY),
    ("全体の達成度", Label.OVERALL_GRADE), ("今後検討すべきこと", Label.NEXT_STEPS),
    ("部", Label.DEPARTMENT), ("部長", Label.DIRECTOR), ("部⻑", Label.DIRECTOR),
    ("監", Label.OFFICER), ("理事", Label.OFFICER), ("目標", Label.PLAN_GOAL), ("分野", Label.FIELD),
    # a goal sheet's label after a heading's mark, as in brackets (fuzz 61241-0045: a text export's line of its own)
    ("■総合評価・総括", Label.SUMMARY), ("◆今後検討すべきこと", Label.NEXT_STEPS), ("■【総合評価・総括】", Label.SUMMARY),
])
def test_label_variants(text: str, label: Label) -> None:
    match = match_label(text)
    assert match is not None and match.label is label


@pytest.mark.parametrize("text, number", [("重点目標 1", 1), ("重点課題２", 2), ("重点目標　１２", 12),
                                          # other years' and cities' headings (fuzz seed 42005: every goal lost)
                                          ("重点目標（1）", 1), ("【重点目標3】", 3), ("重点目標No.2", 2), ("重点目標№4", 4),
                                          ("重点課題 その2", 2), ("重点目標②", 2)])
def test_goal_headings_carry_their_number(text: str, number: int) -> None:
    match = match_label(text)
    assert match is not None and match.label is Label.GOAL_HEADING and match.number == number


@pytest.mark.parametrize("text", ["政策推進部", "市川 信行", "公民連携の拡充", "A", "(5) みんなでつくる暮らし続けられるまち",
                                  "重点目標(1", "【重点目標】の達成", "重点目標1-2", "重点目標1・2",
                                  "民間事業者との事業構築に向けた話し合いを持ちます。", "■■総合評価・総括", "■部長"])
def test_values_are_not_labels(text: str) -> None:
    assert match_label(text) is None


@pytest.mark.parametrize("text, label", [
    ("今年度の連成目標", Label.TARGET), ("【道成度について】", Label.GRADE_LEGEND), ("全体の連成度", Label.OVERALL_GRADE),
    ("総合諮価・総括", Label.SUMMARY), ("異体的取組", Label.INITIATIVE), ("今後検討すべきごと", Label.NEXT_STEPS),
])
def test_ocr_misreads_still_anchor_their_label(text: str, label: Label) -> None:
    assert match_label(text) is None
    match = match_label(text, fuzzy=True)
    assert match is not None and match.label is label


def test_ocr_misread_goal_heading_keeps_its_number() -> None:
    match = match_label("量点目標 4", fuzzy=True)
    assert match is not None and match.label is Label.GOAL_HEADING and match.number == 4


@pytest.mark.parametrize("text", ["達成", "部会", "市政運営", "公民連携の拡充", "人事課"])
def test_fuzzy_matching_leaves_short_values_alone(text: str) -> None:
    assert match_label(text, fuzzy=True) is None


@pytest.mark.parametrize("text, label", [("具体的取組１", Label.INITIATIVE), ("具体的取組(2)", Label.INITIATIVE),
                                         ("今年度の達成目標①", Label.TARGET), ("達成状況1", Label.STATUS),
                                         ("具体的な取組実績 2", Label.RESULTS)])
def test_labels_numbered_per_record(text: str, label: Label) -> None:
    match = match_label(text)
    assert match is not None and match.label is label


def test_every_fuzzy_spelling_is_a_spelling_the_label_accepts() -> None:
    from plansheet.parsers.labels import LABEL_TABLE
    for spec in LABEL_TABLE:
        for spelling in spec.spellings:
            found = match_label(spelling + "1" if spec.label is Label.GOAL_HEADING else spelling)
            assert found is not None and found.label == spec.label, spelling


@pytest.mark.parametrize("ocr_text, label", [
    ("具体皇な取組", Label.INITIATIVE),        # 具体的な取組, one kanji misread
    ("具体的な取リ組み", Label.INITIATIVE),    # り read as katakana リ
    ("本年度の逹成目標", Label.TARGET),
    ("今後の検討事頂", Label.NEXT_STEPS),
    ("具体的な取組の実續", Label.RESULTS),
])
def test_an_ocr_misread_of_another_years_spelling_still_anchors_its_section(ocr_text: str, label: Label) -> None:
    assert match_label(ocr_text) is None
    found = match_label(ocr_text, fuzzy=True)
    assert found is not None and found.label == label


def test_a_particle_after_the_section_label_makes_it_prose_not_a_label_and_its_section() -> None:
    """``担当課と地域包括支援センター…`` is a sentence (担当課 and the centre), not the label glued to a
    section: a section name never starts with a particle before a kanji (こども家庭課 does start in kana)."""
    from plansheet.parsers.labels import SECTION_NAME, glued_label

    assert glued_label("担当課と地域包括支援センター") == ("", "")
    assert glued_label("所管課の窓口や出張所") == ("", "")
    assert glued_label("所管 室・課市民相談課") == ("所管 室・課", "市民相談課")
    assert SECTION_NAME.match("こども家庭課") and not SECTION_NAME.match("と地域包括支援センター")


def test_the_department_label_with_a_speck_read_as_a_letter_is_that_label() -> None:
    """Hard scan 17051: goal 3's 部 label read ``部D`` (a speck as D), so its row was no label row and the sheet's
    department name ran on into goal 2's next_steps (``…着手します。市民生活部``). OCR'd, 部 and one stray letter
    or mark is the 部 label; a text layer is taken as written."""
    from plansheet.parsers.labels import Label, match_label

    assert match_label("部D", fuzzy=True).label is Label.DEPARTMENT
    assert match_label("`部", fuzzy=True).label is Label.DEPARTMENT
    assert match_label("部D", fuzzy=False) is None
    assert match_label("部長", fuzzy=True).label is not Label.DEPARTMENT
