"""The contents of the generated sample sheets, as plain Python data.

Everything the renderers draw and everything the truth files state comes from here:
the truth is never read back from a rendering.

Texts are written exactly as they are printed. A ``\\n`` inside a text marks a
paragraph break that the renderers keep as a forced line break; the truth joins the
paragraphs with no separator (a line break between Japanese characters is joined
without a space, SCHEMA conventions).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass
class Officer:
    position: str          # the position cell: 部長, 監, 理事
    cell: str              # the name cell exactly as printed
    name: str
    title: str | None = None
    charge: str | None = None
    shared: bool = False   # printed in the cell of the officer before it (two people in one cell)
    label: str | None = None  # the label cell its row prints, when not the position (理事兼部長 for a 部長)


@dataclass
class Initiative:
    text: str
    section: str | None
    results: str | None = None


@dataclass
class Target:
    text: str
    status: str | None = None
    grade: str | None = None          # as printed (may be full-width, e.g. Ａ)
    initiatives: list[Initiative] = field(default_factory=list)
    # what a spreadsheet prints in the status or grade cell in place of a value that is not on the page
    # (### for a number too wide for its column, #DIV/0! for a formula's error); the truth is then None
    status_shown: str | None = None
    grade_shown: str | None = None


@dataclass
class Goal:
    no: str                           # as printed, e.g. "1" or "１"
    plan_goal_cell: str               # the 目標 cell as printed
    plan_goal_no: int | None
    plan_goal: str | None
    field: str | None
    title: str
    targets: list[Target]
    summary: str | None = None        # 総合評価・総括
    overall_grade: str | None = None  # 全体の達成度, as printed
    next_steps: str | None = None     # 今後検討すべきこと
    # initiative row index (0-based, counted per column) that starts a new printed page; for stacked
    # targets, the index of the target that starts it
    break_before: int | None = None
    stacked: bool = False  # its targets printed one under another across the sheet, not side by side
    # a sheet too wide for its paper: its side-by-side targets printed one a page across (1: the sheet fits), in
    # Excel's page order: down, then over (its default) or, with ``over_first``, over, then down
    across: int = 1
    over_first: bool = False
    # a row broken across pages (Writer's default for a table row; a tall row): (initiative row index whose block
    # holds it, which text row: "initiative" or "results", the lines its texts print on the first page); the
    # initiatives after that row stand on the next page (``break_before`` is that row's index + 1)
    split: tuple[int, str, int] | None = None

    @property
    def stacks_targets(self) -> bool:
        """Whether the sheet prints this goal's targets one under another (it has several, stacked)."""
        return self.stacked and len(self.targets) > 1


@dataclass
class Grade:
    grade: str
    label: str
    description: str
    pct: str                          # as printed inside the parenthesis
    min_pct: int | None
    max_pct: int | None

    @property
    def line(self) -> str:
        return f"{self.grade}：{self.label}（{self.description}{self.pct}）"


@dataclass
class Department:
    key: str
    era_label: str                    # 令和5年度
    fiscal_year: int                  # 2023
    department: str
    officers: list[Officer]           # the first is the 部長
    basic_policy: str                 # paragraphs separated by "\n"
    goals: list[Goal]
    grade_scale: list[Grade]
    policy_heading: str = "【基本方針】"
    goals_heading: str = "【重点目標】"
    goal_word: str = "重点目標"
    legend_heading: str = "【達成度について】"
    # the city, when the sheet's title names it (the seed's title names none: 柏原市 is only in its prose)
    municipality: str | None = None
    title_format: str = "{era} {department}の運営方針"  # how other years and cities word the title
    title_year: str | None = None  # the year as the title writes it (令和5（2023）年度), when not era_label

    @property
    def title(self) -> str:
        return self.title_format.format(era=self.title_year or self.era_label, department=self.department)

    @property
    def director(self) -> str | None:
        for o in self.officers:
            if o.position == "部長":
                return o.name
        return None

    @property
    def stage(self) -> str:
        for g in self.goals:
            if g.summary or g.overall_grade or g.next_steps:
                return "result"
            for t in g.targets:
                if t.status or t.grade:
                    return "result"
                if any(i.results for i in t.initiatives):
                    return "result"
        return "plan"


def nfkc(s: str | None) -> str | None:
    return None if s is None else unicodedata.normalize("NFKC", s)


