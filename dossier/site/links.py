"""Every internal link and #fragment of the rendered pages checked (for `check`).

Links are checked on the rendered pages in memory: each relative `href`/`src` must name an
output file, and each `#fragment` an id in the target page. A problem is reported at the
page's content file, or at the file an enclosing element names in `data-source="path:line"`
(an annotation's note, for instance). That catches broken links from
layouts and content alike, including the ids features promise each other (p3, anm-…).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from difflib import get_close_matches
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from ..errors import ContentError
from .urls import SEARCH_FOLDER, SECTIONS

SKIPPED_PREFIXES = (SEARCH_FOLDER,)  # written by the search indexer after the pages


class _LinkParser(HTMLParser):
    """Ids and outgoing references (with their line) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str]] = []  # (HTML line, href, data-source around it or "")
        self.sources: list[list] = []  # open elements with data-source: [tag, depth, source]

    def handle_starttag(self, tag, attrs):
        """Record the element's id, its href/src, and the content file it came from, if it says."""
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        source = values.get("data-source") or (self.sources[-1][2] if self.sources else "")
        for key in ("href", "src"):
            if values.get(key) is not None and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
                self.refs.append((self.getpos()[0], values[key], source))
        if values.get("data-source"):
            self.sources.append([tag, 0, values["data-source"]])
        elif self.sources and self.sources[-1][0] == tag:
            self.sources[-1][1] += 1

    def handle_startendtag(self, tag, attrs):
        """A self-closing element: its id and reference only."""
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key) is not None:
                self.refs.append((self.getpos()[0], values[key], self.sources[-1][2] if self.sources else ""))

    def handle_endtag(self, tag):
        """Leave an element that named its content file."""
        if self.sources and self.sources[-1][0] == tag:
            if self.sources[-1][1]:
                self.sources[-1][1] -= 1
            else:
                self.sources.pop()


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


def _leaves(target: str) -> bool:
    """Whether a resolved link target lies outside the site, or is root-relative."""
    return target.startswith("/") or target.startswith("../") or target == ".."


def fragment_message(href: str, fragment: str, target: str, ids: frozenset[str] | set[str]) -> str:
    """'link 'x#nope': no element with id 'nope' in x (did you mean '#p1'?)'."""
    near = get_close_matches(fragment, sorted(ids), n=1)
    hint = f" (did you mean '#{near[0]}'?)" if near else "; link to the page without '#…', or to an id it has"
    return f"link '{href}': no element with id '{fragment}' in {target}{hint}"


def _problem(where: tuple[str, int], source: str, message: str, path: str, html_line: int) -> ContentError:
    """A link problem at the content file (and line) the link came from, naming its page once."""
    at, at_line = _split_source(source) if source else where
    return ContentError(at, at_line, f"{message} (page {path}, HTML line {html_line})")


def link_problems(outputs: dict[str, bytes], origin: dict[str, tuple[str, int]]) -> list[ContentError]:
    """Every relative link or fragment in the HTML outputs that names nothing.

    `origin` maps an output path to the (file, line) its problems are reported at."""
    pages = {path: parse_page(data) for path, data in sorted(outputs.items()) if path.endswith(".html")}
    problems = []
    for path, parsed in pages.items():
        where = origin.get(path, (path, 0))
        for html_line, href, source in parsed.refs:
            found = resolve(path, href)
            if found is None:
                continue
            target, fragment = found
            if target.startswith(SKIPPED_PREFIXES):
                continue
            message = None
            if _leaves(target):
                message = f"link '{href}' leaves the site or is root-relative; use a relative link"
            elif target not in outputs:
                message = f"link '{href}' names no page of the site ({target})"
            elif fragment and target in pages and fragment not in pages[target].ids:
                message = fragment_message(href, fragment, target, pages[target].ids)
            if message:
                problems.append(_problem(where, source, message, path, html_line))
    return problems


@dataclass(frozen=True)
class PageLinks:
    """What the build keeps of a rendered page to check #fragment links: its ids, and its internal
    links with a fragment as (href, target path, fragment)."""

    ids: frozenset[str]
    fragments: tuple[tuple[str, str, str], ...]


# An id (or an <a>'s name) and a link with a #fragment, each as an attribute, double or single quoted; `_tag`
# tells whether it stands inside a tag (a literal word in a text never has its quote marks unescaped).
_IDS = re.compile(r"""\s(id|name)=(?:"([^"]*)"|'([^']*)')""")
_FRAGMENT_REFS = re.compile(r"""\s(?:href|src)=(?:"([^"#]*#[^"]*)"|'([^'#]*#[^']*)')""")


def _tag(text: str, at: int) -> str:
    """The start of the tag (from its '<' on) that position `at` lies in, or '' when it lies in no tag: the
    last '<' before it opens an element (a letter follows) and no '>' closes it before `at`."""
    start = text.rfind("<", 0, at)
    if start < 0 or text.rfind(">", start, at) >= 0 or not text[start + 1 : start + 2].isalpha():
        return ""
    return text[start : start + 3]


