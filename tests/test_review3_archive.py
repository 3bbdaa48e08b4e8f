"""REVIEW3 V20, V23, V12: what a run says and keeps when names and documents part ways (docs/batch.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from conftest import SAMPLES, SEED
from plansheet.cli.main import main

RESULT = SAMPLES / "workbooks" / "result.xlsx"


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _stored(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / "documents")


def test_the_tally_counts_the_documents_the_tables_hold(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "seisaku.txt")
    shutil.copy(SEED, inbox / "seisaku_copy.txt")  # the same bytes under a second name: stored once
    shutil.copy(RESULT, inbox / "kenko.xlsx")
    for command in ("ingest", "extract"):
        out = tmp_path / command
        output = _cli(command, str(inbox), "--out", str(out), "--executor", "sequential")
        assert len(_stored(out)) == 2
        assert "3 file(s): 3 ok; 2 document(s) (1 file(s) hold the same bytes as another, stored once)" in output
    again = _cli("ingest", str(inbox), "--out", str(tmp_path / "ingest"), "--executor", "sequential")
    assert "3 file(s): 3 skipped; 2 document(s) (1 file(s)" in again


def _ingest(out: Path, *folders: Path):  # type: ignore[no-untyped-def]
    from plansheet.batch.executors import run_sequential
    from plansheet.batch.ingest import ingest

    return ingest(out, list(folders), None, runner=run_sequential)


def _documents(out: Path) -> list[tuple[str, int, str]]:
    docs = _stored(out)
    return sorted(zip(docs["source_file"], docs["fiscal_year"].astype(int), docs["department"]))


def _posted(tmp_path: Path, name: str) -> tuple[Path, Path, str, Path]:
    """The real export posted as ``inbox/NAME`` and ingested: (inbox, out, its text, the file)."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    text = SEED.read_text(encoding="utf-8")
    sheet = inbox / name
    sheet.write_text(text, encoding="utf-8")
    _ingest(out, inbox)
    return inbox, out, text, sheet


NEXT_TARGET = ("市内外に柏原市の取組や魅力発信に向けて、広報かしわらや市ウェブサイト、各種SNSの発信力を強化します。",
               "市公式LINEの登録者数を増やし、市政情報を必要とする市民に確実に届けます。")


def _next_year(text: str) -> str:
    """Next year's sheet: the year in its title moves on, and so does a target (a new year's sheet sets new
    ones); the same text with the year alone changed is the same sheet corrected (REVIEW6 Y17)."""
    assert NEXT_TARGET[0] in text
    return text.replace("令和5年度", "令和6年度").replace(*NEXT_TARGET)


def test_a_name_reused_for_next_years_sheet_keeps_the_earlier_year(tmp_path: Path) -> None:
    """V23: the city posts its plan as one fixed file name every year; 2023's sheet is another document than
    2024's, not an earlier version of it. The same sheet re-posted with edits still replaces."""
    inbox, out, text, sheet = _posted(tmp_path, "unei_houshin.txt")
    sheet.write_text(_next_year(text), encoding="utf-8")
    report = _ingest(out, inbox)
    assert report.replaced == []
    earlier = "inbox/unei_houshin.txt (earlier: 政策推進部 2023 plan)"
    assert _documents(out) == [("inbox/unei_houshin.txt", 2024, "政策推進部"), (earlier, 2023, "政策推進部")]
    assert report.earlier == ["inbox/unei_houshin.txt: now holds 政策推進部 2024 plan, another sheet than the "
                              f"政策推進部 2023 plan it held: that one is kept, as {earlier!r}"]
    sources = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")
    assert sources.loc[earlier, "state"] == "current" and sources.loc[earlier, "status"] == "ok"
    # 2024's sheet edited and posted again under the same name: a new version of the same document
    sheet.write_text(_next_year(text).replace("市政運営", "市政の運営"), encoding="utf-8")
    report = _ingest(out, inbox)
    assert report.earlier == []
    assert _documents(out) == [("inbox/unei_houshin.txt", 2024, "政策推進部"), (earlier, 2023, "政策推進部")]
    assert "市政の運営" in set(pd.read_parquet(out / "parquet" / "goals")["field"])


