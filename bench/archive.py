"""The archive bench: does a run cost what its own files cost, or what the archive holds?

A synthetic archive of N documents is built from the sample documents: their rows copied with
new source keys (byte-varied copies: new doc_ids), spread over cities, departments and ten
fiscal years so that ``goal_lineage`` has chains to link. It is written as plansheet writes an
output (``plansheet rebuild``: bucket files, CSVs, lineage), with the ``catalog.sqlite`` an ingest
of those sources would have left (every source current and stored, in a folder the measured runs
are not given: the one-file ingest pays for the catalog it asks, not for walking and hashing the
archive's files), and beside it the same rows as one Parquet file per table, the baseline
reader's best case. Then, each in a fresh process:

* ``plansheet extract ONE --out ARCHIVE`` and ``plansheet ingest INBOX --out ARCHIVE`` (CLI end
  to end, one new text export) against the same into an empty folder;
* ``plansheet.load(ARCHIVE)`` against ``pyarrow.parquet.read_table`` of the single files, also of
  the archive after the one-file ingest (which leaves a delta file beside a large partition's base);
* a DuckDB group-by (grades per fiscal year) over the archive, and over the single file;
* the peak RSS (VmHWM) of each process.

Every archive measurement runs on a hard-linked copy of the archive (plansheet replaces
files by rename, so the original is never changed; the catalog, which SQLite writes in place, is
copied). Repeats are interleaved and the best
counts. The timed calls (load(), pyarrow, DuckDB) cost about half a second a process, so each
repeat runs them ``timed_rounds`` times, in turn one side first, then the other. Before every
measured process the page cache's dirty pages are written out (:func:`_settle`, outside every
clock): a run into the archive copies about 115 MB of CSVs at 10,000 documents, and the kernel's
writing of them back otherwise lands in whichever process runs next (bench/README.md).

    .venv/bin/python -m bench.archive --sizes 10000 --repeats 3     # this section alone
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

YEARS = 10
DEPARTMENTS = 20
TIMED_ROUNDS = 3  # the timed calls run this many times a repeat (best of repeats × this)
LOAD_AFTER_INGEST = "load() after a one-file ingest"  # the archive with the deltas a run leaves
PYTHON = sys.executable

# the child prints its peak RSS at exit, after click's sys.exit
_CLI = ("import atexit, sys, json; from bench.machine import rss_high_water_mb; "
        "atexit.register(lambda: sys.stderr.write('\\nBENCH ' + json.dumps({'rss_mb': rss_high_water_mb()}) + '\\n')); "
        "from plansheet.cli.main import main; main()")
_TIMED = """
import json, sys, time
from pathlib import Path
from bench.machine import rss_high_water_mb
job, folder = sys.argv[1], Path(sys.argv[2])
{imports}
started, cpu = time.perf_counter(), time.process_time()
{body}
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
sys.stderr.write('\\nBENCH ' + json.dumps({{'seconds': seconds, 'cpu_s': cpu, 'rss_mb': rss_high_water_mb()}}) + '\\n')
"""
JOBS = {
    # the clock times the call only: every module either side uses is imported before it
    # (pq.read_table imports pyarrow.dataset, and that imports pandas: ~0.2 s that once sat in the baseline)
    # (plansheet.load is plansheet.api.load, imported on first use: 27 million instructions, 4 % of
    # the call at 10,000 documents, sat inside the clock)
    "load()": ("import plansheet, plansheet.api, plansheet.derived.loading, pyarrow.dataset",
               "tables = plansheet.load(folder)"),
    "pyarrow single files": ("import pyarrow.parquet as pq, pyarrow.dataset",
                             "tables = {p.stem: pq.read_table(p) for p in sorted(folder.glob('*.parquet'))}"),
    "duckdb group-by": ("import duckdb", "rows = duckdb.sql(\"SELECT fiscal_year, overall_grade, count(*) AS n FROM "
                        "read_parquet('\" + {glob} + \"', hive_partitioning=true) GROUP BY ALL ORDER BY ALL\").fetchall()"),
}


@dataclass
class Measure:
    """One job on one archive size: wall seconds, CPU seconds and peak RSS of each repeat."""

    job: str
    documents: int
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # the timed call's (load, pyarrow, DuckDB) or the whole CLI's

    @property
    def best_cpu(self) -> float | None:
        return min(self.cpu_s) if self.cpu_s else None

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def rss(self) -> float:
        return max(self.rss_mb)


@dataclass
class ArchiveResult:
    sizes: list[int]
    measures: dict[tuple[str, int], Measure] = field(default_factory=dict)
    build_s: dict[int, float] = field(default_factory=dict)  # plansheet rebuild of the synthetic archive
    files: dict[int, int] = field(default_factory=dict)  # Parquet files in the archive
    rows: dict[int, int] = field(default_factory=dict)

    def get(self, job: str, size: int) -> Measure | None:
        return self.measures.get((job, size))

    def ratio(self, job: str, base: str, size: int, rss: bool = False, cpu: bool = False) -> float | None:
        a, b = self.get(job, size), self.get(base, size)
        if a is None or b is None:
            return None
        if cpu:
            return a.best_cpu / b.best_cpu if a.best_cpu and b.best_cpu else None
        return a.rss / b.rss if rss else a.best / b.best


# --- the synthetic archive ------------------------------------------------------------------------

def templates(samples: list[Path], folder: Path) -> Path:
    """Extract the sample documents once (Parquet only): the rows every synthetic document copies."""
    import plansheet
    from plansheet.settings import Settings

    out = folder / "templates"
    plansheet.extract(samples, out, Settings().with_overrides(workers=1), output_format="parquet")
    return out


def _place(i: int) -> tuple[int, int, int]:
    """Synthetic document i → (city, department, year index): ten years per department."""
    return i // (YEARS * DEPARTMENTS), (i // YEARS) % DEPARTMENTS, i % YEARS


def synthesize(template_out: Path, n: int, target: Path, single: Path) -> None:
    """Write an archive of ``n`` documents into ``target`` (then ``plansheet rebuild``) and the
    same rows as one file per table into ``single``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from plansheet.output.rows import DOCUMENT_TABLES, PARTITION, stored_schema
    from plansheet.output.writers import read_table

    tables = {name: read_table(template_out, name) for name in (*DOCUMENT_TABLES, "sources")}
    docs = tables["documents"].to_pylist()
    by_template = defaultdict(list)
    for name in DOCUMENT_TABLES:
        for index, doc_id in enumerate(tables[name].column("doc_id").to_pylist()):
            by_template[name, doc_id].append(index)
    sources = {row["source_file"]: row for row in tables["sources"].to_pylist()}
    shas = [hashlib.sha256(f"synthetic document {i}".encode()).hexdigest() for i in range(n)]
    placed = [_place(i) for i in range(n)]
    template_of = [docs[dept % len(docs)] for _, dept, _ in placed]
    out_tables: dict[str, pa.Table] = {}
    for name in DOCUMENT_TABLES:
        take, owner = [], []
        for i in range(n):
            rows = by_template[name, template_of[i]["doc_id"]]
            take += rows
            owner += [i] * len(rows)
        table = tables[name].take(pa.array(take, pa.int64()))
        table = table.set_column(table.schema.get_field_index("doc_id"), "doc_id",
                                 pa.array([shas[o][:16] + "-1" for o in owner], pa.string()))
        table = table.set_column(table.schema.get_field_index(PARTITION), PARTITION,
                                 pa.array([2014 + placed[o][2] for o in owner], pa.int32()))
        if name == "documents":
            for column, values in (
                    ("municipality", [f"合成市{placed[o][0]:03d}" for o in owner]),
                    ("department", [f"{template_of[o]['department']}{placed[o][1]:02d}" for o in owner]),
                    ("source_file", [f"archive/{placed[o][0]:03d}/{shas[o][:8]}.txt" for o in owner]),
                    ("source_sha256", [shas[o] for o in owner])):
                table = table.set_column(table.schema.get_field_index(column), column, pa.array(values, pa.string()))
        out_tables[name] = table
    source_rows = []
    for i in range(n):
        row = dict(sources[template_of[i]["source_file"]])
        row.update(source_file=f"archive/{placed[i][0]:03d}/{shas[i][:8]}.txt", source_sha256=shas[i])
        source_rows.append(row)
    out_tables["sources"] = pa.Table.from_pylist(source_rows, schema=tables["sources"].schema)
    single.mkdir(parents=True, exist_ok=True)
    for name, table in out_tables.items():  # the old layout (one file per folder): rebuild compacts it
        folder = target / "parquet" / name
        if name == "sources":
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / "synthetic.parquet")
            continue
        for year in range(2014, 2014 + YEARS):
            part = table.filter(pc.equal(table.column(PARTITION), year)).select(stored_schema(name).names)
            if part.num_rows:
                (folder / f"{PARTITION}={year}").mkdir(parents=True, exist_ok=True)
                pq.write_table(part, folder / f"{PARTITION}={year}" / "synthetic.parquet")
    from plansheet.batch.finish import rebuild_output

    rebuild_output(target)
    catalogue(target, out_tables["sources"])
    from plansheet.derived.lineage import read_lineage

    # written as plansheet writes its files (zstd, no dictionary pages), so that the comparison is
    # about the layout; the baseline reads them faster so than with dictionaries (435 against 535
    # million instructions at 10,000 documents)
    for name in out_tables:
        pq.write_table(read_table(target, name), single / f"{name}.parquet", compression="zstd", use_dictionary=False)
    pq.write_table(read_lineage(target), single / "goal_lineage.parquet", compression="zstd", use_dictionary=False)


