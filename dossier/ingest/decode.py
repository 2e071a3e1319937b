"""Raw exports decoded as they were saved: BOM, UTF-8, UTF-16, Windows-1252 and others detected."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import ContentError

BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LATIN1 = {"latin_1", "latin-1", "iso-8859-1", "iso8859-1", "iso8859_1", "l1", "ascii", "us-ascii", "cp819"}
_WINDOWS = "windows-1252"  # what browsers (and the HTML standard) read for Latin-1 and ASCII labels
_UNSAVED = "resave it as UTF-8 text (or save the page again from the browser), or delete it from sources/"


@dataclass(frozen=True)
class Decoded:
    """A raw export's text and the encoding it was read in."""

    text: str
    encoding: str  # a WHATWG-style label: "utf-8", "utf-16-le", "windows-1252", ...
    note: str = ""  # something worth a warning (a cut character at the end)


def encoding_name(label: str) -> str:
    """A codec label as browsers name it: Latin-1 and ASCII read as Windows-1252."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return ""
    if name in _LATIN1 or name == "cp1252":
        return _WINDOWS
    return name.replace("_", "-")


def _by_bom(data: bytes) -> tuple[str, bytes] | None:
    """(encoding, bytes after the BOM), when the data starts with a byte-order mark."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, data[len(bom) :]
    return None


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or '-be' when every other byte is NUL, as in UTF-16 text of Latin script."""
    if len(data) < 4 or len(data) % 2:
        return ""
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return ""


def _utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 text, also when the file was cut inside its last character; None when not UTF-8."""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        cut = exc.start if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data" else -1
    if cut < 0:
        return None
    return data[:cut].decode("utf-8"), "the file ends in the middle of a character: was it cut off while saving?"


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detected(data: bytes) -> str:
    """The encoding charset-normalizer finds, Latin-1 and its look-alikes read as Windows-1252."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return ""
    name = encoding_name(best.encoding)
    if name in ("cp1250", "cp1257", "iso8859-15", "iso8859-9", "mac-roman") and _reads_as_windows_1252(data):
        return _WINDOWS  # short German texts look alike in these; the umlauts agree, Windows-1252 is the common one
    return name


def _reads_as_windows_1252(data: bytes) -> bool:
    """Whether the bytes decode as Windows-1252 to letters a German text has."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    odd = re.findall(r"[^\x00-\x7fäöüÄÖÜßéèàáçñ„“”‚‘’–—…€«»§°²³·×\s]", text)
    return len(odd) <= 2


def looks_like_text(text: str) -> bool:
    """Whether decoded text reads as text: few control characters, letters mostly in Latin script."""
    if not text.strip():
        return False
    controls = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cs", "Cn") and c not in "\n\r\t\f")
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250" or "\u1e00" <= c <= "\u1eff")
    return controls <= max(2, len(text) // 200) and bool(letters) and latin >= 0.8 * len(letters)


def decode(data: bytes, path: str, declared: str = "") -> Decoded:
    """Decode a raw export: BOM first, then the encoding the file declares, UTF-8, then detection."""
    if not data.strip():
        raise ContentError(path, 0, "the file is empty: save the export again, or delete it from sources/")
    found = _by_bom(data)
    if found:
        encoding, data = found
    else:
        encoding = encoding_name(declared) if declared else ""
        if encoding and encoding != "utf-8" and _is_utf8(data) and max(data) > 0x7F:
            encoding = "utf-8"  # declared otherwise but saved as UTF-8 (browsers re-encode saved pages): bytes win
        encoding = encoding or _utf16_without_bom(data)
    note = ""
    if encoding and encoding != "utf-8":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ContentError(path, 0, f"cannot be read as {encoding} (byte {exc.start}); {_UNSAVED}") from None
    else:
        utf8 = _utf8(data)
        if utf8 is None and b"\x00" not in data:
            encoding = _detected(data)
            text = data.decode(encoding, errors="replace") if encoding else ""
        elif utf8 is None:
            text = ""
        else:
            (text, note), encoding = utf8, "utf-8"
    if not looks_like_text(text):
        raise ContentError(
            path, 0, f"not a text file (binary data, or an encoding that cannot be recognised); {_UNSAVED}"
        )
    return Decoded(text, encoding, note)
