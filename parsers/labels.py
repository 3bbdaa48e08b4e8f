"""The label table: every fixed label of the sheet and the ways it is written.

Variants across years and renderers (重点目標 | 重点課題, 基本方針 | 基本姿勢, 所管室・課 written
with 、 or a space, brackets 【】 or none, full-width digits, a leading era year on
達成状況) are data here, not branches in the grammar. A cell's text is normalised by
:func:`label_key` (NFKC, no spaces, no separators or brackets) and then matched against
each :class:`LabelSpec` pattern in order; the first full match wins.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import regex

from plansheet.core.text import repair_radicals


class Label(str, Enum):
    """Names of the sheet's fixed labels."""

    TITLE = "title"  # 令和5年度 政策推進部の運営方針
    DEPARTMENT = "department"  # 部
    DIRECTOR = "director"  # 部長
    OFFICER = "officer"  # 監, 理事, …
    BASIC_POLICY = "basic_policy"  # 【基本方針】 | 【基本姿勢】
    GOAL_OVERVIEW = "goal_overview"  # 【重点目標】 | 【重点課題】
    GRADE_LEGEND = "grade_legend"  # 【達成度について】
    GOAL_HEADING = "goal_heading"  # 重点目標 N | 重点課題 N
    PLAN_GOAL = "plan_goal"  # 目標 (overview column)
    FIELD = "field"  # 分野
    TARGET = "target"  # 今年度の達成目標
    STATUS = "status"  # 達成状況 (also the overview's 令和5年度 達成状況 column)
    STATUS_GRADE = "status_grade"  # 達成状況・達成度: one label cell over a target's status and its grade
    GRADE = "grade"  # 達成度
    INITIATIVE = "initiative"  # 具体的取組
    SECTION = "section"  # 所管室・課
    RESULTS = "results"  # 具体的な取組実績
    SUMMARY = "summary"  # 総合評価・総括
    OVERALL_GRADE = "overall_grade"  # 全体の達成度
    NEXT_STEPS = "next_steps"  # 今後検討すべきこと
    OTHER = "other"  # 備考, 特記事項 …: a section the tables have no column for (its text is left out)
    UNKNOWN = "unknown"  # a label told by its place alone, its text in no table (named, its text left out)
    NOTE = "note"  # a footnote line under a sheet's table: （注）…, ※1 …, ＊ … (in no table)


class Placement(str, Enum):
    """Where a label's value stands: in the cell to its right, below it, or in the section after it."""

    RIGHT = "right"
    BELOW = "below"
    SECTION = "section"  # a heading: everything up to the next heading belongs to it


@dataclass(frozen=True)
class LabelSpec:
    """One label: its name, the regex its normalised text must fully match, its placement.

    ``spellings`` are the plain normalised forms used for fuzzy matching of OCR text
    (a misread character or two still anchors the section): every way of writing the label that
    ``pattern`` accepts, so a sheet that writes 具体的な取り組み is read by OCR as well as one
    that writes 具体的取組.
    """

    label: Label
    pattern: str
    placement: Placement
    spellings: tuple[str, ...] = ()

    def compiled(self) -> regex.Pattern[str]:
        return regex.compile(self.pattern)


_NO = r"(?:\(?\d{1,2}\)?)?"  # a record's own number after its label: 具体的取組1, 達成目標(2), 達成状況①
# the fiscal year a sheet writes before 達成状況, however it is written (label_key has made it NFKC, spaces
# dropped): 令和5年度, 令和元年度, 令和五年度, 2023年度, 令和5(2023)年度, 2023(令和5)年度, 令和5年度(2023年度), R5, H30
_ERA_YEAR = r"(?:令和|平成)(?:元|\d{1,2}|[一二三四五六七八九十]{1,3})"
_ERA = (r"(?:(?:" + _ERA_YEAR + r"(?:\(\d{4}\))?|\d{4}(?:\(" + _ERA_YEAR + r"\))?)年度?"
        r"(?:\((?:\d{4}|" + _ERA_YEAR + r")年度?\))?|R\d{1,2}|H\d{1,2})?")
# a year named as a sheet writes it before a label (令和4年度, 2022年度, R4): _ERA, not empty
# (public: misplaced.py reads a label's words outside this table with it)
YEAR_NAMED = _ERA.removesuffix("?")

