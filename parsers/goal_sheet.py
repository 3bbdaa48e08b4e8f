"""One goal's sheet (重点目標 N and any continuation pages) → a :class:`Goal`.

Values are first attached to their labels by place (:func:`layout.attach_values`). Then each
label instance is given to the record it describes:

- every 今年度の達成目標 opens a target, every 具体的取組 an initiative;
- 達成状況 / 達成度 go to a target, 所管室・課 / 具体的な取組実績 to an initiative: the earliest
  one standing in the same column band that has not had that label yet (this serves
  side-by-side blocks exported row by row as well as stacked ones);
- an initiative serves the target whose column it stands in (its box, or its tab
  column in a text export whose targets stand in separate columns). Where the columns
  say nothing (an export that writes side-by-side blocks one below the other): with one
  target it is that one; else the order of the blocks and of the empty lines that stand
  for columns without a block (:mod:`export_blocks`); failing that, labels stacked one per
  target column (``具体的取組`` written once per block of a row, then the texts) go to the
  columns in order; with as many initiatives as targets they pair in order (every target
  has at least one initiative); otherwise it is left null, with a warning. Targets one under
  another with initiatives between them are stacked in turn, each serving those under it; with
  none between, an HTML table's are stacked too (it sets side-by-side targets in one row), a
  text export's are read as one band's blocks, named where an empty line between them may
  stand for the upper one's initiatives left empty (how many lines an export writes says nothing);
- initiatives are numbered column by column: all of target 1's, then target 2's; those whose
  number rests on where an initiative of unknown target stands are named.
- a cell standing in the slot where a sheet's other 具体的取組 blocks print 所管室・課 or 具体的な取組実績
  (where none does, the template's slot), in a block that shows no such label, is that label printed otherwise
  (:mod:`label_slots`), named;
- a section under a label this reader does not know is left out; it is named unless every field
  the tables have is labelled on the sheet and it stands as a label (beside its text, or in a
  box of its own across the label's columns).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from plansheet.core.model import Cell
from plansheet.parsers.export_blocks import block_reading
from plansheet.parsers.grade_gloss import grade_beside, gloss_under_grade
from plansheet.parsers.grade_heads import relabel_overall_grade_heads, relabel_status_heads
from plansheet.parsers.label_slots import relabel_slots
from plansheet.parsers.label_columns import (
    UnknownRow, column_warning, cut_unknown_rows, label_record_grades, label_value_columns, row_warning,
)
from plansheet.parsers.labels import Label, LabelMatch, Placement, label_key, match_label
from plansheet.parsers.list_items import join_list_items
from plansheet.parsers.layout import (
    Token, attach_values, band, band_overlap, below_its_box, bracketed_heading, distribute_stacked_values,
    label_footnotes, reads_like_label,
    relabel_grade_misread, relabel_section_misreads,
    tokenize,
)
from plansheet.core.text import join_lines, marks_nothing, squeeze_spaced_japanese, to_halfwidth
from plansheet.parsers.records import FieldGlyph, Goal, Initiative, Target
from plansheet.parsers.sections import glued_units, section_units, unit_breaks
from plansheet.parsers.table_rows import RowDoubt, split_table_rows
from plansheet.parsers.unknown_heads import UnknownHead, cut_unknown_heads, relabel_goal_sheet_words
from plansheet.parsers.unshown import unshown

_RECORD_FIELD = {Label.STATUS: "status", Label.GRADE: "grade",
                 Label.SECTION: "section", Label.RESULTS: "results"}
_GOAL_FIELD = {Label.SUMMARY: "overall_summary", Label.OVERALL_GRADE: "overall_grade",
               Label.NEXT_STEPS: "next_steps"}
_GRADE_FIELDS = {"grade", "overall_grade"}
# the labels of prose fields, which a sheet may write as a list, its numbers in a cell of their own (list_items)
_PROSE = frozenset({Label.TARGET, Label.STATUS, Label.STATUS_GRADE, Label.INITIATIVE, Label.RESULTS, Label.SUMMARY,
                    Label.NEXT_STEPS})


@dataclass(eq=False)
class _Owner:
    """A target or initiative under construction, with the token that opened it."""

    token: Token
    record: Target | Initiative
    seen: set[str] = field(default_factory=set)


@dataclass
class GoalSheet:
    """A parsed goal sheet, the department its 部 cell names, what looked wrong, and, for OCR,
    the weakest glyph of each field read."""

    goal: Goal
    department: str | None = None
    warnings: list[str] = field(default_factory=list)
    glyphs: list[FieldGlyph] = field(default_factory=list)
    # the initiatives whose block showed no 所管室・課 (or 具体的な取組実績) label: see unlabelled_row_warnings
    unlabelled: dict[Label, list[Initiative]] = field(default_factory=dict)
    # goal fields whose first line reads like an unknown section's label (see plan_sheet_headings)
    headed: list[str] = field(default_factory=list)
    # (field, the line that reads like an unknown section's label, its warning, whether it is the field's first
    # line) for each goal field such a line stands in (see template_headings)
    unknown_heads: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # goal fields whose only text begins as a note under the table does (see stage_from_notes)
    noted: list[str] = field(default_factory=list)
    # (target, line) for a status whose last line may be its grade cell's gloss (see grade_gloss.take_glosses)
    glosses: list[tuple[Target, str]] = field(default_factory=list)
    # a 具体的取組 stands between two targets one under another: the sheet stacks its targets (stands_between)
    stacks: bool = False
    # targets stand one under another with no 具体的取組 between them, initiatives under them: whose they are
    # rests on whether the document's template stacks its targets (parse_goal_sheet's template_stacks)
    together: bool = False

    def note_glyphs(self, record: Goal | Target | Initiative, name: str, token: Token) -> None:
        """Keep the weakest glyph of the OCR'd cells ``token`` gave ``record.name`` (none for other sources)."""
        glyph = FieldGlyph.of(record, name, [v.cell for v in token.values])
        if glyph is not None:
            self.glyphs.append(glyph)


def _value(token: Token, name: str | None = None) -> str | None:
    """The text of ``token``'s values (a grade field's as a half-width capital), or ``None`` where nothing,
    or only the dash of a cell left empty, is written. A text export's lines (cells with no box) are joined as
    typed breaks: an export wraps no line, so a break between two was typed, inside a cell or between rows."""
    typed = bool(token.values) and all(v.cell.bbox is None for v in token.values)
    if name == "section" and (units := section_units(_lines(token))) is not None:
        return units  # 高齢介護課⏎地域包括支援センター: one unit a line (sections)
    text = join_lines([v.text for v in token.values], typed=typed)
    if text is not None and marks_nothing(text):  # a dash in a cell left empty (－, ―)
        return None
    if text is not None and name in _GRADE_FIELDS:
        text = to_halfwidth(text).strip().upper()
    return text


def _note_gloss(sheet: GoalSheet, owner: _Owner | None, status: Token, grade: Token | None) -> None:
    """Keep the status's last line where it may be the gloss of the grade beside it (:mod:`grade_gloss`)."""
    line = gloss_under_grade(status, grade)
    if line is not None and owner is not None and isinstance(owner.record, Target):
        sheet.glosses.append((owner.record, line))


def _lines(token: Token) -> list[str]:
    """The lines of ``token``'s values: each value cell's own lines as its source broke them (``Cell.lines``,
    where its text is still them joined), else its text."""
    lines: list[str] = []
    for value in token.values:
        cell = value.cell
        whole = cell.lines and cell.text in (join_lines(cell.lines), join_lines(cell.lines, typed=True))
        lines += list(cell.lines) if whole else [cell.text]
    return lines


