"""The needs-OCR verdict on text layers."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber

from plansheet.readers.pdf.quality import QualityVerdict, assess_page

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
GOOD = "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整を所管しています。"


def chars_of(name: str) -> list[str]:
    with pdfplumber.open(FIXTURES / name) as pdf:
        return [c["text"] for c in pdf.pages[0].chars]


def test_fires_on_fonts_whose_tounicode_maps_were_stripped() -> None:
    verdict = assess_page(chars_of("no_tounicode.pdf"))
    assert not verdict.usable
    assert verdict.reason is not None and "no Unicode mapping" in verdict.reason


def test_silent_on_good_pdfs() -> None:
    assert assess_page(chars_of("grid_merged.pdf")) == QualityVerdict(True)
    assert assess_page(chars_of("no_rules.pdf")) == QualityVerdict(True)


def test_good_japanese_and_kangxi_radicals_are_usable() -> None:
    assert assess_page(list(GOOD)).usable
    assert assess_page(list("今年度の達成⽬標（⻑期）")).usable  # radicals are repaired, not OCRed


def test_blank_page_is_usable_but_an_image_only_page_is_not() -> None:
    assert assess_page([]).usable
    assert assess_page([" ", "\n"]).usable
    verdict = assess_page([], has_images=True)
    assert not verdict.usable and verdict.reason == "no text layer (the page holds only images)"


def test_private_use_and_replacement_characters() -> None:
    assert "private-use" in (assess_page(list(GOOD[:20] + "\ue000\ue001\ue002")).reason or "")
    assert "U+FFFD" in (assess_page(list(GOOD[:20] + "\ufffd\ufffd")).reason or "")


def test_a_stray_unmapped_glyph_is_tolerated() -> None:
    assert assess_page(list(GOOD * 3) + ["(cid:12)"]).usable


def test_latin1_mojibake_instead_of_japanese() -> None:
    mojibake = "政策推進部".encode("utf-8").decode("latin-1") * 4
    verdict = assess_page(list(mojibake))
    assert not verdict.usable and "mojibake" in (verdict.reason or "")
    assert assess_page(list("3×4 = 12、温度 20°C、" + GOOD)).usable


def test_pdfium_glyphs_without_unicode_maps_are_flagged_like_pdfminers() -> None:
    """PDFium returns the raw character code (U+0001 …) for such glyphs; the backend writes (cid:NNN)."""
    from plansheet.readers.pdf.pdfium import PdfiumDocument

    with PdfiumDocument(FIXTURES / "no_tounicode.pdf", None) as pdf:
        texts = [g.text for g in pdf.read(0).glyphs]
    assert "(cid:1)" in texts and not any(len(t) == 1 and ord(t) < 0x20 for t in texts)
    verdict = assess_page(texts)
    assert not verdict.usable and "no Unicode mapping ((cid:NNN))" in (verdict.reason or "")
    with PdfiumDocument(FIXTURES / "grid_merged.pdf", None) as pdf:
        assert assess_page(g.text for g in pdf.read(0).glyphs) == QualityVerdict(True)


def test_a_wrong_unicode_map_that_lands_on_other_scripts_needs_ocr() -> None:
    """A font whose ToUnicode map is wrong gives letters of scripts a Japanese sheet never prints
    (here the goal sheet of seed.reportlab.pdf with its kanji and kana mapped into Cyrillic)."""
    page = list("ЊҴӦҞӤҐӎЩ с҃һѭ҅ҴЗѶҘҞҳӚһѭҴс҃ѻЛқҸһһѭӂѷР҅ҋҮ҉。 ӤҐіЁ ӤҐӦ 2 ӌсҳӚҞѱҥ")
    verdict = assess_page(page)
    assert not verdict.usable and "foreign-script" in (verdict.reason or "")
    assert not assess_page(list("김민준이정책을추진합니다" * 3)).usable  # Hangul where Japanese should be


def shifted(text: str) -> str:
    """``text`` as a Unicode map one code point off writes it: every kanji its neighbour in the table."""
    return "".join(chr(ord(ch) + 1) if "一" <= ch <= "龥" else ch for ch in text)


def test_a_wrong_unicode_map_that_lands_on_other_kanji_needs_ocr() -> None:
    """Kanji that look like kanji but are not what a sheet writes (政策推進部 read 敀筗掩逳郩): the map is
    wrong, the page is OCRed. Place and personal names outside the 常用漢字 are not reason enough."""
    verdict = assess_page(list(shifted(GOOD * 2)))
    assert shifted("政策推進部") == "敀筗掩逳郩"
    assert not verdict.usable and "outside the 常用漢字" in (verdict.reason or "")
    names = "柏原市の市長 髙橋 﨑太郎、羽曳野市と箕面市の担当者が、捺染の技法を用いた手拭いを作成します。"
    assert assess_page(list(GOOD + names + GOOD)).usable
    shared = {unicodedata.normalize("NFKC", chr(cp)): chr(cp)  # ⽬ for 目, 福 for 福: the kanji they stand for
              for cp in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]}
    partly = GOOD * 3 + "".join(chr(ord(ch) + 1) for ch in "実行政策企画調整")  # one font of a few wrong
    assert not assess_page(list(partly)).usable and "no Japanese character set" in assess_page(list(partly)).reason
    plain = GOOD + "目標の見直しと長期的な福祉の充実、水道と土地、金融と食品の安全、高齢者の支援、走行と車両の点検を行います。"
    as_radicals = "".join(shared.get(ch, ch) for ch in plain)
    assert len(set(as_radicals) - set(plain)) >= 20 and assess_page(list(as_radicals)).usable


def test_a_few_letters_of_other_scripts_in_japanese_text_are_not_mojibake() -> None:
    page = list("ロシア語（Русский）の案内板を設置し、多言語対応を進めます。韓国語（한국어）も同様です。" * 2)
    assert assess_page(page).usable


def test_a_field_in_another_script_is_named_with_its_page() -> None:
    """Only the values' font has a wrong map: the page reads as Japanese, the field does not."""
    from plansheet.parsers.records import Goal, Initiative, Officer, ParsedDocument, Target
    from plansheet.parsers.validate import validate_document

    doc = ParsedDocument(department="政策推進部", fiscal_year=2023, basic_policy="市の政策をまとめます。",
                         officers=[Officer(position="部長", name="市川 信行")])
    goal = Goal(goal_no=2, title="公民連携の拡充", page=3,
                targets=[Target(target_no=1, text="ЗѶҘҞҳӚһѭқҒ҉һњҰѹӂѻЌ҇、"),
                         Target(target_no=2, text="ロシア語（Русский）の案内を増やします。")],
                initiatives=[Initiative(initiative_no=1, target_no=1, text="民間事業者と話し合います。")])
    doc.goals.append(goal)
    warnings = validate_document(doc, overview_numbers=[2])
    assert [w for w in warnings if "another script" in w] == [
        "goal 2 target 1 (page 3) text: written in letters of another script (ЗѶҘҞҳӚһѭқҒ҉һ…); "
        "a font whose Unicode map is wrong? check this field"]
