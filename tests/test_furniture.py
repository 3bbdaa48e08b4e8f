"""Running headers, footers and page numbers, on hand-made pages."""
from __future__ import annotations

from dataclasses import replace

from plansheet.readers.pdf.furniture import drop_page_furniture
from plansheet.core.model import BBox, Cell, ExtractionMethod, Page, Rule

H = 842.0


def cell(text: str, row: int, col: int, page: int, top: float, x0: float = 100.0, row_span: int = 1) -> Cell:
    return Cell(text, row, col, page, row_span=row_span, bbox=BBox(x0, top, x0 + 100, top + 10))


def page(number: int, *cells: Cell, rules: tuple[Rule, ...] = ()) -> Page:
    return Page(number, tuple(cells), ExtractionMethod.TEXT_LAYER, width=595.0, height=H, rules=rules)


def sheet(n: int, footer: str) -> Page:
    return page(
        n,
        cell("柏原市 部の運営方針（内部資料）", 0, 0, n, top=20),
        cell("令和5年度 政策推進部の運営方針", 1, 0, n, top=60),
        cell("部", 2, 0, n, top=100),
        cell("政策推進部", 2, 1, n, top=100, x0=200),
        cell(footer, 3, 0, n, top=815),
    )


def texts(p: Page) -> list[tuple[int, int, str]]:
    return [(c.row, c.col, c.text) for c in p.cells]


def test_repeated_header_and_page_numbers_dropped_title_kept() -> None:
    total = 3
    pages = [sheet(n, f"- {n} -") for n in range(1, total + 1)]
    out = drop_page_furniture(pages)
    assert texts(out[1]) == [(0, 0, "令和5年度 政策推進部の運営方針"), (1, 0, "部"), (1, 1, "政策推進部")]
    assert [p.number for p in out] == [1, 2, 3]


def test_page_number_styles() -> None:
    for footer in ("3 / 12", "3", "P.3", "Ｐ．３", "- 3 -", "－３－"):
        (out,) = drop_page_furniture([page(1, cell("本文", 0, 0, 1, top=300), cell(footer, 1, 0, 1, top=815))])
        assert texts(out) == [(0, 0, "本文")], footer


def test_text_in_the_margin_on_one_page_only_is_kept() -> None:
    pages = [sheet(1, "1"), page(2, cell("本文", 0, 0, 2, top=300), cell("2", 1, 0, 2, top=815))]
    out = drop_page_furniture(pages)
    assert texts(out[0])[0] == (0, 0, "柏原市 部の運営方針（内部資料）")  # on 1 page of 2: not most


def test_numbers_inside_a_ruled_table_in_the_margin_are_kept() -> None:
    box = (Rule(90, 810, 210, 810), Rule(90, 830, 210, 830), Rule(90, 810, 90, 830), Rule(210, 810, 210, 830))
    p = page(1, cell("本文", 0, 0, 1, top=300), cell("12", 1, 0, 1, top=815), rules=box)
    assert drop_page_furniture([p]) == [p]


def test_renumbering_keeps_spans() -> None:
    p = page(1, cell("1", 0, 0, 1, top=10), cell("表", 1, 0, 1, top=300, row_span=2), cell("右", 2, 1, 1, top=320))
    (out,) = drop_page_furniture([p])
    assert [(c.row, c.col, c.row_span, c.text) for c in out.cells] == [(0, 0, 2, "表"), (1, 1, 1, "右")]


def test_header_of_one_part_of_a_compiled_volume() -> None:
    def header(n: int) -> str:
        return "令和4年度 部の運営方針" if n < 8 else "令和元年度 部の運営方針"

    pages = [page(n, cell(header(n), 0, 0, n, top=20), cell("本文", 1, 0, n, top=300)) for n in range(1, 11)]
    out = drop_page_furniture(pages)
    assert all(texts(p) == [(0, 0, "本文")] for p in out)


def shrunk(n: int, footer: str) -> Page:
    """A sheet printed at 70 % in the middle of its paper: header and footer moved inward with it."""
    return page(
        n,
        cell("柏原市 部の運営方針（内部資料）", 0, 0, n, top=140),
        cell("令和5年度 政策推進部の運営方針", 1, 0, n, top=170),
        cell("本文", 2, 0, n, top=400),
        cell(footer, 3, 0, n, top=690),
    )


def test_a_sheet_printed_smaller_than_its_paper_loses_its_header_and_page_number() -> None:
    pages = [shrunk(n, f"- {n} -") for n in range(1, 4)]
    out = drop_page_furniture(pages)
    assert texts(out[1]) == [(0, 0, "令和5年度 政策推進部の運営方針"), (1, 0, "本文")]


