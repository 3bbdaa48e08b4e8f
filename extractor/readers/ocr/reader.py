"""The OCR reader: a scanned page image in, a :class:`~plansheet.core.model.Page` of cells out.

Steps (each a pure function of :mod:`plansheet.readers.ocr.image`, in pixels):

1. the page image: the embedded scan itself when the page is one axis-aligned image
   (no re-sampling), else a pypdfium2 rendering at ``settings.ocr.dpi``; grey;
2. deskew by the angle of the long horizontal ruling lines;
3. ruling lines by morphological opening, the cell grid from their crossings (a merged
   cell is a box that spans grid points where a ruling is absent);
4. the ruling lines are painted white; each cell's text lines are found by projection
   and read one by one (PSM 7; PSM 6 per cell when ``line_by_line`` is off), upscaled
   when small, with a white border; a wrapped line's short tail (``た。``) is laid beside
   its line and read with it (:func:`with_tails`);
   a fixed label printed again in the same document (具体的取組 on every goal sheet) is
   given its first reading when its ink repeats that one's (:mod:`plansheet.readers.ocr.repeats`);
5. text outside the grid (titles, 【基本方針】-style labels) is read as single lines and
   becomes cells too.

Grid positions are per page: ``row`` counts the distinct cell tops on the page (grid
cells and outside lines alike, top to bottom), ``col`` the distinct left edges of grid
cells; spans count the boundaries a cell covers. Boxes are PDF points with the origin at
the top-left corner of the page, so they line up with a text-layer reader's boxes.
Tesseract's spaces between Japanese characters are dropped (a gap wider than about half
a character is kept as one space, as in 市川 信行); wrapped lines are joined with
:func:`plansheet.core.text.join_lines`.
"""
from __future__ import annotations

import bisect
import logging
import math
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import regex

