"""Web pages saved from a browser (any outlet): the article's text via trafilatura, metadata as the page declares it.

A page that holds no article (a consent wall, a paywall teaser, an index or an error page)
raises NotAnArticle, a warning that names what was found instead.
"""

from __future__ import annotations

import re

from ..errors import ContentError
from .page_meta import ARTICLE_TYPES, LISTING_TYPES, PageMeta, clean, read_meta
from .raw import Block, Link, RawArticle
from .text import words

FORMAT = "web-page"
MIN_WORDS = 60  # fewer words than a short news item: not an article
_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONSENT = re.compile(
    r"cookie|einwillig|zustimm|datenschutz|consent|akzeptier|tracking|personalisiert|partner|widerruf", re.I
)
_PAYWALL = re.compile(
    r"\babo\b|abonn|weiterlesen|plus-artikel|\bplus\b|bereits ein abo|jetzt testen|registrier|digitalzugang|paywall",
    re.I,
)
_ERROR = re.compile(
    r"\b(404|410|nicht gefunden|not found|existiert nicht|gibt es (leider )?nicht|fehlerseite|page not found"
    r"|nicht (mehr )?verfügbar|error)\b",
    re.I,
)
_BYLINE = re.compile(r"^(von|by|text|autor(in|en)?|mitarbeit|quelle)\b[ :]", re.I)


class NotAnArticle(ContentError):
    """A saved page that holds no article: a warning, and no content file."""


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first bytes (<meta charset> or http-equiv), or ''."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else ""


def detect(text: str) -> bool:
    """Whether the text is an HTML page."""
    head = text.lstrip()[:4096]
    return head.startswith("<") and bool(_SNIFF.search(head))


def _segments(element, url: str | None = None) -> list[tuple[str, str | None]]:
    """(text, link target or None) pieces of one element of trafilatura's XML, in order."""
    pieces = [(element.text or "", url)]
    for child in element:
        target = url
        if child.tag == "ref" and url is None:
            target = child.get("target") or ""
        if child.tag == "lb":
            pieces.append((" ", url))
        else:
            pieces += _segments(child, target)
        pieces.append((child.tail or "", url))
    return pieces


def _inline(element, base_url: str) -> tuple[str, list[tuple[int, int, str]]]:
    """An element's text with whitespace collapsed, and the (start, end, url) of its links."""
    from urllib.parse import urljoin

    text, spans = "", []
    for piece, url in _segments(element):
        piece = re.sub(r"\s+", " ", piece)
        if not text or text.endswith(" "):
            piece = piece.lstrip()
        start = len(text)
        text += piece
        target = urljoin(base_url, url) if url and base_url else url or ""
        if url is not None and target.startswith(("http://", "https://")) and piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, start + len(piece.rstrip()), target))
    text = text.rstrip()
    return text, [(s, min(e, len(text)), u) for s, e, u in spans if s < min(e, len(text))]


def _blocks(main, base_url: str) -> tuple[list[Block], list[Link]]:
    """Paragraphs, subheadings, quotations and list items of trafilatura's <main>, with their links."""
    blocks: list[Block] = []
    links: list[Link] = []

    def add(kind: str, element) -> None:
        text, spans = _inline(element, base_url)
        if text:
            links.extend(Link(len(blocks), s, e, u) for s, e, u in spans)
            blocks.append(Block(kind, text))

    for element in main:
        if element.tag == "head":
            add("h", element)
        elif element.tag == "quote":
            parts = [p for p in element if p.tag == "p"]
            for part in parts or [element]:
                add("q", part)
        elif element.tag == "list":
            for item in element.iter("item"):
                add("li", item)
        elif element.tag in ("p", "code"):
            add("p", element)
    return blocks, links


def _same(a: str, b: str) -> bool:
    """Whether two texts have the same words."""
    return bool(a) and words(a) == words(b)


def _trim(blocks: list[Block], links: list[Link], meta: PageMeta) -> tuple[list[Block], list[Link]]:
    """The body without what the front matter already says: headline, teaser, byline, date line."""
    headline = f"{meta.kicker} {meta.title}"
    repeats = {"h": (meta.title, headline), "p": (meta.teaser,)}
    drop = set()
    for i, block in enumerate(blocks[:4]):
        said = any(_same(block.text, known) for known in repeats.get(block.kind, ()))
        if said or (block.kind == "p" and _is_byline(block.text, meta)):
            drop.add(i)
    for i in range(len(blocks) - 1, max(len(blocks) - 3, -1), -1):
        if blocks[i].kind == "p" and _is_byline(blocks[i].text, meta):
            drop.add(i)
    renumber, kept = {}, []
    for i, block in enumerate(blocks):
        if i not in drop:
            renumber[i] = len(kept)
            kept.append(block)
    return kept, [Link(renumber[k.block], k.start, k.end, k.url) for k in links if k.block in renumber]


