"""A workbook cell's value as Excel shows it, for the number formats plan sheets use.

A number typed into Excel is stored bare and shown through its format: ``0.853`` under ``0.0%``
is the sheet's ``85.3%``, ``3210`` under ``#,##0"人"`` its ``3,210人``, the date 2023-04-01 under
``[$-ja-JP-x-gannen]ggge"年"m"月"d"日"`` its ``令和5年4月1日``. The reader keeps the document's
characters, so it shows them the same way. Covered: ``General``, digit placeholders with a
thousands comma and decimals, percent, quoted and escaped literals, Japanese era and Gregorian
dates. Anything else (fractions, exponents, conditions, times) falls back to the bare value
(:func:`displayed` says so by returning it unformatted), never to a guess.
"""
from __future__ import annotations

import datetime as dt
import re

_LOCALE = re.compile(r"\[[^\]]*\]")  # [$-ja-JP-x-gannen], [Red], [DBNum1]...
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_.|\*.')  # "年", \年, padding _x and fill *x
_NUMBER = re.compile(r"[#0?][#0?,]*(?:\.[#0?]*)?")
_ERAS = ((dt.date(2019, 5, 1), "令和", "R"), (dt.date(1989, 1, 8), "平成", "H"), (dt.date(1926, 12, 25), "昭和", "S"))
_DATE_TOKEN = re.compile(r"ggg|gg|g|ee|e|yyyy|yy|mm|m|dd|d|aaaa|aaa")
_WEEKDAYS = "月火水木金土日"


def displayed(value: object, number_format: str | None) -> str:
    """``value`` as Excel shows it under ``number_format`` (the bare value where the format is not covered)."""
    fmt = _first_section(number_format or "General")
    if isinstance(value, (dt.datetime, dt.date)):
        return _date(value, fmt, gannen="gannen" in (number_format or "")) or str(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if fmt.lower() in ("general", "@", ""):
        return _general(value)
    return _number(float(value), fmt) or _general(value)


def _general(value: float) -> str:
    """A number under ``General``: an integer without a decimal point, else up to 15 significant digits."""
    return str(int(value)) if float(value).is_integer() else format(value, ".15g")


def _first_section(fmt: str) -> str:
    """The format for positive numbers: its text up to the first ``;`` outside quotes."""
    depth, out = False, []
    for ch in fmt:
        if ch == '"':
            depth = not depth
        elif ch == ";" and not depth:
            break
        out.append(ch)
    return _LOCALE.sub("", "".join(out))


def _literals(fmt: str, body: str) -> str:
    """``fmt`` with its quoted and escaped literals unquoted and ``body`` where its placeholder stood."""
    return _LITERAL.sub(lambda m: m.group(1) if m.group(1) is not None else (m.group(2) or ""), body)


def _number(value: float, fmt: str) -> str | None:
    """Digit placeholders, a thousands comma, decimals and percent; None for anything else."""
    bare = _LITERAL.sub("", fmt)
    found = list(_NUMBER.finditer(bare))
    if len(found) != 1 or re.search(r"[EeHhSs/]", bare.replace(found[0].group(0), "")):
        return None
    spec = found[0].group(0)
    if "%" in bare:
        value *= 100
    decimals = len(spec.split(".", 1)[1]) if "." in spec else 0
    text = f"{value:,.{decimals}f}" if "," in spec.split(".")[0] else f"{value:.{decimals}f}"
    pieces = re.split(r'("[^"]*"|\\.)', fmt)  # put the digits where the placeholder run stands
    for i, piece in enumerate(pieces):
        if i % 2 == 0 and _NUMBER.search(piece):
            pieces[i] = _NUMBER.sub(lambda m: text, piece, count=1)
            break
    return _literals(fmt, "".join(pieces))


def _date(value: dt.date, fmt: str, gannen: bool = False) -> str | None:
    """Japanese era or Gregorian date formats; None for a format with a time or none of the tokens.
    With ``gannen`` (the ``ja-JP-x-gannen`` locale) an era's first year is 元."""
    bare = _LITERAL.sub("", fmt)
    if re.search(r"[hHsS]", bare) or not _DATE_TOKEN.search(bare):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    era = next((e for e in _ERAS if day >= e[0]), None)
    era_year = day.year - era[0].year + 1 if era else day.year

    def token(m: re.Match[str]) -> str:
        t = m.group(0)
        return {"ggg": era[1] if era else "", "gg": era[1][0] if era else "", "g": era[2] if era else "",
                "e": "元" if gannen and era_year == 1 else str(era_year), "ee": f"{era_year:02d}", "yyyy": str(day.year), "yy": f"{day.year % 100:02d}",
                "m": str(day.month), "mm": f"{day.month:02d}", "d": str(day.day), "dd": f"{day.day:02d}",
                "aaa": _WEEKDAYS[day.weekday()], "aaaa": _WEEKDAYS[day.weekday()] + "曜日"}[t]

    pieces = re.split(r'("[^"]*"|\\.)', fmt)
    return _literals(fmt, "".join(_DATE_TOKEN.sub(token, p) if i % 2 == 0 else p for i, p in enumerate(pieces)))
