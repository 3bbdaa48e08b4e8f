"""A template's filled-in example is not a document (REVIEW6 Y7).

Templates for the sheet ship a worksheet showing how to fill it in: named 記入例 (記載例, 作成例, 入力例,
見本, サンプル), its department and names written as placeholders (``〇〇部``, ``〇〇 〇〇``, ``△△ △△``).
Left visible before the real sheets, it read as a department of its own. Such a worksheet is left out
before parsing, and a document whose department is made of placeholder marks (from any source: a text
export or a PDF of the template) is not written; both are named in the source's warnings. A director or
officer whose name is made of such marks on a real department's sheet is no name: left out, and named.
"""
from __future__ import annotations

import regex

from plansheet.core.model import Page
from plansheet.parsers.records import ParsedDocument

EXAMPLE_NAMES = ("記入例", "記載例", "作成例", "入力例", "見本", "サンプル")
_MARKS = "〇○◯●◎×✕✖Ｘ△▲□■＊*＿_？?"
# two or more placeholder marks (spaces between them), then at most a unit's ending (〇〇部, ○○課, ××市)
_PLACEHOLDER = regex.compile(rf"[{regex.escape(_MARKS)}](?:\s*[{regex.escape(_MARKS)}])+\s*\p{{Han}}{{0,2}}")


def is_placeholder(text: str | None) -> bool:
    """True when ``text`` is made of placeholder marks, as a template writes a value to fill in."""
    return text is not None and bool(_PLACEHOLDER.fullmatch(text.strip()))


def is_example_sheet(name: str | None) -> bool:
    """True for a worksheet named as a template's example (記入例, 記載例, 見本, サンプル …)."""
    return name is not None and any(word in name for word in EXAMPLE_NAMES)


def leave_out_example_sheets(pages: list[Page]) -> tuple[list[Page], list[str]]:
    """The pages of the worksheets that are not a template's example, and one warning naming those that are."""
    names = list(dict.fromkeys(p.sheet for p in pages if is_example_sheet(p.sheet)))
    if not names:
        return pages, []
    kept = [p for p in pages if not is_example_sheet(p.sheet)]
    listed = ", ".join(repr(n) for n in names)
    return kept, [f"worksheet(s) {listed}: named as the template's filled-in example, not a sheet of the plan; "
                  "left out"]


def example_department(doc: ParsedDocument) -> str | None:
    """Why ``doc`` is the template's example (its department a placeholder), None when it is not."""
    if is_placeholder(doc.department):
        return f"its department {doc.department!r} is a placeholder: the template's filled-in example"
    return None


def drop_placeholder_names(doc: ParsedDocument) -> list[str]:
    """Leave out a director or officer whose name is a placeholder (``〇〇 〇〇``); a warning for each."""
    said = []
    if is_placeholder(doc.director):
        said.append(f"director: {doc.director!r} is a placeholder, not a name; left null")
        doc.director = None
    for officer in [o for o in doc.officers if is_placeholder(o.name)]:
        said.append(f"officers: {officer.position} {officer.name!r} is a placeholder, not a name; left out")
        doc.officers.remove(officer)
    return said
