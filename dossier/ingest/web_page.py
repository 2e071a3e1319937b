"""Web pages saved from a browser (any outlet): the article's text via trafilatura, metadata as the page declares it.

A page that holds no article (a consent wall, a paywall teaser, an index or an error page)
raises NotAnArticle (page_kind.py), a warning that names what was found instead.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

from .page_kind import check_article
from .page_meta import INVISIBLE, PageMeta, clean, first, person_names, read_meta
from .raw import Block, Link, RawArticle
from .text import words

FORMAT = "web-page"
_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding=["']([-\w.:]+)""", re.I)
_SAVED_FROM = re.compile(r"<!-- saved from url=\(\d+\)(\S+?) -->")  # what Chrome writes into a saved page
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PERSON = re.compile(
    r"^[A-ZÄÖÜ][\w'.-]+( (von|van|de|der|den|du|zu|la|le|el|al|bin|ter|vom|dos|da))*( [A-ZÄÖÜ][\w'.-]+){1,3}$"
)
_NOT_A_PERSON = re.compile(r"studio|redaktion|agentur|korrespondent|online|verlag|zeitung|nachrichten", re.I)
_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}\.\s+(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+\d{4}"
)
_BYLINE = re.compile(r"^(von|by|text|autor(in|en)?|mitarbeit|quelle)\b[ :]", re.I)
_READ_ALSO = re.compile(  # the label of a box of links to other articles, left behind when its links are dropped
    r"^(lesen sie (auch|mehr|dazu|hier)|mehr (zum thema|dazu|lesen)|auch interessant|(das )?könnte sie (auch )?"
    r"interessieren|weitere artikel|zum thema|verwandte artikel|read more|related( articles| stories)?|see also"
    r"|more on this( story)?|you may also like|key events|top stories)\b[^.!?]{0,30}:?$",
    re.I,
)
_PROMO = re.compile(r"\babo\b|abonn|subscri|newsletter|plus-artikel|sign up", re.I)  # an offer: not the article
_OFFER = re.compile(  # an offer inside the text speaks to the reader; a sentence about a newsletter does not
    r"\bsign up\b|\bsubscribe (now|here|today|to)\b|\b(in|to) our newsletter|\bjetzt (gratis |kostenlos )?abonnieren"
    r"|\babonnieren sie\b|\bunser(en|em)? newsletter|\bzum newsletter\b|\bnewsletter (bestellen|abonnieren)",
    re.I,
)
_CREDITS = re.compile(  # the line closing an agency text: who reported and edited it, where it came from
    r"^((additional )?(reporting|writing|editing|edited|compiled|produced) by\b|(mit )?(agentur)?material von|quelle:)",
    re.I,
)
_MODIFIED_ONLY = (  # the warning for a date that is only the page's last change
    "the page declares no publication date, only when it was last modified ({}), taken as the date;"
    " check it and correct 'date:' in the article file if the article appeared earlier"
)
_EMBED = re.compile(  # posts of social networks embedded in the article: their text is not the article's
    r"<(amp-twitter|amp-instagram|amp-facebook|amp-tiktok)\b.*?</\1>"
    r"|<blockquote[^>]*class=[\"'][^\"']*(twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|fb-xfbml)"
    r"[^>]*>.*?</blockquote>",
    re.I | re.S,
)


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first bytes (<meta charset> or http-equiv), or ''."""
    match = _CHARSET.search(data[:16384])
    return (match.group(1) or match.group(2)).decode("ascii", "replace") if match else ""


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
    """An element's text with whitespace collapsed, and the (start, end, url) of its links ('' where it leads nowhere)."""
    from urllib.parse import urljoin

    text, spans = "", []
    for piece, url in _segments(element):
        piece = re.sub(r"\s+", " ", piece.translate(INVISIBLE))
        if not text or text.endswith(" "):
            piece = piece.lstrip()
        start = len(text)
        text += piece
        target = urljoin(base_url, url) if url and base_url else url or ""
        if url is not None and piece.strip():  # a link to nowhere ('' or relative without base) is kept as text
            left = start + len(piece) - len(piece.lstrip())
            spans.append(
                (left, start + len(piece.rstrip()), target if target.startswith(("http://", "https://")) else "")
            )
    text = text.rstrip()
    return text, [(s, min(e, len(text)), u) for s, e, u in spans if s < min(e, len(text))]


