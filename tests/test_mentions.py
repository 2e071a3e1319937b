"""The entity matcher on snippets of the seed articles."""

from __future__ import annotations

import pytest

from dossier.content.model import Entity, Source
from dossier.text.mentions import EntityMatcher

SOURCE = Source("content/people/x.md", 5)


def entity(kind: str, slug: str, name: str, *aliases: str) -> Entity:
    """A test entity."""
    return Entity(kind, slug, name, SOURCE, aliases)


ENTITIES = [
    entity("person", "mark-rutte", "Mark Rutte", "Rutte", "der Niederländer", "Nato-Generalsekretär", "NATO-Chef"),
    entity("person", "jens-stoltenberg", "Jens Stoltenberg", "Stoltenberg"),
    entity("person", "olaf-scholz", "Olaf Scholz", "Scholz", "der SPD-Politiker"),
    entity("person", "dmitri-peskow", "Dmitri Peskow", "Peskow", "Kreml-Sprecher"),
    entity("person", "donald-trump", "Donald Trump", "Trump"),
    entity("organisation", "nato", "Nato", "NATO"),
    entity("organisation", "cdu", "CDU"),
    entity("place", "russland", "Russland"),
    entity("place", "ukraine", "Ukraine"),
    entity("place", "usa", "USA"),
    entity("place", "kyjiw", "Kyjiw", "Kiew"),
]
MATCHER = EntityMatcher(ENTITIES)


def found(text: str) -> list[tuple[str, str]]:
    """(surface, slug) of every mention in text."""
    return [(m.surface, m.entity.slug) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("behauptete der Niederländer, ohne Beweise", [("der Niederländer", "mark-rutte")]),
        ("Der Niederländer setzte einen neuen Ton.", [("Der Niederländer", "mark-rutte")]),
        ("Zunächst müsse sich aber Russlands Präsident", [("Russlands", "russland")]),
        ("Olaf Scholz’ erfolglose Ukrainepolitik", [("Olaf Scholz’", "olaf-scholz")]),
        ("Rutte's Ton", [("Rutte's", "mark-rutte")]),
        ("sagte 'Rutte' leise", [("Rutte", "mark-rutte")]),
        ("des künftigen US-Präsidenten Donald Trump, den", [("Donald Trump", "donald-trump")]),
        ("dass der Ukraine-Krieg eben nicht", []),
        ("Wenn wir irgendwann zu einem Ukraine-Deal kommen", []),
        ("stehe auch eine Nato-Mitgliedschaft „im Raum“", [("Nato", "nato")]),
        ("Der CDU-Außenpolitiker Norbert Röttgen", [("CDU", "cdu")]),
        ("erklärte der SPD-Politiker.", [("der SPD-Politiker", "olaf-scholz")]),
        ("sagte Kreml-Sprecher Dmitri Peskow in Moskau", [("Kreml-Sprecher Dmitri Peskow", "dmitri-peskow")]),
        ("hat Nato-Generalsekretär Mark Rutte die Tonart", [("Nato-Generalsekretär Mark Rutte", "mark-rutte")]),
        ("der frühere Nato-Generalsekretär Jens Stoltenberg", [("Jens Stoltenberg", "jens-stoltenberg")]),
        ("sagte der NATO-Chef zum Abschluss", [("NATO-Chef", "mark-rutte")]),
        ("Ruttenberg und Trumpf und Russlandpolitik", []),
        ("für Kiew tun, hieße es in Kyjiw.", [("Kiew", "kyjiw"), ("Kyjiw", "kyjiw")]),
        ("bedrohe damit auch die USA.", [("USA", "usa")]),
        ("Gegen einen Beitritt haben sich die USA und Deutschland", [("USA", "usa")]),
    ],
)
def test_matcher_on_seed_snippets(text, expected):
    assert found(text) == expected


def test_mention_offsets_point_at_the_surface():
    text = "Auch China und Iran spielten eine Rolle, erklärte Rutte."
    (mention,) = MATCHER.find(text)
    assert text[mention.start : mention.end] == mention.surface == "Rutte"


def test_longest_form_wins():
    matcher = EntityMatcher([entity("place", "korea", "Korea"), entity("place", "nordkorea", "Nordkorea")])
    assert [m.entity.slug for m in matcher.find("Nordkorea und Korea")] == ["nordkorea", "korea"]


def test_form_shared_by_two_entities_is_never_linked():
    matcher = EntityMatcher(
        [entity("person", "a", "Anna Schmidt", "Schmidt"), entity("person", "b", "Bernd Schmidt", "Schmidt")]
    )
    assert [m.surface for m in matcher.find("Schmidt traf Anna Schmidt.")] == ["Anna Schmidt"]
    assert matcher.ambiguous == ["Schmidt"]


def test_many_entities_compile_to_one_pattern():
    many = [entity("person", f"p{i}", f"Person{i} Nachname{i}", f"Nachname{i}") for i in range(500)]
    matcher = EntityMatcher([*many, *ENTITIES])
    assert [m.entity.slug for m in matcher.find("Nachname499 traf Rutte und Nachname7.")] == [
        "p499",
        "mark-rutte",
        "p7",
    ]
