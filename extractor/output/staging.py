"""Staged changes: what a run has converted but not yet merged into the dataset.

Each converted file is written at once as one *entry* under ``OUT/state/staging/``: a folder
``<seq>-<key>`` holding ``entry.json`` (the kind) and one Arrow IPC file per table with rows.
The folder is written under a ``.tmp-`` name and renamed into place, so an entry is either
whole or absent; a run killed at any moment leaves only whole entries, which the next run
merges (:func:`plansheet.output.dataset.apply_staged`). ``seq`` orders the entries: for one
key the latest entry wins.

Kinds: ``replace`` (the key's rows in every table are the entry's rows), ``sources`` (only
the key's ``sources`` row is replaced; ingest's "unchanged, skipped") and ``remove`` (the
key's rows go from every table; ingest's old version of a changed file).
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

STATE = "state"
STAGING = "staging"
REPLACE, SOURCES, REMOVE = "replace", "sources", "remove"
_counter = itertools.count()


def staging_dir(out: Path) -> Path:
    """``OUT/state/staging``: the entries not yet merged."""
    return out / STATE / STAGING


@dataclass(frozen=True)
class Entry:
    """One staged entry: its folder, order, key and kind."""

    path: Path
    seq: int
    key: str
    kind: str

    def tables(self) -> dict[str, pa.Table]:
        """The entry's rows per table (tables without rows are absent; a column it lacks is null)."""
        from plansheet.output.writers import laid_out, read_file, read_schema

        found = {}
        for path in sorted(self.path.iterdir()):
            if path.suffix == ".arrow":
                with pa.memory_map(str(path)) as source:
                    found[path.stem] = laid_out(pa.ipc.open_file(source).read_all(), read_schema(path.stem))
            elif path.suffix == ".parquet":  # staged by an earlier plansheet
                found[path.stem] = read_file(path, read_schema(path.stem))
        return found


def _next_seq() -> int:
    return time.time_ns() * 1000 + next(_counter) % 1000


def stage(out: Path, key: str, kind: str, tables: dict[str, pa.Table] | None = None) -> Path:
    """Write one entry atomically (a temp folder renamed into place); return its folder."""
    folder = staging_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    seq = _next_seq()
    tmp = folder / f".tmp-{os.getpid()}-{seq:024d}-{key}"
    tmp.mkdir()
    try:
        for name, table in (tables or {}).items():
            if table.num_rows:  # Arrow IPC: read once by the merge, so no encoding to pay (Parquet: 10× dearer)
                with pa.OSFile(str(tmp / f"{name}.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
        (tmp / "entry.json").write_text(json.dumps({"key": key, "kind": kind}), encoding="utf-8")
        target = folder / f"{seq:024d}-{key}"
        os.rename(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def entries(out: Path) -> list[Entry]:
    """The whole staged entries, oldest first (temp folders of a killed run are left out)."""
    folder = staging_dir(out)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.name.startswith(".") or not path.is_dir():
            continue
        seq, _, key = path.name.partition("-")
        meta = json.loads((path / "entry.json").read_text(encoding="utf-8"))
        found.append(Entry(path, int(seq), key, meta["kind"]))
    return sorted(found, key=lambda e: e.seq)


def staged_keys(out: Path) -> set[str]:
    """The keys with an entry not yet merged."""
    return {e.key for e in entries(out)}


def drop(done: list[Entry]) -> None:
    """Delete merged entries."""
    for entry in done:
        shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_temps(out: Path) -> int:
    """Delete the temp folders of runs that are gone (killed while staging)."""
    folder = staging_dir(out)
    removed = 0
    if folder.is_dir():
        for path in folder.glob(".tmp-*"):
            pid = path.name.split("-")[1]
            if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
