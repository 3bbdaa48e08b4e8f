"""One self-contained HTML report of an output folder: no network, inline SVG drawn here.

Sections: sheets per year and department, the grade distribution per department and year
(one small square per goal, never an average of letters), goal lineage chains with their
grade trajectories (goals that ended are marked), and the sources that failed or were
only partly read, with their reasons. Each chain's goals and each failed source link to
their file (``#page=N`` for a goal). Every count is of sheets: the current copy of each
(:mod:`plansheet.derived.current`). The page fits a phone: viewport meta, drawings that
scale to the width, wide tables that scroll in their own box.

:func:`render_report` is pure (tables in, HTML out); :func:`write_report` loads a folder
and writes the file atomically, by default ``OUT/report.html``.
"""
from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from plansheet.version import __version__
from plansheet.derived.lineage import representative_documents
from plansheet.derived.loading import load
from plansheet.output.writers import atomic_write_bytes

log = logging.getLogger(__name__)

GRADE_COLOURS = {"A": "#1a9850", "B": "#91cf60", "C": "#fee08b", "D": "#fc8d59", "E": "#d73027"}
NO_GRADE = "#d9d9d9"
REPORT_NAME = "report.html"  # the default target, inside the output folder
RELATION_STYLE = {"carried_over": "", "reworded": "6 3", "split": "2 3", "merged": "2 3"}
ERROR_MARKER = "PLANSHEET-REPORT-ERROR"  # written into document.title by window.onerror

CSS = """
body{font-family:"IPAexGothic","Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:24px auto;padding:0 12px;
color:#222;max-width:1200px}
.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}
@media (max-width:600px){body{margin:8px auto;padding:0 8px}h1{font-size:18px}table{font-size:12px}}
.ended{color:#b2182b}a{color:#1f5fa8}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right}#chains td:first-child{white-space:nowrap}
.muted{color:#777}.legend span{display:inline-block;padding:1px 8px;margin-right:4px;border-radius:3px}
svg text{font-family:inherit}details{font-size:12px}
"""
# an uncaught script error or a failed resource load marks the page (the Chromium test reads it)
ONERROR = ("<script>window.onerror=function(m){document.title='" + ERROR_MARKER + ": '+m;"
           "document.documentElement.setAttribute('data-error',String(m));};"
           "window.addEventListener('error',function(e){if(e.target&&e.target!==window){"
           "document.title='" + ERROR_MARKER + ": resource';}},true);</script>")


