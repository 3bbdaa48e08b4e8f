"""Pages → department documents: split a file into departments, parse, merge, validate.

A department's plan is a front sheet (title, officers, 【基本方針】, the 【重点目標】 overview,
the legend), then one sheet per goal headed ``重点目標 N``. A page without a heading
continues what came before it (a long front sheet, or a goal whose initiatives run onto
the next page). A front sheet that follows goal sheets starts the next department, which
is how a compiled volume splits; so does one naming another department than the front sheet
before it (a department whose plan is its front sheet alone: :func:`_names_another_department`). Pages before the first front sheet (a volume's cover) belong
to no department, nor does a page left blank before a department's front sheet (:func:`_without_fillers`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Sequence

import regex

from plansheet.core.model import Cell, ExtractionMethod, Page
from plansheet.parsers.front_sheet import (
    FrontSheet, OverviewGoal, cover_city, parse_front_sheet, title_municipality, year_from_overview,
)
from plansheet.parsers.broken_rows import join_broken_rows
from plansheet.parsers.clipped import clipped_warnings
from plansheet.parsers.goal_sheet import (
    parse_goal_sheet, plan_sheet_headings, stage_from_notes, template_headings, unlabelled_row_warnings,
)
from plansheet.parsers.grade_gloss import take_glosses
from plansheet.parsers.labels import Label, match_label
from plansheet.parsers.layout import join_split_headings, split_label_prefix, tokenize
from plansheet.parsers.page_cut import cut_warnings
from plansheet.parsers.print_titles import drop_print_titles, drop_sheet_headings
from plansheet.core.text import parse_fiscal_year, squeeze_spaced_japanese
from plansheet.parsers.records import FieldGlyph, Goal, ParsedDocument, legend_letters, result_fields
from plansheet.parsers.crosscheck import (
    check_legend, field_in_tail, reconcile_department, reconcile_goal, title_ran_on,
)
from plansheet.parsers.duplicate_sheets import one_sheet_per_goal
from plansheet.parsers.repair import grade_words, repair_grade, repair_grades
from plansheet.parsers.unmapped import mark_unmapped, unmapped_labels
from plansheet.parsers.validate import DEFAULT_GRADES, validate_document
from plansheet.parsers.writer_notes import clear_writer_notes

_FRONT_LABELS = {Label.BASIC_POLICY, Label.GOAL_OVERVIEW, Label.GRADE_LEGEND, Label.DIRECTOR}
_HEADER_LABELS = {Label.TITLE, Label.DEPARTMENT, Label.DIRECTOR, Label.OFFICER}
_SHEET_BODY_LABELS = {Label.TARGET, Label.INITIATIVE, Label.STATUS, Label.STATUS_GRADE, Label.RESULTS, Label.SUMMARY}
_TITLE_LINE = regex.compile(r"運営方針|運営計画")
# a sheet's title with no year in it: a department's plan named, whole (政策推進部の運営方針, 【都市整備部】運営方針の達成
# 状況, 部の運営方針【こども未来部】), once spaces are taken off
_UNIT = r"[\p{Han}\p{Hiragana}\p{Katakana}ー]{1,12}[部局]"  # こども未来部, 上下水道局
_PLAN = r"(?:運営方針|運営計画)(?:の?達成状況)?"
_YEARLESS_TITLE = regex.compile(r"【?" + _UNIT + r"】?の?" + _PLAN + r"|" + _UNIT + r"の達成状況|部の" + _PLAN
                                + r"[【(（]" + _UNIT + r"[】)）]")
_END_MARK = "以上"
# what a page left blank on purpose says, once brackets, spaces and stops are taken off: （白紙）,
# このページは白紙です, 余白, 以下余白, 白紙ページ; or the end mark of a document, 以上 (- 以 上 -), alone on its
# last page: neither is any department's text
_BLANK_NOTE = regex.compile(r"(?:この(?:ページ|頁)は)?(?:意図的に)?(?:以下)?(?:白紙|余白)(?:ページ|頁)?"
                            r"(?:です|にしています|にしてあります|となっています|としています)?|" + _END_MARK)
# a page number as a volume prints it (NFKC): - 7 -, 7, 7 / 15, P.7, 第7頁, 7ページ, (7)
_PAGE_MARK = regex.compile(r"[-‐–—―ー−~〜]\s*\d+\s*[-‐–—―ー−~〜]|\d+\s*/\s*\d+|[Pp]\.?\s*\d+|第?\d+\s*(?:頁|ページ)|\(?\d+\)?")
_NOTE_DECOR = regex.compile(r"[\s（）()【】［］\[\]「」〔〕＜＞<>。．.・\-－―—]+")
_FILE_NAME = regex.compile(r"\.xlsx?\b|\.pdf\b|[\\/]", regex.IGNORECASE)


class PageKind(str, Enum):
    """What a page is within a department's plan."""

    FRONT = "front"
    GOAL = "goal"
    OTHER = "other"


