"""The seed export against the hand-checked golden tables (tests/golden/seed), field by field."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from conftest import SEED
from truth import TRUTH_KEYS

GOLDEN = Path(__file__).resolve().parent / "golden" / "seed"
GOLDEN_KEYS = {table: [k for k in keys if k != "doc"] for table, keys in TRUTH_KEYS.items()}  # one document
EXPECTED_ROWS = {"documents": 1, "officers": 3, "goals": 6, "targets": 8, "initiatives": 9, "grade_scale": 5}


def _as_text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def _rows(frame: pd.DataFrame, columns: list[str], keys: list[str]) -> list[dict]:
    rows = [{c: _as_text(r[c]) for c in columns} for r in frame.to_dict("records")]
    return sorted(rows, key=lambda r: tuple(int(r[k]) if (r[k] or "").isdigit() else r[k] for k in keys))


@pytest.mark.parametrize("table", list(GOLDEN_KEYS))
def test_seed_table_matches_golden(seed_tables: dict[str, pd.DataFrame], table: str) -> None:
    golden = pd.read_csv(GOLDEN / f"{table}.csv", dtype=str, keep_default_na=False)
    columns = list(golden.columns)
    expected = [{c: (v or None) for c, v in row.items()} for row in golden.to_dict("records")]
    got = _rows(seed_tables[table], columns, GOLDEN_KEYS[table])
    want = _rows(pd.DataFrame(expected), columns, GOLDEN_KEYS[table])
    assert len(want) == EXPECTED_ROWS[table] and len(got) == len(want)
    for want_row, got_row in zip(want, got, strict=True):
        assert got_row == want_row


def test_seed_doc_id_is_content_hash(seed_tables: dict[str, pd.DataFrame]) -> None:
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    documents = seed_tables["documents"]
    assert documents["doc_id"].tolist() == [f"{sha[:16]}-1"]
    assert documents["source_sha256"].tolist() == [sha]
    assert set(seed_tables["goals"]["doc_id"]) == {f"{sha[:16]}-1"}


def test_seed_sources_row(seed_tables: dict[str, pd.DataFrame]) -> None:
    sources = seed_tables["sources"]
    assert len(sources) == 1
    row = sources.iloc[0]
    assert row["status"] == "ok" and row["documents"] == 1
    assert pd.isna(row["error"]) and pd.isna(row["error_stage"])
    assert row["source_file"].endswith("000_b2610523df0a2988.txt")
