"""One measured job in a fresh process; prints a JSON line with its peak RSS and time.

    python -m bench.child plansheet FILE.pdf
    python -m bench.child pdfplumber FILE.pdf
    python -m bench.child pypdfium2 FILE.pdf

Run by :mod:`bench.memory`, one process per measurement, so that each peak is the job's
own and not a high-water mark left by an earlier, bigger job.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from bench.machine import rss_high_water_mb
from bench.speed import WORKLOADS

JOBS = {"plansheet": "plansheet", "pdfplumber": "pdfplumber extract_tables", "pypdfium2": "pypdfium2 text"}


def main(argv: list[str]) -> int:
    job, path = argv
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as in bench.run: no per-glyph font warnings
    workload = WORKLOADS[JOBS[job]]
    started = time.perf_counter()
    workload([Path(path)])
    seconds = time.perf_counter() - started
    sys.stdout.write(json.dumps({"job": job, "rss_mb": rss_high_water_mb(), "seconds": seconds}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
