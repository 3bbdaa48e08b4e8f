"""A number, grade, legend, officer or column label written as another year or city writes it (REVIEW3: V10, V11,
V14, V16, V22): read from review 3's probes (the ``result`` department's text export, one thing written another
way, in ``fixtures/review3``) and from the project's own renderers."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from test_review1_mend import RESULT, read, render  # noqa: I001 (puts samples/ on the path)

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
