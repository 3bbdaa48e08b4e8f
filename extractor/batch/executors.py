"""Where the per-file work runs: in this process, in a pool of worker processes, or on Dask.

Every executor is a *runner* for :func:`plansheet.api.extract`: it takes the files and the
settings and yields one :class:`~plansheet.pipeline.stages.FileOutcome` per file, in the order
they finish. Workers only compute (``pipeline.process_file``); the caller writes each
outcome as soon as it is yielded, so a crash loses at most the files still running.

:class:`ProcessExecutor` isolates faults: each worker process has an address-space cap
(``resource.setrlimit(RLIMIT_AS)``, ``--max-memory``) and every file a deadline
(``--timeout``). A worker that hangs is killed, one that dies or runs out of memory is
replaced, and in both cases only its file fails, with a ``sources`` row that says so.
"""
from __future__ import annotations

import gc
import hashlib
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plansheet.batch.parent_death import die_with_parent, parent_gone_quietly
from plansheet.core.names import log_safe, readable
from plansheet.errors import ClusterUnavailableError, ErrorStage, PlansheetError, TriageError
from plansheet.pipeline.triage import open_regular_file
from plansheet.results import SourceResult, Status
from plansheet.settings import OcrMode, Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome

log = logging.getLogger(__name__)


class ExecutorKind(str, Enum):
    """The executors ``--executor`` can choose."""

    AUTO = "auto"
    SEQUENTIAL = "sequential"
    PROCESSES = "processes"
    DASK = "dask"


@dataclass(frozen=True)
class Task:
    """One file to convert, and the name its rows carry (``sources.source_file``)."""

    path: Path
    name: str

    @classmethod
    def of(cls, item: "Task | Path | str") -> "Task":
        if isinstance(item, Task):
            return item
        path = Path(item)
        return cls(path, readable(path.as_posix()))


Work = Callable[[Task, Settings], "FileOutcome"]


def run_task(task: Task, settings: Settings) -> FileOutcome:
    """The per-file work every executor runs: :func:`process_file` under the task's name."""
    from plansheet.pipeline.stages import process_file

    return process_file(task.path, settings, task.name)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None when it cannot be read or is no regular file.

    The file is opened without blocking and checked before reading, so a FIFO never hangs the caller.
    """
    digest = hashlib.sha256()
    try:
        with open_regular_file(path) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except TriageError:
        return None
    return digest.hexdigest()


def failed_outcome(task: Task, stage: ErrorStage, message: str, seconds: float = 0.0,
                   sha256: str | None = None) -> FileOutcome:
    """The outcome of a file whose worker failed it (no rows, one ``sources`` row saying why)."""
    from plansheet.pipeline.stages import FileOutcome

    sha = sha256 if sha256 is not None else file_sha256(task.path)
    result = SourceResult(source_file=task.name, sha256=sha, status=Status.FAILED,
                          error_stage=stage, error=message, seconds=seconds)
    return FileOutcome(result)


class _FileTimeout(Exception):
    """Raised in this process by SIGALRM when one file runs past ``--timeout``."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _FileTimeout


def run_sequential(files: Iterable[Task | Path], settings: Settings, work: Work = run_task,
                   timeout_s: float | None = None) -> Iterator[FileOutcome]:
    """Process files one after another in this process (no memory cap, no isolation).

    With ``timeout_s`` (and in the main thread) a file running longer is interrupted by
    ``SIGALRM`` and fails; code stuck inside a C library is interrupted when it returns.
    """
    alarm = bool(timeout_s) and threading.current_thread() is threading.main_thread()
    announce_started()
    for item in files:
        task = Task.of(item)
        started = time.monotonic()
        previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
        try:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, float(timeout_s))  # type: ignore[arg-type]
            outcome = work(task, settings)
        except MemoryError:
            outcome = failed_outcome(task, ErrorStage.READ, f"{task.name}: ran out of memory; split the file "
                                     "or run it with --executor processes", time.monotonic() - started)
        except _FileTimeout:
            outcome = failed_outcome(task, ErrorStage.READ, f"{task.name}: stopped after {timeout_s:g} s timeout; "
                                     "raise --timeout if the file is genuinely slow", time.monotonic() - started)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        yield outcome


# --- small batches in process, large ones in workers ------------------------------------

