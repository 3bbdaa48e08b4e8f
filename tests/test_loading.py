"""plansheet.load: typed DataFrames (nullable Int32, categorical grades and stage) and initiatives_flat."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import plansheet
from plansheet.derived.loading import FLAT_COLUMNS, GRADES, GradeError, GradeWarning, NotAnOutputError, load
from plansheet.output.rows import SCHEMAS, TABLES
from plansheet.output.writers import ensure_layout

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("loading_out")
    plansheet.extract([ROOT / "samples" / "lineage"], out)
    return plansheet.load(out)


def test_api_load_is_the_typed_loader(tables: dict[str, pd.DataFrame]) -> None:
    assert {"documents", "goals", "targets", "initiatives", "sources", "goal_lineage", "initiatives_flat"} <= set(tables)


def test_integers_are_nullable_int32_and_fiscal_year_comes_from_the_partition(tables: dict[str, pd.DataFrame]) -> None:
    goals = tables["goals"]
    assert goals["goal_no"].dtype == pd.Int32Dtype() and goals["plan_goal_no"].dtype == pd.Int32Dtype()
    assert goals["fiscal_year"].dtype == pd.Int32Dtype()
    assert sorted(goals["fiscal_year"].unique()) == [2021, 2022, 2023]


def test_grades_and_stage_are_categorical(tables: dict[str, pd.DataFrame]) -> None:
    assert tables["goals"]["overall_grade"].dtype == GRADES
    assert tables["targets"]["grade"].dtype == GRADES and tables["grade_scale"]["grade"].dtype == GRADES
    assert list(GRADES.categories) == ["A", "B", "C", "D", "E"] and GRADES.ordered
    stage = tables["documents"]["stage"]
    assert isinstance(stage.dtype, pd.CategoricalDtype) and list(stage.dtype.categories) == ["plan", "result"]
    assert list(tables["sources"]["status"].dtype.categories) == ["ok", "partial", "failed", "skipped"]


def test_flat_view_has_one_row_per_initiative(tables: dict[str, pd.DataFrame]) -> None:
    flat = tables["initiatives_flat"]
    assert list(flat.columns) == FLAT_COLUMNS
    assert len(flat) == len(tables["initiatives"]) == 15
    row = flat[(flat["fiscal_year"] == 2021) & (flat["goal_no"] == 3) & (flat["target_no"] == 2)].iloc[0]
    assert row["department"] == "環境部" and row["goal_title"] == "公園と緑地の適正な管理"
    assert row["target_grade"] == "A" and row["overall_grade"] == "B" and row["section"] == "公園緑地課"
    assert flat["target_grade"].dtype == GRADES


def test_an_empty_output_loads_as_empty_tables_with_every_column(tmp_path: Path) -> None:
    ensure_layout(tmp_path)
    tables = load(tmp_path)
    assert all(frame.empty for frame in tables.values())
    assert tables["goals"]["goal_no"].dtype == pd.Int32Dtype()
    assert list(tables["initiatives_flat"].columns) == FLAT_COLUMNS
    for name in TABLES:
        stored = set(SCHEMAS[name].names) | ({"fiscal_year"} if name != "sources" else set())
        assert stored <= set(tables[name].columns), name


@pytest.mark.parametrize("where", ["missing", "a_file", "parquet", "parquet/goals", "empty"])
def test_a_path_that_is_not_an_output_folder_fails_naming_what_was_expected(tmp_path: Path, where: str) -> None:
    out = tmp_path / "out"
    ensure_layout(out)
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "empty").mkdir()
    path = tmp_path / where if where in ("missing", "a_file", "empty") else out / where
    with pytest.raises(NotAnOutputError, match="output folder") as error:
        load(path)
    if where.startswith("parquet"):
        assert str(out) in str(error.value)


def _with_grades(out: Path, grades: list[str]) -> None:
    """Put ``grades`` into the stored goals, as an older writer (or another tool) might have."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    for path in (out / "parquet" / "goals").rglob("*.parquet"):
        table = pq.read_table(path)
        index = table.schema.get_field_index("overall_grade")
        column = [grades[i % len(grades)] for i in range(table.num_rows)]
        pq.write_table(table.set_column(index, "overall_grade", pa.array(column, pa.string())), path)


