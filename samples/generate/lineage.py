"""One department (環境部) across three consecutive fiscal years, for goal lineage.

令和3年度 → 令和4年度 → 令和5年度, every year at the result stage (so grades exist):

- goal 「家庭ごみの減量と資源化の推進」 is carried over every year (same title);
- 「地球温暖化対策実行計画の改定」 is reworded in 令和4年度, then carried over;
- 「公園と緑地の適正な管理」 (two targets) is split in 令和4年度 into one goal per target;
  the green-space half is reworded again in 令和5年度;
- 「狂犬病予防注射の接種率の向上」 ends after 令和3年度;
- 「環境学習の機会の充実」 is new in 令和4年度 and ends after it;
- 「不法投棄の防止に向けた監視の強化」 is new in 令和5年度.

Rendered with the non-embedded CID font (small files) into ``samples/lineage/``; the
SCHEMA truth of each file goes to ``samples/truth/<file>.json`` like every other sample,
and the expected ``goal_lineage`` rows to ``samples/truth/lineage.json`` (goals named by
file and goal number, since doc_ids depend on the rendered bytes).
"""
from __future__ import annotations

import json
from pathlib import Path

from samples.generate import check, layout, truth
from samples.generate.content import LEGEND_STANDARD, Department, Goal, Initiative, Officer, Target

DEPARTMENT = "環境部"
PG4 = "(4) 自然と共生する環境にやさしいまち"
PG1 = "(1) 安全で安心して健やかに暮らせるまち"
PG4_NAME = "自然と共生する環境にやさしいまち"
PG1_NAME = "安全で安心して健やかに暮らせるまち"

GOMI_TITLE = "家庭ごみの減量と資源化の推進"
GOMI_TARGET = "分別の徹底と資源化の啓発により、市民一人一日当たりの家庭ごみ排出量を前年度より減らします。"
PARK_TARGET = "老朽化した公園の遊具を点検し、危険性の高い遊具から順に更新して、安全に遊べる公園を維持します。"
GREEN_TARGET = "市民ボランティアとの協働により、市内の緑地や街路樹の適切な保全と緑化活動を進めます。"
PARK_TITLE = "公園遊具の計画的な更新による安全な公園づくり"
CLIMATE_TITLE = "地球温暖化対策実行計画に基づく脱炭素化の推進"


def _goal(no: int, pg_cell: str, field: str, title: str, targets: list[Target], grade: str,
          summary: str, next_steps: str) -> Goal:
    pg_no = int(pg_cell[1])
    pg_name = PG4_NAME if pg_no == 4 else PG1_NAME
    return Goal(str(no), pg_cell, pg_no, pg_name, field, title, targets, summary=summary,
                overall_grade=grade, next_steps=next_steps)


def _t(text: str, status: str, grade: str, initiative: str, section: str, results: str) -> Target:
    return Target(text, status=status, grade=grade, initiatives=[Initiative(initiative, section, results)])


