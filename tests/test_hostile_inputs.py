"""Hostile inputs (issue 17): each is a small file generated here, and each ends in a clear row.

Never a traceback, never a hang, never a wrong ``ok``: every case below failed before its fix.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.batch.executors import run_sequential

from conftest import SAMPLES, SEED

WORKBOOK = SAMPLES / "workbooks" / "seed.xlsx"


def _convert(paths: list[Path], out: Path) -> tuple[list, dict]:
    results = plansheet.extract(paths, out, runner=run_sequential)
    return results, plansheet.load(out)


def _many_sheets(target: Path, extra: int = 200) -> Path:
    """The seed workbook followed by ``extra`` unrelated worksheets (minutes and a budget)."""
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK)
    for n in range(1, extra + 1):
        sheet = book.create_sheet(f"議事録{n}")
        sheet["A1"] = f"第{n}回 庁内連絡会議 議事録"
        sheet["A2"], sheet["B2"] = "議題", f"予算の執行状況について（その{n}）"
        sheet["A3"], sheet["B3"] = "結果", "次回までに各課で検討すること。"
    book.save(target)
    return target


def test_unrelated_worksheets_are_skipped_and_named(tmp_path: Path) -> None:
    plain_results, plain = _convert([WORKBOOK], tmp_path / "plain")
    results, tables = _convert([_many_sheets(tmp_path / "many.xlsx")], tmp_path / "many")
    assert [r.status.value for r in results] == ["partial"]
    warning = results[0].warnings[0]
    assert warning.startswith("200 worksheet(s) hold no part of the plan") and "'議事録1'" in warning
    assert plain_results[0].status.value == "ok"
    for table in ("documents", "goals", "targets", "initiatives", "officers"):
        drop = ["doc_id", "source_file", "source_sha256"]
        got = tables[table].drop(columns=[c for c in drop if c in tables[table]])
        want = plain[table].drop(columns=[c for c in drop if c in plain[table]])
        pd.testing.assert_frame_equal(got, want, obj=table)


def test_a_compiled_workbooks_cover_and_contents_are_its_own_and_name_the_city(tmp_path: Path) -> None:
    """A cover (部の運営方針, 八尾市) and a 目次 before the first department's sheets are the
    volume's own: kept without a warning, and the city on the cover is every department's whose
    title names none. The cover says it outright; a city named in the prose (the seed's 柏原市)
    names none."""
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK)
    contents = book.create_sheet("目次", 0)
    contents["A1"], contents["A2"] = "目次", "1 政策推進部 令和5年度 政策推進部の運営方針 … 1"
    cover = book.create_sheet("表紙", 0)
    cover["A1"], cover["A3"] = "部の運営方針", "八尾市"
    book.save(tmp_path / "volume.xlsx")
    results, tables = _convert([tmp_path / "volume.xlsx"], tmp_path / "out")
    assert [r.status.value for r in results] == ["ok"] and results[0].warnings == []
    plain_results, plain = _convert([WORKBOOK], tmp_path / "plain")
    assert plain["documents"]["municipality"].isna().all()  # the prose's 柏原市 names no municipality
    assert list(tables["documents"]["municipality"]) == ["八尾市"]  # said by the cover


def test_a_stray_cell_at_the_last_address_costs_one_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(WORKBOOK)
    book.worksheets[-1]["XFD1048576"] = "x"
    book.save(tmp_path / "stray.xlsx")
    from plansheet.readers.workbook import read_workbook

    pages = read_workbook(tmp_path / "stray.xlsx").pages
    last = [c for c in pages[-1].cells if c.text == "x"]
    assert [(c.row, c.col) for c in last] == [(1048575, 16383)]
    results, tables = _convert([tmp_path / "stray.xlsx"], tmp_path / "out")
    assert results[0].documents == 1 and len(tables["goals"]) == 6


def test_a_csv_export_of_the_sheet_reads_like_the_text_export(tmp_path: Path, seed_tables: dict) -> None:
    import csv
    import io

    rows = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    target = tmp_path / "seed.csv"
    target.write_bytes(buffer.getvalue().encode("cp932"))  # Excel's CSV on a Japanese Windows
    results, tables = _convert([target], tmp_path / "out")
    assert [r.status.value for r in results] == ["ok"], results[0].warnings
    for table in ("documents", "goals", "targets", "initiatives", "officers", "grade_scale"):
        drop = [c for c in ("doc_id", "source_file", "source_sha256") if c in tables[table]]
        pd.testing.assert_frame_equal(tables[table].drop(columns=drop), seed_tables[table].drop(columns=drop),
                                      obj=table)


def test_a_document_without_goals_is_never_ok(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    front = lines[:15] + lines[29:37]  # title, officers, 基本方針 and the legend: no 重点目標
    target = tmp_path / "front_only.txt"
    target.write_text("\n".join(front) + "\n", encoding="utf-8")
    results, tables = _convert([target], tmp_path / "out")
    assert results[0].status.value == "partial"
    assert any(w.startswith("goals (page 1): no goals") for w in results[0].warnings), results[0].warnings
    assert tables["documents"]["department"].tolist() == ["政策推進部"] and tables["goals"].empty


@pytest.mark.parametrize("name", ["seed.html.xls", "sidebyside.html.xls"])
def test_a_sheet_saved_as_html_under_an_xls_name_is_read(tmp_path: Path, name: str) -> None:
    results, tables = _convert([SAMPLES / "workbooks" / name], tmp_path / "out")
    assert [r.status.value for r in results] == ["ok"]  # every field: see test_samples_truth
    assert tables["documents"]["source_format"].tolist() == ["txt"]
    assert tables["documents"]["extraction_method"].tolist() == ["text_export"]


def test_a_sheet_saved_as_html_under_a_pdf_name_is_read_and_a_web_page_so_named_says_what_it_is(
        tmp_path: Path) -> None:
    sheet, page = tmp_path / "seed.pdf", tmp_path / "download.pdf"
    sheet.write_bytes((SAMPLES / "workbooks" / "seed.html.xls").read_bytes())
    page.write_text("<html><body><p>ページが見つかりません</p></body></html>", encoding="utf-8")
    results, tables = _convert([sheet, page], tmp_path / "out")
    rows = {Path(r.source_file).name: r for r in results}
    assert rows["seed.pdf"].status.value == "ok"
    _, as_xls = _convert([SAMPLES / "workbooks" / "seed.html.xls"], tmp_path / "xls")
    for table in ("documents", "goals", "targets", "initiatives", "officers"):
        drop = [c for c in ("doc_id", "source_file", "source_sha256") if c in tables[table]]
        pd.testing.assert_frame_equal(tables[table].drop(columns=drop), as_xls[table].drop(columns=drop), obj=table)
    assert rows["download.pdf"].status.value == "skipped"
    assert "an HTML page named .pdf" in rows["download.pdf"].error


def test_a_workbook_whose_cells_are_merged_otherwise_reads_the_same(tmp_path: Path) -> None:
    """Merges are how a sheet is drawn, not what it says: the seed workbook unmerged (each text in its first cell),
    and with its text boxes merged narrower and its officer boxes not at all, reads as the seed workbook."""
    from openpyxl import load_workbook

    targets = []
    for how in ("unmerged", "narrower"):
        book = load_workbook(WORKBOOK)
        for sheet in book.worksheets:
            for merged in list(sheet.merged_cells.ranges):
                sheet.unmerge_cells(str(merged))
                if how == "narrower" and merged.min_col < merged.max_col and merged.max_col > 4:
                    sheet.merge_cells(start_row=merged.min_row, end_row=merged.max_row, start_column=merged.min_col,
                                      end_column=merged.max_col - 1)
        targets.append(tmp_path / f"{how}.xlsx")
        book.save(targets[-1])
    _, plain = _convert([WORKBOOK], tmp_path / "plain")
    for target in targets:
        results, tables = _convert([target], tmp_path / target.stem)
        assert [r.status.value for r in results] == ["ok"], results[0].warnings
        for table in ("documents", "goals", "targets", "initiatives", "officers"):
            drop = [c for c in ("doc_id", "source_file", "source_sha256") if c in tables[table]]
            pd.testing.assert_frame_equal(tables[table].drop(columns=drop), plain[table].drop(columns=drop),
                                          obj=f"{target.name} {table}")


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    from plansheet.batch.executors import file_sha256

    assert file_sha256(fifo) is None  # no open that waits for a writer
    results, tables = _convert([fifo, SEED], tmp_path / "out")
    by_name = {Path(r.source_file).name: r for r in results}
    assert by_name["pipe.pdf"].status.value == "failed" and by_name["pipe.pdf"].error_stage == "triage"
    assert "a FIFO (named pipe), not a regular file" in by_name["pipe.pdf"].error
    assert by_name[SEED.name].status.value == "ok"


def test_misleading_messages_name_the_real_problem(tmp_path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto.format.ooxml")
    locked = tmp_path / "locked.xlsx"
    with WORKBOOK.open("rb") as plain, locked.open("wb") as out:
        msoffcrypto.OOXMLFile(plain).encrypt("secret", out)
    nul = tmp_path / "nul.txt"
    data = SEED.read_bytes()
    at = data.index(b"\n", 300) + 1
    nul.write_bytes(data[:at] + b"\x00\x00" + data[at:])
    results, _ = _convert([locked, nul], tmp_path / "out")
    errors = {Path(r.source_file).name: r.error for r in results}
    assert "password-protected workbook" in errors["locked.xlsx"] and "old Office" not in errors["locked.xlsx"]
    assert f"UTF-8 text with 2 stray NUL byte(s), the first at byte {at}" in errors["nul.txt"]


def test_a_file_name_that_is_not_utf8_is_kept_exactly_and_shown_escaped(tmp_path: Path) -> None:
    import os

    from plansheet.batch.ingest import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9-\x93\xfa.txt"))  # Latin-1 and Shift_JIS bytes
    odd.write_bytes(SEED.read_bytes())
    (folder / "z_last.txt").write_bytes(SEED.read_bytes().replace("政策推進部".encode(), "総務部".encode()))
    results, tables = _convert([folder], tmp_path / "out")
    assert [r.status.value for r in results] == ["ok", "ok"]
    shown = "in/caf\\xe9-\\x93\\xfa.txt"  # named below the folder given, not by the machine's path
    assert sorted(tables["sources"]["source_file"]) == sorted([shown, "in/z_last.txt"])
    assert shown in tables["documents"]["source_file"].tolist()
    assert shown in (tmp_path / "out" / "csv" / "sources.csv").read_text(encoding="utf-8-sig")
    assert results[0].summary_line().startswith(f"ok       {shown}: 1 document(s)")
    report = ingest(tmp_path / "ingested", [folder], [], runner=run_sequential)  # the catalog too
    assert sorted(r.status.value for r in report.results) == ["ok", "ok"]


def test_a_file_name_cannot_forge_or_hide_a_log_line(tmp_path: Path) -> None:
    evil = tmp_path / "x\nok       forged.pdf: 9 document(s)\x1b[2K\u202egpj.txt"
    evil.write_bytes(b"")
    results, tables = _convert([evil], tmp_path / "out")
    line = results[0].summary_line()
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert line.endswith("x\\nok       forged.pdf: 9 document(s)\\x1b[2K\\u202egpj.txt: empty file (0 bytes); re-download it")
    assert tables["sources"]["source_file"].tolist() == [evil.name]  # the table keeps the name as it is


def test_formulas_are_escaped_in_the_csvs_only(tmp_path: Path) -> None:
    title = "シティプロモーションの強化のため広報かしわらや柏原市ウェブサイト、各種SNSなどを活用し、柏原市の魅力を市内外に発信"
    formula = '=HYPERLINK("http://evil.example/x","詳細")'
    text = SEED.read_text(encoding="utf-8")
    assert text.count(title) >= 2
    target = tmp_path / "formula.txt"
    target.write_text(text.replace(title, formula).replace("公民連携の拡充", "+cmd|' /C calc'!A0"), encoding="utf-8")
    results, tables = _convert([target], tmp_path / "out")
    titles = tables["goals"].sort_values("goal_no")["title"].tolist()
    assert titles[:2] == [formula, "+cmd|' /C calc'!A0"]  # the Parquet keeps the text
    import csv

    with (tmp_path / "out" / "csv" / "goals.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["goal_no"]))
    assert [r["title"] for r in rows[:2]] == ["'" + formula, "'+cmd|' /C calc'!A0"]


def _poster(target: Path, side: float = 14400.0) -> Path:
    """Page 2 of the seed (goal 1's sheet) drawn on a ``side``-pt square page: a sheet printed as a poster."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(SAMPLES / "printed" / "seed.reportlab.pdf") as pdf:
        del pdf.pages[2:]
        del pdf.pages[0]
        page = pdf.pages[0]
        width, height = float(page.MediaBox[2]), float(page.MediaBox[3])
        factor = min(side / width, side / height)
        page.MediaBox = [0, 0, side, side]
        page.contents_add(pikepdf.Stream(pdf, f"{factor:.4f} 0 0 {factor:.4f} 0 0 cm\n".encode()), prepend=True)
        pdf.save(target)
    return target


@pytest.mark.tesseract
def test_a_14400_pt_page_is_ocred_at_a_capped_resolution_and_says_so(tmp_path: Path) -> None:
    from plansheet.batch.executors import ProcessExecutor
    from plansheet.settings import OcrMode, Settings

    poster = _poster(tmp_path / "poster.pdf")
    settings = Settings(ocr_mode=OcrMode.ALWAYS)
    run = ProcessExecutor(workers=1, timeout_s=600, max_memory_mb=3072)
    results = plansheet.extract([poster], tmp_path / "out", settings, runner=run)
    result = results[0]
    assert result.status.value != "failed" and result.pages_ocr == 1, result.error
    note = "page 1 is 14400×14400 pt (200×200 in): OCRed at 32 dpi instead of 300 to stay within 40 megapixels"
    assert any(w.startswith(note) for w in result.warnings), result.warnings
    assert note in result.summary_line()  # the one line names the page size, whatever the status


def _sideways(source: Path, target: Path, turn: int) -> Path:
    """``source`` with every page's content drawn turned ``turn``° counter-clockwise, /Rotate left at 0."""
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            w, h = float(page.MediaBox[2]), float(page.MediaBox[3])
            box, matrix = {90: ([h, w], f"0 1 -1 0 {h} 0"), 180: ([w, h], f"-1 0 0 -1 {w} {h}"),
                           270: ([h, w], f"0 -1 1 0 0 {w}")}[turn]
            page.MediaBox = [0, 0, *box]
            page.contents_add(pikepdf.Stream(pdf, f"{matrix} cm\n".encode()), prepend=True)
        pdf.save(target)
    return target


@pytest.mark.parametrize("backend", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_drawn_sideways_is_turned_before_reading(tmp_path: Path, turn: int, backend: str) -> None:
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import PdfSettings, Settings

    source = SAMPLES / "printed" / "seed.reportlab.pdf"
    settings = Settings(pdf=PdfSettings(backend=backend))
    sideways = _sideways(source, tmp_path / f"turned{turn}.pdf", turn)
    want, got = read_pdf(source, settings).pages, read_pdf(sideways, settings).pages
    assert [(p.width is not None and round(p.width), p.height is not None and round(p.height)) for p in got] == \
        [(round(p.width), round(p.height)) for p in want]
    assert [[(c.text, c.row, c.col) for c in p.cells] for p in got] == \
        [[(c.text, c.row, c.col) for c in p.cells] for p in want]


def test_a_sideways_sheet_converts_like_the_upright_one(tmp_path: Path) -> None:
    source = SAMPLES / "printed" / "seed.reportlab.pdf"
    _, upright = _convert([source], tmp_path / "upright")
    results, turned = _convert([_sideways(source, tmp_path / "sideways.pdf", 90)], tmp_path / "turned")
    assert [r.status.value for r in results] == ["ok"]
    assert turned["documents"][["department", "director"]].values.tolist() == [["政策推進部", "市川 信行"]]
    for table in ("goals", "targets", "initiatives"):
        pd.testing.assert_frame_equal(turned[table].drop(columns=["doc_id"]), upright[table].drop(columns=["doc_id"]))


@pytest.mark.slow
def test_a_mixed_batch_converts_the_good_files_exactly_and_gives_each_bad_one_a_row_and_a_line(
        tmp_path: Path) -> None:
    import csv
    import hashlib
    import io
    import os

    from click.testing import CliRunner

    from plansheet.cli.main import main
    from truth import load_truth, table_differences

    folder = tmp_path / "in"
    folder.mkdir()
    good = [SEED, WORKBOOK, SAMPLES / "printed" / "result.reportlab.pdf", SAMPLES / "workbooks" / "reiwa1.html.xls"]
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    _many_sheets(folder / "many_sheets.xlsx", extra=30)
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "workbooks" / "result.xlsx")
    book.worksheets[-1]["XFD1048576"] = "x"
    book.save(folder / "stray_cell.xlsx")
    rows = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    (folder / "export.csv").write_bytes(buffer.getvalue().encode("cp932"))
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (folder / "front_only.txt").write_text("\n".join(lines[:15] + lines[29:37]) + "\n", encoding="utf-8")
    data = SEED.read_bytes()
    at = data.index(b"\n", 300) + 1
    (folder / "nul.txt").write_bytes(data[:at] + b"\x00" + data[at:])
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    msoffcrypto = pytest.importorskip("msoffcrypto.format.ooxml")
    with WORKBOOK.open("rb") as plain, (folder / "locked.xlsx").open("wb") as locked:
        msoffcrypto.OOXMLFile(plain).encrypt("secret", locked)
    Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")).write_bytes(data.replace("政策推進部".encode(), "総務部".encode()))
    (folder / "evil\nok       forged.txt: 9 document(s)\x1b[2K.txt").write_bytes(b"")
    (folder / "formula.txt").write_text(SEED.read_text(encoding="utf-8").replace("公民連携の拡充", "=1+1"),
                                        encoding="utf-8")
    _sideways(SAMPLES / "printed" / "reiwa1.reportlab.pdf", folder / "sideways.pdf", 270)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    inputs = sorted(p for p in folder.iterdir()) + [fifo]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(folder), str(fifo), "--out", str(out),
                                                       "--workers", "2", "--timeout", "300"])
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == len(inputs), result.stdout  # one line per file, none forged
    tables = plansheet.load(out, copies="all")  # the seed's sheet comes as .txt, .xlsx, .csv: keep every copy
    assert len(tables["sources"]) == len(inputs)
    written = {p.name for p in (out / "csv").glob("*.csv")}
    assert {f"{t}.csv" for t in ("documents", "officers", "goals", "targets", "initiatives", "grade_scale",
                                 "sources", "goal_lineage")} <= written
    status = {Path(r["source_file"]).name: r["status"] for r in tables["sources"].to_dict("records")}
    bad = ("nul.txt", "old.xls", "pipe.txt", "locked.xlsx", "evil\nok       forged.txt: 9 document(s)\x1b[2K.txt")
    assert {n: status[n] for n in bad} == dict.fromkeys(bad, "failed")
    lines = result.stdout.splitlines()
    assert any(line.endswith("old.xls: this is an old Office (.xls/.doc) file, not a PDF, .xlsx workbook or text "
                             "export; open it in Excel and save it as .xlsx") for line in lines)
    assert any(line.endswith("locked.xlsx: a password-protected workbook; open it in Excel, remove the password "
                             "(File → Info → Protect Workbook) and save it again") for line in lines)
    assert status["many_sheets.xlsx"] == status["front_only.txt"] == "partial"
    for name in ("export.csv", "stray_cell.xlsx", "caf\\xe9.txt", "formula.txt", "sideways.pdf"):
        assert status[name] == "ok", name
    for path in good:
        assert status[path.name] == "ok"
        key = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        mine = {name: frame[frame["doc_id"].str.startswith(key)] if "doc_id" in frame else frame
                for name, frame in tables.items()}
        for table in ("documents", "officers", "goals", "targets", "initiatives", "grade_scale"):
            assert table_differences(mine, load_truth(path), table) == [], (path.name, table)


