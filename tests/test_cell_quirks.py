"""What a spreadsheet's cells hold and how it prints them: Excel's overflow across empty cells, ``###``
for a number too wide for its column and a formula's error codes (the fuzzer's cell quirks,
``samples.generate.fuzz.CELL_QUIRKS``; whole variants are in tests/fixtures/fuzz, read by
test_fuzz_fixtures.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.core.model import Rule
from plansheet.parsers.records import Goal, ParsedDocument, Target
from plansheet.parsers.unshown import empty_unshown_fields, unshown
from plansheet.readers.pdf.grid import Glyph, GridBox, assign_glyphs, carry_overflow
from plansheet.core.model import BBox

from conftest import SAMPLES

SIZE = 9.0


def _line(text: str, x: float, top: float = 10.0, advance: float = SIZE) -> list[Glyph]:
    """``text`` set from ``x`` at the font's own advance, as a renderer sets one line."""
    return [Glyph(ch, x + k * advance, top, x + (k + 1) * advance, top + SIZE, SIZE) for k, ch in enumerate(text)]


def _boxes(xs: list[float]) -> tuple[list[GridBox], list[Rule]]:
    """One row of boxes between the column lines ``xs`` (0 to 30 high), and their rules."""
    boxes = [GridBox(BBox(a, 0.0, b, 30.0), 0, k, 1, 1) for k, (a, b) in enumerate(zip(xs, xs[1:]))]
    rules = [Rule(x, 0.0, x, 30.0) for x in xs] + [Rule(xs[0], y, xs[-1], y) for y in (0.0, 30.0)]
    return boxes, rules


def _texts(glyphs: list[Glyph], xs: list[float]) -> list[str]:
    boxes, _ = _boxes(xs)
    inside, _ = assign_glyphs(glyphs, boxes, xs, [0.0, 30.0])
    carry_overflow(boxes, inside)
    return ["".join(g.text for g in sorted(box, key=lambda g: (g.top, g.x0))) for box in inside]


def test_a_line_printed_on_across_an_empty_cell_stays_with_the_cell_it_starts_in() -> None:
    # 援 straddles the column line at 100; the run goes on at the font's own advance
    glyphs = _line("居宅介護支援事業所に配布しました。", 2.0 + 100 - 5 * SIZE - 4.0)
    assert _texts(glyphs, [0.0, 100.0, 300.0]) == ["居宅介護支援事業所に配布しました。", ""]


def test_a_line_over_two_empty_cells_comes_home_whole() -> None:
    glyphs = _line("市民説明会を開催し、延べ百二十八人が参加しました。", 60.0)  # 60 … 276: over 100 and 200
    assert _texts(glyphs, [0.0, 100.0, 200.0, 300.0]) == ["市民説明会を開催し、延べ百二十八人が参加しました。", "", ""]


def test_overflow_across_a_line_right_after_a_comma_stays_with_its_cell() -> None:
    # the column line falls just after 、: the run goes on at the comma's very advance
    glyphs = _line("とりまとめ、公表します。", 100.0 - 6 * SIZE)
    assert _texts(glyphs, [0.0, 100.0, 300.0]) == ["とりまとめ、公表します。", ""]


