"""Officer lines of the sheet header → (position, title, name, charge).

Written several ways across years:
``山口 伸和（総合政策監）`` (name, title in parentheses), ``総合政策監 山口 智弘(行財政健全化担当)``
(title, name, then the charge), or a bare name under 部長.
"""
from __future__ import annotations

import regex

from plansheet.core.text import clean_text
from plansheet.parsers.records import Officer

_PAREN = regex.compile(r"^(?P<head>.*?)\s*[（(](?P<inner>[^）)]*)[）)]\s*$")
_TITLE_SUFFIX = regex.compile(r"(?:監|理事|部長|次長|参与|参事|局長|室長|課長)$")
_CHARGE = regex.compile(r"担当$")
_ONE_OFFICER = regex.compile(r"[^（()）]+?[（(][^）)]*[）)]")


def split_officer_cell(text: str) -> list[str]:
    """Several people written into one cell (``山口 伸和（総合政策監）小林 聡（危機管理監）``)."""
    people = [m.group(0).strip(" 　、,") for m in _ONE_OFFICER.finditer(text)]
    rest = _ONE_OFFICER.sub("", text).strip(" 　、,")
    return people if len(people) > 1 and not rest else [text]


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


def position_and_title(label_text: str) -> tuple[str, str | None]:
    """The header label as (position, title): ``総合政策監`` → (監, 総合政策監); ``理事`` → (理事, None)."""
    text = label_text.replace(" ", "").replace("\u3000", "")
    if text.endswith("監") and len(text) > 1:
        return "監", text
    return text, None


def parse_officer(position: str, text: str) -> Officer | None:
    """Split one officer cell under ``position`` (部長, 監, 理事 …) into its parts."""
    text = clean_text(text) or ""
    if not text:
        return None
    title: str | None = None
    charge: str | None = None
    head = text
    m = _PAREN.match(text)
    if m:
        head, inner = m.group("head"), clean_text(m.group("inner"))
        if inner and _CHARGE.search(inner):
            charge = inner
        else:
            title = inner
    parts = head.split()
    if len(parts) >= 2 and _TITLE_SUFFIX.search(parts[0]) and title is None:
        title, parts = parts[0], parts[1:]
    name = clean_text(" ".join(parts))
    if not name:
        return None
    return Officer(position=position, name=name, title=title, charge=charge)
