"""``plansheet debug``: draw what the reader and the grammar saw on one page."""
from __future__ import annotations

from pathlib import Path

import click

from plansheet.cli.options import ocr_option, password_option
from plansheet.settings import OcrMode, Settings


def page_labels(cells: tuple) -> dict[tuple[int, int], str]:
    """(row, col) → the label name the grammar matched there."""
    from plansheet.parsers.labels import match_label

    labels = {}
    for cell in cells:
        match = match_label(cell.text, fuzzy=cell.confidence is not None)
        if match is not None:
            labels[(cell.row, cell.col)] = match.label.value
    return labels


@click.command("debug")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", "page_number", type=click.IntRange(1), default=1, show_default=True, help="1-based page.")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PNG to write.")
@ocr_option(help="Draw the OCR reading when the page needs it (auto), always, or never.")
@password_option
def debug_command(pdf: Path, page_number: int, out: Path, ocr_mode: OcrMode, password: str | None) -> None:
    """Draw words (blue), ruling lines (red), cells (green, with row,col) and matched labels
    (magenta) on the rendered page, to see why a layout was read the way it was.

    \b
    Example:
      plansheet debug samples/printed/seed.reportlab.pdf --page 2 --out page2.png
    """
    from plansheet.core.model import SourceFormat
    from plansheet.pipeline.ocr_routing import needs_ocr
    from plansheet.pipeline.triage import triage
    from plansheet.readers.pdf.draw import draw_page
    from plansheet.readers.pdf.reader import read_pdf

    settings = Settings(ocr_mode=ocr_mode, password=password)
    if triage(pdf, settings).format is not SourceFormat.PDF:  # the refusals of a run: encrypted, too many pages …
        raise click.BadParameter(f"{pdf} is not a PDF; debug draws PDF pages", param_hint="PDF")
    source = read_pdf(pdf, settings, words=True)  # the word boxes are drawn
    if page_number > source.page_count:
        raise click.BadParameter(f"{pdf} has {source.page_count} page(s)", param_hint="--page")
    page = source.pages[page_number - 1]
    if needs_ocr(page.problem, settings.ocr_mode):
        from plansheet.readers.ocr.reader import ocr_pdf_page

        page = ocr_pdf_page(pdf, page_number, settings)
    written = draw_page(pdf, page_number, page, out, labels=page_labels(page.cells), password=password)
    click.echo(f"{written}: {len(page.cells)} cells, {len(page.rules)} ruling lines"
               + (f" ({page.problem})" if page.problem else ""))
