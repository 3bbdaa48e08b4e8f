"""Officer lines and the grade legend, in the ways different years write them."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.parsers.legend import legend_strays, parse_legend
from plansheet.parsers.officers import parse_officer
from plansheet.parsers.records import GradeBand, Officer


@pytest.mark.parametrize("position, text, expected", [
    ("部長", "市川 信行", Officer("部長", "市川 信行")),
    ("監", "山口 伸和（総合政策監）", Officer("監", "山口 伸和", title="総合政策監")),
    ("監", "総合政策監 山口 智弘(行財政健全化担当)", Officer("監", "山口 智弘", title="総合政策監", charge="行財政健全化担当")),
    ("理事", "田中 一郎（都市整備担当）", Officer("理事", "田中 一郎", charge="都市整備担当")),
])
def test_officer_lines(position: str, text: str, expected: Officer) -> None:
    assert parse_officer(position, text) == expected


def test_empty_officer_cell_is_no_officer() -> None:
    assert parse_officer("監", "  ") is None


SEED_LEGEND = """- A：達成（目標を達成することができた。100%）
- B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満）
- C：一部達成（目標の一部を達成できた。50%以上70%未満）
- D：未達成（目標達成に向け取り組んだが、目標達成に至らなかった。50%未満）
- E：未実施（事業の取りやめなどにより評価不能又は困難。0%）"""


def test_legend_bounds_are_exactly_what_it_states() -> None:
    bands = parse_legend(SEED_LEGEND)
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in bands] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70),
        ("D", "未達成", None, 50), ("E", "未実施", 0, 0)]
    assert bands[0].description == "目標を達成することができた。"


def test_legend_joined_into_one_cell_and_full_width() -> None:
    text = "Ａ：達成（目標を達成した。１００％）Ｂ：概ね達成（概ね達成した。７０％以上１００％未満）"
    assert parse_legend(text) == [GradeBand("A", "達成", 100, 100, "目標を達成した。"),
                                  GradeBand("B", "概ね達成", 70, 100, "概ね達成した。")]


def test_two_officers_in_one_cell_are_two_rows() -> None:
    from plansheet.parsers.officers import split_officer_cell

    assert split_officer_cell("山口 伸和（総合政策監）小林 聡（危機管理監）") == ["山口 伸和（総合政策監）", "小林 聡（危機管理監）"]
    assert split_officer_cell("総合政策監 山口 智弘(行財政健全化担当)") == ["総合政策監 山口 智弘(行財政健全化担当)"]


@pytest.mark.parametrize("cell, people", [
    # fuzz seed 42006 (two officers of one position in one cell): read as one officer, silently
    ("総合政策監　山田 太郎、危機管理監　佐藤 花子", [("山田 太郎", "総合政策監"), ("佐藤 花子", "危機管理監")]),
    ("佐藤 一(総合政策監) 健康福祉監 中村 さくら", [("佐藤 一", "総合政策監"), ("中村 さくら", "健康福祉監")]),
    ("総合政策監 山田 太郎 危機管理監 佐藤 花子", [("山田 太郎", "総合政策監"), ("佐藤 花子", "危機管理監")]),
    ("山田 太郎（総合政策監）、佐藤 花子（危機管理監）", [("山田 太郎", "総合政策監"), ("佐藤 花子", "危機管理監")]),
    ("技監 山田 太郎", [("山田 太郎", "技監")]),
    # fuzz seed 42010: a closing bracket or a 、 ends a person, whose next one may have no title
    ("長谷川 和彦(行財政健全化担当) 西村 真由美", [("長谷川 和彦", None), ("西村 真由美", None)]),
    ("山田 太郎、佐藤 花子", [("山田 太郎", None), ("佐藤 花子", None)]),
    ("山田 太郎（防災担当、地域連携担当）", [("山田 太郎", None)]),  # a 、 inside brackets ends no one
    # fuzz seed 50007 variant 29 (two people parted by a space): each a family and a given name, spaced
    ("佐藤 太郎 西村 恵子（防災担当）", [("佐藤 太郎", None), ("西村 恵子", None)]),
])
def test_each_person_of_a_shared_officer_cell_is_a_row(cell: str, people: list[tuple[str, str]]) -> None:
    from plansheet.parsers.officers import split_officer_cell

    officers = [parse_officer("監", part) for part in split_officer_cell(cell)]
    assert [(o.name, o.title) for o in officers if o is not None] == people


def test_a_title_word_starts_a_person_only_where_every_person_so_made_has_a_title() -> None:
    """Fuzz seed 12 variant 17: ``都市政策監 小野寺 和彦 都市政策監 西村 和彦`` in one cell; the reader took
    its first title for the row's label cell, so the first person's title is the label's."""
    from plansheet.parsers.officers import split_officer_cell

    cell = "小野寺 和彦 都市政策監 西村 和彦(行財政健全化担当)"
    assert split_officer_cell(cell) == [cell]  # a label giving no title: the first person would have none
    assert split_officer_cell(cell, label_title="都市政策監") == ["小野寺 和彦", "都市政策監 西村 和彦(行財政健全化担当)"]
    # fuzz seed 42006 variant 0: the first title split off as the label, the second glued to a given name;
    # a break there would leave 山田 alone and make 健一郎危機管理監 a title
    glued = "山田 健一郎危機管理監 中村 さくら(地域連携担当)"
    assert split_officer_cell(glued, label_title="都市政策監") == [glued]


