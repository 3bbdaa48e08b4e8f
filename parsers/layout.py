"""Place on the page: reading order, column bands, and which label a value belongs to.

The grammar finds labels by their text (:mod:`labels`) and values by their place:

- a value whose nearest neighbour to the left in the same row is a label belongs to that
  label (``所管室・課 | 秘書広報課``);
- otherwise it belongs to the nearest label above it whose column band overlaps its own
  (``今年度の達成目標`` over its text; two targets side by side each own their column).

A column band is the cell's x-extent where the source has geometry, and its grid column
range otherwise (text exports), so the same rules serve PDFs, scans, workbooks and
exports.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

import regex

from plansheet.core.model import Cell
from plansheet.core.text import join_lines, several_lines
from plansheet.parsers.labels import (
    HEADING_MARKS, WHOLE_CELL_ONLY, Label, LabelMatch, Placement, glued_label, is_footnote, label_key, match_label,
    misread_section_label, misread_short_label,
)

_BBOX_OVERLAP_PT = 2.0  # boxes sharing less than this width do not overlap


@dataclass(eq=False)
class Token:
    """A cell in document reading order, classified as a label or a value."""

    cell: Cell
    order: int
    label: LabelMatch | None
    values: list["Token"] = field(default_factory=list)
    owner: "Token | None" = None  # for values: the label token they belong to
    value_at_right: bool = False  # for labels: the value stands in the cell to the right
    stack: tuple[int, int] | None = None  # for stacked labels: (0-based place in the stack, stack size)

    @property
    def text(self) -> str:
        return self.cell.text

    @property
    def is_label(self) -> bool:
        return self.label is not None


def band(cell: Cell) -> tuple[float, float]:
    """The cell's horizontal extent: x-range in points, or column range without geometry."""
    if cell.bbox is not None:
        return cell.bbox.x0, cell.bbox.x1
    return float(cell.col), float(cell.col_end)


def band_overlap(a: Cell, b: Cell) -> float:
    """Width shared by two cells' column bands (0 when disjoint)."""
    (a0, a1), (b0, b1) = band(a), band(b)
    shared = min(a1, b1) - max(a0, b0)
    if a.bbox is not None and b.bbox is not None:
        return shared if shared > _BBOX_OVERLAP_PT else 0.0
    return max(shared, 0.0)


_HEAD_SPLIT = regex.compile(r"^(?P<head>【[^】]{1,12}】|[^\s:：]+(?:[ \u3000]+[0-9０-９]{1,2})?)(?P<gap>[ \u3000:：]*)"
                            r"(?P<rest>.+)$")
# a heading's number written as a word of its own after a space in kanji or Roman letters, or in brackets
# (重点目標 二 …, 重点目標 （3） …): tried first, for a head that is a label with it (目標 (1) … is the 目標 label
# before a plan goal)
_NUMBERED_HEAD_SPLIT = regex.compile(
    r"^(?P<head>[^\s:：]+[ \u3000]+(?:[一二三四五六七八九十]{1,3}|[Ⅰ-Ⅻ]|[（(](?:[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})[）)])"
    r"(?=[\s:：]))(?P<gap>[ \u3000:：]*)(?P<rest>.+)$")


def split_label_prefix(cell: Cell) -> tuple[Cell, Cell] | None:
    """A cell holding a label and its value (``重点目標 1 公民連携の拡充``, ``【基本方針】政策…``; OCR:
    ``所管 室・課市民相談課``, the rule between the two cells lost, :func:`~labels.glued_label`). Typed text
    parts them by a space, a colon or the heading's bracket: ``監査`` is one word, not the 監 label and 査.

    Returns (label cell, value cell) sharing the original's place, or ``None``.
    """
    fuzzy = cell.confidence is not None
    lined = _first_line_label(cell, fuzzy) or _colon_label(cell, fuzzy)
    if lined is not None:
        return lined
    m = _NUMBERED_HEAD_SPLIT.match(cell.text)
    if m is None or match_label(m.group("head").strip(), fuzzy) is None:
        m = _HEAD_SPLIT.match(cell.text)
    head, rest = (m.group("head").strip(), m.group("rest").strip()) if m is not None else ("", "")
    if m is not None and not fuzzy and not m.group("gap") and not head.startswith("【"):
        head, rest = "", ""  # typed text parts a label from its value: 監査 is a word, not 監 and 査
    if not rest or _head_label(head, fuzzy) is None:
        head, rest = glued_label(cell.text) if fuzzy else ("", "")
    if not rest or _head_label(head, fuzzy) is None or match_label(rest, fuzzy) is not None:
        return _spaced_head(cell, fuzzy)
    return replace(cell, text=head), replace(cell, text=rest)