SOURCES_FOLDER = "/srv/plansheet-bench-archive"  # where the catalog says the archive's sources are (never walked)


def catalogue(target: Path, sources: "pa.Table") -> None:
    """Write ``target/catalog.sqlite`` as an ingest of ``sources`` would have left it: each a current
    file under :data:`SOURCES_FOLDER`, converted, its rows stored under its content key, reconciled."""
    import sqlite3

    from plansheet.batch.catalog import CATALOG_NAME, Catalog

    path = target / CATALOG_NAME
    catalog = Catalog(path)  # its schema, as plansheet creates it
    run = catalog.start_run()
    catalog.close()
    stamp = "2026-11-01T00:00:00+00:00"
    db = sqlite3.connect(path)
    with db:
        for row in sources.to_pylist():
            outcome = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items() if k != "state"}
            outcome["rows"] = {}
            source, key = f"{SOURCES_FOLDER}/{row['source_file']}", row["source_sha256"][:16]
            db.execute("INSERT INTO files (source, kind, source_file, sha256, status, documents, rows, key, first_seen,"
                       " processed_at, checked_at, last_outcome, state, state_since, outcome, row_dirty, last_seen_run)"
                       " VALUES (?, 'path', ?, ?, ?, ?, '{}', ?, ?, ?, ?, 'processed', 'current', ?, ?, 0, ?)",
                       (source, row["source_file"], row["source_sha256"], row["status"], row["documents"], key, stamp,
                        stamp, stamp, stamp, json.dumps(outcome, sort_keys=True, ensure_ascii=False), run))
            db.execute("INSERT INTO contents (key, sha256, source_file, pending) VALUES (?, ?, ?, 0)",
                       (key, row["source_sha256"], row["source_file"]))
            db.execute("INSERT INTO versions (source, sha256, status, documents, first_run, first_seen)"
                       " VALUES (?, ?, ?, ?, ?, ?)", (source, row["source_sha256"], row["status"], row["documents"],
                                                      run, stamp))
        db.execute("UPDATE runs SET finished = ?, summary = '{}' WHERE id = ?", (stamp, run))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


