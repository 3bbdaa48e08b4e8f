"""goal_lineage: the generated 環境部 over three years against samples/truth/lineage.json, and the rules."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import plansheet
from plansheet.derived.lineage import Relation, goal_lineage, read_lineage
from plansheet.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LINEAGE_SAMPLES = ROOT / "samples" / "lineage"
TRUTH = json.loads((ROOT / "samples" / "truth" / "lineage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lineage_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lineage_out")
    results = plansheet.extract([LINEAGE_SAMPLES], out)
    assert [r.status.value for r in results] == ["ok"] * 3
    return out


def _named(frame: pd.DataFrame, documents: pd.DataFrame) -> set[tuple]:
    """Lineage rows with doc_ids replaced by source files (the truth's names)."""
    file_of = {d: (LINEAGE_SAMPLES.parent / f).relative_to(ROOT).as_posix()  # source_file: below the input
               for d, f in zip(documents["doc_id"], documents["source_file"])}

    def opt(v: object) -> object:
        return None if pd.isna(v) else (int(v) if not isinstance(v, str) else v)

    return {(int(r.fiscal_year), file_of[r.doc_id], opt(r.goal_no), opt(r.prev_fiscal_year),
             file_of.get(r.prev_doc_id) if not pd.isna(r.prev_doc_id) else None, opt(r.prev_goal_no), r.relation)
            for r in frame.itertuples()}


def _truth_rows() -> set[tuple]:
    return {(r["fiscal_year"], r["file"], r["goal_no"], r["prev_fiscal_year"], r["prev_file"], r["prev_goal_no"],
             r["relation"]) for r in TRUTH["goal_lineage"]}


def test_lineage_matches_generated_truth(lineage_out: Path) -> None:
    tables = plansheet.load(lineage_out)
    got = _named(tables["goal_lineage"], tables["documents"])
    want = _truth_rows()
    assert sorted(got - want, key=str) == [] and sorted(want - got, key=str) == []


def test_links_have_scores_at_or_above_the_threshold(lineage_out: Path) -> None:
    lineage = plansheet.load(lineage_out)["goal_lineage"]
    linked = lineage[lineage["prev_goal_no"].notna() & lineage["goal_no"].notna()]
    assert (linked["score"] >= Settings().lineage_threshold).all()
    assert lineage.loc[lineage["relation"].isin(["new", "ended", "first"]), "score"].isna().all()


def test_chains_follow_the_split(lineage_out: Path) -> None:
    lineage = plansheet.load(lineage_out)["goal_lineage"]
    park = lineage[lineage["chain_id"] == "環境部/2021/3"]
    assert sorted(zip(park["fiscal_year"], park["goal_no"])) == [(2021, 3), (2022, 3), (2022, 4), (2023, 3), (2023, 4)]


def test_dataset_layout_and_csv(lineage_out: Path) -> None:
    files = sorted(p.relative_to(lineage_out).as_posix() for p in (lineage_out / "parquet" / "goal_lineage").rglob("*"))
    assert [f for f in files if f.endswith(".parquet")] == [
        f"parquet/goal_lineage/fiscal_year={y}/lineage.parquet" for y in (2021, 2022, 2023)]
    raw = (lineage_out / "csv" / "goal_lineage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and len(raw.decode("utf-8-sig").strip().splitlines()) == 1 + len(_truth_rows())
    assert read_lineage(lineage_out).num_rows == len(_truth_rows())


def test_a_stricter_threshold_turns_links_into_new_and_ended(lineage_out: Path) -> None:
    t = plansheet.load(lineage_out)
    strict = goal_lineage(t["documents"], t["goals"], t["targets"], threshold=0.99)
    relations = set(strict["relation"])
    assert Relation.REWORDED.value not in relations and Relation.SPLIT.value not in relations
    assert (strict["relation"] == "carried_over").sum() == 2  # identical goals still link (score 1.0)


def test_threshold_is_checked() -> None:
    empty = pd.DataFrame(columns=["doc_id"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        goal_lineage(empty, empty, empty, threshold=1.5)


def _doc(doc_id: str, year: int, source: str = "x.pdf") -> dict:
    return {"doc_id": doc_id, "fiscal_year": year, "municipality": None, "department": "テスト部", "stage": "result",
            "extraction_method": "text_layer", "source_file": source}


def _goal(doc_id: str, no: int, title: str) -> dict:
    return {"doc_id": doc_id, "goal_no": no, "title": title, "plan_goal_no": 1, "field": "防災"}


def _target(doc_id: str, no: int, text: str) -> dict:
    return {"doc_id": doc_id, "goal_no": no, "target_no": 1, "text": text}


def test_two_goals_joined_into_one_are_merged() -> None:
    docs = pd.DataFrame([_doc("a-1", 2020), _doc("b-1", 2021)])
    goals = pd.DataFrame([_goal("a-1", 1, "避難所の備蓄の充実"), _goal("a-1", 2, "避難所の運営訓練の実施"),
                          _goal("b-1", 1, "避難所の備蓄の充実と運営訓練の実施")])
    targets = pd.DataFrame([_target("a-1", 1, "避難所の備蓄品を計画的に更新します。"),
                            _target("a-1", 2, "地域と協力して避難所の運営訓練を実施します。"),
                            _target("b-1", 1, "避難所の備蓄品を計画的に更新し、地域と協力して避難所の運営訓練を実施します。")])
    lineage = goal_lineage(docs, goals, targets, threshold=0.45)
    year2 = lineage[lineage["fiscal_year"] == 2021]
    assert sorted(year2["prev_goal_no"].tolist()) == [1, 2]
    assert set(year2["relation"]) == {"merged"}


def test_an_ok_reading_represents_the_year_before_a_partial_one() -> None:
    docs = pd.DataFrame([_doc("a-1", 2020, "scan.pdf"), _doc("z-1", 2020, "text.pdf")])
    goals = pd.DataFrame([_goal("a-1", 1, "読み誤り"), _goal("z-1", 1, "避難所の備蓄の充実")])
    sources = pd.DataFrame({"source_file": ["scan.pdf", "text.pdf"], "status": ["partial", "ok"]})
    lineage = goal_lineage(docs, goals, pd.DataFrame(columns=["doc_id", "goal_no", "target_no", "text"]), 0.45, sources)
    assert lineage["doc_id"].tolist() == ["z-1"] and lineage["relation"].tolist() == ["first"]


def test_a_year_file_lists_its_pairs_and_the_lookup_agrees_with_its_rows(lineage_out: Path, tmp_path: Path) -> None:
    """Each lineage year file's footer lists the (municipality, department) pairs of its rows, and the
    finish's lookup of a department's stored pairs reads that list (or the rows of a file without one)
    and finds what the rows hold."""
    import shutil

    import pyarrow.parquet as pq

    from plansheet.derived.lineage import PAIRS_META, _stored_pairs

    for path in sorted((lineage_out / "parquet" / "goal_lineage").rglob("lineage.parquet")):
        rows = pq.read_table(path, columns=["municipality", "department"])
        listed = json.loads(pq.read_metadata(path).metadata[PAIRS_META])
        assert listed == [[m, d] for m, d in sorted(set(zip(rows.column("municipality").to_pylist(),
                                                             rows.column("department").to_pylist())))]
        assert listed == [[None, "環境部"]]  # the samples name no city
    assert _stored_pairs(lineage_out, {"環境部"}) == {y: {("", "環境部")} for y in (2021, 2022, 2023)}
    assert _stored_pairs(lineage_out, {"総務部"}) == {y: set() for y in (2021, 2022, 2023)}
    older = tmp_path / "older"  # files written before the list: their rows are read
    shutil.copytree(lineage_out, older)
    for path in (older / "parquet" / "goal_lineage").rglob("lineage.parquet"):
        pq.write_table(pq.read_table(path), path)
    assert PAIRS_META not in (pq.read_metadata(next((older / "parquet" / "goal_lineage").rglob("*.parquet"))).metadata)
    assert _stored_pairs(older, {"環境部"}) == {y: {("", "環境部")} for y in (2021, 2022, 2023)}
    assert _stored_pairs(older, {"総務部"}) == {y: set() for y in (2021, 2022, 2023)}