def esc(value: object) -> str:
    """HTML-escaped text; missing values become an empty string."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def _dept_label(municipality: object, department: object) -> str:
    m = "" if municipality is None or pd.isna(municipality) else f"{municipality} "
    return f"{m}{department}"


def documents_section(documents: pd.DataFrame) -> str:
    """A table: one row per department, one column per fiscal year, documents (and stages) per cell."""
    if documents.empty:
        return "<p class='muted'>No documents.</p>"
    every = "is_current" in documents and not documents["is_current"].fillna(False).all()
    note = ("Number of documents: every copy of a sheet counts (report --copies all)." if every else
            "Number of sheets (a sheet read from several files counts once: its current copy; "
            "report --copies all counts every copy).")
    years = sorted(int(y) for y in documents["fiscal_year"].dropna().unique())
    cells: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in documents.itertuples(index=False):
        cells[_dept_label(r.municipality, r.department)][int(r.fiscal_year)].append(str(r.stage))
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = []
    for dept in sorted(cells):
        tds = []
        for y in years:
            stages = cells[dept].get(y, [])
            detail = ", ".join(f"{n} {s}" for s, n in sorted(pd.Series(stages).value_counts().items())) if stages else ""
            tds.append(f"<td class='num' title='{esc(detail)}'>{len(stages) or ''}</td>")
        rows.append(f"<tr><th>{esc(dept)}</th>{''.join(tds)}<td class='num'>"
                    f"{sum(len(v) for v in cells[dept].values())}</td></tr>")
    totals = "".join(f"<td class='num'>{int((documents['fiscal_year'] == y).sum())}</td>" for y in years)
    return (f"<div class='scroll'><table id='documents'><tr><th>department</th>{head}<th>all</th></tr>{''.join(rows)}"
            f"<tr><th>all</th>{totals}<td class='num'>{len(documents)}</td></tr></table></div>"
            f"<p class='muted'>{note} hover a cell for its stages.</p>")


def heatmap_section(documents: pd.DataFrame, goals: pd.DataFrame, sources: pd.DataFrame) -> str:
    """SVG: department × fiscal year; each cell holds one small square per goal, coloured by its 全体の達成度.

    Letters are never averaged (ABCD is not a B): a cell shows the distribution, in goal order.
    """
    docs = representative_documents(documents, goals, sources)
    if docs.empty:
        return "<p class='muted'>No documents.</p>"
    years = sorted(int(y) for y in docs["fiscal_year"].unique())
    labels = [_dept_label(m or None, d) for m, d in zip(docs["group_municipality"], docs["department"])]
    depts = sorted(set(labels))
    grades = (goals.sort_values("goal_no").groupby("doc_id")["overall_grade"]
              .apply(lambda s: [None if pd.isna(g) else str(g) for g in s]).to_dict()) if not goals.empty else {}
    cw, ch, left, top, sq = 96, 30, max(120, 14 * max(len(d) for d in depts)), 26, 10
    width, height = left + cw * len(years) + 10, top + ch * len(depts) + 10
    parts = [f"<svg id='heatmap' viewBox='0 0 {width} {height}' width='{width}' "
             "role='img' aria-label='grade distribution per department and year'>"]
    for i, y in enumerate(years):
        parts.append(f"<text x='{left + cw * i + cw / 2}' y='18' text-anchor='middle' font-size='13'>{y}</text>")
    for j, dept in enumerate(depts):
        parts.append(f"<text x='{left - 6}' y='{top + ch * j + ch / 2 + 5}' text-anchor='end' font-size='13'>"
                     f"{esc(dept)}</text>")
    per_row = (cw - 8) // (sq + 2)
    for r, label in zip(docs.itertuples(index=False), labels):
        i, j = years.index(int(r.fiscal_year)), depts.index(label)
        gs = grades.get(r.doc_id, [])
        x, yy = left + cw * i, top + ch * j
        graded = [g for g in gs if g is not None]
        counts = ", ".join(f"{g} {graded.count(g)}" for g in GRADE_COLOURS if g in graded)
        tip = f"{len(gs)} goal(s): {counts or 'no 全体の達成度'} ({r.stage} stage)"
        parts.append(f"<g class='cell'><title>{esc(label)} {r.fiscal_year}: {esc(tip)}</title>"
                     f"<rect x='{x + 1}' y='{yy + 1}' width='{cw - 2}' height='{ch - 2}' fill='#fafafa' stroke='#ddd'/>")
        for n, g in enumerate(gs):  # one square per goal, in goal order
            gx, gy = x + 4 + (n % per_row) * (sq + 2), yy + 4 + (n // per_row) * (sq + 2)
            parts.append(f"<rect class='goal' data-grade='{esc(g or '')}' x='{gx}' y='{gy}' width='{sq}' "
                         f"height='{sq}' fill='{GRADE_COLOURS.get(g or '', NO_GRADE)}'/>")
        if not gs:
            parts.append(f"<text x='{x + cw / 2}' y='{yy + ch / 2 + 4}' text-anchor='middle' font-size='11' "
                         "fill='#777'>no goals</text>")
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(f"<span style='background:{c}'>{g}</span>" for g, c in GRADE_COLOURS.items())
    return (f"<div class='scroll'>{''.join(parts)}</div><p class='legend'>{legend}"
            f"<span style='background:{NO_GRADE}'>no grade</span> One square per goal, in goal order, coloured by "
            "its 全体の達成度 (hover a cell for the counts); one sheet per department and year, the result before "
            "the plan, as in goal_lineage.</p>")


def _ended(lineage: pd.DataFrame) -> dict[tuple[str, int], int]:
    """(doc_id, goal_no) of each goal that ended → the first year it is missing from."""
    rows = lineage[lineage["relation"].astype(str) == "ended"]
    return {(str(r.prev_doc_id), int(r.prev_goal_no)): int(r.fiscal_year) for r in rows.itertuples(index=False)
            if not pd.isna(r.prev_goal_no)}


def _chain_rows(lineage: pd.DataFrame) -> dict[tuple[str, int], int]:
    """A row number per (doc_id, goal_no) so that a goal sits on its predecessor's row where it can."""
    row_of: dict[tuple[str, int], int] = {}
    next_row = 0
    for year in sorted(lineage["fiscal_year"].dropna().unique()):
        used: set[int] = set()
        current = lineage[(lineage["fiscal_year"] == year) & lineage["goal_no"].notna()]
        for r in current.sort_values(["goal_no", "prev_goal_no"]).itertuples(index=False):
            key = (r.doc_id, int(r.goal_no))
            if key in row_of:
                continue
            prev = row_of.get((r.prev_doc_id, int(r.prev_goal_no))) if not pd.isna(r.prev_goal_no) else None
            if prev is None or prev in used:
                prev, next_row = next_row, next_row + 1
            row_of[key] = prev
            used.add(prev)
    return row_of


