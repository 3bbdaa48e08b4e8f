"""Sheets of units that are no 部 name their head by the unit's own title (the label table's HEAD_TITLES).

A 局 (上下水道局, 教育委員会事務局, 議会事務局), the 会計室 or a 室 writes its plan on the same sheet as a 部; its header
labels the head 局長, 事務局長, 教育長, 会計管理者 or 室長 where a 部's says 部長. The head is read as a 部長 is: position
部長, the label as written its title, the documents row's director; the unit is the department. Inputs: the real
export with its department and the 部長 label changed. Before, the label and the name were each named as a value under
no label, the director lost and the document partial.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet

from conftest import SEED

OFFICERS = [("監", "総合政策監", "山口 伸和"), ("監", "危機管理監", "小林 聡")]


def _sheet(tmp_path: Path, unit: str, head: str, unit_label: str = "部", officer_line: str | None = None) -> Path:
    """The real export as the sheet of ``unit``: its 部 cells name ``unit`` under ``unit_label``, the 部長 label
    reads ``head``; ``officer_line`` replaces the first 監 officer's label and cell."""
    text = SEED.read_text(encoding="utf-8").replace("政策推進部", unit).replace("部長\t市川", f"{head}\t市川")
    text = text.replace(f"部\t{unit}", f"{unit_label}\t{unit}")
    if officer_line is not None:
        text = text.replace("監\t山口 伸和（総合政策監）", officer_line)
    source = tmp_path / "sheet.txt"
    source.write_text(text, encoding="utf-8")
    return source


def _read(tmp_path: Path, source: Path) -> tuple[plansheet.SourceResult, dict]:
    (result,) = plansheet.extract([source], tmp_path / "out")
    return result, plansheet.load(tmp_path / "out")


@pytest.mark.parametrize(("unit", "head", "unit_label"), [
    ("上下水道局", "局長", "部"),
    ("上下水道局", "上下水道局長", "局"),
    ("教育委員会事務局", "教育長", "部"),
    ("議会事務局", "事務局長", "部"),
    ("会計室", "会計管理者", "部"),
    ("危機管理室", "室長", "部"),
    ("会計室", "会計管理者", "室"),  # a 室's sheets label their unit 室 where a 部's say 部 (REVIEW4 W3)
])
def test_the_head_of_a_unit_that_is_no_bu_is_its_director(tmp_path: Path, unit: str, head: str, unit_label: str) -> None:
    result, tables = _read(tmp_path, _sheet(tmp_path, unit, head, unit_label))
    assert result.status.value == "ok", result.warnings
    assert tables["documents"][["department", "director"]].values.tolist() == [[unit, "市川 信行"]]
    officers = tables["officers"][["position", "title", "name"]].values.tolist()
    assert officers == [["部長", head, "市川 信行"]] + [list(o) for o in OFFICERS]
    assert tables["goals"]["title"].notna().all() and len(tables["goals"]) == 6
    assert set(tables["documents"]["stage"]) == {"plan"} and tables["goals"]["next_steps"].isna().all()


def test_a_section_chief_beside_the_bucho_is_an_officer_not_a_second_head(tmp_path: Path) -> None:
    """A 部's header naming a 室長 besides its 部長: the 部長 heads a 部, so the 室長 is an officer whose position is
    its label, as 理事 or 次長 are."""
    result, tables = _read(tmp_path, _sheet(tmp_path, "政策推進部", "部長", officer_line="危機管理室長\t山口 伸和"))
    assert result.status.value == "ok", result.warnings
    assert tables["documents"]["director"].tolist() == ["市川 信行"]
    officers = tables["officers"][["position", "title", "name"]].fillna("-").values.tolist()
    assert officers == [["部長", "-", "市川 信行"], ["危機管理室長", "-", "山口 伸和"], list(OFFICERS[1])]


def test_two_heads_neither_told_from_the_unit_are_named(tmp_path: Path) -> None:
    """A 局's header naming a 局長 and a plain 部長: which heads the 局 cannot be told from the labels alone (a 部長
    label is a head's); the director is named and the document partial."""
    result, tables = _read(tmp_path, _sheet(tmp_path, "上下水道局", "局長", officer_line="部長\t山口 伸和"))
    assert result.status.value == "partial"
    assert any(w.startswith("director: the header names 2 heads") for w in result.warnings), result.warnings
