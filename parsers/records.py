"""Typed records the sheet grammar produces: one dataclass per SCHEMA table.

Records carry no file-level facts (doc_id, source path, hash): the pipeline in
``plansheet`` adds those when it turns a :class:`ParsedDocument` into table rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Iterable, Iterator

from plansheet.core.model import Cell, DoubtedGlyph


@dataclass(slots=True)
class Officer:
    """A person in the sheet header (部長, 監, 理事)."""

    position: str
    name: str
    title: str | None = None
    charge: str | None = None  # additive column: the (…担当) remit written after a name


@dataclass(slots=True)
class Target:
    """One 今年度の達成目標 of a goal, with its year-end status and grade."""

    target_no: int
    text: str | None = None
    status: str | None = None
    grade: str | None = None
    page: int | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Initiative:
    """One 具体的取組, the section in charge and its results."""

    initiative_no: int
    text: str | None = None
    target_no: int | None = None
    section: str | None = None
    results: str | None = None
    page: int | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Goal:
    """One 重点目標 (older sheets: 重点課題) with its targets and initiatives."""

    goal_no: int
    title: str | None = None
    plan_goal_no: int | None = None
    plan_goal: str | None = None
    field: str | None = None
    overall_summary: str | None = None
    overall_grade: str | None = None
    next_steps: str | None = None
    page: int | None = None
    confidence: float | None = None
    targets: list[Target] = dc_field(default_factory=list)
    initiatives: list[Initiative] = dc_field(default_factory=list)


@dataclass(slots=True)
class GradeBand:
    """One row of the 【達成度について】 legend."""

    grade: str
    label: str  # the band's word; its grade where the legend writes none (A：達成率100%)
    min_pct: int | None
    max_pct: int | None
    description: str | None = None  # additive column: the sentence inside the parenthesis


@dataclass(slots=True)
class ParsedDocument:
    """Everything the grammar read from one department's sheets."""

    department: str | None = None
    fiscal_year: int | None = None
    fiscal_year_label: str | None = None
    municipality: str | None = None
    director: str | None = None
    basic_policy: str | None = None
    pages: list[int] = dc_field(default_factory=list)
    officers: list[Officer] = dc_field(default_factory=list)
    goals: list[Goal] = dc_field(default_factory=list)
    grade_scale: list[GradeBand] = dc_field(default_factory=list)
    warnings: list[str] = dc_field(default_factory=list)

    @property
    def stage(self) -> str:
        """``result`` when any grade or result is filled, else ``plan``."""
        return "result" if any(getattr(record, name) for _, record, name in result_fields(self)) else "plan"


def legend_letters(bands: list[GradeBand]) -> set[str]:
    """The grades of a legend: its letters, and the one it skips between them (A, B, D, E read: C's
    line was lost, and C is still a grade of the scale, which runs A, B, C … with none left out).
    Only one: a letter read far down the alphabet (``P`` for B) widens nothing."""
    read = {band.grade for band in bands}
    letters = {g for g in read if len(g) == 1 and "A" <= g <= "Z"}
    scale = {chr(c) for c in range(ord("A"), ord(max(letters)) + 1)} if letters else set()
    return read | scale if len(scale - letters) == 1 else read


def record_name(goal: Goal, record: Goal | Target | Initiative) -> str:
    """How warnings name a goal's record: ``goal 2``, ``goal 2 target 1``, ``goal 2 initiative 3``."""
    if isinstance(record, Target):
        return f"goal {goal.goal_no} target {record.target_no}"
    if isinstance(record, Initiative):
        return f"goal {goal.goal_no} initiative {record.initiative_no}"
    return f"goal {goal.goal_no}"


@dataclass(frozen=True, slots=True)
class TextField:
    """One free-text field of a parsed document: its record (the document, an officer, a legend
    band, a goal, target or initiative), the attribute's name, how warnings name the record
    (``basic policy``, ``officer 部長``, ``legend B``, ``goal 2 target 1``) and its page."""

    owner: object
    name: str
    where: str
    page: int | None = None

    @property
    def named(self) -> str:
        """How a warning names the field: ``goal 2 (page 3) overall_summary``, ``officer 部長 name``,
        ``basic policy`` (a field of the document is named by itself)."""
        page = f" (page {self.page})" if self.page is not None else ""
        if isinstance(self.owner, ParsedDocument):
            return f"{self.where}{page}"
        return f"{self.where}{page} {self.name}"


