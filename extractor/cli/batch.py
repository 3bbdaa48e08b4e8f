"""Batch options shared by ``extract`` and ``ingest``, and the ``plansheet ingest`` command.

``batch_options`` declares ``--workers``, ``--timeout``, ``--max-memory``, ``--executor``
and ``--scheduler`` once; :func:`batch_settings` maps them onto :class:`Settings` and
:func:`batch_runner` builds the runner (see :mod:`plansheet.batch.executors`). The ``cli``
module registers :data:`ingest_command` and gives it the shared settings options.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from plansheet.batch.executors import ExecutorKind, Runner, make_runner
from plansheet.settings import Settings

INGEST_EXAMPLES = """
\b
Examples:
  plansheet ingest inbox/ --out data
  plansheet ingest --urls city_urls.txt --out data --workers 4
  plansheet ingest inbox/ --urls city_urls.txt --out data --dry-run
  plansheet ingest inbox/ --out data --executor dask --scheduler tcp://10.0.0.5:8786
"""


def batch_options(f: Any) -> Any:
    """Options of every command that converts a batch of files (they map onto Settings)."""
    defaults = Settings()
    options = [
        click.option("--workers", "-j", type=click.IntRange(1), default=os.cpu_count() or 1, show_default="the cores",
                     help="Files converted at once (worker processes, or Dask workers of a LocalCluster)."),
        click.option("--timeout", "timeout_s", type=click.FloatRange(0, min_open=True), default=defaults.timeout_s,
                     show_default=True, help="Seconds one file may take before its worker is killed."),
        click.option("--max-memory", "max_memory_mb", type=click.IntRange(64), default=defaults.max_memory_mb,
                     show_default=True, help="Memory cap of one worker in MB (address space)."),
        click.option("--executor", type=click.Choice([k.value for k in ExecutorKind]), default="processes",
                     show_default=True, help="Where files run: worker processes, this process one by one, or Dask."),
        click.option("--scheduler", default=None, metavar="TCP://HOST:PORT",
                     help="A Dask scheduler to use with --executor dask (default: a LocalCluster)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def batch_settings(settings: Settings, workers: int, timeout_s: float, max_memory_mb: int) -> Settings:
    """``settings`` with the batch options applied."""
    return settings.with_overrides(workers=workers, timeout_s=timeout_s, max_memory_mb=max_memory_mb)


def batch_runner(settings: Settings, executor: str, scheduler: str | None) -> Runner:
    """The runner the batch options ask for; a usage error if they do not fit together."""
    if scheduler and executor != ExecutorKind.DASK.value:
        raise click.UsageError("--scheduler needs --executor dask")
    return make_runner(executor, settings, scheduler)


@click.command("ingest", epilog=INGEST_EXAMPLES)
@click.argument("folders", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of URLs to fetch, one a line (# comments allowed).")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: dataset, CSVs, catalog.sqlite and downloads/.")
@click.option("--format", "output_format", type=click.Choice(["parquet", "csv", "both"]), default="both",
              show_default=True, help="What to write: the Parquet dataset, the CSVs, or both.")
@click.option("--dry-run", is_flag=True, help="Say what would be converted, skipped or fetched; change nothing.")
@click.option("--http-timeout", "http_timeout_s", type=click.FloatRange(0, min_open=True), default=60.0,
              show_default=True, help="Seconds a download may take in all.")
@batch_options
def ingest_command(folders: tuple[Path, ...], urls_file: Path | None, out: Path, output_format: str, dry_run: bool,
                   http_timeout_s: float, workers: int, timeout_s: float, max_memory_mb: int, executor: str,
                   scheduler: str | None, **settings_options: Any) -> None:
    """Convert what is new or changed in FOLDERS and at --urls into --out, exactly once.

    For the nightly job. Files whose SHA-256 is already in OUT/catalog.sqlite are skipped;
    a changed file replaces exactly its own rows; failed ones are retried on the next run.
    URLs are fetched with conditional GET (ETag / Last-Modified) into OUT/downloads/.
    One ingest per output at a time (OUT/.plansheet.lock).

    Exit code 0 when nothing failed, 1 when some file failed (after all others were
    written), 2 on a usage error, 3 when another ingest is writing the output.
    """
    from plansheet.batch.catalog import OutputLockedError
    from plansheet.cli.main import _configure_logging, _tally, settings_from_options
    from plansheet.errors import ExitCode, PlansheetError
    from plansheet.batch.ingest import ingest, read_url_list
    from plansheet.batch.progress import Progress

    _configure_logging(settings_options.get("verbose", 0))
    if not folders and urls_file is None:
        raise click.UsageError("give at least one folder or --urls FILE")
    settings = batch_settings(settings_from_options(**settings_options), workers, timeout_s, max_memory_mb)
    try:
        urls = read_url_list(urls_file) if urls_file else None
        if dry_run:
            report = ingest(out, folders, urls, settings, dry_run=True)
            for action, name in report.plan:
                click.echo(f"{action:16} {name}")
            click.echo(f"dry run: {len(report.plan)} source(s); nothing was changed", err=True)
            return
        with Progress(label="ingesting") as progress:
            runner = progress.wrap(batch_runner(settings, executor, scheduler))

            def on_result(result: Any) -> None:
                progress.done(result)
                progress.echo(result.summary_line())

            report = ingest(out, folders, urls, settings, runner, output_format=output_format,
                            http_timeout_s=http_timeout_s, on_result=on_result)
            for name in report.gone:
                progress.echo(f"gone     {name}: no longer found; its rows were removed (plansheet sources OUT)")
    except OutputLockedError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except PlansheetError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo("ingest: " + _tally(report.results), err=True)
    sys.exit(int(ExitCode.SOME_FAILED if report.failed else ExitCode.OK))
