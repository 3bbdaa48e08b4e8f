"""Generate every sample rendering and its truth.

    python -m samples.generate                 # everything
    python -m samples.generate --skip-libreoffice --skip-scans
    python samples/generate/__main__.py        # same, run as a script

Needs reportlab, openpyxl, pdfplumber (all phases), LibreOffice (xlsx -> pdf),
pypdfium2, opencv-python-headless, numpy, img2pdf (scans) and the IPAex fonts.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate import check, content, layout, truth  # noqa: E402
from samples.generate.layout import Cell, Page, Row, gap  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PRINTED = SAMPLES / "printed"
WORKBOOKS = SAMPLES / "workbooks"
SCANNED = SAMPLES / "scanned"
TRUTH = SAMPLES / "truth"
SEED_TXT = SAMPLES / "000_b2610523df0a2988.txt"

SINGLE = ["seed", "result", "reiwa1", "sidebyside"]
SCANS = {"seed": 5023, "result": 4022}  # fixed random seeds


def rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def log(msg: str) -> None:
    print(msg, flush=True)


def single_truth(path: Path, d: content.Department, fmt: str, method: str) -> dict:
    n = truth.page_count(d)
    t = truth.build(rel(path), fmt, method, [(d, 1, d.municipality)], n)
    truth.write(t, TRUTH)
    return t


def make_reportlab() -> None:
    from samples.generate.render_pdf import draw_pages
    for key in SINGLE:
        d = content.DEPARTMENTS[key]
        for font, suffix in (("ipaex", "reportlab"), ("cid", "cid")):
            out = PRINTED / f"{key}.{suffix}.pdf"
            placed = draw_pages(layout.department_pages(d), out, font, d.title)
            t = single_truth(out, d, "pdf", "text_layer")
            check.check_placed(out, placed, t["meta"]["pages"])
            log(f"{rel(out)}: {t['meta']['pages']} pages, {out.stat().st_size // 1024} KiB")


def volume_pages() -> tuple[list[Page], list[tuple[content.Department, int, str]]]:
    cover_rows = [gap(150)]
    for i, line in enumerate(content.VOLUME_COVER):
        cover_rows += [Row([Cell(0, 1, line, "title", border=False, size=24.0 if i == 0 else 16.0,
                                 align="center")]), gap(18)]
    pages = [Page("表紙", [layout.BODY_W], cover_rows)]
    parts = []
    for d in content.VOLUME:
        parts.append((d, len(pages) + 1, content.VOLUME_MUNICIPALITY))
        for p in layout.department_pages(d):
            p.header = f"{content.VOLUME_MUNICIPALITY} {d.era_label} 部の運営方針"
            pages.append(p)
    for n, p in enumerate(pages, 1):
        if n > 1:
            p.footer = f"- {n} -"
    return pages, parts


def make_volume() -> None:
    from samples.generate.render_pdf import draw_pages
    pages, parts = volume_pages()
    out = PRINTED / "volume.reportlab.pdf"
    placed = draw_pages(pages, out, "ipaex", "柏原市 部の運営方針")
    t = truth.build(rel(out), "pdf", "text_layer", parts, len(pages))
    truth.write(t, TRUTH)
    check.check_placed(out, placed, len(pages))
    log(f"{rel(out)}: {len(pages)} pages, {out.stat().st_size // 1024} KiB")


def make_workbooks(libreoffice: bool) -> None:
    from samples.generate.render_pdf import draw_pages
    from samples.generate.render_xlsx import libreoffice_pdf, write_workbook
    import tempfile
    for key in SINGLE:
        d = content.DEPARTMENTS[key]
        xlsx = WORKBOOKS / f"{key}.xlsx"
        write_workbook(layout.department_pages(d), xlsx, d.title)
        t = single_truth(xlsx, d, "xlsx", "workbook")
        log(f"{rel(xlsx)}: {t['meta']['pages']} worksheets, {xlsx.stat().st_size // 1024} KiB")
        if not libreoffice:
            continue
        pdf = PRINTED / f"{key}.libreoffice.pdf"
        libreoffice_pdf(xlsx, pdf)
        t = single_truth(pdf, d, "pdf", "text_layer")
        with tempfile.TemporaryDirectory() as tmp:  # cell texts and their pages, for the loose check
            placed = draw_pages(layout.department_pages(d), Path(tmp) / "x.pdf", "ipaex", d.title)
        check.check_loose(pdf, placed, t["meta"]["pages"])
        log(f"{rel(pdf)}: {t['meta']['pages']} pages, {pdf.stat().st_size // 1024} KiB")


def make_scans() -> None:
    from samples.generate.scan import scan
    for key, seed in SCANS.items():
        d = content.DEPARTMENTS[key]
        src = PRINTED / f"{key}.reportlab.pdf"
        out = SCANNED / f"{key}.scan.pdf"
        n, quality = scan(src, out, seed)
        t = single_truth(out, d, "pdf", "ocr")
        if n != t["meta"]["pages"] or check.page_count(out) != n:
            raise AssertionError(f"{out}: {n} pages, truth says {t['meta']['pages']}")
        log(f"{rel(out)}: {n} pages, {out.stat().st_size // 1024} KiB, JPEG quality {quality}")


def make_seed_txt_truth() -> None:
    if not SEED_TXT.exists():
        return
    # pages of a text export: split at each sheet's header table (as tests/golden/seed decides)
    d = content.SEED
    t = truth.build(rel(SEED_TXT), "txt", "text_export", [(d, 1, d.municipality)], truth.page_count(d))
    check.check_truth_texts_in(SEED_TXT, t)
    truth.write(t, TRUTH)
    log(f"{rel(SEED_TXT)}: truth written")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-libreoffice", action="store_true", help="write the .xlsx but not the LibreOffice PDFs")
    ap.add_argument("--skip-scans", action="store_true", help="do not make the scanned PDFs")
    ap.add_argument("--only", choices=["reportlab", "volume", "workbooks", "scans", "txt", "lineage", "chromium", "writer", "garbled", "html_xls"],
                    action="append",
                    help="run only these steps (repeatable)")
    args = ap.parse_args(argv)
    for d in (PRINTED, WORKBOOKS, SCANNED, TRUTH):
        d.mkdir(parents=True, exist_ok=True)
    steps = args.only or ["txt", "reportlab", "volume", "workbooks", "scans", "lineage", "chromium", "writer",
                          "garbled", "html_xls"]
    if "txt" in steps:
        make_seed_txt_truth()
    if "reportlab" in steps:
        make_reportlab()
    if "volume" in steps:
        make_volume()
    if "workbooks" in steps:
        make_workbooks(not args.skip_libreoffice)
    if "scans" in steps and not args.skip_scans:
        make_scans()
    if "lineage" in steps:  # one department over three years (samples/generate/lineage.py)
        from samples.generate import lineage
        lineage.make(SAMPLES, TRUTH, rel, log)
    if "chromium" in steps:  # HTML tables printed by headless Chromium (samples/generate/render_html.py)
        from samples.generate import render_html
        render_html.make(PRINTED, TRUTH, SINGLE, rel, log)
    if "garbled" in steps:  # fonts without Unicode maps on some pages (samples/generate/garble.py)
        from samples.generate.garble import make_garbled
        log(f"{rel(make_garbled(PRINTED, TRUTH))}: ToUnicode maps stripped on some pages")
    if "html_xls" in steps:  # a sheet saved as an HTML page named .xls (render_html.make_saved_pages)
        from samples.generate import render_html
        render_html.make_saved_pages(WORKBOOKS, TRUTH, SINGLE, rel, log)
    if "writer" in steps:  # a python-docx document printed by LibreOffice Writer (render_docx.py)
        from samples.generate import render_docx
        render_docx.make(PRINTED, TRUTH, SINGLE, rel, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
