"""Render a bench run as Markdown (bench/RESULTS.md) and as a short stdout summary."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bench.archive import LOAD_AFTER_INGEST, ArchiveResult, CliResult
from bench.cpu_phases import GOAL, short_of_line, workers_alone_line
from bench.machine import Machine
from bench.memory import RssPoint
from bench.profiling import Profile
from bench.quality import OcrBaseline, SampleRun, Score
from bench.speed import Timing, WorkersResult, round_ratio

PLANSHEET = "plansheet"
PLUMBER = "pdfplumber extract_tables"
FLOOR = "pypdfium2 text"
GOAL_VS_PLUMBER = 4.0
GOAL_VS_FLOOR = 10.0
GOAL_RSS_MB = 400.0
GOAL_WORKERS = 1.8
GOAL_INGEST_ARCHIVE = 1.3  # one-file ingest into the largest archive ÷ into an empty folder
GOAL_LOAD = 2.0  # load() of the largest archive ÷ pyarrow reading the same rows from one file per table
GOAL_ARCHIVE_RSS = 1.5  # peak RSS of a one-file ingest, largest archive ÷ smallest
GOAL_CLI_VS_PLUMBER = 4.0  # CLI end to end on the text-layer samples ÷ pdfplumber extract_tables()


@dataclass
class Report:
    command: str
    started: datetime
    machine: Machine
    load_before: tuple[float, float, float]
    config: Any
    source: str = ""
    finished: datetime | None = None
    load_after: tuple[float, float, float] | None = None
    volume_sources: list[str] = field(default_factory=list)
    samples_speed: dict[str, Timing] = field(default_factory=dict)
    volume_speed: dict[str, Timing] = field(default_factory=dict)
    rss: list[RssPoint] = field(default_factory=list)
    workers: WorkersResult | None = None
    profile: Profile | None = None
    ocr_missing: str | None = None
    ocr_baseline: OcrBaseline | None = None
    ocr_hard: list[str] | None = None  # Markdown lines of bench/ocr_hard.py's section
    accuracy: list[SampleRun] = field(default_factory=list)
    archive: ArchiveResult | None = None
    cli: CliResult | None = None

    # --- derived figures --------------------------------------------------------------------
    def vs_plumber(self, timings: dict[str, Timing], cpu: bool = False) -> float:
        """pdfplumber's time ÷ plansheet's on the same pages (wall, or this process's CPU): the median of
        the rounds' ratios (:func:`bench.speed.round_ratio`)."""
        return _ratio(timings[PLUMBER], timings[PLANSHEET], cpu)

    def vs_floor(self, timings: dict[str, Timing], cpu: bool = False) -> float:
        """plansheet's time ÷ the raw text floor's on the same pages, by round as :meth:`vs_plumber`."""
        return _ratio(timings[PLANSHEET], timings[FLOOR], cpu)

    def rss_of(self, job: str) -> list[RssPoint]:
        return sorted((p for p in self.rss if p.job == job), key=lambda p: p.pages)

    def ocr_runs(self) -> list[SampleRun]:
        return [r for r in self.accuracy if r.method == "ocr"]

    def total(self, method: str | None = None) -> Score:
        score = Score()
        for run in self.accuracy:
            if method is None or run.method == method:
                score.add(run.score)
        return score


def _ratio(slow: Timing, fast: Timing, cpu: bool = False) -> float:
    """``slow``'s time ÷ ``fast``'s (both on the same pages), the median of the rounds' ratios."""
    return round_ratio(slow.cpu, fast.cpu) if cpu else round_ratio(slow.seconds, fast.seconds)


def _f(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{digits}f}"


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def goal_rows(r: Report) -> list[tuple[str, str, str, str]]:
    rows = []
    if r.volume_speed:
        vp, vf = r.vs_plumber(r.volume_speed), r.vs_floor(r.volume_speed)
        sp, sf = r.vs_plumber(r.samples_speed), r.vs_floor(r.samples_speed)
        rows.append(("text layer end to end ÷ pdfplumber extract_tables()", f"≥ {GOAL_VS_PLUMBER:g}×",
                     f"{vp:.2f}× volume, {sp:.2f}× samples ({vp / GOAL_VS_PLUMBER:.0%} of goal);"
                     f" by CPU time {r.vs_plumber(r.volume_speed, True):.2f}× / {r.vs_plumber(r.samples_speed, True):.2f}×",
                     _met(vp >= GOAL_VS_PLUMBER)))
        rows.append(("raw text floor ÷ text layer end to end", f"≤ {GOAL_VS_FLOOR:g}×",
                     f"{vf:.1f}× volume, {sf:.1f}× samples" + (f" (need {vf / GOAL_VS_FLOOR:.1f}× faster)" if vf > GOAL_VS_FLOOR else "")
                     + f"; by CPU time {r.vs_floor(r.volume_speed, True):.1f}× / {r.vs_floor(r.samples_speed, True):.1f}×",
                     _met(vf <= GOAL_VS_FLOOR)))
    series = r.rss_of("plansheet")
    if series:
        peak, first = series[-1], series[0]
        rows.append((f"peak RSS on the {peak.pages}-page volume", f"≤ {GOAL_RSS_MB:g} MB",
                     f"{peak.rss_mb:.0f} MB ({peak.rss_mb / first.rss_mb:.2f}× the {first.pages}-page run)",
                     _met(peak.rss_mb <= GOAL_RSS_MB)))
    rows += _archive_goal_rows(r)
    w = r.workers
    if w is None:
        rows.append(("--workers 2 ÷ --workers 1", f"≥ {GOAL_WORKERS:g}×", "not measured (--quick)", "n/a"))
    elif not w.available:
        rows.append(("--workers 2 ÷ --workers 1", f"≥ {GOAL_WORKERS:g}×", "n/a (no --workers option yet)", "n/a"))
    else:
        rows.append(("--workers 2 ÷ --workers 1", f"≥ {GOAL_WORKERS:g}×", f"{w.speedup:.2f}×",
                     _met(w.speedup is not None and w.speedup >= GOAL_WORKERS)))
    return rows


def _archive_goal_rows(r: Report) -> list[tuple[str, str, str, str]]:
    rows = []
    c = r.cli
    if c is not None:
        rows.append((f"CLI end to end on {c.files} text-layer PDFs ({c.pages} pages) ÷ pdfplumber extract_tables()",
                     f"≥ {GOAL_CLI_VS_PLUMBER:g}×", f"{c.ratio:.2f}× ({min(c.cli_s):.2f} s against {min(c.plumber_s):.2f} s)"
                     + (f"; by CPU time {c.ratio_cpu:.2f}×" if c.ratio_cpu is not None else ""),
                     _met(c.ratio >= GOAL_CLI_VS_PLUMBER)))
    a = r.archive
    if a is None:
        return rows
    big, small = max(a.sizes), min(a.sizes)
    ingest = a.ratio("ingest one file into archive", "ingest one file into empty", big)
    extract = a.ratio("extract one file into archive", "extract one file into empty", big)
    if ingest is not None:
        rows.append((f"one-file ingest into a {big:,}-document archive ÷ into an empty folder",
                     f"≤ {GOAL_INGEST_ARCHIVE:g}×", f"{ingest:.2f}× (extract: {_f(extract)}×)",
                     _met(ingest <= GOAL_INGEST_ARCHIVE)))
    load = a.ratio("load()", "pyarrow single files", big)
    if load is not None:
        after = a.ratio(LOAD_AFTER_INGEST, "pyarrow single files", big)  # with the deltas a run leaves
        worst = max(load, after) if after is not None else load
        rows.append((f"load() of {big:,} documents ÷ pyarrow reading the same rows from one file per table",
                     f"≤ {GOAL_LOAD:g}×", f"{load:.2f}×" + (f" (after a one-file ingest: {after:.2f}×)" if after else ""),
                     _met(worst <= GOAL_LOAD)))
    first, last = a.get("ingest one file into archive", small), a.get("ingest one file into archive", big)
    if first and last and big != small:
        growth = last.rss / first.rss
        rows.append((f"peak RSS of a one-file ingest, {big:,} ÷ {small:,} documents", f"≤ {GOAL_ARCHIVE_RSS:g}×",
                     f"{growth:.2f}× ({first.rss:.0f} → {last.rss:.0f} MB)", _met(growth <= GOAL_ARCHIVE_RSS)))
    return rows


def _archive_section(r: Report) -> list[str]:
    a = r.archive
    out = ["## Archive: a run costs what its own files cost (bench/archive.py)", ""]
    if r.cli is not None:
        c = r.cli
        out += [f"CLI end to end (`plansheet extract` of the {c.files} text-layer sample PDFs made by other tools —"
                f" Chromium, LibreOffice, Writer —, {c.pages} pages, a fresh"
                f" process, default `--executor auto`, plansheet's bytecode compiled first as `pip install` leaves it): runs {', '.join(f'{s:.2f}' for s in c.cli_s)} s; pdfplumber"
                f" `extract_tables()` on the same PDFs in this process: {', '.join(f'{s:.2f}' for s in c.plumber_s)} s;"
                f" ratio of the best runs **{c.ratio:.2f}×**."
                + (f" CPU seconds (the CLI process and the children it waits for, which leaves out a pool's"
                   f" workers; pdfplumber's process): {', '.join(f'{s:.2f}' for s in c.cli_cpu_s)} against"
                   f" {', '.join(f'{s:.2f}' for s in c.plumber_cpu_s)}; ratio of the least **{c.ratio_cpu:.2f}×**."
                   if c.ratio_cpu is not None else ""), ""]
    if a is None:
        return out + ["Archive not measured.", ""]
    out += ["Synthetic archives built from the samples' rows (new keys; 10 fiscal years, 20 departments a city);"
            " every job in a fresh process, best of the interleaved repeats (the timed calls run several times a"
            " repeat, each side first in turn), dirty pages written out before each; peak RSS is the process's VmHWM."
            " CLI jobs are wall time end to end (start-up included); load(), pyarrow and DuckDB time the call only"
            " (their modules imported before the clock: pyarrow.dataset and pandas for both).", "",
            "| documents | Parquet files | rows | `plansheet rebuild` s |", "|---:|---:|---:|---:|"]
    out += [f"| {n:,} | {a.files[n]:,} | {a.rows[n]:,} | {a.build_s[n]:.1f} |" for n in a.sizes]
    jobs = sorted({job for job, _ in a.measures}, key=lambda j: list(JOB_ORDER).index(j) if j in JOB_ORDER else 99)
    out += ["", "| job | " + " | ".join(f"{n:,} docs: s / MB" for n in a.sizes) + " |",
            "|---|" + "---:|" * len(a.sizes)]
    for job in jobs:
        cells = []
        for n in a.sizes:
            m = a.get(job, n)
            cells.append(f"{m.best:.3f} / {m.rss:.0f}" if m else "–")
        out.append(f"| {job} | " + " | ".join(cells) + " |")
    out.append("")
    for n in a.sizes:
        parts = [f"ingest archive ÷ empty {_f(a.ratio('ingest one file into archive', 'ingest one file into empty', n))}×",
                 f"extract archive ÷ empty {_f(a.ratio('extract one file into archive', 'extract one file into empty', n))}×",
                 f"load() ÷ pyarrow {_f(a.ratio('load()', 'pyarrow single files', n))}×"
                 f" (CPU {_f(a.ratio('load()', 'pyarrow single files', n, cpu=True))}×)",
                 f"after a one-file ingest {_f(a.ratio(LOAD_AFTER_INGEST, 'pyarrow single files', n))}×"
                 f" (CPU {_f(a.ratio(LOAD_AFTER_INGEST, 'pyarrow single files', n, cpu=True))}×)",
                 f"DuckDB archive ÷ single file {_f(a.ratio('duckdb group-by', 'duckdb group-by, single file', n))}×"]
        out.append(f"- {n:,} documents: " + "; ".join(parts))
    return out + [""]


JOB_ORDER = ("extract one file into empty", "extract one file into archive", "ingest one file into empty",
             "ingest one file into archive", "load()", LOAD_AFTER_INGEST, "pyarrow single files", "duckdb group-by",
             "duckdb group-by, single file")


def _rounds(n: int) -> str:
    return "one run" if n == 1 else f"{n} rounds"


def _speed_table(timings: dict[str, Timing]) -> list[str]:
    base = timings[PLANSHEET].pages_per_s
    base_cpu = timings[PLANSHEET].pages_per_cpu_s
    lines = ["| workload | pages | best s | runs (s) | pages/s | ÷ plansheet | pages per CPU-s | ÷ plansheet (CPU) |",
             "|---|---:|---:|---|---:|---:|---:|---:|"]
    for t in timings.values():
        runs = ", ".join(f"{s:.2f}" for s in t.seconds)
        lines.append(f"| {t.name} | {t.pages} | {t.best:.3f} | {runs} | {t.pages_per_s:,.1f} | {t.pages_per_s / base:.2f}× |"
                     f" {t.pages_per_cpu_s:,.1f} | {t.pages_per_cpu_s / base_cpu:.2f}× |")
    return lines


def _machine_lines(r: Report) -> list[str]:
    m = r.machine
    libs = ", ".join(f"{k} {v}" for k, v in m.versions.items())
    load_after = ", ".join(f"{x:.2f}" for x in r.load_after) if r.load_after else "n/a"
    return [
        f"- CPU: {m.cpu}; {m.cores} cores ({m.usable_cores} usable by this process); memory {m.memory_gb:.1f} GB",
        f"- System: {m.system}; Python {m.python}; Tesseract: {m.tesseract}",
        f"- Libraries: {libs}",
        f"- Load average (1/5/15 min): {', '.join(f'{x:.2f}' for x in r.load_before)} before, {load_after} after"
        " — the machine is shared, so absolute figures move; the ratios are the result",
    ]


def render(r: Report) -> str:
    duration = (r.finished - r.started).total_seconds() if r.finished else float("nan")
    out = [
        "# plansheet bench results",
        "",
        "Written by `bench/run.py` on every run; do not edit by hand (notes and analysis: `bench/README.md`).",
        "",
        f"- Date: {r.started:%Y-%m-%d %H:%M} UTC ({duration:.0f} s)",
        f"- Command: `make bench` → `{r.command}` (from the repository root, in `.venv`)",
        f"- Code measured: {r.source}",
        *_machine_lines(r),
        "",
        "## Goals",
        "",
        "| figure | goal | measured | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in goal_rows(r)),
        "",
        "## Text layer: pages per second, one process",
        "",
        "Every workload reads every page of the same PDFs. plansheet runs `plansheet.extract(files, tmp,"
        " Settings(workers=1), output_format=\"both\")` (read → parse → write Parquet and CSV); pdfplumber runs"
        " `page.extract_tables()` (finds cells only, writes nothing); `page.objects` is the pdfminer parse that"
        " both pay for; *pypdfium2 chars + boxes + paths* fetches what the reader needs (each char with box and font"
        " size, every path's bounds) from PDFium — the floor of a pypdfium2 reader; pypdfium2"
        " `get_textpage().get_text_range()` is the raw text floor. Repeats are"
        " interleaved (a round runs every workload once); the tables give every run and the best, and each ratio"
        " below (the goals) is the median of the rounds' ratios, which one slow run moves far less. Pages per CPU-second (this process's CPU time) move less than wall"
        " time when other users load the machine; the goals are judged on wall time.",
        "",
    ]
    if r.samples_speed:
        n = r.samples_speed[PLANSHEET].pages
        out += [f"**Samples** ({len(r.volume_sources)} text-layer PDFs under `samples/`, {n} pages,"
                f" {_rounds(len(r.samples_speed[PLANSHEET].seconds))}):", "", *_speed_table(r.samples_speed), ""]
        out += [f"**Volume** ({r.volume_speed[PLANSHEET].pages} pages concatenated at bench time from those PDFs in"
                f" turn with pypdfium2, {_rounds(len(r.volume_speed[PLANSHEET].seconds))}):", "",
                *_speed_table(r.volume_speed), ""]
        for label, t in (("volume", r.volume_speed), ("samples", r.samples_speed)):
            miner, chars = t["pdfminer parse (page.objects)"], t["pypdfium2 chars + boxes + paths"]
            rounds = [b / a for a, b in zip(t[PLANSHEET].seconds, t[PLUMBER].seconds)]
            spread = f" (rounds: {', '.join(f'{x:.2f}' for x in rounds)})" if len(rounds) > 1 else ""
            out.append(f"- {label}: plansheet ÷ pdfplumber extract_tables() = **{r.vs_plumber(t):.2f}×**{spread};"
                       f" raw text floor ÷ plansheet = **{r.vs_floor(t):.1f}×**;"
                       f" pdfminer parse alone ÷ plansheet = {1 / _ratio(miner, t[PLANSHEET]):.2f}×;"
                       f" PDFium chars+paths ÷ pdfminer parse = {_ratio(miner, chars):.1f}×")
        out.append("")
    out += (_ocr_section(r) + (r.ocr_hard or []) + _memory_section(r) + _workers_section(r) + _archive_section(r) + _accuracy_section(r)
            + _profile_section(r))
    return "\n".join(out).rstrip() + "\n"


def _ocr_section(r: Report) -> list[str]:
    out = ["## OCR (scanned samples, `--ocr auto`, real Tesseract, no replay cache)", ""]
    if r.ocr_missing:
        return out + [f"Not available: {r.ocr_missing}", ""]
    runs = r.ocr_runs()
    if not runs:
        return out + ["No scanned sample with a truth file.", ""]
    pages = sum(x.pages_ocr for x in runs)
    wall, cpu = sum(x.seconds for x in runs), sum(x.cpu_seconds for x in runs)
    score = r.total("ocr")
    if not pages:
        return out + ["No page was OCRed: " + "; ".join(f"{x.file}: {x.status} ({x.error})" for x in runs), ""]
    out += [
        "| | pages | wall s | CPU s | pages/s (wall, 1 process) | pages per CPU-second (per core) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| plansheet (files: {', '.join(x.file.rsplit('/', 1)[-1] for x in runs)}) | {pages} | {wall:.2f} | {cpu:.2f} |"
        f" {pages / wall:.3f} | {pages / cpu if cpu else float('nan'):.3f} |",
    ]
    b = r.ocr_baseline
    if b:
        out.append(f"| plain full-page Tesseract (PSM 3), same page images | {b.pages} | {b.seconds:.2f} |"
                   f" {b.cpu_seconds:.2f} | {b.pages / b.seconds:.3f} | {b.pages / b.cpu_seconds:.3f} |")
    out += [""]
    if b:
        out.append(f"- plansheet OCR ÷ plain Tesseract speed: **{(pages / cpu) / (b.pages / b.cpu_seconds):.2f}×** per core"
                   f" ({(pages / wall) / (b.pages / b.seconds):.2f}× wall)")
    out += [f"- Character error rate over the truth's text fields: **{_f(score.cer, 3)}**"
            f" ({score.char_errors}/{score.chars} characters; a missing row counts all its characters)",
            f"- Truth fields extracted exactly: {score.exact}/{score.fields} = **{_f(100 * score.exact_share, 1)} %**", ""]
    return out


def _memory_section(r: Report) -> list[str]:
    if not r.rss:
        return []
    out = ["## Memory: peak RSS by document length (each run a fresh process, VmHWM)", "",
           "| job | pages | peak RSS MB | s | pages/s |", "|---|---:|---:|---:|---:|"]
    for job in ("plansheet", "pdfplumber", "pypdfium2"):
        for p in r.rss_of(job):
            label = {"plansheet": "plansheet extract", "pdfplumber": "pdfplumber extract_tables (pages closed)",
                     "pypdfium2": "pypdfium2 text"}[job]
            out.append(f"| {label} | {p.pages} | {p.rss_mb:.0f} | {p.seconds:.2f} | {p.pages_per_s:,.1f} |")
    series = r.rss_of("plansheet")
    growth = (series[-1].rss_mb - series[0].rss_mb) / max(series[-1].pages - series[0].pages, 1)
    out += ["", f"- plansheet: {series[-1].rss_mb:.0f} MB at {series[-1].pages} pages ÷ {series[0].rss_mb:.0f} MB at"
                f" {series[0].pages} page(s) = **{series[-1].rss_mb / series[0].rss_mb:.2f}×**;"
                f" growth {growth * 1024:.0f} KB per page"]
    plumber = r.rss_of("pdfplumber")
    if plumber:
        same = [p for p in series if p.pages == plumber[-1].pages]
        if same:
            out.append(f"- plansheet ÷ pdfplumber extract_tables at {plumber[-1].pages} pages:"
                       f" {same[0].rss_mb / plumber[-1].rss_mb:.2f}× the RSS")
    return out + [""]


def _workers_section(r: Report) -> list[str]:
    w = r.workers
    out = ["## Workers: `plansheet extract … --workers N` (CLI, fresh process each run)", ""]
    if w is None:
        return out + ["Not measured (--quick).", ""]
    if not w.available:
        return out + ["**n/a**: `plansheet extract --help` has no `--workers` option yet.", ""]
    assert w.one and w.two
    return out + [
        f"Batch: {w.files} files of {w.pages // max(w.files, 1)} pages (consecutive slices of the volume), {w.pages} pages;"
        f" {_rounds(len(w.one.seconds))}, interleaved, the two runs' order turned every round (1 2, 2 1, …)."
        f" CLI start-up (`plansheet --version`): {_f(w.startup_s)} s.", "",
        "| | runs (s) | best s | pages/s |", "|---|---|---:|---:|",
        *(f"| {t.name} | {', '.join(f'{s:.2f}' for s in t.seconds)} | {t.best:.2f} | {t.pages_per_s:.1f} |" for t in (w.one, w.two)),
        "", f"- speed-up of 2 workers over 1: **{w.speedup:.2f}×** (on {r.machine.usable_cores} usable cores; the"
        f" median of the rounds' ratios: {', '.join(f'{a / b:.2f}' for a, b in zip(w.one.seconds, w.two.seconds))};"
        f" best run over best run {_f(w.best_speedup)}×)",
        f"- busy cores of the whole machine (every user, /proc/stat) during the best runs: {w.busy_cores(1):.2f} with"
        f" 1 worker, {w.busy_cores(2):.2f} with 2, of {r.machine.cores}. Near {r.machine.cores} already with one"
        " worker means other users held the second core and the speed-up could not show", "",
        *_phases_lines(w),
    ]


def _phases_lines(w: WorkersResult) -> list[str]:
    """CPU by process and phase of the sampled runs (bench/cpu_phases.py), and the idle estimate."""
    if not w.phases:
        return []
    sampled = (f"medians of {len(w.pair_estimates)} more runs each, interleaved," if len(w.pair_estimates) > 1
               else "one more run each,")
    out = [f"CPU seconds by process and phase, {sampled} sampled from /proc every 2 ms"
           " (`bench/cpu_phases.py`; the CLI process is split at the moments the first worker starts and the last stops):",
           "", "| | CLI start-up (until the fork server) | fork server + tracker | CLI while workers run |"
           " CLI after the last worker | workers | serial | idle 2-core estimate s |", "|---|---:|---:|---:|---:|---|---:|---:|"]
    for n, p in sorted(w.phases.items()):
        out.append(f"| --workers {n} | {p.before:.2f} ({p.before_server:.2f}) | {p.server:.2f} | {p.during:.2f} |"
                   f" {p.after:.2f} | {' + '.join(f'{x:.2f}' for x in p.workers)} | {p.serial:.2f} |"
                   f" {p.idle_estimate():.2f} |")
    if w.idle_speedup is not None:
        pairs = (f"; each pair: {', '.join(f'{x:.2f}' for x in w.pair_estimates)}" if len(w.pair_estimates) > 1
                 else "")
        out += ["", f"- estimated speed-up on two idle cores: **{w.idle_speedup:.2f}×** (an upper estimate: the two"
                f" workers' and the CLI's CPU are assumed to pack the two cores perfectly{pairs})"]
    if w.ceiling is not None:
        out += [f"- the most two workers could give with these CPU figures, even if nothing of the CLI ran beside"
                f" them: **{w.ceiling:.2f}×** (its start and finish, {w.phases[2].serial:.2f} CPU-s, stay serial)"]
    if w.workers_alone is not None:
        out += [f"- {workers_alone_line(w)}"]
    if w.short_of(GOAL) is not None:
        out += [f"- {short_of_line(w, GOAL)}"]
    return out + [""]


def _accuracy_section(r: Report) -> list[str]:
    if not r.accuracy:
        return []
    out = ["## Accuracy against the truth files (every sample with `samples/truth/<file>.json`)", "",
           "A field is exact when the extracted value equals the truth; rows are matched by the keys `tests/truth.py` uses.",
           "", "| sample | method | status | pages (OCR) | fields exact | share | CER | missing / extra rows | s |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for x in r.accuracy:
        s = x.score
        out.append(f"| {x.file} | {x.method} | {x.status} | {x.pages if x.pages is not None else '–'} ({x.pages_ocr}) |"
                   f" {s.exact}/{s.fields} | {_f(100 * s.exact_share, 1)} % | {_f(s.cer, 3)} | {s.missing_rows} / {s.extra_rows} | {x.seconds:.2f} |")
    out += [f"- {x.file}: {x.error}" for x in r.accuracy if x.error]
    out += ["", "| method | fields exact | share | CER |", "|---|---:|---:|---:|"]
    for method in sorted({x.method for x in r.accuracy}) + [None]:
        s = r.total(method)
        out.append(f"| {method or '**all**'} | {s.exact}/{s.fields} | {_f(100 * s.exact_share, 1)} % | {_f(s.cer, 3)} |")
    return out + [""]


def _profile_section(r: Report) -> list[str]:
    p = r.profile
    if p is None:
        return []
    total = next((s for label, s in p.stages if label.startswith("plansheet.extract")), None) or p.wall_s
    out = [f"## Profile: plansheet on the {r.volume_speed[PLANSHEET].pages}-page volume (cProfile, {p.wall_s:.1f} s with the profiler on)",
           "", "Where the time goes, by stage (cumulative; an indented line is part of the line above it):", "",
           "| stage | cumulative s | share |", "|---|---:|---:|"]
    for label, seconds in p.stages:
        name = label.replace("  ", "&nbsp;&nbsp;")
        out.append(f"| {name} | {_f(seconds)} | {_f(100 * seconds / total, 1) + ' %' if seconds is not None else 'n/a'} |")
    out += ["", f"Top {len(p.top)} functions by cumulative time:", "", "| function | calls | own s | cumulative s |",
            "|---|---:|---:|---:|"]
    out += [f"| `{name}` | {calls:,} | {tt:.2f} | {ct:.2f} |" for name, calls, tt, ct in p.top]
    out += ["", f"Top {len(p.top_self)} functions by own time:", "", "| function | calls | own s | cumulative s |",
            "|---|---:|---:|---:|"]
    out += [f"| `{name}` | {calls:,} | {tt:.2f} | {ct:.2f} |" for name, calls, tt, ct in p.top_self]
    return out + [""]


def summary(r: Report) -> str:
    """A few lines for the terminal."""
    lines = [f"{a}: {c} (goal {b}) {d}" for a, b, c, d in goal_rows(r)]
    for label, t in (("samples", r.samples_speed), ("volume", r.volume_speed)):
        if t:
            lines.append(f"{label}: " + ", ".join(f"{x.name} {x.pages_per_s:,.1f} p/s" for x in t.values()))
    runs = r.ocr_runs()
    if r.ocr_missing:
        lines.append(f"OCR: not available ({r.ocr_missing})")
    elif runs and not sum(x.pages_ocr for x in runs):
        lines.append("OCR: no page was OCRed (see the accuracy table's errors)")
    elif runs:
        pages, cpu = sum(x.pages_ocr for x in runs), sum(x.cpu_seconds for x in runs)
        lines.append(f"OCR: {pages / cpu:.3f} pages per CPU-second, CER {_f(r.total('ocr').cer, 3)}")
    if r.accuracy:
        s = r.total()
        lines.append(f"accuracy: {s.exact}/{s.fields} truth fields exact ({_f(100 * s.exact_share, 1)} %)")
    return "\n".join(lines) + "\n"
