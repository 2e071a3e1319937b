"""Deterministic synthetic dossiers for benchmarks and incremental-build tests.

`generate(dest, articles=N, seed=S)` writes a complete project (content/, layouts/,
empty sources/) whose articles read like German news: subheadings, quotations with
verbs of saying, mentions of people, organisations and places by name and alias,
passages shared between articles, tags. The same arguments give a byte-identical
project. Run `python -m bench.corpus DEST --articles N` to write one by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANNOTATE_EVERY = 20  # one article in 20 carries an editorial annotation

FIRST_NAMES = [
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Marie",
    "Lukas",
    "Sophie",
    "Paul",
    "Clara",
    "Elias",
    "Hannah",
    "Moritz",
    "Lina",
    "Jakob",
    "Emilia",
    "Noah",
    "Greta",
    "Theo",
    "Ida",
    "Anton",
    "Frieda",
    "Emil",
    "Mathilda",
    "Oskar",
    "Johanna",
    "Karl",
    "Luise",
    "Henrik",
    "Marlene",
    "Vincent",
    "Ronja",
    "Leonard",
    "Helene",
    "Friedrich",
    "Charlotte",
    "Konstantin",
    "Martha",
    "Valentin",
    "Antonia",
    "Benedikt",
    "Ilse",
    "Gregor",
    "Ottilie",
    "Ruben",
]
SURNAME_HEADS = [
    "Brand",
    "Hof",
    "Wald",
    "Stein",
    "Linden",
    "Eich",
    "Berg",
    "Feld",
    "Rosen",
    "Fichten",
    "Kron",
    "Silber",
    "Adler",
    "Falken",
    "Hagen",
    "Mühl",
    "Sommer",
    "Winter",
    "Lauter",
    "Ober",
    "Unter",
    "Kalt",
    "Wein",
    "Holz",
    "Morgen",
    "Abend",
    "Bren",
    "Dorn",
    "Grün",
    "Tann",
]
SURNAME_TAILS = [
    "meier",
    "stetter",
    "bacher",
    "hauser",
    "mann",
    "huber",
    "brecht",
    "wieser",
    "lechner",
    "seder",
    "gruber",
    "thaler",
]
ROLES = (
    "Außenministerin",
    "Verteidigungsminister",
    "Sprecherin der Regierung",
    "Generalsekretär",
    "Botschafter",
    "Abgeordnete im Bundestag",
    "Oberbürgermeister",
    "Vorsitzende des Ausschusses",
    "Staatssekretär",
    "Wirtschaftsministerin",
    "Kommissar für Handel",
    "Fraktionschefin",
)
ORG_HEADS = [
    "Bundesamt",
    "Verband",
    "Institut",
    "Stiftung",
    "Rat",
    "Agentur",
    "Kommission",
    "Allianz",
    "Forum",
    "Zentrum",
]
ORG_ARTICLES = dict(zip(ORG_HEADS, ["Das", "Der", "Das", "Die", "Der", "Die", "Die", "Die", "Das", "Das"], strict=True))
ORG_TOPICS = [
    "für Energiesicherheit",
    "der Küstenländer",
    "für Zivilschutz",
    "der Hafenwirtschaft",
    "für Cyberabwehr",
    "der Binnenschiffer",
    "für Klimafolgen",
    "der Grenzregionen",
    "für Ernährungssicherheit",
    "der Bahnindustrie",
    "für Wasserwirtschaft",
    "der Rüstungsexporteure",
    "für Migration",
    "der Stadtwerke",
    "für Weltraumfragen",
    "der Forstwirtschaft",
]
PLACE_HEADS = ["Wester", "Oster", "Hohen", "Nieder", "Alt", "Neu", "Bad", "Klein", "Groß", "Mittel", "Burg", "Kloster"]
PLACE_TAILS = ["au", "feld", "heim", "stadt", "burg", "hausen", "dorf", "brück", "furt", "hofen", "ingen", "stedt"]
TAGS = [
    "Sicherheitspolitik",
    "Energie",
    "Klima",
    "Haushalt",
    "Migration",
    "Handel",
    "Verteidigung",
    "Diplomatie",
    "Wahlen",
    "Justiz",
    "Bildung",
    "Gesundheit",
    "Digitales",
    "Verkehr",
    "Landwirtschaft",
    "Arbeitsmarkt",
    "Europa",
    "Außenpolitik",
    "Rüstung",
    "Cybersicherheit",
    "Wohnungsbau",
    "Rente",
    "Steuern",
    "Forschung",
    "Raumfahrt",
    "Kommunen",
    "Infrastruktur",
    "Sanktionen",
    "Menschenrechte",
    "Wasser",
    "Katastrophenschutz",
    "Industrie",
    "Mittelstand",
    "Pressefreiheit",
    "Kultur",
    "Sport",
    "Demografie",
    "Seefahrt",
    "Bahn",
    "Grenzen",
]
PUBLISHERS = ("Tageszeitung am Morgen", "Rundschau", "Der Bote", "Nachrichtenagentur Nord", "Abendblatt")
SAY_VERBS = ("sagte", "erklärte", "betonte", "warnte", "kritisierte", "forderte", "räumte ein", "bekräftigte")

NOUNS = [
    "die Regierung",
    "das Parlament",
    "der Ausschuss",
    "die Opposition",
    "der Haushalt",
    "die Vereinbarung",
    "das Abkommen",
    "die Verhandlungen",
    "der Kompromiss",
    "die Reform",
    "die Kommission",
    "der Gipfel",
    "die Delegation",
    "die Koalition",
    "der Vorschlag",
    "die Erklärung",
    "die Sanktionen",
    "die Hilfen",
    "der Plan",
    "die Strategie",
    "die Behörde",
    "die Industrie",
    "die Verwaltung",
    "das Ministerium",
    "die Gewerkschaft",
    "der Verband",
    "die Kommune",
    "das Bündnis",
]
OBJECTS = [
    "neue Mittel für den Zivilschutz",
    "eine rasche Einigung",
    "schärfere Exportregeln",
    "mehr Personal",
    "einen verbindlichen Stufenplan",
    "Entlastungen für Betriebe",
    "eine unabhängige Untersuchung",
    "längere Programme",
    "engere Abstimmung mit Nachbarländern",
    "verbindliche Ziele",
    "zusätzliche Grenzkontrollen",
    "eine Überprüfung der Zusagen",
    "mehr Transparenz",
    "langfristige Garantien",
]
ADVERBIALS = [
    "am Dienstag",
    "nach stundenlangen Beratungen",
    "in der vergangenen Woche",
    "überraschend deutlich",
    "trotz erheblicher Bedenken",
    "hinter verschlossenen Türen",
    "zum ersten Mal seit Jahren",
    "am Rande des Treffens",
    "nach Angaben aus Teilnehmerkreisen",
    "unter großem Zeitdruck",
    "bereits im Frühjahr",
    "vor laufenden Kameras",
]
VERBS = [
    "beschloss",
    "verlangte",
    "kündigte",
    "prüfte",
    "lehnte",
    "billigte",
    "verteidigte",
    "begrüßte",
    "bezweifelte",
    "unterstützte",
    "vertagte",
    "kritisierte",
    "skizzierte",
    "bestätigte",
]
HEADINGS = [
    "Streit um die Finanzierung",
    "Was jetzt geplant ist",
    "Kritik aus den Ländern",
    "Die nächsten Schritte",
    "Ein schwieriger Kompromiss",
    "Warnungen der Fachleute",
    "Reaktionen aus dem Ausland",
    "Offene Fragen",
    "Der lange Weg zur Einigung",
    "Was Betroffene sagen",
    "Zahlen und Fakten",
    "Ein Blick zurück",
]
QUOTES = [
    "Wir werden diese Verantwortung nicht aus der Hand geben",
    "Das ist ein wichtiger Tag für alle Beteiligten",
    "Niemand sollte sich Illusionen machen",
    "Wir brauchen jetzt Tempo und keine weiteren Ankündigungen",
    "Die Lage ist ernst, aber nicht aussichtslos",
    "Ohne eine gemeinsame Linie wird es nicht gehen",
    "Wir haben lange genug geredet, jetzt muss gehandelt werden",
    "Das Vertrauen der Menschen steht auf dem Spiel",
    "Diese Entscheidung war überfällig",
    "Wir lassen uns nicht unter Druck setzen",
    "Es gibt keinen Grund zur Entwarnung",
    "Die Zahlen sprechen eine deutliche Sprache",
]
ANNOTATION_KINDS = ("Kontext", "Faktencheck", "Korrektur", "Hinweis")
QUOTE_FRAMES = (
    "Wir brauchen jetzt {o}",
    "Ohne {o} wird es nicht gehen",
    "Wir werden {o} durchsetzen",
    "Niemand sollte {o} unterschätzen",
    "Ich erwarte {o}",
    "Es geht jetzt um {o}",
    "Wer {o} ablehnt, trägt die Verantwortung",
)
VARIABLE_ADVERBIALS = (
    "am {d}. {m}",
    "nach {n} Stunden Beratung",
    "vor {n} Zuschauern",
    "in der {n}. Sitzung",
    "bis zum {d}. {m}",
    "seit dem {d}. {m}",
    "mit {n} Stimmen",
)
OBJECT_TAILS = ("über {n} Millionen Euro", "bis {y}", "für {n} Gemeinden", "in {n} Fällen", "ab {y}")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober")
DETAILS = (
    "wie es am {d}. {m} hieß",
    "bei einem Volumen von {n} Millionen Euro",
    "nach {n} Tagen Verhandlungen",
    "obwohl {n} Abgeordnete dagegen stimmten",
    "so ein Papier vom {d}. {m}",
    "rund {n} Kilometer von der Hauptstadt entfernt",
    "mit {n} Teilnehmern",
)
SCARE_WORDS = ("hybride", "Zeitenwende", "rote Linien", "Sondervermögen", "Brandmauer")


@dataclass
class Entity:
    """A generated person, organisation or place and the forms the texts use for it."""

    kind: str
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str = ""

    @property
    def short(self) -> str:
        """The form a text uses after the first mention."""
        return self.aliases[0] if self.aliases else self.name


@dataclass
class Corpus:
    """What generate() wrote: useful for edits in tests and benchmarks."""

    root: Path
    articles: list[str]  # article file paths relative to root, sorted
    entities: list[str]  # entity file paths relative to root, sorted


def _slug(text: str) -> str:
    """The dossier's own slug rule."""
    from dossier.content.slugs import slugify

    return slugify(text)


