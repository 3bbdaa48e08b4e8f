"""The output tables: explicit pyarrow schemas (SCHEMA.md types) and records → rows.

Column order follows SCHEMA.md; columns added by plansheet come after the contract's
columns and are listed in the README's table of added columns. ``fiscal_year``
is the Hive partition key of every table but ``sources``: it is not stored inside the
partitioned files, and comes back as a column when the dataset is read.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from plansheet.parsers.records import ParsedDocument
from plansheet.results import SourceFacts

STR, I32, F64, BOOL = pa.string(), pa.int32(), pa.float64(), pa.bool_()
TS = pa.timestamp("us", tz="UTC")

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", STR), ("source_file", STR), ("source_sha256", STR), ("source_format", STR),
        ("extraction_method", STR), ("municipality", STR), ("fiscal_year", I32),
        ("fiscal_year_label", STR), ("stage", STR), ("department", STR), ("director", STR),
        ("basic_policy", STR), ("page_count", I32), ("parser_version", STR),
        ("pages", STR), ("first_page", I32), ("last_page", I32),
        ("is_current", BOOL), ("copy_of", STR), ("copy_reason", STR),
    ]),
    "officers": pa.schema([("doc_id", STR), ("position", STR), ("title", STR), ("name", STR),
                           ("charge", STR), ("officer_no", I32)]),
    "goals": pa.schema([
        ("doc_id", STR), ("goal_no", I32), ("plan_goal_no", I32), ("plan_goal", STR), ("field", STR),
        ("title", STR), ("overall_summary", STR), ("overall_grade", STR), ("next_steps", STR),
        ("page", I32), ("confidence", F64), ("department", STR),
    ]),
    "targets": pa.schema([
        ("doc_id", STR), ("goal_no", I32), ("target_no", I32), ("text", STR), ("status", STR),
        ("grade", STR), ("page", I32), ("confidence", F64), ("department", STR),
    ]),
    "initiatives": pa.schema([
        ("doc_id", STR), ("goal_no", I32), ("initiative_no", I32), ("target_no", I32), ("text", STR),
        ("section", STR), ("results", STR), ("page", I32), ("confidence", F64), ("department", STR),
    ]),
    "grade_scale": pa.schema([("doc_id", STR), ("grade", STR), ("label", STR), ("min_pct", I32),
                              ("max_pct", I32), ("description", STR)]),
    "sources": pa.schema([
        ("source_sha256", STR), ("source_file", STR), ("status", STR), ("documents", I32),
        ("error_stage", STR), ("error", STR), ("pages_ocr", I32), ("seconds", F64),
        ("parser_version", STR), ("extracted_at", TS), ("source_format", STR), ("pages", I32),
        ("warnings", STR), ("source_modified", TS), ("state", STR),
    ]),
}
DOCUMENT_TABLES = ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")
TABLES = DOCUMENT_TABLES + ("sources",)
PARTITION = "fiscal_year"
KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"], "officers": ["doc_id", "officer_no"], "goals": ["doc_id", "goal_no"],
    "targets": ["doc_id", "goal_no", "target_no"], "initiatives": ["doc_id", "goal_no", "initiative_no"],
    "grade_scale": ["doc_id", "grade"], "sources": ["source_file"],
}


# (pandas_type, numpy_type) that pandas records for an empty column of each stored type
_PANDAS_TYPES = {pa.string(): ("empty", "object"), pa.int32(): ("int32", "Int32"), pa.bool_(): ("bool", "boolean"),
                 pa.float64(): ("float64", "float64")}


@lru_cache(maxsize=None)
def _pandas_version() -> str:
    """The installed pandas' version, without importing pandas.

    Read from the name of its ``pandas-<version>.dist-info`` folder beside the package:
    ``importlib.metadata`` answers the same, but importing it costs about 25 ms, a tenth of a
    small batch's writing. That is asked only when the folder is not there or not alone.
    """
    spec = importlib.util.find_spec("pandas")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("pandas-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("pandas-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("pandas")


def with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """``schema`` with pandas metadata naming nullable dtypes (``Int32``, ``boolean``).

    ``pd.read_parquet`` then returns integer columns with nulls as ``Int32`` rather than
    float64. The metadata lists only the stored columns: a Hive partition key named there
    too makes pandas fail (``NotImplementedError: dictionary<values=int32 …>``). Written as
    pyarrow writes it for an empty DataFrame of those dtypes, without importing pandas
    (``tests/test_writers.py`` compares the two).
    """
    columns = []
    for f in schema:
        if pa.types.is_timestamp(f.type):
            kind, numpy, meta = "datetimetz", f"datetime64[{f.type.unit}]", {"timezone": f.type.tz}
        else:
            (kind, numpy), meta = _PANDAS_TYPES[f.type], None
        columns.append({"name": f.name, "field_name": f.name, "pandas_type": kind, "numpy_type": numpy,
                        "metadata": meta})
    pandas_meta = {"index_columns": [], "column_indexes": [], "columns": columns, "attributes": {},
                   "creator": {"library": "pyarrow", "version": pa.__version__}, "pandas_version": _pandas_version()}
    return schema.with_metadata({**(schema.metadata or {}), b"pandas": json.dumps(pandas_meta).encode("utf8")})


@lru_cache(maxsize=None)
def stored_schema(table: str) -> pa.Schema:
    """The schema of the files on disk (the partition key left out), with pandas metadata (built once)."""
    schema = SCHEMAS[table]
    index = schema.get_field_index(PARTITION)
    return with_pandas_metadata(schema.remove(index) if index >= 0 else schema)


def doc_id(sha256: str, n: int) -> str:
    """``<first 16 hex of the file's SHA-256>-<n>`` (SCHEMA's content-hash id)."""
    return f"{sha256[:16]}-{n}"


RANGE_DASH = "\u2013"  # en dash: "2–8" stays text in Excel, where "2-8" opens as a date


def _page_ranges(pages: list[int]) -> str | None:
    if not pages:
        return None
    pages = sorted(set(pages))  # a page shared by two goal sheets is listed once
    runs: list[str] = []
    start = prev = pages[0]
    for page in pages[1:] + [None]:  # type: ignore[list-item]
        if page is not None and page == prev + 1:
            prev = page
            continue
        runs.append(f"{start}" if start == prev else f"{start}{RANGE_DASH}{prev}")
        if page is not None:
            start = prev = page
    return ",".join(runs)


def record_row(record: object, **keys: object) -> dict:
    """A record's scalar fields (nested record lists left out) plus the given key columns."""
    row = {f.name: getattr(record, f.name) for f in fields(record)  # type: ignore[arg-type]
           if not isinstance(getattr(record, f.name), list)}
    row.update(keys)
    return row


