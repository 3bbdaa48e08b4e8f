"""REVIEW3 V13: every warning a file gets names the page it is about (and the field), whatever the sheet lacks.

Walks the text fixtures and sheets made from them that lack a part (no target label, a goal sheet headed in
kanji numerals, a goal sheet naming another department, header cells parted by full-width spaces, one bad
byte): each warning names a page, as a person checking it needs to find it."""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from conftest import SEED
from plansheet.batch.executors import run_sequential
from plansheet.parsers.repair_notes import is_repair_note

FIXTURES = Path(__file__).parent / "fixtures"
RESULT = FIXTURES / "review3" / "result.txt"


def _variants() -> dict[str, bytes]:
    seed, result = SEED.read_text(encoding="utf-8"), RESULT.read_text(encoding="utf-8")
    made = {
        # every goal: no target found (目標 alone is now read as the target's label: tests/test_unknown_heads.py)
        "no_target_label.txt": result.replace("今年度の達成目標", "今年度のねらい"),
        "goal_4_unheaded.txt": result.replace("重点目標 4\t", "目標その四\t"),  # its sheet is not read as goal 4's
        "goal_sheet_department.txt": seed.replace("部\t政策推進部\n", "部\t政策推進部（危機管理課）\n", 1)
        if seed.count("部\t政策推進部\n") > 1 else seed,
        "header_spaced.txt": seed.replace("部\t政策推進部\t部長\t市川 信行", "部　政策推進部　部長　市川 信行"),
        "no_legend.txt": "\n".join(line for line in seed.splitlines() if not line.startswith(("A", "B", "C", "D", "E"))
                                   and "達成度について" not in line),
    }
    files = {name: text.encode("utf-8") for name, text in made.items()}
    data = SEED.read_bytes()
    at = data.index("秘書広報課".encode())
    files["one_bad_byte.txt"] = data[:at] + b"\xff" + data[at + 1:]
    for path in sorted((FIXTURES / "review3").glob("*.txt")) + sorted((FIXTURES / "grammar").glob("*.txt")):
        files[path.name] = path.read_bytes()
    return files


def test_every_warning_names_a_page(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in _variants().items():
        (folder / name).write_bytes(data)
    results = plansheet.extract([folder], tmp_path / "out", runner=run_sequential)
    warned = [r for r in results if r.warnings]
    assert len(warned) >= 5  # the variants do lack something
    unnamed = [(r.source_file, w) for r in results for w in r.warnings
               if not is_repair_note(w) and "page" not in w]
    assert unnamed == []


@pytest.mark.parametrize("name, fragment", [
    ("no_target_label.txt", "goal 1 (page 2) targets: no 今年度の達成目標 (target) found"),
    ("goal_4_unheaded.txt", "goal_no (page 1): goal numbers in 【重点目標】 [1, 2, 3, 4] do not match the goal sheets "
                            "[1, 2, 3] (sheets: 1 on page 2, 2 on page 3, 3 on page 4)"),
    ("goal_sheet_department.txt", "goal 1 (page 2) department: sheet names department 政策推進部（危機管理課）, "
                                  "front sheet 政策推進部"),
])
def test_the_templates_review3_found_name_their_page(tmp_path: Path, name: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(_variants()[name])
    [result] = plansheet.extract([path], tmp_path / "out", runner=run_sequential)
    assert any(w.startswith(fragment) for w in result.warnings), result.warnings
