"""Web pages saved as one archive (Chrome's and Edge's .mhtml, Internet Explorer's .mht, Safari's .webarchive)
import as the same page saved as "Web page, HTML only" does; a page saved "complete" imports without its
_files folder; an archive that holds no readable page is refused by the real build at its file and line,
without a traceback and with content/ and site/ unchanged, and reading one is bounded by its size."""

from __future__ import annotations

import base64
import plistlib
import random
import re
import shutil
import time
from pathlib import Path

import pytest
from archive_files import BOUNDARY, DATE, FRAME, PNG, chrome_mhtml, part, quoted_printable, serialised, webarchive
from test_errors_battery import built_copy, changeable_copy, refused, run

from dossier.content import frontmatter
from dossier.errors import ContentError
from dossier.ingest import import_sources, read_source
from dossier.ingest.page_kind import NotAnArticle

PAGES = Path(__file__).resolve().parent / "fixtures" / "web_pages"
ARTICLES = Path("content/articles")
SPIEGEL = "https://www.spiegel.de/ausland/nato-treffen-in-bruessel-rutte-fordert-mehr-geld-a-1234abcd"
ROETTGEN = (
    "https://www.maerkische-nachrichten.example/politik/roettgen-kritisiert-debatte-ueber-friedenstruppen-100.html"
)
FAZ = "https://www.faz.net/aktuell/politik/ausland/nato-aussenminister-baerbock-wirbt-fuer-sicherheitsgarantien-110152345.html"
SAVED = {  # fixture: (the address it was saved from, its charset as Chrome and Safari name it, title, authors)
    "outlet_spiegel": (
        SPIEGEL,
        "UTF-8",
        "Rutte fordert mehr Geld für Verteidigung",
        ["Markus Becker", "Paul-Anton Krüger"],
    ),
    "windows_1252": (ROETTGEN, "windows-1252", "Röttgen kritisiert Debatte über Friedenstruppen", ["Jörg Müßig"]),
    "outlet_faz_latin1": (FAZ, "windows-1252", "Baerbock wirbt für Sicherheitsgarantien", ["Thomas Gutschker"]),
}


def html_only(name: str) -> bytes:
    """The fixture page as Chrome's "Web page, HTML only" saves it: the address it came from, then the page."""
    url = SAVED[name][0]
    return f"<!-- saved from url=({len(url):04d}){url} -->\n".encode() + (PAGES / f"{name}.html").read_bytes()


def mhtml(name: str) -> bytes:
    """The fixture page saved by Chrome as "Webpage, Single File" (tests/fixtures/web_pages/<name>.mhtml)."""
    return (PAGES / f"{name}.mhtml").read_bytes()


def safari(name: str, **kwargs) -> bytes:
    """The fixture page saved by Safari as a web archive."""
    url, charset = SAVED[name][:2]
    return webarchive((PAGES / f"{name}.html").read_bytes(), url, charset, **kwargs)


def imported(root: Path, files: dict[str, bytes]) -> dict[str, tuple[dict, str, list[dict]]]:
    """The article files the import writes for a sources/ folder holding the given files: by name, their front
    matter without provenance, their body, and their provenance entries without the raw file's name and hash."""
    (root / "sources").mkdir(parents=True)
    for name, data in files.items():
        (root / "sources" / name).write_bytes(data)
    report = import_sources(root)
    assert [str(w) for w in report.warnings if "no author or publisher" not in w.message] == []
    found = {}
    for path in sorted((root / ARTICLES).glob("*.md")):
        doc = frontmatter.parse(path.read_text(encoding="utf-8"), path.name)
        meta = {k: v for k, v in doc.meta.items() if k not in ("provenance", "imported")}
        sources = [{k: v for k, v in e.items() if k not in ("file", "sha256")} for e in doc.meta["provenance"]]
        found[path.name] = (meta, doc.body, sources)
    return found


def fields(raw) -> dict:
    """What a raw export gave, but the hash of its bytes."""
    return {k: v for k, v in vars(raw).items() if k not in ("path", "sha256")}


def last_line(data: bytes) -> int:
    return len(data.rstrip(b"\r\n").split(b"\n"))


