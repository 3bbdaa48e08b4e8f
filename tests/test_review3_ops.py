"""Review 3's operational defects: what a nightly run leaves for the operator and the researcher.

V6: a worker whose run was killed ends quietly; V8: an archive in an input folder gets a line and a
``sources`` row; V5/V9: a source that cannot be read now keeps its last good reading and says so;
V7: an empty table is a file with the table's columns and no rows.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import zipfile
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import plansheet
from plansheet.batch.catalog import CATALOG_NAME, Catalog
from plansheet.batch.executors import Task, _worker_main, run_sequential
from plansheet.batch.finish import rebuild_output
from plansheet.batch.ingest import ingest
from plansheet.cli.main import main
from plansheet.derived.lineage import SCHEMA as LINEAGE_SCHEMA
from plansheet.output.writers import table_columns
from plansheet.settings import Settings

from conftest import ROOT, SAMPLES, SEED

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load


def _echo(task: Task, settings: Settings) -> str:
    return task.name


def _worker(mine: Connection, theirs: Connection) -> None:
    theirs.close()  # as a fork server's worker, which holds no copy of the parent's end
    _worker_main(mine, None, _echo)


def test_a_worker_whose_run_was_killed_ends_without_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """V6. The run's process killed (SIGKILL, the OOM killer) with an outcome still unread in its pipe: the
    kernel resets the pipe, and the worker waiting on it ends at once, exit code 0, printing nothing."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    worker = ctx.Process(target=_worker, args=(child, parent), name="plansheet-worker", daemon=True)
    worker.start()
    child.close()
    parent.send((Task(Path("a.txt"), "a.txt"), Settings()))
    assert parent.poll(30)  # its outcome is in the pipe, unread, as when the run is killed
    parent.close()  # with unread data: the worker's next recv() gets ECONNRESET
    worker.join(30)
    assert worker.exitcode == 0
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ConnectionResetError" not in err


def test_an_archive_in_an_input_folder_gets_a_line_and_a_sources_row(tmp_path: Path) -> None:
    """V8. A .zip of sheets in a folder was passed over with no line and no row: every file handed over is
    accounted for, and an archive is ``skipped`` with what to do (its sheets are never read from inside it)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "plan.txt")
    with zipfile.ZipFile(inbox / "bundle.zip", "w") as archive:
        archive.write(SEED, "plan2.txt")
    (inbox / "plans.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(56))
    results = {r.source_file: r for r in plansheet.extract([inbox], tmp_path / "out", runner=run_sequential)}
    assert {n: r.status.value for n, r in results.items()} == {
        "inbox/plan.txt": "ok", "inbox/bundle.zip": "skipped", "inbox/plans.7z": "skipped"}
    assert results["inbox/bundle.zip"].error == (
        "inbox/bundle.zip: a ZIP archive, not a sheet: unpack it and convert the folder")
    assert results["inbox/plans.7z"].error == (
        "inbox/plans.7z: a 7-Zip archive, not a sheet: unpack it and convert the folder")
    sources = pd.read_parquet(tmp_path / "out" / "parquet" / "sources").set_index("source_file")
    assert sources.loc["inbox/bundle.zip", "status"] == "skipped"
    assert sources.loc["inbox/bundle.zip", "source_sha256"] == hashlib.sha256(
        (inbox / "bundle.zip").read_bytes()).hexdigest()
    report = ingest(tmp_path / "ing", [inbox], None, Settings(), runner=run_sequential)
    assert {r.source_file: r.status.value for r in report.results} == {
        "inbox/plan.txt": "ok", "inbox/bundle.zip": "skipped", "inbox/plans.7z": "skipped"}


READ_PDF = SAMPLES / "printed" / "reiwa1.cid.pdf"  # the 2019 経営企画部 sheet
ERROR_PAGE = ("<!DOCTYPE html><html><head><title>ページが見つかりません</title></head>"
              "<body><h1>お探しのページは見つかりませんでした</h1></body></html>").encode()


def _departments(out: Path) -> list[str]:
    return sorted(plansheet.load(out, copies="all", tables=["documents"])["documents"]["department"])


def _source_rows(out: Path) -> dict[str, dict]:
    rows = pq.read_table(out / "parquet" / "sources").to_pylist()
    return {r["source_file"]: r for r in rows}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_ingest_keeps_the_last_good_reading_of_a_file_replaced_by_a_partial_copy(tmp_path: Path) -> None:
    """V5. A file caught mid-copy (a truncated PDF) says nothing about the sheet: its last good rows stay, its
    sources row keeps their bytes and outcome and its error says what fails and since when; the run fails
    (exit 1). The same failure again rewrites nothing; the whole copy back clears the error."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / "2022").mkdir(parents=True)
    shutil.copy(SEED, inbox / "2022" / "base.txt")
    pdf = inbox / "2022" / "reiwa1.pdf"
    shutil.copy(READ_PDF, pdf)
    night = lambda: ingest(out, [inbox], None, Settings(), runner=run_sequential)  # noqa: E731
    night()
    assert _departments(out) == ["政策推進部", "経営企画部"]
    pdf.write_bytes(READ_PDF.read_bytes()[:5000])
    report = night()
    assert report.failed
    result = {r.source_file: r for r in report.results}["inbox/2022/reiwa1.pdf"]
    assert result.status.value == "failed" and "corrupt or truncated PDF" in result.error
    assert "the rows of its last good version are kept" in result.error
    assert _departments(out) == ["政策推進部", "経営企画部"]
    row = _source_rows(out)["inbox/2022/reiwa1.pdf"]
    assert (row["status"], row["documents"], row["source_sha256"]) == ("ok", 1, _sha(READ_PDF.read_bytes()))
    assert "corrupt or truncated PDF" in row["error"] and "failing since run 2" in row["error"]
    sources = {p: p.read_bytes() for p in (out / "parquet" / "sources").glob("*.parquet")}
    night()  # still cut short: the same failure, nothing rewritten
    assert {p: p.read_bytes() for p in (out / "parquet" / "sources").glob("*.parquet")} == sources
    shutil.copy(READ_PDF, pdf)  # the whole copy arrives
    report = night()
    assert not report.failed
    row = _source_rows(out)["inbox/2022/reiwa1.pdf"]
    assert (row["status"], row["error"]) == ("ok", None)
    assert _departments(out) == ["政策推進部", "経営企画部"]


