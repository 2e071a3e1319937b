"""What a page reads (`site.page.Reads`): a page whose files and values are as they were is not fingerprinted.

A build takes the fingerprint of such a page as the last build left it. That is right only if the
page's reads name everything its data is made of. These tests make sure of it the hard way: after
every edit of a seeded random sequence (on a corpus large enough for the worker processes), the
fingerprint every page was given must equal the fingerprint of its data worked out afresh, and the
site must equal a clean build byte for byte.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_incremental import EDITS, annotated, clean_build, site_files
from test_resident import edit_role

from bench.corpus import generate
from dossier import pipeline
from dossier.incremental import analyses, cache
from dossier.incremental.fingerprint import Fingerprinter
from dossier.pipeline import BuildOptions, build
from dossier.site import pages, urls


def articles_of(project: Path) -> list[Path]:
    return sorted((project / "content" / "articles").glob("*.md"))


def article_and_person(project: Path, rng: random.Random) -> tuple[str, str]:
    """A random article's slug and a random person's slug."""
    return rng.choice(articles_of(project)).stem, rng.choice(sorted((project / "content" / "people").glob("*.md"))).stem


def add_event(project: Path, rng: random.Random) -> str:
    """A timeline event citing an article and involving a person (both pages list it)."""
    article, person = article_and_person(project, rng)
    number = rng.randint(100, 999)
    (project / "content" / "timeline" / f"ereignis-{number}.md").write_text(
        f"---\ntitle: Ereignis {number}\ndate: 2024-12-0{rng.randint(1, 9)}\nsource:\n- {article}\n"
        f"entities:\n- {person}\n---\n\nEin Ereignis, von dem der Artikel berichtet.\n",
        encoding="utf-8",
    )
    return f"event {number} citing {article}"


def amend(project: Path, folder: str, field: str, rng: random.Random) -> str:
    """Add a number to one front-matter field of a random file of a content folder; its file's name."""
    path = rng.choice(sorted((project / "content" / folder).glob("*.md")))
    text = path.read_text(encoding="utf-8")
    amended = rf'{field}: "\1 ({rng.randint(1, 99)})"'  # quoted, as it may have been
    path.write_text(re.sub(rf'^{field}: "?(.*?)"?$', amended, text, count=1, flags=re.M), encoding="utf-8")
    return path.name


def edit_event(project: Path, rng: random.Random) -> str:
    """Retitle an event (every page that lists it shows the title)."""
    return f"event {amend(project, 'timeline', 'title', rng)}"


def edit_annotation(project: Path, rng: random.Random) -> str:
    """Reword an annotation's note (its article page shows it)."""
    path = rng.choice(sorted((project / "content" / "annotations").glob("*.md")))
    path.write_text(path.read_text(encoding="utf-8") + f"\nNachtrag {rng.randint(1, 999)}.\n", encoding="utf-8")
    return f"annotation {path.name}"


def share_paragraph(project: Path, rng: random.Random) -> str:
    """Copy a long paragraph of one article into another: a new shared passage, with new partners on both."""
    source, target = rng.sample(articles_of(project), 2)
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    paragraph = max((p for p in body.split("\n\n") if not p.startswith("#")), key=len)
    target.write_text(target.read_text(encoding="utf-8") + "\n" + paragraph + "\n", encoding="utf-8")
    return f"paragraph of {source.name} into {target.name}"


def add_quote(project: Path, rng: random.Random) -> str:
    """A statement of a person in an article (their page, the quote index and the article show it)."""
    path = rng.choice(articles_of(project))
    person = rng.choice(sorted((project / "content" / "people").glob("*.md")))
    name = re.search(r'^name: "(.*)"$', person.read_text(encoding="utf-8"), re.M).group(1)
    said = f"„Wir prüfen jeden der {rng.randint(10, 999)} Vorschläge sehr genau und ohne Eile“, sagte {name}."
    path.write_text(path.read_text(encoding="utf-8") + "\n" + said + "\n", encoding="utf-8")
    return f"quote of {person.stem} in {path.name}"


def newest_date(project: Path, rng: random.Random) -> str:
    """Date an article later than every other: the start page's date, which an undated fact check shows, moves."""
    path = rng.choice(articles_of(project))
    text = path.read_text(encoding="utf-8")
    date = f"date: 2030-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    path.write_text(re.sub(r"^date: .*$", date, text, count=1, flags=re.M), encoding="utf-8")
    return f"date of {path.name}"


def edit_editors(project: Path, rng: random.Random) -> str:
    """Name another editor on the start page (an undated fact check's reviewers)."""
    path = project / "content" / "_index.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("editors:\n", f'editors:\n- "Redaktion {rng.randint(1, 99)}"\n', 1))
    return "editors"


def edit_place(project: Path, rng: random.Random) -> str:
    """Change a place's description (a place is mentioned, never quoted: only its mentions read its file)."""
    return f"role of {amend(project, 'places', 'role', rng)}"


