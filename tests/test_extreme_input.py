"""Inputs of pathological size or shape: each builds in bounded time and memory with a correct page, or is
refused with `file:line`, what to do, exit 1, no traceback, site/ and content/ untouched.

The huge inputs are made here, in the test; nothing here times a build (tests never do): a super-linear stage is
caught by counting the work it does."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_errors_battery import REPO, article, built_copy, changeable_copy, refused, run, skipped, write

from dossier.joins import anchoring
from dossier.pipeline import BuildOptions, build


def project_files(folder: str, names: list[str]) -> set[str]:
    """What a copy of the project needs to build: no tests (with their checkers), benchmarks or docs."""
    return skipped(folder, names) | ({"tests", "bench", "docs"} & set(names) if Path(folder) == REPO else set())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory.mktemp("extreme") / "project", ignore=project_files)


@pytest.fixture
def project(seeded, tmp_path) -> Path:
    return changeable_copy(seeded, tmp_path / "project")


def nested_list(levels: int) -> str:
    return "\n".join("  " * i + f"- Ebene {i}" for i in range(levels))


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (">" * 5000 + " tief zitiert", 7),
        ("Vorher.\n\n" + "\n".join(">" * i + " Ebene" for i in range(1, 60)), 49),  # 41 '>' on body line 43
        (nested_list(30) + "\n\nDanach ein Absatz, den markdown-it sonst verschluckt.", 27),
        ("- " * 5000 + "tief", 7),
    ],
    ids=["blockquotes-one-line", "blockquotes-one-per-line", "list-indented", "list-one-line"],
)
def test_markdown_nested_beyond_the_limit_is_refused_at_its_line(project, body, line):
    """markdown-it drops everything below its nesting limit without a word (and everything after it); the build
    refuses such a body at the line where the nesting goes too deep instead of publishing half the article."""
    write(project, "content/articles/tief.md", article(body=body))
    refused(project, where=f"content/articles/tief.md:{line}:", says=("nested too deeply", "nest them less deeply"))


def test_deep_nesting_in_an_entity_note_is_refused_too(project):
    """Every Markdown text goes through the same grammar: an entity's note is refused at its line as well."""
    person = project / "content/people/mark-rutte.md"
    person.write_text(person.read_text(encoding="utf-8") + "\n" + ">" * 100 + " tief\n", encoding="utf-8")
    err = refused(project, where="content/people/mark-rutte.md:", says=("nested too deeply",))
    assert err.count("nested too deeply") == 1, err


