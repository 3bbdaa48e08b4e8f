"""The PDFium backend of the PDF reader (pypdfium2): the default, 5–8× faster to parse than pdfminer.

It supplies each page's characters, straight strokes and whether it holds images as a
:class:`~plansheet.readers.pdf.grid.PageContent` in the coordinates the pdfplumber backend
uses (points from the top-left corner of the media box, after the page's /Rotate), so
:mod:`plansheet.readers.pdf.reader` builds the cells of both the same way, and a test compares
the two on every sample.

- Characters come from the text page (``FPDFText_*``). PDFium's own additions (the spaces
  and line breaks it infers, ``FPDFText_IsGenerated``) are skipped. The loose box is
  pdfminer's box: advance width wide, one font size high. A glyph whose font has no
  Unicode map (``FPDFText_HasUnicodeMapError``; PDFium then returns the raw character
  code) becomes ``(cid:NNN)``, as pdfminer writes it, so the needs-OCR verdict is the same.
- A font the PDF does not embed is drawn by PDFium with a substitute from the machine's
  fonts (or its own Latin-only fallback), and its text page leans on that substitute: a
  glyph's loose box stretches to the substitute's outline, and a text object whose glyphs
  the substitute lacks has an empty box and is left out of the text page altogether
  (``ProcessTextObject`` skips objects narrower than 0.01). So for such fonts the box is
  the advance width the PDF states (``FPDFFont_GetGlyphWidth`` reads /W or /Widths), and a
  page where a text object in a non-embedded font is missing from the text page is read
  with the pdfplumber backend instead: PDFium cannot tell such an object from a lone space,
  and offers no call that gives its character codes. Either way the result does not depend
  on which fonts the machine has.
- A character PDFium reads from an ``/ActualText`` span (Chromium writes one around each glyph
  its ToUnicode map cannot name, as a kanji drawn with its Kangxi radical's glyph) has its box
  and origin in the space of the form XObject that holds it, not the page's; the box is moved
  by that form's matrix (:meth:`_CharMetrics._piece_form`), so a page drawn scaled or moved
  through a form (fit to paper, 2-up, 4-up) has every glyph where it is drawn.
- Strokes come from path objects, also inside form XObjects: every straight segment of
  every subpath (a rectangle gives its four sides, filled or stroked), transformed by the
  object's matrix; curve segments are not rulings and are skipped.

Per character, per text object and per path PDFium is called through cffi function
pointers with int handles (:func:`_raw_address_function`), about three calls a character
(a call costs far more than the C it runs, so fewer calls is what makes the reader faster);
a path's segments are read from PDFium's array of points in one go once its layout has been
checked against the calls (:func:`_segments`). Each page and text page is closed before the
next is loaded, so memory stays flat on long files.
"""
from __future__ import annotations

import bisect
import ctypes
import logging
import math
import re
import struct
import sys
import unicodedata
from array import array
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from plansheet.errors import EncryptedPdfError, PlansheetError, TriageError
from plansheet.core.geometry import MAX_RULE_SKEW
from plansheet.core.model import Rule
from plansheet.readers.pdf.grid import PAST_PAPER, Glyph, PageContent, off_axis, upright_turn

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.readers.pdf.pdfplumber import PdfplumberDocument

log = logging.getLogger(__name__)

ANGLE_SAMPLE = 400  # characters of a page whose angles say whether its text is turned (:func:`char_angles`)
_MAX_FORM_DEPTH = 8  # nested form XObjects deeper than this are not searched for strokes
_MAYBE_GENERATED = frozenset((0x20, 0x0A, 0x0D))  # what PDFium inserts: spaces and line breaks
_SPACE_CODES = (0x20, 0x3000)  # a text object of one of these alone is a space
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"  # PDFium's code units, as the machine stores them
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")  # a code unit :func:`_codes` must ask for one by one

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SAME_POINT = 0.01  # points of user space within which two origins are one (PDFium's matrices are floats)


def open_error(name: str, exc: pdfium.PdfiumError, password: str | None) -> TriageError:
    """What a failure to open a PDF with PDFium means, told by PDFium's error code."""
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return EncryptedPdfError.for_file(name, password)
    if code == pdfium_c.FPDF_ERR_FILE:
        return TriageError(f"{name}: cannot open the file ({exc})")
    return TriageError(f"{name}: corrupt or truncated PDF ({exc}); re-download it")


_FileId = tuple[int, int, int, int]
_kept: dict[Path, tuple[_FileId, pdfium.PdfDocument]] = {}


def _file_id(path: Path) -> _FileId | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def keep_open(path: Path, document: pdfium.PdfDocument) -> None:
    """Keep ``document`` (of ``path``, opened without a password) for this process's reader of the file.

    Loading a page parses the fonts it uses, once per document (15–20 ms for a PDF that embeds
    a Japanese font): a batch that loaded a first page to weigh the file hands the document on,
    and the reader opens it only if the file is still the one it was (same inode, size and
    modification time). :func:`close_kept` closes what no reader took.
    """
    file_id = _file_id(path)
    if file_id is None:
        document.close()
        return
    stale = _take_kept(path)  # the same file weighed twice (listed twice in a batch): one document kept
    if stale is not None:
        stale.close()
    _kept[path] = (file_id, document)


def close_kept() -> None:
    """Close every document :func:`keep_open` kept (a batch that goes to worker processes)."""
    while _kept:
        _, (_, document) = _kept.popitem()
        document.close()


def _take_kept(path: Path) -> pdfium.PdfDocument | None:
    found = _kept.pop(path, None)
    if found is None:
        return None
    if found[0] != _file_id(path):
        found[1].close()
        return None
    return found[1]


