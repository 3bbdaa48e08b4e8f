"""The options several commands share, declared once, and what they map onto.

``settings_options`` (``--ocr``, ``--password``, ``--municipality``, ``--max-pages``,
``-v``) map onto :class:`~plansheet.settings.Settings` through :func:`settings_from_options`;
``batch_options`` (``--workers``, ``--timeout``, ``--max-memory``, ``--executor``,
``--scheduler``) onto Settings and :func:`plansheet.batch.executors.make_runner`. ``format_option``,
``ocr_option`` and ``password_option`` stand alone for commands that take only them.
"""
from __future__ import annotations

import atexit
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import click

from plansheet.batch.executors import ExecutorKind
from plansheet.settings import OcrMode, OutputFormat, Settings

F = TypeVar("F", bound=Callable[..., Any])


def _apply(options: list[Callable[[F], F]], f: F) -> F:
    for option in reversed(options):
        f = option(f)
    return f


def ocr_option(help: str = "OCR pages without a usable text layer (auto), every page, or none.") -> Callable[[F], F]:
    """``--ocr auto|always|never`` as ``ocr_mode`` (an :class:`OcrMode`)."""
    return click.option("--ocr", "ocr_mode", type=click.Choice([m.value for m in OcrMode]), default=OcrMode.AUTO.value,
                        show_default=True, callback=lambda _ctx, _param, value: OcrMode(value), help=help)


password_option = click.option("--password", default=None, help="Password for encrypted PDFs.")

format_option = click.option(
    "--format", "output_format", type=click.Choice([f.value for f in OutputFormat]), default=OutputFormat.BOTH.value,
    show_default=True, callback=lambda _ctx, _param, value: OutputFormat(value),
    help="What to write: the Parquet dataset, the CSVs, or both.")


def settings_options(f: F) -> F:
    """Options of every command that converts files (they map onto Settings)."""
    return _apply([
        ocr_option(),
        password_option,
        click.option("--municipality", default=None, help="City name for documents.municipality; the output "
                     "folder remembers it for later runs (default: the remembered one, else read from the sheet)."),
        click.option("--max-pages", type=click.IntRange(1), default=Settings().max_pages, show_default=True,
                     help="Refuse PDFs with more pages than this."),
        click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug)."),
    ], f)


def batch_options(f: F) -> F:
    """Options of every command that converts a batch of files (they map onto Settings)."""
    defaults = Settings()
    return _apply([
        click.option("--workers", "-j", type=click.IntRange(1), default=os.cpu_count() or 1, show_default="the cores",
                     help="Files converted at once (worker processes, or Dask workers of a LocalCluster)."),
        click.option("--timeout", "timeout_s", type=click.FloatRange(0, min_open=True), default=defaults.timeout_s,
                     show_default=True, help="Seconds one file may take before its worker is killed."),
        click.option("--max-memory", "max_memory_mb", type=click.IntRange(64), default=defaults.max_memory_mb,
                     show_default=True, help="Memory cap of one worker in MB (address space)."),
        click.option("--executor", type=click.Choice([k.value for k in ExecutorKind]), default="auto",
                     show_default=True, help="Where files run: auto (a small batch in this process, a larger one "
                     "in worker processes; docs/batch.md), worker processes, this process one by one, or Dask."),
        click.option("--scheduler", default=None, metavar="TCP://HOST:PORT",
                     help="A Dask scheduler to use with --executor dask (default: a LocalCluster)."),
    ], f)


def settings_from_options(output_format: OutputFormat, ocr_mode: OcrMode, password: str | None,
                          municipality: str | None, max_pages: int, workers: int, timeout_s: float,
                          max_memory_mb: int) -> Settings:
    """The Settings that ``--format`` and the shared settings and batch options ask for."""
    return Settings(output_format=output_format, ocr_mode=ocr_mode, password=password, municipality=municipality,
                    max_pages=max_pages, workers=workers, timeout_s=timeout_s, max_memory_mb=max_memory_mb)


