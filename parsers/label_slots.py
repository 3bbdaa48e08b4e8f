"""Labels a goal sheet repeats in every 具体的取組 block (所管室・課, 具体的な取組実績) stand in the same slot
of each block: the same column, beside or above their text, in the same order among the block's labels. A
cell in that slot of a block that shows no such label, reading as a label does, is that field's label printed
under another name (主管部署, 取組の成果, a misprint): it labels that block's own field, never a reason to give
the block's text to another initiative. A 所管室・課 slot's cell beside no section's name (担当者 | 山田 太郎) is
another field's label, left as it was.

Where no block of the sheet shows the label (a goal with one 具体的取組, its label printed otherwise), the slot is
the template's: a block's labels start at its first column, in the order 具体的取組, 所管室・課 (its section's name
beside it), 具体的な取組実績 (its text beside or below it).
"""
from __future__ import annotations

from dataclasses import dataclass

from plansheet.parsers.labels import SECTION_NAME, Label, LabelMatch, Placement
from plansheet.parsers.layout import Token, band_overlap, reads_like_label

REPEATED = (Label.SECTION, Label.RESULTS)
# labels that end an initiative's block (another block, a target's, or a goal field's)
_BLOCK_END = {Label.INITIATIVE, Label.TARGET, Label.GOAL_HEADING, Label.DEPARTMENT, Label.SUMMARY,
              Label.OVERALL_GRADE, Label.NEXT_STEPS}


@dataclass(frozen=True)
class Relabelled:
    """A cell read as ``label`` for standing in its slot, and the text printed there."""

    token: Token
    label: Label
    printed: str


def _block(tokens: list[Token], i: int) -> list[Token]:
    """The tokens of the block opened by the 具体的取組 label ``tokens[i]``: those after it in its column band, up
    to the next label that ends a block there."""
    head = tokens[i]
    out: list[Token] = []
    for token in tokens[i + 1:]:
        if band_overlap(token.cell, head.cell) <= 0:
            continue
        if token.label is not None and token.label.label in _BLOCK_END:
            break
        out.append(token)
    return out


def _own_text(tokens: list[Token], head: Token, block: list[Token]) -> Token | None:
    """The cell holding the initiative's own text: at its 具体的取組 label's right where the sheet writes it there
    (a side label), else the first under it."""
    k = tokens.index(head)
    right = tokens[k + 1] if k + 1 < len(tokens) else None
    if right is not None and not right.is_label and right.text.strip() and \
            (right.cell.page, right.cell.row) == (head.cell.page, head.cell.row) and right.cell.col > head.cell.col:
        return right
    return block[0] if block else None


def _beside(tokens: list[Token], token: Token) -> bool:
    """A value stands right of ``token`` in its row."""
    k = tokens.index(token)
    right = tokens[k + 1] if k + 1 < len(tokens) else None
    return right is not None and not right.is_label and \
        (right.cell.page, right.cell.row) == (token.cell.page, token.cell.row) and right.cell.col > token.cell.col


def _value_fits(tokens: list[Token], token: Token, field: Label) -> bool:
    """The text beside ``token`` can be ``field``'s: a section's slot holds a section's name (ending as one does:
    課, 室, センター …), never a person's (担当者 | 山田 太郎 is another field)."""
    if field is not Label.SECTION:
        return True
    k = tokens.index(token)
    return k + 1 < len(tokens) and SECTION_NAME.match(tokens[k + 1].text.strip()) is not None


def _alone_in_row(tokens: list[Token], token: Token) -> bool:
    return all(t is token or (t.cell.page, t.cell.row) != (token.cell.page, token.cell.row) for t in tokens)


def relabel_slots(tokens: list[Token]) -> list[Relabelled]:
    """Give a repeated field's label to the cell standing in its slot in a block that shows none (see the module
    docstring); mutates tokens (before values are attached). Only where the sheet's other blocks show the slot
    (the label's column and whether its text stands beside it) and one cell alone fits it."""
    blocks = [(tokens[i], _block(tokens, i)) for i, t in enumerate(tokens)
              if t.label is not None and t.label.label is Label.INITIATIVE]
    found: list[Relabelled] = []
    for field in REPEATED:
        shown = [(head, block, next(t for t in block if t.label is not None and t.label.label is field))
                 for head, block in blocks if any(t.label is not None and t.label.label is field for t in block)]
        if shown:
            shapes: set[tuple[int, int, bool]] | None = \
                {(lab.cell.col, lab.cell.col_span, _beside(tokens, lab)) for _, _, lab in shown}
            # the labels standing before / after this one in a block that shows it
            before = {t.label.label for _, block, lab in shown for t in block[:block.index(lab)] if t.label is not None}
            after = {t.label.label for _, block, lab in shown for t in block[block.index(lab) + 1:]
                     if t.label is not None}
            placement = shown[0][2].label.placement  # type: ignore[union-attr]
        else:  # no block shows it: the template's slot
            shapes, (before, after), placement = None, _TEMPLATE_ORDER[field], _TEMPLATE_PLACEMENT[field]
        for head, block in blocks:
            if any(t.label is not None and t.label.label is field for t in block) or not block:
                continue
            fits = []
            own_text = _own_text(tokens, head, block)
            for k, token in enumerate(block):
                if token.is_label or token is own_text:
                    continue
                labels_before = {t.label.label for t in block[:k] if t.label is not None}
                labels_after = {t.label.label for t in block[k + 1:] if t.label is not None}
                beside = _beside(tokens, token)
                in_slot = (token.cell.col, token.cell.col_span, beside) in shapes if shapes is not None \
                    else _template_slot(tokens, [h for h, _ in blocks], head, token, field, beside)
                if shapes is None and not _TEMPLATE_ORDER[field][0] <= labels_before:
                    continue  # the template's 具体的な取組実績 row follows its 所管室・課 row
                if (in_slot and reads_like_label(token.text) and not labels_before & after
                        and not labels_after & before and (beside or _alone_in_row(tokens, token))
                        and _value_fits(tokens, token, field)):
                    fits.append(token)
            if len(fits) == 1:
                fits[0].label = LabelMatch(field, placement)
                found.append(Relabelled(fits[0], field, fits[0].text))
    return found


# the template's block: 具体的取組, then 所管室・課 with the section's name at its right, then 具体的な取組実績 (the
# labels of the block standing before / after each)
_TEMPLATE_ORDER = {Label.SECTION: (set(), {Label.RESULTS}), Label.RESULTS: ({Label.SECTION}, set())}
_TEMPLATE_PLACEMENT = {Label.SECTION: Placement.RIGHT, Label.RESULTS: Placement.BELOW}


def _template_slot(tokens: list[Token], heads: list[Token], head: Token, token: Token, field: Label,
                   beside: bool) -> bool:
    """``token`` stands where the template prints ``field``'s label in the block ``head`` opens: at the block's
    first column (where its labels start), a 所管室・課 with its section beside it; a text beside it stands in the
    columns of no block beside this one (it is then that block's text)."""
    if token.cell.col != head.cell.col or (field is Label.SECTION and not beside):
        return False
    right = tokens[tokens.index(token) + 1].cell if beside else None
    return right is None or all(band_overlap(right, h.cell) == 0 for h in heads
                                if h is not head and (h.cell.page, h.cell.row) == (head.cell.page, head.cell.row))
