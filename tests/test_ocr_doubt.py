"""Honesty for OCR'd fields without a confidence column (parsers/ocr_doubt.py, the legend's
one-value bands in parsers/crosscheck.py) and the grade that slipped into a target's text
(parsers/ocr_repair.py): readings and confidences Tesseract gave on the tune set of
bench/ocr_hard.py."""
from __future__ import annotations

from plansheet.core.model import Cell
from plansheet.parsers import ocr_repair as r
from plansheet.parsers.crosscheck import check_legend
from plansheet.parsers.ocr_doubt import (NAME_CONFIDENCE, department_doubt, legend_doubts, name_doubts, stage_doubt,
                                         stray_values)
from plansheet.parsers.records import Goal, GradeBand, Officer, ParsedDocument, Target


def _cell(text: str, confidence: float | None) -> Cell:
    return Cell(text, row=1, col=4, page=1, confidence=confidence)


def test_a_name_read_at_low_confidence_is_doubtful_and_says_where() -> None:
    officers = [Officer("部長", "森本 恭子"), Officer("理事", "田村 和彦")]
    cells = [_cell("森本 恭子", 0.9889), _cell("田村 和彦", 0.9954)]
    low, sure = name_doubts(officers, cells, [c.text for c in cells])
    assert low.startswith("officer 部長 name '森本 恭子' (the director) (page 1): OCR confidence 0.9889")
    assert sure == ("page 1: OCR'd names the document does not repeat (no vocabulary can check a name, and the "
                    "engine is sure of look-alike kanji): officer 理事 name '田村 和彦'; check them against the scan")


def test_a_name_the_engine_is_sure_of_is_still_named_unless_seen_again() -> None:
    """Fuzz scan 505-0014: 森本 恵子 read 森本 恭子 at 0.9935, every glyph above 0.99."""
    officers = [Officer("部長", "森本 恭子")]
    (warning,) = name_doubts(officers, [_cell("森本 恭子", 0.9935)], ["森本 恭子"])
    assert "officer 部長 name '森本 恭子' (the director); check them against the scan" in warning


def test_a_name_is_trusted_when_sure_and_seen_again_and_never_from_a_text_layer() -> None:
    officers = [Officer("部長", "市川 信行")]
    sure = _cell("市川 信行", NAME_CONFIDENCE + 0.001)
    assert name_doubts(officers, [sure], ["市川 信行", "担当 市川 信行"]) == []  # the same name elsewhere
    assert name_doubts(officers, [_cell("市川 信行", None)], ["市川 信行"]) == []


def test_a_doubted_name_read_the_same_way_elsewhere_is_still_named() -> None:
    """A look-alike is misread the same way wherever the name is printed (林 恵子 read 林 恭子 at 0.9917 on scan
    fuzz seed 1, variant 21): a second reading that agrees does not clear a name the engine doubted."""
    officers = [Officer("部長", "林 恭子")]
    (warning,) = name_doubts(officers, [_cell("林 恭子", 0.9917)], ["林 恭子", "担当 林 恭子"])
    assert warning.startswith("officer 部長 name '林 恭子' (the director) (page 1): OCR confidence 0.9917 is below")
    assert warning.endswith("misread the same way each time")


def test_two_readings_of_a_name_one_character_apart_are_doubtful_whatever_the_confidence() -> None:
    officers = [Officer("部長", "森本 恵子"), Officer("監", "森本 恭子")]
    cells = [_cell("森本 恵子", 0.995), _cell("森本 恭子", 0.995)]
    warnings = name_doubts(officers, cells, [c.text for c in cells])
    assert len(warnings) == 2 and all("one character away" in w for w in warnings)