def _spaced_head(cell: Cell, fuzzy: bool) -> tuple[Cell, Cell] | None:
    """A cell whose first two or three words, spaced, are a label, then a space and its value (``所管室 課 人権推進課``:
    a label typed with a space inside it, as the label table reads it alone): the longest such head."""
    if cell.confidence is not None:
        return None  # OCR's spaces are no person's typing
    words = cell.text.split()
    for n in (3, 2):
        if len(words) <= n:
            continue
        m = regex.match(r"^(?P<head>" + r"[ \u3000]+".join(regex.escape(w) for w in words[:n]) +
                        r")[ \u3000]+(?P<rest>\S.*)$", cell.text, regex.DOTALL)
        if m and _head_label(m.group("head"), fuzzy) is not None and match_label(m.group("rest"), fuzzy) is None \
                and match_label(words[0], fuzzy) is None:
            return replace(cell, text=m.group("head"), lines=(), wrapped=()), \
                replace(cell, text=m.group("rest").strip(), lines=(), wrapped=())
    return None


def _first_line_label(cell: Cell, fuzzy: bool) -> tuple[Cell, Cell] | None:
    """A cell whose first line is a label (bare, in its brackets or after a heading mark: 【総合評価・総括】, ■総合評価・総括)
    and whose next lines are text: a label typed atop its text in one box, as a label and its value. Not a label
    only written as a cell of its own (:data:`~labels.WHOLE_CELL_ONLY`), nor one whose next line is a label too."""
    if len(cell.lines) < 2:
        return None
    first, rest = cell.lines[0].strip(), cell.lines[1:]
    head = first.lstrip(HEADING_MARKS).strip()
    if not head or _head_label(head, fuzzy) is None or match_label(rest[0], fuzzy) is not None:
        return None
    return replace(cell, text=head, lines=(), wrapped=()), \
        replace(cell, text=join_lines(rest, typed=True) or "", lines=several_lines(rest), wrapped=cell.wrapped[1:])


_COLON = regex.compile(r"^(?P<head>[^:：\n]{1,16}?)[ \u3000]*[:：][ \u3000]*(?P<rest>\S.*)$", regex.DOTALL)


def _colon_label(cell: Cell, fuzzy: bool) -> tuple[Cell, Cell] | None:
    """A cell holding a label, a colon and its value (``所管室 課：人権推進課``, ``全体の達成度：B``): the words before
    the colon are a label however they are spaced (a space inside 所管室 課 is no end of the label)."""
    m = _COLON.match(cell.text)
    if m is None or _head_label(m.group("head"), fuzzy) is None or match_label(m.group("rest"), fuzzy) is not None:
        return None
    return replace(cell, text=m.group("head").strip(), lines=(), wrapped=()), \
        replace(cell, text=m.group("rest").strip(), lines=(), wrapped=())


_WORD = regex.compile(r"[^ \u3000\t]+")
_PERSON_LABELS = (Label.DIRECTOR, Label.OFFICER, Label.DEPARTMENT)
_POST_WORD = regex.compile(r"^\p{Han}{1,8}$")
_NAME_WORD = regex.compile(r"^[\p{Han}\p{Hiragana}\p{Katakana}々ー]{1,5}$")  # a family or given name


