"""One file per table and partition (``sources``, unpartitioned: eight by the hash of the name):
an output written as eight bucket files a partition (the layout before) is rewritten once, by
any run, without a reader seeing a row twice, and a rewrite killed (SIGKILL) at any file is
finished by the next run with every row kept."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import plansheet
from plansheet.output import dataset
from plansheet.output.rows import DOCUMENT_TABLES, TABLES
from plansheet.settings import Settings

from conftest import ROOT, SAMPLES, SEED
from test_incremental import watched  # noqa: F401  (the fixture: what a reader sees after each file written)

LINEAGE = sorted((SAMPLES / "lineage").glob("*.pdf"))
OLD_BUCKETS = 8


def _old_bucket(key: str) -> int:
    """The bucket of a key when a partition held eight files (the hash the layout used then)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % OLD_BUCKETS


def _split_into_old_buckets(out: Path) -> int:
    """Rewrite every part file of the document tables as the older layout's bucket files; return
    how many files there are (``sources`` is laid out as it was)."""
    for name in DOCUMENT_TABLES:
        for path in sorted((out / "parquet" / name).rglob("part-0.parquet")):
            table = pq.read_table(path, partitioning=None).select(dataset.stored_schema(name).names)
            buckets = [_old_bucket(k) for k in dataset.row_keys(name, table)]
            path.unlink()
            for b in sorted(set(buckets)):
                dataset.write_part(path.with_name(f"part-{b}.parquet"), name,
                                   table.filter(pa.array([x == b for x in buckets])))
    return sum(1 for _ in (out / "parquet").rglob("*.parquet"))


def _rows(out: Path) -> dict[str, list[tuple]]:
    """Every row of every table as the plain directory shows it, sorted."""
    seen = {}
    for name in TABLES:
        table = ds.dataset(out / "parquet" / name, partitioning=None if name == "sources" else "hive").to_table()
        table = table.drop_columns([c for c in ("extracted_at", "seconds") if c in table.column_names])
        seen[name] = sorted((tuple(row.values()) for row in table.to_pylist()), key=repr)
    return seen


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output of four sources over three fiscal years (2021-2023)."""
    out = tmp_path_factory.mktemp("several") / "out"
    plansheet.extract([SEED, *LINEAGE], out, Settings(workers=1))
    return out


def test_each_partition_holds_one_file_per_table(several: Path) -> None:
    goals = sorted(p.relative_to(several / "parquet" / "goals").as_posix()
                   for p in (several / "parquet" / "goals").rglob("*.parquet"))
    assert goals == ["fiscal_year=2021/part-0.parquet", "fiscal_year=2022/part-0.parquet",
                     "fiscal_year=2023/part-0.parquet"]
    assert len(dataset.file_keys(several / "parquet" / "goals" / "fiscal_year=2023" / "part-0.parquet")) == 2
    sources = {p.name for p in (several / "parquet" / "sources").glob("*.parquet")}
    assert sources == {dataset.part_name(dataset.bucket_of(k)) for k in dataset.row_keys(
        "sources", pq.read_table(several / "parquet" / "sources"))} and 1 < len(sources) <= 4
    assert not dataset.is_legacy(several)


def test_eight_bucket_files_become_one_and_no_reader_sees_a_row_twice(
        several: Path, tmp_path: Path, watched: list[str]) -> None:  # noqa: F811
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(several), str(out)], check=True)
    expected = _rows(out)
    loaded = plansheet.load(out)
    _split_into_old_buckets(out)
    assert {p.name for p in (out / "parquet" / "documents").rglob("*.parquet")} - {"part-0.parquet"}
    assert dataset.is_legacy(out) and _rows(out) == expected
    plansheet.extract([LINEAGE[0]], out, Settings(workers=1))  # any run rewrites it (the same file again)
    assert watched == []
    assert not dataset.is_legacy(out)
    assert {p.name for n in DOCUMENT_TABLES for p in (out / "parquet" / n).rglob("*.parquet")} == {"part-0.parquet"}
    assert not (out / "state" / dataset.COMPACTING).exists()
    assert _rows(out) == expected
    after = plansheet.load(out)
    for name in ("documents", "goals", "targets", "initiatives", "initiatives_flat", "goal_lineage"):
        pd.testing.assert_frame_equal(after[name], loaded[name], obj=name)


_KILL_AT_WRITE = """
import os, signal, sys
from pathlib import Path
from plansheet.output import dataset
from plansheet.batch.finish import rebuild_output
write_part, written, at = dataset.write_part, [0], int(sys.argv[2])
def write_then_die(path, name, table):
    write_part(path, name, table)
    written[0] += 1
    if written[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)
