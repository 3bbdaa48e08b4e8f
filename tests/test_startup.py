"""A run imports what it needs: the CLI writes a batch without pandas, and the API leaves pandas working."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SAMPLES


def _python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_extracting_a_pdf_does_not_import_pandas(tmp_path: Path) -> None:
    # nor numpy.ma (0.03 CPU-s in the finish: pyarrow imports it when handed a NumPy array)
    code = ("import atexit, sys; atexit.register(lambda: print('pandas' in sys.modules, 'numpy.ma' in sys.modules)); "
            "from plansheet.cli.main import main; main()")
    pdf = SAMPLES / "printed" / "seed.chromium.pdf"
    printed = _python(code, "extract", str(pdf), "--out", str(tmp_path / "out"))
    assert printed.splitlines()[-1] == "False False"
    assert pq.read_table(tmp_path / "out" / "parquet" / "goals").num_rows == 6  # the rows were written


def test_pandas_imported_after_the_api_wrote_a_batch_converts_as_usual(tmp_path: Path) -> None:
    # the Python API leaves pyarrow's pandas probe alone: pandas' missing values still convert
    code = f"""
import sys
import plansheet
import pyarrow as pa
import pytest
plansheet.extract([{str(SAMPLES / "printed" / "seed.writer.pdf")!r}], {str(tmp_path / "out")!r})
import pandas as pd
numbers = pa.array(pd.Series([1, None], dtype="Int32"))
texts = pa.array(pd.Series(["a", pd.NA], dtype=object), from_pandas=True)
times = pa.array([pd.NaT, pd.Timestamp("2020-01-01")], from_pandas=True)
print(numbers.null_count, texts.null_count, times.null_count)
"""
    assert _python(code).split() == ["1", "1", "1"]


@pytest.mark.parametrize("suffix", [".parquet", ".arrow"])
def test_an_entry_staged_as_a_folder_by_an_earlier_version_is_merged(tmp_path: Path, suffix: str) -> None:
    """Entries staged as a folder (``entry.json`` and one Parquet or Arrow IPC file per table) by
    an earlier plansheet killed before its merge are merged by the next run, and deleted."""
    from plansheet.output.rows import DOCUMENT_TABLES
    from plansheet.output.staging import REPLACE, entries, staging_dir
    from plansheet.output.writers import read_table

    out = tmp_path / "out"
    _python("import plansheet, sys; plansheet.extract([sys.argv[1]], sys.argv[2])",
            str(SAMPLES / "000_b2610523df0a2988.txt"), str(out))
    tables = {name: read_table(out, name) for name in DOCUMENT_TABLES}
    key = tables["documents"].column("doc_id")[0].as_py()[:16]
    goals = tables["goals"]
    tables["goals"] = goals.set_column(goals.schema.get_field_index("title"), "title",
                                       pa.array([f"title {i}" for i in range(goals.num_rows)]))
    entry = staging_dir(out) / f"{1:024d}-{key}"  # as a plansheet that staged a folder left it
    entry.mkdir(parents=True)
    for name, table in tables.items():
        if suffix == ".parquet":
            pq.write_table(table, entry / f"{name}.parquet", compression="zstd")
        else:
            with pa.OSFile(str(entry / f"{name}.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
    (entry / "entry.json").write_text(f'{{"key": "{key}", "kind": "{REPLACE}"}}', encoding="utf-8")
    assert [e.kind for e in entries(out)] == [REPLACE]
    _python("import plansheet, sys; plansheet.extract([], sys.argv[1])", str(out))  # a run merges what is staged
    assert not entries(out) and not any(staging_dir(out).iterdir())
    titles = read_table(out, "goals").sort_by("goal_no").column("title").to_pylist()
    assert titles == [f"title {i}" for i in range(goals.num_rows)]
    assert read_table(out, "targets").equals(tables["targets"])
