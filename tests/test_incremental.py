"""Incremental builds: the cache never changes what a build writes.

A generated dossier goes through a seeded, random sequence of editor's edits; after each
one the project is rebuilt in place (with its cache and old site/) and, in another folder,
from scratch. The two site/ folders must be byte for byte the same. Further tests break
the cache on purpose and check it is ignored.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from bench.corpus import added_article, generate
from dossier import pipeline, reading
from dossier.incremental import analyses, cache, snapshots
from dossier.pipeline import BuildOptions, build
from dossier.site import render, urls
from dossier.text import analysis

SEARCH_INDEX = "pagefind/"  # written by Pagefind, compared through its digest stamp only


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path (the search index by its stamp)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and (not p.relative_to(site).as_posix().startswith(SEARCH_INDEX) or p.name.endswith(".txt"))
    }


def clean_build(project: Path, scratch: Path, *, search: bool = True) -> dict[str, bytes]:
    """The site a build from nothing makes of the project's current sources."""
    shutil.rmtree(scratch, ignore_errors=True)
    for part in ("content", "layouts", "sources"):
        shutil.copytree(project / part, scratch / part)
    build(BuildOptions(root=scratch, jobs=1, search=search))  # one process, from nothing
    return site_files(scratch / "site")


def annotated(project: Path) -> set[str]:
    """Slugs of articles that an annotation points to (they must not be deleted)."""
    folder = project / "content" / "annotations"
    return {m.group(1) for p in folder.glob("*.md") for m in [re.search(r"^article: (\S+)$", p.read_text(), re.M)] if m}


def edit_body(project: Path, rng: random.Random) -> str:
    """Append a sentence to one article's body."""
    path = rng.choice(sorted((project / "content" / "articles").glob("*.md")))
    path.write_text(path.read_text(encoding="utf-8") + f"\nNachtrag der Redaktion Nummer {rng.randint(1, 999)}.\n")
    return f"body of {path.name}"


def edit_front_matter(project: Path, rng: random.Random) -> str:
    """Change one article's title and tags."""
    path = rng.choice(sorted((project / "content" / "articles").glob("*.md")))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^title: "(.*)"$', rf'title: "\1 (aktualisiert {rng.randint(1, 99)})"', text, count=1, flags=re.M)
    text = text.replace("tags:\n", 'tags:\n- "Neues Thema"\n', 1)
    path.write_text(text, encoding="utf-8")
    return f"front matter of {path.name}"


def add_article(project: Path, rng: random.Random) -> str:
    """A new article, written like an existing one."""
    source = rng.choice(sorted((project / "content" / "articles").glob("*.md")))
    text = re.sub(r'^title: "(.*)"$', r'title: "Neu: \1"', source.read_text(encoding="utf-8"), count=1, flags=re.M)
    target = source.with_name(f"neu-{rng.randint(1000, 9999)}.md")
    target.write_text(text, encoding="utf-8")
    return f"added {target.name}"


def remove_article(project: Path, rng: random.Random) -> str:
    """Delete an article no annotation points to."""
    keep = annotated(project)
    paths = [p for p in sorted((project / "content" / "articles").glob("*.md")) if p.stem not in keep]
    path = rng.choice(paths)
    path.unlink()
    return f"removed {path.name}"


def edit_alias(project: Path, rng: random.Random) -> str:
    """Give one person another alias (changes mention links across articles)."""
    path = rng.choice(sorted((project / "content" / "people").glob("*.md")))
    text = path.read_text(encoding="utf-8")
    surname = re.search(r'^name: ".* (\S+)"$', text, re.M).group(1)
    if "aliases:\n" in text:
        text = text.replace("aliases:\n", f'aliases:\n- "{surname.upper()}"\n', 1)
    path.write_text(text, encoding="utf-8")
    return f"alias of {path.name}"


def edit_layout(project: Path, rng: random.Random) -> str:
    """Change the text of the page-not-found layout and the footer of every page."""
    path = project / "layouts" / "base.html"
    path.write_text(
        path.read_text(encoding="utf-8").replace("</footer>", f"<!-- v{rng.randint(1, 99)} --></footer>", 1)
    )
    return "layout base.html"


