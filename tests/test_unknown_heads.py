"""Goal-sheet labels worded as the label table did not know them (fuzz axis label_wording, seeds 58001–58040): a
label's text is never glued into the field above it. A wording of a known section is read by its words (the table:
総合所見, 成果目標, 実施結果 …; a status or grade head made of that column's words, 実施状況 | 達成度評価; 目標 alone on
a goal sheet) or, where no word says, by its place (評価 or 所見 after the last 具体的取組 block: the summary; 改善点
below 全体の達成度: the next steps), then named. Each sheet is a generated variant read back against its truth."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # samples/ is not a package of the distribution
    sys.path.insert(0, str(ROOT))

from samples.generate import fuzz  # noqa: E402


def _read(tmp_path: Path, renderer: str, index: int, labels: tuple[tuple[str, str], ...]) -> tuple[str, list[str], str]:
    """Variant (58950, index) of ``renderer`` with its goal sheets' ``labels`` worded so: (status, differences from its
    truth, warnings)."""
    import plansheet
    from plansheet.settings import Settings
    from samples.generate.fuzz_run import score
    variant = fuzz.draw(58950, index, (renderer,))
    assert variant.department.stage == "result" and not variant.style.side_labels
    variant.style = replace(variant.style, labels=labels)
    (tmp_path / "inputs").mkdir()
    path, truth = fuzz.render(variant, tmp_path / "inputs")
    plansheet.extract([path], tmp_path / "out", Settings(workers=1))
    [outcome] = score(tmp_path, [(path, truth)])
    sources = plansheet.load(tmp_path / "out", copies="all")["sources"]
    warnings = "" if sources["warnings"].isna().iloc[0] else str(sources["warnings"].iloc[0])
    return outcome.status, outcome.differences, warnings


# (renderer, index of a result sheet read exact and ok as the samples word it, the labels worded otherwise)
READ_BY_WORDS = [
    ("text", 5, (("総合評価・総括", "総合所見"),)),
    ("xlsx", 11, (("今年度の達成目標", "目標"), ("具体的な取組実績", "実施結果"))),
    ("html", 5, (("達成状況", "実施状況"), ("達成度", "達成度評価"))),
    ("text", 5, (("達成度", "判定"),)),
    ("reportlab", 11, (("今年度の達成目標", "成果目標"), ("全体の達成度", "総合的な達成度"), ("今後検討すべきこと", "今後の方向性"))),
]


@pytest.mark.parametrize(("renderer", "index", "labels"), READ_BY_WORDS)
def test_a_wording_of_a_known_section_is_read_by_its_words(tmp_path: Path, renderer: str, index: int,
                                                            labels: tuple[tuple[str, str], ...]) -> None:
    status, differences, _ = _read(tmp_path, renderer, index, labels)
    assert (status, differences) == ("ok", [])


READ_BY_PLACE = [
    ("text", 5, (("総合評価・総括", "評価"),), "overall_summary", "評価"),
    ("reportlab", 11, (("総合評価・総括", "所見"),), "overall_summary", "所見"),
    ("xlsx", 11, (("今後検討すべきこと", "改善点"),), "next_steps", "改善点"),
]


@pytest.mark.parametrize(("renderer", "index", "labels", "field", "printed"), READ_BY_PLACE)
def test_a_label_no_word_tells_is_read_by_its_place_and_named(tmp_path: Path, renderer: str, index: int,
                                                              labels: tuple[tuple[str, str], ...], field: str,
                                                              printed: str) -> None:
    """Review 4: 評価 alone over the summary had glued it into the last initiative's results, ok."""
    status, differences, warnings = _read(tmp_path, renderer, index, labels)
    assert differences == [] and status == "partial"
    named = [w for w in warnings.splitlines() if f") {field}: its label is printed {printed!r}" in w]
    assert named and all(w.startswith("goal ") and "(page " in w for w in named)
