"""``plansheet report DIR --out report.html``: a thin shell over :func:`plansheet.derived.report.write_report`."""
from __future__ import annotations

from pathlib import Path

import click

REPORT_EXAMPLES = """
\b
Examples:
  plansheet report output
  plansheet report output --out output/report.html
  plansheet report output --copies all --out /tmp/every_copy.html
  plansheet report data --out /tmp/report.html --title "柏原市 2019–2024"
"""


@click.command("report", epilog=REPORT_EXAMPLES)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", "target", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (one self-contained file, no network access needed); "
                   "default: FOLDER/report.html.")
@click.option("--title", default=None, help="Page title (default: 'plansheet report: FOLDER').")
@click.option("--files", "files_root", default=None, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Where the inputs' names start (the folder `extract` ran in), to link each row to its file "
                   "(default: the current folder).")
@click.option("--copies", type=click.Choice(["current", "all"]), default="current", show_default=True,
              help="Count one copy of each sheet, or every copy (a sheet read from a PDF and a workbook: 2).")
def report_command(folder: Path, target: Path | None, title: str | None, files_root: Path | None,
                   copies: str) -> None:
    """Write an HTML report of an output folder made by `plansheet extract`.

    Sheets per year and department, the grade distribution per department and year,
    goal lineage chains with their grade trajectories (ended goals marked), and the
    sources that failed or were partly read, with their reasons, linked to their files.
    FOLDER must be the output folder itself (the one holding parquet/), else exit code 2.
    """
    from plansheet.derived.report import write_report  # pandas-heavy; keeps `plansheet --help` fast
    written = write_report(folder, target, title, files_root, copies)
    click.echo(f"report written to {written}", err=True)
