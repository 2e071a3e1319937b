"""The one place that knows output paths and turns them into relative or absolute URLs.

Every output path is POSIX, relative to site/, and names a file (``artikel/x/index.html``).
Pages link to each other relatively, so the same site/ works at a domain root, under a
project subpath and from disk. With ``portable`` links (the default) a link to a folder
page names its ``index.html``, which file:// needs; with pretty links it ends in ``/``.
"""

from __future__ import annotations

import posixpath

HOME = "index.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
WEB_ANNOTATIONS = "anmerkungen/annotations.jsonld"  # every annotation as a W3C Web Annotation collection
STYLESHEET = "static/dossier.css"
COMPARE_STYLESHEET = "static/compare.css"  # only the comparison pages load it
PASSAGES_COMPARED = "vergleich/index.html"  # the shared passages, each linked to its versions side by side
FAVICON = "static/favicon.svg"
SEARCH_FOLDER = "pagefind/"  # the search index, written by Pagefind after the pages
SEARCH_STAMP = SEARCH_FOLDER + "dossier-digest.txt"  # digest of the pages the index was made from

SECTIONS = {
    "article": "artikel",
    "person": "personen",
    "organisation": "organisationen",
    "place": "orte",
    "topic": "themen",
}

INDEXES = {
    "articles": "artikel/index.html",
    "people": "personen/index.html",
    "topics": "themen/index.html",
    "timeline": "chronik/index.html",
    "quotes": "zitate/index.html",
    "sources": "quellen/index.html",
    "annotations": "anmerkungen/index.html",
    "search": "suche/index.html",
}


def entry(kind: str, slug: str) -> str:
    """Output path of one entry page: an article, a person, a topic…"""
    return f"{SECTIONS[kind]}/{slug}/index.html"


FEED_KINDS = ("topic", "person")  # entry pages with an Atom feed of their own, beside them


def entry_feed(kind: str, slug: str) -> str:
    """Output path of the Atom feed of one topic or person (``themen/<slug>/feed.xml``)."""
    if kind not in FEED_KINDS:
        raise ValueError(f"no feed for {kind} pages")
    return f"{SECTIONS[kind]}/{slug}/{FEED}"


def variants_compared(slug: str) -> str:
    """Output path of the page comparing an article's text with each raw export it was merged from."""
    return f"{SECTIONS['article']}/{slug}/vergleich/index.html"


def passage_compared(name: str) -> str:
    """Output path of the page showing a shared passage's versions side by side (`site.compare.passage_paths`)."""
    return f"vergleich/{name}/index.html"


QUOTES_ON_ONE_PAGE = 400  # quotation groups the quote index holds on one page; a larger one has a page per speaker
UNATTRIBUTED = "ohne-zuordnung"  # the page of the statements no speaker is known for, in a quote index split so


def quotes_apart(groups: int) -> bool:
    """Whether a quote index of this many quotation groups is split into one page per speaker."""
    return groups > QUOTES_ON_ONE_PAGE


def speaker_quotes(speaker) -> str:
    """Output path of one speaker's page of a split quote index (``zitate/personen/<slug>/index.html``; an
    entity or None, for the statements of no known speaker)."""
    if speaker is None:
        return f"zitate/{UNATTRIBUTED}/index.html"
    return f"zitate/{SECTIONS[speaker.kind]}/{speaker.slug}/index.html"


def quote_index(speaker, apart: bool) -> str:
    """The page of the quote index that holds a speaker's statements: the index itself, or the speaker's own
    page of it when it is split (`apart`)."""
    return speaker_quotes(speaker) if apart else INDEXES["quotes"]


def index(name: str) -> str:
    """Output path of a list page such as the timeline or the quote index."""
    return INDEXES[name]


def relative(from_path: str, to_path: str, *, portable: bool = True, fragment: str = "") -> str:
    """URL of `to_path` as seen from the page at `from_path`."""
    start = posixpath.dirname(from_path) or "."
    target = to_path
    if not portable and (to_path == "index.html" or to_path.endswith("/index.html")):
        target = to_path[: -len("index.html")] or "."
    url = _relpath(target, start)
    if target.endswith("/") or target == ".":
        url = url.rstrip("/") + "/" if url != "." else "./"
    return url + (f"#{fragment}" if fragment else "")


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the clean relative paths used here, without its abspath calls (hot path)."""
    if not target or not start:
        return posixpath.relpath(target, start)
    to, here = target.split("/"), start.split("/")
    if any(part in ("", ".", "..") for part in (*to, *here)):
        return posixpath.relpath(target, start)
    common = 0
    while common < len(to) and common < len(here) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def absolute(base_url: str, path: str, *, fragment: str = "") -> str:
    """Canonical absolute URL of an output path under the published base URL."""
    pretty = path[: -len("index.html")] if path.endswith("index.html") else path
    url = base_url.rstrip("/") + "/" + pretty
    return url + (f"#{fragment}" if fragment else "")
