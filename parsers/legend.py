"""The 【達成度について】 legend → grade bands, read from the legend text itself."""
from __future__ import annotations

import regex

from plansheet.core.text import clean_text, join_lines, to_halfwidth
from plansheet.parsers.records import GradeBand

# "A：達成（目標を達成することができた。100%）" — several may share one joined cell; older
# sheets write "A 達成 100%" or "Ａ．達成（100％）".
# The legend defines the grade set: any letter (S above A, or a scale of its own), or a symbol (◎ ○ △ × －) followed
# by its ：, is a grade.
# A band's bounds may stand in brackets between its grade and its label: ``A（100%）：達成`` (``lead``).
_MARKER = regex.compile(r"(?:^|(?<=[\s\-・。）)]))(?P<grade>[A-ZＡ-Ｚ]|[◎○◯●△▲×✕☓－―](?=\s*[：:（(]))"
                        r"(?:\s*[（(](?P<lead>[^（）()]*[%％割][^（）()]*)[）)](?=\s*[：:]))?"
                        r"\s*[：:．.、]?\s*(?=\p{Han}|\p{Hiragana}|\p{Katakana})")
# the entry's bracket closes at the ）that matches its （ (a bracket inside the description is its own)
_ENTRY = regex.compile(r"^(?P<label>[^（(\s：:]+)\s*(?:[（(](?P<body>(?:[^（）()]|[（(][^（）()]*[）)])*)[）)]"
                       r"(?P<glued>" + "\u0000" + r")?(?P<after>.*)|(?P<rest>.*))$", regex.DOTALL)
# a bound: a percentage (%, ％ or the word パーセント) or a tenth (割, 7割 = 70%), whole or decimal, and the word
# that says which bound it is: 以上 and 超 a lower, 未満 and 以下 an upper; none: the band is that value (100%, 0%).
# The first end of a range shares the second's unit: 70～99% (NFKC: 70~99%), 70-99%
_RANGE_SIGN = r"[~〜\-−‐]"
_BOUND = regex.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?:(?P<unit>%|パーセント|割)\s*(?:(?P<op>以上|超|未満|以下)|(?!\p{Han}))"
                       r"|(?=" + _RANGE_SIGN + r"\s*\d+(?:\.\d+)?\s*(?P<shared>%|パーセント|割)))")
_FIGURE = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|パーセント|割)\p{Han}{0,2}")  # a percentage and what follows it
_NUMBER = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?[^\d\s、。,，）)]{0,8}")  # any figure and the word after it
# between the two bounds of one range: 50%以上、70%未満, 70~99%, or what an inequality puts between them (70%≦達成率＜100%,
# 70%≦x<100%: NFKC has made ＜ <)
_LESS = r"(?:≦|≤|<=?|=<)"
_BOUND_JOIN = regex.compile(r"[\s、,，～~〜\-−‐]*|\s*" + _LESS + r"\s*[\p{Han}\p{Katakana}\p{Hiragana}A-Za-z]{0,6}\s*" + _LESS + r"\s*")
_DESCRIPTION_EDGE = " 　、,，：:"
# a word of a sentence: bounds followed by one are inside the description (目標の8割以上を達成), not beside it
_SENTENCE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}A-Za-z]")
_RUN_BEFORE = " 　(（"  # what may precede the bounds that begin it


def percent_bounds(body: str) -> tuple[int | None, int | None, str]:
    """(min_pct, max_pct, text without the percentages) exactly as the legend states them."""
    lo, hi, rest, _ = read_bounds(body)
    return lo, hi, rest


def read_bounds(body: str) -> tuple[int | None, int | None, str, list[str]]:
    """(min_pct, max_pct, the description, bounds that cannot be read) of one entry's text: the first
    run of bounds (``70%以上100%未満``, ``70%超100%以下``, ``7割以上10割未満``) before or after the description
    (``70%以上100%未満：概ね…``); what follows bounds that end the entry, no word of its sentence, is not
description (a stray glyph: OCR read ``0%)`` as ``0%6)``). A bound the table cannot hold as a whole percent (``60.5%``) is left empty
    and returned, as written, for a warning."""
    text = to_halfwidth(body)
    run = _bound_run(text)
    if not run:
        return None, None, body, []
    lo: int | None = None
    hi: int | None = None
    unreadable: list[str] = []
    for k, m in enumerate(run):
        value = _percent(m)
        whole = int(value) if value.is_integer() else None
        if whole is None:
            unreadable.append(m.group().strip())
        op = m.group("op")
        if op in ("以上", "超") or (op is None and len(run) > 1 and k == 0):
            lo = whole
        elif op in ("未満", "以下") or (op is None and len(run) > 1):
            hi = whole
        else:
            lo = hi = whole
    start, end = _source_index(body, text, run[0].start()), _source_index(body, text, run[-1].end())
    before, after = body[:start].rstrip(_DESCRIPTION_EDGE), body[end:].lstrip(_DESCRIPTION_EDGE)
    if not _SENTENCE.search(after):
        after = ""  # after the bounds that end the entry: its bracket, a stop, or a glyph OCR doubled (0%6)
    return lo, hi, before + after, unreadable


