"""What every output column means: the data dictionary's text, kept beside the schemas.

``TABLE_DOCS`` says what one row of each table is; ``COLUMN_DOCS`` what each column holds.
:mod:`plansheet.derived.dictionary` joins them with the pyarrow schemas into
``docs/schema.md``, ``OUT/datapackage.json`` and ``plansheet schema``; a test fails when a
column has no description or a description names no column.
``CONTRACT`` lists the columns of SCHEMA.md (never renamed or dropped); the rest are added.
"""
from __future__ import annotations

TABLE_DOCS: dict[str, str] = {
    "documents": "one department document: a sheet of one department, fiscal year and stage, as read from one file "
                 "(a compiled volume gives several)",
    "officers": "one person in a document's header (部長, 監, 理事)",
    "goals": "one 重点目標 (older sheets: 重点課題) of a document",
    "targets": "one 今年度の達成目標 of a goal",
    "initiatives": "one 具体的取組 of a goal, with the target whose column it stands in",
    "grade_scale": "one grade of a document's 【達成度について】 legend, bounds as the legend states them",
    "sources": "one input file, whatever became of it",
    "goal_lineage": "one link from a goal to the same department's goal of the previous fiscal year "
                    "(or a first, new or ended goal); see docs/lineage.md",
    "initiatives_flat": "one initiative with its target, goal and document (CSV only; plansheet.load builds it too)",
}

