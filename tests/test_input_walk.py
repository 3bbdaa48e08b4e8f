"""The input walk: symlinked folders and files followed, what cannot be seen named (and never
taken as gone by ingest), the run's own output folder inside the input not read back."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.batch.executors import run_sequential
from plansheet.batch.ingest import ingest
from plansheet.settings import Settings

from conftest import SAMPLES, SEED

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the ingests' wall time follows the load
SIDE = SAMPLES / "workbooks" / "sidebyside.xlsx"


def _night(out: Path, *folders: Path):  # type: ignore[no-untyped-def]
    return ingest(out, list(folders), None, Settings(), runner=run_sequential)


def _sources(out: Path) -> dict[str, tuple[str, str]]:
    rows = pd.read_csv(out / "csv" / "sources.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return {f: (st, s) for f, st, s in zip(rows["source_file"], rows["state"], rows["status"])}


def _departments(out: Path) -> list[str]:
    return sorted(plansheet.load(out, tables=["documents"])["documents"]["department"])


def test_extract_follows_symlinks_and_names_a_dangling_link_and_a_loop(tmp_path: Path) -> None:
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    (inbox / "real").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(SEED, inbox / "real" / "plan.txt")
    shutil.copy(SIDE, elsewhere / "side.xlsx")
    (inbox / "linked").symlink_to(elsewhere)  # a folder moved to another disk and linked back
    (tmp_path / "solo").mkdir()
    shutil.copy(SIDE, tmp_path / "solo" / "side2.xlsx")
    (inbox / "file.xlsx").symlink_to(tmp_path / "solo" / "side2.xlsx")
    (inbox / "dangling.pdf").symlink_to(tmp_path / "nowhere" / "x.pdf")
    (inbox / "real" / "up").symlink_to(inbox)
    results = {r.source_file: r for r in plansheet.extract([inbox], tmp_path / "out")}
    assert {name: r.status.value for name, r in results.items()} == {
        "inbox/real/plan.txt": "ok", "inbox/linked/side.xlsx": "ok", "inbox/file.xlsx": "ok",
        "inbox/dangling.pdf": "failed", "inbox/real/up": "failed"}
    assert "symlink whose target does not exist" in results["inbox/dangling.pdf"].error
    assert "a loop" in results["inbox/real/up"].error
    assert _departments(tmp_path / "out") == ["市民生活部", "政策推進部"]


def test_a_link_to_a_folder_above_the_input_is_a_loop_not_entered(tmp_path: Path) -> None:
    """Review 2: inbox/loop -> .. led the walk into the input's parent, reading the folders beside the
    input as inputs before it met the input folder again. A link to the input folder or above it is a loop."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "plan.txt")
    (tmp_path / "beside").mkdir()
    shutil.copy(SIDE, tmp_path / "beside" / "side.xlsx")
    (inbox / "loop").symlink_to("..")
    results = {r.source_file: r for r in plansheet.extract([inbox], tmp_path / "out")}
    assert {name: r.status.value for name, r in results.items()} == {"inbox/plan.txt": "ok", "inbox/loop": "failed"}
    assert "a loop" in results["inbox/loop"].error


def test_ingest_keeps_a_folder_moved_away_and_linked_back_as_the_same_sources(tmp_path: Path) -> None:
    inbox, disk, out = tmp_path / "inbox", tmp_path / "disk2", tmp_path / "out"
    (inbox / "2023").mkdir(parents=True)
    shutil.copy(SEED, inbox / "2023" / "plan.txt")
    shutil.copy(SIDE, inbox / "side.xlsx")
    assert not _night(out, inbox).failed
    disk.mkdir()
    shutil.move(str(inbox / "2023"), str(disk / "2023"))
    (inbox / "2023").symlink_to(disk / "2023")
    report = _night(out, inbox)
    assert report.gone == [] and {r.error for r in report.results} == {"already ingested, unchanged"}
    assert _sources(out) == {"inbox/2023/plan.txt": ("current", "ok"), "inbox/side.xlsx": ("current", "ok")}
    assert _departments(out) == ["市民生活部", "政策推進部"]


