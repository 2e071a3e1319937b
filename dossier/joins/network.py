"""Who appears with whom: co-occurrence of entities in sentences, and the network of the main actors (pure).

Two entities co-occur when they are mentioned in the same sentence of an article; the
weight of a pair is the number of sentences they share. The site draws the network
(`site.pictures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..content.model import Entity, EntityMention
from ..text.mentions import entity_key as key

NETWORK_KINDS = ("person", "organisation")  # actors; places are where things happen, not who


def _named(mentions: Iterable[EntityMention]) -> Iterator[tuple[EntityMention, str]]:
    """Each mention with its entity's key (made once per entity: there are hundreds of thousands of mentions)."""
    keys: dict[int, str] = {}  # id(entity) -> its key
    for mention in mentions:
        named = keys.get(id(mention.entity))
        if named is None:
            named = keys[id(mention.entity)] = key(mention.entity)
        yield mention, named


def co_occurrences(mentions: Iterable[EntityMention]) -> dict[str, dict[str, int]]:
    """Entity key -> {other entity key: number of sentences they share}; symmetric."""
    sentences: dict[tuple[str, int, int], set[str]] = {}
    for mention, named in _named(mentions):
        unit = (mention.article.slug, mention.block, mention.sentence_index)
        members = sentences.get(unit)
        if members is None:
            sentences[unit] = {named}
        else:
            members.add(named)
    graph: dict[str, dict[str, int]] = {}
    for members in sentences.values():
        if len(members) < 2:
            continue
        for a in members:
            row = graph.get(a)
            if row is None:
                row = graph[a] = {}
            for b in members:
                if b != a:
                    row[b] = row.get(b, 0) + 1
    return graph


def mention_counts(mentions: Iterable[EntityMention]) -> dict[str, int]:
    """Entity key -> number of mentions, in the order the entities are first mentioned."""
    counts: dict[str, int] = {}
    for _, named in _named(mentions):
        counts[named] = counts.get(named, 0) + 1
    return counts


def companions(graph: dict[str, dict[str, int]], entity_key: str) -> list[tuple[str, int]]:
    """The entities one appears with, most shared sentences first, then by key."""
    return sorted(graph.get(entity_key, {}).items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Edge:
    """Two actors and the number of sentences they share."""

    a: Entity
    b: Entity
    weight: int


@dataclass(frozen=True)
class Network:
    """The actors drawn and the pairs between them, heaviest first."""

    nodes: tuple[Entity, ...]
    edges: tuple[Edge, ...]
    mentions: dict[str, int]  # entity key -> number of mentions


def build_network(
    entities: Iterable[Entity],
    mentions: list[EntityMention],
    *,
    limit: int = 16,
    kinds=NETWORK_KINDS,
    graph: dict[str, dict[str, int]] | None = None,
    counts: dict[str, int] | None = None,
) -> Network:
    """The `limit` most connected actors and every pair among them (`graph`: co_occurrences(mentions);
    `counts`: mention_counts(mentions), worked out here when not given)."""
    graph = graph if graph is not None else co_occurrences(mentions)
    counts = counts if counts is not None else mention_counts(mentions)

    def degree(e: Entity) -> int:
        """Shared sentences with other actors."""
        return sum(w for other, w in graph.get(key(e), {}).items() if other.partition(":")[0] in kinds)

    def strength(e: Entity) -> tuple:
        """Sort key: weighted degree among actors, mentions, then name."""
        return (-degree(e), -counts.get(key(e), 0), e.name.casefold(), key(e))

    candidates = [e for e in entities if e.kind in kinds and degree(e)]

    nodes = tuple(sorted(candidates, key=strength)[:limit])
    chosen = {key(e): e for e in nodes}
    edges = [
        Edge(chosen[a], chosen[b], w) for a in sorted(chosen) for b, w in graph[a].items() if b in chosen and a < b
    ]
    edges.sort(key=lambda e: (-e.weight, e.a.name.casefold(), e.b.name.casefold()))
    return Network(nodes, tuple(edges), counts)
