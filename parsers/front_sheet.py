"""The front sheet: title, officers, 【基本方針】, the 【重点目標】 overview and the legend.

The front sheet is cut into sections at its bracketed headings. The header before the
first heading holds the title and the officer rows (label | value pairs); each section's
content is read with a rule of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dc_field

import regex

from plansheet.core.model import Cell
from plansheet.parsers.labels import Label, LabelMatch, Placement, goal_number, label_key
from plansheet.parsers.layout import Token, attach_values, band_overlap, reads_like_label, tokenize
from plansheet.parsers.list_items import item_texts
from plansheet.parsers.legend import (legend_exclusive_lowers, legend_inclusive_uppers, legend_inner_bounds,
                                      joined_legend, legend_strays, legend_unreadable, parse_legend)
from plansheet.core.text import (
    clean_text, fiscal_year_disagreement, join_lines, marks_nothing, parse_fiscal_year, plan_fiscal_year,
    squeeze_spaced_japanese, to_halfwidth,
)
from plansheet.core.lexicon import family_and_given
from plansheet.parsers.officers import (
    CONCURRENT, bracket_notes, close_open_bracket, reads_as_two_people, name_marks, name_space, one_head, parse_officer,
    position_and_title,
    people_on_lines, space_lost_at_a_wrap, split_officer_cell,
)
from plansheet.parsers.records import FieldGlyph, GradeBand, Officer
from plansheet.parsers.repair import grade_of_word, grade_words

_TITLE = regex.compile(r"運営方針|運営計画|の方針")
_PLAN = regex.compile(r"運営方針|運営計画")  # the plan named outright (a cover, a running header)
# a year in brackets beside the era year (令和5年度（2023年度）, 2023（令和5）年度): never part of a name
_BRACKETED_YEAR = regex.compile(r"[（(]\s*(?:令和|平成|昭和|西暦|[0-9０-９])[^（）()]*[）)]")
_DEPT_IN_TITLE = regex.compile(r"(?:年度)?\s*(?P<dept>[^\s年度]+?(?:部|局|室|委員会|事務局))\s*の?\s*(?:運営方針|運営計画|方針)")
# a person's name alone: a family and a given name (a space between them, or none), maybe a bracket after it
_PERSON = regex.compile(r"^[\p{Han}\p{Hiragana}\p{Katakana}々]{1,4}[ \u3000]?[\p{Han}\p{Hiragana}\p{Katakana}々]{1,4}"
                        r"(?<![市町村部課局室])(?:\s*[（(][^）)]{1,16}[）)])?$")
_GOAL_NO = regex.compile(r"^\s*[(（]?\s*(\d{1,2})\s*[)）.]?\s*$")
_GOAL_NUMERAL = regex.compile(r"^\s*[(（]?\s*([一二三四五六七八九十]{1,3}|[Ⅰ-Ⅻ])\s*[)）.．、]?\s*$")  # 二, （三）, Ⅳ
# the city plan's goal: its number, then its name: (5) …, （５） …, ⑤ …, ⑸ … (NFKC reads ⑤ as 5, ⑸ as (5))
_PLAN_GOAL = regex.compile(r"^\s*(?:[(（]\s*(?P<no>[0-9０-９]{1,2})\s*[)）]|(?P<no>[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
                           r"\u2474-\u2487]))\s*(?P<name>.*)$")
# in the 目標 cell (its label beside it) a bare number before a space is the plan goal's number too: 2　…
_BARE_PLAN_GOAL = regex.compile(r"^\s*(?P<no>[0-9０-９]{1,2})[ \u3000]+(?P<name>\S.*)$")
# there too, the plan's own word for its goals or chapters before the number: 基本目標1 …, 政策目標２ …, 第1章 …
_WORDED_PLAN_GOAL = regex.compile(r"^\s*(?:基本目標|政策目標|施策目標|目標|第)\s*(?P<no>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
                                  r"\s*(?:章|節|の柱)?(?:[ \u3000]+|\s*[：:．.、]\s*)(?P<name>\S.*)$")
_GRADE = regex.compile(r"^(?:[A-ZＡ-Ｚ]|[◎○◯●△▲×✕☓])$")  # a grade mark alone: a letter, or a symbol a legend may list
_BRACKETED_GRADE = regex.compile(r"^[(（][A-ZＡ-Ｚ][)）]$")  # a grade letter in brackets: （C）
_DIGITS = regex.compile(r"\d+")
# a name after no kanji, and after no digit: 令和5年度市民生活部 holds no city 年度市 (a year's 年度, then 市民…);
# nor does a name hold 年 or 度 (令和4（2022）年度市民生活部: the bracket before 年度, scan fuzz 19002-0097; a 市
# may: 四日市市, 市川市)
# a city, town or village; a 町/村 followed by a word is a surname or a place (田村 和彦), unless the word is the era
# a city's or town's name, alone or after its prefecture (大阪府柏原市)
_NAME_GLYPH = r"(?:(?![年度])\p{Han})"
_MUNICIPALITY = regex.compile(r"(?:(?<=\p{Han}{2}[都道府県])|(?<![\p{Han}\d０-９]))"
                              rf"({_NAME_GLYPH}{{1,4}}市|{_NAME_GLYPH}{{1,4}}[町村](?![ \u3000](?!令和|平成|昭和)\p{{Han}}))")


def _city_before_department(city: str) -> regex.Pattern[str]:
    """The city (after its prefecture, maybe) that opens a title's department: 大阪府柏原市政策推進部."""
    return regex.compile(r"(?:\p{Han}{2}[都道府県])?" + regex.escape(city) + r"(?=\p{Han})")


_NOT_MUNICIPALITY = {"都市", "本市", "当市", "各市", "全市", "同市", "他市", "市町村", "町村", "県市"}