_CONTAINERS = ("div", "row", "cell")  # trafilatura keeps these around text it could not place in paragraphs


def _blocks(main, base_url: str) -> tuple[list[Block], list[Link]]:
    """Paragraphs, subheadings, quotations and list items of trafilatura's <main>, with their links."""
    blocks: list[Block] = []
    links: list[Link] = []

    def add(kind: str, element) -> None:
        text, spans = _inline(element, base_url)
        if text and not _only_a_link(text, spans) and not _READ_ALSO.match(text):
            links.extend(Link(len(blocks), s, e, u) for s, e, u in spans if u)
            blocks.append(Block(kind, text))

    _walk(main, add)
    return blocks, links


def _walk(container, add) -> None:
    """Add the blocks of one element of trafilatura's XML; loose text between blocks is a paragraph of its own."""
    from copy import deepcopy

    from lxml import etree

    run = etree.Element("p")
    run.text = container.text

    def flush(tail: str | None) -> None:
        nonlocal run
        if "".join(run.itertext()).strip():
            bold = (
                len(run) == 1
                and run[0].tag == "hi"
                and not (run.text or "").strip()
                and not (run[0].tail or "").strip()
            )
            add("h" if bold and len("".join(run.itertext()).split()) <= 14 else "p", run)
        run = etree.Element("p")
        run.text = tail

    for element in container:
        if element.tag in ("p", "code", "head", "quote", "list", "table", *_CONTAINERS):
            flush(None)
            _block(element, add)
            flush(element.tail)
        else:
            run.append(deepcopy(element))  # inline: its tail comes along
    flush(None)


def _block(element, add) -> None:
    """Add one block element: paragraph, heading, quotation, list, a layout table's cells, or a container's blocks."""
    if element.tag == "head":
        add("h", element)
    elif element.tag == "quote":
        for part in [p for p in element if p.tag == "p"] or [element]:
            add("q", part)
    elif element.tag == "list":
        for item in element.iter("item"):
            add("li", item)
    elif element.tag == "table":
        cells = list(element.iter("cell"))
        if any(len("".join(c.itertext())) > 100 or c.find("p") is not None for c in cells):  # layout, not data
            for cell in cells:
                _walk(cell, add)
    elif element.tag in _CONTAINERS:
        _walk(element, add)
    else:
        add("p", element)


_SUBHEADINGS = (  # a subheading of the text: not a teaser's linked heading, not in navigation, asides or the footer
    "//*[self::h2 or self::h3 or self::h4][not(.//a) and not(ancestor::a)"
    " and not(ancestor::nav or ancestor::aside or ancestor::footer or ancestor::header)]"
)


def _restore_headings(doc, blocks: list[Block], links: list[Link]) -> tuple[list[Block], list[Link]]:
    """The page's subheadings put back before the paragraphs they head, where the extraction dropped them."""
    if any(b.kind == "h" for b in blocks):  # the extraction kept the structure
        return blocks, links
    known = {b.text for b in blocks}
    starts = {b.text[:80]: i for i, b in enumerate(blocks) if b.kind == "p"}
    found: dict[int, str] = {}
    for head in doc.xpath(_SUBHEADINGS):
        text = clean(head.text_content())
        after = head.xpath("following::p[1]")
        below = clean(after[0].text_content())[:80] if after else ""
        at = starts.get(below)
        if text and text not in known and at and len(text.split()) <= 14 and not _READ_ALSO.match(text):
            found.setdefault(at, text)
    if not found:
        return blocks, links
    shift = [sum(1 for at in found if at <= i) for i in range(len(blocks))]
    kept = []
    for i, block in enumerate(blocks):
        kept += [Block("h", found[i])] if i in found else []
        kept.append(block)
    return kept, [Link(k.block + shift[k.block], k.start, k.end, k.url) for k in links]


