"""The timeline of a pooled ``plansheet extract``: each file in its worker, the parent's writes,
early merge and finish, in wall time and CPU time of the process that did it.

:mod:`bench.cpu_phases` says how much CPU each process spends; this says *when*: where a core
idles at the end of the batch (the *gap*: the CPU-seconds the last worker still reads after the
other's last file ended), what of it the early merge fills, and what the parent waits for between
the last file and its finish. Run alone, it samples the bench's workers batch (or ``--parts`` files of ``--part-pages`` pages)::

    .venv/bin/python -m bench.timeline --workers 2 --repeats 3
    .venv/bin/python -m bench.timeline --estimate --parts 3 --part-pages 100   # one and two workers, the end included

The CLI runs in a child interpreter (``--child``) that wraps ``process_file`` (in the workers),
``write_outcome``, ``merge_staged`` and ``finish_output`` (in the parent) to note each call's start
and end in a log, then runs the CLI as ``bench.speed.workers_command`` does. The wrapping is done
as each module is imported, so the imports happen where and when the CLI makes them.
"""
from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from bench.cpu_phases import Phases

# --- in the child: note the calls ----------------------------------------------------------

def _child(log: str, argv: list[str]) -> None:
    """Run the CLI with ``argv``, noting every wrapped call in ``log`` (one line a mark)."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o644)
    started = time.perf_counter()

    def mark(what: str) -> None:
        os.write(fd, f"{os.getpid()} {time.perf_counter() - started:.4f} {time.process_time():.4f} {what}\n".encode())

    def wrap(module: Any, name: str, label: Callable[..., str]) -> None:
        inner = getattr(module, name)

        def noted(*args: Any, **kwargs: Any) -> Any:
            mark(f"{label(*args)} start")
            try:
                return inner(*args, **kwargs)
            finally:
                mark(f"{label(*args)} end")
        setattr(module, name, noted)

    patches: dict[str, Callable[[Any], None]] = {
        "plansheet.pipeline.stages": lambda m: wrap(m, "process_file", lambda path, *_: f"file {Path(path).name}"),
        # a range of a file cut into page ranges (its parse is the process_file above)
        "plansheet.batch.page_ranges": lambda m: wrap(m, "run_unit", lambda unit, *_: (
            f"file {unit.task.path.name} pages {unit.pages.start + 1}-{unit.pages.stop}" if hasattr(unit, "pages")
            else f"cut {unit.task.path.name}")),
        "plansheet.output.writers": lambda m: wrap(m, "write_outcome", lambda *_: "write"),
        "plansheet.batch.finish": lambda m: (wrap(m, "merge_staged", lambda *_: "merge"),
                                             wrap(m, "finish_output", lambda *_: "finish")),
    }

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name not in patches:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return None
            execute = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                execute(module)
                patches[name](module)
            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())
    import atexit

    atexit.register(mark, "exit")
    mark("start")
    sys.argv = ["plansheet", *argv]
    from plansheet.cli.main import main

    main()


# --- in the bench: read the log --------------------------------------------------------------

@dataclass
class Timeline:
    """One run: each file's (worker pid, wall start, wall end, CPU), and the parent's spans."""

    files: dict[str, tuple[int, float, float, float]] = field(default_factory=dict)
    spans: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)  # label → (start, end, CPU)
    wall: float = 0.0

    @classmethod
    def read(cls, log: Path) -> Timeline:
        found = cls()
        open_: dict[tuple[int, str], tuple[float, float]] = {}
        for line in log.read_text().splitlines():
            pid_s, at_s, cpu_s, what = line.split(" ", 3)
            pid, at, cpu = int(pid_s), float(at_s), float(cpu_s)
            match = re.fullmatch(r"(.+) (start|end)", what)
            if what == "exit":
                found.wall = at
            elif match and match[2] == "start":
                open_[(pid, match[1])] = (at, cpu)
            elif match and (pid, match[1]) in open_:
                began, cpu0 = open_.pop((pid, match[1]))
                if match[1].startswith("file "):
                    found.files[match[1][5:]] = (pid, began, at, cpu - cpu0)
                else:
                    found.spans.setdefault(match[1], []).append((began, at, cpu - cpu0))
        return found

    def last_files(self) -> list[tuple[str, tuple[int, float, float, float]]]:
        """Each worker's last file, the earliest-ending first."""
        last: dict[int, tuple[str, tuple[int, float, float, float]]] = {}
        for name, span in sorted(self.files.items(), key=lambda item: item[1][2]):
            last[span[0]] = (name, span)
        return sorted(last.values(), key=lambda item: item[1][2])

    def gap(self) -> float:
        """CPU-seconds the last worker read after every other worker's last file had ended
        (its last file's CPU spread evenly over that file's wall time)."""
        ends = self.last_files()
        if len(ends) < 2:
            return 0.0
        _, (_, began, ended, cpu) = ends[-1]
        other = ends[-2][1][2]
        return cpu * max(0.0, ended - max(other, began)) / max(ended - began, 1e-9)

    def first_start(self) -> float:
        """Wall seconds from the CLI's start to the first file's start in a worker: the serial start, while
        the second core idles."""
        return min((span[1] for span in self.files.values()), default=0.0)

    def cpu(self, label: str) -> float:
        return sum(c for _, _, c in self.spans.get(label, []))

    def wait_before_finish(self) -> float:
        """Wall seconds between the last outcome written and the finish's start (the pool's end)."""
        writes, finish = self.spans.get("write", []), self.spans.get("finish", [])
        return finish[0][0] - max(end for _, end, _ in writes) if writes and finish else 0.0

    def line(self) -> str:
        ends = ", ".join(f"{name} {span[3]:.2f}" for name, span in self.last_files())
        return (f"wall {self.wall:.2f} s; first file at {self.first_start() * 1000:.0f} ms; last files (CPU-s) {ends}; "
                f"gap {self.gap():.3f}; early merge "
                f"{self.cpu('merge'):.3f}; wait before the finish {self.wait_before_finish() * 1000:.0f} ms; "
                f"finish {self.cpu('finish'):.3f}")


