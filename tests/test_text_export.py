"""The text-export reader: encodings, pages, separators, HTML fragments, stray tabs."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import plansheet
from conftest import SEED
from plansheet.errors import TriageError
from plansheet.readers.text_export import decode_text, lines_to_pages, read_text_export


def test_seed_splits_into_front_sheet_and_one_page_per_goal() -> None:
    pages = read_text_export(SEED).pages
    assert len(pages) == 7
    assert pages[0].cells[0].text == "令和5年度 政策推進部の運営方針"
    assert [p.cells[0].text for p in pages[1:]] == ["部"] * 6
    assert all(p.cells[2].text == f"重点目標 {n}" for n, p in enumerate(pages[1:], start=1))


def test_separator_rows_and_blank_lines_become_no_cells() -> None:
    pages = lines_to_pages(["", "部\t政策推進部", "---\t-------", "", "", "重点目標 1\t公民連携の拡充", "--------\t---"])
    assert [(c.text, c.row, c.col) for c in pages[0].cells] == [
        ("部", 1, 0), ("政策推進部", 1, 1), ("重点目標 1", 5, 0), ("公民連携の拡充", 5, 1)]


def test_html_table_fragment_is_unpacked_into_cells() -> None:
    line = ('<table border="1"> <tr> <td style="width: 20%;">所管室・課</td> <td>危機管理課</td> </tr> </table>'
            "\t所管室・課\t危機管理課")
    cells = lines_to_pages([line])[0].cells
    assert [c.text for c in cells] == ["所管室・課", "危機管理課", "所管室・課", "危機管理課"]
    assert [c.col for c in cells] == [0, 1, 2, 3]


def test_trailing_tabs_keep_column_positions() -> None:
    cells = lines_to_pages(["\t公民連携の拡充\t\t\t\t"])[0].cells
    assert [(c.text, c.col) for c in cells] == [("公民連携の拡充", 1)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", "shift_jis"])
def test_encodings_decode_to_the_same_text(encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert decode_text(text.encode(encoding), "seed") == text


def test_undecodable_text_names_the_file() -> None:
    with pytest.raises(TriageError, match=r"broken\.txt: text is in none of the encodings plansheet reads"):
        decode_text(b"\x81\x00\xff\xfe\x80\x80 bad", "broken.txt")


def _tables(path: Path, out: Path) -> dict[str, pd.DataFrame]:
    results = plansheet.extract([path], out, output_format="parquet")
    assert [r.status.value for r in results] == ["ok"]
    tables = plansheet.load(out)
    return {name: frame.drop(columns=[c for c in ("doc_id", "source_file", "source_sha256") if c in frame])
            for name, frame in tables.items() if name != "sources"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_bom_and_shift_jis_copies_give_identical_tables(tmp_path: Path, encoding: str) -> None:
    copy = tmp_path / f"seed_{encoding}.txt"
    copy.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    original = _tables(SEED, tmp_path / "a")
    converted = _tables(copy, tmp_path / "b")
    for name in original:
        pd.testing.assert_frame_equal(original[name], converted[name], check_like=True)


def test_export_without_table_separators_gives_the_same_records(tmp_path: Path) -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()
             if not all(set(field) <= {"-"} and field for field in line.split("\t"))]
    flat = tmp_path / "no_separators.txt"
    flat.write_text("\n".join(lines), encoding="utf-8")
    assert len(read_text_export(flat).pages) == 1
    original, converted = _tables(SEED, tmp_path / "a"), _tables(flat, tmp_path / "b")
    for name in original:
        page_columns = [c for c in ("page", "page_count", "pages", "first_page", "last_page") if c in original[name]]
        pd.testing.assert_frame_equal(original[name].drop(columns=page_columns),
                                      converted[name].drop(columns=page_columns), check_like=True)


def test_html_line_breaks_and_entities_in_a_field_are_the_text_they_stand_for(tmp_path: Path) -> None:
    """REVIEW6 Y14: the system writing the exports leaks HTML into cells; ``<br>`` is a line break
    and ``&amp;`` / ``&nbsp;`` are their characters, as the HTML reader reads them."""
    cells = lines_to_pages(["具体的取組\t情報発信を強化します。<br />動画も活用します。",
                            "所管室・課\t秘書広報課&amp;企画調整課&nbsp;"])[0].cells
    assert [c.text for c in cells] == ["具体的取組", "情報発信を強化します。動画も活用します。",
                                       "所管室・課", "秘書広報課&企画調整課"]
    text = SEED.read_text(encoding="utf-8").replace("所管室・課\t秘書広報課", "所管室・課\t秘書広報課&amp;広聴課", 1)
    text = text.replace("関係部局との連携を", "関係部局との<br>連携を", 1)
    sheet = tmp_path / "html_leak.txt"
    sheet.write_text(text, encoding="utf-8")
    [result] = plansheet.extract([sheet], tmp_path / "out", output_format="parquet")
    assert result.status.value == "ok"
    initiatives = pd.read_parquet(tmp_path / "out" / "parquet" / "initiatives").sort_values(["goal_no", "initiative_no"])
    first = initiatives.iloc[0]
    assert first["section"] == "秘書広報課&広聴課"
    assert "関係部局との連携を今までよりさらに密に" in first["text"]
