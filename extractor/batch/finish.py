"""What runs after a batch has staged its sources: merge them, then follow with CSVs and lineage.

Incremental by default: the staged entries are merged into the partitions they belong to
(:func:`plansheet.output.dataset.apply_staged`), the CSVs get new chunks for the sources
merged (and lose those of sources removed), and ``goal_lineage`` is recomputed for the
(municipality, department) pairs whose documents changed. :func:`rebuild_output` does the
same work for everything (``plansheet rebuild OUT``); both give the same bytes.

What the merge touched is noted in ``OUT/state/finish.json`` before the staged entries are
deleted, and the note is removed only when the CSVs and lineage have followed: a run killed
in between leaves the note, and the next run finishes that work too.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from plansheet.batch.executors import usable_cores
from plansheet.derived.lineage import TABLE as LINEAGE, update_lineage
from plansheet.output import csvs
from plansheet.derived.current import mark_current
from plansheet.derived.dictionary import write_datapackage
from plansheet.derived.flat import FLAT, write_flat_csv
from plansheet.output.dataset import (Touched, apply_staged, clear_pending, compact_all, is_legacy, output_lock,
                                      save_pending)
from plansheet.batch.empty_tables import keep_columns
from plansheet.output.rows import TABLES
from plansheet.output.staging import STATE
from plansheet.output.steps import log_failures, results, side_by_side
from plansheet.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.batch.old_readings import OldReadings

log = logging.getLogger(__name__)

SIDE_BY_SIDE = 2  # tables merged at once in a large output (the CSVs are then written by a thread beside this one)
# below this much CSV (the bytes a run copies), threads cost more than they save (output/steps.py)
SIDE_BY_SIDE_FROM_BYTES = 32 << 20
FULL_FINISH = "full-finish"  # OUT/state/full-finish: a merge rewrote the dataset whole; the finish must follow whole


def finish_output(out: Path, settings: Settings, *, full: bool = False) -> None:
    """Merge the staged sources, then update the CSVs (when ``settings.output_format`` asks) and ``goal_lineage``."""
    threshold = settings.lineage_threshold
    csv = settings.output_format.writes_csv
    with output_lock(out):
        owed = out / STATE / FULL_FINISH  # a merge during the run rewrote an older layout: CSVs and lineage follow whole
        compact = full or is_legacy(out)  # every merge keeps the layout: rewritten only to convert or rebuild
        full = compact or owed.exists() or not (out / "parquet" / LINEAGE).is_dir()  # no lineage yet: whole
        if compact:
            compact_all(out)
        # side by side only where it pays: two cores, and a run's update of large CSVs (a full
        # rewrite stays one step at a time, holding one whole table at a time)
        threads = SIDE_BY_SIDE if not full and usable_cores() > 1 and _csv_bytes(out) >= SIDE_BY_SIDE_FROM_BYTES else 1
        touched = apply_staged(out, threads)
        # the steps below run in turn in this thread (on threads they spent more CPU handing the GIL
        # to each other than they saved: bench/README.md), each CSV's bytes copied beside it
        with side_by_side(1, "plansheet-finish") as pool, csvs.writes_beside(threads > 1):
            steps = [pool.submit(csvs.update_table_csv, out, name, touched.files.get(name, {}), full)
                     for name in TABLES if csv and name != "documents"]  # the current copies change only documents

            def note(changed: dict[str, list[str]]) -> None:  # before the documents' files change
                noted = touched.to_json()  # what finish.json says since the merge
                touched.merge(Touched({"documents": changed}))  # the steps above were given their tables' keys
                if touched.to_json() != noted:  # (a run's own new documents are noted already)
                    save_pending(out, touched)

            try:
                # which copy of each touched sheet counts; the documents of those sheets and their sources follow
                _, documents, sources = mark_current(out, touched=None if full else touched, before_writing=note)
                if csv:
                    steps.append(pool.submit(csvs.update_table_csv, out, "documents",
                                             touched.files.get("documents", {}), full))
                    # the documents the run touched, or whole when the CSV or its index is missing
                    steps.append(pool.submit(write_flat_csv, out, None if full else touched, documents))
                else:  # the CSVs fall behind the dataset: the next run with CSVs writes them whole
                    for name in (*TABLES, LINEAGE, FLAT):
                        csvs.drop_index(out, name)
                    (out / "csv" / f"{FLAT}.csv").unlink(missing_ok=True)  # written whole by the next run with CSVs
                update_lineage(out, threshold, csv, None if full else touched, documents, sources)
            except BaseException:
                log_failures(steps, log.error)  # the steps' own failures are said too, not lost behind this one
                raise
            results(steps, log.error)  # the first failure is raised once every step has ended, the others logged
        keep_columns(out)  # a table with no rows keeps a file with its columns (after every step that writes)
        write_datapackage(out)
        clear_pending(out)
        owed.unlink(missing_ok=True)


def _csv_bytes(out: Path) -> int:
    """The size of the output's CSVs: what a run's finish copies, and so what its steps weigh."""
    folder = out / "csv"
    return sum(p.stat().st_size for p in folder.glob("*.csv")) if folder.is_dir() else 0


def merge_staged(out: Path, stop: Callable[[], bool] | None = None) -> None:
    """Merge what is staged so far into the dataset (during a long run); CSVs and lineage wait.

    ``stop`` is asked after each table; when it says so, the rest waits for the next merge
    (:func:`plansheet.output.dataset.apply_staged`). An output that must first be rewritten whole
    (:func:`is_legacy`) is rewritten here, and the finish is noted to owe a full update of the CSVs
    and lineage (``OUT/state/full-finish``)."""
    with output_lock(out):
        if is_legacy(out):
            owed = out / STATE / FULL_FINISH
            owed.parent.mkdir(parents=True, exist_ok=True)
            owed.touch()
            compact_all(out)
        apply_staged(out, threads=1, stop=stop)  # beside the workers: one table at a time, as before


def rebuild_output(out: Path, settings: Settings | None = None) -> OldReadings:
    """Rewrite the dataset's files, every CSV and ``goal_lineage`` from the rows (``plansheet rebuild``), less the
    old readings an older plansheet kept beside a changed file's new one (:mod:`plansheet.batch.old_readings`):
    what was dropped, and what could not be told."""
    from plansheet.batch.old_readings import find_old_readings
    from plansheet.output.writers import stage_removal

    with output_lock(out):
        old = find_old_readings(out)
    for content in sorted(old.dropped):  # merged, with anything staged before, by the full finish below
        stage_removal(out, content)
    finish_output(out, settings or Settings(), full=True)
    return old