def lineage_svg(dept: str, lineage: pd.DataFrame, goals: pd.DataFrame) -> str:
    """One department's goals by year (circles with the grade), linked by their lineage."""
    years = sorted(int(y) for y in lineage["fiscal_year"].unique())
    row_of = _chain_rows(lineage)
    info = {(r.doc_id, int(r.goal_no)): r for r in goals.itertuples(index=False)}
    cw, rh, left, top, r0, label_w = 250, 34, 20, 28, 11, 150
    width, height = left + cw * len(years) + 10, top + rh * (max(row_of.values(), default=0) + 1) + 10
    pos = {k: (left + cw * years.index(int(y)) + r0 + 2, top + rh * row + rh / 2)
           for k, row in row_of.items() for y in [lineage.loc[(lineage["doc_id"] == k[0]), "fiscal_year"].iloc[0]]}
    ended = _ended(lineage)
    parts = [f"<svg class='lineage' viewBox='0 0 {width} {height}' width='{width}' "
             f"role='img' aria-label='goal lineage {esc(dept)}'>"]
    for i, y in enumerate(years):
        parts.append(f"<text x='{left + cw * i}' y='16' font-size='13' font-weight='bold'>{y}</text>")
    for r in lineage.itertuples(index=False):
        if pd.isna(r.goal_no) or pd.isna(r.prev_goal_no):
            continue
        a, b = pos.get((r.prev_doc_id, int(r.prev_goal_no))), pos.get((r.doc_id, int(r.goal_no)))
        if a and b:
            dash = RELATION_STYLE.get(str(r.relation), "")
            parts.append(f"<line x1='{a[0] + r0 + label_w}' y1='{a[1]}' x2='{b[0] - r0}' y2='{b[1]}' stroke='#555' "
                         f"stroke-width='1.5' stroke-dasharray='{dash}'><title>{esc(r.relation)} "
                         f"(score {r.score:.2f})</title></line>")
    for key, (x, y) in pos.items():
        g = info.get(key)
        grade = "" if g is None or pd.isna(g.overall_grade) else str(g.overall_grade)
        title = "" if g is None else str(g.title)
        short = title if len(title) <= 12 else title[:11] + "…"
        end = ended.get(key)
        mark = (f"<text class='ended' x='{x + r0 + 4 + label_w - 24}' y='{y + 4}' font-size='11' fill='#b2182b'>"
                f"✕<title>ended: no successor in {end}</title></text>") if end is not None else ""
        parts.append(f"<circle cx='{x}' cy='{y}' r='{r0}' fill='{GRADE_COLOURS.get(grade, NO_GRADE)}' "
                     f"stroke='#333'><title>{esc(key[1])}. {esc(title)}</title></circle>"
                     f"<text x='{x}' y='{y + 4}' text-anchor='middle' font-size='11'>{esc(grade or '–')}</text>"
                     f"<text x='{x + r0 + 4}' y='{y + 4}' font-size='11'>{esc(key[1])}. {esc(short)}</text>{mark}")
    parts.append("</svg>")
    return "".join(parts)


Link = Callable[[str], "str | None"]  # source_file → the href of the file (None: no link)


