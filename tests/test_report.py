"""plansheet report: one self-contained HTML page, rendered in headless Chromium without errors."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import plansheet
from plansheet.output.writers import ensure_layout
from plansheet.cli.main import main
from plansheet.derived.report import ERROR_MARKER, ONERROR, render_report, write_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lineage samples, one other department and a broken file, converted once."""
    folder = tmp_path_factory.mktemp("report_out")
    broken = folder.parent / "broken.pdf"
    broken.write_bytes(b"this is not a PDF")
    plansheet.extract([ROOT / "samples" / "lineage", ROOT / "samples" / "printed" / "result.cid.pdf", broken],
                      folder / "data")
    return folder / "data"


@pytest.fixture(scope="module")
def page(out: Path) -> Path:
    return write_report(out, out.parent / "report.html")


def test_report_has_every_section(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for anchor in ("id='documents'", "id='heatmap'", "class='lineage'", "id='chains'", "id='bad-sources'"):
        assert anchor in text
    assert "環境部" in text and "健康福祉部" in text
    assert "broken.pdf" in text and "failed" in text
    assert "2021: C → 2022: A → 2023: B" in text  # the carried-over ごみ goal's grade trajectory


def test_report_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://|\bsrc=|\bhref=|<link|@import|url\(", text)


def test_report_escapes_text(tmp_path: Path) -> None:
    ensure_layout(tmp_path)
    tables = plansheet.load(tmp_path)
    html = render_report(tables, "<b>&</b>")
    assert "<title>&lt;b&gt;&amp;&lt;/b&gt;</title>" in html


def test_cli_report(out: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(out), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert CliRunner().invoke(main, ["report", str(tmp_path / "missing"), "--out", str(target)]).exit_code == 2


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    pytest.skip("chromium is not installed (`make test` installs Debian's chromium)")


def _render(html: Path, profile: Path, screenshot: Path | None = None) -> tuple[str, str]:
    """Load a page in headless Chromium with the network cut off: (DOM after scripts ran, stderr)."""
    args = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1600"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    done = subprocess.run(args + [html.as_uri()], capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def _problems(dom: str, log: str) -> list[str]:
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    marked = re.search(f"<title>[^<]*{ERROR_MARKER}", dom) or re.search(r"<html[^>]*data-error=", dom)
    return console + ([f"page marked {ERROR_MARKER}"] if marked else [])


def test_the_error_check_catches_a_broken_page(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(f"<!DOCTYPE html><html><head><title>x</title>{ONERROR}</head>"
                   "<body><script>missingFunction();</script></body></html>", encoding="utf-8")
    assert _problems(*_render(bad, tmp_path / "profile"))


def test_report_renders_in_chromium_without_errors(page: Path, tmp_path: Path) -> None:
    dom, log = _render(page, tmp_path / "profile")
    assert "<svg" in dom and "環境部" in dom
    assert _problems(dom, log) == []
    screenshot = tmp_path / "report.png"
    _render(page, tmp_path / "profile", screenshot)
    assert screenshot.stat().st_size > 10_000
