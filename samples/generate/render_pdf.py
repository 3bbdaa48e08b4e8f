"""Draw layout pages with reportlab (embedded IPAexGothic, or the non-embedded CID font HeiseiMin-W3)."""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab import rl_config

rl_config.invariant = 1  # reproducible bytes (fixed dates and ids)

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from samples.generate.layout import (  # noqa: E402
    BODY_H, MARGIN_TOP, PAGE_H, PAGE_W, RUBY_SIZE, SUPERSCRIPT_DIGITS, Page, UnfitVariant, measure_rows, raised_runs,
    ruby_room, ruby_runs, struck_spans,
)

IPAEX_PATHS = [
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
]


def register(font: str) -> str:
    """Register ``ipaex`` (embedded TrueType) or ``cid`` (HeiseiMin-W3, not embedded); return its name."""
    if font == "ipaex":
        name = "IPAexGothic"
        if name not in pdfmetrics.getRegisteredFontNames():
            path = next(p for p in IPAEX_PATHS if Path(p).exists())
            pdfmetrics.registerFont(TTFont(name, path))
        return name
    if font == "cid":
        name = "HeiseiMin-W3"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        return name
    raise ValueError(font)


# Code points that share a glyph with an everyday kanji in Japanese fonts: a producer that names
# each glyph by one of its code points (browsers, some Office printers) writes these into the
# text layer. Kangxi radicals come from Unicode's own NFKC data; the CJK Radicals Supplement
# and the Japanese forms of four Kangxi radicals are listed by hand.
_SHARED_GLYPHS: dict[str, list[str]] = {}
for _cp in range(0x2F00, 0x2FD6):
    _SHARED_GLYPHS.setdefault(unicodedata.normalize("NFKC", chr(_cp)), []).append(chr(_cp))
for _kanji, _radical in {"長": "\u2ed1", "青": "\u2ed8", "黄": "\u2ee9", "母": "\u2e9f", "民": "\u2ea0",
                         "西": "\u2ec4", "歯": "\u2eed", "竜": "\u2eef", "亀": "\u2ef2", "戸": "\u2f3e"}.items():
    _SHARED_GLYPHS.setdefault(_kanji, []).append(_radical)
# CJK compatibility ideographs that are canonically the everyday kanji (都 U+FA26 for 都): a CID
# font's ToUnicode map written from Adobe-Japan1 names some JIS2004 glyphs by them
for _cp in range(0xF900, 0xFB00):
    _decomposition = unicodedata.decomposition(chr(_cp))
    if _decomposition and not _decomposition.startswith("<"):
        _SHARED_GLYPHS.setdefault(unicodedata.normalize("NFC", chr(_cp)), []).append(chr(_cp))
# voiced and semi-voiced kana and the combining mark they are written with in decomposed form (NFD)
_DECOMPOSED = {ch: unicodedata.normalize("NFD", ch) for ch in map(chr, range(0x3041, 0x30FF))
               if len(unicodedata.normalize("NFD", ch)) == 2}


