"""The HTML reader (Excel's "save as web page" .xls/.htm) reads only what the page shows: hidden
rows, cells, columns and spans, struck text, ruby readings, scripts and comments are left out."""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from plansheet.readers.html import read_html

from conftest import SAMPLES

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load
PAGE = SAMPLES / "workbooks" / "result.html.xls"
SHOWN = "セット健診を年4回実施し、延べ612人が受診しました。託児付き検診日は2回設け、31人の利用がありました。"
HEAD, TAIL = "セット健診を年4回実施し、延べ612人が受診しました。", "託児付き検診日は2回設け、31人の利用がありました。"
ROW_BEFORE = '<tr><td colspan="3" class="value" style="height:24.0pt">受診勧奨通知を延べ8,214通'
EXCEL_CLASSES = ".xl99\n\t{mso-style-parent:style0;\n\tdisplay:none;}\n.font7\n\t{color:windowtext;\n\t" \
                "text-decoration:line-through;\n\tfont-family:\"ＭＳ Ｐゴシック\";}\n</style>"

# name → (what replaces the results cell of initiative 1.2, markup put before its row, extra <style> rules)
VARIANTS = {
    "hidden_tr": (SHOWN, "<tr style=\"display:none\"><td colspan=\"6\" class=\"value\">（内部用）昨年度の数値</td>"
                         "</tr>", False),
    "excel_hidden_tr": (SHOWN, "<tr height=0 style='display:none'><td colspan=6 class=xl99>（内部用）7,900通</td>"
                               "</tr>", False),
    "hidden_span": (f"{HEAD}<span style=\"display:none\">（非公開メモ）</span>{TAIL}", "", False),
    "excel_hidden_class": (f"{HEAD}<font class=\"xl99\">（非表示）</font>{TAIL}", "", True),
    "excel_struck_run": (f"<font class=\"font7\">年3回の予定を</font>{HEAD}{TAIL}", "", True),
    "strike": (f"<strike>年3回</strike>{HEAD}<s>旧</s>{TAIL}", "", False),
    "del": (f"<del>旧記載</del>{HEAD}{TAIL}", "", False),
    "line_through": (f"<span style=\"text-decoration: underline line-through\">年3回の予定を</span>{HEAD}{TAIL}",
                     "", False),
    "script_comment": (f"{HEAD}<script>var x='スクリプト';</script><!-- 下書き -->{TAIL}", "", False),
    "ruby": (f"<ruby>託児<rp>（</rp><rt>たくじ</rt><rp>）</rp></ruby>付き{HEAD}{TAIL}", "", False),
}


def _variant(folder: Path, name: str) -> None:
    cell, row, classes = VARIANTS[name]
    html = PAGE.read_text(encoding="utf-8")
    assert html.count(SHOWN) == 1 and html.count(ROW_BEFORE) == 1
    html = html.replace(SHOWN, cell).replace(ROW_BEFORE, row + ROW_BEFORE)
    if classes:
        html = html.replace("</style>", EXCEL_CLASSES, 1)
    (folder / f"{name}.html.xls").write_text(html, encoding="utf-8")


def test_text_the_page_does_not_show_is_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in VARIANTS:
        _variant(inbox, name)
    results = plansheet.extract([inbox], tmp_path / "out")
    assert {r.status.value for r in results} == {"ok"}, [(r.source_file, r.error) for r in results]
    tables = plansheet.load(tmp_path / "out", copies="all")
    docs = tables["documents"].set_index("doc_id")["source_file"].to_dict()
    initiatives = tables["initiatives"]
    cell = initiatives[(initiatives.goal_no == 1) & (initiatives.initiative_no == 2)]
    results_by_file = {docs[d].rsplit("/", 1)[-1].removesuffix(".html.xls"): r
                       for d, r in zip(cell["doc_id"], cell["results"])}
    expected = {name: SHOWN for name in VARIANTS} | {"ruby": "託児付き" + SHOWN}
    assert results_by_file == expected


def test_a_hidden_column_keeps_its_place_and_loses_its_text(tmp_path: Path) -> None:
    page = ("<html><body><table><colgroup><col width=64><col width=0 style='display:none;mso-width-source:userset'>"
            "<col span=2 width=64></colgroup><tr><td>部名</td><td>旧部名</td><td>政策推進部</td><td>部長</td></tr>"
            "</table></body></html>")
    pages = read_html(tmp_path / "p.html", page.encode())
    assert [(c.col, c.text) for c in pages.pages[0].cells] == [(0, "部名"), (2, "政策推進部"), (3, "部長")]


def _cells(tmp_path: Path, style: str, rows: str) -> list[tuple[int, int, str]]:
    page = f"<html><head><style><!--\n{style}\n--></style></head><body><table>{rows}</table></body></html>"
    return [(c.row, c.col, c.text) for c in read_html(tmp_path / "p.html", page.encode()).pages[0].cells]


ROWS = ("<tr><td>達成状況</td><td class='grade'>B</td></tr>"
        "<tr class='memo'><td>非表示の行の文字です。</td><td class='xl71'>メモ</td></tr>")


@pytest.mark.parametrize(("style", "rows", "expected"), [
    # review 2: a selector list hid only its last class (.xl70 in `.xl70, .xl71` was missed)
    (".xl70, .memo\n\t{display:none;}", ROWS, [(0, 0, "達成状況"), (0, 1, "B")]),
    # the hidden attribute and visibility:collapse hide a row as display:none does
    ("", ROWS.replace("class='memo'", "hidden"), [(0, 0, "達成状況"), (0, 1, "B")]),
    (".memo {visibility:collapse}", ROWS, [(0, 0, "達成状況"), (0, 1, "B")]),
    # a descendant selector hides what it selects, and nothing else
    (".memo .xl71 {display:none}", ROWS, [(0, 0, "達成状況"), (0, 1, "B"), (1, 0, "非表示の行の文字です。")]),
    # @media print rules are the printout's, not the page's (review 2: every grade had been emptied)
    ("@media print { .grade {display:none} }", ROWS,
     [(0, 0, "達成状況"), (0, 1, "B"), (1, 0, "非表示の行の文字です。"), (1, 1, "メモ")]),
    ("@media screen { .grade {display:none} }", ROWS,
     [(0, 0, "達成状況"), (1, 0, "非表示の行の文字です。"), (1, 1, "メモ")]),
    # visibility is inherited, and a cell may set it back (review 2: a visible cell of a hidden row was emptied)
    (".memo {visibility:hidden}", ROWS.replace("class='xl71'", "style='visibility:visible'"),
     [(0, 0, "達成状況"), (0, 1, "B"), (1, 1, "メモ")]),
])
def test_the_page_styles_hide_what_a_screen_hides(tmp_path: Path, style: str, rows: str,
                                                  expected: list[tuple[int, int, str]]) -> None:
    assert _cells(tmp_path, style, rows) == expected