def make_entities(rng: random.Random, people: int, organisations: int, places: int) -> list[Entity]:
    """Unique people, organisations and places; aliases never collide across entities."""
    surnames = [h + t for h in SURNAME_HEADS for t in SURNAME_TAILS]
    rng.shuffle(surnames)
    entities = []
    for i in range(people):
        surname = surnames[i % len(surnames)] + ("" if i < len(surnames) else f"-{FIRST_NAMES[i % 7]}")
        first = rng.choice(FIRST_NAMES)
        name = f"{first} {surname}"
        entities.append(Entity("person", _slug(name), name, [surname, f"{surname}s"], rng.choice(ROLES)))
    orgs = [f"{h} {t}" for h in ORG_HEADS for t in ORG_TOPICS]
    rng.shuffle(orgs)
    for i in range(organisations):
        name = orgs[i % len(orgs)] + ("" if i < len(orgs) else f" {i // len(orgs) + 1}")
        acronym = "".join(w[0].upper() for w in name.split() if w[0].isalpha()) + str(i)
        entities.append(Entity("organisation", _slug(name), name, [acronym], "Organisation"))
    towns = [h + t for h in PLACE_HEADS for t in PLACE_TAILS]
    rng.shuffle(towns)
    for i in range(places):
        name = towns[i % len(towns)] + ("" if i < len(towns) else f" an der {rng.choice(('Elde', 'Ilm', 'Lahn'))}{i}")
        entities.append(Entity("place", _slug(name), name, [], "Ort"))
    return entities


