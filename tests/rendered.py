"""A department of samples/generate drawn by the project's own renderers and read back: the helpers the
review tests share (tests/test_review*_mend.py and their kin)."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansheet.parsers.records import ParsedDocument
from plansheet.pipeline.stages import process_file
from plansheet.settings import Settings

from samples.generate import content, layout
from samples.generate.render_pdf import IPAEX_PATHS

ROOT = Path(__file__).resolve().parents[1]

RESULT = content.DEPARTMENTS["result"]
KINDS = ("xlsx", "txt", "quoted", "html", "pdf")


def render(department: content.Department, kind: str, out: Path, style: layout.Style | None = None) -> Path:
    """``department`` (drawn in ``style``, else the default) as the project's renderer for ``kind`` writes it
    (:func:`render_pages`)."""
    pages = layout.department_pages(department) if style is None else layout.department_pages(department, style)
    return render_pages(pages, kind, out, department.title)


def render_pages(pages: list[layout.Page], kind: str, out: Path, title: str) -> Path:
    """``pages`` as the project's renderer for ``kind`` writes them into ``out/sheet.<ext>``: ``xlsx``, ``txt``
    (the grid text export), ``quoted`` (that export as a spreadsheet saves a cell holding a line break, in
    quotes), ``html`` or ``pdf`` (skipped without reportlab or the IPAex font)."""
    path = out / f"sheet.{ {'quoted': 'txt'}.get(kind, kind) }"
    if kind == "xlsx":
        from samples.generate.render_xlsx import write_workbook
        write_workbook(pages, path, title)
    elif kind in ("txt", "quoted"):
        from samples.generate.render_text import write_text_export
        write_text_export(pages, path, "grid")
        if kind == "quoted":
            text = path.read_text(encoding="utf-8")
            path.write_text(_quote_broken_cells(text), encoding="utf-8")
    elif kind == "html":
        from samples.generate.render_html import write_html
        write_html(pages, path, title)
    elif kind == "pdf":
        pytest.importorskip("reportlab")
        if not any(Path(p).exists() for p in IPAEX_PATHS):
            pytest.skip("no IPAex font to draw the PDF")
        from samples.generate.render_pdf import draw_pages
        draw_pages(pages, path, "ipaex", title)
    else:
        raise ValueError(f"no renderer for {kind!r}")
    return path


def _quote_broken_cells(text: str) -> str:
    """The grid export with each 所管室・課 cell that runs onto the next line quoted as one cell."""
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and out[-1].startswith("所管室・課\t") and "\t" not in line and line and not line.startswith("具体的"):
            label, value = out[-1].split("\t", 1)
            out[-1] = f'{label}\t"{value}\n{line}"'
            continue
        out.append(line)
    return "\n".join(out)


def read(path: Path) -> tuple[str, ParsedDocument]:
    """The one document ``path`` holds, read by the pipeline with default settings, and its status."""
    outcome = process_file(path, Settings())
    (doc,) = outcome.documents
    return outcome.result.status.value, doc


def read_variant(tmp_path: Path, variant: object) -> tuple[str, list[str], str]:
    """A fuzz variant (samples/generate/fuzz.py) rendered into ``tmp_path``, extracted and scored against its
    truth: (status, differences from the truth, the source's warnings)."""
    import plansheet
    from samples.generate import fuzz
    from samples.generate.fuzz_run import score

    (tmp_path / "inputs").mkdir()
    path, truth = fuzz.render(variant, tmp_path / "inputs")
    plansheet.extract([path], tmp_path / "out", Settings(workers=1))
    [outcome] = score(tmp_path, [(path, truth)])
    sources = plansheet.load(tmp_path / "out", copies="all")["sources"]
    warnings = "" if sources["warnings"].isna().iloc[0] else str(sources["warnings"].iloc[0])
    return outcome.status, outcome.differences, warnings