def test_a_department_no_other_reading_agrees_with_is_doubtful() -> None:
    cell = _cell("上下水道部", 0.99)
    assert department_doubt("上下水道部", cell, ["上下水道部", "一下水道部"]) == []
    (warning,) = department_doubt("上下水道都", cell, ["上下水道部", "上下水道部"])
    assert warning.startswith("department '上下水道都' (page 1): no other reading")
    assert department_doubt("上下水道都", _cell("上下水道都", None), ["上下水道部"]) == []


def test_a_one_value_band_is_an_end_of_the_scale() -> None:
    bands = [GradeBand("A", "達成", 100, 100), GradeBand("B", "概ね達成", 70, 100), GradeBand("C", "一部達成", 50, 70),
             GradeBand("D", "未達成", None, 50), GradeBand("E", "未実施", 9, 9)]  # 0% read as 9%
    warnings = check_legend(bands, 1)
    assert (bands[-1].min_pct, bands[-1].max_pct) == (0, 0)
    assert warnings == ["【達成度について】 (page 1): grade E is given as 9% alone, which only an end of the scale is "
                        "(100% or 0%); the bottom band: set to 0%"]
    middle = [GradeBand("A", "達成", 100, 100), GradeBand("B", "概ね達成", 70, 70), GradeBand("C", "一部達成", None, 70)]
    assert check_legend(middle, None) and (middle[1].min_pct, middle[1].max_pct) == (None, None)


def test_a_grade_that_slipped_into_the_target_text_is_the_grade() -> None:
    goal = Goal(goal_no=4, title="国民保護計画の改訂", confidence=0.99)
    goal.targets = [Target(1, text="国民保護計画の改訂を行い、災害対応力の向上を図ります。E",
                           status="道成度利用率は25.5%で、目標とした80%以上を達成しました。", confidence=0.99)]
    doc = ParsedDocument(goals=[goal], grade_scale=[GradeBand(g, g, None, None) for g in "ABCDE"])
    notes = r.repair_document(doc, [])
    (target,) = goal.targets
    assert target.grade == "E" and target.text.endswith("図ります。")
    assert target.status == "利用率は25.5%で、目標とした80%以上を達成しました。"
    assert target.confidence <= r.REPAIRED_CONFIDENCE
    assert sum("grade_in_text" in n for n in notes) == 2 and all(r.is_repair_note(n) for n in notes)
    # a goal's 総合評価・総括 took its 全体の達成度 box (scan fuzz seed 52002, variant 13)
    goal.overall_summary = "通いの場への参加者数は感染症の影響を大きく受け、目標を下回りました。C"
    notes = r.repair_document(doc, [])
    assert (goal.overall_summary, goal.overall_grade) == ("通いの場への参加者数は感染症の影響を大きく受け、目標を下回りました。", "C")
    assert "goal 4 overall_grade: OCR repair (grade_in_text) the overall summary ended 'C': the grade" in notes
    assert goal.confidence <= r.REPAIRED_CONFIDENCE
    # a status that speaks of the 達成度 keeps its words
    kept = Target(1, text="計画を改訂します。", status="達成度は概ね良好でした。", grade="B")
    goal.targets = [kept]
    r.repair_document(doc, [])
    assert kept.status == "達成度は概ね良好でした。"


def test_a_field_lost_while_other_records_have_it_is_doubtful() -> None:
    goals = [Goal(goal_no=n, title=f"目標{n}", field="健康・医療", overall_summary="概ね達成しました。", page=n + 1,
                  confidence=0.995) for n in (1, 2, 3)]
    goals[2].field = None  # the 分野 cell came back empty
    doc = ParsedDocument(goals=goals, grade_scale=[GradeBand(g, g, None, None) for g in "ABCDE"])
    notes = r.repair_document(doc, [])
    assert "goal 3 (page 4) field: OCR read nothing here, while 2 other goals have it" in notes
    assert goals[2].confidence == r.DOUBTFUL_CONFIDENCE and goals[0].confidence == 0.995
    # a field no record has (a plan-stage sheet's results) is not lost
    assert not any("overall_grade" in n for n in notes)
    # a column of the overview is every row's: one other goal with a 分野 is enough (scan fuzz 63003 variant 3,
    # two of three 分野 crops read as nothing); a summary, two other goals' or none
    goals[0].field, goals[1].overall_summary, goals[2].overall_summary = None, None, None
    notes = r.repair_document(doc, [])
    assert [n for n in notes if "OCR read nothing" in n] == [
        "goal 1 (page 2) field: OCR read nothing here, while 1 other goals have it",
        "goal 3 (page 4) field: OCR read nothing here, while 1 other goals have it"]


