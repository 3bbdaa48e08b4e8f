"""Exceptions with the error stage and exit code they stand for.

Every failure that reaches a ``sources`` row is a :class:`PlansheetError`: its ``stage``
goes to ``sources.error_stage`` and its message (one line, naming the fix) to
``sources.error``. The CLI turns an error that reaches it into an :class:`ExitCode` at one
boundary (``plansheet.cli.main.EXIT_CODES``).
"""
from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, IntEnum
from pathlib import Path


class ErrorStage(str, Enum):
    """Where in the pipeline a file failed (``sources.error_stage``)."""

    TRIAGE = "triage"
    READ = "read"
    OCR = "ocr"
    PARSE = "parse"
    WRITE = "write"

    @property
    def doing(self) -> str:
        """The stage as an error message says it: ``while parsing``."""
        return _DOING[self]


_DOING = {ErrorStage.TRIAGE: "triaging", ErrorStage.READ: "reading", ErrorStage.OCR: "running OCR",
          ErrorStage.PARSE: "parsing", ErrorStage.WRITE: "writing"}


class ExitCode(IntEnum):
    """Process exit codes of the ``plansheet`` command."""

    OK = 0  # every input converted
    SOME_FAILED = 1  # some input failed or was only partly read; all the others were written
    USAGE = 2  # a usage error: unknown option, missing input, options that do not fit together
    LOCKED = 3  # another ingest is writing the output folder
    DISK_FULL = 4  # the disk of the output folder is full
    OUTPUT_NOT_WRITABLE = 5  # the output folder cannot be written (permissions, read-only FS, a file in the way)
    CATALOG_DAMAGED = 6  # OUT/catalog.sqlite is damaged: `plansheet rebuild OUT` sets it aside
    CLUSTER_UNAVAILABLE = 7  # the Dask scheduler cannot be reached, or the local cluster did not start
    INTERNAL = 70  # a bug in plansheet: one line on stderr (the traceback with -vv); please report it
    INTERRUPTED = 130  # Ctrl-C (SIGINT): the files finished so far are written; run again for the rest


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST, errno.EISDIR}


class PlansheetError(Exception):
    """A failure of one input file, with the stage it happened in."""

    stage: ErrorStage = ErrorStage.READ

    def __init__(self, message: str, stage: ErrorStage | None = None) -> None:
        super().__init__(message)
        if stage is not None:
            self.stage = stage


class TriageError(PlansheetError):
    """The file is not something plansheet can read (empty, wrong type, corrupt); ``sha256`` is its bytes'
    hash when they were read."""

    stage = ErrorStage.TRIAGE
    sha256: str | None = None


class EncryptedPdfError(TriageError):
    """The PDF needs a password."""

    @classmethod
    def for_file(cls, name: str, password: str | None) -> "EncryptedPdfError":
        """The one message for an encrypted PDF, whichever library found it."""
        hint = "the password given does not open it" if password else "needs a password (use --password)"
        return cls(f"{name}: encrypted PDF: {hint}")


class NotASheetError(PlansheetError):
    """The file reads fine but holds no management-plan sheet: it is skipped, not failed."""

    stage = ErrorStage.PARSE


class ArchiveError(NotASheetError):
    """The file is an archive of files (.zip, .7z, …): skipped, with a line saying to unpack it."""

    stage = ErrorStage.TRIAGE


class OcrUnavailableError(PlansheetError):
    """OCR was needed but its optional dependencies are not installed."""

    stage = ErrorStage.OCR


class OutputLockedError(PlansheetError):
    """Another ingest holds the output folder's lock (exit code ``LOCKED``)."""


class RunError(PlansheetError):
    """The machine or the set-up, not an input file: the run as a whole cannot go on."""

    stage = ErrorStage.WRITE


class DiskFullError(RunError):
    """The disk the output folder is on is full (exit code ``DISK_FULL``)."""


class OutputNotWritableError(RunError):
    """The output folder cannot be written (exit code ``OUTPUT_NOT_WRITABLE``)."""


class CatalogDamagedError(RunError):
    """``OUT/catalog.sqlite`` is not a readable SQLite database (exit code ``CATALOG_DAMAGED``)."""


class ClusterUnavailableError(RunError):
    """The Dask scheduler cannot be reached or the local cluster did not start (``CLUSTER_UNAVAILABLE``)."""


def _inside(filename: object, out: Path) -> bool:
    if not isinstance(filename, (str, bytes, os.PathLike)):
        return False
    path, root = Path(os.fsdecode(filename)).absolute(), out.absolute()
    return path == root or root in path.parents or path in root.parents


@contextmanager
def writing_output(out: Path) -> Iterator[None]:
    """Turn a disk-full error, or a refused write inside ``out``, into one line that says what to do."""
    try:
        yield
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename is not None else str(out)
        if exc.errno in _DISK_FULL:
            raise DiskFullError(f"disk full while writing {where}: free space on that disk and run again "
                                "(the files written so far are kept)") from exc
        if exc.errno in _NOT_WRITABLE and (exc.filename is None or _inside(exc.filename, out)):
            raise OutputNotWritableError(
                f"cannot write the output folder {out} ({exc.strerror}: {where}): choose a folder you can "
                "write with --out, or fix its permissions (a read-only file system must be remounted)") from exc
        raise