class Writer:
    """Sentence and paragraph generator over one random stream."""

    def __init__(self, rng: random.Random, entities: list[Entity]):
        self.rng = rng
        self.people = [e for e in entities if e.kind == "person"]
        self.orgs = [e for e in entities if e.kind == "organisation"]
        self.places = [e for e in entities if e.kind == "place"]

    def cast(self) -> tuple[list[Entity], list[Entity], list[Entity]]:
        """The few people, organisations and places one article is about."""
        r = self.rng
        return (
            r.sample(self.people, min(len(self.people), r.randint(2, 5))),
            r.sample(self.orgs, min(len(self.orgs), r.randint(1, 3))),
            r.sample(self.places, min(len(self.places), r.randint(1, 2))),
        )

    def sentence(self, people, orgs, places) -> str:
        """One sentence of news prose, sometimes naming an entity, sometimes quoting someone."""
        r = self.rng
        roll = r.random()
        if roll < 0.12 and people:
            speaker = r.choice(people)
            quote, verb = self.quote(), r.choice(SAY_VERBS)
            if r.random() < 0.5:
                return f"„{quote}“, {verb} {r.choice((speaker.name, speaker.short))}."
            return f"{speaker.short} {verb}: „{quote}.“"
        if roll < 0.17:
            return (
                f"Von einer „{r.choice(SCARE_WORDS)}“ Lage wollte {r.choice(NOUNS)} {self.adverbial()} nicht sprechen."
            )
        if r.random() < 0.6:
            return self.detail(self.plain(roll, people, orgs, places))
        return self.plain(roll, people, orgs, places)

    def adverbial(self) -> str:
        """When and how, mostly with a date or figure (news prose rarely repeats eight words in a row)."""
        r = self.rng
        if r.random() < 0.15:
            return r.choice(ADVERBIALS)
        return r.choice(VARIABLE_ADVERBIALS).format(n=r.randint(2, 990), d=r.randint(1, 28), m=r.choice(MONTHS))

    def obj(self) -> str:
        """What was decided or demanded, mostly with a figure."""
        r = self.rng
        head = r.choice(OBJECTS)
        if r.random() < 0.2:
            return head
        return f"{head} {r.choice(OBJECT_TAILS).format(n=r.randint(2, 990), y=r.randint(2026, 2045))}"

    def quote(self) -> str:
        """A statement built around a demand with a figure, so few repeat word for word."""
        r = self.rng
        tail = r.choice(OBJECT_TAILS).format(n=r.randint(2, 990), y=r.randint(2026, 2045))
        return r.choice(QUOTE_FRAMES).format(o=f"{r.choice(OBJECTS)} {tail}")

    def detail(self, sentence: str) -> str:
        """A sentence with a figure added, as news prose has many (and so rarely repeats a sentence)."""
        r = self.rng
        extra = r.choice(DETAILS).format(n=r.randint(2, 990), d=r.randint(1, 28), m=r.choice(MONTHS))
        return sentence[:-1] + f", {extra}."

    def plain(self, roll: float, people, orgs, places) -> str:
        """One sentence from the templates."""
        r = self.rng
        noun = r.choice(NOUNS)
        subject = noun[0].upper() + noun[1:]
        if roll < 0.45 and orgs:
            org = r.choice(orgs)
            subject = f"{ORG_ARTICLES[org.name.split()[0]]} {org.name}" if r.random() < 0.3 else subject
            return f"{subject} {r.choice(VERBS)} {self.adverbial()} {self.obj()}."
        if roll < 0.65 and places:
            return (
                f"In {r.choice(places).name} {r.choice(VERBS)} {r.choice(NOUNS)} {self.adverbial()} "
                f"{self.obj()}, wie {r.choice(NOUNS)} mitteilte."
            )
        if roll < 0.8 and people:
            person = r.choice(people)
            return (
                f"{person.name if r.random() < 0.4 else person.short} {r.choice(VERBS)} {self.adverbial()} "
                f"{self.obj()} und verwies auf {r.choice(NOUNS)}."
            )
        return (
            f"{subject} {r.choice(VERBS)} {self.adverbial()} {self.obj()}, "
            f"während {r.choice(NOUNS)} {self.obj()} {r.choice(('ablehnte', 'forderte', 'prüfte'))}."
        )

    def paragraph(self, cast) -> str:
        """Three to six sentences."""
        return " ".join(self.sentence(*cast) for _ in range(self.rng.randint(3, 6)))


