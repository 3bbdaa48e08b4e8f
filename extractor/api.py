"""The Python API the CLI mirrors: :func:`extract` files into a dataset, :func:`load` it back."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd

from plansheet import loading
from plansheet.errors import PlansheetError
from plansheet.pipeline import FileOutcome, process_file
from plansheet.results import SourceResult
from plansheet.settings import Settings
from plansheet.triage import SUPPORTED_SUFFIXES
from plansheet.finish import finish_output
from plansheet.writers import ensure_layout, file_key, write_source

log = logging.getLogger(__name__)
FORMATS = ("parquet", "csv", "both")


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively, supported suffixes only) and keep files as given, in order.

    A path that does not exist raises :class:`PlansheetError` naming it.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            found = [path]
        else:
            raise PlansheetError(f"{path}: no such file or folder")
        for item in found:
            if item.resolve() not in seen:
                seen.add(item.resolve())
                files.append(item)
    return files


def run_sequential(files: list[Path], settings: Settings) -> Iterator[FileOutcome]:
    """Process files one after another in this process."""
    for path in files:
        yield process_file(path, settings)


Runner = Callable[[list[Path], Settings], Iterator[FileOutcome]]


def extract(paths: Iterable[str | Path], out: str | Path, settings: Settings | None = None,
            output_format: str = "both", runner: Runner | None = None,
            on_result: Callable[[SourceResult], None] | None = None) -> list[SourceResult]:
    """Convert every input into ``out`` (Parquet dataset and/or CSV); one result per file.

    Each file's rows are written as soon as it finishes; a failing file gets its
    ``sources`` row and the others go on. ``on_result`` is called after each file.
    """
    if output_format not in FORMATS:
        raise ValueError(f"output_format must be one of {FORMATS}, not {output_format!r}")
    settings = settings or Settings()
    out = Path(out)
    files = collect_inputs(paths)
    ensure_layout(out)
    results: list[SourceResult] = []
    for outcome in (runner or run_sequential)(files, settings):
        write_outcome(out, outcome)
        results.append(outcome.result)
        if on_result is not None:
            on_result(outcome.result)
    finish_output(out, output_format, settings)
    return results


def write_outcome(out: Path, outcome: FileOutcome) -> None:
    """Write one file's rows and sources row into the dataset (replacing earlier ones)."""
    key = file_key(outcome.result.sha256, outcome.result.source_file)
    write_source(out, key, outcome.rows, outcome.source)


def load(out: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed, plus ``goal_lineage`` and ``initiatives_flat``.

    See :mod:`plansheet.loading` for the types (nullable Int32, categorical grades and stage).
    """
    return loading.load(out)