# a goal's number as a sheet writes it (label_key has made it NFKC): digits, kanji (一 … 二十), Roman (Ⅳ → IV)
_GOAL_NUMERAL = r"\d{1,2}|[一二三四五六七八九十]{1,3}|[IVX]{1,5}"

# the titles that head a sheet's unit, as its 部長 heads a 部: a 局's 局長 (上下水道局長; 議会事務局's 事務局長), a 室's
# 室長, and the heads other units have by law (会計室: 会計管理者; 教育委員会: 教育長; 消防本部: 消防長; a public
# enterprise: 事業管理者). Not a deputy (副局長, 副室長: officers)
# the post of a person acting for a unit's head, written after 事務取扱 (部長事務取扱副市長)
_OWN_POST = r"副?(?:市|町|村)長|\p{Han}{0,6}(?:監|理事|参与|参事)"
HEAD_TITLES = r"部長|(?!副)\p{Han}{0,8}局長|(?!副)\p{Han}{0,6}室長|会計管理者|教育長|消防長|\p{Han}{0,6}事業管理者"
# which unit each head title leads, by how the unit's name reads: 部長 a …部, 局長 a …局, 室長 a …室, 会計管理者 the
# 会計室 (会計課), 教育長 the 教育委員会 (its 事務局), 消防長 the 消防本部, 事業管理者 a public enterprise's unit
UNIT_HEADS: tuple[tuple[str, str], ...] = (
    (r"部$", r"部長"), (r"局$", r"局長"), (r"室$", r"室長"), (r"^会計", r"会計管理者"), (r"^教育委員会", r"教育長"),
    (r"^消防", r"消防長"), (r"水道|病院|企業|交通", r"事業管理者"),
)

# the words a front sheet may write around a heading's core words: whose (部の) and which year's (今年度の, 令和5年度)
_OF_YEAR = r"(?:部の|(?:今年度|本年度|当該年度|" + YEAR_NAMED + r")の?)?"
# the marks a line of its own is made a heading with, besides 【】 (■基本方針, ◆重点目標)
_HEADING_MARKS = "■□◆◇●◎▼▽▶★☆"
HEADING_MARKS = _HEADING_MARKS  # the same, for the grammar's rules outside this table (layout.py)


def _heading(core: str) -> str:
    """The pattern of a heading whose words are ``core``: in 【】, or after a mark (■, ◆ …) with or without them."""
    return rf"(?:【(?:{core})】|[{_HEADING_MARKS}]【?(?:{core})】?)"