class PdfiumDocument:
    """An open PDF; use as a context manager. :meth:`read` reads one page and closes it."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        self._password = password
        self._reference: PdfplumberDocument | None = None  # opened for the first page PDFium cannot read
        kept = _take_kept(path)
        if kept is not None and password is None:
            self._pdf = kept
            return
        if kept is not None:
            kept.close()
        try:
            self._pdf = pdfium.PdfDocument(str(path), password=password)
        except pdfium.PdfiumError as exc:
            raise open_error(path.name, exc, password) from exc
        except OSError as exc:
            raise TriageError(f"{path.name}: cannot open the file ({exc})") from exc

    def __enter__(self) -> "PdfiumDocument":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pdf.close()
        if self._reference is not None:
            self._reference.__exit__(*exc)

    @property
    def page_count(self) -> int:
        return len(self._pdf)

    def read(self, index: int) -> PageContent:
        """The content of page ``index`` (0-based)."""
        try:
            page = self._pdf[index]
        except pdfium.PdfiumError as exc:
            log.debug("PDFium failed on %s page %d", self.path, index + 1, exc_info=True)
            raise PlansheetError(
                f"{self.path.name}: page {index + 1} cannot be read ({exc}); "
                "the PDF is damaged, re-export or print it again"
            ) from exc
        try:
            to_page = _display_transform(page)
            text_page = page.get_textpage()
            try:
                fonts = _Fonts()
                glyphs, hidden, with_text, space_lefts, angles = _glyphs(text_page.raw, to_page, fonts,
                                                                         _codes(text_page.raw))
                hidden_layer = _is_hidden_layer(hidden, glyphs)
                if not hidden_layer:  # a few invisible characters beside the text: what a picture of them shows
                    glyphs += hidden
                turn = upright_turn(angles, to_page.rotation)
                found = _Objects(_handle(text_page.raw), to_page, fonts, with_text, space_lefts)
                found.walk(_handle(page.raw), _IDENTITY, 0)
                glyphs += _spaces_clear_of(found.spaces, glyphs)
                shown_right = _shown_right(page.raw, to_page) if _past_right(found.rules, to_page.width) else None
            finally:
                text_page.close()
        finally:
            page.close()
        if found.dropped_text:
            log.debug("%s page %d: PDFium left out text in a font the PDF does not embed; read with pdfminer",
                      self.path.name, index + 1)
            return self._read_with_reference(index)
        return PageContent(index + 1, to_page.width, to_page.height, glyphs, found.rules, found.has_images, turn,
                           hidden_layer, shown_right)

    def _read_with_reference(self, index: int) -> PageContent:
        """Page ``index`` read by the pdfplumber backend, which uses only the PDF's own font metrics."""
        if self._reference is None:
            from plansheet.readers.pdf.pdfplumber import PdfplumberDocument  # pdfminer: imported only when needed

            self._reference = PdfplumberDocument(self.path, self._password)
        return self._reference.read(index)


