"""A numbered list whose numbers stand in a cell of their own: ``1 | 胃がん検診について…``.

A person typing a list into a worksheet often gives its numbers a narrow column of their own, left of
the text (``1``, ``①``, ``（１）``, ``1.``, ``・``); a text export then writes ``1<TAB>…`` and an HTML page or
a PDF a cell of its own. Read by place alone, the number cell stands under the field's label and the text at
its right under none, so the field kept only its numbers (review 6, Y1).

The rule: a cell holding only a list number (or a ``・`` bullet) is the head of the line it opens; the text
in the cell at its right on the same line is that list item, part of the same field. The item keeps its
number, as a list typed inside one cell does (``（１）胃がん…（２）若い…``): the number and its text are
joined with one space after a number that ends in a digit or a period (``1 胃がん…``, ``1. 胃がん…``), as
a list typed in one cell writes them, and with none after a bracket, a circled number or a bullet
(``（１）胃がん…``, ``①胃がん…``, ``・胃がん…``). The items are then the field's lines, joined as lines are. A lone grade letter at a number's right is the
grade's cell beside a bare figure, never an item's text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace

import regex

from plansheet.core.model import BBox, Cell
from plansheet.parsers.grade_heads import GRADE_LETTER
from plansheet.parsers.labels import Label
from plansheet.parsers.layout import Token

# a list item's number alone: 1 １ 1. １． 1) （１） (1) ① ⑴ ⒈ ❶ ➀, or the bullet ・
LIST_NUMBER = regex.compile(r"^[ \u3000]*(?:[0-9０-９]{1,2}[.．)）]?|[(（][0-9０-９]{1,2}[)）]"
                            r"|[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]|・)[ \u3000]*$")
# a field whose text is list numbers and nothing else (1 2, ①②, （１）（２）, 1.2., （１）): marked numbers, or two or
# more bare ones parted by spaces (a lone 12, 100 or 2023 may be a figure, and 0.5 is one)
_MARKED = r"(?:[0-9０-９]{1,2}(?:[.．](?![0-9０-９])|[)）])|[(（][0-9０-９]{1,2}[)）]|[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]|・)"
_BARE = r"[0-9０-９]{1,2}(?=[ \u3000]|$)"
ONLY_LIST_NUMBERS = regex.compile(rf"^[ \u3000]*(?:{_MARKED}[ \u3000]*)+$|^[ \u3000]*(?:(?:{_MARKED}|{_BARE})[ \u3000]*){{2,}}$"
                               r"|^[ \u3000]*(?:[0-9０-９]{1,2}[.．])+[ \u3000]*$")  # 1.2. (each number dotted)
_SPACED_AFTER = regex.compile(r"[0-9０-９.．]$")
# the list number an item opens with (its text after it)
_ITEM_HEAD = regex.compile(r"^[ \u3000]*(?P<mark>[0-9０-９]{1,2}(?:[.．](?![0-9０-９])|[)）]|(?=[ \u3000]))|[(（][0-9０-９]{1,2}[)）]"
                           r"|[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]|・)")


def is_list_number(text: str) -> bool:
    """``text`` is a list item's number (or a ``・`` bullet) and nothing else."""
    return LIST_NUMBER.match(text) is not None


def only_list_numbers(text: str | None) -> bool:
    """``text`` holds list numbers and nothing else: a list whose items' text was lost."""
    return bool(text) and ONLY_LIST_NUMBERS.match(text or "") is not None


def list_item(number: str, text: str) -> str:
    """The list item a number cell and the text at its right make (module docstring): ``1 胃がん…``,
    ``（１）胃がん…``."""
    number, text = number.strip(" \u3000"), text.strip(" \u3000")
    return f"{number} {text}" if _SPACED_AFTER.search(number) else number + text


def item_cell(number: Cell, text: Cell) -> Cell:
    """One cell for a number cell and the text cell at its right: the item's text, the place both cover, the
    weaker OCR reading of the two. Its lines are the item's: the text cell's lines, the number before the first."""
    bbox = text.bbox
    if number.bbox is not None and text.bbox is not None:
        a, b = number.bbox, text.bbox
        bbox = BBox(min(a.x0, b.x0), min(a.top, b.top), max(a.x1, b.x1), max(a.bottom, b.bottom))
    scores = [c for c in (number.confidence, text.confidence) if c is not None]
    weakest = [c for c in (number.weakest_glyph, text.weakest_glyph) if c is not None]
    lines = (list_item(number.text, text.lines[0]), *text.lines[1:]) if text.lines else ()
    return replace(text, text=list_item(number.text, text.text), col=number.col,
                   col_span=max(text.col_end, number.col_end) - number.col, bbox=bbox,
                   confidence=min(scores) if scores else None, weakest_glyph=min(weakest) if weakest else None,
                   doubted_glyphs=number.doubted_glyphs + text.doubted_glyphs, lines=lines)


