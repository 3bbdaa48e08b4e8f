"""A workbook cell's value as Excel shows it, for the number formats plan sheets use.

A number typed into Excel is stored bare and shown through its format: ``0.853`` under ``0.0%``
is the sheet's ``85.3%``, ``3210`` under ``#,##0"人"`` its ``3,210人``, ``3210000`` under
``#,##0,"千円"`` its ``3,210千円``, the date 2023-04-01 under
``[$-ja-JP-x-gannen]ggge"年"m"月"d"日"`` its ``令和5年4月1日``. The reader keeps the document's
characters, so it shows them the same way. Covered: ``General``; digit placeholders with a
thousands comma, scaling commas, required (``0``) and optional (``#``) decimals, rounded half
away from zero as Excel rounds; percent; quoted and escaped literals; a format's sections for
positive, negative and zero numbers; Japanese era and Gregorian dates (numeric months and days,
weekdays as 月 火 …), times (``h:mm``, ``hh:mm:ss``, ``AM/PM``; ``m`` after an hour or before a second
is minutes) and, outside a Japanese locale tag, English month and day names (``mmm``, ``mmmm``,
``ddd``, ``dddd``: ``mmmm d, yyyy`` is ``March 31, 2023``) and, under a Japanese locale tag, Japanese ones
(``[$-411]mmmm`` is ``3月``, ``dddd`` ``金曜日``). Japanese Excel's numerals: ``[DBNum1]`` writes a number in
kanji with its units (``12345`` is ``一万二千三百四十五``, ``1234.5`` ``千二百三十四.五``), ``[DBNum2]`` in the
formal kanji (``壱萬弐阡参百四拾伍``), ``[DBNum3]`` in full-width digits (``１２,３４５``); in a date each number
so (``令和二年八月十五日``), a four-digit year digit by digit; under a locale tag other than Japanese they change
nothing. Anything else (conditions such as ``[>=100]``, elapsed time ``[h]``, fractions of a second, fractions,
exponents) is not guessed at: :func:`displayed` gives the stored value as it is.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

_QUOTED = re.compile(r'("[^"]*"|\\.)')  # the literal pieces of a format, kept apart from its codes
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_.|\*.')  # "年", \年, padding _x and fill *x
_TAG = re.compile(r"\[([^\]]*)\]")
_HARMLESS_TAG = re.compile(r"\$-.*|DBNum[123]|Black|Blue|Cyan|Green|Magenta|Red|White|Yellow|Color\d+", re.IGNORECASE)
_DBNUM = re.compile(r"\[DBNum([123])\]", re.IGNORECASE)
_LCID = re.compile(r"\[\$-([0-9A-Fa-f]+)\]")  # a locale by number: 411 Japanese, 409 English (US) …
_NUMBER = re.compile(r"[#0?][#0?,]*(?:\.[#0?]*)?")
_ERAS = ((dt.date(2019, 5, 1), "令和", "R"), (dt.date(1989, 1, 8), "平成", "H"), (dt.date(1926, 12, 25), "昭和", "S"))
_DATE_TOKEN = re.compile(r"ggg|gg|g|ee|e|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|aaaa|aaa|hh|h|ss|s"
                         r"|AM/PM|A/P", re.IGNORECASE)
_DATE_UNCOVERED = re.compile(r"[sS]\.0|0")  # fractions of a second
_JAPANESE_LOCALE = re.compile(r"\[\$-(?:[0-9A-Fa-f]*411|ja)", re.IGNORECASE)
_WEEKDAYS = "月火水木金土日"


def displayed(value: object, number_format: str | None) -> str:
    """``value`` as Excel shows it under ``number_format`` (the stored value where the format is not covered)."""
    fmt = number_format or "General"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        first = _sections(fmt)[0]
        section = _plain_section(first)
        shown = None if section is None else _date(value, section, gannen="gannen" in fmt,
                                                     names=not _JAPANESE_LOCALE.search(fmt), numerals=_numerals(first))
        return shown if shown is not None else str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if not isinstance(value, (int, float)):
        return str(value)
    shown = _number_shown(float(value), _sections(fmt))
    return shown if shown is not None else _general(value)


_KANJI = {1: ("〇一二三四五六七八九", "十百千", "万億兆京"), 2: ("〇壱弐参四伍六七八九", "拾百阡", "萬億兆京")}
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _numerals(section: str) -> int | None:
    """The ``[DBNum1]``–``[DBNum3]`` of a format section, or None (none, or a locale tag other than Japanese,
    under which Excel shows the digits as they are)."""
    codes = _codes(section)
    found = _DBNUM.search(codes)
    if found is None:
        return None
    for tag in _TAG.findall(codes):
        locale = tag[2:].lower() if tag.startswith("$-") else None
        if locale is None or locale.startswith(("ja", "x-")):
            continue
        if _LCID.fullmatch(f"[{tag}]") and int(locale, 16) & 0xFFFF in (0x411, 0xF800, 0xF400):
            continue  # Japanese, or the system's own long date and time (a Japanese Excel's)
        return None
    return int(found.group(1))


def _in_numerals(text: str, kind: int | None, positional: bool = True) -> str:
    """The digits of ``text`` as ``[DBNum<kind>]`` shows them: full-width (3), else kanji, a whole number with its
    units (十 百 千 in fours of 万 億 …; 一 left out before 十 百 千 in [DBNum1], kept as 壱 in [DBNum2]) unless
    ``positional`` is False (a four-digit year) or it is not all digits, and the decimals digit by digit."""
    if kind is None:
        return text
    if kind == 3:
        return text.translate(_FULLWIDTH)
    digits, units, myriads = _KANJI[kind]
    whole, point, decimals = text.partition(".")
    simple = str.maketrans("0123456789", digits)
    if not positional or not whole.isdigit():
        return text.translate(simple)
    number, parts = int(whole), []
    for myriad in range(len(myriads) + 1):  # fours of digits from the right: ones, 万, 億 …
        group, number = number % 10000, number // 10000
        if group:
            parts.append(_four_digits(group, kind) + (myriads[myriad - 1] if myriad else ""))
        if not number:
            break
    head = "".join(reversed(parts)) or digits[0]
    return head + point + decimals.translate(simple)


def _four_digits(group: int, kind: int) -> str:
    """1 to 9999 in the kanji of ``[DBNum<kind>]``: 千二百三十四 (1), 壱阡弐百参拾四 (2)."""
    digits, units, _ = _KANJI[kind]
    shown = []
    for place, digit in zip((3, 2, 1, 0), (int(c) for c in f"{group:04d}")):
        if digit:
            omitted = digit == 1 and place and kind == 1  # 十, not 一十
            shown.append(("" if omitted else digits[digit]) + (units[place - 1] if place else ""))
    return "".join(shown)


def _general(value: float) -> str:
    """A number under ``General``: an integer without a decimal point, else up to 15 significant digits."""
    return str(int(value)) if float(value).is_integer() else format(value, ".15g")


def _sections(fmt: str) -> list[str]:
    """The format's ``;``-separated sections (positive; negative; zero; text), quotes respected."""
    sections, current, quoted = [], [], False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
    return sections + ["".join(current)]


