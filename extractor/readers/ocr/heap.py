"""Page-sized buffers kept by the C heap from one OCR page to the next instead of mapped afresh.

The OCR reader makes about a dozen page-sized arrays a page (the grey page, its Otsu mask, the
turned page and its mask, the ruling masks and the openings behind them, the erased page, the ink
mask): 8.75 MB each for an A4 page at 300 dpi. glibc's malloc gives blocks that large from the
heap only after a block of that size was freed, and hands freed heap above its trim threshold
(twice that block) back to the system, so a page's buffers are mapped again for the next page and
the kernel zero-fills every one of their pages at first touch: on the held-out hard scans (30
pages) 0.8 of the reader's 4 CPU-s outside the engine were system time, 0.25–0.3 with the two
thresholds fixed as below (bench/README.md). The results are byte-equal (only where the memory
comes from changes); the peak RSS barely moves (the kept buffers are the ones the page in hand
used), a process that has read a scan may keep up to :data:`TRIM_THRESHOLD` of freed heap.
"""
from __future__ import annotations

import ctypes
import logging
import platform

log = logging.getLogger(__name__)

# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# blocks up to this size come from the heap: an A3 page at 300 dpi is 17.5 MB (glibc's own ceiling
# for the adaptive threshold on 64-bit systems, so accepted by every version)
MMAP_THRESHOLD = 32 << 20
# freed heap up to this much stays with the process (a 300-dpi page's buffers are ~100 MB)
TRIM_THRESHOLD = 256 << 20

_DONE: list[bool] = []


def keep_page_buffers() -> bool:
    """Once per process, on glibc: let freed page buffers be reused rather than unmapped and mapped
    again. True when the thresholds are (now or already) set; False elsewhere (musl, macOS, Windows:
    nothing to do there, results are the same either way)."""
    if _DONE:
        return _DONE[0]
    ok = False
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        try:
            mallopt = ctypes.CDLL(None).mallopt
            mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
            # the mmap threshold first: setting either one stops glibc adapting the other
            ok = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
        except (OSError, AttributeError):
            log.debug("mallopt not available", exc_info=True)
    _DONE.append(ok)
    return ok