def typed_breaks_spaced(cell: Cell) -> str:
    """``cell``'s text with a space at each line break that was typed (:attr:`Cell.wrapped`: the line before it ends
    short of the cell's width, or the source only types breaks), where its text is its lines joined: a typed break
    parts two words as a space does (``総合政策監 小野寺 太郎`` ⏎ ``総合政策監 山田 さくら``, joined ``太郎総合政策監``,
    is two people's lines). A wrap keeps its lines' join."""
    lines = cell.lines
    if not lines or cell.text not in (join_lines(lines), join_lines(lines, typed=True)):
        return cell.text
    out = lines[0]
    for k, line in enumerate(lines[1:]):
        out = (join_lines([out, line]) or out) if k < len(cell.wrapped) and cell.wrapped[k] else f"{out} {line}"
    return out


def split_post_words(cell: Cell) -> tuple[Cell | None, list[tuple[Cell, Cell]]] | None:
    """``officers_one_cell``: a cell holding several label | value pairs parted by spaces, as a header pasted on one
    line writes them (``部長 市川 信行　監 山口 伸和（総合政策監）　監 小林 聡``; ``部　政策推進部　部長　市川 信行``):
    each word that is a post (部長, 監, 理事, 副部長 …) or the 部 label, followed by a word that is none, starts a pair,
    its value the words up to the next such label. Either the cell begins with such a label and holds two pairs or
    more, or (typed text) it begins with a name of one or two words, the value of the label at its left, before one
    pair or more of a post (``部長 | 市川 信行　監 山口 伸和``). Returns (that leading name or ``None``, the (label
    cell, value cell) pairs), each sharing the original's place; ``None`` for any other cell."""
    fuzzy = cell.confidence is not None
    text = typed_breaks_spaced(cell)
    words = list(_WORD.finditer(text))
    if len(words) < 3:
        return None
    found = [match_label(w.group(), fuzzy) for w in words]
    # a post as written, kanji alone: 和彦、都市政策監 (伸和、危機管理監) is a name and a post of a list, not a post word
    is_label = [m is not None and m.label in _PERSON_LABELS and _POST_WORD.match(w.group()) is not None
                for m, w in zip(found, words)]
    starts = [k for k in range(len(words) - 1) if is_label[k] and not is_label[k + 1]]
    if not starts or (starts[0] == 0 and len(starts) < 2):
        return None
    lead = None
    if starts[0] != 0:
        if (fuzzy or starts[0] > 2 or found[starts[0]].label is Label.DEPARTMENT  # type: ignore[union-attr]
                or len(words[starts[0]].group()) > 3  # 太郎総合政策監: a name glued to a title, not a post alone
                or not all(_NAME_WORD.match(w.group()) for w in words[:starts[0]])):
            return None
        lead = replace(cell, text=text[:words[starts[0]].start()].strip(" \u3000\t"))
    pairs = []
    for n, k in enumerate(starts):
        end = words[starts[n + 1]].start() if n + 1 < len(starts) else len(text)
        value = text[words[k + 1].start():end].strip(" \u3000\t")
        pairs.append((replace(cell, text=words[k].group()), replace(cell, text=value)))
    return lead, pairs


def _head_label(head: str, fuzzy: bool) -> LabelMatch | None:
    """The label ``head``, the first words of a cell, stands for, where a label may head a cell that holds its value
    too (not one written only as a cell of its own: :data:`~labels.WHOLE_CELL_ONLY`)."""
    return None if label_key(head) in WHOLE_CELL_ONLY else match_label(head, fuzzy)


_BARE_HEADING = {"重点目標", "重点課題"}
_NUMBER_CELL = regex.compile(r"^\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}|[Ⅰ-Ⅻ])\s*$")


