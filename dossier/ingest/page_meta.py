"""What a saved web page declares about its article: JSON-LD, Open Graph and meta tags, <time>, canonical link."""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .agencies import without_agencies

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
}
LISTING_TYPES = {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"}
_KICKER_CLASS = re.compile(
    r"(^|[-_\s])(kicker|dachzeile|overline|topline|roofline|spitzmarke|eyebrow|supertitle|subheadline-top)($|[-_\s])",
    re.I,
)
_TEASER_CLASS = re.compile(
    r"(^|[-_\s])(summary|intro|lead|lede|dek|standfirst|abstract|excerpt|vorspann|article-teaser|teaser-text)($|[-_\s])",
    re.I,
)
_OUTSIDE = re.compile(r"(^|[-_\s])(teaser|related|recommend|aside|nav|menu|footer|sidebar|more)($|[-_\s])", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # '04.12.2024 10:00', as some pages declare it
_TAG_LINKS = (
    "//a[@rel='tag'] | //*[contains(concat(' ', normalize-space(@class), ' '), ' tags ')"
    " or contains(@class, 'tag-list') or contains(@class, 'schlagw') or contains(@class, 'keywords')]//a"
)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|\bund\b|\band\b|&|\|)\s*")


@dataclass
class PageMeta:
    """The metadata a page declares, best source first."""

    title: str = ""
    kicker: str = ""
    teaser: str = ""
    date: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    tags: list[str] = field(default_factory=list)
    source_url: str = ""
    image_caption: str = ""
    page_title: str = ""  # the <title>, for recognising error pages
    types: set[str] = field(default_factory=set)  # schema.org @types and og:type
    free: bool | None = None  # isAccessibleForFree, where the page says
    modified_only: bool = False  # the date is when the page was last modified: it declares no publication date


INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))  # soft hyphens, zero-width spaces: gone


def clean(text: str | None) -> str:
    """Whitespace (no-break spaces too) collapsed, invisible characters dropped, character references resolved."""
    text = html.unescape(text) if text and "&" in text else text or ""
    return re.sub(r"\s+", " ", text.translate(INVISIBLE)).strip()


def first(*values) -> str:
    """The first non-empty value, cleaned."""
    return next((clean(v) for v in values if isinstance(v, str) and clean(v)), "")


def _objects(node) -> list[dict]:
    """Every JSON-LD object in a parsed script, @graph and nested lists flattened."""
    if isinstance(node, list):
        return [o for item in node for o in _objects(item)]
    if not isinstance(node, dict):
        return []
    return [node, *_objects(node.get("@graph", []))]


def _types(obj: dict) -> set[str]:
    """An object's @type values without the schema.org prefix."""
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def json_ld(doc) -> tuple[dict, list[dict]]:
    """The page's article object (or {}) and every JSON-LD object it declares."""
    found = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        source = (script.text or "").strip().removeprefix("<!--").removesuffix("-->")
        source = source.replace("<![CDATA[", "").replace("]]>", "").strip()
        try:
            found += _objects(json.loads(source, strict=False))
        except (ValueError, RecursionError):  # broken, or nested deeper than Python's parser goes
            continue  # a broken JSON-LD block: the other sources still count
    articles = [o for o in found if _types(o) & ARTICLE_TYPES]
    return (articles[0] if articles else {}), found


def _names(value) -> list[str]:
    """Names from a JSON-LD person/organisation value: a string, an object or a list of them."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        value = value.get("name", "")
        if isinstance(value, list):  # {"@type": "Person", "name": ["A", "B"]}
            return _names(value)
    return [clean(value)] if isinstance(value, str) and clean(value) else []


def person_names(values: list[str]) -> list[str]:
    """Author names without 'Von', URLs, e-mail addresses or news agencies; lists split; repeats dropped."""
    names = []
    for value in values:
        for part in _NAME_SPLIT.split(re.sub(r"^(von|by|text:|autor(in)?:)\s+", "", clean(value), flags=re.I)):
            part = without_agencies(part.strip(" ."))
            if part and len(part) <= 60 and not re.search(r"[@/\d]|https?:", part) and part not in names:
                names.append(part)
    return names


def _authors(article: dict, tags: dict[str, list[str]], doc, publisher: str) -> list[str]:
    """The people the page declares as its authors, best source first; the outlet or an agency leaves room for one."""
    for declared in (
        _names(article.get("author")),
        tags.get("author", []) + tags.get("dc.creator", []),
        [a for a in tags.get("article:author", []) if "://" not in a],
        [clean(e.text_content()) for e in doc.xpath("//*[@itemprop='author']")][:3],
    ):
        names = [a for a in person_names(declared) if a != publisher]
        if names:
            return names
    return []


def _keywords(value) -> list[str]:
    """Tags from a keywords value: a list, or a string separated by commas or semicolons."""
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value or ""))
    return [clean(str(i)) for i in items if clean(str(i))]


def _url(value) -> str:
    """A URL from a JSON-LD url/@id value."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return clean(value) if isinstance(value, str) else ""