def classify_page(page: Page) -> PageKind:
    """FRONT if it carries a front-sheet label, GOAL if a 重点目標 N heading over a sheet body
    (targets or initiatives: an overview row written ``重点目標1 | 目標 | …`` is no sheet), else OTHER."""
    labels = {label for c in page.cells if (label := _cell_label(c)) is not None}
    if labels & _FRONT_LABELS:
        return PageKind.FRONT
    if Label.GOAL_HEADING in labels and labels & _SHEET_BODY_LABELS:
        return PageKind.GOAL
    return PageKind.OTHER


def is_blank_page(page: Page) -> bool:
    """A page left blank: no text at all (and nothing that could not be read), or only a note saying
    so (（白紙）, このページは白紙です, 余白) or only the end mark 以上 that closes a document, once its page furniture is set aside (:func:`_is_furniture`: a
    page number, the volume's running header). Compiled volumes put one where a department must start on a
    right-hand page; it belongs to no department, and its note is no part of the sheet before it.
    A page emptied because its part of a sheet was read with another page (a sheet printed across
    pages) is no blank page."""
    if page.problem is not None or page.read_with is not None:
        return False
    return _blank_note(page) is not None


def _blank_note(page: Page) -> str | None:
    """The text of ``page`` that is neither furniture nor decoration ('' when none) if it is empty or a
    blank-page note, else None."""
    text = _NOTE_DECOR.sub("", "".join(c.text for c in page.cells if not _is_furniture(c)))
    return text if not text or _BLANK_NOTE.fullmatch(text) is not None else None


def _is_furniture(cell: Cell) -> bool:
    """A cell that is page furniture, not a sheet's content: a page number (``- 7 -``, ``7``, ``7 / 15``), or
    the running header naming the plan (``令和5年度 部の運営方針``) that matches no label."""
    text = unicodedata.normalize("NFKC", cell.text).strip()
    if _PAGE_MARK.fullmatch(text):
        return True
    return bool(_TITLE_LINE.search(text)) and match_label(text) is None

@dataclass
class _DocPages:
    front: list[Page] = field(default_factory=list)
    goals: list[list[Page]] = field(default_factory=list)

    @property
    def numbers(self) -> list[int]:
        """The page numbers the department occupies, each once (a page may hold two sheets)."""
        pages = [p.number for p in self.front] + [p.number for g in self.goals for p in g]
        return list(dict.fromkeys(pages))


def _cell_label(cell: Cell) -> Label | None:
    """The label ``cell`` stands for, or the goal heading it begins with where it holds the heading and its title
    (``重点目標 2 地域包括ケア…`` typed in one cell, as the tokenizer parts it: :func:`split_label_prefix`): such a cell
    heads a goal's sheet as the heading alone does."""
    match = match_label(cell.text, fuzzy=cell.confidence is not None)
    if match is not None:
        return match.label
    parted = split_label_prefix(cell) if "重点" in cell.text else None
    if parted is not None:
        head = match_label(parted[0].text, fuzzy=cell.confidence is not None)
        if head is not None and head.label is Label.GOAL_HEADING:
            return head.label
    return None


def _row_labels(page: Page) -> dict[int, set[Label]]:
    rows: dict[int, set[Label]] = {}
    for cell in page.cells:
        rows.setdefault(cell.row, set())
        label = _cell_label(cell)
        if label is not None:
            rows[cell.row].add(label)
        elif _reads_as_title(cell.text):
            rows[cell.row].add(Label.TITLE)
    return rows


def _reads_as_title(text: str) -> bool:
    """A line that reads as a sheet's title: the plan named with a year (令和5年度 政策推進部の運営方針), or a
    department's plan named whole with none (政策推進部の運営方針, …の運営方針の達成状況)."""
    if _TITLE_LINE.search(text) and parse_fiscal_year(text):
        return True
    return bool(_YEARLESS_TITLE.fullmatch(squeeze_spaced_japanese(unicodedata.normalize("NFKC", text)).replace(" ", "")))


def _heads_a_sheet(rows: dict[int, set[Label]], order: list[int], i: int) -> bool:
    """A heading row starts a goal sheet when targets or initiatives follow before the next heading."""
    for r in order[i + 1:]:
        if Label.GOAL_HEADING in rows[r]:
            return False
        if rows[r] & _SHEET_BODY_LABELS:
            return True
    return False


