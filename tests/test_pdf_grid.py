"""Pure geometry of the PDF reader, on hand-made boxes."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from plansheet.core.model import BBox, Rule
from plansheet.readers.pdf.grid import (
    Glyph,
    assign_glyphs,
    cluster_lines,
    column_of,
    is_enclosed,
    line_text,
    merge_row_axes,
    merge_rules,
    place_boxes,
    rules_to_boxes,
    rules_to_cells,
    split_at_gaps,
)


def h(x0: float, x1: float, y: float) -> Rule:
    return Rule(x0, y, x1, y)


def v(x: float, y0: float, y1: float) -> Rule:
    return Rule(x, y0, x, y1)


def g(text: str, x0: float, top: float, size: float = 10.0, width: float | None = None) -> Glyph:
    return Glyph(text, x0, top, x0 + (size if width is None else width), top + size, size)


# A 2x3 table (x 0|10|20|30, y 0|10|20) whose top row merges columns 1 and 2.
TABLE = [
    h(0, 30, 0), h(0, 30, 10), h(0, 30, 20),
    v(0, 0, 20), v(10, 0, 20), v(30, 0, 20), v(20, 10, 20),
]


def test_merge_rules_joins_pieces_and_snaps_near_collinear_strokes() -> None:
    rules = [h(0, 10, 5.0), h(10.5, 20, 5.8), h(30, 31, 50.0), v(40, 0, 3)]
    merged = merge_rules(rules, snap_tolerance=3.0, min_length=6.0)
    assert len(merged) == 1
    (rule,) = merged
    assert (rule.x0, rule.x1) == (0, 20)
    assert abs(rule.top - 5.4) < 1e-9 and rule.top == rule.bottom


def test_rules_to_boxes_keeps_merged_cell_whole() -> None:
    boxes = rules_to_boxes(TABLE, tolerance=1.0)
    assert sorted((b.x0, b.top, b.x1, b.bottom) for b in boxes) == [
        (0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20), (20, 10, 30, 20),
    ]


def test_rules_to_boxes_drops_a_frame_around_the_table() -> None:
    frame = [h(-50, 80, -50), h(-50, 80, 70), v(-50, -50, 70), v(80, -50, 70)]
    boxes = rules_to_boxes(TABLE + frame, tolerance=1.0)
    assert len(boxes) == 5
    assert all(b.x0 >= 0 for b in boxes)


def test_place_boxes_gives_spans_on_the_distinct_coordinates() -> None:
    placed, xs, ys = place_boxes(rules_to_boxes(TABLE, 1.0), tolerance=1.0)
    assert xs == [0, 10, 20, 30] and ys == [0, 10, 20]
    spans = {(b.row, b.col): (b.row_span, b.col_span) for b in placed}
    assert spans == {(0, 0): (1, 1), (0, 1): (1, 2), (1, 0): (1, 1), (1, 1): (1, 1), (1, 2): (1, 1)}


def test_assign_glyphs_by_centre_and_returns_the_rest() -> None:
    placed, xs, ys = place_boxes(rules_to_boxes(TABLE, 1.0), 1.0)
    inside, outside = assign_glyphs(
        [g("部", 1, 1, 8), g("結", 22, 1, 6), g("外", 1, 30, 8)], placed, xs, ys
    )
    by_cell = {(b.row, b.col): "".join(x.text for x in gs) for b, gs in zip(placed, inside, strict=True)}
    assert by_cell[(0, 0)] == "部" and by_cell[(0, 1)] == "結"
    assert [x.text for x in outside] == ["外"]


def test_cluster_lines_orders_by_position_not_by_input_order() -> None:
    glyphs = [g("ら", 10, 20), g("か", 0, 20), g("に", 10, 0), g("い", 0, 0.8), g("は", 0, 40)]
    lines = cluster_lines(glyphs, tolerance=2.5)
    assert ["".join(x.text for x in line) for line in lines] == ["いに", "から", "は"]


def test_cluster_lines_keeps_a_smaller_font_on_the_same_line() -> None:
    lines = cluster_lines([g("注", 0, 0, 12), g("1", 12, 5, 6)], tolerance=2.5)
    assert len(lines) == 1


def test_line_text_spaces_only_between_distant_latin_chars() -> None:
    latin = [g("S", 0, 0, width=6), g("N", 6, 0, width=6), g("O", 20, 0, width=6)]
    assert line_text(latin) == "SN O"
    japanese = [g("部", 0, 0), g("長", 30, 0)]
    assert line_text(japanese) == "部長"


def test_line_text_drops_glyphs_drawn_twice_for_bold() -> None:
    assert line_text([g("部", 0, 0), g("部", 0.3, 0), g("長", 10, 0)]) == "部長"


def test_split_at_gaps_cuts_columns_and_trims_spaces() -> None:
    line = [g("a", 0, 0), g("b", 10, 0), g(" ", 20, 0), g("c", 60, 0)]
    parts = split_at_gaps(line, gap_em=2.0)
    assert [[x.text for x in p] for p in parts] == [["a", "b"], ["c"]]


def test_merge_row_axes_puts_free_lines_between_grid_rows() -> None:
    ys = [100, 120, 140, 200, 220]  # grid rows 0, 1 occupied; 2 is the gap between tables; 3 occupied
    free = [(10, 20), (150, 160), (125, 133), (400, 410)]  # title, label in the gap, text beside row 1, footer
    grid_row, free_row = merge_row_axes(ys, {0, 1, 3}, free)
    assert grid_row == {0: 1, 1: 2, 3: 4}
    assert free_row == [0, 3, 2, 5]


def test_column_of_clamps_to_the_grid() -> None:
    xs = [0, 10, 20, 30]
    assert [column_of(x, xs, 1.0) for x in (-40, 0, 9.5, 15, 50)] == [0, 0, 1, 1, 3]


def test_is_enclosed() -> None:
    assert is_enclosed(BBox(2, 2, 8, 8), TABLE)
    assert not is_enclosed(BBox(2, 30, 8, 38), TABLE)


def _filled(x0: float, top: float, x1: float, bottom: float) -> list[Rule]:
    """The four edges of a filled rectangle, as the reader takes them from pdfplumber."""
    return [h(x0, x1, top), h(x0, x1, bottom), v(x0, top, bottom), v(x1, top, bottom)]


def test_borders_drawn_as_thin_filled_rectangles_make_the_same_cells() -> None:
    """Chromium paints each collapsed border as a 0.75 pt filled rectangle, not a stroke."""
    w = 0.75
    rects = [(0, 0, 30, w), (0, 10, 30, 10 + w), (0, 20, 30, 20 + w),  # horizontal borders
             (0, 0, w, 20 + w), (10, 0, 10 + w, 20 + w), (30, 0, 30 + w, 20 + w), (20, 10, 20 + w, 20 + w)]
    rules = merge_rules([e for r in rects for e in _filled(*r)], snap_tolerance=3.0, min_length=6.0)
    boxes = rules_to_boxes(rules, tolerance=3.0)
    want = [(0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20), (20, 10, 30, 20)]
    got = sorted((b.x0, b.top, b.x1, b.bottom) for b in boxes)
    assert len(got) == len(want)
    assert all(abs(a - b) <= w for g_, w_ in zip(got, want) for a, b in zip(g_, w_))


def test_rules_to_cells_finds_the_smallest_cell_at_each_corner() -> None:
    assert rules_to_cells(TABLE, 1.0) == [
        (0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20), (20, 10, 30, 20),
    ]


def test_rules_to_cells_needs_one_rule_through_both_corners() -> None:
    # The left side is drawn in two pieces that stop 5 pt apart: no cell closes on it ...
    broken = [h(0, 30, 0), h(0, 30, 20), v(0, 0, 7.5), v(0, 12.5, 20), v(30, 0, 20)]
    assert rules_to_cells(broken, 1.0) == []
    # ... unless the gap is within the tolerance, where both pieces meet the same crossing.
    assert rules_to_cells([h(0, 30, 0), h(0, 30, 10), v(0, 0, 9.5), v(30, 0, 10)], 1.0) == [(0, 0, 30, 10)]


# pdfplumber's table finder is the reference the tuple versions must match bit for bit.


def _edge(rule: Rule) -> dict[str, object]:
    if rule.is_horizontal:
        y = (rule.top + rule.bottom) / 2
        return {"x0": rule.x0, "x1": rule.x1, "top": y, "bottom": y, "width": rule.x1 - rule.x0, "height": 0.0,
                "orientation": "h"}
    x = (rule.x0 + rule.x1) / 2
    return {"x0": x, "x1": x, "top": rule.top, "bottom": rule.bottom, "width": 0.0, "height": rule.bottom - rule.top,
            "orientation": "v"}


def _pdfplumber_merge(rules: list[Rule], snap: float, min_length: float) -> list[Rule]:
    if not rules:
        return []
    merged = merge_edges([_edge(r) for r in rules], snap, snap, snap, snap)
    rounded = [{k: round(v, 4) if isinstance(v, float) else v for k, v in e.items()} for e in merged]
    out = [Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))  # type: ignore[arg-type]
           for e in merge_edges(rounded, 0.0, 0.0, 0.0, 0.0)]
    return [r for r in out if max(r.x1 - r.x0, r.bottom - r.top) >= min_length]


def _pdfplumber_cells(rules: list[Rule], tolerance: float) -> list[tuple[float, ...]]:
    crossings = edges_to_intersections([_edge(r) for r in rules], tolerance, tolerance)
    return [tuple(map(float, b)) for b in intersections_to_cells(crossings)]


_GRID = st.sampled_from([0.0, 10.0, 20.0, 35.0, 50.0, 80.0])
_JITTER = st.sampled_from([0.0, 0.0, 0.3, -0.3, 1.0, -2.5, 4.0, 1e-9])
_POS = st.builds(lambda a, b: a + b, _GRID, _JITTER)
_WIDTH = st.sampled_from([0.0, 0.0, 0.75])
_H = st.builds(lambda y, a, b, w: Rule(min(a, b), y, max(a, b), y + w), _POS, _POS, _POS, _WIDTH)
_V = st.builds(lambda x, a, b, w: Rule(x, min(a, b), x + w, max(a, b)), _POS, _POS, _POS, _WIDTH)
_RULES = st.lists(st.one_of(_H, _V), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_RULES, st.sampled_from([0.0, 1.0, 3.0]))
def test_merge_rules_matches_pdfplumber_merge_edges(rules: list[Rule], snap: float) -> None:
    assert merge_rules(rules, snap, 6.0) == _pdfplumber_merge(rules, snap, 6.0)


@settings(max_examples=300, deadline=None)
@given(_RULES, st.sampled_from([0.5, 1.0, 3.0]), st.booleans())
def test_rules_to_cells_matches_pdfplumber_intersections_to_cells(
    rules: list[Rule], tolerance: float, merged: bool
) -> None:
    if merged:
        rules = merge_rules(rules, 3.0, 6.0)
    assert rules_to_cells(rules, tolerance) == _pdfplumber_cells(rules, tolerance)


def _line_of_text(text: str, x0: float, bottom: float, size: float = 9.0) -> list[Glyph]:
    return [Glyph(ch, x0 + i * size, bottom - size, x0 + (i + 1) * size, bottom, size) for i, ch in enumerate(text)]


def test_an_underline_inside_a_cell_is_no_rule_but_a_border_is() -> None:
    """A stroke along the bottom of a line of text, as long as the text and meeting no cell side,
    is an underline (it would cut the cell in two); the cell's own borders stay."""
    from plansheet.readers.pdf.grid import drop_underlines

    cell = [Rule(10, 10, 200, 10), Rule(10, 60, 200, 60), Rule(10, 10, 10, 60), Rule(200, 10, 200, 60)]
    text = _line_of_text("今年度は移行準備", 14, 30)  # 72 pt of text from x = 14
    underline = Rule(14, 30, 86, 30)
    assert drop_underlines(cell + [underline], text) == cell
    # a stroke running on past the text, or meeting a side, or under no text, is a rule
    for kept in (Rule(14, 30, 150, 30), Rule(10, 30, 86, 30), Rule(14, 45, 86, 45)):
        assert drop_underlines(cell + [kept], text) == cell + [kept]
    # an open table (no vertical strokes): its horizontal rules are all it has
    assert drop_underlines([underline], text) == [underline]
    # text and its underline a point from the cell's side (1-px padding): still an underline
    near_side = _line_of_text("今年度は移行準備", 11, 30)
    assert drop_underlines(cell + [Rule(11, 30, 83, 30)], near_side) == cell


