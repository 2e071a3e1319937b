"""The facts a long-running process (the preview) holds between builds (`incremental.resident`).

The preview builds again after every save in one process and hands each build what the last
good one held: articles, entities, analyses and fingerprint digests, taken where what they
were made from is unchanged. These tests run such a process: after every edit of a seeded
random sequence (on a corpus large enough for the worker processes) its site must equal a
clean build byte for byte, and what it holds must really be taken, not read again.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_incremental import EDITS, clean_build, counting_analyses, site_files

from bench.corpus import generate
from dossier import pipeline
from dossier.content import load
from dossier.errors import BuildFailed
from dossier.incremental import analyses, memo
from dossier.incremental.resident import Resident
from dossier.pipeline import BuildOptions, build


def edit_role(project: Path, rng: random.Random) -> str:
    """Change one person's role: the entities are read again, so no analysis can be taken as held."""
    path = rng.choice(sorted((project / "content" / "people").glob("*.md")))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^role: "(.*)"$', rf'role: "\1 ({rng.randint(1, 99)})"', text, count=1, flags=re.M))
    return f"role of {path.name}"


def break_article(project: Path, rng: random.Random) -> str:
    """An article whose front matter is not YAML: the build fails, and the process keeps what it held."""
    path = rng.choice(sorted((project / "content" / "articles").glob("*.md")))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")
    return f"broke {path.name}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated dossier large enough for the worker processes."""
    root = generate(tmp_path_factory.mktemp("resident") / "project", articles=90, seed=11).root
    assert analyses.PARALLEL_MIN <= 90
    return root


def test_held_facts_build_what_a_clean_build_does_after_random_edits(corpus, tmp_path):
    """One process, one `Resident` handed from build to build: after every edit the site equals a clean build,
    also after a failed build and after an entity edit that makes the held analyses unusable."""
    rng = random.Random(2026)
    options = BuildOptions(root=corpus, jobs=2, search=False)
    first = build(options, Resident())
    assert first.pages >= pipeline.PARALLEL_PAGES, "the builds render on the workers"
    resident = first.resident
    assert len(resident.articles) == 90 and len(resident.analyses) == 90 and resident.prints
    sequence = [*EDITS, edit_role, edit_role] + [rng.choice(EDITS) for _ in range(4)]
    rng.shuffle(sequence)
    sequence.insert(3, break_article)
    broken: Path | None = None
    for edit in sequence:
        what = edit(corpus, rng)
        if edit is break_article:
            broken = next(p for p in (corpus / "content" / "articles").glob("*.md") if "title: [" in p.read_text())
            with pytest.raises(BuildFailed):
                build(options, resident)
            broken.write_text(broken.read_text(encoding="utf-8").replace("title: [", "title:", 1), encoding="utf-8")
            continue  # the resident of the last good build is handed on
        report = build(options, resident)
        assert report.resident is not None and report.resident.fits(resident.key)
        resident = report.resident
        incremental = site_files(corpus / "site")
        clean = clean_build(corpus, tmp_path / "clean", search=False)
        assert sorted(incremental) == sorted(clean), f"different files after editing {what}"
        differing = [path for path in clean if incremental[path] != clean[path]]
        assert not differing, f"held facts differ from a clean build after editing {what}: {differing[:5]}"
    assert broken is not None


def test_an_edit_takes_every_other_article_as_held(tmp_path, monkeypatch):
    """After one article's edit, every other article and analysis is the very object held, read from neither
    the files nor the store; only the edited article is read and analysed."""
    root = generate(tmp_path / "project", articles=70, seed=3).root
    options = BuildOptions(root=root, jobs=2, search=False)
    before = build(options, build(options, Resident()).resident).resident  # the second build holds what it took
    files = sorted((root / "content" / "articles").glob("*.md"))
    edited = files[5]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin Nachtrag der Redaktion.\n", encoding="utf-8")
    shown = f"content/articles/{edited.name}"
    read: list[str] = []
    real_read = load.read_article
    monkeypatch.setattr(analyses, "read_article", lambda path, name: (read.append(name), real_read(path, name))[1])
    monkeypatch.setattr(memo.ArticleMemo, "known_articles", lambda self: pytest.fail("the store read back whole"))
    analysed = counting_analyses(monkeypatch)
    after = build(options, before).resident
    assert read == [shown]
    assert analysed == [after.articles[shown][1].slug]
    for path, (digest, article) in after.articles.items():
        if path == shown:
            assert article is not before.articles[path][1] and digest != before.articles[path][0]
        else:
            assert article is before.articles[path][1], path
            assert after.analyses[path][0] is before.analyses[path][0], path
    assert after.entities is before.entities