# --- measuring ----------------------------------------------------------------------------------

def _bench_line(stderr: str) -> dict:
    for line in reversed(stderr.splitlines()):
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"the measured process printed no BENCH line: {stderr[-800:]}")


def _run(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=Path(__file__).resolve().parent.parent)
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd[:4])} … exited {done.returncode}: {done.stderr[-800:]}")
    return seconds, _bench_line(done.stderr)


def _linked_copy(archive: Path, work: Path) -> Path:
    """A copy of ``archive`` whose files are hard links, but for the catalog (SQLite writes it in place)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(archive, work, copy_function=os.link)
    for catalog in work.glob("catalog.sqlite*"):
        catalog.unlink()
        shutil.copyfile(archive / catalog.name, catalog)
    return work


def _cli(args: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, peak RSS and CPU seconds (the process and the children it waited for) of a CLI
    run that exits with one of ``ok``."""
    cpu = _children_cpu_s()
    seconds, info = _run([PYTHON, "-c", _CLI, *args], ok=ok)
    return seconds, info["rss_mb"], _children_cpu_s() - cpu


def _timed(job: str, folder: Path, glob: str = "") -> tuple[float, float, float]:
    """Wall seconds, peak RSS and CPU seconds of one timed call in a fresh process."""
    imports, body = JOBS[job]
    code = _TIMED.format(imports=imports, body=body.replace("{glob}", repr(glob)))
    _, info = _run([PYTHON, "-c", code, job, str(folder)])
    return info["seconds"], info["rss_mb"], info["cpu_s"]