def _units_or_a_wrap(token: Token, record: Target | Initiative, goal: Goal) -> list[str]:
    """A 所管室・課 cell read as two units (:mod:`sections`) parted where its line fills the cell's width: there a
    PDF may have wrapped one name (市民会館⏎管理事務所), which the lines cannot tell from two units; named. An OCR'd
    cell read as one line whose name ends in two organisational suffixes (秘書広報課人事課) may be two units whose
    line break the scan lost (:func:`glued_units`): named too."""
    cell = token.values[0].cell if len(token.values) == 1 else None
    glued = glued_units(cell.text) if cell is not None and cell.confidence is not None and not cell.lines else None
    if glued is not None:
        return [f"goal {goal.goal_no} initiative {getattr(record, 'initiative_no', '?')} section (page {cell.page}): "
                f"OCR read {cell.text!r} as one line; it ends in two units' suffixes, so it may be two units "
                f"({glued[0]}、{glued[1]}) whose line break the scan lost; read as one"]
    if cell is None or not cell.wrapped or len(cell.wrapped) != len(cell.lines) - 1 or _lines(token) != list(cell.lines):
        return []
    return [f"goal {goal.goal_no} initiative {getattr(record, 'initiative_no', '?')} section (page {cell.page}): "
            f"{cell.lines[k]!r} fills its line of the cell, so the line after it may be the same name wrapped, "
            "not a second unit; read as two" for k in unit_breaks(cell.lines) if cell.wrapped[k]]


def _confidence(token: Token) -> float | None:
    scores = [v.cell.confidence for v in token.values if v.cell.confidence is not None]
    return min(scores) if scores else None


def parse_goal_sheet(cells: list[Cell], template_stacks: bool = False) -> GoalSheet:
    """Read one goal's cells (its heading page first) into a :class:`GoalSheet`. ``template_stacks``: another goal
    sheet of the document stacks its targets (:attr:`GoalSheet.stacks`), so targets standing together here are
    stacked, the upper ones' initiatives left out (:func:`_assign_targets`)."""
    tokens = tokenize(cells)
    relabel_goal_sheet_words(tokens)
    _field_label_repeated(tokens)
    relabel_section_misreads(tokens)
    relabel_grade_misread(tokens)
    relabel_status_heads(tokens)
    relabel_overall_grade_heads(tokens)
    footnote_or_text = label_footnotes(tokens)
    slotted = relabel_slots(tokens)
    _section_lines_below(tokens)
    columns = [(t, False) for t in label_value_columns(tokens)] + [(t, True) for t in label_record_grades(tokens)]
    attach_values(tokens, unknown_labels=True)
    tokens = join_list_items(tokens, _PROSE)
    unclear = distribute_stacked_values(tokens)
    strays = _beside_a_block(tokens)
    every_field_labelled = _every_field_labelled(tokens)  # by the labels printed, before those read by their place
    cut = cut_unknown_heads(tokens)
    rows_cut = cut_unknown_rows(tokens)
    _claim_grades_beside(tokens)
    label_cells = [t for t in tokens if t.label is not None]  # before a table column's label is split by rows
    table = split_table_rows(tokens)
    tokens = table.tokens
    heading = next(t for t in tokens if t.label is not None and t.label.label is Label.GOAL_HEADING)
    goal = Goal(goal_no=heading.label.number or 0, title=_value(heading), page=heading.cell.page,
                confidence=_confidence(heading))
    sheet = GoalSheet(goal)
    sheet.note_glyphs(goal, "title", heading)
    sheet.warnings += [column_warning(goal.goal_no, token, graded) for token, graded in columns
                       if any(v.text.strip() for v in token.values)]  # (an empty column loses nothing)
    if footnote_or_text is not None:
        sheet.warnings.append(_footnote_or_text(goal, footnote_or_text))
        owner = footnote_or_text.owner
        if owner is not None and owner.label is not None and owner.label.label in _GOAL_FIELD:
            sheet.noted.append(_GOAL_FIELD[owner.label.label])
    for label, stack, texts in unclear:
        shown = ", ".join(repr(t[:20] + ("…" if len(t) > 20 else "")) for t in texts)
        sheet.warnings.append(f"goal {goal.goal_no} (page {label.cell.page}): {len(stack)} {label.text} labels stacked "
                              f"over value rows of another count ({shown}); which value is whose is unknown, "
                              "left empty")
    targets: list[_Owner] = []
    initiatives: list[_Owner] = []
    split_in_doubt = _status_lines_in_doubt(tokens)
    doubted: list[_Owner] = []
    misprinted: list[tuple[Initiative, str, str]] = []
    given: dict[int, list[tuple[Target | Initiative, str]]] = {}  # each label token's record and field
    twice = _goal_labels_twice(tokens)
    for token in tokens:
        label = token.label.label if token.label is not None else None
        if label in (Label.TARGET, Label.INITIATIVE, Label.STATUS, Label.GRADE, Label.STATUS_GRADE, Label.SECTION,
                     Label.RESULTS):
            given[id(token)] = []
        if label is Label.DEPARTMENT and token.values and sheet.department is None:
            sheet.department = squeeze_spaced_japanese(_value(token) or "")
        elif label is Label.TARGET:
            targets.append(_Owner(token, Target(len(targets) + 1, _value(token), page=token.cell.page,
                                                confidence=_confidence(token))))
            sheet.note_glyphs(targets[-1].record, "text", token)
            given[id(token)].append((targets[-1].record, "text"))  # type: ignore[arg-type]
        elif label is Label.INITIATIVE:
            initiatives.append(_Owner(token, Initiative(len(initiatives) + 1, _value(token),
                                                        page=token.cell.page, confidence=_confidence(token))))
            sheet.note_glyphs(initiatives[-1].record, "text", token)
            given[id(token)].append((initiatives[-1].record, "text"))  # type: ignore[arg-type]
        elif label in (Label.STATUS, Label.GRADE):
            owner = _give(token, targets, _RECORD_FIELD[label], goal, sheet)
            given[id(token)] += [(owner.record, _RECORD_FIELD[label])] if owner is not None else []
            if id(token) in split_in_doubt and owner is not None:
                doubted.append(owner)
            if label is Label.STATUS:
                _note_gloss(sheet, owner, token, grade_beside(token, tokens))
        elif label is Label.STATUS_GRADE:
            status, grade = split_status_grade(token)
            for part in (status, grade):
                owner = _give(part, targets, _RECORD_FIELD[part.label.label], goal, sheet)  # type: ignore[union-attr]
                given[id(token)] += [(owner.record, _RECORD_FIELD[part.label.label])] if owner is not None else []  # type: ignore[union-attr]
                if id(token) in split_in_doubt and owner is not None and owner not in doubted:
                    doubted.append(owner)
                if part is status:
                    _note_gloss(sheet, owner, status, grade)
        elif label in (Label.SECTION, Label.RESULTS):
            owner = _give(token, initiatives, _RECORD_FIELD[label], goal, sheet)
            given[id(token)] += [(owner.record, _RECORD_FIELD[label])] if owner is not None else []
            printed = next((s.printed for s in slotted if s.token.cell is token.cell), None)
            if printed is not None and owner is not None:
                misprinted.append((owner.record, _RECORD_FIELD[label], printed))  # type: ignore[arg-type]
        elif label is Label.UNKNOWN and token.label.placement is Placement.RIGHT and not every_field_labelled:
            sheet.warnings.append(f"goal {goal.goal_no} (page {token.cell.page}): {token.text!r} stands in the label "
                                  "column with text at its right, as the sheet's labels do, but is no label this "
                                  "reader knows; its text is left out as that section's")
        elif label in _GOAL_FIELD and id(token) in twice:  # (an empty box leaves nothing out)
            if any(v.text.strip() for v in token.values):
                sheet.warnings += _label_twice_warnings(token, twice[id(token)], tokens, given, goal)
        elif label in _GOAL_FIELD:
            name = _GOAL_FIELD[label]
            if getattr(goal, name) is None:
                heading = _heading_inside(token)
                where = f"goal {goal.goal_no} (page {heading.cell.page if heading else token.cell.page}) {name}"
                if heading is not None and (heading is not token.values[0] or _in_a_label_row(heading, token)):
                    # after the field's own text, or where the next label's row stands below the field's box left
                    # empty, a label's line: what follows is its section's
                    token.values = token.values[:token.values.index(heading)]
                    # a box of its own across the label's columns, as the source shows boxes (their place, or a
                    # cell merged across columns: an HTML table's): a line of the field's text stands in its box
                    if not (every_field_labelled and _own_box(heading, token)):  # else a section like 備考's
                        sheet.warnings.append(f"{where}: {heading.text!r} below it reads like the label of a section "
                                              "this reader does not know; the text from there on is left out as "
                                              "that section's")
                        sheet.unknown_heads.append((name, heading.text, sheet.warnings[-1], False))
                elif heading is not None:  # the field's first line: its own heading, or another section's label
                    sheet.headed.append(name)
                    sheet.warnings.append(f"{where}: {_first_line_heading(heading, token)} (and a plan's stage may "
                                          "have been taken for a result's)")
                    if not _own_label(heading, token):
                        sheet.unknown_heads.append((name, heading.text, sheet.warnings[-1], True))
                setattr(goal, name, _headed_value(token, name, heading))
                sheet.note_glyphs(goal, name, token)
    sheet.warnings += [f"goal {goal.goal_no} target {o.record.target_no} (page {o.record.page}) status, grade: of the "
                       "value lines under stacked 達成状況 labels one has no grade and the next has one: one status "
                       "typed on two lines (its grade at its end) or two targets' statuses, the first without a grade; "
                       "read as two, which cannot be told" for o in doubted]
    sheet.stacks = stands_between(targets, initiatives)
    sheet.together = len(targets) > 1 and any(len(_together_above(o, targets, initiatives)) > 1 for o in initiatives)
    in_doubt, counted, paired, by_order = _assign_targets(tokens, targets, initiatives, template_stacks, table.records)
    sheet.warnings += _count_status_pairs(label_cells, len(targets), goal, table.serves)
    goal.targets = [o.record for o in targets]  # type: ignore[misc]
    reading = [o.record for o in initiatives]
    goal.initiatives = _number_by_column(list(reading))  # type: ignore[misc]
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) text, section, results, "
                       "target_no, page: initiatives are numbered column by column, and one whose target is unknown "
                       "(named) may stand before this one; its number, so this row, may be off"
                       for i in _numbers_in_doubt(reading, goal.initiatives)]  # type: ignore[arg-type]
    # a target read in doubt, or none read, puts the initiative's number in doubt too (they are numbered column by
    # column): where the goal has more than one, its row may hold another's text, section and results
    numbered = "text, section, results, target_no, page" if len(goal.initiatives) > 1 else "target_no"
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) {numbered}: the targets "
                       "stand one under another with no 具体的取組 between two of them but an empty line: one band's "
                       "blocks written one under another (read so), or a sheet stacking its targets with the upper "
                       "one's initiatives left empty; an export's empty lines cannot tell which"
                       for i in goal.initiatives if i.target_no is not None and any(i is d for d in in_doubt)]
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) {numbered}: the empty lines "
                       "between the targets and the first 具体的取組 are not those the export writes for its blocks "
                       "(another exporter's count?); read as if the first target had the first block, which the "
                       "lines cannot show"
                       for i in goal.initiatives if i.target_no is not None and any(i is d for d in counted)]
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) {numbered}: paired with "
                       f"target {i.target_no} by order alone (as many 具体的取組 as targets), yet an empty line stands "
                       "before a later 具体的取組, where the export writes a target column left without a block: a "
                       "target may have none and another two, which the lines cannot tell"
                       for i in goal.initiatives if any(i is d for d in paired)]
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) {numbered}: paired with "
                       f"target {i.target_no} by order alone: the targets stand one under another with no 具体的取組 "
                       "between them, then as many 具体的取組 as targets: one band's side-by-side blocks written one "
                       "under another (read so), or a sheet stacking its targets with the upper ones' initiatives "
                       "left out (all the last one's), which the sheet cannot tell"
                       for i in goal.initiatives if any(i is d for d in by_order)]
    sheet.warnings += [f"goal {goal.goal_no} initiative {i.initiative_no} (page {i.page}) {numbered}: which target "
                       "this 具体的取組 serves cannot be told from the sheet; left empty (numbered after the "
                       "initiatives whose target is known, so the goal's initiative numbers may be off)"
                       for i in goal.initiatives if i.target_no is None and targets]
    sheet.warnings += [f"goal {goal.goal_no} {_record_name(record)} (page {record.page}) {name}: one of "
                       f"{len(stack)} {last.text} labels stacked over value rows of another count (named above); "
                       "which value is whose is unknown, left empty"
                       for last, stack, _ in unclear for lab in stack for record, name in given.get(id(lab), [])]
    sheet.warnings += [f"goal {goal.goal_no} initiative {record.initiative_no} (page {record.page}) {name}: its "
                       f"label is printed {printed!r}, no label this reader knows, in the place where a 具体的取組 block "
                       f"prints {_INITIATIVE_ROWS[_FIELD_LABEL[name]]}; read as that label"
                       for record, name, printed in misprinted]
    sheet.warnings += [f"goal {goal.goal_no} initiative {record.initiative_no} (page {record.page}) text, section, "
                       f"results: the box beside its 具体的取組 block, in a column with no 具体的取組 of its own there, "
                       f"holds {stray.text[:20]!r}{'…' if len(stray.text) > 20 else ''}, a value where the sheet's "
                       "template has none (a text run on from this block's?); left out"
                       for stray, opens in strays for o in opens for record, _ in given.get(id(o), [])]
    sheet.warnings += _label_again_under_a_label(tokens, goal)
    sheet.unlabelled = _unlabelled_initiative_rows(initiatives)
    sheet.warnings += _unknown_head_warnings(cut, given, goal)
    sheet.warnings += _row_doubt_warnings(table.doubts, given, goal)
    sheet.warnings += [_unknown_row_warning(row, given, goal) for row in rows_cut]
    return sheet


