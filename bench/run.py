"""Run the whole bench and rewrite bench/RESULTS.md.

    .venv/bin/python -m bench.run             # full run (a few minutes)
    .venv/bin/python -m bench.run --quick     # one small file, no OCR: the smoke test's mode
    .venv/bin/python -m bench.run --only workers --repeats 5   # the --workers section alone, printed

Progress goes to stderr; the summary to stdout; the full report to ``--results`` (``--only``
prints its section and writes no report).
"""
from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench import archive, machine, memory, profiling, quality, speed, volume
from bench.report import Report, render, summary

log = logging.getLogger("bench")
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PRINTED = SAMPLES / "printed"
SCANNED = SAMPLES / "scanned"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SEED_TEXT = SAMPLES / "000_b2610523df0a2988.txt"


@dataclass(frozen=True)
class BenchConfig:
    """What to measure; the defaults are the full run, :meth:`quick` the smoke test's."""

    samples: tuple[Path, ...] = ()  # text-layer PDFs; empty: every PDF under samples/ but the scans
    volume_pages: int = 300
    rss_pages: tuple[int, ...] = (1, 10, 100, 300)
    rss_baseline_pages: tuple[int, ...] | None = None  # pdfplumber, pypdfium2 here; None: shortest and longest
    worker_parts: int = 12  # the --workers batch: this many slices of the volume …
    worker_part_pages: int = 25  # … of this many pages each (pool start-up must not dominate)
    worker_rounds: int = 5  # timed rounds of --workers 1 and 2; the speed-up is the median of their ratios
    repeats: int = 3  # the samples' rounds, the CLI jobs' and the sampled --workers pairs
    volume_repeats: int = 3  # rounds on the 300-page volume; its goal ratios are the medians of the rounds'
    accuracy_only: tuple[str, ...] | None = None  # truth file names to score; None: all
    ocr: bool = True
    workers: bool = True
    profile: bool = True
    archive_sizes: tuple[int, ...] = (100, 1_000, 10_000)  # the archive curve; the largest is judged
    archive_repeats: int = 3  # the CLI jobs; best of 2 let one slow run of either side decide a goal
    archive_timed_rounds: int = archive.TIMED_ROUNDS  # load(), pyarrow, DuckDB: this many runs a repeat
    results: Path = RESULTS

    @classmethod
    def quick(cls, results: Path) -> "BenchConfig":
        small = PRINTED / "reiwa1.cid.pdf"
        return cls(samples=(small,), volume_pages=12, rss_pages=(1, 12), rss_baseline_pages=(12,),
                   worker_parts=2, worker_part_pages=2, worker_rounds=1, repeats=1, volume_repeats=1, accuracy_only=(small.name,), ocr=False,
                   workers=False, profile=True, archive_sizes=(10, 50), archive_repeats=1, archive_timed_rounds=1,
                   results=results)


def text_layer_samples() -> list[Path]:
    """Every sample PDF read from its text layer alone: not the scans, and not a file whose truth
    says some pages are OCRed (``extraction_method`` ``mixed``), so no OCR time hides in the figures."""
    def text_layer_only(pdf: Path) -> bool:
        truth = SAMPLES / "truth" / f"{pdf.name}.json"
        if not truth.exists():
            return True
        return json.loads(truth.read_text(encoding="utf-8"))["meta"].get("extraction_method") == "text_layer"

    return sorted(p for p in SAMPLES.rglob("*.pdf") if not p.name.endswith(".scan.pdf")
                  and not {"scanned", "generate"} & set(p.parts) and text_layer_only(p))


