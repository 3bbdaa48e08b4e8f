"""Grade columns headed as other years head them, told by their place and by what stands under or beside them.

A target's status row heads two columns side by side: the status (prose), then the grade (one letter of the
legend). Most sheets write 達成状況 | 達成度; others 達成状況 | 評価, or 実績 | 達成状況 (an older sheet's wording:
実績 heads the status, 達成状況 the grade, as the overview heads the goals' grades 達成状況). Below the goal's
総合評価・総括, the row holding a label and one letter of the legend is the goal's overall grade, whatever the label
says (全体の達成度, 評価, 総合評価). The words are data (:data:`~plansheet.parsers.labels.STATUS_HEADS`,
``GRADE_HEADS``, ``OVERALL_GRADE_HEADS``); these words alone are no label (評価 may head an initiative's own grade),
so each is read as one only where it stands in such a place; so is a status row's head no list holds, made of the
words a status's or a grade's head is made of (実施状況, 進捗 | 達成度評価, 判定: ``_CORE``). Without this the header word was glued into the
status or the summary and the letter lost, or taken for a status.
"""
from __future__ import annotations

import regex

from plansheet.core.text import marks_nothing
from plansheet.parsers.labels import (
    GRADE_HEADS, OVERALL_GRADE_HEADS, STATUS_HEADS, Label, LabelMatch, Placement, label_key,
)
from plansheet.parsers.layout import Token, band_overlap, reads_like_label
from plansheet.parsers.unshown import unshown

# one letter of a legend (A–E, S, full-width, maybe with its label in brackets) or a symbol grade
GRADE_LETTER = regex.compile(r"^\s*(?:[A-Za-zＡ-Ｚａ-ｚ]|[◎○〇△×])(?:\s*[（(][^）)]*[）)])?\s*$")


def _row(tokens: list[Token], token: Token) -> list[Token]:
    return [t for t in tokens if (t.cell.page, t.cell.row) == (token.cell.page, token.cell.row)]


def _under(tokens: list[Token], head: Token) -> Token | None:
    """The cell standing below ``head`` in its column band, before the next row holding a label (its own block's
    rows: the text of another block below is no cell of this column), or ``None``."""
    for token in tokens[tokens.index(head) + 1:]:
        if token.cell.page != head.cell.page or token.cell.row < head.cell.row_end:
            if token.cell.page != head.cell.page:
                return None
            continue
        if token.is_label:
            return None
        if band_overlap(token.cell, head.cell) > 0:
            return token if token.text.strip() else None  # an empty box: nothing under it
    return None


def _grade_or_nothing(text: str) -> bool:
    """``text`` is one grade letter, or nothing: an empty box, a dash (－) in a box left empty, or what a spreadsheet
    prints in place of a value (``#VALUE!``, ``###``: a grade's formula or a letter too wide for its box)."""
    return not text.strip() or marks_nothing(text) or bool(GRADE_LETTER.match(text)) or unshown(text) is not None


def _holds_grade_or_nothing(tokens: list[Token], head: Token) -> bool:
    """Under ``head`` stands one grade letter, or nothing (the column left empty)."""
    under = _under(tokens, head)
    return under is None or _grade_or_nothing(under.text)


def _under_a_target(tokens: list[Token], head: Token) -> bool:
    return any(t.label is not None and t.label.label is Label.TARGET and t.order < head.order
               and band_overlap(t.cell, head.cell) > 0 for t in tokens)


# the words a status's or a grade's head is made of, however the rest of it reads (実施状況, 進捗, 達成状況（実績）;
# 達成度評価, 評価結果, 判定): a cell reading as a label with one of them heads that column in a target's status row
_CORE = {Label.STATUS: regex.compile(r"状況|進捗|実績"), Label.GRADE: regex.compile(r"達成度|評価|判定")}


def _is(token: Token, label: Label, words: frozenset[str]) -> bool:
    """``token`` is the label ``label`` or one of ``words`` (no other label; 実績 alone, which labels an initiative's
    results in its block, heads a status in a target's status row), or no label and reads as one made of that
    column's words (:data:`_CORE`)."""
    if token.label is not None:
        return token.label.label is label or (token.label.label in (Label.STATUS, Label.GRADE, Label.RESULTS)
                                              and label_key(token.text) in words)
    key = label_key(token.text)
    return key in words or (reads_like_label(token.text) and _CORE[label].search(key) is not None)


def relabel_status_heads(tokens: list[Token]) -> None:
    """Read a target's status row headed otherwise (see the module docstring) as 達成状況 | 達成度: two cells side
    by side under a target's text, the left a status word, the right a grade word with a grade letter (or nothing)
    under it. Mutates tokens (before values are attached)."""
    used: set[int] = set()
    for token in tokens:
        if id(token) in used or not _is(token, Label.STATUS, STATUS_HEADS):
            continue
        row = _row(tokens, token)
        k = row.index(token)
        right = row[k + 1] if k + 1 < len(row) else None
        if right is None or not _is(right, Label.GRADE, GRADE_HEADS) or not _under_a_target(tokens, token):
            continue
        if k > 0 and row[k - 1].label is not None and row[k - 1].label.label is Label.STATUS:
            continue  # 達成状況 | 実績値 | 達成度: one status a row; a column between it and the grade is another's
        if token.label is not None and token.label.label is Label.STATUS and right.label is not None \
                and right.label.label is Label.GRADE:
            continue  # 達成状況 | 達成度: the table's own words
        if not _holds_grade_or_nothing(tokens, right):
            continue  # prose under it: a status column, not the grade's
        token.label = LabelMatch(Label.STATUS, Placement.BELOW)
        right.label = LabelMatch(Label.GRADE, Placement.BELOW)
        used.add(id(right))


def _label_above(tokens: list[Token], token: Token) -> Token | None:
    """The nearest label above ``token`` (not in its row) in its column band."""
    for other in reversed(tokens[:tokens.index(token)]):
        if other.label is not None and other.cell.row != token.cell.row and band_overlap(other.cell, token.cell) > 0:
            return other
    return None


def relabel_overall_grade_heads(tokens: list[Token]) -> None:
    """Read the row under 総合評価・総括 that holds a grade word and, beside it, one grade letter or nothing
    (評価 | C, 総合評価 | C, 達成度 | C; 自己評価 | an empty box, as a plan sheet leaves it) as 全体の達成度 | C: the
    goal's overall grade. Mutates tokens (before values are attached)."""
    for token in tokens:
        if token.label is not None and token.label.label not in (Label.SUMMARY, Label.STATUS, Label.GRADE):
            continue
        if label_key(token.text) not in OVERALL_GRADE_HEADS:
            continue
        row = _row(tokens, token)
        beside = row[row.index(token) + 1:]
        if row[0] is not token or len(beside) > 1 or (beside and not _grade_or_nothing(beside[0].text)):
            continue
        above = _label_above(tokens, token)
        if above is not None and above.label is not None and above.label.label is Label.SUMMARY:
            token.label = LabelMatch(Label.OVERALL_GRADE, Placement.BELOW)
