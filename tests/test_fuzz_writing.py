"""The fuzzer's axes of how a sheet is typed (samples/generate/writing.py): older years, labels typed with
marks, radical code points, officer posts with 兼務 or 事務取扱, a text export's blank lines and trailing blanks.
Each drawn form must mean what its truth says, and each axis must be drawn from its own stream: a seed's other
draws stay as they were."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from plansheet.core.text import clean_text, parse_fiscal_year
from plansheet.parsers.labels import match_label
from samples.generate import fuzz, writing

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Every writing axis drawn wherever it may be (rate 1.0)."""
    for axis in writing.WRITING_RATES:
        monkeypatch.setitem(writing.WRITING_RATES, axis, 1.0)
    return writing.WRITING_RATES


def _without(params: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in params.items() if k not in writing.WRITING_RATES}


def test_the_writing_axes_leave_every_other_draw_as_it_was(forced: dict) -> None:
    with pytest.MonkeyPatch.context() as mp:
        for axis in writing.WRITING_RATES:
            mp.setitem(writing.WRITING_RATES, axis, 0.0)
        plain = [fuzz.draw(54901, i, fuzz.ALL_RENDERERS) for i in range(30)]
    drawn = [fuzz.draw(54901, i, fuzz.ALL_RENDERERS) for i in range(30)]
    assert [_without(v.params) for v in drawn] == [v.params for v in plain]
    assert all(v.params["era_old"] for v in drawn)
    assert {v.params.get("text_spacing") is not None for v in drawn if v.renderer == "text"} == {True}
    assert [fuzz.draw(54901, i, fuzz.ALL_RENDERERS).params for i in range(30)] == [v.params for v in drawn]


def test_an_older_year_is_the_fiscal_year_it_starts_in(forced: dict) -> None:
    for label, year in writing.OLD_ERAS:
        assert parse_fiscal_year(f"{label} 政策推進部の運営方針") == (year, label)
    years = {(v.department.era_label, v.department.fiscal_year) for v in (fuzz.draw(54902, i) for i in range(60))}
    assert ("平成31年度", 2019) in years and ("令和元年度", 2019) in years
    volume = next(v for v in (fuzz.draw(54902, i, ("reportlab",)) for i in range(60)) if v.volume)
    assert {d.era_label for d in volume.departments} == {volume.params["era_old"]}


def test_every_marked_label_is_the_label_it_stands_for() -> None:
    labels = set(writing._WORD_BREAKS) | {s for ways in fuzz.LABEL_SPELLINGS.values() for s in ways} | {"部", "監"}
    for label in sorted(labels):
        meaning = match_label(label)
        for mark in writing.LABEL_MARKS:
            marked = writing._marked(label, mark)
            plain = writing.unmarked(label).replace("・", "").replace("、", "")
            assert writing.unmarked(marked).replace("・", "").replace("、", "") == plain, (label, mark)
            assert match_label(marked) == meaning, (label, mark, marked)
    assert writing._marked("具体的取組", "spaced") == "具 体 的 取 組"
    assert writing._marked("今後検討すべきこと", "radicals") == "今後検討すべきこと"
    assert writing._marked("全体の達成度", "gap") == "全体の\u3000達成度"


def test_radical_code_points_read_as_the_kanji_they_draw() -> None:
    assert writing.with_radicals("目標") == "\u2f6c標" and writing.with_radicals("部長") == "部\u2ed1"
    text = "長谷川 恵子が目標の達成に向けて見直しを行い、子育て支援を進めた。"
    assert writing.with_radicals(text) != text and clean_text(writing.with_radicals(text)) == text


