"""Exceptions with the error stage and exit code they stand for.

Every failure that reaches a ``sources`` row is a :class:`PlansheetError`: its ``stage``
goes to ``sources.error_stage`` and its message (one line, naming the fix) to
``sources.error``. The CLI translates exit codes at one boundary.
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

    OK = 0
    SOME_FAILED = 1
    USAGE = 2


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


class NotASheetError(PlansheetError):
    """The file reads fine but holds no management-plan sheet: it is skipped, not failed."""

    stage = ErrorStage.PARSE


class OcrUnavailableError(PlansheetError):
    """OCR was needed but its optional dependencies are not installed."""

    stage = ErrorStage.OCR
