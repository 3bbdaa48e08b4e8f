"""The DuckDB queries of docs/duckdb.md run on the lineage samples' output."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import plansheet

duckdb = pytest.importorskip("duckdb")
ROOT = Path(__file__).resolve().parent.parent
QUERIES = re.findall(r"```sql\n(.*?)```", (ROOT / "docs" / "duckdb.md").read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("duckdb_out")
    plansheet.extract([ROOT / "samples" / "lineage"], folder)
    return folder


def _run(query: str, out: Path) -> list[tuple]:
    return duckdb.sql(query.replace("'output/", f"'{out.as_posix()}/")).fetchall()


def test_the_doc_has_two_queries() -> None:
    assert len(QUERIES) == 2


def test_goals_over_the_years(out: Path) -> None:
    rows = _run(QUERIES[0], out)
    assert [(r[0], r[2], r[4]) for r in rows][:4] == [(2021, 1, "C"), (2021, 2, "B"), (2021, 3, "B"), (2021, 4, "D")]
    assert len(rows) == 14 and isinstance(rows[0][0], int)


def test_lineage_grade_trajectories(out: Path) -> None:
    rows = dict(_run(QUERIES[1], out))
    assert rows["環境部/2021/1"] == "2021:C → 2022:A → 2023:B"
    assert rows["環境部/2021/3"] == "2021:B → 2022:A → 2022:B → 2023:A → 2023:A"
