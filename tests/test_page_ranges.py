"""A pool's last files read as page ranges: the outcome is the one a whole read gives."""
from __future__ import annotations

import pickle
from collections import deque
from pathlib import Path

import pytest

from plansheet.batch import page_ranges
from plansheet.batch.executors import ProcessExecutor, Task, failed_outcome, run_sequential
from plansheet.batch.page_ranges import CutFiles, PageRange, RangeRead, RangesParse, run_unit, split_tail
from plansheet.errors import ErrorStage
from plansheet.pipeline.stages import FileOutcome, PagesRead, process_file
from plansheet.settings import OcrSettings, Settings

from conftest import SAMPLES, SEED

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the pools' wall time follows the load

TEXT_PDFS = sorted([*(SAMPLES / "printed").glob("*.pdf"), *(SAMPLES / "lineage").glob("*.pdf")])


def comparable(outcome: FileOutcome) -> tuple:
    """An outcome without what differs from run to run (the seconds, the time it was made)."""
    row = outcome.result.to_row()
    del row["seconds"], row["extracted_at"]
    return row, outcome.result.rows, outcome.documents, outcome.facts


def read_in_ranges(path: Path, settings: Settings, size: int) -> RangeRead:
    """The file's pages read as workers read a cut file's ranges, ``size`` pages at a time."""
    task = Task.of(path)
    pages = 0
    parts = []
    while True:
        part = run_unit(PageRange(task, range(pages, pages + size)), settings)
        assert isinstance(part, RangeRead) and part.pages is not None and len(part.pages) == 1
        if not pickle.loads(part.pages[0]):  # past the last page
            break
        parts.append(part)
        pages += size
    assert len({part.stamp for part in parts}) == 1
    return RangeRead(parts[0].stamp, [p for part in parts for p in part.pages or []])


def replaying(tmp_path: Path) -> Settings:
    """Settings whose OCR answers are kept in ``tmp_path``: a page image the whole read sent to Tesseract
    is answered from there when a range read sends the same bytes again (any other image goes to
    Tesseract), so a scanned page is recognised once, not once per read."""
    return Settings(ocr=OcrSettings(cache_dir=str(tmp_path / "ocr")))


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.name)
def test_ranges_parse_to_the_whole_reads_outcome(path: Path, tmp_path: Path) -> None:
    settings = replaying(tmp_path)
    whole = process_file(path, settings)
    assert whole.result.pages and whole.result.pages >= 4
    for size in (1, 3):
        ahead = read_in_ranges(path, settings, size)
        pages = [page for part in ahead.pages or [] for page in pickle.loads(part)]
        assert len(pages) == whole.result.pages
        assert comparable(process_file(path, settings, ahead=PagesRead(pages))) == comparable(whole)
        assert comparable(run_unit(RangesParse(Task.of(path), ahead), settings)) == comparable(whole)


ACROSS = sorted((Path(__file__).parent / "fixtures" / "fuzz").glob("across-*.pdf"))


@pytest.mark.parametrize("path", ACROSS, ids=lambda p: p.name)
def test_a_sheet_printed_across_pages_is_read_whole(path: Path, tmp_path: Path) -> None:
    """The reader joins a page open at its right edge with the page across: a range holding one is not
    read apart, and the file is read whole where its parse runs."""
    settings = replaying(tmp_path)
    task = Task.of(path)
    whole = process_file(path, settings)
    reads = [run_unit(PageRange(task, range(at, at + 1)), settings) for at in range(whole.result.pages or 0)]
    assert RangeRead() in reads  # a page open at its right
    cut = CutFiles([PageRange(task, range(at, at + 1)) for at in range(len(reads))])
    pending: deque = deque()
    for at, read in enumerate(reads):
        cut.settle(PageRange(task, range(at, at + 1)), read, pending)
    assert pending[0] == RangesParse(task, None)
    assert comparable(run_unit(pending[0], settings)) == comparable(whole)


def test_pages_of_other_bytes_are_read_again(tmp_path: Path) -> None:
    settings = Settings()
    target = tmp_path / "sheet.pdf"
    target.write_bytes((SAMPLES / "printed" / "reiwa1.cid.pdf").read_bytes())
    stale = read_in_ranges(target, settings, 2)
    target.write_bytes((SAMPLES / "printed" / "result.cid.pdf").read_bytes())  # changed after its ranges were read
    again = run_unit(RangesParse(Task.of(target), stale), settings)
    assert comparable(again) == comparable(process_file(target, settings))
    assert again.result.pages == 5  # result.cid.pdf's pages, not reiwa1's 4


def test_a_range_not_read_makes_the_file_read_whole(tmp_path: Path) -> None:
    settings = Settings()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((SAMPLES / "printed" / "seed.cid.pdf").read_bytes()[:3000])  # truncated
    task = Task.of(broken)
    assert run_unit(PageRange(task, range(0, 2)), settings) == RangeRead()
    outcome = run_unit(RangesParse(task, None), settings)
    assert comparable(outcome) == comparable(process_file(broken, settings))
    assert outcome.result.status.value == "failed"


