"""The kanji municipal writing keeps to: the 常用漢字表 (``joyo_kanji.json``, from the Unicode Han Database)."""
from __future__ import annotations

import json
from pathlib import Path

import regex

JOYO_KANJI = frozenset(json.loads(Path(__file__).with_name("joyo_kanji.json").read_text(encoding="utf-8"))["kanji"])
NOT_KANJI = frozenset("々〆〇")  # Han by Unicode, marks by use
_HAN = regex.compile(r"\p{Han}")


def kanji_outside_joyo(text: str) -> list[str]:
    """The kanji of ``text`` outside the 常用漢字表 (marks such as 々 are no kanji here)."""
    return [ch for ch in text if _HAN.match(ch) and ch not in JOYO_KANJI and ch not in NOT_KANJI]
