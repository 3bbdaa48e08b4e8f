"""``plansheet report DIR --out report.html``: a thin shell over :func:`plansheet.derived.report.write_report`."""
from __future__ import annotations

from pathlib import Path

import click

REPORT_EXAMPLES = """
\b
Examples:
  plansheet report output --out output/report.html
  plansheet report data --out /tmp/report.html --title "柏原市 2019–2024"
"""


@click.command("report", epilog=REPORT_EXAMPLES)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (one self-contained file, no network access needed).")
@click.option("--title", default=None, help="Page title (default: 'plansheet report: FOLDER').")
def report_command(folder: Path, target: Path, title: str | None) -> None:
    """Write an HTML report of an output folder made by `plansheet extract`.

    Documents per year and department, a grade heat map (department × year), goal
    lineage chains with their grade trajectories, and the sources that failed or were
    partly read, with their reasons.
    """
    from plansheet.derived.report import write_report  # pandas-heavy; keeps `plansheet --help` fast
    written = write_report(folder, target, title)
    click.echo(f"report written to {written}", err=True)