_GRADE = "A–E as printed (NFKC); A is the best"
COLUMN_DOCS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "`<first 16 hex of the file's SHA-256>-<n>`, n the department's 1-based order in the file",
        "source_file": "the input file, as a path relative to the folder given on the command line (or the URL); "
                       "the identity is source_sha256",
        "source_sha256": "SHA-256 of the file's bytes (64 hex digits)",
        "source_format": "`pdf`, `txt` or `xlsx`",
        "extraction_method": "`text_layer`, `ocr`, `mixed` (some pages OCRed), `text_export` or `workbook`",
        "municipality": "the city, as printed or given with --municipality; null when neither",
        "fiscal_year": "Gregorian fiscal year (令和5年度 → 2023); the Hive partition key",
        "fiscal_year_label": "the era year as the sheet names it, e.g. 令和5年度 (also where the title writes 令和5（2023）年度)",
        "stage": "`plan` (result columns blank) or `result` (a grade or result filled)",
        "department": "the 部 name, e.g. 政策推進部",
        "director": "the 部長's name",
        "basic_policy": "the 【基本方針】 (older sheets: 【基本姿勢】) text",
        "page_count": "pages of the file this department occupies: the pages holding its sheets (a page left blank, "
                      "or only marked （白紙）, このページは白紙です or 余白, belongs to no department and is not counted)",
        "parser_version": "plansheet version that read the file",
        "pages": "the 1-based pages of the file this department occupies (as page_count counts them), e.g. `2–8` "
                 "(en dash, so Excel keeps it as text; `2–4,6–8` around a blank page)",
        "first_page": "first page of `pages`",
        "last_page": "last page of `pages`",
        "is_current": "true for the one copy of a sheet that counts (same municipality, department, fiscal year and "
                      "stage); plansheet.load keeps only these unless copies='all'",
        "copy_of": "for a copy that does not count: the doc_id of the one that does",
        "copy_reason": "why this copy does not count: `source_inactive`, `partial`, `method`, `older` or `duplicate` "
                       "(the first rule of plansheet.derived.current that decided), or `differs`: chosen so, but this "
                       "copy gives a grade otherwise than the one that counts (the run's warning names the field and "
                       "both values)",
    },
    "officers": {
        "doc_id": "the document", "position": "部長 (the head of the sheet's unit, whatever its title: 局長, 室長, "
                                              "会計管理者, 教育長 …), 監 or 理事, or another post's label (次長, 参事)",
        "title": "the title in parentheses, e.g. 総合政策監; for the head (部長) whose label is not plain 部長, that "
                 "label as written: a unit that is no 部 (局長, 事務局長, 室長, 会計管理者, 教育長) or the post named "
                 "with another (理事兼部長, 部長事務取扱)", "name": "the person's name",
        "charge": "the remit written after the name, e.g. 行財政健全化担当",
        "officer_no": "1-based order in the header", "fiscal_year": "the document's fiscal year (partition key)",
    },
    "goals": {
        "doc_id": "the document", "goal_no": "the goal's number in its document (重点目標1 → 1)",
        "plan_goal_no": "number of the city plan's goal it serves, from `(5) みんなでつくる…`",
        "plan_goal": "the city plan's goal text", "field": "分野, e.g. 市政運営",
        "title": "the goal's title", "overall_summary": "総合評価・総括 (result stage)",
        "overall_grade": f"全体の達成度, {_GRADE}", "next_steps": "今後検討すべきこと",
        "page": "1-based page of the goal's own sheet", "confidence": "lowest OCR confidence (0–1) of the goal's "
                                                                       "text; null for text-layer sources",
        "department": "the document's department (repeated here for CSV readers)",
        "fiscal_year": "the document's fiscal year (partition key)",
    },
    "targets": {
        "doc_id": "the document", "goal_no": "the goal", "target_no": "1-based, left to right then top to bottom",
        "text": "the target's text", "status": "達成状況 text (result stage)", "grade": f"達成度, {_GRADE}",
        "page": "1-based page", "confidence": "lowest OCR confidence (0–1); null for text-layer sources",
        "department": "the document's department", "fiscal_year": "the document's fiscal year (partition key)",
    },
    "initiatives": {
        "doc_id": "the document", "goal_no": "the goal", "initiative_no": "1-based in order of appearance",
        "target_no": "the target whose column it stands in; null when the sheet does not say",
        "text": "the initiative's text",
        "section": "所管室・課, e.g. 秘書広報課; sections the cell lists one a line are joined with 、 "
                   "(高齢介護課、地域包括支援センター)",
        "results": "具体的な取組実績 (result stage)", "page": "1-based page",
        "confidence": "lowest OCR confidence (0–1); null for text-layer sources",
        "department": "the document's department", "fiscal_year": "the document's fiscal year (partition key)",
    },
    "grade_scale": {
        "doc_id": "the document",
        "grade": "the grade as the legend lists it: A–E, or S or a symbol (◎ ○ △ ×) where the legend has one",
        "label": "the grade's label, e.g. 達成",
        "min_pct": "lower bound in percent as the legend states it; null when none is written",
        "max_pct": "upper bound in percent (exclusive, except 100 for A)",
        "description": "the legend's sentence, e.g. 目標を達成することができた。",
        "fiscal_year": "the document's fiscal year (partition key)",
    },
    "sources": {
        "source_sha256": "SHA-256 of the file's bytes (of its last good version when its current bytes cannot be "
                         "read: see error); null only when the file could not be read",
        "source_file": "the input file (relative to the folder given on the command line) or the URL",
        "status": "`ok`, `partial` (some pages or fields unread: see warnings), `failed` or `skipped` "
                  "(not a sheet, or an archive); an unchanged source keeps the status of its conversion, and one "
                  "whose current bytes or download cannot be read that of its last good version",
        "documents": "department documents found (0 when failed)",
        "error_stage": "`triage`, `read`, `ocr`, `parse` or `write`", "error": "one line a person can act on; beside `ok` or `partial`: why the source's current bytes or "
                  "download cannot be read (its rows are its last good version's, docs/batch.md)",
        "pages_ocr": "pages that went through OCR", "seconds": "wall time spent on this file",
        "parser_version": "plansheet version", "extracted_at": "when its bytes were converted (UTC)",
        "source_format": "the file's kind", "pages": "the file's page count",
        "warnings": "every warning behind a `partial`, one a line",
        "source_modified": "the file's modification time (for a URL: when its current bytes were downloaded); "
                           "the newest copy of a sheet counts when the methods tie",
        "state": "`current` (its rows are in the tables), `gone` (no longer found where an ingest looked: "
                 "rows removed) or `retired` (by `plansheet retire`: rows removed); docs/batch.md",
    },
    "goal_lineage": {
        "municipality": "the department's municipality (a null one takes the department's only named one)",
        "department": "the 部 name", "fiscal_year": "the goal's year (partition key)",
        "doc_id": "the department's current document of fiscal_year",
        "goal_no": "the goal; null for `ended` rows",
        "prev_fiscal_year": "the year compared with: the department's nearest earlier year",
        "prev_doc_id": "the department's document of prev_fiscal_year",
        "prev_goal_no": "the linked (for `ended`: the vanished) goal of that year",
        "score": "pair score 0–1 of a link", "relation": "`first`, `carried_over`, `reworded`, `split`, "
                                                         "`merged`, `new` or `ended`",
        "title_similarity": "0–1 similarity of the two titles",
        "target_similarity": "0–1 similarity of their targets' texts",
        "chain_id": "`[municipality/]department/first year/first goal_no`: shared by every goal of one chain",
    },
    "initiatives_flat": {
        "fiscal_year": "the document's fiscal year", "municipality": "the document's municipality",
        "department": "the document's department", "doc_id": "the document", "stage": "`plan` or `result`",
        "goal_no": "the goal", "plan_goal_no": "the city plan's goal number", "plan_goal": "the city plan's goal",
        "field": "分野", "goal_title": "the goal's title", "overall_grade": f"the goal's 全体の達成度, {_GRADE}",
        "target_no": "the target", "target_text": "the target's text", "target_status": "達成状況",
        "target_grade": f"the target's 達成度, {_GRADE}", "initiative_no": "the initiative",
        "initiative_text": "the initiative's text", "section": "所管室・課", "results": "具体的な取組実績",
        "source_file": "the document's input file", "page": "the initiative's page in source_file",
    },
}

CONTRACT: dict[str, list[str]] = {  # SCHEMA.md 1.1
    "documents": ["doc_id", "source_file", "source_sha256", "source_format", "extraction_method", "municipality",
                  "fiscal_year", "fiscal_year_label", "stage", "department", "director", "basic_policy",
                  "page_count", "parser_version"],
    "officers": ["doc_id", "position", "title", "name"],
    "goals": ["doc_id", "goal_no", "plan_goal_no", "plan_goal", "field", "title", "overall_summary",
              "overall_grade", "next_steps", "page"],
    "targets": ["doc_id", "goal_no", "target_no", "text", "status", "grade", "page"],
    "initiatives": ["doc_id", "goal_no", "initiative_no", "target_no", "text", "section", "results", "page"],
    "grade_scale": ["doc_id", "grade", "label", "min_pct", "max_pct"],
    "sources": ["source_sha256", "source_file", "status", "documents", "error_stage", "error", "pages_ocr",
                "seconds", "parser_version", "extracted_at"],
}