# A batch this small (in page units) runs in this process. Starting a pool costs 0.5–0.8 s before
# the first page is read (a fork server starts, then each worker imports the pipeline, the reader
# and the grammar), and a text-layer page takes about 12 ms in process, so two workers save 6 ms a page:
# the pool pays for itself from about 100 pages on an idle machine, later on a busy one.
IN_PROCESS_WORK = 120
IN_PROCESS_FILES = 30
OCR_PAGE = 20  # a page that will probably be OCRed counts as this many
SCAN_BYTES_PER_PAGE = 100_000  # a PDF this heavy per page is probably scanned


def file_work(files: list[Task], settings: Settings, limit: int | None = None, *,
              keep_open: bool = False) -> list[int]:
    """The work of each file in page units: PDF pages (OCR pages ×``OCR_PAGE``), 1 per other file.

    With ``--ocr auto`` a PDF is probably scanned when it is heavy (over ``SCAN_BYTES_PER_PAGE``
    a page) and its first page draws no text. Both are asked because either alone misleads: a
    short text PDF that embeds its Japanese fonts is heavy too. Loading a page (which parses its
    fonts) costs tens of milliseconds, so only heavy files pay for it, and with ``limit`` only
    while the batch could still weigh no more than ``limit``: a batch already over it starts
    workers, and no page of it is loaded in this process. With ``keep_open`` the documents whose
    first page was loaded stay open for this process's reader (their fonts are parsed once).
    """
    work: list[int] = []
    heavy: list[tuple[int, Path, int]] = []  # PDFs that may be scans: (index, path, pages)
    for task in files:
        if task.path.suffix.lower() != ".pdf":
            work.append(1)
            continue
        pages, maybe_scanned = pdf_pages(task.path, settings.ocr_mode)
        if pages is None:  # encrypted, damaged, not a PDF: one unit (triage will say why)
            work.append(1)
            continue
        if settings.ocr_mode is OcrMode.ALWAYS:
            work.append(pages * OCR_PAGE)
            continue
        if maybe_scanned:
            heavy.append((len(work), task.path, pages))
        work.append(pages)
    for index, path, pages in heavy:
        if limit is not None and sum(work) > limit:
            break
        if not _first_page_draws_text(path, keep_open):
            work[index] = pages * OCR_PAGE
    return work


def batch_work(files: list[Task], settings: Settings, limit: int | None = None) -> int:
    """The work of a batch in page units (:func:`file_work` summed)."""
    return sum(file_work(files, settings, limit))


def largest_first(files: list[Task], work: list[int] | None = None) -> list[Task]:
    """The files in the order a pool hands them out: the most work first, so that the last
    files to finish are small ones and no worker waits long for another at the end.

    ``work`` is :func:`file_work`'s figure for each file when it is known; otherwise a file's
    size stands for it (a stat, while counting the pages of a large batch would open every PDF).
    Ties keep the given order.
    """
    def size(task: Task) -> int:
        try:
            return task.path.stat().st_size
        except OSError:
            return 0

    weights = work if work is not None else [size(t) for t in files]
    order = sorted(range(len(files)), key=lambda i: -weights[i])
    return [files[i] for i in order]


def pdf_pages(path: Path, ocr_mode: OcrMode) -> tuple[int | None, bool]:
    """A PDF's page count (None when it cannot be opened), and whether it is heavy enough to be
    a scan that ``--ocr auto`` would OCR."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception:
        return None, False
    try:
        pages = len(document)
    finally:
        document.close()
    heavy = ocr_mode is OcrMode.AUTO and pages > 0 and path.stat().st_size > SCAN_BYTES_PER_PAGE * pages
    return pages, heavy


def _first_page_draws_text(path: Path, keep_open: bool = False) -> bool:
    """Whether the PDF's first page holds a text object (a scan holds an image); with ``keep_open``
    the document is kept open for the reader (:func:`plansheet.readers.pdf.pdfium.keep_open`)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception:
        return True
    try:
        page = document[0]
    except Exception:  # a damaged page: triage and the reader will say why
        document.close()
        return True
    try:
        return any(pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) == pdfium_c.FPDF_PAGEOBJ_TEXT
                   for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)))
    finally:
        page.close()
        if keep_open:
            from plansheet.readers.pdf.pdfium import keep_open as keep

            keep(path, document)
        else:
            document.close()


