"""A large dossier's search index is made in parts (one Pagefind run per part, each holding only its own pages
in memory), the search page merges them into one search, and an edit re-indexes the edited page's part only.

The corpus is small and the part size lowered, so the parts are real Pagefind indexes made and searched
as they are at 10,000 articles (where a part holds about 1,250 pages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_incremental import clean_build

from bench.corpus import generate
from dossier.pipeline import BuildOptions, build
from dossier.site import search

from browser import served_site

PART_SIZE = 40
WORD = "Quastenflosserbefund"  # an invented word: only the article it is added to has it


def part_of(site: Path, path: str) -> str:
    """The folder (relative to site/pagefind/) of the part a page is indexed in."""
    pages = search.searched_pages({p.relative_to(site).as_posix(): "0" * 64 for p in site.rglob("*.html")})
    count = search.part_count(len(pages))
    for number, part in enumerate(search.split(pages, count)):
        if path in part:
            return search.part_folder(number)
    raise AssertionError(f"{path} is in no part")


def index_files(site: Path) -> dict[str, bytes]:
    """Every file of the search index, by path."""
    root = site / "pagefind"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    """File -> inode number, for the files directly in a part's own subfolders and top level."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def parted(tmp_path, monkeypatch) -> Path:
    """A generated dossier whose search index is made in parts of `PART_SIZE` pages."""
    monkeypatch.setattr(search, "PAGES_PER_PART", PART_SIZE)
    root = generate(tmp_path / "project", articles=120, seed=4).root
    build(BuildOptions(root=root, jobs=2))
    return root


def test_every_searched_page_is_indexed_in_exactly_one_part(parted):
    site = parted / "site"
    listing = json.loads((site / "pagefind" / search.PARTS_FILE).read_text(encoding="utf-8"))
    pages = search.searched_pages({p.relative_to(site).as_posix(): "" for p in site.rglob("*.html")})
    count = search.part_count(len(pages))
    assert count == 4 and len(pages) > 3 * PART_SIZE
    assert listing["teile"] == [f"teil-{n}/" for n in range(1, count)]
    indexed = 0
    for folder in ["", *listing["teile"]]:
        entry = json.loads((site / "pagefind" / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        indexed += entry["languages"]["de"]["page_count"]
    assert indexed == len(pages)


def test_the_search_page_finds_a_page_of_another_part(parted, browser, tmp_path):
    article = next(
        p
        for p in sorted((parted / "content" / "articles").glob("*.md"))
        if part_of(parted / "site", f"artikel/{p.stem}/index.html") != ""
    )
    article.write_text(article.read_text(encoding="utf-8") + f"\nDer {WORD} liegt vor.\n", encoding="utf-8")
    build(BuildOptions(root=parted, jobs=2))
    with served_site(parted / "site", tmp_path) as root:
        page = browser.new_page()
        page.goto(f"{root}suche/index.html?q={WORD}")
        page.wait_for_selector("#search-results li a")
        hits = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
        page.close()
    assert hits == [f"{root}artikel/{article.stem}/index.html"], hits


def test_an_edit_reindexes_only_its_part_and_equals_a_clean_index(parted, tmp_path):
    site = parted / "site"
    article = sorted((parted / "content" / "articles").glob("*.md"))[3]
    own = part_of(site, f"artikel/{article.stem}/index.html")
    before = {n: inodes(site / "pagefind" / search.part_folder(n)) for n in range(1, 4)}
    article.write_text(article.read_text(encoding="utf-8") + f"\nDer {WORD} liegt vor.\n", encoding="utf-8")
    build(BuildOptions(root=parted, jobs=2))
    for number, files in before.items():
        now = inodes(site / "pagefind" / search.part_folder(number))
        kept = {f for f in files if f != search.PART_STAMP and now.get(f) == files[f]}
        if search.part_folder(number) == own:
            assert kept != set(files) - {search.PART_STAMP}, "the edited page's part was indexed again"
        else:
            assert kept == set(files) - {search.PART_STAMP}, f"part {number} was taken over, not indexed again"
    clean_build(parted, tmp_path / "clean")
    assert index_files(site) == index_files(tmp_path / "clean" / "site")


def test_a_failed_part_fails_the_build_and_keeps_the_old_index(parted, monkeypatch):
    site = parted / "site"
    before = index_files(site)
    article = sorted((parted / "content" / "articles").glob("*.md"))[5]
    article.write_text(article.read_text(encoding="utf-8") + "\nNoch ein Nachtrag.\n", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda *a: ["sh", "-c", "echo kaputt >&2; exit 3"])
    with pytest.raises(search.BuildFailed) as failed:
        build(BuildOptions(root=parted, jobs=2))
    assert "Pagefind exit 3: kaputt" in failed.value.errors[0].message
    assert index_files(site) == before
    assert not any(p.name.startswith(("seiten-", "index-")) for p in (parted / ".dossier-cache" / "search").iterdir())
    shutil.rmtree(parted / ".dossier-cache" / "search")


def test_another_pagefind_version_makes_every_part_again(parted, monkeypatch):
    site = parted / "site"
    before = {n: inodes(site / "pagefind" / search.part_folder(n)) for n in range(4)}
    article = sorted((parted / "content" / "articles").glob("*.md"))[6]
    article.write_text(article.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_version", lambda: "9.9.9")
    build(BuildOptions(root=parted, jobs=2))
    for number, files in before.items():
        now = inodes(site / "pagefind" / search.part_folder(number))
        assert not any(now.get(f) == i for f, i in files.items()), f"part {number} was made again"
