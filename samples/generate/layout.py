"""Turn a :class:`~samples.generate.content.Department` into printed pages of ruled grids.

A page is a grid of columns (widths in points) and rows of cells; a cell may span
columns and rows. The same pages drive every renderer (reportlab and openpyxl), so
the page on which each goal, target and initiative lands is fixed by the content
(``Goal.break_before``) and not by a renderer's pagination. Each renderer checks
that every page fits on an A4 landscape sheet.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable

from samples.generate.content import Department, Goal, Initiative, Target

PAGE_W, PAGE_H = 841.89, 595.28          # A4 landscape, points
MARGIN_X = 36.0
MARGIN_TOP = 34.0
MARGIN_BOTTOM = 32.0
BODY_W = PAGE_W - 2 * MARGIN_X
BODY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

FONT_SIZE = 9.0
LEADING = 12.0
PAD = 3.0

# characters that may not start / end a line (kinsoku); no break next to ASCII or U+3000
NO_START = set("、。，．・：；？！）」』】〕”’％ー…々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
NO_END = set("（「『【〔“‘")


SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def raised_runs(line: str) -> list[tuple[str, bool]]:
    """``line`` cut into (text, raised) runs: the superscript digits (¹) apart, as their plain digits."""
    runs: list[tuple[str, bool]] = []
    for ch in line:
        raised = ch in "⁰¹²³⁴⁵⁶⁷⁸⁹"
        ch = ch.translate(SUPERSCRIPT_DIGITS)
        if runs and runs[-1][1] == raised:
            runs[-1] = (runs[-1][0] + ch, raised)
        else:
            runs.append((ch, raised))
    return runs


RUBY_SIZE = 0.5  # furigana's size, of its base text's


def ruby_runs(text: str, ruby: tuple[tuple[str, str], ...]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, reading) runs: each word of ``ruby`` with its reading, the rest with None."""
    runs: list[tuple[str, str | None]] = []
    at = 0
    while at < len(text):
        hit = next(((w, r) for w, r in ruby if text.startswith(w, at)), None)
        if hit:
            runs.append(hit)
            at += len(hit[0])
        elif runs and runs[-1][1] is None:
            runs[-1] = (runs[-1][0] + text[at], None)
            at += 1
        else:
            runs.append((text[at], None))
            at += 1
    return runs


def ruby_room(page: "Page", cell: "Cell") -> float:
    """The height furigana take above the first line of ``cell`` (0 when it has none)."""
    if not page.style.ruby or not cell.text or all(r is None for _, r in ruby_runs(cell.text, page.style.ruby)):
        return 0.0
    return RUBY_SIZE * page.size_of(cell) * 1.1


def can_break(a: str, b: str, kinsoku: bool = True) -> bool:
    """A line may break between a and b only between two Japanese characters.

    So a wrapped cell is read back exactly by joining its lines with no separator.
    Without ``kinsoku`` a line may also start with closing punctuation (``。`` ``」``).
    """
    if ord(a) < 128 or ord(b) < 128 or a == "\u3000" or b == "\u3000":
        return False
    if kinsoku and (b in NO_START or a in NO_END):
        return False
    return True


