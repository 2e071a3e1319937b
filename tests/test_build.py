"""The build on the real content: pages, relative links, determinism, errors, safe output."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from dossier.pipeline import BuildOptions, build

from conftest import ROOT, copy_project

ARTICLE_TITLES = {
    "Nato-Chef Mark Rutte teilt aus",
    "Nato will die Ukraine militärisch stärken",
    "NATO bietet der Ukraine wenig Konkretes",
}


def html_files(site: Path) -> list[Path]:
    """Every HTML page of a built site, pagefind's UI fragments excluded."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under folder."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run build.py as a user would, on another project folder."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def article_pages(site: Path) -> list[Path]:
    """The article pages (not the article list)."""
    return sorted((site / "artikel").glob("*/index.html"))


def test_start_page_and_three_article_pages(site):
    home = soup(site / "index.html")
    assert home.html["lang"] == "de"
    assert len(article_pages(site)) == 3
    titles = {soup(p).h1.get_text(strip=True) for p in article_pages(site)}
    assert titles == ARTICLE_TITLES
    cards = home.select(".cards .card")
    assert len(cards) >= 3
    card_text = " ".join(c.get_text(" ", strip=True) for c in cards)
    for title in ARTICLE_TITLES:
        assert title in card_text
    assert "Nato-Außenministertreffen" in card_text  # a kicker
    assert "Eric Bonse" in card_text  # an author
    assert "4. Dezember 2024" in card_text  # a German date


def test_article_page_byline_body_tags_related_provenance(site):
    page = next(p for p in article_pages(site) if "teilt aus" in p.read_text(encoding="utf-8"))
    doc = soup(page)
    assert doc.select_one(".kicker").get_text(strip=True) == "Nato-Außenministertreffen"
    byline = doc.select_one(".byline").get_text(" ", strip=True)
    assert "Eric Bonse" in byline and "taz" in byline and "4. Dezember 2024" in byline
    assert doc.select_one("time")["datetime"] == "2024-12-04"
    assert doc.select_one(".body h2").get_text(strip=True) == "Ukraine fordert sofortige Einladung in die Nato"
    assert len(doc.select(".body p")) >= 8
    tags = [a.get_text(strip=True) for a in doc.select("ul.tags a")]
    assert tags[:3] == ["Nato", "Ukraine", "Russland"] and len(tags) == len(set(tags))
    related = doc.select(".related li")
    assert len(related) == 5
    provenance = doc.select_one(".provenance").get_text(" ", strip=True)
    assert "000_030b69dee8e05829.txt" in provenance and "001_5f0aa89b5575cd07.txt" in provenance


def test_unknown_publisher_and_author_are_said_not_guessed(site):
    page = next(p for p in article_pages(site) if "wenig Konkretes" in p.read_text(encoding="utf-8"))
    byline = soup(page).select_one(".byline").get_text(" ", strip=True)
    assert "Autor unbekannt" in byline and "Quelle unbekannt" in byline
    assert "4. Dezember 2024" in byline  # the editor's date, inferred from the text


