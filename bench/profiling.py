"""cProfile of plansheet on the volume: the top functions and a per-stage breakdown."""
from __future__ import annotations

import cProfile
import pstats
import time
from dataclasses import dataclass
from pathlib import Path

from bench.speed import run_plansheet

# (label, file suffix, function name): cumulative time of these functions, one line each.
STAGES = [
    ("plansheet.extract (all)", "extractor/api.py", "extract"),
    ("read_pdf (text-layer reader)", "extractor/readers/pdf.py", "read_pdf"),
    ("  pdfplumber Page.objects (pdfminer parse)", "pdfplumber/page.py", "objects"),
    ("  pdfminer PDFPageInterpreter.process_page", "pdfminer/pdfinterp.py", "process_page"),
    ("  assess_page (text quality)", "extractor/text_quality.py", "assess_page"),
    ("  merge_rules (incl. _rules: lines, rects, curves → edges)", "extractor/readers/pdf_grid.py", "merge_rules"),
    ("  _glyph (per char dicts → Glyph)", "extractor/readers/pdf.py", "_glyph"),
    ("  build_cells", "extractor/readers/pdf.py", "build_cells"),
    ("  Page.close", "pdfplumber/page.py", "close"),
    ("drop_page_furniture", "extractor/furniture.py", "drop_page_furniture"),
    ("parse_pages (sheet grammar)", "parsers/document.py", "parse_pages"),
    ("document_rows", "extractor/tables.py", "document_rows"),
    ("write_outcome (Parquet)", "extractor/api.py", "write_outcome"),
    ("finish_output (CSV, lineage)", "extractor/finish.py", "finish_output"),
    ("  rebuild_csv", "extractor/writers.py", "rebuild_csv"),
    ("  update_lineage", "extractor/lineage.py", "update_lineage"),
    ("triage (sha256, signature)", "extractor/triage.py", "triage"),
]


@dataclass
class Profile:
    wall_s: float  # with the profiler on
    top: list[tuple[str, int, float, float]]  # (function, calls, tottime, cumtime)
    top_self: list[tuple[str, int, float, float]]
    stages: list[tuple[str, float | None]]  # (label, cumulative seconds); indented: part of the line above


def _name(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    parts = Path(filename).parts
    for anchor in ("site-packages", "main", "lib"):
        if anchor in parts:
            idx = len(parts) - 1 - parts[::-1].index(anchor)
            filename = "/".join(parts[idx + 1:])
            break
    return f"{filename}:{line}({name})"


def profile_volume(volume: Path, top_n: int = 15) -> Profile:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(run_plansheet, [volume])
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]  # {func: (cc, nc, tt, ct, callers)}
    rows = [(_name(f), nc, tt, ct) for f, (cc, nc, tt, ct, _) in entries.items()]
    top = sorted(rows, key=lambda r: -r[3])[:top_n]
    top_self = sorted(rows, key=lambda r: -r[2])[:top_n]
    stages = []
    for label, suffix, name in STAGES:
        hits = [ct for (filename, _, fn), (_, _, _, ct, _) in entries.items()
                if fn == name and filename.replace("\\", "/").endswith(suffix)]
        stages.append((label, max(hits) if hits else None))
    return Profile(wall, top, top_self, stages)