LEGEND_STANDARD = [
    Grade("A", "達成", "目標を達成することができた。", "100%", 100, 100),
    Grade("B", "概ね達成", "概ね目標どおり達成することができた。", "70%以上100%未満", 70, 100),
    Grade("C", "一部達成", "目標の一部を達成できた。", "50%以上70%未満", 50, 70),
    Grade("D", "未達成", "目標達成に向け取り組んだが、目標達成に至らなかった。", "50%未満", None, 50),
    Grade("E", "未実施", "事業の取りやめなどにより評価不能又は困難。", "0%", 0, 0),
]

# the older (令和元年度) legend used other bands
LEGEND_REIWA1 = [
    Grade("A", "達成", "目標を達成した。", "100%", 100, 100),
    Grade("B", "概ね達成", "目標をおおむね達成した。", "80%以上100%未満", 80, 100),
    Grade("C", "一部達成", "目標の一部を達成した。", "50%以上80%未満", 50, 80),
    Grade("D", "未達成", "取り組んだが目標の達成には至らなかった。", "50%未満", None, 50),
    Grade("E", "未実施", "事業の中止などにより評価できない。", "0%", 0, 0),
]

PG5 = "(5) みんなでつくる暮らし続けられるまち"
PG1 = "(1) 安全で安心して健やかに暮らせるまち"

# ---------------------------------------------------------------------------
# seed: 令和5年度 政策推進部 (a faithful transcription of samples/000_b2610523df0a2988.txt)
# ---------------------------------------------------------------------------
SEED = Department(
    key="seed",
    era_label="令和5年度",
    fiscal_year=2023,
    department="政策推進部",
    officers=[
        Officer("部長", "市川 信行", "市川 信行"),
        Officer("監", "山口 伸和（総合政策監）", "山口 伸和", "総合政策監"),
        Officer("監", "小林 聡（危機管理監）", "小林 聡", "危機管理監"),
    ],
    basic_policy=(
        "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整、市民への情報発信と広聴、職員の人事管理に加えて、防災対策などを所管しています。\n"
        "今年度は、まちの将来像の実現や少子高齢化、人口減少といった課題に対して、にぎわいと活力ある市であり続けるための取組や公民連携による民間活力の活用、市内外に向けた積極的な情報発信を行うとともに、それらを担う職員の能力向上に向けた取組を進めます。\n"
        "また、防災対策について、近隣諸国の情勢を踏まえ、国民保護措置が円滑に実施できるよう「柏原市国民保護計画」の改訂を行うとともに、災害等に備えた災害協力協定の締結や地域防災の要となる消防団の充実強化に向けた資機材を充実や消防団活動を担う人材確保に向けた取組を進めます。"
    ),
    goals=[
        Goal("1", PG5, 5, "みんなでつくる暮らし続けられるまち", "市政運営",
             "シティプロモーションの強化のため広報かしわらや柏原市ウェブサイト、各種SNSなどを活用し、柏原市の魅力を市内外に発信",
             [
                 Target("市内外に柏原市の取組や魅力発信に向けて、広報かしわらや市ウェブサイト、各種SNSの発信力を強化します。",
                        initiatives=[Initiative("昨年度再開した柏原市公式LINEによる情報発信力を強化するため、関係部局との連携を今までよりさらに密にすることで、市政情報の種類や発信する頻度を増加させ、内容の充実を図ります。", "秘書広報課")]),
                 Target("染色業を積極的に市内外に向けてPRを行い、シティプロモーションと伝統産業の活性化を図ります。",
                        initiatives=[Initiative("柏原市の伝統産業である染色業で用いられている注染と捺染の技法を用いて手拭いを作成し、各種行事参加者への配布と2025年大阪・関西万博に向けた国際会議で記念グッズとして配布することにより、世界に向けて柏原市をPRしていきます。", "秘書広報課")]),
             ]),
        Goal("2", PG5, 5, "みんなでつくる暮らし続けられるまち", "行財政運営", "公民連携の拡充",
             [
                 Target("民間事業者や大学との連携事業や民間活力による事業を増加させます。",
                        initiatives=[
                            Initiative("民間事業者との事業構築に向けた話し合いを持ちます。", "企画調整課"),
                            Initiative("大学との連携事業に関する会議等を開催し、事業構築に繋がります。", "企画調整課"),
                        ]),
             ]),
        Goal("3", PG5, 5, "みんなでつくる暮らし続けられるまち", "行財政運営", "職員の能力向上",
             [
                 Target("質の高い市民サービスを提供できるよう、職員一人ひとりの能力向上を図る研修を引き続き実施します。",
                        initiatives=[Initiative("経験年数に応じた法律研修を実施し、法律に関する知識の習得とコンプライアンス意識の更なる向上を目指します。", "人事課")]),
             ]),
        Goal("4", PG1, 1, "安全で安心して健やかに暮らせるまち", "防災", "国民保護計画の改訂",
             [
                 Target("武力攻撃事態など有事の際に、市が行うべき国民保護措置が円滑に実施できるよう国民保護計画の改訂を行い、災害対応力の向上を図ります。",
                        initiatives=[Initiative("国が定める国民の保護に関する基本方針に基づき、国民保護計画の改訂を行うとともに、想定される不測の事態に対して、具体的な避難の実施手順を作成します。", "危機管理課")]),
             ]),
        Goal("5", PG1, 1, "安全で安心して健やかに暮らせるまち", "防災", "消防団を中核とした地域防災力の充実強化",
             [
                 Target("火災や大規模災害を想定した訓練の実施や、資機材・装備品を充実させることで、消防団の災害対応力を強化し、重点目標である「安全で安心して健やかに暮らせるまち」を目指します。",
                        initiatives=[Initiative("小型動力ポンプ搬送車の更新及び消防用ホースなど資機材の更新を行うことで、災害即応体制を維持するとともに、夏期期間中は消防ポンプ自動車を用いた消防操法訓練に集中して取り組み、消火技術の向上を図ります。", "危機管理課")]),
                 Target("消防団と地域が連携した取組を進めることにより、地域防災力全体の向上を図ります。",
                        initiatives=[Initiative("地域の自主防災訓練に参加し、応急手当や消火器の取扱いなど災害対応技術の指導を行うほか、春期、秋期、年末には、各地域へ巡回広報により火災予防に係る啓発を行い、地域との連携を強化します。", "危機管理課")]),
             ]),
        Goal("6", PG1, 1, "安全で安心して健やかに暮らせるまち", "防災", "民間事業者等との災害応援体制の構築",
             [
                 Target("関係団体との間で災害応援体制を構築することにより、市が被災した場合においても迅速かつ円滑に復旧できるよう、その準備を進めます。",
                        initiatives=[Initiative("民間事業者や他自治体との間で災害応援協定を締結することにより、平時から応援体制の構築を進めます。(5件/年)", "危機管理課")]),
             ]),
    ],
    grade_scale=LEGEND_STANDARD,
)