def shared_passages(rng: random.Random, writer: Writer, count: int) -> list[str]:
    """Paragraphs that several articles carry word for word (agency copy)."""
    out = []
    for _ in range(count):
        cast = writer.cast()
        out.append(" ".join(writer.sentence(*cast) for _ in range(2)))
    return out


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def article_text(rng: random.Random, writer: Writer, index: int, passages: list[str], authors: list[str]):
    """(slug, file text) of one article of about 800 words."""
    cast = writer.cast()
    people = cast[0]
    title = f"{people[0].short} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    slug = f"{_slug(title)[:50].rstrip('-')}-{index}"
    date = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    tags = rng.sample(TAGS, rng.randint(1, 4))
    summary = writer.sentence(*cast)
    parts = [writer.paragraph(cast)]
    shared = rng.sample(passages, rng.randint(0, 2)) if passages and rng.random() < 0.6 else []
    for section in range(3):
        parts.append(f"## {rng.choice(HEADINGS)}")
        for _ in range(rng.randint(3, 4)):
            parts.append(writer.paragraph(cast))
        if section < len(shared):
            parts.append(shared[section])
    front = [
        "---",
        f"title: {yaml_str(title)}",
        f"date: {date.isoformat()}",
        f"author: {yaml_str(rng.choice(authors))}",
        f"publisher: {yaml_str(rng.choice(PUBLISHERS))}",
        "tags:",
        *(f"- {yaml_str(t)}" for t in tags),
        f"summary: {yaml_str(summary)}",
        "---",
        "",
        "",
    ]
    return slug, "\n".join(front) + "\n\n".join(parts) + "\n", parts


