"""File names as they are, and as they may be shown: in tables (valid UTF-8) and in logs (one safe line).

A POSIX file name is bytes. Python keeps bytes that are not UTF-8 as lone surrogates
(``os.fsdecode`` with ``surrogateescape``), so the path itself stays exact and opens the
file. Shown anywhere, those bytes become ``\\xNN``: :func:`readable` for tables and
catalog (UTF-8 writers refuse surrogates), :func:`log_safe` for a terminal or a log, which
also escapes what could forge or hide a line: line breaks and other control characters,
terminal escapes (ESC) and bidirectional overrides (U+202E …).
"""
from __future__ import annotations

import os

import regex

# C0 and C1 controls, DEL, and the bidirectional marks, embeddings, overrides and isolates
_UNSAFE_IN_LOG = regex.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Cs}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def readable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name (lone surrogates) written as ``\\xNN``."""
    if text.isascii():
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _escape(match: regex.Match[str]) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}"


def log_safe(text: str) -> str:
    """``text`` as one line that cannot move the cursor, colour the terminal, reorder text or forge a line."""
    return _UNSAFE_IN_LOG.sub(_escape, readable(text))
