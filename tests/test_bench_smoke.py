"""The bench's own code runs end to end on one small file (``--quick``); no timing is asserted."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(960)  # a hang guard, not a speed requirement: 26 CPU-s, 213 s of wall time at load 28
def test_bench_quick_writes_every_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "bench.run", "--quick", "-q", "--results", str(results)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    report = results.read_text(encoding="utf-8")
    for heading in ("## Goals", "## Text layer", "## Memory", "## Archive", "## Accuracy", "## Profile"):
        assert heading in report
    assert "python -m bench.run --quick" in report  # the command that produced it
    assert re.search(r"plansheet ÷ pdfplumber extract_tables\(\) = \*\*\d+\.\d\d×\*\*", report)
    assert re.search(r"\| samples/printed/reiwa1\.cid\.pdf \| text_layer \| ok \|", report)
    assert "truth fields exact" in done.stdout
    assert re.search(r"\| ingest one file into archive \| [\d.]+ / \d+ \| [\d.]+ / \d+ \|", report)
