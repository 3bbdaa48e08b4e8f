"""The number look: a rate the grammar says was misread is read again, and given only what it lacks.

A rate (…率は, …比, 割合) is a percentage: the sheets write it ``N%`` (``達成率は20%でした``), its ``%`` one
glyph. A line that reads one in pieces, or bare (``達成率は20でした``: the ``%`` lost), as a ``%`` alone (``達成率は%でした``: the digits lost), or
below the bound the same sentence says it reached (``利用率は3%で、目標とした80%以上を達成しました``: a digit
lost, 93 %) breaks the grammar, so the reader looks at it twice more, upscaled and black and white
(:data:`NUMBER_LOOK_SCALE`) — only the stretch of it around the number (:data:`NUMBER_CONTEXT`
characters either side), and black and white only where one reading may not decide —, and takes from those
readings only what the grammar asks for:

- a bare rate gets its ``%`` where a second reading has the same digits followed by ``%`` (no digit of the
  first reading changes: ``20`` → ``20%``), or the same digits up to a decimal and a ``%`` where the first
  reading went on with a piece of the ``%`` (its loop read as 6, 8 or 9: ``56.09295`` → ``56.0%``);
- a rate with no digits gets them only where both readings agree on them (one reading's digits alone
  would be a guess);
- a rate below its bound takes the one number another reading gives that reaches the bound and ends in the
  first reading's digits (a digit was lost before them, none misread: ``3%`` → ``93%``; a digit more at the
  end is a piece of the ``%``: ``44%`` read ``442%`` again is no reading of 44 %); where the readings give two
  such numbers, or none, the line stays as read (the parser names it);
- a rate whose ``%`` was read in pieces (another ``%`` or a digit right after it: ``56.20%6``) may have its
  last digit made of a piece too: it takes the number both other readings agree on where that only drops
  the first reading's last digit or digits (``56.2%``); they disagree, it stays.

Everything else of the line stays as first read (the other readings misread other glyphs as often). The
glyphs taken from another reading were chosen by the grammar, not by the engine: they are scored
:data:`CHOSEN_GLYPH_CONFIDENCE` at most, below the parsers' doubt, so the field they change is named (the
audit trail of a look, as a repair note is of a rule).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import regex

from plansheet.core.text import APPROXIMATE, APPROXIMATE_UNITS
from plansheet.readers.ocr.engine import OcrWord

# a rate word, then what stands for its number: digits (a decimal) and a % (either may be lost)
_RATE = regex.compile(r"(?:率|比|割合)(?:は|が|を|で|も)?(?P<number>(?P<digits>\d+(?:\.\d+)?)?(?P<sign>%)?)"
                      r"(?P<next>.?)")
# a count after 平均, 約 or 延べ (core.text.APPROXIMATE): its digits may be lost (平均日)
_COUNT = regex.compile(APPROXIMATE + r"(?P<number>(?P<digits>\d+(?:\.\d+)?)?(?P<unit>"
                       + "|".join(APPROXIMATE_UNITS) + r"))(?!\p{Han})")
# after a bare number these say it is no rate read without its % (a count, a decimal cut, a date)
_NOT_BARE_BEFORE = regex.compile(r"[\d,.%．，A-Za-zＡ-Ｚａ-ｚ人件袋円回通枚台本冊日月年時倍割分]")
# the digits a %'s loop is read as (a 0 too, but a true 0 before a % is common: 100%, 70%以上)
PERCENT_PIECES = "689"
# the bound a sentence says its rate reached: ``目標とした80%以上を達成しました`` (not 未達成, 達成できず)
_REACHED = regex.compile(r"(?<![\d.])(\d+(?:\.\d+)?)%以上を?達成(?!でき[ずな]|せず|しな)")


@dataclass(frozen=True)
class RateNumber:
    """The number after one rate word of a line: its span in the text, its digits, whether a ``%`` follows, and
    the bound its sentence says it reached (``None`` where it says none)."""

    start: int
    end: int
    digits: str
    sign: bool
    bound: float | None = None
    pieces: bool = False  # the % is followed by another % or a digit: read in pieces
    unit: str = "%"  # what stands behind the digits: a rate's %, or a count's counter (平均2日: 日)

    @property
    def in_pieces(self) -> bool:
        """True when the rate's ``%`` was read in pieces (``56.20%6``, ``520%%``) after a digit that may be one of
        them (its loop: 0, 6, 8, 9)."""
        return self.pieces and bool(self.digits) and self.sign and self.digits[-1] in "0689"

    @property
    def doubted(self) -> bool:
        """True when the grammar doubts this number (see the module docstring)."""
        return self.lacking or self.below or self.in_pieces

    @property
    def needs_two(self) -> bool:
        """True when only two other readings that agree may decide it (digits lost; a % read in pieces)."""
        return not self.digits or self.in_pieces and not self.lacking and not self.below

    @property
    def lacking(self) -> bool:
        """True when the grammar misses something here: the ``%`` of a bare rate, or the digits of a ``%``."""
        return bool(self.digits) != self.sign

    @property
    def below(self) -> bool:
        """True when the rate is below the bound its sentence says it reached."""
        return bool(self.digits) and self.sign and self.bound is not None and float(self.digits) < self.bound


def rate_numbers(text: str) -> list[RateNumber]:
    """Each rate word's number in ``text`` (none for a rate word followed by neither digits nor ``%``, nor
    for a bare number a counter, a unit or more digits follow: ``達成率は5割``, ``比1.5倍``), and each count
    after 平均, 約 or 延べ (``平均2日``; ``平均日``, its digits lost, is doubted as a rate's lost digits are), in
    the order they stand."""
    out = []
    for m in _RATE.finditer(text):
        digits, sign = m.group("digits") or "", bool(m.group("sign"))
        if not digits and not sign:
            continue
        if digits and not sign and (not m.group("next") or _NOT_BARE_BEFORE.match(m.group("next"))):
            continue
        sentence = text[m.end("number"):].split("。", 1)[0]
        reached = _REACHED.search(sentence)
        out.append(RateNumber(m.start("number"), m.end("number"), digits, sign,
                              float(reached.group(1)) if reached and "未達成" not in sentence else None,
                              sign and bool(m.group("next")) and m.group("next") in "%0123456789"))
    out += [RateNumber(m.start("number"), m.end("number"), m.group("digits") or "", True, unit=m.group("unit"))
            for m in _COUNT.finditer(text)]
    return sorted(out, key=lambda n: n.start)


def doubts_rate_number(text: str) -> bool:
    """True when a rate of ``text`` is read bare, with no digits, or below its bound (the module docstring)."""
    return any(n.doubted for n in rate_numbers(text))


def _replacement(n: RateNumber, seen: list[RateNumber], retries: int) -> str | None:
    """What the number ``n`` of the first reading becomes, given the same rate's number in the other readings
    (``seen``, of ``retries`` readings), or ``None``: see the module docstring."""
    whole = [s for s in seen if s.sign and s.digits]
    if n.below:
        reach = {s.digits for s in whole if float(s.digits) >= n.bound and s.digits.endswith(n.digits)}
        return f"{reach.pop()}%" if len(reach) == 1 else None
    if n.in_pieces and not n.lacking and not n.below:
        # read in pieces: the number both other readings agree on, where it only drops the first's last digit(s)
        agreed = {s.digits for s in whole}
        if len(whole) == retries >= 2 and len(agreed) == 1:
            digits = agreed.pop()
            return f"{digits}%" if digits != n.digits and n.digits.startswith(digits) else None
        return None
    if n.digits:
        # the same digits and a %, or fewer of them and a % where the first reading had the %'s pieces (a loop
        # read as 6, 8 or 9, then what follows it: ``56.09295`` for 56.0 %)
        kept = {s.digits for s in whole if n.digits == s.digits or n.digits.startswith(s.digits) and "." in s.digits
                and n.digits[len(s.digits)] in PERCENT_PIECES}
        return f"{kept.pop()}%" if len(kept) == 1 else None
    agreed = {s.digits for s in whole if s.unit == n.unit}
    return f"{agreed.pop()}{n.unit}" if len(whole) == retries >= 2 and len(agreed) == 1 else None


Edit = tuple[int, int, str]  # a span of the first reading and what stands there instead


def rate_edits(text: str, retries: list[str]) -> list[Edit]:
    """The rate numbers of ``text`` the grammar doubts, each with what ``retries`` (the same line read otherwise)
    give it, as the module docstring says. A retry with another count of rate numbers is not used."""
    mine = rate_numbers(text)
    theirs = [t for t in (rate_numbers(r) for r in retries) if len(t) == len(mine)]
    edits = []
    for k, n in enumerate(mine):
        new = _replacement(n, [t[k] for t in theirs], len(retries)) if n.doubted and theirs else None
        if new is None:
            continue
        edits.append(_trimmed(text, n, new))
    return edits


def number_edit(text: str, n: RateNumber, pieces: list[str]) -> Edit | None:
    """The edit of the doubted number ``n`` of ``text`` that ``pieces`` give: readings of the stretch of the line
    around it (its rate word, the number and what follows), each holding that one rate; ``None`` when they give
    none (see the module docstring)."""
    seen = [found[0] for found in (rate_numbers(p) for p in pieces) if len(found) == 1]
    if len(seen) != len(pieces):
        return None
    new = _replacement(n, seen, len(pieces))
    if new is None:
        return None
    return _trimmed(text, n, new)


def _trimmed(text: str, n: RateNumber, new: str) -> Edit:
    """The edit putting ``new`` in place of the number ``n`` of ``text``, less the glyphs both share at either
    end (the first reading's glyphs are kept: 20 → 20% adds one)."""
    start, end, old = n.start, n.end, text[n.start:n.end]
    while old and new and old[0] == new[0]:
        start, old, new = start + 1, old[1:], new[1:]
    while old and new and old[-1] == new[-1]:
        end, old, new = end - 1, old[:-1], new[:-1]
    return start, end, new


def glyph_range(text: str, start: int, end: int, shown: Sequence[str]) -> tuple[int, int] | None:
    """The glyphs (first, one past the last) that read ``text[start:end]``, ``shown`` each glyph's text as the
    line writes it; ``None`` when they do not lay on ``text``."""
    bare = [k for k, ch in enumerate(text) if ch != " "]
    if sum(len(t) for t in shown) != len(bare):
        return None
    owner = [g for g, t in enumerate(shown) for _ in t]  # the glyph of each character other than a space
    inside = [owner[j] for j, k in enumerate(bare) if start <= k < end]
    return (inside[0], inside[-1] + 1) if inside else None


# a doubted number is read again with this many characters of its line either side (its rate word, its ending)
NUMBER_CONTEXT = 3


def complete_rates(text: str, retries: list[str]) -> str:
    """``text`` with :func:`rate_edits` made."""
    for start, end, new in reversed(rate_edits(text, retries)):
        text = text[:start] + new + text[end:]
    return text


def glyphs_for(text: str, edits: list[Edit], glyphs: tuple[OcrWord, ...],
               shown: Sequence[str]) -> tuple[OcrWord, ...] | None:
    """The glyphs of ``text`` with ``edits`` made: the first reading's, those of an edited span replaced by one
    glyph for each character put there, placed after its left neighbour and scored the line's weakest
    confidence; ``None`` when the glyphs do not lay on ``text`` or an edit would cut one.
    ``shown``: each glyph's text as the line writes it (a circled ⑳ is ``20``)."""
    bare_at = [0]  # characters of ``text`` other than spaces before each index
    for ch in text:
        bare_at.append(bare_at[-1] + (ch != " "))
    if not glyphs or sum(len(t) for t in shown) != bare_at[-1]:
        return None
    spans = [(bare_at[start], bare_at[end], new.replace(" ", "")) for start, end, new in edits]
    weakest = min(min(g.confidence for g in glyphs), CHOSEN_GLYPH_CONFIDENCE)
    out: list[OcrWord] = []
    k = 0
    for g, t in zip(glyphs, shown):
        n = len(t)
        for lo, hi, new in spans:
            if lo <= k < hi and k + n > hi or k < lo < k + n:
                return None  # the edit would cut the glyph
            if k == lo and (hi - lo, len(new), n) == (1, 1, 1):
                out.append(replace(g, text=new, confidence=weakest))  # one glyph read otherwise keeps its place
            elif k == lo:
                near = out[-1] if out else g
                out += [replace(near, text=ch, confidence=weakest, x0=near.x1) for ch in new]
        if not any(lo <= k < hi for lo, hi, _ in spans):
            out.append(g)
        k += n
    for lo, hi, new in spans:
        if lo == k:
            near = out[-1]
            out += [replace(near, text=ch, confidence=weakest, x0=near.x1) for ch in new]
    return tuple(out)


# a glyph another look gave, chosen by the grammar or the dictionary: scored at most this, below the parsers'
# doubt (parsers/ocr_repair.GLYPH_DOUBT, 0.978), so a field it changes is named (hard scan 17035: 子宮頸 read
# 子宮顔 by a look the dictionary let through, 顔 being a suffix, at the line's weakest 0.98: unnamed at 0.995)
CHOSEN_GLYPH_CONFIDENCE = 0.97

# the other looks at a line lacking a rate's number: upscaled this much, and black and white (Otsu)
NUMBER_LOOK_SCALE = 1.25
