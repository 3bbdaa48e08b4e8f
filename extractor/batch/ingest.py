"""The nightly ingest: convert what is new or changed in folders and at URLs, exactly once.

:func:`ingest` holds ``OUT/.plansheet.lock`` for the whole run, then

1. removes temp files a killed run left behind (``.*.tmp`` in the dataset, ``.*.part`` in
   ``OUT/downloads``; readers ignore dot-files anyway);
2. hashes each folder file and fetches each URL (conditional GET, see :mod:`plansheet.batch.fetch`);
   a source whose SHA-256 equals the catalog's, and whose last processing did not fail,
   is *unchanged*: its ``sources`` row is rewritten with status ``skipped`` and nothing else;
3. runs the rest through the runner (worker processes by default) and, as each finishes,
   notes the key it is about to write in the catalog, removes the rows of the source's
   earlier keys (its old SHA's rows), stages its rows, and records them (see
   :mod:`plansheet.batch.catalog` for why this order survives a crash at any point);
4. merges what was staged into the dataset and updates the CSVs and lineage for those
   sources only (:mod:`plansheet.batch.finish`).

A URL that cannot be fetched keeps the rows of its last good version; if it was never
ingested it gets a ``failed`` sources row, which the next successful run replaces.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pyarrow as pa

from plansheet.version import __version__
from plansheet.batch.inputs import named_inputs
from plansheet.batch.remembered import remembered_municipality
from plansheet.batch.catalog import CATALOG_NAME, Catalog, Entry, OutputLock
from plansheet.core.names import readable
from plansheet.errors import ErrorStage, PlansheetError, writing_output
from plansheet.batch.executors import Runner, Task, failed_outcome, file_sha256, run_sequential
from plansheet.batch.finish import finish_output
from plansheet.pipeline.stages import FileOutcome
from plansheet.results import SourceResult, Status, modified_at
from plansheet.settings import Settings
from plansheet.output import staging
from plansheet.output.dataset import key_is_stored
from plansheet.output.rows import SCHEMAS
from plansheet.output.writers import ensure_layout, file_key, write_outcome

log = logging.getLogger(__name__)
DONE = {Status.OK.value, Status.PARTIAL.value, Status.SKIPPED.value}  # not retried while unchanged
UNCHANGED = "already ingested, unchanged"
DOWNLOADS = "downloads"


class SourceKind(str, Enum):
    """Where an ingested source comes from (``catalog.files.kind``)."""

    URL = "url"
    PATH = "path"


@dataclass(frozen=True)
class Source:
    """One thing to ingest: a file in a folder or a URL, and where its bytes are."""

    source: str  # catalog identity: the URL, or the file's absolute path
    kind: SourceKind
    name: str  # sources.source_file
    path: Path | None = None  # its bytes on disk (None when a URL could not be fetched)
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # a download that failed


@dataclass
class IngestReport:
    """What one ingest did: one result per source, and the plan when ``dry_run``."""

    results: list[SourceResult] = field(default_factory=list)
    plan: list[tuple[str, str]] = field(default_factory=list)  # (action, source) for --dry-run

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        return counts

    @property
    def failed(self) -> bool:
        return any(r.status is Status.FAILED for r in self.results)


def read_url_list(path: Path) -> list[str]:
    """The URLs of a ``--urls`` file: one a line; blank lines and ``#`` comments are ignored."""
    urls = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if line:
            if not line.startswith(("http://", "https://")):
                raise PlansheetError(f"{path}: {line!r} is not an http(s) URL")
            urls.append(line)
    return list(dict.fromkeys(urls))


def remove_stale_temps(out: Path) -> int:
    """Delete temp files an interrupted run left (we hold the lock, so none is in use)."""
    removed = 0
    for pattern, folder in ((".*.tmp", out / "parquet"), (".*.tmp", out / "csv"), (".*.part", out / DOWNLOADS)):
        if folder.is_dir():
            for tmp in folder.rglob(pattern):
                tmp.unlink(missing_ok=True)
                removed += 1
    return removed


