"""Processes of a batch that die with the process that started them (Linux ``PR_SET_PDEATHSIG``).

A pool's fork server preloads :mod:`plansheet.batch.fork_server_guard`, which calls :func:`die_with_parent`:
the server then ends with the batch's process, and the workers it forks end with the server, so a batch
process killed on its own (SIGKILL, the OOM killer) leaves nothing reading on. A worker that learns of
its parent's end from its pipe first (:func:`parent_gone_quietly`) ends without a word.
"""
from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent(parent: int) -> None:
    """Linux: have this process killed when ``parent``, the process that started it, ends. A parent
    killed on its own (SIGKILL, the OOM killer) then leaves no worker reading on, holding the output
    lock's descriptor, so the next run is not refused as locked. Elsewhere: nothing."""
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the call could take effect
        os._exit(1)


@contextmanager
def parent_gone_quietly() -> Iterator[None]:
    """A worker's loop: when the process it talks to is gone (its pipe closed or reset: killed, or the
    OOM killer), end quietly. The kernel closes a dead process's pipes before it signals its children,
    so a worker waiting on its pipe sees ``ConnectionResetError`` (or, sending, ``BrokenPipeError``)
    before the ``SIGKILL`` of :func:`die_with_parent`; nobody is left to read a traceback but the log."""
    try:
        yield
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return