def _goal_link(doc: "pd.Series | None", page: object, link: Link, text: str) -> str:
    """``text`` as a link to the goal's file and page (plain text when there is no file)."""
    href = link(str(doc["source_file"])) if doc is not None and not pd.isna(doc["source_file"]) else None
    if not href:
        return esc(text)
    anchor = "" if page is None or pd.isna(page) else f"#page={int(page)}"
    return f"<a href='{esc(href + anchor)}'>{esc(text)}</a>"


def chains_table(lineage: pd.DataFrame, goals: pd.DataFrame, documents: pd.DataFrame | None = None,
                 link: Link = lambda f: f) -> str:
    """Each chain of two or more years: the grade trajectory (each year linked to its file and page),
    its relations (and when it ended), and its goals' titles."""
    info = {(r.doc_id, int(r.goal_no)): r for r in goals.itertuples(index=False)}
    docs = documents.set_index("doc_id") if documents is not None and not documents.empty else None
    ended = _ended(lineage)
    rows = []
    present = lineage[lineage["goal_no"].notna()]
    for chain, part in present.groupby("chain_id", sort=True):
        part = part.drop_duplicates(["doc_id", "goal_no"]).sort_values(["fiscal_year", "goal_no"])
        if part["fiscal_year"].nunique() < 2:
            continue
        steps = []
        for y, year_part in part.groupby("fiscal_year", sort=True):
            grades = []
            for d, n in zip(year_part["doc_id"], year_part["goal_no"]):
                goal = info.get((d, int(n)))
                grade = "–" if goal is None or pd.isna(goal.overall_grade) else str(goal.overall_grade)
                doc = docs.loc[d] if docs is not None and d in docs.index else None
                grades.append(_goal_link(doc, None if goal is None else goal.page, link, grade))
            steps.append(f"{esc(y)}: {'/'.join(grades)}")
        titles = " → ".join(dict.fromkeys(str(info[(d, int(n))].title) for d, n in zip(part["doc_id"], part["goal_no"])
                                          if (d, int(n)) in info))
        relations = esc(", ".join(dict.fromkeys(str(r) for r in part["relation"] if str(r) != "first")))
        last = part.iloc[-1]
        end = ended.get((str(last["doc_id"]), int(last["goal_no"])))
        if end is not None:
            relations += f"{', ' if relations else ''}<span class='ended'>ended in {end}</span>"
        rows.append(f"<tr><td>{esc(chain)}</td><td>{' → '.join(steps)}</td><td>{relations}</td>"
                    f"<td>{esc(titles)}</td></tr>")
    if not rows:
        return "<p class='muted'>No goal is followed over two or more years.</p>"
    return ("<div class='scroll'><table id='chains'><tr><th>chain</th><th>grades by year</th><th>relations</th>"
            "<th>titles</th></tr>" + "".join(rows) + "</table></div>")


def lineage_section(lineage: pd.DataFrame, goals: pd.DataFrame, documents: pd.DataFrame | None = None,
                    link: Link = lambda f: f) -> str:
    """Per department with two or more years: the lineage drawing; then the table of chains."""
    if lineage.empty:
        return "<p class='muted'>No goal_lineage table in this folder (it is written after every run).</p>"
    parts = []
    for (muni, dept), part in lineage.groupby(["municipality", "department"], dropna=False, sort=True):
        if part["fiscal_year"].nunique() < 2:
            continue
        label = _dept_label(muni, dept)
        parts.append(f"<h3>{esc(label)}</h3><div class='scroll'>{lineage_svg(label, part, goals)}</div>")
    counts = lineage["relation"].astype(str).value_counts()
    summary = ", ".join(f"{n} {rel}" for rel, n in counts.items())
    legend = ("<p class='muted'>Solid line: carried over; dashed: reworded; dotted: split or merged. "
              "Circles are goals coloured by 全体の達成度; ✕ marks a goal that ended (no successor the next year). "
              f"All rows: {esc(summary)}. A chain's grades link to the goal's file and page.</p>")
    return "".join(parts) + legend + chains_table(lineage, goals, documents, link)


