"""Write layout pages as HTML tables and print them to PDF with headless Chromium.

The way a person would write the sheet in HTML: the title and the 【…】 headings are
bold headings, labels are shaded ``<th>`` cells, each run of ruled rows is a
``border-collapse`` table with fixed column widths (the layout's widths in points), gaps are margins, one sheet per printed page
(``break-after: page``), A4 landscape via ``@page``. Chromium then lays the text out with
its own line breaking and font metrics, draws the borders as filled rectangles and may
emit Kangxi radical code points (``⽬``) for ordinary kanji in its ToUnicode maps.

:func:`blocks` (a page cut into paragraphs, gaps and ruled tables) is shared with the
Word renderer (``render_docx``).
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from samples.generate.layout import DEFAULT_STYLE, FONT_SIZE, LEADING, Cell, Page, Row, Style

FONTS = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


@dataclass
class Gap:
    height: float


@dataclass
class Para:
    cell: Cell


@dataclass
class Table:
    widths: list[float]
    rows: list[Row]


def blocks(page: Page) -> list[Gap | Para | Table]:
    """The page as a sequence of gaps, borderless paragraphs and ruled tables."""
    out: list[Gap | Para | Table] = []
    for row in page.rows:
        if not row.cells:
            out.append(Gap(row.gap))
        elif not any(c.border for c in row.cells):
            out.extend(Para(c) for c in row.cells)
        elif out and isinstance(out[-1], Table):
            out[-1].rows.append(row)
        else:
            out.append(Table(list(page.widths), [row]))
    return out


_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%/-]*[A-Za-z0-9%]|[A-Za-z0-9]")


def _text(text: str | None) -> str:
    """A cell's text as HTML: typed breaks as <br>, each Latin word or figure kept on one line (as
    Excel and Word set them, whatever the line-breaking rules for Japanese)."""
    if not text:
        return ""
    return "<br>".join(_kept_words(p) for p in text.split("\n"))


def _kept_words(line: str) -> str:
    """One typed line, escaped, each Latin word or figure in a span the style sheet keeps unbroken."""
    out, at = [], 0
    for m in _LATIN_WORD.finditer(line):
        out += [html.escape(line[at:m.start()]), f'<span class="w">{html.escape(m.group(0))}</span>']
        at = m.end()
    return "".join(out) + html.escape(line[at:])


def _cell(c: Cell) -> str:
    attrs = []
    if c.span > 1:
        attrs.append(f'colspan="{c.span}"')
    if c.rowspan > 1:
        attrs.append(f'rowspan="{c.rowspan}"')
    cls = [c.kind]
    if c.align == "center":
        cls.append("center")
    attrs.append(f'class="{" ".join(cls)}"')
    lead = LEADING * c.size / FONT_SIZE
    if c.min_lines > 1 and c.rowspan == 1:
        attrs.append(f'style="height:{c.min_lines * lead:.1f}pt"')
    tag = "th" if c.kind == "label" and c.text else "td"  # labels: shaded header cells
    return f"<{tag} {' '.join(attrs)}>{_text(c.text)}</{tag}>"


def _table(t: Table) -> str:
    cols = "".join(f'<col style="width:{w:.2f}pt">' for w in t.widths)
    rows = "\n".join("<tr>" + "".join(_cell(c) for c in r.cells) + "</tr>" for r in t.rows)
    return f'<table style="width:{sum(t.widths):.2f}pt"><colgroup>{cols}</colgroup>\n{rows}\n</table>'


def _para(c: Cell) -> str:
    tag = {"title": "h1", "heading": "h2"}.get(c.kind, "p")
    style = f' style="font-size:{c.size:g}pt"' if c.kind == "plain" and c.size != FONT_SIZE else ""
    return f"<{tag}{style}>{_text(c.text)}</{tag}>"


def page_html(page: Page) -> str:
    parts = []
    pending = 0.0
    for b in blocks(page):
        if isinstance(b, Gap):
            pending += b.height
            continue
        spacer = f'<div class="gap" style="height:{pending:g}pt"></div>' if pending else ""
        pending = 0.0
        parts.append(spacer + (_table(b) if isinstance(b, Table) else _para(b.cell)))
    return '<section class="sheet">\n' + "\n".join(parts) + "\n</section>"


def css(style: Style = DEFAULT_STYLE) -> str:
    """The page style sheet for a layout :class:`Style` (font size, leading, cell padding, kinsoku).

    Without kinsoku a line may break anywhere between Japanese characters, also before 。 and 」
    (``line-break: anywhere``), never inside a Latin word or figure;
    with it Chromium keeps its own rules. Chromium has no hanging punctuation."""
    breaking = "" if style.kinsoku else "\ntd, th, p { line-break: anywhere; }\n.w { white-space: nowrap; }"
    return f"""
