"""Small regression fixtures cut from fuzz variants (``tests/fixtures/fuzz/<what>-<seed>-<index>.*``).

A variant that once read wrongly is re-drawn from its seed and index, and only the part that
went wrong is printed again by the same renderer, so the committed file stays small (no
fonts of whole sheets) and needs no LibreOffice to test.

    python -m samples.generate.fuzz_fixtures writer-officer-spaces 100 0 tests/fixtures/fuzz
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate import fuzz, layout  # noqa: E402


def header_rows_page(seed: int, index: int) -> tuple[layout.Page, fuzz.Variant]:
    """The variant's front page cut after its officer rows (title, 部 and officers only)."""
    variant = fuzz.draw(seed, index, fuzz.ALL_RENDERERS)
    front = layout.front_page(variant.department, variant.style)
    printed = [o for o in variant.department.officers[1:] if not o.shared]
    officers = 2 + 1 + (len(printed) + 1) // 2  # title, gap, 部長 row, pairs
    return layout.Page(front.name, front.widths, front.rows[:officers], style=front.style), variant


def writer_officers(seed: int, index: int, out: Path) -> list[str]:
    """Print the officer rows of variant (seed, index) with Writer into ``out``; return the officer cells."""
    from samples.generate.render_docx import write_docx, writer_pdf
    page, variant = header_rows_page(seed, index)
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "officers.docx"
        write_docx([page], doc, variant.department.title)
        writer_pdf(doc, out)
    return [o.cell for o in variant.department.officers]


MAKERS = {"writer-officer-spaces": writer_officers}


def main(argv: list[str] | None = None) -> int:
    what, seed, index, folder = (argv or sys.argv[1:])[:4]
    out = Path(folder) / f"{what}-{seed}-{int(index):04d}.pdf"
    print(out, MAKERS[what](int(seed), int(index), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
