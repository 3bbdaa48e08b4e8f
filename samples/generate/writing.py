"""How people write a sheet that the other draws do not vary: older years, labels typed with marks, radical
code points, officer posts written with 兼務 or 事務取扱, and a text export's blank lines and trailing blanks.

Each axis is drawn from its own random stream (``{seed}-{index}-<axis>``), after every other draw, at the rate
:data:`WRITING_RATES` gives (``fuzz_run --force AXIS`` raises it to 1.0), and is written into the variant's
``params`` only when drawn: the variants without it stay as they were, truth and file.

What a careful reader extracts is unchanged by the marks (the truth stays the drawn content): a label with a
space, 、 or ・ inside is the same label; a Kangxi radical (⽬ U+2F6C) or a CJK radical (⻑ U+2ED1) is the kanji
whose glyph it shares; a full-width number or grade letter is its NFKC form; blank lines and trailing blanks
are no text. Older years change the truth: 平成31年度 and 令和元年度 are both fiscal 2019, its label as printed.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace

from samples.generate import layout
from samples.generate.content import Department, Officer

# how often each axis is drawn (raise one to 1.0 to force it: fuzz_run --force AXIS)
# text_blanks is drawn only when forced: a stacked or blocks export with other blank-line counts still reads wrong
# (one silent of 34 on seed 54005: bench/README.md, 2026-11-30)
WRITING_RATES = {"era_old": 0.15, "label_marks": 0.2, "body_radicals": 0.15, "officer_posts": 0.15,
                 "wide_numbers": 0.15, "text_spacing": 0.3, "text_blanks": 0.0}
# the renderers whose text is written as typed (no font maps a radical's code point: reportlab and cid draw
# their own radicals hazard, a scan's OCR reads the glyph)
RADICAL_RENDERERS = ("text", "xlsx", "html", "chromium", "libreoffice", "writer")

# older fiscal years as their sheets print them (平成31年度 and 令和元年度 are one year, April 2019 to March 2020)
OLD_ERAS = (("平成27年度", 2015), ("平成28年度", 2016), ("平成29年度", 2017), ("平成30年度", 2018),
            ("平成31年度", 2019), ("令和元年度", 2019), ("令和1年度", 2019), ("令和2年度", 2020))


def draw_era(rng: random.Random, departments: list[Department], p: dict[str, object]) -> None:
    """``era_old``: the sheet (every department of a volume: one year) is of an older year, 平成27–31年度 or
    令和元/1/2年度; the fiscal year is the Gregorian year it starts in, its label as printed."""
    if rng.random() >= WRITING_RATES["era_old"]:
        return
    label, year = rng.choice(OLD_ERAS)
    for d in departments:
        d.era_label, d.fiscal_year = label, year
    p["era_old"] = label


# code points sharing a glyph with a kanji: the Kangxi radicals (their NFKC form) and the CJK radicals that
# Japanese fonts draw as the everyday kanji (⻑ for 長, ⻘ for 青 …; no NFKC form: the reader's own table)
RADICALS: dict[str, str] = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
RADICALS.update({"長": "\u2ed1", "青": "\u2ed8", "黄": "\u2ee9", "母": "\u2e9f", "民": "\u2ea0", "西": "\u2ec4",
                 "歯": "\u2eed", "竜": "\u2eef", "亀": "\u2ef2", "戸": "\u2f3e"})
_UNMARK = {v: k for k, v in RADICALS.items()}


def with_radicals(text: str) -> str:
    """``text`` with every kanji that shares its glyph with a radical code point written as that code point."""
    return "".join(RADICALS.get(ch, ch) for ch in text)


def unmarked(text: str | None) -> str | None:
    """A label as typed without the marks of :func:`mark_labels` (radicals back to kanji, no spaces, 、 or ・
    added): what the generator compares labels by."""
    if text is None:
        return None
    return "".join(_UNMARK.get(ch, ch) for ch in text if ch not in " \u3000")


# how a label is typed with marks: spaces between its characters (均等 typed by hand), one space in it, a ・
# or 、 between its words, Kangxi radicals for its kanji
LABEL_MARKS = ("spaced", "wide_spaced", "gap", "dot", "radicals")
_WORD_BREAKS = {"今年度の達成目標": 4, "具体的取組": 3, "具体的な取組実績": 5, "総合評価・総括": 4, "全体の達成度": 3,
                "今後検討すべきこと": 4, "達成状況": 2, "所管室・課": 3, "部長": 1, "所管課": 2, "担当課": 2,
                "取組実績": 2, "総合達成度": 2}


def draw_label_marks(rng: random.Random, renderer: str, p: dict[str, object]) -> tuple[str, ...]:
    """``label_marks``: the sheet's labels typed with marks, one to three of :data:`LABEL_MARKS` (radicals only
    where the text is written as typed, :data:`RADICAL_RENDERERS`). Returns the marks drawn."""
    if rng.random() >= WRITING_RATES["label_marks"]:
        return ()
    kinds = [k for k in LABEL_MARKS if k != "radicals" or renderer in RADICAL_RENDERERS]
    marks = tuple(sorted(rng.sample(kinds, rng.randint(1, 3))))
    p["label_marks"] = "+".join(marks)
    return marks


def _marked(text: str, mark: str) -> str:
    """``text`` (a label) typed with ``mark``."""
    core = text.strip("【】")
    if mark == "radicals":
        return with_radicals(text)
    if mark in ("spaced", "wide_spaced"):
        space = " " if mark == "spaced" else "\u3000"
        return text.replace(core, space.join(core)) if len(core) <= 6 else text
    if mark == "gap":  # one space between its words, or after a number's word
        at = _WORD_BREAKS.get(core)
        return text.replace(core, core[:at] + "\u3000" + core[at:]) if at else text
    if mark == "dot":  # 、 for ・ and ・ for 、, or a ・ between its words
        if "・" in core or "、" in core:
            return text.translate(str.maketrans({"・": "、", "、": "・"}))
        at = _WORD_BREAKS.get(core)
        return text.replace(core, core[:at] + "・" + core[at:]) if at and core not in ("部長",) else text
    raise ValueError(mark)


def mark_labels(pages: list[layout.Page], marks: tuple[str, ...], seed: str,
                measure) -> None:  # noqa: ANN001  (measure: (text, size) -> width)
    """Type the label cells of ``pages`` with ``marks``: each label drawn once for the file (as a person types
    one sheet) with one of the marks, or as it was; a mark that would widen a label past its cell is left off."""
    rng = random.Random(f"{seed}-label-marks")
    chosen: dict[str, str] = {}
    for page in pages:
        for row in page.rows:
            for cell in row.cells:
                if cell.kind != "label" or not cell.text:
                    continue
                if cell.text not in chosen:
                    mark = rng.choice(marks + ("",))
                    chosen[cell.text] = _marked(cell.text, mark) if mark else cell.text
                marked = chosen[cell.text]
                room = page.span_w(cell.col, cell.span) - 2 * page.style.pad
                if measure(marked, page.size_of(cell)) <= room:
                    cell.text = marked


_BODY_ROLES = ("target", "initiative", "results", "status", "summary", "next_steps", "basic_policy", "officer")


def draw_body_radicals(rng: random.Random, renderer: str, p: dict[str, object]) -> None:
    """``body_radicals``: where the text is written as typed (:data:`RADICAL_RENDERERS`), some value cells (texts,
    results, the policy, officers' names) are pasted from a source that wrote kanji as radical code points."""
    if renderer in RADICAL_RENDERERS and rng.random() < WRITING_RATES["body_radicals"]:
        p["body_radicals"] = True


def radical_cells(pages: list[layout.Page], seed: str) -> None:
    """Write half the value cells of :data:`_BODY_ROLES` (and every title and goal title cell at the same chance)
    with radical code points."""
    rng = random.Random(f"{seed}-body-radicals")
    for page in pages:
        for row in page.rows:
            for cell in row.cells:
                if cell.text and cell.kind == "value" and (cell.role in _BODY_ROLES or cell.role is None) \
                        and rng.random() < 0.5:
                    cell.text = with_radicals(cell.text)


# officer posts written with a second post: (the label cell, the name cell's form, the title the truth gives)
# {name} is the printed name; the truth's title is the post as the line writes it (the bracket or the words
# before the name), as for any officer; the label 理事兼部長 or 部長事務取扱 is the 部長's row
_POSTS = (
    ("部長", "{name}（理事兼務）", "理事兼務"),
    ("部長", "{name}（副市長事務取扱）", "副市長事務取扱"),
    ("部長", "理事兼部長 {name}", "理事兼部長"),
    ("理事兼部長", "{name}", "理事兼部長"),
    ("部長事務取扱", "{name}", "部長事務取扱"),
)


def draw_officer_posts(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """``officer_posts``: the 部長's line names a second post: a concurrent one (``山田 太郎（理事兼務）``,
    ``理事兼部長 山田 太郎``, the label ``理事兼部長``) or acting for the post (``（副市長事務取扱）``, the label
    ``部長事務取扱``). The position stays 部長 (the department's head), the title is the post as written."""
    boss = d.officers[0]
    if boss.position != "部長" or rng.random() >= WRITING_RATES["officer_posts"]:
        return
    label, form, title = rng.choice(_POSTS)
    printed = boss.cell.split("（")[0].split("(")[0].strip() if boss.title is None and boss.charge is None \
        else boss.name
    d.officers[0] = replace(boss, cell=form.format(name=printed), title=title, charge=None,
                            label=None if label == "部長" else label)
    p["officer_posts"] = f"{label}|{form.format(name='N')}"


_WIDE = str.maketrans("0123456789ABCDE%().", "０１２３４５６７８９ＡＢＣＤＥ％（）．")
_PLAN_NUMBER = re.compile(r"^[(（][0-9０-９]{1,2}[)）]")


def draw_wide_numbers(rng: random.Random, p: dict[str, object]) -> None:
    """``wide_numbers``: the legend's grade letters and percentages typed full-width (``Ａ：達成（…１００％）``), and
    the overview's plan-goal numbers (``（５）　みんなでつくる…``); their truth is their NFKC form."""
    if rng.random() < WRITING_RATES["wide_numbers"]:
        p["wide_numbers"] = True


def widen_numbers(pages: list[layout.Page], departments: list[Department]) -> None:
    """Type the legend's grades and bounds and the plan-goal numbers of ``pages`` full-width."""
    lines = {band.line: f"{band.grade.translate(_WIDE)}：{band.label}（{band.description}{band.pct.translate(_WIDE)}）"
             for d in departments for band in d.grade_scale}
    plans = {g.plan_goal_cell for d in departments for g in d.goals if g.plan_goal_cell}
    for page in pages:
        for row in page.rows:
            legend_row = len(row.cells) == 4 and row.cells[0].kind == "grade" and row.cells[3].text and \
                "%" in row.cells[3].text
            for k, cell in enumerate(row.cells):
                if not cell.text:
                    continue
                if cell.text in lines:
                    cell.text = lines[cell.text]
                elif legend_row and k in (0, 3):
                    cell.text = cell.text.translate(_WIDE)
                elif cell.text in plans and (m := _PLAN_NUMBER.match(cell.text)):
                    cell.text = m.group().translate(_WIDE) + cell.text[m.end():]


# how a text export's whitespace differs from one exporter to another
BLANKS = ("collapse", "plus", "double")
TRAILING = ("", " ", "\u3000", "\t")


def draw_text_spacing(rng: random.Random, blank_rng: random.Random, p: dict[str, object]) -> None:
    """How a text export's exporter writes its whitespace: ``text_spacing``, blanks after the last field of some
    lines (a space, a full-width space or a tab) and blank lines holding only spaces or tabs, recorded as
    ``trailing|blank_fill``; ``text_blanks`` (from ``blank_rng``), its blank lines counted another way, the same for
    the whole file: every run of them one (``collapse``), one more (``plus``) or twice as many (``double``)."""
    if rng.random() < WRITING_RATES["text_spacing"]:
        trailing = rng.choice(TRAILING)
        fill = rng.choice(["", " ", "\t"] if trailing else [" ", "\t"])
        p["text_spacing"] = "|".join(({"": "", " ": "space", "\u3000": "wide", "\t": "tab"}[trailing],
                                      {"": "", " ": "space", "\t": "tab"}[fill]))
    if blank_rng.random() < WRITING_RATES["text_blanks"]:
        p["text_blanks"] = blank_rng.choice(BLANKS)


def space_lines(lines: list[str], spacing: str, blanks: str, seed: str) -> list[str]:
    """``lines`` of a text export written with ``spacing`` and ``blanks`` (see :func:`draw_text_spacing`)."""
    trailing, fill = spacing.split("|") if spacing else ("", "")
    tail = {"": "", "space": " ", "wide": "\u3000", "tab": "\t"}[trailing]
    filler = {"": "", "space": " ", "tab": "\t\t"}[fill]
    rng = random.Random(f"{seed}-text-spacing")
    out: list[str] = []
    run = 0

    def close_run() -> None:
        if run:
            count = {"collapse": 1, "plus": run + 1, "double": 2 * run, "": run}[blanks]
            out.extend([filler] * count)

    for line in lines:
        if line == "":
            run += 1
            continue
        close_run()
        run = 0
        out.append(line + tail if tail and rng.random() < 0.5 and not line.endswith('"') else line)
    close_run()
    return out


def officer_label(o: Officer) -> str:
    """The label cell an officer's row prints (its own, or its position)."""
    return o.label or o.position
