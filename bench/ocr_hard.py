"""OCR on the harder scanned set: CER, grades and numbers, field accuracy, confidence, speed,
and the wrong fields sorted into the classes of error the post-correction addresses.

    .venv/bin/python -m bench.ocr_hard                    # held-out set, 6 scans (bench/fuzz/hardscan)
    .venv/bin/python -m bench.ocr_hard --set tune --count 6 --show
    .venv/bin/python -m bench.ocr_hard --set heldout --seed 8000  # a fresh set: new seeds (bench/fuzz/hardscan/heldout-8000)
    .venv/bin/python -m bench.ocr_hard --without-repairs      # the same scans, no post-correction
    .venv/bin/python -m bench.ocr_hard --no-cache --plain     # speed beside plain full-page Tesseract, interleaved
    .venv/bin/python -m bench.ocr_hard --write-results        # its section of bench/RESULTS.md (bench.run writes it too)

Scans come from ``samples.generate.hardscan`` (generated, never committed). Tesseract's answers
are kept in ``bench/fuzz/ocr_cache`` (keyed by image bytes), so a second run measures the
post-correction and the grammar quickly; ``--no-cache`` measures the engine too (speed): the CPU of
the whole extraction, and of it Tesseract's recognition of the crops (the reader's ceiling: the pages
per CPU-second if every other step were free). ``--plain`` reads each scan's pages with plain full-page
Tesseract (PSM 3, :func:`bench.quality.plain_tesseract`) right after plansheet reads them, so the two
share the machine's load and the ratio holds on a slower or busier machine than the absolute figure.
Field accuracy counts every truth field of every table; "long text" is every text field of
20 characters or more; "numbers" are the numeric tokens (digits with , . % and the counter
after them) of the truth's texts, each counted right when the same token stands in the
extracted field; grades are the target and overall grades.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import regex

from bench.quality import _truth_helpers, norm

ROOT = Path(__file__).resolve().parent.parent
FUZZ = Path(__file__).resolve().parent / "fuzz"
log = logging.getLogger("bench.ocr_hard")
NUMBER = regex.compile(r"\d[\d,.]*%?(?:[人件袋円回通枚台本冊日月年]|世帯|千円)?")
LONG = 20


@dataclass
class Wrong:
    file: str
    table: str
    key: tuple
    column: str
    want: object
    got: object
    confidence: float | None
    kind: str = ""


@dataclass
class Tally:
    fields: int = 0
    exact: int = 0
    long_chars: int = 0
    long_errors: int = 0
    numbers: int = 0
    numbers_right: int = 0
    grades: int = 0
    grades_right: int = 0
    pages: int = 0
    cpu_seconds: float = 0.0
    engine_cpu: float = 0.0  # of cpu_seconds, inside Tesseract's recognition calls (0 when answers were replayed)
    plain_pages: int = 0  # plain full-page Tesseract on the same pages (--plain)
    plain_cpu: float = 0.0
    scored: list[tuple[float | None, bool]] = field(default_factory=list)  # (confidence, right) per field
    wrong: list[Wrong] = field(default_factory=list)
    silent: int = 0  # wrong fields in files whose source came out ``ok`` (nothing said they may be wrong)
    unnamed: list[Wrong] = field(default_factory=list)  # wrong fields no warning of their source names
    right_named: int = 0  # right fields a warning names all the same (false alarms)
    files_ok: int = 0


def classify(want: object, got: object) -> str:
    """The class of error of one wrong field (the post-correction rules' classes)."""
    if got in (None, ""):
        return "field lost"
    if not isinstance(want, str) or not isinstance(got, str):
        return "number/grade value"
    w, g = norm(want), norm(got)
    if regex.search(r"\d9(?=[^\d]|$)", g) and "%" in w and g.count("%") < w.count("%"):
        return "% read as 9"
    if g.count("%") > w.count("%"):
        return "doubled glyph"
    if regex.search(r"\d\.\d{3}", g) and regex.search(r"\d,\d{3}", w):
        return "comma read as full stop"
    if w.endswith("」") or "。」" in w and "。」" not in g:
        if g.replace("〟", "") != w and ("〟" in g or w.count("」") > g.count("」")):
            return "closing 。」"
    if w.endswith("。") and len(w) - 3 <= len(g) <= len(w) + 1 and g[: len(w) - 3] == w[:-3] and g[-1:] != "。":
        return "wrapped line's tail"  # た。 or す。 alone on the last line, read as S, 4, だ8
    if len(g) == len(w) - 1 and w[1:] == g or (len(w) == len(g) and w[1:] == g[1:] and w[0] != g[0]):
        return "first char at rule"
    if regex.search(r"[ー一ニ“”〟]{3,}$", g) or len(g) > len(w) + 2 and g.startswith(w):
        return "rule debris"
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.editops(w, g)
    if ops and all(o.tag == "replace" for o in ops) and len(ops) <= 2 and all(
            regex.match(r"\p{Han}", w[o.src_pos]) and regex.match(r"\p{Han}", g[o.dest_pos]) for o in ops):
        return "look-alike kanji"
    if any(o.tag == "insert" and o.dest_pos > 0 and g[o.dest_pos] == g[o.dest_pos - 1] for o in ops):
        return "doubled glyph"
    return "other"


_DOCUMENT_FIELDS = {"basic_policy": "basic policy", "department": "department", "director": "officer 部長",
                    "fiscal_year": "fiscal year", "fiscal_year_label": "fiscal year", "municipality": "municipality"}
_RECORDS = {"goals": "goal {goal_no}", "targets": "goal {goal_no} target {target_no}",
            "initiatives": "goal {goal_no} initiative {initiative_no}", "officers": "officer {position}",
            "grade_scale": "legend {grade}"}


def field_name(table: str, row: dict, column: str) -> tuple[str, str]:
    """How a warning names the field ``column`` of the truth row ``row``: (record, field), as
    (``goal 2 target 1``, ``status``), (``basic policy``, ``""``), (``officer 部長``, ``""``)."""
    if table == "documents":
        name = _DOCUMENT_FIELDS.get(column, column.replace("_", " "))
        return (name, "") if not name.startswith("officer ") else (name, "name")
    return _RECORDS[table].format(**row), column


_CHILDREN = {"targets": "今年度の達成目標 (target)", "initiatives": "具体的取組 (initiative)"}


def _children_lost(goal_no: int, kind: str) -> regex.Pattern[str]:
    """The warning of a goal none of whose targets (or initiatives) was read: ``goal 3 (page 4) initiatives:
    no 具体的取組 (initiative) found`` (parsers/validate.py); the rows cannot be named one by one, as none was read."""
    return regex.compile(rf"goal {goal_no}(?: \(page \d+\))?(?: targets| initiatives)?: no {regex.escape(kind)} found")


def named_by(warnings: list[str], table: str, row: dict, column: str, row_lost: bool = False) -> bool:
    """True when a warning (not a repair's audit line) names the field: its record then its field
    name, a page in brackets allowed between (``goal 2 target 1 (page 3) status``), the name alone or
    in a list of the record's fields (``goal 2 page, overall_summary, next_steps``); a lost row is
    named by any warning naming its record, a lost target or initiative also by its goal's warning
    that none of that kind was read (``goal 3 (page 4) initiatives: no 具体的取組 (initiative) found``); the weak-glyph
    line of a page lists fields, each a field or a whole record (``officer 部長``, ``legend B``)."""
    from plansheet.parsers.ocr_repair import is_repair_note, is_weak_glyph_note, weak_glyph_fields

    where, col = field_name(table, row, column)
    # the field alone or in a list of the record's fields (``goal 2 page, overall_summary, next_steps: …``)
    tail = "" if row_lost or not col else r"(?: \(page \d+\))? (?:[a-z_]+, )*" + regex.escape(col) + r"(?![\w])"
    pattern = regex.compile(r"(?<![\w])" + regex.escape(where) + r"(?![\d])" + tail)
    for w in warnings:
        if is_repair_note(w):
            continue
        if is_weak_glyph_note(w):
            items = weak_glyph_fields(w)
            if any(item == where or item == f"{where} {col}" or row_lost and item.startswith(f"{where} ")
                   for item in items):
                return True
        elif pattern.search(w) or row_lost and table == "officers" and w.startswith("officer ? "):
            return True  # a lost officer row is named by a header value under no label (position unread)
        elif row_lost and table in _CHILDREN and _children_lost(row["goal_no"], _CHILDREN[table]).match(w):
            return True  # a goal none of whose targets (initiatives) was read names each of them lost
    return False


def score(tables: dict, truth: dict, file: str, tally: Tally, status: str = "partial",
          warnings: list[str] | None = None) -> None:
    """Add one scan's fields to ``tally`` (``status``: the source's, ``ok`` makes a wrong field silent;
    ``warnings``: the source's, a wrong field none of them names is *unnamed*)."""
    helpers = _truth_helpers()
    for table, keys in helpers.TRUTH_KEYS.items():
        expected = truth.get(table) or []
        if not expected:
            continue
        columns = list(expected[0].keys())
        if "confidence" not in columns and table in ("goals", "targets", "initiatives"):
            columns.append("confidence")
        got = {tuple(r[k] for k in keys): r for r in helpers.extracted_rows(tables, table, columns)}
        for row in expected:
            key = tuple(row[k] for k in keys)
            extracted = got.get(key)
            conf = extracted.get("confidence") if extracted else None
            for column in columns:
                if column in ("doc", "confidence"):
                    continue
                want = row[column]
                value = extracted.get(column) if extracted else None
                right = extracted is not None and value == want
                tally.fields += 1
                tally.exact += right
                if right and named_by(warnings or [], table, row, column):
                    tally.right_named += 1
                tally.scored.append((conf, right))
                if not right:
                    kind = classify(want, value) if extracted else "row lost"
                    tally.wrong.append(Wrong(file, table, key, column, want, value, conf, kind))
                    tally.silent += status == "ok"
                    if not named_by(warnings or [], table, row, column, extracted is None):
                        tally.unnamed.append(tally.wrong[-1])
                if column in ("grade", "overall_grade") and want is not None:
                    tally.grades += 1
                    tally.grades_right += right
                if isinstance(want, str):
                    w, g = norm(want), norm(value) if isinstance(value, str) else ""
                    if len(w) >= LONG:
                        from rapidfuzz.distance import Levenshtein

                        tally.long_chars += len(w)
                        tally.long_errors += Levenshtein.distance(w, g)
                    tokens = NUMBER.findall(w)
                    found = Counter(NUMBER.findall(g))
                    for token, n in Counter(tokens).items():
                        tally.numbers += n
                        tally.numbers_right += min(n, found[token])


@contextmanager
def without_repairs() -> Iterator[None]:
    """The baseline: documents parsed with no OCR post-correction (parsers/ocr_repair.py)."""
    from plansheet.parsers import document

    kept = document.repair_document
    document.repair_document = lambda doc, departments=None, glyphs=(): []
    try:
        yield
    finally:
        document.repair_document = kept


@contextmanager
def engine_clock(tally: Tally) -> Iterator[None]:
    """Add the CPU time of every real Tesseract recognition call to ``tally.engine_cpu``."""
    from plansheet.readers.ocr.engine import TesseractEngine

    recognize = TesseractEngine.recognize

    def timed(self, image, psm, dpi):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return recognize(self, image, psm, dpi)
        finally:
            tally.engine_cpu += time.process_time() - start

    TesseractEngine.recognize = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        TesseractEngine.recognize = recognize  # type: ignore[method-assign]


def run(scans: list[Path], cache: Path | None, plain: bool = False) -> Tally:
    """Extract every scan (real Tesseract, behind ``cache`` when given) and score it; with ``plain``,
    each scan's pages are read by plain full-page Tesseract too, right after."""
    tally = Tally()
    with engine_clock(tally):
        _run(scans, cache, plain, tally)
    return tally


def _run(scans: list[Path], cache: Path | None, plain: bool, tally: Tally) -> None:
    import plansheet
    from plansheet.batch.executors import run_sequential
    from plansheet.settings import OcrSettings, Settings

    from bench.quality import plain_tesseract

    settings = Settings(workers=1, ocr=OcrSettings(cache_dir=str(cache) if cache else None))
    os.environ.pop("PLANSHEET_OCR_CACHE", None)
    for scan in scans:
        truth = json.loads(Path(f"{scan}.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="bench-ocr-") as out:
            cpu = time.process_time()
            # in this process: the CPU time is the extraction's, and --without-repairs reaches the parser
            (result,) = plansheet.extract([scan], out, settings, output_format="parquet", runner=run_sequential)
            tally.cpu_seconds += time.process_time() - cpu
            tally.pages += result.pages_ocr or 0
            if result.status.value == "failed":
                import pandas as pd

                tables = {t: pd.DataFrame(columns=["doc_id"]) for t in _truth_helpers().TRUTH_KEYS}
                warnings = []
            else:
                tables = plansheet.load(out)
                warnings = [w for text in tables["sources"]["warnings"].dropna() for w in str(text).splitlines()]
            score(tables, truth, scan.name, tally, result.status.value, warnings)
            tally.files_ok += result.status.value == "ok"
        log.info("%s: %s", scan.name, result.status.value)
        if plain and (baseline := plain_tesseract([scan])) is not None:
            tally.plain_pages += baseline.pages
            tally.plain_cpu += baseline.cpu_seconds


def report(t: Tally, title: str) -> str:
    """The figures of one run as Markdown."""
    wrong_confident = sum(1 for c, right in t.scored if not right and c is not None and c >= 0.9)
    by_kind = Counter(w.kind for w in t.wrong)
    lines = [
        f"### {title}",
        "",
        f"- fields {t.fields}, exact {t.exact} (**{t.exact / max(t.fields, 1):.4f}**)",
        f"- long text CER **{t.long_errors / max(t.long_chars, 1):.4f}** ({t.long_errors}/{t.long_chars} chars)",
        f"- numbers {t.numbers_right}/{t.numbers} (**{t.numbers_right / max(t.numbers, 1):.4f}**), "
        f"grades {t.grades_right}/{t.grades} (**{t.grades_right / max(t.grades, 1):.4f}**)",
        f"- wrong fields with confidence ≥ 0.9: **{wrong_confident}**",
        f"- wrong fields in sources that came out `ok` (silent): **{t.silent}** ({t.files_ok} of the scans `ok`)",
        f"- wrong fields no warning names (unnamed): **{len(t.unnamed)}**",
        f"- false alarms: right fields a warning names {_share(t.right_named, t.exact)}, right fields below"
        f" confidence 0.9 {_share(*_below(t))}",
        f"- {t.pages} pages OCRed in {t.cpu_seconds:.1f} CPU-s: {t.pages / max(t.cpu_seconds, 1e-9):.2f} pages/s per core",
        *_speed_lines(t),
        "",
        "| class of error | wrong fields |",
        "|---|---:|",
    ]
    lines += [f"| {kind} | {n} |" for kind, n in by_kind.most_common()]
    lines += ["", "| record confidence | right fields | wrong fields |", "|---|---:|---:|"]
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]
    for lo, hi in bins:
        inside = [right for c, right in t.scored if c is not None and lo <= c < hi]
        lines.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {sum(inside)} | {len(inside) - sum(inside)} |")
    none = [right for c, right in t.scored if c is None]
    lines.append(f"| none (documents, officers, legend) | {sum(none)} | {len(none) - sum(none)} |")
    return "\n".join(lines) + "\n"


def _speed_lines(t: Tally) -> list[str]:
    """The engine's share of the CPU and plain Tesseract beside it, where measured."""
    lines = []
    if t.engine_cpu:
        lines.append(f"- of it Tesseract's recognition of the crops {t.engine_cpu:.1f} CPU-s"
                     f" ({t.engine_cpu / max(t.cpu_seconds, 1e-9):.0%}); with every other step free:"
                     f" {t.pages / t.engine_cpu:.2f} pages/s per core")
    if t.plain_cpu:
        lines.append(f"- plain full-page Tesseract (PSM 3) on the same {t.plain_pages} pages, interleaved:"
                     f" {t.plain_cpu:.1f} CPU-s, {t.plain_pages / t.plain_cpu:.2f} pages/s per core;"
                     f" plansheet ÷ plain **{_per_core_ratio(t):.2f}×** per core")
    return lines


def _per_core_ratio(t: Tally) -> float:
    """plansheet's pages per CPU-second ÷ plain full-page Tesseract's on the same pages."""
    return (t.pages / max(t.cpu_seconds, 1e-9)) / (t.plain_pages / max(t.plain_cpu, 1e-9))


def _share(a: int, b: int) -> str:
    return f"{a}/{b} = {a / max(b, 1):.4f}"


def _below(t: Tally) -> tuple[int, int]:
    """(right fields with a record confidence below 0.9, right fields with a record confidence)."""
    rated = [c for c, right in t.scored if right and c is not None]
    return sum(1 for c in rated if c < 0.9), len(rated)


def figures(t: Tally) -> dict[str, str]:
    """The goal figures of one run, as table cells."""
    confident = sum(1 for c, right in t.scored if not right and c is not None and c >= 0.9)
    return {
        "long-text CER (goal ≤ 0.005)": f"{t.long_errors / max(t.long_chars, 1):.4f} ({t.long_errors}/{t.long_chars})",
        "numbers exact (goal 1)": _share(t.numbers_right, t.numbers),
        "grades exact (goal 1)": _share(t.grades_right, t.grades),
        "fields exact (goal ≥ 0.995)": _share(t.exact, t.fields),
        "wrong fields at confidence ≥ 0.9 (goal 0)": str(confident),
        "wrong fields in sources that came out `ok` (silent)": f"{t.silent} ({t.files_ok} scans `ok`)",
        "wrong fields no warning names (goal 0)": str(len(t.unnamed)),
        "false alarms: right fields a warning names": _share(t.right_named, t.exact),
        "false alarms: right fields below confidence 0.9": _share(*_below(t)),
        "pages per CPU-second (goal ≥ 1)": f"{t.pages / max(t.cpu_seconds, 1e-9):.2f}",
        "of it in Tesseract's recognition of the crops": f"{t.engine_cpu / max(t.cpu_seconds, 1e-9):.0%}"
        if t.engine_cpu else "–",
        "plain full-page Tesseract on the same pages, pages per CPU-second": f"{t.plain_pages / t.plain_cpu:.2f}"
        if t.plain_cpu else "–",
        "plansheet ÷ plain full-page Tesseract, per core": f"{_per_core_ratio(t):.2f}×" if t.plain_cpu else "–",
    }


def bench_section(count: int = 6) -> list[str]:
    """The bench/RESULTS.md section: held-out scans read with real Tesseract (after), then the same
    engine answers replayed with no post-correction (before)."""
    import tempfile as _tempfile

    from samples.generate.hardscan import make

    folder = FUZZ / "hardscan" / "heldout"
    scans = sorted(folder.glob("*.scan.pdf"))[:count]
    if len(scans) < count:
        scans = make(folder, "heldout", count)
    with _tempfile.TemporaryDirectory(prefix="bench-ocr-cache-") as cache:
        after = run(scans, Path(cache), plain=True)  # every crop recognised: the speed figure is the engine's
        with without_repairs():
            before = run(scans, Path(cache))
    params = [p for scan in scans for p in json.loads(Path(f"{scan}.json").read_text(encoding="utf-8"))["meta"]["scan"]]
    dpis = Counter(p["dpi"] for p in params)
    out = ["## OCR on scans the fixes were not tuned on (`python -m bench.ocr_hard`)", "",
           f"{len(scans)} held-out scans ({after.pages} pages) from `samples.generate.hardscan` (departments and seeds"
           " the post-correction rules were never looked at on): number-rich result-stage sheets at"
           f" {', '.join(f'{d} dpi ×{n}' for d, n in sorted(dpis.items()))}, skew up to"
           f" {max(abs(p['skew_deg']) for p in params):.1f}°, JPEG quality {min(p['jpeg_quality'] for p in params)}–"
           f"{max(p['jpeg_quality'] for p in params)}, blur and noise. *Before*: the same Tesseract answers with no"
           " post-correction (`parsers/ocr_repair.py` off); *after*: everything on. Speed is the *after* run, real"
           " Tesseract on every crop, each scan's pages then read by plain full-page Tesseract (PSM 3) in the same"
           " process (interleaved: the ratio is the figure a busier or slower machine moves least).", "",
           "| figure | before | after |", "|---|---:|---:|"]
    fb, fa = figures(before), figures(after)
    for k in list(fa)[-4:]:
        fb[k] = "– (replayed)"
    out += [f"| {k} | {fb[k]} | {fa[k]} |" for k in fa]
    kinds_b, kinds_a = Counter(w.kind for w in before.wrong), Counter(w.kind for w in after.wrong)
    out += ["", "| class of error (wrong fields) | before | after |", "|---|---:|---:|"]
    out += [f"| {k} | {kinds_b[k]} | {kinds_a[k]} |" for k in sorted(kinds_b | kinds_a, key=lambda k: -kinds_b[k])]
    out += ["", "Confidence (the record's; after):", "", report(after, "x").split("\n\n")[-1].strip(), ""]
    return out


RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
_HEADING = "## OCR on scans the fixes were not tuned on"


def write_section(path: Path, lines: list[str]) -> None:
    """Put the section into ``path`` (replacing its old one, else before ``## Memory``), atomically."""
    text = path.read_text(encoding="utf-8")
    section = "\n".join(lines).rstrip() + "\n\n"
    if _HEADING in text:
        start = text.index(_HEADING)
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    elif "\n## Memory" in text:
        at = text.index("\n## Memory") + 1
        text = text[:at] + section + text[at:]
    else:
        text = text.rstrip() + "\n\n" + section
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    from samples.generate.hardscan import make

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("tune", "heldout"), default="heldout")
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--seed", type=int, help="the first scan's seed: a fresh set of new seeds (default: the set's own)")
    ap.add_argument("--no-cache", action="store_true", help="run Tesseract on every crop (for the speed figure)")
    ap.add_argument("--plain", action="store_true",
                    help="with --no-cache: read each scan's pages with plain full-page Tesseract too, interleaved")
    ap.add_argument("--show", action="store_true", help="print every wrong field")
    ap.add_argument("--without-repairs", action="store_true",
                    help="the baseline: no OCR post-correction (parsers/ocr_repair.py)")
    ap.add_argument("--write-results", action="store_true",
                    help="measure the RESULTS.md section (held out, before/after) and put it into bench/RESULTS.md")
    args = ap.parse_args()
    if args.write_results:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        write_section(RESULTS, bench_section(args.count))
        return
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = FUZZ / "hardscan" / (args.set if args.seed is None else f"{args.set}-{args.seed}")
    scans = sorted(folder.glob("*.scan.pdf"))[: args.count]
    if len(scans) < args.count:
        scans = make(folder, args.set, args.count, seed=args.seed)
    with without_repairs() if args.without_repairs else nullcontext():
        tally = run(scans, None if args.no_cache else FUZZ / "ocr_cache", plain=args.plain)
    print(report(tally, f"{args.set} set{'' if args.seed is None else f' (seeds from {args.seed})'}, {len(scans)} scans"))
    if args.show:
        for w in sorted(tally.wrong, key=lambda w: (w.kind, w.file)):
            unnamed = " UNNAMED" if w in tally.unnamed else ""
            print(f"[{w.kind}]{unnamed} {w.file} {w.table}{w.key}.{w.column} conf={w.confidence}\n"
                  f"  want {w.want!r}\n  got  {w.got!r}")


if __name__ == "__main__":
    main()
