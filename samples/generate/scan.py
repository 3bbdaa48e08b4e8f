"""Phase 2: image-only 'scanned' PDFs made from the reportlab PDFs (for the OCR work)."""
from __future__ import annotations

from pathlib import Path

import cv2
import img2pdf
import numpy as np
import pypdfium2 as pdfium

DPI = 200


def scan(src: Path, out: Path, seed: int, quality: int = 70) -> int:
    """Render ``src`` at 200 dpi, tilt 0.3–1°, add noise and blur, JPEG, wrap with img2pdf; return pages."""
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    jpegs: list[bytes] = []
    for i in range(len(pdf)):
        bitmap = pdf[i].render(scale=DPI / 72, grayscale=True)
        img = np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8)
        h, w = img.shape
        angle = float(rng.uniform(0.3, 1.0) * rng.choice([-1, 1]))
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        img = cv2.GaussianBlur(img, (3, 3), 0.7)
        noise = rng.normal(0.0, 7.0, img.shape)
        paper = 245 + rng.normal(0.0, 2.0, img.shape)  # slightly grey paper
        img = np.clip(np.minimum(img.astype(np.float64), paper) + noise, 0, 255).astype(np.uint8)
        img = cv2.GaussianBlur(img, (3, 3), 0.5)
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        jpegs.append(buf.tobytes())
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    out.write_bytes(img2pdf.convert(jpegs, layout_fun=layout, nodate=True))
    return len(jpegs)
