"""Who appears with whom: co-occurrence of entities in sentences, and the network of the main actors (pure).

Two entities co-occur when they are mentioned in the same sentence of an article; the
weight of a pair is the number of sentences they share. Each article's part of it is its
`Tally`, a fact of that article alone; the network is the sum of the tallies, so a build
may keep each article's tally and only add them up. The site draws the network
(`site.pictures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..content.model import Entity, EntityMention
from ..text.mentions import entity_key as key

NETWORK_KINDS = ("person", "organisation")  # actors; places are where things happen, not who


@dataclass(frozen=True)
class Tally:
    """One article's part of the network: its mentions per entity (in the order first mentioned), and for each
    entity the others it shares a sentence with and in how many sentences (in key order)."""

    counts: dict[str, int]
    pairs: dict[str, dict[str, int]]


def tally(mentions: Iterable[EntityMention]) -> Tally:
    """The part of one article's mentions (a fact of that article alone, kept from build to build)."""
    keys: dict[int, str] = {}  # id(entity) -> its key, made once per entity
    counts: dict[str, int] = {}
    sentences: dict[tuple[int, int], set[str]] = {}
    for mention in mentions:
        named = keys.get(id(mention.entity))
        if named is None:
            named = keys[id(mention.entity)] = key(mention.entity)
        counts[named] = counts.get(named, 0) + 1
        sentences.setdefault((mention.block, mention.sentence_index), set()).add(named)
    pairs: dict[str, dict[str, int]] = {}
    for members in sentences.values():
        if len(members) < 2:
            continue
        for a in members:
            row = pairs.setdefault(a, {})
            for b in members:
                if b != a:
                    row[b] = row.get(b, 0) + 1
    return Tally(counts, {a: dict(sorted(pairs[a].items())) for a in sorted(pairs)})


def tallies(mentions: Sequence[EntityMention]) -> list[Tally]:
    """`tally` of each article's mentions, for mentions in article order (`Dossier.mentions`)."""
    found: list[Tally] = []
    start = 0
    for end in range(1, len(mentions) + 1):
        if end == len(mentions) or mentions[end].article is not mentions[start].article:
            found.append(tally(mentions[start:end]))
            start = end
    return found


def combined(parts: Iterable[Tally]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """The co-occurrences (entity key -> {other key: sentences they share}, symmetric) and the mention counts
    (entity key -> mentions, in the order first mentioned) of the articles whose tallies these are, in
    dossier order."""
    graph: dict[str, dict[str, int]] = {}
    counts: dict[str, int] = {}
    for part in parts:
        for named, n in part.counts.items():
            counts[named] = counts.get(named, 0) + n
        for a, others in part.pairs.items():
            row = graph.get(a)
            if row is None:
                row = graph[a] = {}
            for b, n in others.items():
                row[b] = row.get(b, 0) + n
    return graph, counts


def co_occurrences(mentions: Sequence[EntityMention]) -> dict[str, dict[str, int]]:
    """Entity key -> {other entity key: number of sentences they share}; symmetric."""
    return combined(tallies(mentions))[0]


def mention_counts(mentions: Sequence[EntityMention]) -> dict[str, int]:
    """Entity key -> number of mentions, in the order the entities are first mentioned."""
    return combined(tallies(mentions))[1]


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
    if graph is None or counts is None:
        graph, counts = combined(tallies(mentions))

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
