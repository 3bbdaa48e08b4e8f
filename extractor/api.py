"""The Python API the CLI mirrors: :func:`extract` files into a dataset, :func:`load` it back."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from plansheet.results import SourceResult
from plansheet.settings import OutputFormat, Settings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from plansheet.batch.executors import Runner
    from plansheet.pipeline.stages import FileOutcome

log = logging.getLogger(__name__)

MERGE_EVERY_S = 60.0  # during a long run, staged files are merged into the dataset this often

def extract(paths: Iterable[str | Path], out: str | Path, settings: Settings | None = None,
            output_format: OutputFormat | str | None = None, runner: Runner | None = None,
            on_result: Callable[[SourceResult], None] | None = None) -> list[SourceResult]:
    """Convert every input into ``out`` (Parquet dataset and/or CSV); one result per file.

    Each file's rows are staged as soon as it finishes (a crash loses at most the files still
    running) and merged into the dataset at the end (and every ``MERGE_EVERY_S`` seconds);
    a failing file gets its ``sources`` row and the others go on. ``on_result`` is called
    after each file. ``output_format``, when given, stands for ``settings.output_format``.
    Every input name gets its own ``sources`` row; identical bytes under several
    names are stored once, credited to the first name in sort order.
    """
    from plansheet.batch.executors import Task, failed_outcome, run_sequential, while_idle
    from plansheet.errors import ErrorStage
    from plansheet.batch.inputs import walk_inputs
    from plansheet.batch.remembered import remembered_municipality
    from plansheet.batch.withdraw import Holdings, unreadable
    from plansheet.errors import writing_output

    settings = settings or Settings()
    if output_format is not None:
        settings = settings.with_overrides(output_format=output_format)
    out = Path(out)
    inputs = walk_inputs(paths, out)
    files = [Task(path, name) for path, name, _ in inputs.files]
    results: list[SourceResult] = []
    with writing_output(out):
        (out / "parquet").mkdir(parents=True, exist_ok=True)  # an output that cannot be written fails now
        settings = remembered_municipality(out, settings)
        # pyarrow and the writers are imported once the runner has started: a pool's parent
        # imports them in a thread once it has forked its workers, while they read
        write_outcome = None
        merged = time.monotonic()
        names: dict[str, str] = {}  # content sha → the first name (in sort order) holding it
        holdings = Holdings(out, [t.name for t in files] + [u.name for u in inputs.unseen])
        paths = {t.name: t.path for t in files}
        recredit: dict[str, str] = {}  # content a name gave up that others still hold → its first holder

        def merge_early() -> None:  # a pool's last files are running and a core is free: merge the rest meanwhile
            from plansheet.batch.executors import outcome_waiting
            from plansheet.batch.finish import merge_staged

            nonlocal merged
            merge_staged(out, stop=outcome_waiting)  # stops between tables once a pool has an outcome waiting
            merged = time.monotonic()

        with while_idle(merge_early):
            for outcome in (runner or run_sequential)(files, settings):
                if write_outcome is None:
                    write_outcome = _start_writing(out)
                sha, name = outcome.result.sha256, outcome.result.source_file
                kept = holdings.last_good(name, sha) if unreadable(outcome, paths.get(name)) else None
                if kept is not None:  # bytes that say nothing of the sheet: its last good reading stays
                    _keep_last_good(out, outcome, kept)
                    results.append(outcome.result)
                    if on_result is not None:
                        on_result(outcome.result)
                    continue
                if sha is not None:
                    names[sha] = min(names.get(sha, name), name)
                old, others = holdings.gives_up(name, sha)  # a file is its name: its old bytes' reading goes
                credit = holdings.first_holder(sha[:16], names[sha]) if sha else None
                write_outcome(out, outcome, credit, None if others else old)
                holdings.now_holds(name, sha[:16] if sha else None)
                if old is not None and others:
                    recredit[old] = others[0]
                elif old is not None:
                    _say_withdrawn(name, old)
                results.append(outcome.result)
                if on_result is not None:
                    on_result(outcome.result)
                if time.monotonic() - merged > MERGE_EVERY_S:
                    merge_early()
        for unseen in inputs.unseen:  # a dangling symlink, a loop, a folder that cannot be listed: one failed row each
            if write_outcome is None:
                write_outcome = _start_writing(out)
            outcome = failed_outcome(Task(unseen.path, unseen.name), ErrorStage.TRIAGE, unseen.message)
            write_outcome(out, outcome, None)
            results.append(outcome.result)
            if on_result is not None:
                on_result(outcome.result)
        if write_outcome is None:  # no input: the folders readers look for are made all the same
            _start_writing(out)
        _credit_again(out, recredit, {sha[:16] for sha in names})
        from plansheet.batch.finish import finish_output  # the writers: a pool's parent imports them while it waits

        finish_output(out, settings)
    return results


def _start_writing(out: Path) -> Callable[..., None]:
    """Make the dataset's folders and return the function that stages one outcome.

    The finish's modules are imported here too (about 0.04 CPU-s: the merge, CSV and lineage
    writers, ``pyarrow.compute``): at the first outcome a small batch's worker is still reading
    beside this process, while after the last one nothing runs beside their import.
    """
    import plansheet.batch.finish  # noqa: F401
    from plansheet.output.writers import ensure_layout, write_outcome

    ensure_layout(out)
    return write_outcome


def _keep_last_good(out: Path, outcome: FileOutcome, row: dict) -> None:
    """A file whose bytes cannot be read now (or are an error page) keeps the rows of its last good reading:
    its stored ``sources`` row ``row`` stays, its ``error`` saying what failed; the run reports it failed."""
    from plansheet.batch.withdraw import kept_note, why_unreadable
    from plansheet.output.writers import stage_source_row

    error, stage = why_unreadable(outcome)
    stage_source_row(out, dict(row, error=kept_note(error), error_stage=stage.value))
    outcome.result.error, outcome.result.error_stage = kept_note(error), stage


def _say_withdrawn(name: str, old: str) -> None:
    """Say that ``name``'s earlier reading left the output: its bytes are not those it held.

    The name is the ``sources`` key, so an edited file and another file of the same name look
    alike here; the operator is told which happened cannot be known, and how to keep both."""
    from plansheet.core.names import log_safe

    log.warning("%s: other bytes than the file of this name converted before (%s…); that earlier "
                "reading is withdrawn. If it was another file, not an earlier version of this one, convert "
                "them from their folder (extract FOLDER) so their names differ", log_safe(name), old[:12])


def _credit_again(out: Path, first_holders: dict[str, str], restaged: set[str]) -> None:
    """Credit each content a name gave up, but other names still hold, to the first of them.

    Its documents named the name that gave it up; a content this run staged again already names
    its first holder in the run."""
    from plansheet.batch.archive import rename_documents

    for content, holder in sorted(first_holders.items()):
        if content not in restaged:
            rename_documents(out, content, holder)


def load(out: str | Path, copies: str = "current", strict: bool = False,
         tables: Iterable[str] | None = None) -> "dict[str, pd.DataFrame]":
    """Every table of an output folder, typed, plus ``goal_lineage`` and ``initiatives_flat``.

    One copy of each sheet by default (``copies="all"`` for every copy); ``tables`` names the
    tables wanted (only those are read); see :mod:`plansheet.derived.loading` for the types
    (nullable Int32, categorical grades and stage), the warning on grades outside A–E
    (``strict=True`` raises) and the errors.
    """
    from plansheet.derived import loading

    return loading.load(out, copies=copies, strict=strict, tables=tables)  # type: ignore[arg-type]
