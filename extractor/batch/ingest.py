"""The nightly ingest: keep the archive equal to what its sources hold, converting each content once.

:func:`ingest` holds ``OUT/.plansheet.lock`` for the whole run, then

1. removes temp files a killed run left behind, and the files of every content key the
   catalog notes as pending (a write or removal a crash interrupted; its sources are
   converted again below);
2. hashes each folder file and fetches each URL (conditional GET, see :mod:`plansheet.batch.fetch`);
   a source whose bytes equal the catalog's, whose conversion did not fail and whose rows
   are stored is *unchanged*: the catalog notes the run saw it, and nothing is written;
3. marks ``gone`` every current source this run looked for and did not find: a file no longer
   in a folder given on this run, or a URL no longer in the ``--urls`` list given;
4. converts the rest, once per distinct content (bytes already converted for another name
   are not converted again), and as each finishes removes the rows of the content its
   sources held before (unless another current source holds it too), writes the new
   content's rows once and each source's own ``sources`` row;
5. reconciles (:func:`reconcile`): removes the rows of contents no current source holds,
   credits each content's documents to the first of its current holders in sort order,
   and rewrites the ``sources`` rows whose state changed; then rebuilds the CSVs.

A URL that cannot be fetched, or a source whose new bytes cannot be read (a truncated copy, an empty
file, a server's error page where the sheet was), keeps the rows of its last good version: its
``sources`` row keeps that version's outcome, its ``error`` says what failed and since which run, and
the run reports it failed; if it was never ingested it gets a ``failed`` sources row, which the next
successful run replaces.
What the archive means (states, history) is in ``docs/batch.md``.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from enum import Enum
from pathlib import Path

import regex

from plansheet.version import __version__
from plansheet.batch.inputs import walk_inputs
from plansheet.batch.remembered import remembered_municipality
from plansheet.batch.catalog import CATALOG_NAME, CURRENT, EARLIER, GONE, RETIRED, Catalog, Entry, OutputLock
from plansheet.core.names import readable
from plansheet.errors import ErrorStage, PlansheetError, writing_output
from plansheet.batch.executors import Runner, Task, failed_outcome, file_sha256, run_sequential
from plansheet.batch.finish import finish_output
from plansheet.pipeline.stages import FileOutcome
from plansheet.results import SourceResult, Status, modified_at
from plansheet.settings import Settings
from plansheet.output.rows import document_rows
from plansheet.output.writers import ensure_layout, file_key, stage_documents
from plansheet.batch.archive import STORED, drop_content, reconcile, recover, write_row
from plansheet.batch.same_sheet import Body, bodies, same_sheet, stored_bodies
from plansheet.batch.withdraw import kept_note, unreadable, why_unreadable

log = logging.getLogger(__name__)
DONE = {Status.OK.value, Status.PARTIAL.value, Status.SKIPPED.value}  # not retried while unchanged
UNCHANGED = "already ingested, unchanged"
DOWNLOADS = "downloads"
TIMING = ("seconds", "extracted_at")  # the columns of a sources row that differ between equal conversions
TIMESTAMPS = ("extracted_at", "source_modified")  # stored as ISO text in the catalog's outcome
_COMMENT = regex.compile(r"(?:^|\s)#.*$")


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
    """What one ingest did: one result per source seen, the sources it found gone, the plan when ``dry_run``."""

    results: list[SourceResult] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # source_file of each source marked gone by this run
    held: list[str] = field(default_factory=list)  # an input folder found empty whose sources were kept: why
    plan: list[tuple[str, str]] = field(default_factory=list)  # (action, source) for --dry-run
    earlier: list[str] = field(default_factory=list)  # a name's earlier sheet kept beside its new one: what and why
    replaced: list[str] = field(default_factory=list)  # a name's sheet replaced by itself with its identity corrected
    moved: dict[str, str] = field(default_factory=dict)  # source_file of a source gone for another reason than
    # not being found (it moved; its name holds its document again): why

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        if self.gone:
            counts[GONE] = len(self.gone)
        return counts

    @property
    def failed(self) -> bool:
        return bool(self.held) or any(r.status is Status.FAILED for r in self.results)


def read_url_list(path: Path) -> list[str]:
    """The URLs of a ``--urls`` file: one a line; blank lines and comments are ignored.

    A comment starts with ``#`` at the start of a line or after whitespace
    (``https://city.example/plan.pdf   # 2019 plans``); a ``#`` inside a URL (a fragment) stays.
    """
    urls = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = _COMMENT.sub("", line).strip()
        if line:
            if not line.startswith(("http://", "https://")):
                raise PlansheetError(f"{path}: {line!r} is not an http(s) URL")
            urls.append(line)
    return list(dict.fromkeys(urls))


def remove_stale_temps(out: Path) -> int:
    """Delete temp files an interrupted run left (we hold the lock, so none is in use)."""
    removed = 0
    for pattern, folder in ((".*.tmp", out / "parquet"), (".*.tmp", out / "csv"), (".*.tmp", out / "state"),
                            (".*.part", out / DOWNLOADS)):
        if folder.is_dir():
            for tmp in folder.rglob(pattern):
                tmp.unlink(missing_ok=True)
                removed += 1
    for tmp in out.glob(".*.tmp") if out.is_dir() else ():  # datapackage.json's, beside the folders
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def _is_stored(catalog: Catalog, entry: Entry) -> bool:
    """True when the rows of ``entry``'s outcome are on disk (or it has none)."""
    if entry.key is None:
        return entry.status not in STORED
    content = catalog.content(entry.key)
    return content is not None and not content.pending


def _is_unchanged(catalog: Catalog, entry: Entry | None, sha: str | None) -> bool:
    return (entry is not None and sha is not None and entry.state == CURRENT and entry.sha256 == sha
            and entry.outcome is not None and entry.status in DONE and _is_stored(catalog, entry))


@lru_cache(maxsize=64)
def _root(given: Path) -> Path:
    """An input folder resolved, once per walk (:func:`_folder_sources` clears this), not once per file."""
    return given.resolve()


def _identity(path: Path, given: Path) -> str:
    """A folder file's catalog identity: its absolute path, the input folder resolved and the links
    below it kept, so that a subfolder moved to another disk and symlinked back stays the same source."""
    if path == given:
        return readable(str(path.resolve()))
    return readable(str(_root(given) / path.relative_to(given)))


@dataclass
class _Walked:
    """The folder sources of one ingest, and where it could not look (their sources are never gone)."""

    sources: list[Source]
    unseen: list[str]  # identities of paths that could not be looked into
    empty: list[Path]  # input folders in which nothing at all was found


def _folder_sources(folders: Iterable[Path], out: Path, catalog: Catalog | None = None) -> _Walked:
    inside_out = out.resolve()
    folders = list(folders)
    inputs = walk_inputs(folders, out)
    found, unseen = [], []
    _root.cache_clear()  # (a folder moved since an earlier walk of this process is resolved again)
    for path, name, given in inputs.files:
        resolved = path.resolve()
        if resolved.is_relative_to(inside_out):
            continue  # never ingest our own downloads
        identity = _identity(path, given)
        if catalog is not None and identity != (legacy := readable(str(resolved))) and catalog.get(identity) is None:
            old = catalog.get(legacy)  # a symlinked file catalogued under its target's path (before 2026-11-30)
            identity = legacy if old is not None and old.source_file == readable(name) else identity
        found.append(Source(identity, SourceKind.PATH, readable(name), path, file_sha256(path)))
    for item in inputs.unseen:
        identity = _identity(item.path, item.given)
        found.append(Source(identity, SourceKind.PATH, item.name, error=item.message))
        unseen.append(identity)
    searched = {given for _, _, given in inputs.files} | {item.given for item in inputs.unseen}
    return _Walked(found, unseen, [f for f in folders if f.is_dir() and f not in searched])


def _url_sources(urls: list[str], out: Path, catalog: Catalog, settings: Settings,
                 client_factory: Callable[[], object] | None) -> list[Source]:
    if not urls:
        return []
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
                sha = entry.sha256 if entry else None
                found.append(Source(shown, SourceKind.URL, shown, copy, sha, got.etag, got.last_modified))
            else:
                found.append(Source(shown, SourceKind.URL, shown, got.path, got.sha256, got.etag, got.last_modified))
    finally:
        client.close()  # type: ignore[attr-defined]
    return found


def _gone(catalog: Catalog, folders: list[Path], urls: list[str] | None, seen: set[str],
          walked: _Walked) -> tuple[list[Entry], list[str]]:
    """Current sources this run looked for and did not find, and what it held back.

    A source under a path the walk could not look into (a dangling symlink, a folder that cannot
    be listed) is not gone; nor are the sources under an input folder in which nothing at all was
    found, when there were several (an unmounted disk leaves its mount point empty): their rows are
    kept, and a line says so. A folder's only file deleted is gone.
    """
    roots = [f.resolve() for f in folders if f.is_dir()]
    empty = {f.resolve() for f in walked.empty}
    blind = [Path(u) for u in walked.unseen]
    gone: list[Entry] = []
    held: dict[Path, list[Entry]] = {}
    # the current sources under the folders given (and the URLs when a list was given), by name only:
    # not every source the archive holds, nor its decoded outcome (about 0.1 ms a source)
    missing = []
    for name, kind, source_file in catalog.current_sources([readable(str(r)) for r in roots], urls is not None):
        if name in seen:
            continue
        if kind == "path":
            source = Path(name)
            root = next((r for r in roots if source.is_relative_to(r)), None)
            if root is None or any(source.is_relative_to(b) for b in blind):
                continue
            missing.append((source_file, name, root))
        elif kind == "url" and urls is not None:
            missing.append((source_file, name, None))
    for _, name, root in sorted(missing, key=lambda m: m[:2]):  # in the order of Catalog.all()
        entry = catalog.get(name)
        assert entry is not None
        if root in empty:
            held.setdefault(root, []).append(entry)
        else:
            gone.append(entry)
    for root, entries in list(held.items()):
        if len(entries) == 1:  # one file deleted from its folder is gone; all of several at once is the folder
            gone.extend(held.pop(root))
    notes = [f"{readable(str(f))}: no file found in it, where {len(held[f.resolve()])} source(s) were current; "
             "none was marked gone and their rows are kept (a disk not mounted, a folder moved away?). "
             "To remove them on purpose: plansheet retire OUT SOURCE"
             for f in walked.empty if f.resolve() in held]
    return gone, notes


MOVED = "moved"  # an Entry's state while :func:`_moved` hands it to the loop that marks sources gone


def _moved(catalog: Catalog, fresh: list[Source], seen: set[str], gone: set[str]) -> list[Entry]:
    """Current path sources moved away: their file no longer exists, and tonight found it elsewhere.

    The same bytes under a new path are the same source moved (``/srv/inbox`` → ``/srv/inbox_new``), so
    the old path, whose file no longer exists, is gone, whether or not its folder was given tonight. Where
    its whole input folder no longer exists either (the folder itself moved), every current source under
    it whose file no longer exists is gone with it: one edited after the move too. Asked only for the
    sources new or changed tonight whose bytes were stored before (a query by hash each), and once per folder
    moved."""
    found: dict[str, Entry] = {}
    roots: dict[Path, Path] = {}
    for src in fresh:
        if src.kind is not SourceKind.PATH or src.sha256 is None:
            continue
        for entry in catalog.with_sha(src.sha256):
            if (entry.kind != SourceKind.PATH.value or entry.state != CURRENT or entry.source in seen
                    or entry.source in gone or entry.source in found or os.path.lexists(entry.source)):
                continue
            found[entry.source] = replace(entry, state=MOVED, state_reason=f"moved: its bytes are now {src.name}")
            old, new = Path(entry.source).parts, Path(src.source).parts
            k = 0
            while k < min(len(old), len(new)) - 1 and old[-1 - k] == new[-1 - k]:
                k += 1
            old_root, new_root = Path(*old[:len(old) - k]), Path(*new[:len(new) - k])
            if k and len(old_root.parts) > 1 and not os.path.lexists(old_root):
                roots[old_root] = new_root
    for old_root, new_root in roots.items():
        for name, kind, source_file in catalog.current_sources([readable(str(old_root))], False):
            if name in seen or name in gone or name in found or os.path.lexists(name):
                continue
            entry = catalog.get(name)
            assert entry is not None
            found[name] = replace(entry, state=MOVED, state_reason=(
                f"moved: its folder {readable(str(old_root))} no longer exists, and its files are found in "
                f"{readable(str(new_root))}"))
    return sorted(found.values(), key=lambda e: (e.source_file, e.source))


def _outcome_row(result: SourceResult) -> dict:
    """A conversion's ``sources`` row as JSON-ready values (the catalog's ``outcome``)."""
    row = result.to_row()
    for column in TIMESTAMPS:
        row[column] = row[column].isoformat() if row.get(column) is not None else None
    row["rows"] = dict(result.rows)
    row.pop("state", None)
    return row


def _for_name(outcome: dict, converted_as: str, src: Source) -> dict:
    """``outcome`` (of bytes converted under ``converted_as``) as the sources row of ``src``."""
    modified = modified_at(src.path) if src.path is not None else None
    row = dict(outcome, source_file=src.name, source_modified=modified.isoformat() if modified else None)
    if row.get("error") and converted_as != src.name:
        row["error"] = row["error"].replace(converted_as, src.name)
    return row


def _same(a: dict | None, b: dict) -> bool:
    return a is not None and {k: v for k, v in a.items() if k not in TIMING} == \
        {k: v for k, v in b.items() if k not in TIMING}


class _Night:
    """One ingest's conversions: the catalog, the run id and where results are reported."""

    def __init__(self, out: Path, catalog: Catalog, run: int, report: Callable[[SourceResult], None],
                 said: IngestReport | None = None) -> None:
        self.out, self.catalog, self.run, self.report = out, catalog, run, report
        self.said = said if said is not None else IngestReport()  # what the run tells beside each result

    def reuse(self, src: Source) -> bool:
        """Give ``src`` the outcome of the same bytes converted for another name; False if none is stored."""
        for other in self.catalog.with_sha(src.sha256) if src.sha256 else []:
            if other.status in DONE and other.outcome is not None and _is_stored(self.catalog, other):
                row = _for_name(other.outcome, other.source_file, src)
                self.apply([src], row, other.key, None)
                return True
        return False

    def keep(self, src: Source, error: str, stage: ErrorStage, *, seen: bool) -> None:
        """``src``'s current bytes (or download) cannot be read: it keeps the rows of its last good version,
        its ``sources`` row says why and since when, and the run reports it failed (docs/batch.md)."""
        entry = self.catalog.get(src.source)
        assert entry is not None
        self.catalog.keep_failing(src.source, error, stage.value, self.run, seen=seen)
        self.report(SourceResult(source_file=src.name, sha256=entry.sha256, status=Status.FAILED,
                                 error_stage=stage, error=kept_note(error)))

    def keeps_last_reading(self, src: Source, outcome: FileOutcome) -> bool:
        """Whether ``outcome`` of ``src``'s new bytes says nothing about the sheet it held (unreadable, or an
        error page), while it holds the stored rows of a last good version."""
        if not unreadable(outcome, src.path):
            return False
        entry = self.catalog.get(src.source)
        return (entry is not None and entry.state == CURRENT and entry.key is not None and entry.status in STORED
                and entry.sha256 != outcome.result.sha256 and _is_stored(self.catalog, entry))

    def convert(self, group: list[Source], outcome: FileOutcome) -> None:
        """Store one conversion's rows (once) and give every source of ``group`` its outcome; a source whose
        new bytes cannot be read keeps its last good reading (:meth:`keeps_last_reading`)."""
        r = outcome.result
        kept = [src for src in group if self.keeps_last_reading(src, outcome)]
        error, stage = why_unreadable(outcome) if kept else ("", ErrorStage.READ)
        for src in kept:
            self.keep(src, error.replace(r.source_file, src.name), stage, seen=True)
        group = [src for src in group if src not in kept]
        if not group:
            return
        key = file_key(r.sha256, r.source_file) if outcome.facts is not None else None
        rows = None
        if outcome.facts is not None:
            names = [s.name for s in group] + [e.source_file for e in self.catalog.holders(key or "")]
            facts = replace(outcome.facts, source_file=min(names))
            rows = (key, facts.source_file, document_rows(outcome.documents, facts))
        row = _outcome_row(r)
        if row["source_sha256"] is None:  # failed before hashing (an empty file): the bytes it holds still have one
            row["source_sha256"] = group[0].sha256
        self.apply(group, row, key, rows, converted_as=r.source_file)

    def apply(self, group: list[Source], outcome: dict, key: str | None,
              rows: tuple[str | None, str, dict] | None, converted_as: str | None = None, seen: bool = True) -> None:
        """Remove what ``group`` held before, write ``rows`` (if any) and each source's row."""
        catalog, out = self.catalog, self.out
        members = {s.source for s in group}
        for src in group:  # the old content goes first: a reader never sees old and new rows together
            entry = catalog.get(src.source)
            if entry and entry.key and entry.key != key and entry.state == CURRENT and not any(
                    h.source not in members for h in catalog.holders(entry.key)):
                if not self.keeps_earlier_sheet(entry, key, rows):
                    drop_content(out, catalog, entry.key, entry.sha256)
        if rows is not None:
            assert key is not None
            catalog.begin_content(key, outcome["source_sha256"])
            stage_documents(out, key, rows[2])
            catalog.content_stored(key, rows[1])
        for src in sorted(group, key=lambda s: s.name):
            mine = _for_name(outcome, converted_as or src.name, src)
            entry = catalog.get(src.source)
            assert entry is not None
            # the same outcome again (a retried failure) keeps the first one, its times too
            keep = (entry.state == CURRENT and entry.sha256 == outcome["source_sha256"] and _same(entry.outcome, mine))
            written = keep and not entry.row_dirty  # and its row on disk is that one (no run died before writing it)
            catalog.record(src.source, run=self.run, sha256=outcome["source_sha256"], key=key,
                           outcome=entry.outcome if keep and entry.outcome else mine,
                           local_path=readable(str(src.path)) if src.path else None, etag=src.etag,
                           last_modified=src.last_modified, seen=seen)
            entry = catalog.get(src.source)
            assert entry is not None
            if written:
                catalog.row_written(src.source)
            else:
                write_row(out, catalog, entry)
            self.ends_earlier_sheets(src, key, rows)
            self.report(_result(entry))

    def documents_held(self, key: str | None, rows: tuple[str | None, str, dict] | None) -> set[Identity]:
        """The identities of the documents a name's new content holds: from the rows just read, else from
        the stored content ``key`` (bytes converted before for another name)."""
        if rows is not None:
            return _identities(rows[2].get("documents", []))
        return _documents_of(self.out, key)

    def bodies_held(self, key: str | None, rows: tuple[str | None, str, dict] | None) -> Counter[Body]:
        """What the documents of a name's new content say (:func:`.same_sheet.bodies`): from the rows just
        read, else from the stored content ``key``."""
        if rows is not None:
            return bodies(rows[2])
        return stored_bodies(self.out, key) if key is not None else Counter()

    def ends_earlier_sheets(self, src: Source, key: str | None, rows: tuple[str | None, str, dict] | None) -> None:
        """An earlier sheet kept by :meth:`keeps_earlier_sheet` goes once its own name holds one of its
        documents again (the wrong file posted and then reverted, or the old sheet posted again with
        edits: the name's newest reading of its sheet), or once any other name holds its very bytes
        (a copy of the kept file: its rows are then credited to that name, not to the earlier source).
        Another name holding another reading of the same document keeps both as copies, the current one
        chosen by the copy rules and the difference named: the catalog cannot tell a correction from an
        old copy saved again. The earlier source becomes ``gone``; the next reconcile drops its rows, or
        credits them to the name holding the same bytes."""
        if key is None:
            return
        earlier = self.catalog.earlier_sheets()
        if not earlier:
            return
        now_held: set[Identity] | None = None
        for entry in earlier:
            own = entry.source.startswith(src.source + "#")
            if entry.key != key and not own:
                continue
            held = _documents_of(self.out, entry.key)
            if entry.key != key:
                now_held = self.documents_held(key, rows) if now_held is None else now_held
                if not held & now_held:
                    continue
            shared = held & now_held if now_held is not None else held
            what = ", ".join(sorted(_shown(i) for i in shared or held))
            why = f"{src.name} holds {what} again" if own else f"{src.name} holds its bytes ({what})"
            self.catalog.set_state(entry.source, GONE, f"{why} on run {self.run}", self.run)
            self.said.gone.append(entry.source_file)
            self.said.moved[entry.source_file] = why

    def keeps_earlier_sheet(self, entry: Entry, key: str | None, rows: tuple[str | None, str, dict] | None) -> bool:
        """Whether the content ``entry`` held is another sheet than its new bytes hold, and is kept beside it.

        A document is what it is (municipality, department, fiscal year, stage), not its file's name: new
        bytes under a name that hold none of the documents its old bytes held (next year's sheet posted as
        ``keikaku.pdf`` again) are a new document, not a new version of the old one. The old content is then
        held by a source of its own (kind ``earlier``, named ``NAME (earlier: 健康福祉部 2022 result)``),
        which no walk looks for, so it stays current until retired; the run says so. New bytes sharing a
        document with the old (the same sheet re-posted with edits) replace it (docs/batch.md), and so do
        new bytes whose documents give every goal, target and initiative as the old ones did, at the same
        stage: the same sheet with its year, department or city corrected (:mod:`.same_sheet`)."""
        if entry.status not in STORED or entry.outcome is None or entry.sha256 is None:
            return False
        before = _documents_of(self.out, entry.key)
        now_held = self.documents_held(key, rows)
        if not before or not now_held or before & now_held:
            return False
        what = ", ".join(sorted(_shown(i) for i in before))
        now_what = ", ".join(sorted(_shown(i) for i in now_held))
        if entry.key is not None and same_sheet(stored_bodies(self.out, entry.key), self.bodies_held(key, rows)):
            self.said.replaced.append(f"{entry.source_file}: now holds {now_what}, the same goals, targets and "
                                      f"initiatives as the {what} it held: read as that sheet corrected")
            return False
        name = f"{entry.source_file} (earlier: {what})"
        source = f"{entry.source}#{entry.key}"
        catalog = self.catalog
        catalog.ensure(source, EARLIER, name)
        catalog.record(source, run=self.run, sha256=entry.sha256, key=entry.key,
                       outcome=dict(entry.outcome, source_file=name), local_path=None)
        kept = catalog.get(source)
        assert kept is not None
        write_row(self.out, catalog, kept)
        self.said.earlier.append(f"{entry.source_file}: now holds {now_what}, "
                                 f"another sheet than the {what} it held: that one is kept, as {name!r}")
        return True


Identity = tuple[str | None, str | None, int | None, str | None]  # municipality, department, fiscal year, stage


def _identities(documents: Iterable[dict]) -> set[Identity]:
    """What each document row is: its municipality, department, fiscal year and stage."""
    return {(d.get("municipality"), d.get("department"), d.get("fiscal_year"), d.get("stage")) for d in documents}


def _documents_of(out: Path, key: str | None) -> set[Identity]:
    """The identities of the documents stored under content ``key`` (read only when a name's bytes change)."""
    if key is None:
        return set()
    from plansheet.output.dataset import part_files, read_parts

    table = read_parts(out, "documents", part_files(out, "documents"), {key},
                       ["municipality", "department", "fiscal_year", "stage"])
    return _identities(table.to_pylist())


def _shown(identity: Identity) -> str:
    """An identity as a person names it: ``柏原市 健康福祉部 2022 result``."""
    return " ".join(str(part) for part in identity if part is not None)


def _result(entry: Entry) -> SourceResult:
    """The run report's result for a source, from its catalog outcome."""
    o = entry.outcome or {}
    return SourceResult(source_file=entry.source_file, sha256=entry.sha256, status=Status(o.get("status", "failed")),
                        documents=o.get("documents") or 0, rows=dict(o.get("rows") or {}),
                        error_stage=ErrorStage(o["error_stage"]) if o.get("error_stage") else None,
                        error=o.get("error"),
                        warnings=(o.get("warnings") or "").splitlines(), pages=o.get("pages"),
                        pages_ocr=o.get("pages_ocr"), seconds=o.get("seconds") or 0.0,
                        source_format=o.get("source_format"))


def ingest(out: str | Path, folders: Iterable[str | Path] = (), urls: Iterable[str] | None = None,
           settings: Settings | None = None, runner: Runner | None = None, *, dry_run: bool = False,
           on_result: Callable[[SourceResult], None] | None = None,
           client_factory: Callable[[], object] | None = None) -> IngestReport:
    """Ingest new and changed files from ``folders`` and ``urls`` into ``out`` (module docstring).

    ``urls`` is the whole list of URLs the archive follows: a URL of an earlier run missing
    from it is gone. ``None`` (the default) leaves URL sources alone. Likewise a file of an
    earlier run that is no longer in one of ``folders`` is gone; files elsewhere are left alone.

    ``settings`` gives the conversion, ``output_format``, ``http_timeout_s`` and
    ``lineage_threshold``. Raises :class:`~plansheet.errors.OutputLockedError` when another
    ingest holds ``out``.
    """
    settings = settings or Settings()
    out, folders = Path(out), [Path(f) for f in folders]
    url_list = list(urls) if urls is not None else None
    if dry_run:
        return _plan(out, folders, url_list or [])
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
            recover(out, catalog)
            night = _Night(out, catalog, run_id, report_result, report)
            walked = _folder_sources(folders, out, catalog)
            sources = walked.sources + _url_sources(url_list or [], out, catalog, settings,
                                                                    client_factory)
            todo: list[Source] = []
            fresh: list[Source] = []  # new or changed tonight, holding bytes stored before: a moved file's new name
            seen_unchanged: list[tuple[str, str, str | None, str | None]] = []  # marked at once, after the loop
            for src in sources:
                catalog.ensure(src.source, src.kind.value, src.name)
                entry = catalog.get(src.source)
                assert entry is not None
                if entry.state == RETIRED:
                    catalog.mark(src.source, "retired: not converted", run_id)
                    report_result(SourceResult(src.name, src.sha256, Status.SKIPPED, error=(
                        f"{src.name}: retired by the operator ({entry.state_since}); "
                        "`plansheet retire --undo` brings it back")))
                elif src.error is not None:
                    _fetch_failed(night, src, entry)
                elif _is_unchanged(catalog, entry, src.sha256):
                    seen_unchanged.append((src.source, "unchanged", src.etag, src.last_modified))
                    if entry.failure is not None:  # the bytes of its last good reading are back
                        catalog.failure_over(src.source)
                    report_result(SourceResult(src.name, src.sha256, Status.SKIPPED, documents=entry.documents or 0,
                                               rows=dict(entry.rows), error=UNCHANGED))
                elif night.reuse(src):  # bytes stored for another name: that name may have moved here
                    fresh.append(src)
                else:
                    todo.append(src)
            catalog.mark_many(seen_unchanged, run_id)
            gone, report.held = _gone(catalog, folders, url_list, {s.source for s in sources}, walked)
            gone += _moved(catalog, fresh, {s.source for s in sources}, {e.source for e in gone})
            for entry in gone:
                where = "the --urls list" if entry.kind == "url" else "its folder"
                why = f"{entry.state_reason} on run {run_id}" if entry.state == MOVED else f"not found in {where} on run {run_id}"
                catalog.set_state(entry.source, GONE, why, run_id)
                report.gone.append(entry.source_file)
                if entry.state == MOVED:
                    report.moved[entry.source_file] = entry.state_reason or "moved"
            groups: dict[str, list[Source]] = {}
            for src in sorted(todo, key=lambda s: s.name):
                groups.setdefault(src.sha256 or f"unreadable:{src.name}", []).append(src)
            by_name = {group[0].name: group for group in groups.values()}
            tasks = [Task(group[0].path, group[0].name) for group in groups.values() if group[0].path is not None]
            for outcome in (runner or run_sequential)(tasks, settings):
                night.convert(by_name[outcome.result.source_file], outcome)
            reconcile(out, catalog)
            finish_output(out, settings)
            catalog.finish_run(run_id, report.counts())
        finally:
            catalog.close()
    return report


def _fetch_failed(night: _Night, src: Source, entry: Entry) -> None:
    """A URL that could not be fetched, or a path that cannot be seen: keep its last good rows (its
    ``sources`` row says why, and since when), or record the failure if none. The run did not get its
    bytes: the last run that saw it stays as it was."""
    assert src.error is not None
    if entry.state == CURRENT and entry.status in DONE and entry.outcome is not None:
        night.keep(src, src.error, ErrorStage.READ, seen=False)
        return
    error, stage = src.error, ErrorStage.READ
    if src.kind is SourceKind.PATH:  # a dangling symlink, a loop, a folder that cannot be listed
        error, stage = error + " (nothing under it is marked gone: the rows it held are kept)", ErrorStage.TRIAGE
    outcome = failed_outcome(Task(Path(src.name), src.name), stage, error, sha256=None)
    night.apply([src], _outcome_row(outcome.result), None, None, seen=False)  # reports it


def _plan(out: Path, folders: list[Path], urls: list[str]) -> IngestReport:
    """What an ingest would do, touching nothing: folder files by hash, URLs without fetching."""
    report = IngestReport()
    path = out / CATALOG_NAME
    catalog = Catalog(path, readonly=True) if path.exists() else None
    try:
        for src in _folder_sources(folders, out, catalog).sources:
            entry = catalog.get(src.source) if catalog else None
            action = ("cannot be seen" if src.error
                      else "unchanged" if catalog and _is_unchanged(catalog, entry, src.sha256)
                      else "new" if entry is None else "retired" if entry.state == RETIRED
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
