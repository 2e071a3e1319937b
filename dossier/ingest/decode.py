"""Raw exports decoded as they were saved: BOM, UTF-8, UTF-16, Windows-1252 and others detected."""

from __future__ import annotations

import codecs
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
_GERMAN = set("äöüÄÖÜßéèêàâáçñëïôûÉÈÀ„“”‚‘’–—…€«»‹›§°²³·×\u00a0\u00ad")
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
    """The encoding of bytes that are not UTF-8: Windows-1252 when they read as German in it, else charset-normalizer's.

    charset-normalizer alone takes a short German text for cp775, cp1250 or Mac Roman as readily;
    in all of those the umlauts come out wrong."""
    if _reads_as_windows_1252(data):
        return _WINDOWS
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return encoding_name(best.encoding) if best is not None else ""


def _reads_as_windows_1252(data: bytes) -> bool:
    """Whether the bytes beyond ASCII decode as Windows-1252 to characters a German text has."""
    beyond = [c for c in data.decode("cp1252", errors="replace") if ord(c) > 0x7F]
    odd = [c for c in beyond if c not in _GERMAN]
    return bool(beyond) and len(odd) <= max(2, len(beyond) // 20)


def looks_like_text(text: str) -> bool:
    """Whether decoded text reads as text: few control characters, letters, not the CJK of bytes misread."""
    if not text.strip():
        return False
    controls = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cs", "Cn") and c not in "\n\r\t\f")
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if "\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")  # what bytes misread
    return controls <= max(2, len(text) // 200) and bool(letters) and cjk <= 0.2 * len(letters)  # as UTF-16 give


def _chosen(data: bytes, declared: str) -> str:
    """The encoding of a file without BOM: as declared where the bytes agree, UTF-16 by its NUL bytes, or ''."""
    encoding = encoding_name(declared) if declared else ""
    if encoding.startswith(("utf-16", "utf-32")):
        encoding = ""  # a page declaring UTF-16 without a BOM is not UTF-16 (as browsers read it)
    if encoding and encoding != "utf-8" and _is_utf8(data) and max(data) > 0x7F:
        encoding = "utf-8"  # declared otherwise but saved as UTF-8 (browsers re-encode saved pages): bytes win
    return encoding or _utf16_without_bom(data)


def _text(data: bytes, encoding: str) -> tuple[str, str, str]:
    """(text, encoding read in, note): in the given encoding, else UTF-8, else as detected; '' for binary data."""
    if encoding and encoding != "utf-8":
        try:
            return data.decode(encoding), encoding, ""
        except UnicodeDecodeError:
            pass  # the declaration is wrong: read on as if there were none
    utf8 = _utf8(data)
    if utf8 is not None:
        return utf8[0], "utf-8", utf8[1]
    if b"\x00" in data:
        return "", "", ""
    detected = _detected(data)
    return (data.decode(detected, errors="replace") if detected else ""), detected, ""


def decode(data: bytes, path: str, declared: str = "") -> Decoded:
    """Decode a raw export: BOM first, then the encoding the file declares, UTF-8, then detection."""
    if not data.strip():
        raise ContentError(path, 1, "the file is empty: save the export again, or delete it from sources/")
    found = _by_bom(data)
    encoding, data = found if found else (_chosen(data, declared), data)
    text, encoding, note = _text(data, encoding)
    if not looks_like_text(text):
        raise ContentError(
            path, 1, f"not a text file (binary data, or an encoding that cannot be recognised); {_UNSAVED}"
        )
    return Decoded(text, encoding, note)
