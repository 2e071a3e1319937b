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
