"""Run plansheet over fuzz variants and print how exact it is (``make fuzz N=500 SEED=7``).

    python -m samples.generate.fuzz_run --n 500 --seed 7 [--out DIR] [--renderer writer ...]

Draws ``n`` variants (:mod:`samples.generate.fuzz`), writes them and their truth into a
scratch folder (never committed), converts them with plansheet in one batch, compares
every field with the truth, and prints one table: documents exact, fields exact and
*silent* documents (wrong, yet the source's status is ``ok``, whatever the confidence of the
wrong rows), and the wrong fields of ``partial`` documents that no warning names (the promise is
a warning naming the field and its page), by renderer and by the value of each drawn parameter. Failing variants are listed with their first differences.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from plansheet.parsers.ocr_repair import REPAIRED_CONFIDENCE  # noqa: E402  (below it: "an auditor should look")
from samples.generate import extras, fuzz, wording, writing  # noqa: E402

TABLES = ("documents", "officers", "goals", "targets", "initiatives", "grade_scale")
KEYS = {"documents": ["doc"], "officers": ["doc", "name"], "goals": ["doc", "goal_no"],
        "targets": ["doc", "goal_no", "target_no"], "initiatives": ["doc", "goal_no", "initiative_no"],
        "grade_scale": ["doc", "grade"]}
DOUBTED = " (low confidence)"
_SKIP_PARAMS = {"targets_choices", "scan_seed"}
_BINS = {"font_size": (8.5, 9.5), "pad": (1.5, 3.0), "width_scale": (0.95, 1.15),  # continuous → low/mid/high
         "scan_skew_deg": (-1.0, 1.0), "scan_blur_sigma": (0.75, 1.0), "scan_noise_sd": (3.0, 4.5),
         "scan_jpeg_quality": (58, 67)}


def _bucket(name: str, value: object) -> str:
    bounds = _BINS.get(name)
    if bounds is None or not isinstance(value, (int, float)):
        return json.dumps(value, ensure_ascii=False)
    low, high = bounds
    return f"<{low}" if value < low else f"≥{high}" if value >= high else f"{low}–{high}"


@dataclass
class Outcome:
    """One variant's result: its parameters, status, field counts and differences."""

    name: str
    params: dict[str, object]
    status: str
    fields: int = 0
    wrong: int = 0
    differences: list[str] = field(default_factory=list)
    render_seconds: float | None = None  # drawing and printing the variant (None when rescored)
    read_seconds: float | None = None  # plansheet's wall time on the file (sources.seconds)
    unnamed: int = 0  # wrong fields that no warning of the source names

    @property
    def exact(self) -> bool:
        return not self.differences

    @property
    def silent(self) -> bool:
        """Wrong, yet marked ``ok`` (a row of low OCR confidence in a file marked ``ok`` is still silent:
        ``ok`` promises every field)."""
        return self.status == "ok" and bool(self.differences)