# Order matters: longer, more specific labels first.
LABEL_TABLE: tuple[LabelSpec, ...] = (
    # a front-sheet heading is its core words in brackets or after a mark, whatever words stand around them
    # (【部の基本方針】, 【運営方針】, ■基本方針; 【今年度の重点目標】, 【重点目標一覧】, ■重点目標)
    # (and 【部の方針】, 【基本的な考え方】; a heading no one has listed yet is told by its place: front_sheet)
    LabelSpec(Label.BASIC_POLICY, _heading(_OF_YEAR + r"(?:基本方針|基本姿勢|運営方針|方針|基本的な考え方)"), Placement.SECTION,
              ("【基本方針】", "【基本姿勢】", "【部の基本方針】", "【運営方針】")),
    LabelSpec(Label.GOAL_OVERVIEW, _heading(_OF_YEAR + r"(?:主な)?(?:重点目標|重点課題)(?:の?一覧)?"), Placement.SECTION,
              ("【重点目標】", "【重点課題】", "【今年度の重点目標】", "【重点目標一覧】")),
    # the legend's heading as other years word it: 【達成状況について】, 【評価基準】, ※達成度の区分 (a legend under a
    # heading no one has listed yet is still found by its lines: front_sheet.legend_by_content)
    LabelSpec(Label.GRADE_LEGEND, r"[※＊*]?【?(?:達成度|達成状況)(?:について|の区分|区分|の基準|基準)】?"
              r"|[" + _HEADING_MARKS + r"]【?(?:達成度|達成状況)(?:について|の区分|区分|の基準|基準)】?"
              r"|[※＊*]?【(?:評価|達成度評価)(?:について|の区分|区分|の基準|基準)】|[※＊*](?:評価|達成度評価)(?:の区分|区分|の基準|基準)",
              Placement.SECTION, ("【達成度について】", "【達成状況について】", "【評価基準】", "【達成度の区分】")),
    # 重点目標 1, 重点目標（1）, 【重点目標1】, 重点目標No.1, 重点目標 その1 (NFKC: ① → 1, № → No), and the number
    # in any numeral a person reads as it, before or after the word: 重点目標 一, 重点目標（二）, 第1重点目標,
    # 第一の重点目標, 重点目標第3, 重点目標Ⅳ (goal_number reads it)
    LabelSpec(Label.GOAL_HEADING, r"【?(?:第(?P<no>" + _GOAL_NUMERAL + r")の?(?:重点目標|重点課題)|(?:重点目標|重点課題)"
              r"(?:No|NO|その|第)?(?:(?P<no>" + _GOAL_NUMERAL + r")|\((?P<no>" + _GOAL_NUMERAL + r")\)))】?",
              Placement.RIGHT, ("重点目標", "重点課題")),
    # the year is written as the sheet's own (令和4年度の達成目標, 2022年度の達成目標) or left as 年度 (年度目標)
    # and as other cities name it by what it measures or reaches: 成果目標, 数値目標, 到達目標, 取組目標
    LabelSpec(Label.TARGET, r"(?:今年度|本年度|当該年度|" + YEAR_NAMED + r")?の?(?:達成|成果|数値|到達|取組)目標" + _NO
              + r"|(?:今|本|当該)?年度の?目標" + _NO + r"|" + YEAR_NAMED + r"の?目標" + _NO, Placement.BELOW,
              ("今年度の達成目標", "本年度の達成目標", "当該年度の達成目標", "達成目標", "年度目標", "今年度の目標",
               "成果目標", "数値目標", "到達目標", "取組目標")),
    # a sheet may call an initiative's results its 成果 (取組の成果), 結果 (取組結果) or 実績 alone, and its section the
    # 部署 in charge (主管部署) or 所管 / 担当 alone: the same rows of the 具体的取組 block under another template's words
    # (実施結果, 成果・実績, 取組の実績と成果, 実施内容と成果: what was done and what came of it)
    LabelSpec(Label.RESULTS, r"(?:具体的な?取組(?:の)?(?:実績|成果)|取組(?:の)?(?:実績|成果|結果)|実績|実施(?:内容)?の?(?:結果|成果|実績)"
              r"|成果実績|実績成果|(?:取組の)?実績(?:と|及び)成果|実施内容と成果)" + _NO,
              Placement.BELOW,
              ("具体的な取組実績", "具体的取組実績", "具体的な取組の実績", "取組実績", "取組の成果", "取組成果",
               "具体的な取組の成果", "実績", "取組結果", "取組の結果", "実施結果", "成果実績", "取組の実績と成果",
               "実施内容と成果")),
    # (or as the work it is: 実施事業, 主な事業, 事業内容, 取組項目, 具体的施策, 具体策)
    LabelSpec(Label.INITIATIVE, r"(?:具体的な?取組(?:内容)?|具体的な?取り組み|主な取組(?:内容)?|主な取り組み|取組内容"
              r"|取り組み内容|実施事業|主な事業|事業内容|取組項目|具体的な?施策|具体策)" + _NO, Placement.BELOW,
              ("具体的取組", "具体的な取組", "具体的取組内容", "具体的な取組内容", "具体的な取り組み", "具体的取り組み",
               "主な取組", "主な取り組み", "取組内容", "実施事業", "主な事業", "事業内容", "取組項目", "具体的施策")),
    LabelSpec(Label.SECTION, r"所管(?:室|部)?課|所管室課|担当課|所管課室|(?:主管|所管|担当)部署|主管(?:室)?課|所管|担当"
              r"|(?:所管|担当)室課名?|担当課名|実施課|担当所属",
              Placement.RIGHT, ("所管室課", "所管部課", "所管課", "担当課", "所管課室", "主管部署", "所管部署", "担当部署",
                                "主管課", "所管", "担当", "担当室課", "担当室課名", "実施課", "担当所属")),
    # (総評, 総合所見, 成果と課題, 振り返り: the year's review in other words; 評価 or 所見 alone is told by its place:
    # unknown_heads)
    LabelSpec(Label.SUMMARY, r"総合評価(?:及び|と)?総括|評価(?:及び|と)?総括|総合評価|総括|総評|総合所見|成果と課題|振り返り"
              r"|ふりかえり", Placement.BELOW,
              ("総合評価総括", "総合評価及び総括", "評価総括", "総合評価", "総括", "総評", "総合所見", "成果と課題", "振り返り")),
    LabelSpec(Label.OVERALL_GRADE, r"全体の(?:達成度|達成状況|評価)|総合(?:的な)?達成度|全体評価|総合判定", Placement.BELOW,
              ("全体の達成度", "全体の達成状況", "全体の評価", "総合達成度", "総合的な達成度", "全体評価", "総合判定")),
    # (今後の方向性, 今後の対応, 今後の取組方針, 課題と今後の方向性, 次年度に向けて: what the department means to do next)
    LabelSpec(Label.NEXT_STEPS, r"今後検討すべきこと|今後の検討事項|今後の課題|今後の(?:方向性|対応|取組方針)|課題と今後の方向性"
              r"|次年度に向けて", Placement.BELOW,
              ("今後検討すべきこと", "今後の検討事項", "今後の課題", "今後の方向性", "今後の対応", "今後の取組方針",
               "課題と今後の方向性", "次年度に向けて")),
    # sections other years and cities add that the tables have no column for: each ends the section
    # above it (備考 after 今後検討すべきこと is no part of it), and its own text is left out
    LabelSpec(Label.OTHER, r"【?(?:備考|特記事項|参考|参考指標|補足|事業費|予算額|成果指標|工程表?|関連計画)】?",
              Placement.BELOW),  # no fuzzy spellings: 成果目標 one glyph from 成果指標 is another city's target label
    LabelSpec(Label.STATUS_GRADE, _ERA + r"達成状況(?:及び|と|/|及)?達成度" + _NO, Placement.BELOW,
              ("達成状況達成度", "達成状況及び達成度")),
    LabelSpec(Label.STATUS, _ERA + r"達成状況" + _NO, Placement.BELOW, ("達成状況",)),
    # 評価 alone may head an initiative's own grade; with a year before it, it heads the goals' grades
    LabelSpec(Label.GRADE, _ERA + r"達成度" + _NO + r"|" + _ERA.removesuffix("?") + r"評価", Placement.BELOW, ("達成度",)),
    # the head of the sheet's unit (its 部長, HEAD_TITLES), or that post named with others: posts joined by 兼 are
    # all the person's (理事兼部長, 部長兼危機管理監), and the head's among them makes them the head; or acting for it
    # (部長事務取扱, 部長（事務取扱）, 部長代理; 部長事務取扱副市長: the acting person's own post after it)
    LabelSpec(Label.DIRECTOR, r"(?:\p{Han}{1,8}兼)*(?:" + HEAD_TITLES + r")(?:代理|\(?事務取扱\)?(?:" + _OWN_POST
              + r")?)?(?:兼\p{Han}{1,8})*",
              Placement.RIGHT),
    LabelSpec(Label.OFFICER, r"\p{Han}{0,6}監|理事|副理事|副部長|副局長|副室長|次長|参与|参事", Placement.RIGHT),
    # not 所属 or 担当部局 alone: a sheet may label each initiative's section so
    LabelSpec(Label.DEPARTMENT, r"部|部名|部局|部局名|所属部|所属部局|所管部|所管部局|局|局名|室|室名", Placement.RIGHT),
    # the 【重点目標】 overview's column labels as other years word them: the city plan's goal (総合計画の目標, 基本目標)
    # and the policy field (施策分野, 施策); a wording not listed here is still read by its place (front_sheet)
    LabelSpec(Label.PLAN_GOAL, r"目標|(?:総合計画|総計)(?:の|上の)?(?:基本)?目標|基本目標|まちづくりの目標", Placement.RIGHT),
    LabelSpec(Label.FIELD, r"分野|(?:施策|政策)(?:の)?分野|施策", Placement.RIGHT),
)

