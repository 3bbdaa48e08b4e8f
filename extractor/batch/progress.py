"""Batch progress on stderr: a rich bar (files, pages, ETA) on a terminal, plain lines elsewhere.

A :class:`Progress` wraps a runner (it learns the number of files when the batch starts)
and is told about each finished file through :meth:`Progress.done`. Per-file summary
lines go through :meth:`Progress.echo` so they print above the bar instead of through it.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from plansheet.results import SourceResult
from plansheet.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome  # the parsers: a pool's parent imports them while it waits


class Progress:
    """Reports a batch's progress on ``stream`` (stderr by default); use as a context manager."""

    def __init__(self, stream: IO[str] | None = None, live: bool | None = None, label: str = "converting",
                 every_s: float = 10.0) -> None:
        self.every_s = every_s
        self._last_line = float("-inf")
        self.stream = stream or sys.stderr or open(os.devnull, "w")  # (no stderr at all: ``2>&-``)
        self.live = self.stream.isatty() if live is None else live
        self.label = label
        self.total = 0
        self.files = 0
        self.pages = 0
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def start(self, total: int, *, draw: bool = True) -> None:
        """The batch begins with ``total`` files; the bar is drawn now, or with ``draw=False`` by :meth:`draw`."""
        self.total, self.started = total, time.monotonic()
        if draw:
            self.draw()

    def draw(self) -> None:
        """Draw the bar (on a terminal, once). Its thread starts after a pool has forked its workers:
        a pool forks only while this process runs one thread."""
        if not self.live or self.total == 0 or self._bar is not None:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("files · {task.fields[pages]} pages"), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(),
                        console=Console(file=self.stream), transient=False, redirect_stdout=False)
        self._task = self._bar.add_task(self.label, total=self.total, pages=0)
        self._bar.start()

    def done(self, result: SourceResult) -> None:
        """One file finished (whatever its status)."""
        if self.total == 0:
            return  # not part of the batch being run (an ingest's unchanged files)
        self.files += 1
        self.pages += result.pages or 0
        if self._bar is not None:
            self._bar.update(self._task, advance=1, pages=self.pages)
            return
        now = time.monotonic()
        if now - self._last_line < self.every_s and self.files < self.total:
            return  # plain lines (logs, cron mail): one every ``every_s`` seconds, and the last
        self._last_line = now
        elapsed = now - self.started
        eta = elapsed / self.files * (self.total - self.files)
        write_or_drop(self.stream, f"progress: {self.files}/{self.total} files, {self.pages} pages, "
                                   f"{elapsed:.0f} s elapsed, ETA {eta:.0f} s\n")

    def echo(self, line: str, out: IO[str] | None = None) -> None:
        """Print a line (to stdout by default) without tearing the bar."""
        if self._bar is not None and (out is None or out is sys.stdout) and sys.stdout is not None \
                and sys.stdout.isatty():
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            write_or_drop(out or sys.stdout, line + "\n")

    def wrap(self, runner: Callable[[list[Path], Settings], Iterator[FileOutcome]]
             ) -> Callable[[list[Path], Settings], Iterator[FileOutcome]]:
        """A runner that starts the bar with the batch's size once ``runner`` has started its workers."""
        from plansheet.batch.executors import when_started

        def run(files: list[Path], settings: Settings) -> Iterator[FileOutcome]:
            files = list(files)
            self.start(len(files), draw=False)
            with when_started(self.draw):
                for outcome in runner(files, settings):
                    self.draw()  # a runner that does not say when it has started
                    yield outcome
        return run


def write_or_drop(stream: IO[str] | None, text: str) -> None:
    """Write ``text`` to ``stream`` and flush. Once the reader of a pipe has gone (``plansheet extract … | head``)
    or the file it goes to is full, the stream's descriptor is pointed at the null device and the run goes
    on: what it reports is lost, never what it writes to its output folder. A stream the process was started
    without (``>&-``: ``None``) takes nothing."""
    if stream is None:
        return
    try:
        stream.write(text)
        stream.flush()
    except OSError:  # the pipe's reader has gone, or the file it goes to cannot take more (/dev/full)
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())  # later writes, and the flush at exit, go nowhere
            os.close(null)
        except (OSError, ValueError):  # no descriptor of its own (a test's buffer): nothing to redirect
            pass
