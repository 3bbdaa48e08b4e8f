"""plansheet report: one self-contained HTML page, rendered in headless Chromium without errors."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
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
    # the inputs were named below ROOT/samples (and the broken file below the output's parent)
    return write_report(out, out.parent / "report.html", files_root=ROOT / "samples")


def test_report_has_every_section(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for anchor in ("id='documents'", "id='heatmap'", "class='lineage'", "id='chains'", "id='bad-sources'"):
        assert anchor in text
    assert "環境部" in text and "健康福祉部" in text
    assert "broken.pdf" in text and "failed" in text
    shown = re.sub(r"<[^>]+>", "", text)  # the grades are links
    assert "2021: C → 2022: A → 2023: B" in shown  # the carried-over ごみ goal's grade trajectory


def test_report_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://|\bsrc=|<link|@import|url\(", text)
    for href in re.findall(r"href='([^']*)'", text):  # links only to the source files beside it
        assert (page.parent / href.partition("#")[0]).is_file(), href


def test_rows_link_to_their_file_and_page(page: Path, out: Path) -> None:
    text = page.read_text(encoding="utf-8")
    tables = plansheet.load(out)
    goals = tables["goals"].merge(tables["documents"][["doc_id", "source_file"]], on="doc_id")
    ended = goals[(goals["department"] == "環境部") & (goals["fiscal_year"] == 2021) & (goals["goal_no"] == 1)].iloc[0]
    href = Path(os.path.relpath(ROOT / "samples" / ended["source_file"], page.parent)).as_posix()
    assert f"href='{href}#page={int(ended['page'])}'" in text


def test_the_heat_map_shows_the_grade_distribution_not_a_mean(page: Path, out: Path) -> None:
    text = page.read_text(encoding="utf-8")
    heatmap = text[text.index("id='heatmap'"):text.index("</svg>", text.index("id='heatmap'"))]
    tables = plansheet.load(out)
    goals = tables["goals"]
    cells = re.findall(r"<g class='cell'><title>([^<]*)</title>(.*?)</g>", heatmap)
    for label, body in cells:
        dept, year = label.split(": ")[0].rsplit(" ", 1)
        mine = goals[(goals["department"] == dept.split(" ")[-1]) & (goals["fiscal_year"] == int(year))]
        shown = re.findall(r"data-grade='([A-E]?)'", body)
        assert sorted(shown) == sorted("" if pd.isna(g) else str(g) for g in mine["overall_grade"]), label
    assert len(cells) == 4 and "mean" not in heatmap


def test_goals_that_ended_are_marked(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.count("ended: no successor in") == 2  # 2021's goal 4 and 2022's goal 5 (samples/truth)
    assert "ended: no successor in 2022" in text and "ended: no successor in 2023" in text


def test_report_fits_a_phone(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in text
    # headless Chromium keeps windows at least 500 px wide: the page goes into a 390-px frame
    frame = html.escape(text, quote=True)
    probe = page.parent / "phone.html"
    probe.write_text("<!DOCTYPE html><html><head><title>probe</title></head><body style='margin:0'>"
                     f"<iframe id='f' style='width:390px;height:844px;border:0' srcdoc=\"{frame}\"></iframe>"
                     "<script>document.getElementById('f').addEventListener('load',function(){var d="
                     "this.contentDocument;document.title='W '+d.documentElement.scrollWidth+' '+"
                     "this.contentWindow.innerWidth;});</script></body></html>", encoding="utf-8")
    dom, log = _render(probe, tmp_path / "profile")
    widths = re.search(r"<title>W (\d+) (\d+)</title>", dom)
    assert widths, dom[:300]
    scroll, inner = map(int, widths.groups())
    assert inner == 390 and scroll <= inner, (scroll, inner)  # nothing wider than the phone


def test_report_escapes_text(tmp_path: Path) -> None:
    ensure_layout(tmp_path)
    tables = plansheet.load(tmp_path)
    html = render_report(tables, "<b>&</b>")
    assert "<title>&lt;b&gt;&amp;&lt;/b&gt;</title>" in html


def test_cli_report_writes_into_the_output_folder_by_default(out: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_refuses_a_folder_that_is_not_an_output(out: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(out / "parquet"), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and f"give its parent, {out}" in result.output
    assert not (tmp_path / "r.html").exists()


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


def _render(html: Path, profile: Path, screenshot: Path | None = None, size: str = "1280,1600") -> tuple[str, str]:
    """Load a page in headless Chromium with the network cut off: (DOM after scripts ran, stderr)."""
    args = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--window-size={size}"]
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


def test_the_report_counts_each_sheet_once_unless_asked_for_every_copy(copies_output: Path, tmp_path: Path) -> None:
    def seed_cell(copies: str) -> str:
        target = tmp_path / f"{copies}.html"
        result = CliRunner().invoke(main, ["report", str(copies_output), "--out", str(target), "--copies", copies])
        assert result.exit_code == 0, result.output
        text = target.read_text(encoding="utf-8")
        row = re.search(r"<tr><th>[^<]*政策推進部</th>(.*?)</tr>", text).group(1)
        return re.sub(r"<[^>]+>", " ", row).split()[-1]  # the row's total

    assert seed_cell("current") == "1" and seed_cell("all") == "4"  # the seed sheet: four copies
