"""anmerkungen/annotations.jsonld: every annotation of the built seed site as a W3C Web Annotation."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest
from seed_site import BASE_URL, ROOT, build_seed, soup

from dossier.content import frontmatter
from dossier.site import urls

FILE = "anmerkungen/annotations.jsonld"
MOTIVATIONS = {"Kontext": "commenting", "Faktencheck": "assessing", "Korrektur": "editing", "Hinweis": "commenting"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site without a base URL."""
    return build_seed(tmp_path_factory.mktemp("anno-relative"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed site built for a published address."""
    return build_seed(tmp_path_factory.mktemp("anno-published"), BASE_URL)


def collection(site: Path) -> dict:
    """The parsed annotation file."""
    return json.loads((site / FILE).read_text(encoding="utf-8"))


def items(site: Path) -> list[dict]:
    """The annotations of the collection."""
    return collection(site)["first"]["items"]


def shipped() -> dict[str, dict]:
    """Slug -> front matter of every annotation file of the project."""
    return {
        path.stem: frontmatter.parse(path.read_text(encoding="utf-8"), path.name).meta
        for path in sorted((ROOT / "content" / "annotations").glob("*.md"))
    }


def slug_of(item: dict) -> str:
    """The annotation slug an item's id names (…#anm-<slug>)."""
    return item["id"].rsplit("#anm-", 1)[1]


def resolve(site: Path, url: str) -> Path:
    """The file a URL relative to the annotation file names."""
    return site / posixpath.normpath(posixpath.join(posixpath.dirname(FILE), url.split("#")[0]))


def article_plain_text(page) -> str:
    """An article page's plain text rebuilt from its HTML: its body's paragraphs and headings, without
    what the dossier adds to them (notes, reference marks, words for screen readers), joined by a blank line."""
    body = page.find("div", class_="body")
    for added in body.select("aside, sup.annotation-ref, a.quote-ref, .visually-hidden"):
        added.decompose()
    blocks = body.find_all(["p", "h2", "h3", "h4", "h5", "h6"])
    return "\n\n".join(b.get_text().replace("\n", " ") for b in blocks)


def test_the_file_is_an_annotation_collection_of_every_annotation(site):
    data = collection(site)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["id"] == "annotations.jsonld"
    assert data["first"]["type"] == "AnnotationPage"
    found = items(site)
    assert data["total"] == len(found) == len(shipped())
    assert sorted(slug_of(item) for item in found) == sorted(shipped())
    assert len({item["id"] for item in found}) == len(found)


def test_each_annotation_has_type_motivation_body_creator_and_dates(site):
    files = shipped()
    for item in items(site):
        meta = files[slug_of(item)]
        assert item["type"] == "Annotation"
        assert item["motivation"] == MOTIVATIONS[meta["kind"]], slug_of(item)
        body = item["body"]
        assert body["type"] == "TextualBody" and body["format"] == "text/plain" and body["language"] == "de"
        assert body["value"].strip() and "](" not in body["value"] and "**" not in body["value"]
        assert item["creator"] == {"type": "Organization", "name": meta["author"]}
        assert item["created"] == f"{meta['date'].isoformat()}T00:00:00Z"
        assert item["modified"] == item["created"]


def test_the_body_is_the_note_as_plain_text(site):
    by_slug = {slug_of(item): item for item in items(site)}
    value = by_slug["besetzten-tippfehler"]["body"]["value"]
    assert value.startswith(
        "Tippfehler in der Quelle: Gemeint ist „besetzten“ – die freien, nicht von Russland besetzten"
    )
    assert "„Nato-Chef Mark Rutte teilt aus“" in value
    assert "\n– Nordkorea hat nach Angaben Südkoreas" in by_slug["rutte-nordkorea-vorwurf"]["body"]["value"]


def test_the_id_names_the_card_on_the_annotations_page(site):
    for item in items(site):
        page = resolve(site, item["id"])
        assert page == site / urls.index("annotations")
        assert soup(page).find(id=item["id"].split("#")[1]) is not None


def test_the_target_is_the_article_page_and_the_quote_stands_there(site):
    for item in items(site):
        target = item["target"]
        page_path = resolve(site, target["source"])
        assert page_path.is_file(), target["source"]
        page = soup(page_path)
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        mark = page.find(id=f"anm-{slug_of(item)}").find_parent("mark")
        for added in mark.select("sup.annotation-ref, a.quote-ref, .visually-hidden"):
            added.decompose()
        assert mark.get_text().replace("\n", " ") == quote["exact"]
        assert 0 < len(quote["prefix"]) <= 32 and 0 < len(quote["suffix"]) <= 32


def test_positions_are_offsets_in_the_article_plain_text(site):
    for item in items(site):
        target = item["target"]
        text = article_plain_text(soup(resolve(site, target["source"])))
        quote, position = target["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"], slug_of(item)
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
        assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1


def test_with_a_base_url_ids_and_sources_are_absolute(published):
    data = collection(published)
    assert data["id"] == BASE_URL + FILE
    for item in data["first"]["items"]:
        assert item["id"].startswith(BASE_URL + "anmerkungen/#anm-")
        source = item["target"]["source"]
        article = published / source[len(BASE_URL) :] / "index.html"
        assert soup(article).find("link", rel="canonical")["href"] == source


def test_the_bytes_are_the_same_in_every_build(site, tmp_path):
    again = build_seed(tmp_path / "again")
    assert (again / FILE).read_bytes() == (site / FILE).read_bytes()
    assert (site / FILE).read_bytes().endswith(b"}\n")


def test_the_annotations_page_links_the_file(site):
    page = soup(site / urls.index("annotations"))
    alternate = page.find("link", rel="alternate", type="application/ld+json")
    assert alternate is not None and alternate["href"] == "annotations.jsonld"
    visible = page.find("main").find("a", href="annotations.jsonld")
    assert visible.get_text() == "alle Anmerkungen als W3C-Web-Annotationen (JSON-LD-Datei)"


def test_without_an_author_the_editors_are_the_creators(tmp_path):
    from seed_site import copy_seed

    from dossier.pipeline import BuildOptions, build

    root = copy_seed(tmp_path / "project")
    index = root / "content" / "_index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("- Dossier-Redaktion\n", "- Anna Schmidt\n- Ressort Ausland\n")
    )
    note = root / "content" / "annotations" / "kallas-erster-arbeitstag.md"
    note.write_text(note.read_text(encoding="utf-8").replace("author: Dossier-Redaktion\n", ""))
    build(BuildOptions(root=root, search=False, jobs=1))
    by_slug = {slug_of(item): item for item in items(root / "site")}
    assert by_slug["kallas-erster-arbeitstag"]["creator"] == [
        {"type": "Person", "name": "Anna Schmidt"},
        {"type": "Organization", "name": "Ressort Ausland"},
    ]
    assert by_slug["blinken-vorname"]["creator"] == {"type": "Organization", "name": "Dossier-Redaktion"}