def _codes(fmt: str) -> str:
    """The format's codes: its text outside the quoted and escaped literals."""
    return "".join(p for i, p in enumerate(_QUOTED.split(fmt)) if i % 2 == 0)


def _unquote(text: str) -> str:
    """The literals of a format as shown: quotes and escapes taken off, padding and fill dropped."""
    return _LITERAL.sub(lambda m: m.group(1) if m.group(1) is not None else (m.group(2) or ""), text)


def _plain_section(section: str) -> str | None:
    """The section without its locale and colour tags; None when a tag changes what is shown
    (a condition such as ``[>=100]``, kanji numerals ``[DBNum1]``, elapsed time ``[h]``)."""
    if any(not _HARMLESS_TAG.fullmatch(tag) for tag in _TAG.findall(_codes(section))):
        return None
    return "".join(p if i % 2 else _TAG.sub("", p) for i, p in enumerate(_QUOTED.split(section)))


def _number_shown(value: float, sections: list[str]) -> str | None:
    """The number through the section its sign picks (a negative one shows no minus of its own)."""
    sign = ""
    section = sections[0]
    if value < 0 and len(sections) >= 2:
        section, value = sections[1], -value
    elif value == 0 and len(sections) >= 3:
        section = sections[2]
    elif value < 0:
        sign, value = "-", -value
    plain = _plain_section(section)
    if plain is None:
        return None
    shown = _number(value, plain, _numerals(section))
    return None if shown is None else sign + shown


def _place(fmt: str, pattern: re.Pattern[str], text: str) -> str:
    """``fmt`` with its first run of ``pattern`` outside the literals replaced by ``text``, literals unquoted."""
    pieces = _QUOTED.split(fmt)
    for i in range(0, len(pieces), 2):
        if pattern.search(pieces[i]):
            pieces[i] = pattern.sub(lambda m: text, pieces[i], count=1)
            break
    return _unquote("".join(pieces))


