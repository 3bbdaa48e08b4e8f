"""A large partition takes a run's new sources in a small delta file beside its base, and is
folded (base and delta written as one base of the next generation, swapped in with the partition's
folder in one ``renameat2(RENAME_EXCHANGE)``) when the delta grows or a run removes rows from the
base. The thresholds are lowered here so that the samples' small partitions behave as large ones.

What must hold at every step: a reader of the plain directory never sees a row twice nor a
source's old and new rows together (checked after every file written and every swap); a reader
that listed a partition before a fold finds its files gone after it (never the new base beside
the old delta); a run killed at any step of a fold loses nothing; re-ingesting replaces exactly a
source's rows; the base is not rewritten by a run of new sources; and ``plansheet rebuild`` agrees
(the CSVs and ``goal_lineage`` byte for byte, each partition's rows in their sorted order)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import plansheet
from plansheet.batch.finish import rebuild_output
from plansheet.batch.ingest import ingest
from plansheet.output import dataset
from plansheet.output.rows import TABLES
from plansheet.settings import Settings

from conftest import ROOT, SAMPLES, SEED
from truth import reader_problems

LINEAGE = sorted((SAMPLES / "lineage").glob("*.pdf"))
SETTINGS = Settings(workers=1)


def _data_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.parquet"))


def _partition_rows(folder: Path, name: str) -> pa.Table:
    """A partition's rows (every data file of it), in the order a base file keeps them."""
    files = [folder / f for f in _data_files(folder)]
    table = pa.concat_tables([pq.read_table(p, partitioning=None) for p in files])
    return table.sort_by([(c, "ascending") for c in dataset.sort_order(name)])


def assert_rebuild_agrees(out: Path, tmp: Path) -> None:
    """A copy rebuilt whole has the same CSVs and lineage files byte for byte, and the same rows in
    each partition (a run may leave a base and a delta where the rebuild writes one file)."""
    copy = tmp / "rebuilt"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    rebuild_output(copy)
    for csv in sorted((out / "csv").glob("*.csv")):
        assert csv.read_bytes() == (copy / "csv" / csv.name).read_bytes(), csv.name
    lineage = sorted(p.relative_to(out) for p in (out / "parquet" / "goal_lineage").rglob("*.parquet"))
    assert lineage == sorted(p.relative_to(copy) for p in (copy / "parquet" / "goal_lineage").rglob("*.parquet"))
    for relative in lineage:
        assert (out / relative).read_bytes() == (copy / relative).read_bytes(), relative
    for name in TABLES:
        folders = [out / "parquet" / name] if name == "sources" else sorted((out / "parquet" / name).glob("fiscal_year=*"))
        rebuilt = [copy / "parquet" / name] if name == "sources" else sorted((copy / "parquet" / name).glob("fiscal_year=*"))
        assert [f.name for f in folders] == [f.name for f in rebuilt], name
        for mine, theirs in zip(folders, rebuilt):
            assert _partition_rows(mine, name).equals(_partition_rows(theirs, name)), (name, mine.name)
            if name != "sources" and _data_files(mine) == ["part-0.parquet"]:  # the same layout: the same bytes
                assert (mine / "part-0.parquet").read_bytes() == (theirs / "part-0.parquet").read_bytes()


def _no_fold_left(out: Path) -> bool:
    folds = out / "state" / dataset.FOLD
    return not folds.exists() or not any(folds.iterdir())