def test_a_label_cell_of_its_own_titles_everyone_under_it(tmp_path: Path) -> None:
    """Review: ``総合政策監 | 山口 伸和（防災担当）、小林 聡（地域連携担当）``: both are 総合政策監; a title split
    off the cell itself (seed 12 variant 17) was the first person's only."""
    from plansheet.parsers.document import parse_pages
    from plansheet.readers.text_export import read_text_export

    rows = {"label": "総合政策監\t山口 伸和（防災担当）、小林 聡（地域連携担当）",
            "own cell": "監\t総合政策監 山口 伸和 危機管理監 小林 聡（防災担当）"}
    got = {}
    for name, row in rows.items():
        export = tmp_path / f"{name}.txt"
        export.write_text(f"令和5年度 市民部の運営方針\n\n部\t市民部\t部長\t山田 太郎\n{row}\n", encoding="utf-8")
        (doc,) = parse_pages(read_text_export(export).pages)
        got[name] = [(o.name, o.title, o.charge) for o in doc.officers if o.position == "監"]
    assert got == {"label": [("山口 伸和", "総合政策監", "防災担当"), ("小林 聡", "総合政策監", "地域連携担当")],
                   "own cell": [("山口 伸和", "総合政策監", None), ("小林 聡", "危機管理監", "防災担当")]}


def test_a_name_holding_a_title_is_named_not_split_by_guess(tmp_path: Path) -> None:
    """Two people in one cell whose line break was lost (``山田 健一郎危機管理監 中村 さくら``): where the
    first name ends cannot be told, so the cell stays one officer and the warning names it."""
    from plansheet.parsers.officers import reads_as_two_people, split_officer_cell

    assert split_officer_cell("総合政策監 山口 伸和（防災、危機管理監 兼務）") == ["総合政策監 山口 伸和（防災、危機管理監 兼務）"]
    for cell in ("山田 健一郎危機管理監 中村 さくら", "長谷川 さくら 中村誠", "佐藤真由美佐藤 誠", "大久保太郎 山田太郎"):
        assert split_officer_cell(cell) == [cell]
        officer = parse_officer("監", cell)
        assert officer is not None and reads_as_two_people(officer.name)
    assert not any(reads_as_two_people(name) for name in ("山田 太郎", "大久保真 由美", "山田太郎", "監物 太郎", "小野寺健一郎"))
    export = tmp_path / "shared.txt"
    export.write_text("令和5年度 市民部の運営方針\n\n部\t市民部\t部長\t山田 太郎\n"
                      "監\t長谷川 太郎総合政策監 大久保 太郎\n\n【基本方針】\n市民の暮らしを支えます。\n", encoding="utf-8")
    from plansheet.parsers.document import parse_pages
    from plansheet.readers.text_export import read_text_export

    (doc,) = parse_pages(read_text_export(export).pages)
    assert any(w.startswith("officer 監 name (page 1): '長谷川 太郎総合政策監 大久保 太郎' reads as two people") for w in doc.warnings)


@pytest.mark.parametrize("raw, expected, ocr", [("Ａ", "A", False), (" b ", "B", False), ("8", "B", True),
                                                ("С", "C", True), ("A（達成）", "A", False), ("0", "D", True),
                                                ("8", "8", False), ("0", "0", False), ("F", "F", False),
                                                ("A・B", "A・B", False), ("B(C)", "B(C)", True),
                                                ("Z", "Z", False), (None, None, False)])
