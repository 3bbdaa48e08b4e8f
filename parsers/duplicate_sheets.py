"""One sheet per goal: a goal sheet printed twice, or headed with another goal's number.

A document's goals are keyed by their number (SCHEMA.md: one row per doc_id and goal_no), so two
sheets headed 重点目標 2 cannot both be written. A person reading the sheets states the rule: a
second sheet whose title is the 【重点目標】 overview's goal N, a number no sheet is headed with, is
goal N's sheet misnumbered (read as goal N, named); any other second sheet of a number is not read,
and named (the same in every field: printed twice; else which is the goal's cannot be told, and the
first is kept).
"""
from __future__ import annotations

from dataclasses import replace

import regex

from plansheet.parsers.front_sheet import OverviewGoal
from plansheet.parsers.goal_sheet import GoalSheet
from plansheet.parsers.records import Goal


def one_sheet_per_goal(sheets: list[GoalSheet], overview: list[OverviewGoal]) -> tuple[list[GoalSheet], list[str]]:
    """``sheets`` with no goal number twice, and a warning for each sheet renumbered or not read."""
    headed = {s.goal.goal_no for s in sheets}
    kept: dict[int, GoalSheet] = {}
    warnings: list[str] = []
    for sheet in sheets:
        goal = sheet.goal
        first = kept.get(goal.goal_no)
        if first is None:
            kept[goal.goal_no] = sheet
            continue
        page = f" (page {goal.page})" if goal.page is not None else ""
        owner = next((e.goal_no for e in overview if e.goal_no not in headed and e.goal_no not in kept
                      and _same_title(e.title, goal.title)), None)
        if owner is not None:
            warnings.append(f"goal {owner}{page} goal_no: the sheet is headed 重点目標 {goal.goal_no}, as the sheet on "
                            f"page {first.goal.page} is; its title is the 【重点目標】 overview's goal {owner}, which "
                            f"no sheet is headed with: read as goal {owner}")
            goal.goal_no = owner
            kept[owner] = sheet
        elif _content(goal) == _content(first.goal):
            warnings.append(f"goal {goal.goal_no}{page}: a second sheet headed 重点目標 {goal.goal_no}, the same in "
                            f"every field as the one on page {first.goal.page} (printed twice); not read again")
        else:
            warnings.append(f"goal {goal.goal_no} (page {first.goal.page}): a second sheet headed 重点目標 "
                            f"{goal.goal_no}{page} differs from this one; which is the goal's cannot be told: "
                            f"kept page {first.goal.page}'s, the other not read")
    return [s for s in sheets if kept.get(s.goal.goal_no) is s], warnings


def _content(goal: Goal) -> Goal:
    """``goal`` as its sheet reads, whatever page it stands on."""
    return replace(goal, page=None, confidence=None,
                   targets=[replace(t, page=None, confidence=None) for t in goal.targets],
                   initiatives=[replace(i, page=None, confidence=None) for i in goal.initiatives])


def _same_title(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and regex.sub(r"\s", "", a or "") == regex.sub(r"\s", "", b or "")
