"""Web archives as browsers write them, made from saved pages: for the import's tests.

`chrome_mhtml` follows Blink's MHTMLArchive (Chrome, Edge: "Webpage, Single File"): the header block
(From: <Saved by Blink>, Snapshot-Content-Location, Subject in RFC 2047 where it is not ASCII, Date,
multipart/related with a ----MultipartBoundary-- boundary), each part opened by CRLF and the delimiter,
the page and its style sheet quoted-printable in lines of at most 76 characters (=\\r\\n soft breaks),
images in base64 lines of 76, CRLF line ends throughout. As Blink serialises the page, its charset
<meta> is replaced by one it writes first in <head>, the page stays in its own encoding (the part names
no charset) and its links are resolved against its address. Blink also leaves out the page's scripts,
JSON-LD among them; these archives keep them, so that the comparisons cover all a page declares.
`webarchive` is Safari's property list. tests/fixtures/web_pages/*.mhtml were written by `chrome_mhtml`.
"""

from __future__ import annotations

import base64
import plistlib
import re
from urllib.parse import urljoin

BOUNDARY = "----MultipartBoundary--Vx3PpKq9ZtLr8mWc2NhYd6Bs4GfJ7aTe1UoXiQ0kE5----"
DATE = "Wed, 4 Dec 2024 14:07:31 +0100"
FRAME = "<frame-5D0B9C1E8A7F4E2B9C3D1A6F0E8B7C2D@mhtml.blink>"
CSS_ID = "css-0b4f5a2e-7c1d-4e8a-9f3b-2d6c8e1a5b7f@mhtml.blink"
CSS = b"""@charset "utf-8";\n\nbody { margin: 0px; font-family: Georgia, serif; }\n\n.article__headline \
{ font-size: 2.4rem; line-height: 1.15; }\n\n.paywall { display: none !important; }\n\nfigcaption::before \
{ content: "Foto: "; color: rgb(102, 102, 102); }\n"""
PNG = (
    base64.b64decode(  # a 1x1 transparent PNG, repeated into an image of some size
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    * 40
)


def quoted_printable(data: bytes, header: bool = False) -> bytes:
    """Blink's QuotedPrintableEncode: line ends as CRLF, '=' and bytes beyond ASCII as =XX, soft breaks at 76."""
    out, line, i, limit = bytearray(b"=?utf-8?Q?" if header else b""), 0, 0, 76 - (12 if header else 0)
    while i < len(data):
        char, last = data[i], i == len(data) - 1
        ending = 0 if last else _line_ending(data, i)
        if ending:
            out += b"\r\n"
            line, i = 0, i + ending
            continue
        encode = (char < 0x20 or char > 0x7E or char == 0x3D) and char != 0x09
        if char in (0x20, 0x09):
            encode = header or last or bool(_line_ending(data, i + 1))
        width = (3 if encode else 1) + (0 if last else 1)
        if line + width > limit:
            out += b"?=\r\n =?utf-8?Q?" if header else b"=\r\n"
            line = 0
        out += b"=%02X" % char if encode else bytes([char])
        line += 3 if encode else 1
        i += 1
    return bytes(out + (b"?=" if header else b""))


def _line_ending(data: bytes, i: int) -> int:
    """The length of the line end at data[i]: LF, CR or CRLF (0: none)."""
    if data[i] == 0x0A:
        return 1
    if data[i] == 0x0D:
        return 2 if data[i + 1 : i + 2] == b"\n" else 1
    return 0


def subject(title: str) -> str:
    """The Subject header as Blink writes the page's title: as it is when printable ASCII, else RFC 2047."""
    if all(" " <= c <= "~" for c in title):
        return title
    return quoted_printable(title.encode("utf-8"), header=True).decode("ascii")


def serialised(html: bytes, charset: str, url: str) -> bytes:
    """The page as Blink serialises it into an archive (see the module's docstring)."""
    html = re.sub(rb"<meta[^>]*charset[^>]*>[ \t]*\r?\n?", b"", html, flags=re.I)
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=' + charset.encode() + b'">'
    html = re.sub(rb"<head(\s[^>]*)?>", lambda m: m.group(0) + meta, html, count=1, flags=re.I)

    def resolved(match: re.Match) -> bytes:
        value = match.group(2).decode("latin-1")
        if value.startswith(("http:", "https:", "data:", "mailto:", "javascript:")):
            return match.group(0)
        return match.group(1) + b'="' + urljoin(url, value).encode("latin-1") + b'"'

    return re.sub(rb'\b(href|src)="([^"]*)"', resolved, html)


def part(kind: str, content_id: str, encoding: str, location: str, data: bytes) -> bytes:
    """One part as Blink writes it: CRLF, the delimiter, its headers, a blank line, the encoded data."""
    head = f"\r\n--{BOUNDARY}\r\nContent-Type: {kind}\r\n"
    head += f"Content-ID: {content_id}\r\n" if content_id else ""
    head += f"Content-Transfer-Encoding: {encoding}\r\nContent-Location: {location}\r\n\r\n"
    if encoding == "quoted-printable":
        body = quoted_printable(data)
    elif encoding == "base64":
        encoded = base64.b64encode(data)
        body = b"".join(encoded[i : i + 76] + b"\r\n" for i in range(0, len(encoded), 76))
    else:
        body = data
    return head.encode("ascii") + body


def chrome_mhtml(html: bytes, url: str, title: str, charset: str = "UTF-8", page_part: bytes | None = None) -> bytes:
    """The page saved by Chrome as "Webpage, Single File": the page, a style sheet and an image.

    `page_part` replaces the page's part as written (for archives that are broken in it)."""
    header = (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\nSubject: {subject(title)}\r\n"
        f'Date: {DATE}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        f'\tboundary="{BOUNDARY}"\r\n\r\n'
    ).encode("ascii")
    page = part("text/html", FRAME, "quoted-printable", url, serialised(html, charset, url))
    return (
        header
        + (page if page_part is None else page_part)
        + part("text/css", f"<{CSS_ID}>", "quoted-printable", f"cid:{CSS_ID}", CSS)
        + part("image/png", "", "base64", urljoin(url, "/images/aufmacher-1200.png"), PNG)
        + f"\r\n--{BOUNDARY}--\r\n".encode("ascii")
    )


def webarchive(html: bytes, url: str, encoding: str = "UTF-8", kind: str = "text/html") -> bytes:
    """The page saved by Safari as a web archive (a binary property list), with an image beside it."""
    image = {"WebResourceData": PNG, "WebResourceMIMEType": "image/png", "WebResourceURL": urljoin(url, "/i.png")}
    main = {
        "WebResourceData": html,
        "WebResourceFrameName": "",
        "WebResourceMIMEType": kind,
        "WebResourceTextEncodingName": encoding,
        "WebResourceURL": url,
    }
    return plistlib.dumps({"WebMainResource": main, "WebSubresources": [image]}, fmt=plistlib.FMT_BINARY)
