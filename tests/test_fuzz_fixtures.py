"""Fuzz variants that once came out wrong, kept as regression fixtures with their truth.

``tests/fixtures/fuzz/<what>-<seed>-<index>.txt`` (or ``.pdf``, when small) is a variant the layout
fuzzer drew (``python -m samples.generate.fuzz_run --seed SEED --index INDEX``) and plansheet read
wrongly before the grammar rule named by ``<what>``; ``….txt.json`` is the truth drawn with
it. Each must now read back exactly and ``ok``; one whose truth lists fields the sheet prints no
value for (``meta.unshown``: ``###``, ``#DIV/0!``) exactly and ``partial``, a warning naming each.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import plansheet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # samples/ is not a package of the distribution
    sys.path.insert(0, str(ROOT))

from samples.generate.fuzz_run import compare  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "fuzz"
VARIANTS = sorted(p for suffix in ("txt", "pdf", "xlsx") for p in FIXTURES.glob(f"*-*-*.{suffix}")
                  if p.with_name(p.name + ".json").is_file())


def test_there_are_fuzz_fixtures() -> None:
    assert len(VARIANTS) >= 3


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: p.stem)
def test_fuzz_fixture_reads_back_exactly(variant: Path, tmp_path: Path) -> None:
    truth = json.loads(variant.with_name(variant.name + ".json").read_text(encoding="utf-8"))
    results = plansheet.extract([variant], tmp_path, output_format="parquet")
    tables = plansheet.load(tmp_path)
    doc_ids = {d: int(str(d).rsplit("-", 1)[1]) for d in tables["documents"]["doc_id"]}
    total, differences = compare(tables, doc_ids, truth)
    assert total > 0
    assert differences == []
    unshown = truth["meta"].get("unshown", [])
    assert [r.status.value for r in results] == ["partial" if unshown else "ok"], tables["sources"]["warnings"].tolist()
    from bench.ocr_hard import named_by

    warnings = [w for r in results for w in r.warnings]
    for f in unshown:
        assert named_by(warnings, "targets", f, str(f["field"])), (f, warnings)
