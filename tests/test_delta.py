"""A partition's delta file: a run's new sources go to a small ``delta-<b>.parquet`` beside the
partition's ``part-<b>.parquet``, merged into it once it holds more than 1/DELTA_SHARE of its rows.

In the delta state the dataset holds the rows a full rebuild holds, and the CSVs and
``goal_lineage`` are the same bytes; ``plansheet rebuild`` leaves no delta file. A merge of the
delta into the part file never shows a reader a row twice, and one killed between its two
renames is finished (or undone) by the next run with every row kept.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner

import plansheet
from plansheet.batch.ingest import ingest
from plansheet.cli.main import main
from plansheet.output import dataset
from plansheet.output.rows import TABLES
from plansheet.output.writers import read_table
from plansheet.settings import Settings

from conftest import ROOT, SAMPLES, SEED

LINEAGE = sorted((SAMPLES / "lineage").glob("*.pdf"))
SETTINGS = Settings(workers=1)
NEVER, AT_ONCE = 0, 10**9  # DELTA_SHARE: a delta file never merged / merged as soon as it has a row


def _variant(folder: Path, source: Path, n: int) -> Path:
    """A byte-varied copy of ``source``: another source (another key) with the same sheets."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{source.stem}.v{n}{source.suffix}"
    path.write_bytes(source.read_bytes() + (b"\n" * n if source.suffix == ".txt" else b"\n%%v" + bytes(str(n), "ascii")))
    return path


def _deltas(out: Path) -> list[str]:
    return sorted(p.relative_to(out / "parquet").as_posix() for p in (out / "parquet").rglob("delta-*.parquet"))


def _sorted_rows(out: Path, name: str) -> pa.Table:
    table = read_table(out, name)
    keys = dataset.sort_order(name) + ([] if name == "sources" else ["fiscal_year"])
    return table.sort_by([(c, "ascending") for c in keys])


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for folder in ("parquet", "csv") for p in sorted((out / folder).rglob("*")) if p.is_file()}


def _assert_equals_a_rebuild(out: Path, tmp_path: Path) -> None:
    """What a rebuild of a copy gives: the same rows in every table, the same slots (a partition's
    part and delta file count as one), the same bytes for every CSV, lineage file and part file
    that has no delta beside it; and no delta file left in the rebuilt copy."""
    copy = tmp_path / "rebuilt"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    result = CliRunner().invoke(main, ["rebuild", str(copy)])
    assert result.exit_code == 0, result.output
    assert _deltas(copy) == []
    for name in TABLES:
        assert _sorted_rows(out, name).equals(_sorted_rows(copy, name)), name
    incremental, full = _files(out), _files(copy)
    slots = {n.replace("/delta-", "/part-") for n in incremental}
    assert slots == set(full)
    with_delta = {n.replace("/delta-", "/part-") for n in incremental if "/delta-" in n}
    for name, data in full.items():
        if name not in with_delta:
            assert incremental[name] == data, name


def _seen_twice(out: Path) -> list[str]:
    """What a reader of the plain directory sees twice now (documents, goals, sources)."""
    problems = []
    for name, key in (("documents", ["doc_id"]), ("goals", ["doc_id", "goal_no"]), ("sources", ["source_file"])):
        folder = out / "parquet" / name
        if not any(folder.rglob("*.parquet")):
            continue
        seen = ds.dataset(folder, partitioning=None if name == "sources" else "hive").to_table()
        rows = list(zip(*(seen.column(c).to_pylist() for c in key)))
        if len(rows) != len(set(rows)):
            problems.append(name)
    return problems


def test_new_sources_go_to_a_delta_file_and_the_output_equals_a_rebuild(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "DELTA_SHARE", NEVER)
    out, inbox = tmp_path / "out", tmp_path / "inbox"
    plansheet.extract([SEED, LINEAGE[0]], out, SETTINGS)
    assert _deltas(out) == []  # a new partition starts with its part file
    _assert_equals_a_rebuild(out, tmp_path)

    plansheet.extract([_variant(tmp_path / "v", SEED, 1), _variant(tmp_path / "v", LINEAGE[0], 1)], out, SETTINGS)
    deltas = _deltas(out)
    assert {f"{n}/fiscal_year=2023/delta-0.parquet" for n in ("documents", "goals", "targets", "initiatives")} <= set(deltas)
    assert "documents/fiscal_year=2021/delta-0.parquet" in deltas and any(d.startswith("sources/") for d in deltas)
    _assert_equals_a_rebuild(out, tmp_path)

    plansheet.extract([SEED], out, SETTINGS)  # a key in the part file is replaced there
    assert _deltas(out) == deltas
    _assert_equals_a_rebuild(out, tmp_path)

    inbox.mkdir()
    shutil.copy(_variant(tmp_path / "v", SEED, 2), inbox / "a.txt")
    shutil.copy(LINEAGE[1], inbox / "b.pdf")
    ingest(out, [inbox], settings=SETTINGS)
    (inbox / "a.txt").write_bytes(_variant(tmp_path / "v", SEED, 3).read_bytes())  # changed: its old key sits in a delta
    (inbox / "b.pdf").unlink()  # gone
    ingest(out, [inbox], settings=SETTINGS)
    _assert_equals_a_rebuild(out, tmp_path)

    monkeypatch.setattr(dataset, "DELTA_SHARE", AT_ONCE)
    plansheet.extract([_variant(tmp_path / "v", SEED, 4)], out, SETTINGS)  # the 2023 deltas are merged
    assert not [d for d in _deltas(out) if "fiscal_year=2023" in d]
    _assert_equals_a_rebuild(out, tmp_path)
    result = CliRunner().invoke(main, ["rebuild", str(out)])
    assert result.exit_code == 0 and _deltas(out) == []


