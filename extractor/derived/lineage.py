"""Goal lineage: link each goal to the same department's goal(s) of the previous fiscal year.

A pure function over the loaded tables (:func:`goal_lineage`), plus the writer that
:func:`plansheet.batch.finish.finish_output` calls after every run (:func:`write_lineage`).
Columns and relations are documented in ``docs/lineage.md``.

For every department (municipality + department name) the documents are ordered by
fiscal year; each year is compared with the department's nearest earlier year in the
dataset. A pair of goals gets a score in 0–1 (:func:`pair_score`): the similarity of
their titles and of their target texts (rapidfuzz's normalised InDel ratio on NFKC
text without spaces and punctuation), and whether ``plan_goal_no`` and ``field`` agree.
A goal is linked to its best-scoring predecessor, and a predecessor to its best-scoring
successor, when the score reaches the threshold (``Settings.lineage_threshold``);
a predecessor with two successors was split, a goal with two predecessors merged.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rapidfuzz import fuzz

from plansheet.output.rows import with_pandas_metadata
from plansheet.derived.current import Rows, choose, choose_current, plain_columns, resolve_municipalities
from plansheet.output.writers import atomic_write_bytes, parquet_bytes, write_buffer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from plansheet.output.dataset import Touched

log = logging.getLogger(__name__)

TABLE = "goal_lineage"
STR, I32, F64 = pa.string(), pa.int32(), pa.float64()
SCHEMA = pa.schema([
    ("municipality", STR), ("department", STR), ("fiscal_year", I32), ("doc_id", STR), ("goal_no", I32),
    ("prev_fiscal_year", I32), ("prev_doc_id", STR), ("prev_goal_no", I32), ("score", F64),
    ("relation", STR), ("title_similarity", F64), ("target_similarity", F64), ("chain_id", STR),
])
KEY = ["fiscal_year", "doc_id", "goal_no", "prev_goal_no"]

# weights of the pair score; they sum to 1
W_TITLE, W_TARGETS, W_PLAN_GOAL, W_FIELD = 0.45, 0.35, 0.10, 0.10
SAME_TITLE = 0.95  # a linked goal whose title is at least this similar is carried_over, else reworded
_PUNCT = re.compile(r"[\s\W_]+")


class Relation(str, Enum):
    """How a goal relates to the department's previous fiscal year."""

    FIRST = "first"                 # the department has no earlier sheet in the dataset
    CARRIED_OVER = "carried_over"   # one predecessor, same title
    REWORDED = "reworded"           # one predecessor, other title
    SPLIT = "split"                 # the predecessor has two or more successors
    MERGED = "merged"               # two or more predecessors
    NEW = "new"                     # no predecessor above the threshold
    ENDED = "ended"                 # a previous goal without successor (goal_no null)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _norm(text: object) -> str:
    if _missing(text):
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))


