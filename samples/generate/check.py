"""Self-checks of the generated files with pdfplumber (never used to make the truth)."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

from samples.generate.render_pdf import Placed

_WS = re.compile(r"\s+")


def page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def check_placed(path: Path, placed: list[Placed], pages: int) -> None:
    """Every drawn cell reads back, inside its own box, exactly as its text (lines joined with nothing)."""
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) != pages:
            raise AssertionError(f"{path}: {len(pdf.pages)} pages, truth says {pages}")
        for p in placed:
            got = pdf.pages[p.page].within_bbox(p.bbox).extract_text() or ""
            got = _WS.sub(" ", got.replace("\n", ""))
            want = _WS.sub(" ", p.text.replace("\n", ""))
            if got != want:
                raise AssertionError(f"{path} page {p.page + 1}: cell reads {got!r}, expected {want!r}")


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def check_loose(path: Path, placed: list[Placed], pages: int) -> None:
    """For PDFs laid out by someone else (LibreOffice): page count, and each cell's characters appear
    in order on the expected page (columns side by side interleave their lines)."""
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) != pages:
            raise AssertionError(f"{path}: {len(pdf.pages)} pages, truth says {pages}")
        texts = [_WS.sub("", pg.extract_text() or "") for pg in pdf.pages]
    for p in placed:
        want = _WS.sub("", p.text)
        if not _subsequence(want, texts[p.page]):
            raise AssertionError(f"{path} page {p.page + 1}: {want[:30]!r}… not found in order")


def check_truth_texts_in(txt: Path, truth: dict) -> None:
    """The seed truth's texts all occur in the real text export (whitespace and line breaks removed)."""
    hay = _WS.sub("", txt.read_text(encoding="utf-8"))
    for table in ("goals", "targets", "initiatives"):
        for row in truth[table]:
            for key in ("title", "text", "section", "plan_goal", "field"):
                v = row.get(key)
                if v and _WS.sub("", v) not in hay:
                    raise AssertionError(f"seed {table} {key} {v!r} is not in {txt.name}")
    v = truth["documents"][0]["basic_policy"]
    if _WS.sub("", v) not in hay:
        raise AssertionError("seed basic_policy is not in the text export")