def split_sheets(page: Page) -> list[Page]:
    """Cut a page holding several sheets (a text export without page breaks) at each sheet's start.

    A goal sheet starts at its 重点目標 N row (or the 部 row just above it); a front sheet
    that follows a goal sheet on the same page starts at its title or header rows.
    """
    rows = _row_labels(page)
    order = sorted(rows)
    starts: set[int] = set()
    seen_goal = False
    for i, r in enumerate(order):
        labels = rows[r]
        if Label.GOAL_HEADING in labels and _heads_a_sheet(rows, order, i):
            above = order[i - 1] if i > 0 else None
            starts.add(above if above is not None and rows[above] == {Label.DEPARTMENT} else r)
            seen_goal = True
        elif seen_goal and labels & {Label.TITLE, Label.DIRECTOR, Label.BASIC_POLICY}:
            j = i
            while j > 0 and rows[order[j - 1]] & _HEADER_LABELS and Label.GOAL_HEADING not in rows[order[j - 1]]:
                j -= 1
            starts.add(order[j])
            seen_goal = False
    cuts = sorted(s for s in starts if s != order[0]) if order else []
    if not cuts:
        return [page]
    bounds = [order[0]] + cuts + [order[-1] + 1]
    return [replace(page, cells=tuple(c for c in page.cells if lo <= c.row < hi))
            for lo, hi in zip(bounds, bounds[1:])]


def _without_fillers(pages: Sequence[Page]) -> list[Page]:
    """``pages`` less those a volume leaves blank (:func:`is_blank_page`): a page with only a note saying so,
    wherever it stands; a page with nothing at all but its furniture (a page number, the running header), alone
    between two pages that hold something, the second starting a department (a volume starts each on a right-hand
    page: one page fills). Other empty pages are the department's own, less their page numbers: the empty parts of
    a sheet printed across pages, often several in a row (Excel prints every page of the print area)."""
    blank = [is_blank_page(p) for p in pages]
    kept = []
    for k, page in enumerate(pages):
        noted = blank[k] and bool(_blank_note(page))
        filler = blank[k] and 0 < k < len(pages) - 1 and not blank[k - 1] and not blank[k + 1] \
            and _starts_a_department(pages[k + 1])
        if blank[k] and not (noted or filler):  # an empty part of the department's own: its page number is no text
            kept.append(replace(page, cells=tuple(c for c in page.cells if not _PAGE_MARK.fullmatch(
                unicodedata.normalize("NFKC", c.text).strip()))))
        elif not blank[k]:
            kept.append(_without_end_mark(page))
    return kept


def _without_end_mark(page: Page) -> Page:
    """``page`` less the end mark 以上 that closes a document, where it stands alone in the page's last row (only
    page furniture below it): it is no field's text, as it is none on a page of its own."""
    rows = sorted({c.row for c in page.cells if not _is_furniture(c)})
    last = [c for c in page.cells if rows and c.row == rows[-1] and not _is_furniture(c)]
    if len(rows) < 2 or len(last) != 1 or _NOTE_DECOR.sub("", last[0].text) != _END_MARK:
        return page
    return replace(page, cells=tuple(c for c in page.cells if c is not last[0]))


# sources that print no page, whose page numbers are rows a person typed (a PDF's are read by their place on the page:
# readers/pdf/furniture)
_UNPRINTED = (ExtractionMethod.TEXT_EXPORT, ExtractionMethod.WORKBOOK)


def _without_page_numbers(sheet: Page) -> Page:
    """``sheet`` (one sheet of a page: :func:`split_sheets`) less the rows at its head and foot that hold only a page
    number (``- 58 -``, ``58``, ``— 58 —``, ``58/120``, ``P.58``), where its source prints no page (a text export, a
    workbook, an HTML page): a text copied from a printed volume, or a sheet with its page footers typed in as rows,
    writes the page's number on a line of its own between two sheets. It is page furniture, never a value (it had
    been glued onto the goal's next_steps, ``…強化します。- 58 -``, or the legend's last grade); set aside as such."""
    if sheet.method not in _UNPRINTED:
        return sheet
    rows = sorted({c.row for c in sheet.cells if c.text.strip()})
    marks = {r for r in rows if all(_PAGE_MARK.fullmatch(unicodedata.normalize("NFKC", c.text).strip())
                                    for c in sheet.cells if c.row == r and c.text.strip())}
    edge: set[int] = set()
    for run in (rows, rows[::-1]):
        for r in run:
            if r not in marks:
                break
            edge.add(r)
    if not edge or len(edge) == len(rows):
        return sheet
    return replace(sheet, cells=tuple(c for c in sheet.cells if c.row not in edge),
                   furniture=sheet.furniture + tuple(c for c in sheet.cells if c.row in edge))


def _starts_a_department(page: Page) -> bool:
    """``page`` (its first sheet) is a front sheet."""
    return any(classify_page(sheet) is PageKind.FRONT for sheet in split_sheets(page)[:1])


