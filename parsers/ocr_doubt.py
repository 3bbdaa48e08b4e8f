"""Honesty for OCR'd fields that have no confidence column: officers' names and the department.

Goals, targets and initiatives carry a ``confidence``; the document's own fields and the
officers do not, so the only way to say "unsure" about them is a warning (the source
becomes ``partial``). Two checks, each a rule a reader of the sheet would apply:

- ``name_confidence``: no vocabulary can confirm a person's name, so an OCR'd name is
  trusted only when the engine was sure of its cell (:data:`NAME_CONFIDENCE`) or the same
  name stands elsewhere in the document; a name one character away from another reading
  of the document (the same person read twice, differently) is doubtful whatever the
  confidence;
- ``name_split``: OCR puts the space between surname and given name where it sees a gap;
  moved by one glyph, the common 2 + 2 split (``岡田 浩二``) becomes 3 + 1 or 1 + 3
  (``岡田浩 二``), so an OCR'd name split that way is doubtful (a rare true 佐々木 誠 is flagged
  too: the honest cost);
- ``department_agrees``: the 部 cell is repeated on every goal sheet and in the title; an
  OCR'd department that no other reading agrees with is doubtful;
- ``stage_evidence``: a result sheet fills its results throughout (達成状況, 達成度, 取組実績,
  総合評価); an OCR'd document that is a result sheet only because of one filled result field
  (header text or ink read into an empty 今後検討すべきこと box of a plan sheet) has a doubtful
  stage, and that field is named.

Calibration (the tune set of ``bench/ocr_hard.py``, 12 scans, and the committed scans): every
misread name cell (``森本 恵子`` read ``森本 恭子``) had a mean glyph confidence of 0.989–0.991,
every right one but one (0.990) 0.994 or more. The engine's glyph confidence is poor at
kanji look-alikes (``恭`` at 0.98–0.99 where ``恵`` stands), so the threshold flags a few right
names too: for a name that is the honest answer.
"""
from __future__ import annotations

import regex

from plansheet.core.model import Cell
from plansheet.parsers.records import Officer, ParsedDocument

NAME_CONFIDENCE = 0.993
_SPACES = regex.compile(r"[\s\u3000]+")
_ODD_SPLIT = regex.compile(r"^(?:\p{Han}{3}[\s\u3000]\p{Han}|\p{Han}[\s\u3000]\p{Han}{3})$")


def _bare(text: str) -> str:
    return _SPACES.sub("", text)


def name_doubts(officers: list[Officer], cells: list[Cell], texts: list[str]) -> list[str]:
    """Warnings for the OCR'd officer names nothing confirms (see the module docstring).

    ``cells``: the cell each officer was read from (parallel to ``officers``); ``texts``: every
    other cell text of the document, where the same name may stand again.
    """
    from rapidfuzz.distance import Levenshtein

    out: list[str] = []
    names = [_bare(o.name) for o in officers]
    for k, (officer, cell) in enumerate(zip(officers, cells)):
        if cell.confidence is None:
            continue
        name = names[k]
        who = f"officer {officer.position} name {officer.name!r}" + (" (the director)" if officer.position == "部長" else "")
        where = f" (page {cell.page})"
        twins = {o.name for j, o in enumerate(officers) if j != k and len(names[j]) == len(name) >= 3
                 and Levenshtein.distance(names[j], name) == 1}
        if twins:
            out.append(f"{who}{where}: OCR read it one character away from {sorted(twins)[0]!r} elsewhere "
                       "in the document; one of them is misread")
            continue
        seen_again = sum(name in _bare(t) for t in texts) > 1  # the officer's own cell is one
        if seen_again:
            continue
        if cell.confidence < NAME_CONFIDENCE:
            out.append(f"{who}{where}: OCR confidence {cell.confidence:.4f} is below {NAME_CONFIDENCE} and "
                       "no vocabulary can check a person's name")
        elif _ODD_SPLIT.match(officer.name):
            out.append(f"{who}{where}: OCR split it {officer.name!r}; the space may stand one glyph off")
    return out


def department_doubt(department: str | None, cell: Cell | None, readings: list[str]) -> list[str]:
    """A warning when the OCR'd department agrees with no other reading of it (goal sheets, title)."""
    if not department or cell is None or cell.confidence is None:
        return []
    others = [r for r in readings if r]
    if not others or any(_bare(r) == _bare(department) for r in others):
        return []
    return [f"department {department!r} (page {cell.page}): no other reading of the sheets agrees "
            f"({', '.join(repr(r) for r in sorted(set(others)))})"]


def result_evidence(doc: ParsedDocument) -> list[str]:
    """The filled result-stage fields of ``doc`` (what makes :attr:`ParsedDocument.stage` ``result``),
    each named as the warnings name fields."""
    found: list[str] = []
    for goal in doc.goals:
        where = f"goal {goal.goal_no}"
        found += [f"{where} {name}" for name in ("overall_grade", "overall_summary", "next_steps")
                  if getattr(goal, name)]
        found += [f"{where} target {t.target_no} {name}" for t in goal.targets
                  for name in ("grade", "status") if getattr(t, name)]
        found += [f"{where} initiative {i.initiative_no} results" for i in goal.initiatives if i.results]
    return found


def stage_doubt(doc: ParsedDocument) -> list[str]:
    """``stage_evidence`` (see the module docstring): a warning when an OCR'd document reads as a
    result sheet on the strength of a single result field."""
    evidence = result_evidence(doc)
    if len(evidence) != 1:
        return []
    return [f"document stage: OCR read a result sheet from {evidence[0]} alone (a result sheet fills "
            "its results throughout; a plan sheet has none): check the stage and that field"]
