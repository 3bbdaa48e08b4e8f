"""Post-correction of OCR'd documents from the sheet's grammar and its own vocabulary.

Each rule is small and named, and states what must stand in a place of the sheet:

- ``percent_doubled``: a ``%`` is one glyph (``52.1%%`` → ``52.1%``) and no digit follows it
  inside a word (``92%6となりました``, ``8.7%66と``, ``21% 6でした`` → ``92%``, unless a counter
  follows: ``5% 6月``);
- ``percent_one_decimal``: where the document writes percentages with one decimal, more decimals
  are the ``%`` glyph's pieces (``15.20%``, ``8.486%`` → ``15.2%``, ``8.4%``);
- ``percent_broken``: a ``%`` read twice with a 9 before it after a first decimal (``77.79%%``) is
  one glyph read in pieces (``77.7%``), where no percentage of the document has a second decimal
  of its own;
- ``percent_loop``: a 9 (6, 8) between a digit and a ``%`` that the engine doubted is the ``%``'s loop
  (``利用率は149%`` → ``14%``): every such 9 on the tune scans was;
- ``percent_as_digits``: a rate written with no ``%`` had its ``%`` read as the digits at its end that
  the engine doubted (``前年度比966`` → ``96%``, ``前年度比2666`` → ``26%``, ``77.9968`` → ``77.9%``);
- ``percent_read_as_9``: a rate (…率は, …比) or a bound (…以上, 未満, 以下 in a field that
  speaks in percentages) is written with ``%``; a bare number there whose last digit is 9 had
  its ``%`` read as 9 (``達成率は1009でした`` → ``100%``), or as ``96``/``86``, or as a 9 and a digit
  or two after the first decimal (``達成率は33.4929でした`` → ``33.4%``);
- ``percent_extra_9``: a ``9`` squeezed before a ``%`` (``90.29%``, ``53.496%``) where the document
  writes a percentage with one decimal and none with a second decimal other than 9; a rate of
  two decimals and no ``%`` there (``前年度比33.56と``) had its ``%`` read as its last digit;
- ``rate_over_200``: a rate above 200 % ending in ``9%``, ``9N%`` or ``1%`` (``前年度比569%``,
  ``8492%``, ``641%``) had its ``%`` read as ``9%`` (or its slash as 1), as ``1009%`` does for
  100 %; one above 200 % that is the same digits twice (``1414%``) was read twice;
- ``thousands_comma``: a full stop (or a comma and a full stop) followed by exactly three
  digits and a counter (人 件 袋 円 回 …) is a thousands comma (``3.210人`` → ``3,210人``), and a
  count of four digits or more before a counter lost its commas (``84932台`` → ``84,932台``);
- ``closing_quote``: ``〟`` / ``』`` closing a ``「`` is ``」``; a ``「…。`` quoted before と or
  という has lost its ``」``; an opening ``「`` read as a backtick or quote is put back;
- ``prose_space``: running prose has no space beside a Japanese character; ``name_space_jp``: nor has a plan
  goal, a 分野 or a goal title between two;
- ``prose_brackets``: a parenthesis around Japanese words in prose is full-width
  (``年6回(前年度比2回増)`` → ``（前年度比2回増）``; ``(5件/年)`` keeps its half-width form);
- ``sentence_end``: a field's last ``ました``/``でした`` followed by a glyph or two that end no
  sentence (``ましただ。``, ``ましじた。``, ``ましS``) is ``ました。``;
- ``small_kana_doubled``: a small kana right after its own large form is a doubled glyph
  (``ヤャング`` → ``ヤング``); ``kana_twin``: a hiragana drawn as its katakana twin (ぜ べ ぺ) before a
  katakana letter is that katakana, and the twins side by side are one glyph (``ぜミ``, ``ゼぜミ`` → ``ゼミ``);
- ``kana_in_kanji``: a lone katakana after a kanji, starting no katakana word, is the kanji it
  looks like (``能カ向上`` → ``能力向上``, ``出ロ`` → ``出口``); ``kana_before_word``: so is one
  between a kanji and a katakana word the document writes on its own elsewhere
  (``動カポンプ`` → ``動力ポンプ`` beside ``消防ポンプ``);
- ``achieve``: a kanji of 達's radical ⻌ before 成 is 達 (``道成``, ``違成率`` → ``達成``, ``達成率``;
  造成 and 速成 are words and stay);
- ``counter_window``: ``恒口`` is no word; it is ``窓口`` read with a look-alike (held-out seeds 41001,
  74004, scan fuzz 52002, 63003: ``恒口サービス``, ``恒口業務``);
- ``not_yet``: 末 before 満, 実施, 達成 … is 未 (``50%末満``, ``末実施`` → ``未満``, ``未実施``);
- ``era_name``: the era before a year is 令和, 平成 or 昭和 (``吉和6年`` → ``令和6年``);
- ``te_form``: a lone kana that makes a verb's plain form before て is a stray glyph (``続けすてほしい``);
- ``ghost_before_goto``: ``どご`` is no Japanese: after a noun, ``どごと`` is ``ごと`` read twice
  (``年度どごと`` → ``年度ごと``);
- ``section_in_text``: an initiative's text that ends in the 所管室・課 label and a section name after a
  sentence's end ran on into its section's row (``…実施します。所管室・課|人権推進課``): split there;
- ``section_suffix``: a 所管室・課 name ends in 課 (or 室, 係 …); its last glyph read as a kanji
  shaped like 課 (言 on the left: ``行財政改革護``, ``健康づくり譚``) is 課, and so is that glyph
  after 担当/所管/関係/各 before a particle in prose (``担当諜に対して``), and before 題 (``task_word``: 課題);
- ``bar_as_one``: a long-vowel bar after a kanji or hiragana is the kanji 一 (``のー部`` → ``の一部``);
- ``rule_debris``: a run of ruling-line fragments (``ー一ニ“”``) at either end of a field;
- ``vocabulary``: a word the document writes the same way at least twice elsewhere (or a
  department or section name) wins over a once-only reading one character away
  (look-alike kanji ``綱持`` → ``維持``; ``LLINE`` → ``LINE``); department and section names
  are voted on across the document's sheets (a 分野, read once in the overview, is the text it
  is: it overruled a right ``男女共同参画`` with its ``番女``); two once-only readings of five
  characters or more one kanji apart (``男女共同参画``, ``番女共同参画``) are both doubtful; a once-only
  run whose differing kanji the engine was sure of and that stand in a word the dictionary holds is
  another word (``地元住民`` beside ``地域住民``): kept as read, and named;
- ``doubted_twin``: one word the document writes twice, once each way, one glyph apart, that glyph
  doubted by the engine in one reading and not in the other: the sure reading is the word
  (``番女共同参画`` → ``男女共同参画``, ``コンピニ`` → ``コンビニ``, ``NRPO`` → ``NPO``);
- ``doubted_in_context``: a glyph the engine doubted whose two neighbours each side the document writes
  elsewhere around one other kanji (``や指潤を行`` beside ``や指導を行``), or with nothing between
  (``続けすてほ`` beside ``続けてほ``), and nowhere else around this one, is that kanji (or nothing);
- ``joyo_kanji``: municipal writing keeps to the 常用漢字, so a kanji outside them in a pair of
  glyphs the document writes once (``支攫``, ``困竈``) is doubtful, however sure the engine was
  (a rare true one, ``誹謗中傷``, is named too);
- ``unknown_word``: a kanji word no dictionary knows (MeCab with IPAdic, :mod:`plansheet.core.lexicon`) is doubtful,
  however sure the engine was: a 常用 look-alike in a word the document writes once makes no word
  (``人権優害`` for 人権侵害 at 0.9947, ``患影響``, ``屑示``); a kanji pair the document writes twice, an era,
  a lone kanji at a compound's end (``市全体``) or beside a prefix or suffix (``広聴``, ``操法``) is a word;
  a run with a kanji outside the Jōyō list is ``joyo_kanji``'s;
- ``grade_in_text``: a target whose grade is empty and whose text ends with a letter of the
  legend after its last ``。`` (``…図ります。E``) took its grade cell into the text, and so did a
  goal's 総合評価・総括 its 全体の達成度 (``…下回りました。C``); a status
  starting with the 達成度 label (read ``道成度``) took the label;
- ``phrase_twins``: the same phrase written twice in the document (six characters either side
  alike) with one kanji different is misread in one place: the field with the rarer reading
  (both, when they tie) is doubtful — a real warning, no repair, since 上回る/下回る in the same
  words are both Japanese;
- ``voicing_twins``: two katakana spellings of a word that differ only in a voicing mark (``コンビニ``,
  ``コンピニ``), one of them written once, are named (one is misread; no repair: which one is not known);
- a word mixing scripts the way a misread does (``窓ロサービス``) is doubtful unless the document
  writes it the same way twice (``施設カルテ`` in a goal's text and its results);
- ``field_lost``: a field OCR read nothing in, while at least two other records of the document
  (one, for a column of the 【重点目標】 table: 目標 and 分野 stand in every row or none)
  have it, is doubtful (a whole 総合評価・総括 or a 分野 lost) — a real warning, no repair;
- ``enumerator``: initiatives numbered ① ② … within their target, read as a digit glued to the
  first word (``1国民生活センター…``), get their circles back; a number in brackets (``(1)``) is named,
  its width unknown, and so is one whose place's digit stands before a figure (``15年に…``: ①5年 or 15年);
- ``grade_shape``: a grade read as a glyph shaped like the legend's ``C`` (``@``, ``6``, ``(ぐ``)
  is ``C``; any other grade that is no letter of the legend is left empty, with a warning.

Every repair is recorded as a note naming the record, field, rule and both readings
(``goal 2 target 1 status: OCR repair (thousands_comma) '3.210人…' → '3,210人…'``; it goes
to ``sources.warnings`` for audit but does not make the file ``partial``: the field was read
and the grammar said what it must be), and the record's confidence is capped
(:data:`REPAIRED_CONFIDENCE`). A prose field that still breaks the grammar (an unbalanced
bracket, a stray Latin letter at its end, debris glyphs) and a grade left empty are real
warnings, and cap the confidence at :data:`DOUBTFUL_CONFIDENCE`. Only OCR'd documents are
touched.

``weak_glyph``: a field with a glyph the engine itself was unsure of is not sure. The record's
confidence is its cells' *mean* glyph confidence, and one misread kanji in a word the document
writes once (``設露`` for 設置) hides in a mean of 0.99; its own glyph scores lower. A field whose
weakest glyph is below :data:`GLYPH_DOUBT` caps its record at :data:`WEAK_GLYPH_CONFIDENCE`,
and one warning per page names those fields: the field may well be right, but ``ok`` promises
every field, so a document with such a field is ``partial`` (:func:`weak_glyph_notes`). Every
OCR'd field counts, whatever table it lands in: goal sheets' fields, and the front sheet's
basic policy, department, title (fiscal year, municipality), each officer's cell, each legend
entry and each overview value a goal took (``goal 3 field`` when its 分野 came from the overview).
A legend entry whose letter and bounds the legend's own chain confirms (``legend_chain``: B's
``70%以上`` is C's ``70%未満`` read again) is named by its label and description only
(:func:`legend_confirmed`): its numbers and letter cannot be what its weak glyph stands for.
A Latin letter is doubted below :data:`LATIN_DOUBT` (the Japanese model reads ``LINE`` as ``LNE``
with its letters at 0.98–0.99). No glyph of a word is forgiven because the document "confirms"
it: a weak glyph is also the sign of a degraded stretch of the scan, and a field whose weak glyph
was confirmed can hold a misread its engine was sure of (measured: bench/README.md). Only a
number's signs are (``number_sign``: a ``%`` after a digit that cannot be a piece of it, a
thousands comma), the grammar writing them whatever the engine saw; the digits keep their doubt.
And a doubted kanji inside a word of two kanji or more the dictionary knows, in a field where no kanji
word is unknown to it (``dictionary_word``: a look-alike there would have had to make another real word
of its neighbours, and ``unknown_word`` names the ones that make none), and a doubted kanji that is the
word the grammar writes there (``grammar_glyph``: the 千 of ``N千円``, the 令 of ``令和N年``).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import regex

from plansheet.core.kanji import JOYO_KANJI, NOT_KANJI as _NOT_KANJI, kanji_outside_joyo
from plansheet.core.text import APPROXIMATE, APPROXIMATE_UNITS, COUNTERS, to_halfwidth
from plansheet.core.model import DoubtedGlyph
from plansheet.parsers.labels import KA_SHAPED, glued_label
from plansheet.core.lexicon import in_known_word, kanji_pairs, stray_before_te, unknown_words
from plansheet.parsers.records import FieldGlyph, Officer, TextField, legend_letters, record_name, text_fields
from plansheet.parsers.repair_notes import REPAIR_NOTE, is_repair_note  # noqa: F401 - is_repair_note: the rules' audit lines

REPAIRED_CONFIDENCE = 0.6  # a record whose text needed a repair: an auditor should look
DOUBTFUL_CONFIDENCE = 0.5  # a record whose text still breaks the grammar
WEAK_GLYPH_CONFIDENCE = 0.8  # a record with a field one of whose glyphs the engine doubted
WEAK_GLYPH_NOTE = ": OCR unsure of a glyph"
LATIN_DOUBT = 0.99  # a Latin letter below it is doubted (doubt_below); Cell.doubted_glyphs keeps glyphs below DOUBT_FLOOR, 0.99
GLYPH_DOUBT = 0.978  # below it a glyph is doubted: the lowest that leaves no wrong field at >= 0.9 on the tune set (bench/README.md)

_COUNTER = "(?:" + "|".join(regex.escape(c) for c in COUNTERS) + ")"
_JP = r"[\p{Han}\p{Hiragana}\p{Katakana}ー々〆〇、。，．・「」『』（）【】]"
_PROSE = ("basic_policy", "description", "text", "status", "results", "overall_summary", "next_steps")
_SMALL = {"ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ", "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ",
          "ゃ": "や", "ゅ": "ゆ", "ょ": "よ", "ぁ": "あ", "ぃ": "い", "ぅ": "う", "ぇ": "え", "ぉ": "お"}




# ---------------------------------------------------------------------------- text rules
# a count or a date after a % is no tail of it (``5% 6千円``, ``5% 12月``)
_COUNTER_LATE = "(?:" + "|".join(regex.escape(c) for c in COUNTERS + ("月", "日", "年", "時")) + ")"
_PCT_DOUBLED = regex.compile(r"%(?:%|[$§&#¥]|[Ss](?=\p{Hiragana}))+")
_PCT_TAIL = regex.compile(r"(?<=\d%)(?: ?\d{1,2}%?)+(?![\d,.%]|" + _COUNTER_LATE + ")")


def percent_doubled(text: str) -> str:
    """``%%`` (or ``%$``, or ``%S`` before kana: ``24%Sでした``) → ``%``; a digit glued after a ``%``
    (``92%6と``) is part of the ``%`` glyph, and so is a run of them (``91.7% 6%6と``, hard scan 17028)."""
    return _PCT_TAIL.sub("", _PCT_DOUBLED.sub("%", text))


_BROKEN_PCT = regex.compile(r"(?<![\d.])(\d+\.\d)9%{2,}")


def percent_broken(text: str) -> str:
    """``77.79%%`` → ``77.7%``: a ``%`` read twice is a glyph read in pieces, and a 9 right before
    it, after a first decimal, is its left loop (applied by :func:`repair_document` only where
    no percentage of the document has a second decimal other than 9)."""
    return _BROKEN_PCT.sub(r"\1%", text)


PERCENT_LOOPS = "689"  # a %'s loop read as a digit (0 too, but a true 0 before a % is common: 100%, 70%以上)


def percent_loop(text: str, doubted: Sequence[DoubtedGlyph]) -> str:
    """``percent_loop``: a 9 between a digit and a ``%`` that the engine itself doubted (below
    :data:`GLYPH_DOUBT`) is the ``%``'s left loop read as a digit (``利用率は149%`` → ``14%``,
    ``6.89%`` → ``6.8%``; ``doubted``: the field's glyphs the engine scored low, with their
    neighbours). Measured on the tune scans: every such 9 it doubted below 0.985 was a piece of
    the ``%``, every 9 of a true ``69%`` or ``41.9%`` scored 0.989 or more. A 6 or an 8 so doubted is the
    loop too (``前年度比966%`` → ``96%``, its last 6 at 0.875): on the tune and seen hard scans (14001–14056,
    13501–13510, 8000, 24680, 31337, 41001) every 6 or 8 doubted before a ``%`` was (0.838–0.939), a true
    one scored 0.981; a doubted 4 there was a true digit (0.925–0.956), and is no loop."""
    for d in doubted:
        loop = d.text in PERCENT_LOOPS and d.after.startswith("%") and d.before[-1:].isdigit()
        if loop and d.confidence < GLYPH_DOUBT:
            text = text.replace(d.before[-2:] + d.text + "%", d.before[-2:] + "%", 1)
    return text


# a rate's bare digits: not followed by more of a figure (a full-width ％ included), a unit (Latin: ha, km,
# pt), 千/万/億, or a counter (歳, 点, ヶ月 …): those are no rate written without its %
_RATE_BARE = regex.compile(r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)\d+(?:[.．]\d+)?(?![\d,.%％．，]|[A-Za-zＡ-Ｚａ-ｚ]|"
                           r"[千万億]|倍|ポイント|歳|点|か月|ヶ月|ヶ所|" + _COUNTER_LATE + ")")
_RATE_WITH_PERCENT = regex.compile(r"(?:率|比|割合)(?:は|が|を|で|も)?\d+(?:[.．]\d+)?[%％]")
_PERCENT_PIECES = PERCENT_LOOPS + "６８９"  # the digits a % read as digits comes out as (966, 2666, 77.9968, 86.66)


def glyph_confidences(text: str, doubted: Sequence[DoubtedGlyph]) -> dict[int, float]:
    """The confidence of each glyph of ``text`` the cell kept as doubted (below ``DOUBT_FLOOR``), by its
    position, each found by the glyphs read beside it; a glyph not found, or whose neighbours the text
    writes more than once (which of them it is cannot be told), is left out."""
    out: dict[int, float] = {}
    for d in doubted:
        around = d.before + d.text + d.after
        if len(d.text) == 1 and text.count(around) == 1:  # found once: the glyph's own place, not a twin's
            out[text.find(around) + len(d.before)] = d.confidence
    return out


def percent_as_digits(text: str, doubted: Sequence[DoubtedGlyph]) -> str:
    """``percent_as_digits``: a rate (…率は, …比) is written with ``%``. Where the text has none after a
    rate's digits, the ``%`` was read as the digits at the end that the engine doubted: the last of them
    all doubted (below ``DOUBT_FLOOR``) and the first of them below :data:`GLYPH_DOUBT` (``前年度比2666``,
    its 6s at 0.949 and 0.984 → ``26%``; ``達成率は77.9968`` → ``77.9%``; ``86.66`` with its first 6 at 0.990
    → ``86.6%``). Only 6, 8 and 9 are such pieces (``前年度比9486``, 4 8 6 at 0.950 0.907 0.889, is ``94%``:
    a 4 is no piece of a ``%``). What stays is a number: a digit before the ``%`` and
    after a decimal point. Digits the engine was sure of are left as read (the field stays named: a rate
    without ``%``). A guess (:data:`GUESSED_RULES`): a rate may be written bare."""
    if not doubted:
        return text
    conf = glyph_confidences(text, doubted)
    for m in reversed(list(_RATE_BARE.finditer(text))):
        digits, cut = m.group(), None
        point = max(digits.find("."), digits.find("．"))
        keep_min = point + 2 if point >= 0 else 1  # 86.|6 keeps its decimal, 2|666 its first digit
        for k in range(len(digits) - 1, keep_min - 1, -1):
            c = conf.get(m.start() + k)
            if c is None or digits[k] not in _PERCENT_PIECES:
                break
            if c < GLYPH_DOUBT:
                cut = k
        if cut is not None:
            wide = "０" <= digits[cut - 1] <= "９"
            text = text[:m.start() + cut] + ("％" if wide else "%") + text[m.end():]
    return text


_RATE_9 = regex.compile(r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)(\d+(?:\.\d)?)9(?![\d,.%]|" + _COUNTER + ")")
_BOUND_9 = regex.compile(r"(?<![\d,.])(\d+)9(?=以上|未満|以下|超)")
_RATE_9_PCT = regex.compile(r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)(\d{3,})9%")


_RATE_96 = regex.compile(r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)(\d{2,}(?:\.\d)?|\d\.\d)[89]6(?![\d,.%]|" + _COUNTER + ")")
_RATE_9_PIECES = regex.compile(r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)(\d+\.\d)9\d{1,2}(?:[$§&#¥]\d?)?(?![\d,.%]|" + _COUNTER + ")")


def percent_read_as_9(text: str) -> str:
    """A rate or a percentage bound written without ``%`` whose last digit is 9: that 9 is the ``%``;
    so is a ``96`` or ``86`` ending a rate of two digits or a decimal (``前年度比10096と``,
    ``35.696と``, ``前年度比9486と``), and a 9 and one or two digits after a rate's first decimal
    (``達成率は33.4929でした`` → ``33.4%``, with a ``$`` or ``§`` piece after them: ``41.492$5でした``); a
    rate of a thousand per cent and more ending in ``9%`` (``1009%``) had its ``%`` read twice."""
    text = _RATE_96.sub(r"\1%", text)
    text = _RATE_9_PIECES.sub(r"\1%", text)
    text = _RATE_9.sub(r"\1%", text)
    text = _RATE_9_PCT.sub(lambda m: m.group(1) + "%" if int(m.group(1)) <= 200 else m.group(), text)  # 1009% → 100%
    if regex.search(r"\d%", text):
        text = _BOUND_9.sub(r"\1%", text)
    return text


_EXTRA_9 = regex.compile(r"(?<![\d.])(\d+\.\d)9\d?%")
_RATE = r"(?<=(?:率|比|割合)(?:は|が|を|で|も)?)"
_RATE_TWO_DECIMALS = regex.compile(_RATE + r"(\d+\.\d)\d(?![\d,.%]|" + _COUNTER + ")")


def percent_extra_9(text: str) -> str:
    """``90.29%`` → ``90.2%``, ``53.496%`` → ``53.4%``; a rate of two decimals without ``%``
    (``前年度比33.56と``) had its ``%`` read as the last digit (applied only where the document
    writes one decimal, see :func:`repair_document`)."""
    return _RATE_TWO_DECIMALS.sub(r"\1%", _EXTRA_9.sub(r"\1%", text))


_PERCENT_DECIMALS = regex.compile(r"(?<![\d.])\d+(?:\.(\d+))?%")


def two_decimal_style(texts: list[str]) -> bool:
    """True when the document writes a percentage with a second decimal other than 9 (``12.34%``):
    then a second decimal is the writer's, and no 9 before a ``%`` is taken for a piece of it."""
    return any(len(p) > 1 and p[1] != "9" for t in texts for p in _PERCENT_DECIMALS.findall(t))


