"""The page plan: which pages the dossier has, at which output path, with what data.

Planning renders the Markdown of notes, the introduction and events (so their link
problems surface) and leaves each article's body to be rendered with its page
(`site.body.ArticleBody`); it writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Article, Dossier, Event, RelatedEntry
from ..content.slugs import slugify
from ..errors import ContentError
from ..joins import network, quote_groups
from ..joins.passages import occurrences_by_article
from ..joins.timeline import is_url, preview
from . import compare, entity_pages, pictures, urls
from .annotation_notes import plan_overview
from .body import ArticleBody
from .claim_review import fact_checks, home_date
from .event_links import index_events
from .markdown import LinkTargets, normalize_url, render
from .page import Page, Reads, reading, statement_reads


@dataclass(frozen=True)
class RelatedLink:
    """A related-list entry and, when it is part of the dossier, its article."""

    entry: RelatedEntry
    article: Article | None


class EventEntry:
    """An event as the timeline page shows it: its description rendered, its sources and entities resolved."""

    def __init__(self, event: Event, body_html: str, articles: dict[str, Article], entities: dict):
        self.event = event
        self.body_html = body_html
        self.articles = [articles[s] for s in event.sources if s in articles]
        self.links = [s for s in event.sources if is_url(s)]
        self.entities = [entities[s] for s in event.entities if s in entities]


def article_path(article: Article) -> str:
    """Output path of an article page."""
    return urls.entry("article", article.slug)


def internal_urls(dossier: Dossier) -> dict[str, str]:
    """Original-site URL -> output path, for every article whose original address is known."""
    return {normalize_url(a.source_url): article_path(a) for a in dossier.articles if a.source_url}


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


def plan_articles(
    dossier: Dossier, targets: LinkTargets, compared: frozenset[str] = frozenset(), only: frozenset | None = None
) -> list[Page]:
    """One page per article, its body to be rendered with it, its related list resolved; `compared`: the slugs
    of articles with a page comparing their raw exports; `only`: the slugs of the articles to plan (all: None)."""
    pages = []
    apart = urls.quotes_apart(len(dossier.quote_groups))
    found = dossier.found_in()
    notes_of: dict[str, list] = {}
    for note in dossier.annotations:
        if note.anchor:
            notes_of.setdefault(note.article, []).append(note)
    shared_of = occurrences_by_article(dossier.passages)
    paths = compare.passage_paths(dossier.passages)
    compared_at = {id(p): path for p, path in zip(dossier.passages, paths, strict=True)}  # the plan's passages
    titles = {a.slug: (a.title, article_path(a)) for a in dossier.articles}
    by_slug = {a.slug: a for a in dossier.articles}
    reviewed_on = home_date(dossier)
    events = index_events(dossier)
    for article in dossier.articles if only is None else [a for a in dossier.articles if a.slug in only]:
        path = article_path(article)
        shared = shared_of.get(article.slug, [])
        partners = {o.article: titles[o.article] for _, passage in shared for o in passage.occurrences}
        body = ArticleBody(
            article,
            article.body,
            path,
            *found[article.slug],
            shared,
            dict(sorted(partners.items())),
            notes_of.get(article.slug, []),
            targets,
            [compared_at[id(passage)] for _, passage in shared],
            apart,
        )
        related = [RelatedLink(e, resolve_related(e, dossier.articles)) for e in article.related]
        checks = fact_checks(notes_of.get(article.slug, []), body.quotes, dossier.home.editors, reviewed_on)
        context = {
            "article": article,
            "related": related,
            "fact_checks": checks,
            "events": events.of_article(article.slug),
        }
        if article.slug in compared:
            context["variants_compared"] = urls.variants_compared(article.slug)
        reads = Reads(
            reading(
                [article],
                [m.entity for m in body.mentions],
                [q.speaker for q in body.quotes],
                [by_slug[slug] for slug in partners],
                body.annotations,
                context["events"],
                [r.article for r in related],
            ),
            (body.shared, body.compared, apart, checks, article.slug in compared),
        )
        page = Page(path, "article.html", article.title, context, "article", article.date, body=body, reads=reads)
        pages.append(page)
    return pages


def plan_timeline(dossier: Dossier, targets: LinkTargets) -> tuple[Page, dict, list[ContentError]]:
    """The timeline page (Chronik), the start page's preview of it, and errors from the event descriptions."""
    path, errors, entries = urls.index("timeline"), [], []
    articles = {a.slug: a for a in dossier.articles}
    entities = {e.slug: e for e in dossier.entities}
    for event in dossier.events:
        env = targets.env(path, event.source.path, event.source.body_line - 1, block_ids=False)  # many events
        entries.append(EventEntry(event, render(event.body, env), articles, entities))
        errors += env.errors

    def link_from(page: str):
        return lambda e: urls.relative(page, path, portable=targets.portable, fragment=e.anchor)

    svg = pictures.timeline_svg(dossier.events, link_from(path))
    shown = preview(dossier.events)
    preview_svg = pictures.timeline_svg(shown, link_from(urls.HOME), ident="vorschau")
    start = {"timeline_preview": shown, "timeline_svg": preview_svg}
    return Page(path, "timeline.html", "Chronik", {"entries": entries, "timeline_svg": svg}), start, errors