def run(files: list[Path], workers: int, folder: Path) -> Timeline:
    """One pooled CLI run of ``files`` under the log; its timeline."""
    return sampled(files, workers, folder)[0]


def sampled(files: list[Path], workers: int, folder: Path, cpu: bool = False) -> tuple[Timeline, Phases | None]:
    """One pooled CLI run of ``files`` under the log: its timeline, and with ``cpu`` its CPU by process and
    phase (:func:`bench.cpu_phases.sample_run`)."""
    from bench.cpu_phases import sample_run

    log = folder / f"timeline-{workers}.log"
    with tempfile.TemporaryDirectory(prefix="bench-cli-", dir=folder) as out:
        cmd = [sys.executable, "-m", "bench.timeline", "--child", str(log), "--", "extract",
               *map(str, files), "--out", out, "--workers", str(workers)]
        if cpu:
            cwd = os.getcwd()
            os.chdir(Path(__file__).resolve().parent.parent)
            try:
                phases: Phases | None = sample_run(cmd)
            finally:
                os.chdir(cwd)
        else:
            phases = None
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800, check=False,
                           cwd=Path(__file__).resolve().parent.parent)
    return Timeline.read(log), phases


def tail_estimate(timeline: Timeline, phases: Phases) -> float:
    """Wall seconds on two idle cores, the end of the batch included: the start, then the workers'
    and the CLI's CPU on both cores until the first worker has nothing left, then the last worker's
    gap ``g`` beside the early merge ``m`` (whichever is longer), then the finish. (The estimate of
    :meth:`bench.cpu_phases.Phases.idle_estimate` packs the workers perfectly: it cannot see the end.)"""
    work, beside = sum(phases.workers), phases.during
    if len(phases.workers) <= 1:
        return phases.before + max(work, beside) + phases.after
    gap, merge = timeline.gap(), timeline.cpu("merge")
    return phases.before + (work + beside - gap - merge) / 2 + max(gap, merge) + phases.after


def estimate(files: list[Path], repeats: int, folder: Path) -> None:
    """``--workers 1`` and ``2`` interleaved, each run's CPU and timeline; the tail-aware speed-up."""
    runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers in (1, 2):
            timeline, phases = sampled(files, workers, folder, cpu=True)
            assert phases is not None
            runs[workers].append(tail_estimate(timeline, phases))
            print(f"--workers {workers}: before {phases.before:.2f} beside {phases.during:.2f} after "
                  f"{phases.after:.2f} workers {sum(phases.workers):.2f}; gap {timeline.gap():.3f} early merge "
                  f"{timeline.cpu('merge'):.3f}; estimate {runs[workers][-1]:.3f} s", flush=True)
    one, two = statistics.median(runs[1]), statistics.median(runs[2])
    print(f"median estimate {one:.3f} s and {two:.3f} s: speed-up {one / two:.3f}x (pairs "
          f"{' '.join(f'{a / b:.2f}' for a, b in zip(runs[1], runs[2]))}); load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> None:
    """Note the timeline of ``--workers N`` on the bench's workers batch, ``--repeats`` times."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        _child(args[1], args[3:])
        return
    from bench.archive import compile_bytecode
    from bench.cpu_phases import workers_batch

    ap = argparse.ArgumentParser(prog="python -m bench.timeline", description=main.__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--parts", type=int, help="the batch's files (default: the bench's)")
    ap.add_argument("--part-pages", type=int, help="pages a file (default: the bench's)")
    ap.add_argument("--estimate", action="store_true",
                    help="--workers 1 and 2 interleaved, sampled: the speed-up on two idle cores, the end included")
    options = ap.parse_args(args)
    compile_bytecode()  # as make bench does: without it every CLI start would compile its modules again
    with tempfile.TemporaryDirectory(prefix="plansheet-timeline-") as tmp:
        parts = workers_batch(Path(tmp), options.parts, options.part_pages)
        print("load", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        if options.estimate:
            estimate(parts, options.repeats, Path(tmp))
            return
        runs = []
        for _ in range(options.repeats):
            runs.append(run(parts, options.workers, Path(tmp)))
            print(f"--workers {options.workers}: {runs[-1].line()}", flush=True)
    print(f"median first file at {statistics.median(r.first_start() for r in runs) * 1000:.0f} ms, "
          f"gap {statistics.median(r.gap() for r in runs):.3f}, early merge "
          f"{statistics.median(r.cpu('merge') for r in runs):.3f}, wait before the finish "
          f"{statistics.median(r.wait_before_finish() for r in runs) * 1000:.0f} ms;"
          f" load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
