"""Every triage case of a batch gets its own ``sources`` row, and the batch goes on.

The bad inputs are made here from the committed samples by byte tricks (and pikepdf /
reportlab for the encrypted and the foreign PDF), so each case is one small file.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import plansheet
from plansheet.cli.main import main
from plansheet.batch.executors import run_sequential
from plansheet.settings import Settings

from conftest import SAMPLES, SEED

PDF = SAMPLES / "printed" / "seed.cid.pdf"
VOLUME = SAMPLES / "printed" / "volume.reportlab.pdf"


def _encrypted(target: Path, password: str = "secret") -> Path:
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(PDF) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="owner", user=password, R=6))
    return target


def _foreign_pdf(target: Path, size: tuple[float, float] = (595, 842)) -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(target), pagesize=size)
    c.drawString(72, 700, "Invoice 2023-17: total 12,000 yen")
    c.save()
    return target


def _bad_page(target: Path) -> Path:
    """The compiled volume with page 3's content stream replaced by bytes that do not inflate."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(VOLUME) as pdf:
        pdf.pages[2].Contents.write(b"\x78\x9c this is not deflate data", filter=pikepdf.Name.FlateDecode)
        pdf.save(target)
    return target


def _zip_bomb(target: Path, part: str = "xl/worksheets/sheet99.dat") -> Path:
    """The seed's workbook with a ``part`` that inflates to 65 MB (about 70 KB packed)."""
    with zipfile.ZipFile(SAMPLES / "workbooks" / "seed.xlsx") as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        bomb.writestr(part, b"<row/>" * (65 * 2 ** 20 // 6))
    return target


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """One batch with every bad case and two good files, converted once."""
    folder = tmp_path_factory.mktemp("triage_in")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    data = PDF.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 300)
    _encrypted(folder / "locked.pdf")
    _foreign_pdf(folder / "invoice.pdf")
    _foreign_pdf(folder / "poster.pdf", size=(20000, 20000))
    (folder / "latin1.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    _zip_bomb(folder / "bomb.xlsx")
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    (folder / "good.pdf").write_bytes(data)
    out = tmp_path_factory.mktemp("triage_out")
    results = plansheet.extract([folder], out, runner=run_sequential)
    assert len(results) == 11
    sources = plansheet.load(out)["sources"]
    rows = {Path(r["source_file"]).name: r for r in sources.to_dict("records")}
    return out, rows


@pytest.mark.parametrize("name, stage, words", [
    ("empty.pdf", "triage", ["empty file (0 bytes)"]),
    ("photo.pdf", "triage", ["PNG image", "not a PDF"]),
    ("truncated.pdf", "triage", ["corrupt or truncated PDF", "re-download"]),
    ("garbage.pdf", "triage", ["corrupt or truncated PDF"]),
    ("locked.pdf", "triage", ["encrypted PDF", "--password"]),
    ("poster.pdf", "triage", ["page 1 is 20000×20000 pt", "limit"]),
    ("latin1.txt", "triage", ["in none of the encodings plansheet reads", "Shift_JIS", "re-save it as UTF-8"]),
    ("bomb.xlsx", "triage", ["unpacks to 65 MB", "sheet99.dat: 65 MB", "over the limit of 16 MB", "ZIP bomb"]),
])
def test_bad_input_fails_with_one_actionable_line(batch: tuple[Path, dict[str, dict]], name: str, stage: str,
                                                  words: list[str]) -> None:
    row = batch[1][name]
    assert row["status"] == "failed"
    assert row["error_stage"] == stage
    assert row["documents"] == 0
    assert "\n" not in row["error"] and name in row["error"]
    for word in words:
        assert word in row["error"]


def test_a_pdf_that_is_no_sheet_is_skipped(batch: tuple[Path, dict[str, dict]]) -> None:
    row = batch[1]["invoice.pdf"]
    assert row["status"] == "skipped"
    assert "not a management sheet" in row["error"]


def test_the_good_files_of_the_batch_are_converted(batch: tuple[Path, dict[str, dict]]) -> None:
    out, rows = batch
    assert rows["good.txt"]["status"] == "ok" and rows["good.pdf"]["status"] == "ok"
    documents = plansheet.load(out, copies="all")["documents"]
    assert sorted(documents["source_file"].map(lambda s: Path(s).name)) == ["good.pdf", "good.txt"]


def test_the_right_password_opens_an_encrypted_pdf(tmp_path: Path) -> None:
    locked = _encrypted(tmp_path / "locked.pdf")
    [wrong] = plansheet.extract([locked], tmp_path / "a", Settings(password="nope"), runner=run_sequential)
    assert wrong.status.value == "failed" and "password" in wrong.error
    [right] = plansheet.extract([locked], tmp_path / "b", Settings(password="secret"), runner=run_sequential)
    assert right.status.value == "ok" and right.documents == 1


def test_page_count_past_the_limit_is_refused(tmp_path: Path) -> None:
    [result] = plansheet.extract([VOLUME], tmp_path, Settings(max_pages=5), runner=run_sequential)
    assert result.status.value == "failed" and result.error_stage == "triage"
    assert "over the limit of 5" in result.error and "--max-pages" in result.error


def test_one_bad_page_makes_the_file_partial_and_keeps_the_rest(tmp_path: Path) -> None:
    [result] = plansheet.extract([_bad_page(tmp_path / "volume.pdf")], tmp_path / "out",
                                 Settings(ocr_mode=plansheet.OcrMode.NEVER), runner=run_sequential)
    assert result.status.value == "partial"
    assert result.documents == 3  # the other departments are all there
    assert result.error and "\n" not in result.error and "page(s) 3 have no text" in result.error


def test_the_cli_goes_on_and_exits_1(batch: tuple[Path, dict[str, dict]], tmp_path: Path) -> None:
    folder = batch[0].parent / Path(batch[1]["good.txt"]["source_file"]).parent  # named below the input's parent
    run = CliRunner().invoke(main, ["extract", str(folder / "empty.pdf"), str(folder / "good.txt"),
                                    "--out", str(tmp_path), "--executor", "sequential"])
    assert run.exit_code == 1, run.output
    assert "ok       " in run.output and "empty file" in run.output


def test_a_workbook_with_a_large_picture_is_no_bomb(tmp_path: Path) -> None:
    """Pictures stay packed in the workbook reader: only the XML it parses counts toward the limit."""
    workbook = _zip_bomb(tmp_path / "photo.xlsx", part="xl/media/image1.png")
    [result] = plansheet.extract([workbook], tmp_path / "out", runner=run_sequential)
    assert result.status.value == "ok" and result.documents == 1


@pytest.mark.parametrize("name, cut", [("seed.xlsx", 6000), ("seed.xlsx", -700), ("download", 6000)])
def test_a_workbook_cut_short_is_named_as_one_to_download_again(tmp_path: Path, name: str, cut: int) -> None:
    """Review 1 D14: a truncated .xlsx had been called "a ZIP archive, not a PDF, .xlsx workbook…" (the wrong
    kind, no action); its entries name a workbook's parts even where its name does not (a download saved
    without its suffix)."""
    from plansheet.errors import TriageError
    from plansheet.pipeline.triage import triage

    path = tmp_path / name
    path.write_bytes((SAMPLES / "workbooks" / "seed.xlsx").read_bytes()[:cut])
    with pytest.raises(TriageError, match=r"corrupt or truncated \.xlsx workbook .*; re-download it$"):
        triage(path, Settings())
