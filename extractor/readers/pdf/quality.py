"""Is a page's text layer usable, or does the page need OCR? (cf. OCRmyPDF ``is_ocr_required``)

:func:`assess_page` looks only at the characters of the text layer (and whether the page
holds images) and returns a verdict with the reason, so the caller can log and record it.
A text layer is unusable when it is missing on a page that is not blank, or when too many
of its glyphs carry no real Unicode: ``(cid:NNN)`` placeholders (fonts without a ToUnicode
map; pdfminer writes them so, and the PDFium backend writes a glyph with
``FPDFText_HasUnicodeMapError`` or code point 0 so too), private-use code points, U+FFFD, or control and Latin-1 characters where Japanese
text should be (mojibake such as ``ã\\x81\\x82``), or letters of scripts a Japanese sheet never
prints (``ҴӦҞӤ``: a font whose Unicode map is wrong), or kanji that look like kanji but are not the
ones municipal writing uses (``敀筗掩逳部`` for 政策推進部: a Unicode map that points each glyph at the
wrong code point; a sheet keeps to the 常用漢字, names and places aside). Kangxi radical code points
(``⽬``) are not a reason to OCR: :func:`plansheet.core.text.clean_text` repairs them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable

import regex

from plansheet.core.kanji import JOYO_KANJI, NOT_KANJI
from plansheet.core.text import FOREIGN_LETTERS, repair_radicals

log = logging.getLogger(__name__)

_CID = regex.compile(r"^\(cid:\d+\)$")
_HAN = regex.compile(r"\p{Han}")
# a page whose kanji are this often outside the 常用漢字, in at least this many different kanji, has a wrong
# Unicode map: the samples' pages stay under 6 % in at most 3 kinds (柏 of 柏原市, 捺 of 捺染), a mis-mapped
# font gives 39–53 % in dozens of kinds
_RARE_KANJI_SHARE = 0.15
_RARE_KANJI_KINDS = 8
# kanji Shift_JIS (JIS X 0208 with Windows' extensions, what Japanese offices wrote for decades) lacks: none on
# any sample page; a font's map wrong for part of its glyphs gives 5 to 60 kinds on a page (it misses the share)
_FOREIGN_KANJI_KINDS = 4
_PRIVATE_USE = regex.compile(r"\p{Co}")
_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f\uff00-\uffef]")
# Control characters, Latin-1 letters and letters of scripts a Japanese sheet never prints: the
# debris of a wrong or missing font encoding. × and ÷ are legitimate in sheets.
_MOJIBAKE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00a1-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
                          + FOREIGN_LETTERS + "]")


@dataclass(frozen=True, slots=True)
class QualityVerdict:
    """Whether a page's text layer can be used; ``reason`` says why not."""

    usable: bool
    reason: str | None = None


def assess_page(
    chars: Iterable[str], *, has_images: bool = False, max_bad_share: float = 0.02, hidden_layer: bool = False
) -> QualityVerdict:
    """Judge a page's text layer from its characters (one string per glyph).

    ``has_images`` tells a scanned page (images, no text) from a blank one. A page is
    unusable when more than ``max_bad_share`` of its glyphs have no Unicode mapping
    (``(cid:NNN)``, private use, U+FFFD), or when mojibake outweighs the Japanese text; and
    when its text was an invisible layer over a picture of the page (``hidden_layer``, left out of
    ``chars``: another program's OCR), which is read as the scan it is.
    """
    if hidden_layer and has_images:
        return QualityVerdict(False, "its text is drawn invisible over a picture of the page (another program's "
                                     "OCR layer): the page is read as the scan it is")
    texts = chars if isinstance(chars, list) else list(chars)
    joined = "".join(texts)
    if len(joined) == len(texts) and "" not in texts:  # one character a glyph (the usual page): no (cid:NNN)
        text = "".join(joined.split())  # the glyphs that are not blank, as ``c.strip()`` tells them
        total = len(text)
        if not total:
            return _blank(has_images)
        limit = max_bad_share * total
    else:
        glyphs = [c for c in texts if c.strip()]
        if not glyphs:
            return _blank(has_images)
        total = len(glyphs)
        limit = max_bad_share * total
        cids = [c for c in glyphs if len(c) > 1 and _CID.match(c)]  # a mapped glyph is one character
        unmapped = len(cids)
        if unmapped > limit:
            return QualityVerdict(False, f"{unmapped} of {total} glyphs have no Unicode mapping ((cid:NNN))")
        text = "".join(glyphs) if not cids else "".join(c for c in glyphs if not _CID.match(c))
    private = len(_PRIVATE_USE.findall(text))
    if private > limit:
        return QualityVerdict(False, f"{private} of {total} glyphs are private-use code points")
    replacement = text.count("\ufffd")
    if replacement > limit:
        return QualityVerdict(False, f"{replacement} of {total} glyphs are U+FFFD replacement characters")
    wrong_map = _wrong_kanji_map(repair_radicals(text))  # a radical's code point is the kanji it stands for
    if wrong_map:
        return QualityVerdict(False, wrong_map)
    mojibake = len(_MOJIBAKE.findall(text))
    if mojibake > limit and mojibake > (japanese := len(_JAPANESE.findall(text))):
        return QualityVerdict(
            False, f"{mojibake} of {total} glyphs are control, Latin-1 or foreign-script characters (mojibake), "
                   f"{japanese} Japanese"
        )
    return QualityVerdict(True)


def _wrong_kanji_map(text: str) -> str | None:
    """Why the kanji of a page's ``text`` say its font's Unicode map is wrong (too many outside the 常用漢字, or
    several no Shift_JIS holds), or ``None``. Most pages hold fewer than four kinds outside the 常用漢字: one
    set difference answers for them."""
    kanji = _HAN.findall(text)
    kinds = set(kanji) - JOYO_KANJI - NOT_KANJI
    if len(kinds) < min(_RARE_KANJI_KINDS, _FOREIGN_KANJI_KINDS):
        return None
    rare = sum(1 for ch in kanji if ch in kinds)
    if len(kinds) >= _RARE_KANJI_KINDS and rare > _RARE_KANJI_SHARE * len(kanji):
        return (f"{rare} of {len(kanji)} kanji are outside the 常用漢字 ({''.join(sorted(kinds)[:8])}…): "
                "the font's Unicode map is wrong")
    foreign = _outside_shift_jis(kinds)
    if len(foreign) >= _FOREIGN_KANJI_KINDS:
        return (f"{len(foreign)} different kanji no Japanese character set holds ({''.join(sorted(foreign)[:8])}…): "
                "the font's Unicode map is wrong")
    return None


def _outside_shift_jis(kanji: set[str]) -> set[str]:
    """The kanji of ``kanji`` that Shift_JIS (cp932) cannot write."""
    outside = set()
    for ch in kanji:
        try:
            ch.encode("cp932")
        except UnicodeEncodeError:
            outside.add(ch)
    return outside


def _blank(has_images: bool) -> QualityVerdict:
    """The verdict on a page with no text: a scan (images only) needs OCR, a blank page does not."""
    if has_images:
        return QualityVerdict(False, "no text layer (the page holds only images)")
    return QualityVerdict(True)