_PLACE = {Label.SUMMARY: ("総合評価・総括", "after the last 具体的取組 block"),
          Label.NEXT_STEPS: ("今後検討すべきこと", "below 全体の達成度")}
_FIELDS_OF = {Target: "text, status, grade", Initiative: "text, section, results"}


def _label_again_under_a_label(tokens: list[Token], goal: Goal) -> list[str]:
    """A goal field's label (今後の課題) right under another's left empty (総合評価・総括, no line between), where the
    sheet prints the label of that field again (今後検討すべきこと): the grammar reads a known label on a line of its own
    as a label, so the field above is left empty; but a sheet prints a field's label once, and the line may be the
    field above's own heading. Both fields are named."""
    fields = [t for t in tokens if t.label is not None and t.label.label in _GOAL_FIELD]
    warnings = []
    for above, token in zip(fields, fields[1:]):
        if (above.values or above.label is None or token.label is None or above.label.label is token.label.label
                or (token.cell.page, token.cell.row) != (above.cell.page, above.cell.row_end)):
            continue
        again = next((t for t in fields if t is not token and t.label is not None
                      and t.label.label is token.label.label), None)
        if again is None:
            continue
        first, second = _GOAL_FIELD[above.label.label], _GOAL_FIELD[token.label.label]
        warnings.append(f"goal {goal.goal_no} (page {token.cell.page}) {first}, {second}: {token.text!r} right under "
                        f"{above.text!r} is {second}'s label, which the sheet prints again ({again.text!r}); read as "
                        f"that label, {first} left empty, but a sheet prints a field's label once: it may be the "
                        f"first line of {first}")
    return warnings


_BLOCK_LABELS = (Label.INITIATIVE, Label.SECTION, Label.RESULTS)


