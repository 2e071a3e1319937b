"""The page plan: which pages the dossier has, at which output path, with what data.

Planning renders Markdown bodies (so link problems surface) but writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import annotations, entity_pages, markdown, mentions, network, passages, quote_groups, quotes, timeline, urls
from .errors import ContentError
from .fingerprint import DERIVED
from .model import Article, Dossier, RelatedEntry


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide facts every layout may use."""

    title: str
    description: str
    base_url: str  # "" when none is configured: no canonical URLs then
    portable: bool
    nav: tuple[tuple[str, str], ...]  # (label, output path)


@dataclass(frozen=True)
class LinkTargets:
    """What links in Markdown resolve against: the same for every body of one build."""

    portable: bool
    internal: dict[str, str]  # original-site URL -> output path
    site_paths: frozenset[str]  # every output path
    references: dict[str, str]  # "person:mark-rutte" -> output path

    def env(self, page: str, path: str, line_offset: int) -> markdown.RenderEnv:
        """A Markdown render environment for content of file `path` landing on output `page`."""
        return markdown.RenderEnv(
            page=page,
            path=path,
            line_offset=line_offset,
            portable=self.portable,
            internal=self.internal,
            site_paths=self.site_paths,
            entity_paths=self.references,
        )


@dataclass(frozen=True)
class ArticleBody:
    """Everything an article's body HTML is made of; rendered with its page, and only then."""

    article: Article
    text: str  # the article's Markdown (Article.body, which fingerprints leave out)
    page: str  # output path of the article page
    matcher: str  # analysis.matcher_digest: with the article, it determines mentions and quotes…
    entities: tuple  # …and so do the entities they name (their role shows in a link's title)
    mentions: list = field(metadata=DERIVED)  # the article's EntityMentions
    quotes: list = field(metadata=DERIVED)  # the article's Quotes
    shared: list = field(default_factory=list)  # (PassageOccurrence, SharedPassage) of the article, in order
    partners: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> (title, path) sharing a passage
    annotations: list = field(default_factory=list)  # the annotations anchored in the article
    targets: LinkTargets | None = None

    def render(self) -> tuple[str, list[ContentError]]:
        """The body as HTML with its mentions, annotations, quotations and shared passages; link problems."""
        article = self.article
        env = self.targets.env(self.page, article.source.path, article.source.body_line - 1)

        def link(target: str, fragment: str) -> str:
            return urls.relative(self.page, target, portable=env.portable, fragment=fragment)

        env.decorators.append(mentions.link_decorator(self.mentions, self.page, env.portable))
        annotations.attach(env, article, self.annotations)
        env.decorators.append(quotes.decorator(self.quotes, urls.index("quotes"), link))
        env.decorators.append(passages.decorator(self.shared))
        env.after_block.append(passages.after_block(self.shared, self.partners, link))
        return markdown.render(self.text, env), env.errors


@dataclass
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


@dataclass(frozen=True)
class RelatedLink:
    """A related-list entry and, when it is part of the dossier, its article."""

    entry: RelatedEntry
    article: Article | None


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


def article_path(article: Article) -> str:
    """Output path of an article page."""
    return urls.entry("article", article.slug)


def internal_urls(dossier: Dossier) -> dict[str, str]:
    """Original-site URL -> output path, for every article whose original address is known."""
    return {markdown.normalize_url(a.source_url): article_path(a) for a in dossier.articles if a.source_url}


def resolve_related(entry: RelatedEntry, articles: list[Article]) -> Article | None:
    """The dossier article a related-list entry names, also when the source cut it with '…'."""
    heading = entry.heading.strip()
    for article in articles:
        if heading in (article.heading, article.title):
            return article
    if heading.endswith("…"):
        stem = heading[:-1].rstrip()
        for article in articles:
            if article.heading.startswith(stem) or article.title.startswith(stem):
                return article
    return None


def plan_articles(dossier: Dossier, targets: LinkTargets) -> list[Page]:
    """One page per article, its body to be rendered with it, its related list resolved."""
    pages = []
    mentions_of = mentions.by_article(dossier.mentions)
    quotes_of: dict[str, list] = {}
    for quote in dossier.quotes:
        quotes_of.setdefault(quote.article.slug, []).append(quote)
    notes_of: dict[str, list] = {}
    for note in dossier.annotations:
        if note.anchor:
            notes_of.setdefault(note.article, []).append(note)
    shared_of = passages.occurrences_by_article(dossier.passages)
    titles = {a.slug: (a.title, article_path(a)) for a in dossier.articles}
    for article in dossier.articles:
        path = article_path(article)
        shared = shared_of.get(article.slug, [])
        partners = {o.article: titles[o.article] for _, passage in shared for o in passage.occurrences}
        found, said = mentions_of.get(article.slug, []), quotes_of.get(article.slug, [])
        named = {id(e): e for e in [m.entity for m in found] + [q.speaker for q in said if q.speaker]}
        body = ArticleBody(
            article,
            article.body,
            path,
            dossier.matcher,
            tuple(sorted(named.values(), key=lambda e: (e.kind, e.slug))),
            found,
            said,
            shared,
            dict(sorted(partners.items())),
            notes_of.get(article.slug, []),
            targets,
        )
        related = [RelatedLink(e, resolve_related(e, dossier.articles)) for e in article.related]
        pages.append(
            Page(
                path,
                "article.html",
                article.title,
                {"article": article, "related": related},
                kind="article",
                date=article.date,
                body=body,
            )
        )
    return pages