_MORE_DECIMALS = regex.compile(r"(?<![\d.])(\d+\.\d)\d{1,2}%")
_RATE_MORE_DECIMALS = regex.compile(_RATE + r"(\d+\.\d)\d{1,3}(?![\d,.%]|" + _COUNTER + ")")


def percent_one_decimal(text: str) -> str:
    """``8.486%`` → ``8.4%``, ``5.20%`` → ``5.2%``: where the document writes its percentages with one
    decimal (twice or more, and more decimals less often), the digits after the first decimal
    are pieces of the ``%`` glyph (applied by :func:`repair_document` only then); so are they after
    a rate with no ``%`` (``達成率は53.4929でした`` → ``53.4%``)."""
    return _RATE_MORE_DECIMALS.sub(r"\1%", _MORE_DECIMALS.sub(r"\1%", text))


_RATE_OVER_200 = regex.compile(_RATE + r"(\d{2,})(?:9\d?|1)%")
_RATE_TWICE = regex.compile(_RATE + r"(\d{1,3})\1(?=%)")


# Repairs whose evidence is a likelihood, not the sheet's grammar: a rate above 200 % or a second
# decimal can be true. Each is made (the likelier reading) and its field named, so the file is partial.
# So are the readings one doubted glyph apart: the engine's doubt does not say which one is right
# (about a fifth of right fields hold a doubted glyph), and two real words can sit one glyph apart
# (上回る/下回る, 介護保険/介護保険料).
GUESSED_RULES = frozenset({"rate_over_200", "percent_extra_9", "doubted_twin", "doubted_in_context", "percent_as_digits",
                           "joyo_in_context"})


