"""Officer lines of the sheet header → (position, title, name, charge).

Written several ways across years:
``山口 伸和（総合政策監）`` (name, title in parentheses), ``総合政策監 山口 智弘(行財政健全化担当)``
(title, name, then the charge), or a bare name under 部長. After the name, a bracket is the title only where it
ends as a post does (監, ～長, 理事 …; ``（兼）`` alone is the title 兼), the charge where it ends in 担当; a bracket
of kana only is the name's reading, and any other (``【新任】``, ``（旧姓 佐藤）``) a note kept out of both.
"""
from __future__ import annotations

import regex

from plansheet.core.lexicon import family_and_given
from plansheet.core.text import clean_text, join_lines, marks_nothing, repair_radicals
from plansheet.parsers.labels import UNIT_HEADS, Label, match_label
from plansheet.parsers.records import Officer

# the brackets a post is written in beside a name: （総合政策監）, (総合政策監), 【総合政策監】, 〔総合政策監〕, ［…］
_OPEN, _CLOSE = "（(【〔［[", "）)】〕］]"
# how an officer's title ends (総合政策監, 理事, 参事 …): one list for every rule below
_TITLE_ENDINGS = "監|理事|部長|次長|参与|参事|局長|室長|課長|市長|町長|村長"
# a post in brackets before the name: （総合政策監）山口 伸和
_LEADING = regex.compile(rf"^[{regex.escape(_OPEN)}](?P<inner>[^{regex.escape(_OPEN + _CLOSE)}]*(?:{_TITLE_ENDINGS}|担当))"
                         rf"[{regex.escape(_CLOSE)}]\s*(?P<rest>\S.*)$")
_TITLE_SUFFIX = regex.compile(rf"(?:{_TITLE_ENDINGS})$")
_CHARGE = regex.compile(r"担当$")
# what a sheet writes in an officer's cell no one holds: a dash (marks_nothing) or one of these words; no name
_NO_ONE = frozenset({"なし", "無し", "該当なし", "欠員", "空席", "不在", "未定", "未配置", "空き"})


# where one person's line surely ends: after a closing bracket, or at 、 or a comma outside brackets
_PERSON_END = regex.compile(r"(?<=[）)】〕］\]])[\s、,，]*(?=\S)|\s*[、,，](?![^（(【〔［\[]*[）)】〕］\]])\s*")
# where the next one's may begin: before a title standing as a word of its own (総合政策監 山口 伸和), also where a
# line break between two people was lost after a name ending in kana (大久保 さくら健康福祉監 長谷川 誠; after a
# kanji, where the name ends cannot be told)
_TITLE_START = regex.compile(rf"(?<=[^\s（(])\s+(?=\p{{Han}}{{0,8}}(?:{_TITLE_ENDINGS})\s)"
                             rf"|(?<=[\p{{Hiragana}}\p{{Katakana}}])(?=\p{{Han}}{{1,8}}(?:{_TITLE_ENDINGS})\s)")
# a title at the start of a person's line glued to the name that follows it, the space between lost where the line
# wrapped (健康福祉監中村 誠): the shortest run of two kanji or more ending as a title does (監物 太郎 is a name)
_GLUED_TITLE = regex.compile(rf"^(\p{{Han}}{{1,8}}?(?:{_TITLE_ENDINGS}))(?=\p{{Han}})")


def split_officer_cell(text: str, label_title: str | None = None) -> list[str]:
    """Several people written into one cell: ``山口 伸和（総合政策監）小林 聡（危機管理監）``,
    ``山田 太郎、佐藤 花子``, ``総合政策監 山口 伸和 危機管理監 小林 聡``. A closing bracket or a 、 ends
    a person; a title word starts one only where every line so made has its title or charge (the
    first may take ``label_title``, the title its label cell gives: ``都市政策監 | 小野寺 和彦 危機管理監
    西村 和彦``), for a title glued to a name (``山田 健一郎危機管理監``) would cut the name. Each person
    must read as one (:func:`reads_as_two_people`), else the cell is left one person's."""
    opened = _opened_by_posts(text)
    if opened:
        return opened
    people: list[str] = []
    for k, part in enumerate(p.strip() for p in _PERSON_END.split(text) if p.strip()):
        lines = [line.strip() for line in _TITLE_START.split(part) if line.strip()]
        officers = [parse_officer("監", line) for line in lines]
        titled = all(o is not None and (o.title or o.charge or k == j == 0 and label_title)
                     for j, o in enumerate(officers))
        # names written alike (family and given name, or one word): a break that left a family name
        # alone took the given name into the next title (山田 | 健一郎危機管理監 中村 さくら)
        alike = len({len(o.name.split()) for o in officers if o is not None}) == 1
        people += lines if len(lines) > 1 and titled and alike else [part]
    people = [part for person in people for part in names_side_by_side(person)]
    if len(people) < 2:
        return [text]
    for person in people:
        officer = parse_officer("監", person)
        if officer is None or reads_as_two_people(officer.name):
            return [text]
    return people


