"""A grade's gloss: the legend's label of a grade written in brackets under its letter (``C`` ⏎ ``（一部達成）``).

A text export writes each line of a two-line cell on a line of its own: a grade cell's second line stands at the start
of the next line, under the 達成状況 column, and would be read as the status's last line. A line that is a bracket
alone, right under the line of the grade's letter, holding a label of the legend, is the grade cell's gloss: it is
taken off the status (the grade is its letter, as ``C（一部達成）`` in one cell is read).
"""
from __future__ import annotations

import regex

from plansheet.core.text import clean_text, to_halfwidth
from plansheet.parsers.labels import Label
from plansheet.parsers.layout import Token
from plansheet.parsers.records import GradeBand, Target

_BRACKETED = regex.compile(r"^\s*[（(](?P<words>[^（）()]+)[）)]\s*$")
_LETTER = regex.compile(r"^\s*[A-Za-zＡ-Ｚａ-ｚ]\s*$")


def grade_beside(status: Token, tokens: list[Token]) -> Token | None:
    """The 達成度 label standing right of ``status``'s 達成状況 label in its row (the first one to its right)."""
    row = [t for t in tokens if t.label is not None and t.label.label is Label.GRADE
           and (t.cell.page, t.cell.row) == (status.cell.page, status.cell.row) and t.cell.col > status.cell.col]
    return min(row, key=lambda t: t.cell.col, default=None)


def gloss_under_grade(status: Token, grade: Token | None) -> str | None:
    """``status``'s last line when it is a bracket alone on the line right under the line of ``grade``'s one
    letter, in a text export (no boxes): maybe the grade cell's second line; its words decide
    (:func:`take_glosses`)."""
    lines = [v for v in status.values if v.text.strip()]
    marks = [v for v in grade.values if v.text.strip()] if grade is not None else []
    if not lines or len(marks) != 1 or any(v.cell.bbox is not None for v in lines + marks):
        return None
    last, mark = lines[-1], marks[0]
    if (last.cell.page, last.cell.row) != (mark.cell.page, mark.cell.row + 1) or last.cell.col > mark.cell.col:
        return None
    return clean_text(last.text) if _LETTER.match(mark.text) and _BRACKETED.match(last.text) else None


def take_glosses(glosses: list[tuple[Target, str]], scale: list[GradeBand], goal_no: int) -> list[str]:
    """Take each gloss line that holds a label of the legend off the end of its target's status; one holding
    another grade's label than the target's is named (the grade is kept as its letter says)."""
    labels = {to_halfwidth(b.grade): clean_text(b.label) for b in scale}
    warnings = []
    for target, line in glosses:
        words = clean_text(_BRACKETED.match(line)["words"])  # type: ignore[index]
        if target.status is None or not target.status.endswith(line) or words not in labels.values():
            continue
        target.status = clean_text(target.status[:-len(line)])
        grade = to_halfwidth(target.grade or "").upper()
        if labels.get(grade) != words:
            named = [g for g, label in labels.items() if label == words]
            warnings.append(f"goal {goal_no} target {target.target_no} (page {target.page}) grade: the line "
                            f"{line!r} under its grade {grade!r} is the legend's label of grade {named[0]}; "
                            f"kept {grade!r}, as the letter says")
    return warnings