def test_grades_are_read_as_legend_letters(raw: str | None, expected: str | None, ocr: bool) -> None:
    """Look-alikes are an OCR engine's misreadings (OCR'd cells only); two letters are two grades."""
    from plansheet.parsers.repair import repair_grade

    assert repair_grade(raw, set("ABCDE"), ocr=ocr) == expected


def test_a_legend_entry_ends_at_its_closing_bracket() -> None:
    """Text after an entry's bracket is its bounds, or no part of it (and named): a label and value
    the legend section ran into (an unknown label on the next sheet) once became E's description."""
    text = "D：未達成（至らなかった。50%未満） E：未実施（評価できない。0%） 所管部局 政策推進部"
    assert parse_legend(text)[-1] == GradeBand("E", "未実施", 0, 0, "評価できない。")
    assert legend_strays(text) == [("E", "所管部局 政策推進部")]
    assert parse_legend("A 達成（目標を達成した。）100%") == [GradeBand("A", "達成", 100, 100, "目標を達成した。")]
    assert legend_strays("B：概ね達成（おおむね。）70%以上100%未満") == []


@pytest.mark.parametrize("text, band", [
    ("E：未実施（事業の取りやめ（中止）など。0%）", GradeBand("E", "未実施", 0, 0, "事業の取りやめ（中止）など。")),
    ("A：達成（目標を達成した。）（100%）", GradeBand("A", "達成", 100, 100, "目標を達成した。")),
    ("A：達成（目標を達成した。）＝100%", GradeBand("A", "達成", 100, 100, "目標を達成した。")),
    ("C：一部達成（一部。50%以上、70%未満）", GradeBand("C", "一部達成", 50, 70, "一部。")),
    ("B：概ね達成（概ね。70%以上～100%未満）", GradeBand("B", "概ね達成", 70, 100, "概ね。")),
])
def test_a_legend_entry_reads_its_own_brackets_and_both_bounds(text: str, band: GradeBand) -> None:
    """Review: an entry's bracket closes at the ）that matches its （; bounds may stand in a bracket of
    their own or after ＝, and 50%以上、70%未満 states both bounds."""
    assert parse_legend(text) == [band] and legend_strays(text) == []


def test_a_legend_running_into_the_next_sheet_is_named(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    import plansheet
    from plansheet.settings import Settings
    seed = (Path(__file__).resolve().parents[1] / "samples" / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
    assert seed.count("\n部\t政策推進部\n") == 6  # the six goal sheets
    sheet = tmp_path / "unknown_department_label.txt"  # the goal sheets' 部 label written as one no table knows
    sheet.write_text(seed.replace("\n部\t政策推進部\n", "\n担当部局\t政策推進部\n"), encoding="utf-8")
    plansheet.extract([sheet], tmp_path / "out", Settings(workers=1))
    [source] = pq.read_table(tmp_path / "out" / "parquet" / "sources").to_pylist()
    assert source["status"] == "partial"
    assert "grade_scale E (page 1): '担当部局 政策推進部' follows the entry's closing bracket" in source["warnings"]
    bands = pq.read_table(tmp_path / "out" / "parquet" / "grade_scale").to_pylist()
    assert bands[-1]["description"] == "事業の取りやめなどにより評価不能又は困難。"


def test_legend_without_parentheses() -> None:
    bands = parse_legend("Ａ．達成　100％ Ｂ．概ね達成 70％以上100％未満 Ｃ．一部達成 50％以上70％未満")
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in bands] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70)]


@pytest.mark.parametrize(("read", "right"), [
    ("総合政策監 山口 智弘(行財政健全化担当", "総合政策監 山口 智弘(行財政健全化担当)"),
    ("小林 聡（危機管理監", "小林 聡（危機管理監）"),
    ("山口 伸和(総合政策監)", "山口 伸和(総合政策監)"),
    ("市川 信行", "市川 信行"),
])
def test_a_bracket_lost_at_the_cells_edge_is_closed(read: str, right: str) -> None:
    from plansheet.parsers.officers import close_open_bracket

    assert close_open_bracket(read) == right


