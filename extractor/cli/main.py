"""The ``plansheet`` command: a thin shell over :mod:`plansheet.api`.

Exit codes are decided here and only here: 0 every input converted, 1 some input failed
or was only partly read (after converting all the others), 2 usage error.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from plansheet.version import __version__
from plansheet.api import extract
from plansheet.cli.batch import batch_options, batch_runner, batch_settings, ingest_command
from plansheet.cli.debug import debug_command
from plansheet.cli.rebuild import rebuild_command
from plansheet.cli.report import report_command
from plansheet.errors import ExitCode, PlansheetError
from plansheet.results import SourceResult, Status
from plansheet.settings import FORMATS, OcrMode, Settings

EXTRACT_EXAMPLES = """
\b
Examples:
  plansheet extract samples --out output
  plansheet extract plans/2019/*.pdf --out data --format parquet
  plansheet extract scans/ --out data --ocr always --workers 4
"""


def _settings_options(f):  # type: ignore[no-untyped-def]
    """Options shared by every command that converts files (they map onto Settings)."""
    options = [
        click.option("--ocr", "ocr_mode", type=click.Choice([m.value for m in OcrMode]), default="auto",
                     show_default=True, help="OCR pages without a usable text layer (auto), every page, or none."),
        click.option("--password", default=None, help="Password for encrypted PDFs."),
        click.option("--municipality", default=None, help="City name for documents.municipality "
                     "(default: read from the sheet)."),
        click.option("--max-pages", type=click.IntRange(1), default=Settings().max_pages, show_default=True,
                     help="Refuse PDFs with more pages than this."),
        click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def settings_from_options(ocr_mode: str, password: str | None, municipality: str | None, max_pages: int,
                          verbose: int = 0) -> Settings:
    """The Settings the shared options ask for."""
    return Settings(ocr_mode=OcrMode(ocr_mode), password=password, municipality=municipality, max_pages=max_pages)


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _tally(results: list[SourceResult]) -> str:
    counts = {s: sum(1 for r in results if r.status is s) for s in Status}
    docs = sum(r.documents for r in results)
    parts = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    return f"{len(results)} file(s): {parts or 'nothing to do'}; {docs} document(s)"


def exit_code_for(results: list[SourceResult]) -> ExitCode:
    """1 if any input failed or was partial, else 0."""
    bad = any(r.status in (Status.FAILED, Status.PARTIAL) for r in results)
    return ExitCode.SOME_FAILED if bad else ExitCode.OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plansheet")
def main() -> None:
    """Turn Japanese municipal management-plan sheets (部の運営方針) into tidy tables.

    \b
    Examples:
      plansheet extract samples --out output
      plansheet --version
    """


@main.command("extract", epilog=EXTRACT_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (Parquet dataset under parquet/, CSVs under csv/).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="both", show_default=True,
              help="What to write: the Parquet dataset, the CSVs, or both.")
@_settings_options
@batch_options
def extract_command(inputs: tuple[Path, ...], out: Path, output_format: str, ocr_mode: str,
                    password: str | None, municipality: str | None, max_pages: int, verbose: int,
                    workers: int, timeout_s: float, max_memory_mb: int, executor: str, scheduler: str | None) -> None:
    """Convert PDFs, text exports and .xlsx workbooks (files or folders) into tables.

    Prints one line per file and a final tally. Exit code 0 when every file was
    converted, 1 when some failed or were partly read, 2 on a usage error.
    """
    _configure_logging(verbose)
    settings = batch_settings(settings_from_options(ocr_mode, password, municipality, max_pages),
                              workers, timeout_s, max_memory_mb)
    from plansheet.batch.progress import Progress

    try:
        with Progress() as progress:
            def on_result(result: SourceResult) -> None:
                progress.done(result)
                progress.echo(result.summary_line())

            results = extract(inputs, out, settings, output_format=output_format,
                              runner=progress.wrap(batch_runner(settings, executor, scheduler)), on_result=on_result)
    except PlansheetError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(_tally(results), err=True)
    sys.exit(int(exit_code_for(results)))


main.add_command(debug_command)
main.add_command(_settings_options(ingest_command))  # the ingest command lives in cli_batch
main.add_command(report_command)
main.add_command(rebuild_command)
