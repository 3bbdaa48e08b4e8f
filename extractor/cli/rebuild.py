"""``plansheet rebuild OUT``: rewrite the dataset's files, the CSVs and the lineage from the rows."""
from __future__ import annotations

from pathlib import Path

import click

REBUILD_EXAMPLES = """
\b
Examples:
  plansheet rebuild output
  plansheet rebuild data --format parquet
"""


@click.command("rebuild", epilog=REBUILD_EXAMPLES)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["parquet", "csv", "both"]), default="both",
              show_default=True, help="Rewrite the CSVs too (csv, both), or only the Parquet files and lineage.")
def rebuild_command(folder: Path, output_format: str) -> None:
    """Rebuild an output folder whole: merge anything staged, rewrite every Parquet file
    (a few per partition), every CSV and goal_lineage from the rows.

    A run updates only what it touched; this gives the same bytes from scratch. It also
    converts a folder written by an older plansheet (one file per source).
    """
    from plansheet.batch.finish import rebuild_output

    if not (folder / "parquet").is_dir():
        raise click.UsageError(f"{folder} has no parquet/ folder: not a plansheet output")
    rebuild_output(folder, output_format)
    click.echo(f"rebuilt {folder}", err=True)
