"""People, organisations and places on the built seed dossier: links, backlinks, references, network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.errors import BuildFailed
from dossier.joins import network
from dossier.pipeline import BuildOptions, build, read_dossier

from conftest import copy_project

# Read from the texts: every person each article body names (image captions and related lists excluded).
PEOPLE_BY_ARTICLE = {
    "nato-chef-mark-rutte-teilt-aus": {
        "mark-rutte",
        "annalena-baerbock",
        "wolodymyr-selenskyj",
        "donald-trump",
        "norbert-roettgen",
        "olaf-scholz",
    },
    "nato-will-die-ukraine-militaerisch-staerken": {
        "mark-rutte",
        "donald-trump",
        "kim-jong-un",
        "xi-jinping",
        "jens-stoltenberg",
        "wolodymyr-selenskyj",
        "dmitri-peskow",
        "annalena-baerbock",
        "wladimir-putin",
        "kaja-kallas",
    },
    "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes": {
        "antony-blinken",
        "mark-rutte",
        "jens-stoltenberg",
        "annalena-baerbock",
        "donald-trump",
        "emmanuel-macron",
        "wolodymyr-selenskyj",
    },
}


def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article(site: Path, slug: str) -> BeautifulSoup:
    """An article page of the built site."""
    return soup(site / "artikel" / slug / "index.html")


def target(href: str) -> tuple[str, str]:
    """(section, slug) an entity link from an article page points at."""
    parts = href.split("#")[0].split("/")
    return parts[-3], parts[-2]


def mention_links(page: BeautifulSoup) -> list:
    """The mention links of an article body."""
    return page.select(".body a.mention")


@pytest.fixture(scope="session")
def dossier(built_project):
    """The seed dossier read and analysed like a build does."""
    result, errors = (_read := read_dossier(built_project)).dossier, _read.problems
    assert not [e for e in errors if e.severity == "error"]
    return result


@pytest.mark.parametrize("slug", sorted(PEOPLE_BY_ARTICLE))
def test_each_article_links_the_people_it_names_and_no_one_else(site, slug):
    linked = {target(a["href"]) for a in mention_links(article(site, slug))}
    people = {s for section, s in linked if section == "personen"}
    assert people == PEOPLE_BY_ARTICLE[slug]


def test_mention_links_point_at_existing_entity_pages(site):
    for slug in PEOPLE_BY_ARTICLE:
        page = site / "artikel" / slug / "index.html"
        for link in mention_links(soup(page)):
            assert (page.parent / link["href"]).resolve().is_file(), link["href"]


def test_rutte_page_links_back_to_every_article_paragraph(site):
    page = site / "personen" / "mark-rutte" / "index.html"
    backlinks = soup(page).select("a.backlink")
    articles = {a["href"].split("/")[-2] for a in backlinks}
    assert articles == set(PEOPLE_BY_ARTICLE)
    for link in backlinks:
        path, fragment = link["href"].split("#")
        assert soup((page.parent / path).resolve()).find(id=fragment) is not None, link["href"]


def test_backlink_shows_the_sentence_with_the_mention_marked(site):
    page = soup(site / "personen" / "dmitri-peskow" / "index.html")
    item = page.select_one("ul.mentions li")
    assert item.mark.get_text() == "Kreml-Sprecher Dmitri Peskow"
    assert "inakzeptabel" in item.get_text() and "in Moskau." in item.get_text()


def backlink_marks(site: Path, folder: str, slug: str, article_slug: str) -> list[str]:
    """The marked surfaces of an entity page's backlinks into one article (linked or not in its body)."""
    page = soup(site / folder / slug / "index.html")
    return [
        li.mark.get_text()
        for li in page.select("ul.mentions li")
        if li.select_one("a.backlink")["href"].split("/")[-2] == article_slug
    ]


def test_der_niederlaender_resolves_to_rutte(site):
    # Rutte is linked earlier in that section, so this mention is a backlink only.
    assert "der Niederländer" in backlink_marks(
        site, "personen", "mark-rutte", "nato-will-die-ukraine-militaerisch-staerken"
    )


def test_genitive_russlands_links_russland(site):
    assert "Russlands" in backlink_marks(site, "orte", "russland", "nato-will-die-ukraine-militaerisch-staerken")


def test_compounds_of_places_are_not_mentions(site):
    text = " ".join(a.get_text() for slug in PEOPLE_BY_ARTICLE for a in mention_links(article(site, slug)))
    assert "Ukraine-" not in text and "US-" not in text


def test_nothing_linked_inside_a_link_or_a_heading(site):
    for slug in PEOPLE_BY_ARTICLE:
        body = article(site, slug).select_one(".body")
        assert not body.select("a a"), slug
        assert not body.select("h1 a.mention, h2 a.mention, h3 a.mention, h4 a.mention"), slug
    first = article(site, "nato-chef-mark-rutte-teilt-aus").select_one(".body p")
    assert "Mark Rutte" in " ".join(a.get_text() for a in first.select("a:not(.mention)"))


