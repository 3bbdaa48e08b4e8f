"""How other years and cities word a sheet's sections, and cells that hold two of a sheet's parts.

Two axes of the layout fuzzer, each drawn from its own random stream (``{seed}-{index}-<axis>``) after every
other draw, at the rate :data:`WORDING_RATES` gives (``fuzz_run --force AXIS`` raises it to 1.0), and written into
the variant's ``params`` only when drawn: the variants without them stay as they were, truth and file. Both are
drawn only when forced (rate 0.0): a label no reader knows is read ``partial`` at best (its field named), which a
normal run would count as a document not exact.

``label_wording``: each section of the sheet labelled with a wording drawn from :data:`LABEL_WORDINGS` (the goal
sheet's labels) and :data:`HEADING_WORDINGS` (the front sheet's headings): the samples' wording, the wordings
``parsers/labels.py`` knows, and wordings it does not (成果目標, 総合所見, 今後の方向性 …), written from how municipal
plan sheets word these sections. The truth stays what the sheet says: a section's text is its field's whatever its
label is called.

``two_section_cells``: a cell that holds two parts of the sheet a template keeps apart: a label and its value typed
into one cell (``所管室・課：秘書広報課``, ``全体の達成度　B``), or a goal field's label as the first line of its text's
box (``【総合評価・総括】`` over the summary, the label's own row gone). The truth is the value without its label.
"""
from __future__ import annotations

import random

from samples.generate import layout
from samples.generate.content import Department

# how often each axis is drawn (raise one to 1.0 to force it: fuzz_run --force AXIS); drawn only when forced, see above
WORDING_RATES = {"label_wording": 0.0, "two_section_cells": 0.0}

# each goal-sheet label (as the samples print it) and the ways sheets word it; the first is the samples' own. Those
# after ``|`` in the comments are unknown to parsers/labels.py when this list was written ({era}: the sheet's year)
LABEL_WORDINGS: dict[str, tuple[str, ...]] = {
    "今年度の達成目標": ("今年度の達成目標", "達成目標", "本年度の達成目標", "{era}の達成目標", "年度目標", "今年度の目標",
                 # | unknown
                 "目標", "成果目標", "数値目標", "到達目標", "今年度の到達目標", "取組目標"),
    "達成状況": ("達成状況", "{era}達成状況", "進捗状況", "取組状況",
             # | unknown
             "達成状況（実績）", "進捗", "実施状況"),
    "達成度": ("達成度", "評価", "自己評価", "{era}達成度",
            # | unknown
            "達成度評価", "評価結果", "判定"),
    "具体的取組": ("具体的取組", "主な取組", "取組内容", "具体的な取り組み", "具体的な取組内容", "主な取り組み",
              # | unknown
              "実施事業", "主な事業", "事業内容", "取組項目", "具体的施策", "具体策"),
    "所管室・課": ("所管室・課", "担当課", "所管課", "主管部署", "担当部署", "担当", "所管",
              # | unknown
              "担当室・課", "担当所属", "実施課", "担当室課名"),
    "具体的な取組実績": ("具体的な取組実績", "取組実績", "取組結果", "実績", "取組の成果", "具体的な取組の成果",
                 # | unknown
                 "実施結果", "成果・実績", "取組の実績と成果", "実施内容と成果"),
    "総合評価・総括": ("総合評価・総括", "総括", "総合評価", "評価・総括", "総合評価及び総括",
                # | unknown
                "評価", "総合所見", "所見", "成果と課題", "総評", "振り返り"),
    "全体の達成度": ("全体の達成度", "総合達成度", "全体の評価", "全体の達成状況", "自己評価",
               # | unknown
               "総合判定", "全体評価", "総合的な達成度"),
    "今後検討すべきこと": ("今後検討すべきこと", "今後の課題", "今後の検討事項",
                  # | unknown
                  "今後の方向性", "課題と今後の方向性", "改善点", "今後の取組方針", "次年度に向けて", "今後の対応"),
}
# the front sheet's headings ({era}: the sheet's year, {word}: its goals' word, 重点目標 or 重点課題)
HEADING_WORDINGS: dict[str, tuple[str, ...]] = {
    "policy": ("【基本方針】", "【基本姿勢】", "【部の基本方針】", "【運営方針】", "■基本方針", "【{era}の基本方針】",
               "【今年度の基本方針】", "◆部の運営方針", "■部の基本姿勢",
               # | unknown
               "【部の方針】", "【基本的な考え方】", "【部の使命】"),
    "goals": ("【{word}】", "【今年度の{word}】", "【{word}一覧】", "■{word}", "【{era}の{word}】", "◆{word}",
              # | unknown
              "【主な{word}】", "【{word}の一覧】"),
}


