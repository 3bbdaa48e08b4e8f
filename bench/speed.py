"""Text-layer throughput of plansheet and of its baselines, and the ``--workers`` speed-up.

Each workload does the whole job on every page of the given PDFs:

* ``plansheet``: :func:`plansheet.extract` into a fresh temp folder (read → parse → write,
  Parquet and CSV), one process;
* ``pdfplumber``: ``page.extract_tables()`` on every page (finds cells only, writes nothing);
* ``pdfminer parse``: pdfplumber's ``page.objects`` (the PDF parse both of the above pay for);
* ``pypdfium2 text``: ``get_textpage().get_text_range()``, the raw text floor.

Repeats are interleaved (A B C A B C …) so a burst of load from other users of the
machine hits every workload alike. The tables give every run and the best; a ratio between two
workloads (a goal) is the median of the rounds' ratios (:func:`round_ratio`), which one slow run
moves far less than a ratio of single or best runs.
"""
from __future__ import annotations

import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.cpu_phases import Phases, median_phases, sample_run

log = logging.getLogger(__name__)


@dataclass
class Timing:
    name: str
    pages: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # process CPU seconds of each run (in-process workloads)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def pages_per_cpu_s(self) -> float:
        """Pages per CPU-second of this process: less moved than wall time by other users' load."""
        return self.pages / min(self.cpu) if self.cpu and min(self.cpu) > 0 else float("nan")

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.best


def round_ratio(slow: list[float], fast: list[float]) -> float:
    """``slow ÷ fast``, round by round (the i-th run of each, run one after the other), and the median of
    those ratios: other users' load that slows one round moves one ratio of several, not the figure.
    Both sides ran the same number of rounds; with one round it is the plain ratio."""
    return statistics.median(s / f for s, f in zip(slow, fast, strict=True))


