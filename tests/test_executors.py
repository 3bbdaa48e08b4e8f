"""Executors: a worker that hangs, dies or runs out of memory costs its own file only."""
from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

import plansheet
from plansheet.batch.executors import ProcessExecutor, Task, make_runner, run_sequential, run_task
from plansheet.settings import Settings

from conftest import SAMPLES, SEED
# the work the pools here run: in a module that imports little, as a fork server's worker imports it
# before its first file (this one, with pytest and pandas, took 6-8 s at load 13, past a 10 s timeout)
from fork_probe import faulty, gone, waits_for_the_other_worker, where_it_ran

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def seed_copies(folder: Path, names: Iterable[str]) -> list[Path]:
    """The seed export copied into ``folder`` under each of ``names``, in that order."""
    files = [folder / name for name in names]
    for target in files:
        target.write_bytes(SEED.read_bytes())
    return files


@pytest.fixture()
def batch(tmp_path: Path) -> list[Path]:
    return seed_copies(tmp_path, ("a.txt", "hang.txt", "b.txt", "hog.txt", "crash.txt", "c.txt"))


@pytest.mark.slow
def test_faults_cost_their_own_file_only(batch: list[Path]) -> None:
    run = ProcessExecutor(workers=2, timeout_s=10, max_memory_mb=3072, work=faulty)  # roomy: good files on a loaded machine
    outcomes = {o.result.source_file: o for o in run(batch, Settings())}
    assert set(outcomes) == {p.as_posix() for p in batch}
    by_stem = {Path(name).stem: o.result for name, o in outcomes.items()}
    for good in "abc":
        assert by_stem[good].status.value == "ok" and by_stem[good].documents == 1
    hang, hog, crash = by_stem["hang"], by_stem["hog"], by_stem["crash"]
    assert (hang.status.value, hang.error_stage) == ("failed", "read")
    assert "worker killed after 10 s timeout" in hang.error and "--timeout" in hang.error
    assert "worker ran out of memory (cap 3072 MB)" in hog.error and hog.error_stage == "read"
    assert "worker died (signal SIGSEGV)" in crash.error
    for failed in (hang, hog, crash):
        assert failed.sha256 and failed.sha256 == by_stem["a"].sha256  # same bytes: the row is keyed by content
        assert "\n" not in failed.error
    assert outcomes[batch[1].as_posix()].result.to_row()["error"] == hang.error


def test_processes_give_what_sequential_gives(tmp_path: Path) -> None:
    files = [SEED, SAMPLES / "workbooks" / "seed.xlsx", SAMPLES / "printed" / "seed.cid.pdf"]
    settings = Settings(workers=2)
    sequential = {o.result.source_file: o.documents for o in run_sequential(files, settings)}
    parallel = {o.result.source_file: o.documents for o in make_runner("processes", settings)(files, settings)}
    assert parallel == sequential


def test_extract_writes_each_file_as_it_finishes(tmp_path: Path) -> None:
    from plansheet.output.dataset import key_is_stored
    from plansheet.output.staging import staged_keys
    from plansheet.output.writers import source_key

    files = [SEED, SAMPLES / "workbooks" / "seed.xlsx"]
    seen: list[bool] = []

    def on_result(result: plansheet.SourceResult) -> None:  # on disk: staged, or merged early by the pool's tail
        seen.append(key_is_stored(tmp_path, source_key(result.source_file)))

    plansheet.extract(files, tmp_path, Settings(workers=2), runner=ProcessExecutor(workers=2), on_result=on_result)
    assert seen == [True, True]
    assert not staged_keys(tmp_path) and len(plansheet.load(tmp_path)["sources"]) == 2


RUN_COLUMNS = ["seconds", "extracted_at"]  # how long a file took and when: they differ from run to run


def _contents(out: Path) -> dict[str, object]:
    """Every Parquet file and CSV of an output: bytes, but the ``sources`` rows without :data:`RUN_COLUMNS`."""
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    found: dict[str, object] = {}
    for path in sorted((out / "parquet").rglob("*.parquet")) + sorted((out / "csv").glob("*.csv")):
        name = path.relative_to(out).as_posix()
        if "sources" in path.parts or path.name == "sources.csv":
            table = pq.read_table(path) if path.suffix == ".parquet" else pv.read_csv(path)
            found[name] = table.drop_columns(RUN_COLUMNS).to_pylist()
        else:
            found[name] = path.read_bytes()
    return found


