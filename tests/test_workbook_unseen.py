"""What a printed worksheet shows of a cell's text: white font, fills, conditional formats, strikes."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, GradientFill, PatternFill

from plansheet.readers.workbook import read_workbook

WHITE = Font(color="FFFFFFFF")


def _texts(path: Path) -> set[str]:
    return {cell.text for page in read_workbook(path).pages for cell in page.cells}


def test_white_text_is_unseen_only_on_white_and_struck_text_is_deleted(tmp_path: Path) -> None:
    """White on no fill or a white fill is not on the printout; white on a gradient, or in a range a
    conditional format colours (a grade shown white on green), is; a cell struck through as a whole is an
    old wording deleted, as a struck run of rich text is. A gradient fill once failed the whole workbook
    (AttributeError: 'GradientFill' object has no attribute 'fgColor')."""
    book = Workbook()
    sheet = book.active
    cells = {
        "A1": ("白字のメモ", WHITE, None),
        "A2": ("白地に白字", WHITE, PatternFill("solid", fgColor="FFFFFFFF")),
        "A3": ("緑地に白字", WHITE, PatternFill("solid", fgColor="FF00B050")),
        "A4": ("グラデーションに白字", Font(color="FFFFFFFF", bold=True), GradientFill(stop=("FF0070C0", "FF00B050"))),
        "A5": ("Ａ", WHITE, None),  # a grade: white on the fill its conditional format paints
        "A6": ("取り消した文言", Font(strike=True), None),
        "A7": ("普通の文言", Font(), None),
    }
    for ref, (text, font, fill) in cells.items():
        sheet[ref] = text
        sheet[ref].font = font
        if fill is not None:
            sheet[ref].fill = fill
    sheet.conditional_formatting.add("A5:C5", CellIsRule(operator="equal", formula=['"Ａ"'],
                                                         fill=PatternFill("solid", bgColor="FF00B050")))
    path = tmp_path / "unseen.xlsx"
    book.save(path)
    assert _texts(path) == {"緑地に白字", "グラデーションに白字", "Ａ", "普通の文言"}
