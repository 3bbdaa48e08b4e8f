"""Print titles: the front sheet's top rows printed again atop every later page; a goal sheet's heading rows so.

Excel's "rows to repeat at top" (印刷タイトル) prints a sheet's first rows — its title, the
部 | 部長 row, sometimes the 【基本方針】 — at the top of every page. A reader of the paper skips
them: they say again what the first page said. So rows at the top of a page that repeat, text for
text and in order, a run of the top rows of the department's front sheet are no part of that
page's sheet, when the run holds a row only a front sheet has (its title, an officer, the basic
policy) and what is left of the page is no front sheet itself (a volume's next department may
print the same title line above its own front sheet). The rows are kept as the page's furniture.
A run printed on two rows where the front sheet has one (部 | name, then 部長 | name on a narrower
page) is the same run: texts are matched in reading order, and the run ends where rows end on both.
It may start a row or two down the page, under a header line the reader kept (a file name and its
printing date differ from page to page). On a scan, OCR may lose the label that tells a front sheet's row on
every page (部長 dropped, 部 read 都): a row that tops two later pages as read alike, like a front-sheet top row
holding more than the 部 | department pair a goal sheet opens with (the director's name beside them), is the print
title all the same.

A goal sheet's table runs onto a second page (a row broken across pages, as Writer breaks a table row) under its
own first rows printed again there: Writer repeats a table's heading rows atop every page it runs onto, and
Excel's print titles on a goal sheet do the same. Rows atop a page that repeat, text for text, the first rows of
the goal sheet the page before belongs to (its 部 row, its 重点目標 heading row), from its first, are that sheet's
heading again, not a new sheet: they are kept as the page's furniture, when the page starts no sheet of its own
otherwise (the next goal's sheet repeats the 部 row above its own heading) and does not start the same sheet over
(its first rows under the heading again: the sheet printed twice, see :mod:`duplicate_sheets`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from itertools import accumulate, takewhile
from typing import Callable, Sequence

import regex

from plansheet.core.model import Page
from plansheet.core.text import parse_fiscal_year
from plansheet.parsers.labels import Label, match_label

# labels of rows only a front sheet's top holds (a goal sheet opens with 部 | name too: not one of them)
_FRONT_ONLY = {Label.TITLE, Label.DIRECTOR, Label.OFFICER, Label.BASIC_POLICY}
_TITLE_LINE = regex.compile(r"運営方針|運営計画")
_SPACES = regex.compile(r"\s+")  # a label's letters spread (部　局, 部 局) print alike: spaces do not count
_TOP_ROWS = 8  # the front sheet's rows a print title may repeat (its head, above the 【重点目標】 table)
_FIRST_ROWS = 3  # the page's rows a print title may start at


def _rows(page: Page) -> list[tuple[int, tuple[str, ...]]]:
    """The page's rows, top down: (row, the texts of the cells that start in it, left to right, without spaces)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for cell in page.cells:
        if cell.text:
            rows.setdefault(cell.row, []).append((cell.col, _SPACES.sub("", unicodedata.normalize("NFKC", cell.text))))
    return [(r, tuple(t for _, t in sorted(rows[r]))) for r in sorted(rows)]


def _front_only(texts: tuple[str, ...]) -> bool:
    """Whether a row of ``texts`` is one only a front sheet's top holds: its title line, an officer, 基本方針."""
    for text in texts:
        match = match_label(text)
        if match is not None and match.label in _FRONT_ONLY:
            return True
        if match is None and _TITLE_LINE.search(text) and parse_fiscal_year(text):
            return True
    return False


def _repeated_rows(rows: list[tuple[int, tuple[str, ...]]], front: list[tuple[int, tuple[str, ...]]],
                   scanned: bool = False) -> set[int]:
    """The rows (numbers) at the top of a page of ``rows`` that repeat a run of ``front``'s top rows: a run
    from one of the page's first rows (a header line the reader kept may stand above it), the longest. On a
    ``scanned`` page (OCR'd) row for row as read too (:func:`_run_as_read`)."""
    best: list[int] = []
    for first in range(min(len(rows), _FIRST_ROWS)):
        for start in range(min(len(front), _TOP_ROWS)):
            for run_of in (_run, _run_as_read) if scanned else (_run,):
                run = run_of(rows[first:], front[start:_TOP_ROWS])
                if len(run) > len(best):
                    best = run
    return set(best)


