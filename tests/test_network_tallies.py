"""The network is the sum of each article's tally (`joins.network.Tally`), and a build keeps the tallies of the
articles it did not change (`incremental.joins.tallied`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.corpus import generate
from dossier.incremental import cache
from dossier.incremental.joins import BY_ARTICLE, FILE
from dossier.joins import network
from dossier.pipeline import BuildOptions, build, cache_options, plan_site
from dossier.text.mentions import entity_key


def sentence_pairs(mentions) -> tuple[dict, Counter]:
    """The network counted the plain way: every sentence's set of entities, every ordered pair in it."""
    sentences: dict[tuple, set[str]] = {}
    for m in mentions:
        sentences.setdefault((m.article.slug, m.block, m.sentence_index), set()).add(entity_key(m.entity))
    graph: dict[str, Counter] = {}
    for members in sentences.values():
        for a in members:
            for b in members - {a}:
                graph.setdefault(a, Counter())[b] += 1
    return {a: dict(row) for a, row in graph.items()}, Counter(entity_key(m.entity) for m in mentions)


def test_the_tallies_add_up_to_the_network_of_the_seeds(built_project):
    dossier = plan_site(BuildOptions(root=built_project)).dossier
    graph, counts = network.combined(dossier.tallies)
    expected_graph, expected_counts = sentence_pairs(dossier.mentions)
    assert graph == expected_graph and graph  # the seeds name people together
    assert counts == dict(expected_counts)
    first = list(dict.fromkeys(entity_key(m.entity) for m in dossier.mentions))
    assert list(counts) == first  # in the order first mentioned
    assert len(dossier.tallies) == len(dossier.articles)


def remembered_tallies(root: Path) -> dict:
    options = BuildOptions(root=root, search=False, quiet=True)
    key = cache.global_key(cache_options(options))
    found = cache.load_memo(root, FILE, key)["tallies"]
    assert found[0] == BY_ARTICLE
    return found[1]


def test_an_edit_counts_again_the_edited_article_only(tmp_path):
    root = tmp_path / "corpus"
    generate(root, 80)  # enough articles for the worker processes
    options = BuildOptions(root=root, search=False, quiet=True)
    build(options)
    before = remembered_tallies(root)
    assert len(before) == 80
    edited = sorted((root / "content" / "articles").glob("*.md"))[7]
    person = sorted((root / "content" / "people").glob("*.md"))[0]
    name = next(line for line in person.read_text(encoding="utf-8").splitlines() if line.startswith("name:"))
    name = name.split(":", 1)[1].strip().strip('"')
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n{name} und {name} sprachen.\n", encoding="utf-8")
    build(options)
    after = remembered_tallies(root)
    rel = edited.relative_to(root).as_posix()
    assert after[rel][0] != before[rel][0]  # its file's digest
    assert after[rel][2].counts[f"person:{person.stem}"] == before[rel][2].counts.get(f"person:{person.stem}", 0) + 2
    assert {p: v for p, v in after.items() if p != rel} == {p: v for p, v in before.items() if p != rel}
    dossier = plan_site(options).dossier  # (no cache: every tally counted afresh)
    fresh = {a.source.path: network.tally([m for m in dossier.mentions if m.article is a]) for a in dossier.articles}
    assert {p: v[2] for p, v in after.items()} == fresh  # what was kept is what counting gives