@pytest.mark.slow
def test_one_worker_two_workers_and_in_process_write_the_same_bytes(tmp_path: Path) -> None:
    """The order files finish in, and the merge a pool starts while its last files run, change nothing."""
    copy = tmp_path / "inputs" / "a-copy-of-the-seed.txt"  # the same bytes under a second name
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    files = [SEED, copy, *sorted((SAMPLES / "lineage").glob("*.pdf")), SAMPLES / "workbooks" / "result.xlsx",
             SAMPLES / "printed" / "seed.cid.pdf", SAMPLES / "printed" / "sidebyside.cid.pdf"]
    outputs = {}
    for label, runner in (("1 worker", ProcessExecutor(workers=1)), ("2 workers", ProcessExecutor(workers=2)),
                          ("in process", run_sequential)):
        out = tmp_path / label
        results = plansheet.extract(files, out, Settings(workers=2), runner=runner)
        assert len(results) == len(files)
        outputs[label] = _contents(out)
    one = outputs["1 worker"]
    assert len([n for n in one if n.endswith(".parquet")]) > 20 and "csv/goal_lineage.csv" in one
    for label in ("2 workers", "in process"):
        assert sorted(outputs[label]) == sorted(one), label
        for name in one:
            assert outputs[label][name] == one[name], (label, name)


@pytest.mark.slow
def test_the_cli_writes_the_same_bytes_with_forked_workers_a_forked_helper_and_in_process(tmp_path: Path) -> None:
    """The CLI in a fresh process, where the workers fork from it: the same bytes as in process."""
    import subprocess
    import sys

    copy = tmp_path / "inputs" / "a-copy-of-the-seed.txt"
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    files = [SEED, copy, *sorted((SAMPLES / "lineage").glob("*.pdf")), SAMPLES / "workbooks" / "result.xlsx",
             SAMPLES / "printed" / "seed.cid.pdf", SAMPLES / "printed" / "sidebyside.cid.pdf"]
    runs = {"in process": (["--executor", "sequential"], ""),
            "1 worker": (["--executor", "processes", "--workers", "1"], "workers forked from this process"),
            "2 workers": (["--executor", "processes", "--workers", "2"], "workers forked from this process"),
            "small batch": (["--workers", "2"], "read by this process and one forked worker")}
    outputs = {}
    for label, (options, says) in runs.items():
        out = tmp_path / label
        done = subprocess.run([sys.executable, "-c", "from plansheet.cli.main import main; main()", "extract",
                               *map(str, files), "--out", str(out), "-v", *options],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        assert says in done.stderr, (label, done.stderr[-2000:])
        outputs[label] = _contents(out)
    one = outputs["in process"]
    assert len([n for n in one if n.endswith(".parquet")]) > 20 and "csv/goal_lineage.csv" in one
    for label in runs:
        assert sorted(outputs[label]) == sorted(one), label
        for name in one:
            assert outputs[label][name] == one[name], (label, name)


def test_a_pool_hands_out_the_largest_files_first(tmp_path: Path) -> None:
    from plansheet.batch.executors import largest_first

    sizes = {"small.txt": 10, "big.txt": 3000, "middle.txt": 200, "also-middle.txt": 200}
    tasks = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        tasks.append(Task.of(tmp_path / name))
    assert [t.path.name for t in largest_first(tasks)] == ["big.txt", "middle.txt", "also-middle.txt", "small.txt"]
    # pages counted when the batch was weighed go before sizes
    assert [t.path.name for t in largest_first(tasks, [5, 1, 2, 9])] == ["also-middle.txt", "small.txt",
                                                                         "middle.txt", "big.txt"]


def test_the_idle_task_runs_once_every_file_is_handed_out(tmp_path: Path, monkeypatch) -> None:
    from plansheet.batch import executors

    monkeypatch.setattr(executors, "usable_cores", lambda: 4)  # a core to spare even on a small machine
    files = seed_copies(tmp_path, (f"{i}.txt" for i in range(5)))
    handed_over: list[str] = []
    idle_after: list[int] = []
    with executors.while_idle(lambda: idle_after.append(len(handed_over))):
        for outcome in ProcessExecutor(workers=2)(files, Settings()):
            handed_over.append(outcome.result.source_file)
    assert sorted(handed_over) == sorted(f.as_posix() for f in files)
    # never before the last file was handed out (5 files, 2 at a time: 3 outcomes in), never twice for one outcome
    assert idle_after and min(idle_after) >= 3 and len(idle_after) == len(set(idle_after))


def test_a_worker_with_nothing_left_to_read_exits_while_another_reads(tmp_path: Path) -> None:
    """Once every file is handed out, an idle worker is told to exit at once, not when the last
    file is in: its exit runs beside the rest of the run instead of before the caller's finish."""
    files = seed_copies(tmp_path, ("slow.txt", "quick.txt"))
    outcomes = list(ProcessExecutor(workers=2, work=waits_for_the_other_worker)(files, Settings()))
    assert sorted(o.result.status.value for o in outcomes) == ["ok", "ok"]
    assert (tmp_path / "slow.saw").read_text() == "exited"


def test_a_small_batch_does_not_wait_for_its_worker_to_exit(tmp_path: Path) -> None:
    """The forked worker of a small batch says when the queue is empty; this process then goes on
    (to write and finish), and the worker's exit runs beside that instead of before it."""
    files = seed_copies(tmp_path, (f"{i}.txt" for i in range(4)))
    found = _probe("small-slow-exit", files)
    assert sorted(row["status"] for row in found["outcomes"]) == ["ok"] * 4
    assert list(tmp_path.glob("worker-*")), "the forked worker read no file"
    deadline = time.monotonic() + 30
    while not (tmp_path / "worker-exit").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "worker-exit").read_text() == "after"