def topic_path(tag: str) -> str:
    """Output path of a topic page."""
    return urls.entry("topic", slugify(tag))


def list_paths(tags: dict[str, list[Article]]) -> list[str]:
    """Output paths of the start page and the list pages (topics included)."""
    fixed = [urls.HOME, *(urls.index(n) for n in ("articles", "topics", "sources")), urls.NOT_FOUND]
    return [*fixed, urls.index("search"), *(topic_path(t) for t in tags), urls.index("quotes")]


def plan_lists(dossier: Dossier, tags: dict[str, list[Article]], start: dict) -> list[Page]:
    """The start page (with `start`, its context from other plans), the lists, topics, sources, quotes."""
    home = {
        "home": dossier.home,
        "articles": dossier.articles,
        "tags": tags,
        "key_quotes": quote_groups.key_quotes(dossier.quote_groups),
        **start,
    }
    apart = urls.quotes_apart(len(dossier.quote_groups))
    speakers = quote_groups.by_speaker(dossier.quote_groups)
    speakers = gathered(speakers) if apart else speakers
    quotes = {
        "speakers": [] if apart else speakers,
        "term_count": quote_groups.term_count(dossier.quotes),
        # split: the index names each speaker's page and count (no role, no statement: those pages show them)
        "apart": [(s.name if s else None, urls.speaker_quotes(s), len(g)) for s, g in speakers] if apart else [],
        "speaker_page": False,
    }
    every_article = reading(dossier.articles)  # (their order, their topics and the topics' spellings are theirs)
    listed, nothing = Reads(every_article), Reads(())
    pages = [
        Page(urls.HOME, "home.html", dossier.home.title, home, kind="home"),
        Page(urls.index("articles"), "articles.html", "Alle Artikel", {"articles": dossier.articles}, reads=listed),
        Page(urls.index("topics"), "topics.html", "Themen", {"tags": tags}, reads=Reads(every_article, (list(tags),))),
        Page(urls.index("sources"), "sources.html", "Quellen", {"articles": dossier.articles}, reads=listed),
        Page(urls.NOT_FOUND, "404.html", "Seite nicht gefunden", {}, in_sitemap=False, reads=nothing),
        Page(urls.index("search"), "search.html", "Suche", {}, kind="search", in_sitemap=False, reads=nothing),
    ]
    for tag, articles in tags.items():
        context = {"tag": tag, "articles": articles, "feed": urls.entry_feed("topic", slugify(tag))}
        reads = Reads(reading(articles), (tag, context["feed"]))
        pages.append(Page(topic_path(tag), "topic.html", tag, context, kind="topic", reads=reads))
    pages.append(Page(urls.index("quotes"), "quotes.html", "Zitate", quotes))
    return pages + (speaker_pages(speakers) if apart else [])


def gathered(speakers: list) -> list[tuple]:
    """(speaker, groups) as `quote_groups.by_speaker` lists them, a speaker met twice (two speakers of one
    name, sorted together) gathered in one entry."""
    found: dict[int, tuple] = {}
    for speaker, groups in speakers:
        found.setdefault(id(speaker), (speaker, []))[1].extend(groups)
    return list(found.values())


def speaker_pages(speakers: list) -> list[Page]:
    """The pages of a quote index split by speaker (`gathered`): each speaker's statements, those of no known
    speaker last (laid out by quotes.html too, so a project's own copy of it lays them out as a short index)."""
    pages = []
    for speaker, groups in speakers:
        title = f"Zitate: {speaker.name}" if speaker else "Zitate ohne Zuordnung"
        context = {"speakers": [(speaker, groups)], "term_count": 0, "apart": [], "speaker_page": True}
        quoted, grouping = statement_reads(groups)
        reads = Reads(reading([speaker], quoted), (grouping,))
        pages.append(Page(urls.speaker_quotes(speaker), "quotes.html", title, context, reads=reads))
    return pages