def _only_a_link(text: str, spans: list[tuple[int, int, str]]) -> bool:
    """Whether a short block is nothing but a link ('Zur Startseite', 'Lesen Sie auch: …'): navigation."""
    linked = sum(e - s for s, e, _ in spans)
    label = _READ_ALSO.match(text.split(":")[0]) if ":" in text else None  # 'Lesen Sie auch:' before the link
    length = len(text) - (len(label.group(0)) + 1 if label else 0)
    return len(text.split()) <= (16 if label else 12) and linked >= 0.8 * length


def _same(a: str, b: str) -> bool:
    """Whether two texts have the same words, also where the page glued two of them ('Nato-AußenministerKallas')."""
    return bool(a) and "".join(words(a)) == "".join(words(b))


def _trim(blocks: list[Block], links: list[Link], meta: PageMeta, h1: str) -> tuple[list[Block], list[Link]]:
    """The body without what the front matter says (headline, teaser, byline, date line) and offers or credits."""
    headline = f"{meta.kicker} {meta.title}"
    repeats = {"h": (meta.title, headline, h1, meta.kicker, meta.teaser), "p": (meta.teaser, meta.kicker)}
    repeats["q"] = (meta.teaser,)  # a standfirst the extraction took for a subheading or a quotation
    drop = set()
    for i, block in enumerate(blocks[:4]):
        said = any(_same(block.text, known) for known in repeats.get(block.kind, ()))
        if said or (block.kind == "p" and (_is_byline(block.text, meta) or _is_dateline(block.text))):
            drop.add(i)
    drop |= {i for i, b in enumerate(blocks) if b.kind == "p" and len(b.text.split()) <= 20 and _OFFER.search(b.text)}
    for i in range(len(blocks) - 1, max(len(blocks) - 3, -1), -1):
        closing = _is_byline(blocks[i].text, meta) or _is_promo(blocks[i].text) or _CREDITS.match(blocks[i].text)
        if blocks[i].kind == "p" and closing:
            drop.add(i)
    renumber, kept = {}, []
    for i, block in enumerate(blocks):
        if i not in drop:
            renumber[i] = len(kept)
            kept.append(block)
    return kept, [Link(renumber[k.block], k.start, k.end, k.url) for k in links if k.block in renumber]


_MONTHS = tuple(get_month_names("wide", locale="de_DE").values())  # Januar … Dezember, from CLDR


def _german_date(text: str) -> dt.date | None:
    """The first date in a German date line ('04.12.2024', '4. Dezember 2024'), or None."""
    match = _DATE_IN_TEXT.search(text)
    if not match:
        return None
    found = match.group(0)
    try:
        if match.group(1):
            day, month, year = int(found.split(".")[0]), _MONTHS.index(match.group(1)) + 1, int(found.split()[-1])
        elif "-" in found:
            return dt.date.fromisoformat(found)
        else:
            day, month, year = (int(x) for x in re.split(r"\.\s?", found)[:3])
        return dt.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _headline_in_title(blocks: list[Block], title: str) -> str:
    """The headline that opens the body, where the title is a <title> with the site name around it."""
    head = blocks[0].text if blocks and blocks[0].kind == "h" else ""
    parts = re.split(r"\s+[|–—·-]\s+", title)
    return head if head and len(parts) > 1 and any(_same(head, part) for part in parts) else title


def _is_dateline(text: str) -> bool:
    """Whether a short paragraph only gives the date ('Stand: 03.12.2024 17:00 Uhr'), not a sentence about it."""
    return len(text.split()) <= 12 and bool(_DATE_IN_TEXT.search(text)) and text.rstrip()[-1:] not in ".!?:"


def _is_byline(text: str, meta: PageMeta) -> bool:
    """Whether a short paragraph only names the author (and maybe the date or place)."""
    if len(text.split()) > 12:
        return False
    named = any(a in text for a in meta.authors)
    rest = text
    for author in meta.authors:
        rest = rest.replace(author, " ")
    only_names = bool(meta.authors) and all(a in text for a in meta.authors) and len(words(rest)) <= 3
    return (bool(_BYLINE.match(text)) and (named or text.rstrip()[-1:] not in ".!?")) or only_names