def test_a_delta_merged_into_its_part_file_never_shows_a_row_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(dataset, "DELTA_SHARE", NEVER)
    plansheet.extract([SEED], out, SETTINGS)
    plansheet.extract([_variant(tmp_path / "v", SEED, n) for n in (1, 2)], out, SETTINGS)
    before = {name: _sorted_rows(out, name).num_rows for name in TABLES}
    problems: list[str] = []
    hold, replace = dataset._hold, dataset._replace

    def checked_hold(delta: Path) -> Path:
        held = hold(delta)
        problems.extend(f"{p} after holding {delta.name}" for p in _seen_twice(out))
        return held

    def checked_replace(tmp: Path, path: Path, table: pa.Table) -> None:
        replace(tmp, path, table)
        problems.extend(f"{p} after replacing {path.name}" for p in _seen_twice(out))

    monkeypatch.setattr(dataset, "_hold", checked_hold)
    monkeypatch.setattr(dataset, "_replace", checked_replace)
    monkeypatch.setattr(dataset, "DELTA_SHARE", AT_ONCE)
    plansheet.extract([_variant(tmp_path / "v", SEED, 3)], out, SETTINGS)
    assert problems == []
    assert not [d for d in _deltas(out) if "fiscal_year=2023" in d]
    assert _sorted_rows(out, "documents").num_rows == before["documents"] + 1
    _assert_equals_a_rebuild(out, tmp_path)


_KILL_AFTER = """
import os, signal, sys
from pathlib import Path
import plansheet
from plansheet.output import dataset
from plansheet.settings import Settings
dataset.DELTA_SHARE = {share}
step = getattr(dataset, sys.argv[2])
def step_then_die(*args):
    done = step(*args)
    os.kill(os.getpid(), signal.SIGKILL)
    return done
setattr(dataset, sys.argv[2], step_then_die)
plansheet.extract([Path(sys.argv[3])], Path(sys.argv[1]), Settings(workers=1))
"""


@pytest.mark.parametrize("step", ["_hold", "_replace"])
def test_a_delta_merge_killed_between_its_renames_is_finished_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    base, killed, clean = tmp_path / "base", tmp_path / "killed", tmp_path / "clean"
    monkeypatch.setattr(dataset, "DELTA_SHARE", NEVER)
    plansheet.extract([SEED, LINEAGE[0]], base, SETTINGS)
    plansheet.extract([_variant(tmp_path / "v", SEED, 1)], base, SETTINGS)
    assert _deltas(base)
    new = _variant(tmp_path / "v", SEED, 2)
    shutil.copytree(base, killed)
    shutil.copytree(base, clean)
    plansheet.extract([new], clean, SETTINGS)  # what the killed run should come to
    expected = {name: _sorted_rows(clean, name).drop_columns(["extracted_at", "seconds"]) if name == "sources"
                else _sorted_rows(clean, name) for name in TABLES}

    done = subprocess.run([sys.executable, "-c", _KILL_AFTER.format(share=AT_ONCE), str(killed), step, str(new)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    held = sorted(p.name for p in (killed / "parquet").rglob(f"*{dataset.HELD}"))
    assert held == [".delta-0.parquet.held"]
    assert _seen_twice(killed) == []  # meanwhile: rows may be missing, never twice

    monkeypatch.setattr(dataset, "DELTA_SHARE", 8)
    plansheet.extract([new], killed, SETTINGS)  # the next run: its entries are still staged
    assert not list((killed / "parquet").rglob(f"*{dataset.HELD}"))
    for name in TABLES:
        got = _sorted_rows(killed, name)
        if name == "sources":
            got = got.drop_columns(["extracted_at", "seconds"])
        assert got.equals(expected[name]), name
    for name in ("documents", "goals", "targets", "initiatives", "initiatives_flat", "goal_lineage"):
        assert (killed / "csv" / f"{name}.csv").read_bytes() == (clean / "csv" / f"{name}.csv").read_bytes(), name
    _assert_equals_a_rebuild(killed, tmp_path)
