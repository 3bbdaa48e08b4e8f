"""``plansheet rebuild OUT``: rewrite the dataset's files, the CSVs and the lineage from the rows."""
from __future__ import annotations

from pathlib import Path

import click

from plansheet.cli.options import format_option
from plansheet.settings import OutputFormat, Settings

REBUILD_EXAMPLES = """
\b
Examples:
  plansheet rebuild output
  plansheet rebuild data --format parquet
"""


@click.command("rebuild", epilog=REBUILD_EXAMPLES)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option
def rebuild_command(folder: Path, output_format: OutputFormat) -> None:
    """Rebuild an output folder whole: merge anything staged, rewrite every Parquet file
    (a few per partition), every CSV and goal_lineage from the rows.

    A run updates only what it touched; this gives the same bytes from scratch. It also
    converts a folder written by an older plansheet (one file per source), drops the old
    reading an older extract kept beside a changed file's new one (the rows of bytes no
    source holds any more, whose name now holds others; says how many, and names any it
    cannot tell), and sets a damaged catalog.sqlite aside (the next ingest starts a new one).
    """
    from plansheet.batch.finish import rebuild_output

    if not (folder / "parquet").is_dir():
        raise click.UsageError(f"{folder} has no parquet/ folder: not a plansheet output")
    from plansheet.batch.catalog import CATALOG_NAME, OutputLock, set_aside_if_damaged
    from plansheet.errors import writing_output

    with writing_output(folder):
        old = rebuild_output(folder, Settings(output_format=output_format))
        for warning in old.warnings:
            click.echo(f"warning: {warning}", err=True)
        if old.dropped:
            tables = ", ".join(f"{table} {n}" for table, n in old.rows.items() if n)
            click.echo(f"dropped {old.row_count} row(s) of {len(old.dropped)} old reading(s) that no source holds any "
                       f"more ({tables}): " + "; ".join(f"{name} (was {content})" for content, name in
                                                        sorted(old.dropped.items(), key=lambda kv: kv[1])), err=True)
        with OutputLock(folder):
            moved = set_aside_if_damaged(folder / CATALOG_NAME)
        if moved is not None:
            click.echo(f"the damaged catalog was moved to {moved.name}; the next ingest starts a new one", err=True)
    click.echo(f"rebuilt {folder}", err=True)
