"""One frozen settings object for a run; the CLI's flags and the API's arguments map onto it.

The one environment variable plansheet reads is ``PLANSHEET_OCR_CACHE`` (the OCR replay
cache, when ``ocr.cache_dir`` is not set); no other setting comes from the environment.

Reader-specific tolerances live in their own nested dataclasses (``pdf``, ``ocr``) so that
every knob is declared exactly once. An unknown key passed to :func:`Settings.with_overrides`
raises instead of being ignored.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from enum import Enum


class OcrMode(str, Enum):
    """When to OCR a page: only where the text layer is unusable, always, or never."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class OutputFormat(str, Enum):
    """What a run writes: the Parquet dataset, the CSVs too, or both (the dataset is always written)."""

    PARQUET = "parquet"
    CSV = "csv"
    BOTH = "both"

    @property
    def writes_csv(self) -> bool:
        return self is not OutputFormat.PARQUET


class Binarize(str, Enum):
    """How OCR crops go to the engine: grey, or black and white by Otsu or an adaptive threshold."""

    NONE = "none"
    OTSU = "otsu"
    ADAPTIVE = "adaptive"


def as_enum(owner: object, name: str, enum: type[Enum], prefix: str = "") -> None:
    """Turn ``owner.name`` (a frozen dataclass field) into ``enum``; a value it does not know raises."""
    value = getattr(owner, name)
    try:
        object.__setattr__(owner, name, enum(value))
    except ValueError:
        choices = ", ".join(str(e.value) for e in enum)
        raise ValueError(f"{prefix}{name} must be one of {choices}, not {value!r}") from None


class PdfBackend(str, Enum):
    """The library that reads a PDF's text layer: PDFium (fast, the default) or pdfplumber (the reference)."""

    PDFIUM = "pdfium"
    PDFPLUMBER = "pdfplumber"


@dataclass(frozen=True)
class PdfSettings:
    """The text-layer PDF reader: its backend and tolerances (PDF points)."""

    backend: PdfBackend = PdfBackend.PDFIUM  # pdfplumber gives the same cells, 4-5x slower
    snap_tolerance: float = 3.0  # ruling lines closer than this are one line
    min_rule_length: float = 6.0  # shorter strokes are not ruling lines
    line_tolerance: float = 2.5  # chars whose tops differ less than this share a text line
    min_cells_for_grid: int = 4  # fewer ruled cells than this: read the page from word positions
    space_gap_em: float = 0.5  # a wider gap between two Latin chars (in font sizes) is a space
    column_gap_em: float = 2.0  # a wider gap splits text outside ruled cells into columns
    max_bad_glyph_share: float = 0.02  # more unmapped glyphs ((cid:N), U+FFFD) than this: needs OCR
    furniture_margin: float = 0.06  # headers/footers sit within this share of the page height

    def __post_init__(self) -> None:
        as_enum(self, "backend", PdfBackend, "pdf.")  # "pdfium" from a flag becomes the enum; a typo raises


@dataclass(frozen=True)
class OcrSettings:
    """Rendering and recognition settings of the OCR reader."""

    dpi: int = 300
    max_render_pixels: int = 40_000_000  # a larger page is rendered at a lower dpi (A1 at 300 dpi is 70 M)
    language: str = "jpn"
    tessdata_dir: str | None = None  # folder of <language>.traineddata; default: the tessdata packages'
    cache_dir: str | None = None  # replayable OCR cache; default: $PLANSHEET_OCR_CACHE, else none
    cache_replay_only: bool = False  # a cache miss is an error (tests), Tesseract is never started
    max_skew_deg: float = 5.0  # larger estimated skew is ignored (not a scanner's tilt)
    skew_min_line_pt: float = 144.0  # only lines this wide (2 in: table borders, not text) measure the skew
    rule_min_width_pt: float = 24.0  # a horizontal ink run this long is a ruling; strokes of ~10.5 pt text are shorter
    rule_min_height_pt: float = 14.0  # a vertical one: shorter, so the sides of one-line rows are found too
    min_cell_px: int = 4  # a cell's inside lower or narrower than this is a sliver (double lines), not text
    lone_glyph_width: float = 1.6  # ink narrower than this many heights is one glyph or two (goal no., grade)
    tail_max_width: float = 4.0  # a wrapped line's last line narrower than this many heights is read with it
    narrow_one_width: float = 0.4  # a lone glyph narrower than this many heights, read as ] or |, is a 1
    erase_lines: bool = True  # paint ruling lines white before recognition
    # crops go to the engine grey ("none": the LSTM reads grey best; Otsu loses strokes of
    # blurred kanji, 達 → 違/連), or black and white by Otsu or an adaptive threshold
    binarize: Binarize = Binarize.NONE
    sharpen_amount: float = 0.8  # unsharp mask on the (upscaled) crop against scanner blur; 0 = off
    sharpen_sigma_px: float = 2.5  # its Gaussian radius, in pixels of the upscaled crop
    cell_border_px: int = 10  # white margin added around each crop
    # the LSTM's time grows with a crop's width in pixels (bench/README.md): these are as small as reads right
    min_text_height_px: int = 48  # short crops (labels, numbers, grades) lower than this (px) are upscaled to it
    min_line_height_px: int = 36  # the same for long lines: cheaper, and as accurate
    long_line_min_width: float = 8.0  # a crop at least this many heights wide is a long line
    # so is a line that is all its cell holds (a label, a section name; a line outside the grid) from this
    # many heights on: the hard scans read the same at 36 px, with 2 % fewer pixel columns (bench/README.md);
    # not the last line of a wrapped text (a kana tail, につなげます。, read ほっなけますおS at 36 px)
    alone_line_min_width: float = 4.0
    space_gap: float = 0.3  # a blank run this many text heights wide between characters is a space
    line_by_line: bool = True  # one PSM-7 call per text line of a cell (else one PSM-6 call per cell)
    psm_block: int = 6
    psm_line: int = 7

    def __post_init__(self) -> None:
        as_enum(self, "binarize", Binarize, "ocr.")
        if self.sharpen_amount < 0 or self.sharpen_sigma_px <= 0:
            raise ValueError("ocr.sharpen_amount must be >= 0 and ocr.sharpen_sigma_px > 0")
        if not 50 <= self.dpi <= 1200:
            raise ValueError(f"ocr.dpi must be between 50 and 1200, not {self.dpi}")


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Defaults are what a demanding user expects."""

    ocr_mode: OcrMode = OcrMode.AUTO
    password: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float = 600.0  # per file
    max_memory_mb: int = 4096  # per worker process
    max_pages: int = 5000  # more pages than this: refuse the file (decompression bombs)
    max_page_side_pt: float = 14400.0  # 200 inches: PDF's own limit on a page side
    max_workbook_mb: int = 16  # an .xlsx whose parts to read unpack to more than this is refused (ZIP bombs)
    municipality: str | None = None  # overrides what the grammar infers
    lineage_threshold: float = 0.45  # goal_lineage: lowest score that links two goals (docs/lineage.md)
    output_format: OutputFormat = OutputFormat.BOTH  # the Parquet dataset is always written; CSVs unless "parquet"
    http_timeout_s: float = 60.0  # ingest: seconds one download may take in all
    max_download_mb: int = 200  # ingest: a larger download is stopped and deleted (a plan sheet is a few MB)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)

    def __post_init__(self) -> None:
        as_enum(self, "ocr_mode", OcrMode)
        as_enum(self, "output_format", OutputFormat)

    def with_overrides(self, **changes: object) -> "Settings":
        """A copy with the given fields changed; an unknown field name raises ``TypeError``."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)