@dataclass
class OverviewGoal:
    """One goal as the 【重点目標】 overview lists it."""

    goal_no: int
    title: str | None = None
    plan_goal_no: int | None = None
    plan_goal: str | None = None
    field: str | None = None
    grade: str | None = None
    glyphs: dict[str, FieldGlyph] = dc_field(default_factory=dict)  # OCR: the weakest glyph of each field read


@dataclass
class FrontSheet:
    """What the front sheet says about the department."""

    fiscal_year: int | None = None
    fiscal_year_label: str | None = None
    department: str | None = None
    title_municipality: str | None = None
    title_department: str | None = None
    officers: list[Officer] = field(default_factory=list)
    basic_policy: str | None = None
    overview: list[OverviewGoal] = field(default_factory=list)
    grade_scale: list[GradeBand] = field(default_factory=list)
    officer_cells: list[Cell] = field(default_factory=list)  # the cell each officer was read from
    department_cell: Cell | None = None
    title_cell: Cell | None = None
    notes: list[str] = field(default_factory=list)  # repairs made while reading the header
    doubts: list[str] = field(default_factory=list)  # OCR: what the header may have lost (real warnings)
    warnings: list[str] = field(default_factory=list)  # what the header could not tell, whatever the source
    glyphs: list[FieldGlyph] = field(default_factory=list)  # OCR: the weakest glyph of each field read
    # the year over the 【重点目標】 overview's grade column (令和5年度 達成状況): (year, label, page, header as written)
    overview_year: tuple[int, str, int, str] | None = None


def _note_glyph(glyphs: list[FieldGlyph], record: object, name: str, cells: list[Cell]) -> None:
    glyph = FieldGlyph.of(record, name, cells)
    if glyph is not None:
        glyphs.append(glyph)


def parse_front_sheet(cells: list[Cell]) -> FrontSheet:
    """Read the front sheet's cells into a :class:`FrontSheet`."""
    tokens = tokenize(cells)
    front = FrontSheet()
    front.warnings += _headings_by_place(tokens)
    unknown: list[Token] = []
    sections = _split_sections(tokens, unknown)
    front.warnings += [f"basic_policy (page {t.cell.page}): {t.text.strip()!r} below it heads a section this reader "
                       "does not know, no part of the policy; that section is left out" for t in unknown]
    legend_by_content(sections, front.notes)
    header = sections.get(None, [])
    attach_values(header)
    _read_header(header, front)
    front.officers, heads = one_head(front.officers, front.department)
    front.warnings += heads
    policy = [t for t in sections.get(Label.BASIC_POLICY, []) if not t.is_label]
    front.basic_policy = join_lines(item_texts(policy))  # a list's numbers in cells of their own: list_items
    front.overview_year = _overview_header_year(sections.get(Label.GOAL_OVERVIEW, []))
    front.warnings += _overview_year_differs(front)
    legend = [t for t in sections.get(Label.GRADE_LEGEND, []) if not t.is_label]
    legend_text = joined_legend([t.text for t in legend])
    if any(t.cell.confidence is not None for t in legend) and legend_spaces(legend_text) != legend_text:
        front.notes.append(f"grade_scale (page {legend[0].cell.page}): OCR repair (legend_spaces) "
                           f"{legend_text!r} → {legend_spaces(legend_text)!r}")
        legend_text = legend_spaces(legend_text)
    if any(t.cell.confidence is not None for t in legend) and bound_word(legend_text) != legend_text:
        front.notes.append(f"grade_scale (page {legend[0].cell.page}): OCR repair (bound_word) "
                           f"{legend_text!r} → {bound_word(legend_text)!r}")
        legend_text = bound_word(legend_text)
    front.grade_scale = parse_legend(legend_text)
    front.overview = parse_overview(sections.get(Label.GOAL_OVERVIEW, []), front.notes, grade_words(front.grade_scale),
                                    front.warnings)
    for grade, bound in legend_unreadable(legend_text):
        fields = "min_pct" if regex.search("以上|超", bound) else "max_pct" if regex.search("未満|以下", bound) \
            else "min_pct, max_pct"
        front.warnings.append(f"grade_scale {grade} {fields} (page {legend[0].cell.page}): {bound!r} is no whole "
                              "percent, as the table holds them; left empty")
    for grade, bound in legend_inclusive_uppers(legend_text):
        front.warnings.append(f"grade_scale {grade} max_pct (page {legend[0].cell.page}): {bound!r} includes its bound, "
                              "where the table's max_pct excludes it (未満); kept as written")
    for grade, bound in legend_exclusive_lowers(legend_text):
        front.warnings.append(f"grade_scale {grade} min_pct (page {legend[0].cell.page}): {bound!r} excludes its bound, "
                              "where the table's min_pct includes it (以上); kept as written")
    for grade, figures in legend_inner_bounds(legend_text):
        front.warnings.append(f"grade_scale {grade} min_pct, max_pct (page {legend[0].cell.page}): {figures!r} is no "
                              "bound beside the description (N%以上, N%未満, N%); left empty")
    for grade, stray in legend_strays(legend_text):
        front.warnings.append(f"grade_scale {grade} (page {legend[0].cell.page}): {stray!r} follows the entry's closing "
                              "bracket, is no part of it, and was not read")
    _front_glyphs(front, policy, legend)
    return front


# a glyph shaped like 満 (氵 on the left) after a percentage and 未: the bound's word is 未満
_UNDER_SHAPED = regex.compile(r"(?<=\d\s?[%％]\s?未)[溶溝滴潤渦湍漏清](?=[\s)）]|$)")


def _overview_header_year(tokens: list[Token]) -> tuple[int, str, int, str] | None:
    """The year the 【重点目標】 overview heads its grade column with (令和5年度 達成状況), the sheet's own:
    (year, label, page, the header as written). Of grade columns headed by several years (this year's
    and last year's side by side), the latest: a sheet grades no year after its own."""
    found = []
    for token in _year_heads(tokens):
        year = parse_fiscal_year(token.text)
        assert year is not None
        found.append((year[0], year[1], token.cell.page, token.text))
    return max(found, key=lambda f: f[0]) if found else None


