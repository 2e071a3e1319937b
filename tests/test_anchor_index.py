"""The store of page ids and #fragment links finds exactly the dead links a check of every page finds.

Seeded random builds of a site of 120 pages: each build re-renders some pages (ids and links
changed), adds and removes pages; the store, asked about the rendered pages only, must name
the same dead pages as `site.links.dead_fragments` over every page. A build with a dead link
records nothing, as a failed build does. Then a damaged row and a foreign store, alone and in a build
of the seeds.
"""

from __future__ import annotations

import random
import sqlite3

from seed_site import build_seed

from dossier.incremental import cache
from dossier.incremental.anchor_index import FILE, AnchorIndex
from dossier.incremental.cache import FOLDER
from dossier.pipeline import BuildOptions, build, cache_options
from dossier.site.links import PageLinks, dead_fragments


def rerendered(site: dict[str, PageLinks], path: str, rng: random.Random, paths: list[str]) -> PageLinks:
    """A page rendered again: mostly its old ids and links that hit, sometimes an id dropped (which kills
    the links into it) or a link to an id its target lacks, sometimes a link out of the site (never dead)."""
    ids = set(site[path].ids) if path in site else {"p0"}
    ids.add(f"p{rng.randrange(8)}")
    if rng.random() < 0.15:
        ids.discard(sorted(ids)[0])
    links = set()
    for target in rng.sample(paths, 3):
        if target in site and site[target].ids:
            fragment = sorted(site[target].ids)[-1]
            links.add((f"{target}#{fragment}", target, fragment))
    if rng.random() < 0.1:
        target = rng.choice(paths)
        links.add((f"{target}#missing", target, "missing"))
    if rng.random() < 0.2:
        links.add(("elsewhere.html#p1", "elsewhere.html", "p1"))
    return PageLinks(frozenset(ids), tuple(sorted(links)))


def test_random_builds_find_the_dead_links_a_full_check_finds(tmp_path):
    rng = random.Random(11)
    paths = [f"a/{n}.html" for n in range(120)]
    site: dict[str, PageLinks] = {}
    for path in paths:  # a first build without dead links
        links = {(f"{t}#p0", t, "p0") for t in rng.sample(paths, 3)}
        site[path] = PageLinks(frozenset({"p0", "p1", "p2"}), tuple(sorted(links)))
    store = AnchorIndex(tmp_path, "k")
    assert store.dead(site, set())[0] == dead_fragments(site) == []
    store.record(site, set(site))
    store.commit()
    store.close()
    failed = passed = 0
    for _ in range(60):
        planned = set(site)
        for path in rng.sample(paths, 4):  # pages come and go
            if path in planned and rng.random() < 0.5:
                planned.discard(path)
            else:
                planned.add(path)
        redone = {p for p in rng.sample(sorted(planned), 6)} | (planned - set(site))
        rendered = {p: rerendered(site, p, rng, paths) for p in redone}
        now = {p: site[p] for p in planned - redone} | rendered
        store = AnchorIndex(tmp_path, "k")
        dead, known, unreadable = store.dead(rendered, planned - redone)
        assert not unreadable
        assert dead == dead_fragments(now)
        assert set(known) >= set(dead) | {t for p in dead for _, t, _ in now[p].fragments if t in now}
        if dead:
            failed += 1  # a failed build: nothing recorded
        else:
            passed += 1
            store.record(rendered, planned)
            store.commit()
            site = now
        store.close()
    assert failed >= 5 and passed >= 5
    store = AnchorIndex(tmp_path, "k")
    assert store.recorded == set(site)
    assert store.stored(site) == site


def test_a_damaged_row_is_rendered_again_and_a_foreign_store_starts_empty(tmp_path):
    site = {"a.html": PageLinks(frozenset({"x"}), ()), "b.html": PageLinks(frozenset(), (("a.html#x", "a.html", "x"),))}
    store = AnchorIndex(tmp_path, "k")
    store.record(site, set(site))
    store.commit()
    store.close()
    db = sqlite3.connect(tmp_path / FOLDER / FILE)
    db.execute("UPDATE pages SET links = X'00ff' WHERE path = 'b.html'")
    db.commit()
    db.close()
    store = AnchorIndex(tmp_path, "k")
    rendered = {"a.html": PageLinks(frozenset({"y"}), ())}
    assert store.dead(rendered, {"b.html"})[2] == {"b.html"}  # the caller renders b.html too
    assert store.dead(rendered | {"b.html": site["b.html"]}, set())[0] == ["b.html"]
    store.close()
    assert AnchorIndex(tmp_path, "other code").recorded == set()
    (tmp_path / FOLDER / FILE).write_bytes(b"not a database at all" * 100)
    for name in (FILE + "-wal", FILE + "-shm"):
        (tmp_path / FOLDER / name).unlink(missing_ok=True)
    assert AnchorIndex(tmp_path, "k").recorded == set()


def test_a_build_renders_a_page_whose_stored_links_are_damaged_and_records_it_again(tmp_path):
    """The seeds built, the stored row of a page linking into an article damaged, that article edited: the
    build must read the row (the links may have died), so it renders that page too and stores it again."""
    site = build_seed(tmp_path)
    root = site.parent
    db = sqlite3.connect(root / FOLDER / FILE)
    into = sorted(
        (target, page)
        for target, page in db.execute("SELECT target, page FROM links")
        if target.startswith("artikel/") and target != page
    )
    target, damaged = into[0]
    db.execute("UPDATE pages SET links = X'00ff' WHERE path = ?", (damaged,))
    db.commit()
    db.close()
    article = root / "content" / "articles" / f"{target.split('/')[1]}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    options = BuildOptions(root=root, search=False, jobs=1)
    report = build(options)
    store = AnchorIndex(root, cache.global_key(cache_options(options)))
    assert store.stored([damaged])[damaged] is not None
    assert store.recorded == {p for p in report.digests if p.endswith(".html")}
