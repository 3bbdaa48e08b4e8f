"""Preloaded by a pool's fork server (and imported by nothing else): the server ends with the batch's
process that started it, as its workers end with the server (:mod:`plansheet.batch.parent_death`).

A worker is armed as the server forks it, not once it has started: a worker's start (importing what it
runs) takes seconds on a loaded machine, and a server gone by then would leave it reading on."""
from __future__ import annotations

import os

from plansheet.batch.parent_death import die_with_parent

SERVER = os.getpid()

die_with_parent(os.getppid())
os.register_at_fork(after_in_child=lambda: die_with_parent(SERVER))
