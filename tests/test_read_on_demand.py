"""The article store's facts are read back only where a build needs them. An article's blocks are read only
for the articles whose annotations need anchoring (a build that takes 10,000 analyses from the store does not
unpickle or hold 10,000 parsed bodies); its comparable sentences only when the passage join asks for them
(none when the passages are remembered, those of the articles an edit's passages lead to otherwise). The
site stays what a clean build makes of the same files."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from test_incremental import annotated, clean_build, site_files

from bench.corpus import generate
from dossier.incremental import cache
from dossier.incremental.memo import FILE, ArticleMemo
from dossier.pipeline import BuildOptions, build, read_dossier


def reads_of(monkeypatch, fact: str) -> list[set[str]]:
    """The article slugs each call of `ArticleMemo.<fact>` asked the store for (one set per call)."""
    calls: list[set[str]] = []
    real = getattr(ArticleMemo, fact)

    def counted(self, articles, matcher):
        calls.append({a.slug for a in articles})
        return real(self, articles, matcher)

    monkeypatch.setattr(ArticleMemo, fact, counted)
    return calls


@pytest.fixture
def asked(monkeypatch) -> list[set[str]]:
    """The article slugs each build asked the store for the blocks of."""
    return reads_of(monkeypatch, "blocks")


def rewrite_annotation(root: Path) -> tuple[Path, str]:
    """The first annotation's note text changed (its article's file untouched): (its file, its article's slug)."""
    note = sorted((root / "content" / "annotations").glob("*.md"))[0]
    text = note.read_text(encoding="utf-8")
    note.write_text(text.rstrip("\n") + " Nachgetragen.\n", encoding="utf-8")
    return note, re.search(r"^article: (\S+)$", text, re.M).group(1)


def test_only_the_annotated_articles_blocks_are_read_back(tmp_path, asked):
    """A cold build on two workers keeps every fresh analysis' blocks in the store's transaction and reads back
    only the annotated articles'; an annotation edited on an unchanged article is anchored in its stored blocks;
    both sites equal a clean build."""
    root = generate(tmp_path / "project", articles=160, seed=7).root
    notes = annotated(root)
    assert notes and len(notes) < 160
    build(BuildOptions(root=root, jobs=2, search=False))
    assert asked == [notes], "the cold build read back the blocks of the annotated articles, no others"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
    asked.clear()
    _, slug = rewrite_annotation(root)
    report = build(BuildOptions(root=root, jobs=2, search=False))
    assert report.written >= 1
    assert asked == [notes], "an incremental build reads back the annotated articles' blocks only"
    assert slug in notes
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_damaged_blocks_are_parsed_again(tmp_path):
    """A stored blocks row whose checksum fails is a miss: the article's body is parsed again and its
    annotation anchored as before."""
    root = generate(tmp_path / "project", articles=80, seed=5).root
    build(BuildOptions(root=root, jobs=2, search=False))
    note, slug = rewrite_annotation(root)
    with sqlite3.connect(root / cache.FOLDER / FILE) as db:
        path = f"content/articles/{slug}.md"
        (data,) = db.execute("SELECT data FROM blocks WHERE path = ?", (path,)).fetchone()
        db.execute("UPDATE blocks SET data = ? WHERE path = ?", (data[:-1] + bytes([data[-1] ^ 0xFF]), path))
    build(BuildOptions(root=root, jobs=2, search=False))
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
    page = (root / "site" / "artikel" / slug / "index.html").read_text(encoding="utf-8")
    assert "Nachgetragen." in page, f"the annotation of {note.name} is shown on its article's page"


@pytest.fixture
def read_sentences(monkeypatch) -> list[set[str]]:
    """The article slugs each call asked the store for the comparable sentences of."""
    return reads_of(monkeypatch, "sentences")


def test_comparable_sentences_are_read_only_where_the_passages_need_them(tmp_path, read_sentences):
    root = generate(tmp_path / "project", articles=160, seed=7).root
    build(BuildOptions(root=root, jobs=2, search=False))
    assert read_sentences == [], "a cold build works every article's sentences out"
    person = sorted((root / "content" / "people").glob("*.md"))[0]
    person.write_text(person.read_text(encoding="utf-8").replace('role: "', 'role: "Neu, ', 1), encoding="utf-8")
    build(BuildOptions(root=root, jobs=2, search=False))
    assert read_sentences == [], "a role edit keeps the passages and reads no sentences"
    article = sorted((root / "content" / "articles").glob("*.md"))[4]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Satz der Redaktion zum Schluss.\n")
    build(BuildOptions(root=root, jobs=2, search=False))
    read = set().union(*read_sentences)
    assert article.stem not in read, "the edited article's sentences are worked out, not read"
    assert 0 < len(read) < 159, "the articles the edit's passages lead to, not all of them"
    sharing = {o.article for p in read_dossier(root).dossier.passages for o in p.occurrences}
    assert len(read) < len(sharing) // 2, "the passages are assembled from the pairs' rows, not every sharer's text"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_damaged_sentences_are_worked_out_again(tmp_path):
    root = generate(tmp_path / "project", articles=80, seed=5).root
    build(BuildOptions(root=root, jobs=2, search=False))
    with sqlite3.connect(root / cache.FOLDER / FILE) as db:
        for path, data in db.execute("SELECT path, data FROM sentences").fetchall():
            db.execute("UPDATE sentences SET data = ? WHERE path = ?", (data[:-1] + bytes([data[-1] ^ 0xFF]), path))
    article = sorted((root / "content" / "articles").glob("*.md"))[2]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Satz der Redaktion zum Schluss.\n")
    build(BuildOptions(root=root, jobs=2, search=False))
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_the_web_annotations_take_the_blocks_instead_of_parsing_the_bodies(tmp_path, monkeypatch):
    """The W3C Web Annotation file locates each passage in its article's plain text, made from the blocks the
    build read back for the annotations: no article body is parsed again for it."""
    from dossier.site import web_annotations

    root = generate(tmp_path / "project", articles=80, seed=5).root
    build(BuildOptions(root=root, jobs=2, search=False))
    parsed: list[str] = []
    real = web_annotations.block_texts
    monkeypatch.setattr(web_annotations, "block_texts", lambda text: parsed.append(text) or real(text))
    rewrite_annotation(root)
    build(BuildOptions(root=root, jobs=2, search=False))
    bodies = {
        p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in (root / "content" / "articles").glob("*.md")
    }
    assert parsed and not any(text.strip() and text in body for text in parsed for body in bodies if len(text) > 200)
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_an_annotation_is_searched_for_again_only_when_its_file_or_its_articles_changed(tmp_path, monkeypatch):
    """Anchors are remembered annotation by annotation: an edit elsewhere searches no article text for them, an
    annotation's own edit searches for it alone, and an edit of its article moves its anchor as a clean build
    would (a paragraph put before the passage shifts its line)."""
    from dossier.joins import anchoring

    searched: list[str] = []
    real = anchoring.find_all
    monkeypatch.setattr(anchoring, "find_all", lambda exact, blocks: searched.append(exact) or real(exact, blocks))
    root = generate(tmp_path / "project", articles=160, seed=11).root
    build(BuildOptions(root=root, jobs=2, search=False))
    notes = len(list((root / "content" / "annotations").glob("*.md")))
    assert notes and len(searched) == notes, "a first build searches for every annotation"
    others = sorted((root / "content" / "articles").glob("*.md"))
    plain = next(p for p in others if p.stem not in annotated(root))
    plain.write_text(plain.read_text(encoding="utf-8") + "\nEin Nachtrag ohne Anmerkung.\n", encoding="utf-8")
    searched.clear()
    build(BuildOptions(root=root, jobs=2, search=False))
    assert searched == [], "no annotation's files changed"
    _, slug = rewrite_annotation(root)
    build(BuildOptions(root=root, jobs=2, search=False))
    assert len(searched) == 1, "the edited annotation alone"
    article = root / "content" / "articles" / f"{slug}.md"
    head, _, body = article.read_text(encoding="utf-8").partition("\n---\n")
    article.write_text(f"{head}\n---\n\nEin neuer erster Absatz.\n\nNoch einer.\n{body}", encoding="utf-8")
    searched.clear()
    build(BuildOptions(root=root, jobs=2, search=False))
    assert 0 < len(searched) < notes, "the annotations of the edited article"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