def test_mentions_inside_existing_links_are_recorded_but_not_linked(dossier):
    first = [m for m in dossier.mentions if m.article.slug == "nato-chef-mark-rutte-teilt-aus" and m.block == 1]
    rutte = [m for m in first if m.entity.slug == "mark-rutte"]
    assert rutte and not any(m.linked for m in rutte)


def test_every_mention_has_its_sentence(dossier):
    assert dossier.mentions
    for mention in dossier.mentions:
        before, surface, after = mention.in_sentence
        assert surface == mention.surface and before + surface + after == mention.sentence


def test_co_occurrence_is_symmetric_and_counts_shared_sentences(dossier):
    graph = network.co_occurrences(dossier.mentions)
    for a, others in graph.items():
        for b, weight in others.items():
            assert graph[b][a] == weight
    assert graph["person:kim-jong-un"]["person:xi-jinping"] == 1
    assert graph["person:mark-rutte"]["place:russland"] >= 3


def test_entity_page_lists_companions(site):
    page = soup(site / "personen" / "kim-jong-un" / "index.html")
    names = [a.get_text() for a in page.select("ul.companions a")]
    assert "Xi Jinping" in names


def test_entity_index_network_is_accessible_svg(site):
    page = soup(site / "personen" / "index.html")
    svg = page.select_one("svg.network")
    assert svg["role"] == "group"  # role img would hide its links from assistive tech (axe: nested-interactive)
    title, desc = svg.find("title"), svg.find("desc")
    assert title.get_text() and desc.get_text()
    assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
    nodes = {a["href"] for a in svg.find_all("a")}
    assert "../personen/mark-rutte/index.html" in nodes or "mark-rutte/index.html" in nodes
    for href in nodes:
        assert (site / "personen" / href).resolve().is_file(), href
    pairs = page.select("table.network-pairs tbody tr")
    assert len(pairs) == len(svg.select("line"))


def test_network_is_deterministic_across_builds(tmp_path, site):
    root = copy_project(tmp_path / "again")
    build(BuildOptions(root=root))
    for path in ("personen/index.html", "index.html", "personen/mark-rutte/index.html"):
        assert (root / "site" / path).read_bytes() == (site / path).read_bytes(), path


def test_start_page_shows_main_actors_and_nav(site):
    page = soup(site / "index.html")
    actors = [a.get_text() for a in page.select("ul.main-actors a")]
    assert actors[0] == "Mark Rutte" and "Annalena Baerbock" in actors
    assert page.select_one("section svg.network") is not None
    assert "Akteure" in [a.get_text() for a in page.select("nav a")]


def test_entity_index_lists_every_kind(site):
    page = soup(site / "personen" / "index.html")
    names = {a.get_text() for a in page.select("ul.entity-list a")}
    assert {"Mark Rutte", "Nato", "Brüssel", "Andrii Sybiha"} <= names


def test_editor_reference_renders_as_mention_link(project):
    path = project / "content" / "articles" / "nato-will-die-ukraine-militaerisch-staerken.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("seinem Gespräch mit dem", "seinem Gespräch mit [dem Gewählten](person:donald-trump), dem")
    )
    build(BuildOptions(root=project))
    page = article(project / "site", "nato-will-die-ukraine-militaerisch-staerken")
    (link,) = [a for a in page.select(".body a.mention") if a.get_text() == "dem Gewählten"]
    assert target(link["href"]) == ("personen", "donald-trump")


def test_unknown_entity_reference_fails_with_path_line_and_closest_name(project):
    path = project / "content" / "articles" / "nato-will-die-ukraine-militaerisch-staerken.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "Jens Stoltenberg" in line)
    lines[number] = lines[number].replace("der Niederländer", "[der Niederländer](person:mark-rute)")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root=project))
    message = str(failure.value)
    expected = rf"content/articles/nato-will-die-ukraine-militaerisch-staerken\.md:{number + 1}: unknown person 'mark-rute' \(did you mean 'mark-rutte'\?\)"
    assert re.search(expected, message), message
    assert not (project / "site").exists()


def test_network_draws_only_connected_actors(dossier):
    net = network.build_network(dossier.entities, dossier.mentions)
    connected = {e.a.slug for e in net.edges} | {e.b.slug for e in net.edges}
    assert {n.slug for n in net.nodes} == connected
    assert net.nodes[0].slug == "mark-rutte"
    assert all(n.kind in network.NETWORK_KINDS for n in net.nodes)


def test_alias_shared_by_two_entities_warns_and_is_not_linked(project):
    (project / "content" / "people" / "pieter-rutte.md").write_text(
        '---\nname: "Pieter Rutte"\naliases:\n- "Rutte"\n---\n', encoding="utf-8"
    )
    result, errors = (_read := read_dossier(project)).dossier, _read.problems
    warnings = [str(e) for e in errors if e.severity == "warning"]
    assert "content/people/pieter-rutte.md:4: warning: 'Rutte' also names person:mark-rutte" in " ".join(warnings)
    assert "content/people/mark-rutte.md:4: warning: 'Rutte' also names person:pieter-rutte" in " ".join(warnings)
    assert "Rutte" not in {m.surface for m in result.mentions}
    assert "Mark Rutte" in {m.surface for m in result.mentions}
