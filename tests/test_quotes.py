"""Quotations: attribution on the real seeds, the quote index, entity pages, editor overrides."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.content.model import Article, Entity, Source
from dossier.errors import BuildFailed
from dossier.joins.quote_groups import group_statements, same_words
from dossier.joins.similarity import Similarity
from dossier.pipeline import BuildOptions, build, read_dossier
from dossier.text.blocks import blocks
from dossier.text.quotes import STATEMENT_MIN_WORDS, article_quotes
from dossier.text.words import normalise, word_count

RUTTE_TEILT_AUS = "nato-chef-mark-rutte-teilt-aus"
UKRAINE_STAERKEN = "nato-will-die-ukraine-militaerisch-staerken"
WENIG_KONKRETES = "treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes"
ARTICLES = (RUTTE_TEILT_AUS, UKRAINE_STAERKEN, WENIG_KONKRETES)
PESKOW = "Eine solche mögliche Entscheidung ist inakzeptabel"
BAUSTEINE = "Politische und materielle Sicherheitsgarantien, NATO-Mitgliedschaft"


def soup(path: Path) -> BeautifulSoup:
    """A parsed HTML page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def entity_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every person and organisation page, by slug."""
    return {
        p.parent.name: soup(p)
        for folder in ("personen", "organisationen")
        for p in (site / folder).glob("*/index.html")
    }


def statements_on(page: BeautifulSoup) -> list[str]:
    """Texts of the statements an entity page lists."""
    section = page.select_one("section.entity-quotes")
    return [b.get_text(" ", strip=True) for b in section.select("blockquote")] if section else []


def resolve(page_path: str, href: str) -> tuple[str, str]:
    """(output path, fragment) a relative link from page_path points to."""
    target, _, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target)), fragment


# --- attribution on the real seeds ------------------------------------------------------------


@pytest.fixture(scope="module")
def dossier(built_project):
    """The dossier read from the session's project copy."""
    found, errors = (_read := read_dossier(built_project)).dossier, _read.problems
    assert not [e for e in errors if e.severity == "error"], errors
    return found


def speaker_of(dossier, slug: str, start: str) -> str | None:
    """Slug of the speaker of the quotation of an article that starts with `start`."""
    (quote,) = [q for q in dossier.quotes if q.article.slug == slug and q.text.startswith(start)]
    return quote.speaker.slug if quote.speaker else None


@pytest.mark.parametrize(
    ("article", "start", "speaker"),
    [
        (RUTTE_TEILT_AUS, "Im Gegenzug für Truppen", "mark-rutte"),  # "behauptete der Niederländer"
        (RUTTE_TEILT_AUS, "Es braucht Sicherheitsgarantien", "annalena-baerbock"),  # "die Grünen-Politikerin"
        (RUTTE_TEILT_AUS, "ganz unangemessen", "olaf-scholz"),  # "der SPD-Politiker", named the sentence before
        (RUTTE_TEILT_AUS, "gedankenlos", "norbert-roettgen"),  # subject before the verb
        (UKRAINE_STAERKEN, PESKOW, "dmitri-peskow"),
        (UKRAINE_STAERKEN, "Was auf keinen Fall", "mark-rutte"),  # cue names Stoltenberg after the subject
        (UKRAINE_STAERKEN, "Wenn wir irgendwann", "mark-rutte"),  # no verb: carried over in the paragraph
        (UKRAINE_STAERKEN, "Putin verweigert", "annalena-baerbock"),  # names Putin, but Baerbock speaks
        (UKRAINE_STAERKEN, "Sie bewegt sich langsam", "mark-rutte"),
        (WENIG_KONKRETES, "Der wachsende Zusammenschluss", "mark-rutte"),  # "wie es … Rutte darstellte: "
        (WENIG_KONKRETES, "Es gibt ja schon eine Brücke", "mark-rutte"),  # subject of the sentence before
        (WENIG_KONKRETES, BAUSTEINE, "annalena-baerbock"),
    ],
)
def test_quotes_are_attributed_to_their_speakers(dossier, article, start, speaker):
    assert speaker_of(dossier, article, start) == speaker


def test_a_phrase_without_a_cue_gets_no_speaker(dossier):
    assert speaker_of(dossier, WENIG_KONKRETES, "is on fire") is None


def test_peskow_quote_is_on_peskows_page_and_nobody_elses(site):
    pages = entity_pages(site)
    owners = [slug for slug, page in pages.items() if any(PESKOW in s for s in statements_on(page))]
    assert owners == ["dmitri-peskow"]