def count_pages(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        total += len(pdf)
        pdf.close()
    return total


def run_plansheet(files: list[Path]) -> None:
    import plansheet
    from plansheet.settings import Settings

    settings = Settings().with_overrides(workers=1)
    with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
        results = plansheet.extract(files, out, settings, output_format="both")
    failed = [r.summary_line() for r in results if r.status.value == "failed"]
    if failed:
        raise RuntimeError("plansheet failed on a bench input: " + "; ".join(failed))


def run_pdfplumber_tables(files: list[Path]) -> None:
    import pdfplumber

    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()


def run_pdfminer_parse(files: list[Path]) -> None:
    import pdfplumber

    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.objects  # noqa: B018 - the parse is the work being timed
                page.close()


def run_pdfium_text(files: list[Path]) -> None:
    import pypdfium2 as pdfium

    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        for page in pdf:
            text = page.get_textpage()
            text.get_text_range()
            text.close()
            page.close()
        pdf.close()


def run_pdfium_chars_paths(files: list[Path]) -> None:
    """Everything the text-layer reader needs, from PDFium: each char with its box and font size,
    and the bounds of every path object (the ruling lines). What a pypdfium2 reader would pay."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        for page in pdf:
            text = page.get_textpage()
            raw = text.raw
            chars = []
            for i in range(text.count_chars()):
                pdfium_c.FPDFText_GetCharBox(raw, i, *refs)
                chars.append((chr(pdfium_c.FPDFText_GetUnicode(raw, i)), *(v.value for v in box),
                              pdfium_c.FPDFText_GetFontSize(raw, i)))
            paths = [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=5)]
            del chars, paths
            text.close()
            page.close()
        pdf.close()


WORKLOADS: dict[str, Callable[[list[Path]], None]] = {
    "plansheet": run_plansheet,
    "pdfplumber extract_tables": run_pdfplumber_tables,
    "pdfminer parse (page.objects)": run_pdfminer_parse,
    "pypdfium2 chars + boxes + paths": run_pdfium_chars_paths,
    "pypdfium2 text": run_pdfium_text,
}


def time_workloads(files: list[Path], repeats: int, names: tuple[str, ...] = tuple(WORKLOADS),
                   warm_up: list[Path] | None = None) -> dict[str, Timing]:
    """The wall and CPU time of each of ``repeats`` runs of each workload on ``files``, repeats
    interleaved (one round runs every workload once; :func:`round_ratio` compares two by round).

    Each workload first runs once on ``warm_up`` (imports, font caches, the OS page cache).
    """
    pages = count_pages(files)
    timings = {name: Timing(name, pages) for name in names}
    for workload in names:
        WORKLOADS[workload](warm_up or files[:1])
    for rep in range(repeats):
        for name in names:
            started, cpu = time.perf_counter(), time.process_time()
            WORKLOADS[name](files)
            timings[name].seconds.append(time.perf_counter() - started)
            timings[name].cpu.append(time.process_time() - cpu)
            log.info("%s: %d pages in %.2fs (repeat %d)", name, pages, timings[name].seconds[-1], rep + 1)
    return timings


# --- workers -------------------------------------------------------------------------------

CLI = [sys.executable, "-c", "from plansheet.cli.main import main; main()"]


def workers_option_exists() -> bool:
    """Whether ``plansheet extract`` accepts ``--workers`` (checked on its ``--help``)."""
    done = subprocess.run([*CLI, "extract", "--help"], capture_output=True, text=True, timeout=120)
    return re.search(r"^\s+(-\w, )?--workers\b", done.stdout, re.MULTILINE) is not None  # not the epilog


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    ticks = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0.0)  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def workers_command(files: list[Path], out: str, workers: int) -> list[str]:
    """``plansheet extract FILES --out OUT --workers N`` in a fresh interpreter."""
    return [*CLI, "extract", *map(str, files), "--out", out, "--workers", str(workers)]


def cli_seconds(files: list[Path], workers: int) -> tuple[float, float]:
    """Wall seconds of one ``plansheet extract … --workers N``, and the machine's busy cores meanwhile
    (all users: the pool's processes are not our children, so their CPU cannot be summed directly)."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as out:
        cmd = workers_command(files, out, workers)
        started, (busy0, total0) = time.perf_counter(), _machine_cpu()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        seconds, (busy1, total1) = time.perf_counter() - started, _machine_cpu()
        cpu = (os.cpu_count() or 1) * (busy1 - busy0) / max(total1 - total0, 1.0)
    if done.returncode not in (0, 1):  # 1: some input partial (volume slices cut documents)
        raise RuntimeError(f"{' '.join(cmd[3:])} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds, cpu


def cli_startup_seconds() -> float:
    """Wall time of ``plansheet --version``: the fixed cost inside every CLI timing."""
    started = time.perf_counter()
    subprocess.run([*CLI, "--version"], capture_output=True, check=True, timeout=120)
    return time.perf_counter() - started


@dataclass
class WorkersResult:
    available: bool
    pages: int = 0
    files: int = 0
    one: Timing | None = None
    two: Timing | None = None
    busy: dict[int, list[float]] = field(default_factory=dict)  # machine's busy cores during each run
    startup_s: float | None = None
    phases: dict[int, Phases] = field(default_factory=dict)  # CPU by process and phase: medians of the sampled runs
    pair_estimates: list[float] = field(default_factory=list)  # the idle estimate's speed-up of each sampled pair

    def busy_cores(self, workers: int) -> float:
        """Busy cores of the whole machine (every user) during the best run with this many workers."""
        timing = self.one if workers == 1 else self.two
        assert timing is not None
        return self.busy[workers][timing.seconds.index(timing.best)]

    @property
    def speedup(self) -> float | None:
        """``--workers 1`` ÷ ``--workers 2``: the median of the interleaved rounds' ratios (:func:`round_ratio`)."""
        if not (self.one and self.two):
            return None
        return round_ratio(self.one.seconds, self.two.seconds)

    @property
    def best_speedup(self) -> float | None:
        """The best ``--workers 1`` run ÷ the best ``--workers 2`` run (of different rounds)."""
        if not (self.one and self.two):
            return None
        return self.one.best / self.two.best

    @property
    def idle_speedup(self) -> float | None:
        """The speed-up two idle cores would give, estimated from the sampled runs' CPU."""
        if 1 not in self.phases or 2 not in self.phases:
            return None
        return self.phases[1].idle_estimate() / self.phases[2].idle_estimate()

    @property
    def ceiling(self) -> float | None:
        """The speed-up two idle cores would give if none of the CLI's own work ran beside the
        workers (no writing, importing or merging while they read) and the workers packed the
        two cores perfectly: only the CLI's start and finish stay serial. An upper bound that no
        schedule of the same CPU can pass."""
        if 1 not in self.phases or 2 not in self.phases:
            return None
        two = self.phases[2]
        return self.phases[1].idle_estimate() / (two.serial + sum(two.workers) / 2)

    @property
    def workers_alone(self) -> tuple[float, float] | None:
        """What the workers alone allow, whatever the CLI does: the two workers' CPU against one
        worker's on the same files, and the speed-up were the CLI of no cost at all (no start, no
        finish, nothing beside the workers): one worker's CPU against the two workers' packed
        perfectly on two cores. Where that is under a goal, only the workers' own CPU can reach it."""
        if 1 not in self.phases or 2 not in self.phases:
            return None
        one, two = sum(self.phases[1].workers), self.phases[2].workers
        if one <= 0 or not two:
            return None
        return sum(two) / one, one / max(max(two), sum(two) / 2)

    def short_of(self, goal: float) -> tuple[float, float, float] | None:
        """How far the estimated speed-up is from ``goal``, in what would have to go: the wall seconds
        the two-worker estimate must lose, the CPU-seconds of the CLI's work beside the workers that
        would save them (each saves half a second of a two-worker run and nothing of a one-worker run,
        where it rides on the spare core), and the CPU-seconds of its serial start and finish that would
        (each saves a second of both runs). All zero when the estimate reaches ``goal``."""
        if 1 not in self.phases or 2 not in self.phases:
            return None
        one, two = self.phases[1].idle_estimate(), self.phases[2].idle_estimate()
        wall = max(0.0, two - one / goal)
        return wall, 2 * wall, goal * wall / (goal - 1)


def time_workers(files: list[Path], rounds: int, sampled_pairs: int | None = None) -> WorkersResult:
    """``--workers 2`` against ``--workers 1`` on the same batch: ``rounds`` timed rounds of one run each, the
    order of the two turned every round (1 2, 2 1, …: a load that rises or falls through a round favours
    neither side), then ``sampled_pairs`` (default: ``rounds``) sampled pairs for the CPU figures."""
    if not workers_option_exists():
        log.warning("plansheet extract has no --workers option yet: speed-up n/a")
        return WorkersResult(available=False)
    pages = count_pages(files)
    result = WorkersResult(True, pages, len(files), Timing("--workers 1", pages), Timing("--workers 2", pages))
    result.startup_s = min(cli_startup_seconds() for _ in range(max(1, min(rounds, 3))))
    for rep in range(rounds):
        order = ((1, result.one), (2, result.two))
        for n, timing in (order if rep % 2 == 0 else order[::-1]):
            wall, busy = cli_seconds(files, n)
            timing.seconds.append(wall)  # type: ignore[union-attr]
            result.busy.setdefault(n, []).append(busy)
            log.info("--workers %d: %d pages in %.2fs (repeat %d)", n, pages, timing.seconds[-1], rep + 1)  # type: ignore[union-attr]
    # after the timed runs (sampling /proc every 2 ms costs CPU too), pairs interleaved: one pair's estimate
    # swings by 0.1 or more on a loaded machine, the medians far less
    sampled: dict[int, list[Phases]] = {1: [], 2: []}
    for _ in range(max(1, rounds if sampled_pairs is None else sampled_pairs)):
        for n in (1, 2):
            with tempfile.TemporaryDirectory(prefix="bench-cli-") as out:
                sampled[n].append(sample_run(workers_command(files, out, n)))
            log.info("--workers %d sampled: %s", n, sampled[n][-1])
    result.phases = {n: median_phases(runs) for n, runs in sampled.items()}
    result.pair_estimates = [one.idle_estimate() / two.idle_estimate() for one, two in zip(sampled[1], sampled[2])]
    return result