_READ_ALIKE = 0.85  # two OCR readings of one printed row: a few glyphs misread, a label lost (部長), not more


def _run_as_read(rows: list[tuple[int, tuple[str, ...]]], front: list[tuple[int, tuple[str, ...]]]) -> list[int]:
    """The leading ``rows`` each of which reads as ``front``'s row in its place, as OCR reads one printed row
    twice (``障害者禰祉`` on one page, ``障害者福祉`` on the next; a label lost: its characters alike in order, at
    least :data:`_READ_ALIKE` of both), holding a row only a front sheet has (judged on the front's reading)."""
    from rapidfuzz.distance import Indel

    taken, front_only = 0, False
    for k, ((_, texts), (_, wanted)) in enumerate(zip(rows, front)):
        if Indel.normalized_similarity("".join(texts), "".join(wanted)) < _READ_ALIKE:
            break
        front_only = front_only or _front_only(wanted)
        if front_only:
            taken = k + 1
    return [r for r, _ in rows[:taken]]


_RECURRING_ALIKE = 0.7  # a row read alike atop other pages, against the front's reading of it (two misreadings)


def _title_readings(front: list[tuple[int, tuple[str, ...]]], tops: list[list[str]]) -> list[str]:
    """The readings, among the top rows of the pages after a scanned front sheet (``tops``, a page's first rows each),
    of a row that tops two of them as read alike (:data:`_READ_ALIKE`) and reads like (:data:`_RECURRING_ALIKE`: OCR
    misreads it on the front too) a front-sheet top row holding more than the 部 | department pair a goal sheet opens
    with (the director's name beside them): the print title, where OCR lost the label that tells a front sheet's row
    (部長 dropped, 部 read 都) on every page. A goal sheet's own 部 row holds no name."""
    from rapidfuzz.distance import Indel

    wanted = ["".join(texts) for _, texts in front[:_TOP_ROWS] if len(texts) > 2]
    if not wanted:
        return []
    return [top for page in tops for top in page
            if any(Indel.normalized_similarity(top, w) >= _RECURRING_ALIKE for w in wanted)
            and sum(any(Indel.normalized_similarity(top, t) >= _READ_ALIKE for t in other) for other in tops) >= 2]


def _recurring_as_read(rows: list[tuple[int, tuple[str, ...]]], titles: list[str]) -> set[int]:
    """The first of a scanned page's top rows that reads as (:data:`_READ_ALIKE`) one of the print title's
    ``titles`` (:func:`_title_readings`), as a set; none where it has none."""
    from rapidfuzz.distance import Indel

    for row, texts in rows[:_FIRST_ROWS]:
        text = "".join(texts)
        if any(Indel.normalized_similarity(text, t) >= _READ_ALIKE for t in titles):
            return {row}
    return set()


def _run(rows: list[tuple[int, tuple[str, ...]]], front: list[tuple[int, tuple[str, ...]]]) -> list[int]:
    """The leading ``rows`` whose texts, read in order, are those of ``front``'s leading rows, ending where a
    row ends on both and holding a row only a front sheet has (else none). Texts are compared as one run of
    characters: a cell the repeat prints on two rows (an underline that splits the 【基本方針】 paragraph),
    or two cells of one row on two, is the same text."""
    wanted = "".join(t for _, texts in front for t in texts)
    ends = set(accumulate(sum(map(len, texts)) for _, texts in front))  # where each of the front's rows ends
    at, taken, front_only = 0, 0, False
    for k, (_, texts) in enumerate(rows):
        piece = "".join(texts)
        if not piece or wanted[at:at + len(piece)] != piece:
            break
        at += len(piece)
        front_only = front_only or _front_only(texts)
        if at in ends and front_only:
            taken = k + 1
    return [r for r, _ in rows[:taken]]