def use_system_allocator() -> None:
    """Let Arrow allocate with the C library's ``malloc`` in a command that writes an output.

    pyarrow's default allocator (mimalloc) keeps what each thread freed for later: in a
    short command that reads and rewrites a few part files and CSV indexes, the peak memory
    then grew with the archive (about 30–50 MB more at 10,000 documents than at 100);
    ``malloc`` reuses the freed memory, and the peak stays flat. Arrow reads the choice
    (``ARROW_DEFAULT_MEMORY_POOL``) when it first allocates, so this is called before pyarrow
    is imported; a value the user set is kept.
    """
    if "pyarrow" in sys.modules:  # too late for the C++ readers; the Python calls at least
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
        return
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def single_threaded_blas() -> None:
    """Let OpenBLAS (loaded with numpy, which pyarrow imports) start no thread pool of its own.

    OpenBLAS starts one thread per core when numpy is imported, and those threads cost about
    0.1 CPU-s of every command that converts or ingests (0.49 -> 0.39 CPU-s for one text export
    into an empty folder) while plansheet makes no BLAS call (``readers/ocr/image.py`` avoids
    ``np.dot`` for that reason). Read when the library loads, so this is called before pyarrow
    is imported; a value the user set is kept. Worker processes inherit it.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def collect_less_often() -> None:
    """Run Python's cycle collector less often in a command that converts files.

    Reading a page makes tens of thousands of short-lived objects (characters, rules, cells),
    almost none in reference cycles; at the default threshold (a collection every 700 new
    objects) a 66-page batch collected 170 times, about 0.05 CPU-s. Every 10,000 objects it
    collects about 20 times for under half of that; cycles are still freed, a little later.
    """
    gc.set_threshold(10_000, *gc.get_threshold()[1:])


_CONSOLE = False  # set by the ``plansheet`` command's entry point (:func:`own_the_process`)


def own_the_process() -> None:
    """Say that this process is the ``plansheet`` command's own (its console-script entry point): a run
    may end it at once (:func:`leave`). A program or a test calling the command's function never does."""
    global _CONSOLE
    _CONSOLE = True


def _own_process() -> bool:
    """Whether this is the CLI's own process: started as the ``plansheet`` command, on its main thread, with
    its standard streams its own; not a program, a thread or a test that runs the command in its process."""
    return (_CONSOLE and threading.current_thread() is threading.main_thread()
            and sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__)


def skip_the_exit_sweep() -> None:
    """Freeze the objects of a finished run (``gc.freeze``) so that the interpreter's exit does
    not sweep them for reference cycles: with pyarrow loaded that sweep took 40 ms of a 0.8 s
    run. Only in the CLI's own process (its standard streams are its own): a program or a test
    that runs the command in its process keeps collecting what the run left behind. Every file
    the run wrote is closed and renamed into place by now.
    """
    if _own_process():
        gc.freeze()


def leave(code: int) -> None:
    """End the CLI's own process with ``code`` once its run is over, without tearing the interpreter down.

    What an exit does for the run still happens, in the interpreter's order: threads that are not
    daemons are waited for (and thread pools told to end), the exit handlers run (multiprocessing
    reaps the workers, logging flushes its handlers) and the standard streams are flushed. What is
    left out is the teardown of every module and of the C libraries' state (pyarrow's, PDFium's),
    whose memory the system frees anyway: 10 ms of CPU and 20-30 ms of wall time at the end of
    every run (bench/README.md). Every file the run wrote is closed and renamed into place by now.
    Elsewhere (a program or a test running the command in its process; a profiler or tracer,
    which writes its results at the interpreter's exit) it only freezes the run's objects
    (:func:`skip_the_exit_sweep`) and returns.
    """
    skip_the_exit_sweep()
    if not _own_process() or sys.getprofile() is not None or sys.gettrace() is not None:
        return
    shutdown = getattr(threading, "_shutdown", None)  # what the interpreter's exit calls first
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # (None: started without it, ``>&-``)
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said there
            pass
    os._exit(int(code))


def configure_logging(verbose: int) -> None:
    """Log warnings on stderr; ``-v`` adds info, ``-vv`` debug."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