def test_every_internal_link_is_relative_and_resolves(site):
    checked = 0
    for page in html_files(site):
        doc = soup(page)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in doc.find_all(tag):
                url = element.get(attr)
                if not url or url.startswith(("http://", "https://", "mailto:", "#")):
                    continue
                assert not url.startswith("/"), f"{page}: root-relative link {url}"
                target = (page.parent / unquote(urlsplit(url).path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{page.relative_to(site)}: {url} leads nowhere"
                checked += 1
    assert checked > 100


def test_no_request_to_another_host(site):
    for page in html_files(site):
        doc = soup(page)
        for element in doc.find_all(["link", "script", "img", "iframe", "source"]):
            url = element.get("href") or element.get("src") or ""
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue
            assert not url.startswith(("http:", "https:", "//")), f"{page}: loads {url}"
    css = (site / "static" / "dossier.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_two_builds_are_byte_identical(tmp_path):
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    build(BuildOptions(root=first))
    build(BuildOptions(root=second))
    assert tree_digest(first / "site") == tree_digest(second / "site")


def test_rebuild_rewrites_only_changed_files(project):
    build(BuildOptions(root=project))
    site = project / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    report = build(BuildOptions(root=project))
    assert report.written == 0 and report.unchanged > report.pages // 2
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert before == after
    (site / "stale.html").write_text("old page")
    build(BuildOptions(root=project))
    assert not (site / "stale.html").exists()


def test_broken_front_matter_names_file_and_line_and_keeps_site(project):
    assert run_cli(project).returncode == 0
    before = tree_digest(project / "site")
    bad = project / "content" / "articles" / "kaputt.md"
    bad.write_text("---\ntitle: Kaputt\ndate: 2024-12-04\ntags: [Nato\n---\n\nText.\n", encoding="utf-8")
    result = run_cli(project)
    assert result.returncode == 1
    assert "content/articles/kaputt.md:4: broken YAML front matter" in result.stderr  # the line of the open bracket
    assert tree_digest(project / "site") == before


def test_every_front_matter_problem_is_reported_at_once(project):
    articles = project / "content" / "articles"
    (articles / "ohne-titel.md").write_text("---\ndate: 2024-12-04\n---\nText\n", encoding="utf-8")
    (articles / "falsch.md").write_text(
        "---\ntitle: Falsch\ndate: gestern\ntagz: [a]\ndraft: vielleicht\n---\nText\n", encoding="utf-8"
    )
    result = run_cli(project, "check")
    assert result.returncode == 1
    err = result.stderr
    assert "content/articles/ohne-titel.md:1: missing required key 'title'" in err
    assert "content/articles/falsch.md:3: 'date' must be a date like 2024-12-04" in err
    assert "content/articles/falsch.md:4: unknown key 'tagz' (did you mean 'tags'?)" in err
    assert "content/articles/falsch.md:5: 'draft' must be true or false" in err
    assert not (project / "site").exists()


def test_duplicate_slug_fails(project):
    articles = project / "content" / "articles"
    (articles / "eins.md").write_text("---\ntitle: Eins\ndate: 2024-12-01\nslug: gleich\n---\nA\n", encoding="utf-8")
    (articles / "zwei.md").write_text("---\ntitle: Zwei\ndate: 2024-12-01\nslug: gleich\n---\nB\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "duplicate slug 'gleich'" in result.stderr and "content/articles/eins.md" in result.stderr


def test_link_to_nowhere_fails_with_line(project):
    (project / "content" / "articles" / "link.md").write_text(
        "---\ntitle: Link\ndate: 2024-12-01\n---\n\nErster Absatz.\n\nSiehe [hier](artikel/gibt-es-nicht/).\n",
        encoding="utf-8",
    )
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "content/articles/link.md:8: link to nowhere: 'artikel/gibt-es-nicht/'" in result.stderr


def test_hand_written_article_with_hugo_front_matter(project):
    (project / "content" / "articles" / "handarbeit.md").write_text(
        "---\ntitle: 'Von Hand <b>fett</b>'\ndate: 2024-12-05\nauthor: Erika Muster\n"
        "description: Eine Zusammenfassung.\ntags: [Nato]\n---\n\nText mit <script>alert(1)</script> & mehr.\n",
        encoding="utf-8",
    )
    (project / "content" / "articles" / "entwurf.md").write_text(
        "---\ntitle: Entwurf\ndate: 2024-12-05\ndraft: true\n---\nNoch nicht.\n", encoding="utf-8"
    )
    build(BuildOptions(root=project))
    page = project / "site" / "artikel" / "handarbeit" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "&lt;b&gt;fett&lt;/b&gt;" in html and "<b>fett" not in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Eine Zusammenfassung." in html and "Erika Muster" in html
    assert not (project / "site" / "artikel" / "entwurf").exists()
    build(BuildOptions(root=project, drafts=True))
    assert (project / "site" / "artikel" / "entwurf" / "index.html").exists()


def test_writer_refuses_paths_outside_site(tmp_path):
    from dossier.incremental.staging import Staging

    staging = Staging(tmp_path / "staging", tmp_path / "site")
    staging.reset()
    for bad in ("../escape.html", "/etc/passwd", "a/../../b.html"):
        with pytest.raises(ValueError):
            staging.put(bad, b"x")
        with pytest.raises(ValueError):
            staging.commit([bad])
    assert not (tmp_path / "escape.html").exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_pretty_urls_drop_index_html(tmp_path):
    root = copy_project(tmp_path / "p")
    build(BuildOptions(root=root, portable=False))
    home = soup(root / "site" / "index.html")
    hrefs = [a["href"] for a in home.select(".card h3 a")]
    assert hrefs and all(h.startswith("artikel/") and h.endswith("/") for h in hrefs)


def test_site_is_only_written_inside_site_folder(project):
    before = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*") if p.is_file()}
    build(BuildOptions(root=project))
    after = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*") if p.is_file()}
    assert before == after
    assert sorted(set(os.listdir(project)) - {".dossier-cache"}) == ["content", "layouts", "site", "sources"]


def test_the_command_exits_at_once_and_says_everything_through_a_pipe(project):
    """build.py leaves what the build made unfreed (`cli.run` hands it back) and ends the process at once: what
    it printed into a pipe (buffered, not a terminal) still arrives whole, warnings and summary, and the exit
    codes are those of `main`."""
    from dossier import cli

    code, built = cli.run(["build", "--root", str(project), "--no-search", "--force"])
    assert code == 0 and built and built[0].pages, "the plan is handed back to the process"
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--no-search", "--force"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=buffered)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(f"{len(built[0].pages)} pages:"), result.stdout
    (project / "content" / "articles" / "kaputt.md").write_text("---\ntitle: [\n---\nText\n", encoding="utf-8")
    failed = run_cli(project)
    assert failed.returncode == 1 and "kaputt.md:3: broken YAML" in failed.stderr, failed.stderr
