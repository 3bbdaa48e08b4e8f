"""The typed result of converting one input file (one ``sources`` row, plus what it produced)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """What became of an input file (``sources.status``)."""

    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class SourceResult:
    """One input file's outcome: status, documents and rows produced, and why not, if not."""

    source_file: str
    sha256: str | None
    status: Status
    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    error_stage: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None
    pages_ocr: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED

    def summary_line(self) -> str:
        """One line for the terminal: status, file, documents and rows, or the error."""
        if self.status in (Status.FAILED, Status.SKIPPED) and self.error:
            error = self.error.removeprefix(f"{self.source_file}: ")
            return f"{self.status.value:8} {self.source_file}: {error}"
        rows = sum(n for t, n in self.rows.items() if t != "documents")
        line = f"{self.status.value:8} {self.source_file}: {self.documents} document(s), {rows} rows"
        if self.warnings:
            line += f" — {len(self.warnings)} warning(s): {self.warnings[0]}"
        return line
