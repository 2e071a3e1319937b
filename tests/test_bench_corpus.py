"""The benchmark's synthetic dossiers: deterministic, valid, and shaped like the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench.corpus import generate
from bench.run import Row, Run, table
from dossier.pipeline import BuildOptions, build


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    """Two corpora from one seed are byte-identical; another seed gives other articles."""
    one = generate(tmp_path / "one", articles=25, seed=5)
    two = generate(tmp_path / "two", articles=25, seed=5)
    other = generate(tmp_path / "other", articles=25, seed=6)
    assert tree(one.root) == tree(two.root)
    assert tree(one.root / "content") != tree(other.root / "content")
    assert len(one.articles) == 25 and len(one.entities) >= 12


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated dossier of 40 articles, built."""
    root = generate(tmp_path_factory.mktemp("bench") / "project", articles=40, seed=1).root
    build(BuildOptions(root=root))
    return root


def test_corpus_builds_with_every_feature(generated):
    """The generated dossier builds, and its pages carry mentions, quotations, shared passages and notes."""
    site = generated / "site"
    pages = [BeautifulSoup(p.read_bytes(), "lxml") for p in (site / "artikel").glob("*/index.html")]
    assert len(pages) == 40
    assert sum(len(p.select("a.mention")) for p in pages) > 100
    assert sum(len(p.select("a.quote-ref")) for p in pages) > 20
    assert any(p.select(".shared") for p in pages)
    assert any(p.select(".annotation-note, .annotation") for p in pages)
    assert (site / "personen" / "index.html").is_file()


def test_corpus_articles_look_like_news(generated):
    """About 800 words, subheadings, front matter with title, date, author, tags and summary."""
    texts = [p.read_text(encoding="utf-8") for p in (generated / "content" / "articles").glob("*.md")]
    words = sum(len(t.split("\n---\n", 1)[1].split()) for t in texts) / len(texts)
    assert 650 < words < 1000
    for text in texts:
        head = text.split("\n---\n", 1)[0]
        for key in ("title:", "date:", "author:", "tags:", "summary:"):
            assert f"\n{key}" in head
        assert "\n## " in text and "„" in text


def test_table_prints_medians_and_hugo_ratio():
    """The report is a plain table with one row per scenario and the cold-build ratio to Hugo."""
    rows = [
        Row(100, "cold", [Run(2.0, 50, 110, 110), Run(4.0, 60, 110, 110), Run(3.0, 55, 110, 110)]),
        Row(100, "hugo cold (minimal site)", [Run(1.0, 80, 105, 105), Run(2.0, 80, 105, 105)]),
    ]
    text = table(rows)
    assert "3.000" in text  # median of the three cold runs
    assert "cold build dossier / hugo = 2.00x" in text
