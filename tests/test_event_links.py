"""Timeline events on the pages they concern, built from the seeds (content/timeline/ has 8 events).

A person's, organisation's or place's page lists the events that involve it (`entities:`), an
article's page the events that cite it (`source:`), each with its German date and a link to
the event's anchor on the timeline page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from seed_site import ROOT, build_seed, soup

FOLDERS = {"people": "personen", "organisations": "organisationen", "places": "orte"}
MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def german(day: dt.date) -> str:
    """'4. Dezember 2024'."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def front_matter(path: Path) -> dict:
    """The YAML front matter of a content file."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site, built."""
    return build_seed(tmp_path_factory.mktemp("events"))


@pytest.fixture(scope="module")
def events() -> dict[str, dict]:
    """Event slug -> its front matter, read from the seed files themselves."""
    return {p.stem: front_matter(p) for p in sorted((ROOT / "content" / "timeline").glob("*.md"))}


def entity_folders() -> dict[str, str]:
    """Entity slug -> its output folder ('personen/mark-rutte')."""
    found = {}
    for kind, folder in FOLDERS.items():
        for path in (ROOT / "content" / kind).glob("*.md"):
            found[path.stem] = f"{folder}/{path.stem}"
    return found


def listed(page_path: Path) -> list[tuple[str, str, str]]:
    """(event slug, date text, title) of each event a page lists, in its order; links checked."""
    page = soup(page_path)
    section = page.select_one("section.event-links")
    if section is None:
        return []
    assert section.h2.get_text() == "In der Chronik"
    rows = []
    for item in section.select("li"):
        link = item.a
        target, _, fragment = link["href"].partition("#")
        assert (page_path.parent / target).resolve() == (page_path.parents[2] / "chronik" / "index.html").resolve()
        assert fragment.startswith("ereignis-")
        time = link.find("time")
        assert dt.date.fromisoformat(time["datetime"])
        title = link.get_text().split(": ", 1)[1]
        rows.append((fragment.removeprefix("ereignis-"), time.get_text(), title))
    return rows


def test_seeds_have_eight_events(events):
    assert len(events) == 8


def test_entity_pages_list_exactly_the_events_that_involve_them(site, events):
    folders = entity_folders()
    expected: dict[str, list[str]] = {folder: [] for folder in folders.values()}
    for slug, meta in sorted(events.items(), key=lambda item: (item[1]["date"], item[0])):
        for entity in meta.get("entities", []):
            expected[folders[entity]].append(slug)
    assert sum(len(v) for v in expected.values()) == sum(len(m.get("entities", [])) for m in events.values())
    for folder, slugs in expected.items():
        rows = listed(site / folder / "index.html")
        assert [slug for slug, _, _ in rows] == slugs, folder  # in timeline order
        for slug, date_text, title in rows:
            assert date_text == german(events[slug]["date"])
            assert title == events[slug]["title"]


def test_article_pages_list_exactly_the_events_that_cite_them(site, events):
    expected: dict[str, set[str]] = {p.stem: set() for p in (ROOT / "content" / "articles").glob("*.md")}
    for slug, meta in events.items():
        sources = meta.get("source", [])
        for source in [sources] if isinstance(sources, str) else sources:
            if source in expected:
                expected[source].add(slug)
    assert all(expected.values())  # every seed article is cited by an event
    for article, slugs in expected.items():
        rows = listed(site / "artikel" / article / "index.html")
        assert {slug for slug, _, _ in rows} == slugs, article
        dates = [events[slug]["date"] for slug, _, _ in rows]
        assert dates == sorted(dates)
        assert all(date_text == german(events[slug]["date"]) for slug, date_text, _ in rows)


def test_mark_rutte_page_shows_his_four_events_with_german_dates(site):
    rows = listed(site / "personen" / "mark-rutte" / "index.html")
    assert [(slug, date) for slug, date, _ in rows] == [
        ("rutte-wird-generalsekretaer", "1. Oktober 2024"),
        ("rutte-trifft-trump", "22. November 2024"),
        ("treffen-erster-tag", "3. Dezember 2024"),
        ("treffen-zweiter-tag", "4. Dezember 2024"),
    ]


def test_event_links_reach_an_event_on_the_timeline(site):
    timeline = soup(site / "chronik" / "index.html")
    for page in sorted(site.glob("*/*/index.html")):
        for slug, _, title in listed(page):
            item = timeline.find(id=f"ereignis-{slug}")
            assert item is not None and item.name == "li", (page, slug)
            assert title in item.h2.get_text()


def test_pages_without_events_show_no_section(site):
    assert not listed(site / "personen" / "xi-jinping" / "index.html")
    assert not soup(site / "orte" / "china" / "index.html").select("#chronik-heading")