# (a name starts after the year: 令和4年度都市整備部 names 都市整備部, not 年度都市整備部)
_DEPARTMENT_TITLE = regex.compile(r"(?P<name>(?![年度])\p{Han}{1,10}[部局])の?(?:運営方針|運営計画)")


def _front_department(page: Page) -> str | None:
    """The department a front sheet's header names: the value beside its 部 label, else its title's
    (``令和7年度 こども未来部の運営方針``); ``None`` where it names none (a front sheet's second page)."""
    tokens = tokenize(list(page.cells))
    for i, token in enumerate(tokens[:-1]):
        value = tokens[i + 1]
        if token.label is not None and token.label.label is Label.DEPARTMENT and value.label is None \
                and (value.cell.page, value.cell.row) == (token.cell.page, token.cell.row) and value.text.strip():
            return squeeze_spaced_japanese(value.text.strip())
    for cell in page.cells:
        m = _DEPARTMENT_TITLE.search(squeeze_spaced_japanese(cell.text))
        if m is not None and parse_fiscal_year(cell.text):
            return m.group("name")
    return None


def _names_another_department(page: Page, front: list[Page]) -> bool:
    """``page``, a front sheet, names another department than the front sheet ``front`` before it, which no goal
    sheet followed: it opens a document of its own (a compiled volume's department whose plan is its front sheet
    alone, or a front sheet printed again after its goal sheets, is no part of the next department's front).
    A page naming none (a front sheet run onto a second page) or the same one (printed twice) continues it."""
    named = _front_department(page)
    before = next((d for d in map(_front_department, front) if d is not None), None)
    return named is not None and before is not None and not same_name(named, before)


def _title_rows(page: Page) -> list[int]:
    """The rows of ``page`` (a sheet :func:`split_sheets` cut) from its first, where that row reads as a sheet's
    title (``令和5年度 政策推進部の運営方針``: the plan named, a year in it), up to the first row holding something
    else than a title or a header's label and value; ``[]`` where the first row is no title."""
    rows = _row_labels(page)
    order = sorted(rows)
    if not order or Label.TITLE not in rows[order[0]]:
        return []
    kept = [order[0]]
    for r in order[1:]:
        if not rows[r] & _HEADER_LABELS:
            break
        kept.append(r)
    return kept


def split_documents(pages: Sequence[Page]) -> list[_DocPages]:
    """Group pages into departments (see the module docstring). A sheet's title after a goal sheet is never a value
    of that sheet, wherever the page breaks: a page's last rows cut from a title on (the next department's title,
    its header rows maybe, printed at the foot of the page before its front sheet) open the next department where a
    front sheet follows that names no other department; else the title is a running one (a footer), and its rows
    are set aside."""
    docs: list[_DocPages] = []
    sheets = [_without_page_numbers(sheet) for p in _without_fillers(pages) for sheet in split_sheets(p)]
    kinds = [classify_page(sheet) for sheet in sheets]
    for k, page in enumerate(sheets):
        kind = kinds[k]
        current = docs[-1] if docs else None
        if kind is PageKind.OTHER and current is not None and current.goals and (titled := _title_rows(page)):
            if k + 1 < len(kinds) and kinds[k + 1] is PageKind.FRONT and not _names_another_department(sheets[k + 1],
                                                                                                      [page]):
                docs.append(_DocPages(front=[page]))
                continue
            page = replace(page, cells=tuple(c for c in page.cells if c.row not in titled))
            if not page.cells:
                continue
        if kind is PageKind.FRONT:
            if current is None or current.goals or _names_another_department(page, current.front):
                docs.append(_DocPages())
            docs[-1].front.append(page)
        elif kind is PageKind.GOAL:
            if current is None:
                docs.append(_DocPages())
            docs[-1].goals.append([page])
        elif current is not None:
            (current.goals[-1] if current.goals else current.front).append(page)
    return docs


def parse_pages(pages: Sequence[Page], municipality: str | None = None) -> list[ParsedDocument]:
    """Every department document found in ``pages``, in order, validated."""
    documents: list[ParsedDocument] = []
    pages = [replace(p, cells=join_split_headings(p.cells)) for p in mark_unmapped(pages)]
    pages = drop_print_titles(pages, lambda page: classify_page(page) is PageKind.FRONT)
    pages = drop_sheet_headings(pages, lambda page: classify_page(page).value)
    cover = cover_municipality(pages)
    groups = split_documents(pages)
    for doc_pages in groups:
        documents.append(_parse_document(doc_pages, municipality, cover))
    owners = _goals_before_their_front(groups, documents)
    for j in sorted(set(owners.values())):  # a front sheet with the goal sheets that stood before it, parsed again
        gained = [sheet for i, o in owners.items() if o == j for sheet in groups[i].goals]
        groups[j].goals = sorted(gained + groups[j].goals, key=lambda sheet: sheet[0].number)
        documents[j] = _parse_document(groups[j], municipality, cover)
    kept = [i for i in range(len(groups)) if i not in owners]
    return _sheets_to_their_department([groups[i] for i in kept], [documents[i] for i in kept], municipality, cover)