def line_of(data: bytes, mark: bytes, nth: int = 0) -> int:
    """The line on which the nth occurrence of mark starts."""
    at = -1
    for _ in range(nth + 1):
        at = data.index(mark, at + 1)
    return data.count(b"\n", 0, at) + 1


# 1. An archive imports as the page saved as HTML


@pytest.mark.parametrize("saved_as", ["mhtml", "webarchive"])
@pytest.mark.parametrize("name", SAVED)
def test_a_page_saved_as_one_archive_imports_as_the_same_page_saved_as_html(tmp_path, name, saved_as):
    archive = mhtml(name) if saved_as == "mhtml" else safari(name)
    from_archive = imported(tmp_path / "archive", {f"seite.{saved_as}": archive})
    from_html = imported(tmp_path / "html", {"seite.html": html_only(name)})
    assert from_archive == from_html and len(from_archive) == 1
    [(meta, body, [source])] = from_archive.values()
    url, charset, title, authors = SAVED[name]
    assert (meta["title"], meta["authors"], meta["source_url"]) == (title, authors, url)
    assert str(meta["date"]) == "2024-12-04" and len(body.split("\n\n")) >= 4
    assert source["format"] == "web-page" and source.get("encoding", "utf-8") == charset.lower()


def test_the_archives_address_is_the_source_url_where_the_page_names_none_and_never_overrides_its_canonical():
    plain, _ = read_source("sources/seite.html", (PAGES / "windows_1252.html").read_bytes())
    assert plain.source_url == ""  # the page names no address of its own: the archive's is taken
    assert read_source("sources/seite.mhtml", mhtml("windows_1252"))[0].source_url == ROETTGEN
    spiegel = (PAGES / "outlet_spiegel.html").read_bytes()
    tracked = f"{SPIEGEL}?utm_source=pocket&utm_medium=rss#ref=startseite"
    raw, _ = read_source("sources/seite.mhtml", chrome_mhtml(spiegel, tracked, "Rutte fordert mehr Geld"))
    assert raw.source_url == SPIEGEL  # the page's canonical link wins
    raw, _ = read_source("sources/seite.webarchive", webarchive(spiegel, tracked))
    assert raw.source_url == SPIEGEL


def internet_explorer(html: bytes, url: str, charset: str) -> bytes:
    """The page as Internet Explorer saves it ("Web Archive, single file (*.mht)"): the page as it came,
    its charset named on its part, no Snapshot-Content-Location, a preamble."""
    boundary = "----=_NextPart_000_0000_01DB4641.5A7F3B20"
    return (
        (
            "From: <Saved by Windows Internet Explorer 8>\r\nSubject: Seite\r\nDate: " + DATE + "\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
            f'\tboundary="{boundary}"\r\nX-MimeOLE: Produced By Microsoft MimeOLE V6.1.7601.24158\r\n\r\n'
            f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\nContent-Type: text/html;\r\n"
            f'\tcharset="{charset}"\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n'
        ).encode()
        + quoted_printable(html)
        + f"\r\n\r\n--{boundary}--\r\n".encode()
    )


def word(html: bytes, url: str) -> bytes:
    """An archive that opens with MIME-Version (Word's "Single File Web Page", older Outlook): a frame's
    page first, the page itself named by the `start` parameter."""
    frame = b"<html><head><title>Anzeige</title></head><body><p>Anzeige</p></body></html>"
    return (
        (
            b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01DB4641"; '
            b'type="text/html"; start="<seite@archiv>"\r\n\r\n------=_NextPart_01DB4641\r\nContent-Type: text/html\r\n'
            b"Content-Location: https://werbung.example/frame.html\r\n\r\n"
        )
        + frame
        + (
            '\r\n------=_NextPart_01DB4641\r\nContent-Type: text/html; charset="windows-1252"\r\n'
            f"Content-ID: <seite@archiv>\r\nContent-Transfer-Encoding: base64\r\nContent-Location: {url}\r\n\r\n"
        ).encode()
        + base64.encodebytes(html)
        + b"\r\n------=_NextPart_01DB4641--\r\n"
    )