def _plain(value: object) -> object:
    if value is None or value is getattr(__import__("pandas"), "NA"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


@dataclass
class Comparison:
    """A variant's extraction against its truth: truth fields, differences as text, and each
    wrong truth field as (table, truth row, column, whether the whole row is missing)."""

    fields: int = 0
    differences: list[str] = field(default_factory=list)
    wrong: list[tuple[str, dict, str, bool]] = field(default_factory=list)


def compare_fields(tables: dict, doc_ids: dict[str, int], expected: dict,
                   doubt: float | None = None) -> Comparison:
    """Compare extracted ``tables`` with ``expected`` (see :func:`compare`)."""
    result = Comparison()
    for table in TABLES:
        want_rows = expected[table]
        frame = tables[table]
        got_rows = []
        for record in frame[frame["doc_id"].isin(list(doc_ids))].to_dict("records"):
            row = {k: _plain(v) for k, v in record.items()}
            row["doc"] = doc_ids[record["doc_id"]]
            got_rows.append(row)
        keys = KEYS[table]
        got = {tuple(r[k] for k in keys): r for r in got_rows}
        want = {tuple(r[k] for k in keys): r for r in want_rows}
        for key, row in want.items():
            result.fields += len(row) - len(keys)
            if key not in got:
                result.differences.append(f"{table} {key}: missing")
                result.wrong.append((table, row, "", True))
                continue
            confidence = got[key].get("confidence")
            doubted = doubt is not None and confidence is not None and confidence <= doubt
            for column, value in row.items():
                if column not in keys and got[key].get(column) != value:
                    result.differences.append(f"{table} {key}.{column}: got {got[key].get(column)!r}, "
                                              f"want {value!r}" + (DOUBTED if doubted else ""))
                    result.wrong.append((table, row, column, False))
        result.differences += [f"{table} {k}: unexpected row" for k in got if k not in want]
    return result


def compare(tables: dict, doc_ids: dict[str, int], expected: dict,
            doubt: float | None = None) -> tuple[int, list[str]]:
    """(number of truth fields, differences) between extracted ``tables`` and ``expected``.

    ``doc_ids`` maps the extraction's doc_id of this file to the truth's ``doc``. With
    ``doubt``, a difference on a row whose OCR ``confidence`` is at most ``doubt`` ends with
    :data:`DOUBTED` (the reader was told to look at it).
    """
    result = compare_fields(tables, doc_ids, expected, doubt)
    return result.fields, result.differences


def unnamed(wrong: list[tuple[str, dict, str, bool]], warnings: list[str]) -> int:
    """How many of the ``wrong`` fields no warning of the source names (the brief's promise:
    a field plansheet is unsure of is named with its page). Field names as ``bench.ocr_hard``
    reads them."""
    from bench.ocr_hard import named_by

    return sum(not named_by(warnings, table, row, column or "text", lost) for table, row, column, lost in wrong)


def run(n: int, seed: int, folder: Path, renderers: tuple[str, ...] = fuzz.RENDERERS,
        indices: list[int] | None = None) -> list[Outcome]:
    """Draw, render and convert the variants; compare each with its truth."""
    import plansheet

    files: dict[str, tuple[Path, dict]] = {}
    rendering: dict[str, float] = {}
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for i in indices if indices is not None else range(n):
        variant = fuzz.draw(seed, i, renderers)
        started = time.perf_counter()
        try:
            path, expected = fuzz.render(variant, inputs)
            rendering[path.name] = time.perf_counter() - started
        except fuzz.UnfitVariant as e:  # not plansheet's doing: the variant is left out, and said so
            print(f"{variant.name}: not rendered as laid out ({e}); left out", file=sys.stderr)
            continue
        except (subprocess.SubprocessError, OSError) as e:  # the renderer's tool failed on this variant
            print(f"{variant.name}: the {variant.renderer} renderer failed ({e}); left out", file=sys.stderr)
            continue
        files[str(path)] = (path, expected)
    if not files:
        return []
    plansheet.extract([p for p, _ in files.values()], folder / "out", output_format="parquet")
    outcomes = score(folder, list(files.values()))
    for o in outcomes:
        o.render_seconds = rendering.get(o.name)
    return outcomes


def rescore(folder: Path) -> list[Outcome]:
    """Compare again the variants of an earlier run's scratch ``folder`` (no rendering, no conversion)."""
    truths = sorted((folder / "inputs").glob("*.json"))
    return score(folder, [(t.with_name(t.name[: -len(".json")]), json.loads(t.read_text(encoding="utf-8")))
                          for t in truths])


def score(folder: Path, files: list[tuple[Path, dict]]) -> list[Outcome]:
    """Each converted variant of ``folder/out`` compared with its truth."""
    import plansheet

    tables = plansheet.load(folder / "out", copies="all")  # each variant is checked, even a copy of another
    sources = {str(r["source_sha256"]): r for r in tables["sources"].to_dict("records")}
    documents = tables["documents"]
    outcomes = []
    for path, expected in files:  # matched by content (source_file is named below the input)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        source = sources.get(sha) or {}
        docs = documents[documents["source_sha256"] == sha]
        doc_ids = {d: int(str(d).rsplit("-", 1)[1]) for d in docs["doc_id"]}
        ocr = expected["meta"]["extraction_method"] == "ocr"
        found = compare_fields(tables, doc_ids, expected, REPAIRED_CONFIDENCE if ocr else None)
        seconds = source.get("seconds")
        warnings = str(source.get("warnings") or "").splitlines() + str(source.get("error") or "").splitlines()
        outcome = Outcome(path.name, expected["meta"]["params"], str(source.get("status", "missing")), found.fields,
                          len(found.differences), found.differences,
                          read_seconds=None if seconds is None else float(seconds),
                          unnamed=unnamed(found.wrong, warnings))
        outcomes.append(outcome)
    return outcomes


def available(renderers: tuple[str, ...]) -> tuple[str, ...]:
    """The ``renderers`` whose tools this machine has; one line on stderr for each one skipped."""
    kept = []
    for r in renderers:
        why = fuzz.missing_tool(r)
        if why:
            print(why, file=sys.stderr)
        else:
            kept.append(r)
    return tuple(kept)


def _row(label: str, group: list[Outcome]) -> str:
    docs = len(group)
    exact = sum(o.exact for o in group)
    fields = sum(o.fields for o in group)
    right = fields - sum(min(o.wrong, o.fields) for o in group)
    silent = sum(o.silent for o in group)
    warned = docs - exact - silent
    unnamed = sum(o.unnamed for o in group if not o.silent)
    alarms = sum(o.exact and o.status != "ok" and not o.params.get("unshown") for o in group)  # unshown: partial, rightly
    return (f"| {label} | {docs} | {exact} ({100 * exact / docs:.1f} %) | "
            f"{100 * right / max(fields, 1):.2f} % | {warned} | {unnamed} | {silent} | {alarms} |")


def table(outcomes: list[Outcome]) -> str:
    """The summary table: overall, by renderer, then by each parameter value that has failures."""
    head = ("| variants | documents | exact | fields exact | wrong, warned | wrong fields no warning names "
            "(in warned documents) | silent (wrong but ok) | exact, yet not ok (false alarm) |\n"
            "|---|---|---|---|---|---|---|---|")
    lines = [head, _row("all", outcomes)]
    by: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for k, v in o.params.items():
            if k not in _SKIP_PARAMS:
                by[(k, _bucket(k, v))].append(o)
    for (k, v), group in sorted(by.items()):
        if k == "renderer" or k == "export_mode":
            lines.append(_row(f"{k}={v}", group))
    for (k, v), group in sorted(by.items()):
        if k not in ("renderer", "export_mode") and any(not o.exact for o in group):
            lines.append(_row(f"{k}={v}", group))
    return "\n".join(lines)


def timings(outcomes: list[Outcome]) -> str:
    """Median seconds per variant, by renderer: rendering it and plansheet reading it."""
    from statistics import median

    lines = ["| renderer | variants | render s/variant | read s/variant |", "|---|---|---|---|"]
    by: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by[str(o.params["renderer"])].append(o)
    for name, group in sorted(by.items()):
        cells = []
        for values in ([o.render_seconds for o in group], [o.read_seconds for o in group]):
            known = [v for v in values if v is not None]
            cells.append(f"{median(known):.1f}" if known else "–")
        lines.append(f"| {name} | {len(group)} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate.fuzz_run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="scratch folder (default: a new temporary folder)")
    ap.add_argument("--renderer", action="append", choices=fuzz.ALL_RENDERERS,
                    help="only these renderers (default: all; those whose tool is missing are skipped)")
    ap.add_argument("--index", type=int, action="append", help="only these variant numbers (re-run a failure)")
    ap.add_argument("--show", type=int, default=5, help="differences shown per failing variant")
    ap.add_argument("--rescore", action="store_true", help="only compare again the variants already in --out")
    ap.add_argument("--force", action="append", default=[], metavar="AXIS",
                    choices=sorted(fuzz.PRINTED_RATES) + sorted(fuzz.CELL_QUIRKS) + sorted(writing.WRITING_RATES)
                    + sorted(wording.WORDING_RATES) + sorted(extras.EXTRAS_RATES),
                    help="draw this axis (of the printed page, a cell quirk, how the sheet is typed or worded) wherever "
                    "it may be drawn (rate 1.0)")
    args = ap.parse_args(argv)
    for axis in args.force:
        rates = next(r for r in (fuzz.PRINTED_RATES, fuzz.CELL_QUIRKS, writing.WRITING_RATES, wording.WORDING_RATES,
                                 extras.EXTRAS_RATES) if axis in r)
        rates[axis] = 1.0
    if args.rescore:
        if not args.out:
            ap.error("--rescore needs --out")
        outcomes = rescore(args.out)
        _print(outcomes, args.show, f"{args.out} rescored")
        return 1 if any(o.silent for o in outcomes) else 0
    renderers = available(tuple(args.renderer or fuzz.ALL_RENDERERS))
    if not renderers:
        print("no renderer can run here; nothing to do", file=sys.stderr)
        return 0
    folder = args.out or Path(tempfile.mkdtemp(prefix="plansheet-fuzz-"))
    outcomes = run(args.n, args.seed, folder, renderers, args.index)
    _print(outcomes, args.show, f"seed {args.seed}, {len(outcomes)} variants, scratch {folder}")
    return 1 if any(o.silent for o in outcomes) else 0


def _print(outcomes: list[Outcome], show: int, heading: str) -> None:
    for o in outcomes:
        if not o.exact:
            flag = "SILENT" if o.silent else o.status + (f", {o.unnamed} unnamed" if o.unnamed else "")
            print(f"{o.name} [{flag}]: " + "; ".join(o.differences[:show]))
    print(f"\n{heading}\n")
    print(table(outcomes))
    print()
    print(timings(outcomes))


if __name__ == "__main__":
    sys.exit(main())
