"""An Atom feed per topic and per person, as Pelican and Hugo offer, built from the seeds.

Each is written beside its page (``themen/<slug>/feed.xml``, ``personen/<slug>/feed.xml``, paths
from `site.urls`) only when a base URL is known, and advertised on that page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from lxml import etree
from seed_site import BASE_URL, build_seed, soup

from dossier.site import urls

ATOM = "{http://www.w3.org/2005/Atom}"
RUTTE_TEILT_AUS = "nato-chef-mark-rutte-teilt-aus"
UKRAINE_STAERKEN = "nato-will-die-ukraine-militaerisch-staerken"
TREFFEN = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"
# Read from the seed files: the tags of each article, and who the article bodies name.
TOPICS = {
    "nato": {RUTTE_TEILT_AUS, UKRAINE_STAERKEN},
    "nordkorea": {RUTTE_TEILT_AUS},
    "bruessel": {UKRAINE_STAERKEN},
    "usa": {UKRAINE_STAERKEN},
}
PEOPLE = {
    "mark-rutte": {RUTTE_TEILT_AUS, UKRAINE_STAERKEN, TREFFEN},
    "kaja-kallas": {UKRAINE_STAERKEN},
    "emmanuel-macron": {TREFFEN},
    "norbert-roettgen": {RUTTE_TEILT_AUS},
    "andrii-sybiha": set(),  # only in an image caption
}


@pytest.fixture(scope="module")
def based(tmp_path_factory) -> Path:
    """The seed site built with a base URL."""
    return build_seed(tmp_path_factory.mktemp("feeds"), base_url=BASE_URL)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The seed site built without a base URL."""
    return build_seed(tmp_path_factory.mktemp("feeds-plain"))


def article_slug(url: str) -> str:
    """'nato-chef-mark-rutte-teilt-aus' from an article's absolute URL."""
    assert url.startswith(BASE_URL + "artikel/"), url
    return url[len(BASE_URL + "artikel/") :].strip("/")


def entry_slugs(path: Path) -> list[str]:
    """The article slugs a feed lists, in its order."""
    feed = etree.parse(str(path)).getroot()
    return [article_slug(e.find(f"{ATOM}link[@rel='alternate']").get("href")) for e in feed.findall(f"{ATOM}entry")]


def feeds(site: Path) -> list[Path]:
    """Every topic and person feed of a built site."""
    return sorted([*site.glob("themen/*/feed.xml"), *site.glob("personen/*/feed.xml")])


def test_paths_are_declared_in_urls():
    assert urls.entry_feed("topic", "nato") == "themen/nato/feed.xml"
    assert urls.entry_feed("person", "mark-rutte") == "personen/mark-rutte/feed.xml"
    with pytest.raises(ValueError):
        urls.entry_feed("article", "x")


def test_every_topic_and_person_has_a_feed(based):
    topics = {p.parent.name for p in based.glob("themen/*/index.html")}
    people = {p.parent.name for p in based.glob("personen/*/index.html")}
    assert {p.parent.name for p in based.glob("themen/*/feed.xml")} == topics
    assert {p.parent.name for p in based.glob("personen/*/feed.xml")} == people
    assert not list(based.glob("organisationen/*/feed.xml")) and not list(based.glob("orte/*/feed.xml"))


@pytest.mark.parametrize("kind", ["topic", "person"])
def test_feeds_have_rfc4287_required_elements(based, kind):
    section = urls.SECTIONS[kind]
    for path in sorted(based.glob(f"{section}/*/feed.xml")):
        slug = path.parent.name
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        page_url = urls.absolute(BASE_URL, urls.entry(kind, slug))
        assert feed.findtext(f"{ATOM}id") == page_url
        assert (feed.findtext(f"{ATOM}title") or "").strip()
        assert (feed.findtext(f"{ATOM}updated") or "").endswith("Z")
        assert (feed.findtext(f"{ATOM}author/{ATOM}name") or "").strip()
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + urls.entry_feed(kind, slug)
        assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == page_url
        entries = feed.findall(f"{ATOM}entry")
        for entry in entries:
            for name in ("id", "title", "updated"):
                assert (entry.findtext(f"{ATOM}{name}") or "").strip(), (slug, name)
            link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert entry.findtext(f"{ATOM}id") == link
            assert (based / link[len(BASE_URL) :] / "index.html").is_file()
        if entries:
            assert feed.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries)
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (slug, parsed.bozo_exception)
        assert len(parsed.entries) == len(entries)


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_topic_feed_lists_exactly_the_tagged_articles(based, slug):
    assert set(entry_slugs(based / urls.entry_feed("topic", slug))) == TOPICS[slug]


@pytest.mark.parametrize("slug", sorted(PEOPLE))
def test_person_feed_lists_exactly_the_articles_that_mention_them(based, slug):
    assert set(entry_slugs(based / urls.entry_feed("person", slug))) == PEOPLE[slug]


def test_feeds_agree_with_their_pages(based):
    for path in feeds(based):
        page = soup(path.parent / "index.html")
        if path.parent.parent.name == "themen":
            shown = {a["href"].split("/")[-2] for a in page.select(".cards a[href*='artikel/']")}
        else:  # the articles an entity page lists mentions from
            shown = {a["href"].split("/")[-2] for a in page.select("#erwaehnungen ~ h3 a")}
        slugs = entry_slugs(path)
        assert len(slugs) == len(set(slugs)) and set(slugs) == shown, path


def test_pages_advertise_their_feed(based):
    for path in feeds(based):
        page = soup(path.parent / "index.html")
        links = page.select("link[rel=alternate][type='application/atom+xml']")
        hrefs = [urljoin(BASE_URL + path.parent.relative_to(based).as_posix() + "/", a["href"]) for a in links]
        assert hrefs == [BASE_URL + "feed.xml", BASE_URL + path.relative_to(based).as_posix()], path
        assert all(a.get("title") for a in links)
    place = soup(based / "orte" / "bruessel" / "index.html")
    assert len(place.select("link[type='application/atom+xml']")) == 1  # the site's feed only


def test_without_base_url_no_entry_feeds_and_none_advertised(plain):
    assert not feeds(plain)
    for page in [*plain.glob("themen/*/index.html"), *plain.glob("personen/*/index.html")]:
        assert not soup(page).select("link[type='application/atom+xml']"), page
