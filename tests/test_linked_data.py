"""Fact checks as schema.org ClaimReview on the built seed site, and the `verdict` key behind them."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from seed_site import BASE_URL, build_seed, copy_seed, json_ld, pages, soup

from dossier.content import frontmatter, load
from dossier.content.model import Anchor, Annotation, Entity, Source
from dossier.site.claim_review import claim_text, fact_checks, party, speaker_of

RUTTE_ARTICLE = "artikel/nato-chef-mark-rutte-teilt-aus/index.html"
CHECK = "rutte-nordkorea-vorwurf"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site without a base URL (relative URLs)."""
    return build_seed(tmp_path_factory.mktemp("ld-relative"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed site built for a published address (absolute URLs)."""
    return build_seed(tmp_path_factory.mktemp("ld-published"), BASE_URL)


def fact_check_files() -> dict[str, dict]:
    """Slug -> front matter of every shipped Faktencheck annotation."""
    found = {}
    for path in sorted((Path(__file__).parent.parent / "content" / "annotations").glob("*.md")):
        meta = frontmatter.parse(path.read_text(encoding="utf-8"), path.name).meta
        if meta["kind"] == "Faktencheck":
            found[path.stem] = meta
    return found


def reviews(page) -> list[dict]:
    """The ClaimReview objects of a parsed page."""
    return [item for item in json_ld(page) if item.get("@type") == "ClaimReview"]


def test_every_json_ld_block_of_every_page_is_valid_json_with_a_context(site):
    for path in pages(site):
        for item in json_ld(soup(path)):
            assert item["@context"] == "https://schema.org", path
            assert "@type" in item, path


def test_the_shipped_fact_check_has_a_verdict():
    checks = fact_check_files()
    assert CHECK in checks
    assert checks[CHECK]["verdict"] == "unbelegt"
    assert all(isinstance(meta.get("verdict"), str) and meta["verdict"].strip() for meta in checks.values())


def test_every_fact_check_is_a_claim_review_on_its_article_page(site):
    for slug, meta in fact_check_files().items():
        page = soup(site / "artikel" / meta["article"] / "index.html")
        found = [r for r in reviews(page) if r["url"].endswith(f"#anm-{slug}")]
        assert len(found) == 1, slug
        assert page.find(id=f"anm-{slug}") is not None, "the review's URL names a fragment the page has"


def test_pages_without_fact_checks_carry_no_claim_review(site):
    checked = {meta["article"] for meta in fact_check_files().values()}
    for path in pages(site):
        if path.parent.name not in checked:
            assert reviews(soup(path)) == [], path


def test_the_claim_review_has_what_google_requires_and_recommends(site):
    page = soup(site / RUTTE_ARTICLE)
    (review,) = reviews(page)
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == (
        "Im Gegenzug für Truppen und Waffen unterstützt Russland Nordkorea bei seinen Raketen- und Nuklearprogrammen"
    )
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "unbelegt"}
    assert review["url"] == f"index.html#anm-{CHECK}"  # relative to the page itself without a base URL
    assert review["author"] == [{"@type": "Organization", "name": "Dossier-Redaktion"}]
    assert review["datePublished"] == "2024-12-05"
    assert review["inLanguage"] == "de"


def test_the_claim_is_by_the_quoted_speaker_and_appears_in_the_source_article(site):
    page = soup(site / RUTTE_ARTICLE)
    (review,) = reviews(page)
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    author = claim["author"]
    assert author["@type"] == "Person" and author["name"] == "Mark Rutte"
    assert author["sameAs"] == "https://www.wikidata.org/wiki/Q57792"
    assert author["url"] == "../../personen/mark-rutte/index.html"
    appearance = claim["appearance"]
    assert appearance["@type"] == "NewsArticle"
    assert appearance["headline"] == page.find("h1").get_text(strip=True)
    assert appearance["datePublished"] == "2024-12-04"
    assert appearance["publisher"] == {"@type": "Organization", "name": "taz"}
    assert appearance["url"] == "index.html"  # no source_url: the dossier's page of the article


def test_the_news_article_stays_beside_the_claim_review(site):
    items = json_ld(soup(site / RUTTE_ARTICLE))
    assert [item["@type"] for item in items] == ["NewsArticle", "ClaimReview"]
    assert items[0]["headline"] == "Nato-Chef Mark Rutte teilt aus"


def test_with_a_base_url_every_url_of_the_review_is_absolute(published):
    page = soup(published / RUTTE_ARTICLE)
    canonical = page.find("link", rel="canonical")["href"]
    (review,) = reviews(page)
    assert review["url"] == f"{canonical}#anm-{CHECK}"
    assert review["url"].startswith(BASE_URL)
    claim = review["itemReviewed"]
    assert claim["author"]["url"] == BASE_URL + "personen/mark-rutte/"
    assert claim["appearance"]["url"] == canonical


def test_the_review_survives_a_round_trip_through_json(site):
    raw = [s.string for s in soup(site / RUTTE_ARTICLE).find_all("script", type="application/ld+json")]
    assert "</" not in "".join(raw), "script content never closes the element"
    assert json.loads(raw[1])["@type"] == "ClaimReview"


# --- the `verdict` key ----------------------------------------------------------------------


def annotation_file(root: Path, name: str, meta: str) -> Path:
    """Write content/annotations/<name>.md with the given front matter lines."""
    path = root / "content" / "annotations" / f"{name}.md"
    path.write_text(f"---\n{textwrap.dedent(meta).strip()}\n---\n\nEine Notiz.\n", encoding="utf-8")
    return path


def messages(root: Path) -> list[str]:
    """The problems reading the annotations reports, as printed."""
    return [str(error) for error in load.load_annotations(root)[1]]


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the seed project a test may change."""
    return copy_seed(tmp_path / "project")


def test_a_verdict_on_another_kind_is_an_error_with_its_line(project):
    annotation_file(
        project,
        "falsche-art",
        """
        article: nato-chef-mark-rutte-teilt-aus
        exact: Nordkorea
        kind: Kontext
        verdict: falsch
        """,
    )
    (message,) = [m for m in messages(project) if "falsche-art" in m]
    assert message.startswith("content/annotations/falsche-art.md:5: ")
    assert "only allowed on annotations of kind Faktencheck" in message


@pytest.mark.parametrize("value", ["", '""', "'   '"])
def test_an_empty_verdict_is_an_error_with_its_line(project, value):
    annotation_file(
        project,
        "leeres-urteil",
        f"""
        article: nato-chef-mark-rutte-teilt-aus
        exact: Nordkorea
        kind: Faktencheck
        verdict: {value}
        """,
    )
    (message,) = [m for m in messages(project) if "leeres-urteil" in m]
    assert message.startswith("content/annotations/leeres-urteil.md:5: ")
    assert "'verdict' is empty" in message


def test_a_verdict_that_is_not_text_is_an_error(project):
    annotation_file(
        project,
        "zahl",
        """
        article: nato-chef-mark-rutte-teilt-aus
        exact: Nordkorea
        kind: Faktencheck
        verdict: [1, 2]
        """,
    )
    (message,) = [m for m in messages(project) if "zahl.md" in m]
    assert message.startswith("content/annotations/zahl.md:5: 'verdict' must be a text")


def test_a_fact_check_without_verdict_is_a_warning_and_still_published(project):
    annotation_file(
        project,
        "ohne-urteil",
        """
        article: nato-chef-mark-rutte-teilt-aus
        exact: ohne Beweise vorzulegen
        kind: Faktencheck
        """,
    )
    found, errors = load.load_annotations(project)
    assert [(e.path, e.line, e.severity) for e in errors] == [("content/annotations/ohne-urteil.md", 4, "warning")]
    assert "ohne-urteil" in {a.slug for a in found}


def test_the_verdict_is_read_trimmed(project):
    found, errors = load.load_annotations(project)
    assert not errors
    assert {a.slug: a.verdict for a in found}[CHECK] == "unbelegt"
    assert all(a.verdict == "" for a in found if a.kind != "Faktencheck")


# --- units ----------------------------------------------------------------------------------


def _annotation(**fields) -> Annotation:
    base = {"slug": "x", "article": "a", "exact": "„Wort“", "kind": "Faktencheck", "source": Source("x.md", 5)}
    return Annotation(**{**base, **fields})


def test_reviewers_are_organisations_or_people_by_their_name():
    assert party("Dossier-Redaktion") == {"@type": "Organization", "name": "Dossier-Redaktion"}
    assert party("Faktencheck-Team") == {"@type": "Organization", "name": "Faktencheck-Team"}
    assert party("Anna Schmidt") == {"@type": "Person", "name": "Anna Schmidt"}


def test_the_claim_drops_the_marks_around_a_quotation_only():
    assert claim_text(_annotation(exact="„Im Gegenzug\n für Truppen“")) == "Im Gegenzug für Truppen"
    assert claim_text(_annotation(exact="Anthony Blinken")) == "Anthony Blinken"


class _Quote:
    """The fields of a Quote that speaker_of reads."""

    def __init__(self, block, start, end, speaker):
        self.block, self.start, self.end, self.speaker = block, start, end, speaker


def test_the_speaker_is_the_one_of_the_quotation_around_the_passage():
    rutte = Entity("person", "mark-rutte", "Mark Rutte", Source("p.md", 1))
    passage = _annotation(anchor=Anchor(3, 10, 20, 7))
    assert speaker_of(passage, [_Quote(3, 8, 22, rutte)]) is rutte
    assert speaker_of(passage, [_Quote(3, 12, 22, rutte)]) is None  # the passage starts before the quotation
    assert speaker_of(passage, [_Quote(2, 8, 22, rutte)]) is None
    assert speaker_of(passage, [_Quote(3, 8, 22, None)]) is None


def test_the_review_date_and_reviewers_fall_back_to_the_dossier():
    undated = _annotation(anchor=Anchor(1, 0, 3, 1))
    (check,) = fact_checks(
        [undated, _annotation(kind="Kontext", anchor=Anchor(1, 0, 3, 1))], [], ("Redaktion",), dt.date(2024, 12, 4)
    )
    assert check.reviewers == ("Redaktion",) and check.published == dt.date(2024, 12, 4)
    dated = _annotation(anchor=Anchor(1, 0, 3, 1), author="Anna Schmidt", date=dt.date(2024, 12, 6))
    (check,) = fact_checks([dated], [], ("Redaktion",), dt.date(2024, 12, 4))
    assert check.reviewers == ("Anna Schmidt",) and check.published == dt.date(2024, 12, 6)


def test_readers_see_the_verdict_beside_the_note_and_on_the_annotations_page(site):
    note = soup(site / RUTTE_ARTICLE).find(id=f"anm-{CHECK}-notiz")
    assert note.find(class_="annotation-verdict").get_text(" ", strip=True) == "Bewertung: unbelegt"
    card = soup(site / "anmerkungen" / "index.html").find(id=f"anm-{CHECK}")
    assert card.find(class_="annotation-verdict").get_text(" ", strip=True) == "Bewertung: unbelegt"
    others = soup(site / "anmerkungen" / "index.html").select(".annotation-card:not(.annotation-faktencheck)")
    assert others and not any(c.find(class_="annotation-verdict") for c in others)


def test_check_reports_a_misplaced_verdict_with_file_and_line(project):
    from dossier.check import check
    from dossier.pipeline import BuildOptions

    path = project / "content" / "annotations" / "kyjiw-kiew-schreibweise.md"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: Hinweis\n", "kind: Hinweis\nverdict: richtig\n"))
    problems = [str(p) for p in check(BuildOptions(root=project, search=False, jobs=1)) if p.severity == "error"]
    assert problems == [
        "content/annotations/kyjiw-kiew-schreibweise.md:5: 'verdict' is only allowed on annotations of kind "
        "Faktencheck, not Hinweis; remove it or change the kind"
    ]


def test_a_changed_verdict_reaches_the_page_on_the_next_build(project):
    from dossier.pipeline import BuildOptions, build

    options = BuildOptions(root=project, search=False, jobs=1)
    build(options)
    path = project / "content" / "annotations" / f"{CHECK}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: unbelegt", "verdict: teilweise belegt"))
    build(options)
    (review,) = reviews(soup(project / "site" / RUTTE_ARTICLE))
    assert review["reviewRating"]["alternateName"] == "teilweise belegt"
