"""A scripted sequence of nights, each followed by a comparison with a clean rebuild of the same sources.

One archive is ingested night after night while its inputs change the way an operator's do:
unchanged nights, a file changed in place, a URL re-published with new bytes, a file
renamed, a URL dropped from the list, a source retired, identical bytes under two names.
After each night every document table, every CSV and ``goal_lineage`` must equal those of
a clean ingest of the night's sources into an empty folder, the ``sources`` rows of current
sources must equal the clean ones, and the other rows must say ``gone`` or ``retired``.
In the crash variant an ingest of each night is first SIGKILLed at a random moment (the
process group, as tests/test_crash_safety.py does) and then run again to the end.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from plansheet.batch.archive import retire
from plansheet.batch.catalog import CATALOG_NAME, Catalog
from plansheet.batch.executors import run_sequential
from plansheet.batch.ingest import ingest
from plansheet.output.rows import DOCUMENT_TABLES
from plansheet.output.writers import read_table
from plansheet.settings import Settings

from conftest import ROOT, SAMPLES, SEED, kill_at
from test_ingest import LoopbackServer

# A guard against a hang only, not a budget: nights[crash] ingests each night 4-6 times in subprocesses and
# its wall time follows the machine's load (26 s quiet, 183 s at load 10); every subprocess has its own timeout
pytestmark = pytest.mark.timeout(1800)
TIMING = ["seconds", "extracted_at", "source_modified"]  # times: a clean rebuild has its own
SEED_RANDOM = int(os.environ.get("PLANSHEET_CRASH_SEED", "20240601"))


@dataclass
class World:
    """The night's inputs: an inbox folder, a loopback server and the URL list."""

    root: Path
    server: LoopbackServer
    urls: list[str] = field(default_factory=list)  # paths on the server, in list order
    retired: list[str] = field(default_factory=list)  # sources the operator retired (full names)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    def url(self, path: str) -> str:
        return self.server.url(path)

    def url_list(self) -> list[str]:
        return [self.url(p) for p in self.urls]

    def write_url_file(self) -> Path:
        path = self.root / "urls.txt"
        path.write_text("".join(f"{self.url(p)}   # night list\n" for p in self.urls))
        return path

    def ingest(self, out: Path, urls: list[str] | None = None) -> None:
        ingest(out, [self.inbox], self.url_list() if urls is None else urls, Settings(http_timeout_s=5.0),
               runner=run_sequential)

    def clean_rebuild(self, out: Path) -> None:
        """Ingest the night's sources (without the retired ones) into an empty folder."""
        shutil.rmtree(out, ignore_errors=True)
        self.ingest(out, [u for u in self.url_list() if u not in self.retired])


def _rows(out: Path, name: str, drop: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    frame = read_table(out, name).to_pandas().drop(columns=list(drop))
    return sorted(repr(sorted(row.items())) for row in frame.to_dict("records"))


def _tables(out: Path) -> dict[str, object]:
    """Everything the document tables hold, their CSVs and goal_lineage, and their file names."""
    snap: dict[str, object] = {name: _rows(out, name) for name in DOCUMENT_TABLES}
    for csv in sorted((out / "csv").glob("*.csv")):
        if csv.name != "sources.csv":
            snap[csv.name] = csv.read_bytes()
    snap["files"] = sorted(p.relative_to(out).as_posix() for p in (out / "parquet").rglob("*")
                           if p.is_file() and "sources" not in p.parts)
    return snap


def _sources(out: Path) -> dict[str, dict]:
    rows = read_table(out, "sources").drop(TIMING).to_pylist()
    return {row["source_file"]: row for row in rows}


def _all_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for folder in ("parquet", "csv")
            for p in sorted((out / folder).rglob("*")) if p.is_file()}


