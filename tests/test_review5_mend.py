"""Sheet-grammar rules a reviewer's probes found wanting (REVIEW5: X12, X9, X3, X10, X11), each read from a
department the project's own generators render (samples/generate: the ``result`` department with one cell
changed) or from the real export with one line changed."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT, read, render, render_pages

from plansheet.parsers.records import text_fields

KINDS = ("xlsx", "txt", "html", "pdf")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["部長兼監", "部長兼危機管理監", "危機管理監兼部長兼健康福祉監"])
def test_a_director_holding_a_second_post_is_the_director(tmp_path: Path, kind: str, label: str) -> None:
    """X12: in ``A兼B`` the person holds both posts; the unit's head title among them makes them its head
    (position 部長, the label as the title). 部長兼監 had been read as a 監 and 部長兼危機管理監 lost, the director
    null either way."""
    d = copy.deepcopy(RESULT)
    head = d.officers[0]
    assert head.position == "部長"
    head.position = label
    status, doc = read(render(d, kind, tmp_path))
    assert doc.director == head.name
    assert [(o.position, o.title, o.name) for o in doc.officers][0] == ("部長", label, head.name)
    assert status == "ok"


@pytest.mark.parametrize("kind", ("xlsx", "txt", "html"))
def test_a_private_use_character_is_kept_and_named(tmp_path: Path, kind: str) -> None:
    """X9: a 外字 (a private-use code point, as Excel's EUDC stores a name's rare kanji) is a glyph whose character
    the file does not say: kept where it stands, and the field holding it named with its page, as U+FFFD is. It
    had passed as ok, unnamed. 﨑 (U+FA11, a CJK compatibility ideograph just above the private-use area) is a
    character: not named."""
    d = copy.deepcopy(RESULT)
    head, target = d.officers[0], d.goals[1].targets[0]
    head.cell = head.name = head.name.replace("本", "\ue000")
    target.text = target.text.replace("防", "\ue123")
    d.goals[0].targets[0].text = "山\ufa11" + d.goals[0].targets[0].text
    status, doc = read(render(d, kind, tmp_path))
    assert doc.director == head.name and doc.goals[1].targets[0].text == target.text
    assert doc.goals[0].targets[0].text == d.goals[0].targets[0].text
    private = [w for w in doc.warnings if "private-use" in w]
    assert [w.split(":")[0] for w in private] == [f"officer 部長 (page {doc.pages[0]}) name",
                                                  f"goal 2 target 1 (page {doc.goals[1].page}) text"]
    assert "U+E000" in private[0] and "U+E123" in private[1]
    assert status == "partial"


def test_a_user_defined_character_of_a_shift_jis_export_is_named(tmp_path: Path) -> None:
    """X9: Shift_JIS (CP932) keeps its user-defined characters (外字) at F040–F9FC, read as U+E000–U+E757: the
    real export saved so, its director's name written with one, is read with that code point kept and named."""
    from plansheet.pipeline.stages import process_file
    from plansheet.settings import Settings
    from rendered import ROOT
    text = (ROOT / "samples" / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
    assert "部長\t市川 信行" in text
    sheet = tmp_path / "gaiji.txt"
    sheet.write_bytes(text.replace("部長\t市川 信行", "部長\t市\ue000 信行", 1).encode("cp932"))
    assert b"\xf0\x40" in sheet.read_bytes()
    outcome = process_file(sheet, Settings())
    (doc,) = outcome.documents
    assert doc.director == "市\ue000 信行"
    assert [w.split(":")[0] for w in doc.warnings if "private-use" in w] == ["officer 部長 (page 1) name"]
    assert outcome.result.status.value == "partial"



def _title_moved_up(first: str, second: str, title: str | None = None) -> tuple[list, object, object]:
    """Two departments compiled into one file, the second's title row (worded ``title``, where given) printed at the
    foot of the first's last page (a page break set one row late): the pages, and the two departments."""
    from samples.generate import content, layout
    a, b = copy.deepcopy(content.DEPARTMENTS[first]), copy.deepcopy(content.DEPARTMENTS[second])
    if title is not None:
        b.title_format = title
    pages_a, pages_b = layout.department_pages(a), layout.department_pages(b)
    front = pages_b[0]
    title = next(k for k, row in enumerate(front.rows) if any(c.kind == "title" for c in row.cells))
    pages_a[-1].rows += [layout.gap(8), front.rows[title]]
    front.rows = front.rows[title + 1:]
    return pages_a + pages_b, a, b


@pytest.mark.parametrize("kind", ("xlsx", "html", "pdf"))
def test_the_next_departments_title_at_a_pages_foot_opens_it(tmp_path: Path, kind: str) -> None:
    """X3: a line that reads as a sheet's title (``令和4年度 都市整備部の運営方針``) is never a value of the sheet
    before it, wherever the page breaks: at the foot of a page, with the next department's front sheet after it, it
    opens that department. It had been glued onto the first department's last next_steps."""
    from plansheet.pipeline.stages import process_file
    from plansheet.settings import Settings
    pages, a, b = _title_moved_up("result", "toshi")
    outcome = process_file(render_pages(pages, kind, tmp_path, "volume"), Settings())
    first, second = outcome.documents
    assert first.goals[-1].next_steps == a.goals[-1].next_steps
    assert (second.department, second.fiscal_year_label) == (b.department, b.era_label)
    assert not any("運営方針" in (getattr(f.owner, f.name) or "") for doc in (first, second) for f in text_fields(doc))
    assert (outcome.result.status.value, first.warnings, second.warnings) == ("ok", [], [])


@pytest.mark.parametrize("kind", ("xlsx", "html", "pdf"))
@pytest.mark.parametrize("title", ("{department}の運営方針", "部の運営方針【{department}】"))
def test_the_next_departments_title_with_no_year_at_a_pages_foot_opens_it(tmp_path: Path, kind: str,
                                                                          title: str) -> None:
    """X3 for a title that states no year (都市整備部の運営方針): a line that names a department's plan whole reads as a
    sheet's title, year or not; at the foot of a page, the next department's front sheet after it, it opens that
    department. It had been glued onto the first department's last next_steps, unnamed."""
    from plansheet.pipeline.stages import process_file
    from plansheet.settings import Settings
    pages, a, b = _title_moved_up("result", "toshi", title)
    outcome = process_file(render_pages(pages, kind, tmp_path, "volume"), Settings())
    first, second = outcome.documents
    assert first.goals[-1].next_steps == a.goals[-1].next_steps
    assert second.department == b.department
    assert not any("運営方針" in (getattr(f.owner, f.name) or "") for doc in (first, second) for f in text_fields(doc))
    assert first.warnings == [] and all(w.startswith("fiscal_year") for w in second.warnings)  # (the year: named)


def test_a_title_at_a_pages_foot_before_a_goal_sheet_is_no_value(tmp_path: Path) -> None:
    """X3: a title at the foot of a goal sheet's page with the department's next goal sheet after it (a running
    footer) is neither a value of the sheet above it nor the start of another department."""
    from samples.generate import layout
    from samples.generate.render_xlsx import write_workbook
    d = copy.deepcopy(RESULT)
    pages = layout.department_pages(d)
    title = next(c.text for row in pages[0].rows for c in row.cells if c.kind == "title")
    pages[1].rows += [layout.gap(8), layout.Row([layout.Cell(0, 1, title, "title", border=False)])]
    write_workbook(pages, tmp_path / "footer.xlsx", d.title)
    status, doc = read(tmp_path / "footer.xlsx")
    assert [g.next_steps for g in doc.goals] == [g.next_steps for g in d.goals]
    assert not any("運営方針" in (getattr(f.owner, f.name) or "") for f in text_fields(doc))
    assert status == "ok"


def _bands(doc) -> dict[str, tuple[int | None, int | None]]:  # noqa: ANN001
    return {band.grade: (band.min_pct, band.max_pct) for band in doc.grade_scale}


@pytest.mark.parametrize("kind", ("xlsx", "txt"))
def test_legend_bounds_over_100_are_read_as_stated(tmp_path: Path, kind: str) -> None:
    """X10: bands S to E with ``A：達成（100%以上120%未満）``: the bounds are those the legend states, checked
    as stated (no cap at 100%). A's had been called broken and left empty."""
    from samples.generate import content
    d = copy.deepcopy(RESULT)
    a = d.grade_scale[0]
    a.pct, a.max_pct = "100%以上120%未満", 120
    d.grade_scale = [content.Grade("S", "大幅達成", "目標を大きく上回った。", "120%以上", 120, None)] + d.grade_scale
    status, doc = read(render(d, kind, tmp_path))
    assert _bands(doc) == {g.grade: (g.min_pct, g.max_pct) for g in d.grade_scale}
    assert (status, doc.warnings) == ("ok", [])


@pytest.mark.parametrize("kind", ("xlsx", "txt"))
def test_a_legend_listed_from_its_lowest_band_is_checked_in_the_scales_order(tmp_path: Path, kind: str) -> None:
    """X10: a legend listed E first (E, D, C, B, A): the bands are compared in their order on the scale, not the
    order of their lines. D's 50% had been called above E's 0% and D's and B's bounds left empty."""
    d = copy.deepcopy(RESULT)
    d.grade_scale.reverse()
    status, doc = read(render(d, kind, tmp_path))
    assert _bands(doc) == {g.grade: (g.min_pct, g.max_pct) for g in d.grade_scale}
    assert (status, doc.warnings) == ("ok", [])


def _legend_written(tmp_path: Path, kind: str, write) -> tuple[str, object, object]:  # noqa: ANN001
    """The ``result`` department with each legend line written ``write(band)``: the status, the document and the
    department (its grade_scale the truth)."""
    from samples.generate import layout
    from samples.generate.render_text import write_text_export
    from samples.generate.render_xlsx import write_workbook
    d = copy.deepcopy(RESULT)
    pages = layout.department_pages(d)
    lines = {band.line: write(band) for band in d.grade_scale}
    for row in pages[0].rows:
        for cell in row.cells:
            cell.text = lines.get(cell.text, cell.text)
    assert sum(c.text in lines.values() for row in pages[0].rows for c in row.cells) == len(lines)
    path = tmp_path / f"legend.{kind}"
    if kind == "xlsx":
        write_workbook(pages, path, d.title)
    else:
        write_text_export(pages, path, "grid")
    status, doc = read(path)
    return status, doc, d


@pytest.mark.parametrize("kind", ("xlsx", "txt"))
def test_a_lower_bound_written_over_names_that_it_excludes_its_bound(tmp_path: Path, kind: str) -> None:
    """X11: ``70%超`` (over 70%) is a lower bound that excludes 70, where SCHEMA's min_pct includes its bound
    (``70%以上`` → 70): kept as written, and named as an upper ``以下`` bound is."""
    status, doc, d = _legend_written(tmp_path, kind, lambda b: b.line.replace("%以上", "%超"))
    assert _bands(doc) == {g.grade: (g.min_pct, g.max_pct) for g in d.grade_scale}
    exclusive = [g for g in d.grade_scale if "以上" in g.pct]
    assert exclusive and doc.warnings == [
        f"grade_scale {g.grade} min_pct (page 1): '{g.min_pct}%超' excludes its bound, where the table's min_pct "
        "includes it (以上); kept as written" for g in exclusive]
    assert status == "partial"


@pytest.mark.parametrize("kind", ("xlsx", "txt"))
def test_legend_bounds_written_after_a_measures_name_are_the_bands_bounds(tmp_path: Path, kind: str) -> None:
    """X11: ``A：達成率100%`` (the bounds glued to the name of what is measured, no word for the band): the bounds
    are the band's; 達成率, written alike before every band's bounds, is no band's label: each band is labelled
    by its grade, as a band with no word is (SCHEMA's label is never null). It had been read as the label
    達成率100%, the bounds null, under ok."""
    status, doc, d = _legend_written(tmp_path, kind, lambda b: f"{b.grade}：達成率{b.pct}")
    assert _bands(doc) == {g.grade: (g.min_pct, g.max_pct) for g in d.grade_scale}
    assert [band.label for band in doc.grade_scale] == [g.grade for g in d.grade_scale]
    assert (status, doc.warnings) == ("ok", [])


@pytest.mark.parametrize("kind", ("xlsx", "txt"))
def test_legend_bounds_in_brackets_before_the_label_are_the_bands_bounds(tmp_path: Path, kind: str) -> None:
    """X11: ``A（100%）：達成（目標を達成することができた。）``: the bounds in brackets between the grade and its
    label are the band's. No legend had been found at all."""
    status, doc, d = _legend_written(tmp_path, kind, lambda b: f"{b.grade}（{b.pct}）：{b.label}（{b.description}）")
    assert [(band.grade, band.label, band.min_pct, band.max_pct, band.description) for band in doc.grade_scale] == \
        [(g.grade, g.label, g.min_pct, g.max_pct, g.description) for g in d.grade_scale]
    assert (status, doc.warnings) == ("ok", [])
