"""Preloaded by a pool's fork server (and imported by nothing else): the server ends with the batch's
process that started it, as its workers end with the server (:mod:`plansheet.batch.parent_death`)."""
from __future__ import annotations

import os

from plansheet.batch.parent_death import die_with_parent

die_with_parent(os.getppid())