def _year_heads(tokens: list[Token]) -> list[Token]:
    """The overview's grade column labels that name a year (令和5年度 達成状況)."""
    return [t for t in tokens if t.label is not None and t.label.label in (Label.STATUS, Label.STATUS_GRADE)
            and parse_fiscal_year(t.text)]


def _another_years_column(token: Token, heads: list[Token]) -> bool:
    """Whether ``token`` stands under a grade column headed by an earlier year than the latest of ``heads``
    (令和3年度 達成状況 beside 令和4年度 達成状況): last year's grade, not the sheet's."""
    years = {parse_fiscal_year(h.text)[0] for h in heads}  # type: ignore[index]
    if len(years) < 2:
        return False
    over = [h for h in heads if band_overlap(h.cell, token.cell) > 0]
    return len(over) == 1 and parse_fiscal_year(over[0].text)[0] < max(years)  # type: ignore[index]


def _overview_year_differs(front: FrontSheet) -> list[str]:
    """The 【重点目標】 overview heads its grades with the sheet's year (令和5年度 達成状況): a header naming
    another year than the title's is named once (which of the two the sheet is cannot be told)."""
    if front.overview_year is None or front.fiscal_year is None or front.overview_year[0] == front.fiscal_year:
        return []
    year, _, page, header = front.overview_year
    return [f"fiscal_year (page {page}): the title names {front.fiscal_year_label} ({front.fiscal_year}), the "
            f"【重点目標】 overview's header {header!r} ({year}); which year the sheet is cannot be told"]


def year_from_overview(front: FrontSheet) -> None:
    """A front sheet whose title states no year (nor a running header) takes the year the 【重点目標】
    overview heads its grade column with (令和5年度 達成状況), the sheet's year written again; named, for
    the title is where a sheet states it."""
    if front.fiscal_year is not None or front.overview_year is None:
        return
    year, label, page, header = front.overview_year
    front.fiscal_year, front.fiscal_year_label = year, label
    front.warnings.append(f"fiscal_year (page {page}): the title states no year; {label} ({year}) is read from "
                          f"the 【重点目標】 overview's header {header!r}")


_LEGEND_GAP = regex.compile(r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}ー]) +(?=[\p{Han}\p{Hiragana}\p{Katakana}ー])"
                            r"|(?<=\d) +(?=[\d%％])|(?<=[\d%％]) +(?=以上|以下|未満|超)")


def legend_spaces(text: str) -> str:
    """``legend_spaces``: an OCR'd legend's spaces between two Japanese glyphs, between two digits, or between a
    bound's figure and its word are the engine's, as the legend writes none there (scan fuzz seed 19002: C's label
    ``一 部達成`` was cut to ``一``, B's ``70%以上10 0%未満`` lost both bounds). The spaces between entries stand
    before a grade letter, and stay."""
    return _LEGEND_GAP.sub("", text)


def bound_word(text: str) -> str:
    """``bound_word``: a legend's upper bound is ``N%未満``, so a kanji shaped like 満 (氵 on the left) after
    ``N%未`` is 満 (``70%以上100%未溶)``, ``50%未溝)``, hard scan 17005: three bands lost their upper bound)."""
    return _UNDER_SHAPED.sub("満", text)


def _front_glyphs(front: FrontSheet, policy: list[Token], legend: list[Token]) -> None:
    """The weakest OCR glyph of each field the front sheet gives (the front sheet stands for the document)."""
    glyphs = front.glyphs
    _note_glyph(glyphs, front, "basic_policy", [t.cell for t in policy])
    if front.department_cell is not None:
        _note_glyph(glyphs, front, "department", [front.department_cell])
    if front.title_cell is not None:
        for name in ("fiscal_year", "municipality"):
            _note_glyph(glyphs, front, name, [front.title_cell])
    for officer, cell in zip(front.officers, front.officer_cells):
        _note_glyph(glyphs, officer, "", [cell])  # one cell: title, name and charge
    grades_of = [(t.cell, {b.grade for b in parse_legend(t.text)}) for t in legend]  # each legend cell parsed once
    for band in front.grade_scale:  # a band's own cell (one per band), else every legend cell
        own = [cell for cell, grades in grades_of if band.grade in grades]
        _note_glyph(glyphs, band, "", own or [t.cell for t in legend])


# the front sheet's headings in the order it prints them, and what each one's section holds
_HEADING_ORDER = (Label.BASIC_POLICY, Label.GOAL_OVERVIEW, Label.GRADE_LEGEND)
_HEADING_FIELDS = {Label.BASIC_POLICY: ("basic_policy", "【基本方針】", "after the officers, over prose"),
                   Label.GOAL_OVERVIEW: ("plan_goal_no, plan_goal, field", "【重点目標】", "after the basic policy, over "
                                         "the table of goals")}