def page_part(encoding: str, data: bytes | None = None, kind: str = "text/html") -> bytes:
    """The page's part of windows_1252.mhtml written otherwise (its data as Chrome serialises it)."""
    html = serialised((PAGES / "windows_1252.html").read_bytes(), "windows-1252", ROETTGEN)
    return part(kind, FRAME, encoding, ROETTGEN, html if data is None else data)


ORIGINAL = (PAGES / "windows_1252.html").read_bytes()
WRITTEN_OTHERWISE = {
    "with LF line ends (converted by an editor or by git)": mhtml("windows_1252").replace(b"\r\n", b"\n"),
    "its page in base64": chrome_mhtml(ORIGINAL, ROETTGEN, "Röttgen", page_part=page_part("base64")),
    "its page unencoded (binary)": chrome_mhtml(ORIGINAL, ROETTGEN, "Röttgen", page_part=page_part("binary")),
    "a wrong charset on its part": chrome_mhtml(
        ORIGINAL, ROETTGEN, "Röttgen", page_part=page_part("quoted-printable", kind='text/html; charset="utf-8"')
    ),
    "by Internet Explorer, the charset on its part": internet_explorer(ORIGINAL, ROETTGEN, "windows-1252"),
    "by Word, the page named by its start parameter": word(ORIGINAL, ROETTGEN),
    "by Safari, naming Latin-1": webarchive(ORIGINAL, ROETTGEN, "ISO-8859-1"),
    "by Safari, naming no encoding": webarchive(ORIGINAL, ROETTGEN, ""),
    "by Safari, as an XML property list": plistlib.dumps(plistlib.loads(webarchive(ORIGINAL, ROETTGEN))),
}


@pytest.mark.parametrize("how", WRITTEN_OTHERWISE)
def test_an_archive_written_otherwise_gives_the_same_article(how):
    expected, _ = read_source("sources/seite.mhtml", mhtml("windows_1252"))
    raw, warnings = read_source("sources/seite.mhtml", WRITTEN_OTHERWISE[how])
    assert warnings == [] and fields(raw) == fields(expected)
    assert raw.encoding == "windows-1252" and raw.title == "Röttgen kritisiert Debatte über Friedenstruppen"


# 2. A page that holds no article, a page saved "complete"


@pytest.mark.parametrize("name", ["error_page.html", "server_404.html", "consent_wall.html"])
def test_an_archived_page_that_holds_no_article_gives_the_warning_the_page_saved_as_html_gives(tmp_path, name):
    html = (PAGES / name).read_bytes()
    with pytest.raises(NotAnArticle) as as_html:
        read_source("sources/seite.mhtml", html)
    for archive in (chrome_mhtml(html, "https://www.ostsee-echo.example/x", "Seite"), webarchive(html, "")):
        with pytest.raises(NotAnArticle) as from_archive:
            read_source("sources/seite.mhtml", archive)
        assert str(from_archive.value) == str(as_html.value)
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "seite.mhtml").write_bytes(chrome_mhtml(html, "https://www.ostsee-echo.example/x", "Seite"))
    report = import_sources(root)
    assert [str(w) for w in report.warnings] == [str(as_html.value)] and report.written == []


COMPLETE = "Nato-Außenminister_ Streit über Einladung an die Ukraine _ ZEIT ONLINE"
FOLDER_FILES = {  # what "Web page, complete" writes beside the page (Firefox and Chrome alike)
    "bundle.js": b"!function(){window.dataLayer=window.dataLayer||[]}();\n",
    "main.css": b"body{margin:0}.article-body p{font-size:1.1rem}\n",
    "aufmacher.png": PNG,
    "saved_resource.html": b"<!DOCTYPE html><html><head><title>Anzeige</title></head><body><p>Anzeige</p></body></html>",
    "analytics.js.download": bytes(range(256)) * 4,
    "fonts/tablet-gothic.woff2": b"wOF2\x00\x01\x00\x00" + bytes(200),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory.mktemp("archives") / "project")


@pytest.fixture
def project(seeded, tmp_path) -> Path:
    return changeable_copy(seeded, tmp_path / "project")