EDITS = (edit_body, edit_front_matter, add_article, remove_article, edit_alias, edit_layout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated dossier large enough for the worker processes (analysis forks from
    `analyses.PARALLEL_MIN` articles, rendering from `pipeline.PARALLEL_PAGES` pages)."""
    root = generate(tmp_path_factory.mktemp("incremental") / "project", articles=90, seed=7).root
    assert analyses.PARALLEL_MIN <= 90
    return root


def test_incremental_equals_clean_after_random_edits(corpus, tmp_path):
    """After every edit of a seeded random sequence, the incremental site equals a clean build."""
    rng = random.Random(2024)
    first = build(BuildOptions(root=corpus, jobs=2, search=False))
    assert first.pages >= pipeline.PARALLEL_PAGES, "the first build renders on the workers"
    sequence = list(EDITS) + [rng.choice(EDITS) for _ in range(4)]
    rng.shuffle(sequence)
    for edit in sequence:
        what = edit(corpus, rng)
        report = build(BuildOptions(root=corpus, jobs=2, search=False))
        # a new alias that no article uses changes nothing: nothing to write is then the right answer
        assert report.written > 0 or edit is edit_alias, f"nothing rewritten after editing {what}"
        incremental = site_files(corpus / "site")
        clean = clean_build(corpus, tmp_path / "clean", search=False)
        assert sorted(incremental) == sorted(clean), f"different files after editing {what}"
        differing = [path for path in clean if incremental[path] != clean[path]]
        assert not differing, f"incremental differs from clean after editing {what}: {differing[:5]}"


@pytest.fixture
def built(tmp_path) -> Path:
    """A generated dossier built once, with its cache."""
    root = generate(tmp_path / "project", articles=8, seed=3).root
    build(BuildOptions(root=root))
    return root


class Calls:
    """What a counted function was called with, in this process and in forked workers alike (one line
    per call, appended to a file: a worker's memory is its own, its file writes are not)."""

    def __init__(self, file: Path):
        self.file = file
        file.write_text("")

    def record(self, name: str) -> None:
        with self.file.open("a") as out:
            out.write(name + "\n")

    def clear(self) -> None:
        self.file.write_text("")

    def _names(self) -> list[str]:
        return self.file.read_text().splitlines()

    def __iter__(self):
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, name) -> bool:
        return name in self._names()

    def __eq__(self, other) -> bool:
        return self._names() == list(other)

    def __repr__(self) -> str:
        return repr(self._names())


def counting_renders(monkeypatch, tmp_path_factory=None) -> Calls:
    """The output paths of the pages rendered during a test, in this process or a worker."""
    calls = Calls(Path(tempfile.mkstemp(prefix="renders-")[1]))
    real = render.render_page

    def counted(env, page, site):
        calls.record(page.path)
        return real(env, page, site)

    monkeypatch.setattr(render, "render_page", counted)
    return calls


def counting_analyses(monkeypatch) -> Calls:
    """The articles whose text is analysed (not taken from the article store) during a test, anywhere."""
    calls = Calls(Path(tempfile.mkstemp(prefix="analyses-")[1]))
    real = analysis.Analyser.analyse

    def counted(self, article):
        calls.record(article.slug)
        return real(self, article)

    monkeypatch.setattr(analysis.Analyser, "analyse", counted)
    return calls


def page_count(root: Path) -> int:
    """Pages of the last build, from its cache."""
    return cache.load(root, cache.global_key(pipeline.cache_options(BuildOptions(root=root)))).pages


def test_no_change_rebuild_renders_nothing_and_writes_nothing(built, monkeypatch):
    """An unchanged project is recognised from the cache: no render, nothing written, same page count."""
    renders = counting_renders(monkeypatch)
    before = site_files(built / "site")
    report = build(BuildOptions(root=built))
    assert renders == []
    assert report.written == 0 and report.removed == 0
    assert report.pages > 8 and report.unchanged >= report.pages
    assert site_files(built / "site") == before


def test_the_site_as_a_build_leaves_it_is_remembered_without_walking_it_again(built, monkeypatch):
    """After a build that writes, removes and adds pages, the site/ it remembers (from its look at site/ before
    rendering, and the files it moved and removed) is site/ as a fresh walk sees it; that look lists no folder
    none of whose entries changed; the next build has nothing to do, and a page changed behind its back is
    noticed and made again."""
    key = cache.global_key(pipeline.cache_options(BuildOptions(root=built)))
    state_file, state = saved_state(built)
    later = max(state.folders.values()) + 10**9  # no folder as new as the state (see the same-tick test)
    os.utime(state_file, ns=(later, later))
    articles = sorted((built / "content" / "articles").glob("*.md"))
    gone = next(p for p in articles if p.stem not in annotated(built))
    edited = next(p for p in articles if p != gone)
    gone.unlink()
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Nachtrag.\n", encoding="utf-8")
    added_article(built, 8, 1, seed=3)
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    report = build(BuildOptions(root=built))
    monkeypatch.setattr(os, "scandir", real)
    assert report.written and report.removed
    site = str(built / "site")
    assert [p for p in listed if p.startswith(site)] == [], "no folder of site/ moved since the last build"
    assert cache.load(built, key).outputs == snapshots.output_snapshot(built / "site")
    renders = counting_renders(monkeypatch)
    assert build(BuildOptions(root=built)).written == 0 and renders == []
    page = built / "site" / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- von Hand -->")
    assert build(BuildOptions(root=built)).written == 1
    assert site_files(built / "site") == clean_build(built, built.parent / "clean")


def saved_state(root: Path) -> tuple[Path, cache.BuildState]:
    """The state file of the last build and what it holds."""
    return root / cache.FOLDER / cache.STATE_FILE, cache.load(
        root, cache.global_key(pipeline.cache_options(BuildOptions(root=root)))
    )


def nothing_to_build(root: Path) -> bool:
    """Whether the no-change check (as `python build.py` runs it first) finds the project as its last build left it."""
    return snapshots.up_to_date(root, pipeline.cache_options(BuildOptions(root=root))) is not None


def test_no_change_check_stats_the_site_without_listing_its_folders(built, monkeypatch):
    """Once the saved state is older than every folder's last change, the no-change check lists no folder
    of site/: each file and folder the build left is looked at by one stat."""
    state_file, state = saved_state(built)
    assert state.folders and "" in state.folders and len(state.folders) > 8
    later = max(state.folders.values()) + 10**9
    os.utime(state_file, ns=(later, later))
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    assert nothing_to_build(built)
    site = str(built / "site")
    assert [p for p in listed if p.startswith(site)] == []


def test_a_file_added_to_a_page_folder_is_noticed_and_removed(built):
    """A stray file in a folder of site/ (or in an empty one the build found there) makes the next
    build run, and that build takes it away; then there is nothing to do again."""
    folder = next(p for p in sorted((built / "site").rglob("*")) if p.is_dir() and not p.name.startswith("pagefind"))
    (folder / "fremd.html").write_text("von Hand")
    assert not nothing_to_build(built)
    build(BuildOptions(root=built))
    assert not (folder / "fremd.html").exists() and nothing_to_build(built)
    empty = built / "site" / "leer"
    empty.mkdir()
    article = sorted((built / "content" / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Nachtrag.\n", encoding="utf-8")
    build(BuildOptions(root=built))
    assert empty.is_dir() and nothing_to_build(built)
    (empty / "fremd.html").write_text("von Hand")
    assert not nothing_to_build(built)
    build(BuildOptions(root=built))
    assert not (empty / "fremd.html").exists()
    assert site_files(built / "site") == clean_build(built, built.parent / "clean")


def test_a_snapshot_lists_the_folders_that_moved_and_equals_a_walk(built, monkeypatch):
    """With the folders' mtimes of the last build, a look at site/ lists only the folders that gained, lost
    or renamed an entry since (a file written over in place moves no folder), and finds what a walk finds."""
    state_file, state = saved_state(built)
    later = max(state.folders.values()) + 10**9
    os.utime(state_file, ns=(later, later))
    site = built / "site"
    page_folders = sorted({(site / rel).parent for rel in state.outputs if rel.count("/") >= 2})
    stray, thinned = page_folders[0], page_folders[1]
    (stray / "fremd.html").write_text("von Hand")
    next(p for p in sorted(thinned.iterdir()) if p.is_file()).unlink()
    (site / "neu" / "tief").mkdir(parents=True)
    (site / "neu" / "tief" / "seite.html").write_text("von Hand")
    (site / "leer").mkdir()
    (site / "index.html").write_bytes((site / "index.html").read_bytes() + b"<!-- von Hand -->")
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    found = snapshots.output_snapshot(site, state, built)
    monkeypatch.setattr(os, "scandir", real)
    assert found == snapshots.output_snapshot(site)
    assert found["leer"] == (cache.OTHER, 0) and "neu/tief/seite.html" in found
    expected = {site, stray, thinned, site / "neu", site / "neu" / "tief", site / "leer"}
    assert sorted(listed) == sorted(str(p) for p in expected)


def test_a_change_in_the_same_clock_tick_as_the_saved_state_is_noticed(built):
    """A folder whose mtime is not older than the saved state may have changed within one tick of the
    clock without its mtime moving: such folders are listed. With none, there is nothing to do; a stray
    file whose folder's mtime was set back is noticed."""
    state_file, state = saved_state(built)
    rel, recorded = next((rel, t) for rel, t in state.folders.items() if rel.count("/") >= 1)
    os.utime(state_file, ns=(0, min(state.folders.values())))  # every folder racy
    assert nothing_to_build(built)
    folder = built / "site" / rel
    (folder / "fremd.html").write_text("von Hand")
    os.utime(folder, ns=(recorded, recorded))  # the mtime the state knows: only a listing can tell
    assert not nothing_to_build(built)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # half-written
        lambda data: b"",  # empty
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),  # one flipped byte
        lambda data: b"not a cache at all",
    ],
    ids=["truncated", "empty", "flipped-byte", "garbage"],
)
def test_corrupt_cache_is_ignored_and_rebuilt(built, monkeypatch, damage):
    """A damaged cache file makes a full build with the same output, and is replaced by a valid one."""
    state_file = built / cache.FOLDER / cache.STATE_FILE
    before = site_files(built / "site")
    state_file.write_bytes(damage(state_file.read_bytes()))
    renders = counting_renders(monkeypatch)
    build(BuildOptions(root=built))
    assert len(renders) == page_count(built), "a damaged cache must not spare any page"
    assert site_files(built / "site") == before
    renders.clear()
    build(BuildOptions(root=built))
    assert renders == [], "the rebuilt cache was not trusted the next time"


