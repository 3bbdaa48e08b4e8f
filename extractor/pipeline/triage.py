"""Cheap checks before any real work: what kind of file is this, and can it be read at all?

Each refusal is a :class:`TriageError` whose message names the file and what to do
(``encrypted PDF: needs a password (use --password)``), so the ``sources`` row tells the
operator everything. PDFs are opened with pypdfium2, which is fast and strict, to count
pages and catch encryption, corruption and absurd page sizes (decompression bombs).
"""
from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

import regex

from plansheet.errors import ArchiveError, TriageError
from plansheet.core.model import SourceFormat
from plansheet.pipeline.office_files import OFFICE_SUFFIXES, office_fix, office_kind
from plansheet.settings import Settings

TEXT_SUFFIXES = {".txt", ".tsv", ".text"}
CSV_SUFFIXES = {".csv"}
HTML_SUFFIXES = {".htm", ".html", ".xls"}  # old council sites save sheets as HTML named .xls
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | WORKBOOK_SUFFIXES | PDF_SUFFIXES
# archives of files: never read, but a folder walk lists them, so that each gets a line and a sources row
ARCHIVE_SUFFIXES = {".zip": "ZIP", ".7z": "7-Zip", ".rar": "RAR", ".lzh": "LZH", ".lha": "LZH", ".tar": "tar",
                    ".tgz": "gzip", ".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "Zstandard", ".cab": "cabinet"}
WALKED_SUFFIXES = SUPPORTED_SUFFIXES | set(ARCHIVE_SUFFIXES) | OFFICE_SUFFIXES
_ARCHIVE_SIGNATURES = {b"PK\x03\x04": "ZIP", b"PK\x05\x06": "ZIP", b"7z\xbc\xaf\x27\x1c": "7-Zip",
                       b"Rar!\x1a\x07": "RAR", b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz",
                       b"\x28\xb5\x2f\xfd": "Zstandard", b"MSCF": "cabinet"}
_OLE = b"\xd0\xcf\x11\xe0"
_SIGNATURES = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
               b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image",
               _OLE: "an old Office (.xls/.doc) file"}
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")  # a stream of a password-protected .xlsx
_HTML_START = regex.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table)\b",
                            regex.IGNORECASE | regex.DOTALL)


class TextKind(str, Enum):
    """Which reader a text file goes to: a tab-separated export, a CSV export or an HTML table."""

    TAB = "tab"
    CSV = "csv"
    HTML = "html"


@dataclass(frozen=True)
class Triaged:
    """A file that passed triage: its bytes' hash, its kind and (for PDFs) its page count.

    ``text_kind`` says which text reader a ``txt`` source goes to.
    """

    path: Path
    sha256: str
    format: SourceFormat
    page_count: int | None
    data: bytes
    text_kind: TextKind = TextKind.TAB


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))
    return next((what for test, what in kinds if test(mode)), "not a regular file")


@contextmanager
def open_regular_file(path: Path) -> Iterator[BinaryIO]:
    """``path`` open for reading if it is a regular file; :class:`TriageError` at once for anything else.

    The file is opened without blocking and checked on the open descriptor, so a FIFO, a
    device or a socket is refused before a single byte is awaited. A read error inside the
    ``with`` block is a :class:`TriageError` too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise TriageError(f"{path}: {_kind_of(mode)}, not a regular file; only regular files are read")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            yield fh
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (see :func:`open_regular_file`)."""
    with open_regular_file(path) as fh:
        return fh.read()


def triage(path: Path, settings: Settings) -> Triaged:
    """Read ``path`` once, hash it and decide its kind; raise :class:`TriageError` when it cannot be read."""
    data = read_regular_file(path)
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _triaged(path, data, sha, settings)
    except (TriageError, ArchiveError) as exc:
        exc.sha256 = sha  # refused, but read: its bytes' hash goes in its sources row
        raise


def _triaged(path: Path, data: bytes, sha: str, settings: Settings) -> Triaged:
    """The kind of the bytes ``data`` read from ``path``; :class:`TriageError` when plansheet cannot read them."""
    if not data:
        raise TriageError(f"{path}: empty file (0 bytes); re-download it")
    if b"%PDF-" in data[:1024]:
        return Triaged(path, sha, SourceFormat.PDF, _check_pdf(path, data, settings), data)
    if data.startswith(b"PK\x03\x04") and _is_workbook(path, data, settings):
        return Triaged(path, sha, SourceFormat.XLSX, None, data)
    if data.startswith(_OLE) and _ENCRYPTED_OOXML in data:
        raise TriageError(f"{path}: a password-protected workbook; open it in Excel, remove the password "
                          "(File → Info → Protect Workbook) and save it again")
    if office := office_kind(data):
        raise TriageError(f"{path}: {office_fix(office)}")
    if archive := _archive_kind(path, data):
        raise ArchiveError(f"{path}: a {archive} archive, not a sheet: unpack it and convert the folder")
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            hint = "; open it in Excel and save it as .xlsx" if signature == _OLE else ""
            raise TriageError(f"{path}: this is {what}, not a PDF, .xlsx workbook or text export{hint}")
    if path.suffix.lower() in PDF_SUFFIXES and not _HTML_START.match(data[:4096]):
        # an HTML page named .pdf (a sheet saved as a web page, or a site's answer saved under the link's name) is
        # read by its content, as one named .xls is
        raise TriageError(f"{path}: no %PDF- signature; the file is not a PDF (truncated download or wrong type?)")
    return Triaged(path, sha, SourceFormat.TXT, None, data, _text_kind(path, data))