def test_grades_outside_a_to_e_warn_and_stay_as_text(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "lineage" / "lineage2021.cid.pdf"], out)
    _with_grades(out, ["BA", "。A", "P", "B"])
    with pytest.warns(GradeWarning, match=r"goals\.overall_grade: 3 grade\(s\) outside A–E .*'BA'.*'P'"):
        goals = load(out)["goals"]
    first = goals.sort_values("goal_no").head(4)
    assert first["overall_grade"].astype(object).where(first["overall_grade"].notna(), None).tolist() == \
        [None, None, None, "B"]
    assert first["overall_grade_text"].astype(object).where(first["overall_grade_text"].notna(), None).tolist() == \
        ["BA", "。A", "P", None]
    with pytest.raises(GradeError, match="outside A–E"):
        load(out, strict=True)


def test_the_arrow_path_gives_the_frames_of_the_pandas_path(tmp_path: Path) -> None:
    """load() filters and joins in Arrow; the pandas path (kept for outputs without is_current
    and for grades outside A–E) must give the very same frames, copies and flat view included."""
    from plansheet.derived.lineage import TABLE as LINEAGE
    from plansheet.derived.loading import FLAT, _load_slowly, read_tables

    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "000_b2610523df0a2988.txt", ROOT / "samples" / "workbooks" / "seed.xlsx",
                       ROOT / "samples" / "lineage"], out)
    for copies in ("current", "all"):
        fast = load(out, copies=copies)  # type: ignore[arg-type]
        slow = _load_slowly(read_tables(out, TABLES), copies, strict=False)
        assert set(fast) == set(slow) | {LINEAGE}
        for name in slow:
            pd.testing.assert_frame_equal(fast[name], slow[name], check_exact=True)
    assert len(load(out, copies="all")["documents"]) > len(load(out)["documents"])  # the copies were dropped
    assert len(fast[FLAT]) == len(fast["initiatives"]) > 0


def test_a_target_stored_twice_gives_its_initiatives_twice_in_the_flat_view(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "lineage" / "lineage2021.cid.pdf"], out)
    before = load(out)
    part = next((out / "parquet" / "targets").rglob("*.parquet"))
    table = pq.read_table(part)
    twice = table.slice(0, 1)  # as a merge of a buggy writer might leave it
    pq.write_table(pa.concat_tables([table, twice]), part)
    key = {c: twice.column(c)[0].as_py() for c in ("doc_id", "goal_no", "target_no")}
    under = before["initiatives"][(before["initiatives"]["doc_id"] == key["doc_id"])
                                  & (before["initiatives"]["goal_no"] == key["goal_no"])
                                  & (before["initiatives"]["target_no"] == key["target_no"])]
    assert len(under) > 0
    flat = load(out)["initiatives_flat"]
    assert len(flat) == len(before["initiatives_flat"]) + len(under)
    doubled = flat[(flat["doc_id"] == key["doc_id"]) & (flat["goal_no"] == key["goal_no"])
                   & (flat["target_no"] == key["target_no"])]
    assert doubled["initiative_no"].tolist() == sorted(under["initiative_no"].tolist() * 2)


def test_the_flat_csv_holds_the_rows_of_the_loaded_flat_view(copies_output: Path) -> None:
    from plansheet.output.csvs import format_rows

    flat = load(copies_output)["initiatives_flat"]
    rows = [[None if pd.isna(v) else v for v in row] for row in flat.astype(object).itertuples(index=False)]
    written = (copies_output / "csv" / "initiatives_flat.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert len(rows) > 0 and written[0] == ",".join(FLAT_COLUMNS)
    assert sorted(written[1:]) == sorted(format_rows(rows).decode("utf-8").splitlines())


def test_load_reads_only_the_tables_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "000_b2610523df0a2988.txt", ROOT / "samples" / "workbooks" / "seed.xlsx"],
                      out)
    for copies in ("current", "all"):
        every = load(out, copies=copies)  # type: ignore[arg-type]
        for wanted in (["goals"], ["initiatives_flat"], ["sources", "goal_lineage"], ["targets", "documents"]):
            some = load(out, copies=copies, tables=wanted)  # type: ignore[arg-type]
            assert list(some) == [n for n in every if n in wanted]
            for name in wanted:
                pd.testing.assert_frame_equal(some[name], every[name], check_exact=True)
    assert len(load(out, copies="all", tables=["goals"])["goals"]) == 2 * len(load(out, tables=["goals"])["goals"])
    with pytest.raises(ValueError, match="no table goal; the tables are documents"):
        load(out, tables=["goal"])