@dataclass(frozen=True)
class Hazards:
    """How a hostile PDF producer writes the same page (what other projects' trackers report).

    ``radicals``: every kanji whose glyph a radical code point shares is written as that radical
    (``目`` as ``⽬``, ``長`` as ``⻑``), one choice per kanji for the whole file. ``order``: the
    content-stream order of the cells (``rows`` as read, ``columns`` column by column, or
    ``shuffled``). ``distributed_labels``: one-line label cells drawn in Excel's distributed
    alignment (均等割り付け), their characters spread across the cell. ``rotate``: each landscape
    page stored as a portrait page whose content is turned a quarter, shown upright by ``/Rotate``.
    The shared code points include CJK compatibility ideographs (``福`` U+FA1B for ``福``) where the
    font has their glyph. ``decomposed``: voiced kana written as the kana and a combining mark
    (``か`` U+3099 for ``が``), as text produced on macOS is. ``bold_labels``: each label, title and heading
    drawn twice, the second a quarter point to the right (how Word and Excel print bold in a font
    without a bold face: every character twice in the text layer). ``underlines``: one line in
    five of the value cells underlined (a stroke under the text, inside the cell, as long as the
    line). ``watermark``: a word drawn large, light and turned 30° across the middle of every page,
    over the cells (a draft's 案, a copy's 写). ``glyph_order``: each line of a value cell written one
    glyph at a time, each at its place, in ``reversed`` or ``shuffled`` order (the stream order of a
    producer that positions every glyph on its own). ``page_scale``: the sheet printed at another size:
    ``fit`` shrunk to 70 % and centred on the page (Excel's fit to page of a sheet wider than the
    paper), ``a3`` enlarged 141 % onto A3, ``a3_plain`` at its own size in the top-left corner of A3,
    ``origin`` on a page whose MediaBox does not start at (0, 0) (a cropped or imposed page).
    """

    radicals: bool = False
    order: str = "rows"
    distributed_labels: bool = False
    rotate: int = 0  # 90 or 270: drawn on a portrait page turned by /Rotate, as some printers store landscape
    decomposed: bool = False
    bold_labels: bool = False  # labels drawn twice, a quarter point apart (a bold the font does not have)
    underlines: bool = False  # some lines of value cells underlined for emphasis
    watermark: str = ""  # a word stamped large and turned across every page (「案」, 「写」)
    glyph_order: str = ""  # value lines written a glyph at a time, ``reversed`` or ``shuffled`` (each in its place)
    page_scale: str = ""  # ``fit``, ``a3``, ``a3_plain`` or ``origin``: the sheet printed at another size or place
    seed: str = ""

    def radical_map(self, has_glyph: Callable[[str], bool] = lambda ch: True) -> dict[str, str]:
        """The kanji written as a radical code point, and the code point chosen for each (only
        code points ``has_glyph`` accepts), and each voiced kana decomposed with ``decomposed``."""
        spelled = dict(_DECOMPOSED) if self.decomposed else {}
        if not self.radicals:
            return spelled
        rng = random.Random(f"{self.seed}-radicals")
        for kanji, points in sorted(_SHARED_GLYPHS.items()):
            drawable = sorted(p for p in points if has_glyph(p))
            if drawable:
                spelled[kanji] = rng.choice(drawable)
        return spelled


@dataclass
class Placed:
    """Where a text cell was drawn: page index (0-based) and bbox in pdfplumber coordinates."""
    page: int
    bbox: tuple[float, float, float, float]
    text: str
    role: str | None