def _beside_a_block(tokens: list[Token]) -> list[tuple[Token, list[Token]]]:
    """Take off each value of a 具体的取組 block's label (具体的取組, 所管室・課, 具体的な取組実績) that stands at or below
    the row of a later block's 具体的取組 in another column (a value in that column would be that label's): the box
    beside a block where the column has no block of its own, empty in the template. Boxes only: a text export's
    lines write one row's blocks one under another. Returns (value, the 具体的取組
    labels of the row it stands beside), to be named: its text is none of the fields the label gives (a run on from
    the block beside, or text typed where the sheet has no field)."""
    opens = [t for t in tokens if t.label is not None and t.label.label is Label.INITIATIVE]
    strays: list[tuple[Token, list[Token]]] = []
    for token in tokens:
        if token.label is None or token.label.label not in _BLOCK_LABELS or not token.values:
            continue
        at = (token.cell.page, token.cell.row)
        later = [o for o in opens if o is not token and (o.cell.page, o.cell.row) > at]
        kept = []
        for value in token.values:
            where = (value.cell.page, value.cell.row)
            beside = [o for o in later if (o.cell.page, o.cell.row) <= where and value.cell.bbox is not None
                      and o.cell.bbox is not None and band_overlap(o.cell, value.cell) <= 0]
            if beside and value.text.strip():
                row = max((o.cell.page, o.cell.row) for o in beside)
                strays.append((value, [o for o in beside if (o.cell.page, o.cell.row) == row]))
            else:
                kept.append(value)
        token.values = kept
    return strays


def _unknown_head_warnings(cut: list[UnknownHead], given: dict[int, list[tuple[Target | Initiative, str]]],
                           goal: Goal) -> list[str]:
    """Name each label read from its place (:mod:`unknown_heads`): the goal field it was read as, or, where its
    section was left out, the record above it whose text it stood in. Even where every field is labelled on the
    sheet: a short line standing in a target's, an initiative's or its results' text (課題) may as well be a heading
    of that text as the label of a section the tables have no column for, which the sheet cannot tell."""
    warnings = []
    for u in cut:
        page = u.head.cell.page
        if u.label in _PLACE:
            printed, where = _PLACE[u.label]
            warnings.append(f"goal {goal.goal_no} (page {page}) {_GOAL_FIELD[u.label]}: its label is printed "
                            f"{u.head.text!r}, no label this reader knows, where a goal sheet prints {printed} ({where}); "
                            "read as that label")
        else:
            owners = [(f"{_record_name(r)} ", _FIELDS_OF[type(r)]) for r, _ in given.get(id(u.above), [])[:1]] \
                or [("", "overall_summary, overall_grade, next_steps")]
            warnings += [f"goal {goal.goal_no} {record}(page {page}) {fields}: {u.head.text!r} reads like the label of a "
                         "section this reader does not know, standing in the text of the label above it; the text from "
                         "there on is left out as that section's" for record, fields in owners]
    return warnings


def _row_doubt_warnings(doubts: list[RowDoubt], given: dict[int, list[tuple[Target | Initiative, str]]],
                        goal: Goal) -> list[str]:
    """Name the two records of each table row read as a record of its own in doubt (:mod:`table_rows`): the line
    may as well hold the record above's cells wrapped, the columns it leaves empty merged down or left empty."""
    warnings = []
    for doubt in doubts:
        [(record, _)] = given.get(id(doubt.instance), [])[:1] or [(None, "")]
        [(above, _)] = given.get(id(doubt.above), [])[:1] or [(None, "")]
        if record is None or above is None:
            continue
        empty = "、".join(doubt.empty)
        for named in (above, record):
            warnings.append(f"goal {goal.goal_no} {_record_name(named)} (page {named.page}) {_FIELDS_OF[type(named)]}: "
                            f"the line of {_record_name(record)} under the table's header leaves {empty} empty where "
                            f"the line of {_record_name(above)} fills it: a record of its own with that cell empty "
                            "(read so) or the lines of the one above wrapped, which the lines cannot tell")
    return warnings


def _unknown_row_warning(row: UnknownRow, given: dict[int, list[tuple[Target | Initiative, str]]], goal: Goal) -> str:
    """Name a row cut out of the text it was read into (:func:`~label_columns.cut_unknown_rows`), by the fields of
    the records (or the goal) whose text it stood in."""
    fields = []
    for owner in row.above:
        kind = owner.label.label if owner.label is not None else None
        named = [f"{_record_name(r)} {name}" for r, name in given.get(id(owner), [])]
        fields += named or ([_GOAL_FIELD[kind]] if kind in _GOAL_FIELD else [])
    if goal.overall_grade is None and any(_GRADE_VALUE.match(v.strip()) for v in row.values):
        fields.append("overall_grade")  # a grade beside a label no rule reads: the goal's, maybe, left empty
    return row_warning(goal.goal_no, row, ", ".join(dict.fromkeys(fields)) or "text")


_GRADE_VALUE = regex.compile(r"^[(（]?[A-ZＡ-Ｚ][)）]?$")  # a grade letter alone, in brackets or not


def _record_name(record: Target | Initiative) -> str:
    """How a warning names a target or an initiative of its goal (``target 2``, ``initiative 3``)."""
    if isinstance(record, Target):
        return f"target {record.target_no}"
    return f"initiative {record.initiative_no}"


# the labels of every field the tables have a column for (a 達成状況・達成度 label stands for both of its own)
_TABLE_FIELDS = ({Label.TARGET}, {Label.STATUS, Label.STATUS_GRADE}, {Label.GRADE, Label.STATUS_GRADE},
                 {Label.INITIATIVE}, {Label.SECTION}, {Label.RESULTS}, *({label} for label in _GOAL_FIELD))


def _own_box(head: Token, label: Token) -> bool:
    """``head``, read as the label of a section this reader does not know, stands in a box of its own across
    ``label``'s columns, as the source shows boxes (their place, or a cell merged across columns: an HTML table's): a
    label row, not a line of the field's text, which stands in the field's box (a text export shows no boxes)."""
    return (head.cell.bbox is not None or head.cell.col_span > 1) and \
        (head.cell.col, head.cell.col_span) == (label.cell.col, label.cell.col_span)


def _every_field_labelled(tokens: list[Token]) -> bool:
    """Every field the tables have a column for is labelled on the sheet by a label this reader knows. A sheet
    prints each field's label once, so a section under a label it does not know then holds none of those fields:
    it is one the tables have no column for (担当者所見, as 備考), and its text is left out with nothing to say. It
    is named where a field's label is missing, for it may be that field under another name."""
    present = {t.label.label for t in tokens if t.label is not None}
    return all(present & labels for labels in _TABLE_FIELDS)


def _section_lines_below(tokens: list[Token]) -> None:
    """A text export writes a 所管室・課 cell's second line on a line of its own, under the label's
    (``所管室・課<TAB>高齢介護課`` then ``地域包括支援センター``). The lines right under the label's line, each
    alone on its line, up to the next label's, are the cell's (the section cell stands between the initiative
    and its 具体的な取組実績), never the initiative's text above: a line with a sentence's stop is no section
    name and ends them. Attaches them and the value at the label's right to it; mutates tokens (before
    :func:`attach_values`)."""
    for i, token in enumerate(tokens[:-1]):
        right = tokens[i + 1]
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if (token.label is None or token.label.label is not Label.SECTION or token.cell.bbox is not None
                or right.is_label or (right.cell.page, right.cell.row) != (token.cell.page, token.cell.row)
                or after is not None and (after.cell.page, after.cell.row) == (token.cell.page, token.cell.row)):
            continue  # only a line holding the label and its value alone
        below: list[Token] = []
        row, j = token.cell.row, i + 2
        while j < len(tokens) and not tokens[j].is_label and (tokens[j].cell.page, tokens[j].cell.row) == \
                (token.cell.page, row + 1) and not _SENTENCE_STOP.search(tokens[j].text):
            if j + 1 < len(tokens) and (tokens[j + 1].cell.page, tokens[j + 1].cell.row) == (token.cell.page, row + 1):
                break  # not alone on its line: a row of another table
            below.append(tokens[j])
            row, j = row + 1, j + 1
        if not below:
            continue
        token.value_at_right = True
        for value in [right, *below]:
            value.owner = token
            token.values.append(value)


