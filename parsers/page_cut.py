"""A sheet the paper cuts: what runs past a page's right edge is not on the page, and the fields there are named.

A browser printing a table wider than its paper (Chromium onto B5 portrait) does not shrink it: it draws the table
whole and the page cuts it at its right edge (the reader sets ``Page.cut_at`` where a ruled table runs on past the
page with no line closing it there). A person reading that page reads each cell as far as the page shows it, and
knows the rest is missing; so does the grammar, which says so: the document is told where its pages are cut, each
text field read from a box that runs past the cut is named with its page (its value stops at the paper's edge, or
misses the ends of its lines), and, on a result sheet, each grade of a record on a cut page that was not read (its
column may stand off the page).
"""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

import regex

from plansheet.core.model import Page
from plansheet.parsers.records import ParsedDocument, record_name, text_fields

_SHARED = 8  # characters: a field holding this many in a row of a cut box's text was read from that box
_SPACES = regex.compile(r"\s+")


def _bare(text: str) -> str:
    return _SPACES.sub("", text)


def _read_from(value: str, box: str) -> bool:
    """Whether a field's ``value`` was read from a cut ``box`` (both without spaces): the box's text is the value,
    or stands in it, or the two share a run of at least :data:`_SHARED` characters, half the shorter or more (a
    field joins a box's lines to the lines of the box below, and a short value, as a department's name, stands
    in many texts)."""
    if not value or not box:
        return False
    if box == value or (len(box) >= _SHARED and box in value):
        return True
    shorter = min(len(value), len(box))
    if shorter < _SHARED:
        return False
    match = SequenceMatcher(None, value, box, autojunk=False).find_longest_match(0, len(value), 0, len(box))
    return match.size >= max(_SHARED, shorter / 2)


def _spans(doc: ParsedDocument) -> list[tuple[object, int, int]]:
    """Each goal's record span of pages (its sheet's first page to the next sheet's), the front sheet first
    (``None`` for the records of the front sheet: the document, its officers and its legend)."""
    first = doc.pages[0] if doc.pages else 0
    starts = [(None, first)] + [(goal, goal.page) for goal in doc.goals if goal.page is not None]
    ends = [start for _, start in starts[1:]] + [max(doc.pages, default=first) + 1]
    return [(owner, start, end) for (owner, start), end in zip(starts, ends)]


def cut_warnings(doc: ParsedDocument, pages: Sequence[Page]) -> list[str]:
    """What ``doc`` says of its ``pages`` the paper cuts (the module docstring): one warning a cut page, then one
    for each field read from a box whose text runs past the cut (``Page.cut``), matched on the pages of its own
    sheet, and on a result sheet each grade of a cut page not read."""
    cut = [p for p in pages if p.cut_at is not None]
    if not cut:
        return []
    warnings = [f"page {p.number}: the paper cuts the sheet at the page's right edge (its ruled tables run on past "
                f"it, x {p.cut_at:.0f} of {p.width or 0:.0f} pt): what stands right of it is not on the page"
                for p in cut]
    boxes = [(c, _bare(c.text)) for p in cut for c in p.cut]
    spans = _spans(doc)
    goal_of = {id(record): goal for goal in doc.goals for record in [goal, *goal.targets, *goal.initiatives]}
    named: set[tuple[int, str]] = set()
    for field in text_fields(doc):
        value = getattr(field.owner, field.name, None)
        if not isinstance(value, str) or not value.strip():
            continue
        owner = goal_of.get(id(field.owner))
        lo, hi = next(((start, end) for o, start, end in spans if o is owner), (0, 0))
        bare = _bare(value)
        hit = next((c for c, text in boxes if lo <= c.page < hi and _read_from(bare, text)), None)
        if hit is not None:
            named.add((id(field.owner), field.name))
            warnings.append(f"{field.named}: read from a box the paper cuts at page {hit.page}'s right edge: "
                            "read only as far as the page shows it")
    if doc.stage != "result":
        return warnings
    pages_cut = {p.number for p in cut}
    for goal in doc.goals:
        for record, name in [(goal, "overall_grade"), *((t, "grade") for t in goal.targets)]:
            page = getattr(record, "page", None) or goal.page
            if getattr(record, name) is None and page in pages_cut and (id(record), name) not in named:
                warnings.append(f"{record_name(goal, record)} (page {page}) {name}: not read on a page the paper "
                                "cuts at its right edge (its column may stand off the page)")
    return warnings