def test_a_director_whose_label_ocr_read_as_nothing_is_the_director_named() -> None:
    """Scan fuzz seed 52002, variant 12: the 部長 label's crop read as nothing, so 西村和彦 stood under no
    label and the document had no director. Every header names its 部長: the one value under no label,
    right of that blank label cell, is the director's, and a warning names it."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import parse_front_sheet

    def ocr(text: str, row: int, col: int) -> Cell:
        return Cell(text=text, row=row, col=col, page=1, confidence=0.995 if text else None)

    header = [ocr("令和4年度 政策推進部の運営方針", 0, 1), ocr("部", 1, 0), ocr("政策推進部", 1, 1), ocr("", 1, 2),
              ocr("西村和彦", 1, 3), ocr("理事", 2, 0), ocr("中村健一郎(防災担当)", 2, 1)]
    front = parse_front_sheet(header)
    assert [(o.position, o.name) for o in front.officers] == [("部長", "西村和彦"), ("理事", "中村健一郎")]
    assert front.doubts == ["officer 部長 name (page 1): OCR read no label left of '西村和彦', where the 部長 label "
                            "stands; taken as the director, whom every header names"]
    # a 部長 read: the value under no label stays a lost officer, said so
    header[3] = ocr("部長", 1, 2)
    header.append(ocr("山口 伸和", 3, 1))
    front = parse_front_sheet(header)
    assert [o.position for o in front.officers] == ["部長", "理事"]
    assert front.doubts == ["officer ? (page 1): '山口 伸和' stands in the header under no label (its label misread?); "
                            "an officer may be lost"]


def test_a_mark_between_the_glyphs_of_an_ocr_read_name_is_a_speck() -> None:
    """Fresh scan fuzz seed 63003, variant 7: the director read '西村` さくら'. A name holds no quote mark."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import parse_front_sheet
    from plansheet.parsers.officers import name_marks

    assert name_marks("林‘ 恵子(防災担当)") == "林 恵子(防災担当)" and name_marks("O'Brien") == "O'Brien"
    cells = [Cell(text=t, row=1, col=c, page=1, confidence=0.99) for c, t in enumerate(["部長", "西村` さくら"])]
    front = parse_front_sheet(cells)
    assert [o.name for o in front.officers] == ["西村 さくら"]
    assert front.notes == ["officer 部長 (page 1): OCR repair (name_marks) '西村` さくら' → '西村 さくら'"]
    assert parse_front_sheet([Cell(text=c.text, row=1, col=c.col, page=1) for c in cells]).officers[0].name == "西村` さくら"


def test_a_name_on_a_header_line_of_its_own_is_named(tmp_path: Path) -> None:
    """Fuzz seed 42023: a cell's typed line break written raw by the export put the second person of
    ``山田　誠(防災担当)⏎西村　太郎`` on a line of its own, under no label: lost, silently."""
    from plansheet.parsers.document import parse_pages
    from plansheet.readers.text_export import read_text_export

    export = tmp_path / "raw-break.txt"
    export.write_text("令和5年度 市民部の運営方針\n\n部\t市民部\t部長\t長谷川　真由美\n理事\t山田　誠(防災担当)\n"
                      "西村　太郎\t\t監\t危機管理監　中村 太郎\n\n【基本方針】\n市民を支えます。\n", encoding="utf-8")
    (doc,) = parse_pages(read_text_export(export).pages)
    assert any(w.startswith("officer ? (page 1): '西村 太郎' stands in the header under no label") for w in doc.warnings)
    assert [o.name for o in doc.officers] == ["長谷川 真由美", "山田 誠", "中村 太郎"]