def test_the_last_files_of_the_queue_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = [Task.of(p) for p in (SEED, SAMPLES / "printed" / "seed.cid.pdf", SAMPLES / "printed" / "volume.reportlab.pdf",
                                  SAMPLES / "scanned" / "seed.scan.pdf", SAMPLES / "printed" / "reiwa1.cid.pdf")]
    volume, scan = tasks[2], tasks[3]
    assert split_tail(tasks, 2, Settings()) == tasks  # 14 pages or fewer: each ends within the early finish's reach
    monkeypatch.setattr(page_ranges, "CUT_FROM_PAGES", 12)  # the samples are short
    assert split_tail(tasks, 1, Settings()) == tasks  # one worker: nothing to balance
    units = split_tail(tasks[:3], 2, Settings())
    assert units[:2] == tasks[:2]  # seed.cid.pdf (7 pages) is too short to cut
    assert [u.pages for u in units[2:]] == [range(0, 4), range(4, 9), range(9, 14)]  # of about equal length
    assert all(u.task == volume for u in units[2:])
    assert split_tail([volume, scan], 2, Settings())[-1] == scan  # a probable scan is OCRed whole
    assert split_tail([volume], 2, Settings(ocr_mode="always")) == [volume]
    assert split_tail([volume], 2, Settings(max_pages=10)) == [volume]  # triage refuses it: not read in ranges
    assert split_tail([volume], 2, Settings(), {volume: 11}) == [volume]  # weighed lighter: not opened again
    assert len(split_tail([volume], 2, Settings(), {volume: 14})) == 3
    assert split_tail([volume, volume], 2, Settings()) == [volume, volume]  # given twice: read twice, whole


def test_a_failed_range_fails_its_file_once() -> None:
    task, other = Task.of(SAMPLES / "printed" / "volume.reportlab.pdf"), Task.of(SEED)
    ranges = [PageRange(task, range(at, at + 6)) for at in (0, 6, 12)]
    cut = CutFiles([other, *ranges])
    pending: deque = deque([ranges[2], other])
    died = failed_outcome(task, ErrorStage.READ, "worker died", sha256="x")
    assert cut.settle(ranges[1], RangeRead((1, 2, 3, 4), [], 0.1), pending) is None
    assert cut.waiting()
    assert cut.settle(ranges[0], died, pending) is died  # its worker died: the file fails
    assert list(pending) == [other]  # and its ranges not handed out yet are dropped
    assert not cut.waiting()
    assert cut.settle(ranges[2], RangeRead((1, 2, 3, 4), [], 0.1), pending) is None  # handed out before: ignored


def test_the_parse_is_queued_first_once_every_range_is_in() -> None:
    task, other = Task.of(SAMPLES / "printed" / "volume.reportlab.pdf"), Task.of(SEED)
    ranges = [PageRange(task, range(at, at + 6)) for at in (0, 6, 12)]
    cut = CutFiles(ranges)
    pending: deque = deque([other])
    for unit in (ranges[2], ranges[0], ranges[1]):  # in any order
        assert cut.settle(unit, RangeRead((1, 2, 3, 4), [unit.pages.start], 0.5), pending) is None
    parse = pending[0]
    assert isinstance(parse, RangesParse) and parse.task == task
    assert parse.read is not None and parse.read.pages == [0, 6, 12] and parse.read.seconds == 1.5
    other_bytes = CutFiles(ranges)
    for unit, size in zip(ranges, (10, 10, 11)):
        other_bytes.settle(unit, RangeRead((1, 2, size, 4), [], 0.0), pending)
    assert pending[0] == RangesParse(task, None)  # read from two versions of the file: read it whole


def test_a_pool_with_cut_files_gives_what_sequential_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_ranges, "RANGE_PAGES", 2)  # the samples are short: cut them finer
    monkeypatch.setattr(page_ranges, "CUT_FROM_PAGES", 4)
    files = [SEED, SAMPLES / "printed" / "reiwa1.cid.pdf", SAMPLES / "printed" / "volume.reportlab.pdf",
             SAMPLES / "printed" / "sidebyside.cid.pdf"]
    settings = Settings(workers=2)
    units = split_tail([Task.of(f) for f in files], 2, settings)
    assert sum(isinstance(u, PageRange) for u in units) == 7 + 3  # the volume (14 pages) and sidebyside (6), 2 by 2
    sequential = {o.result.source_file: comparable(o) for o in run_sequential(files, settings)}
    pooled = {o.result.source_file: comparable(o)
              for o in ProcessExecutor(workers=2, timeout_s=120)(files, settings, ordered=True)}
    assert pooled == sequential