def test_extract_keeps_the_last_good_reading_of_a_file_it_cannot_read_now(tmp_path: Path) -> None:
    """V5, extract. A file whose bytes cannot be read keeps the reading of its last good bytes in an output
    converted before; other readable bytes replace it (as before)."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    pdf = folder / "reiwa1.pdf"
    shutil.copy(READ_PDF, pdf)
    shutil.copy(SEED, folder / "base.txt")
    plansheet.extract([folder], out, runner=run_sequential)
    pdf.write_bytes(READ_PDF.read_bytes()[:5000])
    results = {r.source_file: r for r in plansheet.extract([folder], out, runner=run_sequential)}
    assert results["in/reiwa1.pdf"].status.value == "failed"
    assert "the rows of its last good version are kept" in results["in/reiwa1.pdf"].error
    assert _departments(out) == ["政策推進部", "経営企画部"]
    row = _source_rows(out)["in/reiwa1.pdf"]
    assert (row["status"], row["source_sha256"]) == ("ok", _sha(READ_PDF.read_bytes()))
    assert "corrupt or truncated PDF" in row["error"] and row["error_stage"] == "triage"
    shutil.copy(SAMPLES / "printed" / "seed.cid.pdf", pdf)  # readable bytes of another sheet: they replace it
    plansheet.extract([folder], out, runner=run_sequential)
    assert _departments(out) == ["政策推進部", "政策推進部"]
    assert _source_rows(out)["in/reiwa1.pdf"]["error"] is None


def test_a_url_answering_an_error_page_or_404_keeps_its_rows_and_says_so(tmp_path: Path) -> None:
    """V5 and V9. A URL answering 200 with an HTML "page not found" where its sheet was keeps its last good
    rows (it had withdrawn them), as one answering 404 does; both sources rows say what fails and since
    which run (the 404's said ok, no error), and the last run that saw a URL is the last one that fetched it."""
    from test_ingest import LoopbackServer

    out = tmp_path / "out"
    with LoopbackServer() as server:
        server.content.update({"plan2019.pdf": READ_PDF.read_bytes(), "kenko.txt": SEED.read_bytes()})
        urls = [server.url("plan2019.pdf"), server.url("kenko.txt")]
        night = lambda: ingest(out, [], urls, Settings(http_timeout_s=5.0), runner=run_sequential)  # noqa: E731
        night()
        server.content["plan2019.pdf"] = ERROR_PAGE
        del server.content["kenko.txt"]
        report = night()
        assert report.failed and {r.status.value for r in report.results} == {"failed"}
        assert _departments(out) == ["政策推進部", "経営企画部"]
        rows = _source_rows(out)
        page, dead = rows[urls[0]], rows[urls[1]]
        assert page["status"] == "ok" and page["source_sha256"] == _sha(READ_PDF.read_bytes())
        assert "an HTML page that is no sheet, where the sheet was" in page["error"]
        assert dead["status"] == "ok" and "HTTP 404" in dead["error"] and "failing since run 2" in dead["error"]
        catalog = Catalog(out / CATALOG_NAME)
        try:
            seen = {e.source_file: e.last_seen_run for e in catalog.all()}
        finally:
            catalog.close()
        assert seen == {urls[0]: 2, urls[1]: 1}  # the error page was fetched; the 404 was not
        listing = CliRunner().invoke(main, ["sources", str(out)]).output.splitlines()
        assert "run 1 " in next(line for line in listing if line.endswith(urls[1]))  # not run 2, which got a 404
        assert sum("failing since run 2 (" in line for line in listing) == 2
        server.content.update({"plan2019.pdf": READ_PDF.read_bytes(), "kenko.txt": SEED.read_bytes()})
        report = night()
        assert not report.failed
        assert {r["error"] for r in _source_rows(out).values()} == {None}
        assert _departments(out) == ["政策推進部", "経営企画部"]


def _parquet_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "parquet").rglob("*.parquet"))}


