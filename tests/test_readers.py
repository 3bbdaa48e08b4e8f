"""Every table reads with pandas, pyarrow, DuckDB and polars, with the same rows and agreeing types."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from plansheet.derived.lineage import SCHEMA as LINEAGE_SCHEMA, TABLE as LINEAGE
from plansheet.output.rows import SCHEMAS, TABLES

duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")
ALL = (*TABLES, LINEAGE)
INT32 = {name: [f.name for f in (LINEAGE_SCHEMA if name == LINEAGE else SCHEMAS[name])
                if f.type == pa.int32() and f.name != "fiscal_year"] for name in ALL}


def _glob(out: Path, name: str) -> str:
    return str(out / "parquet" / name / ("*.parquet" if name == "sources" else "*/*.parquet"))


@pytest.fixture(scope="module")
def expected(copies_output: Path) -> dict[str, int]:
    return {name: ds.dataset(copies_output / "parquet" / name, format="parquet").count_rows() for name in ALL}


@pytest.mark.parametrize("name", ALL)
def test_pandas_reads_every_table_with_nullable_integers(copies_output: Path, expected: dict[str, int],
                                                         name: str) -> None:
    frame = pd.read_parquet(copies_output / "parquet" / name)
    assert len(frame) == expected[name] > 0
    for column in INT32[name]:
        assert frame[column].dtype == pd.Int32Dtype(), column  # not float64 where a value is missing
    if name != "sources":
        assert frame["fiscal_year"].astype("Int32").between(2019, 2024).all()


@pytest.mark.parametrize("name", ALL)
def test_pyarrow_reads_every_table(copies_output: Path, expected: dict[str, int], name: str) -> None:
    table = pq.read_table(copies_output / "parquet" / name)
    assert table.num_rows == expected[name]
    for column in INT32[name]:
        assert table.schema.field(column).type == pa.int32(), column


@pytest.mark.parametrize("name", ALL)
def test_duckdb_reads_every_table(copies_output: Path, expected: dict[str, int], name: str) -> None:
    hive = "" if name == "sources" else ", hive_partitioning = true, hive_types = {'fiscal_year': INTEGER}"
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{_glob(copies_output, name)}'{hive})")
    assert len(relation.fetchall()) == expected[name]
    types = dict(zip(relation.columns, map(str, relation.types)))
    for column in INT32[name] + ([] if name == "sources" else ["fiscal_year"]):
        assert types[column] == "INTEGER", column


@pytest.mark.parametrize("name", ALL)
def test_polars_reads_every_table(copies_output: Path, expected: dict[str, int], name: str) -> None:
    if name == "sources":
        frame = pl.read_parquet(_glob(copies_output, name))
    else:
        frame = pl.read_parquet(_glob(copies_output, name), hive_partitioning=True,
                                hive_schema={"fiscal_year": pl.Int32})
        assert frame.schema["fiscal_year"] == pl.Int32
    assert frame.height == expected[name]
    for column in INT32[name]:
        assert frame.schema[column] == pl.Int32, column


def test_the_documented_partitioning_gives_pandas_an_integer_fiscal_year(copies_output: Path) -> None:
    partitioning = ds.partitioning(pa.schema([("fiscal_year", pa.int32())]), flavor="hive")  # docs/duckdb.md
    frame = pd.read_parquet(copies_output / "parquet" / "goals", partitioning=partitioning)
    assert str(frame["fiscal_year"].dtype) in ("int32", "Int32")
    assert pd.read_parquet(copies_output / "parquet" / "goals")["fiscal_year"].dtype == "category"  # as documented