def _sheets_to_their_department(groups: list[_DocPages], documents: list[ParsedDocument], municipality: str | None,
                                cover: str | None) -> list[ParsedDocument]:
    """A volume's goal sheet belongs to the department its own 部 cell names, not to the front sheet it happens to
    follow (a misbound page, a department whose front page is missing): each goal sheet naming another department
    than its group's front sheet goes to the one front sheet naming that department, or, none naming it, to a
    document of its own after its group (read from a text layer only: an OCR'd 部 cell may be misread), whose
    front-page fields are empty (named) and whose year is the volume's other departments' one year (named)."""
    if len(groups) < 2:
        return documents
    fronts = {j: documents[j].department for j, g in enumerate(groups) if g.front and documents[j].department}
    moved: dict[int, list[list[Page]]] = {}
    orphans: dict[int, dict[str, list[list[Page]]]] = {}
    changed: set[int] = set()
    for i, group in enumerate(groups):
        own = fronts.get(i)
        if own is None:
            continue
        for sheet in list(group.goals):
            named = parse_goal_sheet(_cells(join_broken_rows(sheet))).department
            if not named or same_name(named, own):
                continue
            found = [j for j, department in fronts.items() if same_name(named, department)]
            if len(found) == 1:
                moved.setdefault(found[0], []).append(sheet)
            elif not found and not any(c.confidence is not None for page in sheet for c in page.cells):
                orphans.setdefault(i, {}).setdefault(named, []).append(sheet)
            else:
                continue
            group.goals.remove(sheet)
            changed.add(i)
    if not moved and not orphans:
        return documents
    for j, sheets in moved.items():
        groups[j].goals = sorted(groups[j].goals + sheets, key=lambda sheet: sheet[0].number)
        changed.add(j)
    years = {(d.fiscal_year, d.fiscal_year_label) for d in documents if d.fiscal_year is not None}
    out: list[ParsedDocument] = []
    for i, group in enumerate(groups):
        out.append(_parse_document(group, municipality, cover) if i in changed else documents[i])
        for named, sheets in orphans.get(i, {}).items():
            doc = _parse_document(_DocPages(goals=sheets), municipality, cover)
            doc.warnings.append(f"{named} (pages {sheets[0][0].number}–{sheets[-1][-1].number}): goal sheets naming a "
                                "department whose front sheet this file does not hold; read as a document of its own")
            header = next((c.text for page in sheets[0] for c in [*page.furniture, *page.cells]
                           if _TITLE_LINE.search(c.text) and parse_fiscal_year(c.text)), None)
            if doc.fiscal_year is None and (header is not None or len(years) == 1):
                (doc.fiscal_year, doc.fiscal_year_label), = [parse_fiscal_year(header)] if header else years
                source = f"the running header {header!r}" if header else "the file's other departments' year"
                doc.warnings.append(f"fiscal_year: no front sheet states {named}'s year; {doc.fiscal_year_label} is "
                                    f"read from {source}")
            out.append(doc)
    return out


def _goals_before_their_front(groups: list[_DocPages], documents: list[ParsedDocument]) -> dict[int, int]:
    """Goal sheets that stand before the front sheet they belong to (a workbook whose front sheet is
    its last tab, a text export with the front block last): each such group, by its front's group.

    A goal sheet names its department (its 部 cell) and its goal number, so it belongs to the front
    sheet of that department wherever it stands: a group of goal sheets with no front sheet belongs to
    the one group with a front sheet naming the same department (or, its sheets naming none, to the
    file's only front sheet that has no goal sheets of its own)."""
    fronts = [j for j, g in enumerate(groups) if g.front]
    owners: dict[int, int] = {}
    for i, group in enumerate(groups):
        if group.front or not group.goals:
            continue
        named = documents[i].department
        found = ([j for j in fronts if documents[j].department and same_name(named, documents[j].department)]
                 if named else [j for j in fronts if not groups[j].goals])
        if len(found) == 1:
            owners[i] = found[0]
    return owners


def cover_municipality(pages: Sequence[Page]) -> str | None:
    """The city a compiled volume's cover names (``部の運営方針`` and ``柏原市`` on the pages before
    the first department's): the city of every department in the file that names none itself."""
    for page in pages:
        if classify_page(page) is not PageKind.OTHER:
            break
        city = cover_city([c.text for c in page.cells])
        if city:
            return city
    return None