def test_the_flat_view_by_integer_keys_is_the_flat_view_by_text_keys(copies_output: Path) -> None:
    """The flat view packs each row's document index and numbers into one integer; it must give
    the rows and order of the lookup by joined text keys, nulls and missing documents included."""
    import pyarrow.compute as pc

    from plansheet.derived.flat import _flat_by_index, _flat_by_lookup, _flat_part
    from plansheet.derived.loading import read_tables

    stored = read_tables(copies_output, ("documents", "goals", "targets", "initiatives"))
    parts = {name: _flat_part(name, table) for name, table in stored.items()}
    by_index, by_text = _flat_by_index(parts), _flat_by_lookup(parts)
    assert by_index is not None and by_index.num_rows == stored["initiatives"].num_rows > 50
    assert by_index.equals(by_text)
    assert len(set(by_index.column("department").to_pylist())) > 1  # ordered across departments and years

    inits = parts["initiatives"]  # an initiative under no target keeps null target columns
    column = inits.schema.get_field_index("target_no")
    no_target = pa.array([None] + inits.column("target_no").to_pylist()[1:], pa.int32())
    parts["initiatives"] = inits.set_column(column, "target_no", no_target)
    by_index, by_text = _flat_by_index(parts), _flat_by_lookup(parts)
    assert by_index is not None and by_index.equals(by_text)
    assert by_index.filter(pc.is_null(by_index.column("target_no"))).column("target_text").null_count == 1

    orphan = parts["goals"].slice(0, 1).set_column(0, "doc_id", pa.array(["0000000000000000-1"]))
    parts["goals"] = pa.concat_tables([parts["goals"], orphan])  # a goal of no stored document: text keys
    assert _flat_by_index(parts) is None


