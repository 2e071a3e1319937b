"""Names still to file: people the texts name without an entity file, listed by `check` as notes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from bench.corpus import FIRST_NAMES, generate
from dossier.content import load
from dossier.content.model import Article, Entity, RelatedEntry, Source
from dossier.text.blocks import blocks
from dossier.text.names import unfiled_names

from conftest import ROOT

SEED_NAMES = {"Alexander Lurz", "Julian Hinz", "Serhii Plokhy"}  # named in related teasers, no files


def article(slug: str, body: str, **more) -> Article:
    return Article(slug, slug, dt.date(2024, 12, 3), body, Source(f"content/articles/{slug}.md", 5), **more)


def person(name: str, *aliases: str) -> Entity:
    return Entity("person", name.lower().replace(" ", "-"), name, Source("content/people/x.md", 4), aliases)


def found(articles: list[Article], entities: list[Entity], **kw) -> list:
    return unfiled_names(articles, {a.slug: blocks(a.body) for a in articles}, entities, **kw)


def test_role_words_and_name_runs_are_found_ranked_by_count():
    one = article(
        "eins",
        "Polens Außenminister Radosław Sikorski forderte mehr Hilfe. Das sagte auch Ursula von der Leyen am Abend.\n\n"
        "Die Kanzlerin Merkel hatte gewarnt, erklärte der Sprecher Hebestreit in Berlin.",
    )
    two = article("zwei", "Bei dem Treffen widersprach Radosław Sikorski. Präsident Duda schwieg.")
    names = found([one, two], [])
    assert (names[0].name, names[0].count, names[0].articles) == ("Radosław Sikorski", 2, ("eins", "zwei"))
    assert {n.name for n in names} == {"Radosław Sikorski", "Ursula von der Leyen", "Merkel", "Hebestreit", "Duda"}
    first = names[0]
    assert first.first == ("content/articles/eins.md", 5)
    assert first.message().endswith('python build.py new person "Radosław Sikorski"')


def test_ordinary_nouns_sentence_starts_and_known_names_are_not_listed():
    text = (
        "Die Vereinten Nationen und das Weiße Haus schwiegen. Mark Rutte sprach von zwei Tagen Konferenzen, "
        "rund 500 Millionen Euro und der Natur der Gefahren. Generalsekretär Rutte lobte Baerbock. "
        "Gestern Abend tagte der Rat. Sikorski Radosław ist kein Name hier, weil der Satz so anfängt."
        " „Das ist High Five“, sagte er."
    )
    known = [person("Mark Rutte", "Rutte"), person("Annalena Baerbock")]
    assert found([article("drei", text + " Das weiße Kleid.")], known) == []


NEWS = """Am Montag trafen sich die Außenminister der Nato in Brüssel. Der polnische Außenminister Radosław Sikorski
sagte, Europa müsse mehr tun. Auch die Europäische Union plant neue Sanktionen.

Das Weiße Haus reagierte zurückhaltend, berichtete die New York Times. Laut Deutscher Presse-Agentur traf sich
Sikorski mit dem Internationalen Strafgerichtshof. Die Grünen-Chefin Franziska Brantner lobte den Kurs, im Kalten
Krieg sei das anders gewesen.

Nach Angaben des Roten Kreuzes flohen Tausende über das Schwarze Meer. Die Neue Zürcher Zeitung berichtete, dass
Emmanuel Macron und Keir Starmer in London telefonierten. In Kiew sagte Wolodymyr Selenskyj, er danke Joe Biden.
Hohe Vertreterin Kaja Kallas reiste nach Kiew, begleitet von António Costa.