def people_on_lines(lines: tuple[str, ...], wrapped: tuple[bool, ...]) -> list[str]:
    """An officer cell written one person a line: its lines parted at each break that was typed (the line before it
    ends short of the cell's width, or the source only types breaks: ``wrapped`` says which were wraps), where every
    part so made reads as one person with a family and a given name apart (``総合政策監 小野寺 太郎`` ⏎
    ``総合政策監 山田 さくら(地域連携担当)``; ``都市政策監 長谷川 恵子`` ⏎ ``西村 健一郎(都市政策監)``): the parts,
    else ``[]``. The lines joined lose the break (``…小野寺 太郎総合政策監 山田…``: after a kanji, where a name ends
    cannot be told from the text). A wrap may fall at the space inside a name or after a title, a break no width can
    tell from a typed one: a part so cut holds no family and given name, and the cell is left to
    :func:`split_officer_cell`."""
    parts: list[list[str]] = []
    for k, line in enumerate(lines):
        if parts and k - 1 < len(wrapped) and wrapped[k - 1]:
            parts[-1].append(line)  # a wrap: the same part goes on
        else:
            parts.append([line])
    if len(parts) < 2:
        return []
    people = [join_lines(part) or "" for part in parts]
    for person in people:
        officer = parse_officer("監", person)
        if officer is None or len(officer.name.split()) != 2 or reads_as_two_people(officer.name):
            return []
    return people


# a bracketed post or charge with a name after it: in a cell that opens so, where a person starts
_POST_OPENS = regex.compile(rf"[\s、,，]*(?=[{regex.escape(_OPEN)}][^{regex.escape(_OPEN + _CLOSE)}]*(?:{_TITLE_ENDINGS}|担当)"
                            rf"[{regex.escape(_CLOSE)}]\s*[^\s{regex.escape(_OPEN + _CLOSE)}、,，])")


def _opened_by_posts(text: str) -> list[str]:
    """A cell that opens with a post in brackets (``【総合政策監】山口 伸和 【危機管理監】小林 聡``): each such
    bracket followed by a name starts a person; the people so cut if there are two or more, each with a post or
    charge and read as one person, else ``[]``."""
    if _LEADING.match(text) is None:
        return []
    people = [p.strip() for p in _POST_OPENS.split(text) if p.strip()]
    officers = [parse_officer("監", p) for p in people]
    if len(people) < 2 or any(o is None or not (o.title or o.charge) or reads_as_two_people(o.name) for o in officers):
        return []
    return people


_TRAILING_BRACKET = regex.compile(r"\s*[（(][^（()）]*[）)]\s*$")


def names_side_by_side(person: str) -> list[str]:
    """A person's line with no title that is two names one after the other, each written as a family and a
    given name with a space between and cut so by the dictionary (``佐藤 太郎 西村 恵子（防災担当）``: two people
    of one cell parted by a space, fuzz seed 50007 variant 29), split in two (a closing bracket stays with the
    second); ``[person]`` otherwise. Two names written each as one word (``大久保太郎 山田太郎``) show no name's
    own space to go by: left one, and named (:func:`reads_as_two_people`)."""
    bracket = _TRAILING_BRACKET.search(person)
    words = (person[:bracket.start()] if bracket else person).split()
    if len(words) != 4 or _TITLE_WORD.search(" ".join(words) + " "):
        return [person]
    halves = (words[:2], words[2:])
    if any(family_and_given("".join(half)) != tuple(half) for half in halves):
        return [person]
    return [" ".join(halves[0]), " ".join(halves[1]) + (bracket.group().rstrip() if bracket else "")]


_TITLE_WORD = regex.compile(rf"\p{{Han}}(?:{_TITLE_ENDINGS})(?:[\s\u3000]|$)")


def reads_as_two_people(name: str) -> bool:
    """A name read with a title word in it (``山田 健一郎危機管理監 中村 さくら``), more than a family and
    a given name, or longer than a Japanese name (a family or given name of more than four characters,
    ``佐藤真由美佐藤 誠``, ``大久保太郎 山田太郎``; more than seven written as one word): two people in one
    cell, the line between them lost, where one name ends cannot be told."""
    words = name.split()
    longest = 7 if len(words) == 1 else 4
    return bool(_TITLE_WORD.search(name)) or len(words) > 2 or any(len(w) > longest for w in words)