def on_a3(n: int, footer: str, top: float = 600) -> Page:
    """A sheet at its own size in the top corner of A3: its header in the paper's band, its footer far above
    the paper's foot."""
    return page(n, cell("柏原市", 0, 0, n, top=20), cell("本文", 1, 0, n, top=300), cell(footer, 2, 0, n, top=top))


def test_page_numbers_that_count_up_are_dropped_at_the_foot_of_any_page() -> None:
    for form in ("- {} -", "{} / 9", "P.{}", "{}頁", "{}", "({})"):
        pages = [on_a3(n, form.format(n + 3)) for n in range(1, 4)]  # the fourth to sixth pages of a volume
        assert [texts(p) for p in drop_page_furniture(pages)] == [[(0, 0, "本文")]] * 3, form  # header: running


def test_a_number_at_a_page_edge_that_does_not_count_the_pages_is_kept() -> None:
    for last in ("4", "(4)", "3/4", "P.3", "※ 達成度はAからEの5段階"):  # one page: nothing counts
        (out,) = drop_page_furniture([on_a3(1, last)])
        assert texts(out)[-1] == (2, 0, last), last
    same = drop_page_furniture([on_a3(n, "3/4") for n in range(1, 4)])  # the same figure on every page
    assert [texts(p)[-1][2] for p in same] == ["3/4"] * 3
    headings = drop_page_furniture([page(n, cell(str(n), 0, 0, n, top=60), cell("本文", 1, 0, n, top=300),
                                         cell("以上", 2, 0, n, top=820)) for n in range(1, 4)])
    assert [texts(p)[0] for p in headings] == [(0, 0, str(n)) for n in range(1, 4)]  # a bare number heads a page


def test_a_line_repeated_on_some_pages_of_a_shrunk_volume_is_kept() -> None:
    """The legend's last line closes every department's front page (3 of 9): no running footer."""
    box = (Rule(90, 290, 210, 290), Rule(90, 320, 210, 320), Rule(90, 290, 90, 320), Rule(210, 290, 210, 320))
    pages = [page(n, cell("本文", 0, 0, n, top=300), cell("E：未実施" if n % 3 == 1 else "続き" + "一二三四五六七八九"[n - 1],
                                                            1, 0, n, top=480), rules=box) for n in range(1, 10)]
    assert [texts(p) for p in drop_page_furniture(pages)] == [texts(p) for p in pages]


def test_a_shrunk_part_after_a_full_size_one_loses_its_running_header() -> None:
    full = page(1, cell("令和5年度 政策推進部の運営方針", 0, 0, 1, top=30), cell("本文", 1, 0, 1, top=300),
                cell("以上", 2, 0, 1, top=820))
    shrunk_pages = [shrunk(n, "") for n in range(2, 5)]
    out = drop_page_furniture([full] + [replace(p, cells=p.cells[:3]) for p in shrunk_pages])
    assert texts(out[0])[0] == (0, 0, "令和5年度 政策推進部の運営方針")
    assert [texts(p)[0] for p in out[1:]] == [(0, 0, "令和5年度 政策推進部の運営方針")] * 3


def test_headings_repeating_at_the_top_of_a_full_size_sheet_are_kept() -> None:
    # text reaches the paper's band on one page (a full-size sheet): a repeated first line below the band stays
    pages = [page(n, cell(f"重点目標{n}", 0, 0, n, top=60), cell("本文", 1, 0, n, top=300),
                  cell("以上", 2, 0, n, top=820 if n == 1 else 500)) for n in range(1, 4)]
    out = drop_page_furniture(pages)
    assert [texts(p)[0] for p in out] == [(0, 0, f"重点目標{n}") for n in range(1, 4)]


def test_a_running_header_of_one_part_of_a_shrunk_volume_is_dropped() -> None:
    """Three pages in a row with the same header at one height (a part of a volume, 3 of 9 pages): furniture."""
    box = (Rule(90, 290, 210, 290), Rule(90, 320, 210, 320), Rule(90, 290, 90, 320), Rule(210, 290, 210, 320))
    pages = [page(n, *([cell("八尾市 令和元年度 部の運営方針", 0, 0, n, top=110)] if n <= 3 else []),
                  cell("本文", int(n <= 3), 0, n, top=300), rules=box) for n in range(1, 10)]
    assert [texts(p) for p in drop_page_furniture(pages)] == [[(0, 0, "本文")]] * 9