dataset.write_part = write_then_die
rebuild_output(Path(sys.argv[1]))
"""


@pytest.mark.parametrize("at", [1, 9, 19])
def test_a_rewrite_killed_after_any_file_is_finished_by_the_next_run(several: Path, tmp_path: Path, at: int) -> None:
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(several), str(out)], check=True)
    expected = _rows(out)
    _split_into_old_buckets(out)
    done = subprocess.run([sys.executable, "-c", _KILL_AT_WRITE, str(out), str(at)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr  # killed after its at-th file
    assert (out / "state" / dataset.COMPACTING).is_dir() and dataset.is_legacy(out)
    seen = _rows(out)  # meanwhile: rows may be missing, never twice
    for name, rows in seen.items():
        assert len(rows) == len(set(rows)) and set(rows) <= set(expected[name]), name
    plansheet.extract([LINEAGE[0]], out, Settings(workers=1))
    assert _rows(out) == expected
    assert not dataset.is_legacy(out) and not (out / "state" / dataset.COMPACTING).exists()
    assert {p.name for n in DOCUMENT_TABLES for p in (out / "parquet" / n).rglob("*.parquet")} == {"part-0.parquet"}


def test_a_merge_during_a_long_run_rewrites_an_older_layout_first(several: Path, tmp_path: Path) -> None:
    from plansheet.batch.finish import FULL_FINISH, finish_output, merge_staged
    from plansheet.output.writers import stage_source_row

    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(several), str(out)], check=True)
    expected = _rows(out)
    _split_into_old_buckets(out)
    row = pq.read_table(out / "parquet" / "sources").to_pylist()[0]
    stage_source_row(out, row)  # a source row staged again, as a run does for a file it saw unchanged
    merge_staged(out)
    assert not dataset.is_legacy(out) and (out / "state" / FULL_FINISH).exists()
    assert _rows(out) == expected
    finish_output(out, Settings())
    assert not (out / "state" / FULL_FINISH).exists()
    assert _rows(out) == expected
    assert os.path.getsize(out / "csv" / "goals.csv") > 0


def test_the_current_copies_read_only_the_sources_files_holding_their_contents(tmp_path: Path) -> None:
    """One content under two names in two bucket files: both rows are found through the files'
    lists of contents, as a read of every file finds them; a file holding neither is not read."""
    from plansheet.derived.current import SOURCE_COLUMNS, sources_of

    out, first, second = tmp_path / "out", tmp_path / "a", tmp_path / "b"
    names = [f"copy{i}.txt" for i in range(40)]  # (extract names a source by its file name)
    other = next(n for n in names if dataset.bucket_of(dataset.source_key(n)) != dataset.bucket_of(dataset.source_key(names[0])))
    taken = {dataset.bucket_of(dataset.source_key(n)) for n in (names[0], other)}
    third = next(f"plan{i}.pdf" for i in range(40) if dataset.bucket_of(dataset.source_key(f"plan{i}.pdf")) not in taken)
    first.mkdir()
    second.mkdir()
    (first / names[0]).write_bytes(SEED.read_bytes())
    (second / other).write_bytes(SEED.read_bytes())
    (first / third).write_bytes((SAMPLES / "lineage" / "lineage2021.cid.pdf").read_bytes())
    plansheet.extract([first / names[0], second / other, first / third], out, Settings(workers=1))
    documents = dataset.read_parts(out, "documents", dataset.part_files(out, "documents"), None)
    seed = documents.filter(pa.compute.equal(documents.column("source_sha256"), hashlib.sha256(SEED.read_bytes()).hexdigest()))
    found = sources_of(out, seed)
    everything = dataset.read_parts(out, "sources", dataset.part_files(out, "sources"), None, SOURCE_COLUMNS)
    assert sorted(found.column("source_file").to_pylist()) == sorted(
        f for f, s in zip(everything.column("source_file").to_pylist(), everything.column("source_sha256").to_pylist())
        if s == seed.column("source_sha256")[0].as_py())
    assert found.num_rows == 2
    sha16 = {seed.column("doc_id")[0].as_py()[:16]}
    files = dataset.part_files(out, "sources")
    holding = [f for f in files if dataset.holding(out / f, sha16)]
    assert len(holding) == 2 < len(files)  # the PDF's name sits in a file of its own, not read


def test_a_sources_file_that_does_not_list_its_contents_is_rewritten_once(tmp_path: Path) -> None:
    """A ``sources`` file written by an older plansheet has no list of contents: the output is
    rewritten whole by the next run (like any older layout), and then every file lists them."""
    out = tmp_path / "out"
    plansheet.extract([SEED], out, Settings(workers=1))
    assert not dataset.is_legacy(out)
    for path in (out / "parquet" / "sources").glob("part-*.parquet"):  # as an older plansheet wrote them
        table = pq.read_table(path)
        meta = {k: v for k, v in (table.schema.metadata or {}).items() if k != dataset.CONTENTS_META}
        pq.write_table(table.replace_schema_metadata(meta), path)
    assert dataset.is_legacy(out)
    plansheet.extract([SAMPLES / "lineage" / "lineage2021.cid.pdf"], out, Settings(workers=1))
    assert not dataset.is_legacy(out)
    assert all(dataset.CONTENTS_META in (pq.read_metadata(p).metadata or {})
               for p in (out / "parquet" / "sources").glob("part-*.parquet"))


def _staged_from(files: list[Path], out: Path) -> None:
    """Stage ``files``' rows in ``out`` as a run does, without merging them."""
    from plansheet.batch.executors import Task, run_task
    from plansheet.output.writers import ensure_layout, write_outcome

    (out / "parquet").mkdir(parents=True)
    ensure_layout(out)
    for path in files:
        write_outcome(out, run_task(Task.of(path), Settings()), None, None)


