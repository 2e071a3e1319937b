"""The timeline (Chronik): content checks, the page, the SVG, the start page preview."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.content.model import Event, Source
from dossier.errors import BuildFailed
from dossier.pipeline import BuildOptions, build
from dossier.site.pictures import german_span, timeline_svg

REQUIRED = {
    "2024-11-22": "Trump",  # Rutte meets Trump in Florida ("vor eineinhalb Wochen")
    "2024-12-01": "Kallas",  # first day in office, in Kyjiw
    "2024-12-03": "Außenministertreffen",
    "2024-12-04": "Abschluss",
    "2024-12-07": "Notre-Dame",
    "2025-01-20": "Amtseinführung",
}


def soup(path: Path) -> BeautifulSoup:
    """A parsed HTML page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def resolve(page_path: str, href: str) -> tuple[str, str]:
    """(output path, fragment) a relative link points to."""
    target, _, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target)), fragment


@pytest.fixture(scope="module")
def chronicle(site) -> BeautifulSoup:
    """The built timeline page."""
    return soup(site / "chronik" / "index.html")


def test_events_are_sorted_and_the_required_ones_are_there(chronicle):
    items = chronicle.select("ol.timeline > li")
    dates = [li.find("time")["datetime"] for li in items]
    assert dates == sorted(dates)
    titles = {li.find("time")["datetime"]: li.h2.get_text(" ") for li in items}
    for date, word in REQUIRED.items():
        assert word in titles.get(date, ""), (date, titles.get(date))


def test_every_event_names_its_source_and_the_links_work(site, chronicle):
    for li in chronicle.select("ol.timeline > li"):
        sources = li.find("span", string=re.compile("^Quelle")).parent.select("a")
        assert sources, li["id"]
        for link in sources:
            if "extern" in link.get("class", []):
                assert link["href"].startswith("https://")
                continue
            target, _ = resolve("chronik/index.html", link["href"])
            assert target.startswith("artikel/") and (site / target).is_file(), link["href"]
        for link in li.select("a[href*='personen/'], a[href*='orte/'], a[href*='organisationen/']"):
            assert (site / resolve("chronik/index.html", link["href"])[0]).is_file()


def test_svg_is_accessible_and_points_at_the_list(chronicle):
    svg = chronicle.select_one("figure svg")
    assert svg["role"] == "group"  # role img would hide its links from assistive tech (axe: nested-interactive)
    for ident in svg["aria-labelledby"].split():
        assert svg.find(id=ident) is not None
    assert svg.find("title").get_text().startswith("Zeitleiste: 8 Ereignisse")
    assert "Liste" in svg.find("desc").get_text()
    items = chronicle.select("ol.timeline > li")
    assert len(svg.find_all("circle")) == len(items)
    for link in svg.find_all("a"):
        assert chronicle.find(id=link["href"].partition("#")[2]) is not None


def _event(slug: str, date: dt.date, **kwargs) -> Event:
    return Event(slug, date, slug.title(), Source(f"content/timeline/{slug}.md", 5), **kwargs)


def test_svg_is_deterministic_and_marks_long_gaps():
    events = [
        _event("a", dt.date(2024, 10, 1)),
        _event("b", dt.date(2024, 12, 3), end=dt.date(2024, 12, 4), highlight=True),
        _event("c", dt.date(2024, 12, 10)),
    ]
    first = timeline_svg(events, lambda e: f"#{e.anchor}")
    assert first == timeline_svg(list(events), lambda e: f"#{e.anchor}")
    assert "9 Wochen später" in first and first.count("später") == 1
    assert german_span(events[1]) == "3.–4. Dez. 2024"
    assert first.count('fill="#1d3557" stroke') == 1  # only the highlighted event is filled


def test_start_page_previews_the_highlighted_events(site):
    home = soup(site / "index.html")
    section = home.find(id="chronik").find_parent("section")
    links = section.select("ol.timeline-preview a")
    assert len(links) == 6
    chronicle = soup(site / "chronik" / "index.html")
    for link in links:
        target, fragment = resolve("index.html", link["href"])
        assert target == "chronik/index.html" and chronicle.find(id=fragment) is not None
    assert section.select_one("svg[role=group] title") is not None
    nav = [a.get_text() for a in home.select("header nav a")]
    assert "Chronik" in nav and "Zitate" in nav


def test_timeline_page_is_the_same_on_every_build(site, project):
    build(BuildOptions(root=project))
    assert (project / "site" / "chronik" / "index.html").read_bytes() == (site / "chronik" / "index.html").read_bytes()


def test_unknown_slugs_fail_with_path_and_line(project):
    path = project / "content" / "timeline" / "test-ereignis.md"
    path.write_text(
        "---\n"
        "title: Ein Ereignis\n"
        "date: 2024-12-05\n"
        "source:\n"
        "- https://example.org/bericht\n"
        "- nato-will-die-ukraine-militaerisch-starken\n"
        "entities:\n"
        "- mark-rutte\n"
        "- kaja-kalas\n"
        "---\n\nText.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root=project))
    message = str(failure.value)
    where = re.escape("content/timeline/test-ereignis.md")
    assert re.search(
        rf"{where}:6: unknown article 'nato-will-die-ukraine-militaerisch-starken' "
        r"\(did you mean 'nato-will-die-ukraine-militaerisch-staerken'\?\)",
        message,
    ), message
    assert re.search(rf"{where}:9: unknown entity 'kaja-kalas' \(did you mean 'kaja-kallas'\?\)", message), message
    assert not (project / "site").exists()


def test_event_without_source_fails(project):
    path = project / "content" / "timeline" / "ohne-quelle.md"
    path.write_text("---\ntitle: Ohne Quelle\ndate: 2024-12-05\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match=r"content/timeline/ohne-quelle\.md:1: missing required key 'source'"):
        build(BuildOptions(root=project))