def remove_article(project: Path, rng: random.Random) -> str:
    """Delete an article no annotation points to and no event cites."""
    cited = {
        m
        for p in (project / "content" / "timeline").glob("*.md")
        for m in re.findall(r"^- (\S+)$", p.read_text(), re.M)
    }
    keep = annotated(project) | cited
    path = rng.choice([p for p in articles_of(project) if p.stem not in keep])
    path.unlink()
    return f"removed {path.name}"


READS = (
    add_event,
    edit_event,
    edit_annotation,
    share_paragraph,
    add_quote,
    newest_date,
    edit_editors,
    edit_role,
    edit_place,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated dossier for the worker processes, with timeline events and fact checks without a date or an
    author (they show the start page's date and editors)."""
    root = generate(tmp_path_factory.mktemp("reads") / "project", articles=90, seed=5).root
    assert analyses.PARALLEL_MIN <= 90
    rng = random.Random(5)
    (root / "content" / "timeline").mkdir()
    for _ in range(4):
        add_event(root, rng)
    for note in sorted((root / "content" / "annotations").glob("*.md")):
        text = re.sub(r"^kind: (?!Faktencheck).*$", "kind: Faktencheck\nverdict: offen", note.read_text(), flags=re.M)
        text = re.sub(r"^author: .*\n", "", text, count=1, flags=re.M)  # reviewed by the start page's editors
        note.write_text(re.sub(r"^date: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    return root


def wrongly_kept(root: Path, report: pipeline.BuildReport) -> list[str]:
    """The pages whose fingerprint, as the build recorded it, is not the fingerprint of their data now: every page
    of the site planned afresh, also those the build did not plan (`Plan.outlines`)."""
    plan, marks = report.working
    state = cache.load(root, cache.global_key(pipeline.cache_options(BuildOptions(root=root))))
    every, _ = pages.plan(plan.dossier, portable=plan.info.portable, framed=plan.framed)
    assert sorted(p.path for p in every) == sorted(p.path for p in plan.every_page())
    return [page.path for page in every if marks.page(page) != state.fingerprints[page.path]]


def test_every_kept_fingerprint_is_the_fingerprint_of_the_data_after_random_edits(corpus, tmp_path):
    """After each edit, no page kept a fingerprint its data no longer has, and the site equals a clean build."""
    rng = random.Random(11)
    first = build(BuildOptions(root=corpus, jobs=2, search=False))
    assert first.pages >= pipeline.PARALLEL_PAGES, "the first build renders on the workers"
    sequence = [*READS, *(remove_article if e.__name__ == "remove_article" else e for e in EDITS)]
    rng.shuffle(sequence)
    for edit in sequence:
        what = edit(corpus, rng)
        report = build(BuildOptions(root=corpus, jobs=2, search=False))
        assert report.written > 0 or edit.__name__ == "edit_alias", f"nothing rewritten after {what}"
        assert not wrongly_kept(corpus, report), f"fingerprints kept after {what}"
        if edit in READS:
            incremental, clean = site_files(corpus / "site"), clean_build(corpus, tmp_path / "clean", search=False)
            assert sorted(incremental) == sorted(clean), f"different files after {what}"
            assert [p for p in clean if incremental[p] != clean[p]] == [], f"incremental differs after {what}"


@pytest.fixture
def fingerprinted(monkeypatch) -> list[str]:
    """The paths of the pages fingerprinted in this process (the main process fingerprints every page)."""
    paths: list[str] = []
    real = Fingerprinter.page

    def counted(self, *values):
        paths.append(values[0].path)
        return real(self, *values)

    monkeypatch.setattr(Fingerprinter, "page", counted)
    return paths


def test_an_edited_body_fingerprints_its_page_and_the_pages_that_read_it(tmp_path, fingerprinted):
    """A sentence appended to one article: of the article pages, only its own and those of the articles it shares
    a passage with (they show its title) are fingerprinted; the other pages are kept as they were."""
    root = generate(tmp_path / "project", articles=60, seed=3).root
    plan, _ = build(BuildOptions(root=root, jobs=1, search=False)).working
    shares = {}
    for passage in plan.dossier.passages:
        for occurrence in passage.occurrences:
            shares.setdefault(occurrence.article, set()).update(o.article for o in passage.occurrences)
    slug = max(shares, key=lambda s: len(shares[s]))
    path = root / "content" / "articles" / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEin Satz mehr, ohne einen Namen.\n", encoding="utf-8")
    fingerprinted.clear()
    report = build(BuildOptions(root=root, jobs=1, search=False))
    articles = {p for p in fingerprinted if p.startswith("artikel/") and p != urls.index("articles")}
    assert articles == {urls.entry("article", s) for s in shares[slug]}, "the article pages that read it"
    assert len(shares[slug]) >= 2
    assert len(fingerprinted) < report.pages / 3
    assert report.written >= 1
    assert not wrongly_kept(root, report)
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