def _headings_by_place(tokens: list[Token]) -> list[str]:
    """A heading line no label table knows (【部の使命】, ■主な重点目標: bracketed or after a mark, alone on its row)
    standing where the front sheet prints a heading it lacks is that heading: the first after the header where no
    【基本方針】 is read, over a line of prose; the first after the basic policy where no 【重点目標】 is, over a row of
    the goals' table (two cells or more). Relabels it (mutates tokens) and returns a warning naming each."""
    shown = {t.label.label for t in tokens if t.label is not None and t.label.placement is Placement.SECTION}
    warnings: list[str] = []
    at = -1
    for k, token in enumerate(tokens):
        if token.label is not None and token.label.label in _HEADING_ORDER:
            at = max(at, _HEADING_ORDER.index(token.label.label))
            continue
        expected = _HEADING_ORDER[at + 1] if at + 1 < len(_HEADING_ORDER) else None
        if expected not in _HEADING_FIELDS or expected in shown or not _alone_heading(tokens, k):
            continue
        below = [t for t in tokens[k + 1:] if (t.cell.page, t.cell.row) == _next_row(tokens, k)]
        if expected is Label.BASIC_POLICY and not (len(below) == 1 and not below[0].is_label
                                                    and len(below[0].text) >= 20):
            continue
        if expected is Label.GOAL_OVERVIEW and len(below) < 2:
            continue
        token.label = LabelMatch(expected, Placement.SECTION)
        at += 1
        fields, printed, where = _HEADING_FIELDS[expected]
        warnings.append(f"{fields} (page {token.cell.page}): the heading is printed {token.text.strip()!r}, no heading "
                        f"this reader knows, where a front sheet prints {printed} ({where}); read as that heading")
    return warnings


