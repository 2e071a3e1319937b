"""A page of the plan: one output file, the layout that renders it and the data it is handed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import urls

if TYPE_CHECKING:
    from .body import ArticleBody


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide facts every layout may use."""

    title: str
    description: str
    base_url: str  # "" when none is configured: no canonical URLs then
    portable: bool
    nav: tuple[tuple[str, str], ...]  # (label, output path)


@dataclass(frozen=True)
class Reads:
    """What a page's data is made of, so a build can tell that it is unchanged without looking at it.

    `files`: the content files whose facts the page shows (an article's text and what its analysis found, an
    entity, an annotation, an event); `values`: what the page shows that is worked out across the dossier
    (counts, ranks, paths, rendered notes, flags). A page whose files have the same bytes and whose values are
    equal has the same data, as long as the layouts, the site information, the entity names and aliases (every
    analysis reads them all) and the start page are the same too."""

    files: tuple[str, ...]
    values: tuple = ()


def reading(*groups) -> tuple[str, ...]:
    """The content files of these dossier objects (anything with a `source`; None is skipped), once each, sorted."""
    unique: dict[int, object] = {}
    for group in groups:  # (the same object many times over: an article names an entity in every sentence)
        unique.update(zip(map(id, group), group, strict=True))
    unique.pop(id(None), None)
    return tuple(sorted({item.source.path for item in unique.values()}))


def statement_reads(groups) -> tuple[list, list]:
    """The articles and speakers of these quotation groups' statements (for `reading`), and how the statements are
    grouped (for a page's values: the grouping is worked out across the dossier)."""
    quotes = [q for group in groups for q in group.quotes]
    grouping = [[(q.article.slug, q.number) for q in group.quotes] for group in groups]
    return [*(q.article for q in quotes), *(q.speaker for q in quotes)], grouping


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which layout renders it, and its data."""

    path: str
    template: str
    title: str
    context: dict = field(default_factory=dict)
    kind: str = "page"
    date: object = None  # for the sitemap and feed
    in_sitemap: bool = True
    body: ArticleBody | None = None  # an article page's body, rendered into `body_html` with the page
    reads: Reads | None = None  # what its data is made of; None: the whole dossier (a list, an index)


NAV = (
    ("Start", urls.HOME),
    ("Artikel", urls.index("articles")),
    ("Themen", urls.index("topics")),
    ("Akteure", urls.index("people")),
    ("Anmerkungen", urls.index("annotations")),
    ("Zitate", urls.index("quotes")),
    ("Chronik", urls.index("timeline")),
    ("Quellen", urls.index("sources")),
    ("Suche", urls.index("search")),
)


def site_info(home, portable: bool, base_url: str | None = None) -> SiteInfo:
    """Site-wide facts for the layouts, from the start page's (`content.model.Home`); `base_url` overrides its."""
    url = base_url if base_url is not None else home.base_url
    return SiteInfo(home.title, home.description, url.rstrip("/") + "/" if url else "", portable, NAV)
