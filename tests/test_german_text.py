"""What a reader sees (or hears) on the built seed site is German: no English or internal words."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from seed_site import build_seed, pages, soup

from dossier.content.model import Article, Entity, Quote, Source
from dossier.site.body import quote_marks
from dossier.site.labels import FORMATS, USED_FOR
from dossier.text.blocks import Block

# Internal names (front-matter keys, importer vocabulary), template leftovers and English words.
# German homographs (`links`, `Format`, `Text`) are not listed; matching is case-sensitive.
FORBIDDEN = [
    "body",
    "title",
    "teaser",
    "kicker",
    "summary",
    "description",
    "slug",
    "draft",
    "tags",
    "tag",
    "author",
    "authors",
    "publisher",
    "date",
    "date_note",
    "source_url",
    "image_caption",
    "used_for",
    "provenance",
    "metadata",
    "related",
    "plain",
    "taz-text",
    "taz-table",
    "web-page",
    "exact",
    "prefix",
    "suffix",
    "verdict",
    "kind",
    "note",
    "annotation",
    "article",
    "speaker",
    "quote",
    "source",
    "sources",
    "entity",
    "event",
    "None",
    "True",
    "False",
    "undefined",
    "null",
    "NaN",
    "Undefined",
    "TODO",
    "error",
    "warning",
    "unknown",
]
LEFTOVERS = ("{{", "}}", "{%", "%}", "{#", "#}")
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site."""
    return build_seed(tmp_path_factory.mktemp("german"))


def reader_text(page: BeautifulSoup) -> str:
    """Everything a reader sees or a screen reader says: the title, the text (hidden words for screen
    readers included, code such as file names left out) and the attributes that are shown or read."""
    title = page.title.get_text() if page.title else ""
    for element in page(["script", "style", "head", "code"]):
        element.decompose()
    said = [v for el in page.find_all(True) for name in READ_ATTRIBUTES if isinstance(v := el.get(name), str)]
    return " ".join([title, page.get_text(" "), *said])


def forbidden_words(text: str) -> list[str]:
    """The forbidden words and leftovers in a text, each with a little of its context."""
    found = []
    for word in FORBIDDEN:
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            found.append(f"{word!r} in …{text[max(0, match.start() - 30) : match.end() + 30]}…")
    found += [f"{left!r}" for left in LEFTOVERS if left in text]
    return found


def test_the_scan_finds_what_it_looks_for():
    page = BeautifulSoup(
        '<html><head><title>x</title></head><body><p>verwendet für body</p><p title="None">a</p>'
        '<span class="visually-hidden">Zitat von ohne Sprecher</span><code>body</code>{{ x }}</body></html>',
        "lxml",
    )
    found = forbidden_words(reader_text(page))
    assert any(f.startswith("'body'") for f in found) and any(f.startswith("'None'") for f in found)
    assert "'{{'" in found
    assert len([f for f in found if f.startswith("'body'")]) == 1, "code is left out"
    assert forbidden_words("Datum links, Titel rechts; Format: reiner Text") == []


def test_no_page_shows_english_or_internal_words(site):
    problems = []
    for path in pages(site):
        problems += [f"{path.relative_to(site)}: {word}" for word in forbidden_words(reader_text(soup(path)))]
    assert problems == []


def test_provenance_says_in_german_what_was_taken_from_each_raw_file(site):
    page = soup(site / "artikel" / "nato-chef-mark-rutte-teilt-aus" / "index.html")
    items = [li.get_text(" ", strip=True) for li in page.find(class_="provenance").find_all("li")]
    assert len(items) == 2
    assert "Format: reiner Text; daraus übernommen: Text" in items[0]
    assert "Format: taz-Textexport; daraus übernommen: Verweise, Metadaten, Artikel zum Thema" in items[1]
    assert "verwendet für" not in page.get_text()


def test_the_sources_table_names_formats_and_uses_in_german(site):
    rows = soup(site / "quellen" / "index.html").find("tbody").find_all("tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert cells
    assert {row[1] for row in cells} <= set(FORMATS.values())
    assert all(use in USED_FOR.values() for row in cells for use in row[2].split(", "))


def test_every_name_the_importer_writes_has_a_german_label():
    from dossier.ingest import plain, taz_table, taz_text
    from dossier.ingest.variants import USES

    assert set(USES) <= set(USED_FOR)
    assert {plain.FORMAT, taz_text.FORMAT, taz_table.FORMAT} <= set(FORMATS)


def _quote(speaker: Entity | None) -> Quote:
    article = Article("a", "Titel", dt.date(2024, 12, 4), "", Source("a.md", 1))
    return Quote(article, 1, 1, 0, 7, "Worte", "„Worte“", speaker=speaker)


def _ref_html(speaker: Entity | None) -> str:
    decorate = quote_marks([_quote(speaker)], False, lambda path, fragment: f"{path}#{fragment}")
    (ref,) = [d.close for d in decorate(Block(1, "paragraph", "„Worte“", 1)) if "quote-ref" in d.close]
    return BeautifulSoup(ref, "lxml").get_text()


def test_screen_readers_hear_who_said_a_quotation_or_that_nobody_is_known():
    rutte = Entity("person", "mark-rutte", "Mark Rutte", Source("p.md", 1))
    assert _ref_html(rutte) == "Zitat von Mark Rutte im Zitatverzeichnis"
    assert _ref_html(None) == "Zitat ohne Zuordnung im Zitatverzeichnis"
