"""The rooms of the package and the one direction imports may point (docs/architecture.md).

Every ``import`` of a ``plansheet`` module, at any depth (lazy imports inside functions
included, type-checking imports excluded), is read from the source with :mod:`ast` and
checked against the room order below. A module may import its own room and the rooms
below it, never one above; ``readers`` and ``parsers`` stand side by side and may not
import each other.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = {"plansheet": ROOT / "extractor", "plansheet.parsers": ROOT / "parsers"}

# room -> rank; a module may import rooms of lower or equal rank (equal only: its own room)
ROOMS: dict[str, int] = {
    "plansheet.version": 0, "plansheet.errors": 0, "plansheet.settings": 0, "plansheet.results": 0,
    "plansheet.core": 0,
    "plansheet.readers": 1, "plansheet.parsers": 1,
    "plansheet.pipeline": 2,
    "plansheet.output": 3,
    "plansheet.derived": 4,
    "plansheet.batch": 5,
    "plansheet.api": 6, "plansheet": 6,
    "plansheet.cli": 7,
}
# rooms of rank 0 are the shared floor: any of them may import any other
FLOOR = 0


def room_of(module: str) -> str:
    """The longest room name that ``module`` is, or lies in."""
    best = ""
    for room in ROOMS:
        if (module == room or module.startswith(room + ".")) and len(room) > len(best):
            best = room
    if not best:
        raise AssertionError(f"{module} stands in no room; add it to ROOMS and docs/architecture.md")
    return best


def package_modules() -> dict[str, Path]:
    """Every module of the package, by its import name."""
    modules: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            if package == "plansheet" and parts[:1] == ["parsers"]:
                continue
            modules[".".join([package, *parts])] = path
    return modules


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported plansheet module) for every import statement in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "plansheet"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "plansheet":
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: use absolute plansheet imports")
    return found


def violations() -> list[str]:
    """Every import that points up the room order, or sideways between two rooms."""
    bad = []
    for module, path in package_modules().items():
        here = room_of(module)
        for line, target in imports_of(module, path):
            there = room_of(target)
            rank_here, rank_there = ROOMS[here], ROOMS[there]
            upward = rank_there > rank_here
            sideways = rank_there == rank_here and there != here and rank_here != FLOOR
            if upward or sideways:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {module} ({here}) imports {target} ({there})")
    return bad


def test_every_import_points_down_the_rooms() -> None:
    assert violations() == []


def test_parsers_import_only_core_and_themselves() -> None:
    bad = [f"{m} imports {t}" for m, p in package_modules().items() if m.startswith("plansheet.parsers")
           for _, t in imports_of(m, p) if not t.startswith(("plansheet.parsers", "plansheet.core"))]
    assert bad == []


def test_the_checker_sees_an_import_that_points_up(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from plansheet.cli.main import main\n", encoding="utf-8")
    assert imports_of("plansheet.readers.x", source) == [(2, "plansheet.cli.main")]
    assert ROOMS[room_of("plansheet.cli.main")] > ROOMS[room_of("plansheet.readers.x")]


@pytest.mark.parametrize("room", sorted(r for r in ROOMS if r.count(".") == 1))
def test_every_room_is_drawn_in_the_architecture_doc(room: str) -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert room.split(".")[1] in doc
