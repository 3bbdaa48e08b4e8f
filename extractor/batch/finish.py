"""What runs once after a batch has written its sources: tables derived from the whole dataset."""
from __future__ import annotations

from pathlib import Path

from plansheet.derived.lineage import update_lineage
from plansheet.settings import Settings
from plansheet.output.writers import rebuild_csv


def finish_output(out: Path, output_format: str, settings: Settings | None = None) -> None:
    """Rebuild the CSVs (when asked for) and the goal_lineage table from the Parquet dataset."""
    if output_format in ("csv", "both"):
        rebuild_csv(out)
    threshold = (settings or Settings()).lineage_threshold
    update_lineage(out, threshold, csv=output_format in ("csv", "both"))
