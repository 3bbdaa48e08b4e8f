"""A file is its name: new bytes at the same path withdraw the old reading, in ``extract`` as in ``ingest``.

The seed export is converted, then edited in place (goal 1's title, in the overview and on its
goal sheet) and converted again into the same output. Every reader of the output must then hold
the new reading once and the old one nowhere: ``plansheet.load(copies="all")``, pandas over the
Parquet folders and the per-table CSVs. Identical bytes under two names are stored once: when one
name changes, the other keeps the content, now credited to it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import plansheet
from plansheet.cli.main import main
from plansheet.settings import Settings

from conftest import SEED

OLD_TITLE, NEW_TITLE = "シティプロモーションの強化", "シティプロモーションの推進"


def _edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) == 2  # the overview's row and the goal sheet's title
    path.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")


def _run(command: str, inbox: Path, out: Path, executor: str) -> None:
    args = [command, str(inbox / "sheet.txt") if command == "extract" else str(inbox), "--out", str(out)]
    result = CliRunner().invoke(main, args + (["--executor", executor, "-j", "2"] if command == "extract" else []))
    assert result.exit_code == 0, result.output


def _goal_1_titles(out: Path) -> dict[str, list[str]]:
    """The start of goal 1's title as every reader of the output sees it, one entry per row."""
    loaded = plansheet.load(out, copies="all")["goals"]
    parquet = pd.read_parquet(out / "parquet" / "goals")
    csv = pd.read_csv(out / "csv" / "goals.csv", encoding="utf-8-sig")
    return {name: sorted(t[:len(NEW_TITLE)] for t in frame.loc[frame["goal_no"] == 1, "title"])
            for name, frame in (("load", loaded), ("parquet", parquet), ("csv", csv))}


@pytest.mark.parametrize("command, executor", [("extract", "sequential"), ("extract", "processes"),
                                               ("ingest", "")])
def test_new_bytes_at_the_same_path_replace_the_old_reading(tmp_path: Path, command: str, executor: str) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "sheet.txt")
    _run(command, inbox, out, executor)
    first = plansheet.load(out, copies="all")
    _edit(inbox / "sheet.txt")
    _run(command, inbox, out, executor)

    tables = plansheet.load(out, copies="all")
    for name in ("documents", "officers", "goals", "targets", "initiatives", "grade_scale"):
        assert len(tables[name]) == len(first[name]), name
    documents = tables["documents"]
    assert documents["source_sha256"].tolist() == tables["sources"]["source_sha256"].tolist()
    assert documents["is_current"].tolist() == [True]
    assert _goal_1_titles(out) == {"load": [NEW_TITLE], "parquet": [NEW_TITLE], "csv": [NEW_TITLE]}
    for table in ("documents", "goals", "targets", "initiatives"):
        csv = pd.read_csv(out / "csv" / f"{table}.csv", encoding="utf-8-sig")
        assert len(csv) == len(first[table]), table
        assert set(csv["doc_id"]) == set(documents["doc_id"]), table


def test_a_content_another_name_still_holds_stays_credited_to_it(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "a.txt")
    shutil.copy(SEED, inbox / "b.txt")
    plansheet.extract([inbox / "a.txt", inbox / "b.txt"], out)
    names = plansheet.load(out, tables=["sources"])["sources"]["source_file"].sort_values().tolist()
    _edit(inbox / "a.txt")
    plansheet.extract([inbox / "a.txt"], out)  # only the changed name is run again

    documents = plansheet.load(out, copies="all")["documents"].sort_values("source_file")
    sources = plansheet.load(out, tables=["sources"])["sources"].sort_values("source_file")
    assert documents["source_file"].tolist() == names
    # each document is credited to the name that holds its bytes
    assert documents["source_sha256"].tolist() == sources["source_sha256"].tolist()
    assert _goal_1_titles(out)["parquet"] == sorted([OLD_TITLE, NEW_TITLE])


def test_a_run_killed_between_the_withdrawal_and_the_new_rows_leaves_neither_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old rows' removal is staged first: killed right after it, the output holds no reading of
    the file twice (the old one is gone, the new one not yet in), and the next run brings the new one."""
    from plansheet.output import writers

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "sheet.txt")
    plansheet.extract([inbox / "sheet.txt"], out)
    _edit(inbox / "sheet.txt")

    class Killed(BaseException):
        pass

    def killed(*args: object) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(writers, "stage_documents", killed)
        with pytest.raises(Killed):
            plansheet.extract([inbox / "sheet.txt"], out, Settings(workers=1))
    (tmp_path / "empty").mkdir()
    plansheet.extract([tmp_path / "empty"], out)  # another run merges what the killed one staged
    assert plansheet.load(out, copies="all")["goals"].empty
    plansheet.extract([inbox / "sheet.txt"], out)
    assert _goal_1_titles(out) == {"load": [NEW_TITLE], "parquet": [NEW_TITLE], "csv": [NEW_TITLE]}


def test_two_files_of_one_name_in_one_run_keep_both_readings(tmp_path: Path) -> None:
    """Absolute files are named by their own name; two of one name in one run are told apart by the
    folders above them, so neither withdraws the other's reading (review 2, R3)."""
    for year in ("2023", "2024"):
        (tmp_path / year).mkdir()
        shutil.copy(SEED, tmp_path / year / "sheet.txt")
    _edit(tmp_path / "2024" / "sheet.txt")
    plansheet.extract([(tmp_path / "2023" / "sheet.txt").absolute(), (tmp_path / "2024" / "sheet.txt").absolute()],
                      tmp_path / "out")

    sources = plansheet.load(tmp_path / "out", tables=["sources"])["sources"]
    assert sorted(sources["source_file"]) == ["2023/sheet.txt", "2024/sheet.txt"]
    assert _goal_1_titles(tmp_path / "out")["parquet"] == sorted([OLD_TITLE, NEW_TITLE])


def test_a_name_whose_earlier_reading_is_withdrawn_is_said(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Across runs a name is its file: another file of that name replaces the reading, and the run says so."""
    for year in ("2023", "2024"):
        (tmp_path / year).mkdir()
        shutil.copy(SEED, tmp_path / year / "sheet.txt")
    _edit(tmp_path / "2024" / "sheet.txt")
    plansheet.extract([(tmp_path / "2023" / "sheet.txt").absolute()], tmp_path / "out")
    assert not [r for r in caplog.records if "withdrawn" in r.getMessage()]
    plansheet.extract([(tmp_path / "2024" / "sheet.txt").absolute()], tmp_path / "out")
    said = [r.getMessage() for r in caplog.records if "withdrawn" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("sheet.txt: ")
    assert _goal_1_titles(tmp_path / "out")["parquet"] == [NEW_TITLE]


def test_bytes_a_stored_name_holds_stay_credited_to_the_first_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Identical bytes are credited to their first holder in sort order, whichever name a run reads:
    b.txt taking a.txt's bytes does not take a.txt's credit (review 2, R10)."""
    monkeypatch.chdir(tmp_path)
    Path("inbox").mkdir()
    shutil.copy(SEED, "inbox/a.txt")
    plansheet.extract(["inbox/a.txt"], "out")
    shutil.copy(SEED, "inbox/b.txt")
    plansheet.extract(["inbox/b.txt"], "out")

    documents = plansheet.load("out", copies="all")["documents"]
    sources = plansheet.load("out", tables=["sources"])["sources"]
    assert sorted(sources["source_file"]) == ["inbox/a.txt", "inbox/b.txt"]
    assert documents["source_file"].tolist() == ["inbox/a.txt"]
