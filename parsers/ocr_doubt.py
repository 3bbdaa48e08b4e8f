"""Honesty for OCR'd fields that have no confidence column: officers' names and the department.

Goals, targets and initiatives carry a ``confidence``; the document's own fields and the
officers do not, so the only way to say "unsure" about them is a warning (the source
becomes ``partial``). The checks, each a rule a reader of the sheet would apply:

- ``name_confidence``: no vocabulary can confirm a person's name, so an OCR'd name is
  trusted only when the engine was sure of its cell (:data:`NAME_CONFIDENCE` or more) and the same
  name stands elsewhere in the document; otherwise it is named, saying whether the engine was
  unsure of its cell or sure. A name the engine was unsure of is named even where it stands again:
  the engine reads a glyph's shape, not the person, so a look-alike (恭 for 恵) is misread the same
  way at each place it is printed, and a second reading agreeing confirms nothing. A sure one
  read once is named too: the engine is sure of look-alike kanji in names (``森本 恭子`` for 恵子 at 0.9935, its
  weakest glyph 0.991, on fuzz scan 505-0014), so its confidence cannot clear a name; a name
  one character away from another reading of the document (the same person read twice,
  differently) is doubtful whatever the confidence;
- ``name_split``: OCR puts the space between surname and given name where it sees a gap;
  moved by one glyph, the common 2 + 2 split (``岡田 浩二``) becomes 3 + 1 or 1 + 3
  (``岡田浩 二``), so an OCR'd name split that way is doubtful (a rare true 佐々木 誠 is flagged
  too: the honest cost);
- ``department_agrees``: the 部 cell is repeated on every goal sheet and in the title; an
  OCR'd department that no other reading agrees with is doubtful;
- ``stray_values``: a result field (達成状況, 達成度, 総合評価・総括, 今後検討すべきこと, 取組実績)
  that reads as a label of the sheet, as the department's name with at most two stray
  glyphs (a heading read into an empty box: ``郷政策推進部``), or as the sheet's title
  (``令和4年度環境経済部運営方針``, the title printed atop each page read into an empty box of a plan
  sheet, scan fuzz seed 19002 variant 63), holds no value: emptied and named;
- ``legend_bounds``: the bands of 【達成度について】 meet (B ``70%以上100%未満``, C ``50%以上70%未満``);
  an OCR'd band below the first with a lower bound but no upper bound lost its ``M%未満``
  (a legend may say ``70%以上`` alone, so it is named), and so did a middle band with no bound at
  all (D ``50%未満`` lost; the bottom band may state none). Where another band below the first
  states both bounds (the legend writes ``N%以上M%未満``), the lost bound is the lower bound of the
  band above, and is filled so (still named: the band above may be misread too); a letter the legend skips
  (A, B, D, E read) lost its line: named, and still a grade of the scale (``records.legend_letters``);
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
from plansheet.parsers.labels import match_label, misread_short_label
from plansheet.parsers.records import GradeBand, Officer, ParsedDocument, legend_letters, record_name, result_fields

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
    unchecked: dict[int, list[str]] = {}  # page → the names read with confidence, said in one line
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
        if cell.confidence < NAME_CONFIDENCE:
            again = "; it is read the same way elsewhere, but a look-alike kanji is misread the same way each time" \
                if seen_again else ""
            out.append(f"{who}{where}: OCR confidence {cell.confidence:.4f} is below {NAME_CONFIDENCE} and "
                       f"no vocabulary can check a person's name{again}")
        elif seen_again:
            continue
        elif _ODD_SPLIT.match(officer.name):
            out.append(f"{who}{where}: OCR split it {officer.name!r}; the space may stand one glyph off")
        else:
            unchecked.setdefault(cell.page, []).append(who)
    out += [f"page {page}: OCR'd names the document does not repeat (no vocabulary can check a name, and the "
            f"engine is sure of look-alike kanji): {', '.join(names)}; check them against the scan"
            for page, names in unchecked.items()]
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


def _result_fields(doc: ParsedDocument) -> list[tuple[object, str, str]]:
    """Each result-stage field of ``doc`` (:func:`result_fields`) as (record, field name, how
    warnings name the record)."""
    return [(record, name, record_name(goal, record)) for goal, record, name in result_fields(doc)]


_YEAR_HEAD = regex.compile(r"(?:(?:令和|平成)(?:\d{1,2}|元)|\d{4})年度(?:[（(][^）)]*[）)])?(?:\d{4}年度)?")
_TITLE_TAIL = regex.compile(r"の?運営方針")


def sheet_title(bare: str, department: str) -> bool:
    """True when ``bare`` (a value, its spaces removed) is the sheet's title: the department's name between a
    fiscal year (or none) and 運営方針 (``令和4年度環境経済部運営方針``, printed atop each page)."""
    if len(department) < 2 or department not in bare:
        return False
    head, _, tail = bare.partition(department)
    return bool(_TITLE_TAIL.fullmatch(tail)) and (not head or bool(_YEAR_HEAD.fullmatch(head)))


def stray_values(doc: ParsedDocument) -> list[str]:
    """``stray_values`` (see the module docstring): result fields of an OCR'd document that hold
    a label or the department heading are emptied; a warning names each."""
    out: list[str] = []
    department = _bare(doc.department or "")
    for record, name, where in _result_fields(doc):
        value = getattr(record, name)
        if not value or name == "grade" or name == "overall_grade":
            continue
        bare = _bare(value)
        heading = len(department) >= 2 and department in bare and len(bare) <= len(department) + 2
        title = not heading and sheet_title(bare, department)
        match = match_label(value, fuzzy=True) if not heading and not title else None
        label = match.label if match is not None else misread_short_label(value) if not heading and not title else None
        if heading or title or label is not None:
            page = getattr(record, "page", None)
            what = "the department heading" if heading else "the sheet's title" if title else f"the label {label.value}"
            out.append(f"{where}{f' (page {page})' if page else ''} {name}: OCR read {value!r} here, "
                       f"{what}, not a value; left empty")
            setattr(record, name, None)
    return out


def legend_doubts(bands: list[GradeBand], page: int | None) -> list[str]:
    """``legend_bounds`` (see the module docstring): a band below the first with a lower bound and
    no upper bound, under a band with a lower bound, is named; where the legend writes both bounds
    of another band below the first, the lost one is filled with the lower bound of the band above."""
    where = f" (page {page})" if page is not None else ""
    read = {band.grade for band in bands}
    out = [f"legend {letter}{where}: OCR read no line for grade {letter}, while the legend runs to "
           f"{max(read)} (its line lost?)" for letter in sorted(legend_letters(bands) - read)]
    lost = []
    for k, (upper, lower) in enumerate(zip(bands, bands[1:])):
        if upper.min_pct is None or lower.max_pct is not None:
            continue
        if lower.min_pct is not None:
            bound = f"{lower.min_pct}%以上 and no upper bound"
        elif k + 2 < len(bands):  # a middle band with no bound at all (D's 50%未満 lost); the bottom one may have none
            bound = "no bound, in the middle of the scale"
        else:
            continue
        lost.append((upper, lower, bound))
    both = any(b.min_pct is not None and b.max_pct is not None and b.min_pct != b.max_pct for b in bands[1:])
    for upper, lower, bound in lost:
        if both and (lower.min_pct is None or upper.min_pct is None or lower.min_pct < upper.min_pct):
            # the legend writes N%以上M%未満: the bands meet (never filled to an empty band: B 70–100, C read 70)
            lower.max_pct = upper.min_pct
            out.append(f"legend {lower.grade}{where} max_pct: OCR read {bound}; taken as {upper.min_pct}%未満, where "
                       f"grade {upper.grade} starts (the bands meet; check it)")
        else:
            out.append(f"legend {lower.grade}{where} max_pct: OCR read {bound}, while grade {upper.grade} starts at "
                       f"{upper.min_pct}% (its M%未満 lost?)")
    return out


def result_evidence(doc: ParsedDocument) -> list[str]:
    """The filled result-stage fields of ``doc`` (what makes :attr:`ParsedDocument.stage` ``result``),
    each named as the warnings name fields."""
    return [f"{where} {name}" for record, name, where in _result_fields(doc) if getattr(record, name)]


def stage_doubt(doc: ParsedDocument) -> list[str]:
    """``stage_evidence`` (see the module docstring): a warning when an OCR'd document reads as a
    result sheet on the strength of a single result field."""
    evidence = result_evidence(doc)
    if len(evidence) != 1:
        return []
    return [f"document stage: OCR read a result sheet from {evidence[0]} alone (a result sheet fills "
            "its results throughout; a plan sheet has none): check the stage and that field"]
