"""Which target column each initiative block of a text export stands in, from the order of its lines.

A text export may write the side-by-side blocks of a goal sheet one below the other, so
the tab column no longer tells an initiative's target. The order of the lines still does.
Each row of initiative blocks is written for every target column in turn, and every
column fills one *slot* of that row:

- a column with a block fills its slot with the block's ``具体的取組`` label (written block
  by block, or with the row's labels stacked one per column);
- a column with no block in that row (its cell left empty) writes one empty line.

A ``具体的な取組実績`` label (or a stack of k of them) is followed by its value lines (k of
them), which may be empty: those empty lines are values, not slots. Where the sheet writes
each label left of its text (another year's sheet), the results stand on the label's own
line and no line is owed. An empty results label says neither: where the 具体的取組 labels
stand beside their texts and no results text stands below its label, both readings are
tried, and the lines tell the targets only when the readings that parse agree.

One empty line parts the targets' last ``達成状況 | 達成度`` values from the first row, and
the last row from ``総合評価・総括``. Slot j then stands in target column ``j mod n`` (``n`` targets). The
reading is trusted only when the whole section parses this way: the slots fill whole
rows, every row has a block, a column's blocks run down from the top without a hole, and
every initiative has its slot. When the lines above the first block do not parse (an
export with more empty lines), the slots are counted from the first ``具体的取組``, which
holds when the first target has a block; when neither parses the result is ``None`` and
the targets cannot be told.
"""
from __future__ import annotations

from collections import defaultdict

from plansheet.parsers.labels import Label
from plansheet.parsers.layout import Token

_SECTION_END = {Label.SUMMARY, Label.OVERALL_GRADE, Label.NEXT_STEPS}
_STATUS = {Label.STATUS, Label.GRADE, Label.STATUS_GRADE}


def block_columns(tokens: list[Token], initiatives: list[Token], n_targets: int) -> list[int] | None:
    """The 1-based target column of each of ``initiatives`` (tokens of one text-export goal
    sheet, in reading order), or ``None`` when the lines do not tell (see the module docstring)."""
    return block_reading(tokens, initiatives, n_targets)[0]


def block_reading(tokens: list[Token], initiatives: list[Token], n_targets: int) -> tuple[list[int] | None, bool]:
    """:func:`block_columns`, and whether the reading was counted from the first ``具体的取組`` where the lines
    above it, under the targets, do not parse: it then holds only if the first target has a block, which the
    lines cannot show (fuzz 54011-0036: target 1 had none, and one more empty line than the slots owed)."""
    if n_targets < 2 or not initiatives or any(t.cell.bbox is not None for t in initiatives):
        return None, False
    page, start = initiatives[0].cell.page, initiatives[0].cell.row
    if any(t.cell.page != page for t in initiatives):
        return None, False
    rows: dict[int, list[Token]] = defaultdict(list)
    for token in tokens:
        if token.cell.page == page:
            rows[token.cell.row].append(token)
    end = next((row for row in sorted(rows) if row > start
                and any(t.label is not None and t.label.label in _SECTION_END for t in rows[row])), None)
    if end is None or rows.get(end - 1):
        return None, False  # no closing label, or no empty line before it
    first_row = _after_targets(rows, start)
    above = first_row is not None and first_row < start  # empty lines stand between the targets and the first block
    for begin in ([first_row] if above else []) + [start]:
        lines = [rows.get(row, []) for row in range(begin, end - 1)]
        readings = set()  # an empty results label owes a value line, or (labels beside their texts) none
        for beside in (False, True) if _labels_beside(lines) else (False,):
            slots = _slots(lines, beside)
            if slots is not None and _whole_rows(slots, initiatives, n_targets):
                place = {id(t): i % n_targets + 1 for i, t in enumerate(slots) if t is not None}
                readings.add(tuple(place[id(t)] for t in initiatives))
        if len(readings) == 1:
            return list(readings.pop()), above and begin == start
        if readings:
            return None, False  # both readings parse and disagree: the targets cannot be told
    return None, False


def _after_targets(rows: dict[int, list[Token]], start: int) -> int | None:
    """The line after the one empty line under the targets' last 達成状況 | 達成度 values
    (k value lines under a stack of k label lines), or ``None`` when the lines do not fit."""
    status = [row for row in rows if row < start and _labels(rows[row]) & _STATUS]
    if not status:
        return None
    last = max(status)
    size = 1
    while _labels(rows.get(last - size, [])) & _STATUS:
        size += 1
    values = [rows.get(row, []) for row in range(last + 1, last + size + 1)]
    if any(_labels(line) for line in values) or rows.get(last + size + 1):
        return None
    return last + size + 2


def _whole_rows(slots: list[Token | None], initiatives: list[Token], n_targets: int) -> bool:
    """True when the slots fill whole rows, every initiative has one, every row has a block
    and each column's blocks run down from the top without a hole."""
    if not slots or len(slots) % n_targets:
        return False
    if [id(t) for t in slots if t is not None] != [id(t) for t in initiatives]:
        return False
    bands = [{k for k in range(n_targets) if slots[b + k] is not None} for b in range(0, len(slots), n_targets)]
    return all(bands) and all(lower <= upper for upper, lower in zip(bands, bands[1:]))


def _labels(line: list[Token]) -> set[Label]:
    return {t.label.label for t in line if t.label is not None}


def _first_label(line: list[Token], name: Label) -> Token | None:
    """The first label ``name`` on ``line``, or None."""
    return next((t for t in line if t.label is not None and t.label.label is name), None)


def _labels_beside(lines: list[list[Token]]) -> bool:
    """True when the section writes each 具体的取組 label beside its text, and no 具体的な取組実績
    label has its text on the line below: then an empty results label may owe no line."""
    initiatives = [t for line in lines if (t := _first_label(line, Label.INITIATIVE)) is not None]
    if not initiatives or not all(t.value_at_right for t in initiatives):
        return False
    for line, below in zip(lines, lines[1:]):
        results = _first_label(line, Label.RESULTS)
        if results is not None and not results.value_at_right and below and not _labels(below):
            return False  # its text on the next line: results below their label
    return True


def _slots(lines: list[list[Token]], beside: bool) -> list[Token | None] | None:
    """The slots of the initiative section's lines: a 具体的取組 label token, or ``None`` for an
    empty line that is no value; ``None`` overall when a results stack lacks its value lines.
    A results label with its text at its right owes no line; an empty one owes a line unless
    ``beside`` (the sheet writes its labels beside their texts)."""
    slots: list[Token | None] = []
    results_run = 0  # 具体的な取組実績 labels on consecutive lines so far that owe a value line
    owed = 0  # value lines still owed to the last results stack
    for line in lines:
        labels = _labels(line)
        if Label.RESULTS in labels:
            label = _first_label(line, Label.RESULTS)
            results_run += 0 if label is not None and label.value_at_right or beside else 1
            owed = results_run
            continue
        results_run = 0
        if labels:
            if owed:
                return None  # a label where a results value line should stand
            if Label.INITIATIVE in labels:
                slots.append(_first_label(line, Label.INITIATIVE))
        elif owed:
            owed -= 1
        elif not line:
            slots.append(None)
    return None if owed else slots