def test_a_combining_mark_joins_the_character_it_is_drawn_over() -> None:
    """Marks drawn in a second pass, after every character (or shuffled), still join their kana."""
    from plansheet.readers.pdf.reader import _marks_joined

    kana = _line_of_text("すかた", 10, 30)
    marks = [Glyph("\u3099", g.x0, g.top, g.x1, g.bottom, g.size) for g in kana[1:]]  # か゛ た゛
    joined = _marks_joined(kana + marks)
    assert [g.text for g in joined] == ["す", "か\u3099", "た\u3099"]
    assert _marks_joined([kana[0], marks[0], kana[1]])[0].text == "す"  # drawn after す but over か


def test_an_open_table_inside_a_framed_page_keeps_its_rules() -> None:
    """A table ruled by horizontal strokes only, on a page with a frame: a rule under a row runs on
    past the row's text by the padding, so it is no underline (review of the underline rule)."""
    from plansheet.readers.pdf.grid import drop_underlines

    text = _line_of_text("指標名称", 40, 100) + _line_of_text("令和5年度実績値（見込）", 120, 100)
    rules = [Rule(38, 88, 330, 88), Rule(38, 102, 330, 102)]
    frame = [Rule(20, 20, 20, 800), Rule(575, 20, 575, 800)]
    assert drop_underlines(rules + frame, text) == rules + frame
