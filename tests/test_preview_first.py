"""The preview shows a saved file's page first: rendered into memory once the dossier is read and joined, before
the rest of the site is planned, with the very bytes the build then writes to site/."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from test_incremental import EDITS, clean_build, site_files
from test_resident import break_article, edit_role

from bench.corpus import generate
from dossier import serve
from dossier.incremental import analyses
from dossier.pipeline import PARALLEL_PAGES, BuildOptions, build

from conftest import copy_project

ARTICLE = "content/articles/nato-chef-mark-rutte-teilt-aus.md"
PAGE = "artikel/nato-chef-mark-rutte-teilt-aus/index.html"


class Shown:
    """What a build showed first, and site/ as it was at that moment."""

    def __init__(self, site: Path):
        self.site, self.pages, self.site_then = site, {}, {}

    def __call__(self, pages) -> None:
        assert not self.pages, "shown twice in one build"
        self.pages = dict(pages)
        self.site_then = {p: (self.site / p).read_bytes() if (self.site / p).exists() else None for p in pages}


def test_a_saved_article_s_page_is_shown_before_site_changes_with_the_bytes_the_build_writes(tmp_path):
    root = copy_project(tmp_path / "project")
    options = BuildOptions(root=root, search=False)
    build(options)
    path = root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nEin Satz der Vorschau-Probe.\n", encoding="utf-8")
    shown = Shown(root / "site")
    build(options, show=shown)
    assert list(shown.pages) == [PAGE]
    assert b"Vorschau-Probe" in shown.pages[PAGE]
    assert b"Vorschau-Probe" not in shown.site_then[PAGE]  # site/ was not touched yet
    assert (root / "site" / PAGE).read_bytes() == shown.pages[PAGE]


def test_a_saved_person_s_page_is_shown_first_and_nothing_when_nothing_changed(tmp_path):
    root = copy_project(tmp_path / "project")
    options = BuildOptions(root=root, search=False)
    build(options)
    person = root / "content" / "people" / "mark-rutte.md"
    person.write_text(person.read_text(encoding="utf-8").replace("role:", "role: Probe,", 1), encoding="utf-8")
    shown = Shown(root / "site")
    build(options, show=shown)
    assert list(shown.pages) == ["personen/mark-rutte/index.html"]
    assert (root / "site" / "personen" / "mark-rutte" / "index.html").read_bytes() == shown.pages[
        "personen/mark-rutte/index.html"
    ]
    again = Shown(root / "site")
    build(options, show=again)
    assert again.pages == {}


def test_an_open_page_that_reads_the_saved_file_is_shown_first_and_one_that_does_not_is_not(tmp_path):
    """Hugo's server renders the pages being viewed first: a reworded annotation shows first on its article's page
    (open in a browser); the other open pages (an unrelated article, a person, the start page) wait for the build."""
    root = copy_project(tmp_path / "project")
    options = BuildOptions(root=root, search=False)
    build(options)
    note = root / "content" / "annotations" / "besetzten-tippfehler.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Tippfehler in der Quelle", "Druckfehler"), "utf-8")
    annotated = "artikel/nato-will-die-ukraine-militaerisch-staerken/index.html"
    viewed = [PAGE, annotated, "personen/kaja-kallas/index.html", "index.html", "themen/index.html"]
    shown = Shown(root / "site")
    build(options, show=shown, viewed=viewed)
    assert list(shown.pages) == [annotated]
    assert b"Druckfehler" in shown.pages[annotated] and b"Druckfehler" not in shown.site_then[annotated]
    assert (root / "site" / annotated).read_bytes() == shown.pages[annotated]


def test_a_saved_article_that_breaks_the_build_shows_nothing(tmp_path):
    root = copy_project(tmp_path / "project")
    preview = serve.Preview(BuildOptions(root=root, search=False), out=io.StringIO())
    preview.rebuild()
    before = site_files(root / "site")
    calls = []
    break_article(root, random.Random(3))
    assert preview.rebuild(shown=lambda: calls.append(dict(preview.first))) is True
    assert calls == [] and preview.first == {} and preview.failure
    assert site_files(root / "site") == before


def html_of(site: Path) -> dict[str, bytes]:
    """Every HTML page of a built site by output path."""
    return {rel: data for rel, data in site_files(site).items() if rel.endswith(".html")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated dossier large enough that analysis and rendering use the worker processes."""
    root = generate(tmp_path_factory.mktemp("first") / "project", articles=150, seed=11).root
    assert analyses.PARALLEL_MIN <= 150 and PARALLEL_PAGES <= 150
    return root