def test_ingest_never_takes_a_folder_it_cannot_see_as_gone(tmp_path: Path) -> None:
    inbox, disk, out = tmp_path / "inbox", tmp_path / "disk2", tmp_path / "out"
    (disk / "2023").mkdir(parents=True)
    inbox.mkdir()
    shutil.copy(SEED, disk / "2023" / "plan.txt")
    shutil.copy(SIDE, inbox / "side.xlsx")
    (inbox / "2023").symlink_to(disk / "2023")
    assert not _night(out, inbox).failed
    shutil.rmtree(disk)  # the disk is not mounted tonight: the link dangles
    report = _night(out, inbox)
    assert report.gone == [] and report.failed
    failed = [r for r in report.results if r.status.value == "failed"]
    assert [r.source_file for r in failed] == ["inbox/2023"]
    assert "symlink whose target does not exist" in failed[0].error and "rows" in failed[0].error
    assert _sources(out)["inbox/2023/plan.txt"] == ("current", "ok")
    assert _departments(out) == ["市民生活部", "政策推進部"]


def test_ingest_keeps_the_rows_of_an_input_folder_found_empty(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "plan.txt")
    shutil.copy(SIDE, inbox / "side.xlsx")
    _night(out, inbox)
    for f in inbox.iterdir():  # a mount point whose disk is not mounted: an empty folder
        f.unlink()
    report = _night(out, inbox)
    assert report.gone == [] and report.failed and len(report.held) == 1 and "2 source(s)" in report.held[0]
    assert _departments(out) == ["市民生活部", "政策推進部"]
    assert set(_sources(out).values()) == {("current", "ok")}
    shutil.copy(SIDE, inbox / "side.xlsx")  # one file back: the folder is seen, the other file is gone
    report = _night(out, inbox)
    assert report.gone == ["inbox/plan.txt"] and not report.held
    assert _departments(out) == ["市民生活部"]


def test_an_output_folder_inside_the_input_is_not_read_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    shutil.copy(SEED, tmp_path / "plan.txt")
    first = plansheet.extract([tmp_path], tmp_path / "output")
    second = plansheet.extract([tmp_path], tmp_path / "output")
    name = f"{tmp_path.name}/plan.txt"
    assert [(r.source_file, r.status.value) for r in first] == [(name, "ok")]
    assert [(r.source_file, r.status.value) for r in second] == [(name, "ok")]
    assert "the output folder, inside the input" in caplog.text
    assert list(_sources(tmp_path / "output")) == [name]


def test_a_symlinked_file_catalogued_under_its_target_keeps_that_identity(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier plansheet catalogued a symlinked file under its target's path: the same file stays one
    source (no second current entry holding its old content, whose rows a change would then leave behind)."""
    import plansheet.batch.ingest as nightly
    from plansheet.core.names import readable

    inbox, disk, out = tmp_path / "inbox", tmp_path / "disk2", tmp_path / "out"
    inbox.mkdir()
    disk.mkdir()
    shutil.copy(SEED, disk / "plan.txt")
    shutil.copy(SIDE, inbox / "side.xlsx")
    (inbox / "plan.txt").symlink_to(disk / "plan.txt")
    with monkeypatch.context() as old:  # the identity an earlier plansheet gave: the resolved path
        old.setattr(nightly, "_identity", lambda path, given: readable(str(path.resolve())))
        assert not _night(out, inbox).failed
    report = _night(out, inbox)
    assert {r.error for r in report.results} == {"already ingested, unchanged"} and report.gone == []
    # the same sheet edited (its director renamed): its new reading replaces the old, no second current entry
    (disk / "plan.txt").write_bytes(SEED.read_bytes().replace("市川 信行".encode(), "市川 太郎".encode()))
    report = _night(out, inbox)
    assert report.gone == [] and _departments(out) == ["市民生活部", "政策推進部"]
    documents = plansheet.load(out, tables=["documents"])["documents"]
    assert documents.loc[documents["department"] == "政策推進部", "director"].tolist() == ["市川 太郎"]