def similarity(a: str, b: str) -> float:
    """0–1 similarity of two normalised texts (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


def targets_similarity(a: list[str], b: list[str]) -> float:
    """How well the targets of one goal are found among the other's (the better direction).

    Taking the better direction lets a split child (one of its parent's targets) or a
    merged goal (its predecessors' targets together) score high.
    """
    if not a or not b:
        return 0.0

    def covered(xs: list[str], ys: list[str]) -> float:
        return sum(max(similarity(x, y) for y in ys) for x in xs) / len(xs)

    return max(covered(a, b), covered(b, a))


def _agree(a: object, b: object) -> float:
    if _missing(a) or _missing(b):
        return 0.5
    return 1.0 if _norm(a) == _norm(b) else 0.0


@dataclass(frozen=True)
class GoalText:
    """What the score compares of one goal."""

    doc_id: str
    goal_no: int
    title: str
    targets: list[str]
    plan_goal_no: object
    field: object


@dataclass(frozen=True)
class PairScore:
    score: float
    title: float
    targets: float


def pair_score(a: GoalText, b: GoalText) -> PairScore:
    """The weighted score of two goals (titles, targets, plan goal number, field)."""
    title = similarity(a.title, b.title)
    targets = targets_similarity(a.targets, b.targets)
    score = (W_TITLE * title + W_TARGETS * targets + W_PLAN_GOAL * _agree(a.plan_goal_no, b.plan_goal_no)
             + W_FIELD * _agree(a.field, b.field))
    return PairScore(round(score, 4), round(title, 4), round(targets, 4))


def _representatives(documents: Rows, sources: Rows | None = None,
                     source_states: Mapping[str, str] | None = None) -> tuple[list[int], list[str]]:
    """The rows of :func:`representative_documents` (in its order), and every document's resolved
    municipality ("" for none)."""
    ids = documents["doc_id"]
    stored = documents.get("is_current")
    if stored is not None and all(v is not None for v in stored) and source_states is None:
        current = list(stored)
    else:
        current = choose(documents, sources, source_states)[0]
    # quiet: choosing the current copies (mark_current, load) said which documents name no municipality
    group = [m or "" for m in resolve_municipalities(documents["municipality"], documents["department"], quiet=True)]
    stage = documents["stage"]
    order = sorted((i for i in range(len(ids)) if current[i]),
                   key=lambda i: (0 if str(stage[i]) == "result" else 1, str(ids[i])))
    seen: set[tuple] = set()
    kept = []
    for i in order:  # a result sheet before the plan, then the smallest doc_id
        sheet = (group[i], documents["department"][i], documents["fiscal_year"][i])
        if sheet not in seen:
            seen.add(sheet)
            kept.append(i)
    return kept, group


def representative_documents(documents: "pd.DataFrame", goals: "pd.DataFrame | None" = None,
                             sources: "pd.DataFrame | None" = None,
                             source_states: Mapping[str, str] | None = None) -> "pd.DataFrame":
    """One document per municipality, department and fiscal year (``group_municipality``: resolved).

    The current copy of the year's ``result`` sheet, else of its ``plan`` sheet; which copy
    of a sheet is current is :func:`plansheet.derived.current.choose_current`'s choice (as
    stored in ``documents.is_current`` when every row has it).
    ``goals`` is not used (kept for callers that pass it).
    """
    import pandas as pd

    if documents.empty:
        return documents.assign(group_municipality=pd.Series(dtype="string"))
    stored = "is_current" in documents and documents["is_current"].notna().all() and source_states is None
    chosen = documents if stored else choose_current(documents, sources, source_states)
    rows = plain_columns(documents)
    assert rows is not None
    kept, group = _representatives(rows, plain_columns(sources), source_states)
    return chosen.iloc[kept].assign(group_municipality=[group[i] for i in kept])


def _goal_texts_by_doc(goals: Rows, targets: Rows) -> dict[str, list[GoalText]]:
    """Every document's goals (by goal_no) with their non-empty targets (by target_no), in one pass."""
    texts: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for doc_id, goal_no, target_no, text in zip(targets["doc_id"], targets["goal_no"], targets["target_no"],
                                                targets["text"]):
        order = int(target_no) if target_no is not None else 1 << 30  # nulls last
        texts.setdefault((str(doc_id), int(goal_no)), []).append((order, _norm(text)))  # type: ignore[arg-type]
    by_doc: dict[str, list[GoalText]] = {}
    ids, numbers = goals["doc_id"], goals["goal_no"]
    for i in sorted(range(len(ids)), key=lambda i: (str(ids[i]), numbers[i] is None, numbers[i] or 0)):
        doc, number = str(ids[i]), int(numbers[i])  # type: ignore[arg-type]
        mine = [t for _, t in sorted(texts.get((doc, number), []), key=lambda x: x[0]) if t]
        by_doc.setdefault(doc, []).append(
            GoalText(doc, number, _norm(goals["title"][i]), mine, goals["plan_goal_no"][i], goals["field"][i]))
    return by_doc


Link = tuple["GoalText | None", "GoalText | None", "PairScore | None", Relation]


def link_years(prev: list[GoalText], cur: list[GoalText], threshold: float) -> list[Link]:
    """The lineage rows from one year's goals (``prev``) to the next (``cur``)."""
    scores = {(p.goal_no, c.goal_no): pair_score(p, c) for p in prev for c in cur}
    links: set[tuple[int, int]] = set()
    for c in cur:  # each goal's best predecessor
        best = max(prev, key=lambda p: scores[p.goal_no, c.goal_no].score, default=None)
        if best is not None and scores[best.goal_no, c.goal_no].score >= threshold:
            links.add((best.goal_no, c.goal_no))
    for p in prev:  # each predecessor's best successor
        best = max(cur, key=lambda c: scores[p.goal_no, c.goal_no].score, default=None)
        if best is not None and scores[p.goal_no, best.goal_no].score >= threshold:
            links.add((p.goal_no, best.goal_no))
    preds = {c.goal_no: sorted(p for p, cc in links if cc == c.goal_no) for c in cur}
    succs = {p.goal_no: sorted(c for pp, c in links if pp == p.goal_no) for p in prev}
    by_no = {p.goal_no: p for p in prev}
    rows: list[Link] = []
    for c in cur:
        if not preds[c.goal_no]:
            rows.append((None, c, None, Relation.NEW))
            continue
        for p_no in preds[c.goal_no]:
            s = scores[p_no, c.goal_no]
            if len(preds[c.goal_no]) > 1:
                rel = Relation.MERGED
            elif len(succs[p_no]) > 1:
                rel = Relation.SPLIT
            else:
                rel = Relation.CARRIED_OVER if s.title >= SAME_TITLE else Relation.REWORDED
            rows.append((by_no[p_no], c, s, rel))
    rows += [(p, None, None, Relation.ENDED) for p in prev if not succs[p.goal_no]]
    return rows


def chain_name(municipality: str | None, department: str, fiscal_year: int, goal_no: int) -> str:
    """The ``chain_id`` of a chain: where it starts, readable and independent of the file's bytes."""
    return "/".join(str(part) for part in (municipality, department, fiscal_year, goal_no) if part)


def lineage_table(documents: Rows, goals: Rows, targets: Rows, threshold: float,
                  sources: Rows | None = None) -> pa.Table:
    """The ``goal_lineage`` table (one row per link, new, ended or first goal) from plain columns."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"lineage threshold must be between 0 and 1, not {threshold}")
    rows: list[dict] = []
    kept, group = _representatives(documents, sources)
    chain_of: dict[tuple[str, int], str] = {}
    texts = _goal_texts_by_doc(goals, targets)  # one pass, not a scan of the whole table per document
    departments: dict[tuple[str, object], list[int]] = {}
    for i in kept:
        departments.setdefault((group[i], documents["department"][i]), []).append(i)
    years = documents["fiscal_year"]
    for key in sorted(departments, key=lambda k: (k[0], k[1] is None, k[1] or "")):
        prev_year = None
        prev_goals: list[GoalText] = []
        for i in sorted(departments[key], key=lambda i: (years[i] is None, years[i] or 0)):
            doc_id = documents["doc_id"][i]
            cur_goals = texts.get(str(doc_id), [])
            base = {"municipality": group[i] or None, "department": key[1], "fiscal_year": int(years[i]),  # type: ignore[arg-type]
                    "doc_id": doc_id}
            if prev_year is None:
                links = [(None, c, None, Relation.FIRST) for c in cur_goals]
            else:
                links = link_years(prev_goals, cur_goals, threshold)
            for p, c, s, rel in links:
                if c is not None:
                    own = chain_name(base["municipality"], key[1], base["fiscal_year"], c.goal_no)  # type: ignore[arg-type]
                    chain = chain_of.get((p.doc_id, p.goal_no), own) if p is not None else own
                    chain_of.setdefault((c.doc_id, c.goal_no), chain)  # merged: the first predecessor's chain
                else:
                    chain = chain_of.get((p.doc_id, p.goal_no))  # type: ignore[union-attr]
                rows.append({**base, "goal_no": c.goal_no if c else None,
                             "prev_fiscal_year": prev_year if p is not None else None,
                             "prev_doc_id": p.doc_id if p else None, "prev_goal_no": p.goal_no if p else None,
                             "score": s.score if s else None, "relation": rel.value,
                             "title_similarity": s.title if s else None,
                             "target_similarity": s.targets if s else None, "chain_id": chain})
            prev_year, prev_goals = base["fiscal_year"], cur_goals
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def goal_lineage(documents: "pd.DataFrame", goals: "pd.DataFrame", targets: "pd.DataFrame",
                 threshold: float, sources: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """The ``goal_lineage`` table (one row per link, new, ended or first goal) from loaded tables.

    ``sources`` (optional) lets a sheet read ``ok`` represent its department-year
    before a ``partial`` reading of the same sheet.
    """
    import pandas as pd

    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"lineage threshold must be between 0 and 1, not {threshold}")
    frames = [plain_columns(f) for f in (documents, goals, targets)]
    table = lineage_table(*frames, threshold, plain_columns(sources))  # type: ignore[arg-type]
    return table.to_pandas(types_mapper={I32: pd.Int32Dtype(), STR: pd.StringDtype()}.get)


ORDER = [("municipality", "ascending"), ("department", "ascending"), ("fiscal_year", "ascending"),
         ("doc_id", "ascending"), ("goal_no", "ascending"), ("prev_goal_no", "ascending")]


def _pair(municipality: object, department: object) -> tuple[str, str]:
    return (municipality or "", department or "")  # type: ignore[return-value]


def _pair_chunk(row: dict) -> tuple[str, str]:
    """The CSV chunk of a lineage row: its (municipality, department), which is also its order."""
    name = "\0".join(_pair(row["municipality"], row["department"]))
    return name, name


def _year_files(out: Path) -> dict[int, Path]:
    folder = out / "parquet" / TABLE
    return {int(p.parent.name.partition("=")[2]): p for p in folder.glob("fiscal_year=*/lineage.parquet")}


PAIRS_META = b"plansheet.pairs"  # a year file's footer lists the (municipality, department) pairs its rows hold


def _pairs_of(part: pa.Table) -> bytes:
    """The footer's list of the (municipality, department) pairs of a year file's rows (null kept), as JSON."""
    pairs = set(zip(part.column("municipality").to_pylist(), part.column("department").to_pylist()))
    ordered = sorted(pairs, key=lambda p: (p[0] is None, p[0] or "", p[1] is None, p[1] or ""))
    return json.dumps(ordered, ensure_ascii=False).encode("utf-8")


def _write_years(out: Path, table: pa.Table, years: set[int], old: dict[int, pa.Table] | None = None) -> None:
    """Rewrite ``parquet/goal_lineage/fiscal_year=YYYY/lineage.parquet`` of ``years`` from ``table``;
    a year whose rows are those of ``old`` (its file as read, when given) is left as it is."""
    folder = out / "parquet" / TABLE
    stored = [f.name for f in SCHEMA if f.name != "fiscal_year"]
    for year in sorted(years):
        part = table.filter(pc.equal(table.column("fiscal_year"), year)).sort_by(ORDER).select(stored)
        part = part.replace_schema_metadata(with_pandas_metadata(part.schema).metadata)
        target = folder / f"fiscal_year={year}" / "lineage.parquet"
        if old is not None and year in old and part.num_rows and old[year].equals(part):
            continue  # (another year of a department's chains: its rows did not change)
        if part.num_rows:
            data = parquet_bytes(part, {PAIRS_META: _pairs_of(part)}, compression="zstd",
                                 use_dictionary=False)  # see dataset.write_part
            atomic_write_bytes(target, lambda tmp, data=data: write_buffer(tmp, data))
        else:
            target.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)


def write_empty_year(out: Path, year: int) -> None:
    """The ``goal_lineage`` file of ``year`` with the table's columns and no rows
    (:mod:`plansheet.batch.empty_tables`)."""
    part = SCHEMA.empty_table().select([f.name for f in SCHEMA if f.name != "fiscal_year"])
    part = part.replace_schema_metadata(with_pandas_metadata(part.schema).metadata)
    target = out / "parquet" / TABLE / f"fiscal_year={year}" / "lineage.parquet"
    data = parquet_bytes(part, compression="zstd", use_dictionary=False)  # as _write_years writes a year
    atomic_write_bytes(target, lambda tmp: write_buffer(tmp, data))


def _write_csv(out: Path, table: pa.Table, pairs: set[tuple[str, str]] | None) -> None:
    """The lineage CSV, one chunk per (municipality, department): ``pairs``' chunks, or whole (None)."""
    from plansheet.output.csvs import chunks_of, write_csv

    changed = chunks_of(table.sort_by(ORDER), _pair_chunk)
    if pairs is not None:
        removed = {"\0".join(p) for p in pairs} - set(changed)
        if write_csv(out, TABLE, SCHEMA.names, changed, removed):
            return
        table = read_lineage(out)
        changed = chunks_of(table.sort_by(ORDER), _pair_chunk)
    write_csv(out, TABLE, SCHEMA.names, changed, full=True)


def write_lineage(out: Path, lineage: "pd.DataFrame | pa.Table", csv: bool) -> None:
    """Write the whole ``goal_lineage`` table (one file per fiscal year, + the CSV); drop stale years."""
    table = lineage if isinstance(lineage, pa.Table) else pa.Table.from_pandas(lineage, schema=SCHEMA,
                                                                                 preserve_index=False)
    years = set(table.column("fiscal_year").to_pylist()) | set(_year_files(out))
    _write_years(out, table, years)
    if csv:
        _write_csv(out, table, None)
    log.info("goal_lineage: %d rows over %d fiscal years", table.num_rows, len(years))


def read_lineage(out: Path, large_strings: bool = False) -> pa.Table:
    """The ``goal_lineage`` dataset (``fiscal_year`` from the partition); empty if none yet; its
    strings ``large_string`` when ``large_strings`` (as :func:`plansheet.load` reads them).

    Read file by file (``pyarrow.parquet``; ``pyarrow.dataset`` would import pandas)."""
    from plansheet.output.writers import large_strings as large, read_file

    schema = large(SCHEMA) if large_strings else SCHEMA
    stored = pa.schema([f for f in schema if f.name != "fiscal_year"])
    parts = []
    for year, path in sorted(_year_files(out).items(), key=lambda item: item[1].as_posix()):
        table = read_file(path, stored)
        parts.append(table.append_column("fiscal_year", pa.repeat(pa.scalar(year, I32), table.num_rows)))
    return pa.concat_tables(parts).select(schema.names).cast(schema) if parts else schema.empty_table()


GOAL_COLUMNS = ["doc_id", "goal_no", "plan_goal_no", "field", "title"]  # what the pair score compares
TARGET_COLUMNS = ["doc_id", "goal_no", "target_no", "text"]


def _stored_pairs(out: Path, departments: set[str], years: set[int] | None = None) -> dict[int, set[tuple[str, str]]]:
    """Per fiscal year (of ``years`` only, when given), the (municipality, department) pairs of
    ``departments`` the stored lineage holds."""
    wanted = pa.array(sorted(departments), pa.string())
    found: dict[int, set[tuple[str, str]]] = {}
    for year, path in _year_files(out).items():
        if years is not None and year not in years:
            continue
        listed = _listed_pairs(path, departments)
        if listed is not None:
            found[year] = listed
            continue
        table = pq.ParquetFile(path).read(columns=["municipality", "department"])
        table = table.filter(pc.fill_null(pc.is_in(table.column("department"), value_set=wanted), False))
        found[year] = set(map(_pair, table.column("municipality").to_pylist(), table.column("department").to_pylist()))
    return found


def _listed_pairs(path: Path, departments: set[str]) -> set[tuple[str, str]] | None:
    """The pairs of ``departments`` a year file holds, from the list in its footer (None when it has
    none: a file written before the list was). The footer's raw bytes are searched first: a department
    whose JSON string is not in them is not in the list, so most files are not parsed at all (a
    one-file run into a large archive looked at every year's file of a department naming no city)."""
    from plansheet.output.dataset import _raw_footer

    try:
        raw = _raw_footer(path)
    except FileNotFoundError:
        return set()
    if not raw or PAIRS_META not in raw:
        return None
    if not any(json.dumps(d, ensure_ascii=False).encode("utf-8") in raw for d in departments):
        return set()
    listed = (pq.read_metadata(path).metadata or {}).get(PAIRS_META)
    if listed is None:
        return None
    return {_pair(m, d) for m, d in json.loads(listed) if d is not None and d in departments}  # as is_in finds them


def _kept_rows(out: Path, years: set[int], pairs: set[tuple[str, str]]) -> tuple[pa.Table, dict[int, pa.Table]]:
    """The stored lineage rows of ``years`` that do not belong to ``pairs``, and each of those
    years' files as read."""
    from plansheet.output.writers import read_file

    stored = pa.schema([f for f in SCHEMA if f.name != "fiscal_year"])
    files = _year_files(out)
    parts = [SCHEMA.empty_table()]
    read: dict[int, pa.Table] = {}
    for year in sorted(years & set(files)):
        read[year] = table = read_file(files[year], stored)
        table = table.append_column("fiscal_year", pa.array([year] * table.num_rows, I32)).select(SCHEMA.names)
        parts.append(table.filter(pc.invert(_in_pairs(table, pairs))).cast(SCHEMA))
    return pa.concat_tables(parts), read


def update_lineage(out: Path, threshold: float, csv: bool, touched: "Touched | None" = None,
                   documents: pa.Table | None = None, sources: pa.Table | None = None) -> pa.Table | None:
    """Bring ``goal_lineage`` up to date after a run: whole (``touched`` None), or for the
    (municipality, department) pairs whose documents the run touched.

    ``documents`` and ``sources`` are what :func:`plansheet.derived.current.mark_current`
    returned (read here when not given); only the goals and targets of the pairs recomputed,
    and the lineage files of the years they span, are read.
    """
    from plansheet.derived.current import DOC_COLUMNS, sources_of
    from plansheet.output.csvs import index_fits
    from plansheet.output.dataset import key_prefix, part_files, read_parts

    if documents is None:
        documents = read_parts(out, "documents", part_files(out, "documents"), None, DOC_COLUMNS)
    if touched is None:
        goals = read_parts(out, "goals", part_files(out, "goals"), None, GOAL_COLUMNS)
        targets = read_parts(out, "targets", part_files(out, "targets"), None, TARGET_COLUMNS)
        lineage = lineage_table(documents.to_pydict(), goals.to_pydict(), targets.to_pydict(), threshold,
                                (sources if sources is not None else sources_of(out, documents)).to_pydict())
        write_lineage(out, lineage, csv)
        return lineage
    keys = touched.keys()
    pairs = set(touched.removed_pairs)
    doc_keys = key_prefix(documents.column("doc_id")).to_pylist()
    doc_pairs = [_pair(m, d) for m, d in zip(documents.column("municipality").to_pylist(),
                                             documents.column("department").to_pylist())]
    pairs |= {p for p, k in zip(doc_pairs, doc_keys) if k in keys}
    # a null municipality joins its department's named one (derived.current): where a touched
    # department has (or had) a document naming no municipality, recompute the department under
    # every municipality, so the chains come out as a full rebuild's; elsewhere only its own pairs
    touched_departments = {d for _, d in pairs}
    departments = {d for m, d in pairs if not m} | {d for m, d in doc_pairs if not m and d in touched_departments}
    pairs |= {p for p in doc_pairs if p[1] in departments}
    # where every touched department's documents name their municipality and none of their rows
    # went, a pair's chains lie in the years of its documents (all in ``documents``): only those
    # years' files are looked at; else every year's (a pair may have lost a year, or be renamed)
    near = None if touched.removed_pairs or departments else \
        {y for p, y in zip(doc_pairs, documents.column("fiscal_year").to_pylist()) if p in pairs and y is not None}
    stored = _stored_pairs(out, touched_departments, near)
    pairs |= {p for found in stored.values() for p in found if p[1] in departments}
    if not pairs:
        if csv and not index_fits(out, TABLE):
            _write_csv(out, read_lineage(out), None)
        return None
    mine = documents.filter(pa.array([p in pairs for p in doc_pairs], pa.bool_()))
    goals = rows_of_documents(out, "goals", mine, GOAL_COLUMNS)
    targets = rows_of_documents(out, "targets", mine, TARGET_COLUMNS)
    fresh_table = lineage_table(mine.to_pydict(), goals.to_pydict(), targets.to_pydict(), threshold,
                                (sources if sources is not None else sources_of(out, mine)).to_pydict())
    years = {y for y, found in stored.items() if found & pairs} | set(fresh_table.column("fiscal_year").to_pylist())
    kept, old = _kept_rows(out, years, pairs)
    _write_years(out, pa.concat_tables([kept, fresh_table]), years, old)
    if csv:
        _write_csv(out, fresh_table, pairs)
    return fresh_table


def _in_pairs(table: pa.Table, pairs: set[tuple[str, str]]) -> pa.Array:
    """Which rows of a lineage table belong to ``pairs`` (the department column narrows first)."""
    candidates = pc.is_in(table.column("department"), value_set=pa.array(sorted({d for _, d in pairs}), pa.string()))
    rows = pc.indices_nonzero(candidates)
    some = table.take(rows)
    mask = [False] * table.num_rows
    for i, m, d in zip(rows.to_pylist(), some.column("municipality").to_pylist(), some.column("department").to_pylist()):
        mask[i] = _pair(m, d) in pairs
    return pa.array(mask, pa.bool_())


def rows_of_documents(out: Path, name: str, documents: pa.Table, columns: list[str] | None = None) -> pa.Table:
    """The rows of ``name`` that belong to ``documents`` (read from their part files only; ``columns`` only)."""
    from plansheet.output.dataset import bucket_of, key_prefix, part_name, read_parts, slot_files

    keys = set(key_prefix(documents.column("doc_id")).to_pylist())
    files = sorted({f"parquet/{name}/fiscal_year={y}/{part_name(bucket_of(k[:16]))}"
                    for y, k in zip(documents.column("fiscal_year").to_pylist(),
                                    documents.column("doc_id").to_pylist())})
    table = read_parts(out, name, [f for f in files if slot_files(out / f)], keys, columns)
    wanted = set(documents.column("doc_id").to_pylist())
    return table.filter(pa.array([d in wanted for d in table.column("doc_id").to_pylist()], pa.bool_()))
