"""SCHEMA conventions: era years, NFKC for numbers and grades, joined lines, radical repair."""
from __future__ import annotations

import pytest

from plansheet.core.text import (
    clean_text, fiscal_year_disagreement, join_lines, parse_fiscal_year, repair_radicals, squeeze_spaced_japanese, to_halfwidth,
)


@pytest.mark.parametrize("text, year, label", [
    ("令和5年度 政策推進部の運営方針", 2023, "令和5年度"),
    ("令和元年度 市民部の運営方針", 2019, "令和元年度"),
    ("平成31年度", 2019, "平成31年度"),
    ("平成30年度 総務部", 2018, "平成30年度"),
    ("令和５年度", 2023, "令和5年度"),
    ("令和 4 年度", 2022, "令和4年度"),
    ("2023年度 総務部の運営方針", 2023, "2023年度"),
    ("R3年度", 2021, "R3年度"),
    ("令和5（2023）年度 総務部の運営方針", 2023, "令和5年度"),  # the Western year beside the era
    ("2023（令和5）年度 総務部の運営方針", 2023, "令和5年度"),
    ("２０１９（平成３１）年度", 2019, "平成31年度"),
    ("令和元(2019)年度", 2019, "令和元年度"),
    ("令和5年度（2023年度）", 2023, "令和5年度"),
    ("2023（令和5）年度 総務部の運営方針（令和6年5月公表）", 2023, "令和5年度"),  # the leftmost; a date is no year
    ("令和6年5月改訂 令和5年度 総務部", 2023, "令和5年度"),
])
def test_era_years_become_gregorian(text: str, year: int, label: str) -> None:
    assert parse_fiscal_year(text) == (year, label)


@pytest.mark.parametrize("text, disagreement", [
    ("令和5（2023）年度", None), ("2023（令和5）年度", None), ("令和5年度", None), ("2023年度", None),
    ("令和5（2024）年度", "令和5年度 is 2023, but 2024 is written beside it"),
    ("2022（令和5）年度", "令和5年度 is 2023, but 2022 is written beside it"),
    ("運営方針 令和5年度（2024年度）", "令和5年度 is 2023, but 2024 is written beside it"),
    ("2024年度（令和5年度）", "令和5年度 is 2023, but 2024 is written beside it"),
    ("令和5年度（2023年度）", None), ("2023年度（令和5年度）", None),
])
def test_a_western_year_beside_the_era_must_be_the_same_year(text: str, disagreement: str | None) -> None:
    assert fiscal_year_disagreement(text) == disagreement


def test_text_without_era_has_no_year() -> None:
    assert parse_fiscal_year("政策推進部の運営方針") is None


@pytest.mark.parametrize("raw, expected", [("（５）", "(5)"), ("Ａ", "A"), ("１００％", "100%")])
def test_halfwidth_for_numbers_and_grades(raw: str, expected: str) -> None:
    assert to_halfwidth(raw) == expected


def test_wrapped_japanese_lines_join_without_space() -> None:
    assert join_lines(["市内外に柏原市の取組や", "魅力発信に向けて"]) == "市内外に柏原市の取組や魅力発信に向けて"


def test_wrapped_latin_words_join_with_one_space() -> None:
    assert join_lines(["各種 SNS and", "LINE による発信"]) == "各種 SNS and LINE による発信"


def test_blank_lines_and_whitespace_runs() -> None:
    assert join_lines(["", "  公民連携の\t拡充 ", "   "]) == "公民連携の 拡充"
    assert clean_text("   ") is None
    assert clean_text(None) is None


@pytest.mark.parametrize("raw, expected", [("⽬標", "目標"), ("部⻑", "部長"), ("⾏財政", "行財政")])
def test_radical_code_points_are_repaired(raw: str, expected: str) -> None:
    assert repair_radicals(raw) == expected


def test_full_width_prose_is_kept() -> None:
    assert clean_text("（５件／年）") == "（５件／年）"


def test_spaced_out_japanese_is_squeezed() -> None:
    assert squeeze_spaced_japanese("政 策 推 進 部") == "政策推進部"


def test_letter_spaced_text_is_closed_up_but_names_keep_their_space() -> None:
    assert clean_text("政 策 推 進 部 の 運 営 方 針") == "政策推進部の運営方針"
    assert clean_text("市川 信行") == "市川 信行"
    assert clean_text("山口 伸和（総合政策監）") == "山口 伸和（総合政策監）"
    assert clean_text("各種 SNS などを活用し") == "各種 SNS などを活用し"


def test_a_number_wrapped_over_two_lines_stays_one_number() -> None:
    assert join_lines(["受診率は11", "5.3%でした"]) == "受診率は115.3%でした"
    assert join_lines(["Social", "Networking"]) == "Social Networking"
    # canonically equivalent spellings are one: a compatibility ideograph, a kana and its combining mark
    assert join_lines(["健康\uFA1B祉部の", "こ\u3099み減量"]) == "健康福祉部のごみ減量"
    # full-width letters wrap like kanji, anywhere: no word ends at the break
    assert join_lines(["審議会のＰＤＣ", "Ａサイクルによる"]) == "審議会のＰＤＣＡサイクルによる"
    assert join_lines(["ＤＸ", "ＩＣＴ"]) == "ＤＸＩＣＴ"
