"""``plansheet ingest``: the nightly job, converting only what is new or changed."""
from __future__ import annotations

from pathlib import Path

import click

from plansheet.batch.executors import make_runner
from plansheet.cli.extract import tally
from plansheet.cli.options import (batch_options, collect_less_often, configure_logging, format_option,
                                    settings_from_options, settings_options, single_threaded_blas,
                                    use_system_allocator)
from plansheet.errors import ExitCode
from plansheet.output.pandas_probe import skip_pandas_probe
from plansheet.results import SourceResult
from plansheet.settings import OcrMode, OutputFormat, Settings

INGEST_EXAMPLES = """
\b
Examples:
  plansheet ingest inbox/ --out data
  plansheet ingest --urls city_urls.txt --out data --workers 4
  plansheet ingest inbox/ --urls city_urls.txt --out data --dry-run
  plansheet ingest inbox/ --out data --executor dask --scheduler tcp://10.0.0.5:8786
"""


@click.command("ingest", epilog=INGEST_EXAMPLES)
@click.argument("folders", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of URLs to fetch, one a line (# comments allowed).")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: dataset, CSVs, catalog.sqlite and downloads/.")
@format_option
@click.option("--dry-run", is_flag=True, help="Say what would be converted, skipped or fetched; change nothing.")
@click.option("--http-timeout", "http_timeout_s", type=click.FloatRange(0, min_open=True),
              default=Settings().http_timeout_s,
              show_default=True, help="Seconds a download may take in all.")
@click.option("--max-download", "max_download_mb", type=click.IntRange(1), default=Settings().max_download_mb,
              show_default=True, help="MB one download may have; a larger one is stopped and deleted.")
@settings_options
@batch_options
def ingest_command(folders: tuple[Path, ...], urls_file: Path | None, out: Path, output_format: OutputFormat,
                   dry_run: bool, http_timeout_s: float, max_download_mb: int, ocr_mode: OcrMode, password: str | None,
                   municipality: str | None, max_pages: int, verbose: int, workers: int, timeout_s: float,
                   max_memory_mb: int, executor: str, scheduler: str | None) -> ExitCode:
    """Convert what is new or changed in FOLDERS and at --urls into --out, exactly once.

    For the nightly job. Files whose SHA-256 is already in OUT/catalog.sqlite are skipped;
    a changed file replaces exactly its own rows; failed ones are retried on the next run.
    A file no longer in FOLDERS, or a URL no longer in --urls, becomes `gone` and its rows
    are removed (`plansheet sources OUT`, docs/batch.md).
    URLs are fetched with conditional GET (ETag / Last-Modified) into OUT/downloads/.
    One ingest per output at a time (OUT/.plansheet.lock).

    Exit code 0 when nothing failed, 1 when some file failed (after all others were
    written), 2 on a usage error, 3 when another ingest is writing the output; 4-7, 70
    and 130 when the run could not go on (see the README's table).
    """
    use_system_allocator()  # before pyarrow is imported
    single_threaded_blas()
    collect_less_often()
    if executor != "dask":  # Dask may hand pandas objects to pyarrow in this process
        skip_pandas_probe()  # writing the rows must not import pandas (0.2–0.4 s)
    from plansheet.batch.ingest import ingest, read_url_list
    from plansheet.batch.progress import Progress

    configure_logging(verbose)
    if not folders and urls_file is None:
        raise click.UsageError("give at least one folder or --urls FILE")
    settings = settings_from_options(output_format, ocr_mode, password, municipality, max_pages, workers,
                                     timeout_s, max_memory_mb).with_overrides(http_timeout_s=http_timeout_s,
                                                                        max_download_mb=max_download_mb)
    urls = read_url_list(urls_file) if urls_file else None  # None: URL sources are left alone
    if dry_run:
        report = ingest(out, folders, urls, settings, dry_run=True)
        for action, name in report.plan:
            click.echo(f"{action:16} {name}")
        click.echo(f"dry run: {len(report.plan)} source(s); nothing was changed", err=True)
        return ExitCode.OK
    with Progress(label="ingesting") as progress:
        def on_result(result: SourceResult) -> None:
            progress.done(result)
            progress.echo(result.summary_line())

        report = ingest(out, folders, urls, settings, progress.wrap(make_runner(executor, settings, scheduler)),
                        on_result=on_result)
        for name in report.gone:
            why = report.moved.get(name, "no longer found")
            progress.echo(f"gone     {name}: {why}; its rows were removed (plansheet sources OUT)")
        for line in report.held:
            progress.echo(f"kept     {line}")
        for line in report.earlier:
            progress.echo(f"kept     {line}")
        for line in report.replaced:
            progress.echo(f"replaced {line}")
    click.echo("ingest: " + tally(report.results), err=True)
    return ExitCode.SOME_FAILED if report.failed else ExitCode.OK
