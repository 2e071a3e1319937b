"""Passages shared between articles: found on the real seeds, marked and linked both ways."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.content.model import Article, Source
from dossier.joins.passages import join_passages
from dossier.pipeline import read_dossier
from dossier.text.blocks import blocks
from dossier.text.comparable import comparable_sentences

RUTTE_TEILT_AUS = "nato-chef-mark-rutte-teilt-aus"
UKRAINE_STAERKEN = "nato-will-die-ukraine-militaerisch-staerken"
WENIG_KONKRETES = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"
SHARED_BY_TAZ = {
    "Deutschland und die anderen Alliierten müssten daher noch mehr für Kiew tun": "partial",
    "Zumindest die freien, nicht von Russland": "near",  # "besetzten" / "besetzen"
    "Allerdings wollte sie sich in dieser Frage nicht festlegen.": "exact",
    "„Es braucht Sicherheitsgarantien, die auch wirklich tragen“, erklärte die Grünen-Politikerin": "exact",
}


def soup(path: Path) -> BeautifulSoup:
    """A parsed HTML page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def passages(built_project):
    """The shared passages of the session's project copy."""
    dossier, _ = (_read := read_dossier(built_project)).dossier, _read.problems
    return dossier.passages


def test_the_taz_articles_share_these_passages(passages):
    found = {}
    for passage in passages:
        assert {o.article for o in passage.occurrences} == {RUTTE_TEILT_AUS, UKRAINE_STAERKEN}
        for start in SHARED_BY_TAZ:
            if all(start in o.text for o in passage.occurrences):
                found[start] = passage.match
    assert found == SHARED_BY_TAZ


def test_third_article_shares_no_sentence_with_the_taz(passages):
    assert all(o.article != WENIG_KONKRETES for p in passages for o in p.occurrences)


def _article(slug: str, body: str) -> Article:
    return Article(slug, slug, dt.date(2024, 12, 4), body, Source(f"content/articles/{slug}.md", 5))


def find_passages(articles):
    """The build's path: each article's comparable sentences (its analysis), then the join across them."""
    return join_passages([a.slug for a in articles], [comparable_sentences(blocks(a.body)) for a in articles])[0]


def test_short_sentences_do_not_count_and_paragraph_runs_merge():
    one = _article(
        "a",
        "Hände wurden geschüttelt. Die Minister sprachen lange über die Lage. Danach gingen alle nach Hause zurück.",
    )
    two = _article(
        "b",
        "Hände wurden geschüttelt. Die Minister sprachen lange über die Lage. Danach gingen alle nach Hause zurück!",
    )
    (passage,) = find_passages([one, two])
    assert passage.match == "exact"
    assert passage.occurrences[0].text.startswith("Die Minister sprachen")
    assert all(o.text.endswith(("zurück.", "zurück!")) for o in passage.occurrences)


def test_three_articles_sharing_a_sentence_make_one_passage():
    sentence = "Die Allianz müsse sich auf mögliche Friedensgespräche einstellen."
    articles = [_article(s, f"Anfang {s}. {sentence}") for s in ("a", "b", "c")]
    (passage,) = find_passages(articles)
    assert [o.article for o in passage.occurrences] == ["a", "b", "c"]


def test_join_on_each_articles_sentences_finds_exact_near_and_partial_passages():
    exact = "Die Minister sprachen lange über die Lage in Brüssel."
    near = "Zumindest die freien, nicht von Russland besetzten Gebiete müssten geschützt werden."
    partial = "Deutschland und die anderen Alliierten müssten daher noch mehr für Kiew tun, sagte sie."
    articles = [
        _article("a", f"Vorweg etwas ganz anderes. {exact}\n\n{near}\n\n{partial}"),
        _article(
            "b",
            f"{exact} Dann etwas völlig Eigenes.\n\nOhne jeden Bezug zu den anderen Texten hier.\n\n"
            + near.replace("besetzten", "besetzen"),
        ),
        _article("c", partial.replace("sagte sie", "meinte er am Abend") + f"\n\nHier steht es. {exact}"),
    ]
    slugs = [a.slug for a in articles]
    found, answers = join_passages(slugs, [comparable_sentences(blocks(a.body)) for a in articles])
    assert answers  # the near match was asked, and its answer comes back to be kept
    summary = [(p.match, [(o.article, o.number, o.text) for o in p.occurrences]) for p in found]
    assert summary == [
        ("exact", [("a", 1, exact), ("b", 1, exact), ("c", 2, exact)]),
        ("near", [("a", 2, near), ("b", 2, near.replace("besetzten", "besetzen"))]),
        ("partial", [("a", 3, partial), ("c", 1, partial.replace("sagte sie", "meinte er am Abend"))]),
    ]


def resolve(page_path: str, href: str) -> tuple[str, str]:
    """(output path, fragment) a relative link points to."""
    target, _, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target)), fragment


def test_shared_passages_are_marked_and_linked_both_ways(site):
    links: set[tuple[str, str, str, str]] = set()
    for slug in (RUTTE_TEILT_AUS, UKRAINE_STAERKEN):
        path = f"artikel/{slug}/index.html"
        page = soup(site / path)
        marks = page.select(".body span.shared")
        assert len(marks) >= 4, slug
        for note in page.select(".body aside.shared-note p"):
            here = note.select_one("a.shared-here")["href"].lstrip("#")
            assert page.find(id=here).find_parent("span", class_="shared") is not None
            for link in note.select(
                "a:not(.shared-here):not(.shared-compare)"
            ):  # the comparison: tests/test_compare.py
                target, fragment = resolve(path, link["href"])
                other = soup(site / target)
                assert other.find(id=fragment).find_parent("span", class_="shared") is not None
                links.add((path, here, target, fragment))
    assert len(links) == 2 * 4
    assert all((t, f, p, h) in links for p, h, t, f in links), "every link has its way back"


# --- links between the articles (related lists, inline links) ------------------------------------


def test_related_lists_link_internally_both_ways(site):
    pairs = {(RUTTE_TEILT_AUS, UKRAINE_STAERKEN), (UKRAINE_STAERKEN, RUTTE_TEILT_AUS)}
    for here, there in pairs:
        path = f"artikel/{here}/index.html"
        page = soup(site / path)
        internal = page.select(".related a.intern")
        assert [resolve(path, a["href"])[0] for a in internal] == [f"artikel/{there}/index.html"]
        outside = page.select(".related .outside")
        assert outside and not any(o.find("a") for o in outside)
        assert len(internal) + len(outside) == len(page.select(".related li"))


def test_inline_link_to_a_dossier_article_is_internal_and_the_rest_are_marked_external(site):
    path = f"artikel/{RUTTE_TEILT_AUS}/index.html"
    page = soup(site / path)
    (internal,) = page.select(".body a.intern")
    assert internal.get_text() == "russischen Angriffskrieg in der Ukraine"
    assert resolve(path, internal["href"])[0] == f"artikel/{UKRAINE_STAERKEN}/index.html"
    for slug in (RUTTE_TEILT_AUS, UKRAINE_STAERKEN):
        for link in soup(site / f"artikel/{slug}/index.html").select(".body a[href^='http']"):
            assert "extern" in link["class"] and link["rel"] == ["external"]
            assert link.select_one(".visually-hidden").get_text() == " (externer Link)"