def document_rows(docs: list[ParsedDocument], facts: SourceFacts) -> dict[str, list[dict]]:
    """All rows of the document tables for one source file; each row carries ``fiscal_year``."""
    rows: dict[str, list[dict]] = {name: [] for name in DOCUMENT_TABLES}
    for n, doc in enumerate(docs, start=1):
        did, year = doc_id(facts.sha256, n), doc.fiscal_year
        rows["documents"].append({
            "doc_id": did, "source_file": facts.source_file, "source_sha256": facts.sha256,
            "source_format": facts.source_format, "extraction_method": facts.extraction_method,
            "municipality": doc.municipality, "fiscal_year": year,
            "fiscal_year_label": doc.fiscal_year_label, "stage": doc.stage,
            "department": doc.department, "director": doc.director, "basic_policy": doc.basic_policy,
            "page_count": len(doc.pages) or None, "parser_version": facts.parser_version,
            "pages": _page_ranges(doc.pages), "first_page": min(doc.pages, default=None),
            "last_page": max(doc.pages, default=None),
        })
        keys = {"doc_id": did, PARTITION: year}
        owned = {**keys, "department": doc.department}
        rows["officers"] += [record_row(o, **keys, officer_no=i) for i, o in enumerate(doc.officers, start=1)]
        rows["grade_scale"] += [record_row(b, **keys) for b in doc.grade_scale]
        for g in doc.goals:
            rows["goals"].append(record_row(g, **owned))
            rows["targets"] += [record_row(t, **owned, goal_no=g.goal_no) for t in g.targets]
            rows["initiatives"] += [record_row(i, **owned, goal_no=g.goal_no) for i in g.initiatives]
    return rows