# ---------------------------------------------------------------------------
# result: 令和4年度 健康福祉部, result stage (every result cell filled, one grade Ａ)
# ---------------------------------------------------------------------------
RESULT = Department(
    key="result",
    era_label="令和4年度",
    fiscal_year=2022,
    department="健康福祉部",
    officers=[
        Officer("部長", "森本 恵子", "森本 恵子"),
        Officer("理事", "田村 和彦", "田村 和彦"),
    ],
    basic_policy=(
        "健康福祉部は、地域福祉、高齢者福祉、障害者福祉、生活困窮者への支援に加えて、市民の健康づくりや保健事業、国民健康保険、介護保険などを所管しています。\n"
        "今年度は、新型コロナウイルス感染症の影響が長期化する中で、ワクチン接種体制を確保するとともに、高齢者や障害のある人が住み慣れた地域で安心して暮らし続けられるよう、医療、介護、予防、住まい、生活支援が一体的に提供される地域包括ケアシステムの深化に取り組みます。\n"
        "また、特定健康診査やがん検診の受診率向上に向けた取組を進め、市民一人ひとりが主体的に健康づくりに取り組めるよう支援するとともに、複雑化・複合化した課題を抱える世帯に対して、関係機関と連携した重層的な支援体制の整備を進めます。"
    ),
    goals=[
        Goal("1", PG1, 1, "安全で安心して健やかに暮らせるまち", "健康・医療",
             "特定健康診査及びがん検診の受診率向上による市民の健康寿命の延伸",
             [
                 Target("特定健康診査の受診率を前年度から3ポイント引き上げ、生活習慣病の早期発見と重症化予防につなげます。",
                        status="未受診者への個別勧奨通知を年2回送付し、休日健診の回数を増やしたことにより、特定健康診査の受診率は前年度から3.4ポイント上昇し、目標を達成しました。",
                        grade="Ａ",
                        initiatives=[Initiative("過去の受診履歴や年齢層に応じて内容を変えた受診勧奨通知を送付するとともに、休日に受診できる集団健診の実施日を拡充し、働く世代が受診しやすい環境を整えます。",
                                                "健康づくり課",
                                                "受診勧奨通知を延べ8,214通送付し、休日集団健診を年6回（前年度比2回増）実施しました。休日健診の受診者のうち約4割が40歳代及び50歳代でした。")]),
                 Target("がん検診の受診者数を増やし、がんの早期発見と早期治療を促進します。",
                        status="乳がん検診及び子宮頸がん検診の受診者は増加しましたが、胃がん検診は定員に達せず、受診者数は目標の約8割にとどまりました。",
                        grade="B",
                        initiatives=[Initiative("特定健康診査とがん検診を同じ日に受診できるセット健診を実施し、子育て世代向けに託児付きの検診日を設けることで、受診の機会を広げます。",
                                                "健康づくり課",
                                                "セット健診を年4回実施し、延べ612人が受診しました。託児付き検診日は2回設け、31人の利用がありました。")]),
             ],
             summary="個別勧奨と休日健診の拡充により特定健康診査の受診率は目標を上回りました。がん検診についても受診者数は増加しましたが、胃がん検診の受診者数が伸び悩んだことから、引き続き受診しやすい環境づくりが必要です。",
             overall_grade="A",
             next_steps="胃がん検診について、内視鏡検査を選択できる医療機関を増やすなど受診方法の見直しを検討するとともに、若い世代に向けてSNSを活用した啓発を強化します。"),
        Goal("2", "(2) 誰もが住み慣れた地域で支え合うまち", 2, "誰もが住み慣れた地域で支え合うまち", "高齢者福祉",
             "地域包括ケアシステムの深化と介護予防の推進",
             [
                 Target("住民主体の通いの場を市内全域に広げ、高齢者の介護予防と社会参加を促進するとともに、在宅医療と介護の連携体制を強化します。",
                        status="通いの場は新たに5か所開設されましたが、感染症の影響で活動を休止した団体もあり、参加者数は目標の約6割にとどまりました。在宅医療・介護連携の研修会は予定どおり開催しました。",
                        grade="C",
                        initiatives=[
                            Initiative("地域の集会所等で住民が主体となって運営する体操教室の立ち上げを支援し、リハビリテーション専門職を派遣して運動指導を行います。",
                                       "高齢介護課",
                                       "新たに5団体の立ち上げを支援し、専門職を延べ48回派遣しました。一方で、3団体が感染症の影響で活動を休止しました。"),
                            Initiative("医師、歯科医師、薬剤師、ケアマネジャーなど多職種が参加する研修会を開催し、入退院時の情報共有の手順を統一します。",
                                       "地域包括支援センター",
                                       "多職種研修会を3回開催し、延べ156人が参加しました。入退院時の情報共有シートを作成し、市内の医療機関と居宅介護支援事業所に配布しました。"),
                        ]),
             ],
             summary="在宅医療と介護の連携については研修会の開催と情報共有シートの作成により一定の成果がありましたが、通いの場への参加者数は感染症の影響を大きく受け、目標を下回りました。",
             overall_grade="C",
             next_steps="活動を休止した団体の再開に向けて個別に支援するとともに、オンラインで参加できる体操教室など、感染症の状況に左右されない介護予防の方法を検討します。"),
        Goal("3", "(2) 誰もが住み慣れた地域で支え合うまち", 2, "誰もが住み慣れた地域で支え合うまち", "地域福祉",
             "重層的支援体制整備事業の実施に向けた準備",
             [
                 Target("複雑化・複合化した課題を抱える世帯を包括的に支援するため、庁内の相談窓口の連携体制を構築し、重層的支援体制整備事業への移行準備を行います。",
                        status="国の補助制度の見直しを受けて、移行時期を次年度以降に変更したため、今年度は移行準備に着手できませんでした。",
                        grade="E",
                        initiatives=[Initiative("福祉、子育て、生活困窮などの各相談窓口の担当者による連絡会議を設置し、支援が必要な世帯の情報を共有する仕組みを構築します。",
                                                "福祉総務課",
                                                "制度の見直しに伴い、連絡会議の設置を見送りました。関係課による勉強会を1回開催しました。")]),
             ],
             summary="国の制度改正の動向を踏まえて事業の実施時期を見直したため、今年度は計画していた取組を実施することができませんでした。",
             overall_grade="E",
             next_steps="国の制度の動向を注視しつつ、先行して実施している自治体の事例を調査し、本市の実情に合った支援体制のあり方を検討します。"),
        Goal("4", PG1, 1, "安全で安心して健やかに暮らせるまち", "健康・医療",
             "新型コロナウイルスワクチン接種体制の確保",
             [
                 Target("希望する市民が速やかにワクチン接種を受けられるよう、集団接種と個別接種を組み合わせた接種体制を確保し、接種率の向上を図ります。",
                        status="集団接種会場の運営は円滑に行うことができましたが、若い世代の接種率が伸びず、市全体の追加接種率は目標とした60%に届きませんでした。",
                        grade="D",
                        initiatives=[Initiative("市内の医療機関と連携して個別接種の実施医療機関を確保するとともに、土曜日と日曜日に集団接種会場を開設し、予約の取りにくい世代の接種機会を確保します。",
                                                "新型コロナウイルスワクチン接種推進室",
                                                "個別接種実施医療機関は42か所を確保し、集団接種会場を延べ36日開設しました。追加接種率は52.8%でした。")]),
             ],
             summary="接種体制は計画どおり確保できましたが、追加接種率は目標を下回りました。特に20歳代及び30歳代の接種率が低い状況です。",
             overall_grade="D",
             next_steps="若い世代に向けて、職場や大学と連携した接種機会の確保や、予約なしで接種できる日の設定を検討します。"),
    ],
    grade_scale=LEGEND_STANDARD,
)

