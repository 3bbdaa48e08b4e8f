"""A text-layer PDF whose fonts lost their Unicode maps on some pages (as old Office exports do).

``samples/printed/result.garbled.pdf`` is ``result.reportlab.pdf`` with the /ToUnicode maps of
the fonts on pages 3 and 5 removed: those pages read as ``(cid:NNN)`` garbage and must be
OCRed, the others keep their text layer, so the document is read ``mixed``. The truth is the
reportlab truth with that extraction method. Needs pikepdf.
"""
from __future__ import annotations

import json
from pathlib import Path

GARBLED_PAGES = (3, 5)  # 1-based


def strip_tounicode(source: Path, target: Path, pages: tuple[int, ...] = GARBLED_PAGES) -> None:
    """Copy ``source`` to ``target`` with the fonts of ``pages`` stripped of their ToUnicode maps.

    The pages get their own copies of their font dictionaries, so the other pages keep
    their Unicode maps even where reportlab shared one font object between pages.
    """
    import pikepdf

    with pikepdf.open(source) as pdf:
        for number in pages:
            resources = pdf.pages[number - 1].Resources
            fonts = pikepdf.Dictionary()
            for name, font in resources.Font.items():
                copy = pikepdf.Dictionary({k: v for k, v in font.items() if k != "/ToUnicode"})
                if "/DescendantFonts" in font:
                    copy["/DescendantFonts"] = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(d.items()))
                                                             for d in font.DescendantFonts])
                fonts[name] = pdf.make_indirect(copy)
            resources.Font = fonts
        pdf.save(target, deterministic_id=True)


def make_garbled(printed: Path, truth_dir: Path, name: str = "result") -> Path:
    """Write ``<name>.garbled.pdf`` beside the reportlab rendering, and its truth."""
    source = printed / f"{name}.reportlab.pdf"
    target = printed / f"{name}.garbled.pdf"
    strip_tounicode(source, target)
    truth = json.loads((truth_dir / f"{source.name}.json").read_text(encoding="utf-8"))
    truth["meta"]["file"] = truth["meta"]["file"].replace(source.name, target.name)
    truth["meta"]["extraction_method"] = "mixed"
    (truth_dir / f"{target.name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    return target