def draw_pages(pages: list[Page], out: Path, font: str, title: str,
               hazards: Hazards | None = None) -> list[Placed]:
    """Draw ``pages`` into the PDF ``out``; return where each text cell was drawn (before ``page_scale``
    moves the drawing on its paper).

    ``hazards`` changes only how the text is written into the file (code points, content-stream
    order, spacing), never what a reader of the printed page sees as the cell's text.
    """
    hazards = hazards or Hazards()
    fname = register(font)
    glyphs = getattr(pdfmetrics.getFont(fname).face, "charToGlyph", None)  # an embedded font's cmap
    spelled = str.maketrans(hazards.radical_map(lambda ch: glyphs is None or ord(ch) in glyphs))
    order = random.Random(f"{hazards.seed}-order")
    emphasis = random.Random(f"{hazards.seed}-underlines")
    glyphs_order = random.Random(f"{hazards.seed}-glyph-order")
    measure = lambda s, size: pdfmetrics.stringWidth(s, fname, size)  # noqa: E731
    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("plansheet sample generator")
    c.setCreator("plansheet samples.generate (reportlab)")
    placed: list[Placed] = []
    for pi, page in enumerate(pages):
        total = measure_rows(page, measure)
        if total > BODY_H + 0.01:
            raise UnfitVariant(f"{out.name}: page {pi + 1} ({page.name}) is {total:.0f}pt high, body is {BODY_H:.0f}pt")
        if page.header:
            c.setFont(fname, 8)
            c.drawRightString(PAGE_W - 36, PAGE_H - 24, page.header)
        if page.footer:
            c.setFont(fname, 9)
            c.drawCentredString(PAGE_W / 2, 20, page.footer)
        for text, align, at in page.marks:
            c.setFont(fname, 8)
            _draw_mark(c, text, spelled, align, at, fname)
        c.setLineWidth(0.6)
        sheet = c
        if page.windows:  # a page of a sheet too wide for its paper: the cells of its stretch of the sheet
            c = _Windowed(sheet, page.windows, fname)  # type: ignore[assignment]
        tops = []
        y = PAGE_H - MARGIN_TOP
        for row in page.rows:
            tops.append(y)
            y -= row.height
        cells = [(ri, cell) for ri, row in enumerate(page.rows) for cell in row.cells]
        if hazards.order == "columns":
            cells.sort(key=lambda rc: (rc[1].col, rc[0]))
        elif hazards.order == "shuffled":
            order.shuffle(cells)
        for ri, cell in cells:
            x = page.col_x(cell.col)
            w = page.span_w(cell.col, cell.span)
            top = tops[ri]
            h = sum(r.height for r in page.rows[ri:ri + cell.rowspan])
            if cell.border:
                c.rect(x, top - h, w, h, stroke=1, fill=0)
            if not cell.text:
                continue
            lines = page.lines_of(cell, measure)
            lead, size, pad = page.lead_of(cell), page.size_of(cell), page.style.pad
            if cell.clipped:  # Excel's clipping: the line printed up to the cell's right line, no further
                c.saveState()
                box = c.beginPath()
                box.rect(x, top - h, w, h)
                c.clipPath(box, stroke=0, fill=0)
                if cell.clipped == "cut":  # the text layer holds only the characters that start inside the cell
                    lines = [_started_inside(line, w - pad, lambda s: measure(s, size)) for line in lines]
            c.setFont(fname, size)
            ty = top - pad - ruby_room(page, cell) - size * 0.95
            if ruby_room(page, cell) and len(lines) == 1 and cell.align != "center":
                _draw_ruby(c, lines[0], page.style.ruby, x + pad, ty, fname, size, measure)
            spread = hazards.distributed_labels and cell.kind == "label" and len(lines) == 1
            strokes = (0.0, 0.25) if hazards.bold_labels and cell.kind in ("label", "title", "heading") else (0.0,)
            if cell.struck:  # an old wording struck through (取消線), the new one after it
                for k, (a, b) in enumerate(struck_spans(lines, cell.struck)):
                    if b > a:
                        left = x + pad + measure(lines[k][:a], size)
                        c.line(left, ty - k * lead + size * 0.3, left + measure(lines[k][a:b], size), ty - k * lead + size * 0.3)
            for line in lines:
                if page.style.raised_marks and line.translate(SUPERSCRIPT_DIGITS) != line and cell.align != "center":
                    _draw_raised(c, line, spelled, x + pad, ty, fname, size, measure)  # a superscript as Word prints it
                    ty -= lead
                    continue
                written = line.translate(spelled)
                if hazards.glyph_order and cell.kind == "value" and len(line) > 1:
                    left = x + w / 2 - measure(line, size) / 2 if cell.align == "center" else x + pad
                    _draw_out_of_order(c, line, spelled, left, ty, fname, size, hazards.glyph_order, glyphs_order)
                else:
                    for shift in strokes:
                        _draw_line(c, line, written, spelled, x + shift, w, pad, ty, cell.align,
                                   spread and len(line) > 1, fname, size, measure)
                if hazards.underlines and cell.kind == "value" and line and emphasis.random() < 0.2:
                    length = measure(line, size)
                    left = x + w / 2 - length / 2 if cell.align == "center" else x + pad
                    if length <= w - 2 * pad:  # a line this font sets wider than its cell (wrapped by another font's
                        c.line(left, ty - size * 0.12, left + length, ty - size * 0.12)  # widths) is not underlined
                ty -= lead
            if cell.clipped:
                c.restoreState()
            placed.append(Placed(pi, (x + 0.5, PAGE_H - top + 0.5, x + w - 0.5, PAGE_H - (top - h) - 0.5),
                                 cell.text, cell.role))
        c = sheet
        if hazards.watermark:
            _stamp(c, hazards.watermark, fname)
        c.showPage()
    c.save()
    if hazards.page_scale:
        store_scaled(out, hazards.page_scale)
    if hazards.rotate:
        store_rotated(out, hazards.rotate)
    return placed