def test_a_header_that_names_each_page_differently_is_dropped_from_the_margin_band() -> None:
    # the page setup prints the sheet's name (&A) centred atop each page: 運営方針, 重点目標1, 重点目標1(続き1) …
    def centred(name: str, n: int) -> Cell:
        return Cell(name, 0, 0, n, bbox=BBox(297.5 - 6 * len(name), 27, 297.5 + 6 * len(name), 35))

    names = ["運営方針", "重点目標1", "重点目標1(続き1)", "重点目標2"]
    pages = [page(n, centred(name, n), cell("本文", 1, 0, n, top=300)) for n, name in enumerate(names, 1)]
    assert [texts(p) for p in drop_page_furniture(pages)] == [[(0, 0, "本文")]] * 4
    once = drop_page_furniture([pages[0], page(2, cell("本文", 0, 0, 2, top=300))])
    assert texts(once[0])[0] == (0, 0, "運営方針")  # one page of two: no header's place


def test_a_file_name_atop_and_at_the_foot_of_a_shrunk_sheet_is_dropped_at_both() -> None:
    def sheet_page(n: int) -> Page:
        return page(n, cell("運営方針_総務部.xlsx", 0, 0, n, top=140), cell(f"本文{n}", 1, 0, n, top=400),
                    cell("運営方針_総務部.xlsx", 2, 0, n, top=690, x0=400))
    assert [texts(p) for p in drop_page_furniture([sheet_page(n) for n in range(1, 4)])] == [
        [(0, 0, f"本文{n}")] for n in range(1, 4)]


def test_the_sheets_name_atop_each_shrunk_page_is_dropped_whatever_it_says() -> None:
    pages = [shrunk(n, "") for n in range(1, 4)]
    pages = [replace(p, cells=(cell(f"重点目標{n}" + "(続き1)" * (n % 2), 0, 0, n, top=140),) + p.cells[1:3])
             for n, p in enumerate(pages, 1)]
    assert [texts(p)[0] for p in drop_page_furniture(pages)] == [(0, 0, "令和5年度 政策推進部の運営方針")] * 3


def test_the_footer_of_a_sheet_in_the_corner_of_larger_paper_is_dropped_below_its_table() -> None:
    box = (Rule(90, 290, 210, 290), Rule(90, 420, 210, 420), Rule(90, 290, 90, 420), Rule(210, 290, 210, 420))
    pages = [page(n, cell("柏原市", 0, 0, n, top=20), cell(f"本文{n}", 1, 0, n, top=300),
                  cell("総務部", 2, 0, n, top=560), rules=box) for n in range(1, 3)]
    assert [texts(p) for p in drop_page_furniture(pages)] == [[(0, 0, "本文1")], [(0, 0, "本文2")]]
    (alone,) = drop_page_furniture(pages[:1])  # one page: a line under its table may be the sheet's own note
    assert texts(alone)[-1] == (2, 0, "総務部")


def test_the_last_line_of_a_page_printed_twice_is_no_footer() -> None:
    """REVIEW5 X4: a goal sheet's page printed twice repeats every line at its height, its last one (a field's
    text under the ruled tables) too; lines repeated only because the whole page repeats are kept."""
    box = (Rule(90, 290, 210, 290), Rule(90, 420, 210, 420), Rule(90, 290, 90, 420), Rule(210, 290, 210, 420))
    for header in ("柏原市", ""):  # in the corner of larger paper; printed smaller than its paper
        twice = [page(n, cell(header, 0, 0, n, top=20), cell("本文", 1, 0, n, top=300),
                      cell("活動の再開に向けて支援します。", 2, 0, n, top=560), rules=box) for n in range(1, 3)]
        assert [[text for _, _, text in texts(p)][-2:] for p in drop_page_furniture(twice)] == [
            ["本文", "活動の再開に向けて支援します。"]] * 2, header


def test_each_part_of_a_volume_in_the_corner_of_larger_paper_loses_its_own_footer() -> None:
    # a volume of two departments' sheets, each at its own size on A3: each part's file name at its foot
    box = (Rule(90, 290, 210, 290), Rule(90, 420, 210, 420), Rule(90, 290, 90, 420), Rule(210, 290, 210, 420))
    names = ["運営方針_総務部.xlsx"] * 2 + ["運営方針_市民部.xlsx"] * 2 + ["目次"]
    pages = [page(n, cell("柏原市", 0, 0, n, top=20), cell(f"本文{n}", 1, 0, n, top=300),
                  cell(name, 2, 0, n, top=560), rules=box) for n, name in enumerate(names, 1)]
    assert [texts(p) for p in drop_page_furniture(pages)] == [[(0, 0, f"本文{n}")] for n in range(1, 5)] + [
        [(0, 0, "本文5"), (1, 0, "目次")]]
