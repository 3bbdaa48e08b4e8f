"""Independent steps of the finish, run side by side on threads, or one after another in this thread.

A thread costs more than it saves when the steps are small: in a one-file run into a small
output most of the finish is creating, writing and renaming small files, and two threads doing
that at once spent one and a half to two times the CPU (bench/README.md). So the finish asks
for threads only when its files are large enough (:func:`plansheet.batch.finish.finish_output`),
and otherwise runs its steps one after another in this thread.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any


class InThisThread(Executor):
    """An executor that runs each step at once, in the calling thread. A step's error is kept in its
    future (raised by ``result()``, as a thread's would be); an interrupt is raised at once."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - kept for result(), as a pool keeps it
            future.set_exception(exc)
        return future

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None,  # type: ignore[override]
            chunksize: int = 1) -> Iterator[Any]:
        return map(fn, *iterables)


@contextmanager
def side_by_side(threads: int, name: str) -> Iterator[Executor]:
    """An executor for ``threads`` steps at once (threads named ``name``), or, for 1, this thread."""
    if threads <= 1:
        yield InThisThread()
        return
    pool = ThreadPoolExecutor(threads, thread_name_prefix=name)
    try:
        yield pool
    except BaseException:  # Ctrl-C or a failed step: the steps not begun are not begun (finish.json redoes them)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def log_failures(steps: list[Future], log: Callable[[str], None]) -> None:
    """Log the failure of every step that has ended in one (when another error ends the finish)."""
    for step in steps:
        if step.done() and not step.cancelled() and step.exception() is not None:
            _say(step.exception(), log)  # type: ignore[arg-type]


def results(steps: list[Future], log: Callable[[str], None]) -> None:
    """Wait for every step; each failure is logged, and the first raised once all have ended."""
    errors = [e for e in (step.exception() for step in steps) if e is not None]
    for error in errors[1:]:
        _say(error, log)
    if errors:
        raise errors[0]


def _say(error: BaseException, log: Callable[[str], None]) -> None:
    log(f"a finish step failed as well: {type(error).__name__}: {error}")
