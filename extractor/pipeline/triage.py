"""Cheap checks before any real work: what kind of file is this, and can it be read at all?

Each refusal is a :class:`TriageError` whose message names the file and what to do
(``encrypted PDF: needs a password (use --password)``), so the ``sources`` row tells the
operator everything. PDFs are opened with pypdfium2, which is fast and strict, to count
pages and catch encryption, corruption and absurd page sizes (decompression bombs).
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from plansheet.errors import TriageError
from plansheet.core.model import SourceFormat
from plansheet.settings import Settings

TEXT_SUFFIXES = {".txt", ".tsv", ".text"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES | PDF_SUFFIXES
_SIGNATURES = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
               b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image", b"\xd0\xcf\x11\xe0": "an old Office (.xls/.doc) file",
               b"PK\x03\x04": "a ZIP archive"}


@dataclass(frozen=True)
class Triaged:
    """A file that passed triage: its bytes' hash, its kind and (for PDFs) its page count."""

    path: Path
    sha256: str
    format: SourceFormat
    page_count: int | None
    data: bytes


def triage(path: Path, settings: Settings) -> Triaged:
    """Read ``path`` once, hash it and decide its kind; raise :class:`TriageError` when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise TriageError(f"{path}: empty file (0 bytes); re-download it")
    if b"%PDF-" in data[:1024]:
        return Triaged(path, sha, SourceFormat.PDF, _check_pdf(path, data, settings), data)
    if data.startswith(b"PK\x03\x04") and _is_workbook(data):
        return Triaged(path, sha, SourceFormat.XLSX, None, data)
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise TriageError(f"{path}: this is {what}, not a PDF, .xlsx workbook or text export")
    if path.suffix.lower() in PDF_SUFFIXES:
        raise TriageError(f"{path}: no %PDF- signature; the file is not a PDF (truncated download or wrong type?)")
    return Triaged(path, sha, SourceFormat.TXT, None, data)


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _check_pdf(path: Path, data: bytes, settings: Settings) -> int:
    import pypdfium2 as pdfium

    from plansheet.readers.pdf.pdfium import open_error

    try:
        pdf = pdfium.PdfDocument(data, password=settings.password)
    except pdfium.PdfiumError as exc:
        raise open_error(str(path), exc, settings.password) from exc
    try:
        count = len(pdf)
        if count == 0:
            raise TriageError(f"{path}: the PDF has no pages")
        if count > settings.max_pages:
            raise TriageError(f"{path}: {count} pages is over the limit of {settings.max_pages} "
                              f"(raise it with --max-pages if the file is genuine)")
        for index in range(count):
            width, height = pdf.get_page_size(index)
            if max(width, height) > settings.max_page_side_pt:
                raise TriageError(f"{path}: page {index + 1} is {width:.0f}×{height:.0f} pt, "
                                  f"over the {settings.max_page_side_pt:.0f} pt limit")
        return count
    finally:
        pdf.close()
