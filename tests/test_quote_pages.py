"""A large quote index is split into one page per speaker (at 10,000 articles the one page would be 25 MB):
the index lists the speakers, each speaker's page holds all of their statements, every quotation in an
article links to its entry there, and a speaker's new role re-renders their page of the index only.

The corpus is small and the page limit lowered, so the split is the one a large dossier gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_incremental import clean_build, counting_renders, site_files

from bench.corpus import generate
from dossier.pipeline import BuildOptions, build
from dossier.site import urls
from dossier.site.links import resolve


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture
def split(tmp_path, monkeypatch) -> Path:
    """A generated dossier whose quote index has more groups than one page holds."""
    monkeypatch.setattr(urls, "QUOTES_ON_ONE_PAGE", 20)
    root = generate(tmp_path / "project", articles=40, seed=9).root
    build(BuildOptions(root=root, jobs=2, search=False))
    return root


def speaker_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Output path -> page, for every speaker's page of the quote index."""
    return {
        p.relative_to(site).as_posix(): soup(p)
        for p in sorted((site / "zitate").rglob("index.html"))
        if p.parent != site / "zitate"
    }


def test_the_index_lists_every_speaker_and_each_page_holds_their_statements(split):
    site = split / "site"
    index = soup(site / "zitate" / "index.html")
    assert index.select("blockquote") == [], "the index itself lists speakers, not statements"
    pages = speaker_pages(site)
    listed = [resolve("zitate/index.html", a["href"])[0] for a in index.select("nav.speaker-index a")]
    assert listed and sorted(listed) == sorted(pages), "one page per listed speaker, each listed once"
    total = 0
    for path, page in pages.items():
        figures = page.select("figure.quote-group")
        assert figures, path
        total += len(figures)
        heading = page.select_one("h1 a")
        if heading is not None:  # a known speaker: linked to their entity page, which links back here
            entity_path = resolve(path, heading["href"])[0]
            entity = soup(site / entity_path)
            back = entity.select_one("section.entity-quotes p a")
            assert resolve(entity_path, back["href"])[0] == path
            assert len(entity.select("section.entity-quotes figure.quote-group")) == len(figures)
    counts = [int(re.search(r"\((\d+)\)", li.get_text()).group(1)) for li in index.select("nav.speaker-index li")]
    assert total == sum(counts) > 20


def test_every_quotation_links_to_its_entry_on_its_speakers_page(split):
    site = split / "site"
    refs = 0
    for article in sorted((site / "artikel").glob("*/index.html")):
        path = article.relative_to(site).as_posix()
        for ref in soup(article).select(".body a.quote-ref"):
            target, fragment = resolve(path, ref["href"])
            assert target.startswith("zitate/") and target != "zitate/index.html", ref["href"]
            assert soup(site / target).find(id=fragment) is not None, ref["href"]
            refs += 1
    assert refs > 20


def test_a_new_role_renders_its_speakers_page_only_and_equals_a_clean_build(split, monkeypatch, tmp_path):
    site = split / "site"
    pages = speaker_pages(site)
    person = next(p for p in pages if p.startswith("zitate/personen/"))
    slug = person.split("/")[2]
    entity = split / "content" / "people" / f"{slug}.md"
    text = entity.read_text(encoding="utf-8")
    entity.write_text(re.sub(r'^role: "(.*)"$', r'role: "\1 (neu)"', text, count=1, flags=re.M), encoding="utf-8")
    renders = counting_renders(monkeypatch)
    build(BuildOptions(root=split, jobs=2, search=False))
    rendered = {p for p in renders if p.startswith("zitate/")}
    assert rendered == {person}, rendered
    assert "(neu)" in soup(site / person).select_one("p.meta").get_text()
    assert site_files(site) == clean_build(split, tmp_path / "clean", search=False)


def test_a_small_quote_index_stays_one_page(tmp_path):
    root = generate(tmp_path / "project", articles=6, seed=9).root
    build(BuildOptions(root=root, jobs=1, search=False))
    index = soup(root / "site" / "zitate" / "index.html")
    assert index.select("blockquote") and not speaker_pages(root / "site")
