"""The last files of a pooled batch read as page ranges, so that the workers end together.

A pool hands out whole files, largest first; its workers then end one file apart, and a
file's cost is not known before it is read (on the bench's batch, 0.13–0.28 CPU-s for 25
text-layer pages, with no relation to its size): the worker that ends first waits for the
other while the finish cannot start. So the last files of the queue (one per worker) are cut
into ranges of :data:`RANGE_PAGES` pages, which any free worker takes. A text-layer page is
read on its own (:func:`plansheet.readers.pdf.reader.read_pdf_pages`; a file with a sheet printed
across pages, whose pages the reader joins, is read whole), while the rest of the work
(running headers and footers, pages printed several to a sheet, OCR, the parse) needs the
file's pages together: each range's worker reads its pages (the file's triage waits for the
parse), the parent keeps them, and once every range is in, the worker free first gets them all and parses the
file (:class:`RangesParse`) as :func:`~plansheet.pipeline.stages.process_file` would have
parsed it whole, triage included (a file triage refuses fails as it would whole). A range that
could not be read, or one read from a file that has changed since another was read (its size,
modification time or inode), make that worker read the file whole: its outcome, a failure
included, is the one a whole read gives. A range's worker that dies, runs out of memory or
time fails the file, once, as a whole file's worker would.

Only a PDF a pool can read page by page is cut: at least :data:`CUT_FROM_PAGES` long, within
``--max-pages``, not heavy enough to be a scan (``--ocr auto`` would OCR it in the parse, all
in one worker), and not with ``--ocr always``.
"""
from __future__ import annotations

import os
import pickle
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plansheet.batch.executors import Task, pdf_pages
from plansheet.settings import OcrMode, Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome

RANGE_PAGES = 6  # about 50 ms of text-layer reading: about the most by which the workers' ends may differ
# A shorter file ends within reach of the early finish (the merge of what is staged, on the core the
# other worker left, about 0.1 CPU-s): cut, it would save less than it costs, since the finish then
# merges every file at the end (bench/README.md, 2026-11-30 `workers`)
CUT_FROM_PAGES = 48


