"""Sheet-grammar rules a second reviewer's probes found wanting (REVIEW2: R6, R5, R7, R4), each read from a
department the project's own generators render (samples/generate: the ``result`` department with one cell
changed) or from a fuzz document."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from test_review1_mend import RESULT, read, render  # noqa: I001 (puts samples/ on the path)

from samples.generate import layout  # noqa: E402


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


@pytest.mark.parametrize("kind", ("txt", "html", "pdf"))
@pytest.mark.parametrize(("old", "new", "name"), [("所管室・課", "主管部署", "section"),
                                                  ("具体的な取組実績", "取組の成果", "results")])
def test_a_repeated_label_printed_otherwise_labels_its_own_blocks_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, old: str, new: str, name: str) -> None:
    """R6: goal 2 initiative 1's 所管室・課 (具体的な取組実績) label printed 主管部署 (取組の成果), in the slot every other
    block prints it: its text stays initiative 1's, initiative 2 keeps its own, and the label is named."""
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
