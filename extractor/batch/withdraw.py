"""A file is its name: when its bytes change, the reading of its old bytes is withdrawn.

Both commands follow one rule: a name that held content ``old`` and now holds other bytes gives
``old`` up, and ``old``'s rows leave every table unless another name still holds those bytes
(identical bytes under several names are stored once, credited to the first holder in sort
order). A content no ``sources`` row holds is not a copy of anything. ``plansheet ingest`` asks
its catalog who holds what (:meth:`plansheet.batch.ingest._Night.apply`); ``plansheet extract``
has no catalog and asks the ``sources`` table (:class:`Holdings`), whose one row per name says
which bytes it holds. A name whose file can no longer be read (no hash: its ``sources`` row
says why and holds no bytes) gives its old content up too.

Bytes that say nothing about the sheet are no new version of it: a name whose new bytes cannot be read
(a failed conversion: a truncated or partial copy, an empty file, a PDF that needs a password, a timeout)
or are an HTML page that is no sheet (a web server's error page where the sheet was) keeps the rows of
its last good version, until a readable version replaces them (:func:`unreadable`); its ``sources`` row
keeps that version's hash and outcome, and its ``error`` says what failed.

For ``extract`` the removal of the old content is staged before the new content's rows and the
name's ``sources`` row (:func:`plansheet.output.writers.write_outcome`), so that one merge takes
all three: a reader never sees the old and new rows together, and a run killed between them
leaves the old rows gone and the new ones not yet in (never both); the next run over the file
stages them again.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from plansheet.errors import ErrorStage
    from plansheet.pipeline.stages import FileOutcome

INACTIVE = frozenset({"gone", "retired", "superseded"})  # a sources row in these states holds nothing
GOOD = frozenset({"ok", "partial"})  # a sources row in these statuses has rows in the document tables
HOLDING = ["source_file", "source_sha256", "state"]  # what a sources row says of the bytes a name holds


def unreadable(outcome: FileOutcome, path: Path | None) -> bool:
    """Whether ``outcome`` (of the bytes now at ``path``) says nothing about the sheet a name held: nothing
    could be read from them (failed), or they are an HTML page that is no sheet (a server's error page, a
    "page not found" saved under the sheet's name)."""
    from plansheet.pipeline.triage import is_html_page
    from plansheet.results import Status

    status = outcome.result.status
    return status is Status.FAILED or (status is Status.SKIPPED and path is not None and is_html_page(path))


def kept_note(error: str, failure: dict | None = None) -> str:
    """``error`` (why a source's current bytes or download cannot be read) saying that the rows of its last
    good version are kept, and, with the ingest catalog's note ``failure``, since which run it fails."""
    since = f"failing since run {failure['run']} ({failure['at']}); " if failure else ""
    return f"{error.rstrip('.')} ({since}the rows of its last good version are kept until it can be read again)"


def why_unreadable(outcome: FileOutcome) -> tuple[str, ErrorStage]:
    """The error and stage of an :func:`unreadable` outcome, as the ``sources`` row keeping a last good reading
    gives them."""
    from plansheet.errors import ErrorStage
    from plansheet.results import Status

    r = outcome.result
    if r.status is Status.SKIPPED:
        return (f"{r.source_file}: an HTML page that is no sheet, where the sheet was (a web server's error "
                "page, or a page saved under the sheet's name?)"), ErrorStage.READ
    return r.error or f"{r.source_file}: cannot be read", ErrorStage(r.error_stage or ErrorStage.READ)


class Holdings:
    """Which content (sha16) each name holds, as the ``sources`` table says, for one ``extract`` run.

    The rows of the run's own names are read once, at the first question (after the workers have
    started: reading needs pyarrow), from the merged dataset and from entries a killed run left
    staged; the run then tells it what each name holds now (:meth:`now_holds`).
    """

    def __init__(self, out: Path, names: Iterable[str]) -> None:
        self.out = out
        self.names = set(names)
        self._stored: dict[str, str | None] | None = None
        self._rows: dict[str, dict] = {}
        self._now: dict[str, str | None] = {}

    def _load(self) -> dict[str, str | None]:
        if self._stored is None:
            self._rows = _stored_rows(self.out, self.names)
            self._stored = _content_of(self._rows)
        return self._stored

    def last_good(self, name: str, new_sha256: str | None) -> dict | None:
        """The stored ``sources`` row of ``name`` when it holds the rows of a good reading (ok or partial) of
        other bytes than ``new_sha256``, and this run staged nothing else for it; else None."""
        old = self.held(name)
        if name in self._now or old is None or (new_sha256 is not None and new_sha256[:16] == old):
            return None
        row = self._rows.get(name)
        return row if row is not None and row.get("status") in GOOD else None

    def held(self, name: str) -> str | None:
        """The content ``name`` holds: what this run staged for it, else what the dataset says."""
        if name in self._now:
            return self._now[name]
        return self._load().get(name)

    def now_holds(self, name: str, content: str | None) -> None:
        """Note that this run staged ``name`` as holding ``content``."""
        self._now[name] = content

    def others(self, content: str, name: str) -> list[str]:
        """The names other than ``name`` that hold ``content`` (in sort order)."""
        found = {n for n, c in self._now.items() if c == content}
        found |= {n for n in _holders(self.out, content) if n not in self._now}
        # the run's names not yet read hold what they held (a killed run's staged rows included)
        found |= {n for n in self.names - set(self._now) if self._load().get(n) == content}
        return sorted(found - {name})

    def first_holder(self, content: str, name: str) -> str:
        """The name ``content``'s rows are credited to: the first in sort order of ``name`` (the run's
        first holder) and the stored names outside this run that hold it too."""
        return min([name, *(n for n in _holders(self.out, content) if n not in self.names)])

    def gives_up(self, name: str, new_sha256: str | None) -> tuple[str | None, list[str]]:
        """The content ``name`` gives up by now holding ``new_sha256`` (None if it keeps what it held),
        and the other names that hold that content: with none, its rows are withdrawn."""
        old = self.held(name)
        if old is None or (new_sha256 is not None and new_sha256[:16] == old):
            return None, []
        return old, self.others(old, name)


def _stored_rows(out: Path, names: set[str]) -> dict[str, dict]:
    """The stored ``sources`` row of each of ``names`` (staged entries of a killed run included)."""
    from plansheet.output import staging
    from plansheet.output.dataset import keys_in, part_files
    from plansheet.output.writers import source_key

    if not names:
        return {}
    keys = {source_key(n) for n in names}
    files = [f for f in part_files(out, "sources") if keys_in(out / f, keys)]
    rows = _by_name(_read_sources(out, files, keys, None)) if files else {}
    for entry in staging.entries(out):  # later entries win, as the merge will have it
        if entry.kind == staging.SOURCES and entry.key in keys:
            rows.update(_by_name(entry.tables().get("sources")))
    return {n: row for n, row in rows.items() if n in names}


def _holders(out: Path, content: str) -> dict[str, str | None]:
    """The stored ``sources`` rows that hold ``content``: name → content (only active rows)."""
    from plansheet.output.dataset import holding, part_files

    files = [f for f in part_files(out, "sources") if holding(out / f, {content})]
    if not files:
        return {}
    held = _content_of(_by_name(_read_sources(out, files, None)))
    return {n: c for n, c in held.items() if c == content}


def _read_sources(out: Path, files: list[str], keys: set[str] | None, columns: list[str] | None = HOLDING) -> pa.Table:
    from plansheet.output.dataset import read_parts

    return read_parts(out, "sources", files, keys, columns)


def _by_name(table: pa.Table | None) -> dict[str, dict]:
    """The rows of a ``sources`` table by name."""
    if table is None or table.num_rows == 0:
        return {}
    return {row["source_file"]: row for row in table.to_pylist()}


def _content_of(rows: dict[str, dict]) -> dict[str, str | None]:
    """name → the sha16 its row holds (None for a row that holds nothing: no hash, or inactive)."""
    return {name: (row["source_sha256"][:16] if row["source_sha256"] and row["state"] not in INACTIVE else None)
            for name, row in rows.items()}
