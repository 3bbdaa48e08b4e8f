"""Running Japanese text read against a dictionary: which kanji form no word a dictionary knows.

A look-alike kanji the engine was sure of turns a word into no word at all: ``人権侵害`` read
``人権優害`` splits into 人権 | 優 | 害, ``悪影響`` read ``患影響`` into an unknown 患, ``展示`` read ``屑示``
into 屑 | 示し. The sheet's own vocabulary cannot know a word it writes once; a dictionary can.
The dictionary is IPAdic (NAIST's, via the ``ipadic`` package), read by MeCab (the ``fugashi``
package, which bundles it): both install from PyPI with nothing fetched at run time.

The questions asked of it (:mod:`~plansheet.parsers.ocr_repair` names and forgives with them, and the OCR
reader reads a line again when one of its words is suspect, ``readers/ocr/reader.py``'s fourth look):

- :func:`unknown_words`: the kanji words of a text no dictionary knows (``unknown_word``): a kanji
  token the dictionary does not hold, or a lone kanji noun glued to another kanji (a compound the
  dictionary could only cut into single kanji). A pair of kanji the document writes twice elsewhere
  is a word (its own names: ``注染``, ``庁内``), and so is an era (``令和`` is younger than IPAdic).
- :func:`in_known_word`: whether a glyph stands inside a word of two kanji or more that the
  dictionary knows (``dictionary_word``): a doubted kanji there made a real word of its neighbours.
- :func:`stray_before_te`: a lone kana that makes a verb's plain form before て (``続けすて``, ``te_form``).
- :func:`family_and_given`: where a person's name splits into family and given name (``name_space``).
- :func:`suspect_runs`: the kanji runs holding a word no dictionary knows or a kanji outside the 常用漢字,
  and :func:`in_word`: whether a glyph stands in a dictionary word (or a prefix or suffix), not alone.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from plansheet.core.kanji import kanji_outside_joyo

log = logging.getLogger(__name__)
_KANJI = regex.compile(r"[\p{Han}々]")
_RUN = regex.compile(r"[\p{Han}々]+")
# a single kanji that stands as a noun of its own; a prefix, suffix, counter or numeral is not "lone"
_LONE_KINDS = ("一般", "固有名詞", "サ変接続", "形容動詞語幹")
ERAS = ("令和", "平成", "昭和")  # 令和 (2019) is younger than IPAdic


@dataclass(frozen=True)
class Token:
    """One word of a text as the dictionary cuts it: where it starts, its text, whether the
    dictionary holds it, and whether it is a single kanji standing as a noun of its own."""

    start: int
    surface: str
    known: bool
    lone: bool
    affix: bool = False  # a prefix (広, 次, 不), a suffix (内, 法, 者) or a numeral: it glues to any noun
    noun: bool = True  # a noun or a prefix, not a verb's or an adjective's stem (示し, 基づく)
    counter: bool = False  # a counter (助数詞: 回, 件, 騎), which stands after a number

    @property
    def kanji(self) -> bool:
        """True when every glyph of the token is a kanji (or 々)."""
        return all(_KANJI.match(ch) for ch in self.surface)


_LOCAL = threading.local()  # one tagger a thread: MeCab's is not safe to share (parses came back mixed)
_UNAVAILABLE: list[str] = []  # why the dictionary could not be loaded, once known


def _tagger() -> Any:
    """This thread's MeCab tagger, or ``None`` when the dictionary cannot be loaded (said once in the log)."""
    tagger = getattr(_LOCAL, "tagger", None)
    if tagger is None and not _UNAVAILABLE:
        try:
            import fugashi
            import ipadic

            tagger = _LOCAL.tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
        except Exception as error:  # noqa: BLE001 - a missing or broken dictionary: OCR goes on without it
            _UNAVAILABLE.append(f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}")
            log.warning("the dictionary (fugashi, ipadic) cannot be loaded (%s): OCR'd words are not read against "
                        "it; reinstall plansheet", _UNAVAILABLE[0])
    return tagger


def _placed(tagger: Any, text: str) -> Iterator[tuple[int, Any]]:
    """Each word MeCab cuts ``text`` into, with where it starts in ``text``."""
    at = 0
    for word in tagger(text):
        start = text.find(word.surface, at)
        if start < 0:  # MeCab drops white space only; a surface is always found after it
            continue
        at = start + len(word.surface)
        yield start, word


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """``text`` cut into the dictionary's words (MeCab, IPAdic), each placed in ``text``; none when the
    dictionary cannot be loaded (then no word is known, none named unknown, no glyph forgiven)."""
    out: list[Token] = []
    tagger = _tagger()
    if tagger is None:
        return ()
    for start, word in _placed(tagger, text):
        surface = word.surface
        feature = word.feature
        lone = (len(surface) == 1 and bool(_KANJI.match(surface)) and feature[0] == "名詞"
                and feature[1] in _LONE_KINDS)
        affix = feature[0] == "接頭詞" or feature[0] == "名詞" and feature[1] in ("接尾", "数")
        counter = feature[0] == "名詞" and feature[1] == "接尾" and feature[2] == "助数詞"
        out.append(Token(start, surface, not word.is_unk, lone, affix, feature[0] in ("名詞", "接頭詞"), counter))
    return tuple(out)


@lru_cache(maxsize=1024)
def family_and_given(name: str) -> tuple[str, str] | None:
    """``name`` (no space) as the dictionary cuts a person's name: a family name then a given name, each one
    word it tags so (``岡田浩二`` → (岡田, 浩二)); ``None`` when it cuts it otherwise or cannot be loaded."""
    tagger = _tagger()
    if tagger is None:
        return None
    words = [(w.surface, tuple(w.feature[:4])) for w in tagger(name)]
    if len(words) != 2 or words[0][1] != ("名詞", "固有名詞", "人名", "姓") or words[1][1][2:4] != ("人名", "名"):
        return None
    return words[0][0], words[1][0]


