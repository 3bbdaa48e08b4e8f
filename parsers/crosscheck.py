"""Cross-checks from the sheet's own redundancy: what the sheet says twice must agree.

- the 【重点目標】 overview row and the goal's own sheet: the title and the grade (達成状況 in
  the overview, 全体の達成度 on the sheet); an OCR'd overview title that is the sheet's title and
  more ran on into the 分野 cell (:func:`title_ran_on`);
- the legend's bounds against their own grammar (``N%以上M%未満``: N below M, and each band
  below the one above it: it ends at or below that band's N and starts below it; a bound above
  100 % ending in 9 had its % read as 9% (``1009%`` → 100 %); a band given
  by one percentage is an end of the scale, 100 % at the top or 0 % at the bottom);
- the department in the header (``部 | 政策推進部``) against the one in the title.

When two readings disagree the better one is kept: the text layer over OCR, the reading
that passes the grammar over the one that does not, of two OCR readings of a title the one
whose kanji are all 常用漢字 over one with a kanji outside them. When neither can be trusted the field
is written empty. Either way a warning names the field and the sheet's page, so the source
becomes ``partial``.
"""
from __future__ import annotations

import unicodedata

import regex

from plansheet.parsers.records import Goal, GradeBand

_DEPARTMENT = regex.compile(r"^\p{Han}[\p{Han}\p{Katakana}ー・]*(?:部|局|室|委員会|事務局)$")
_SPACES = regex.compile(r"[\s\u3000]+")


def _same_text(a: str, b: str) -> bool:
    """Equal once width and spaces are set aside (a reader may keep a space the other drops)."""
    def norm(text: str) -> str:
        return _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return norm(a) == norm(b)


def reconcile_goal(goal: Goal, title: str | None, grade: str | None, grades: set[str],
                   ocr_overview: bool) -> list[str]:
    """Check the overview's ``title`` and ``grade`` for ``goal`` against its sheet; repair ``goal``.

    What the sheet lacks is filled from the overview. ``grades`` are the legend's letters;
    ``ocr_overview`` says the overview was read by OCR.
    """
    warnings: list[str] = []
    where = f"goal {goal.goal_no}" + (f" (page {goal.page})" if goal.page is not None else "")
    if title and goal.title and not _same_text(title, goal.title):
        sheet_ocr = goal.confidence is not None
        if sheet_ocr and not ocr_overview:
            kept, other, source = title, goal.title, "the overview's (text layer)"
        elif sheet_ocr and _outside_joyo(goal.title) and not _outside_joyo(title):
            kept, other, source = title, goal.title, "the overview's (the sheet's has a kanji outside the 常用漢字)"
        else:
            kept, other, source = goal.title, title, "the goal sheet's"
        warnings.append(f"{where} title: differs between the 【重点目標】 overview and the goal sheet "
                        f"('{_short(other)}' / '{_short(kept)}'); kept {source}")
        goal.title = kept
        if goal.confidence is not None:  # one of two readings is wrong, and the one kept may be it
            from plansheet.parsers.ocr_repair import REPAIRED_CONFIDENCE
            goal.confidence = min(goal.confidence, REPAIRED_CONFIDENCE)
    if grade and goal.overall_grade and grade != goal.overall_grade:
        valid = [g for g in (goal.overall_grade, grade) if g in grades]
        if len(valid) == 1:
            warnings.append(f"{where} overall_grade: 全体の達成度 '{goal.overall_grade}' and the overview's 達成状況 "
                            f"'{grade}' differ; kept '{valid[0]}', the one in the legend")
            goal.overall_grade = valid[0]
        else:
            warnings.append(f"{where} overall_grade: 全体の達成度 '{goal.overall_grade}' and the overview's 達成状況 "
                            f"'{grade}' differ; left empty")
            goal.overall_grade = None
    elif grade and goal.overall_grade is None:
        goal.overall_grade = grade
    goal.title = goal.title or title
    return warnings


def _outside_joyo(text: str) -> bool:
    """Whether an OCR reading holds a kanji outside the 常用漢字, which the sheets keep to: of two OCR
    readings of one title, one with such a kanji (``計画的な修繝``) and one without (``計画的な修繕``), the
    second is the title."""
    from plansheet.core.kanji import kanji_outside_joyo  # OCR only: no text-layer run loads it

    return bool(kanji_outside_joyo(text))


_FIELD_VALUE = regex.compile(r"^[^\s、。，．（）()]{1,10}$")  # a 分野: a word or two (人権・男女共同参画)


def title_ran_on(sheet_title: str | None, overview_title: str | None, before: bool = False) -> str | None:
    """What the overview's title cell holds after the goal sheet's whole title (``…の充実消費生活``
    beside ``…の充実``), or ``None``: the overview row's title and 分野 read as one cell (OCR lost the
    rule between them), so the tail is that goal's 分野, or more. With ``before``: what it holds
    before the title (``分節高齢者福祈地域包括ケア…``: a 分野 cell and its label run on from the left)."""
    if not sheet_title or not overview_title:
        return None
    sheet, overview = (_SPACES.sub("", unicodedata.normalize("NFKC", t)) for t in (sheet_title, overview_title))
    if before:
        return overview[: -len(sheet)] if overview.endswith(sheet) and len(overview) > len(sheet) else None
    tail = overview[len(sheet):] if overview.startswith(sheet) else ""
    return tail or None


