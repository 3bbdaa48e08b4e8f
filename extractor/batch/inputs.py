"""The input files of a run: folders expanded to the supported files in them, files kept as given."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from plansheet.core.names import readable
from plansheet.errors import PlansheetError
from plansheet.pipeline.triage import SUPPORTED_SUFFIXES


def source_name(path: Path, given: Path) -> str:
    """``sources.source_file`` of ``path``, found under the input ``given`` on the command line.

    Never a path of the converting machine: a relative input is kept as given
    (``samples/lineage/x.pdf``); below an absolute folder the path starts at that folder's
    name (``/srv/inbox`` → ``inbox/2019/x.pdf``); an absolute file is its name. The file's
    identity is its SHA-256, not this name.
    """
    if not given.is_absolute():
        return readable(path.as_posix())
    return readable(path.relative_to(given.parent).as_posix() if given.is_dir() else path.name)


def named_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Each input file with its ``source_file`` name (:func:`source_name`), as :func:`collect_inputs` orders them."""
    files: list[tuple[Path, str]] = []
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
                files.append((item, source_name(item, path)))
    return files


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively, supported suffixes only) and keep files as given, in order.

    A path that does not exist raises :class:`PlansheetError` naming it.
    """
    return [path for path, _ in named_inputs(paths)]
