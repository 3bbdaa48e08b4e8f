"""A shared officer cell whose line wrapped at the space between a family and a given name (make fuzz seed
48030, a Chromium print: ``危機管理監 岡田`` | ``浩二(防災担当)`` joined ``岡田浩二`` under ``ok``)."""
from __future__ import annotations

from plansheet.core.model import Cell, ExtractionMethod, Page
from plansheet.parsers.document import parse_pages
from plansheet.parsers.officers import space_lost_at_a_wrap

TITLE = "令和5年度 市民生活部の運営方針"


def _front(officer_cell: str) -> list[Page]:
    rows = [[TITLE], ["部", "市民生活部", "部長", "森本 恵子"], ["監", officer_cell], ["【基本方針】"],
            ["市民の暮らしを支えます。"], ["【重点目標】"], ["No.", "重点目標", "分野"], ["1", "窓口の改善", "市民サービス"]]
    cells = tuple(Cell(text, r, c, 1) for r, texts in enumerate(rows) for c, text in enumerate(texts))
    goal = [["部", "市民生活部"], ["重点目標 1", "窓口の改善"], ["今年度の達成目標"], ["待ち時間を短縮します。"],
            ["具体的取組"], ["発券機を更新します。"], ["所管室・課", "市民課"]]
    goal_cells = tuple(Cell(text, r, c, 2) for r, texts in enumerate(goal) for c, text in enumerate(texts))
    return [Page(1, cells, ExtractionMethod.TEXT_EXPORT), Page(2, goal_cells, ExtractionMethod.TEXT_EXPORT)]


def test_a_name_that_lost_its_space_at_a_wrap_gets_it_back_and_is_named() -> None:
    (doc,) = parse_pages(_front("総合政策監 山口 智弘(行財政健全化担当)、危機管理監 岡田浩二(防災担当)"))
    assert [(o.title, o.name) for o in doc.officers if o.position == "監"] == [
        ("総合政策監", "山口 智弘"), ("危機管理監", "岡田 浩二")]
    assert any("'岡田浩二' is written as one word where the cell's other names stand apart" in w for w in doc.warnings)


def test_names_written_alike_are_left_alone() -> None:
    assert space_lost_at_a_wrap(["山口智弘", "岡田浩二"]) == []
    assert space_lost_at_a_wrap(["山口 智弘", "岡田 浩二"]) == []
    assert space_lost_at_a_wrap(["岡田浩二"]) == []
    assert space_lost_at_a_wrap(["山口 智弘", "林一"]) == []  # two characters: no name cut to speak of
    (doc,) = parse_pages(_front("総合政策監 山口智弘(行財政健全化担当)、危機管理監 岡田浩二(防災担当)"))
    assert [o.name for o in doc.officers if o.position == "監"] == ["山口智弘", "岡田浩二"]
    assert not any("written as one word" in w for w in doc.warnings)


def test_a_title_that_lost_its_space_at_a_wrap_is_split_from_the_name_after_it() -> None:
    """Fuzz 53003-0003 (Chromium, two officers of one cell parted by a space): the line wrapped at the space after
    健康福祉監, so the cell read ``… 健康福祉監中村 誠``; a person's line that begins with a title glued to a name is
    that title and that name (named as one unknown person before). 監物 is a family name, no title."""
    (doc,) = parse_pages(_front("技監 山田 恵子(行財政健全化担当) 健康福祉監中村 誠"))
    assert [(o.title, o.name, o.charge) for o in doc.officers if o.position == "監"] == [
        ("技監", "山田 恵子", "行財政健全化担当"), ("健康福祉監", "中村 誠", None)]
    assert not [w for w in doc.warnings if "officer" in w or "監" in w]
    (doc,) = parse_pages(_front("監物 太郎"))
    assert [(o.title, o.name) for o in doc.officers if o.position == "監"] == [(None, "監物 太郎")]


def test_two_people_whose_line_break_was_lost_after_a_name_in_kana_are_two() -> None:
    """Fuzz 53001-0039 (HTML, ``大久保 さくら<br>健康福祉監 …`` joined as a cell's lines are): a title word right after
    a name ending in kana starts the next person; after a kanji where the name ends cannot be told (left one, named)."""
    (doc,) = parse_pages(_front("総合政策監 大久保 さくら健康福祉監 長谷川 誠(地域連携担当)"))
    assert [(o.title, o.name, o.charge) for o in doc.officers if o.position == "監"] == [
        ("総合政策監", "大久保 さくら", None), ("健康福祉監", "長谷川 誠", "地域連携担当")]
    (doc,) = parse_pages(_front("総合政策監 山田 健一郎危機管理監 中村 さくら"))
    assert len([o for o in doc.officers if o.position == "監"]) == 1 and any("officer" in w for w in doc.warnings)