def test_a_merge_told_to_stop_keeps_its_tables_whole_and_the_next_merge_takes_only_the_rest(tmp_path: Path) -> None:
    """A pool's early merge asked to stop after the first table: that table holds every staged source, the
    others none, every entry stays staged; the next merge gives the files one merge would have, without
    rewriting the table merged already."""
    from plansheet.output import staging

    files = [SEED, *LINEAGE[:2]]
    once, stopped = tmp_path / "once", tmp_path / "stopped"
    _staged_from(files, once)
    subprocess.run(["cp", "-a", str(once), str(stopped)], check=True)  # the same entries, bytes and all
    dataset.apply_staged(once)
    asked: list[int] = []
    with dataset.output_lock(stopped):
        dataset.apply_staged(stopped, stop=lambda: asked.append(1) is None)
    assert asked == [1]
    first = DOCUMENT_TABLES[0]
    merged = _rows(stopped)
    assert merged[first] == _rows(once)[first] and all(not merged[name] for name in TABLES if name != first)
    assert len(staging.entries(stopped)) == 2 * len(files)
    assert set(dataset.pending(stopped).files) == {first}  # the finish will follow that table too
    before = {p: p.stat().st_ino for p in (stopped / "parquet" / first).rglob("*.parquet")}
    with dataset.output_lock(stopped):
        dataset.apply_staged(stopped)
    assert _rows(stopped) == _rows(once) and not staging.entries(stopped)
    assert {p: p.stat().st_ino for p in (stopped / "parquet" / first).rglob("*.parquet")} == before
    for path in sorted((once / "parquet").rglob("*.parquet")):
        assert (stopped / path.relative_to(once)).read_bytes() == path.read_bytes(), path
