"""Labels another year words differently (REVIEW3: V17, V18, V19, V21), read from the project's own generated
departments (samples/generate) with one label written otherwise, on every reader: each reading must be the
reading of the sheet as the samples word it. A label is told by its core words whatever stands around them
(brackets, a mark, a year, 部の, 一覧); the variants are data in the label table."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read, render

from samples.generate import content, layout  # noqa: E402

KINDS = ("txt", "xlsx", "html", "pdf")
SEED = content.DEPARTMENTS["seed"]


def _styled(monkeypatch: pytest.MonkeyPatch, labels: tuple[tuple[str, str], ...] = (),
            goal_pages_only: dict[str, str] | None = None) -> None:
    """Every department the layout draws prints the goal-sheet labels ``labels`` (as the samples print them, as
    this sheet does); ``goal_pages_only``: labels rewritten on the goal sheets alone (not the front sheet)."""
    pages_of = layout.department_pages

    def drawn(d, style=layout.DEFAULT_STYLE):  # type: ignore[no-untyped-def]
        pages = pages_of(d, dataclasses.replace(style, labels=labels) if labels else style)
        for page in pages[1:]:
            for row in getattr(page, "rows", []):
                for cell in row.cells:
                    if goal_pages_only and cell.kind == "label" and cell.text in goal_pages_only:
                        cell.text = goal_pages_only[cell.text]
        return pages

    monkeypatch.setattr(layout, "department_pages", drawn)


def _rows(doc):  # type: ignore[no-untyped-def]
    """What a reading holds, every table's rows as tuples (the fields a label rewording must not move)."""
    return (doc.basic_policy, doc.department, doc.stage,
            [(g.goal_no, g.title, g.plan_goal_no, g.plan_goal, g.field, g.overall_summary, g.overall_grade,
              g.next_steps) for g in doc.goals],
            [(g.goal_no, t.target_no, t.text, t.status, t.grade) for g in doc.goals for t in g.targets],
            [(g.goal_no, i.initiative_no, i.target_no, i.text, i.section, i.results)
             for g in doc.goals for i in g.initiatives])


def _same_as_the_samples(tmp_path: Path, department: content.Department, kind: str) -> None:
    """Read ``department`` as the monkeypatched layout draws it; assert it reads ok, as the samples' wording does."""
    status, doc = read(render(department, kind, tmp_path))
    assert status == "ok", doc.warnings
    return doc


@pytest.fixture
def base_readings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], object]:
    """The samples' wording read by each reader, per department key (computed on demand)."""
    cache: dict[tuple[str, str], object] = {}

    def reading(key: str, kind: str):  # type: ignore[no-untyped-def]
        if (key, kind) not in cache:
            path = render(copy.deepcopy(content.DEPARTMENTS[key]), kind, tmp_path_factory.mktemp(f"{key}{kind}"))
            status, doc = read(path)
            assert status == "ok", doc.warnings
            cache[(key, kind)] = _rows(doc)
        return cache[(key, kind)]

    return reading  # type: ignore[return-value]


# V17 and V21: goal-sheet labels another year words differently
GOAL_LABELS = [
    ("所管室・課", "所管"), ("所管室・課", "担当"),
    ("具体的な取組実績", "実績"), ("具体的な取組実績", "取組結果"),
    ("総合評価・総括", "評価・総括"), ("総合評価・総括", "総合評価及び総括"),
    ("今年度の達成目標", "令和4年度の達成目標"), ("今年度の達成目標", "年度目標"),
    ("具体的取組", "主な取組"), ("具体的取組", "取組内容"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("label", "worded"), GOAL_LABELS)
def test_a_goal_sheet_label_worded_another_way_is_that_label(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_readings, kind: str, label: str, worded: str) -> None:
    """V17, V21: the result department with every ``label`` cell of its goal sheets printed ``worded`` reads as
    the samples' wording does, ok: the section, results and summary in their own columns (they had been glued,
    with their label, into the field above under ok), every target and initiative kept (they had been lost)."""
    expected = base_readings("result", kind)
    _styled(monkeypatch, labels=((label, worded),))
    doc = _same_as_the_samples(tmp_path, copy.deepcopy(RESULT), kind)
    assert _rows(doc) == expected
    first = doc.goals[0].initiatives[0]
    assert first.section == "健康づくり課" and first.results.startswith("受診勧奨通知を延べ8,214通送付し")
    assert worded not in first.text and "健康づくり課" not in first.text


# V19: the goal sheet's 部 label written 所管部

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", ["seed", "result"])
def test_the_goal_sheet_department_label_written_shokanbu_is_its_department_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_readings, kind: str, key: str) -> None:
    """V19: each goal sheet's ``部 | 政策推進部`` row written ``所管部 | 政策推進部`` is the department row: the stage
    stays the sheet's (a plan had been read as a result), next_steps holds no label, no department is a grade."""
    expected = base_readings(key, kind)
    _styled(monkeypatch, goal_pages_only={"部": "所管部"})
    doc = _same_as_the_samples(tmp_path, copy.deepcopy(content.DEPARTMENTS[key]), kind)
    assert _rows(doc) == expected
    assert all(g.next_steps != "所管部" for g in doc.goals)


# V18: front-sheet headings worded another way

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("attr", "heading"), [
    ("policy_heading", "【部の基本方針】"), ("policy_heading", "【運営方針】"), ("policy_heading", "■基本方針"),
    ("goals_heading", "【重点目標一覧】"), ("goals_heading", "【今年度の重点目標】"), ("goals_heading", "■重点目標"),
])
def test_a_front_sheet_heading_worded_another_way_heads_its_section(
        tmp_path: Path, base_readings, kind: str, attr: str, heading: str) -> None:
    """V18: the seed department's 【基本方針】 or 【重点目標】 heading worded another way heads the same section: the
    basic policy and every goal's 目標 and 分野 are read (they had been dropped, ok, no warning)."""
    department = copy.deepcopy(SEED)
    setattr(department, attr, heading)
    doc = _same_as_the_samples(tmp_path, department, kind)
    assert _rows(doc) == base_readings("seed", kind)
    assert doc.basic_policy is not None and doc.basic_policy.startswith(SEED.basic_policy.split("\n")[0][:20])
    assert [g.plan_goal_no for g in doc.goals] == [g.plan_goal_no for g in SEED.goals]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("attr", "heading", "field"), [
    ("policy_heading", "【部の使命】", "basic_policy (page 1):"),
    ("goals_heading", "【重点施策】", "plan_goal_no, plan_goal, field (page 1):"),
])
def test_a_front_sheet_section_no_heading_rule_reads_is_never_ok(
        tmp_path: Path, kind: str, attr: str, heading: str, field: str) -> None:
    """V18's safety half: a front sheet whose 【基本方針】 or 【重点目標】 heading is worded as no label reads (【部の方針】
    now is one: tests/test_unknown_heads.py) is never ok: the heading is read by its place where it stands where the
    sheet prints the heading it lacks, else the section is left unread; either way the document is partial and the
    warning names the fields (it had been ok, the policy or every goal's 目標 and 分野 dropped unsaid)."""
    department = copy.deepcopy(SEED)
    setattr(department, attr, heading)
    status, doc = read(render(department, kind, tmp_path))
    assert status == "partial"
    assert any(w.startswith(field) for w in doc.warnings), doc.warnings
