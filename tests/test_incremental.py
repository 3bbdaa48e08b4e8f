"""A run updates only what it touched, and that gives the bytes a full rebuild gives.

Batches of samples are extracted and ingested one after another into one folder (new files,
a file run again, a changed file replacing its old version, a Parquet-only run); after
each the folder is copied and the copy rebuilt whole (``plansheet rebuild``): every Parquet
file and every CSV must be the same bytes. A reader watching the dataset while a merge
renames its files never sees a row twice nor a source's old and new rows together.
"""
from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner

import plansheet
from plansheet.batch.ingest import ingest
from plansheet.cli.main import main
from plansheet.errors import DiskFullError
from plansheet.output import dataset
from plansheet.output.rows import TABLES
from plansheet.settings import Settings

from conftest import SAMPLES, SEED
from truth import reader_problems

LINEAGE = sorted((SAMPLES / "lineage").glob("*.pdf"))
WORKBOOKS = sorted((SAMPLES / "workbooks").glob("*.xlsx"))


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for folder in ("parquet", "csv") for p in sorted((out / folder).rglob("*")) if p.is_file()}


def _assert_rebuild_gives_the_same_bytes(out: Path, tmp_path: Path, fmt: str = "both") -> None:
    copy = tmp_path / "rebuilt"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    result = CliRunner().invoke(main, ["rebuild", str(copy), "--format", fmt])
    assert result.exit_code == 0, result.output
    incremental, full = _files(out), _files(copy)
    assert sorted(incremental) == sorted(full)
    for name in incremental:
        assert incremental[name] == full[name], name


@pytest.fixture(params=["one step at a time", "side by side"])
def finish_threads(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run a test with the finish's steps one after another, and again on threads (which the
    finish uses only for large CSVs: these outputs are small, so the threshold is set to 0)."""
    from plansheet.batch import finish

    threads = 1 if request.param == "one step at a time" else finish.SIDE_BY_SIDE
    monkeypatch.setattr(finish, "SIDE_BY_SIDE_FROM_BYTES", 0 if threads > 1 else 1 << 62)
    monkeypatch.setattr(finish, "usable_cores", lambda: 2)
    return threads


def test_runs_one_after_another_equal_a_full_rebuild(tmp_path: Path, finish_threads: int) -> None:
    out = tmp_path / "out"
    settings = Settings(workers=1)
    plansheet.extract([LINEAGE[0]], out, settings)
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)
    plansheet.extract([SEED, *WORKBOOKS[:2]], out, settings)
    plansheet.extract([LINEAGE[2]], out, settings)  # lineage 2021 → 2023: the department's chain changes
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)
    plansheet.extract([LINEAGE[1], SEED], out, settings)  # the gap filled; the seed again
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)
    plansheet.extract(WORKBOOKS[2:], out, settings, output_format="parquet")  # the CSVs fall behind …
    plansheet.extract([LINEAGE[1]], out, settings)  # … and are written whole by the next run
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)
    assert len(plansheet.load(out, copies="all")["documents"]) == 3 + 1 + len(WORKBOOKS)


def test_a_changed_file_replaces_its_rows_as_in_a_rebuild(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SAMPLES / "printed" / "seed.writer.pdf", inbox / "plan.pdf")
    shutil.copy(LINEAGE[0], inbox / "lineage.pdf")
    ingest(out, [inbox], settings=Settings(workers=1))
    # same name, new bytes of the same sheet (another sheet under the name is added: test_review3_archive)
    shutil.copy(SAMPLES / "printed" / "seed.libreoffice.pdf", inbox / "plan.pdf")
    ingest(out, [inbox], settings=Settings(workers=1))
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)
    documents = plansheet.load(out, copies="all")["documents"]
    assert sorted(documents["fiscal_year"].tolist()) == [2021, 2023]
    held = {p.name: p.read_bytes() for p in inbox.iterdir()}
    assert set(documents["source_sha256"]) == {hashlib.sha256(b).hexdigest() for b in held.values()}


def test_a_new_year_of_a_department_rewrites_only_the_lineage_years_whose_chains_change(tmp_path: Path) -> None:
    """The department's 2023 sheet links to its 2022 one: the 2021 lineage file holds the same rows
    and is left as it is (not read and written again); every file equals a rebuild's."""
    out = tmp_path / "out"
    settings = Settings(workers=1)
    plansheet.extract(LINEAGE[:2], out, settings)
    years = {int(p.parent.name.partition("=")[2]): p for p in (out / "parquet" / "goal_lineage").rglob("*.parquet")}
    assert sorted(years) == [2021, 2022]
    before = {year: path.stat().st_ino for year, path in years.items()}
    plansheet.extract([LINEAGE[2]], out, settings)
    assert years[2021].stat().st_ino == before[2021]  # the same file: not rewritten
    assert (out / "parquet" / "goal_lineage" / "fiscal_year=2023" / "lineage.parquet").exists()
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)