def parse_date(value: str) -> dt.date | None:
    """The calendar date of an ISO 8601 (or German dd.mm.yyyy) date or date-time, as the page wrote it."""
    match = _ISO_DATE.match(value or "")
    german = None if match else _GERMAN_DATE.match(value or "")
    if not match and not german:
        return None
    try:
        if german:
            return dt.date(*(int(g) for g in reversed(german.groups())))
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _meta_tags(doc) -> dict[str, list[str]]:
    """Every <meta property|name|itemprop content>, keyed by lowercased property or name."""
    tags: dict[str, list[str]] = {}
    for meta in doc.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and clean(meta.get("content")):
            tags.setdefault(key, []).append(clean(meta.get("content")))
    return tags


_MARKS = "[@class or @*[starts-with(name(), 'data-')]]"  # an element marked by its class or a data attribute
_KICKER_PLACES = tuple(  # where a kicker (or a standfirst) stands, nearest the headline first
    place.replace("*", "*" + _MARKS)
    for place in (
        "//h1//*",
        "//h1/preceding-sibling::* | //h1/following-sibling::*",
        "//h1/../preceding-sibling::* | //h1/../following-sibling::* | //h1/..//*",
        "//article//* | //main//*",
    )
)


def _marks(element) -> str:
    """What an element is marked as: its class and the values of its data attributes (data-gu-name="standfirst")."""
    return " ".join([element.get("class", ""), *(v for k, v in element.attrib.items() if k.startswith("data-"))])


def _marked(doc, marker: re.Pattern, fewest: int, most: int) -> str:
    """The text of the element nearest the headline that the marker names, outside teasers and navigation."""
    for element in (e for place in _KICKER_PLACES for e in doc.xpath(place)):
        if not marker.search(_marks(element)):
            continue
        if any(_OUTSIDE.search(_marks(a) + " " + a.tag) for a in element.iterancestors() if a.tag != "html"):
            continue
        text = clean(element.text_content()).rstrip(":")
        if text and fewest <= len(text.split()) <= most:
            return text
    return ""


def _kicker(doc) -> str:
    """The kicker (Dachzeile) where the page marks one."""
    kicker = _marked(doc, _KICKER_CLASS, 1, 8)
    return kicker if len(kicker) <= 80 else ""


def _kicker_before(title: str, headline: str) -> str:
    """The kicker a longer title puts before the headline ('Nato-Treffen: Rutte fordert …' for 'Rutte fordert …')."""
    kicker, colon, rest = title.partition(": ")
    ends = (rest, re.split(r"\s+[|–—·-]\s+", rest)[0])  # the headline, or the headline and the site name
    if colon and headline and any(_words(e) == _words(headline) for e in ends) and 1 <= len(kicker.split()) <= 8:
        return kicker.strip()
    return ""


def _text_of(element) -> str:
    """An element's text, its block children (a caption's text and credit) apart by a space."""
    element = copy.deepcopy(element)  # the page itself stays as parsed
    for child in element.iter("p", "div", "li", "br", "figcaption"):
        if child is not element:
            child.tail = " " + (child.tail or "")
    return clean(element.text_content())


_PUBLISHED_TIMES = ("//time[@itemprop='datePublished']/@datetime", "//time[@pubdate]/@datetime")
_OTHER_TIMES = ("//article//time/@datetime", "//time/@datetime")  # the article's first <time>, else the page's
_MODIFIED = ("article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")


def _time_element(doc, paths: tuple[str, ...]) -> str:
    """The datetime of the first <time> one of the paths finds, in their order, or ''."""
    for path in paths:
        values = doc.xpath(path)
        if values:
            return str(values[0])
    return ""


def _date(article: dict, one, doc) -> tuple[dt.date | None, bool]:
    """The article's date, and whether it is only when the page was last modified (no publication date declared)."""
    published = (
        parse_date(first(article.get("datePublished"), article.get("dateCreated")))
        or parse_date(one("article:published_time", "og:article:published_time", "datepublished"))
        or parse_date(first(*doc.xpath("//*[@itemprop='datePublished']/@content")))
        or parse_date(one("date", "dc.date", "dc.date.issued", "publish-date", "pubdate", "parsely-pub-date"))
        or parse_date(_time_element(doc, _PUBLISHED_TIMES))
    )
    if published:
        return published, False
    modified_item = "//*[@itemprop='dateModified']/@content | //*[@itemprop='dateModified']/@datetime"
    modified = parse_date(first(article.get("dateModified"), one(*_MODIFIED), *doc.xpath(modified_item)))
    found = parse_date(_time_element(doc, _OTHER_TIMES)) or _htmldate(doc)  # htmldate falls back on dateModified
    date = found or modified
    return date, date is not None and date == modified


