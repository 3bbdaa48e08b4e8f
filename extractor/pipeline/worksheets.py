"""Which worksheets of a workbook belong to the plan: only those the sheet's grammar claims.

A worksheet belongs to a department's plan when it is a front sheet or a goal sheet
(:func:`~plansheet.parsers.document.classify_page`), or when it directly follows such a
worksheet and carries the sheet's labels (a goal's initiatives running onto the next
worksheet). A worksheet before the first of those that names the plan (a compiled workbook's
cover, its 目次) is the volume's own and is kept too: the cover names the city. Any other
worksheet (minutes, a budget table, a notes tab) is skipped, and the caller names it in a
warning, so its text never becomes part of a goal.
"""
from __future__ import annotations

from plansheet.core.model import Page
from plansheet.parsers.document import PageKind, classify_page
from plansheet.parsers.front_sheet import names_the_plan
from plansheet.parsers.labels import match_label


def _claims(pages: list[Page], after_claimed: bool) -> bool:
    if any(classify_page(p) is not PageKind.OTHER for p in pages):
        return True
    return after_claimed and any(match_label(c.text) is not None for p in pages for c in p.cells)


def _volume_cover(pages: list[Page]) -> bool:
    """A worksheet that names the plan without being any of its sheets: a cover or a 目次."""
    return any(names_the_plan(c.text) for p in pages for c in p.cells)


def claim_worksheets(pages: list[Page]) -> tuple[list[Page], list[str]]:
    """The pages of the worksheets the grammar claims, and the names of the others, in order.

    Pages without a worksheet name (PDFs, text exports) are all kept.
    """
    groups: list[tuple[str | None, list[Page]]] = []
    for page in pages:
        if groups and page.sheet is not None and groups[-1][0] == page.sheet:
            groups[-1][1].append(page)
        else:
            groups.append((page.sheet, [page]))
    kept: list[Page] = []
    skipped: list[str] = []
    claimed = plan_seen = False
    for name, group in groups:
        claimed = name is None or _claims(group, claimed)
        plan_seen = plan_seen or claimed
        if claimed or (not plan_seen and _volume_cover(group)):
            kept.extend(group)
        else:
            skipped.append(name or "")
    return kept, skipped


def skipped_warning(names: list[str], shown: int = 5) -> str:
    """One warning naming the skipped worksheets (the first ``shown`` of them)."""
    listed = ", ".join(repr(n) for n in names[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (f"{len(names)} worksheet(s) hold no part of the plan and were skipped: {listed}{more}")