@pytest.mark.slow
def test_a_pooled_cli_run_writes_without_importing_pandas_or_numpy(tmp_path: Path) -> None:
    """The parent imports pyarrow while its workers start, without numpy, and settles pyarrow's
    pandas probe before writing; a second run into the same output (the incremental finish:
    current copies, CSVs and lineage beside stored rows) needs neither, and writes what a run in
    process writes."""
    import subprocess
    import sys

    code = ("import atexit, sys; atexit.register(lambda: print('pandas' in sys.modules, 'numpy' in sys.modules)); "
            "from plansheet.cli.main import main; main()")
    first = [SAMPLES / "printed" / "seed.cid.pdf", SAMPLES / "workbooks" / "result.xlsx", SEED]
    second = sorted((SAMPLES / "lineage").glob("*.pdf"))
    for out, options in (("pool", ["--executor", "processes", "--workers", "2"]), ("in process", ["--executor", "sequential"])):
        for files in (first, second):
            done = subprocess.run([sys.executable, "-c", code, "extract", *map(str, files), "--out", str(tmp_path / out),
                                   *options], capture_output=True, text=True, timeout=300)
            assert done.returncode in (0, 1), done.stderr
            if out == "pool":
                assert done.stdout.splitlines()[-1] == "False False"
    pool, in_process = _contents(tmp_path / "pool"), _contents(tmp_path / "in process")
    assert "csv/goal_lineage.csv" in pool and sorted(pool) == sorted(in_process)
    for name in pool:
        assert pool[name] == in_process[name], name
    assert len(plansheet.load(tmp_path / "pool")["sources"]) == 6


def test_scheduler_needs_dask() -> None:
    with pytest.raises(plansheet.errors.PlansheetError, match="--executor dask"):
        make_runner("processes", Settings(), scheduler="tcp://127.0.0.1:8786")


def test_a_small_batch_runs_in_this_process_and_a_large_one_in_workers(tmp_path: Path, monkeypatch) -> None:
    from plansheet.batch import executors

    pdf = SAMPLES / "printed" / "seed.cid.pdf"
    small = [SEED, pdf]
    assert executors.batch_work([Task.of(p) for p in small], Settings()) == 1 + 7  # a text export, 7 PDF pages
    run = executors.AutoExecutor(workers=2, work=where_it_ran)
    four = [*small, SAMPLES / "workbooks" / "seed.xlsx", SAMPLES / "printed" / "result.cid.pdf"]
    forkable = executors.can_fork()  # False once pytest has loaded pyarrow: tests/fork_probe.py runs the forked path
    pids = {o.result.error for o in run(four, Settings())}
    # this process reads, beside one worker forked from it when it can fork
    assert pids == {str(os.getpid())} if not forkable else (str(os.getpid()) in pids and len(pids) == 2)
    alone = executors.AutoExecutor(workers=1, work=where_it_ran)
    assert {o.result.error for o in alone(small, Settings())} == {str(os.getpid())}
    monkeypatch.setattr(executors, "IN_PROCESS_WORK", 7)  # the same batch, now "large"
    pids = {o.result.error for o in run(small, Settings())}
    assert str(os.getpid()) not in pids and len(pids) >= 1