class _DisplayTransform:
    """PDF user space (origin bottom-left of the media box) → top-left origin after /Rotate."""

    __slots__ = ("x0", "y1", "w", "h", "rotation", "width", "height", "matrix")

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int) -> None:
        mx0, my0, mx1, my1 = mediabox
        self.x0, self.y1 = min(mx0, mx1), max(my0, my1)
        self.w, self.h = abs(mx1 - mx0), abs(my1 - my0)
        self.rotation = rotation % 360
        self.width, self.height = (self.h, self.w) if self.rotation in (90, 270) else (self.w, self.h)
        x0, y1, w, h = self.x0, self.y1, self.w, self.h
        self.matrix: Matrix = {  # what :meth:`point` does, as a matrix to compose with objects' own
            0: (1.0, 0.0, 0.0, -1.0, -x0, y1),
            90: (0.0, 1.0, 1.0, 0.0, h - y1, -x0),
            180: (-1.0, 0.0, 0.0, 1.0, w + x0, h - y1),
            270: (0.0, -1.0, -1.0, 0.0, y1, w + x0),
        }.get(self.rotation, (1.0, 0.0, 0.0, -1.0, -x0, y1))

    def point(self, x: float, y: float) -> tuple[float, float]:
        px, py = x - self.x0, self.y1 - y  # unrotated, top-left origin
        rot = self.rotation
        if rot == 0:
            return px, py
        if rot == 90:  # shown turned clockwise: the top-left corner goes to the top right
            return self.h - py, px
        if rot == 180:
            return self.w - px, self.h - py
        return py, self.w - px

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in display coordinates of a user-space box."""
        ax, ay = self.point(left, top)
        bx, by = self.point(right, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _display_transform(page: pdfium.PdfPage) -> _DisplayTransform:
    return _DisplayTransform(page.get_mediabox(), page.get_rotation())


def _glyphs(text_page: object, to_page: _DisplayTransform, fonts: "_Fonts", codes: list[int]
            ) -> tuple[list[Glyph], set[int], dict[int, list[float]], list[float]]:
    """Every character of the text layer PDFium read (not the ones it inferred), but a stamp drawn aslant;
    the characters drawn invisible (render mode 3) apart, second.

    The box is pdfminer's: across the advance width (PDFium's loose box), and from the
    font's descent below the baseline to one font size above that. PDFium's loose box is
    not used vertically: it spreads the size over ascent − descent, or takes the glyph's
    outline for some fonts. Nor, for a font the PDF does not embed, horizontally: there it
    is the substitute font's outline, so the box runs from the origin across the advance
    width the PDF states. All characters of one text object share font, size, angle and
    (for upright text) baseline, so those are fetched once per object.

    ``codes`` are the text page's characters (:func:`_codes`). Also returns the text objects
    that hold a character with text (``FPDFTextObj_GetText`` is not empty for them), so the
    object walk need not ask; for each text object that holds a real space the user-space
    x of its spaces' left edges; and the baseline angles :func:`char_angles` gives for the
    same characters (the same sample), taken once per text object.
    """
    is_generated, map_error, loose_box, text_object = _IS_GENERATED, _HAS_MAP_ERROR, _LOOSE_BOX, _GET_TEXT_OBJECT
    get_font, new_glyph, char_angle, render_mode = _GET_FONT, tuple.__new__, _CHAR_ANGLE, _TEXT_RENDER_MODE
    handle = _handle(text_page)
    char_metrics = _CharMetrics(handle)
    rect = array("f", (0.0, 0.0, 0.0, 0.0))  # an FS_RECTF: left, top, right, bottom
    rect_ref = rect.buffer_info()[0]
    upright = to_page.rotation == 0
    dx, dy = to_page.x0, to_page.y1
    # per text object: (size, bottom, top, advance scale) in user space, bottom/top None when the text is turned
    metrics: dict[int | None, tuple[float, float | None, float | None, float]] = {}
    angle_of: dict[int, float] = {}  # per text object: PDFium's angle of its characters (radians, clockwise)
    sampled_angles: list[float] = []  # of the sampled characters, as PDFium gives them
    step = max(1, len(codes) // ANGLE_SAMPLE)
    next_sample = 0  # the next character whose angle :func:`char_angles` would take
    glyphs: list[Glyph] = []
    append = glyphs.append
    with_text: set[int] = set()
    space_lefts: dict[int, list[float]] = {}
    last: int | None = -1  # the text object of the previous character (consecutive ones share it; NULL is 0)
    aslant = False  # the text object of the previous character is drawn aslant (a stamp): its characters are left out
    hidden: list[Glyph] = []  # characters drawn invisible (render mode 3)
    size = 0.0
    bottom = top = None
    level = False  # the current object's text runs along an upright page's baseline
    shown_top = shown_bottom = 0.0  # and its box's top and bottom as the page is shown
    form: Matrix | None = None  # the current object's form matrix, when PDFium gives its boxes in the form's space
    font: int | None = None
    advances: dict[int, float] = {}  # the font's advance widths at size 1, by code (:meth:`_Fonts.advances`)
    advance_scale = 0.0  # per text object: font size × horizontal scale when its font is not embedded, else 0
    for i, code in enumerate(codes):
        sampled = False
        if i == next_sample:
            next_sample += step
            sampled = code > 32
        if code in _MAYBE_GENERATED and is_generated(handle, i):
            continue
        mapped = bool(code) and map_error(handle, i) != 1
        text = chr(code) if mapped else f"(cid:{code})"
        if not loose_box(handle, i, rect_ref):
            if sampled:
                sampled_angles.append(char_angle(handle, i))
            if glyphs and mapped and unicodedata.combining(text):  # a mark the font draws no box for:
                last_glyph = glyphs[-1]  # still part of the character before it (か + U+3099 is が)
                glyphs[-1] = Glyph(last_glyph.text + text, last_glyph.x0, last_glyph.top, last_glyph.x1,
                                   last_glyph.bottom, last_glyph.size)
            continue
        obj = text_object(handle, i)
        if sampled:
            radians = angle_of.get(obj) if obj else None
            if radians is None:
                radians = char_angle(handle, i)
                if obj:
                    angle_of[obj] = radians
            sampled_angles.append(radians)
        if obj != last:
            if code:
                with_text.add(obj)
            font = get_font(obj) if obj else None
            found = metrics.get(obj)
            if found is None:
                found = metrics[obj] = char_metrics.of_object(i, obj, *fonts.info(font))
            size, bottom, top, advance_scale, form = found
            level = upright and bottom is not None and top is not None
            if level:
                shown_top, shown_bottom = dy - top, dy - bottom
            if advance_scale:
                advances = fonts.advances(font)
            last = obj
            aslant = bottom is None and off_axis(-math.degrees(char_angle(handle, i)))
            append = hidden.append if obj and render_mode(obj) in _INVISIBLE else glyphs.append
        if aslant:
            continue
        left, right = rect[0], rect[2]
        if form is not None:  # a piece of an /ActualText span in a form XObject: PDFium's box is in the form's space
            left, rect[3], right, rect[1] = _map_box(form, left, rect[3], right, rect[1])
        if code == 0x20 and obj:
            space_lefts.setdefault(obj, []).append(left)
        if advance_scale and mapped:  # not embedded: the PDF's advance width, not the substitute's outline
            advance = advances.get(code)
            if advance is None:
                advance = fonts.advance(font, code)
            if advance > 0:  # 0: the font maps no character code to this text
                left = char_metrics.origin_x(i, form)
                right = left + advance * advance_scale
        # tuple.__new__: a named tuple's own __new__ is a Python call, 3x the cost
        if level:  # the usual: an upright page, the object's baseline box (its top and bottom shown once)
            append(new_glyph(Glyph, (text, left - dx, shown_top, right - dx, shown_bottom, size)))
            continue
        if bottom is None or top is None:  # turned text: the loose box, along the baseline as across it
            low, high = rect[3], rect[1]
        else:
            low, high = bottom, top
        if upright:
            append(new_glyph(Glyph, (text, left - dx, dy - high, right - dx, dy - low, size)))
        else:
            append(new_glyph(Glyph, (text, *to_page.box(left, low, right, high), size)))
    angles = []  # as :func:`char_angles` gives them, grouped (the characters of a text object share one)
    for radians, count in Counter(sampled_angles).items():
        if radians >= 0:  # -1: no angle; PDFium measures clockwise
            angles += [-math.degrees(radians)] * count
    return glyphs, hidden, with_text, space_lefts, angles


def _past_right(rules: list[Rule], width: float) -> bool:
    """Whether a line across the page runs on past its right edge (:data:`~plansheet.readers.pdf.grid.PAST_PAPER`)."""
    edge = width + PAST_PAPER
    return any(r.x1 > edge and r.bottom - r.top <= MAX_RULE_SKEW for r in rules)


def _shown_right(page: object, to_page: _DisplayTransform) -> float | None:
    """The right edge of the clip of a path on ``page`` that runs past the page's right edge, where it is left of that
    edge (as the page is shown), else None: what the page shows of a sheet too wide for it. Asked only on such a
    page; the clip of an object directly on the page (one in a form XObject is not looked into)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != _PATH or not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right,
                                                                                             top):
            continue
        if to_page.box(left.value, bottom.value, right.value, top.value)[2] <= to_page.width + PAST_PAPER:
            continue
        clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
        points = []
        for k in range(pdfium_c.FPDFClipPath_CountPaths(clip) if clip else 0):
            for n in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, k)):
                segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, k, n)
                if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                    points.append(to_page.point(x.value, y.value))
        if not points:
            return None
        edge = max(px for px, _ in points)
        return edge if edge < to_page.width else None
    return None


