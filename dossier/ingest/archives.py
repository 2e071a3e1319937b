"""Web pages a browser saved as one archive: MHTML (Chrome and Edge "Webpage, Single File", Internet
Explorer's and Word's .mht) and Safari's .webarchive.

An archive holds the page's HTML beside its style sheets, scripts and images. The import reads the
page alone, decoded as the archive says (else as the page declares, else as detected), with the address
the browser saved it from where "Web page, HTML only" writes it: what it imports is what the same page
saved as HTML gives. An archive that holds no readable page is refused at the line of the part concerned.
Both formats are read with the standard library (email, plistlib). Nothing is decompressed, so the work
grows with the file's size alone, and that is bounded (MAX_ARCHIVE); the parts are counted before the
archive is parsed, and nesting too deep for the parser is an error like any other.
"""

from __future__ import annotations

import email
import email.errors
import email.message
import email.utils
import plistlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from ..errors import ContentError
from .decode import Decoded, decode
from .page_kind import NotAnArticle
from .web_page import declared_charset

MHTML = "a web archive (.mhtml)"
WEBARCHIVE = "a Safari web archive (.webarchive)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PARTS = 100_000  # lines that may open a part; a saved news page has hundreds (its images, fonts, frames)
MAX_ARCHIVE = 32 * 2**20  # bytes: a news page saved with its images is rarely above 15 MB (parsing takes 6 times
# the size in memory); the page itself is held to the limit of any raw export (MAX_EXPORT in __init__.py)
_AGAIN = "save the article's page again from the browser, or delete the file"
_SAVED_BY = re.compile(rb"\A(From: <Saved by |MIME-Version: 1\.0\r?\n)", re.I)  # Blink, IE; IE's older form, Word
_HEADER = re.compile(rb"[!-9;-~]+:")  # a MIME header line: a field name and a colon
_RELATED = re.compile(rb"^content-type:[ \t]*multipart/related", re.I | re.M)
_PLIST = re.compile(rb"\A(\xef\xbb\xbf)?\s*<\?xml[^>]*>\s*<!DOCTYPE plist|\A\s*<plist[\s>]")
_CUT = (email.errors.CloseBoundaryNotFoundDefect, email.errors.StartBoundaryNotFoundDefect)
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class SavedPage:
    """The web page an archive holds: its HTML as saved, the charset the archive names, its address, its place."""

    html: bytes
    charset: str  # '' when the archive names none (Chrome does not: its page declares it in a <meta>)
    url: str  # where the browser got the page ('' when the archive does not say)
    line: int  # the archive's line that starts the page's part (1 in a binary archive)
    where: str  # the part, as the editor finds it in the archive
    archive: str  # what kind of archive: MHTML or WEBARCHIVE


def unpack(data: bytes, path: str) -> SavedPage | None:
    """The web page of a browser's archive; None for data that is no archive (ContentError: an archive without one)."""
    webarchive = data.startswith(b"bplist") or (_PLIST.match(data[:1024]) and b"<key>WebMainResource</key>" in data)
    if not webarchive and not _is_mhtml(data):
        return None
    if len(data) > MAX_ARCHIVE:
        raise ContentError(
            path,
            1,
            f"{WEBARCHIVE if webarchive else MHTML} of {len(data) / 2**20:.0f} MB, more than one article's page saved "
            f"with its images can be (at most {MAX_ARCHIVE // 2**20} MB): save the article's page alone ('Web page, "
            "HTML only'), or its text as a .txt file",
        )
    return _webarchive(data, path) if webarchive else _mhtml(data, path)


def decoded(page: SavedPage, path: str) -> Decoded:
    """The page's text: in the charset the archive names, else the one the page declares, else as detected."""
    try:
        return decode(page.html, path, page.charset or declared_charset(page.html))
    except ContentError:  # (an empty page is refused by unpack)
        raise ContentError(
            path, page.line, f"{page.archive} whose web page ({page.where}) is no text (binary data?); {_AGAIN}"
        ) from None


def addressed(text: str, page: SavedPage | None) -> str:
    """The page's text with the address it was saved from, as Chrome's "Web page, HTML only" writes it.

    web_page.py takes that address as the source URL where the page names none (a canonical link, Open
    Graph, schema.org data win) and as the base of its relative links, as for a page saved as HTML."""
    if page is None or not _WEB_ADDRESS.fullmatch(page.url):
        return text
    declaration = _XML_DECLARATION.match(text)  # (it stays first: lxml reads a page that starts with one)
    at = declaration.end() if declaration else 0
    return f"{text[:at]}<!-- saved from url=({len(page.url):04d}){page.url} -->\n{text[at:]}"


@contextmanager
def located(page: SavedPage | None, path: str) -> Iterator[None]:
    """Errors found in an archive's page, named at the archive's line that starts it (a page without article
    text stays the warning it is for a page saved as HTML)."""
    try:
        yield
    except NotAnArticle:
        raise
    except ContentError as exc:
        if page is None:
            raise
        at = f"; its line {exc.line}" if exc.line > 1 else ""
        raise ContentError(
            path, page.line, f"in the web page this archive holds ({page.where}{at}): {exc.message}"
        ) from None