def join_split_headings(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """``重点目標 | 1 | title`` (the number in a cell of its own) → ``重点目標 1 | title``."""
    ordered = sorted(cells, key=lambda c: (c.page, c.row, c.col))
    out: list[Cell] = []
    skip: set[int] = set()
    for i, cell in enumerate(ordered):
        if i in skip:
            continue
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if (following is not None and label_key(cell.text) in _BARE_HEADING
                and (following.page, following.row) == (cell.page, cell.row) and _NUMBER_CELL.match(following.text)):
            cell = replace(cell, text=f"{cell.text} {following.text.strip()}")
            skip.add(i + 1)
        out.append(cell)
    return tuple(out) if skip else cells


def tokenize(cells: list[Cell]) -> list[Token]:
    """Sort cells into reading order (page, row, column) and classify each one.

    A cell that holds a label followed by its value becomes two tokens, the value
    already attached to the label; one that holds several officers' pairs (:func:`split_post_words`), two
    tokens a pair.
    """
    ordered = sorted(cells, key=lambda c: (c.page, c.row, c.col))
    tokens: list[Token] = []
    for cell in ordered:
        fuzzy = cell.confidence is not None
        label = match_label(cell.text, fuzzy)
        posts = split_post_words(cell) if label is None else None
        lead, pairs = posts if posts else (None, [pair] if label is None and (pair := split_label_prefix(cell)) else None)
        if pairs is None:
            tokens.append(Token(cell, len(tokens), label))
            continue
        if lead is not None:  # the value of the label at the cell's left
            tokens.append(Token(lead, len(tokens), None))
        for label_cell, value_cell in pairs:
            head = Token(label_cell, len(tokens), match_label(label_cell.text, fuzzy), value_at_right=True)
            value = Token(value_cell, len(tokens) + 1, None, owner=head)
            head.values.append(value)
            tokens += [head, value]
    return tokens


def relabel_section_misreads(tokens: list[Token]) -> None:
    """An OCR'd cell of a goal sheet's label column (nothing or a value at its left, a value at its
    right) that is the 所管室・課 label misread (:func:`~labels.misread_section_label`: ``担当謹 |
    人権推進課``) is that label; mutates tokens (before :func:`attach_values`)."""
    for i, token in enumerate(tokens[:-1]):
        right, left = tokens[i + 1], _left_neighbour(tokens, i)
        if (token.label is None and token.cell.confidence is not None and right.label is None
                and (right.cell.page, right.cell.row) == (token.cell.page, token.cell.row)
                and (left is None or left.label is None) and misread_section_label(token.text, right.text)):
            token.label = LabelMatch(Label.SECTION, Placement.RIGHT)


def relabel_grade_misread(tokens: list[Token]) -> None:
    """``grade_label``: an OCR'd cell in the row of a 達成状況 label, right of it, that is the 達成度 label one
    glyph off (:func:`~labels.misread_short_label`: ``達成序``, hard scan 17003) is that label: the status
    row's header holds the two labels side by side, and a value there would sit under them, not beside.
    Without it the grade's label is a value of 達成状況 and the target loses its status and grade; mutates
    tokens (before :func:`attach_values`)."""
    for i, token in enumerate(tokens):
        left = _left_neighbour(tokens, i)
        if (token.label is None and token.cell.confidence is not None and left is not None
                and left.label is not None and left.label.label is Label.STATUS
                and misread_short_label(token.text) is Label.GRADE):
            token.label = LabelMatch(Label.GRADE, Placement.BELOW)


def _left_neighbour(tokens: list[Token], i: int) -> Token | None:
    cell = tokens[i].cell
    for j in range(i - 1, -1, -1):
        other = tokens[j].cell
        if other.page != cell.page or other.row != cell.row:
            return None
        if other.col < cell.col:
            return tokens[j]
    return None


def label_footnotes(tokens: list[Token]) -> Token | None:
    """The lines at the foot of a sheet, after all its sections, that begin as footnotes do (（注）…,
    ※1 …, ＊ …: :func:`~plansheet.parsers.labels.is_footnote`) are the table's notes, no field's text:
    each is labelled :attr:`Label.NOTE` (a label no table takes). Mutates tokens.

    Such lines right under a label, with no text of that label's own before them, may as well be its
    box's text that begins with ※ (``※国の制度改正の動向を踏まえ…``) as notes under an empty box: they are
    left to the field, and the first is returned for the caller to name the field doubtful. Below the row
    right under a label with its text below it (its box), that row empty, they stand under the box: notes."""
    run = 0
    while run < len(tokens) and not tokens[-1 - run].is_label and is_footnote(tokens[-1 - run].text):
        run += 1
    if not run:
        return None
    first = len(tokens) - run
    if first > 0 and tokens[first - 1].is_label and not below_its_box(tokens[first].cell, tokens[first - 1]):
        return tokens[first]
    for token in tokens[first:]:
        token.label = LabelMatch(Label.NOTE, Placement.BELOW)
    return None


def below_its_box(cell: Cell, label: Token) -> bool:
    """``cell`` stands below the box of ``label`` (a label with its text below it), the row right under the
    label (the box) left empty between them. Only where the sheet's boxes are seen: in a text export (no boxes)
    an empty line may as well be a line of the field's own text, or a row its exporter adds, as a box left empty."""
    return (label.label is not None and label.label.placement is not Placement.RIGHT
            and cell.bbox is not None and label.cell.bbox is not None
            and cell.page == label.cell.page and cell.row > label.cell.row_end)


def past_empty_lines(tokens: list[Token], value: Token, label: Token) -> bool:
    """In a text export or an HTML table (no boxes), ``value`` stands past an empty line (row) right under ``label``'s,
    nothing written between in the label's columns: the line its box left empty writes (a field's own text begins on
    the line under its label)."""
    if value.cell.bbox is not None or label.cell.bbox is not None or value.cell.page != label.cell.page \
            or value.cell.row < label.cell.row + 2:
        return False
    return not any(t.text.strip() and t.cell.page == label.cell.page and label.cell.row < t.cell.row < value.cell.row
                   and band_overlap(t.cell, label.cell) > 0 for t in tokens)


def attach_values(tokens: list[Token], unknown_labels: bool = False) -> None:
    """Give every value token its owning label (see the module docstring); mutates tokens.

    With ``unknown_labels`` (a goal sheet): where a sheet writes its labels left of their texts, a row
    whose label cell is empty, or merged down from the label above, carries that label's text on
    (:func:`_side_value_continued`); the label column holds labels only. A cell standing there under such a label (its text, or an
    empty box, at its right), with text at its right outside that label's column band, is a label
    this reader does not know (:attr:`Label.UNKNOWN`), not a line of the field above.
    """
    for i, token in enumerate(tokens):
        if token.is_label or token.owner is not None:
            continue
        left = _left_neighbour(tokens, i)
        continued = _side_value_continued(tokens, i, left) if unknown_labels else None
        if continued is not None:
            token.owner = continued
            continued.values.append(token)
            continue
        if unknown_labels and left is None and _unknown_side_label(tokens, i):
            token.label = LabelMatch(Label.UNKNOWN, Placement.RIGHT)
            continue
        owner: Token | None = None
        if left is not None and left.label is not None and left.label.placement is not Placement.SECTION:
            owner = left
            left.value_at_right = True
        else:
            owner = _label_above(tokens, i) or _label_reaching(tokens, i)
        if owner is not None:
            token.owner = owner
            owner.values.append(token)


# side labels whose value is text, which may run on over the rows below (a grade's letter never does); a goal's
# heading (重点目標 1) is its title's side label: a title typed on two rows runs on too (REVIEW6 Y9)
_TEXT_BESIDE = frozenset({Label.GOAL_HEADING, Label.TARGET, Label.STATUS, Label.INITIATIVE, Label.SECTION, Label.RESULTS, Label.SUMMARY,
                          Label.NEXT_STEPS, Label.UNKNOWN})


def _side_value_continued(tokens: list[Token], i: int, left: Token | None) -> Token | None:
    """The side label whose text token ``i`` continues, or ``None``: where a sheet writes a label left of its text, a
    row whose label cell is empty (no cell there, or one with no text) or is the lower part of the label's cell merged
    down, and whose text begins where the text of the row right above begins, continues that text (a value typed on
    two rows: ``具体的な取組実績 | 新たに…`` then ``(empty) | 一方で、…``). A sheet has no nameless field."""
    cell = tokens[i].cell
    if left is not None and left.is_label:
        return None
    above = None
    for j in range(i - 1, -1, -1):
        other = tokens[j]
        if other.cell.page != cell.page:
            break
        if other.owner is not None and other.label is None and other.cell.row_end == cell.row \
                and _same_start(other.cell, cell):
            above = other
            break
    label = above.owner if above is not None else None
    if (label is None or label.label is None or not label.value_at_right or label.label.label not in _TEXT_BESIDE
            or band_overlap(label.cell, cell) > 0):
        return None
    for j in range(i - 1, -1, -1):
        other = tokens[j].cell
        if (other.page, other.row) != (cell.page, cell.row):
            break
        if tokens[j].text.strip() and band_overlap(other, label.cell) > 0:
            return None  # the label's column holds something in this row
    return label


def _same_start(a: Cell, b: Cell) -> bool:
    """``a`` and ``b`` begin at the same place: the same grid column, or within a rule's width."""
    if a.bbox is not None and b.bbox is not None:
        return abs(a.bbox.x0 - b.bbox.x0) <= _BBOX_OVERLAP_PT
    return a.col == b.col


_SENTENCE_MARKS = frozenset("。、．，,.：:；;")
# a line that starts a list item (・ ○ ※ ① (1) 1) …) or is a sub-heading in round or angle
# brackets (（成果） ＜課題＞) is a field's own, however short
_LIST_ITEM = regex.compile(r"^(?:[・○●◆◇■□※\-－―]|[\p{No}]|[(（]?[0-9０-９]{1,2}[)）.．]|[（(＜<〈][^）)＞>〉]+[）)＞>〉]$)")


def reads_like_label(text: str) -> bool:
    """A short line with no sentence mark, not a list item nor a figure (``12``, ``85%``): how a label reads."""
    text = text.strip()
    return (2 <= len(text) <= 10 and not _SENTENCE_MARKS.intersection(text) and not text[-1].isdigit()
            and text[-1] not in "%％" and not _LIST_ITEM.match(text))


# one word in the brackets a writer heads a part of a text with (【課題】, ［成果］, 〔２〕, 《課題》, 「課題」; NFKC)
_BRACKETED_WORD = regex.compile(r"^(?:【[^【】]+】|\[[^\[\]]+\]|〔[^〔〕]+〕|《[^《》]+》|≪[^≪≫]+≫|〖[^〖〗]+〗|「[^「」]+」|『[^『』]+』)$")


def bracketed_heading(text: str) -> bool:
    """``text`` is one word in brackets (``【課題】``, ``［成果］``, ``【２】``) and no label this reader knows. On a goal
    sheet, whose labels are cells and never such lines, a line so written inside a field's text is a heading of a part
    of that text, kept with it. A label bracketed (【総括】, 【今後の課題】) is that label's wording, which other rules
    read."""
    return _BRACKETED_WORD.match(unicodedata.normalize("NFKC", text.strip()).replace(" ", "")) is not None \
        and match_label(text) is None


# labels whose text stands below them on the samples' sheets: one with its text beside it says the
# sheet writes its labels beside their texts (全体の達成度 | B is beside on every sheet)
_SIDE_EVIDENCE = frozenset({Label.TARGET, Label.INITIATIVE, Label.RESULTS, Label.SUMMARY, Label.NEXT_STEPS})


def _unknown_side_label(tokens: list[Token], i: int) -> bool:
    """Token ``i`` opens its row with a value at its right that begins where the box of the label
    above it ends, and that label's own text stands at its right (any such cell is then a label), or
    its box there is empty (then only a cell that reads like a label is one). See :func:`attach_values`."""
    token = tokens[i]
    right = tokens[i + 1] if i + 1 < len(tokens) else None
    if not token.text.strip():
        return False  # a label cell left empty, the row carrying on the text above (:func:`_side_value_continued`)
    if right is None or right.is_label or (right.cell.page, right.cell.row) != (token.cell.page, token.cell.row):
        return False
    above = _label_above(tokens, i)
    if (above is None or above.label is None or above.label.placement is Placement.SECTION
            or not _starts_where_it_ends(right.cell, above.cell)  # a side label's text begins at its box's edge
            or any((v.cell.page, v.cell.row) != (above.cell.page, above.cell.row) for v in above.values)):
        return False  # a label with its text below it: under it, the column holds its text
    if any(v.text.strip() for v in above.values):
        return True
    if token.cell.bbox is None and not any(t.value_at_right and t.label is not None and t.label.label in _SIDE_EVIDENCE
                                           for t in tokens[:i]):
        return False  # an export shows no empty box: unless its sheet writes texts beside labels, it stands below
    j = tokens.index(above) + 1
    after = tokens[j] if j < len(tokens) else None
    labelled_beside = after is not None and after.is_label and \
        (after.cell.page, after.cell.row) == (above.cell.page, above.cell.row)
    # an empty box at the label's right (not another label: 達成状況 | 達成度)
    return not labelled_beside and reads_like_label(token.text)


def _starts_where_it_ends(right: Cell, label: Cell) -> bool:
    """True when ``right`` begins where ``label``'s box ends (its grid column, or within a rule's width)."""
    if right.bbox is not None and label.bbox is not None:
        return abs(right.bbox.x0 - label.bbox.x1) <= _BBOX_OVERLAP_PT
    return right.col == label.col_end


def _label_above(tokens: list[Token], i: int) -> Token | None:
    cell = tokens[i].cell
    for j in range(i - 1, -1, -1):
        other = tokens[j]
        if other.label is None:
            continue
        if other.label.placement is Placement.SECTION:
            return other
        if other.cell.page == cell.page and other.cell.row == cell.row:
            continue  # same row, not directly left: a neighbouring column's label
        if band_overlap(other.cell, cell) <= 0:
            continue
        if other.label.placement is Placement.RIGHT and other.value_at_right:
            continue  # a row label whose value stands at its right takes nothing from below
        return other
    return None



def _label_reaching(tokens: list[Token], i: int) -> Token | None:
    """Where the source shows no boxes (a text export, an HTML table of lines): the nearest label above token ``i``
    whose box reaches over its column, a label's box reaching right over the empty cells after it, up to the next
    cell of its row (a cell merged across columns writes its text in the first of them, the rest left empty), so
    a line of its text may begin in any of them (``今後検討すべきこと`` over ``<TAB>text``). Only for a cell no label's
    own column stands over (:func:`_label_above`)."""
    cell = tokens[i].cell
    if cell.bbox is not None:
        return None
    for j in range(i - 1, -1, -1):
        other = tokens[j]
        if other.label is None or other.label.placement is Placement.SECTION or other.cell.bbox is not None:
            continue
        if other.cell.page != cell.page or other.cell.row == cell.row:
            continue
        if other.label.placement is Placement.RIGHT and other.value_at_right:
            continue
        after = tokens[j + 1] if j + 1 < len(tokens) else None
        same_row = after is not None and (after.cell.page, after.cell.row) == (other.cell.page, other.cell.row)
        reach = after.cell.col if same_row and after is not None else None
        if other.cell.col <= cell.col and (reach is None or cell.col < reach):
            return other
    return None


def distribute_stacked_values(tokens: list[Token]) -> list[tuple[Token, list[Token], list[str]]]:
    """Labels stacked on consecutive rows share the value rows below them, in order.

    A text export may write the label rows of side-by-side blocks one under the other
    (``達成状況 | 達成度`` once per target, an empty line for a column without that block)
    and then the value rows in the same order: the place rules give every value to the
    labels of the stack's last row. When the stack has as many labels as there are value
    rows under that last row (any of its labels' values), the k-th value row goes to the
    k-th label. In a text export a value row may also be empty (an empty cell is an empty
    line): when every value row stands within the stack's size of lines under its last
    row, the value on the k-th line goes to the k-th label. Otherwise which value is whose
    cannot be told: the values are taken off, and the stack's last label, the stack's labels and the
    values' texts are returned (for warnings). Mutates ``tokens``.
    """
    value_rows: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for token in tokens:
        if token.label is not None:
            key = (token.cell.page, token.cell.row)
            value_rows.setdefault(key, set()).update((v.cell.page, v.cell.row) for v in token.values)
    unclear: list[tuple[Token, list[Token], list[str]]] = []
    for index, token in enumerate(tokens):
        if (token.label is None or token.label.placement is Placement.SECTION or not token.values
                or token.value_at_right):  # a value at the label's right is its own
            continue
        stack = _stack_above(tokens, index)
        if len(stack) < 2:
            continue
        rows = sorted(value_rows[(token.cell.page, token.cell.row)])
        values = token.values
        if len(rows) == len(stack):
            label_of_row = {row: k for k, row in enumerate(rows)}
        elif _by_line(token.cell, rows, len(stack), _written_rows(tokens, token.cell.page, token.cell.row)):
            label_of_row = {(page, row): row - token.cell.row - 1 for page, row in rows}
        else:
            token.values = []
            unclear.append((token, stack, [v.text for v in values]))
            continue
        for label in stack:
            label.values = []
        for value in values:
            label = stack[label_of_row[(value.cell.page, value.cell.row)]]
            label.values.append(value)
            value.owner = label
        for place, label in enumerate(stack):
            label.stack = (place, len(stack))
    return unclear


def _by_line(last: Cell, rows: list[tuple[int, int]], size: int, written: list[int]) -> bool:
    """True when every value row stands on one of the ``size`` lines under a text export's
    stack, whose last label is ``last`` (the k-th line holding the k-th label's value), and every
    label's line is there: the stack's last line holds something, or exactly ``size`` lines stand
    before the next row ``written`` below the stack. A value line, then more empty lines than the
    labels left (具体的な取組実績 twice, one line, the sheet's own three blank lines) does not match
    the labels: the second's empty, or the first's line missing; which value is whose cannot be told."""
    if last.bbox is not None or not all(page == last.page and 0 < row - last.row <= size for page, row in rows):
        return False
    beyond = [row for row in written if row - last.row > max(r for _, r in rows) - last.row]
    return last.row + size in written or (bool(beyond) and min(beyond) - last.row - 1 == size)


def _written_rows(tokens: list[Token], page: int, below: int) -> list[int]:
    """The rows of ``page`` under row ``below`` that hold a cell."""
    return sorted({t.cell.row for t in tokens if t.cell.page == page and t.cell.row > below})


def _stack_above(tokens: list[Token], index: int) -> list[Token]:
    """The labels like ``tokens[index]`` stacked on the rows just above it, one per row (itself last).

    Stacked labels stand on consecutive rows; in a text export (no boxes) empty lines may
    stand between them, where a column has no such label.
    """
    token = tokens[index]
    stack = [token]
    top_index = index
    for j in range(index - 1, -1, -1):
        other = tokens[j]
        if other.label is None:
            break
        if other.label.label is token.label.label and band_overlap(other.cell, token.cell) > 0:
            top = stack[0].cell
            if other.values or other.cell.page != top.page or not _rows_between_empty(tokens, j, top_index):
                break
            stack.insert(0, other)
            top_index = j
    return stack


def _rows_between_empty(tokens: list[Token], upper: int, lower: int) -> bool:
    """True when the rows of ``tokens[upper]`` and ``tokens[lower]`` are adjacent, or (text
    export) only empty lines stand between them."""
    a, b = tokens[upper].cell, tokens[lower].cell
    if b.row - a.row == 1:
        return True
    if a.bbox is not None or b.bbox is not None or b.row <= a.row:
        return False
    return all(tokens[k].cell.row in (a.row, b.row) for k in range(upper + 1, lower))