@lru_cache(maxsize=4096)
def stray_before_te(text: str) -> tuple[int, ...]:
    """Where ``text`` holds a lone kana the dictionary can take only as a verb's suffix in its plain form (基本形)
    between a verb and the particle て: a verb takes て in its 連用形 (``続けて``), never so, and a stray glyph
    read there (``続けすてほしい``) is what made the plain form. Each such kana's index."""
    tagger = _tagger()
    if tagger is None or "て" not in text and "で" not in text:
        return ()
    words = [(start, w.surface, tuple(w.feature[:6])) for start, w in _placed(tagger, text)]
    out = []
    for (_, _, before), (start, surface, kana), (_, after_surface, after) in zip(words, words[1:], words[2:]):
        if (len(surface) == 1 and kana[0] == "動詞" and kana[1] == "接尾" and kana[5] == "基本形"
                and before[0] == "動詞" and after_surface in ("て", "で") and after[:2] == ("助詞", "接続助詞")):
            out.append(start)
    return tuple(out)


def kanji_pairs(texts: list[str]) -> Counter[str]:
    """Every two neighbouring kanji of ``texts``, counted (a document's own compounds)."""
    return Counter(t[i:i + 2] for t in texts for i in range(len(t) - 1)
                   if _KANJI.match(t[i]) and _KANJI.match(t[i + 1]))


def unknown_words(text: str, pairs: Counter[str] | None = None) -> list[str]:
    """``unknown_word``: each run of kanji in ``text`` holding a word that no dictionary knows
    (``人権優害``): a kanji token the dictionary does not hold, or a lone kanji noun glued
    to another kanji; one whose kanji pairs with a neighbour the document writes twice (``pairs``,
    :func:`kanji_pairs`) or that is an era name is a word."""
    out: list[str] = []
    runs = list(_RUN.finditer(text))
    words = tokens(text)
    for k, tok in enumerate(words):
        if not tok.kanji or tok.known and not tok.lone:
            continue
        end = tok.start + len(tok.surface)
        left = words[k - 1] if k and words[k - 1].start + len(words[k - 1].surface) == tok.start \
            and _KANJI.match(words[k - 1].surface[-1]) else None
        right = words[k + 1] if k + 1 < len(words) and words[k + 1].start == end \
            and _KANJI.match(words[k + 1].surface[0]) else None
        if not _no_word(tok, left, right):
            continue
        around = range(max(tok.start - 1, 0), min(end, len(text) - 1))
        twos = [text[j:j + 2] for j in around if _KANJI.match(text[j]) and _KANJI.match(text[j + 1])]
        if any(two in ERAS or (pairs is not None and pairs[two] >= 2) for two in twos):
            continue
        run = next(r.group() for r in runs if r.start() <= tok.start < r.end())
        if run not in out:
            out.append(run)
    return out


def _no_word(tok: Token, left: Token | None, right: Token | None) -> bool:
    """True when the kanji token ``tok`` (unknown to the dictionary, or a lone kanji noun) between the kanji
    words glued to it (``left``, ``right``; ``None`` where a kana or a sign stands) makes no word: an unknown
    run of two kanji or more (``迅逢``); a kanji glued to another lone or unknown one (``綱|持``, ``修|繝``);
    an unknown kanji glued to a word (``患|影響``) other than a prefix or suffix (``広|聴``, ``協|働``); a lone
    kanji between two words (``人権|優|害``) or before a verb's kanji (``屑|示し``); a lone kanji before a counter
    (``経|騎|年数`` for 経験年数: a counter stands after a number, 何回 数日 百件, or a word, 複数回 最終回). A lone
    kanji at one end of a compound (``市|全体``, ``次|年度``) or beside a suffix (``消防|操|法``) is a word as often."""
    glued = [w for w in (left, right) if w is not None]
    if any(w.lone or not w.known for w in glued):
        return True
    if tok.lone and right is not None and right.counter:
        return True
    if not tok.known:
        return len(tok.surface) >= 2 or any(not w.affix for w in glued)
    return (left is not None and right is not None and not left.affix and not right.affix) \
        or (right is not None and not right.noun)


def in_known_word(text: str, position: int) -> bool:
    """True when the glyph at ``position`` of ``text`` stands inside a word of two kanji or more that
    the dictionary holds (``管理``, ``維持管理`` cut as 維持 | 管理)."""
    for tok in tokens(text):
        if tok.start <= position < tok.start + len(tok.surface):
            return tok.known and tok.kanji and len(tok.surface) >= 2
    return False


def in_word(text: str, position: int) -> bool:
    """True when the glyph at ``position`` of ``text`` stands in a word the dictionary holds of two glyphs or
    more, or in a prefix or suffix (住宅政策 | 課), not alone as a noun of its own (子宮 | 頻 | がん)."""
    for tok in tokens(text):
        if tok.start <= position < tok.start + len(tok.surface):
            return tok.known and (len(tok.surface) >= 2 or tok.affix)
    return False


def suspect_runs(text: str) -> list[str]:
    """The kanji runs of ``text`` that hold a word no dictionary knows (:func:`unknown_words`) or a kanji outside
    the 常用漢字 (``祷助`` for 補助: the engine's look-alikes, as municipal writing keeps to the list)."""
    runs = unknown_words(text)
    return runs + [m.group() for m in _RUN.finditer(text)
                   if m.group() not in runs and kanji_outside_joyo(m.group())]