from plansheet.readers.ocr import image as im
from plansheet.errors import ErrorStage, PlansheetError
from plansheet.core.geometry import snap_index
from plansheet.core.kanji import JOYO_KANJI
from plansheet.core.lexicon import in_word, suspect_runs, tokens as lexicon_tokens
from plansheet.core.model import DOUBT_FLOOR, BBox, Cell, DoubtedGlyph, ExtractionMethod, Page, Rule, Word
from plansheet.readers.ocr.engine import OcrEngine, OcrResult, OcrWord, open_engine
from plansheet.readers.ocr.heap import keep_page_buffers
from plansheet.readers.ocr.number_look import (
    NUMBER_CONTEXT, NUMBER_LOOK_SCALE, doubts_rate_number, glyph_range, glyphs_for, number_edit, rate_numbers,
)
from plansheet.readers.ocr.repeats import LabelMemo, LineInk
from plansheet.core.text import clean_text, join_lines
from plansheet.settings import Binarize, OcrSettings, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PxToPt:
    """Pixel → PDF point mapping of a page image (top-left origin on both sides)."""

    scale_x: float
    scale_y: float
    off_x: float = 0.0
    off_y: float = 0.0

    @property
    def dpi(self) -> float:
        return 72.0 / self.scale_x

    def bbox(self, box: im.PxBox) -> BBox:
        return BBox(
            round(self.off_x + box.x0 * self.scale_x, 2),
            round(self.off_y + box.top * self.scale_y, 2),
            round(self.off_x + box.x1 * self.scale_x, 2),
            round(self.off_y + box.bottom * self.scale_y, 2),
        )


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Lengths in pixels for one page image, derived from its resolution."""

    px_per_pt: float

    def px(self, points: float) -> int:
        return max(1, round(points * self.px_per_pt))


def ocr_pdf_page(pdf_path: Path, page_number: int, settings: Settings, memo: LabelMemo | None = None) -> Page:
    """OCR page ``page_number`` (1-based) of a PDF into cells.

    ``memo``: the document's label lines read so far (:mod:`plansheet.readers.ocr.repeats`), shared by
    its pages; a label printed again is taken from it instead of read again.
    """
    keep_page_buffers()  # a page's dozen page-sized arrays reuse the last page's memory (heap.py)
    gray, to_pt, width, height = load_page_image(Path(pdf_path), page_number, settings.ocr.dpi, settings.password,
                                                 settings.ocr.max_render_pixels)
    return _read(gray, page_number, to_pt, width, height, settings.ocr, memo)


def ocr_image(image: Any, page_number: int, settings: Settings) -> Page:
    """OCR one page image (numpy array or PIL image, taken to be at ``settings.ocr.dpi``)."""
    keep_page_buffers()
    gray = im.to_gray(np.asarray(image))
    scale = 72.0 / settings.ocr.dpi
    to_pt = PxToPt(scale, scale)
    return _read(gray, page_number, to_pt, gray.shape[1] * scale, gray.shape[0] * scale, settings.ocr)


def render_scale(width_pt: float, height_pt: float, dpi: float, max_pixels: float | None) -> float:
    """Pixels per point for rendering a page at ``dpi``, lowered so the image has at most ``max_pixels``."""
    scale = dpi / 72.0
    if max_pixels and width_pt * height_pt * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (width_pt * height_pt))
    return scale


def load_page_image(pdf_path: Path, page_number: int, dpi: int, password: str | None = None,
                    max_pixels: float | None = None) -> tuple[np.ndarray, PxToPt, float, float]:
    """The page as a grey image, its pixel → point mapping, and the page size in points.

    ``password`` opens an encrypted PDF (the run's ``--password``). A page too large for
    ``dpi`` within ``max_pixels`` is rendered at the resolution that fits (:func:`render_scale`).
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    except pdfium.PdfiumError as exc:
        raise PlansheetError(f"{pdf_path}: cannot open for OCR ({exc})", ErrorStage.OCR) from exc
    try:
        if not 1 <= page_number <= len(pdf):
            raise PlansheetError(f"{pdf_path}: no page {page_number} (it has {len(pdf)})", ErrorStage.OCR)
        page = pdf[page_number - 1]
        width, height = page.get_size()
        embedded = _embedded_scan(page, width, height, dpi)
        if embedded is not None:
            return embedded[0], embedded[1], width, height
        scale = render_scale(width, height, dpi, max_pixels)
        bitmap = page.render(scale=scale, grayscale=True)
        gray = im.to_gray(bitmap.to_numpy())
        return gray, PxToPt(1 / scale, 1 / scale), width, height
    finally:
        pdf.close()


def _embedded_scan(page: Any, width: float, height: float, dpi: int) -> tuple[np.ndarray, PxToPt] | None:
    """The page's single full-page image at its own resolution, or ``None`` if it is not one.

    Only an unrotated page holding exactly one axis-aligned image that covers most of it
    qualifies; its pixels are taken as stored, unless it is far sharper than ``dpi``.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() % 360:
        return None
    objects = list(page.get_objects(max_depth=2))
    images = [o for o in objects if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    if len(images) != 1 or any(o.type == pdfium_c.FPDF_PAGEOBJ_TEXT for o in objects):
        return None
    obj = images[0]
    a, b, c, d, e, f = obj.get_matrix().get()
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0 or a * d < 0.9 * width * height:
        return None
    try:
        bitmap = obj.get_bitmap(render=False)
        gray = im.to_gray(bitmap.to_numpy())
    except (pdfium.PdfiumError, ValueError) as exc:
        log.debug("embedded image not usable (%s); rendering instead", exc)
        return None
    h_px, w_px = gray.shape
    native_dpi = w_px / (a / 72.0)
    if native_dpi > 1.5 * dpi:
        cv2 = im.cv2_module()
        factor = dpi / native_dpi
        gray = cv2.resize(gray, (round(w_px * factor), round(h_px * factor)), interpolation=cv2.INTER_AREA)
        h_px, w_px = gray.shape
    left, bottom, _right, top = page.get_cropbox()
    return gray, PxToPt(a / w_px, d / h_px, e - left, top - (f + d))


def _read(gray: np.ndarray, page_number: int, to_pt: PxToPt, width: float, height: float, settings: OcrSettings,
          memo: LabelMemo | None = None) -> Page:
    geo = _Geometry(1.0 / to_pt.scale_x)
    gray, (threshold, ink) = _deskew(gray, geo, settings)
    h_len, v_len = geo.px(settings.rule_min_width_pt), geo.px(settings.rule_min_height_pt)
    # the page-wide steps below look at most a kernel's length around the ink: only that part is worked on
    area = im.content_box(ink, max(h_len, v_len, geo.px(OUTSIDE_CHAR_PT)) + 2) or im.PxBox(0, 0, *ink.shape[::-1])
    origin = (area.x0, area.top)
    h_mask, v_mask = im.rule_masks(ink[area.top : area.bottom, area.x0 : area.x1], h_len, v_len)
    tol = geo.px(2.5)
    hs = im.segments(h_mask, True, geo.px(12), tol, geo.px(1.5), origin)
    vs = im.segments(v_mask, False, geo.px(12), tol, geo.px(1.5), origin)
    boxes = im.grid_cells(hs, vs, tol)
    erase_mask = _grid_lines(im.cv2_module().bitwise_or(h_mask, v_mask), boxes, tol, origin)
    clean = im.erase(gray, erase_mask, geo.px(0.5), origin) if settings.erase_lines else gray
    engine = open_engine(settings)
    reader = _CellReader(engine, clean, threshold, geo, settings, round(to_pt.dpi), memo, area)

    found: list[tuple[im.PxBox, str, tuple[OcrWord, ...], bool]] = []
    broken: dict[int, CellLines] = {}  # index in found → the cell's lines, where it read two or more
    for box in boxes:
        text, glyphs, lines = reader.read_cell_lines(box)
        if lines is not None:
            broken[len(found)] = lines
        found.append((box, text, glyphs, True))
    for box in _outside_lines(reader.ink, boxes, geo, area):
        text, glyphs = reader.read_line(box)
        if text:
            found.append((box, text, glyphs, False))
    cells = _place(found, page_number, to_pt, tol, broken)
    rules = tuple(_rule(s, True, to_pt) for s in hs) + tuple(_rule(s, False, to_pt) for s in vs)
    words = tuple(Word(c.text, c.bbox) for c in cells if c.text and c.bbox is not None)
    return Page(page_number, cells, ExtractionMethod.OCR, width, height, words, rules)


def _deskew(gray: np.ndarray, geo: _Geometry, settings: OcrSettings) -> tuple[np.ndarray, tuple[int, np.ndarray]]:
    """The page turned straight, with its Otsu threshold and ink mask (:func:`~plansheet.readers.ocr.image.otsu`)."""
    found = im.otsu(gray)
    angle = im.estimate_skew(found[1], geo.px(settings.skew_min_line_pt), settings.max_skew_deg)
    log.debug("skew %.2f°", angle)
    straight = im.rotate(gray, -angle) if angle else gray
    return straight, found if straight is gray else im.otsu(straight)


def _grid_lines(lines: np.ndarray, boxes: list[im.PxBox], tol: float, origin: tuple[int, int] = (0, 0)) -> np.ndarray:
    """The ruling-line pixels that border a cell (not a stray long stroke of a big title); ``lines`` is a
    mask of the part of the page whose top-left corner is page pixel ``origin``, and so is the answer."""
    cv2 = im.cv2_module()
    border = np.zeros_like(lines)
    width = max(int(2 * tol), 1)
    x, y = origin
    for b in boxes:
        cv2.rectangle(border, (b.x0 - x, b.top - y), (b.x1 - x, b.bottom - y), 255, width)
    return cv2.bitwise_and(lines, border)


# text outside the grid is found with the ink smeared about this far (points) along its line
OUTSIDE_CHAR_PT = 7


def _outside_lines(page_ink: np.ndarray, boxes: list[im.PxBox], geo: _Geometry,
                   area: im.PxBox | None = None) -> list[im.PxBox]:
    """Text lines in the parts of the page that no cell covers (``page_ink``: the page's ink mask, all of its
    ink inside ``area`` with a margin of the smearing's reach, when given), in page pixels."""
    area = area or im.PxBox(0, 0, page_ink.shape[1], page_ink.shape[0])
    ink = page_ink[area.top : area.bottom, area.x0 : area.x1].copy()
    pad = geo.px(1.5)
    for b in boxes:
        ink[max(b.top - pad - area.top, 0) : max(b.bottom + pad - area.top, 0),
            max(b.x0 - pad - area.x0, 0) : max(b.x1 + pad - area.x0, 0)] = 0
    return [_shift(b, area.x0, area.top) for b in im.text_lines(ink, geo.px(OUTSIDE_CHAR_PT), geo.px(1.5) ** 2 * 4)]


class _CellReader:
    """Reads cells and lines of one deskewed, line-erased page image.

    The ink mask (dark pixels without specks) is made once for the page; cells and lines
    are read from slices of it and of the grey image.
    """

    def __init__(self, engine: OcrEngine, clean: np.ndarray, threshold: int, geo: _Geometry,
                 settings: OcrSettings, dpi: int, memo: LabelMemo | None = None, area: im.PxBox | None = None) -> None:
        """``area``: where the page's ink (its grey at or below ``threshold``) lies, when known."""
        self.engine = engine
        self.memo = memo
        self.threshold = threshold
        self.clean = clean
        cv2 = im.cv2_module()
        area = area or im.PxBox(0, 0, clean.shape[1], clean.shape[0])
        part = (slice(area.top, area.bottom), slice(area.x0, area.x1))
        # 255 where clean <= threshold: only inside the area (erasing makes pixels lighter, never darker)
        _, dark = cv2.threshold(clean[part], threshold, 255, cv2.THRESH_BINARY_INV)
        self.ink = np.zeros_like(clean)
        self.ink[part] = im.remove_specks(dark, geo.px(0.6) ** 2)
        self.geo = geo
        self.settings = settings
        self.dpi = dpi

    def read_cell(self, box: im.PxBox) -> tuple[str, tuple[OcrWord, ...]]:
        """The text of one grid cell (page pixels, rules at its sides) and the glyphs read in it
        (:meth:`read_cell_lines`)."""
        text, words, _ = self.read_cell_lines(box)
        return text, words

    def read_cell_lines(self, box: im.PxBox) -> tuple[str, tuple[OcrWord, ...], CellLines | None]:
        """The text of one grid cell (page pixels, rules at its sides), the glyphs read in it, and its lines
        where it holds two or more (a wrapped line and its short tail are one).

        The cell is cropped just inside its (erased) ruling lines. Leftovers of the rules
        (:func:`~plansheet.readers.ocr.image.rule_debris`) are painted out of the page first.
        Text lines are looked for a little further in, past where debris could stand; a line's
        extent then takes in all of its ink, so a glyph touching the rule keeps its strokes.
        """
        erased = self.settings.erase_lines
        edge = self.geo.px(EDGE_PT) if erased else self.geo.px(2.5)
        inset = max(self.geo.px(DEBRIS_PT), edge) if erased else edge
        top, bottom, x0, x1 = box.top + edge, box.bottom - edge, box.x0 + edge, box.x1 - edge
        margin = inset - edge
        if min(bottom - top, x1 - x0) - 2 * margin < self.settings.min_cell_px:
            return "", (), None
        ink = self.ink[top:bottom, x0:x1]  # views: clearing debris here clears it on the page
        debris = im.rule_debris(ink, margin, self.geo.px(1.5), self.geo.px(16))
        if debris is not None:
            ink[debris > 0] = 0
            self.clean[top:bottom, x0:x1][debris > 0] = 255
        bands = im.line_bands(ink[margin : ink.shape[0] - margin, margin : ink.shape[1] - margin], self.geo.px(2.5))
        if not bands:
            return "", (), None
        if not self.settings.line_by_line:
            area = im.ink_bbox(ink)
            assert area is not None
            _, prepared, _ = self._prepare([_shift(area, x0, top)], self.settings)
            return *_text_of(self.engine.recognize(prepared, self.settings.psm_block, self.dpi)), None
        rows = [(margin + a, margin + b) for a, b in bands]
        rows[0] = (0, rows[0][1])  # the first and last lines may reach towards the rules
        rows[-1] = (rows[-1][0], ink.shape[0])
        areas = []
        for r0, r1 in rows:
            area = im.ink_bbox(ink[r0:r1])
            if area is not None:
                areas.append(im.PxBox(x0 + area.x0, top + r0 + area.top, x0 + area.x1, top + r0 + area.bottom))
        x1 -= margin
        lines: list[str] = []
        words: list[OcrWord] = []
        groups = with_tails(areas, x1, self.settings.tail_max_width)
        ends: list[bool] = []  # per line read, whether it runs to the cell's right side (where a text wraps)
        for group in groups:
            text, found = self._read_line(group, alone=len(groups) == 1 and len(group) == 1)
            if text:
                lines.append(text)
                ends.append(x1 - group[-1].x1 <= 2 * group[-1].height)
            words.extend(found)
        broken = CellLines(tuple(lines), tuple(ends[:-1])) if len(lines) > 1 else None
        return join_lines(lines) or "", tuple(words), broken

    def read_line(self, box: im.PxBox) -> tuple[str, tuple[OcrWord, ...]]:
        """The text of one line outside the grid and the glyphs read in it."""
        return self._read_line([box], alone=True)

    def _crop(self, area: im.PxBox) -> tuple[np.ndarray, np.ndarray]:
        """The ink mask and the grey image around ``area``, with a small margin."""
        margin = self.geo.px(1)
        rows = slice(max(area.top - margin, 0), area.bottom + margin)
        cols = slice(max(area.x0 - margin, 0), area.x1 + margin)
        return self.ink[rows, cols], self.clean[rows, cols]

    def _prepare(self, areas: list[im.PxBox], settings: OcrSettings,
                 alone: bool = False) -> tuple[np.ndarray, np.ndarray, float]:
        """The ink mask of ``areas`` laid side by side as one line, the image sent to the engine, the scale
        (``alone``: the line is all its cell holds, see :func:`_prepare`)."""
        crops = [self._crop(a) for a in areas]
        if len(crops) == 1:
            ink, gray = crops[0]
        else:
            gap = max(1, round(TAIL_GAP * max(a.height for a in areas)))
            ink = im.side_by_side([c[0] for c in crops], gap, 0)
            gray = im.side_by_side([c[1] for c in crops], gap, int(np.median(crops[0][1])))
        return ink, *_prepare(gray, settings, alone)

    def _line_ink(self, areas: list[im.PxBox]) -> LineInk | None:
        """A single-area line's ink for the label memo (views of the page: the memo copies what it keeps)."""
        if self.memo is None or len(areas) != 1:
            return None
        ink, gray = self._crop(areas[0])
        box = im.ink_bbox(ink)
        if box is None:
            return None
        return LineInk(ink[box.top : box.bottom, box.x0 : box.x1], gray, self.threshold, self.dpi)

    def _read_line(self, areas: list[im.PxBox], alone: bool = False) -> tuple[str, tuple[OcrWord, ...]]:
        """One text line (page pixels; a wrapped line and its short tail are two ``areas`` read as one):
        recognised as a line, spaces put back where the ink has a real gap; a label the document printed
        before is given that one's reading (:class:`LabelMemo`), not prepared or read at all. ``alone``:
        the line is all its cell holds (a label, a name; a line outside the grid), not part of a wrapped text."""
        line = self._line_ink(areas)
        if line is not None and (known := self.memo.recall(line)) is not None:
            return known
        ink, prepared, _ = self._prepare(areas, self.settings, alone)
        ink_box = im.ink_bbox(ink)
        height = ink_box.height if ink_box else ink.shape[0]
        gaps = im.ink_gaps(ink, max(2, round(0.2 * height)))
        span = (ink_box.x0, ink_box.x1) if ink_box else (0, ink.shape[1])
        result = self.engine.recognize(prepared, self.settings.psm_line, self.dpi)
        text = _line_text([fix_digits(w.text) for w in result.words], gaps, span, height, self.settings.space_gap)
        lone = ink_box is not None and ink_box.width < self.settings.lone_glyph_width * ink_box.height
        if (not text or lone and _doubtful_lone(text)) and self.settings.binarize is Binarize.NONE:
            # second look: nothing read, or a lone glyph (goal number, grade) read as something else
            # (a kana, 唇 for 3, = for B): try it black and white, keep it if it reads as a lone glyph should
            _, binary, _ = self._prepare(areas, replace(self.settings, binarize=Binarize.OTSU), alone)
            again = self.engine.recognize(binary, self.settings.psm_line, self.dpi)
            retry = "".join(fix_digits(w.text) for w in again.words)
            if retry and (not text or not _doubtful_lone(retry)):
                text, result = retry, again
        if not text and ink_box is not None and ink_box.width >= WORD_WIDTH * ink_box.height:
            # third look: a short word the engine read nothing of, grey or black and white, reads with a wider
            # white border (道路課 alone in a section cell, 68 px high with its 10-px border, two hard scans:
            # nothing with 10 px more on one, 道路課 with 15 to 68 px more on both; half the height is taken)
            pad = prepared.shape[0] // 2
            wider = im.cv2_module().copyMakeBorder(prepared, pad, pad, pad, pad, im.cv2_module().BORDER_CONSTANT,
                                                   value=255)
            again = self.engine.recognize(wider, self.settings.psm_line, self.dpi)
            retry = "".join(fix_digits(w.text) for w in again.words)
            if len(retry) >= 2 and regex.fullmatch(r"\p{L}+", retry):
                text, result = retry, again
        if text and self.settings.binarize is Binarize.NONE and doubted_unknown_word(text, result.words):
            text, result = self._dictionary_look(areas, alone, prepared, text, result)
        if text and self.settings.binarize is Binarize.NONE and doubts_rate_number(text):
            text, result = self._number_look(areas, alone, prepared, text, result)
        narrow = ink_box is not None and ink_box.width < self.settings.narrow_one_width * ink_box.height
        if text in _LONE_ONE and narrow:
            text = "1"  # the jpn model reads a lone narrow 1 as ] or |
        text = fix_brackets(text)
        if line is not None:
            self.memo.note(line, text, result.words)
        return text, result.words


    def _dictionary_look(self, areas: list[im.PxBox], alone: bool, prepared: np.ndarray, text: str,
                         result: OcrResult) -> tuple[str, OcrResult]:
        """Fourth look: a line holding a kanji word no dictionary knows (:func:`~plansheet.core.lexicon.unknown_words`:
        ``人権優害``, ``患影響``, ``屑示``, look-alikes the engine was sure of) is read again at a smaller scale, then
        (where that reading is not kept) at a larger one and black and white (:data:`DICTIONARY_LOOK_SCALES`); the
        first new reading that differs only in kanji of those words and holds fewer of them is kept (hard scans
        16001–16048: 人権侵害, 悪影響, 展示, 設置, 協議会 read right at 0.8 of the scale; 17010 and 17026: 祷助 read
        補助 at 1.25, where 0.8 also read 一 as ー; 17046: 支攫 read 支援 black and white). Only the stretch of the
        line from :data:`DICTIONARY_CONTEXT` glyphs before its first unknown word to as many after its last is read
        again (:func:`unknown_stretch`): the rest of a long sentence was read and is kept as it was."""
        cv2 = im.cv2_module()
        shown = [fix_digits(w.text) for w in result.words]
        stretch = unknown_stretch(text, shown)
        cut = None
        if stretch is not None:
            first, last = stretch
            pad = prepared.shape[0] // 4
            x0, x1 = max(0, result.words[first].x0 - pad), min(prepared.shape[1], result.words[last - 1].x1 + pad)
            if x1 - x0 <= STRETCH_SHARE * prepared.shape[1]:  # else the whole line: a short one is read in full
                cut = (x0, x1, pad, len("".join(shown[:first])), len("".join(shown[:last])))
        for scale in (*DICTIONARY_LOOK_SCALES, None):
            if scale is None:
                _, image, _ = self._prepare(areas, replace(self.settings, binarize=Binarize.OTSU), alone)
            else:
                image = prepared
            if cut is not None:
                image = cv2.copyMakeBorder(image[:, cut[0] : cut[1]], 0, 0, cut[2], cut[2], cv2.BORDER_CONSTANT,
                                           value=255)
            if scale is not None:
                image = cv2.resize(image, None, fx=scale, fy=scale,
                                   interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
            again = self.engine.recognize(np.ascontiguousarray(image), self.settings.psm_line, self.dpi)
            retry = "".join(fix_digits(w.text) for w in again.words)
            if cut is None:
                new = kanji_from_retry(text, retry)
            else:
                new = kanji_from_stretch(text, "".join(shown), cut[3], cut[4], retry)
            if new is not None:
                break
        else:
            return text, result
        # only the kanji are taken, each as one glyph of the first reading's; the dictionary chose them, the engine
        # did not: they are scored CHOSEN_GLYPH_CONFIDENCE at most, so a field they change is still named (a name's
        # 髙 read again as 高 is a dictionary word, and wrong; 子宮頸 read 子宮顔, 顔 a suffix)
        edits = [(k, k + 1, b) for k, (a, b) in enumerate(zip(text, new)) if a != b]
        glyphs = glyphs_for(text, edits, result.words, shown)
        return (new, OcrResult(glyphs)) if glyphs is not None else (text, result)


    def _number_look(self, areas: list[im.PxBox], alone: bool, prepared: np.ndarray, text: str,
                     result: OcrResult) -> tuple[str, OcrResult]:
        """Fifth look: a rate read bare (``達成率は20でした``), without its digits, in pieces or below the bound its
        sentence says it reached is read again, the stretch of the line around it only, upscaled (and black and
        white where one reading may not decide), and given only what the grammar asks for
        (:mod:`~plansheet.readers.ocr.number_look`)."""
        cv2 = im.cv2_module()
        shown = [fix_digits(w.text) for w in result.words]
        binary: np.ndarray | None = None
        edits = []
        for n in rate_numbers(text):
            if not n.doubted:
                continue
            stretch = glyph_range(text, max(0, n.start - NUMBER_CONTEXT), n.end + NUMBER_CONTEXT, shown)
            if stretch is None:
                continue
            first, last = result.words[stretch[0]], result.words[stretch[1] - 1]
            pad = prepared.shape[0] // 4
            x0, x1 = max(0, first.x0 - pad), min(prepared.shape[1], last.x1 + pad)
            pieces: list[str] = []
            for look in range(2 if n.needs_two else 1):
                if look:
                    if number_edit(text, n, pieces * 2) is None:
                        break  # the upscaled reading gives nothing both could agree on: black and white cannot help
                    if binary is None:
                        _, binary, _ = self._prepare(areas, replace(self.settings, binarize=Binarize.OTSU), alone)
                image, scale = (binary, 1.0) if look else (prepared, NUMBER_LOOK_SCALE)
                piece = cv2.copyMakeBorder(image[:, x0:x1], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
                if scale != 1.0:
                    piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
                again = self.engine.recognize(np.ascontiguousarray(piece), self.settings.psm_line, self.dpi)
                pieces.append("".join(fix_digits(w.text) for w in again.words))
            edit = number_edit(text, n, pieces) if len(pieces) == (2 if n.needs_two else 1) else None
            if edit is not None:
                edits.append(edit)
        glyphs = glyphs_for(text, edits, result.words, shown) if edits else None
        if glyphs is None:
            return text, result
        for start, end, new in reversed(edits):
            text = text[:start] + new + text[end:]
        return text, OcrResult(glyphs)


def _unknown_runs(text: str) -> list[regex.Match[str]]:
    """The kanji runs of ``text`` holding a word no dictionary knows or a kanji outside the 常用漢字
    (:func:`~plansheet.core.lexicon.suspect_runs`)."""
    suspect = suspect_runs(text)
    return [m for m in _KANJI_RUN.finditer(text) if m.group() in suspect] if suspect else []


def unknown_stretch(text: str, shown: list[str]) -> tuple[int, int] | None:
    """The glyphs (first, one past the last; ``shown``: each glyph's text as the line writes it) from
    :data:`DICTIONARY_CONTEXT` characters before the first kanji run of ``text`` holding an unknown word to as
    many after the last; ``None`` when there is none or the glyphs do not lay on ``text``."""
    runs = _unknown_runs(text)
    if not runs:
        return None
    return glyph_range(text, max(0, runs[0].start() - DICTIONARY_CONTEXT), runs[-1].end() + DICTIONARY_CONTEXT, shown)


def kanji_from_stretch(text: str, bare: str, start: int, end: int, retry: str) -> str | None:
    """:func:`kanji_from_retry` for a reading ``retry`` of the stretch ``bare[start:end]`` of the line (``bare``:
    ``text`` without its spaces). The stretch is cut a little wide (the engine's glyph boxes are loose) and a glyph
    cut at its edge is read as anything (``実施しi``, ``橋り,``, ``-部を`` for ``一部を``), so up to two characters
    of the reading and one of the stretch are let go at each end; what is left of the two must lie one on the other,
    and the first such laying (the fewest let go) that :func:`kanji_from_retry` accepts is taken: at least two
    characters of the stretch's context either side read the same, and any other laying shifts every glyph."""
    layings = sorted(((c, d, a, b) for a in range(3) for b in range(3) for c in range(2) for d in range(2)),
                     key=lambda k: (k[0] + k[1], k[2] + k[3], k))
    for c, d, a, b in layings:  # a, b: characters of the reading let go; c, d: of the stretch
        part = retry[a : len(retry) - b]
        if part and len(part) == (end - d) - (start + c):
            if (new := kanji_from_retry(text, bare[: start + c] + part + bare[end - d :])) is not None:
                return new
    return None


def doubted_unknown_word(text: str, glyphs: tuple[OcrWord, ...]) -> bool:
    """True when a kanji run of ``text`` holds a word no dictionary knows and a glyph of it the engine
    scored below :data:`~plansheet.core.model.DOUBT_FLOOR` (``glyphs``: the line's, in reading order); when the
    glyphs cannot be laid on the text, the unknown word alone decides. (The dictionary is asked only when a
    kanji of the line is doubted: most lines have none.)"""
    scores = [g.confidence for g in glyphs for _ in fix_digits(g.text)]
    places = [k for k, ch in enumerate(text) if ch != " "]
    laid = len(scores) == len(places)
    score = dict(zip(places, scores)) if laid else {}
    if laid and not any(score.get(k, 1.0) < DOUBT_FLOOR for m in _KANJI_RUN.finditer(text) for k in range(*m.span())):
        return False
    runs = _unknown_runs(text)
    if not runs:
        return False
    if not laid:
        return True
    return any(score.get(k, 1.0) < DOUBT_FLOOR for m in runs for k in range(m.start(), m.end()))


# marks the grammar rules put back whatever was read (a 「 read as a backtick, 一 as a long-vowel bar): a retry that
# differs from the first reading only in these (and spaces) still reads the same glyphs
_SAME_GLYPH = str.maketrans({"`": "「", "‘": "「", "'": "「", "ー": "一"})


def kanji_from_retry(text: str, retry: str) -> str | None:
    """``text`` with the kanji of its unknown words that ``retry`` reads otherwise, each as a kanji of a word the
    dictionary holds (:func:`~plansheet.core.lexicon.in_word`), where that leaves fewer unknown words (``人権優害`` →
    ``人権侵害``); ``None`` when ``retry`` moves, drops or adds any other glyph (``6%`` read ``6``; spaces, and a
    ``「`` or ``一`` read as the marks the grammar puts back, not counted: ``「…との壷が`` read again with a backtick
    for its ``「`` and ``との声が``), or
    makes a kanji of a longer word a lone one (a right ``子宮頸がん`` read ``子宮頻がん``; a kanji standing alone
    between kana may become a noun of its own: ``との声が``). Only the kanji are taken from ``retry``."""
    keep = [k for k, ch in enumerate(text) if ch != " "]
    mine = "".join(text[k] for k in keep).translate(_SAME_GLYPH)
    theirs = retry.replace(" ", "").translate(_SAME_GLYPH)
    if len(mine) != len(theirs) or mine == theirs:
        return None
    runs = _unknown_runs(text)
    out = list(text)
    changed = []
    for j, (a, b) in enumerate(zip(mine, theirs)):
        if a != b:
            k = keep[j]
            if b not in JOYO_KANJI or not any(m.start() <= k < m.end() for m in runs):
                return None
            out[k] = b
            changed.append(k)
    new = "".join(out)
    lone_runs = {m.start() for m in runs if m.end() - m.start() == 1}  # a kanji alone between kana (との壷が)
    if not all(in_word(new, k) or k in lone_runs and _known_lone(new, k) for k in changed):
        return None
    return new if len(suspect_runs(new)) < len(suspect_runs(text)) else None


def _known_lone(text: str, position: int) -> bool:
    """True when the dictionary takes the kanji at ``position`` as a noun of its own (``との声が``)."""
    return any(t.start == position and t.known and t.lone for t in lexicon_tokens(text))


def kanji_of_unknown_words(text: str, retry: str) -> bool:
    """True when :func:`kanji_from_retry` takes kanji from ``retry``."""
    return kanji_from_retry(text, retry) is not None


# a line holding a kanji word no dictionary knows is read again at these scales in turn (then black and white)
DICTIONARY_LOOK_SCALES = (0.8, 1.25)
# characters of the line read again either side of its unknown words: the word's neighbours, as the engine read
# them, and the stretch's ends in the clear (the engine's glyph boxes may be off by a glyph)
DICTIONARY_CONTEXT = 3
# a stretch as wide as this share of its line or wider: the whole line is read again (a short line's words need
# their whole line: 健康づくり諜 read 健康`くり課 from づ on)
STRETCH_SHARE = 0.5
_KANJI_RUN = regex.compile(r"[\p{Han}々]+")

# a line read as nothing whose ink is this many heights wide is a word of two glyphs or more: read again
WORD_WIDTH = 1.5

# a cell is cropped this far (points) inside its rules' centre lines: past the erased rule itself
EDGE_PT = 0.3
# a blob lying wholly within this far (points) of a rule's centre line is debris of the rule
DEBRIS_PT = 1.8

# blank between a wrapped line and its tail when they are read as one, in text heights: wider than
# the gap between two Japanese characters, narrower than a space between Latin words (see _space_threshold)
TAIL_GAP = 0.22


def with_tails(areas: list[im.PxBox], right: int, max_width: float) -> list[list[im.PxBox]]:
    """The text lines of a cell, each with the short tail that ends its wrapped sentence.

    The jpn model reads a lone ``た。`` or ``す。`` at the start of a line as ``S`` or ``4``: it
    needs the sentence around it. A line narrower than ``max_width`` of its line's heights that
    follows a line which runs to the cell's right side (``right``, within two heights) is that
    line's tail, read together with it.
    """
    groups: list[list[im.PxBox]] = []
    for area in areas:
        if groups:
            prev = groups[-1][-1]
            wrapped = len(groups[-1]) == 1 and right - prev.x1 <= 2 * prev.height
            if wrapped and area.width < max_width * prev.height:
                groups[-1].append(area)
                continue
        groups.append([area])
    return groups


def _shift(box: im.PxBox, dx: int, dy: int) -> im.PxBox:
    return im.PxBox(box.x0 + dx, box.top + dy, box.x1 + dx, box.bottom + dy)


def _doubtful_lone(text: str) -> bool:
    """Not what a lone glyph (a goal number, a grade letter) reads as: nothing, or one or two
    characters that are neither a one- or two-digit number nor one Latin letter (a kana, a
    symbol, 唇 for 3, (6 for C). A lone 部 or 監 is doubtful too; its second look reads it again."""
    if not text:
        return True
    return len(text) <= 2 and regex.fullmatch(r"\d{1,2}|[A-Za-z]", text) is None


def _prepare(crop: np.ndarray, settings: OcrSettings, alone: bool = False) -> tuple[np.ndarray, float]:
    """Upscale a small crop, binarise it if asked, give it a white border; also the scale used.

    A long line is upscaled to ``min_line_height_px``, a short crop (a number, a grade, a label) to
    ``min_text_height_px``; a line that is all its cell holds (``alone``: a label, a section name, a
    title) counts as long from ``alone_line_min_width`` heights on.
    """
    cv2 = im.cv2_module()
    h = crop.shape[0]
    factor = 1.0
    long_from = min(settings.long_line_min_width, settings.alone_line_min_width) if alone else settings.long_line_min_width
    long_line = crop.shape[1] >= long_from * h
    target = settings.min_line_height_px if long_line else settings.min_text_height_px
    if target and h < target:
        factor = target / h
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    if settings.binarize is not Binarize.NONE:
        crop = 255 - im.binarize(crop, settings.binarize, block=max(31, (crop.shape[0] // 2) | 1))
    elif settings.sharpen_amount:
        crop = im.sharpen(crop, settings.sharpen_sigma_px, settings.sharpen_amount)
    border = settings.cell_border_px
    if border:
        crop = cv2.copyMakeBorder(crop, border, border, border, border, cv2.BORDER_CONSTANT, value=255)
    return np.ascontiguousarray(crop), factor


_NO_SPACE_AFTER = set("、。，．・「『（【〈《［｛〔(")
_NO_SPACE_BEFORE = set("、。，．・」』）】〉》］｝〕)")
_LONE_ONE = {"]", "[", "|", "l", "I", "!", "丁", "」"}
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]")
_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}


def fix_digits(text: str) -> str:
    """Circled numbers to digits: the jpn model reads plain digits as ①..⑳ (NFKC agrees)."""
    return "".join(_CIRCLED.get(ch, ch) for ch in text)


_BACKTICK = regex.compile(r" ?[`‘'](?=[\p{Han}\p{Hiragana}\p{Katakana}])")


def fix_brackets(text: str) -> str:
    """An opening 「 before Japanese read as a backtick or quote (with a space the bracket's bearing made)."""
    return _BACKTICK.sub("「", text)


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.east_asian_width(ch) in ("Na", "H")


def _line_text(symbols: list[str], gaps: list[tuple[int, int]], span: tuple[int, int], height: float,
               space_gap: float) -> str:
    """Symbols of one line joined with no spaces, except at ink gaps that are real spaces.

    Tesseract's own spaces are not used (it drops the half-width space of 市川 信行 and
    invents one in 総合評 価), nor its symbol boxes (the LSTM's are off by up to an em).
    Instead the line is laid out as printed: Japanese characters advance one em,
    Latin ones about half; ``span`` (the ink's first and last column) gives the em. Each
    blank ink run of ``gaps`` (start, end) at least ``space_gap`` text heights wide (see
    :func:`_space_threshold`) goes to the symbol boundary whose laid-out position is
    nearest to it, and becomes a space there unless the characters beside it explain it.
    """
    if not symbols:
        return ""
    units = [_advance(symbols, i) for i in range(len(symbols))]
    wide = [(a, b) for a, b in gaps if (b - a) / height >= 0.5 * space_gap]
    spaced: dict[int, float] = {}
    for _ in range(2):  # the second pass lays out with the em left once the spaces are taken out
        em = (span[1] - span[0] - sum(spaced.values())) / max(sum(units), 0.5)
        spaced = _spaces(symbols, units, wide, span[0], em, height, space_gap)
    return "".join((" " if k in spaced else "") + t for k, t in enumerate(symbols))


def _spaces(symbols: list[str], units: list[float], gaps: list[tuple[int, int]], x0: int, em: float,
            height: float, space_gap: float) -> dict[int, float]:
    """Symbol boundaries that get a space, each with the width the space adds to the line."""
    prefix = [0.0]
    for u in units:
        prefix.append(prefix[-1] + u * em)
    spaced: dict[int, float] = {}
    shift = 0.0
    for a, b in gaps:
        more = max((b - a) - 0.15 * height, 0.0)  # beyond a normal inter-character gap
        centre = (a + b) / 2 - x0 - shift
        k = _nearest_boundary(prefix, len(symbols), centre, more)
        if k is None or abs(prefix[k] + more / 2 - centre) > 0.5 * em:
            continue
        left, right = symbols[k - 1][-1], symbols[k][0]
        if (left == ")" and units[k - 1] >= 1.0) or (right == "(" and units[k] >= 1.0):
            continue  # a full-width bracket's own bearing
        if (b - a) / height >= _space_threshold(left, right, space_gap):
            spaced[k] = more
            shift += more
    return spaced


def _nearest_boundary(prefix: list[float], count: int, centre: float, more: float) -> int | None:
    """The symbol boundary ``k`` in 1..count-1 whose laid-out position ``prefix[k]`` (ascending), with
    half the gap's extra width ``more``, is nearest to ``centre``; the lower one on a tie; ``None`` for
    a single symbol. (A bisection: a line of n symbols and g gaps costs g log n, not g n.)"""
    if count < 2:
        return None
    j = min(max(bisect.bisect_left(prefix, centre - more / 2, 1, count), 1), count - 1)
    if j > 1 and abs(prefix[j - 1] + more / 2 - centre) <= abs(prefix[j] + more / 2 - centre):
        return j - 1
    return j


def _advance(symbols: list[str], i: int) -> float:
    """Printed width of symbol ``i`` in ems: 1 for Japanese, about half for Latin and digits.

    A bracket read as ASCII ( ) around Japanese is the full-width （ ） of the sheet; the
    (5) of "(5) みんなで…" is ASCII.
    """
    text = symbols[i]
    if text in ("(", ")"):
        j = i + 1 if text == "(" else i - 1
        inside = symbols[j][0 if j > i else -1] if 0 <= j < len(symbols) else "a"
        return 0.35 if _is_latin(inside) else 1.0
    return sum(1.0 if not _is_latin(ch) else 0.35 if ch in "()[]|.,:;'!" else 0.55 for ch in text)


def _space_threshold(left: str, right: str, space_gap: float) -> float:
    """How wide (in text heights) a blank run between two characters must be to be a space.

    Kana have wide side bearings, so beside a kana only a gap of about a full-width space
    counts; punctuation such as 、 or （ (and a colon next to Japanese) explains any gap.
    """
    latin_l, latin_r = _is_latin(left), _is_latin(right)
    if left in _NO_SPACE_AFTER or right in _NO_SPACE_BEFORE:
        return math.inf
    if right in "([" and not latin_l:
        return math.inf  # （ read as ( : its own bearing is the gap
    if (left in ":;" and not latin_r) or (right in ":;" and not latin_l) or right in ":;":
        return math.inf
    if left.isdigit() and right.isdigit() or left in ".," or right in ".,%":
        return 1.9 * space_gap  # digits have wide bearings too; 115.3% is one number
    if latin_l and latin_r:
        return 0.5 * space_gap
    if left == ")" and not latin_r:
        return space_gap  # "(5) みんなで": the ASCII bracket has no bearing to speak of
    if latin_l or latin_r:
        return 1.4 * space_gap  # a digit's or letter's own bearing: 年12回, 2025年
    if _KANA.match(left) or _KANA.match(right):
        return 2.7 * space_gap  # イ|ト leaves 0.6 of a height blank
    return space_gap


def _text_of(result: OcrResult) -> tuple[str, tuple[OcrWord, ...]]:
    """Text of a multi-line result: spaces only between Latin words, lines joined by :func:`join_lines`."""
    by_line: dict[int, list[OcrWord]] = {}
    for w in result.words:
        by_line.setdefault(w.line, []).append(w)
    lines = []
    for k in sorted(by_line):
        line, word = "", None
        for w in by_line[k]:
            if line and w.word != word and _is_latin(line[-1]) and _is_latin(w.text[0]):
                line += " "
            line += w.text
            word = w.word
        lines.append(fix_digits(line))
    return join_lines(lines) or "", result.words


@dataclass(frozen=True)
class CellLines:
    """The lines a grid cell was read in (a wrapped line and its short tail are one), and for each break
    between two whether the line before it runs to the cell's right side (``Cell.wrapped``)."""

    lines: tuple[str, ...]
    wrapped: tuple[bool, ...]


def _place(found: list[tuple[im.PxBox, str, tuple[OcrWord, ...], bool]], page: int, to_pt: PxToPt,
           tol: float, broken: dict[int, CellLines] | None = None) -> tuple[Cell, ...]:
    """Give every box its page-level row/col (and spans) and make the cells, in reading order,
    each with its glyphs' mean confidence and its weakest glyph's, and its lines where ``broken`` has them
    (by index in ``found``): the grammar reads a few cells by line (a 所管室・課 cell lists one unit a line)."""
    tops = im.cluster_positions([float(b.top) for b, *_ in found], tol)
    lefts = im.cluster_positions([float(b.x0) for b, _, _, grid in found if grid], tol)
    cells = []
    for k, (box, text, glyphs, grid) in enumerate(found):
        result = OcrResult(glyphs)
        read = (broken or {}).get(k)
        lines = tuple(clean_text(line) or "" for line in read.lines) if read is not None else ()
        row = snap_index(tops, box.top, tol)
        col = snap_index(lefts, box.x0, tol)
        row_span = max(1, sum(1 for t in tops if box.top - tol <= t < box.bottom - tol)) if grid else 1
        col_span = max(1, sum(1 for x in lefts if box.x0 - tol <= x < box.x1 - tol)) if grid else 1
        conf, weakest = result.confidence, result.weakest
        cells.append(Cell(clean_text(text) or "", row, col, page, row_span, col_span, to_pt.bbox(box),
                          round(conf, 4) if conf is not None else None,
                          round(weakest, 4) if weakest is not None else None, doubted_glyphs(glyphs),
                          lines=lines if all(lines) else (), wrapped=read.wrapped if read is not None and all(lines)
                          else ()))
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))


def doubted_glyphs(glyphs: tuple[OcrWord, ...], context: int = 3) -> tuple[DoubtedGlyph, ...]:
    """The glyphs scored below :data:`DOUBT_FLOOR`, each with ``context`` glyphs either side on its line."""
    out = []
    for i, g in enumerate(glyphs):
        if g.confidence < DOUBT_FLOOR:
            before = "".join(w.text for w in glyphs[max(0, i - context):i] if w.line == g.line)
            after = "".join(w.text for w in glyphs[i + 1:i + 1 + context] if w.line == g.line)
            out.append(DoubtedGlyph(fix_digits(g.text), round(g.confidence, 4), fix_digits(before), fix_digits(after)))
    return tuple(out)


def _rule(s: im.Segment, horizontal: bool, to_pt: PxToPt) -> Rule:
    if horizontal:
        box = to_pt.bbox(im.PxBox(s.start, int(s.pos), s.end, int(s.pos)))
    else:
        box = to_pt.bbox(im.PxBox(int(s.pos), s.start, int(s.pos), s.end))
    return Rule(box.x0, box.top, box.x1, box.bottom)
