"""Pictures drawn at build time as accessible SVG: the actor network and the timeline.

Both are deterministic (the same data gives the same bytes), carry a title and a
description, and are accompanied on their pages by a table or list with the same facts.
They are drawn in the light scheme's colours (presentation attributes, so a picture read on
its own still works) and carry classes (`node-person`, `axis`, `date`, `title`…) by which the
stylesheet recolours them in dark mode (`prefers-color-scheme: dark` in dossier.css).
In the network the most connected actor sits in the centre, the others on a circle,
ordered by weight.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from html import escape

from babel.dates import format_date

from ..content.model import Entity, Event
from ..joins.network import Network
from ..text.mentions import entity_key as key

KIND_COLOURS = {"person": "#1f5f8b", "organisation": "#8a4b08", "place": "#3d6b35"}  # ≥ 4.5:1 on white
ROW = 46  # vertical distance between two events, in SVG units
GAP_DAYS = 14  # a longer pause between two events is shown as a gap with its length
GAP = 26  # extra space for such a gap
WIDTH = 720
AXIS_X = 132


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
        f'<a class="node node-{entity.kind}" href="{escape(href)}" tabindex="-1">'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
        f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="#1a1a1a" style="paint-order: stroke" '
        f'stroke="#ffffff" stroke-width="4" stroke-linejoin="round">{escape(entity.name)}</text></a>'
    )


def german_span(event: Event) -> str:
    """'3. Dez. 2024' or '7.–8. Dez. 2024' for the SVG labels."""
    if event.end is None or event.end == event.date:
        return format_date(event.date, "d. MMM yyyy", locale="de_DE")
    if (event.end.year, event.end.month) == (event.date.year, event.date.month):
        return f"{event.date.day}.–" + format_date(event.end, "d. MMM yyyy", locale="de_DE")
    return (
        format_date(event.date, "d. MMM", locale="de_DE")
        + " – "
        + format_date(event.end, "d. MMM yyyy", locale="de_DE")
    )


def _rows(events: list[Event]) -> tuple[list[tuple[int, Event]], list[tuple[int, int]], int]:
    """(y, event) per event, (y, days) per gap, and the total height."""
    y, rows, gaps = 34, [], []
    previous: dt.date | None = None
    for event in events:
        if previous is not None:
            days = (event.date - previous).days
            if days > GAP_DAYS:
                gaps.append((y - ROW // 2 + GAP // 2, days))
                y += GAP
        rows.append((y, event))
        previous = event.end or event.date
        y += ROW
    return rows, gaps, y - ROW + 30


def _gap_label(days: int) -> str:
    """'6 Wochen später' or '17 Tage später'."""
    return f"{round(days / 7)} Wochen später" if days >= 21 else f"{days} Tage später"


def _clip(text: str, limit: int = 66) -> str:
    """A title short enough for one SVG line."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_svg(events: list[Event], link: Callable[[Event], str], *, ident: str = "chronik") -> str:
    """The events as a vertical timeline in SVG: dates left, titles right, gaps labelled; deterministic."""
    rows, gaps, height = _rows(events)
    first, last = (events[0], events[-1]) if events else (None, None)
    span = f"vom {german_span(first)} bis zum {german_span(last)}" if first else "ohne Ereignisse"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="group" aria-labelledby="{ident}-titel {ident}-beschreibung">',
        f'<title id="{ident}-titel">Zeitleiste: {len(events)} Ereignisse {escape(span)}</title>',
        f'<desc id="{ident}-beschreibung">Jedes Ereignis als Punkt auf einer senkrechten Linie, Datum links, '
        "Titel rechts; hervorgehobene Ereignisse als gefüllte Punkte, längere Pausen mit ihrer Dauer. "
        "Die Liste unter der Grafik enthält dieselben Angaben.</desc>",
    ]
    if rows:
        parts.append(
            f'<line class="axis" x1="{AXIS_X}" y1="{rows[0][0]}" x2="{AXIS_X}" y2="{rows[-1][0]}" '
            'stroke="#1d3557" stroke-width="2"/>'
        )
    for y, days in gaps:
        parts.append(
            f'<line class="gap-mask" x1="{AXIS_X}" y1="{y - 9}" x2="{AXIS_X}" y2="{y + 9}" stroke="#fff" stroke-width="4"/>'
            f'<text class="gap" x="{AXIS_X + 16}" y="{y + 4}" font-size="12" fill="#4a4a4a" font-style="italic">'
            f"{_gap_label(days)}</text>"
        )
    for y, event in rows:
        fill = "#1d3557" if event.highlight else "#fff"
        parts.append(
            f'<a href="{escape(link(event))}"><g class="event{" highlight" if event.highlight else ""}">'
            f'<circle cx="{AXIS_X}" cy="{y}" r="7" fill="{fill}" stroke="#1d3557" stroke-width="2"/>'
            f'<text class="date" x="{AXIS_X - 16}" y="{y + 5}" text-anchor="end" font-size="13" fill="#4a4a4a">'
            f"{escape(german_span(event))}</text>"
            f'<text class="title" x="{AXIS_X + 16}" y="{y + 5}" font-size="15" fill="#0b4f8a">{escape(_clip(event.title))}</text>'
            "</g></a>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
