"""An empty result is a table with no rows, not a table with no columns.

A table with no row (every file of a run failed, or every row was withdrawn) keeps one Parquet file
holding its columns and no rows, so that pandas, pyarrow, polars and DuckDB read it as a table with its
columns: ``OUT/parquet/sources/part-0.parquet``, and for a partitioned table
``OUT/parquet/<table>/fiscal_year=0/part-0.parquet`` (``lineage.parquet`` in ``goal_lineage``), in a
partition of no fiscal year (no sheet is of year 0), which DuckDB's ``hive_types`` needs to find. The
file goes once the table has rows again, and a partition folder a merge left without a file (every row
of its year withdrawn) is removed. :func:`keep_columns` runs at the end of every finish, incremental or
whole (``plansheet rebuild``), so both leave the same files.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from plansheet.derived.lineage import TABLE as LINEAGE, write_empty_year
from plansheet.output.dataset import PARTITION, part_name, write_empty
from plansheet.output.rows import TABLES

EMPTY_YEAR = 0  # the partition of a table with no rows


def keep_columns(out: Path) -> None:
    """Give every table of ``out`` with no rows its schema-only file, and take it away from those with rows
    (module docstring). Looks at the tables' folders and partition folders only (one a fiscal year)."""
    for name in (*TABLES, LINEAGE):
        folder = out / "parquet" / name
        if not folder.is_dir():
            continue
        if name == "sources":
            _keep_sources(folder)
            continue
        marker = folder / f"{PARTITION}={EMPTY_YEAR}" / ("lineage.parquet" if name == LINEAGE else part_name(0))
        years = []
        for directory in sorted(p for p in folder.glob(f"{PARTITION}=*") if p.is_dir()):
            if not any(directory.iterdir()):
                directory.rmdir()  # a year whose rows were all withdrawn
            elif directory != marker.parent:
                years.append(directory)
        if years:
            if marker.exists():
                marker.unlink()
                if not any(marker.parent.iterdir()):
                    marker.parent.rmdir()
        elif not marker.exists() and name == LINEAGE:
            write_empty_year(out, EMPTY_YEAR)
        elif not marker.exists():
            write_empty(marker, name)


def _keep_sources(folder: Path) -> None:
    """``sources`` (no partitions, its rows spread over eight files): ``part-0.parquet`` with no rows while no
    file holds a row."""
    marker = folder / part_name(0)
    files = sorted(folder.glob("part-*.parquet"))
    if any(path != marker for path in files):
        if marker.exists() and pq.ParquetFile(marker).metadata.num_rows == 0:
            marker.unlink()
    elif not marker.exists():
        write_empty(marker, "sources")