@dataclass(frozen=True)
class Style:
    """The layout parameters a renderer may vary (the defaults draw the committed samples).

    ``overview``: ``pairs`` (two rows per goal, ``N | 目標 | … | 分野 | … | 達成状況`` then
    the title), ``header_once`` (one header row above one row per goal) or
    ``header_repeated`` (the header row above every goal row). ``overview_head`` is the
    first label of the header row (``No.`` or the goal word), ``plan_column`` whether the
    overview has a 目標 column, ``number_rowspan`` whether the number cell spans both rows
    of a ``pairs`` goal.
    """

    font_size: float = 9.0
    leading: float = 12.0
    pad: float = 3.0
    width_scale: float = 1.0       # label/grade columns of the goal sheets, relative
    kinsoku: bool = True
    hanging: bool = False          # closing punctuation that would start a line hangs past the line's end
    overview: str = "pairs"
    overview_head: str = "No."
    plan_column: bool = True
    number_rowspan: int = 2
    labels: tuple[tuple[str, str], ...] = ()  # (label as the samples print it, as this sheet prints it)
    remarks: str = ""  # a section the schema has no column for (備考), labelled so, after the last one
    legend_table: bool = False  # the 達成度 legend as a ruled table (grade | label | description | range)
    side_labels: bool = False  # another year's goal sheet: a section's label left of its text, not above it
    goal_heading: str = "{word} {no}"  # how a goal sheet's heading cell writes its word and number
    status_head: str = ""  # one label cell over a target's status and grade (達成状況・達成度), or two
    overview_grade_head: str = "{era} 達成状況"  # the overview's label over each goal's grade
    empty_mark: str = ""  # what a year-end sheet writes in a cell it leaves empty (－, ―, -): nothing by default
    field_column: bool = True  # the overview has a 分野 column (older sheets: none)
    note: str = ""  # a 注 line under each goal sheet's table, outside its rules (no field holds it)
    raised_marks: bool = False  # superscript digits (¹) printed as small raised digits where the renderer can
    ruby: tuple[tuple[str, str], ...] = ()  # (word, its reading): printed with small kana above it (furigana)
    print_titles: str = ""  # the front sheet's top rows Excel repeats atop every later page (PRINT_TITLES)
    split_header: int = 0  # a goal sheet's row broken across pages: its first rows repeated atop the next (Writer's)
    across_share: float = 0.0  # a goal sheet too wide for its paper: each target's columns this share of the body wide
    across_titles: int = 0  # its first columns Excel prints again at the left of each page across (列の印刷タイトル)
    # columns, rows and sections another city's goal sheet adds that the tables have no field for (EXTRAS)
    extras: tuple[str, ...] = ()

    def shown(self, text: str | None, filled: bool = True) -> str | None:
        """What the cell of a value ``text`` prints: the text, or the sheet's mark for nothing where it marks
        empty cells (``filled``: cells of a year-end sheet, and every 所管室・課)."""
        return text or (self.empty_mark if filled and self.empty_mark else None)

    @property
    def block_rows(self) -> int:
        """Rows of one initiative block on a goal sheet (labels above their texts, or beside them)."""
        return 3 if self.side_labels else 5 + ("budget_row" in self.extras)

    def label(self, text: str) -> str:
        """How this sheet prints the goal-sheet label ``text`` (another year's or city's wording)."""
        return dict(self.labels).get(text, text)


DEFAULT_STYLE = Style()


def wrap(text: str, width: float, measure: Callable[[str], float], kinsoku: bool = True) -> list[str]:
    """Greedy line breaking of ``text`` (``\\n`` forces a break) into ``width`` points."""
    lines: list[str] = []
    for para in text.split("\n"):
        tokens: list[str] = []
        for ch in para:
            if tokens and not can_break(tokens[-1][-1], ch, kinsoku):
                tokens[-1] += ch
            else:
                tokens.append(ch)
        cur = ""
        for tok in tokens:
            if cur and measure(cur + tok) > width:
                lines.append(cur)
                cur = tok
            else:
                cur += tok
        lines.append(cur)
    return lines


def hang_punctuation(lines: list[str]) -> list[str]:
    """Burasage: closing punctuation at the start of a line moves to the end of the line above
    (drawn past the line's end, over the cell's padding or border)."""
    out: list[str] = []
    for line in lines:
        head = len(line) - len(line.lstrip("、。，．」』）】"))
        if out and head:
            out[-1] += line[:head]
            line = line[head:]
            if not line:
                continue
        out.append(line)
    return out


@dataclass
class Cell:
    col: int
    span: int
    text: str | None
    kind: str = "value"      # value | label | grade | title | heading | plain
    rowspan: int = 1
    border: bool = True
    min_lines: int = 1
    size: float = FONT_SIZE
    align: str = "left"      # left | center
    role: str | None = None  # what the truth calls this cell (for self-checks)
    overflow: bool = False   # one unwrapped line, printed across the empty cells to its right (Excel's overflow)
    struck: int = 0          # how many of the text's first characters are struck through (an old wording, 取消線)
    shrunk_to: float = 0.0   # Excel's shrink to fit: the text on one line at this font size (0: the cell's own)
    lines_shown: tuple[int, int | None] = (0, None)  # a row broken across pages: the lines of the text this part prints
    # one unwrapped line wider than the cell, beside a cell with text: printed cut at the cell's right line (Excel's),
    # its text layer holding the whole text (layer), only what starts inside the cell (cut), or a workbook's cell
    clipped: str = ""


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    gap: float = 0.0         # an empty spacer row of this height when no cells
    height: float = 0.0


class UnfitVariant(RuntimeError):
    """The renderer did not print the variant as laid out (a sheet ran over its page): the variant is left out of a
    fuzz run, which says so, and the rest of the run goes on."""