def test_a_page_saved_complete_imports_without_its_files_folder(project):
    shutil.copy(PAGES / "outlet_zeit_complete.html", project / "sources" / f"{COMPLETE}.html")
    for name, data in FOLDER_FILES.items():
        (project / "sources" / f"{COMPLETE}_files" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "sources" / f"{COMPLETE}_files" / name).write_bytes(data)
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "_files" not in result.stdout + result.stderr
    assert (
        f"sources/{COMPLETE}.html: new article content/articles/streit-ueber-einladung-an-die-ukraine.md"
        in result.stdout
    )
    again = run(project)  # nothing new: the folder's files are no raw exports waiting to be imported
    assert again.returncode == 0 and "new article" not in again.stdout and "_files" not in again.stderr
    check = run(project, "check")
    assert check.returncode == 0 and "_files" not in check.stdout + check.stderr


def test_the_build_imports_archives_and_compares_them_with_the_article(project):
    (project / "sources" / "faz.mhtml").write_bytes(mhtml("outlet_faz_latin1"))
    (project / "sources" / "roettgen.webarchive").write_bytes(safari("windows_1252"))
    result = run(project)
    assert result.returncode == 0, result.stderr
    for source, slug in (
        ("faz.mhtml", "baerbock-wirbt-fuer-sicherheitsgarantien"),
        ("roettgen.webarchive", "roettgen-kritisiert-debatte-ueber-friedenstruppen"),
    ):
        assert f"sources/{source}: new article content/articles/{slug}.md" in result.stdout
        compared = (project / "site/artikel" / slug / "vergleich/index.html").read_text(encoding="utf-8")
        assert f"Rohdatei {source}" in compared and "nicht (mehr) lesbar" not in compared


# 3. An archive that holds no readable page is refused