# ---------------------------------------------------------------------------
# reiwa1: 令和元年度 経営企画部, older wording (【基本姿勢】, 【重点課題】, 重点課題 1)
# ---------------------------------------------------------------------------
REIWA1 = Department(
    key="reiwa1",
    era_label="令和元年度",
    fiscal_year=2019,
    department="経営企画部",
    officers=[
        Officer("部長", "西田 修", "西田 修"),
        Officer("監", "総合政策監 山口 智弘(行財政健全化担当)", "山口 智弘", "総合政策監", "行財政健全化担当"),
        Officer("監", "危機管理監 岡田 浩二(防災担当)", "岡田 浩二", "危機管理監", "防災担当"),
        Officer("理事", "松井 隆", "松井 隆"),
    ],
    basic_policy=(
        "経営企画部は、市の総合計画の進行管理、行財政改革の推進、公共施設の総合的な管理、情報化の推進などを所管し、市政全体の経営の視点から各部局の取組を支えています。\n"
        "本年度は、第4次総合計画の後期基本計画に基づく施策の着実な推進を図るとともに、厳しい財政状況を踏まえ、行財政改革プランに掲げた取組を確実に実行し、持続可能な行財政運営の基盤を固めます。"
    ),
    goals=[
        Goal("1", "(6) 健全な行財政運営によるまち", 6, "健全な行財政運営によるまち", "行財政改革",
             "行財政改革プランの着実な推進",
             [
                 Target("行財政改革プランに掲げた42項目の取組について、年度ごとの工程表に基づき進捗を管理し、計画期間内の財政効果額の確保を図ります。",
                        status="42項目のうち36項目を工程表どおり実施し、財政効果額は計画額の約9割となりました。",
                        grade="B",
                        initiatives=[Initiative("各項目の担当課に対して四半期ごとにヒアリングを行い、進捗が遅れている項目については行財政改革推進本部会議で対応策を協議します。",
                                                "行財政改革課",
                                                "四半期ごとのヒアリングを計4回実施し、進捗の遅れていた6項目について推進本部会議で対応策を決定しました。")]),
             ],
             summary="工程表に基づく進捗管理を徹底したことにより、多くの項目で計画どおりの成果を上げることができましたが、使用料の見直しなど一部の項目で実施時期が遅れました。",
             overall_grade="B",
             next_steps="実施時期が遅れた項目について、関係団体との協議を早期に開始し、次年度中の実施を目指します。"),
        Goal("2", "(6) 健全な行財政運営によるまち", 6, "健全な行財政運営によるまち", "公共施設",
             "公共施設等総合管理計画に基づく施設の再編",
             [
                 Target("公共施設の老朽化の状況と利用実態を把握し、施設ごとの個別施設計画を策定します。",
                        status="対象とした全ての施設について個別施設計画を策定し、公表しました。",
                        grade="A",
                        initiatives=[
                            Initiative("建築職員による劣化状況調査を実施し、施設ごとの修繕の優先順位を整理します。", "資産活用課",
                                       "延べ87施設の劣化状況調査を実施し、修繕の優先順位表を作成しました。"),
                            Initiative("施設の利用状況や運営コストを施設カルテとしてまとめ、市民説明会で公表します。", "資産活用課",
                                       "施設カルテを作成し、市内3か所で市民説明会を開催しました。"),
                        ]),
             ],
             summary="計画どおり全ての施設について個別施設計画を策定することができ、今後の施設再編の基礎となる情報を整理することができました。",
             overall_grade="A",
             next_steps="個別施設計画に基づき、統合や複合化の対象となる施設について、地域住民との意見交換を進めます。"),
        Goal("3", "(1) 安全で安心して暮らせるまち", 1, "安全で安心して暮らせるまち", "情報化",
             "行政手続のオンライン化の推進",
             [
                 Target("市民の利便性の向上と業務の効率化を図るため、申請件数の多い行政手続から順にオンラインで申請できるようにします。",
                        status="電子申請システムの導入は完了しましたが、オンライン化できた手続は目標の20件に対して9件にとどまりました。",
                        grade="C",
                        initiatives=[Initiative("全庁の行政手続の件数と根拠法令を調査し、オンライン化の対象とする手続の優先順位を決定します。",
                                                "情報政策課",
                                                "全庁調査により312件の手続を把握し、優先度の高い20件を選定しました。このうち9件のオンライン化を完了しました。")]),
             ],
             summary="電子申請の基盤は整いましたが、押印の見直しに関する規則改正が遅れたため、オンライン化できた手続が目標を下回りました。",
             overall_grade="C",
             next_steps="押印を求める規則を一括して見直し、残る11件の手続についても早期にオンライン化を進めます。"),
    ],
    grade_scale=LEGEND_REIWA1,
    policy_heading="【基本姿勢】",
    goals_heading="【重点課題】",
    goal_word="重点課題",
)

