"""Every front sheet naming a department opens a document of its own (REVIEW5 X17): in a compiled volume a
department whose plan is its front sheet alone is followed by the next department's front sheet, which had been read
as the first one's continuation (its goal sheets filed under the first department, the second lost). The volume is a
generated two-department variant whose first department's goal sheets are left out of the print."""
from __future__ import annotations

from pathlib import Path

import pytest

from samples.generate import fuzz


def _write(renderer: str, pages: list, out: Path, title: str) -> Path:
    if renderer == "xlsx":
        from samples.generate.render_xlsx import write_workbook
        write_workbook(pages, out.with_suffix(".xlsx"), title)
        return out.with_suffix(".xlsx")
    if renderer == "html":
        from samples.generate.render_html import write_html
        write_html(pages, out.with_suffix(".html"), title)
        return out.with_suffix(".html")
    from samples.generate.render_pdf import draw_pages
    draw_pages(pages, out.with_suffix(".pdf"), "ipaex", title)
    return out.with_suffix(".pdf")


@pytest.mark.parametrize("renderer", ["xlsx", "reportlab", "html"])
def test_a_front_sheet_alone_is_a_document_and_the_next_front_sheet_another(tmp_path: Path, renderer: str) -> None:
    import plansheet
    from plansheet.settings import Settings
    variant = fuzz.draw(58950, 6, ("xlsx" if renderer == "html" else renderer,))  # 経営企画部, then 都市整備部
    fuzz.fit(variant)
    pages, parts = fuzz._volume_pages(variant)
    (first, front, _), (second, front2, _) = parts
    pages = pages[:front] + pages[front2 - 1:]  # the first department's front sheet alone, then the second's sheets
    path = _write(renderer, pages, tmp_path / "volume", variant.department.title)
    plansheet.extract([path], tmp_path / "out", Settings(workers=1))
    tables = plansheet.load(tmp_path / "out")
    documents = tables["documents"].sort_values("page_start") if "page_start" in tables["documents"] \
        else tables["documents"]
    assert list(documents["department"]) == [first.department, second.department]
    assert list(documents["director"]) == [first.director, second.director]
    goals = tables["goals"].merge(documents[["doc_id", "department"]], on="doc_id", suffixes=("", "_doc"))
    titles = goals[goals["department_doc"] == second.department].sort_values("goal_no")["title"]
    assert [t.replace("\n", "") for t in titles] == [g.title.replace("\n", "") for g in second.goals]
    assert tables["targets"].merge(documents[documents["department"] == first.department][["doc_id"]]).empty
