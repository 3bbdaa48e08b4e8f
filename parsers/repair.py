"""Repairs that use the grammar's knowledge: a grade must be a letter of the document's legend.

Sheets write grades full-width (``Ａ``), in lower case, or with the legend's label or 評価 after
them (``Ａ（達成）``, ``D：未達成``, ``B評価``), in brackets (``（C）``), or as the legend's own word for
the grade alone (``一部達成``, C's label in that sheet's legend): :func:`repair_grade` reads all of these as the
legend's letter in every format. A letter followed by another letter (``A・B``, ``B（C）``) is two
grades, not one: it is left as written, for validation to empty and name. OCR engines also confuse
grade letters with look-alikes (``8`` for B, Cyrillic ``В``/``С``/``Е``, ``0``/``O`` for D): those
are mapped only on OCR'd text (``ocr=True``); in a text layer, an export or a workbook ``F``, ``4``
or ``0`` is what the sheet says, and not a grade of an A–E legend.
"""
from __future__ import annotations

import unicodedata

import regex

from plansheet.core.text import to_halfwidth
from plansheet.parsers.records import GradeBand, ParsedDocument, legend_letters

_LOOKALIKES = {"8": "B", "В": "B", "ß": "B", "С": "C", "(": "C", "Е": "E", "F": "E", "А": "A", "4": "A",
               "0": "D", "O": "D", "Ｄ": "D", "口": "D"}
# a grade, then its label or 評価 (no second grade letter after it: A・B and B（C） are two grades)
_LEADING_LETTER = regex.compile(r"^([A-Z])(?:[\s(（:：・]|評価|$)(?!.*[A-Z])")
# a grade letter alone in brackets: (C), （Ｃ）, [C], 【C】
_BRACKETED_LETTER = regex.compile(r"^[(\[【〔]([A-Z])[)\]】〕]$")
_WORD_DROP = regex.compile(r"[\s()\[\]【】〔〕「」]")


def _word_key(text: str) -> str:
    """A grade word as the legend and a grade cell may both write it: NFKC, no spaces or brackets."""
    return _WORD_DROP.sub("", unicodedata.normalize("NFKC", text))


def grade_words(bands: list[GradeBand]) -> dict[str, str]:
    """The legend's own word for each grade (its label: 一部達成 for C), as a key of :func:`_word_key` → the
    letter; a word two grades share names neither."""
    seen: dict[str, set[str]] = {}
    for band in bands:
        if band.label and _word_key(band.label):
            seen.setdefault(_word_key(band.label), set()).add(band.grade)
    return {word: grades.pop() for word, grades in seen.items() if len(grades) == 1}


def grade_of_word(text: str, words: dict[str, str]) -> str | None:
    """The grade letter a cell written in the legend's own word for it stands for (一部達成, （一部達成）), or ``None``."""
    return words.get(_word_key(text)) if text else None


def repair_grade(text: str | None, allowed: set[str], ocr: bool = False,
                 words: dict[str, str] | None = None) -> str | None:
    """``text`` as one of the ``allowed`` grade letters where it can be read as one: the letter, in brackets
    (``（C）``), or the legend's own word for it (``words``, :func:`grade_words`: 一部達成 for C); the look-alikes
    of a letter (``8``, ``0``, ``F`` …) only where ``ocr`` (the cell was OCR'd)."""
    if text is None:
        return None
    value = regex.sub(r"\s", "", to_halfwidth(text)).upper()
    if value in allowed:
        return value
    bracketed = _BRACKETED_LETTER.match(value)
    if bracketed and bracketed.group(1) in allowed:
        return bracketed.group(1)
    worded = grade_of_word(text, words or {})
    if worded in allowed:
        return worded
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
    words = grade_words(doc.grade_scale)
    for goal in doc.goals:
        goal.overall_grade = repair_grade(goal.overall_grade, allowed, ocr=goal.confidence is not None, words=words)
        for target in goal.targets:
            target.grade = repair_grade(target.grade, allowed, words=words,
                                        ocr=target.confidence is not None or goal.confidence is not None)
