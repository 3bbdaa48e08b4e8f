"""The typed result of converting one input file (one ``sources`` row, plus what it produced)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from plansheet.core.names import log_safe, readable
from plansheet.errors import ErrorStage
from plansheet.version import __version__


class Status(str, Enum):
    """What became of an input file (``sources.status``)."""

    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SourceFacts:
    """File-level facts every document row of one source carries."""

    source_file: str
    sha256: str
    source_format: str
    extraction_method: str
    parser_version: str


def modified_at(path: object) -> datetime | None:
    """A file's modification time (UTC), or None when it cannot be read."""
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc)  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return None


@dataclass
class SourceResult:
    """One input file's outcome: status, documents and rows produced, and why not, if not."""

    source_file: str
    sha256: str | None
    status: Status
    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    error_stage: ErrorStage | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None
    pages_ocr: int | None = 0
    seconds: float = 0.0
    source_format: str | None = None
    parser_version: str = __version__
    extracted_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    source_modified: datetime | None = None  # the file's modification time: which copy is newest

    def to_row(self) -> dict:
        """The ``sources`` row of this file (``warnings`` joined one per line)."""
        stage = self.error_stage.value if self.error_stage else None
        error = readable(self.error) if self.error is not None else None  # a name's bytes, as \xNN
        return {"source_sha256": self.sha256, "source_file": readable(self.source_file), "status": self.status.value,
                "documents": self.documents, "error_stage": stage, "error": error,
                "pages_ocr": self.pages_ocr, "seconds": self.seconds, "parser_version": self.parser_version,
                "extracted_at": self.extracted_at, "source_format": self.source_format, "pages": self.pages,
                "warnings": readable("\n".join(self.warnings)) if self.warnings else None,
                "source_modified": self.source_modified, "state": "current"}

    def summary_line(self) -> str:
        """One line for the terminal or a log: status, file, documents and rows, or the error.

        The file name and the message are escaped (:func:`~plansheet.core.names.log_safe`): a
        name with a line break or a terminal escape cannot forge or hide a line.
        """
        name = log_safe(self.source_file)
        if self.status in (Status.FAILED, Status.SKIPPED) and self.error:
            error = self.error.removeprefix(f"{self.source_file}: ")
            return f"{self.status.value:8} {name}: {log_safe(error)}"
        rows = sum(n for t, n in self.rows.items() if t != "documents")
        line = f"{self.status.value:8} {name}: {self.documents} document(s), {rows} rows"
        if self.warnings:
            line += f" — {len(self.warnings)} warning(s): {log_safe(self.warnings[0])}"
        return line
