"""Which article and entity pages read a content file, found without planning them.

A page reads a file (`site.page.Reads`) through a link between the two that one of them states:
an article names an entity, quotes a speaker, lists a related article; an annotation names its
article; an event its sources and entities; two articles share a passage. When a file changes,
the pages that read it now are those that read it before (the engine knows them from the last
build: `incremental.readers`) and those that the changed file itself links to now (`reached`).
A plan of those pages (`pages.plan(…, only=…)`) and of every page that lists the whole dossier
is the plan of the site, as long as what every page is planned against is unchanged (the frame,
the passages, the start page's date: the engine checks that too, `incremental.scope`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..content.model import Dossier
from .compare import passage_paths, passage_title
from .entity_pages import entity_path
from .page import Page
from .pages import article_path, resolve_related


@dataclass(frozen=True)
class Only:
    """The article pages (by slug) and entity pages (by file) a plan is made of, besides the pages that list
    the whole dossier."""

    articles: frozenset[str]
    entities: frozenset[str]
    passages: frozenset[str] = frozenset()  # the output paths of shared passages' comparison pages


def reached(dossier: Dossier, files: Collection[str]) -> Only:
    """The article and entity pages that these content files link to in this dossier (see the module)."""
    articles = {a.source.path: a for a in dossier.articles}
    entities = {e.source.path: e for e in dossier.entities}
    changed = [articles[f] for f in sorted(files) if f in articles]
    slugs = {a.slug for a in changed}
    wanted = {f for f in files if f in entities}
    found = dossier.found_in()
    for article in changed:
        mentions, quotes = found[article.slug]
        wanted.update(m.entity.source.path for m in mentions)
        wanted.update(q.speaker.source.path for q in quotes if q.speaker is not None)
    shared = set()
    if changed:  # whose related list may now resolve to a changed article
        slugs.update(a.slug for a in dossier.articles if any(resolve_related(e, changed) for e in a.related))
        edited = {a.slug for a in changed}
        for passage, path in zip(dossier.passages, passage_paths(dossier.passages), strict=True):
            sharing = {o.article for o in passage.occurrences}
            if not sharing.isdisjoint(edited):
                slugs.update(sharing)
                shared.add(path)
    slugs.update(note.article for note in dossier.annotations if note.source.path in files)
    by_slug = {e.slug: e.source.path for e in dossier.entities}
    for event in dossier.events:
        if event.source.path in files:
            slugs.update(event.sources)
            wanted.update(by_slug[s] for s in event.entities if s in by_slug)
    known = {a.slug for a in dossier.articles}
    return Only(frozenset(slugs & known), frozenset(wanted & entities.keys()), frozenset(shared))


def at(dossier: Dossier, paths: Iterable[str]) -> Only:
    """The article, entity and shared passages' pages at these output paths (any other path is left out)."""
    paths = set(paths)
    return Only(
        frozenset(a.slug for a in dossier.articles if article_path(a) in paths),
        frozenset(e.source.path for e in dossier.entities if entity_path(e) in paths),
        frozenset(paths.intersection(passage_paths(dossier.passages))),
    )


def together(*scopes: Only) -> Only:
    """The pages of all these scopes."""
    parts = ("articles", "entities", "passages")
    return Only(*(frozenset().union(*(getattr(scope, part) for scope in scopes)) for part in parts))


def outlines(dossier: Dossier, only: Only) -> list[Page]:
    """The article, entity and shared passages' pages a plan of `only` leaves out, without their data: what the sitemap and the
    messages about a page (`links.page_origins`) ask of them, as `pages.plan` would plan them."""
    kept = [
        Page(article_path(a), "article.html", a.title, {"article": a}, "article", a.date)
        for a in dossier.articles
        if a.slug not in only.articles
    ]
    kept += [
        Page(entity_path(e), "entity.html", e.name, {"entity": e}, kind=e.kind)
        for e in dossier.entities
        if e.source.path not in only.entities
    ]
    kept += [
        Page(path, "comparison.html", passage_title(passage))
        for passage, path in zip(dossier.passages, passage_paths(dossier.passages), strict=True)
        if path not in only.passages
    ]
    return kept
