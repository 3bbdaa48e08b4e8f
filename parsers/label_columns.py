"""Columns of a goal sheet's label rows that the tables have no field for.

A goal sheet heads its boxes with rows of labels, each over its text (``今年度の達成目標`` over the target,
``達成状況 | 達成度`` over a status and its grade). Other cities add columns to those rows: a value beside the
target (``今年度の達成目標 | 目標値`` over ``text | 45%``), a figure beside the status (``達成状況 | 実績値 | 達成度``),
a grade of each initiative (``具体的取組 | 所管室・課 | 具体的な取組実績 | 達成度``). Two rules read them:

- a cell in a row of labels, standing over a value as the label beside it does, is a column label (known or not),
  never that label's value: one this reader does not know heads a column the tables have no field for, whose
  values are left out (:func:`label_value_columns`);
- a 達成度 label stands for the record whose label row it shares: beside an initiative's labels it grades the
  initiative, which the tables have no field for, never the target above (:func:`label_record_grades`).

Both relabel the cell :attr:`Label.UNKNOWN` placed :attr:`Placement.BELOW` (its values, under it, are its own
and left out); :func:`column_warning` names it.
"""
from __future__ import annotations

from plansheet.parsers.labels import Label, LabelMatch, Placement
from plansheet.parsers.layout import Token, band_overlap, reads_like_label

# the labels of an initiative's block: a grade in their row is the initiative's
_INITIATIVE_ROW = frozenset({Label.INITIATIVE, Label.SECTION, Label.RESULTS})


def _row(token: Token) -> tuple[int, int]:
    return token.cell.page, token.cell.row


def _left_label(tokens: list[Token], i: int) -> Token | None:
    """The nearest cell left of ``tokens[i]`` in its row, where it is a label."""
    cell = tokens[i].cell
    for j in range(i - 1, -1, -1):
        other = tokens[j]
        if _row(other) != _row(tokens[i]):
            return None
        if other.cell.col < cell.col and other.text.strip():
            return other if other.label is not None else None
    return None


def _value_under(tokens: list[Token], token: Token) -> bool:
    """A cell with text that is no label stands in the row right under ``token``'s box, in its column band."""
    below = (token.cell.page, token.cell.row_end)  # (row_end: the row after its last)
    return any(_row(t) == below and t.label is None and t.text.strip() and band_overlap(t.cell, token.cell) > 0
               for t in tokens)


def label_value_columns(tokens: list[Token]) -> list[Token]:
    """Each value cell right of a label whose text stands below it (今年度の達成目標, 達成状況), that reads like a
    label, where a label stands at its right too (達成状況 | 実績値 | 達成度: a row of labels, whatever is under
    it), or where both it and that label stand over a value in the row under them (今年度の達成目標 | 目標値 over
    text | 45%): a column label the tables have no field for, not the label's value. A label written beside its
    text has the next label under it, not a value. Relabels them (before values are attached); returns them."""
    found = []
    for i, token in enumerate(tokens):
        if token.label is not None or token.owner is not None or not reads_like_label(token.text):
            continue
        left = _left_label(tokens, i)
        if left is None or left.label is None or left.label.placement is not Placement.BELOW or left.values:
            continue
        right = next((t for t in tokens[i + 1:] if t.text.strip()), None)
        between = right is not None and right.label is not None and _row(right) == _row(token)
        if between or _value_under(tokens, left) and _value_under(tokens, token):
            token.label = LabelMatch(Label.UNKNOWN, Placement.BELOW)
            found.append(token)
    return found


def label_record_grades(tokens: list[Token]) -> list[Token]:
    """Each 達成度 label in a row of an initiative's labels (具体的取組, 所管室・課, 具体的な取組実績): the
    initiative's own grade, a field the tables do not have. Relabels them (before values are attached); returns
    them."""
    rows = {}
    for token in tokens:
        if token.label is not None:
            rows.setdefault(_row(token), set()).add(token.label.label)
    found = []
    for token in tokens:
        if token.label is not None and token.label.label is Label.GRADE and rows[_row(token)] & _INITIATIVE_ROW:
            token.label = LabelMatch(Label.UNKNOWN, Placement.BELOW)
            found.append(token)
    return found


def column_warning(goal_no: int, token: Token, graded: bool) -> str:
    """The warning naming a column left out, with its values (``graded``: an initiative's own grade)."""
    shown = [v.text.strip() for v in token.values if v.text.strip()]
    values = ", ".join(repr(s) for s in shown[:3]) + ("…" if len(shown) > 3 else "")
    what = "grades each 具体的取組 (no target), which the tables have no field for" if graded else \
        "heads a column the tables have no field for"
    return (f"goal {goal_no} (page {token.cell.page}): {token.text.strip()!r} in a row of labels {what}; "
            f"that column ({values}) is left out")
