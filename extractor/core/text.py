"""Text normalisation shared by every reader and the grammar (SCHEMA conventions).

- :func:`clean_text` repairs encoding artefacts (Kangxi / CJK radical code points that
  some PDF producers emit instead of the unified ideograph) and whitespace, but otherwise
  keeps the document's own characters: full-width letters in prose stay full-width.
- :func:`join_lines` joins the lines of a wrapped cell: no space between Japanese
  characters, one space between Latin words.
- :func:`to_halfwidth` is NFKC, used for numbers, goal numbers and grades only.
- :func:`parse_fiscal_year` turns 令和5年度 / 平成31年度 / 令和元年度 (or a plain 2023年度) into a
  Gregorian year.
"""
from __future__ import annotations

import unicodedata

import regex

# CJK Radicals Supplement code points have no NFKC mapping; these are the ones PDF
# producers are known to emit for everyday kanji. Kangxi radicals (U+2F00–U+2FD5) are
# handled by NFKC itself.
_RADICAL_SUPPLEMENT = {
    "\u2e84": "乙", "\u2e88": "刀", "\u2e8b": "㔾", "\u2e8c": "小", "\u2e8e": "兀",
    "\u2e8f": "尢", "\u2e92": "巳", "\u2e94": "彑", "\u2e95": "彐", "\u2e97": "心",
    "\u2e98": "手", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9d": "月", "\u2e9e": "歹",
    "\u2e9f": "母", "\u2ea0": "民", "\u2ea1": "水", "\u2ea2": "水", "\u2ea3": "火",
    "\u2ea4": "爫", "\u2ea6": "丬", "\u2ea8": "犬", "\u2ea9": "王", "\u2eaa": "疋",
    "\u2eab": "目", "\u2eac": "示", "\u2ead": "礻", "\u2eae": "竹", "\u2eaf": "糸",
    "\u2eb1": "网", "\u2eb2": "罒", "\u2eb3": "罓", "\u2eb6": "羊", "\u2eb7": "羊",
    "\u2eb9": "耂", "\u2ebb": "聿", "\u2ebc": "肉", "\u2ebe": "艹", "\u2ec0": "艹",
    "\u2ec2": "衤", "\u2ec3": "襾", "\u2ec4": "西", "\u2ec5": "見", "\u2ec6": "角",
    "\u2ec8": "言", "\u2eca": "足", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ecf": "阝",
    "\u2ed0": "金", "\u2ed1": "長", "\u2ed2": "長", "\u2ed4": "門", "\u2ed6": "阝",
    "\u2ed7": "雨", "\u2ed8": "青", "\u2edb": "風", "\u2edd": "食", "\u2edf": "食",
    "\u2ee0": "食", "\u2ee2": "馬", "\u2ee4": "鬼", "\u2ee5": "魚", "\u2ee8": "麦",
    "\u2ee9": "黄", "\u2eeb": "斉", "\u2eed": "歯", "\u2eef": "竜", "\u2ef2": "亀",
    "\u2ef3": "亀",
    # the ideograph whose glyph the radical shares in IPAexGothic / Noto Sans CJK JP
    # (a browser's ToUnicode map names the glyph by the lowest code point, the radical)
    "\u2e82": "乛", "\u2e83": "乚", "\u2e85": "亻", "\u2e89": "刂", "\u2e90": "尢",
    "\u2e93": "幺", "\u2e96": "忄", "\u2eba": "肀", "\u2ebf": "艹",
    "\u2ec1": "虎", "\u2ed3": "长",
}
# Kangxi radicals whose NFKC ideograph is not the Japanese form the shared glyph shows
# (NFKC gives 戶 靑 黃 黑; Japanese fonts draw and mean 戸 青 黄 黒).
_KANGXI_JAPANESE = {"\u2f3e": "戸", "\u2fad": "青", "\u2fc8": "黄", "\u2fca": "黒"}
# Other code points that share a glyph with a Japanese character in CJK fonts (Noto Sans CJK JP,
# IPAex); a producer that names each glyph by its lowest code point (Chromium/Skia) emits them.
_GLYPH_ALIASES = {
    "\u2027": "・", "\u2215": "／", "\u2035": "｀", "\u2329": "〈", "\u232a": "〉",
    "\u02bb": "‘", "\u02bc": "’",
}
# Letters of scripts a Japanese municipal sheet never prints (a regex class body): what a font whose
# Unicode map is wrong gives, a map naming glyph ids lands there as often as on kanji.
FOREIGN_LETTERS = (r"\p{Cyrillic}\p{Armenian}\p{Hebrew}\p{Arabic}\p{Syriac}\p{Thaana}\p{Devanagari}\p{Bengali}"
                   r"\p{Thai}\p{Georgian}\p{Hangul}\p{Ethiopic}\p{Cherokee}\p{Canadian_Aboriginal}\p{Tibetan}"
                   r"\p{Mongolian}\p{Yi}\p{Bopomofo}")