def rate_over_200(text: str) -> str:
    """A rate above 200 % with a 9 in its last two digits had its ``%`` read as ``9%`` or ``9N%``
    (``前年度比569%`` → ``56%``, ``達成率は8492%`` → ``84%``), one ending in 1 as ``1%`` (its slash:
    ``達成率は641%`` → ``64%``); one above 200 % that is the same digits twice was read twice
    (``前年度比1414%`` → ``14%``)."""
    text = _RATE_OVER_200.sub(lambda m: m.group(1) + "%" if int(m.group()[:-1]) > 200 else m.group(), text)
    return _RATE_TWICE.sub(lambda m: m.group(1) if int(m.group(1) * 2) > 200 else m.group(), text)


_COUNTED = regex.compile(r"(?<![\d.,])\d+(?:[.,]{1,3}\d+)+(?=" + _COUNTER + r")")
_SEPARATOR_RUN = regex.compile(r"(?<=\d)[.,]{2,3}(?=\d{3})")
_LONG_GROUP = regex.compile(r"(?<![\d.,])(\d{1,3})(\d{3})(?=(?:,\d{3})+(?!\d))")
_TEN_FOR_THOUSAND = regex.compile(r"(?<=\d)[十干于](?=円)")  # 十, 干 and 于 before 円 are no amount
_UNGROUPED = regex.compile(r"(?<![\d.,])\d{4,}(?=" + _COUNTER + r")")


def thousands_comma(text: str) -> str:
    """A count before a counter (人 件 袋 円 …) is whole: its separators, each followed by three
    digits or more, are thousands commas (``3.210人``, ``18.916,.538円``, ``3.164994円`` →
    ``3,164,994円``); a group left of a comma has three digits (``14217,608円``); a count of four
    digits or more is grouped (``84932台`` → ``84,932台``); digits are never followed by 十, 干 or 于
    before 円 (``82.234十円`` → ``82,234千円``, ``40,564干円`` → ``40,564千円``): the one kanji the grammar
    writes between an amount and 円 is 千."""
    text = _TEN_FOR_THOUSAND.sub("千", text)
    text = _SEPARATOR_RUN.sub(",", text)
    text = _LONG_GROUP.sub(r"\1,\2", text)
    text = _UNGROUPED.sub(lambda m: f"{int(m.group()):,}", text)

    def fix(m: regex.Match[str]) -> str:
        parts = regex.split(r"[.,]+", m.group())
        if any(len(p) < 3 for p in parts[1:]) or len(parts[0]) > 3:
            return m.group()
        digits = "".join(parts)
        head = len(digits) % 3 or 3
        return ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])

    return _COUNTED.sub(fix, text)


_OPEN_AS_TICK = regex.compile(r"[`‘'] ?(?=[\p{Han}\p{Hiragana}\p{Katakana}])")


def closing_quote(text: str) -> str:
    """Put back the ``「」`` of a quotation (see the module docstring)."""
    if "」" in text or "〟" in text or "』" in text:
        opens = text.count("「")
        closes = text.count("」") + text.count("〟") + text.count("』")
        if closes > opens:
            text = _OPEN_AS_TICK.sub("「", text, count=closes - opens)
    out, depth = [], 0
    for i, ch in enumerate(text):
        if ch == "「":
            depth += 1
        elif ch in "〟』" and depth > 0 and "『" not in text:
            ch = "」" if (out and out[-1] == "。") or ch == "』" else "。」"
        if ch == "」":
            depth = max(depth - 1, 0)
        out.append(ch)
        if ch == "。" and depth > 0 and regex.match(r" ?と(?:の|いう|いった|して)?", text[i + 1:]) \
                and not text[i + 1:].lstrip().startswith("」"):
            out.append("」")
            depth -= 1
    return "".join(out)


_SPACE_BY_JP = regex.compile(rf"(?<={_JP}) +|(?<=[\dA-Za-z%]) +(?={_JP})")


def prose_space(text: str) -> str:
    """No space beside a Japanese character in running prose."""
    return _SPACE_BY_JP.sub("", text)


_SPLIT_ACRONYM = regex.compile(rf"(?<={_JP})(?:([A-Z]) ([A-Z]{{1,4}})|([A-Z]{{2,4}}) ([A-Z]))(?={_JP})")


def acronym_space(text: str) -> str:
    """A short acronym between Japanese words is one word: ``自治会やN POなど`` → ``自治会やNPOなど``.

    Only a single capital cut from the rest (``N PO``, ``NP O``): two words of several
    letters (``LINE Pay``) are left alone.
    """
    return _SPLIT_ACRONYM.sub(lambda m: "".join(g for g in m.groups() if g), text)


_JP_PAREN = regex.compile(r"\((?=[\p{Han}\p{Hiragana}\p{Katakana}])([^()（）]*)\)")


def prose_brackets(text: str) -> str:
    """A parenthesis around Japanese words in prose is full-width: ``(前年度比2回増)`` → ``（前年度比2回増）``."""
    return _JP_PAREN.sub(r"（\1）", text)


_SENTENCE_END = regex.compile(r"(?<=[まで]し)(?:た[ぁ-ゖ][\dA-Za-z]?|[ぁ-ゖ]た|[A-Za-z]|た[^\p{L}\p{N}。]|た\d)。?$")


def sentence_end(text: str) -> str:
    """A field's last ``ました``/``でした`` followed by glyphs that end no sentence: ``ましただ。`` → ``ました。``;
    a digit after it is its ``。`` (``寄せられました8``)."""
    return _SENTENCE_END.sub("た。", text)


def small_kana_doubled(text: str) -> str:
    """A small kana right after its own large form (``ヤャ``) is one glyph read twice, and so is a large や, ゆ or よ
    right after its own small form (``橋りょようから``, hard scan 17005: the small one is the word's)."""
    text = regex.sub(r"(.)([ャュョァィゥェォゃゅょぁぃぅぇぉ])", lambda m: m.group(1) if _SMALL[m.group(2)] == m.group(1)
                     else m.group(), text)
    return regex.sub(r"([ゃゅょャュョ])([やゆよヤユヨ])", lambda m: m.group(1) if _SMALL[m.group(1)] == m.group(2)
                     else m.group(), text)


_KANA_TWINS = {"ぜ": "ゼ", "べ": "ベ", "ぺ": "ペ"}  # へ/ヘ too, but へ is a particle and stands before katakana
_TWIN_DOUBLED = regex.compile(r"ゼぜ|ぜゼ|ベべ|べベ|ペぺ|ぺペ")
# the words that end in these before a katakana word: なぜ; べ after a kanji or a hiragana (延べ, のべ,
# ならべ); ぺ after a kanji
_TWIN_BEFORE_KATAKANA = regex.compile(
    r"(?:(?<!な)ぜ|(?<![\p{Han}\p{Hiragana}])べ|(?<!\p{Han})ぺ)(?=[ァ-ヺ])|(?<=[ァ-ヺ])[ぜべぺ](?=[ァ-ヺー])")


def kana_twin(text: str) -> str:
    """``kana_twin``: a hiragana drawn as its katakana twin (ぜ ゼ, べ ベ, ぺ ペ) before a katakana letter
    is that katakana (``大学のぜミ`` → ``ゼミ``) but where a word ends in it: なぜ, べ after a kanji or a
    hiragana (``延べ``, ``のべ``, ``ならべ``), ぺ after a kanji; nor between katakana: ``スべース``), and
    the twins side by side (``ゼぜミ``, ``ぜゼミ``) are one glyph read twice."""
    text = _TWIN_DOUBLED.sub(lambda m: _KANA_TWINS.get(m.group()[0], m.group()[0]), text)
    return _TWIN_BEFORE_KATAKANA.sub(lambda m: _KANA_TWINS[m.group()], text)


_KANA_FOR_KANJI = {"カ": "力", "ロ": "口", "エ": "工", "ニ": "二", "ハ": "八", "タ": "夕", "ト": "卜"}
_KANA_IN_KANJI = regex.compile(r"(?<=\p{Han})[カロエニハタト](?![\p{Katakana}ー])")


def kana_in_kanji(text: str) -> str:
    """A lone katakana after a kanji that starts no katakana word is the kanji it looks like (能カ → 能力)."""
    return _KANA_IN_KANJI.sub(lambda m: _KANA_FOR_KANJI[m.group()], text)


_KANA_BEFORE_WORD = regex.compile(r"(?<=\p{Han})([カロエニハタト])([\p{Katakana}ー]{2,})")
_KATAKANA_WORD = regex.compile(r"(?<![\p{Katakana}ー])[\p{Katakana}ー]{2,}")


def kana_before_word(text: str, words: set[str]) -> str:
    """``動カポンプ`` → ``動力ポンプ`` where the document writes ``ポンプ`` as a word of its own
    (``words``: katakana words standing after no katakana): the lone katakana between a kanji
    and a known word is the kanji it looks like, not the start of an unknown word."""
    def fix(m: regex.Match[str]) -> str:
        whole = m.group(1) + m.group(2)
        return _KANA_FOR_KANJI[m.group(1)] + m.group(2) if m.group(2) in words and whole not in words else whole

    return _KANA_BEFORE_WORD.sub(fix, text)


_TWIN_START = regex.compile(r"(?<=\p{Han})[カロエニハタト][\p{Katakana}ー]{2,}")


def katakana_words(texts: list[str]) -> set[str]:
    """Katakana words of the document standing after no katakana, but the ones a kanji's twin
    starts right after a kanji (``カポンプ`` in ``動カポンプ``: that is the question, not the answer)."""
    twins = {w for t in texts for w in _TWIN_START.findall(t)}
    return {w for t in texts for w in _KATAKANA_WORD.findall(t)} - twins


_ROAD_RADICAL = "道遺遍違遵遡逢遇遷運進遠適遅"  # 造 and 速 stay: 造成 and 速成 are words


def achieve(text: str) -> str:
    """``道成`` / ``遺成`` / ``違成`` → ``達成``: 達成 (the sheet's own word: its label 達成度 heads every
    result) is the one word in which a kanji of 達's radical ⻌ stands before 成."""
    return regex.sub(f"[{_ROAD_RADICAL}](?=成)", "達", text)


_END_FOR_NOT_YET = regex.compile(r"末(?=満|実施|達成|着手|提出|利用|受診|定)")


def not_yet(text: str) -> str:
    """``末満`` → ``未満``, ``末実施`` → ``未実施``: 末 (end) before these words is no Japanese; 未 (not
    yet) is the glyph it looks like."""
    return _END_FOR_NOT_YET.sub("未", text)


_GHOST_DO = regex.compile(r"(?<=\p{Han})どごど?(?=と)")


_WINDOW = regex.compile(r"恒(?=口)")


def counter_window(text: str) -> str:
    """``counter_window``: ``恒口`` is no Japanese word; ``窓口`` (the service counter, a word of every
    municipal sheet) is the one the engine reads so (``恒口サービス``, ``恒口業務``, ``書かない恒口``)."""
    return _WINDOW.sub("窓", text)


