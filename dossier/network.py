"""Who appears with whom: co-occurrence in sentences, and the actor network drawn as SVG (pure).

Two entities co-occur when they are mentioned in the same sentence of an article; the
weight of a pair is the number of sentences they share. The drawing is deterministic:
the most connected actor sits in the centre, the others on a circle, ordered by weight,
so two builds of the same content give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from .mentions import entity_key as key
from .model import Entity, EntityMention

NETWORK_KINDS = ("person", "organisation")  # actors; places are where things happen, not who
KIND_COLOURS = {"person": "#1f5f8b", "organisation": "#8a4b08", "place": "#3d6b35"}  # ≥ 4.5:1 on white


def co_occurrences(mentions: Iterable[EntityMention]) -> dict[str, dict[str, int]]:
    """Entity key -> {other entity key: number of sentences they share}; symmetric."""
    sentences: dict[tuple[str, int, int], set[str]] = {}
    for mention in mentions:
        unit = (mention.article.slug, mention.block, mention.sentence_index)
        sentences.setdefault(unit, set()).add(key(mention.entity))
    graph: dict[str, dict[str, int]] = {}
    for members in sentences.values():
        for a in members:
            for b in members:
                if a != b:
                    graph.setdefault(a, {})
                    graph[a][b] = graph[a].get(b, 0) + 1
    return graph


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
) -> Network:
    """The `limit` most connected actors and every pair among them (`graph`: co_occurrences(mentions))."""
    graph = graph if graph is not None else co_occurrences(mentions)
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[key(mention.entity)] = counts.get(key(mention.entity), 0) + 1

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


def layout(nodes: tuple[Entity, ...], width: float, height: float) -> dict[str, tuple[float, float]]:
    """Centre for the strongest actor, a circle (clockwise from the top) for the rest."""
    if not nodes:
        return {}
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 70
    positions = {key(nodes[0]): (cx, cy)}
    ring = nodes[1:]
    for i, entity in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / len(ring)
        positions[key(entity)] = (cx + radius * math.cos(angle) * 1.2, cy + radius * math.sin(angle))
    return positions


def render_svg(
    network: Network,
    href: Callable[[Entity], str],
    *,
    title: str,
    desc: str,
    ident: str = "netz",
    width: int = 800,
    height: int = 480,
) -> str:
    """The network as accessible inline SVG: role img, title, desc, nodes linking to their pages."""
    positions = layout(network.nodes, width, height)
    heaviest = max((e.weight for e in network.edges), default=1)
    out = [
        f'<svg class="network" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="group" aria-labelledby="{ident}-title {ident}-desc">',  # img would hide the links
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="edges" stroke="#6b6b6b" stroke-linecap="round">',
    ]
    for edge in reversed(network.edges):  # heaviest drawn last, on top
        (x1, y1), (x2, y2) = positions[key(edge.a)], positions[key(edge.b)]
        stroke = 1 + 5 * (edge.weight - 1) / max(heaviest - 1, 1)
        opacity = 0.35 + 0.5 * edge.weight / heaviest
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{stroke:.1f}" stroke-opacity="{opacity:.2f}"/>'
        )
    out.append("</g>")
    out.append('<g class="nodes" font-family="system-ui, sans-serif" font-size="14">')
    for entity in network.nodes:
        out.append(_node(entity, positions[key(entity)], network.mentions.get(key(entity), 0), href(entity), width))
    out.append("</g></svg>")
    return "\n".join(out)


def _node(entity: Entity, position: tuple[float, float], mentions: int, href: str, width: int) -> str:
    """One actor: a circle sized by mentions, its name beside it, linking to its page."""
    x, y = position
    r = 6 + 2.2 * math.sqrt(mentions)
    if abs(x - width / 2) < 1:
        anchor, tx, ty = "middle", x, y - r - 8
    elif x > width / 2:
        anchor, tx, ty = "start", x + r + 6, y + 5
    else:
        anchor, tx, ty = "end", x - r - 6, y + 5
    colour = KIND_COLOURS.get(entity.kind, "#333333")
    return (
        f'<a href="{escape(href)}" tabindex="-1">'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
        f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="#1a1a1a" style="paint-order: stroke" '
        f'stroke="#ffffff" stroke-width="4" stroke-linejoin="round">{escape(entity.name)}</text></a>'
    )