@dataclass
class Page:
    name: str
    widths: list[float]
    rows: list[Row]
    header: str | None = None   # running header (compiled volume)
    footer: str | None = None   # page-number footer (compiled volume)
    # what a user wrote into the page's header and footer: (text, left | center | right, points from the paper's
    # top, or from its bottom when negative)
    marks: tuple[tuple[str, str, float], ...] = ()
    style: Style = DEFAULT_STYLE
    # a page of a sheet too wide for its paper: the stretches of the sheet it prints, (from x, to x, moved left by),
    # in the sheet's points; none: the whole sheet
    windows: tuple[tuple[float, float, float], ...] = ()

    def size_of(self, cell: "Cell") -> float:
        """The cell's font size under this page's style (a cell shrunk to fit: its own)."""
        return cell.shrunk_to or cell.size * self.style.font_size / FONT_SIZE

    def lead_of(self, cell: "Cell") -> float:
        """The cell's line pitch under this page's style."""
        return self.style.leading * cell.size / FONT_SIZE

    def lines_of(self, cell: "Cell", measure: Callable[[str, float], float], shrink: float = 0.0) -> list[str]:
        """The cell's text broken into lines as this page's style draws it."""
        if not cell.text:
            return []
        if cell.overflow or cell.shrunk_to or cell.clipped:
            lines = cell.text.split("\n")
        else:
            width = self.span_w(cell.col, cell.span) * (1 - shrink) - 2 * self.style.pad
            size = self.size_of(cell)
            lines = wrap(cell.text, width, lambda s: measure(s, size), self.style.kinsoku)
            lines = hang_punctuation(lines) if self.style.hanging else lines
        return lines[cell.lines_shown[0]:cell.lines_shown[1]] if cell.lines_shown != (0, None) else lines


    def col_x(self, col: int) -> float:
        return MARGIN_X + sum(self.widths[:col])

    def span_w(self, col: int, span: int) -> float:
        return sum(self.widths[col:col + span])


def gap(h: float) -> Row:
    return Row(gap=h)


# Excel's "rows to repeat at top" (印刷タイトル): which of the front sheet's top rows print atop every later page
PRINT_TITLES = ("title", "title+department", "department", "title+department+policy")


def print_title_rows(d: Department, style: Style, ncol: int) -> list[Row]:
    """The front sheet's top rows ``style.print_titles`` names, drawn again atop a later page of ``ncol``
    columns, then a gap: the title across the page; the 部 | department and 部長 | name pairs, two to a row
    (one on a page of one target's three columns); with the 【基本方針】 also every officer's pair (the
    rows Excel repeats are one run: those between the 部 row and the basic policy), then the policy."""
    parts = style.print_titles.split("+") if style.print_titles else []
    rows: list[Row] = []
    if "title" in parts:
        rows += [Row([Cell(0, ncol, d.title, "title", border=False, size=14.0, align="center")]), gap(8)]
    if "department" in parts:
        officers = [o for o in d.officers if not o.shared] if "policy" in parts else d.officers[:1]
        pairs = [(style.label("部"), d.department)] + [(o.label or o.position, o.cell) for o in officers]
        across = 2 if ncol >= 6 else 1
        half = ncol // across
        for k in range(0, len(pairs), across):
            row = Row()
            for j, (label, value) in enumerate(pairs[k:k + across]):
                row.cells += [Cell(j * half, 1, label, "label", align="center"),
                              Cell(j * half + 1, (ncol - half if j else half) - 1, value)]
            rows.append(row)
    if "policy" in parts:
        rows += [gap(8), Row([Cell(0, ncol, d.policy_heading, "heading", border=False, size=10.0)]),
                 Row([Cell(0, ncol, d.basic_policy, min_lines=3)])]
    return rows + [gap(8)] if rows else []