_SENTENCE_STOP = regex.compile(r"[。．]")


def _field_label_repeated(tokens: list[Token]) -> None:
    """A sheet prints each goal field's label once: the same field's label again under it on its page, with none
    of the field's text between (今後の課題 under 今後検討すべきこと), is the first line of that field's text, its own
    heading (:func:`_heading_inside` names it), not a second label. Mutates tokens."""
    previous: Token | None = None
    for token in tokens:
        if token.label is None:
            previous = None if token.text.strip() else previous
        elif (previous is not None and previous.label is not None and token.label.label is previous.label.label
              and token.label.label in _GOAL_FIELD and token.cell.page == previous.cell.page):
            token.label = None
            for value in token.values:  # a cell typed as the label atop its text: both the field's lines
                value.owner = None
            token.values, token.value_at_right = [], False
        else:
            previous = token


# the label a goal sheet prints right before each goal field's (its place on the sheet)
_BEFORE = {Label.SUMMARY: (Label.INITIATIVE, Label.RESULTS), Label.OVERALL_GRADE: (Label.SUMMARY,),
           Label.NEXT_STEPS: (Label.OVERALL_GRADE,)}


def _goal_labels_twice(tokens: list[Token]) -> dict[int, Token]:
    """Each goal field's label (総合評価・総括, 全体の達成度, 今後検討すべきこと) standing twice on the sheet or more, but for
    the one read (by id), with that one: a sheet prints a field's label once, so the others are lines of other texts
    that read as that label (今後の課題 inside an initiative's results). The one read is the first standing where the
    sheet prints it, after the label it prints before it (今後検討すべきこと after 全体の達成度), else the first; where its
    box is left empty, the first holding text (the empty box leaves nothing out: 2b205bb names that case)."""
    found: dict[Label, list[Token]] = {}
    for token in tokens:
        if token.label is not None and token.label.label in _GOAL_FIELD:
            found.setdefault(token.label.label, []).append(token)
    twice = {}
    for label, labels in found.items():
        if len(labels) < 2:
            continue
        before = [k for k, t in enumerate(tokens) if t.label is not None and t.label.label in _BEFORE[label]]
        placed = [t for t in labels if before and tokens.index(t) > before[-1 if label is Label.SUMMARY else 0]]
        kept = placed[0] if placed else labels[0]
        if not any(v.text.strip() for v in kept.values):  # its box left empty: the one holding text is read
            kept = next((t for t in labels if any(v.text.strip() for v in t.values)), kept)
        twice.update({id(t): kept for t in labels if t is not kept})
    return twice


def _label_twice_warnings(token: Token, kept: Token, tokens: list[Token],
                          given: dict[int, list[tuple[Target | Initiative, str]]], goal: Goal) -> list[str]:
    """Name a goal field whose label stands twice (:func:`_goal_labels_twice`): ``kept`` is read; the text under
    ``token`` is left out, and so is named with the field whose text stands right above it, which it may be the rest of
    (its label read from a line of that text)."""
    name = _GOAL_FIELD[token.label.label]  # type: ignore[union-attr]
    text = join_lines([v.text for v in token.values]) or ""
    shown = repr(text[:20] + ("…" if len(text) > 20 else ""))
    what = (f"{token.text!r} (page {token.cell.page}) and {kept.text!r} (page {kept.cell.page}) both read as its label, "
            f"which a sheet prints once; {kept.text!r} is read, standing where the sheet prints it, and the text under "
            f"{token.text!r} ({shown}) is left out")
    warnings = [f"goal {goal.goal_no} (page {token.cell.page}) {name}: {what}"]
    value = next((t for t in reversed(tokens[:tokens.index(token)]) if t.owner is not None and t.text.strip()), None)
    above = value.owner if value is not None else None
    if above is not None and given.get(id(above)):
        record, field = given[id(above)][0]
        warnings.append(f"goal {goal.goal_no} {_record_name(record)} (page {record.page}) {field}: {what}; it may be "
                        "the rest of this text")
    elif above is not None and above.label.label in _GOAL_FIELD and above.label.label is not token.label.label:  # type: ignore[union-attr]
        warnings.append(f"goal {goal.goal_no} (page {above.cell.page}) {_GOAL_FIELD[above.label.label]}: {what}; "  # type: ignore[union-attr]
                        "it may be the rest of this text")
    return warnings


def _footnote_or_text(goal: Goal, token: Token) -> str:
    """The warning for a field whose only text begins as a footnote does (:func:`label_footnotes`)."""
    owner = token.owner.label.label if token.owner is not None and token.owner.label is not None else None
    name = _GOAL_FIELD.get(owner) if owner is not None else None  # type: ignore[arg-type]
    where = f"goal {goal.goal_no} (page {token.cell.page})" + (f" {name}" if name else "")
    label = f" under {token.owner.text!r}" if token.owner is not None and not name else ""
    return (f"{where}: its text{label} begins as a note under the table does ({token.text[:24]!r}…); read as the "
            "field's text, but if it is the table's note, the field is empty")


def _heading_inside(token: Token) -> Token | None:
    """A value of ``token`` that reads like a label: a short line of its own with no sentence mark,
    followed by longer text (備考 | its note, under 今後検討すべきこと, or right under the label where
    the field is empty). A label the table does not know is taken for a value, and its section for
    the field above it."""
    values = token.values
    for i, value in enumerate(values[:-1]):
        if reads_like_label(value.text) and not bracketed_heading(value.text) \
                and len(values[i + 1].text.strip()) > len(value.text.strip()):
            return value
    return None


def _first_line_heading(heading: Token, label: Token) -> str:
    """What a goal field's first line that reads like a label is taken for, and what else it may be: a name of
    the field itself (今後の課題 under 今後検討すべきこと: :func:`_field_label_repeated`), or a section's label
    this reader does not know."""
    if _own_label(heading, label):
        return (f"its first line {heading.text!r} is this field's label written again under its label "
                f"{label.text!r}; a sheet prints a field's label once, so it is kept as the first line of the text "
                "(its own heading); if it labels a second box, the field's text is only what follows it")
    return (f"its first line {heading.text!r} reads like the label of a section this reader does not know; "
            "if it is one, this field is empty")


def _headed_value(token: Token, name: str, heading: Token | None) -> str | None:
    """The text of a goal field whose first line ``heading`` is kept as its heading: parted from the text under it by
    one space, as a line break is written in these tables (``今後の課題 胃がん検診について…``), never glued to it."""
    if heading is None or not token.values or heading is not token.values[0] or len(token.values) < 2:
        return _value(token, name)
    rest = _value(Token(token.cell, token.order, token.label, values=token.values[1:]), name)
    return heading.text.strip() if rest is None else f"{heading.text.strip()} {rest}"


def _own_label(heading: Token, label: Token) -> bool:
    """``heading`` is ``label``'s own field named again (今後の課題 under 今後検討すべきこと), bare or as a heading in
    brackets (【今後の課題】: the brackets these sheets write headings in, 【基本方針】, make it no other label)."""
    key = label_key(heading.text)
    inner = key[1:-1] if len(key) > 2 and key[0] == "【" and key[-1] == "】" else key
    known = match_label(inner)
    return known is not None and label.label is not None and known.label is label.label.label


def _in_a_label_row(heading: Token, label: Token) -> bool:
    """``heading``, the first value under ``label`` (a label with its text below it), stands where the sheet's
    next label row would: in a box of its own spanning the label's columns, with the row right under the label
    (the field's box) empty between them. A field's text, its own heading line too, begins in that box."""
    return below_its_box(heading.cell, label) and \
        (heading.cell.col, heading.cell.col_span) == (label.cell.col, label.cell.col_span)