def is_html_page(path: Path) -> bool:
    """Whether the file at ``path`` starts as an HTML page does (False if it cannot be read)."""
    try:
        with open_regular_file(path) as fh:
            return bool(_HTML_START.match(fh.read(4096)))
    except TriageError:
        return False


_SHEET_WORDS = ("運営方針", "重点目標", "重点課題", "達成目標")  # a sheet's title and headings
SNIFFED_BYTES = 4096


def sniffed_sheet(path: Path) -> bool:
    """Whether a file whose name says nothing of its kind (no suffix, ``.dat``) starts as a sheet plansheet reads
    or names: a PDF, an HTML page, a workbook or office package, or text (in an encoding plansheet reads) holding
    a sheet's title or headings (運営方針, 重点目標, 重点課題, 達成目標) in its first 4 KB. False if it cannot be read."""
    from plansheet.readers.encodings import decode_japanese

    try:
        with open_regular_file(path) as fh:
            head = fh.read(SNIFFED_BYTES)
    except TriageError:
        return False
    if b"%PDF-" in head[:1024] or _HTML_START.match(head):
        return True
    if head.startswith((b"PK\x03\x04", _OLE)):
        return b"xl/" in head or b"word/" in head or b"mimetype" in head[:100] or head.startswith(_OLE)
    try:
        text = decode_japanese(head, str(path)).text
    except TriageError:
        return False
    return any(word in text for word in _SHEET_WORDS)


def _archive_kind(path: Path, data: bytes) -> str | None:
    """The kind of archive ``data`` is (by its signature, else by its name), None when it is none."""
    for signature, kind in _ARCHIVE_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    if data[2:5] in (b"-lh", b"-lz"):
        return "LZH"
    if data[257:262] == b"ustar":
        return "tar"
    return ARCHIVE_SUFFIXES.get(path.suffix.lower())


def _text_kind(path: Path, data: bytes) -> TextKind:
    """HTML by its content (whatever the name), CSV by its suffix, else a tab-separated export."""
    if _HTML_START.match(data[:4096]):
        return TextKind.HTML
    if path.suffix.lower() in CSV_SUFFIXES:
        return TextKind.CSV
    return TextKind.TAB


_UNPARSED_PARTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin")


def _is_workbook(path: Path, data: bytes, settings: Settings) -> bool:
    """Whether ``data`` is an .xlsx workbook; :class:`TriageError` for one whose parts to read unpack to more than
    ``settings.max_workbook_mb`` (a sheet's workbook unpacks to well under a megabyte; a ZIP bomb of a few
    megabytes to gigabytes, which the workbook reader would hold in memory cell by cell: about 57 MB of memory
    a megabyte of worksheet XML)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        if _workbook_parts_named(path, data):  # a workbook's bytes whose ZIP directory (at the end) is missing
            raise TriageError(f"{path}: corrupt or truncated .xlsx workbook (its ZIP directory is missing or cut "
                              "short); re-download it") from exc
        return False
    if not any(part.filename == "xl/workbook.xml" for part in parts):
        return False
    # what the reader may parse (pictures and binary blobs it leaves packed are not counted, whatever a part's
    # name: a worksheet may be stored as sheet1.dat): what zipfile will inflate at most, as it stops at the stated size
    parsed = [part for part in parts if not part.filename.lower().endswith(_UNPARSED_PARTS)]
    unpacked = sum(part.file_size for part in parsed)
    if unpacked > settings.max_workbook_mb * 2 ** 20:
        largest = max(parsed, key=lambda part: part.file_size)
        raise TriageError(f"{path}: the workbook unpacks to {unpacked / 2 ** 20:,.0f} MB of parts to read "
                          f"({largest.filename}: {largest.file_size / 2 ** 20:,.0f} MB), over the limit of "
                          f"{settings.max_workbook_mb} MB (a management sheet's workbook unpacks to well under 1 MB): "
                          "not a sheet, or a ZIP bomb")
    return True


def _workbook_parts_named(path: Path, data: bytes) -> bool:
    """Whether a ZIP that cannot be opened is a workbook: named .xlsx/.xlsm, or its first entries (each ZIP entry
    starts with its name) are a workbook's parts ([Content_Types].xml, xl/…)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or b"xl/" in data[:4096]


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