def _settle() -> None:
    """Write the page cache's dirty pages out before a measured process starts (outside its clock):
    the kernel writes back what a process wrote some seconds later, on these same two cores, so
    that a run into the archive (its CSVs copied, about 115 MB at 10,000 documents) would
    otherwise slow whichever process came next (bench/README.md)."""
    os.sync()


def measure_archive(samples: list[Path], sizes: list[int], repeats: int, folder: Path,
                    timed_rounds: int = TIMED_ROUNDS) -> ArchiveResult:
    """Build an archive of each size and measure every job on it, repeats interleaved (after
    :func:`compile_bytecode`); the timed calls run ``timed_rounds`` times a repeat."""
    result = ArchiveResult(sizes)
    template_out = templates(samples, folder)
    seed = next(p for p in samples if p.suffix == ".txt")
    one = folder / "inbox" / "one.txt"
    one.parent.mkdir(parents=True, exist_ok=True)
    one.write_bytes(seed.read_bytes() + b"\n\n")  # a byte-varied copy: a source the archives do not hold

    def add(job: str, size: int, seconds: float, rss: float, cpu: float) -> None:
        m = result.measures.setdefault((job, size), Measure(job, size))
        m.seconds.append(seconds)
        m.rss_mb.append(rss)
        m.cpu_s.append(cpu)

    for size in sizes:
        archive, single = folder / f"archive-{size}", folder / f"single-{size}"
        started = time.perf_counter()
        synthesize(template_out, size, archive, single)
        result.build_s[size] = time.perf_counter() - started
        _settle()  # the archive and its 115 MB of CSVs (at 10,000 documents) written out before any clock
        result.files[size] = sum(1 for _ in (archive / "parquet").rglob("*.parquet"))
        result.rows[size] = sum(pq_rows(p) for p in single.glob("*.parquet"))
        log.info("archive of %d documents: %d Parquet files, built in %.1fs", size, result.files[size],
                 result.build_s[size])
        work = folder / "work"
        for rep in range(repeats):
            for into in ("empty", "archive"):
                for command in ("extract", "ingest"):
                    target = _linked_copy(archive, work) if into == "archive" else work
                    if into == "empty":
                        shutil.rmtree(work, ignore_errors=True)
                    args = [command, str(one if command == "extract" else one.parent), "--out", str(target)]
                    _settle()
                    add(f"{command} one file into {into}", size, *_cli(args))
            # ``work`` is the archive after the one-file ingest just measured: at 10,000 documents its
            # partitions of that year hold a delta file beside their base (docs/batch.md)
            timed = [("load()", "load()", archive, ""), ("pyarrow single files", "pyarrow single files", single, ""),
                     (LOAD_AFTER_INGEST, "load()", work, ""),
                     ("duckdb group-by", "duckdb group-by", archive,
                      str(archive / "parquet" / "goals" / "*" / "*.parquet")),
                     ("duckdb group-by, single file", "duckdb group-by", single, str(single / "goals.parquet"))]
            for turn in range(timed_rounds):  # each side first in turn: neither always follows the other
                _settle()
                for name, job, where, glob in timed[::-1] if (rep * timed_rounds + turn) % 2 else timed:
                    add(name, size, *_timed(job, where, glob))
            log.info("archive of %d: repeat %d done", size, rep + 1)
        shutil.rmtree(work, ignore_errors=True)
    return result


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


# --- the CLI on a batch of text-layer PDFs --------------------------------------------------------