def test_ocr_pages_weigh_more_when_deciding(tmp_path: Path) -> None:
    from plansheet.batch.executors import batch_work
    from plansheet.settings import OcrMode

    pdf = [Task.of(SAMPLES / "printed" / "seed.cid.pdf")]
    assert batch_work(pdf, Settings(ocr_mode=OcrMode.ALWAYS)) == 20 * batch_work(pdf, Settings(ocr_mode=OcrMode.NEVER))


def test_a_heavy_text_pdf_is_not_weighed_as_a_scan() -> None:
    """A short PDF that embeds its fonts is as heavy a page as a scan; its first page tells them apart."""
    from plansheet.batch.executors import OCR_PAGE, SCAN_BYTES_PER_PAGE, batch_work

    text = SAMPLES / "printed" / "reiwa1.chromium.pdf"
    scan = SAMPLES / "scanned" / "seed.scan.pdf"
    assert text.stat().st_size > 4 * SCAN_BYTES_PER_PAGE  # 4 pages, heavier than the size rule allows
    assert batch_work([Task.of(text)], Settings()) == 4
    assert batch_work([Task.of(scan)], Settings()) == 7 * OCR_PAGE
    # a batch already over the limit by its page count starts workers: no page is loaded to weigh it
    assert batch_work([Task.of(scan)], Settings(), limit=6) == 7


def test_the_document_weighed_in_process_is_the_one_read_while_the_file_is_unchanged(tmp_path: Path) -> None:
    """A heavy PDF's first page is loaded to weigh it; the reader takes that document (fonts parsed once)."""
    import shutil

    from plansheet.batch.executors import _weigh
    from plansheet.readers.pdf import pdfium
    from plansheet.readers.pdf.reader import read_pdf

    heavy = tmp_path / "heavy.pdf"
    shutil.copy(SAMPLES / "printed" / "result.chromium.pdf", heavy)
    fresh = read_pdf(heavy, Settings())
    assert _weigh([Task.of(heavy)], Settings(), keep_open=True) == (True, [5])
    assert set(pdfium._kept) == {heavy}
    assert read_pdf(heavy, Settings()) == fresh and not pdfium._kept  # taken by the reader
    _weigh([Task.of(heavy)], Settings(), keep_open=True)
    shutil.copy(SAMPLES / "printed" / "seed.chromium.pdf", heavy)  # replaced before it is read
    assert read_pdf(heavy, Settings()) == read_pdf(SAMPLES / "printed" / "seed.chromium.pdf", Settings())
    _weigh([Task.of(heavy)], Settings(), keep_open=True)
    pdfium.close_kept()
    assert not pdfium._kept and read_pdf(heavy, Settings()).page_count == 7


def test_in_process_a_file_past_its_timeout_fails_alone(tmp_path: Path) -> None:
    hang = tmp_path / "hang.txt"
    hang.write_bytes(SEED.read_bytes())
    outcomes = list(run_sequential([hang, SEED], Settings(), where_it_ran, timeout_s=1))
    assert outcomes[0].result.status.value == "failed" and "stopped after 1 s timeout" in outcomes[0].result.error
    assert outcomes[1].result.status.value == "ok"


# --- workers forked from this process (in a fresh interpreter: see tests/fork_probe.py) --------

def _probe(mode: str, files: list[Path]) -> dict:
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(Path(__file__).with_name("fork_probe.py")), mode, *map(str, files)],
                          capture_output=True, text=True, timeout=110)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["could_fork"]  # a fresh interpreter runs one thread
    return found


def _who(row: dict) -> tuple[int, int]:
    pid, ppid = row["error"].split()
    return int(pid), int(ppid)