_RADICALS = regex.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\u2027\u2215\u2035\u2329\u232a\u02bb\u02bc]")
_WHITESPACE = regex.compile(r"[\s\u3000]+")
# A space joins two lines only where a Latin word ends one and another begins the next;
# digits meeting at a break are one number wrapped (115.3% over "11" / "5.3%"). Only half-width
# letters: a line breaks between full-width ones as between kanji (UAX #14 class ID), so
# ＰＤＣ / Ａサイクル is one word wrapped, while half-width words wrap at their spaces.
_LATIN_END = regex.compile(r"[A-Za-z][.,;:!?)\]]?$")
_LATIN_START = regex.compile(r"^[A-Za-z(\[]")
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988}
# 令和5年度, 令和 5 年, and with the Western year beside the era: 令和5（2023）年度, 2023（令和5）年度; a 年 followed by
# a month is a date (令和6年5月), never the fiscal year
# the year's number: 元 (the first), digits, or kanji numerals (令和五年度, 平成三十一年度)
_ERA_NUM = r"(?P<num>元|\d{1,2}|[二三四]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_KANJI_DIGITS = {k: n for n, k in enumerate("一二三四五六七八九", start=1)}
_ERA_YEAR = regex.compile(r"(?P<era>令和|平成|昭和)\s*" + _ERA_NUM + r"\s*(?:[（(]\s*(?:西暦)?\s*(?P<western>(?:19|20)\d{2})"
                          r"\s*年?\s*[）)]\s*)?年(?:度|(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月))")
_WESTERN_BEFORE_ERA = regex.compile(r"(?<!\d)(?P<western>(?:19|20)\d{2})\s*年?\s*[（(]\s*(?P<era>令和|平成|昭和)\s*"
                                    + _ERA_NUM + r"\s*年?\s*[）)]\s*年度")
_ERA_SHORT = regex.compile(r"\b(?P<era>R|H)\s*(?P<num>\d{1,2})\s*年度")
_GREGORIAN = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度")
# a Western year in a bracket right after an era year, or right before a bracketed one (令和5年度（2024年度）,
# 2024年度（令和5年度）)
_WESTERN_AFTER = regex.compile(r"^\s*[（(]\s*(?:西暦)?\s*(?P<western>(?:19|20)\d{2})\s*年?度?\s*[）)]")
_WESTERN_BEFORE = regex.compile(r"(?<!\d)(?P<western>(?:19|20)\d{2})\s*年?度?\s*[（(]\s*$")
_SPACE_BETWEEN_HAN = regex.compile(r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}ー、。・「」（）])[ \u3000](?=[\p{Han}\p{Hiragana}\p{Katakana}ー、。・「」（）])")