def ghost_before_goto(text: str) -> str:
    """``年度どごと`` → ``年度ごと``: ``どご`` stands in no Japanese word; the ご was read twice (three times:
    ``年度どごどと``, hard scan 17042)."""
    return _GHOST_DO.sub("ご", text)


_REI_SHAPED = regex.compile(r"[今吉合含冷鈴領零](?=和(?:\d{1,2}|元)年)")
_SEI_SHAPED = regex.compile(r"(?<=平)[戍戌或咸威](?=(?:\d{1,2}|元)年)")
_WA_AFTER_REI = regex.compile(r"(?<=令)(?!和)\p{Han}(?=(?:\d{1,2}|元)年)")  # 令命5年: no other era starts with 令


def era_name(text: str) -> str:
    """``era_name``: the era before a year is 令和, 平成 or 昭和, so a kanji shaped like 令 before
    ``和6年`` is 令 (``吉和6年4月2日`` → ``令和6年4月2日``), any kanji between 令 and a year is 和
    (``令命5年9月3日``, hard scan 17028), and one shaped like 成 after 平 is 成."""
    return _SEI_SHAPED.sub("成", _WA_AFTER_REI.sub("和", _REI_SHAPED.sub("令", text)))


_SECTION_END = regex.compile(rf"(?<=[\p{{Han}}\p{{Hiragana}}\p{{Katakana}}]{{2}})[{KA_SHAPED}]$")
_SECTION_WORD = regex.compile(rf"(?<=担当|所管|関係|各)[{KA_SHAPED}](?=[にのがはとへでや、])")


def section_suffix(text: str) -> str:
    """A section name's last glyph shaped like 課 is 課 (``行財政改革護`` → ``行財政改革課``)."""
    return _SECTION_END.sub("課", text)


def section_in_text(text: str) -> tuple[str, str]:
    """``section_in_text``: (the text, the section) of an initiative's text that ran on into its
    所管室・課 row (``…を実施します。所管室・課|人権推進課``: the rule under the text's cell lost), else
    ``(text, "")``. A label of the sheet stands in no sentence, so after a sentence's end it opens
    the next row, and the section name after it is the initiative's section."""
    for k in range(len(text) - 1, 0, -1):
        if text[k - 1] in "。)）":
            label, section = glued_label(text[k:])
            if label:
                return text[:k], section
    return text, ""


def section_word(text: str) -> str:
    """``担当諜に`` → ``担当課に``: after 担当/所管/関係/各 and before a particle, a glyph shaped like 課 is 課."""
    return _SECTION_WORD.sub("課", text)


def te_form(text: str) -> str:
    """``te_form``: a verb takes て in its 連用形, so a lone kana that makes it a plain form before て
    (:func:`~plansheet.core.lexicon.stray_before_te`: ``続けすてほしい``, hard scans 17066, 17067 and 17072, three
    times in one) is a stray glyph: ``続けてほしい``. It fires on none of the truth texts of the hard sets and
    samples, nor on the real document."""
    for k in reversed(stray_before_te(text)):
        text = text[:k] + text[k + 1:]
    return text


_TASK_WORD = regex.compile(rf"[{KA_SHAPED}諸](?=題)")


def task_word(text: str) -> str:
    """``task_word``: a glyph shaped like 課 (言 on the left) before 題 is 課: 課題 is the word, and 諜題, 謀題,
    諸題 are none (``対応が諜題として``, hard scan 17051; ``人権諸題``, hard scan 16507)."""
    return _TASK_WORD.sub("課", text)


_BAR_AFTER_KANA = regex.compile(r"(?<=[\p{Han}\p{Hiragana}、。])ー")


def bar_as_one(text: str) -> str:
    """A long-vowel bar follows katakana only; after a kanji or hiragana it is 一 (事業費のー部 → の一部)."""
    return _BAR_AFTER_KANA.sub("一", text)


_LEADING_MARK = regex.compile(r"^[。、，．・`‘'\"“”)） ]+(?=[\p{Han}\p{Hiragana}\p{Katakana}])")


def leading_mark(text: str) -> str:
    """A name (plan goal, field, title) starts with a word, never a stop, a quote mark or a closing
    bracket (``) すこやかに暮らし…``: the rest of a plan goal's ``(5)`` lost at the cell's rule)."""
    return _LEADING_MARK.sub("", text)


_DEBRIS = regex.compile(r"^[ー一ニ二“”〟\"'|｜_=~\-‐ 　]{3,}|[“”〟\"'|｜]?[ー一ニ二“”〟\"'|｜_=~\-‐ 　]{3,}$")


def rule_debris(text: str) -> str:
    """Ruling-line fragments read as ``ー一ニ“”`` runs at either end of a field."""
    def fix(m: regex.Match[str]) -> str:
        run = m.group()
        return "" if len(set(run.strip())) >= 2 or len(run.strip()) >= 4 else run

    return _DEBRIS.sub(fix, text)


TEXT_RULES: tuple[Callable[[str], str], ...] = (
    rule_debris, percent_doubled, percent_read_as_9, rate_over_200, thousands_comma, closing_quote,
    small_kana_doubled, kana_twin, kana_in_kanji, not_yet, achieve, counter_window, ghost_before_goto, section_word,
    task_word, te_form,
    bar_as_one, era_name,
)
# prose_space again after prose_brackets: a space beside a bracket it made full-width is beside a Japanese glyph
PROSE_RULES: tuple[Callable[[str], str], ...] = (prose_space, acronym_space, prose_brackets, prose_space, sentence_end)
_SPACE_IN_NAME = regex.compile(r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}ー々]) +(?=[\p{Han}\p{Hiragana}\p{Katakana}ー々])")


def name_space_jp(text: str) -> str:
    """``name_space_jp``: a plan goal, a 分野 or a goal title is one phrase: a space between two Japanese glyphs
    in it is OCR's (``み んなでつくる暮らし続けられるまち``, hard scan 17008); one beside a Latin word or a
    number stays (``SDGs 未来都市``)."""
    return _SPACE_IN_NAME.sub("", text)


NAME_RULES: tuple[Callable[[str], str], ...] = (leading_mark, name_space_jp)
_NAMES = ("plan_goal", "field", "title")


# 窓ロサービス: a kanji's katakana twin starting a word; ぜミ: a voiced kana no particle is, before katakana
_MIXED_WORD = regex.compile(r"\p{Han}[カロエニハタト][\p{Katakana}ー]+|[ざじぜぞだぢづぐげごびぶべぼぱぴぷぺぽ][ァ-ヺ][\p{Katakana}ー]*")


def mixed_words(texts: list[str]) -> Counter[str]:
    """How often the document writes each word that mixes scripts (``設カルテ``, ``動カポンプ``)."""
    return Counter(w for t in texts for w in _MIXED_WORD.findall(t))


def script_problem(text: str, words: Counter[str] | None = None) -> str | None:
    """A word that mixes scripts the way only a misread does, or ``None``; a mixed word the
    document writes the same way twice (``words``, e.g. 施設カルテ) is a word, not a misread."""
    found = _MIXED_WORD.findall(text)
    if not found or (words is not None and all(words[w] >= 2 for w in found)):
        return None
    return "a word mixes scripts"


# 平均2日 read 平均日: after 平均, 約 or 延べ a counter stands only behind its number (平均日数, 延べ人数 are words)
_COUNT_WITHOUT_NUMBER = regex.compile(APPROXIMATE + "(?:" + "|".join(APPROXIMATE_UNITS + ("%", "％")) + r")(?!\p{Han})")


# 8月2日 read 8月日, 令和元年8月 read 令和元年月2日: a date's day or month stands only behind its number (a
# particle or a mark follows the day: 8月日曜日, 生年月日 are no date)
_DATE_WITHOUT_NUMBER = regex.compile(r"(?<=\d月)日(?=[までにのからはを、。～〜\-－)）]|$)|(?<=(?:\d|元)年)月(?=\d)")


def grammar_problem(text: str, words: Counter[str] | None = None) -> str | None:
    """Why a prose field still breaks the sheet's grammar, or ``None`` (``words``: see :func:`script_problem`)."""
    if text.count("「") != text.count("」") or text.count("（") + text.count("(") != text.count("）") + text.count(")"):
        return "unbalanced brackets"
    if regex.search(r"[\p{Hiragana}\p{Han}][A-Za-z]$", text):
        return "a Latin letter ends Japanese prose"
    if regex.search(r"[〟『』]|[ー一ニ“”]{3,}|\d9(?=以上|未満|以下)|率は\d+(?:\.\d)?(?![\d.%])", text):
        return "a glyph the sheets never print here"
    if regex.search(r"\d\.\d{3}" + _COUNTER, text) or regex.search(r"%\d", text) \
            or regex.search(r"(?:率は|率が|比)\d+(?:\.\d+)?(?![\d.,%]|" + _COUNTER + ")", text):
        return "a number out of its grammar"
    if _COUNT_WITHOUT_NUMBER.search(text):
        return "a count with its number lost"
    if _DATE_WITHOUT_NUMBER.search(text):
        return "a date with its number lost"
    if not regex.search(r"[。）)」]$", text):
        return "prose that does not end a sentence"
    if _END_RUN_ON.search(text):  # 所管しています今年度は: a polite ending runs on into the next sentence
        return "a sentence's end with its 。 lost"
    return script_problem(text, words)


_END_RUN_ON = regex.compile(r"(?<!ます)(?:ます|ました|でした|です)(?=[\p{Han}\p{Katakana}])")


# ---------------------------------------------------------------------------- vocabulary
GUESS_RUN = 3  # a kanji run this short one kanji from a frequent one is kept as read and named (two words as often)
RIVAL_RUN = 5  # two once-only runs this long one kanji apart: one is misread (shorter ones are often two words)
_RUN = regex.compile(r"[\p{Han}\p{Katakana}ー]{3,}|[A-Za-z]{3,}")
_HAN = regex.compile(r"\p{Han}")


