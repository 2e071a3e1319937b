"""`python build.py check`: every problem at once as path:line: message, nothing written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from dossier.site.links import link_problems, resolve

from conftest import ROOT

ARTICLES = "content/articles"


def run_check(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py check` on a project folder."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_clean_project_passes_and_writes_nothing(project):
    content = snapshot(project / "content")
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert "check: no errors" in result.stdout
    assert not (project / "site").exists()
    assert snapshot(project / "content") == content


def test_several_problems_are_all_reported_in_one_run(project):
    article = project / ARTICLES / "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title:", "titel: Tippfehler\ntitle:", 1), encoding="utf-8")
    notes = project / "content" / "annotations"
    (notes / "falsch.md").write_text(
        "---\narticle: nato-will-die-ukraine-militaerisch-staerken\nexact: Anthony Blinkin\nkind: Korrektur\n---\n\nX\n",
        encoding="utf-8",
    )
    (notes / "verirrt.md").write_text(
        "---\narticle: nato-chef-mark-rute\nexact: Rutte\nkind: Kontext\n---\n\nX\n", encoding="utf-8"
    )
    (notes / "sorte.md").write_text(
        "---\narticle: nato-chef-mark-rutte-teilt-aus\nexact: Rutte\nkind: Faktenscheck\n---\n\nX\n", encoding="utf-8"
    )
    (notes / "mehrdeutig.md").write_text(
        "---\narticle: nato-will-die-ukraine-militaerisch-staerken\nexact: Rutte\nkind: Hinweis\n---\n\nX\n",
        encoding="utf-8",
    )
    result = run_check(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = [
        f"{ARTICLES}/treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes.md:2: unknown key 'titel'",
        "content/annotations/falsch.md:3: passage not found in article 'nato-will-die-ukraine-militaerisch-staerken'",
        "content/annotations/verirrt.md:2: unknown article 'nato-chef-mark-rute' (did you mean 'nato-chef-mark-rutte-teilt-aus'?)",
        "content/annotations/sorte.md:4: unknown kind 'Faktenscheck' (did you mean 'Faktencheck'?)",
        "content/annotations/mehrdeutig.md:3: passage is ambiguous",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, result.stderr)
    assert not (project / "site").exists()


def test_broken_fragment_links_are_found_in_rendered_pages(project):
    note = project / "content" / "annotations" / "besetzten-tippfehler.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\nSiehe [Absatz](artikel/nato-chef-mark-rutte-teilt-aus/#p999).\n",
        encoding="utf-8",
    )
    result = run_check(project)
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if "'p999'" in line]
    assert len(problems) == 2  # the note on its article page and on the overview page
    for problem in problems:
        assert problem.startswith("content/annotations/besetzten-tippfehler.md:14: link ")  # the link's own line
        assert "no element with id 'p999' in artikel/nato-chef-mark-rutte-teilt-aus/index.html" in problem
    assert not (project / "site").exists()


def test_pending_raw_export_is_a_warning_and_is_not_imported(project):
    shutil.copy(project / "sources" / "000_030b69dee8e05829.txt", project / "sources" / "005_neu.txt")
    (project / "sources" / "005_neu.txt").write_text(
        "Ein ganz neuer Artikel.\n\nMit zwei Absätzen.\n", encoding="utf-8"
    )
    articles = snapshot(project / ARTICLES)
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert "sources/005_neu.txt: warning: raw export not imported yet" in result.stderr
    assert snapshot(project / ARTICLES) == articles
    strict = run_check(project, "--strict")
    assert strict.returncode == 1
    assert "sources/005_neu.txt: warning:" in strict.stderr


def test_link_resolution():
    assert resolve("artikel/x/index.html", "../../themen/a/index.html#t") == ("themen/a/index.html", "t")
    assert resolve("artikel/x/index.html", "#p3") == ("artikel/x/index.html", "p3")
    assert resolve("index.html", "artikel/") == ("artikel/index.html", "")
    assert resolve("index.html", "https://taz.de/x") is None


def test_links_inside_an_element_with_data_source_are_reported_there():
    outputs = {
        "index.html": b'<div data-source="content/x.md:7"><div><a href="#nope">x</a></div></div><a href="#nix">y</a>',
    }
    problems = sorted(str(p) for p in link_problems(outputs, {"index.html": ("content/_index.md", 5)}))
    assert problems[0].startswith("content/_index.md:5: link '#nix'")
    assert problems[1].startswith("content/x.md:7: link '#nope'")


def test_link_problems_name_missing_pages_and_ids():
    outputs = {
        "index.html": b'<p id="a"><a href="b.html#nope">x</a> <a href="#a">y</a> <a href="c.html">z</a></p>',
        "b.html": b'<p id="here"></p>',
    }
    problems = link_problems(outputs, {"index.html": ("content/_index.md", 5)})
    messages = sorted(str(p) for p in problems)
    assert len(messages) == 2
    assert messages[0].startswith("content/_index.md:5: link 'b.html#nope': no element with id 'nope' in b.html")
    assert messages[1].startswith("content/_index.md:5: link 'c.html' names no page of the site")
