"""Layout fuzzer: draw sheets nobody has seen from a seed, render them, and keep their truth.

A *variant* is a department drawn from the sample contents (goals, targets, initiatives,
officers, legends of ``content.py``) with a random shape, printed in a random
:class:`~samples.generate.layout.Style` by one renderer. Its truth comes from the drawn
content (``truth.build``), never from the rendering.

    python -m samples.generate.fuzz --n 500 --seed 7 --out /tmp/fuzz   # see fuzz_run.py

Every random choice is recorded in ``Variant.params`` so a failing variant can be named
and re-drawn from its seed alone.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from samples.generate import content, extras, layout, truth, wording, writing
from samples.generate.content import Department, Goal, Initiative, Officer, Target

RENDERERS = ("text", "reportlab", "xlsx")  # pure Python: what CI may run
# cid: non-embedded HeiseiMin-W3; chromium: headless browser; libreoffice: the workbook printed by
# Calc; writer: a Word document printed by Writer; scan: the reportlab PDF scanned and read by OCR
ALL_RENDERERS = RENDERERS + ("cid", "chromium", "libreoffice", "writer", "scan", "html")
TOOLS = {  # renderer: (executables, one of which it needs; how to get one)
    "chromium": (("chromium", "chromium-browser", "google-chrome"), "apt-get install chromium"),
    "libreoffice": (("soffice", "libreoffice"), "apt-get install --no-install-recommends libreoffice-calc-nogui"),
    "writer": (("soffice", "libreoffice"), "apt-get install --no-install-recommends libreoffice-writer-nogui"),
}
_ERAS = (("平成30年度", 2018), ("令和元年度", 2019), ("令和4年度", 2022), ("令和5年度", 2023), ("令和6年度", 2024))
_FULLWIDTH = str.maketrans("0123456789ABCDE", "０１２３４５６７８９ＡＢＣＤＥ")
# PDF renderers whose producer hazards the fuzzer draws (radicals only where the font embeds them)
_HAZARDOUS = ("reportlab", "cid")
_SOURCES = [content.SEED, content.RESULT, content.REIWA1, content.SIDEBYSIDE, content.TOSHI]


@dataclass
class Variant:
    """One drawn sheet: its department, style, renderer and the parameters that made it."""

    name: str
    department: Department
    style: layout.Style
    renderer: str
    export_mode: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    volume: list[Department] = field(default_factory=list)  # the departments after the first in a compiled volume

    @property
    def departments(self) -> list[Department]:
        """Every department the file holds, in file order."""
        return [self.department] + self.volume


def missing_tool(renderer: str) -> str | None:
    """Why ``renderer`` cannot run on this machine (one line), or None when it can."""
    import shutil

    exes, how = TOOLS.get(renderer, ((), ""))
    if exes and not any(shutil.which(e) for e in exes):
        return f"renderer {renderer} skipped: {exes[0]} not found ({how})"
    if renderer == "scan":
        try:
            import cv2, img2pdf, pypdfium2  # noqa: E401, F401
        except ImportError as e:
            return f"renderer scan skipped: {e.name} not installed (pip install -e '.[samples]')"
    return None


def _pools() -> dict[str, list]:
    goals = [g for d in _SOURCES for g in d.goals]
    targets = [t for g in goals for t in g.targets]
    return {
        "goals": goals,
        "targets": targets,
        "initiatives": [i for t in targets for i in t.initiatives],
        "officers": [d.officers for d in _SOURCES],
        "departments": [d.department for d in _SOURCES],
        "policies": [d.basic_policy for d in _SOURCES],
        "statuses": [t.status for t in targets if t.status],
        "results": [i.results for t in targets for i in t.initiatives if i.results],
        "summaries": [g.summary for g in goals if g.summary],
        "next_steps": [g.next_steps for g in goals if g.next_steps],
    }


def _no_city(text: str | None) -> bool:
    return text is None or "市" not in text.replace("市内", "").replace("市民", "")


def _draw_department(rng: random.Random, p: dict[str, object]) -> Department:
    pools = _pools()
    result = p["stage"] == "result"
    grades = [g.grade for g in content.LEGEND_STANDARD]

    def grade() -> str | None:
        if not result:
            return None
        g = rng.choice(grades)
        return g.translate(_FULLWIDTH) if p["fullwidth_grades"] else g

    def maybe(value: str | None, chance: float) -> str | None:
        return value if rng.random() >= chance else None

    def pick(kind: str) -> str:
        return rng.choice([t for t in pools[kind] if _no_city(t)])

    goals: list[Goal] = []
    for n in range(1, int(p["goals"]) + 1):
        source = rng.choice([g for g in pools["goals"] if _no_city(g.title)])
        targets = []
        n_targets = rng.choice(p["targets_choices"])  # type: ignore[arg-type]
        # a target beside others has at least one initiative here (kept so seeds draw what they drew);
        # _empty_a_target empties one now and then: a stacked or blocks export writes a missing block
        # as one empty line (tests/test_export_blocks.py)
        fewest = 0 if n_targets == 1 else 1
        for _ in range(n_targets):
            base = rng.choice([t for t in pools["targets"] if _no_city(t.text)])
            initiatives = [Initiative(i.text, maybe(i.section, p["empty_cell_rate"]),
                                      maybe(pick("results"), p["empty_cell_rate"]) if result else None)
                           for i in rng.sample([i for i in pools["initiatives"] if _no_city(i.text)],
                                               rng.randint(fewest, 4))]
            targets.append(Target(base.text, maybe(pick("statuses"), p["empty_cell_rate"]) if result else None,
                                  grade(), initiatives))
        if all(not t.initiatives for t in targets):
            extra = rng.choice([i for i in pools["initiatives"] if _no_city(i.text)])
            targets[0].initiatives.append(Initiative(extra.text, extra.section, pick("results") if result else None))
        number = str(n).translate(_FULLWIDTH) if p["fullwidth_numbers"] else str(n)
        plan_cell, plan_no, plan_name = source.plan_goal_cell, source.plan_goal_no, source.plan_goal
        if not p["plan_column"]:
            plan_cell, plan_no, plan_name = "", None, None
        goals.append(Goal(number, plan_cell, plan_no, plan_name, source.field, source.title, targets,
                          summary=pick("summaries") if result else None, overall_grade=grade(),
                          next_steps=pick("next_steps") if result else None))
    era, year = _ERAS[int(p["era"])]
    old = p["wording"] == "old"
    return Department(
        key="fuzz", era_label=era, fiscal_year=year, department=rng.choice(pools["departments"]),
        officers=list(rng.choice(pools["officers"])), basic_policy=pick("policies"), goals=goals,
        grade_scale=content.LEGEND_REIWA1 if p["legend"] == "reiwa1" else content.LEGEND_STANDARD,
        policy_heading="【基本姿勢】" if old else "【基本方針】", goals_heading="【重点課題】" if old else "【重点目標】",
        goal_word="重点課題" if old else "重点目標",
    )


# the goal sheet's labels as other years and cities write them (each a spelling parsers/labels.py
# must know: 、 or a space for ・, な or not, 取り組み, older names)
LABEL_SPELLINGS = {
    "今年度の達成目標": ("今年度の達成目標", "本年度の達成目標", "達成目標"),
    "具体的取組": ("具体的取組", "具体的な取組", "具体的な取り組み", "具体的取組内容"),
    "所管室・課": ("所管室・課", "所管室、課", "所管室 課", "所管課", "担当課"),
    "具体的な取組実績": ("具体的な取組実績", "取組実績", "具体的な取組の実績"),
    "総合評価・総括": ("総合評価・総括", "総合評価、総括", "総合評価 ・ 総括"),
    "全体の達成度": ("全体の達成度", "総合達成度"),
    "今後検討すべきこと": ("今後検討すべきこと", "今後の検討事項", "今後の課題"),
}


def _draw_labels(rng: random.Random, p: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """Half the variants print the goal sheet's labels in other spellings, one drawn per label."""
    p["label_spellings"] = rng.random() < 0.5
    if not p["label_spellings"]:
        return ()
    return tuple((label, rng.choice(ways)) for label, ways in LABEL_SPELLINGS.items())


def _draw_legend_table(rng: random.Random, p: dict[str, object]) -> bool:
    """A variant in four prints the 達成度 legend as a ruled table, a column for each part of a band."""
    p["legend_table"] = rng.random() < 0.25
    return bool(p["legend_table"])


def _draw_side_labels(rng: random.Random, p: dict[str, object]) -> bool:
    """A variant in four is another year's goal sheet: each section's label stands left of its text
    (具体的取組 | text, 総合評価・総括 | text), not above it."""
    p["side_labels"] = rng.random() < 0.25
    return bool(p["side_labels"])


