"""Staged changes: what a run has converted but not yet merged into the dataset.

Each converted file is written at once as one *entry* under ``OUT/state/staging/``: a file
``<seq>-<key>.staged`` holding a line that says what it is, a JSON line (the key, the kind, and
the tables with rows and their lengths) and then each of those tables as an Arrow IPC stream.
The file is written under a ``.tmp-`` name and renamed into place, so an entry is either whole
or absent; a run killed at any moment leaves only whole entries, which the next run merges
(:func:`plansheet.output.dataset.apply_staged`). ``seq`` orders the entries: for one key the
latest entry wins. One file an entry, not a folder of one file per table: on ext4 creating,
renaming and deleting the ten files and folders a converted file staged cost the process
writing them about 2.5 ms of CPU, on a core its workers could use; one file costs 0.5 ms.
Entries an earlier plansheet left as folders (``entry.json`` and a file per table, Arrow IPC
or Parquet) are merged too.

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
SUFFIX = ".staged"
MAGIC = b"plansheet staged entry 1\n"  # the first line of an entry file
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
        if not self.path.is_dir():
            data = pa.py_buffer(self.path.read_bytes())
            offset, header = _header(data.slice(0, min(data.size, _HEADER_MAX)).to_pybytes())
            for name, size in header["tables"]:
                stream = pa.ipc.open_stream(data.slice(offset, size))
                found[name] = laid_out(stream.read_all(), read_schema(name))
                offset += size
            return found
        for path in sorted(self.path.iterdir()):  # an entry an earlier plansheet staged as a folder
            if path.suffix == ".arrow":
                with pa.memory_map(str(path)) as source:
                    found[path.stem] = laid_out(pa.ipc.open_file(source).read_all(), read_schema(path.stem))
            elif path.suffix == ".parquet":  # staged by an earlier plansheet
                found[path.stem] = read_file(path, read_schema(path.stem))
        return found


def _next_seq() -> int:
    return time.time_ns() * 1000 + next(_counter) % 1000


_HEADER_MAX = 1 << 16  # the first two lines of an entry file fit in this many bytes


def _header(head: bytes) -> tuple[int, dict]:
    """Where the tables of an entry file start, and its JSON line, from the file's first bytes."""
    if not head.startswith(MAGIC):
        raise ValueError("not a staged entry of plansheet")
    end = head.index(b"\n", len(MAGIC)) + 1
    return end, json.loads(head[len(MAGIC):end])


def stage(out: Path, key: str, kind: str, tables: dict[str, pa.Table] | None = None) -> Path:
    """Write one entry atomically (a temp file renamed into place); return its path."""
    folder = staging_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    seq = _next_seq()
    streams = []
    for name, table in (tables or {}).items():
        if table.num_rows:  # Arrow IPC: read once by the merge, so no encoding to pay (Parquet: 10× dearer)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            streams.append((name, sink.getvalue()))
    header = json.dumps({"key": key, "kind": kind, "tables": [[name, buf.size] for name, buf in streams]})
    tmp = folder / f".tmp-{os.getpid()}-{seq:024d}-{key}"
    target = folder / f"{seq:024d}-{key}{SUFFIX}"
    try:
        with open(tmp, "xb") as fh:
            fh.write(MAGIC + header.encode("utf-8") + b"\n")
            for _, buf in streams:
                fh.write(buf)
        os.rename(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def entries(out: Path) -> list[Entry]:
    """The whole staged entries, oldest first (temp folders of a killed run are left out)."""
    folder = staging_dir(out)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue
        if path.name.endswith(SUFFIX):
            with open(path, "rb") as fh:
                _, meta = _header(fh.read(_HEADER_MAX))
        elif path.is_dir():  # staged by an earlier plansheet
            meta = json.loads((path / "entry.json").read_text(encoding="utf-8"))
        else:
            continue
        found.append(Entry(path, int(path.name.partition("-")[0]), meta["key"], meta["kind"]))
    return sorted(found, key=lambda e: e.seq)


def staged_keys(out: Path) -> set[str]:
    """The keys with an entry not yet merged."""
    return {e.key for e in entries(out)}


def drop(done: list[Entry]) -> None:
    """Delete merged entries."""
    for entry in done:
        _remove(entry.path)


def _remove(path: Path) -> None:
    """Delete an entry's file, or the folder an earlier plansheet staged it as."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


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
            _remove(path)
            removed += 1
    return removed
