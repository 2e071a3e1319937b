"""Pages of people, organisations and places, the actor index with its network, the main actors.

Planning only: contexts are built from `Dossier.mentions` (found per article by `text.analysis`);
notes are rendered through the one Markdown renderer so their links work and are checked like any body.
"""

from __future__ import annotations

from ..content.model import Article, Dossier, Entity, EntityMention
from ..errors import ContentError
from ..joins import network, quote_groups
from ..text.mentions import entity_key
from . import pictures, urls
from .event_links import index_events
from .markdown import LinkTargets, render
from .page import Page, Reads, reading, statement_reads

KIND_LABELS = {"person": "Personen", "organisation": "Organisationen", "place": "Orte"}
COMPANIONS = 8  # entities listed as "appears most often with"
MAIN_ACTORS = 6  # people on the start page


def entity_path(entity: Entity) -> str:
    """Output path of an entity page."""
    return urls.entry(entity.kind, entity.slug)


def entity_paths(dossier: Dossier) -> dict[str, str]:
    """'person:mark-rutte' -> output path, for editors' entity references."""
    return {entity_key(e): entity_path(e) for e in dossier.entities}


def mentions_by_entity(
    dossier: Dossier, only: frozenset[str] | None = None
) -> dict[str, list[tuple[Article, list[EntityMention]]]]:
    """Entity key -> its mentions grouped by article, in the dossier's article order (`only`: of the entities
    read from these files; all: None)."""
    groups: dict[str, list[tuple[Article, list[EntityMention]]]] = {}
    keys: dict[int, str] = {}  # id(entity) -> its key, made once per entity (there are 100,000s of mentions)
    found = dossier.found_in()
    articles = dossier.articles
    if only is not None and dossier.tallies is not None:  # the articles whose mention counts name one of them
        wanted = {entity_key(e) for e in dossier.entities if e.source.path in only}
        articles = [a for a, part in zip(articles, dossier.tallies, strict=True) if not wanted.isdisjoint(part.counts)]
    for article in articles:
        mine: dict[int, list[EntityMention]] = {}  # id(entity) -> its mentions in this article
        mentions = found[article.slug][0]
        if only is not None:
            mentions = [m for m in mentions if m.entity.source.path in only]
        for mention in mentions:
            named = mine.get(id(mention.entity))
            if named is None:
                mine[id(mention.entity)] = [mention]
            else:
                named.append(mention)
        for ident, mentions in mine.items():
            named = keys.get(ident)
            if named is None:
                named = keys[ident] = entity_key(mentions[0].entity)
            groups.setdefault(named, []).append((article, mentions))
    return groups


def render_note(entity: Entity, targets: LinkTargets) -> tuple[str, list[ContentError]]:
    """An entity's editorial note as HTML, and the problems in its links."""
    env = targets.env(entity_path(entity), entity.source.path, entity.source.body_line - 1)
    return render(entity.note, env), env.errors


def network_svg(
    dossier: Dossier, page: str, portable: bool, *, limit: int, ident: str, graph: dict, counts: dict
) -> tuple[str, network.Network]:
    """The actor network drawn for one page (links relative to it), and its data."""
    net = network.build_network(dossier.entities, dossier.mentions, limit=limit, graph=graph, counts=counts)
    names = ", ".join(e.name for e in net.nodes[:3])
    svg = pictures.render_svg(
        net,
        lambda e: urls.relative(page, entity_path(e), portable=portable),
        title="Akteursnetz: wer mit wem in einem Satz genannt wird",
        desc=(
            f"{len(net.nodes)} Personen und Organisationen, verbunden, wenn sie im selben Satz eines Artikels "
            f"vorkommen; je dicker die Linie, desto mehr gemeinsame Sätze. Am stärksten vernetzt: {names}. "
            "Die Tabelle darunter nennt alle Paare."
        ),
        ident=ident,
    )
    return svg, net


def plan_entities(
    dossier: Dossier, targets: LinkTargets, graph: dict, counts: dict, only: frozenset | None = None
) -> tuple[list[Page], list[ContentError]]:
    """One page per entity and the actor index (`graph`: network.co_occurrences of the mentions; `counts`:
    network.mention_counts); `only`: the files of the entities to plan, without the index (all: None)."""
    portable = targets.portable
    by_key = {entity_key(e): e for e in dossier.entities}
    grouped = mentions_by_entity(dossier, only)
    statements = quote_groups.by_speaker_key(dossier.quote_groups)
    events = index_events(dossier)
    pages, errors = [], []
    for entity in dossier.entities if only is None else [e for e in dossier.entities if e.source.path in only]:
        note_html, note_errors = render_note(entity, targets)
        errors += note_errors
        companions = [(by_key[k], w) for k, w in network.companions(graph, entity_key(entity))[:COMPANIONS]]
        context = {
            "entity": entity,
            "kind_label": KIND_LABELS[entity.kind],
            "note_html": note_html,
            "mention_groups": grouped.get(entity_key(entity), []),
            "mention_count": counts.get(entity_key(entity), 0),
            "companions": companions,
            "entity_quotes": statements.get(entity_key(entity), []),  # grouped across sources
            "quotes_at": urls.quote_index(entity, urls.quotes_apart(len(dossier.quote_groups))),  # in the quote index
            "events": events.of_entity(entity.slug),  # timeline events involving it
            "feed": urls.entry_feed(entity.kind, entity.slug) if entity.kind in urls.FEED_KINDS else "",
        }
        quoted, grouping = statement_reads(context["entity_quotes"])
        weights = [(entity_key(e), w) for e, w in companions]
        reads = Reads(
            reading(
                [entity],
                [article for article, _ in context["mention_groups"]],
                [e for e, _ in companions],
                quoted,
                context["events"],
            ),
            (note_html, context["mention_count"], weights, grouping, context["quotes_at"], context["feed"]),
        )
        pages.append(Page(entity_path(entity), "entity.html", entity.name, context, kind=entity.kind, reads=reads))
    return (pages, errors) if only is not None else ([*pages, entity_index(dossier, portable, graph, counts)], errors)


def entity_index(dossier: Dossier, portable: bool, graph: dict, counts: dict) -> Page:
    """The actor index: every entity by kind with its mention count, and the network of the most mentioned."""
    index = urls.index("people")
    svg, net = network_svg(dossier, index, portable, limit=16, ident="netz", graph=graph, counts=counts)
    groups = [
        (label, [(e, counts.get(entity_key(e), 0)) for e in dossier.entities if e.kind == kind])
        for kind, label in KIND_LABELS.items()
    ]
    context = {"groups": groups, "network_svg": svg, "network": net}
    return Page(index, "entities.html", "Akteure", context)


def main_actors(dossier: Dossier, portable: bool, graph: dict, counts: dict) -> dict:
    """Start-page context: the most mentioned people and a small actor network."""
    people = [e for e in dossier.entities if e.kind == "person" and counts.get(entity_key(e))]
    people.sort(key=lambda e: (-counts[entity_key(e)], e.name.casefold()))
    svg, _ = network_svg(dossier, urls.HOME, portable, limit=8, ident="netz-start", graph=graph, counts=counts)
    return {"main_actors": [(e, counts[entity_key(e)]) for e in people[:MAIN_ACTORS]], "actors_svg": svg}
