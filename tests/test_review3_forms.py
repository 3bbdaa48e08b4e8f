"""A number, grade, legend, officer or column label written as another year or city writes it (REVIEW3: V10, V11,
V14, V16, V22): read from review 3's probes (the ``result`` department's text export, one thing written another
way, in ``fixtures/review3``) and from the project's own renderers."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT, read, render

from plansheet.parsers.labels import Label, match_label
from plansheet.parsers.records import ParsedDocument
from plansheet.pipeline.stages import process_file
from plansheet.settings import Settings

from samples.generate import layout  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "review3"
KINDS = ("txt", "xlsx", "html", "pdf")


def _rewrite(monkeypatch: pytest.MonkeyPatch, change) -> None:  # type: ignore[no-untyped-def]
    """Every cell of a row the layout draws passes through ``change(cell)``, which may rewrite its text."""
    pages_of = layout.department_pages

    def changed(d, *args, **kwargs):  # type: ignore[no-untyped-def]
        pages = pages_of(d, *args, **kwargs)
        for page in pages:
            for row in getattr(page, "rows", []):
                for cell in row.cells:
                    change(cell)
        return pages

    monkeypatch.setattr(layout, "department_pages", changed)


def read_fixture(name: str) -> tuple[str, ParsedDocument, list[str]]:
    """Status, document and warnings of one probe in ``fixtures/review3``."""
    outcome = process_file(FIXTURES / name, Settings())
    (doc,) = outcome.documents
    return outcome.result.status.value, doc, outcome.result.warnings


def rows(doc: ParsedDocument) -> list[tuple]:
    """Every goal's fields, targets and initiatives, as a comparable list."""
    return [(g.goal_no, g.title, g.field, g.plan_goal_no, g.overall_grade, g.overall_summary, g.next_steps,
             [(t.text, t.status, t.grade) for t in g.targets], [(i.text, i.section, i.results) for i in g.initiatives])
            for g in doc.goals]


# V10: a goal's number in any numeral a person reads as it, before or after the goal word

@pytest.mark.parametrize("text, number", [("重点目標 一", 1), ("重点目標　二", 2), ("重点目標（三）", 3), ("重点目標 十二", 12),
                                          ("重点目標 二十", 20), ("第1重点目標", 1), ("第２重点課題", 2), ("第一の重点目標", 1),
                                          ("重点目標第3", 3), ("【第4重点目標】", 4), ("重点目標Ⅳ", 4)])
def test_a_goal_heading_number_in_any_numeral(text: str, number: int) -> None:
    """V10: 重点目標 一, 第1重点目標 … head goal sheets as 重点目標 1 does."""
    match = match_label(text)
    assert match is not None and match.label is Label.GOAL_HEADING and match.number == number


@pytest.mark.parametrize("text", ["重点目標一覧", "重点目標十十", "第重点目標", "重点目標 IIX"])
def test_a_goal_word_with_no_numeral_is_no_heading(text: str) -> None:
    assert match_label(text) is None


@pytest.mark.parametrize("name", ["r_gno_kanji.txt", "r_gno_dai.txt"])
def test_goal_sheets_headed_with_a_kanji_numeral_or_dai_n_are_read(name: str) -> None:
    """V10: the probes headed 重点目標 一 … and 第1重点目標 … read as the sheet headed 重点目標 1 … does (every target,
    initiative and summary had been lost, the goal sheets' text read into the legend's E band)."""
    status, doc, warnings = read_fixture(name)
    _, base, _ = read_fixture("result.txt")
    assert [b.grade for b in doc.grade_scale] == ["A", "B", "C", "D", "E"]
    assert rows(doc) == rows(base)
    assert sum(len(g.targets) for g in doc.goals) == 5
    assert status == "ok", warnings


