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
    # rounded half away from zero on the decimal, as Excel rounds (not the float's half to even)
    (2.5, "0", "3"), (0.125, "0.00", "0.13"), (1.005, "0.00", "1.01"), (0.8525, "0.0%", "85.3%"),
    # each comma after the last digit place divides by a thousand
    (3210000, '#,##0,"千円"', "3,210千円"), (3210000000, '#,##0,,"百万円"', "3,210百万円"),
    # a section for negative numbers shows no minus of its own, one for zero may be a literal
    (-5, "0;0", "5"), (-1234, '#,##0;"▲"#,##0', "▲1,234"), (-12, "0_);(0)", "(12)"),
    (0, '#,##0;-#,##0;"－"', "－"), (-3.5, "0.0", "-3.5"),
    (1.5, "0.0#", "1.5"), (1.234, "0.0#", "1.23"), (7, 'General"件"', "7件"), (True, "General", "TRUE"),
])
def test_a_number_or_date_shows_as_its_format_says(value: object, number_format: str, shown: str) -> None:
    assert displayed(value, number_format) == shown


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (dt.datetime(2023, 4, 1, 10, 5), "yyyy/m/d h:mm", "2023/4/1 10:05"),  # review 1 D9: was the bare value
    (dt.time(13, 30), "h:mm", "13:30"), (dt.time(13, 30), "h:mm AM/PM", "1:30 PM"),
    (dt.time(8, 4, 9), "mm:ss", "04:09"), (dt.datetime(2023, 3, 31, 13), 'h"時"mm"分"', "13時00分"),
    (dt.datetime(2023, 3, 31), "mmmm d, yyyy", "March 31, 2023"), (dt.datetime(2023, 4, 1), "mmm d", "Apr 1"),
    (dt.datetime(2023, 3, 31), "dddd", "Friday"),
    # a Japanese locale's names (review 2 D9: [$-411]mmmm gave the bare 2023-03-31 00:00:00 under ok)
    (dt.datetime(2023, 3, 31), "[$-411]mmmm", "3月"), (dt.datetime(2023, 3, 31), "[$-411]m月d日(ddd)", "3月31日(金)"),
    (dt.datetime(2023, 3, 31), "[$-ja-JP]dddd", "金曜日"),
])
def test_times_and_month_names_show_as_their_format_says(value: object, number_format: str, shown: str) -> None:
    assert displayed(value, number_format) == shown


# as Japanese Excel shows them (the values and texts of cells Excel saved, in the test workbooks of the
# excel-cellformatter project): kanji with units, formal kanji, full-width digits; nothing under an English locale
@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (12345, "[DBNum1][$-411]General", "一万二千三百四十五"), (-1234.5, "[DBNum1][$-411]General", "-千二百三十四.五"),
    (0, "[DBNum1][$-411]General", "〇"), (12345, "[DBNum2][$-411]General", "壱萬弐阡参百四拾伍"),
    (-1234.5, "[DBNum2][$-411]General", "-壱阡弐百参拾四.伍"), (12345, "[DBNum3][$-411]0", "１２３４５"),
    (-1234.5, "[DBNum3][$-411]0", "-１２３５"), (-12345, "[DBNum3][$-411]#,##0", "-１２,３４５"),
    (0, '[DBNum1][$-411]"["0.0"]"', "[〇.〇]"),
    (dt.datetime(1959, 12, 10), '[DBNum1][$-411]ggge"年"m"月"d"日"', "昭和三十四年十二月十日"),
    (dt.datetime(1989, 1, 10), '[DBNum1][$-411]ggge"年"m"月"d"日"', "平成一年一月十日"),
    (dt.datetime(2020, 8, 15), '[DBNum2][$-411]ggge"年"m"月"d"日"', "令和弐年八月壱拾伍日"),
    (dt.datetime(1959, 12, 10), '[DBNum2][$-411]ggge"年"m"月"d"日"', "昭和参拾四年壱拾弐月壱拾日"),
    (dt.datetime(1959, 12, 10), '[DBNum3][$-411]ggge"年"m"月"d"日"', "昭和３４年１２月１０日"),
    (dt.datetime(2015, 3, 7), r"[DBNum1][$-409]yyyy/m/d\ \(ddd\)", "2015/3/7 (Sat)"),  # d\ ddd: two tokens
    (1234567.89, "[DBNum1][$-409]#.##", "1234567.89"),
])
def test_japanese_numerals_show_as_japanese_excel_shows_them(value: object, number_format: str, shown: str) -> None:
    assert displayed(value, number_format) == shown


@pytest.mark.parametrize(("value", "number_format", "bare"), [
    (1.5, "0.00E+00", "1.5"),  # exponent: not covered, the bare value rather than a guess
    (dt.time(9, 5, 30), "hh:mm:ss.00", "09:05:30"),  # fractions of a second: bare
    (dt.datetime(2023, 4, 1), "[$-411]mmmmm", "2023-04-01 00:00:00"),  # a Japanese locale's one-letter month: bare
    (5, '[>=100]0"以上";0"未満"', "5"),  # a condition: bare, never the first section's 以上
])
def test_a_format_not_covered_gives_the_bare_value(value: object, number_format: str, bare: str) -> None:
    assert displayed(value, number_format) == bare


def test_the_workbook_reader_shows_typed_numbers_as_the_sheet_does(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row, (value, number_format) in enumerate([(0.853, "0.0%"), (3210, '#,##0"件"'), (2, "General"),
                                                  (dt.datetime(2024, 3, 31), GANNEN), ("令和5年度", "@"),
                                                  (dt.time(13, 30), "h:mm"),
                                                  (dt.datetime(2023, 3, 31), "mmmm d, yyyy")], 1):
        ws.cell(row=row, column=1, value=value).number_format = number_format
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    texts = [c.text for page in read_workbook(path).pages for c in page.cells]
    assert texts == ["85.3%", "3,210件", "2", "令和6年3月31日", "令和5年度", "13:30", "March 31, 2023"]


def test_a_workbook_cells_typed_line_breaks_keep_two_figures_apart(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "１００\n２００件"
    ws["A2"] = "100\n200件"
    ws["A3"] = "85.3%\n90%"
    ws["A4"] = "市の政策を\nまとめます。"  # Japanese lines join as a wrap's do
    path = tmp_path / "breaks.xlsx"
    wb.save(path)
    texts = [c.text for page in read_workbook(path).pages for c in page.cells]
    assert texts == ["１００ ２００件", "100 200件", "85.3% 90%", "市の政策をまとめます。"]
