"""Checks on a parsed document before it is written; each violation is one warning line.

A warning makes the file's ``sources`` row ``partial``; nothing is dropped silently.
Records that cannot be written at all (a target or initiative without text) are removed
here, and a grade that is not a letter of the legend (``BA``, ``。A``) is emptied: the
warning says so.
"""
from __future__ import annotations

import regex

from plansheet.core.text import CUT_FIGURE, FOREIGN_LETTERS
from plansheet.parsers.list_items import only_list_numbers
from plansheet.parsers.misplaced import gradeless_statuses, label_tails, letter_statuses
from plansheet.parsers.writer_notes import gradeless_result
from plansheet.parsers.records import Goal, ParsedDocument, legend_letters, text_fields
from plansheet.parsers.unmapped import unmapped_fields
from plansheet.parsers.unshown import empty_unshown_fields

DEFAULT_GRADES = ("A", "B", "C", "D", "E")
_FOREIGN_LETTER = regex.compile(f"[{FOREIGN_LETTERS}]")  # a font whose Unicode map is wrong gives these
_JAPANESE_LETTER = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def validate_document(doc: ParsedDocument, overview_numbers: list[int]) -> list[str]:
    """Return warnings for ``doc`` and drop rows that lack their required text."""
    warnings: list[str] = empty_unshown_fields(doc)  # ### and #DIV/0! hold no value (parsers/unshown.py)
    front = f" (page {doc.pages[0]})" if doc.pages else ""  # what the front sheet lacks is named on its page
    if doc.fiscal_year is None:
        warnings.append(f"fiscal_year{front}: no fiscal year (令和/平成 N年度) found on the front sheet")
    if not doc.department:
        warnings.append(f"department{front}: no department (部) found")
    if not doc.goals:
        warnings.append(f"goals{front}: no goals (重点目標 and their sheets) found: the document is incomplete")
    if doc.goals and not doc.basic_policy:  # every front sheet states its policy: a heading worded another way?
        warnings.append(f"basic_policy{front}: no 【基本方針】 section was read on the front sheet (its heading "
                        "written another way?); the field is empty")
    if doc.goals and not overview_numbers and all(g.plan_goal is None and g.field is None for g in doc.goals):
        warnings.append(f"plan_goal_no, plan_goal, field{front}: no 【重点目標】 overview was read on the front sheet "
                        "(its heading written another way?); every goal's fields from it are empty")
    grades = legend_letters(doc.grade_scale) or set(DEFAULT_GRADES)
    if not doc.grade_scale:
        warnings.append(f"grade_scale{front}: no 【達成度について】 legend found; grades checked against A–E")
    sheet_numbers = sorted(g.goal_no for g in doc.goals if g.page is not None)
    if overview_numbers and sorted(overview_numbers) != sheet_numbers:
        sheets = ", ".join(f"{g.goal_no} on page {g.page}" for g in sorted(doc.goals, key=lambda g: g.goal_no)
                           if g.page is not None) or "none"
        warnings.append(f"goal_no{front}: goal numbers in 【重点目標】 {sorted(overview_numbers)} do not match "
                        f"the goal sheets {sheet_numbers} (sheets: {sheets})")
        for number in sorted(set(overview_numbers) - set(sheet_numbers)):  # what only its sheet holds is missing
            warnings.append(f"goal {number} page, overall_summary, overall_grade, next_steps: no sheet headed "
                            f"重点目標 {number} was read (its heading written another way?); the sheet's fields "
                            "are empty")
    for goal in doc.goals:
        where = f"goal {goal.goal_no}"
        page = f" (page {goal.page})" if goal.page is not None else front
        if not goal.title:
            warnings.append(f"{where}{page} title: no title")
        warnings += _drop_empty_records(goal, where, page)
        target_nos = {t.target_no for t in goal.targets}
        for initiative in goal.initiatives:
            if initiative.target_no is not None and initiative.target_no not in target_nos:
                at = f" (page {initiative.page})" if initiative.page is not None else page
                warnings.append(f"{where} initiative {initiative.initiative_no}{at} target_no: target "
                                f"{initiative.target_no} does not exist")
                initiative.target_no = None
        for target in goal.targets:
            if (why := _not_held(target.grade, grades, doc)) is not None:
                warnings.append(f"{where} target {target.target_no}{page} grade: 達成度 '{target.grade}' {why}")
                target.grade = None
        if (why := _not_held(goal.overall_grade, grades, doc)) is not None:
            warnings.append(f"{where}{page} overall_grade: 全体の達成度 '{goal.overall_grade}' {why}")
            goal.overall_grade = None
    return warnings + foreign_script_fields(doc) + cut_figure_fields(doc) + unmapped_fields(doc) + \
        gradeless_statuses(doc) + letter_statuses(doc) + label_tails(doc) + list_number_fields(doc) + \
        gradeless_result(doc)