Stamp = tuple[int, int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    """What tells one version of a file from another without reading it: device, inode, size and
    modification time (None when it cannot be looked at)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


@dataclass(frozen=True)
class RangeRead:
    """What a worker sends back for a :class:`PageRange`: its pages and the file's stamp when it
    read them, or no pages when it could not read them. The pages stay pickled (one ``bytes``
    a range) until the worker that parses the file loads them: the parent only passes them on."""

    stamp: Stamp | None = None
    pages: list[bytes] | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class PageRange:
    """Pages ``pages`` (0-based indexes) of a file, read apart from the rest."""

    task: Task
    pages: range


@dataclass(frozen=True)
class RangesParse:
    """A file whose ranges are all read: parse their pages (``read``, all of them in order), or read
    it whole when None."""

    task: Task
    read: RangeRead | None


def file_of(unit: Task | PageRange | RangesParse) -> Task:
    """The file a unit of work belongs to."""
    return unit if isinstance(unit, Task) else unit.task


def split_tail(tasks: list[Task], workers: int, settings: Settings,
               weights: dict[Task, int] | None = None) -> list[Task | PageRange]:
    """``tasks`` (in the order a pool hands them out) with the last ``workers`` files cut into
    page ranges where they can be (see the module docstring); the other files stay whole.

    ``weights``: each file's work in page units when the batch was weighed (never less than its
    pages): a file lighter than :data:`CUT_FROM_PAGES` is not opened again."""
    if workers < 2 or settings.ocr_mode is OcrMode.ALWAYS:
        return list(tasks)
    units: list[Task | PageRange] = list(tasks[:-workers])
    for task in tasks[-workers:]:
        light = weights is not None and weights.get(task, CUT_FROM_PAGES) < CUT_FROM_PAGES
        if light or tasks.count(task) > 1:  # a file given twice is read twice, whole (its ranges would mix)
            units.append(task)
            continue
        pages, heavy = pdf_pages(task.path, settings.ocr_mode) if task.path.suffix.lower() == ".pdf" else (None, True)
        if pages is None or heavy or not CUT_FROM_PAGES <= pages <= settings.max_pages:
            units.append(task)
            continue
        count = -(-pages // RANGE_PAGES)  # ranges of about equal length, none longer than RANGE_PAGES
        cuts = [pages * i // count for i in range(count + 1)]
        units += [PageRange(task, range(start, stop)) for start, stop in zip(cuts, cuts[1:])]
    return units


def run_unit(unit: PageRange | RangesParse, settings: Settings) -> RangeRead | FileOutcome:
    """A worker's part of a cut file: read a range's pages, or parse the file from all of them."""
    from plansheet.pipeline.stages import PagesRead, process_file

    if isinstance(unit, RangesParse):
        ahead = unit.read
        if ahead is not None and file_stamp(unit.task.path) != ahead.stamp:
            ahead = None  # the file changed since its ranges were read: read it whole
        if ahead is None or ahead.pages is None:
            return process_file(unit.task.path, settings, unit.task.name)
        pages = [page for part in ahead.pages for page in pickle.loads(part)]
        return process_file(unit.task.path, settings, unit.task.name, ahead=PagesRead(pages, ahead.seconds))
    from plansheet.readers.pdf.reader import read_pdf_pages

    started = time.perf_counter()
    stamp = file_stamp(unit.task.path)
    try:
        pages = read_pdf_pages(unit.task.path, settings, unit.pages)
    except MemoryError:
        raise  # the worker reports it
    except Exception:  # noqa: BLE001 - a whole read says why, in the parse
        return RangeRead()
    if pages is None:  # a page the reader joins with another (a sheet printed across pages): read whole
        return RangeRead()
    return RangeRead(stamp, [pickle.dumps(pages, pickle.HIGHEST_PROTOCOL)], time.perf_counter() - started)


class CutFiles:
    """The parent's view of the files cut into ranges: what each range read, which file failed."""

    def __init__(self, units: list[Task | PageRange]) -> None:
        self._ranges: dict[Task, list[PageRange]] = {}
        for unit in units:
            if isinstance(unit, PageRange):
                self._ranges.setdefault(unit.task, []).append(unit)
        self._read: dict[Task, dict[int, RangeRead]] = {task: {} for task in self._ranges}
        self._failed: set[Task] = set()
        self._started: dict[Task, float] = {}

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def started(self, unit: Task | PageRange | RangesParse, now: float) -> float:
        """When the file of ``unit`` started: a cut file's ``--timeout`` counts from its first range."""
        if isinstance(unit, Task):
            return now
        return self._started.setdefault(unit.task, now)

    def waiting(self) -> bool:
        """Whether a cut file still has ranges to read. Its workers must stay (a worker started now
        would start from a fork server), and the caller's early finish would only delay them: they
        end within a range of each other. (While a parse runs alone, the early finish may run.)"""
        return any(task not in self._failed and len(read) < len(self._ranges[task]) for task, read in self._read.items())

    def settle(self, unit: PageRange | RangesParse, got: RangeRead | FileOutcome,
               pending: deque[Task | PageRange | RangesParse]) -> FileOutcome | None:
        """Take what a worker sent for ``unit``: the file's outcome to hand over, or None (a range
        read: once every range is in, the file's parse goes first in ``pending``)."""
        task = unit.task
        if task in self._failed:
            return None  # its outcome was handed over already
        if isinstance(unit, RangesParse):
            return got  # type: ignore[return-value]
        if not isinstance(got, RangeRead):  # the range's worker died, ran out of memory or time: the file fails
            self._failed.add(task)
            for other in [u for u in pending if file_of(u) == task]:
                pending.remove(other)
            return got
        read = self._read[task]
        read[unit.pages.start] = got
        ranges = self._ranges[task]
        if len(read) == len(ranges):
            parts = [read[r.pages.start] for r in ranges]
            stamps = {p.stamp for p in parts}
            if all(p.pages is not None for p in parts) and len(stamps) == 1 and None not in stamps:
                joined = RangeRead(parts[0].stamp, [page for part in parts for page in part.pages or []],
                                   sum(part.seconds for part in parts))
                pending.appendleft(RangesParse(task, joined))
            else:
                pending.appendleft(RangesParse(task, None))
        return None
