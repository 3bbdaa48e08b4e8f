"""Notes to the writer in a sheet's year-end cells, and result sheets told by no grade (REVIEW6 Y13).

Plan sheets are often handed out with their year-end cells pre-filled with a note to the person who
will fill them in: ``（実績は年度末に記入）``, ``（年度末に記入）``, ``※記入不要``. Such a note says when or what
to write; it is no value, and a plan carrying it is still a plan (the stage is part of a document's
identity: which copy is current, lineage, what a run's lines call it).

A result sheet grades: every sheet of the template has its 達成度 and 全体の達成度. A sheet read as a
result from year-end prose alone, with no grade anywhere, may be a plan whose blank cells hold a word
of nothing (``特になし``) or an instruction written another way: the stage is then named.
"""
from __future__ import annotations

import regex

from plansheet.parsers.records import ParsedDocument, record_name, result_fields

# a whole field that is one bracketed (or ※-marked) note saying what or when to write
_OPEN, _CLOSE = "（(【［[〔＜<《", "）)】］]〕＞>》"
_NOTE = regex.compile(
    rf"※?\s*[{regex.escape(_OPEN)}][^{regex.escape(_CLOSE)}]{{0,30}}"
    rf"(?:記入|記載|入力|年度末)[^{regex.escape(_CLOSE)}]{{0,30}}[{regex.escape(_CLOSE)}]"
    r"|※[^。]{0,30}(?:記入|入力)[^。]{0,20}。?"
    r"|(?:実績は)?年度末に(?:記入|記載|入力)(?:して(?:ください|下さい))?。?")

_TEXTS = ("status", "results", "overall_summary", "next_steps")


def is_writer_note(text: str | None) -> bool:
    """Whether ``text`` is, whole, a note to the person filling the sheet in (no value)."""
    return text is not None and _NOTE.fullmatch(text.strip()) is not None


def clear_writer_notes(doc: ParsedDocument) -> None:
    """Empty every year-end text field that holds only a note to the writer, as a dash is emptied."""
    for _, record, name in result_fields(doc):
        if name in _TEXTS and is_writer_note(getattr(record, name)):
            setattr(record, name, None)


def gradeless_result(doc: ParsedDocument) -> list[str]:
    """A warning when the document reads as a result sheet from year-end text alone, no goal and no
    target graded: the text may be a plan's blank written as a word (特になし) or a note. Said once: not
    where the stage is named already (``stage_from_notes``)."""
    if doc.stage != "result" or any(w.startswith("document stage") for w in doc.warnings) or any(getattr(record, name) for _, record, name in result_fields(doc)
                                    if name in ("grade", "overall_grade")):
        return []
    filled = [(goal, record, name) for goal, record, name in result_fields(doc) if getattr(record, name)]
    shown = ", ".join(f"{record_name(goal, record)} {name} {str(getattr(record, name))[:20]!r}"
                      for goal, record, name in filled[:3])
    more = f" and {len(filled) - 3} more" if len(filled) > 3 else ""
    pages = sorted({p for goal, record, _ in filled if (p := getattr(record, "page", None) or goal.page) is not None})
    where = f" (page {', '.join(map(str, pages))})" if pages else ""
    return [f"document stage{where}: read as a result sheet from {shown}{more} alone, with no grade (達成度) "
            "anywhere; if that text is the plan's blank or a note, the sheet is a plan"]