def remove_key(out: Path, key: str) -> None:
    """Remove every row stored under ``key`` in every table (staged; merged when the run finishes)."""
    staging.stage(out, key, staging.REMOVE)


def write_sources_row(out: Path, key: str, row: dict) -> None:
    """Replace only the ``sources`` row stored under ``key`` (its document rows stay; staged)."""
    staging.stage(out, key, staging.SOURCES, {"sources": pa.Table.from_pylist([row], schema=SCHEMAS["sources"])})


def _is_unchanged(entry: Entry | None, sha: str | None, out: Path) -> bool:
    return (entry is not None and sha is not None and entry.sha256 == sha and entry.status in DONE
            and entry.key is not None and not entry.pending_keys and key_is_stored(out, entry.key))


def _folder_sources(folders: Iterable[Path], out: Path) -> list[Source]:
    inside_out = out.resolve()
    found = []
    for path, name in named_inputs(folders):
        if path.resolve().is_relative_to(inside_out):
            continue  # never ingest our own downloads
        found.append(Source(readable(str(path.resolve())), SourceKind.PATH, readable(name), path,
                            file_sha256(path)))
    return found


def _url_sources(urls: list[str], out: Path, catalog: Catalog, settings: Settings,
                 client_factory: Callable[[], object] | None) -> list[Source]:
    import httpx

    from plansheet.batch.fetch import FetchStatus, fetch, redact_url

    found = []
    client = client_factory() if client_factory else httpx.Client(
        follow_redirects=True, headers={"User-Agent": f"plansheet/{__version__} (nightly ingest)"})
    try:
        for url in urls:
            shown = redact_url(url)  # the catalog, the tables and the log never see credentials
            entry = catalog.get(shown)
            copy = Path(entry.local_path) if entry and entry.local_path else None
            got = fetch(client, url, out / DOWNLOADS, etag=entry.etag if entry else None,  # type: ignore[arg-type]
                        last_modified=entry.last_modified if entry else None, copy=copy,
                        timeout_s=settings.http_timeout_s, max_bytes=settings.max_download_mb * 1_000_000)
            if got.status is FetchStatus.FAILED:
                found.append(Source(shown, SourceKind.URL, shown, error=got.error))
            elif got.status is FetchStatus.NOT_MODIFIED:
                found.append(Source(shown, SourceKind.URL, shown, copy, entry.sha256 if entry else None, got.etag,
                                    got.last_modified))
            else:
                found.append(Source(shown, SourceKind.URL, shown, got.path, got.sha256, got.etag, got.last_modified))
    finally:
        client.close()  # type: ignore[attr-defined]
    return found


def _skipped_result(src: Source, entry: Entry, out: Path) -> SourceResult:
    """Rewrite an unchanged source's ``sources`` row as ``skipped`` (its rows stay as they are)."""
    assert entry.key is not None
    result = SourceResult(source_file=src.name, sha256=src.sha256, status=Status.SKIPPED,
                          documents=entry.documents or 0, rows=dict(entry.rows), error=UNCHANGED,
                          source_modified=modified_at(src.path))
    result.pages_ocr = None
    write_sources_row(out, entry.key, result.to_row())
    return result


def _record(out: Path, catalog: Catalog, src: Source, outcome: FileOutcome) -> None:
    """Write one source's outcome so that a crash at any point leaves nothing doubled."""
    key = file_key(outcome.result.sha256, src.name)
    for stale in catalog.begin_write(src.source, key):
        remove_key(out, stale)
    write_outcome(out, outcome)
    r = outcome.result
    catalog.finish_write(src.source, key=key, sha256=r.sha256, status=r.status.value, documents=r.documents,
                         rows=r.rows, error=readable(r.error) if r.error else None,
                         local_path=readable(str(src.path)) if src.path else None,
                         etag=src.etag, last_modified=src.last_modified)


