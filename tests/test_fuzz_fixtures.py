"""Fuzz variants that once came out wrong, kept as regression fixtures with their truth.

``tests/fixtures/fuzz/<what>-<seed>-<index>.txt`` (or ``.pdf``, when small) is a variant the layout
fuzzer drew (``python -m samples.generate.fuzz_run --seed SEED --index INDEX``) and plansheet read
wrongly before the grammar rule named by ``<what>``; ``….txt.json`` is the truth drawn with
it. Each must now read back exactly and ``ok``; one whose truth lists fields the sheet prints no
value for (``meta.unshown``: ``###``, ``#DIV/0!``) exactly and ``partial``, a warning naming each. A figure
typed on two lines where its second line could begin a figure of its own (``3,2`` | ``10人``: one figure or
two, the sheet cannot tell) is read as written and named: that field differs from the truth (3,210人) by
that space only, and the file is ``partial``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


from plansheet.core.text import CUT_FIGURE
from truth import read_back

FIXTURES = Path(__file__).parent / "fixtures" / "fuzz"
VARIANTS = sorted(p for suffix in ("txt", "csv", "pdf", "xlsx", "html") for p in FIXTURES.glob(f"*-*-*.{suffix}")
                  if p.with_name(p.name + ".json").is_file())


def test_there_are_fuzz_fixtures() -> None:
    assert len(VARIANTS) >= 3


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: p.stem)
def test_fuzz_fixture_reads_back_exactly(variant: Path, tmp_path: Path) -> None:
    truth, results, tables, doc_ids, found = read_back(variant, tmp_path)
    assert found.fields > 0
    from bench.ocr_hard import named_by

    warnings = [w for r in results for w in r.warnings]
    cut = [(table, row, column) for table, row, column, lost in found.wrong if not lost and _cut_figure(
        tables[table], doc_ids, row, column)]
    assert len(cut) == len(found.wrong), found.differences
    for table, row, column in cut:
        assert named_by(warnings, table, row, column), (row, warnings)
    unshown = truth["meta"].get("unshown", [])
    assert [r.status.value for r in results] == ["partial" if unshown or cut else "ok"], \
        tables["sources"]["warnings"].tolist()
    for f in unshown:
        assert named_by(warnings, "targets", f, str(f["field"])), (f, warnings)


def _cut_figure(frame: pd.DataFrame, doc_ids: dict[str, int], row: dict, column: str) -> bool:
    """Whether the value read for ``row``'s ``column`` is the truth with a typed break kept inside a figure."""
    docs = [d for d, n in doc_ids.items() if n == row["doc"]]
    got = frame[frame["doc_id"].isin(docs)]
    for k in ("goal_no", "target_no", "initiative_no"):
        if k in row and k in got:
            got = got[got[k] == row[k]]
    values = [str(v) for v in got[column]] if column in got else []
    return len(values) == 1 and bool(CUT_FIGURE.search(values[0])) and \
        CUT_FIGURE.sub(lambda m: m.group().replace(" ", ""), values[0]) == row[column]

