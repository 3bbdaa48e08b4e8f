"""Image preparation of the OCR reader on synthetic images with known answers."""
from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from plansheet.readers.ocr import image as im  # noqa: E402


def grid_image(xs: list[int], ys: list[int], size: tuple[int, int] = (600, 900), skip_v: tuple | None = None) -> np.ndarray:
    """White page with black ruling lines at ``xs``/``ys``; ``skip_v=(x, y0, y1)`` leaves a gap."""
    img = np.full(size, 255, np.uint8)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 3)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 3)
    if skip_v:
        x, y0, y1 = skip_v
        img[y0 + 3 : y1 - 2, x - 3 : x + 4] = 255
    return img


def rotated(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), borderValue=255)


@pytest.mark.parametrize("angle", [0.7, -1.2, 0.3, 0.0])
def test_estimate_skew_finds_the_angle_of_the_ruling_lines(angle: float) -> None:
    img = rotated(grid_image([50, 300, 850], [100, 200, 300, 400]), angle)
    assert im.estimate_skew(im.binarize(img), 300) == pytest.approx(angle, abs=0.05)


def test_rotate_undoes_the_skew() -> None:
    img = rotated(grid_image([50, 300, 850], [100, 200, 300, 400]), 1.0)
    straight = im.rotate(img, -im.estimate_skew(im.binarize(img), 300))
    assert abs(im.estimate_skew(im.binarize(straight), 300)) < 0.05


def test_estimate_skew_is_zero_without_lines() -> None:
    assert im.estimate_skew(np.zeros((200, 200), np.uint8), 100) == 0.0


def test_rule_masks_keep_lines_and_drop_text_like_strokes() -> None:
    img = grid_image([50, 450], [100, 300])
    cv2.rectangle(img, (200, 180), (230, 190), 0, -1)  # a short stroke: not a rule
    h, v = im.rule_masks(im.binarize(img), 80, 80)
    hs = im.segments(h, True, 50, 4, 5)
    vs = im.segments(v, False, 50, 4, 5)
    assert [round(s.pos) for s in hs] == [100, 300]
    assert [round(s.pos) for s in vs] == [50, 450]
    assert hs[0].start <= 50 and hs[0].end >= 450


def test_segments_join_a_broken_line() -> None:
    mask = np.zeros((50, 400), np.uint8)
    mask[20:23, 10:200] = 255
    mask[20:23, 204:390] = 255
    (seg,) = im.segments(mask, True, 100, 3, 6)
    assert (seg.start, seg.end) == (10, 390)


