"""REVIEW6 Y15: office files plansheet does not read are named for what they are, with what to do, in a
folder too; a text export saved with no suffix or as ``.dat`` is read by its content.

The ``.ods``, ``.odt`` and ``.doc`` of ``tests/fixtures/office/`` are LibreOffice's conversions of the
``result`` department (``soffice --convert-to ods`` of ``result.xlsx``; ``odt`` and ``doc`` of the Word
document ``samples/generate/render_docx.write_docx`` draws, which is built here)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.batch.executors import run_sequential
from plansheet.batch.inputs import walk_inputs

from conftest import SAMPLES, SEED

OFFICE = Path(__file__).parent / "fixtures" / "office"
pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget


def _docx(path: Path) -> Path:
    from samples.generate import content, layout
    from samples.generate.render_docx import write_docx

    d = content.DEPARTMENTS["result"]
    write_docx(layout.department_pages(d), path, d.title)
    return path


def test_office_files_in_a_folder_each_get_a_line_naming_what_they_are_and_the_fix(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "workbooks" / "result.xlsx", inbox / "result.xlsm")
    for name in ("result.ods", "result.odt", "result.doc"):
        shutil.copy(OFFICE / name, inbox / name)
    _docx(inbox / "result.docx")
    results = {r.source_file: r for r in plansheet.extract([inbox], tmp_path / "out", runner=run_sequential)}
    assert {n: r.status.value for n, r in results.items()} == {
        "inbox/result.xlsm": "ok", "inbox/result.ods": "failed", "inbox/result.odt": "failed",
        "inbox/result.doc": "failed", "inbox/result.docx": "failed"}
    assert results["inbox/result.ods"].error == (
        "inbox/result.ods: an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx "
        "(LibreOffice Calc: File → Save As…, Excel 2007-365) and convert that")
    assert results["inbox/result.odt"].error == (
        "inbox/result.odt: an OpenDocument text (.odt), not a sheet plansheet reads: export it as PDF "
        "(LibreOffice Writer: File → Export as PDF) and convert that")
    assert results["inbox/result.docx"].error == (
        "inbox/result.docx: a Word document (.docx), not a sheet plansheet reads: save it as PDF "
        "(Word: File → Save As…, PDF) and convert that")
    assert results["inbox/result.doc"].error == (
        "inbox/result.doc: an old Word document (.doc), not a sheet plansheet reads: open it in Word, save it as "
        "PDF and convert that")
    sources = pd.read_parquet(tmp_path / "out" / "parquet" / "sources").set_index("source_file")
    assert sources.loc["inbox/result.ods", "status"] == "failed"
    assert sources.loc["inbox/result.ods", "error_stage"] == "triage"


def test_an_office_file_given_by_name_is_told_by_its_content_not_called_an_archive(tmp_path: Path) -> None:
    ods = tmp_path / "keikaku.zip"  # an .ods under a misleading name
    shutil.copy(OFFICE / "result.ods", ods)
    (result,) = plansheet.extract([ods], tmp_path / "out", runner=run_sequential)
    assert result.status.value == "failed"
    assert result.error is not None and "an OpenDocument spreadsheet (.ods)" in result.error
    assert "unpack" not in result.error


def test_a_text_export_with_no_suffix_or_named_dat_is_read_by_its_content(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "keikaku")
    shutil.copy(SEED, inbox / "keikaku2.dat")
    (inbox / "README").write_text("この フォルダ には 市の資料 を置きます。\n", encoding="utf-8")  # no sheet: passed over
    (inbox / "cache.dat").write_bytes(bytes(range(256)) * 4)
    (inbox / "LOCK").write_bytes(b"")
    names = [name for _, name, _ in walk_inputs([inbox]).files]
    assert names == ["inbox/keikaku", "inbox/keikaku2.dat"]
    results = {r.source_file: r.status.value for r in plansheet.extract([inbox], tmp_path / "out",
                                                                         runner=run_sequential)}
    assert results == {"inbox/keikaku": "ok", "inbox/keikaku2.dat": "ok"}
    assert list(plansheet.load(tmp_path / "out")["documents"]["department"]) == ["政策推進部"]
