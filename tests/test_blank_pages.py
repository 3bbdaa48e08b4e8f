"""A page left blank in a compiled volume belongs to no department.

Compiled volumes put a page reading （白紙）, このページは白紙です or 余白 (or nothing at all)
where the next department must start on a right-hand page. The volume sample (健康福祉部 on
pages 2–6, 都市整備部 from page 7) gets such a page between the two departments: its note must
not be read into 健康福祉部's last cell, and the page is not one of the department's pages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet

from conftest import ROOT, SAMPLES, SEED


VOLUME = SAMPLES / "printed" / "volume.reportlab.pdf"
LAST_NEXT_STEPS = "若い世代に向けて、職場や大学と連携した接種機会の確保や、予約なしで接種できる日の設定を検討します。"


def _volume_with_page(tmp_path: Path, note: str | None, header: str | None = None, footer: str | None = None,
                      after: int = 6) -> Path:
    """The volume sample with one page inserted after page ``after`` (6; -1 for after its last): ``note`` printed on
    it, or nothing; ``header`` near its top and ``footer`` near its foot (inside the sheet's margins, below the
    paper's margin band)."""
    pdfium = pytest.importorskip("pypdfium2")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from samples.generate.render_pdf import register

    source = pdfium.PdfDocument(str(VOLUME))
    width, height = source[0].get_size()
    page = tmp_path / "page.pdf"
    c = canvas.Canvas(str(page), pagesize=(width, height))
    c.setFont(register("cid"), 14)
    if note is not None:
        c.drawString(width / 2 - 40, height / 2, note)
    if header is not None:
        c.drawString(40, height - 40, header)
    if footer is not None:
        c.drawString(width / 2 - 10, 30, footer)
    c.showPage()
    c.save()
    volume = pdfium.PdfDocument.new()
    after = len(source) if after < 0 else after
    volume.import_pages(source, list(range(after)))
    volume.import_pages(pdfium.PdfDocument(str(page)), [0])
    if after < len(source):
        volume.import_pages(source, list(range(after, len(source))))
    target = tmp_path / "volume.pdf"
    volume.save(str(target))
    return target


@pytest.mark.parametrize("note", ["（白紙）", "このページは白紙です", "余白", None])
def test_a_blank_page_between_departments_belongs_to_neither(tmp_path: Path, note: str | None) -> None:
    (result,) = plansheet.extract([_volume_with_page(tmp_path, note)], tmp_path / "out")
    assert result.status.value == "ok", result.warnings
    tables = plansheet.load(tmp_path / "out")
    documents = tables["documents"].set_index("department")
    assert documents.loc["健康福祉部", ["pages", "page_count"]].tolist() == ["2–6", 5]
    assert documents.loc["都市整備部", ["pages", "page_count"]].tolist() == ["8–11", 4]
    goals = tables["goals"]
    last = goals[(goals["department"] == "健康福祉部") & (goals["goal_no"] == 4)]
    assert last["next_steps"].tolist() == [LAST_NEXT_STEPS]


@pytest.mark.parametrize(("note", "header", "footer"), [
    ("（白紙）", None, "- 7 -"),
    ("（白紙）", "令和5年度 部の運営方針", None),
    (None, None, "- 7 -"),
    (None, None, "7"),
    ("このページは意図的に白紙にしています", None, None),
])
def test_a_blank_page_with_its_page_number_or_running_header_belongs_to_neither(
        tmp_path: Path, note: str | None, header: str | None, footer: str | None) -> None:
    """A volume's blank page still carries the volume's page number and running header: that furniture does not
    make it a page of the department before it, and none of its text is a field's."""
    (result,) = plansheet.extract([_volume_with_page(tmp_path, note, header, footer)], tmp_path / "out")
    assert result.status.value == "ok", result.warnings
    tables = plansheet.load(tmp_path / "out")
    documents = tables["documents"].set_index("department")
    assert documents.loc["健康福祉部", ["pages", "page_count"]].tolist() == ["2–6", 5]
    goals = tables["goals"]
    last = goals[(goals["department"] == "健康福祉部") & (goals["goal_no"] == 4)]
    assert last["next_steps"].tolist() == [LAST_NEXT_STEPS]


@pytest.mark.parametrize(("note", "header", "footer", "after"), [
    ("以上", None, None, 6), ("以上", None, "- 7 -", 6), ("以上", "令和5年度 部の運営方針", None, 6),
    ("以 上", None, None, -1), ("以上", None, "- 15 -", -1),
])
def test_a_page_holding_only_the_end_mark_belongs_to_no_department(
        tmp_path: Path, note: str, header: str | None, footer: str | None, after: int) -> None:
    """以上 closes a document; printed alone on a page (after a department's last sheet, or as a volume's last page),
    with or without its page number, the page is no department's and 以上 no field's text. It had been read into
    the last next_steps under ok (以上 alone) or, with a page number, taken for an unknown section and the document
    made partial; the page counted into the department's pages."""
    (result,) = plansheet.extract([_volume_with_page(tmp_path, note, header, footer, after)], tmp_path / "out")
    assert result.status.value == "ok", result.warnings
    assert result.warnings == []
    tables = plansheet.load(tmp_path / "out")
    documents = tables["documents"].set_index("department")
    shift = 1 if after == 6 else 0
    assert documents.loc["健康福祉部", ["pages", "page_count"]].tolist() == ["2–6", 5]
    assert documents.loc["都市整備部", ["pages", "page_count"]].tolist() == [f"{7 + shift}–{10 + shift}", 4]
    assert documents.loc["経営企画部", ["pages", "page_count"]].tolist() == [f"{11 + shift}–{14 + shift}", 4]
    goals = tables["goals"]
    assert not goals["next_steps"].fillna("").str.contains("以").any()
    last = goals[(goals["department"] == "健康福祉部") & (goals["goal_no"] == 4)]
    assert last["next_steps"].tolist() == [LAST_NEXT_STEPS]


def test_the_end_mark_on_a_text_exports_last_line_is_no_fields_text(tmp_path: Path) -> None:
    """The real export with 以上 typed on a line of its own after its last sheet: the end mark, not the last goal's
    next_steps (read so under ok before)."""
    source = tmp_path / "sheet.txt"
    source.write_text(SEED.read_text(encoding="utf-8").rstrip("\n") + "\n\n以上\n", encoding="utf-8")
    (result,) = plansheet.extract([source], tmp_path / "out")
    assert result.status.value == "ok", result.warnings
    goals = plansheet.load(tmp_path / "out")["goals"]
    assert goals["next_steps"].isna().all()
    assert goals["goal_no"].tolist() == [1, 2, 3, 4, 5, 6]