def test_a_run_leaves_the_files_whose_bytes_it_would_not_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """datapackage.json changes only with plansheet's version, and a run's own new documents are
    noted in finish.json by the merge already: neither is written again by the follow step."""
    from plansheet.batch import finish

    out = tmp_path / "out"
    plansheet.extract([SEED], out, Settings(workers=1))
    package = (out / "datapackage.json").stat().st_ino
    saved: list[str] = []
    save = finish.save_pending

    def counted(out: Path, touched: dataset.Touched) -> None:
        saved.append(touched.to_json())
        save(out, touched)

    monkeypatch.setattr(finish, "save_pending", counted)
    plansheet.extract([LINEAGE[0]], out, Settings(workers=1))  # a new sheet: current at once
    assert (out / "datapackage.json").stat().st_ino == package
    assert saved == []  # the merge's own notes are dataset.save_pending's, not the follow step's
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)


def test_rebuild_converts_an_output_written_one_file_per_source(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plansheet.extract([SEED, *LINEAGE], out, Settings(workers=1))
    expected = {n: plansheet.load(out)[n] for n in TABLES if n != "sources"}
    for name in TABLES:  # the old layout: one file per source, named by its key
        folder = out / "parquet" / name
        for part in list(folder.rglob("part-*.parquet")):
            table = part.parent / "x.parquet"
            part.rename(table)
            for key in dataset.file_keys(table):
                keep = dataset.row_keys(name, dataset.pq.read_table(table))
                rows = dataset.pq.read_table(table).filter(pa.array([k == key for k in keep]))
                dataset.pq.write_table(rows, part.parent / f"{key}.parquet")
            table.unlink()
    assert dataset.is_legacy(out)
    plansheet.extract([LINEAGE[0]], out, Settings(workers=1))  # any run converts it
    assert not dataset.is_legacy(out)
    tables = plansheet.load(out)
    for name, frame in expected.items():
        assert tables[name].equals(frame), name


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """After every part file a merge writes, check what a reader of the plain directory sees."""
    problems: list[str] = []
    write_part = dataset.write_part
    one_at_a_time = threading.Lock()  # the tables are merged side by side: each write and its check at once

    def check(path: Path, name: str, table: object, *args: object) -> None:
        with one_at_a_time:
            write_and_look(path, name, table, *args)

    def write_and_look(path: Path, name: str, table: object, *args: object) -> None:
        write_part(path, name, table, *args)  # type: ignore[arg-type]
        out = path.parents[3] if name != "sources" else path.parents[2]
        problems.extend(f"{p} after writing {path.name}" for p in reader_problems(out))

    monkeypatch.setattr(dataset, "write_part", check)
    return problems


def test_a_reader_never_sees_a_row_twice_nor_old_and_new_rows_together(tmp_path: Path, watched: list[str],
                                                                        finish_threads: int) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for n, pdf in enumerate(LINEAGE):
        shutil.copy(pdf, inbox / f"sheet{n}.pdf")
    ingest(out, [inbox], settings=Settings(workers=1))
    for n, pdf in enumerate(LINEAGE):  # every file changes: each sheet re-posted with new bytes (another sheet under
        (inbox / f"sheet{n}.pdf").write_bytes(pdf.read_bytes() + b"\n%%v2\n")  # a name is added: test_review3_archive)
    ingest(out, [inbox], settings=Settings(workers=1))
    assert watched == []
    documents = plansheet.load(out)["documents"]
    assert len(documents) == 3 and documents["doc_id"].is_unique
    assert pc.count_distinct(ds.dataset(out / "parquet" / "documents").to_table().column("source_file")).as_py() == 3


def test_a_follow_step_failing_beside_the_others_fails_the_run_and_the_next_run_finishes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finish_threads: int) -> None:
    """The CSVs, the flat CSV and the lineage follow the merge side by side: a step that fails in
    its thread fails the run (the others end first), and ``finish.json`` makes the next run do it."""
    from plansheet.batch import finish
    from plansheet.output import csvs

    out = tmp_path / "out"
    settings = Settings(workers=1)
    plansheet.extract([LINEAGE[0]], out, settings)
    update = csvs.update_table_csv

    def disk_full_on_goals(out: Path, name: str, *args: object) -> None:
        if name == "goals":
            raise OSError(28, "No space left on device")
        update(out, name, *args)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(finish.csvs, "update_table_csv", disk_full_on_goals)
        with pytest.raises(DiskFullError):
            plansheet.extract([LINEAGE[1], SEED], out, settings)
    assert (out / "state" / dataset.PENDING).exists()
    assert _csv_rows(out, "goals") < ds.dataset(out / "parquet" / "goals").count_rows()  # behind the dataset
    assert _csv_rows(out, "targets") == ds.dataset(out / "parquet" / "targets").count_rows()  # its step ended
    plansheet.extract([LINEAGE[2]], out, settings)  # the next run also writes the goals of the run that failed
    assert not (out / "state" / dataset.PENDING).exists()
    assert _csv_rows(out, "goals") == ds.dataset(out / "parquet" / "goals").count_rows()
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)