# Words that head a grade only by their place, never alone (評価 alone may head an initiative's own grade,
# 総合評価 the summary, 達成状況 a target's status): read as the grade's label only where one letter of the
# legend (or nothing) stands under or beside them, in the place the grade has (parsers/grade_heads.py).
# A target's status row heads two columns side by side, its status (prose) then its grade: 達成状況 | 達成度,
# and as other years head them, 達成状況 | 評価, 実績 | 達成状況 (達成状況 heading the grades, as the overview does).
STATUS_HEADS = frozenset({"達成状況", "実績", "進捗状況", "取組状況"})
GRADE_HEADS = frozenset({"達成度", "評価", "達成状況", "自己評価"})
# the row under 総合評価・総括 holding the goal's one grade: 全体の達成度, and as other years label it
OVERALL_GRADE_HEADS = frozenset({"評価", "総合評価", "達成度", "達成状況", "自己評価", "総合達成状況"})

# spellings that are also everyday words (所管, 担当, 実績): a label only as a cell of their own, never the head of a
# cell split into a label and its value (担当謹 is OCR's 担当課, 所管 室・課… the 所管室・課 label glued to its value)
WHOLE_CELL_ONLY = frozenset({"所管", "担当", "実績"})

# how a footnote line under a table begins: （注）, 注：, 注1), ※, ※1, ＊, *1 (the marks a text refers to it by)
FOOTNOTE = regex.compile(r"^\s*(?:[（(]注\d*[）)]|注\d*[：:）)]|※\d*|[＊*]\d*)")


