"""Sheet-grammar rules a reviewer's probes found wanting (REVIEW6: Y1), each read from a department the project's
own generators render (samples/generate: the ``result`` department with some cells changed) against its truth."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT, read, render

from samples.generate import layout
from samples.generate.list_column import MARKS, as_list, in_next_column
from samples.generate.truth import flat

KINDS = ("xlsx", "txt", "html", "pdf")


def _listed(marks: tuple[str, ...], whole: bool = True) -> object:
    """The ``result`` department with a prose field of each kind written as a list whose numbers stand in a cell
    of their own (samples/generate/list_column.py): the basic policy, goal 1's next steps and its first
    initiative's results (targets side by side), goal 2's summary, its target's text and status (its grade
    beside them) and its first initiative's text (not ``whole``: its target's text alone)."""
    d = copy.deepcopy(RESULT)
    g1, g2 = d.goals[0], d.goals[1]
    d.basic_policy = as_list(d.basic_policy.replace("\n", ""), marks)
    g1.next_steps = as_list(g1.next_steps, marks)
    g1.targets[0].initiatives[0].results = as_list(g1.targets[0].initiatives[0].results, marks)
    g2.summary = as_list(g2.summary, marks)
    target = g2.targets[0]
    target.text = as_list(target.text, marks)
    if whole:
        target.status = as_list(target.status, marks)
        target.initiatives[0].text = as_list(target.initiatives[0].text, marks)
    return d


def _fields(doc: object) -> dict[str, object]:
    g1, g2 = doc.goals[0], doc.goals[1]  # type: ignore[attr-defined]
    return {"basic_policy": doc.basic_policy, "g1 next_steps": g1.next_steps,  # type: ignore[attr-defined]
            "g1 i1 results": g1.initiatives[0].results, "g1 i2 results": g1.initiatives[1].results,
            "g2 overall_summary": g2.overall_summary, "g2 t1 text": g2.targets[0].text,
            "g2 t1 status": g2.targets[0].status, "g2 t1 grade": g2.targets[0].grade,
            "g2 i1 text": g2.initiatives[0].text}


def _truth(d: object) -> dict[str, object]:
    g1, g2 = d.goals[0], d.goals[1]  # type: ignore[attr-defined]
    return {"basic_policy": flat(d.basic_policy), "g1 next_steps": flat(g1.next_steps),  # type: ignore[attr-defined]
            "g1 i1 results": flat(g1.targets[0].initiatives[0].results),
            "g1 i2 results": flat(g1.targets[1].initiatives[0].results),
            "g2 overall_summary": flat(g2.summary), "g2 t1 text": flat(g2.targets[0].text),
            "g2 t1 status": flat(g2.targets[0].status), "g2 t1 grade": g2.targets[0].grade,
            "g2 i1 text": flat(g2.targets[0].initiatives[0].text)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("marks", sorted(MARKS))
def test_a_list_with_its_numbers_in_a_column_of_their_own_keeps_its_text(tmp_path: Path, kind: str,
                                                                         marks: str) -> None:
    """Y1: a cell holding only a list number (1, （１）, ①, 1.) is the head of the line it opens; the text at its
    right on the same line is that list item, part of the same field, its number kept (``1 胃がん…``,
    ``（１）胃がん…``, as a list typed in one cell reads). Every such field had become its numbers alone
    (``1 2``, ``①②``) under ok, the text dropped; a target's status and grade printed beside a list read as two
    targets' statuses where the grade's box spans the list's rows."""
    d = _listed(MARKS[marks])
    assert "\t" in d.goals[0].next_steps  # type: ignore[attr-defined]
    status, doc = read(render(d, kind, tmp_path))  # type: ignore[arg-type]
    truth = _truth(d)
    assert truth["g1 next_steps"].startswith(MARKS[marks][0])  # type: ignore[union-attr]
    assert _fields(doc) == truth
    assert status == "ok", doc.warnings


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_beside_its_label_keeps_every_item(tmp_path: Path, kind: str) -> None:
    """Y1, a sheet writing its labels left of their texts: the list's next number, in its column on the next
    line, is the list's next item though no label stands at its left (the label's box spans the list's rows,
    an export writes it on the first line alone), and its text is the item's whatever label its column stands
    under far above (達成度 of the targets). The first item's text had gone to that grade, the rest lost."""
    d = _listed(MARKS["tab"][:2], whole=False)  # (more rows run over goal 2's page)
    status, doc = read(render(d, kind, tmp_path, layout.Style(side_labels=True)))  # type: ignore[arg-type]
    assert _fields(doc) == _truth(d)
    assert status == "ok", doc.warnings


def test_a_field_holding_only_list_numbers_is_named(tmp_path: Path) -> None:
    """Y1: a field whose text is list numbers and nothing else (``1 2``) is never ok. Here goal 1's next steps are
    typed as a list whose texts stand far right of their numbers, in the column of the second target's 達成度
    (whose label owns them by place): the field keeps only its numbers and is named with its page. Only the
    grade had been named."""
    d = copy.deepcopy(RESULT)
    goal = d.goals[0]
    path = render(d, "txt", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert f"\n{goal.next_steps}\n" in text
    first, second = goal.next_steps.split("、", 1)
    path.write_text(text.replace(f"\n{goal.next_steps}\n", f"\n1\t\t\t\t\t{first}、\n2\t\t\t\t\t{second}\n"),
                    encoding="utf-8")
    status, doc = read(path)
    assert doc.goals[0].next_steps == "1 2"
    named = [w for w in doc.warnings if "only list numbers" in w]
    assert [w.split(":")[0] for w in named] == [f"goal 1 (page {doc.goals[0].page}) next_steps"]
    assert status == "partial"


@pytest.mark.parametrize("kind", ("txt", "quoted"))
def test_a_line_whose_text_starts_in_the_next_column_is_its_labels(tmp_path: Path, kind: str) -> None:
    """Y1, the same without numbers: a field's lines typed one cell right of its label's column, the first cell
    left empty (a cell merged across the columns right of its label's; a text export shows no merge: the boxed
    sources and the generated HTML's spans already read right). A label's box reaches right over the empty cells
    after it, up to the next cell of its row, so its text may begin in any of them. The lines had been dropped under ok, the field null: goal 2's target,
    initiative, results, summary and next steps. (A status on two rows beside a grade box spanning both is read in
    a boxed source as two targets' statuses, named: not drawn here.)"""
    d = copy.deepcopy(RESULT)
    g2 = d.goals[1]
    target, initiative = g2.targets[0], g2.targets[0].initiatives[0]
    target.text = in_next_column(target.text)
    initiative.text, initiative.results = in_next_column(initiative.text), in_next_column(initiative.results)
    g2.summary, g2.next_steps = in_next_column(g2.summary), in_next_column(g2.next_steps)
    assert g2.next_steps.startswith("\t")
    status, doc = read(render(d, kind, tmp_path))
    read_goal = doc.goals[1]
    got = (read_goal.targets[0].text, read_goal.targets[0].status, read_goal.targets[0].grade,
           read_goal.initiatives[0].text, read_goal.initiatives[0].results, read_goal.overall_summary,
           read_goal.next_steps)
    assert got == (flat(target.text), flat(target.status), target.grade, flat(initiative.text),
                   flat(initiative.results), flat(g2.summary), flat(g2.next_steps))
    assert status == "ok", doc.warnings
