"""What a spreadsheet prints in a cell in place of its value: the value is not on the page.

Excel (and LibreOffice Calc) fill a cell with ``###`` when a number or a date is too wide for
its column, and print a formula's error code (``#DIV/0!``, ``#N/A`` …) where its result would
stand. A person reading the printed sheet reads no value there; neither does the grammar: the
field is left empty and a warning names it.
"""
from __future__ import annotations

import regex

from plansheet.parsers.records import ParsedDocument, record_name, text_fields

# the error codes a formula prints in its cell, and what each says went wrong
FORMULA_ERRORS = {
    "#DIV/0!": "a formula's error: a division by zero",
    "#VALUE!": "a formula's error: a value of the wrong type",
    "#N/A": "a formula's error: no value found",
    "#REF!": "a formula's error: a reference to a deleted cell",
    "#NAME?": "a formula's error: an unknown name",
    "#NUM!": "a formula's error: an impossible number",
    "#NULL!": "a formula's error: ranges that do not meet",
    "#SPILL!": "a formula's error: no room for its results",
    "#CALC!": "a formula's error",
}
_HASHES = regex.compile(r"[#＃]+")
_SPACES = regex.compile(r"\s+")
_FORMULA_ERRORS = {code.upper(): why for code, why in FORMULA_ERRORS.items()}


def unshown(text: str | None) -> str | None:
    """Why ``text`` is no value but what a spreadsheet prints in place of one (``###``: a number or
    date too wide for its column; ``#DIV/0!``: a formula's error), or None for any other text."""
    if not text:
        return None
    bare = _SPACES.sub("", text)
    if _HASHES.fullmatch(bare):
        return "a number or date too wide for its column"
    return _FORMULA_ERRORS.get(bare.upper().replace("！", "!").replace("／", "/").replace("？", "?"))


def empty_unshown_fields(doc: ParsedDocument) -> list[str]:
    """Empty each text field of ``doc`` that holds what a spreadsheet prints in place of a value, and
    return a warning naming each (its record, page and field)."""
    fields = [(f.owner, f.name, f.named) for f in text_fields(doc)]
    for goal in doc.goals:
        for record in [goal, *goal.targets]:
            page = record.page if record.page is not None else goal.page
            name = "overall_grade" if record is goal else "grade"
            fields.append((record, name, record_name(goal, record) + (f" (page {page})" if page is not None else "")
                           + f" {name}"))
    warnings = []
    for owner, name, named in fields:
        text = getattr(owner, name)
        why = unshown(text)
        if why:
            setattr(owner, name, None)
            warnings.append(f"{named}: printed as '{text}' ({why}): its value is not on the page; left empty")
    return warnings
