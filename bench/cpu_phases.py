"""Where a pooled ``plansheet extract`` spends its CPU, and what that allows on an idle machine.

On a machine shared with other work, the wall time of ``--workers 2`` against ``--workers 1``
says little. CPU time says more: :func:`sample_run` runs the CLI and reads ``/proc`` every few
milliseconds for the CPU of each process of its tree (the CLI process and the workers it forks;
or, when it starts them from a fork server, the server, its resource tracker and the server's
workers), then splits the CLI process's CPU at the moments the first worker starts and the last
one stops:

* ``before``: the CLI's start-up until the first worker runs (of which ``before_server``:
  until the fork server appears), and ``server``: the fork server and resource tracker;
* ``during``: the CLI process while workers run (writing outcomes, imports, the early merge);
* ``after``: the CLI process after the last worker stopped (the finish, the exit);
* ``workers``: each worker's CPU.

:meth:`Phases.idle_estimate` turns these into the wall time two idle cores would take: the
start (the CLI up to the fork server, then the server's start, with the CLI's own imports on
the other core), then the workers (one worker: its CPU, the CLI's work on the other core;
two: half of the workers' and the CLI's CPU, and never less than the busier worker), then
the finish. It assumes perfect packing, so it is a floor for two workers.

Run alone, it samples the bench's workers batch (12 slices of 25 text-layer pages) with one and
two workers, interleaved, and prints each run, the medians, the estimated speed-up and its
ceiling (``bench.speed.WorkersResult.ceiling``); the figures move less with other users' load
than wall times do::

    .venv/bin/python -m bench.cpu_phases --repeats 5
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from bench.speed import WorkersResult

TICK = os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _processes() -> dict[int, tuple[int, int]]:
    """Every process: pid → (parent pid, CPU ticks)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        found[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


@dataclass
class Phases:
    """CPU seconds of one pooled run, by process and phase (see the module docstring)."""

    wall: float
    before: float
    before_server: float
    server: float
    during: float
    after: float
    workers: list[float]

    def idle_estimate(self) -> float:
        """Wall seconds on two idle cores (a floor with two workers)."""
        start = max(self.before_server + self.server, self.before)
        total = sum(self.workers)
        if len(self.workers) <= 1:
            reading = max(total, self.during)
        else:
            reading = max(max(self.workers), (total + self.during) / 2)
        return start + reading + self.after

    @property
    def serial(self) -> float:
        """CPU seconds no worker runs beside: the start and the finish."""
        return max(self.before_server + self.server, self.before) + self.after


def sample_run(cmd: list[str], every_s: float = 0.002, env: dict[str, str] | None = None) -> Phases:
    """Run ``cmd`` (a pooled CLI run) while sampling its process tree's CPU."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    started = time.perf_counter()
    parent_of: dict[int, int] = {}
    ticks: dict[int, int] = {}
    cmdlines: dict[int, bytes] = {}
    samples: list[tuple[float, dict[int, int]]] = []
    while process.poll() is None:
        table = _processes()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [process.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        for pid in tree:
            if pid in table:
                if pid not in parent_of:
                    cmdlines[pid] = _cmdline(pid)
                parent_of[pid], ticks[pid] = table[pid]
        samples.append((time.perf_counter() - started, {pid: ticks[pid] for pid in tree if pid in ticks}))
        time.sleep(every_s)
    wall = time.perf_counter() - started
    return _split(process.pid, wall, parent_of, ticks, samples, cmdlines)


def _split(root: int, wall: float, parent_of: dict[int, int], ticks: dict[int, int],
           samples: list[tuple[float, dict[int, int]]], cmdlines: dict[int, bytes] | None = None) -> Phases:
    children = [pid for pid in ticks if parent_of.get(pid) == root]
    cmdlines = cmdlines or {}
    forked = [pid for pid in children if cmdlines.get(pid) and cmdlines.get(pid) == cmdlines.get(root)]  # no exec
    servers = [pid for pid in children if any(parent_of.get(p) == pid for p in ticks)]  # the fork server has children
    workers = forked + [pid for pid in ticks if parent_of.get(pid) in servers]
    first = last = server_seen = None
    seen: dict[int, int] = {}
    for at, cpu in samples:
        if server_seen is None and any(pid in cpu for pid in servers):
            server_seen = at
        for pid in workers:
            if cpu.get(pid, 0) > seen.get(pid, 0):
                first = at if first is None else first
                last = at
            seen[pid] = max(seen.get(pid, 0), cpu.get(pid, 0))

    def root_at(moment: float) -> float:
        value = 0
        for at, cpu in samples:
            if at > moment:
                break
            value = cpu.get(root, value)
        return value / TICK

    total = ticks.get(root, 0) / TICK
    before = root_at(first) if first is not None else total
    during = root_at(last) - before if last is not None else 0.0
    return Phases(wall=wall, before=before, before_server=root_at(server_seen) if server_seen is not None else before,
                  server=sum(ticks[pid] for pid in children if pid not in workers) / TICK,
                  during=during, after=total - before - during, workers=[ticks[pid] / TICK for pid in workers])


def median_phases(runs: list[Phases]) -> Phases:
    """The median of each figure over sampled runs of one worker count; the workers' CPU is
    their median total, split evenly between them."""
    count = len(runs[0].workers)
    return Phases(wall=statistics.median(p.wall for p in runs), before=statistics.median(p.before for p in runs),
                  before_server=statistics.median(p.before_server for p in runs),
                  server=statistics.median(p.server for p in runs), during=statistics.median(p.during for p in runs),
                  after=statistics.median(p.after for p in runs),
                  workers=[statistics.median(sum(p.workers) for p in runs) / max(count, 1)] * count)


def _line(phases: Phases) -> str:
    return (f"before {phases.before:.2f}  beside {phases.during:.2f}  after {phases.after:.2f}  workers "
            f"{sum(phases.workers):.2f} ({' + '.join(f'{w:.2f}' for w in phases.workers)})  "
            f"idle estimate {phases.idle_estimate():.2f} s")


def workers_batch(folder: Path, parts: int | None = None, part_pages: int | None = None) -> list[Path]:
    """The bench's workers batch (``BenchConfig.worker_parts`` slices of the volume, or ``parts`` slices of
    ``part_pages`` pages) made in ``folder``."""
    from bench import volume
    from bench.run import BenchConfig, text_layer_samples

    config = BenchConfig()
    parts, part_pages = parts or config.worker_parts, part_pages or config.worker_part_pages
    _, _, files = volume.build(text_layer_samples(), folder, parts * part_pages, [], parts, part_pages)
    return files


def main(argv: list[str] | None = None) -> None:
    """Sample ``--workers 1`` and ``--workers 2`` on the bench's workers batch, interleaved."""
    from bench.archive import compile_bytecode
    from bench.speed import WorkersResult, workers_command

    ap = argparse.ArgumentParser(prog="python -m bench.cpu_phases", description=main.__doc__)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    compile_bytecode()  # as make bench does: without it every CLI start would compile its modules again
    with tempfile.TemporaryDirectory(prefix="plansheet-phases-") as tmp:
        parts = workers_batch(Path(tmp))
        print("load", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        runs: dict[int, list[Phases]] = {1: [], 2: []}
        for _ in range(args.repeats):
            for n in (1, 2):
                with tempfile.TemporaryDirectory(prefix="bench-cli-", dir=tmp) as out:
                    runs[n].append(sample_run(workers_command(parts, out, n)))
                print(f"--workers {n}: {_line(runs[n][-1])}", flush=True)
    median = {n: median_phases(ps) for n, ps in runs.items()}
    result = WorkersResult(True, phases=median)
    for n in (1, 2):
        print(f"median --workers {n}: {_line(median[n])}")
    print(f"estimated speed-up {result.idle_speedup:.2f}x, ceiling {result.ceiling:.2f}x;"
          f" load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(workers_alone_line(result))
    print(short_of_line(result, GOAL))


def workers_alone_line(result: WorkersResult) -> str:
    """:attr:`bench.speed.WorkersResult.workers_alone` in one line."""
    alone = result.workers_alone
    if alone is None:
        return "the workers alone: not estimated"
    more, best = alone
    return (f"the workers alone: two spent {more:.2f}x one worker's CPU on the same files; with a CLI of no cost "
            f"(no start, finish or work beside them) two workers would give {best:.2f}x")


GOAL = 1.8  # issue 14: --workers 2 at least this many times as fast as --workers 1


def short_of_line(result: WorkersResult, goal: float) -> str:
    """What the estimate lacks for ``goal`` (:meth:`bench.speed.WorkersResult.short_of`), in one line."""
    short = result.short_of(goal)
    if short is None:
        return f"{goal:g}x: not estimated"
    wall, beside, serial = short
    if wall == 0:
        return f"{goal:g}x: reached by the estimate"
    return (f"{goal:g}x: the two-worker estimate is {wall:.3f} s too long: {beside:.2f} CPU-s less of the CLI's work "
            f"beside the workers, or {serial:.2f} CPU-s less of its serial start and finish")


if __name__ == "__main__":
    main()