def plan_sheet_headings(sheets: list[GoalSheet], result_filled: bool) -> None:
    """A plan's result boxes are empty: where no other result field of the document is filled,
    a goal field whose first line reads like an unknown section's label holds that section, not
    the field's text, and is emptied (its warning already names it)."""
    if result_filled:
        return
    for sheet in sheets:
        for name in sheet.headed:
            setattr(sheet.goal, name, None)


def template_headings(sheets: list[GoalSheet], result_filled: bool) -> list[str]:
    """A document's goal sheets are printed from one template, and each goal's prose is written anew: a line that
    reads like the label of a section this reader does not know (:func:`_heading_inside`), the same words in the same
    field of two goal sheets or more (and of every sheet that has such a line there), is the template's label
    (担当者所見 after 今後検討すべきこと), not a line of the field's text. Where it stands after the field's own text,
    the text under it was left out as its section's, rightly: its warning is taken back. Where it is the field's first
    line, it may as well be the writer's own heading of the field's text, typed in each box; it is the template's
    label, and the field holds no text of its own (emptied), where the same words stand after the field's text in
    another sheet, or in a plan (``result_filled`` false: no result field of the document holds other text). Returns
    the warnings taken back."""
    if len(sheets) < 2:
        return []
    withdrawn = []
    for name in dict.fromkeys(head[0] for s in sheets for head in s.unknown_heads):
        heads = [(s, head) for s in sheets for head in s.unknown_heads if head[0] == name]
        if len(heads) < 2 or len({label_key(head[1]) for _, head in heads}) != 1 or \
                len({id(s) for s, _ in heads}) != len(heads):
            continue
        after_text = any(not first for _, (_, _, _, first) in heads)
        for sheet, (_, _, warning, first) in heads:
            if not first:
                withdrawn.append(warning)
            elif after_text or not result_filled:
                withdrawn.append(warning)
                setattr(sheet.goal, name, None)
                sheet.headed.remove(name)
    return withdrawn


def stage_from_notes(sheets: list[GoalSheet], filled: list[tuple[Goal | Target | Initiative, str]]) -> list[str]:
    """A document read as a result sheet only from goal fields whose text begins as a note under the table does
    (``filled``: its filled result fields as (record, name)): if those lines are the table's notes, it is a plan.
    The fields are named already; the stage is named too."""
    noted = {(id(s.goal), name) for s in sheets for name in s.noted}
    if not filled or not all((id(record), name) in noted for record, name in filled):
        return []
    return ["document stage: read as a result sheet only from text that begins as a note under the table does "
            "(the fields named above); if it is the table's note, the sheet is a plan"]


_INITIATIVE_ROWS = {Label.SECTION: "所管室・課", Label.RESULTS: "具体的な取組実績"}
_FIELD_LABEL = {"section": Label.SECTION, "results": Label.RESULTS}


def _unlabelled_initiative_rows(initiatives: list[_Owner]) -> dict[Label, list[Initiative]]:
    """For the 所管室・課 and 具体的な取組実績 rows: the initiatives whose block showed no such label."""
    return {label: [o.record for o in initiatives if _RECORD_FIELD[label] not in o.seen]  # type: ignore[misc]
            for label in _INITIATIVE_ROWS}


def unlabelled_row_warnings(sheets: list[GoalSheet]) -> list[str]:
    """Every 具体的取組 block has its 所管室・課 and 具体的な取組実績 rows, and a document's goal sheets
    are printed from one template: once any block of the document shows such a label, each
    initiative whose block showed none is named (its label was misread, and what it labels went
    elsewhere or nowhere)."""
    warnings = []
    total = sum(len(s.goal.initiatives) for s in sheets)
    for label, printed in _INITIATIVE_ROWS.items():
        missing = sum(len(s.unlabelled.get(label, ())) for s in sheets)
        if not 0 < missing < total:
            continue
        name = _RECORD_FIELD[label]
        for sheet in sheets:
            for record in sheet.unlabelled.get(label, ()):
                warnings.append(f"goal {sheet.goal.goal_no} initiative {record.initiative_no} (page {record.page}) "
                                f"{name}: no {printed} label read in its block ({total - missing} of the document's "
                                f"{total} 具体的取組 have one); its label misread?")
    return warnings


def _claim_grades_beside(tokens: list[Token]) -> None:
    """A text export writes a 達成状況・達成度 label in its first field only, so the grade field beside
    the status (``status<TAB><TAB>B``) stands under no label. A field no label owns is such a label's
    when the field left of it in its line is that label's value and no other label's column starts
    between them; else when its line is the k-th under a stack of such label lines (one line: the
    grid), it is the k-th line's label whose columns it stands in. Mutates tokens."""
    heads = [t for t in tokens if t.label is not None and t.label.label is Label.STATUS_GRADE and t.cell.bbox is None]
    if not heads:
        return
    labels_in_row: dict[tuple[int, int], list[Token]] = {}
    for t in tokens:
        if t.is_label:
            labels_in_row.setdefault((t.cell.page, t.cell.row), []).append(t)

    def columns_of(head: Token, col: int) -> bool:  # ``col`` in head's columns: up to the next label in its row
        row = labels_in_row.get((head.cell.page, head.cell.row), [])
        return head.cell.col <= col and not any(head.cell.col < o.cell.col <= col for o in row)

    head_rows = {(h.cell.page, h.cell.row) for h in heads}
    for i, token in enumerate(tokens):
        if token.is_label or token.owner is not None or token.cell.bbox is not None:
            continue
        page, row, col = token.cell.page, token.cell.row, token.cell.col
        left = tokens[i - 1] if i and (tokens[i - 1].cell.page, tokens[i - 1].cell.row) == (page, row) else None
        owner = left.owner if left is not None and not left.is_label else None  # tokens are in reading order
        if owner is None or owner not in heads or not columns_of(owner, col):
            owner = None
            last = next((r for r in range(row - 1, max(row - 4, -1), -1) if (page, r) in head_rows), None)
            if last is not None:  # the stack of label lines above: its last line, then its size
                size = next(n for n in range(1, row + 1) if (page, last - n) not in head_rows)
                k = row - last  # the k-th line under the stack's last line goes with its k-th line
                if k <= size:
                    owner = next((h for h in heads if (h.cell.page, h.cell.row) == (page, last - size + k)
                                  and columns_of(h, col)), None)
        if owner is not None:
            token.owner = owner
            owner.values.append(token)


def _status_lines_in_doubt(tokens: list[Token]) -> set[int]:
    """The ids of a text export's stacked 達成状況 (or 達成状況・達成度) labels whose value lines may be one status
    typed on two lines: the k-th label's line holds a status and no grade, the next label's line a grade. A grade
    stands at the end of its status (a status typed on two lines carries it on its last), so the first line is a
    status whose grade was left empty, or the first line of the status the next line ends: which, the lines
    cannot tell."""
    def line(label: Token) -> tuple[int, int] | None:
        rows = {(v.cell.page, v.cell.row) for v in label.values if v.text.strip()}
        return rows.pop() if len(rows) == 1 else None

    def graded(at: tuple[int, int], status: Token | None) -> bool:
        return any((t.cell.page, t.cell.row) == at and not t.is_label and t is not status and _GRADE_CELL.match(t.text)
                   for t in tokens)

    stacked = [t for t in tokens if t.label is not None and t.label.label in (Label.STATUS, Label.STATUS_GRADE)
               and t.stack is not None and t.cell.bbox is None]
    doubted: set[int] = set()
    for upper, lower in zip(stacked, stacked[1:]):
        if upper.label.label is not lower.label.label or upper.stack[1] != lower.stack[1] \
                or lower.stack[0] != upper.stack[0] + 1:  # type: ignore[union-attr,index]
            continue
        first = line(upper)
        if first is None:
            continue
        status = next(v for v in upper.values if v.text.strip())
        if not _GRADE_CELL.match(status.text) and not graded(first, status) \
                and graded(line(lower) or (first[0], first[1] + 1), None):
            doubted |= {id(upper), id(lower)}
    return doubted


