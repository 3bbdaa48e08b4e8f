"""A compiled volume made at bench time by concatenating the sample PDFs (pypdfium2).

Real volumes are per-department PDFs bound together, so the volume cycles through every
printed sample (reportlab, CID-font and LibreOffice renderings) until it has enough
pages. Prefixes of the same page sequence give the 1, 10, 100 … page files of the memory
series, and consecutive slices give the equal parts of the ``--workers`` batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle
from pathlib import Path


@dataclass(frozen=True)
class PageRef:
    source: Path
    index: int  # 0-based page in source


def page_sequence(sources: list[Path], pages: int) -> list[PageRef]:
    """``pages`` page references taken from ``sources`` in turn, whole files first."""
    import pypdfium2 as pdfium

    counts = {}
    for src in sources:
        pdf = pdfium.PdfDocument(str(src))
        counts[src] = len(pdf)
        pdf.close()
    if not any(counts.values()):
        raise ValueError("no pages in the volume's sources")
    refs: list[PageRef] = []
    for src in cycle(sources):
        refs.extend(PageRef(src, i) for i in range(counts[src]))
        if len(refs) >= pages:
            return refs[:pages]
    raise AssertionError("unreachable")


def write_pdf(refs: list[PageRef], target: Path) -> Path:
    """A new PDF of exactly these pages, in this order."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    opened: dict[Path, object] = {}
    try:
        run: list[int] = []
        run_src: Path | None = None
        for ref in refs + [PageRef(Path(), -1)]:  # sentinel flushes the last run
            if ref.source == run_src and run and ref.index == run[-1] + 1:
                run.append(ref.index)
                continue
            if run_src is not None and run:
                out.import_pages(opened[run_src], pages=run)
            run_src, run = ref.source, [ref.index]
            if ref.index >= 0 and ref.source not in opened:
                opened[ref.source] = pdfium.PdfDocument(str(ref.source))
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(str(target))
    finally:
        out.close()
        for pdf in opened.values():
            pdf.close()  # type: ignore[attr-defined]
    return target


def build(sources: list[Path], folder: Path, pages: int, prefixes: list[int], parts: int,
          part_pages: int) -> tuple[Path, dict[int, Path], list[Path]]:
    """The volume, its prefix files keyed by page count, and ``parts`` files of ``part_pages`` pages."""
    refs = page_sequence(sources, max([pages, parts * part_pages, *prefixes]))
    volume = write_pdf(refs[:pages], folder / f"volume-{pages}p.pdf")
    prefix_files = {n: volume if n == pages else write_pdf(refs[:n], folder / f"volume-{n}p.pdf")
                    for n in prefixes}
    part_files = [write_pdf(refs[i * part_pages:(i + 1) * part_pages], folder / f"part-{i + 1:02d}.pdf")
                  for i in range(parts)]
    return volume, prefix_files, part_files
