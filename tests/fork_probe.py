"""Runs an executor in a fresh interpreter and prints what happened, one JSON line (for test_executors).

A pool forks its workers from this process only while the process runs one thread, and the
test process runs several once pyarrow is loaded (jemalloc's background thread): a fresh
interpreter that imports no pyarrow is where the forked paths are exercised.

    python tests/fork_probe.py pool|small|small-one-worker|small-faulty-worker|bar FILE...
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

from plansheet.batch.executors import AutoExecutor, ProcessExecutor, Task, can_fork, run_task
from plansheet.settings import Settings


def faulty(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """The real work with the pid and parent pid of the process that did it in the error column,
    except for files named to misbehave."""
    stem = task.path.stem
    if stem.startswith("hang"):
        time.sleep(60)
    elif stem.startswith("hog"):
        import numpy

        numpy.empty(64 << 30, dtype=numpy.uint8)  # 64 GB of address space (untouched): past the cap
    elif stem.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    outcome = run_task(task, settings)
    outcome.result.error = f"{os.getpid()} {os.getppid()}"
    return outcome


PROBE = os.getpid()  # in a forked worker: its parent's pid
_first = True


def faulty_worker(task: Task, settings: Settings):  # type: ignore[no-untyped-def]
    """The real work, except that a forked worker misbehaves on the first file it takes, as
    ``PROBE_FAULT`` says (``crash``, ``hang`` or ``hog``): whichever file that is."""
    global _first
    if os.getpid() != PROBE and _first:
        _first = False
        faulty(Task(task.path.with_name(os.environ["PROBE_FAULT"] + ".txt"), task.name), settings)
    return faulty(task, settings)


def main(mode: str, files: list[str]) -> None:
    settings = Settings()
    forkable = can_fork()
    if mode == "pool":
        runner = ProcessExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty)
    elif mode == "small-faulty-worker":
        runner = AutoExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty_worker)
    elif mode in ("small", "small-one-worker"):
        runner = AutoExecutor(workers=2 if mode == "small" else 1, timeout_s=10, max_memory_mb=3072, work=faulty)
    elif mode == "bar":  # a progress bar drawn from its own thread: the workers fork before it starts
        from plansheet.batch.progress import Progress

        progress = Progress(stream=io.StringIO(), live=True)
        runner = progress.wrap(ProcessExecutor(workers=2, work=faulty))
    else:
        raise SystemExit(f"unknown mode {mode}")
    rows = [{"file": Path(o.result.source_file).name, "status": o.result.status.value, "error": o.result.error,
             "documents": o.result.documents} for o in runner(files, settings)]
    print(json.dumps({"pid": os.getpid(), "could_fork": forkable, "outcomes": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
