"""Small regression fixtures cut from fuzz variants (``tests/fixtures/fuzz/<what>-<seed>-<index>.*``).

A variant that once read wrongly is re-drawn from its seed and index, and only the part that
went wrong is printed again by the same renderer, so the committed file stays small (no
fonts of whole sheets) and needs no LibreOffice to test.

    python -m samples.generate.fuzz_fixtures writer-officer-spaces 100 0 tests/fixtures/fuzz
    python -m samples.generate.fuzz_fixtures print-titles 47001 8 tests/fixtures/fuzz   # reportlab/cid, axis forced
    python -m samples.generate.fuzz_fixtures overflow 48020 0 tests/fixtures/fuzz   # cid, cell quirk forced
    python -m samples.generate.fuzz_fixtures across 49100 20 tests/fixtures/fuzz   # a sheet printed across pages
    python -m samples.generate.fuzz_fixtures officer-lines 57002 65 tests/fixtures/fuzz   # the variant as cid prints it
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


def forced_variant(rates: dict[str, float], forced: tuple[str, ...], seed: int, index: int, out: Path,
                   renderers: tuple[str, ...]) -> fuzz.Variant:
    """Render variant (seed, index) as ``fuzz_run --renderer …`` draws it from ``renderers``, with the axes
    ``forced`` of ``rates`` (``fuzz.PRINTED_RATES``, ``fuzz.CELL_QUIRKS``) drawn for sure, into ``out``, its
    truth beside it (``out`` + ``.json``)."""
    import json
    import shutil

    saved = dict(rates)
    rates.update({axis: 1.0 for axis in forced})
    try:
        variant = fuzz.draw(seed, index, renderers)
    finally:
        rates.update(saved)
    with tempfile.TemporaryDirectory() as tmp:
        path, truth = fuzz.render(variant, Path(tmp))
        shutil.copyfile(path, out)
    truth["meta"]["file"] = str(out)
    out.with_name(out.name + ".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return variant


def printed_variant(axis: str, seed: int, index: int, out: Path,
                    renderers: tuple[str, ...] = ("reportlab", "cid")) -> list[str]:
    """The variant with the printed-page ``axis`` forced (:func:`forced_variant`); return what the axis drew."""
    variant = forced_variant(fuzz.PRINTED_RATES, (axis,), seed, index, out, renderers)
    return [f"{axis}={variant.params.get(axis)}", f"renderer={variant.renderer}"]


def cell_quirk_variant(quirk: str, seed: int, index: int, out: Path, renderer: str = "cid") -> list[str]:
    """The variant of ``renderer`` (cid: no embedded font, a small file) with the cell ``quirk`` forced
    (:func:`forced_variant`)."""
    variant = forced_variant(fuzz.CELL_QUIRKS, (quirk,), seed, index, out, (renderer,))
    return [f"{quirk}={variant.params.get(quirk)}"]


def cid_variant(seed: int, index: int, out: Path) -> list[str]:
    """The variant (seed, index) as the cid renderer alone draws it (:func:`forced_variant`, nothing forced)."""
    variant = forced_variant(fuzz.CELL_QUIRKS, (), seed, index, out, ("cid",))
    return [f"renderer={variant.renderer}"]


MAKERS = {"writer-officer-spaces": writer_officers,
          "print-titles": lambda seed, index, out: printed_variant("print_titles", seed, index, out),
          "overflow": lambda seed, index, out: cell_quirk_variant("overflow", seed, index, out),
          "unshown": lambda seed, index, out: cell_quirk_variant("unshown", seed, index, out),
          "footnotes": lambda seed, index, out: cell_quirk_variant("footnotes", seed, index, out),
          "ruby": lambda seed, index, out: cell_quirk_variant("ruby", seed, index, out),
          "page-marks": lambda seed, index, out: printed_variant("page_marks", seed, index, out, ("reportlab", "cid", "libreoffice")),
          "struck": lambda seed, index, out: cell_quirk_variant("struck", seed, index, out),
          "cell-fit-xlsx": lambda seed, index, out: cell_quirk_variant("cell_fit", seed, index, out, "xlsx"),
          "unseen-notes-xlsx": lambda seed, index, out: cell_quirk_variant("unseen_notes", seed, index, out, "xlsx"),
          "n-up": lambda seed, index, out: printed_variant("n_up", seed, index, out),
          "across": lambda seed, index, out: printed_variant("across", seed, index, out),
          "across-titles": lambda seed, index, out: printed_variant("across_titles", seed, index, out),
          "row-split": lambda seed, index, out: printed_variant("row_split", seed, index, out),
          # the variant as drawn, printed by the cid renderer (no embedded font: a small file)
          "officer-lines": lambda seed, index, out: cid_variant(seed, index, out)}
SUFFIXES = {"cell-fit-xlsx": "xlsx", "unseen-notes-xlsx": "xlsx"}  # what a maker writes, where it is no PDF


def main(argv: list[str] | None = None) -> int:
    what, seed, index, folder = (argv or sys.argv[1:])[:4]
    out = Path(folder) / f"{what}-{seed}-{int(index):04d}.{SUFFIXES.get(what, 'pdf')}"
    print(out, MAKERS[what](int(seed), int(index), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
