"""Brackets after an officer's name: a post, a charge, a reading or a note (review 2, R1 and R8).

The seed sample's header line ``監 | 山口 伸和（総合政策監） | 監 | 小林 聡（危機管理監）`` is written the
other ways sheets write it; each must give the officers a person reading the sheet would list.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.parsers.document import parse_pages
from plansheet.readers.text_export import read_text_export

from conftest import SEED

_LINE = "監\t山口 伸和（総合政策監）\t監\t小林 聡（危機管理監）"


def _read(tmp_path: Path, line: str):
    """The seed sample with its 監 line replaced by ``line``, read: its one document."""
    text = SEED.read_text(encoding="utf-8")
    assert _LINE in text
    export = tmp_path / "sheet.txt"
    export.write_text(text.replace(_LINE, line), encoding="utf-8")
    (doc,) = parse_pages(read_text_export(export).pages)
    return doc


def _officers(doc) -> list[tuple[str, str | None, str | None]]:
    return [(o.name, o.title, o.charge) for o in doc.officers if o.position == "監"]


@pytest.mark.parametrize("cell", ["山田 太郎（やまだ たろう）", "山田 太郎(やまだ たろう)", "山田 太郎（ヤマダ タロウ）"])
def test_a_kana_bracket_after_a_name_is_its_reading_not_a_title(tmp_path: Path, cell: str) -> None:
    doc = _read(tmp_path, f"監\t{cell}\t監\t小林 聡（危機管理監）")
    assert _officers(doc) == [("山田 太郎", None, None), ("小林 聡", "危機管理監", None)]
    assert not [w for w in doc.warnings if w.startswith("officer")]


@pytest.mark.parametrize(("cell", "note"), [("山口 伸和【新任】", "新任"), ("小林 聡（4月1日就任）", "4月1日就任"),
                                            ("髙橋 一郎（旧姓 佐藤）", "旧姓 佐藤")])
def test_a_note_after_a_name_is_no_title_and_is_named(tmp_path: Path, cell: str, note: str) -> None:
    doc = _read(tmp_path, f"監\t{cell}\t監\t中村 誠（危機管理監）")
    name = cell[:cell.index(note) - 1]
    assert _officers(doc) == [(name, None, None), ("中村 誠", "危機管理監", None)]
    assert any(w.startswith(f"officer 監 title (page 1): '{note}'") for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("cell", ["山口 伸和【総合政策監】(行財政健全化担当)", "山口 伸和（総合政策監）(行財政健全化担当)",
                                  "山口 伸和（行財政健全化担当）【総合政策監】"])
def test_a_post_and_a_charge_in_brackets_after_a_name(tmp_path: Path, cell: str) -> None:
    doc = _read(tmp_path, f"監\t{cell}\t監\t小林 聡（危機管理監）")
    assert _officers(doc) == [("山口 伸和", "総合政策監", "行財政健全化担当"), ("小林 聡", "危機管理監", None)]
    assert not [w for w in doc.warnings if w.startswith("officer")]


def test_a_post_then_a_concurrent_mark_after_a_name(tmp_path: Path) -> None:
    """``（兼）`` after the post: the post is the title; the mark is noted, not glued to the name."""
    doc = _read(tmp_path, "監\t山口 伸和【総合政策監】（兼）\t監\t小林 聡（危機管理監）")
    assert _officers(doc) == [("山口 伸和", "総合政策監", None), ("小林 聡", "危機管理監", None)]
    assert not [w for w in doc.warnings if w.startswith("officer")]


@pytest.mark.parametrize("cell", ["【総合政策監】山口 伸和 【危機管理監】小林 聡", "（総合政策監）山口 伸和（危機管理監）小林 聡",
                                  "【総合政策監】山口 伸和、【危機管理監】小林 聡"])
def test_two_posts_each_opening_a_name_are_two_officers(tmp_path: Path, cell: str) -> None:
    doc = _read(tmp_path, f"監\t{cell}")
    assert _officers(doc) == [("山口 伸和", "総合政策監", None), ("小林 聡", "危機管理監", None)]