def test_a_moved_inbox_leaves_no_old_name_current(tmp_path: Path) -> None:
    """V12: the operator moves the inbox and changes the cron line; a sheet is edited after the move. The
    old names, whose files exist nowhere, are gone (moved), and only the edited reading stays."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (inbox / "seisaku.txt").write_text(text, encoding="utf-8")
    shutil.copy(RESULT, inbox / "kenko.xlsx")
    (inbox / "plan2019.txt").write_text(text.replace("令和5年度", "令和元年度"), encoding="utf-8")
    _ingest(out, inbox)
    moved = tmp_path / "inbox_new"
    inbox.rename(moved)
    (moved / "plan2019.txt").write_text(text.replace("令和5年度", "令和元年度").replace("市政運営", "市政の運営"),
                                        encoding="utf-8")  # edited after the move: no bytes in common
    report = _ingest(out, moved)
    assert sorted(report.gone) == ["inbox/kenko.xlsx", "inbox/plan2019.txt", "inbox/seisaku.txt"]
    assert report.moved["inbox/seisaku.txt"] == "moved: its bytes are now inbox_new/seisaku.txt"
    assert report.moved["inbox/plan2019.txt"].startswith(f"moved: its folder {inbox} no longer exists")
    sources = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")["state"].to_dict()
    assert sources == {"inbox/kenko.xlsx": "gone", "inbox/plan2019.txt": "gone", "inbox/seisaku.txt": "gone",
                       "inbox_new/kenko.xlsx": "current", "inbox_new/plan2019.txt": "current",
                       "inbox_new/seisaku.txt": "current"}
    assert sorted(_stored(out)["source_file"]) == ["inbox_new/kenko.xlsx", "inbox_new/plan2019.txt",
                                                   "inbox_new/seisaku.txt"]
    assert "市政の運営" in set(pd.read_parquet(out / "parquet" / "goals")["field"])


def test_a_copy_elsewhere_leaves_the_original_current(tmp_path: Path) -> None:
    """The same bytes under a new path while the old file still exists are a copy, not a move."""
    inbox, other, out = tmp_path / "inbox", tmp_path / "other", tmp_path / "out"
    inbox.mkdir()
    other.mkdir()
    shutil.copy(SEED, inbox / "seisaku.txt")
    _ingest(out, inbox)
    shutil.copy(SEED, other / "seisaku.txt")
    assert _ingest(out, other).gone == []
    states = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")["state"].to_dict()
    assert states == {"inbox/seisaku.txt": "current", "other/seisaku.txt": "current"}


def test_a_name_that_holds_its_earlier_sheet_again_keeps_one_reading_of_it(tmp_path: Path) -> None:
    """REVIEW5 X5: next year's sheet posted by mistake under the name, then the old one put back, then
    edited. Once the name holds the earlier sheet's document again, the ``earlier`` source goes: the
    tables hold one reading of each document, the name's newest."""
    inbox, out, text, sheet = _posted(tmp_path, "keikaku.txt")
    sheet.write_text(_next_year(text), encoding="utf-8")  # the wrong file posted
    _ingest(out, inbox)
    earlier_2023 = "inbox/keikaku.txt (earlier: 政策推進部 2023 plan)"
    earlier_2024 = "inbox/keikaku.txt (earlier: 政策推進部 2024 plan)"
    sheet.write_text(text, encoding="utf-8")  # reverted: the very bytes the earlier source holds
    report = _ingest(out, inbox)
    assert report.gone == [earlier_2023]
    assert report.moved[earlier_2023] == "inbox/keikaku.txt holds 政策推進部 2023 plan again"
    assert _documents(out) == [("inbox/keikaku.txt", 2023, "政策推進部"), (earlier_2024, 2024, "政策推進部")]
    sheet.write_text(text.replace("市政運営", "市政の運営"), encoding="utf-8")  # then edited
    _ingest(out, inbox)
    assert _documents(out) == [("inbox/keikaku.txt", 2023, "政策推進部"), (earlier_2024, 2024, "政策推進部")]
    assert _fields_of_year(out, 2023) == ["市政の運営", "行財政運営", "行財政運営", "防災", "防災", "防災"]
    states = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")["state"].to_dict()
    assert states == {"inbox/keikaku.txt": "current", earlier_2023: "gone", earlier_2024: "current"}


def test_an_earlier_sheet_posted_again_with_edits_replaces_the_kept_reading(tmp_path: Path) -> None:
    """REVIEW5 X5: the name goes 2023 → 2024 → 2023 edited: the edited 2023 sheet is the same document as
    the kept earlier one, so the kept reading goes and the edited one stands alone."""
    inbox, out, text, sheet = _posted(tmp_path, "keikaku.txt")
    sheet.write_text(_next_year(text), encoding="utf-8")
    _ingest(out, inbox)
    sheet.write_text(text.replace("市政運営", "市政の運営"), encoding="utf-8")
    _ingest(out, inbox)
    assert _documents(out) == [("inbox/keikaku.txt", 2023, "政策推進部"),
                               ("inbox/keikaku.txt (earlier: 政策推進部 2024 plan)", 2024, "政策推進部")]
    assert _fields_of_year(out, 2023) == ["市政の運営", "行財政運営", "行財政運営", "防災", "防災", "防災"]


def _fields_of_year(out: Path, year: int) -> list[str]:
    """The 分野 of every goal of the documents of ``year``, in goal order."""
    docs = _stored(out)
    goals = pd.read_parquet(out / "parquet" / "goals")
    ids = set(docs.loc[docs["fiscal_year"] == year, "doc_id"])
    return list(goals[goals["doc_id"].isin(ids)].sort_values(["doc_id", "goal_no"])["field"])


