"""Which Japanese encoding a text file is in: the one among those a person's tools save in that decodes cleanly.

A text export, a CSV or an HTML page without a declared charset may be saved as UTF-8 (with or without a BOM),
UTF-16 (Excel's "Unicode text", with or without a BOM, either byte order), Shift_JIS / CP932 (Windows), EUC-JP
(old Unix systems) or ISO-2022-JP (JIS: mail, some old systems; 7-bit, so it also passes as ASCII). A BOM says
the encoding; escape sequences (``ESC $ B``) say ISO-2022-JP; UTF-8 that decodes strictly is UTF-8. Otherwise
each encoding is tried and the one whose text reads most as Japanese is kept: fewest bytes it cannot decode
and fewest characters a sheet does not write (mojibake: EUC-JP read as CP932 is half-width katakana and rare
kanji, UTF-8 read as CP932 is rare kanji). A file with a few bytes that decode in none (a byte flipped, a copy
cut inside a character) is read with U+FFFD where they stand, and named in a note; the field holding one is
named by the parser (parsers/unmapped.py). A file where they are many is refused, naming the first.
"""
from __future__ import annotations

from dataclasses import dataclass

from plansheet.core.kanji import JOYO_KANJI, NOT_KANJI
from plansheet.errors import TriageError

REPLACEMENT = "\ufffd"
_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(Q", b"\x1b$(O")
_JIS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3")
_TRIED = ("utf-8", "cp932", "euc_jp")  # in this order when two read alike
_UTF16 = ("utf-16-le", "utf-16-be")
BAD_SHARE = 0.005  # more undecodable bytes than one in 200 characters: not a text in that encoding
ODD_SHARE = 0.1  # nor is one where more than one character in ten is none a sheet writes
NAMES = {"utf-8": "UTF-8", "cp932": "Shift_JIS (CP932)", "euc_jp": "EUC-JP", "utf-16-le": "UTF-16 (LE, no BOM)",
         "utf-16-be": "UTF-16 (BE, no BOM)"}
ALL_NAMES = "UTF-8, UTF-16, Shift_JIS (CP932), EUC-JP or ISO-2022-JP"


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in, and a note when some bytes decoded to U+FFFD."""

    text: str
    encoding: str
    note: str | None = None


def _plain(ch: str) -> bool:
    """Whether a sheet writes ``ch``: ASCII, kana, CJK punctuation, full-width forms, Jōyō kanji, common marks."""
    o = ord(ch)
    if o < 0x80:
        return o >= 0x20 or ch in "\t\n\r"
    return (0x3000 <= o <= 0x30FF or 0xFF01 <= o <= 0xFF5E or ch in JOYO_KANJI or ch in NOT_KANJI
            or 0x2460 <= o <= 0x24FF or 0x25A0 <= o <= 0x25FF or 0x2010 <= o <= 0x203B or 0x2190 <= o <= 0x21FF)


def _cost(text: str) -> int:
    """How little ``text`` reads as Japanese: each U+FFFD and each character a sheet does not write counts one."""
    return sum(1 for ch in text if not _plain(ch))


def _first_bad(data: bytes, encoding: str, text: str) -> str:
    """Where the first byte ``encoding`` cannot decode stands: its line and offset."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return f"the first at line {line} (byte {exc.start}, 0x{data[exc.start]:02X})"
    if REPLACEMENT in text:
        return f"the first at line {text[:text.index(REPLACEMENT)].count(chr(10)) + 1}"
    return "but the text it gives is no Japanese a sheet writes"


def decode_japanese(data: bytes, name: str) -> Decoded:
    """Decode ``data`` in the Japanese encoding it is in (module docstring); raise naming the file when none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data, "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x1b" in data and max(data) < 0x80 and any(e in data for e in _ESCAPES):
        for encoding in _JIS:
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                continue
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return Decoded(text, "utf-8")
    tried = _TRIED + (_UTF16 if b"\x00" in data else ())
    costs = {}
    for encoding in tried:
        text = data.decode(encoding, errors="replace")
        costs[encoding] = (_cost(text), text)
    encoding = min(tried, key=lambda e: costs[e][0])
    text = costs[encoding][1]
    if encoding == "utf-8" and "\x00" in text:
        raise TriageError(f"{name}: UTF-8 text with {data.count(0)} stray NUL byte(s), the first at byte "
                          f"{data.index(0)}; remove them (tr -d '\\000' < file > clean) and run again")
    return _checked(data, encoding, name, text, guessed=True)


def _checked(data: bytes, encoding: str, name: str, text: str | None = None, guessed: bool = False) -> Decoded:
    """``data`` read in ``encoding``: with U+FFFD and a note where a few bytes do not decode, refused where many
    (or, for an encoding ``guessed`` by reading, where the text is not one a sheet writes)."""
    text = data.decode(encoding, errors="replace") if text is None else text
    bad = text.count(REPLACEMENT) - data.decode(encoding, errors="ignore").count(REPLACEMENT)
    shown = NAMES.get(encoding, encoding)
    plausible = not guessed or _cost(text) <= ODD_SHARE * len(text)
    if bad == 0 and plausible:
        return Decoded(text, encoding)
    if 0 < bad <= max(1, BAD_SHARE * len(text)) and plausible:
        return Decoded(text, encoding, f"text: read as {shown}, but {bad} character(s) do not decode, "
                                       f"{_first_bad(data, encoding, text)}: written U+FFFD there; the field holding "
                                       "it is named below: check it")
    raise TriageError(f"{name}: text is in none of the encodings plansheet reads ({ALL_NAMES}): read as the closest, "
                      f"{shown}, {bad} character(s) do not decode, {_first_bad(data, encoding, text)}; re-save it as UTF-8")