def _ids(text: str) -> frozenset[str]:
    """The ids of a page's elements (and the names of its <a> elements)."""
    found = set()
    for match in _IDS.finditer(text):
        tag = _tag(text, match.start())
        if tag and (match.group(1) == "id" or (tag[1] == "a" and tag[2:3].isspace())):
            found.add(unescape(match.group(2) if match.group(2) is not None else match.group(3)))
    return frozenset(found) - {""}


def _resolver(page: str):
    """`resolve` for the links of one page, each link's path worked out once (a page links hundreds of
    fragments of a few pages); a link with a scheme, query or '//' goes through `resolve` itself."""
    known: dict[str, tuple[str, str] | None] = {}

    def resolved(href: str) -> tuple[str, str] | None:
        path, _, fragment = href.partition("#")
        if ":" in path or "?" in path or path.startswith("//") or href != href.strip() or not href.isprintable():
            return resolve(page, href)
        if path not in known:
            found = resolve(page, path)
            known[path] = None if found is None else found[0]
        target = known[path]
        return None if target is None else (target, unquote(fragment) if "%" in fragment else fragment)

    return resolved


def page_links(path: str, data: bytes) -> PageLinks:
    """The ids and outgoing internal #fragment links of one rendered HTML page, found fast (a pattern
    over its tags, a tenth of the parser's time); `fragment_problems` parses a page in full only when one
    of its links is dead, so messages are those of `check`. Attributes of the dossier's HTML are quoted."""
    text = data.decode("utf-8", errors="replace")
    ids = _ids(text)
    fragments = set()
    resolved = _resolver(path)
    for match in _FRAGMENT_REFS.finditer(text):
        if not _tag(text, match.start()):
            continue
        href = unescape(match.group(1) or match.group(2) or "")
        found = resolved(href)
        if found is None or not found[1] or found[0].startswith(SKIPPED_PREFIXES) or _leaves(found[0]):
            continue
        fragments.add((href, *found))
    return PageLinks(ids, tuple(sorted(fragments)))


def dead_fragments(pages: dict[str, PageLinks]) -> list[str]:
    """The pages with a #fragment link that names no id of its target page."""
    return [
        path
        for path, links in sorted(pages.items())
        if any(target in pages and fragment not in pages[target].ids for _, target, fragment in links.fragments)
    ]


def fragment_problems(
    path: str, data: bytes, pages: dict[str, PageLinks], origin: dict[str, tuple[str, int]]
) -> list[ContentError]:
    """The dead #fragment links of one page (its bytes parsed in full), with the messages `link_problems`
    gives: at the link's content file and line, naming the page once."""
    problems = []
    for html_line, href, source in parse_page(data).refs:
        found = resolve(path, href)
        if found is None or not found[1] or found[0] not in pages:
            continue
        target, fragment = found
        if fragment not in pages[target].ids and not target.startswith(SKIPPED_PREFIXES):
            message = fragment_message(href, fragment, target, pages[target].ids)
            problems.append(_problem(origin.get(path, (path, 0)), source, message, path, html_line))
    if not problems:  # the parser reads an attribute differently than the fast pattern did: say it anyway
        for href, target, fragment in pages[path].fragments:
            if target in pages and fragment not in pages[target].ids:
                message = fragment_message(href, fragment, target, pages[target].ids)
                problems.append(_problem(origin.get(path, (path, 0)), "", message, path, 0))
    return problems


def _split_source(source: str) -> tuple[str, int]:
    """'content/annotations/x.md:9' -> ('content/annotations/x.md', 9)."""
    path, _, line = source.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (source, 0)


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


def beside_refused(errors: list[ContentError]) -> list[ContentError]:
    """`errors` without the "link to nowhere" ones that only follow from an article file with errors of
    its own (refused, so it has no page): one mistake, one error."""
    articles = "content/articles/"
    refused = {
        e.path[len(articles) :].removesuffix(".md")
        for e in errors
        if e.path.startswith(articles) and e.severity == "error"
    }
    refused = {stem for stem in refused if "/" not in stem} - {""}

    def follows(error: ContentError) -> bool:
        if not error.message.startswith("link to nowhere: '"):
            return False
        href = error.message.split("'", 2)[1].partition("#")[0]
        parts = [p for p in href.split("/") if p not in ("", ".", "..")]
        return len(parts) >= 2 and parts[0] == SECTIONS["article"] and parts[1] in refused

    return [e for e in errors if not follows(e)] if refused else errors


def body_errors(planned) -> list[ContentError]:
    """The link problems of every article body (rendered only for this), to report with other problems."""
    return [e for page in planned if page.body is not None for e in page.body.render()[1]]