def _check_night(world: World, archive: Path, clean: Path, others: dict[str, str], night: str) -> None:
    world.clean_rebuild(clean)
    got, want = _tables(archive), _tables(clean)
    for key in want:
        assert got.get(key) == want[key], f"night {night!r}: {key} differs from the clean rebuild"
    assert got.keys() == want.keys(), night
    sources, expected = _sources(archive), _sources(clean)
    current = {n: r for n, r in sources.items() if r["state"] == "current"}
    assert current == expected, f"night {night!r}: the current sources differ from the clean rebuild"
    assert {n: r["state"] for n, r in sources.items() if n not in current} == others, night
    for name, row in current.items():  # each row holds the bytes its source holds tonight
        data = ((world.root / name).read_bytes() if not name.startswith("http")
                else world.server.content[name.rsplit("/", 1)[-1]])
        assert row["source_sha256"] == hashlib.sha256(data).hexdigest(), (night, name)
    catalog = Catalog(archive / CATALOG_NAME)
    try:
        assert not [c for c in catalog.contents() if c.pending], night
        assert not catalog.dirty(), night
    finally:
        catalog.close()
    assert not [p for p in archive.rglob(".*") if p.name != ".plansheet.lock"], f"night {night!r}: temp files left"


def _ingest_command(world: World, out: Path) -> list[str]:
    return [sys.executable, "-c", "from plansheet.cli.main import main; main()", "ingest", str(world.inbox),
            "--urls", str(world.write_url_file()), "--out", str(out), "--ocr", "never", "--http-timeout", "5",
            "--executor", "sequential"]


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(src.read_bytes())


WORKBOOKS = SAMPLES / "workbooks"
RESULT_PDF = SAMPLES / "printed" / "result.reportlab.pdf"


def _nights(world: World) -> list[tuple[str, Callable[[], None], dict[str, str]]]:
    """(name, what changes before the night, the states of the sources no longer current after it)."""
    inbox, content = world.inbox, world.server.content
    side = "inbox/side.xlsx"  # source_file: the path below the folder given

    def first() -> None:
        _copy(SEED, inbox / "plan.txt")
        _copy(WORKBOOKS / "sidebyside.xlsx", inbox / "side.xlsx")
        (inbox / "empty.pdf").write_bytes(b"")  # fails every night: retried, its row unchanged
        content.update({"r1.xlsx": (WORKBOOKS / "reiwa1.xlsx").read_bytes(), "res.pdf": RESULT_PDF.read_bytes(),
                        "old.xlsx": (WORKBOOKS / "result.xlsx").read_bytes()})
        world.urls[:] = ["r1.xlsx", "res.pdf", "old.xlsx"]

    def changed_in_place() -> None:  # the same sheet edited (another sheet under the name is added: test_review3_archive)
        (inbox / "plan.txt").write_bytes(SEED.read_bytes().replace("市政運営".encode(), "市政の運営".encode()))

    def republished() -> None:  # the same sheet, saved as an HTML page
        content["r1.xlsx"] = (WORKBOOKS / "reiwa1.html.xls").read_bytes()

    def renamed_file() -> None:
        (inbox / "2024").mkdir()
        (inbox / "side.xlsx").rename(inbox / "2024" / "side.xlsx")

    def retired() -> None:
        world.urls.remove("old.xlsx")  # dropped from the list: gone
        world.retired.append(world.url("res.pdf"))  # still listed, retired by the operator

    def identical_bytes() -> None:
        _copy(inbox / "plan.txt", inbox / "copies" / "plan.txt")
        content["dup.xlsx"] = (inbox / "2024" / "side.xlsx").read_bytes()
        world.urls.append("dup.xlsx")

    gone = {side: "gone"}
    after_retire = {**gone, world.url("old.xlsx"): "gone", world.url("res.pdf"): "retired"}
    return [("first", first, {}), ("unchanged", lambda: None, {}), ("changed in place", changed_in_place, {}),
            ("URL re-published", republished, {}), ("renamed", renamed_file, gone),
            ("retired", retired, after_retire), ("identical bytes", identical_bytes, after_retire),
            ("unchanged again", lambda: None, after_retire)]