def test_the_flat_view_allocates_with_malloc_and_gives_the_pool_back(copies_output: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The flat view is built with Arrow allocating with malloc (mimalloc's page churn cost it
    system time), then the pool it found is restored; the stored tables are read and converted
    with the pool load() finds (there mimalloc is faster); a pool the user chose is left alone."""
    import pyarrow as pa

    from plansheet.derived import loading
    from plansheet.derived.loading import FLAT

    seen: dict[str, set[str]] = {"frames": set(), "flat": set()}
    frame, flat = loading._frame, loading.flat_from_arrow

    def noting_frame(name: str, table: pa.Table, *codes: object) -> pd.DataFrame:
        seen["frames"].add(pa.default_memory_pool().backend_name)
        return frame(name, table, *codes)  # type: ignore[arg-type]

    def noting_flat(tables: dict[str, pa.Table]) -> pd.DataFrame:
        seen["flat"].add(pa.default_memory_pool().backend_name)
        return flat(tables)

    monkeypatch.setattr(loading, "_frame", noting_frame)
    monkeypatch.setattr(loading, "flat_from_arrow", noting_flat)
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before = pa.default_memory_pool()
    try:
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        assert len(load(copies_output)[FLAT]) > 0
        assert seen == {"frames": {"mimalloc"}, "flat": {"system"}}
        assert pa.default_memory_pool().backend_name == "mimalloc"
        seen = {"frames": set(), "flat": set()}
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")  # the user's choice: kept
        assert len(load(copies_output)[FLAT]) > 0
        assert seen == {"frames": {"mimalloc"}, "flat": {"mimalloc"}}
    finally:
        pa.set_memory_pool(before)



def test_the_file_by_file_reader_reads_what_pyarrow_dataset_reads(copies_output: Path, tmp_path: Path) -> None:
    """load() reads each table's files one by one; it must give what pyarrow.dataset gives for the
    plain folder: every data file of a partition (a second file beside the first included), a
    column a file lacks as null, and no file or folder whose name starts with "." or "_"."""
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from plansheet.derived.loading import read_tables
    from plansheet.output.writers import read_table

    out = tmp_path / "out"
    shutil.copytree(copies_output, out)
    goals = sorted((out / "parquet" / "goals").rglob("*.parquet"))[0]
    beside = pq.read_table(goals).slice(0, 2)  # a second data file in the partition (a writer may add one)
    pq.write_table(beside.set_column(0, "doc_id", pc.utf8_upper(beside.column("doc_id"))), goals.with_name("delta-0.parquet"))
    older = pq.read_table(goals).drop_columns(["next_steps"])  # written before the column existed
    (goals.parent.parent / "fiscal_year=1999").mkdir()
    pq.write_table(older, goals.parent.parent / "fiscal_year=1999" / "part-0.parquet")
    pq.write_table(beside, goals.with_name(".part-0.parquet.tmp.parquet"))  # a temporary name: not data
    (goals.parent / "_staging").mkdir()
    pq.write_table(beside, goals.parent / "_staging" / "part-0.parquet")
    for name in TABLES:
        expected = read_table(out, name)
        assert read_tables(out, (name,))[name].equals(expected, check_metadata=True), name
    both = read_tables(out, ("goals",))["goals"]
    assert both.num_rows == read_table(copies_output, "goals").num_rows + 2 + older.num_rows
    assert both.filter(pc.equal(both.column("fiscal_year"), 1999)).column("next_steps").null_count == older.num_rows


def test_load_builds_the_flat_view_on_first_access_and_is_a_dict_for_every_use(
        copies_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flat view is built when first looked at; before and after, load()'s answer behaves
    as the plain dict of every frame: keys, len, in, values, items, get, copies, pickling."""
    import copy
    import pickle

    from plansheet.derived import loading
    from plansheet.derived.loading import FLAT, NAMES

    built: list[int] = []
    flat_from_arrow = loading.flat_from_arrow
    monkeypatch.setattr(loading, "flat_from_arrow", lambda tables: built.append(1) or flat_from_arrow(tables))
    tables = load(copies_output)
    assert isinstance(tables, dict) and list(tables) == list(NAMES) and len(tables) == len(NAMES)
    assert FLAT in tables and "nothing" not in tables and list(tables.keys()) == list(NAMES)
    assert built == []  # not built by load()
    flat = tables[FLAT]
    assert built == [1] and tables[FLAT] is flat and tables.get(FLAT) is flat and built == [1]
    assert list(flat.columns) == FLAT_COLUMNS and len(flat) == len(tables["initiatives"]) > 20

    for view in (lambda t: dict(t), lambda t: {**t}, lambda t: t.copy(), lambda t: dict(t.items()),
                 lambda t: dict(zip(t.keys(), t.values())), copy.copy, lambda t: pickle.loads(pickle.dumps(t))):
        fresh = load(copies_output)
        plain = view(fresh)
        assert type(plain) is dict and list(plain) == list(NAMES), view
        assert all(isinstance(frame, pd.DataFrame) for frame in plain.values()), view
        pd.testing.assert_frame_equal(plain[FLAT], flat, check_exact=True)
    fresh = load(copies_output)
    assert "built on first access" not in repr(fresh) and fresh == dict(fresh)
    assert fresh.pop(FLAT).equals(flat) and FLAT not in fresh and len(fresh) == len(NAMES) - 1

    replaced = load(copies_output)
    mine = pd.DataFrame({"x": [1]})
    replaced[FLAT] = mine  # set before it was built: the user's frame stays
    assert replaced[FLAT] is mine and dict(replaced)[FLAT] is mine
    gone = load(copies_output)
    del gone[FLAT]
    assert FLAT not in gone and list(gone) == list(NAMES[:-1]) and all(isinstance(f, pd.DataFrame) for f in gone.values())
    merged = load(copies_output) | {"extra": mine}
    assert type(merged) is dict and merged["extra"] is mine and isinstance(merged[FLAT], pd.DataFrame)


def test_load_lists_again_when_a_fold_removed_a_file_it_had_listed(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A run folding a partition between load()'s listing and its reading removes a listed file: load()
    lists again and reads what is there (docs/batch.md), where it raised FileNotFoundError before."""
    from plansheet.derived import loading

    out = tmp_path / "out"
    plansheet.extract([ROOT / "samples" / "000_b2610523df0a2988.txt"], out)
    whole = load(out)
    listed = loading.data_files
    stale = {"goals": True}

    def listed_before_a_fold(folder: Path) -> list[Path]:
        files = listed(folder)
        if folder.name in stale and stale.pop(folder.name):
            return files + [files[0].with_name("part-0-old.parquet")]  # the old generation's name, now gone
        return files

    monkeypatch.setattr(loading, "data_files", listed_before_a_fold)
    again = load(out)
    assert not stale  # the stale listing was taken
    for name in whole:
        pd.testing.assert_frame_equal(again[name], whole[name], check_exact=True)
    stale["goals"] = True
    monkeypatch.setattr(loading, "LISTING_ATTEMPTS", 1)
    with pytest.raises(FileNotFoundError):
        load(out)