CHROME = mhtml("windows_1252")
PAGE, CSS, IMAGE, END = (m.start() for m in re.finditer(re.escape(b"\r\n--" + BOUNDARY.encode()), CHROME))
SAFARI = safari("windows_1252")
NOISE = bytes(random.Random(7).randrange(256) for _ in range(4000))
AGAIN = "save the article's page again from the browser, or delete the file"
REFUSED = {  # what the file is: (its bytes, the line named (None: its last; "page": its page's part), what it says)
    "cut off after its header": (CHROME[:PAGE], None, "a web archive (.mhtml) that ends before the web page"),
    "cut off in its header": (
        b"From: <Saved by Blink>\nSnapshot-Content-Location: https://x.example/\nMIME-Version: 1.0\n",
        None,
        "a web archive (.mhtml) that ends before the web page",
    ),
    "cut off inside its page": (
        CHROME[: (PAGE + CSS) // 2],
        None,
        "a web archive (.mhtml) that ends inside its web page",
    ),
    "holding only a style sheet and an image": (
        CHROME[:PAGE] + CHROME[CSS:],
        1,
        "a web archive (.mhtml) without a web page (it holds image/png, text/css)",
    ),
    "whose page is binary data": (
        chrome_mhtml(ORIGINAL, ROETTGEN, "R", page_part=page_part("base64", NOISE)),
        "page",
        "a web archive (.mhtml) whose web page (its text/html part, from this line) is no text",
    ),
    "whose page is empty": (
        chrome_mhtml(ORIGINAL, ROETTGEN, "R", page_part=page_part("quoted-printable", b"\r\n")),
        "page",
        "a web archive (.mhtml) whose web page (its part from this line) is empty",
    ),
    "a damaged Safari web archive": (
        SAFARI[: len(SAFARI) // 2],
        1,
        "a Safari web archive (.webarchive) that cannot be read",
    ),
    "a Safari web archive of an image": (
        safari("windows_1252", kind="image/jpeg"),
        1,
        "a Safari web archive (.webarchive) without a web page (its main resource is image/jpeg)",
    ),
    "a property list that is no web archive": (
        plistlib.dumps({"WebHistoryDates": []}, fmt=plistlib.FMT_BINARY),
        1,
        "a property list that is no Safari web archive: it holds no WebMainResource",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_an_archive_that_holds_no_readable_page_is_refused_at_its_line(project, case):
    data, line, says = REFUSED[case]
    name = "seite.webarchive" if data.startswith(b"bplist") else "seite.mhtml"
    (project / "sources" / name).write_bytes(data)
    line = line_of(data, b"--" + BOUNDARY.encode()) if line == "page" else line or last_line(data)
    err = refused(project, where=f"sources/{name}:{line}: {says}", says=(AGAIN,))
    assert err.count(f"sources/{name}") == 1


# 4. Reading an archive is bounded by its size


def bounded(data: bytes, seconds: float = 20):
    """read_source on the data, within the given time."""
    start = time.monotonic()
    try:
        return read_source("sources/gross.mhtml", data)
    finally:
        assert time.monotonic() - start < seconds


def test_a_20_mb_image_after_the_page_whose_boundary_never_closes_imports_the_page_in_time():
    image = part("image/jpeg", "", "base64", "https://x.example/foto.jpg", random.Random(1).randbytes(15_000_000))
    data = CHROME[:CSS] + image  # and no closing delimiter
    assert len(data) > 20_000_000
    raw, _ = bounded(data)
    assert fields(raw) == fields(read_source("sources/seite.mhtml", CHROME)[0])


def test_an_archive_over_32_mb_is_refused_before_it_is_parsed_as_a_50_mb_one_is():
    image = part("image/jpeg", "", "base64", "https://x.example/foto.jpg", bytes(37_000_000))
    with pytest.raises(ContentError, match=r"a web archive \(\.mhtml\) of 48 MB, more than .* \(at most 32 MB\)"):
        bounded(CHROME[:CSS] + image, seconds=2)
    with pytest.raises(ContentError, match=r"a Safari web archive \(\.webarchive\) of 35 MB, more than"):
        bounded(webarchive(ORIGINAL + bytes(37_000_000), ROETTGEN), seconds=2)


def test_an_archive_whose_page_is_over_10_mb_is_refused_at_the_page_as_a_page_saved_as_html_is():
    page = ORIGINAL.replace(b"</body>", b"<!-- " + b"Kommentar " * 1_300_000 + b" --></body>")
    with pytest.raises(ContentError, match=r"^sources/gross\.mhtml:1: 12 MB is more than one article's raw export"):
        bounded(page, seconds=2)
    data = chrome_mhtml(ORIGINAL, ROETTGEN, "R", page_part=part("text/html", FRAME, "base64", ROETTGEN, page))
    with pytest.raises(ContentError) as refusal:
        bounded(data, seconds=5)
    assert str(refusal.value).startswith(
        f"sources/gross.mhtml:{line_of(data, b'--' + BOUNDARY.encode())}: its web page: 12 MB is more than one "
        "article's raw export can be (at most 10 MB): save the article's page alone ('Web page, HTML only'"
    )


def nested_plist(depth: int) -> bytes:
    """A binary property list of arrays each holding the next, deeper than any parser recurses."""
    objects = [b"\xa1" + (i + 1).to_bytes(4, "big") for i in range(depth)] + [b"\x08"]
    offsets = [8 + 5 * i for i in range(len(objects))]
    table = b"".join(o.to_bytes(4, "big") for o in offsets)
    trailer = (
        bytes(6) + bytes([4, 4]) + len(objects).to_bytes(8, "big") + bytes(8) + (8 + 5 * depth + 1).to_bytes(8, "big")
    )
    return b"bplist00" + b"".join(objects) + table + trailer


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (CHROME[:400] + b"\r\n--x\r\n" * (100_001), "of more than 100,000 parts"),
        (
            b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b0"\r\n\r\n'
            + b"".join(
                f'--b{i}\r\nContent-Type: multipart/related; boundary="b{i + 1}"\r\n\r\n'.encode() for i in range(5000)
            ),
            "nested too deep to read",
        ),
        (nested_plist(100_000), "cannot be read"),
    ],
)
def test_a_malicious_archive_is_refused_in_time_without_a_traceback(data, says):
    with pytest.raises(ContentError, match=says) as refusal:
        bounded(data)
    assert refusal.value.line == 1 and refusal.value.severity == "error"
