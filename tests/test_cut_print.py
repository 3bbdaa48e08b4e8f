"""A Chromium print on paper narrower than the sheet: the page cuts the tables, and every field it cuts is named.

``fixtures/pdf/cut/result.chromium.b5p.pdf`` (``fixtures/pdf/make_cut_print.py``) is the result sheet saved as a web
page and printed onto B5 portrait: Chromium draws the tables whole and the page cuts them at its right margin
(REVIEW6 Y4: the cut fields were read as far as the page shows them, grades off the page null, none named).
"""
from __future__ import annotations

from pathlib import Path

import regex

import plansheet
from plansheet.readers.pdf.reader import read_pdf
from plansheet.settings import Settings
from truth import SAMPLES, load_truth

CUT = Path(__file__).parent / "fixtures" / "pdf" / "cut" / "result.chromium.b5p.pdf"
# how a warning names a field: goal 1 target 2 (page 2) text, goal 2 (page 3) next_steps, basic policy (page 1)
_NAMED = regex.compile(r"^(goal \d+(?: (?:target|initiative) \d+)? \(page \d+\) \w+|basic policy)[ :]")


def test_the_paper_s_edge_is_where_the_page_clips_the_sheet_and_a_sheet_that_fits_has_none() -> None:
    cut = read_pdf(CUT, Settings()).pages
    assert [round(p.cut_at or 0) for p in cut] == [463] * 5  # B5 is 499 pt wide; Chromium clips at its margin
    assert [bool(p.cut) for p in cut[:3]] == [True] * 3  # the basic policy, the goals' right-hand boxes
    for name in ("result.chromium.pdf", "result.reportlab.pdf", "result.libreoffice.pdf"):
        pages = read_pdf(SAMPLES / "printed" / name, Settings()).pages
        assert [(p.cut_at, p.cut) for p in pages] == [(None, ())] * len(pages), name


def _differing(tables: dict, truth: dict) -> set[str]:
    """The fields the extraction reads otherwise than the sheet, named as warnings name them."""
    out = set()
    if tables["documents"]["basic_policy"][0] != truth["documents"][0]["basic_policy"]:
        out.add("basic policy")
    keyed = {"goals": ("goal_no",), "targets": ("goal_no", "target_no"), "initiatives": ("goal_no", "initiative_no")}
    for table, keys in keyed.items():
        want = {tuple(r[k] for k in keys): r for r in truth[table]}
        for row in tables[table].to_dict("records"):
            key = tuple(int(row[k]) for k in keys)
            record = f"goal {key[0]}" + {"targets": f" target {key[-1]}", "initiatives": f" initiative {key[-1]}",
                                         "goals": ""}[table]
            for field, value in want[key].items():
                if field in keys or field in ("doc", "page"):
                    continue
                got = row.get(field)
                got = None if got is None or got != got else got  # NaN/None: not read
                if got != value:
                    out.add(f"{record} (page {row['page']}) {field}")
    return out


def test_every_field_the_paper_cuts_is_named_with_its_page(tmp_path: Path) -> None:
    results = plansheet.extract([CUT], tmp_path / "out", output_format="parquet")
    tables = plansheet.load(tmp_path / "out")
    (result,) = results
    assert result.status.value == "partial"
    assert sum("the paper cuts the sheet at the page's right edge" in w for w in result.warnings) == 5
    named = {m.group(1) for w in result.warnings if (m := _NAMED.match(w))}
    differing = _differing(tables, load_truth(SAMPLES / "printed" / "result.chromium.pdf"))
    assert {"goal 1 target 2 (page 2) text", "goal 1 target 2 (page 2) grade", "goal 4 target 1 (page 5) grade",
            "goal 1 (page 2) next_steps", "basic policy"} <= differing  # what the page cuts
    assert differing - named == set()
    assert "goal 1 target 1 (page 2) text" not in named  # the left column, whole on the page