def draw_label_wording(rng: random.Random, departments: list[Department], p: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """``label_wording``: one to three of the goal sheet's sections worded otherwise, each a wording of its own drawn
    from :data:`LABEL_WORDINGS` (none another section's samples' label), and, half the time, the front sheet's two
    headings (set on every department of the file). Returns the goal-sheet labels as (the samples' label, as this
    sheet prints it), the pairs ``layout.Style.labels`` holds."""
    if rng.random() >= WORDING_RATES["label_wording"]:
        return ()
    era = departments[0].era_label
    chosen: dict[str, str] = {}
    for label in sorted(rng.sample(sorted(LABEL_WORDINGS), rng.randint(1, 3)), key=list(LABEL_WORDINGS).index):
        taken = set(chosen.values()) | set(LABEL_WORDINGS)
        chosen[label] = rng.choice([w.format(era=era) for w in LABEL_WORDINGS[label][1:] if w.format(era=era) not in taken])
    headings = []
    if rng.random() < 0.5:
        word = departments[0].goal_word
        policy = rng.choice(HEADING_WORDINGS["policy"][1:]).format(era=era)
        goals = rng.choice(HEADING_WORDINGS["goals"][1:]).format(era=era, word=word)
        for d in departments:
            d.policy_heading, d.goals_heading = policy, goals
        headings = [f"policy={policy}", f"goals={goals}"]
    p["label_wording"] = "|".join([f"{label}={way}" for label, way in chosen.items()] + headings)
    return tuple(chosen.items())


# the parts of a goal sheet a cell may hold two of: a label and its value in one cell, or a goal field's label as
# the first line of its text's box
TWO_SECTION_KINDS = ("section_inline", "grade_inline", "label_in_text")
_INLINE_GAPS = ("：", ":", "\u3000", " ")
_IN_TEXT_FORMS = ("{label}\n{text}", "【{label}】\n{text}", "【{label}】{text}", "{label}：{text}", "■{label}\n{text}")


def draw_two_section_cells(rng: random.Random, p: dict[str, object]) -> tuple[str, ...]:
    """``two_section_cells``: one to three of :data:`TWO_SECTION_KINDS`, recorded in ``p``; returns the kinds."""
    if rng.random() >= WORDING_RATES["two_section_cells"]:
        return ()
    kinds = tuple(sorted(rng.sample(TWO_SECTION_KINDS, rng.randint(1, len(TWO_SECTION_KINDS)))))
    p["two_section_cells"] = "+".join(kinds)
    return kinds


def share_cells(pages: list[layout.Page], kinds: tuple[str, ...], seed: str) -> None:
    """Print the goal sheets of ``pages`` with cells holding two parts (:func:`draw_two_section_cells`): each kind the
    same way throughout the file, as one person types one sheet. ``section_inline``: every 所管室・課 label and the
    section's name beside it one cell (its name empty: left as it was); ``grade_inline``: the 全体の達成度 label and
    the goal's grade one cell (the grade empty: left); ``label_in_text``: the 総合評価・総括 and 今後検討すべきこと
    labels as the first line of their text's box (or before the text, parted as drawn), the label's own cell gone."""
    rng = random.Random(f"{seed}-two-section-cells")
    gap = rng.choice(_INLINE_GAPS)
    form = rng.choice(_IN_TEXT_FORMS)
    for page in pages:
        style = page.style
        if "section_inline" in kinds:
            _inline(page, style.label("所管室・課"), gap)
        if "grade_inline" in kinds:
            _inline(page, style.label("全体の達成度"), gap)
        if "label_in_text" in kinds:
            for name in ("総合評価・総括", "今後検討すべきこと"):
                _label_into_text(page, style.label(name), form)


def _inline(page: layout.Page, label: str, gap: str) -> None:
    """Each ``label`` cell of ``page`` with a filled value cell right beside it → one cell over both."""
    for row in page.rows:
        cells = row.cells
        for k in range(len(cells) - 1):
            lab, value = cells[k], cells[k + 1]
            if lab is None or lab.kind != "label" or lab.text != label or value.col != lab.col + lab.span \
                    or not value.text or value.rowspan != 1:
                continue
            cells[k] = layout.Cell(lab.col, lab.span + value.span, f"{label}{gap}{value.text}",
                                   min_lines=value.min_lines, role=value.role)
            cells[k + 1] = None  # type: ignore[call-overload]
        row.cells = [c for c in cells if c is not None]


def _label_into_text(page: layout.Page, label: str, form: str) -> None:
    """A full-width ``label`` row over its filled text's row → the text's cell alone, the label written into it
    (``form``); beside its text (side labels), one cell over both."""
    rows = page.rows
    for k, row in enumerate(rows):
        if len(row.cells) == 2 and row.cells[0].kind == "label" and row.cells[0].text == label and row.cells[1].text:
            lab, text = row.cells
            row.cells = [layout.Cell(lab.col, lab.span + text.span, form.format(label=label, text=text.text),
                                     min_lines=text.min_lines, role=text.role)]
        elif len(row.cells) == 1 and row.cells[0].kind == "label" and row.cells[0].text == label and k + 1 < len(rows) \
                and len(rows[k + 1].cells) == 1 and rows[k + 1].cells[0].text and rows[k + 1].cells[0].kind == "value":
            text = rows[k + 1].cells[0]
            text.text = form.format(label=label, text=text.text)
            text.min_lines += 1
            row.cells = []
            row.gap = 0.0
    page.rows[:] = [r for r in rows if r.cells or r.gap]