def _is_hidden_layer(hidden: list[Glyph], shown: list[Glyph]) -> bool:
    """Whether the invisible characters of a page (render mode 3) are a text layer of their own, at least as
    many as the visible ones: another program's OCR over a scanned picture, which plansheet reads as the scan
    it is. Fewer are read with the rest (Office draws a line its font may not embed as a picture, with the
    same text invisible over it)."""
    count = sum(1 for g in hidden if g.text.strip())
    return count > 0 and count >= sum(1 for g in shown if g.text.strip())


def _spaces_clear_of(spaces: list[Glyph], glyphs: list[Glyph]) -> list[Glyph]:
    """The walk's spaces that stand clear of every character. A text object the text page holds
    nothing of is a lone space, or the same text drawn again a hair to the side (a bold the font
    lacks: PDFium keeps the first drawing only); the second starts just right of the first's
    glyph, which no real space does."""
    if not spaces:
        return spaces
    starts = sorted((g.x0, g.x1, g.top, g.bottom) for g in glyphs if g.text.strip())
    lefts = [b[0] for b in starts]
    kept = []
    for sp in spaces:
        x, mid = sp.x0, (sp.top + sp.bottom) / 2
        # on a glyph: a hair right of its left edge, where a bold drawing starts again (a real space
        # starts where a glyph's advance ends, and a glyph's loose box may run past that)
        near, far = 0.01 * sp.size, 0.15 * sp.size
        lo, hi = bisect.bisect_left(lefts, x - far), bisect.bisect_left(lefts, x)
        if not any(x0 + near < x < min(x0 + far, x1) and top < mid < bottom for x0, x1, top, bottom in starts[lo:hi]):
            kept.append(sp)
    return kept


