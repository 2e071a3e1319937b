"""Heading levels on every built page: one h1, no level skipped; the Nu HTML checker finds no error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from seed_site import ROOT, build_seed, pages, soup

VNU = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site."""
    return build_seed(tmp_path_factory.mktemp("headings"))


def skips(levels: list[int]) -> list[tuple[int, int]]:
    """Pairs (previous, next) where a heading goes more than one level deeper than the one before."""
    found, previous = [], 0
    for level in levels:
        if level > previous + 1:
            found.append((previous, level))
        previous = level
    return found


def test_skips_are_found():
    assert skips([1, 3]) == [(1, 3)]
    assert skips([1, 2, 3, 2, 3, 2]) == []
    assert skips([2]) == [(0, 2)]


def test_every_page_has_one_h1_first_and_skips_no_level(site):
    for path in pages(site):
        levels = [int(h.name[1]) for h in soup(path).find_all(HEADINGS)]
        assert levels[:1] == [1] and levels.count(1) == 1, path
        assert skips(levels) == [], f"{path.relative_to(site)}: {levels}"


def test_topic_and_article_list_cards_are_h2_under_the_h1(site):
    for path in [site / "artikel" / "index.html", *sorted((site / "themen").glob("*/index.html"))]:
        cards = soup(path).select(".card")
        assert cards, path
        assert all(card.find(HEADINGS).name == "h2" for card in cards), path
    start = soup(site / "index.html").select(".card")
    assert start and all(card.find(HEADINGS).name == "h3" for card in start)  # under "Artikel im Dossier"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None or not VNU.is_file(), reason="needs Java and the vnu jar")
def test_the_nu_html_checker_finds_no_error_on_any_page(site):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", str(site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr or result.stdout
    assert "error" not in result.stderr.lower(), result.stderr


def test_annotation_cards_have_a_heading_under_their_article(site):
    page = soup(site / "anmerkungen" / "index.html")
    cards = page.select("article.annotation-card")
    assert cards
    for card in cards:
        heading = card.find(HEADINGS)
        assert heading.name == "h3" and heading.find_previous("h2") is not None
        assert heading.get_text(" ", strip=True).startswith(card.find(class_="annotation-kind").get_text())
