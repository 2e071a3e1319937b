"""Atom feed, sitemap and robots.txt: extra outputs of the build, computed from the page plan.

Feeds and sitemap need absolute URLs (RFC 4287 ids, sitemaps.org ``<loc>``), so they are
written only when a base URL is known (``--base-url`` or ``base_url`` in content/_index.md).
Besides the feed of every article, each topic and each person has one (``urls.entry_feed``),
advertised on its page. Without a base URL the site has none of them, and robots.txt names no
sitemap. Everything is deterministic: entries sorted, a feed's ``updated`` is its newest article
date, never "now".
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..content.model import Article, Dossier
from ..content.slugs import slugify
from ..text.mentions import entity_key
from . import urls
from .page import Page, SiteInfo

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def timestamp(day: dt.date) -> str:
    """RFC 3339 date-time of a day (midnight UTC), as Atom requires."""
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    """Append a child element with optional text and attributes."""
    child = ET.SubElement(parent, tag, attrs)
    if text:
        child.text = text
    return child


def _xml(root: ET.Element) -> bytes:
    """Serialised, indented XML document (the root carries its xmlns attribute)."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def newest(articles: list[Article]) -> dt.date | None:
    """Date of the newest article, None without articles."""
    dates = [a.date for a in articles if a.date]
    return max(dates) if dates else None


def feed_entry(parent: ET.Element, article: Article, base_url: str) -> None:
    """One Atom entry: id, title, updated, link, summary, authors, categories."""
    url = urls.absolute(base_url, urls.entry("article", article.slug))
    entry = _sub(parent, "entry")
    _sub(entry, "id", url)
    _sub(entry, "title", article.heading)
    _sub(entry, "updated", timestamp(article.date))
    _sub(entry, "published", timestamp(article.date))
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    for name in article.authors:
        _sub(_sub(entry, "author"), "name", name)
    _sub(entry, "summary", article.teaser or article.title)
    for tag in article.tags:
        _sub(entry, "category", term=tag)


def atom_feed(dossier: Dossier, site: SiteInfo) -> bytes:
    """The Atom feed of every article, newest first."""
    return _feed(dossier, site, dossier.articles, urls.HOME, urls.FEED, site.title, site.description)


def _feed(
    dossier: Dossier, site: SiteInfo, articles: list[Article], page: str, path: str, title: str, subtitle: str = ""
) -> bytes:
    """An Atom feed at output path `path` of `articles`, newest first; its id is the page it belongs to."""
    articles = sorted(articles, key=lambda a: (-(a.date or dt.date.min).toordinal(), a.slug))
    home = urls.absolute(site.base_url, page)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "de"})
    _sub(feed, "id", home)
    _sub(feed, "title", title)
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    updated = newest(articles) or dossier.home.event_end or dossier.home.event_start or dt.date(1970, 1, 1)
    _sub(feed, "updated", timestamp(updated))
    _sub(_sub(feed, "author"), "name", ", ".join(dossier.home.editors) or site.title)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=urls.absolute(site.base_url, path))
    _sub(feed, "link", rel="alternate", type="text/html", href=home)
    _sub(feed, "generator", "dossier")
    for article in articles:
        feed_entry(feed, article, site.base_url)
    return _xml(feed)


def topic_feeds(dossier: Dossier, site: SiteInfo) -> dict[str, bytes]:
    """Output path -> Atom feed of each topic: the articles tagged with it."""
    files = {}
    for tag, articles in dossier.tags().items():
        slug = slugify(tag)
        page, path = urls.entry("topic", slug), urls.entry_feed("topic", slug)
        files[path] = _feed(dossier, site, articles, page, path, f"{site.title} – Thema: {tag}")
    return files


def person_feeds(dossier: Dossier, site: SiteInfo) -> dict[str, bytes]:
    """Output path -> Atom feed of each person: the articles whose text mentions them."""
    mentioned: dict[str, dict[str, Article]] = {}  # entity slug -> the articles naming it
    if dossier.tallies is not None:  # (each article's mention counts, by entity key: no mention is looked at)
        slugs = {entity_key(e): e.slug for e in dossier.entities}
        for article, part in zip(dossier.articles, dossier.tallies, strict=True):
            for named in part.counts:
                mentioned.setdefault(slugs[named], {})[article.slug] = article
    for mention in dossier.mentions if dossier.tallies is None else ():  # (slugs are unique across kinds)
        mentioned.setdefault(mention.entity.slug, {})[mention.article.slug] = mention.article
    files = {}
    for person in (e for e in dossier.entities if e.kind == "person"):
        articles = list(mentioned.get(person.slug, {}).values())
        page, path = urls.entry("person", person.slug), urls.entry_feed("person", person.slug)
        files[path] = _feed(dossier, site, articles, page, path, f"{site.title} – {person.name}")
    return files


def sitemap(pages: list[Page], site: SiteInfo, updated: dt.date | None) -> bytes:
    """sitemaps.org urlset of every page meant for search engines, sorted by URL."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for page in sorted((p for p in pages if p.in_sitemap), key=lambda p: p.path):
        item = _sub(urlset, "url")
        _sub(item, "loc", urls.absolute(site.base_url, page.path))
        lastmod = page.date if isinstance(page.date, dt.date) else None
        if lastmod is None and page.kind == "home":
            lastmod = updated
        if lastmod is not None:
            _sub(item, "lastmod", lastmod.isoformat())
    return _xml(urlset)


def robots(site: SiteInfo) -> bytes:
    """robots.txt allowing everything and naming the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {urls.absolute(site.base_url, urls.SITEMAP)}")
    return ("\n".join(lines) + "\n").encode()


def outputs(dossier: Dossier, pages: list[Page], site: SiteInfo) -> dict[str, bytes]:
    """Output path -> bytes of robots.txt and, with a base URL, feed.xml, sitemap.xml and the feeds of
    each topic and person."""
    files = {urls.ROBOTS: robots(site)}
    if site.base_url:
        files[urls.FEED] = atom_feed(dossier, site)
        files[urls.SITEMAP] = sitemap(pages, site, newest(dossier.articles))
        files |= topic_feeds(dossier, site) | person_feeds(dossier, site)
    return files