@pytest.mark.slow
def test_forked_workers_cost_their_own_file_only(batch: list[Path]) -> None:
    """Workers forked from this process: a hang, an exhausted memory cap and a crash fail their own
    file. The workers that replace them start from a fork server (this process runs threads by then)."""
    found = _probe("pool", batch)
    by_stem = {Path(row["file"]).stem: row for row in found["outcomes"]}
    assert sorted(by_stem) == sorted(p.stem for p in batch)
    for good in "abc":
        assert by_stem[good]["status"] == "ok" and by_stem[good]["documents"] == 1
        assert _who(by_stem[good])[0] != found["pid"]
    pid, ppid = _who(by_stem["a"])  # the first file, read by one of the first workers
    assert ppid == found["pid"]  # forked by the pool's process, not by a fork server
    assert "worker killed after 10 s timeout" in by_stem["hang"]["error"]
    assert "worker ran out of memory (cap 3072 MB)" in by_stem["hog"]["error"]
    assert "worker died (signal SIGSEGV)" in by_stem["crash"]["error"]


@pytest.mark.slow
def test_a_pool_refusing_numpy_replaces_a_dead_worker_from_a_fork_server(batch: list[Path]) -> None:
    """Once a pool's process refuses numpy (the CLI's extract, once its workers have forked), a
    worker that replaces one that died is not forked from it, even while it runs one thread: the
    worker would inherit the refusal and could not OCR. The first workers forked before it."""
    found = _probe("pool-refusing-numpy", batch)
    assert found["numpy_refused"] is True
    by_stem = {Path(row["file"]).stem: row for row in found["outcomes"]}
    for good in "abc":
        assert by_stem[good]["status"] == "ok" and by_stem[good]["documents"] == 1
    assert _who(by_stem["a"])[1] == found["pid"]  # a first worker
    assert "worker ran out of memory (cap 3072 MB)" in by_stem["hog"]["error"]  # numpy in a first worker
    assert "worker died (signal SIGSEGV)" in by_stem["crash"]["error"]
    assert _who(by_stem["c"])[1] != found["pid"]  # after the crash: a replacement, from the fork server


@pytest.mark.slow
def test_a_small_batch_is_read_by_this_process_and_one_forked_worker(tmp_path: Path) -> None:
    pdf = SAMPLES / "printed" / "seed.cid.pdf"
    files = [pdf, SEED, SAMPLES / "workbooks" / "seed.xlsx", SAMPLES / "printed" / "result.cid.pdf",
             SAMPLES / "printed" / "reiwa1.cid.pdf", SAMPLES / "workbooks" / "result.xlsx"]
    found = _probe("small", files)
    assert sorted(row["file"] for row in found["outcomes"]) == sorted(p.name for p in files)
    assert all(row["status"] == "ok" and row["documents"] == 1 for row in found["outcomes"])
    processes = {_who(row) for row in found["outcomes"]}
    here = [p for p in processes if p[0] == found["pid"]]
    forked = [p for p in processes if p[0] != found["pid"]]
    assert here and len(forked) == 1 and forked[0][1] == found["pid"]  # both read; the other is this one's child
    alone = _probe("small-one-worker", files)  # --workers 1: one file at a time, in this process
    assert {_who(row)[0] for row in alone["outcomes"]} == {alone["pid"]}


@pytest.mark.slow
@pytest.mark.parametrize(("fault", "says"), [("crash", "worker died (signal SIGSEGV)"),
                                             ("hang", "worker killed after 10 s timeout"),
                                             ("hog", "worker ran out of memory (cap 3072 MB)")])
def test_in_a_small_batch_the_forked_worker_fails_its_own_file_only(tmp_path: Path, monkeypatch, fault: str,
                                                                     says: str) -> None:
    """The forked worker crashes, hangs or exhausts its memory cap on the first file it takes:
    that file fails, and this process reads every other file."""
    # enough that the worker takes one before this process has read them all
    files = seed_copies(tmp_path, (f"{name}.txt" for name in "abcdefghijkl"))
    monkeypatch.setenv("PROBE_FAULT", fault)
    found = _probe("small-faulty-worker", files)
    rows = found["outcomes"]
    assert sorted(row["file"] for row in rows) == sorted(p.name for p in files)
    failed = [row for row in rows if row["status"] == "failed"]
    assert len(failed) == 1 and says in failed[0]["error"] and failed[0]["error"].startswith(str(tmp_path))
    assert all(row["status"] == "ok" and row["documents"] == 1 for row in rows if row not in failed)