def repair_radicals(text: str) -> str:
    """Map Kangxi and CJK-radical code points (``⽬``, ``⻑``) to the ideographs they stand for,
    and other glyph-sharing code points (``‧`` for ``・``) to the Japanese character.

    Canonically equivalent spellings become one (NFC): a CJK compatibility ideograph that a
    font's ToUnicode map names a JIS2004 glyph by (``福`` U+FA1B) is the everyday kanji, and a
    kana followed by a combining voiced mark (``か`` U+3099, as macOS writes it) is ``が``.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not _RADICALS.search(text):
        return text

    def fix(match: regex.Match[str]) -> str:
        ch = match.group(0)
        if ch in _RADICAL_SUPPLEMENT:
            return _RADICAL_SUPPLEMENT[ch]
        if ch in _KANGXI_JAPANESE:
            return _KANGXI_JAPANESE[ch]
        if ch in _GLYPH_ALIASES:
            return _GLYPH_ALIASES[ch]
        return unicodedata.normalize("NFKC", ch)

    return _RADICALS.sub(fix, text)


_NOTHING_WRITTEN = regex.compile(r"[\s\-‐‑‒–—―−－ーｰ一]+")


def marks_nothing(text: str) -> bool:
    """True when ``text`` is only a dash (－, ―, -, ー; or 一, the kanji a dash is often typed or read as),
    the mark a sheet writes in a cell it leaves empty: nothing is written there."""
    return _NOTHING_WRITTEN.fullmatch(text) is not None


def clean_text(text: str | None) -> str | None:
    """Repair radicals, collapse whitespace runs to one space, undo letter-spacing, strip.

    ``None`` for empty text.
    """
    if text is None:
        return None
    text = unspace_letterspaced(_WHITESPACE.sub(" ", repair_radicals(text)).strip())
    return text or None


_JP = r"[\p{Han}\p{Hiragana}\p{Katakana}ー、。・「」（）]"
_JP_GAP = regex.compile(rf"(?<={_JP})( ?)(?={_JP})")


def unspace_letterspaced(text: str) -> str:
    """``政 策 推 進 部 の 運 営 方 針`` → ``政策推進部の運営方針``: spaces between most Japanese characters
    are letter-spacing from the renderer, not the document's. A name's single space stays."""
    if text.count(" ") < 4:  # fewer than four spaces can never be letter-spacing (the common case)
        return text
    gaps = [m.group(1) for m in _JP_GAP.finditer(text)]
    spaced = sum(1 for g in gaps if g)
    if spaced >= 4 and spaced >= 0.7 * len(gaps):
        return squeeze_spaced_japanese(text)
    return text


def join_lines(lines: list[str] | tuple[str, ...], typed: bool = False) -> str | None:
    """Join the lines of a wrapped cell as SCHEMA says, then :func:`clean_text` the result.

    Lines are joined with no separator, except one space where a Latin word or number
    ends one line and another begins the next. With ``typed`` the breaks were typed by hand
    (a workbook's or a quoted export's cell): a space wherever a figure or Latin word ends a line
    and a digit (full-width or not) or Latin letter begins the next (``100`` / ``200`` and
    ``85.3%`` / ``90%`` are two figures, where a wrap would have split one).
    """
    out = ""
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        if out and (_figure_end(out[-1]) and _alnum(line[0]) and not _inside_a_group(out, line) if typed
                    else _LATIN_END.search(out) and _LATIN_START.search(line)):
            out += " " + line
        else:
            out += line
    return out or None


def several_lines(lines: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A cell's lines, each cleaned (:func:`clean_text`), where it holds two or more; ``()`` for one line or none
    (what :attr:`~plansheet.core.model.Cell.lines` keeps)."""
    kept = tuple(line for line in (clean_text(raw) for raw in lines) if line)
    return kept if len(kept) > 1 else ()


# what counts whole things or money, after its number (3,210人, 1,200千円): a figure with thousands groups
COUNTERS = ("人", "件", "袋", "円", "回", "通", "枚", "世帯", "台", "本", "冊", "か所", "箇所", "団体",
            "施設", "名", "戸", "個", "頭", "社", "校", "千円", "万円", "億円")
# a count after 平均, 約 or 延べ stands behind its number (平均2日, 約8割, 延べ120人); 平均日数 and 延べ人数 are
# words, no count. The OCR reader reads a count lacking its digits again; the parsers name one still lacking them
APPROXIMATE = r"(?:平均|約|延べ)(?:で)?"
APPROXIMATE_UNITS = ("時間", "日", "件", "人", "回", "分", "円", "割")
_GROUP_CUT = regex.compile(r"\d,(\d{1,2})$")  # a thousands group cut short at a line's end: 3,2
_COUNTER = "(?:" + "|".join(regex.escape(c) for c in COUNTERS) + ")"
# the digits that make it three, then a counter: a date or a time holds no thousands group (1,2 | 10月 is two)
_GROUP_REST = regex.compile(r"^\d{1,2}(?!\d)(?=" + _COUNTER + ")")
# a typed break left between such digits (see _inside_a_group): one figure or two, the text cannot tell
CUT_FIGURE = regex.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})*,(\d{1,2}) (\d{1,2})(?!\d)" + _COUNTER)


def _inside_a_group(out: str, line: str) -> bool:
    """A typed break inside a figure: the line before ends in a thousands group cut short (``1,2``) and this
    one begins with the digits that make it three and a counter, the first a 0 no figure begins with
    (``00千円``): ``1,200千円`` is one figure, as a reader reads it. Where the digits could begin a figure of
    their own (``3,2`` | ``10人``, ``1,2`` | ``10校``: grades 1 and 2, at ten schools) the break is kept as a
    space: the text cannot tell one figure from two, and the parsers name such a field (:data:`CUT_FIGURE`).
    Before a date or anything else (``1,2`` | ``10月に実施``) the break parts two figures."""
    cut = _GROUP_CUT.search(out)
    rest = _GROUP_REST.match(line) if cut else None
    return bool(rest) and len(rest.group(0)) > 1 and line[0] == "0" \
        and len(cut.group(1)) + len(rest.group(0)) == 3  # type: ignore[union-attr]