def _weigh(files: list[Task], settings: Settings, keep_open: bool = False) -> tuple[bool, list[int] | None]:
    """Whether a batch runs in this process, and the work of each file when it was counted.

    With ``keep_open``, a PDF whose first page was loaded to weigh it stays open for the reader
    when the batch runs in this process (:func:`file_work`)."""
    if len(files) > IN_PROCESS_FILES:
        return False, None
    work = file_work(files, settings, limit=IN_PROCESS_WORK, keep_open=keep_open)
    if sum(work) > IN_PROCESS_WORK:
        if keep_open:  # workers open their files themselves
            from plansheet.readers.pdf.pdfium import close_kept

            close_kept()
        return False, work
    return True, work


@dataclass
class AutoExecutor:
    """Small batches in this process (with the timeout, no memory cap), others in worker processes."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float | None = 600.0
    max_memory_mb: int | None = 4096
    work: Work = run_task

    def __call__(self, files: Iterable[Task | Path], settings: Settings) -> Iterator[FileOutcome]:
        tasks = [Task.of(f) for f in files]
        in_process, work = _weigh(tasks, settings, keep_open=True)
        if in_process and (self.workers < 2 or len(tasks) < 2 or usable_cores() < 2):
            log.info("%d file(s): a small batch, run in this process", len(tasks))
            return run_sequential(tasks, settings, self.work, self.timeout_s)
        if in_process:
            return self._beside_one_worker(largest_first(tasks, work), settings)
        pool = ProcessExecutor(self.workers, self.timeout_s, self.max_memory_mb, work=self.work)
        weights = dict(zip(tasks, work)) if work is not None else None
        return pool(largest_first(tasks, work), settings, ordered=True, weights=weights)

    def _beside_one_worker(self, tasks: list[Task], settings: Settings) -> Iterator[FileOutcome]:
        """A small batch read by this process and one worker forked from it, side by side
        (:mod:`plansheet.batch.side_by_side`). Without a fork (this process runs threads,
        :func:`can_fork`) it runs in this process alone: a fork server's worker would cost more
        than it saves."""
        if can_fork():
            preload_workers()
        if not can_fork():
            log.info("%d file(s): a small batch, run in this process", len(tasks))
            yield from run_sequential(tasks, settings, self.work, self.timeout_s)
            return
        from plansheet.batch.side_by_side import read_side_by_side

        log.info("%d file(s): a small batch, read by this process and one forked worker", len(tasks))
        yield from read_side_by_side(tasks, settings, self.work, self.timeout_s, self.max_memory_mb)


# --- the process pool -------------------------------------------------------------------

_IDLE_TASK: ContextVar[Callable[[], None] | None] = ContextVar("plansheet_idle_task", default=None)


def while_idle(task: Callable[[], None]) -> AbstractContextManager[None]:
    """Let a pool run ``task`` in this process when it would only wait with a core to spare.

    That is once every file is handed out and fewer files run than there are cores: from then
    on the caller's finish can start (``extract`` merges what is staged) without slowing any
    worker. The pool runs it again after each further outcome it hands over. Executors that
    never wait so (in process, Dask) ignore it.
    """
    return _hooked(_IDLE_TASK, task)


@contextmanager
def _hooked(hook: ContextVar[Callable[[], None] | None], task: Callable[[], None]) -> Iterator[None]:
    """Set ``hook`` to ``task`` for the duration of a ``with`` block."""
    token = hook.set(task)
    try:
        yield
    finally:
        hook.reset(token)


def _run_idle_task(waiting: Callable[[], bool] | None = None) -> bool:
    """Run the task :func:`while_idle` set, if any, with :func:`outcome_waiting` asking ``waiting``;
    whether one ran."""
    token = _WAITING.set(waiting)
    try:
        return _run_hook(_IDLE_TASK)
    finally:
        _WAITING.reset(token)


_WAITING: ContextVar[Callable[[], bool] | None] = ContextVar("plansheet_outcome_waiting", default=None)


def outcome_waiting() -> bool:
    """Whether the pool running the idle task (:func:`while_idle`) has an outcome waiting, or a worker
    that ended: the task may stop at its next safe point, so that it never holds up the rest of the
    run for long (a pool's early merge stops between two tables). False anywhere else."""
    waiting = _WAITING.get()
    return waiting is not None and waiting()


def _run_hook(hook: ContextVar[Callable[[], None] | None]) -> bool:
    """Run the task set on ``hook``, if any; whether one ran."""
    task = hook.get()
    if task is None:
        return False
    task()
    return True


_ONLY_WRITING: ContextVar[Callable[[], None] | None] = ContextVar("plansheet_only_writing", default=None)


def when_only_writing(task: Callable[[], None]) -> AbstractContextManager[None]:
    """Let a pool call ``task`` in this process once its workers have started, before it imports
    what it writes with (pyarrow): from then on this process reads no file, it only writes the
    outcomes. The CLI's ``extract`` refuses numpy there (:mod:`plansheet.output.without_numpy`).
    Runners that read in this process (in process, a small batch beside one worker) never call it.
    """
    return _hooked(_ONLY_WRITING, task)


def _numpy_refused() -> bool:
    """Whether this process refuses numpy: then a worker it starts must not be forked from it."""
    from plansheet.output.without_numpy import numpy_refused

    return numpy_refused()


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


FINISH = "plansheet.batch.finish"  # what the caller runs after the files: the dataset, CSV and lineage writers
OUTCOMES = "plansheet.pipeline.stages"  # the module of the outcomes the workers send (and of the parsers)


def import_in_background(modules: tuple[str, ...]) -> threading.Thread | None:
    """Import ``modules`` in a thread of this process while it waits for its workers.

    A pool's parent waits until its workers have read the first file, and the finish after
    the last file needs the dataset, CSV and lineage writers (about a quarter CPU-second to
    import): imported meanwhile, that time leaves the run's serial part. The thread starts after
    the workers are forked (:func:`can_fork`), and is joined
    before the first outcome is handed over, so the caller's own imports never run beside it
    (this process imports the outcomes' module before unpickling them, waiting for the thread
    if it is importing that module). A module that fails to import here fails again, with its
    message, where it is used. None when every module is imported already.
    """
    modules = tuple(m for m in modules if m not in sys.modules)
    if not modules:
        return None

    def run() -> None:
        for module in modules:
            try:
                importlib.import_module(module)
            except Exception:  # noqa: BLE001 - raised again by the import where the module is used
                log.debug("background import of %s failed", module, exc_info=True)

    thread = threading.Thread(target=run, name="plansheet-imports", daemon=True)
    thread.start()
    return thread


# --- forking workers from this process ---------------------------------------------------

# What a worker needs to read a text-layer PDF or a text export and parse it. A pool imports these in
# this process before it forks its workers, which then start reading at once: a fork costs milliseconds,
# while a worker of a fork server imported them itself (about 0.1 CPU-s, and as much again warming up on
# its first file). The OCR stack is not among them: a worker imports it when a page needs it.
WORKER_MODULES = ("plansheet.pipeline.stages", "plansheet.readers.pdf.reader", "plansheet.readers.pdf.furniture",
                  "plansheet.readers.text_export", "rapidfuzz.distance.Levenshtein")


def os_threads() -> int | None:
    """This process's threads as the kernel counts them (Python's and those of C libraries: Arrow's
    and OpenBLAS's pools, a progress bar's); None where ``/proc`` cannot tell."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def can_fork() -> bool:
    """Whether this process may fork a worker that goes on running Python: it runs one thread.

    A fork copies only the thread that calls it, so a lock another thread held at that moment (the
    import lock, a stream's, the allocator's) stays held in the child for ever. Arrow resets its
    thread pools in a forked child, but its at-fork handlers are themselves unsafe when the parent
    runs other threads (apache/arrow#49146); the kernel's count covers every library's threads.
    """
    return hasattr(os, "fork") and os_threads() == 1


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Freeze this process's objects (``gc.freeze``) while it forks a worker, then thaw them here.

    The worker starts with everything it inherited frozen: its collections never walk those
    objects, nor write to the pages they share with this process. This process collects as before.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def preload_workers() -> None:
    """Import :data:`WORKER_MODULES` in this process, so that the workers it forks have them."""
    for module in WORKER_MODULES:
        importlib.import_module(module)


_STARTED: ContextVar[Callable[[], None] | None] = ContextVar("plansheet_started", default=None)


def when_started(task: Callable[[], None]) -> AbstractContextManager[None]:
    """Let the runner call ``task`` once it has started its workers (at once when it has none).

    A progress bar draws from a thread of its own, and a pool forks its workers only while this
    process runs one thread (:func:`can_fork`): the bar waits for them.
    """
    return _hooked(_STARTED, task)


def announce_started() -> None:
    """Run the task :func:`when_started` set, if any (a runner whose workers have started)."""
    _run_hook(_STARTED)


def limit_memory(max_memory_mb: int | None) -> None:
    """Cap this process's address space (``RLIMIT_AS``) at ``max_memory_mb`` (a worker's ``--max-memory``)."""
    if not max_memory_mb:
        return
    import resource

    cap = max_memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _log_setup() -> tuple[int, str | None]:
    """This process's root log level and its first handler's format (for a worker to set up the same)."""
    root = logging.getLogger()
    formatter = root.handlers[0].formatter if root.handlers else None
    return root.level, getattr(formatter, "_fmt", None)


def _worker_main(conn: Connection, max_memory_mb: int | None, work: Work,
                 logs: tuple[int, str | None] = (logging.WARNING, None), parent: int | None = None) -> None:
    """A worker's loop: receive (task, settings), send back ("ok", outcome) or ("oom", None).

    ``logs``: the starting process's log level and format, set up here where no logging is (a worker
    of a fork server starts without the CLI's set-up; a forked one has it already). ``parent``: the
    batch's process that started this worker, which it ends with; None for a fork server's worker,
    which the server armed as it forked it (plansheet.batch.fork_server_guard)."""
    if parent is not None:  # named by the batch's process: by now it may be gone, and this worker's parent init
        die_with_parent(parent)
    if not logging.getLogger().handlers:
        level, form = logs
        logging.basicConfig(level=level, format=form or logging.BASIC_FORMAT, stream=sys.stderr)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limit_memory(max_memory_mb)
    with parent_gone_quietly():
        while True:
            item = conn.recv()
            if item is None:
                return
            task, settings = item
            try:
                outcome = work(task, settings) if isinstance(task, Task) else _cut_file_work(task, settings)
            except MemoryError:
                outcome = None
            if outcome is None:
                conn.send(("oom", None))
                return  # a fresh worker replaces this one: its heap may be in pieces
            conn.send(("ok", outcome))


def _cut_file_work(unit: Any, settings: Settings) -> Any:
    """A worker's part of a file cut into page ranges (:mod:`plansheet.batch.page_ranges`)."""
    from plansheet.batch.page_ranges import run_unit

    return run_unit(unit, settings)


def oom_message(task: Task, max_memory_mb: int | None) -> str:
    """Why a file failed whose worker ran out of memory."""
    return (f"{task.name}: worker ran out of memory (cap {max_memory_mb} MB); "
            "raise --max-memory or split the file")


def death_message(task: Task, exitcode: int | None, max_memory_mb: int | None) -> str:
    """Why a file failed whose worker died while reading it."""
    if exitcode is not None and exitcode < 0:
        try:
            how = f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    hint = f"; it may have run out of memory (cap {max_memory_mb} MB)" if max_memory_mb else ""
    return f"{task.name}: worker died ({how}) while reading it{hint}; please report this file"


def timeout_message(task: Task, timeout_s: float) -> str:
    """Why a file failed whose worker was killed past ``--timeout``."""
    log.warning("%s: worker killed after %g s", log_safe(task.name), timeout_s)
    return f"{task.name}: worker killed after {timeout_s:g} s timeout; raise --timeout if the file is genuinely slow"


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: Any = None  # a Task, or a part of a file cut into page ranges (page_ranges)
    started: float = 0.0


@dataclass
class ProcessExecutor:
    """Run files in ``workers`` worker processes, each file with a timeout and a memory cap.

    ``context`` is how workers start: ``fork`` (default) forks them from this process once it has
    imported :data:`WORKER_MODULES`, while it runs one thread (:func:`can_fork`; otherwise, and for
    a worker that replaces one that died, a fork server starts them); ``forkserver`` (workers fork
    from a server that imports nothing of plansheet, and each imports the pipeline itself) or ``spawn``.
    """

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float | None = 600.0
    max_memory_mb: int | None = 4096
    context: str = "fork"
    work: Work = run_task
    imports_while_waiting: tuple[str, ...] = (FINISH,)

    def __call__(self, files: Iterable[Task | Path], settings: Settings, *,
                 ordered: bool = False, weights: dict[Task, int] | None = None) -> Iterator[FileOutcome]:
        """Yield each file's outcome as it finishes; files are handed out :func:`largest_first`
        (``ordered``: as given, already in that order), the last ones cut into page ranges where
        that pays (:mod:`plansheet.batch.page_ranges`; ``weights``: :func:`file_work`'s, when known)."""
        tasks = [Task.of(f) for f in files]
        pending: deque[Any] = deque(tasks if ordered else largest_first(tasks))
        if not pending:
            return
        cut = None
        if self.workers > 1 and self.work is run_task:  # the last files as page ranges, so the workers end together
            from plansheet.batch.page_ranges import CutFiles, split_tail

            pending = deque(split_tail(list(pending), self.workers, settings, weights))
            cut = CutFiles(list(pending))
        ctx = self._first_context()
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        cores = usable_cores()
        handed_over = False  # outcomes were handed over since the idle task last ran
        try:
            self._hand_out(pending, idle, busy, settings, ctx)  # the workers fork before any thread starts
            announce_started()
            _run_hook(_ONLY_WRITING)  # from here on this process reads no file: it writes their outcomes
            # this process imports what it needs later while the workers read
            importing = import_in_background((OUTCOMES, *self.imports_while_waiting))
            while pending or busy:
                self._hand_out(pending, idle, busy, settings, ctx, cut)
                if handed_over and not pending and len(busy) < cores and not (cut and cut.waiting()):
                    handed_over = not _run_idle_task(  # the caller's early finish, on a core no worker needs
                        lambda: bool(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], 0)))
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], self._wait_time(busy))
                importlib.import_module(OUTCOMES)  # to unpickle them: waits for the thread if it is importing it
                done: list[FileOutcome] = []
                for worker in list(busy):
                    unit = worker.task
                    outcome = self._collect(worker, ready)
                    if outcome is None:
                        continue
                    busy.remove(worker)
                    if worker.process.is_alive():
                        worker.task = None
                        idle.append(worker)
                    else:
                        worker.conn.close()
                    if not isinstance(unit, Task):  # a part of a cut file: its outcome once its parse is in
                        outcome = cut.settle(unit, outcome, pending)  # type: ignore[union-attr]
                        if outcome is None:
                            continue
                    done.append(outcome)
                if not done:
                    continue
                self._hand_out(pending, idle, busy, settings, ctx, cut)  # the workers read on while the caller writes
                if not pending and not (cut and cut.waiting()):
                    self._release(idle)  # nothing left to give them: they exit beside the remaining work
                if importing is not None:
                    importing.join()
                for outcome in done:
                    yield outcome
                handed_over = True
        finally:
            for worker in busy:  # a run cut short (Ctrl-C, an error in the caller): killed and waited for
                self._kill(worker)
            self._release(idle)

    def _first_context(self) -> multiprocessing.context.BaseContext:
        """The context the pool's first workers start in; this process imports what they need if it forks them."""
        if self.context == "fork":
            if can_fork():
                preload_workers()
                if can_fork():  # importing started no thread
                    log.info("workers forked from this process")
                    return multiprocessing.get_context("fork")
            log.info("this process runs several threads: its workers start from a fork server")
            return self._server()
        if self.context == "forkserver":
            return self._server()
        return multiprocessing.get_context(self.context)

    @staticmethod
    def _server() -> multiprocessing.context.BaseContext:
        ctx = multiprocessing.get_context("forkserver")
        # each worker imports the pipeline itself, beside the others; the server ends with this process
        ctx.set_forkserver_preload(["plansheet.batch.fork_server_guard"])
        return ctx

    def _hand_out(self, pending: deque[Any], idle: list[_Worker], busy: list[_Worker], settings: Settings,
                  ctx: multiprocessing.context.BaseContext, cut: Any = None) -> None:
        """Give the next files (or parts of cut files) to idle workers (starting workers up to ``workers``)."""
        for dead in [w for w in idle if not w.process.is_alive()]:  # killed while idle
            idle.remove(dead)
            dead.conn.close()
        while pending and len(busy) < max(1, self.workers):
            if not idle and ctx.get_start_method() == "fork" and (not can_fork() or _numpy_refused()):
                ctx = self._server()  # a replacement, once this process runs threads or refuses numpy
            worker = idle.pop() if idle else self._start_retrying(ctx, busy)
            if worker is None:
                return  # none could start now: the files wait for a busy worker (tried again as each ends)
            worker.task = pending.popleft()
            worker.started = cut.started(worker.task, time.monotonic()) if cut else time.monotonic()
            try:
                worker.conn.send((worker.task, settings))
            except (BrokenPipeError, OSError):
                pass  # the worker died: _collect reports it
            busy.append(worker)

    def _start_retrying(self, ctx: multiprocessing.context.BaseContext, busy: list[_Worker]) -> _Worker | None:
        """A new worker; a fork server that went away (killed, its end not yet seen by this process) is
        started again on a later try. ``None`` when none starts while others are busy; an error (the file
        and the fix named) when none starts at all."""
        for attempt in range(3):
            try:
                return self._start(ctx)
            except (OSError, EOFError) as exc:
                log.warning("a worker could not start (%s: %s); trying again", type(exc).__name__, exc)
                time.sleep(0.2 * (attempt + 1))
                error = exc
        if busy:
            return None
        raise PlansheetError(f"no worker process could start ({type(error).__name__}: {error}); the files read so far "
                             "are kept: run the same command again to convert the rest, or use --workers 1")

    def _start(self, ctx: multiprocessing.context.BaseContext) -> _Worker:
        parent, child = ctx.Pipe()
        starter = None if ctx.get_start_method() == "forkserver" else os.getpid()  # a server arms its own
        process = ctx.Process(target=_worker_main, args=(child, self.max_memory_mb, self.work, _log_setup(), starter),
                              name="plansheet-worker", daemon=True)
        with frozen_for_fork():
            process.start()
        child.close()
        return _Worker(process, parent)

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout_s:
            return None
        now = time.monotonic()
        return max(0.0, min(w.started + self.timeout_s for w in busy) - now) + 0.01

    def _collect(self, worker: _Worker, ready: list[object]) -> FileOutcome | None:
        """The worker's outcome if it finished, died or ran out of time; None while it runs (a part of a
        cut file sends what :func:`plansheet.batch.page_ranges.run_unit` gives; its failures fail the file)."""
        task = worker.task if isinstance(worker.task, Task) else worker.task.task
        assert task is not None
        elapsed = time.monotonic() - worker.started
        if worker.conn in ready or worker.process.sentinel in ready:
            try:
                if worker.conn.poll():
                    kind, outcome = worker.conn.recv()
                    if kind == "ok":
                        return outcome
                    worker.process.join(5)
                    return failed_outcome(task, ErrorStage.READ, oom_message(task, self.max_memory_mb), elapsed)
            except (EOFError, OSError):
                pass
            worker.process.join(5)
            return failed_outcome(task, ErrorStage.READ,
                                  death_message(task, worker.process.exitcode, self.max_memory_mb), elapsed)
        if self.timeout_s and elapsed > self.timeout_s:
            self._kill(worker)
            return failed_outcome(task, ErrorStage.READ, timeout_message(task, self.timeout_s), elapsed)
        return None

    @staticmethod
    def _release(idle: list[_Worker]) -> None:
        """Tell the idle workers to exit, without waiting for them.

        A worker's exit (the kernel tearing down its copy of this process's memory) takes ten
        milliseconds or more; waited for one after another, it was serial time between the last
        file and the caller's finish. Now it runs beside that work; :mod:`multiprocessing` reaps
        the exited workers (when this process starts another worker, or at its exit).
        """
        for worker in idle:
            try:
                worker.conn.send(None)
            except (BrokenPipeError, OSError):
                worker.process.kill()  # it died meanwhile, or cannot be told: make sure
            worker.conn.close()
        idle.clear()

    @staticmethod
    def _kill(worker: _Worker) -> None:
        """Kill a worker that still reads (past its timeout, or a run cut short) and wait for it."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()


# --- Dask ------------------------------------------------------------------------------------

@dataclass
class DaskExecutor:
    """Run the same per-file tasks on Dask distributed: a LocalCluster, or ``scheduler``'s cluster.

    A LocalCluster gets ``workers`` single-threaded worker processes, each with
    ``max_memory_mb`` (Dask's nanny restarts a worker past it). Files still running after
    ``timeout_s`` are given up (Dask cannot stop a running task) and fail with a message.
    """

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float | None = 600.0
    max_memory_mb: int | None = 4096
    scheduler: str | None = None
    processes: bool = True
    work: Work = run_task
    connect_timeout_s: float = 10.0

    def __call__(self, files: Iterable[Task | Path], settings: Settings) -> Iterator[FileOutcome]:
        tasks = [Task.of(f) for f in files]
        if not tasks:
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise PlansheetError("--executor dask needs Dask: pip install 'plansheet[dask]'") from exc
        client, cluster = self._connect(Client, LocalCluster)
        announce_started()
        try:
            yield from self._run(client, tasks, settings)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _connect(self, client_class: Any, cluster_class: Any) -> tuple[Any, Any]:
        """A client of the scheduler, or of a new LocalCluster; :class:`ClusterUnavailableError` if neither comes up."""
        if self.scheduler:
            try:
                return client_class(self.scheduler, timeout=self.connect_timeout_s), None
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterUnavailableError(
                    f"cannot reach the Dask scheduler at {self.scheduler} within {self.connect_timeout_s:g} s "
                    f"({type(exc).__name__}: {exc}); check the address and that the scheduler runs, "
                    "or leave out --scheduler to use a local cluster") from exc
        memory = f"{self.max_memory_mb}MB" if self.max_memory_mb else None
        cluster = None
        try:
            cluster = cluster_class(n_workers=max(1, self.workers), threads_per_worker=1, processes=self.processes,
                                    memory_limit=memory if self.processes else None, dashboard_address=None,
                                    silence_logs=logging.ERROR)
            return client_class(cluster, timeout=self.connect_timeout_s), cluster
        except Exception as exc:  # a worker that dies while starting surfaces as many types
            if cluster is not None:
                cluster.close()
            raise ClusterUnavailableError(
                f"the local Dask cluster did not start ({type(exc).__name__}: {exc}); check --max-memory "
                "and the workers' log, or run with --executor processes") from exc

    def _run(self, client: object, tasks: list[Task], settings: Settings) -> Iterator[FileOutcome]:
        from distributed import as_completed

        futures = {client.submit(self.work, task, settings, key=f"plansheet-{i}-{task.name}", pure=False): task  # type: ignore[attr-defined]
                   for i, task in enumerate(tasks)}
        pending = dict(futures)
        batch = as_completed(list(futures))
        rounds = -(-len(tasks) // max(1, self.workers))  # Dask cannot say when a task started
        deadline = time.monotonic() + self.timeout_s * rounds if self.timeout_s else None
        while pending and (deadline is None or time.monotonic() < deadline):
            if not batch.has_ready():
                time.sleep(0.02)
                continue
            future = next(batch)
            task = pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # the task's own failure (worker killed, lost …): that file only
                log.debug("%s failed on Dask", task.name, exc_info=True)
                outcome = failed_outcome(task, ErrorStage.READ,
                                         f"{task.name}: Dask task failed ({type(exc).__name__}: {exc}); "
                                         "check the workers' logs and memory limit")
            yield outcome
        for future, task in pending.items():
            future.cancel()
            yield failed_outcome(task, ErrorStage.READ,
                                 f"{task.name}: gave up after the {self.timeout_s:g} s timeout on Dask; "
                                 "raise --timeout if the file is genuinely slow")


Runner = Callable[[list, Settings], Iterator["FileOutcome"]]


def make_runner(kind: ExecutorKind | str, settings: Settings, scheduler: str | None = None,
                work: Work = run_task) -> Runner:
    """The runner for ``--executor``: auto (small batches in process, else a pool), sequential,
    a process pool, or Dask (local or ``scheduler``)."""
    kind = ExecutorKind(kind)
    if scheduler and kind is not ExecutorKind.DASK:
        raise PlansheetError("--scheduler needs --executor dask")
    if kind is ExecutorKind.SEQUENTIAL:
        return lambda files, s: run_sequential(files, s, work)  # type: ignore[return-value]
    if kind is ExecutorKind.AUTO:
        return AutoExecutor(settings.workers, settings.timeout_s or None, settings.max_memory_mb or None,
                            work=work)  # type: ignore[return-value]
    if kind is ExecutorKind.DASK:
        return DaskExecutor(settings.workers, settings.timeout_s or None, settings.max_memory_mb or None,
                            scheduler=scheduler, work=work)  # type: ignore[return-value]
    return ProcessExecutor(settings.workers, settings.timeout_s or None, settings.max_memory_mb or None,
                           work=work)  # type: ignore[return-value]