@pytest.mark.slow
def test_a_progress_bar_starts_after_the_workers_fork(tmp_path: Path) -> None:
    """A bar draws from a thread of its own; the pool forks first, then the bar starts."""
    found = _probe("bar", [SEED, SAMPLES / "workbooks" / "seed.xlsx", SAMPLES / "printed" / "seed.cid.pdf"])
    assert {_who(row)[1] for row in found["outcomes"]} == {found["pid"]}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _hanging_probe(tmp_path: Path, mode: str, output: int, slow_start: bool = False) -> "subprocess.Popen[bytes]":
    """tests/fork_probe.py in ``mode`` on four files that all hang, in a session of its own; with
    ``slow_start``, each worker takes 3 s to start (``PROBE_SLOW_START``)."""
    import subprocess
    import sys

    files = [str(p) for p in seed_copies(tmp_path, (f"hang{i}.txt" for i in range(4)))]
    env = {**os.environ, "PROBE_SLOW_START": "1", "PROBE_MARKS": str(tmp_path)} if slow_start else None
    return subprocess.Popen([sys.executable, str(Path(__file__).with_name("fork_probe.py")), mode, *files],
                            stdout=output, stderr=output, start_new_session=True, env=env)


def _marked_workers(probe: "subprocess.Popen[bytes]", marks: Path, mark: str, count: int,
                    from_server: bool = False) -> list[int]:
    """The probe's processes once ``count`` of its workers (its children, or with ``from_server`` its fork
    server's) have each left ``mark``-PID in ``marks``: ``asleep`` in a hanging file, or ``starting``. Every
    child of the probe (fork server, resource tracker) and every worker found is given."""
    deadline = time.monotonic() + 90
    while True:
        children = _children(probe.pid)
        workers = [w for server in children for w in _children(server)] if from_server else children
        if sum((marks / f"{mark}-{pid}").exists() for pid in workers) >= count:
            return sorted({*children, *workers})
        assert time.monotonic() < deadline and probe.poll() is None, f"no {count} workers left {mark}-PID"
        time.sleep(0.05)


def _asleep_workers(probe: "subprocess.Popen[bytes]", mode: str, marks: Path) -> list[int]:
    """The probe's forked workers (two in a pool, one beside it in a small batch), once each is asleep in
    a hanging file."""
    return _marked_workers(probe, marks, "asleep", 2 if mode == "pool" else 1)


def _all_gone(workers: list[int]) -> bool:
    """True once every one of ``workers`` has ended (waiting up to 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(gone(pid) for pid in workers):
        time.sleep(0.1)
    return all(gone(pid) for pid in workers)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["pool", "small"])
def test_a_parent_killed_alone_leaves_no_worker_behind(tmp_path: Path, mode: str) -> None:
    """SIGKILL to this process only (the OOM killer, ``kill -9 PID``) while every file hangs: its forked
    workers die with it (``die_with_parent``). Before, a small batch's worker read the queue on, and
    every worker held the output lock's descriptor, so the next nightly run was refused as locked."""
    import subprocess

    probe = _hanging_probe(tmp_path, mode, subprocess.DEVNULL)
    _killed_alone_ends(probe, lambda: _asleep_workers(probe, mode, tmp_path))


def _killed_alone_ends(probe: "subprocess.Popen[bytes]", find: Callable[[], list[int]]) -> None:
    """SIGKILL the probe alone once ``find`` gives the processes that must end with it; they all end."""
    pids: list[int] = []
    try:
        pids = find()
        os.kill(probe.pid, signal.SIGKILL)
        probe.wait(timeout=20)
        assert _all_gone(pids), pids
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if probe.poll() is None:
            os.killpg(probe.pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_parent_killed_alone_takes_its_fork_server_and_the_servers_workers_with_it(tmp_path: Path) -> None:
    """Review: a replacement worker starts from a fork server, and the server's workers died with the
    server only, which lived on after the batch's process was killed (its workers reading on). The
    server now preloads plansheet.batch.fork_server_guard: it ends with the process that started it."""
    import subprocess

    probe = _hanging_probe(tmp_path, "pool-forkserver", subprocess.DEVNULL)
    _killed_alone_ends(probe, lambda: _marked_workers(probe, tmp_path, "asleep", 2, from_server=True))


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["pool", "pool-forkserver"])
def test_a_parent_killed_while_its_workers_start_leaves_none_behind(tmp_path: Path, mode: str) -> None:
    """Killed while its workers are still starting (on a loaded machine a fork server's worker spends
    seconds importing what it runs), the batch's process leaves no worker reading on. A worker had asked
    for its parent's death signal only once started, of whichever process was its parent by then: with
    the batch's process (or the fork server) gone, init, so the worker read the file it had been sent."""
    import subprocess

    probe = _hanging_probe(tmp_path, mode, subprocess.DEVNULL, slow_start=True)
    _killed_alone_ends(probe, lambda: _marked_workers(probe, tmp_path, "starting", 2,
                                                      from_server=mode == "pool-forkserver"))


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["pool", "small"])
def test_ctrl_c_stops_this_process_and_kills_its_forked_workers(tmp_path: Path, mode: str) -> None:
    """Ctrl-C (SIGINT to the process group) while every file hangs: the run ends at once and no
    forked worker is left behind (the workers ignore SIGINT; this process kills them)."""
    import subprocess

    probe = _hanging_probe(tmp_path, mode, subprocess.PIPE)
    try:
        workers = _asleep_workers(probe, mode, tmp_path)
        os.killpg(probe.pid, signal.SIGINT)
        probe.wait(timeout=20)
        assert probe.returncode != 0
        assert b"KeyboardInterrupt" in probe.stderr.read()  # type: ignore[union-attr]
        assert _all_gone(workers), workers
    finally:
        if probe.poll() is None:
            os.killpg(probe.pid, signal.SIGKILL)