def test_one_phrase_read_two_ways_is_doubtful_where_the_reading_is_rarer() -> None:
    texts = ["複雑化・複合化した課題を抱える世帯に対して支援します。",  # the basic policy
             "複雑化・複合化した諸題を抱える世帯を包括的に支援するため",  # a target: 課 read 諸
             "利用率は79%で、目標とした50%以上を道成しました。", "利用率は61%で、目標とした50%以上を達成しました。",
             "利用率は96%で、目標とした50%以上を達成しました。"]
    found = r.phrase_twins(texts)
    assert (1, "・複合化した諸題を抱える世", "・複合化した課題を抱える世") in found
    assert (0, "・複合化した課題を抱える世", "・複合化した諸題を抱える世") in found  # a tie: both are said
    assert (2, "50%以上を道成しました。", "50%以上を達成しました。") in found
    assert not any(k in (3, 4) for k, _, _ in found)  # the reading two fields share is not doubted


def test_the_department_the_title_and_the_sheets_agree_on_is_a_repair() -> None:
    from plansheet.parsers.crosscheck import reconcile_department

    kept, notes = reconcile_department("経啓企画部", "経営企画部", 1, ["経営企画部", "経営企画部", "経営企画部"])
    assert kept == "経営企画部" and all(r.is_repair_note(n) for n in notes)
    assert notes == ["department (page 1): OCR repair (department_vote) '経啓企画部' → '経営企画部' "
                     "(the title and 3 goal sheets read it so)"]
    # the sheets siding with the cell settle nothing: a rule may take the same glyph from every cell
    kept, notes = reconcile_department("一下水道部", "上下水道部", 1, ["一下水道部", "一下水道部"])
    assert kept == "一下水道部" and not any(r.is_repair_note(n) for n in notes)
    # a text layer is not voted on
    kept, notes = reconcile_department("経啓企画部", "経営企画部", 1)
    assert kept == "経啓企画部" and notes and not r.is_repair_note(notes[0])


def test_a_legend_bound_with_its_percent_read_as_9_is_put_back() -> None:
    bands = [GradeBand("A", "達成", 1009, 1009), GradeBand("B", "概ね達成", 80, 100), GradeBand("C", "一部達成", 50, 80)]
    warnings = check_legend(bands, 1)
    assert (bands[0].min_pct, bands[0].max_pct) == (100, 100)
    assert warnings[0] == "【達成度について】 (page 1): grade A bound 1009% is its % read as 9%; 100%"
    odd = [GradeBand("A", "達成", 150, 150)]
    check_legend(odd, 1)
    assert odd[0].min_pct is None  # not a 9: nothing says what stood there


def test_a_name_split_three_and_one_is_doubtful() -> None:
    officers = [Officer("監", "岡田浩 二", title="危機管理監"), Officer("部長", "西田 修"), Officer("理事", "松井 隆")]
    cells = [_cell("危機管理監 岡田浩 二(防災担当)", 0.9952), _cell("西田 修", 0.995), _cell("松井 隆", 0.9951)]
    split, sure = name_doubts(officers, cells, [c.text for c in cells])
    assert split == "officer 監 name '岡田浩 二' (page 1): OCR split it '岡田浩 二'; the space may stand one glyph off"
    assert sure.endswith("officer 部長 name '西田 修' (the director), officer 理事 name '松井 隆'; check them against the scan")