_OPEN_AT_END = regex.compile(r"[（(](?P<inner>[^（()）]*(?:担当|監|理事|参与|参事))\s*$")


def close_open_bracket(text: str) -> str:
    """A title or charge in brackets whose closing bracket was lost at the cell's edge
    (``山口 智弘(行財政健全化担当``) is closed: a header cell never leaves a bracket open."""
    m = _OPEN_AT_END.search(text)
    return text.rstrip() + ("）" if m.group(0)[0] == "（" else ")") if m else text


_NAME_MARK = regex.compile(r"(?<=\p{Han}|\p{Hiragana}|\p{Katakana})[`'\"‘’“”´]+(?=[\s\u3000]*[\p{Han}\p{Hiragana}\p{Katakana}])")


def name_marks(text: str) -> str:
    """``name_marks``: a person's name holds no quote mark or backtick; one between its glyphs is a
    speck OCR read as a mark (``西村` さくら`` → ``西村 さくら``)."""
    return _NAME_MARK.sub("", text)


def name_space(name: str) -> str:
    """``name_space``: a name read as two words is a family and a given name; where the dictionary cuts the
    two together into a family name and a given name at another place, and the words as read are not both,
    OCR moved the space (``岡田浩 二`` → ``岡田 浩二``, hard scans 17033 and 17036). A name read as one word is
    left so: a sheet may print a name without a space (the fuzzer prints a third so)."""
    words = name.split()
    if len(words) != 2:
        return name
    cut = family_and_given("".join(words))
    if cut is None or cut == tuple(words):
        return name
    return " ".join(cut)


def space_lost_at_a_wrap(names: list[str]) -> list[int]:
    """The names (indices) of one officer cell written as one word where another name of that cell has a
    family and a given name apart: a cell writes its names alike, and a line wrapped at the space between
    family and given name loses that space (the browser breaks there; lines join with no separator)."""
    spaced = any(len(n.split()) == 2 for n in names)
    return [k for k, n in enumerate(names) if spaced and len(n.split()) == 1 and len(n) >= 3] if len(names) > 1 else []


def position_and_title(label_text: str) -> tuple[str, str | None]:
    """The header label as (position, title): ``総合政策監`` → (監, 総合政策監); ``理事`` → (理事, None); the unit's
    head (the label table's DIRECTOR) other than a plain 部長 → (部長, the label): its post named with others,
    ``理事兼部長`` or ``部長兼危機管理監`` (posts joined by 兼 are all the person's, and the head's among them makes
    them the head), ``部長事務取扱`` (acting for it), or the head of a unit that is no 部 (``局長``, ``会計管理者``,
    ``教育長``, ``事務局長``, ``室長``)."""
    text = repair_radicals(label_text).replace(" ", "").replace("\u3000", "")  # 部⻑ (U+2ED1) is 部長
    match = match_label(text)
    if text != "部長" and match is not None and match.label is Label.DIRECTOR:
        return "部長", text
    if text.endswith("監") and len(text) > 1:
        return "監", text
    return text, None


def concurrent_posts(title: str) -> list[str]:
    """The posts a title joins with 兼, each as held (``理事兼部長`` → [理事, 部長]; ``部長事務取扱``, ``部長代理`` and
    ``部長事務取扱副市長`` → [部長]: acting for it)."""
    return [regex.sub(r"(?:代理|[（(]?事務取扱[）)]?\p{Han}*)$", "", post) for post in title.split("兼") if post]


def heads_the_unit(head: str, unit: str) -> bool:
    """True when ``head``, the title of a head's label (部長, 上下水道局長, 理事兼部長, 部長兼危機管理監, 会計管理者),
    names among its posts (:func:`concurrent_posts`) the one leading a unit named ``unit`` (the label table's
    UNIT_HEADS: 部長 a …部, 局長 a …局, 会計管理者 the 会計室)."""
    return any(regex.search(named, unit) and post.endswith(title)
               for post in concurrent_posts(head) for named, title in UNIT_HEADS)


def one_head(officers: list[Officer], unit: str | None) -> tuple[list[Officer], list[str]]:
    """A header names one head of its unit (position 部長). Where it names more (部長 and 危機管理室長 on a 部's
    sheet), the one whose title leads the unit (:func:`heads_the_unit`) is the head, and each other keeps its label
    as its position (危機管理室長, as 理事 or 次長 are), as an officer; where that cannot be told (no unit, none or
    several fit, or another is labelled 部長 plainly), they are left as read and the director is named: the officers
    and the warnings."""
    heads = [o for o in officers if o.position == "部長"]
    if len({(o.title, o.name) for o in heads}) < 2:
        return officers, []
    fit = [o for o in heads if unit and heads_the_unit(o.title or "部長", unit)]
    if len(fit) != 1 or any(o is not fit[0] and o.title is None for o in heads):  # a plain 部長 label is a head's
        labels = ", ".join(f"{o.title or '部長'} {o.name}" for o in heads)
        return officers, [f"director: the header names {len(heads)} heads ({labels}); which leads "
                          f"{unit or 'the unit'} cannot be told; the first is taken"]
    return [o if o.position != "部長" or o is fit[0] else Officer(position=o.title or "部長", name=o.name,
                                                                   charge=o.charge) for o in officers], []


