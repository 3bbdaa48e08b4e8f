"""The fuzzer's axes of sheets nobody has seen: officer lines and goal-sheet labels written the
ways other years and cities write them. Each drawn form must mean what its truth says, read by
the grammar's own rules (parse_officer, the label table); the whole sheets are checked by
tests/test_fuzz_ci.py and `make fuzz`."""
from __future__ import annotations

import json
import random
from pathlib import Path

from plansheet.parsers.labels import match_label
from plansheet.parsers.officers import parse_officer
from samples.generate import fuzz

ROOT = Path(__file__).resolve().parents[1]


def test_every_drawn_officer_line_parses_to_what_it_says() -> None:
    rng = random.Random(7)
    drawn = [fuzz.draw_officer(rng, position) for position in ("部長", "監", "理事") for _ in range(150)]
    cells = {o.cell for o in drawn}
    assert any("\u3000" in c for c in cells) and any("（" in c for c in cells) and any("(" in c for c in cells)
    assert any(o.charge and o.title for o in drawn) and any(" " not in o.name for o in drawn)
    for o in drawn:
        got = parse_officer(o.position, o.cell)
        assert got is not None
        assert (got.name, got.title, got.charge) == (o.name, o.title, o.charge), o.cell


def test_every_drawn_label_spelling_is_the_label_it_stands_for() -> None:
    for canonical, spellings in fuzz.LABEL_SPELLINGS.items():
        meaning = match_label(canonical)
        assert meaning is not None, canonical
        for spelling in spellings:
            assert match_label(spelling) == meaning, spelling


def test_every_drawn_department_label_and_deputy_is_known() -> None:
    from plansheet.parsers.labels import Label
    for spelling in fuzz._DEPARTMENT_LABELS:
        assert match_label(spelling).label is Label.DEPARTMENT, spelling
    for deputy in fuzz._DEPUTIES:
        assert match_label(deputy).label is Label.OFFICER, deputy
    drawn = [fuzz.draw(5, i) for i in range(60)]
    assert {v.params["department_label"] for v in drawn} >= {"", "部名"} and any(v.params["deputy"] for v in drawn)


def test_every_drawn_overview_grade_head_is_the_grade_columns_label() -> None:
    from plansheet.parsers.labels import Label
    for head in fuzz._OVERVIEW_GRADE_HEADS:
        assert match_label(head.format(era="令和5年度")).label in (Label.STATUS, Label.GRADE, Label.STATUS_GRADE), head
    drawn = [fuzz.draw(5, i) for i in range(60)]
    unfielded = [v for v in drawn if not v.params["field_column"]]
    assert unfielded and all(g.field is None for v in unfielded for d in v.departments for g in d.goals)
    assert len({v.params["overview_grade_head"] for v in drawn}) > 2


def test_labels_that_may_label_an_initiatives_own_cells_are_not_the_sheets() -> None:
    """Review: 評価 alone may head an initiative's own grade and 所属 or 担当部局 its section, so neither is
    the target's grade label or the department's; with the year before it, 評価 heads the goals' grades."""
    from plansheet.parsers.labels import Label
    assert match_label("評価") is None and match_label("所属") is None and match_label("担当部局") is None
    assert match_label("令和5年度 評価").label is Label.GRADE and match_label("所属部").label is Label.DEPARTMENT


def test_half_the_variants_draw_other_officers_and_labels() -> None:
    variants = [fuzz.draw(3, i) for i in range(40)]
    assert {v.params["officers"] for v in variants} == {"samples", "drawn"}
    assert {v.params["label_spellings"] for v in variants} == {True, False}
    spelled = next(v for v in variants if v.params["label_spellings"])
    assert len(spelled.style.labels) == len(fuzz.LABEL_SPELLINGS)


def test_a_compiled_volume_variant_reads_back_every_department(tmp_path: Path) -> None:
    from samples.generate.fuzz_run import run
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        import pytest
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    index = next(i for i in range(60) if fuzz.draw(9, i, ("reportlab",)).params["volume"] == 3)
    variant = fuzz.draw(9, index, ("reportlab",))
    assert len({d.department for d in variant.departments}) == 3
    [outcome] = run(1, 9, tmp_path, ("reportlab",), indices=[index])
    assert outcome.fields > 150 and outcome.differences == [] and outcome.status == "ok"
    truth = json.loads((tmp_path / "inputs" / f"{outcome.name}.json").read_text(encoding="utf-8"))
    assert [d["municipality"] for d in truth["documents"]] == [variant.params["municipality"]] * 3