Der Europäische Rat tagte in Brüssel, während Ursula von der Leyen in Straßburg sprach. Beim G7 Gipfel in Apulien
war auch Giorgia Meloni. Es geht um Milliarden Euro, sagte Finanzminister Christian Lindner im Deutschlandfunk. Wie
Vereinte Nationen und Amnesty International mitteilten, ist Human Rights Watch besorgt. Frankreichs Präsident
Macron nannte Olaf Scholz."""
NEWS_PEOPLE = {
    "Radosław Sikorski", "Franziska Brantner", "Emmanuel Macron", "Keir Starmer", "Wolodymyr Selenskyj", "Joe Biden",
    "Kaja Kallas", "António Costa", "Ursula von der Leyen", "Giorgia Meloni", "Christian Lindner", "Olaf Scholz",
}  # fmt: skip


def test_news_prose_with_organisations_and_noun_phrases():
    """Precision on a page of ordinary news prose (organisations, adjectives before nouns, sentence starts)."""
    names = found([article("news", NEWS)], [person("Olaf Scholz", "Scholz")], limit=40)
    listed = {n.name for n in names}
    assert precision(names, NEWS_PEOPLE) >= 0.8, listed - NEWS_PEOPLE
    assert NEWS_PEOPLE - {"Olaf Scholz"} <= listed and "Olaf Scholz" not in listed
    assert next(n for n in names if n.name == "Radosław Sikorski").count == 2  # "Sikorski" alone counts for him


def test_at_most_a_screenful():
    body = " ".join(f"Das sagte Minister Anton{chr(65 + i)}mann." for i in range(26))
    assert len(found([article("vier", body)], [], limit=15)) == 15


def test_teasers_are_read_too():
    related = (RelatedEntry("Krieg", "Titel", "Das sagt der Historiker Alexander Lurz."),)
    names = found([article("fuenf", "Kein Name hier.", related=related)], [])
    assert [(n.name, n.first) for n in names] == [("Alexander Lurz", ("content/articles/fuenf.md", 0))]


def precision(names: list, true: set[str]) -> float:
    return sum(n.name in true for n in names) / len(names)


def test_seeds_and_a_generated_corpus_with_people_files_removed(tmp_path):
    """Precision (true person names / listed) >= 0.8, and every person whose file was removed is found."""
    articles, _ = load.load_articles(ROOT)
    entities, _ = load.load_entities(ROOT, drafts=True)
    seeds = found(articles, entities)
    assert {n.name for n in seeds} == SEED_NAMES
    assert precision(seeds, SEED_NAMES) >= 0.8

    root = generate(tmp_path / "gen", articles=200, seed=1).root
    people = sorted((e for e in load.load_entities(root)[0] if e.kind == "person"), key=lambda e: e.slug)
    removed = {e.name for e in people[::4]}  # every fourth person loses its file
    for entity in people[::4]:
        (root / entity.source.path).unlink()
    articles, _ = load.load_articles(root)
    entities, _ = load.load_entities(root)
    names = found(articles, entities, limit=15)
    generated_people = {n.name for n in names if n.name.split()[0] in FIRST_NAMES}
    assert removed <= {n.name for n in names}
    assert precision(names, generated_people) >= 0.8
    print(
        f"seeds: {len(seeds)} listed, precision {precision(seeds, SEED_NAMES):.2f}; generated: {len(names)} "
        f"listed, {len(removed)} removed, precision {precision(names, generated_people):.2f}"
    )


def test_check_prints_the_names_as_notes_after_the_problems(project):
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--root", str(project), "--strict"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr  # notes never fail a check, not even under --strict
    lines = result.stdout.splitlines()
    assert lines[0] == "check: no errors, 0 warning(s)"
    assert lines[1].startswith("names the texts use without a file")
    assert len(lines) <= 15
    assert any(
        line.endswith('note: Serhii Plokhy (named once in 1 article): python build.py new person "Serhii Plokhy"')
        for line in lines
    )
    (project / "content" / "people" / "serhii-plokhy.md").write_text(
        "---\nname: Serhii Plokhy\ndraft: true\n---\n\nHistoriker.\n", encoding="utf-8"
    )
    again = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Plokhy" not in again.stdout and "Lurz" in again.stdout