R3 = Department(
    key="lineage2021", era_label="令和3年度", fiscal_year=2021, department=DEPARTMENT,
    officers=[Officer("部長", "大西 正樹", "大西 正樹")],
    basic_policy="環境部は、ごみの収集と資源化、地球温暖化対策、公園と緑地の管理、生活環境の保全などを所管しています。"
                 "今年度は、家庭ごみの減量と脱炭素社会に向けた計画づくりを進めます。",
    goals=[
        _goal(1, PG4, "ごみ減量", GOMI_TITLE,
              [_t(GOMI_TARGET, "分別アプリの利用者は増えましたが、家庭ごみの排出量は前年度とほぼ同じでした。", "C",
                  "ごみ分別アプリの配信を開始し、収集日や分別方法を市民に分かりやすく案内します。", "資源循環課",
                  "分別アプリを配信し、年度末の利用者は4,120人となりました。")],
              "C", "アプリの周知は進みましたが、排出量の削減にはつながりませんでした。",
              "分別の方法が分かりにくい品目について、出前講座で説明します。"),
        _goal(2, PG4, "地球温暖化対策", "地球温暖化対策実行計画の改定",
              [_t("国の温室効果ガス削減目標の見直しを踏まえて、市の地球温暖化対策実行計画を改定し、新たな削減目標を定めます。",
                  "環境審議会で審議を重ね、計画の改定案を取りまとめました。", "B",
                  "市域の温室効果ガス排出量を推計し、環境審議会の意見を聴いて計画の改定案を取りまとめます。", "環境政策課",
                  "環境審議会を3回開催し、改定案について意見を聴きました。")],
              "B", "改定案は取りまとめましたが、公表は次年度となりました。",
              "改定した計画に基づく具体的な取組を定めます。"),
        _goal(3, PG4, "公園・緑化", "公園と緑地の適正な管理",
              [_t(PARK_TARGET, "点検の結果、危険性の高い遊具12基のうち8基を更新しました。", "B",
                  "専門業者による遊具の定期点検を行い、更新の優先順位を定めます。", "公園緑地課",
                  "市内64公園の遊具を点検し、更新計画を作成しました。"),
               _t(GREEN_TARGET, "緑化ボランティアの登録団体が増え、予定した活動を全て実施しました。", "A",
                  "緑化ボランティア団体に花苗や道具を提供し、活動を支援します。", "公園緑地課",
                  "登録団体は18団体となり、花苗を延べ3,200株提供しました。")],
              "B", "遊具の更新は一部が次年度に残りましたが、緑化活動は計画どおり進みました。",
              "遊具の更新と緑地の保全は性格が異なるため、目標を分けて管理します。"),
        _goal(4, PG1, "生活環境", "狂犬病予防注射の接種率の向上",
              [_t("飼い犬の登録と狂犬病予防注射の接種を促し、接種率を前年度から5ポイント引き上げます。",
                  "個別通知を送付しましたが、接種率は2ポイントの上昇にとどまりました。", "D",
                  "未接種の飼い主に個別に通知を送付するとともに、集合注射の会場を増やします。", "環境保全課",
                  "個別通知を1,350通送付し、集合注射の会場を2か所増やしました。")],
              "D", "接種率は上昇しましたが、目標には届きませんでした。",
              "動物病院での接種の案内を通常業務の中で続けます。"),
    ],
    grade_scale=LEGEND_STANDARD,
)

R4 = Department(
    key="lineage2022", era_label="令和4年度", fiscal_year=2022, department=DEPARTMENT,
    officers=[Officer("部長", "大西 正樹", "大西 正樹"), Officer("理事", "中野 直子", "中野 直子")],
    basic_policy="環境部は、ごみの収集と資源化、地球温暖化対策、公園と緑地の管理、生活環境の保全などを所管しています。"
                 "今年度は、改定した地球温暖化対策実行計画に基づき、脱炭素化の取組を本格的に始めます。",
    goals=[
        _goal(1, PG4, "ごみ減量", GOMI_TITLE,
              [_t(GOMI_TARGET, "出前講座と分別アプリの活用により、家庭ごみの排出量は前年度より3%減りました。", "A",
                  "自治会や学校で分別の出前講座を開催し、分別の分かりにくい品目を説明します。", "資源循環課",
                  "出前講座を21回開催し、延べ640人が参加しました。")],
              "A", "家庭ごみの排出量を前年度より減らすことができました。",
              "プラスチック製容器包装の分別回収の拡大を検討します。"),
        _goal(2, PG4, "地球温暖化対策", CLIMATE_TITLE,
              [_t("改定した地球温暖化対策実行計画に基づき、公共施設への太陽光発電設備の導入を進め、市の事務事業からの温室効果ガス排出量を削減します。",
                  "太陽光発電設備を3施設に導入しました。", "B",
                  "市役所本庁舎と小学校2校の屋上に太陽光発電設備を設置します。", "環境政策課",
                  "3施設に合計150キロワットの設備を設置しました。")],
              "B", "予定した施設への設備の導入を完了しました。",
              "照明のLED化など省エネルギーの取組と合わせて進めます。"),
        _goal(3, PG4, "公園・緑化", PARK_TITLE,
              [_t("老朽化した公園の遊具を点検し、危険性の高い遊具から順に計画的に更新して、安全に遊べる公園を維持します。",
                  "前年度から残った4基を含めて、計画した遊具の更新を全て終えました。", "A",
                  "更新計画に基づき、危険性の高い遊具から順に更新工事を行います。", "公園緑地課",
                  "遊具9基の更新工事を行いました。")],
              "A", "計画どおり遊具の更新を進めることができました。",
              "遊具の点検結果を市ウェブサイトで公表します。"),
        _goal(4, PG4, "公園・緑化", "市民協働による緑地の保全と緑化の推進",
              [_t(GREEN_TARGET, "登録団体は増えましたが、夏の猛暑により一部の活動を中止しました。", "B",
                  "緑化ボランティア団体の交流会を開催し、活動の担い手を増やします。", "公園緑地課",
                  "交流会を2回開催し、新たに3団体が登録しました。")],
              "B", "活動の担い手は増えましたが、一部の活動を中止しました。",
              "活動の時期や時間帯を見直します。"),
        _goal(5, PG4, "環境教育", "環境学習の機会の充実",
              [_t("小学生や親子を対象とした自然観察会や出前講座を開催し、環境について学ぶ機会を増やします。",
                  "自然観察会は雨天により2回中止となりました。", "C",
                  "河川敷や里山で自然観察会を開催し、地域の生き物について学ぶ機会を設けます。", "環境政策課",
                  "自然観察会を4回開催し、延べ96人が参加しました。")],
              "C", "参加者の満足度は高かったものの、開催回数は目標を下回りました。",
              "環境学習は教育委員会の事業と統合して実施します。"),
    ],
    grade_scale=LEGEND_STANDARD,
)

