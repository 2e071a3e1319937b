"""Article pages record the link targets their bodies looked up, and are rendered again only when one of
those answers changes (`LinkTargets.holds`), not whenever a page of the site comes or goes.

The corpus is large enough for the worker processes (rendering forks from `pipeline.PARALLEL_PAGES`
pages), and after every build the incremental site must equal a clean one byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_incremental import clean_build, counting_renders, site_files

from bench.corpus import added_article, generate
from dossier import pipeline
from dossier.pipeline import BuildOptions, build
from dossier.site import urls

ARTICLES = 160
ORIGINAL = "https://www.example.org/politik/neuer-bericht-123"  # the address an added article was published at


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A generated dossier, built once with two processes."""
    root = generate(tmp_path / "project", articles=ARTICLES, seed=11).root
    first = build(BuildOptions(root=root, jobs=2, search=False))
    assert first.pages >= pipeline.PARALLEL_PAGES, "the first build renders on the workers"
    return root


def options(root: Path) -> BuildOptions:
    """Two processes, no search index."""
    return BuildOptions(root=root, jobs=2, search=False)


ARTICLE_FOLDER = urls.entry("article", "x").partition("/")[0] + "/"  # artikel/


def article_pages(paths) -> set[str]:
    """The article pages among these output paths."""
    return {p for p in paths if p.startswith(ARTICLE_FOLDER) and p.count("/") == 2}


def assert_equals_clean(root: Path, scratch: Path, what: str) -> None:
    """The project's site/ is byte for byte what a clean build of its sources makes."""
    incremental, clean = site_files(root / "site"), clean_build(root, scratch, search=False)
    assert sorted(incremental) == sorted(clean), f"different files after {what}"
    differing = [path for path in clean if incremental[path] != clean[path]]
    assert not differing, f"incremental differs from clean after {what}: {differing[:5]}"


def test_an_added_article_renders_no_other_article_page(corpus, tmp_path, monkeypatch):
    """A new article adds a path to the site that every body's links resolve against; yet of the article pages
    only its own is rendered (the old code rendered all of them), and the site equals a clean build."""
    renders = counting_renders(monkeypatch)
    added = added_article(corpus, ARTICLES, 0)
    report = build(options(corpus))
    new_page = urls.entry("article", added.stem)
    assert new_page in report.digests
    assert article_pages(renders) == {new_page}
    assert len(renders) < report.pages // 4, "the lists and the new article's entities only"
    assert_equals_clean(corpus, tmp_path / "clean", "adding an article")


def test_a_link_that_comes_to_name_an_article_of_the_dossier_is_rendered_again(corpus, tmp_path, monkeypatch):
    """A body links to an original address. While no article of the dossier was published there, the link leaves
    the dossier; once one is added, the link points at its page, so the linking page (whose data did not change)
    is rendered again because its recorded answer changed; and when the article goes, again."""
    linking = sorted((corpus / "content" / "articles").glob("*.md"))[7]
    text = linking.read_text(encoding="utf-8").rstrip("\n")
    linking.write_text(text + f"\n\nMehr dazu im [Bericht]({ORIGINAL}).\n", encoding="utf-8")
    build(options(corpus))
    page = corpus / "site" / urls.entry("article", linking.stem)
    assert re.search(r'class="extern"[^>]*>Bericht', page.read_text(encoding="utf-8"))

    renders = counting_renders(monkeypatch)
    added = added_article(corpus, ARTICLES, 1)
    added.write_text(
        added.read_text(encoding="utf-8").replace("---\n", f'---\nsource_url: "{ORIGINAL}"\n', 1), encoding="utf-8"
    )
    build(options(corpus))
    target = urls.relative(urls.entry("article", linking.stem), urls.entry("article", added.stem), portable=True)
    assert f'<a href="{target}" class="intern">Bericht</a>' in page.read_text(encoding="utf-8")
    assert article_pages(renders) == {urls.entry("article", linking.stem), urls.entry("article", added.stem)}
    assert_equals_clean(corpus, tmp_path / "clean", "adding the article the link names")

    renders.clear()
    added.unlink()
    build(options(corpus))
    assert re.search(r'class="extern"[^>]*>Bericht', page.read_text(encoding="utf-8"))
    assert article_pages(renders) == {urls.entry("article", linking.stem)}
    assert_equals_clean(corpus, tmp_path / "clean", "removing it again")