def _title_in_furniture(page: Page) -> Cell | None:
    """The sheet's title among the lines taken off the front page as running text (a print title repeated atop
    every page of a sheet printed smaller than its paper is taken for a running header): a line naming the
    plan and its year, one that is no file's name first; put above the page's first row."""
    lines = [c for c in page.furniture if _TITLE_LINE.search(c.text) and parse_fiscal_year(c.text)]
    lines.sort(key=lambda c: _FILE_NAME.search(c.text) is not None)
    return replace(lines[0], row=min((c.row for c in page.cells), default=0) - 1, row_span=1) if lines else None


def _cells(pages: list[Page]) -> list[Cell]:
    return [cell for page in pages for cell in page.cells]


def _parse_document(doc_pages: _DocPages, municipality: str | None, cover: str | None = None) -> ParsedDocument:
    front = parse_front_sheet(_cells(doc_pages.front)) if doc_pages.front else FrontSheet()
    if doc_pages.front and front.fiscal_year is None and (title := _title_in_furniture(doc_pages.front[0])):
        front = parse_front_sheet([title] + _cells(doc_pages.front))
    year_from_overview(front)
    doc = ParsedDocument(
        department=front.department, fiscal_year=front.fiscal_year,
        fiscal_year_label=front.fiscal_year_label, basic_policy=front.basic_policy,
        officers=front.officers, grade_scale=front.grade_scale, pages=doc_pages.numbers,
    )
    directors = [o.name for o in front.officers if o.position == "部長"]
    doc.director = directors[0] if directors else None
    if not doc_pages.front:
        doc.warnings.append("no front sheet found: officers, basic policy and legend are missing")
    sheet_departments = []
    glyphs = []
    sheets = []
    goal_cells = [_cells(join_broken_rows(goal_pages)) for goal_pages in doc_pages.goals]
    first = [parse_goal_sheet(cells) for cells in goal_cells]
    if any(sheet.stacks for sheet in first):  # one template: targets together elsewhere are stacked too
        first = [parse_goal_sheet(cells, template_stacks=True) if sheet.together else sheet
                 for sheet, cells in zip(first, goal_cells)]
    parsed, repeated = one_sheet_per_goal(first, front.overview)
    doc.warnings += repeated
    for sheet in parsed:
        sheets.append(sheet)
        sheet_departments.append(sheet.department or "")
        glyphs += sheet.glyphs
        doc.warnings.extend(sheet.warnings)
        if doc.department is None and sheet.department:
            doc.department = sheet.department
        elif sheet.department and doc.department and not same_name(sheet.department, doc.department):
            doc.warnings.append(f"goal {sheet.goal.goal_no} (page {sheet.goal.page}) department: sheet names "
                                f"department {sheet.department}, front sheet {doc.department}")
        doc.goals.append(sheet.goal)
    doc.warnings += unlabelled_row_warnings(sheets)
    for sheet in sheets:
        doc.warnings += take_glosses(sheet.glosses, front.grade_scale, sheet.goal.goal_no)
    clear_writer_notes(doc)
    headed = {(id(s.goal), name) for s in sheets for name in s.headed}
    result_filled = any(getattr(record, name) for _, record, name in result_fields(doc)
                        if (id(record), name) not in headed)
    withdrawn = template_headings(sheets, result_filled)
    doc.warnings = [w for w in doc.warnings if w not in withdrawn]
    plan_sheet_headings(sheets, result_filled)
    doc.warnings += stage_from_notes(sheets, [(record, name) for _, record, name in result_fields(doc)
                                              if getattr(record, name)])
    front_page = doc_pages.front[0].number if doc_pages.front else None
    ocr_front = any(c.confidence is not None for c in _cells(doc_pages.front))
    doc.department, differ = reconcile_department(doc.department, front.title_department, front_page,
                                                  sheet_departments if ocr_front else None)
    doc.warnings += differ
    legend = legend_letters(front.grade_scale) or set(DEFAULT_GRADES)
    glyphs += [replace(g, record=doc) if g.record is front else g for g in front.glyphs]
    field_column = any((m := match_label(c.text, fuzzy=c.confidence is not None)) is not None and m.label is Label.FIELD
                       for c in _cells(doc_pages.front))
    doc.warnings += _merge_overview(doc, front, legend, ocr_front, glyphs, field_column)
    doc.warnings += check_legend(doc.grade_scale, front_page)
    pages = doc_pages.front + [p for g in doc_pages.goals for p in g]
    headers = [c.text for p in pages for c in p.furniture]
    all_text = [c.text for p in pages for c in p.cells]
    doc.municipality, differ = _municipality(front.title_municipality or title_municipality(headers) or cover,
                                             municipality, front_page)
    doc.warnings += differ
    repair_grades(doc, DEFAULT_GRADES)
    doc.warnings.extend(front.warnings)
    if any(c.confidence is not None for c in _cells(pages)):  # OCR'd: post-correction (parsers/ocr_repair.py)
        # imported here: a text-layer run never needs the OCR rules (compiling them is ~13 ms of every start)
        from plansheet.parsers.ocr_doubt import department_doubt, legend_doubts, name_doubts, stage_doubt, stray_values

        doc.warnings.extend(front.notes)
        doc.warnings.extend(front.doubts)
        if doc_pages.front and not any(o.position == "部長" for o in front.officers):
            doc.warnings.append(f"officer 部長 name (page {front_page}): no director read on the front sheet "
                                "(its label or name misread?)")
        doc.warnings.extend(repair_document(doc, sheet_departments, glyphs))
        doc.warnings.extend(name_doubts(front.officers, front.officer_cells, all_text))
        doc.warnings.extend(department_doubt(doc.department, front.department_cell,
                                             sheet_departments + [front.title_department or ""]))
        doc.warnings.extend(legend_doubts(doc.grade_scale, front_page))
        doc.warnings.extend(_no_overview_row(doc, front, doc_pages.front))
        doc.warnings.extend(stray_values(doc))
        doc.warnings.extend(stage_doubt(doc))
    doc.warnings.extend(unmapped_labels(_cells(pages)))
    doc.warnings.extend(clipped_warnings(doc, _cells(pages)))
    doc.warnings.extend(cut_warnings(doc, pages))
    doc.warnings.extend(validate_document(doc, overview_numbers=[g.goal_no for g in front.overview]))
    return doc