@dataclass
class Vocabulary:
    """A document's own words: runs of three or more kanji/katakana (or Latin letters), counted.

    A run seen once that is one look-alike away from a run seen at least twice (three times
    for a run of three; or from a department or section name, voted on across the sheets) is
    read as that run: one kanji replaced by a kanji in a run of the same length
    (``綱持管理経費`` → ``維持管理経費``), or one Latin letter more or less (``LLINE`` → ``LINE``). Whole
    runs must match, so a word that merely shares a context with a frequent one is never touched.
    A kanji run of three is kept as read and named (:meth:`guessed`): 相談会 beside a frequent
    相談員, 今年度 beside 次年度, 事業費 beside 事業者 are two words as often as one misread.
    """

    counts: Counter[str] = field(default_factory=Counter)
    open_at: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # the department and section names

    @classmethod
    def of(cls, texts: list[str], names: set[str]) -> "Vocabulary":
        v = cls(names={n for n in names if n})
        for text in texts + sorted(n for n in names if n) * 2:
            v.counts.update(_RUN.findall(text))
        for run in v.counts:
            for k, ch in enumerate(run):
                if _HAN.match(ch):
                    v.open_at.setdefault((k, run[:k] + "?" + run[k + 1:]), []).append(run)
        return v

    def word_for(self, run: str) -> str | None:
        """The frequent run ``run`` was misread from, or ``None``."""
        if self.counts[run] > 1:
            return None
        if run.isascii():
            from rapidfuzz.distance import Levenshtein

            near = [w for w in self.counts if w.isascii() and self.counts[w] >= 2 and w != run
                    and Levenshtein.distance(w, run) == 1]
        else:  # never from a 常用漢字 to a kanji outside them: municipal writing keeps to the list
            near = [w for k, ch in enumerate(run) if _HAN.match(ch)
                    for w in self.open_at.get((k, run[:k] + "?" + run[k + 1:]), ())
                    if w != run and self.counts[w] >= (2 if len(w) >= 4 else 3)
                    and not (ch in JOYO_KANJI and w[k] not in JOYO_KANJI)]
        return near[0] if len(set(near)) == 1 else None

    def better(self, text: str, sure: set[int] | None = None) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with every once-only run that has a frequent look-alike replaced by it, but a
        kanji run of :data:`GUESS_RUN` characters or fewer (see :meth:`guessed`); and the runs kept as
        read because they are words themselves (:meth:`a_word_itself`), each with the word it was not
        taken for. ``sure``: the positions of ``text`` whose glyph the engine did not doubt (``None``:
        none known, every glyph doubted)."""
        kept: list[tuple[str, str]] = []

        def replace(m: regex.Match[str]) -> str:
            run = m.group()
            word = None if self.kept_as_read(run) else self.word_for(run)
            if word is not None and sure is not None and a_word_itself(text, m.start(), run, word, sure):
                kept.append((run, word))
                return run
            return word or run

        return _RUN.sub(replace, text), kept

    def kept_as_read(self, run: str) -> bool:
        """A kanji run too short to be replaced by its look-alike (:data:`GUESS_RUN`), unless that is a
        section or department name of the document (``市民謀の窓口`` → ``市民課``: the sheets print it)."""
        return len(run) <= GUESS_RUN and not run.isascii() and self.word_for(run) not in self.names

    def rivals(self, text: str) -> list[tuple[str, str]]:
        """``(run, its rival)`` for each once-only run of ``text`` of :data:`RIVAL_RUN` characters
        or more that has a once-only look-alike elsewhere in the document (one kanji apart): neither
        reading outweighs the other, so one of them is misread (``男女共同参画`` in the basic policy,
        ``番女共同参画`` in a 分野), and both are named."""
        out = []
        for m in _RUN.finditer(text):
            run = m.group()
            if len(run) < RIVAL_RUN or run.isascii() or self.counts[run] != 1:
                continue
            others = sorted({w for k, ch in enumerate(run) if _HAN.match(ch)
                             for w in self.open_at.get((k, run[:k] + "?" + run[k + 1:]), ())
                             if w != run and self.counts[w] == 1})
            if others:
                out.append((run, others[0]))
        return out

    def guessed(self, text: str) -> list[tuple[str, str]]:
        """``(run, the frequent run)`` for each short run of ``text`` one look-alike from a frequent one.

        In a run of three, one kanji apart is as often two words as one misread (相談会 beside a
        frequent 相談員, 今年度 beside 次年度): :meth:`better` keeps a kanji run as read (replacing it
        cost more right fields than it won on the fresh scan fuzz sets) and the field is named; a
        Latin run (``LNE``) or a run one kanji from a section name (``市民謀`` → ``市民課``) is replaced,
        and named too.
        """
        return [(m.group(), w) for m in _RUN.finditer(text)
                if len(m.group()) <= GUESS_RUN and (w := self.word_for(m.group()))]


def a_word_itself(text: str, start: int, run: str, word: str, sure: set[int]) -> bool:
    """The once-only ``run`` at ``start`` of ``text`` is another word, not a misread of the frequent ``word``:
    every kanji they differ by the engine was sure of and stands inside a word of two kanji the dictionary
    holds (``地元住民`` beside a frequent ``地域住民``: 地元 and 地域 are both words, and 元 looks nothing like
    域). A look-alike misread makes no word (``綱持管理`` for 維持管理, ``企両調整課`` for 企画調整課)."""
    if len(run) != len(word):
        return False
    apart = [start + k for k, (a, b) in enumerate(zip(run, word)) if a != b]
    return bool(apart) and all(p in sure and in_known_word(text, p) for p in apart)


TWIN_HAN_RUN = 4  # a kanji run this long or longer may take its twin's kanji (shorter ones are often two words)
_KATAKANA_RUN = regex.compile(r"(?<![\p{Katakana}ー])[\p{Katakana}ー]{3,}(?![\p{Katakana}ー])")


def doubted_at(text: str, doubted: Sequence[DoubtedGlyph]) -> set[int]:
    """The positions in ``text`` of the glyphs the engine doubted (below :func:`doubt_below`), each found
    by the glyphs read beside it (spaces a repair took out allowed for); a glyph not found is left out."""
    out: set[int] = set()
    for d in doubted:
        if d.confidence >= doubt_below(d.text):
            continue
        for before, after in ((d.before, d.after), (d.before.replace(" ", ""), d.after.replace(" ", ""))):
            at = text.find(before + d.text + after)
            if at >= 0:
                out.update(range(at + len(before), at + len(before) + len(d.text)))
                break
    return out


@dataclass(frozen=True)
class Reading:
    """One word of a document as read: in text ``field`` (an index) at ``start``; ``doubted``: the
    positions in the word of glyphs the engine doubted."""

    field: int
    start: int
    word: str
    doubted: frozenset[int]


def _twin_of(this: Reading, other: Reading) -> bool:
    """True when ``this`` is ``other`` with one glyph the engine doubted (in ``this``, not in ``other``)
    read as another glyph of its script, or read as an extra glyph (``NRPO`` for ``NPO``)."""
    a, b = this.word, other.word
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) != 1 or diff[0] not in this.doubted or diff[0] in other.doubted:
            return False
        k = diff[0]
        same_script = any(regex.match(p, a[k]) and regex.match(p, b[k]) for p in (r"\p{Han}", r"\p{Katakana}", r"[A-Za-z]"))
        return same_script and (not _HAN.match(a[k]) or len(a) >= TWIN_HAN_RUN)
    return len(a) == len(b) + 1 and any(a[:k] + a[k + 1:] == b for k in this.doubted if k < len(a))


def doubted_twins(texts: list[str], doubted: list[set[int]]) -> list[tuple[Reading, Reading]]:
    """``doubted_twin``: ``(reading, the reading it takes)`` for each word the document writes once that is
    one glyph from another word it writes once, where the engine doubted that glyph here and not there:
    two readings of one word (``男女共同参画`` in the basic policy, ``番女共同参画`` in a 分野 with 番 at
    0.97; ``コンビニ``/``コンピニ``; ``NPO``/``NRPO``), and the sure one is the word. Words: runs of kanji
    and katakana (kanji runs of :data:`TWIN_HAN_RUN` or more where a kanji differs), katakana words,
    Latin words, three glyphs or more; ``doubted``: each text's doubted positions (:func:`doubted_at`)."""
    found = {(k, m.start(), m.group()) for k, text in enumerate(texts) for pattern in (_RUN, _KATAKANA_RUN)
             for m in pattern.finditer(text)}  # a katakana word alone is one run of both kinds: once
    readings = [Reading(k, start, word, frozenset(p - start for p in doubted[k] if start <= p < start + len(word)))
                for k, start, word in sorted(found)]
    counts = Counter(r.word for r in readings)
    once = [r for r in readings if counts[r.word] == 1]
    by_word = {r.word: r for r in once}
    by_mask: dict[tuple[int, str], list[Reading]] = {}  # each word with one glyph masked: its same-length twins
    for o in once:
        for k in range(len(o.word)):
            by_mask.setdefault((k, o.word[:k] + "\0" + o.word[k + 1:]), []).append(o)
    out = []
    for r in once:
        candidates = [o for k in r.doubted for o in by_mask.get((k, r.word[:k] + "\0" + r.word[k + 1:]), [])]
        candidates += [by_word[w] for k in r.doubted if (w := r.word[:k] + r.word[k + 1:]) in by_word]
        twins = {o.word: o for o in candidates if o.word != r.word and _twin_of(r, o)}
        if len(twins) == 1:
            out.append((r, next(iter(twins.values()))))
    return out


def _doubted_texts(fields: list[TextField], glyphs: Sequence[FieldGlyph]) -> tuple[list[str], list[set[int]]]:
    """The text of each field and the positions in it of the glyphs the engine doubted (:func:`doubted_at`)."""
    texts = [getattr(f.owner, f.name) or "" for f in fields]
    return texts, [doubted_at(t, [d for g in glyphs if g.record is f.owner and g.name in (f.name, "")
                                  for d in g.doubted]) if t else set() for f, t in zip(fields, texts)]


CONTEXT_WIDTH = 2  # glyphs each side: one each side is too little (一体的 beside two が主体, both words)


def doubted_in_context(texts: list[str], doubted: list[set[int]]) -> list[tuple[int, int, str]]:
    """``doubted_in_context``: ``(text index, position, what stands there)`` for each glyph the engine doubted
    whose neighbours, :data:`CONTEXT_WIDTH` glyphs each side, the document writes around one other kanji
    instead (``…や指潤を行…`` where ``や指導を行`` stands elsewhere, ``との壷が寄`` beside ``との声が寄``),
    or, for any letter, with nothing between (``続けすてほ`` where ``続けてほ`` stands elsewhere: ``""``, a
    glyph read twice or from a speck). The reading as read is written nowhere else; neighbours with a
    digit or a space say nothing. ``doubted``: each text's doubted positions (:func:`doubted_at`)."""
    out = []
    w = CONTEXT_WIDTH
    around: dict[tuple[str, str], Counter[str]] = {}  # (w glyphs before, w after) → the kanji between, or ""
    if any(doubted):
        for other in texts:
            for q in range(w, len(other) - w + 1):
                if q + w < len(other) and _HAN.match(other[q]):
                    around.setdefault((other[q - w:q], other[q + 1:q + 1 + w]), Counter())[other[q]] += 1
                around.setdefault((other[q - w:q], other[q:q + w]), Counter())[""] += 1
    for k, text in enumerate(texts):
        for p in sorted(doubted[k]):
            left, right = text[max(p - w, 0):p], text[p + 1:p + 1 + w]
            if not regex.match(r"\p{L}", text[p]) or len(left) < w or len(right) < w \
                    or not regex.fullmatch(r"[^\s\d]+", left + right):
                continue
            seen = around.get((left, right), Counter())
            for between in ("han", "") if _HAN.match(text[p]) else ("",):
                others = [ch for ch in seen if ch != text[p] and (ch != "") == (between == "han")]
                if len(others) == 1 and sum(other.count(left + text[p] + right) for other in texts) == 1:
                    out.append((k, p, others[0]))
                    break
    return out


def vote(readings: list[str]) -> dict[str, str]:
    """Readings one character apart (a look-alike or a glyph lost at a rule) → the most frequent one."""
    from rapidfuzz.distance import Levenshtein

    counts = Counter(r for r in readings if r)
    out = {}
    for r in counts:
        best = max((c for c in counts if c != r and Levenshtein.distance(r, c) == 1 and len(c) >= len(r)),
                   key=lambda c: counts[c], default=None)
        if best is not None and counts[best] > counts[r]:
            out[r] = best
    return out


