"""Exceptions with the error stage and exit code they stand for.

Every failure that reaches a ``sources`` row is a :class:`PlansheetError`: its ``stage``
goes to ``sources.error_stage`` and its message (one line, naming the fix) to
``sources.error``. The CLI turns an error that reaches it into an :class:`ExitCode` at one
boundary (``plansheet.cli.main.EXIT_CODES``).
"""
from __future__ import annotations

from enum import Enum, IntEnum


class ErrorStage(str, Enum):
    """Where in the pipeline a file failed (``sources.error_stage``)."""

    TRIAGE = "triage"
    READ = "read"
    OCR = "ocr"
    PARSE = "parse"
    WRITE = "write"


class ExitCode(IntEnum):
    """Process exit codes of the ``plansheet`` command."""

    OK = 0  # every input converted
    SOME_FAILED = 1  # some input failed or was only partly read; all the others were written
    USAGE = 2  # a usage error: unknown option, missing input, options that do not fit together
    LOCKED = 3  # another ingest is writing the output folder


class PlansheetError(Exception):
    """A failure of one input file, with the stage it happened in."""

    stage: ErrorStage = ErrorStage.READ

    def __init__(self, message: str, stage: ErrorStage | None = None) -> None:
        super().__init__(message)
        if stage is not None:
            self.stage = stage


class TriageError(PlansheetError):
    """The file is not something plansheet can read (empty, wrong type, corrupt)."""

    stage = ErrorStage.TRIAGE


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


class OcrUnavailableError(PlansheetError):
    """OCR was needed but its optional dependencies are not installed."""

    stage = ErrorStage.OCR


class OutputLockedError(PlansheetError):
    """Another ingest holds the output folder's lock (exit code ``LOCKED``)."""