@dataclass
class CliResult:
    """Wall seconds of each repeat, and CPU seconds: the CLI's (its process and the children it
    waits for, so not a pool's workers) and pdfplumber's (this process)."""

    files: int
    pages: int
    cli_s: list[float] = field(default_factory=list)
    plumber_s: list[float] = field(default_factory=list)
    cli_cpu_s: list[float] = field(default_factory=list)
    plumber_cpu_s: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return min(self.plumber_s) / min(self.cli_s)

    @property
    def ratio_cpu(self) -> float | None:
        if not self.cli_cpu_s or not self.plumber_cpu_s:
            return None
        return min(self.plumber_cpu_s) / min(self.cli_cpu_s)


def _children_cpu_s() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_bytecode() -> None:
    """Compile plansheet's modules to bytecode, as ``pip install`` does (and as Python does on the
    first run of an editable install): where ``PYTHONDONTWRITEBYTECODE`` is set and the checkout
    has none, every CLI process would compile its ~70 modules again (about 0.08 CPU-s)."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("extractor", "parsers"):
        compileall.compile_dir(root / package, quiet=1)


def time_cli(samples: list[Path], repeats: int) -> CliResult:
    """``plansheet extract SAMPLES --out TMP`` end to end (a fresh process) against pdfplumber
    ``extract_tables()`` on the same PDFs in this process, repeats interleaved (after
    :func:`compile_bytecode`)."""
    from bench.speed import WORKLOADS, count_pages

    result = CliResult(len(samples), count_pages(samples))
    WORKLOADS["pdfplumber extract_tables"](samples[:1])  # imports and caches, as for every workload
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-cli-") as out:
            seconds, _rss, cpu = _cli(["extract", *map(str, samples), "--out", out], ok=(0, 1))
            result.cli_cpu_s.append(cpu)
        result.cli_s.append(seconds)
        started, cpu = time.perf_counter(), time.process_time()
        WORKLOADS["pdfplumber extract_tables"](samples)
        result.plumber_s.append(time.perf_counter() - started)
        result.plumber_cpu_s.append(time.process_time() - cpu)
        log.info("CLI %d PDFs: %.2fs; pdfplumber %.2fs", len(samples), result.cli_s[-1], result.plumber_s[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """This section alone: build the archives, measure, print every job's runs and the ratios."""
    import argparse

    from bench.machine import load
    from bench.run import SEED_TEXT, text_layer_samples

    ap = argparse.ArgumentParser(prog="python -m bench.archive", description=main.__doc__)
    ap.add_argument("--sizes", default="100,1000,10000", help="documents in each archive (default: %(default)s)")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the CLI jobs (default: %(default)s)")
    ap.add_argument("--timed-rounds", type=int, default=TIMED_ROUNDS,
                    help="runs of each timed call a repeat (default: %(default)s)")
    args = ap.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    before = load()
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="plansheet-archive-") as tmp:
        result = measure_archive([SEED_TEXT, *text_layer_samples()], sizes, args.repeats, Path(tmp), args.timed_rounds)
    for n in sizes:
        for (job, size), m in result.measures.items():
            if size == n:
                print(f"{n:>6} {job:30} best {m.best:.3f} s  CPU {m.best_cpu:.3f} s  {m.rss:.0f} MB  runs "
                      + " ".join(f"{s:.3f}" for s in m.seconds))
        print(f"{n:>6} ingest archive ÷ empty {result.ratio('ingest one file into archive', 'ingest one file into empty', n):.2f}×"
              f" (CPU {result.ratio('ingest one file into archive', 'ingest one file into empty', n, cpu=True):.2f}×);"
              f" extract {result.ratio('extract one file into archive', 'extract one file into empty', n):.2f}×;"
              f" load() ÷ pyarrow {result.ratio('load()', 'pyarrow single files', n):.2f}×"
              f" (CPU {result.ratio('load()', 'pyarrow single files', n, cpu=True):.2f}×);"
              f" after a one-file ingest {result.ratio(LOAD_AFTER_INGEST, 'pyarrow single files', n):.2f}×"
              f" (CPU {result.ratio(LOAD_AFTER_INGEST, 'pyarrow single files', n, cpu=True):.2f}×)")
    print("load average before " + ", ".join(f"{x:.2f}" for x in before) + "; after " + ", ".join(f"{x:.2f}" for x in load()))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
