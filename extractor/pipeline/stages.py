"""One input file through the stages: triage → read (→ OCR) → parse → records.

:func:`process_file` never raises for a bad input: whatever happens becomes a
:class:`FileOutcome` whose ``result`` says ``ok``, ``partial``, ``failed`` or ``skipped``
and why, with the parsed documents. It does no writing, so it can run in a worker process;
the caller turns the documents into table rows and writes them (:mod:`plansheet.output`). Stages are a visible list, and each failure keeps the stage it happened in.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from plansheet.version import __version__
from plansheet.core.names import readable
from plansheet.errors import ErrorStage, NotASheetError, PlansheetError
from plansheet.core.model import Page, SourceFormat, SourcePages
from plansheet.pipeline.ocr_routing import apply_ocr
from plansheet.parsers.document import parse_pages
from plansheet.parsers.records import ParsedDocument, record_counts
from plansheet.parsers.repair_notes import is_repair_note
from plansheet.results import SourceFacts, SourceResult, Status, modified_at
from plansheet.settings import OcrMode, Settings
from plansheet.pipeline.triage import TextKind, Triaged, triage
from plansheet.pipeline.examples import drop_placeholder_names, example_department, leave_out_example_sheets
from plansheet.pipeline.worksheets import claim_worksheets, skipped_warning

log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    """What processing one file produced: its result (the ``sources`` row) and its documents.

    ``facts`` are the file-level values every document row carries; None when nothing was read.
    """

    result: SourceResult
    documents: list[ParsedDocument] = field(default_factory=list)
    facts: SourceFacts | None = None


@dataclass
class PagesRead:
    """A PDF's pages read ahead of its parse (page ranges read by several workers), in order,
    and the seconds the reading took."""

    pages: list[Page]
    seconds: float = 0.0


def read_source(triaged: Triaged, settings: Settings, ahead: PagesRead | None = None) -> SourcePages:
    """Read a triaged file into pages with the reader for its kind (a PDF's pages read ``ahead``
    are taken as read)."""
    if triaged.format is SourceFormat.PDF:
        from plansheet.readers.pdf.furniture import drop_page_furniture
        from plansheet.readers.pdf.reader import read_pdf

        from plansheet.readers.pdf.n_up import rows_in_turn, split_n_up

        if ahead is not None:
            source = SourcePages(format=SourceFormat.PDF, pages=list(ahead.pages))
        else:
            source = read_pdf(triaged.path, settings)
        # a sheet of pages printed several to a sheet is cut into its pages first: each page's header and footer,
        # which four to a sheet puts in the sheet's middle, then stands where a page's does
        source.pages = rows_in_turn(drop_page_furniture(split_n_up(source.pages), settings.pdf))
        return source
    if triaged.format is SourceFormat.XLSX:
        from plansheet.readers.workbook import read_workbook

        return read_workbook(triaged.path, triaged.data)
    if triaged.text_kind is TextKind.HTML:
        from plansheet.readers.html import read_html

        return read_html(triaged.path, triaged.data)
    from plansheet.readers.text_export import read_csv_export, read_text_export

    read = read_csv_export if triaged.text_kind is TextKind.CSV else read_text_export
    return read(triaged.path, triaged.data)


def process_file(path: Path, settings: Settings, display_name: str | None = None, *,
                 ahead: PagesRead | None = None) -> FileOutcome:
    """Convert one file; never raises for bad input (see the module docstring).

    ``ahead``: a PDF's pages already read (:class:`PagesRead`) from the bytes the file holds; the
    outcome is the one reading the file here would give (triage still checks the file first)."""
    started = time.perf_counter() - (ahead.seconds if ahead is not None else 0.0)
    name = display_name or readable(path.as_posix())
    result = SourceResult(source_file=name, sha256=None, status=Status.FAILED, source_modified=modified_at(path))
    run = _Run(path, name, settings, result, ahead)
    docs: list[ParsedDocument] = []
    try:
        docs = run.convert()
    except NotASheetError as exc:
        result.status, result.error_stage, result.error = Status.SKIPPED, exc.stage, _as_named(str(exc), path, name)
        result.sha256 = result.sha256 or getattr(exc, "sha256", None)
    except PlansheetError as exc:
        log.debug("%s failed", name, exc_info=True)
        result.status, result.error_stage, result.error = Status.FAILED, exc.stage, _as_named(str(exc), path, name)
        result.sha256 = result.sha256 or getattr(exc, "sha256", None)
    except MemoryError:
        raise  # the worker reports it (executors): its memory cap, not this file's fault alone
    except Exception as exc:  # the batch boundary: one bad file must not cost the others
        log.debug("%s failed unexpectedly", name, exc_info=True)
        result.status, result.error_stage = Status.FAILED, run.stage
        result.error = _as_named(f"{name}: unexpected {type(exc).__name__} while {run.stage.doing}: {exc} "
                                 "(please report this file)", path, name)
    result.seconds = time.perf_counter() - started
    if result.status is not Status.OK and result.error is None and result.warnings:
        more = f" (+{len(result.warnings) - 1} more)" if len(result.warnings) > 1 else ""
        result.error = f"{name}: {result.warnings[0]}{more}"
    return FileOutcome(result, docs, run.facts if docs else None)


def _as_named(message: str, path: Path, name: str) -> str:
    """``message`` with the file's path on this machine put as its ``source_file`` name: an error line names
    the file as the user gave it (``inbox/2019/x.pdf`` for ``/srv/inbox/2019/x.pdf``), never more."""
    for shown in {str(path), path.as_posix()}:
        if shown != name:
            message = message.replace(shown, name)
    return message


@dataclass
class _Run:
    """One file going through the stages; ``stage`` says where a failure happened."""

    path: Path
    name: str
    settings: Settings
    result: SourceResult
    ahead: PagesRead | None = None
    stage: ErrorStage = ErrorStage.TRIAGE
    facts: SourceFacts | None = None

    def convert(self) -> list[ParsedDocument]:
        """Triage, read, OCR and parse the file; fill ``result``; return the documents to write."""
        result, name = self.result, self.name
        self.stage = ErrorStage.TRIAGE
        triaged = triage(self.path, self.settings)
        result.sha256, result.source_format = triaged.sha256, triaged.format.value
        self.stage = ErrorStage.READ
        pages = read_source(triaged, self.settings, self.ahead)
        result.pages = pages.page_count
        result.warnings.extend(pages.notes)
        self.stage = ErrorStage.OCR
        pages, result.pages_ocr, ocr_warnings = apply_ocr(self.path, pages, self.settings)
        result.warnings.extend(ocr_warnings)
        self.stage = ErrorStage.PARSE
        readable = [p for p in pages.pages if p.problem is None]
        if pages.pages and not readable:
            raise PlansheetError(f"{name}: none of the {pages.page_count} pages has a usable text layer "
                                 f"({pages.pages[0].problem}); "
                                 + ("run with --ocr auto to OCR them" if self.settings.ocr_mode is OcrMode.NEVER
                                    else "and OCR did not read them"),
                                 ErrorStage.OCR)
        readable, examples = leave_out_example_sheets(readable)
        result.warnings.extend(examples)
        readable, skipped_sheets = claim_worksheets(readable)
        if skipped_sheets and readable:
            result.warnings.append(skipped_warning(skipped_sheets))
        docs = parse_pages(readable, municipality=self.settings.municipality)
        if not docs:
            why = f"; {result.warnings[0]}" if result.warnings else ""  # e.g. a page OCRed at a capped dpi
            if triaged.text_kind is TextKind.HTML and self.path.suffix.lower() == ".pdf":
                why += "; the file is an HTML page named .pdf (a web page saved under a link's name?)"
            raise NotASheetError(f"{name}: not a management sheet (no 部の運営方針 labels found){why}")
        docs = self._keep_writable(docs, readable)
        self.facts = SourceFacts(name, triaged.sha256, triaged.format.value, pages.method.value, __version__)
        result.documents = len(docs)
        result.rows = record_counts(docs)
        # an OCR repair is an audit note: the field was read, and the grammar said what it must be
        result.status = Status.PARTIAL if any(not is_repair_note(w) for w in result.warnings) else Status.OK
        if result.status is Status.PARTIAL:
            result.error_stage = ErrorStage.OCR if ocr_warnings else ErrorStage.PARSE
        return docs

    def _keep_writable(self, docs: list[ParsedDocument], readable: list[Page]) -> list[ParsedDocument]:
        """Collect the documents' warnings; drop (and say so) those without a year or department, and a template's
        example (its department a placeholder: :mod:`.examples`); a placeholder for a name is left out, named."""
        warnings = self.result.warnings
        examples = {i: why for i, d in enumerate(docs, 1) if (why := example_department(d))}
        unwritable = [i for i, d in enumerate(docs, 1) if d.fiscal_year is None or not d.department or i in examples]
        for i, doc in enumerate(docs, 1):
            if i not in unwritable:
                doc.warnings.extend(drop_placeholder_names(doc))
        written = 0  # a written document is named by its number in doc_id (<sha16>-<n>), a lost one by its pages
        for i, doc in enumerate(docs, start=1):
            if i in unwritable:
                prefix = f"{_pages(doc.pages)} (not written): " if len(docs) > 1 else ""
            else:
                written += 1
                prefix = f"document {written}: " if len(docs) > 1 else ""
            warnings.extend(prefix + w for w in doc.warnings)
        for i in reversed(unwritable):  # the cause of a document lost, first: the line a run prints shows it
            doc = docs[i - 1]
            lacks = " and ".join(name for name, value in (("fiscal year (令和/平成 N年度)", doc.fiscal_year),
                                                          ("department (部)", doc.department)) if not value)
            where = _pages(doc.pages)
            verb = "were" if where.startswith("pages") else "was"
            why = examples[i] if i in examples else f"no {lacks} was read"
            warnings.insert(0, f"{where} {verb} not written as a document: {why}")
        blank = [p.number for p in readable if not p.cells and not p.words] if len(readable) > 1 else []
        if warnings and blank:  # something is missing: an empty page is the likely culprit
            warnings.insert(0, f"page(s) {', '.join(map(str, blank))} have no text (blank, or their "
                               "content could not be decoded: check the PDF); the other pages were read")
        return [d for i, d in enumerate(docs, 1) if i not in unwritable]


def _pages(numbers: list[int]) -> str:
    """``page 3``, ``pages 1–5`` or ``pages 1–3, 5``: where a part of the file stands."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    if not runs:
        return "no page"
    shown = ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)
    return f"page {shown}" if len(runs) == 1 and len(runs[0]) == 1 else f"pages {shown}"
