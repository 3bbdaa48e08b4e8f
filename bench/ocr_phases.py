"""Where the OCR reader's CPU goes on the hard scanned sets, step by step, and what the engine is asked.

    .venv/bin/python -m bench.ocr_phases                    # held-out set, 6 scans, real Tesseract on every crop
    .venv/bin/python -m bench.ocr_phases --set tune --replay  # engine answers replayed (bench/fuzz/ocr_cache):
                                                              # the reader's own steps only, quickly

Each image step of :mod:`plansheet.readers.ocr` and the engine call are wrapped with a CPU clock
(``time.process_time``; a step called inside another counts for the outer one). The engine calls
are then sorted: first reads and second looks (a lone glyph or an empty line read again in black
and white), crops that came back empty, pixel columns sent (the LSTM's time grows with them), and
the CPU spent on a text already read earlier in the same document. Scans come from
``bench.ocr_hard`` (generated into ``bench/fuzz/hardscan``, never committed).
"""
from __future__ import annotations

import argparse
import functools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

STEPS = {  # module (under plansheet.readers.ocr; "memo": its LabelMemo) → functions timed
    "image": ["estimate_skew", "rotate", "otsu", "binarize", "rule_masks", "segments", "grid_cells", "erase",
              "remove_specks", "text_lines", "rule_debris", "line_bands", "ink_bbox", "ink_gaps", "side_by_side"],
    "reader": ["load_page_image", "_grid_lines", "_outside_lines", "_prepare", "_line_text", "_place"],
    "memo": ["recall", "note"],  # plansheet.readers.ocr.repeats.LabelMemo
}

LATER_LOOKS = {"_dictionary_look": "fourth", "_number_look": "fifth"}  # reader methods → the look they are


@dataclass
class Phases:
    """CPU seconds per step, and the engine calls (one dict each: look, columns, text, cpu, document)."""

    pages: int = 0
    total: float = 0.0
    steps: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)
    calls: list[dict[str, Any]] = field(default_factory=list)
    looks: Counter = field(default_factory=Counter)  # "fourth"/"fifth": lines looked at; "+changed": reading kept


