"""Annotations: anchoring by quoted text (pure), and the annotated pages of the real dossier."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from dossier.content.model import Anchor, Annotation, Article, Source
from dossier.joins import anchoring as annotations
from dossier.joins.anchoring import anchor, anchor_all, fold
from dossier.text.blocks import blocks

BODY = """Erster Absatz über Rutte. Die Nato tagt in Brüssel.

## Zwischentitel

Zweiter Absatz: Rutte sagte, „die Bedrohung sei global“. Dann sprach Rutte
noch einmal über die Nato.

Dritter Absatz mit Blinken und einem Bin\u00adde\u00adstrich.
"""


def article(body: str = BODY) -> Article:
    """An article whose body starts on line 6 of its file."""
    return Article("test", "Test", dt.date(2024, 12, 4), body, Source("content/articles/test.md", 6))


def note(exact: str, prefix: str = "", suffix: str = "", slug: str = "n") -> Annotation:
    """An annotation of the test article whose 'exact' key is on line 3."""
    source = Source(f"content/annotations/{slug}.md", 9, {"article": 2, "exact": 3})
    return Annotation(slug, "test", exact, "Kontext", source, prefix=prefix, suffix=suffix)


def anchor_in(annotation, article):
    """Anchor an annotation in an article, on its blocks as the analysis finds them."""
    return anchor(annotation, article, blocks(article.body))


def anchored_text(exact: str, **context) -> tuple[str, Anchor]:
    """The article text an annotation anchors to, and its anchor; fails the test on error."""
    result, errors = anchor_in(note(exact, **context), article())
    assert errors == []
    block = next(b for b in blocks(BODY) if b.index == result.anchor.block)
    return block.text[result.anchor.start : result.anchor.end], result.anchor


def test_exact_passage_is_found_in_its_block():
    text, where = anchored_text("Die Nato tagt in Brüssel.")
    assert text == "Die Nato tagt in Brüssel."
    assert where.block == 1 and where.line == 6


def test_prefix_and_suffix_pick_one_of_several_occurrences():
    text, where = anchored_text("Rutte", prefix="Dann sprach ")
    assert text == "Rutte" and where.block == 3
    block = blocks(BODY)[2]
    assert block.text[where.start - 12 : where.start] == "Dann sprach "
    _, by_suffix = anchored_text("Rutte", suffix=" sagte")
    assert by_suffix.block == 3 and by_suffix.start < where.start


def test_whitespace_soft_hyphens_and_quote_variants_are_tolerated():
    text, _ = anchored_text('sagte,   "die Bedrohung\n sei global"')
    assert text == "sagte, „die Bedrohung sei global“"
    text, _ = anchored_text("«die Bedrohung sei global»")
    assert text == "„die Bedrohung sei global“"
    text, _ = anchored_text("Bindestrich")
    assert text == "Bin\u00adde\u00adstrich"
    text, _ = anchored_text("Dann sprach Rutte noch")  # a soft line break in the source
    assert text == "Dann sprach Rutte\nnoch" or text == "Dann sprach Rutte noch"


def test_fold_maps_back_to_original_offsets():
    folded, where = fold("a\u00ad  „b“")
    assert folded == 'a "b"'
    assert [where[i] for i in range(len(folded))] == [0, 2, 4, 5, 6]


def test_passage_not_found_names_the_closest_passage_and_its_line():
    _, errors = anchor_in(note("Dritter Absatz mit Blinkin"), article())
    assert len(errors) == 1
    message = str(errors[0])
    assert message.startswith("content/annotations/n.md:3: passage not found in article 'test'")
    assert '"Dritter Absatz mit Blinken"' in message
    assert "content/articles/test.md:13" in message


def test_ambiguous_passage_lists_every_occurrence_and_suggests_context():
    _, errors = anchor_in(note("Rutte"), article())
    assert len(errors) == 1
    message = str(errors[0])
    assert message.startswith("content/annotations/n.md:3: passage is ambiguous: it occurs 3 times")
    assert message.count("content/articles/test.md:") == 3
    assert "prefix:" in message


def test_context_that_fits_no_occurrence_is_reported():
    _, errors = anchor_in(note("Rutte", prefix="Gestern sagte "), article())
    assert "never with this prefix/suffix" in str(errors[0])


def test_suggested_context_singles_out_the_occurrence():
    body_blocks = blocks(BODY)
    matches = annotations.find_all("Rutte", body_blocks)
    prefix, suffix = annotations.suggest_context(matches[1], matches)
    assert [annotations.fits(m, prefix, suffix) for m in matches] == [False, True, False]


def test_unknown_article_is_reported_with_a_suggestion():
    source = Source("content/annotations/x.md", 8, {"article": 2})
    wrong = Annotation("x", "tset", "Rutte", "Kontext", source)
    anchored, errors = anchor_all([wrong], [article()], {"test": blocks(BODY)})
    assert anchored == []
    assert str(errors[0]) == "content/annotations/x.md:2: unknown article 'tset' (did you mean 'test'?)"


def test_annotations_are_numbered_in_text_order():
    later = note("Bindestrich", slug="a")
    earlier = note("Erster Absatz", slug="b")
    anchored, errors = anchor_all([later, earlier], [article()], {"test": blocks(BODY)})
    assert errors == []
    assert [(a.slug, a.number) for a in anchored] == [("b", 1), ("a", 2)]


# --- the real dossier ---------------------------------------------------------------------


def page(site, path: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


def shipped(built_project) -> list[Annotation]:
    """The annotations the project ships, anchored."""
    from dossier.pipeline import read_dossier

    dossier, errors = (_read := read_dossier(built_project)).dossier, _read.problems
    assert [e for e in errors if e.severity == "error"] == []
    return dossier.annotations


def test_every_shipped_annotation_is_marked_and_its_note_follows_its_paragraph(built_project, site):
    notes = shipped(built_project)
    assert len(notes) >= 3
    for a in notes:
        soup = page(site, f"artikel/{a.article}/index.html")
        target = soup.find(id=a.id)
        mark = target.find_parent("mark")
        assert mark is not None and a.kind.lower() in " ".join(mark["class"])
        assert mark["aria-describedby"] == a.note_id
        aside = soup.find(id=a.note_id)
        assert aside.name == "aside" and a.kind in aside.get_text()
        paragraph = mark.find_parent(["p", "h2", "h3"])
        assert aside.find_parent("div", class_="annotation-notes").find_previous_sibling() is paragraph
        assert aside.find("a", class_="annotation-back")["href"] == f"#{a.id}"
        ids = [t["id"] for t in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), "duplicate ids in the annotated page"


@pytest.mark.parametrize(
    ("kind", "passage"),
    [
        ("Korrektur", "Anthony Blinken"),
        ("Korrektur", "besetzen"),
        ("Faktencheck", "Im Gegenzug für Truppen und Waffen"),
    ],
)
def test_required_annotations_are_shipped(built_project, kind, passage):
    assert any(a.kind == kind and passage in a.exact for a in shipped(built_project))


def test_overview_lists_every_annotation_by_article_with_links_to_the_passage(built_project, site):
    notes = shipped(built_project)
    soup = page(site, "anmerkungen/index.html")
    cards = soup.select("article.annotation-card")
    assert len(cards) == len(notes)
    for a in notes:
        link = soup.find(id=a.id).find("blockquote").find("a")
        assert link["href"] == f"../artikel/{a.article}/index.html#{a.id}"
    nav = [a.get_text() for a in soup.select("nav a")]
    assert "Anmerkungen" in nav


def test_annotations_of_hidden_articles_are_skipped_not_reported():
    draft_note = Annotation("d", "entwurf", "Rutte", "Kontext", Source("content/annotations/d.md", 8))
    anchored, errors = anchor_all([draft_note], [article()], {"test": blocks(BODY)}, hidden={"entwurf"})
    assert anchored == [] and errors == []


def test_quoted_passage_is_not_quoted_twice():
    assert note("die Nato tagt").quoted == "„die Nato tagt“"
    assert note("„Wir bleiben“").quoted == "„Wir bleiben“"


def test_closest_passage_is_quoted_as_the_article_writes_it():
    _, errors = anchor_in(note('"die Bedrohung sei globaal"'), article())
    assert 'closest passage: "„die Bedrohung sei global“' in str(errors[0])
