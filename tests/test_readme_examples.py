"""The README's Python examples run as written on an archive holding several copies of a sheet."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

import plansheet
from conftest import ROOT


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.fixture()
def in_archive(copies_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(copies_output, tmp_path / "output")  # the README's examples read ./output
    monkeypatch.chdir(tmp_path)
    return tmp_path / "output"


def test_the_readme_has_the_examples() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 2 and any("plansheet.load" in b for b in blocks)
    assert any('["grade"].value_counts()' in b for b in blocks)  # grades counted per target


@pytest.mark.parametrize("number", range(len(_python_blocks())))
def test_a_readme_example_runs_and_counts_each_sheet_once(in_archive: Path, number: int) -> None:
    block = _python_blocks()[number]
    printed = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(block, f"README.md python block {number + 1}", "exec"), namespace)
    every = plansheet.load(in_archive, copies="all")
    documents = every["documents"]
    if "targets" in namespace:  # the count of 健康福祉部's targets: one sheet, two copies
        counts = namespace["targets"].query("department == '健康福祉部'").groupby("fiscal_year").size()
        one_sheet = documents.query("department == '健康福祉部' and is_current")["doc_id"]
        assert len(documents.query("department == '健康福祉部'")) == 2 and len(one_sheet) == 1
        assert counts.to_dict() == {2022: int(every["targets"]["doc_id"].isin(one_sheet).sum())} == {2022: 5}
        assert "A " in printed.getvalue() or "A\t" in printed.getvalue() or "A  " in printed.getvalue()
    if "current" in namespace:  # pandas alone: the goals of the current copies, each sheet once
        assert namespace["current"].nunique() == documents["is_current"].sum() < len(documents)
