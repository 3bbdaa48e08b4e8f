"""Sheet-grammar rules a second reviewer's probes found wanting (REVIEW2: R6, R5, R7, R4), each read from a
department the project's own generators render (samples/generate: the ``result`` department with one cell
changed) or from a fuzz document."""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from rendered import RESULT, read, render

from samples.generate import content, layout  # noqa: E402


def _relabel(pages: list, old: str, new: str, nth: int) -> None:
    """The ``nth`` cell printing ``old`` (a label) prints ``new`` instead."""
    seen = 0
    for page in pages:
        for row in getattr(page, "rows", []):
            for cell in row.cells:
                if cell.text == old:
                    seen += 1
                    if seen == nth:
                        cell.text = new
                        return
    raise AssertionError(f"no {nth}th {old}")


# a repeated label misprinted (菅 for 管, 積 for 績): no label this reader knows
MISPRINTS = [("所管室・課", "所菅室・課", "section"), ("具体的な取組実績", "具体的な取組実積", "results")]
# the same rows under another template's words: labels of the label table
SYNONYMS = [("所管室・課", "主管部署", "section"), ("具体的な取組実績", "取組の成果", "results")]


@pytest.mark.parametrize("kind", ("txt", "html", "pdf"))
@pytest.mark.parametrize(("old", "new", "name"), MISPRINTS)
def test_a_repeated_label_printed_otherwise_labels_its_own_blocks_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, old: str, new: str, name: str) -> None:
    """R6: goal 2 initiative 1's 所管室・課 (具体的な取組実績) label misprinted, in the slot every other block prints it:
    its text stays initiative 1's, initiative 2 keeps its own, and the label is named."""
    department = copy.deepcopy(RESULT)
    pages_of = layout.department_pages

    def printed_otherwise(d):  # type: ignore[no-untyped-def]
        pages = pages_of(d)
        _relabel(pages, old, new, 3)  # goal 2 initiative 1's (goal 1 has two blocks)
        return pages

    monkeypatch.setattr(layout, "department_pages", printed_otherwise)
    status, doc = read(render(department, kind, tmp_path))
    wanted = [getattr(i, name) for t in department.goals[1].targets for i in t.initiatives]
    got = doc.goals[1].initiatives
    assert [getattr(i, name) for i in got] == wanted
    assert [i.text for i in got] == [i.text for t in department.goals[1].targets for i in t.initiatives]
    assert status == "partial"
    assert any(w.startswith(f"goal 2 initiative 1 (page 3) {name}: its label is printed {new!r}") for w in doc.warnings)


def _one_initiative() -> content.Department:
    """The ``result`` department cut to its first goal, with one 具体的取組 (its first target's first)."""
    department = copy.deepcopy(RESULT)
    department.goals[:] = department.goals[:1]
    targets = department.goals[0].targets
    targets[0].initiatives[:] = targets[0].initiatives[:1]
    for target in targets[1:]:
        target.initiatives[:] = []
    return department


@pytest.mark.parametrize("side", (False, True), ids=("above", "beside"))
@pytest.mark.parametrize("kind", ("txt", "html", "pdf", "xlsx"))
@pytest.mark.parametrize(("old", "new", "name"), SYNONYMS + MISPRINTS)
def test_the_only_blocks_label_printed_otherwise_labels_its_field(
        tmp_path: Path, kind: str, side: bool, old: str, new: str, name: str) -> None:
    """R6, one 具体的取組 on the sheet (no other block to learn the slot from): 主管部署 is 所管室・課 and 取組の成果 is
    具体的な取組実績 under another template's words (the label table; read as ok); a misprinted label standing where
    the template prints it (at the block's first column, after the initiative's text, a 所管室・課 beside a section's
    name) is that label, named. It had been glued into the initiative's text (or its section), the field left
    empty, and nothing named the text."""
    department = _one_initiative()
    style = dataclasses.replace(layout.DEFAULT_STYLE, side_labels=side, labels=((old, new),))
    status, doc = read(render(department, kind, tmp_path, style))
    (want,) = department.goals[0].targets[0].initiatives
    assert [(i.text, i.section, i.results) for i in doc.goals[0].initiatives] == [(want.text, want.section, want.results)]
    if (old, new, name) in SYNONYMS:
        assert status == "ok", doc.warnings
    else:
        assert status == "partial"
        assert any(w.startswith(f"goal 1 initiative 1 (page 2) {name}: its label is printed {new!r}")
                   for w in doc.warnings), doc.warnings


_LOWER_TARGET = "今年度の達成目標\n在宅医療と介護の連携体制を強化します。\n達成状況\t\t達成度\n研修会を開催しました。\t\tB\n\n"


@pytest.mark.parametrize("gap", ("", "\n"))
def test_in_a_stacked_export_an_initiative_belongs_to_the_target_above_it(tmp_path: Path, gap: str) -> None:
    """R5: goal 2's two initiatives stand under its first target, a second target's block printed below them
    (before 総合評価・総括): both are target 1's, with or without an empty line between them; the target printed
    below owns none (the second had been given to it under ok when no empty line stood between them)."""
    path = render(copy.deepcopy(RESULT), "txt", tmp_path)
    text = path.read_text(encoding="utf-8")
    second = "多職種研修会を3回開催し、"
    head, goal2 = text.split("重点目標 2", 1)
    goal2, rest = goal2.split("総合評価・総括", 1)
    goal2 = goal2.replace("\n具体的取組\n医師", f"\n{gap}具体的取組\n医師")
    path.write_text(head + "重点目標 2" + goal2 + _LOWER_TARGET + "総合評価・総括" + rest, encoding="utf-8")
    status, doc = read(path)
    goal = doc.goals[1]
    assert [t.text for t in goal.targets] == [goal.targets[0].text, "在宅医療と介護の連携体制を強化します。"]
    assert [i.target_no for i in goal.initiatives] == [1, 1]
    assert goal.initiatives[1].results.startswith(second)
    assert status == "ok", doc.warnings
