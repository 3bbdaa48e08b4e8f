"""The pdfplumber (pdfminer) backend of the PDF reader: the reference the PDFium one is tested against.

It supplies each page's characters, straight strokes (lines, rectangle edges, the
axis-parallel segments of curves) and whether it holds images, as a
:class:`~plansheet.readers.pdf.grid.PageContent`; :mod:`plansheet.readers.pdf.reader` builds the
cells. Coordinates are pdfplumber's: points from the top-left corner of the media box.
pdfminer's exceptions become :class:`PlansheetError`.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any, Iterable

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber import utils
from pdfplumber.utils.exceptions import PdfminerException

from plansheet.errors import EncryptedPdfError, PlansheetError, TriageError
from plansheet.core.geometry import MAX_RULE_SKEW
from plansheet.core.model import Rule
from plansheet.readers.pdf.grid import Glyph, PageContent, off_axis, upright_turn

log = logging.getLogger(__name__)



class PdfplumberDocument:
    """An open PDF; use as a context manager. :meth:`read` parses one page and closes it."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        try:
            self._pdf = pdfplumber.open(path, password=password or "")
        except PdfminerException as exc:
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise EncryptedPdfError.for_file(path.name, password) from exc
            raise TriageError(
                f"{path.name}: corrupt or truncated PDF ({type(cause).__name__}: {cause}); re-download it"
            ) from exc
        except OSError as exc:
            raise TriageError(f"{path.name}: cannot open the file ({exc})") from exc
        try:
            self._pages = self._pdf.pages
        except PdfminerException as exc:
            self._pdf.close()
            cause = exc.args[0] if exc.args else exc
            raise TriageError(f"{path.name}: the page tree is damaged ({cause})") from exc

    def __enter__(self) -> "PdfplumberDocument":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pdf.close()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def read(self, index: int) -> PageContent:
        """The content of page ``index`` (0-based)."""
        page = self._pages[index]
        try:
            return page_content(page)
        except PdfminerException as exc:
            cause = exc.args[0] if exc.args else exc
            log.debug("pdfminer failed on %s page %d", self.path, index + 1, exc_info=True)
            raise PlansheetError(
                f"{self.path.name}: page {index + 1} cannot be read "
                f"({type(cause).__name__}: {cause}); the PDF is damaged, re-export or print it again"
            ) from exc
        finally:
            page.close()  # drop the parsed objects: memory stays flat on long files


def page_content(page: Any) -> PageContent:
    """Glyphs, strokes and the image flag of one pdfplumber page."""
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    chars = [c for c in page.chars if not (c.get("matrix") and off_axis(_angle(c)))]  # stamps drawn aslant: not the sheet
    return PageContent(
        number=int(page.page_number),
        width=float(page.width),
        height=float(page.height),
        glyphs=[_glyph(c, x_off, y_off) for c in chars],
        rules=list(_rules(page, x_off, y_off)),
        has_images=bool(page.images) if not chars else False,  # only asked when there is no text
        turn=upright_turn(_char_angles(chars), 0),  # pdfminer's char matrices already include /Rotate
    )


def _angle(char: dict[str, Any]) -> float:
    """The character's baseline direction (degrees, counter-clockwise as the page is shown)."""
    return math.degrees(math.atan2(char["matrix"][1], char["matrix"][0]))


def _char_angles(chars: list[dict[str, Any]], sample: int = 400) -> list[float]:
    """Baseline directions (degrees, counter-clockwise as the page is shown) of up to ``sample`` characters."""
    step = max(1, len(chars) // sample)
    return [_angle(c) for c in chars[::step] if c.get("matrix") and c["text"].strip()]


def _glyph(char: dict[str, Any], x_off: float, y_off: float) -> Glyph:
    return Glyph(
        text=char["text"],
        x0=float(char["x0"]) - x_off,
        top=float(char["top"]) - y_off,
        x1=float(char["x1"]) - x_off,
        bottom=float(char["bottom"]) - y_off,
        size=float(char.get("size") or (char["bottom"] - char["top"])),
    )


def _rules(page: Any, x_off: float, y_off: float) -> Iterable[Rule]:
    """Straight strokes of the page: lines, rectangle sides, axis-parallel curve segments."""
    boxes = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines]
    boxes += [(e["x0"], e["top"], e["x1"], e["bottom"]) for r in page.rects for e in utils.rect_to_edges(r)]
    boxes += [
        (e["x0"], e["top"], e["x1"], e["bottom"])
        for c in page.curves for e in utils.curve_to_edges(c) if e["orientation"] in ("h", "v")
    ]
    for x0, top, x1, bottom in boxes:
        if min(x1 - x0, bottom - top) <= MAX_RULE_SKEW:  # diagonal strokes are not rulings
            yield Rule(float(x0) - x_off, float(top) - y_off, float(x1) - x_off, float(bottom) - y_off)
