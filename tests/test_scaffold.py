"""`python build.py new …`: every scaffold is a valid content file that builds; nothing is overwritten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.content import frontmatter

from conftest import ROOT

ARTICLE = "nato-will-die-ukraine-militaerisch-staerken"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py …` on a project folder."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def created(result: subprocess.CompletedProcess, root: Path) -> Path:
    """The file a successful `new` reports."""
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created ")
    return root / result.stdout.split(" ", 1)[1].strip()


def test_every_scaffold_builds_into_its_page(project):
    article = created(run(project, "new", "article", "Ein Kommentar zum Gipfel"), project)
    person = created(run(project, "new", "person", "Marta Kos"), project)
    organisation = created(run(project, "new", "organisation", "Europäischer Rat"), project)
    place = created(run(project, "new", "place", "Pjöngjang"), project)
    note = created(
        run(project, "new", "annotation", "--article", ARTICLE, "--passage", "Kaja Kallas", "--kind", "Hinweis"),
        project,
    )
    event = created(
        run(project, "new", "event", "Rutte trifft Trump in Florida", "--date", "2024-11-22", "--source", ARTICLE),
        project,
    )
    assert event == project / "content/timeline/2024-11-22-rutte-trifft-trump-in-florida.md"
    assert article == project / "content/articles/ein-kommentar-zum-gipfel.md"
    assert person == project / "content/people/marta-kos.md"
    assert organisation == project / "content/organisations/europaeischer-rat.md"
    assert place == project / "content/places/pjoengjang.md"
    meta = frontmatter.parse(note.read_text(encoding="utf-8"), str(note)).meta
    assert meta["article"] == ARTICLE and meta["exact"] == "Kaja Kallas" and meta["kind"] == "Hinweis"
    unpublished = run(project, "build")
    assert unpublished.returncode == 0 and not (project / "site/artikel/ein-kommentar-zum-gipfel").exists()
    assert "draft" in unpublished.stderr  # every new file is a draft until an editor publishes it
    for path in (article, person, organisation, place, note, event):
        text = path.read_text(encoding="utf-8")
        assert "draft: true\n" in text, path
        path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")  # what an editor does when done
    built = run(project, "build")
    assert built.returncode == 0, built.stderr
    site = project / "site"
    page = BeautifulSoup((site / "artikel/ein-kommentar-zum-gipfel/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("h1").get_text() == "Ein Kommentar zum Gipfel"
    for path in (
        "personen/marta-kos/index.html",
        "organisationen/europaeischer-rat/index.html",
        "orte/pjoengjang/index.html",
    ):
        assert (site / path).exists(), path
    annotated = BeautifulSoup((site / f"artikel/{ARTICLE}/index.html").read_text(encoding="utf-8"), "lxml")
    slug = note.stem
    assert annotated.find(id=f"anm-{slug}").find_parent("mark") is not None
    assert "Rutte trifft Trump in Florida" in (site / "chronik/index.html").read_text(encoding="utf-8")
    assert run(project, "check").returncode == 0


def test_a_repeated_passage_gets_prefix_and_suffix_that_single_it_out(project):
    first = created(
        run(
            project,
            "new",
            "annotation",
            "--article",
            ARTICLE,
            "--passage",
            "Rutte",
            "--occurrence",
            "1",
            "--slug",
            "r1",
        ),
        project,
    )
    third = created(
        run(
            project,
            "new",
            "annotation",
            "--article",
            ARTICLE,
            "--passage",
            "Rutte",
            "--occurrence",
            "3",
            "--slug",
            "r3",
        ),
        project,
    )
    for path in (first, third):
        meta = frontmatter.parse(path.read_text(encoding="utf-8"), str(path)).meta
        assert meta["exact"] == "Rutte" and (meta.get("prefix") or meta.get("suffix"))
    result = run(project, "check")
    assert result.returncode == 0, result.stderr


def test_a_passage_not_in_the_article_is_refused_with_the_closest_match(project):
    result = run(project, "new", "annotation", "--article", ARTICLE, "--passage", "Kaja Kalas")
    assert result.returncode == 1
    assert 'closest passage: "Kaja Kallas"' in result.stderr
    assert not list((project / "content/annotations").glob("*kalas*"))


@pytest.mark.parametrize(
    "args",
    [
        ("new", "person", "Mark Rutte", "--slug", "mark-rutte"),
        ("new", "article", "x", "--slug", "nato-chef-mark-rutte-teilt-aus"),
    ],
)
def test_an_existing_file_is_never_overwritten(project, args):
    folder = "people" if args[1] == "person" else "articles"
    target = project / "content" / folder / f"{args[-1]}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text("---\nname: Mark Rutte\n---\n", encoding="utf-8")
    before = target.read_bytes()
    result = run(project, *args)
    assert result.returncode == 1
    assert "exists already" in result.stderr
    assert target.read_bytes() == before
