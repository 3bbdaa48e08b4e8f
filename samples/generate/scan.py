"""Phase 2: image-only 'scanned' PDFs made from the reportlab PDFs (for the OCR work)."""
from __future__ import annotations

from pathlib import Path

import cv2
import img2pdf
import numpy as np
import pypdfium2 as pdfium

DPI = 200


MAX_BYTES = 1_000_000


def scan(src: Path, out: Path, seed: int, quality: int = 70) -> tuple[int, int]:
    """Render ``src`` at 200 dpi, tilt 0.3–1°, blur, add noise, JPEG, wrap with img2pdf.

    The JPEG quality starts at ``quality`` and goes down in steps of 5 until the PDF is
    under 1 MB. Returns (pages, quality used).
    """
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    images: list[np.ndarray] = []
    for i in range(len(pdf)):
        bitmap = pdf[i].render(scale=DPI / 72, grayscale=True)
        img = np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8)
        h, w = img.shape
        angle = float(rng.uniform(0.3, 1.0) * rng.choice([-1, 1]))
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        img = cv2.GaussianBlur(img, (5, 5), 1.1)             # slightly out of focus
        paper = 253.0                                          # not quite white paper
        noise = rng.normal(0.0, 2.5, img.shape)               # mild sensor noise
        images.append(np.clip(np.minimum(img.astype(np.float64), paper) + noise, 0, 255).astype(np.uint8))
    pdf.close()
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    while True:
        jpegs = []
        for img in images:
            ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            jpegs.append(buf.tobytes())
        data = img2pdf.convert(jpegs, layout_fun=layout, nodate=True, engine=img2pdf.Engine.internal)
        if len(data) < MAX_BYTES or quality <= 40:
            break
        quality -= 5
    out.write_bytes(data)
    return len(jpegs), quality