# how other years and cities write a goal sheet's heading (重点目標 1 in the samples)
GOAL_HEADINGS = ("{word} {no}", "{word}{no}", "{word}（{no}）", "【{word}{no}】", "{word}No.{no}", "{word} その{no}")


def _draw_goal_heading(rng: random.Random, p: dict[str, object]) -> str:
    """Two variants in five write the goal sheet's heading another way: 重点目標（1）, 【重点目標1】 …"""
    p["goal_heading"] = rng.choice(GOAL_HEADINGS[1:]) if rng.random() < 0.4 else GOAL_HEADINGS[0]
    return str(p["goal_heading"])


def _draw_status_head(rng: random.Random, p: dict[str, object]) -> str:
    """One variant in five heads a target's status and grade with one label cell over both."""
    p["status_head"] = rng.choice(["達成状況・達成度", "達成状況及び達成度", "達成状況／達成度"]) if rng.random() < 0.2 else ""
    return str(p["status_head"])


def _draw_remarks(rng: random.Random, p: dict[str, object]) -> str:
    """Three variants in seven end each goal sheet with a section the tables have no column for
    (one in seven with a label the label table does not know: it must at least be named)."""
    p["remarks"] = rng.choice(["", "", "", "備考", "特記事項", "参考", "担当者所見"])  # the last: a label no table knows
    return str(p["remarks"])


_FAMILY = ("山田", "佐藤", "長谷川", "中村", "小野寺", "林", "西村", "大久保")
_GIVEN = ("太郎", "恵子", "一", "健一郎", "真由美", "誠", "和彦", "さくら")
_MONITOR_TITLES = ("総合政策監", "危機管理監", "技監", "都市政策監", "健康福祉監")
_CHARGES = ("防災担当", "行財政健全化担当", "地域連携担当")


def draw_officer(rng: random.Random, position: str) -> Officer:
    """One officer cell written one of the ways the sheets write it, with what it says."""
    family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
    space = rng.choice([" ", "\u3000", ""]) if position != "監" else rng.choice([" ", "\u3000"])
    printed, name = f"{family}{space}{given}", f"{family} {given}" if space else family + given
    if position != "監":
        if position == "理事" and rng.random() < 0.4:
            charge = rng.choice(_CHARGES)
            return Officer(position, f"{printed}{rng.choice(['（%s）', '(%s)']) % charge}", name, charge=charge)
        return Officer(position, printed, name)
    title = rng.choice(_MONITOR_TITLES)
    way = rng.choice(["name (title)", "title name", "title name (charge)"])
    if way == "name (title)":
        return Officer(position, f"{printed}{rng.choice(['（%s）', '(%s)']) % title}", name, title)
    gap = rng.choice([" ", "\u3000"])
    if way == "title name":
        return Officer(position, f"{title}{gap}{printed}", name, title)
    charge = rng.choice(_CHARGES)
    return Officer(position, f"{title}{gap}{printed}{rng.choice(['（%s）', '(%s)']) % charge}", name, title, charge)