def test_nesting_within_the_limit_keeps_every_paragraph(project):
    body = nested_list(15) + "\n\nDanach ein Absatz nach der Liste.\n\n" + ">" * 25 + " Tief zitiert."
    write(project, "content/articles/tief.md", article(body=body))
    result = run(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/artikel/tief/index.html").read_text(encoding="utf-8")
    assert "Ebene 14" in page and "Danach ein Absatz nach der Liste." in page and "Tief zitiert." in page


def annotated(root: Path, notes: int) -> int:
    """An article of `notes` paragraphs, every one of the same words but its number, and a note on each; the
    length of its text."""
    paragraphs = [f"Dies ist der eindeutige Absatz Nummer {i} im langen Text." for i in range(notes)]
    write(root, "content/articles/lang.md", article(body="\n\n".join(paragraphs)))
    for i, text in enumerate(paragraphs):
        write(root, f"content/annotations/n{i}.md", f'---\narticle: lang\nexact: "{text}"\nkind: Kontext\n---\n\nN.\n')
    return sum(len(p) for p in paragraphs)


def test_many_annotations_on_one_article_fold_its_text_once(project, monkeypatch):
    """Each annotation used to fold every block of its article again (5,000 notes: minutes); the article's text
    is prepared once, so the work grows with the article and the notes, not with their product."""
    notes = 300
    chars = annotated(project, notes)
    folds = []
    real = anchoring.fold
    monkeypatch.setattr(anchoring, "fold", lambda text: folds.append(len(text)) or real(text))
    build(BuildOptions(root=project, jobs=1, search=False))
    assert (project / "site/artikel/lang/index.html").read_text(encoding="utf-8").count(
        '<mark class="annotation'
    ) == notes
    assert sum(folds) < 10 * chars, f"{sum(folds)} characters folded for {notes} notes on {chars} characters of text"


def test_a_passage_found_thousands_of_times_is_refused_with_a_short_message(project):
    """Every occurrence used to carry all the article's text before and after it (10,000 occurrences: 2.8 GB) and
    the message listed them all; now the text around a match is taken as far as it is needed, and the message
    lists a few occurrences and how many more there are."""
    write(project, "content/articles/oft.md", article(body="\n\n".join(["Der gleiche Satz steht hier. " * 10] * 300)))
    write(project, "content/annotations/oft.md", "---\narticle: oft\nexact: gleiche Satz\nkind: Kontext\n---\n\nN.\n")
    err = refused(project, where="content/annotations/oft.md:3:", says=("occurs 3000 times", "and 2990 more"))
    assert max(len(line) for line in err.splitlines()) < 3000, err


def test_a_prefix_picks_one_of_thousands_of_occurrences(project):
    body = "\n\n".join(["Der gleiche Satz steht hier. " * 10] * 300) + "\n\nEinmal der gleiche Satz anders."
    write(project, "content/articles/oft.md", article(body=body))
    note = "---\narticle: oft\nexact: gleiche Satz\nprefix: Einmal der\nsuffix: anders\nkind: Kontext\n---\n\nN.\n"
    write(project, "content/annotations/oft.md", note)
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert 'id="anm-oft"' in (project / "site/artikel/oft/index.html").read_text(encoding="utf-8")


def test_a_tag_too_long_for_its_topic_page_is_refused_at_its_line(project):
    """A topic's page is a folder named after the tag: a tag of 100 KB crashed the build with 'File name too
    long' (OSError and a traceback) after every page was rendered."""
    write(project, "content/articles/x.md", article(head="tags:\n- Nato\n- " + "Sehr lang " * 10_000 + "\n"))
    refused(project, where="content/articles/x.md:7:", says=("too long to name its topic's page", "shorten it"))


def test_a_file_name_too_long_for_a_page_address_is_refused(project):
    """A slug names a folder of site/ and, with a block's anchor, a passage's comparison page: past 200 letters the
    file is refused with what to do, not left for the file system to fail on."""
    write(project, "content/articles/" + "a" * 240 + ".md", article())
    refused(project, where="content/articles/" + "a" * 240 + ".md:1:", says=("rename the file or set a shorter",))


def test_a_file_name_that_is_no_slug_says_which_slug_to_set_and_shows_a_decomposed_name_apart(project):
    """Two names that look alike on screen (ü composed, and u with a combining diaeresis) are told apart in the
    message, and each says what to rename the file to."""
    nfd = "mark-ru\u0308tte"
    write(project, "content/people/Mark Rütte.md", "---\nname: Mark Rütte\n---\n")
    write(project, f"content/people/{nfd}.md", "---\nname: Mark Rütte\n---\n")
    err = refused(project, where="content/people/Mark Rütte.md:1:", says=("set 'slug: mark-ruette'",))
    assert "slug 'mark-ru\\u0308tte' must be lowercase" in err and "set 'slug: mark-rutte'" in err, err


def test_an_alias_that_is_a_common_word_or_one_letter_is_warned_of_at_its_line(project):
    """'die' or 'R' as an alias would make every such word a mention of the entity: the build says so, at the
    alias's line (a warning; --strict fails on it)."""
    path = project / "content/people/mark-rutte.md"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases:\n", 'aliases:\n- "die"\n- "R"\n', 1))
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "content/people/mark-rutte.md:4: warning: 'die' is a common word" in result.stderr, result.stderr
    assert "content/people/mark-rutte.md:5: warning: 'R' is a common word" in result.stderr, result.stderr
    refused(project, "--strict", where="content/people/mark-rutte.md:4:", says=("use a longer form",))


def test_a_raw_export_with_a_huge_title_is_imported_under_a_short_file_name(project):
    """The file name of a new article comes from its title: a title of 1,400 characters made a name no file system
    takes (OSError); it is cut at a word to a length every file system takes."""
    title = " ".join(f"Wort{i}" for i in range(200))
    page = (
        f'<html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Kurier">'
        '<meta property="article:published_time" content="2024-12-04T10:00:00+01:00">'
        f'<meta name="author" content="Redaktion"></head><body><article><h1>{title}</h1>'
        + "".join(
            f"<p>Kaja Kallas reiste zum {i}. Mal nach Kiew. Dort sprach sie lange mit der Regierung über "
            f"die Hilfe, die Sanktionen und die {i} Pakete der Europäischen Union.</p>"
            for i in range(8)
        )
        + "</article></body></html>"
    )
    write(project, "sources/lang.html", page)
    result = run(project)
    assert result.returncode == 0, result.stderr
    (made,) = (project / "content/articles").glob("wort0-*.md")
    assert len(made.stem) <= 200 and made.stem[-1].isdigit(), made.stem  # cut between two words
    assert (project / "site/artikel" / made.stem / "index.html").exists()


def test_a_raw_export_too_big_for_one_article_is_refused_at_once(project):
    """A 50 MB page kept the build busy past five minutes (extraction, then a 50 MB article); the import says
    what to save instead before reading it."""
    paragraph = "<p>Kaja Kallas reiste nach Kiew, und dort sprach sie sehr lange mit allen.</p>\n"
    page = (
        "<html><body><article><h1>Riesig</h1>" + paragraph * (17 * 2**20 // len(paragraph)) + "</article></body></html>"
    )
    write(project, "sources/riesig.html", page)
    refused(project, where="sources/riesig.html:1:", says=("MB is more than one article's raw export", "save"))


def test_many_copies_of_one_raw_export_are_compared_once(project, monkeypatch):
    """Every pair of raw exports was compared (5,000 copies of one article: 12.5 million comparisons, minutes);
    copies of one text join their group without a comparison, and they still make one article."""
    from dossier.ingest import variants

    text = (project / "sources").glob("*.txt")
    data = sorted(text)[0].read_bytes()
    for i in range(300):
        write(project, f"sources/kopie-{i:03d}.txt", data)
    compared = []
    real = variants.similarity
    monkeypatch.setattr(variants, "similarity", lambda a, b: compared.append(1) or real(a, b))
    articles = len(list((project / "content/articles").glob("*.md")))
    build(BuildOptions(root=project, jobs=1, search=False))
    assert len(list((project / "content/articles").glob("*.md"))) == articles, "the copies are variants of one"
    assert len(compared) < 100, f"{len(compared)} comparisons for 300 copies"


def test_a_long_raw_export_and_its_article_are_compared_in_linear_work(monkeypatch):
    """The comparison page of an article and its raw export ran SequenceMatcher over all their words (quadratic on
    a long, repetitive text: a 3 MB page took minutes); the words both begin and end with are taken as equal first,
    so only what differs is matched."""
    from dossier.text import wordiff

    seen = []
    real = wordiff.SequenceMatcher
    monkeypatch.setattr(
        wordiff, "SequenceMatcher", lambda junk, a, b, **kw: seen.append(len(a) + len(b)) or real(junk, a, b, **kw)
    )
    paragraph = "Anna Kaltmeier sagte in Brüssel, die Kommission prüfe neue Mittel. " * 20
    left = [paragraph] * 500
    right = [*left[:250], paragraph.replace("neue", "alte", 1), *left[251:]]
    rows = wordiff.compare(left, right)
    assert wordiff.changed(rows) == 2 and len(rows) == 500
    assert sum(seen) < 20_000, seen
