"""Runs an executor in a fresh interpreter and prints what happened, one JSON line (for test_executors);
and holds the work test_executors' own pools run.

A pool forks its workers from this process only while the process runs one thread, and the
test process runs several once pyarrow is loaded (jemalloc's background thread): a fresh
interpreter that imports no pyarrow is where the forked paths are exercised. The test process's
pools start their workers from a fork server, and each worker imports the module of its work
function before its first file: this one imports little (0.16 CPU-s; test_executors, with pytest
and pandas, 0.9), so a worker's start on a loaded machine does not eat a file's timeout.

    python tests/fork_probe.py pool|pool-forkserver|pool-refusing-numpy|small|small-one-worker|small-faulty-worker|small-slow-exit|bar FILE...
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

from plansheet.batch.executors import AutoExecutor, ProcessExecutor, Task, can_fork, run_task, when_only_writing
from plansheet.output.without_numpy import numpy_refused, refuse_numpy
from plansheet.settings import Settings


def _slow_start() -> None:
    """``PROBE_SLOW_START``: a worker, before any of the pool's code runs in it, says so beside the files
    (``starting-PID`` in ``PROBE_MARKS``) and takes 3 s, the start a loaded machine may give it."""
    (Path(os.environ["PROBE_MARKS"]) / f"starting-{os.getpid()}").touch()
    time.sleep(3)


if __name__ == "__mp_main__" and os.environ.get("PROBE_SLOW_START"):  # a fork server's worker, importing this
    _slow_start()


def faulty(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """The real work with the pid and parent pid of the process that did it in the error column,
    except for files named to misbehave (a hanging one says so beside the files: ``asleep-PID``)."""
    stem = task.path.stem
    if stem.startswith("hang"):
        (task.path.parent / f"asleep-{os.getpid()}").touch()
        time.sleep(60)
    elif stem.startswith("hog"):
        import numpy

        numpy.empty(64 << 30, dtype=numpy.uint8)  # 64 GB of address space (untouched): past the cap
    elif stem.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    outcome = run_task(task, settings)
    outcome.result.error = f"{os.getpid()} {os.getppid()}"
    return outcome


def where_it_ran(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """The real work, with the pid of the process that did it in the sources error column."""
    if task.path.stem.startswith("hang"):
        time.sleep(60)
    outcome = run_task(task, settings)
    outcome.result.error = str(os.getpid())
    return outcome


def gone(pid: int) -> bool:
    """True once process ``pid`` has ended (a zombie, or no more)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def waits_for_the_other_worker(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """``quick`` notes its worker's pid; ``slow`` waits (at most 20 s) until that worker has exited
    and notes whether it did (runs in the worker process)."""
    marks = task.path.parent
    if task.path.stem == "quick":
        (marks / "quick.pid").write_text(str(os.getpid()))
    else:
        deadline = time.monotonic() + 20
        seen = False
        while not seen and time.monotonic() < deadline:
            pid = marks / "quick.pid"
            seen = pid.exists() and bool(pid.read_text()) and gone(int(pid.read_text()))
            time.sleep(0.05)
        (marks / "slow.saw").write_text("exited" if seen else "still there")
    return run_task(task, settings)


PROBE = os.getpid()  # in a forked worker: its parent's pid
_first = True


def faulty_worker(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """The real work, except that a forked worker misbehaves on the first file it takes, as
    ``PROBE_FAULT`` says (``crash``, ``hang`` or ``hog``): whichever file that is. In this process a
    file takes a moment longer, so that the worker takes one however late the machine's load lets it
    start (this process had read all twelve first at load 7-8)."""
    global _first
    if os.getpid() == PROBE:
        time.sleep(0.3)
    elif _first:
        _first = False
        faulty(Task(task.path.with_name(os.environ["PROBE_FAULT"] + ".txt"), task.name), settings)
    return faulty(task, settings)


def slow_to_exit(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """:func:`faulty`; in a forked worker, its exit first waits (at most 20 s) until this process
    has every outcome (``caller-done`` beside the files) and notes whether it had (``worker-exit``).
    In this process a file takes a moment longer, so that the worker gets files too."""
    import multiprocessing.util

    marks = task.path.parent
    if os.getpid() == PROBE:
        time.sleep(0.3)
    elif not (marks / f"worker-{os.getpid()}").exists():
        (marks / f"worker-{os.getpid()}").touch()

        def wait_for_the_caller() -> None:
            deadline = time.monotonic() + 20
            while not (marks / "caller-done").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            (marks / "worker-exit").write_text("after" if (marks / "caller-done").exists() else "before")
        multiprocessing.util.Finalize(None, wait_for_the_caller, exitpriority=10)  # runs as the worker exits
    return faulty(task, settings)


def main(mode: str, files: list[str]) -> None:
    settings = Settings()
    if os.environ.get("PROBE_SLOW_START"):  # a worker forked from this process
        os.register_at_fork(after_in_child=_slow_start)
    forkable = can_fork()
    if mode == "pool":
        runner = ProcessExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty)
    elif mode == "pool-forkserver":  # workers forked by a fork server, the server started by this process
        runner = ProcessExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty, context="forkserver")
    elif mode == "pool-refusing-numpy":  # as the CLI's extract; importing nothing beside the workers, this
        # process still runs one thread when a worker dies: only the refusal sends the replacement to a fork server
        runner = ProcessExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty, imports_while_waiting=())
    elif mode == "small-faulty-worker":
        runner = AutoExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty_worker)
    elif mode == "small-slow-exit":
        runner = AutoExecutor(workers=2, timeout_s=60, max_memory_mb=3072, work=slow_to_exit)
    elif mode in ("small", "small-one-worker"):
        runner = AutoExecutor(workers=2 if mode == "small" else 1, timeout_s=10, max_memory_mb=3072, work=faulty)
    elif mode == "bar":  # a progress bar drawn from its own thread: the workers fork before it starts
        from plansheet.batch.progress import Progress

        progress = Progress(stream=io.StringIO(), live=True)
        runner = progress.wrap(ProcessExecutor(workers=2, work=faulty))
    else:
        raise SystemExit(f"unknown mode {mode}")
    with when_only_writing(refuse_numpy):  # called by a pool only
        rows = [{"file": Path(o.result.source_file).name, "status": o.result.status.value, "error": o.result.error,
                 "documents": o.result.documents} for o in runner(files, settings)]
    if mode == "small-slow-exit":
        marks = Path(files[0]).parent
        (marks / "caller-done").touch()  # every outcome is in: the worker's exit goes on
        deadline = time.monotonic() + 20  # and ends before this process's own, which would stop it (a daemon)
        while not (marks / "worker-exit").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    print(json.dumps({"pid": os.getpid(), "could_fork": forkable, "numpy_refused": numpy_refused(), "outcomes": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