class _Windowed:
    """A canvas that prints stretches of a sheet wider than its paper, as Excel prints such a sheet across pages:
    each ``(from x, to x, moved left by)`` window of the sheet's points is drawn moved left; a glyph is printed
    on the page that holds its middle, a ruling line as far as it runs inside a window (a box cut at the page's
    edge is open there). Every other call goes to the canvas as it is."""

    def __init__(self, canvas_: canvas.Canvas, windows: tuple[tuple[float, float, float], ...], fname: str) -> None:
        self._c, self._windows, self._font, self._size = canvas_, windows, fname, 9.0

    def __getattr__(self, name: str) -> object:
        return getattr(self._c, name)

    def setFont(self, name: str, size: float) -> None:  # noqa: N802 (reportlab's name)
        self._font, self._size = name, size
        self._c.setFont(name, size)

    def _window(self, x: float, edge: float = 0.0) -> tuple[float, float, float] | None:
        return next((w for w in self._windows if w[0] - edge <= x < w[1] + edge), None)

    def drawString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        runs: list[tuple[tuple[float, float, float] | None, float, str]] = []  # (window, x, text) of each run
        for ch in text:
            width = pdfmetrics.stringWidth(ch, self._font, self._size)
            window = self._window(x + width / 2)
            if runs and runs[-1][0] is window:
                runs[-1] = (window, runs[-1][1], runs[-1][2] + ch)
            else:
                runs.append((window, x, ch))
            x += width
        for window, at, run in runs:
            if window is not None:
                self._c.drawString(at - window[2], y, run)

    def drawCentredString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self.drawString(x - pdfmetrics.stringWidth(text, self._font, self._size) / 2, y, text)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        if abs(x1 - x2) < 0.01:
            window = self._window(x1, 0.05)
            if window is not None:
                self._c.line(x1 - window[2], y1, x2 - window[2], y2)
            return
        a, b = min(x1, x2), max(x1, x2)
        for lo, hi, dx in self._windows:
            if min(b, hi) > max(a, lo):
                self._c.line(max(a, lo) - dx, y1, min(b, hi) - dx, y2)

    def rect(self, x: float, y: float, w: float, h: float, stroke: int = 1, fill: int = 0) -> None:
        for sx in (x, x + w):
            self.line(sx, y, sx, y + h)
        for sy in (y, y + h):
            self.line(x, sy, x + w, sy)


def _draw_mark(c: canvas.Canvas, text: str, spelled: dict[int, str], align: str, at: float, fname: str) -> None:
    """One line of a page's header or footer, each character as ``spelled`` (the producer writes it as the cells'):
    ``align``ed in the page's margins, ``at`` points below the paper's top (above its bottom when negative), 8 pt."""
    width = pdfmetrics.stringWidth(text, fname, 8)
    x = 36 if align == "left" else PAGE_W - 36 - width if align == "right" else (PAGE_W - width) / 2
    _draw_each(c, text, spelled, x, PAGE_H - at - 8 if at >= 0 else -at, fname, 8)


def _stamp(c: canvas.Canvas, word: str, fname: str) -> None:
    """``word`` drawn large, light grey and turned 30° across the middle of the page."""
    c.saveState()
    c.setFillGray(0.85)
    c.setFont(fname, 96)
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(30)
    c.drawCentredString(0, -30, word)
    c.restoreState()


def _draw_ruby(c: canvas.Canvas, line: str, ruby: tuple[tuple[str, str], ...], x: float, ty: float, fname: str,
               size: float, measure: Callable[[str, float], float]) -> None:
    """Furigana over the words of ``line`` that ``ruby`` reads: small kana centred above each (the line itself
    is drawn as usual)."""
    small = RUBY_SIZE * size
    c.setFont(fname, small)
    for piece, reading in ruby_runs(line, ruby):
        if reading:
            c.drawString(x + (measure(piece, size) - measure(reading, small)) / 2, ty + size * 0.95, reading)
        x += measure(piece, size)
    c.setFont(fname, size)


