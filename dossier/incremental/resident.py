"""What a long-running process (the preview) holds in memory from its last good build.

A command-line build reads back what earlier builds learned from SQLite (`memo`); the
preview, which builds again after every save, holds the objects themselves instead: each
article as read, by its file's SHA-256; the entities as read, by the SHA-256 of every file
under their folders; each article's analysis, made with those very entity objects; and the
fingerprint digests of all of them. A build takes an object from here only when what it
was made from is unchanged, by the store's own rule, so it builds what a clean build would.
Nothing here is changed after it is made (a build makes a new `Resident`), and the objects
never are either, so a digest remembered for an object stays true while the object is held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..content.load import load_entities
from ..content.model import ENTITY_KINDS, Article, Dossier, Entity
from ..errors import ContentError
from ..text.analysis import Analyser, TextAnalysis
from .codec import made_mentions
from .fingerprint import Fingerprinter
from .joins import RememberedJoins

ENTITY_FOLDERS = tuple(f"content/{folder}/" for folder in ENTITY_KINDS.values())


def entity_files(digests: Mapping[str, str], drafts: bool) -> tuple:
    """What the entities are read from: every file under their folders with its digest, and the drafts option."""
    return (drafts, tuple(sorted((rel, sha) for rel, sha in digests.items() if rel.startswith(ENTITY_FOLDERS))))


@dataclass(frozen=True)
class HeldEntities:
    """The entities as one build read them, the problems found, and the analyser made for them."""

    files: tuple  # `entity_files` they were read from
    entities: list[Entity]
    errors: list[ContentError]
    analyser: Analyser


@dataclass(frozen=True)
class Resident:
    """The last good build's facts, held by the process that made it, under that build's global key."""

    key: str = ""
    articles: Mapping[str, tuple[str, Article]] = field(default_factory=dict)  # path -> (file digest, article)
    entities: HeldEntities | None = None
    analyses: Mapping[str, tuple[TextAnalysis, bytes]] = field(default_factory=dict)  # path -> (analysis, items)
    prints: Mapping[int, tuple[object, bytes]] = field(default_factory=dict)  # id -> (object, digest) of the articles,
    # entities, mentions and quotations (`Fingerprinter.known`)
    answers: Mapping[bytes, bool] | None = None  # the similarity answers the joins used (as kept on disk)
    joins: Mapping | None = None  # the joins, each under the digest of what it read (`RememberedJoins.now`)
    statements: Mapping | None = None  # each speaker's statements, their key and groups (`RememberedJoins.statements`)

    def fits(self, key: str) -> bool:
        """Whether these facts were made under this global key (the same code and options)."""
        return self.key == key

    def held_entities(self, files: tuple) -> HeldEntities | None:
        """The entities held, if they were read from exactly these files (`entity_files`)."""
        return self.entities if self.entities is not None and self.entities.files == files else None

    def analyses_of(self, articles: Sequence[Article], entities: HeldEntities | None) -> dict[int, tuple]:
        """place -> (analysis, items) of each article whose analysis is held: the article object held, and the
        analysis made with the entity objects this build uses (the held ones: `held_entities`)."""
        if entities is None or entities is not self.entities:
            return {}
        found = {}
        for place, article in enumerate(articles):
            path = article.source.path
            held = self.articles.get(path)
            if held is not None and held[1] is article and path in self.analyses:
                found[place] = self.analyses[path]
        return found


def read_entities(root: Path, digests: Mapping[str, str], drafts: bool, resident: Resident | None) -> HeldEntities:
    """The entities held by `resident` when their files are unchanged, else read from content/ afresh."""
    files = entity_files(digests, drafts)
    held = resident.held_entities(files) if resident is not None else None
    if held is not None:
        return held
    entities, errors = load_entities(root, drafts=drafts)
    return HeldEntities(files, entities, errors, Analyser(entities))


def resident_after(
    key: str,
    digests: Mapping[str, str],
    entities: HeldEntities,
    dossier: Dossier,
    findings: Sequence[tuple[Article, TextAnalysis, bytes]],
    marks: Fingerprinter,
    answers: Mapping[bytes, bool],
    remembered: RememberedJoins,
) -> Resident:
    """What to hold after a good build: its articles, each with its analysis and items (`findings`, in the
    dossier's article order), its entities, the digests `marks` worked out for the articles, entities,
    mentions and quotations, and the similarity answers and joins it kept (both memos of what they read,
    so they hold whatever else happens on disk), with each speaker's statements as `remembered` keyed and
    grouped them."""
    held, analyses = {}, {}
    for article, text, items in findings:
        path = article.source.path
        if path in digests:
            held[path] = (digests[path], article)
            analyses[path] = (text, items)
    made = (m for _, text, _ in findings for m in made_mentions(text))  # (those never asked for have no digest)
    objects = chain(dossier.articles, dossier.entities, made, dossier.quotes)
    prints = marks.known(objects)
    return Resident(key, held, entities, analyses, prints, answers, remembered.now, remembered.statements)