def test_layout_change_invalidates(built, monkeypatch):
    """Editing a layout rebuilds and shows the change on every page."""
    renders = counting_renders(monkeypatch)
    layout = built / "layouts" / "base.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("</footer>", "<!-- neu --></footer>", 1))
    report = build(BuildOptions(root=built))
    assert len(renders) == report.pages
    assert report.written >= report.pages
    assert b"<!-- neu -->" in (built / "site" / "index.html").read_bytes()


def test_option_change_invalidates(built, monkeypatch):
    """Another base URL is another build, even with unchanged files."""
    renders = counting_renders(monkeypatch)
    report = build(BuildOptions(root=built, base_url="https://example.org/dossier/"))
    assert len(renders) == report.pages
    assert b"https://example.org/dossier/" in (built / "site" / "index.html").read_bytes()


def test_code_or_format_change_invalidates(built, monkeypatch):
    """A cache written under another global key (code, libraries, format) is not used."""
    state = cache.load(built, cache.global_key(pipeline.cache_options(BuildOptions(root=built))))
    assert state is not None
    state.key = "another version of the code"
    cache.save(built, state)
    renders = counting_renders(monkeypatch)
    build(BuildOptions(root=built))
    assert len(renders) == page_count(built)


def test_touched_site_is_repaired(built, monkeypatch):
    """A page deleted or changed in site/ by hand is written again on the next build."""
    renders = counting_renders(monkeypatch)
    page = built / "site" / "index.html"
    original = page.read_bytes()
    page.unlink()
    report = build(BuildOptions(root=built))
    assert renders == ["index.html"] and report.written == 1
    assert page.read_bytes() == original