def front_page(d: Department, style: Style = DEFAULT_STYLE) -> Page:
    w = [34.0, 44.0, 300.0, 44.0, 200.0, BODY_W - 622.0] if style.overview == "pairs" \
        else [34.0, 44.0, 260.0, 200.0, 110.0, BODY_W - 648.0]
    rows: list[Row] = [
        Row([Cell(0, 6, d.title, "title", border=False, size=14.0, align="center")]),
        gap(8),
    ]
    boss = d.officers[0]
    rows.append(Row([Cell(0, 1, style.label("部"), "label", align="center"), Cell(1, 2, d.department),
                     Cell(3, 1, boss.label or boss.position, "label", align="center"), Cell(4, 2, boss.cell, role="officer")]))
    rest = [o for o in d.officers[1:] if not o.shared]  # a shared one is printed in the cell before it
    for i in range(0, len(rest), 2):
        a = rest[i]
        cells = [Cell(0, 1, a.label or a.position, "label", align="center"), Cell(1, 2, a.cell, role="officer")]
        if i + 1 < len(rest):
            b = rest[i + 1]
            cells += [Cell(3, 1, b.label or b.position, "label", align="center"), Cell(4, 2, b.cell, role="officer")]
        else:
            cells += [Cell(3, 1, None, "label"), Cell(4, 2, None)]
        rows.append(Row(cells))
    rows += [gap(8), Row([Cell(0, 6, d.policy_heading, "heading", border=False, size=10.0)]),
             Row([Cell(0, 6, d.basic_policy, role="basic_policy", min_lines=3)])]
    if "issues_section" in style.extras:  # a section the tables have no column for
        rows += [gap(8), Row([Cell(0, 6, "【現状と課題】", "heading", border=False, size=10.0)]),
                 Row([Cell(0, 6, ISSUES)])]
    rows += [gap(8), Row([Cell(0, 6, d.goals_heading, "heading", border=False, size=10.0)])]
    rows += overview_rows(d, style)
    rows += [gap(8), Row([Cell(0, 6, d.legend_heading, "heading", border=False, size=10.0)])]
    for band in d.grade_scale:
        if style.legend_table:
            rows.append(Row([Cell(0, 1, band.grade, "grade", align="center"), Cell(1, 1, band.label),
                             Cell(2, 3, band.description), Cell(5, 1, band.pct, align="center")]))
        else:
            rows.append(Row([Cell(0, 6, band.line, "plain", border=False)]))
    return Page("運営方針", w, rows, style=style)


def overview_rows(d: Department, style: Style) -> list[Row]:
    """The 【重点目標】 table in the style's layout (on the front page's six columns)."""
    status_head = style.overview_grade_head.format(era=d.era_label)
    year_end = d.stage == "result"  # a year-end sheet marks an empty grade cell (style.empty_mark)
    rows: list[Row] = []
    if style.overview == "pairs":
        for g in d.goals:
            plan = [Cell(1, 1, "目標", "label", align="center"), Cell(2, 1, g.plan_goal_cell)] if style.plan_column \
                else [Cell(1, 2, None)]
            field = [Cell(3, 1, "分野", "label", align="center"), Cell(4, 1, g.field)] if style.field_column \
                else [Cell(3, 2, None)]
            rows.append(Row([Cell(0, 1, g.no, "label", rowspan=style.number_rowspan, align="center"), *plan, *field,
                             Cell(5, 1, status_head, "label", align="center")]))
            second = [] if style.number_rowspan == 2 else [Cell(0, 1, None)]
            rows.append(Row(second + [Cell(1, 4, g.title, role="goal_title"),
                                      Cell(5, 1, style.shown(g.overall_grade, year_end), "grade", align="center")]))
        return rows
    # one row per goal under a header row: number | title (| plan goal) | field | grade
    title_span = (3 if style.field_column else 4) - (1 if style.plan_column else 0)  # columns 1 … before 分野/達成状況
    plan_col = 1 + title_span
    plan_head = [Cell(plan_col, 1, "目標", "label", align="center")] if style.plan_column else []
    field_head = [Cell(4, 1, "分野", "label", align="center")] if style.field_column else []
    if style.overview_head == "No.":
        head = [Cell(0, 1, "No.", "label", align="center"), Cell(1, title_span, d.goal_word, "label", align="center")]
    else:
        head = [Cell(0, 1 + title_span, d.goal_word, "label", align="center")]
    header = head + plan_head + field_head + [Cell(5, 1, status_head, "label", align="center")]
    for k, g in enumerate(d.goals):
        if k == 0 or style.overview == "header_repeated":
            rows.append(Row(list(header)))
        plan = [Cell(plan_col, 1, g.plan_goal_cell)] if style.plan_column else []
        field = [Cell(4, 1, g.field)] if style.field_column else []
        rows.append(Row([Cell(0, 1, g.no, align="center"), Cell(1, title_span, g.title, role="goal_title")] + plan
                        + field + [Cell(5, 1, style.shown(g.overall_grade, year_end), "grade", align="center")]))
    return rows


def _column_widths(n: int, style: Style, across: int = 1) -> list[float]:
    """Label | text | grade columns for each of ``n`` targets side by side (with ``across`` > 1, each target's
    columns ``style.across_share`` of the body wide: the sheet is printed across pages)."""
    if across > 1:
        lab, grade = 72.0 * style.width_scale, 62.0 * style.width_scale
        return [lab, BODY_W * style.across_share - lab - grade, grade] * n
    if n == 1:
        lab, grade = 110.0 * style.width_scale, 80.0 * style.width_scale
        return [lab, BODY_W - lab - grade, grade]
    lab, grade = 72.0 * style.width_scale, 62.0 * style.width_scale
    if n == 3:
        lab, grade = 60.0 * style.width_scale, 44.0 * style.width_scale
    mid = BODY_W / n - lab - grade
    return [lab, mid, grade] * n


