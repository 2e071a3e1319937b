"""`check`: everything a build validates, plus every internal link and #fragment, writing nothing.

Links are checked on the rendered pages in memory: each relative `href`/`src` must name an
output file, and each `#fragment` an id in the target page. That catches broken links from
layouts and content alike, including the ids features promise each other (p3, anm-…).
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .errors import BuildFailed, ContentError

SKIPPED_PREFIXES = ("pagefind/",)  # written by the search indexer after the pages


class _LinkParser(HTMLParser):
    """Ids and outgoing references (with their line) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        """Record the element's id and its href/src, if any."""
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for key in ("href", "src"):
            if values.get(key) is not None and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
                self.refs.append((self.getpos()[0], values[key]))

    handle_startendtag = handle_starttag


def parse_page(data: bytes) -> _LinkParser:
    """Ids and references of an HTML page."""
    parser = _LinkParser()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return parser


def resolve(page: str, href: str) -> tuple[str, str] | None:
    """(output path, fragment) a relative link from `page` names; None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return page, unquote(parts.fragment)
    if path.startswith("/"):
        return "/" + path, unquote(parts.fragment)  # root-relative: never portable
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/") or target == ".":
        target = posixpath.join("" if target == "." else target, "index.html")
    return target, unquote(parts.fragment)


def link_problems(outputs: dict[str, bytes], origin: dict[str, tuple[str, int]]) -> list[ContentError]:
    """Every relative link or fragment in the HTML outputs that names nothing.

    `origin` maps an output path to the (file, line) its problems are reported at."""
    pages = {path: parse_page(data) for path, data in sorted(outputs.items()) if path.endswith(".html")}
    problems = []
    for path, parsed in pages.items():
        where, line = origin.get(path, (path, 0))
        for html_line, href in parsed.refs:
            found = resolve(path, href)
            if found is None:
                continue
            target, fragment = found
            if target.startswith(SKIPPED_PREFIXES):
                continue
            message = None
            if target.startswith("/") or target.startswith("../") or target == "..":
                message = f"link '{href}' leaves the site or is root-relative; use a relative link"
            elif target not in outputs:
                message = f"link '{href}' names no page of the site ({target})"
            elif fragment and target in pages and fragment not in pages[target].ids:
                message = f"link '{href}': no element with id '{fragment}' in {target}"
            if message:
                problems.append(ContentError(where, line, f"{message} (page {path}, HTML line {html_line})"))
    return problems


def page_origins(planned) -> dict[str, tuple[str, int]]:
    """Output path -> the content file (or layout) that made it, for messages."""
    origins = {}
    for page in planned:
        origins[page.path] = (f"layouts/{page.template}", 0)
        for value in page.context.values():
            source = getattr(value, "source", None)
            if source is not None and hasattr(source, "path"):
                origins[page.path] = (source.path, getattr(source, "body_line", 0))
                break
    return origins


def run(options) -> list[ContentError]:
    """Every error and warning a build would meet, plus broken internal links; writes nothing."""
    from . import pipeline

    problems = pending_imports(options.root)
    try:
        outputs, planned, warnings = pipeline.render_site(options)
    except BuildFailed as failed:
        return sorted(set(problems + failed.errors))
    problems += warnings + link_problems(outputs, page_origins(planned))
    return sorted(set(problems))


def pending_imports(root) -> list[ContentError]:
    """Raw exports that the next build would import, as warnings (check imports nothing)."""
    from .ingest import store

    existing, _ = store.read_articles(root)  # their problems are reported when the articles are read
    known = set().union(*(e.files() for e in existing)) if existing else set()
    return [
        ContentError(
            f"sources/{path.name}",
            0,
            "raw export not imported yet (new or changed); run 'python build.py' to import it",
            "warning",
        )
        for path in store.source_files(root)
        if (f"sources/{path.name}", store.sha256(path.read_bytes())) not in known
    ]
