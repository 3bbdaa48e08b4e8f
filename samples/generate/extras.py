"""Columns, rows and sections another city's sheet adds that the tables have no field for (a fuzz axis).

``unknown_structure``: one to three of :data:`~samples.generate.layout.EXTRAS` on every goal sheet (a 目標値 column
beside each target, 実績値 between status and grade, a grade of each initiative, a 事業費（千円） row, a 前年度の達成度
row, a KPI table) or on the front sheet (a 【現状と課題】 section after the basic policy). Drawn from its own random
stream after every other draw, and written into the variant's ``params`` only when drawn. The truth stays what it was:
the tables hold none of it. Drawn only when forced (rate 0.0, ``fuzz_run --force unknown_structure``): what the
tables have no field for is named, so such a document is read ``partial`` at best, which a normal run would count
as a false alarm.
"""
from __future__ import annotations

import random

from samples.generate.layout import EXTRAS

EXTRAS_RATES = {"unknown_structure": 0.0}
# what a sheet whose labels stand beside their texts may add (the others are drawn on labels above their texts)
_BESIDE = ("prev_grade_row", "issues_section")


def draw_unknown_structure(rng: random.Random, p: dict[str, object], side_labels: bool, status_head: str
                           ) -> tuple[str, ...]:
    """One to three extras for the variant at the axis's rate (none where not drawn)."""
    if rng.random() >= EXTRAS_RATES["unknown_structure"]:
        return ()
    kinds = [e for e in EXTRAS if (not side_labels or e in _BESIDE) and not (status_head and e == "status_value")]
    drawn = tuple(sorted(rng.sample(kinds, rng.randint(1, min(3, len(kinds))))))
    p["unknown_structure"] = "+".join(drawn)
    return drawn
