"""An entity is linked at its first mention in each section of an article, not in every paragraph.

A section is the body text between two subheadings (the text before the first one is a section
too). Every mention still counts: entity pages list each one as a backlink. Built from the seeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import Tag
from seed_site import build_seed, copy_seed, soup

from dossier.pipeline import read_dossier
from dossier.text.blocks import blocks
from dossier.text.mentions import entity_key

SECTIONED = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"  # three subheadings
HEADINGS = ("h2", "h3", "h4", "h5", "h6")


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    """The seed project, built (no base URL)."""
    site = build_seed(tmp_path_factory.mktemp("sections"))
    return site.parent


@pytest.fixture(scope="module")
def dossier(seed):
    """The seed dossier as the build read it."""
    return read_dossier(seed).dossier


def _target(href: str) -> str:
    """'personen/mark-rutte' from a link to an entity page."""
    return "/".join(href.split("#")[0].split("/")[-3:-1])


def section_links(page) -> list[dict[str, int]]:
    """Per section of an article body: entity page -> number of mention links to it.

    A mention that another mark cuts into two <a> elements (an annotation ending inside the
    name) is one link: a fragment right after a link to the same page continues it."""
    sections: list[dict[str, int]] = [{}]
    for element in page.select_one(".body").children:
        if not isinstance(element, Tag):
            continue
        if element.name in HEADINGS:
            sections.append({})
            continue
        if element.name != "p":
            continue
        for link in element.select("a.mention"):
            before = link.previous_sibling
            if isinstance(before, Tag) and before.name == "a" and before.get("href") == link["href"]:
                continue
            target = _target(link["href"])
            sections[-1][target] = sections[-1].get(target, 0) + 1
    return sections


def test_seed_article_with_subheadings_links_each_entity_at_most_once_per_section(seed):
    page = soup(seed / "site" / "artikel" / SECTIONED / "index.html")
    sections = section_links(page)
    assert len(sections) == 4  # the text before the first subheading and three sections
    for number, links in enumerate(sections):
        assert links, number
        assert all(count == 1 for count in links.values()), (number, links)
    # Rutte is named in all four sections and linked in each of them, once.
    assert all("personen/mark-rutte" in links for links in sections)


def test_every_article_links_at_most_once_per_section_and_entity(seed):
    for path in sorted((seed / "site" / "artikel").glob("*/index.html")):
        for links in section_links(soup(path)):
            assert all(count == 1 for count in links.values()), (path.parent.name, links)


def test_first_mention_of_a_section_is_linked_the_later_ones_are_not(dossier):
    mentions = [m for m in dossier.mentions if m.article.slug == SECTIONED]
    text = next(a for a in dossier.articles if a.slug == SECTIONED)
    headings = [b.index for b in blocks(text.body) if b.kind == "heading"]

    def section(block: int) -> int:
        return sum(1 for h in headings if h < block)

    seen: set[tuple[int, str]] = set()
    repeated = 0
    for mention in mentions:
        place = (section(mention.block), entity_key(mention.entity))
        assert mention.linked == (place not in seen), (mention.block, mention.surface)
        if place in seen:
            repeated += 1
        seen.add(place)
    assert repeated >= 3  # the seeds repeat names within a section: the rule is exercised


def test_entity_pages_still_list_every_mention(seed, dossier):
    counts: dict[str, int] = {}
    for mention in dossier.mentions:
        counts[entity_key(mention.entity)] = counts.get(entity_key(mention.entity), 0) + 1
    folders = {"person": "personen", "organisation": "organisationen", "place": "orte"}
    unlinked = sum(1 for m in dossier.mentions if not m.linked)
    assert unlinked > 0
    for entity in dossier.entities:
        page = soup(seed / "site" / folders[entity.kind] / entity.slug / "index.html")
        backlinks = page.select("ul.mentions a.backlink")
        assert len(backlinks) == counts.get(entity_key(entity), 0), entity.slug


def test_an_editors_reference_stays_a_link_after_the_first_mention(tmp_path):
    root = copy_seed(tmp_path)
    path = root / "content" / "articles" / f"{SECTIONED}.md"
    text = path.read_text(encoding="utf-8")
    marker = "\n## "
    first = text.index(marker)
    extra = "\n\nDas sagte [der Generalsekretär](person:mark-rutte) später noch einmal, und Mark Rutte blieb dabei.\n"
    path.write_text(text[:first] + extra + text[first:], encoding="utf-8")
    dossier = read_dossier(root).dossier
    mine = [m for m in dossier.mentions if m.article.slug == SECTIONED and m.entity.slug == "mark-rutte"]
    explicit = [m for m in mine if m.explicit]
    assert len(explicit) == 1 and explicit[0].linked
    after = [m for m in mine if m.block == explicit[0].block and not m.explicit]
    assert after and not any(m.linked for m in after)  # already linked in this section
    assert sum(1 for m in mine if m.linked and not m.explicit and m.block < explicit[0].block) == 1