R5 = Department(
    key="lineage2023", era_label="令和5年度", fiscal_year=2023, department=DEPARTMENT,
    officers=[Officer("部長", "中野 直子", "中野 直子")],
    basic_policy="環境部は、ごみの収集と資源化、地球温暖化対策、公園と緑地の管理、生活環境の保全などを所管しています。"
                 "今年度は、プラスチックの分別回収を全市に広げるとともに、不法投棄の防止に取り組みます。",
    goals=[
        _goal(1, PG4, "ごみ減量", GOMI_TITLE,
              [_t("プラスチック製容器包装の分別回収を全市に広げ、市民一人一日当たりの家庭ごみ排出量を前年度より減らします。",
                  "分別回収を全市に広げ、家庭ごみの排出量は前年度より2%減りました。", "B",
                  "プラスチック製容器包装の分別回収を全ての地区で始め、収集日を広報で案内します。", "資源循環課",
                  "10月から全地区で分別回収を始めました。")],
              "B", "分別回収の拡大により、家庭ごみの排出量を減らすことができました。",
              "製品プラスチックの回収について検討します。"),
        _goal(2, PG4, "地球温暖化対策", CLIMATE_TITLE,
              [_t("公共施設への太陽光発電設備の導入と照明のLED化を進め、市の事務事業からの温室効果ガス排出量を削減します。",
                  "太陽光発電設備を2施設に導入し、照明のLED化を5施設で行いました。", "A",
                  "中学校2校に太陽光発電設備を設置し、公民館などの照明をLEDに取り替えます。", "環境政策課",
                  "2施設に設備を設置し、5施設の照明をLED化しました。")],
              "A", "計画どおり設備の導入と照明のLED化を進めました。",
              "市民や事業者の脱炭素化の取組を支援する制度を検討します。"),
        _goal(3, PG4, "公園・緑化", PARK_TITLE,
              [_t("老朽化した公園の遊具を点検し、危険性の高い遊具から順に計画的に更新して、安全に遊べる公園を維持します。",
                  "計画した遊具の更新を全て終えました。", "A",
                  "更新計画に基づき、危険性の高い遊具から順に更新工事を行います。", "公園緑地課",
                  "遊具7基の更新工事を行いました。")],
              "A", "計画どおり遊具の更新を進めることができました。",
              "点検の結果を公園ごとに掲示します。"),
        _goal(4, PG4, "公園・緑化", "緑のボランティアとの協働による街路樹と緑地の保全",
              [_t("緑のボランティア団体と協働して、市内の街路樹の剪定や緑地の清掃などの保全活動を進めます。",
                  "予定した保全活動を全て実施しました。", "A",
                  "緑のボランティア団体に剪定の講習会を開催し、道具を貸し出します。", "公園緑地課",
                  "講習会を3回開催し、延べ84人が参加しました。")],
              "A", "ボランティア団体との協働により、保全活動を計画どおり実施しました。",
              "活動の成果を広報で紹介し、参加者を増やします。"),
        _goal(5, PG1, "生活環境", "不法投棄の防止に向けた監視の強化",
              [_t("不法投棄が多い場所に監視カメラを設置し、パトロールを強化して不法投棄の件数を減らします。",
                  "監視カメラを設置した場所では件数が減りましたが、市全体では横ばいでした。", "C",
                  "不法投棄が多い10か所に監視カメラを設置し、夜間のパトロールを行います。", "環境保全課",
                  "監視カメラを10か所に設置し、夜間パトロールを月2回行いました。")],
              "C", "監視カメラの効果は見られましたが、市全体の件数は減りませんでした。",
              "警察や自治会と連携した監視体制を検討します。"),
    ],
    grade_scale=LEGEND_STANDARD,
)

