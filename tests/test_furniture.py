"""Running headers, footers and page numbers, on hand-made pages."""
from __future__ import annotations

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


def test_a_page_number_written_as_one_is_dropped_at_the_foot_of_any_page() -> None:
    # the header sits in the paper's band (so the page is not taken as printed smaller), the footer does not
    for footer in ("- 4 -", "4 / 9", "P.4", "4頁"):
        (out,) = drop_page_furniture([page(1, cell("柏原市", 0, 0, 1, top=20), cell("本文", 1, 0, 1, top=300),
                                           cell(footer, 2, 0, 1, top=600))])
        assert texts(out) == [(0, 0, "柏原市"), (1, 0, "本文")], footer


def test_a_bare_number_or_a_text_below_the_sheet_is_kept_off_the_band() -> None:
    for last in ("4", "(4)", "※ 達成度はAからEの5段階"):
        (out,) = drop_page_furniture([page(1, cell("柏原市", 0, 0, 1, top=20), cell("本文", 1, 0, 1, top=300),
                                           cell(last, 2, 0, 1, top=600))])
        assert texts(out)[-1] == (2, 0, last), last


def test_headings_repeating_at_the_top_of_a_full_size_sheet_are_kept() -> None:
    # text reaches the paper's band on one page (a full-size sheet): a repeated first line below the band stays
    pages = [page(n, cell(f"重点目標{n}", 0, 0, n, top=60), cell("本文", 1, 0, n, top=300),
                  cell("以上", 2, 0, n, top=820 if n == 1 else 500)) for n in range(1, 4)]
    out = drop_page_furniture(pages)
    assert [texts(p)[0] for p in out] == [(0, 0, f"重点目標{n}") for n in range(1, 4)]