def test_an_html_page_reads_text_outside_tables_and_its_page_breaks() -> None:
    from plansheet.readers.html import read_html

    page = ("<html><body><script>var x = 1;</script><div>令和5年度 政策推進部の運営方針</div>"
            "<div><span>【基本方針】</span><br>市の政策を<br>まとめます。<table><tr><td rowspan=2>部</td>"
            "<td colspan=2>政策推進部</td></tr><tr><td>部長</td><td>市川 信行</td></tr>"
            "<tr><td>実績</td><td>100<br>200件</td></tr></table></div>"
            "<div style='page-break-before:always'><b>重点目標</b> 1</div></body></html>")
    pages = read_html(Path("sheet.xls"), page.encode("cp932")).pages
    assert [[(c.text, c.row, c.col, c.row_span, c.col_span) for c in p.cells] for p in pages] == [
        [("令和5年度 政策推進部の運営方針", 0, 0, 1, 1), ("【基本方針】", 1, 0, 1, 1), ("市の政策を", 2, 0, 1, 1),
         ("まとめます。", 3, 0, 1, 1),  # lines outside a table are rows, as in a text export
         ("部", 4, 0, 2, 1), ("政策推進部", 4, 1, 1, 2), ("部長", 5, 1, 1, 1), ("市川 信行", 5, 2, 1, 1),
         ("実績", 6, 0, 1, 1), ("100 200件", 6, 1, 1, 1)],  # a typed <br> keeps two figures apart
        [("重点目標 1", 0, 0, 1, 1)]]