def test_a_name_under_an_officer_label_in_its_own_column_is_named_not_taken(tmp_path: Path) -> None:
    """Fuzz seed 44010 (a shared officer cell's line break written raw by a text export): the rest of the
    理事 cell, 大久保和彦, stood on a line of its own in the label column under 監 and was read as a 監,
    silently. An officer label's values stand at its right: a name below it in its own column is named."""
    import pyarrow.parquet as pq

    import plansheet
    from plansheet.settings import Settings
    seed = (Path(__file__).resolve().parents[1] / "samples" / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
    line = "監\t山口 伸和（総合政策監）\t監\t小林 聡（危機管理監）\n"
    assert line in seed
    sheet = tmp_path / "raw_break.txt"
    sheet.write_text(seed.replace(line, line.rstrip("\n") + "\n大久保和彦\n", 1), encoding="utf-8")
    plansheet.extract([sheet], tmp_path / "out", Settings(workers=1))
    [source] = pq.read_table(tmp_path / "out" / "parquet" / "sources").to_pylist()
    assert source["status"] == "partial"
    assert "officer ? (page 1): '大久保和彦' stands in the header under no label" in source["warnings"]
    names = [o["name"] for o in pq.read_table(tmp_path / "out" / "parquet" / "officers").to_pylist()]
    assert names == ["市川 信行", "山口 伸和", "小林 聡"]
    from samples.generate.fuzz_run import run  # the fuzz variant itself: the name under 監 in its column
    [outcome] = run(20, 44010, tmp_path / "fuzz", ("text",), indices=[19])
    assert outcome.status == "partial" and outcome.unnamed == 0
    assert outcome.differences == ["officers (1, '大久保和彦'): missing"]


def test_an_officer_under_a_label_read_as_a_speck_is_a_kan_by_its_title() -> None:
    """Hard scan 17025 (heldout): the 監 label of the second header row read ``p`` (0.971), so 藤井 誠(都市政策監)
    stood under no label and the 監 row was lost. Its title ends in 監: it is that 監, named all the same; a
    value whose title says no 監, or beside a label of more glyphs, stays a lost officer."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import parse_front_sheet

    def ocr(text: str, row: int, col: int) -> Cell:
        return Cell(text=text, row=row, col=col, page=1, confidence=0.99 if text else None)

    header = [ocr("部", 1, 0), ocr("健康福祉部", 1, 1), ocr("部長", 1, 3), ocr("坂口 弘樹", 1, 4),
              ocr("p", 2, 0), ocr("藤井 誠(都市政策監)", 2, 1), ocr("", 2, 3), ocr("", 2, 4)]
    front = parse_front_sheet(header)
    assert [(o.position, o.title, o.name) for o in front.officers] == [
        ("部長", None, "坂口 弘樹"), ("監", "都市政策監", "藤井 誠")]
    assert front.doubts == ["officer 監 name (page 1): OCR read 'p' where the label of '藤井 誠(都市政策監)' stands; "
                            "taken as a 監 from its title 都市政策監"]
    header[4] = ocr("", 2, 0)  # hard scan 17073: the 監 label read as nothing
    assert [(o.position, o.name) for o in parse_front_sheet(header).officers] == [("部長", "坂口 弘樹"), ("監", "藤井 誠")]
    header[4] = ocr("p", 2, 0)
    header[5] = ocr("藤井 誠(防災担当)", 2, 1)
    front = parse_front_sheet(header)
    assert [o.position for o in front.officers] == ["部長"] and front.doubts[0].startswith("officer ? (page 1)")
    # hard scan 17039: 理事 read 津事 beside 松井 隆: one glyph off 理事 and 参事 alike, so no position is guessed
    header[4:6] = [ocr("津事", 2, 0), ocr("松井 隆", 2, 1)]
    front = parse_front_sheet(header)
    assert [o.position for o in front.officers] == ["部長"] and front.doubts[0].startswith("officer ? (page 1)")


@pytest.mark.parametrize(("read", "right"), [
    ("岡田浩 二", "岡田 浩二"),  # hard scans 17033 and 17036: the space moved one glyph on
    ("佐藤和 彦", "佐藤 和彦"),  # scan fuzz (bench/README.md: a moved space)
    ("長谷 川一", "長谷川 一"),
    ("岡田 浩二", "岡田 浩二"), ("長谷川 一", "長谷川 一"), ("西村 さくら", "西村 さくら"),
    ("西村さくら", "西村さくら"),  # a name read as one word is left so: a sheet may print it without a space
])
def test_a_space_ocr_moved_inside_a_name_goes_where_the_family_name_ends(read: str, right: str) -> None:
    from plansheet.parsers.officers import name_space

    assert name_space(read) == right


def test_a_moved_space_in_an_ocr_read_name_is_repaired_and_audited() -> None:
    """Hard scan 17033: the 監 cell read '危機管理監 岡田浩 二(防災担当)', so the officer came out 岡田浩 二 (a row
    lost against the truth). The dictionary cuts 岡田浩二 into 岡田 (family) | 浩二 (given); a text layer is
    taken as written."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import parse_front_sheet

    cells = [Cell(text=t, row=2, col=c, page=1, confidence=0.99)
             for c, t in enumerate(["監", "総合政策監 山口 智弘(行財政健全化担当)", "監", "危機管理監 岡田浩 二(防災担当)"])]
    front = parse_front_sheet(cells)
    assert [(o.title, o.name, o.charge) for o in front.officers] == [
        ("総合政策監", "山口 智弘", "行財政健全化担当"), ("危機管理監", "岡田 浩二", "防災担当")]
    assert front.notes == ["officer 監 (page 1): OCR repair (name_space) '岡田浩 二' → '岡田 浩二'"]
    plain = [Cell(text=c.text, row=2, col=c.col, page=1) for c in cells]
    assert parse_front_sheet(plain).officers[1].name == "岡田浩 二"


def test_a_bounds_word_read_with_a_look_alike_of_its_last_kanji_is_made_whole() -> None:
    """Hard scan 17005: the legend's 未満 read 未溶 and 未溝 (満's look-alikes with 氵 on the left), so bands B, C
    and D lost their upper bounds. After ``N%未`` the bound's word is 未満; the repair is audited, and a text
    layer is read as written."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import bound_word, parse_front_sheet

    assert bound_word("C:一部達成(目標の一部を達成できた。50%以上70%未溝)") == "C:一部達成(目標の一部を達成できた。50%以上70%未満)"
    assert bound_word("未達成(目標達成に至らなかった。50%未溝)") == "未達成(目標達成に至らなかった。50%未満)"
    assert bound_word("未実施(評価不能又は困難。0%)") == "未実施(評価不能又は困難。0%)"
    lines = ["【達成度について】", "A:達成(目標を達成することができた。100%)",
             "B:概ね達成(概ね目標どおり達成することができた。70%以上100%未溶)",
             "C:一部達成(目標の一部を達成できた。50%以上70%未溝)",
             "D:未達成(目標達成に向け取り組んだが、目標達成に至らなかった。50%未溝)"]
    cells = [Cell(text=t, row=k, col=0, page=1, confidence=0.99) for k, t in enumerate(lines)]
    front = parse_front_sheet(cells)
    assert [(b.grade, b.min_pct, b.max_pct) for b in front.grade_scale] == [
        ("A", 100, 100), ("B", 70, 100), ("C", 50, 70), ("D", None, 50)]
    assert len([n for n in front.notes if "OCR repair (bound_word)" in n]) == 1
    plain = parse_front_sheet([Cell(text=c.text, row=c.row, col=0, page=1) for c in cells])
    assert [b.max_pct for b in plain.grade_scale][1:3] == [None, None]


def test_spaces_the_engine_read_into_a_legend_are_not_the_legends() -> None:
    """Scan fuzz seed 19002 (variants 44, 97): C's label read ``一 部達成`` came out as label ``一`` and description
    ``部達成(目標の…``, named by nothing; B's ``70%以上10 0%未満`` lost both bounds. A legend writes no space between
    two Japanese glyphs, inside a figure or before its % or bound word; an OCR'd legend's are the engine's (audited),
    and a text layer is read as written."""
    from plansheet.core.model import Cell
    from plansheet.parsers.front_sheet import legend_spaces, parse_front_sheet

    assert legend_spaces("B:概ね達成(目標をおおむね達成した。80%以上100 % 未満) C:一 部達成(目標") == \
        "B:概ね達成(目標をおおむね達成した。80%以上100%未満) C:一部達成(目標"
    lines = ["【達成度について】", "A:達成(目標を達成することができた。100%)",
             "B:概ね達成(概ね目標どおり達成することができた。70%以上10 0%未満)",
             "C:一 部達成(目標の一部を達成できた。50%以上70% 未満)"]
    cells = [Cell(text=t, row=k, col=0, page=1, confidence=0.99) for k, t in enumerate(lines)]
    front = parse_front_sheet(cells)
    assert [(b.grade, b.label, b.min_pct, b.max_pct) for b in front.grade_scale] == [
        ("A", "達成", 100, 100), ("B", "概ね達成", 70, 100), ("C", "一部達成", 50, 70)]
    assert len([n for n in front.notes if "OCR repair (legend_spaces)" in n]) == 1
    plain = parse_front_sheet([Cell(text=c.text, row=c.row, col=0, page=1) for c in cells])
    assert not any("legend_spaces" in n for n in plain.notes)
