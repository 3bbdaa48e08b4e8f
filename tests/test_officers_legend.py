"""Officer lines and the grade legend, in the ways different years write them."""
from __future__ import annotations

import pytest

from plansheet.parsers.legend import parse_legend
from plansheet.parsers.officers import parse_officer
from plansheet.parsers.records import GradeBand, Officer


@pytest.mark.parametrize("position, text, expected", [
    ("部長", "市川 信行", Officer("部長", "市川 信行")),
    ("監", "山口 伸和（総合政策監）", Officer("監", "山口 伸和", title="総合政策監")),
    ("監", "総合政策監 山口 智弘(行財政健全化担当)", Officer("監", "山口 智弘", title="総合政策監", charge="行財政健全化担当")),
    ("理事", "田中 一郎（都市整備担当）", Officer("理事", "田中 一郎", charge="都市整備担当")),
])
def test_officer_lines(position: str, text: str, expected: Officer) -> None:
    assert parse_officer(position, text) == expected


def test_empty_officer_cell_is_no_officer() -> None:
    assert parse_officer("監", "  ") is None


SEED_LEGEND = """- A：達成（目標を達成することができた。100%）
- B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満）
- C：一部達成（目標の一部を達成できた。50%以上70%未満）
- D：未達成（目標達成に向け取り組んだが、目標達成に至らなかった。50%未満）
- E：未実施（事業の取りやめなどにより評価不能又は困難。0%）"""


def test_legend_bounds_are_exactly_what_it_states() -> None:
    bands = parse_legend(SEED_LEGEND)
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in bands] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70),
        ("D", "未達成", None, 50), ("E", "未実施", 0, 0)]
    assert bands[0].description == "目標を達成することができた。"


def test_legend_joined_into_one_cell_and_full_width() -> None:
    text = "Ａ：達成（目標を達成した。１００％）Ｂ：概ね達成（概ね達成した。７０％以上１００％未満）"
    assert parse_legend(text) == [GradeBand("A", "達成", 100, 100, "目標を達成した。"),
                                  GradeBand("B", "概ね達成", 70, 100, "概ね達成した。")]


def test_two_officers_in_one_cell_are_two_rows() -> None:
    from plansheet.parsers.officers import split_officer_cell

    assert split_officer_cell("山口 伸和（総合政策監）小林 聡（危機管理監）") == ["山口 伸和（総合政策監）", "小林 聡（危機管理監）"]
    assert split_officer_cell("総合政策監 山口 智弘(行財政健全化担当)") == ["総合政策監 山口 智弘(行財政健全化担当)"]


@pytest.mark.parametrize("raw, expected", [("Ａ", "A"), (" b ", "B"), ("8", "B"), ("С", "C"), ("A（達成）", "A"),
                                           ("0", "D"), ("Z", "Z"), (None, None)])
def test_grades_are_read_as_legend_letters(raw: str | None, expected: str | None) -> None:
    from plansheet.parsers.repair import repair_grade

    assert repair_grade(raw, set("ABCDE")) == expected


def test_legend_without_parentheses() -> None:
    bands = parse_legend("Ａ．達成　100％ Ｂ．概ね達成 70％以上100％未満 Ｃ．一部達成 50％以上70％未満")
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in bands] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70)]


@pytest.mark.parametrize(("read", "right"), [
    ("総合政策監 山口 智弘(行財政健全化担当", "総合政策監 山口 智弘(行財政健全化担当)"),
    ("小林 聡（危機管理監", "小林 聡（危機管理監）"),
    ("山口 伸和(総合政策監)", "山口 伸和(総合政策監)"),
    ("市川 信行", "市川 信行"),
])
def test_a_bracket_lost_at_the_cells_edge_is_closed(read: str, right: str) -> None:
    from plansheet.parsers.officers import close_open_bracket

    assert close_open_bracket(read) == right