def is_footnote(text: str) -> bool:
    """True when ``text`` begins as a footnote line under a table does (（注）, 注：, ※1, ＊)."""
    return bool(FOOTNOTE.match(text))


# Section headings are sometimes printed without their brackets.
_BARE_SECTIONS = {"基本方針": Label.BASIC_POLICY, "基本姿勢": Label.BASIC_POLICY, "部の基本方針": Label.BASIC_POLICY,
                  "部の基本姿勢": Label.BASIC_POLICY, "達成度について": Label.GRADE_LEGEND}
_COMPILED = tuple((spec, spec.compiled()) for spec in LABEL_TABLE)
_DROP = regex.compile(r"[\s\u3000・、,，･\-－ー―\.．:：]")
_BRACKETS = str.maketrans({"[": "【", "]": "】", "〔": "【", "〕": "】", "［": "【", "］": "】",
                           "《": "【", "》": "】", "〖": "【", "〗": "】"})


@dataclass(frozen=True)
class LabelMatch:
    """A cell recognised as a label; ``number`` is the N of 重点目標 N."""

    label: Label
    placement: Placement
    number: int | None = None


def label_key(text: str) -> str:
    """Normalise a cell's text for label matching (NFKC, no spaces or separators, 【】 brackets)."""
    key = unicodedata.normalize("NFKC", repair_radicals(text)).translate(_BRACKETS)
    key = _DROP.sub("", key)
    return key.lstrip("・*-")


def match_label(text: str, fuzzy: bool = False) -> LabelMatch | None:
    """The label a cell's text stands for, or ``None`` when the cell is a value.

    With ``fuzzy`` (text read by OCR) a text within a small edit distance of a label's
    spelling also matches: one misread character in 4–6, two in 7 or more.
    """
    if len(text) > 24:
        return None
    return _match_short(text, fuzzy)