@pytest.fixture
def small_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every partition takes a delta file; none is folded for its size."""
    monkeypatch.setattr(dataset, "DELTA_FROM_ROWS", 1)
    monkeypatch.setattr(dataset, "DELTA_SHARE", 1e-4)  # folded once it holds 10,000 times its base


class Problems(list):
    """What a reader saw wrong, in the outputs ``outs`` watched."""

    outs: set[Path]


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> Problems:
    """After every data file written and every partition swapped, what a reader sees is checked."""
    problems = Problems()
    problems.outs = set()
    lock = threading.Lock()
    write_part, exchange = dataset.write_part, dataset._exchange
    outs = problems.outs

    def look(out: Path, after: str) -> None:
        problems.extend(f"{p} after {after}" for p in reader_problems(out))

    def write_and_look(path: Path, name: str, table: object, *args: object) -> object:
        with lock:
            written = write_part(path, name, table, *args)  # type: ignore[arg-type]
            for out in outs:
                if path.is_relative_to(out):
                    look(out, f"writing {path.relative_to(out)}")
            return written

    def exchange_and_look(a: Path, b: Path) -> None:
        with lock:
            exchange(a, b)
            look(b.parents[2], f"swapping {b.name}")

    monkeypatch.setattr(dataset, "write_part", write_and_look)
    monkeypatch.setattr(dataset, "_exchange", exchange_and_look)
    return problems


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "seed.txt")
    for n, pdf in enumerate(LINEAGE):
        shutil.copy(pdf, inbox / f"sheet{n}.pdf")
    return inbox


def test_new_sources_go_to_a_delta_a_changed_one_is_replaced_and_folds_keep_every_row(
        tmp_path: Path, small_is_large: None, watched: Problems) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    watched.outs.add(out)
    ingest(out, [inbox], settings=SETTINGS)
    goals = out / "parquet" / "goals" / "fiscal_year=2023"
    assert _data_files(goals) == ["part-0.parquet"]  # a first run into an empty folder: bases only
    base = (goals / "part-0.parquet").read_bytes()

    # a new source (the seed's sheet, other bytes) goes to a delta; the base is not rewritten
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["delta-0.parquet", "part-0.parquet"]
    assert (goals / "part-0.parquet").read_bytes() == base
    assert len(dataset.file_keys(goals / "delta-0.parquet")) == 1
    assert not dataset.is_legacy(out)
    assert_rebuild_agrees(out, tmp_path)

    # the new source changes: its old rows leave the delta, its new ones take their place there
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["delta-0.parquet", "part-0.parquet"]
    assert (goals / "part-0.parquet").read_bytes() == base
    assert_rebuild_agrees(out, tmp_path)

    # a source whose rows are in the base changes while a delta is there: the partition is folded
    (inbox / "seed.txt").write_bytes(SEED.read_bytes() + b"\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["part-0-1.parquet"]
    assert _no_fold_left(out)
    assert not dataset.is_legacy(out)
    assert_rebuild_agrees(out, tmp_path)
    assert watched == []

    documents = ds.dataset(out / "parquet" / "documents", partitioning="hive").to_table().to_pandas()
    assert sorted(documents["source_file"].str.rsplit("/", n=1).str[-1]) == [
        "copy.txt", "seed.txt", "sheet0.pdf", "sheet1.pdf", "sheet2.pdf"]
    assert documents["doc_id"].is_unique and documents["is_current"].sum() == 4  # the seed's sheet twice: one counts
    frame = pd.read_parquet(out / "parquet" / "goals")
    assert len(frame) == len(frame.drop_duplicates(["doc_id", "goal_no"]))
    counted = duckdb.sql(f"SELECT count(*), count(DISTINCT (doc_id, goal_no)) FROM read_parquet("
                         f"'{out}/parquet/goals/*/*.parquet', hive_partitioning=true)").fetchall()[0]
    assert counted[0] == counted[1] == len(frame)


def test_a_delta_past_its_share_of_the_base_is_folded(tmp_path: Path, small_is_large: None,
                                                      watched: Problems, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    watched.outs.add(out)
    ingest(out, [inbox], settings=SETTINGS)
    goals = out / "parquet" / "goals" / "fiscal_year=2023"
    before, keys = _partition_rows(goals, "goals"), dataset.file_keys(goals / "part-0.parquet")
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["delta-0.parquet", "part-0.parquet"]
    stale = [goals / f for f in _data_files(goals)]  # what a reader listed before the fold
    delta = pq.read_table(stale[0], partitioning=None)
    monkeypatch.setattr(dataset, "DELTA_SHARE", 10_000)  # the next delta holds more than the base's share
    (inbox / "copy2.txt").write_bytes(SEED.read_bytes() + b"\n\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["part-0-1.parquet"]
    for path in stale:  # a reader that listed the old files finds them gone: never the new base beside the old delta
        assert not path.exists()
    folded = _partition_rows(goals, "goals")
    assert folded.num_rows == before.num_rows + 2 * delta.num_rows
    assert len(dataset.file_keys(goals / "part-0-1.parquet")) == len(keys) + 2
    assert watched == []
    assert_rebuild_agrees(out, tmp_path)


def test_a_table_keeps_one_delta_the_year_a_run_added_to(tmp_path: Path, small_is_large: None,
                                                          watched: Problems) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    watched.outs.add(out)
    ingest(out, [inbox], settings=SETTINGS)
    goals = out / "parquet" / "goals"
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")  # 2023
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals / "fiscal_year=2023") == ["delta-0.parquet", "part-0.parquet"]
    (inbox / "sheet0-v2.pdf").write_bytes(LINEAGE[0].read_bytes() + b"\n%%v2\n")  # 2021
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals / "fiscal_year=2021") == ["delta-0.parquet", "part-0.parquet"]
    assert _data_files(goals / "fiscal_year=2023") == ["part-0-1.parquet"]  # folded: one delta a table
    assert sum(1 for _ in goals.rglob("delta-*.parquet")) == 1
    assert_rebuild_agrees(out, tmp_path)
    # a run adding to two years: the latest takes a delta, the other (with its delta) is folded
    (inbox / "sheet0-v3.pdf").write_bytes(LINEAGE[0].read_bytes() + b"\n%%v3\n")  # 2021
    (inbox / "copy2.txt").write_bytes(SEED.read_bytes() + b"\n\n\n")  # 2023
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals / "fiscal_year=2021") == ["part-0-1.parquet"]
    assert _data_files(goals / "fiscal_year=2023") == ["delta-0-1.parquet", "part-0-1.parquet"]
    assert watched == []
    assert_rebuild_agrees(out, tmp_path)


def test_a_fold_where_folders_cannot_be_swapped_puts_the_new_base_in_place(
        tmp_path: Path, small_is_large: None, watched: Problems, monkeypatch: pytest.MonkeyPatch) -> None:
    """An output with a delta moved to a file system without ``RENAME_EXCHANGE``: the old files
    go, then the new base comes (rows missed for a moment, never twice), and no delta follows."""
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    watched.outs.add(out)
    ingest(out, [inbox], settings=SETTINGS)
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    goals = out / "parquet" / "goals" / "fiscal_year=2023"
    assert _data_files(goals) == ["delta-0.parquet", "part-0.parquet"]

    def cannot(a: Path, b: Path) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(dataset, "_exchange", cannot)
    monkeypatch.setattr(dataset, "_exchange_checked", {})
    (inbox / "seed.txt").write_bytes(SEED.read_bytes() + b"\n")  # its rows are in the base: a fold
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["part-0-1.parquet"]
    (inbox / "copy2.txt").write_bytes(SEED.read_bytes() + b"\n\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(goals) == ["part-0-1.parquet"]  # no delta where folders cannot be swapped
    assert _no_fold_left(out)
    assert watched == []
    assert_rebuild_agrees(out, tmp_path)


_KILL_AT_FOLD = """
import os, signal, sys
from pathlib import Path
from plansheet.batch.ingest import ingest
from plansheet.output import dataset
from plansheet.settings import Settings
dataset.DELTA_FROM_ROWS = 1
dataset.DELTA_SHARE = 1e-4
exchange, when = dataset._exchange, sys.argv[3]
def exchange_and_die(a, b):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    exchange(a, b)
    os.kill(os.getpid(), signal.SIGKILL)
