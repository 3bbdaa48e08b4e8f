"""A workbook LibreOffice saves as HTML (``soffice --convert-to html``, File → Save as HTML): one table per
worksheet, each after a heading naming the worksheet (``Sheet N: name``), and a list of the worksheets first
(REVIEW6 Y12). The heading is the worksheet's name, page furniture between two sheets, never a value."""
from __future__ import annotations

import copy
import html
from pathlib import Path

import pytest

from rendered import RESULT, read

from plansheet.parsers.records import text_fields

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def _libreoffice_html(department: object, path: Path, word: str = "Sheet", overview: str = "Overview") -> None:
    """``department``'s worksheets as LibreOffice's HTML export writes a workbook: the list of worksheets linking
    to each, then per worksheet an anchor ``tableN`` holding ``<h1>{word} N: <em>name</em></h1>`` and its
    table(s), rules between them, no page break."""
    from samples.generate import layout
    from samples.generate.render_html import page_html
    pages = layout.department_pages(department)
    links = "".join(f'\t\t<A HREF="#table{k}">{html.escape(p.name)}</A><br>\n' for k, p in enumerate(pages))
    parts = [f"<hr>\n\t<p><center>\n\t\t<h1>{overview}</h1>\n{links}\t</center></p>\n<hr>"]
    for k, page in enumerate(pages):
        body = page_html(page).replace('<section class="sheet">', "<div>").replace("</section>", "</div>")
        parts.append(f'<A NAME="table{k}"><h1>{word} {k + 1}: <em>{html.escape(page.name)}</em></h1></A>\n{body}'
                     + ("\n<hr>" if k + 1 < len(pages) else ""))
    path.write_text('<!DOCTYPE html>\n<html>\n<head>\n\t<meta http-equiv="content-type" content="text/html; '
                    'charset=utf-8"/>\n\t<meta name="generator" content="LibreOffice 7.4.7.2 (Linux)"/>\n</head>\n'
                    "<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n", encoding="utf-8")


@pytest.mark.parametrize(("word", "overview"), [("Sheet", "Overview"), ("シート", "概要")])
def test_a_worksheets_heading_is_no_value(tmp_path: Path, word: str, overview: str) -> None:
    """Y12: each worksheet's heading (``Sheet 3: 重点目標2``, in the user's language) starts the worksheet's page
    and is read as nothing; the list of worksheets before them is read as nothing. The headings had been glued onto
    each goal's next_steps before them and onto the legend's last entry, unnamed."""
    d = copy.deepcopy(RESULT)
    path = tmp_path / "result.html"
    _libreoffice_html(d, path, word, overview)
    status, doc = read(path)
    assert [g.next_steps for g in doc.goals] == [g.next_steps for g in d.goals]
    assert [g.overall_summary for g in doc.goals] == [g.summary for g in d.goals]
    assert [s.description for s in doc.grade_scale] == [s.description for s in d.grade_scale]
    assert doc.director == d.officers[0].name and doc.department == d.department
    assert not any(f"{word} " in (getattr(f.owner, f.name) or "") or "重点目標1" in (getattr(f.owner, f.name) or "")
                   for f in text_fields(doc))
    assert (status, doc.warnings) == ("ok", [])


def test_a_heading_anchored_before_a_table_otherwise_is_read(tmp_path: Path) -> None:
    """A heading inside an anchor that is not LibreOffice's worksheet heading (an author's own anchor before a goal
    sheet's table) is read as the page has it: only ``tableN`` anchors holding ``word N: name`` are furniture."""
    from plansheet.readers.html import read_html
    path = tmp_path / "own.html"
    path.write_text('<html><body><a name="goal1"><h2>重点目標1: 健康寿命の延伸</h2></a>'
                    "<table><tr><td>部</td><td>健康福祉部</td></tr></table></body></html>", encoding="utf-8")
    (page,) = read_html(path).pages
    assert [c.text for c in page.cells] == ["重点目標1: 健康寿命の延伸", "部", "健康福祉部"]
