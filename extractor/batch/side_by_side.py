"""A small batch read by this process and one worker forked from it, side by side.

Both take the next file from one queue as soon as they are free, so neither waits for the other
and they finish within a file of each other. The queue is a pipe holding the files' indexes,
four bytes each, written whole before the fork and closed for writing: a read of four bytes
takes one index, atomically, and an empty pipe reads as its end. The worker says which file it
reads, and since when, in two shared doubles, so this process can kill it past ``--timeout``;
it sends each outcome through its own pipe, and this process writes every file's rows.

A file read here has its timeout (``SIGALRM``) and no memory cap, as in process; a file read by
the worker has both. The worker's clock is looked at between this process's own files, so a
hanging file there may run up to one of them longer before it is killed. When the worker dies
(a crash, its memory cap, a timeout), its file fails alone and this process reads the rest.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import struct
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from plansheet.batch.executors import (Task, Work, announce_started, death_message, failed_outcome, frozen_for_fork,
                                       limit_memory, oom_message, run_sequential, timeout_message)
from plansheet.batch.parent_death import die_with_parent, parent_gone_quietly
from plansheet.errors import ErrorStage
from plansheet.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome

log = logging.getLogger(__name__)
INDEX = struct.Struct("<i")
IDLE = -1.0  # the worker's slot when it reads no file
LOOK_AGAIN_S = 0.05  # how often this process looks at an idle worker's clock while it waits


def _take(queue: int) -> int | None:
    """The next file's index from the queue; None when it is empty."""
    data = os.read(queue, INDEX.size)
    return INDEX.unpack(data)[0] if data else None


def _worker(queue: int, conn: Connection, slot: Any, tasks: list[Task], settings: Settings, work: Work,
            max_memory_mb: int | None, parent: int) -> None:
    """The forked worker: take a file, say which in ``slot``, read it, send ("ok", index, outcome)."""
    die_with_parent(parent)  # else, its parent killed alone, it would read the whole queue on
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from plansheet.readers.pdf.pdfium import close_kept

    close_kept()  # the parent's weighed documents share their file offsets with it: open files anew here
    limit_memory(max_memory_mb)
    with parent_gone_quietly():
        while (index := _take(queue)) is not None:
            slot[1] = time.monotonic()  # the time first: the parent reads the slot as (file, since)
            slot[0] = float(index)
            try:
                outcome = work(tasks[index], settings)
            except MemoryError:
                slot[0] = IDLE
                conn.send(("oom", index, None))
                return  # its heap may be in pieces: this process reads the rest
            slot[0] = IDLE  # read: the wait for the parent to take a large outcome is not the file's time
            conn.send(("ok", index, outcome))
        conn.send(("done", -1, None))  # the queue is empty: this process need not wait for the exit that follows


def read_side_by_side(tasks: list[Task], settings: Settings, work: Work, timeout_s: float | None,
                      max_memory_mb: int | None) -> Iterator[FileOutcome]:
    """Yield each file's outcome as this process or its forked worker finishes it (the caller
    has checked :func:`~plansheet.batch.executors.can_fork` and imported what a worker needs)."""
    ctx = multiprocessing.get_context("fork")
    queue, filling = os.pipe()
    os.write(filling, b"".join(INDEX.pack(i) for i in range(len(tasks))))  # a few hundred bytes: one write
    os.close(filling)
    slot = ctx.RawArray("d", [IDLE, 0.0])
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_worker, args=(queue, child, slot, tasks, settings, work, max_memory_mb, os.getpid()),
                          name="plansheet-worker", daemon=True)
    with frozen_for_fork():
        process.start()
    child.close()
    announce_started()
    worker = _Helper(process, parent, slot, tasks, timeout_s, max_memory_mb)
    done: set[int] = set()
    try:
        while (index := _take(queue)) is not None:
            yield from worker.collect(done, block=False)
            outcome, = run_sequential([tasks[index]], settings, work, timeout_s)
            done.add(index)
            yield outcome
        while worker.alive:
            yield from worker.collect(done, block=True)
        for index in sorted(set(range(len(tasks))) - done):  # taken by a worker that ended before it said which
            yield worker.lost(index)
    finally:
        worker.stop()
        os.close(queue)


class _Helper:
    """This process's view of the forked worker: its outcomes, its clock, its end."""

    def __init__(self, process: Any, conn: Connection, slot: Any, tasks: list[Task], timeout_s: float | None,
                 max_memory_mb: int | None) -> None:
        self.process, self.conn, self.slot, self.tasks = process, conn, slot, tasks
        self.timeout_s, self.max_memory_mb = timeout_s, max_memory_mb
        self.alive = True
        self.finished = False  # it said the queue was empty: it exits by itself, and nobody waits for it
        self.timed_out = False  # killed past --timeout (else it died, or ran out of files)

    def collect(self, done: set[int], block: bool) -> Iterator[FileOutcome]:
        """The outcomes the worker sent; the failure of its file when it died or ran past the timeout.

        With ``block``, wait until it sends one, ends, or reaches its file's deadline."""
        if not self.alive:
            return
        if block:
            wait([self.conn, self.process.sentinel], self._wait_time())
        ended = not self.process.is_alive()
        held, since = int(self.slot[0]), self.slot[1]  # final once it has ended
        if ended:
            self.process.join(5)
        elif held >= 0 and self.timeout_s and time.monotonic() - since > self.timeout_s:
            self.process.kill()
            self.process.join(5)
            ended = self.timed_out = True
        yield from self._drain(done)  # all it sent before it ended
        if ended or self.finished:
            self.alive = False
            self.conn.close()
            if held >= 0 and held not in done:
                done.add(held)
                yield self.lost(held)

    def _wait_time(self) -> float | None:
        if not self.timeout_s:
            return None
        if self.slot[0] == IDLE:
            return LOOK_AGAIN_S  # between files, or about to take one
        return max(0.0, self.slot[1] + self.timeout_s - time.monotonic()) + 0.01

    def _drain(self, done: set[int]) -> Iterator[FileOutcome]:
        try:
            while self.conn.poll():
                kind, index, outcome = self.conn.recv()
                if kind == "done":
                    self.finished = True
                    return
                done.add(index)
                task = self.tasks[index]
                yield outcome if kind == "ok" else failed_outcome(task, ErrorStage.READ,
                                                                  oom_message(task, self.max_memory_mb))
        except (EOFError, OSError):
            pass

    def lost(self, index: int) -> FileOutcome:
        """The failure of a file the worker held when it ended."""
        task = self.tasks[index]
        if self.timed_out and self.timeout_s:
            return failed_outcome(task, ErrorStage.READ, timeout_message(task, self.timeout_s))
        return failed_outcome(task, ErrorStage.READ, death_message(task, self.process.exitcode, self.max_memory_mb))

    def stop(self) -> None:
        """Kill the worker if it still reads (this process is interrupted), and wait for it; one
        that said it was done exits by itself (:mod:`multiprocessing` reaps it later)."""
        if not self.finished:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
        self.alive = False
        self.conn.close()
