"""Every Markdown text of the dossier resolves links alike: bodies, annotation notes, entity notes,
the introduction and events go through one environment factory (`site.markdown.LinkTargets.env`)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from dossier.pipeline import BuildOptions, build

NOTE = "content/annotations/blinken-vorname.md"
PERSON = "content/people/mark-rutte.md"
SOURCE_URL = "https://taz.de/Nato-Aussenministertreffen/!6054758/"  # an article of the dossier


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_entity_reference_in_an_annotation_note_links_the_person_everywhere(project):
    """`[Rutte](person:mark-rutte)` in a note once failed the build ('unknown person') on the overview page."""
    note = project / NOTE
    note.write_text(note.read_text(encoding="utf-8") + "\nSiehe auch [Rutte](person:mark-rutte).\n", encoding="utf-8")
    build(BuildOptions(root=project, search=False))
    overview = soup(project / "site" / "anmerkungen" / "index.html")
    links = [a for a in overview.select("a") if a.get_text() == "Rutte"]
    assert links and all(a["href"] == "../personen/mark-rutte/index.html" for a in links)
    article = soup(
        project
        / "site"
        / "artikel"
        / "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"
        / "index.html"
    )
    assert any(
        a.get_text() == "Rutte" and a["href"] == "../../personen/mark-rutte/index.html"
        for a in article.select(".annotation-text a")
    )


def test_link_to_a_dossier_articles_original_in_an_entity_note_is_internal(project):
    """A person's note linking an article's `source_url` links that article's page, as bodies and the Chronik do."""
    person = project / PERSON
    person.write_text(person.read_text(encoding="utf-8") + f"\nMehr im [Bericht]({SOURCE_URL}).\n", encoding="utf-8")
    build(BuildOptions(root=project, search=False))
    page = soup(project / "site" / "personen" / "mark-rutte" / "index.html")
    (link,) = [a for a in page.select("a") if a.get_text(strip=True).startswith("Bericht")]
    assert link["href"] == "../../artikel/nato-will-die-ukraine-militaerisch-staerken/index.html"
    assert link.get("class") == ["intern"] and link.get("rel") is None