def _draw_officers(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """Half the variants get officers written the ways sheets write them (not only the samples' lines):
    a 部長, then up to three of 監 and 理事, names with a space, a full-width space or none."""
    p["officers"] = rng.choice(["samples", "drawn"])
    if p["officers"] == "samples":
        return
    d.officers = [draw_officer(rng, "部長")] + [draw_officer(rng, rng.choice(["監", "監", "理事"]))
                                            for _ in range(rng.randint(0, 3))]


_DEPARTMENT_LABELS = ("部名", "部局名", "所属部", "部　局")
_DEPUTIES = ("副部長", "次長", "参与", "参事")


def _draw_header_words(rng: random.Random, d: Department, p: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """One front sheet in four labels its department cell another way (部名, 部局名, 所属部); one in five
    names a deputy (副部長, 次長, 参与, 参事) after the 部長. Returns the label's spelling for the style."""
    p["department_label"] = rng.choice(_DEPARTMENT_LABELS) if rng.random() < 0.25 else ""
    p["deputy"] = rng.choice(_DEPUTIES) if rng.random() < 0.2 else ""
    if p["deputy"]:
        d.officers.insert(1, draw_officer(rng, str(p["deputy"])))
    return (("部", str(p["department_label"])),) if p["department_label"] else ()


def _share_an_officer_cell(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """One variant in four with two officers of one position in a row writes both into one cell,
    parted by a typed line break, 、 or a space (the rows the truth lists stay two)."""
    p["shared_officer"] = ""
    pairs = [k for k in range(1, len(d.officers) - 1) if d.officers[k].position == d.officers[k + 1].position]
    if not pairs or rng.random() >= 0.25:
        return
    k = rng.choice(pairs)
    sep = rng.choice(["\n", "、", "\u3000"])
    first, second = d.officers[k], d.officers[k + 1]
    d.officers[k] = replace(first, cell=first.cell + sep + second.cell)
    d.officers[k + 1] = replace(second, shared=True)
    p["shared_officer"] = {"\n": "line break", "、": "、", "\u3000": "space"}[sep]


_VOLUME_CITIES = ("柏原市", "八尾市", "藤井寺市")


def _draw_volume(rng: random.Random, first: Department, p: dict[str, object]) -> list[Department]:
    """A third of the PDF variants (reportlab, cid) and workbooks are compiled volumes: one to two
    more departments of the same year after the first, a running header naming the city (not
    printed in a workbook), page numbers, and sometimes a cover page (naming the city) and a 目次.
    Returns the departments after the first."""
    p["volume"] = 1
    if p["renderer"] not in _HAZARDOUS + ("xlsx",) or rng.random() >= 1 / 3:  # a workbook: a sheet per page
        return []
    more: list[Department] = []
    for _ in range(rng.randint(1, 2)):
        own = dict(p)  # the department's own draws (officers) stay out of the variant's params
        d = _draw_department(rng, own)
        _draw_officers(rng, d, own)
        if d.department not in {x.department for x in [first] + more}:
            more.append(d)
    if not more:
        return []
    p.update(volume=1 + len(more), volume_cover=rng.random() < 0.5, municipality=rng.choice(_VOLUME_CITIES))
    p["volume_toc"] = rng.random() < 0.5  # drawn last: the draws above stay as they were
    return more


def _draw_title_year(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """Two variants in five write the title's year another way: with the Western year beside the era
    (令和5（2023）年度, 2023（令和5）年度, 令和5年度（2023年度）), full-width digits, or spaced (令和 5 年度).
    The fiscal year and its label stay the era's (令和5年度)."""
    era, number = d.era_label[:2], d.era_label[2:].removesuffix("年度")
    year = d.fiscal_year
    ways = ("{era}{n}（{y}）年度", "{y}（{era}{n}）年度", "{era}{n}年度（{y}年度）", "{era}{wide}年度", "{era} {n} 年度")
    p["title_year"] = rng.choice(ways) if rng.random() < 0.4 else ""
    if p["title_year"]:
        d.title_year = str(p["title_year"]).format(era=era, n=number, y=year, wide=number.translate(_FULLWIDTH))


def _blank_a_goals_review(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """One year-end sheet in four leaves part of one goal's review blank (総合評価・総括, 全体の達成度
    or 今後検討すべきこと, one or more of them): the cells stand, nothing is written in them."""
    p["blank_review"] = ""
    reviewed = [g for g in d.goals if g.summary or g.overall_grade or g.next_steps]
    if not reviewed or rng.random() >= 0.25:
        return
    goal = rng.choice(reviewed)
    blanks = rng.choice([("summary",), ("overall_grade",), ("next_steps",), ("summary", "overall_grade"),
                         ("overall_grade", "next_steps"), ("summary", "overall_grade", "next_steps")])
    for name in blanks:
        setattr(goal, name, None)
    p["blank_review"] = "+".join(blanks)


_OVERVIEW_GRADE_HEADS = ("{era} 達成状況", "{era}達成度", "達成状況", "達成度", "{era} 評価", "{era} 達成状況・達成度", "達成状況及び達成度")


def _draw_overview_columns(rng: random.Random, departments: list[Department], p: dict[str, object]) -> tuple[str, bool]:
    """Two overviews in five head the goals' grades another way (達成度, 令和5年度達成度, 達成状況); one in
    six, as older sheets, has no 分野 column (the goals' fields are then unwritten).
    Returns (the grade column's label, whether a 分野 column stands)."""
    p["overview_grade_head"] = rng.choice(_OVERVIEW_GRADE_HEADS[1:]) if rng.random() < 0.4 else _OVERVIEW_GRADE_HEADS[0]
    p["field_column"] = rng.random() >= 1 / 6
    if not p["field_column"]:
        for g in (g for d in departments for g in d.goals):
            g.field = None
    return str(p["overview_grade_head"]), bool(p["field_column"])


def _draw_empty_mark(rng: random.Random, p: dict[str, object]) -> str:
    """One sheet in five marks the cells it leaves empty with a dash (－, ―, -, ー): nothing is written there."""
    p["empty_mark"] = rng.choice(["－", "―", "-", "ー"]) if rng.random() < 0.2 else ""
    return str(p["empty_mark"])


def _stack_targets(rng: random.Random, departments: list[Department], p: dict[str, object]) -> None:
    """One sheet in six (of those with goals of several targets) writes a goal's targets one under another
    across the sheet, each with its initiatives under it, instead of side by side."""
    p["stacked_targets"] = p["targets_choices"] != (1,) and rng.random() < 1 / 6
    for g in (g for d in departments for g in d.goals):
        g.stacked = bool(p["stacked_targets"])


_BUREAUS = ("上下水道局", "教育委員会事務局", "消防本部", "議会事務局", "会計室", "危機管理室")


def _draw_bureau(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """One sheet in eight is a bureau's or an office's (上下水道局, 教育委員会事務局, 消防本部, 会計室):
    a department whose name does not end in 部."""
    p["bureau"] = rng.random() < 1 / 8
    if p["bureau"]:
        d.department = rng.choice(_BUREAUS)


def _empty_a_target(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """Now and then leave one target beside others without initiatives (its column stays empty).

    Drawn with its own generator so every other draw of a seed stays as it was.
    """
    p["empty_target"] = False
    if rng.random() >= 0.25:
        return
    goals = [g for g in d.goals if len(g.targets) > 1 and sum(bool(t.initiatives) for t in g.targets) > 1]
    if goals:
        goal = rng.choice(goals)
        rng.choice([t for t in goal.targets if t.initiatives]).initiatives.clear()
        p["empty_target"] = True


# what people write inside the cells that looks like the sheet's own structure: numbering, label
# words in sentences, figures with units, Latin abbreviations; and departments no sample has
_NUMBERINGS = (("（{}）", "０１２３４５６７８９"), ("({})", "0123456789"), ("{}.", "0123456789"),
               ("{}", "⓪①②③④⑤⑥⑦⑧⑨"), ("・", ""))
_LABEL_SENTENCES = (
    "具体的取組の見直しを進め、所管室・課と連携して実施した。",
    "今年度の達成目標に対する達成度は、おおむね計画どおりであった。",
    "今後の課題として、総合評価・総括を踏まえた改善を図る。",
    "達成状況を毎月確認し、全体の達成度を高めた。",
)
_FIGURES = ("達成率85.3%（目標100%）", "参加者3,210人（前年度比112%）", "令和5年4月1日から実施", "事業費1,200千円",
            "ＤＸ推進計画に基づきICTを活用", "ＰＤＣＡサイクルによる進捗管理（年4回）")
_TITLE_FORMATS = ("{era} {department}の運営方針", "{era}　{department}　運営方針", "{department}の運営方針（{era}）",
                  "{era}部の運営方針【{department}】", "{department} {era} 部の運営方針")
_BARE_FIGURES = ("85.3%", "100%", "3,210", "12", "0.5")
_MORE_DEPARTMENTS = ("こども未来部", "産業観光部", "上下水道部", "危機管理部", "環境経済部")


def _draw_content(rng: random.Random, d: Department, p: dict[str, object]) -> None:
    """Two variants in five get cell texts a person writes that look like structure: initiatives
    numbered （１） ① 1. or ・, label words inside sentences, figures with units and Latin
    abbreviations, and a department name no sample has. Drawn with their own generator."""
    p["content"] = rng.random() < 0.4
    if not p["content"]:
        return
    if rng.random() < 0.5:
        d.department = rng.choice(_MORE_DEPARTMENTS)
    form, digits = rng.choice(_NUMBERINGS)
    for g in d.goals:
        for t in g.targets:
            for n, it in enumerate(t.initiatives, 1):
                mark = form.format(digits[n]) if digits and n < len(digits) else form.replace("{}", "")
                it.text = mark + it.text
    prose = [(g, "summary") for g in d.goals if g.summary] + [(g, "next_steps") for g in d.goals if g.next_steps] + \
        [(t, "status") for g in d.goals for t in g.targets if t.status] + \
        [(i, "results") for g in d.goals for t in g.targets for i in t.initiatives if i.results] + \
        [(t, "text") for g in d.goals for t in g.targets]
    for owner, key in rng.sample(prose, min(len(prose), rng.randint(1, 4))):
        extra = rng.choice(_LABEL_SENTENCES + _FIGURES)
        text = getattr(owner, key)
        setattr(owner, key, extra + text if rng.random() < 0.5 else text + extra)
    d.title_format = rng.choice(_TITLE_FORMATS)
    if rng.random() < 0.3:  # goals numbered ① ② … (NFKC reads them as 1, 2, …)
        for g in d.goals:
            g.no = "⓪①②③④⑤⑥⑦⑧⑨"[int(content.nfkc(g.no))]
    statuses = [t for g in d.goals for t in g.targets if t.status]
    if statuses and rng.random() < 0.5:  # a status that is a bare figure, as some sheets write it
        rng.choice(statuses).status = rng.choice(_BARE_FIGURES)


# how often a workbook variant holds each quirk of what its cells hold (raise one to force it)
# (clipped is drawn only when forced: plansheet names a text cut at its cell's edge, and reads it whole where the text
# layer holds it, since 2026-12-01; drawn at a rate, it would change what old seeds print)
CELL_QUIRKS = {"overflow": 0.2, "unshown": 0.2, "footnotes": 0.2, "ruby": 0.2, "struck": 0.2, "cell_fit": 0.2, "unseen_notes": 0.2,
               "clipped": 0.0}
# the renderers that print a spreadsheet: a workbook, Calc's printout, a PDF drawn as Excel prints it
CELL_QUIRK_RENDERERS = ("xlsx", "libreoffice", "reportlab", "cid")


# a formula's error codes as a spreadsheet prints them in its cell
FORMULA_ERRORS = ("#DIV/0!", "#VALUE!", "#N/A", "#REF!")


def _draw_cell_quirks(seed: int, index: int, departments: list[Department], p: dict[str, object]) -> None:
    """What a workbook's cells hold and how they store it, each from its own stream (drawn after every
    other draw, so the variants without them stay as they were; a parameter is set only when drawn, so
    their truth files stay byte for byte): ``overflow``, text typed into a box's first cell without
    merging or wrapping, printed across the empty cells right of it; ``unshown``, a year-end sheet's
    status or grade that the sheet prints as ``###`` (a number too wide for its column: not in a
    workbook, which stores the number) or as a formula's error (``#DIV/0!``): the value is not on the page."""
    if random.Random(f"{seed}-{index}-overflow").random() < CELL_QUIRKS["overflow"]:
        p["overflow"] = True
    rng = random.Random(f"{seed}-{index}-unshown")
    targets = [t for d in departments for g in d.goals for t in g.targets if t.status or t.grade]
    if not targets or rng.random() >= CELL_QUIRKS["unshown"]:
        return
    kinds = []
    for t in rng.sample(targets, min(len(targets), rng.randint(1, 2))):
        hashes = p["renderer"] != "xlsx" and rng.random() < 0.5
        if hashes or rng.random() < 0.6:  # the status: a figure too wide, or a formula's error
            t.status, t.status_shown = None, "#" * rng.randint(3, 12) if hashes else rng.choice(FORMULA_ERRORS)
            kinds.append("### status" if hashes else "error status")
        else:  # the grade a formula looks up
            t.grade, t.grade_shown = None, rng.choice(FORMULA_ERRORS)
            kinds.append("error grade")
    p["unshown"] = "+".join(sorted(set(kinds)))


# footnote marks after a figure or a sentence, and the 注 lines under a table that explain them
FOOTNOTE_MARKS = ("※1", "※", "＊", "*1", "（注1）", "¹", "¹", "²")
FOOTNOTE_NOTES = ("（注）数値は3月末時点の見込み。", "※1 数値は3月末時点の見込み。", "注：事業費は当初予算額を記載。",
                  "＊ 前年度の実績を含む。")
# the renderers that print a superscript as a small raised digit (the others print ¹ as the character)
RAISING_RENDERERS = ("reportlab", "cid", "writer", "xlsx", "libreoffice")


def _draw_footnotes(seed: int, index: int, departments: list[Department], p: dict[str, object]) -> tuple[str, bool]:
    """``footnotes`` (its own stream, set only when drawn): a few texts end in a footnote mark (※1, ＊,
    （注1）, a superscript ¹ printed small and raised where the renderer can), kept in the truth as printed,
    and a 注 line under each goal sheet's table that no field holds. Returns (the note, whether raised)."""
    rng = random.Random(f"{seed}-{index}-footnotes")
    if rng.random() >= CELL_QUIRKS["footnotes"]:
        return "", False
    texts = [(t, "status") for d in departments for g in d.goals for t in g.targets if t.status] + \
        [(t, "text") for d in departments for g in d.goals for t in g.targets] + \
        [(i, "results") for d in departments for g in d.goals for t in g.targets for i in t.initiatives if i.results]
    for owner, key in rng.sample(texts, min(len(texts), rng.randint(1, 3))):
        setattr(owner, key, getattr(owner, key) + rng.choice(FOOTNOTE_MARKS))
    note = rng.choice(FOOTNOTE_NOTES) if rng.random() < 0.6 else ""
    raised = p["renderer"] in RAISING_RENDERERS and rng.random() < 0.7
    p["footnotes"] = ("raised" if raised else "plain") + ("+note" if note else "")
    return note, raised


# readings a Word user adds as furigana (ルビ) over names: the drawn officers' and some departments'
READINGS = {"山田": "やまだ", "佐藤": "さとう", "長谷川": "はせがわ", "中村": "なかむら", "小野寺": "おのでら", "林": "はやし",
            "西村": "にしむら", "大久保": "おおくぼ", "太郎": "たろう", "恵子": "けいこ", "健一郎": "けんいちろう",
            "真由美": "まゆみ", "誠": "まこと", "和彦": "かずひこ", "政策推進部": "せいさくすいしんぶ",
            "健康福祉部": "けんこうふくしぶ", "市民生活部": "しみんせいかつぶ", "都市整備部": "としせいびぶ",
            "危機管理室": "ききかんりしつ", "人権推進課": "じんけんすいしんか"}
RUBY_RENDERERS = ("reportlab", "cid", "writer")  # a document whose words carry a phonetic guide, printed


def _draw_ruby(seed: int, index: int, p: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """``ruby`` (its own stream, set only when drawn): the names and departments of :data:`READINGS` printed
    with furigana above them (small kana that are no part of the text). Returns the (word, reading) pairs."""
    rng = random.Random(f"{seed}-{index}-ruby")
    if rng.random() >= CELL_QUIRKS["ruby"]:
        return ()
    words = rng.sample(sorted(READINGS), rng.randint(4, len(READINGS)))
    p["ruby"] = True
    return tuple(sorted(((w, READINGS[w]) for w in words), key=lambda wr: -len(wr[0])))  # longest first


# old wordings a department strikes through (取消線) before the new one, in a revised sheet
STRUCK_WORDINGS = ("年3回", "80%", "検討中", "前年度比10%増", "令和4年度実施予定", "（仮称）", "500人")
STRUCK_RENDERERS = ("reportlab", "cid", "writer", "xlsx", "libreoffice")


def _draw_struck(seed: int, index: int, p: dict[str, object]) -> None:
    """``struck`` (its own stream, set only when drawn): a revised sheet strikes an old wording through before
    the new text in a few cells (:func:`strike_cells` picks them once the pages are laid out)."""
    if random.Random(f"{seed}-{index}-struck").random() < CELL_QUIRKS["struck"]:
        p["struck"] = True


def strike_cells(variant: Variant, pages: list[layout.Page]) -> None:
    """Put a struck-through old wording before the text of one to three value cells (a target, an initiative,
    its results, a status) where the page still fits with it. The truth keeps the new text only: a reader of
    the sheet reads a struck wording as deleted."""
    rng = random.Random(f"{variant.name}-struck")
    measure = _measure()
    limit = layout.BODY_H * _ROOM.get(variant.renderer, 1.0)
    cells = [(page, c) for page in pages for row in page.rows for c in row.cells
             if c.role in ("target", "initiative", "results", "status") and c.text and not c.overflow]
    for page, cell in rng.sample(cells, min(len(cells), rng.randint(1, 3))):
        old = rng.choice(STRUCK_WORDINGS)
        text = cell.text
        cell.text, cell.struck = old + text, len(old)
        if layout.measure_rows(page, measure) > limit:
            cell.text, cell.struck = text, 0


# figures a sheet writes with a thousands comma, and where a typed line break may cut one
BROKEN_FIGURES = ("参加者は延べ3,210人", "事業費1,200千円", "相談件数は1,048件", "送付数8,214通")
CELL_FIT_RENDERERS = ("reportlab", "cid", "xlsx", "libreoffice", "writer", "text")


def _draw_cell_fit(seed: int, index: int, departments: list[Department], p: dict[str, object]) -> None:
    """``cell_fit`` (its own stream, set only when drawn): how a person made a text fit its cell: a typed line
    break inside a figure (``3,2`` / ``10人``: the truth is the figure whole, 3,210人) in one or two texts,
    and, in a spreadsheet, Excel's shrink to fit (:func:`shrink_cells`: one line in a much smaller font)."""
    rng = random.Random(f"{seed}-{index}-cell-fit")
    if rng.random() >= CELL_QUIRKS["cell_fit"]:
        return
    texts = [(t, "text") for d in departments for g in d.goals for t in g.targets] + \
        [(i, "results") for d in departments for g in d.goals for t in g.targets for i in t.initiatives if i.results]
    kinds = []
    if rng.random() < 0.7 and (p["renderer"] != "text" or p.get("text_csv")):  # a tab save unquoted: no typed breaks
        for owner, key in rng.sample(texts, min(len(texts), rng.randint(1, 2))):
            figure = rng.choice(BROKEN_FIGURES)
            cut = figure.index(",") + rng.randint(1, 2)  # inside the group after the comma
            setattr(owner, key, getattr(owner, key) + figure[:cut] + "\n" + figure[cut:] + "。")
        kinds.append("broken")
    if p["renderer"] in ("reportlab", "cid", "xlsx", "libreoffice") and (not kinds or rng.random() < 0.5):
        kinds.append("shrink")
    p["cell_fit"] = "+".join(kinds)


def shrink_cells(variant: Variant, pages: list[layout.Page]) -> None:
    """Excel's shrink to fit in one to three value cells (a target, an initiative, its results, a status) whose
    text is one paragraph: the text on one line in the font size that fits it (at least 45 % of its own)."""
    rng = random.Random(f"{variant.name}-shrink")
    measure = _measure()
    for page in pages:
        cells = [c for row in page.rows for c in row.cells if c.role in ("target", "initiative", "results", "status")
                 and c.text and "\n" not in c.text and not c.overflow and not c.struck and c.rowspan == 1]
        for cell in rng.sample(cells, min(len(cells), rng.randint(0, 2))):
            size = page.size_of(cell)
            room = page.span_w(cell.col, cell.span) - 2 * page.style.pad
            fits = round(size * room / measure(cell.text, size) * 0.95, 2)
            if 0.45 * size <= fits < size:
                cell.shrunk_to = fits


# the renderers that print a cell as Excel prints it (a workbook holds the whole text, whatever Excel prints)
CLIPPED_RENDERERS = ("reportlab", "cid", "xlsx")


def _draw_clipped(seed: int, index: int, p: dict[str, object]) -> None:
    """``clipped`` (its own stream, set only when drawn): a one-line text typed into a cell without wrapping, wider than
    the cell, beside a cell that holds text: Excel prints it cut at its cell's right line (the cell beside is not
    empty, so it does not run on over it). Printed to PDF, the text layer holds the whole text under a clipping path
    (``layer``) or only the characters that start inside the cell (``cut``): a reader of the page reads it short.
    :func:`clip_cells` picks the cells once the pages are laid out."""
    rng = random.Random(f"{seed}-{index}-clipped")
    if rng.random() < CELL_QUIRKS["clipped"]:
        p["clipped"] = "workbook" if p["renderer"] == "xlsx" else rng.choice(["layer", "cut"])


def clip_cells(variant: Variant, pages: list[layout.Page]) -> None:
    """``clipped``: one or two value cells of each goal sheet page (a target, a status, an initiative, its results)
    whose text, one paragraph, is wider than the cell, beside a cell of the same row that holds text, typed without
    wrapping: printed on one line, cut at the cell's right line (:func:`_draw_clipped`). The truth keeps the whole
    text, which the workbook holds."""
    rng = random.Random(f"{variant.name}-clipped")
    measure = _measure()
    mode = str(variant.params["clipped"])
    for page in pages:
        if page.windows:  # a sheet printed across pages: its windows, not its cells, cut the lines
            continue
        cells = []
        for row in page.rows:
            beside = {c.col: c for c in row.cells}
            for c in row.cells:
                neighbour = beside.get(c.col + c.span)
                if (c.role in ("target", "initiative", "results", "status") and c.text and "\n" not in c.text
                        and neighbour is not None and neighbour.text and c.rowspan == 1 and not c.overflow
                        and not c.struck and not c.shrunk_to and c.lines_shown == (0, None)
                        and measure(c.text, page.size_of(c)) + 2 * page.style.pad > page.span_w(c.col, c.span) + 10):
                    cells.append(c)
        for cell in rng.sample(cells, min(len(cells), rng.randint(1, 2))):
            cell.clipped = mode


def unshown_fields(variant: Variant) -> list[dict[str, object]]:
    """The status and grade fields the variant prints as ``###`` or a formula's error (``unshown``), as
    (doc, goal_no, target_no, field): their truth is None and a warning must name each."""
    return [{"doc": n, "goal_no": int(content.nfkc(g.no) or 0), "target_no": k, "field": name}
            for n, d in enumerate(variant.departments, 1) for g in d.goals for k, t in enumerate(g.targets, 1)
            for name, shown in (("status", t.status_shown), ("grade", t.grade_shown)) if shown]


def _draw_page_scale(rng: random.Random, rotate: int) -> str:
    """How the sheet was printed (one variant in four): shrunk to fit, enlarged onto A3, at its own size on A3,
    or on a page whose MediaBox does not start at (0, 0) (not with a turned page, which assumes it does)."""
    kinds = ["fit", "a3", "a3_plain"] + ([] if rotate else ["origin"])
    return rng.choice(kinds) if rng.random() < 0.25 else ""


# how often each axis of the printed page is drawn (a run may raise one to force it: tests, diagnosis)
# n_up is drawn only when forced: two to a sheet still reads wrong on some variants (bench/README.md, 2026-11-30)
PRINTED_RATES = {"print_titles": 0.2, "page_marks": 0.25, "n_up": 0.0, "n_up_4": 0.0, "across": 0.2,
                 "across_titles": 0.1, "row_split": 0.2}
_PRINTS = ("reportlab", "cid", "chromium", "libreoffice", "writer", "scan")  # renderers that print pages


def _draw_print_titles(rng: random.Random, p: dict[str, object]) -> str:
    """One printed sheet in five repeats the front sheet's top rows atop every later page (Excel's rows to
    repeat at top): the title, the 部 | 部長 row, both, or both and the 【基本方針】 (``layout.PRINT_TITLES``)."""
    if rng.random() >= PRINTED_RATES["print_titles"]:
        return ""  # set only when drawn: the truth files of the variants without it stay byte for byte
    p["print_titles"] = rng.choice(layout.PRINT_TITLES)
    return str(p["print_titles"])


# printers whose pages the fuzzer lays out, a row cut at any line (Chromium prints each part as the layout cut it)
SPLIT_RENDERERS = ("reportlab", "cid", "chromium")


def _draw_row_split(rng: random.Random, p: dict[str, object]) -> int:
    """``row_split`` (one printed sheet in five of those it may be drawn for): a goal sheet's page breaks inside a row
    of initiative texts or their results, as Writer breaks a table row (its default) and a tall row runs on, the
    first one or two lines at the page's foot, the rest at the next page's top, under the table's first rows repeated
    there (none, the 部 row, or it and the 重点目標 row: Writer's repeated heading). Not with pages several to a sheet
    or a sheet printed across pages. Returns the rows repeated (0 when not drawn)."""
    if p.get("n_up") or p.get("across") or rng.random() >= PRINTED_RATES["row_split"]:
        return 0
    which, lines, header = rng.choice(["initiative", "results"]), rng.choice([1, 1, 2]), rng.choice([0, 1, 2])
    if which == "results" and p["stage"] != "result":
        which = "initiative"
    p["row_split"] = f"{which}|{lines}|{header}"
    return header


def _draw_n_up(rng: random.Random, p: dict[str, object], four: random.Random) -> None:
    """A printed PDF (not turned, not printed at another size) with its pages printed two to a sheet, side by side
    on A4 or on A3 (``render_pdf.N_UP``), at the rate ``PRINTED_RATES["n_up"]`` (none unless forced), or, drawn
    from ``four`` at the rate ``PRINTED_RATES["n_up_4"]``, four to a sheet in two rows of two."""
    if p.get("rotate") or p.get("page_scale"):
        return
    if rng.random() < PRINTED_RATES["n_up"]:
        p["n_up"] = rng.choice(["2", "2", "2a3"])
    if four.random() < PRINTED_RATES["n_up_4"]:
        p["n_up"] = "4"


ACROSS_RENDERERS = ("reportlab", "cid")  # the printers whose pages the fuzzer draws itself, a sheet cut at any column


def _draw_across(rng: random.Random, departments: list[Department], p: dict[str, object],
                 style: layout.Style, titles: random.Random) -> layout.Style:
    """A printed sheet whose goal sheets are too wide for the paper, printed across pages as Excel prints a sheet at
    100 % (``layout.printed_across``), in Excel's page order 上から下 (down, then over: its default) or 左から右 (over,
    then down): one in five of those it may be drawn for with each target side by side a page wide (``across_share``
    of the body), one a page across; one in ten of the others (drawn from ``titles``) narrower, its label column
    printed again at the left of each page across (列の印刷タイトル), the break inside the second target's columns.
    Not with print titles, pages several to a sheet or a sheet printed at another size (fit to page would have
    shrunk it)."""
    goals = [g for d in departments for g in d.goals if len(g.targets) > 1 and not g.stacks_targets]
    if p.get("print_titles") or p.get("n_up") or p.get("page_scale") or not goals:
        return style
    if rng.random() < PRINTED_RATES["across"]:
        share, over, repeat = round(rng.uniform(0.93, 0.99), 3), rng.random() < 0.4, False
    elif titles.random() < PRINTED_RATES["across_titles"]:
        share, over, repeat = round(titles.uniform(0.6, 0.8), 3), titles.random() < 0.4, True
    else:
        return style
    drawn = replace(style, across_share=share, across_titles=int(repeat))
    for g in goals:
        widths = layout._column_widths(len(g.targets), drawn, 2)
        g.across, g.over_first = len(layout.columns_across(widths, drawn.across_titles)), over
    p["across"] = f"{share}|{'over' if over else 'down'}" + ("|titles" if repeat else "")
    return drawn


def _n_up_truth(expected: dict, parts: list[tuple[Department, int, str | None]], per_sheet: int) -> None:
    """The truth of pages printed ``per_sheet`` to a sheet: every page the sheet it is printed on, and each
    department's page count the sheets its pages are on."""
    sheet = lambda page: None if page is None else (page - 1) // per_sheet + 1  # noqa: E731
    expected["meta"]["pages"] = sheet(expected["meta"]["pages"])
    for table in ("goals", "targets", "initiatives"):
        for row in expected[table]:
            row["page"] = sheet(row["page"])
    for row, (d, first, _) in zip(expected["documents"], parts, strict=True):
        row["page_count"] = len({sheet(first + k) for k in range(truth.page_count(d))})


# what Excel users write into a page's header and footer (&F, &A, &D, &P of the page setup, and words)
_MARKS = {
    "path": "\\\\fs01\\{section}\\{era}\\{era}運営方針（{department}）.xlsx",
    "file": "{era}運営方針_{department}.xlsx",
    "sheet": "{sheet}",
    "printed": "印刷日：2024/3/{day}",
    "printed_at": "印刷日時 2024/03/{day:02d} 9:{minute:02d}",
    "confidential": "取扱注意",
    "internal": "【庁内限り】",
    "department": "{department}",
    "page": "{n}",
    "page_of": "{n} / {total}",
    "page_word": "{n}ページ",
}
_MARK_SECTIONS = ("企画課", "総務課", "政策推進課")


def _draw_page_marks(rng: random.Random, p: dict[str, object]) -> None:
    """One printed sheet in four has a header and a footer its user wrote (what they hold, drawn from
    ``_MARKS``: a file path or name, the sheet's name, a printing date, 取扱注意, the department; a page
    number), each part at the left, centre or right, at a height of its own. Recorded in ``p``."""
    if rng.random() >= PRINTED_RATES["page_marks"]:
        return
    heads = rng.sample(["path", "file", "sheet", "printed", "printed_at", "confidential", "internal", "department"],
                       rng.randint(1, 3))
    feet = rng.sample(["page", "page_of", "page_word", "printed", "department", "file"], rng.randint(1, 2))
    places = [f"{k}@{a}" for k, a in zip(heads, rng.sample(["left", "center", "right"], len(heads)))]
    places += [f"{k}@{a}" for k, a in zip(feet, rng.sample(["left", "center", "right"], len(feet)))]
    p["page_marks"] = "+".join(places[:len(heads)]) + "|" + "+".join(places[len(heads):])
    p["page_marks_at"] = f"{rng.choice([8, 14, 20, 26])}|{rng.choice([8, 14, 20, 26])}"
    p["page_marks_section"] = rng.choice(_MARK_SECTIONS)


def _mark_pages(pages: list[layout.Page], departments: list[Department], p: dict[str, object]) -> None:
    """Write the drawn header and footer (``_draw_page_marks``) onto every page; they replace a header or footer
    ``print_furniture`` drew, and keep off a volume's running header and page number."""
    heads, feet = (part.split("+") if part else [] for part in str(p["page_marks"]).split("|"))
    top, bottom = (float(x) for x in str(p["page_marks_at"]).split("|"))
    era = departments[0].era_label
    department = departments[0].department
    for n, page in enumerate(pages, 1):
        if int(p.get("volume", 1)) == 1:  # a single sheet's header and footer come from print_furniture alone
            page.header = page.footer = None
        department = _page_department(page, departments, department)
        values = dict(section=p["page_marks_section"], era=era, department=department, sheet=page.name, day=n,
                      minute=n * 7 % 60, n=n, total=len(pages))
        marks = []
        for kinds, at in ((heads, top), (feet, -bottom)):
            for item in kinds:
                kind, align = item.split("@")
                if page.header and at >= 0 and align == "right" or page.footer and at < 0 and align == "center":
                    continue  # the volume's own header and page number stand there
                marks.append((_MARKS[kind].format(**values), align, at))
        page.marks = tuple(marks)


def _page_department(page: layout.Page, departments: list[Department], current: str) -> str:
    """The department a page belongs to: the one whose name its first rows print, else the page before's."""
    texts = {c.text for row in page.rows[:4] for c in row.cells if c.text}
    return next((d.department for d in departments if d.department in texts), current)


def draw(seed: int, index: int, renderers: tuple[str, ...] = RENDERERS) -> Variant:
    """The ``index``-th variant of run ``seed`` (the same pair always gives the same variant)."""
    rng = random.Random(f"{seed}-{index}")
    renderer = rng.choice(renderers)
    p: dict[str, object] = {
        "renderer": renderer,
        "stage": rng.choice(["plan", "result"]),
        "wording": rng.choice(["new", "old"]),
        "era": rng.randrange(len(_ERAS)),
        "legend": rng.choice(["standard", "reiwa1"]),
        "goals": rng.randint(1, 5),
        "targets_choices": rng.choice([(1,), (1, 2), (1, 2, 3), (2,)]),
        "empty_cell_rate": rng.choice([0.0, 0.0, 0.15]),
        "fullwidth_grades": rng.random() < 0.3,
        "fullwidth_numbers": rng.random() < 0.3,
        "plan_column": rng.random() < 0.7,
        "font_size": round(rng.uniform(7.5, 10.5), 1),
        "pad": round(rng.uniform(0.8, 4.0), 1),
        "width_scale": round(rng.uniform(0.8, 1.3), 2),
        "kinsoku": rng.random() < 0.5,
        "hanging": rng.random() < 0.3,
        "overview": rng.choice(["pairs", "header_once", "header_repeated"]),
        "overview_head": rng.choice(["No.", "goal_word"]),
        "number_rowspan": rng.choice([1, 2]),
        "export_mode": rng.choice(["grid", "stacked", "blocks"]) if renderer == "text" else None,
        "page_break": renderer != "text" and rng.random() < 0.3,
    }
    if renderer == "scan":  # how the scanner saw it (drawn last: the other renderers' draws stay as they were)
        p.update(scan_dpi=rng.choice([150, 200, 200, 300]), scan_skew_deg=round(rng.uniform(-2.0, 2.0), 2),
                 scan_blur_sigma=round(rng.uniform(0.5, 1.2), 2), scan_noise_sd=round(rng.uniform(1.5, 6.0), 2),
                 scan_jpeg_quality=rng.randint(50, 75), scan_seed=rng.randrange(2 ** 31))
    if renderer in _HAZARDOUS:  # how the producer wrote the text layer (its own stream: the draws above stay)
        hazards = random.Random(f"{seed}-{index}-hazards")
        p.update(radicals=renderer == "reportlab" and hazards.random() < 0.4,
                 draw_order=hazards.choice(["rows", "rows", "columns", "shuffled"]),
                 distributed_labels=hazards.random() < 0.4, rotate=hazards.choice([0, 0, 0, 90, 270]),
                 decomposed=renderer == "reportlab" and hazards.random() < 0.25,  # a CID font's CMap has no marks
                 bold_labels=hazards.random() < 0.3, underlines=hazards.random() < 0.3,
                 watermark=hazards.choice(["", "", "", "案", "（案）", "写", "公表用"]),
                 print_furniture=hazards.random() < 0.3)
        p["glyph_order"] = random.Random(f"{seed}-{index}-glyph-order").choice(["", "", "", "reversed", "shuffled"])
        p["page_scale"] = _draw_page_scale(random.Random(f"{seed}-{index}-page-scale"), int(p["rotate"]))  # type: ignore[call-overload]
    if p["overview"] == "pairs" and not p["plan_column"]:
        p["plan_column"] = True  # the two-row overview always has its 目標 cell
    d = _draw_department(rng, p)
    _draw_officers(random.Random(f"{seed}-{index}-officers"), d, p)
    header_words = _draw_header_words(random.Random(f"{seed}-{index}-header-words"), d, p)
    _share_an_officer_cell(random.Random(f"{seed}-{index}-shared-officer"), d, p)
    volume = _draw_volume(random.Random(f"{seed}-{index}-volume"), d, p)
    writing.draw_era(random.Random(f"{seed}-{index}-era-old"), [d] + volume, p)
    writing.draw_officer_posts(random.Random(f"{seed}-{index}-officer-posts"), d, p)
    _empty_a_target(random.Random(f"{seed}-{index}-empty-target"), d, p)
    _draw_title_year(random.Random(f"{seed}-{index}-title-year"), d, p)
    _blank_a_goals_review(random.Random(f"{seed}-{index}-blank-review"), d, p)
    grade_head, field_column = _draw_overview_columns(random.Random(f"{seed}-{index}-overview-columns"), [d] + volume, p)
    _stack_targets(random.Random(f"{seed}-{index}-stacked"), [d] + volume, p)
    _draw_bureau(random.Random(f"{seed}-{index}-bureau"), d, p)
    _draw_content(random.Random(f"{seed}-{index}-content"), d, p)
    if renderer == "text":  # how the export was saved (its own stream)
        saved = random.Random(f"{seed}-{index}-saved")
        p["text_encoding"] = saved.choice(["utf-8", "utf-8-sig", "cp932", "utf-16"])
        p["text_newline"] = saved.choice(["\n", "\r\n"])
        p["text_quoted"] = saved.random() < 0.4  # a cell with line breaks written as one quoted field
        p["text_csv"] = saved.random() < 0.3  # the same rows saved as CSV
        writing.draw_text_spacing(random.Random(f"{seed}-{index}-text-spacing"),
                                  random.Random(f"{seed}-{index}-text-blanks"), p)
    if renderer in ("xlsx", "libreoffice"):  # what the workbook holds and hides, how it stores numbers
        workbook = random.Random(f"{seed}-{index}-hidden")
        p["hidden_notes"] = workbook.random() < 0.4
        p["typed_numbers"] = workbook.random() < 0.5
    if renderer in CELL_QUIRK_RENDERERS:
        _draw_cell_quirks(seed, index, [d] + volume, p)
    note, raised = _draw_footnotes(seed, index, [d] + volume, p) if renderer not in ("html", "scan") else ("", False)
    ruby = _draw_ruby(seed, index, p) if renderer in RUBY_RENDERERS else ()
    if renderer in STRUCK_RENDERERS:
        _draw_struck(seed, index, p)
    if renderer in CELL_FIT_RENDERERS:
        _draw_cell_fit(seed, index, [d] + volume, p)
    if renderer in CLIPPED_RENDERERS:
        _draw_clipped(seed, index, p)
    if renderer == "xlsx" and random.Random(f"{seed}-{index}-unseen-notes").random() < CELL_QUIRKS["unseen_notes"]:
        p["unseen_notes"] = True  # a note in white font and a comment: in the workbook, not on its printout
    style = layout.Style(font_size=float(p["font_size"]), leading=round(float(p["font_size"]) * 1.3, 1),  # type: ignore[arg-type]
                         pad=float(p["pad"]), width_scale=float(p["width_scale"]), kinsoku=bool(p["kinsoku"]),  # type: ignore[arg-type]
                         hanging=bool(p["hanging"]) and not p["kinsoku"],
                         overview=str(p["overview"]), overview_head=str(p["overview_head"]),
                         plan_column=bool(p["plan_column"]), number_rowspan=int(p["number_rowspan"]),  # type: ignore[arg-type]
                         labels=_draw_labels(random.Random(f"{seed}-{index}-labels"), p) + header_words,
                         remarks=_draw_remarks(random.Random(f"{seed}-{index}-remarks"), p),
                         legend_table=_draw_legend_table(random.Random(f"{seed}-{index}-legend"), p),
                         side_labels=_draw_side_labels(random.Random(f"{seed}-{index}-side"), p),
                         goal_heading=_draw_goal_heading(random.Random(f"{seed}-{index}-heading"), p),
                         status_head=_draw_status_head(random.Random(f"{seed}-{index}-status-head"), p),
                         overview_grade_head=grade_head, field_column=field_column,
                         empty_mark=_draw_empty_mark(random.Random(f"{seed}-{index}-empty-mark"), p),
                         note=note, raised_marks=raised, ruby=ruby)
    if renderer in _PRINTS:  # how the page was printed (each axis its own stream, drawn after the others)
        style = replace(style, print_titles=_draw_print_titles(random.Random(f"{seed}-{index}-print-titles"), p))
        if renderer in ("reportlab", "cid", "libreoffice"):  # a header and footer its user wrote
            _draw_page_marks(random.Random(f"{seed}-{index}-page-marks"), p)
        if renderer != "scan":  # the pages printed several to a sheet
            _draw_n_up(random.Random(f"{seed}-{index}-n-up"), p, random.Random(f"{seed}-{index}-n-up-4"))
        if renderer in ACROSS_RENDERERS:  # goal sheets too wide for the paper, printed across pages
            style = _draw_across(random.Random(f"{seed}-{index}-across"), [d] + volume, p, style,
                                 random.Random(f"{seed}-{index}-across-titles"))
        if renderer in SPLIT_RENDERERS:  # a row broken across pages
            style = replace(style, split_header=_draw_row_split(random.Random(f"{seed}-{index}-row-split"), p))
    # how the labels and texts were typed (each its own stream, drawn after every other)
    writing.draw_label_marks(random.Random(f"{seed}-{index}-label-marks"), renderer, p)
    writing.draw_body_radicals(random.Random(f"{seed}-{index}-body-radicals"), renderer, p)
    writing.draw_wide_numbers(random.Random(f"{seed}-{index}-wide-numbers"), p)
    # how the sheet words its sections, and cells holding two of its parts (each its own stream, drawn last)
    worded = wording.draw_label_wording(random.Random(f"{seed}-{index}-label-wording"), [d] + volume, p)
    if worded:
        style = replace(style, labels=style.labels + worded)
    wording.draw_two_section_cells(random.Random(f"{seed}-{index}-two-section-cells"), p)
    added = extras.draw_unknown_structure(random.Random(f"{seed}-{index}-unknown-structure"), p, style.side_labels,
                                          style.status_head)
    if added:
        style = replace(style, extras=added)
    name = f"{seed}-{index:04d}-{renderer}" + (f"-{p['export_mode']}" if p["export_mode"] else "")
    return Variant(name, d, style, renderer, p["export_mode"], p, volume)  # type: ignore[arg-type]


def _measure():
    from reportlab.pdfbase import pdfmetrics

    from samples.generate.render_pdf import register
    fname = register("ipaex")
    return lambda s, size: pdfmetrics.stringWidth(s, fname, size)


_ROOM = {"chromium": 0.8, "writer": 0.85}  # renderers that lay out text themselves: the share of a page drawn


def fit(variant: Variant) -> None:
    """Make every page fit an A4 sheet: break long goals over two pages, drop what still overflows."""
    for d in variant.departments:
        _fit_department(variant, d)


def _fit_department(variant: Variant, d: Department) -> None:
    """:func:`fit` for one department of the variant."""
    measure = _measure()
    style = variant.style
    # a browser lays out with its own font and line boxes: leave it room, so pages break as drawn
    limit = layout.BODY_H * _ROOM.get(variant.renderer, 1.0)
    while len(d.goals) > 1 and layout.measure_rows(layout.front_page(d, style), measure) > limit:
        d.goals.pop()
    for g in d.goals:
        stacked = g.stacks_targets  # a break falls before a target, not before a row of initiatives
        wanted = variant.params.get("page_break") and (stacked or max(len(t.initiatives) for t in g.targets) >= 2)
        g.break_before = g.split = None
        while True:
            rows = len(g.targets) if stacked else max(len(t.initiatives) for t in g.targets)
            options = [None] + list(range(1, rows))
            if wanted:
                options = options[1:] + [None]
            fitting = [b for b in options if all(layout.measure_rows(pg, measure) <= limit
                                                 for pg in layout.goal_pages(d, replace(g, break_before=b), style))]
            if fitting:
                g.break_before = fitting[0]
                break
            longest = max(g.targets, key=lambda t: len(t.initiatives))
            if len(longest.initiatives) > 1:
                longest.initiatives.pop()
            elif len(longest.text) > 2:
                longest.text = longest.text[: len(longest.text) // 2] + "。"
            else:
                _shorten_longest_text(g, variant.name)
    if variant.params.get("row_split"):
        _split_a_row(variant, d, measure, limit)
    if variant.renderer == "text":
        for g in d.goals:
            g.break_before = None


def _split_a_row(variant: Variant, d: Department, measure: Callable[[str, float], float], limit: float) -> None:
    """``row_split``: break one goal sheet's page inside a row of initiative texts (or their results, where drawn and
    long enough) that runs over two lines or more, after its first one or two, where both pages still fit: in the
    row just before the sheet's page break, or (a sheet that fits one page) in any row. A goal whose targets stand
    side by side, or one; the split drawn is written into ``params`` (``row_split_at``)."""
    which, most, _ = str(variant.params["row_split"]).split("|")
    rng = random.Random(f"{variant.name}-{d.department}-row-split")
    for g in rng.sample(d.goals, len(d.goals)):
        if g.stacks_targets or g.across > 1:
            continue
        pages = layout.goal_pages(d, g, variant.style)
        count = max(len(t.initiatives) for t in g.targets)
        was = g.break_before
        for key, name in ((("results", "results"), ("text", "initiative")) if which == "results"
                          else (("text", "initiative"),)):
            for i in rng.sample(range(count), count) if was is None else [was - 1]:
                longest = max((len(pages[0].lines_of(_text_cell(pages, getattr(t.initiatives[i], key)), measure))
                               for t in g.targets if i < len(t.initiatives)), default=0)
                if longest < 2:
                    continue
                g.split, g.break_before = (i, name, min(int(most), longest - 1)), i + 1
                if all(layout.measure_rows(pg, measure) <= limit for pg in layout.goal_pages(d, g, variant.style)):
                    variant.params["row_split_at"] = f"{g.no}|{i}|{name}|{g.split[2]}"
                    return
                g.split, g.break_before = None, was


def _cut_split_texts(pages: list[layout.Page]) -> None:
    """A row broken across pages (``row_split``) for a printer that breaks lines itself (Chromium): each part's
    cell holds the lines of the text the layout gives that part, as a text of its own."""
    measure = _measure()
    for page in pages:
        for row in page.rows:
            for cell in row.cells:
                if cell.lines_shown != (0, None) and cell.text:
                    cell.text = "".join(page.lines_of(cell, measure)) or None
                    cell.lines_shown = (0, None)


def _text_cell(pages: list[layout.Page], text: str | None) -> layout.Cell:
    """The cell of ``pages`` whose text is ``text`` (an empty stand-in when none holds it)."""
    return next((c for page in pages for row in page.rows for c in row.cells if text and c.text == text),
                layout.Cell(0, 1, None))


_FOOTERS = ("{n}", "({n})", "- {n} -", "{n}/{total}", "P.{n}")


def _volume_pages(variant: Variant) -> tuple[list[layout.Page], list[tuple[Department, int, str | None]]]:
    """The variant's pages, and (department, 1-based front page, municipality) for each department:
    a compiled volume gets its cover, running headers and page numbers."""
    p = variant.params
    # how the page numbers are written: half the time the usual form, else a bare number, (n), - n -, n/N or P.n
    forms = random.Random(f"{variant.name}-footer")
    if int(p.get("volume", 1)) == 1:
        pages = layout.department_pages(variant.department, variant.style)
        if p.get("print_furniture"):  # what a spreadsheet prints in its page header and footer
            d = variant.department
            footer = "{n}/{total}" if forms.random() < 0.5 else forms.choice(_FOOTERS)
            for n, page in enumerate(pages, 1):
                page.header = f"{d.era_label}運営方針（{d.department}）.xlsx　印刷日：2024/3/{n}"
                page.footer = footer.format(n=n, total=len(pages))
        return pages, [(variant.department, 1, None)]
    city = str(p["municipality"])
    pages: list[layout.Page] = []
    if p.get("volume_cover"):
        cover = [layout.gap(150), layout.Row([layout.Cell(0, 1, "部の運営方針", "title", border=False, size=24.0,
                                                          align="center")]), layout.gap(18),
                 layout.Row([layout.Cell(0, 1, city, "title", border=False, size=16.0, align="center")])]
        pages.append(layout.Page("表紙", [layout.BODY_W], cover))
    if p.get("volume_toc"):
        pages.append(_contents_page(variant.departments, len(pages) + 2))
    parts: list[tuple[Department, int, str | None]] = []
    # a workbook prints no running header: only its cover names the city
    named = city if variant.renderer != "xlsx" or p.get("volume_cover") else None
    for d in variant.departments:
        parts.append((d, len(pages) + 1, named))
        for page in layout.department_pages(d, variant.style):
            page.header = f"{city} {d.era_label} 部の運営方針"
            pages.append(page)
    footer = "- {n} -" if forms.random() < 0.5 else forms.choice(_FOOTERS)
    for n, page in enumerate(pages, 1):
        if page.name not in ("表紙", "目次"):
            page.footer = footer.format(n=n, total=len(pages))
    return pages, parts


def _printed_pages(variant: Variant) -> tuple[list[layout.Page], list[tuple[Department, int, str | None]]]:
    """:func:`_volume_pages` with the header and footer the variant's user wrote (``page_marks``)."""
    pages, parts = _volume_pages(variant)
    if variant.params.get("page_marks"):
        _mark_pages(pages, variant.departments, variant.params)
    return pages, parts


def _contents_page(departments: list[Department], first_page: int) -> layout.Page:
    """A compiled volume's 目次: each department's name, its sheet's title and its first page
    (the words a department's own front page holds, on a page that is none)."""
    rows = [layout.gap(60), layout.Row([layout.Cell(0, 3, "目次", "title", border=False, size=16.0, align="center")]),
            layout.gap(18)]
    page = first_page
    for n, d in enumerate(departments, 1):
        rows.append(layout.Row([layout.Cell(0, 1, str(n), border=False), layout.Cell(1, 1, f"{d.department}　{d.title}",
                                                                                   border=False),
                                layout.Cell(2, 1, str(page), border=False, align="center")]))
        page += truth.page_count(d)
    return layout.Page("目次", [40.0, layout.BODY_W - 100.0, 60.0], rows)


UnfitVariant = layout.UnfitVariant  # the renderer did not print the variant as laid out (a sheet ran over its page)


def _shorten_longest_text(g: Goal, name: str) -> None:
    """Halve the goal's longest prose cell (summary, next steps, a status, an initiative or its results)."""
    cells = [(g, "summary"), (g, "next_steps")] + [(t, "status") for t in g.targets] + \
        [(i, k) for t in g.targets for i in t.initiatives for k in ("text", "results")]
    owner, key = max(cells, key=lambda c: len(getattr(c[0], c[1]) or ""))
    text = getattr(owner, key) or ""
    if len(text) <= 2:
        raise UnfitVariant(f"{name}: goal {g.no} does not fit a page even with its texts cut short")
    setattr(owner, key, text[: len(text) // 2] + "。")


def _through(tmp: Path, write: Callable[[Path], object], convert: Callable[[Path], object]) -> None:
    """Write an intermediate file ``tmp`` (a workbook, a Word document, a page), convert it, remove it."""
    try:
        write(tmp)
        convert(tmp)
    finally:
        tmp.unlink(missing_ok=True)


# renderers that print an intermediate file to PDF with an outside tool:
# renderer: (generator module, intermediate suffix, its writer, its printer)
_PRINTED = {
    "libreoffice": ("render_xlsx", "xlsx", "write_workbook", "libreoffice_pdf"),
    "writer": ("render_docx", "docx", "write_docx", "writer_pdf"),
    "chromium": ("render_html", "html", "write_html", "chromium_pdf"),
}


def render(variant: Variant, folder: Path) -> tuple[Path, dict]:
    """Write the variant's file and its truth JSON into ``folder``; return the file and the truth."""
    fit(variant)
    d = variant.department
    pages, parts = _printed_pages(variant)
    if variant.params.get("struck"):
        strike_cells(variant, pages)
    if "shrink" in str(variant.params.get("cell_fit", "")):
        shrink_cells(variant, pages)
    if variant.params.get("clipped"):
        clip_cells(variant, pages)
    if variant.params.get("two_section_cells"):
        wording.share_cells(pages, tuple(str(variant.params["two_section_cells"]).split("+")), variant.name)
    if variant.params.get("label_marks"):
        writing.mark_labels(pages, tuple(str(variant.params["label_marks"]).split("+")), variant.name, _measure())
    if variant.params.get("body_radicals"):
        writing.radical_cells(pages, variant.name)
    if variant.params.get("wide_numbers"):
        writing.widen_numbers(pages, variant.departments)
    if variant.renderer == "chromium" and variant.params.get("row_split"):
        _cut_split_texts(pages)
    if variant.renderer == "text":
        from samples.generate.render_text import write_text_export
        comma = bool(variant.params.get("text_csv"))
        out = folder / f"{variant.name}.{'csv' if comma else 'txt'}"
        write_text_export(pages, out, str(variant.export_mode), str(variant.params.get("text_encoding", "utf-8")),
                          str(variant.params.get("text_newline", "\n")), bool(variant.params.get("text_quoted")), comma,
                          str(variant.params.get("text_spacing") or ""), str(variant.params.get("text_blanks") or ""),
                          variant.name)
        fmt, method = "txt", "text_export"
    elif variant.renderer == "html":  # the page Chromium would print, read as it is (an Excel web page save)
        from samples.generate.render_html import write_html
        out = folder / f"{variant.name}.html"
        write_html(pages, out, d.title)
        fmt, method = "txt", "text_export"
    elif variant.renderer == "xlsx":
        from samples.generate.render_xlsx import write_workbook
        out = folder / f"{variant.name}.xlsx"
        write_workbook(pages, out, d.title, hidden_notes=bool(variant.params.get("hidden_notes")),
                       typed_numbers=bool(variant.params.get("typed_numbers")), overflow=bool(variant.params.get("overflow")),
                       unseen_notes=bool(variant.params.get("unseen_notes")))
        fmt, method = "xlsx", "workbook"
    elif variant.renderer in _PRINTED:
        import importlib

        module, suffix, writer, printer = _PRINTED[variant.renderer]
        mod = importlib.import_module(f"samples.generate.{module}")
        out = folder / f"{variant.name}.pdf"
        options = {k: True for k in ("hidden_notes", "typed_numbers", "overflow") if variant.params.get(k)}
        _through(folder / f"{variant.name}.tmp.{suffix}", lambda tmp: getattr(mod, writer)(pages, tmp, d.title, **options),
                 lambda tmp: getattr(mod, printer)(tmp, out))
        fmt, method = "pdf", "text_layer"
    elif variant.renderer == "scan":
        from samples.generate.hardscan import ScanParams, scan_with
        from samples.generate.render_pdf import draw_pages
        out = folder / f"{variant.name}.pdf"
        scanner = {k[len("scan_"):]: v for k, v in variant.params.items() if k.startswith("scan_")}
        seed = int(scanner.pop("seed"))  # type: ignore[call-overload]
        _through(folder / f"{variant.name}.tmp.pdf", lambda tmp: draw_pages(pages, tmp, "ipaex", d.title),
                 lambda tmp: scan_with(tmp, out, ScanParams(**scanner), seed))  # type: ignore[arg-type]
        fmt, method = "pdf", "ocr"
    else:
        from samples.generate.render_pdf import Hazards, draw_pages
        out = folder / f"{variant.name}.pdf"
        p = variant.params
        if p.get("overflow"):  # as Excel prints a sheet typed without merging or wrapping
            measure = _measure()
            for page in pages:
                layout.mark_overflow(page, measure, f"{variant.name}-{page.name}-overflow")
        hazards = Hazards(radicals=bool(p.get("radicals")), order=str(p.get("draw_order", "rows")),
                          distributed_labels=bool(p.get("distributed_labels")), rotate=int(p.get("rotate", 0)),
                          decomposed=bool(p.get("decomposed")), bold_labels=bool(p.get("bold_labels")), underlines=bool(p.get("underlines")),
                          watermark=str(p.get("watermark") or ""), glyph_order=str(p.get("glyph_order") or ""),
                          page_scale=str(p.get("page_scale") or ""), seed=variant.name)
        draw_pages(pages, out, "ipaex" if variant.renderer == "reportlab" else "cid", d.title, hazards)
        fmt, method = "pdf", "text_layer"
    n_pages = len(pages)
    if fmt == "pdf":
        from samples.generate.check import page_count
        if page_count(out) != n_pages:  # the renderer paginated by itself: the truth's pages would be wrong
            raise UnfitVariant(f"{out.name}: {page_count(out)} pages, the layout has {n_pages}")
    expected = truth.build(str(out), fmt, method, parts, n_pages)
    if variant.params.get("n_up"):
        from samples.generate.render_pdf import N_UP, store_n_up
        store_n_up(out, str(variant.params["n_up"]))
        _n_up_truth(expected, parts, N_UP[str(variant.params["n_up"])][0])
    expected["meta"]["params"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in variant.params.items()}
    unshown = unshown_fields(variant)
    if unshown:  # fields the sheet prints no value for: each must be named by a warning
        expected["meta"]["unshown"] = unshown
    truth.write(expected, folder)
    return out, expected