def drop_print_titles(pages: Sequence[Page], is_front: Callable[[Page], bool]) -> list[Page]:
    """``pages`` with the print titles (see the module docstring) taken off every page after a front sheet
    (``is_front``) and kept as the page's furniture."""
    out: list[Page] = []
    front: list[tuple[int, tuple[str, ...]]] = []
    titles: list[str] | None = None  # a scan's print title as read atop later pages (:func:`_title_readings`)
    for at, page in enumerate(pages):
        rows = _rows(page)
        scanned = any(c.confidence is not None for c in page.cells)
        repeated = _repeated_rows(rows, front, scanned) if front else set()
        if not repeated and scanned and front:
            if titles is None:
                later = list(takewhile(lambda other: not is_front(other), pages[at:]))  # up to the next front
                titles = _title_readings(front, [["".join(texts) for _, texts in _rows(other)[:_FIRST_ROWS]]
                                                 for other in later])
            repeated = _recurring_as_read(rows, titles)
        if repeated:
            rest = replace(page, cells=tuple(c for c in page.cells if c.row not in repeated),
                           furniture=page.furniture + tuple(c for c in page.cells if c.row in repeated))
            if not is_front(rest):
                out.append(rest)
                continue
        if is_front(page):
            front, titles = _title_furniture(page) + rows, None
        out.append(page)
    return out


def _title_furniture(page: Page) -> list[tuple[int, tuple[str, ...]]]:
    """The front sheet's title line where the reader took it for the page's running header (it tops every page),
    as the row the print titles repeat first: four to a sheet prints it again atop each page in the sheet's middle,
    where no header band is, above the 部 row."""
    top = min((c.bbox.top for c in page.cells if c.bbox is not None and c.text), default=None)
    for cell in sorted(page.furniture, key=lambda c: c.bbox.top if c.bbox is not None else 0.0):
        text = _SPACES.sub("", unicodedata.normalize("NFKC", cell.text or ""))
        if cell.bbox is not None and top is not None and cell.bbox.bottom <= top and text and _front_only((text,)) \
                and match_label(text) is None:
            return [(-1, (text,))]
    return []


def _sheet_head(rows: list[tuple[int, tuple[str, ...]]]) -> list[tuple[int, tuple[str, ...]]]:
    """A goal sheet's first rows, down to its 重点目標 heading's row (none where the page holds no heading)."""
    for k, (_, texts) in enumerate(rows[:_FIRST_ROWS + 2]):
        if any((m := match_label(t)) is not None and m.label is Label.GOAL_HEADING for t in texts):
            return rows[:k + 1]
    return []


_LONG_TEXT = 12  # characters: a text this long met twice on one sheet is the same text printed again


def _starts_over(rows: list[tuple[int, tuple[str, ...]]], body: list[tuple[int, tuple[str, ...]]]) -> bool:
    """True when most rows of long text (a target's, an initiative's) under a repeated heading, two at least,
    are rows the sheet's own page already holds: the sheet printed again, not a page it runs onto (which goes
    on with texts of its own; a text may be met twice on one sheet)."""
    seen = {texts for _, texts in body if sum(map(len, texts)) >= _LONG_TEXT}
    long = [texts for _, texts in rows if sum(map(len, texts)) >= _LONG_TEXT]
    again = sum(texts in seen for texts in long)
    return again >= 2 and 2 * again > len(long)


def drop_sheet_headings(pages: Sequence[Page], kind: Callable[[Page], str]) -> list[Page]:
    """``pages`` with a goal sheet's heading rows printed again atop its later page taken off (see the module
    docstring) and kept as the page's furniture; ``kind`` tells a page ``front``, ``goal`` or ``other``."""
    out: list[Page] = []
    head: list[tuple[int, tuple[str, ...]]] = []  # the first rows of the goal sheet the page before belongs to
    body: list[tuple[int, tuple[str, ...]]] = []  # and the rows under its heading
    for page in pages:
        rows = _rows(page)
        first = next((k for k in range(min(len(rows), _FIRST_ROWS)) if head and rows[k][1] == head[0][1]), None)
        if first is not None:
            cut = 0
            while cut < len(head) and first + cut < len(rows) and rows[first + cut][1] == head[cut][1]:
                cut += 1
            if not _sheet_head(rows[first + cut:]) and not _starts_over(rows[first + cut:], body):
                gone = {r for r, _ in rows[first:first + cut]}
                out.append(replace(page, cells=tuple(c for c in page.cells if c.row not in gone),
                                   furniture=page.furniture + tuple(c for c in page.cells if c.row in gone)))
                continue
        what = kind(page)
        if what in ("goal", "front"):
            head = _sheet_head(rows) if what == "goal" else []
            body = rows[len(head):]
        out.append(page)
    return out
