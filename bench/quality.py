"""Accuracy against the samples' truth files, and OCR speed and character error rate.

For every sample with ``samples/truth/<file>.json`` the file is converted on its own
(``--ocr auto``; scanned pages go through real Tesseract, never the replay cache) and every
truth field is compared with what came out: the share extracted exactly, and the
character error rate (Levenshtein distance over truth length, NFKC and whitespace
collapsed, as ``tests/fixtures/ocr/evaluate.py`` counts it) over the text fields. A
truth row that was not extracted counts every one of its fields as wrong.

The OCR baseline is plain full-page Tesseract (tesserocr, automatic page segmentation,
same language model) on the same page images.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "samples" / "truth"


def _truth_helpers() -> ModuleType:
    """tests/truth.py, loaded by path (``tests`` is not a package)."""
    spec = importlib.util.spec_from_file_location("_bench_truth", ROOT / "tests" / "truth.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@dataclass
class Score:
    fields: int = 0
    exact: int = 0
    chars: int = 0  # truth characters in text fields
    char_errors: int = 0
    missing_rows: int = 0
    extra_rows: int = 0

    @property
    def exact_share(self) -> float:
        return self.exact / self.fields if self.fields else float("nan")

    @property
    def cer(self) -> float:
        return self.char_errors / self.chars if self.chars else float("nan")

    def add(self, other: "Score") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_tables(tables: dict, truth: dict) -> Score:
    """Compare extracted tables with a truth file, field by field."""
    from rapidfuzz.distance import Levenshtein

    helpers = _truth_helpers()
    score = Score()
    for table, keys in helpers.TRUTH_KEYS.items():
        expected = truth.get(table) or []
        if not expected:
            continue
        columns = list(expected[0].keys())
        got = {tuple(r[k] for k in keys): r for r in helpers.extracted_rows(tables, table, columns)}
        want = {tuple(r[k] for k in keys): r for r in expected}
        score.missing_rows += sum(1 for k in want if k not in got)
        score.extra_rows += sum(1 for k in got if k not in want)
        for key, row in want.items():
            extracted = got.get(key)
            for column in columns:
                if column == "doc":
                    continue
                value = extracted.get(column) if extracted else None
                score.fields += 1
                score.exact += extracted is not None and value == row[column]
                if isinstance(row[column], str):
                    t = norm(row[column])
                    score.chars += len(t)
                    score.char_errors += Levenshtein.distance(t, norm(value) if isinstance(value, str) else "")
    return score


@dataclass
class SampleRun:
    file: str
    method: str  # the truth's extraction method: text_layer, ocr, workbook, text_export
    pages: int | None
    pages_ocr: int
    status: str
    seconds: float
    cpu_seconds: float
    score: Score
    error: str | None = None


def truth_files(only: list[str] | None = None) -> list[tuple[Path, dict]]:
    """(sample, truth) for every one-file truth whose sample exists; ``only`` filters by file name.

    Truths spanning several files (``meta.files``, e.g. lineage.json) are not per-file and are skipped.
    """
    out = []
    for path in sorted(TRUTH.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if "file" not in truth.get("meta", {}):
            continue
        sample = ROOT / truth["meta"]["file"]
        if sample.exists() and (only is None or sample.name in only):
            out.append((sample, truth))
    return out


def run_sample(sample: Path, truth: dict) -> SampleRun:
    """Convert one sample alone (real OCR where needed) and score it."""
    import plansheet
    from plansheet.settings import Settings

    settings = Settings().with_overrides(workers=1)
    cached = os.environ.pop("PLANSHEET_OCR_CACHE", None)  # measure Tesseract, not the replay cache
    try:
        with tempfile.TemporaryDirectory(prefix="bench-acc-") as out:
            started, cpu = time.perf_counter(), time.process_time()
            (result,) = plansheet.extract([sample], out, settings, output_format="parquet")
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            score = score_tables(plansheet.load(out), truth) if result.status.value != "failed" else Score()
    finally:
        if cached is not None:
            os.environ["PLANSHEET_OCR_CACHE"] = cached
    if result.status.value == "failed":  # nothing extracted: every truth field is wrong
        import pandas as pd

        score = score_tables({t: pd.DataFrame(columns=["doc_id"]) for t in _truth_helpers().TRUTH_KEYS}, truth)
    run = SampleRun(sample.relative_to(ROOT).as_posix(), truth["meta"]["extraction_method"], result.pages,
                    result.pages_ocr, result.status.value, seconds, cpu_seconds, score, result.error)
    log.info("%s: %s, %d/%d fields exact, CER %.3f, %.2fs", run.file, run.status, score.exact, score.fields,
             score.cer, seconds)
    return run


@dataclass
class OcrBaseline:
    pages: int
    seconds: float
    cpu_seconds: float


def plain_tesseract(scans: list[Path]) -> OcrBaseline | None:
    """Full-page Tesseract (PSM 3) on every page image of ``scans``; ``None`` if OCR is missing."""
    try:
        import tesserocr
        from PIL import Image

        from plansheet.readers.ocr.engine import tessdata_dir
        from plansheet.readers.ocr.reader import load_page_image
        from plansheet.settings import OcrSettings
    except ImportError as exc:
        log.warning("OCR baseline not available: %s", exc)
        return None
    opts = OcrSettings()
    pages, seconds, cpu = 0, 0.0, 0.0
    with tesserocr.PyTessBaseAPI(path=str(tessdata_dir(opts)), lang=opts.language) as api:
        for scan in scans:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(scan))
            count = len(pdf)
            pdf.close()
            for number in range(1, count + 1):
                started, c0 = time.perf_counter(), time.process_time()
                gray, *_ = load_page_image(scan, number, opts.dpi)
                api.SetImage(Image.fromarray(gray))
                api.GetUTF8Text()
                seconds += time.perf_counter() - started
                cpu += time.process_time() - c0
                pages += 1
    return OcrBaseline(pages, seconds, cpu)


def ocr_available() -> str | None:
    """``None`` when the OCR extra is importable, else why not."""
    try:
        import cv2  # noqa: F401
        import tesserocr  # noqa: F401

        from plansheet.readers.ocr.engine import tessdata_dir
        from plansheet.settings import OcrSettings

        tessdata_dir(OcrSettings())
    except Exception as exc:  # report "not available" with the reason, never fail the bench
        return f"{type(exc).__name__}: {exc}"
    return None