def _draw_raised(c: canvas.Canvas, line: str, spelled: dict[int, str], x: float, ty: float, fname: str, size: float,
                 measure: Callable[[str, float], float]) -> None:
    """Draw one line whose superscript digits (¹) are small raised digits (58 % high, a third of the size up)."""
    for text, raised in raised_runs(line):
        at = size * 0.58 if raised else size
        c.setFont(fname, at)
        written = text if raised else text.translate(spelled)
        if len(written) != len(text):  # a mark written apart overlays its kana: no advance of its own
            _draw_each(c, text, spelled, x, ty, fname, at)
        else:
            c.drawString(x, ty + (size * 0.33 if raised else 0.0), written)
        x += measure(text, at)
    c.setFont(fname, size)


def _started_inside(line: str, room: float, measure: Callable[[str], float]) -> str:
    """The characters of ``line`` that start within ``room`` points of its start (the last one may end past it)."""
    k = 0
    while k < len(line) and measure(line[:k]) < room:
        k += 1
    return line[:k]


def _draw_line(c: canvas.Canvas, line: str, written: str, spelled: dict[int, str], x: float, w: float, pad: float,
               ty: float, align: str, spread: bool, fname: str, size: float,
               measure: Callable[[str, float], float]) -> None:
    """Draw one line of a cell at ``x`` (the cell's left edge) as the hazards write it."""
    if spread:
        _draw_distributed(c, line, spelled, x + pad, w - 2 * pad, ty, fname, size)
    elif len(written) != len(line):  # a mark written apart overlays its kana: no advance of its own
        left = x + w / 2 - measure(line, size) / 2 if align == "center" else x + pad
        _draw_each(c, line, spelled, left, ty, fname, size)
    elif align == "center":
        c.drawCentredString(x + w / 2, ty, written)
    else:
        c.drawString(x + pad, ty, written)


# page_scale: (content scale, page width and height as multiples of the drawn page's, where the content's
# lower-left corner goes as a share of the room left over (0.5 centres it; 1.0 in y puts it at the top),
# the MediaBox's origin in points)
_PAGE_SCALES = {
    "fit": (0.7, 1.0, 1.0, 0.5, 0.5, (0.0, 0.0)),
    "a3": (2 ** 0.5, 2 ** 0.5, 2 ** 0.5, 0.0, 0.0, (0.0, 0.0)),
    "a3_plain": (1.0, 2 ** 0.5, 2 ** 0.5, 0.0, 1.0, (0.0, 0.0)),
    "origin": (1.0, 1.0, 1.0, 0.0, 0.0, (-36.0, 24.0)),
}


def store_scaled(path: Path, kind: str) -> None:
    """Rewrite ``path`` so that each page shows its drawing at another scale, page size or origin
    (:class:`Hazards` ``page_scale``), as a printer's page setup does. Needs pikepdf."""
    import pikepdf

    scale, wide, high, across, up, (ox, oy) = _PAGE_SCALES[kind]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            w, h = float(page.MediaBox[2]), float(page.MediaBox[3])
            pw, ph = w * wide, h * high
            dx, dy = ox + (pw - w * scale) * across, oy + (ph - h * scale) * up
            page.contents_coalesce()
            content = f"q {scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm\n".encode() + page.Contents.read_bytes() + b"\nQ"
            page.Contents = pikepdf.Stream(pdf, content)
            page.MediaBox = [ox, oy, ox + pw, oy + ph]
        pdf.save(path, deterministic_id=True)


# n_up: (pages a sheet, columns, rows, the sheet's width and height in points): two A4 landscape pages side by
# side on A4 landscape (each at half size), or on A3 landscape (each at 71 %), or four in two rows and columns
N_UP = {"2": (2, 2, 1, 841.89, 595.28), "2a3": (2, 2, 1, 1190.55, 841.89), "4": (4, 2, 2, 841.89, 595.28)}


