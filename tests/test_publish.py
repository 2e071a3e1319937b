"""Publishing on the real content: feed, sitemap, robots.txt, Open Graph and JSON-LD for a base
URL, the 404 page at any depth, the search page and index, and the GitHub Pages workflow.

Browser and external-checker tests of the same site are in test_standards.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from dossier.pipeline import BuildOptions, build
from dossier.site import search

from browser import NODE_MODULES, html_pages
from conftest import ROOT, copy_project

BASE = "https://example.org/dossier/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEMAP_XSD = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def based(tmp_path_factory) -> Path:
    """site/ of a project copy built with --base-url https://example.org/dossier/."""
    project = copy_project(tmp_path_factory.mktemp("based"))
    build(BuildOptions(root=project, base_url=BASE))
    return project / "site"


def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def canonical(page: BeautifulSoup) -> str:
    """The page's canonical URL."""
    return page.select_one("link[rel=canonical]")["href"]


def article_paths(site: Path) -> list[str]:
    """Output paths of the article pages."""
    return [p for p in html_pages(site) if re.fullmatch(r"artikel/[^/]+/index\.html", p)]


def test_feed_has_rfc4287_required_elements_and_canonical_urls(based):
    feed = etree.parse(str(based / "feed.xml")).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == BASE + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    pages = {canonical(soup(based / p)): soup(based / p).h1.get_text(" ", strip=True) for p in article_paths(based)}
    assert len(entries) == len(pages) >= 3
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link in pages and entry.findtext(f"{ATOM}id") == link
        assert pages[link] in entry.findtext(f"{ATOM}title")
    newest = max(e.findtext(f"{ATOM}updated") for e in entries)
    assert feed.findtext(f"{ATOM}updated") == newest  # the newest article, never the build time
    parsed = feedparser.parse((based / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == len(entries)


def test_pages_name_the_feed(based):
    link = soup(based / "index.html").select_one("link[rel=alternate][type='application/atom+xml']")
    assert urljoin(BASE, link["href"]) == BASE + "feed.xml"


def test_sitemap_is_valid_and_lists_every_canonical_page(based):
    result = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SITEMAP_XSD), str(based / "sitemap.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    locs = [e.text for e in etree.parse(str(based / "sitemap.xml")).getroot().iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs)) and all(loc.startswith(BASE) for loc in locs)
    expected = {canonical(soup(based / p)) for p in html_pages(based) if p not in ("404.html", "suche/index.html")}
    assert set(locs) == expected


def test_robots_txt_names_the_sitemap(based, site):
    assert "Sitemap: https://example.org/dossier/sitemap.xml" in (based / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap" not in (site / "robots.txt").read_text(encoding="utf-8")


def test_without_base_url_no_feed_sitemap_or_canonical(site):
    assert not (site / "feed.xml").exists() and not (site / "sitemap.xml").exists()
    home = soup(site / "index.html")
    assert home.select_one("link[rel=canonical]") is None
    assert home.select_one("meta[property='og:url']") is None


def json_ld(page: BeautifulSoup) -> dict:
    """The page's JSON-LD object (on an article page with fact checks, the NewsArticle; they have their own)."""
    scripts = [json.loads(s.string) for s in page.select("script[type='application/ld+json']")]
    main = [data for data in scripts if data.get("@type") != "ClaimReview" and "@graph" not in data]
    assert len(main) == 1
    return main[0]


def test_article_pages_carry_news_article_json_ld_and_open_graph(based):
    for path in article_paths(based):
        page = soup(based / path)
        data = json_ld(page)
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] == page.h1.get_text(" ", strip=True)
        assert data["url"] == data["mainEntityOfPage"] == canonical(page) == BASE + path.removesuffix("index.html")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["datePublished"])
        assert data["datePublished"] == page.select_one("time")["datetime"]
        og = {m["property"]: m["content"] for m in page.select("meta[property]")}
        assert og["og:type"] == "article" and og["og:url"] == canonical(page)
        assert og["og:title"] == data["headline"] and og["og:locale"] == "de_DE"
        assert og["og:description"] == page.select_one("meta[name=description]")["content"]


def test_person_pages_carry_person_json_ld(based):
    people = [p for p in html_pages(based) if re.fullmatch(r"personen/[^/]+/index\.html", p)]
    assert people
    for path in people:
        page = soup(based / path)
        data = json_ld(page)
        assert data["@type"] == "Person" and data["name"] == page.h1.get_text(" ", strip=True)
        assert data["url"] == canonical(page)
    rutte = json_ld(soup(based / "personen" / "mark-rutte" / "index.html"))
    assert rutte["sameAs"].startswith("https://www.wikidata.org/wiki/Q")


def test_base_url_changes_only_canonical_urls_feed_sitemap_and_open_graph(based, site):
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "pagefind" not in p.parts}

    entry_feeds = {p for p in files(based) if re.fullmatch(r"(themen|personen)/[^/]+/feed\.xml", p)}
    assert entry_feeds  # a feed per topic and per person (test_entry_feeds.py)
    assert files(based) - files(site) == {"feed.xml", "sitemap.xml", *entry_feeds}
    assert files(site) - files(based) == set()

    def stripped(path: Path) -> str:
        page = soup(path)
        for element in page.select(
            "link[rel=canonical], link[type='application/atom+xml'], meta[property='og:url'], "
            "script[type='application/ld+json'], base"
        ):
            element.decompose()
        return re.sub(r"\s+", " ", str(page))

    for path in sorted(files(site)):
        if path.endswith(".html"):
            assert stripped(based / path) == stripped(site / path), path
        elif path not in ("robots.txt", "anmerkungen/annotations.jsonld"):  # the Web Annotations name absolute URLs
            assert (based / path).read_bytes() == (site / path).read_bytes(), path