def test_a_first_build_of_the_process_holds_everything_even_when_site_is_up_to_date(tmp_path, monkeypatch):
    """The preview's first build, on a site a command-line build left up to date, writes nothing and still
    reads everything once, so that the first save is as quick as every later one: the articles and analyses
    are then the very objects held, read neither from the files nor from the store."""
    root = generate(tmp_path / "project", articles=70, seed=5).root
    options = BuildOptions(root=root, jobs=2, search=False)
    build(options)
    started = build(options, Resident())
    assert started.written == 0 and started.removed == 0
    held = started.resident
    assert held is not None and len(held.articles) == 70 and len(held.analyses) == 70 and held.prints
    assert held.answers is not None and held.joins
    files = sorted((root / "content" / "articles").glob("*.md"))
    files[2].write_text(files[2].read_text(encoding="utf-8") + "\nEin Nachtrag.\n", encoding="utf-8")
    monkeypatch.setattr(memo.ArticleMemo, "known_articles", lambda self: pytest.fail("the store read back whole"))
    after = build(options, held).resident
    kept = [path for path in held.articles if path != f"content/articles/{files[2].name}"]
    assert all(after.articles[path][1] is held.articles[path][1] for path in kept)


def test_held_joins_and_answers_are_taken_instead_of_the_files(tmp_path, monkeypatch):
    """The similarity answers and the remembered joins are memos of what they read, so a process holds them
    from build to build instead of unpickling them from the cache again; the site still equals a clean build."""
    root = generate(tmp_path / "project", articles=70, seed=8).root
    options = BuildOptions(root=root, jobs=2, search=False)
    held = build(options, Resident()).resident
    edited = sorted((root / "content" / "articles").glob("*.md"))[9]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nNoch ein Nachtrag.\n", encoding="utf-8")
    real = pipeline.cache.load_memo
    asked: list[str] = []
    monkeypatch.setattr(pipeline.cache, "load_memo", lambda *memo: (asked.append(memo[1]), real(*memo))[1])
    after = build(options, held).resident
    assert asked == [], "a memo read from disk although the process holds it"
    assert after.joins and "quotes" in after.joins
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_held_statements_are_keyed_again_only_for_the_speakers_the_edited_article_quotes(tmp_path, monkeypatch):
    """A speaker whose statements are the very quotation objects of the last build keeps their key; only the
    speakers the edited article quotes (its analysis is new) are keyed again, and the site equals a clean build."""
    from dossier.incremental import joins

    root = generate(tmp_path / "project", articles=70, seed=9).root
    options = BuildOptions(root=root, jobs=2, search=False)
    held = build(options, Resident()).resident
    assert len(held.statements) > 3
    edited = sorted((root / "content" / "articles").glob("*.md"))[4]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin letzter Nachtrag.\n", encoding="utf-8")
    keyed: list = []
    real = joins.quotes_key
    monkeypatch.setattr(joins, "quotes_key", lambda speaker, said: (keyed.append(speaker), real(speaker, said))[1])
    after = build(options, held).resident
    quoted = {
        speaker for speaker, (said, *_) in after.statements.items() if any(q.article.slug == edited.stem for q in said)
    }
    assert set(keyed) == quoted and len(keyed) < len(after.statements)
    assert all(after.statements[s][1] == real(s, after.statements[s][0]) for s in after.statements)
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_held_groups_are_taken_for_the_speakers_the_edited_article_does_not_quote(tmp_path):
    """The preview takes the last build's quotation groups of every speaker whose statements are the very objects
    it held (no group is made again for them); the speaker the edited article now quotes once more is grouped
    afresh, the new statement in one of its groups, and the site equals a clean build."""
    root = generate(tmp_path / "project", articles=70, seed=9).root
    options = BuildOptions(root=root, jobs=2, search=False)
    held = build(options, Resident()).resident
    edited = sorted((root / "content" / "articles").glob("*.md"))[4]
    speaker, (said, *_) = next((s, v) for s, v in sorted(held.statements.items(), key=str) if s is not None)
    name = said[0].speaker.name
    words = "Wir bleiben an der Seite unserer Partner und halten Wort"
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n„{words}“, sagte {name}.\n", encoding="utf-8")
    after = build(options, held).resident
    quoted = {s for s, (said, *_) in after.statements.items() if any(q.article.slug == edited.stem for q in said)}
    assert speaker in quoted and len(quoted) < len(after.statements)
    for other in set(after.statements) - quoted:
        assert after.statements[other][2] is held.statements[other][2]
    groups = after.statements[speaker][2]
    assert groups is not held.statements[speaker][2]
    assert [g for g in groups if any(q.text.startswith(words) for q in g.quotes)]
    assert site_files(root / "site") == clean_build(root, tmp_path / "clean", search=False)