def test_a_label_whose_closing_bracket_stands_over_its_line_keeps_the_next_cells_text_apart() -> None:
    """Fuzz 55015-0036 (Chromium, 1.3 pt of padding): the box of 【重点目標①】's 】 reached past the column line and the
    title in the next box began at the padding every box of the sheet leaves, 0.1 pt after it: read as a run on
    (eb41b7c), the heading and title became one cell and goal 1's sheet was lost. A run on starts short of the
    sheet's padding; a box's own text starts after it."""
    pad = 1.3
    heading = _line("【重点目標１】", 100.0 + 1.2 - 7 * SIZE, top=5.0)
    title = _line("駅周辺の検討", 100.0 + pad, top=5.0)
    label, name = _line("部名", pad, top=45.0), _line("健康福祉部", 100.0 + pad, top=45.0)
    boxes = [GridBox(BBox(0.0, 0.0, 100.0, 30.0), 0, 0, 1, 1), GridBox(BBox(100.0, 0.0, 300.0, 30.0), 0, 1, 1, 1),
             GridBox(BBox(0.0, 40.0, 100.0, 70.0), 2, 0, 1, 1), GridBox(BBox(100.0, 40.0, 300.0, 70.0), 2, 1, 1, 1)]
    inside, _ = assign_glyphs(heading + title + label + name, boxes, [0.0, 100.0, 300.0], [0.0, 30.0, 40.0, 70.0])
    carry_overflow(boxes, inside)
    assert ["".join(g.text for g in sorted(b, key=lambda g: g.x0)) for b in inside] == \
        ["【重点目標１】", "駅周辺の検討", "部名", "健康福祉部"]


def test_text_in_two_cells_keeps_each_cells_padding_apart() -> None:
    pad = 1.5
    left = _line("実施しました", 100.0 - pad - 6 * SIZE)
    right = _line("市民課", 100.0 + pad)
    assert _texts(left + right, [0.0, 100.0, 300.0]) == ["実施しました", "市民課"]


def test_hung_punctuation_and_the_next_cells_text_are_two_cells() -> None:
    # burasage: 。 hung past the full line's end, over the column line; the next cell starts after its
    # padding, here 0.3 pt after the mark's end (a run goes on at its advance to a hundredth of a size)
    left = _line("実施しました。", 100.0 - 1.5 - 6 * SIZE)
    right = _line("市民課", left[-1].x1 + 0.3)
    assert _texts(left + right, [0.0, 100.0, 300.0]) == ["実施しました。", "市民課"]


def test_two_wrapped_texts_meeting_at_a_line_with_no_padding_stay_in_their_cells() -> None:
    """A renderer with no cell padding: the left box's wrapped text fills its lines to the column line and
    the right box's starts on it, glyph after glyph at the font's own spacing. Excel runs on only a text
    that is not wrapped, into an empty cell: two lines on either side are two cells' texts (a result line
    of target 2 was read into target 1 under ``ok``)."""
    left = _line("受診者のう", 100.0 - 5 * SIZE) + _line("ち約4割", 100.0 - 5 * SIZE, top=20.0)
    right = _line("定期点検を", 100.0) + _line("実施した", 100.0, top=20.0)
    assert _texts(left + right, [0.0, 100.0, 300.0]) == ["受診者のうち約4割", "定期点検を実施した"]
    one_line_right = _line("定期点検を", 100.0)
    assert _texts(left + one_line_right, [0.0, 100.0, 300.0]) == ["受診者のうち約4割", "定期点検を"]


def test_spreadsheet_marks_for_no_value_are_told_from_text() -> None:
    for mark in ("###", "#####", "# # #", "＃＃＃", "#DIV/0!", "#N/A", "#n/a", "#VALUE!", "#REF!", "#NAME?"):
        assert unshown(mark), mark
    for text in (None, "", "85.3%", "#1 事業の推進", "No.3", "A", "達成率#DIV/0!"):
        assert unshown(text) is None, text


def test_a_field_printed_as_hashes_or_an_error_is_empty_and_named() -> None:
    goal = Goal(2, title="安全なまちづくり", page=3, overall_grade="#N/A",
                targets=[Target(1, text="防災訓練を行う", status="#####", grade="B"),
                         Target(2, text="啓発を進める", status="85.3%", grade="#DIV/0!")])
    doc = ParsedDocument(department="危機管理部", goals=[goal])
    warnings = empty_unshown_fields(doc)
    assert (goal.overall_grade, goal.targets[0].status, goal.targets[1].grade) == (None, None, None)
    assert (goal.targets[0].grade, goal.targets[1].status) == ("B", "85.3%")
    assert [w.split(":")[0] for w in warnings] == ["goal 2 target 1 (page 3) status", "goal 2 (page 3) overall_grade",
                                                   "goal 2 target 2 (page 3) grade"]
    assert "'#####'" in warnings[0] and "too wide for its column" in warnings[0]


