"""One input file through the stages: triage → read (→ OCR) → parse → rows.

:func:`process_file` never raises for a bad input: whatever happens becomes a
:class:`FileOutcome` whose ``result`` says ``ok``, ``partial``, ``failed`` or ``skipped``
and why. It does no writing, so it can run in a worker process; the caller writes the
rows. Stages are a visible list, and each failure keeps the stage it happened in.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from plansheet import __version__
from plansheet.errors import ErrorStage, NotASheetError, PlansheetError
from plansheet.model import Page, SourceFormat, SourcePages
from plansheet.ocr_routing import apply_ocr
from plansheet.parsers.document import parse_pages
from plansheet.parsers.records import ParsedDocument
from plansheet.results import SourceResult, Status
from plansheet.settings import Settings
from plansheet.tables import SourceFacts, document_rows, source_row
from plansheet.triage import Triaged, triage

log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    """What processing one file produced: its result, its table rows and its sources row."""

    result: SourceResult
    rows: dict[str, list[dict]] = field(default_factory=dict)
    source: dict = field(default_factory=dict)


def read_source(triaged: Triaged, settings: Settings) -> SourcePages:
    """Read a triaged file into pages with the reader for its kind."""
    if triaged.format is SourceFormat.PDF:
        from plansheet.furniture import drop_page_furniture
        from plansheet.readers.pdf import read_pdf

        source = read_pdf(triaged.path, settings)
        source.pages = drop_page_furniture(source.pages, settings.pdf)
        return source
    if triaged.format is SourceFormat.XLSX:
        from plansheet.readers.workbook import read_workbook

        return read_workbook(triaged.path, triaged.data)
    from plansheet.readers.text_export import read_text_export

    return read_text_export(triaged.path, triaged.data)


def process_file(path: Path, settings: Settings, display_name: str | None = None) -> FileOutcome:
    """Convert one file; never raises for bad input (see the module docstring)."""
    started = time.perf_counter()
    name = display_name or path.as_posix()
    result = SourceResult(source_file=name, sha256=None, status=Status.FAILED)
    run = _Run(path, name, settings, result)
    rows: dict[str, list[dict]] = {}
    try:
        rows = run.convert()
    except NotASheetError as exc:
        result.status, result.error_stage, result.error = Status.SKIPPED, exc.stage.value, str(exc)
    except PlansheetError as exc:
        log.debug("%s failed", name, exc_info=True)
        result.status, result.error_stage, result.error = Status.FAILED, exc.stage.value, str(exc)
    except MemoryError:
        raise  # the worker reports it (executors): its memory cap, not this file's fault alone
    except Exception as exc:  # the batch boundary: one bad file must not cost the others
        log.debug("%s failed unexpectedly", name, exc_info=True)
        result.status, result.error_stage = Status.FAILED, run.stage.value
        result.error = f"{name}: unexpected {type(exc).__name__} while {run.stage.value}ing: {exc} (please report this file)"
    result.seconds = time.perf_counter() - started
    if result.status is not Status.OK and result.error is None and result.warnings:
        more = f" (+{len(result.warnings) - 1} more)" if len(result.warnings) > 1 else ""
        result.error = f"{name}: {result.warnings[0]}{more}"
    source = source_row(
        sha256=result.sha256, source_file=name, status=result.status.value, documents=result.documents,
        error_stage=result.error_stage, error=result.error, pages_ocr=result.pages_ocr,
        seconds=result.seconds, parser_version=__version__, extracted_at=datetime.now(timezone.utc),
        source_format=run.source_format, pages=result.pages, warnings=result.warnings,
    )
    return FileOutcome(result, rows, source)


@dataclass
class _Run:
    """One file going through the stages; ``stage`` says where a failure happened."""

    path: Path
    name: str
    settings: Settings
    result: SourceResult
    stage: ErrorStage = ErrorStage.TRIAGE
    source_format: str | None = None

    def convert(self) -> dict[str, list[dict]]:
        """Triage, read, OCR and parse the file; fill ``result``; return the table rows."""
        result, name = self.result, self.name
        self.stage = ErrorStage.TRIAGE
        triaged = triage(self.path, self.settings)
        result.sha256, self.source_format = triaged.sha256, triaged.format.value
        self.stage = ErrorStage.READ
        pages = read_source(triaged, self.settings)
        result.pages = pages.page_count
        self.stage = ErrorStage.OCR
        pages, result.pages_ocr, ocr_warnings = apply_ocr(self.path, pages, self.settings)
        result.warnings.extend(ocr_warnings)
        self.stage = ErrorStage.PARSE
        readable = [p for p in pages.pages if p.problem is None]
        if pages.pages and not readable:
            raise PlansheetError(f"{name}: none of the {pages.page_count} pages has a usable text layer "
                                 f"({pages.pages[0].problem}); run with --ocr auto and the 'ocr' extra",
                                 ErrorStage.OCR)
        docs = parse_pages(readable, municipality=self.settings.municipality)
        if not docs:
            raise NotASheetError(f"{name}: not a management sheet (no 部の運営方針 labels found)")
        docs = self._keep_writable(docs, readable)
        facts = SourceFacts(name, triaged.sha256, triaged.format.value, pages.method.value, __version__)
        rows = document_rows(docs, facts)
        result.documents = len(docs)
        result.rows = {table: len(r) for table, r in rows.items()}
        result.status = Status.PARTIAL if result.warnings else Status.OK
        if result.warnings:
            result.error_stage = (ErrorStage.OCR if ocr_warnings else ErrorStage.PARSE).value
        return rows

    def _keep_writable(self, docs: list[ParsedDocument], readable: list[Page]) -> list[ParsedDocument]:
        """Collect the documents' warnings; drop (and say so) those without a year or department."""
        warnings = self.result.warnings
        unwritable = [i for i, d in enumerate(docs, 1) if d.fiscal_year is None or not d.department]
        for i, doc in enumerate(docs, start=1):
            prefix = f"document {i}: " if len(docs) > 1 else ""
            warnings.extend(prefix + w for w in doc.warnings)
        if unwritable:
            warnings.append(f"document(s) {unwritable} lack a fiscal year or department and were not written")
        blank = [p.number for p in readable if not p.cells and not p.words] if len(readable) > 1 else []
        if warnings and blank:  # something is missing: an empty page is the likely culprit
            warnings.insert(0, f"page(s) {', '.join(map(str, blank))} have no text (blank, or their "
                               "content could not be decoded: check the PDF); the other pages were read")
        return [d for i, d in enumerate(docs, 1) if i not in unwritable]
