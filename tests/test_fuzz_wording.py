"""The fuzzer's axes of how a sheet words its sections and of cells holding two of its parts
(samples/generate/wording.py): each axis drawn from its own stream, so a seed's other draws stay as they were,
and each drawn sheet says what its truth says."""
from __future__ import annotations

from pathlib import Path

import pytest

from samples.generate import fuzz, layout, wording


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Both wording axes drawn wherever they may be (rate 1.0)."""
    for axis in wording.WORDING_RATES:
        monkeypatch.setitem(wording.WORDING_RATES, axis, 1.0)
    return wording.WORDING_RATES


def test_the_wording_axes_are_drawn_only_when_forced_and_leave_every_other_draw_as_it_was(forced: dict) -> None:
    with pytest.MonkeyPatch.context() as mp:
        for axis in wording.WORDING_RATES:
            mp.setitem(wording.WORDING_RATES, axis, 0.0)
        plain = [fuzz.draw(58901, i, fuzz.ALL_RENDERERS) for i in range(30)]
    drawn = [fuzz.draw(58901, i, fuzz.ALL_RENDERERS) for i in range(30)]
    assert not any(k in v.params for v in plain for k in wording.WORDING_RATES)
    assert [{k: x for k, x in v.params.items() if k not in wording.WORDING_RATES} for v in drawn] == \
        [v.params for v in plain]
    assert all(v.params["label_wording"] and v.params["two_section_cells"] for v in drawn)


def test_a_drawn_wording_is_printed_where_the_samples_label_stands(forced: dict) -> None:
    variant = next(v for v in (fuzz.draw(58902, i, ("reportlab",)) for i in range(40))
                   if "総合評価・総括=" in str(v.params["label_wording"]))
    way = dict(variant.style.labels)["総合評価・総括"]
    assert way != "総合評価・総括" and way in wording.LABEL_WORDINGS["総合評価・総括"]
    pages = layout.department_pages(variant.department, variant.style)
    labels = [c.text for page in pages[1:] for row in page.rows for c in row.cells if c.kind == "label"]
    assert way in labels and "総合評価・総括" not in labels
    worded = {v.params["label_wording"] for v in (fuzz.draw(58902, i) for i in range(40))}
    assert len(worded) == 40  # each variant draws its own


def test_cells_holding_two_parts_hold_the_truths_value_after_its_label(forced: dict) -> None:
    from samples.generate import content
    d = content.RESULT
    pages = layout.department_pages(d, layout.Style())
    wording.share_cells(pages, wording.TWO_SECTION_KINDS, "58903")
    texts = [c.text for page in pages for row in page.rows for c in row.cells if c.text]
    sections = {i.section for g in d.goals for t in g.targets for i in t.initiatives if i.section}
    inline = [t for t in texts if t.startswith("所管室・課")]
    assert inline and all(t[len("所管室・課") + 1:] in sections for t in inline)
    assert not any(t == "総合評価・総括" for t in texts)  # the label's own cell is gone
    summaries = [t for t in texts if "総合評価・総括" in t]
    assert len(summaries) == len([g for g in d.goals if g.summary])
    assert all(any(t.endswith(g.summary) for t in summaries) for g in d.goals if g.summary)
    graded = [t for t in texts if t.startswith("全体の達成度")]
    assert graded and all(t[len("全体の達成度") + 1:] in "ABCDEＡＢＣＤＥ" for t in graded)