def test_a_single_result_field_makes_a_doubtful_stage() -> None:
    """A plan sheet's empty 今後検討すべきこと box with a header read into it: result, but doubted."""
    from plansheet.parsers.ocr_doubt import stage_doubt
    from plansheet.parsers.records import Goal, ParsedDocument, Target

    stray = ParsedDocument(goals=[Goal(goal_no=1), Goal(goal_no=3, next_steps="郷経営企画部")])
    assert stray.stage == "result"
    [warning] = stage_doubt(stray)
    assert "goal 3 next_steps" in warning and "stage" in warning
    result = ParsedDocument(goals=[Goal(goal_no=1, targets=[Target(1, status="達成しました。", grade="A")])])
    assert stage_doubt(result) == []
    assert stage_doubt(ParsedDocument(goals=[Goal(goal_no=1)])) == []


def test_a_heading_or_a_label_read_into_a_result_box_is_emptied_and_named() -> None:
    """Fuzz scan 505-0015, a plan sheet: '郷政策推進部' in a goal's 今後検討すべきこと and the label
    達成度 in a target's 達成状況 made it a result sheet."""
    doc = ParsedDocument(department="政策推進部", goals=[
        Goal(goal_no=2, next_steps="郷政策推進部", page=4),
        Goal(goal_no=3, targets=[Target(1, text="計画を策定します。", status="達成度", page=5)])])
    assert doc.stage == "result"
    warnings = stray_values(doc)
    assert warnings == [
        "goal 2 (page 4) next_steps: OCR read '郷政策推進部' here, the department heading, not a value; left empty",
        "goal 3 target 1 (page 5) status: OCR read '達成度' here, the label grade, not a value; left empty"]
    assert doc.stage == "plan" and doc.goals[1].targets[0].text == "計画を策定します。"
    kept = ParsedDocument(department="政策推進部", goals=[Goal(goal_no=1, next_steps="政策推進部の体制を見直します。")])
    assert stray_values(kept) == [] and kept.goals[0].next_steps == "政策推進部の体制を見直します。"


def test_the_sheets_title_read_into_a_result_box_is_emptied_and_named() -> None:
    """Scan fuzz seed 19002, variant 63, a plan sheet whose title is printed atop each page: two targets'
    達成状況 read '令和4年度 環境経済部 運営方針', which made it a result sheet, its stage named by nothing."""
    doc = ParsedDocument(department="環境経済部", goals=[
        Goal(goal_no=1, targets=[Target(1, text="計画を策定します。", status="令和4年度環境経済部運営方針", page=2)]),
        Goal(goal_no=2, targets=[Target(1, text="連携体制を構築します。", status="令和4年度環境経済部運営方針", page=3)])])
    assert doc.stage == "result"
    assert stray_values(doc) == [
        "goal 1 target 1 (page 2) status: OCR read '令和4年度環境経済部運営方針' here, the sheet's title, not a value; "
        "left empty",
        "goal 2 target 1 (page 3) status: OCR read '令和4年度環境経済部運営方針' here, the sheet's title, not a value; "
        "left empty"]
    assert doc.stage == "plan"
    kept = ParsedDocument(department="環境経済部", goals=[
        Goal(goal_no=1, next_steps="環境経済部運営方針の見直しに着手します。")])
    assert stray_values(kept) == [] and kept.goals[0].next_steps