def _number(value: float, fmt: str, numerals: int | None = None) -> str | None:
    """Digit placeholders with comma and decimals, percent, ``General`` among literals, in the ``[DBNum]`` numerals
    ``numerals``; None for anything else."""
    codes = _LITERAL.sub("", _codes(fmt))
    if re.search("general", codes, re.IGNORECASE):
        return _place(fmt, re.compile("general", re.IGNORECASE), _in_numerals(_general(value), numerals))
    found = list(_NUMBER.finditer(codes))
    if not found and not codes.strip():  # a section of literals only ("－" for zero)
        return _unquote(fmt)
    if len(found) != 1 or re.search(r"[EeHhSs/]", codes.replace(found[0].group(0), "")):
        return None
    spec = found[0].group(0)
    whole, _, decimals = spec.partition(".")
    scaled = len(whole) - len(whole.rstrip(","))  # each comma after the last digit place divides by 1000
    whole = whole.rstrip(",")
    number = Decimal(format(value, ".15g")) * Decimal(100) ** codes.count("%") / Decimal(1000) ** scaled
    required, optional = decimals.count("0"), len(decimals) - decimals.count("0")
    rounded = number.quantize(Decimal(1).scaleb(-(required + optional)), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}" if "," in whole else f"{rounded:f}"
    if optional:  # optional places show only where they are not trailing zeros
        head, _, tail = text.partition(".")
        tail = tail.rstrip("0").ljust(required, "0")
        text = head + ("." + tail if tail else "")
    return _place(fmt, _NUMBER, _in_numerals(text, numerals))


def _date(value: dt.date | dt.time, fmt: str, gannen: bool = False, names: bool = True,
          numerals: int | None = None) -> str | None:
    """Japanese era or Gregorian dates and times; None for a format with none of the tokens or fractions
    of a second. ``names``: month and day names in English (False: a Japanese locale's, 3月 and 金曜日; its
    one-letter month is not covered). With ``gannen`` (the ``ja-JP-x-gannen`` locale) an era's first year is 元.
    ``numerals``: the ``[DBNum]`` its numbers are shown in (a four-digit year digit by digit)."""
    codes = _LITERAL.sub("", _codes(fmt))
    pieces = _QUOTED.split(fmt)  # tokens are found piece by piece, as they are replaced: d\ ddd is two, not dddd
    tokens = [t.lower() for p in pieces[::2] for t in _DATE_TOKEN.findall(p)]
    if _DATE_UNCOVERED.search(codes) or not tokens:
        return None
    if not names and "mmmmm" in tokens:
        return None
    # "m" and "mm" are minutes right after an hour or right before a second, else the month
    minutes = {i for i, t in enumerate(tokens) if t in ("m", "mm") and (
        (i > 0 and tokens[i - 1] in ("h", "hh")) or (i + 1 < len(tokens) and tokens[i + 1] in ("s", "ss")))}
    if isinstance(value, dt.time):
        if any(t not in ("h", "hh", "s", "ss", "am/pm", "a/p") and i not in minutes for i, t in enumerate(tokens)):
            return None  # a date format on a time of day: no date to show
        value = dt.datetime.combine(dt.date(1899, 12, 31), value)
    day = value.date() if isinstance(value, dt.datetime) else value
    clock = value.time() if isinstance(value, dt.datetime) else dt.time()
    era = next((e for e in _ERAS if day >= e[0]), None)
    era_year = day.year - era[0].year + 1 if era else day.year
    twelve = any(t in ("am/pm", "a/p") for t in tokens)
    hour = (clock.hour % 12 or 12) if twelve else clock.hour
    seen = iter(range(len(tokens)))

    def token(m: re.Match[str]) -> str:
        i, t = next(seen), m.group(0).lower()
        shown = shown_token(i, t, m.group(0))
        return _in_numerals(shown, numerals, positional=t != "yyyy") if shown.isdigit() else shown

    def shown_token(i: int, t: str, raw: str) -> str:
        if i in minutes:
            return f"{clock.minute:02d}" if t == "mm" else str(clock.minute)
        return {"ggg": era[1] if era else "", "gg": era[1][0] if era else "", "g": era[2] if era else "",
                "e": "元" if gannen and era_year == 1 else str(era_year), "ee": f"{era_year:02d}",
                "yyyy": str(day.year), "yy": f"{day.year % 100:02d}",
                "m": str(day.month), "mm": f"{day.month:02d}",
                "mmm": day.strftime("%b") if names else f"{day.month}月",
                "mmmm": day.strftime("%B") if names else f"{day.month}月", "mmmmm": day.strftime("%B")[0],
                "d": str(day.day), "dd": f"{day.day:02d}",
                "ddd": day.strftime("%a") if names else _WEEKDAYS[day.weekday()],
                "dddd": day.strftime("%A") if names else _WEEKDAYS[day.weekday()] + "曜日",
                "aaa": _WEEKDAYS[day.weekday()], "aaaa": _WEEKDAYS[day.weekday()] + "曜日",
                "h": str(hour), "hh": f"{hour:02d}", "s": str(clock.second), "ss": f"{clock.second:02d}",
                "am/pm": ("AM" if clock.hour < 12 else "PM") if raw.isupper() else ("am" if clock.hour < 12 else "pm"),
                "a/p": ("A" if clock.hour < 12 else "P") if raw.isupper() else ("a" if clock.hour < 12 else "p")}[t]

    return _unquote("".join(_DATE_TOKEN.sub(token, p) if i % 2 == 0 else p for i, p in enumerate(pieces)))
