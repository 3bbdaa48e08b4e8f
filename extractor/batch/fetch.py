"""Download one URL for the ingest: conditional GET, temp name then rename, a name that stays put.

:func:`fetch` sends ``If-None-Match`` / ``If-Modified-Since`` when a copy from an earlier
run is still on disk, streams a 200 response into ``.<name>.<random>.part`` beside the
final file while hashing it, checks it is complete (``Content-Length``) and within the
time limit, then ``os.replace``-s it into place. A body over ``--max-download`` is stopped
(or refused when its ``Content-Length`` says so) and its ``.part`` deleted. It never raises
for a network fault, a URL that cannot be parsed or a full disk: a :class:`Fetched` with
``error`` says what went wrong, and the next run tries again. URL credentials
(``user:pass@``) go into the request only; every name and message shows them as ``***``.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx
import regex

from plansheet.pipeline.triage import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)
_USERINFO = regex.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@]*@")
_UNSAFE = regex.compile(r"[^\w.\-]+")
MAX_NAME = 120


class FetchStatus(str, Enum):
    NEW = "new"  # a 200 response, saved
    NOT_MODIFIED = "not_modified"  # 304: the copy on disk is current
    FAILED = "failed"


@dataclass(frozen=True)
class Fetched:
    """What one download attempt gave."""

    url: str
    status: FetchStatus
    path: Path | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


def safe_name(url: str) -> str:
    """A file name for ``url``'s bytes that cannot leave its folder: ``<hash8>-<last segment>``.

    The last path segment is percent-decoded and NFKC-normalised; anything but letters,
    digits, ``.``, ``-`` and ``_`` becomes ``_`` and leading dots are dropped, so ``..``,
    ``/`` and hidden names cannot occur. The URL's hash keeps two URLs with one file name apart.
    """
    segment = unquote(PurePosixPath(urlsplit(url).path).name)
    segment = unicodedata.normalize("NFKC", segment).replace("/", "_").replace("\\", "_")
    segment = _UNSAFE.sub("_", segment).lstrip("._") or "download"
    stem, dot, suffix = segment.rpartition(".")
    if dot and len(suffix) <= 8:
        segment = stem[: MAX_NAME - len(suffix) - 1] + "." + suffix
    else:
        segment = segment[:MAX_NAME]
    return f"{hashlib.sha256(url.encode()).hexdigest()[:8]}-{segment}"


def _suffix_for(head: bytes) -> str:
    if b"%PDF-" in head[:1024]:
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    return ".txt"


def redact_url(url: str) -> str:
    """``url`` with its user name and password (``https://user:pass@host/``) shown as ``***``.

    Credentials go into the request only: tables, CSVs, the catalog and the log get this form.
    """
    return _USERINFO.sub(r"\1***@", url, count=1)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched as it is written (unparseable, not http(s), no host), or None."""
    try:
        parsed = httpx.URL(url)
        scheme, host = parsed.scheme, parsed.host  # the host is IDNA-decoded here, and may fail
    except Exception as exc:  # noqa: BLE001  httpx raises InvalidURL, the IDNA codec UnicodeError, ...
        return f"cannot be parsed ({type(exc).__name__}: {exc})"
    if scheme not in ("http", "https"):
        return f"is not an http(s) URL (scheme {scheme!r})"
    if not host:
        return "has no host name"
    return None


class _TooLarge(Exception):
    pass


def fetch(client: httpx.Client, url: str, folder: Path, *, etag: str | None = None,
          last_modified: str | None = None, copy: Path | None = None, timeout_s: float = 60.0,
          max_bytes: int | None = None) -> Fetched:
    """Fetch ``url`` into ``folder`` (see the module docstring); conditional if ``copy`` exists.

    A body over ``max_bytes`` (announced or streamed) fails the download and nothing is kept.
    """
    shown = redact_url(url)
    if (problem := url_problem(url)) is not None:
        return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: the URL {problem}; fix it in the --urls file")
    headers = {}
    if copy is not None and copy.exists():
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with client.stream("GET", url, headers=headers, timeout=timeout_s) as response:
            if response.status_code == 304 and headers:
                return Fetched(shown, FetchStatus.NOT_MODIFIED, copy, etag=response.headers.get("etag", etag),
                               last_modified=response.headers.get("last-modified", last_modified))
            if response.status_code != 200:
                return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: HTTP {response.status_code} "
                               f"{response.reason_phrase}; the next ingest will try again")
            announced = response.headers.get("content-length", "")
            if max_bytes is not None and announced.isdigit() and int(announced) > max_bytes:
                raise _TooLarge(int(announced), "announced")
            return _save(response, url, folder, started, timeout_s, max_bytes)
    except _TooLarge as exc:
        size, how = exc.args
        return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: the download is larger than the --max-download "
                       f"limit of {_megabytes(max_bytes)} MB ({_megabytes(size)} MB {how}); nothing was kept; "
                       "raise the limit if the file is genuine")
    except httpx.TimeoutException as exc:
        log.debug("timeout fetching %s", shown, exc_info=True)
        return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: no answer within {timeout_s:g} s "
                       f"({type(exc).__name__}); the next ingest will try again")
    except httpx.HTTPError as exc:
        log.debug("error fetching %s", shown, exc_info=True)
        return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: download failed ({type(exc).__name__}: "
                       f"{str(exc).replace(url, shown)}); the next ingest will try again")
    except OSError as exc:  # the downloads folder: disk full, not writable
        what = "disk full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror or str(exc)
        return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: could not save the download ({what}, in "
                       f"{folder}); nothing was kept, the next ingest will try again")


def _megabytes(size: int | None) -> str:
    return f"{(size or 0) / 1e6:.0f}" if (size or 0) >= 1e6 else f"{(size or 0) / 1e6:.3g}"


def _save(response: httpx.Response, url: str, folder: Path, started: float, timeout_s: float,
          max_bytes: int | None = None) -> Fetched:
    name = safe_name(url)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    tmp = Path(tmp_name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as fh:
            for block in response.iter_bytes():
                if time.monotonic() - started > timeout_s:
                    raise httpx.ReadTimeout(f"slower than {timeout_s:g} s in total", request=response.request)
                if len(head) < 1024:
                    head += block[: 1024 - len(head)]
                digest.update(block)
                size += len(block)
                if max_bytes is not None and size > max_bytes:
                    raise _TooLarge(size, "received when it was stopped")
                fh.write(block)
            fh.flush()
            os.fsync(fh.fileno())
        expected = response.headers.get("content-length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            shown = redact_url(url)
            return Fetched(shown, FetchStatus.FAILED, error=f"{shown}: download incomplete ({size} of {expected} bytes); "
                           "the next ingest will try again")
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            name += _suffix_for(head)
        target = folder / name
        if target.resolve().parent != folder.resolve():
            raise ValueError(f"unsafe download name {name!r}")  # cannot happen: safe_name forbids it
        os.replace(tmp, target)
        return Fetched(redact_url(url), FetchStatus.NEW, target, digest.hexdigest(), response.headers.get("etag"),
                       response.headers.get("last-modified"))
    finally:
        if tmp.exists():
            tmp.unlink()