@pytest.mark.parametrize("written", ["重点目標 {kanji}", "第{no}重点目標"])
@pytest.mark.parametrize("kind", KINDS)
def test_goal_sheet_headings_in_kanji_on_every_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, written: str) -> None:
    """V10 on every reader: each goal sheet's heading cell written 重点目標 二 or 第2重点目標."""
    kanji = "一二三四五六七八九"

    def change(cell) -> None:  # type: ignore[no-untyped-def]
        for no in range(1, 10):
            if cell.text == f"重点目標 {no}":
                cell.text = written.format(kanji=kanji[no - 1], no=no)

    (tmp_path / "base").mkdir()
    status, base = read(render(copy.deepcopy(RESULT), kind, tmp_path / "base"))
    _rewrite(monkeypatch, change)
    status, doc = read(render(copy.deepcopy(RESULT), kind, tmp_path))
    assert rows(doc) == rows(base)
    assert status == "ok", doc.warnings


def test_overview_goal_numbers_in_kanji(tmp_path: Path) -> None:
    """V10: the overview's goal rows numbered 一, 二 … are goals 1, 2 …"""
    text = (FIXTURES / "result.txt").read_text(encoding="utf-8")
    for no, kanji in enumerate("一二三四", start=1):
        text = text.replace(f"\n{no}\t目標\t", f"\n{kanji}\t目標\t")
    path = tmp_path / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    outcome = process_file(path, Settings())
    (doc,) = outcome.documents
    _, base, _ = read_fixture("result.txt")
    assert rows(doc) == rows(base)
    assert outcome.result.status.value == "ok", outcome.result.warnings


# V11: a grade written as its letter, in brackets, or as the legend's own word for it

@pytest.mark.parametrize("name", ["r_grade_paren.txt", "r_grade_word.txt", "r_grade_ov_word.txt"])
def test_a_grade_in_brackets_or_in_the_legends_word_is_that_grade(name: str) -> None:
    """V11: goal 2's 全体の達成度 written （C） or 一部達成 (C's word in this sheet's legend), or the overview's grade
    of goal 2 written 一部達成, is grade C: no difference is reported (it had been partial, '(C)' and 'C' called
    different), and the word is never part of the overview's title."""
    status, doc, warnings = read_fixture(name)
    _, base, _ = read_fixture("result.txt")
    assert doc.goals[1].overall_grade == "C"
    assert doc.goals[1].title == "地域包括ケアシステムの深化と介護予防の推進"
    assert rows(doc) == rows(base)
    assert status == "ok", warnings


WORDS = {"A": "達成", "B": "概ね達成", "C": "一部達成", "D": "未達成", "E": "未実施"}


@pytest.mark.parametrize("written", ["（{letter}）", "{word}"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_grade_cell_in_brackets_or_words_on_every_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, written: str) -> None:
    """V11 on every reader: every grade cell (the overview's, each target's, each 全体の達成度) written （C） or in
    the legend's word (一部達成) reads as its letter."""
    def change(cell) -> None:  # type: ignore[no-untyped-def]
        if cell.text in WORDS:
            cell.text = written.format(letter=cell.text, word=WORDS[cell.text])

    (tmp_path / "base").mkdir()
    _, base = read(render(copy.deepcopy(RESULT), kind, tmp_path / "base"))
    _rewrite(monkeypatch, change)
    status, doc = read(render(copy.deepcopy(RESULT), kind, tmp_path))
    assert [g.overall_grade for g in doc.goals] == [g.overall_grade for g in base.goals] == ["A", "C", "E", "D"]
    assert rows(doc) == rows(base)
    assert status == "ok", doc.warnings


def test_a_word_two_grades_share_names_neither() -> None:
    """V11: the legend's word maps to its letter only where one grade has it."""
    from plansheet.parsers.records import GradeBand
    from plansheet.parsers.repair import grade_words, repair_grade

    bands = [GradeBand("A", "達成", 100, None), GradeBand("B", "一部達成", 50, 100), GradeBand("C", "一部達成", 0, 50)]
    assert grade_words(bands) == {"達成": "A"}
    assert repair_grade("（達成）", {"A", "B", "C"}, words=grade_words(bands)) == "A"
    assert repair_grade("一部達成", {"A", "B", "C"}, words=grade_words(bands)) == "一部達成"
    assert repair_grade("（Ｂ）", {"A", "B", "C"}) == "B"


# V14: the legend known by its heading's variants and by its own lines

@pytest.mark.parametrize("name", ["r_leghead_jokyo.txt", "r_leghead_kijun.txt", "r_leghead_kome.txt",
                                  "r_leg_nohead.txt", "r_leghead_meyasu.txt"])
def test_a_legend_under_another_heading_or_none_is_the_legend(name: str) -> None:
    """V14: the legend under 【達成状況について】, 【評価基準】, ※達成度の区分, 【評価の目安】 (a heading no table lists)
    or no heading gives the five grades with their bounds, and no goal title holds its lines (grade_scale had been
    empty, the five lines glued into goal 4's overview title)."""
    status, doc, warnings = read_fixture(name)
    _, base, _ = read_fixture("result.txt")
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in doc.grade_scale] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70), ("D", "未達成", None, 50),
        ("E", "未実施", 0, 0)]
    assert rows(doc) == rows(base)
    assert status == "ok", warnings