def test_an_officer_post_keeps_the_position_and_gives_the_title_as_written(forced: dict) -> None:
    drawn = [v for v in (fuzz.draw(54903, i) for i in range(80)) if v.params.get("officer_posts")]
    assert len({v.params["officer_posts"] for v in drawn}) == len(writing._POSTS)
    for v in drawn:
        boss = v.department.officers[0]
        assert boss.position == "部長" and v.department.director == boss.name and boss.name in \
            boss.cell.replace("\u3000", " ") or boss.name.replace(" ", "") in boss.cell.replace("\u3000", "")
        assert boss.title and (boss.title in boss.cell or boss.label == boss.title)


def test_a_text_exports_blank_lines_are_drawn_alike_for_the_whole_file() -> None:
    lines = ["a", "", "b", "", "", "", "c", ""]
    assert writing.space_lines(lines, "", "collapse", "s") == ["a", "", "b", "", "c", ""]
    assert writing.space_lines(lines, "", "double", "s") == ["a", "", "", "b"] + [""] * 6 + ["c", "", ""]
    assert writing.space_lines(lines, "|tab", "plus", "s") == ["a", "\t\t", "\t\t", "b"] + ["\t\t"] * 4 + ["c"] + \
        ["\t\t"] * 2
    trailed = writing.space_lines(["x"] * 40, "wide|", "", "s")
    assert {line for line in trailed} == {"x", "x\u3000"}
    assert trailed == writing.space_lines(["x"] * 40, "wide|", "", "s")


def test_spaced_labels_are_left_plain_where_they_would_not_fit_their_cell(forced: dict) -> None:
    from samples.generate import layout
    variant = fuzz.draw(54904, 0, ("reportlab",))
    variant.params["label_marks"] = "spaced"
    fuzz.fit(variant)
    pages = layout.department_pages(variant.department, variant.style)
    measure = fuzz._measure()
    writing.mark_labels(pages, ("spaced",), variant.name, measure)
    labels = [(page, c) for page in pages for row in page.rows for c in row.cells if c.kind == "label" and c.text]
    assert any(" " in c.text for _, c in labels)
    for page, c in labels:
        assert measure(c.text, page.size_of(c)) <= page.span_w(c.col, c.span) - 2 * page.style.pad or " " not in c.text


@pytest.mark.parametrize("label", ["理事兼部長", "部長事務取扱"])
def test_a_directors_label_naming_a_second_post_labels_the_director(tmp_path: Path, label: str) -> None:
    """fuzz 54004 (officer_posts): the label 理事兼部長 or 部長事務取扱 over the 部長's name had left the sheet
    without a director and the officer out (partial)."""
    import pyarrow.parquet as pq

    import plansheet
    from plansheet.settings import Settings
    text = (ROOT / "samples" / "000_b2610523df0a2988.txt").read_text(encoding="utf-8")
    assert "部\t政策推進部\t部長\t市川 信行" in text
    sheet = tmp_path / "post.txt"
    sheet.write_text(text.replace("部\t政策推進部\t部長\t市川 信行", f"部\t政策推進部\t{label}\t市川 信行", 1),
                     encoding="utf-8")
    plansheet.extract([sheet], tmp_path / "out", Settings(workers=1))
    [source] = pq.read_table(tmp_path / "out" / "parquet" / "sources").to_pylist()
    [doc] = pq.read_table(tmp_path / "out" / "parquet" / "documents").to_pylist()
    officers = pq.read_table(tmp_path / "out" / "parquet" / "officers").to_pylist()
    assert source["status"] == "ok" and doc["director"] == "市川 信行"
    assert [(o["position"], o["title"], o["name"]) for o in officers][0] == ("部長", label, "市川 信行")


def test_sheets_typed_with_every_writing_axis_read_back_exact(tmp_path: Path, forced: dict) -> None:
    """A workbook and a text export of an older year, their labels marked, radicals in their labels and texts, the
    部長's label 部長事務取扱 and 理事兼部長 (fuzz 54905-0000 xlsx, -0001 text blocks saved as CSV)."""
    from samples.generate.fuzz_run import run
    forced["text_blanks"] = 0.0  # other blank-line counts are not read yet (bench/README.md, 2026-11-30)
    outcomes = run(2, 54905, tmp_path, ("text", "xlsx"))
    assert [(o.params["renderer"], o.params["era_old"], o.params["officer_posts"].split("|")[0]) for o in outcomes] \
        == [("xlsx", "平成31年度", "部長事務取扱"), ("text", "平成29年度", "理事兼部長")]
    assert all(o.params["body_radicals"] and o.params["label_marks"] for o in outcomes)
    assert [(o.status, o.differences) for o in outcomes] == [("ok", [])] * 2


