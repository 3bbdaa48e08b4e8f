"""Repairs that use the grammar's knowledge: a grade must be a letter of the document's legend.

OCR engines confuse grade letters with look-alikes (``8`` for B, Cyrillic ``В``/``С``/``Е``,
``0``/``O`` for D), and sheets write grades full-width (``Ａ``) or with the legend's label
after them (``Ａ（達成）``). :func:`repair_grade` maps all of these onto the legend's letters
and leaves anything else as read, for validation to flag.
"""
from __future__ import annotations

import regex

from plansheet.core.text import to_halfwidth
from plansheet.parsers.records import ParsedDocument, legend_letters

_LOOKALIKES = {"8": "B", "В": "B", "ß": "B", "С": "C", "(": "C", "Е": "E", "F": "E", "А": "A", "4": "A",
               "0": "D", "O": "D", "Ｄ": "D", "口": "D"}
_LEADING_LETTER = regex.compile(r"^([A-Z])(?:[\s(（:：・]|評価|$)")


def repair_grade(text: str | None, allowed: set[str]) -> str | None:
    """``text`` as one of the ``allowed`` grade letters where it can be read as one."""
    if text is None:
        return None
    value = regex.sub(r"\s", "", to_halfwidth(text)).upper()
    if value in allowed:
        return value
    if len(value) == 1 and _LOOKALIKES.get(value) in allowed:
        return _LOOKALIKES[value]
    m = _LEADING_LETTER.match(value)
    if m and m.group(1) in allowed:
        return m.group(1)
    return value or None


def repair_grades(doc: ParsedDocument, default: tuple[str, ...]) -> None:
    """Map every target grade and overall grade of ``doc`` onto its legend's letters."""
    allowed = legend_letters(doc.grade_scale) or set(default)
    for goal in doc.goals:
        goal.overall_grade = repair_grade(goal.overall_grade, allowed)
        for target in goal.targets:
            target.grade = repair_grade(target.grade, allowed)
