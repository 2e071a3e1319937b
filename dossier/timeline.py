"""The timeline (Chronik): events checked against the dossier, and drawn as an accessible SVG (pure)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from html import escape

from babel.dates import format_date

from .errors import ContentError
from .model import Article, Entity, Event

ROW = 46  # vertical distance between two events, in SVG units
GAP_DAYS = 14  # a longer pause between two events is shown as a gap with its length
GAP = 26  # extra space for such a gap
WIDTH = 720
AXIS_X = 132


def is_url(source: str) -> bool:
    """Whether an event source is an external address rather than an article slug."""
    return source.startswith(("http://", "https://"))


def _unknown(kind: str, slug: str, known: list[str]) -> str:
    """'unknown article 'x' (did you mean 'y'?)'."""
    near = difflib.get_close_matches(slug, known, n=1)
    return f"unknown {kind} '{slug}'" + (
        f" (did you mean '{near[0]}'?)" if near else f"; known: {', '.join(known[:8])}…"
    )


def check(events: list[Event], articles: list[Article], entities: list[Entity]) -> list[ContentError]:
    """Every source that is neither an article slug nor a URL, every unknown entity, every end before its start."""
    article_slugs = sorted(a.slug for a in articles)
    entity_slugs = sorted(e.slug for e in entities)
    errors = []
    for event in events:
        path, src = event.source.path, event.source
        for i, source in enumerate(event.sources):
            if not is_url(source) and source not in article_slugs:
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
            f'<line x1="{AXIS_X}" y1="{y - 9}" x2="{AXIS_X}" y2="{y + 9}" stroke="#fff" stroke-width="4"/>'
            f'<text class="gap" x="{AXIS_X + 16}" y="{y + 4}" font-size="12" fill="#4a4a4a" font-style="italic">'
            f"{_gap_label(days)}</text>"
        )
    for y, event in rows:
        fill = "#1d3557" if event.highlight else "#fff"
        parts.append(
            f'<a href="{escape(link(event))}"><g class="event">'
            f'<circle cx="{AXIS_X}" cy="{y}" r="7" fill="{fill}" stroke="#1d3557" stroke-width="2"/>'
            f'<text x="{AXIS_X - 16}" y="{y + 5}" text-anchor="end" font-size="13" fill="#4a4a4a">'
            f"{escape(german_span(event))}</text>"
            f'<text x="{AXIS_X + 16}" y="{y + 5}" font-size="15" fill="#0b4f8a">{escape(_clip(event.title))}</text>'
            "</g></a>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


class EventEntry:
    """An event as the timeline page shows it: its description rendered, its sources and entities resolved."""

    def __init__(self, event: Event, body_html: str, articles: dict[str, Article], entities: dict[str, Entity]):
        self.event = event
        self.body_html = body_html
        self.articles = [articles[s] for s in event.sources if s in articles]
        self.links = [s for s in event.sources if is_url(s)]
        self.entities = [entities[s] for s in event.entities if s in entities]
