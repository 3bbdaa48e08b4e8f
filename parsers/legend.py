"""The 【達成度について】 legend → grade bands, read from the legend text itself."""
from __future__ import annotations

import regex

from plansheet.core.text import clean_text, to_halfwidth
from plansheet.parsers.records import GradeBand

# "A：達成（目標を達成することができた。100%）" — several may share one joined cell; older
# sheets write "A 達成 100%" or "Ａ．達成（100％）".
_MARKER = regex.compile(r"(?:^|(?<=[\s\-・。）)]))(?P<grade>[A-EＡ-Ｅ])\s*[：:．.、]?\s*(?=\p{Han}|\p{Hiragana}|\p{Katakana})")
# the entry's bracket closes at the ）that matches its （ (a bracket inside the description is its own)
_ENTRY = regex.compile(r"^(?P<label>[^（(\s：:]+)\s*(?:[（(](?P<body>(?:[^（）()]|[（(][^（）()]*[）)])*)[）)](?P<after>.*)"
                       r"|(?P<rest>.*))$", regex.DOTALL)
_RANGE = regex.compile(r"(?P<lo>\d+)\s*%\s*以上\s*(?:[、,，～~〜]\s*)?(?:(?P<hi>\d+)\s*%\s*(?:未満|以下))?")
_BELOW = regex.compile(r"(?P<hi>\d+)\s*%\s*(?:未満|以下)")
_EXACT = regex.compile(r"(?P<n>\d+)\s*%")


def percent_bounds(body: str) -> tuple[int | None, int | None, str]:
    """(min_pct, max_pct, text without the percentages) exactly as the legend states them."""
    text = to_halfwidth(body)
    for pattern in (_RANGE, _BELOW, _EXACT):
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        if "lo" in groups:
            lo, hi = int(groups["lo"]), groups.get("hi")
            bounds = (lo, int(hi) if hi else None)
        elif "n" in groups:
            bounds = (int(groups["n"]), int(groups["n"]))
        else:
            bounds = (None, int(groups["hi"]))
        rest = body[: _source_index(body, text, m.start())].rstrip(" 　、,")
        return bounds[0], bounds[1], rest
    return None, None, body


def _source_index(original: str, normalised: str, index: int) -> int:
    """Map an index in the NFKC text back to the original (NFKC keeps length for these chars)."""
    return index if len(original) == len(normalised) else len(original)


def parse_legend(text: str) -> list[GradeBand]:
    """Every ``X：label（description bounds）`` entry in ``text``, in order, one per grade.

    An entry ends at its closing bracket; bounds written after it (``A 達成（…）100%``) are its own,
    any other text after it is not (:func:`legend_strays` names it)."""
    bands: list[GradeBand] = []
    for grade, m in _entries(text):
        body = m.group("body") if m.group("body") is not None else (m.group("rest") or "")
        lo, hi, description = percent_bounds(body)
        after = (m.group("after") or "").strip()
        if lo is None and hi is None and _bounds_only(after):
            lo, hi, _ = percent_bounds(_bounds_text(after))
        bands.append(GradeBand(grade=grade, label=clean_text(m.group("label")) or grade,
                               min_pct=lo, max_pct=hi, description=clean_text(description)))
    return bands


def legend_strays(text: str) -> list[tuple[str, str]]:
    """(grade, text) for each entry of ``text`` followed by text that is no part of it: after the
    entry's closing bracket, neither bounds nor another entry (a label and value the legend ran into)."""
    strays = []
    for grade, m in _entries(text):
        after = (m.group("after") or "").strip()
        if after and not _bounds_only(after):
            strays.append((grade, after))
    return strays


def _bounds_text(text: str) -> str:
    """Text after an entry's bracket as bounds are read: NFKC, out of a bracket of their own or after ＝."""
    return to_halfwidth(text).strip(" ()[]=")


def _bounds_only(text: str) -> bool:
    """True when ``text`` states percentage bounds and nothing else (``100%``, ``50%以上70%未満``)."""
    plain = _bounds_text(text)
    return _EXACT.search(plain) is not None and not _EXACT.sub("", _BELOW.sub("", _RANGE.sub("", plain))).strip(" 、,")


def _entries(text: str) -> list[tuple[str, regex.Match[str]]]:
    """(grade, entry match) for each grade's first entry in ``text``."""
    markers = list(_MARKER.finditer(text))
    entries: list[tuple[str, regex.Match[str]]] = []
    seen: set[str] = set()
    for marker, following in zip(markers, markers[1:] + [None]):
        grade = to_halfwidth(marker.group("grade"))
        entry = text[marker.end(): following.start() if following else len(text)].strip(" 　-・")
        m = _ENTRY.match(entry)
        if grade in seen or m is None:
            continue
        seen.add(grade)
        entries.append((grade, m))
    return entries