@page {{ size: A4 landscape; margin: 30pt 36pt 28pt 36pt; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: {FONTS}; font-size: {style.font_size:g}pt; line-height: {style.leading:g}pt; color: #000; }}
.sheet {{ break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
h1 {{ font-size: 14pt; line-height: 18pt; text-align: center; font-weight: bold; margin: 0; }}
h2 {{ font-size: 10pt; line-height: 14pt; font-weight: bold; margin: 0; }}
p {{ margin: 0; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
td, th {{ border: 0.75pt solid #000; padding: {style.pad:g}pt; vertical-align: top; text-align: left;
          font-weight: normal; word-wrap: break-word; }}
th {{ background: #e2e2e2; vertical-align: middle; }}
.center {{ text-align: center; }}
td.grade {{ text-align: center; vertical-align: middle; }}{breaking}
"""


CSS = css()


def document_html(pages: list[Page], title: str) -> str:
    body = "\n".join(page_html(p) for p in pages)
    return (f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{css(pages[0].style) if pages else CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def chromium_pdf(html_path: Path, out_pdf: Path) -> None:
    """Print ``html_path`` to ``out_pdf`` with headless Chromium (throw-away profile), pinned dates."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise RuntimeError("Chromium not found: apt-get install chromium fonts-ipaexfont fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "out.pdf"
        env = dict(os.environ, HOME=tmp)
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                        html_path.resolve().as_uri()],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        data = pdf.read_bytes()
    out_pdf.write_bytes(pin_dates(data))


def pin_dates(data: bytes) -> bytes:
    """Fixed /CreationDate and /ModDate (same byte length, so the xref offsets stay valid)."""
    fixed = b"D:20240101000000"

    def date(m: re.Match[bytes]) -> bytes:
        old = m.group(2)
        new = fixed + old[len(fixed):] if len(old) >= len(fixed) else old
        return m.group(1) + b"(" + new + b")"

    return re.sub(rb"(/(?:CreationDate|ModDate)\s*)\((D:[^)]*)\)", date, data)


def write_html(pages: list[Page], out: Path, title: str) -> None:
    out.write_text(document_html(pages, title), encoding="utf-8")


def make_saved_pages(folder: Path, truth_dir: Path, keys: list[str], rel, log) -> None:  # noqa: ANN001
    """Save ``keys`` as ``<key>.html.xls``: the HTML page older council sites publish under an
    ``.xls`` name. Even keys are Shift_JIS with a ``<meta charset>``, odd ones UTF-8."""
    from samples.generate import content, layout, truth
    for i, key in enumerate(keys):
        d = content.DEPARTMENTS[key]
        text = document_html(layout.department_pages(d), d.title)
        out = folder / f"{key}.html.xls"
        if i % 2 == 0:
            out.write_bytes(text.replace('charset="utf-8"', 'charset="Shift_JIS"').encode("cp932"))
        else:
            out.write_text(text, encoding="utf-8")
        truth.write(truth.build(rel(out), "txt", "text_export", [(d, 1, d.municipality)], truth.page_count(d)),
                    truth_dir)
        log(f"{rel(out)}: HTML saved as .xls, {out.stat().st_size // 1024} KiB")


def make(printed: Path, truth_dir: Path, keys: list[str], rel, log) -> None:  # noqa: ANN001
    """Render ``keys`` to ``printed/<key>.chromium.pdf`` and write their truth (pages as in the layout)."""
    from samples.generate import content, layout, truth
    from samples.generate.render_pdf import draw_pages
    for key in keys:
        d = content.DEPARTMENTS[key]
        pages = layout.department_pages(d)
        out = printed / f"{key}.chromium.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            page_file = Path(tmp) / f"{key}.html"
            write_html(pages, page_file, d.title)
            chromium_pdf(page_file, out)
            placed = draw_pages(layout.department_pages(d), Path(tmp) / "x.pdf", "ipaex", d.title)
        n = truth.page_count(d)
        t = truth.build(rel(out), "pdf", "text_layer", [(d, 1, d.municipality)], n)
        truth.write(t, truth_dir)
        check_loose_radicals(out, placed, n)
        log(f"{rel(out)}: {n} pages, {out.stat().st_size // 1024} KiB")


def _same(want: str, got: str) -> bool:
    """``got`` is ``want``, or a radical code point, which may stand for any character here (``⽬`` for 目,
    ``⼾`` for 戸 though NFKC makes it 戶, ``⻑`` for 長 with no NFKC mapping at all), or ``‧`` for ・
    (Noto Sans CJK JP draws both with one glyph and Chromium names it by the lower code point)."""
    return want == got or "\u2e80" <= got <= "\u2fdf" or (want, got) == ("・", "\u2027")


def check_loose_radicals(path: Path, placed: list, pages: int) -> None:  # list[Placed]
    """:func:`check.check_loose` for printers that write radical code points: the page count, and each
    cell's characters in order on its page."""
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) != pages:
            raise AssertionError(f"{path}: {len(pdf.pages)} pages, truth says {pages}")
        texts = [re.sub(r"\s+", "", pg.extract_text() or "") for pg in pdf.pages]
    for p in placed:
        want = re.sub(r"\s+", "", p.text)
        hay = iter(texts[p.page])
        if not all(any(_same(ch, got) for got in hay) for ch in want):
            raise AssertionError(f"{path} page {p.page + 1}: {want[:30]!r}… not found in order")
