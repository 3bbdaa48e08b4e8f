"""REVIEW3 V15: a text file in any Japanese encoding a person's tools save in is read; a few bad bytes are named."""
from __future__ import annotations

from pathlib import Path

import pytest

import plansheet
from conftest import SEED
from plansheet.batch.executors import run_sequential
from plansheet.errors import TriageError
from plansheet.readers.text_export import decode_text

TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["euc_jp", "iso2022_jp", "utf-16-le", "utf-16-be"])
def test_other_japanese_encodings_decode_to_the_same_text(encoding: str) -> None:
    assert decode_text(TEXT.encode(encoding), "seed") == TEXT


def _convert(tmp_path: Path, name: str, data: bytes) -> tuple[plansheet.SourceResult, dict]:
    path = tmp_path / name
    path.write_bytes(data)
    [result] = plansheet.extract([path], tmp_path / "out", runner=run_sequential)
    return result, plansheet.load(tmp_path / "out")


def test_a_jis_export_is_read_as_the_sheet_it_is(tmp_path: Path) -> None:
    result, tables = _convert(tmp_path, "jis.txt", TEXT.encode("iso2022_jp"))
    assert result.status.value == "ok", result.error
    assert tables["documents"]["department"].tolist() == ["政策推進部"]
    assert len(tables["goals"]) == 6


def test_one_bad_byte_in_utf8_is_read_and_its_field_named(tmp_path: Path) -> None:
    data = TEXT.encode("utf-8")
    at = data.index("秘書広報課".encode()) + 3 * 4  # the first byte of 課
    result, tables = _convert(tmp_path, "onebad.txt", data[:at] + b"\xff" + data[at + 1:])
    assert result.status.value == "partial"
    line = data[:at].count(b"\n") + 1  # 0xFF and the two bytes after it that no longer continue a character
    assert f"page 2: the text was read as UTF-8, but 3 character(s) do not decode, the first at line {line} (byte {at}, 0xFF): " \
           "written U+FFFD there; the field holding it is named below: check it" in result.warnings
    named = [w for w in result.warnings if "section" in w and "U+FFFD" in w]
    assert named and "(page 2)" in named[0], result.warnings
    assert len(tables["goals"]) == 6 and len(tables["initiatives"]) == 9


def test_bytes_in_no_japanese_encoding_fail_naming_the_first(tmp_path: Path) -> None:
    with pytest.raises(TriageError, match=r"broken\.txt: text is in none of the encodings plansheet reads .*"
                                          r"re-save it as UTF-8"):
        decode_text(bytes(range(0x80, 0x100)) * 8, "broken.txt")
