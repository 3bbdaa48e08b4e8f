"""The input files of a run: folders expanded to the supported files in them, files kept as given."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from plansheet.errors import PlansheetError
from plansheet.pipeline.triage import SUPPORTED_SUFFIXES


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
