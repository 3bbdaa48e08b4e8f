"""Office files plansheet does not read, named for what they are, with what to do (REVIEW6 Y15).

An OpenDocument spreadsheet (``.ods``, LibreOffice Calc's own format), an OpenDocument text (``.odt``)
and a Word document (``.docx``, or an old ``.doc``) are ZIP or OLE containers; calling them "a ZIP archive:
unpack it" sends the operator to XML parts that are never a sheet. Each is told by its content, whatever
its name: an OpenDocument package by its ``mimetype`` entry, a Word package by its ``word/document.xml``
part, an old Word file by its ``WordDocument`` stream.
"""
from __future__ import annotations

import io
import zipfile

# suffixes a folder walk lists, so that each such file gets a line and a sources row
OFFICE_SUFFIXES = {".ods", ".odt", ".docx", ".docm", ".doc"}

_ODF = {"application/vnd.oasis.opendocument.spreadsheet": "ods", "application/vnd.oasis.opendocument.text": "odt"}
_FIXES = {
    "ods": "an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx (LibreOffice Calc: "
           "File → Save As…, Excel 2007-365) and convert that",
    "odt": "an OpenDocument text (.odt), not a sheet plansheet reads: export it as PDF (LibreOffice Writer: "
           "File → Export as PDF) and convert that",
    "docx": "a Word document (.docx), not a sheet plansheet reads: save it as PDF (Word: File → Save As…, PDF) "
            "and convert that",
    "doc": "an old Word document (.doc), not a sheet plansheet reads: open it in Word, save it as PDF "
           "and convert that",
}
_OLE = b"\xd0\xcf\x11\xe0"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def office_kind(data: bytes) -> str | None:
    """Which unread office format ``data`` is (a key of the fixes), None when it is none of them."""
    if data.startswith(b"PK\x03\x04"):
        return _package_kind(data)
    if data.startswith(_OLE):
        return "doc" if _WORD_STREAM in data else None
    return None


def office_fix(kind: str) -> str:
    """What a file of ``kind`` is, and what to do with it (one clause of a ``sources`` error)."""
    return _FIXES[kind]


def _package_kind(data: bytes) -> str | None:
    """An OpenDocument or Word package's kind, by its ``mimetype`` entry or its parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                with package.open("mimetype") as entry:  # 100 bytes at most, whatever its stated size
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                # a template (…spreadsheet-template) is the same kind of file
                return next((kind for prefix, kind in _ODF.items() if mimetype.startswith(prefix)), None)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return "docx" if "word/document.xml" in names else None
