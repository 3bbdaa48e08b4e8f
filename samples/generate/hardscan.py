"""The harder scanned set: number-rich sheets scanned at 150/200/300 dpi, skewed up to 2°,
blurred, noisy, JPEG quality 50–75, each with its truth.

    python -m samples.generate.hardscan --out bench/fuzz/hardscan --set heldout --count 6
    python -m samples.generate.hardscan --out DIR --set tune --count 6 --pages 1,2
    python -m samples.generate.hardscan --out DIR --set heldout --seed 8000   # a fresh set, new seeds

Two sets that share no random seed and no department: ``tune`` (what post-correction rules may
be looked at on) and ``heldout`` (what the bench reports). A scan is one department variant
(:mod:`samples.generate.numbers`) drawn by the reportlab renderer, then each page is degraded
by :func:`degrade` with parameters drawn from the scan's seed; ``meta.scan`` in the truth
records them. ``--pages`` keeps only some pages (for the small committed fixture); the truth
then keeps only the rows whose sheets were kept.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate import layout, numbers, truth  # noqa: E402

SETS = {"tune": (["seed", "result", "reiwa1"], 1000), "heldout": (["toshi", "sidebyside"], 5000)}


@dataclass(frozen=True)
class ScanParams:
    """How one page was scanned."""

    dpi: int
    skew_deg: float
    blur_sigma: float  # Gaussian sigma in pixels of a 200-dpi scan (scaled to ``dpi``)
    noise_sd: float
    jpeg_quality: int


def draw_params(rng: np.random.Generator) -> ScanParams:
    """Scanner settings of an archive nobody here has seen."""
    return ScanParams(
        dpi=int(rng.choice([150, 200, 200, 300])),
        skew_deg=round(float(rng.uniform(-2.0, 2.0)), 2),
        blur_sigma=round(float(rng.uniform(0.5, 1.2)), 2),  # pixels at 200 dpi: optics blur a fixed distance
        noise_sd=round(float(rng.uniform(1.5, 6.0)), 2),
        jpeg_quality=int(rng.integers(50, 76)),
    )


def degrade(gray: np.ndarray, p: ScanParams, rng: np.random.Generator) -> bytes:
    """A rendered grey page as a scanner returns it: tilted, blurred, grey paper, noise, JPEG."""
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), p.skew_deg, 1.0)
    img = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    img = cv2.GaussianBlur(img, (0, 0), p.blur_sigma * p.dpi / 200)
    paper = float(rng.uniform(235, 252))
    img = np.minimum(img.astype(np.float64), paper) + rng.normal(0.0, p.noise_sd, img.shape)
    ok, buf = cv2.imencode(".jpg", np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, p.jpeg_quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def scan_pdf(src: Path, out: Path, seed: int, pages: list[int] | None = None) -> list[ScanParams]:
    """Scan ``src`` (every page, or the 1-based ``pages``) into the image-only PDF ``out``."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    jpegs, params = [], []
    for i in range(len(pdf)):
        p = draw_params(rng)
        if pages is not None and i + 1 not in pages:
            continue
        jpegs.append(_scan_page(pdf[i], p, rng))
        params.append(p)
    pdf.close()
    _join_pdfs(jpegs, out)
    return params


def scan_with(src: Path, out: Path, p: ScanParams, seed: int) -> None:
    """Scan every page of ``src`` into the image-only PDF ``out`` with the one scanner setting ``p``."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    jpegs = [_scan_page(page, p, rng) for page in pdf]
    pdf.close()
    _join_pdfs(jpegs, out)


def _scan_page(page, p: ScanParams, rng: np.random.Generator) -> bytes:  # noqa: ANN001 (a pypdfium2 page)
    """One rendered page, degraded by :func:`degrade`, as a one-page PDF at the scan's resolution."""
    import img2pdf

    gray = np.asarray(page.render(scale=p.dpi / 72, grayscale=True).to_pil().convert("L"), dtype=np.uint8)
    return img2pdf.convert(degrade(gray, p, rng), layout_fun=img2pdf.get_fixed_dpi_layout_fun((p.dpi, p.dpi)),
                           nodate=True, engine=img2pdf.Engine.internal)