def changed(before: str, after: str, context: int = 4) -> str:
    """The changed part of a repaired text with a little context: ``'は32.942,.289円で' → 'は32,942,289円で'``."""
    from difflib import SequenceMatcher

    blocks = [op for op in SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not blocks:
        return f"{before!r}"
    i0, i1, j0, j1 = blocks[0][1], blocks[-1][2], blocks[0][3], blocks[-1][4]
    lead, tail = min(context, i0), min(context, len(before) - i1)
    a = ("…" if i0 > lead else "") + before[i0 - lead:i1 + tail] + ("…" if i1 + tail < len(before) else "")
    b = ("…" if j0 > lead else "") + after[j0 - lead:j1 + tail] + ("…" if j1 + tail < len(after) else "")
    return f"{a!r} → {b!r}"


# ---------------------------------------------------------------------------- the document
Caps = dict[int, tuple[object, float]]  # id(record) → (record, the confidence it may have at most)


def cap(capped: Caps, owner: object, value: float) -> None:
    """Lower the most ``owner``'s confidence may be to ``value`` (applied at the end of :func:`repair_document`)."""
    capped[id(owner)] = (owner, min(capped.get(id(owner), (owner, 1.0))[1], value))


def _fields(doc: object) -> Iterator[TextField]:
    """The text fields the repairs and doubts read (:func:`~plansheet.parsers.records.text_fields`):
    all but the department (voted on across the sheets) and the officers (a person's name is no
    vocabulary; :mod:`ocr_doubt` checks them)."""
    return (f for f in text_fields(doc) if f.name != "department" and not isinstance(f.owner, Officer))  # type: ignore[arg-type]


_DOCUMENT_FIELD = {"basic_policy": "basic policy", "fiscal_year": "fiscal year"}


def glyph_field_name(doc: object, glyph: FieldGlyph, records: dict[int, str] | None = None) -> str:
    """How a warning names the field of ``glyph``: ``goal 2 target 1 status``, ``basic policy``,
    ``officer 部長`` (its whole cell), ``legend B`` (its whole entry). ``records``: each record's
    name by ``id``, as :func:`_record_names` gives it (built once for many glyphs)."""
    if glyph.record is doc:
        return _DOCUMENT_FIELD.get(glyph.name, glyph.name.replace("_", " "))
    if hasattr(glyph.record, "position"):
        where = f"officer {glyph.record.position}"  # type: ignore[attr-defined]
    else:
        where = (records if records is not None else _record_names(doc)).get(id(glyph.record), "a record")
    return f"{where} {glyph.name}" if glyph.name else where


def _record_names(doc: object) -> dict[int, str]:
    """How warnings name each record of ``doc`` with fields (:func:`_fields`), by the record's ``id``."""
    names: dict[int, str] = {}
    for f in _fields(doc):
        names.setdefault(id(f.owner), f.where)
    return names


def doubt_below(glyph: str) -> float:
    """The confidence below which a glyph is doubted: :data:`LATIN_DOUBT` for a Latin letter (the
    Japanese model reads ``LINE`` as ``LLINE`` or ``LNE`` and scores the letters 0.98–0.99),
    :data:`GLYPH_DOUBT` for every other glyph."""
    return LATIN_DOUBT if glyph.isascii() and glyph.isalpha() else GLYPH_DOUBT


def doubted_fields(doc: object, glyphs: Sequence[FieldGlyph]) -> list[FieldGlyph]:
    """The fields with a glyph the engine doubted: below :data:`GLYPH_DOUBT`, or a Latin letter
    below :data:`LATIN_DOUBT` (:func:`doubt_below`), unless every such glyph is a sign the grammar
    writes in its number (:func:`number_sign`)."""
    out = []
    for g in glyphs:
        weak = [d for d in g.doubted if d.confidence < doubt_below(d.text)]
        text = getattr(g.record, g.name, "") if g.name else ""
        text = text if isinstance(text, str) else ""
        if weak and all(number_sign(d, text) or d.confidence >= WORD_FORGIVES
                        and (dictionary_word(d, text) or grammar_glyph(d)) for d in weak):
            continue
        if g.weakest < GLYPH_DOUBT or weak:
            out.append(g)
    return out


# a doubted kanji the dictionary or the grammar explains names no field only from this confidence up: lower, a
# look-alike that makes another real word is as likely (入口 for 人口, 保険 for 保健, 千 for 万 before 円)
WORD_FORGIVES = 0.9


def dictionary_word(glyph: DoubtedGlyph, text: str) -> bool:
    """``dictionary_word``: a doubted kanji that stands inside a word of two kanji or more the dictionary
    knows (:func:`~plansheet.core.lexicon.in_known_word`), in a field where no kanji word is unknown
    to it (:func:`~plansheet.core.lexicon.unknown_words`): a look-alike read there would have made
    another real word of its neighbours, and the engine's doubt names nothing."""
    if not _HAN.match(glyph.text) or not text:
        return False
    where = doubted_at(text, [DoubtedGlyph(glyph.text, 0.0, glyph.before, glyph.after)])
    return bool(where) and not unknown_words(text) and all(in_known_word(text, p) for p in where)


_ERA_YEAR = regex.compile(r"^和(?:\d|元)")


def grammar_glyph(glyph: DoubtedGlyph) -> bool:
    """``grammar_glyph``: a doubted kanji that is the word the sheet's grammar writes in its place, so it names
    no field: the 千 of an amount in thousands of yen between a digit and 円 (``27,609千円``; its look-alike
    十 there is read as no amount, ``thousands_comma``) and the 令 of the era before ``和N年`` (``era_name``:
    the era is 令和, 平成 or 昭和). Measured on the fresh hard scans (16001–16048): these were about a sixth
    of the fields named for a doubted kanji, none of them wrong. The 課 ending a 所管室・課 name is not one:
    ``福祉総葬課`` (for 福祉総務課, tune scan 1004) had its 課 doubted and its misread 葬 sure."""
    if glyph.text == "千":
        return glyph.before[-1:].isdigit() and glyph.after.startswith("円")
    return glyph.text == "令" and bool(_ERA_YEAR.match(glyph.after))


def number_sign(glyph: DoubtedGlyph, text: str = "") -> bool:
    """``number_sign``: a doubted glyph that is the sign the grammar writes in that place of a number, so
    it names no field: a ``%`` after a digit (or after another ``%``, one glyph read twice, which
    ``percent_doubled`` makes one) that cannot be a piece of it (not a 6, 8 or 9, :data:`PERCENT_LOOPS`:
    in ``達成率は79%`` for 7 % the engine was sure of the 9 and doubted only the ``%``), a comma between
    a digit and three more (a thousands comma, which ``thousands_comma`` writes whatever the engine saw),
    and a full stop there that ``thousands_comma`` made a comma in the field's ``text`` as repaired
    (``延べ8.214人`` → ``8,214人``). The engine is least sure of exactly these small signs (a ``%`` is a
    loop, a slash and a loop; a comma a speck), and what it could have misread them for is a sign the
    grammar puts back; the digits around them keep their own doubt. Measured on the hard scans: with
    the loop digits excluded, a field whose only weak glyphs were such signs held a misread on none of
    the tune, seen, judged or fresh sets (bench/README.md)."""
    if glyph.text in ",.":
        grouped = glyph.before[-1:].isdigit() and len(glyph.after) >= 3 and glyph.after[:3].isdigit()
        return grouped and (glyph.text == "," or f"{glyph.before},{glyph.after}" in text)
    digit = glyph.before.rstrip("%")[-1:]
    return glyph.text == "%" and digit.isdigit() and digit not in PERCENT_LOOPS


def legend_confirmed(bands: Sequence[object]) -> set[int]:
    """``legend_chain``: the ``id`` of each band whose letter and bounds the legend itself confirms.

    The letters run A, B, C … with none lost; each bound is read twice, as a band's lower bound
    and as the upper bound of the band below (B ``70%以上100%未満``, C ``50%以上70%未満``), or is an
    end of the scale (the top band's 100 %, a bottom band of 0 % alone): where both readings
    agree, the numbers are right (one misread breaks the chain, :func:`check_legend` empties a bound
    that breaks N%以上M%未満). Only the label and the description of such a band can hold a
    misread its weak glyph stands for; a band with a bound read once (``50%未満`` alone) is not
    confirmed."""
    letters = [getattr(b, "grade", None) for b in bands]
    if len(bands) < 2 or letters != [chr(ord("A") + k) for k in range(len(bands))]:
        return set()
    out = set()
    for k, band in enumerate(bands):
        lo, hi = band.min_pct, band.max_pct  # type: ignore[attr-defined]
        if k == len(bands) - 1 and lo == hi == 0:
            out.add(id(band))
            continue
        top = hi == 100 if k == 0 else hi is not None and hi == bands[k - 1].min_pct  # type: ignore[attr-defined]
        below = k < len(bands) - 1 and lo is not None and lo == bands[k + 1].max_pct  # type: ignore[attr-defined]
        if top and below:
            out.add(id(band))
    return out


def weak_glyph_notes(doc: object, glyphs: Sequence[FieldGlyph]) -> list[str]:
    """One warning per page naming the fields of ``glyphs`` (:func:`doubted_fields`); a legend band
    the legend confirms (:func:`legend_confirmed`) is named by its label and description only."""
    by_page: dict[object, list[str]] = {}
    records = _record_names(doc)
    confirmed = legend_confirmed(getattr(doc, "grade_scale", []))
    for glyph in glyphs:
        name = glyph_field_name(doc, glyph, records)
        names = [f"{name} label", f"{name} description"] if id(glyph.record) in confirmed else [name]
        fields = by_page.setdefault(glyph.page if glyph.page is not None else getattr(glyph.record, "page", None), [])
        fields += [n for n in names if n not in fields]
    return [f"page {page if page is not None else '?'}{WEAK_GLYPH_NOTE} (confidence below {GLYPH_DOUBT}, a Latin "
            f"letter {LATIN_DOUBT}) in "
            + ", ".join(fields) + "; check these fields" for page, fields in sorted(by_page.items(), key=_page_order)]


def _page_order(item: tuple[object, list[str]]) -> tuple[bool, int]:
    return (item[0] is None, item[0] if isinstance(item[0], int) else 0)


def is_weak_glyph_note(warning: str) -> bool:
    """True for the line :func:`weak_glyph_notes` writes for a page."""
    return WEAK_GLYPH_NOTE in warning


def weak_glyph_fields(note: str) -> list[str]:
    """The fields a :func:`weak_glyph_notes` line names, as written (``goal 2 title``, ``legend B``)."""
    return note.split(") in ", 1)[-1].rsplit("; check", 1)[0].split(", ")


def _at(goal: object, initiative: object) -> str:
    """How a warning names an initiative, with its page: ``goal 2 initiative 1 (page 3)``."""
    page = getattr(initiative, "page", None) or getattr(goal, "page", None)
    return f"goal {goal.goal_no} initiative {initiative.initiative_no}" + (  # type: ignore[attr-defined]
        f" (page {page})" if page is not None else "")


def repair_document(doc: object, departments: list[str] | None = None,
                    glyphs: Sequence[FieldGlyph] = ()) -> list[str]:
    """Apply every rule to an OCR'd :class:`~plansheet.parsers.records.ParsedDocument` in place.

    ``departments``: the 部 cell as each sheet of the document read it; ``glyphs``: the weakest
    glyph of each field read (see ``weak_glyph`` in the module docstring). Returns the repairs
    and doubts made, one warning line each (the caller adds them to the document's warnings).
    """
    notes: list[str] = []
    capped: Caps = {}

    def note(owner: object, where: str, name: str | None, rule: str, before: str, after: str) -> None:
        field = where if name is None else f"{where} {name}"  # a TextField's name (with its page), or where + name
        notes.append(f"{field}{REPAIR_NOTE}{rule}) {changed(before, after)}")
        cap(capped, owner, REPAIRED_CONFIDENCE)
        if rule in GUESSED_RULES:
            notes.append(f"{field}: OCR text doubtful ({rule} guessed {changed(before, after)}; "
                         "the value read may be the true one)")

    goals = doc.goals  # type: ignore[attr-defined]
    initiatives = [i for g in goals for i in g.initiatives]

    for g in goals:
        for i in g.initiatives:
            text, section = section_in_text(i.text or "") if i.section is None else ("", "")
            if section:
                note(i, _at(g, i), "section", "section_in_text", i.text, text)
                i.text, i.section = text, section
    for i in initiatives:
        for rule in (prose_space, section_suffix):  # a name has no space inside it (接種推 進室, a wrapped cell)
            if i.section and rule(i.section) != i.section:
                g = next(g for g in goals if i in g.initiatives)
                note(i, _at(g, i), "section", rule.__name__, i.section,
                     rule(i.section))
                i.section = rule(i.section)

    # names voted on across the document
    if departments and doc.department:  # type: ignore[attr-defined]
        fixed = vote([doc.department, *departments]).get(doc.department)  # type: ignore[attr-defined]
        if fixed:
            notes.append(f"department{REPAIR_NOTE}vocabulary) {changed(doc.department, fixed)}")  # type: ignore[attr-defined]
            doc.department = fixed  # type: ignore[attr-defined]
    sections = vote([i.section for i in initiatives if i.section])
    for i in initiatives:
        if i.section in sections:
            g = next(g for g in goals if i in g.initiatives)
            note(i, _at(g, i), "section", "vocabulary", i.section,
                 sections[i.section])
            i.section = sections[i.section]

    fields = list(_fields(doc))

    def apply(name: str, rule: Callable[[str], str]) -> None:
        """Run a document-wide ``rule`` on every filled field, noting each change as ``name``."""
        for f in fields:
            value = getattr(f.owner, f.name)
            after = rule(value) if value else value
            if after != value:
                note(f.owner, f.named, None, name, value, after)
                setattr(f.owner, f.name, after)

    # before percent_doubled makes one % of the two: the pieces of a % read in pieces
    if not two_decimal_style([getattr(f.owner, f.name) or "" for f in fields]):
        apply("percent_broken", percent_broken)
    # a bare rate is taken for one whose % was misread only where the document writes its rates with %
    with_percent = any(_RATE_WITH_PERCENT.search(getattr(f.owner, f.name) or "") for f in fields)
    for f in fields:
        value = getattr(f.owner, f.name)
        doubted = [d for g in glyphs if g.record is f.owner and g.name in (f.name, "") for d in g.doubted]
        for rule in (percent_loop, percent_as_digits) if with_percent else (percent_loop,):
            after = rule(value, doubted) if value and doubted else value
            if after != value:
                note(f.owner, f.named, None, rule.__name__, value, after)
                setattr(f.owner, f.name, after)
                value = after
    notes += _letters_apart(fields, capped)  # before acronym_space joins N PO: the width is unknown either way
    # grammar rules, field by field
    for f in fields:
        value = getattr(f.owner, f.name)
        if not value:
            continue
        # prose_space first: a number cut by a line's end (``661千 円``) is one number again for the text rules
        rules = (prose_space,) + TEXT_RULES + PROSE_RULES if f.name in _PROSE else \
            TEXT_RULES + (NAME_RULES if f.name in _NAMES else ())
        for rule in rules:
            after = rule(value)
            if after != value:
                note(f.owner, f.named, None, rule.__name__, value, after)
                value = after
        setattr(f.owner, f.name, value or None)

    texts = [getattr(f.owner, f.name) or "" for f in fields]
    percents = [p for t in texts for p in _PERCENT_DECIMALS.findall(t)]
    one_decimal = sum(1 for p in percents if len(p) == 1)
    if one_decimal >= 1 and not two_decimal_style(texts):
        apply("percent_extra_9", percent_extra_9)
    if one_decimal >= 2 and sum(1 for p in percents if len(p) > 1) < one_decimal:
        apply("percent_one_decimal", percent_one_decimal)
    known = katakana_words([getattr(f.owner, f.name) or "" for f in fields])
    apply("kana_before_word", lambda value: kana_before_word(value, known))
    apply("counter_window", counter_window)  # 恒ロサービス is 恒口サービス only now

    # two readings of one word, once each, the engine doubting the glyph they differ by in one of them
    texts, where_doubted = _doubted_texts(fields, glyphs)
    for r, twin in sorted(doubted_twins(texts, where_doubted), key=lambda pair: (pair[0].field, -pair[0].start)):
        f, value = fields[r.field], getattr(fields[r.field].owner, fields[r.field].name)
        if value[r.start:r.start + len(r.word)] == r.word:
            after = value[:r.start] + twin.word + value[r.start + len(r.word):]
            note(f.owner, f.named, None, "doubted_twin", value, after)
            setattr(f.owner, f.name, after)
            sure = fields[twin.field]  # the reading taken may be the misread one: it is named too
            notes.append(f"{sure.named}: OCR text doubtful ({twin.word!r} here was taken as the "
                         f"reading of {r.word!r} in {f.named}; if this one is the misread, both are wrong)")
            cap(capped, sure.owner, REPAIRED_CONFIDENCE)

    # a doubted glyph between neighbours the document writes around another kanji, or around nothing
    texts, where_doubted = _doubted_texts(fields, glyphs)
    for k, p, glyph in sorted(doubted_in_context(texts, where_doubted), key=lambda found: (found[0], -found[1])):
        f, value = fields[k], texts[k]
        after = value[:p] + glyph + value[p + 1:]
        texts[k] = after
        note(f.owner, f.named, None, "doubted_in_context", value, after)
        setattr(f.owner, f.name, after)
    # a kanji the sheets never print between neighbours the document writes around a 常用 kanji
    for k, p, glyph in sorted(outside_joyo_in_context(texts), key=lambda found: (found[0], -found[1])):
        f, value = fields[k], texts[k]
        after = value[:p] + glyph + value[p + 1:]
        texts[k] = after
        note(f.owner, f.named, None, "joyo_in_context", value, after)
        setattr(f.owner, f.name, after)

    # the document's own vocabulary
    # the names voted on across the sheets, as repaired above; a 分野 is read once, in the overview, and counts
    # as the text it is
    names = {doc.department or "", *(i.section or "" for i in initiatives)}  # type: ignore[attr-defined]
    vocabulary = Vocabulary.of([getattr(f.owner, f.name) or "" for f in fields] + [g.plan_goal or "" for g in goals],
                               names)
    for f in fields:
        value = getattr(f.owner, f.name)
        if value:
            doubted = doubted_at(value, [d for g in glyphs if g.record is f.owner and g.name in (f.name, "")
                                         for d in g.doubted])
            after, words = vocabulary.better(value, set(range(len(value))) - doubted)
            if after != value:
                note(f.owner, f.named, None, "vocabulary", value, after)
                setattr(f.owner, f.name, after)
            for run, word in words:
                notes.append(f"{f.named}: OCR text doubtful (read {run!r}, kept: a word itself, read "
                             f"surely, though the document writes {word!r} elsewhere; one kanji apart, a misread "
                             "or another word)")
                cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
            for run, word in vocabulary.guessed(value):
                notes.append(f"{f.named}: OCR text doubtful (read {run!r}, kept, beside the document's "
                             f"{word!r}: one kanji apart in a short word is a misread or two words)"
                             if vocabulary.kept_as_read(run) else
                             f"{f.named}: OCR text doubtful (read {run!r}, taken as the document's "
                             f"{word!r}: one character apart in a short word may be two words)")
                cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
            for run, other in vocabulary.rivals(after):
                notes.append(f"{f.named}: OCR text doubtful (the document writes {run!r} here and "
                             f"{other!r} elsewhere, once each: one of them is misread)")
                cap(capped, f.owner, DOUBTFUL_CONFIDENCE)

    notes += _enumerators(doc, capped)
    notes += _outside_joyo(fields, [doc.department or ""], capped)  # type: ignore[attr-defined]
    notes += _unknown_words(fields, [doc.department or ""], capped)  # type: ignore[attr-defined]
    notes += _phrase_twins(fields, capped)
    notes += _voicing_twins(fields, capped)
    notes += _grade_in_text(doc, capped)
    notes += _grades(doc, capped)
    notes += _lost_fields(doc, capped, notes)
    words = mixed_words([getattr(f.owner, f.name) or "" for f in fields])
    for f in fields:
        value = getattr(f.owner, f.name)
        problem = (grammar_problem(value, words) if f.name in _PROSE else script_problem(value, words)) if value else None
        if problem:
            notes.append(f"{f.named}: OCR text doubtful ({problem})")
            cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
    doubted = doubted_fields(doc, glyphs)
    for glyph in doubted:
        cap(capped, glyph.record, WEAK_GLYPH_CONFIDENCE)
    notes[:0] = weak_glyph_notes(doc, doubted)
    for owner, most in capped.values():
        if hasattr(owner, "confidence") and owner.confidence is not None:
            owner.confidence = min(owner.confidence, most)
    return notes




def outside_joyo(text: str, pairs: Counter[str]) -> list[str]:
    """``joyo_kanji``: the kanji of ``text`` outside the 常用漢字表 that stand in no pair of glyphs
    the document writes twice (``pairs``: every two neighbouring glyphs of the document, counted).

    Municipal writing keeps to the 常用漢字 (the Cabinet's rules for official documents), so on a
    scan such a kanji is more often a look-alike the engine was sure of (``支攫`` for 支援,
    ``困竈`` for 困窮, ``蹟まえて`` for 踏まえて) than a word; a word the document writes twice (``柏原市``)
    is a word. A rare true one written once (``誹謗中傷``) is named too: the honest cost."""
    out = []
    for i, ch in enumerate(text):
        if ch in JOYO_KANJI or ch in _NOT_KANJI or not _HAN.match(ch):
            continue
        before = text[i - 1:i + 1] if i else ""
        if pairs[before] < 2 and pairs[text[i:i + 2]] < 2:
            out.append(text[max(i - 2, 0):i + 3])
    return out


def outside_joyo_in_context(texts: list[str]) -> list[tuple[int, int, str]]:
    """``joyo_in_context``: ``(text index, position, kanji)`` for each kanji outside the 常用漢字 whose
    neighbours, :data:`CONTEXT_WIDTH` glyphs each side (a text's start or end counting as one), the
    document writes around one 常用 kanji instead, and nowhere around this one (``計画に塵づく`` where
    ``計画に基づく`` stands elsewhere, ``的な修繝`` ending a title where the overview's ``的な修繕`` ends
    it): the rule of :func:`doubted_in_context`, with a kanji the sheets never print standing for the
    engine's doubt (the engine was sure of these look-alikes)."""
    wrapped = [f"\x02{t}\x03" for t in texts]
    outside = [{i for i, ch in enumerate(t) if kanji_outside_joyo(ch)} for t in wrapped]
    return [(k, p - 1, ch) for k, p, ch in doubted_in_context(wrapped, outside) if ch in JOYO_KANJI]


def _outside_joyo(fields: list[TextField], names: list[str], capped: Caps) -> list[str]:
    """:func:`outside_joyo` over the document's fields, as doubts (``names``: more of its text)."""
    texts = [getattr(f.owner, f.name) or "" for f in fields]
    pairs = Counter(t[i:i + 2] for t in texts + names for i in range(len(t) - 1))
    out = []
    for f, text in zip(fields, texts):
        found = outside_joyo(text, pairs)
        if found:
            out.append(f"{f.named}: OCR text doubtful (a kanji outside the Jōyō kanji in "
                       f"{', '.join(repr(w) for w in found)}, a word the document writes once)")
            cap(capped, f.owner, WEAK_GLYPH_CONFIDENCE)  # a suspicion, as a weak glyph is; no grammar broken
    return out


def _unknown_words(fields: list[TextField], names: list[str], capped: Caps) -> list[str]:
    """``unknown_word`` over the document's fields, as doubts (``names``: more of its text): a kanji word no
    dictionary knows (:func:`~plansheet.core.lexicon.unknown_words`) is a look-alike the engine may
    have been sure of (``人権優害`` for 人権侵害 at 0.9947)."""
    texts = [getattr(f.owner, f.name) or "" for f in fields]
    pairs = kanji_pairs(texts + names)
    out = []
    for f, text in zip(fields, texts):
        # a run with a kanji outside the Jōyō list is joyo_kanji's to name (written twice, it is a word)
        found = [run for run in unknown_words(text, pairs) if not kanji_outside_joyo(run)] if text else []
        if found:
            out.append(f"{f.named}: OCR text doubtful (no dictionary knows the word in "
                       f"{', '.join(repr(w) for w in found)})")
            cap(capped, f.owner, WEAK_GLYPH_CONFIDENCE)  # a suspicion, as a weak glyph is
    return out


TWIN_CONTEXT = 6


def phrase_twins(texts: list[str], context: int = TWIN_CONTEXT) -> list[tuple[int, str, str]]:
    """Kanji that differ between two readings of one phrase: ``(text index, this reading, the
    other readings)`` for the rarer reading of each phrase (every reading when they tie)."""
    index: dict[tuple[str, str], dict[str, list[int]]] = {}
    for k, text in enumerate(texts):
        for i, ch in enumerate(text):
            if _HAN.match(ch) and context <= i < len(text) - context:
                key = (text[i - context:i], text[i + 1:i + 1 + context])
                index.setdefault(key, {}).setdefault(ch, []).append(k)
    out = []
    for (left, right), readings in index.items():
        if len(readings) < 2:
            continue
        fewest = min(len(v) for v in readings.values())
        for ch, owners in readings.items():
            if len(owners) == fewest:
                others = "/".join(sorted(c for c in readings if c != ch))
                out += [(k, f"{left}{ch}{right}", f"{left}{others}{right}") for k in sorted(set(owners))]
    return out


_VOICING_MARKS = regex.compile("[\u3099\u309a]")


def voicing_twins(texts: list[str]) -> list[tuple[int, str, str]]:
    """``voicing_twins``: katakana words of the document that differ only in their voicing marks (゛ ゜:
    ``コンビニ``/``コンピニ``, the smallest strokes on the page), where a spelling is written once: ``(text
    index, that spelling, the other spellings)``. One of two such readings of a word is misread, and the
    engine can be sure of either (fresh hard scans --seed 14091: ``コンピニ`` at 0.9946, named by nothing)."""
    words = [(k, m.group()) for k, t in enumerate(texts) for m in _KATAKANA_RUN.finditer(t)]
    counts = Counter(w for _, w in words)
    spellings: dict[str, set[str]] = {}
    for w in counts:
        spellings.setdefault(_VOICING_MARKS.sub("", unicodedata.normalize("NFD", w)), set()).add(w)
    out = []
    for k, w in words:
        others = spellings[_VOICING_MARKS.sub("", unicodedata.normalize("NFD", w))] - {w}
        if others and counts[w] == 1:
            out.append((k, w, "/".join(sorted(others))))
    return out


def _voicing_twins(fields: list[TextField], capped: Caps) -> list[str]:
    """:func:`voicing_twins` over the document's fields, as doubts."""
    out = []
    for k, here, there in voicing_twins([getattr(f.owner, f.name) or "" for f in fields]):
        f = fields[k]
        out.append(f"{f.named}: OCR text doubtful (the document writes {here!r} once and {there!r}: "
                   "words one voicing mark apart, one of them misread)")
        cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
    return out


def _phrase_twins(fields: list[TextField], capped: Caps) -> list[str]:
    """``phrase_twins`` over the document's fields, as doubts (see the module docstring)."""
    texts = [getattr(f.owner, f.name) or "" for f in fields]
    out = []
    for k, here, there in phrase_twins(texts):
        f = fields[k]
        out.append(f"{f.named}: OCR text doubtful (the document writes {here!r} here, {there!r} elsewhere)")
        cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
    return out


_GLUED_NUMBER = regex.compile(r"^([1-9])(?=[\p{Han}\p{Hiragana}\p{Katakana}])")
_BRACKET_NUMBER = regex.compile(r"^[(（]([0-9０-９]{1,2})[)）]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def _enumerators(doc: object, capped: Caps) -> list[str]:
    """``enumerator``: initiatives numbered within their target. A digit glued to the first word of
    each (``1国民生活センター…``, ``2特定健康診査…``: a count always has its counter) that runs 1, 2, 3 …
    in every target is a circled ① ② ③ read without its circle, where two initiatives or more show
    it; a bracketed number that runs so (``(1) 全庁の…``) is named: （１） or (1), the scan cannot tell.
    Where two initiatives or more open with a circled number, one that opens with its own place's digit
    before another digit (``15年に1度の…`` for ``①5年に1度の…``, scan fuzz seed 19002 variant 44) is named:
    its first digit may be the circle read as a digit, or the circle lost before a figure of the text."""
    numbered: list[tuple[object, str, int]] = []  # (initiative, its name in warnings, its place in its target)
    for goal in doc.goals:  # type: ignore[attr-defined]
        places: Counter[object] = Counter()
        for i in goal.initiatives:
            places[i.target_no] += 1
            page = i.page if i.page is not None else goal.page
            numbered.append((i, record_name(goal, i) + (f" (page {page})" if page is not None else ""),
                             places[i.target_no]))
    glued = [(i, where, k) for i, where, k in numbered if _GLUED_NUMBER.match(i.text or "")]
    out = []
    if len(glued) >= 2 and all(int(_GLUED_NUMBER.match(i.text).group(1)) == k for i, _, k in glued):
        for i, where, k in glued:
            after = _CIRCLED[k - 1] + i.text[1:]
            out.append(f"{where} text{REPAIR_NOTE}enumerator) {changed(i.text, after)}")
            i.text = after
            cap(capped, i, REPAIRED_CONFIDENCE)
    if sum((i.text or "")[:1] in _CIRCLED for i, _, _ in numbered) >= 2:
        for i, where, k in numbered:
            if regex.match(rf"{k}\d", i.text or ""):
                out.append(f"{where} text: OCR text doubtful (the initiatives are numbered ① ② …, and this one opens "
                           f"with {(i.text or '')[:3]!r}: its {k} may be {_CIRCLED[k - 1]} read as a digit, or a figure "
                           "of the text's own)")
                cap(capped, i, DOUBTFUL_CONFIDENCE)
    for i, where, k in numbered:
        m = _BRACKET_NUMBER.match(i.text or "")
        if m and int(to_halfwidth(m.group(1))) == k:
            out.append(f"{where} text: OCR text doubtful (its number {m.group()!r}: written （{k}） or ({k}), the scan "
                       "cannot tell)")
            cap(capped, i, DOUBTFUL_CONFIDENCE)
    return out


# capitals read apart, a lone one among them (P DC A, D X), between Japanese glyphs or a field's ends
_LETTERS_APART = regex.compile(rf"(?:(?<={_JP})|^)(?=[A-Z]{{1,4}}(?: [A-Z]{{1,4}})+(?:{_JP}|$))"
                               r"((?:[A-Z]{1,4} )+[A-Z]{1,4})(?=" + _JP + r"|$)")
_FULLWIDTH_LETTERS = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(ord("A"), ord("Z") + 1)})