def test_same_size_edit_within_a_second_is_seen(built):
    """An edit that keeps the file's size right after a build (racy stat) is still noticed."""
    path = sorted((built / "content" / "articles").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    changed = text.replace("Die", "DIE", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    stat = path.stat()
    path.write_text(changed, encoding="utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime: only the bytes differ
    report = build(BuildOptions(root=built))
    assert report.written > 0


def test_command_line_no_change_build_reports_without_rendering(built, monkeypatch, capsys):
    """`python build.py` on an unchanged project prints the one summary line and renders nothing."""
    from dossier.cli import main

    renders = counting_renders(monkeypatch)
    assert main(["--root", str(built)]) == 0
    line = capsys.readouterr().out.strip()
    assert renders == []
    assert " pages: 0 written, " in line and " unchanged, 0 removed in " in line
    (built / "content" / "articles" / "neu.md").write_text('---\ntitle: "Neu"\ndate: 2024-12-04\n---\n\nText.\n')
    assert main(["--root", str(built), "-q"]) == 0
    assert "artikel/neu/index.html" in renders and capsys.readouterr().out == ""


def test_edited_body_rerenders_only_pages_that_show_it(built, monkeypatch):
    """A sentence added to one body re-renders that article's page, not the lists or other articles."""
    renders = counting_renders(monkeypatch)
    analysed = counting_analyses(monkeypatch)
    path = sorted((built / "content" / "articles").glob("*.md"))[2]
    path.write_text(path.read_text(encoding="utf-8") + "\nEin Satz ohne Namen, angehängt von der Redaktion.\n")
    report = build(BuildOptions(root=built))
    slug = path.stem
    assert analysed == [slug], "only the edited article is analysed again; the others come from the memo"
    assert renders == [f"artikel/{slug}/index.html"]
    assert report.written == 1


def test_entity_role_change_rerenders_its_page_and_the_articles_linking_it(built, monkeypatch):
    """A person's role shows on their page and in the title of every mention link: exactly those pages change."""
    renders = counting_renders(monkeypatch)
    analysed = counting_analyses(monkeypatch)
    person = sorted((built / "content" / "people").glob("*.md"))[0]
    text = person.read_text(encoding="utf-8")
    person.write_text(re.sub(r'^role: "(.*)"$', r'role: "\1 a. D."', text, count=1, flags=re.M), encoding="utf-8")
    build(BuildOptions(root=built))
    assert analysed == [], "a role is not a name: no article needs analysing again"
    assert f"personen/{person.stem}/index.html" in renders
    linking = {
        p.relative_to(built / "site").as_posix()
        for p in (built / "site" / "artikel").glob("*/index.html")
        if f"personen/{person.stem}/index.html".encode() in p.read_bytes()
    }
    rendered_articles = {r for r in renders if r.startswith("artikel/") and r != "artikel/index.html"}
    assert linking and rendered_articles == linking, "exactly the articles that link the person"


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 2], lambda data: b"garbage" * 100, lambda data: b""],
    ids=["truncated", "garbage", "empty"],
)
def test_damaged_article_memo_is_ignored(built, monkeypatch, damage):
    """A damaged articles.sqlite is thrown away: every article is analysed again, the site is the same."""
    memo_file = built / cache.FOLDER / "articles.sqlite"
    before = site_files(built / "site")
    memo_file.write_bytes(damage(memo_file.read_bytes()))
    (built / cache.FOLDER / cache.STATE_FILE).unlink()  # force a build
    analysed = counting_analyses(monkeypatch)
    build(BuildOptions(root=built))
    assert len(analysed) == len(list((built / "content" / "articles").glob("*.md")))
    assert site_files(built / "site") == before