def _municipality(named: str | None, given: str | None, page: int | None) -> tuple[str | None, list[str]]:
    """The municipality: the one the sheet's title, running header or volume cover names; else the one
    given (``--municipality``, or the one the output folder remembers); else none. A city named only in
    the body text (本市 sheets quote 大阪市消防局) names no municipality. A given one that disagrees
    with the sheet's is named and not applied."""
    if named and given and not same_name(named, given):
        where = f" (page {page})" if page is not None else ""
        return named, [f"municipality{where}: the title names {named}, --municipality gives {given}; kept {named}, "
                       "the sheet's own"]
    return named or given, []


def _field_from_tail(goal: Goal, entry: OverviewGoal, tail: str, glyphs: list[FieldGlyph]) -> list[str]:
    """The overview's title cell ran on into the 分野 (:func:`~crosscheck.title_ran_on`): a tail that can
    be a 分野 alone is the goal's field, read from the title's cell (its glyphs, an audited repair,
    the goal's confidence capped); a longer one is no field, and the lost 分野 is named. A tail ending in the
    sheet's goal word (``行財政改革重点課題``: the cell ran on into the heading of the row below, scan fuzz seed
    19002 variant 63) is no 分野 either: what stands before the word is taken, and named."""
    page = f" (page {goal.page})" if goal.page is not None else ""
    if not field_in_tail(tail):
        return [f"goal {goal.goal_no}{page} field: the 【重点目標】 row's title cell read on past the goal sheet's "
                f"title ({tail[:12]!r}…); its 分野 is lost in it"]
    if len(tail) < 2 or regex.match(r"\p{Hiragana}", tail):  # a 分野 is a word: this is the title's own end
        _cap_repaired(goal)
        return [f"goal {goal.goal_no}{page} title: the 【重点目標】 row's title runs on past the goal sheet's by "
                f"{tail!r}: the sheet's title may be cut short, or goal {goal.goal_no}{page} field lost in it"]
    heading = _GOAL_WORD_END.search(tail)
    if heading:  # the cell ran on past its 分野 into the heading of the row below (重点課題): a goal word is no 分野
        cut = tail[: heading.start()]
        entry.field = cut
        _cap_repaired(goal)
        return [f"goal {goal.goal_no}{page} field: the 【重点目標】 row read its title, 分野 and the heading "
                f"{heading.group()!r} as one cell ('…{(goal.title or '')[-6:]}{tail}'); 分野 taken as {cut!r}, check it"]
    entry.field = tail
    if "title" in entry.glyphs:
        glyphs.append(replace(entry.glyphs["title"], record=goal, name="field"))
    _cap_repaired(goal)
    return [f"goal {goal.goal_no} field: OCR repair (title_ran_on) the 【重点目標】 row read its title and 分野 as one "
            f"cell ('…{(goal.title or '')[-6:]}{tail}'): 分野 {tail!r}"]


_GOAL_WORD_END = regex.compile(r"(?<=..)(?:重点目標|重点課題)$")  # a 分野 before it: two glyphs at least