# ---------------------------------------------------------------------------
# sidebyside: 令和6年度 市民生活部, two targets side by side, full-width numbers
# ---------------------------------------------------------------------------
PG3_CELL = "（３）　すこやかに暮らし、互いに支え合うまち"
PG5_FW = "（５）　みんなでつくる暮らし続けられるまち"
SIDEBYSIDE = Department(
    key="sidebyside",
    era_label="令和6年度",
    fiscal_year=2024,
    department="市民生活部",
    officers=[Officer("部長", "北村 真一", "北村 真一")],
    basic_policy=(
        "市民生活部は、市民協働、人権施策、男女共同参画、消費生活相談、ごみの減量と資源化、戸籍や住民票などの窓口業務を所管し、市民の暮らしに最も身近な部として、日々の生活を支える行政サービスを提供しています。\n"
        "今年度は、地域の担い手不足が進む中で、自治会やNPOなど多様な主体が連携して地域課題の解決に取り組めるよう支援するとともに、誰もが互いの人権を尊重し、個性と能力を発揮できる社会の実現に向けた啓発を進めます。また、窓口手続のデジタル化を進め、待ち時間の短縮と利便性の向上を図ります。"
    ),
    goals=[
        Goal("１", PG5_FW, 5, "みんなでつくる暮らし続けられるまち", "市民協働",
             "自治会活動の活性化と多様な主体による協働の推進",
             [
                 Target("自治会の運営に関する負担を軽減し、役員の担い手を確保できるよう、自治会活動のデジタル化と運営支援を進めます。",
                        initiatives=[
                            Initiative("自治会向けに回覧板や会議の連絡をスマートフォンで行えるアプリの導入を支援し、操作方法の講習会を各地区で開催します。", "市民協働課"),
                            Initiative("自治会の役員を対象に、会計処理や規約の見直しなど運営上の悩みに専門の相談員が応じる相談会を開催します。", "市民協働課"),
                        ]),
                 Target("NPOや事業者、大学など多様な主体が地域課題の解決に向けて連携できるよう、協働のきっかけとなる場を設けます。",
                        initiatives=[
                            Initiative("市民活動団体と事業者が互いの活動を紹介し合う交流会を年2回開催し、協働事業の立ち上げを支援します。", "市民協働課"),
                            Initiative("地域課題の解決に取り組む団体に対して、事業費の一部を補助する市民提案型協働事業を実施します。", "市民協働課"),
                        ]),
             ]),
        Goal("２", PG3_CELL, 3, "すこやかに暮らし、互いに支え合うまち", "人権・男女共同参画",
             "人権尊重のまちづくりと男女共同参画社会の実現",
             [
                 Target("インターネット上の人権侵害やハラスメントなど、新たな人権課題について市民の理解を深めるため、啓発活動を充実させます。",
                        initiatives=[
                            Initiative("インターネット上の誹謗中傷や差別的な書き込みの問題をテーマとした人権講演会を開催し、相談窓口の周知を図ります。", "人権推進課"),
                            Initiative("市内の中学校と連携し、情報モラルと人権をテーマとした出前講座を実施します。", "人権推進課"),
                            Initiative("人権擁護委員と協力して街頭啓発を行うとともに、人権に関する作品を募集し、優秀作品を市の施設で展示します。", "人権推進課"),
                        ]),
                 Target("審議会等における女性委員の割合を高め、政策や方針の決定過程への女性の参画を促進します。",
                        initiatives=[
                            Initiative("審議会等の委員を改選する際に、所管課に対して女性委員の登用について事前の協議を求める仕組みを導入します。", "人権推進課"),
                            Initiative("地域で活躍する女性を講師に招いたリーダー養成講座を開催し、審議会等の委員候補となる人材の育成を図ります。", "人権推進課"),
                        ]),
             ],
             break_before=2),
        Goal("３", PG3_CELL, 3, "すこやかに暮らし、互いに支え合うまち", "消費生活",
             "消費者被害の未然防止と相談体制の充実",
             [
                 Target("高齢者を狙った特殊詐欺や悪質商法による被害を防ぐため、地域の見守り活動と連携した啓発を進めます。",
                        initiatives=[
                            Initiative("民生委員や地域包括支援センターの職員を対象に、最新の消費者被害の手口と対処方法を学ぶ研修会を開催します。", "市民相談課"),
                            Initiative("大学のゼミと連携し、学生が制作した啓発動画を市ウェブサイトやSNSで配信するとともに、高齢者向けの出前講座で活用します。", "市民相談課"),
                        ]),
                 Target("消費生活相談員の専門性を高め、複雑化する相談に迅速かつ的確に対応できる体制を整えます。",
                        initiatives=[
                            Initiative("国民生活センターが実施する専門研修に相談員を計画的に派遣し、相談対応の質の向上を図ります。", "市民相談課"),
                            Initiative("弁護士による相談員向けの事例検討会を定期的に開催し、解決が難しい事案への対応力を高めます。", "市民相談課"),
                        ]),
             ]),
        Goal("４", PG5_FW, 5, "みんなでつくる暮らし続けられるまち", "窓口サービス",
             "窓口手続のデジタル化による市民サービスの向上",
             [
                 Target("書かない窓口を導入し、転入や転出などの手続に要する時間を短縮するとともに、マイナンバーカードを活用したオンライン手続を拡充します。",
                        initiatives=[
                            Initiative("職員が聞き取った内容から申請書を作成するシステムを市民課の窓口に導入し、複数の手続をまとめて受け付けます。", "市民課"),
                            Initiative("マイナンバーカードを利用したコンビニ交付の利用方法を窓口や広報で案内し、証明書のコンビニ交付率の向上を図ります。", "市民課"),
                        ]),
             ]),
    ],
    grade_scale=LEGEND_STANDARD,
)

