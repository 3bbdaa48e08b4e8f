"""Review 1's D11-D17, on the real export (samples/000_…) and its year-end version
(tests/fixtures/grammar/seed_result.txt): how a sheet writes a percent, a grade set, the year, a post."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.parsers.document import parse_pages
from plansheet.parsers.records import ParsedDocument
from plansheet.readers.text_export import read_text_export

from conftest import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "grammar"
SEED_RESULT = (FIXTURES / "seed_result.txt").read_text(encoding="utf-8")
SEED_PLAN = (SAMPLES / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
LEGEND_B = "70%以上100%未満）"


def one(tmp_path: Path, text: str) -> ParsedDocument:
    """The one document a text export holding ``text`` gives."""
    path = tmp_path / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = parse_pages(read_text_export(path).pages, None)
    return doc


def _band(doc: ParsedDocument, grade: str) -> tuple[int | None, int | None]:
    (band,) = [b for b in doc.grade_scale if b.grade == grade]
    return band.min_pct, band.max_pct


@pytest.mark.parametrize("written", ["70パーセント以上100パーセント未満）", "70ﾊﾟｰｾﾝﾄ以上100ﾊﾟｰｾﾝﾄ未満）",
                                     "７０パーセント以上１００パーセント未満）"])
def test_d11_percent_written_as_a_word_is_a_percent(tmp_path: Path, written: str) -> None:
    """D11: パーセント is the percent sign; the bounds are 70 and 100, the description without them."""
    doc = one(tmp_path, SEED_PLAN.replace(LEGEND_B, written))
    assert _band(doc, "B") == (70, 100)
    assert [b.description for b in doc.grade_scale if b.grade == "B"] == ["概ね目標どおり達成することができた。"]
    assert doc.warnings == []


GOAL3_GRADE = "目標3の達成目標1の達成状況です。\tC"


@pytest.mark.parametrize("under, status, warned", [
    ("（一部達成）", "目標3の達成目標1の達成状況です。", False),
    ("(一部達成)", "目標3の達成目標1の達成状況です。", False),
    ("（概ね達成）", "目標3の達成目標1の達成状況です。", True),  # grade B's label under a C: kept C, named
    ("（令和6年3月末時点）", "目標3の達成目標1の達成状況です。（令和6年3月末時点）", False),  # no label: the status's
])
def test_d15_a_bracketed_gloss_under_a_grade_is_the_grade_cells(tmp_path: Path, under: str, status: str,
                                                                warned: bool) -> None:
    """D15: a text export writes a grade cell C⏎（一部達成） as two lines, the second under the status column."""
    doc = one(tmp_path, SEED_RESULT.replace(GOAL3_GRADE, GOAL3_GRADE + "\n" + under))
    target = doc.goals[2].targets[0]
    assert (target.status, target.grade) == (status, "C")
    named = [w for w in doc.warnings if w.startswith("goal 3 target 1 (page 4) grade: the line")]
    assert bool(named) == warned and len(doc.warnings) == len(named)


@pytest.mark.parametrize("written", ["山口 伸和【総合政策監】", "山口 伸和〔総合政策監〕", "山口 伸和［総合政策監］",
                                     "（総合政策監）山口 伸和", "【総合政策監】山口 伸和"])
def test_d17_a_bracketed_post_beside_a_name_is_its_title(tmp_path: Path, written: str) -> None:
    """D17: whichever bracket, and whichever side of the name, a post in brackets is the officer's title."""
    doc = one(tmp_path, SEED_PLAN.replace("山口 伸和（総合政策監）", written))
    assert [(o.position, o.name, o.title) for o in doc.officers] == [
        ("部長", "市川 信行", None), ("監", "山口 伸和", "総合政策監"), ("監", "小林 聡", "危機管理監")]
    assert doc.warnings == []


def test_d16_a_title_without_its_year_takes_the_overviews(tmp_path: Path) -> None:
    """D16: the overview heads its grade column 令和5年度 達成状況: the sheet's year, written again; named."""
    doc = one(tmp_path, SEED_PLAN.replace("令和5年度 政策推進部の運営方針", "政策推進部の運営方針"))
    assert (doc.fiscal_year, doc.fiscal_year_label, doc.department) == (2023, "令和5年度", "政策推進部")
    assert (len(doc.goals), len(doc.officers)) == (6, 3)
    assert doc.warnings == ["fiscal_year (page 1): the title states no year; 令和5年度 (2023) is read from the "
                            "【重点目標】 overview's header '令和5年度 達成状況'"]


S_LINE = "- S：大きく上回って達成（目標を大きく上回った。120%以上）\n- A：達成"
GOAL1_GRADE = "目標1の達成目標1の達成状況です。\tA"


def test_d12_a_legend_entry_s_is_a_grade_of_the_legend(tmp_path: Path) -> None:
    """D12: the legend defines the grade set. S is kept in grade_scale (120%以上: a bound past 100% is S's own);
    a target graded S is outside the A–E a grade column holds (SCHEMA), so emptied, and the warning says so."""
    doc = one(tmp_path, SEED_RESULT.replace("- A：達成", S_LINE, 1).replace(GOAL1_GRADE, GOAL1_GRADE[:-1] + "S"))
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in doc.grade_scale][:2] == [
        ("S", "大きく上回って達成", 120, None), ("A", "達成", 100, 100)]
    assert doc.goals[0].targets[0].grade is None
    assert doc.warnings == ["goal 1 target 1 (page 2) grade: 達成度 'S' is a grade of the legend (大きく上回って達成), "
                            "outside the A–E a grade column holds; left empty (the legend's row is kept in grade_scale)"]


def test_d12_a_legend_of_symbols_is_read_and_its_marks_are_no_title(tmp_path: Path) -> None:
    """D12: ◎ ○ △ × － are the grades of a symbol legend; the overview's △ is goal 3's grade, not its title's end."""
    text = SEED_RESULT
    for letter, mark in zip("ABCDE", "◎○△×－"):
        text = text.replace(f"- {letter}：", f"- {mark}：")
    text = text.replace("職員の能力向上\t\t\t\tC", "職員の能力向上\t\t\t\t△")
    doc = one(tmp_path, text)
    assert [(b.grade, b.label) for b in doc.grade_scale] == [
        ("◎", "達成"), ("○", "概ね達成"), ("△", "一部達成"), ("×", "未達成"), ("-", "未実施")]
    assert doc.goals[2].title == "職員の能力向上"
    assert not [w for w in doc.warnings if "no 【達成度について】 legend" in w or "title" in w]
    assert "goal 3 (page 4) overall_grade: 全体の達成度 '△' is a grade of the legend (一部達成), outside the A–E a " \
           "grade column holds; left empty (the legend's row is kept in grade_scale)" in doc.warnings


def test_d11_bounds_in_a_unit_not_known_are_named_not_silently_empty(tmp_path: Path) -> None:
    """D11: a legend entry whose written bounds cannot be read is named, never left silently null."""
    doc = one(tmp_path, SEED_PLAN.replace(LEGEND_B, "70ポイント以上100ポイント未満）"))
    assert _band(doc, "B") == (None, None)
    assert doc.warnings == ["grade_scale B min_pct, max_pct (page 1): '70ポイント以上、100ポイント未満' is no bound beside "
                            "the description (N%以上, N%未満, N%); left empty"]