@pytest.mark.parametrize("heading", ["【評価基準】", "【評価の目安】", ""])
@pytest.mark.parametrize("kind", KINDS)
def test_the_legend_under_another_heading_on_every_reader(tmp_path: Path, kind: str, heading: str) -> None:
    """V14 on every reader: the legend headed 【評価基準】, 【評価の目安】 or nothing."""
    (tmp_path / "base").mkdir()
    _, base = read(render(copy.deepcopy(RESULT), kind, tmp_path / "base"))
    department = copy.deepcopy(RESULT)
    department.legend_heading = heading
    status, doc = read(render(department, kind, tmp_path))
    assert [b.grade for b in doc.grade_scale] == ["A", "B", "C", "D", "E"]
    assert doc.grade_scale == base.grade_scale
    assert rows(doc) == rows(base)
    assert status == "ok", doc.warnings


def test_grade_letters_out_of_order_are_no_legend() -> None:
    """V14: lines that give one grade, or letters out of the alphabet's order, are no legend."""
    from plansheet.parsers.front_sheet import _in_order

    assert _in_order(["A", "B", "C"])
    assert not _in_order(["A"]) and not _in_order(["A", "C"]) and not _in_order(["B", "A"])
    assert _in_order(["S", "A", "B"])


# V16: each post word followed by a name starts a person, whatever parts the header's cells

@pytest.mark.parametrize("name", ["b_off_all_one_cell.txt", "b_off_spaced_cells.txt", "b_off_value_cell.txt"])
def test_officers_on_one_line_or_parted_by_full_width_spaces(name: str) -> None:
    """V16: the officers written in one cell (部長 市川 信行　監 山口 伸和（総合政策監）　監 小林 聡（危機管理監）), or
    the header's cells parted by full-width spaces, or the two 監 written after the director's name in the 部長's
    value cell (部長 | 市川 信行　監 山口 伸和（総合政策監）　監 小林 聡（危機管理監）), are three people and the director is the 部長 alone (one
    officer had held the whole line as its name, and the director with it; or the director and two officers
    were lost)."""
    status, doc, warnings = read_fixture(name)
    _, base, _ = read_fixture("seed.txt")
    assert [(o.position, o.title, o.name) for o in doc.officers] == [
        ("部長", None, "市川 信行"), ("監", "総合政策監", "山口 伸和"), ("監", "危機管理監", "小林 聡")]
    assert doc.director == "市川 信行"
    assert doc.department == "政策推進部"
    assert rows(doc) == rows(base)
    assert status == "ok", warnings


