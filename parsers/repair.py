"""Repairs that use the grammar's knowledge: a grade must be a letter of the document's legend.

Sheets write grades full-width (``Ａ``), in lower case, or with the legend's label or 評価 after
them (``Ａ（達成）``, ``D：未達成``, ``B評価``): :func:`repair_grade` reads all of these as the
legend's letter in every format. A letter followed by another letter (``A・B``, ``B（C）``) is two
grades, not one: it is left as written, for validation to empty and name. OCR engines also confuse
grade letters with look-alikes (``8`` for B, Cyrillic ``В``/``С``/``Е``, ``0``/``O`` for D): those
are mapped only on OCR'd text (``ocr=True``); in a text layer, an export or a workbook ``F``, ``4``
or ``0`` is what the sheet says, and not a grade of an A–E legend.
"""
from __future__ import annotations

import regex

from plansheet.core.text import to_halfwidth
from plansheet.parsers.records import ParsedDocument, legend_letters

_LOOKALIKES = {"8": "B", "В": "B", "ß": "B", "С": "C", "(": "C", "Е": "E", "F": "E", "А": "A", "4": "A",
               "0": "D", "O": "D", "Ｄ": "D", "口": "D"}
# a grade, then its label or 評価 (no second grade letter after it: A・B and B（C） are two grades)
_LEADING_LETTER = regex.compile(r"^([A-Z])(?:[\s(（:：・]|評価|$)(?!.*[A-Z])")


def repair_grade(text: str | None, allowed: set[str], ocr: bool = False) -> str | None:
    """``text`` as one of the ``allowed`` grade letters where it can be read as one; the look-alikes
    of a letter (``8``, ``0``, ``F`` …) only where ``ocr`` (the cell was OCR'd)."""
    if text is None:
        return None
    value = regex.sub(r"\s", "", to_halfwidth(text)).upper()
    if value in allowed:
        return value
    if ocr and len(value) == 1 and _LOOKALIKES.get(value) in allowed:
        return _LOOKALIKES[value]
    m = _LEADING_LETTER.match(value)
    if m and m.group(1) in allowed:
        return m.group(1)
    return value or None


def repair_grades(doc: ParsedDocument, default: tuple[str, ...]) -> None:
    """Map every target grade and overall grade of ``doc`` onto its legend's letters (look-alikes
    on an OCR'd goal sheet only)."""
    allowed = legend_letters(doc.grade_scale) or set(default)
    for goal in doc.goals:
        goal.overall_grade = repair_grade(goal.overall_grade, allowed, ocr=goal.confidence is not None)
        for target in goal.targets:
            target.grade = repair_grade(target.grade, allowed,
                                        ocr=target.confidence is not None or goal.confidence is not None)