def list_number_fields(doc: ParsedDocument) -> list[str]:
    """A warning for each field whose text is list numbers and nothing else (``1 2``, ``①②``, ``（１）（２）``): a
    list whose items' text stood where this reader did not take it (:mod:`~plansheet.parsers.list_items`). Never
    a field's whole value; kept as read, named."""
    return [f"{f.named}: holds only list numbers ({text!r}); the items' text was not read with them: check this "
            "field" for f in text_fields(doc) if only_list_numbers(text := getattr(f.owner, f.name))]


def _not_held(grade: str | None, grades: set[str], doc: ParsedDocument) -> str | None:
    """Why a grade cannot stand in a grade column (``None`` if it can): not a grade of the legend, or a grade
    the legend lists (S over A, a symbol ◎ ○ △) outside the A–E the tables' grade columns hold (SCHEMA)."""
    if grade is None or grade in grades and grade in DEFAULT_GRADES:
        return None
    if grade not in grades:
        return "is not a grade of the legend; left empty"
    label = next((b.label for b in doc.grade_scale if b.grade == grade), None)
    return (f"is a grade of the legend{f' ({label})' if label else ''}, outside the A–E a grade column holds; left empty "
            "(the legend's row is kept in grade_scale)")


def cut_figure_fields(doc: ParsedDocument) -> list[str]:
    """A warning for each field holding a thousands group cut short, a typed line break (kept as a space by
    :func:`~plansheet.core.text.join_lines`), then the digits that would make it three before a counter
    (``3,2 10人``): one figure broken to fit its cell (3,210人) or two figures on two lines (grades 1,2 and
    10校); the sheet cannot tell, so the field is named and left as written."""
    warnings = []
    for f in text_fields(doc):
        for m in CUT_FIGURE.finditer(getattr(f.owner, f.name) or ""):
            if len(m.group(1)) + len(m.group(2)) == 3:
                warnings.append(f"{f.named}: {m.group()!r} was typed on two lines: one figure broken to fit its "
                                f"cell ({m.group().replace(' ', '')}) or two figures, the sheet cannot tell; "
                                "left as written")
    return warnings


def foreign_script_fields(doc: ParsedDocument) -> list[str]:
    """A warning for each field written mostly in letters of scripts a Japanese sheet never uses
    (three or more, and more of them than kanji and kana): its text cannot be what the sheet says."""
    warnings = []
    for f in text_fields(doc):
        text = getattr(f.owner, f.name) or ""
        foreign = len(_FOREIGN_LETTER.findall(text))
        if foreign >= 3 and foreign > len(_JAPANESE_LETTER.findall(text)):
            warnings.append(f"{f.named}: written in letters of another script ({text[:12]}…); "
                            "a font whose Unicode map is wrong? check this field")
    return warnings


def _drop_empty_records(goal: Goal, where: str, page: str = "") -> list[str]:
    """Drop targets and initiatives without text; renumber targets and keep each initiative on
    its own target (an initiative of a dropped target loses its link, with a warning). ``page``
    names the goal sheet's page (`` (page 3)``) in each warning."""
    warnings: list[str] = []
    kept = [t for t in goal.targets if t.text]
    if len(kept) != len(goal.targets):
        warnings.append(f"{where}{page} targets: {len(goal.targets) - len(kept)} 今年度の達成目標 without text dropped")
    renumbered = {t.target_no: number for number, t in enumerate(kept, start=1)}
    goal.targets = kept
    for target in kept:
        target.target_no = renumbered[target.target_no]
    if not goal.targets:
        warnings.append(f"{where}{page} targets: no 今年度の達成目標 (target) found")
    initiatives = [i for i in goal.initiatives if i.text]
    if len(initiatives) != len(goal.initiatives):
        warnings.append(f"{where}{page} initiatives: {len(goal.initiatives) - len(initiatives)} 具体的取組 without "
                        "text dropped")
    goal.initiatives = initiatives
    if not initiatives:
        warnings.append(f"{where}{page} initiatives: no 具体的取組 (initiative) found")
    for initiative in initiatives:
        if initiative.target_no is None:
            continue
        if initiative.target_no not in renumbered:
            at = f" (page {initiative.page})" if initiative.page is not None else page
            warnings.append(f"{where} initiative {initiative.initiative_no}{at} target_no: its target "
                            f"{initiative.target_no} had no text; link dropped")
        initiative.target_no = renumbered.get(initiative.target_no)
    return warnings