def test_a_post_word_with_no_name_after_it_starts_no_person() -> None:
    """V16: only a post followed by a word that is no post starts a person; one pair alone is left to the
    label | value split."""
    from plansheet.core.model import Cell
    from plansheet.parsers.layout import split_post_words

    lead, pairs = split_post_words(Cell("部長　市川　信行　理事　田中 一郎　副部長 山本 花子", 0, 0, 1))
    assert lead is None
    assert [(a.text, b.text) for a, b in pairs] == [("部長", "市川　信行"), ("理事", "田中 一郎"), ("副部長", "山本 花子")]
    lead, pairs = split_post_words(Cell("市川 信行　監 山口 伸和（総合政策監）", 0, 0, 1))
    assert lead.text == "市川 信行" and [(a.text, b.text) for a, b in pairs] == [("監", "山口 伸和（総合政策監）")]
    assert split_post_words(Cell("各課との連携 理事 会において説明", 0, 0, 1)) is None
    assert split_post_words(Cell("長谷川 太郎総合政策監 大久保 太郎", 0, 0, 1)) is None  # where the name ends is unsaid
    # a list of two in one cell (fuzz 12-0017): 和彦、都市政策監 is no post word; the list's own rule reads it
    assert split_post_words(Cell("都市政策監 小野寺 和彦、都市政策監 西村 和彦(行財政健全化担当)", 0, 0, 1)) is None
    assert split_post_words(Cell("部長 市川 信行", 0, 0, 1)) is None


# V22: the overview's column labels as other years word them

@pytest.mark.parametrize("name", ["b_ov_seisaku_bunya.txt", "b_ov_shisaku.txt", "b_ov_sogo_mokuhyo.txt",
                                  "b_ov_kihon_mokuhyo.txt"])
def test_overview_column_labels_worded_another_way(name: str) -> None:
    """V22: 分野 written 施策分野 or 施策, 目標 written 総合計画の目標 or 基本目標: every goal's field and plan goal as
    printed, no label in a title, ok (field had been null for every goal and the labels glued into the titles,
    six false 'title differs' warnings)."""
    status, doc, warnings = read_fixture(name)
    _, base, _ = read_fixture("seed.txt")
    assert [g.field for g in doc.goals] == ["市政運営", "行財政運営", "行財政運営", "防災", "防災", "防災"]
    assert rows(doc) == rows(base)
    assert status == "ok", warnings


def test_an_overview_column_label_no_table_lists_is_read_by_its_place() -> None:
    """V22: 目標 written 計画目標 and 分野 written 区分 (wordings the label table does not hold) in the template's row
    (N | label | (n) plan goal | label | field | year 達成状況) are read by their place: values right, and the
    document partial, each wording named once with the field and page."""
    status, doc, warnings = read_fixture("b_ov_unknown.txt")
    _, base, _ = read_fixture("seed.txt")
    assert rows(doc) == rows(base)
    assert status == "partial"
    assert [w for w in warnings if "column's label" in w] == [
        "goal 1 plan_goal (page 1): the 【重点目標】 column's label '計画目標' is no label this reader knows; read as 目標 "
        "by its place",
        "goal 1 field (page 1): the 【重点目標】 column's label '区分' is no label this reader knows; read as 分野 by its "
        "place"]


@pytest.mark.parametrize("labels", [("総合計画の目標", "施策分野"), ("基本目標", "施策")])
@pytest.mark.parametrize("kind", KINDS)
def test_overview_column_labels_on_every_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, labels: tuple[str, str]) -> None:
    """V22 on every reader: the overview's 目標 and 分野 labels worded as other years word them."""
    def change(cell) -> None:  # type: ignore[no-untyped-def]
        if cell.text in ("目標", "分野"):
            cell.text = labels[0] if cell.text == "目標" else labels[1]

    (tmp_path / "base").mkdir()
    _, base = read(render(copy.deepcopy(RESULT), kind, tmp_path / "base"))
    _rewrite(monkeypatch, change)
    status, doc = read(render(copy.deepcopy(RESULT), kind, tmp_path))
    assert [g.field for g in doc.goals] == [g.field for g in base.goals] and all(g.field for g in doc.goals)
    assert rows(doc) == rows(base)
    assert status == "ok", doc.warnings
