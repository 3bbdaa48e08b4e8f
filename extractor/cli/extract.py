"""``plansheet extract``: convert files and folders into the dataset, one line per file."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plansheet.api import extract
from plansheet.batch.executors import Runner, make_runner, when_only_writing
from plansheet.cli.options import (batch_options, collect_less_often, configure_logging, format_option, leave,
                                    settings_from_options, settings_options, single_threaded_blas,
                                    use_system_allocator)
from plansheet.errors import ExitCode
from plansheet.output.pandas_probe import skip_pandas_probe
from plansheet.output.without_numpy import refuse_numpy
from plansheet.results import SourceResult, Status
from plansheet.settings import OcrMode, OutputFormat, Settings

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.pipeline.stages import FileOutcome

EXTRACT_EXAMPLES = """
\b
Examples:
  plansheet extract samples --out output
  plansheet extract plans/2019/*.pdf --out data --format parquet
  plansheet extract scans/ --out data --ocr always --workers 4
"""


def probe_before_writing(runner: Runner) -> Runner:
    """``runner``, settling pyarrow's pandas probe before the first outcome is written (and
    after the last, for the finish): writing the rows must not import pandas (0.2–0.4 s).

    Not at start-up: pyarrow (0.1 CPU-s to import) is then imported while a pool's fork
    server and workers start rather than before, and an in-process run pays it at the same
    total.
    """
    def run(files: list, settings: Settings) -> Iterator[FileOutcome]:
        for outcome in runner(files, settings):
            skip_pandas_probe()
            yield outcome
        skip_pandas_probe()
    return run


def tally(results: list[SourceResult]) -> str:
    """The final line of a run: files by status, and the documents the tables hold for them.

    Identical bytes under several names are stored once (a document's key is its content's hash), so
    their documents count once; the line says how many files were such copies."""
    counts = {s: sum(1 for r in results if r.status is s) for s in Status}
    stored: set[str] = set()
    docs = copies = 0
    for r in results:
        if not r.documents:
            continue
        if r.sha256 is not None and r.sha256 in stored:
            copies += 1
            continue
        docs += r.documents
        if r.sha256 is not None:
            stored.add(r.sha256)
    parts = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    same = f" ({copies} file(s) hold the same bytes as another, stored once)" if copies else ""
    return f"{len(results)} file(s): {parts or 'nothing to do'}; {docs} document(s){same}"


def exit_code_for(results: list[SourceResult]) -> ExitCode:
    """1 if any input failed or was partial, else 0."""
    bad = any(r.status in (Status.FAILED, Status.PARTIAL) for r in results)
    return ExitCode.SOME_FAILED if bad else ExitCode.OK


@click.command("extract", epilog=EXTRACT_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (Parquet dataset under parquet/, CSVs under csv/).")
@format_option
@settings_options
@batch_options
def extract_command(inputs: tuple[Path, ...], out: Path, output_format: OutputFormat, ocr_mode: OcrMode,
                    password: str | None, municipality: str | None, max_pages: int, verbose: int,
                    workers: int, timeout_s: float, max_memory_mb: int, executor: str,
                    scheduler: str | None) -> ExitCode:
    """Convert PDFs, text exports and .xlsx workbooks (files or folders) into tables.

    Prints one line per file and a final tally. Exit code 0 when every file was
    converted, 1 when some failed or were partly read, 2 on a usage error; 4-7, 70
    and 130 when the run could not go on (see the README's table).
    """
    use_system_allocator()  # before pyarrow is imported
    single_threaded_blas()
    collect_less_often()
    configure_logging(verbose)
    settings = settings_from_options(output_format, ocr_mode, password, municipality, max_pages, workers,
                                     timeout_s, max_memory_mb)
    from plansheet.batch.progress import Progress

    with Progress() as progress:
        def on_result(result: SourceResult) -> None:
            progress.done(result)
            progress.echo(result.summary_line())

        runner = progress.wrap(make_runner(executor, settings, scheduler))
        if executor != "dask":  # Dask may hand pandas objects to pyarrow in this process
            runner = probe_before_writing(runner)
        with when_only_writing(refuse_numpy):  # a pool's parent imports pyarrow without numpy
            results = extract(inputs, out, settings, runner=runner, on_result=on_result)
    click.echo(tally(results), err=True)
    code = exit_code_for(results)
    leave(code)  # the CLI's own process ends here; in a program or a test the command returns
    return code
