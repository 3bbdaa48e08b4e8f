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

from plansheet.errors import OcrUnavailableError
from plansheet.core.model import Page, SourceFormat, SourcePages
from plansheet.settings import OcrMode, Settings

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


def apply_ocr(path: Path, source: SourcePages, settings: Settings) -> tuple[SourcePages, int, list[str]]:
    """Replace the pages that need OCR by their OCR reading; return pages, OCR count, warnings."""
    if source.format is not SourceFormat.PDF:
        return source, 0, []
    pages, warnings, done = [], [], 0
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
            ocr_page = ocr_pdf_page(path, page.number, settings)
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
