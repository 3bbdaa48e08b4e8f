"""A goal-sheet label worded as no year before it was, told by where it stands.

A goal sheet prints its labels in one order: the target's (今年度の達成目標), the 具体的取組 blocks, then the goal's
own fields: 総合評価・総括, 全体の達成度, 今後検討すべきこと. A label this reader does not know is read as a value
of the label above it, and its section's text glued into that field (評価 or 総合所見 over the summary: the summary
glued into the last initiative's results). Two rules keep it out:

- a line of a field's text that reads like a label (short, no sentence mark, not a list item), standing on a row of
  its own, with longer text after it, is a label, never the field's text: the field ends above it;
- such a label is the goal field the sheet shows no label for that stands in that place: after the last
  具体的取組 block (below a 具体的な取組実績 text), 総合評価・総括; below 全体の達成度, 今後検討すべきこと. It is read as
  that field, and named; elsewhere its section is left out, and the field above it is named.

:func:`relabel_goal_sheet_words` reads 目標 alone, a front sheet's overview column label, as the target's label on a
goal sheet, where its text stands under it (the goal sheet has no plan-goal column).
"""
from __future__ import annotations

from dataclasses import dataclass

from plansheet.parsers.grade_heads import GRADE_LETTER
from plansheet.parsers.labels import Label, LabelMatch, Placement
from plansheet.parsers.layout import (
    Token, band_overlap, below_its_box, bracketed_heading, past_empty_lines, reads_like_label,
)

# the labels whose text a label no one knows is glued into (their text stands below them)
_CUT = (Label.TARGET, Label.INITIATIVE, Label.RESULTS, Label.OVERALL_GRADE)


@dataclass(frozen=True)
class UnknownHead:
    """A label read from its place: ``head``, cut from the values of ``above``, is ``label`` (a goal field), or
    :attr:`Label.UNKNOWN` (its section left out: labelled :attr:`Label.OTHER`)."""

    head: Token
    above: Token
    label: Label


def _own_row(tokens: list[Token], token: Token) -> bool:
    """No other cell with text shares ``token``'s row."""
    return not any(t is not token and t.text.strip() and (t.cell.page, t.cell.row) == (token.cell.page, token.cell.row)
                   for t in tokens)


def _heading_at(tokens: list[Token], label: Token) -> int | None:
    """The index of the first value of ``label`` that reads like a label, alone in its row, with longer text after it,
    or, below the label's box (the sheet's boxes seen), with nothing after it (its own box left empty). The first value
    only where it stands below the label's box, or under 全体の達成度 (whose box holds a grade letter): else it is the
    field's own text, however short."""
    values = label.values
    for i, value in enumerate(values):
        # below the label's box: its text's box (the row under it), or the label's row where its value stands at its
        # right (全体の達成度 | B)
        below = below_its_box(value.cell, label) or label.value_at_right and value.cell.bbox is not None and \
            (value.cell.page, value.cell.row) != (label.cell.page, label.cell.row) or past_empty_lines(tokens, value, label)
        grade = label.label is not None and label.label.label is Label.OVERALL_GRADE
        if i == 0 and not below and not grade or not reads_like_label(value.text) \
                or bracketed_heading(value.text) and not grade or not _own_row(tokens, value) \
                or grade and GRADE_LETTER.match(value.text):
            continue  # (a grade's box holds a letter: a word there is a label, its own box left empty or not)
        following = next((v.text.strip() for v in values[i + 1:] if v.text.strip()), "")
        if len(following) > len(value.text.strip()) or not following and below:
            return i
    return None


def cut_unknown_heads(tokens: list[Token]) -> list[UnknownHead]:
    """Cut each label this reader does not know out of the text it was read into (see the module docstring); the
    label is the goal field of its place where the sheet shows none, else :attr:`Label.UNKNOWN`. Mutates tokens
    (after values are attached). Returns what it cut."""
    shown = {t.label.label for t in tokens if t.label is not None}
    # where the last 具体的取組 block begins (page, row): a goal field's label stands below every block
    last_block = max(((t.cell.page, t.cell.row) for t in tokens if t.label is not None
                      and t.label.label is Label.INITIATIVE), default=(-1, -1))
    found: list[UnknownHead] = []
    above: Token | None = None
    for token in list(tokens):
        if token.label is not None and token.label.label is Label.UNKNOWN and above is not None and \
                token.label.placement is Placement.RIGHT:  # (a column's label, above its values: label_columns)
            # a label beside its text, in the label column, that no one knows (layout.attach_values): the goal field
            # of its place, where the sheet shows none
            label = _goal_field_of_place(above, token, last_block, shown)
            if label is not None:
                token.label = LabelMatch(label, token.label.placement)
                shown.add(label)
                found.append(UnknownHead(token, above, label))
        if token.label is not None:
            above = token
        if token.label is None or token.label.label not in _CUT:
            continue
        at = _heading_at(tokens, token)
        if at is None:
            continue
        head, rest = token.values[at], token.values[at + 1:]
        label = _goal_field_of_place(token, head, last_block, shown) or Label.UNKNOWN
        token.values = token.values[:at]
        # a section left out is read as one the tables have no column for (備考's): its text in no field
        read_as = Label.OTHER if label is Label.UNKNOWN else label
        head.owner, head.label, head.values = None, LabelMatch(read_as, Placement.BELOW), rest
        for value in rest:
            value.owner = head
        shown.add(label)
        found.append(UnknownHead(head, token, label))
    return found


def _goal_field_of_place(above: Token, head: Token, last_block: tuple[int, int], shown: set[Label]) -> Label | None:
    """The goal field whose label ``head`` is, standing under ``above`` on a goal sheet, where the sheet shows no label
    of it: under a 具体的な取組実績 and below every block, 総合評価・総括; under 全体の達成度, 今後検討すべきこと."""
    kind = above.label.label if above.label is not None else None
    if kind is Label.RESULTS and (head.cell.page, head.cell.row) > last_block and Label.SUMMARY not in shown:
        return Label.SUMMARY
    if kind is Label.OVERALL_GRADE and Label.NEXT_STEPS not in shown:
        return Label.NEXT_STEPS
    return None


def relabel_goal_sheet_words(tokens: list[Token]) -> None:
    """目標 alone on a goal sheet, with no value at its right, is the target's label (a goal sheet has no plan-goal
    column: its 目標 heads the target's text below it). Mutates tokens (before values are attached)."""
    for i, token in enumerate(tokens):
        if token.label is None or token.label.label is not Label.PLAN_GOAL:
            continue
        right = tokens[i + 1] if i + 1 < len(tokens) else None
        if right is not None and not right.is_label and right.text.strip() and \
                (right.cell.page, right.cell.row) == (token.cell.page, token.cell.row):
            continue  # 目標 | (5) みんなでつくる…: a plan goal beside its label
        token.label = LabelMatch(Label.TARGET, Placement.BELOW)