def _htmldate(doc) -> dt.date | None:
    """The original publication date htmldate finds in the markup, searching only what is marked."""
    try:
        from htmldate import find_date

        found = find_date(doc, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a best-effort fallback; a page it cannot read simply has no date
        return None
    return parse_date(found or "")


def strip_site(title: str, publisher: str) -> str:
    """A title without the site name a <title> or og:title appends ('… | taz.de', '… - Weser-Bote')."""
    parts = re.split(r"\s+[|–—·-]\s+", title)
    if len(parts) > 1:
        last = parts[-1].lower()
        site = publisher.lower()
        if "." in last or (site and (site in last or last in site)):
            return " - ".join(parts[:-1]).strip()
    return title


def _site_in_title(page_title: str, title: str) -> str:
    """The site name a <title> appends to the headline ('Headline | Site'), or ''."""
    parts = re.split(r"\s+[|–—·-]\s+", page_title)
    if len(parts) > 1 and title and _words(" ".join(parts[:-1])) == _words(title) and len(parts[-1]) <= 40:
        return parts[-1].strip()
    return ""


def _words(text: str) -> list[str]:
    """Lowercased words, for comparing titles."""
    return re.findall(r"\w+", text.lower())


def _headline(doc) -> str:
    """The text of the page's first <h1>."""
    heads = doc.xpath("//h1")
    return clean(heads[0].text_content()) if heads else ""


def read_meta(doc, saved_from: str = "") -> PageMeta:
    """Everything the page declares about its article, best source first (`saved_from`: where the browser got it)."""
    article, objects = json_ld(doc)
    tags = _meta_tags(doc)
    one = lambda *keys: first(*(tags.get(k, [""])[0] for k in keys))  # noqa: E731
    meta = PageMeta()
    meta.types = {t for o in objects for t in _types(o)} | {f"og:{v}" for v in tags.get("og:type", [])}
    websites = [o for o in objects if "WebSite" in _types(o) or "NewsMediaOrganization" in _types(o)]
    publisher_item = "//*[@itemprop='publisher']//*[@itemprop='name']"  # microdata
    meta.publisher = first(
        *_names(article.get("publisher")),
        one("og:site_name", "application-name", "dc.publisher"),
        *_names(websites),
        *(e.get("content") or e.text_content() for e in doc.xpath(publisher_item)),
    )
    meta.page_title = first(*(t.text_content() for t in doc.xpath("//title")))
    title = first(article.get("headline"), article.get("name"), one("og:title", "twitter:title", "dc.title"))
    meta.title = strip_site(title or _headline(doc) or meta.page_title, meta.publisher)
    long_title = strip_site(one("og:title", "twitter:title") or meta.page_title, meta.publisher)
    meta.kicker = _kicker(doc) or _kicker_before(long_title, meta.title)
    if meta.kicker and meta.title.startswith(meta.kicker):
        meta.title = meta.title[len(meta.kicker) :].lstrip(" :–-") or meta.title
    meta.publisher = meta.publisher or _site_in_title(meta.page_title, meta.title)
    meta.teaser = first(article.get("description"), one("og:description", "description", "twitter:description"))
    meta.teaser = meta.teaser or _marked(doc, _TEASER_CLASS, 6, 80)
    meta.date, meta.modified_only = _date(article, one, doc)
    meta.authors = _authors(article, tags, doc, meta.publisher)
    keywords = _keywords(article.get("keywords")) + tags.get("article:tag", [])
    for key in ("news_keywords", "keywords", "dc.subject"):
        keywords = keywords or [k for v in tags.get(key, []) for k in _keywords(v)]
    keywords = keywords or [clean(a.text_content()) for a in doc.xpath(_TAG_LINKS)]
    meta.tags = list(dict.fromkeys(k for k in keywords if k and len(k) <= 60))
    canonical = first(*doc.xpath("//link[@rel='canonical']/@href"))
    base = first(*doc.xpath("//base/@href"), saved_from)
    url = first(_url(article.get("mainEntityOfPage")), _url(article.get("url")), canonical, one("og:url"), saved_from)
    meta.source_url = urljoin(base, url) if url and base else url
    if not meta.source_url.startswith(("http://", "https://")):
        meta.source_url = ""
    captions = doc.xpath("//article//figcaption | //main//figcaption")
    meta.image_caption = _text_of(captions[0]) if captions else ""
    free = article.get("isAccessibleForFree")
    if free is not None:
        meta.free = free is True or str(free).strip().lower() == "true"
    return meta
