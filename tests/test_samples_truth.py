"""Every generated sample extracts to exactly its truth: every table, every field.

The samples and their truth come from samples/generate/ (see samples/README.md); the
truth is written from the generator's content, never read back from the files.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.parsers.ocr_repair import is_repair_note, is_weak_glyph_note
from truth import SAMPLES, TRUTH, load_truth, table_differences

TABLES = ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")
GENERATED = sorted(p for p in SAMPLES.rglob("*") if p.suffix in {".pdf", ".xlsx", ".xls"}
                   and "scanned" not in p.parts and (TRUTH / f"{p.name}.json").is_file())


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, pd.DataFrame]]:
    """Each sample converted once into its own output folder."""
    tables = {}
    for sample in GENERATED:
        out = tmp_path_factory.mktemp(sample.stem.replace(".", "_"))
        plansheet.extract([sample], out, output_format="parquet")
        tables[sample.name] = plansheet.load(out)
    return tables


def test_there_are_generated_samples_of_every_kind() -> None:
    names = [p.name for p in GENERATED]
    for kind in (".libreoffice.pdf", ".reportlab.pdf", ".cid.pdf", ".chromium.pdf", ".writer.pdf", ".xlsx"):
        assert sum(n.endswith(kind) for n in names) >= 4, kind
    assert "volume.reportlab.pdf" in names


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("sample", GENERATED, ids=lambda p: p.name)
def test_sample_matches_truth(extracted: dict, sample: Path, table: str) -> None:
    assert table_differences(extracted[sample.name], load_truth(sample), table) == []


# right words outside the Jōyō kanji, written once, that an OCR'd sample names (joyo_kanji's honest cost)
JOYO_DOUBTS = {"result.garbled.pdf": ["goal 1 target 2 (page 2) status: OCR text doubtful (a kanji outside the Jōyō kanji in "
                                      "'子宮頸がん', a word the document writes once)"]}


@pytest.mark.parametrize("sample", GENERATED, ids=lambda p: p.name)
def test_sample_converts_cleanly(extracted: dict, sample: Path) -> None:
    """ok, or, where pages were OCR'd, partial only for the glyphs the engine was unsure of (named)
    and the words :data:`JOYO_DOUBTS` lists."""
    sources = extracted[sample.name]["sources"]
    stored = sources["warnings"].iloc[0]
    warnings = [w for w in ("" if pd.isna(stored) else str(stored)).splitlines() if w]
    if pd.isna(sources["pages_ocr"].iloc[0]) or not sources["pages_ocr"].iloc[0]:
        assert sources["status"].tolist() == ["ok"], warnings
    else:
        assert sources["status"].tolist() == (["partial"] if warnings else ["ok"])
        assert [w for w in warnings if not is_repair_note(w) and not is_weak_glyph_note(w)] == JOYO_DOUBTS.get(sample.name, [])


def test_compiled_volume_yields_three_documents_with_their_pages(extracted: dict) -> None:
    documents = extracted["volume.reportlab.pdf"]["documents"].sort_values("doc_id")
    truth = load_truth(SAMPLES / "printed" / "volume.reportlab.pdf")["documents"]
    assert documents["doc_id"].str.rsplit("-", n=1).str[1].tolist() == ["1", "2", "3"]
    assert documents["page_count"].tolist() == [d["page_count"] for d in truth]
    assert documents["department"].tolist() == [d["department"] for d in truth]


def test_seed_export_and_its_pdf_rendering_give_the_same_tables(extracted: dict, seed_tables: dict) -> None:
    pdf = extracted["seed.reportlab.pdf"]
    for table in ("goals", "targets", "initiatives", "officers", "grade_scale"):
        a = seed_tables[table].drop(columns=["doc_id"]).reset_index(drop=True)
        b = pdf[table].drop(columns=["doc_id"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    keep = ["department", "fiscal_year", "fiscal_year_label", "stage", "director", "basic_policy", "municipality",
            "page_count"]
    assert seed_tables["documents"][keep].to_dict("records") == pdf["documents"][keep].to_dict("records")


def test_pages_without_unicode_maps_are_ocred_and_the_rest_read_from_the_text_layer(extracted: dict) -> None:
    tables = extracted["result.garbled.pdf"]
    assert tables["documents"]["extraction_method"].tolist() == ["mixed"]
    assert tables["sources"]["pages_ocr"].tolist() == [2]
