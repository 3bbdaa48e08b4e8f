"""The part files this process has just written, kept in memory to be read back without decoding.

A merge rewrites the partitions a run touched, and the follow step (current copies, CSVs,
lineage, the flat CSV) then reads those same files again, several times: decoding them costs
more than writing them did. :func:`remember` keeps the table a part file was written from,
and :func:`recall` gives it back only while the file on disk is still that file (same inode,
size and modification time: any rewrite renames a new file into place), so a reader gets
exactly what decoding the file would give. At most ``MAX_BYTES`` are kept, the oldest dropped first.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import pyarrow as pa

MAX_BYTES = 32 << 20

_Identity = tuple[int, int, int, int]
# path → (identity, table, bytes, the keys its metadata lists)
_tables: OrderedDict[str, tuple[_Identity, pa.Table, int, list[str] | None]] = OrderedDict()
_held = 0
_lock = threading.Lock()  # the finish's steps write and read part files from several threads


def _identity(path: Path) -> _Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def forget(path: Path) -> None:
    """Drop what is kept for ``path``."""
    global _held
    with _lock:
        found = _tables.pop(str(path), None)
        if found is not None:
            _held -= found[2]


def remember(path: Path, table: pa.Table, keys: list[str] | None = None) -> None:
    """Keep ``table`` as the content of the file just written at ``path`` (as decoding it would give
    it), and ``keys``, the key list its metadata holds (:func:`recall_keys`)."""
    global _held
    forget(path)
    identity = _identity(path)
    size = table.get_total_buffer_size()  # (``nbytes`` walks the columns' slices: 100× dearer)
    if identity is None or size > MAX_BYTES:
        return
    kept = table.combine_chunks()  # one chunk per column, as a decoded file has
    with _lock:
        _tables[str(path)] = (identity, kept, size, keys)
        _held += size
        while _held > MAX_BYTES:
            _, (_, _, oldest, _) = _tables.popitem(last=False)
            _held -= oldest


def _recalled(path: Path) -> tuple[_Identity, pa.Table, int, list[str] | None] | None:
    found = _tables.get(str(path))
    if found is None:
        return None
    if _identity(path) != found[0]:
        forget(path)
        return None
    return found


def recall(path: Path) -> pa.Table | None:
    """The table ``path`` was written from by this process, if the file is still that one."""
    found = _recalled(path)
    return None if found is None else found[1]


def recall_keys(path: Path) -> list[str] | None:
    """The key list of the file this process wrote at ``path`` (as its metadata holds it), if the
    file is still that one and the list was kept."""
    found = _recalled(path)
    return None if found is None else found[3]
