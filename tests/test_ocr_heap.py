"""The OCR reader's page buffers come back from the heap, not from fresh mappings (readers/ocr/heap.py)."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# allocate and fill six 10 MB buffers (a page's worth), free them, three times; print the minor page faults
# of the last round, when every buffer could come from memory the process already had
_ROUNDS = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from plansheet.readers.ocr.heap import keep_page_buffers
    assert keep_page_buffers()
for k in range(3):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    pages = [np.full(10 << 20, k, dtype=np.uint8) for _ in range(6)]
    del pages
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _last_round_faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _ROUNDS, mode], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's")
def test_page_buffers_are_reused_not_mapped_again() -> None:
    mapped = _last_round_faults("default")
    kept = _last_round_faults("keep")
    assert mapped >= 30  # 60 MB touched afresh: a fault per page (per 2 MB one with huge pages) at least
    assert kept * 10 < mapped