def test_baerbocks_building_blocks_are_hers(site):
    pages = entity_pages(site)
    owners = [slug for slug, page in pages.items() if any(s.startswith(BAUSTEINE) for s in statements_on(page))]
    assert owners == ["annalena-baerbock"]
    index = soup(site / "zitate" / "index.html")
    section = index.select_one(
        "section#sprecher-annalena-baerbock, section[aria-labelledby=sprecher-annalena-baerbock]"
    )
    assert BAUSTEINE in section.get_text(" ")


def test_rutte_has_quotes_from_all_three_articles(site):
    page = soup(site / "personen" / "mark-rutte" / "index.html")
    cited = set()
    for link in page.select("section.entity-quotes cite a"):
        path, fragment = resolve("personen/mark-rutte/index.html", link["href"])
        cited.add(path.split("/")[1])
        target = soup(site / path)
        assert target.find(id=fragment) is not None, link["href"]
    assert cited == set(ARTICLES)


# --- rendering ----------------------------------------------------------------------------------


def test_every_statement_is_marked_and_linked_to_its_index_entry(site):
    index = soup(site / "zitate" / "index.html")
    for slug in ARTICLES:
        path = f"artikel/{slug}/index.html"
        page = soup(site / path)
        refs = page.select(".body a.quote-ref")
        assert refs, slug
        for ref in refs:
            target, fragment = resolve(path, ref["href"])
            assert target == "zitate/index.html"
            assert index.find(id=fragment) is not None, fragment
        anchors = [e["id"] for e in page.select(".body [id]") if re.fullmatch(r"zitat-\d+", e["id"])]
        assert anchors == [f"zitat-{n}" for n in range(1, len(anchors) + 1)]
        assert len(anchors) >= len(refs)
        for anchor in anchors:
            assert page.find(id=anchor).find_parent("span", class_="quote") is not None
        ids = [e["id"] for e in page.select("[id]")]
        assert len(ids) == len(set(ids)), "duplicate ids"


def test_scare_quotes_are_marked_but_not_listed(site):
    page = soup(site / "artikel" / RUTTE_TEILT_AUS / "index.html")
    terms = [t.get_text() for t in page.select(".body span.quote-term")]
    assert "„hybride“" in terms and "„gedankenlos“" in terms and "„im Raum“" in terms
    index_text = soup(site / "zitate" / "index.html").select_one("main").get_text(" ")
    blockquotes = [b.get_text(" ", strip=True) for b in soup(site / "zitate" / "index.html").select("blockquote")]
    assert not any(b in ("hybride", "gedankenlos", "im Raum", "Sieg", "Brücke") for b in blockquotes)
    assert "Anführungszeichen" in index_text


def test_statement_rule_counts_words():
    assert STATEMENT_MIN_WORDS == 3
    assert word_count("im Raum") == 2 and word_count("hybrider Krieg") == 2
    assert word_count("is on fire") == 3
    assert word_count("Raketen- und Nuklearprogrammen") == 3


def test_the_same_quotation_from_two_sources_is_one_entry(site):
    index = soup(site / "zitate" / "index.html")
    (figure,) = [
        f for f in index.select("figure.quote-group") if "Es braucht Sicherheitsgarantien" in f.blockquote.get_text()
    ]
    sources = {resolve("zitate/index.html", a["href"])[0].split("/")[1] for a in figure.select("cite a")}
    assert sources == {RUTTE_TEILT_AUS, UKRAINE_STAERKEN}
    assert len(index.select("blockquote")) == len({b.get_text() for b in index.select("blockquote")})


def test_start_page_shows_key_quotes(site):
    home = soup(site / "index.html")
    section = home.find(id="zitate").find_parent("section")
    assert len(section.select("blockquote")) >= 3
    assert section.select_one("a[href$='zitate/index.html']") is not None


# --- attribution on snippets --------------------------------------------------------------------


class FakeMatcher:
    """Names found by plain substring search, enough for snippets."""

    def __init__(self, entities: list[Entity], forms: dict[str, str]):
        self.forms = {form: next(e for e in entities if e.slug == slug) for form, slug in forms.items()}

    def find(self, text: str) -> list:
        """Mentions in text order."""
        from dossier.text.mentions import Mention

        found = []
        for form, entity in self.forms.items():
            for match in re.finditer(re.escape(form), text):
                found.append(Mention(match.start(), match.end(), entity, form))
        return sorted(found, key=lambda m: m.start)