def _next_row(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """The (page, row) of the first token after ``tokens[k]`` on another row."""
    here = (tokens[k].cell.page, tokens[k].cell.row)
    return next(((t.cell.page, t.cell.row) for t in tokens[k + 1:] if (t.cell.page, t.cell.row) != here), None)


# a heading line of a section of its own: the whole line in 【】
_BRACKETED_HEADING = regex.compile(r"^\s*【[^】]{1,16}】\s*$")


def _split_sections(tokens: list[Token], unknown: list[Token] | None = None) -> dict[Label | None, list[Token]]:
    """The front sheet's tokens by the section heading above them (``None``: the header, above every heading).

    A row that opens with a 部長, 監 or 理事 label in a cell of its own, a value at its right, is a row of the
    header's officer table wherever it stands (printed after 【基本方針】, say): the basic policy is prose, and
    holds no label beside a name. A whole line in 【】 after 【基本方針】 that is no heading this reader knows
    (【現状と課題】, 【主な所管事務】) ends the policy: it opens a section the tables have no column for, whose
    lines are left out (:attr:`Label.OTHER`) up to the next heading; each such heading is added to ``unknown``."""
    sections: dict[Label | None, list[Token]] = {None: []}
    current: Label | None = None
    officer_row: tuple[int, int] | None = None
    for k, token in enumerate(tokens):
        if token.label is not None and token.label.placement is Placement.SECTION:
            current = token.label.label
            sections.setdefault(current, [])
            continue
        if current is Label.BASIC_POLICY and _alone_heading(tokens, k) and _BRACKETED_HEADING.match(token.text):
            current = Label.OTHER
            sections.setdefault(current, [])
            if unknown is not None:
                unknown.append(token)
            continue
        row = (token.cell.page, token.cell.row)
        if current is not None and row != officer_row and _opens_officer_row(tokens, k):
            officer_row = row
        sections[None if row == officer_row else current].append(token)
    return sections


# a line of a legend: a grade letter, its colon, then its word (A：達成（…100%）, - B：概ね達成 …, Ｃ：一部達成)
_LEGEND_LINE = regex.compile(r"^[\s\-・*＊]*[A-ZＡ-Ｚ]\s*[：:]\s*[\p{Han}\p{Hiragana}\p{Katakana}]")
# a heading line: bracketed, or after a mark (※, ■, ◆, ●, ○)
_HEADING_LINE = regex.compile(r"^\s*(?:【[^】]{1,16}】|[※＊*■◆●○◇□]\s*\S{1,16})\s*$")


def legend_by_content(sections: dict[Label | None, list[Token]], notes: list[str]) -> None:
    """``legend_content``: the legend is known by its lines as well as by its heading. Where no 【達成度について】
    section holds a legend, a run of lines of another section, each a grade letter and its colon before the grade's
    word (``A：達成（…100%）``), giving two grades or more in the alphabet's order, is the legend, whatever heading
    stands above it (【評価の目安】) or none: it moves to the legend's section, with a heading line right above it
    (bracketed, or after ※ or ■), and is noted. (Under the 【重点目標】 overview it had been read as the last goal's
    title, the legend lost.)"""
    if any(not t.is_label for t in sections.get(Label.GRADE_LEGEND, [])):
        return
    for label, tokens in list(sections.items()):
        if label is Label.GRADE_LEGEND:
            continue
        k = 0
        while k < len(tokens):
            end = k
            while end < len(tokens) and not tokens[end].is_label and _LEGEND_LINE.match(tokens[end].text):
                end += 1
            run = tokens[k:end]
            if not run or not _in_order([b.grade for b in parse_legend(joined_legend([t.text for t in run]))]):
                k = max(end, k + 1)
                continue
            start = k - 1 if k > 0 and _alone_heading(tokens, k - 1) else k
            moved = tokens[start:end]
            del tokens[start:end]
            sections.setdefault(Label.GRADE_LEGEND, []).extend(t for t in moved if t in run)
            heading = f" under {moved[0].text.strip()!r}" if moved[0] not in run else " under no heading"
            notes.append(f"grade_scale (page {run[0].cell.page}): read from {len(run)} line(s) of grade letters and "
                         f"their words{heading} (legend_content)")
            return


def _in_order(grades: list[str]) -> bool:
    """Two grades or more, each the letter after the one before (A, B, C …; S above A)."""
    letters = [to_halfwidth(g) for g in grades]
    if letters[:2] == ["S", "A"]:
        letters = letters[1:]
    return len(letters) >= 2 and all(len(g) == 1 and g.isascii() and g.isalpha() for g in letters) \
        and all(ord(b) == ord(a) + 1 for a, b in zip(letters, letters[1:]))


def _alone_heading(tokens: list[Token], k: int) -> bool:
    """``tokens[k]`` is a heading line alone on its row (【…】, ※…, ■…), no label, no value beside it."""
    token = tokens[k]
    row = (token.cell.page, token.cell.row)
    alone = all((t.cell.page, t.cell.row) != row for t in tokens[:k] + tokens[k + 1:])
    return alone and not token.is_label and bool(_HEADING_LINE.match(token.text))


def _opens_officer_row(tokens: list[Token], k: int) -> bool:
    """``tokens[k]`` opens its row as a 部長, 監 or 理事 label whose value stands at its right."""
    token, right = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None
    first = k == 0 or (tokens[k - 1].cell.page, tokens[k - 1].cell.row) != (token.cell.page, token.cell.row)
    return (first and token.label is not None and token.label.label in (Label.DIRECTOR, Label.OFFICER)
            and right is not None and not right.is_label
            and (right.cell.page, right.cell.row) == (token.cell.page, token.cell.row))


def _restore_lost_spaces(officers: list[Officer], position: str, page: int, front: FrontSheet) -> None:
    """A name of a shared officer cell that lost its space at a line's wrap (:func:`space_lost_at_a_wrap`) gets
    it back where the dictionary cuts a family and a given name, and is named either way."""
    for k in space_lost_at_a_wrap([o.name for o in officers]):
        officer, read = officers[k], officers[k].name
        cut = family_and_given(read)
        if cut is not None:
            officer.name = " ".join(cut)
        front.warnings.append(f"officer {position} name (page {page}): {read!r} is written as one word where the "
                              "cell's other names stand apart; a line wrapped at its space?"
                              + (f" Read as {officer.name!r}" if cut is not None else " Left as read"))


def _raw_break_rest(value: Token, tokens: list[Token]) -> bool:
    """``value`` (a text export's line in the officer label's column) is the rest of an officer cell whose line
    break was written raw: a line of one field, the line above ending with an officer's value (a raw
    break ends its line inside the last field written, so what follows begins the next line with no tab before
    it), and it reads as a person of its own (a name of two words, or with a title or charge): the cell's next
    officer. A line that may be a name cut in two is not."""
    cell = value.cell
    if cell.bbox is not None:
        return False
    line = [t for t in tokens if (t.cell.page, t.cell.row) == (cell.page, cell.row)]
    above = [t for t in tokens if (t.cell.page, t.cell.row) == (cell.page, cell.row - 1)]
    owner = above[-1].owner if above and not above[-1].is_label else None
    if line != [value] or owner is None or owner.label is None \
            or owner.label.label not in (Label.DIRECTOR, Label.OFFICER):
        return False
    officer = parse_officer("監", value.text)
    return officer is not None and not reads_as_two_people(officer.name) and \
        bool(officer.title or officer.charge or len(officer.name.split()) == 2)


def _people(value: Token, label_title: str | None) -> list[str]:
    """The people of an officer cell ``value``: one a line where its lines say so (:func:`people_on_lines`), else as
    its text reads (:func:`split_officer_cell`)."""
    lines = _own_lines(value.cell)
    if lines is not None:
        people = people_on_lines(*lines)
        if people:
            return people
    return split_officer_cell(value.text, label_title)


def _own_lines(cell: Cell) -> tuple[tuple[str, ...], tuple[bool, ...]] | None:
    """The lines of an officer's value ``cell`` and which breaks are wraps: its own lines where its text is them
    joined, or, for a value cut from the end of a cell that began with its label (``都市政策監 長谷川 恵子`` ⏎ ``西村
    健一郎``: :func:`~layout.split_label_prefix`), the same with the label taken off the first line; else ``None``."""
    lines = cell.lines
    if not lines:
        return None
    for typed in (False, True):
        joined = join_lines(lines, typed=typed) or ""
        cut = len(joined) - len(cell.text)
        if joined.endswith(cell.text) and 0 <= cut < len(lines[0]) and joined[:cut] == lines[0][:cut]:
            return (lines[0][cut:].strip(), *lines[1:]), cell.wrapped
    return None


def _read_header(tokens: list[Token], front: FrontSheet) -> None:
    for token in tokens:
        if token.is_label:
            continue
        if token.owner is None and front.fiscal_year is None and _TITLE.search(token.text):
            _read_title(token.text, token.cell.page, front)
            front.title_cell = token.cell
    for token in tokens:
        if token.label is None or not token.values:
            continue
        value = " ".join(v.text for v in token.values)
        if token.label.label is Label.DEPARTMENT and front.department is None:
            front.department = squeeze_spaced_japanese(value)
            front.department_cell = token.values[0].cell
        elif token.label.label in (Label.DIRECTOR, Label.OFFICER):
            position, label_title = position_and_title(token.text)
            for v in token.values:
                if _in_label_column(v.cell, token.cell) and not _raw_break_rest(v, tokens):
                    # no officer of this label: a raw line break's rest?
                    front.warnings.append(f"officer ? (page {v.cell.page}): {v.text!r} stands under the {token.text} "
                                          "label in its own column, not at its right; whose cell it continues (a "
                                          "line break written raw?) cannot be told; an officer may be lost")
                    continue
                # a title split off this very cell (都市政策監 小野寺 和彦、…) is its first person's only;
                # a label cell of its own (総合政策監 | …) titles everyone under it who has no title
                own_cell = (v.cell.page, v.cell.row, v.cell.col) == (token.cell.page, token.cell.row, token.cell.col)
                in_cell: list[Officer] = []
                for k, text in enumerate(_people(v, label_title)):
                    for rule in (close_open_bracket, name_marks) if v.cell.confidence is not None else ():
                        if rule(text) != text:
                            front.notes.append(f"officer {position} (page {v.cell.page}): OCR repair ({rule.__name__}) "
                                               f"{text!r} → {rule(text)!r}")
                            text = rule(text)
                    officer = parse_officer(position, text)
                    if officer is not None:
                        _name_bracket_notes(officer, text, v.cell.page, front)
                    if officer is not None and reads_as_two_people(officer.name):
                        front.warnings.append(f"officer {position} name (page {v.cell.page}): {officer.name!r} reads as "
                                            "two people (a title, or more words than a name): the line between them "
                                            "lost? Left as read")
                    if officer is not None:
                        officer.title = officer.title or (label_title if k == 0 or not own_cell else None)
                        front.officers.append(officer)
                        front.officer_cells.append(v.cell)
                        in_cell.append(officer)
                _restore_lost_spaces(in_cell, position, v.cell.page, front)
    unlabelled = [token for token in tokens  # OCR: a value under no label (its label misread) may be an officer lost
                  if (not token.is_label and token.owner is None and token.cell.confidence is not None
                      and len(token.text.strip()) >= 2 and token.cell is not front.title_cell
                      and not _TITLE.search(token.text) and not parse_fiscal_year(token.text))]
    titled = _officers_under_misread_label(tokens, unlabelled, front)
    unlabelled = [token for token in unlabelled if token not in titled]
    director = _director_under_blank_label(tokens, unlabelled, front)
    for token in unlabelled:
        if token is not director:
            front.doubts.append(f"officer ? (page {token.cell.page}): {token.text!r} stands in the header under "
                                "no label (its label misread?); an officer may be lost")
    for token in tokens:  # any source: a person's name on a line of its own (a cell's line break written raw)
        if (not token.is_label and token.owner is None and token.cell.confidence is None
                and _PERSON.match(token.text.strip())):
            front.warnings.append(f"officer ? (page {token.cell.page}): {token.text!r} stands in the header under "
                                  "no label, as a name written on a line of its own; an officer may be lost")
    for officer, cell in zip(front.officers, front.officer_cells):
        if cell.confidence is not None and name_space(officer.name) != officer.name:
            front.notes.append(f"officer {officer.position} (page {cell.page}): OCR repair (name_space) "
                               f"{officer.name!r} → {name_space(officer.name)!r}")
            officer.name = name_space(officer.name)
    if front.fiscal_year is None:  # no title line: take the first era year in the header
        for token in tokens:
            if parse_fiscal_year(token.text):
                _read_title(token.text, token.cell.page, front)
                front.title_cell = token.cell
                break
    front.department = front.department or front.title_department  # the 部 cell wins over the title


def _name_bracket_notes(officer: Officer, text: str, page: int, front: FrontSheet) -> None:
    """Name the brackets after ``officer``'s name that are no post, charge or reading (:func:`bracket_notes`): a
    mark of a post held with another after the post (``【総合政策監】（兼）``) in a note, any other in a warning,
    for it may be a post misprinted."""
    for note in bracket_notes(text):
        if note in CONCURRENT:
            front.notes.append(f"officer {officer.position} title (page {page}): '{note}' after {officer.title!r} "
                               f"({officer.name}) marks the post held with another; the title is {officer.title!r}")
        else:
            front.warnings.append(f"officer {officer.position} title (page {page}): '{note}' in brackets after "
                                  f"{officer.name!r} reads as no post, charge or reading; left out of the title and "
                                  "the name")


def _director_under_blank_label(tokens: list[Token], unlabelled: list[Token], front: FrontSheet) -> Token | None:
    """Every header names its 部長: where none was read and the one value under no label stands right of
    a cell OCR read as nothing (the 部長 label's cell), that value is the director's, named all the same
    (a guess from the template, and the name is unchecked). Returns that value's token, or ``None``."""
    if len(unlabelled) != 1 or any(o.position == "部長" for o in front.officers):
        return None
    (token,) = unlabelled
    left = [t for t in tokens if (t.cell.page, t.cell.row) == (token.cell.page, token.cell.row) and t.cell.col < token.cell.col]
    officer = parse_officer("部長", token.text)
    if not left or left[-1].text.strip() or officer is None or officer.title or officer.charge:
        return None
    front.officers.insert(0, officer)
    front.officer_cells.insert(0, token.cell)
    front.doubts.append(f"officer 部長 name (page {token.cell.page}): OCR read no label left of {token.text!r}, where "
                        "the 部長 label stands; taken as the director, whom every header names")
    return token


def _officers_under_misread_label(tokens: list[Token], unlabelled: list[Token], front: FrontSheet) -> list[Token]:
    """``officer_title``: a value under no label whose left neighbour is a glyph or two that are no label, or
    nothing (the 監 label read ``p``, hard scan 17025, or as nothing, 17073) and which reads as one officer with a title ending in 監
    (``藤井 誠(都市政策監)``, ``総合政策監 山口 智弘``) is that 監's officer: the title says the position the
    label cell stood for. Named all the same (the label was not read). Returns the tokens so taken. (A label of
    two glyphs one off 理事 is as close to 参事, ``津事``: no position is guessed from it.)"""
    taken = []
    for token in unlabelled:
        left = [t for t in tokens if (t.cell.page, t.cell.row) == (token.cell.page, token.cell.row)
                and t.cell.col < token.cell.col]
        label = left[-1].text.strip() if left else ""
        officer = parse_officer("監", token.text)
        if (not left or left[-1].is_label or len(label) > 2 or officer is None
                or not (officer.title or "").endswith("監") or reads_as_two_people(officer.name)):
            continue
        front.officers.append(officer)
        front.officer_cells.append(token.cell)
        front.doubts.append(f"officer 監 name (page {token.cell.page}): OCR read {label!r} where the label of "
                            f"{token.text!r} stands; taken as a 監 from its title {officer.title}")
        taken.append(token)
    return taken


def _in_label_column(value: Cell, label: Cell) -> bool:
    """Whether ``value`` stands below ``label`` in the label's own column (an officer label's values stand at
    its right; with no boxes, the columns of a text export tell)."""
    return value.bbox is None and label.bbox is None and value.page == label.page and value.row > label.row \
        and value.col == label.col and value.col_span <= label.col_span


def _read_title(text: str, page: int, front: FrontSheet) -> None:
    year = plan_fiscal_year(text)
    if year:
        front.fiscal_year, front.fiscal_year_label = year
        disagreement = fiscal_year_disagreement(text)
        if disagreement:
            front.warnings.append(f"fiscal_year (page {page}): {disagreement}")
    m = _DEPT_IN_TITLE.search(_BRACKETED_YEAR.sub(" ", squeeze_spaced_japanese(text)))
    if m:
        front.title_department = m.group("dept")
    front.title_municipality = title_municipality([text])
    city, department = front.title_municipality, front.title_department
    if city and department and (at := _city_before_department(city).match(department)):
        front.title_department = department[at.end():]  # 柏原市政策推進部の運営方針: the city, then its 部


def names_the_plan(text: str) -> bool:
    """Whether ``text`` names the plan (…部の運営方針, 運営計画): a title, a cover, a running header."""
    return _PLAN.search(text) is not None


def cover_city(cells: list[str]) -> str | None:
    """The city a volume's cover names: on a page whose cells name the plan (運営方針, 運営計画), the
    city in such a cell or a cell that is a city's name alone (``柏原市``), not one met in a
    letter's prose or a surname (古市)."""
    if not any(_PLAN.search(text) for text in cells):
        return None
    for text in cells:
        alone = _MUNICIPALITY.fullmatch(text.strip())
        found = alone.group(1) if alone else title_municipality([text]) if _PLAN.search(text) else None
        if found and found not in _NOT_MUNICIPALITY:
            return found
    return None


def title_municipality(texts: list[str]) -> str | None:
    """The city named in a title or running header (``柏原市 令和4年度 部の運営方針``)."""
    for text in texts:
        if not _TITLE.search(text):
            continue
        for city in _MUNICIPALITY.finditer(text):
            if city.group(1) not in _NOT_MUNICIPALITY:
                return city.group(1)
    return None


def parse_overview(tokens: list[Token], notes: list[str] | None = None,
                   words: dict[str, str] | None = None, warnings: list[str] | None = None) -> list[OverviewGoal]:
    """Group the overview table's cells by goal: a row led by a bare number starts a goal.

    A value's meaning comes from the label just left of it (``目標 | (5) …``), or from a
    header row above whose label heads its column (``No. | 目標 | 分野 | …`` over the rows);
    a ``(N) name`` text is a plan goal wherever it stands. A header row may stand once above
    all goal rows or again above every one: a row of labels and header words
    (``重点課題 | 分野 | 令和元年度 達成状況``) is always a header, never part of a goal.

    ``goal_sequence``: the goals are numbered 1, 2, 3 … down the overview, so a row that opens
    a goal the way the others do (a short cell, then the 目標 label; or, where the header row stands
    again above every goal, the row right under it) while the goal above has its plan goal already
    is the next goal, whatever its number cell was read as (``4`` read ``C``); the repair is noted
    in ``notes``.

    ``overview_labels``: a goal's row is ``N | <plan goal label> | (n) plan goal | <field label> | field | <year>
    達成状況``: a label of another wording than the table knows, standing where the plan goal's or the field's label
    stands, is that label, and named in ``warnings`` (it had been glued into the title, the field lost).

    A grade cell may hold the letter, the letter in brackets, or the legend's own word for it (``words``,
    :func:`~repair.grade_words`: 一部達成 for C): each is the goal's grade, never part of its title.
    """
    goals: list[OverviewGoal] = []
    current: OverviewGoal | None = None
    title_parts: list[str] = []
    headers: list[Token] = []
    under_header, headed = False, 0  # the row before was a header row; goals that opened right under one
    seen: set[str] = set()  # column labels read by their place (overview_labels), named once each
    year_heads: list[Token] = []  # the grade columns' labels that name a year, as the last row giving them
    for row in _rows(tokens):
        year_heads = _year_heads(row) or year_heads
        if _is_header_row(row):
            headers, under_header = row, True
            continue
        opens = _opens_a_goal(row) or (under_header and headed > 1 and _short_unlabelled(row))
        under_header = False
        number = _overview_number(row[0])
        if number is None and current is not None and current.plan_goal is not None and opens:
            number = current.goal_no + 1
            if notes is not None:
                notes.append(f"overview goal {number} (page {row[0].cell.page}) number: OCR repair (goal_sequence) "
                             f"{row[0].text!r} → '{number}'")
        if number is not None:
            headed += any((h.cell.page, h.cell.row + 1) == (row[0].cell.page, row[0].cell.row) for h in headers)
            if current is not None:
                current.title = join_lines(title_parts)
            current, title_parts = OverviewGoal(number), []
            goals.append(current)
        if current is None:
            continue
        values = row[1:] if number is not None else row
        if number is not None and warnings is not None:
            warnings += _labels_by_place(values, number, seen)
        by_order = _headers_by_order(row, headers) if number is not None else None
        for k, token in enumerate(values):
            if token.is_label or _another_years_column(token, year_heads):
                continue
            previous = row[row.index(token) - 1] if row.index(token) > 0 else None
            label = previous.label.label if previous is not None and previous.label else None
            if label is None:
                label = by_order[k] if by_order is not None else _header_over(token, headers)
            read = _read_overview_value(current, label, token.text, title_parts, words or {})
            for name in read:
                glyph = FieldGlyph.of(current, name, [token.cell])
                kept = current.glyphs.get(name)
                if glyph is not None and (kept is None or glyph.weakest < kept.weakest):
                    current.glyphs[name] = glyph
    if current is not None:
        current.title = join_lines(title_parts)
    return goals


def _labels_by_place(values: list[Token], number: int, seen: set[str]) -> list[str]:
    """``overview_labels`` (:func:`parse_overview`): a goal's opening row (``values``, its number left out) of the
    template's shape, ``<label> | (n) plan goal | <label> | field | <year> 達成状況``, whose first or third cell is a
    short text no label the table knows, has there the plan goal's and the field's labels. Mutates the tokens'
    labels; returns a warning for each wording so read the first time (``seen``)."""
    if len(values) < 5 or values[4].label is None or values[4].label.label is not Label.STATUS:
        return []
    plan_label, plan, field_label, field_value = values[:4]
    if (plan.is_label or field_value.is_label or not _PLAN_GOAL.match(plan.text)
            or not _FIELD_WORD.match(field_value.text.strip()) or _GRADE.match(field_value.text.strip())):
        return []
    warnings = []
    for token, name, wording in ((plan_label, Label.PLAN_GOAL, "目標"), (field_label, Label.FIELD, "分野")):
        if token.label is not None:
            if token.label.label is not name:
                return warnings
            continue
        if not reads_like_label(token.text) or _PLAN_GOAL.match(token.text):
            return warnings
        token.label = LabelMatch(name, Placement.RIGHT)
        if token.text.strip() not in seen:
            seen.add(token.text.strip())
            warnings.append(f"goal {number} {name.value} (page {token.cell.page}): the 【重点目標】 column's label "
                            f"{token.text.strip()!r} is no label this reader knows; read as {wording} by its place")
    return warnings


_FIELD_WORD = regex.compile(r"^[^\s、。，．（）()]{1,10}$")  # a 分野: a word or two (人権・男女共同参画)
_HEADER_WORDS = {"No", "NO", "番号", "重点目標", "重点課題", "項目"}


def _rows(tokens: list[Token]) -> list[list[Token]]:
    rows: list[list[Token]] = []
    for token in tokens:
        if rows and (rows[-1][-1].cell.page, rows[-1][-1].cell.row) == (token.cell.page, token.cell.row):
            rows[-1].append(token)
        else:
            rows.append([token])
    return rows


def _is_header_row(row: list[Token]) -> bool:
    """Only labels and header words (``No.``, the bare goal word), at least one of them a label."""
    words = [t for t in row if t.label is None]
    return (any(t.label is not None and t.label.label is not Label.GOAL_HEADING for t in row)
            and all(label_key(t.text) in _HEADER_WORDS for t in words))


def _short_unlabelled(row: list[Token]) -> bool:
    """A row of the overview led by a short unlabelled cell (where the goal number stands) and more."""
    return len(row) > 1 and row[0].label is None and 0 < len(row[0].text.strip()) <= 2


def _opens_a_goal(row: list[Token]) -> bool:
    """A row of the overview led by a short unlabelled cell (the goal number) then the 目標 label."""
    return _short_unlabelled(row) and row[1].label is not None and row[1].label.label is Label.PLAN_GOAL


def _headers_by_order(row: list[Token], headers: list[Token]) -> list[Label | None] | None:
    """Header labels for the values of a goal row (its number left out), matched by order.

    An export that writes a header cell spanning the number and title columns as one field
    (``重点課題 | 分野 | 達成状況`` over ``1 | title | field | grade``) has one header fewer than
    the row has cells: the header under the goal word is then the title's. Only without
    boxes and when the counts say so; ``None`` otherwise (match by column).
    """
    if not headers or any(t.cell.bbox is not None for t in row) or len(headers) != len(row) - 1:
        return None
    if headers[0].label is not None:  # the first header must be the goal word over number and title
        return None
    return [None] + [h.label.label if h.label else None for h in headers[1:]]


def _overview_number(token: Token) -> int | None:
    """The goal number a row of the overview starts with: ``1``, ``(1)``, ``一``, ``(二)``, ``Ⅲ`` or ``重点目標1``."""
    if token.label is not None:
        return token.label.number if token.label.label is Label.GOAL_HEADING else None
    m = _GOAL_NO.match(to_halfwidth(token.text))
    if m:
        return int(m.group(1))
    m = _GOAL_NUMERAL.match(token.text)
    return goal_number(m.group(1)) if m else None


def _header_over(token: Token, headers: list[Token]) -> Label | None:
    over = [h for h in headers if band_overlap(h.cell, token.cell) > 0]
    return over[-1].label.label if len(over) == 1 and over[-1].label else None


def _plan_goal_number(numeral: str) -> int | None:
    """A plan goal's number as written: ``5``, ``５``, ``⑸`` or ``⑤`` (their digits), or ``五``."""
    digits = _DIGITS.findall(to_halfwidth(numeral))
    return int("".join(digits)) if digits else goal_number(numeral)


def _read_overview_value(goal: OverviewGoal, label: Label | None, text: str, title_parts: list[str],
                         words: dict[str, str] | None = None) -> tuple[str, ...]:
    """Put one overview value into ``goal``; return the names of the fields it gave (a dash alone, the mark
    of a cell left empty, gives none)."""
    if marks_nothing(text):
        return ()
    plan = _PLAN_GOAL.match(text) or (_BARE_PLAN_GOAL.match(text) or _WORDED_PLAN_GOAL.match(text)
                                       if label is Label.PLAN_GOAL else None)
    if label is Label.PLAN_GOAL or (plan and goal.plan_goal is None and label is None):
        goal.plan_goal = clean_text(plan.group("name") if plan else text)
        goal.plan_goal_no = _plan_goal_number(plan.group("no")) if plan else None
        return ("plan_goal", "plan_goal_no")
    if label is Label.FIELD:
        goal.field = clean_text(text)
        return ("field",)
    if _GRADE.match(text.strip()) or _BRACKETED_GRADE.match(text.strip()):
        goal.grade = to_halfwidth(text.strip()).strip("()")
        return ("overall_grade",)
    if grade_of_word(text, words or {}) is not None:  # the legend's word for a grade: 一部達成 is C
        goal.grade = grade_of_word(text, words or {})
        return ("overall_grade",)
    if label is not Label.STATUS:
        title_parts.append(text)
        return ("title",)
    return ()
