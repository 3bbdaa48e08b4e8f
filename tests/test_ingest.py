"""The nightly ingest: catalog, conditional GET, faults of a loopback server, lock, names.

:class:`LoopbackServer` (127.0.0.1 only, ``http.server`` in a thread) serves files with
ETag / Last-Modified and answers each path as told: ``ok``, ``500``, ``slow`` (past the
client's timeout) or ``truncated`` (a Content-Length longer than the body).
"""
from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import plansheet
from plansheet.batch.catalog import CATALOG_NAME, Catalog, OutputLock, OutputLockedError
from plansheet.cli.main import main
from plansheet.batch.executors import run_sequential
from plansheet.batch.fetch import safe_name
from plansheet.batch.ingest import ingest
from plansheet.settings import Settings

from conftest import SAMPLES, SEED

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load
FILES = {"seed.txt": SEED, "reiwa1.xlsx": SAMPLES / "workbooks" / "reiwa1.xlsx",
         "result.pdf": SAMPLES / "printed" / "result.cid.pdf", "side.xlsx": SAMPLES / "workbooks" / "sidebyside.xlsx"}
FAULTS = ("500", "slow", "truncated")
EDITED = SEED.read_bytes().replace("市政運営".encode(), "市政の運営".encode())  # the seed sheet, one field edited