def test_flipped_byte_in_a_stored_analysis_is_a_miss(built, monkeypatch):
    """A stored row whose checksum no longer fits is worked out again, not trusted."""
    import sqlite3

    memo_file = built / cache.FOLDER / "articles.sqlite"
    before = site_files(built / "site")
    with sqlite3.connect(memo_file) as db:
        path, data = db.execute("SELECT path, data FROM analysis ORDER BY path LIMIT 1").fetchone()
        data = data[:-1] + bytes([data[-1] ^ 0xFF])
        db.execute("UPDATE analysis SET data = ? WHERE path = ?", (data, path))
    (built / cache.FOLDER / cache.STATE_FILE).unlink()
    analysed = counting_analyses(monkeypatch)
    build(BuildOptions(root=built))
    assert analysed == [Path(path).stem]
    assert site_files(built / "site") == before


def test_failed_build_leaves_site_and_memo_as_they_were(built, monkeypatch):
    """A broken article fails the build; site/ is untouched and nothing is staged or remembered."""
    before = site_files(built / "site")
    path = sorted((built / "content" / "articles").glob("*.md"))[1]
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\nSiehe [hier](artikel/gibt-es-nicht/).\n")
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(BuildOptions(root=built))
    assert any(e.path.endswith(path.name) and e.line > 1 for e in failed.value.errors)
    assert site_files(built / "site") == before
    assert not (built / cache.FOLDER / "staging").exists()
    path.write_text(original, encoding="utf-8")
    analysed = counting_analyses(monkeypatch)
    build(BuildOptions(root=built))
    assert analysed == [], "the failed build's analysis of the broken text was rolled back, the old one kept"
    assert site_files(built / "site") == before


