"""The input files of a run: folders expanded to the supported files in them, files kept as given.

A folder is walked as a person browsing it sees it: symlinked folders and files are followed
(a folder moved to another disk and linked back is read where it was); names starting with a
dot are skipped. What cannot be seen is not skipped in silence: a symlink whose target does
not exist (a moved file, an unmounted disk), a symlink to a folder above it (a loop) and a
folder that cannot be listed each become an :class:`Unseen` entry, which a run reports as a
failed ``sources`` row, and which ``ingest`` never takes as gone. The run's own output folder,
when it lies inside an input folder, is not walked (its CSVs are not inputs). An archive of files
(.zip, .7z, …) is listed with the files, so that the run says it was passed over (``skipped``: unpack it), and
so is an office file plansheet does not read (.ods, .odt, .docx, .doc: ``failed``, with what to save it as). A
file with no suffix or named ``.dat`` is listed when its first bytes show a sheet (:func:`sniffed_sheet`); any
other file is passed over.
"""
from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plansheet.core.names import readable
from plansheet.errors import PlansheetError
from plansheet.pipeline.triage import WALKED_SUFFIXES, sniffed_sheet

log = logging.getLogger(__name__)
UNNAMED_SUFFIXES = {"", ".dat"}  # a name that says nothing of the kind: the file's first bytes decide


@dataclass(frozen=True)
class Unseen:
    """A path under an input folder that could not be looked into, and why."""

    path: Path  # as reached from the input given (links not resolved)
    name: str  # its sources.source_file
    given: Path  # the input folder it was found under
    reason: str  # e.g. "a symlink whose target does not exist"

    @property
    def message(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass
class Inputs:
    """What a walk of the inputs found: the files (with their names and inputs) and what it could not see."""

    files: list[tuple[Path, str, Path]]  # (path, source_file, the input given)
    unseen: list[Unseen]


def source_name(path: Path, given: Path) -> str:
    """``sources.source_file`` of ``path``, found under the input ``given`` on the command line.

    Never a path of the converting machine: a relative input is kept as given
    (``samples/lineage/x.pdf``); below an absolute folder the path starts at that folder's
    name (``/srv/inbox`` → ``inbox/2019/x.pdf``); an absolute file is its name (two of one
    name in one run get the folders above them: :func:`_distinct_names`). The name is the
    ``sources`` key: new bytes under it withdraw its earlier reading (docs/batch.md).
    """
    if not given.is_absolute():
        return readable(path.as_posix())
    return readable(path.relative_to(given.parent).as_posix() if given.is_dir() else path.name)


def _may_be_input(name: str) -> bool:
    """True for a name the walk would read as a file, or that may name a folder (no suffix)."""
    suffix = os.path.splitext(name)[1].lower()
    return suffix in WALKED_SUFFIXES or not suffix


def _link_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symlink loop (it leads back to itself); not followed"
    if path.is_symlink():
        return "a symlink whose target does not exist (a moved file, or a disk not mounted?)"
    return f"cannot be read ({exc.strerror or exc})"


class _Walk:
    """One input folder walked depth first, in name order, following symlinks."""

    def __init__(self, given: Path, skip: tuple[int, int] | None) -> None:
        self.given, self.skip = given, skip
        self.real = Path(os.path.realpath(given))
        self.files: list[Path] = []
        self.unseen: list[Unseen] = []

    def problem(self, path: Path, reason: str) -> None:
        self.unseen.append(Unseen(path, source_name(path, self.given), self.given, reason))

    def folder(self, folder: Path, chain: tuple[tuple[int, int], ...]) -> None:
        try:
            with os.scandir(folder) as it:
                names = sorted(entry.name for entry in it)
        except OSError as exc:
            self.problem(folder, f"a folder that cannot be listed ({exc.strerror or exc})")
            return
        for name in names:
            if name.startswith("."):
                continue
            path = folder / name
            try:
                st = os.stat(path)  # follows a symlink
            except OSError as exc:
                if _may_be_input(name):
                    self.problem(path, _link_problem(path, exc))
                continue
            if stat.S_ISDIR(st.st_mode):
                ident = (st.st_dev, st.st_ino)
                if ident == self.skip:
                    log.warning("%s: the output folder, inside the input; not read as input",
                                readable(path.as_posix()))
                elif ident in chain or (path.is_symlink() and self.real.is_relative_to(os.path.realpath(path))):
                    # a link to the input folder or above it leads back into the input (and what lies beside it)
                    self.problem(path, "a symlink to a folder above it (a loop); not followed")
                else:
                    self.folder(path, chain + (ident,))
            elif stat.S_ISREG(st.st_mode) and (path.suffix.lower() in WALKED_SUFFIXES or (
                    path.suffix.lower() in UNNAMED_SUFFIXES and sniffed_sheet(path))):
                self.files.append(path)


def walk_inputs(paths: Iterable[str | Path], out: str | Path | None = None) -> Inputs:
    """Expand folders (recursively, supported suffixes and archives only, following symlinks; module docstring).

    Files are kept in the order given, each folder's files in path order, each file once
    (a file reached twice through links counts under its first name). ``out``, the run's
    output folder, is not walked when it lies inside an input folder (said once, as a
    warning). A path that does not exist raises :class:`PlansheetError` naming it.
    """
    skip = None
    if out is not None:
        try:
            st = os.stat(out)
            skip = (st.st_dev, st.st_ino)
        except OSError:
            pass
    files: list[tuple[Path, str, Path]] = []
    unseen: list[Unseen] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            st = os.stat(path)
            walk = _Walk(path, skip)
            walk.folder(path, ((st.st_dev, st.st_ino),))
            found, unseen_here = walk.files, walk.unseen
        elif path.exists():
            found, unseen_here = [path], []
        else:
            raise PlansheetError(f"{path}: no such file or folder")
        for item in found:
            if item.resolve() not in seen:
                seen.add(item.resolve())
                files.append((item, source_name(item, path), path))
        unseen.extend(unseen_here)
    return Inputs(_distinct_names(files), unseen)


def _distinct_names(files: list[tuple[Path, str, Path]]) -> list[tuple[Path, str, Path]]:
    """Two different files of one run never share a ``source_file``: ``source_file`` is the
    ``sources`` key, and a name is its file (a name's new bytes withdraw its old reading).

    Two absolute files are each named by their own name (``/a/2023/sheet.txt`` and
    ``/a/2024/sheet.txt`` are both ``sheet.txt``): where names clash, each clashing name is
    given the folders above it, one at a time, until the names differ (``2023/sheet.txt``,
    ``2024/sheet.txt``). Names that do not clash are kept as they are.
    """
    count: dict[str, int] = {}
    for _, name, _ in files:
        count[name] = count.get(name, 0) + 1
    if all(n == 1 for n in count.values()):
        return files
    clashing = [i for i, (_, name, _) in enumerate(files) if count[name] > 1]
    renamed = {i: files[i][1] for i in clashing}
    taken = {name for _, name, _ in files if count[name] == 1}
    for name in {files[i][1] for i in clashing}:
        group = [i for i in clashing if files[i][1] == name]
        parts = {i: Path(os.path.abspath(files[i][0])).parts[1:] for i in group}  # no root: never the machine's path in full
        depth = len(Path(name).parts)
        while depth < max(len(p) for p in parts.values()):
            depth += 1
            names = {i: readable("/".join(parts[i][-depth:])) for i in group}
            if len(set(names.values())) == len(group) and not taken & set(names.values()):
                renamed.update(names)
                break
    return [(path, renamed.get(i, name), given) for i, (path, name, given) in enumerate(files)]