def test_another_reading_of_an_earlier_sheet_under_another_name_keeps_both_as_copies(tmp_path: Path) -> None:
    """REVIEW6 Y11/Y16: the name goes 2023 → 2024, so 2023 is kept as an ``earlier`` source; then another
    reading of the 2023 sheet is posted as a new name. The catalog cannot tell a correction from an old
    copy saved again, so both stay, as copies: one current by the copy rules, the difference named."""
    inbox, out, text, sheet = _posted(tmp_path, "keikaku.txt")
    sheet.write_text(_next_year(text), encoding="utf-8")
    _ingest(out, inbox)
    earlier_2023 = "inbox/keikaku.txt (earlier: 政策推進部 2023 plan)"
    (inbox / "keikaku_2023.txt").write_text(text.replace("市政運営", "市政の運営"), encoding="utf-8")
    report = _ingest(out, inbox)
    assert report.gone == []
    assert _documents(out) == [("inbox/keikaku.txt", 2024, "政策推進部"),
                               (earlier_2023, 2023, "政策推進部"), ("inbox/keikaku_2023.txt", 2023, "政策推進部")]
    docs = _stored(out).set_index("source_file")
    assert docs.loc[earlier_2023, "copy_reason"] == "older" and not docs.loc[earlier_2023, "is_current"]
    assert docs.loc["inbox/keikaku_2023.txt", "is_current"]
    states = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")["state"].to_dict()
    assert states == {"inbox/keikaku.txt": "current", "inbox/keikaku_2023.txt": "current", earlier_2023: "current"}


def test_the_same_bytes_as_an_earlier_sheet_under_another_name_are_credited_to_that_name(tmp_path: Path) -> None:
    """REVIEW6 Y11: the kept 2023 bytes copied to a new name. That name holds the document now; the
    ``earlier`` source goes and the rows are credited to the file that holds them."""
    inbox, out, text, sheet = _posted(tmp_path, "keikaku.txt")
    sheet.write_text(_next_year(text), encoding="utf-8")
    _ingest(out, inbox)
    (inbox / "z_2023.txt").write_text(text, encoding="utf-8")  # sorts after the earlier source's name
    report = _ingest(out, inbox)
    assert report.gone == ["inbox/keikaku.txt (earlier: 政策推進部 2023 plan)"]
    assert _documents(out) == [("inbox/keikaku.txt", 2024, "政策推進部"), ("inbox/z_2023.txt", 2023, "政策推進部")]


def test_a_sheet_posted_again_with_its_year_corrected_replaces_the_uncorrected_reading(tmp_path: Path) -> None:
    """REVIEW6 Y17: the sheet was posted with the wrong year in its title, then posted again at the same
    name with the year corrected and nothing else changed. Its goals, targets and initiatives read as
    before: the same sheet corrected, which replaces the uncorrected reading (no 2023 document stays)."""
    inbox, out, text, sheet = _posted(tmp_path, "keikaku.txt")
    sheet.write_text(text.replace("令和5年度", "令和6年度"), encoding="utf-8")
    report = _ingest(out, inbox)
    assert report.earlier == []
    assert report.replaced == ["inbox/keikaku.txt: now holds 政策推進部 2024 plan, the same goals, targets and "
                               "initiatives as the 政策推進部 2023 plan it held: read as that sheet corrected"]
    assert _documents(out) == [("inbox/keikaku.txt", 2024, "政策推進部")]
    states = pd.read_parquet(out / "parquet" / "sources").set_index("source_file")["state"].to_dict()
    assert states == {"inbox/keikaku.txt": "current"}


def test_a_sheet_posted_again_with_its_department_corrected_replaces_it_and_says_so(tmp_path: Path) -> None:
    """REVIEW6 Y17: the department's name mistyped (政策推進部局), then corrected: no phantom department
    stays, and the run's line says the new bytes were read as the sheet corrected."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    text = SEED.read_text(encoding="utf-8")
    sheet = inbox / "keikaku.txt"
    sheet.write_text(text.replace("政策推進部", "政策推進部局"), encoding="utf-8")
    _cli("ingest", str(inbox), "--out", str(out), "--executor", "sequential")
    sheet.write_text(text, encoding="utf-8")
    output = _cli("ingest", str(inbox), "--out", str(out), "--executor", "sequential")
    assert ("replaced inbox/keikaku.txt: now holds 政策推進部 2023 plan, the same goals, targets and initiatives as "
            "the 政策推進部局 2023 plan it held: read as that sheet corrected") in output
    assert "kept " not in output
    assert _documents(out) == [("inbox/keikaku.txt", 2023, "政策推進部")]