@lru_cache(maxsize=4096)
def _match_short(text: str, fuzzy: bool) -> LabelMatch | None:
    """:func:`match_label` of a short text, memoised: the grammar asks about the same label
    and value texts many times (each pass over a sheet, every sheet of a volume)."""
    key = label_key(text)
    if not key:
        return None
    for spec, pattern in _COMPILED:
        m = pattern.fullmatch(key)
        if m and "no" in pattern.groupindex and not _written_whole(m.group("no"), text):
            return None  # 重点目標1-2: the key dropped what stood between two numbers
        if m:
            number = goal_number(m.group("no")) if "no" in pattern.groupindex else None
            if "no" in pattern.groupindex and number is None:
                return None  # 重点目標十十, 重点目標IIX: no numeral a person reads
            return LabelMatch(spec.label, spec.placement, number)
    bare = _BARE_SECTIONS.get(key.strip("【】"))
    if bare is not None:
        return LabelMatch(bare, Placement.SECTION)
    if len(key) > 2 and key[0] == "【" and key[-1] == "】" and "【" not in key[1:-1]:
        inner = _match_short(key[1:-1], fuzzy)  # a goal sheet's label written as a heading (【総合評価・総括】)
        if inner is not None and inner.placement is Placement.BELOW:
            return inner
    if len(key) > 2 and key[0] in _HEADING_MARKS and key[1] not in _HEADING_MARKS:
        inner = _match_short(key[1:], fuzzy)  # or after a heading's mark (■総合評価・総括, ■【総合評価・総括】)
        if inner is not None and inner.placement is Placement.BELOW:
            return inner
    if _UNMAPPED in key:
        return _match_unmapped(key)
    if fuzzy and _SPECKED_DEPARTMENT.fullmatch(key):
        return LabelMatch(Label.DEPARTMENT, Placement.RIGHT)  # department_label: 部D, a speck read as a letter
    return _fuzzy_match(key) if fuzzy else None


_UNMAPPED = "\ufffd"  # a glyph the file maps to no character (a PDF's (cid:NN): parsers/unmapped.py)


def _match_unmapped(key: str) -> LabelMatch | None:
    """The label whose spelling ``key`` is but for its unmapped glyphs (U+FFFD), each one character of the
    spelling or a separator the key drops (所管室�課: 所管室・課); only where one label fits and some
    characters of it are read (a lone glyph is no label)."""
    if len(key.replace(_UNMAPPED, "")) < 2:
        return None
    shape = regex.compile("".join(".?" if ch == _UNMAPPED else regex.escape(ch) for ch in key))
    found = {spec for spec in LABEL_TABLE for spelling in spec.spellings if shape.fullmatch(spelling)}
    if len(found) != 1:
        return None
    spec = found.pop()
    return LabelMatch(spec.label, spec.placement)


# ``department_label``: OCR'd, the 部 label with a speck read as a letter or mark at one end (``部D``, hard scan
# 17051) is that label: no other cell of a sheet is 部 and one stray glyph (without it the sheet's department
# name ran on into the last field of the page before)
_SPECKED_DEPARTMENT = regex.compile(r"部[A-Za-z`'\"|]|[A-Za-z`'\"|]部")


_DIGITS = regex.compile(r"\d+")


def _written_whole(number: str, text: str) -> bool:
    """True when ``number`` stands in ``text`` as one run of digits (not ``1-2`` or ``1・2`` read as 12); a
    numeral in kanji or Roman letters is what the key kept of it."""
    if not number.isdigit():
        return True
    return number in _DIGITS.findall(unicodedata.normalize("NFKC", text))


_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = regex.compile(r"(?:(?P<tens>[二三四五六七八九])?(?P<ten>十))?(?P<unit>[一二三四五六七八九])?")
_ROMAN_NUMBER = regex.compile(r"(?P<tens>X{0,2})(?P<unit>IX|IV|V?I{0,3})")
_ROMAN_UNITS = {"": 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}


def goal_number(numeral: str) -> int | None:
    """The number a goal's numeral states, however a sheet writes it: ``3``, ``３``, ``三``, ``十二``, ``二十``,
    ``Ⅳ`` (NFKC ``IV``); ``None`` for a text that is no numeral (``十十``, ``IIX``)."""
    text = unicodedata.normalize("NFKC", numeral).strip()
    if text.isdigit():
        return int(text)
    kanji = _KANJI_NUMBER.fullmatch(text)
    if kanji and text:
        tens = _KANJI_DIGITS[kanji.group("tens")] if kanji.group("tens") else 1 if kanji.group("ten") else 0
        return tens * 10 + (_KANJI_DIGITS[kanji.group("unit")] if kanji.group("unit") else 0)
    roman = _ROMAN_NUMBER.fullmatch(text)
    if roman and text:
        return len(roman.group("tens")) * 10 + _ROMAN_UNITS[roman.group("unit")]
    return None


_NUMBER_SUFFIX = regex.compile(r"(?P<body>.*?)(?P<no>\d{1,2})$")