def store_n_up(path: Path, kind: str) -> None:
    """Rewrite ``path`` with its pages printed several to a sheet (a printer's N-up, ``N_UP``): left to right, then
    top down, each scaled into its share of the sheet and centred there. Needs pikepdf."""
    import pikepdf

    per_sheet, across, down, width, height = N_UP[kind]
    with pikepdf.open(path) as source, pikepdf.new() as out:
        for first in range(0, len(source.pages), per_sheet):
            out.add_blank_page(page_size=(width, height))
            sheet = out.pages[-1]
            for k, page in enumerate(source.pages[first:first + per_sheet]):
                col, row = k % across, k // across
                w, h = width / across, height / down
                x0, y1 = col * w, height - row * h
                sheet.add_overlay(out.copy_foreign(page.as_form_xobject()),
                                  pikepdf.Rectangle(x0 + 6, y1 - h + 6, x0 + w - 6, y1 - 6))
            _name_forms(out, sheet)
        out.save(path.with_suffix(".nup.pdf"), deterministic_id=True)
    path.with_suffix(".nup.pdf").replace(path)


def _name_forms(pdf: object, sheet: object) -> None:
    """Give the pages placed on ``sheet`` of ``pdf`` the names /Fx0, /Fx1 … in their drawing order (pikepdf names
    them at random), so the file's bytes are the same on every run."""
    import pikepdf

    sheet.contents_coalesce()  # type: ignore[attr-defined]
    forms = sheet.Resources.XObject  # type: ignore[attr-defined]
    content = sheet.Contents.read_bytes()  # type: ignore[attr-defined]
    names = sorted(forms.keys(), key=lambda name: content.find(name.encode() + b" Do"))
    renamed = pikepdf.Dictionary({f"/Fx{k}": forms[name] for k, name in enumerate(names)})
    for k, name in enumerate(names):
        content = content.replace(name.encode() + b" Do", f"/Fx{k} Do".encode())
    sheet.Resources.XObject = renamed  # type: ignore[attr-defined]
    sheet.Contents = pikepdf.Stream(pdf, content)  # type: ignore[attr-defined]


def store_rotated(path: Path, rotate: int) -> None:
    """Rewrite ``path`` so that each landscape page is a portrait page whose content is turned a
    quarter, with ``/Rotate`` (90 or 270) turning it upright again for a viewer. Needs pikepdf."""
    import pikepdf

    turn = {90: "0 1 -1 0 {h} 0 cm", 270: "0 -1 1 0 0 {w} cm"}[rotate]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            w, h = float(page.MediaBox[2]), float(page.MediaBox[3])
            page.contents_coalesce()
            content = f"q {turn.format(w=w, h=h)}\n".encode() + page.Contents.read_bytes() + b"\nQ"
            page.Contents = pikepdf.Stream(pdf, content)
            page.MediaBox = [0, 0, h, w]
            page.Rotate = rotate
        pdf.save(path, deterministic_id=True)


def _draw_distributed(c: canvas.Canvas, line: str, spelled: dict[int, str], x: float, width: float, y: float,
                      fname: str, size: float) -> None:
    """Draw ``line`` as Excel's distributed alignment does: first and last character at the
    cell's edges, the others evenly between (each character placed on its own, as ``spelled``)."""
    widths = [pdfmetrics.stringWidth(ch, fname, size) for ch in line]
    gap = (width - sum(widths)) / (len(line) - 1)
    for ch, w in zip(line, widths):
        for piece in ch.translate(spelled):
            c.drawString(x, y, piece)
        x += w + max(gap, 0.0)


def _draw_out_of_order(c: canvas.Canvas, line: str, spelled: dict[int, str], x: float, y: float, fname: str,
                       size: float, order: str, rng: random.Random) -> None:
    """Draw ``line`` a character at a time, each at its own place, in ``reversed`` or ``shuffled`` order."""
    places = []
    for ch in line:
        places.append((x, ch))
        x += pdfmetrics.stringWidth(ch, fname, size)
    if order == "reversed":
        places.reverse()
    else:
        rng.shuffle(places)
    for at, ch in places:
        for piece in ch.translate(spelled):
            c.drawString(at, y, piece)


def _draw_each(c: canvas.Canvas, line: str, spelled: dict[int, str], x: float, y: float, fname: str,
               size: float) -> None:
    """Draw ``line`` character by character from ``x``, each as ``spelled``: the pieces of one
    character (a kana and its combining mark) at that character's place."""
    for ch in line:
        for piece in ch.translate(spelled):
            c.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(ch, fname, size)