def _join_pdfs(parts: list[bytes], out: Path) -> None:
    """One PDF of the one-page PDFs ``parts`` (each page keeps its own resolution)."""
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    for data in parts:
        joined.import_pages(pdfium.PdfDocument(data))
    tmp = out.with_suffix(".tmp")
    joined.save(str(tmp))
    tmp.replace(out)


def _keep_pages(t: dict, pages: list[int]) -> dict:
    """The truth of a scan that kept only ``pages``: rows whose page was dropped go too."""
    keep = set(pages)
    for table in ("goals", "targets", "initiatives"):
        t[table] = [r for r in t[table] if r.get("page") in keep]
    kept_goals = {r["goal_no"] for r in t["goals"]}
    if 1 not in keep:  # no front sheet: no officers, legend or overview fields
        t["officers"], t["grade_scale"] = [], []
        for r in t["goals"]:
            r.update(plan_goal_no=None, plan_goal=None, field=None)
    t["targets"] = [r for r in t["targets"] if r["goal_no"] in kept_goals]
    t["meta"]["pages"] = len(pages)
    return t


def make(out_dir: Path, which: str, count: int, pages: list[int] | None = None, root: Path | None = None,
         seed: int | None = None) -> list[Path]:
    """Write ``count`` scans of set ``which`` (and their truths) into ``out_dir``; return the PDFs.

    ``seed``: the first scan's seed instead of the set's own (a fresh set of the same departments,
    never looked at: ``--set heldout --seed 8000``)."""
    from samples.generate.render_pdf import draw_pages

    keys, base = SETS[which]
    base = base if seed is None else seed
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(count):
        seed = base + k
        d = numbers.variant(keys[k % len(keys)], seed)
        out = out_dir / f"{which}{k:02d}.{d.key}.scan.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "src.pdf"
            draw_pages(layout.department_pages(d), src, "ipaex", d.title)
            params = scan_pdf(src, out, seed, pages)
        file = out.relative_to(root).as_posix() if root else out.name
        t = truth.build(file, "pdf", "ocr", [(d, 1, d.municipality)], truth.page_count(d))
        if pages is not None:
            t = _keep_pages(t, pages)
        t["meta"]["set"] = which
        t["meta"]["scan"] = [asdict(p) for p in params]
        (out_dir / f"{out.name}.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(out)
    return written


FIXTURE = ScanParams(dpi=150, skew_deg=1.6, blur_sigma=0.9, noise_sd=1.5, jpeg_quality=50)


def make_fixture(out: Path, key: str = "result", seed: int = 7001, keep: float = 0.4) -> dict:
    """A small committed fixture: the top ``keep`` of goal 1's sheet of a variant, scanned as
    :data:`FIXTURE` (150 dpi, 1.6°, JPEG 50); returns the truth of the fields on it."""
    import img2pdf
    import pypdfium2 as pdfium
    from samples.generate.render_pdf import draw_pages

    d = numbers.variant(key, seed)
    p = FIXTURE
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src.pdf"
        draw_pages(layout.department_pages(d), src, "ipaex", d.title)
        pdf = pdfium.PdfDocument(str(src))
        gray = np.asarray(pdf[1].render(scale=p.dpi / 72, grayscale=True).to_pil().convert("L"), dtype=np.uint8)
        pdf.close()
    gray = gray[: int(gray.shape[0] * keep)]
    jpeg = degrade(gray, p, np.random.default_rng(seed))
    data = img2pdf.convert(jpeg, layout_fun=img2pdf.get_fixed_dpi_layout_fun((p.dpi, p.dpi)), nodate=True,
                           engine=img2pdf.Engine.internal)
    out.write_bytes(data)
    g = d.goals[0]
    return {"department": d.department, "goal_no": 1, "title": g.title, "scan": asdict(p),
            "targets": [{"text": t.text, "status": t.status, "grade": t.grade} for t in g.targets]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--set", choices=sorted(SETS), default="heldout")
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--pages", help="1-based page numbers to keep, e.g. 1,2")
    ap.add_argument("--seed", type=int, help="the first scan's seed (a fresh set; default: the set's own)")
    args = ap.parse_args()
    pages = [int(x) for x in args.pages.split(",")] if args.pages else None
    for pdf in make(args.out, args.set, args.count, pages, seed=args.seed):
        print(f"{pdf}: {pdf.stat().st_size // 1024} KiB", flush=True)


if __name__ == "__main__":
    main()
