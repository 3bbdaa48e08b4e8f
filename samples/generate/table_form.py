"""A goal sheet written as tables with a header row each: the labels once, then a row per record.

``具体的取組 | 所管室・課 | 具体的な取組実績`` over one row per initiative (and ``今年度の達成目標 | 達成状況 |
達成度`` over one row per target) is how a Japanese table is most often drawn, and how a city's web page
shows its sheet. This writes a made-up 市民生活部 令和7年度 year-end sheet in that form as an HTML page, a
tab-separated text export (a row a line) and a workbook (``openpyxl``), with its truth (targets and
initiatives as the tables should hold them)::

    python -m samples.generate.table_form OUT_DIR

With ``merged`` a 所管室・課 cell shared by consecutive initiatives is one cell merged down over their rows
(``rowspan``, merged cells); a text export leaves the rows under it empty. Targets written as rows of one
table say nothing of which target an initiative below serves: with two targets the truth's target_no is
``None``.
"""
from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FormGoal:
    """One goal of the sheet: its targets (text, status, grade) and initiatives (text, section, results)."""

    no: int
    title: str
    targets: list[tuple[str, str, str]]
    initiatives: list[tuple[str, str, str]]
    summary: str
    grade: str
    next_steps: str
    plan: str = "(5) みんなでつくる暮らし続けられるまち"
    field_name: str = "市民サービス"


@dataclass
class FormSheet:
    """A department's sheet: its front (officers, policy, overview, legend) and its goals."""

    goals: list[FormGoal]
    department: str = "市民生活部"
    title: str = "令和7年度 市民生活部の運営方針"
    officers: list[tuple[str, str]] = field(default_factory=lambda: [("部長", "佐藤 一郎"), ("理事", "高橋 美和")])
    policy: str = "市民生活部は、市民協働、戸籍・住民票、市税、環境保全、廃棄物の処理などを所管しています。"


LEGEND = ("A：達成（目標を達成することができた。100%）",
          "B：概ね達成（概ね目標どおり達成することができた。70%以上100%未満）",
          "C：一部達成（目標の一部を達成できた。50%以上70%未満）",
          "D：未達成（目標達成に向け取り組んだが、目標達成に至らなかった。50%未満）",
          "E：未実施（事業の取りやめなどにより評価不能又は困難。0%）")

GOALS = [
    FormGoal(1, "窓口のデジタル化による市民サービスの向上",
             [("「書かない窓口」の対象手続を前年度の１２件から３０件以上に拡大します。",
               "対象手続を３２件に拡大し、窓口での平均待ち時間は前年度比２割減の１４分となりました。", "A")],
             [("窓口支援システムを導入し、申請書の記入を不要にする手続を順次拡大します。", "市民課",
               "７月にシステムを導入し、転入・転出など３２手続で記入不要としました。"),
              ("電子申請の案内を広報紙とSNSで毎月発信します。", "市民協働課", "広報紙で年１２回、SNSで年４８回発信しました。")],
             "窓口のデジタル化は計画どおり進み、待ち時間の短縮と電子申請の利用率向上の両方で目標を達成しました。", "A",
             "高齢者向けにスマートフォン教室を開き、電子申請を使える人を増やします。"),
    FormGoal(2, "ごみの減量と資源化の推進",
             [("市民一人一日当たりのごみ排出量を前年度比３％削減し、８５０ｇ以下とします。",
               "排出量は８７２ｇで前年度比１．２％の削減にとどまりました。", "C")],
             [("生ごみ処理機の購入補助を１００件に拡大します。", "環境保全課", "補助件数は６４件でした。"),
              ("事業所への訪問指導を年２回行います。", "環境保全課", "市内２１０事業所を年２回訪問しました。"),
              ("資源ごみの拠点回収を月１回行います。", "資源循環課", "市内８か所で年１２回回収しました。")],
             "事業所の排出量は減りましたが、家庭ごみの削減が進まず、目標の一部の達成にとどまりました。", "C",
             "家庭ごみの組成調査を行い、削減の余地の大きい品目に絞った啓発を検討します。",
             "(3) 自然と共生する環境にやさしいまち", "環境"),
]

TWO_TARGETS = FormGoal(
    1, "窓口のデジタル化による市民サービスの向上",
    [GOALS[0].targets[0], ("オンライン申請の利用率を２５％以上とします。",
                           "オンライン申請の利用率は２７．３％となり、目標を上回りました。", "A")],
    GOALS[0].initiatives, GOALS[0].summary, "A", GOALS[0].next_steps)

Grid = list[list[tuple[str, int, int] | None]]  # rows of cells (text, colspan, rowspan); None: a slot merged from above


def _front(sheet: FormSheet) -> Grid:
    rows: Grid = [[(sheet.title, 6, 1)], [("部", 1, 1), (sheet.department, 2, 1)] +
                  [c for post, name in sheet.officers[:1] for c in ((post, 1, 1), (name, 2, 1))]]
    rows += [[c for post, name in sheet.officers[1:2] for c in ((post, 1, 1), (name, 2, 1))]] if sheet.officers[1:] else []
    rows += [[("【基本方針】", 6, 1)], [(sheet.policy, 6, 1)], [("【重点目標】", 6, 1)]]
    for g in sheet.goals:
        rows.append([(str(g.no), 1, 1), ("目標", 1, 1), (g.plan, 1, 1), ("分野", 1, 1), (g.field_name, 1, 1),
                     ("令和7年度 達成状況", 1, 1)])
        rows.append([("", 1, 1), (g.title, 4, 1), (g.grade, 1, 1)])
    return rows + [[("【達成度について】", 6, 1)]] + [[(line, 6, 1)] for line in LEGEND]