def names_no_one(text: str) -> bool:
    """True when an officer's cell holds a placeholder (－, なし, 欠員, 空席 …), the post unfilled: no name."""
    plain = regex.sub(r"\s", "", text)
    return marks_nothing(plain) or plain in _NO_ONE or plain.strip("（()）") in _NO_ONE


# how a post in brackets after a name ends (the before-name side's endings, any ～長, a 審議役; 兼, 兼務 and 事務取扱
# mark a post held with another or acted for: the sheets' own ``（兼）``)
_POST_AFTER = regex.compile(rf"(?:{_TITLE_ENDINGS}|長|役|参与|兼|兼務|事務取扱)$")
# a name's reading in brackets: kana only (やまだ たろう, ヤマダ タロウ)
_READING = regex.compile(r"[\p{Hiragana}\p{Katakana}ー・\s]+")
_AFTER_NAME = regex.compile(rf"\s*[{regex.escape(_OPEN)}](?P<inner>[^{regex.escape(_OPEN + _CLOSE)}]*)"
                            rf"[{regex.escape(_CLOSE)}]\s*$")
_BRACKETS_AFTER = 3  # a post, a charge and a note at most
CONCURRENT = ("兼", "兼務", "事務取扱")  # marks of a post held with another, or acted for


def parse_officer(position: str, text: str) -> Officer | None:
    """Split one officer cell under ``position`` (部長, 監, 理事 …) into its parts."""
    officer, _ = _read_officer(position, text)
    return officer


def bracket_notes(text: str) -> list[str]:
    """The brackets after the name in an officer cell that are no post, charge or reading (``【新任】``,
    ``（4月1日就任）``, ``（旧姓 佐藤）``): left out of the officer's name and title, for a warning to name."""
    return _read_officer("監", text)[1]


def _read_officer(position: str, text: str) -> tuple[Officer | None, list[str]]:
    text = clean_text(text) or ""
    if not text:
        return None, []
    title: str | None = None
    charge: str | None = None
    leading = _LEADING.match(text)
    if leading is not None:  # （総合政策監）山口 伸和: the post, then the name (and maybe its charge)
        inner = clean_text(leading.group("inner"))
        title, charge = (None, inner) if inner and _CHARGE.search(inner) else (inner, None)
        text = leading.group("rest")
    head, brackets = text, []
    while len(brackets) < _BRACKETS_AFTER and (m := _AFTER_NAME.search(head)):
        brackets.insert(0, m.group())  # the brackets after the name, peeled off its end
        head = head[:m.start()]
    notes: list[str] = []
    for k, bracket in enumerate(brackets):  # in reading order: a post, a charge, a reading, a note
        inner = clean_text(_AFTER_NAME.search(bracket).group("inner")) or ""  # type: ignore[union-attr]
        if _CHARGE.search(inner) and charge is None:
            charge = inner
        elif _POST_AFTER.search(inner) and title is None:
            title = inner
        elif inner in CONCURRENT and not leading:  # 名前【総合政策監】（兼）: the post is the title, the mark a note
            notes.append(inner)
        elif _POST_AFTER.search(inner) or _CHARGE.search(inner):
            head += "".join(brackets[k:])  # a second post or charge: kept with the name, named by its warning
            break
        elif not _READING.fullmatch(inner):  # a reading (kana only) is no part of the name
            notes.append(inner)
    parts = head.split()
    glued = _GLUED_TITLE.match(parts[0]) if parts and title is None else None
    if glued is not None and len(parts) >= 2:  # 健康福祉監中村 誠: the title, then a family and a given name
        parts = [glued.group(1), parts[0][glued.end():], *parts[1:]]
    if len(parts) >= 2 and _TITLE_SUFFIX.search(parts[0]) and title is None:
        title, parts = parts[0], parts[1:]
    elif len(parts) >= 3 and _TITLE_SUFFIX.search(parts[0]) and title in CONCURRENT:
        title, parts = f"{parts[0]}（{title}）", parts[1:]  # 副市長 森本 恵子（事務取扱）: the post, acting
    name = clean_text(" ".join(parts))
    if not name or names_no_one(name):
        return None, []
    return Officer(position=position, name=name, title=title, charge=charge), notes