def cannot(a, b):
    raise OSError(22, "Invalid argument")
replace = os.replace
def replace_and_die(a, b):  # the old base and delta are gone, the new base not yet renamed in
    if Path(a).name.startswith(".fold-") and not Path(b).name.startswith("."):
        os.kill(os.getpid(), signal.SIGKILL)
    replace(a, b)
if when == "in place":
    dataset._exchange, os.replace = cannot, replace_and_die
else:
    dataset._exchange = exchange_and_die
ingest(Path(sys.argv[1]), [Path(sys.argv[2])], settings=Settings(workers=1))
"""


@pytest.mark.parametrize("when", ["before", "after", "in place"])
def test_a_run_killed_before_or_after_the_swap_of_a_fold_loses_nothing(
        tmp_path: Path, small_is_large: None, when: str) -> None:
    """Also where folders cannot be swapped ("in place"): killed once the old base and delta are deleted,
    before the new base is renamed in."""
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    (inbox / "later.txt").write_bytes(SEED.read_bytes() + b"\n\n\n")
    ingest(out, [inbox], settings=SETTINGS)  # a delta in 2023
    goals = out / "parquet" / "goals" / "fiscal_year=2023"
    assert "delta-0.parquet" in _data_files(goals)
    (inbox / "seed.txt").write_bytes(SEED.read_bytes() + b"\n")  # its rows are in the base: a fold
    expected = tmp_path / "expected"
    shutil.copytree(out, expected)
    ingest(expected, [inbox], settings=SETTINGS)

    done = subprocess.run([sys.executable, "-c", _KILL_AT_FOLD, str(out), str(inbox), when], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr
    if when == "in place":  # the new base beside nothing, hidden: a reader misses the partition's rows for now
        hidden = list((out / "parquet").glob("*/*/.fold-*"))
        assert len(hidden) == 1 and [p.name for p in hidden[0].parent.iterdir()] == [hidden[0].name]
    else:
        assert any((out / "state" / dataset.FOLD).iterdir())  # the new folder not swapped in, or the old one out
        assert reader_problems(out) == []
        folded = [p for p in (out / "parquet").rglob("part-0-1.parquet")]
        assert (folded == []) == (when == "before")
    ingest(out, [inbox], settings=SETTINGS)
    assert _no_fold_left(out)
    assert reader_problems(out) == []
    for name in TABLES:
        mine = ds.dataset(out / "parquet" / name, partitioning=None if name == "sources" else "hive").to_table()
        theirs = ds.dataset(expected / "parquet" / name, partitioning=None if name == "sources" else "hive").to_table()
        kept = ["source_file", "source_sha256", "status"] if name == "sources" else \
            [c for c in mine.column_names if c not in ("extracted_at", "seconds", "source_modified")]
        key = [(c, "ascending") for c in dataset.sort_order(name)]
        assert mine.sort_by(key).select(kept).equals(theirs.sort_by(key).select(kept)), name
    for csv in ("goals.csv", "targets.csv", "goal_lineage.csv"):
        assert (out / "csv" / csv).read_bytes() == (expected / "csv" / csv).read_bytes(), csv
    assert_rebuild_agrees(out, tmp_path)


def test_load_reads_a_base_and_its_delta_as_the_rebuilt_folder(tmp_path: Path, small_is_large: None) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    ingest(out, [inbox], settings=SETTINGS)
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert (out / "parquet" / "goals" / "fiscal_year=2023" / "delta-0.parquet").exists()
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    rebuild_output(copy)
    mine, theirs = plansheet.load(out), plansheet.load(copy)
    for name in ("documents", "goals", "targets", "initiatives", "initiatives_flat", "goal_lineage", "sources"):
        a, b = mine[name], theirs[name]
        columns = list(a.columns)
        a = a.sort_values(columns[:4], kind="stable").reset_index(drop=True)
        b = b.sort_values(columns[:4], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)


def test_no_delta_where_folders_cannot_be_swapped(tmp_path: Path, small_is_large: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "_exchange_checked", {})
    monkeypatch.setattr(dataset, "_renameat2", lambda: None)  # not Linux, or a C library without renameat2
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    ingest(out, [inbox], settings=SETTINGS)
    (inbox / "copy.txt").write_bytes(SEED.read_bytes() + b"\n\n")
    ingest(out, [inbox], settings=SETTINGS)
    assert _data_files(out / "parquet" / "goals" / "fiscal_year=2023") == ["part-0.parquet"]
    assert_rebuild_agrees(out, tmp_path)