def char_angles(text_page: object, sample: int = ANGLE_SAMPLE, codes: list[int] | None = None) -> list[float]:
    """Baseline directions (degrees, counter-clockwise in user space) of up to ``sample`` characters.

    ``codes``, when the caller has them (:func:`_codes`), spares asking for each character again.
    """
    if codes is None:
        codes = _codes(text_page)
    handle = _handle(text_page)
    count = len(codes)
    angles = []
    for i in range(0, count, max(1, count // sample)):
        if codes[i] > 32:
            radians = _CHAR_ANGLE(handle, i)
            if radians >= 0:  # -1: no angle; PDFium measures clockwise
                angles.append(-math.degrees(radians))
    return angles


def _codes(text_page: object) -> list[int]:
    """The code point of every character, in one call (per character if there are surrogates)."""
    count = pdfium_c.FPDFText_CountChars(text_page)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(text_page, 0, count, buffer)
    units = memoryview(buffer).cast("B")[: 2 * count].tobytes()
    codes = array("H", units).tolist()
    if written != count + 1 or _NUL_OR_SURROGATE.search(units.decode(_UTF16, "surrogatepass")):
        get_unicode = pdfium_c.FPDFText_GetUnicode
        codes = [get_unicode(text_page, i) for i in range(count)]
    return codes


class _CharMetrics:
    """Font size and baseline of a character, read through int handles into reused buffers."""

    def __init__(self, text_page: int) -> None:
        self.text_page = text_page
        self._matrix = array("f", bytes(24))  # an FS_MATRIX: a, b, c, d, e, f
        self._matrix_ref = self._matrix.buffer_info()[0]
        self._origin = array("d", bytes(16))  # x, y
        self._x_ref = self._origin.buffer_info()[0]
        self._y_ref = self._x_ref + self._origin.itemsize
        self._own = array("f", bytes(24))  # a text object's own matrix (FPDFPageObj_GetMatrix)

    def of_object(
        self, index: int, obj: int | None, descent: float, embedded: bool
    ) -> tuple[float, float | None, float | None, float, Matrix | None]:
        """What the characters of ``index``'s text object (``obj``) share.

        Size; bottom and top in user space (None for turned text); for a font the PDF
        does not embed on upright text, what scales a 1-point advance width to user space
        (0 otherwise: the loose box is used); and the matrix of the form XObjects around the
        object when PDFium gives its characters' boxes and origins in the form's space
        (:meth:`_piece_form`), else None.
        """
        font_size = _CHAR_FONT_SIZE(self.text_page, index)
        size = font_size
        scale_x = 1.0
        turned = False
        has_matrix = bool(_CHAR_MATRIX(self.text_page, index, self._matrix_ref))
        if has_matrix:
            a, b, c, d = self._matrix[:4]
            size *= (c * c + d * d) ** 0.5
            scale_x = a
            turned = abs(b) > 1e-6 or abs(c) > 1e-6 or d < 0
        _CHAR_ORIGIN(self.text_page, index, self._x_ref, self._y_ref)
        x, y = self._origin
        form = self._piece_form(obj, x, y) if has_matrix else None
        if turned:
            return size, None, None, 0.0, form
        if form is not None:
            x, y = _map_point(form, x, y)
        bottom = y + descent * size  # from the baseline, one size high
        return size, bottom, bottom + size, (0.0 if embedded else font_size * scale_x), form

    def _piece_form(self, obj: int | None, x: float, y: float) -> Matrix | None:
        """The form matrix to apply to the boxes PDFium gives for ``obj``'s characters, or None.

        A text object in an ``/ActualText`` span (Chromium writes one around each glyph whose text
        its font's ToUnicode map cannot give, as a kanji drawn with its Kangxi radical's glyph) is
        read by PDFium as pieces whose origin is the object's position and whose box is the object's
        bounds, both in the space of the form XObject that holds it, while their matrix (the text
        matrix times every enclosing form's) is in the page's: on a page drawn scaled or moved
        through a form (fit to paper, 2-up, 4-up) those characters landed where the unscaled page
        puts them. They are told by their origin: the object's own position, not where the matrix
        puts the object's origin (any other character's origin is that matrix applied). Their form
        matrix is then the object's matrix undone from theirs. ``x``, ``y``: the first character's
        origin; the character's matrix is in ``self._matrix``.
        """
        a, b, c, d, e, f = self._matrix
        if not obj or (abs(x - e) <= _SAME_POINT and abs(y - f) <= _SAME_POINT):
            return None  # the usual: the origin is where the matrix puts the object's origin
        own = self._own
        if not _GET_MATRIX(obj, own.buffer_info()[0]):
            return None
        ta, tb, tc, td, te, tf = own
        if abs(x - te) > _SAME_POINT or abs(y - tf) > _SAME_POINT:
            return None  # a character after the first in its object (a leading kern): placed by the matrix
        det = ta * td - tb * tc
        if abs(det) < 1e-9:
            return None
        inverse = (td / det, -tb / det, -tc / det, ta / det, (tc * tf - td * te) / det, (tb * te - ta * tf) / det)
        form = _compose(inverse, (a, b, c, d, e, f))
        if all(abs(u - v) <= 1e-4 for u, v in zip(form, _IDENTITY)):
            return None
        return form

    def origin_x(self, index: int, form: Matrix | None = None) -> float:
        """The x of character ``index``'s origin (on its baseline) in user space (``form``: what
        :meth:`of_object` found for its object)."""
        _CHAR_ORIGIN(self.text_page, index, self._x_ref, self._y_ref)
        if form is not None:
            return _map_point(form, *self._origin)[0]
        return self._origin[0]


class _Fonts:
    """What the reader asks of a page's fonts, each asked once per font handle."""

    def __init__(self) -> None:
        self._descents: dict[int | None, float] = {}
        self._embedded: dict[int | None, bool] = {}
        self._advances: dict[int | None, dict[int, float]] = {}
        self._info: dict[int | None, tuple[float, bool]] = {}
        self._value = ctypes.c_float()
        self._value_ref = ctypes.addressof(self._value)

    def info(self, font: int | None) -> tuple[float, bool]:
        """The font's descent (:meth:`descent`) and whether it is embedded (:meth:`embedded`)."""
        found = self._info.get(font)
        if found is None:
            found = self._info[font] = (self.descent(font), self.embedded(font))
        return found

    def descent(self, font: int | None) -> float:
        """The font's descent as a share of the font size (pdfminer's ``get_descent``)."""
        ratio = self._descents.get(font)
        if ratio is None:
            ratio = 0.0
            if font and _GET_DESCENT(font, 1.0, self._value_ref):
                ratio = min(0.0, self._value.value)  # pdfminer makes a positive descent negative too
            self._descents[font] = ratio
        return ratio

    def embedded(self, font: int | None) -> bool:
        """Whether the PDF carries the font's program (else PDFium draws it with a substitute)."""
        known = self._embedded.get(font)
        if known is None:
            known = self._embedded[font] = bool(font) and _IS_EMBEDDED(font) == 1
        return known

    def advances(self, font: int | None) -> dict[int, float]:
        """The advance widths :meth:`advance` has found for the font so far, by code."""
        found = self._advances.get(font)
        if found is None:
            found = self._advances[font] = {}
        return found

    def advance(self, font: int | None, code: int) -> float:
        """The advance width of character ``code`` at font size 1, from the PDF's widths."""
        widths = self.advances(font)
        width = widths.get(code)
        if width is None:
            width = 0.0
            if font and _GLYPH_WIDTH(font, code, 1.0, self._value_ref):
                width = self._value.value
            widths[code] = width
        return width


_C_TYPES = {ctypes.c_void_p: "uintptr_t", ctypes.c_int: "int", ctypes.c_ulong: "unsigned long",
            ctypes.c_float: "float", ctypes.c_double: "double", ctypes.c_uint32: "uint32_t"}


def _raw_address_function(name: str, restype: type, *argtypes: type) -> object:
    """A PDFium function called through cffi with handles and buffers as plain ints (hashable, unlike
    ctypes pointers; a pointer is passed and returned as ``uintptr_t``, so NULL is 0).

    cffi's call costs about a fifth less than a ctypes prototype's, and the reader makes about three
    a character and four a path segment. The function is the one pypdfium2 loaded (its address). Its
    type is built with cffi's C backend, as ``cffi.FFI`` does once it has parsed a declaration:
    ``cffi.FFI()`` imports a C parser (pycparser), about 25 ms of CPU in every process that reads.
    """
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    cffi = _cffi_backend()
    if cffi is not None:
        try:
            kind = cffi.new_primitive_type
            function = cffi.new_function_type(tuple(kind(_C_TYPES[t]) for t in argtypes), kind(_C_TYPES[restype]),
                                              False)
            return cffi.cast(function, address)
        except (AttributeError, TypeError) as error:  # the backend's API moved: the same call through ctypes
            log.debug("cffi backend unusable (%s); PDFium called through ctypes", error)
    as_int = {ctypes.c_void_p: ctypes.c_size_t}  # pointers as plain ints, NULL as 0, as through cffi
    prototype = ctypes.CFUNCTYPE(as_int.get(restype, restype), *(as_int.get(t, t) for t in argtypes))
    return prototype(address)


def _cffi_backend() -> object | None:
    """cffi's C backend (``_cffi_backend``), or None where cffi is missing: the reader then calls
    PDFium through ctypes prototypes, a fifth slower a call, with the same results."""
    try:
        import _cffi_backend
    except ImportError:
        log.debug("cffi is not installed; PDFium called through ctypes")
        return None
    return _cffi_backend


def _handle(pointer: object) -> int:
    """The address a pypdfium2 handle points to, for the functions below."""
    return ctypes.cast(pointer, ctypes.c_void_p).value  # type: ignore[arg-type,return-value]


_V, _I, _UL = ctypes.c_void_p, ctypes.c_int, ctypes.c_ulong
# per character
_GET_TEXT_OBJECT = _raw_address_function("FPDFText_GetTextObject", _V, _V, _I)
_IS_GENERATED = _raw_address_function("FPDFText_IsGenerated", _I, _V, _I)
_HAS_MAP_ERROR = _raw_address_function("FPDFText_HasUnicodeMapError", _I, _V, _I)
_LOOSE_BOX = _raw_address_function("FPDFText_GetLooseCharBox", _I, _V, _I, _V)
_CHAR_ANGLE = _raw_address_function("FPDFText_GetCharAngle", ctypes.c_float, _V, _I)
# per text object
_CHAR_FONT_SIZE = _raw_address_function("FPDFText_GetFontSize", ctypes.c_double, _V, _I)
_CHAR_MATRIX = _raw_address_function("FPDFText_GetMatrix", _I, _V, _I, _V)
_CHAR_ORIGIN = _raw_address_function("FPDFText_GetCharOrigin", _I, _V, _I, _V, _V)
# per object and path segment
_COUNT_OBJECTS = _raw_address_function("FPDFPage_CountObjects", _I, _V)
_GET_OBJECT = _raw_address_function("FPDFPage_GetObject", _V, _V, _I)
_FORM_COUNT_OBJECTS = _raw_address_function("FPDFFormObj_CountObjects", _I, _V)
_FORM_GET_OBJECT = _raw_address_function("FPDFFormObj_GetObject", _V, _V, _UL)
_GET_TYPE = _raw_address_function("FPDFPageObj_GetType", _I, _V)
_GET_MATRIX = _raw_address_function("FPDFPageObj_GetMatrix", _I, _V, _V)
_GET_BOUNDS = _raw_address_function("FPDFPageObj_GetBounds", _I, _V, _V, _V, _V, _V)
_TEXT_OBJECT_TEXT = _raw_address_function("FPDFTextObj_GetText", _UL, _V, _V, _V, _UL)
_TEXT_OBJECT_FONT_SIZE = _raw_address_function("FPDFTextObj_GetFontSize", _I, _V, _V)
_COUNT_SEGMENTS = _raw_address_function("FPDFPath_CountSegments", _I, _V)
_GET_SEGMENT = _raw_address_function("FPDFPath_GetPathSegment", _V, _V, _I)
_SEGMENT_POINT = _raw_address_function("FPDFPathSegment_GetPoint", _I, _V, _V, _V)
_SEGMENT_TYPE = _raw_address_function("FPDFPathSegment_GetType", _I, _V)
_SEGMENT_CLOSE = _raw_address_function("FPDFPathSegment_GetClose", _I, _V)
_GET_FONT = _raw_address_function("FPDFTextObj_GetFont", _V, _V)
_TEXT_RENDER_MODE = _raw_address_function("FPDFTextObj_GetTextRenderMode", _I, _V)
# text drawn invisible (Tr 3): another program's OCR layer over a scan, not what the page shows. Not Tr 7 (a clip
# only): a fill drawn through it shows the text (a gradient or picture filling the letters, as Office's effects do)
_INVISIBLE = frozenset({pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE})
_TEXT, _PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                               pdfium_c.FPDF_PAGEOBJ_FORM)
_GET_DESCENT = _raw_address_function("FPDFFont_GetDescent", _I, _V, ctypes.c_float, _V)
_IS_EMBEDDED = _raw_address_function("FPDFFont_GetIsEmbedded", _I, _V)
_GLYPH_WIDTH = _raw_address_function("FPDFFont_GetGlyphWidth", _I, _V, ctypes.c_uint32, ctypes.c_float, _V)


class _Objects:
    """One walk over a page's objects (and those of its form XObjects): strokes, images, spaces.

    Handles are plain ints here (:func:`_handle`) and PDFium is called through
    :func:`_raw_address_function`: a volume has tens of thousands of objects and path segments.
    """

    def __init__(self, text_page: int, to_page: _DisplayTransform, fonts: _Fonts, with_text: set[int],
                 space_lefts: dict[int, list[float]] | None = None) -> None:
        self.text_page = text_page
        self.to_page = to_page
        self.rules: list[Rule] = []
        self.has_images = False
        self.spaces: list[Glyph] = []
        self.dropped_text = False  # a text object in a non-embedded font is missing from the text page
        self.fonts = fonts
        self.with_text = with_text  # text objects known to have text: not a lone space
        self.space_lefts = space_lefts or {}  # text objects with real spaces: their x in user space
        self._bounds = tuple(ctypes.c_float() for _ in range(4))
        self._matrix = array("f", bytes(24))  # an FS_MATRIX: a, b, c, d, e, f
        self._text = (ctypes.c_ushort * 2)()
        self._size = ctypes.c_float()
        self._point = array("f", (0.0, 0.0))  # a segment's end: x, y

    def walk(self, container: int, outer: Matrix, depth: int) -> None:
        if depth == 0:
            count, get = _COUNT_OBJECTS(container), _GET_OBJECT
        else:
            count, get = _FORM_COUNT_OBJECTS(container), _FORM_GET_OBJECT
        fs = self._matrix
        fs_ref = fs.buffer_info()[0]
        text_ref = ctypes.addressof(self._text)
        get_type, with_text, space_lefts = _GET_TYPE, self.with_text, self.space_lefts
        for i in range(count):
            obj = get(container, i)
            if obj in with_text:  # a text object whose text the text page holds (most objects of a page)
                # PDFium drops a real space drawn as a text object of its own (a font switch
                # around it) and puts a generated one in its place: take it from the object.
                if obj in space_lefts and _GET_MATRIX(obj, fs_ref):
                    self._last_space(obj, _compose(tuple(fs), outer), outer)
                continue
            kind = get_type(obj)
            if kind == _PATH:
                pass
            elif kind == _TEXT:
                size = _TEXT_OBJECT_TEXT(obj, self.text_page, text_ref, 4)  # fills self._text when one character
                if size > 2 and not (size == 4 and self._text[0] in _SPACE_CODES and self._turned(obj, fs_ref)):
                    continue
            elif kind == _IMAGE:
                self.has_images = True
                continue
            elif not (kind == _FORM and depth < _MAX_FORM_DEPTH):
                continue
            if not _GET_MATRIX(obj, fs_ref):
                continue
            m = _compose(tuple(fs), outer)
            if kind == _PATH:
                _path_rules(obj, _compose(m, self.to_page.matrix), self.rules, self._point)
            elif kind == _TEXT:
                font = _GET_FONT(obj)
                if self.fonts.embedded(font):
                    self._space(obj, m, font)
                else:  # its glyphs may just be missing from the substitute font: not surely a space
                    self.dropped_text = True
            else:
                self.walk(obj, m, depth + 1)

    def _turned(self, obj: int, fs_ref: int) -> bool:
        """Whether a text object's text is turned (by the page's /Rotate or its own matrix). A lone
        space on turned text is left out of the text page by PDFium, which puts a space of its own
        elsewhere: a font run between two others, as ``山田 太郎`` is drawn with an embedded subset
        font (the space in its own run), so the walk takes it from the object."""
        if self.to_page.rotation:
            return True
        return bool(_GET_MATRIX(obj, fs_ref)) and bool(self._matrix[1] or self._matrix[2])

    def _space(self, obj: int, m: Matrix, font: int | None, x: float | None = None) -> None:
        """A zero-width space glyph at the origin of an empty-text text object (or at user-space ``x``
        on its baseline), one font size high across the text's baseline, however the text is turned."""
        if not _TEXT_OBJECT_FONT_SIZE(obj, ctypes.addressof(self._size)):
            return
        up = (m[2] ** 2 + m[3] ** 2) ** 0.5
        size = self._size.value * up
        if size <= 0:
            return
        x = m[4] if x is None else x
        ux, uy = m[2] / up * size, m[3] / up * size  # one font size along the glyphs' up direction
        descent = self.fonts.descent(font)
        ax, ay = x + descent * ux, m[5] + descent * uy
        bx, by = ax + ux, ay + uy
        x0, top, x1, bottom_ = self.to_page.box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        self.spaces.append(Glyph(" ", x0, top, x1, bottom_, size))

    def _last_space(self, obj: int, m: Matrix, outer: Matrix) -> None:
        """A text object of spaces only (one font run between two others, several spaces placed
        apart) of which PDFium kept only the first: its bounds end at its last glyph's origin, so
        a space there that the text page lacks is put back."""
        lefts = self.space_lefts[obj]
        if m[1] or m[2] or m[0] <= 0 or outer[1] or outer[2]:  # upright, unturned text only
            return
        buffer = (ctypes.c_ushort * 16)()
        size = _TEXT_OBJECT_TEXT(obj, self.text_page, ctypes.addressof(buffer), ctypes.sizeof(buffer))
        if not 2 < size <= ctypes.sizeof(buffer) or any(c != 0x20 for c in buffer[: size // 2 - 1]):
            return
        if not _GET_BOUNDS(obj, *(ctypes.addressof(v) for v in self._bounds)):
            return
        right = self._bounds[2].value
        x = outer[0] * right + outer[4]  # the bounds are in the object's container (page or form)
        if x - m[4] > 0.5 and all(abs(x - seen) > 0.5 for seen in lefts):
            self._space(obj, m, _GET_FONT(obj), x)


def _map_point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """Point ``(x, y)`` under matrix ``m``."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _map_box(m: Matrix, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the box around the corners of a box under matrix ``m``."""
    xs, ys = zip(*(_map_point(m, x, y) for x in (left, right) for y in (bottom, top)))
    return min(xs), min(ys), max(xs), max(ys)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_rules(obj: int, m: Matrix, rules: list[Rule], point: array) -> None:
    """The axis-parallel straight segments of one path object (closing segments included).

    ``m`` maps the path's coordinates straight to the page's top-left display coordinates;
    ``point`` is an array of two floats to receive a segment's end (:func:`_segments`). This runs
    once per path segment (tens of thousands in a volume), so the drawing of a rule is written out
    twice instead of being a function, and a rule is made with ``tuple.__new__`` (a named tuple's
    own ``__new__`` is a Python call).
    """
    a, b, c, d, e, f = m
    moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    append, new_rule, skew = rules.append, tuple.__new__, MAX_RULE_SKEW
    sx = sy = cx = cy = 0.0  # start of the subpath, current point
    for x, y, kind, close in _segments(obj, point):
        px, py = a * x + c * y + e, b * x + d * y + f
        if kind == moveto:
            sx, sy = px, py
        elif kind == lineto:  # a rule from (cx, cy) to (px, py), unless diagonal
            x0, x1 = (cx, px) if cx <= px else (px, cx)
            top, bottom = (cy, py) if cy <= py else (py, cy)
            if min(x1 - x0, bottom - top) <= skew:
                append(new_rule(Rule, (x0, top, x1, bottom)))
        cx, cy = px, py  # a curve segment moves the pen without drawing a ruling
        if close:  # the closing rule from (cx, cy) back to (sx, sy)
            x0, x1 = (cx, sx) if cx <= sx else (sx, cx)
            top, bottom = (cy, sy) if cy <= sy else (sy, cy)
            if min(x1 - x0, bottom - top) <= skew:
                append(new_rule(Rule, (x0, top, x1, bottom)))
            cx, cy = sx, sy


Segment = tuple[float, float, int, bool]  # a path segment's end (x, y), its FPDF_SEGMENT_* type, whether it closes

# PDFium hands out a path's segments (FPDFPath_GetPathSegment) as pointers into the path's array of
# points (CFX_Path::Point: x and y as floats, a type byte, a close flag): one read of that array
# replaces four calls a segment. The layout is PDFium's own, so it is checked once per process against
# the calls on a real path (stride, points, type codes, close flags) and used only if every value agrees.
_POINT = struct.Struct("ffBB2x")


class _PointLayout:
    """What the check of PDFium's point array found: None unchecked, else its type codes
    (byte → FPDF_SEGMENT_*; empty: the layout is not the one expected, use the calls)."""

    kinds: dict[int, int] | None = None


def _segments(obj: int, point: array) -> list[Segment]:
    """The segments of path ``obj`` whose end PDFium gives, in order."""
    count = _COUNT_SEGMENTS(obj)
    if count < 1:
        return []
    kinds = _PointLayout.kinds
    if kinds:
        first = _GET_SEGMENT(obj, 0)
        # the last segment where the array puts it: this path's points are one array (any build)
        if first and _GET_SEGMENT(obj, count - 1) - first == (count - 1) * _POINT.size:
            out = []
            for x, y, code, close in _POINT.iter_unpack(ctypes.string_at(first, count * _POINT.size)):
                kind = kinds.get(code)
                if kind is None:  # a type the check has not seen (a curve): ask, and learn it
                    break
                out.append((x, y, kind, bool(close)))
            else:
                return out
    segments = _called_segments(obj, count, point)
    if count > 1 and (kinds is None or kinds):
        _check_layout(obj, count, segments)
    return segments


def _called_segments(obj: int, count: int, point: array) -> list[Segment]:
    """:func:`_segments` by four calls a segment (``point``: two floats to receive each end)."""
    x_ref = point.buffer_info()[0]
    y_ref = x_ref + point.itemsize
    get_segment, get_point, get_type, get_close = _GET_SEGMENT, _SEGMENT_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSE
    out = []
    for j in range(count):
        segment = get_segment(obj, j)
        if get_point(segment, x_ref, y_ref):
            x, y = point
            out.append((x, y, get_type(segment), bool(get_close(segment))))
    return out


def _check_layout(obj: int, count: int, called: list[Segment]) -> None:
    """Compare PDFium's point array of path ``obj`` with what the calls gave (``called``); keep the type
    codes if every point agrees, else never read the array."""
    if len(called) != count:
        return  # a segment without a point: nothing to compare this path with
    first, second = _GET_SEGMENT(obj, 0), _GET_SEGMENT(obj, 1)
    kinds = dict(_PointLayout.kinds or {})
    ok = bool(first) and second - first == _POINT.size
    if ok:
        for (x, y, code, close), (cx, cy, kind, closes) in zip(
                _POINT.iter_unpack(ctypes.string_at(first, count * _POINT.size)), called):
            if (x, y, bool(close)) != (cx, cy, closes) or kinds.setdefault(code, kind) != kind:
                ok = False
                break
    if ok and not any(closes for *_, closes in called):
        return  # the close flag's place is unproven by a path that closes none: check the next path
    _PointLayout.kinds = kinds if ok else {}
    if not ok:
        log.debug("PDFium's path points are not laid out as expected; segments read one call at a time")
