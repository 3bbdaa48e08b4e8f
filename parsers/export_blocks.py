"""Which target column each initiative block of a text export stands in, from the order of its lines.

A text export may write the side-by-side blocks of a goal sheet one below the other, so
the tab column no longer tells an initiative's target. The order of the lines still does.
Each row of initiative blocks is written for every target column in turn, and every
column fills one *slot* of that row:

- a column with a block fills its slot with the block's ``具体的取組`` label (written block
  by block, or with the row's labels stacked one per column);
- a column with no block in that row (its cell left empty) writes one empty line.

A ``具体的な取組実績`` label (or a stack of k of them) is followed by its value lines (k of
them), which may be empty: those empty lines are values, not slots. After the last row
come one empty line and ``総合評価・総括``. Slot j then stands in target column
``j mod n`` (``n`` targets). The reading is trusted only when the whole section parses
this way: the slots fill whole rows, every row has a block, a column's blocks run down
from the top without a hole, and every initiative has its slot. Otherwise it is ``None``
and the targets cannot be told.
"""
from __future__ import annotations

from collections import defaultdict

from plansheet.parsers.labels import Label
from plansheet.parsers.layout import Token

_SECTION_END = {Label.SUMMARY, Label.OVERALL_GRADE, Label.NEXT_STEPS}


def block_columns(tokens: list[Token], initiatives: list[Token], n_targets: int) -> list[int] | None:
    """The 1-based target column of each of ``initiatives`` (tokens of one text-export goal
    sheet, in reading order), or ``None`` when the lines do not tell (see the module docstring)."""
    if n_targets < 2 or not initiatives or any(t.cell.bbox is not None for t in initiatives):
        return None
    page, start = initiatives[0].cell.page, initiatives[0].cell.row
    if any(t.cell.page != page for t in initiatives):
        return None
    rows: dict[int, list[Token]] = defaultdict(list)
    for token in tokens:
        if token.cell.page == page:
            rows[token.cell.row].append(token)
    end = next((row for row in sorted(rows) if row > start
                and any(t.label is not None and t.label.label in _SECTION_END for t in rows[row])), None)
    if end is None or rows.get(end - 1):
        return None  # no closing label, or no empty line before it
    slots = _slots([rows.get(row, []) for row in range(start, end - 1)])
    if slots is None or len(slots) % n_targets:
        return None
    filled = [s for s in slots if s is not None]
    if [id(t) for t in filled] != [id(t) for t in initiatives]:
        return None
    bands = [{k for k in range(n_targets) if slots[b + k] is not None} for b in range(0, len(slots), n_targets)]
    if not all(bands) or any(not lower <= upper for upper, lower in zip(bands, bands[1:])):
        return None
    place = {id(t): i % n_targets + 1 for i, t in enumerate(slots) if t is not None}
    return [place[id(t)] for t in initiatives]


def _slots(lines: list[list[Token]]) -> list[Token | None] | None:
    """The slots of the initiative section's lines: a 具体的取組 label token, or ``None`` for an
    empty line that is no value; ``None`` overall when a results stack lacks its value lines."""
    slots: list[Token | None] = []
    results_run = 0  # 具体的な取組実績 labels on consecutive lines so far
    owed = 0  # value lines still owed to the last results stack
    for line in lines:
        labels = [t.label.label for t in line if t.label is not None]
        if Label.RESULTS in labels:
            results_run += 1
            owed = results_run
            continue
        results_run = 0
        if labels:
            if owed:
                return None  # a label where a results value line should stand
            if Label.INITIATIVE in labels:
                slots.append(next(t for t in line if t.label is not None and t.label.label is Label.INITIATIVE))
        elif owed:
            owed -= 1
        elif not line:
            slots.append(None)
    return None if owed else slots