def test_a_middle_legend_band_without_its_upper_bound_is_named() -> None:
    """Fuzz scan 505-0021: C read 50%以上 with its 70%未満 lost."""
    bands = [GradeBand("A", "達成", 100, 100), GradeBand("B", "概ね達成", 70, None),
             GradeBand("C", "一部達成", 50, None), GradeBand("D", "未達成", None, 50), GradeBand("E", "未実施", 0, 0)]
    # no band below the first states both bounds: the legend may write N%以上 alone; named, not filled
    assert [w[:60] for w in legend_doubts(bands, 1)] == [
        "legend B (page 1) max_pct: OCR read 70%以上 and no upper bound, while grade A starts at 100% (its M%未満 lost?)"[:60],
        "legend C (page 1) max_pct: OCR read 50%以上 and no upper bound, while grade B starts at 70% (its M%未満 lost?)"[:60]]
    assert bands[1].max_pct is None and bands[2].max_pct is None
    bands[1].max_pct = 100
    (warning,) = legend_doubts(bands, 1)
    assert warning == ("legend C (page 1) max_pct: OCR read 50%以上 and no upper bound; taken as 70%未満, where grade B "
                       "starts (the bands meet; check it)")
    assert bands[2].max_pct == 70
    assert legend_doubts(bands, 1) == []
    # held-out seed 41001, scan 41002: D's 50%未満 lost, a middle band with no bound at all
    bands[3].max_pct = None
    assert legend_doubts(bands, 1) == ["legend D (page 1) max_pct: OCR read no bound, in the middle of the scale; "
                                       "taken as 50%未満, where grade C starts (the bands meet; check it)"]
    assert bands[3].max_pct == 50 and bands[3].min_pct is None
    bands[3].max_pct, bands[4].min_pct, bands[4].max_pct = 50, None, None  # the bottom band may state no bound
    assert legend_doubts(bands, 1) == []


def test_a_short_label_misread_in_a_result_box_is_emptied_and_named() -> None:
    """Fuzz scan 9101-0005, a plan sheet: the label 達成度 read as 達成序 in two targets' 達成状況 made it
    a result sheet, and no rule named the stage. A result box holds sentences: three characters one off
    a label are that label; a short value that is no label stays."""
    doc = ParsedDocument(department="健康福祉部", goals=[
        Goal(goal_no=3, targets=[Target(1, text="計画を策定します。", status="達成序", page=6)]),
        Goal(goal_no=5, targets=[Target(2, text="会議を開きます。", status="達成序", page=9)])])
    assert doc.stage == "result"
    assert stray_values(doc) == [
        "goal 3 target 1 (page 6) status: OCR read '達成序' here, the label grade, not a value; left empty",
        "goal 5 target 2 (page 9) status: OCR read '達成序' here, the label grade, not a value; left empty"]
    assert doc.stage == "plan"
    kept = ParsedDocument(goals=[Goal(goal_no=1, targets=[Target(1, text="目標です。", status="未実施", page=2)])])
    assert stray_values(kept) == [] and kept.goals[0].targets[0].status == "未実施"


def test_a_legend_line_lost_is_named_and_its_letter_stays_a_grade() -> None:
    """Fresh scan fuzz seed 85005 (variants 2, 11, 13): the legend's C line was lost, so C was no letter of
    the legend and a target's right grade C was emptied; the letters run A, B, C … with none skipped."""
    from plansheet.parsers.records import legend_letters

    bands = [GradeBand("A", "達成", 100, 100), GradeBand("B", "概ね達成", 80, 100), GradeBand("D", "未達成", None, 50),
             GradeBand("E", "未実施", 0, 0)]
    assert legend_letters(bands) == {"A", "B", "C", "D", "E"}
    assert legend_letters([GradeBand("A", "達成", 100, 100), GradeBand("P", "概ね達成", 70, 100)]) == {"A", "P"}
    assert legend_doubts(bands, 1) == ["legend C (page 1): OCR read no line for grade C, while the legend runs to E "
                                       "(its line lost?)"]
    goal = Goal(goal_no=1, title="窓口の改善", confidence=0.99)
    goal.targets = [Target(1, text="待ち時間を短縮します。", status="一部を達成しました。", grade="C", confidence=0.99)]
    doc = ParsedDocument(department="市民部", goals=[goal], grade_scale=bands)
    notes = r.repair_document(doc, [])
    assert goal.targets[0].grade == "C" and not any("not a letter of the legend" in n for n in notes)