def test_a_run_that_dies_once_the_current_copies_are_written_leaves_their_csv_work_noted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two more printings of one sheet make another copy current: the documents' part files are
    rewritten, and the run dies once they are in place. The CSV work they owe is noted before any
    of them changes (once written, a value no longer shows as a change, and the first copy's
    ``is_current`` would stay True in the CSV for good): the next run's CSVs equal a rebuild's."""
    from plansheet.batch import finish

    out, inbox = tmp_path / "out", tmp_path / "inbox"
    inbox.mkdir()
    printed = SAMPLES / "printed"
    shutil.copy(printed / "reiwa1.writer.pdf", inbox)
    ingest(out, [inbox], settings=Settings(workers=1))
    for name in ("reiwa1.cid.pdf", "reiwa1.reportlab.pdf"):
        shutil.copy(printed / name, inbox)
    mark_current = finish.mark_current

    def dies_after(*args: object, **kwargs: object) -> object:
        mark_current(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(finish, "mark_current", dies_after)
        with pytest.raises(DiskFullError):
            ingest(out, [inbox], settings=Settings(workers=1))
    assert (out / "state" / dataset.PENDING).exists()
    ingest(out, [inbox], settings=Settings(workers=1))  # nothing new: the finish only
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)


def _csv_rows(out: Path, name: str) -> int:
    import pyarrow.csv as pcsv

    return pcsv.read_csv(out / "csv" / f"{name}.csv", parse_options=pcsv.ParseOptions(newlines_in_values=True)).num_rows


@pytest.mark.parametrize("seed", range(6))
def test_a_few_new_csv_chunks_are_put_where_a_sort_would_put_them(seed: int) -> None:
    """A CSV's new layout: a few new chunks searched into the old index (kept as slices), the rest
    sorted; either way every kept chunk and every new one in (order, chunk) order, offsets summed."""
    import random

    from plansheet.output import csvs

    rng = random.Random(seed)
    orders = [f"部{rng.randrange(5)}\0{rng.randrange(2014, 2018)}" for _ in range(60)]  # ties in order
    rows = sorted((o, f"{rng.getrandbits(64):016x}", rng.randrange(1, 900)) for o in orders)
    offsets = [3 + sum(length for _, _, length in rows[:i]) for i in range(len(rows))]
    old = csvs.Index(b"h", pa.table({"chunk": [c for _, c, _ in rows], "order": [o for o, _, _ in rows],
                                     "offset": offsets, "length": [n for _, _, n in rows]}))
    replaced = rng.sample(rows, 2)  # changed chunks: same id, maybe another order
    gone = {c for _, c, _ in rng.sample(rows, rng.randrange(0, 4))} | {c for _, c, _ in replaced}
    for count in (1, 3, csvs._INSERTED_AT_MOST + 3):  # searched in, and sorted in
        new = sorted([(rng.choice(orders + ["部9\x002020", ""]), f"{rng.getrandbits(64):016x}", b"x" * rng.randrange(1, 50))
                      for _ in range(count - 1)] + [(replaced[0][0], replaced[0][1], b"changed")])
        layout = csvs._layout(old, gone, new, 10)
        expected = sorted([(o, c, off, n) for (o, c, n), off in zip(rows, offsets) if c not in gone]
                          + [(o, c, None, len(d)) for o, c, d in new])
        assert list(zip(*(layout.column(k).to_pylist() for k in ("order", "chunk", "source", "length")))) == expected
        ends = [10 + sum(n for *_, n in expected[:i + 1]) for i in range(len(expected))]
        assert layout.column("offset").to_pylist() == [e - n for e, (*_, n) in zip(ends, expected)]
        fresh = [i for i in layout.column("new").to_pylist() if i is not None]
        assert sorted(fresh) == list(range(len(new))) and [new[i][1] for i in fresh] == [c for o, c, d in new]



@pytest.mark.parametrize("cores, csv_bytes, pools", [(1, 1 << 40, []), (2, 0, []), (2, 1 << 40, [2, 1])])
def test_the_finish_takes_threads_only_on_two_cores_for_large_csvs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int, csv_bytes: int, pools: list[int]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from plansheet.batch import finish
    from plansheet.output import csvs, steps

    made: list[int] = []

    class Counted(ThreadPoolExecutor):
        def __init__(self, workers: int, **kwargs: object) -> None:
            made.append(workers)
            super().__init__(workers, **kwargs)  # type: ignore[arg-type]

    out = tmp_path / "out"
    plansheet.extract([LINEAGE[0]], out, Settings(workers=1))
    monkeypatch.setattr(finish, "usable_cores", lambda: cores)
    monkeypatch.setattr(finish, "_csv_bytes", lambda out: csv_bytes)
    monkeypatch.setattr(steps, "ThreadPoolExecutor", Counted)
    monkeypatch.setattr(csvs, "ThreadPoolExecutor", Counted)
    plansheet.extract([LINEAGE[1], SEED], out, Settings(workers=1))
    assert made == pools  # the merge's two threads, then the one that writes the CSVs
    _assert_rebuild_gives_the_same_bytes(out, tmp_path)


def test_every_failed_finish_step_is_said() -> None:
    """A step's failure is raised once all have ended (the first), the others logged; when another
    error ends the finish (mark_current), the steps' failures are logged, not lost behind it."""
    from plansheet.output.steps import InThisThread, log_failures, results

    pool = InThisThread()

    def fails(name: str) -> None:
        raise OSError(28, f"No space left on device: {name}")

    steps = [pool.submit(fails, "goals"), pool.submit(lambda: None), pool.submit(fails, "targets")]
    said: list[str] = []
    with pytest.raises(OSError, match="goals"):
        results(steps, said.append)
    assert len(said) == 1 and "targets" in said[0]
    said.clear()
    log_failures(steps, said.append)
    assert [("goals" in s, "targets" in s) for s in said] == [(True, False), (False, True)]
