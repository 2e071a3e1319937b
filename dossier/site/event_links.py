"""Timeline events on the pages they concern: the people, organisations and places they involve
(`Event.entities`) and the articles they cite (`Event.sources`).

Each such page lists its events in timeline order, with their German date, each linking to
the event's anchor on the timeline page (Chronik). Planning only: contexts, no HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Dossier, Event


@dataclass(frozen=True)
class EventIndex:
    """Events by the entity slug they involve and by the article slug they cite, in timeline order."""

    by_entity: dict[str, list[Event]] = field(default_factory=dict)
    by_article: dict[str, list[Event]] = field(default_factory=dict)

    def of_entity(self, slug: str) -> list[Event]:
        """The events involving one person, organisation or place."""
        return self.by_entity.get(slug, [])

    def of_article(self, slug: str) -> list[Event]:
        """The events citing one article as their source."""
        return self.by_article.get(slug, [])


def index_events(dossier: Dossier) -> EventIndex:
    """Which events each entity page and each article page lists (an event at most once per page)."""
    entities = {e.slug for e in dossier.entities}
    articles = {a.slug for a in dossier.articles}
    index = EventIndex()
    for event in dossier.events:
        for slug in dict.fromkeys(event.entities):
            if slug in entities:
                index.by_entity.setdefault(slug, []).append(event)
        for source in dict.fromkeys(event.sources):
            if source in articles:
                index.by_article.setdefault(source, []).append(event)
    return index
