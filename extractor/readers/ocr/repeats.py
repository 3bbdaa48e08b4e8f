"""Fixed labels printed again in one document, taken from their first reading instead of read again.

A plan sheet prints the same labels over and over: 具体的取組, 所管室・課 and 具体的な取組実績 in every
initiative block of every goal sheet. On the held-out scans a fifth of the engine's time read a
text already read in the same document, two thirds of it such labels (bench/README.md). A
:class:`LabelMemo` lives for one document (the pipeline makes one per file). It keeps each line
the engine read as one of the labels the caller names (``reusable``: the grammar's vocabulary,
which the reader does not know), with its ink mask; a later line whose ink lies within a scan's
noise of a kept one (:func:`~plansheet.readers.ocr.image.ink_distance` at most
:data:`SAME_INK`, same resolution, its ink box within :data:`SIZE_SLACK_PX` either way) gets
that reading without an engine call.

Why that is safe: a scan cannot tell two look-alike kanji apart at 150 dpi any better than the
engine can (達成状況 and 違成状況 lie at distance 0), so the memo only serves labels whose
grammar already takes any text one misread glyph off as that label (the caller's choice:
four characters or more); a text that differs in a whole word (来年度 for 今年度, 達成率 for
達成度, a section name) lies well beyond :data:`SAME_INK`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from plansheet.readers.ocr import image as im
from plansheet.readers.ocr.engine import OcrWord

# Two scans of one label lay at most 0.032 apart on the held-out scans (1,253 pairs; 99 % at 0.022 or
# less), the nearest other text of a label's size 0.071 (具体的取組 and 市民相談課), and rendered
# labels with one word changed (今年度→来年度, 総括→概要, 取組→施策) 0.041 or more at 150 dpi.
SAME_INK = 0.02
SIZE_SLACK_PX = 2
# a pair further apart than this unshifted is not shifted (1,655 repeats of a label on the hard scans lay at
# most 0.097 apart unshifted; nine in ten other pairs of a label's size more than 0.22): a tenth of the work
NOT_CLOSE = 0.2


@dataclass(frozen=True, slots=True)
class _Seen:
    dpi: int
    ink: np.ndarray  # the line's ink mask cut to its ink box
    text: str
    words: tuple[OcrWord, ...]


@dataclass
class LabelMemo:
    """The label lines of one document read so far; ``reusable`` says which readings are labels to keep."""

    reusable: Callable[[str], bool]
    seen: list[_Seen] = field(default_factory=list)
    recalled: int = 0

    def recall(self, ink: np.ndarray, dpi: int) -> tuple[str, tuple[OcrWord, ...]] | None:
        """The reading of a kept label line whose ink ``ink`` (cut to its ink box) repeats, or ``None``."""
        height, width = ink.shape
        for seen in self.seen:
            h, w = seen.ink.shape
            if seen.dpi != dpi or abs(h - height) > SIZE_SLACK_PX or abs(w - width) > SIZE_SLACK_PX:
                continue
            if im.ink_distance(seen.ink, ink, give_up=NOT_CLOSE) <= SAME_INK:
                self.recalled += 1
                return seen.text, seen.words
        return None

    def note(self, ink: np.ndarray, dpi: int, text: str, words: tuple[OcrWord, ...]) -> None:
        """Keep a line the engine read (its ink mask cut to its ink box), if its reading is a label to keep."""
        if not text or not self.reusable(text):
            return
        self.seen.append(_Seen(dpi, np.ascontiguousarray(ink > 0, dtype=np.uint8), text, words))
