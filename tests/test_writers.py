"""The dataset on disk: layout, types, atomic replacement, CSVs with BOM, no duplicates on re-runs."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import plansheet
from conftest import SEED
from plansheet.output.rows import SCHEMAS, TABLES
from plansheet.output.dataset import BUCKETS, bucket_of, file_keys, part_name
from plansheet.output.writers import atomic_write_bytes, source_key

def test_layout_is_hive_partitioned_with_the_source_in_its_bucket_file(seed_output: Path) -> None:
    from hashlib import sha256

    key = sha256(SEED.read_bytes()).hexdigest()[:16]
    part = part_name(bucket_of(key))
    for table in ("documents", "officers", "goals", "targets", "initiatives", "grade_scale"):
        files = list((seed_output / "parquet" / table).rglob("*.parquet"))
        assert [p.relative_to(seed_output / "parquet" / table).as_posix() for p in files] == [f"fiscal_year=2023/{part}"]
        assert file_keys(files[0]) == {key}
    skey = source_key(SEED.name)  # the sources row: one per name (an absolute file: its name), keyed by it
    assert file_keys(seed_output / "parquet" / "sources" / part_name(bucket_of(skey))) == {skey}
    assert not list((seed_output / "state" / "staging").iterdir())  # every staged file was merged


def test_dataset_reads_with_pyarrow_and_carries_schema_types(seed_output: Path) -> None:
    goals = ds.dataset(seed_output / "parquet" / "goals", partitioning="hive").to_table()
    assert goals.num_rows == 6
    assert goals.schema.field("goal_no").type == pa.int32()
    assert goals.schema.field("plan_goal_no").type == pa.int32()
    assert goals.column("fiscal_year").to_pylist() == [2023] * 6
    sources = ds.dataset(seed_output / "parquet" / "sources").to_table()
    assert sources.schema.field("extracted_at").type == pa.timestamp("us", tz="UTC")


def test_every_contract_column_is_present(seed_output: Path) -> None:
    tables = plansheet.load(seed_output)
    for name in TABLES:
        assert set(SCHEMAS[name].names) <= set(tables[name].columns), name


def test_csv_files_have_a_bom_and_the_rows(seed_output: Path) -> None:
    raw = (seed_output / "csv" / "goals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("doc_id,goal_no,plan_goal_no,plan_goal,field,title")
    assert len(lines) == 7 and "公民連携の拡充" in lines[2]


def test_running_twice_replaces_and_never_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plansheet.extract([SEED], out)
    first = {n: plansheet.load(out)[n] for n in TABLES if n != "sources"}
    plansheet.extract([SEED], out)
    second = plansheet.load(out)
    for name, frame in first.items():
        assert second[name].equals(frame), name
    assert len(second["sources"]) == 1
    assert len(list((out / "parquet").rglob("*.parquet"))) == 8  # one per table and the lineage, none doubled
    assert not list(out.rglob(".*.tmp"))


def test_a_second_source_adds_its_own_rows(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes() + b"\n")
    out = tmp_path / "out"
    plansheet.extract([SEED, copy], out)
    tables = plansheet.load(out, copies="all")
    assert len(tables["documents"]) == 2 and len(tables["goals"]) == 12
    assert tables["documents"]["doc_id"].str.endswith("-1").all()
    assert tables["documents"]["is_current"].sum() == 1  # two copies of one sheet: one counts


def test_many_sources_share_a_few_files_per_partition(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(3 * BUCKETS):  # byte-varied copies: each its own source key
        (inbox / f"copy{n}.txt").write_bytes(SEED.read_bytes() + b"\n" * (n + 1))
    out = tmp_path / "out"
    plansheet.extract([inbox], out, output_format="parquet")
    files = list((out / "parquet" / "goals" / "fiscal_year=2023").glob("*.parquet"))
    assert 1 <= len(files) <= BUCKETS
    assert sum(len(file_keys(f)) for f in files) == 3 * BUCKETS
    assert len(plansheet.load(out, copies="all")["goals"]) == 6 * 3 * BUCKETS


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "t.bin"
    target.write_bytes(b"old")

    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write_bytes(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.bin"]


def test_files_written_before_a_column_was_added_read_it_as_null(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from plansheet.output.writers import read_table

    out = tmp_path / "out"
    plansheet.extract([SEED], out, output_format="parquet")
    part = next((out / "parquet" / "goals").rglob("*.parquet"))
    old = pq.read_table(part)
    pq.write_table(old.drop_columns(["confidence"]), part)  # as an older plansheet wrote it
    goals = read_table(out, "goals")
    assert goals.num_rows == 6 and goals.column("confidence").null_count == 6
    assert goals.column("title").to_pylist() == old.column("title").to_pylist()


def test_pandas_metadata_is_what_pyarrow_writes_for_the_nullable_dtypes() -> None:
    import pandas as pd

    from plansheet.derived.lineage import SCHEMA as LINEAGE_SCHEMA
    from plansheet.output.rows import stored_schema, with_pandas_metadata

    dtypes = {pa.int32(): "Int32", pa.bool_(): "boolean"}
    for schema in [stored_schema(name) for name in TABLES] + [with_pandas_metadata(LINEAGE_SCHEMA)]:
        empty = pd.DataFrame({f.name: pd.Series(dtype=dtypes.get(f.type, f.type.to_pandas_dtype())) for f in schema})
        assert schema.metadata[b"pandas"] == pa.Schema.from_pandas(empty, preserve_index=False).metadata[b"pandas"]


def test_part_files_read_without_pyarrow_dataset_as_with_it(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from plansheet.output.dataset import part_files, read_parts
    from plansheet.output.writers import read_table

    out = tmp_path / "out"
    plansheet.extract([SEED], out, output_format="parquet")
    part = next((out / "parquet" / "goals").rglob("*.parquet"))
    pq.write_table(pq.read_table(part).drop_columns(["confidence"]), part)  # as an older plansheet wrote it
    for name in TABLES:
        assert read_parts(out, name, part_files(out, name), None).equals(read_table(out, name)), name
    narrow = read_parts(out, "goals", part_files(out, "goals"), None, ["title", "confidence", "fiscal_year"])
    assert narrow.column_names == ["title", "confidence", "fiscal_year"] and narrow.column("confidence").null_count == 6


def test_a_part_file_read_back_from_memory_is_what_decoding_it_gives(tmp_path: Path) -> None:
    from conftest import SAMPLES
    from plansheet.output import written
    from plansheet.output.dataset import file_keys, part_files
    from plansheet.output.writers import read_file, read_schema

    out = tmp_path / "out"
    plansheet.extract([SEED, SAMPLES / "printed" / "result.writer.pdf"], out)
    checked = 0
    for name in TABLES:
        for relative in part_files(out, name):
            path = out / relative
            kept = written.recall(path)
            assert kept is not None, relative  # the merge wrote it in this process
            assert written.recall_keys(path) is not None, relative
            remembered, remembered_keys = read_file(path, read_schema(name)), file_keys(path)
            written.forget(path)
            decoded = read_file(path, read_schema(name))
            assert remembered.equals(decoded, check_metadata=True), relative
            assert remembered_keys == file_keys(path) and remembered_keys, relative  # the key list in its footer
            assert [c.num_chunks for c in remembered.columns] == [c.num_chunks for c in decoded.columns]
            checked += 1
    assert checked >= len(TABLES)


def test_a_part_file_replaced_by_another_writer_is_decoded_again(tmp_path: Path) -> None:
    from plansheet.output import written

    path = tmp_path / "part-0.parquet"
    first, second = pa.table({"n": [1, 2]}), pa.table({"n": [3, 4]})
    atomic_write_bytes(path, lambda tmp: pq.write_table(first, tmp))
    written.remember(path, first)
    assert written.recall(path).equals(first)
    atomic_write_bytes(path, lambda tmp: pq.write_table(second, tmp))  # as another process would
    assert written.recall(path) is None