def test_every_drawn_title_year_is_the_truths_fiscal_year() -> None:
    from plansheet.core.text import fiscal_year_disagreement, parse_fiscal_year
    drawn = [v for v in (fuzz.draw(11, i) for i in range(80)) if v.params["title_year"]]
    assert len({v.params["title_year"] for v in drawn}) == 5
    for v in drawn:
        d = v.department
        assert d.title_year in d.title and (d.title_year != d.era_label or "元" in d.era_label)  # ０-９ only
        assert parse_fiscal_year(d.title) == (d.fiscal_year, d.era_label), d.title
        assert fiscal_year_disagreement(d.title) is None


def test_a_title_whose_western_year_disagrees_is_read_partial_and_named(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    import plansheet
    from plansheet.settings import Settings
    seed = ROOT / "samples" / "000_b2610523df0a2988.txt"
    text = seed.read_text(encoding="utf-8")
    assert "令和5年度 政策推進部の運営方針" in text
    sheet = tmp_path / "disagreeing.txt"
    sheet.write_text(text.replace("令和5年度 政策推進部の運営方針", "令和5（2024）年度 政策推進部の運営方針", 1), encoding="utf-8")
    agreeing = tmp_path / "agreeing.txt"
    agreeing.write_text(text.replace("令和5年度 政策推進部の運営方針", "2023（令和5）年度 政策推進部の運営方針", 1), encoding="utf-8")
    plansheet.extract([sheet, agreeing], tmp_path / "out", Settings(workers=1))
    sources = {r["source_file"]: r for r in pq.read_table(tmp_path / "out" / "parquet" / "sources").to_pylist()}
    assert sources["agreeing.txt"]["status"] == "ok"
    assert sources["disagreeing.txt"]["status"] == "partial"
    assert "fiscal_year (page 1): 令和5年度 is 2023, but 2024 is written beside it" in sources["disagreeing.txt"]["warnings"]
    documents = pq.read_table(tmp_path / "out" / "parquet" / "documents").to_pylist()
    assert sorted((d["fiscal_year"], d["fiscal_year_label"]) for d in documents) == [(2023, "令和5年度")] * 2


def test_a_dash_in_a_cell_left_empty_is_nothing_written(tmp_path: Path) -> None:
    from plansheet.core.text import marks_nothing
    from samples.generate.fuzz_run import run
    assert all(marks_nothing(mark) for mark in ("－", "―", "-", "ー", " － "))
    assert not any(marks_nothing(text) for text in ("－5件", "A", "ー般"))

    def marked_empties(v: fuzz.Variant) -> int:
        d = v.department
        empties = [t.status for g in d.goals for t in g.targets] + \
            [x for g in d.goals for t in g.targets for i in t.initiatives for x in (i.section, i.results)]
        return empties.count(None) if v.params["empty_mark"] and d.stage == "result" else 0

    index = max(range(120), key=lambda i: marked_empties(fuzz.draw(21, i, ("text", "xlsx"))))
    assert marked_empties(fuzz.draw(21, index, ("text", "xlsx"))) >= 3
    [outcome] = run(1, 21, tmp_path, ("text", "xlsx"), indices=[index])
    assert outcome.differences == [] and outcome.status == "ok"


def test_a_bracketed_year_in_the_title_is_no_part_of_the_department(tmp_path: Path) -> None:
    """Review: 令和5年度（2023年度） 政策推進部の運営方針 had given the department '）政策推進部'."""
    import pyarrow.parquet as pq

    import plansheet
    from plansheet.settings import Settings
    text = (ROOT / "samples" / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
    text = text.replace("令和5年度 政策推進部の運営方針", "令和5年度（2023年度） 政策推進部の運営方針", 1)
    sheet = tmp_path / "bracketed.txt"
    sheet.write_text(text.replace("\n部\t政策推進部\t部長", "\n\t\t部長", 1), encoding="utf-8")  # no 部 cell
    plansheet.extract([sheet], tmp_path / "out", Settings(workers=1))
    [doc] = pq.read_table(tmp_path / "out" / "parquet" / "documents").to_pylist()
    assert doc["department"] == "政策推進部"


def test_a_dash_in_an_overview_cell_gives_the_goal_nothing() -> None:
    """Review: a dash in the overview's grade cell (under no STATUS label) had been added to the title."""
    from plansheet.parsers.front_sheet import OverviewGoal, _read_overview_value
    goal, title = OverviewGoal(1), ["公民連携の拡充"]
    assert _read_overview_value(goal, None, "－", title) == ()
    assert title == ["公民連携の拡充"] and goal.grade is None


def test_a_page_across_emptied_by_its_table_is_no_blank_page(tmp_path: Path) -> None:
    """c5bd2b8 left a page with no text out of every department (a volume's page left blank); a page across whose
    table was read into the page before keeps only its header and footer, and is still its sheet's page: fuzz
    54013-0026 reportlab (a volume of two, its goal sheets printed across) had each department's page_count 2, want
    3, under ok (and test_fuzz_ci's 12-0003 9, want 15)."""
    from samples.generate.fuzz_run import run
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        import pytest
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    [outcome] = run(1, 54013, tmp_path, fuzz.ALL_RENDERERS, indices=[26])
    assert outcome.params["renderer"] == "reportlab" and outcome.params["volume"] == 2 and outcome.params["across"]
    assert (outcome.status, outcome.differences) == ("ok", [])


def test_a_row_cut_for_chromium_prints_each_parts_lines_as_its_text(monkeypatch) -> None:  # noqa: ANN001
    """row_split for Chromium (which breaks lines itself): each part's cell holds the lines the layout gives it, and
    the parts joined are the whole text (fuzz 54015-0009: 9 cut rows of 9 read back exact)."""
    from samples.generate import layout
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        import pytest
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    monkeypatch.setitem(fuzz.PRINTED_RATES, "row_split", 1.0)
    variant = fuzz.draw(54015, 9, ("chromium",))
    fuzz.fit(variant)
    assert variant.params["row_split_at"]  # a row of this variant is cut
    pages = layout.department_pages(variant.department, variant.style)
    parts = [c for page in pages for r in page.rows for c in r.cells if c.lines_shown != (0, None)]
    assert len(parts) == 2
    whole = parts[0].text
    fuzz._cut_split_texts(pages)
    assert all(c.lines_shown == (0, None) for page in pages for r in page.rows for c in r.cells)
    assert parts[0].text and parts[1].text and parts[0].text + parts[1].text == whole.replace("\n", "")


def test_a_row_broken_across_pages_is_never_printed_as_one_overflowing_line(monkeypatch) -> None:  # noqa: ANN001
    """overflow draws one unwrapped line printed on across the empty cells at its right (Excel's); a row broken across
    pages (row_split) holds a text of two lines or more, one part a page. Fuzz 57007-0041 marked the first part so: the
    page printed the text's start, clipped, the next page's part nothing, and the truth held the whole text (a
    silent document the sheet could not show)."""
    from samples.generate import layout
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        import pytest
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")
    for axis in ("overflow", "footnotes"):
        monkeypatch.setitem(fuzz.CELL_QUIRKS, axis, 1.0)
    monkeypatch.setitem(fuzz.PRINTED_RATES, "row_split", 1.0)
    renderers = ("text", "reportlab", "xlsx", "cid", "chromium", "libreoffice", "writer", "html")
    variant = fuzz.draw(57007, 41, renderers)
    fuzz.fit(variant)
    assert variant.params["row_split_at"] and variant.params["overflow"]
    pages = layout.department_pages(variant.department, variant.style)
    for page in pages:
        layout.mark_overflow(page, fuzz._measure(), f"{variant.name}-{page.name}-overflow")
    parts = [c for page in pages for r in page.rows for c in r.cells if c.lines_shown != (0, None)]
    assert parts and not any(c.overflow for c in parts)
