"""Downloads that must not hurt the night (issue 17): too large, unparseable, with credentials, disk full.

Served by :class:`test_ingest.LoopbackServer` (127.0.0.1 only) and a tiny server that sends a
body without ``Content-Length``; the full disk is ``/dev/full``, which refuses every write
with ``ENOSPC`` as a full file system does.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import plansheet
from plansheet.batch.catalog import CATALOG_NAME
from plansheet.batch.executors import run_sequential
from plansheet.batch.ingest import ingest
from plansheet.settings import Settings

from conftest import SEED
from test_ingest import LoopbackServer

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load
BIG = 3_000_000  # bytes; the tests set --max-download to 1 MB


def _ingest(out: Path, urls: list[str], folders: list[Path] = (), **settings: object):  # type: ignore[assignment,no-untyped-def]
    return ingest(out, folders, urls, Settings(http_timeout_s=5.0, **settings), runner=run_sequential)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "downloads").iterdir()) if (out / "downloads").is_dir() else []


class _Unannounced:
    """A server that streams ``size`` bytes without a Content-Length (chunked by closing)."""

    def __init__(self, size: int) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                block = b"%PDF-1.7\n" + b"0" * 65527
                try:
                    for _ in range(size // len(block) + 1):
                        self.wfile.write(block)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/big.pdf"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_download_over_the_cap_fails_and_leaves_nothing(tmp_path: Path) -> None:
    unannounced = _Unannounced(BIG)
    try:
        with LoopbackServer() as server:
            server.content["big.pdf"] = b"%PDF-1.7\n" + bytes(BIG)
            server.content["seed.txt"] = SEED.read_bytes()
            report = _ingest(tmp_path, [server.url("big.pdf"), unannounced.url, server.url("seed.txt")],
                             max_download_mb=1)
    finally:
        unannounced.close()
    errors = {r.source_file: r.error for r in report.results}
    assert "larger than the --max-download limit of 1 MB (3 MB announced)" in errors[server.url("big.pdf")]
    assert "received when it was stopped" in errors[unannounced.url]
    assert [r.status.value for r in report.results if r.source_file.endswith("seed.txt")] == ["ok"]
    assert [n for n in _leftovers(tmp_path) if "big" in n] == []


def test_unparseable_urls_fail_alone(tmp_path: Path) -> None:
    bad = ["http://[::1/x.pdf", "http://xn--/x.pdf"]
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED.read_bytes())
    report = _ingest(tmp_path / "out", bad, [inbox])
    by_name = {r.source_file: r for r in report.results}
    for url in bad:
        assert by_name[url].status.value == "failed" and "the URL cannot be parsed" in by_name[url].error
    assert [r.status.value for r in report.results if r.source_file.endswith("seed.txt")] == ["ok"]
    assert (tmp_path / "out" / "csv" / "sources.csv").read_text(encoding="utf-8-sig").count("\n") == 4


def test_url_credentials_reach_the_request_only(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with LoopbackServer() as server:
        server.content["seed.txt"] = SEED.read_bytes()
        secret = server.url("seed.txt").replace("http://", "http://clerk:s3cret-pw@")
        missing = server.url("missing.txt").replace("http://", "http://clerk:s3cret-pw@")
        report = _ingest(tmp_path, [secret, missing])
    assert sorted(r.source_file for r in report.results) == sorted(
        u.replace("clerk:s3cret-pw@", "***@") for u in (secret, missing))
    assert sorted(r.status.value for r in report.results) == ["failed", "ok"]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "downloads" not in p.parts]
    assert len(written) > 10 and not [p for p in written if b"s3cret" in p.read_bytes()]  # CSVs, Parquet, catalog
    with sqlite3.connect(tmp_path / CATALOG_NAME) as db:
        rows = db.execute("SELECT source || source_file FROM files").fetchall()
    assert len(rows) == 2 and all("s3cret" not in row[0] and "***@" in row[0] for row in rows)
    captured = capsys.readouterr()
    assert "s3cret" not in captured.out + captured.err
    assert "s3cret" not in " ".join(r.error or "" for r in report.results)


def test_a_download_that_fills_the_disk_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plansheet.batch.fetch as fetch

    def full_disk(prefix: str, suffix: str, dir: Path) -> tuple[int, str]:  # noqa: A002 (mkstemp's name)
        return os.open("/dev/full", os.O_WRONLY), str(Path(dir) / f"{prefix}full{suffix}")

    monkeypatch.setattr(fetch.tempfile, "mkstemp", full_disk)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED.read_bytes())
    with LoopbackServer() as server:
        server.content["result.txt"] = SEED.read_bytes()
        report = _ingest(tmp_path / "out", [server.url("result.txt")], [inbox])
    by_name = {r.source_file.rsplit("/", 1)[-1]: r for r in report.results}
    assert by_name["result.txt"].status.value == "failed"
    assert "could not save the download (disk full" in by_name["result.txt"].error
    assert by_name["seed.txt"].status.value == "ok"  # the folders' conversion goes on
    assert plansheet.load(tmp_path / "out")["goals"].shape[0] == 6