def test_parallel_and_single_process_builds_are_identical(tmp_path):
    """Two worker processes (analysis and rendering forked) write the same bytes as one process."""
    one = generate(tmp_path / "one", articles=160, seed=11).root
    two = generate(tmp_path / "two", articles=160, seed=11).root
    build(BuildOptions(root=one, jobs=1, search=False))
    build(BuildOptions(root=two, jobs=2, search=False))
    assert site_files(one / "site") == site_files(two / "site")


def test_render_workers_renewed_after_every_task_write_what_one_process_writes(tmp_path, monkeypatch):
    """A render worker replaced by a fresh fork after each task (`pipeline.RENEW`) changes no byte of the site."""
    from dossier import pipeline
    from dossier.incremental import workers
    from dossier.site import render

    one = generate(tmp_path / "one", articles=160, seed=11).root
    two = generate(tmp_path / "two", articles=160, seed=11).root
    build(BuildOptions(root=one, jobs=1, search=False))
    forked, fork = [], workers._fork
    monkeypatch.setattr(
        workers, "_fork", lambda function, data, count: forked.extend([function] * count) or fork(function, data, count)
    )
    monkeypatch.setattr(pipeline, "RENEW", 1)
    report = build(BuildOptions(root=two, jobs=2, search=False))
    tasks = -(-report.pages // pipeline.CHUNK)
    assert forked.count(render.render_span) == tasks, "one fresh render worker per task"
    assert site_files(one / "site") == site_files(two / "site")


def test_fresh_analyses_are_stored_as_the_workers_send_them_and_rolled_back_when_the_build_fails(tmp_path, monkeypatch):
    """A cold build on worker processes writes each analysis into the store's open transaction as it arrives
    (before the passages are joined, not all at the end, so their bytes are not held in the build); a build
    that fails later rolls every one of them back."""
    import sqlite3

    from dossier.incremental.memo import FILE

    corpus = generate(tmp_path / "corpus", articles=80, seed=5)
    texts, rows = analyses.Analyses.texts, []

    def counting(self):
        rows.append(self.memo.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        return texts(self)

    monkeypatch.setattr(analyses.Analyses, "texts", counting)
    note = corpus.root / "content" / "annotations" / "kaputt.md"
    note.write_text("---\narticle: gibt-es-nicht\nquote: Kein Satz\n---\nNotiz.\n", encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed):
        build(BuildOptions(root=corpus.root, jobs=2, search=False))
    assert rows == [80], "every analysis is in the store's transaction before the rest of the build"
    store = sqlite3.connect(corpus.root / cache.FOLDER / FILE)
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == 0, "the failed build stored nothing"
    store.close()
    note.unlink()
    build(BuildOptions(root=corpus.root, jobs=2, search=False))
    store = sqlite3.connect(corpus.root / cache.FOLDER / FILE)
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == 80
    store.close()


def test_library_versions_read_from_dist_info_match_importlib_metadata():
    """The cache key's library versions, read from dist-info folder names, are importlib.metadata's."""
    from importlib import metadata

    expected = ",".join(f"{name}={metadata.version(name)}" for name in cache.LIBRARIES)
    assert cache._library_versions() == expected


def test_changed_sentence_around_a_mention_reaches_the_person_page(built, monkeypatch, tmp_path):
    """Words added next to a person's name (same mentions, same counts) re-render that person's page,
    whose backlink shows the sentence; nothing else about the page changed, so only the mention digest tells."""
    renders = counting_renders(monkeypatch)
    for person in sorted((built / "content" / "people").glob("*.md")):
        name = re.search(r'^name: "(.*)"$', person.read_text(encoding="utf-8"), re.M).group(1)
        named = [p for p in sorted((built / "content" / "articles").glob("*.md")) if name in p.read_text("utf-8")]
        if named:
            break
    path = named[0]
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    path.write_text(head + "\n---\n" + body.replace(name, f"{name} (wie berichtet)", 1), encoding="utf-8")
    build(BuildOptions(root=built))
    page = f"personen/{person.stem}/index.html"
    assert page in renders
    assert "(wie berichtet)" in (built / "site" / page).read_text(encoding="utf-8")
    assert site_files(built / "site") == clean_build(built, tmp_path / "clean")


def test_forked_passage_join_hands_back_its_similarity_answers(tmp_path):
    """The answers a join found in a worker process come back and are kept, as many as with one process
    (they were lost: 893 kept with -j 2 against 3,021 with -j 1 on this corpus)."""
    kept = []
    for jobs in (1, 2):
        root = generate(tmp_path / f"j{jobs}", articles=160, seed=11).root
        build(BuildOptions(root=root, jobs=jobs, search=False))
        key = cache.global_key(pipeline.cache_options(BuildOptions(root=root)))
        kept.append(cache.load_memo(root, pipeline.ANSWERS_FILE, key))
    assert kept[0] and kept[0] == kept[1]


def test_forked_analyses_are_counted_and_reused(tmp_path, monkeypatch):
    """Articles analysed on the workers are seen by the counter; a rebuild after one edit analyses one."""
    root = generate(tmp_path / "project", articles=90, seed=5).root
    analysed = counting_analyses(monkeypatch)
    build(BuildOptions(root=root, jobs=2, search=False))
    assert len(analysed) == 90
    analysed.clear()
    path = sorted((root / "content" / "articles").glob("*.md"))[3]
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Satz am Ende des Textes.\n", encoding="utf-8")
    renders = counting_renders(monkeypatch)
    build(BuildOptions(root=root, jobs=2, search=False))
    assert list(analysed) == [path.stem]
    assert f"artikel/{path.stem}/index.html" in renders


def test_joins_are_taken_as_they_were_when_what_they_read_is_unchanged(tmp_path, monkeypatch):
    """A role edit re-joins nothing: neither the shared passages nor the quotation groups are worked out
    again (early cut-off), and the site still equals a clean build; a body edit updates the passage store
    with that article (no one-pass join) and leaves the quotation groups alone."""
    from dossier.incremental import passage_index
    from dossier.incremental.passage_index import PassageIndex
    from dossier.joins import passages, quote_groups

    root = generate(tmp_path / "project", articles=40, seed=9).root
    build(BuildOptions(root=root, jobs=1, search=False))
    joins = Calls(Path(tempfile.mkstemp(prefix="joins-")[1]))
    real_join, real_group = passages.join_passages, quote_groups.group_statements
    monkeypatch.setattr(reading, "join_passages", lambda *a: (joins.record("passages"), real_join(*a))[1])
    real_rebuilt, real_update = passage_index.rebuilt, PassageIndex.update
    monkeypatch.setattr(passage_index, "rebuilt", lambda *a: (joins.record("passages"), real_rebuilt(*a))[1])

    def update(index, *a):
        found = real_update(index, *a)
        if found is not None:
            joins.record("update")
        return found

    monkeypatch.setattr(PassageIndex, "update", update)
    monkeypatch.setattr(
        "dossier.incremental.joins.group_statements", lambda *a: (joins.record("quotes"), real_group(*a))[1]
    )
    person = sorted((root / "content" / "people").glob("*.md"))[0]
    person.write_text(person.read_text(encoding="utf-8").replace('role: "', 'role: "neu, ', 1), encoding="utf-8")
    build(BuildOptions(root=root, jobs=1, search=False))
    assert list(joins) == []
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
    joins.clear()  # (the clean build joined from nothing)
    article = sorted((root / "content" / "articles").glob("*.md"))[5]
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Satz ohne Zitat am Ende.\n", encoding="utf-8")
    build(BuildOptions(root=root, jobs=1, search=False))
    assert list(joins) == ["update"], "one article re-joined, and the quotations read the same: groups kept"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
    joins.clear()
    person.write_text(person.read_text(encoding="utf-8").replace('role: "', 'role: "wieder ', 1), encoding="utf-8")
    build(BuildOptions(root=root, jobs=1, search=False))
    assert list(joins) == [], "the passages the update found are taken as they are by the next build"
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_a_new_statement_regroups_only_its_speakers_quotations(tmp_path, monkeypatch):
    """Quotations are grouped speaker by speaker: a statement added to one article regroups that speaker's
    statements only (one call, with that speaker's statements alone); every other speaker keeps its groups,
    and the site (the quote index, the speaker's page) equals a clean build."""
    from dossier.joins import quote_groups

    root = generate(tmp_path / "project", articles=40, seed=9).root
    build(BuildOptions(root=root, jobs=1, search=False))
    person = sorted((root / "content" / "people").glob("*.md"))[2]
    name = re.search(r'^name: "(.*)"$', person.read_text(encoding="utf-8"), re.M).group(1)
    regrouped = Calls(Path(tempfile.mkstemp(prefix="quotes-")[1]))
    real_group = quote_groups.group_statements

    def group(said, *rest):
        regrouped.record(" ".join(sorted({quote_groups.speaker_key(q) or "?" for q in said})))
        return real_group(said, *rest)

    monkeypatch.setattr("dossier.incremental.joins.group_statements", group)
    article = sorted((root / "content" / "articles").glob("*.md"))[5]
    statement = f"\n„Wir werden die neuen Regeln für alle Häfen prüfen lassen“, sagte {name}.\n"
    article.write_text(article.read_text(encoding="utf-8") + statement, encoding="utf-8")
    build(BuildOptions(root=root, jobs=1, search=False))
    assert list(regrouped) == [f"person:{person.stem}"]
    quotes_page = (root / "site" / urls.index("quotes")).read_text(encoding="utf-8")
    assert "Wir werden die neuen Regeln für alle Häfen prüfen lassen" in quotes_page
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_a_removed_article_takes_its_folders_with_it_without_a_walk_of_the_site(built, monkeypatch):
    """Removing an article deletes its page folder (and a folder left empty above it), leaves no empty
    folder behind, and does so without walking site/; the site equals a clean build."""
    gone = next(p for p in sorted((built / "content" / "articles").glob("*.md")) if p.stem not in annotated(built))
    folder = built / "site" / urls.entry("article", gone.stem).rpartition("/")[0]
    assert folder.is_dir()
    gone.unlink()
    walks = []
    real = os.walk
    monkeypatch.setattr(os, "walk", lambda *a, **k: walks.append(a[0]) or real(*a, **k))
    report = build(BuildOptions(root=built))
    monkeypatch.setattr(os, "walk", real)
    assert report.removed and not folder.exists()
    assert [w for w in walks if str(w).startswith(str(built / "site"))] == []
    assert [p for p in (built / "site").rglob("*") if p.is_dir() and not any(p.iterdir())] == []
    assert nothing_to_build(built)
    assert site_files(built / "site") == clean_build(built, built.parent / "clean")


def test_a_site_folder_that_is_a_link_is_looked_at_through_the_link(built):
    """site/ as a link to the folder a web server serves: it is taken through the link (its folders' times
    are those of the folder served), the no-change check holds, and a stray file in one of its page
    folders is noticed and removed."""
    served = built.parent / "served"
    shutil.move(built / "site", served)
    (built / "site").symlink_to(served, target_is_directory=True)
    build(BuildOptions(root=built))
    assert nothing_to_build(built)
    _, state = saved_state(built)
    assert "" in state.folders
    folder = served / next(rel for rel in sorted(state.folders) if rel.count("/") >= 1)
    (folder / "fremd.html").write_text("von Hand")
    assert not nothing_to_build(built)
    build(BuildOptions(root=built))
    assert not (folder / "fremd.html").exists() and nothing_to_build(built)
    assert (built / "site").is_symlink()


def test_the_import_reads_only_the_hand_written_articles_whose_bytes_changed(built, monkeypatch):
    """The import looks for provenance in every article file; one the last build found without any is not
    read again while its bytes are the same. An edited one is, and provenance added to it is seen: its
    raw export, missing from sources/, is warned about."""
    from dossier.ingest import store

    articles = sorted((built / "content" / "articles").glob("*.md"))
    rels = {f"content/articles/{p.name}" for p in articles}
    assert set(saved_state(built)[1].hand_written) == rels, "the generated articles are written by hand"
    told = []
    real = store.read_imported
    monkeypatch.setattr(store, "read_imported", lambda root, known: told.append(set(known)) or real(root, known))
    edited = articles[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\n---\n", "\nprovenance:\n- file: sources/fehlt.txt\n---\n", 1), encoding="utf-8")
    report = build(BuildOptions(root=built))
    assert told == [rels - {f"content/articles/{edited.name}"}]
    assert any(w.path.endswith(edited.name) and "sources/fehlt.txt" in w.message for w in report.warnings)
    assert f"content/articles/{edited.name}" not in saved_state(built)[1].hand_written
    assert build(BuildOptions(root=built)).written == 0
    told.clear()
    edited.write_text(text, encoding="utf-8")
    build(BuildOptions(root=built))
    assert told == [rels - {f"content/articles/{edited.name}"}]
    assert set(saved_state(built)[1].hand_written) == rels
