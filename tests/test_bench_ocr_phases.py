"""bench.ocr_phases on the committed hard scan, Tesseract's answers replayed: every engine call is
counted once, with its columns, and the reader's steps and the engine add up to no more than the page."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("cv2")

from bench.ocr_phases import measure, report  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"


def test_ocr_phases_counts_every_engine_call_of_a_page() -> None:
    cache = FIXTURES / "cache_hard"
    phases = measure([FIXTURES / "hard" / "goal.scan.pdf"], cache)
    assert phases.pages == 1
    assert phases.counts["engine"] == len(phases.calls) > 0
    assert len({c["columns"] for c in phases.calls}) > 1 and all(c["doc"] == "goal.scan.pdf" for c in phases.calls)
    assert phases.counts["estimate_skew"] == phases.counts["rotate"] == 1
    assert sum(phases.steps.values()) <= phases.total + 1e-6
    text = report(phases)
    assert f"engine calls {len(phases.calls)}, {sum(c['columns'] for c in phases.calls)} pixel columns" in text
    # the calls by resolution and height sent: every call in one row, the rows' calls adding up
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| ") and line.count("|") == 7]
    rows = [r for r in rows if r[1].strip().isdigit()]
    assert sum(int(r[2]) for r in rows) == len(phases.calls)
    assert {int(r[1]) for r in rows} == {c["height"] for c in phases.calls}