def repair_document(doc: ParsedDocument, departments: list[str] | None = None,
                    glyphs: Sequence[FieldGlyph] = ()) -> list[str]:
    """:func:`plansheet.parsers.ocr_repair.repair_document` (the OCR post-correction), imported on
    the first OCR'd document: a text-layer run never pays for compiling its rules."""
    from plansheet.parsers.ocr_repair import repair_document as repair

    return repair(doc, departments, glyphs)


def _cap_repaired(goal: Goal) -> None:
    """Cap an OCR'd goal's confidence as a repaired field's (a text-layer goal has none)."""
    if goal.confidence is not None:
        from plansheet.parsers.ocr_repair import REPAIRED_CONFIDENCE

        goal.confidence = min(goal.confidence, REPAIRED_CONFIDENCE)


def _no_overview_row(doc: ParsedDocument, front: FrontSheet, pages: list[Page]) -> list[str]:
    """An OCR'd front sheet that shows the 【重点目標】 heading but gave no goal row (its rows misread):
    each goal's overview values (plan goal, its number, 分野) that nothing else gave are named."""
    shown = any((m := match_label(c.text, fuzzy=True)) is not None and m.label is Label.GOAL_OVERVIEW
                for c in _cells(pages))
    if front.overview or not shown:
        return []
    return [f"goal {goal.goal_no}{f' (page {goal.page})' if goal.page is not None else ''} {name}: the 【重点目標】 "
            "overview gave no goal row (its rows misread?); this value is not known"
            for goal in doc.goals for name in ("plan_goal_no", "plan_goal", "field") if getattr(goal, name) is None]


def same_name(a: str, b: str) -> bool:
    """Equal, or one misread character apart (OCR) in a name of four or more characters."""
    from rapidfuzz.distance import Levenshtein

    return a == b or (min(len(a), len(b)) >= 4 and Levenshtein.distance(a, b, score_cutoff=1) <= 1)


_FROM_OVERVIEW = ("title", "overall_grade", "plan_goal", "plan_goal_no", "field")


def _merge_overview(doc: ParsedDocument, front: FrontSheet, grades: set[str], ocr_front: bool,
                    glyphs: list[FieldGlyph], field_column: bool = True) -> list[str]:
    """Fill each goal's plan goal and field from the overview, and check the title and grade it
    repeats (:mod:`crosscheck`, which fills them where the sheet has none); return the warnings.
    A field the overview gave adds the weakest glyph the overview read it with to ``glyphs``.
    ``field_column``: the front sheet has a 分野 label (a title's cell can run on into its column
    only where there is one)."""
    warnings: list[str] = []
    by_no = {g.goal_no: g for g in doc.goals}
    fields_column = field_column or any(e.field for e in front.overview) or any(g.field for g in doc.goals)
    words = grade_words(front.grade_scale)
    for entry in front.overview:
        goal = by_no.get(entry.goal_no)
        if goal is None:
            goal = Goal(goal_no=entry.goal_no)
            doc.goals.append(goal)
            by_no[entry.goal_no] = goal
        sheet = {name: getattr(goal, name) for name in _FROM_OVERVIEW}
        goal.overall_grade = repair_grade(goal.overall_grade, grades, ocr=goal.confidence is not None, words=words)
        title = entry.title
        tail = title_ran_on(goal.title, entry.title) if ocr_front and fields_column and not (goal.field or entry.field) \
            else None
        head = title_ran_on(goal.title, entry.title, before=True) if ocr_front and not (goal.field or entry.field) else None
        if tail is not None:  # the row's title and 分野 read as one cell
            title = goal.title
            warnings += _field_from_tail(goal, entry, tail, glyphs)
        elif head is not None:  # the 分野 (or its label) ran on into the title from the left: named, not guessed
            title = goal.title
            page = f" (page {goal.page})" if goal.page is not None else ""
            warnings.append(f"goal {goal.goal_no}{page} field: the 【重点目標】 row's title cell holds {head[:12]!r} before "
                            "the goal sheet's title; its 分野 may be in it")
        warnings += reconcile_goal(goal, title, repair_grade(entry.grade, grades, ocr=ocr_front, words=words), grades,
                                   ocr_front)
        goal.plan_goal_no = goal.plan_goal_no if goal.plan_goal_no is not None else entry.plan_goal_no
        goal.plan_goal = goal.plan_goal or entry.plan_goal
        goal.field = goal.field or entry.field
        for name in _FROM_OVERVIEW:  # the overview's reading stands: its glyphs are the field's
            if getattr(goal, name) is not None and getattr(goal, name) != sheet[name] and name in entry.glyphs:
                glyphs.append(replace(entry.glyphs[name], record=goal))
    doc.goals.sort(key=lambda g: g.goal_no)
    return warnings
