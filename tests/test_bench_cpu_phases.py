"""bench.cpu_phases: what the estimate lacks for a goal, and the CLI measured as make bench runs it."""
from __future__ import annotations

from pathlib import Path

import pytest

import bench.archive
import bench.cpu_phases as cpu_phases
from bench.cpu_phases import Phases
from bench.report import _phases_lines
from bench.speed import WorkersResult


def phases(before: float, during: float, after: float, workers: list[float]) -> Phases:
    return Phases(wall=0.0, before=before, before_server=before, server=0.0, during=during, after=after,
                  workers=workers)


def test_what_the_goal_asks_is_split_between_the_work_beside_and_the_serial_work() -> None:
    # one worker: 0.2 + 2.6 + 0.15 = 2.95 s; two: 0.2 + (2.6 + 0.3) / 2 + 0.15 = 1.8 s, 1.64x
    result = WorkersResult(True, phases={1: phases(0.2, 0.3, 0.15, [2.6]), 2: phases(0.2, 0.3, 0.15, [1.3, 1.3])})
    wall, beside, serial = result.short_of(1.8)
    assert wall == pytest.approx(1.8 - 2.95 / 1.8)
    # removing `beside` CPU-s from beside the workers shortens only the two-worker run, by half of it
    assert 2.95 / (1.8 - beside / 2) == pytest.approx(1.8)
    # removing `serial` CPU-s from the start and finish shortens both runs by all of it
    assert (2.95 - serial) / (1.8 - serial) == pytest.approx(1.8)
    assert result.short_of(1.6) == (0.0, 0.0, 0.0)
    assert cpu_phases.short_of_line(result, 1.6) == "1.6x: reached by the estimate"
    # RESULTS.md says it under the estimate and the ceiling
    assert "- 1.8x: the two-worker estimate is 0.161 s too long: 0.32 CPU-s less of the CLI's work beside the " \
        "workers, or 0.36 CPU-s less of its serial start and finish" in _phases_lines(result)


def test_the_cli_runs_from_compiled_bytecode(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # with PYTHONDONTWRITEBYTECODE set and no bytecode in the checkout, every sampled CLI start would
    # compile its modules again (about 0.07 CPU-s of the serial start): compiled first, as make bench does
    calls: list[str] = []
    monkeypatch.setattr(bench.archive, "compile_bytecode", lambda: calls.append("compile"))
    monkeypatch.setattr(cpu_phases, "workers_batch", lambda folder: [Path("a.pdf")])

    def sample(cmd: list[str]) -> Phases:
        calls.append("sample")
        workers = int(cmd[cmd.index("--workers") + 1])
        return phases(0.2, 0.3, 0.15, [2.6 / workers] * workers)
    monkeypatch.setattr(cpu_phases, "sample_run", sample)
    cpu_phases.main(["--repeats", "1"])
    assert calls == ["compile", "sample", "sample"]
    assert "1.8x: the two-worker estimate is 0.161 s too long" in capsys.readouterr().out