def _is_promo(text: str) -> bool:
    """Whether a short paragraph offers a subscription or newsletter ('Dieser Artikel gehört zum Angebot von SPIEGEL+')."""
    return len(text.split()) <= 40 and bool(_PROMO.search(text))


_BYLINE_TEXTS = (  # the texts of an element marked as the byline (BBC: data-component="byline-block")
    "//*[contains(@class, 'byline') or contains(@data-component, 'byline') or contains(@data-testid, 'byline')]"
    "//text()[normalize-space() and not(ancestor::time)]"
)


def bylined(text: str, doc) -> list[str]:
    """Author names in the page's byline markup (trafilatura's, else an element marked byline), where none is declared."""
    from trafilatura import load_html
    from trafilatura.metadata import extract_metadata

    try:
        found = extract_metadata(load_html(_XML_DECLARATION.sub("", text, count=1)))
    except Exception:  # a best-effort fallback: a page it cannot read simply names no author
        return []
    names = person_names([found.author or ""]) if found is not None else []
    names = names or [clean(t) for t in doc.xpath(_BYLINE_TEXTS)][:3]
    return [n for n in names if _PERSON.match(n) and not _NOT_A_PERSON.search(n)]


def _html_tree(text: str):
    """The page parsed by lxml (an XML declaration dropped: lxml refuses one in a str)."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1) or "<html></html>")
    except (lxml.etree.ParserError, ValueError):  # nothing but a comment or whitespace: an empty page
        return lxml.html.document_fromstring("<html><body></body></html>")


def _main(text: str, base_url: str):
    """trafilatura's <main> element for the page (paragraphs, heads, quotes, lists, refs), or None."""
    import logging

    import trafilatura
    from lxml import etree

    for name in ("trafilatura", "htmldate", "courlan"):  # their notes on odd pages are not the editor's business:
        logging.getLogger(name).setLevel(logging.ERROR)  # what matters is said as the import's own warning

    try:
        xml = _extract(trafilatura, _EMBED.sub("", _XML_DECLARATION.sub("", text, count=1)), base_url)
    except Exception:  # trafilatura gives up on some broken markup; the page then holds no text it can find
        return None
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    return root.find("main") if root is not None else None


def _extract(trafilatura, html: str, base_url: str) -> str | None:
    """trafilatura's XML for the page's main text, links and formatting kept."""
    return trafilatura.extract(
        html,
        url=base_url or None,
        output_format="xml",
        include_links=True,
        include_formatting=True,
        include_images=False,
        include_tables=True,  # old pages lay out their text in tables; data tables are dropped in _block
        include_comments=False,
        with_metadata=False,
        deduplicate=False,  # trafilatura's duplicate filter remembers texts across calls: a re-import would lose them
    )


def parse(text: str, path: str) -> RawArticle:
    """Parse a saved web page into a RawArticle; NotAnArticle when it holds none."""
    doc = _html_tree(text)
    saved = _SAVED_FROM.search(text[:4096])
    meta = read_meta(doc, saved.group(1) if saved else "")
    base = first(meta.source_url, *doc.xpath("//base/@href"))
    main = _main(text, base)
    blocks, links = _blocks(main, base) if main is not None else ([], [])
    blocks, links = _restore_headings(doc, blocks, links)
    meta.title = _headline_in_title(blocks, meta.title)
    meta.date = meta.date or next((_german_date(b.text) for b in blocks[:4] if _is_dateline(b.text)), None)
    blocks, links = _trim(blocks, links, meta, first(*(h.text_content() for h in doc.xpath("//h1"))))
    check_article(path, doc, meta, blocks)
    meta.authors = meta.authors or bylined(text, doc)
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
        notes=(_MODIFIED_ONLY.format(meta.date),) if meta.modified_only else (),
    )