def run_bench(config: BenchConfig, command: str) -> Report:
    report = Report(command=command, started=datetime.now(timezone.utc), machine=machine.describe(),
                    load_before=machine.load(), config=config, source=machine.source_state(ROOT))
    samples = list(config.samples) or text_layer_samples()
    with tempfile.TemporaryDirectory(prefix="plansheet-bench-") as tmp:
        vol, prefixes, parts = volume.build(samples, Path(tmp), config.volume_pages, list(config.rss_pages),
                                            config.worker_parts if config.workers else 0, config.worker_part_pages)
        report.volume_sources = [p.name for p in samples]
        log.info("volume: %d pages from %d sample PDFs", config.volume_pages, len(samples))

        archive.compile_bytecode()  # every CLI process below starts as after pip install, whatever PYTHONDONTWRITEBYTECODE says
        report.samples_speed = speed.time_workloads(samples, config.repeats)
        report.volume_speed = speed.time_workloads([vol], config.volume_repeats, warm_up=samples[:1])
        baseline_pages = config.rss_baseline_pages or (min(config.rss_pages), max(config.rss_pages))
        report.rss = memory.rss_series(prefixes, baseline_pages)
        if config.workers:
            report.workers = speed.time_workers(parts, config.worker_rounds, config.repeats)
        if config.profile:
            report.profile = profiling.profile_volume(vol)
        made_by_other_tools = [p for p in samples if p.name.split(".")[-2] in ("chromium", "libreoffice", "writer")]
        report.cli = archive.time_cli(made_by_other_tools or samples, config.repeats)
        if config.archive_sizes:
            templates = [SEED_TEXT] + (list(samples) if config.workers else [])
            report.archive = archive.measure_archive(templates, list(config.archive_sizes), config.archive_repeats,
                                                     Path(tmp) / "archive", config.archive_timed_rounds)

    report.ocr_missing = quality.ocr_available() if config.ocr else "not measured (--quick)"
    for sample, truth in quality.truth_files(list(config.accuracy_only) if config.accuracy_only else None):
        if truth["meta"]["extraction_method"] == "ocr" and report.ocr_missing:
            continue
        report.accuracy.append(quality.run_sample(sample, truth))
    if config.ocr and not report.ocr_missing:
        report.ocr_baseline = quality.plain_tesseract(sorted(SCANNED.glob("*.scan.pdf")))
        from bench import ocr_hard

        report.ocr_hard = ocr_hard.bench_section()
    report.load_after = machine.load()
    report.finished = datetime.now(timezone.utc)
    return report


def run_workers_only(config: BenchConfig, command: str) -> list[str]:
    """The ``--workers`` section of the report alone (:func:`bench.speed.time_workers` on the bench's
    workers batch, as :func:`run_bench` measures it), as Markdown lines, with the load around it."""
    from bench.cpu_phases import workers_batch
    from bench.report import _workers_section

    report = Report(command=command, started=datetime.now(timezone.utc), machine=machine.describe(),
                    load_before=machine.load(), config=config, source=machine.source_state(ROOT))
    with tempfile.TemporaryDirectory(prefix="plansheet-bench-") as tmp:
        parts = workers_batch(Path(tmp), config.worker_parts, config.worker_part_pages)
        archive.compile_bytecode()  # as run_bench: every CLI process starts as after pip install
        report.workers = speed.time_workers(parts, config.worker_rounds, config.repeats)
    report.load_after = machine.load()
    loads = " → ".join(" ".join(f"{x:.2f}" for x in load) for load in (report.load_before, report.load_after))
    return [f"`{command}` at {report.source}; load {loads}", "", *_workers_section(report)]


def write_results(report: Report, target: Path) -> None:
    """Write the report beside ``target`` under a temp name, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(render(report), encoding="utf-8")
    tmp.replace(target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one small file, no OCR, no workers: a smoke run")
    ap.add_argument("--results", type=Path, default=RESULTS, help="where to write the report (default: %(default)s)")
    ap.add_argument("--repeats", type=int, default=None, help="rounds of every timed comparison (default: 3; 5 for"
                    " --workers)")
    ap.add_argument("--volume-pages", type=int, default=None, help="pages of the generated volume (default 300)")
    ap.add_argument("--archive-sizes", default=None, help="archive curve, e.g. 100,1000,10000 (default); 0: skip")
    ap.add_argument("--only", choices=("workers",), help="measure this section alone and print it (no report written)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S",
                        stream=sys.stderr)
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)  # bench progress; plansheet's own INFO stays off
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # per-glyph font warnings would time stderr, not parsing
    config = BenchConfig.quick(args.results) if args.quick else BenchConfig(results=args.results)
    changes: dict = {}
    if args.repeats:
        changes.update(repeats=args.repeats, worker_rounds=args.repeats, volume_repeats=args.repeats)
    if args.volume_pages:
        changes["volume_pages"] = args.volume_pages
        changes["rss_pages"] = tuple(sorted({n for n in config.rss_pages if n < args.volume_pages} | {args.volume_pages}))
    if args.archive_sizes:
        changes["archive_sizes"] = tuple(int(n) for n in args.archive_sizes.split(",") if int(n) > 0)
    if changes:
        from dataclasses import replace

        config = replace(config, **changes)
    command = "python -m bench.run" + "".join(f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:]))
    started = time.perf_counter()
    if args.only == "workers":
        sys.stdout.write("\n".join(run_workers_only(config, command)) + "\n")
        return 0
    report = run_bench(config, command)
    write_results(report, config.results)
    sys.stdout.write(summary(report))
    sys.stdout.write(f"report: {config.results} ({time.perf_counter() - started:.0f}s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
