"""A workbook cell reads as Excel shows it: numbers and dates through their number formats."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plansheet.readers.excel_format import displayed
from plansheet.readers.workbook import read_workbook

GANNEN = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@'


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (0.853, "0.0%", "85.3%"),
    (1.0, "0%", "100%"),
    (3210, "#,##0", "3,210"),
    (3210, '#,##0"人"', "3,210人"),
    (1234.5, "#,##0.0", "1,234.5"),
    (7, '"第"0"回"', "第7回"),
    (12, "0_);(0)", "12"),
    (1, "General", "1"),
    (0.1 + 0.2, "General", "0.3"),
    (dt.datetime(2023, 4, 1), GANNEN, "令和5年4月1日"),
    (dt.datetime(2019, 5, 1), GANNEN, "令和元年5月1日"),
    (dt.datetime(2019, 4, 30), 'ggge"年"m"月"d"日"', "平成31年4月30日"),
    (dt.datetime(2023, 4, 1), "yyyy/m/d", "2023/4/1"),
    (dt.datetime(2023, 4, 1), 'yyyy"年"mm"月"dd"日"(aaa)', "2023年04月01日(土)"),
])
def test_a_number_or_date_shows_as_its_format_says(value: object, number_format: str, shown: str) -> None:
    assert displayed(value, number_format) == shown


@pytest.mark.parametrize(("value", "number_format", "bare"), [
    (1.5, "0.00E+00", "1.5"),  # exponent: not covered, the bare value rather than a guess
    (dt.datetime(2023, 4, 1, 10, 5), "yyyy/m/d h:mm", "2023-04-01 10:05:00"),  # a time: bare
])
def test_a_format_not_covered_gives_the_bare_value(value: object, number_format: str, bare: str) -> None:
    assert displayed(value, number_format) == bare


def test_the_workbook_reader_shows_typed_numbers_as_the_sheet_does(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row, (value, number_format) in enumerate([(0.853, "0.0%"), (3210, '#,##0"件"'), (2, "General"),
                                                  (dt.datetime(2024, 3, 31), GANNEN), ("令和5年度", "@")], 1):
        ws.cell(row=row, column=1, value=value).number_format = number_format
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    texts = [c.text for page in read_workbook(path).pages for c in page.cells]
    assert texts == ["85.3%", "3,210件", "2", "令和6年3月31日", "令和5年度"]
