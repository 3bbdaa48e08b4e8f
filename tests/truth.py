"""Compare an extraction's tables with a sample's truth (rows keyed by document order ``doc``)."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from plansheet.output.rows import DOCUMENT_TABLES, KEYS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TRUTH = SAMPLES / "truth"
# the columns that name a truth row: the tables' keys (output/rows.py KEYS) with ``doc`` (the
# 1-based document order) for ``doc_id``; officers by name, as truth files do not number them.
# The tests, tests/fixtures/ocr and bench/quality.py all match rows on these.
TRUTH_KEYS: dict[str, list[str]] = {
    table: ["doc" if key == "doc_id" else key for key in KEYS[table]] for table in DOCUMENT_TABLES
} | {"officers": ["doc", "name"]}


def load_truth(sample: Path) -> dict[str, list[dict]]:
    """The truth JSON written beside a generated sample."""
    return json.loads((TRUTH / f"{sample.name}.json").read_text(encoding="utf-8"))


def _plain(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def extracted_rows(tables: dict[str, pd.DataFrame], table: str, columns: list[str]) -> list[dict]:
    """Rows of one extracted table with doc_id turned into the 1-based document order ``doc``."""
    frame = tables[table]
    rows = []
    for record in frame.to_dict("records"):
        row = {c: _plain(record.get(c)) for c in columns if c != "doc"}
        row["doc"] = int(str(record["doc_id"]).rsplit("-", 1)[1])
        rows.append(row)
    return rows


def table_differences(tables: dict[str, pd.DataFrame], truth: dict[str, list[dict]], table: str) -> list[str]:
    """Every field where extraction and truth disagree, as readable lines (empty when equal)."""
    expected = truth[table]
    if not expected:
        return [] if tables[table].empty else [f"{table}: {len(tables[table])} rows, truth has none"]
    columns = list(expected[0].keys())
    keys = TRUTH_KEYS[table]
    got = {tuple(r[k] for k in keys): r for r in extracted_rows(tables, table, columns)}
    want = {tuple(r[k] for k in keys): r for r in expected}
    problems = [f"{table} {k}: missing" for k in want if k not in got]
    problems += [f"{table} {k}: unexpected row" for k in got if k not in want]
    for key in want.keys() & got.keys():
        for column in columns:
            if want[key][column] != got[key].get(column):
                problems.append(f"{table} {key}.{column}: got {got[key].get(column)!r}, want {want[key][column]!r}")
    return sorted(problems)


class ReadBack(NamedTuple):  # not a dataclass: bench/quality.py loads this file by path, outside sys.modules
    """A sheet the layout fuzzer drew, extracted and compared field by field with its truth."""
    truth: dict[str, Any]  # the truth JSON drawn with it
    results: list[Any]  # plansheet.extract's results (one SourceResult)
    tables: dict[str, pd.DataFrame]  # plansheet.load of the output
    doc_ids: dict[str, int]  # each doc_id read, to its 1-based document order (the truth's ``doc``)
    found: Any  # samples.generate.fuzz_run.Comparison: fields compared, differences, the wrong ones


def read_back(variant: Path, out: Path, truth_of: Path | None = None) -> ReadBack:
    """``variant`` extracted into ``out`` (Parquet) and compared with the truth the fuzzer wrote beside
    ``truth_of`` (``variant`` itself unless given), ``NAME.json``, by :func:`samples.generate.fuzz_run.compare_fields`."""
    import plansheet
    from samples.generate.fuzz_run import compare_fields  # samples/ is on pytest's path (pyproject: pythonpath)

    drawn = truth_of or variant
    truth = json.loads(drawn.with_name(drawn.name + ".json").read_text(encoding="utf-8"))
    results = plansheet.extract([variant], out, output_format="parquet")
    tables = plansheet.load(out)
    doc_ids = {d: int(str(d).rsplit("-", 1)[1]) for d in tables["documents"]["doc_id"]}
    return ReadBack(truth, results, tables, doc_ids, compare_fields(tables, doc_ids, truth))


def reader_problems(out: Path) -> list[str]:
    """What is wrong with what a reader of ``out``'s plain Parquet directory sees now: a ``documents`` row
    twice, a source's old and new rows together (two content keys, the doc_id's first 16 characters), a
    ``goals`` row twice. Empty when a reader sees one consistent state (tables not written yet included)."""
    import pyarrow.dataset as ds

    problems = []
    documents = ds.dataset(out / "parquet" / "documents", partitioning="hive").to_table()
    if "doc_id" in documents.column_names:
        ids = documents.column("doc_id").to_pylist()
        if len(ids) != len(set(ids)):
            problems.append("documents: a row twice")
        keys: dict[str, set[str]] = {}
        for source, doc in zip(documents.column("source_file").to_pylist(), ids):
            keys.setdefault(source, set()).add(doc[:16])
        problems.extend(f"{s}: old and new rows together" for s, k in keys.items() if len(k) > 1)
    goals = ds.dataset(out / "parquet" / "goals", partitioning="hive").to_table()
    if "doc_id" in goals.column_names:
        pairs = list(zip(goals.column("doc_id").to_pylist(), goals.column("goal_no").to_pylist()))
        if len(pairs) != len(set(pairs)):
            problems.append("goals: a row twice")
    return problems