def _alnum(ch: str) -> bool:
    """A Latin letter, or a digit full-width or not (``１``; a full-width letter is set as kanji are)."""
    return ch.isascii() and ch.isalnum() or "０" <= ch <= "９"


def _figure_end(ch: str) -> bool:
    """A character that ends a figure or a Latin word: a letter, a digit, or a percent sign."""
    return _alnum(ch) or ch in "%％"


def squeeze_spaced_japanese(text: str) -> str:
    """Drop single spaces standing between Japanese characters (``政 策 推 進 部``).

    Only for text known to carry no meaningful inner spaces (labels, department names);
    personal names keep their space.
    """
    return _SPACE_BETWEEN_HAN.sub("", text)


_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")


def superscript(text: str) -> str:
    """A raised run of small characters as the text writes a superscript: digits as ¹ ² ³ (the footnote
    number after ``85%``, which must not read as ``85%1``); characters with no superscript form kept."""
    return text.translate(_SUPERSCRIPT)


def to_halfwidth(text: str) -> str:
    """NFKC: full-width digits and letters to half-width (``（５）`` → ``(5)``, ``Ａ`` → ``A``)."""
    return unicodedata.normalize("NFKC", text)


def parse_fiscal_year(text: str) -> tuple[int, str] | None:
    """Find a Japanese era year in ``text``; return (Gregorian year, the era's label: 令和5年度).

    The leftmost era year counts (a 令和6年5月 date later in a title does not); the Western year written
    beside it (令和5（2023）年度, 2023（令和5）年度) is the same year, and
    :func:`fiscal_year_disagreement` says when it is not.

    >>> parse_fiscal_year("令和元年度 市民部の運営方針")
    (2019, '令和元年度')
    >>> parse_fiscal_year("2023（令和5）年度 市民部の運営方針")
    (2023, '令和5年度')
    """
    match = _era_match(to_halfwidth(text))
    if match is not None:
        return _era_year(match)
    match = _GREGORIAN.search(to_halfwidth(text))
    if match:
        return int(match.group(1)), f"{match.group(1)}年度"
    return None


_PLAN_NAME = regex.compile(r"運営方針|運営計画")


def plan_fiscal_year(title: str) -> tuple[int, str] | None:
    """The fiscal year of the plan a title names: where it writes two years (令和4年度の取組結果及び令和5年度
    政策推進部の運営方針), the one its 運営方針 stands with, the last before it; else :func:`parse_fiscal_year`.

    >>> plan_fiscal_year("令和4年度の取組結果及び令和5年度 政策推進部の運営方針")
    (2023, '令和5年度')
    """
    plain = to_halfwidth(title)
    plan = _PLAN_NAME.search(plain)
    start, last = 0, None
    while plan is not None and (match := _era_match(plain[start:plan.start()])) is not None:
        start, last = start + match.end(), match
    return _era_year(last) if last is not None else parse_fiscal_year(title)


def _era_match(plain: str) -> regex.Match[str] | None:
    """The leftmost era year of ``plain`` (NFKC text), whichever way it is written."""
    found = [m for m in (p.search(plain) for p in (_ERA_YEAR, _WESTERN_BEFORE_ERA, _ERA_SHORT)) if m]
    return min(found, key=lambda m: m.start()) if found else None


def _era_year(match: regex.Match[str]) -> tuple[int, str]:
    """(Gregorian year, 令和5年度) of an era year :func:`_era_match` found."""
    era, num = match.group("era", "num")
    return _ERA_BASE[era] + _era_number(num), f"{era}{num}年度"


def _era_number(num: str) -> int:
    """The number of an era year as written: 元 is 1, then digits or kanji numerals (五 5, 三十一 31)."""
    if num == "元":
        return 1
    if num.isdigit():
        return int(num)
    tens, _, ones = num.rpartition("十")
    return (_KANJI_DIGITS.get(tens, 1) * 10 if "十" in num else 0) + _KANJI_DIGITS.get(ones, 0)


def fiscal_year_disagreement(text: str) -> str | None:
    """Where ``text`` writes a Western year beside its era year (令和5（2024）年度, 令和5年度（2024年度）,
    2024年度（令和5年度）) and the two are not the same year: both as written, for a warning. ``None``
    where they agree or only one is written."""
    plain = to_halfwidth(text)
    match = _era_match(plain)
    if match is None:
        return None
    beside = [match.group("western")] if "western" in match.re.groupindex else []
    beside += [m.group("western") for m in (_WESTERN_AFTER.search(plain[match.end():]),
                                             _WESTERN_BEFORE.search(plain[:match.start()])) if m]
    year, label = _era_year(match)
    for written in beside:
        if written and int(written) != year:
            return f"{label} is {year}, but {written} is written beside it"
    return None