class LoopbackServer:
    """Serve ``content[path]`` the way ``mode[path]`` says; log (path, If-None-Match, status)."""

    def __init__(self) -> None:
        self.content: dict[str, bytes] = {}
        self.mode: dict[str, str] = {}
        self.log: list[tuple[str, str | None, int]] = []
        self.slow_s = 3.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                status = server.answer(self)
                server.log.append((self.path, self.headers.get("If-None-Match"), status))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LoopbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def answer(self, handler: BaseHTTPRequestHandler) -> int:
        path = handler.path.lstrip("/")
        body, mode = self.content.get(path), self.mode.get(path, "ok")
        if body is None:
            handler.send_error(404)
            return 404
        if mode == "500":
            handler.send_error(500, "Internal Server Error")
            return 500
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return 304
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", formatdate(usegmt=True))
        handler.end_headers()
        try:
            if mode == "slow":
                handler.wfile.write(body[:100])
                handler.wfile.flush()
                time.sleep(self.slow_s)
            elif mode == "truncated":
                handler.wfile.write(body[: len(body) // 2])
                handler.wfile.flush()
                handler.close_connection = True
                return 200
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return 200


@pytest.fixture()
def server() -> LoopbackServer:
    with LoopbackServer() as srv:
        for name, path in FILES.items():
            srv.content[name] = path.read_bytes()
        yield srv


def run(out: Path, urls: list[str] | None = None, folders: list[Path] = ()):  # type: ignore[assignment,no-untyped-def]
    return ingest(out, folders, urls, Settings(http_timeout_s=1.0), runner=run_sequential)


def statuses(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.source_file.rsplit("/", 1)[-1]: r.status.value for r in report.results}


def test_second_run_asks_conditionally_and_skips(server: LoopbackServer, tmp_path: Path) -> None:
    urls = [server.url(name) for name in FILES]
    first = run(tmp_path, urls)
    assert set(statuses(first).values()) == {"ok"}
    before = plansheet.load(tmp_path)
    second = run(tmp_path, urls)
    assert set(statuses(second).values()) == {"skipped"}
    assert {r.error for r in second.results} == {"already ingested, unchanged"}
    conditional = [entry for entry in server.log[len(FILES):]]
    assert all(etag and status == 304 for _, etag, status in conditional)
    after = plansheet.load(tmp_path)
    for table in ("documents", "goals", "targets", "initiatives"):
        assert len(after[table]) == len(before[table])
    sources = after["sources"]  # the conversion's outcome stays on each row
    assert len(sources) == len(FILES) and set(sources["status"]) == {"ok"} and set(sources["state"]) == {"current"}
    assert sources["documents"].tolist() == [1] * len(FILES)
    assert set(sources["source_format"]) == {"txt", "xlsx", "pdf"} and sources["pages"].notna().all()


@pytest.mark.slow
def test_server_faults_fail_alone_and_the_next_run_picks_them_up(server: LoopbackServer, tmp_path: Path) -> None:
    names = list(FILES)
    for name, fault in zip(names[1:], FAULTS):
        server.mode[name] = fault
    urls = [server.url(name) for name in names]
    first = run(tmp_path, urls)
    assert statuses(first) == {"seed.txt": "ok", "reiwa1.xlsx": "failed", "result.pdf": "failed", "side.xlsx": "failed"}
    errors = {r.source_file.rsplit("/", 1)[-1]: r.error for r in first.results}
    assert "HTTP 500" in errors["reiwa1.xlsx"]
    assert "no answer within 1 s" in errors["result.pdf"]
    assert "download failed" in errors["side.xlsx"] or "incomplete" in errors["side.xlsx"]
    assert all("next ingest will try again" in errors[n] for n in names[1:])
    assert not list((tmp_path / "downloads").glob(".*")), "a temp download was left behind"
    tables = plansheet.load(tmp_path)
    assert len(tables["documents"]) == 1 and len(tables["sources"]) == 4
    server.mode.clear()
    second = run(tmp_path, urls)
    assert statuses(second) == {"seed.txt": "skipped", "reiwa1.xlsx": "ok", "result.pdf": "ok", "side.xlsx": "ok"}
    tables = plansheet.load(tmp_path)
    assert len(tables["documents"]) == 4
    assert sorted(tables["sources"]["source_file"]) == sorted(urls)  # the failed rows were replaced, none doubled
    assert tables["documents"]["doc_id"].is_unique


def test_a_changed_url_replaces_exactly_its_rows(server: LoopbackServer, tmp_path: Path) -> None:
    url, other = server.url("seed.txt"), server.url("side.xlsx")
    run(tmp_path, [url, other])
    old = plansheet.load(tmp_path)["documents"].set_index("source_file")["doc_id"].to_dict()
    server.content["seed.txt"] = EDITED  # the same sheet re-posted with an edit
    report = run(tmp_path, [url, other])
    assert statuses(report) == {"seed.txt": "ok", "side.xlsx": "skipped"}
    tables = plansheet.load(tmp_path)
    new = tables["documents"].set_index("source_file")["doc_id"].to_dict()
    assert new[other] == old[other] and new[url] != old[url]
    assert len(tables["documents"]) == 2 and len(tables["sources"]) == 2
    assert not any(old[url].split("-")[0] in p.name for p in tmp_path.rglob("*.parquet"))


def test_same_bytes_under_a_new_etag_are_unchanged(server: LoopbackServer, tmp_path: Path) -> None:
    url = server.url("seed.txt")
    run(tmp_path, [url])
    catalog = Catalog(tmp_path / CATALOG_NAME)
    catalog.db.execute("UPDATE files SET etag = '\"stale\"'")
    catalog.close()
    assert statuses(run(tmp_path, [url])) == {"seed.txt": "skipped"}
    assert server.log[-1][2] == 200  # fetched in full; the SHA-256 judged it unchanged


def test_a_url_that_fails_later_keeps_its_rows(server: LoopbackServer, tmp_path: Path) -> None:
    url = server.url("seed.txt")
    run(tmp_path, [url])
    server.mode["seed.txt"] = "500"
    report = run(tmp_path, [url])
    assert statuses(report) == {"seed.txt": "failed"} and report.failed
    assert "rows of its last good version are kept" in report.results[0].error
    tables = plansheet.load(tmp_path)
    assert len(tables["documents"]) == 1 and tables["sources"]["status"].tolist() == ["ok"]


def test_a_changed_folder_file_replaces_its_rows(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "other.xlsx").write_bytes(FILES["side.xlsx"].read_bytes())
    assert set(statuses(run(out, folders=[inbox])).values()) == {"ok"}
    (inbox / "plan.txt").write_bytes(EDITED)  # the same sheet edited (another sheet is added: test_review3_archive)
    assert statuses(run(out, folders=[inbox])) == {"plan.txt": "ok", "other.xlsx": "skipped"}
    tables = plansheet.load(out)
    assert len(tables["documents"]) == 2 and len(tables["sources"]) == 2
    assert "市政の運営" in set(tables["goals"]["field"])


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    report = ingest(tmp_path / "out", [inbox], ["https://example.invalid/a.pdf"], dry_run=True)
    assert report.plan == [("new", "inbox/plan.txt"), ("fetch", "https://example.invalid/a.pdf")]  # below the input
    assert not (tmp_path / "out").exists()


def test_a_second_ingest_is_refused_while_one_runs(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    with OutputLock(tmp_path / "out"):
        with pytest.raises(OutputLockedError):
            ingest(tmp_path / "out", [inbox], runner=run_sequential)
        result = CliRunner().invoke(main, ["ingest", str(inbox), "--out", str(tmp_path / "out"),
                                           "--executor", "sequential"])
    assert result.exit_code == 3
    assert "another ingest" in result.output
    ok = CliRunner().invoke(main, ["ingest", str(inbox), "--out", str(tmp_path / "out"), "--executor", "sequential"])
    assert ok.exit_code == 0, ok.output


def test_cli_exit_code_is_1_only_when_something_failed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    args = ["ingest", str(inbox), "--out", str(tmp_path / "out"), "--executor", "sequential"]
    assert CliRunner().invoke(main, args).exit_code == 0
    (inbox / "empty.pdf").write_bytes(b"")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "skipped  " in result.output and "empty file" in result.output


@pytest.mark.parametrize("url", [
    "http://h/../../etc/passwd", "http://h/a/%2e%2e%2f%2e%2e%2fevil.pdf", "http://h/.hidden", "http://h/",
    "http://h/dir/..%5c..%5cwin.pdf", "http://h/" + "長" * 300 + ".pdf", "http://h/plan.pdf?x=/../y",
])
def test_download_names_stay_in_their_folder(url: str, tmp_path: Path) -> None:
    name = safe_name(url)
    assert "/" not in name and "\\" not in name and not name.startswith(".") and len(name) < 140
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_ingest_links_goals_at_the_threshold_of_its_settings(tmp_path: Path) -> None:
    """ingest hands its settings to the finishing step, so goal_lineage honours lineage_threshold."""
    ingest(tmp_path / "out", [SAMPLES / "lineage"], settings=Settings(lineage_threshold=0.95), runner=run_sequential)
    scores = plansheet.load(tmp_path / "out")["goal_lineage"]["score"].dropna()
    assert len(scores) > 0 and scores.min() >= 0.95  # at the default 0.45, reworded goals (~0.6) link too


def _bytes_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for folder in ("parquet", "csv")
            for p in sorted((out / folder).rglob("*")) if p.is_file()}


def test_unchanged_nights_leave_every_file_byte_identical(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "side.xlsx").write_bytes(FILES["side.xlsx"].read_bytes())
    (inbox / "empty.pdf").write_bytes(b"")  # retried every night, with the same outcome
    run(out, folders=[inbox])
    first = _bytes_of(out)
    for night in (2, 3):
        report = run(out, folders=[inbox])
        assert statuses(report) == {"plan.txt": "skipped", "side.xlsx": "skipped", "empty.pdf": "failed"}
        assert _bytes_of(out) == first, f"night {night} rewrote a file"
    catalog = Catalog(tmp_path / "out" / CATALOG_NAME)
    try:  # the catalog, not the table, records that night 3 saw them unchanged
        seen = {e.source_file.rsplit("/", 1)[-1]: (e.last_seen_run, e.last_outcome) for e in catalog.all()}
    finally:
        catalog.close()
    assert seen == {"plan.txt": (3, "unchanged"), "side.xlsx": (3, "unchanged"), "empty.pdf": (3, "processed")}


def test_a_night_killed_after_a_failure_was_recorded_again_still_rewrites_nothing(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The same failure again is recorded (its row marked to write) and then found already written; a kill in
    between leaves the row marked, and the next run writes the failure's first row, not tonight's times."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "empty.pdf").write_bytes(b"")
    run(out, folders=[inbox])
    first = _bytes_of(out)

    def killed(self: Catalog, source: str) -> None:
        raise KeyboardInterrupt("killed after the failure was recorded again")

    with monkeypatch.context() as patch:
        patch.setattr(Catalog, "row_written", killed)
        with pytest.raises(KeyboardInterrupt):
            run(out, folders=[inbox])
    run(out, folders=[inbox])
    assert _bytes_of(out) == first


def test_identical_bytes_under_43_names_give_43_sources_rows(tmp_path: Path) -> None:
    contents = [SEED, *(SAMPLES / "workbooks" / f"{n}.xlsx" for n in ("reiwa1", "result", "seed", "sidebyside"))]
    inbox = tmp_path / "inbox"
    names = []
    for i in range(43):
        src = contents[i % len(contents)]
        path = inbox / f"batch{i % 3}" / f"{i:02d}-{src.name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(src.read_bytes())
        names.append(path.relative_to(tmp_path).as_posix())  # source_file: below the folder given
    report = run(tmp_path / "ingested", folders=[inbox])
    assert len(report.results) == 43 and {r.status.value for r in report.results} == {"ok"}
    for out in (tmp_path / "ingested", tmp_path / "extracted"):
        if out.name == "extracted":
            plansheet.extract([inbox], out, runner=run_sequential)
        tables = plansheet.load(out, copies="all")
        sources, docs = tables["sources"], tables["documents"]
        assert sorted(sources["source_file"]) == sorted(names)  # one row per name
        assert len(docs) == len(contents) and docs["doc_id"].is_unique  # rows stored once per content
        sha_of = {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in names}
        assert dict(zip(sources["source_file"], sources["source_sha256"])) == sha_of  # which content it holds
        for doc in docs.itertuples():  # credited to the first name (in sort order) holding those bytes
            assert doc.source_file == min(n for n in names if sha_of[n] == doc.source_sha256)
    # one copy changes: only its row and its content's rows follow
    changed = tmp_path / names[0]
    changed.write_bytes(SEED.read_bytes().replace("政策推進部".encode(), "総務部".encode()))
    report = run(tmp_path / "ingested", folders=[inbox])
    assert [r.source_file for r in report.results if r.status.value == "ok"] == [names[0]]
    tables = plansheet.load(tmp_path / "ingested", copies="all")
    docs = tables["documents"].set_index("source_file")
    assert docs.loc[names[0], "department"] == "総務部"
    heir = min(names[i] for i in range(5, 43, len(contents)))  # the first other name of the old bytes
    assert docs.loc[heir, "department"] == "政策推進部"
    assert len(tables["sources"]) == 43 and len(docs) == len(contents) + 1


def test_url_list_comments_start_after_whitespace(tmp_path: Path) -> None:
    from plansheet.batch.ingest import read_url_list

    path = tmp_path / "urls.txt"
    path.write_text("# the city's plans\nhttps://city.example/a.pdf   # 2019, re-published in May\n"
                    "https://city.example/b.pdf\t# tab\nhttps://city.example/c.pdf#page=2\n\n"
                    "  # indented comment\nhttps://city.example/a.pdf # the same URL again\n")
    assert read_url_list(path) == ["https://city.example/a.pdf", "https://city.example/b.pdf",
                                   "https://city.example/c.pdf#page=2"]


def _states(out: Path) -> dict[str, tuple[str, str]]:
    rows = plansheet.load(out)["sources"]
    return {f.rsplit("/", 1)[-1]: (st, s) for f, st, s in zip(rows["source_file"], rows["state"], rows["status"])}


def test_a_url_dropped_from_the_list_is_gone_and_comes_back(server: LoopbackServer, tmp_path: Path) -> None:
    urls = [server.url("seed.txt"), server.url("side.xlsx")]
    run(tmp_path, urls)
    report = run(tmp_path, urls[1:])
    assert report.gone == [urls[0]]
    assert _states(tmp_path) == {"seed.txt": ("gone", "ok"), "side.xlsx": ("current", "ok")}
    assert len(plansheet.load(tmp_path)["documents"]) == 1
    run(tmp_path, None)  # no list given: URL sources are left alone
    assert _states(tmp_path)["side.xlsx"] == ("current", "ok")
    run(tmp_path, urls)
    assert _states(tmp_path) == {"seed.txt": ("current", "ok"), "side.xlsx": ("current", "ok")}
    assert len(plansheet.load(tmp_path)["documents"]) == 2


def test_a_republished_url_replaces_its_rows_and_keeps_the_history(server: LoopbackServer, tmp_path: Path) -> None:
    url = server.url("seed.txt")
    run(tmp_path, [url])
    old = hashlib.sha256(server.content["seed.txt"]).hexdigest()
    server.content["seed.txt"] = EDITED  # the same sheet re-posted with an edit
    run(tmp_path, [url])
    tables = plansheet.load(tmp_path)
    assert tables["documents"]["source_sha256"].tolist() == [hashlib.sha256(EDITED).hexdigest()]  # the old rows left
    assert "市政の運営" in tables["goals"]["field"].tolist()
    catalog = Catalog(tmp_path / CATALOG_NAME)
    try:
        history = [(sha, first, last, ended) for _, sha, _, _, first, _, last, ended, _ in catalog.versions(url)]
    finally:
        catalog.close()
    assert history == [(old, 1, 2, "superseded"), (tables["sources"]["source_sha256"][0], 2, None, None)]


def test_retire_removes_the_rows_and_sticks_until_undone(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "side.xlsx").write_bytes(FILES["side.xlsx"].read_bytes())
    cli = CliRunner()
    assert cli.invoke(main, ["ingest", str(inbox), "--out", str(out), "--executor", "sequential"]).exit_code == 0
    result = cli.invoke(main, ["retire", str(out), str(inbox / "plan.txt")])
    assert result.exit_code == 0, result.output
    assert "retired" in result.output
    assert _states(out) == {"plan.txt": ("retired", "ok"), "side.xlsx": ("current", "ok")}
    assert plansheet.load(out)["documents"]["department"].tolist() == ["市民生活部"]
    assert "政策推進部" not in (out / "csv" / "documents.csv").read_text(encoding="utf-8-sig")
    report = run(out, folders=[inbox])  # still in the inbox: stays retired
    assert "retired by the operator" in {r.source_file.rsplit("/", 1)[-1]: r.error for r in report.results}["plan.txt"]
    assert _states(out)["plan.txt"] == ("retired", "ok")
    listing = cli.invoke(main, ["sources", str(out)])
    assert listing.exit_code == 0
    assert [line.split()[:2] for line in listing.stdout.splitlines()[1:] if not line.startswith(" ")] == [
        ["retired", "ok"], ["current", "ok"]]
    assert cli.invoke(main, ["retire", str(out), "nowhere.pdf"]).exit_code == 2
    assert cli.invoke(main, ["retire", str(out), str(inbox / "plan.txt"), "--undo"]).exit_code == 0
    assert _states(out)["plan.txt"] == ("gone", "ok")
    run(out, folders=[inbox])
    assert _states(out)["plan.txt"] == ("current", "ok")
    assert sorted(plansheet.load(out)["documents"]["department"]) == ["市民生活部", "政策推進部"]


def test_a_deleted_file_is_gone_only_where_the_run_looked(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, src in ((a, SEED), (b, FILES["side.xlsx"])):
        folder.mkdir()
        (folder / src.name).write_bytes(src.read_bytes())
    run(out, folders=[a, b])
    run(out, folders=[a])  # b not looked at: its file stays current
    assert {st for st, _ in _states(out).values()} == {"current"}
    (a / SEED.name).unlink()
    assert run(out, folders=[a]).gone == [f"a/{SEED.name}"]
    assert _states(out)[SEED.name] == ("gone", "ok") and len(plansheet.load(out)["documents"]) == 1


def test_a_copy_whose_bytes_no_current_source_holds_is_never_current() -> None:
    import pandas as pd

    from plansheet.derived.current import choose_current

    docs = pd.DataFrame({"doc_id": ["aaaa-1", "bbbb-1"], "source_file": ["a.pdf", "b.pdf"],
                         "source_sha256": ["aaaa", "bbbb"], "extraction_method": ["ocr", "text_layer"],
                         "municipality": [None, None], "department": ["総務部", "総務部"], "fiscal_year": [2023, 2023],
                         "stage": ["plan", "plan"]})
    sources = pd.DataFrame({"source_sha256": ["aaaa", "bbbb", "bbbb"], "source_file": ["a.pdf", "b.pdf", "c.pdf"],
                            "status": ["ok"] * 3, "state": ["current", "gone", "retired"]})
    chosen = choose_current(docs, sources).set_index("doc_id")
    assert chosen["is_current"].to_dict() == {"aaaa-1": True, "bbbb-1": False}  # the text layer's source is gone
    assert chosen.loc["bbbb-1", "copy_reason"] == "source_inactive"
    sources.loc[2, "state"] = "current"  # the same bytes under another, current name
    assert choose_current(docs, sources).set_index("doc_id")["is_current"].to_dict() == {"aaaa-1": False, "bbbb-1": True}


def test_a_catalog_without_outcomes_converts_its_sources_once_more(tmp_path: Path) -> None:
    """An output of an earlier plansheet (no outcome, no contents in its catalog) is made true again."""
    import sqlite3

    inbox, out, clean = tmp_path / "inbox", tmp_path / "out", tmp_path / "clean"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "side.xlsx").write_bytes(FILES["side.xlsx"].read_bytes())
    run(out, folders=[inbox])
    with sqlite3.connect(out / CATALOG_NAME) as db:  # what an older catalog knows: no outcome, no contents
        db.execute("UPDATE files SET outcome = NULL")
        db.execute("DELETE FROM contents")
    assert statuses(run(out, folders=[inbox])) == {"plan.txt": "ok", "side.xlsx": "ok"}  # converted again
    assert statuses(run(out, folders=[inbox])) == {"plan.txt": "skipped", "side.xlsx": "skipped"}
    run(clean, folders=[inbox])
    for name in ("documents", "goals", "targets", "initiatives"):
        assert (out / "csv" / f"{name}.csv").read_bytes() == (clean / "csv" / f"{name}.csv").read_bytes(), name
    assert len(plansheet.load(out)["sources"]) == 2


def test_an_incremental_night_chooses_the_current_copy_as_a_clean_run_does(tmp_path: Path) -> None:
    import os

    inbox, out, clean = tmp_path / "inbox", tmp_path / "out", tmp_path / "clean"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(SEED.read_bytes())
    os.utime(inbox / "a.txt", (1_600_000_000, 1_600_000_000))
    run(out, folders=[inbox])
    (inbox / "b.txt").write_bytes(SEED.read_bytes() + b"\n")  # the same sheet, a newer file
    os.utime(inbox / "b.txt", (1_700_000_000, 1_700_000_000))
    run(out, folders=[inbox])  # only b.txt's sheet is chosen again
    run(clean, folders=[inbox])
    columns = ["doc_id", "is_current", "copy_of", "copy_reason"]
    got, want = (plansheet.load(o, copies="all")["documents"][columns].sort_values("doc_id").to_dict("records")
                 for o in (out, clean))
    assert got == want and [r["copy_reason"] for r in want if not r["is_current"]] == ["older"]


def _catalogued(out: Path, n: int) -> None:
    """Give ``out``'s catalog ``n`` more current, stored sources in a folder no run looks in, as an
    archive of ``n`` earlier files would have (their rows are not needed for what is tested)."""
    import json
    import sqlite3

    db = sqlite3.connect(out / CATALOG_NAME)
    with db:
        for i in range(n):
            sha = hashlib.sha256(f"earlier file {i}".encode()).hexdigest()
            name = f"earlier/{i:04d}.txt"
            outcome = json.dumps({"source_file": name, "source_sha256": sha, "status": "ok", "documents": 1})
            db.execute("INSERT INTO files (source, kind, source_file, sha256, status, documents, key, first_seen,"
                       " state, outcome, row_dirty) VALUES (?, 'path', ?, ?, 'ok', 1, ?, 'then', 'current', ?, 0)",
                       (f"/srv/archive/{name}", name, sha, sha[:16], outcome))
            db.execute("INSERT INTO contents (key, sha256, source_file, pending) VALUES (?, ?, ?, 0)",
                       (sha[:16], sha, name))
    db.close()


def _night(tmp_path: Path, earlier: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    """A second night (one new file) into an output whose catalog also holds ``earlier`` sources:
    the statements it runs, the SQLite VM steps they take (in hundreds) and the entries it builds."""
    inbox, out = tmp_path / f"inbox{earlier}", tmp_path / f"out{earlier}"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    assert statuses(run(out, folders=[inbox])) == {"plan.txt": "ok"}
    _catalogued(out, earlier)
    (inbox / "other.xlsx").write_bytes(FILES["side.xlsx"].read_bytes())
    statements, steps, entries = [], [], []
    opened, entry = Catalog.__init__, Catalog._entry

    def traced(self: Catalog, *args: object, **kwargs: object) -> None:
        opened(self, *args, **kwargs)
        self.db.set_trace_callback(statements.append)
        self.db.set_progress_handler(lambda: steps.append(1), 100)

    with monkeypatch.context() as patch:
        patch.setattr(Catalog, "__init__", traced)
        patch.setattr(Catalog, "_entry", lambda self, row: entries.append(row) or entry(self, row))
        assert statuses(run(out, folders=[inbox])) == {"plan.txt": "skipped", "other.xlsx": "ok"}
    catalog = Catalog(out / CATALOG_NAME)
    try:  # the earlier sources are left as they were: current, their contents stored
        assert len(catalog.contents()) == earlier + 2
        assert sum(e.state == "current" for e in catalog.all()) == earlier + 2
    finally:
        catalog.close()
    return len(statements), len(steps), len(entries)


def test_a_night_asks_the_catalog_the_same_whatever_the_archive_holds(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A night looks at the contents whose holders changed (noted in ``unsettled`` as they change),
    and compares what it found with the current sources under the folders it was given, by name: a
    catalog with 400 more sources elsewhere costs it no statement, entry or SQLite step more (before:
    a query and an entry per content, an entry per source, and scans of every source: two minutes of
    SQLite at 10,000 sources)."""
    statements, steps, entries = _night(tmp_path, 0, monkeypatch)
    more = _night(tmp_path, 400, monkeypatch)
    assert statements <= 40 and entries < 12, (statements, entries)  # 40: with the look for a name's earlier sheets
    assert more[0] == statements and more[2] == entries, (more, statements, entries)
    assert more[1] <= steps + 5, (more[1], steps)  # hundreds of VM steps: a scan of 400 rows takes dozens


def test_a_night_marks_its_unchanged_sources_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unchanged source is marked seen (its last run, when, what was done), all in one
    transaction: with ``synchronous=FULL`` each mark on its own was a commit and a sync, 44 s for a
    night over 10,000 unchanged files."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"plan{i}.txt").write_bytes(SEED.read_bytes() + b"\n" * i)
    run(out, folders=[inbox])
    alone: list[str] = []  # marks run outside a transaction: each its own commit
    opened = Catalog.__init__

    def traced(self: Catalog, *args: object, **kwargs: object) -> None:
        opened(self, *args, **kwargs)
        self.db.set_trace_callback(lambda sql: alone.append(sql) if sql.startswith("UPDATE files SET checked_at")
                                   and not self.db.in_transaction else None)

    with monkeypatch.context() as patch:
        patch.setattr(Catalog, "__init__", traced)
        report = run(out, folders=[inbox])
    assert set(statuses(report).values()) == {"skipped"}
    assert alone == []
    catalog = Catalog(out / CATALOG_NAME)
    try:
        last = catalog.db.execute("SELECT max(id) FROM runs").fetchone()[0]
        assert [(e.last_seen_run, e.last_outcome) for e in catalog.all()] == [(last, "unchanged")] * 3
    finally:
        catalog.close()
