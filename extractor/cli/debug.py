"""``plansheet debug``: draw what the reader and the grammar saw on one page."""
from __future__ import annotations

from pathlib import Path

import click

from plansheet.errors import PlansheetError
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
@click.option("--ocr", "ocr_mode", type=click.Choice([m.value for m in OcrMode]), default="auto", show_default=True,
              help="Draw the OCR reading when the page needs it (auto), always, or never.")
@click.option("--password", default=None, help="Password for an encrypted PDF.")
def debug_command(pdf: Path, page_number: int, out: Path, ocr_mode: str, password: str | None) -> None:
    """Draw words (blue), ruling lines (red), cells (green, with row,col) and matched labels
    (magenta) on the rendered page, to see why a layout was read the way it was.

    \b
    Example:
      plansheet debug samples/printed/seed.reportlab.pdf --page 2 --out page2.png
    """
    from plansheet.readers.pdf.draw import draw_page
    from plansheet.pipeline.ocr_routing import needs_ocr
    from plansheet.readers.pdf.reader import read_pdf

    settings = Settings(ocr_mode=OcrMode(ocr_mode), password=password)
    try:
        source = read_pdf(pdf, settings, words=True)  # the word boxes are drawn
        if page_number > source.page_count:
            raise click.BadParameter(f"{pdf} has {source.page_count} page(s)", param_hint="--page")
        page = source.pages[page_number - 1]
        if needs_ocr(page.problem, settings.ocr_mode):
            from plansheet.readers.ocr.reader import ocr_pdf_page

            page = ocr_pdf_page(pdf, page_number, settings)
        written = draw_page(pdf, page_number, page, out, labels=page_labels(page.cells),
                             password=password)
    except PlansheetError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{written}: {len(page.cells)} cells, {len(page.rules)} ruling lines"
               + (f" ({page.problem})" if page.problem else ""))