@dataclass(frozen=True)
class Frame:
    """What every page of one plan is planned against: the link targets (every output path), the text of each
    article's raw exports as the importer parses them, the topics and the slugs of the articles with a page that
    compares them."""

    targets: LinkTargets
    variants: compare.Variants
    tags: dict[str, list[Article]]
    compared: frozenset[str]


def frame(dossier: Dossier, portable: bool, variants: compare.Variants | None) -> Frame:
    """The frame of the dossier's plan (`variants`: the raw exports' texts, `ingest.variant_texts`)."""
    variants = variants or {}
    apart = urls.quotes_apart(len(dossier.quote_groups))  # the quote index has a page per speaker
    tags = dossier.tags()
    references = entity_pages.entity_paths(dossier)
    site_paths = frozenset(
        list_paths(tags)
        + [article_path(a) for a in dossier.articles]
        + [*references.values(), urls.index("people"), urls.index("annotations"), urls.index("timeline")]
        + compare.paths(dossier, variants)
        + ([urls.speaker_quotes(g.speaker) for g in dossier.quote_groups] if apart else [])
    )
    targets = LinkTargets(portable, internal_urls(dossier), site_paths, references)
    compared = frozenset(slug for slug, found in variants.items() if found)
    return Frame(targets, variants, tags, compared)


def network_of(dossier: Dossier) -> tuple[dict, dict]:
    """The co-occurrence graph and the mention counts: the sum of the articles' tallies (from the mentions when
    the dossier carries none)."""
    return network.combined(dossier.tallies if dossier.tallies is not None else network.tallies(dossier.mentions))


def pages_of(dossier: Dossier, files: frozenset[str], framed: Frame, paths: frozenset[str] = frozenset()) -> list[Page]:
    """The pages of the articles and entities read from these content files, and those of the article and entity
    pages at `paths` that read one of the files, planned as `plan` plans them (the preview shows the pages of a
    saved file and the pages open in its browsers first)."""
    slugs = frozenset(a.slug for a in dossier.articles if a.source.path in files or article_path(a) in paths)
    planned = plan_articles(dossier, framed.targets, framed.compared, only=slugs) if slugs else []
    wanted = frozenset(
        e.source.path for e in dossier.entities if e.source.path in files or entity_pages.entity_path(e) in paths
    )
    if wanted:
        planned += entity_pages.plan_entities(dossier, framed.targets, *network_of(dossier), only=wanted)[0]
    return [page for page in planned if page.reads is not None and not files.isdisjoint(page.reads.files)]


def plan(
    dossier: Dossier,
    *,
    portable: bool = True,
    variants: compare.Variants | None = None,
    framed: Frame | None = None,
    only=None,
) -> tuple[list[Page], list[ContentError]]:
    """Every page of the site; errors from resolving links in the Markdown planned here.

    `variants` holds the text of each article's raw exports as the importer parses them; `framed`: the frame
    made of them (`frame`), when it is at hand; `only` (a `reach.Only`): the article and entity pages to plan,
    besides every other page (all: None)."""
    framed = framed or frame(dossier, portable, variants)
    targets, tags = framed.targets, framed.tags
    graph, counts = network_of(dossier)
    some = None if only is None else only.entities
    entities, errors = entity_pages.plan_entities(dossier, targets, graph, counts, only=some)
    if only is not None:
        entities.append(entity_pages.entity_index(dossier, portable, graph, counts))
    home = dossier.home
    intro_env = targets.env(urls.HOME, home.source.path, home.source.body_line - 1)
    intro_html = render(home.intro, intro_env)
    overview, overview_errors = plan_overview(dossier, targets)
    chronicle, timeline_start, timeline_errors = plan_timeline(dossier, targets)
    errors += intro_env.errors + overview_errors + timeline_errors
    start = {**entity_pages.main_actors(dossier, portable, graph, counts), "intro_html": intro_html, **timeline_start}
    lists = plan_lists(dossier, tags, start)
    articles = plan_articles(dossier, targets, framed.compared, only=None if only is None else only.articles)
    comparisons = compare.plan(dossier, framed.variants, None if only is None else only.passages)
    pages = [*lists, overview, chronicle, *articles, *entities, *comparisons]
    seen: dict[str, str] = {}
    for page in pages:
        if page.path in seen:
            errors.append(
                ContentError(page.path, 0, f"two pages want the same output path ({seen[page.path]}, {page.title})")
            )
        seen[page.path] = page.title
    return pages, errors