def join_list_items(tokens: list[Token], fields: frozenset[Label]) -> list[Token]:
    """``tokens`` (values attached, :func:`~layout.attach_values`) with each list item made one value: a value
    that holds only a list number and the text value at its right on the same line become one value
    (:func:`item_cell`) of the number's label, where that is a label of ``fields`` (a prose field). The item
    after it (the next number, in the same column on the next line) is that label's too, whatever stands above
    it (a label at the list's left spans its lines; an export writes it on the first alone), unless a label of
    its own stands at its left. The text is taken where no label owns it, or where the item's line is its label's
    (the label at its left, or the list goes on), whatever label the text's column stands under far above; not
    from another label above it (達成状況 | 達成度 over ``1 | A``). Returns the tokens left; mutates the labels'
    values."""
    dropped: set[int] = set()
    last: dict[tuple[int, int], Token] = {}  # the last item read, by (page, its number's column)
    for i, token in enumerate(tokens[:-1]):
        right = tokens[i + 1]
        if (id(token) in dropped or token.is_label or not is_list_number(token.text) or right.is_label
                or (right.cell.page, right.cell.row) != (token.cell.page, token.cell.row)
                or not right.text.strip() or is_list_number(right.text) or _is_grade(right.text)):
            continue
        own = token.owner is not None and _on_line(token.owner, token)
        above = last.get((token.cell.page, token.cell.col))
        goes_on = (not own and above is not None and above.owner is not None and above.cell.row_end == token.cell.row
                   and continues(above.text, list_item(token.text, right.text)))
        owner = above.owner if goes_on and above is not None else token.owner
        if owner is None or owner.label is None or owner.label.label not in fields:
            continue
        if right.owner not in (None, owner) and not (own or goes_on):
            continue
        if token.owner is not owner and above is not None:
            if token.owner is not None:
                token.owner.values.remove(token)
            token.owner = owner
            owner.values.insert(owner.values.index(above) + 1, token)
        last[(token.cell.page, token.cell.col)] = token
        token.cell = item_cell(token.cell, right.cell)
        if right.owner is not None:
            right.owner.values.remove(right)
        dropped.add(id(right))
    return [t for t in tokens if id(t) not in dropped] if dropped else tokens


def _is_grade(text: str) -> bool:
    """``text`` is a lone grade (``D``, ``○``): a grade's cell beside a bare figure (a status ``12`` over both
    columns of 達成状況／達成度), never a list item's text."""
    return GRADE_LETTER.match(text) is not None


def _on_line(label: Token, value: Token) -> bool:
    """``label`` stands on ``value``'s line (at its left)."""
    return (label.cell.page, label.cell.row) == (value.cell.page, value.cell.row)


def item_texts(tokens: list[Token]) -> list[str]:
    """The texts of ``tokens`` (one field's values, in reading order) with each list number alone in a cell joined
    to the text at its right on the same line (:func:`list_item`)."""
    texts: list[str] = []
    skip = False
    for token, right in zip(tokens, [*tokens[1:], None]):
        if skip:
            skip = False
            continue
        if (right is not None and is_list_number(token.text) and right.text.strip() and not is_list_number(right.text)
                and not _is_grade(right.text) and (right.cell.page, right.cell.row) == (token.cell.page, token.cell.row)):
            texts.append(list_item(token.text, right.text))
            skip = True
            continue
        texts.append(token.text)
    return texts


def _number(mark: str) -> int | None:
    """The count a list number stands for (``（２）``, ``②``, ``2.`` → 2); ``None`` for a bullet."""
    digits = regex.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", mark))
    if digits:
        return int(digits)
    value = unicodedata.numeric(mark, -1) if len(mark) == 1 else -1
    return int(value) if value > 0 else None


def continues(above: str, text: str) -> bool:
    """``text`` opens with the list item that follows the one ``above`` opens with (``2 …`` after ``1 …``, ``②``
    after ``①``, a ``・`` after a ``・``): the next line of one list."""
    a, b = _ITEM_HEAD.match(above), _ITEM_HEAD.match(text)
    if a is None or b is None:
        return False
    n, m = _number(a.group("mark")), _number(b.group("mark"))
    if n is None or m is None:
        return n is m and a.group("mark").strip() == b.group("mark").strip()
    return m == n + 1