def field_in_tail(tail: str) -> bool:
    """True when the text ``tail`` (:func:`title_ran_on`) can be a 分野 alone: ten characters or fewer,
    no stop, comma or bracket (``防災人権尊重の…`` runs on into the next row)."""
    return bool(_FIELD_VALUE.match(tail))


def _band_order(band: GradeBand) -> tuple[float, float]:
    """Where a band stands on the scale by its bounds (the higher, the earlier): its lower bound (below its upper
    bound where none is written: ``50%未満`` under ``50%以上…``), then its upper bound."""
    lo = band.min_pct if band.min_pct is not None else band.max_pct - 0.5  # type: ignore[operator]
    return lo, band.max_pct if band.max_pct is not None else float("inf")


def check_legend(bands: list[GradeBand], page: int | None) -> list[str]:
    """Bounds that break ``N%以上M%未満`` (N above M, a negative bound, or two bands that overlap) are emptied. Bounds
    are checked as stated (``100%以上120%未満`` is a band above 100%: the legend states it); the bands are compared
    in their order on the scale, by their bounds, not in the order the legend lists them (E first, A last)."""
    warnings: list[str] = []
    where = "【達成度について】" + (f" (page {page})" if page is not None else "")
    for band in bands:
        for name in ("min_pct", "max_pct"):
            value = getattr(band, name)
            if value is not None and value > 100 and value % 10 == 9 and value // 10 <= 100:
                # OCR: a % read as 9% (100% → 1009%): a bound of the scale is 100% at most
                warnings.append(f"{where}: grade {band.grade} bound {value}% is its % read as 9%; {value // 10}%")
                setattr(band, name, value // 10)
    for band in bands:
        lo, hi = band.min_pct, band.max_pct
        if (lo is not None and hi is not None and lo > hi) or any(v is not None and v < 0 for v in (lo, hi)):
            warnings.append(f"{where}: grade {band.grade} bounds {lo}–{hi} break N%以上M%未満; left empty")
            band.min_pct = band.max_pct = None
    scale = sorted((b for b in bands if b.min_pct is not None or b.max_pct is not None), key=_band_order, reverse=True)
    for upper, lower in zip(scale, scale[1:]):
        if upper.min_pct is not None and lower.max_pct is not None and lower.max_pct > upper.min_pct:
            warnings.append(f"{where}: grade {lower.grade} reaches {lower.max_pct}%, above grade {upper.grade}'s "
                            f"{upper.min_pct}%; its bounds left empty")
            lower.min_pct = lower.max_pct = None
        elif upper.min_pct is not None and lower.min_pct is not None and lower.min_pct >= upper.min_pct:
            # "N%以上" includes N: the band below starts lower (C 50%以上…, then D 50%未満, never D 50%)
            warnings.append(f"{where}: grade {lower.grade} starts at {lower.min_pct}%, not below grade "
                            f"{upper.grade}'s {upper.min_pct}%; its bounds left empty")
            lower.min_pct = lower.max_pct = None
    for k, band in enumerate(bands):
        if band.min_pct is not None and band.min_pct == band.max_pct and band.min_pct not in (0, 100):
            bottom = k == len(bands) - 1 and k > 0
            warnings.append(f"{where}: grade {band.grade} is given as {band.min_pct}% alone, which only an end of "
                            "the scale is (100% or 0%); " + ("the bottom band: set to 0%" if bottom else "left empty"))
            band.min_pct = band.max_pct = 0 if bottom else None
    return warnings


def reconcile_department(cell: str | None, title: str | None, page: int | None,
                         sheets: list[str] | None = None) -> tuple[str | None, list[str]]:
    """The department named by the header's 部 cell and by the title: one reading, and any warning.

    ``sheets``: the 部 cell of each goal sheet, given for an OCR'd document; when more of them
    agree with the title than with the header's cell, the title is kept and the change is an
    OCR repair note (``department_vote``), not a doubt. Only that way round: the title stands in
    no ruled cell, so it cannot share the glyph a cell's left rule takes from every sheet alike.
    """
    if not cell or not title or _same_text(cell, title):
        return cell or title, []
    where = "department" + (f" (page {page})" if page is not None else "")
    if sheets:
        for_cell, for_title = (sum(_same_text(s, r) for s in sheets if s) for r in (cell, title))
        if for_title > for_cell:
            return title, [f"{where}: OCR repair (department_vote) {cell!r} → {title!r} "
                           f"(the title and {for_title} goal sheets read it so)"]
    cell_ok, title_ok = bool(_DEPARTMENT.match(cell)), bool(_DEPARTMENT.match(title))
    kept = title if title_ok and not cell_ok else cell
    return kept, [f"{where}: the 部 cell says '{cell}', the title '{title}'; kept '{kept}'"]


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