YEARS = [R3, R4, R5]

# expected goal_lineage rows: (fiscal_year, goal_no, prev_fiscal_year, prev_goal_no, relation)
LINEAGE: list[tuple[int, int | None, int | None, int | None, str]] = [
    (2021, 1, None, None, "first"), (2021, 2, None, None, "first"),
    (2021, 3, None, None, "first"), (2021, 4, None, None, "first"),
    (2022, 1, 2021, 1, "carried_over"), (2022, 2, 2021, 2, "reworded"),
    (2022, 3, 2021, 3, "split"), (2022, 4, 2021, 3, "split"),
    (2022, 5, None, None, "new"), (2022, None, 2021, 4, "ended"),
    (2023, 1, 2022, 1, "carried_over"), (2023, 2, 2022, 2, "carried_over"),
    (2023, 3, 2022, 3, "carried_over"), (2023, 4, 2022, 4, "reworded"),
    (2023, 5, None, None, "new"), (2023, None, 2022, 5, "ended"),
]


def file_name(d: Department) -> str:
    return f"{d.key}.cid.pdf"


def lineage_truth(rel_dir: str) -> dict:
    """The expected lineage, goals named by file and goal number."""
    files = {d.fiscal_year: f"{rel_dir}/{file_name(d)}" for d in YEARS}
    rows = [{"fiscal_year": fy, "file": files[fy], "goal_no": no,
             "prev_fiscal_year": pfy, "prev_file": files.get(pfy) if pfy else None, "prev_goal_no": pno,
             "relation": rel}
            for fy, no, pfy, pno, rel in LINEAGE]
    return {"meta": {"department": DEPARTMENT, "municipality": None,
                     "files": [files[d.fiscal_year] for d in YEARS]},
            "goal_lineage": rows}


def make(samples: Path, truth_dir: Path, rel, log) -> None:  # type: ignore[no-untyped-def]
    """Render the three sheets, write their SCHEMA truth and ``truth/lineage.json``."""
    from samples.generate.render_pdf import draw_pages
    folder = samples / "lineage"
    folder.mkdir(parents=True, exist_ok=True)
    for d in YEARS:
        out = folder / file_name(d)
        placed = draw_pages(layout.department_pages(d), out, "cid", d.title)
        t = truth.build(rel(out), "pdf", "text_layer", [(d, 1, None)], truth.page_count(d))
        truth.write(t, truth_dir)
        check.check_placed(out, placed, t["meta"]["pages"])
        log(f"{rel(out)}: {t['meta']['pages']} pages, {out.stat().st_size // 1024} KiB")
    path = truth_dir / "lineage.json"
    path.write_text(json.dumps(lineage_truth(rel(folder)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"{rel(path)}: {len(LINEAGE)} expected goal_lineage rows")