def ingest(out: str | Path, folders: Iterable[str | Path] = (), urls: Iterable[str] = (),
           settings: Settings | None = None, runner: Runner | None = None, *, dry_run: bool = False,
           on_result: Callable[[SourceResult], None] | None = None,
           client_factory: Callable[[], object] | None = None) -> IngestReport:
    """Ingest new and changed files from ``folders`` and ``urls`` into ``out`` (module docstring).

    ``settings`` gives the conversion, ``output_format``, ``http_timeout_s`` and
    ``lineage_threshold``. Raises :class:`~plansheet.errors.OutputLockedError` when another
    ingest holds ``out``.
    """
    settings = settings or Settings()
    out, folders, urls = Path(out), [Path(f) for f in folders], list(urls)
    if dry_run:
        return _plan(out, folders, urls)
    report = IngestReport()

    def report_result(result: SourceResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    with writing_output(out), OutputLock(out):
        if removed := remove_stale_temps(out):
            log.info("removed %d temp file(s) left by an interrupted run", removed)
        ensure_layout(out)
        settings = remembered_municipality(out, settings)  # every run into OUT agrees on the city
        catalog = Catalog(out / CATALOG_NAME)
        try:
            run_id = catalog.start_run()
            sources = _folder_sources(folders, out) + _url_sources(urls, out, catalog, settings, client_factory)
            todo: dict[str, Source] = {}
            for src in sources:
                catalog.ensure(src.source, src.kind.value, src.name)
                entry = catalog.get(src.source)
                if src.error is not None:
                    report_result(_fetch_failed(out, catalog, src, entry))
                elif _is_unchanged(entry, src.sha256, out):
                    assert entry is not None
                    catalog.mark(src.source, "unchanged", etag=src.etag, last_modified=src.last_modified)
                    report_result(_skipped_result(src, entry, out))
                else:
                    todo[src.name] = src
            tasks = [Task(src.path, src.name) for src in todo.values() if src.path is not None]
            for outcome in (runner or run_sequential)(tasks, settings):
                src = todo[outcome.result.source_file]
                _record(out, catalog, src, outcome)
                report_result(outcome.result)
            finish_output(out, settings)
            catalog.finish_run(run_id, report.counts())
        finally:
            catalog.close()
    return report


def _fetch_failed(out: Path, catalog: Catalog, src: Source, entry: Entry | None) -> SourceResult:
    """A URL that could not be fetched: keep its last good rows, or record the failure if none."""
    assert src.error is not None
    catalog.mark(src.source, f"fetch failed: {src.error}")
    if entry is not None and entry.status in DONE and entry.key:
        return SourceResult(source_file=src.name, sha256=entry.sha256, status=Status.FAILED,
                            error_stage=ErrorStage.READ, error=src.error + " (the rows of its last good "
                            "version are kept)")
    outcome = failed_outcome(Task(Path(src.name), src.name), ErrorStage.READ, src.error, sha256=None)
    _record(out, catalog, src, outcome)
    return outcome.result


def _plan(out: Path, folders: list[Path], urls: list[str]) -> IngestReport:
    """What an ingest would do, touching nothing: folder files by hash, URLs without fetching."""
    report = IngestReport()
    path = out / CATALOG_NAME
    catalog = Catalog(path, readonly=True) if path.exists() else None
    try:
        for src in _folder_sources(folders, out):
            entry = catalog.get(src.source) if catalog else None
            action = ("unchanged" if _is_unchanged(entry, src.sha256, out) else "new" if entry is None
                      else "retry" if entry.status == Status.FAILED.value else "changed")
            report.plan.append((action, src.name))
        from plansheet.batch.fetch import redact_url

        for url in map(redact_url, urls):
            entry = catalog.get(url) if catalog else None
            report.plan.append(("fetch" if entry is None else "fetch if changed", url))
    finally:
        if catalog:
            catalog.close()
    return report