def test_grid_cells_finds_cells_and_a_merged_cell() -> None:
    xs, ys = [50, 250, 450, 650], [100, 200, 300]
    img = grid_image(xs, ys, skip_v=(250, 100, 200))  # no ruling between the first two cells of row 0
    ink = im.binarize(img)
    h, v = im.rule_masks(ink, 60, 60)
    boxes = im.grid_cells(im.segments(h, True, 40, 4, 5), im.segments(v, False, 40, 4, 5), 4)
    spans = sorted((b.top // 10, b.x0 // 10, b.x1 // 10) for b in boxes)
    assert len(boxes) == 5
    assert (10, 5, 45) in spans  # the merged cell spans x 50..450
    assert (20, 5, 25) in spans and (20, 25, 45) in spans and (20, 45, 65) in spans


def test_erase_paints_lines_white() -> None:
    img = grid_image([50, 450], [100, 300])
    h, v = im.rule_masks(im.binarize(img), 80, 80)
    clean = im.erase(img, h | v, 1)
    assert clean.min() == 255


def test_the_page_steps_on_the_part_holding_ink_give_what_they_give_on_the_whole_page() -> None:
    # a skewed ruled sheet with text-like strokes and a speck, on a page with wide blank margins
    img = np.full((900, 1200), 255, np.uint8)
    img[150:550, 200:1000] = grid_image([10, 300, 790], [20, 150, 390], (400, 800))
    cv2.rectangle(img, (420, 240), (470, 262), 0, -1)
    img[700, 1100] = 0
    img = rotated(img, 1.3)
    ink = im.binarize(img)
    assert im.estimate_skew(ink, 300) == pytest.approx(1.3, abs=0.05)
    area = im.content_box(ink, 82)
    assert area is not None and area.width * area.height < 0.9 * ink.size
    origin = (area.x0, area.top)
    h, v = im.rule_masks(ink, 80, 80)
    part_h, part_v = im.rule_masks(ink[area.top : area.bottom, area.x0 : area.x1], 80, 80)
    assert im.segments(part_h, True, 50, 4, 5, origin) == im.segments(h, True, 50, 4, 5)
    assert im.segments(part_v, False, 50, 4, 5, origin) == im.segments(v, False, 50, 4, 5)
    assert np.array_equal(im.erase(img, part_h | part_v, 1, origin), im.erase(img, h | v, 1))
    assert im.content_box(np.zeros((20, 20), np.uint8), 5) is None


def test_line_bands_keeps_a_split_character_whole_and_separates_lines() -> None:
    ink = np.zeros((120, 50), np.uint8)
    ink[10:22, 5:40] = 255  # upper part of one character (監)
    ink[25:32, 5:40] = 255  # its lower part, after a small gap
    ink[60:90, 5:40] = 255  # the next line
    assert im.line_bands(ink, 3) == [(10, 32), (60, 90)]


def test_ink_gaps_ignores_the_margins() -> None:
    ink = np.zeros((10, 100), np.uint8)
    ink[:, 10:20] = 255
    ink[:, 30:40] = 255
    ink[:, 42:50] = 255
    assert im.ink_gaps(ink, 5) == [(20, 30)]


def test_text_lines_groups_characters_into_lines() -> None:
    ink = np.zeros((200, 400), np.uint8)
    for x in range(20, 200, 30):  # one line of "characters"
        ink[20:40, x : x + 22] = 255
    ink[100:120, 50:72] = 255  # a second, short line
    ink[150, 300] = 255  # a speck
    boxes = im.text_lines(ink, 20, 30)
    assert [(b.top, b.x0) for b in boxes] == [(20, 20), (100, 50)]


def test_to_gray_accepts_rgb_and_bool() -> None:
    rgb = np.zeros((4, 5, 3), np.uint8)
    assert im.to_gray(rgb).shape == (4, 5)
    assert im.to_gray(np.ones((2, 2), bool)).max() == 255


def test_the_skew_fit_is_the_least_squares_slope() -> None:
    xs = np.array([0.0, 10.0, 20.0, 30.0, 40.0])
    assert im._slope(xs, 0.02 * xs + 5) == pytest.approx(0.02)
    assert im._slope(xs, np.array([0.0, 1.0, 0.0, 1.0, 0.0])) == pytest.approx(0.0)  # a level stroke, ragged


def test_missing_opencv_says_how_to_reinstall(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from plansheet.errors import OcrUnavailableError

    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(OcrUnavailableError, match=r"opencv-python-headless.*pip install --force-reinstall plansheet"):
        im.cv2_module()


def test_side_by_side_aligns_bottoms_and_fills_the_gap() -> None:
    a = np.zeros((6, 4), np.uint8)
    b = np.full((3, 2), 7, np.uint8)
    strip = im.side_by_side([a, b], 2, 200)
    assert strip.shape == (6, 8)
    assert (strip[:, 4:6] == 200).all()  # the gap
    assert (strip[:3, 6:] == 200).all() and (strip[3:, 6:] == 7).all()  # b sits on the bottom


def test_rule_debris_finds_rule_leftovers_and_keeps_glyphs_touching_the_rule() -> None:
    ink = np.zeros((60, 200), np.uint8)
    ink[20:40, 0:12] = 255  # a glyph touching the left rule: reaches past the margin
    ink[1:3, 50:60] = 255  # a frayed bit of the top rule, wholly in the margin
    ink[30:32, 80:160] = 255  # a stray piece of rule: thin and longer than any glyph stroke
    ink[25:45, 170:174] = 255  # a vertical glyph stroke: thin but short
    debris = im.rule_debris(ink, 4, 3, 40)
    assert debris is not None
    assert (debris[1:3, 50:60] == 255).all() and (debris[30:32, 80:160] == 255).all()
    assert not debris[20:40, 0:12].any() and not debris[25:45, 170:174].any()
    assert im.rule_debris(ink[15:50, 0:20], 4, 3, 40) is None


def test_blobs_and_remove_specks_see_a_blob_inside_a_hole() -> None:
    ink = np.zeros((40, 40), np.uint8)
    cv2.rectangle(ink, (5, 5), (34, 34), 255, 2)  # a frame
    ink[18:20, 18:20] = 255  # a speck inside it
    ink[10:16, 20:30] = 255  # a blob inside it
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)  # the labelling it replaces
    assert n == 4
    assert sorted(box for box, _ in im.blobs(ink)) == sorted(tuple(int(v) for v in stats[i, :4]) for i in range(1, n))
    clean = im.remove_specks(ink, 5)
    assert not clean[18:20, 18:20].any() and clean[10:16, 20:30].all() and clean[5, 5:35].all()


def test_erase_changes_only_the_masked_pixels_grown_by_pad() -> None:
    gray = np.full((20, 30), 90, np.uint8)
    gray[15:, 25:] = 10
    mask = np.zeros_like(gray)
    mask[5, 10] = 1  # any non-zero value marks a pixel
    clean = im.erase(gray, mask, 1)
    assert (clean[4:7, 9:12] == 255).all()
    painted = np.zeros(gray.shape, bool)
    painted[4:7, 9:12] = True
    assert (clean[~painted] == gray[~painted]).all()


def test_remove_specks_keeps_a_thin_long_stroke_and_drops_a_dot() -> None:
    ink = np.zeros((40, 60), np.uint8)
    ink[5, 10:40] = 255  # a 1-px hairline 30 px long: 30 pixels, a stroke
    ink[20:22, 20:22] = 255  # a 2x2 dot: 4 pixels, a speck
    ink[30:33, 40:43] = 255  # a 3x3 blob: 9 pixels, kept
    clean = im.remove_specks(ink, 9)
    assert clean[5, 10:40].all() and not clean[20:22, 20:22].any() and clean[30:33, 40:43].all()


def test_ink_bbox_counts_ink_per_row_and_column() -> None:
    ink = np.zeros((10, 20), np.uint8)
    ink[2, 3] = 255
    ink[6:8, 5:15] = 255
    assert im.ink_bbox(ink) == im.PxBox(3, 2, 15, 8)
    assert im.ink_bbox(ink, min_px=2) == im.PxBox(5, 6, 15, 8)  # the lone dot's row and column hold one pixel
    assert im.ink_bbox(np.zeros((0, 5), np.uint8)) is None
