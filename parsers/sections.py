"""The 所管室・課 cell: one organisational unit a line.

A sheet lists the sections in charge of an initiative one a line (``高齢介護課⏎地域包括支援センター``).
Each unit's name ends in an organisational suffix (課, 室, センター, 係, 所, 館, 事務局 …), so a line that
ends in none is a name wrapped in a narrow cell, whose rest follows on the next line
(``地域包括支援⏎センター``), or a qualifier of the unit above (``企画調整課⏎（公民連携担当）``). Two units are
joined with ``、``, as a sheet writing them on one line does; joined with nothing they would name a section
that does not exist.
"""
from __future__ import annotations

import regex

from plansheet.core.text import join_lines
from plansheet.parsers.labels import KA_SHAPED

SECTION_JOINER = "、"
# one unit: a few words, no stop or comma, ending in an organisational suffix (or a glyph OCR reads for 課)
_UNIT = regex.compile(rf"^[^\s、。，．]{{1,24}}(?:課|室|係|所|館|センター|事務局|[{KA_SHAPED}])$")
_PROSE = regex.compile(r"[。．]")
_QUALIFIER = regex.compile(r"^[（(［\[〔＜<]")


def section_units(lines: list[str] | tuple[str, ...]) -> str | None:
    """The units a 所管室・課 cell's ``lines`` name, joined with ``、``, where they name two or more; ``None``
    where they name one (the cell's text is then its lines joined as any cell's are).

    Lines are read in order: a line that completes a unit's name (ends in a suffix) closes it; one that does
    not runs on into the next. A line in brackets after a unit, and a last piece that completes no unit,
    belong to the unit above it."""
    units = _units(lines)
    return SECTION_JOINER.join(name for name, _ in units) if len(units) > 1 else None


def unit_breaks(lines: list[str] | tuple[str, ...]) -> list[int]:
    """The breaks of ``lines`` (k: the break after line k) that part two units (:func:`section_units`)."""
    units = _units(lines)
    return [last for _, last in units[:-1]] if len(units) > 1 else []


def _units(lines: list[str] | tuple[str, ...]) -> list[tuple[str, int]]:
    """(unit, index of its last line) of each unit ``lines`` name (see :func:`section_units`)."""
    if any(_PROSE.search(line) for line in lines):
        return []
    units: list[tuple[str, int]] = []
    pending: list[str] = []
    for k, line in enumerate(lines):
        if not pending and units and _QUALIFIER.match(line):
            units[-1] = (join_lines([units[-1][0], line]) or units[-1][0], k)  # 企画調整課⏎（公民連携担当）
            continue
        pending.append(line)
        name = join_lines(pending) or ""
        if _UNIT.match(name):
            units.append((name, k))
            pending = []
    if pending and units:
        units[-1] = (join_lines([units[-1][0], *pending]) or units[-1][0], len(lines) - 1)
    return units


# a name read as one line that holds a 課 or 室 after two glyphs or more, then two or more glyphs ending in a unit's
# suffix (秘書広報課人事課, 高齢介護課地域包括支援センター): two units whose line break was lost, or one name (課税課
# holds its 課 first; 市民会館管理事務所 no 課 or 室)
_GLUED = regex.compile(r"^(?P<first>[^\s、。，．]{2,}?(?:課|室))(?P<second>[^\s、。，．]{2,}(?:課|室|係|所|館|センター|事務局))$")


def glued_units(text: str) -> tuple[str, str] | None:
    """The two units ``text`` may be, glued where a line break was lost (``秘書広報課人事課`` → 秘書広報課, 人事課:
    the first 課 or 室 after two glyphs parts them), else ``None``."""
    m = _GLUED.match(text)
    return (m.group("first"), m.group("second")) if m else None
