"""What runs once after a batch has written its sources: tables derived from the whole dataset."""
from __future__ import annotations

from pathlib import Path

from plansheet.writers import rebuild_csv


def finish_output(out: Path, output_format: str) -> None:
    """Rebuild the CSVs (when asked for) from the Parquet dataset."""
    if output_format in ("csv", "both"):
        rebuild_csv(out)
