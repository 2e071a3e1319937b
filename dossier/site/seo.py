"""Machine-readable page metadata: Open Graph tags and schema.org JSON-LD, as plain data.

Layouts call :func:`open_graph` and :func:`schema_org` (Jinja globals) and serialise the
result (``tojson`` escapes ``<``, ``>`` and ``&`` for a ``<script>`` block). URLs are absolute
only when a base URL is configured; without one, the tags that need an absolute URL
(``og:url``, JSON-LD ``url``) are left out rather than guessed.
"""

from __future__ import annotations

from . import urls
from .page import Page, SiteInfo

ENTITY_TYPES = {"person": "Person", "organisation": "Organization", "place": "Place"}


def page_url(page: Page, site: SiteInfo) -> str:
    """The page's canonical absolute URL, or '' without a base URL."""
    return urls.absolute(site.base_url, page.path) if site.base_url else ""


def open_graph(page: Page, site: SiteInfo, description: str = "") -> list[tuple[str, str]]:
    """(property, content) pairs of the page's Open Graph tags, in a fixed order."""
    kind = {"article": "article", "person": "profile"}.get(page.kind, "website")
    title = site.title if page.kind == "home" else page.title
    tags = [
        ("og:type", kind),
        ("og:title", title),
        ("og:site_name", site.title),
        ("og:locale", "de_DE"),
    ]
    if description:
        tags.append(("og:description", description))
    url = page_url(page, site)
    if url:
        tags.append(("og:url", url))
    article = page.context.get("article") if page.kind == "article" else None
    if article is not None:
        if article.date:
            tags.append(("article:published_time", article.date.isoformat()))
        tags.extend(("article:tag", tag) for tag in article.tags)
    return tags


def _with_url(data: dict, url: str) -> dict:
    """Add `url` (and mainEntityOfPage for articles) when an absolute URL is known."""
    if url:
        data["url"] = url
        if data["@type"] == "NewsArticle":
            data["mainEntityOfPage"] = url
    return data


def news_article(page: Page, site: SiteInfo) -> dict:
    """schema.org NewsArticle of an article page."""
    article = page.context["article"]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": "de",
        "isPartOf": {"@type": "WebSite", "name": site.title},
    }
    if article.kicker:
        data["alternativeHeadline"] = article.kicker
    if article.teaser:
        data["description"] = article.teaser
    if article.date:
        data["datePublished"] = article.date.isoformat()
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return _with_url(data, page_url(page, site))


def entity(page: Page, site: SiteInfo) -> dict | None:
    """schema.org Person, Organization or Place of an entity page, if the page carries one."""
    item = page.context.get("entity")
    type_ = ENTITY_TYPES.get(getattr(item, "kind", ""))
    if item is None or type_ is None:
        return None
    data: dict = {"@context": "https://schema.org", "@type": type_, "name": item.name}
    if item.role:
        data["jobTitle" if type_ == "Person" else "description"] = item.role
    if item.wikidata:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{item.wikidata}"
    return _with_url(data, page_url(page, site))


def website(page: Page, site: SiteInfo) -> dict:
    """schema.org WebSite of the start page."""
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.title,
        "description": site.description,
        "inLanguage": "de",
    }
    return _with_url(data, page_url(page, site))


def schema_org(page: Page, site: SiteInfo) -> dict | None:
    """The page's JSON-LD object, or None for pages without one."""
    if page.kind == "article" and "article" in page.context:
        return news_article(page, site)
    if page.kind == "home":
        return website(page, site)
    return entity(page, site)