def _entity(slug: str, kind: str = "person") -> Entity:
    return Entity(kind, slug, slug, Source("content/people/x.md", 1))


def quotes_of(body: str):
    """(text, speaker slug, is_statement) of every quotation of a snippet."""
    people = [_entity("anna"), _entity("bert"), _entity("partei", "organisation")]
    matcher = FakeMatcher(people, {"Anna": "anna", "Bert": "bert", "Partei": "partei"})
    article = Article("x", "X", dt.date(2024, 12, 4), body, Source("content/articles/x.md", 5))
    return [
        (q.text, q.speaker.slug if q.speaker else None, q.is_statement)
        for q in article_quotes(article, blocks(body), matcher.find)
    ]


def test_pronoun_stands_for_the_person_named_before():
    assert quotes_of("Anna kam spät. „Wir bleiben hier bis zum Ende“, sagte sie.") == [
        ("Wir bleiben hier bis zum Ende", "anna", True)
    ]


def test_colon_cue_belongs_to_the_quote_after_it():
    body = 'Die Welt "brennt lichterloh heute" - oder wie Bert es sagte: "Alles steht in Flammen hier."'
    assert quotes_of(body) == [("brennt lichterloh heute", None, True), ("Alles steht in Flammen hier.", "bert", True)]


def test_role_description_and_compound_organisation():
    body = "Bert sprach zuerst. „Das geht so nicht weiter“, erklärte der Partei-Politiker."
    assert quotes_of(body) == [("Das geht so nicht weiter", "bert", True)]


def test_speaker_is_carried_over_inside_the_paragraph_but_scare_quotes_are_no_statements():
    body = "„Wir sind bereit für alles“, warnte Anna. „Sie kommen nicht weiter“ – so steht es. Das sei „hybrid“."
    assert quotes_of(body) == [
        ("Wir sind bereit für alles", "anna", True),
        ("Sie kommen nicht weiter", "anna", True),
        ("hybrid", "anna", False),
    ]


def same_quotation(a: str, b: str) -> bool:
    return same_words(normalise(a), normalise(b), Similarity())


def test_same_quotation_rules():
    assert same_quotation("Es braucht Garantien, die tragen", "Es braucht Garantien, die tragen.")
    assert same_quotation("aus einer Position der Stärke", "dass die Ukraine aus einer Position der Stärke verhandelt")
    assert not same_quotation("im Raum", "es steht im Raum")
    assert group_statements([]) == ([], {})


# --- editor overrides ---------------------------------------------------------------------------


def add_speakers(project: Path, slug: str, yaml_lines: list[str]) -> tuple[Path, int]:
    """Append a `speakers:` list to an article's front matter; the file and the first item's line."""
    path = project / "content" / "articles" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    head_end = text.index("\n---\n", 4)
    head_lines = text[:head_end].count("\n") + 1
    path.write_text(text[:head_end] + "\nspeakers:\n" + "\n".join(yaml_lines) + text[head_end:], encoding="utf-8")
    return path, head_lines + 2


def test_editor_override_changes_an_attribution(project):
    add_speakers(project, UKRAINE_STAERKEN, ["- quote: Putin verweigert den Weg", "  speaker: wladimir-putin"])
    build(BuildOptions(root=project))
    site = project / "site"
    putin = soup(site / "personen" / "wladimir-putin" / "index.html")
    assert any(s.startswith("Putin verweigert den Weg zum Frieden") for s in statements_on(putin))
    assert "Zuordnung durch die Redaktion" in putin.select_one("section.entity-quotes").get_text()
    baerbock = soup(site / "personen" / "annalena-baerbock" / "index.html")
    assert not any(s.startswith("Putin verweigert") for s in statements_on(baerbock))


def test_override_with_unknown_speaker_or_quote_fails_with_path_and_line(project):
    _, line = add_speakers(
        project,
        UKRAINE_STAERKEN,
        [
            "- quote: Putin verweigert den Weg",
            "  speaker: wladimir-putn",
            "- quote: Putin verhindert den Frieden",
            "  speaker: wladimir-putin",
        ],
    )
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root=project))
    message = str(failure.value)
    path = re.escape(f"content/articles/{UKRAINE_STAERKEN}.md")
    assert re.search(
        rf"{path}:{line}: speakers: unknown speaker 'wladimir-putn' \(did you mean 'wladimir-putin'\?\)", message
    ), message
    assert re.search(rf"{path}:{line + 2}: speakers: no quotation starts with .*closest: „Putin verweigert", message), (
        message
    )
    assert not (project / "site").exists()