REMARK = "事業費は当初予算額を記載。数値は3月末時点の見込み。"

# What :attr:`Style.extras` may add to a goal sheet (labels above their texts), none of it a field of the tables:
# ``target_value``: a 目標値 column beside each target (今年度の達成目標 | 目標値 over text | figure);
# ``status_value``: a 実績値 column between a target's status and grade (達成状況 | 実績値 | 達成度);
# ``initiative_grade``: each initiative graded beside its results (具体的な取組実績 | 達成度 over results | letter);
# ``budget_row``: a 事業費（千円） | figure row under each initiative's 所管室・課;
# ``prev_grade_row``: a 前年度の達成度 | letter row above 全体の達成度;
# ``kpi_table``: an indicator table (指標名 | 基準値 | 目標値 …, a row of figures) after the initiative blocks;
# ``issues_section``: a 【現状と課題】 section with its text after the front sheet's basic policy.
EXTRAS = ("target_value", "status_value", "initiative_grade", "budget_row", "prev_grade_row", "kpi_table",
          "issues_section")
ISSUES = "高齢化率は30%を超え、介護需要が増えています。"


def _figure(text: str | None, unit: str) -> str:
    """A figure a sheet prints beside ``text`` (the same for the same text)."""
    return f"{sum(map(ord, text or '')) % 90 + 10:,}{unit}"


def goal_pages(d: Department, g: Goal, style: Style = DEFAULT_STYLE) -> list[Page]:
    if len(g.targets) not in (1, 2, 3):
        raise ValueError("a goal has one to three target columns")
    stacked = g.stacks_targets
    w = _column_widths(1 if stacked else len(g.targets), style, g.across)
    ncol = len(w)
    year_end = d.stage == "result"
    label = style.goal_heading.format(word=d.goal_word, no=g.no)
    rows: list[Row] = [
        Row([Cell(0, 1, style.label("部"), "label", align="center"), Cell(1, ncol - 1, d.department)]),
        Row([Cell(0, 1, label, "label", align="center"), Cell(1, ncol - 1, g.title, role="goal_title")]),
        gap(6),
    ]
    pages: list[list[Row]] = [rows]
    if stacked:  # each target across the sheet, its initiatives under it, then the next target
        for k, t in enumerate(g.targets):
            if g.break_before is not None and k == g.break_before:
                rows = []
                pages.append(rows)
            rows += _target_rows([t], [0], style, year_end)
            for it in t.initiatives:
                rows += _initiative_block([(0, it)], style, year_end)
    else:  # the targets side by side, each initiative in its target's column
        base = [3 * k for k in range(len(g.targets))]
        rows += _target_rows(g.targets, base, style, year_end)
        for i in range(max(len(t.initiatives) for t in g.targets)):
            if g.break_before is not None and i == g.break_before and g.split is None:
                rows = []
                pages.append(rows)
            block = _initiative_block([(b, t.initiatives[i] if i < len(t.initiatives) else None)
                                       for b, t in zip(base, g.targets)], style, year_end)
            if g.split is not None and g.split[0] == i:  # the page breaks inside a row of this block
                at = {"initiative": 0, "results": 2}[g.split[1]] if style.side_labels else \
                    {"initiative": 1, "results": 4}[g.split[1]]
                before, after = split_block(block, at, g.split[2])
                rows += before
                rows = [Row(list(r.cells)) for r in pages[0][:style.split_header]]
                pages.append(rows)
                block = after
            rows += block
    if "kpi_table" in style.extras and not style.side_labels:
        rows += _kpi_rows(g, ncol)
    rows += [gap(6)] + _section_rows(style.label("総合評価・総括"), style.shown(g.summary, year_end), "summary", ncol, style)
    if "prev_grade_row" in style.extras:  # last year's grade, which the tables do not hold
        rows.append(Row([Cell(0, 1, "前年度の達成度", "label", align="center"),
                         Cell(1, 1, "BA"[len(g.title or "") % 2], "grade", align="center")]))
    rows.append(Row([Cell(0, 1, style.label("全体の達成度"), "label", align="center"),
                     Cell(1, 1, style.shown(g.overall_grade, year_end), "grade", align="center")]))
    rows += _section_rows(style.label("今後検討すべきこと"), style.shown(g.next_steps, year_end), "next_steps", ncol, style)
    if style.remarks:  # another city's or year's section the tables have no column for
        rows += _section_rows(style.remarks, REMARK, None, ncol, style)
    if style.note:  # a footnote line under the table, outside its rules
        rows += [gap(4), Row([Cell(0, ncol, style.note, "plain", border=False)])]
    out = []
    for k, r in enumerate(pages):
        name = f"{d.goal_word}{g.no}" + ("" if k == 0 else f"(続き{k})")
        out.append(Page(name, list(w), print_title_rows(d, style, ncol) + r, style=style))
    return printed_across(out, g) if g.across > 1 else out