def plan_quotes(dossier: Dossier) -> list[Page]:
    """The quote index (Zitate): every statement grouped by speaker, the same words across sources together."""
    groups = quote_groups.group_statements(dossier.quotes)
    context = {"speakers": quote_groups.by_speaker(groups), "term_count": quote_groups.term_count(dossier.quotes)}
    return [Page(urls.index("quotes"), "quotes.html", "Zitate", context)]


def plan_timeline(
    dossier: Dossier, site_paths: frozenset[str], portable: bool, internal: dict[str, str], references: dict
) -> tuple[Page, dict, list[ContentError]]:
    """The timeline page (Chronik), the start page's preview of it, and errors from the event descriptions."""
    path, errors, entries = urls.index("timeline"), [], []
    articles = {a.slug: a for a in dossier.articles}
    entities = {e.slug: e for e in dossier.entities}
    for event in dossier.events:
        env = markdown.RenderEnv(path, event.source.path, event.source.body_line - 1, portable, internal, site_paths)
        env.entity_paths = references
        env.block_ids = False  # many events on one page: p1, p2… would repeat
        entries.append(timeline.EventEntry(event, markdown.render(event.body, env), articles, entities))
        errors += env.errors

    def link_from(page: str):
        return lambda e: urls.relative(page, path, portable=portable, fragment=e.anchor)

    svg = timeline.timeline_svg(dossier.events, link_from(path))
    shown = timeline.preview(dossier.events)
    preview_svg = timeline.timeline_svg(shown, link_from(urls.HOME), ident="vorschau")
    preview = {"timeline_preview": shown, "timeline_svg": preview_svg}
    return Page(path, "timeline.html", "Chronik", {"entries": entries, "timeline_svg": svg}), preview, errors


def render_intro(
    dossier: Dossier, site_paths: frozenset[str], portable: bool, internal: dict[str, str], references: dict
) -> tuple[str, list[ContentError]]:
    """The start page's editorial introduction as HTML."""
    home = dossier.home
    env = markdown.RenderEnv(urls.HOME, home.source.path, home.source.body_line - 1, portable, internal, site_paths)
    env.entity_paths = references
    return markdown.render(home.intro, env), env.errors


def plan_lists(dossier: Dossier) -> list[Page]:
    """The start page, the article list, topics and the sources page (intro rendered later)."""
    tags = dossier.tags()
    pages = [
        Page(
            urls.HOME,
            "home.html",
            dossier.home.title,
            {
                "home": dossier.home,
                "articles": dossier.articles,
                "tags": tags,
                "key_quotes": quote_groups.key_quotes(quote_groups.group_statements(dossier.quotes)),
            },
            kind="home",
        ),
        Page(urls.index("articles"), "articles.html", "Alle Artikel", {"articles": dossier.articles}),
        Page(urls.index("topics"), "topics.html", "Themen", {"tags": tags}),
        Page(urls.index("sources"), "sources.html", "Quellen", {"articles": dossier.articles}),
        Page(urls.NOT_FOUND, "404.html", "Seite nicht gefunden", {}, in_sitemap=False),
        Page(urls.index("search"), "search.html", "Suche", {}, kind="search", in_sitemap=False),
    ]
    for tag, articles in tags.items():
        pages.append(
            Page(
                urls.entry("topic", urls.slugify(tag)),
                "topic.html",
                tag,
                {"tag": tag, "articles": articles},
                kind="topic",
            )
        )
    return pages


def plan(dossier: Dossier, *, portable: bool = True, early=None) -> tuple[list[Page], list[ContentError]]:
    """Every page of the site; errors from resolving links in bodies.

    `early`, if given, is called with the pages that are complete before the article pages
    are planned: those wait for the shared passages, which may still be being worked out
    in another process, and the build fingerprints the other pages meanwhile."""
    lists = plan_lists(dossier) + plan_quotes(dossier)
    article_paths = [article_path(a) for a in dossier.articles]
    internal, references = internal_urls(dossier), entity_pages.entity_paths(dossier)
    entity_paths = [*references.values(), urls.index("people")]
    site_paths = frozenset(
        [p.path for p in lists] + article_paths + entity_paths + [urls.index("annotations"), urls.index("timeline")]
    )
    graph = network.co_occurrences(dossier.mentions)
    entities, errors = entity_pages.plan_entities(dossier, site_paths, portable, graph)
    lists[0].context.update(entity_pages.main_actors(dossier, portable, graph))
    intro_html, intro_errors = render_intro(dossier, site_paths, portable, internal, references)
    lists[0].context["intro_html"] = intro_html
    errors += intro_errors
    overview, overview_errors = annotations.plan_overview(dossier, site_paths, portable, internal)
    errors += overview_errors
    chronicle, preview, timeline_errors = plan_timeline(dossier, site_paths, portable, internal, references)
    errors += timeline_errors
    lists[0].context.update(preview)
    if early is not None:
        early([*lists, overview, chronicle, *entities])
    articles = plan_articles(dossier, LinkTargets(portable, internal, site_paths, references))  # last: it needs
    # the shared passages, which may still be being worked out in another process
    pages = [*lists, overview, chronicle, *articles, *entities]
    seen: dict[str, str] = {}
    for page in pages:
        if page.path in seen:
            errors.append(
                ContentError(page.path, 0, f"two pages want the same output path ({seen[page.path]}, {page.title})")
            )
        seen[page.path] = page.title
    return pages, errors