def test_404_page_links_work_at_any_depth_with_a_base_url(based, site):
    page = soup(based / "404.html")
    assert page.select_one("head > base")["href"] == BASE
    served_at = BASE + "gibt/es/nicht/index.html"  # a host serves 404.html for any unknown URL
    targets = [e.get("href") or e.get("src") for e in page.select("a[href], link[href], script[src]")]
    assert len(targets) > 5
    for target in targets:
        url = urljoin(urljoin(served_at, BASE), target)  # <base href> wins over the request URL
        if url.startswith(BASE):
            path = urlsplit(url).path.removeprefix("/dossier/") or "index.html"
            assert (based / path).is_file(), target
    assert soup(site / "404.html").select_one("base") is None  # without a base URL: relative links


def test_every_page_has_a_search_field_that_submits_to_the_search_page(site):
    for path in html_pages(site):
        form = soup(site / path).select_one("header form[role=search]")
        assert form is not None and form.get("method") == "get", path
        target = (site / path).parent / form["action"]
        assert target.resolve() == (site / "suche" / "index.html").resolve(), path
        assert form.select_one("input[name=q]") is not None
        assert form.select_one("label") is not None
    nav = [a.get_text(strip=True) for a in soup(site / "index.html").select("nav a")]
    assert "Suche" in nav


def test_search_page_says_plainly_that_search_needs_a_web_server(site):
    page = soup(site / "suche" / "index.html")
    notice = page.select_one("#search-offline")
    assert "Webserver" in notice.get_text() and "file://" in notice.get_text()
    assert page.select_one("noscript") is not None
    script = page.select_one("script[src]")["src"]
    assert ((site / "suche") / script).resolve().is_file()
    form = page.select_one("form.search-page")
    assert ((site / "suche") / form["data-pagefind"]).resolve() == (site / "pagefind" / "pagefind.js").resolve()


def test_search_index_is_german(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"de"}
    assert entry["languages"]["de"]["page_count"] >= len(article_paths(site))


LISTS = ("artikel/index.html", "themen/index.html", "quellen/index.html", "zitate/index.html", "personen/index.html")


def test_search_indexes_what_readers_search(site):
    """Article texts, entity pages (name, role, note), the start page, Chronik and notes are indexed;
    pages that only list what other pages hold are not, nor an entity's backlinks and quotes."""
    for path in html_pages(site):
        main = soup(site / path).select_one("main")
        listing = path in LISTS or path.startswith("themen/") or path in ("404.html", "suche/index.html")
        listing = listing or path.startswith("vergleich/") or path.endswith("/vergleich/index.html")  # comparisons
        # repeat the articles' words
        assert main.has_attr("data-pagefind-body") == (not listing), path
    rutte = soup(site / "personen" / "mark-rutte" / "index.html").select_one("main")
    ignored = rutte.select("[data-pagefind-ignore]")
    assert {s.get("aria-labelledby") for s in ignored} >= {"erwaehnungen", "zitate", "umfeld"}
    assert rutte.select_one("h1").find_parent(attrs={"data-pagefind-ignore": True}) is None


def test_pagefind_reads_only_the_pages_it_indexes(site, tmp_path):
    """Pagefind is pointed at exactly the pages whose <main> is marked for search: it does not read the lists,
    topics, quotation index and comparisons at all, and indexes every marked page."""
    marked = [p for p in html_pages(site) if soup(site / p).select_one("main").has_attr("data-pagefind-body")]
    assert len(marked) < len(html_pages(site))
    command = [part for part in search.pagefind_command(site, tmp_path / "index", portable=True) if part != "--silent"]
    said = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert f"Found {len(marked)} files matching" in said, said
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["de"]["page_count"] == len(marked)


def pagefind_state(site: Path) -> dict[str, int]:
    """Search index file -> modification time in ns."""
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in (site / "pagefind").rglob("*")}


def test_no_change_rebuild_leaves_the_search_index_alone(project):
    build(BuildOptions(root=project))
    site = project / "site"
    before = pagefind_state(site)
    build(BuildOptions(root=project))
    assert pagefind_state(site) == before
    article = sorted((project / "content" / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Nachtrag der Redaktion.\n", encoding="utf-8")
    build(BuildOptions(root=project))
    after = pagefind_state(site)
    assert after != before and (site / "pagefind" / "pagefind.js").is_file()
    digest = (site / "pagefind" / search.DIGEST_FILE).read_text(encoding="utf-8")
    assert digest != ""


def test_interrupted_indexing_is_redone(project):
    build(BuildOptions(root=project))
    site = project / "site"
    shutil.rmtree(site / "pagefind")
    build(BuildOptions(root=project))
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_pretty_urls_search_results_drop_index_html(tmp_path):
    portable = search.pagefind_command(tmp_path, tmp_path / "out", portable=True)
    pretty = search.pagefind_command(tmp_path, tmp_path / "out", portable=False)
    assert "--keep-index-url" in portable and "--keep-index-url" not in pretty


def test_pages_workflow_lints_clean_and_uses_the_official_actions():
    result = subprocess.run(
        ["actionlint", "-no-color", *map(str, sorted(WORKFLOW.parent.glob("*.yml")))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = WORKFLOW.read_text(encoding="utf-8")
    for action in ("checkout", "setup-python", "configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"uses: actions/{action}@" in text, action
    for needed in ("pages: write", "id-token: write", "concurrency:", "steps.pages.outputs.base_url"):
        assert needed in text, needed
    assert "bash tests/tools/install.sh && python -m pytest" in text  # the README's test command
    assert 'python build.py --base-url "$BASE_URL/"' in text