def _is_byline(text: str, meta: PageMeta) -> bool:
    """Whether a short paragraph only names the author (and maybe the date)."""
    if len(text.split()) > 12:
        return False
    return bool(_BYLINE.match(text)) or any(text.strip() == a for a in meta.authors)


def _not_an_article(path: str, found: str, advice: str) -> NotAnArticle:
    """The warning for a page that is no article."""
    return NotAnArticle(path, 0, f"no article in this page: {found}; skipped — {advice}", "warning")


def _linked_headings(doc) -> int:
    """How many headings on the page are links (teasers of other articles)."""
    return len(doc.xpath("//*[self::h2 or self::h3 or self::h4][.//a or ancestor::a]"))


def check_article(path: str, doc, meta: PageMeta, blocks: list[Block]) -> None:
    """Raise NotAnArticle when the page is a consent wall, paywall teaser, index or error page, or too short."""
    prose = [b for b in blocks if b.kind != "h"]
    text = " ".join(b.text for b in prose)
    count = len(words(text))
    page_text = clean(" ".join(doc.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")))
    declared = bool(meta.types & (ARTICLE_TYPES | {"og:article"}))
    again = "save the page again from the browser once the article itself is shown, or delete the file"
    if count < 250 and _ERROR.search(f"{meta.page_title} {''.join(doc.xpath('//h1//text()'))}"):
        title = meta.page_title or meta.title
        raise _not_an_article(path, f"an error page ('{title}')", "save the article's page again, or delete the file")
    consent = len(_CONSENT.findall(text or page_text))
    if count < 250 and consent >= 3 and consent * 25 > count:
        raise _not_an_article(path, "a cookie or consent notice", f"accept or close the notice first, then {again}")
    paywalled = meta.free is False or len(_PAYWALL.findall(text + " " + page_text)) >= 2
    if count < 300 and paywalled:
        raise _not_an_article(
            path,
            f"a paywall teaser (only {count} words of '{meta.title}')",
            "save the page while logged in, paste the article as plain text, or delete the file",
        )
    long_paragraphs = sum(len(b.text.split()) >= 30 for b in prose)
    teasers = _linked_headings(doc)
    listing = bool(meta.types & LISTING_TYPES) or "og:website" in meta.types
    if not declared and long_paragraphs < 3 and (teasers >= 4 or (listing and teasers >= 2)):
        raise _not_an_article(
            path, f"an index page listing {teasers} articles", "save the page of the article you mean instead"
        )
    if count < MIN_WORDS:
        raise _not_an_article(path, f"only {count} words of text", again)


def _html_tree(text: str):
    """The page parsed by lxml (an XML declaration dropped: lxml refuses one in a str)."""
    import lxml.html

    return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1) or "<html></html>")


def _main(text: str, base_url: str):
    """trafilatura's <main> element for the page (paragraphs, heads, quotes, lists, refs), or None."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        _XML_DECLARATION.sub("", text, count=1),
        url=base_url or None,
        output_format="xml",
        include_links=True,
        include_formatting=True,
        include_images=False,
        include_tables=False,
        include_comments=False,
        with_metadata=False,
        deduplicate=False,  # trafilatura's duplicate filter remembers texts across calls: a re-import would lose them
    )
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    return root.find("main") if root is not None else None


def parse(text: str, path: str) -> RawArticle:
    """Parse a saved web page into a RawArticle; NotAnArticle when it holds none."""
    doc = _html_tree(text)
    meta = read_meta(doc)
    main = _main(text, meta.source_url)
    blocks, links = _blocks(main, meta.source_url) if main is not None else ([], [])
    blocks, links = _trim(blocks, links, meta)
    check_article(path, doc, meta, blocks)
    return RawArticle(
        path=path,
        format=FORMAT,
        blocks=blocks,
        links=links,
        title=meta.title,
        kicker=meta.kicker,
        teaser=meta.teaser,
        date=meta.date,
        authors=meta.authors,
        publisher=meta.publisher,
        tags=meta.tags,
        image_caption=meta.image_caption,
        source_url=meta.source_url,
    )