_GOAL_TEXT = ("title", "plan_goal", "field", "overall_summary", "next_steps")
_TARGET_TEXT = ("text", "status")
_INITIATIVE_TEXT = ("text", "section", "results")


def text_fields(doc: ParsedDocument) -> Iterator[TextField]:
    """Every free-text field of ``doc``, filled or not: the department, the basic policy, each
    officer's title, name and charge, each legend entry's label and description, and each goal's
    title, plan goal, 分野, summary and next steps with its targets' text and status and its
    initiatives' text, section and results, each with its page (the front sheet's: the document's
    first page). The one list the OCR repairs and the checks walk."""
    front = doc.pages[0] if doc.pages else None  # the front sheet's fields are named on its page
    yield TextField(doc, "department", "department", front)
    yield TextField(doc, "basic_policy", "basic policy", front)
    for officer in doc.officers:
        for name in ("title", "name", "charge"):
            yield TextField(officer, name, f"officer {officer.position}", front)
    for band in doc.grade_scale:
        yield TextField(band, "label", f"legend {band.grade}", front)
        yield TextField(band, "description", f"legend {band.grade}", front)
    for goal in doc.goals:
        for record, names in [(goal, _GOAL_TEXT), *((t, _TARGET_TEXT) for t in goal.targets),
                              *((i, _INITIATIVE_TEXT) for i in goal.initiatives)]:
            page = getattr(record, "page", None)
            for name in names:
                yield TextField(record, name, record_name(goal, record), goal.page if page is None else page)


def result_fields(doc: ParsedDocument) -> Iterator[tuple[Goal, Goal | Target | Initiative, str]]:
    """Each result-stage field of ``doc`` (the year-end grades, status, results, summary and next
    steps), filled or not, as (its goal, its record, the field's name)."""
    for goal in doc.goals:
        for name in ("overall_grade", "overall_summary", "next_steps"):
            yield goal, goal, name
        for target in goal.targets:
            yield goal, target, "grade"
            yield goal, target, "status"
        for initiative in goal.initiatives:
            yield goal, initiative, "results"


def record_counts(docs: list[ParsedDocument]) -> dict[str, int]:
    """How many records of each kind ``docs`` hold, by the name of the table they become."""
    goals = [g for d in docs for g in d.goals]
    return {"documents": len(docs), "officers": sum(len(d.officers) for d in docs), "goals": len(goals),
            "targets": sum(len(g.targets) for g in goals), "initiatives": sum(len(g.initiatives) for g in goals),
            "grade_scale": sum(len(d.grade_scale) for d in docs)}


@dataclass(frozen=True, slots=True)
class FieldGlyph:
    """The weakest OCR glyph confidence of the cells one field of a record was read from.

    ``record``: a goal, target, initiative, officer or grade band, or the document (or, before
    the document exists, the front sheet standing for it); ``name``: the field, or ``""`` for
    every field of the record (an officer's cell holds title, name and charge together).
    """

    record: object
    name: str
    weakest: float
    page: int | None = None
    doubted: tuple[DoubtedGlyph, ...] = ()  # its cells' glyphs below DOUBT_FLOOR

    @classmethod
    def of(cls, record: object, name: str, cells: Iterable[Cell]) -> "FieldGlyph | None":
        """The weakest glyph of ``record.name`` read from ``cells`` (``None`` when none was OCR'd)."""
        cells = list(cells)
        scores = [(c.weakest_glyph, c.page) for c in cells if c.weakest_glyph is not None]
        if not scores:
            return None
        doubted = tuple(g for c in cells for g in c.doubted_glyphs)
        return cls(record, name, min(w for w, _ in scores), scores[0][1], doubted)