def printed_across(sheet: list[Page], g: Goal) -> list[Page]:
    """The pages of a goal sheet too wide for its paper, as Excel prints it: as many of its columns on each page as fit
    (:func:`columns_across`), after the columns it repeats at the left of each later page (列の印刷タイトル, the
    style's ``across_titles``), the pages across in Excel's page order: down, then over (the sheet's every page of
    its first columns, then of the next), or with ``g.over_first`` over, then down."""
    def part(page: Page, j: int, first: int, end: int) -> Page:
        lo, hi = page.col_x(first), page.col_x(end)
        titles = page.col_x(page.style.across_titles) - MARGIN_X if j else 0.0
        windows = ((MARGIN_X, MARGIN_X + titles, 0.0),) if titles else ()
        return Page(f"{page.name}-{j + 1}", page.widths, page.rows, page.header, page.footer, page.marks, page.style,
                    windows=windows + ((lo, hi, lo - MARGIN_X - titles),))
    spans = columns_across(sheet[0].widths, sheet[0].style.across_titles)
    if g.over_first:
        return [part(page, j, *span) for page in sheet for j, span in enumerate(spans)]
    return [part(page, j, *span) for j, span in enumerate(spans) for page in sheet]


def columns_across(widths: list[float], titles: int = 0) -> list[tuple[int, int]]:
    """The columns (first, end) each page across prints of a sheet of column ``widths`` wider than the body: as many
    as fit, the first ``titles`` columns printed again at the left of every page after the first."""
    spans, first = [], 0
    while first < len(widths):
        room = BODY_W - (sum(widths[:titles]) if spans else 0.0)
        end = first
        while end < len(widths) and sum(widths[first:end + 1]) <= room + 0.01:
            end += 1
        if end == first:
            raise ValueError("a column wider than the page")
        spans.append((first, end))
        first = end
    return spans


def split_block(block: list[Row], at: int, lines: int) -> tuple[list[Row], list[Row]]:
    """``block``'s rows broken across pages inside its row ``at`` as Writer breaks a table row: each cell of that row
    prints its first ``lines`` lines at the foot of the page, the rest at the top of the next, each part a box of
    its own; a box over several rows (an empty initiative block) is cut in two there."""
    first, rest = Row(), Row()
    for cell in block[at].cells:  # (an empty block's box from this row on: its first row above the break)
        first.cells.append(replace(cell, lines_shown=(0, lines), min_lines=1, role=None, rowspan=1))
        rest.cells.append(replace(cell, lines_shown=(lines, None), min_lines=1, role=None))
    before = [Row(list(r.cells)) for r in block[:at]] + [first]
    for j, row in enumerate(before[:at]):
        for k, cell in enumerate(row.cells):
            if j + cell.rowspan > at:  # runs on past the break
                row.cells[k] = replace(cell, rowspan=at - j + 1)
                rest.cells.append(Cell(cell.col, cell.span, None, rowspan=j + cell.rowspan - at))
    rest.cells.sort(key=lambda c: c.col)
    return before, [rest] + block[at + 1:]