def _is_mhtml(data: bytes) -> bool:
    """Whether the data is a MIME archive: a browser's mark, or a header block naming multipart/related."""
    if _SAVED_BY.match(data):
        return True
    head = data[:16384]
    end = re.search(rb"\r?\n\r?\n", head)
    block = head[: end.start()] if end else b""
    return bool(_HEADER.match(block) and _RELATED.search(block))


def _last_line(data: bytes) -> int:
    """The number of the file's last line that holds anything."""
    return len(data.rstrip(b"\r\n").split(b"\n"))


def _mhtml(data: bytes, path: str) -> SavedPage:
    """The main page of an MHTML archive: the part at the address the archive was saved from, else the part
    its `start` parameter names, else the first HTML part."""
    if data.count(b"\n--") > MAX_PARTS:
        raise ContentError(path, 1, f"{MHTML} of more than {MAX_PARTS:,} parts, no page saved from a browser; {_AGAIN}")
    try:
        message = email.message_from_bytes(data)  # compat32: lenient, notes a malformed part as a defect
        leaves = [part for part in message.walk() if not part.is_multipart()]
        cut = "Content-Type" not in message or any(isinstance(d, _CUT) for p in message.walk() for d in p.defects)
    except RecursionError:  # parts nested deeper than Python's parser goes
        raise ContentError(path, 1, f"{MHTML} whose parts are nested too deep to read; {_AGAIN}") from None
    snapshot = _address(message.get("Snapshot-Content-Location") or message.get("X-Snapshot-Content-Location"))
    start = email.utils.collapse_rfc2231_value(message.get_param("start") or "").strip().strip("<>")
    main = next((p for p in leaves if snapshot and _address(p.get("Content-Location")) == snapshot), None)
    main = main or next(
        (p for p in leaves if start and str(p.get("Content-ID", "")).strip().strip("<>") == start), None
    )
    main = main or next((p for p in leaves if p.get_content_type() in HTML_TYPES), None)
    if main is None or main.get_content_type() not in HTML_TYPES:
        if cut:
            raise ContentError(
                path,
                _last_line(data),
                f"{MHTML} that ends before the web page it holds (cut off while saving?); {_AGAIN}",
            )
        found = [main] if main is not None else leaves
        found = ", ".join(sorted({p.get_content_type() for p in found}))
        raise ContentError(path, 1, f"{MHTML} without a web page (it holds {found}); {_AGAIN}")
    line = _part_line(data, message, main)
    if cut and main is leaves[-1]:  # the parts after the page are the images: cut inside the page itself
        raise ContentError(
            path, _last_line(data), f"{MHTML} that ends inside its web page (cut off while saving?); {_AGAIN}"
        )
    html = main.get_payload(decode=True) or b""  # quoted-printable and base64 undone, 8bit and binary as they are
    if not html.strip():
        raise ContentError(path, line, f"{MHTML} whose web page (its part from this line) is empty; {_AGAIN}")
    charset = main.get_content_charset() or ""
    url = _address(main.get("Content-Location")) or snapshot or _address(message.get("Content-Location"))
    return SavedPage(html, charset, url, line, f"its {main.get_content_type()} part, from this line", MHTML)


def _address(value) -> str:
    """A header's address without the whitespace of a folded line."""
    return "".join(str(value or "").split())


def _part_line(data: bytes, message: email.message.Message, part: email.message.Message) -> int:
    """The line of the delimiter that opens the archive's part holding `part` (1 when it cannot be found)."""
    boundary = message.get_boundary()
    if not boundary or not message.is_multipart():
        return 1
    parts = message.get_payload()
    index = next((i for i, p in enumerate(parts) if any(leaf is part for leaf in p.walk())), -1)
    delimiter = re.compile(rb"^--" + re.escape(boundary.encode("ascii", "replace")) + rb"[ \t]*\r?$", re.M)
    for n, found in enumerate(delimiter.finditer(data)):
        if n == index:
            return data.count(b"\n", 0, found.start()) + 1
    return 1


def _webarchive(data: bytes, path: str) -> SavedPage:
    """The main resource of a Safari web archive (a property list): its data, encoding, address and type."""
    try:
        archive = plistlib.loads(data)
    except (ValueError, ExpatError, RecursionError):  # (plistlib's InvalidFileException is a ValueError)
        raise ContentError(
            path, 1, f"{WEBARCHIVE} that cannot be read (damaged, or cut off while saving?); {_AGAIN}"
        ) from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict):
        raise ContentError(
            path, 1, f"a property list that is no Safari web archive: it holds no WebMainResource; {_AGAIN}"
        )
    html, kind = main.get("WebResourceData"), str(main.get("WebResourceMIMEType") or "no type")
    if kind.split(";")[0].strip().lower() not in HTML_TYPES or not isinstance(html, bytes):
        raise ContentError(path, 1, f"{WEBARCHIVE} without a web page (its main resource is {kind}); {_AGAIN}")
    if not html.strip():
        raise ContentError(path, 1, f"{WEBARCHIVE} whose web page is empty; {_AGAIN}")
    charset, url = main.get("WebResourceTextEncodingName"), main.get("WebResourceURL")
    charset = charset if isinstance(charset, str) else ""
    return SavedPage(html, charset, _address(url), 1, "its WebMainResource", WEBARCHIVE)