def test_in_the_preview_every_page_shown_first_is_the_page_site_gets_after_random_edits(corpus, tmp_path):
    """Random edits (bodies, front matter, added and removed articles, aliases, roles, layouts) in one warm
    preview with random pages open: each saved article's and person's page, and each open page reading the saved
    file, is shown from memory before site/ changes, equal to what the build writes, and the site equals a clean
    build."""
    rng = random.Random(11)
    log = io.StringIO()
    preview = serve.Preview(BuildOptions(root=corpus, search=False), out=log)
    preview.rebuild()
    seen = 0
    for step in range(8):
        what = rng.choice([*EDITS, edit_role])(corpus, rng)
        pages = [p.relative_to(corpus / "site").as_posix() for p in (corpus / "site").glob("*/*/index.html")]
        preview.viewed = tuple(rng.sample(sorted(pages), 6))  # pages open in browsers: those reading the file show
        served, html_before = [], html_of(corpus / "site")
        reload_more = preview.rebuild(shown=lambda: served.append(dict(preview.first)))  # noqa: B023
        assert preview.failure is None, (step, what, log.getvalue())
        assert preview.first == {}  # served from site/ again
        for pages in served:
            seen += len(pages)
            for rel, data in pages.items():
                assert (corpus / "site" / rel).read_bytes() == data, (step, what, rel)
        html_after = html_of(corpus / "site")
        changed = {p for p in html_before.keys() | html_after.keys() if html_before.get(p) != html_after.get(p)}
        if not reload_more:  # the browsers were reloaded once, when the only pages that changed were shown
            assert served and changed <= served[0].keys(), (step, what, changed)
    assert seen
    assert site_files(corpus / "site") == clean_build(corpus, tmp_path / "clean", search=False)


def test_the_frame_names_every_comparison_page_the_plan_makes(tmp_path):
    """The frame lists the comparison pages' paths without planning them; they are the plan's, in its order."""
    from dossier.ingest import variant_texts
    from dossier.pipeline import read_dossier
    from dossier.site import compare

    root = copy_project(tmp_path / "project")
    build(BuildOptions(root=root, search=False))  # (the import: the raw exports' articles)
    dossier = read_dossier(root).dossier
    variants = variant_texts(root, dossier.articles)
    planned = [page.path for page in compare.plan(dossier, variants)]
    assert dossier.passages and any(variants.values()) and planned
    assert compare.paths(dossier, variants) == planned


def test_after_a_failed_build_the_fixed_page_reloads_once_when_the_build_is_done(tmp_path):
    """While the last build's error page comes first, a reload when the fixed page is shown would show that error
    page again (and the page it loads could miss the reload that follows): the browsers are reloaded once, when
    the build that follows the failed one is done; the next save shows its page first again."""
    root = copy_project(tmp_path / "project")
    preview = serve.Preview(BuildOptions(root=root, search=False), out=io.StringIO())
    preview.rebuild()
    article = root / "content" / "articles" / f"{PAGE.split('/')[1]}.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original.replace("---\n", "", 1), encoding="utf-8")  # no front matter: the build fails
    assert preview.rebuild(shown=lambda: pytest.fail("shown although the build failed")) is True
    assert preview.failure
    reloads: list[dict] = []
    article.write_text(original + "\nEin berichtigter Satz.\n", encoding="utf-8")
    assert preview.rebuild(shown=lambda: reloads.append(dict(preview.first))) is True
    assert reloads == [] and preview.failure is None
    assert "Ein berichtigter Satz." in (root / "site" / PAGE).read_text(encoding="utf-8")
    article.write_text(original + "\nEin zweiter Satz.\n", encoding="utf-8")
    preview.rebuild(shown=lambda: reloads.append(dict(preview.first)))
    assert [list(pages) for pages in reloads] == [[PAGE]]
