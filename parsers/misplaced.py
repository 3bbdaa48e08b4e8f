"""Checks that a field holds what its column holds, whatever its label said (REVIEW3 V1–V3).

A grade column headed in a way the reader does not know leaves the letter in the status or glues the header word
into the prose beside it. However the sheet heads its columns, a person reading the tables would see it:

- a result sheet's target statuses with no grade at all: the grades stand under a header not read as theirs;
- a status that is one bare grade letter: the grade's cell, not a status;
- a text whose last line, after its last sentence, is a label of the sheet (with or without a grade letter):
  a labelled row glued on, not prose (a label never ends a sentence of prose). A grade's header word alone or
  after 全体の / 総合 / a year (全体の達成状況, 令和4年度評価) is one too, and so is a compound of kanji ending in a
  header word with a grade letter beside it (全体の自己評価 C). A phrase that ends in such a word with no letter
  beside it (…。受診者アンケートでも高い評価, …。過去最高の実績) is prose ending in a noun, as sheets often write.
"""
from __future__ import annotations

import regex

from plansheet.parsers.grade_heads import GRADE_LETTER
from plansheet.parsers.labels import (GRADE_HEADS, OVERALL_GRADE_HEADS, STATUS_HEADS, YEAR_NAMED, label_key,
                                     match_label)
from plansheet.parsers.records import ParsedDocument, Target, text_fields

_HEAD_WORDS = GRADE_HEADS | OVERALL_GRADE_HEADS | STATUS_HEADS
# the tail of a text after its last sentence, and a grade letter at its end
_TAIL = regex.compile(r"。(?P<tail>[^。]{1,16})$")
_LETTER_END = regex.compile(r"[ \u3000]*[A-Za-zＡ-Ｚａ-ｚ]$")
# a label's own words: kanji, digits and の (a grade label is a compound noun; prose has kana, particles)
_LABEL_WORDS = regex.compile(r"[\p{Han}\dの()（）]+")
_HEAD_ALTERNATION = "|".join(sorted(map(regex.escape, _HEAD_WORDS), key=len, reverse=True))
# a header word alone, or after the whole-goal or year words a grade's label is written with (label_key'd)
_QUALIFIED_HEAD = regex.compile(r"(?:全体の?|総合|" + YEAR_NAMED + r"の?)?(?:" + _HEAD_ALTERNATION + r")")


def gradeless_statuses(doc: ParsedDocument) -> list[str]:
    """A warning when the document's targets have statuses and not one a grade (a result sheet grades every
    target it reports on; the grades may stand under a header this reader did not take for theirs)."""
    targets = [(goal, t) for goal in doc.goals for t in goal.targets]
    stated = [(goal, t) for goal, t in targets if t.status]
    if not stated or any(t.grade for _, t in targets):
        return []
    pages = sorted({t.page for _, t in stated if t.page is not None})
    return [f"targets grade (pages {', '.join(map(str, pages))}): {len(stated)} target(s) have a status (達成状況) "
            "and none a grade (達成度): the grades may stand under a header this reader does not take for theirs; "
            "left empty"]


def letter_statuses(doc: ParsedDocument) -> list[str]:
    """A warning for each target whose status is one bare grade letter (the grade's cell, read as the status)."""
    return [f"goal {goal.goal_no} target {t.target_no} (page {t.page}) status, grade: the status is {t.status!r}, one "
            "grade letter: the grade's cell taken for the status (a column headed another way?)"
            for goal in doc.goals for t in goal.targets if isinstance(t, Target) and t.status
            and GRADE_LETTER.match(t.status)]


def label_tails(doc: ParsedDocument) -> list[str]:
    """A warning for each text field ending, after its last sentence, in a label of the sheet (``…必要です。評価A``,
    ``…必要です。全体の達成状況``): a labelled row glued to the prose."""
    warnings = []
    for f in text_fields(doc):
        m = _TAIL.search(getattr(f.owner, f.name) or "")
        if m is None:
            continue
        lettered = _LETTER_END.search(m.group("tail")) is not None
        tail = label_key(_LETTER_END.sub("", m.group("tail")))
        if tail and (match_label(tail) is not None or _QUALIFIED_HEAD.fullmatch(tail) is not None
                     or (lettered and tail.endswith(tuple(_HEAD_WORDS)) and _LABEL_WORDS.fullmatch(tail))):
            warnings.append(f"{f.named}: ends in {m.group('tail')!r} after its last sentence, a label of the sheet "
                            "(and what stands beside it), not prose: a row this reader did not take for one glued on")
    return warnings
