"""The per-page OCR decision: which pages go through OCR, and why (logged, and counted).

``--ocr auto`` OCRs only pages whose text layer the reader flagged as unusable;
``always`` OCRs every PDF page; ``never`` none. A page that needs OCR but cannot have it
(``never``, or the OCR dependencies are broken or missing) stays flagged, and the file
becomes ``partial`` with the reason "page N needs OCR".
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from plansheet.errors import OcrUnavailableError
from plansheet.core.model import Page, SourceFormat, SourcePages
from plansheet.parsers.labels import LABEL_TABLE, label_key
from plansheet.settings import OcrMode, Settings

if TYPE_CHECKING:
    from plansheet.readers.ocr.repeats import LabelMemo

log = logging.getLogger(__name__)


def needs_ocr(problem: str | None, mode: OcrMode) -> bool:
    """True when a page with this reader ``problem`` should be OCRed under ``mode``."""
    if mode is OcrMode.ALWAYS:
        return True
    return mode is OcrMode.AUTO and problem is not None


def _capped_resolution(page: Page, settings: Settings) -> str | None:
    """Say so when a page was too large to OCR at ``--dpi`` within the pixel cap."""
    from plansheet.readers.ocr.reader import render_scale

    ocr = settings.ocr
    if not page.width or not page.height:
        return None
    dpi = 72.0 * render_scale(page.width, page.height, ocr.dpi, ocr.max_render_pixels)
    if dpi >= ocr.dpi - 0.5:
        return None
    return (f"is {page.width:.0f}×{page.height:.0f} pt ({page.width / 72:.0f}×{page.height / 72:.0f} in): "
            f"OCRed at {dpi:.0f} dpi instead of {ocr.dpi} to stay within "
            f"{ocr.max_render_pixels / 1e6:.0f} megapixels; small text may be missed")


def repeatable_label(text: str) -> bool:
    """An OCR reading that is a fixed label of the sheet which the grammar would still take for that label
    with a glyph misread: one of the label table's spellings, unnumbered, of four characters or more
    (:func:`plansheet.parsers.labels.match_label` allows one edit from four). A document's later lines
    whose ink repeats such a reading's are given it without reading them (``LabelMemo``)."""
    return label_key(text) in _REPEATABLE


_REPEATABLE = frozenset(spelling for spec in LABEL_TABLE if "no" not in spec.compiled().groupindex
                        for spelling in spec.spellings if len(spelling) >= 4)


def label_memo() -> "LabelMemo":
    """A new memo of label lines for one document's OCR (:mod:`plansheet.readers.ocr.repeats`)."""
    from plansheet.readers.ocr.repeats import LabelMemo

    return LabelMemo(repeatable_label)


def apply_ocr(path: Path, source: SourcePages, settings: Settings) -> tuple[SourcePages, int, list[str]]:
    """Replace the pages that need OCR by their OCR reading; return pages, OCR count, warnings."""
    if source.format is not SourceFormat.PDF:
        return source, 0, []
    pages, warnings, done = [], [], 0
    memo = None
    for page in source.pages:
        if not needs_ocr(page.problem, settings.ocr_mode):
            if page.problem:
                warnings.append(f"page {page.number} needs OCR ({page.problem}); it was not read")
            pages.append(page)
            continue
        reason = page.problem or "--ocr always"
        try:
            from plansheet.readers.ocr.reader import ocr_pdf_page

            log.info("%s: OCR of page %d (%s)", path, page.number, reason)
            memo = memo or label_memo()
            ocr_page = ocr_pdf_page(path, page.number, settings, memo)
        except (ImportError, OcrUnavailableError) as exc:
            log.debug("OCR unavailable", exc_info=True)
            warnings.append(f"page {page.number} needs OCR ({reason}) but OCR is not available "
                            f"({exc})")
            pages.append(page)
            continue
        pages.append(replace(ocr_page, number=page.number))
        done += 1
        if (note := _capped_resolution(ocr_page, settings)) is not None:
            warnings.append(f"page {page.number} {note}")
    return SourcePages(source.format, pages), done, warnings
