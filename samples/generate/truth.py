"""Expected SCHEMA rows for a generated file, computed from the content data only."""
from __future__ import annotations

import json
from pathlib import Path

from samples.generate.content import Department, nfkc
from samples.generate.layout import goal_page_offsets
from samples.generate.list_column import read_as


def flat(text: str | None) -> str | None:
    """The text as a reader returns it: forced line breaks joined with no separator (a list whose numbers stand
    in a cell of their own: each item its number and text, :func:`list_column.read_as`)."""
    if text is None:
        return None
    return (read_as(text) or "").replace("\n", "")


def department_rows(d: Department, n: int, first_page: int | None, municipality: str | None,
                    page_count: int | None) -> dict[str, list[dict]]:
    """Rows of every table for department ``n`` (1-based) whose front page is ``first_page``."""
    offsets = goal_page_offsets(d)
    out: dict[str, list[dict]] = {k: [] for k in
                                   ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")}
    out["documents"].append({
        "doc": n,
        "department": d.department,
        "fiscal_year": d.fiscal_year,
        "fiscal_year_label": d.era_label,
        "stage": d.stage,
        "director": d.director,
        "basic_policy": flat(d.basic_policy),
        "municipality": municipality,
        "page_count": page_count,
    })
    for o in d.officers:
        out["officers"].append({"doc": n, "position": o.position, "title": o.title, "name": o.name,
                                "charge": o.charge})
    for g in d.goals:
        goal_no = int(nfkc(g.no))
        pages = offsets[g.no]  # a sheet printed across pages: a record cites the page its row begins on (the left)
        page_of = (lambda k: None) if first_page is None else (lambda k: first_page + pages[k])
        out["goals"].append({
            "doc": n, "goal_no": goal_no, "plan_goal_no": g.plan_goal_no, "plan_goal": g.plan_goal,
            "field": g.field, "title": flat(g.title), "overall_summary": flat(g.summary),
            "overall_grade": nfkc(g.overall_grade), "next_steps": flat(g.next_steps), "page": page_of(0),
        })
        def on_second(t_no: int, row: int) -> int:  # 1 on the goal's second page (past its break), else 0
            at = t_no - 1 if g.stacks_targets else row
            return 1 if g.break_before is not None and at >= g.break_before else 0

        for t_no, t in enumerate(g.targets, 1):
            out["targets"].append({"doc": n, "goal_no": goal_no, "target_no": t_no, "text": flat(t.text),
                                   "status": flat(t.status), "grade": nfkc(t.grade),
                                   "page": page_of(on_second(t_no, 0) if g.stacks_targets else 0)})
        i_no = 0
        for t_no, t in enumerate(g.targets, 1):
            for row, it in enumerate(t.initiatives):
                i_no += 1
                k = on_second(t_no, row)
                out["initiatives"].append({
                    "doc": n, "goal_no": goal_no, "initiative_no": i_no, "target_no": t_no,
                    "text": flat(it.text), "section": it.section, "results": flat(it.results), "page": page_of(k),
                })
    for band in d.grade_scale:
        out["grade_scale"].append({"doc": n, "grade": band.grade, "label": band.label, "min_pct": band.min_pct,
                                   "max_pct": band.max_pct, "description": band.description})
    return out


def page_count(d: Department) -> int:
    return 1 + sum((1 + (1 if g.break_before is not None else 0)) * g.across for g in d.goals)


def build(file: str, fmt: str, method: str, parts: list[tuple[Department, int | None, str | None]],
          total_pages: int | None, page_counts: bool = True) -> dict:
    """``parts``: (department, 1-based front page or None, municipality) in file order."""
    tables: dict[str, list[dict]] = {k: [] for k in
                                     ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")}
    for n, (d, first, muni) in enumerate(parts, 1):
        rows = department_rows(d, n, first, muni, page_count(d) if page_counts else None)
        for k, v in rows.items():
            tables[k] += v
    return {"meta": {"file": file, "source_format": fmt, "extraction_method": method,
                     "pages": total_pages, "departments": len(parts)}, **tables}


def write(truth: dict, truth_dir: Path) -> Path:
    name = Path(truth["meta"]["file"]).name + ".json"
    path = truth_dir / name
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