def misread_short_label(text: str) -> Label | None:
    """The label a short OCR'd text is one character off (``達成序`` for 達成度), for a place where a
    label is the only short text that can stand (a result box holds sentences, not three
    characters); :func:`match_label` allows no edit below four characters, where values and
    labels are close (``達成率``, ``担当者``)."""
    from rapidfuzz.distance import Levenshtein

    key = label_key(text)
    if not 3 <= len(key) <= 4:
        return None
    for spec in LABEL_TABLE:
        for spelling in spec.spellings:
            if len(spelling) == len(key) and Levenshtein.distance(key, spelling, score_cutoff=1) <= 1:
                return spec.label
    return None


# glyphs with 言 on the left that OCR reads for 課 (the last glyph of a section name and of 担当課)
KA_SHAPED = "謀諜護譚謬誤諌詳謹譜"
# a section name: a few words, no stop or comma, ending in 課, 室 … (or a glyph shaped like 課)
# (never a particle before a kanji: ``と地域包括支援センター`` after 担当課 is prose; こども家庭課 is a name)
SECTION_NAME = regex.compile(rf"^(?![とのやをにでがはへもより]\p{{Han}})[^\s、。，．]{{2,24}}(?:課|室|係|所|館|センター|[{KA_SHAPED}])$")


def misread_section_label(text: str, value: str) -> bool:
    """True when ``text``, a cell of the label column with ``value`` at its right, is the
    所管室・課 label misread (``担当謹 | 人権推進課``): three characters one kanji off a three-character
    spelling of it (担当課, 所管課), beside a value that reads as a section name (it ends in 課, 室,
    係 … or a glyph shaped like 課). :func:`match_label` allows no edit below four characters,
    because values and labels are close there (担当者, 達成率); a person's name beside 担当者 is no
    section name."""
    key = label_key(text)
    if len(key) != 3 or not SECTION_NAME.match(value.strip()):
        return False
    spellings = next(spec.spellings for spec in LABEL_TABLE if spec.label is Label.SECTION)
    for spelling in spellings:
        if len(spelling) == 3:
            differ = [(a, b) for a, b in zip(key, spelling) if a != b]
            if len(differ) == 1 and regex.match(r"\p{Han}", differ[0][0]):
                return True
    return False


_RULE_GLYPHS = " \u3000|｜:：。、"  # a ruling line read as a glyph, or nothing, between a label and its value
_GLUABLE = tuple(s for spec in LABEL_TABLE if spec.placement is Placement.RIGHT and "no" not in spec.compiled().groupindex
                 for s in spec.spellings if len(s) >= 3)


def glued_label(text: str) -> tuple[str, str]:
    """(label, value) of an OCR'd cell holding the 所管室・課 label and a section name with no gap
    (``所管 室・課市民相談課``: the rule between the two cells was lost), else ``("", "")``: the longest
    spelling of three characters or more (所管室・課, 担当課) of a label whose value stands at its
    right, before a value that reads as a section name (``担当課と連携し、…`` is prose)."""
    for end in range(len(text) - 1, 0, -1):
        if label_key(text[:end]) in _GLUABLE:
            rest = text[end:].strip(_RULE_GLYPHS)
            return (text[:end], rest) if SECTION_NAME.match(rest) else ("", "")
    return "", ""


def _fuzzy_match(key: str) -> LabelMatch | None:
    from rapidfuzz.distance import Levenshtein

    m = _NUMBER_SUFFIX.fullmatch(key)
    best: tuple[int, LabelSpec, int | None] | None = None
    for spec in LABEL_TABLE:
        numbered = "no" in spec.compiled().groupindex
        if numbered and m is None:
            continue
        body = m.group("body") if numbered and m else key
        for spelling in spec.spellings:
            allowed = 0 if len(spelling) < 4 else 1 if len(spelling) < 7 else 2
            distance = Levenshtein.distance(body, spelling, score_cutoff=allowed)
            if distance <= allowed and (best is None or distance < best[0]):
                best = (distance, spec, int(m.group("no")) if numbered and m else None)
    if best is None:
        return None
    return LabelMatch(best[1].label, best[1].placement, best[2])