def _letters_apart(fields: list[TextField], capped: Caps) -> list[str]:
    """``letters_apart``: a word of capitals read with a space inside, a lone letter among its parts (``P DC A``,
    ``D X``), is letters set full-width (ＰＤＣＡ, ＤＸ: each as wide as a kanji, the gaps read as spaces) or
    half-width ones a space crept into (``N PO``): the scan cannot tell which, so the field is named."""
    out = []
    for f in fields:
        for m in _LETTERS_APART.finditer(prose_space(getattr(f.owner, f.name) or "")):
            run = m.group(1)
            if any(len(part) == 1 for part in run.split()):
                out.append(f"{f.named}: OCR text doubtful (its letters {run!r} read apart: written "
                           f"full-width ({run.replace(' ', '').translate(_FULLWIDTH_LETTERS)}) or not, the scan "
                           "cannot tell)")
                cap(capped, f.owner, DOUBTFUL_CONFIDENCE)
    return out


_LOSABLE = {"goal": ("plan_goal", "plan_goal_no", "field", "overall_summary", "overall_grade", "next_steps"),
            "target": ("status", "grade"),
            "initiative": ("section", "results")}
_OVERVIEW_COLUMNS = ("plan_goal", "plan_goal_no", "field")  # a column of the 【重点目標】 table: every row or none