_GRADE_CELL = regex.compile(r"^\s*[A-Za-zＡ-Ｚａ-ｚ](?:\s*[（(][^）)]*[）)])?\s*$")  # B, Ｂ, B（概ね達成）


def split_status_grade(token: Token) -> tuple[Token, Token]:
    """A 達成状況・達成度 label over a target's status and grade → a 達成状況 and a 達成度 label: the
    grade is the last value of the first row under the label when it reads as a grade letter (``B``,
    ``Ｂ（概ね達成）``), or, right of the status, as what a spreadsheet prints for a value it cannot show
    (``#N/A``: :mod:`~plansheet.parsers.unshown` empties it, named), the status everything else."""
    values = token.values
    filled = [v for v in values if v.text.strip()]
    first_row = [v for v in filled if (v.cell.page, v.cell.row) == (filled[0].cell.page, filled[0].cell.row)]
    last = max(first_row, key=lambda v: band(v.cell)[0], default=None)
    grade = [last] if last is not None and (_GRADE_CELL.match(last.text) or len(first_row) > 1 and unshown(last.text)) \
        else []
    status = [v for v in values if v is not last or not grade]
    return (Token(token.cell, token.order, LabelMatch(Label.STATUS, Placement.BELOW), values=status),
            Token(token.cell, token.order, LabelMatch(Label.GRADE, Placement.BELOW), values=grade))


def _count_status_pairs(tokens: list[Token], n_targets: int, goal: Goal, serves: dict[int, int]) -> list[str]:
    """Each target has one 達成状況 | 達成度 pair (or one 達成状況・達成度 label): other counts mean a
    target or a pair was misread. ``tokens``: the sheet's label cells as read (before a table column's
    label is split into one per value row, which would count each row); a label heading a column of a table
    of targets, one a row, stands for as many (``serves``)."""
    written = [label for t in tokens if t.label is not None for label in [t.label.label] * serves.get(id(t), 1)]
    both = written.count(Label.STATUS_GRADE)
    counts = {label: both + written.count(label) for label in (Label.STATUS, Label.GRADE)}
    if not n_targets or all(n in (0, n_targets) for n in counts.values()):
        return []
    return [f"goal {goal.goal_no} (page {goal.page}): {n_targets} 今年度の達成目標 but "
            f"{counts[Label.STATUS]} 達成状況 and {counts[Label.GRADE]} 達成度 labels"]


def _number_by_column(initiatives: list[Initiative]) -> list[Initiative]:
    """Order initiatives column by column (all of target 1's, then target 2's …) and renumber.

    Initiatives whose target is unknown keep their reading-order place after the known ones.
    """
    ordered = sorted(initiatives, key=lambda i: (i.target_no is None, i.target_no or 0, i.initiative_no))
    for number, initiative in enumerate(ordered, start=1):
        initiative.initiative_no = number
    return ordered


def _numbers_in_doubt(reading: list[Initiative], numbered: list[Initiative]) -> list[Initiative]:
    """The initiatives (of ``numbered``; ``reading``: the same in reading order) whose column-by-column number
    rests on where an initiative of unknown target stands, numbered last: had it served target 1, it would stand
    before every initiative of a later target and those of target 1 read after it, and each would be one more."""
    unknown = [k for k, i in enumerate(reading) if i.target_no is None]
    if not unknown or len(unknown) == len(reading):
        return []
    place = {id(i): k for k, i in enumerate(reading)}
    return [i for i in numbered if i.target_no is not None and (i.target_no > 1 or place[id(i)] > unknown[0])]


def _give(token: Token, owners: list[_Owner], name: str, goal: Goal, sheet: GoalSheet) -> _Owner | None:
    """Attach a status/grade/section/results label to the record it describes (returned; ``None`` when no record
    stands before it)."""
    warnings = sheet.warnings
    before = [o for o in owners if o.token.order < token.order] or owners
    if not before:
        if token.values:
            warnings.append(f"goal {goal.goal_no} (page {token.cell.page}) {name}: {token.text} '{_value(token)}' "
                            "stands before any record; dropped")
        return None
    in_band = [o for o in before if band_overlap(o.token.cell, token.cell) > 0] or before
    lacking = [o for o in in_band if name not in o.seen]
    owner = lacking[0] if lacking else in_band[-1]
    owner.seen.add(name)
    value = _value(token, name)
    current = getattr(owner.record, name)
    if value is None or value == current:
        return owner
    if current is None:
        setattr(owner.record, name, value)
        sheet.note_glyphs(owner.record, name, token)
        if name == "section":
            warnings += _units_or_a_wrap(token, owner.record, goal)
        if token.values and owner.record.confidence is None:
            owner.record.confidence = _confidence(token)
    else:
        kind, no = ("target", owner.record.target_no) if isinstance(owner.record, Target) \
            else ("initiative", owner.record.initiative_no)
        warnings.append(f"goal {goal.goal_no} {kind} {no} {name} (page {token.cell.page}): two values for "
                        f"{token.text}: kept '{current}', not '{value}'")
    return owner


def _assign_targets(tokens: list[Token], targets: list[_Owner], initiatives: list[_Owner], template_stacks: bool,
                    table_rows: set[int]) -> tuple[list[Initiative], list[Initiative], list[Initiative], list[Initiative]]:
    """Set each initiative's target_no from the column it stands in (see module docstring), or from the
    target above it where the targets stand one under another; ``None`` where it cannot be told. Returns the
    initiatives whose target a text export's lines cannot tell (:func:`_stacked_in_turn`), those whose
    target was counted from the first block alone (``export_blocks.block_reading``: the empty lines above it are
    not those the export's blocks owe), those paired with the targets in order where the lines leave room for
    a target without a block (:func:`_room_for_an_empty_column`), and those paired with targets standing together
    by order alone where the source's rows and columns are its own (:func:`_under_together`).

    Targets one under another in one band with no 具体的取組 between them do not each serve what stands under
    them: they are one band's side-by-side blocks written one under another, unless the document's template
    stacks its targets (``template_stacks``: another goal sheet stands a 具体的取組 between two targets), where the
    upper ones' initiatives are left out and those under the last serve it. ``table_rows``: the ids of the
    targets read as rows of one table (:mod:`table_rows`), which say nothing of which target an initiative below
    serves."""
    if not targets:
        return [], [], [], []
    geometry = all(o.token.cell.bbox is not None for o in targets + initiatives)
    table = geometry or any(t.cell.col_span > 1 for t in tokens)  # the source's own rows and columns
    if table:
            return [], [], [], _under_together(targets, initiatives, template_stacks, table_rows)
    in_turn, doubted = (False, []) if _side_by_side(targets) else \
        _stacked_in_turn(targets, initiatives, tokens, template_stacks)
    side_by_side = _side_by_side(targets) or in_turn
    slots, guessed = (None, False) if side_by_side else \
        block_reading(tokens, [o.token for o in initiatives], len(targets))
    counted = [o.record for o in initiatives] if slots is not None and guessed else []  # holds if target 1 has a block
    paired_in_order = False
    for index, init in enumerate(initiatives):
        record = init.record
        assert isinstance(record, Initiative)
        stack = init.token.stack
        if len(targets) == 1:
            record.target_no = 1
        elif side_by_side:
            record.target_no = _target_by_column(init, targets)
        elif slots is not None:
            record.target_no = slots[index]  # the order of blocks and empty lines (export_blocks)
        elif stack is not None and stack[1] == len(targets):
            record.target_no = stack[0] + 1  # one label per target column, stacked left to right
        elif len(initiatives) == len(targets) and not any(id(o.token) in table_rows for o in targets):
            record.target_no = index + 1
            paired_in_order = True
    paired = [o.record for o in initiatives] if paired_in_order and _room_for_an_empty_column(tokens, initiatives) \
        else []
    return doubted, counted, paired, []  # type: ignore[return-value]