# ---------------------------------------------------------------------------
# toshi: 令和4年度 都市整備部, result stage, only used in the compiled volume
# ---------------------------------------------------------------------------
TOSHI = Department(
    key="toshi",
    era_label="令和4年度",
    fiscal_year=2022,
    department="都市整備部",
    officers=[
        Officer("部長", "坂口 弘樹", "坂口 弘樹"),
        Officer("監", "藤井 誠（都市政策監）", "藤井 誠", "都市政策監"),
    ],
    basic_policy=(
        "都市整備部は、都市計画、道路や橋りょうの整備と維持管理、公園の管理、市営住宅の管理、空き家対策などを所管しています。\n"
        "今年度は、高度経済成長期に整備した道路や橋りょうの老朽化に対応するため、計画的な点検と修繕を進めるとともに、駅周辺のにぎわいの創出に向けたまちづくりの検討を進めます。また、管理が不十分な空き家の所有者に対する助言や指導を強化し、良好な住環境の保全を図ります。"
    ),
    goals=[
        Goal("1", PG1, 1, "安全で安心して健やかに暮らせるまち", "道路・橋りょう",
             "橋りょう長寿命化修繕計画に基づく計画的な修繕",
             [
                 Target("橋りょう長寿命化修繕計画に基づき、緊急度の高い橋りょうから順に修繕工事を実施し、通行の安全を確保します。",
                        status="計画していた6橋のうち5橋の修繕工事が完了しました。残る1橋は河川管理者との協議に時間を要したため、次年度に繰り越しました。",
                        grade="B",
                        initiatives=[Initiative("5年に1度の定期点検の結果を踏まえて修繕の優先順位を見直し、国の交付金を活用して修繕工事を発注します。",
                                                "道路課",
                                                "定期点検を24橋で実施し、修繕工事5件を発注して完了しました。")]),
             ],
             summary="河川管理者との協議に時間を要した1橋を除き、計画どおり修繕工事を完了することができました。",
             overall_grade="B",
             next_steps="河川に架かる橋りょうについては、設計の段階から河川管理者と協議を行い、工期の遅れを防ぎます。"),
        Goal("2", "(4) 魅力と活力にあふれるまち", 4, "魅力と活力にあふれるまち", "都市計画",
             "駅周辺のにぎわい創出に向けたまちづくりの検討",
             [
                 Target("駅周辺の土地利用の現状と課題を整理し、地元住民や事業者とともにまちづくりの方向性を取りまとめます。",
                        status="まちづくり協議会を4回開催し、駅周辺のまちづくりの方向性を取りまとめました。",
                        grade="A",
                        initiatives=[
                            Initiative("地元住民、商業者、鉄道事業者などで構成するまちづくり協議会を設置し、ワークショップ形式で意見を集約します。", "都市計画課",
                                       "協議会を4回、ワークショップを2回開催し、延べ128人が参加しました。"),
                            Initiative("駅の乗降客数や周辺の土地利用の状況を調査し、協議会の資料として提供します。", "都市計画課",
                                       "乗降客数の推移と周辺の土地利用の現況を調査し、報告書にまとめました。"),
                        ]),
             ],
             summary="住民や事業者の参加を得て、駅周辺のまちづくりの方向性を予定どおり取りまとめることができました。",
             overall_grade="A",
             next_steps="取りまとめた方向性に基づき、駅前広場の再整備に向けた基本計画の策定に着手します。"),
        Goal("3", PG1, 1, "安全で安心して健やかに暮らせるまち", "住環境",
             "管理不全の空き家への対策の強化",
             [
                 Target("管理が不十分な空き家の所有者に対して助言や指導を行い、周辺の住環境への悪影響を解消します。",
                        status="助言や指導を行った42件のうち17件で改善が見られましたが、所有者が判明しない空き家への対応が進みませんでした。",
                        grade="D",
                        initiatives=[Initiative("市民からの相談を受けた空き家の現地調査を行い、所有者を特定したうえで、文書による助言や指導を行います。",
                                                "住宅政策課",
                                                "現地調査を58件実施し、所有者が判明した42件に助言や指導の文書を送付しました。")]),
             ],
             summary="所有者が判明した空き家については一定の改善が見られましたが、所有者が不明な空き家への対応が課題として残りました。",
             overall_grade="D",
             next_steps="所有者が不明な空き家について、財産管理制度の活用を検討するとともに、司法書士会と連携した相談体制を整えます。"),
    ],
    grade_scale=LEGEND_STANDARD,
)

DEPARTMENTS = {d.key: d for d in (SEED, RESULT, REIWA1, SIDEBYSIDE, TOSHI)}

# the compiled volume: cover + these departments in this order
VOLUME_MUNICIPALITY = "柏原市"
VOLUME = [RESULT, TOSHI, REIWA1]
VOLUME_COVER = ["部の運営方針", "令和元年度・令和4年度", "柏原市"]