def test_a_worker_that_cannot_start_is_tried_again_and_then_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Review: a fork server killed while a replacement worker started (its end not yet seen here) raised
    EOFError out of the pool and ended the whole run. Starting is tried again; while other workers are busy
    the files wait for them; with none, the run stops with an error saying what to do."""
    from plansheet.batch import executors
    from plansheet.errors import PlansheetError

    pool = executors.ProcessExecutor(workers=2, work=executors.run_task)
    monkeypatch.setattr(executors.time, "sleep", lambda s: None)
    tries: list[int] = []

    def flaky(ctx: object) -> str:
        tries.append(1)
        if len(tries) < 3:
            raise EOFError("unexpected EOF")
        return "worker"

    monkeypatch.setattr(pool, "_start", flaky)
    assert pool._start_retrying(None, []) == "worker" and len(tries) == 3  # type: ignore[arg-type]

    def broken(ctx: object) -> str:
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(pool, "_start", broken)
    assert pool._start_retrying(None, ["busy"]) is None  # type: ignore[arg-type, list-item]
    with pytest.raises(PlansheetError, match="no worker process could start .* run the same command again"):
        pool._start_retrying(None, [])  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_fork_server_worker_logs_as_the_process_that_started_it(tmp_path: Path) -> None:
    """Review: a worker a fork server starts runs none of the CLI's set-up, so its -v/-vv lines were lost
    (and its warnings came out unformatted). It sets up the starting process's level and format."""
    import subprocess
    import sys

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from plansheet.batch.executors import ProcessExecutor, Task\n"
        "from plansheet.settings import Settings\n"
        "logging.basicConfig(level=logging.DEBUG, format='%(levelname)s %(name)s: %(message)s', stream=sys.stderr)\n"
        "pool = ProcessExecutor(workers=1, timeout_s=60, context='forkserver')\n"
        f"print([o.result.status.value for o in pool([Task(Path({str(broken)!r}), 'broken.pdf')], Settings())])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "['failed']"
    assert "DEBUG plansheet.pipeline.stages: broken.pdf failed" in done.stderr


def test_the_idle_task_is_told_when_an_outcome_is_waiting(tmp_path: Path, monkeypatch) -> None:
    """The early merge runs while the last worker reads; it asks :func:`outcome_waiting` between tables,
    which says when that worker's outcome is in (and says nothing outside a pool's idle task)."""
    from plansheet.batch import executors

    monkeypatch.setattr(executors, "usable_cores", lambda: 4)
    files = seed_copies(tmp_path, (f"{i}.txt" for i in range(3)))
    seen: list[bool] = []

    def idle() -> None:  # as the early merge does: stop as soon as the rest of the run can go on
        deadline = time.monotonic() + 60
        while not executors.outcome_waiting() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(executors.outcome_waiting())

    assert not executors.outcome_waiting()
    with executors.while_idle(idle):
        outcomes = list(ProcessExecutor(workers=2)(files, Settings()))
    assert len(outcomes) == 3 and seen and all(seen)
    assert not executors.outcome_waiting()
