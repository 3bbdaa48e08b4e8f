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

from conftest import SAMPLES

VOLUME = SAMPLES / "printed" / "volume.reportlab.pdf"
LAST_NEXT_STEPS = "若い世代に向けて、職場や大学と連携した接種機会の確保や、予約なしで接種できる日の設定を検討します。"


def _volume_with_page(tmp_path: Path, note: str | None, header: str | None = None, footer: str | None = None) -> Path:
    """The volume sample with one page inserted after page 6: ``note`` printed on it, or nothing; ``header`` near
    its top and ``footer`` near its foot (inside the sheet's margins, below the paper's margin band)."""
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
    volume.import_pages(source, list(range(6)))
    volume.import_pages(pdfium.PdfDocument(str(page)), [0])
    volume.import_pages(source, list(range(6, len(source))))
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
