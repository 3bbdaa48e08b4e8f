"""Peak RSS by document length: each measurement in a fresh ``python -m bench.child`` process."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RssPoint:
    job: str
    pages: int
    rss_mb: float
    seconds: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def measure(job: str, pdf: Path, pages: int) -> RssPoint:
    done = subprocess.run([sys.executable, "-m", "bench.child", job, str(pdf)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {job} {pdf.name} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    point = RssPoint(job, pages, data["rss_mb"], data["seconds"])
    log.info("%s on %d pages: peak RSS %.0f MB, %.2fs", job, pages, point.rss_mb, point.seconds)
    return point


def rss_series(prefixes: dict[int, Path], baseline_pages: tuple[int, ...]) -> list[RssPoint]:
    """plansheet at every length; pdfplumber and pypdfium2 at ``baseline_pages`` lengths."""
    points = [measure("plansheet", pdf, n) for n, pdf in sorted(prefixes.items())]
    for job in ("pdfplumber", "pypdfium2"):
        points += [measure(job, prefixes[n], n) for n in baseline_pages if n in prefixes]
    return points
