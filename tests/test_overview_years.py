"""REVIEW5 X15: the 【重点目標】 overview as other cities write it — last year's grades in a column beside this
year's, and the plan's goals named by the plan's own word (基本目標1 …, 第1章 …) — on the year-end version
of the real export (tests/fixtures/grammar/seed_result.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex

from test_grammar_review import SEED_RESULT, one

_OVERVIEW_ROW = regex.compile(r"^(?P<no>\d+)\t目標\t(?P<plan>\([0-9]\) [^\t]+)\t分野\t(?P<field>[^\t]+)\t令和5年度 達成状況$")


def with_last_years_column(text: str, last_year_first: bool) -> str:
    """The overview with a 令和4年度 達成状況 column beside 令和5年度's, each goal's row under it holding
    last year's grade, the older column first or last."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        m = _OVERVIEW_ROW.match(line)
        if not m:
            continue
        cells = (lines[k + 1].split("\t") + [""] * 6)[:6]
        this = cells[5]
        last = "E" if this != "E" else "D"  # last year's grade: never this year's
        heads = ["令和5年度 達成状況", "令和4年度 達成状況"]
        grades = [this, last]
        if last_year_first:
            heads, grades = heads[::-1], grades[::-1]
        lines[k] = line.replace("令和5年度 達成状況", "\t".join(heads))
        lines[k + 1] = "\t".join(cells[:5] + grades)
    return "\n".join(lines)


@pytest.mark.parametrize("last_year_first", [False, True])
def test_the_overview_grade_is_the_column_of_the_sheets_own_year(tmp_path: Path, last_year_first: bool) -> None:
    plain = one(tmp_path, SEED_RESULT)
    text = with_last_years_column(SEED_RESULT, last_year_first)
    assert text.count("令和4年度 達成状況") == len(plain.goals)
    doc = one(tmp_path, text)
    assert [g.overall_grade for g in doc.goals] == [g.overall_grade for g in plain.goals]
    assert all(g.overall_grade for g in doc.goals)
    assert doc.fiscal_year == 2023 and doc.warnings == plain.warnings


@pytest.mark.parametrize("written", ["基本目標{n} {name}", "第{n}章　{name}", "政策目標{n}：{name}"])
def test_a_plan_goal_named_by_the_plans_own_word_gives_its_number(tmp_path: Path, written: str) -> None:
    def reworded(m: regex.Match[str]) -> str:
        n, name = m["plan"][1], m["plan"][4:]
        return m[0].replace(m["plan"], written.format(n=n, name=name))

    text = "\n".join(_OVERVIEW_ROW.sub(reworded, line) for line in SEED_RESULT.split("\n"))
    assert "(5) みんなでつくる" not in text
    plain, doc = one(tmp_path, SEED_RESULT), one(tmp_path, text)
    assert [(g.plan_goal_no, g.plan_goal) for g in doc.goals] == [(g.plan_goal_no, g.plan_goal) for g in plain.goals]
    assert doc.goals[0].plan_goal_no == 5 and doc.goals[0].plan_goal == "みんなでつくる暮らし続けられるまち"