def _under_together(targets: list[_Owner], initiatives: list[_Owner], template_stacks: bool,
                    table_rows: set[int]) -> list[Initiative]:
    """Where the source gives the sheet's own rows and columns (boxes, or an HTML table's spans): each initiative
    serves the target whose column it stands in, the one above it where targets stand one under another. Under
    targets standing together (one under another with no 具体的取組 between them; see :func:`_assign_targets`),
    unless the template stacks its targets: as many initiatives as those targets paired with them in order
    (returned, to be named: a stacked sheet leaving the upper ones' initiatives out would give them all to the
    last, and no empty line of an export's tells the two apart), else ``None``; targets that are rows of one
    table pair with nothing."""
    runs: dict[int, list[_Owner]] = {}
    for init in initiatives:
        record = init.record
        assert isinstance(record, Initiative)
        record.target_no = 1 if len(targets) == 1 else _target_by_column(init, targets)
        run = _together_above(init, targets, initiatives)
        if len(targets) > 1 and len(run) > 1 and not template_stacks:
            runs.setdefault(id(run[-1]), run)
    paired: list[Initiative] = []
    for run in runs.values():
        under = [o for o in initiatives if o.record.target_no == run[-1].record.target_no]  # type: ignore[union-attr]
        for k, init in enumerate(under):
            record = init.record
            assert isinstance(record, Initiative)
            if any(id(o.token) in table_rows for o in run):
                record.target_no = None
            elif len(under) == len(run):
                record.target_no = run[k].record.target_no  # type: ignore[union-attr]
                paired.append(record)
            else:
                record.target_no = None
    return paired


def _together_above(init: _Owner, targets: list[_Owner], initiatives: list[_Owner]) -> list[_Owner]:
    """The targets standing together right above ``init`` in its band: the one before it, and each before that
    in the same band with no 具体的取組 between the two (the last one nearest ``init``); ``[]`` where no target
    stands above it in its band."""
    above = [t for t in targets if t.token.order < init.token.order and band_overlap(t.token.cell, init.token.cell) > 0]
    if not above:
        return []
    run = [above[-1]]
    for upper in reversed(above[:-1]):
        lower = run[0]
        if band_overlap(upper.token.cell, lower.token.cell) <= 0 or \
                any(upper.token.order < i.token.order < lower.token.order for i in initiatives):
            break
        run.insert(0, upper)
    return run


def stands_between(targets: list[_Owner], initiatives: list[_Owner]) -> bool:
    """Whether a 具体的取組 stands between two targets one under another in one band: the sheet stacks its targets,
    each followed by its initiatives (a document's goal sheets are printed from one template)."""
    ordered = sorted(targets, key=lambda t: t.token.order)
    return any(band_overlap(a.token.cell, b.token.cell) > 0 and
               any(a.token.order < i.token.order < b.token.order and band_overlap(i.token.cell, b.token.cell) > 0
                   for i in initiatives)
               for k, a in enumerate(ordered) for b in ordered[k + 1:k + 2])


def _room_for_an_empty_column(tokens: list[Token], initiatives: list[_Owner]) -> bool:
    """Whether, in a text export (no boxes), an empty line stands right above a 具体的取組 label other than the first:
    where an export writes the slot of a target column left without a block in that row, so that blocks paired with
    the targets in order might as well all serve one target (the real export writes the next block right under the
    last line of the one before)."""
    if any(o.token.cell.bbox is not None for o in initiatives):
        return False
    written = {(t.cell.page, t.cell.row) for t in tokens if t.text.strip()}
    return any((o.token.cell.page, o.token.cell.row - 1) not in written for o in initiatives[1:])


def _stacked_in_turn(targets: list[_Owner], initiatives: list[_Owner], tokens: list[Token], template_stacks: bool
                     ) -> tuple[bool, list[Initiative]]:
    """Whether the targets stand one under another in one column band, each directly followed by its own
    initiatives (an initiative between every two of them): a sheet stacking its targets. Where two stand
    together with none between them (side by side, in rows of two), they are read as one band's blocks; in a
    text export with an empty line between the upper one's status values and the lower one (:func:`_gap_under`),
    that line may as well stand for the upper target's initiative rows left empty on a stacked sheet, and how
    many lines an export writes there says nothing: the initiatives after the lower one are returned, to be
    named. Where the document's template stacks its targets (``template_stacks``: another goal sheet stands a
    具体的取組 between two of them), targets one under another in one band are stacked in turn, those with none
    between them having their initiatives left empty."""
    cells = [t.token.cell for t in targets]
    if len(cells) < 2 or not all(band_overlap(a, b) > 0 for i, a in enumerate(cells) for b in cells[i + 1:]):
        return False, []
    ordered = sorted(targets, key=lambda t: t.token.order)
    last = ordered[-1].token
    together = [(k, a, b) for k, (a, b) in enumerate(zip(ordered, ordered[1:]))
                if not any(a.token.order < i.token.order < b.token.order for i in initiatives)]
    if not any(i.token.order > last.order and i.token.cell.page == last.cell.page for i in initiatives):
        # no initiative after the last target on its page: with one between every two targets, the sheet
        # stacks them and the last one's are left empty (side-by-side blocks never part targets with a
        # 具体的取組); otherwise nothing to tell
        return not together, []
    if together and template_stacks:
        return True, []  # the upper ones' initiatives left out of a stacked template
    gaps = [(k, a, b) for k, a, b in together if _gap_under(tokens, a.token.cell, b.token.cell)]
    doubted: list[Initiative] = []
    for k, a, b in gaps:
        until = ordered[k + 2].token.order if k + 2 < len(ordered) else None
        doubted += [i.record for i in initiatives  # type: ignore[misc]
                    if i.token.order > b.token.order and (until is None or i.token.order < until)]
    return not together, doubted


_STATUS_LABELS = {Label.STATUS, Label.GRADE, Label.STATUS_GRADE}


def _gap_under(tokens: list[Token], upper: Cell, lower: Cell) -> bool:
    """In a text export (no boxes), an empty line between the status values of the target at ``upper`` and the
    next target's label at ``lower``: where a stacked sheet writes the first target's initiative rows left
    empty. Side-by-side blocks written one under another follow each other with none (the real export: the
    status labels' value line, then the next block), though an export may write one there too."""
    if upper.bbox is not None or lower.bbox is not None or upper.page != lower.page:
        return False
    between = _empty_after_status(tokens, upper, lower.row)
    return between is not None and between > 0


def _empty_after_status(tokens: list[Token], target: Cell, end: int) -> int | None:
    """The empty lines of a text export between the status values of the target at ``target`` (the line under
    its last 達成状況 label, which may be empty) and the line ``end``; ``None`` where no status label stands
    between."""
    written = {t.cell.row for t in tokens if t.cell.page == target.page and t.text.strip()}
    status = [t.cell.row for t in tokens if t.cell.page == target.page and target.row < t.cell.row < end
              and t.label is not None and t.label.label in _STATUS_LABELS]
    if not status:
        return None
    return sum(row not in written for row in range(max(status) + 2, end))


def _side_by_side(targets: list[_Owner]) -> bool:
    """True when the targets stand in separate columns (no two share a column band)."""
    cells = [t.token.cell for t in targets]
    return all(band_overlap(a, b) == 0 for i, a in enumerate(cells) for b in cells[i + 1:])


def _target_by_column(init: _Owner, targets: list[_Owner]) -> int | None:
    cell = init.token.cell
    width = max(band(cell)[1] - band(cell)[0], 1e-6)
    candidates = []
    for target in targets:
        tb = band(target.token.cell)
        share = band_overlap(cell, target.token.cell) / max(min(width, tb[1] - tb[0]), 1e-6)
        if share >= 0.5:
            candidates.append(target)
    if not candidates:
        return None
    stacked = all(band_overlap(a.token.cell, b.token.cell) > 0 for a in candidates for b in candidates)
    if not stacked:
        return None
    preceding = [t for t in candidates if t.token.order < init.token.order]
    chosen = preceding[-1] if preceding else candidates[0]
    return chosen.record.target_no  # type: ignore[union-attr]