def _target_rows(targets: list[Target], base: list[int], style: Style, year_end: bool) -> list[Row]:
    """The 今年度の達成目標 rows of ``targets`` side by side (each three columns from its ``base``): label,
    text, the 達成状況 and 達成度 labels (or one over both), their values."""
    valued = "target_value" in style.extras
    head = Row([c for b in base for c in ((Cell(b, 2, style.label("今年度の達成目標"), "label", align="center"),
                                           Cell(b + 2, 1, "目標値", "label", align="center")) if valued
                                          else (Cell(b, 3, style.label("今年度の達成目標"), "label", align="center"),))])
    text = Row([c for b, t in zip(base, targets)
                for c in ((Cell(b, 2, t.text, min_lines=2, role="target"), Cell(b + 2, 1, _figure(t.text, "件"),
                                                                               align="center")) if valued
                          else (Cell(b, 3, t.text, min_lines=2, role="target"),))])
    if "status_value" in style.extras and not style.status_head:  # 達成状況 | 実績値 | 達成度
        status_head = Row([c for b in base for c in (Cell(b, 1, style.label("達成状況"), "label", align="center"),
                                                     Cell(b + 1, 1, "実績値", "label", align="center"),
                                                     Cell(b + 2, 1, style.label("達成度"), "label", align="center"))])
        status = Row([c for b, t in zip(base, targets)
                      for c in (Cell(b, 1, t.status_shown or style.shown(t.status, year_end), min_lines=2, role="status"),
                                Cell(b + 1, 1, _figure(t.status, "人") if t.status else None, align="center"),
                                Cell(b + 2, 1, t.grade_shown or style.shown(t.grade, year_end), "grade",
                                     align="center", min_lines=2))])
        return [head, text, status_head, status, gap(6)]
    return [
        head, text,
        Row([c for b in base for c in ((Cell(b, 3, style.status_head, "label", align="center"),) if style.status_head
                                       else (Cell(b, 2, style.label("達成状況"), "label", align="center"),
                                             Cell(b + 2, 1, style.label("達成度"), "label", align="center")))]),
        Row([c for b, t in zip(base, targets)
             for c in (Cell(b, 2, t.status_shown or style.shown(t.status, year_end), min_lines=2, role="status"),
                       Cell(b + 2, 1, t.grade_shown or style.shown(t.grade, year_end), "grade", align="center",
                            min_lines=2))]),
        gap(6),
    ]


def _initiative_block(placed: list[tuple[int, Initiative | None]], style: Style, year_end: bool) -> list[Row]:
    """One row of initiative blocks: each initiative in the three columns from its base (an empty box for
    ``None``): 具体的取組, its text, 所管室・課, 具体的な取組実績, its text (or each label beside its text)."""
    block: list[Row] = [Row() for _ in range(style.block_rows)]
    for b, it in placed:
        if it is None:
            block[0].cells.append(Cell(b, 3, None, rowspan=style.block_rows))
            continue
        texts = [("具体的取組", it.text, "initiative"), ("所管室・課", style.shown(it.section), None),
                 ("具体的な取組実績", style.shown(it.results, year_end), "results")]
        if style.side_labels:  # each label in the label column, its text beside it
            for row, (name, text, role) in zip(block, texts):
                row.cells += [Cell(b, 1, style.label(name), "label", align="center"),
                              Cell(b + 1, 2, text, min_lines=2 if role else 1, role=role)]
            continue
        block[0].cells.append(Cell(b, 3, style.label("具体的取組"), "label", align="center"))
        block[1].cells.append(Cell(b, 3, it.text, min_lines=2, role="initiative"))
        block[2].cells += [Cell(b, 1, style.label("所管室・課"), "label", align="center"),
                           Cell(b + 1, 2, style.shown(it.section))]
        at = 3
        if "budget_row" in style.extras:
            block[at].cells += [Cell(b, 1, "事業費（千円）", "label", align="center"),
                                Cell(b + 1, 2, _figure(it.text, ""))]
            at += 1
        if "initiative_grade" in style.extras:  # the initiative's own grade beside its results
            block[at].cells += [Cell(b, 2, style.label("具体的な取組実績"), "label", align="center"),
                                Cell(b + 2, 1, style.label("達成度"), "label", align="center")]
            block[at + 1].cells += [Cell(b, 2, style.shown(it.results, year_end), min_lines=2, role="results"),
                                    Cell(b + 2, 1, "AB"[len(it.text or "") % 2] if year_end else None, "grade",
                                         align="center")]
            continue
        block[at].cells.append(Cell(b, 3, style.label("具体的な取組実績"), "label", align="center"))
        block[at + 1].cells.append(Cell(b, 3, style.shown(it.results, year_end), min_lines=2, role="results"))
    return block


def _kpi_rows(g: Goal, ncol: int) -> list[Row]:
    """An indicator table after a goal's initiative blocks: its labels, then a row of figures for its first target."""
    heads = ["指標名", "基準値", "目標値", "実績値"][:ncol]
    spans = [ncol - len(heads) + 1] + [1] * (len(heads) - 1)
    text = g.targets[0].text or ""
    values = [text[:12].rstrip("、。を") + "の件数", _figure(text, "件"), _figure(text + "目標", "件"),
              _figure(text + "実績", "件")][:ncol]
    cols = [0] + [spans[0] + k for k in range(len(heads) - 1)]
    return [gap(6), Row([Cell(c, n, h, "label", align="center") for c, n, h in zip(cols, spans, heads)]),
            Row([Cell(c, n, v, align="center") for c, n, v in zip(cols, spans, values)])]