def _goal(sheet: FormSheet, g: FormGoal, merged: bool) -> Grid:
    rows: Grid = [[("部", 1, 1), (sheet.department, 5, 1)], [(f"重点目標 {g.no}", 1, 1), (g.title, 5, 1)],
                  [("今年度の達成目標", 3, 1), ("達成状況", 2, 1), ("達成度", 1, 1)]]
    rows += [[(t, 3, 1), (s, 2, 1), (grade, 1, 1)] for t, s, grade in g.targets]
    rows.append([("具体的取組", 3, 1), ("所管室・課", 1, 1), ("具体的な取組実績", 2, 1)])
    k = 0
    while k < len(g.initiatives):
        n = 1
        while merged and k + n < len(g.initiatives) and g.initiatives[k + n][1] == g.initiatives[k][1]:
            n += 1
        for j in range(n):
            text, section, results = g.initiatives[k + j]
            rows.append([(text, 3, 1), (section, 1, n) if j == 0 else None, (results, 2, 1)])
        k += n
    return rows + [[("総合評価・総括", 1, 1), (g.summary, 5, 1)], [("全体の達成度", 1, 1), (g.grade, 5, 1)],
                   [("今後検討すべきこと", 1, 1), (g.next_steps, 5, 1)]]


def pages(sheet: FormSheet, merged: bool = False) -> list[Grid]:
    """The sheet's pages: its front, then one page per goal."""
    return [_front(sheet)] + [_goal(sheet, g, merged) for g in sheet.goals]


def write_html(sheet: FormSheet, out: Path, merged: bool = False) -> None:
    """The sheet as an HTML page: a table a page, each page after the first breaking before it."""
    parts = ['<html><head><meta charset="utf-8"><style>table{border-collapse:collapse;width:100%}'
             'td{border:1px solid #000;vertical-align:top}.pb{page-break-before:always}</style></head><body>']
    for n, rows in enumerate(pages(sheet, merged)):
        parts.append(f'<table class="{"pb" if n else ""}">')
        for row in rows:
            parts.append("<tr>" + "".join(f'<td colspan="{c[1]}" rowspan="{c[2]}">{html.escape(c[0])}</td>'
                                          for c in row if c is not None) + "</tr>")
        parts.append("</table>")
    out.write_text("\n".join(parts) + "</body></html>\n", encoding="utf-8")


def write_text(sheet: FormSheet, out: Path, merged: bool = False) -> None:
    """The sheet as a text export: a row a line, a cell a tab-separated field (a merged cell's slots empty), each
    goal's header row underlined by dashes as the real export writes it."""
    lines: list[str] = []
    for n, rows in enumerate(pages(sheet, merged)):
        for k, row in enumerate(rows):
            fields: list[str] = []
            for cell in row:
                fields += [""] if cell is None else [cell[0]] + [""] * (cell[1] - 1)
            lines.append("\t".join(fields).rstrip("\t"))
            if n and k == 0:
                lines.append("---\t-------")
        lines.append("")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(sheet: FormSheet, out: Path, merged: bool = False) -> None:
    """The sheet as a workbook: one worksheet, a manual page break before each goal, cells merged as spanned."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.worksheet.pagebreak import Break

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    for letter, width in zip("ABCDEF", (14, 30, 12, 14, 30, 10)):
        ws.column_dimensions[letter].width = width
    r = 1
    for n, rows in enumerate(pages(sheet, merged)):
        if n:
            ws.row_breaks.append(Break(id=r - 1))
        for row in rows:
            col = 1
            for cell in row:
                if cell is None:
                    col += 1
                    continue
                text, span, down = cell
                ws.cell(r, col, text or None).alignment = Alignment(wrap_text=True, vertical="top")
                for dr in range(down):
                    for dc in range(span):
                        ws.cell(r + dr, col + dc).border = box
                if span > 1 or down > 1:
                    ws.merge_cells(start_row=r, start_column=col, end_row=r + down - 1, end_column=col + span - 1)
                col += span
            ws.row_dimensions[r].height = 30
            r += 1
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    wb.save(out)


def truth(sheet: FormSheet) -> dict[str, list[dict[str, object]]]:
    """The targets and initiatives the tables should hold (a goal's initiatives under targets written as rows of
    one table serve a target the sheet does not say, unless it has one)."""
    targets, initiatives = [], []
    for g in sheet.goals:
        targets += [{"goal_no": g.no, "target_no": k, "text": t, "status": s, "grade": grade}
                    for k, (t, s, grade) in enumerate(g.targets, start=1)]
        initiatives += [{"goal_no": g.no, "initiative_no": k, "target_no": 1 if len(g.targets) == 1 else None,
                         "text": t, "section": section, "results": results}
                        for k, (t, section, results) in enumerate(g.initiatives, start=1)]
    return {"targets": targets, "initiatives": initiatives}


VARIANTS = {"tableform": (FormSheet(GOALS), False), "tableform-merged": (FormSheet(GOALS), True),
            "tableform-two-targets": (FormSheet([TWO_TARGETS, GOALS[1]]), False)}


def write_all(out: Path) -> list[Path]:
    """Every variant as HTML, text and workbook, each beside its truth (``<file>.json``)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (sheet, merged) in VARIANTS.items():
        for suffix, write in (("html", write_html), ("txt", write_text), ("xlsx", write_xlsx)):
            path = out / f"{name}.{suffix}"
            write(sheet, path, merged)
            path.with_name(path.name + ".json").write_text(
                json.dumps(truth(sheet), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/table_form")):
        print(written)