def annotation_text(rng: random.Random, slug: str, parts: list[str]) -> str | None:
    """An editorial note anchored to a sentence that occurs exactly once in the article."""
    text = "\n".join(parts)
    candidates = [s for p in parts if not p.startswith("#") for s in p.split(". ") if len(s) > 30]
    rng.shuffle(candidates)
    exact = next((c for c in candidates if text.count(c) == 1), None)
    if exact is None:
        return None
    kind = rng.choice(ANNOTATION_KINDS)
    verdict = "verdict: unbelegt\n" if kind == "Faktencheck" else ""  # a fact check carries its rating
    return (
        f'---\narticle: {slug}\nexact: {yaml_str(exact)}\nkind: {kind}\n{verdict}author: "Dossier-Redaktion"\n'
        f"date: 2025-01-15\n---\n\nDie Redaktion ordnet ein: Diese Angabe ließ sich *nicht unabhängig* prüfen.\n"
    )


def entity_text(rng: random.Random, entity: Entity, writer: Writer) -> str:
    """Front matter (name, aliases, role) and a short editorial note."""
    lines = ["---", f"name: {yaml_str(entity.name)}"]
    if entity.aliases:
        lines += ["aliases:", *(f"- {yaml_str(a)}" for a in entity.aliases)]
    lines += [f"role: {yaml_str(entity.role)}", "---", ""]
    note = f"{entity.name} ist {entity.role} und taucht in der Berichterstattung regelmäßig auf."
    return "\n".join(lines) + note + "\n"


HOME = """---
title: "Synthetisches Dossier"
subtitle: "Ein generiertes Dossier für Messungen"
description: "Generierte Artikel, Personen, Organisationen und Orte zum Messen der Baugeschwindigkeit."
key_facts:
- "Generiert mit bench/corpus.py"
editors:
- "Benchmark"
---

Dieses Dossier ist **generiert**: Es dient nur dazu, die Baugeschwindigkeit zu messen.
"""


def cast_of(rng: random.Random, articles: int, people: int | None = None) -> tuple[list[Entity], list[str]]:
    """The entities and authors of a corpus of this many articles, drawn first from its random stream."""
    people = people if people is not None else max(12, articles // 40)
    entities = make_entities(rng, people, max(4, articles // 100), max(4, articles // 100))
    return entities, [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_HEADS)}er" for _ in range(max(5, articles // 50))]


def added_article(dest: Path, articles: int, n: int, seed: int = 1) -> Path:
    """Write one more article into the corpus `generate(dest, articles, seed)` wrote, as an editor adds one: about
    the same entities, by the same authors, sharing no passage; `n` picks which (each n gives another)."""
    entities, authors = cast_of(random.Random(seed), articles)
    rng = random.Random(f"added {seed} {n}")
    slug, text, _ = article_text(rng, Writer(rng, entities), articles + n, [], authors)
    path = dest / "content" / "articles" / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def generate(dest: Path, articles: int, seed: int = 1, people: int | None = None) -> Corpus:
    """Write a synthetic project into dest (replacing its content/ and layouts/)."""
    rng = random.Random(seed)
    entities, authors = cast_of(rng, articles, people)
    writer = Writer(rng, entities)
    passages = shared_passages(rng, writer, max(2, articles // 8))
    for part in ("content", "layouts"):
        shutil.rmtree(dest / part, ignore_errors=True)
    shutil.copytree(REPO / "layouts", dest / "layouts")
    (dest / "sources").mkdir(parents=True, exist_ok=True)
    folders = {"person": "people", "organisation": "organisations", "place": "places"}
    content = dest / "content"
    (content / "articles").mkdir(parents=True)
    for folder in folders.values():
        (content / folder).mkdir()
    (content / "_index.md").write_text(HOME, encoding="utf-8")
    article_paths = []
    (content / "annotations").mkdir()
    for i in range(articles):
        slug, text, parts = article_text(rng, writer, i, passages, authors)
        rel = f"content/articles/{slug}.md"
        (dest / rel).write_text(text, encoding="utf-8")
        article_paths.append(rel)
        note = annotation_text(rng, slug, parts) if i % ANNOTATE_EVERY == 0 else None
        if note:
            (content / "annotations" / f"notiz-{i}.md").write_text(note, encoding="utf-8")
    entity_paths = []
    for entity in entities:
        rel = f"content/{folders[entity.kind]}/{entity.slug}.md"
        (dest / rel).write_text(entity_text(rng, entity, writer), encoding="utf-8")
        entity_paths.append(rel)
    return Corpus(dest, sorted(article_paths), sorted(entity_paths))


def main(argv: list[str] | None = None) -> None:
    """Command line: write one corpus."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    corpus = generate(args.dest, args.articles, args.seed)
    print(f"{len(corpus.articles)} articles, {len(corpus.entities)} entities in {args.dest}")


if __name__ == "__main__":
    main()