def _lost_fields(doc: object, capped: Caps, notes: list[str]) -> list[str]:
    """``field_lost``: a field empty on one record while at least two other records of its kind have it
    (one, for a column of the overview table, which every goal's row has or none)."""
    goals = doc.goals  # type: ignore[attr-defined]
    kinds = {"goal": [(g, record_name(g, g)) for g in goals],
             "target": [(t, record_name(g, t)) for g in goals for t in g.targets],
             "initiative": [(i, record_name(g, i)) for g in goals for i in g.initiatives]}
    out = []
    for kind, records in kinds.items():
        for name in _LOSABLE[kind]:
            filled = sum(1 for owner, _ in records if getattr(owner, name))
            enough = 1 if name in _OVERVIEW_COLUMNS else 2
            for owner, where in records:
                if getattr(owner, name) or filled < enough or any(n.startswith(f"{where} {name}") for n in notes):
                    continue
                page = f" (page {owner.page})" if getattr(owner, "page", None) is not None else ""
                out.append(f"{where}{page} {name}: OCR read nothing here, while {filled} other {kind}s have it")
                cap(capped, owner, DOUBTFUL_CONFIDENCE)
    return out


_GRADE_AFTER_TEXT = regex.compile(r"(?<=。)\s*([A-EＡ-Ｅ])$")
_GRADE_LABEL_AHEAD = regex.compile(r"^(?:\p{Han}成度|達\p{Han}度)(?![はがをのにもで、])")


def _grade_in_text(doc: object, capped: Caps) -> list[str]:
    """``grade_in_text``: a target with no grade whose text ends ``。E`` (E a letter of the legend)
    took the grade cell into its text; its status starting with the 達成度 label took the label."""
    allowed = legend_letters(doc.grade_scale) or {"A", "B", "C", "D", "E"}  # type: ignore[attr-defined]
    out = []
    for goal in doc.goals:  # type: ignore[attr-defined]
        # a target's text, and a goal's summary above its 全体の達成度 box
        boxes = [(t, "text", "grade", f"goal {goal.goal_no} target {t.target_no}") for t in goal.targets]
        for owner, name, grade, where in boxes + [(goal, "overall_summary", "overall_grade", f"goal {goal.goal_no}")]:
            text = getattr(owner, name) or ""
            m = _GRADE_AFTER_TEXT.search(text)
            if getattr(owner, grade) is None and m and to_halfwidth(m.group(1)) in allowed:
                out.append(f"{where} {grade}{REPAIR_NOTE}grade_in_text) the {name.replace('_', ' ')} ended "
                           f"{m.group(1)!r}: the grade")
                setattr(owner, name, text[: m.start()].rstrip())
                setattr(owner, grade, to_halfwidth(m.group(1)))
                cap(capped, owner, REPAIRED_CONFIDENCE)
        for t in goal.targets:
            where = f"goal {goal.goal_no} target {t.target_no}"
            label = _GRADE_LABEL_AHEAD.match(t.status or "")
            if label and len(t.status) > label.end():
                out.append(f"{where} status{REPAIR_NOTE}grade_in_text) {changed(t.status, t.status[label.end():])}")
                t.status = t.status[label.end():]
                cap(capped, t, REPAIRED_CONFIDENCE)
    return out


_ROUND_OPEN = regex.compile(r"^\(?[C6@Gcくぐ〈<©€(]{1,2}$")


def grade_shape(text: str, allowed: set[str]) -> str | None:
    """A grade read as a glyph open on the right like a ``C`` (``@``, ``6``, ``(ぐ``, ``G``) is the
    legend's ``C``; ``None`` when the reading says nothing."""
    return "C" if "C" in allowed and _ROUND_OPEN.match(text) else None


def _grades(doc: object, capped: Caps) -> list[str]:
    """Grades that are no letter of the legend: a C-shaped glyph is C (a repair, capped), anything
    else is left empty (null) and said so (a real warning)."""
    allowed = legend_letters(doc.grade_scale)  # type: ignore[attr-defined]
    if not allowed:
        return []
    out = []
    for goal in doc.goals:  # type: ignore[attr-defined]
        records = [(goal, "overall_grade", f"goal {goal.goal_no}")]
        records += [(t, "grade", f"goal {goal.goal_no} target {t.target_no}") for t in goal.targets]
        for owner, name, where in records:
            value = getattr(owner, name)
            shaped = grade_shape(value, allowed) if value and to_halfwidth(value) not in allowed else None
            if shaped:
                out.append(f"{where} {name}{REPAIR_NOTE}grade_shape) {value!r} → {shaped!r}")
                cap(capped, owner, REPAIRED_CONFIDENCE)
                setattr(owner, name, shaped)
            elif value and to_halfwidth(value) not in allowed:
                out.append(f"{where} {name}: OCR read {value!r}, not a letter of the legend; left empty")
                cap(capped, owner, DOUBTFUL_CONFIDENCE)
                setattr(owner, name, None)
    return out