def test_a_small_raised_digit_after_a_figure_is_a_superscript() -> None:
    from plansheet.readers.pdf.grid import line_text

    line = _line("達成率85%", 10.0)
    small = 0.58 * SIZE
    raised = Glyph("1", line[-1].x1, 10.0 - 0.33 * SIZE, line[-1].x1 + small / 2, 10.0 - 0.33 * SIZE + small, small)
    assert line_text(line + [raised]) == "達成率85%¹"
    level = Glyph("1", line[-1].x1, 10.0, line[-1].x1 + SIZE / 2, 10.0 + SIZE, SIZE)  # a digit of the line's own size
    assert line_text(line + [level]) == "達成率85%1"


def test_a_workbook_run_in_a_superscript_font_reads_as_a_superscript(tmp_path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from plansheet.readers.workbook import read_workbook

    wb = Workbook()
    wb.active["A1"] = CellRichText(["受診率85%", TextBlock(InlineFont(vertAlign="superscript"), "1")])
    wb.active["A2"] = "受診率85%1"
    wb.save(tmp_path / "marks.xlsx")
    cells = read_workbook(tmp_path / "marks.xlsx").pages[0].cells
    assert [c.text for c in cells] == ["受診率85%¹", "受診率85%1"]


def test_footnote_lines_are_told_by_their_opening_mark() -> None:
    from plansheet.parsers.labels import is_footnote

    for note in ("（注）数値は3月末時点の見込み。", "注：事業費は当初予算額", "※1 数値は見込み", "＊ 前年度の実績を含む。", "*1 速報値"):
        assert is_footnote(note), note
    for text in ("注意喚起のチラシを配布した。", "今後の課題※1", "85%", "市民課"):
        assert not is_footnote(text), text


def test_furigana_over_a_name_are_no_part_of_its_cell() -> None:
    from plansheet.readers.pdf.grid import cluster_lines, without_ruby

    name = _line("山田 太郎", 10.0, top=20.0)
    small = 0.5 * SIZE
    guide = [Glyph(ch, 12.0 + k * small, 20.0 - small - 0.5, 12.0 + (k + 1) * small, 19.5, small)
             for k, ch in enumerate("やまだ")]
    lines = without_ruby(cluster_lines(guide + name, 1.0))
    assert ["".join(g.text for g in line) for line in lines] == ["山田 太郎"]
    # a second line of text in the cell's own size stays, kana or not
    both = cluster_lines(_line("ひらがな", 10.0, top=8.0) + name, 1.0)
    assert len(without_ruby(both)) == 2


def test_a_wording_struck_through_is_deleted_and_its_stroke_is_no_rule() -> None:
    from plansheet.readers.pdf.grid import struck_through

    old, new = _line("年3回", 10.0), _line("年4回開催", 10.0 + 3 * SIZE)
    strike = Rule(10.0, 10.0 + 0.55 * SIZE, 10.0 + 3 * SIZE, 10.0 + 0.55 * SIZE)
    border = Rule(0.0, 10.0 + SIZE + 2.0, 300.0, 10.0 + SIZE + 2.0)  # a cell's border under the line
    underline = Rule(10.0, 10.0 + SIZE, 10.0 + 8 * SIZE, 10.0 + SIZE)
    rules, glyphs = struck_through([strike, border, underline], old + new)
    assert "".join(g.text for g in glyphs) == "年4回開催"
    assert rules == [border, underline]
    # a stroke through the middle of a line but longer than its text by more than half a size: no strike
    long = Rule(10.0, 10.0 + 0.55 * SIZE, 10.0 + 3 * SIZE + 0.6 * SIZE + 9 * SIZE, 10.0 + 0.55 * SIZE)
    assert struck_through([long], old)[1] == old


def test_a_workbook_run_struck_through_is_left_out(tmp_path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from plansheet.readers.workbook import read_workbook

    wb = Workbook()
    wb.active["A1"] = CellRichText([TextBlock(InlineFont(strike=True), "年3回"), TextBlock(InlineFont(), "年4回開催")])
    wb.active["A2"] = CellRichText([TextBlock(InlineFont(strike=True), "検討中")])
    wb.save(tmp_path / "struck.xlsx")
    assert [c.text for c in read_workbook(tmp_path / "struck.xlsx").pages[0].cells] == ["年4回開催"]


def test_a_typed_break_inside_a_thousands_group_joins_one_figure_only_where_no_figure_could_begin() -> None:
    from plansheet.core.text import join_lines

    assert join_lines(["事業費1,2", "00千円"], typed=True) == "事業費1,200千円"  # no figure begins 00
    # digits that could begin a figure of their own: one figure broken to fit (3,210人) or two (grades 1,2 at
    # ten schools: the review's 1,210校 under ok), the text cannot tell: the break stays, and the field is named
    assert join_lines(["参加者は延べ3,2", "10人"], typed=True) == "参加者は延べ3,2 10人"
    assert join_lines(["出前講座は小学校の1,2", "10校で実施"], typed=True) == "出前講座は小学校の1,2 10校で実施"
    assert join_lines(["事業費1,20", "0千円"], typed=True) == "事業費1,20 0千円"
    # two figures on two typed lines stay two
    assert join_lines(["1,200", "300"], typed=True) == "1,200 300"
    assert join_lines(["3,2", "1000"], typed=True) == "3,2 1000"
    assert join_lines(["85.3%", "90%"], typed=True) == "85.3% 90%"
    # a date or a time holds no thousands group: grades 1 and 2, then in October (the review: 1,210月 under ok)
    assert join_lines(["出前講座は小学校の1,2", "10月に実施しました。"], typed=True) == "出前講座は小学校の1,2 10月に実施しました。"
    assert join_lines(["開催月：4,5", "12月に追加開催"], typed=True) == "開催月：4,5 12月に追加開催"


def test_white_text_on_no_fill_is_not_on_the_printed_sheet(tmp_path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    from plansheet.readers.workbook import read_workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "市民課"
    ws["A1"].comment = Comment("確認済", "担当")
    ws["B1"] = "要修正：数値を再確認"
    ws["B1"].font = Font(color="FFFFFFFF")
    ws["C1"] = "達成度"  # white on a dark fill: printed
    ws["C1"].font = Font(color="FFFFFFFF")
    ws["C1"].fill = PatternFill("solid", fgColor="FF404040")
    wb.save(tmp_path / "unseen.xlsx")
    assert [c.text for c in read_workbook(tmp_path / "unseen.xlsx").pages[0].cells] == ["市民課", "達成度"]


def test_furigana_that_joined_the_line_of_their_words_are_taken_off() -> None:
    from plansheet.readers.pdf.grid import without_ruby

    big, small = 3.9, 1.94  # a sheet printed small: the guide 0.4 pt above its words, one line by position
    words = [Glyph(ch, 228.5 + k * big, 182.4, 228.5 + (k + 1) * big, 186.3, big) for k, ch in enumerate("大久保一")]
    guide = [Glyph(ch, x, 180.1, x + small, 182.0, small) for ch, x in (("お", 229.0), ("お", 231.9), ("く", 234.8), ("ぼ", 237.7))]
    raised = Glyph("1", 244.1, 181.0, 245.1, 183.2, small)  # a superscript digit stays
    line = sorted(words + guide + [raised], key=lambda g: g.x0)
    assert "".join(g.text for g in without_ruby([line])[0]) == "大久保一1"


def test_glyphs_of_no_size_are_read_as_they_stand() -> None:
    from plansheet.readers.pdf.grid import lines_text, without_ruby

    line = [Glyph(ch, 10.0 + k * 5, 10.0 + k, 15.0 + k * 5, 15.0 + k, 0.0) for k, ch in enumerate("ふり1")]
    assert without_ruby([line]) == [line]
    assert lines_text([line, line]) == ["ふり1", "ふり1"]


def test_two_runs_into_one_tall_empty_box_each_come_home() -> None:
    # an initiative's text and its results, each one line, both run on into the empty box of the next
    # target's column, one box over both rows
    text = _line("地域の集会所で体操教室を開催します。", 100.0 - 5 * SIZE, top=5.0)
    results = _line("延べ百二十八人が参加しました。", 100.0 - 4 * SIZE, top=45.0)
    boxes = [GridBox(BBox(0.0, 0.0, 100.0, 30.0), 0, 0, 1, 1), GridBox(BBox(0.0, 40.0, 100.0, 70.0), 2, 0, 1, 1),
             GridBox(BBox(100.0, 0.0, 300.0, 70.0), 0, 1, 3, 1)]
    inside, _ = assign_glyphs(text + results, boxes, [0.0, 100.0, 300.0], [0.0, 30.0, 40.0, 70.0])
    carry_overflow(boxes, inside)
    assert ["".join(g.text for g in sorted(b, key=lambda g: g.x0)) for b in inside] == \
        ["地域の集会所で体操教室を開催します。", "延べ百二十八人が参加しました。", ""]


def test_two_wrapped_texts_meeting_without_padding_stay_apart() -> None:
    left = _line("実施しました", 100.0 - 6 * SIZE, top=5.0) + _line("報告します", 10.0, top=17.0)
    right = _line("市民課と連携", 100.0, top=5.0) + _line("して進めた", 100.0, top=17.0)
    assert _texts(left + right, [0.0, 100.0, 300.0]) == ["実施しました報告します", "市民課と連携して進めた"]


def test_a_figure_typed_on_two_lines_that_may_be_two_figures_is_named(tmp_path) -> None:
    """The review's case: a workbook cell typed 出前講座は小学校の1,2⏎10校で実施 was read 1,210校 under ok. One
    figure broken to fit its cell or two, the text cannot tell: read as written, the field named, the file partial."""
    from openpyxl import load_workbook

    import plansheet

    book = load_workbook(SAMPLES / "workbooks" / "seed.xlsx")
    book["重点目標1"]["A5"] = "出前講座は小学校の1,2\n10校で実施します。"  # goal 1's first target
    book.save(tmp_path / "cut.xlsx")
    [result] = plansheet.extract([tmp_path / "cut.xlsx"], tmp_path / "out")
    targets = plansheet.load(tmp_path / "out")["targets"]
    assert targets[(targets["goal_no"] == 1) & (targets["target_no"] == 1)]["text"].tolist() == [
        "出前講座は小学校の1,2 10校で実施します。"]
    assert result.status.value == "partial"
    assert [w for w in result.warnings if "typed on two lines" in w] == [
        "goal 1 target 1 (page 2) text: '1,2 10校' was typed on two lines: one figure broken to fit its cell "
        "(1,210校) or two figures, the sheet cannot tell; left as written"]



def test_furigana_over_a_title_outside_the_tables_are_no_line_of_their_own() -> None:
    """Fuzz 53001-0030 (writer, ruby): the reading しみんせいかつぶ stands in small kana right over 市民生活部 in the
    title, a line outside every ruled cell; read as a line of its own it was taken for an officer's name with no
    label (a false alarm). Outside the tables furigana are taken off as in a cell. The file is the variant's title and
    officer rows printed by Writer (samples.generate.fuzz_fixtures writer-officer-spaces 53001 30)."""
    from pathlib import Path

    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import Settings

    path = Path(__file__).parent / "fixtures" / "fuzz" / "ruby-title-writer-53001-0030.pdf"
    texts = [c.text for c in read_pdf(path, Settings()).pages[0].cells]
    assert texts[:3] == ["令和5年度部の運営方針【市民生活部】", "部", "市民生活部"]
    assert "しみんせいかつぶ" not in texts


def test_a_run_on_after_a_comma_over_the_line_goes_home_where_the_sheets_padding_is_as_narrow() -> None:
    """Fuzz 56009-0009 (LibreOffice, 0.7 to 0.8 pt of padding): a one-line initiative's 、 stood 0.72 pt over the
    column line and the run went on at its exact advance, 0.72 pt into the empty box on the right, no shorter of
    the line than the sheet's own texts start: the run was left in that box and read before the initiative
    (`働く世代が…整えます。②過去の…拡充し、`), ok. A run on follows the punctuation at its exact advance and starts at
    no padding the sheet's boxes use; the boxes' own texts (0.75 and 0.83 pt in) stay where they are."""
    head = _line("②実施日を拡充し、", 100.0 + 0.72 - 9 * SIZE, top=5.0)
    run = _line("働く世代が受診しやすい環境を整えます。", 100.0 + 0.72, top=5.0)
    own = [_line("所管室・課", 0.75, top=45.0), _line("健康づくり課", 100.0 + 0.83, top=45.0),
           _line("部名", 0.75, top=85.0), _line("健康福祉部", 100.0 + 0.83, top=85.0)]
    boxes = [GridBox(BBox(0.0, 0.0, 100.0, 30.0), 0, 0, 1, 1), GridBox(BBox(100.0, 0.0, 300.0, 30.0), 0, 1, 1, 1),
             GridBox(BBox(0.0, 40.0, 100.0, 70.0), 2, 0, 1, 1), GridBox(BBox(100.0, 40.0, 300.0, 70.0), 2, 1, 1, 1),
             GridBox(BBox(0.0, 80.0, 100.0, 110.0), 4, 0, 1, 1), GridBox(BBox(100.0, 80.0, 300.0, 110.0), 4, 1, 1, 1)]
    glyphs = head + run + [g for line in own for g in line]
    inside, _ = assign_glyphs(glyphs, boxes, [0.0, 100.0, 300.0], [0.0, 30.0, 40.0, 70.0, 80.0, 110.0])
    carry_overflow(boxes, inside)
    assert ["".join(g.text for g in sorted(b, key=lambda g: g.x0)) for b in inside] == \
        ["②実施日を拡充し、働く世代が受診しやすい環境を整えます。", "", "所管室・課", "健康づくり課",
         "部名", "健康福祉部"]


def test_text_in_the_empty_box_beside_a_block_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel's overflow run on across two empty boxes (the columns of targets 2 and 3 hold no fourth 具体的取組): its
    tail stayed in the third column's box, beside initiative 4's block, and was glued onto initiative 10's results
    under ok (fuzz 61500-0016, cid, row_split forced; W6's guard). A value in the box beside a block, where the
    column has no block of its own, is no field's: left out, and the block's initiative named."""
    import plansheet
    from plansheet.settings import Settings
    from samples.generate import fuzz
    from samples.generate.fuzz_run import score
    from samples.generate.render_pdf import IPAEX_PATHS
    if not any(Path(p).exists() for p in IPAEX_PATHS):
        pytest.skip("the IPAex font (fonts-ipaexfont-gothic) measures every rendering")

    monkeypatch.setitem(fuzz.PRINTED_RATES, "row_split", 1.0)
    variant = fuzz.draw(61500, 16, ("reportlab", "cid"))
    assert variant.renderer == "cid" and variant.params.get("overflow")
    (tmp_path / "inputs").mkdir()
    path, truth = fuzz.render(variant, tmp_path / "inputs")
    plansheet.extract([path], tmp_path / "out", Settings(workers=1))
    [outcome] = score(tmp_path, [(path, truth)])
    assert outcome.status == "partial" and outcome.unnamed == 0, outcome.differences
    warnings = str(plansheet.load(tmp_path / "out", copies="all")["sources"]["warnings"].iloc[0])
    assert "goal 1 initiative 4 (page 7) text, section, results: the box beside its 具体的取組 block" in warnings
    assert "'配布しました。'" in warnings
