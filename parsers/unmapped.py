"""Glyphs with no character: ``(cid:NN)``, as pdfminer (and our pdfium reader) writes a glyph of a font
without a Unicode map, and U+FFFD, the replacement character.

Neither is part of what the sheet says: the glyph stands there, but which character it is, nothing tells.
Every ``(cid:NN)`` is read as one U+FFFD before the grammar sees a cell (:func:`mark_unmapped`), so a person
still sees where the glyph stands, and its brackets and digits are read as nothing else (``市川 (cid:3456)行``
is one name, not 市川 and a post in brackets). A field holding one is named (:func:`unmapped_fields`); a label
holding one is still that label where the glyph is the only character that differs (:func:`unmapped_labels`).

A private-use code point (U+E000–U+F8FF and the private planes) is the same kind of glyph: a 外字 (gaiji), as
Excel's EUDC or a PDF font stores a rare kanji of a name, drawn by a font of that file or machine; which character
it is, the file does not say. It is kept where it stands, and the field holding it named alike. (The Kangxi
radicals U+2F00– and the CJK compatibility ideographs U+F900– are characters, read as the kanji they draw.)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import regex

from plansheet.core.model import Cell, Page
from plansheet.parsers.labels import match_label
from plansheet.parsers.records import ParsedDocument, text_fields

UNMAPPED = "\ufffd"
CID = regex.compile(r"\(cid:\d+\)")
PRIVATE_USE = regex.compile(r"\p{Co}")  # a 外字: a glyph whose character the file does not say


def _unmark(text: str) -> str:
    return CID.sub(UNMAPPED, text) if "(cid:" in text else text


def mark_unmapped(pages: Sequence[Page]) -> list[Page]:
    """``pages`` with every ``(cid:NN)`` in a cell's text and lines written as one U+FFFD."""
    def cell(c: Cell) -> Cell:
        if "(cid:" not in c.text and not any("(cid:" in line for line in c.lines):
            return c
        return replace(c, text=_unmark(c.text), lines=tuple(_unmark(line) for line in c.lines))

    return [replace(p, cells=tuple(cell(c) for c in p.cells)) if any("(cid:" in c.text or any(
        "(cid:" in line for line in c.lines) for c in p.cells) else p for p in pages]


def unmapped_fields(doc: ParsedDocument) -> list[str]:
    """A warning for each field of ``doc`` holding a glyph with no character (U+FFFD where it stands), naming
    the field and its page (a field of the front sheet, an officer's name: the document's first page)."""
    warnings = []
    for f in text_fields(doc):
        text = getattr(f.owner, f.name) or ""
        private = PRIVATE_USE.findall(text)
        if UNMAPPED not in text and not private:
            continue
        named = f.named if f.page is not None or not doc.pages else \
            f"{f.where} (page {doc.pages[0]})" + ("" if isinstance(f.owner, ParsedDocument) else f" {f.name}")
        if UNMAPPED in text:
            warnings.append(f"{named}: holds {text.count(UNMAPPED)} glyph(s) the file maps to no character (written "
                            f"U+FFFD where it stands: {_around(text, UNMAPPED)!r}); which character, nothing tells: "
                            "check it")
        if private:
            points = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in private}))
            warnings.append(f"{named}: holds {len(private)} private-use character(s) ({points}: a 外字, a glyph drawn "
                            f"from a font's own table, kept where it stands: {_around(text, private[0])!r}); which "
                            "character, the file does not say: check it")
    return warnings


def unmapped_labels(cells: Sequence[Cell]) -> list[str]:
    """A warning for each label text read although it holds a glyph with no character (``所管室�課``), once a page."""
    found: dict[tuple[int, str], tuple[str, int]] = {}
    for c in cells:
        if UNMAPPED in c.text and (m := match_label(c.text, fuzzy=c.confidence is not None)) is not None:
            label, count = found.get((c.page, c.text), (m.label.value, 0))
            found[(c.page, c.text)] = (label, count + 1)
    return [f"page {page}: {text!r} ({count} cell{'s' if count > 1 else ''}) holds a glyph the file maps to no "
            f"character; read as the {label} label, which it is but for that glyph"
            for (page, text), (label, count) in found.items()]


def _around(text: str, glyph: str) -> str:
    """The first ``glyph`` of ``text`` with a few characters either side."""
    k = text.index(glyph)
    return text[max(k - 6, 0):k + 7]