def _duckdb_query(out: Path) -> list[tuple]:
    duckdb = pytest.importorskip("duckdb")
    query = (ROOT / "docs" / "duckdb.md").read_text(encoding="utf-8").split("```sql\n")[1].split("```")[0]
    return duckdb.sql(query.replace("'output/", f"'{out.as_posix()}/")).fetchall()


def test_an_empty_table_is_a_file_with_its_columns_and_no_rows(tmp_path: Path) -> None:
    """V7. A table with no rows (every file failed, or every row withdrawn) had no file at all, or an empty
    partition folder: pandas read a 0×0 frame (no is_current column) and DuckDB's documented query failed
    (No files found). It keeps one file with its columns and no rows, which a rebuild writes the same, and
    which goes once the table has rows again."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "cut.pdf").write_bytes(READ_PDF.read_bytes()[:5000])
    plansheet.extract([folder], out, runner=run_sequential)
    for name, columns in (("documents", table_columns("documents")), ("goals", table_columns("goals")),
                          ("sources", table_columns("sources")), ("goal_lineage", LINEAGE_SCHEMA.names)):
        table = pd.read_parquet(out / "parquet" / name)
        assert set(table.columns) == set(columns), name
        assert len(table) == (1 if name == "sources" else 0), name
    assert _duckdb_query(out) == []
    (folder / "cut.pdf").unlink()
    sheet = folder / "plan.txt"
    shutil.copy(SEED, sheet)
    plansheet.extract([folder], out, runner=run_sequential)
    assert not (out / "parquet" / "documents" / "fiscal_year=0").exists()
    assert pd.read_parquet(out / "parquet" / "documents")["fiscal_year"].astype(int).tolist() == [2023]
    sheet.write_text("会議メモ\n次回の日程を調整する。\n", encoding="utf-8")  # readable, no sheet: the reading goes
    plansheet.extract([folder], out, runner=run_sequential)
    assert sorted(p.name for p in (out / "parquet" / "documents").iterdir()) == ["fiscal_year=0"]
    documents = pd.read_parquet(out / "parquet" / "documents")
    assert len(documents) == 0 and "is_current" in documents.columns
    assert _duckdb_query(out) == []
    before = _parquet_files(out)
    rebuild_output(out)
    assert _parquet_files(out) == before