def _section_rows(label: str, text: str | None, role: str | None, ncol: int, style: Style) -> list[Row]:
    """A full-width section of a goal sheet: its label above its text, or (``side_labels``) beside it."""
    lines = 2 if role else 1
    if style.side_labels:
        return [Row([Cell(0, 1, label, "label", align="center"), Cell(1, ncol - 1, text, min_lines=lines, role=role)])]
    return [Row([Cell(0, ncol, label, "label", align="center")]), Row([Cell(0, ncol, text, min_lines=lines, role=role)])]


def department_pages(d: Department, style: Style = DEFAULT_STYLE) -> list[Page]:
    """The department's printed pages: its front sheet, then each goal's sheet (a field written as a list whose
    numbers stand in a cell of their own drawn so: :mod:`list_column`)."""
    from samples.generate.list_column import number_column  # (it builds on this module's cells)
    pages = [front_page(d, style)]
    for g in d.goals:
        pages += goal_pages(d, g, style)
    return [number_column(page) for page in pages]


def goal_page_offsets(d: Department) -> dict[str, list[int]]:
    """For each goal (by printed number): the 0-based page offset in the department of each of its parts down
    the sheet (one, or two past a page break; a sheet printed across pages: the page of the part's first target)."""
    out: dict[str, list[int]] = {}
    k = 1
    for g in d.goals:
        n = 1 + (1 if g.break_before is not None else 0)
        # a sheet printed across pages: each of its parts down the sheet begins on the page of its first target
        out[g.no] = [k + (part * g.across if g.over_first else part) for part in range(n)]
        k += n * g.across
    return out


def mark_overflow(page: Page, measure: Callable[[str, float], float], seed: str) -> None:
    """Draw which text cells of ``page`` a person typed without merging or wrapping (Excel's overflow):
    a value cell over several columns whose text, one line, fits within its own columns and the empty
    cells right of it (Excel prints it across them). Half of those that qualify are marked. Not a part of a row
    broken across pages (``row_split``): its text wraps onto the next page, and one line has nothing to carry there."""
    rng = random.Random(seed)
    occupant: dict[tuple[int, int], Cell] = {}
    for ri, row in enumerate(page.rows):
        for cell in row.cells:
            for r in range(ri, ri + cell.rowspan):
                for c in range(cell.col, cell.col + cell.span):
                    occupant[(r, c)] = cell
    for ri, row in enumerate(page.rows):
        for cell in row.cells:
            if (cell.kind != "value" or cell.span < 2 or cell.rowspan != 1 or not cell.text or "\n" in cell.text
                    or cell.lines_shown != (0, None)):  # a row broken across pages holds a text of two lines or more
                continue
            room, col = page.span_w(cell.col, cell.span), cell.col + cell.span
            while col < len(page.widths) and (ri, col) in occupant and occupant[(ri, col)].text is None:
                room += page.widths[col]
                col += 1
            # LibreOffice's metrics differ a little from reportlab's: keep a tenth of the room spare
            if measure(cell.text, page.size_of(cell)) + 2 * page.style.pad <= 0.9 * room and rng.random() < 0.5:
                cell.overflow = True


def struck_spans(lines: list[str], struck: int) -> list[tuple[int, int]]:
    """For each of a cell's ``lines``: the (start, end) of its characters among the text's first ``struck``."""
    spans, at = [], 0
    for line in lines:
        spans.append((0, max(0, min(len(line), struck - at))))
        at += len(line)
    return spans


def measure_rows(page: Page, measure: Callable[[str, float], float], shrink: float = 0.0) -> float:
    """Compute row heights for ``page`` with a text measure ``measure(text, size)``; return the total."""
    pad = page.style.pad
    for row in page.rows:
        row.height = row.gap
    for ri, row in enumerate(page.rows):
        for c in row.cells:
            lines = page.lines_of(c, measure, shrink)
            need = max(len(lines), c.min_lines) * page.lead_of(c) + 2 * pad + ruby_room(page, c)
            if c.rowspan == 1:
                row.height = max(row.height, need)
    for ri, row in enumerate(page.rows):
        for c in row.cells:
            if c.rowspan > 1:
                span = page.rows[ri:ri + c.rowspan]
                have = sum(r.height for r in span)
                need = page.style.leading + 2 * pad
                if have < need:
                    span[-1].height += need - have
    return sum(r.height for r in page.rows)
