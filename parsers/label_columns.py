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

from dataclasses import dataclass

from plansheet.parsers.labels import Label, LabelMatch, Placement
from plansheet.parsers.layout import Token, band_overlap, below_its_box, past_empty_lines, reads_like_label

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


# labels whose text (prose) stands below them: a row glued into one is a label row's tail
_PROSE = frozenset({Label.TARGET, Label.STATUS, Label.GRADE, Label.STATUS_GRADE, Label.INITIATIVE, Label.RESULTS,
                    Label.SUMMARY, Label.OVERALL_GRADE, Label.NEXT_STEPS})


def _glued(token: Token) -> bool:
    """``token`` is a value read into the text of a label whose text stands below it."""
    owner = token.owner
    return token.label is None and owner is not None and owner.label is not None \
        and owner.label.label in _PROSE and owner.label.placement is Placement.BELOW


def _row_order(tokens: list[Token]) -> list[list[Token]]:
    rows: dict[tuple[int, int], list[Token]] = {}
    for token in tokens:
        if token.text.strip():
            rows.setdefault(_row(token), []).append(token)
    return [sorted(r, key=lambda t: t.cell.col) for _, r in sorted(rows.items())]


def _label_and_value(tokens: list[Token], first: Token, second: Token) -> bool:
    """``label | value``: ``first`` reads like a label and is not the first line of the text it was read into (or
    stands below that label's box, or past the empty line or row its box left empty where no boxes are seen), and ``second``, at its right, was read into the same text (two cells of one row
    are no lines of one prose), or into none (a column no label heads), or into a label further up (its column
    heads no box of its own here: an export's or a print's columns that do not line up); not into a label of a
    column at the right (two targets' texts side by side)."""
    owner = first.owner
    if not _glued(first) or owner is None or not reads_like_label(first.text) or second.label is not None:
        return False
    if owner.values and owner.values[0] is first and not below_its_box(first.cell, owner) \
            and not past_empty_lines(tokens, first, owner):
        return False  # the field's own first line, however short (not past its box left empty)
    return second.owner is None or second.owner.order <= owner.order


def _label_row(rows: list[list[Token]], k: int) -> bool:
    """A row of three cells or more, each reading like a label, over a row of as many cells in the same columns:
    the head of a table of its own (指標名 | 基準値 | 目標値 | 実績値 over a row of figures)."""
    row = rows[k]
    if len(row) < 3 or not all(reads_like_label(t.text) for t in row) or k + 1 >= len(rows):
        return False
    under = rows[k + 1]
    return len(under) == len(row) and all(t.label is None for t in under) and \
        all(band_overlap(a.cell, b.cell) > 0 for a, b in zip(row, under))


@dataclass(frozen=True)
class UnknownRow:
    """A row cut out of the text it was read into: ``head`` (its first cell), the labels it was glued onto."""

    head: Token
    above: tuple[Token, ...]
    values: tuple[str, ...]


def cut_unknown_rows(tokens: list[Token]) -> list[UnknownRow]:
    """A row whose cells were read into the text of a label above (a prose field) and that reads as a label row,
    ``label | value`` (事業費（千円） | 12,400, 前年度の達成度 | B, スケジュール | 4月～3月) or a row of labels over a
    row of values (a KPI table), is the label of a section the tables have no field for, never the tail of that
    text: each field it stood in ends above it, and it and everything after it in that field are left out
    (labelled :attr:`Label.OTHER`). Mutates tokens (after values are attached); returns what it cut."""
    rows = _row_order(tokens)
    found = []
    for k, row in enumerate(rows):
        if any(t.label is not None for t in row):
            continue
        if _label_row(rows, k) and _glued(row[0]):
            found.append(_cut(row[0], row + rows[k + 1]))  # a table's head, and its row of values
            continue
        for first, second in zip(row, row[1:]):
            if first.label is None and _label_and_value(tokens, first, second):
                found.append(_cut(first, [first, second]))
    return found


def _cut(head: Token, cells: list[Token]) -> UnknownRow:
    """Cut ``cells`` (``head`` first) and what follows each in the text it was read into; ``head`` labels them."""
    owners, cut = [], []
    for cell in cells:
        owner = cell.owner
        if owner is None:
            cut.append(cell)  # (an export's column no label stands over)
        elif cell in owner.values:  # (else cut with a cell before it)
            at = owner.values.index(cell)
            cut += owner.values[at:]
            owner.values = owner.values[:at]
            owners.append(owner)
    rest = [t for t in cut if t is not head]
    head.owner, head.label, head.values = None, LabelMatch(Label.OTHER, Placement.BELOW), rest
    for value in rest:
        value.owner = head
    return UnknownRow(head, tuple(owners), tuple(t.text.strip() for t in rest if t.text.strip()))


def row_warning(goal_no: int, cut: UnknownRow, fields: str) -> str:
    """The warning naming a row cut out of ``fields`` (the text it had been read into)."""
    shown = ", ".join(repr(s[:20]) for s in cut.values[:4]) + ("…" if len(cut.values) > 4 else "")
    return (f"goal {goal_no} (page {cut.head.cell.page}) {fields}: {cut.head.text.strip()!r} and what stands beside "
            f"it ({shown}) read as the label row of a section this reader does not know, not as that text's end; "
            "left out")
