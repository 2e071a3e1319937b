"""A build plans only the article and entity pages a change can reach (`incremental.scope`).

The pages it leaves out keep what the last build left them; these tests check, on a corpus large
enough for the worker processes, that every page it left out has the data it had (every page is
planned afresh and fingerprinted: `test_page_reads.wrongly_kept`), that the site equals a clean
build, and that a doubt (rows from another build, a page changed in site/) plans what it must.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from test_incremental import clean_build, site_files
from test_page_reads import wrongly_kept

from bench.corpus import generate
from dossier import pipeline
from dossier.incremental import analyses, cache, readers
from dossier.pipeline import BuildOptions, build
from dossier.site import compare, pages, reach, urls
from dossier.site.entity_pages import entity_path


def options(root: Path) -> BuildOptions:
    return BuildOptions(root=root, jobs=2, search=False, quiet=True, progress=False)


@pytest.fixture
def project(tmp_path) -> Path:
    root = generate(tmp_path / "project", articles=90, seed=13).root
    assert analyses.PARALLEL_MIN <= 90
    first = build(options(root))
    assert first.pages >= pipeline.PARALLEL_PAGES, "the first build renders on the workers"
    return root


def articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").glob("*.md"))


def person_not_named_in(root: Path, article: Path) -> tuple[str, str]:
    """(slug, name) of a person whose name the article does not contain."""
    text = article.read_text(encoding="utf-8")
    for person in sorted((root / "content" / "people").glob("*.md")):
        name = re.search(r'^name: "(.*)"$', person.read_text(encoding="utf-8"), re.M).group(1)
        if name.split()[-1] not in text:
            return person.stem, name
    raise AssertionError("every person is named")


def same_as_clean(root: Path, report, tmp_path: Path) -> None:
    assert not wrongly_kept(root, report)
    incremental, clean = site_files(root / "site"), clean_build(root, tmp_path / "clean", search=False)
    assert sorted(incremental) == sorted(clean)
    assert [p for p in clean if incremental[p] != clean[p]] == []


def test_a_new_mention_plans_the_entity_page_that_did_not_read_the_article(project, tmp_path):
    """An article that names a person for the first time: the person's page did not read it in the last build,
    and it is planned (and shows the article) all the same; most article pages are not planned."""
    article = articles(project)[7]
    slug, name = person_not_named_in(project, article)
    article.write_text(article.read_text(encoding="utf-8") + f"\nAuch {name} war dabei.\n", encoding="utf-8")
    report = build(options(project))
    plan, _ = report.working
    assert plan.outlines, "the build planned only what the edit reaches"
    for template, every in (("entity.html", plan.dossier.entities), ("article.html", plan.dossier.articles)):
        assert len([page for page in plan.pages if page.template == template]) < len(every)
    planned = {page.path for page in plan.pages}
    assert urls.entry("article", article.stem) in planned
    assert urls.entry("person", slug) in planned
    person = (project / "site" / urls.entry("person", slug)).read_text(encoding="utf-8")
    assert urls.entry("article", article.stem).split("/")[-2] in person
    same_as_clean(project, report, tmp_path)


def test_a_retitled_article_plans_the_article_whose_related_list_now_names_it(project, tmp_path):
    """A related-list entry that names no article, then an article retitled to it: the page with the list now
    links to that article, though it did not read its file before."""
    lister, named = articles(project)[3], articles(project)[11]
    text = lister.read_text(encoding="utf-8")
    entry = 'related:\n- kicker: ""\n  title: "Ein Bericht, den es erst später gibt"\n'
    lister.write_text(text.replace("\n---\n", "\n" + entry + "---\n", 1), encoding="utf-8")
    build(options(project))
    text = named.read_text(encoding="utf-8")
    named.write_text(re.sub(r"^title: .*$", 'title: "Ein Bericht, den es erst später gibt"', text, count=1, flags=re.M))
    report = build(options(project))
    plan, _ = report.working
    assert plan.outlines
    assert urls.entry("article", lister.stem) in {page.path for page in plan.pages}
    shown = (project / "site" / urls.entry("article", lister.stem)).read_text(encoding="utf-8")
    assert named.stem in shown
    same_as_clean(project, report, tmp_path)


def test_rows_of_another_build_plan_every_page(project, tmp_path):
    """A build killed after committing its rows and before saving its state leaves rows whose token the state does
    not hold: the next build trusts none of them and plans every page."""
    article = articles(project)[5]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Satz mehr.\n", encoding="utf-8")
    with sqlite3.connect(project / cache.FOLDER / readers.FILE) as db:
        db.execute("UPDATE meta SET value = 'another build' WHERE key = 'token'")
        db.execute("DELETE FROM reads")  # (and its rows say nothing reads anything)
    report = build(options(project))
    plan, _ = report.working
    assert plan.outlines == []
    same_as_clean(project, report, tmp_path)
    again = articles(project)[6]
    again.write_text(again.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    assert build(options(project)).working[0].outlines, "the full build's rows are trusted again"


def test_a_page_changed_in_site_is_planned_and_rendered_again(project, tmp_path):
    """An article page no edit reaches, changed by hand in site/: it is planned and rendered as it was."""
    edited, touched = articles(project)[2], articles(project)[40]
    page = project / "site" / urls.entry("article", touched.stem)
    page.write_text("verändert", encoding="utf-8")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Satz mehr.\n", encoding="utf-8")
    report = build(options(project))
    plan, _ = report.working
    assert plan.outlines
    assert urls.entry("article", touched.stem) in {p.path for p in plan.pages}
    assert page.read_text(encoding="utf-8") != "verändert"
    same_as_clean(project, report, tmp_path)


def test_outlines_are_the_planned_pages_without_their_data(project):
    """What the sitemap and messages ask of a page not planned is what its plan says."""
    plan, _ = build(BuildOptions(root=project, jobs=2, search=False, force_import=True)).working
    dossier = plan.dossier
    planned = {page.path: page for page in pages.plan(dossier, framed=plan.framed)[0]}
    nothing = reach.Only(frozenset(), frozenset())
    outlined = reach.outlines(dossier, nothing)
    assert {p.path for p in outlined} == {pages.article_path(a) for a in dossier.articles} | {
        entity_path(e) for e in dossier.entities
    } | set(compare.passage_paths(dossier.passages))
    assert dossier.passages
    for outline in outlined:
        page = planned[outline.path]
        fields = ("template", "title", "kind", "date", "in_sitemap")
        assert [getattr(outline, f) for f in fields] == [getattr(page, f) for f in fields], outline.path
        assert pipeline.links.page_origins([outline]) == pipeline.links.page_origins([page])


def test_an_edit_makes_the_mentions_of_few_stored_analyses(project, tmp_path):
    """Every analysis is read back (quotations and warnings are worked out across all), but the mentions of a
    stored one are made only when a planned page asks for them: after an annotation's note is reworded (its
    article's page shows it), only that article's are made, and the site is still a clean build's."""
    from dossier.incremental.codec import StoredAnalysis

    note = sorted((project / "content" / "annotations").glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nNachtrag 4.\n", encoding="utf-8")
    report = build(options(project))
    plan, _ = report.working
    stored = [(article, text) for article, text, _ in plan.findings if isinstance(text, StoredAnalysis)]
    assert len(stored) == len(plan.dossier.articles)
    made = [article.slug for article, text in stored if text.made]
    annotated = [n.article for n in plan.dossier.annotations if n.source.path.endswith(note.name)]
    assert made == annotated
    same_as_clean(project, report, tmp_path)


def test_person_feeds_from_the_tallies_are_those_from_the_mentions(project):
    """The person feeds list the articles each person is mentioned in: counted from the articles' tallies, as an
    edit's build does, they are the feeds made from every mention."""
    from dataclasses import replace

    from dossier.site import feeds
    from dossier.site.page import site_info

    plan, _ = build(BuildOptions(root=project, jobs=2, search=False, force_import=True)).working
    info = site_info(plan.dossier.home, True, "https://example.org/dossier/")
    tallied = feeds.person_feeds(plan.dossier, info)
    assert tallied == feeds.person_feeds(replace(plan.dossier, tallies=None), info)
    assert len(tallied) == len([e for e in plan.dossier.entities if e.kind == "person"])


def test_the_stored_reads_are_every_page_s_after_a_build_that_plans_every_page(project):
    """An added article plans every page (a new path); the store then rewrites only the rows of the pages whose
    read key changed, and its rows are still what every article, entity and passage page reads."""
    from bench.corpus import added_article

    added_article(project, 90, 3, seed=13)
    report = build(options(project))
    plan, _ = report.working
    assert plan.outlines == []
    every, _ = pages.plan(plan.dossier, framed=plan.framed)
    wanted = {
        (file, page.path)
        for page in every
        if page.template in ("article.html", "entity.html", "comparison.html") and page.reads
        for file in page.reads.files
    }
    with sqlite3.connect(project / cache.FOLDER / readers.FILE) as db:
        query = "SELECT f.name, p.name FROM reads JOIN names f ON f.id = file JOIN names p ON p.id = page"
        assert set(db.execute(query)) == wanted