def _percent(bound: regex.Match[str]) -> float:
    """A bound's value in percent (7割 is 70%)."""
    return float(bound.group("n")) * (10 if (bound.group("unit") or bound.group("shared")) == "割" else 1)


def _bound_run(text: str) -> list[regex.Match[str]]:
    """The last run of bounds no word of a sentence follows (or, failing that, the one that begins ``text``): one
    bound, or two joined by nothing but a 、 or ～. The legend states a band's bounds beside its description (``…できた。70%以上100%未満``,
    ``70%以上100%未満：概ね…``); a figure inside the description's sentence (``目標の8割以上を達成``) is the
    description's own text, not a bound."""
    runs: list[list[regex.Match[str]]] = []
    for m in _BOUND.finditer(text):
        if runs and _BOUND_JOIN.fullmatch(text[runs[-1][-1].end():m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in reversed(runs):
        if not _SENTENCE.search(text[run[-1].end():]):  # no more of the sentence after it (a stray glyph may be)
            return run
    for run in runs:
        if not text[:run[0].start()].strip(_RUN_BEFORE):
            return run
    return []


def inner_bounds(body: str) -> list[str]:
    """Percentages or tenths in an entry's text while no bound stands at its edges (inside the description's
    sentence, or followed by a word no bound ends with: ``50%未溝``, an OCR'd 未満), else any figure it writes in
    a unit this reader does not know (``70ポイント以上``): bounds the legend may mean but that :func:`read_bounds`
    does not take (the band's bounds are left empty, and so must be named)."""
    text = to_halfwidth(body)
    if _bound_run(text):
        return []
    return [m.group() for m in _FIGURE.finditer(text)] or [m.group() for m in _NUMBER.finditer(text)]


def _source_index(original: str, normalised: str, index: int) -> int:
    """Map an index in the NFKC text back to the original: the shortest start of the original whose NFKC is
    that long (NFKC keeps the length of full-width digits and ％, and shortens half-width ﾊﾟｰｾﾝﾄ)."""
    if len(original) == len(normalised):
        return index
    return next((j for j in range(len(original) + 1) if len(to_halfwidth(original[:j])) >= index), len(original))


def joined_legend(lines: list[str]) -> str:
    """The legend's lines as one text: each line after the one before with a space, except a line inside an entry's
    bracket still open at the line before's end (``B：概ね達成（概ね目標どおり達成することが`` / ``できた。70%以上100%未満）``):
    that line is the entry's text wrapped, joined as a wrapped line is (no space between two Japanese characters)."""
    out = ""
    for line in lines:
        if out and out.count("（") + out.count("(") > out.count("）") + out.count(")"):
            out = join_lines([out, line]) or out
        else:
            out = f"{out} {line}" if out else line
    return out


def parse_legend(text: str) -> list[GradeBand]:
    """Every ``X：label（description bounds）`` entry in ``text``, in order, one per grade.

    An entry ends at its closing bracket; bounds written after it (``A 達成（…）100%``) are its own,
    any other text after it is not (:func:`legend_strays` names it). Bounds written right after the words of an
    entry with no bracket (``A：達成率100%``) or in brackets between the grade and its label (``A（100%）：達成``) are
    the entry's bounds; a word that two entries or more write alike right before their bounds (``達成率``) names what
    is measured, no band: those bands are labelled by their grade, as a band with no word is."""
    bands: list[GradeBand] = []
    entries = _entries(text)
    measures = [m.group("label") for _, m in entries if m.group("glued")]
    for grade, m in entries:
        body, after = _body_and_after(m)
        lo, hi, description, _ = read_bounds(body)
        if lo is None and hi is None and _bounds_only(after):
            lo, hi, _ = percent_bounds(_bounds_text(after))
        label = clean_text(m.group("label")) or grade
        if m.group("glued") and measures.count(m.group("label")) > 1:
            label = grade  # the table's label is never null (SCHEMA): a band the legend gives no word is its grade
        bands.append(GradeBand(grade=grade, label=label, min_pct=lo, max_pct=hi, description=clean_text(description)))
    return bands


def legend_unreadable(text: str) -> list[tuple[str, str]]:
    """(grade, bound as written) for each bound of ``text``'s entries that is no whole percent (``60.5%以上``):
    the table holds whole percents, so the bound is left empty and named."""
    found = []
    for grade, m in _entries(text):
        body, after = _body_and_after(m)
        unreadable = read_bounds(body)[3] or (read_bounds(_bounds_text(after))[3] if _bounds_only(after) else [])
        found += [(grade, bound) for bound in unreadable]
    return found


def legend_inner_bounds(text: str) -> list[tuple[str, str]]:
    """(grade, figures as written) for each entry of ``text`` whose only percentages stand inside its
    description (:func:`inner_bounds`): its bounds are left empty and named."""
    found = []
    for grade, m in _entries(text):
        body, after = _body_and_after(m)
        if figures := ([] if _bounds_only(after) else inner_bounds(body)):
            found.append((grade, "、".join(figures)))
    return found


def legend_inclusive_uppers(text: str) -> list[tuple[str, str]]:
    """(grade, bound as written) for each upper bound below 100% written ``N%以下``, or as the second end of a
    range (``70～99%``, ``70%～99%``: both ends are in it): it includes N, where the table's max_pct excludes
    it (N%未満); kept as written and named."""
    found = []
    for grade, m in _entries(text):
        body, after = _body_and_after(m)
        written, plain = body, to_halfwidth(body)
        run = _bound_run(plain)
        if not run and _bounds_only(after):
            written = plain = _bounds_text(after)
            run = _bound_run(plain)
        if len(written) != len(plain):
            written = plain
        for k, b in enumerate(run):
            between = plain[run[0].end():b.start()]
            ranged = k == 1 and b.group("op") is None and bool(regex.search(_RANGE_SIGN, between)
                                                                or regex.search(r"(?:≦|≤|<=|=<)\s*$", between))
            if (b.group("op") == "以下" or ranged) and _percent(b) < 100:
                found.append((grade, written[run[0].start():b.end()].strip() if ranged else b.group().strip()))
    return found


def legend_exclusive_lowers(text: str) -> list[tuple[str, str]]:
    """(grade, bound as written) for each lower bound written ``N%超`` (over N): it excludes N, where the table's
    min_pct includes it (N%以上); kept as written and named."""
    found = []
    for grade, m in _entries(text):
        body, after = _body_and_after(m)
        plain = to_halfwidth(body)
        run = _bound_run(plain)
        if not run and _bounds_only(after):
            run = _bound_run(_bounds_text(after))
        found += [(grade, b.group().strip()) for b in run if b.group("op") == "超"]
    return found


def legend_strays(text: str) -> list[tuple[str, str]]:
    """(grade, text) for each entry of ``text`` followed by text that is no part of it: after the
    entry's closing bracket, neither bounds nor another entry (a label and value the legend ran into)."""
    strays = []
    for grade, m in _entries(text):
        _, after = _body_and_after(m)
        if after and not _bounds_only(after):
            strays.append((grade, after))
    return strays


def _body_and_after(entry: regex.Match[str]) -> tuple[str, str]:
    """An entry's text inside its bracket (or all of it, unbracketed), and the text after its closing bracket."""
    body = entry.group("body") if entry.group("body") is not None else (entry.group("rest") or "")
    return body, (entry.group("after") or "").strip()


def _bounds_text(text: str) -> str:
    """Text after an entry's bracket as bounds are read: NFKC, out of a bracket of their own or after ＝."""
    return to_halfwidth(text).strip(" ()[]=")


def _bounds_only(text: str) -> bool:
    """True when ``text`` states percentage bounds and nothing else (``100%``, ``50%以上70%未満``)."""
    plain = _bounds_text(text)
    return _BOUND.search(plain) is not None and not _BOUND.sub("", plain).strip(" 、,，～~〜")


_GLUED = "\u0000"  # marks an entry whose bounds were glued to its words (no text holds it: a cell's text never does)
# an entry with no bracket whose words end in bounds alone (達成率100%, 達成率70%以上100%未満): the words, the bounds
_GLUED_BOUNDS = regex.compile(r"^(?P<word>[^（()）\s：:\d０-９]+?)(?P<bounds>[0-9０-９][^（()）\p{Han}\p{Hiragana}]*"
                              r"(?:以上|超|未満|以下)?(?:[0-9０-９][^（()）\p{Han}\p{Hiragana}]*(?:以上|超|未満|以下)?)?)$")


def _entries(text: str) -> list[tuple[str, regex.Match[str]]]:
    """(grade, entry match) for each grade's first entry in ``text``. An entry's bounds written glued to its words
    (``達成率100%``) or before its label (``A（100%）：達成``) are read as if after it in brackets (``達成率（100%）``,
    ``達成（100%）``); the match's ``glued`` group is set for the first."""
    markers = list(_MARKER.finditer(text))
    entries: list[tuple[str, regex.Match[str]]] = []
    seen: set[str] = set()
    for marker, following in zip(markers, markers[1:] + [None]):
        grade = to_halfwidth(marker.group("grade"))
        entry = text[marker.end(): following.start() if following else len(text)].strip(" 　-・")
        glued = _GLUED_BOUNDS.match(entry)
        if glued and _bounds_only(glued.group("bounds")):
            entry = f"{glued.group('word')}（{glued.group('bounds')}）{_GLUED}"
        elif marker.group("lead") is not None:
            entry = f"{entry}（{marker.group('lead')}）"
        m = _ENTRY.match(entry)
        if grade in seen or m is None:
            continue
        seen.add(grade)
        entries.append((grade, m))
    return entries