def sources_section(sources: pd.DataFrame, link: Link = lambda f: f) -> str:
    """The sources that failed or were partly read, with their reasons."""
    bad = sources[sources["status"].astype(str).isin(["failed", "partial"])] if not sources.empty else sources
    if bad.empty:
        return f"<p id='sources-ok'>All {len(sources)} source(s) were read completely.</p>"
    rows = []
    for r in bad.sort_values(["status", "source_file"]).itertuples(index=False):
        warnings = "" if pd.isna(r.warnings) else (
            f"<details><summary>{len(str(r.warnings).splitlines())} warning(s)</summary>"
            + "<br>".join(esc(w) for w in str(r.warnings).splitlines()) + "</details>")
        href = link(str(r.source_file))
        name = f"<a href='{esc(href)}'>{esc(r.source_file)}</a>" if href else esc(r.source_file)
        rows.append(f"<tr><td>{name}</td><td>{esc(r.status)}</td><td>{esc(r.error_stage)}</td>"
                    f"<td>{esc(r.error)}{warnings}</td></tr>")
    return (f"<div class='scroll'><table id='bad-sources'><tr><th>file</th><th>status</th><th>stage</th>"
            f"<th>reason</th></tr>{''.join(rows)}</table></div><p class='muted'>{len(bad)} of {len(sources)} source(s).</p>")


def render_report(tables: dict[str, pd.DataFrame], title: str, link: Link = lambda f: f) -> str:
    """The whole HTML page from tables as :func:`plansheet.load` returns them.

    ``link`` turns a ``source_file`` into the href of that file (default: the name itself).
    """
    documents, goals, sources = tables["documents"], tables["goals"], tables["sources"]
    lineage = tables.get("goal_lineage", pd.DataFrame())
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    every = "is_current" in documents and not documents["is_current"].fillna(False).all()
    kind = "document" if every else "sheet"
    statuses = ", ".join(f"{n} {s}" for s, n in sources["status"].astype(str).value_counts().items()) \
        if not sources.empty else "none"
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p class='muted'>plansheet {esc(__version__)}, {stamp}. {len(sources)} source file(s) ({esc(statuses)}), "
        f"{len(documents)} {kind}(s), {len(goals)} goal(s).</p>",
        "<h2 id='per-year'>Documents per year and department</h2>", documents_section(documents),
        "<h2 id='grades'>Grades: department × year</h2>", heatmap_section(documents, goals, sources),
        "<h2 id='lineage'>Goal lineage</h2>", lineage_section(lineage, goals, documents, link),
        "<h2 id='problems'>Sources that failed or were partly read</h2>", sources_section(sources, link),
    ]
    return ("<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}</style>{ONERROR}</head><body>"
            + "\n".join(body) + "</body></html>\n")


def file_links(target: Path, base: Path | None = None) -> Link:
    """A :data:`Link` for a report written to ``target``: a source file found below ``base``
    (default: the working directory, where ``extract`` was run) becomes a path relative to the
    report; a URL stays itself; a file not found gets no link."""
    root = (base or Path.cwd()).resolve()
    folder = target.resolve().parent

    def link(source_file: str) -> str | None:
        if "://" in source_file:
            return source_file
        path = (root / source_file).resolve()
        return Path(os.path.relpath(path, folder)).as_posix() if path.is_file() else None

    return link


def write_report(out: str | Path, target: str | Path | None = None, title: str | None = None,
                 files_root: Path | None = None, copies: str = "current") -> Path:
    """Load the output folder ``out`` and write the report to ``target`` (default ``OUT/report.html``).

    ``files_root``: where the ``source_file`` names start (the working directory ``extract``
    ran in; default: this one); the report links the files found there. ``copies="all"``
    counts every copy of a sheet in the documents table (the grades and lineage still use
    one sheet per department and year).
    Written under a temp name, then renamed. A folder that is not an output raises
    :class:`plansheet.derived.loading.NotAnOutputError`.
    """
    out = Path(out)
    target = Path(target) if target is not None else out / REPORT_NAME
    page = render_report(load(out, copies=copies), title or f"plansheet report: {out}", file_links(target, files_root))

    def write(tmp: Path) -> None:
        tmp.write_text(page, encoding="utf-8")
        tmp.chmod(0o644)  # a page to share, not a private temp file

    atomic_write_bytes(target, write)
    log.info("report written to %s", target)
    return target
