"""Fuzz variants whose sheet cannot tell a field, kept with their truth: each reads back ``partial``, and every
field that differs from the truth is named by a warning (its record, page and field).

``tests/fixtures/named/<what>-<seed>-<index>.<ext>`` is a variant the layout fuzzer drew
(``python -m samples.generate.fuzz_run --seed SEED --index INDEX``, with the axis it names forced), ``….json`` the
truth drawn with it. Unlike tests/fixtures/fuzz/ (read back exactly), what these sheets do not say cannot be read:
the promise is that nothing wrong is left under ``ok`` or unnamed.
"""
from __future__ import annotations

from pathlib import Path

import pytest


from bench.ocr_hard import named_by
from truth import read_back

FIXTURES = Path(__file__).parent / "fixtures" / "named"
VARIANTS = sorted(p for suffix in ("txt", "pdf") for p in FIXTURES.glob(f"*-*-*.{suffix}")
                  if p.with_name(p.name + ".json").is_file())


def test_there_are_named_fixtures() -> None:
    assert VARIANTS


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: p.stem)
def test_a_field_the_sheet_cannot_tell_is_named(variant: Path, tmp_path: Path) -> None:
    read = read_back(variant, tmp_path)
    results, found = read.results, read.found
    warnings = [w for r in results for w in r.warnings]
    assert found.wrong, "reads back exactly: move it to tests/fixtures/fuzz/"
    assert [r.status.value for r in results] == ["partial"]
    for table, row, column, lost in found.wrong:
        assert named_by(warnings, table, row, column, lost), (table, row, column, warnings)
