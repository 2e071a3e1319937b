"""The timeline (Chronik): events checked against the articles and entities they name (pure)."""

from __future__ import annotations

import difflib

from ..content.model import Article, Entity, Event
from ..errors import ContentError


def is_url(source: str) -> bool:
    """Whether an event source is an external address rather than an article slug."""
    return source.startswith(("http://", "https://"))


def _unknown(kind: str, slug: str, known: list[str]) -> str:
    """'unknown article 'x' (did you mean 'y'?)'."""
    near = difflib.get_close_matches(slug, known, n=1)
    return f"unknown {kind} '{slug}'" + (
        f" (did you mean '{near[0]}'?)" if near else f"; known: {', '.join(known[:8])}…"
    )


def check(
    events: list[Event],
    articles: list[Article],
    entities: list[Entity],
    *,
    hidden: frozenset[str] | set[str] = frozenset(),
) -> list[ContentError]:
    """Every source that is neither an article slug nor a URL, every unknown entity, every end before its start.

    Sources naming a `hidden` article file (a draft left out, or a file refused with errors of its own) are
    not reported again: one mistake, one error."""
    article_slugs = sorted(a.slug for a in articles)
    entity_slugs = sorted(e.slug for e in entities)
    errors = []
    for event in events:
        path, src = event.source.path, event.source
        for i, source in enumerate(event.sources):
            if not is_url(source) and source not in article_slugs and source not in hidden:
                errors.append(
                    ContentError(path, src.line_of_item("source", i), _unknown("article", source, article_slugs))
                )
        for i, slug in enumerate(event.entities):
            if slug not in entity_slugs:
                errors.append(
                    ContentError(path, src.line_of_item("entities", i), _unknown("entity", slug, entity_slugs))
                )
        if event.end is not None and event.end < event.date:
            errors.append(
                ContentError(path, src.line_of("end"), f"'end' ({event.end}) is before 'date' ({event.date})")
            )
    return errors


def preview(events: list[Event], limit: int = 6) -> list[Event]:
    """The events for the start page: the highlighted ones, else the first few."""
    chosen = [e for e in events if e.highlight] or events
    return chosen[:limit]
