"""Fixed labels printed again in one document, taken from their first reading instead of read again.

A plan sheet prints the same labels over and over: 具体的取組, 所管室・課 and 具体的な取組実績 in every
initiative block of every goal sheet. On the held-out scans a fifth of the engine's time read a
text already read in the same document, two thirds of it such labels (bench/README.md). A
:class:`LabelMemo` lives for one document (the pipeline makes one per file). It keeps each line
the engine read as one of the labels the caller names (``reusable``: the grammar's vocabulary,
which the reader does not know), with its ink; a later line whose ink lies within a scan's noise
of a kept one (:func:`~plansheet.readers.ocr.image.ink_distance` at most :data:`SAME_INK`, the two
ink boxes within :data:`SIZE_SLACK_PX` either way) gets that reading without an engine call. Pages
of one document may be scanned at different resolutions: two lines are then compared at the lower
one, the sharper line's grey crop resampled to it (:meth:`LineInk.at`).

Why that is safe: a scan cannot tell two look-alike kanji apart at 150 dpi any better than the
engine can (達成状況 and 違成状況 lie at distance 0), so the memo only serves labels whose
grammar already takes any text one misread glyph off as that label (the caller's choice:
four characters or more); a text that differs in a whole word (来年度 for 今年度, 達成率 for
達成度, a section name) lies beyond :data:`SAME_INK`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from plansheet.readers.ocr import image as im
from plansheet.readers.ocr.engine import OcrWord

# Two scans of one label lay at most 0.032 apart at one resolution and 0.056 across two (150, 200 and
# 300 dpi) on the hard scans (1,253 and 1,633 pairs; 99 % at 0.022 or less); the nearest other text of
# a label's size 0.071 (具体的取組 and 市民相談課); rendered labels with a word changed (今年度→来年度,
# 総括→概要, 取組→施策) 0.038 or more at 150 dpi; 取組→取扱, one glyph off (taken for 具体的取組 by the
# grammar all the same), down to 0.019.
SAME_INK = 0.02
SIZE_SLACK_PX = 2
# a pair further apart than this unshifted is not shifted (1,655 repeats of a label on the hard scans lay at
# most 0.097 apart unshifted; nine in ten other pairs of a label's size more than 0.22): a tenth of the work
NOT_CLOSE = 0.2


@dataclass
class LineInk:
    """One text line as the reader cut it: ``ink`` its ink mask cut to the ink box, ``gray`` the grey crop
    around it, ``threshold`` the grey at or below which its page counts ink, ``dpi`` its page's resolution."""

    ink: np.ndarray
    gray: np.ndarray
    threshold: int
    dpi: int
    _lower: dict[int, np.ndarray | None] = field(default_factory=dict, repr=False)

    def at(self, dpi: int) -> np.ndarray | None:
        """The ink mask at ``dpi`` (at most its own): the grey crop resampled to it, cut to its ink box."""
        if dpi == self.dpi:
            return self.ink
        if dpi not in self._lower:
            self._lower[dpi] = im.ink_at_scale(self.gray, self.threshold, dpi / self.dpi)
        return self._lower[dpi]


def _fills(line: LineInk, text: str) -> bool:
    """Whether ``text`` (its characters but spaces and middle dots, each about one line height wide)
    spans about the width of ``line``'s ink: 0.8 to 1.3 of the glyphs the ink's width holds."""
    height, width = line.ink.shape
    glyphs = width / max(height, 1)
    count = len([c for c in text if not c.isspace() and c not in "・･"])
    return 0.8 * glyphs - 0.5 <= count <= 1.3 * glyphs + 1


@dataclass(frozen=True, slots=True)
class _Seen:
    """A label line the engine read: its ink, the reading and the engine's words."""
    line: LineInk
    text: str
    words: tuple[OcrWord, ...]


@dataclass
class LabelMemo:
    """The label lines of one document read so far; ``reusable`` says which readings are labels to keep."""

    reusable: Callable[[str], bool]
    seen: list[_Seen] = field(default_factory=list)
    recalled: int = 0

    def recall(self, line: LineInk) -> tuple[str, tuple[OcrWord, ...]] | None:
        """The reading of a kept label line whose ink ``line`` repeats, or ``None``."""
        for seen in self.seen:
            if self._same(seen.line, line):
                self.recalled += 1
                return seen.text, seen.words
        return None

    def note(self, line: LineInk, text: str, words: tuple[OcrWord, ...]) -> None:
        """Keep a line the engine read, if its reading is a label to keep and fills the line's ink.

        A reading that lost glyphs (具体的取組 for a line as long as 具体的取組実績, itself a label)
        would be handed to every repeat of that line: a reading is kept only when its characters,
        each about as wide as the line is high, span about the ink's width."""
        if text and self.reusable(text) and _fills(line, text):  # copies: the arrays may be views of its page
            kept = LineInk(np.array(line.ink), np.array(line.gray), line.threshold, line.dpi)
            self.seen.append(_Seen(kept, text, words))

    @staticmethod
    def _same(kept: LineInk, line: LineInk) -> bool:
        """Whether ``line``'s ink repeats ``kept``'s: boxes of one size, ink within a scan's noise."""
        low = min(kept.dpi, line.dpi)
        (hk, wk), (hl, wl) = kept.ink.shape, line.ink.shape
        fk, fl = low / kept.dpi, low / line.dpi
        slack = SIZE_SLACK_PX + (1 if fk != fl else 0)  # a resampled box may round a pixel either way
        if abs(hk * fk - hl * fl) > slack or abs(wk * fk - wl * fl) > slack:
            return False
        a, b = kept.at(low), line.at(low)
        if a is None or b is None:
            return False
        if abs(a.shape[0] - b.shape[0]) > SIZE_SLACK_PX or abs(a.shape[1] - b.shape[1]) > SIZE_SLACK_PX:
            return False
        return im.ink_distance(a, b, give_up=NOT_CLOSE, enough=SAME_INK) <= SAME_INK