def _kill_tonight(world: "World", archive: Path, tmp_path: Path, share: float, tries: int = 4) -> bool:
    """Kill tonight's ingest into ``archive`` ``share`` of the way through (timed on a copy). On a
    loaded machine the ingest may end before the kill, or be killed before it wrote anything: then
    the archive is put back as it was and the kill tried again earlier or later. True when a kill
    landed while the ingest was writing (the archive differs from what it was)."""
    scratch, before = tmp_path / "scratch", tmp_path / "before"
    for path in (scratch, before):
        shutil.rmtree(path, ignore_errors=True)
        if archive.exists():
            shutil.copytree(archive, path)
    started = time.monotonic()
    subprocess.run(_ingest_command(world, scratch), cwd=ROOT, capture_output=True, timeout=120)
    delay = share * (time.monotonic() - started)
    def every_file(out: Path) -> dict[str, bytes]:  # staging and state too: a kill while converting counts
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} \
            if out.exists() else {}

    was = every_file(before)
    for _ in range(tries):
        killed = kill_at(_ingest_command(world, archive), delay)
        if killed and every_file(archive) != was:
            return True
        shutil.rmtree(archive, ignore_errors=True)  # tonight again, from where it began
        if before.exists():
            shutil.copytree(before, archive)
        delay *= 1.3 if killed else 0.6  # killed before it wrote anything: later; it ran to the end: sooner
    return False


@pytest.mark.parametrize("crash", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["plain", "crash"])
def test_nights_equal_a_clean_rebuild(crash: bool, tmp_path: Path) -> None:
    rng = random.Random(SEED_RANDOM)
    archive, clean = tmp_path / "archive", tmp_path / "clean"
    (tmp_path / "inbox").mkdir()
    landed = 0
    with LoopbackServer() as server:
        world = World(tmp_path, server)
        before: dict[str, bytes] = {}
        for name, change, others in _nights(world):
            change()
            if name == "retired":
                retire(archive, world.url("res.pdf"))
            if crash:  # time tonight's ingest on a copy of the archive, then kill the real one within that span
                landed += _kill_tonight(world, archive, tmp_path, rng.uniform(0.3, 0.9))
            world.ingest(archive)
            _check_night(world, archive, clean, others, name)
            if name.startswith("unchanged"):
                assert _all_bytes(archive) == before, f"night {name!r} rewrote a file"
            before = _all_bytes(archive)
    if crash:
        print(f"nights: {landed} of 8 kills landed while the ingest ran")
        assert landed >= 5


def test_a_merge_killed_after_rewriting_the_tables_still_updates_the_lineage(tmp_path: Path, monkeypatch) -> None:
    """The departments whose rows a merge drops are noted before any file changes."""
    from plansheet.output import dataset

    inbox, archive, clean = tmp_path / "inbox", tmp_path / "archive", tmp_path / "clean"
    _copy(WORKBOOKS / "reiwa1.xlsx", inbox / "plan.xlsx")
    _copy(SEED, inbox / "other.txt")
    ingest(archive, [inbox], runner=run_sequential)
    _copy(WORKBOOKS / "seed.xlsx", inbox / "plan.xlsx")  # 経営企画部 2019 gives way to 政策推進部 2023

    def killed(out: Path, touched: object) -> None:
        raise KeyboardInterrupt("killed after the part files were rewritten")

    with monkeypatch.context() as patch:
        patch.setattr(dataset, "save_pending", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest(archive, [inbox], runner=run_sequential)
    ingest(archive, [inbox], runner=run_sequential)
    ingest(clean, [inbox], runner=run_sequential)
    assert (archive / "csv" / "goal_lineage.csv").read_bytes() == (clean / "csv" / "goal_lineage.csv").read_bytes()