def test_full_width_grades_bounds_and_plan_numbers_are_their_nfkc_form() -> None:
    import unicodedata

    from samples.generate import content, layout
    d = content.RESULT
    pages = layout.department_pages(d, layout.Style(legend_table=True))
    plain = layout.department_pages(d, layout.Style())
    before = [c.text for page in pages + plain for row in page.rows for c in row.cells if c.text]
    writing.widen_numbers(pages + plain, [d])
    after = [c.text for page in pages + plain for row in page.rows for c in row.cells if c.text]
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert any(a.startswith("Ａ：") for _, a in changed) and any(a.startswith("（") for _, a in changed)
    assert any(a == "Ｂ" for _, a in changed) and any("７０％以上" in a for _, a in changed)
    assert all(unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b) for b, a in changed)


def test_a_block_counted_from_the_first_initiative_alone_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fuzz 54011-0036 (text_blanks plus): a stacked export with one empty line more than its blocks owe above the
    first 具体的取組, target 1 without initiatives: the slots were counted from the first block, which holds only if
    target 1 has one, and the one initiative was given target 1 under ok. Now named."""
    import pyarrow.parquet as pq

    from samples.generate.fuzz_run import run
    monkeypatch.setitem(writing.WRITING_RATES, "text_blanks", 1.0)
    [outcome] = run(40, 54011, tmp_path, ("text",), indices=[36])
    assert outcome.params["text_blanks"] == "plus" and outcome.params["empty_target"]
    assert outcome.status == "partial" and not outcome.silent
    [source] = pq.read_table(tmp_path / "out" / "parquet" / "sources").to_pylist()
    assert "goal 1 initiative 1 (page 2) target_no: the empty lines between the targets" in source["warnings"]


def test_initiatives_whose_target_is_unknown_name_the_fields_their_number_carries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fuzz 55004-0001 (text_blanks plus, a blocks export): every initiative's target is unknown, so they are
    numbered in reading order, not column by column; the warning named target_no only, and the texts, sections and
    results the rows then hold under other numbers were wrong with nothing naming them (15 fields). A row whose
    number is in doubt names every field the number carries."""
    from samples.generate.fuzz_run import run
    monkeypatch.setitem(writing.WRITING_RATES, "text_blanks", 1.0)
    [outcome] = run(40, 55004, tmp_path, ("text",), indices=[1])
    assert outcome.params["text_blanks"] == "plus" and outcome.params["export_mode"] == "blocks"
    assert outcome.status == "partial" and not outcome.silent
    assert outcome.unnamed == 0, outcome.differences


def test_each_record_of_a_stack_whose_values_cannot_be_told_is_named(tmp_path: Path) -> None:
    """fuzz 55008-0022 (a stacked text export, blank lines holding a space): two 具体的な取組実績 labels stacked over
    one value line and two blank ones before 総合評価・総括; which value is whose cannot be told, so both are left
    empty. The warning named the goal alone, so the lost results were wrong with nothing naming them; each label's
    initiative and field is named now."""
    from samples.generate.fuzz_run import run
    renderers = ("text", "reportlab", "xlsx", "cid", "chromium", "libreoffice", "writer", "html")
    [outcome] = run(40, 55008, tmp_path, renderers, indices=[22])
    assert outcome.params["export_mode"] == "stacked"
    assert outcome.status == "partial" and not outcome.silent
    assert outcome.unnamed == 0, outcome.differences