def _timed(phases: Phases, name: str, func: Callable[..., Any], depth: list[int]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return func(*args, **kwargs)
        depth[0] += 1
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            phases.steps[name] += time.process_time() - start
            phases.counts[name] += 1
            depth[0] -= 1
    return wrapper


def measure(scans: list[Path], replay: Path | None) -> Phases:
    """OCR every page of ``scans`` (engine answers from ``replay`` when given) and time each step."""
    import pypdfium2 as pdfium

    from plansheet.pipeline.ocr_routing import label_memo
    from plansheet.readers.ocr import engine as E
    from plansheet.readers.ocr import image as im
    from plansheet.readers.ocr import reader as R
    from plansheet.readers.ocr.repeats import LabelMemo
    from plansheet.settings import OcrSettings, Settings

    phases = Phases()
    depth = [0]
    modules = {"image": im, "reader": R, "memo": LabelMemo}
    kept = [(modules[m], n, getattr(modules[m], n)) for m, names in STEPS.items() for n in names]
    ocr = OcrSettings(cache_dir=str(replay), cache_replay_only=True) if replay else OcrSettings()
    engine = E.open_engine(ocr)
    now: dict[str, Any] = {"look": "first", "doc": "", "line_calls": 0}

    class Timed:
        language = engine.language

        def version(self) -> str:
            return engine.version()

        def recognize(self, image: Any, psm: int, dpi: int) -> Any:
            start = time.process_time()
            result = engine.recognize(image, psm, dpi)
            cpu = time.process_time() - start
            phases.steps["engine"] += cpu
            phases.counts["engine"] += 1
            look = now["look"]
            if look == "first" and now["line_calls"]:
                look = "third"  # the first look's call is the line's first; a grey one after it is the third
            now["line_calls"] += 1
            if look == "second":
                now["look"] = "first"  # what follows in the line is the third look or a later one
            phases.calls.append({"look": look, "pixels": image.shape[0] * image.shape[1], "columns": image.shape[1],
                                 "height": image.shape[0], "dpi": dpi, "cpu": cpu, "doc": now["doc"],
                                 "text": "".join(w.text for w in result.words)})
            return result

    prepare = R._CellReader._prepare

    def noting_prepare(self: Any, areas: Any, settings: Any, *args: Any) -> Any:
        if now["look"] in ("first", "second"):  # the later looks' own black and white stays theirs
            now["look"] = "second" if settings.binarize is not self.settings.binarize else "first"
        return prepare(self, areas, settings, *args)

    read_line = R._CellReader._read_line

    def noting_read_line(self: Any, *args: Any, **kwargs: Any) -> Any:
        now["line_calls"] = 0
        now["look"] = "first"
        return read_line(self, *args, **kwargs)

    later = {name: getattr(R._CellReader, name) for name in LATER_LOOKS}

    def noting_look(name: str) -> Callable[..., Any]:
        func = later[name]

        def look(self: Any, areas: Any, alone: Any, prepared: Any, text: str, *args: Any) -> Any:
            now["look"] = LATER_LOOKS[name]
            try:
                found = func(self, areas, alone, prepared, text, *args)
            finally:
                now["look"] = "first"
            phases.looks[LATER_LOOKS[name]] += 1
            phases.looks[LATER_LOOKS[name] + "+changed"] += found[0] != text
            return found
        return look

    kept_open = R.open_engine
    try:
        for module, name, func in kept:
            setattr(module, name, _timed(phases, name, func, depth))
        R.open_engine = lambda settings: Timed()
        R._CellReader._prepare = noting_prepare
        R._CellReader._read_line = noting_read_line
        for name in LATER_LOOKS:
            setattr(R._CellReader, name, noting_look(name))
        settings = Settings(workers=1, ocr=ocr)
        for scan in scans:
            now["doc"] = scan.name
            pdf = pdfium.PdfDocument(str(scan))
            count = len(pdf)
            pdf.close()
            memo = label_memo()  # one per document, as the pipeline makes it
            for page in range(1, count + 1):
                start = time.process_time()
                R.ocr_pdf_page(scan, page, settings, memo)
                phases.total += time.process_time() - start
                phases.pages += 1
    finally:
        for module, name, func in kept:
            setattr(module, name, func)
        R.open_engine = kept_open
        R._CellReader._prepare = prepare
        R._CellReader._read_line = read_line
        for name, func in later.items():
            setattr(R._CellReader, name, func)
    return phases


def report(p: Phases) -> str:
    """The figures as Markdown."""
    engine = p.steps["engine"]
    lines = [f"{p.pages} pages, {p.total:.2f} CPU-s in the OCR reader ({p.pages / max(p.total, 1e-9):.2f} pages per"
             f" CPU-second): engine {engine:.2f}, the reader's own steps {p.total - engine:.2f}", "",
             "| step | calls | CPU s | share |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {p.counts[name]} | {cpu:.3f} | {cpu / max(p.total, 1e-9):.1%} |"
              for name, cpu in p.steps.most_common()]
    lines.append(f"| (untimed reader code) | | {p.total - sum(p.steps.values()):.3f} | |")
    columns = sum(c["columns"] for c in p.calls)
    second = [c for c in p.calls if c["look"] == "second"]
    empty = [c for c in p.calls if not c["text"]]
    seen: dict[str, set[str]] = defaultdict(set)
    repeated = 0.0
    for c in p.calls:
        if c["text"] and c["text"] in seen[c["doc"]]:
            repeated += c["cpu"]
        seen[c["doc"]].add(c["text"])
    lines += ["", f"- engine calls {len(p.calls)}, {columns} pixel columns, "
                  f"{1e6 * engine / max(columns, 1):.1f} µs per column",
              f"- second looks {len(second)} ({sum(c['cpu'] for c in second):.2f} CPU-s)",
              f"- crops read as nothing {len(empty)} ({sum(c['cpu'] for c in empty):.2f} CPU-s)",
              f"- a text already read in the same document: {repeated:.2f} CPU-s ({repeated / max(engine, 1e-9):.1%}"
              " of the engine's)"]
    return "\n".join(lines + ["", *by_look(p), "", *by_crop(p.calls)]) + "\n"


def by_look(p: Phases) -> list[str]:
    """The engine calls by look (first reading; second: black and white; third: a wider border; fourth: the
    dictionary's; fifth: a rate's number), with the lines each later look was made for and how many it changed."""
    rows = ["| look | lines looked at | readings changed | engine calls | pixels sent | engine CPU s | share of engine CPU |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    cpu = max(sum(c["cpu"] for c in p.calls), 1e-9)
    for look in ("first", "second", "third", "fourth", "fifth"):
        cs = [c for c in p.calls if c["look"] == look]
        lines = p.looks.get(look, "")
        changed = p.looks.get(look + "+changed", "") if look in p.looks else ""
        rows.append(f"| {look} | {lines} | {changed} | {len(cs)} | {sum(c['pixels'] for c in cs)} | "
                    f"{sum(c['cpu'] for c in cs):.2f} | {sum(c['cpu'] for c in cs) / cpu:.1%} |")
    return rows


def by_crop(calls: list[dict[str, Any]]) -> list[str]:
    """The engine calls by page resolution and height sent (white border included), widest share first:
    where the pixel columns, so the LSTM's time, come from."""
    groups: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for c in calls:
        groups[(c["dpi"], c["height"])].append(c)
    columns = max(sum(c["columns"] for c in calls), 1)
    cpu = max(sum(c["cpu"] for c in calls), 1e-9)
    rows = sorted(groups.items(), key=lambda kv: -sum(c["columns"] for c in kv[1]))
    return ["| page dpi | height sent (px) | calls | columns | share of columns | share of engine CPU |",
            "|---:|---:|---:|---:|---:|---:|"] + [
        f"| {dpi} | {height} | {len(cs)} | {sum(c['columns'] for c in cs)} | "
        f"{sum(c['columns'] for c in cs) / columns:.1%} | {sum(c['cpu'] for c in cs) / cpu:.1%} |"
        for (dpi, height), cs in rows]


def main() -> None:
    from bench.ocr_hard import FUZZ
    from samples.generate.hardscan import make

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("tune", "heldout"), default="heldout")
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--replay", action="store_true", help="replay the engine's answers from bench/fuzz/ocr_cache")
    args = ap.parse_args()
    folder = FUZZ / "hardscan" / args.set
    scans = sorted(folder.glob("*.scan.pdf"))[: args.count]
    if len(scans) < args.count:
        scans = make(folder, args.set, args.count)
    print(report(measure(scans, FUZZ / "ocr_cache" if args.replay else None)))


if __name__ == "__main__":
    main()