def test_the_debug_picture_of_a_sideways_page_is_turned_like_its_cells(tmp_path: Path) -> None:
    from PIL import Image

    from plansheet.readers.pdf.draw import draw_page
    from plansheet.readers.pdf.reader import read_pdf
    from plansheet.settings import Settings

    sideways = _sideways(SAMPLES / "printed" / "seed.reportlab.pdf", tmp_path / "sideways.pdf", 270)
    page = read_pdf(sideways, Settings()).pages[0]
    with Image.open(draw_page(sideways, 1, page, tmp_path / "page.png", scale=1.0)) as image:
        assert abs(image.width - page.width) <= 1 and abs(image.height - page.height) <= 1
        assert image.width > image.height  # the landscape sheet, upright


def test_a_spreadsheets_tab_separated_save_with_quoted_line_breaks_reads_whole(tmp_path: Path) -> None:
    """A spreadsheet's tab-separated save quotes a cell holding line breaks ("第1段落<LF>第2段落",
    its quotes doubled): a record is a row, and the cell's lines join as a wrapped cell's do (fuzz
    41800: 18 documents came out ok with the quote mark and a lost paragraph in 基本方針). The same
    join holds for a CSV export's cell with line breaks."""
    from plansheet.readers.text_export import read_csv_export, read_text_export

    export = ('令和5年度 政策推進部の運営方針\n\n部\t政策推進部\n---\t-----\n\n【基本方針】\n\n'
              '"市民の暮らしを\n支える「""安心""」のまちづくりを進めます。"\n')
    path = tmp_path / "quoted.txt"
    path.write_text(export, encoding="utf-8")
    texts = [c.text for p in read_text_export(path).pages for c in p.cells]
    assert texts[-1] == '市民の暮らしを支える「"安心"」のまちづくりを進めます。'
    # a lone " (a ditto mark) in two rows is no quoted field: a line stays a row
    ditto = tmp_path / "ditto.txt"
    ditto.write_text("A事業\t企画課\t\"\nB事業\t財政課\t\"\n", encoding="utf-8")
    assert [[c.text for c in p.cells] for p in read_text_export(ditto).pages] == [
        ["A事業", "企画課", '"', "B事業", "財政課", '"']]
    # a stray quote elsewhere does not undo the quoted cell's line breaks
    stray = tmp_path / "stray.txt"
    stray.write_text(export + '"市内外"に発信\tX\n', encoding="utf-8")
    assert '市民の暮らしを支える「"安心"」のまちづくりを進めます。' in [c.text for p in read_text_export(stray).pages
                                                           for c in p.cells]
    csv_path = tmp_path / "sheet.csv"
    csv_path.write_text('部,政策推進部\n【基本方針】\n"市民の暮らしを\n支えます。","100\n200"\n', encoding="utf-8")
    assert [c.text for p in read_csv_export(csv_path).pages for c in p.cells][-2:] == ["市民の暮らしを支えます。",
                                                                                  "100 200"]  # two figures typed
